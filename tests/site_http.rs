//! The demo site served by a real static HTTP server on loopback, under a sub-path, crawled
//! from the home page: every internal href/src must answer 200, every scenario and facet page
//! must be reachable, and every page must carry the accessibility basics.

mod common;

use std::collections::{BTreeSet, VecDeque};
use std::process::Command;
use std::time::Duration;

use scraper::{Html, Selector};
use url::Url;
use vitrine::site::BuildOptions;

fn get(agent: &ureq::Agent, url: &Url) -> (u16, String, String) {
    match agent.get(url.as_str()).call() {
        Ok(mut response) => {
            let status = response.status().as_u16();
            let kind = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let body = if kind.starts_with("text/html") {
                response.body_mut().read_to_string().unwrap_or_default()
            } else {
                let _ = response.body_mut().read_to_vec();
                String::new()
            };
            (status, kind, body)
        }
        Err(ureq::Error::StatusCode(code)) => (code, String::new(), String::new()),
        Err(e) => panic!("GET {url}: {e}"),
    }
}

#[test]
fn demo_site_under_a_sub_path_is_fully_browsable() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("IGNORÉ : python3 absent, le serveur HTTP de test ne peut pas démarrer");
        return;
    }
    let site = common::demo_site();
    let www = site.path().join("www");
    let mut options = BuildOptions::new(site.path());
    options.output = Some(www.join("vitrine"));
    common::build_with(options).expect("demo builds");
    let server = common::StaticServer::start(&www);
    let start = Url::parse(&server.url("vitrine/")).expect("url");

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(true)
        // Only bounds a request that never ends: a loaded machine can be slow.
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let links = Selector::parse("a[href], link[href], img[src], script[src], source[src]")
        .expect("selector");
    let h1 = Selector::parse("h1").expect("selector");
    let main = Selector::parse("main#contenu").expect("selector");
    let skip = Selector::parse("a[href='#contenu']").expect("selector");

    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue = VecDeque::from([start.clone()]);
    let mut pages = 0;
    let mut broken = Vec::new();
    while let Some(url) = queue.pop_front() {
        let (status, kind, body) = get(&agent, &url);
        if status != 200 {
            broken.push(format!("{url} -> {status}"));
            continue;
        }
        if !kind.starts_with("text/html") {
            continue;
        }
        pages += 1;
        let doc = Html::parse_document(&body);
        assert!(body.contains("<html lang=\"fr\""), "{url}: lang=\"fr\"");
        assert_eq!(doc.select(&h1).count(), 1, "{url}: exactly one h1");
        assert_eq!(
            doc.select(&main).count(),
            1,
            "{url}: one main#contenu landmark"
        );
        assert!(doc.select(&skip).next().is_some(), "{url}: skip link");
        for element in doc.select(&links) {
            let attr = element
                .value()
                .attr("href")
                .or(element.value().attr("src"))
                .unwrap_or("");
            let Ok(mut target) = url.join(attr) else {
                broken.push(format!("{url}: unparsable link {attr}"));
                continue;
            };
            target.set_fragment(None);
            target.set_query(None);
            if target.host() != start.host() || target.port() != start.port() {
                continue;
            }
            assert!(
                target.path().starts_with("/vitrine/"),
                "{url}: link {attr} leaves the sub-path"
            );
            if seen.insert(target.to_string()) {
                queue.push_back(target);
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));

    // Every scenario and every facet page was reached from the home page.
    let prepared = vitrine::site::prepare(&BuildOptions::new(site.path()), &vitrine::site::Silent)
        .expect("prepare");
    for s in &prepared.loaded.content.scenarios {
        let url = start
            .join(&vitrine::publish::urls::scenario(&s.slug))
            .expect("url");
        assert!(
            seen.contains(url.as_str()),
            "scenario {} not reachable",
            s.slug
        );
    }
    for facet in vitrine::content::Facet::ALL {
        let url = start
            .join(&vitrine::publish::urls::facet_index(facet))
            .expect("url");
        assert!(
            seen.contains(url.as_str()),
            "facet index {} not reachable",
            facet.slug()
        );
    }
    assert!(pages > 60, "crawled {pages} pages");
}
