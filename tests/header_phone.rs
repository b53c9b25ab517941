//! The search field in the header of every page, on a phone: its hint is read whole at 320 and
//! 375 px, the button stays on screen, the page does not scroll sideways (headless Chromium,
//! tests/browser/entete.mjs). Found on a 375 px screenshot: « Rechercher un scénar ».

mod common;

#[test]
fn the_header_search_hint_is_read_whole_on_a_phone() {
    let browser_dir = common::repo_root().join("tests/browser");
    if !common::browser_tools_ready(&browser_dir) {
        return;
    }
    let (_site, out) = common::built_demo("public");
    let page = out
        .join("scenarios")
        .read_dir()
        .expect("scenarios")
        .find_map(|e| {
            let path = e.ok()?.path().join("index.html");
            path.is_file().then_some(path)
        });
    let page = page.expect("a scenario page");
    let url = url::Url::from_file_path(&page).expect("file address");
    let summary = common::run_node_script("entete.mjs", &[url.as_str()]);
    assert_eq!(
        summary["largeurs"].as_array().map(Vec::len),
        Some(2),
        "{summary}"
    );
}
