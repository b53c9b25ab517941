//! `vitrine check`: its stable JSON report on fixtures with each kind of problem, its text
//! output and exit codes (errors fail; warnings only with --strict).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn check(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run vitrine check")
}

fn json_report(root: &Path, args: &[&str]) -> (Value, Option<i32>) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let output = check(root, &all);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    (report, output.status.code())
}

fn problems<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["problemes"]
        .as_array()
        .expect("problemes")
        .iter()
        .filter(|p| p["code"] == code)
        .collect()
}

#[test]
fn a_clean_site_passes_even_strictly() {
    let site = common::fixture_site(&[]);
    let (report, code) = json_report(site.path(), &["--strict"]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["version"], 1);
    assert_eq!(report["erreurs"], 0);
    assert_eq!(report["avertissements"], 0);
    assert_eq!(report["scenarios"], 1);
    let text = check(site.path(), &[]);
    assert!(String::from_utf8_lossy(&text.stdout).starts_with("Tout est correct"));
}

#[test]
fn missing_heading_anchors_are_errors_with_their_place() {
    let site = common::fixture_site(&["check-ancres"]);
    let (report, code) = json_report(site.path(), &[]);
    assert_eq!(code, Some(1), "{report}");
    let anchors = problems(&report, "ancre-introuvable");
    let messages: Vec<&str> = anchors
        .iter()
        .filter_map(|p| p["message"].as_str())
        .collect();
    assert_eq!(anchors.len(), 2, "{report}");
    assert!(messages
        .iter()
        .any(|m| m.contains("#bilan-final") && m.contains("cette page")));
    assert!(messages
        .iter()
        .any(|m| m.contains("#evaluation") && m.contains("valide.md")));
    for p in &anchors {
        assert_eq!(p["gravite"], "erreur");
        assert_eq!(p["fichier"], "content/scenarios/ancres.md");
        assert!(p["ligne"].as_u64().is_some_and(|l| l >= 14), "{p}");
        assert!(p["colonne"].as_u64().is_some_and(|c| c > 1), "{p}");
    }
    // « #evaluation » is close to no id of valide.md but « objectifs » exists: no bad guess,
    // and the valid anchors (#deroulement, valide.md#objectifs) are not reported.
    assert!(!messages
        .iter()
        .any(|m| m.contains("#deroulement") || m.contains("#objectifs")));
}

#[test]
fn warnings_name_the_key_and_fail_only_when_strict() {
    let site = common::fixture_site(&["check-avertissements"]);
    let (report, code) = json_report(site.path(), &[]);
    assert_eq!(code, Some(0), "warnings alone pass: {report}");
    assert_eq!(report["erreurs"], 0);

    let long = problems(&report, "resume-long");
    assert_eq!(long.len(), 1, "{report}");
    assert_eq!(long[0]["champ"], "resume");
    assert_eq!(long[0]["ligne"], 3);
    assert_eq!(long[0]["fichier"], "content/scenarios/sans-crcn.md");

    let crcn = problems(&report, "sans-competence-numerique");
    assert_eq!(crcn.len(), 1, "{report}");
    assert_eq!(crcn[0]["fichier"], "content/scenarios/sans-crcn.md");
    assert_eq!(crcn[0]["gravite"], "avertissement");

    let titles = problems(&report, "titre-en-double");
    assert_eq!(titles.len(), 1, "{report}");
    assert_eq!(titles[0]["fichier"], "content/scenarios/valide.md");
    assert_eq!(titles[0]["ligne"], 2);
    assert!(titles[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("sans-crcn.md")));

    let (_, strict) = json_report(site.path(), &["--strict"]);
    assert_eq!(strict, Some(1));
    let text = check(site.path(), &[]);
    let stderr = String::from_utf8_lossy(&text.stderr);
    assert!(stderr.contains("content/scenarios/sans-crcn.md:3:1 : avertissement [resume]"));
    assert!(stderr.contains("3 avertissements."), "{stderr}");
}

/// `outils: Tableur, ENT, Genially`: three tools (three facet pages, none named after the
/// whole text), with a warning showing the YAML list to write.
#[test]
fn a_list_written_with_commas_is_read_as_a_list_with_a_warning() {
    let site = common::fixture_site(&["liste-virgules"]);
    let (report, code) = json_report(site.path(), &[]);
    assert_eq!(code, Some(0), "warnings alone pass: {report}");
    let lists = problems(&report, "liste-en-texte");
    assert_eq!(lists.len(), 2, "{report}");
    let (niveaux, outils) = (lists[0], lists[1]);
    assert_eq!(niveaux["champ"], "niveaux");
    assert_eq!(
        (niveaux["ligne"].as_u64(), niveaux["colonne"].as_u64()),
        (Some(7), Some(10))
    );
    assert_eq!(outils["fichier"], "content/scenarios/virgules.md");
    assert_eq!(
        (outils["ligne"].as_u64(), outils["colonne"].as_u64()),
        (Some(8), Some(9))
    );
    let message = outils["message"].as_str().unwrap_or_default();
    assert!(message.contains("lue comme 3 valeurs"), "{message}");
    assert!(
        message.contains("« outils: [Tableur, ENT, Genially] »"),
        "{message}"
    );
    common::assert_french(message);

    common::build(site.path()).expect("the site builds");
    let outils = site.path().join("public/outils");
    for tool in ["tableur", "ent", "genially"] {
        assert!(
            outils.join(tool).join("index.html").is_file(),
            "no page for {tool}"
        );
    }
    let pages: Vec<String> = std::fs::read_dir(&outils)
        .expect("outils")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!pages.iter().any(|p| p.contains("tableur-")), "{pages:?}");
    // Both levels are facets of the scenario, not one unknown value.
    assert!(site.path().join("public/niveaux/6e/index.html").is_file());
}

/// Files with errors are still counted as checked, and the summary says how many have errors.
#[test]
fn the_summary_counts_the_files_checked_and_those_with_errors() {
    let site = common::fixture_site(&["unknown-vocabulary", "vocabulaire-sans-suggestion"]);
    let (report, code) = json_report(site.path(), &[]);
    assert_eq!(code, Some(1), "{report}");
    // valide.md, the misspelt discipline and bts.md; a-propos.md and the home page.
    assert_eq!(report["scenarios"], 3, "{report}");
    assert_eq!(report["pages"], 2, "{report}");
    assert_eq!(report["erreurs"], 3, "{report}");
    let out = check(site.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.ends_with(
            "3 scénarios et 2 pages vérifiés : 3 erreurs dans 2 fichiers, 0 avertissement.\n\
             5 fichiers lus : 1 scénario valide, 2 avec des erreurs, 0 brouillon.\n"
        ),
        "{stderr}"
    );
}

/// Files read, valid scenarios, scenarios with errors and drafts (valid or not) are counted.
#[test]
fn the_summary_counts_valid_scenarios_those_with_errors_and_drafts() {
    let site = common::fixture_site(&["brouillon-invalide"]);
    let out = check(site.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // valide.md and the two drafts (each with a broken link), a-propos.md and the home page.
    assert!(
        stderr.ends_with("5 fichiers lus : 1 scénario valide, 2 avec des erreurs, 2 brouillons.\n"),
        "{stderr}"
    );
}

/// A site with an error still gets the warnings of its other files, in the same run.
#[test]
fn warnings_are_shown_even_when_there_are_errors() {
    let site = common::fixture_site(&["liste-virgules", "yaml-deux-points"]);
    let (report, code) = json_report(site.path(), &[]);
    assert_eq!(code, Some(1), "{report}");
    assert_eq!(report["erreurs"], 1, "{report}");
    assert_eq!(problems(&report, "yaml-invalide").len(), 1, "{report}");
    assert_eq!(problems(&report, "liste-en-texte").len(), 2, "{report}");
    assert_eq!(report["avertissements"], 2, "{report}");
    let out = check(site.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/scenarios/virgules.md:8:9 : avertissement [outils]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 erreur dans 1 fichier, 2 avertissements."),
        "{stderr}"
    );
}

#[test]
fn every_build_error_class_has_a_stable_code() {
    for (fixture, code) in [
        ("broken-link", "lien-casse"),
        ("missing-alt", "texte-alternatif-manquant"),
        ("invalid-yaml", "yaml-invalide"),
        ("unknown-key", "cle-inconnue"),
        ("unknown-vocabulary", "valeur-hors-vocabulaire"),
        ("duplicate-slug", "identifiant-en-double"),
        ("missing-front-matter", "entete-absente"),
        ("unsafe-path", "chemin-refuse"),
        ("encodage-windows-1252", "encodage"),
        ("yaml-tabulation", "yaml-invalide"),
        ("yaml-apostrophe", "yaml-invalide"),
    ] {
        let site = common::fixture_site(&[fixture]);
        let (report, exit) = json_report(site.path(), &[]);
        assert_eq!(exit, Some(1), "{fixture}: {report}");
        let found = problems(&report, code);
        assert!(!found.is_empty(), "{fixture}: no {code} in {report}");
        for p in found {
            assert_eq!(p["gravite"], "erreur");
            assert!(
                p["fichier"]
                    .as_str()
                    .is_some_and(|f| f.ends_with(".md") || f.ends_with(".yaml")),
                "{p}"
            );
            assert!(p["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    }
}

#[test]
fn check_reports_yaml_header_and_body_problems_in_one_run() {
    let site = common::fixture_site(&["un-passage"]);
    let (report, exit) = json_report(site.path(), &[]);
    assert_eq!(exit, Some(1));
    for code in [
        "yaml-invalide",
        "valeur-hors-vocabulaire",
        "lien-casse",
        "ancre-introuvable",
    ] {
        assert!(!problems(&report, code).is_empty(), "{code}: {report}");
    }
    // The broken header is read once repaired: its four missing keys are said in the same run,
    // not what the repair guessed on its line (« titre » as a list).
    assert_eq!(problems(&report, "champ-manquant").len(), 4, "{report}");
    assert!(problems(&report, "type-incorrect").is_empty(), "{report}");
    assert_eq!(report["erreurs"], 9, "{report}");
}

#[test]
fn a_pandoc_style_anchor_of_an_existing_heading_passes_check() {
    let site = common::fixture_site(&["ancre-pandoc"]);
    let (report, exit) = json_report(site.path(), &[]);
    assert_eq!(report["erreurs"], 0, "{report}");
    assert_eq!(exit, Some(0), "{report}");
}

/// A failed `build` ends with the same count of files as `check`: files read, valid scenarios,
/// scenarios with errors, drafts.
#[test]
fn a_failed_build_counts_the_files_like_check() {
    let site = common::fixture_site(&["unknown-vocabulary", "brouillon-invalide"]);
    let line = "6 fichiers lus : 1 scénario valide, 3 avec des erreurs, 2 brouillons.\n";
    let checked = check(site.path(), &[]);
    let checked = String::from_utf8_lossy(&checked.stderr);
    assert!(checked.ends_with(line), "{checked}");
    // `build` leaves the drafts out: their problems are warnings, not errors.
    let built = common::vitrine_in(site.path())
        .arg("build")
        .output()
        .expect("vitrine build");
    assert_eq!(built.status.code(), Some(1));
    let built = String::from_utf8_lossy(&built.stderr);
    assert!(
        built.contains(
            "1 erreur.\n6 fichiers lus : 3 scénarios valides, 1 avec des erreurs, 2 brouillons.\n"
        ),
        "{built}"
    );
}

/// The demo is what referents copy: `vitrine check --strict` finds nothing to say about it
/// (five of its summaries were over the advised length, a warning a referent would copy).
#[test]
fn the_demo_passes_the_check_strictly() {
    let site = common::demo_site();
    let (report, code) = json_report(site.path(), &["--strict"]);
    assert_eq!(report["avertissements"], 0, "{report}");
    assert_eq!(report["erreurs"], 0, "{report}");
    assert_eq!(code, Some(0), "{report}");
}
