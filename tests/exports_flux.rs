//! Exports for harvesters and readers, on the demo site with a public address: sitemap and
//! robots.txt, Atom feeds, catalogue.json, JSON-LD and Open Graph in the pages; and a site
//! without `base_url`, which still builds (without sitemap nor feeds).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use quick_xml::events::Event;
use quick_xml::Reader;
use scraper::{Html, Selector};
use serde_json::Value;
use vitrine::site::BuildOptions;

const BASE: &str = "https://www.ac-exemple.fr/vitrine/";
const DRAFT: &str = "photomontage-detournement-oeuvre";

/// The demo site built once with a public address under a sub-path.
struct Built {
    _site: tempfile::TempDir,
    public: PathBuf,
    scenarios: usize,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let site = common::demo_site();
        let mut options = BuildOptions::new(site.path());
        options.base_url = Some(BASE.to_string());
        let summary = common::build_with(options).expect("the demo site builds");
        Built {
            public: site.path().join("public"),
            scenarios: summary.scenarios,
            _site: site,
        }
    })
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One element of an XML document: its local name, direct text (entities resolved) and
/// attributes.
#[derive(Debug)]
struct Element {
    name: String,
    text: String,
    attributes: Vec<(String, String)>,
}

impl Element {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a whole document, failing on anything not well-formed (mismatched or unclosed
/// elements, several roots, bad entities). Elements come in document order of their end.
fn parse_xml(xml: &str) -> (String, Vec<Element>) {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut done = Vec::new();
    let mut root = None;
    let element = |e: &quick_xml::events::BytesStart| Element {
        name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
        text: String::new(),
        attributes: e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (
                    String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned(),
                    a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .expect("attribute value")
                        .into_owned(),
                )
            })
            .collect(),
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                if stack.is_empty() {
                    assert!(root.is_none(), "a single root element");
                    root = Some(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
                }
                stack.push(element(&e));
            }
            Event::Empty(e) => {
                assert!(!stack.is_empty(), "a single root element");
                done.push(element(&e));
            }
            Event::End(_) => done.push(stack.pop().expect("balanced elements")),
            Event::Text(t) => {
                let text = t.decode().expect("utf-8");
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&text),
                    None => assert!(text.trim().is_empty(), "text outside the root"),
                }
            }
            Event::GeneralRef(r) => {
                let name = r.decode().expect("utf-8");
                let c = match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unknown entity &{other};"),
                };
                stack.last_mut().expect("inside the root").text.push_str(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "every element is closed");
    (root.expect("a root element"), done)
}

fn texts<'a>(elements: &'a [Element], name: &str) -> Vec<&'a str> {
    elements
        .iter()
        .filter(|e| e.name == name)
        .map(|e| e.text.as_str())
        .collect()
}

fn catalogue() -> Value {
    let text = read(&built().public.join("catalogue.json"));
    serde_json::from_str(&text).expect("catalogue.json is JSON")
}

fn scenario_slugs(public: &Path) -> BTreeSet<String> {
    fs::read_dir(public.join("scenarios"))
        .expect("scenarios folder")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("index.html").is_file() && e.file_name() != "page")
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Site paths (`scenarios/x/`) of every `index.html` of the output.
fn html_pages(public: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let dir = e
                .path()
                .parent()
                .expect("parent")
                .strip_prefix(public)
                .expect("inside");
            let dir = dir.to_string_lossy().replace('\\', "/");
            if dir.is_empty() {
                dir
            } else {
                format!("{dir}/")
            }
        })
        .collect()
}

#[test]
fn sitemap_lists_every_html_page_with_absolute_urls() {
    let b = built();
    let (root, elements) = parse_xml(&read(&b.public.join("sitemap.xml")));
    assert_eq!(root, "urlset");
    let locs: BTreeSet<&str> = texts(&elements, "loc").into_iter().collect();
    let expected: BTreeSet<String> = html_pages(&b.public)
        .into_iter()
        .map(|p| format!("{BASE}{p}"))
        .collect();
    assert_eq!(
        locs,
        expected.iter().map(String::as_str).collect(),
        "one address per HTML page (404 excepted)"
    );
    let slugs = scenario_slugs(&b.public);
    assert_eq!(slugs.len(), b.scenarios);
    for slug in &slugs {
        assert!(locs.contains(format!("{BASE}scenarios/{slug}/").as_str()));
    }
    assert!(!locs.iter().any(|l| l.contains(DRAFT)), "no draft");
    for date in texts(&elements, "lastmod") {
        assert!(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
            "W3C date: {date}"
        );
    }
    let robots = read(&b.public.join("robots.txt"));
    assert!(robots.contains("User-agent: *"));
    assert!(robots.contains(&format!("Sitemap: {BASE}sitemap.xml")));
}

/// Scenario ids of the catalogue having `cle` in the list `field` (or as académie).
fn catalogue_members(catalogue: &Value, field: &str, cle: &str) -> usize {
    catalogue["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .filter(|s| match &s[field] {
            Value::Array(terms) => terms.iter().any(|t| t["cle"] == cle),
            term => term["cle"] == cle,
        })
        .count()
}

#[test]
fn feeds_are_well_formed_with_the_right_entries() {
    let b = built();
    let catalogue = catalogue();
    let (root, elements) = parse_xml(&read(&b.public.join("flux.xml")));
    assert_eq!(root, "feed");
    let entries = elements.iter().filter(|e| e.name == "entry").count();
    assert_eq!(entries, b.scenarios.min(50));
    let ids = texts(&elements, "id");
    assert_eq!(
        ids.first().copied(),
        Some(format!("{BASE}flux.xml").as_str())
    );
    assert!(ids
        .iter()
        .skip(1)
        .all(|id| id.starts_with(&format!("{BASE}scenarios/"))));
    assert_eq!(texts(&elements, "summary").len(), entries);
    assert!(texts(&elements, "name").len() > entries, "authors");
    assert!(elements.iter().any(|e| e.name == "category"
        && e.attribute("term").is_some()
        && e.attribute("label").is_some()));
    let self_link = elements
        .iter()
        .find(|e| e.name == "link" && e.attribute("rel") == Some("self"))
        .expect("self link");
    assert_eq!(
        self_link.attribute("href"),
        Some(format!("{BASE}flux.xml").as_str())
    );
    // Updated dates are RFC 3339.
    for date in texts(&elements, "updated") {
        assert!(chrono::DateTime::parse_from_rfc3339(date).is_ok(), "{date}");
    }

    let mut checked = 0;
    for (facet, field) in [
        ("disciplines", "disciplines"),
        ("academies", "academie"),
        ("niveaux", "niveaux"),
    ] {
        let dirs = fs::read_dir(b.public.join(facet)).expect("facet folder");
        for dir in dirs.filter_map(Result::ok) {
            let feed = dir.path().join("flux.xml");
            if !dir.path().join("index.html").is_file() {
                continue;
            }
            assert!(feed.is_file(), "{} has a feed", dir.path().display());
            let cle = dir.file_name().to_string_lossy().into_owned();
            let (root, elements) = parse_xml(&read(&feed));
            assert_eq!(root, "feed");
            let entries = elements.iter().filter(|e| e.name == "entry").count();
            let expected = catalogue_members(&catalogue, field, &cle).min(50);
            assert!(expected > 0, "{facet}/{cle} has scenarios");
            assert_eq!(entries, expected, "{facet}/{cle}/flux.xml");
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} facet feeds");
    assert!(
        !b.public.join("outils").join("flux.xml").exists()
            && fs::read_dir(b.public.join("outils"))
                .expect("outils")
                .filter_map(Result::ok)
                .all(|d| !d.path().join("flux.xml").exists()),
        "no feed for tools"
    );
}

#[test]
fn catalogue_has_every_published_scenario_with_labels_and_uris() {
    let b = built();
    let catalogue = catalogue();
    assert_eq!(catalogue["schema_version"], 1);
    assert!(catalogue["genere_par"]
        .as_str()
        .is_some_and(|g| g.starts_with("vitrine ")));
    assert_eq!(catalogue["site"]["url"], BASE);
    assert!(catalogue["site"]["titre"].is_string());
    let scenarios = catalogue["scenarios"].as_array().expect("scenarios");
    assert_eq!(scenarios.len(), b.scenarios);
    let ids: Vec<&str> = scenarios.iter().filter_map(|s| s["id"].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "sorted by id");
    assert_eq!(
        ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>(),
        scenario_slugs(&b.public)
    );
    assert!(!ids.contains(&DRAFT), "drafts excluded");
    let mut uris = 0;
    for s in scenarios {
        let id = s["id"].as_str().expect("id");
        assert_eq!(s["url"], format!("{BASE}scenarios/{id}/"));
        for key in ["titre", "resume", "date"] {
            assert!(s[key].as_str().is_some_and(|v| !v.is_empty()), "{id}.{key}");
        }
        assert!(s["academie"]["libelle"].is_string());
        for field in ["disciplines", "niveaux", "cycles", "types", "modalites"] {
            for term in s[field].as_array().expect(field) {
                assert!(term["cle"].is_string() && term["libelle"].is_string());
                assert!(term.get("uri").is_some(), "uri key always present");
                if term["uri"].is_string() {
                    uris += 1;
                }
            }
        }
        for c in s["competences_numeriques"].as_array().expect("crcn") {
            assert!(c["code"].is_string() && c["libelle"].is_string());
        }
        assert!(s["licence"]["id"].is_string());
        assert!(s["auteurs"].as_array().is_some_and(|a| !a.is_empty()));
        if !s["duree"].is_null() {
            assert!(s["duree"]["iso"]
                .as_str()
                .is_some_and(|d| d.starts_with("PT")));
            assert!(s["duree"]["minutes"].is_u64());
        }
    }
    assert!(uris > scenarios.len(), "ScoLOMFR URIs present ({uris})");
    let maths = scenarios
        .iter()
        .flat_map(|s| s["disciplines"].as_array().into_iter().flatten())
        .find(|t| t["cle"] == "mathematiques")
        .expect("a mathematics scenario");
    assert_eq!(maths["libelle"], "Mathématiques");
    assert_eq!(
        maths["uri"],
        "http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-015-num-919"
    );
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(selector).expect("selector");
    html.select(&selector).collect()
}

fn attr<'a>(html: &'a Html, selector: &str, attribute: &str) -> Option<&'a str> {
    select(html, selector)
        .first()
        .and_then(|e| e.value().attr(attribute))
}

#[test]
fn scenario_pages_carry_json_ld_open_graph_and_canonical() {
    let b = built();
    let catalogue = catalogue();
    let scenarios = catalogue["scenarios"].as_array().expect("scenarios");
    for s in scenarios {
        let id = s["id"].as_str().expect("id");
        let text = read(&b.public.join(format!("scenarios/{id}/index.html")));
        let html = Html::parse_document(&text);
        let url = format!("{BASE}scenarios/{id}/");
        assert_eq!(
            attr(&html, "link[rel=canonical]", "href"),
            Some(url.as_str())
        );
        assert_eq!(
            attr(&html, "meta[property='og:url']", "content"),
            Some(url.as_str())
        );
        assert_eq!(
            attr(&html, "meta[property='og:type']", "content"),
            Some("article")
        );
        assert_eq!(
            attr(&html, "meta[property='og:locale']", "content"),
            Some("fr_FR")
        );
        assert_eq!(
            attr(&html, "meta[property='og:title']", "content"),
            s["titre"].as_str()
        );
        assert!(attr(&html, "meta[property='og:description']", "content").is_some());
        assert!(attr(&html, "meta[property='og:site_name']", "content").is_some());

        let scripts = select(&html, "script[type='application/ld+json']");
        assert_eq!(scripts.len(), 1, "{id}: one JSON-LD block");
        let json: String = scripts[0].text().collect();
        assert!(!json.contains("</"), "escaped for <script>");
        let ld: Value = serde_json::from_str(&json).expect("JSON-LD parses");
        assert_eq!(ld["@context"], "https://schema.org");
        assert_eq!(ld["@type"], "LearningResource");
        assert_eq!(ld["name"], s["titre"]);
        assert_eq!(ld["description"], s["resume"]);
        assert_eq!(ld["url"], url.as_str());
        assert_eq!(ld["inLanguage"], "fr");
        assert_eq!(ld["datePublished"], s["date"]);
        let modified = if s["mise_a_jour"].is_null() {
            &s["date"]
        } else {
            &s["mise_a_jour"]
        };
        assert_eq!(&ld["dateModified"], modified);
        assert_eq!(ld["publisher"]["@type"], "Organization");
        assert!(ld["publisher"]["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("Académie")));
        let authors = ld["author"].as_array().expect("authors");
        assert_eq!(authors.len(), s["auteurs"].as_array().map_or(0, Vec::len));
        assert!(authors.iter().all(|a| a["@type"] == "Person"));
        let about = ld["about"].as_array().expect("about");
        assert_eq!(about.len(), s["disciplines"].as_array().map_or(0, Vec::len));
        for (term, expected) in about
            .iter()
            .zip(s["disciplines"].as_array().into_iter().flatten())
        {
            assert_eq!(term["@type"], "DefinedTerm");
            assert_eq!(term["name"], expected["libelle"]);
            if expected["uri"].is_string() {
                assert_eq!(term["@id"], expected["uri"]);
            }
        }
        assert!(ld["educationalLevel"]
            .as_array()
            .is_some_and(|l| !l.is_empty()));
        if let Some(crcn) = s["competences_numeriques"]
            .as_array()
            .filter(|c| !c.is_empty())
        {
            let teaches = ld["teaches"].as_array().expect("teaches");
            assert_eq!(teaches.len(), crcn.len());
            assert_eq!(teaches[0]["termCode"], crcn[0]["code"]);
        }
        if !s["duree"].is_null() {
            assert_eq!(ld["timeRequired"], s["duree"]["iso"]);
        }
        if let Some(url) = s["licence"]["url"].as_str() {
            assert_eq!(ld["license"], url);
        }
    }
}

#[test]
fn pages_announce_the_site_feed_and_facet_pages_their_own() {
    let b = built();
    let feeds = |path: &str| -> Vec<String> {
        let html = Html::parse_document(&read(&b.public.join(path)));
        select(&html, "link[rel=alternate][type='application/atom+xml']")
            .iter()
            .filter_map(|e| e.value().attr("href").map(str::to_string))
            .collect()
    };
    assert_eq!(feeds("index.html"), ["flux.xml"]);
    assert_eq!(feeds("recherche/index.html"), ["../flux.xml"]);
    assert_eq!(
        feeds("disciplines/mathematiques/index.html"),
        ["../../flux.xml", "../../disciplines/mathematiques/flux.xml"]
    );
    let academy = fs::read_dir(b.public.join("academies"))
        .expect("academies")
        .filter_map(Result::ok)
        .find(|e| e.path().join("flux.xml").is_file())
        .expect("an academy feed");
    let name = academy.file_name().to_string_lossy().into_owned();
    assert_eq!(
        feeds(&format!("academies/{name}/index.html"))[1],
        format!("../../academies/{name}/flux.xml")
    );
    // Tools have no feed: only the site one.
    assert_eq!(feeds("outils/index.html").len(), 1);
    let home = Html::parse_document(&read(&b.public.join("index.html")));
    assert_eq!(
        attr(&home, "meta[property='og:type']", "content"),
        Some("website")
    );
}

#[test]
fn exports_are_byte_identical_between_two_builds() {
    let site = common::demo_site();
    let mut outputs = Vec::new();
    for name in ["sortie-1", "sortie-2"] {
        let mut options = BuildOptions::new(site.path());
        options.base_url = Some(BASE.to_string());
        options.output = Some(site.path().join(name));
        common::build_with(options).expect("build");
        outputs.push(common::snapshot(&site.path().join(name)));
    }
    assert_eq!(outputs[0].len(), outputs[1].len());
    for ((pa, ca), (pb, cb)) in outputs[0].iter().zip(&outputs[1]) {
        assert_eq!(pa, pb);
        assert!(ca == cb, "{} differs between two builds", pa.display());
    }
}

#[test]
fn without_base_url_the_site_builds_without_sitemap_nor_feeds() {
    let site = common::demo_site();
    let config = read(&site.path().join("vitrine.yaml"));
    assert!(
        config.contains("base_url: \"\""),
        "the demo has no public address"
    );
    let summary = common::build(site.path()).expect("builds without base_url");
    let public = site.path().join("public");
    assert!(!public.join("sitemap.xml").exists());
    assert!(!public.join("flux.xml").exists());
    assert!(!public.join("disciplines/mathematiques/flux.xml").exists());
    let robots = read(&public.join("robots.txt"));
    assert!(!robots.contains("Sitemap"));
    let catalogue: Value =
        serde_json::from_str(&read(&public.join("catalogue.json"))).expect("catalogue");
    assert_eq!(catalogue["site"]["url"], Value::Null);
    let scenarios = catalogue["scenarios"].as_array().expect("scenarios");
    assert_eq!(scenarios.len(), summary.scenarios);
    assert!(scenarios.iter().all(|s| s["url"].is_null()));
    let id = scenarios[0]["id"].as_str().expect("id");
    let text = read(&public.join(format!("scenarios/{id}/index.html")));
    let html = Html::parse_document(&text);
    assert!(select(&html, "link[rel=canonical]").is_empty());
    assert!(select(&html, "link[type='application/atom+xml']").is_empty());
    let json: String = select(&html, "script[type='application/ld+json']")[0]
        .text()
        .collect();
    let ld: Value = serde_json::from_str(&json).expect("JSON-LD");
    assert_eq!(ld["@type"], "LearningResource");
    assert!(ld.get("url").is_none());
}

/// Cuts `start … end` (inclusive) out of `text`.
fn cut(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).expect("start marker");
    let to = from + text[from..].find(end).expect("end marker") + end.len();
    format!("{}{}", &text[..from], &text[to..])
}

#[test]
fn a_site_base_template_from_before_the_exports_still_builds() {
    let site = common::demo_site();
    let base = read(&common::repo_root().join("themes/defaut/templates/base.html"));
    let old = cut(&base, "{%- for f in flux %}", "{%- endfor %}");
    let old = cut(&old, "{%- if jsonld %}", "{%- endif %}");
    assert!(!old.contains("flux") && !old.contains("jsonld"));
    fs::create_dir_all(site.path().join("templates")).expect("templates");
    fs::write(site.path().join("templates/base.html"), old).expect("base.html");
    let mut options = BuildOptions::new(site.path());
    options.base_url = Some(BASE.to_string());
    common::build_with(options).expect("builds with an older base.html");
    assert!(site.path().join("public/flux.xml").is_file());
}
