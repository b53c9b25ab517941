//! Facts about a scenario that several outputs state: which scenarios are exported, its last
//! change, its vocabulary terms, licence and picture address.

use chrono::NaiveDate;
use serde::Serialize;

use crate::content::{Facet, Scenario};
use crate::publish::urls::{self, absolute_url};
use crate::publish::BuildInput;
use crate::vocab::{VocabName, Vocabularies};

/// The scenarios that are exported (drafts shown by `--drafts` are never exported, nor
/// scenarios harvested from other vitrines: they are described by their own site).
pub fn published<'a>(input: &'a BuildInput) -> impl Iterator<Item = &'a Scenario> {
    input
        .content
        .scenarios
        .iter()
        .map(|s| s.as_ref())
        .filter(|s| !s.meta.brouillon && !s.is_harvested())
}

/// Date of the last change of a scenario: its update date, or its publication date.
pub fn last_change(scenario: &Scenario) -> NaiveDate {
    scenario.meta.mise_a_jour.unwrap_or(scenario.meta.date)
}

/// A vocabulary value: key, French label and concept URI (ScoLOMFR) when one exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    pub cle: String,
    pub libelle: String,
    pub uri: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Licence {
    /// SPDX identifier.
    pub id: String,
    pub libelle: String,
    pub url: Option<String>,
}

/// A vocabulary key resolved to its label and URI; unknown keys keep the key as label.
pub fn term(vocabs: &Vocabularies, name: VocabName, key: &str) -> Term {
    match vocabs.get(name).get(key) {
        Some(entry) => Term {
            cle: entry.cle.clone(),
            libelle: entry.libelle.clone(),
            uri: entry.uri.clone(),
        },
        None => Term {
            cle: key.to_string(),
            libelle: key.to_string(),
            uri: None,
        },
    }
}

/// The terms of a scenario for a vocabulary facet, without empty keys or repeats.
pub fn terms(vocabs: &Vocabularies, facet: Facet, scenario: &Scenario) -> Vec<Term> {
    let Some(name) = facet.vocab() else {
        return Vec::new();
    };
    crate::content::facet::unique_keys(facet, scenario)
        .iter()
        .map(|k| term(vocabs, name, k))
        .collect()
}

/// Where the picture of a scenario is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picture {
    /// An `http(s)://` address, used as written.
    External(String),
    /// A file of the scenario's bundle, as a site path.
    File(String),
}

/// The picture of a scenario, if it names one.
pub fn picture(scenario: &Scenario) -> Option<Picture> {
    let vignette = scenario.meta.vignette.as_deref()?.trim();
    if vignette.is_empty() {
        None
    } else if vignette.starts_with("http://") || vignette.starts_with("https://") {
        Some(Picture::External(vignette.to_string()))
    } else {
        let file = vignette.trim_start_matches("./");
        Some(Picture::File(urls::scenario_file(&scenario.slug, file)))
    }
}

/// The picture of a scenario as an address usable outside the site.
pub fn vignette_url(base_url: &str, scenario: &Scenario) -> Option<String> {
    Some(match picture(scenario)? {
        Picture::External(url) => url,
        Picture::File(path) => absolute_url(base_url, &path).unwrap_or(path),
    })
}

/// The licence of a scenario, or the site's default one.
pub fn licence_of(input: &BuildInput, scenario: &Scenario) -> Licence {
    let id = if scenario.meta.licence.is_empty() {
        input.config.licence.clone()
    } else {
        scenario.meta.licence.clone()
    };
    let (libelle, url) = crate::publish::wording::licence(&id);
    Licence { id, libelle, url }
}
