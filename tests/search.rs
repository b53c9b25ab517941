//! `vitrine search` on a small fixture site: French analysis through the real CLI, filters,
//! and the related scenarios computed with tantivy.

mod common;

use std::process::Command;

use common::fixture_site;
use serde_json::Value;

fn search(root: &std::path::Path, args: &[&str]) -> Vec<String> {
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
    let hits: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON output");
    hits.iter()
        .map(|h| h["slug"].as_str().unwrap_or_default().to_string())
        .collect()
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
