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
//! - terms in more than a fifth of the documents (above a floor of 50) are not compared;
//! - sharing a discipline or a level adds a small bonus;
//! - ties are broken by slug.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED};

use super::schema::{Fields, BODY, MOTS_CLES, OUTILS, RESUME, TITRE};
use super::{DocMeta, IndexError, FIELD_BOOSTS};
use crate::content::Facet;

/// Text fields that describe what a scenario is about (authors do not).
const RELATED_FIELDS: &[&str] = &[TITRE, MOTS_CLES, RESUME, OUTILS, BODY];

/// Bonus added per shared facet value; the text similarity is between 0 and 1.
const FACET_BONUS: &[(Facet, f32)] = &[(Facet::Disciplines, 0.1), (Facet::Niveaux, 0.05)];

/// Terms found in more than a fifth of the documents (and more than this many) are not used to
/// look for similar documents.
const MAX_DF_FLOOR: usize = 50;

/// …nor terms found in more than this many documents, whatever the size of the site: the work
/// for one document grows with the length of the postings it walks, so this bound keeps the
/// whole computation linear in the number of documents (a fifth of 10,000 documents).
const MAX_DF_CAP: usize = 2_000;

/// Number of terms of a document used to look for similar ones.
const QUERY_TERMS: usize = 64;

/// Postings of one term: `(document index, weight)`.
type TermPostings = Vec<(u32, f32)>;

/// `(document index, term frequency)`.
type DocFrequency = (u32, u32);

/// Term bytes → `(document index, term frequency)`, in dictionary order.
type TermFrequencies = BTreeMap<Vec<u8>, Vec<(u32, u32)>>;

pub(super) fn related(
    searcher: &Searcher,
    fields: &Fields,
    docs: &HashMap<DocAddress, DocMeta>,
    n: usize,
) -> Result<BTreeMap<String, Vec<String>>, IndexError> {
    let mut addresses: Vec<(&str, DocAddress)> = docs
        .iter()
        .map(|(address, meta)| (meta.slug.as_str(), *address))
        .collect();
    addresses.sort();
    let position: HashMap<DocAddress, usize> = addresses
        .iter()
        .enumerate()
        .map(|(index, (_, address))| (*address, index))
        .collect();
    let doc_count = addresses.len();

    let vectors = TermVectors::collect(searcher, fields, &position, doc_count)?;
    let facets = facet_values(searcher, fields, &position, doc_count)?;

    let related = addresses
        .par_iter()
        .enumerate()
        .map_init(
            || vec![0.0_f32; doc_count],
            |buffer, (a, (slug, _))| {
                let mut scored: Vec<(usize, f32)> = vectors
                    .similarities(a, buffer)
                    .into_iter()
                    .filter(|(b, _)| *b != a)
                    .map(|(b, score)| (b, score + facets.bonus(a, b)))
                    .collect();
                let by_score = |x: &(usize, f32), y: &(usize, f32)| {
                    y.1.total_cmp(&x.1)
                        .then_with(|| addresses[x.0].0.cmp(addresses[y.0].0))
                };
                // Only the best `n` are needed: select them, then sort just those.
                if scored.len() > n && n > 0 {
                    scored.select_nth_unstable_by(n - 1, by_score);
                    scored.truncate(n);
                }
                scored.sort_by(by_score);
                scored.truncate(n);
                let mut chosen: Vec<usize> = scored.into_iter().map(|(b, _)| b).collect();
                // Too few similar documents: complete with the others, in slug order.
                let mut next = 0;
                while chosen.len() < n && next < doc_count {
                    if next != a && !chosen.contains(&next) {
                        chosen.push(next);
                    }
                    next += 1;
                }
                let chosen = chosen
                    .into_iter()
                    .map(|b| addresses[b].0.to_string())
                    .collect::<Vec<_>>();
                (slug.to_string(), chosen)
            },
        )
        .collect();
    Ok(related)
}

/// The values of the facets of [`FACET_BONUS`] of every document, to add the bonus of the
/// values two documents share.
struct FacetValues {
    /// Per document: `(value index, bonus)`, by value index.
    docs: Vec<Vec<(usize, f32)>>,
}

impl FacetValues {
    fn bonus(&self, a: usize, b: usize) -> f32 {
        let (x, y) = (&self.docs[a], &self.docs[b]);
        let (mut i, mut j, mut total) = (0, 0, 0.0);
        while i < x.len() && j < y.len() {
            match x[i].0.cmp(&y[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    total += x[i].1;
                    i += 1;
                    j += 1;
                }
            }
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
}

impl TermVectors {
    fn collect(
        searcher: &Searcher,
        fields: &Fields,
        position: &HashMap<DocAddress, usize>,
        doc_count: usize,
    ) -> Result<TermVectors, IndexError> {
        let mut vectors = TermVectors {
            docs: vec![Vec::new(); doc_count],
            norms: vec![0.0; doc_count],
            shared: Vec::new(),
        };
        for (name, boost) in FIELD_BOOSTS {
            if !RELATED_FIELDS.contains(name) {
                continue;
            }
            let Some(field) = fields.by_name(name) else {
                continue;
            };
            for_each_term(searcher, field, position, &mut |frequencies| {
                vectors.add_term(*boost, frequencies, doc_count);
            })?;
        }
        for norm in &mut vectors.norms {
            *norm = norm.sqrt();
        }
        Ok(vectors)
    }

    fn add_term(&mut self, boost: f32, frequencies: &[(u32, u32)], doc_count: usize) {
        let idf = ((doc_count + 1) as f32 / frequencies.len() as f32).ln();
        // A term in most documents says little about any of them, and its long postings would
        // make the comparison quadratic in practice (as MoreLikeThis's max document frequency).
        let too_common = frequencies.len() > (doc_count / 5).clamp(MAX_DF_FLOOR, MAX_DF_CAP);
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
    }

    /// Cosine similarity to document `a` of every document sharing one of the heaviest
    /// comparable terms of `a`: `(document, similarity)`, by document. `buffer` is a zeroed
    /// scratch vector of one score per document, left zeroed.
    fn similarities(&self, a: usize, buffer: &mut [f32]) -> Vec<(usize, f32)> {
        let mut query: Vec<(u32, f32)> = self.docs[a].clone();
        query.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        query.truncate(QUERY_TERMS);
        query.sort_by_key(|(term, _)| *term);

        let mut touched: Vec<usize> = Vec::new();
        for (term, weight_a) in query {
            for &(b, weight_b) in &self.shared[term as usize] {
                let b = b as usize;
                if buffer[b] == 0.0 {
                    touched.push(b);
                }
                buffer[b] += weight_a * weight_b;
            }
        }
        touched.sort_unstable();
        touched
            .into_iter()
            .map(|b| {
                let norm = self.norms[a] * self.norms[b];
                let score = if norm > 0.0 { buffer[b] / norm } else { 0.0 };
                buffer[b] = 0.0;
                (b, score)
            })
            .collect()
    }
}

/// Calls `f` with the `(document index, term frequency)` of every term of `field`, in
/// dictionary order. With one segment (what `build` leaves) the terms are streamed; with more,
/// each term's postings are first gathered from every segment.
fn for_each_term(
    searcher: &Searcher,
    field: Field,
    position: &HashMap<DocAddress, usize>,
    f: &mut dyn FnMut(&[DocFrequency]),
) -> Result<(), IndexError> {
    if searcher.segment_readers().len() != 1 {
        for frequencies in term_frequencies(searcher, field, position)?.into_values() {
            f(&frequencies);
        }
        return Ok(());
    }
    let inverted_index = searcher.segment_readers()[0].inverted_index(field)?;
    let mut stream = inverted_index.terms().stream()?;
    let mut frequencies: Vec<(u32, u32)> = Vec::new();
    while stream.advance() {
        let mut postings = inverted_index
            .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)?;
        frequencies.clear();
        while postings.doc() != TERMINATED {
            // Deleted documents have no position.
            if let Some(&doc) = position.get(&DocAddress::new(0, postings.doc())) {
                frequencies.push((doc as u32, postings.term_freq()));
            }
            postings.advance();
        }
        if !frequencies.is_empty() {
            frequencies.sort_by_key(|(doc, _)| *doc);
            f(&frequencies);
        }
    }
    Ok(())
}

/// For every term of `field` (in dictionary order): `(document index, term frequency)`.
fn term_frequencies(
    searcher: &Searcher,
    field: Field,
    position: &HashMap<DocAddress, usize>,
) -> Result<TermFrequencies, IndexError> {
    let mut terms = TermFrequencies::new();
    for (segment_ord, segment_reader) in searcher.segment_readers().iter().enumerate() {
        let inverted_index = segment_reader.inverted_index(field)?;
        let mut stream = inverted_index.terms().stream()?;
        while stream.advance() {
            let mut postings = inverted_index
                .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)?;
            let entry = terms.entry(stream.key().to_vec()).or_default();
            while postings.doc() != TERMINATED {
                let address = DocAddress::new(segment_ord as u32, postings.doc());
                // Deleted documents have no position.
                if let Some(&doc) = position.get(&address) {
                    entry.push((doc as u32, postings.term_freq()));
                }
                postings.advance();
            }
        }
    }
    terms.retain(|_, frequencies| !frequencies.is_empty());
    for frequencies in terms.values_mut() {
        frequencies.sort_by_key(|(doc, _)| *doc);
    }
    Ok(terms)
}

/// The values of the facets in [`FACET_BONUS`] of every document.
fn facet_values(
    searcher: &Searcher,
    fields: &Fields,
    position: &HashMap<DocAddress, usize>,
    doc_count: usize,
) -> Result<FacetValues, IndexError> {
    let mut values = FacetValues {
        docs: vec![Vec::new(); doc_count],
    };
    let mut value = 0;
    for (facet, bonus) in FACET_BONUS {
        let terms = term_frequencies(searcher, fields.facet(*facet), position)?;
        for frequencies in terms.into_values() {
            for (doc, _) in frequencies {
                values.docs[doc as usize].push((value, *bonus));
            }
            value += 1;
        }
    }
    Ok(values)
}
