//! One entry of a harvested `catalogue.json` (schema version 1, see `docs/catalogue.md`)
//! turned into a [`Scenario`] of this site, or the reasons it cannot be.
//!
//! Vocabulary values are read by their `cle` and resolved against this site's vocabularies
//! (so facets group local and harvested scenarios under the same keys); the label is tried
//! when the key is unknown here. A value that resolves to nothing makes the entry invalid.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::content::fields::is_web_url;
use crate::content::scenario::RESUME_MAX_CHARS;
use crate::content::{Auteur, Duree, Metadata, Origine, Scenario};
use crate::diagnostics::ErrorKind;
use crate::text::slugify;
use crate::vocab::{VocabName, Vocabularies};

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

/// Collects the problems of one entry while reading its fields.
struct Reader<'a> {
    entry: &'a Map<String, Value>,
    vocabs: &'a Vocabularies,
    problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    fn problem(&mut self, kind: ErrorKind, field: &str, message: String) {
        self.problems.push(Problem {
            kind,
            field: field.to_string(),
            message,
            suggestion: None,
        });
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

    fn texts(&mut self, key: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (i, item) in self.list(key).iter().enumerate() {
            match item {
                Value::String(s) if !s.trim().is_empty() => {
                    if !out.contains(&s.trim().to_string()) {
                        out.push(s.trim().to_string());
                    }
                }
                Value::String(_) => {}
                other => {
                    let message = format!("un texte est attendu, pas {}", describe(other));
                    self.problem(ErrorKind::WrongType, &format!("{key}[{i}]"), message);
                }
            }
        }
        out
    }

    /// A vocabulary term (`{cle, libelle, uri}`, or a bare text) resolved to a key of ours.
    fn term(&mut self, field: &str, value: &Value, name: VocabName) -> Option<String> {
        let (key, label) = match value {
            Value::String(s) => (s.as_str(), None),
            Value::Object(map) => match map.get("cle").or_else(|| map.get("code")) {
                Some(Value::String(cle)) => {
                    (cle.as_str(), map.get("libelle").and_then(Value::as_str))
                }
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
        let found = vocab
            .get(key)
            .or_else(|| vocab.resolve(key))
            .or_else(|| label.and_then(|l| vocab.resolve(l)));
        match found {
            Some(entry) => Some(entry.cle.clone()),
            None => {
                self.problems.push(Problem {
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

    /// The terms of a list key; when `required`, at least one.
    fn terms(&mut self, key: &str, name: VocabName, required: bool) -> Vec<String> {
        let items = self.list(key);
        let mut out: Vec<String> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(k) = self.term(&format!("{key}[{i}]"), item, name) {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
        }
        if required && items.is_empty() {
            let message = format!("« {key} » est vide ou absent : au moins une valeur");
            self.problem(ErrorKind::MissingField, key, message);
        }
        out
    }

    fn auteurs(&mut self) -> Vec<Auteur> {
        let mut out = Vec::new();
        for (i, item) in self.list("auteurs").iter().enumerate() {
            let field = format!("auteurs[{i}]");
            let text = |map: &Map<String, Value>, k: &str| {
                map.get(k)
                    .and_then(Value::as_str)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
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
                    nom: nom.trim().to_string(),
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
        out
    }

    /// CRCN competences: `{code, libelle}` objects (or terms).
    fn competences(&mut self) -> Vec<String> {
        self.terms(
            "competences_numeriques",
            VocabName::CompetencesNumeriques,
            false,
        )
    }

    /// The duration as the source normalised it, else parsed from its display form; a
    /// malformed one is dropped, not fatal (the duration is optional).
    fn duree(&mut self) -> Option<Duree> {
        let map = self.entry.get("duree")?.as_object()?;
        let affichage = map.get("affichage")?.as_str()?.trim().to_string();
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
) -> Result<Scenario, Vec<Problem>> {
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
    };
    let id = r.required_text("id", true);
    if let Some(id) = &id {
        if slugify(id) != *id {
            let message = format!(
                "identifiant « {id} » inutilisable : des minuscules, chiffres et tirets seulement"
            );
            r.problem(ErrorKind::InvalidValue, "id", message);
        }
    }
    let url = r.required_text("url", true);
    if let Some(u) = &url {
        if !is_web_url(u) || url::Url::parse(u).is_err() {
            let message = format!(
                "adresse canonique invalide « {u} » : le catalogue doit être publié avec base_url"
            );
            r.problem(ErrorKind::InvalidValue, "url", message);
        }
    } else if map.get("url") == Some(&Value::Null) {
        // The usual cause: the source site was built without base_url.
        if let Some(last) = r.problems.last_mut() {
            last.message = "pas d'adresse canonique (« url » vaut null) : le site source doit déclarer base_url".to_string();
        }
    }
    let titre = r.required_text("titre", true);
    let resume = r.required_text("resume", false);
    if let Some(text) = &resume {
        let count = text.chars().count();
        if count > RESUME_MAX_CHARS {
            let message =
                format!("résumé trop long : {count} caractères pour {RESUME_MAX_CHARS} au plus");
            r.problem(ErrorKind::InvalidValue, "resume", message);
        }
    }
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
    let disciplines = r.terms("disciplines", VocabName::Disciplines, true);
    let niveaux = r.terms("niveaux", VocabName::Niveaux, true);
    let cycles = r.terms("cycles", VocabName::Cycles, false);
    let types = r.terms("types", VocabName::Types, false);
    let modalites = r.terms("modalites", VocabName::Modalites, false);
    let competences_numeriques = r.competences();
    let outils = r.texts("outils");
    let mots_cles = r.texts("mots_cles");
    let auteurs = r.auteurs();
    let duree = r.duree();
    let licence = r.licence(default_licence);

    match (id, url, titre, resume, date, academie) {
        (Some(id), Some(url), Some(titre), Some(resume), Some(date), Some(academie))
            if r.problems.is_empty() =>
        {
            Ok(Scenario {
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
                body: String::new(),
                body_line: 1,
                origine: Some(Origine {
                    source: from.label.to_string(),
                    url,
                }),
            })
        }
        _ => Err(r.problems),
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

    fn run(entry: &Value) -> Result<Scenario, Vec<Problem>> {
        let file = PathBuf::from(".vitrine-cache/moisson/normandie.json");
        let from = EntrySource {
            file: &file,
            label: "Académie de Normandie",
        };
        convert(entry, &vocabs(), "CC-BY-SA-4.0", &from)
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
            .get(VocabName::Disciplines)
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
}
