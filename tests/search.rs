//! `vitrine search` on a small fixture site: French analysis through the real CLI, filters,
//! and the related scenarios computed with tantivy.

mod common;

use std::process::Command;

use common::fixture_site;
use serde_json::Value;

/// The results of `vitrine search --json` (approximate results left out).
fn search(root: &std::path::Path, args: &[&str]) -> Vec<String> {
    rows(root, args)
        .iter()
        .filter(|h| h.get("manquant").is_none())
        .map(|h| h["slug"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The approximate results of `vitrine search --json`: (slug, missing word).
fn approximate(root: &std::path::Path, args: &[&str]) -> Vec<(String, String)> {
    rows(root, args)
        .iter()
        .filter_map(|h| {
            let missing = h.get("manquant")?.as_str()?;
            Some((h["slug"].as_str()?.to_string(), missing.to_string()))
        })
        .collect()
}

fn rows(root: &std::path::Path, args: &[&str]) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .arg("search")
        .args(args)
        .arg("--json")
        .arg("--root")
        .arg(root)
        .output()
        .expect("run vitrine search");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn unaccented_singular_finds_accented_plural() {
    let site = fixture_site(&["search"]);
    let hits = search(site.path(), &["eleve"]);
    assert!(hits.contains(&"valide".to_string()), "{hits:?}");
    assert!(hits.contains(&"volcans-svt".to_string()), "{hits:?}");
}

#[test]
fn plural_finds_singular() {
    let site = fixture_site(&["search"]);
    let hits = search(site.path(), &["numériques"]);
    assert_eq!(
        hits.first().map(String::as_str),
        Some("citoyennete-numerique"),
        "{hits:?}"
    );
}

#[test]
fn elision_and_stemming_find_the_verb() {
    let site = fixture_site(&["search"]);
    let hits = search(site.path(), &["l'évaluation"]);
    assert!(hits.contains(&"evaluer-oral".to_string()), "{hits:?}");
    let typographic = search(site.path(), &["l’évaluation"]);
    assert_eq!(hits, typographic);
}

#[test]
fn all_terms_must_match() {
    let site = fixture_site(&["search"]);
    let hits = search(site.path(), &["volcan grille"]);
    assert!(hits.is_empty(), "{hits:?}");
    let hits = search(site.path(), &["volcan carte"]);
    assert_eq!(hits, vec!["seismes-svt".to_string()]);
}

#[test]
fn approximate_results_name_the_missing_word() {
    let site = fixture_site(&["search"]);
    // No scenario has both words: each one with only one of them comes, with the other
    // word as typed.
    let lacking = approximate(site.path(), &["volcan Grille"]);
    let has = |slug: &str, missing: &str| {
        lacking
            .iter()
            .any(|(s, m)| s.as_str() == slug && m.as_str() == missing)
    };
    assert!(has("volcans-svt", "Grille"), "{lacking:?}");
    assert!(has("evaluer-oral", "volcan"), "{lacking:?}");
    assert!(!has("citoyennete-numerique", "Grille"), "{lacking:?}");
    // Enough full results: no approximate ones.
    assert!(approximate(site.path(), &["volcan"]).is_empty());
    assert!(approximate(site.path(), &["volcan carte"]).len() <= 10);

    let out = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["search", "volcan Grille", "--root"])
        .arg(site.path())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Résultats approchants (il manque un mot) :"),
        "{text}"
    );
    assert!(text.contains("— sans « Grille »"), "{text}");
}

#[test]
fn metadata_labels_and_aliases_are_searchable() {
    let site = fixture_site(&["search"]);
    // The académie and the discipline are only in the front matter, as keys or labels.
    let by_academie = search(site.path(), &["grenoble"]);
    assert!(
        by_academie.contains(&"seismes-svt".to_string()),
        "{by_academie:?}"
    );
    let by_alias = search(site.path(), &["sciences naturelles"]);
    assert!(
        by_alias.contains(&"volcans-svt".to_string()),
        "{by_alias:?}"
    );
}

#[test]
fn filters_by_label_or_alias() {
    let site = fixture_site(&["search"]);
    let hits = search(
        site.path(),
        &[
            "volcan",
            "--discipline",
            "Sciences de la vie et de la Terre",
        ],
    );
    assert_eq!(hits.len(), 2, "{hits:?}");
    let hits = search(site.path(), &["volcan", "--academie", "grenoble"]);
    assert_eq!(hits, vec!["seismes-svt".to_string()]);
    // Filter-only browsing: newest first.
    let hits = search(site.path(), &["--discipline", "svt"]);
    assert_eq!(
        hits,
        vec!["seismes-svt".to_string(), "volcans-svt".to_string()]
    );
}

#[test]
fn unknown_filter_value_is_explained() {
    let site = fixture_site(&["search"]);
    let out = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["search", "volcan", "--discipline", "Mathematique", "--root"])
        .arg(site.path())
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("vouliez-vous dire « Mathématiques » ?"),
        "{stderr}"
    );
}

#[test]
fn odd_queries_do_not_fail() {
    let site = fixture_site(&["search"]);
    for q in [
        "\"",
        "(",
        "titre:volcan",
        "AND OR",
        "-",
        "*",
        "volcan)",
        "l'",
        "’",
    ] {
        search(site.path(), &[q]);
    }
}

#[test]
fn related_scenarios_are_the_most_similar_and_deterministic() {
    let site = fixture_site(&["search"]);
    common::build(site.path()).expect("build");
    let page = std::fs::read_to_string(site.path().join("public/scenarios/volcans-svt/index.html"))
        .expect("scenario page");
    let related = page
        .split("Scénarios proches")
        .nth(1)
        .expect("related block");
    let first_link = related.split("href=\"").nth(1).expect("a related link");
    assert!(
        first_link.starts_with("../../scenarios/seismes-svt/"),
        "{first_link}"
    );
    assert!(
        !related.contains("scenarios/volcans-svt/\""),
        "a scenario is not its own neighbour"
    );

    let again = fixture_site(&["search"]);
    common::build(again.path()).expect("build");
    let page2 =
        std::fs::read_to_string(again.path().join("public/scenarios/volcans-svt/index.html"))
            .expect("scenario page");
    assert_eq!(page, page2);
}
