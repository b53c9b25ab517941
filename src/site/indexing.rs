//! The index stage: the tantivy index of the prepared scenarios, their related scenarios and
//! the browser search bundle exported from it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::Datelike;
use rayon::prelude::*;

use crate::config::CACHE_DIR;
use crate::content::{Facet, Scenario};
use crate::diagnostics::{self, Diagnostic, ErrorKind};
use crate::index::{IndexDoc, MetadataWords, PreviousRelated, SearchIndex};
use crate::markdown::Rendered;
use crate::publish::urls;
use crate::search_bundle;
use crate::site::cache;
use crate::site::output::Staging;
use crate::text::BodyText;

use crate::site::options::{BuildOptions, Stopwatch};
use crate::site::prepare::Prepared;
pub const RELATED_COUNT: usize = 4;

/// Left in the cache folder while the index is being changed (see [`index_stage`]).
const CHANGING: &str = "index-en-cours";

/// What the index stage hands to the related scenarios, the rendering of scenario pages and
/// the search export.
pub(super) struct Indexed {
    pub(super) index: SearchIndex,
    /// What the next build needs to reuse or update the index. Its related scenarios are the
    /// previous build's when the index was reused, else left to [`related_stage`].
    pub(super) memo: IndexMemo,
    /// Durations of its steps (shown by `build --durees`, as parts of the parallel stage).
    pub(super) durations: Vec<(&'static str, Duration)>,
    /// Documents given to tantivy: all on a full build, those of the parts that changed on an
    /// update, none when the index was reused.
    pub(super) indexed_documents: usize,
    /// The index of the previous build was updated rather than rebuilt.
    pub(super) updated: bool,
    /// The related scenarios to compute: none when the index was reused.
    pub(super) related_work: RelatedWork,
}

/// What [`related_stage`] has to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RelatedWork {
    /// The index was reused: so are the related scenarios of the previous build.
    Reused,
    /// Computed again, taking from the previous build's lists what the same computation would
    /// give when `previous_trusted` (no index change was stopped halfway).
    Compute { previous_trusted: bool },
}

/// What the build record keeps of the index stage.
pub(super) struct IndexMemo {
    /// Hash of the index documents, to reuse the index next time.
    pub(super) docs_hash: String,
    pub(super) parts: cache::IndexParts,
    pub(super) related: BTreeMap<String, Vec<String>>,
    pub(super) related_memos: crate::index::Memos,
}

/// Builds the tantivy index. The index of the previous build (and its related scenarios) is
/// reused when the index documents are the same; when some changed, the parts of the index
/// holding them are indexed again and linked with the others.
pub(super) fn index_stage(
    options: &BuildOptions,
    prepared: &Prepared,
    plain_texts: BTreeMap<String, PlainText>,
    previous: Option<&cache::BuildRecord>,
) -> Result<Indexed, Vec<Diagnostic>> {
    let mut watch = Stopwatch::start();
    let scenarios: BTreeMap<&str, &Scenario> = prepared
        .loaded
        .content
        .scenarios
        .iter()
        .map(|s| (s.slug.as_str(), s.as_ref()))
        .collect();
    let metadata = MetadataWords::new(&prepared.vocabs);
    // Another vitrine may analyse the same document differently: its index is not reused.
    let made_with = DocumentMaking {
        program: cache::program_identity(),
        vocabulary: metadata.fingerprint(),
    };
    let hashes: BTreeMap<String, String> = scenarios
        .par_iter()
        .map(|(_, s)| {
            let body = match plain_texts.get(&s.slug) {
                Some(plain) => plain.digest,
                None => *blake3::hash(b"").as_bytes(),
            };
            (s.slug.clone(), index_doc_key(s, &body, &made_with))
        })
        .collect();
    let docs_hash = cache::index_docs_hash(hashes.iter());
    let dir = index_dir(&options.root);
    // The index is made while the build record still describes the previous one: a build
    // stopped while changing it leaves this mark, and the next one trusts none of it.
    let marker = options.root.join(CACHE_DIR).join(CHANGING);
    let previous = previous.filter(|_| !marker.exists());
    let reusable = previous
        .filter(|record| record.index_docs == docs_hash)
        .and_then(|record| Some((SearchIndex::open(&dir).ok()?, record)));
    if let Some((index, record)) = reusable {
        watch.lap("  dont index tantivy (repris de la construction précédente)");
        return Ok(Indexed {
            index,
            memo: IndexMemo {
                docs_hash,
                parts: record.index_parts.clone(),
                related: record.related.clone(),
                related_memos: record.related_memos.clone(),
            },
            durations: watch.stages,
            indexed_documents: 0,
            updated: false,
            related_work: RelatedWork::Reused,
        });
    }
    let sources = Sources {
        root: &options.root,
        scenarios: &scenarios,
        metadata: &metadata,
    };
    let _ = fs::create_dir_all(marker.parent().unwrap_or(&dir));
    let _ = fs::write(&marker, "");
    // Any failure of the update (a damaged or missing folder) falls back to a full build.
    let (index, parts, indexed_documents, updated) =
        match previous.and_then(|record| updated_index(&sources, record, &hashes, &plain_texts)) {
            Some((index, parts, indexed)) => {
                watch.lap("  dont index tantivy (mis à jour)");
                (index, parts, indexed, true)
            }
            None => {
                let (index, parts, indexed) = rebuilt_index(&sources, hashes, plain_texts)?;
                watch.lap("  dont index tantivy");
                (index, parts, indexed, false)
            }
        };
    let _ = fs::remove_file(&marker);
    Ok(Indexed {
        index,
        memo: IndexMemo {
            docs_hash,
            parts,
            related: BTreeMap::new(),
            related_memos: BTreeMap::new(),
        },
        durations: watch.stages,
        indexed_documents,
        updated,
        related_work: RelatedWork::Compute {
            previous_trusted: previous.is_some(),
        },
    })
}

/// Computes the related scenarios of `index` and their memos into `related` and `memos`
/// (unless they were reused with the index); returns how many lists were computed and how
/// long it took (`None` when reused). Made while the search bundle is exported from the same
/// index: the two only read it.
pub(super) fn related_stage(
    options: &BuildOptions,
    index: &SearchIndex,
    work: RelatedWork,
    previous: Option<&cache::BuildRecord>,
    (related, memos): (&mut BTreeMap<String, Vec<String>>, &mut crate::index::Memos),
) -> Result<(usize, Option<Duration>), Vec<Diagnostic>> {
    let started = Instant::now();
    let RelatedWork::Compute { previous_trusted } = work else {
        return Ok((0, None));
    };
    let previous = previous
        .filter(|_| previous_trusted)
        .map(|record| PreviousRelated {
            related: &record.related,
            memos: &record.related_memos,
        });
    let computed = index
        .related_updating(RELATED_COUNT, &cache::program_identity(), previous)
        .map_err(|e| vec![index_error(&options.root, &e)])?;
    *related = computed.related;
    *memos = computed.memos;
    Ok((computed.computed, Some(started.elapsed())))
}

/// What the index documents are made from.
struct Sources<'a> {
    root: &'a Path,
    /// Scenarios by slug.
    scenarios: &'a BTreeMap<&'a str, &'a Scenario>,
    metadata: &'a MetadataWords,
}

impl Sources<'_> {
    fn scenarios_of<'s>(&'s self, slugs: &'s [String]) -> impl Iterator<Item = &'s Scenario> {
        slugs
            .iter()
            .filter_map(|slug| self.scenarios.get(slug.as_str()).copied())
    }
}

/// The index of the previous build's parts, updated to the documents of `hashes`: the parts
/// holding a document that changed are indexed again, then every part linked. `None` when
/// the record has no parts or the update failed.
fn updated_index(
    sources: &Sources,
    record: &cache::BuildRecord,
    hashes: &BTreeMap<String, String>,
    plain_texts: &BTreeMap<String, PlainText>,
) -> Option<(SearchIndex, cache::IndexParts, usize)> {
    let update = record.index_parts.update(hashes)?;
    let parts = update.parts.iter().map(|slugs| {
        sources
            .scenarios_of(slugs)
            .map(|s| index_doc_of(s, plain_texts, sources.metadata))
            .collect()
    });
    let dir = index_dir(sources.root);
    let parts_dir = index_parts_dir(sources.root);
    let (index, indexed) =
        SearchIndex::update_parts(&parts_dir, &dir, &update.stale, parts).ok()?;
    let parts = cache::IndexParts {
        starts: update.starts,
        hashes: hashes.clone(),
        size: record.index_parts.size,
    };
    Some((index, parts, indexed))
}

/// A new index of the documents of `hashes`, in parts.
fn rebuilt_index(
    sources: &Sources,
    hashes: BTreeMap<String, String>,
    mut plain_texts: BTreeMap<String, PlainText>,
) -> Result<(SearchIndex, cache::IndexParts, usize), Vec<Diagnostic>> {
    let parts = cache::IndexParts::new(hashes);
    // Each text is moved into its document and freed once indexed.
    let docs = parts.parts().into_iter().map(|slugs| {
        sources
            .scenarios_of(&slugs)
            .map(|s| {
                let body = plain_texts
                    .remove(&s.slug)
                    .map(|plain| plain.text.into_string())
                    .unwrap_or_default();
                index_doc_with(s, body, sources.metadata)
            })
            .collect()
    });
    let (dir, parts_dir) = (index_dir(sources.root), index_parts_dir(sources.root));
    let (index, indexed) = SearchIndex::build_parts(&parts_dir, &dir, docs)
        .map_err(|e| vec![index_error(sources.root, &e)])?;
    Ok((index, parts, indexed))
}

/// The index document of `s`, its body's plain text copied from `plain_texts`.
fn index_doc_of(
    s: &Scenario,
    plain_texts: &BTreeMap<String, PlainText>,
    metadata: &MetadataWords,
) -> IndexDoc {
    let body = plain_texts
        .get(&s.slug)
        .map(|plain| plain.text.to_string())
        .unwrap_or_default();
    index_doc_with(s, body, metadata)
}

/// What the browser search bundle is exported from: the index, and what the previous build
/// recorded of it (to keep the texts that did not change).
pub(super) struct ExportInput<'a> {
    /// Shared with the related scenarios, computed meanwhile.
    pub(super) index: Arc<SearchIndex>,
    /// Hash of each index document (see [`cache::IndexParts`]).
    pub(super) hashes: BTreeMap<String, String>,
    pub(super) previous: Option<&'a cache::BuildRecord>,
}

/// What the search export hands back: the number of files, the time it took and the slug of
/// each document by ordinal (for the next build's record).
pub(super) type Exported = (usize, Duration, Vec<String>);

/// Exports the browser search bundle from the index into `staging`. Each file is written as
/// soon as it is made (on rayon's threads): the bundle of a national site weighs hundreds of
/// megabytes. The text of a scenario at the same ordinal with the same index document as in
/// the previous build is kept as it was published, without reading it from the index.
pub(super) fn export_search(
    options: &BuildOptions,
    prepared: &Prepared,
    input: ExportInput,
    staging: &Staging,
) -> Result<Exported, Vec<Diagnostic>> {
    let started = Instant::now();
    let order = input.index.doc_order();
    let kept_text = |ordinal: u32| -> Option<String> {
        let previous = input.previous?;
        let slug = order.get(ordinal as usize)?;
        let hash = input.hashes.get(slug)?;
        let same = previous.text_order.get(ordinal as usize) == Some(slug)
            && previous.index_parts.hashes.get(slug) == Some(hash);
        // A file that cannot be kept is made and written: a problem then shows there.
        same.then(|| staging.keep_previous(&search_bundle::text_path(ordinal)))?
            .ok()
            .flatten()
    };
    // Files are written from rayon's threads, as they are made.
    let problems = Mutex::new(Vec::new());
    let search_files = search_bundle::export_keeping(
        &input.index,
        &order,
        &prepared.loaded.content,
        &prepared.vocabs,
        urls::LinkStyle::of(&prepared.config),
        &|file| {
            if let Err(problem) = staging.write(&file.path, file.contents.as_bytes()) {
                problems
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(problem);
            }
        },
        &kept_text,
    )
    .map_err(|e| vec![index_error(&options.root, &e)])?;
    let mut problems = problems
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    if !problems.is_empty() {
        diagnostics::sort(&mut problems);
        return Err(problems);
    }
    Ok((search_files, started.elapsed(), order))
}

fn index_dir(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join("index")
}

/// The parts the index of a build is made of (see [`cache::IndexParts`]).
fn index_parts_dir(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join("index-parties")
}

/// (Re)builds the tantivy index of the prepared scenarios in the cache folder.
pub fn search_index(root: &Path, prepared: &Prepared) -> Result<SearchIndex, Diagnostic> {
    search_index_in(root, &index_dir(root), prepared)
}

/// [`search_index`] in another folder (the preview keeps its own index, drafts included).
pub fn search_index_in(
    root: &Path,
    dir: &Path,
    prepared: &Prepared,
) -> Result<SearchIndex, Diagnostic> {
    SearchIndex::build(dir, &index_docs(prepared)).map_err(|e| index_error(root, &e))
}

/// The search index documents of the prepared scenarios.
fn index_docs(prepared: &Prepared) -> Vec<IndexDoc> {
    let metadata = MetadataWords::new(&prepared.vocabs);
    prepared
        .loaded
        .content
        .scenarios
        .iter()
        .map(|s| index_doc(s, &prepared.scenarios_html, &metadata))
        .collect()
}

/// The plain text of a rendered body, with its BLAKE3.
pub(super) struct PlainText {
    pub(super) text: BodyText,
    pub(super) digest: [u8; 32],
}

/// Moves the plain text of each rendered body out of `prepared` (only the index needs it),
/// and drops the Markdown sources, already rendered: on a national site they weigh hundreds
/// of megabytes that the rest of the build never reads.
pub(super) fn take_plain_texts(prepared: &mut Prepared) -> BTreeMap<String, PlainText> {
    for scenario in &mut prepared.loaded.content.scenarios {
        if let Some(scenario) = Arc::get_mut(scenario) {
            scenario.body = BodyText::default();
        }
    }
    prepared
        .scenarios_html
        .iter_mut()
        .map(|(slug, rendered)| {
            let digest = rendered.text_digest();
            let text = match Arc::get_mut(rendered) {
                Some(rendered) => std::mem::take(&mut rendered.plain_text),
                None => rendered.plain_text.clone(),
            };
            (slug.clone(), PlainText { text, digest })
        })
        .collect()
}

fn index_doc(
    s: &Scenario,
    html: &BTreeMap<String, Arc<Rendered>>,
    metadata: &MetadataWords,
) -> IndexDoc {
    let body = html
        .get(&s.slug)
        .map(|r| r.plain_text.to_string())
        .unwrap_or_default();
    index_doc_with(s, body, metadata)
}

/// What else an index document is made with: the program that analyses it and the words of
/// the vocabularies ([`MetadataWords::fingerprint`]).
struct DocumentMaking {
    program: [u8; 32],
    vocabulary: [u8; 32],
}

/// The key of the index document of `s` (whose body's plain text has the BLAKE3 `body`):
/// 128 bits of BLAKE3, in hexadecimal, of everything [`index_doc_with`] makes the document
/// from, so that equal keys give equal documents. Made from the scenario without building its
/// document (metadata words, facet keys, tool slugs): every build makes the key of every
/// scenario. A field read by [`index_doc_with`] must be hashed here too
/// (`the_document_key_follows_every_field_the_document_reads`).
fn index_doc_key(s: &Scenario, body: &[u8; 32], made_with: &DocumentMaking) -> String {
    let meta = &s.meta;
    let mut hasher = blake3::Hasher::new();
    hasher.update(&made_with.program);
    hasher.update(&made_with.vocabulary);
    hasher.update(body);
    // Lengths first, so that no two different lists hash the same bytes.
    let number = |hasher: &mut blake3::Hasher, n: u64| {
        hasher.update(&n.to_le_bytes());
    };
    let text = |hasher: &mut blake3::Hasher, value: &str| {
        number(hasher, value.len() as u64);
        hasher.update(value.as_bytes());
    };
    for value in [&s.slug, &meta.titre, &meta.resume, &meta.academie] {
        text(&mut hasher, value);
    }
    let lists = [
        &meta.mots_cles,
        &meta.outils,
        &meta.disciplines,
        &meta.niveaux,
        &meta.cycles,
        &meta.types,
        &meta.modalites,
        &meta.competences_numeriques,
    ];
    for list in lists {
        number(&mut hasher, list.len() as u64);
        list.iter().for_each(|value| text(&mut hasher, value));
    }
    number(&mut hasher, meta.auteurs.len() as u64);
    meta.auteurs.iter().for_each(|a| text(&mut hasher, &a.nom));
    number(&mut hasher, meta.date.num_days_from_ce() as u64);
    // No duration and a duration of 0 minutes differ.
    match &meta.duree {
        Some(duree) => number(&mut hasher, 1 + u64::from(duree.minutes)),
        None => number(&mut hasher, 0),
    }
    hasher.finalize().to_hex()[..32].to_string()
}

/// The index document of a scenario whose body's plain text is `body`.
fn index_doc_with(s: &Scenario, body: String, metadata: &MetadataWords) -> IndexDoc {
    let meta = &s.meta;
    IndexDoc {
        slug: s.slug.clone(),
        titre: meta.titre.clone(),
        resume: meta.resume.clone(),
        body,
        mots_cles: meta.mots_cles.clone(),
        outils: meta.outils.clone(),
        auteurs: meta.auteurs.iter().map(|a| a.nom.clone()).collect(),
        metadonnees: metadata.words(meta),
        facets: Facet::ALL
            .iter()
            .flat_map(|f| f.keys(meta).into_iter().map(move |k| (*f, k)))
            .collect(),
        date: meta.date,
        duree_minutes: meta.duree.as_ref().map(|d| d.minutes),
    }
}

/// A problem of the index kept under `root`.
pub fn index_error(root: &Path, err: &crate::index::IndexError) -> Diagnostic {
    Diagnostic::new(
        ErrorKind::Io,
        index_dir(root),
        format!("index de recherche : {err}"),
    )
}

/// The related scenarios of every scenario.
pub fn related_of(
    root: &Path,
    index: &SearchIndex,
) -> Result<BTreeMap<String, Vec<String>>, Vec<Diagnostic>> {
    index
        .related(RELATED_COUNT)
        .map_err(|e| vec![index_error(root, &e)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Auteur, Duree};
    use crate::vocab::Vocabularies;

    /// Every field of the metadata changed in turn: whenever the document changes, its key
    /// changes too (a key that stayed would keep a stale document in the index).
    #[test]
    fn the_document_key_follows_every_field_the_document_reads() {
        let vocabs = Vocabularies::builtin().expect("built-in vocabularies");
        let metadata = MetadataWords::new(&vocabs);
        let made_with = DocumentMaking {
            program: [1; 32],
            vocabulary: metadata.fingerprint(),
        };
        let base = Scenario::example("fractions");
        let body = [7; 32];
        type Change = fn(&mut Scenario);
        let changes: &[(&str, Change)] = &[
            ("slug", |s| s.slug = "autre".into()),
            ("titre", |s| s.meta.titre = "Autre titre".into()),
            ("resume", |s| s.meta.resume = "Autre résumé.".into()),
            ("date", |s| {
                s.meta.date = chrono::NaiveDate::from_ymd_opt(2024, 1, 2).expect("date")
            }),
            ("mise_a_jour", |s| {
                s.meta.mise_a_jour = s.meta.date.succ_opt()
            }),
            ("auteurs", |s| {
                s.meta.auteurs = vec![Auteur {
                    nom: "Camille Martin".into(),
                    fonction: None,
                    etablissement: None,
                }]
            }),
            ("academie", |s| s.meta.academie = "ac-rennes".into()),
            ("disciplines", |s| s.meta.disciplines = vec!["svt".into()]),
            ("niveaux", |s| s.meta.niveaux = vec!["6e".into()]),
            ("cycles", |s| s.meta.cycles = vec!["cycle-3".into()]),
            ("types", |s| s.meta.types = vec!["sequence".into()]),
            ("modalites", |s| s.meta.modalites = vec!["classe".into()]),
            ("duree", |s| {
                s.meta.duree = Some(Duree {
                    affichage: "55 min".into(),
                    iso: "PT55M".into(),
                    minutes: 55,
                })
            }),
            ("outils", |s| s.meta.outils = vec!["GeoGebra".into()]),
            ("competences", |s| {
                s.meta.competences_numeriques = vec!["1.1".into()]
            }),
            ("mots_cles", |s| s.meta.mots_cles = vec!["fractions".into()]),
            ("licence", |s| s.meta.licence = "CC-BY-4.0".into()),
            ("vignette", |s| s.meta.vignette = Some("image.png".into())),
            ("url_source", |s| {
                s.meta.url_source = Some("https://a.fr".into())
            }),
            ("brouillon", |s| s.meta.brouillon = true),
        ];
        let key = |s: &Scenario| index_doc_key(s, &body, &made_with);
        let doc = |s: &Scenario| index_doc_with(s, String::new(), &metadata);
        let mut changed_documents = 0;
        for (field, change) in changes {
            let mut other = base.clone();
            change(&mut other);
            if doc(&other) != doc(&base) {
                changed_documents += 1;
                assert_ne!(key(&other), key(&base), "{field}");
            }
        }
        assert!(changed_documents >= 14, "{changed_documents}");
        assert_ne!(
            key(&base),
            index_doc_key(&base, &[8; 32], &made_with),
            "body"
        );
        let other_program = DocumentMaking {
            program: [2; 32],
            ..made_with
        };
        assert_ne!(key(&base), index_doc_key(&base, &body, &other_program));
    }

    #[test]
    fn the_vocabulary_fingerprint_follows_the_words() {
        let vocabs = Vocabularies::builtin().expect("built-in vocabularies");
        let words = MetadataWords::new(&vocabs);
        assert_eq!(
            words.fingerprint(),
            MetadataWords::new(&vocabs).fingerprint()
        );
        let mut other = vocabs.clone();
        let mut entries = other
            .get(crate::vocab::VocabName::Levels)
            .entries()
            .to_vec();
        entries[0].libelle = format!("{} bis", entries[0].libelle);
        other.extend(crate::vocab::VocabName::Levels, entries);
        assert_ne!(
            words.fingerprint(),
            MetadataWords::new(&other).fingerprint()
        );
    }
}
