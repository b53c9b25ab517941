//! Related scenarios, from the term vectors stored in the inverted index.
//!
//! tantivy's `MoreLikeThisQuery` picks its terms through a `HashMap` and breaks score ties
//! arbitrarily, so its results could change from one build to the next. We compute an explicit
//! TF-IDF similarity instead, iterating the term dictionaries in their (sorted) order:
//!
//! - each document is a vector of `(field, term)` weights `√boost × (1 + ln tf) × idf`: weights
//!   multiply in the dot product, so a term shared in a field counts `boost` times;
//! - the similarity of `b` to `a` is the cosine restricted to the [`QUERY_TERMS`] heaviest terms
//!   of `a` that some other document shares (as `MoreLikeThis` does);
//! - terms in more than a tenth of the documents (above a floor of 50, and at most 1,000
//!   documents) are not compared;
//! - sharing a discipline or a level adds a small bonus;
//! - ties are broken by slug.
//!
//! A rebuild after an edit computes again only what may have changed: each document has a
//! fingerprint of what others' scores read of it (its comparable terms with their weights, its
//! norm, its facet values). With the same documents as the previous build, the list of `a` is
//! computed again only when `a` changed or when one of its query terms is a term of a document
//! that changed; any other list is the previous one, which the same computation would give.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::termdict::TermMerger;
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED};

use super::schema::{Fields, BODY, MOTS_CLES, OUTILS, RESUME, TITRE};
use super::{DocMeta, IndexError, FIELD_BOOSTS};
use crate::content::Facet;

/// Text fields that describe what a scenario is about (authors do not).
const RELATED_FIELDS: &[&str] = &[TITRE, MOTS_CLES, RESUME, OUTILS, BODY];

/// Bonus added per shared facet value; the text similarity is between 0 and 1.
const FACET_BONUS: &[(Facet, f32)] = &[(Facet::Subjects, 0.1), (Facet::Levels, 0.05)];

/// Terms found in more than a tenth of the documents (and more than this many) are not used to
/// look for similar documents: « élève », « classe » or « séance » say nothing of what two
/// scenarios share.
const MAX_DF_FLOOR: usize = 50;

/// …nor terms found in more than this many documents, whatever the size of the site: the work
/// for one document grows with the length of the postings it walks, so this bound keeps the
/// whole computation linear in the number of documents. (With a fifth and 2,000 instead, the
/// related scenarios of a generated corpus of 10,000 took 2.5 times longer to compute, and 82 %
/// of the chosen ones were the same.)
const MAX_DF_CAP: usize = 1_000;

/// Number of terms of a document used to look for similar ones: Lucene's `MoreLikeThis`
/// default. The work per document grows with it (each term walks up to [`MAX_DF_CAP`]
/// postings). With 64 terms instead, related scenarios took 2.5 times longer to compute on a
/// generated corpus of 10,000 scenarios, and 77 % of the chosen ones were the same.
const QUERY_TERMS: usize = 25;

/// Postings of one term: `(document index, weight)`.
type TermPostings = Vec<(u32, f32)>;

/// `(document index, term frequency)`.
type DocFrequency = (u32, u32);

/// Slug → the slugs of its related scenarios, most similar first.
pub type RelatedLists = BTreeMap<String, Vec<String>>;

/// What a later computation needs to know of one document's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memo {
    /// Fingerprint of what the scores of other documents read of this one (see
    /// [`fingerprint`]).
    pub fingerprint: u64,
    /// Bits of the score of the last document chosen, when as many as asked for were chosen by
    /// similarity (`None` when the list was completed in slug order).
    pub last_score: Option<u32>,
}

/// Slug → [`Memo`].
pub type Memos = BTreeMap<String, Memo>;

/// The related scenarios of a previous computation and what they were computed from.
pub struct PreviousRelated<'a> {
    pub related: &'a RelatedLists,
    pub memos: &'a Memos,
}

/// Related scenarios of every document, with what a later computation compares.
#[derive(Debug, Default)]
pub struct Related {
    pub related: RelatedLists,
    pub memos: Memos,
    /// Documents whose list was computed (the others were taken from the previous lists).
    pub computed: usize,
}

/// The previous computation, by document index, when it was of the same documents: positions,
/// document count and so every weight's inverse document frequency are the same.
struct Previous<'p> {
    lists: Vec<&'p Vec<String>>,
    /// Per document: its previous list as document indexes.
    indexes: Vec<Vec<usize>>,
    last_scores: Vec<Option<f32>>,
    /// Per document: whether its fingerprint changed.
    changed: Vec<bool>,
    /// The comparable terms of the changed documents: term index → `(document, weight)`.
    changed_postings: HashMap<u32, Vec<(u32, f32)>>,
}

/// `seed`: what else the results depend on (the program that computes them); memos made
/// under another seed never match.
pub(super) fn related(
    searcher: &Searcher,
    fields: &Fields,
    docs: &HashMap<DocAddress, DocMeta>,
    n: usize,
    seed: &[u8],
    previous: Option<PreviousRelated>,
) -> Result<Related, IndexError> {
    let mut addresses: Vec<(&str, DocAddress)> = docs
        .iter()
        .map(|(address, meta)| (meta.slug.as_str(), *address))
        .collect();
    addresses.sort();
    let position = Positions::new(searcher, &addresses);
    let doc_count = addresses.len();

    let vectors = TermVectors::collect(searcher, fields, &position, doc_count)?;
    let facets = facet_values(searcher, fields, &position, doc_count)?;
    let seed = [
        seed,
        &(n as u64).to_le_bytes(),
        &(doc_count as u64).to_le_bytes(),
    ]
    .concat();
    let fingerprints: Vec<u64> = (0..doc_count)
        .into_par_iter()
        .map(|a| fingerprint(&seed, &vectors, &facets, a))
        .collect();
    let previous = previous.and_then(|p| Previous::of(p, &addresses, &fingerprints, &vectors));
    let context = Context {
        vectors: &vectors,
        facets: &facets,
        n,
    };

    let lists: Vec<(Vec<String>, Option<f32>, bool)> = addresses
        .par_iter()
        .enumerate()
        .map_init(
            || Scratch {
                scores: vec![0.0_f32; doc_count],
                touched: Vec::new(),
                shared_bonus: Vec::new(),
            },
            |scratch, (a, _)| {
                if let Some(previous) = &previous {
                    if context.previous_stands(a, previous, scratch) {
                        let list = previous.lists[a].clone();
                        return (list, previous.last_scores[a], false);
                    }
                }
                let (chosen, last_score) = context.compute(a, scratch);
                let list = chosen
                    .into_iter()
                    .map(|b| addresses[b].0.to_string())
                    .collect();
                (list, last_score, true)
            },
        )
        .collect();
    let mut related = Related::default();
    for (((slug, _), fingerprint), (list, last_score, computed)) in
        addresses.iter().zip(fingerprints).zip(lists)
    {
        related.related.insert(slug.to_string(), list);
        let last_score = last_score.map(f32::to_bits);
        related.memos.insert(
            slug.to_string(),
            Memo {
                fingerprint,
                last_score,
            },
        );
        related.computed += usize::from(computed);
    }
    Ok(related)
}

impl<'p> Previous<'p> {
    fn of(
        previous: PreviousRelated<'p>,
        addresses: &[(&str, DocAddress)],
        fingerprints: &[u64],
        vectors: &TermVectors,
    ) -> Option<Previous<'p>> {
        if previous.memos.len() != addresses.len() {
            return None;
        }
        let index_of = |slug: &str| addresses.binary_search_by_key(&slug, |(s, _)| *s).ok();
        let mut this = Previous {
            lists: Vec::with_capacity(addresses.len()),
            indexes: Vec::with_capacity(addresses.len()),
            last_scores: Vec::with_capacity(addresses.len()),
            changed: Vec::with_capacity(addresses.len()),
            changed_postings: HashMap::new(),
        };
        let changed = addresses
            .iter()
            .zip(fingerprints)
            .filter(|((slug, _), fingerprint)| {
                previous.memos.get(*slug).map(|memo| memo.fingerprint) != Some(**fingerprint)
            })
            .count();
        // Most documents changed (another program, another vocabulary): every list is computed,
        // without copying the vectors of the changed documents.
        if changed * 2 > addresses.len() {
            return None;
        }
        for ((slug, _), fingerprint) in addresses.iter().zip(fingerprints) {
            let list = previous.related.get(*slug)?;
            let memo = previous.memos.get(*slug)?;
            let indexes = list
                .iter()
                .map(|other| index_of(other))
                .collect::<Option<Vec<usize>>>()?;
            this.lists.push(list);
            this.indexes.push(indexes);
            this.last_scores.push(memo.last_score.map(f32::from_bits));
            this.changed.push(memo.fingerprint != *fingerprint);
        }
        for (b, _) in this.changed.iter().enumerate().filter(|(_, &c)| c) {
            for &(term, weight) in &vectors.docs[b] {
                let postings = this.changed_postings.entry(term).or_default();
                postings.push((b as u32, weight));
            }
        }
        Some(this)
    }
}

/// What the list of one document is computed from.
struct Context<'v> {
    vectors: &'v TermVectors,
    facets: &'v FacetValues,
    n: usize,
}

impl Context<'_> {
    /// The list of `a` as document indexes, and the score of its last document when as many
    /// as asked for were similar.
    fn compute(&self, a: usize, scratch: &mut Scratch) -> (Vec<usize>, Option<f32>) {
        let (vectors, facets, n) = (self.vectors, self.facets, self.n);
        let mut best = Best::new(n);
        vectors.accumulate(a, scratch);
        facets.bonuses_of(a, &mut scratch.shared_bonus);
        for &b in &scratch.touched {
            let b = b as usize;
            let score = vectors.cosine(a, b, scratch.scores[b]);
            scratch.scores[b] = 0.0;
            if b != a {
                best.offer(b, score + facets.bonus(&scratch.shared_bonus, b));
            }
        }
        let last_score = best.last_score();
        let mut chosen = best.into_indexes();
        // Too few similar documents: complete with the others, in slug order.
        let doc_count = vectors.docs.len();
        let mut next = 0;
        while chosen.len() < n && next < doc_count {
            if next != a && !chosen.contains(&next) {
                chosen.push(next);
            }
            next += 1;
        }
        (chosen, last_score)
    }

    /// Whether the previous list of `a` is what [`Context::compute`] would give: `a` did not
    /// change, no document of its list changed, and no changed document now scores into it
    /// (the scores of the others did not change). A changed document's score is added up over
    /// the same query terms in the same order as in [`TermVectors::accumulate`]: the same bits.
    fn previous_stands(&self, a: usize, previous: &Previous, scratch: &mut Scratch) -> bool {
        let list = &previous.indexes[a];
        if previous.changed[a] || list.iter().any(|&b| previous.changed[b]) {
            return false;
        }
        let vectors = self.vectors;
        scratch.touched.clear();
        for (term, weight_a) in heaviest_terms(&vectors.docs[a], QUERY_TERMS) {
            let Some(postings) = previous.changed_postings.get(&term) else {
                continue;
            };
            for &(b, weight_b) in postings {
                let score = &mut scratch.scores[b as usize];
                if *score == 0.0 {
                    scratch.touched.push(b);
                }
                *score += weight_a * weight_b;
            }
        }
        if scratch.touched.is_empty() {
            return true;
        }
        // Fewer than asked for were similar: a changed document may now be one of them.
        let last = previous.last_scores[a].zip(list.last().copied());
        self.facets.bonuses_of(a, &mut scratch.shared_bonus);
        let mut stands = last.is_some();
        for &b in &scratch.touched {
            let b = b as usize;
            let score = vectors.cosine(a, b, scratch.scores[b])
                + self.facets.bonus(&scratch.shared_bonus, b);
            scratch.scores[b] = 0.0;
            if let Some((last_score, last_doc)) = last {
                // As `Best::offer` would: kept only if it comes before the last one kept.
                let after_last = last_score
                    .total_cmp(&score)
                    .then_with(|| b.cmp(&last_doc))
                    .is_gt();
                stands &= after_last;
            }
        }
        stands
    }
}

/// What the scores of other documents read of document `a`: its comparable terms and their
/// weights (which decide its query terms too), its norm, its facet values.
fn fingerprint(seed: &[u8], vectors: &TermVectors, facets: &FacetValues, a: usize) -> u64 {
    let mut hasher = blake3::Hasher::new();
    hasher.update(seed);
    hasher.update(&vectors.norms[a].to_bits().to_le_bytes());
    for &(term, weight) in &vectors.docs[a] {
        hasher.update(&vectors.term_ids[term as usize].to_le_bytes());
        hasher.update(&weight.to_bits().to_le_bytes());
    }
    for &value in &facets.docs[a] {
        hasher.update(&facets.value_ids[value as usize].to_le_bytes());
    }
    let hash = hasher.finalize();
    let mut first = [0_u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// An identity of a term or facet value that does not depend on its index in this build.
fn term_id(field: Field, term: &[u8]) -> u64 {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&field.field_id().to_le_bytes());
    hasher.update(term);
    let mut first = [0_u8; 8];
    first.copy_from_slice(&hasher.finalize().as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// The index (in slug order) of each live document, by segment and document id: looked up
/// once per posting, so a table rather than a map.
struct Positions {
    by_segment: Vec<Vec<u32>>,
}

impl Positions {
    const NONE: u32 = u32::MAX;

    fn new(searcher: &Searcher, addresses: &[(&str, DocAddress)]) -> Positions {
        let mut by_segment: Vec<Vec<u32>> = searcher
            .segment_readers()
            .iter()
            .map(|reader| vec![Self::NONE; reader.max_doc() as usize])
            .collect();
        for (index, (_, address)) in addresses.iter().enumerate() {
            let slot = by_segment
                .get_mut(address.segment_ord as usize)
                .and_then(|segment| segment.get_mut(address.doc_id as usize));
            if let Some(slot) = slot {
                *slot = index as u32;
            }
        }
        Positions { by_segment }
    }

    fn get(&self, segment: usize, doc: u32) -> Option<u32> {
        let index = *self.by_segment.get(segment)?.get(doc as usize)?;
        (index != Self::NONE).then_some(index)
    }
}

/// The values of the facets of [`FACET_BONUS`] of every document, to add the bonus of the
/// values two documents share.
struct FacetValues {
    /// Per document: its values' indexes, increasing.
    docs: Vec<Vec<u32>>,
    /// Per value index: the bonus of sharing it.
    bonus: Vec<f32>,
    /// Per value index: its [`term_id`].
    value_ids: Vec<u64>,
}

impl FacetValues {
    /// Per value index, its bonus if document `a` has the value, else 0: what [`Self::bonus`]
    /// adds up (looked up for each document compared with `a`, rather than merging lists).
    fn bonuses_of(&self, a: usize, shared: &mut Vec<f32>) {
        shared.clear();
        shared.resize(self.bonus.len(), 0.0);
        for &value in &self.docs[a] {
            shared[value as usize] = self.bonus[value as usize];
        }
    }

    /// The bonus of the values `b` shares with the document of `shared` (see
    /// [`Self::bonuses_of`]), added up in value order (adding 0 changes no sum).
    fn bonus(&self, shared: &[f32], b: usize) -> f32 {
        let mut total = 0.0;
        for &value in &self.docs[b] {
            total += shared[value as usize];
        }
        total
    }
}

/// Weighted `(field, term)` vectors of every document, and the postings of shared terms.
struct TermVectors {
    /// Per document: `(term index, weight)`, by term index. (Indexes are `u32`: a national
    /// site has tens of millions of these pairs.)
    docs: Vec<Vec<(u32, f32)>>,
    norms: Vec<f32>,
    /// Per term index: the documents containing it, if at least two do.
    shared: Vec<TermPostings>,
    /// Per term index: its [`term_id`] if comparable (else 0: it is in no document's vector).
    term_ids: Vec<u64>,
}

impl TermVectors {
    fn collect(
        searcher: &Searcher,
        fields: &Fields,
        position: &Positions,
        doc_count: usize,
    ) -> Result<TermVectors, IndexError> {
        let mut vectors = TermVectors {
            docs: vec![Vec::new(); doc_count],
            norms: vec![0.0; doc_count],
            shared: Vec::new(),
            term_ids: Vec::new(),
        };
        for (name, boost) in FIELD_BOOSTS {
            if !RELATED_FIELDS.contains(name) {
                continue;
            }
            let Some(field) = fields.by_name(name) else {
                continue;
            };
            for_each_term(searcher, field, position, &mut |term, frequencies| {
                vectors.add_term(*boost, frequencies, doc_count, || term_id(field, term));
            })?;
        }
        for norm in &mut vectors.norms {
            *norm = norm.sqrt();
        }
        Ok(vectors)
    }

    fn add_term(
        &mut self,
        boost: f32,
        frequencies: &[(u32, u32)],
        doc_count: usize,
        id: impl FnOnce() -> u64,
    ) {
        let idf = ((doc_count + 1) as f32 / frequencies.len() as f32).ln();
        // A term in most documents says little about any of them, and its long postings would
        // make the comparison quadratic in practice (as MoreLikeThis's max document frequency).
        let too_common = frequencies.len() > (doc_count / 10).clamp(MAX_DF_FLOOR, MAX_DF_CAP);
        let comparable = frequencies.len() >= 2 && !too_common;
        let term = self.shared.len() as u32;
        let mut postings = Vec::with_capacity(if comparable { frequencies.len() } else { 0 });
        for &(doc, tf) in frequencies {
            let weight = boost.sqrt() * (1.0 + (tf as f32).ln()) * idf;
            // Every term counts in the norm; only comparable ones are kept (memory).
            self.norms[doc as usize] += weight * weight;
            if comparable {
                self.docs[doc as usize].push((term, weight));
                postings.push((doc, weight));
            }
        }
        self.shared.push(postings);
        self.term_ids.push(if comparable { id() } else { 0 });
    }

    /// Adds to `scratch.scores` the dot product with document `a` of every document sharing
    /// one of the heaviest comparable terms of `a`, and lists those documents (in no
    /// particular order: the scores do not depend on it) in `scratch.touched`.
    fn accumulate(&self, a: usize, scratch: &mut Scratch) {
        let query = heaviest_terms(&self.docs[a], QUERY_TERMS);

        scratch.touched.clear();
        for (term, weight_a) in query {
            for &(b, weight_b) in &self.shared[term as usize] {
                let score = &mut scratch.scores[b as usize];
                if *score == 0.0 {
                    scratch.touched.push(b);
                }
                *score += weight_a * weight_b;
            }
        }
    }

    /// Cosine similarity of `a` and `b` from their dot product.
    fn cosine(&self, a: usize, b: usize, dot: f32) -> f32 {
        let norm = self.norms[a] * self.norms[b];
        if norm > 0.0 {
            dot / norm
        } else {
            0.0
        }
    }
}

/// The `n` heaviest `(term index, weight)` of a document, ties to the lowest index, by term
/// index (the order their products are added up in). Picked without sorting them all.
fn heaviest_terms(vector: &[(u32, f32)], n: usize) -> Vec<(u32, f32)> {
    if n == 0 {
        return Vec::new();
    }
    let mut heaviest = vector.to_vec();
    if heaviest.len() > n {
        heaviest.select_nth_unstable_by(n - 1, |x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        heaviest.truncate(n);
    }
    heaviest.sort_unstable_by_key(|(term, _)| *term);
    heaviest
}

/// Per-thread scratch space: one score per document, left zeroed between documents, and the
/// documents whose score was touched.
struct Scratch {
    scores: Vec<f32>,
    touched: Vec<u32>,
    /// The current document's [`FacetValues::bonuses_of`].
    shared_bonus: Vec<f32>,
}

/// The `n` best `(document index, score)` seen so far: highest score first, ties broken by
/// index (= slug order), so the result does not depend on the order of the offers.
struct Best {
    n: usize,
    kept: Vec<(usize, f32)>,
}

impl Best {
    fn new(n: usize) -> Best {
        Best {
            n,
            kept: Vec::with_capacity(n + 1),
        }
    }

    fn offer(&mut self, doc: usize, score: f32) {
        // The order of `f32::total_cmp`, as a sort of every score would use.
        let before = |kept: &(usize, f32)| {
            kept.1
                .total_cmp(&score)
                .then_with(|| doc.cmp(&kept.0))
                .is_gt()
        };
        if self.kept.len() == self.n && self.kept.last().is_none_or(before) {
            return;
        }
        let at = self.kept.partition_point(before);
        self.kept.insert(at, (doc, score));
        self.kept.truncate(self.n);
    }

    /// The score of the last document kept, when `n` were offered.
    fn last_score(&self) -> Option<f32> {
        (self.n > 0 && self.kept.len() == self.n)
            .then(|| self.kept.last().map(|(_, score)| *score))
            .flatten()
    }

    fn into_indexes(self) -> Vec<usize> {
        self.kept.into_iter().map(|(doc, _)| doc).collect()
    }
}

/// For every term of `field` in dictionary order, `(document index, term frequency)` of the
/// documents holding it, by document index. The terms of all segments are walked together
/// (tantivy's `TermMerger`): an index in several segments gives what one segment would.
fn for_each_term(
    searcher: &Searcher,
    field: Field,
    position: &Positions,
    f: &mut dyn FnMut(&[u8], &[DocFrequency]),
) -> Result<(), IndexError> {
    let inverted = searcher
        .segment_readers()
        .iter()
        .map(|reader| reader.inverted_index(field))
        .collect::<Result<Vec<_>, _>>()?;
    let streams = inverted
        .iter()
        .map(|index| index.terms().stream())
        .collect::<Result<Vec<_>, _>>()?;
    let mut merger = TermMerger::new(streams);
    let mut frequencies: Vec<DocFrequency> = Vec::new();
    while merger.advance() {
        frequencies.clear();
        for (segment, info) in merger.current_segment_ords_and_term_infos() {
            let mut postings = inverted[segment]
                .read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
            while postings.doc() != TERMINATED {
                // Deleted documents have no position.
                if let Some(doc) = position.get(segment, postings.doc()) {
                    frequencies.push((doc, postings.term_freq()));
                }
                postings.advance();
            }
        }
        if !frequencies.is_empty() {
            frequencies.sort_by_key(|(doc, _)| *doc);
            f(merger.key(), &frequencies);
        }
    }
    Ok(())
}

/// The values of the facets in [`FACET_BONUS`] of every document.
fn facet_values(
    searcher: &Searcher,
    fields: &Fields,
    position: &Positions,
    doc_count: usize,
) -> Result<FacetValues, IndexError> {
    let mut values = FacetValues {
        docs: vec![Vec::new(); doc_count],
        bonus: Vec::new(),
        value_ids: Vec::new(),
    };
    for (facet, bonus) in FACET_BONUS {
        let field = fields.facet(*facet);
        for_each_term(searcher, field, position, &mut |term, frequencies| {
            let value = values.bonus.len() as u32;
            for (doc, _) in frequencies {
                values.docs[*doc as usize].push(value);
            }
            values.bonus.push(*bonus);
            values.value_ids.push(term_id(field, term));
        })?;
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::{heaviest_terms, FacetValues};

    #[test]
    fn the_bonus_adds_up_the_shared_values_in_value_order() {
        let bonus: Vec<f32> = (0..12).map(|v| 0.1 / (v + 1) as f32).collect();
        let docs: Vec<Vec<u32>> = (0..9u32)
            .map(|d| {
                (0..12u32)
                    .filter(|v| (v * 5 + d) % 3 != 0 && v % (d + 2) != 1)
                    .collect()
            })
            .collect();
        let value_ids = vec![0; bonus.len()];
        let values = FacetValues {
            docs,
            bonus,
            value_ids,
        };
        let mut shared = Vec::new();
        for a in 0..9 {
            values.bonuses_of(a, &mut shared);
            for b in 0..9 {
                // As a merge of both lists would add them.
                let mut expected = 0.0_f32;
                for value in &values.docs[a] {
                    if values.docs[b].contains(value) {
                        expected += values.bonus[*value as usize];
                    }
                }
                let found = values.bonus(&shared, b);
                assert_eq!(found.to_bits(), expected.to_bits(), "{a} {b}");
            }
        }
        values.bonuses_of(0, &mut shared);
        assert!(values.bonus(&shared, 0) > 0.0);
    }

    #[test]
    fn the_heaviest_terms_are_those_a_full_sort_keeps() {
        // Weights with many ties, given out of term order.
        let vector: Vec<(u32, f32)> = (0..200u32)
            .map(|i| ((i * 73) % 200, ((i * 31) % 17) as f32 * 0.5))
            .collect();
        for n in [0, 1, 25, 199, 200, 300] {
            let mut sorted = vector.clone();
            sorted.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            sorted.truncate(n);
            sorted.sort_by_key(|(term, _)| *term);
            assert_eq!(heaviest_terms(&vector, n), sorted, "{n}");
        }
    }
}
