//! From query words to the index terms they match: exact term, prefix of the last word (search
//! as you type) and one-typo fallback. The browser engine (`moteur.js`) implements the very same
//! rules on the exported bundle, so that both rank the same documents.

use std::collections::BTreeSet;

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, Term, TERMINATED};

use super::analyzer::Word;
use super::IndexError;

/// The last word matches as a prefix from this many characters on.
pub const PREFIX_MIN_CHARS: usize = 3;
/// At most this many prefix expansions (the most frequent ones), besides the word's own term.
pub const PREFIX_MAX_TERMS: usize = 20;
/// A word with no match falls back to terms one typo away from this many characters on.
pub const TYPO_MIN_CHARS: usize = 5;

/// The text fields' term dictionaries, seen as one.
pub(super) struct Dictionary<'a> {
    pub searcher: &'a Searcher,
    pub fields: Vec<Field>,
}

impl Dictionary<'_> {
    /// For each word, the set of index terms it matches; `None` when a word matches nothing
    /// (then, as all words are required, nothing matches). Identical sets count once.
    pub fn expand(&self, words: &[Word]) -> Result<Option<Vec<BTreeSet<String>>>, IndexError> {
        let mut sets: Vec<BTreeSet<String>> = Vec::with_capacity(words.len());
        for (position, word) in words.iter().enumerate() {
            let is_last = position + 1 == words.len();
            let set = self.matching_terms(word, is_last)?;
            if set.is_empty() {
                return Ok(None);
            }
            if !sets.contains(&set) {
                sets.push(set);
            }
        }
        Ok(Some(sets))
    }

    fn matching_terms(&self, word: &Word, is_last: bool) -> Result<BTreeSet<String>, IndexError> {
        let mut set = BTreeSet::new();
        if self.contains(&word.term)? {
            set.insert(word.term.clone());
        }
        if is_last && word.folded.chars().count() >= PREFIX_MIN_CHARS {
            set.extend(self.prefix_expansions(word)?);
        }
        if set.is_empty() && word.folded.chars().count() >= TYPO_MIN_CHARS {
            set.extend(self.one_typo_away(&word.term)?);
        }
        Ok(set)
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

    fn contains(&self, term: &str) -> Result<bool, IndexError> {
        for reader in self.searcher.segment_readers() {
            for field in &self.fields {
                if reader.inverted_index(*field)?.terms().get(term)?.is_some() {
                    return Ok(true);
                }
            }
        }
        Ok(false)
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
