//! `catalogue.json`: every published scenario with its metadata resolved (labels, ScoLOMFR
//! URIs, canonical address), for harvesters and other sites. The schema is documented in
//! `docs/catalogue.md`; bump [`SCHEMA_VERSION`] on any incompatible change.

use serde::Serialize;

use crate::content::facet::tool_labels;
use crate::content::{Duree, Facet, Scenario};
use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::publish::describe::{licence_of, term, terms, vignette_url, Licence, Term};
use crate::publish::urls::{self, absolute_url};
use crate::publish::{BuildInput, OutputFile};
use crate::vocab::VocabName;

pub const SCHEMA_VERSION: u32 = 1;
pub const PATH: &str = "catalogue.json";

#[derive(Debug, Serialize)]
pub struct Catalogue<'a> {
    pub schema_version: u32,
    pub genere_par: String,
    pub site: SiteInfo<'a>,
    pub scenarios: Vec<Item<'a>>,
}

#[derive(Debug, Serialize)]
pub struct SiteInfo<'a> {
    pub titre: &'a str,
    /// Public address; `null` without `base_url`.
    pub url: Option<String>,
    /// The académie of the configuration (`academie:`), when it names a known one.
    pub academie: Option<Term>,
}

#[derive(Debug, Serialize)]
pub struct Competence {
    pub code: String,
    pub libelle: String,
}

#[derive(Debug, Serialize)]
pub struct Auteur<'a> {
    pub nom: &'a str,
    pub fonction: Option<&'a str>,
    pub etablissement: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct Item<'a> {
    pub id: &'a str,
    /// Canonical address; `null` without `base_url`.
    pub url: Option<String>,
    pub titre: &'a str,
    pub resume: &'a str,
    pub date: String,
    pub mise_a_jour: Option<String>,
    pub auteurs: Vec<Auteur<'a>>,
    pub academie: Term,
    pub disciplines: Vec<Term>,
    pub niveaux: Vec<Term>,
    pub cycles: Vec<Term>,
    pub types: Vec<Term>,
    pub modalites: Vec<Term>,
    /// Tools as the most authors spell them, sorted by the order the scenario gives.
    pub outils: Vec<String>,
    pub competences_numeriques: Vec<Competence>,
    pub mots_cles: &'a [String],
    pub duree: Option<&'a Duree>,
    pub licence: Licence,
    /// Absolute address of the picture (external, or a file beside the page with `base_url`),
    /// or its site path when the site has no public address.
    pub vignette: Option<String>,
}

pub fn catalogue<'a>(input: &'a BuildInput<'a>) -> Catalogue<'a> {
    let config = input.config;
    let vocabs = input.vocabs;
    let academies = vocabs.get(VocabName::Academies);
    let tools = tool_labels(&input.content.scenarios);
    // Harvested scenarios are left out: a national vitrine that re-published them would feed
    // them back to whoever harvests it (loops between vitrines).
    let mut scenarios: Vec<&Scenario> = input
        .content
        .scenarios
        .iter()
        .map(|s| s.as_ref())
        .filter(|s| !s.is_harvested())
        .collect();
    scenarios.sort_by(|a, b| a.slug.cmp(&b.slug));
    let items = scenarios
        .into_iter()
        .map(|s| {
            let meta = &s.meta;
            let mut outils: Vec<String> = Vec::new();
            // A set, not `outils.contains`: linear even for a scenario listing 1,000 tools.
            let mut seen = std::collections::HashSet::new();
            for tool in &meta.outils {
                let slug = crate::text::slugify(tool);
                let label = tools.get(&slug).cloned().unwrap_or_else(|| tool.clone());
                if !slug.is_empty() && seen.insert(label.clone()) {
                    outils.push(label);
                }
            }
            Item {
                id: &s.slug,
                url: absolute_url(&config.base_url, &urls::scenario(&s.slug)),
                titre: &meta.titre,
                resume: &meta.resume,
                date: meta.date.to_string(),
                mise_a_jour: meta.mise_a_jour.map(|d| d.to_string()),
                auteurs: meta
                    .auteurs
                    .iter()
                    .map(|a| Auteur {
                        nom: &a.nom,
                        fonction: a.fonction.as_deref(),
                        etablissement: a.etablissement.as_deref(),
                    })
                    .collect(),
                academie: term(vocabs, VocabName::Academies, &meta.academie),
                disciplines: terms(vocabs, Facet::Subjects, s),
                niveaux: terms(vocabs, Facet::Levels, s),
                cycles: terms(vocabs, Facet::Cycles, s),
                types: terms(vocabs, Facet::Types, s),
                modalites: terms(vocabs, Facet::Modes, s),
                outils,
                competences_numeriques: terms(vocabs, Facet::DigitalSkills, s)
                    .into_iter()
                    .map(|t| Competence {
                        code: t.cle,
                        libelle: t.libelle,
                    })
                    .collect(),
                mots_cles: &meta.mots_cles,
                duree: meta.duree.as_ref(),
                licence: licence_of(input, s),
                vignette: vignette_url(&config.base_url, s),
            }
        })
        .collect();
    Catalogue {
        schema_version: SCHEMA_VERSION,
        genere_par: format!("vitrine {}", env!("CARGO_PKG_VERSION")),
        site: SiteInfo {
            titre: &config.titre,
            url: absolute_url(&config.base_url, &urls::home()),
            academie: config
                .academie
                .as_deref()
                .and_then(|written| academies.resolve(written))
                .map(|e| term(vocabs, VocabName::Academies, &e.cle)),
        },
        scenarios: items,
    }
}

pub fn files(input: &BuildInput) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut json = serde_json::to_string_pretty(&catalogue(input)).map_err(|e| {
        vec![Diagnostic::new(
            ErrorKind::Io,
            PATH,
            format!("catalogue impossible à écrire : {e}"),
        )]
    })?;
    json.push('\n');
    Ok(vec![OutputFile {
        path: PATH.to_string(),
        contents: json.into_bytes(),
    }])
}
