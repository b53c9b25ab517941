//! `vitrine schema`: the JSON Schema of the front matter, checked with a JSON Schema library.
//! Every demo scenario's front matter is valid for it; each kind of mistake `check` refuses is
//! refused by it too; spellings `check` accepts (accents, commas, CRCN numbers) are accepted.

mod common;

use std::path::Path;

use serde_json::Value;

/// The schema `vitrine schema --sortie` writes for the site at `root`.
fn schema_of(root: &Path) -> Value {
    let output = common::vitrine_in(root)
        .args(["schema", "--sortie", "entete.schema.json"])
        .output()
        .expect("run vitrine schema");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(root.join("entete.schema.json")).expect("schema written");
    serde_json::from_str(&text).expect("schema is JSON")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    assert!(jsonschema::meta::is_valid(schema), "not a valid schema");
    jsonschema::draft7::new(schema).expect("schema compiles")
}

/// The front matter of a Markdown file, read as YAML and turned into JSON as editors do.
fn front_matter(markdown: &str) -> Value {
    let yaml = markdown
        .strip_prefix("---\n")
        .and_then(|rest| rest.split("\n---").next())
        .expect("front matter");
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).expect("YAML");
    serde_json::to_value(value).expect("JSON")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} : {e}", e.instance_path()))
        .collect()
}

#[test]
fn every_demo_scenario_is_valid() {
    let site = common::demo_site();
    let validator = validator(&schema_of(site.path()));
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site.path().join("content/scenarios")) {
        let entry = entry.expect("walk");
        if entry.path().extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read scenario");
        let problems = errors(&validator, &front_matter(&text));
        assert!(
            problems.is_empty(),
            "{}: {problems:#?}",
            entry.path().display()
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} scenarios");
}

/// The fixture's valid front matter with `from` replaced by `to`.
fn variant(from: &str, to: &str) -> Value {
    let base = std::fs::read_to_string(
        common::repo_root().join("tests/fixtures/_base/content/scenarios/valide.md"),
    )
    .expect("fixture");
    assert!(base.contains(from), "{from}");
    front_matter(&base.replacen(from, to, 1))
}

#[test]
fn each_kind_of_mistake_is_rejected() {
    let site = common::fixture_site(&[]);
    let validator = validator(&schema_of(site.path()));
    assert!(errors(&validator, &variant("", "")).is_empty());
    let mistakes = [
        ("niveaux: [5e]", "niveaux: [BTS]", "/niveaux"),
        ("niveaux: [5e]", "niveaux: []", "/niveaux"),
        ("niveaux: [5e]", "niveaux:", "/niveaux"),
        ("titre: Un scénario valide\n", "", ""),
        ("date: 2025-03-14", "date: 14/03/2025", "/date"),
        ("academie: Lyon", "academie: Lyonn", "/academie"),
        ("academie: Lyon", "academie: Lyon, Grenoble", "/academie"),
        (
            "disciplines: [Mathématiques]",
            "disciplines: [Mathematique]",
            "/disciplines",
        ),
        (
            "competences_numeriques: [\"3.1\"]",
            "competences_numeriques: [9.9]",
            "/competences_numeriques",
        ),
        (
            "duree: \"2 x 55 min\"",
            "duree: \"2 x 55 min\"\nauteur: Claire",
            "",
        ),
        (
            "mots_cles: [fractions]",
            "mots_cles: [fractions]\nbrouillon: oui",
            "/brouillon",
        ),
        (
            "  - nom: Claire Martin\n    fonction",
            "  - fonction",
            "/auteurs",
        ),
    ];
    for (from, to, path) in mistakes {
        let problems = errors(&validator, &variant(from, to));
        assert!(!problems.is_empty(), "« {to} » should be rejected");
        assert!(
            problems.iter().any(|p| p.starts_with(&format!("{path} :"))),
            "« {to} »: {problems:#?}"
        );
    }
}

#[test]
fn spellings_vitrine_accepts_are_accepted() {
    let site = common::fixture_site(&[]);
    let validator = validator(&schema_of(site.path()));
    let accepted = [
        (
            "niveaux: [5e]",
            "niveaux: [sixieme, 5ème, CINQUIÈME, Classe de 4e]",
        ),
        ("niveaux: [5e]", "niveaux: 6e, 5e"),
        ("academie: Lyon", "academie: académie de lyon"),
        (
            "disciplines: [Mathématiques]",
            "disciplines: Physique Chimie, maths",
        ),
        (
            "competences_numeriques: [\"3.1\"]",
            "competences_numeriques: [1.1, 3.1]",
        ),
        ("outils: [GeoGebra]", "outils: Tableur, ENT"),
        ("outils: [GeoGebra]", "outils:\nvignette:\ncycles:"),
    ];
    for (from, to) in accepted {
        let problems = errors(&validator, &variant(from, to));
        assert!(problems.is_empty(), "« {to} »: {problems:#?}");
    }
}

#[test]
fn the_site_additions_are_in_the_schema() {
    let site = common::fixture_site(&[]);
    let config = site.path().join("vitrine.yaml");
    let mut text = std::fs::read_to_string(&config).expect("config");
    text.push_str("vocabulaires:\n  disciplines:\n    - cle: breton\n      libelle: Breton\n");
    std::fs::write(&config, text).expect("write config");
    let schema = schema_of(site.path());
    let keys = &schema["definitions"]["disciplines"]["anyOf"][0];
    let position = keys["enum"]
        .as_array()
        .and_then(|keys| keys.iter().position(|k| k == "breton"))
        .expect("breton is a key");
    assert_eq!(keys["enumDescriptions"][position], "Breton");
    let validator = validator(&schema);
    let breton = variant("disciplines: [Mathématiques]", "disciplines: [Breton]");
    assert!(errors(&validator, &breton).is_empty());
    // Without the addition, « Breton » is no discipline.
    let plain = common::fixture_site(&[]);
    assert!(!errors(&self::validator(&schema_of(plain.path())), &breton).is_empty());
}

#[test]
fn the_schema_goes_to_stdout_without_sortie() {
    let site = common::fixture_site(&[]);
    let output = common::vitrine_in(site.path())
        .arg("schema")
        .output()
        .expect("run vitrine schema");
    assert!(output.status.success());
    let schema: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(schema, schema_of(site.path()));
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
}

#[test]
fn the_scenario_written_by_new_is_valid() {
    let site = common::fixture_site(&[]);
    let output = common::vitrine_in(site.path())
        .args([
            "new",
            "Mon essai",
            "--discipline",
            "maths",
            "--niveau",
            "6e",
        ])
        .args(["--academie", "Lyon"])
        .output()
        .expect("run vitrine new");
    assert!(output.status.success());
    let validator = validator(&schema_of(site.path()));
    let written = walkdir::WalkDir::new(site.path().join("content/scenarios"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().to_string_lossy().contains("mon-essai"))
        .expect("the new scenario");
    let text = std::fs::read_to_string(written.path()).expect("read");
    let problems = errors(&validator, &front_matter(&text));
    assert!(problems.is_empty(), "{problems:#?}");
}
