//! ScoLOMFR/LOM records, the OAI-PMH static repository and the CSV export of the demo site.
//!
//! Every `lom.xml` is validated with `xmllint` against the official ScoLOMFR 3.1 XSD of
//! `../shared/scolomfr/xsd/`. Without `../shared/` or `xmllint` those checks are skipped with a
//! message, except under `tests/run.sh` (`VITRINE_TESTS_COMPLETS`), which installs xmllint.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{build, build_with, fixture_site, snapshot};
use vitrine::exports::csv::COLUMNS;
use vitrine::site::BuildOptions;

const BASE_URL: &str = "https://vitrine.ac-exemple.fr/mutualisation/";
const CONTACT: &str = "drane@ac-exemple.fr";
/// The demo scenario checked field by field.
const SLUG: &str = "programmes-de-calcul-scratch-tableur";

/// The demo site built once with a public address and a contact address; returns the output.
fn demo_output() -> &'static Path {
    static OUTPUT: OnceLock<PathBuf> = OnceLock::new();
    OUTPUT.get_or_init(|| {
        let site = common::demo_site();
        let config_path = site.path().join("vitrine.yaml");
        let config = fs::read_to_string(&config_path).expect("read demo config");
        let edited = config
            .replace("base_url: \"\"", &format!("base_url: \"{BASE_URL}\""))
            .replace(
                "\n  nom: Démonstration vitrine",
                &format!("\n  courriel: {CONTACT}\n  nom: Démonstration vitrine"),
            );
        assert!(
            edited.contains(BASE_URL) && edited.contains(CONTACT),
            "the demo vitrine.yaml changed: update this test\n{edited}"
        );
        fs::write(&config_path, edited).expect("write config");
        let output = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("exports_lom_demo");
        if output.exists() {
            fs::remove_dir_all(&output).expect("clean previous output");
        }
        let mut options = BuildOptions::new(site.path());
        options.output = Some(output.clone());
        build_with(options).expect("the demo site builds");
        output
    })
}

/// Slugs of the published scenarios: the folders of `scenarios/` holding a page.
fn scenario_slugs(output: &Path) -> Vec<String> {
    let mut slugs: Vec<String> = fs::read_dir(output.join("scenarios"))
        .expect("scenarios folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("index.html").is_file())
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter(|name| name != "page")
        .collect();
    slugs.sort();
    slugs
}

/// `xmllint`, or `None` with a visible message (a failure under tests/run.sh, which installs it).
fn xmllint() -> Option<&'static str> {
    let available = Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if available {
        return Some("xmllint");
    }
    assert!(
        std::env::var_os("VITRINE_TESTS_COMPLETS").is_none(),
        "xmllint est absent alors que tests/run.sh demande tous les tests"
    );
    eprintln!("IGNORÉ : xmllint est absent (paquet libxml2-utils), validation sautée");
    None
}

fn run_xmllint(args: &[&std::ffi::OsStr]) {
    let out = Command::new("xmllint")
        .args(args)
        .output()
        .expect("run xmllint");
    assert!(
        out.status.success(),
        "xmllint failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Text of every `name` element of a well-formed document.
fn texts_of(xml: &str, name: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == name.as_bytes() => {
                current = Some(String::new())
            }
            Event::Text(t) => {
                if let Some(text) = current.as_mut() {
                    text.push_str(&t.decode().expect("utf-8"));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(text) = current.as_mut() {
                    let entity = r.decode().expect("utf-8");
                    text.push_str(match entity.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unexpected entity {other} in {name}"),
                    });
                }
            }
            Event::End(e) if e.name().as_ref() == name.as_bytes() => {
                found.extend(current.take());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

#[test]
fn every_lom_record_validates_against_the_scolomfr_xsd() {
    let output = demo_output();
    let slugs = scenario_slugs(output);
    assert!(slugs.len() >= 20, "{slugs:?}");
    let records: Vec<PathBuf> = slugs
        .iter()
        .map(|slug| output.join("scenarios").join(slug).join("lom.xml"))
        .collect();
    for record in &records {
        assert!(record.is_file(), "missing {}", record.display());
    }
    let (Some(shared), Some(_)) = (common::shared_dir(), xmllint()) else {
        return;
    };
    let xsd = shared.join("scolomfr/xsd/scolomfr.xsd");
    assert!(xsd.is_file(), "{} is missing", xsd.display());
    let mut args = vec!["--noout".as_ref(), "--schema".as_ref(), xsd.as_os_str()];
    args.extend(records.iter().map(|r| r.as_os_str()));
    run_xmllint(&args);
}

#[test]
fn a_record_describes_its_scenario_with_scolomfr_uris() {
    let output = demo_output();
    let xml = fs::read_to_string(output.join(format!("scenarios/{SLUG}/lom.xml"))).expect("record");
    let strings = texts_of(&xml, "lom:string");
    assert_eq!(
        strings[0],
        "Programmes de calcul : de Scratch au calcul littéral"
    );
    assert!(strings.iter().any(|s| s == "distributivité"), "{strings:?}");
    let url = format!("{BASE_URL}scenarios/{SLUG}/");
    assert_eq!(texts_of(&xml, "lom:location"), std::slice::from_ref(&url));
    assert_eq!(texts_of(&xml, "lom:entry")[0], url);
    let ids = texts_of(&xml, "lom:id");
    for uri in [
        // Mathématiques (discipline), 4e, cycle 4 (2016).
        "http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-015-num-919",
        "http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-022-num-021",
        "http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-022-num-621",
    ] {
        assert!(ids.iter().any(|id| id == uri), "{uri} not in {ids:?}");
    }
    let values = texts_of(&xml, "lom:value");
    // Activité pédagogique, enseignement secondaire.
    for uri in [
        "http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-010-num-027",
        "http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-012-num-003",
    ] {
        assert!(values.iter().any(|v| v == uri), "{uri} not in {values:?}");
    }
    assert_eq!(texts_of(&xml, "lom:duration"), ["PT2H45M"]);
    assert!(texts_of(&xml, "lom:entity")[0].contains("FN:Karim Benali"));
    assert!(strings
        .iter()
        .any(|s| s.contains("https://creativecommons.org/licenses/by/4.0/")));
}

#[test]
fn the_oai_repository_lists_every_scenario_in_both_formats() {
    let output = demo_output();
    let path = output.join("oai.xml");
    let xml = fs::read_to_string(&path).expect("oai.xml");
    if xmllint().is_some() {
        // The static-repository schema is not in ../shared: well-formedness only.
        run_xmllint(&["--noout".as_ref(), path.as_os_str()]);
    }
    assert_eq!(
        texts_of(&xml, "oai:baseURL"),
        [format!("{BASE_URL}oai.xml")]
    );
    assert_eq!(texts_of(&xml, "oai:adminEmail"), [CONTACT]);
    assert_eq!(texts_of(&xml, "oai:metadataPrefix"), ["oai_dc", "lom"]);
    let identifiers = texts_of(&xml, "oai:identifier");
    let slugs = scenario_slugs(output);
    assert_eq!(identifiers.len(), 2 * slugs.len());
    for slug in &slugs {
        let id = format!("oai:vitrine.ac-exemple.fr:mutualisation/scenarios/{slug}");
        assert_eq!(
            identifiers.iter().filter(|i| **i == id).count(),
            2,
            "{id} in {identifiers:?}"
        );
    }
    assert_eq!(texts_of(&xml, "lom:lom").len(), slugs.len());
    assert!(texts_of(&xml, "dc:title")
        .iter()
        .any(|t| t == "Programmes de calcul : de Scratch au calcul littéral"));
}

#[test]
fn the_csv_export_reads_back_in_labels() {
    let output = demo_output();
    let bytes = fs::read(output.join("export/scenarios.csv")).expect("csv");
    let body = bytes
        .strip_prefix("\u{FEFF}".as_bytes())
        .expect("UTF-8 byte order mark for Excel");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(body);
    let headers: Vec<String> = reader
        .headers()
        .expect("headers")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(headers, COLUMNS);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("record").iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), scenario_slugs(output).len());
    let url = format!("{BASE_URL}scenarios/{SLUG}/");
    let row = rows.iter().find(|r| r[5] == url).expect("the maths row");
    assert_eq!(
        row[0],
        "Programmes de calcul : de Scratch au calcul littéral"
    );
    assert!(row[1].starts_with("Les élèves de 4e programment"));
    assert_eq!(row[2], "Mathématiques");
    assert_eq!(row[3], "Quatrième");
    assert_eq!(row[4], "Lille");
    assert_eq!(
        row[6],
        "calcul littéral, programmes de calcul, distributivité, algorithmique, conjecture, tableur"
    );
    assert_eq!(row[7], "2023-11-08");
    assert_eq!(row[8], "Creative Commons Attribution 4.0 (CC BY 4.0)");
}

#[test]
fn without_a_public_address_only_the_csv_is_written() {
    let site = fixture_site(&[]);
    build(site.path()).expect("fixture builds");
    let files = snapshot(&site.path().join("public"));
    let names: Vec<String> = files
        .iter()
        .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
        .collect();
    assert!(!names.iter().any(|n| n.ends_with("lom.xml")), "{names:?}");
    assert!(!names.iter().any(|n| n == "oai.xml"));
    let (_, csv) = files
        .iter()
        .find(|(p, _)| p.ends_with("export/scenarios.csv"))
        .expect("the CSV export");
    let text = String::from_utf8_lossy(csv);
    assert!(text.contains(";scenarios/"), "relative URLs: {text}");
}

/// Every built-in vocabulary value at once: a URI missing from the XSD enumerations (types,
/// modalités) would fail here even if no demo scenario uses it.
#[test]
fn a_record_with_every_vocabulary_value_validates() {
    use vitrine::config::Config;
    use vitrine::content::{Auteur, Duree, Metadata, Scenario};
    use vitrine::exports::lom::{write_record, XmlWriter};
    use vitrine::vocab::{VocabName, Vocabularies};

    let vocabs = Vocabularies::builtin().expect("vocabularies");
    let keys = |name: VocabName| -> Vec<String> {
        vocabs
            .get(name)
            .entries()
            .iter()
            .map(|e| e.cle.clone())
            .collect()
    };
    let scenario = Scenario {
        slug: "tout".to_string(),
        source: "content/scenarios/tout.md".into(),
        bundle_dir: None,
        bundle_files: Vec::new(),
        meta: Metadata {
            titre: "<script>alert('x')</script> & « tout »".to_string(),
            resume: "Résumé\r\navec \u{1} un caractère de contrôle".to_string(),
            date: chrono::NaiveDate::from_ymd_opt(2024, 1, 31).expect("date"),
            mise_a_jour: chrono::NaiveDate::from_ymd_opt(2024, 2, 29),
            auteurs: vec![Auteur {
                nom: "A; B, C".to_string(),
                fonction: Some("prof <b>".to_string()),
                etablissement: None,
            }],
            academie: "ac-lyon".to_string(),
            disciplines: keys(VocabName::Subjects),
            niveaux: keys(VocabName::Levels),
            cycles: keys(VocabName::Cycles),
            types: keys(VocabName::Types),
            modalites: keys(VocabName::Modes),
            duree: Some(Duree {
                affichage: "1 h".to_string(),
                iso: "PT1H".to_string(),
                minutes: 60,
            }),
            outils: Vec::new(),
            competences_numeriques: Vec::new(),
            mots_cles: vec!["]]>".to_string()],
            licence: "Licence maison".to_string(),
            vignette: None,
            vignette_alt: None,
            ressources: Vec::new(),
            url_source: None,
            brouillon: false,
        },
        body: Default::default(),
        body_line: 1,
        origine: None,
    };
    let config = Config::parse(&format!("titre: T\nbase_url: {BASE_URL}\n")).expect("config");
    let mut w = XmlWriter::new();
    write_record(&mut w, &config, &vocabs, &scenario, true);
    let xml = w.finish();
    assert_eq!(
        texts_of(&xml, "lom:string")[0],
        "<script>alert('x')</script> & « tout »"
    );
    let (Some(shared), Some(_)) = (common::shared_dir(), xmllint()) else {
        return;
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("exports_lom_vocab");
    fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("lom.xml");
    fs::write(&path, xml).expect("write record");
    let xsd = shared.join("scolomfr/xsd/scolomfr.xsd");
    run_xmllint(&[
        "--noout".as_ref(),
        "--schema".as_ref(),
        xsd.as_os_str(),
        path.as_os_str(),
    ]);
}
