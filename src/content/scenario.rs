//! Validation of a scenario's front matter into `Metadata`.

use std::path::{Component, Path, PathBuf};

use serde_yaml::Value;

use crate::content::fields::{comma_parts, describe, is_web_url, scalar_to_string, Reader};
use crate::content::frontmatter::FrontMatter;
use crate::content::{duration, Auteur, Metadata, Ressource};
use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::vocab::{VocabName, Vocabularies};

/// Keys of a scenario's front matter.
pub const KEYS: &[&str] = &[
    "titre",
    "resume",
    "date",
    "mise_a_jour",
    "auteurs",
    "academie",
    "disciplines",
    "niveaux",
    "cycles",
    "types",
    "modalites",
    "duree",
    "outils",
    "competences_numeriques",
    "mots_cles",
    "licence",
    "vignette",
    "vignette_alt",
    "ressources",
    "url_source",
    "brouillon",
];

/// Usual mistakes (English keys, singulars) and the key meant; compared folded.
const SYNONYMS: &[(&str, &str)] = &[
    ("title", "titre"),
    ("summary", "resume"),
    ("description", "resume"),
    ("author", "auteurs"),
    ("authors", "auteurs"),
    ("auteur", "auteurs"),
    ("discipline", "disciplines"),
    ("matiere", "disciplines"),
    ("matieres", "disciplines"),
    ("niveau", "niveaux"),
    ("level", "niveaux"),
    ("classe", "niveaux"),
    ("cycle", "cycles"),
    ("type", "types"),
    ("modalite", "modalites"),
    ("outil", "outils"),
    ("tools", "outils"),
    ("tags", "mots_cles"),
    ("keywords", "mots_cles"),
    ("mots-cles", "mots_cles"),
    ("mots cles", "mots_cles"),
    ("crcn", "competences_numeriques"),
    ("competences", "competences_numeriques"),
    ("license", "licence"),
    ("image", "vignette"),
    ("draft", "brouillon"),
    ("duration", "duree"),
    ("source", "url_source"),
    ("date_maj", "mise_a_jour"),
    ("updated", "mise_a_jour"),
];

pub const RESUME_MAX_CHARS: usize = 500;

/// Keys holding lists, with the vocabulary of their values (none for free lists).
const LIST_KEYS: &[(&str, Option<VocabName>)] = &[
    ("disciplines", Some(VocabName::Subjects)),
    ("niveaux", Some(VocabName::Levels)),
    ("cycles", Some(VocabName::Cycles)),
    ("types", Some(VocabName::Types)),
    ("modalites", Some(VocabName::Modes)),
    ("competences_numeriques", Some(VocabName::DigitalSkills)),
    ("outils", None),
    ("mots_cles", None),
];

/// Lists written as one text with commas (`outils: Tableur, ENT, Genially`). [`validate`]
/// reads them as lists of their parts; these warnings show the YAML list to write instead.
pub fn comma_list_warnings(
    file: &Path,
    fm: &FrontMatter,
    vocabs: &Vocabularies,
) -> Vec<Diagnostic> {
    LIST_KEYS
        .iter()
        .filter_map(|&(key, vocab)| {
            let text = fm.values.get(key).and_then(scalar_to_string)?;
            // A label with a comma (« Protéger la santé, le bien-être… ») is one value.
            if vocab.is_some_and(|name| vocabs.get(name).resolve_as_one(text.trim()).is_some()) {
                return None;
            }
            let parts = comma_parts(&text)?;
            let (line, column) = fm.value_position(key);
            Some(
                Diagnostic::new(ErrorKind::WrongType, file, comma_list_message(key, &parts))
                    .at(line, column)
                    .field(key),
            )
        })
        .collect()
}

fn comma_list_message(key: &str, parts: &[String]) -> String {
    format!(
        "« {key} » est une liste écrite comme un seul texte avec des virgules : elle est lue comme {} valeurs ({}) ; écrivez-la en liste YAML, entre crochets « {key}: [{}] » ou une valeur par ligne sous « {key}: » (« - {} »)",
        parts.len(),
        parts.join(", "),
        parts.join(", "),
        parts[0]
    )
}

/// What the validation needs to know about where the scenario lives.
pub struct Location<'a> {
    pub file: &'a Path,
    /// Files of the bundle, relative to the bundle folder; `None` for a single-file scenario.
    pub bundle_files: Option<&'a [PathBuf]>,
    pub default_licence: &'a str,
}

pub fn validate(
    fm: &FrontMatter,
    at: &Location,
    vocabs: &Vocabularies,
) -> Result<Metadata, Vec<Diagnostic>> {
    let mut r = Reader::new(at.file, fm);
    r.reject_unknown_keys(KEYS, SYNONYMS);

    let titre = r.required_text("titre", "le titre du scénario");
    let resume = r.required_text("resume", "un résumé de 500 caractères au plus");
    if let Some(text) = &resume {
        let count = text.chars().count();
        if count > RESUME_MAX_CHARS {
            r.error(
                ErrorKind::InvalidValue,
                "resume",
                format!("résumé trop long : {count} caractères pour {RESUME_MAX_CHARS} au plus ; gardez l'essentiel, le détail va dans le corps"),
            );
        }
    }
    let date = r.date("date");
    if date.is_none() && r.raw("date").is_none() {
        r.missing("date", "la date de publication, AAAA-MM-JJ");
    }
    let mise_a_jour = r.date("mise_a_jour");

    let academie = academie(&mut r, vocabs);
    let disciplines = required_vocab(&mut r, "disciplines", vocabs, VocabName::Subjects);
    let niveaux = required_vocab(&mut r, "niveaux", vocabs, VocabName::Levels);
    let mut cycles = r.vocab_list("cycles", vocabs.get(VocabName::Cycles));
    if r.raw("cycles").is_none() {
        cycles = derive_cycles(&niveaux, vocabs);
    }
    let mut types = r.vocab_list("types", vocabs.get(VocabName::Types));
    if r.raw("types").is_none() {
        types = vec![default_type(vocabs)];
    }
    let modalites = r.vocab_list("modalites", vocabs.get(VocabName::Modes));
    let competences = r.vocab_list(
        "competences_numeriques",
        vocabs.get(VocabName::DigitalSkills),
    );
    let duree = r.text("duree").and_then(|text| {
        let parsed = duration::parse(&text);
        if parsed.is_none() {
            r.error(
                ErrorKind::InvalidValue,
                "duree",
                format!("durée incomprise « {text} » : écrivez par exemple « 2 x 55 min », « 1 h 30 » ou « PT2H »"),
            );
        }
        parsed
    });
    let outils = dedup(r.list("outils"));
    let mots_cles = dedup(r.list("mots_cles"));
    let licence = r
        .text("licence")
        .unwrap_or_else(|| at.default_licence.to_string());
    let auteurs = auteurs(&mut r);
    let vignette = r.text("vignette");
    let vignette_alt = r.text("vignette_alt");
    if let Some(v) = &vignette {
        check_local_file(&mut r, at, "vignette", v);
        if vignette_alt.is_none() {
            r.error(
                ErrorKind::MissingAlt,
                "vignette",
                "image sans texte alternatif : ajoutez « vignette_alt » qui décrit l'image pour les personnes qui ne la voient pas".to_string(),
            );
        }
    }
    let ressources = ressources(&mut r, at);
    let url_source = r.url("url_source");
    let brouillon = r.boolean("brouillon");

    if !r.diagnostics.is_empty() {
        return Err(r.diagnostics);
    }
    // Every required value is present when no diagnostic was raised.
    match (titre, resume, date, academie) {
        (Some(titre), Some(resume), Some(date), Some(academie)) => Ok(Metadata {
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
            competences_numeriques: competences,
            mots_cles,
            licence,
            vignette,
            vignette_alt,
            ressources,
            url_source,
            brouillon,
        }),
        _ => Err(vec![Diagnostic::new(
            ErrorKind::MissingField,
            at.file,
            "métadonnées incomplètes",
        )]),
    }
}

fn academie(r: &mut Reader, vocabs: &Vocabularies) -> Option<String> {
    if r.raw("academie").is_none() {
        r.missing("academie", "l'académie d'origine, par exemple « Lyon »");
        return None;
    }
    let keys = r.vocab_list("academie", vocabs.get(VocabName::Academies));
    if keys.len() > 1 {
        r.error(
            ErrorKind::WrongType,
            "academie",
            "une seule académie par scénario".to_string(),
        );
    }
    keys.into_iter().next()
}

fn required_vocab(
    r: &mut Reader,
    key: &str,
    vocabs: &Vocabularies,
    name: VocabName,
) -> Vec<String> {
    let present = r.raw(key).is_some();
    let values = r.vocab_list(key, vocabs.get(name));
    if !present {
        r.missing(key, "au moins une valeur");
    } else if values.is_empty()
        && r.diagnostics
            .iter()
            .all(|d| d.field.as_deref().is_none_or(|f| !f.starts_with(key)))
    {
        r.error(
            ErrorKind::MissingField,
            key,
            format!("« {key} » ne peut pas être vide"),
        );
    }
    values
}

/// Cycles of the given levels, in the cycles vocabulary order.
fn derive_cycles(niveaux: &[String], vocabs: &Vocabularies) -> Vec<String> {
    let levels = vocabs.get(VocabName::Levels);
    let wanted: Vec<&str> = niveaux
        .iter()
        .filter_map(|n| levels.get(n).and_then(|e| e.cycle.as_deref()))
        .collect();
    vocabs
        .get(VocabName::Cycles)
        .entries()
        .iter()
        .filter(|c| wanted.contains(&c.cle.as_str()))
        .map(|c| c.cle.clone())
        .collect()
}

fn default_type(vocabs: &Vocabularies) -> String {
    let types = vocabs.get(VocabName::Types);
    types
        .resolve("scenario-pedagogique")
        .or_else(|| types.entries().first())
        .map(|e| e.cle.clone())
        .unwrap_or_else(|| "scenario-pedagogique".to_string())
}

/// Drops values written again with other case or accents, keeping the first spelling and the
/// order. A set of folded forms keeps it linear: a list of 100,000 keywords stays cheap.
fn dedup(items: Vec<(String, String)>) -> Vec<String> {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    items
        .into_iter()
        .filter(|(item, _)| seen.insert(crate::text::fold(item)))
        .map(|(item, _)| item)
        .collect()
}

fn auteurs(r: &mut Reader) -> Vec<Auteur> {
    let Some(value) = r.raw("auteurs") else {
        return Vec::new();
    };
    let items: Vec<&Value> = match value {
        Value::Sequence(items) => items.iter().collect(),
        other => vec![other],
    };
    let single = !value.is_sequence();
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let path = if single {
            "auteurs".to_string()
        } else {
            format!("auteurs[{i}]")
        };
        match item {
            Value::Mapping(map) => {
                let get = |k: &str| text_in(map, k);
                reject_unknown_subkeys(
                    r,
                    &path,
                    map,
                    &["nom", "fonction", "etablissement"],
                    "un auteur",
                );
                match get("nom").filter(|n| !n.is_empty()) {
                    Some(nom) => out.push(Auteur {
                        nom,
                        fonction: get("fonction").filter(|s| !s.is_empty()),
                        etablissement: get("etablissement").filter(|s| !s.is_empty()),
                    }),
                    None => {
                        r.error(
                            ErrorKind::MissingField,
                            &path,
                            "chaque auteur a un « nom »".to_string(),
                        );
                    }
                }
            }
            // A bare name is a friendly shorthand: `auteurs: [Claire Martin]`.
            other => match scalar_to_string(other) {
                Some(nom) if !nom.trim().is_empty() => out.push(Auteur {
                    nom: nom.trim().to_string(),
                    fonction: None,
                    etablissement: None,
                }),
                _ => {
                    r.error(
                        ErrorKind::WrongType,
                        &path,
                        format!("un auteur s'écrit « - nom: … », pas {}", describe(other)),
                    );
                }
            },
        }
    }
    out
}

fn ressources(r: &mut Reader, at: &Location) -> Vec<Ressource> {
    let Some(value) = r.raw("ressources") else {
        return Vec::new();
    };
    let Value::Sequence(items) = value else {
        r.error(
            ErrorKind::WrongType,
            "ressources",
            format!(
                "« ressources » doit être une liste, pas {}",
                describe(value)
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("ressources[{i}]");
        let Value::Mapping(map) = item else {
            r.error(
                ErrorKind::WrongType,
                &path,
                "une ressource s'écrit « - titre: … » suivi de « url: … » ou « fichier: … »"
                    .to_string(),
            );
            continue;
        };
        let get = |k: &str| text_in(map, k);
        reject_unknown_subkeys(r, &path, map, &["titre", "url", "fichier"], "une ressource");
        let titre = get("titre");
        let url = get("url");
        let fichier = get("fichier");
        if titre.is_none() {
            r.error(
                ErrorKind::MissingField,
                &path,
                "chaque ressource a un « titre »".to_string(),
            );
        }
        match (&url, &fichier) {
            (Some(_), Some(_)) | (None, None) => {
                r.error(
                    ErrorKind::InvalidValue,
                    &path,
                    "une ressource a soit une « url », soit un « fichier » (un seul des deux)"
                        .to_string(),
                );
            }
            (Some(u), None) if !is_web_url(u) => {
                r.error(
                    ErrorKind::InvalidValue,
                    &format!("{path}.url"),
                    format!("adresse web invalide « {u} » : elle doit commencer par https:// ou http://"),
                );
            }
            (None, Some(f)) => check_local_file(r, at, &format!("{path}.fichier"), f),
            _ => {}
        }
        if let Some(titre) = titre {
            out.push(Ressource {
                titre,
                url,
                fichier,
            });
        }
    }
    out
}

/// A trimmed text value of a nested mapping (an author, a resource).
fn text_in(map: &serde_yaml::Mapping, key: &str) -> Option<String> {
    map.get(key)
        .and_then(scalar_to_string)
        .map(|s| s.trim().to_string())
}

/// Unknown keys inside an author or a resource, with the closest known key.
fn reject_unknown_subkeys(
    r: &mut Reader,
    path: &str,
    map: &serde_yaml::Mapping,
    known: &[&str],
    what: &str,
) {
    for key in map.keys() {
        let key = scalar_to_string(key).unwrap_or_default();
        if known.contains(&key.as_str()) {
            continue;
        }
        let (line, column) = r.fm.key_position(&format!("{path}.{key}"));
        r.diagnostics.push(
            Diagnostic::new(
                ErrorKind::UnknownKey,
                r.file,
                format!("clé inconnue « {key} » pour {what} ({})", known.join(", ")),
            )
            .at(line, column)
            .field(format!("{path}.{key}"))
            .suggest(crate::diagnostics::closest(&key, known.iter().copied())),
        );
    }
}

/// A file named in the front matter must be inside the bundle and exist.
fn check_local_file(r: &mut Reader, at: &Location, path: &str, written: &str) {
    if is_web_url(written) && path == "vignette" {
        return;
    }
    if let Some(problem) = unsafe_path_reason(written) {
        r.error(
            ErrorKind::UnsafePath,
            path,
            format!("chemin refusé « {written} » : {problem}"),
        );
        return;
    }
    let Some(files) = at.bundle_files else {
        r.error(
            ErrorKind::BrokenLink,
            path,
            format!("fichier « {written} » introuvable : les images et pièces jointes se placent dans un scénario-dossier (mon-scenario/index.md et ses fichiers à côté)"),
        );
        return;
    };
    let wanted = Path::new(written);
    if !files.iter().any(|f| f == wanted) {
        let suggestion =
            crate::diagnostics::closest(written, files.iter().filter_map(|f| f.to_str()));
        r.error(
            ErrorKind::BrokenLink,
            path,
            format!("fichier « {written} » introuvable dans le dossier du scénario"),
        )
        .suggestion = suggestion;
    }
}

/// Why a relative path written by an author is refused, if it is.
pub fn unsafe_path_reason(written: &str) -> Option<&'static str> {
    if written.contains('\\') {
        return Some("utilisez des « / » dans les chemins");
    }
    let path = Path::new(written);
    if path.is_absolute() || written.starts_with('/') {
        return Some("un chemin absolu sort du dossier du site ; écrivez un chemin relatif");
    }
    if path.components().any(|c| matches!(c, Component::ParentDir)) {
        return Some("« .. » sort du dossier du scénario");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(items: &[&str]) -> Vec<(String, String)> {
        items
            .iter()
            .enumerate()
            .map(|(i, s)| (s.to_string(), format!("mots_cles[{i}]")))
            .collect()
    }

    fn validate_header(yaml: &str) -> (Result<Metadata, Vec<Diagnostic>>, Vec<Diagnostic>) {
        let file = Path::new("content/scenarios/s.md");
        let doc = crate::content::frontmatter::parse(file, &format!("---\n{yaml}---\n"))
            .expect("front matter");
        let vocabs = Vocabularies::builtin().expect("vocabularies");
        let at = Location {
            file,
            bundle_files: None,
            default_licence: "CC-BY-4.0",
        };
        let warnings = comma_list_warnings(file, &doc.front_matter, &vocabs);
        (validate(&doc.front_matter, &at, &vocabs), warnings)
    }

    const HEADER: &str =
        "titre: T\nresume: R\ndate: 2025-03-14\nacademie: Lyon\ndisciplines: [Mathématiques]\n";

    #[test]
    fn comma_lists_are_split_but_a_label_with_a_comma_is_one_value() {
        let yaml = format!(
            "{HEADER}niveaux: 6e, 5e\noutils: Tableur, ENT\ncompetences_numeriques: Protéger la santé, le bien-être et l'environnement\n"
        );
        let (meta, warnings) = validate_header(&yaml);
        let meta = meta.expect("valid");
        assert_eq!(meta.niveaux.len(), 2);
        assert_eq!(meta.outils, ["Tableur", "ENT"]);
        assert_eq!(meta.competences_numeriques.len(), 1);
        let fields: Vec<_> = warnings.iter().filter_map(|w| w.field.clone()).collect();
        assert_eq!(fields, ["niveaux", "outils"]);
    }

    /// « Mathématiques, Sciences » folds to the key of « Mathématiques-sciences » once
    /// punctuation is ignored: it was published under that one discipline, without a word.
    #[test]
    fn a_comma_list_is_not_taken_for_a_value_it_matches_without_punctuation() {
        let yaml = format!("{HEADER}niveaux: [CM2]\n").replace(
            "disciplines: [Mathématiques]",
            "disciplines: Mathématiques, Sciences",
        );
        let (meta, warnings) = validate_header(&yaml);
        let errors = meta.expect_err("« Sciences » alone is no discipline");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0].message.contains("« Sciences »"),
            "{}",
            errors[0].message
        );
        let fields: Vec<_> = warnings.iter().filter_map(|w| w.field.clone()).collect();
        assert_eq!(fields, ["disciplines"]);
        let (meta, _) = validate_header(&yaml.replace(", Sciences", ", Sciences et technologie"));
        assert_eq!(
            meta.expect("valid").disciplines,
            ["mathematiques", "sciences-et-technologie"]
        );
        // The value itself, written with its own punctuation, stays one value.
        let (meta, _) = validate_header(&yaml.replace(", Sciences", "-sciences"));
        assert_eq!(meta.expect("valid").disciplines, ["mathematiques-sciences"]);
    }

    #[test]
    fn each_part_of_a_comma_list_is_resolved_with_suggestions() {
        let (meta, _) = validate_header(&format!("{HEADER}niveaux: 6e, 5emme\n"));
        let errors = meta.expect_err("5emme is unknown");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0].message.contains("« 5emme »"),
            "{}",
            errors[0].message
        );
        assert!(errors[0].suggestion.is_some());
    }

    #[test]
    fn an_empty_academie_is_said_empty_with_the_accepted_values() {
        let yaml = format!("{HEADER}niveaux: [6e]\n").replace("academie: Lyon", "academie: \"\"");
        let (meta, _) = validate_header(&yaml);
        let errors = meta.expect_err("empty académie");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let message = &errors[0].message;
        assert!(
            message.starts_with("« academie » ne peut pas être vide"),
            "{message}"
        );
        assert!(message.contains("Lyon"), "{message}");
    }

    #[test]
    fn dedup_keeps_the_first_spelling_in_order() {
        let out = dedup(written(&["Débat", "oral", "debat", "ORAL", "écrit"]));
        assert_eq!(out, ["Débat", "oral", "écrit"]);
    }

    #[test]
    fn dedup_of_100_000_keywords_keeps_each_distinct_one() {
        let items: Vec<String> = (0..100_000)
            .map(|i| {
                if i % 10 == 9 {
                    format!("MÔT {}", i - 1)
                } else {
                    format!("mot {i}")
                }
            })
            .collect();
        let refs: Vec<&str> = items.iter().map(String::as_str).collect();
        let out = dedup(written(&refs));
        assert_eq!(out.len(), 90_000);
        assert_eq!(out[8], "mot 8");
        assert_eq!(out[9], "mot 10");
    }
}
