//! A hostile local scenario: 100,000 keywords, 1,000 tools and 10,000 identical headings
//! build, with every result right (the build time is measured by bench/scenario_hostile.sh,
//! never asserted here), and a title made to break out of the JSON-LD script element stays
//! inside it.

mod common;
/// The benchmark's scenario generator, the same text for the test and the measure.
#[allow(dead_code)]
#[path = "../examples/scenario_hostile.rs"]
mod example;

use std::collections::HashSet;

use common::fixture_site;
use serde_json::Value;

const TITLE: &str = "a </script><!--<script> & b";

/// The text of the page's `<script type="application/ld+json">` element.
fn json_ld(html: &str) -> &str {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).expect("JSON-LD script") + open.len();
    let end = html[start..].find("</script>").expect("script end") + start;
    &html[start..end]
}

#[test]
fn a_hostile_scenario_builds_with_every_value_right() {
    let site = fixture_site(&[]);
    let file = site.path().join("content/scenarios/hostile.md");
    std::fs::write(
        &file,
        example::hostile_scenario(TITLE, 100_000, 1_000, 10_000),
    )
    .expect("write scenario");
    let summary = common::build(site.path()).expect("hostile scenario builds");
    assert_eq!(summary.scenarios, 2);

    let html = std::fs::read_to_string(site.path().join("public/scenarios/hostile/index.html"))
        .expect("scenario page");
    let ld = json_ld(&html);
    assert!(!ld.contains(['<', '>', '&']), "markup in the JSON-LD");
    let ld: Value = serde_json::from_str(ld).expect("JSON-LD parses");
    assert_eq!(ld["name"], TITLE);
    let keywords = ld["keywords"].as_array().expect("keywords");
    assert_eq!(keywords.len(), 90_000);
    assert_eq!(keywords[9], "mot 10");
    assert_eq!(keywords[89_999], "mot 99998");

    let ids: Vec<&str> = html
        .split("<h2 id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|id| id.starts_with("etape"))
        .collect();
    assert_eq!(ids.len(), 10_000);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 10_000);
    assert_eq!(ids[..3], ["etape", "etape-2", "etape-3"]);
    assert_eq!(ids[9_999], "etape-10000");

    let tools = std::fs::read_dir(site.path().join("public/outils"))
        .expect("tool pages")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("outil-"))
        .count();
    assert_eq!(tools, 1_000);
}
