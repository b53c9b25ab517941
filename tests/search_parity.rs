//! The browser engine (moteur.js, run by Node over the exported bundle) and `vitrine search`
//! (tantivy) give the same results: same number, same top 10 in the same order, ties excepted.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

/// `(text, filters)`: single words, several words, missing accents, elisions, plurals,
/// prefixes typed as you go, typos, stop words only, with and without facet filters.
fn queries() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        ("tableur", vec![]),
        ("Tableur", vec![]),
        ("élèves", vec![]),
        ("eleve", vec![]),
        ("numérique", vec![]),
        ("numeriques", vec![]),
        ("l'évaluation", vec![]),
        ("l’évaluer", vec![]),
        ("carte sonore", vec![]),
        ("enregistrer un conte", vec![]),
        ("micro:bit tableur", vec![]),
        ("python données", vec![]),
        ("python donnees", vec![]),
        ("mesurer vitesse son", vec![]),
        ("œuvre", vec![]),
        ("oeuvre", vec![]),
        ("CM1", vec![]),
        ("6e", vec![]),
        ("SVT", vec![]),
        ("aujourd'hui", vec![]),
        ("pédag", vec![]),
        ("tabl", vec![]),
        ("programmes de calc", vec![]),
        ("enre", vec![]),
        ("podcst", vec![]),
        ("tabluer", vec![]),
        ("baladodifusion", vec![]),
        ("le la des", vec![]),
        ("", vec![("disciplines", "mathematiques")]),
        ("", vec![("niveaux", "6e"), ("niveaux", "5e")]),
        ("tableur", vec![("disciplines", "mathematiques")]),
        ("numérique", vec![("cycles", "cycle-3")]),
        ("carte", vec![("academies", "ac-toulouse")]),
        (
            "élèves",
            vec![("disciplines", "mathematiques"), ("niveaux", "4e")],
        ),
        (
            "enregistrer",
            vec![("cycles", "cycle-2"), ("cycles", "cycle-1")],
        ),
        ("introuvablissime", vec![]),
        ("xylophone tableur", vec![]),
        // Metadata (labels and aliases of vocabulary values).
        ("lyon", vec![]),
        ("sixième", vec![]),
        ("Aix-Marseille", vec![]),
        ("cycle 3", vec![]),
        // A common term is not expanded as a prefix; exact matches come first.
        ("ENT", vec![]),
        ("podcast", vec![]),
        // Approximate results (all words but one).
        ("jointure inner join", vec![]),
        ("volcan xylophone tableur", vec![]),
        ("CM2 fractions", vec![]),
        ("carte xylophone", vec![("niveaux", "1re")]),
    ]
}

/// The CLI option of a facet filter.
fn option(facet: &str) -> &'static str {
    match facet {
        "disciplines" => "--discipline",
        "niveaux" => "--niveau",
        "cycles" => "--cycle",
        "academies" => "--academie",
        other => panic!("no CLI filter for {other}"),
    }
}

/// Results of `vitrine search --json`: (slug, score, missing word) of all of them, then of
/// the approximate results.
type RustAnswer = (Vec<(String, f64)>, Vec<(String, f64, String)>);

fn rust_results(site: &Path, text: &str, filters: &[(&str, &str)]) -> RustAnswer {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vitrine"));
    command
        .current_dir(site)
        .args(["search", "--json", "--limit", "10000"]);
    for (facet, value) in filters {
        command.args([option(facet), value]);
    }
    // After `--`, a query starting with a dash stays a query.
    command.args(["--", text]);
    let output = command.output().expect("vitrine search runs");
    assert!(
        output.status.success(),
        "vitrine search {text:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let hits: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    let mut results = Vec::new();
    let mut approximate = Vec::new();
    for h in hits.as_array().expect("array") {
        let slug = h["slug"].as_str().expect("slug").to_string();
        let score = h["score"].as_f64().expect("score");
        match h.get("manquant").and_then(Value::as_str) {
            Some(missing) => approximate.push((slug, score, missing.to_string())),
            None => results.push((slug, score)),
        }
    }
    (results, approximate)
}

/// The approximate results agree: same documents in the same order (ties excepted), each
/// lacking the same word.
fn same_approximate(rust: &[(String, f64, String)], js: &Value) -> bool {
    let js: Vec<(String, String)> = js
        .as_array()
        .map(|list| {
            list.iter()
                .map(|r| {
                    let text = |key: &str| r[key].as_str().unwrap_or_default().to_string();
                    (text("slug"), text("manquant"))
                })
                .collect()
        })
        .unwrap_or_default();
    let ranked: Vec<(String, f64)> = rust
        .iter()
        .map(|(s, score, _)| (s.clone(), *score))
        .collect();
    let slugs: Vec<String> = js.iter().map(|(slug, _)| slug.clone()).collect();
    rust.len() == js.len()
        && same_order_ties_excepted(&ranked, &slugs)
        && js
            .iter()
            .all(|(slug, missing)| rust.iter().any(|(s, _, m)| s == slug && m == missing))
}

/// Filters as the JS engine takes them: {facet: [values]}.
fn js_filters(filters: &[(&str, &str)]) -> Value {
    let mut object = serde_json::Map::new();
    for (facet, value) in filters {
        object
            .entry(facet.to_string())
            .or_insert_with(|| json!([]))
            .as_array_mut()
            .expect("array")
            .push(json!(value));
    }
    Value::Object(object)
}

/// True when `js` (a top n) is the top n of `rust` up to swaps of results whose Rust scores
/// differ by less than 0.01 (ties: the bundle stores contributions in thousandths).
fn same_order_ties_excepted(rust: &[(String, f64)], js: &[String]) -> bool {
    if js.len() != rust.len().min(10) {
        return false;
    }
    let mut expected: Vec<(String, f64)> = rust.to_vec();
    for (i, slug) in js.iter().enumerate() {
        if &expected[i].0 == slug {
            continue;
        }
        let Some(j) = (i + 1..expected.len()).find(|&j| &expected[j].0 == slug) else {
            return false;
        };
        if (expected[i].1 - expected[j].1).abs() >= 0.01 {
            return false;
        }
        let moved = expected.remove(j);
        expected.insert(i, moved);
    }
    true
}

/// What comparing both engines on a built site found.
struct Comparison {
    failures: Vec<String>,
    /// Queries with results, with approximate results.
    non_empty: usize,
    with_approximate: usize,
}

impl Comparison {
    fn assert_no_difference(&self) {
        assert!(
            self.failures.is_empty(),
            "différences :\n{}",
            self.failures.join("\n")
        );
    }
}

/// Runs `queries` through moteur.js (over the site's bundle) and `vitrine search`.
fn compare(
    node: &str,
    site: &Path,
    queries: &[(&'static str, Vec<(&'static str, &'static str)>)],
) -> Comparison {
    let requests: Vec<Value> = queries
        .iter()
        .map(|(text, filters)| json!({"texte": text, "filtres": js_filters(filters)}))
        .collect();
    let requests_file = site.join("requetes.json");
    std::fs::write(&requests_file, serde_json::to_vec(&requests).expect("JSON")).expect("write");
    let script = common::repo_root().join("tests/browser/moteur.mjs");
    let output = Command::new(node)
        .arg(&script)
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
    let answers = answers.as_array().expect("array");

    let mut found = Comparison {
        failures: Vec::new(),
        non_empty: 0,
        with_approximate: 0,
    };
    for ((text, filters), answer) in queries.iter().zip(answers) {
        let (rust, rust_approximate) = rust_results(site, text, filters);
        let total = answer["total"].as_u64().expect("total") as usize;
        let js: Vec<String> = answer["resultats"]
            .as_array()
            .expect("resultats")
            .iter()
            .map(|r| r["slug"].as_str().expect("slug").to_string())
            .collect();
        let top: Vec<(String, f64)> = rust.iter().take(10).cloned().collect();
        if total != rust.len() || !same_order_ties_excepted(&rust, &js) {
            found.failures.push(format!(
                "{text:?} {filters:?}\n  vitrine search ({}) : {top:?}\n  moteur.js ({total}) : {js:?}",
                rust.len()
            ));
        }
        if !same_approximate(&rust_approximate, &answer["approchants"]) {
            found.failures.push(format!(
                "{text:?} {filters:?} (approchants)\n  vitrine search : {rust_approximate:?}\n  moteur.js : {}",
                answer["approchants"]
            ));
        }
        if !rust_approximate.is_empty() {
            found.with_approximate += 1;
        }
        if !rust.is_empty() {
            found.non_empty += 1;
        }
    }
    found
}

#[test]
fn the_browser_engine_ranks_like_vitrine_search() {
    let Some(node) = common::node() else { return };
    let site = common::demo_site();
    common::build(site.path()).expect("demo builds");
    let queries = queries();
    assert!(queries.len() >= 30);
    let found = compare(node, site.path(), &queries);
    found.assert_no_difference();
    // The queries must exercise the ranking, not only agree on empty answers.
    assert!(
        found.non_empty >= 28,
        "{} queries with results",
        found.non_empty
    );
    assert!(
        found.with_approximate >= 3,
        "{} queries with approximate results",
        found.with_approximate
    );
}

/// On a site large enough for the most common terms to be split (their best documents in the
/// term file, the rest in `suites/`), the head alone answers a one-word query and head and
/// rest together every other query, with the same results as `vitrine search`.
#[test]
fn split_common_terms_rank_like_vitrine_search() {
    let Some(node) = common::node() else { return };
    let site = common::demo_site();
    let scenarios = site.path().join("content/scenarios");
    let copies = scenarios.join("copies");
    std::fs::create_dir_all(&copies).expect("dir");
    // Scenarios with no folder of their own (whose attachments would not follow a copy).
    let originals: Vec<_> = walkdir::WalkDir::new(&scenarios)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "index.md")
        .map(|e| e.path().to_path_buf())
        .collect();
    // Each round of copies a year older: dates differ, ties stay few.
    for (i, original) in originals.iter().enumerate() {
        let text = std::fs::read_to_string(original).expect("read");
        if text.contains("brouillon: true") {
            continue;
        }
        for k in 0..12 {
            let dated: Vec<String> = text
                .lines()
                .map(|line| match line.strip_prefix("date: ") {
                    Some(_) => format!("date: {}-06-15", 2000 + k),
                    None => line.to_string(),
                })
                .collect();
            let path = copies.join(format!("copie-{i}-{k}.md"));
            std::fs::write(path, dated.join("\n") + "\n").expect("write");
        }
    }
    common::build(site.path()).expect("larger site builds");
    let data = site.path().join("public/recherche/donnees");
    assert!(data.join("suites/0.js").is_file(), "no split term");
    let queries: Vec<(&'static str, Vec<(&'static str, &'static str)>)> = vec![
        ("élèves", vec![]),
        ("eleve", vec![]),
        ("numérique", vec![]),
        ("séance", vec![]),
        ("élèves numérique", vec![]),
        ("élèves tableur", vec![]),
        ("élèves", vec![("disciplines", "mathematiques")]),
        ("numérique", vec![("niveaux", "6e")]),
        ("élèves carte", vec![]),
        ("élèves xylophone", vec![]),
    ];
    let found = compare(node, site.path(), &queries);
    found.assert_no_difference();
    assert!(
        found.non_empty >= 8,
        "{} queries with results",
        found.non_empty
    );
}

#[test]
fn tie_tolerance_is_strict_enough() {
    let rust = vec![
        ("a".to_string(), 2.0),
        ("b".to_string(), 1.995),
        ("c".to_string(), 1.0),
    ];
    let swapped = ["b", "a", "c"].map(String::from);
    assert!(same_order_ties_excepted(&rust, &swapped));
    let wrong = ["a", "c", "b"].map(String::from);
    assert!(!same_order_ties_excepted(&rust, &wrong));
}
