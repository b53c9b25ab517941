//! `vitrine new`: a scenario to fill in, that builds, never overwriting anything.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn vitrine(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("vitrine runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_new_scenario_is_a_draft_that_builds() {
    let site = common::demo_site();
    let out = vitrine(
        site.path(),
        &[
            "new",
            "Débattre à l'oral : la fête des sciences",
            "--discipline",
            "maths",
            "--niveau",
            "6e",
            "--academie",
            "lyon",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = site
        .path()
        .join("content/scenarios/mathematiques/debattre-a-l-oral-la-fete-des-sciences.md");
    let written = fs::read_to_string(&file).expect("file written");
    assert!(
        written.contains("disciplines: [\"Mathématiques\"]"),
        "{written}"
    );
    assert!(written.contains("brouillon: true"));
    for hint in [
        "# outils:",
        "# competences_numeriques:",
        "# mots_cles:",
        "# duree:",
        "# ressources:",
    ] {
        assert!(written.contains(hint), "missing hint {hint}");
    }

    // Published only with drafts.
    let out = vitrine(site.path(), &["build", "--drafts"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = site
        .path()
        .join("public/scenarios/debattre-a-l-oral-la-fete-des-sciences/index.html");
    assert!(fs::read_to_string(&page)
        .expect("page")
        .contains("la fête des sciences"));
    let out = vitrine(site.path(), &["build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!page.exists());
}

#[test]
fn new_refuses_to_overwrite_and_explains_bad_values() {
    let site = common::demo_site();
    let args = [
        "new",
        "Mon scénario",
        "--discipline",
        "svt",
        "--niveau",
        "5e",
        "--academie",
        "Nantes",
    ];
    assert!(vitrine(site.path(), &args).status.success());
    let file = site.path().join("content/scenarios/svt/mon-scenario.md");
    fs::write(&file, "déjà écrit").expect("edit");

    let again = vitrine(site.path(), &args);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("existe déjà"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(fs::read_to_string(&file).expect("file"), "déjà écrit");

    // Same slug in another discipline folder: refused too.
    let other = vitrine(
        site.path(),
        &["new", "Mon scénario", "--discipline", "maths"],
    );
    assert!(!other.status.success());

    let typo = vitrine(site.path(), &["new", "Un autre", "--discipline", "mahts"]);
    assert!(!typo.status.success());
    assert!(
        text(&typo.stderr).contains("Mathématiques"),
        "{}",
        text(&typo.stderr)
    );
    assert!(!site.path().join("content/scenarios/un-autre.md").exists());

    let empty = vitrine(site.path(), &["new", "« ! »"]);
    assert!(!empty.status.success());
    assert!(text(&empty.stderr).contains("titre"));
}

#[test]
fn the_site_academie_is_the_default() {
    let site = common::demo_site();
    let config = site.path().join("vitrine.yaml");
    let mut yaml = fs::read_to_string(&config).expect("config");
    yaml.push_str("\nacademie: ac-lyon\n");
    fs::write(&config, yaml).expect("config");
    let out = vitrine(
        site.path(),
        &[
            "new",
            "Sans académie",
            "--discipline",
            "svt",
            "--niveau",
            "5e",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = fs::read_to_string(site.path().join("content/scenarios/svt/sans-academie.md"))
        .expect("file");
    assert!(written.contains("academie: \"Lyon\""), "{written}");
    assert!(vitrine(site.path(), &["build", "--drafts"])
        .status
        .success());
}
