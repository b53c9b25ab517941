//! JSON-LD (schema.org `LearningResource`) of a scenario, embedded in its page for search
//! engines and harvesters. Vocabulary values are `DefinedTerm`s identified by their ScoLOMFR
//! URI when they have one.

use serde_json::{json, Map, Value};

use crate::content::{Facet, Scenario};
use crate::publish::describe::{last_change, licence_of, terms, vignette_url, Term};
use crate::publish::urls;
use crate::publish::urls::absolute_url;
use crate::publish::wording::academy_name;
use crate::publish::BuildInput;

/// The JSON-LD of a scenario, ready to be the text of a
/// `<script type="application/ld+json">` element.
pub fn scenario(input: &BuildInput, scenario: &Scenario) -> String {
    let meta = &scenario.meta;
    let vocabs = input.vocabs;
    let mut ld = Map::new();
    let mut put = |key: &str, value: Value| {
        let empty = match &value {
            Value::Null => true,
            Value::Array(a) => a.is_empty(),
            Value::String(s) => s.is_empty(),
            _ => false,
        };
        if !empty {
            ld.insert(key.to_string(), value);
        }
    };
    put("@context", json!("https://schema.org"));
    put("@type", json!("LearningResource"));
    let url = absolute_url(&input.config.base_url, &urls::scenario(&scenario.slug));
    put("@id", json!(url));
    put("url", json!(url));
    put("identifier", json!(scenario.slug));
    put("name", json!(meta.titre));
    put("description", json!(meta.resume));
    put("inLanguage", json!("fr"));
    put("datePublished", json!(meta.date.to_string()));
    put("dateModified", json!(last_change(scenario).to_string()));
    let defined = |facet: Facet| -> Value {
        Value::Array(
            terms(vocabs, facet, scenario)
                .into_iter()
                .map(defined_term)
                .collect(),
        )
    };
    let mut levels = terms(vocabs, Facet::Levels, scenario);
    levels.extend(terms(vocabs, Facet::Cycles, scenario));
    put(
        "educationalLevel",
        Value::Array(levels.into_iter().map(defined_term).collect()),
    );
    put("learningResourceType", defined(Facet::Types));
    put("about", defined(Facet::Subjects));
    let crcn = json!({
        "@type": "DefinedTermSet",
        "name": "Cadre de référence des compétences numériques (CRCN)",
    });
    put(
        "teaches",
        Value::Array(
            terms(vocabs, Facet::DigitalSkills, scenario)
                .into_iter()
                .map(|t| {
                    let mut term = defined_term(t);
                    if let Value::Object(map) = &mut term {
                        map.insert("inDefinedTermSet".into(), crcn.clone());
                    }
                    term
                })
                .collect(),
        ),
    );
    put(
        "timeRequired",
        json!(meta.duree.as_ref().map(|d| d.iso.as_str())),
    );
    let licence = licence_of(input, scenario);
    put("license", json!(licence.url.unwrap_or(licence.libelle)));
    put("isAccessibleForFree", json!(true));
    put("keywords", json!(meta.mots_cles));
    put(
        "image",
        json!(vignette_url(&input.config.base_url, scenario)),
    );
    let authors: Vec<Value> = meta
        .auteurs
        .iter()
        .map(|a| {
            let mut person = Map::new();
            person.insert("@type".into(), json!("Person"));
            person.insert("name".into(), json!(a.nom));
            if let Some(job) = a.fonction.as_deref().filter(|s| !s.is_empty()) {
                person.insert("jobTitle".into(), json!(job));
            }
            if let Some(school) = a.etablissement.as_deref().filter(|s| !s.is_empty()) {
                person.insert(
                    "affiliation".into(),
                    json!({"@type": "EducationalOrganization", "name": school}),
                );
            }
            Value::Object(person)
        })
        .collect();
    put("author", Value::Array(authors));
    let academie = terms(vocabs, Facet::Academies, scenario);
    if let Some(a) = academie.first() {
        let mut org = Map::new();
        org.insert("@type".into(), json!("Organization"));
        org.insert("name".into(), json!(academy_name(&a.libelle)));
        if let Some(uri) = &a.uri {
            org.insert("@id".into(), json!(uri));
        }
        put("publisher", Value::Object(org));
    }
    let mut site = Map::new();
    site.insert("@type".into(), json!("WebSite"));
    site.insert("name".into(), json!(input.config.titre));
    if let Some(home) = absolute_url(&input.config.base_url, &urls::home()) {
        site.insert("url".into(), json!(home));
    }
    put("isPartOf", Value::Object(site));
    script_safe(&Value::Object(ld).to_string())
}

fn defined_term(term: Term) -> Value {
    let mut t = Map::new();
    t.insert("@type".into(), json!("DefinedTerm"));
    if let Some(uri) = &term.uri {
        t.insert("@id".into(), json!(uri));
        t.insert("url".into(), json!(uri));
    }
    t.insert("name".into(), json!(term.libelle));
    t.insert("termCode".into(), json!(term.cle));
    Value::Object(t)
}

/// JSON text safe as the text of a `<script>` element: no `<`, `>` or `&` can end the element,
/// open a comment (`<!--`) or be read as markup by a sanitiser or an HTML-unaware tool, and
/// U+2028/U+2029 cannot break older JavaScript parsers. serde_json only puts these characters
/// inside strings, where their `\uXXXX` escapes mean the same text.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::content::SiteContent;
    use crate::vocab::Vocabularies;

    const TITLE: &str = "a </script><!--<script> & \u{2028}b";

    #[test]
    fn markup_characters_are_escaped_and_round_trip() {
        let json = json!({"name": TITLE}).to_string();
        let safe = script_safe(&json);
        for bad in ['<', '>', '&', '\u{2028}'] {
            assert!(!safe.contains(bad), "{bad:?} in {safe}");
        }
        assert!(safe.contains("\\u003c/script\\u003e"), "{safe}");
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["name"], TITLE);
    }

    #[test]
    fn a_hostile_scenario_gives_script_safe_json_ld() {
        let config =
            crate::config::Config::parse("titre: Vitrine\nbase_url: https://x.fr/vitrine\n")
                .expect("config");
        let vocabs = Vocabularies::builtin().expect("vocabularies");
        let s = Scenario::with_markup(TITLE);
        let content = SiteContent::with_scenarios(vec![s.clone()]);
        let input = BuildInput::bare(&config, &vocabs, &content);
        let ld = scenario(&input, &s);
        assert!(!ld.contains(['<', '>', '&']), "{ld}");
        let back: Value = serde_json::from_str(&ld).unwrap();
        assert_eq!(back["name"], TITLE);
        assert_eq!(back["description"], s.meta.resume);
        assert_eq!(back["keywords"][0], "a<b");
    }
}
