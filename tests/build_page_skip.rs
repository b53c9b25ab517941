//! A rebuild renders only the pages whose template or context changed, keeps the others as
//! the previous build made them, and gives exactly the output of a clean build.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{assert_same_tree, build_into, build_with, first_scenario, snapshot, sources_copy};
use vitrine::site::{BuildOptions, Summary};

const RECORD: &str = ".vitrine-cache/pages.json";

fn build_compressed(root: &Path, output: &Path, compress: bool) -> Summary {
    let mut options = BuildOptions::new(root);
    options.output = Some(output.to_path_buf());
    options.compress = compress;
    build_with(options).expect("the site builds")
}

/// The demo site built once: every page rendered.
fn built_site() -> (tempfile::TempDir, PathBuf, Summary) {
    let site = common::demo_site();
    let output = site.path().join("public");
    let first = build_into(site.path(), &output);
    assert!(first.html_pages > 100, "a real site: {first:?}");
    assert_eq!(
        first.rendered_pages, first.html_pages,
        "a first build renders all"
    );
    (site, output, first)
}

fn edit(path: &Path, change: impl FnOnce(String) -> String) {
    let text = fs::read_to_string(path).expect("read");
    let changed = change(text.clone());
    assert_ne!(changed, text, "the edit changes {}", path.display());
    fs::write(path, changed).expect("write");
}

/// The output of a clean build of a copy of `site` (no record, no previous output).
fn assert_equals_clean_build(site: &Path, output: &Path) {
    assert_equals_clean_build_compressed(site, output, false)
}

fn assert_equals_clean_build_compressed(site: &Path, output: &Path, compress: bool) {
    let copy = sources_copy(site);
    let clean = copy.path().join("public");
    let summary = build_compressed(copy.path(), &clean, compress);
    assert_eq!(summary.rendered_pages, summary.html_pages, "a clean build");
    assert_same_tree(&clean, output);
}

/// HTML pages whose bytes differ between two snapshots (or that are new).
fn changed_pages(before: &[(PathBuf, Vec<u8>)], after: &[(PathBuf, Vec<u8>)]) -> Vec<String> {
    let before: BTreeMap<&PathBuf, &Vec<u8>> = before.iter().map(|(p, b)| (p, b)).collect();
    after
        .iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
        .filter(|(path, bytes)| before.get(path) != Some(&bytes))
        .map(|(path, _)| path.to_string_lossy().replace('\\', "/"))
        .collect()
}

fn scenario_page(output: &Path, scenario: &Path) -> String {
    let slug = scenario.file_stem().expect("stem").to_string_lossy();
    let page = output.join("scenarios").join(&*slug).join("index.html");
    fs::read_to_string(page).expect("the scenario's page")
}

#[test]
fn an_edited_body_renders_only_the_pages_that_show_it() {
    let (site, output, first) = built_site();
    let before = snapshot(&output);
    let scenario = first_scenario(site.path());
    edit(&scenario, |text| {
        text + "\nUn paragraphe ajouté pour la reconstruction.\n"
    });

    let rebuilt = build_into(site.path(), &output);
    assert_eq!(rebuilt.html_pages, first.html_pages);
    assert!(scenario_page(&output, &scenario).contains("Un paragraphe ajouté"));
    let changed = changed_pages(&before, &snapshot(&output));
    assert!(!changed.is_empty());
    // A page whose bytes changed was rendered; the others need not be.
    assert!(
        rebuilt.rendered_pages >= changed.len(),
        "{} rendered, changed: {changed:?}",
        rebuilt.rendered_pages
    );
    assert!(
        rebuilt.rendered_pages * 20 < rebuilt.html_pages,
        "an edit renders few pages: {} of {}",
        rebuilt.rendered_pages,
        rebuilt.html_pages
    );
    // The related scenarios of the others that the edit cannot change are not computed again.
    assert!(
        rebuilt.related_computed > 0 && rebuilt.related_computed < rebuilt.scenarios,
        "{} of {} computed",
        rebuilt.related_computed,
        rebuilt.scenarios
    );
    // No listing shows a body: every page but scenario pages is kept without making its
    // context, and so is every scenario page whose body and related scenarios are the same.
    let scenario_pages = first.scenarios - first.harvested;
    assert!(
        rebuilt.pages_kept_by_inputs + scenario_pages >= rebuilt.html_pages,
        "{} kept by their inputs, {scenario_pages} scenario pages of {}",
        rebuilt.pages_kept_by_inputs,
        rebuilt.html_pages
    );
    assert!(
        rebuilt.pages_kept_by_inputs < rebuilt.html_pages,
        "the edited page is made again"
    );
    // No export shows a body either.
    assert!(rebuilt.exports_kept > 0, "{}", rebuilt.exports_kept);
    assert_equals_clean_build(site.path(), &output);
}

#[test]
fn an_export_changed_by_hand_is_made_again() {
    let (site, output, _) = built_site();
    let catalogue = output.join("catalogue.json");
    edit(&catalogue, |text| text.replacen('{', "{\"ajout\": 1, ", 1));
    edit(&first_scenario(site.path()), |text| {
        text + "\nUne phrase de plus.\n"
    });

    let rebuilt = build_into(site.path(), &output);
    assert_eq!(
        rebuilt.exports_kept, 0,
        "one file could not be kept: all are made"
    );
    assert!(!fs::read_to_string(&catalogue)
        .expect("catalogue")
        .contains("ajout"));
    assert_equals_clean_build(site.path(), &output);
}

#[test]
fn a_new_title_updates_the_cards_and_related_mentions() {
    let (site, output, _) = built_site();
    let before = snapshot(&output);
    let scenario = first_scenario(site.path());
    edit(&scenario, |text| {
        text.replacen("titre: \"", "titre: \"Titre changé : ", 1)
    });

    let rebuilt = build_into(site.path(), &output);
    assert_eq!(
        rebuilt.pages_kept_by_inputs, 0,
        "any page may show a title: every context is made again"
    );
    assert_eq!(rebuilt.exports_kept, 0, "the exports show titles");
    let changed = changed_pages(&before, &snapshot(&output));
    // Its page, the listings and facet pages that show its card, the pages that name it
    // among related scenarios.
    assert!(changed.len() > 3, "{changed:?}");
    assert!(rebuilt.rendered_pages >= changed.len());
    assert!(
        rebuilt.rendered_pages < rebuilt.html_pages,
        "{} of {}",
        rebuilt.rendered_pages,
        rebuilt.html_pages
    );
    let shown = changed
        .iter()
        .filter(|page| {
            let text = fs::read_to_string(output.join(page)).unwrap_or_default();
            text.contains("Titre changé : ")
        })
        .count();
    assert!(
        shown > 3,
        "the new title shows on the changed pages: {changed:?}"
    );
    assert_equals_clean_build(site.path(), &output);
}

#[test]
fn a_template_change_renders_every_page() {
    let (site, output, first) = built_site();
    common::override_base_template(site.path());

    let rebuilt = build_into(site.path(), &output);
    assert_eq!(rebuilt.rendered_pages, first.html_pages);
    let home = fs::read_to_string(output.join("index.html")).expect("home");
    assert!(home.contains(common::ADDED_FOOTER));
    assert_equals_clean_build(site.path(), &output);
}

#[test]
fn a_configuration_change_renders_every_page() {
    let (site, output, first) = built_site();
    // Not even a value: the configuration file as written is part of every page's key.
    edit(&site.path().join("vitrine.yaml"), |text| {
        text + "# une ligne de commentaire\n"
    });
    let rebuilt = build_into(site.path(), &output);
    assert!(!rebuilt.unchanged);
    assert_eq!(rebuilt.rendered_pages, first.html_pages);
    assert_equals_clean_build(site.path(), &output);
}

#[test]
fn without_its_record_a_rebuild_renders_every_page() {
    let (site, output, first) = built_site();
    assert!(site.path().join(RECORD).is_file());
    fs::remove_file(site.path().join(RECORD)).expect("remove the record");
    let scenario = first_scenario(site.path());
    edit(&scenario, |text| text + "\nUne phrase de plus.\n");
    let rebuilt = build_into(site.path(), &output);
    assert_eq!(rebuilt.rendered_pages, first.html_pages);
    assert_equals_clean_build(site.path(), &output);

    // An unreadable record is no record.
    fs::write(site.path().join(RECORD), "{ pas du json").expect("spoil the record");
    edit(&scenario, |text| text + "\nEncore une phrase.\n");
    let again = build_into(site.path(), &output);
    assert_eq!(again.rendered_pages, first.html_pages);
    assert_equals_clean_build(site.path(), &output);
}

/// A record older than the published site (its save failed, or was put back by hand) names
/// keys of pages the published files no longer hold: no page is kept on its word alone.
#[test]
fn a_stale_record_never_keeps_a_page_it_did_not_make() {
    let (site, output, _) = built_site();
    let scenario = first_scenario(site.path());
    let original = fs::read_to_string(&scenario).expect("read");
    let old_record = fs::read(site.path().join(RECORD)).expect("record");
    edit(&scenario, |text| text + "\nUne version intermédiaire.\n");
    build_into(site.path(), &output);
    assert!(scenario_page(&output, &scenario).contains("Une version intermédiaire"));

    // Back to the first text, with the record of the first build: its key for the page is
    // the right one, but the published page is the intermediate one.
    fs::write(&scenario, original).expect("restore");
    fs::write(site.path().join(RECORD), old_record).expect("old record");
    let rebuilt = build_into(site.path(), &output);
    assert!(rebuilt.rendered_pages >= 1);
    assert!(!scenario_page(&output, &scenario).contains("Une version intermédiaire"));
    assert_equals_clean_build(site.path(), &output);
}

/// A kept page keeps its compressed copy too, as writing the same bytes would.
#[test]
fn a_compressed_site_keeps_the_gz_copies_of_its_kept_pages() {
    let site = common::demo_site();
    let output = site.path().join("public");
    let first = build_compressed(site.path(), &output, true);
    let scenario = first_scenario(site.path());
    for sentence in ["Une phrase compressée.", "Une autre phrase."] {
        edit(&scenario, |text| format!("{text}\n{sentence}\n"));
        let rebuilt = build_compressed(site.path(), &output, true);
        assert!(
            rebuilt.rendered_pages * 20 < first.html_pages,
            "{} rendered",
            rebuilt.rendered_pages
        );
        assert!(rebuilt.written_files * 10 < rebuilt.files, "{rebuilt:?}");
        assert!(output.join("index.html.gz").is_file());
        assert_equals_clean_build_compressed(site.path(), &output, true);
    }
}
