//! `vitrine new` in a terminal: the real binary driven in a pseudo-terminal answers its French
//! questions (a typo corrected by choosing a suggestion, a completion with Tab), and the file it
//! writes passes `vitrine check` and, once written and out of draft, `vitrine build`. Without a
//! terminal it asks nothing.
//!
//! Every step waits for a text on the screen; the timeout only guards against a hang.
#![cfg(unix)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use rexpect::process::WaitStatus;
use rexpect::session::{spawn_with_options, Options, PtySession};

/// Only a guard: every step waits for a text, never for a duration.
const HANG_GUARD_MS: u64 = 60_000;
const DOWN: &str = "\x1b[B";
const TAB: &str = "\t";
const ENTER: &str = "\r";
const ESC: &str = "\x1b";

fn spawn_new(root: &Path, args: &[&str]) -> PtySession {
    spawn_new_with(root, args, |_| {})
}

/// [`spawn_new`] with a change to the command, such as a pipe for its standard input.
fn spawn_new_with(root: &Path, args: &[&str], change: impl FnOnce(&mut Command)) -> PtySession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vitrine"));
    command
        .arg("new")
        .args(args)
        .current_dir(root)
        // A known size: a pseudo-terminal starts with none.
        .env("COLUMNS", "120")
        .env("LINES", "40")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    change(&mut command);
    let options = Options::new()
        .timeout_ms(Some(HANG_GUARD_MS))
        .strip_ansi_escape_codes(true);
    spawn_with_options(command, options).expect("vitrine new starts in a pseudo-terminal")
}

/// Waits for `text` on the screen, with what was shown so far on failure.
fn expect(session: &mut PtySession, text: &str) {
    // rexpect reads the screen byte by byte, each byte as one char: the UTF-8 bytes of
    // `text` are looked for the same way.
    let as_read: String = text.bytes().map(char::from).collect();
    if let Err(e) = session.exp_string(&as_read) {
        panic!("« {text} » never appeared: {e}");
    }
}

fn send(session: &mut PtySession, keys: &str) {
    session.send(keys).expect("keys sent");
    session.flush().expect("keys flushed");
}

fn exit_code(session: &mut PtySession) -> i32 {
    session.exp_eof().expect("vitrine new ends");
    match session.process().wait().expect("exit status") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("vitrine new did not exit normally: {other:?}"),
    }
}

fn run(root: &Path, args: &[&str]) -> Output {
    common::vitrine_in(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("vitrine runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The session says it cancelled, in French, exits 1, and the site's scenarios are `before`.
fn assert_cancelled(session: &mut PtySession, root: &Path, before: &[PathBuf]) {
    expect(session, "Création annulée : aucun fichier n'a été écrit.");
    assert_eq!(exit_code(session), 1);
    assert_eq!(scenario_files(root), before);
}

fn scenario_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root.join("content/scenarios"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// Answers every question of `vitrine new` as a referent would.
fn answer_questions(session: &mut PtySession) {
    expect(session, "Titre du scénario :");
    send(session, "Débattre à l'oral");
    send(session, ENTER);

    // A typo: refused with the closest values, then corrected by choosing the suggestion.
    expect(session, "Discipline(s) :");
    send(session, "mahts");
    expect(session, "Mathématiques");
    send(session, ENTER);
    // The message goes on with the closest values, wrapped to the terminal's width.
    expect(session, "« mahts » n'est pas dans la liste (disciplines)");
    send(session, DOWN);
    send(session, ENTER);

    // Completions: « six » then « cinq », each completed with Tab.
    expect(session, "Niveau(x) :");
    send(session, "six");
    expect(session, "6e — Sixième");
    send(session, TAB);
    send(session, ", cinq");
    expect(session, "6e — Sixième, 5e — Cinquième");
    send(session, TAB);
    send(session, ENTER);

    expect(session, "Académie :");
    send(session, "lyon");
    send(session, ENTER);
    expect(session, "Type(s) :");
    send(session, "séquence");
    send(session, ENTER);
    expect(session, "Modalité(s) :");
    send(session, ENTER);
    expect(session, "Résumé, en deux ou trois phrases :");
    send(
        session,
        "Les élèves débattent à l'oral d'une question scientifique.",
    );
    send(session, ENTER);
    expect(session, "Votre prénom et votre nom :");
    send(session, "Claire Martin");
    send(session, ENTER);
}

/// What a referent does next: writes the body and removes `brouillon: true`.
fn finish_and_publish(file: &Path) {
    let written = fs::read_to_string(file).expect("scenario");
    let published: String = written
        .lines()
        .filter(|line| *line != "brouillon: true")
        .map(|line| {
            if line.starts_with("À compléter") || line.starts_with("- À compléter") {
                line.replace("À compléter", "Les élèves préparent leurs arguments")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        !published.contains("À compléter"),
        "only the body was left to write: {published}"
    );
    fs::write(file, published + "\n").expect("scenario edited");
}

#[test]
fn answering_the_questions_writes_a_scenario_that_checks_and_publishes() {
    let site = common::fixture_site(&[]);
    let mut session = spawn_new(site.path(), &[]);
    answer_questions(&mut session);
    expect(&mut session, "Scénario créé : ");
    assert_eq!(exit_code(&mut session), 0);

    let file = site
        .path()
        .join("content/scenarios/mathematiques/debattre-a-l-oral.md");
    let written = fs::read_to_string(&file).expect("scenario written where announced");
    for line in [
        "titre: \"Débattre à l'oral\"",
        "academie: \"Lyon\"",
        "disciplines: [\"Mathématiques\"]",
        "niveaux: [\"Sixième\", \"Cinquième\"]",
        "types: [\"Scénario pédagogique\"]",
        "# modalites: [en groupe]",
        "resume: \"Les élèves débattent à l'oral d'une question scientifique.\"",
        "  - nom: \"Claire Martin\"",
        "brouillon: true",
    ] {
        assert!(
            written.lines().any(|l| l.starts_with(line)),
            "missing « {line} » in:\n{written}"
        );
    }

    let check = run(site.path(), &["check"]);
    assert!(
        check.status.success(),
        "{}{}",
        text(&check.stdout),
        text(&check.stderr)
    );

    finish_and_publish(&file);
    let build = run(site.path(), &["build"]);
    assert!(build.status.success(), "{}", text(&build.stderr));
    let page = site
        .path()
        .join("public/scenarios/debattre-a-l-oral/index.html");
    let html = fs::read_to_string(&page).expect("the scenario is published");
    assert!(html.contains("Claire Martin"));
}

#[test]
fn escape_cancels_in_french_and_writes_nothing() {
    let site = common::fixture_site(&[]);
    let before = scenario_files(site.path());
    let mut session = spawn_new(site.path(), &["Un scénario abandonné"]);
    expect(&mut session, "Discipline(s) :");
    send(&mut session, "maths");
    expect(&mut session, "Mathématiques");
    send(&mut session, ENTER);
    expect(&mut session, "Niveau(x) :");
    send(&mut session, ESC);
    assert_cancelled(&mut session, site.path(), &before);
}

#[test]
fn ctrl_c_cancels_in_french_and_writes_nothing() {
    let site = common::fixture_site(&[]);
    let before = scenario_files(site.path());
    let mut session = spawn_new(site.path(), &[]);
    expect(&mut session, "Titre du scénario :");
    send(&mut session, "Interrompu");
    session.send_control('c').expect("Ctrl-C sent");
    assert_cancelled(&mut session, site.path(), &before);
}

#[test]
fn options_in_a_terminal_ask_nothing() {
    let site = common::fixture_site(&[]);
    let mut session = spawn_new(
        site.path(),
        &["Avec options", "--discipline", "svt", "--niveau", "4e"],
    );
    expect(
        &mut session,
        "À compléter avant de publier : academie, resume, auteurs.",
    );
    assert_eq!(exit_code(&mut session), 0);
    let written = fs::read_to_string(site.path().join("content/scenarios/svt/avec-options.md"))
        .expect("draft written");
    assert!(
        written.contains("academie: \"\"   # À COMPLÉTER"),
        "{written}"
    );
}

#[test]
fn without_a_terminal_the_placeholder_draft_is_written_without_waiting() {
    let site = common::fixture_site(&[]);
    // stdin is an empty pipe: a question would read end-of-file or block.
    let out = common::vitrine_in(site.path())
        .args(["new", "Sans terminal"])
        .stdin(Stdio::piped())
        .output()
        .expect("vitrine runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "À compléter avant de publier : disciplines, niveaux, academie, resume, auteurs."
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("Titre du scénario"), "{stdout}");
    let written = fs::read_to_string(site.path().join("content/scenarios/sans-terminal.md"))
        .expect("draft written");
    assert!(
        written.contains("disciplines: []   # À COMPLÉTER"),
        "{written}"
    );
    assert!(written.contains("resume: \"À compléter : "), "{written}");
    assert!(written.contains("brouillon: true"), "{written}");

    // No title and nobody to ask: a French usage error, nothing written.
    let before = scenario_files(site.path());
    let out = run(site.path(), &["new"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("il manque le titre du scénario"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(scenario_files(site.path()), before);
}

#[test]
fn the_non_interactive_option_asks_nothing_in_a_terminal() {
    let site = common::fixture_site(&[]);
    let mut session = spawn_new(site.path(), &["Brouillon vide", "--non-interactif"]);
    expect(&mut session, "Scénario créé : ");
    assert_eq!(exit_code(&mut session), 0);
    assert!(site
        .path()
        .join("content/scenarios/brouillon-vide.md")
        .exists());
}

#[test]
fn a_pipe_on_stdin_in_a_terminal_asks_nothing() {
    let site = common::fixture_site(&[]);
    // Output to the terminal, input from a pipe (`echo | vitrine new …`): nobody can answer.
    let mut session = spawn_new_with(site.path(), &["Depuis un tube"], |command| {
        command.stdin(Stdio::null());
    });
    expect(
        &mut session,
        "À compléter avant de publier : disciplines, niveaux, academie, resume, auteurs.",
    );
    assert_eq!(exit_code(&mut session), 0);
    assert!(site
        .path()
        .join("content/scenarios/depuis-un-tube.md")
        .exists());
}

#[test]
fn a_taken_title_is_refused_before_the_other_questions() {
    let site = common::fixture_site(&[]);
    let before = scenario_files(site.path());
    // The base site has content/scenarios/valide.md.
    let mut session = spawn_new(site.path(), &["Valide"]);
    expect(
        &mut session,
        "un scénario « valide » existe déjà : rien n'a été écrit",
    );
    assert_eq!(exit_code(&mut session), 1);

    let mut session = spawn_new(site.path(), &[]);
    expect(&mut session, "Titre du scénario :");
    send(&mut session, "Valide");
    send(&mut session, ENTER);
    expect(&mut session, "existe déjà : choisissez un autre titre");
    send(&mut session, ESC);
    assert_cancelled(&mut session, site.path(), &before);
}
