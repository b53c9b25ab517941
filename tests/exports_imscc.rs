//! Common Cartridge 1.1 packages of the demo site (`exports::imscc`): every `.imscc` is
//! unzipped and checked for what Moodle's `imscc11` importer relies on (namespaces, schema and
//! version, resource types, every `href` in the zip, unique identifiers, every
//! `identifierref` resolving, no sub-manifest), a self-contained page, web links equal to the
//! scenario's resources, the LOM title, and byte-identical packages across two builds.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use common::build_with;
use quick_xml::events::Event;
use scraper::{Html, Selector};
use vitrine::site::BuildOptions;

const BASE_URL: &str = "https://exemple.fr/vitrine/";
const IMSCP: &str = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1";
const LOM_MANIFEST: &str = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest";
const WEBLINK: &str = "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1";

/// Builds a copy of the demo site into `name` under the test temp dir.
fn build_demo(name: &str) -> PathBuf {
    let site = common::demo_site();
    let output = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    if output.exists() {
        fs::remove_dir_all(&output).expect("clean previous output");
    }
    let mut options = BuildOptions::new(site.path());
    options.output = Some(output.clone());
    options.base_url = Some(BASE_URL.to_string());
    build_with(options).expect("the demo site builds");
    output
}

fn demo_output() -> &'static Path {
    static OUTPUT: OnceLock<PathBuf> = OnceLock::new();
    OUTPUT.get_or_init(|| build_demo("exports_imscc_demo"))
}

/// Every package of the output: slug → path.
fn packages(output: &Path) -> BTreeMap<String, PathBuf> {
    let mut found = BTreeMap::new();
    for entry in fs::read_dir(output.join("scenarios")).expect("scenarios folder") {
        let dir = entry.expect("entry").path();
        let Some(slug) = dir.file_name().and_then(|n| n.to_str()).map(String::from) else {
            continue;
        };
        let package = dir.join(format!("{slug}.imscc"));
        if package.is_file() {
            found.insert(slug, package);
        }
    }
    found
}

/// The entries of a zip, name → bytes.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut entries = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let mut contents = Vec::new();
        file.read_to_end(&mut contents).expect("read entry");
        entries.insert(file.name().expect("entry name").to_string(), contents);
    }
    entries
}

/// One element of a parsed XML document: its path of local names from the root, its
/// attributes and its text.
#[derive(Debug, Default, Clone)]
struct Node {
    path: Vec<String>,
    attrs: BTreeMap<String, String>,
    text: String,
}

impl Node {
    fn ends_with(&self, names: &[&str]) -> bool {
        self.path.len() >= names.len()
            && self.path[self.path.len() - names.len()..]
                .iter()
                .zip(names)
                .all(|(a, b)| a == b)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }
}

/// Every element of `xml` in document order (panics on malformed XML).
fn parse(xml: &str) -> Vec<Node> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut nodes: Vec<Node> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_string();
                path.push(name);
                let mut attrs = BTreeMap::new();
                for a in e.attributes() {
                    let a = a.expect("attribute");
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .expect("attribute value")
                        .to_string();
                    attrs.insert(String::from_utf8_lossy(a.key.as_ref()).to_string(), value);
                }
                nodes.push(Node {
                    path: path.clone(),
                    attrs,
                    text: String::new(),
                });
                if matches!(event, Event::Empty(_)) {
                    path.pop();
                } else {
                    open.push(nodes.len() - 1);
                }
            }
            Event::End(_) => {
                path.pop();
                open.pop();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    nodes[i].text.push_str(&t.decode().expect("text"));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(&i) = open.last() {
                    let c = match r.decode().expect("entity").as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unexpected entity {other}"),
                    };
                    nodes[i].text.push_str(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    nodes
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("UTF-8")
}

/// The scenario page's title and the addresses of its external resources.
fn page_facts(output: &Path, slug: &str) -> (String, BTreeSet<String>) {
    let html = fs::read_to_string(output.join("scenarios").join(slug).join("index.html"))
        .expect("scenario page");
    let doc = Html::parse_document(&html);
    let h1 = Selector::parse("h1").expect("selector");
    let title = doc
        .select(&h1)
        .next()
        .expect("h1")
        .text()
        .collect::<String>()
        .trim()
        .to_string();
    let links = Selector::parse("ul.ressources a[rel=external]").expect("selector");
    let urls = doc
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .map(String::from)
        .collect();
    (title, urls)
}

#[test]
fn every_published_scenario_has_a_package_linked_from_its_page() {
    let output = demo_output();
    let found = packages(output);
    assert!(found.len() >= 20, "packages: {}", found.len());
    for slug in found.keys() {
        let page = fs::read_to_string(output.join("scenarios").join(slug).join("index.html"))
            .expect("page");
        assert!(
            page.contains(&format!(
                "{slug}/{slug}.imscc\" download>Télécharger pour Moodle"
            )),
            "{slug}: no link to the package"
        );
    }
}

#[test]
fn without_the_configuration_key_no_package_and_no_link() {
    let site = common::demo_site();
    let config = site.path().join("vitrine.yaml");
    let yaml = fs::read_to_string(&config).expect("config");
    assert!(
        yaml.contains("paquets_moodle: true"),
        "the demo makes packages"
    );
    fs::write(
        &config,
        yaml.replace("paquets_moodle: true", "paquets_moodle: false"),
    )
    .expect("write config");
    let output = site.path().join("public");
    let mut options = BuildOptions::new(site.path());
    options.output = Some(output.clone());
    build_with(options).expect("the demo site builds");
    let scenarios: Vec<PathBuf> = fs::read_dir(output.join("scenarios"))
        .expect("scenarios folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("index.html").is_file())
        .collect();
    assert!(scenarios.len() >= 20, "{}", scenarios.len());
    assert!(
        packages(&output).is_empty(),
        "packages written without the key"
    );
    for dir in scenarios {
        let page = fs::read_to_string(dir.join("index.html")).expect("page");
        assert!(
            !page.contains("paquet-moodle"),
            "{}: link to a package",
            dir.display()
        );
    }
}

/// The size the link of a scenario page states (« 48 Ko », « 1,2 Mo »), in KiB: its number
/// and how far from the true size rounding as displayed may put it.
fn stated_size(page: &str) -> (f64, f64) {
    let doc = Html::parse_document(page);
    let link = Selector::parse("p.paquet-moodle a").expect("selector");
    let text: String = doc
        .select(&link)
        .next()
        .expect("package link")
        .text()
        .collect();
    let inside = text
        .split_once("(.imscc, ")
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("no size in « {text} »"));
    let (number, unit) = inside
        .split_once('\u{a0}')
        .unwrap_or_else(|| panic!("no non-breaking space in « {inside} »"));
    assert!(
        !number.contains('.'),
        "French decimals take a comma: {inside}"
    );
    let value: f64 = number.replace(',', ".").parse().expect("a number");
    match unit {
        "Ko" => (value, 0.5),
        "Mo" => (value * 1024.0, 0.05 * 1024.0),
        other => panic!("unit « {other} » in « {inside} »"),
    }
}

#[test]
fn the_link_states_the_size_of_the_package() {
    let output = demo_output();
    let found = packages(output);
    assert!(!found.is_empty());
    for (slug, package) in &found {
        let page = fs::read_to_string(output.join("scenarios").join(slug).join("index.html"))
            .expect("page");
        let (stated_kib, tolerance) = stated_size(&page);
        let actual_kib = fs::metadata(package).expect("package").len() as f64 / 1024.0;
        assert!(
            (stated_kib - actual_kib).abs() <= tolerance + 1e-9,
            "{slug}: link says {stated_kib} KiB, the package has {actual_kib:.2} KiB"
        );
    }
}

/// Checks a package as Moodle's importer reads it; returns its parsed manifest and entries.
fn check_package(name: &str, bytes: &[u8]) -> (Vec<Node>, BTreeMap<String, Vec<u8>>) {
    let entries = unzip(bytes);
    let manifest = text(
        entries
            .get("imsmanifest.xml")
            .expect("manifest at the root"),
    );
    let nodes = parse(manifest);
    let root = &nodes[0];
    assert_eq!(root.path, ["manifest"], "{name}");
    assert_eq!(root.attr("xmlns"), Some(IMSCP), "{name}");
    assert_eq!(root.attr("xmlns:lomimscc"), Some(LOM_MANIFEST), "{name}");
    let all =
        |names: &[&str]| -> Vec<&Node> { nodes.iter().filter(|n| n.ends_with(names)).collect() };
    assert_eq!(all(&["metadata", "schema"])[0].text, "IMS Common Cartridge");
    assert_eq!(all(&["metadata", "schemaversion"])[0].text, "1.1.0");
    let orgs = all(&["organizations", "organization"]);
    assert_eq!(orgs.len(), 1, "{name}");
    assert_eq!(orgs[0].attr("structure"), Some("rooted-hierarchy"));
    // No sub-manifest: one manifest element, none inside the zip's folders.
    assert_eq!(all(&["manifest"]).len(), 1, "{name}");
    assert!(entries
        .keys()
        .all(|k| k == "imsmanifest.xml" || !k.ends_with("imsmanifest.xml")));

    let mut ids = BTreeSet::new();
    for id in nodes.iter().filter_map(|n| n.attr("identifier")) {
        assert!(ids.insert(id.to_string()), "{name}: identifier {id} twice");
    }
    let resources = all(&["resources", "resource"]);
    let resource_ids: BTreeSet<&str> = resources
        .iter()
        .filter_map(|r| r.attr("identifier"))
        .collect();
    let refs: Vec<&str> = nodes
        .iter()
        .filter(|n| n.path.last().is_some_and(|l| l == "item"))
        .filter_map(|n| n.attr("identifierref"))
        .collect();
    for r in &refs {
        assert!(
            resource_ids.contains(r),
            "{name}: identifierref {r} resolves to nothing"
        );
    }
    assert_eq!(
        refs.len(),
        resource_ids.len(),
        "{name}: one item per resource"
    );
    assert_eq!(
        refs.iter().copied().collect::<BTreeSet<_>>(),
        resource_ids,
        "{name}"
    );
    for resource in &resources {
        let kind = resource.attr("type").unwrap_or_default();
        assert!(
            ["webcontent", "imswl_xmlv1p1"].contains(&kind),
            "{name}: resource type {kind}"
        );
        if kind == "webcontent" {
            assert!(
                resource.attr("href").is_some(),
                "{name}: webcontent without href"
            );
        }
    }
    for href in nodes
        .iter()
        .filter(|n| n.ends_with(&["resource"]) || n.ends_with(&["resource", "file"]))
        .filter_map(|n| n.attr("href"))
    {
        assert!(
            entries.contains_key(href),
            "{name}: {href} missing from the zip"
        );
    }
    assert_eq!(all(&["lom", "general", "language"])[0].text, "fr");
    (nodes, entries)
}

/// The titles of the sections of a package (items with children under the root item).
fn section_titles(nodes: &[Node]) -> Vec<String> {
    nodes
        .iter()
        .filter(|n| {
            n.path.ends_with(&[
                "organization".into(),
                "item".into(),
                "item".into(),
                "title".into(),
            ])
        })
        .map(|n| n.text.clone())
        .collect()
}

#[test]
fn manifests_follow_what_the_moodle_importer_reads() {
    let output = demo_output();
    for (slug, package) in packages(output) {
        let (nodes, _) = check_package(&slug, &fs::read(&package).expect("read package"));
        let (title, _) = page_facts(output, &slug);
        let lom_title: Vec<&Node> = nodes
            .iter()
            .filter(|n| n.ends_with(&["lom", "general", "title", "string"]))
            .collect();
        assert_eq!(lom_title[0].text, title, "{slug}");
        assert_eq!(section_titles(&nodes), [title], "{slug}");
    }
}

/// Titles of the demo's published scenarios of a discipline, from `vitrine search --json`.
fn titles_of_discipline(site: &Path, discipline: &str) -> BTreeSet<String> {
    let out = common::vitrine_in(site)
        .args([
            "search",
            "--discipline",
            discipline,
            "--json",
            "--limit",
            "1000",
        ])
        .output()
        .expect("vitrine search");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    hits.as_array()
        .expect("array")
        .iter()
        .filter_map(|h| h["titre"].as_str().map(String::from))
        .collect()
}

#[test]
fn a_parcours_of_a_discipline_has_one_section_per_scenario() {
    let site = common::demo_site();
    let target = site.path().join("maths.imscc");
    let out = common::vitrine_in(site.path())
        .args(["paquet", "--discipline", "mathematiques", "--sortie"])
        .arg(&target)
        .output()
        .expect("vitrine paquet");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (nodes, _) = check_package("maths", &fs::read(&target).expect("package"));
    let sections = section_titles(&nodes);
    assert!(sections.len() >= 2, "{sections:?}");
    let expected = titles_of_discipline(site.path(), "mathematiques");
    assert_eq!(sections.iter().cloned().collect::<BTreeSet<_>>(), expected);
    let title = nodes
        .iter()
        .find(|n| n.ends_with(&["lom", "general", "title", "string"]))
        .expect("LOM title");
    assert_eq!(title.text, "Parcours : Mathématiques");
}

#[test]
fn a_parcours_of_named_scenarios_keeps_their_order() {
    let output = demo_output();
    let slugs: Vec<String> = packages(output).keys().take(3).rev().cloned().collect();
    let site = common::demo_site();
    let target = site.path().join("choix.imscc");
    let out = common::vitrine_in(site.path())
        .arg("paquet")
        .args(&slugs)
        .arg("--sortie")
        .arg(&target)
        .output()
        .expect("vitrine paquet");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (nodes, _) = check_package("choix", &fs::read(&target).expect("package"));
    let expected: Vec<String> = slugs.iter().map(|s| page_facts(output, s).0).collect();
    assert_eq!(section_titles(&nodes), expected);
}

#[test]
fn a_parcours_of_an_unknown_scenario_is_refused_in_french() {
    let site = common::demo_site();
    let out = common::vitrine_in(site.path())
        .args(["paquet", "inexistant", "--sortie", "x.imscc"])
        .output()
        .expect("vitrine paquet");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("aucun scénario publié n'a l'identifiant « inexistant »"),
        "{stderr}"
    );
    assert!(!site.path().join("x.imscc").exists());
}

#[test]
fn web_links_are_the_scenario_resources() {
    let output = demo_output();
    let mut checked = 0;
    for (slug, package) in packages(output) {
        let entries = unzip(&fs::read(&package).expect("read package"));
        let manifest = parse(text(&entries["imsmanifest.xml"]));
        let mut urls = BTreeSet::new();
        for resource in manifest
            .iter()
            .filter(|n| n.ends_with(&["resource"]) && n.attr("type") == Some("imswl_xmlv1p1"))
        {
            let id = resource.attr("identifier").unwrap_or_default();
            let file = manifest
                .iter()
                .find(|n| n.ends_with(&["file"]) && n.attr("href").is_some_and(|h| h.contains(id)))
                .and_then(|n| n.attr("href"))
                .expect("weblink file");
            let link = parse(text(&entries[file]));
            assert_eq!(link[0].path, ["webLink"]);
            assert_eq!(link[0].attr("xmlns"), Some(WEBLINK));
            let url = link
                .iter()
                .find(|n| n.ends_with(&["webLink", "url"]))
                .expect("url");
            assert_eq!(url.attr("target"), Some("_blank"));
            urls.insert(url.attr("href").expect("href").to_string());
        }
        let (_, expected) = page_facts(output, &slug);
        assert_eq!(urls, expected, "{slug}");
        checked += urls.len();
    }
    assert!(checked > 0, "no web link in the demo packages");
}

#[test]
fn packaged_pages_need_nothing_outside_the_package() {
    let output = demo_output();
    let mut bundle_links = 0;
    for (slug, package) in packages(output) {
        let entries = unzip(&fs::read(&package).expect("read package"));
        let page = format!("{slug}/index.html");
        let html = Html::parse_document(text(entries.get(&page).expect("packaged page")));
        let stylesheet = Selector::parse("link[rel=stylesheet], script[src]").expect("selector");
        assert!(
            html.select(&stylesheet).next().is_none(),
            "{slug}: external style or script"
        );
        let style = Selector::parse("head style").expect("selector");
        assert!(
            html.select(&style).next().is_some(),
            "{slug}: no inlined style"
        );
        let linked = Selector::parse("[href], [src]").expect("selector");
        for element in html.select(&linked) {
            for attr in ["href", "src"] {
                let Some(value) = element.value().attr(attr) else {
                    continue;
                };
                let external = value.starts_with('#') || value.contains(':');
                if external {
                    continue;
                }
                let file = value.split(['#', '?']).next().unwrap_or_default();
                let decoded = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
                let target = format!("{slug}/{decoded}");
                assert!(
                    entries.contains_key(&target),
                    "{slug}: {value} not in the package"
                );
                bundle_links += 1;
            }
        }
    }
    assert!(bundle_links > 0, "no demo page links a file of its bundle");
}

#[test]
fn manifests_and_links_are_well_formed_for_xmllint() {
    let available = Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var_os("VITRINE_TESTS_COMPLETS").is_none(),
            "xmllint est absent alors que tests/run.sh demande tous les tests"
        );
        eprintln!("IGNORÉ : xmllint est absent (paquet libxml2-utils), vérification sautée");
        return;
    }
    for (slug, package) in packages(demo_output()) {
        for (name, bytes) in unzip(&fs::read(&package).expect("read package")) {
            if !name.ends_with(".xml") {
                continue;
            }
            let mut child = Command::new("xmllint")
                .args(["--noout", "-"])
                .stdin(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("xmllint");
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(&bytes)
                .expect("write to xmllint");
            let out = child.wait_with_output().expect("xmllint output");
            assert!(
                out.status.success(),
                "{slug}/{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn two_builds_give_byte_identical_packages() {
    let first = packages(demo_output());
    let second = packages(&build_demo("exports_imscc_again"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (slug, path) in &first {
        let a = fs::read(path).expect("first");
        let b = fs::read(&second[slug]).expect("second");
        assert!(a == b, "{slug}: the packages differ between two builds");
    }
}

/// (concept URI, French label) of a classification taxon.
type Taxon = (String, String);

/// The classification of a manifest's LOM: purpose → taxa, in document order.
fn manifest_classes(nodes: &[Node]) -> BTreeMap<String, Vec<Taxon>> {
    let mut classes: BTreeMap<String, Vec<Taxon>> = BTreeMap::new();
    let mut purpose = String::new();
    for node in nodes {
        if node.ends_with(&["lom", "classification", "purpose", "value"]) {
            purpose = node.text.clone();
        } else if node.ends_with(&["lom", "classification", "taxonPath", "taxon", "id"]) {
            classes
                .entry(purpose.clone())
                .or_default()
                .push((node.text.clone(), String::new()));
        } else if node.ends_with(&["classification", "taxonPath", "taxon", "entry", "string"]) {
            let last = classes.get_mut(&purpose).and_then(|taxa| taxa.last_mut());
            last.expect("an entry after its id").1 = node.text.clone();
        }
    }
    classes
}

/// What the demo scenarios are classified by, from `catalogue.json` (another export): slug →
/// purpose → the disciplines, or the niveaux then cycles, that have a ScoLOMFR URI.
fn catalogue_classes(output: &Path) -> BTreeMap<String, BTreeMap<String, Vec<Taxon>>> {
    let catalogue: serde_json::Value =
        serde_json::from_slice(&fs::read(output.join("catalogue.json")).expect("catalogue"))
            .expect("JSON");
    let taxa = |scenario: &serde_json::Value, fields: &[&str]| -> Vec<Taxon> {
        fields
            .iter()
            .flat_map(|f| scenario[*f].as_array().cloned().unwrap_or_default())
            .filter_map(|v| {
                Some((
                    v["uri"].as_str()?.to_string(),
                    v["libelle"].as_str()?.to_string(),
                ))
            })
            .collect()
    };
    let mut all = BTreeMap::new();
    for scenario in catalogue["scenarios"].as_array().expect("scenarios") {
        let mut classes = BTreeMap::new();
        for (purpose, fields) in [
            ("discipline", &["disciplines"][..]),
            ("educational level", &["niveaux", "cycles"][..]),
        ] {
            let found = taxa(scenario, fields);
            if !found.is_empty() {
                classes.insert(purpose.to_string(), found);
            }
        }
        all.insert(scenario["id"].as_str().expect("id").to_string(), classes);
    }
    all
}

#[test]
fn the_cartridge_lom_classifies_by_the_scolomfr_disciplines_and_levels() {
    let output = demo_output();
    let expected = catalogue_classes(output);
    let mut taxa = 0;
    for (slug, package) in packages(output) {
        let entries = unzip(&fs::read(&package).expect("read package"));
        let nodes = parse(text(&entries["imsmanifest.xml"]));
        let found = manifest_classes(&nodes);
        assert_eq!(Some(&found), expected.get(&slug), "{slug}");
        taxa += found.values().map(Vec::len).sum::<usize>();
    }
    assert!(taxa > 0, "no classification in the demo packages");
}

/// The children the CC 1.1 manifest LOM profile allows where it restricts LOM: a purpose,
/// a role and a copyright hold a value only; a taxon path holds exactly one taxon.
#[test]
fn the_cartridge_lom_keeps_to_the_manifest_profile() {
    const PURPOSES: [&str; 9] = [
        "discipline",
        "idea",
        "prerequisite",
        "educational objective",
        "accessibility restrictions",
        "educational level",
        "skill level",
        "security level",
        "competency",
    ];
    for (slug, package) in packages(demo_output()) {
        let entries = unzip(&fs::read(&package).expect("read package"));
        let nodes = parse(text(&entries["imsmanifest.xml"]));
        let children = |parent: &[&str]| -> Vec<&Node> {
            nodes
                .iter()
                .filter(|n| n.path.len() == parent.len() + 1 && n.path[..parent.len()] == *parent)
                .collect()
        };
        for parent in [
            &["lom", "classification", "purpose"][..],
            &["lom", "lifeCycle", "contribute", "role"][..],
            &["lom", "rights", "copyrightAndOtherRestrictions"][..],
        ] {
            let full: Vec<&str> = ["manifest", "metadata"]
                .iter()
                .chain(parent)
                .copied()
                .collect();
            for child in children(&full) {
                assert_eq!(
                    child.path.last().map(String::as_str),
                    Some("value"),
                    "{slug}: {parent:?}"
                );
            }
        }
        for purpose in nodes
            .iter()
            .filter(|n| n.ends_with(&["classification", "purpose", "value"]))
        {
            assert!(
                PURPOSES.contains(&purpose.text.as_str()),
                "{slug}: purpose {}",
                purpose.text
            );
        }
        let paths = nodes
            .iter()
            .filter(|n| n.ends_with(&["classification", "taxonPath"]))
            .count();
        let inside: Vec<&Node> = nodes
            .iter()
            .filter(|n| n.path.len() >= 2 && n.path[n.path.len() - 2] == "taxonPath")
            .collect();
        assert!(
            inside.iter().all(|n| n.ends_with(&["taxon"])),
            "{slug}: taxonPath holds more than taxa"
        );
        assert_eq!(inside.len(), paths, "{slug}: one taxon per taxonPath");
    }
}

/// Each concept of the classifications is in the official ScoLOMFR 3.1 vocabularies of
/// `../shared/scolomfr` (015 for disciplines, 022 for levels). The manifest's LOM is in the
/// CC profile's namespace, which the ScoLOMFR XSD does not describe: checked against the
/// vocabularies instead.
#[test]
fn the_cartridge_classification_uses_official_scolomfr_concepts() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let vocabulary = |name: &str| {
        fs::read_to_string(shared.join("scolomfr").join(name)).expect("ScoLOMFR vocabulary")
    };
    let disciplines = vocabulary("voc-015-domaine-enseignement.yaml");
    let levels = vocabulary("voc-022-niveau-educatif-detaille.yaml");
    let mut checked = 0;
    for (slug, package) in packages(demo_output()) {
        let entries = unzip(&fs::read(&package).expect("read package"));
        let classes = manifest_classes(&parse(text(&entries["imsmanifest.xml"])));
        for (purpose, taxa) in &classes {
            let official = if purpose == "discipline" {
                &disciplines
            } else {
                &levels
            };
            for (uri, label) in taxa {
                assert!(
                    official.contains(&format!("- uri: {uri}\n")),
                    "{slug}: {uri} ({label}) is not in the ScoLOMFR vocabulary of {purpose}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
}

/// Writes the entries of a package under `dir` (emptied first).
fn unzip_to(bytes: &[u8], dir: &Path) {
    if dir.exists() {
        fs::remove_dir_all(dir).expect("clean previous unzip");
    }
    for (name, contents) in unzip(bytes) {
        let target = dir.join(&name);
        fs::create_dir_all(target.parent().expect("parent")).expect("folder");
        fs::write(target, contents).expect("write entry");
    }
}

/// What tests/browser/paquet.mjs saw of one page: requests outside its folder, failed ones,
/// whether the inlined styles applied.
fn judge_in_chromium(result: &serde_json::Value) -> Vec<String> {
    let page = result["page"].as_str().unwrap_or_default();
    let mut problems = Vec::new();
    for url in result["hors_paquet"].as_array().into_iter().flatten() {
        problems.push(format!("{page}: request outside the package: {url}"));
    }
    for failure in result["echecs"].as_array().into_iter().flatten() {
        problems.push(format!("{page}: failed request: {failure}"));
    }
    let style = &result["style"];
    // Chromium's defaults, which the inlined styles change: no maximum width, black titles,
    // the serif font.
    if style["body_max_width"] == "none"
        || style["h1_color"] == "rgb(0, 0, 0)"
        || style["body_font_family"]
            .as_str()
            .is_some_and(|f| f.starts_with("Times"))
        || style["feuilles_externes"] != 0
    {
        problems.push(format!(
            "{page}: the inlined styles are not applied: {style}"
        ));
    }
    problems
}

#[test]
fn unzipped_pages_open_in_chromium_without_leaving_the_package() {
    let browser_dir = common::repo_root().join("tests/browser");
    if !common::browser_tools_ready(&browser_dir) {
        return;
    }
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("exports_imscc_chromium");
    let captures = work.join("captures");
    fs::create_dir_all(&captures).expect("captures folder");
    let mut pages = Vec::new();
    for (slug, package) in packages(demo_output()) {
        let dir = work.join("paquets").join(&slug);
        unzip_to(&fs::read(&package).expect("read package"), &dir);
        pages.push(serde_json::json!({
            "dossier": dir,
            "page": format!("{slug}/index.html"),
            "capture": captures.join(format!("{slug}.png")),
        }));
    }
    // The check itself, on a copy whose styles are linked from outside the package as a
    // page of the site links them: it must be caught.
    let (first, _) = packages(demo_output())
        .into_iter()
        .next()
        .expect("a package");
    let broken = work.join("casse");
    if broken.exists() {
        fs::remove_dir_all(&broken).expect("clean previous copy");
    }
    common::copy_dir(&work.join("paquets").join(&first), &broken);
    let page_file = broken.join(&first).join("index.html");
    let html = fs::read_to_string(&page_file).expect("packaged page");
    let unstyled = match (html.find("<style>"), html.find("</style>")) {
        (Some(start), Some(end)) => {
            format!("{}{}", &html[..start], &html[end + "</style>".len()..])
        }
        _ => html.clone(),
    };
    let linked = unstyled.replacen(
        "</head>",
        "<link rel=\"stylesheet\" href=\"../../style.css\">\n</head>",
        1,
    );
    fs::write(&page_file, linked).expect("write broken page");
    fs::write(work.join("style.css"), "h1{color:#000091}").expect("outside stylesheet");
    pages.push(serde_json::json!({
        "dossier": broken,
        "page": format!("{first}/index.html"),
        "capture": captures.join("casse.png"),
    }));

    let report = common::run_node_script(
        "paquet.mjs",
        &[serde_json::json!({ "pages": pages }).to_string()],
    );
    let results = report["pages"].as_array().expect("pages");
    assert_eq!(results.len(), pages.len());
    let (broken_result, package_results) = results.split_last().expect("results");
    let mut problems = Vec::new();
    for result in package_results {
        assert!(result["requetes"].as_u64() >= Some(1), "{result}");
        problems.extend(judge_in_chromium(result));
    }
    assert!(problems.is_empty(), "{problems:#?}");
    let caught = judge_in_chromium(broken_result);
    assert!(
        caught.iter().any(|p| p.contains("outside the package"))
            && caught.iter().any(|p| p.contains("not applied")),
        "a stylesheet linked from outside the package went unnoticed: {caught:?}"
    );
    for result in package_results {
        let capture = PathBuf::from(result["capture"].as_str().expect("capture"));
        assert!(
            fs::metadata(&capture).is_ok_and(|m| m.len() > 0),
            "{}",
            capture.display()
        );
    }
    println!(
        "captures d'écran des pages des paquets : {}",
        captures.display()
    );
}
