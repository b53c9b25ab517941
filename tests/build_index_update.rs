//! After an edit, an addition, a deletion or a renaming, a build updates the search index (it
//! indexes again only the parts holding the scenarios that changed) and its output equals a
//! clean build's byte for byte, as do the answers of the index it leaves in the cache. A
//! damaged index falls back to a full rebuild.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{assert_same_site, build_into, sources_copy};
use vitrine::index::{Query, SearchIndex};

const INDEX: &str = ".vitrine-cache/index";
const PARTS: &str = ".vitrine-cache/index-parties";

/// Adds `text` at the end of the file at `path`.
fn append(path: &Path, text: &str) {
    let mut content = fs::read_to_string(path).expect("read");
    content.push_str(text);
    fs::write(path, content).expect("write");
}

/// A fresh copy of `site` built from scratch: the reference output and index.
fn clean_build_of(site: &Path) -> (tempfile::TempDir, PathBuf) {
    let copy = sources_copy(site);
    let output = copy.path().join("public");
    let summary = build_into(copy.path(), &output);
    assert!(!summary.index_updated, "a clean build");
    assert_eq!(summary.indexed_documents, summary.scenarios);
    (copy, output)
}

/// Queries of every kind: one word, several, a prefix, a typo, approximate results, browsing.
const QUERIES: &[&str] = &[
    "tableur",
    "photosynthèse",
    "programmation robot",
    "cart",
    "géograhpie",
    "archives numériques guerre inexistantmot",
    "",
];

/// The index a build left in the cache of `site` answers as the one of `reference`: the same
/// results (slugs, scores, excerpts), order of documents, related scenarios and exported terms.
fn assert_same_index(reference: &Path, site: &Path) {
    let expected = SearchIndex::open(&reference.join(INDEX)).expect("clean index opens");
    let actual = SearchIndex::open(&site.join(INDEX)).expect("updated index opens");
    assert_eq!(actual.doc_count(), expected.doc_count());
    assert_eq!(actual.doc_order(), expected.doc_order());
    assert_eq!(
        actual.related(4).expect("related"),
        expected.related(4).expect("related")
    );
    assert!(
        actual.export_terms().expect("terms") == expected.export_terms().expect("terms"),
        "the same terms, postings and BM25 contributions"
    );
    for text in QUERIES {
        let query = Query {
            text: text.to_string(),
            filters: Vec::new(),
            limit: 50,
        };
        assert_eq!(
            actual.search_all(&query).expect("search"),
            expected.search_all(&query).expect("search"),
            "query « {text} »"
        );
    }
}

/// Scenario sources of `site` in file name order, single files only (a bundle is a folder).
fn scenario_files(site: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(site.join("content/scenarios"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| e.file_name() != "index.md")
        .map(|e| e.into_path())
        .filter(|path| !fs::read_to_string(path).is_ok_and(|t| t.contains("brouillon: true")))
        .collect()
}

/// A published scenario no other source names (deleting or renaming it breaks no link).
fn unlinked_scenario(site: &Path, nth: usize) -> PathBuf {
    let texts: Vec<String> = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| fs::read_to_string(e.path()).expect("read"))
        .collect();
    let stem = |path: &Path| {
        path.file_stem()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string()
    };
    scenario_files(site)
        .into_iter()
        .filter(|path| {
            let name = stem(path);
            texts.iter().filter(|text| text.contains(&name)).count() == 0
        })
        .nth(nth)
        .expect("an unlinked scenario")
}

/// Builds `site` after `change`, checks that the index was updated (only some documents
/// indexed again) and that output and index equal a clean build's.
fn assert_update_equals_clean(site: &Path, what: &str, change: &dyn Fn(&Path)) {
    change(site);
    let output = site.join("public");
    let summary = build_into(site, &output);
    assert!(summary.index_updated, "{what}: the index was updated");
    assert!(
        // (None when the part of a deleted scenario held only it.)
        summary.indexed_documents < summary.scenarios / 2,
        "{what}: {} documents indexed again out of {}",
        summary.indexed_documents,
        summary.scenarios
    );
    let names: Vec<&str> = summary.stages.iter().map(|(name, _)| *name).collect();
    assert!(
        names.contains(&"  dont index tantivy (mis à jour)"),
        "{what}: {names:?}"
    );
    let (reference, clean) = clean_build_of(site);
    assert_same_site(&clean, &output);
    assert_same_index(reference.path(), site);
}

#[test]
fn edits_additions_deletions_and_renamings_update_the_index_as_a_clean_build() {
    let site = common::demo_site();
    let root = site.path();
    let first = build_into(root, &root.join("public"));
    assert!(!first.index_updated);
    assert_eq!(first.indexed_documents, first.scenarios);

    assert_update_equals_clean(root, "edit", &|root| {
        let source = &scenario_files(root)[3];
        append(
            source,
            "\nLa photosynthèse expliquée avec un tableur et un robot.\n",
        );
    });
    assert_update_equals_clean(root, "addition", &|root| {
        let source = &scenario_files(root)[0];
        let text = fs::read_to_string(source).expect("read");
        let added = source.with_file_name("zz-scenario-ajoute-pour-l-essai.md");
        let text = text.replacen("titre: \"", "titre: \"Copie ajoutée : ", 1);
        fs::write(added, format!("{text}\nUne photosynthèse de plus.\n")).expect("write");
    });
    assert_update_equals_clean(root, "deletion", &|root| {
        fs::remove_file(unlinked_scenario(root, 0)).expect("remove a scenario");
    });
    assert_update_equals_clean(root, "renaming", &|root| {
        let source = unlinked_scenario(root, 1);
        let renamed = source.with_file_name("aa-scenario-renomme.md");
        fs::rename(&source, renamed).expect("rename");
    });
}

/// The segment files of the parts index (one per component and segment).
fn segment_files(site: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(site.join(PARTS))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|path| path.extension().is_some_and(|x| x == "idx" || x == "store"))
        .collect()
}

#[test]
fn a_damaged_parts_index_falls_back_to_a_full_rebuild() {
    let site = common::demo_site();
    let root = site.path();
    let output = root.join("public");
    build_into(root, &output);
    let files = segment_files(root);
    assert!(files.len() > 2, "several parts: {files:?}");
    fs::remove_file(&files[files.len() / 2]).expect("remove a segment file");

    let source = &scenario_files(root)[2];
    append(source, "\nUn paragraphe ajouté.\n");
    let summary = build_into(root, &output);
    assert!(!summary.index_updated, "rebuilt, not updated");
    assert_eq!(summary.indexed_documents, summary.scenarios);
    let (reference, clean) = clean_build_of(root);
    assert_same_site(&clean, &output);
    assert_same_index(reference.path(), root);

    // The rebuilt parts serve the next edit again.
    append(source, "\nUn autre paragraphe.\n");
    let summary = build_into(root, &output);
    assert!(summary.index_updated, "updated after the rebuild");
}

#[test]
fn an_index_change_that_was_stopped_is_not_trusted() {
    let site = common::demo_site();
    let root = site.path();
    let output = root.join("public");
    build_into(root, &output);
    assert!(
        !root.join(".vitrine-cache/index-en-cours").exists(),
        "a finished build leaves no mark"
    );
    // A build stopped while it changed the index (its record still describes the previous
    // index): whatever the parts hold now, the next build makes them anew.
    fs::write(root.join(".vitrine-cache/index-en-cours"), "").expect("mark");
    let source = &scenario_files(root)[1];
    append(source, "\nUn paragraphe ajouté.\n");
    let summary = build_into(root, &output);
    assert!(!summary.index_updated, "rebuilt, not updated");
    assert_eq!(summary.indexed_documents, summary.scenarios);
    assert!(!root.join(".vitrine-cache/index-en-cours").exists());
    let (reference, clean) = clean_build_of(root);
    assert_same_site(&clean, &output);
    assert_same_index(reference.path(), root);
}
