//! RGAA basics checked in a real browser: axe-core (WCAG 2.1 A and AA rules: contrast, labels,
//! landmarks, names…) on one page of every kind of the demo site (the search page also with
//! results; the dashboard, and an académie page with its dashboard section), `lang="fr"`, a title of its own for every page, no skipped heading level, a label
//! on every field, and no horizontal scrolling at 320 px wide nor at 200 % zoom. Needs Node.js, Chromium and `npm ci` in tests/browser
//! (installed by tests/run.sh); skipped with a visible message otherwise.

mod common;

use std::process::Command;

use vitrine::site::BuildOptions;

#[test]
fn every_kind_of_page_passes_axe_and_reflows() {
    let browser_dir = common::repo_root().join("tests/browser");
    if !common::browser_tools_ready(&browser_dir) {
        return;
    }
    let (site, out) = common::built_demo("www");
    let server = common::StaticServer::start(&out);

    let prepared = vitrine::site::prepare(&BuildOptions::new(site.path()), &vitrine::site::Silent)
        .expect("prepare");
    let bundle = prepared
        .loaded
        .content
        .scenarios
        .iter()
        .find(|s| s.bundle_dir.is_some())
        .expect("a bundle scenario in the demo");
    let paths = [
        String::new(),
        vitrine::publish::urls::scenario(&bundle.slug),
        vitrine::publish::urls::scenarios_listing(1),
        vitrine::publish::urls::scenarios_listing(2),
        vitrine::publish::urls::facet_index(vitrine::content::Facet::Subjects),
        vitrine::publish::urls::facet_value(
            vitrine::content::Facet::Academies,
            &bundle.meta.academie,
            1,
        ),
        vitrine::publish::urls::facet_value(vitrine::content::Facet::Tools, "tableur", 1),
        vitrine::publish::urls::search(),
        vitrine::publish::urls::dashboard(),
        format!("{}?q=tableur", vitrine::publish::urls::search()),
        vitrine::publish::urls::page("accessibilite"),
        "404.html".to_string(),
    ];
    let problems = audit(&browser_dir, &server, &paths);
    assert!(
        problems.is_empty(),
        "accessibility problems:\n{}",
        problems.join("\n")
    );
}

/// Runs tests/browser/audit.mjs on `paths` of `server` and returns every problem found.
fn audit(
    browser_dir: &std::path::Path,
    server: &common::StaticServer,
    paths: &[String],
) -> Vec<String> {
    let urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();
    let output = Command::new("node")
        .arg("audit.mjs")
        .args(&urls)
        .current_dir(browser_dir)
        .output()
        .expect("run node");
    assert!(
        output.status.success(),
        "audit failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let pages = report.as_array().expect("array");
    assert_eq!(pages.len(), urls.len());
    let mut problems = Vec::new();
    let mut titles: std::collections::BTreeMap<&str, &str> = Default::default();
    for page in pages {
        let url = page["url"].as_str().unwrap_or("?");
        let path = url.split('?').next().unwrap_or(url);
        let title = page["title"].as_str().unwrap_or("");
        match titles.insert(title, path) {
            Some(other) if other != path => {
                problems.push(format!("{url}: même titre « {title} » que {other}"))
            }
            _ => {}
        }
        for v in page["known"].as_array().into_iter().flatten() {
            eprintln!(
                "ANOMALIE CONNUE (non bloquante) : {url}: {} ({}) {}",
                v["id"], v["help"], v["targets"]
            );
        }
        for p in page["structure"].as_array().into_iter().flatten() {
            problems.push(format!("{url}: {}", p.as_str().unwrap_or("?")));
        }
        for v in page["violations"].as_array().into_iter().flatten() {
            problems.push(format!(
                "{url}: {} ({}) {}",
                v["id"], v["help"], v["targets"]
            ));
        }
        for width in ["320", "640"] {
            let overflow = page["overflow"][width].as_i64().unwrap_or(i64::MAX);
            if overflow > 0 {
                problems.push(format!(
                    "{url}: défilement horizontal de {overflow} px à {width} px"
                ));
            }
        }
    }
    problems
}

/// The audit can fail: the demo site with the label of the search field removed (a theme
/// override, as a webmaster could write) must be reported.
#[test]
fn a_search_field_without_label_fails_the_audit() {
    let browser_dir = common::repo_root().join("tests/browser");
    if !common::browser_tools_ready(&browser_dir) {
        return;
    }
    let site = common::demo_site();
    let partial = common::repo_root().join("themes/defaut/templates/partials/recherche.html");
    let original = std::fs::read_to_string(partial).expect("search partial");
    let broken = original.replace(
        "<label for=\"q\">Rechercher un scénario</label>",
        "<span>Rechercher un scénario</span>",
    );
    assert_ne!(original, broken, "the label is in the partial");
    let templates = site.path().join("templates/partials");
    std::fs::create_dir_all(&templates).expect("mkdir");
    std::fs::write(templates.join("recherche.html"), broken).expect("override");
    let out = site.path().join("www");
    let mut options = BuildOptions::new(site.path());
    options.output = Some(out.clone());
    common::build_with(options).expect("the site still builds");
    let server = common::StaticServer::start(&out);

    let problems = audit(&browser_dir, &server, &[vitrine::publish::urls::search()]);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("champ sans étiquette") && p.contains("id=\"q\"")),
        "the missing label is reported: {problems:?}"
    );
}
