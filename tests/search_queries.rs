//! What a teacher types finds what a teacher expects: every query of
//! `tests/fixtures/requetes-enseignant.yaml` (metadata words, levels written « 6e / sixième /
//! 6ème », académies with and without hyphen, plurals, elisions, typos, tool names, several
//! words, word beginnings) has its expected scenario of the demo site among the first three
//! results of `vitrine search` and of the browser engine (moteur.js in Node), and both engines
//! give the same first three.

mod common;

use std::path::Path;
use std::process::Command;

use serde::Deserialize;
use serde_json::{json, Value};

/// Results a teacher looks at.
const TOP: usize = 3;

#[derive(Debug, Deserialize)]
struct TeacherQuery {
    requete: String,
    attendu: String,
    genre: String,
}

fn teacher_queries() -> Vec<TeacherQuery> {
    let path = common::repo_root().join("tests/fixtures/requetes-enseignant.yaml");
    let text = std::fs::read_to_string(&path).expect("query file");
    serde_yaml::from_str(&text).expect("query file is a YAML list")
}

/// The first results of `vitrine search --json` (approximate results left out): (slug, score).
fn rust_top(site: &Path, text: &str) -> Vec<(String, f64)> {
    let output = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .current_dir(site)
        .args(["search", "--json", "--limit", &TOP.to_string(), "--", text])
        .output()
        .expect("vitrine search runs");
    assert!(
        output.status.success(),
        "vitrine search {text:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    rows.as_array()
        .expect("array")
        .iter()
        .filter(|row| row.get("manquant").is_none())
        .map(|row| {
            (
                row["slug"].as_str().expect("slug").to_string(),
                row["score"].as_f64().expect("score"),
            )
        })
        .collect()
}

/// The first results of moteur.js for every query, in order.
fn js_tops(node: &str, site: &Path, queries: &[TeacherQuery]) -> Vec<Vec<String>> {
    let requests: Vec<Value> = queries
        .iter()
        .map(|q| json!({"texte": q.requete, "nombre": TOP}))
        .collect();
    let requests_file = site.join("requetes-enseignant.json");
    std::fs::write(&requests_file, serde_json::to_vec(&requests).expect("JSON")).expect("write");
    let output = Command::new(node)
        .arg(common::repo_root().join("tests/browser/moteur.mjs"))
        .arg(site.join("public/recherche/donnees"))
        .arg(&requests_file)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "moteur.mjs: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answers: Value = serde_json::from_slice(&output.stdout).expect("JSON answers");
    answers
        .as_array()
        .expect("array")
        .iter()
        .map(|answer| {
            answer["resultats"]
                .as_array()
                .expect("resultats")
                .iter()
                .map(|r| r["slug"].as_str().expect("slug").to_string())
                .collect()
        })
        .collect()
}

/// Same slugs in the same order, except swaps of results whose Rust scores differ by less than
/// 0.01 (the bundle stores contributions in thousandths).
fn same_top(rust: &[(String, f64)], js: &[String]) -> bool {
    if rust.len() != js.len() {
        return false;
    }
    rust.iter().zip(js).all(|((slug, score), js_slug)| {
        slug == js_slug
            || rust
                .iter()
                .any(|(other, other_score)| other == js_slug && (score - other_score).abs() < 0.01)
    })
}

#[test]
fn teacher_queries_find_the_expected_scenario_in_both_engines() {
    let queries = teacher_queries();
    assert!(queries.len() >= 40, "{} queries", queries.len());
    let site = common::demo_site();
    common::build(site.path()).expect("demo builds");
    let js = match common::node() {
        Some(node) => Some(js_tops(node, site.path(), &queries)),
        None => {
            eprintln!("Node.js absent : moteur.js n'est pas vérifié");
            None
        }
    };
    let mut failures = Vec::new();
    for (i, query) in queries.iter().enumerate() {
        let rust = rust_top(site.path(), &query.requete);
        let rust_slugs: Vec<&str> = rust.iter().map(|(slug, _)| slug.as_str()).collect();
        if !rust_slugs.contains(&query.attendu.as_str()) {
            failures.push(format!(
                "vitrine search {:?} ({}) : {} absent de {rust_slugs:?}",
                query.requete, query.genre, query.attendu
            ));
        }
        let Some(js) = &js else { continue };
        if !js[i].contains(&query.attendu) {
            failures.push(format!(
                "moteur.js {:?} ({}) : {} absent de {:?}",
                query.requete, query.genre, query.attendu, js[i]
            ));
        }
        if !same_top(&rust, &js[i]) {
            failures.push(format!(
                "{:?} : vitrine search {rust:?} ≠ moteur.js {:?}",
                query.requete, js[i]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn top_comparison_tolerates_ties_only() {
    let rust = vec![("a".to_string(), 2.0), ("b".to_string(), 1.995)];
    assert!(same_top(&rust, &["b".to_string(), "a".to_string()]));
    let apart = vec![("a".to_string(), 2.0), ("b".to_string(), 1.0)];
    assert!(!same_top(&apart, &["b".to_string(), "a".to_string()]));
    assert!(!same_top(&apart, &["a".to_string()]));
}
