//! `vitrine build` keeps the reading stage (parsed sources, rendered Markdown) on disk under
//! `.vitrine-cache/lecture/`: a rebuild parses and renders again only what changed, and its
//! output equals a clean build's, byte for byte. The counts of the summary say how much work
//! a build did (never its time).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{assert_same_tree, build, snapshot, sources_copy};
use vitrine::site::Summary;

const EDITED: &str = "content/scenarios/lycee-pro/gestion-stock-tableur-maison-champagne.md";
/// Linked to by no page: it can be renamed or deleted without breaking a link.
const UNLINKED: &str = "content/scenarios/histoire-geographie/tour-du-monde-magellan-umap.md";
const DELETED: &str = "content/scenarios/snt/photo-numerique-metadonnees-exif.md";
const CACHE: &str = ".vitrine-cache/lecture";

fn built(root: &Path) -> Summary {
    build(root).expect("the site builds")
}

fn append(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    let mut source = fs::read_to_string(&path).expect("read source");
    source.push_str(text);
    fs::write(&path, source).expect("write source");
}

/// The published folder of a fresh copy of `site` built with no cache: the reference.
fn clean_output(site: &Path) -> (tempfile::TempDir, Summary) {
    let copy = sources_copy(site);
    let summary = built(copy.path());
    assert_eq!(summary.rendered_bodies, summary.scenarios, "a clean build");
    (copy, summary)
}

/// `site`'s published folder equals a clean build of the same sources, file for file.
fn assert_same_as_clean(site: &Path) -> Summary {
    let (clean, summary) = clean_output(site);
    let files = assert_same_tree(&clean.path().join("public"), &site.join("public"));
    assert!(files > 50, "a real site ({files} files)");
    summary
}

fn page_of(site: &Path, slug: &str) -> String {
    let page = site.join("public/scenarios").join(slug).join("index.html");
    fs::read_to_string(page).expect("scenario page")
}

#[test]
fn each_edit_parses_and_renders_only_the_edited_scenario() {
    let site = common::demo_site();
    let first = built(site.path());
    assert_eq!(first.rendered_bodies, first.scenarios);
    assert!(
        first.parsed_sources > first.scenarios,
        "drafts are read too"
    );
    for round in 1..=3 {
        let sentence = format!("Une phrase ajoutée, modification numéro {round}.");
        append(site.path(), EDITED, &format!("\n{sentence}\n"));
        let again = built(site.path());
        assert!(!again.unchanged);
        assert_eq!((again.parsed_sources, again.rendered_bodies), (1, 1));
        assert!(page_of(site.path(), "gestion-stock-tableur-maison-champagne").contains(&sentence));
        assert_same_as_clean(site.path());
    }
}

#[test]
fn a_scenario_added_where_a_link_pointed_renders_the_linking_one_again() {
    let site = common::demo_site();
    built(site.path());
    let cache_before = snapshot(&site.path().join(CACHE));
    append(
        site.path(),
        EDITED,
        "\nVoir aussi [la suite](suite-ajoutee.md).\n",
    );
    let errors = build(site.path()).expect_err("a link to no page stops the build");
    assert!(
        errors
            .iter()
            .any(|d| d.message.contains("suite-ajoutee.md")),
        "{errors:?}"
    );
    assert!(
        snapshot(&site.path().join(CACHE)) == cache_before,
        "a failed build leaves the cache as it was"
    );

    let target = site
        .path()
        .join("content/scenarios/lycee-pro/suite-ajoutee.md");
    let copied = site
        .path()
        .join("content/scenarios/italien/guide-audio-bastia-2de.md");
    fs::copy(copied, target).expect("add a scenario");
    let added = built(site.path());
    // The edited source and the new one are read; every body is rendered again, since a new
    // page changes what links point to.
    assert_eq!(added.parsed_sources, 2);
    assert_eq!(added.rendered_bodies, added.scenarios);
    let linking = page_of(site.path(), "gestion-stock-tableur-maison-champagne");
    assert!(
        linking.contains("href=\"../../scenarios/suite-ajoutee/\""),
        "the link now leads to the new page"
    );
    assert_same_as_clean(site.path());
}

#[test]
fn renaming_and_deleting_scenarios_keep_the_output_of_a_clean_build() {
    let site = common::demo_site();
    let first = built(site.path());
    let renamed = UNLINKED.replace("tour-du-monde", "autour-du-monde");
    fs::rename(site.path().join(UNLINKED), site.path().join(&renamed)).expect("rename");
    fs::remove_file(site.path().join(DELETED)).expect("delete");
    let again = built(site.path());
    assert_eq!(again.scenarios, first.scenarios - 1);
    assert_eq!(again.parsed_sources, 1, "only the renamed source is read");
    assert_eq!(again.rendered_bodies, again.scenarios, "the links changed");
    assert!(site
        .path()
        .join("public/scenarios/autour-du-monde-magellan-umap/index.html")
        .is_file());
    assert_same_as_clean(site.path());

    // The cache keeps no entry of a source gone (it would only grow): back under its old
    // name, the source is read again.
    fs::rename(site.path().join(&renamed), site.path().join(UNLINKED)).expect("rename back");
    let back = built(site.path());
    assert_eq!(back.parsed_sources, 1, "the old entry was removed");
    assert_same_as_clean(site.path());
}

#[test]
fn a_configuration_change_parses_and_renders_everything_again() {
    let site = common::demo_site();
    let first = built(site.path());
    let config = site.path().join("vitrine.yaml");
    let text = fs::read_to_string(&config).expect("config");
    assert!(text.contains("licence: CC-BY-SA-4.0\n"));
    // The default licence is filled in when a scenario is validated.
    fs::write(
        &config,
        text.replace("licence: CC-BY-SA-4.0\n", "licence: CC-BY-4.0\n"),
    )
    .expect("config");
    let again = built(site.path());
    assert_eq!(
        (again.parsed_sources, again.rendered_bodies),
        (first.parsed_sources, first.rendered_bodies)
    );
    assert_same_as_clean(site.path());
}

/// What is done to every entry of the cache: truncated, scrambled, emptied.
type Damage = fn(&[u8]) -> Vec<u8>;

#[test]
fn a_damaged_cache_is_ignored() {
    let site = common::demo_site();
    let first = built(site.path());
    let entries: Vec<PathBuf> = fs::read_dir(site.path().join(CACHE))
        .expect("cache")
        .map(|e| e.expect("entry").path())
        .collect();
    assert!(!entries.is_empty());
    let damages: [Damage; 3] = [
        |bytes| bytes[..bytes.len() / 2].to_vec(),
        |bytes| bytes.iter().map(|b| b.wrapping_mul(31) ^ 0x5a).collect(),
        |_| Vec::new(),
    ];
    for (round, damage) in damages.iter().enumerate() {
        for entry in &entries {
            let bytes = fs::read(entry).unwrap_or_default();
            fs::write(entry, damage(&bytes)).expect("damage the cache");
        }
        fs::write(
            site.path().join(CACHE).join("etranger.bin"),
            b"\xff\xff\xff\xff",
        )
        .expect("a stray file");
        // An edit, so that the build is not skipped as « nothing changed ».
        append(site.path(), EDITED, &format!("\nModification {round}.\n"));
        let again = built(site.path());
        assert_eq!(
            (again.parsed_sources, again.rendered_bodies),
            (first.parsed_sources, first.rendered_bodies),
            "every damaged entry is read again from its source"
        );
        assert!(!site.path().join(CACHE).join("etranger.bin").exists());
        assert_same_as_clean(site.path());
    }
}

/// The texts of the bodies sit at the end of each cache file, after the entries, and are read
/// only when a page is rendered again: a text changed on disk since (here `<p>` turned into
/// `<q>`, still UTF-8) is found by its digest then, and the build is made again without the
/// cache instead of publishing it.
#[test]
fn a_stored_text_changed_on_disk_is_never_published() {
    let site = common::demo_site();
    let first = built(site.path());
    let damaged = damage_every_stored_html(site.path());
    assert!(damaged > 10, "{damaged} cache files");
    // A template change: every page is rendered again, reading every body's HTML.
    common::override_base_template(site.path());
    let again = built(site.path());
    assert_eq!(
        (again.parsed_sources, again.rendered_bodies),
        (first.parsed_sources, first.rendered_bodies),
        "built again without the cache"
    );
    let pages = fs::read_dir(site.path().join("public/scenarios"))
        .expect("scenario pages")
        .filter_map(|e| fs::read_to_string(e.ok()?.path().join("index.html")).ok());
    for page in pages {
        assert!(!page.contains("<q>"), "a damaged text was published");
    }
    assert_same_as_clean(site.path());
    // The cache made again is sound: an edit takes the other entries from it.
    append(site.path(), EDITED, "\nModification.\n");
    assert_eq!(built(site.path()).parsed_sources, 1);
}

/// `<p>` turned into `<q>` in every file of the reading cache (still UTF-8, another digest).
fn damage_every_stored_html(site: &Path) -> usize {
    let mut damaged = 0;
    for entry in fs::read_dir(site.join(CACHE)).expect("cache") {
        let path = entry.expect("entry").path();
        let mut bytes = fs::read(&path).expect("cache file");
        if let Some(at) = bytes.windows(3).position(|w| w == b"<p>") {
            bytes[at + 1] = b'q';
            fs::write(&path, bytes).expect("damage the cache");
            damaged += 1;
        }
    }
    damaged
}

/// A link into another scenario's heading makes the anchor check read that scenario's HTML
/// from the cache: read wrong, it has no heading, which is the cache's fault, not the
/// link's. The build is made again without the cache instead of reporting a missing anchor.
#[test]
fn an_anchor_into_a_text_read_wrong_is_not_reported() {
    let site = common::demo_site();
    built(site.path());
    let target = fs::read_to_string(site.path().join(UNLINKED)).expect("target source");
    let heading = target
        .lines()
        .find_map(|line| line.strip_prefix("## "))
        .expect("a heading");
    let id = vitrine::text::slugify(heading);
    append(
        site.path(),
        EDITED,
        &format!("\n[Le voyage](../histoire-geographie/tour-du-monde-magellan-umap.md#{id})\n"),
    );
    built(site.path());
    assert!(damage_every_stored_html(site.path()) > 10);
    append(site.path(), EDITED, "\nModification.\n");
    let again = build(site.path()).expect("no anchor reported missing");
    assert_eq!(
        again.rendered_bodies, again.scenarios,
        "built again without the cache"
    );
    assert_same_as_clean(site.path());
}

#[test]
fn warnings_are_reported_again_from_the_cache() {
    let site = common::fixture_site(&["liste-virgules", "brouillon-invalide"]);
    let first = built(site.path());
    let messages = |s: &Summary| {
        s.warnings
            .iter()
            .map(|d| format!("{}:{}:{} {}", d.file.display(), d.line, d.column, d.message))
            .collect::<Vec<_>>()
    };
    let warned = messages(&first);
    assert!(
        warned.iter().any(|m| m.contains("virgules")),
        "comma list: {warned:?}"
    );
    assert!(
        warned.iter().any(|m| m.contains("brouillon-inacheve.md")),
        "invalid draft: {warned:?}"
    );
    let again = built(site.path());
    assert!(!again.unchanged, "a build with warnings is done again");
    assert_eq!((again.parsed_sources, again.rendered_bodies), (0, 0));
    assert_eq!(messages(&again), warned);
}

#[test]
fn a_build_that_fails_after_reading_leaves_the_cache_as_it_was() {
    let site = common::demo_site();
    built(site.path());
    let cache_before = snapshot(&site.path().join(CACHE));
    append(site.path(), EDITED, "\nUne phrase ajoutée.\n");
    // The sources read and rendered fine; the theme stops the build afterwards.
    let template = site.path().join("themes/defaut/templates/page.html");
    let good = fs::read_to_string(&template).expect("template");
    fs::write(&template, format!("{good}\n{{% if %}}\n")).expect("break the template");
    build(site.path()).expect_err("a broken template stops the build");
    assert!(
        snapshot(&site.path().join(CACHE)) == cache_before,
        "nothing of the failed build is left in the cache"
    );

    fs::write(&template, good).expect("repair the template");
    let again = built(site.path());
    assert_eq!((again.parsed_sources, again.rendered_bodies), (1, 1));
    assert_same_as_clean(site.path());
}
