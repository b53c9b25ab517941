//! Facets: the dimensions teachers browse by. Each facet is backed by a vocabulary, except
//! `outils` (a free list grouped by slug).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Metadata, Scenario};
use crate::text::{fold, slugify};
use crate::vocab::{VocabName, Vocabularies};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
// Variants in English; serialized under the French front matter keys.
pub enum Facet {
    #[serde(rename = "disciplines")]
    Subjects,
    #[serde(rename = "niveaux")]
    Levels,
    #[serde(rename = "cycles")]
    Cycles,
    #[serde(rename = "academies")]
    Academies,
    #[serde(rename = "types")]
    Types,
    #[serde(rename = "modalites")]
    Modes,
    #[serde(rename = "competences_numeriques")]
    DigitalSkills,
    #[serde(rename = "outils")]
    Tools,
}

impl Facet {
    pub const ALL: [Facet; 8] = [
        Facet::Subjects,
        Facet::Levels,
        Facet::Cycles,
        Facet::Academies,
        Facet::Types,
        Facet::Modes,
        Facet::DigitalSkills,
        Facet::Tools,
    ];

    /// URL segment and index field name (`disciplines`, `competences-numeriques`…).
    pub fn slug(self) -> &'static str {
        match self {
            Facet::Subjects => "disciplines",
            Facet::Levels => "niveaux",
            Facet::Cycles => "cycles",
            Facet::Academies => "academies",
            Facet::Types => "types",
            Facet::Modes => "modalites",
            Facet::DigitalSkills => "competences-numeriques",
            Facet::Tools => "outils",
        }
    }

    /// Plural French title of the facet.
    pub fn title(self) -> &'static str {
        match self {
            Facet::Subjects => "Disciplines",
            Facet::Levels => "Niveaux",
            Facet::Cycles => "Cycles",
            Facet::Academies => "Académies",
            Facet::Types => "Types de scénario",
            Facet::Modes => "Modalités",
            Facet::DigitalSkills => "Compétences numériques (CRCN)",
            Facet::Tools => "Outils numériques",
        }
    }

    /// Singular French name, for « Discipline : Mathématiques ».
    pub fn singular(self) -> &'static str {
        match self {
            Facet::Subjects => "Discipline",
            Facet::Levels => "Niveau",
            Facet::Cycles => "Cycle",
            Facet::Academies => "Académie",
            Facet::Types => "Type",
            Facet::Modes => "Modalité",
            Facet::DigitalSkills => "Compétence numérique",
            Facet::Tools => "Outil",
        }
    }

    pub fn vocab(self) -> Option<VocabName> {
        match self {
            Facet::Subjects => Some(VocabName::Subjects),
            Facet::Levels => Some(VocabName::Levels),
            Facet::Cycles => Some(VocabName::Cycles),
            Facet::Academies => Some(VocabName::Academies),
            Facet::Types => Some(VocabName::Types),
            Facet::Modes => Some(VocabName::Modes),
            Facet::DigitalSkills => Some(VocabName::DigitalSkills),
            Facet::Tools => None,
        }
    }

    /// The value keys of a scenario for this facet (vocabulary keys, or tool slugs).
    pub fn keys(self, meta: &Metadata) -> Vec<String> {
        match self {
            Facet::Subjects => meta.disciplines.clone(),
            Facet::Levels => meta.niveaux.clone(),
            Facet::Cycles => meta.cycles.clone(),
            Facet::Academies => vec![meta.academie.clone()],
            Facet::Types => meta.types.clone(),
            Facet::Modes => meta.modalites.clone(),
            Facet::DigitalSkills => meta.competences_numeriques.clone(),
            Facet::Tools => meta.outils.iter().map(|o| slugify(o)).collect(),
        }
    }

    /// Label of a value key. Tools have no vocabulary: their label is the author's spelling,
    /// resolved by the caller from the scenarios (see `site`).
    pub fn label(self, key: &str, vocabs: &Vocabularies) -> String {
        match self.vocab() {
            Some(name) => vocabs.get(name).label(key).to_string(),
            None => key.to_string(),
        }
    }
}

/// One used value of a facet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    pub key: String,
    pub label: String,
    /// Indices of the scenarios having the value, in the order of the scenarios.
    pub members: Vec<usize>,
}

/// Every facet in [`Facet::ALL`] order with its used values, in presentation order.
pub fn all_facet_values(
    scenarios: &[Arc<Scenario>],
    vocabs: &Vocabularies,
) -> Vec<(Facet, Vec<FacetValue>)> {
    let tool_labels = tool_labels(scenarios);
    Facet::ALL
        .par_iter()
        .map(|&facet| (facet, facet_values(scenarios, vocabs, facet, &tool_labels)))
        .collect()
}

/// Label of a vocabulary value; CRCN competences show their code before the label.
pub fn vocab_label(vocabs: &Vocabularies, facet: Facet, key: &str) -> String {
    let label = facet.label(key, vocabs);
    if facet == Facet::DigitalSkills && label != key {
        format!("{key} {label}")
    } else {
        label
    }
}

/// Values of a scenario for a facet, without empty keys or repeats (two spellings of a tool).
pub fn unique_keys(facet: Facet, scenario: &Scenario) -> Vec<String> {
    let mut seen = BTreeSet::new();
    facet
        .keys(&scenario.meta)
        .into_iter()
        .filter(|k| !k.is_empty() && seen.insert(k.clone()))
        .collect()
}

/// For each tool slug, the spelling most authors use; ties go to the smallest string.
pub fn tool_labels(scenarios: &[Arc<Scenario>]) -> BTreeMap<String, String> {
    let mut spellings: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    for scenario in scenarios {
        for tool in &scenario.meta.outils {
            let slug = crate::text::slugify(tool);
            *spellings
                .entry(slug)
                .or_default()
                .entry(tool.as_str())
                .or_default() += 1;
        }
    }
    spellings
        .into_iter()
        .filter_map(|(slug, counts)| {
            // BTreeMap iterates smallest string first, so `max_by_key` must not replace on ties.
            let mut best: Option<(&str, usize)> = None;
            for (spelling, count) in counts {
                if best.is_none_or(|(_, c)| count > c) {
                    best = Some((spelling, count));
                }
            }
            best.map(|(spelling, _)| (slug, spelling.to_string()))
        })
        .collect()
}

/// The used values of a facet: vocabulary order (unknown keys last, sorted), or for tools
/// alphabetical order of the folded label.
fn facet_values(
    scenarios: &[Arc<Scenario>],
    vocabs: &Vocabularies,
    facet: Facet,
    tool_labels: &BTreeMap<String, String>,
) -> Vec<FacetValue> {
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, scenario) in scenarios.iter().enumerate() {
        for key in unique_keys(facet, scenario) {
            members.entry(key).or_default().push(i);
        }
    }
    let mut values = Vec::with_capacity(members.len());
    if let Some(name) = facet.vocab() {
        for entry in vocabs.get(name).entries() {
            if let Some(m) = members.remove(&entry.cle) {
                values.push(FacetValue {
                    label: vocab_label(vocabs, facet, &entry.cle),
                    key: entry.cle.clone(),
                    members: m,
                });
            }
        }
    }
    let mut rest: Vec<FacetValue> = members
        .into_iter()
        .map(|(key, m)| FacetValue {
            label: match tool_labels.get(&key) {
                Some(label) if facet == Facet::Tools => label.clone(),
                _ => vocab_label(vocabs, facet, &key),
            },
            key,
            members: m,
        })
        .collect();
    rest.sort_by(|a, b| {
        (fold(&a.label), &a.label, &a.key).cmp(&(fold(&b.label), &b.label, &b.key))
    });
    values.extend(rest);
    values
}
