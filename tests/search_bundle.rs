//! The browser search bundle written by `vitrine build`: well-formed, consistent with the
//! index and the content, bounded in files.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde_json::Value;

/// The JSON argument of the single `vitrineRecherche.recevoir(name, json);` call of a file.
fn received(path: &Path, expected_name: &str) -> Value {
    let text = fs::read_to_string(path).expect("bundle file");
    let prefix = format!("vitrineRecherche.recevoir({expected_name:?}, ");
    let json = text
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{} is not one recevoir call", path.display()));
    serde_json::from_str(json).expect("valid JSON")
}

fn delta_decode(values: impl Iterator<Item = u64>) -> Vec<u64> {
    let mut current = 0;
    values
        .map(|delta| {
            current += delta;
            current
        })
        .collect()
}

struct Bundle {
    manifest: Value,
    terms: BTreeMap<String, Vec<(u64, u64)>>,
    records: Vec<Value>,
    facets: BTreeMap<String, BTreeMap<String, Vec<u64>>>,
    dictionaries: BTreeSet<String>,
    file_count: usize,
}

/// `[delta, contribution, …]`, or a split term's head (`{"tete": […]}`), as (ordinal,
/// contribution) pairs.
fn decode_postings(term: &str, postings: &Value) -> Vec<(u64, u64)> {
    let list = postings.get("tete").unwrap_or(postings);
    let flat: Vec<u64> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|n| n.as_u64().expect("integer"))
        .collect();
    assert_eq!(flat.len() % 2, 0, "{term}: pairs");
    let ordinals = delta_decode(flat.iter().step_by(2).copied());
    let contributions = flat.iter().skip(1).step_by(2).copied();
    ordinals.into_iter().zip(contributions).collect()
}

fn load(public: &Path) -> Bundle {
    let data = public.join("recherche/donnees");
    let manifest = received(&data.join("manifest.js"), "manifest");
    let mut terms = BTreeMap::new();
    let boundaries: Vec<&str> = manifest["termes"]
        .as_array()
        .expect("termes")
        .iter()
        .map(|v| v.as_str().expect("term"))
        .collect();
    for (i, first) in boundaries.iter().enumerate() {
        let object = received(&data.join(format!("termes/{i}.js")), &format!("termes/{i}"));
        for (term, postings) in object.as_object().expect("object") {
            assert!(term.as_str() >= *first, "{term} before its file's range");
            if let Some(next) = boundaries.get(i + 1) {
                assert!(term.as_str() < *next, "{term} beyond its file's range");
            }
            let mut pairs = decode_postings(term, postings);
            // A split term: its best documents here, the others in its rest file.
            if let Some(rest_file) = postings.get("suite").and_then(Value::as_u64) {
                let name = format!("suites/{rest_file}");
                let rests = received(&data.join(format!("{name}.js")), &name);
                pairs.extend(decode_postings(term, &rests[term.as_str()]));
                pairs.sort_unstable();
                assert_eq!(Some(pairs.len() as u64), postings["n"].as_u64(), "{term}");
            }
            terms.insert(term.clone(), pairs);
        }
    }
    let per_file = manifest["fiches_par_fichier"].as_u64().expect("count") as usize;
    let documents = manifest["documents"].as_u64().expect("documents") as usize;
    let mut records = Vec::new();
    for j in 0..documents.div_ceil(per_file) {
        let chunk = received(&data.join(format!("fiches/{j}.js")), &format!("fiches/{j}"));
        records.extend(chunk.as_array().expect("array").iter().cloned());
    }
    let mut facets = BTreeMap::new();
    for facet in manifest["facettes"].as_array().expect("facettes") {
        let key = facet["cle"].as_str().expect("cle");
        let name = format!("facettes/{key}");
        let sets = received(&data.join(format!("{name}.js")), &name);
        let decoded = sets
            .as_object()
            .expect("object")
            .iter()
            .map(|(value, deltas)| {
                let deltas = deltas.as_array().expect("array").iter();
                let ordinals = delta_decode(deltas.map(|n| n.as_u64().expect("integer")));
                (value.clone(), ordinals)
            })
            .collect();
        facets.insert(key.to_string(), decoded);
    }
    let mut dictionaries = BTreeSet::new();
    for initial in manifest["dictionnaires"].as_array().expect("dictionnaires") {
        let name = format!("dictionnaires/{}", initial.as_str().expect("initial"));
        let words = received(&data.join(format!("{name}.js")), &name);
        for word in words.as_array().expect("array") {
            dictionaries.insert(word.as_str().expect("word").to_string());
        }
    }
    let file_count = walkdir::WalkDir::new(&data)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    Bundle {
        manifest,
        terms,
        records,
        facets,
        dictionaries,
        file_count,
    }
}

#[test]
fn the_demo_bundle_is_consistent_with_the_site_and_the_search_command() {
    let site = common::demo_site();
    common::build(site.path()).expect("demo builds");
    let bundle = load(&site.path().join("public"));
    let documents = bundle.manifest["documents"].as_u64().expect("n") as usize;

    // The fingerprint the page adds to every data file's address (`?v=`) names this bundle:
    // the blake3 of the other files, in the order they are made.
    let fingerprint = bundle.manifest["empreinte"].as_str().expect("empreinte");
    assert!(
        fingerprint.len() == 16 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()),
        "{fingerprint}"
    );

    // Every published scenario has one record, newest first.
    assert_eq!(bundle.records.len(), documents);
    assert!(documents >= 20);
    let dates: Vec<&str> = bundle
        .records
        .iter()
        .map(|r| r["date"].as_str().expect("date"))
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let address = bundle.manifest["adresse"].as_str().expect("adresse");
    let academies = bundle.manifest["facettes"]
        .as_array()
        .expect("facettes")
        .iter()
        .find(|f| f["cle"] == "academies")
        .expect("academies")["valeurs"]
        .as_array()
        .expect("valeurs")
        .len() as u64;
    for record in &bundle.records {
        let url = address.replace("{slug}", record["slug"].as_str().expect("slug"));
        let page = site.path().join("public").join(url).join("index.html");
        assert!(page.is_file());
        assert!(!record["titre"].as_str().expect("titre").is_empty());
        let positions = record["academies"].as_array().expect("academies");
        assert_eq!(positions.len(), 1);
        assert!(positions[0].as_u64().expect("position") < academies);
    }

    // Texts: one per scenario, by ordinal, its body's plain text.
    let data = site.path().join("public/recherche/donnees");
    for (ordinal, record) in bundle.records.iter().enumerate() {
        let name = format!("textes/{ordinal}");
        let text = received(&data.join(format!("{name}.js")), &name);
        let text = text.as_str().expect("a string");
        assert!(text.len() > 200, "{}: {text}", record["slug"]);
    }
    assert!(!data.join(format!("textes/{documents}.js")).exists());

    // Terms: every ordinal valid, strictly increasing; dictionaries list exactly the terms.
    assert!(bundle.terms.len() > 500);
    for (term, postings) in &bundle.terms {
        assert!(postings.windows(2).all(|w| w[0].0 < w[1].0), "{term}");
        assert!(postings
            .iter()
            .all(|(o, c)| (*o as usize) < documents && *c >= 1));
    }
    let term_names: BTreeSet<String> = bundle.terms.keys().cloned().collect();
    assert_eq!(term_names, bundle.dictionaries);

    // Facets: counts of the manifest are the sizes of the sets.
    for facet in bundle.manifest["facettes"].as_array().expect("facettes") {
        let key = facet["cle"].as_str().expect("cle");
        for value in facet["valeurs"].as_array().expect("valeurs") {
            let value_key = value[0].as_str().expect("key");
            let count = value[2].as_u64().expect("count") as usize;
            assert_eq!(
                bundle.facets[key][value_key].len(),
                count,
                "{key}/{value_key}"
            );
        }
    }

    // A one-word search ranks by the exported contributions.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["search", "--json", "--limit", "50", "tableur"])
        .current_dir(site.path())
        .output()
        .expect("vitrine search");
    let hits: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let hits = hits.as_array().expect("hits");
    assert!(hits.len() >= 3);
    let postings = &bundle.terms["tableur"];
    assert_eq!(postings.len(), hits.len());
    for hit in hits {
        let slug = hit["slug"].as_str().expect("slug");
        let ordinal = bundle
            .records
            .iter()
            .position(|r| r["slug"] == slug)
            .expect("record") as u64;
        let (_, thousandths) = postings
            .iter()
            .find(|(o, _)| *o == ordinal)
            .expect("posting");
        let score = hit["score"].as_f64().expect("score");
        assert!(
            (score * 1000.0 - *thousandths as f64).abs() <= 1.0,
            "{slug}"
        );
    }

    assert!(bundle.file_count <= vitrine::search_bundle::max_files(documents));
}

#[test]
fn the_number_of_files_stays_bounded_as_the_corpus_grows() {
    let site = common::demo_site();
    let scenarios = site.path().join("content/scenarios");
    // Multiply the demo corpus by copying each scenario under new slugs.
    let originals: Vec<_> = walkdir::WalkDir::new(&scenarios)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| e.file_name() != "index.md")
        .map(|e| e.path().to_path_buf())
        .collect();
    let copies = site.path().join("content/scenarios/copies");
    fs::create_dir_all(&copies).expect("dir");
    for (i, original) in originals.iter().enumerate() {
        let text = fs::read_to_string(original).expect("read");
        if text.contains("brouillon: true") {
            continue;
        }
        for k in 0..8 {
            fs::write(copies.join(format!("copie-{i}-{k}.md")), &text).expect("write");
        }
    }
    common::build(site.path()).expect("larger site builds");
    let bundle = load(&site.path().join("public"));
    let documents = bundle.manifest["documents"].as_u64().expect("n") as usize;
    assert!(documents > 150, "{documents}");
    assert!(
        bundle.file_count <= vitrine::search_bundle::max_files(documents),
        "{} files for {documents} documents",
        bundle.file_count
    );
}
