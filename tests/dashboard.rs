//! The dashboard (« tableau de bord ») of the demo site, read from the built HTML and checked
//! against counts made independently from `catalogue.json`: every table agrees with the
//! catalogue, every chart has one bar per table row with the same numbers, the académie pages
//! carry their own dashboard, and the sitemap lists the page.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use vitrine::site::BuildOptions;

const BASE: &str = "https://www.ac-exemple.fr/vitrine/";

struct Built {
    _site: tempfile::TempDir,
    public: PathBuf,
}

fn build(drafts: bool) -> Built {
    let site = common::demo_site();
    let public = site.path().join("www");
    let mut options = BuildOptions::new(site.path());
    options.output = Some(public.clone());
    options.base_url = Some(BASE.to_string());
    options.drafts = drafts;
    common::build_with(options).expect("demo builds");
    Built {
        _site: site,
        public,
    }
}

fn page(public: &Path, path: &str) -> Html {
    let text = fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    Html::parse_document(&text)
}

fn select<'a>(root: ElementRef<'a>, selector: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(selector).expect("selector");
    root.select(&selector).collect()
}

fn text(element: ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn catalogue(public: &Path) -> Vec<Value> {
    let text = fs::read_to_string(public.join("catalogue.json")).expect("catalogue.json");
    let value: Value = serde_json::from_str(&text).expect("JSON");
    value["scenarios"].as_array().expect("scenarios").clone()
}

/// Number of scenarios of the catalogue per key of `field` (a list of terms, a term, or the
/// CRCN competences by code), and per year for `annees`.
fn expected_counts(scenarios: &[&Value], field: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for scenario in scenarios {
        let keys: Vec<String> = match field {
            "annees" => vec![scenario["date"].as_str().expect("date")[..4].to_string()],
            "academie" => vec![scenario["academie"]["cle"]
                .as_str()
                .expect("cle")
                .to_string()],
            "competences_numeriques" => scenario[field]
                .as_array()
                .expect("list")
                .iter()
                .map(|c| c["code"].as_str().expect("code").to_string())
                .collect(),
            _ => scenario[field]
                .as_array()
                .expect("list")
                .iter()
                .map(|t| t["cle"].as_str().expect("cle").to_string())
                .collect(),
        };
        let mut keys = keys;
        keys.sort();
        keys.dedup();
        for key in keys {
            *counts.entry(key).or_default() += 1;
        }
    }
    counts
}

/// One row of a data table: the key (last segment of the link, or the label), the label and
/// the count.
#[derive(Debug)]
struct Row {
    key: String,
    label: String,
    href: Option<String>,
    count: usize,
}

/// One chart as the page shows it: the rows of its table and the bars of its SVG.
struct ShownChart {
    rows: Vec<Row>,
    /// (width in percent, count written after the bar).
    bars: Vec<(f64, usize)>,
}

fn chart(root: ElementRef, id: &str) -> Option<ShownChart> {
    let block = select(root, &format!("#graphique-{id}"))
        .into_iter()
        .next()?;
    let svg = select(block, "svg").into_iter().next().expect("svg");
    assert_eq!(svg.value().attr("role"), Some("img"), "{id}: role=img");
    let labelledby = svg
        .value()
        .attr("aria-labelledby")
        .expect("accessible name");
    let title = select(svg, "title").into_iter().next().expect("svg title");
    assert_eq!(title.value().attr("id"), Some(labelledby));
    assert!(!text(title).is_empty());
    let bars = select(svg, "g")
        .into_iter()
        .map(|g| {
            let rects = select(g, "rect");
            assert_eq!(rects.len(), 1, "{id}: one bar per row");
            let width = rects[0]
                .value()
                .attr("width")
                .and_then(|w| w.strip_suffix('%'))
                .and_then(|w| w.parse::<f64>().ok())
                .expect("width in percent");
            let count = select(g, "text.graphique-nombre")
                .into_iter()
                .next()
                .map(text)
                .and_then(|t| t.parse().ok())
                .expect("count after the bar");
            (width, count)
        })
        .collect();
    let table = select(block, "table").into_iter().next().expect("table");
    assert!(
        !text(select(table, "caption")[0]).is_empty(),
        "{id}: caption"
    );
    assert_eq!(select(table, "thead th[scope=col]").len(), 3);
    let rows = select(table, "tbody tr")
        .into_iter()
        .map(|tr| {
            let th = select(tr, "th[scope=row]")
                .into_iter()
                .next()
                .expect("row header");
            let href = select(th, "a")
                .into_iter()
                .next()
                .and_then(|a| a.value().attr("href").map(str::to_string));
            let label = text(th);
            let key = match &href {
                // On an académie page, a row leads to the search filtered on the académie
                // and the row's value, last in the address.
                Some(h) if h.contains('?') => h.rsplit('=').next().expect("value").to_string(),
                Some(h) => h
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .expect("segment")
                    .to_string(),
                // CRCN rows without scenarios: « 5.2 Protéger… ».
                None => label.split(' ').next().expect("label").to_string(),
            };
            let cells = select(tr, "td");
            Row {
                key,
                label,
                href,
                count: text(cells[0]).parse().expect("count"),
            }
        })
        .collect();
    Some(ShownChart { rows, bars })
}

/// The table agrees with the catalogue, and the chart with the table.
fn check_chart(root: ElementRef, id: &str, expected: &BTreeMap<String, usize>, with_zeros: bool) {
    let shown = chart(root, id).unwrap_or_else(|| panic!("chart {id}"));
    let counts: BTreeMap<String, usize> = shown
        .rows
        .iter()
        .filter(|r| r.count > 0)
        .map(|r| (r.key.clone(), r.count))
        .collect();
    assert_eq!(&counts, expected, "{id}: table = catalogue");
    if !with_zeros {
        assert!(shown.rows.iter().all(|r| r.count > 0), "{id}: no empty row");
    }
    for row in &shown.rows {
        assert_eq!(
            row.href.is_some(),
            row.count > 0 && id != "annees",
            "{row:?}"
        );
    }
    assert_eq!(shown.bars.len(), shown.rows.len(), "{id}: one bar per row");
    let longest = shown.rows.iter().map(|r| r.count).max().unwrap_or(0) as f64;
    for ((width, count), row) in shown.bars.iter().zip(&shown.rows) {
        assert_eq!(*count, row.count, "{id}: chart = table");
        let expected_width = row.count as f64 / longest * 85.0;
        assert!(
            (width - expected_width).abs() < 0.01,
            "{id}: bar of {} is {width} %, expected {expected_width}",
            row.label
        );
    }
}

#[test]
fn dashboard_numbers_match_the_catalogue() {
    let built = build(false);
    let scenarios = catalogue(&built.public);
    let all: Vec<&Value> = scenarios.iter().collect();
    assert!(all.len() > 10);
    let html = page(&built.public, "tableau-de-bord/index.html");
    let root = html.root_element();
    let main = select(root, "main")[0];
    assert_eq!(select(main, "h1").len(), 1);
    let summary = text(select(main, ".chapo")[0]);
    assert!(
        summary.starts_with(&format!("{} scénarios publiés par ", all.len())),
        "{summary}"
    );
    let academies = expected_counts(&all, "academie");
    assert!(summary.contains(&format!("par {} académies", academies.len())));

    check_chart(
        main,
        "disciplines",
        &expected_counts(&all, "disciplines"),
        false,
    );
    check_chart(main, "niveaux", &expected_counts(&all, "niveaux"), false);
    check_chart(main, "cycles", &expected_counts(&all, "cycles"), false);
    check_chart(main, "academies", &academies, false);
    let crcn = expected_counts(&all, "competences_numeriques");
    check_chart(main, "competences-numeriques", &crcn, true);
    let years = expected_counts(&all, "annees");
    check_chart(main, "annees", &years, true);

    let competences = chart(main, "competences-numeriques").expect("crcn");
    assert_eq!(competences.rows.len(), 16, "the 16 CRCN competences");
    // Disciplines by decreasing count, years in order.
    let disciplines = chart(main, "disciplines").expect("disciplines");
    assert!(disciplines
        .rows
        .windows(2)
        .all(|w| w[0].count >= w[1].count));
    let shown_years: Vec<i32> = chart(main, "annees")
        .expect("years")
        .rows
        .iter()
        .map(|r| r.key.parse().expect("year"))
        .collect();
    assert!(shown_years.windows(2).all(|w| w[1] == w[0] + 1));

    // Links lead to the facet pages that list the same number of scenarios.
    let first = &disciplines.rows[0];
    let target = built
        .public
        .join("tableau-de-bord")
        .join(first.href.as_deref().expect("link"))
        .join("index.html");
    let listing = fs::read_to_string(&target).expect("linked page");
    assert!(listing.contains(&format!("{} scénarios", first.count)));

    // Linked from the footer, listed in the sitemap.
    let home = page(&built.public, "index.html");
    let footer_links: Vec<String> = select(home.root_element(), "footer a")
        .into_iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(footer_links.contains(&"tableau-de-bord/".to_string()));
    let sitemap = fs::read_to_string(built.public.join("sitemap.xml")).expect("sitemap");
    assert!(sitemap.contains(&format!("<loc>{BASE}tableau-de-bord/</loc>")));
}

#[test]
fn each_academie_page_has_its_dashboard() {
    let built = build(false);
    let scenarios = catalogue(&built.public);
    let mut by_academy: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for s in &scenarios {
        let key = s["academie"]["cle"].as_str().expect("academie").to_string();
        by_academy.entry(key).or_default().push(s);
    }
    for (academy, members) in &by_academy {
        let html = page(&built.public, &format!("academies/{academy}/index.html"));
        let root = html.root_element();
        let section = select(root, "main section.tableau-de-bord")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{academy}: dashboard section"));
        let heading = select(section, "h2")[0];
        assert!(text(heading).starts_with("Tableau de bord"));
        assert!(select(section, "h3").len() >= 5, "charts under the h2");
        let n = members.len();
        let summary = text(select(section, "p")[0]);
        let expected_start = if n > 1 {
            format!("{n} scénarios publiés")
        } else {
            "1 scénario publié".to_string()
        };
        assert!(summary.starts_with(&expected_start), "{academy}: {summary}");
        assert!(chart(section, "academies").is_none(), "no académie chart");
        check_chart(
            section,
            "disciplines",
            &expected_counts(members, "disciplines"),
            false,
        );
        check_chart(
            section,
            "niveaux",
            &expected_counts(members, "niveaux"),
            false,
        );
        check_chart(
            section,
            "competences-numeriques",
            &expected_counts(members, "competences_numeriques"),
            true,
        );
        check_chart(section, "annees", &expected_counts(members, "annees"), true);
    }
    // Other listings have no dashboard.
    let html = page(&built.public, "disciplines/mathematiques/index.html");
    assert!(select(html.root_element(), ".tableau-de-bord").is_empty());
}

#[test]
fn drafts_shown_with_the_listings_are_counted() {
    let published = catalogue(&build(false).public).len();
    let with_drafts = build(true);
    let html = page(&with_drafts.public, "tableau-de-bord/index.html");
    let summary = text(select(html.root_element(), "main .chapo")[0]);
    let total: usize = summary
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("total");
    let listed = fs::read_dir(with_drafts.public.join("scenarios"))
        .expect("scenarios")
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != "page" && e.path().join("index.html").is_file())
        .count();
    assert!(total > published, "the demo has a draft");
    assert_eq!(total, listed, "as many as scenario pages");
}
