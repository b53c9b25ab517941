//! One entry of a harvested `catalogue.json` (schema version 1, see `docs/catalogue.md`)
//! turned into a [`Scenario`] of this site, or the reasons it cannot be.
//!
//! Vocabulary values are read by their `cle` and resolved against this site's vocabularies
//! (so facets group local and harvested scenarios under the same keys); the label is tried
//! when the key is unknown here. A value that resolves to nothing makes the entry invalid.
//!
//! A catalogue comes from another server: every text and list is capped (see the `MAX_…`
//! constants and `docs/catalogue.md`, « Plafonds de chaque entrée moissonnée »), so that one hostile or
//! broken entry costs a bounded amount of work and output. Going over a cap is not fatal: the
//! text is shortened or the list cut, with one note per field, and the entry is kept.

use std::collections::HashSet;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::content::scenario::RESUME_MAX_CHARS;
use crate::content::{Auteur, Duree, Metadata, Origine, Scenario};
use crate::diagnostics::ErrorKind;
use crate::text::{plural, slugify, BodyText};
use crate::vocab::{VocabName, Vocabularies};

/// Longest title kept; a longer one is shortened (local titles are far shorter).
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest item of a list (keyword, tool, vocabulary key, author's name…): a longer one is
/// left out.
pub const MAX_ITEM_CHARS: usize = 200;
/// Longest `id` (a slug: it names files and anchors of the search bundle).
pub const MAX_ID_CHARS: usize = 200;
/// Longest canonical address.
pub const MAX_URL_CHARS: usize = 2000;
/// Items read from `mots_cles`.
pub const MAX_KEYWORDS: usize = 50;
/// Items read from `outils` (each tool may get a page: see `MAX_HARVESTED_TOOL_PAGES`).
pub const MAX_TOOLS: usize = 30;
/// Items read from `auteurs`.
pub const MAX_AUTHORS: usize = 30;
/// Items read from each vocabulary list (`disciplines`, `niveaux`, `cycles`, `types`,
/// `modalites`, `competences_numeriques`).
pub const MAX_TERMS: usize = 50;
/// Longest duration text and licence id.
pub const MAX_SHORT_CHARS: usize = 100;
/// Problems listed for one refused entry; the rest are counted in one more line.
pub const MAX_PROBLEMS_PER_ENTRY: usize = 20;

/// Why an entry (or one of its fields) is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ErrorKind,
    /// The key of the entry concerned (`disciplines[1]`).
    pub field: String,
    /// What is wrong, in French.
    pub message: String,
    pub suggestion: Option<String>,
}

/// Where an entry comes from, for the scenario's provenance.
pub struct EntrySource<'a> {
    /// Cache file the entry was read from, relative to the site root.
    pub file: &'a PathBuf,
    /// The source as messages name it.
    pub label: &'a str,
}

/// An accepted entry, with what was shortened or left out of it (one note per field).
#[derive(Debug)]
pub struct Converted {
    pub scenario: Scenario,
    pub notes: Vec<Problem>,
}

/// Collects the problems of one entry while reading its fields.
struct Reader<'a> {
    entry: &'a Map<String, Value>,
    vocabs: &'a Vocabularies,
    problems: Vec<Problem>,
    /// Problems beyond [`MAX_PROBLEMS_PER_ENTRY`], only counted.
    more_problems: usize,
    /// Caps applied to an entry that is otherwise kept.
    notes: Vec<Problem>,
}

/// The values of a list, each once, in first-seen order, in linear time.
#[derive(Default)]
struct Distinct {
    seen: HashSet<String>,
    values: Vec<String>,
}

impl Distinct {
    fn push(&mut self, value: String) {
        if self.seen.insert(value.clone()) {
            self.values.push(value);
        }
    }
}

/// What a cap did to one list: items past the cap, items too long.
#[derive(Default)]
struct Capped {
    total: usize,
    cap: usize,
    too_long: usize,
}

impl<'a> Reader<'a> {
    fn problem(&mut self, kind: ErrorKind, field: &str, message: String) {
        self.push_problem(Problem {
            kind,
            field: field.to_string(),
            message,
            suggestion: None,
        });
    }

    /// Keeps the report of a broken entry readable (and its cost bounded).
    fn push_problem(&mut self, problem: Problem) {
        if self.problems.len() < MAX_PROBLEMS_PER_ENTRY {
            self.problems.push(problem);
        } else {
            self.more_problems += 1;
        }
    }

    fn note(&mut self, field: &str, message: String) {
        self.notes.push(Problem {
            kind: ErrorKind::InvalidValue,
            field: field.to_string(),
            message: format!("{message} (plafond du moissonnage, voir docs/catalogue.md)"),
            suggestion: None,
        });
    }

    /// One note for a list that went over its caps, if it did.
    fn note_capped(&mut self, key: &str, capped: &Capped) {
        let mut parts = Vec::new();
        if capped.total > capped.cap {
            parts.push(format!(
                "{} éléments, seuls les {} premiers sont lus",
                capped.total, capped.cap
            ));
        }
        if capped.too_long > 0 {
            parts.push(format!(
                "{} élément{} de plus de {MAX_ITEM_CHARS} caractères laissé{} de côté",
                capped.too_long,
                plural(capped.too_long),
                plural(capped.too_long)
            ));
        }
        if !parts.is_empty() {
            self.note(key, format!("« {key} » : {}", parts.join(" ; ")));
        }
    }

    /// A text cut to `max` characters (an ellipsis marks the cut), with a note.
    fn shortened(&mut self, key: &str, text: String, max: usize) -> String {
        let Some((cut, _)) = text.char_indices().nth(max) else {
            return text;
        };
        let count = text.chars().count();
        self.note(
            key,
            format!("« {key} » trop long : {count} caractères, raccourci à {max}"),
        );
        let mut short = text[..cut].trim_end().to_string();
        short.pop();
        short.push('…');
        short
    }

    /// A text that must be present (and, when `non_empty`, not blank).
    fn required_text(&mut self, key: &str, non_empty: bool) -> Option<String> {
        match self.entry.get(key) {
            Some(Value::String(s)) if !non_empty || !s.trim().is_empty() => {
                Some(s.trim().to_string())
            }
            Some(Value::String(_)) => {
                self.problem(ErrorKind::MissingField, key, format!("« {key} » est vide"));
                None
            }
            None | Some(Value::Null) => {
                self.problem(
                    ErrorKind::MissingField,
                    key,
                    format!("« {key} » est absent"),
                );
                None
            }
            Some(other) => {
                self.problem(
                    ErrorKind::WrongType,
                    key,
                    format!("« {key} » doit être un texte, pas {}", describe(other)),
                );
                None
            }
        }
    }

    /// A text that may be absent or `null`.
    fn optional_text(&mut self, key: &str) -> Option<String> {
        match self.entry.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Some(other) => {
                self.problem(
                    ErrorKind::WrongType,
                    key,
                    format!("« {key} » doit être un texte, pas {}", describe(other)),
                );
                None
            }
        }
    }

    fn date(&mut self, key: &str, required: bool) -> Option<NaiveDate> {
        let text = if required {
            self.required_text(key, true)?
        } else {
            self.optional_text(key)?
        };
        let parsed = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
        if parsed.is_none() {
            self.problem(
                ErrorKind::InvalidValue,
                key,
                format!("date invalide « {text} » (attendu : AAAA-MM-JJ)"),
            );
        }
        parsed
    }

    /// The items of a list key; absent or `null` is an empty list.
    fn list(&mut self, key: &str) -> &'a [Value] {
        match self.entry.get(key) {
            None | Some(Value::Null) => &[],
            Some(Value::Array(items)) => items,
            Some(other) => {
                let message = format!("« {key} » doit être une liste, pas {}", describe(other));
                self.problem(ErrorKind::WrongType, key, message);
                &[]
            }
        }
    }

    /// The distinct texts of a list key, at most `cap` items read.
    fn texts(&mut self, key: &str, cap: usize) -> Vec<String> {
        let items = self.list(key);
        let mut capped = Capped {
            total: items.len(),
            cap,
            too_long: 0,
        };
        let mut out = Distinct::default();
        for (i, item) in items.iter().take(cap).enumerate() {
            match item {
                Value::String(s) if too_long(s.trim(), MAX_ITEM_CHARS) => capped.too_long += 1,
                Value::String(s) => {
                    let text = clean(s);
                    if !text.is_empty() {
                        out.push(text);
                    }
                }
                other => {
                    let message = format!("un texte est attendu, pas {}", describe(other));
                    self.problem(ErrorKind::WrongType, &format!("{key}[{i}]"), message);
                }
            }
        }
        self.note_capped(key, &capped);
        out.values
    }

    /// A vocabulary term (`{cle, libelle, uri}`, or a bare text) resolved to a key of ours.
    fn term(&mut self, field: &str, value: &Value, name: VocabName) -> Option<String> {
        let (key, label) = match value {
            Value::String(s) if too_long(s, MAX_ITEM_CHARS) => {
                let message = format!("valeur de plus de {MAX_ITEM_CHARS} caractères");
                self.problem(ErrorKind::InvalidValue, field, message);
                return None;
            }
            Value::String(s) => (s.as_str(), None),
            Value::Object(map) => match map.get("cle").or_else(|| map.get("code")) {
                Some(Value::String(cle)) => (
                    cle.as_str(),
                    map.get("libelle")
                        .and_then(Value::as_str)
                        .filter(|l| !too_long(l, MAX_ITEM_CHARS)),
                ),
                _ => {
                    let message = "terme sans « cle »".to_string();
                    self.problem(ErrorKind::MissingField, field, message);
                    return None;
                }
            },
            other => {
                let message = format!(
                    "un terme {{cle, libelle, uri}} est attendu, pas {}",
                    describe(other)
                );
                self.problem(ErrorKind::WrongType, field, message);
                return None;
            }
        };
        let vocab = self.vocabs.get(name);
        if too_long(key, MAX_ITEM_CHARS) {
            let message = format!("clé de plus de {MAX_ITEM_CHARS} caractères");
            self.problem(ErrorKind::InvalidValue, field, message);
            return None;
        }
        let found = vocab
            .get(key)
            .or_else(|| vocab.resolve(key))
            .or_else(|| label.and_then(|l| vocab.resolve(l)));
        match found {
            Some(entry) => Some(entry.cle.clone()),
            None => {
                self.push_problem(Problem {
                    kind: ErrorKind::UnknownVocabulary,
                    field: field.to_string(),
                    message: format!(
                        "valeur inconnue « {key} »{} : absente du vocabulaire {} de ce site",
                        label.map_or(String::new(), |l| format!(" (libellé « {l} »)")),
                        name.file_stem()
                    ),
                    suggestion: vocab.suggest(label.unwrap_or(key)),
                });
                None
            }
        }
    }

    /// The distinct terms of a list key, at most [`MAX_TERMS`] items read; when `required`,
    /// at least one.
    fn terms(&mut self, key: &str, name: VocabName, required: bool) -> Vec<String> {
        let items = self.list(key);
        let mut out = Distinct::default();
        for (i, item) in items.iter().take(MAX_TERMS).enumerate() {
            if let Some(k) = self.term(&format!("{key}[{i}]"), item, name) {
                out.push(k);
            }
        }
        if required && items.is_empty() {
            let message = format!("« {key} » est vide ou absent : au moins une valeur");
            self.problem(ErrorKind::MissingField, key, message);
        }
        let capped = Capped {
            total: items.len(),
            cap: MAX_TERMS,
            too_long: 0,
        };
        self.note_capped(key, &capped);
        out.values
    }

    fn auteurs(&mut self) -> Vec<Auteur> {
        let items = self.list("auteurs");
        let mut capped = Capped {
            total: items.len(),
            cap: MAX_AUTHORS,
            too_long: 0,
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().take(MAX_AUTHORS).enumerate() {
            let field = format!("auteurs[{i}]");
            let text = |map: &Map<String, Value>, k: &str| {
                map.get(k)
                    .and_then(Value::as_str)
                    .map(clean)
                    .filter(|s| !s.is_empty())
            };
            if author_too_long(item) {
                capped.too_long += 1;
                continue;
            }
            match item {
                Value::Object(map) => match text(map, "nom") {
                    Some(nom) => out.push(Auteur {
                        nom,
                        fonction: text(map, "fonction"),
                        etablissement: text(map, "etablissement"),
                    }),
                    None => {
                        let message = "auteur sans « nom »".to_string();
                        self.problem(ErrorKind::MissingField, &field, message);
                    }
                },
                Value::String(nom) if !nom.trim().is_empty() => out.push(Auteur {
                    nom: clean(nom),
                    fonction: None,
                    etablissement: None,
                }),
                other => {
                    let message =
                        format!("un auteur {{nom, …}} est attendu, pas {}", describe(other));
                    self.problem(ErrorKind::WrongType, &field, message);
                }
            }
        }
        self.note_capped("auteurs", &capped);
        out
    }

    /// CRCN competences: `{code, libelle}` objects (or terms).
    fn competences(&mut self) -> Vec<String> {
        self.terms("competences_numeriques", VocabName::DigitalSkills, false)
    }

    /// The duration as the source normalised it, else parsed from its display form; a
    /// malformed one is dropped, not fatal (the duration is optional).
    fn duree(&mut self) -> Option<Duree> {
        let map = self.entry.get("duree")?.as_object()?;
        let affichage = map.get("affichage")?.as_str()?.trim().to_string();
        if too_long(&affichage, MAX_SHORT_CHARS) {
            let message = format!("durée de plus de {MAX_SHORT_CHARS} caractères laissée de côté");
            self.note("duree", message);
            return None;
        }
        let iso = map.get("iso").and_then(Value::as_str);
        let minutes = map.get("minutes").and_then(Value::as_u64);
        match (iso, minutes.and_then(|m| u32::try_from(m).ok())) {
            (Some(iso), Some(minutes)) => Some(Duree {
                affichage,
                iso: iso.to_string(),
                minutes,
            }),
            _ => crate::content::duration::parse(&affichage),
        }
    }

    fn licence(&mut self, default: &str) -> String {
        let id = self.licence_id(default);
        if too_long(&id, MAX_SHORT_CHARS) {
            let message = format!(
                "licence de plus de {MAX_SHORT_CHARS} caractères : celle du site ({default}) est indiquée"
            );
            self.note("licence", message);
            return default.to_string();
        }
        id
    }

    fn licence_id(&self, default: &str) -> String {
        match self.entry.get("licence") {
            Some(Value::Object(map)) => map
                .get("id")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .unwrap_or(default)
                .to_string(),
            Some(Value::String(id)) if !id.trim().is_empty() => id.trim().to_string(),
            _ => default.to_string(),
        }
    }
}

/// The id of an entry, when it has a usable one (for messages, even about an invalid entry).
pub fn entry_id(entry: &Value) -> Option<&str> {
    entry.get("id").and_then(Value::as_str)
}

/// Converts one catalogue entry; every problem found is returned, the entry is then skipped.
pub fn convert(
    entry: &Value,
    vocabs: &Vocabularies,
    default_licence: &str,
    from: &EntrySource,
) -> Result<Converted, Vec<Problem>> {
    let Value::Object(map) = entry else {
        return Err(vec![Problem {
            kind: ErrorKind::WrongType,
            field: String::new(),
            message: format!("un scénario est un objet JSON, pas {}", describe(entry)),
            suggestion: None,
        }]);
    };
    let mut r = Reader {
        entry: map,
        vocabs,
        problems: Vec::new(),
        more_problems: 0,
        notes: Vec::new(),
    };
    let id = r.required_text("id", true);
    if let Some(id) = &id {
        if too_long(id, MAX_ID_CHARS) {
            let message = format!("identifiant de plus de {MAX_ID_CHARS} caractères");
            r.problem(ErrorKind::InvalidValue, "id", message);
        } else if slugify(id) != *id {
            let message = format!(
                "identifiant « {} » inutilisable : des minuscules, chiffres et tirets seulement",
                printable(id)
            );
            r.problem(ErrorKind::InvalidValue, "id", message);
        }
    }
    let mut url = r.required_text("url", true);
    if let Some(u) = url.take() {
        match canonical_url(&u) {
            Ok(normalised) => url = Some(normalised),
            Err(message) => r.problem(ErrorKind::InvalidValue, "url", message),
        }
    } else if map.get("url") == Some(&Value::Null) {
        // The usual cause: the source site was built without base_url.
        if let Some(last) = r.problems.last_mut() {
            last.message = "pas d'adresse canonique (« url » vaut null) : le site source doit déclarer base_url".to_string();
        }
    }
    let titre = r.required_text("titre", true).map(|t| clean(&t));
    if titre.as_deref() == Some("") {
        let message = "« titre » est vide".to_string();
        r.problem(ErrorKind::MissingField, "titre", message);
    }
    let titre = titre
        .filter(|t| !t.is_empty())
        .map(|t| r.shortened("titre", t, MAX_TITLE_CHARS));
    // Local scenarios get a warning past this length; a harvested one is shortened.
    let resume = r
        .required_text("resume", false)
        .map(|t| r.shortened("resume", clean(&t), RESUME_MAX_CHARS));
    let date = r.date("date", true);
    let mise_a_jour = r.date("mise_a_jour", false);
    let academie = match map.get("academie") {
        None | Some(Value::Null) => {
            let message = "« academie » est absente".to_string();
            r.problem(ErrorKind::MissingField, "academie", message);
            None
        }
        Some(value) => r.term("academie", value, VocabName::Academies),
    };
    let disciplines = r.terms("disciplines", VocabName::Subjects, true);
    let niveaux = r.terms("niveaux", VocabName::Levels, true);
    let cycles = r.terms("cycles", VocabName::Cycles, false);
    let types = r.terms("types", VocabName::Types, false);
    let modalites = r.terms("modalites", VocabName::Modes, false);
    let competences_numeriques = r.competences();
    let outils = r.texts("outils", MAX_TOOLS);
    let mots_cles = r.texts("mots_cles", MAX_KEYWORDS);
    let auteurs = r.auteurs();
    let duree = r.duree();
    let licence = r.licence(default_licence);

    match (id, url, titre, resume, date, academie) {
        (Some(id), Some(url), Some(titre), Some(resume), Some(date), Some(academie))
            if r.problems.is_empty() =>
        {
            let scenario = Scenario {
                slug: id,
                source: from.file.clone(),
                bundle_dir: None,
                bundle_files: Vec::new(),
                meta: Metadata {
                    titre,
                    resume,
                    date,
                    mise_a_jour,
                    auteurs,
                    academie,
                    disciplines,
                    niveaux,
                    cycles,
                    types,
                    modalites,
                    duree,
                    outils,
                    competences_numeriques,
                    mots_cles,
                    licence,
                    // Pictures stay on the académie's site: no third-party request from here.
                    vignette: None,
                    vignette_alt: None,
                    ressources: Vec::new(),
                    url_source: None,
                    brouillon: false,
                },
                body: BodyText::default(),
                body_line: 1,
                origine: Some(Origine {
                    source: from.label.to_string(),
                    url,
                }),
            };
            Ok(Converted {
                scenario,
                notes: r.notes,
            })
        }
        _ => {
            let mut problems = r.problems;
            if r.more_problems > 0 {
                problems.push(Problem {
                    kind: ErrorKind::InvalidValue,
                    field: String::new(),
                    message: format!(
                        "et {} autre{} problème{} non détaillé{}",
                        r.more_problems,
                        plural(r.more_problems),
                        plural(r.more_problems),
                        plural(r.more_problems)
                    ),
                    suggestion: None,
                });
            }
            Err(problems)
        }
    }
}

/// A text of the catalogue, trimmed, its control characters (NUL, escape, line breaks…) made
/// spaces: nothing from another server may carry them into the pages or the terminal.
fn clean(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.chars().any(char::is_control) {
        let spaced: String = trimmed
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        spaced.trim().to_string()
    } else {
        trimmed.to_string()
    }
}

/// `text` with control characters shown as « � », for messages printed to a terminal.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// Whether `text` has more than `max` characters, without counting past `max`.
fn too_long(text: &str, max: usize) -> bool {
    text.len() > max && text.chars().nth(max).is_some()
}

/// An author with a name, function or school over [`MAX_ITEM_CHARS`].
fn author_too_long(item: &Value) -> bool {
    match item {
        Value::String(s) => too_long(s.trim(), MAX_ITEM_CHARS),
        Value::Object(map) => ["nom", "fonction", "etablissement"].iter().any(|k| {
            map.get(*k)
                .and_then(Value::as_str)
                .is_some_and(|s| too_long(s.trim(), MAX_ITEM_CHARS))
        }),
        _ => false,
    }
}

/// The canonical address of an entry, normalised by the `url` crate (lower-case host, default
/// port dropped…), or why it is refused. Characters a browser would silently drop or re-encode
/// (controls, spaces, quotes, angle brackets) are refused before parsing: they are the mark of
/// a broken or hostile catalogue, and must never reach an `href`.
pub fn canonical_url(text: &str) -> Result<String, String> {
    if too_long(text, MAX_URL_CHARS) {
        return Err(format!(
            "adresse canonique de plus de {MAX_URL_CHARS} caractères"
        ));
    }
    if let Some(c) = text.chars().find(|c| forbidden_in_url(*c)) {
        return Err(format!(
            "adresse canonique refusée : elle contient {}",
            describe_char(c)
        ));
    }
    match url::Url::parse(text) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(u.into()),
        _ => Err(format!(
            "adresse canonique inutilisable « {text} » : une adresse complète https://… est attendue (le catalogue doit être publié avec base_url)"
        )),
    }
}

fn forbidden_in_url(c: char) -> bool {
    c.is_control() || c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
}

/// « une espace (U+0020) », « le caractère « " » »…
fn describe_char(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    if c.is_control() {
        format!("un caractère de contrôle ({code})")
    } else if c.is_whitespace() {
        format!("une espace ({code})")
    } else {
        format!("le caractère « {c} » ({code})")
    }
}

/// « un nombre », « une liste »… for type errors.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "un booléen",
        Value::Number(_) => "un nombre",
        Value::String(_) => "un texte",
        Value::Array(_) => "une liste",
        Value::Object(_) => "un objet",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vocabs() -> Vocabularies {
        Vocabularies::builtin().expect("builtin vocabularies")
    }

    fn valid() -> Value {
        json!({
            "id": "barriere-parking",
            "url": "https://vitrine.ac-normandie.fr/scenarios/barriere-parking/",
            "titre": "Automatiser la barrière du parking",
            "resume": "Les élèves programment une barrière.",
            "date": "2025-02-11",
            "mise_a_jour": null,
            "auteurs": [{"nom": "Yann Lemarchand", "fonction": null, "etablissement": "Collège, Caen"}],
            "academie": {"cle": "normandie", "libelle": "Normandie", "uri": null},
            "disciplines": [{"cle": "technologie", "libelle": "Technologie", "uri": null}],
            "niveaux": [{"cle": "5e", "libelle": "Cinquième", "uri": null}],
            "cycles": [],
            "types": [],
            "modalites": [],
            "outils": ["micro:bit", "MakeCode"],
            "competences_numeriques": [{"code": "3.4", "libelle": "Programmer"}],
            "mots_cles": ["programmation"],
            "duree": {"affichage": "5 x 55 min", "iso": "PT4H35M", "minutes": 275},
            "licence": {"id": "CC-BY-4.0", "libelle": "…", "url": null},
            "vignette": "https://vitrine.ac-normandie.fr/scenarios/barriere-parking/v.svg",
            "champ_futur": 3
        })
    }

    fn convert_entry(entry: &Value) -> Result<Converted, Vec<Problem>> {
        let file = PathBuf::from(".vitrine-cache/moisson/normandie.json");
        let from = EntrySource {
            file: &file,
            label: "Académie de Normandie",
        };
        convert(entry, &vocabs(), "CC-BY-SA-4.0", &from)
    }

    fn run(entry: &Value) -> Result<Scenario, Vec<Problem>> {
        convert_entry(entry).map(|c| c.scenario)
    }

    fn problems(entry: &Value) -> Vec<Problem> {
        match run(entry) {
            Ok(s) => panic!("entry accepted: {s:?}"),
            Err(p) => p,
        }
    }

    #[test]
    fn a_valid_entry_becomes_a_harvested_scenario() {
        let s = run(&valid()).expect("valid entry");
        let v = vocabs();
        assert_eq!(s.slug, "barriere-parking");
        assert!(s.is_harvested());
        let origine = s.origine.as_ref().expect("origine");
        assert_eq!(origine.source, "Académie de Normandie");
        assert_eq!(
            origine.url,
            "https://vitrine.ac-normandie.fr/scenarios/barriere-parking/"
        );
        let academy = v
            .get(VocabName::Academies)
            .resolve("normandie")
            .expect("academy");
        assert_eq!(s.meta.academie, academy.cle);
        let tech = v
            .get(VocabName::Subjects)
            .resolve("technologie")
            .expect("techno");
        assert_eq!(s.meta.disciplines, vec![tech.cle.clone()]);
        assert_eq!(s.meta.competences_numeriques, vec!["3.4".to_string()]);
        assert_eq!(s.meta.duree.as_ref().map(|d| d.minutes), Some(275));
        assert_eq!(s.meta.licence, "CC-BY-4.0");
        assert_eq!(s.meta.auteurs[0].fonction, None);
        assert_eq!(s.meta.vignette, None, "pictures are not hot-linked");
        assert!(s.body.is_empty());
        assert!(s.bundle_dir.is_none());
    }

    #[test]
    fn an_unknown_vocabulary_key_is_refused_with_a_suggestion() {
        let mut entry = valid();
        entry["disciplines"] = json!([{"cle": "tecnologie", "libelle": "Tecnologie", "uri": null}]);
        let p = problems(&entry);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].kind, ErrorKind::UnknownVocabulary);
        assert_eq!(p[0].field, "disciplines[0]");
        assert!(p[0].message.contains("tecnologie"), "{}", p[0].message);
        assert_eq!(p[0].suggestion.as_deref(), Some("Technologie"));
    }

    #[test]
    fn missing_required_fields_are_each_reported() {
        let mut entry = valid();
        let map = entry.as_object_mut().expect("object");
        map.remove("titre");
        map.insert("date".into(), json!("11/02/2025"));
        map.insert("url".into(), Value::Null);
        map.insert("niveaux".into(), json!([]));
        map.remove("academie");
        let p = problems(&entry);
        let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["url", "titre", "date", "academie", "niveaux"]);
        assert!(p[0].message.contains("base_url"), "{}", p[0].message);
        assert_eq!(p[2].kind, ErrorKind::InvalidValue);
        assert!(p
            .iter()
            .filter(|p| p.field != "date")
            .all(|p| p.kind == ErrorKind::MissingField));
    }

    #[test]
    fn wrong_types_and_bad_ids_are_refused() {
        let mut entry = valid();
        entry["id"] = json!("Pas un slug");
        entry["mots_cles"] = json!("programmation");
        entry["auteurs"] = json!([42]);
        let p = problems(&entry);
        let kinds: Vec<(&str, ErrorKind)> = p.iter().map(|p| (p.field.as_str(), p.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("id", ErrorKind::InvalidValue),
                ("mots_cles", ErrorKind::WrongType),
                ("auteurs[0]", ErrorKind::WrongType)
            ]
        );
        assert!(!problems(&json!(["not", "an", "object"])).is_empty());
    }

    #[test]
    fn a_relative_url_is_refused() {
        let mut entry = valid();
        entry["url"] = json!("scenarios/barriere-parking/");
        let p = problems(&entry);
        assert_eq!(p[0].field, "url");
        assert_eq!(p[0].kind, ErrorKind::InvalidValue);
    }

    /// 200,000 keywords: the first `MAX_KEYWORDS` are read, de-duplicated in first-seen
    /// order, and one note names the field; the work is bounded by the cap, not the list.
    #[test]
    fn a_huge_keyword_list_is_cut_with_one_note() {
        let mut entry = valid();
        let mut keywords: Vec<String> = vec!["b".into(), "a".into(), "b".into()];
        keywords.extend((0..200_000).map(|i| format!("mot {i}")));
        entry["mots_cles"] = json!(keywords);
        let converted = convert_entry(&entry).expect("kept");
        let kept = &converted.scenario.meta.mots_cles;
        assert_eq!(
            kept.len(),
            MAX_KEYWORDS - 1,
            "one duplicate among the first read"
        );
        assert_eq!(kept[..3], ["b", "a", "mot 0"]);
        assert_eq!(converted.notes.len(), 1, "{:?}", converted.notes);
        let note = &converted.notes[0];
        assert_eq!(note.field, "mots_cles");
        assert!(note.message.contains("200003 éléments"), "{}", note.message);
        assert!(note.message.contains("50 premiers"), "{}", note.message);
        crate::federation::tests::assert_french(&note.message);
    }

    #[test]
    fn de_duplication_keeps_first_seen_order() {
        let mut entry = valid();
        entry["outils"] = json!(["Scratch", " GeoGebra ", "Scratch", "GeoGebra", "", "Python"]);
        let s = run(&entry).expect("kept");
        assert_eq!(s.meta.outils, ["Scratch", "GeoGebra", "Python"]);
    }

    #[test]
    fn over_long_texts_are_shortened_or_left_out_with_a_note_each() {
        let mut entry = valid();
        entry["titre"] = json!("t".repeat(10_000));
        entry["resume"] = json!("r".repeat(100_000));
        entry["outils"] = json!(["x".repeat(MAX_ITEM_CHARS + 1), "Scratch"]);
        entry["auteurs"] = json!([{"nom": "n".repeat(5_000)}, {"nom": "Camille"}]);
        let converted = convert_entry(&entry).expect("kept");
        let meta = &converted.scenario.meta;
        assert_eq!(meta.titre.chars().count(), MAX_TITLE_CHARS);
        assert!(meta.titre.ends_with('…'));
        assert_eq!(meta.resume.chars().count(), RESUME_MAX_CHARS);
        assert_eq!(meta.outils, ["Scratch"]);
        assert_eq!(meta.auteurs.len(), 1);
        let fields: Vec<&str> = converted.notes.iter().map(|n| n.field.as_str()).collect();
        assert_eq!(fields, ["titre", "resume", "outils", "auteurs"]);
        for note in &converted.notes {
            crate::federation::tests::assert_french(&note.message);
        }
    }

    #[test]
    fn every_list_is_capped() {
        let mut entry = valid();
        entry["auteurs"] = json!(vec![json!({"nom": "A"}); 1_000]);
        entry["disciplines"] = json!(vec![json!({"cle": "technologie"}); 1_000]);
        entry["outils"] = json!((0..1_000).map(|i| format!("outil {i}")).collect::<Vec<_>>());
        let converted = convert_entry(&entry).expect("kept");
        assert_eq!(converted.scenario.meta.auteurs.len(), MAX_AUTHORS);
        assert_eq!(converted.scenario.meta.disciplines.len(), 1);
        assert_eq!(converted.scenario.meta.outils.len(), MAX_TOOLS);
        let fields: Vec<&str> = converted.notes.iter().map(|n| n.field.as_str()).collect();
        assert_eq!(fields, ["disciplines", "outils", "auteurs"]);
    }

    /// A broken entry with thousands of bad items gets a bounded report.
    #[test]
    fn the_problems_of_one_entry_are_bounded() {
        let mut entry = valid();
        entry["mots_cles"] = json!(vec![json!(1); 10_000]);
        entry["disciplines"] = json!(vec![json!({"cle": "alchimie"}); 10_000]);
        let p = problems(&entry);
        assert_eq!(p.len(), MAX_PROBLEMS_PER_ENTRY + 1, "{p:?}");
        let last = p.last().expect("last");
        let expected_more = MAX_TERMS + MAX_KEYWORDS - MAX_PROBLEMS_PER_ENTRY;
        assert!(
            last.message.contains(&format!("et {expected_more} autres")),
            "{}",
            last.message
        );
    }

    #[test]
    fn canonical_urls_with_controls_spaces_or_quotes_are_refused() {
        for (bad, named) in [
            ("https://a.fr/scenarios/x/\u{0}", "U+0000"),
            ("https://a.fr/scenarios/x y/", "une espace"),
            (
                "https://a.fr/scenarios/x\"onmouseover=\"alert(1)/",
                "« \" »",
            ),
            ("https://a.fr/scenarios/x'/", "« ' »"),
            ("https://a.fr/scenarios/<x>/", "« < »"),
            ("https://a.fr/\tx/", "U+0009"),
        ] {
            let mut entry = valid();
            entry["url"] = json!(bad);
            let p = problems(&entry);
            assert_eq!(p.len(), 1, "{bad:?}: {p:?}");
            assert_eq!(p[0].field, "url");
            assert!(p[0].message.contains(named), "{bad:?}: {}", p[0].message);
            crate::federation::tests::assert_french(&p[0].message);
        }
        for bad in ["javascript:alert(1)", "file:///etc/passwd", "https://"] {
            assert!(canonical_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            canonical_url("HTTPS://Vitrine.AC-Lyon.fr:443/scenarios/a/").as_deref(),
            Ok("https://vitrine.ac-lyon.fr/scenarios/a/"),
            "normalised"
        );
    }

    #[test]
    fn control_characters_never_reach_a_message() {
        let mut entry = valid();
        entry["id"] = json!("a\u{0}b\u{1b}[31m");
        let p = problems(&entry);
        assert_eq!(p[0].field, "id");
        assert!(
            !p[0].message.chars().any(char::is_control),
            "{:?}",
            p[0].message
        );
        assert!(
            p[0].message.contains("a\u{FFFD}b\u{FFFD}[31m"),
            "{}",
            p[0].message
        );
    }

    #[test]
    fn control_characters_of_texts_become_spaces() {
        let mut entry = valid();
        entry["titre"] = json!("Un\u{0}titre\u{1b}[2J");
        entry["mots_cles"] = json!(["a\nb", "\u{7}"]);
        entry["auteurs"] = json!([{"nom": "Camille\u{0}Martin"}]);
        let s = run(&entry).expect("kept");
        assert_eq!(s.meta.titre, "Un titre [2J");
        assert_eq!(s.meta.mots_cles, ["a b"]);
        assert_eq!(s.meta.auteurs[0].nom, "Camille Martin");
        entry["titre"] = json!("\u{0}\u{0}");
        assert_eq!(problems(&entry)[0].field, "titre");
    }
}
