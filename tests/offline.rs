//! The offline copy (`vitrine build --hors-ligne`), opened from disk (`file://`, a USB key):
//! every internal link names a file, since a browser shows a folder as a listing; the web build
//! keeps clean addresses. A real Chromium walks the copy from `file://`
//! (tests/browser/hors-ligne.mjs).

mod common;

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;
use scraper::{Html, Selector};
use serde_json::json;
use vitrine::site::BuildOptions;

/// Builds the demo site into `<site>/public`, offline or not.
fn build_demo(offline: bool) -> (tempfile::TempDir, PathBuf) {
    let site = common::demo_site();
    let mut options = BuildOptions::new(site.path());
    options.offline = offline;
    common::build_with(options).expect("demo builds");
    let out = site.path().join("public");
    (site, out)
}

/// Every address written in the pages of `out`: (page, attribute value).
fn addresses(out: &Path) -> Vec<(PathBuf, String)> {
    let selector = Selector::parse("[href], [src], form[action]").expect("selector");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry.expect("walk");
        // The 404 page is answered by a web server at any depth: never opened from disk.
        let not_found = entry.path() == out.join("404.html");
        if not_found || entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("read page");
        for element in Html::parse_document(&html).select(&selector) {
            for attribute in ["href", "src", "action"] {
                if let Some(value) = element.value().attr(attribute) {
                    found.push((entry.path().to_path_buf(), value.to_string()));
                }
            }
        }
    }
    found
}

/// Whether `address` points inside the site (not another site, a mail or an anchor).
fn is_internal(address: &str) -> bool {
    !(address.is_empty() || address.starts_with('#') || address.contains(':'))
}

/// The path on disk an internal address of `page` leads to (query and fragment left out).
fn target(page: &Path, address: &str) -> PathBuf {
    let end = address.find(['?', '#']).unwrap_or(address.len());
    let path = percent_decode_str(&address[..end]).decode_utf8_lossy();
    page.parent().expect("page folder").join(&*path)
}

#[test]
fn offline_links_name_existing_files_and_web_links_name_folders() {
    let (_site, offline) = build_demo(true);
    let links = addresses(&offline);
    let internal: Vec<_> = links.iter().filter(|(_, a)| is_internal(a)).collect();
    assert!(internal.len() > 1000, "{} internal links", internal.len());
    let mut folders = 0;
    for (page, address) in &internal {
        let path = target(page, address);
        assert!(
            path.is_file(),
            "{} : « {address} » ne mène pas à un fichier ({})",
            page.display(),
            path.display()
        );
        folders += usize::from(
            address
                .split(['?', '#'])
                .next()
                .unwrap_or("")
                .ends_with("index.html"),
        );
    }
    assert!(folders > 500, "{folders} links to pages");
    // Search results: the manifest's address pattern leads to each scenario's file.
    let manifest =
        std::fs::read_to_string(offline.join("recherche/donnees/manifest.js")).expect("manifest");
    assert!(
        manifest.contains(r#""adresse":"scenarios/{slug}/index.html""#),
        "{}",
        &manifest[..200.min(manifest.len())]
    );

    let (_site, web) = build_demo(false);
    let links = addresses(&web);
    let named: Vec<_> = links
        .iter()
        .filter(|(_, a)| {
            is_internal(a)
                && a.split(['?', '#'])
                    .next()
                    .unwrap_or("")
                    .ends_with("index.html")
        })
        .collect();
    assert_eq!(
        named,
        Vec::<&(PathBuf, String)>::new(),
        "clean addresses on the web"
    );
    let folders = links
        .iter()
        .filter(|(_, a)| is_internal(a) && a.split(['?', '#']).next().unwrap_or("").ends_with('/'))
        .count();
    assert!(folders > 500, "{folders} clean links to pages");
    let manifest =
        std::fs::read_to_string(web.join("recherche/donnees/manifest.js")).expect("manifest");
    assert!(manifest.contains(r#""adresse":"scenarios/{slug}/""#));
}

/// Feeds, sitemap, catalogue, ScoLOMFR records and OAI hold absolute addresses: the offline
/// copy leaves them as the web build writes them.
#[test]
fn exports_are_the_same_offline() {
    let site = common::demo_site();
    let mut exports = Vec::new();
    for offline in [false, true] {
        let mut options = BuildOptions::new(site.path());
        options.base_url = Some("https://www.ac-exemple.fr/vitrine/".to_string());
        options.offline = offline;
        options.output = Some(site.path().join(format!("public-{offline}")));
        let out = options.output.clone().expect("output");
        common::build_with(options).expect("demo builds");
        let files: Vec<_> = common::snapshot(&out)
            .into_iter()
            .filter(|(path, _)| {
                let name = path.to_string_lossy();
                !name.ends_with(".html") && !name.ends_with("manifest.js")
            })
            .collect();
        exports.push(files);
    }
    let feeds = exports[0]
        .iter()
        .filter(|(p, _)| p.ends_with("flux.xml") || p.ends_with("sitemap.xml"))
        .count();
    assert!(feeds > 2, "{feeds} feeds and sitemaps");
    assert!(exports[0] == exports[1], "exports differ offline");
}

/// The configuration key does what the option does.
#[test]
fn the_configuration_key_makes_an_offline_copy() {
    let site = common::demo_site();
    let config = site.path().join("vitrine.yaml");
    let yaml = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("{yaml}\nhors_ligne: true\n")).expect("write config");
    common::build(site.path()).expect("demo builds");
    let home = std::fs::read_to_string(site.path().join("public/index.html")).expect("home");
    assert!(home.contains(r#"action="recherche/index.html""#), "{home}");
    assert!(home.contains(r#"href="./index.html""#), "{home}");
}

#[test]
fn a_person_walks_the_offline_copy_from_disk() {
    let browser_dir = common::repo_root().join("tests/browser");
    if !common::browser_tools_ready(&browser_dir) {
        return;
    }
    let (site, out) = build_demo(true);
    let prepared = vitrine::site::prepare(&BuildOptions::new(site.path()), &vitrine::site::Silent)
        .expect("prepare");
    let scenarios = &prepared.loaded.content.scenarios;
    // A scenario with a text file the browser shows itself, as in tests/browser_journeys.rs.
    let (with_file, file) = scenarios
        .iter()
        .find_map(|s| {
            s.meta
                .ressources
                .iter()
                .find(|r| r.fichier.as_deref().is_some_and(|f| f.ends_with(".txt")))
                .map(|r| (s, r))
        })
        .expect("a demo scenario with a .txt attachment");
    let discipline = &with_file.meta.disciplines[0];
    let base = url::Url::from_directory_path(&out).expect("file address");
    let data = json!({
        "base": base.as_str(),
        "site_titre": prepared.config.titre,
        "discipline": {
            "cle": discipline,
            "libelle": vitrine::content::facet::vocab_label(
                &prepared.vocabs,
                vitrine::content::Facet::Subjects,
                discipline,
            ),
            "scenario": with_file.slug,
            "titre": with_file.meta.titre,
            "fichier_titre": file.titre,
            "fichier": file.fichier,
        },
        "recherche": "tableur",
    });
    let summary = common::run_node_script("hors-ligne.mjs", &[data.to_string()]);
    assert_eq!(summary["problemes"], json!([]), "problèmes relevés");
    let widths: Vec<u64> = summary["largeurs"]
        .as_array()
        .expect("largeurs")
        .iter()
        .map(|w| w["pages"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(widths.len(), 2, "375 and 1280 px");
    assert!(
        widths.iter().all(|&pages| pages >= 9),
        "pages visited: {widths:?}"
    );
}
