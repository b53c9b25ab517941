//! The metadata words of a scenario: labels and known alternative labels (aliases) of every
//! vocabulary value it carries, so that « lyon », « sixième », « 6ème », « cycle 3 » or
//! « SVT » find it although the scenario's text never says so.
//!
//! Each distinct term is kept once per scenario (its first spelling): a label and its aliases
//! repeat the same words (« CM2 », « classe de CM2 », « niveau CM2 »), and counting them
//! several times would let metadata outweigh the title. Alias words shared by many values of
//! one vocabulary (« classe », « niveau », « cours », « année », « académie ») are left out:
//! they tell no value apart, and their postings, held by nearly every scenario, would weigh on
//! every term file of the browser bundle. Label words are always kept (« cycle » of
//! « Cycle 3 »), and so is a word of every value, which names the vocabulary itself
//! (« académie » in « Académie de Reims »): it costs one posting per scenario.

use std::collections::{BTreeSet, HashMap};

use super::analyzer::{analyze_words, Word};
use crate::content::{Facet, Metadata};
use crate::vocab::{Entry, VocabName, Vocabularies};

/// An alias word used by more values of its vocabulary than this is left out.
const ALIAS_WORD_MAX_VALUES: usize = 2;

/// The words of every vocabulary value, computed once for all scenarios.
pub struct MetadataWords {
    /// (vocabulary, key) → words of its label and distinctive aliases, as (term, folded).
    by_value: HashMap<(VocabName, String), Vec<(String, String)>>,
}

impl MetadataWords {
    pub fn new(vocabs: &Vocabularies) -> MetadataWords {
        let mut by_value = HashMap::new();
        for name in VocabName::ALL {
            let entries = vocabs.get(name).entries();
            let analysed: Vec<(Vec<Word>, Vec<Word>)> = entries
                .iter()
                .map(|entry| {
                    let aliases = alias_forms(name, entry)
                        .iter()
                        .flat_map(|form| analyze_words(form))
                        .collect();
                    (analyze_words(&entry.libelle), aliases)
                })
                .collect();
            let generic = generic_alias_terms(&analysed);
            for (entry, (label, aliases)) in entries.iter().zip(analysed) {
                let words = label
                    .into_iter()
                    .chain(aliases.into_iter().filter(|w| !generic.contains(&w.term)))
                    .map(|w| (w.term, w.folded))
                    .collect();
                by_value.insert((name, entry.cle.clone()), words);
            }
        }
        MetadataWords { by_value }
    }

    /// BLAKE3 of every value's words, in a fixed order: equal fingerprints give equal
    /// [`MetadataWords::words`] for the same metadata (a build keys each index document with it
    /// instead of listing the words of every scenario).
    pub fn fingerprint(&self) -> [u8; 32] {
        let mut values: Vec<_> = self.by_value.iter().collect();
        values.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut hasher = blake3::Hasher::new();
        let mut text = |value: &str| {
            hasher.update(&(value.len() as u64).to_le_bytes());
            hasher.update(value.as_bytes());
        };
        for ((name, key), words) in values {
            text(name.file_stem());
            text(key);
            text(&words.len().to_string());
            for (term, folded) in words {
                text(term);
                text(folded);
            }
        }
        *hasher.finalize().as_bytes()
    }

    /// The words to index for the vocabulary values of `meta`, one per distinct term, folded.
    pub fn words(&self, meta: &Metadata) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut words = Vec::new();
        for facet in Facet::ALL {
            // Tools have no vocabulary: their names are indexed in the `outils` field.
            let Some(name) = facet.vocab() else {
                continue;
            };
            for key in facet.keys(meta) {
                let Some(value_words) = self.by_value.get(&(name, key)) else {
                    continue;
                };
                for (term, folded) in value_words {
                    if seen.insert(term.as_str()) {
                        words.push(folded.clone());
                    }
                }
            }
        }
        words
    }
}

/// The aliases of one value. The CRCN aliases are codes (« CRCN 3.2 », « C3.2 »): their
/// digits would make « cycle 3 » match every competence of domain 3.
fn alias_forms(name: VocabName, entry: &Entry) -> Vec<&str> {
    if name == VocabName::DigitalSkills {
        Vec::new()
    } else {
        entry.alias.iter().map(String::as_str).collect()
    }
}

/// Alias terms used by more than [`ALIAS_WORD_MAX_VALUES`] values of one vocabulary, but not
/// by all of them.
fn generic_alias_terms(analysed: &[(Vec<Word>, Vec<Word>)]) -> BTreeSet<String> {
    let mut values_of: HashMap<&str, usize> = HashMap::new();
    for (label, aliases) in analysed {
        let terms: BTreeSet<&str> = label
            .iter()
            .chain(aliases)
            .map(|w| w.term.as_str())
            .collect();
        for term in terms {
            *values_of.entry(term).or_default() += 1;
        }
    }
    values_of
        .into_iter()
        .filter(|(_, count)| *count > ALIAS_WORD_MAX_VALUES && *count < analysed.len())
        .map(|(term, _)| term.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_with(academie: &str, niveaux: &[&str]) -> Metadata {
        let mut meta = crate::content::Scenario::example("exemple").meta;
        meta.academie = academie.to_string();
        meta.niveaux = niveaux.iter().map(|n| n.to_string()).collect();
        meta.cycles = Vec::new();
        meta.disciplines = Vec::new();
        meta.types = Vec::new();
        meta.modalites = Vec::new();
        meta.competences_numeriques = Vec::new();
        meta
    }

    #[test]
    fn labels_and_distinctive_aliases_once_each() {
        let vocabs = Vocabularies::builtin().expect("built-in vocabularies");
        let words = MetadataWords::new(&vocabs).words(&meta_with("ac-aix-marseille", &["6e"]));
        for expected in ["aix", "marseille", "academie", "sixieme", "6e", "6eme"] {
            assert!(
                words.contains(&expected.to_string()),
                "{expected} : {words:?}"
            );
        }
        // « classe de 6e », « niveau 6e »: words of many levels' aliases.
        assert!(!words.contains(&"classe".to_string()), "{words:?}");
        assert!(!words.contains(&"niveau".to_string()), "{words:?}");
        let terms: Vec<String> = words
            .iter()
            .flat_map(|w| analyze_words(w))
            .map(|w| w.term)
            .collect();
        let distinct: BTreeSet<&String> = terms.iter().collect();
        assert_eq!(distinct.len(), terms.len(), "{words:?}");
    }
}
