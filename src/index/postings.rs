//! Export of the index's postings with their BM25 contributions, for the browser bundle.
//!
//! The browser cannot run tantivy, so it receives, for every term, the score each document
//! gets from that term: the same boosted BM25 that a one-word `vitrine search` computes, from
//! tantivy's own weights and field norms (nothing is re-tokenised or re-counted here).

use std::collections::{BTreeMap, HashMap};

use tantivy::postings::Postings;
use tantivy::query::Bm25Weight;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, Term, TERMINATED};

use super::schema::Fields;
use super::{DocMeta, IndexError};

/// One term and the documents holding it in any text field.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedTerm {
    pub term: String,
    /// `(ordinal, contribution)`, ordinals strictly increasing.
    pub postings: Vec<(u32, f32)>,
}

pub(super) fn export_terms(
    searcher: &Searcher,
    fields: &Fields,
    docs: &HashMap<DocAddress, DocMeta>,
    order: &[String],
) -> Result<Vec<ExportedTerm>, IndexError> {
    let ordinal_of_slug: HashMap<&str, u32> = order
        .iter()
        .enumerate()
        .map(|(ordinal, slug)| (slug.as_str(), ordinal as u32))
        .collect();
    let ordinals: HashMap<DocAddress, u32> = docs
        .iter()
        .filter_map(|(address, meta)| {
            ordinal_of_slug
                .get(meta.slug.as_str())
                .map(|ordinal| (*address, *ordinal))
        })
        .collect();
    let mut by_term: BTreeMap<Vec<u8>, Vec<(u32, f32)>> = BTreeMap::new();
    for (field, boost) in fields.boosted_text() {
        add_field(searcher, field, boost, &ordinals, &mut by_term)?;
    }
    Ok(by_term
        .into_iter()
        .map(|(term, postings)| ExportedTerm {
            term: String::from_utf8_lossy(&term).into_owned(),
            postings: merge_fields(postings),
        })
        .collect())
}

/// Adds the boosted BM25 score of every (term, document) of one field.
fn add_field(
    searcher: &Searcher,
    field: Field,
    boost: f32,
    ordinals: &HashMap<DocAddress, u32>,
    by_term: &mut BTreeMap<Vec<u8>, Vec<(u32, f32)>>,
) -> Result<(), IndexError> {
    let total_docs: u64 = searcher
        .segment_readers()
        .iter()
        .map(|reader| u64::from(reader.max_doc()))
        .sum();
    if total_docs == 0 {
        return Ok(());
    }
    let mut total_tokens = 0u64;
    for reader in searcher.segment_readers() {
        total_tokens += reader.inverted_index(field)?.total_num_tokens();
    }
    // Exactly what `Bm25Weight::for_terms` computes for a term query.
    let average_fieldnorm = total_tokens as f32 / total_docs as f32;
    for (segment_ord, reader) in searcher.segment_readers().iter().enumerate() {
        let inverted = reader.inverted_index(field)?;
        let fieldnorms = reader.get_fieldnorms_reader(field)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            let key = stream.key();
            let doc_freq = searcher.doc_freq(&Term::from_field_bytes(field, key))?;
            let weight =
                Bm25Weight::for_one_term_without_explain(doc_freq, total_docs, average_fieldnorm);
            let mut postings = inverted
                .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)?;
            let entry = by_term.entry(key.to_vec()).or_default();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let address = DocAddress::new(segment_ord as u32, doc);
                if let Some(ordinal) = ordinals.get(&address) {
                    let score = weight.score(fieldnorms.fieldnorm_id(doc), postings.term_freq());
                    // `BoostQuery` multiplies the score, it does not reweight.
                    entry.push((*ordinal, score * boost));
                }
                doc = postings.advance();
            }
        }
    }
    Ok(())
}

/// Sorts by ordinal and adds up the contributions of the fields of one document.
fn merge_fields(mut postings: Vec<(u32, f32)>) -> Vec<(u32, f32)> {
    // Stable: the contributions of a document stay in field order, like tantivy's union.
    postings.sort_by_key(|(ordinal, _)| *ordinal);
    let mut merged: Vec<(u32, f32)> = Vec::with_capacity(postings.len());
    for (ordinal, score) in postings {
        match merged.last_mut() {
            Some((last, total)) if *last == ordinal => *total += score,
            _ => merged.push((ordinal, score)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::merge_fields;

    #[test]
    fn contributions_of_one_document_are_added_up() {
        let merged = merge_fields(vec![(3, 1.0), (1, 2.0), (3, 0.5), (2, 4.0)]);
        assert_eq!(merged, vec![(1, 2.0), (2, 4.0), (3, 1.5)]);
    }
}
