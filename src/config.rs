//! The site configuration file, `vitrine.yaml`, at the site root.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{closest, Diagnostic, ErrorKind};
use crate::vocab::{Entry, VocabName};

pub const CONFIG_FILE: &str = "vitrine.yaml";

/// Folder of what a build keeps between runs (tantivy index, build cache, harvested
/// catalogues), under the site root (git-ignored).
pub const CACHE_DIR: &str = ".vitrine-cache";

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
    /// National vitrine: the catalogues of other vitrines that `vitrine harvest` downloads.
    #[serde(default)]
    pub moissonnage: Option<Moissonnage>,
    /// Copy opened from disk (USB key, `file://`): links to folders name their `index.html`.
    #[serde(default)]
    pub hors_ligne: bool,
    /// `build` also writes a `.gz` copy of each text file (as `--compresser`).
    #[serde(default)]
    pub compression: bool,
    /// `build` writes a Moodle / m@gistère package beside each published scenario and links it
    /// from its page. Off by default: it costs a third of the build time of a large site
    /// (BENCHMARKS.md); `vitrine paquet` works either way.
    #[serde(default)]
    pub paquets_moodle: bool,
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

/// Where and how `vitrine harvest` fetches other vitrines' `catalogue.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moissonnage {
    #[serde(default)]
    pub sources: Vec<HarvestSource>,
    /// Seconds allowed per source, connection and whole download included
    /// ([`HARVEST_DELAY_RANGE`], checked by [`Config::parse`]).
    #[serde(
        default = "default_harvest_delay",
        deserialize_with = "saturating_integer"
    )]
    pub delai: u64,
    /// Largest catalogue accepted, in megabytes (10^6 bytes) ([`HARVEST_MAX_MB_RANGE`]).
    #[serde(
        default = "default_harvest_max_mb",
        deserialize_with = "saturating_integer"
    )]
    pub taille_max: u64,
}

/// One harvested catalogue: exactly one of an http(s) address or a local path (checked by
/// [`Config::parse`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarvestSource {
    /// Name shown in messages (« Académie de Lyon »); the address or path otherwise.
    #[serde(default)]
    pub nom: Option<String>,
    /// `http://` or `https://` address of a `catalogue.json`.
    #[serde(default)]
    pub url: Option<String>,
    /// Path of a `catalogue.json`, relative to the site root (or absolute).
    #[serde(default)]
    pub chemin: Option<String>,
}

/// Where a source's catalogue is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceLocation<'a> {
    Url(&'a str),
    Path(&'a str),
}

impl HarvestSource {
    /// The address, else the path (a checked configuration has exactly one).
    pub fn location(&self) -> SourceLocation<'_> {
        match (non_blank(&self.url), non_blank(&self.chemin)) {
            (Some(url), _) => SourceLocation::Url(url),
            (None, chemin) => SourceLocation::Path(chemin.unwrap_or("")),
        }
    }

    /// The address or path as written in the configuration.
    pub fn written(&self) -> &str {
        match self.location() {
            SourceLocation::Url(s) | SourceLocation::Path(s) => s,
        }
    }

    /// What messages call the source: its name, or its address.
    pub fn label(&self) -> &str {
        non_blank(&self.nom).unwrap_or_else(|| self.written())
    }

    /// Why the source cannot be used, if it cannot.
    fn problem(&self) -> Option<String> {
        match (non_blank(&self.url), non_blank(&self.chemin)) {
            (Some(_), Some(_)) => Some(
                "une source de moissonnage a soit « url », soit « chemin », pas les deux"
                    .to_string(),
            ),
            (None, None) => Some(
                "une source de moissonnage a besoin d'une « url » (https://…/catalogue.json) ou d'un « chemin » vers un catalogue.json"
                    .to_string(),
            ),
            (Some(url), None) => {
                let scheme = url::Url::parse(url).map(|u| u.scheme().to_string());
                (!matches!(scheme.as_deref(), Ok("http" | "https"))).then(|| {
                    format!(
                        "adresse de source invalide « {url} » : elle doit commencer par https:// ou http:// (pour un fichier, écrivez « chemin: »)"
                    )
                })
            }
            (None, Some(_)) => None,
        }
    }
}

fn non_blank(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub const DEFAULT_HARVEST_DELAY_SECS: u64 = 20;
pub const DEFAULT_HARVEST_MAX_MB: u64 = 50;
/// Accepted `delai`, in seconds: an hour is already far more than a catalogue needs, and a
/// bounded value keeps the HTTP client's deadline arithmetic from overflowing.
pub const HARVEST_DELAY_RANGE: std::ops::RangeInclusive<u64> = 1..=3600;
/// Accepted `taille_max`, in megabytes: a catalogue is held in memory while it is checked.
pub const HARVEST_MAX_MB_RANGE: std::ops::RangeInclusive<u64> = 1..=1000;

/// Reads a whole number of any size: a negative one becomes 0 and one too large for `u64`
/// becomes `u64::MAX`, so that [`Config::check_harvest`] reports it as out of range, located,
/// instead of serde's English message.
/// The French message of [`SaturatingInteger`], passed through to the user as it is.
const INTEGER_EXPECTED: &str = "un nombre entier est attendu (par exemple 20)";

fn saturating_integer<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    deserializer.deserialize_any(SaturatingInteger)
}

struct SaturatingInteger;

impl serde::de::Visitor<'_> for SaturatingInteger {
    type Value = u64;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("un nombre entier")
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
        Ok(u64::try_from(v).unwrap_or(0))
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<u64, E> {
        Ok(u64::try_from(v).unwrap_or(u64::MAX))
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<u64, E> {
        Ok(if v < 0 {
            0
        } else {
            u64::try_from(v).unwrap_or(u64::MAX)
        })
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
        if v.is_finite() && v.fract() != 0.0 && v.abs() < 1e15 {
            return Err(E::custom(INTEGER_EXPECTED));
        }
        // `as` saturates: negative → 0, huge or infinite → u64::MAX.
        Ok(if v.is_nan() { u64::MAX } else { v as u64 })
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<u64, E> {
        Err(E::custom(INTEGER_EXPECTED))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<u64, E> {
        Err(E::custom(INTEGER_EXPECTED))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<u64, E> {
        Err(E::custom(INTEGER_EXPECTED))
    }
}

fn default_harvest_delay() -> u64 {
    DEFAULT_HARVEST_DELAY_SECS
}
fn default_harvest_max_mb() -> u64 {
    DEFAULT_HARVEST_MAX_MB
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
    "academie",
    "editeur",
    "vocabulaires",
    "moissonnage",
    "hors_ligne",
    "compression",
    "paquets_moodle",
];

impl Config {
    /// Reads `vitrine.yaml` from the site root.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let bytes = std::fs::read(&path).map_err(|e| {
            Diagnostic::new(
                ErrorKind::Config,
                CONFIG_FILE,
                format!(
                    "fichier de configuration illisible ({}) : lancez la commande dans le dossier du site ou indiquez-le avec --root",
                    crate::diagnostics::io_message_fr(&e)
                ),
            )
        })?;
        let source = crate::yaml::encoding::decode(Path::new(CONFIG_FILE), bytes)?;
        Config::parse(&source)
    }

    pub fn parse(source: &str) -> Result<Config, Diagnostic> {
        let config: Config = serde_yaml::from_str(source).map_err(|e| yaml_error(&e, source))?;
        config.check().map_err(|problem| {
            let (line, column) = problem
                .field
                .as_deref()
                .and_then(|field| yaml_position(source, field))
                .unwrap_or((0, 0));
            problem.at(line, column)
        })?;
        config.check_harvest(source)?;
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
        if let Some((message, meant)) = base_url_problem(&self.base_url) {
            return Err(Diagnostic::new(ErrorKind::Config, CONFIG_FILE, message)
                .field("base_url")
                .suggest(meant));
        }
        Ok(())
    }

    /// The harvest sources: each one usable, none listed twice; located in `source`.
    fn check_harvest(&self, source: &str) -> Result<(), Diagnostic> {
        let Some(harvest) = &self.moissonnage else {
            return Ok(());
        };
        let located = |path: &str, message: String| {
            let (line, column) = yaml_position(source, path).unwrap_or((0, 0));
            Diagnostic::new(ErrorKind::Config, CONFIG_FILE, message)
                .at(line, column)
                .field(path.to_string())
        };
        let settings = [
            ("delai", harvest.delai, HARVEST_DELAY_RANGE, "secondes"),
            ("taille_max", harvest.taille_max, HARVEST_MAX_MB_RANGE, "Mo"),
        ];
        for (key, value, range, unit) in settings {
            if !range.contains(&value) {
                let path = format!("moissonnage.{key}");
                let message = format!(
                    "{key} hors limites : il doit être compris entre {} et {} ({unit})",
                    range.start(),
                    range.end()
                );
                return Err(located(&path, message));
            }
        }
        for (i, s) in harvest.sources.iter().enumerate() {
            let path = format!("moissonnage.sources[{i}]");
            if let Some(problem) = s.problem() {
                return Err(located(&path, problem));
            }
            if harvest.sources[..i]
                .iter()
                .any(|o| o.written() == s.written())
            {
                let message = format!("la source « {} » est déjà listée", s.written());
                return Err(located(&path, message));
            }
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

/// What is wrong with `value` as the public address of a site (`base_url`, `--base-url`), in
/// French, with the address probably meant; `None` when it is fine or empty.
pub fn base_url_problem(value: &str) -> Option<(String, Option<String>)> {
    const EXAMPLE: &str = "exemple : https://www.ac-exemple.fr/vitrine/";
    if value.is_empty() {
        return None;
    }
    let web = |url: &url::Url| matches!(url.scheme(), "http" | "https") && url.has_host();
    let parsed = url::Url::parse(value).ok().filter(web);
    let Some(url) = parsed else {
        // « www.ac-lyon.fr/vitrine/ », « localhost:8080/ »: the scheme was left out.
        let completed = format!("https://{value}");
        let meant = (!value.contains("://"))
            .then(|| url::Url::parse(&completed).ok().filter(web))
            .flatten()
            .map(|_| completed);
        let message = if meant.is_some() {
            format!("l'adresse « {value} » n'est pas complète : il manque « https:// » au début")
        } else if value.starts_with("file:") {
            format!("l'adresse « {value} » n'est pas une adresse web : pour une copie ouverte depuis le disque (clé USB), laissez base_url vide et construisez avec --hors-ligne")
        } else {
            format!("l'adresse « {value} » n'est pas une adresse web complète commençant par https:// ou http:// ({EXAMPLE})")
        };
        return Some((message, meant));
    };
    if url.query().is_some() || url.fragment().is_some() {
        let mut meant = url.clone();
        meant.set_query(None);
        meant.set_fragment(None);
        return Some((
            format!("l'adresse « {value} » contient « ? » ou « # » : donnez seulement l'adresse du dossier du site ({EXAMPLE})"),
            Some(meant.to_string()),
        ));
    }
    None
}

/// Line and column of the value at `path` (`moissonnage.sources[1]`) in the YAML `source`.
fn yaml_position(source: &str, path: &str) -> Option<(usize, usize)> {
    crate::yaml::yaml_position(source, path)
}

/// Converts a serde_yaml error on the configuration into a located French diagnostic.
fn yaml_error(err: &serde_yaml::Error, source: &str) -> Diagnostic {
    let text = err.to_string();
    let ours = text.contains(INTEGER_EXPECTED);
    if !ours && !crate::yaml::french::is_data_error(&text) {
        let d = crate::yaml::yaml_diagnostic(Path::new(CONFIG_FILE), source, err, 1);
        return Diagnostic {
            kind: ErrorKind::Config,
            ..d
        };
    }
    // Nested errors read « moissonnage.sources[0]: unknown field … at line 4 column 7 ».
    let (path, message) = split_error_path(&text);
    let mut diag = Diagnostic::new(ErrorKind::Config, CONFIG_FILE, translate_serde(message));
    if let Some(loc) = err.location() {
        diag = diag.at(loc.line(), loc.column());
    }
    if let Some(unknown) = unknown_field_name(message) {
        let expected = expected_fields(message);
        let suggestion = match path {
            None => closest(&unknown, KNOWN_KEYS.iter().copied()),
            Some(_) => closest(&unknown, expected.iter().map(String::as_str)),
        };
        let field = match path {
            Some(path) => format!("{path}.{unknown}"),
            None => unknown.clone(),
        };
        diag = diag.field(field).suggest(suggestion);
    }
    diag
}

/// (`moissonnage.sources[0]`, `unknown field …`) from a nested serde_yaml message; the
/// position suffix is dropped (the diagnostic carries it).
fn split_error_path(text: &str) -> (Option<&str>, &str) {
    let text = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => text,
    };
    match text.split_once(": ") {
        Some((path, rest))
            if !path.is_empty() && !path.contains(char::is_whitespace) && !path.contains('`') =>
        {
            (Some(path), rest)
        }
        _ => (None, text),
    }
}

/// The keys serde lists after « expected one of ».
fn expected_fields(serde_message: &str) -> Vec<String> {
    let Some((_, expected)) = serde_message.split_once("expected") else {
        return Vec::new();
    };
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
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
    if message.contains(INTEGER_EXPECTED) {
        return INTEGER_EXPECTED.to_string();
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        return crate::yaml::french::type_message(message);
    }
    // Never the library's English text (see yaml::french).
    "valeur incorrecte : vérifiez cette clé dans la documentation de vitrine.yaml".to_string()
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
    fn a_base_url_must_be_a_web_address_of_a_folder() {
        let problem = |value: &str| base_url_problem(value).map(|(_, meant)| meant);
        assert_eq!(problem(""), None);
        assert_eq!(problem("https://www.ac-lyon.fr/vitrine/"), None);
        assert_eq!(problem("http://127.0.0.1:8080/"), None);
        assert_eq!(
            problem("www.ac-lyon.fr/vitrine/"),
            Some(Some("https://www.ac-lyon.fr/vitrine/".to_string()))
        );
        // Parsed by a URL library as the scheme « localhost »: refused all the same.
        assert_eq!(
            problem("localhost:8080/vitrine/"),
            Some(Some("https://localhost:8080/vitrine/".to_string()))
        );
        assert_eq!(
            problem("https://www.ac-lyon.fr/vitrine/?x=1#haut"),
            Some(Some("https://www.ac-lyon.fr/vitrine/".to_string()))
        );
        assert_eq!(problem("ftp://www.ac-lyon.fr/"), Some(None));
        let (message, _) = base_url_problem("file:///media/usb/vitrine/").expect("refused");
        assert!(message.contains("--hors-ligne"), "{message}");
    }

    #[test]
    fn a_wrong_base_url_is_located_in_the_configuration() {
        let err = Config::parse("titre: T\nbase_url: www.ac-lyon.fr/vitrine/\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 11));
        assert_eq!(err.field.as_deref(), Some("base_url"));
        assert_eq!(
            err.suggestion.as_deref(),
            Some("https://www.ac-lyon.fr/vitrine/")
        );
    }

    #[test]
    fn unknown_key_is_located_with_suggestion() {
        let err = Config::parse("titre: T\nthem: defaut\n").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Config);
        assert_eq!(err.line, 2);
        assert_eq!(err.suggestion.as_deref(), Some("theme"));
    }

    #[test]
    fn harvest_sources_parse_with_defaults() {
        let c = Config::parse(
            "titre: T\nmoissonnage:\n  sources:\n    - nom: Académie de Lyon\n      url: https://vitrine.ac-lyon.fr/catalogue.json\n    - chemin: ../normandie/public/catalogue.json\n",
        )
        .unwrap();
        let m = c.moissonnage.expect("moissonnage");
        assert_eq!(m.delai, DEFAULT_HARVEST_DELAY_SECS);
        assert_eq!(m.taille_max, DEFAULT_HARVEST_MAX_MB);
        assert_eq!(m.sources[0].label(), "Académie de Lyon");
        assert_eq!(
            m.sources[0].location(),
            SourceLocation::Url("https://vitrine.ac-lyon.fr/catalogue.json")
        );
        assert_eq!(m.sources[1].label(), "../normandie/public/catalogue.json");
        assert_eq!(
            m.sources[1].location(),
            SourceLocation::Path("../normandie/public/catalogue.json")
        );
    }

    fn harvest_error(yaml: &str) -> Diagnostic {
        Config::parse(&format!("titre: T\nmoissonnage:\n{yaml}")).unwrap_err()
    }

    #[test]
    fn a_source_needs_exactly_one_of_url_and_path() {
        let both = harvest_error(
            "  sources:\n    - url: https://a.fr/catalogue.json\n      chemin: a.json\n",
        );
        assert_eq!(both.kind, ErrorKind::Config);
        assert!(both.message.contains("pas les deux"), "{both}");
        assert_eq!(both.line, 4, "{both}");
        assert_eq!(both.field.as_deref(), Some("moissonnage.sources[0]"));
        let neither = harvest_error("  sources:\n    - url: https://a.fr/c.json\n    - nom: B\n");
        assert!(
            neither.message.contains("besoin d'une « url »"),
            "{neither}"
        );
        assert_eq!(neither.line, 5, "{neither}");
    }

    #[test]
    fn harvest_settings_are_checked() {
        let ftp = harvest_error("  sources:\n    - url: ftp://a.fr/c.json\n");
        assert!(ftp.message.contains("https://"), "{ftp}");
        let zero = harvest_error("  sources: []\n  delai: 0\n");
        assert!(zero.message.contains("delai"), "{zero}");
        assert_eq!(zero.line, 4, "{zero}");
        assert!(zero.message.contains("entre 1 et 3600"), "{zero}");
        let twice = harvest_error("  sources:\n    - chemin: a.json\n    - chemin: a.json\n");
        assert!(twice.message.contains("déjà listée"), "{twice}");
        assert_eq!(twice.line, 5, "{twice}");
        let unknown = harvest_error("  sources:\n    - adresse: https://a.fr/c.json\n");
        assert!(
            unknown.message.contains("clé inconnue « adresse »"),
            "{unknown}"
        );
        assert_eq!(unknown.line, 4, "{unknown}");
        assert_eq!(
            unknown.field.as_deref(),
            Some("moissonnage.sources[0].adresse")
        );
        let typo = harvest_error("  sources:\n    - chemn: a.json\n");
        assert_eq!(typo.suggestion.as_deref(), Some("chemin"), "{typo}");
    }

    /// Values the HTTP client cannot take (a deadline past the end of time) are located
    /// configuration errors giving the accepted range, never a panic later.
    #[test]
    fn out_of_range_harvest_settings_are_located() {
        let cases = [
            ("delai", "9223372036854775807", "entre 1 et 3600"),
            ("delai", "18446744073709551615", "entre 1 et 3600"),
            ("delai", "99999999999999999999999", "entre 1 et 3600"),
            ("delai", "3601", "entre 1 et 3600"),
            ("delai", "-5", "entre 1 et 3600"),
            ("taille_max", "1001", "entre 1 et 1000"),
            ("taille_max", "-1", "entre 1 et 1000"),
            ("taille_max", "1e300", "entre 1 et 1000"),
        ];
        for (key, value, range) in cases {
            let err = harvest_error(&format!("  sources: []\n  {key}: {value}\n"));
            assert_eq!(err.kind, ErrorKind::Config, "{key}: {value}: {err}");
            assert_eq!((err.line, err.column), (4, 3 + key.len() + 2), "{err}");
            assert_eq!(
                err.field.as_deref(),
                Some(format!("moissonnage.{key}").as_str())
            );
            assert!(err.message.contains(range), "{value}: {err}");
            assert!(err.message.contains("hors limites"), "{value}: {err}");
        }
        let fraction = harvest_error("  sources: []\n  delai: 2.5\n");
        assert!(fraction.message.contains("nombre entier"), "{fraction}");
        let ok = Config::parse("titre: T\nmoissonnage:\n  delai: 3600\n  taille_max: 1000\n");
        assert!(ok.is_ok(), "the bounds themselves are accepted");
    }
}
