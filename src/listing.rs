//! `vitrine vocabulaires`: the values a scenario's front matter accepts, vocabulary by
//! vocabulary, as `check` reads them (built-in vocabularies with the site's additions), and the
//! tools the site's scenarios already name (`outils` is a free list: writing a tool the same
//! way as the others keeps one facet page per tool).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diagnostics::{closest, Diagnostic};
use crate::site::prepare::{load_settings, prepare};
use crate::site::{BuildOptions, Silent};
use crate::text::{fold, slugify};
use crate::vocab::{VocabName, Vocabularies};

/// What `vitrine vocabulaires NOM` lists: a controlled vocabulary, or the free list of tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Vocabulary(VocabName),
    Tools,
}

/// Front matter key of the tools, the only free list that is a facet.
pub const TOOLS_KEY: &str = "outils";

/// The spellings of each topic's name a referent may type (folded, `_` for spaces and dashes):
/// the front matter key, its singular or plural, and the usual other words.
const TOPIC_NAMES: &[(&str, Option<VocabName>)] = &[
    ("disciplines", Some(VocabName::Subjects)),
    ("discipline", Some(VocabName::Subjects)),
    ("matiere", Some(VocabName::Subjects)),
    ("matieres", Some(VocabName::Subjects)),
    ("niveaux", Some(VocabName::Levels)),
    ("niveau", Some(VocabName::Levels)),
    ("classe", Some(VocabName::Levels)),
    ("classes", Some(VocabName::Levels)),
    ("cycles", Some(VocabName::Cycles)),
    ("cycle", Some(VocabName::Cycles)),
    ("academie", Some(VocabName::Academies)),
    ("academies", Some(VocabName::Academies)),
    ("types", Some(VocabName::Types)),
    ("type", Some(VocabName::Types)),
    ("modalites", Some(VocabName::Modes)),
    ("modalite", Some(VocabName::Modes)),
    ("competences_numeriques", Some(VocabName::DigitalSkills)),
    ("competence_numerique", Some(VocabName::DigitalSkills)),
    ("competences", Some(VocabName::DigitalSkills)),
    ("crcn", Some(VocabName::DigitalSkills)),
    ("outils", None),
    ("outil", None),
];

impl Topic {
    /// Every topic, in the order of the front matter facets.
    pub fn all() -> Vec<Topic> {
        VocabName::ALL
            .into_iter()
            .map(Topic::Vocabulary)
            .chain(std::iter::once(Topic::Tools))
            .collect()
    }

    /// The topic named by what a referent typed (`niveau`, `Académies`, `CRCN`…), or the
    /// French reason it names none, with the closest name when there is one.
    pub fn from_name(written: &str) -> Result<Topic, UnknownTopic> {
        let wanted = fold(written.trim()).replace([' ', '-'], "_");
        if let Some((_, vocab)) = TOPIC_NAMES.iter().find(|(name, _)| *name == wanted) {
            return Ok(vocab.map_or(Topic::Tools, Topic::Vocabulary));
        }
        let suggestion = closest(&wanted, TOPIC_NAMES.iter().map(|(name, _)| *name))
            .and_then(|name| Topic::from_name(&name).ok())
            .map(Topic::key);
        Err(UnknownTopic {
            written: written.to_string(),
            suggestion,
        })
    }

    /// The front matter key, the name `vitrine vocabulaires` prints and reads back.
    pub fn key(self) -> &'static str {
        match self {
            Topic::Vocabulary(name) => name.front_matter_key(),
            Topic::Tools => TOOLS_KEY,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Topic::Vocabulary(name) => name.title(),
            Topic::Tools => "Outils numériques",
        }
    }
}

/// A name that is no vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTopic {
    pub written: String,
    /// The front matter key of the closest topic.
    pub suggestion: Option<&'static str>,
}

impl UnknownTopic {
    /// The French message, with the names that exist.
    pub fn message(&self) -> String {
        let names: Vec<&str> = Topic::all().into_iter().map(Topic::key).collect();
        let hint = self
            .suggestion
            .map(|s| format!(" ; vouliez-vous dire « {s} » ?"))
            .unwrap_or_default();
        format!(
            "vocabulaire inconnu « {} »{hint} (vocabulaires : {})",
            self.written,
            names.join(", ")
        )
    }
}

/// One accepted value: what to write, what readers see, and the other spellings accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Value {
    pub cle: String,
    pub libelle: String,
    pub variantes: Vec<String>,
}

/// Every value of one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    pub cle: &'static str,
    pub titre: &'static str,
    pub valeurs: Vec<Value>,
}

/// One line of the overview: a topic and how many values it has (`None`: the tools of a site
/// whose scenarios have errors, unknown until they are fixed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overview {
    pub cle: &'static str,
    pub titre: &'static str,
    pub valeurs: Option<usize>,
}

/// The site's vocabularies, read as `check` and `build` read them.
pub fn site_vocabularies(root: &Path) -> Result<Vocabularies, Vec<Diagnostic>> {
    load_settings(&BuildOptions::new(root)).map(|(_, vocabs)| vocabs)
}

/// Every topic with its number of values.
pub fn overview(root: &Path) -> Result<Vec<Overview>, Vec<Diagnostic>> {
    let vocabs = site_vocabularies(root)?;
    Ok(Topic::all()
        .into_iter()
        .map(|topic| Overview {
            cle: topic.key(),
            titre: topic.title(),
            valeurs: values(root, topic, &vocabs).ok().map(|v| v.len()),
        })
        .collect())
}

/// Every value of `topic` on the site at `root`.
pub fn listing(root: &Path, topic: Topic) -> Result<Listing, Vec<Diagnostic>> {
    let vocabs = site_vocabularies(root)?;
    Ok(Listing {
        cle: topic.key(),
        titre: topic.title(),
        valeurs: values(root, topic, &vocabs)?,
    })
}

fn values(root: &Path, topic: Topic, vocabs: &Vocabularies) -> Result<Vec<Value>, Vec<Diagnostic>> {
    match topic {
        Topic::Vocabulary(name) => Ok(vocabs
            .get(name)
            .entries()
            .iter()
            .map(|e| Value {
                cle: e.cle.clone(),
                libelle: e.libelle.clone(),
                variantes: e.alias.clone(),
            })
            .collect()),
        Topic::Tools => tools(root),
    }
}

/// The tools named by the site's published scenarios, grouped as their facet pages group them
/// (by slug): the first spelling met is the label, the others are its variants. The errors of
/// published scenarios hide them (as they stop `build`); a draft's errors do not.
fn tools(root: &Path) -> Result<Vec<Value>, Vec<Diagnostic>> {
    let prepared = prepare(&BuildOptions::new(root), &Silent)?;
    let mut by_slug: BTreeMap<String, Value> = BTreeMap::new();
    for scenario in &prepared.loaded.content.scenarios {
        for tool in &scenario.meta.outils {
            let value = by_slug.entry(slugify(tool)).or_insert_with(|| Value {
                cle: slugify(tool),
                libelle: tool.clone(),
                variantes: Vec::new(),
            });
            if value.libelle != *tool && !value.variantes.contains(tool) {
                value.variantes.push(tool.clone());
            }
        }
    }
    Ok(by_slug.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_in_singular_plural_and_with_accents() {
        let levels = Ok(Topic::Vocabulary(VocabName::Levels));
        assert_eq!(Topic::from_name("niveaux"), levels);
        assert_eq!(Topic::from_name("Niveau"), levels);
        let academies = Ok(Topic::Vocabulary(VocabName::Academies));
        assert_eq!(Topic::from_name("académies"), academies);
        assert_eq!(Topic::from_name("academie"), academies);
        let crcn = Ok(Topic::Vocabulary(VocabName::DigitalSkills));
        assert_eq!(Topic::from_name("CRCN"), crcn);
        assert_eq!(Topic::from_name("compétences-numériques"), crcn);
        assert_eq!(Topic::from_name("outil"), Ok(Topic::Tools));
    }

    #[test]
    fn every_topic_reads_its_own_key_back() {
        for topic in Topic::all() {
            assert_eq!(Topic::from_name(topic.key()), Ok(topic));
        }
    }

    #[test]
    fn a_typo_gets_the_closest_name_in_french() {
        let err = Topic::from_name("nivaux").expect_err("no such vocabulary");
        assert_eq!(err.suggestion, Some("niveaux"));
        let message = err.message();
        assert!(
            message.starts_with("vocabulaire inconnu « nivaux » ; vouliez-vous dire « niveaux » ?"),
            "{message}"
        );
        assert!(message.contains("academie, types"), "{message}");
        assert_eq!(Topic::from_name("zzz").expect_err("none").suggestion, None);
    }
}
