//! `vitrine vocabulaires [NOM]`: the real program on fixture sites, its aligned columns, its
//! JSON, the site's own additions, and a typo in NOM.

mod common;

use std::path::Path;

use vitrine::vocab::{VocabName, Vocabularies};

struct Run {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

fn vocabulaires(root: &Path, args: &[&str]) -> Run {
    let output = common::vitrine_in(root)
        .arg("vocabulaires")
        .args(args)
        .output()
        .expect("run vitrine vocabulaires");
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code(),
    }
}

/// The line of the listing whose first column is `key`, split into its columns (two spaces
/// or more between them).
fn row(listing: &str, key: &str) -> Vec<String> {
    let line = listing
        .lines()
        .find(|l| l.split_whitespace().next() == Some(key))
        .unwrap_or_else(|| panic!("no line for {key} in:\n{listing}"));
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_overview_names_every_vocabulary_with_its_count() {
    let site = common::fixture_site(&[]);
    let run = vocabulaires(site.path(), &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let builtin = Vocabularies::builtin().expect("builtin vocabularies");
    for name in VocabName::ALL {
        let columns = row(&run.stdout, name.front_matter_key());
        assert_eq!(columns[1], name.title(), "{}", run.stdout);
        assert_eq!(
            columns[2],
            builtin.get(name).entries().len().to_string(),
            "{}",
            run.stdout
        );
    }
    // The fixture's only scenario names one tool.
    assert!(row(&run.stdout, "outils")[2].starts_with("1 (liste libre"));
    common::assert_french(&run.stdout);
}

#[test]
fn academies_are_listed_with_key_label_and_variants() {
    let site = common::fixture_site(&[]);
    let run = vocabulaires(site.path(), &["academie"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("Académies (clé d'en-tête « academie ») : 30 valeurs."),
        "{}",
        run.stdout
    );
    let lyon = row(&run.stdout, "ac-lyon");
    assert_eq!(lyon[1], "Lyon");
    assert!(lyon[2].contains("Académie de Lyon"), "{lyon:?}");
    // « Académies », plural and accented, names the same list.
    assert_eq!(vocabulaires(site.path(), &["Académies"]).stdout, run.stdout);
}

#[test]
fn levels_show_their_usual_spellings_in_aligned_columns() {
    let site = common::fixture_site(&[]);
    let run = vocabulaires(site.path(), &["niveau"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let sixieme = row(&run.stdout, "6e");
    assert_eq!(sixieme[1], "Sixième");
    let variants: Vec<&str> = sixieme[2].split(", ").collect();
    assert!(variants.contains(&"sixième"), "{variants:?}");
    assert!(variants.contains(&"6ème"), "{variants:?}");
    // Every label starts at the same column, whatever the accents before it.
    let table: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("CLÉ"))
        .collect();
    let label_column = |line: &str| {
        let chars: Vec<char> = line.chars().collect();
        let end_of_key = chars.iter().position(|c| *c == ' ').unwrap_or(0);
        end_of_key
            + chars[end_of_key..]
                .iter()
                .take_while(|c| **c == ' ')
                .count()
    };
    assert!(table.len() > 10, "{}", run.stdout);
    let first = label_column(table[0]);
    assert!(
        table.iter().all(|l| label_column(l) == first),
        "{}",
        run.stdout
    );
}

#[test]
fn the_site_additions_are_listed_as_check_reads_them() {
    let site = common::fixture_site(&[]);
    let config = site.path().join("vitrine.yaml");
    let mut text = std::fs::read_to_string(&config).expect("config");
    text.push_str(
        "vocabulaires:\n  disciplines:\n    - cle: breton\n      libelle: Breton\n      alias: [langue bretonne]\n",
    );
    std::fs::write(&config, text).expect("write config");
    let run = vocabulaires(site.path(), &["disciplines", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["cle"], "disciplines");
    let values = json["valeurs"].as_array().expect("valeurs");
    let breton = values
        .iter()
        .find(|v| v["cle"] == "breton")
        .unwrap_or_else(|| panic!("breton missing: {json}"));
    assert_eq!(breton["libelle"], "Breton");
    assert_eq!(breton["variantes"], serde_json::json!(["langue bretonne"]));
    let builtin = Vocabularies::builtin().expect("builtin");
    assert_eq!(
        values.len(),
        builtin.get(VocabName::Subjects).entries().len() + 1
    );
}

#[test]
fn tools_are_those_the_scenarios_name() {
    let site = common::fixture_site(&[]);
    let run = vocabulaires(site.path(), &["outil", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        json["valeurs"],
        serde_json::json!([{"cle": "geogebra", "libelle": "GeoGebra", "variantes": []}])
    );
}

#[test]
fn a_typo_in_the_name_gets_a_french_suggestion_and_fails() {
    let site = common::fixture_site(&[]);
    let run = vocabulaires(site.path(), &["nivaux"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("vocabulaire inconnu « nivaux » ; vouliez-vous dire « niveaux » ?"),
        "{}",
        run.stderr
    );
    common::assert_french(&run.stderr);
}

#[test]
fn an_unknown_value_points_to_the_command() {
    let site = common::fixture_site(&[]);
    let scenario = site.path().join("content/scenarios/valide.md");
    let text = std::fs::read_to_string(&scenario).expect("scenario");
    std::fs::write(&scenario, text.replace("academie: Lyon", "academie: Lyonn"))
        .expect("write scenario");
    let output = common::vitrine_in(site.path())
        .arg("check")
        .output()
        .expect("run vitrine check");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("(liste des valeurs : « vitrine vocabulaires academie »)"),
        "{stderr}"
    );
}

#[test]
fn tools_of_a_site_with_errors_show_the_errors_first() {
    let site = common::fixture_site(&[]);
    let scenario = site.path().join("content/scenarios/valide.md");
    let text = std::fs::read_to_string(&scenario).expect("scenario");
    std::fs::write(&scenario, text.replace("niveaux: [5e]", "niveaux: [BTS]")).expect("write");
    let run = vocabulaires(site.path(), &["outils"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("valeur inconnue « BTS »"),
        "{}",
        run.stderr
    );
    let overview = vocabulaires(site.path(), &[]);
    assert_eq!(overview.code, Some(0), "the vocabularies are still listed");
    assert!(row(&overview.stdout, "outils")[2].starts_with("? (liste libre"));
}
