//! The metadata words of a scenario: labels and known alternative labels (aliases) of every
//! vocabulary value it carries, so that « lyon », « sixième », « 6ème », « cycle 3 » or
//! « SVT » find it although the scenario's text never says so.
//!
//! Each distinct term is kept once (its first spelling): a label and its aliases repeat the
//! same words (« CM2 », « classe de CM2 », « niveau CM2 »), and counting them several times
//! would let metadata outweigh the title.

use std::collections::BTreeSet;

use super::analyzer::analyze_words;
use crate::content::{Facet, Metadata};
use crate::vocab::Vocabularies;

/// The words to index for the vocabulary values of `meta`, one per distinct term, folded.
pub fn metadata_words(meta: &Metadata, vocabs: &Vocabularies) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut words = Vec::new();
    for facet in Facet::ALL {
        let Some(name) = facet.vocab() else {
            // Tools have no vocabulary: their names are indexed in the `outils` field.
            continue;
        };
        let vocab = vocabs.get(name);
        for key in facet.keys(meta) {
            let Some(entry) = vocab.get(&key) else {
                continue;
            };
            for form in written_forms(facet, entry) {
                for word in analyze_words(form) {
                    if seen.insert(word.term.clone()) {
                        words.push(word.folded);
                    }
                }
            }
        }
    }
    words
}

/// The label and aliases of one value. The CRCN aliases are codes (« CRCN 3.2 »,
/// « C3.2 »): their digits would make « cycle 3 » match every competence of domain 3.
fn written_forms(facet: Facet, entry: &crate::vocab::Entry) -> Vec<&str> {
    let mut forms = vec![entry.libelle.as_str()];
    if facet != Facet::DigitalSkills {
        forms.extend(entry.alias.iter().map(String::as_str));
    }
    forms
}
