//! The content model: what a scenario, a free page and the whole site content are once
//! parsed and validated. Every vocabulary value is stored as its key; labels come from
//! `vocab::Vocabularies` at render time.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text::BodyText;

/// An author of a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Auteur {
    pub nom: String,
    pub fonction: Option<String>,
    pub etablissement: Option<String>,
}

/// A resource attached to a scenario: an external link or a file of the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ressource {
    pub titre: String,
    /// External address (`https://…`).
    pub url: Option<String>,
    /// File of the bundle, relative to the scenario folder.
    pub fichier: Option<String>,
}

/// A duration, as written and normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duree {
    /// As the author wrote it (« 2 x 55 min »).
    pub affichage: String,
    /// ISO 8601 total duration (`PT1H50M`).
    pub iso: String,
    /// Total minutes, for sorting and the index fast field.
    pub minutes: u32,
}

/// Validated front matter of a scenario. Vocabulary fields hold keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub titre: String,
    pub resume: String,
    pub date: NaiveDate,
    pub mise_a_jour: Option<NaiveDate>,
    pub auteurs: Vec<Auteur>,
    pub academie: String,
    pub disciplines: Vec<String>,
    pub niveaux: Vec<String>,
    pub cycles: Vec<String>,
    pub types: Vec<String>,
    pub modalites: Vec<String>,
    pub duree: Option<Duree>,
    /// Free list, as written (trimmed).
    pub outils: Vec<String>,
    /// CRCN codes (`1.1` … `5.2`).
    pub competences_numeriques: Vec<String>,
    pub mots_cles: Vec<String>,
    /// SPDX identifier.
    pub licence: String,
    /// Picture of the bundle (relative path) or absolute URL.
    pub vignette: Option<String>,
    pub vignette_alt: Option<String>,
    pub ressources: Vec<Ressource>,
    pub url_source: Option<String>,
    pub brouillon: bool,
}

/// One scenario: a Markdown file under `content/scenarios/`.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// Unique identifier, used in the URL `scenarios/<slug>/`.
    pub slug: String,
    /// Source file, relative to the site root (`content/scenarios/maths/pythagore.md`).
    pub source: PathBuf,
    /// For a bundle (`…/index.md`): the folder whose other files are copied beside the page,
    /// relative to the site root.
    pub bundle_dir: Option<PathBuf>,
    /// Files of the bundle, relative to `bundle_dir` (sorted).
    pub bundle_files: Vec<PathBuf>,
    pub meta: Metadata,
    /// Markdown body (after the front matter): a slice of the source file's bytes when the
    /// scenario comes from the reading cache.
    pub body: BodyText,
    /// Line of the source file where the body starts (1-based), to locate Markdown problems.
    pub body_line: usize,
    /// Set for a scenario harvested from another vitrine's catalogue (`vitrine harvest`): it
    /// has no page here, every link goes to its page on the académie's site.
    pub origine: Option<Origine>,
}

impl Scenario {
    /// Whether the scenario comes from another vitrine (no page, no export here).
    pub fn is_harvested(&self) -> bool {
        self.origine.is_some()
    }
}

/// Where a harvested scenario comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origine {
    /// The harvest source, as messages name it (`nom` of the configuration, else its address).
    pub source: String,
    /// Canonical address of the scenario's page on the académie's site.
    pub url: String,
}

/// A free page (`content/pages/*.md`) or the home text (`content/_index.md`).
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub slug: String,
    pub source: PathBuf,
    pub titre: String,
    pub description: Option<String>,
    /// Order in the footer menu (ascending), then title.
    pub ordre: i64,
    pub body: String,
    pub body_line: usize,
}

/// Everything under `content/`, validated.
#[derive(Debug, Clone)]
pub struct SiteContent {
    pub home: Page,
    pub pages: Vec<Page>,
    /// Sorted newest first, then by slug: the order of every listing.
    /// Shared, so an incremental rebuild (`vitrine serve`) reuses unchanged scenarios.
    pub scenarios: Vec<Arc<Scenario>>,
}

#[cfg(test)]
impl SiteContent {
    /// A site with these scenarios (in this order), an empty home page and no other page.
    pub fn with_scenarios(scenarios: Vec<Scenario>) -> SiteContent {
        SiteContent {
            home: Page {
                slug: String::new(),
                source: "content/_index.md".into(),
                titre: "Accueil".to_string(),
                description: None,
                ordre: 0,
                body: String::new(),
                body_line: 1,
            },
            pages: Vec::new(),
            scenarios: scenarios.into_iter().map(Arc::new).collect(),
        }
    }
}

#[cfg(test)]
impl Scenario {
    /// A valid scenario for unit tests (`content/scenarios/<slug>.md`, mathematics, 5e, Lyon,
    /// 1 March 2025, nothing optional): each test sets what it is about.
    pub fn example(slug: &str) -> Scenario {
        Scenario {
            slug: slug.to_string(),
            source: PathBuf::from(format!("content/scenarios/{slug}.md")),
            bundle_dir: None,
            bundle_files: Vec::new(),
            meta: Metadata {
                titre: "Titre".to_string(),
                resume: "Résumé.".to_string(),
                date: NaiveDate::from_ymd_opt(2025, 3, 1).expect("date"),
                mise_a_jour: None,
                auteurs: Vec::new(),
                academie: "ac-lyon".to_string(),
                disciplines: vec!["mathematiques".to_string()],
                niveaux: vec!["5e".to_string()],
                cycles: vec!["cycle-4".to_string()],
                types: Vec::new(),
                modalites: Vec::new(),
                duree: None,
                outils: Vec::new(),
                competences_numeriques: Vec::new(),
                mots_cles: Vec::new(),
                licence: String::new(),
                vignette: None,
                vignette_alt: None,
                ressources: Vec::new(),
                url_source: None,
                brouillon: false,
            },
            body: BodyText::default(),
            body_line: 1,
            origine: None,
        }
    }

    /// A scenario whose texts hold markup, quotes and separators (`<b>`, `&`, `"`, `;`, `<`):
    /// the exports and JSON-LD must escape them.
    pub fn with_markup(titre: &str) -> Scenario {
        let mut s = Scenario::example("hostile");
        let meta = &mut s.meta;
        meta.titre = titre.to_string();
        meta.resume = "Résumé <b>gras</b> & « guillemets »".to_string();
        meta.date = NaiveDate::from_ymd_opt(2024, 3, 1).expect("date");
        meta.auteurs = vec![Auteur {
            nom: "Anne; \"Dupont\", <x>".to_string(),
            fonction: None,
            etablissement: Some("Collège & lycée".to_string()),
        }];
        meta.disciplines = vec!["mathematiques".to_string(), "snt".to_string()];
        meta.types = vec!["scenario-pedagogique".to_string()];
        meta.modalites = vec!["en-groupe".to_string()];
        meta.duree = Some(Duree {
            affichage: "2 x 55 min".to_string(),
            iso: "PT1H50M".to_string(),
            minutes: 110,
        });
        meta.mots_cles = vec!["a<b".to_string()];
        meta.licence = "CC-BY-4.0".to_string();
        s
    }
}
