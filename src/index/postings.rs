//! Export of the index's postings with their BM25 contributions, for the browser bundle.
//!
//! The browser cannot run tantivy, so it receives, for every term, the score each document
//! gets from that term: the same boosted BM25 that a one-word `vitrine search` computes, from
//! tantivy's own weights and field norms (nothing is re-tokenised or re-counted here).
//!
//! The work is split into jobs run on rayon's pool: each field's term dictionary in ranges of
//! about [`TERMS_PER_JOB`] terms (the body holds most of them), then one merge per term of
//! its fields' postings. The result does not depend on how the work was split.

use std::collections::HashMap;

use rayon::prelude::*;
use tantivy::postings::{Postings, TermInfo};
use tantivy::query::Bm25Weight;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::termdict::{TermDictionary, TermMerger};
use tantivy::{DocAddress, DocSet, Searcher, TantivyDocument, TERMINATED};

use super::schema::Fields;
use super::{DocMeta, IndexError, SearchIndex};

/// Terms of one field read by one job: enough to outweigh a job's setup, few enough that the
/// body field of a small site is already shared between both cores.
const TERMS_PER_JOB: usize = 8_192;

/// One term and the documents holding it in any text field.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedTerm {
    pub term: String,
    /// `(ordinal, contribution)`, ordinals strictly increasing.
    pub postings: Vec<(u32, f32)>,
}

/// `(ordinal, contribution)` of one term in one field, or in all of them.
type Scored = Vec<(u32, f32)>;

/// Terms from `.0` (included) to `.1` (excluded), `None` for no bound.
type TermRange = (Option<Vec<u8>>, Option<Vec<u8>>);

/// A term's key (its bytes) and its postings in one field, sorted by ordinal (stable).
type FieldTerm = (Vec<u8>, Scored);

pub(super) fn export_terms(
    searcher: &Searcher,
    fields: &Fields,
    docs: &HashMap<DocAddress, DocMeta>,
    order: &[String],
) -> Result<Vec<ExportedTerm>, IndexError> {
    export_terms_in_jobs(searcher, fields, docs, order, TERMS_PER_JOB)
}

/// [`export_terms`], each job reading about `terms_per_job` terms of a field.
fn export_terms_in_jobs(
    searcher: &Searcher,
    fields: &Fields,
    docs: &HashMap<DocAddress, DocMeta>,
    order: &[String],
    terms_per_job: usize,
) -> Result<Vec<ExportedTerm>, IndexError> {
    let ordinals = Ordinals::new(searcher, docs, order);
    let fields = fields.boosted_text();
    let mut jobs = Vec::new();
    for (position, &(field, boost)) in fields.iter().enumerate() {
        for (low, high) in term_ranges(searcher, field, terms_per_job)? {
            jobs.push(Job {
                position,
                field,
                boost,
                low,
                high,
            });
        }
    }
    // Jobs are listed by field, then by range: collected in that order, each field's terms
    // come out in dictionary order.
    let results: Vec<Vec<FieldTerm>> = jobs
        .par_iter()
        .map(|job| job.run(searcher, &ordinals))
        .collect::<Result<_, _>>()?;
    let mut per_field: Vec<Vec<FieldTerm>> = vec![Vec::new(); fields.len()];
    for (job, terms) in jobs.iter().zip(results) {
        per_field[job.position].extend(terms);
    }
    Ok(group_by_term(per_field)
        .into_par_iter()
        .map(|(key, lists)| ExportedTerm {
            term: String::from_utf8_lossy(&key).into_owned(),
            postings: merge_fields(lists),
        })
        .collect())
}

/// The stored plain text of each document's body, with its ordinal (as in
/// [`SearchIndex::doc_order`]), a batch at a time: the browser bundle's passages come from the
/// text the CLI's excerpts are cut from, even when the index was reused from a previous build.
/// Documents are taken in store order, so that the documents of a compressed block are read
/// together.
pub struct Bodies<'i> {
    index: &'i SearchIndex,
    /// `(address, ordinal)` by address, and the next one to read.
    pending: Vec<(DocAddress, u32)>,
    next: usize,
}

impl<'i> Bodies<'i> {
    pub fn of(index: &'i SearchIndex) -> Bodies<'i> {
        let mut pending: Vec<(DocAddress, u32)> = index
            .ordered_addresses()
            .into_iter()
            .enumerate()
            .map(|(ordinal, address)| (address, ordinal as u32))
            .collect();
        pending.sort_unstable();
        Bodies {
            index,
            pending,
            next: 0,
        }
    }

    /// `make(ordinal, body)` of the next `n` documents, run on rayon's pool, in store order;
    /// `None` once every document was given. A document for which `known(ordinal)` gives a
    /// value is not read: that value stands for it.
    pub fn next_batch<T: Send>(
        &mut self,
        n: usize,
        known: impl Fn(u32) -> Option<T> + Sync,
        make: impl Fn(u32, &str) -> T + Sync,
    ) -> Option<Result<Vec<T>, IndexError>> {
        let batch = self.pending.get(self.next..)?;
        if batch.is_empty() {
            return None;
        }
        let batch = &batch[..n.max(1).min(batch.len())];
        self.next += batch.len();
        let index = self.index;
        Some(
            batch
                .par_iter()
                .map(|&(address, ordinal)| {
                    if let Some(value) = known(ordinal) {
                        return Ok(value);
                    }
                    let doc: TantivyDocument = index.searcher.doc(address)?;
                    let body = doc
                        .get_first(index.fields.body)
                        .and_then(|value| value.as_str())
                        .unwrap_or_default();
                    Ok(make(ordinal, body))
                })
                .collect(),
        )
    }
}

/// Ordinal of each live document, by segment and document id (`NONE` for the others).
struct Ordinals {
    by_segment: Vec<Vec<u32>>,
}

impl Ordinals {
    const NONE: u32 = u32::MAX;

    fn new(searcher: &Searcher, docs: &HashMap<DocAddress, DocMeta>, order: &[String]) -> Self {
        let ordinal_of_slug: HashMap<&str, u32> = order
            .iter()
            .enumerate()
            .map(|(ordinal, slug)| (slug.as_str(), ordinal as u32))
            .collect();
        let mut by_segment: Vec<Vec<u32>> = searcher
            .segment_readers()
            .iter()
            .map(|reader| vec![Self::NONE; reader.max_doc() as usize])
            .collect();
        for (address, meta) in docs {
            let slot = by_segment
                .get_mut(address.segment_ord as usize)
                .and_then(|segment| segment.get_mut(address.doc_id as usize));
            if let (Some(slot), Some(ordinal)) = (slot, ordinal_of_slug.get(meta.slug.as_str())) {
                *slot = *ordinal;
            }
        }
        Ordinals { by_segment }
    }

    fn get(&self, segment: usize, doc: u32) -> Option<u32> {
        let ordinal = *self.by_segment.get(segment)?.get(doc as usize)?;
        (ordinal != Self::NONE).then_some(ordinal)
    }
}

/// The terms `[low, high)` of one field (`None`: unbounded).
struct Job {
    /// Position of the field in [`Fields::boosted_text`].
    position: usize,
    field: Field,
    boost: f32,
    low: Option<Vec<u8>>,
    high: Option<Vec<u8>>,
}

/// Splits the terms of `field` (as the first segment has them) into ranges of about
/// `terms_per_job` terms, in order.
fn term_ranges(
    searcher: &Searcher,
    field: Field,
    terms_per_job: usize,
) -> Result<Vec<TermRange>, IndexError> {
    let Some(reader) = searcher.segment_readers().first() else {
        return Ok(Vec::new());
    };
    let inverted = reader.inverted_index(field)?;
    let dictionary = inverted.terms();
    let mut bounds: Vec<Option<Vec<u8>>> = vec![None];
    let jobs = dictionary.num_terms().div_ceil(terms_per_job.max(1)).max(1);
    for part in 1..jobs {
        let mut key = Vec::new();
        let ordinal = (part * dictionary.num_terms() / jobs) as u64;
        if dictionary.ord_to_term(ordinal, &mut key)? {
            bounds.push(Some(key));
        }
    }
    bounds.push(None);
    Ok(bounds
        .windows(2)
        .map(|pair| (pair[0].clone(), pair[1].clone()))
        .collect())
}

impl Job {
    /// The boosted BM25 score of every (term, document) of the job's terms, by term.
    ///
    /// The terms of all segments are walked together (tantivy's `TermMerger`, in byte order):
    /// a term's document frequency is the sum of its segments' and its postings are read
    /// segment after segment, so an index in several segments gives what one segment would.
    fn run(&self, searcher: &Searcher, ordinals: &Ordinals) -> Result<Vec<FieldTerm>, IndexError> {
        let readers = searcher.segment_readers();
        let total_docs: u64 = readers.iter().map(|r| u64::from(r.max_doc())).sum();
        if total_docs == 0 {
            return Ok(Vec::new());
        }
        let inverted = readers
            .iter()
            .map(|reader| reader.inverted_index(self.field))
            .collect::<Result<Vec<_>, _>>()?;
        let fieldnorms = readers
            .iter()
            .map(|reader| reader.get_fieldnorms_reader(self.field))
            .collect::<Result<Vec<_>, _>>()?;
        let total_tokens: u64 = inverted.iter().map(|i| i.total_num_tokens()).sum();
        // Exactly what `Bm25Weight::for_terms` computes for a term query.
        let average_fieldnorm = total_tokens as f32 / total_docs as f32;
        // A weight depends on the term only through its document frequency, and building one
        // fills a table of 256 floats: one per frequency met, not one per term.
        let mut weights: HashMap<u64, Bm25Weight> = HashMap::new();
        let streams = inverted
            .iter()
            .map(|index| self.stream(index.terms()))
            .collect::<Result<Vec<_>, _>>()?;
        let mut merger = TermMerger::new(streams);
        let mut by_term: Vec<FieldTerm> = Vec::new();
        let mut infos: Vec<(usize, TermInfo)> = Vec::new();
        while merger.advance() {
            infos.clear();
            infos.extend(merger.current_segment_ords_and_term_infos());
            let doc_freq: u64 = infos.iter().map(|(_, info)| u64::from(info.doc_freq)).sum();
            let weight = weights.entry(doc_freq).or_insert_with(|| {
                Bm25Weight::for_one_term_without_explain(doc_freq, total_docs, average_fieldnorm)
            });
            // Grown by pushes, the lists of a national site would hold a third more than
            // their postings until the bundle is written.
            let mut scored: Scored = Vec::with_capacity(doc_freq as usize);
            for (segment, info) in &infos {
                let mut postings = inverted[*segment]
                    .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
                let norms = &fieldnorms[*segment];
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if let Some(ordinal) = ordinals.get(*segment, doc) {
                        let score = weight.score(norms.fieldnorm_id(doc), postings.term_freq());
                        // `BoostQuery` multiplies the score, it does not reweight.
                        scored.push((ordinal, score * self.boost));
                    }
                    doc = postings.advance();
                }
            }
            if scored.is_empty() {
                continue;
            }
            // Stable (and linear on the usual already sorted lists): a document found twice
            // keeps its contributions in segment order.
            scored.sort_by_key(|(ordinal, _)| *ordinal);
            scored.shrink_to_fit();
            by_term.push((merger.key().to_vec(), scored));
        }
        Ok(by_term)
    }

    fn stream<'d>(
        &self,
        dictionary: &'d TermDictionary,
    ) -> std::io::Result<tantivy::termdict::TermStreamer<'d>> {
        let mut range = dictionary.range();
        if let Some(low) = &self.low {
            range = range.ge(low);
        }
        if let Some(high) = &self.high {
            range = range.lt(high);
        }
        range.into_stream()
    }
}

/// Gathers the fields' postings of each term, in byte order of the terms; each term's lists
/// are in field order.
fn group_by_term(per_field: Vec<Vec<FieldTerm>>) -> Vec<(Vec<u8>, Vec<Scored>)> {
    let mut fields: Vec<std::iter::Peekable<std::vec::IntoIter<FieldTerm>>> = per_field
        .into_iter()
        .map(|terms| terms.into_iter().peekable())
        .collect();
    let mut grouped = Vec::new();
    loop {
        let smallest = fields
            .iter_mut()
            .filter_map(|terms| terms.peek().map(|(key, _)| key))
            .min()
            .cloned();
        let Some(key) = smallest else { break };
        let lists: Vec<Scored> = fields
            .iter_mut()
            .filter_map(|terms| terms.next_if(|(next, _)| *next == key))
            .map(|(_, scored)| scored)
            .collect();
        grouped.push((key, lists));
    }
    grouped
}

/// Adds up the contributions of the fields of one document, given each field's postings
/// sorted by ordinal, in field order.
fn merge_fields(lists: Vec<Scored>) -> Scored {
    let mut lists = lists.into_iter();
    let mut postings = lists.next().unwrap_or_default();
    let mut several = false;
    for list in lists {
        postings.reserve_exact(list.len());
        postings.extend(list);
        several = true;
    }
    if several {
        // Stable, on sorted runs: the contributions of a document stay in field order, like
        // tantivy's union.
        postings.sort_by_key(|(ordinal, _)| *ordinal);
    }
    // `dedup_by` hands (later, kept): the kept total grows in list order.
    postings.dedup_by(|(ordinal, score), (kept, total)| {
        let same = ordinal == kept;
        if same {
            *total += *score;
        }
        same
    });
    if several {
        postings.shrink_to_fit();
    }
    postings
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;
    use tantivy::merge_policy::NoMergePolicy;
    use tantivy::{Index, IndexWriter, Term};

    use super::*;
    use crate::index::{french_analyzer, schema, IndexDoc, SearchIndex, ANALYZER_NAME};

    #[test]
    fn contributions_of_one_document_are_added_up() {
        let merged = merge_fields(vec![
            vec![(1, 2.0), (3, 1.0)],
            vec![(2, 4.0), (3, 0.5)],
            vec![(3, 0.25)],
        ]);
        assert_eq!(merged, vec![(1, 2.0), (2, 4.0), (3, 1.75)]);
        assert_eq!(merge_fields(vec![vec![(4, 1.0), (4, 2.0)]]), vec![(4, 3.0)]);
    }

    #[test]
    fn terms_are_grouped_in_byte_order_with_lists_in_field_order() {
        let key = |k: &str| k.as_bytes().to_vec();
        let grouped = group_by_term(vec![
            vec![(key("b"), vec![(1, 1.0)]), (key("c"), vec![(2, 1.0)])],
            vec![(key("a"), vec![(3, 2.0)]), (key("b"), vec![(4, 2.0)])],
        ]);
        let keys: Vec<&[u8]> = grouped.iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(keys, [b"a".as_slice(), b"b", b"c"]);
        assert_eq!(grouped[1].1, vec![vec![(1, 1.0)], vec![(4, 2.0)]]);
    }

    fn doc(slug: &str, titre: &str, body: &str, day: u32) -> IndexDoc {
        IndexDoc {
            slug: slug.to_string(),
            titre: titre.to_string(),
            resume: format!("Résumé de {titre}"),
            body: body.to_string(),
            mots_cles: vec!["volcans".to_string(), titre.to_string()],
            outils: Vec::new(),
            auteurs: vec!["Marie Curie".to_string()],
            metadonnees: Vec::new(),
            facets: Vec::new(),
            date: NaiveDate::from_ymd_opt(2024, 1, day).expect("valid date"),
            duree_minutes: None,
        }
    }

    fn corpus() -> Vec<IndexDoc> {
        let words = [
            "volcan",
            "séisme",
            "carte",
            "élève",
            "groupe",
            "fraction",
            "lecture",
            "théâtre",
            "mesure",
            "énergie",
            "climat",
            "poésie",
        ];
        (0..24u32)
            .map(|i| {
                let body: Vec<&str> = (0..40u32)
                    .map(|j| words[((i * 7 + j * j) % 12) as usize])
                    .collect();
                let titre = format!(
                    "{} et {}",
                    words[(i % 12) as usize],
                    words[(i % 5) as usize]
                );
                doc(&format!("s{i:02}"), &titre, &body.join(" "), 1 + i % 28)
            })
            .collect()
    }

    /// The index of `docs` in `segments` segments (no merge), less the document `deleted`.
    fn index_in_segments(docs: &[IndexDoc], segments: usize, deleted: Option<&str>) -> SearchIndex {
        let (tantivy_schema, fields) = schema::build_schema();
        let index = Index::create_in_ram(tantivy_schema);
        index
            .tokenizers()
            .register(ANALYZER_NAME, french_analyzer());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for chunk in docs.chunks(docs.len().div_ceil(segments)) {
            for doc in chunk {
                writer.add_document(fields.document(doc)).expect("added");
            }
            writer.commit().expect("committed");
        }
        if let Some(slug) = deleted {
            writer.delete_term(Term::from_field_text(fields.slug, slug));
            writer.commit().expect("committed");
        }
        SearchIndex::from_index(index, fields).expect("opened")
    }

    /// The export as it was first written: one pass per field over every segment, every
    /// document frequency asked of the searcher, postings gathered by term then sorted.
    fn straightforward(index: &SearchIndex) -> Vec<ExportedTerm> {
        let searcher = &index.searcher;
        let order = index.doc_order();
        let ordinal_of: HashMap<&str, u32> = order
            .iter()
            .enumerate()
            .map(|(ordinal, slug)| (slug.as_str(), ordinal as u32))
            .collect();
        let total_docs: u64 = searcher
            .segment_readers()
            .iter()
            .map(|r| u64::from(r.max_doc()))
            .sum();
        let mut by_term: BTreeMap<Vec<u8>, Scored> = BTreeMap::new();
        for (field, boost) in index.fields.boosted_text() {
            let tokens: u64 = searcher
                .segment_readers()
                .iter()
                .map(|r| r.inverted_index(field).expect("field").total_num_tokens())
                .sum();
            let average = tokens as f32 / total_docs as f32;
            for (segment, reader) in searcher.segment_readers().iter().enumerate() {
                let inverted = reader.inverted_index(field).expect("field");
                let norms = reader.get_fieldnorms_reader(field).expect("norms");
                let mut stream = inverted.terms().stream().expect("stream");
                while stream.advance() {
                    let term = Term::from_field_bytes(field, stream.key());
                    let df = searcher.doc_freq(&term).expect("doc freq");
                    let weight = Bm25Weight::for_one_term_without_explain(df, total_docs, average);
                    let mut postings = inverted
                        .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)
                        .expect("postings");
                    let entry = by_term.entry(stream.key().to_vec()).or_default();
                    while postings.doc() != TERMINATED {
                        let address = DocAddress::new(segment as u32, postings.doc());
                        if let Some(meta) = index.docs.get(&address) {
                            let norm = norms.fieldnorm_id(postings.doc());
                            let score = weight.score(norm, postings.term_freq()) * boost;
                            entry.push((ordinal_of[meta.slug.as_str()], score));
                        }
                        postings.advance();
                    }
                }
            }
        }
        by_term
            .into_iter()
            .filter(|(_, postings)| !postings.is_empty())
            .map(|(term, mut postings)| {
                postings.sort_by_key(|(ordinal, _)| *ordinal);
                ExportedTerm {
                    term: String::from_utf8_lossy(&term).into_owned(),
                    postings: merge_fields(vec![postings]),
                }
            })
            .collect()
    }

    fn exported(index: &SearchIndex, terms_per_job: usize) -> Vec<ExportedTerm> {
        let order = index.doc_order();
        export_terms_in_jobs(
            &index.searcher,
            &index.fields,
            &index.docs,
            &order,
            terms_per_job,
        )
        .expect("export")
    }

    /// Same terms, same ordinals, same contributions to the bit.
    fn assert_same(found: &[ExportedTerm], expected: &[ExportedTerm]) {
        assert_eq!(found.len(), expected.len());
        for (f, e) in found.iter().zip(expected) {
            assert_eq!(f.term, e.term);
            let bits = |t: &ExportedTerm| -> Vec<(u32, u32)> {
                t.postings.iter().map(|(o, s)| (*o, s.to_bits())).collect()
            };
            assert_eq!(bits(f), bits(e), "{}", f.term);
        }
    }

    #[test]
    fn bodies_come_in_batches_in_store_order_with_their_ordinals() {
        let docs = corpus();
        let index = index_in_segments(&docs, 2, Some("s03"));
        let order = index.doc_order();
        let mut bodies = Bodies::of(&index);
        let mut seen = Vec::new();
        let mut batches = 0;
        while let Some(batch) =
            bodies.next_batch(5, |_| None, |ordinal, body| (ordinal, body.to_string()))
        {
            let batch = batch.expect("bodies read");
            assert!(!batch.is_empty() && batch.len() <= 5);
            seen.extend(batch);
            batches += 1;
        }
        assert_eq!(batches, order.len().div_ceil(5));
        assert!(bodies
            .next_batch(5, |_| None, |ordinal, _| ordinal)
            .is_none());
        // Every live document once, with its own body, in store order: by segment, then in
        // the order documents were added (slug order).
        let slugs: Vec<&str> = seen
            .iter()
            .map(|(o, _)| order[*o as usize].as_str())
            .collect();
        let mut stored: Vec<(DocAddress, &str)> = index
            .docs
            .iter()
            .map(|(address, meta)| (*address, meta.slug.as_str()))
            .collect();
        stored.sort_unstable();
        let expected: Vec<&str> = stored.into_iter().map(|(_, slug)| slug).collect();
        assert_eq!(slugs, expected);
        assert!(!slugs.contains(&"s03"));
        for (ordinal, body) in &seen {
            let doc = docs.iter().find(|d| d.slug == order[*ordinal as usize]);
            assert_eq!(doc.map(|d| d.body.as_str()), Some(body.as_str()));
        }
    }

    #[test]
    fn known_bodies_are_not_read() {
        let docs = corpus();
        let index = index_in_segments(&docs, 2, None);
        let mut bodies = Bodies::of(&index);
        let known = |ordinal: u32| {
            ordinal
                .is_multiple_of(2)
                .then(|| (ordinal, "connu".to_string()))
        };
        let mut seen = Vec::new();
        while let Some(batch) = bodies.next_batch(3, known, |o, body| (o, body.to_string())) {
            seen.extend(batch.expect("bodies read"));
        }
        let order = index.doc_order();
        assert_eq!(seen.len(), order.len());
        for (ordinal, body) in &seen {
            if ordinal.is_multiple_of(2) {
                assert_eq!(body, "connu");
            } else {
                let doc = docs.iter().find(|d| d.slug == order[*ordinal as usize]);
                assert_eq!(doc.map(|d| d.body.as_str()), Some(body.as_str()));
            }
        }
    }

    #[test]
    fn split_jobs_export_what_one_pass_does() {
        let index = index_in_segments(&corpus(), 1, None);
        let expected = straightforward(&index);
        // Words found in the title, keywords and body, added up across fields.
        assert!(expected
            .iter()
            .any(|t| t.term == "volcan" && t.postings.len() == 24));
        for terms_per_job in [1, 2, 5, TERMS_PER_JOB] {
            assert_same(&exported(&index, terms_per_job), &expected);
        }
    }

    #[test]
    fn several_segments_and_deleted_documents_export_the_same_way() {
        let index = index_in_segments(&corpus(), 3, Some("s05"));
        assert_eq!(index.searcher.segment_readers().len(), 3);
        let expected = straightforward(&index);
        assert_eq!(index.doc_order().len(), 23);
        for terms_per_job in [1, 3, TERMS_PER_JOB] {
            assert_same(&exported(&index, terms_per_job), &expected);
        }
    }
}
