//! The site configuration file, `vitrine.yaml`, at the site root.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{closest, Diagnostic, ErrorKind};
use crate::vocab::{Entry, VocabName};

pub const CONFIG_FILE: &str = "vitrine.yaml";

/// Site configuration. Keys are French, like the front matter.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the header and the `<title>` of every page.
    pub titre: String,
    /// One-sentence description (meta description, home page).
    #[serde(default)]
    pub description: String,
    /// Public address of the site, possibly with a sub-path (`https://www.ac-exemple.fr/vitrine/`).
    /// Empty: links are relative to the site root `/`.
    #[serde(default)]
    pub base_url: String,
    /// Theme folder name under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Licence (SPDX id) of scenarios that do not declare one.
    #[serde(default = "default_licence")]
    pub licence: String,
    /// Number of scenarios per listing page.
    #[serde(default = "default_page_size")]
    pub scenarios_par_page: usize,
    /// Number of newest scenarios on the home page.
    #[serde(default = "default_home_count")]
    pub scenarios_accueil: usize,
    /// Hosts whose `<iframe>` are kept in Markdown (videos from trusted platforms).
    #[serde(default)]
    pub iframes_autorisees: Vec<String>,
    /// Académie written in the scenarios created by `vitrine new` (any spelling of the vocabulary).
    #[serde(default)]
    pub academie: Option<String>,
    /// Publisher of the site (the académie, the DRANE…), shown in the footer.
    #[serde(default)]
    pub editeur: Option<Editeur>,
    /// Additions and overrides to the built-in vocabularies.
    #[serde(default)]
    pub vocabulaires: BTreeMap<VocabName, Vec<Entry>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Editeur {
    pub nom: String,
    #[serde(default)]
    pub url: Option<String>,
    /// Contact address of the publisher: the `adminEmail` of the OAI-PMH static repository.
    #[serde(default)]
    pub courriel: Option<String>,
}

fn default_theme() -> String {
    "defaut".to_string()
}
fn default_licence() -> String {
    "CC-BY-SA-4.0".to_string()
}
fn default_page_size() -> usize {
    12
}
fn default_home_count() -> usize {
    6
}

const KNOWN_KEYS: &[&str] = &[
    "titre",
    "description",
    "base_url",
    "theme",
    "licence",
    "scenarios_par_page",
    "scenarios_accueil",
    "iframes_autorisees",
    "editeur",
    "vocabulaires",
];

impl Config {
    /// Reads `vitrine.yaml` from the site root.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let source = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::new(
                ErrorKind::Config,
                CONFIG_FILE,
                format!(
                    "fichier de configuration illisible ({}) : lancez la commande dans le dossier du site ou indiquez-le avec --racine",
                    e.kind()
                ),
            )
        })?;
        Config::parse(&source)
    }

    pub fn parse(source: &str) -> Result<Config, Diagnostic> {
        let config: Config = serde_yaml::from_str(source).map_err(|e| yaml_error(&e, source))?;
        config.check()?;
        Ok(config)
    }

    pub fn check(&self) -> Result<(), Diagnostic> {
        if self.scenarios_par_page == 0 {
            return Err(Diagnostic::new(
                ErrorKind::Config,
                CONFIG_FILE,
                "scenarios_par_page doit être au moins 1",
            )
            .field("scenarios_par_page"));
        }
        if !self.base_url.is_empty() && url::Url::parse(&self.base_url).is_err() {
            return Err(Diagnostic::new(
                ErrorKind::Config,
                CONFIG_FILE,
                format!(
                    "base_url « {} » n'est pas une adresse complète (exemple : https://www.ac-exemple.fr/vitrine/)",
                    self.base_url
                ),
            )
            .field("base_url"));
        }
        Ok(())
    }

    /// The path prefix all links start with: `/` or `/vitrine/` for a sub-path deployment.
    pub fn base_path(&self) -> String {
        let path = url::Url::parse(&self.base_url)
            .map(|u| u.path().to_string())
            .unwrap_or_else(|_| "/".to_string());
        if path.ends_with('/') {
            path
        } else {
            format!("{path}/")
        }
    }
}

/// Converts a serde_yaml error on the configuration into a located French diagnostic.
fn yaml_error(err: &serde_yaml::Error, _source: &str) -> Diagnostic {
    let text = err.to_string();
    let mut diag = Diagnostic::new(ErrorKind::Config, CONFIG_FILE, translate_serde(&text));
    if let Some(loc) = err.location() {
        diag = diag.at(loc.line(), loc.column());
    }
    if let Some(unknown) = unknown_field_name(&text) {
        diag = diag
            .field(unknown.clone())
            .suggest(closest(&unknown, KNOWN_KEYS.iter().copied()));
    }
    diag
}

/// Extracts the key from serde's "unknown field `x`, expected …".
pub fn unknown_field_name(serde_message: &str) -> Option<String> {
    let rest = serde_message.strip_prefix("unknown field `")?;
    rest.split('`').next().map(str::to_string)
}

/// Serde's messages are English; referents read French.
pub fn translate_serde(message: &str) -> String {
    if let Some(key) = unknown_field_name(message) {
        return format!("clé inconnue « {key} »");
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or("");
        return format!("clé obligatoire absente : « {key} »");
    }
    if message.starts_with("invalid type") {
        return format!("type de valeur incorrect ({message})");
    }
    format!("YAML invalide : {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_handles_sub_paths() {
        let mut c =
            Config::parse("titre: T\nbase_url: https://www.ac-exemple.fr/vitrine\n").unwrap();
        assert_eq!(c.base_path(), "/vitrine/");
        c.base_url = String::new();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn unknown_key_is_located_with_suggestion() {
        let err = Config::parse("titre: T\nthem: defaut\n").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Config);
        assert_eq!(err.line, 2);
        assert_eq!(err.suggestion.as_deref(), Some("theme"));
    }
}
