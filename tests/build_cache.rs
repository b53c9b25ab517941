//! A rebuild reuses what did not change (the whole published folder, or the search index) and
//! gives exactly the output of a clean build; `build --jobs N` gives the same output for any N.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_same_site, build_into, first_scenario, snapshot, sources_copy};
use vitrine::site::Summary;

fn stage_names(summary: &Summary) -> Vec<&'static str> {
    summary.stages.iter().map(|(name, _)| *name).collect()
}

fn index_reused(summary: &Summary) -> bool {
    stage_names(summary).iter().any(|s| s.contains("repris"))
}

/// A fresh copy of `site` built from scratch: the reference output.
fn clean_build_of(site: &Path) -> (tempfile::TempDir, PathBuf) {
    let copy = sources_copy(site);
    let output = copy.path().join("public");
    let summary = build_into(copy.path(), &output);
    assert!(
        !summary.unchanged && !index_reused(&summary),
        "a clean build"
    );
    (copy, output)
}

#[test]
fn a_rebuild_with_nothing_changed_keeps_the_output() {
    let site = common::demo_site();
    let output = site.path().join("public");
    let first = build_into(site.path(), &output);
    assert!(!first.unchanged);
    let before = snapshot(&output);

    let second = build_into(site.path(), &output);
    assert!(
        second.unchanged,
        "nothing changed: {:?}",
        stage_names(&second)
    );
    assert_eq!(
        (second.html_pages, second.files),
        (first.html_pages, first.files)
    );
    assert!(snapshot(&output) == before);

    // A published file edited by hand: the folder is not the one the build left, so the next
    // build writes it again.
    let home = output.join("index.html");
    fs::write(&home, "<p>modifié à la main</p>").expect("edit");
    let third = build_into(site.path(), &output);
    assert!(!third.unchanged);
    assert!(index_reused(&third), "same documents: the index is reused");
    assert!(snapshot(&output) == before, "the edited file is restored");
}

#[test]
fn a_template_change_reuses_the_index_and_equals_a_clean_build() {
    let site = common::demo_site();
    let output = site.path().join("public");
    build_into(site.path(), &output);

    let config = site.path().join("vitrine.yaml");
    let text = fs::read_to_string(&config).expect("config");
    fs::write(
        &config,
        text.replacen("titre:", "titre: Nouveau titre —", 1),
    )
    .expect("write");
    common::override_base_template(site.path());

    let rebuilt = build_into(site.path(), &output);
    assert!(!rebuilt.unchanged);
    assert!(index_reused(&rebuilt), "{:?}", stage_names(&rebuilt));
    let home = fs::read_to_string(output.join("index.html")).expect("home");
    assert!(home.contains("Nouveau titre") && home.contains(common::ADDED_FOOTER));
    let (_reference, clean) = clean_build_of(site.path());
    assert_same_site(&clean, &output);
}

#[test]
fn a_content_change_rebuilds_the_index_and_equals_a_clean_build() {
    let site = common::demo_site();
    let output = site.path().join("public");
    build_into(site.path(), &output);

    let scenario = walkdir::WalkDir::new(site.path().join("content/scenarios"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .expect("a scenario")
        .into_path();
    let mut text = fs::read_to_string(&scenario).expect("read");
    text.push_str("\nUn paragraphe ajouté sur les hétérogénéités.\n");
    fs::write(&scenario, text).expect("write");

    let rebuilt = build_into(site.path(), &output);
    assert!(!rebuilt.unchanged && !index_reused(&rebuilt));
    let (_reference, clean) = clean_build_of(site.path());
    assert_same_site(&clean, &output);
}

/// Inode and modification time of a published file: the same pair means the very same file.
#[cfg(unix)]
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let metadata = fs::metadata(path).expect("published file");
    (metadata.ino(), metadata.modified().expect("mtime"))
}

#[cfg(unix)]
#[test]
fn a_rebuild_keeps_unchanged_files_and_rewrites_changed_ones() {
    let site = common::demo_site();
    let output = site.path().join("public");
    let first = build_into(site.path(), &output);
    assert_eq!(first.reused_files, 0, "nothing to reuse on a first build");
    let about = output.join("a-propos/index.html");
    let css = output.join("static/style.css");
    let (about_before, css_before) = (identity(&about), identity(&css));
    // A hand-edited published file must not be taken over, even if its content would be the
    // same (the comparison with a clean build below fails otherwise).
    fs::write(output.join("static/print.css"), "modifié à la main").expect("write");

    let config = site.path().join("vitrine.yaml");
    let mut text = fs::read_to_string(&config).expect("read");
    text = text.replacen("titre:", "titre: Nouveau titre #", 1);
    fs::write(&config, text).expect("write");
    let rebuilt = build_into(site.path(), &output);

    assert!(rebuilt.reused_files > 0, "unchanged files are taken over");
    assert!(
        rebuilt.reused_files < rebuilt.files,
        "pages showing the title are written again"
    );
    assert_eq!(
        identity(&css),
        css_before,
        "the style sheet is the same file"
    );
    assert_ne!(
        identity(&about),
        about_before,
        "the page shows the new title"
    );
    let (_reference, clean) = clean_build_of(site.path());
    assert_same_site(&clean, &output);
}

fn vitrine(args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(args)
        .status()
        .expect("run vitrine");
    assert!(status.success(), "vitrine {args:?}");
}

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

/// Builds `site` with 1 and 2 worker threads (fresh caches) and once more from the cache with
/// the published folder removed; all three outputs must be identical.
fn assert_jobs_and_cache_agree(site: &Path) {
    let one = site.join("sortie-1");
    let two = site.join("sortie-2");
    let cache = site.join(".vitrine-cache");
    let root = path_arg(site);
    vitrine(&[
        "build",
        "--root",
        root,
        "--quiet",
        "-j",
        "1",
        "--output",
        path_arg(&one),
    ]);
    fs::remove_dir_all(&cache).expect("clear the cache");
    vitrine(&[
        "build",
        "--root",
        root,
        "--quiet",
        "-j",
        "2",
        "--output",
        path_arg(&two),
    ]);
    assert_same_site(&one, &two);
    fs::remove_dir_all(&two).expect("remove the output");
    vitrine(&[
        "build",
        "--root",
        root,
        "--quiet",
        "--jobs",
        "2",
        "--output",
        path_arg(&two),
    ]);
    assert_same_site(&one, &two);
}

#[test]
fn jobs_and_cache_give_identical_output_on_the_demo_site() {
    let site = common::demo_site();
    assert_jobs_and_cache_agree(site.path());
}

/// The corpus generator of the benchmarks (`examples/generer_corpus.rs`), built by
/// `cargo build --example generer_corpus` (tests/run.sh does it before the tests).
fn generator() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?;
    let generator = profile_dir.join("examples/generer_corpus");
    if generator.is_file() {
        return Some(generator);
    }
    assert!(
        std::env::var_os("VITRINE_TESTS_COMPLETS").is_none(),
        "examples/generer_corpus n'est pas construit (cargo build --example generer_corpus)"
    );
    eprintln!(
        "IGNORÉ : examples/generer_corpus n'est pas construit (lancez cargo test --all-targets)"
    );
    None
}

#[test]
fn jobs_and_cache_give_identical_output_on_a_generated_corpus() {
    let Some(generator) = generator() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    let status = Command::new(generator)
        .args(["--n", "240", "--seed", "7", "--out", path_arg(&site)])
        .status()
        .expect("run the generator");
    assert!(status.success());
    assert_jobs_and_cache_agree(&site);
}

/// A published scenario (not a draft) no other source links to (deleting it breaks no link).
fn unlinked_scenario(site: &Path) -> PathBuf {
    let sources: Vec<(PathBuf, String)> = walkdir::WalkDir::new(site.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let text = fs::read_to_string(e.path()).expect("read");
            (e.into_path(), text)
        })
        .collect();
    let linked = |path: &Path| {
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        sources
            .iter()
            .any(|(other, text)| other != path && text.contains(name))
    };
    sources
        .iter()
        .map(|(path, _)| path)
        .find(|path| {
            path.starts_with(site.join("content/scenarios"))
                && !linked(path)
                && !fs::read_to_string(path).is_ok_and(|t| t.contains("brouillon: true"))
        })
        .expect("an unlinked scenario")
        .clone()
}

#[test]
fn an_added_then_a_deleted_scenario_equal_a_clean_build() {
    let site = common::demo_site();
    let output = site.path().join("public");
    let first = build_into(site.path(), &output);

    let source = first_scenario(site.path());
    let text = fs::read_to_string(&source).expect("read");
    let added = source.with_file_name("scenario-ajoute-pour-l-essai.md");
    fs::write(
        &added,
        text.replacen("titre: \"", "titre: \"Copie ajoutée : ", 1),
    )
    .expect("write");
    let with_added = build_into(site.path(), &output);
    assert_eq!(with_added.scenarios, first.scenarios + 1);
    assert!(output
        .join("scenarios/scenario-ajoute-pour-l-essai/index.html")
        .is_file());
    let (_reference, clean) = clean_build_of(site.path());
    assert_same_site(&clean, &output);

    fs::remove_file(&added).expect("remove the added scenario");
    let deleted = unlinked_scenario(site.path());
    fs::remove_file(&deleted).expect("remove a scenario");
    let with_deleted = build_into(site.path(), &output);
    assert_eq!(with_deleted.scenarios, first.scenarios - 1);
    let slug = deleted.file_stem().and_then(|s| s.to_str()).expect("slug");
    assert!(!output.join("scenarios").join(slug).exists());
    let (_reference, clean) = clean_build_of(site.path());
    assert_same_site(&clean, &output);
}

/// Every published file with its identity (inode, date) and bytes.
#[cfg(unix)]
fn identities(
    output: &Path,
) -> std::collections::BTreeMap<PathBuf, ((u64, std::time::SystemTime), Vec<u8>)> {
    snapshot(output)
        .into_iter()
        .map(|(path, bytes)| {
            let id = identity(&output.join(&path));
            (path, (id, bytes))
        })
        .collect()
}

/// Appends a sentence to `scenario`, rebuilds, and checks that exactly the files whose bytes
/// changed were written: the others are the very same files (same inode and date).
#[cfg(unix)]
fn assert_edit_rewrites_only_changed_files(site: &Path, scenario: &Path, sentence: &str) {
    let output = site.join("public");
    let before = identities(&output);
    let mut text = fs::read_to_string(scenario).expect("read");
    text.push_str(sentence);
    fs::write(scenario, text).expect("write");
    let rebuilt = build_into(site, &output);
    let after = identities(&output);

    let mut changed = 0;
    for (path, (id, bytes)) in &after {
        match before.get(path) {
            Some((old_id, old_bytes)) if old_bytes == bytes => {
                assert_eq!(
                    id,
                    old_id,
                    "{} is unchanged but was written again",
                    path.display()
                );
            }
            Some((old_id, _)) => {
                assert_ne!(id, old_id, "{} changed in place", path.display());
                changed += 1;
            }
            None => changed += 1,
        }
    }
    assert!(changed > 0, "the edited scenario's page changed");
    // The build's own count of files written is exactly the files whose bytes changed.
    assert_eq!(rebuilt.written_files, changed, "{rebuilt:?}");
    assert!(
        changed * 10 < after.len(),
        "an edit changes few files: {changed} of {}",
        after.len()
    );
}

#[cfg(unix)]
#[test]
fn an_edit_rewrites_only_the_files_whose_bytes_changed() {
    let site = common::demo_site();
    build_into(site.path(), &site.path().join("public"));
    // The second edit starts from the site the first one replaced (the reserve), where the
    // second scenario's page is the very file still published: it must not be written in place.
    let edits = [
        (
            first_scenario(site.path()),
            "\nUne phrase ajoutée sur la différenciation.\n",
        ),
        (
            unlinked_scenario(site.path()),
            "\nUne phrase sur l'évaluation par compétences.\n",
        ),
    ];
    assert_ne!(edits[0].0, edits[1].0);
    for (scenario, sentence) in &edits {
        assert_edit_rewrites_only_changed_files(site.path(), scenario, sentence);
    }
    let (_reference, clean) = clean_build_of(site.path());
    assert_same_site(&clean, &site.path().join("public"));
}
