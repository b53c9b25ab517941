//! Counts next to links agree with their destination, on every page of the demo site: a
//! « Tableur (1) » on the Mathématiques page must not lead to the 7 scenarios of the whole
//! Tableur listing. Each « (n …) » after a link, and each row of a dashboard table, is
//! compared with the count announced by the page it leads to (« 7 scénarios »), or, for a
//! link to the search page filtered on facet values, with the number of scenarios having
//! all those values.

mod common;

use std::path::Path;

use scraper::{ElementRef, Html, Selector};
use vitrine::content::{Facet, Scenario};
use vitrine::site::BuildOptions;

/// A count shown beside a link: the page it is on, the link, the number shown.
struct Shown {
    page: String,
    href: String,
    count: usize,
}

#[test]
fn every_count_beside_a_link_is_the_count_at_its_destination() {
    let site = common::demo_site();
    let out = site.path().join("www");
    let mut options = BuildOptions::new(site.path());
    options.output = Some(out.clone());
    common::build_with(options).expect("demo builds");
    let prepared = vitrine::site::prepare(&BuildOptions::new(site.path()), &vitrine::site::Silent)
        .expect("prepare");
    let scenarios: Vec<&Scenario> = prepared
        .loaded
        .content
        .scenarios
        .iter()
        .map(|s| s.as_ref())
        .collect();

    let shown = counts_beside_links(&out);
    let mut problems = Vec::new();
    let mut to_search = 0;
    for item in &shown {
        let target = resolve(&item.page, &item.href);
        let expected = match target.split_once('?') {
            Some((path, query)) => {
                assert_eq!(path, "recherche/", "{} → {}", item.page, item.href);
                to_search += 1;
                Ok(filtered_count(&scenarios, query))
            }
            None => announced_count(&out, &target),
        };
        match expected {
            Ok(n) if n == item.count => {}
            Ok(n) => problems.push(format!(
                "{} : « ({}) » mène à {} qui compte {n} scénarios",
                item.page, item.count, item.href
            )),
            Err(e) => problems.push(format!("{} : {} : {e}", item.page, item.href)),
        }
    }
    assert!(
        shown.len() > 300,
        "the demo shows many counts beside links: {}",
        shown.len()
    );
    assert!(
        to_search > 100,
        "sub-facet counts lead to the filtered search: {to_search}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The link before each `<span class="nombre">(n …)</span>` of a list item, and the link and
/// number of each row of a dashboard table, on every HTML page under `out`.
fn counts_beside_links(out: &Path) -> Vec<Shown> {
    let number = Selector::parse("li > span.nombre").expect("selector");
    let link = Selector::parse(":scope > a").expect("selector");
    let row = Selector::parse("table.tableau-donnees tbody tr").expect("selector");
    let row_link = Selector::parse("th a").expect("selector");
    let cell = Selector::parse("td").expect("selector");
    let mut shown = Vec::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry.expect("walk");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = path
            .strip_prefix(out)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        let html = Html::parse_document(&std::fs::read_to_string(path).expect("read"));
        for span in html.select(&number) {
            let item = span.parent().and_then(ElementRef::wrap).expect("li");
            let (Some(a), Some(count)) = (item.select(&link).next(), first_number(&text(span)))
            else {
                continue;
            };
            shown.push(Shown {
                page: page.clone(),
                href: a.value().attr("href").unwrap_or_default().to_string(),
                count,
            });
        }
        for tr in html.select(&row) {
            let (Some(a), Some(td)) = (tr.select(&row_link).next(), tr.select(&cell).next()) else {
                continue;
            };
            shown.push(Shown {
                page: page.clone(),
                href: a.value().attr("href").unwrap_or_default().to_string(),
                count: first_number(&text(td)).expect("a number in the first cell"),
            });
        }
    }
    shown
}

fn text(element: ElementRef) -> String {
    element.text().collect()
}

fn first_number(text: &str) -> Option<usize> {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// The site path a relative `href` of the page file `page` leads to (`disciplines/svt/`).
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let (path, query) = match href.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (href, None),
    };
    for segment in path.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let mut target = parts.join("/");
    if !target.is_empty() && (path.ends_with('/') || path.is_empty()) {
        target.push('/');
    }
    match query {
        Some(q) => format!("{target}?{q}"),
        None => target,
    }
}

/// The first number of the destination page's `<p class="decompte">` (« 7 scénarios »,
/// « 19 disciplines. … »).
fn announced_count(out: &Path, target: &str) -> Result<usize, String> {
    let file = out.join(target).join("index.html");
    let html =
        std::fs::read_to_string(&file).map_err(|_| format!("page absente : {}", file.display()))?;
    let html = Html::parse_document(&html);
    let decompte = Selector::parse("p.decompte").expect("selector");
    html.select(&decompte)
        .next()
        .and_then(|p| first_number(&text(p)))
        .ok_or_else(|| "pas de décompte sur la page".to_string())
}

/// Scenarios having every value of a search address query (`discipline=x&outil=y`), with the
/// parameter names the search page reads (`publish::urls::search_parameter`).
fn filtered_count(scenarios: &[&Scenario], query: &str) -> usize {
    let filters: Vec<(Facet, String)> = query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').expect("name=value");
            let facet = Facet::ALL
                .into_iter()
                .find(|f| vitrine::publish::urls::search_parameter(*f) == name)
                .unwrap_or_else(|| panic!("unknown search parameter {name}"));
            (facet, value.to_string())
        })
        .collect();
    assert_eq!(filters.len(), 2, "two filters in {query}");
    scenarios
        .iter()
        .filter(|s| {
            filters
                .iter()
                .all(|(facet, value)| facet.keys(&s.meta).contains(value))
        })
        .count()
}
