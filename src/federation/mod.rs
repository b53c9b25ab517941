//! National vitrine (federation): scenarios of other vitrines, harvested from their
//! `catalogue.json`, shown beside the local ones.
//!
//! Two steps, so that a build never touches the network:
//! 1. `vitrine harvest` ([`fetch::harvest`]) downloads (or reads) each configured source and
//!    keeps it in `.vitrine-cache/moisson/<id>.json`; a source that fails keeps its previous copy.
//! 2. every build ([`load`] then [`merge`]) reads that cache, turns each valid entry into a
//!    [`Scenario`] with an [`Origine`](crate::content::Origine), and merges them into the
//!    content: they count in listings, facets, search and related scenarios, but get no page
//!    (their links go to the académie's site) and no export (see `docs/catalogue.md`: a
//!    national vitrine re-publishing what it harvests would make loops between vitrines).
//!
//! Nothing here fails a build: an unreadable cache, an invalid entry or a duplicate is a
//! warning, and the entry is left out.

pub mod entry;
pub mod fetch;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::config::{Config, SourceLocation, CACHE_DIR};
use crate::content::{Scenario, SiteContent};
use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::publish::urls;
use crate::publish::urls::absolute_url;
use crate::text::slugify;
use crate::vocab::Vocabularies;

/// Folder of the harvested catalogues, under the cache folder.
pub const HARVEST_DIR: &str = "moisson";
/// The only `schema_version` of `catalogue.json` this version reads.
pub const SCHEMA_VERSION: u64 = 1;
/// Longest source id (file names stay well under the usual 255 bytes).
const MAX_ID_CHARS: usize = 80;

/// A configured source, with where its catalogue is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// File name stem in the cache: a slug of the address or path.
    pub id: String,
    /// What messages call it (`nom`, else the address or path).
    pub label: String,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `http(s)://…/catalogue.json`.
    Url(String),
    /// A file, absolute or relative to the site root (as written).
    File(PathBuf),
}

impl Source {
    /// The cache file, relative to the site root.
    pub fn cache_file(&self) -> PathBuf {
        Path::new(CACHE_DIR)
            .join(HARVEST_DIR)
            .join(format!("{}.json", self.id))
    }

    /// The metadata file beside it (address, date, size of the last successful harvest).
    pub fn meta_file(&self) -> PathBuf {
        Path::new(CACHE_DIR)
            .join(HARVEST_DIR)
            .join(format!("{}.meta.json", self.id))
    }

    /// The address or path, as written in the configuration.
    pub fn written(&self) -> String {
        match &self.location {
            Location::Url(url) => url.clone(),
            Location::File(path) => path.display().to_string(),
        }
    }

    /// « source « Académie de Lyon » (https://…) », the address only once when unnamed.
    pub fn describe(&self) -> String {
        let written = self.written();
        if self.label == written {
            format!("source « {written} »")
        } else {
            format!("source « {} » ({written})", self.label)
        }
    }
}

/// The sources of the configuration, in its order, each with a distinct id.
pub fn sources(config: &Config) -> Vec<Source> {
    let Some(harvest) = &config.moissonnage else {
        return Vec::new();
    };
    let mut out: Vec<Source> = Vec::new();
    for s in &harvest.sources {
        let (base, location) = match s.location() {
            SourceLocation::Url(url) => (
                url.split_once("://").map_or(url, |(_, rest)| rest),
                Location::Url(url.to_string()),
            ),
            SourceLocation::Path(path) => (path, Location::File(PathBuf::from(path))),
        };
        let mut id: String = slugify(base).chars().take(MAX_ID_CHARS).collect();
        id = id.trim_end_matches('-').to_string();
        if id.is_empty() {
            id = "source".to_string();
        }
        let stem = id.clone();
        let mut n = 2;
        while out.iter().any(|o| o.id == id) {
            id = format!("{stem}-{n}");
            n += 1;
        }
        out.push(Source {
            id,
            label: s.label().to_string(),
            location,
        });
    }
    out
}

/// The catalogue without the UTF-8 byte order mark some editors (Windows Notepad) write at
/// the start of a file: JSON forbids it, but it says nothing about the content.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// A JSON syntax error in French, with its line and column (serde_json's text is English).
pub fn json_problem(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let what = text
        .rfind(" at line ")
        .map_or(text.as_str(), |i| &text[..i]);
    let french = match what {
        w if w.starts_with("EOF while parsing") => {
            "le fichier s'arrête avant la fin du JSON (tronqué ?)"
        }
        "expected `:`" => "« : » manquant après une clé",
        "expected `,` or `]`" => "« , » ou « ] » manquant dans une liste",
        "expected `,` or `}`" => "« , » ou « } » manquant dans un objet",
        "expected value" | "expected ident" => "valeur JSON attendue ici",
        "expected `\"`" => "guillemet « \" » manquant",
        "invalid escape"
        | "unexpected end of hex escape"
        | "lone leading surrogate in hex escape" => {
            "séquence d'échappement « \\ » incorrecte dans un texte"
        }
        "invalid number" | "number out of range" => "nombre mal écrit ou trop grand",
        "invalid unicode code point" => "texte qui n'est pas de l'UTF-8 valide",
        w if w.starts_with("control character") => {
            "caractère de contrôle non échappé dans un texte"
        }
        "key must be a string" => "clé d'objet qui n'est pas un texte",
        "trailing comma" => "virgule en trop avant la fin d'une liste ou d'un objet",
        "trailing characters" => "contenu en trop après la fin du JSON",
        "recursion limit exceeded" => {
            "listes ou objets imbriqués trop profondément (plus de 128 niveaux)"
        }
        _ => "JSON mal formé",
    };
    if err.line() == 0 {
        french.to_string()
    } else {
        format!("{french}, ligne {} colonne {}", err.line(), err.column())
    }
}

/// What is wrong with a catalogue as a whole (not with one of its entries).
pub fn catalogue_problem(json: &Value) -> Option<String> {
    let Some(map) = json.as_object() else {
        return Some("ce n'est pas un catalogue vitrine (objet JSON attendu)".to_string());
    };
    match map.get("schema_version") {
        Some(v) if v.as_u64() == Some(SCHEMA_VERSION) => {}
        Some(v) => {
            return Some(format!(
            "version de schéma {v} non prise en charge (seule la version {SCHEMA_VERSION} l'est)"
        ))
        }
        None => {
            return Some(
                "ce n'est pas un catalogue vitrine (pas de « schema_version »)".to_string(),
            )
        }
    }
    if !map.get("scenarios").is_some_and(Value::is_array) {
        return Some("ce n'est pas un catalogue vitrine (pas de liste « scenarios »)".to_string());
    }
    None
}

/// The harvested scenarios read from the cache, and what was left out.
#[derive(Debug, Default)]
pub struct Harvested {
    pub scenarios: Vec<Scenario>,
    pub warnings: Vec<Diagnostic>,
}

/// Reads the cached catalogue of every configured source and converts their entries.
pub fn load(root: &Path, config: &Config, vocabs: &Vocabularies) -> Harvested {
    let mut harvested = Harvested::default();
    for source in sources(config) {
        load_source(root, &source, config, vocabs, &mut harvested);
    }
    harvested
}

fn load_source(
    root: &Path,
    source: &Source,
    config: &Config,
    vocabs: &Vocabularies,
    into: &mut Harvested,
) {
    let file = source.cache_file();
    let warn = |kind: ErrorKind, message: String| {
        Diagnostic::new(
            kind,
            &file,
            format!("source « {} » : {message}", source.label),
        )
    };
    let bytes = match std::fs::read(root.join(&file)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            into.warnings.push(warn(
                ErrorKind::Io,
                "jamais moissonnée : lancez « vitrine harvest » pour la télécharger".to_string(),
            ));
            return;
        }
        Err(e) => {
            let message = format!(
                "cache illisible ({})",
                crate::diagnostics::io_message_fr(&e)
            );
            into.warnings.push(warn(ErrorKind::Io, message));
            return;
        }
    };
    let json: Value = match serde_json::from_slice(strip_bom(&bytes)) {
        Ok(json) => json,
        Err(e) => {
            let message = format!("cache illisible, JSON incorrect : {}", json_problem(&e));
            into.warnings.push(warn(ErrorKind::InvalidValue, message));
            return;
        }
    };
    if let Some(problem) = catalogue_problem(&json) {
        into.warnings.push(warn(ErrorKind::InvalidValue, problem));
        return;
    }
    let entries = json["scenarios"].as_array().map_or(&[][..], Vec::as_slice);
    let from = entry::EntrySource {
        file: &file,
        label: &source.label,
    };
    let mut warnings = SourceWarnings::default();
    if entries.len() > MAX_ENTRIES_PER_SOURCE {
        let message = format!(
            "{} scénarios dans le catalogue : seuls les {MAX_ENTRIES_PER_SOURCE} premiers sont lus (plafond du moissonnage, voir docs/catalogue.md)",
            entries.len()
        );
        warnings.push(warn(ErrorKind::InvalidValue, message).field("scenarios"));
    }
    for (i, item) in entries.iter().take(MAX_ENTRIES_PER_SOURCE).enumerate() {
        let which = match entry::entry_id(item) {
            Some(id) => format!("scénario n° {} « {} »", i + 1, short(id)),
            None => format!("scénario n° {} (sans id)", i + 1),
        };
        let field = |p: &entry::Problem| {
            if p.field.is_empty() {
                format!("scenarios[{i}]")
            } else {
                format!("scenarios[{i}].{}", p.field)
            }
        };
        match entry::convert(item, vocabs, &config.licence, &from) {
            Ok(converted) => {
                for p in converted.notes {
                    let message = format!("{which} : {}", p.message);
                    warnings.push(warn(p.kind, message).field(field(&p)));
                }
                into.scenarios.push(converted.scenario);
            }
            Err(problems) => {
                for p in problems {
                    let message = format!("{which} ignoré : {}", p.message);
                    let diagnostic = warn(p.kind, message).field(field(&p));
                    warnings.push(diagnostic.suggest(p.suggestion));
                }
            }
        }
    }
    if warnings.more > 0 {
        let message = format!(
            "et {} autres avertissements sur cette source, non affichés (les {MAX_WARNINGS_PER_SOURCE} premiers le sont)",
            warnings.more
        );
        warnings.shown.push(warn(ErrorKind::InvalidValue, message));
    }
    into.warnings.extend(warnings.shown);
}

/// Entries read from one catalogue (an académie publishes a few thousand at most).
pub const MAX_ENTRIES_PER_SOURCE: usize = 20_000;
/// Warnings shown for one source; the others are counted in one more line.
pub const MAX_WARNINGS_PER_SOURCE: usize = 100;
/// Tools used by harvested scenarios only that get a page of their own (`outils/<outil>/`).
pub const MAX_HARVESTED_TOOL_PAGES: usize = 500;

/// The warnings of one source, bounded so a broken catalogue does not flood the output.
#[derive(Default)]
struct SourceWarnings {
    shown: Vec<Diagnostic>,
    more: usize,
}

impl SourceWarnings {
    fn push(&mut self, diagnostic: Diagnostic) {
        if self.shown.len() < MAX_WARNINGS_PER_SOURCE {
            self.shown.push(diagnostic);
        } else {
            self.more += 1;
        }
    }
}

/// At most 80 characters of a text taken from a catalogue, printable, for messages.
fn short(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", entry::printable(&text[..cut])),
        None => entry::printable(text),
    }
}

/// Adds the harvested scenarios to the content, once each: a scenario with the id or the
/// canonical address of one already there (local first, then earlier sources) is left out
/// and reported. Keeps the content's order (newest first, then by id).
pub fn merge(
    content: &mut SiteContent,
    base_url: &str,
    harvested: Vec<Scenario>,
) -> Vec<Diagnostic> {
    if harvested.is_empty() {
        return Vec::new();
    }
    let mut by_id: HashMap<String, String> = HashMap::new();
    let mut by_url: HashMap<String, String> = HashMap::new();
    for s in &content.scenarios {
        let what = format!("le scénario local {}", s.source.display());
        if let Some(url) = absolute_url(base_url, &urls::scenario(&s.slug)) {
            by_url.insert(url, what.clone());
        }
        by_id.insert(s.slug.clone(), what);
    }
    let mut warnings = Vec::new();
    let mut kept = Vec::new();
    for scenario in harvested {
        let Some(origine) = scenario.origine.clone() else {
            continue;
        };
        let clash = by_id
            .get(&scenario.slug)
            .map(|w| ("même identifiant", w))
            .or_else(|| by_url.get(&origine.url).map(|w| ("même adresse", w)));
        if let Some((same, what)) = clash {
            warnings.push(
                Diagnostic::new(
                    ErrorKind::DuplicateSlug,
                    &scenario.source,
                    format!(
                        "source « {} » : scénario « {} » ({}) en double ({same} que {what}) : gardé une seule fois",
                        origine.source, scenario.slug, origine.url
                    ),
                )
                .field("id"),
            );
            continue;
        }
        let what = format!(
            "le scénario « {} » de la source « {} »",
            scenario.slug, origine.source
        );
        by_id.insert(scenario.slug.clone(), what.clone());
        by_url.insert(origine.url.clone(), what);
        kept.push(scenario);
    }
    warnings.extend(cap_tool_pages(&content.scenarios, &mut kept));
    content.scenarios.extend(kept.into_iter().map(Arc::new));
    content.scenarios.sort_by(|a, b| {
        b.meta
            .date
            .cmp(&a.meta.date)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    warnings
}

/// Bounds the tool pages harvested data creates. Every tool of a local scenario keeps its page
/// (harvested scenarios using it join it); of the tools only harvested scenarios use, the
/// [`MAX_HARVESTED_TOOL_PAGES`] used by the most scenarios (then in slug order) get one. The
/// others move to the scenario's keywords: still found by search, no page. One warning per
/// source concerned.
fn cap_tool_pages(local: &[Arc<Scenario>], harvested: &mut [Scenario]) -> Vec<Diagnostic> {
    let local_tools: HashSet<String> = local
        .iter()
        .flat_map(|s| s.meta.outils.iter().map(|t| slugify(t)))
        .collect();
    let mut uses: HashMap<String, usize> = HashMap::new();
    for scenario in harvested.iter() {
        let slugs: HashSet<String> = scenario.meta.outils.iter().map(|t| slugify(t)).collect();
        for slug in slugs.into_iter().filter(|s| !local_tools.contains(s)) {
            *uses.entry(slug).or_default() += 1;
        }
    }
    if uses.len() <= MAX_HARVESTED_TOOL_PAGES {
        return Vec::new();
    }
    let mut ranked: Vec<(String, usize)> = uses.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let without_page: HashSet<String> = ranked
        .into_iter()
        .skip(MAX_HARVESTED_TOOL_PAGES)
        .map(|(slug, _)| slug)
        .collect();
    // Per source, in order of first appearance: the tools left without a page, and its file.
    let mut per_source: Vec<(String, PathBuf, BTreeSet<String>)> = Vec::new();
    for scenario in harvested.iter_mut() {
        let moved = demote_tools(scenario, &without_page);
        if moved.is_empty() {
            continue;
        }
        let source = scenario.origine.as_ref().map_or("", |o| o.source.as_str());
        match per_source.iter_mut().find(|(s, _, _)| s == source) {
            Some((_, _, tools)) => tools.extend(moved),
            None => per_source.push((
                source.to_string(),
                scenario.source.clone(),
                moved.into_iter().collect(),
            )),
        }
    }
    per_source
        .into_iter()
        .map(|(source, file, tools)| {
            let examples: Vec<String> = tools.iter().take(3).map(|t| format!("« {t} »")).collect();
            Diagnostic::new(
                ErrorKind::InvalidValue,
                file,
                format!(
                    "source « {source} » : {} outils cités seulement par des scénarios moissonnés n'ont pas de page (au plus {MAX_HARVESTED_TOOL_PAGES} pages d'outils pour les scénarios moissonnés, voir docs/catalogue.md) ; ils restent trouvables par la recherche, comme mots-clés (par exemple {})",
                    tools.len(),
                    examples.join(", ")
                ),
            )
            .field("outils")
        })
        .collect()
}

/// Moves the tools of `scenario` whose slug is in `without_page` to its keywords; returns them.
fn demote_tools(scenario: &mut Scenario, without_page: &HashSet<String>) -> Vec<String> {
    let (moved, kept): (Vec<String>, Vec<String>) = std::mem::take(&mut scenario.meta.outils)
        .into_iter()
        .partition(|t| without_page.contains(&slugify(t)));
    scenario.meta.outils = kept;
    let mut keywords: HashSet<String> = scenario.meta.mots_cles.iter().cloned().collect();
    for tool in &moved {
        if keywords.insert(tool.clone()) {
            scenario.meta.mots_cles.push(tool.clone());
        }
    }
    moved
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::Origine;
    use crate::publish::wording::marker;
    use crate::vocab::VocabName;

    pub use crate::testing::assert_french;

    fn config(yaml: &str) -> Config {
        Config::parse(&format!("titre: T\nbase_url: https://national.fr/\n{yaml}")).expect("config")
    }

    #[test]
    fn sources_get_distinct_ids_from_their_address() {
        let c = config(
            "moissonnage:\n  sources:\n    - url: https://vitrine.ac-lyon.fr/catalogue.json\n      nom: Lyon\n    - chemin: ../a/catalogue.json\n    - chemin: ../a/catalogue-json\n",
        );
        let s = sources(&c);
        assert_eq!(s[0].id, "vitrine-ac-lyon-fr-catalogue-json");
        assert_eq!(s[0].label, "Lyon");
        assert_eq!(
            s[0].cache_file(),
            Path::new(".vitrine-cache/moisson/vitrine-ac-lyon-fr-catalogue-json.json")
        );
        assert_eq!(s[1].id, "a-catalogue-json");
        assert_eq!(s[1].label, "../a/catalogue.json");
        assert_eq!(
            s[1].location,
            Location::File(PathBuf::from("../a/catalogue.json"))
        );
        assert_eq!(s[2].id, "a-catalogue-json-2");
    }

    #[test]
    fn catalogue_shape_is_checked() {
        assert!(
            catalogue_problem(&serde_json::json!({"schema_version": 1, "scenarios": []})).is_none()
        );
        let v2 = catalogue_problem(&serde_json::json!({"schema_version": 2, "scenarios": []}));
        assert!(v2.expect("v2").contains("version de schéma 2"));
        assert!(catalogue_problem(&serde_json::json!([])).is_some());
        assert!(catalogue_problem(&serde_json::json!({"schema_version": 1})).is_some());
    }

    fn scenario(slug: &str, day: u32, url: Option<&str>) -> Scenario {
        let mut s = Scenario::example(slug);
        s.meta.date = chrono::NaiveDate::from_ymd_opt(2025, 1, day).expect("date");
        s.origine = url.map(|u| Origine {
            source: "A".to_string(),
            url: u.to_string(),
        });
        s
    }

    #[test]
    fn duplicates_by_id_or_address_are_kept_once_local_first() {
        let mut site = SiteContent::with_scenarios(vec![scenario("local", 5, None)]);
        let harvested = vec![
            scenario("a", 1, Some("https://a.fr/scenarios/a/")),
            // Same id as a local scenario.
            scenario("local", 9, Some("https://a.fr/scenarios/local/")),
            // Same canonical address as the local one.
            scenario("autre", 9, Some("https://national.fr/scenarios/local/")),
            // Same address as an earlier harvested one.
            scenario("a-bis", 3, Some("https://a.fr/scenarios/a/")),
            scenario("b", 7, Some("https://b.fr/scenarios/b/")),
        ];
        let warnings = merge(&mut site, "https://national.fr/", harvested);
        let slugs: Vec<&str> = site.scenarios.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(slugs, ["b", "local", "a"], "newest first");
        assert!(!site.scenarios[1].is_harvested());
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings.iter().all(|w| w.kind == ErrorKind::DuplicateSlug));
        assert!(warnings[0]
            .message
            .contains("même identifiant que le scénario local"));
        assert!(warnings[1]
            .message
            .contains("même adresse que le scénario local"));
        assert!(warnings[2].message.contains("« a » de la source « A »"));
    }

    #[test]
    fn the_marker_names_the_academy() {
        let vocabs = Vocabularies::builtin().expect("vocabs");
        let mut s = scenario("a", 1, Some("https://a.fr/"));
        s.meta.academie = vocabs
            .get(VocabName::Academies)
            .resolve("Orléans-Tours")
            .expect("academy")
            .cle
            .clone();
        assert_eq!(
            marker(&vocabs, &s).as_deref(),
            Some("Sur le site de l'académie d'Orléans-Tours")
        );
        s.origine = None;
        assert_eq!(marker(&vocabs, &s), None);
    }

    /// 20 harvested scenarios × 1,000 distinct tools (already cut to `MAX_TOOLS` each by the
    /// entry caps) plus a tool all share: local tools and the most used harvested ones keep a
    /// page, the rest become keywords, one warning per source.
    #[test]
    fn harvested_tool_pages_are_bounded() {
        let mut local = scenario("local", 1, None);
        local.meta.outils = vec!["Tableur".to_string()];
        let content = vec![Arc::new(local)];
        let mut harvested: Vec<Scenario> = (0..40)
            .map(|n| {
                let mut s = scenario(&format!("h{n}"), 2, Some(&format!("https://a.fr/{n}/")));
                s.meta.outils = (0..entry::MAX_TOOLS - 2)
                    .map(|i| format!("Outil {n}-{i}"))
                    .chain(["GeoGebra".to_string(), "tableur".to_string()])
                    .collect();
                s
            })
            .collect();
        let warnings = cap_tool_pages(&content, &mut harvested);
        let mut pages: HashSet<String> = HashSet::new();
        for s in &harvested {
            pages.extend(s.meta.outils.iter().map(|t| slugify(t)));
        }
        pages.remove("tableur");
        assert_eq!(pages.len(), MAX_HARVESTED_TOOL_PAGES);
        assert!(
            pages.contains("geogebra"),
            "the most used one keeps its page"
        );
        assert!(harvested
            .iter()
            .all(|s| s.meta.outils.contains(&"tableur".to_string())));
        let demoted: usize = harvested
            .iter()
            .map(|s| {
                s.meta
                    .mots_cles
                    .iter()
                    .filter(|k| k.starts_with("Outil"))
                    .count()
            })
            .sum();
        assert_eq!(
            demoted,
            40 * (entry::MAX_TOOLS - 2) + 1 - MAX_HARVESTED_TOOL_PAGES
        );
        assert_eq!(warnings.len(), 1, "one source: {warnings:?}");
        assert!(
            warnings[0].message.contains("source « A »"),
            "{}",
            warnings[0].message
        );
        assert_french(&warnings[0].message);
        // Under the bound nothing moves.
        let mut few = vec![scenario("f", 2, Some("https://a.fr/f/"))];
        few[0].meta.outils = vec!["Scratch".to_string()];
        assert!(cap_tool_pages(&content, &mut few).is_empty());
        assert_eq!(few[0].meta.outils, ["Scratch"]);
    }

    /// A cap note on a kept entry names the source, the entry (number and id) and the field.
    #[test]
    fn cap_notes_name_source_entry_and_field() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = config("moissonnage:\n  sources:\n    - chemin: a.json\n      nom: Académie A\n");
        let vocabs = Vocabularies::builtin().expect("vocabs");
        let source = &sources(&c)[0];
        let entry = serde_json::json!({
            "id": "gros", "url": "https://a.fr/scenarios/gros/", "titre": "Gros",
            "resume": "R", "date": "2025-01-01", "academie": "lyon",
            "disciplines": ["technologie"], "niveaux": ["5e"],
            "mots_cles": (0..1_000).map(|i| format!("m{i}")).collect::<Vec<_>>(),
        });
        let catalogue = serde_json::json!({"schema_version": 1, "scenarios": [{"id": "x"}, entry]});
        let cache = dir.path().join(source.cache_file());
        std::fs::create_dir_all(cache.parent().expect("parent")).expect("mkdir");
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(serde_json::to_vec(&catalogue).expect("json"));
        std::fs::write(&cache, bytes).expect("write");
        let harvested = load(dir.path(), &c, &vocabs);
        assert_eq!(harvested.scenarios.len(), 1, "{:?}", harvested.warnings);
        let note = harvested
            .warnings
            .iter()
            .find(|w| w.message.contains("« gros »"))
            .expect("note");
        assert!(
            note.message
                .starts_with("source « Académie A » : scénario n° 2 « gros » : « mots_cles »"),
            "{}",
            note.message
        );
        assert_eq!(note.field.as_deref(), Some("scenarios[1].mots_cles"));
        assert_french(&note.message);
    }

    /// A catalogue of 20,001 broken entries: the entries past the cap are not read, and the
    /// warnings past the cap are counted in one line.
    #[test]
    fn entries_and_warnings_of_a_source_are_bounded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = config("moissonnage:\n  sources:\n    - chemin: a.json\n      nom: A\n");
        let source = &sources(&c)[0];
        let entries = vec![Value::Null; MAX_ENTRIES_PER_SOURCE + 1];
        let catalogue = serde_json::json!({"schema_version": 1, "scenarios": entries});
        let cache = dir.path().join(source.cache_file());
        std::fs::create_dir_all(cache.parent().expect("parent")).expect("mkdir");
        std::fs::write(&cache, serde_json::to_vec(&catalogue).expect("json")).expect("write");
        let vocabs = Vocabularies::builtin().expect("vocabs");
        let harvested = load(dir.path(), &c, &vocabs);
        assert!(harvested.scenarios.is_empty());
        let w = &harvested.warnings;
        assert_eq!(w.len(), MAX_WARNINGS_PER_SOURCE + 1, "one summary line");
        assert!(w[0].message.contains("20001 scénarios"), "{}", w[0].message);
        assert!(w[0].message.contains("20000 premiers"), "{}", w[0].message);
        let read = MAX_ENTRIES_PER_SOURCE;
        let more = format!(
            "et {} autres avertissements",
            read + 1 - MAX_WARNINGS_PER_SOURCE
        );
        let last = &w[MAX_WARNINGS_PER_SOURCE];
        assert!(last.message.contains(&more), "{}", last.message);
        for warning in w {
            assert_french(&warning.message);
        }
    }
}
