//! Facets: the dimensions teachers browse by. Each facet is backed by a vocabulary, except
//! `outils` (a free list grouped by slug).

use serde::Serialize;

use crate::content::Metadata;
use crate::text::slugify;
use crate::vocab::{VocabName, Vocabularies};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    Disciplines,
    Niveaux,
    Cycles,
    Academies,
    Types,
    Modalites,
    CompetencesNumeriques,
    Outils,
}

impl Facet {
    pub const ALL: [Facet; 8] = [
        Facet::Disciplines,
        Facet::Niveaux,
        Facet::Cycles,
        Facet::Academies,
        Facet::Types,
        Facet::Modalites,
        Facet::CompetencesNumeriques,
        Facet::Outils,
    ];

    /// URL segment and index field name (`disciplines`, `competences-numeriques`…).
    pub fn slug(self) -> &'static str {
        match self {
            Facet::Disciplines => "disciplines",
            Facet::Niveaux => "niveaux",
            Facet::Cycles => "cycles",
            Facet::Academies => "academies",
            Facet::Types => "types",
            Facet::Modalites => "modalites",
            Facet::CompetencesNumeriques => "competences-numeriques",
            Facet::Outils => "outils",
        }
    }

    /// Plural French title of the facet.
    pub fn title(self) -> &'static str {
        match self {
            Facet::Disciplines => "Disciplines",
            Facet::Niveaux => "Niveaux",
            Facet::Cycles => "Cycles",
            Facet::Academies => "Académies",
            Facet::Types => "Types de scénario",
            Facet::Modalites => "Modalités",
            Facet::CompetencesNumeriques => "Compétences numériques (CRCN)",
            Facet::Outils => "Outils numériques",
        }
    }

    /// Singular French name, for « Discipline : Mathématiques ».
    pub fn singular(self) -> &'static str {
        match self {
            Facet::Disciplines => "Discipline",
            Facet::Niveaux => "Niveau",
            Facet::Cycles => "Cycle",
            Facet::Academies => "Académie",
            Facet::Types => "Type",
            Facet::Modalites => "Modalité",
            Facet::CompetencesNumeriques => "Compétence numérique",
            Facet::Outils => "Outil",
        }
    }

    pub fn vocab(self) -> Option<VocabName> {
        match self {
            Facet::Disciplines => Some(VocabName::Disciplines),
            Facet::Niveaux => Some(VocabName::Niveaux),
            Facet::Cycles => Some(VocabName::Cycles),
            Facet::Academies => Some(VocabName::Academies),
            Facet::Types => Some(VocabName::Types),
            Facet::Modalites => Some(VocabName::Modalites),
            Facet::CompetencesNumeriques => Some(VocabName::CompetencesNumeriques),
            Facet::Outils => None,
        }
    }

    /// The value keys of a scenario for this facet (vocabulary keys, or tool slugs).
    pub fn keys(self, meta: &Metadata) -> Vec<String> {
        match self {
            Facet::Disciplines => meta.disciplines.clone(),
            Facet::Niveaux => meta.niveaux.clone(),
            Facet::Cycles => meta.cycles.clone(),
            Facet::Academies => vec![meta.academie.clone()],
            Facet::Types => meta.types.clone(),
            Facet::Modalites => meta.modalites.clone(),
            Facet::CompetencesNumeriques => meta.competences_numeriques.clone(),
            Facet::Outils => meta.outils.iter().map(|o| slugify(o)).collect(),
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
