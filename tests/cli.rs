//! The command line: French help, summary and quiet mode, check, exit codes.

mod common;

use std::process::{Command, Output};

use common::fixture_site;

fn vitrine(args: &[&str], root: Option<&std::path::Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vitrine"));
    cmd.args(args);
    if let Some(root) = root {
        cmd.arg("--root").arg(root);
    }
    cmd.output().expect("run vitrine")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_is_in_french_for_every_command() {
    for args in [
        vec!["--aide"],
        vec!["--help"],
        vec!["build", "--aide"],
        vec!["check", "--aide"],
        vec!["search", "--aide"],
        vec!["init", "--aide"],
    ] {
        let out = vitrine(&args, None);
        assert!(out.status.success(), "{args:?}");
        let help = text(&out.stdout);
        assert!(help.contains("Utilisation :"), "{args:?}: {help}");
        assert!(help.contains("Affiche l'aide"), "{args:?}: {help}");
        assert!(!help.contains("Print help"), "{args:?}: {help}");
    }
}

#[test]
fn unknown_command_gets_a_suggestion() {
    let out = vitrine(&["biuld"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("vouliez-vous dire « build » ?"));
}

#[test]
fn build_prints_a_summary_and_quiet_prints_nothing() {
    let site = fixture_site(&[]);
    let out = vitrine(&["build"], Some(site.path()));
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Site construit dans"), "{stdout}");
    assert!(stdout.contains("1 scénario,"), "{stdout}");
    assert!(stdout.contains("pages HTML"), "{stdout}");

    let out = vitrine(&["build", "--quiet"], Some(site.path()));
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn check_writes_nothing_and_reports_errors() {
    let site = fixture_site(&[]);
    let out = vitrine(&["check"], Some(site.path()));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Tout est correct"));
    assert!(!site.path().join("public").exists());

    let broken = fixture_site(&["unknown-key"]);
    let out = vitrine(&["check"], Some(broken.path()));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cle-inconnue.md:8:1"));
}

#[test]
fn output_and_drafts_options() {
    let site = fixture_site(&["draft-linked"]);
    let target = site.path().join("ailleurs");
    let out = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["build", "--drafts", "--output"])
        .arg(&target)
        .arg("--root")
        .arg(site.path())
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(target.join("scenarios/brouillon/index.html").is_file());
    assert!(!site.path().join("public").exists());
}

/// Runs vitrine with the read end of its stdout (or stderr) closed before it writes anything,
/// as `vitrine … | head -1` does once `head` has its line: every write meets a broken pipe.
fn with_closed_pipe(args: &[&str], root: &std::path::Path, close_stderr: bool) -> Output {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(args)
        .arg("--root")
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run vitrine");
    if close_stderr {
        drop(child.stderr.take());
    } else {
        drop(child.stdout.take());
    }
    child.wait_with_output().expect("vitrine ends")
}

#[test]
fn a_closed_pipe_ends_search_and_check_quietly() {
    let found = fixture_site(&["search"]);
    let broken = fixture_site(&["unknown-vocabulary"]);
    let cases: [(&[&str], &std::path::Path, bool, i32); 4] = [
        (&["search", "eleve"], found.path(), false, 0),
        (&["search", "eleve", "--json"], found.path(), false, 0),
        (&["check", "--format", "json"], broken.path(), false, 1),
        (&["check"], broken.path(), true, 1),
    ];
    for (args, root, close_stderr, usual) in cases {
        let out = with_closed_pipe(args, root, close_stderr);
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(usual), "{args:?}: {stderr}");
    }
}

#[test]
fn build_says_which_exports_are_not_produced_and_why() {
    let site = fixture_site(&[]);
    let feeds = "flux Atom, plan du site (sitemap.xml) et notices ScoLOMFR non produits : ajoutez base_url dans vitrine.yaml";
    let oai = "entrepôt OAI-PMH (oai.xml) non produit : ajoutez";
    // Built, then found unchanged: both say it.
    for _ in 0..2 {
        let out = vitrine(&["build"], Some(site.path()));
        assert!(out.status.success());
        let stdout = text(&out.stdout);
        assert!(stdout.contains(feeds), "{stdout}");
        assert!(
            stdout.contains(&format!("{oai} base_url et editeur.courriel")),
            "{stdout}"
        );
        assert!(!site.path().join("public/flux.xml").exists());
    }
    let out = vitrine(
        &["build", "--base-url", "https://www.ac-exemple.fr/vitrine/"],
        Some(site.path()),
    );
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("non produits"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "{oai} editeur.courriel (adresse de contact) dans vitrine.yaml."
        )),
        "{stdout}"
    );
    assert!(site.path().join("public/flux.xml").is_file());
    common::assert_french(&stdout);
}

/// A webmaster types the address without « https:// », or with a query: the error names the
/// option (not vitrine.yaml, which may hold a good address), says what is wrong and gives the
/// address meant; nothing is published.
#[test]
fn a_mistyped_base_url_option_is_named_and_corrected() {
    let site = fixture_site(&[]);
    for (typed, meant) in [
        ("www.ac-lyon.fr/vitrine/", "https://www.ac-lyon.fr/vitrine/"),
        (
            "https://www.ac-lyon.fr/vitrine/?page=1",
            "https://www.ac-lyon.fr/vitrine/",
        ),
    ] {
        let out = vitrine(&["build", "--base-url", typed], Some(site.path()));
        assert_eq!(out.status.code(), Some(1), "{typed}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains("option --base-url : erreur"), "{stderr}");
        assert!(!stderr.contains("vitrine.yaml"), "{stderr}");
        assert!(
            stderr.contains(&format!("vouliez-vous dire « {meant} » ?")),
            "{stderr}"
        );
        common::assert_french(&stderr);
        assert!(!site.path().join("public").exists(), "{typed}");
    }
}

/// `--durees` says how many files a build wrote: after one scenario is edited, only the files
/// that changed (far fewer than the site's), which is what the edit-rebuild benchmark reads.
#[test]
fn durations_count_the_files_written_after_an_edit() {
    let site = fixture_site(&[]);
    let written = |out: &Output| -> usize {
        text(&out.stdout)
            .lines()
            .find_map(|l| l.trim().strip_prefix("fichiers écrits : "))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no written count: {}", text(&out.stdout)))
    };
    let first = vitrine(&["build", "--durees"], Some(site.path()));
    assert!(first.status.success(), "{}", text(&first.stderr));
    let all = written(&first);
    // A second build starts from the reserve the first one left.
    let scenario = std::fs::read_dir(site.path().join("content/scenarios"))
        .expect("scenarios")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("a scenario file");
    for sentence in ["Une phrase ajoutée.", "Une autre phrase."] {
        let mut source = std::fs::read_to_string(&scenario).expect("read");
        source.push_str(&format!("\n{sentence}\n"));
        std::fs::write(&scenario, source).expect("edit");
        let again = vitrine(&["build", "--durees"], Some(site.path()));
        assert!(again.status.success(), "{}", text(&again.stderr));
        let edited = written(&again);
        assert!(edited > 0 && edited * 3 < all, "{edited} written of {all}");
        assert!(
            text(&again.stdout).contains("dont scénarios proches"),
            "{}",
            text(&again.stdout)
        );
    }
    // Only the pages change: the index and its related scenarios are taken as they were, and
    // the durations do not show a step that was not done.
    let config = site.path().join("vitrine.yaml");
    let yaml = std::fs::read_to_string(&config).expect("configuration");
    let changed = yaml.replace("description: Site de test.", "description: Autre chose.");
    assert_ne!(yaml, changed, "the fixture's description");
    std::fs::write(&config, changed).expect("configuration changed");
    let pages_only = vitrine(&["build", "--durees"], Some(site.path()));
    let stdout = text(&pages_only.stdout);
    assert!(pages_only.status.success(), "{}", text(&pages_only.stderr));
    assert!(
        stdout.contains("repris de la construction précédente"),
        "{stdout}"
    );
    assert!(!stdout.contains("dont scénarios proches"), "{stdout}");
}

#[test]
fn a_build_started_from_another_folder_keeps_its_caches() {
    // A scheduled build (cron starts in the home folder) after the webmaster's own, both
    // naming the site by its absolute path: nothing to redo.
    let site = fixture_site(&[]);
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let build_from = |dir: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .current_dir(dir)
            .arg("build")
            .arg("--root")
            .arg(site.path())
            .output()
            .expect("run vitrine")
    };
    let first = build_from(site.path());
    assert!(first.status.success(), "{}", text(&first.stderr));
    let again = build_from(elsewhere.path());
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).contains("Rien n'a changé"),
        "{}",
        text(&again.stdout)
    );
}
