//! The search page in a real headless Chromium (tests/browser/recherche-e2e.mjs): over HTTP
//! under a sub-path with `Content-Security-Policy: script-src 'self'`, and from `file://`.
//! Typing with and without accents, ticking a facet, counts, address, reload, back button,
//! sort, typo, prefix, the header search box, axe-core on the results, no console error.
//! On a phone (tests/browser/telephone.mjs, 375 px): results before the folded filters, no
//! value counted « (0) », the count and the active filter in view after ticking, and the home
//! page's search field in the first screen.

mod common;

use std::path::Path;
use std::process::Command;

use vitrine::site::BuildOptions;

fn run_journey(browser_dir: &Path, args: &[&str]) -> serde_json::Value {
    run_script(browser_dir, "recherche-e2e.mjs", args)
}

fn run_script(browser_dir: &Path, script: &str, args: &[&str]) -> serde_json::Value {
    let output = Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(browser_dir)
        .output()
        .expect("run node");
    assert!(
        output.status.success(),
        "parcours de recherche {script} {args:?} en échec :\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON summary")
}

#[test]
fn search_works_over_http_under_csp_and_from_disk() {
    let browser_dir = common::repo_root().join("tests/browser");
    if !common::browser_tools_ready(&browser_dir) {
        return;
    }
    let site = common::demo_site();
    let served = site.path().join("srv");
    let out = served.join("vitrine");
    let mut options = BuildOptions::new(site.path());
    options.output = Some(out.clone());
    options.base_url = Some("https://www.ac-exemple.fr/vitrine/".to_string());
    common::build_with(options).expect("demo builds");
    let scenarios = vitrine::site::prepare(&BuildOptions::new(site.path()), &vitrine::site::Silent)
        .expect("prepare")
        .loaded
        .content
        .scenarios
        .len();

    let server = common::StaticServer::start(&served);
    let http = run_journey(&browser_dir, &[&server.url("vitrine/"), "csp", "axe"]);
    assert_eq!(http["tous"].as_u64(), Some(scenarios as u64));

    let file_url = format!("file://{}/", out.display());
    let disk = run_journey(&browser_dir, &[&file_url]);
    assert_eq!(disk["tous"], http["tous"]);
    assert_eq!(disk["eleves_tableur"], http["eleves_tableur"]);
}

#[test]
fn search_and_home_put_what_matters_first_on_a_phone() {
    let browser_dir = common::repo_root().join("tests/browser");
    if !common::browser_tools_ready(&browser_dir) {
        return;
    }
    let (_site, out) = common::built_demo("www");
    let captures = common::repo_root().join("captures");
    std::fs::create_dir_all(&captures).expect("captures/");
    let server = common::StaticServer::start(&out);
    let output = Command::new("node")
        .arg("telephone.mjs")
        .arg(server.url(""))
        .arg("numérique")
        .arg(&captures)
        .current_dir(&browser_dir)
        .output()
        .expect("run node");
    assert!(
        output.status.success(),
        "parcours au téléphone en échec :\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON summary");
    assert!(
        summary["valeurs_cachees"].as_u64().unwrap_or(0) > 0,
        "{summary}"
    );
}

#[test]
fn approximate_results_are_a_separate_section_naming_the_missing_word() {
    let browser_dir = common::repo_root().join("tests/browser");
    if !common::browser_tools_ready(&browser_dir) {
        return;
    }
    let (site, _out) = common::built_demo("srv/vitrine");
    let served = site.path().join("srv");
    let server = common::StaticServer::start(&served);
    let summary = run_script(&browser_dir, "approchants.mjs", &[&server.url("vitrine/")]);
    assert!(
        summary["approchants"].as_u64().unwrap_or(0) > 0,
        "{summary}"
    );
    assert!(summary["tableur"].as_u64().unwrap_or(0) > 0, "{summary}");
}
