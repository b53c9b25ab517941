//! From query words to the index terms they match: exact term, prefix of the last word (search
//! as you type) and one-typo fallback. The browser engine (`moteur.js`) implements the very same
//! rules on the exported bundle, so that both rank the same documents.
//!
//! The word's own term is kept apart ([`WordTerms::exact`]): documents holding it rank before
//! those found only through an expansion.

use std::collections::BTreeSet;

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, Term, TERMINATED};

use super::analyzer::Word;
use super::IndexError;

/// The last word matches as a prefix from this many characters on.
pub const PREFIX_MIN_CHARS: usize = 3;
/// At most this many prefix expansions (the most frequent ones), besides the word's own term.
pub const PREFIX_MAX_TERMS: usize = 20;
/// The last word is read as a prefix only when its own term is in fewer documents than this:
/// a word that is itself a common term (« ENT ») is what the reader means, and its expansions
/// (« entre », « entreprise »…) would drown it and inflate the count.
pub const PREFIX_EXACT_MAX_DOCS: u64 = 10;
/// A word with no match falls back to terms one typo away from this many characters on.
pub const TYPO_MIN_CHARS: usize = 5;

/// The text fields' term dictionaries, seen as one.
pub(super) struct Dictionary<'a> {
    pub searcher: &'a Searcher,
    pub fields: Vec<Field>,
}

/// What one query word matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct WordTerms {
    /// The word as typed (named when a result lacks it).
    pub typed: String,
    /// Its own term, when indexed.
    pub exact: Option<String>,
    /// Every term it matches: its own, prefix expansions, terms one typo away; empty when the
    /// word matches nothing.
    pub terms: BTreeSet<String>,
}

impl Dictionary<'_> {
    /// For each word, the index terms it matches. Words matching the same terms count once
    /// (the first one is kept); words matching nothing all count, each one missing.
    pub fn expand(&self, words: &[Word]) -> Result<Vec<WordTerms>, IndexError> {
        let mut sets: Vec<WordTerms> = Vec::with_capacity(words.len());
        for (position, word) in words.iter().enumerate() {
            let is_last = position + 1 == words.len();
            let set = self.matching_terms(word, is_last)?;
            if set.terms.is_empty()
                || !sets
                    .iter()
                    .any(|seen| seen.exact == set.exact && seen.terms == set.terms)
            {
                sets.push(set);
            }
        }
        Ok(sets)
    }

    fn matching_terms(&self, word: &Word, is_last: bool) -> Result<WordTerms, IndexError> {
        let mut terms = BTreeSet::new();
        let own_docs = self.doc_freq(&word.term)?;
        let exact = (own_docs > 0).then(|| word.term.clone());
        if let Some(term) = &exact {
            terms.insert(term.clone());
        }
        if is_last
            && word.folded.chars().count() >= PREFIX_MIN_CHARS
            && own_docs < PREFIX_EXACT_MAX_DOCS
        {
            terms.extend(self.prefix_expansions(word)?);
        }
        if terms.is_empty() && word.folded.chars().count() >= TYPO_MIN_CHARS {
            terms.extend(self.one_typo_away(&word.term)?);
        }
        Ok(WordTerms {
            typed: word.typed.clone(),
            exact,
            terms,
        })
    }

    /// Terms starting with the folded word, the most frequent first, capped.
    fn prefix_expansions(&self, word: &Word) -> Result<Vec<String>, IndexError> {
        let candidates: Vec<String> = self
            .terms_with_prefix(&word.folded)?
            .into_iter()
            .filter(|term| *term != word.term)
            .collect();
        if candidates.len() <= PREFIX_MAX_TERMS {
            return Ok(candidates);
        }
        let mut by_frequency: Vec<(u64, String)> = Vec::with_capacity(candidates.len());
        for term in candidates {
            by_frequency.push((self.doc_freq(&term)?, term));
        }
        by_frequency.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        by_frequency.truncate(PREFIX_MAX_TERMS);
        Ok(by_frequency.into_iter().map(|(_, term)| term).collect())
    }

    /// Terms with the same first character, one insertion, deletion, substitution or swap of
    /// two neighbours away.
    fn one_typo_away(&self, term: &str) -> Result<BTreeSet<String>, IndexError> {
        let Some(first) = term.chars().next() else {
            return Ok(BTreeSet::new());
        };
        let same_initial = self.terms_with_prefix(first.encode_utf8(&mut [0; 4]))?;
        Ok(same_initial
            .into_iter()
            .filter(|candidate| strsim::osa_distance(candidate, term) == 1)
            .collect())
    }

    /// Every term of the text fields starting with `prefix`, in order.
    pub fn terms_with_prefix(&self, prefix: &str) -> Result<BTreeSet<String>, IndexError> {
        let mut terms = BTreeSet::new();
        for reader in self.searcher.segment_readers() {
            for field in &self.fields {
                let inverted = reader.inverted_index(*field)?;
                let dictionary = inverted.terms();
                let mut stream = dictionary.range().ge(prefix.as_bytes()).into_stream()?;
                while stream.advance() {
                    let key = stream.key();
                    if !key.starts_with(prefix.as_bytes()) {
                        break;
                    }
                    terms.insert(String::from_utf8_lossy(key).into_owned());
                }
            }
        }
        Ok(terms)
    }

    /// Number of documents holding `term` in at least one text field.
    fn doc_freq(&self, term: &str) -> Result<u64, IndexError> {
        let mut count = 0u64;
        for reader in self.searcher.segment_readers() {
            let mut docs: BTreeSet<u32> = BTreeSet::new();
            for field in &self.fields {
                let inverted = reader.inverted_index(*field)?;
                let key = Term::from_field_text(*field, term);
                let Some(mut postings) = inverted.read_postings(&key, IndexRecordOption::Basic)?
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    docs.insert(doc);
                    doc = postings.advance();
                }
            }
            count += docs.len() as u64;
        }
        Ok(count)
    }
}
