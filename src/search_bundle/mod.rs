//! The browser search bundle, exported from the tantivy index at the end of a build.
//!
//! Everything lives under `recherche/donnees/`, and every file is a script holding one call,
//! `vitrineRecherche.recevoir("<name>", <JSON>)`: a `<script src>` element loads it from a web
//! server, from `file://` (where `fetch` is refused) and under a strict Content Security Policy
//! (`script-src 'self'`), without eval. The format is described in `docs/recherche.md`:
//!
//! - `manifest`: counts, term-file boundaries, facets with labels and counts;
//! - `termes/<i>`: postings of a range of terms with each document's BM25 contribution (for a
//!   very common term, only its best documents: the rest is in `suites/<k>`);
//! - `suites/<k>`: the rest of the very common terms' postings, loaded when a query needs it;
//! - `dictionnaires/<c>`: the terms starting with `c`, for the one-typo fallback;
//! - `facettes/<facet>`: the documents of each value, for filters and live counts;
//! - `fiches/<j>`: what a result shows (title, URL, summary, labels, date);
//! - `textes/<ordinal>`: the plain text of one scenario's body, loaded only for a displayed
//!   result whose summary lacks the query's words, to show a passage holding them.
//!
//! Documents are numbered by ordinal: newest first, then by slug ([`SearchIndex::doc_order`]).
//! The number of files grows by one per scenario for texts, one per [`RECORDS_PER_FILE`]
//! scenarios for records and at most one per 20 for terms and for rests, plus a constant: see
//! [`max_files`].

mod records;
mod terms;

use std::sync::{Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::facet::all_facet_values;
use crate::content::{Facet, FacetValue, SiteContent};
use crate::index::{
    Bodies, IndexError, SearchIndex, APPROXIMATE_BELOW, APPROXIMATE_MAX, PREFIX_EXACT_MAX_DOCS,
    PREFIX_MAX_TERMS, PREFIX_MIN_CHARS, SNIPPET_CHARS, TYPO_MIN_CHARS,
};
use crate::publish::urls::{self, LinkStyle};
use crate::vocab::Vocabularies;

/// Folder of the bundle in the output, from the site root.
pub const DATA_DIR: &str = "recherche/donnees";
/// Version of the bundle format, bumped on any incompatible change.
pub const FORMAT_VERSION: u32 = 3;
/// At most this many results in ten get a passage of their body (the first ones whose title
/// and summary lack the query's words): each loads its text, 3 to 4 KB gzip on the benchmark
/// corpus, and a one-word query must stay within 60 KB.
pub const PASSAGES_PER_PAGE: usize = 4;
/// Records per `fiches/<j>` file: the first results of a query are spread over as many
/// files, so small files (under 1 KB gzip) keep a page of results light.
pub const RECORDS_PER_FILE: usize = 5;

/// One file of the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    /// Path from the site root (`recherche/donnees/termes/3.js`).
    pub path: String,
    pub contents: String,
}

/// The upper bound on the number of files of a bundle for `documents` scenarios.
pub fn max_files(documents: usize) -> usize {
    // One text per scenario, one record file per RECORDS_PER_FILE; term files take at most
    // `group + 1` files and rests `4 group + 1` (terms::each_term_file); the constant covers
    // the manifest, the facets and the dictionaries (one per initial).
    let group = (terms::MIN_TERM_FILES - 1).max(documents.div_ceil(terms::DOCUMENTS_PER_TERM_FILE));
    documents + documents.div_ceil(RECORDS_PER_FILE) + 5 * group + 2 + Facet::ALL.len() + 38
}

#[derive(Serialize)]
struct Manifest {
    version: u32,
    /// Fingerprint of every other file of the bundle: the page asks for them with `?v=` and
    /// this value, so a server may cache them for good (only `manifest.js` must stay fresh).
    empreinte: String,
    documents: usize,
    fiches_par_fichier: usize,
    /// Page of a scenario from the site root, `{slug}` replaced by its slug.
    adresse: String,
    termes: Vec<String>,
    /// A split term's head holds its best `tete` documents ([`terms::HEAD_DOCUMENTS`]).
    tete: usize,
    passages: Passages,
    dictionnaires: Vec<String>,
    prefixe: Prefix,
    approche: Typo,
    approchants: ApproximateSettings,
    facettes: Vec<ManifestFacet>,
}

#[derive(Serialize)]
struct Prefix {
    longueur_min: usize,
    max_termes: usize,
    /// The last word is a prefix only when its own term is in fewer documents than this.
    exact_max_documents: u64,
}

#[derive(Serialize)]
struct Passages {
    /// Longest passage of a body shown as an excerpt, in UTF-8 bytes (as `vitrine search`).
    octets: usize,
    /// At most this many body texts loaded per ten results ([`PASSAGES_PER_PAGE`]).
    par_page: usize,
}

#[derive(Serialize)]
struct ApproximateSettings {
    /// Looked for below this many results, for two words or more.
    sous: usize,
    max: usize,
}

#[derive(Serialize)]
struct Typo {
    longueur_min: usize,
}

#[derive(Serialize)]
struct ManifestFacet {
    cle: &'static str,
    titre: &'static str,
    singulier: &'static str,
    parametre: &'static str,
    /// `[key, label, number of scenarios]`.
    valeurs: Vec<(String, String, usize)>,
}

/// Builds every file of the bundle, sorted by path.
pub fn export(
    index: &SearchIndex,
    content: &SiteContent,
    vocabs: &Vocabularies,
    links: LinkStyle,
) -> Result<Vec<DataFile>, IndexError> {
    let files = Mutex::new(Vec::new());
    export_to(index, content, vocabs, links, &|file: &DataFile| {
        lock(&files).push(file.clone());
    })?;
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// How the files after the terms' are made; the bundle does not depend on it.
#[derive(Debug, Clone, Copy)]
struct Batching {
    /// Bytes of records and texts made while the terms are exported (only their hashes are
    /// kept until the term files are fingerprinted: they come first); beyond, the next ones
    /// are made after the terms.
    ahead_bytes: usize,
    /// Texts read from the index, encoded and handed to the sink at a time, on rayon's pool.
    texts: usize,
    /// Record files made and handed to the sink at a time, on rayon's pool.
    record_files: usize,
}

/// Enough to make the texts of about ten thousand scenarios while the terms are exported.
const BATCHING: Batching = Batching {
    ahead_bytes: 96 << 20,
    texts: 256,
    record_files: 256,
};

/// Builds every file of the bundle, handing each to `sink` as soon as it is made (from
/// rayon's threads, in no particular order); returns how many. The term files, most of the
/// bundle, are never all in memory at once, nor are the texts. Result links are written in
/// `links` style.
///
/// The terms (term files, rests, dictionaries) are made while the other files (facets,
/// records, texts) are: the manifest's fingerprint still covers the files in a fixed order,
/// terms first.
pub fn export_to(
    index: &SearchIndex,
    content: &SiteContent,
    vocabs: &Vocabularies,
    links: LinkStyle,
    sink: &(dyn Fn(&DataFile) + Sync),
) -> Result<usize, IndexError> {
    let order = index.doc_order();
    export_keeping(index, &order, content, vocabs, links, sink, &|_| None)
}

/// [`export_to`], but the text of a scenario whose file the previous build made with the
/// same text is neither read nor made again: `kept_text(ordinal)` keeps that file and gives
/// its content hash (see [`crate::publish::content_hash`]), or says `None`. `order` is the
/// index's [`SearchIndex::doc_order`].
pub fn export_keeping(
    index: &SearchIndex,
    order: &[String],
    content: &SiteContent,
    vocabs: &Vocabularies,
    links: LinkStyle,
    sink: &(dyn Fn(&DataFile) + Sync),
    kept_text: &KeptText<'_>,
) -> Result<usize, IndexError> {
    export_in_batches(
        (index, order),
        content,
        vocabs,
        links,
        (sink, kept_text),
        BATCHING,
    )
}

/// Keeps the previous build's `textes/<ordinal>` file when its text is the same; returns its
/// content hash.
pub type KeptText<'a> = dyn Fn(u32) -> Option<String> + Sync + 'a;

/// Path of the text of the document at `ordinal`.
pub fn text_path(ordinal: u32) -> String {
    format!("{DATA_DIR}/textes/{ordinal}.js")
}

fn export_in_batches(
    (index, order): (&SearchIndex, &[String]),
    content: &SiteContent,
    vocabs: &Vocabularies,
    links: LinkStyle,
    (sink, kept_text): (&(dyn Fn(&DataFile) + Sync), &KeptText<'_>),
    batching: Batching,
) -> Result<usize, IndexError> {
    let facets = all_facet_values(&content.scenarios, vocabs);
    let mut others = Others::new(index, content, vocabs, &facets, order, batching);
    let (terms, ahead) = rayon::join(
        || export_terms(index, order.len(), sink),
        || others.ahead(sink, kept_text, batching.ahead_bytes),
    );
    let (mut out, terms) = terms?;
    for digest in ahead? {
        out.add(&digest);
    }
    while let Some(digests) = others.next_batch(sink, kept_text)? {
        for digest in &digests {
            out.add(digest);
        }
    }
    let empreinte = out.fingerprint();
    let manifest = Manifest {
        version: FORMAT_VERSION,
        empreinte,
        documents: order.len(),
        fiches_par_fichier: RECORDS_PER_FILE,
        adresse: links.href(urls::scenario("{slug}")),
        termes: terms.boundaries,
        tete: terms::HEAD_DOCUMENTS,
        passages: Passages {
            octets: SNIPPET_CHARS,
            par_page: PASSAGES_PER_PAGE,
        },
        dictionnaires: terms.initials,
        prefixe: Prefix {
            longueur_min: PREFIX_MIN_CHARS,
            max_termes: PREFIX_MAX_TERMS,
            exact_max_documents: PREFIX_EXACT_MAX_DOCS,
        },
        approche: Typo {
            longueur_min: TYPO_MIN_CHARS,
        },
        approchants: ApproximateSettings {
            sous: APPROXIMATE_BELOW,
            max: APPROXIMATE_MAX,
        },
        facettes: facets
            .iter()
            .filter(|(_, values)| !values.is_empty())
            .map(|(facet, values)| ManifestFacet {
                cle: facet.slug(),
                titre: facet.title(),
                singulier: facet.singular(),
                parametre: urls::search_parameter(*facet),
                valeurs: values
                    .iter()
                    .map(|v| (v.key.clone(), v.label.clone(), v.members.len()))
                    .collect(),
            })
            .collect(),
    };
    let manifest = data_file("manifest", &manifest);
    sink(&manifest);
    Ok(out.count + 1)
}

/// What the manifest says of the term files and dictionaries.
struct TermsPart {
    /// First term of each term file.
    boundaries: Vec<String>,
    /// Initial of each dictionary.
    initials: Vec<String>,
}

/// Makes the term files, rests and dictionaries, fingerprinted in the order they are made.
fn export_terms(
    index: &SearchIndex,
    documents: usize,
    sink: &(dyn Fn(&DataFile) + Sync),
) -> Result<(Emitter, TermsPart), IndexError> {
    let mut out = Emitter::new();
    let mut emit = |file: DataFile| {
        sink(&file);
        out.add(&Digest::of(&file));
    };
    let exported = index.export_terms()?;
    let mut boundaries = Vec::new();
    let mut rests = 0;
    terms::each_term_file(&exported, documents, &mut |packed| match packed {
        terms::Packed::Terms(file) => {
            emit(raw_data_file(
                &format!("termes/{}", boundaries.len()),
                &file.json,
            ));
            boundaries.push(file.first_term);
        }
        terms::Packed::Rest(json) => {
            emit(raw_data_file(&format!("suites/{rests}"), &json));
            rests += 1;
        }
    });
    let dictionaries = terms::dictionaries(&exported);
    drop(exported);
    for (initial, words) in &dictionaries {
        emit(data_file(&format!("dictionnaires/{initial}"), words));
    }
    let initials = dictionaries.into_iter().map(|(c, _)| c).collect();
    Ok((
        out,
        TermsPart {
            boundaries,
            initials,
        },
    ))
}

/// The files after the terms': facets, then records, then texts, made a batch at a time
/// (each batch on rayon's pool) and handed to the sink as they are made.
struct Others<'a> {
    content: &'a SiteContent,
    vocabs: &'a Vocabularies,
    facets: &'a [(Facet, Vec<FacetValue>)],
    order: &'a [String],
    /// Made with the first batch (the facets').
    records: Option<Vec<records::Record>>,
    next_record_file: usize,
    bodies: Bodies<'a>,
    batching: Batching,
}

impl<'a> Others<'a> {
    fn new(
        index: &'a SearchIndex,
        content: &'a SiteContent,
        vocabs: &'a Vocabularies,
        facets: &'a [(Facet, Vec<FacetValue>)],
        order: &'a [String],
        batching: Batching,
    ) -> Others<'a> {
        Others {
            content,
            vocabs,
            facets,
            order,
            records: None,
            next_record_file: 0,
            bodies: Bodies::of(index),
            batching,
        }
    }

    /// Makes batches until they weigh `budget` bytes or all are made; returns their digests.
    fn ahead(
        &mut self,
        sink: &(dyn Fn(&DataFile) + Sync),
        kept_text: &KeptText<'_>,
        budget: usize,
    ) -> Result<Vec<Digest>, IndexError> {
        let mut made = Vec::new();
        let mut bytes = 0;
        while bytes < budget {
            let Some(digests) = self.next_batch(sink, kept_text)? else {
                break;
            };
            bytes += digests.iter().map(|d| d.bytes).sum::<usize>();
            made.extend(digests);
        }
        Ok(made)
    }

    /// The digests of the next batch of files, in their fingerprint order, each file already
    /// handed to `sink` (or kept, for a text: see [`export_keeping`]); `None` once all are made.
    fn next_batch(
        &mut self,
        sink: &(dyn Fn(&DataFile) + Sync),
        kept_text: &KeptText<'_>,
    ) -> Result<Option<Vec<Digest>>, IndexError> {
        let Some(records) = &self.records else {
            let files = self.facet_files();
            for file in &files {
                sink(file);
            }
            let digests = files.iter().map(Digest::of).collect();
            self.records = Some(records::records(
                self.content,
                self.vocabs,
                self.facets,
                self.order,
            ));
            return Ok(Some(digests));
        };
        let record_files = records.len().div_ceil(RECORDS_PER_FILE);
        if self.next_record_file < record_files {
            let first = self.next_record_file;
            let last = record_files.min(first + self.batching.record_files.max(1));
            self.next_record_file = last;
            let files = (first..last)
                .into_par_iter()
                .map(|j| {
                    let end = records.len().min((j + 1) * RECORDS_PER_FILE);
                    let file =
                        data_file(&format!("fiches/{j}"), &records[j * RECORDS_PER_FILE..end]);
                    sink(&file);
                    Digest::of(&file)
                })
                .collect();
            return Ok(Some(files));
        }
        let kept = |ordinal: u32| {
            kept_text(ordinal).map(|hash| Digest {
                path: text_path(ordinal),
                hash,
                bytes: 0,
            })
        };
        self.bodies
            .next_batch(self.batching.texts, kept, |ordinal, body| {
                let file = data_file(&format!("textes/{ordinal}"), body);
                sink(&file);
                Digest::of(&file)
            })
            .transpose()
    }

    fn facet_files(&self) -> Vec<DataFile> {
        let ordinals = records::Ordinals::new(&self.content.scenarios, self.order);
        self.facets
            .iter()
            .filter(|(_, values)| !values.is_empty())
            .map(|(facet, values)| {
                let sets = records::facet_sets(values, &ordinals);
                data_file(&format!("facettes/{}", facet.slug()), &sets)
            })
            .collect()
    }
}

/// What the fingerprint takes of a file: its path and content hash (a file kept from the
/// previous build is known by its hash only), and its size (0 when kept), to pace the work.
struct Digest {
    path: String,
    hash: String,
    bytes: usize,
}

impl Digest {
    fn of(file: &DataFile) -> Digest {
        Digest {
            path: file.path.clone(),
            hash: crate::publish::content_hash(file.contents.as_bytes()),
            bytes: file.path.len() + file.contents.len(),
        }
    }
}

/// Counts the bundle's files and fingerprints their names and content hashes, given in a
/// fixed order: the same bundle has the same fingerprint.
struct Emitter {
    count: usize,
    fingerprint: blake3::Hasher,
}

impl Emitter {
    fn new() -> Emitter {
        Emitter {
            count: 0,
            fingerprint: blake3::Hasher::new(),
        }
    }

    fn add(&mut self, digest: &Digest) {
        self.count += 1;
        for part in [digest.path.as_bytes(), digest.hash.as_bytes()] {
            self.fingerprint.update(&(part.len() as u64).to_le_bytes());
            self.fingerprint.update(part);
        }
    }

    /// Sixteen hex digits of the files added so far.
    fn fingerprint(&self) -> String {
        self.fingerprint.finalize().to_hex()[..16].to_string()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn data_file<T: Serialize + ?Sized>(name: &str, value: &T) -> DataFile {
    // Serialising plain strings, numbers and vectors cannot fail.
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    raw_data_file(name, &json)
}

fn raw_data_file(name: &str, json: &str) -> DataFile {
    let quoted = serde_json::to_string(name).unwrap_or_default();
    DataFile {
        path: format!("{DATA_DIR}/{name}.js"),
        contents: format!("vitrineRecherche.recevoir({quoted}, {json});\n"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use tempfile::TempDir;

    use super::*;
    use crate::site::indexing::search_index_in;
    use crate::site::options::{BuildOptions, Silent};
    use crate::site::prepare::{prepare, Prepared};

    /// The demo site (the repository itself) and its index.
    fn demo() -> (TempDir, Prepared, SearchIndex) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let prepared = prepare(&BuildOptions::new(root), &Silent).expect("demo site");
        let dir = TempDir::new().expect("temporary directory");
        let index = search_index_in(root, dir.path(), &prepared).expect("index");
        (dir, prepared, index)
    }

    /// Every file, sorted by path, and the count `export_in_batches` returns.
    fn exported(
        prepared: &Prepared,
        index: &SearchIndex,
        batching: Batching,
    ) -> (Vec<DataFile>, usize) {
        let files = Mutex::new(Vec::new());
        let count = export_in_batches(
            (index, &index.doc_order()),
            &prepared.loaded.content,
            &prepared.vocabs,
            LinkStyle::of(&prepared.config),
            (&|file| lock(&files).push(file.clone()), &|_| None),
            batching,
        )
        .expect("export");
        let mut files = files.into_inner().expect("files");
        files.sort_by(|a, b| a.path.cmp(&b.path));
        (files, count)
    }

    /// The JSON a file hands to `vitrineRecherche.recevoir`.
    fn json(file: &DataFile) -> serde_json::Value {
        let start = file.contents.find(", ").expect("call") + 2;
        let end = file.contents.rfind(");").expect("call");
        serde_json::from_str(&file.contents[start..end]).expect("JSON")
    }

    /// The fingerprint as `docs/recherche.md` defines it, in the order the files are made:
    /// rests, term files, dictionaries, facets (manifest order), records, then texts in
    /// store order (by slug: the index adds documents in slug order).
    fn expected_fingerprint(files: &[DataFile]) -> String {
        let by_path: BTreeMap<&str, &DataFile> =
            files.iter().map(|f| (f.path.as_str(), f)).collect();
        let manifest = json(by_path[&*format!("{DATA_DIR}/manifest.js")]);
        let numbered = |folder: &str| {
            let mut found: Vec<(usize, &DataFile)> = files
                .iter()
                .filter_map(|f| {
                    let name = f.path.strip_prefix(&format!("{DATA_DIR}/{folder}/"))?;
                    Some((name.strip_suffix(".js")?.parse().ok()?, f))
                })
                .collect();
            found.sort_by_key(|(n, _)| *n);
            found.into_iter().map(|(_, f)| f).collect::<Vec<_>>()
        };
        let mut ordered = numbered("suites");
        ordered.extend(numbered("termes"));
        for initial in manifest["dictionnaires"].as_array().expect("initials") {
            let initial = initial.as_str().expect("initial");
            ordered.push(by_path[&*format!("{DATA_DIR}/dictionnaires/{initial}.js")]);
        }
        for facet in manifest["facettes"].as_array().expect("facets") {
            let key = facet["cle"].as_str().expect("key");
            ordered.push(by_path[&*format!("{DATA_DIR}/facettes/{key}.js")]);
        }
        let records = numbered("fiches");
        let slugs: Vec<String> = records
            .iter()
            .flat_map(|f| json(f).as_array().expect("records").clone())
            .map(|r| r["slug"].as_str().expect("slug").to_string())
            .collect();
        ordered.extend(records);
        let mut texts = numbered("textes");
        texts.sort_by_key(|f| {
            let ordinal: usize = f
                .path
                .rsplit('/')
                .next()
                .and_then(|n| n.strip_suffix(".js"))
                .and_then(|n| n.parse().ok())
                .expect("ordinal");
            slugs[ordinal].clone()
        });
        ordered.extend(texts);
        assert_eq!(ordered.len() + 1, files.len());
        let mut hasher = blake3::Hasher::new();
        for file in ordered {
            let hash = crate::publish::content_hash(file.contents.as_bytes());
            for part in [file.path.as_bytes(), hash.as_bytes()] {
                hasher.update(&(part.len() as u64).to_le_bytes());
                hasher.update(part);
            }
        }
        hasher.finalize().to_hex()[..16].to_string()
    }

    #[test]
    fn kept_texts_are_not_made_and_the_bundle_is_the_same() {
        let (_dir, prepared, index) = demo();
        let (files, _) = exported(&prepared, &index, BATCHING);
        let hash_of: BTreeMap<String, String> = files
            .iter()
            .map(|f| {
                (
                    f.path.clone(),
                    crate::publish::content_hash(f.contents.as_bytes()),
                )
            })
            .collect();
        // The previous build made every even text: those are kept, by their hash.
        let kept = |ordinal: u32| {
            ordinal
                .is_multiple_of(2)
                .then(|| hash_of[&text_path(ordinal)].clone())
        };
        let made = Mutex::new(Vec::new());
        let count = export_keeping(
            &index,
            &index.doc_order(),
            &prepared.loaded.content,
            &prepared.vocabs,
            LinkStyle::of(&prepared.config),
            &|file| lock(&made).push(file.clone()),
            &kept,
        )
        .expect("export");
        let mut made = made.into_inner().expect("files");
        made.sort_by(|a, b| a.path.cmp(&b.path));
        assert_eq!(count, files.len(), "kept files count");
        let documents = prepared.loaded.content.scenarios.len();
        let kept_texts: Vec<String> = (0..documents as u32)
            .filter(|o| o.is_multiple_of(2))
            .map(text_path)
            .collect();
        assert_eq!(made.len(), files.len() - kept_texts.len());
        assert!(made.iter().all(|f| !kept_texts.contains(&f.path)));
        // Everything made is what a full export makes, the manifest's fingerprint included.
        let full: BTreeMap<&str, &DataFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
        for file in &made {
            assert_eq!(Some(&file), full.get(file.path.as_str()), "{}", file.path);
        }
    }

    #[test]
    fn batches_and_work_ahead_change_nothing_and_the_fingerprint_keeps_its_order() {
        let (_dir, prepared, index) = demo();
        let (files, count) = exported(&prepared, &index, BATCHING);
        assert_eq!(count, files.len());
        let manifest = files
            .iter()
            .find(|f| f.path == format!("{DATA_DIR}/manifest.js"))
            .expect("manifest");
        assert_eq!(json(manifest)["empreinte"], expected_fingerprint(&files));
        let documents = prepared.loaded.content.scenarios.len();
        assert!(documents > 3);
        let small = Batching {
            ahead_bytes: 0,
            texts: 1,
            record_files: 1,
        };
        let some_ahead = Batching {
            ahead_bytes: 2_000,
            texts: 3,
            record_files: 2,
        };
        for batching in [small, some_ahead] {
            assert_eq!(
                exported(&prepared, &index, batching),
                (files.clone(), count)
            );
        }
    }
}
