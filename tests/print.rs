//! A teacher prints a scenario: the print style sheet keeps the scenario and drops what is
//! useless on paper (menus, search, the Moodle download link), and prints the address of an
//! external link once. Every demo scenario page, from an offline build, in headless Chromium
//! with the print media emulated (tests/browser/impression.mjs).

mod common;

use serde_json::json;

#[test]
fn every_scenario_prints_without_what_paper_cannot_use() {
    let browser_dir = common::repo_root().join("tests/browser");
    if !common::browser_tools_ready(&browser_dir) {
        return;
    }
    let site = common::demo_site();
    let mut options = vitrine::site::BuildOptions::new(site.path());
    options.offline = true;
    common::build_with(options).expect("demo builds");
    let out = site.path().join("public");
    let mut pages: Vec<String> = std::fs::read_dir(out.join("scenarios"))
        .expect("scenarios folder")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| format!("scenarios/{}/index.html", e.file_name().to_string_lossy()))
        .collect();
    pages.sort();
    assert!(pages.len() >= 20, "{} scenario pages", pages.len());
    let capture = site.path().join("impression.png");
    let base = url::Url::from_directory_path(&out).expect("file address");
    let data = json!({ "base": base.as_str(), "pages": pages, "capture": capture });
    let summary = common::run_node_script("impression.mjs", &[data.to_string()]);
    assert_eq!(summary["pages"], pages.len(), "{summary}");
    // The checks ran on something: external addresses printed, elements hidden.
    assert!(
        summary["adresses_imprimees"].as_u64() > Some(20),
        "{summary}"
    );
    assert!(
        summary["caches"].as_u64() >= Some(pages.len() as u64 * 3),
        "{summary}"
    );
    assert!(capture.is_file(), "capture d'impression absente");
    eprintln!("capture d'impression : {}", capture.display());
}
