//! `vitrine schema`: a JSON Schema of a scenario's front matter, generated from the site's
//! vocabularies, for editors and other tools.
//!
//! Draft-07: the draft that the editors' validators (VS Code's YAML language server, ajv in
//! remark-lint-frontmatter-schema) read completely; nothing here needs a later draft.
//!
//! Each vocabulary value is an `anyOf` of the keys (an `enum` with `enumDescriptions`, the
//! labels that VS Code shows beside each completion) and a pattern accepting every spelling
//! vitrine accepts: key, label and variants, in any case, with or without accents, with any
//! punctuation between words (what [`crate::vocab::Vocabulary::resolve`] ignores). A schema
//! stricter than vitrine would mark as wrong what `vitrine check` accepts.

use serde_json::{json, Map, Value};

use crate::text::slugify;
use crate::vocab::{VocabName, Vocabularies, Vocabulary};

/// Keys without which a scenario is not published.
pub const REQUIRED: &[&str] = &[
    "titre",
    "resume",
    "date",
    "academie",
    "disciplines",
    "niveaux",
];

/// Keys holding lists of vocabulary values (a list, one value, or values separated by commas).
const VOCAB_LISTS: &[(&str, VocabName)] = &[
    ("disciplines", VocabName::Subjects),
    ("niveaux", VocabName::Levels),
    ("cycles", VocabName::Cycles),
    ("types", VocabName::Types),
    ("modalites", VocabName::Modes),
    ("competences_numeriques", VocabName::DigitalSkills),
];

/// Longest summary vitrine accepts, in characters.
const RESUME_MAX_CHARS: usize = 500;

/// The JSON Schema of a scenario's front matter for these vocabularies.
pub fn front_matter(vocabs: &Vocabularies) -> Value {
    let mut properties = Map::new();
    let mut definitions = Map::new();
    let text = || json!({ "type": ["string", "number"] });
    let date = |what: &str| {
        json!({
            "description": format!("{what}, sous la forme AAAA-MM-JJ (par exemple 2025-03-14)"),
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    };
    let mut add = |key: &str, description: &str, schema: Value| {
        // vitrine reads an optional key left empty (`outils:`) as absent.
        let mut schema = if REQUIRED.contains(&key) {
            schema
        } else {
            json!({ "anyOf": [{ "type": "null" }, schema] })
        };
        if let Some(object) = schema.as_object_mut() {
            let inner = object.get("anyOf").and_then(|a| a.get(1));
            let written = inner.and_then(|i| i.get("description")).cloned();
            object
                .entry("description")
                .or_insert_with(|| written.unwrap_or_else(|| json!(description)));
        }
        properties.insert(key.to_string(), schema);
    };
    add("titre", "Titre du scénario", text());
    add(
        "resume",
        "Résumé, 500 caractères au plus",
        json!({ "type": ["string", "number"], "maxLength": RESUME_MAX_CHARS }),
    );
    add("date", "", date("Date de publication"));
    add("mise_a_jour", "", date("Date de mise à jour"));
    add(
        "auteurs",
        "Auteurs : un nom, ou nom, fonction et établissement",
        authors(),
    );
    add(
        "academie",
        "Académie d'origine (une seule)",
        json!({ "allOf": [{ "$ref": "#/definitions/academie" }] }),
    );
    for (key, name) in VOCAB_LISTS {
        let vocab = vocabs.get(*name);
        definitions.insert(key.to_string(), value_schema(vocab));
        let required = REQUIRED.contains(key);
        definitions.insert(format!("{key}_liste"), list_schema(key, vocab, required));
        add(
            key,
            &format!(
                "{} : une liste, une valeur, ou des valeurs séparées par des virgules (liste : vitrine vocabulaires {key})",
                name.title()
            ),
            // In draft-07 a description beside `$ref` is ignored: the reference goes in `allOf`.
            json!({ "allOf": [{ "$ref": format!("#/definitions/{key}_liste") }] }),
        );
    }
    definitions.insert(
        "academie".to_string(),
        value_schema(vocabs.get(VocabName::Academies)),
    );
    add(
        "duree",
        "Durée, par exemple « 2 x 55 min », « 1 h 30 » ou « PT2H »",
        text(),
    );
    add("outils", "Outils numériques (liste libre)", free_list());
    add("mots_cles", "Mots-clés (liste libre)", free_list());
    add("licence", "Licence (par défaut : celle du site)", text());
    add(
        "vignette",
        "Image de la carte, fichier du scénario-dossier",
        text(),
    );
    add("vignette_alt", "Description de la vignette", text());
    add(
        "ressources",
        "Ressources : titre et url, ou titre et fichier",
        resources(),
    );
    add(
        "url_source",
        "Adresse de la version d'origine",
        json!({ "type": "string", "pattern": "^https?://" }),
    );
    add(
        "brouillon",
        "true : brouillon, non publié",
        json!({ "type": "boolean" }),
    );
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "En-tête d'un scénario vitrine",
        "description": "Généré par « vitrine schema » à partir des vocabulaires du site.",
        "type": "object",
        "required": REQUIRED,
        "additionalProperties": false,
        "properties": properties,
        "definitions": definitions,
    })
}

fn authors() -> Value {
    let author = json!({
        "anyOf": [
            { "type": "string", "minLength": 1 },
            {
                "type": "object",
                "required": ["nom"],
                "additionalProperties": false,
                "properties": {
                    "nom": { "type": "string", "minLength": 1 },
                    "fonction": { "type": "string" },
                    "etablissement": { "type": "string" }
                }
            }
        ]
    });
    json!({ "anyOf": [author.clone(), { "type": "array", "items": author }] })
}

fn resources() -> Value {
    json!({
        "type": "array",
        "items": {
            "type": "object",
            "required": ["titre"],
            "additionalProperties": false,
            "properties": {
                "titre": { "type": "string" },
                "url": { "type": "string", "pattern": "^https?://" },
                "fichier": { "type": "string" }
            },
            "oneOf": [{ "required": ["url"] }, { "required": ["fichier"] }]
        }
    })
}

fn free_list() -> Value {
    json!({
        "anyOf": [
            { "type": ["string", "number"] },
            { "type": "array", "items": { "type": ["string", "number"] } }
        ]
    })
}

/// One value: a key (offered by editors, with its label) or any accepted spelling. Keys that are
/// numbers (CRCN « 1.1 ») may be written unquoted, and YAML reads them as numbers.
fn value_schema(vocab: &Vocabulary) -> Value {
    let keys: Vec<&str> = vocab.entries().iter().map(|e| e.cle.as_str()).collect();
    let labels: Vec<&str> = vocab.entries().iter().map(|e| e.libelle.as_str()).collect();
    let mut any_of = vec![
        json!({ "enum": keys, "enumDescriptions": labels }),
        json!({ "type": "string", "pattern": format!("^\\s*{}\\s*$", alternatives(vocab)) }),
    ];
    let numbers: Vec<f64> = keys.iter().filter_map(|k| k.parse().ok()).collect();
    if !numbers.is_empty() {
        any_of.push(json!({ "enum": numbers }));
    }
    json!({
        "title": vocab.name.title(),
        "anyOf": any_of
    })
}

/// A list of values, one value, or values separated by commas in one text; a required list
/// may not be empty.
fn list_schema(key: &str, vocab: &Vocabulary, required: bool) -> Value {
    let one = alternatives(vocab);
    let value = json!({ "$ref": format!("#/definitions/{key}") });
    json!({
        "anyOf": [
            value.clone(),
            { "type": "array", "items": value, "minItems": usize::from(required) },
            { "type": "string", "pattern": format!("^\\s*{one}(\\s*,\\s*{one})*\\s*$") }
        ]
    })
}

/// A regular expression group matching every spelling of every entry, as `resolve` compares
/// them: letters in any case and accent, words separated by any punctuation but a comma.
fn alternatives(vocab: &Vocabulary) -> String {
    let mut forms: Vec<String> = vocab
        .entries()
        .iter()
        .flat_map(|e| {
            std::iter::once(&e.cle)
                .chain(std::iter::once(&e.libelle))
                .chain(&e.alias)
        })
        .map(|written| slugify(written))
        .filter(|slug| !slug.is_empty())
        .collect();
    forms.sort();
    forms.dedup();
    let patterns: Vec<String> = forms.iter().map(|slug| slug_pattern(slug)).collect();
    format!("(?:{})", patterns.join("|"))
}

/// Characters that fold to the same ASCII letter (the usual French accents and the capitals).
fn letter_class(letter: char) -> String {
    let accented = match letter {
        'a' => "àâäáãåÀÂÄÁÃÅ",
        'c' => "çÇ",
        'e' => "éèêëÉÈÊË",
        'i' => "îïíìÎÏÍÌ",
        'n' => "ñÑ",
        'o' => "ôöóòõÔÖÓÒÕ",
        'u' => "ùûüúÙÛÜÚ",
        'y' => "ÿýŸÝ",
        _ => "",
    };
    format!("[{letter}{}{accented}]", letter.to_ascii_uppercase())
}

/// The pattern of one slug: its letters and digits, with any punctuation or spacing (but a
/// comma) where the slug has a dash.
fn slug_pattern(slug: &str) -> String {
    slug.chars()
        .map(|c| match c {
            'a'..='z' => letter_class(c),
            '-' => "[^A-Za-z0-9,]*".to_string(),
            other => other.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_key_of_the_reader_is_described_and_no_other() {
        let vocabs = Vocabularies::builtin().expect("builtin");
        let schema = front_matter(&vocabs);
        let described: BTreeSet<&str> = schema["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        let read: BTreeSet<&str> = crate::content::scenario::KEYS.iter().copied().collect();
        assert_eq!(described, read);
        assert_eq!(RESUME_MAX_CHARS, crate::content::scenario::RESUME_MAX_CHARS);
    }

    #[test]
    fn a_slug_matches_its_spellings_in_any_case_and_accent() {
        assert_eq!(slug_pattern("6e"), "6[eEéèêëÉÈÊË]");
        assert_eq!(slug_pattern("a-b"), "[aAàâäáãåÀÂÄÁÃÅ][^A-Za-z0-9,]*[bB]");
    }
}
