//! `vitrine check --format gitlab`: the GitLab Code Quality report of the real program, its
//! fields, fingerprints unique and stable from one run to the next, paths from the
//! repository's root, and the exit code of `check` unchanged.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

/// A scenario with the same broken link on two lines, and an image without description.
const BROKEN: &str = "---
titre: Des liens cassés
resume: Deux liens vers une page absente.
date: 2025-03-14
academie: Lyon
disciplines: [Mathématiques]
niveaux: [5e]
competences_numeriques: [\"3.1\"]
---

Voir [la fiche](absente.md).

Revoir [la fiche](absente.md).

![](schema.png)
";

fn gitlab_report(root: &Path, args: &[&str]) -> (Vec<Value>, Option<i32>) {
    let output = common::vitrine_in(root)
        .args(["check", "--format", "gitlab"])
        .args(args)
        .output()
        .expect("run vitrine check");
    let text = if args.contains(&"--sortie") {
        std::fs::read_to_string(root.join("gl-code-quality-report.json")).expect("report file")
    } else {
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let report: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let issues = report.as_array().expect("a JSON array").clone();
    (issues, output.status.code())
}

fn site_with_errors() -> tempfile::TempDir {
    let site = common::fixture_site(&[]);
    std::fs::write(site.path().join("content/scenarios/liens.md"), BROKEN).expect("write");
    site
}

fn fingerprints(issues: &[Value]) -> Vec<String> {
    issues
        .iter()
        .map(|i| i["fingerprint"].as_str().expect("fingerprint").to_string())
        .collect()
}

#[test]
fn errors_are_major_with_their_place_and_distinct_fingerprints() {
    let site = site_with_errors();
    let (issues, code) = gitlab_report(site.path(), &[]);
    assert_eq!(code, Some(1), "errors still fail the job");
    assert!(issues.len() >= 3, "{issues:#?}");
    let links: Vec<&Value> = issues
        .iter()
        .filter(|i| {
            i["check_name"] == "lien-casse"
                && i["description"]
                    .as_str()
                    .is_some_and(|d| d.contains("absente.md"))
        })
        .collect();
    assert_eq!(links.len(), 2, "{issues:#?}");
    assert_eq!(links[0]["description"], links[1]["description"]);
    let lines: Vec<u64> = links
        .iter()
        .map(|i| i["location"]["lines"]["begin"].as_u64().expect("line"))
        .collect();
    assert_eq!(lines, [11, 13]);
    for issue in &issues {
        assert_eq!(issue["severity"], "major", "{issue}");
        assert_eq!(issue["location"]["path"], "content/scenarios/liens.md");
        assert!(issue["location"]["lines"]["begin"].as_u64() >= Some(1));
        let description = issue["description"].as_str().expect("description");
        assert!(!description.is_empty());
        common::assert_french(description);
        assert!(issue["check_name"].as_str().is_some_and(|c| !c.is_empty()));
    }
    assert!(issues
        .iter()
        .any(|i| i["check_name"] == "texte-alternatif-manquant"));
    let unique: BTreeSet<String> = fingerprints(&issues).into_iter().collect();
    assert_eq!(unique.len(), issues.len(), "{issues:#?}");
}

#[test]
fn fingerprints_are_the_same_from_one_run_to_the_next() {
    let site = site_with_errors();
    let (first, _) = gitlab_report(site.path(), &[]);
    let (second, code) = gitlab_report(site.path(), &["--sortie", "gl-code-quality-report.json"]);
    assert_eq!(code, Some(1));
    assert_eq!(fingerprints(&first), fingerprints(&second));
    assert_eq!(first, second);
}

#[test]
fn warnings_are_minor_and_do_not_fail() {
    // The fixture's scenario without CRCN competence: one warning.
    let site = common::fixture_site(&[]);
    let scenario = site.path().join("content/scenarios/valide.md");
    let text = std::fs::read_to_string(&scenario).expect("scenario");
    std::fs::write(
        &scenario,
        text.replace("competences_numeriques: [\"3.1\"]\n", ""),
    )
    .expect("write");
    let (issues, code) = gitlab_report(site.path(), &[]);
    assert_eq!(code, Some(0));
    assert_eq!(issues.len(), 1, "{issues:#?}");
    assert_eq!(issues[0]["severity"], "minor");
    assert_eq!(issues[0]["check_name"], "sans-competence-numerique");
    assert_eq!(issues[0]["location"]["path"], "content/scenarios/valide.md");
    let (_, strict) = gitlab_report(site.path(), &["--strict"]);
    assert_eq!(strict, Some(1));
}

#[test]
fn paths_start_at_the_repository_root() {
    let repo = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(repo.path().join(".git")).expect(".git");
    let site = repo.path().join("vitrine");
    common::copy_dir(site_with_errors().path(), &site);
    let (issues, _) = gitlab_report(repo.path(), &["--root", "vitrine"]);
    assert!(!issues.is_empty());
    for issue in &issues {
        assert_eq!(
            issue["location"]["path"],
            "vitrine/content/scenarios/liens.md"
        );
    }
}

#[test]
fn a_clean_site_gives_an_empty_report() {
    let site = common::fixture_site(&[]);
    let (issues, code) = gitlab_report(site.path(), &[]);
    assert_eq!(code, Some(0));
    assert!(issues.is_empty());
}

#[test]
fn the_quality_job_of_the_deployment_kit_writes_the_report_it_declares() {
    let dir = tempfile::tempdir().expect("temp dir");
    let status = common::vitrine_in(dir.path())
        .args(["init", "site"])
        .output()
        .expect("vitrine init runs")
        .status;
    assert!(status.success());
    let site = dir.path().join("site");
    let text = std::fs::read_to_string(site.join("deploiement/gitlab-ci.yml")).expect("CI file");
    let ci: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    let job = &ci["qualite"];
    let report = job["artifacts"]["reports"]["codequality"]
        .as_str()
        .expect("a codequality report");
    assert_eq!(job["artifacts"]["when"].as_str(), Some("always"));
    let script = job["script"][0].as_str().expect("a command");
    let bin = Path::new(env!("CARGO_BIN_EXE_vitrine"))
        .parent()
        .expect("bin dir");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = std::process::Command::new("sh")
        .args(["-c", script])
        .current_dir(&site)
        .env("PATH", &path)
        .output()
        .expect("sh runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join(report)).expect("report"))
            .expect("JSON");
    assert!(written.is_array(), "{written}");
}
