//! Controlled vocabularies (niveaux, cycles, disciplines, types, modalités, académies, CRCN).
//!
//! The vocabularies ship as YAML data files in `src/vocab/data/` (derived from ScoLOMFR 3.1 and
//! the CRCN, see the licence note in each file) and are compiled into the binary so that a site
//! created by `vitrine init` works anywhere. A site may extend or override entries in its
//! configuration (`vocabulaires:`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{closest, Diagnostic, ErrorKind};
use crate::text::fold;

/// The controlled vocabularies, in the order facets are presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VocabName {
    Disciplines,
    Niveaux,
    Cycles,
    Academies,
    Types,
    Modalites,
    CompetencesNumeriques,
}

impl VocabName {
    pub const ALL: [VocabName; 7] = [
        VocabName::Disciplines,
        VocabName::Niveaux,
        VocabName::Cycles,
        VocabName::Academies,
        VocabName::Types,
        VocabName::Modalites,
        VocabName::CompetencesNumeriques,
    ];

    /// Name of the data file and of the key in the site configuration.
    pub fn file_stem(self) -> &'static str {
        match self {
            VocabName::Disciplines => "disciplines",
            VocabName::Niveaux => "niveaux",
            VocabName::Cycles => "cycles",
            VocabName::Academies => "academies",
            VocabName::Types => "types",
            VocabName::Modalites => "modalites",
            VocabName::CompetencesNumeriques => "competences_numeriques",
        }
    }

    fn builtin_source(self) -> &'static str {
        match self {
            VocabName::Disciplines => include_str!("data/disciplines.yaml"),
            VocabName::Niveaux => include_str!("data/niveaux.yaml"),
            VocabName::Cycles => include_str!("data/cycles.yaml"),
            VocabName::Academies => include_str!("data/academies.yaml"),
            VocabName::Types => include_str!("data/types.yaml"),
            VocabName::Modalites => include_str!("data/modalites.yaml"),
            VocabName::CompetencesNumeriques => include_str!("data/competences_numeriques.yaml"),
        }
    }
}

/// One concept of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Short stable key, used in URLs and in the index (`5e`, `mathematiques`, `ac-lyon`).
    pub cle: String,
    /// French label shown to users.
    pub libelle: String,
    /// ScoLOMFR (or other official) concept URI, when one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Other spellings authors may use; matched without case or accents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alias: Vec<String>,
    /// For niveaux: the key of the cycle the level belongs to (used to derive `cycles`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle: Option<String>,
    /// For CRCN competences: the domain label, for grouping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domaine: Option<String>,
}

/// The layout of a vocabulary data file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabFile {
    #[allow(dead_code)]
    vocabulaire: String,
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
    entrees: Vec<Entry>,
}

/// A vocabulary with its lookup table of folded keys, labels and aliases.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    pub name: VocabName,
    entries: Vec<Entry>,
    lookup: HashMap<String, usize>,
}

impl Vocabulary {
    fn new(name: VocabName, entries: Vec<Entry>) -> Vocabulary {
        let mut vocab = Vocabulary {
            name,
            entries: Vec::new(),
            lookup: HashMap::new(),
        };
        for entry in entries {
            vocab.upsert(entry);
        }
        vocab
    }

    /// Adds an entry, or replaces the one with the same key (site overrides).
    fn upsert(&mut self, entry: Entry) {
        match self.entries.iter().position(|e| e.cle == entry.cle) {
            Some(i) => self.entries[i] = entry,
            None => self.entries.push(entry),
        }
        self.rebuild_lookup();
    }

    fn rebuild_lookup(&mut self) {
        self.lookup.clear();
        // Keys and labels win over aliases when a folded form is ambiguous.
        for (i, e) in self.entries.iter().enumerate() {
            for alias in &e.alias {
                self.lookup.insert(fold(alias), i);
            }
        }
        for (i, e) in self.entries.iter().enumerate() {
            self.lookup.insert(fold(&e.libelle), i);
        }
        for (i, e) in self.entries.iter().enumerate() {
            self.lookup.insert(fold(&e.cle), i);
        }
    }

    /// Entries in presentation order (the data file's order).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Finds the entry for what an author wrote: a key, a label or an alias, in any case or accent.
    pub fn resolve(&self, written: &str) -> Option<&Entry> {
        self.lookup.get(&fold(written)).map(|&i| &self.entries[i])
    }

    /// Entry by exact key.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.cle == key)
    }

    /// Label for a key, or the key itself when unknown.
    pub fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.get(key).map(|e| e.libelle.as_str()).unwrap_or(key)
    }

    /// The label of the closest entry, for « vouliez-vous dire … ? ».
    pub fn suggest(&self, written: &str) -> Option<String> {
        let candidates = self.entries.iter().flat_map(|e| {
            std::iter::once(e.libelle.as_str())
                .chain(std::iter::once(e.cle.as_str()))
                .chain(e.alias.iter().map(String::as_str))
        });
        let best = closest(written, candidates)?;
        self.resolve(&best).map(|e| e.libelle.clone())
    }
}

/// All vocabularies of a site.
#[derive(Debug, Clone)]
pub struct Vocabularies {
    vocabs: Vec<Vocabulary>,
}

impl Vocabularies {
    /// The vocabularies shipped with vitrine.
    pub fn builtin() -> Result<Vocabularies, Diagnostic> {
        let mut vocabs = Vec::new();
        for name in VocabName::ALL {
            let file: VocabFile = serde_yaml::from_str(name.builtin_source()).map_err(|e| {
                Diagnostic::new(
                    ErrorKind::Vocabulary,
                    format!("src/vocab/data/{}.yaml", name.file_stem()),
                    format!("vocabulaire intégré invalide : {e}"),
                )
            })?;
            vocabs.push(Vocabulary::new(name, file.entrees));
        }
        Ok(Vocabularies { vocabs })
    }

    /// Applies the site's additions and overrides (same key: replaced; new key: appended).
    pub fn extend(&mut self, name: VocabName, entries: Vec<Entry>) {
        let vocab = self.get_mut(name);
        for entry in entries {
            vocab.upsert(entry);
        }
    }

    pub fn get(&self, name: VocabName) -> &Vocabulary {
        // Every name is loaded by `builtin`, in `VocabName::ALL` order.
        &self.vocabs[name as usize]
    }

    fn get_mut(&mut self, name: VocabName) -> &mut Vocabulary {
        &mut self.vocabs[name as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_vocabularies_load() {
        let v = Vocabularies::builtin().expect("builtin vocabularies");
        for name in VocabName::ALL {
            assert!(!v.get(name).entries().is_empty(), "{name:?} is empty");
        }
    }
}
