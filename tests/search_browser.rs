//! The search page in a real headless Chromium (tests/browser/recherche-e2e.mjs): over HTTP
//! under a sub-path with `Content-Security-Policy: script-src 'self'`, and from `file://`.
//! Typing with and without accents, ticking a facet, counts, address, reload, back button,
//! sort, typo, prefix, the header search box, axe-core on the results, no console error.
//! On a phone (tests/browser/telephone.mjs, 375 px): results before the folded filters, no
//! value counted « (0) », the count and the active filter in view after ticking, and the home
//! page's search field in the first screen.

mod common;

use vitrine::site::BuildOptions;

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
    let http = common::run_node_script(
        "recherche-e2e.mjs",
        &[&server.url("vitrine/"), "csp", "axe"],
    );
    assert_eq!(http["tous"].as_u64(), Some(scenarios as u64));

    let file_url = format!("file://{}/", out.display());
    let disk = common::run_node_script("recherche-e2e.mjs", &[&file_url]);
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
    let url = server.url("");
    let captures = captures.to_string_lossy();
    let summary = common::run_node_script("telephone.mjs", &[url.as_str(), "numérique", &captures]);
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
    let summary = common::run_node_script("approchants.mjs", &[&server.url("vitrine/")]);
    assert!(
        summary["approchants"].as_u64().unwrap_or(0) > 0,
        "{summary}"
    );
    assert!(summary["tableur"].as_u64().unwrap_or(0) > 0, "{summary}");
}

#[test]
fn a_result_whose_summary_lacks_the_word_shows_a_passage_holding_it() {
    let browser_dir = common::repo_root().join("tests/browser");
    if !common::browser_tools_ready(&browser_dir) {
        return;
    }
    // The fixture's « anémomètre » is in its body only, far from the start.
    let site = common::demo_site();
    common::copy_dir(
        &common::repo_root().join("tests/fixtures/extrait-passage"),
        site.path(),
    );
    let served = site.path().join("srv");
    let mut web = BuildOptions::new(site.path());
    web.output = Some(served.join("vitrine"));
    common::build_with(web).expect("site builds");
    let offline_out = site.path().join("hors-ligne");
    let mut offline = BuildOptions::new(site.path());
    offline.output = Some(offline_out.clone());
    offline.offline = true;
    common::build_with(offline).expect("offline copy builds");

    let slug = "station-meteo-college";
    let server = common::StaticServer::start(&served);
    let http = common::run_node_script(
        "extraits.mjs",
        &[&server.url("vitrine/"), "anémomètre", slug],
    );
    let passage = http["passage"].as_str().unwrap_or_default();
    assert!(passage.contains("anémomètre à coupelles"), "{http}");
    assert!(passage.starts_with('…'), "{http}");
    // The passage `vitrine search` shows, marks removed, is the same.
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .current_dir(site.path())
        .args(["search", "--json", "--", "anémomètre"])
        .output()
        .expect("vitrine search runs");
    let hits: serde_json::Value = serde_json::from_slice(&cli.stdout).expect("JSON");
    let cli_excerpt = hits[0]["extrait"].as_str().unwrap_or_default();
    let cli_passage = cli_excerpt.replace("<mark>", "").replace("</mark>", "");
    assert_eq!(
        passage.trim_matches(['…', ' ']),
        cli_passage,
        "{cli_excerpt}"
    );

    let file_url = format!("file://{}/", offline_out.display());
    let disk = common::run_node_script("extraits.mjs", &[&file_url, "anemometres", slug]);
    assert_eq!(disk["passage"], http["passage"], "{disk}");
}
