//! Every message a user can meet is French: each error fixture and hostile case is run through
//! the real program, and its whole output is scanned for English words that libraries and the
//! operating system use (« found », « expected », « os error »…).

mod common;

use std::fs;
use std::path::Path;

use common::{english_words, fixture_site, repo_root, vitrine_in};

/// Runs `vitrine args…` in `root` and returns everything it printed.
fn printed(root: &Path, args: &[&str]) -> String {
    let out = vitrine_in(root).args(args).output().expect("vitrine runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every fixture of tests/fixtures (one per class of error), through `check` and `build`.
#[test]
fn every_error_fixture_speaks_french() {
    let fixtures = repo_root().join("tests/fixtures");
    let mut names: Vec<String> = fs::read_dir(&fixtures)
        .expect("fixtures")
        .filter_map(Result::ok)
        // Fixture sites are folders; data files beside them (query sets) are not sites.
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "_base")
        .collect();
    names.sort();
    assert!(names.len() >= 15, "{names:?}");
    let mut problems = Vec::new();
    for name in &names {
        let site = fixture_site(&[name]);
        for args in [&["check"][..], &["check", "--format", "json"], &["build"]] {
            let text = printed(site.path(), args);
            // A failed build names the file first, like a compiler.
            let located = text.contains(".md:") || text.contains(".yaml:");
            if args == ["build"] && text.contains(" : erreur") && !located {
                problems.push(format!(
                    "{name} (build) : erreur sans fichier ni ligne :\n{text}"
                ));
            }
            // JSON keys are a format, not words for people: only the messages are read.
            let text = if args.contains(&"json") {
                json_messages(&text)
            } else {
                text
            };
            problems.extend(
                english_words(&text)
                    .into_iter()
                    .map(|w| format!("{name} ({}) : {w}", args.join(" "))),
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The `message` and `suggestion` strings of `vitrine check --format json`.
fn json_messages(text: &str) -> String {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return text.to_string();
    };
    let mut out = String::new();
    collect_messages(&value, &mut out);
    out
}

fn collect_messages(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("message" | "suggestion", serde_json::Value::String(s)) => {
                        out.push_str(s);
                        out.push('\n');
                    }
                    _ => collect_messages(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_messages(v, out)),
        _ => {}
    }
}

/// What a webmaster or a referent can do wrong around the files: outputs over the sources, a
/// file as output, a foreign folder, a mistyped option, a missing site.
#[test]
fn hostile_commands_speak_french() {
    let site = fixture_site(&[]);
    let root = site.path();
    fs::write(root.join("notes.txt"), "notes").expect("file");
    fs::create_dir_all(root.join("mes-documents")).expect("folder");
    fs::write(root.join("mes-documents/a.odt"), "a").expect("file");
    let cases: &[&[&str]] = &[
        &["build", "--output", "content"],
        &["build", "--output", "."],
        &["build", "--output", ".."],
        &["build", "--output", "themes"],
        &["build", "--output", "notes.txt"],
        &["build", "--output", "mes-documents"],
        &["build", "--outptu", "public"],
        &["build", "--jobs", "0"],
        &["construire"],
        &["check", "--root", "n-existe-pas"],
        &["build", "--root", "n-existe-pas"],
        &["search", "--root", "n-existe-pas", "fractions"],
        &["search", "--niveau", "BTS", "fractions"],
    ];
    let mut problems = Vec::new();
    for args in cases {
        let text = printed(root, args);
        assert!(!text.trim().is_empty(), "{args:?} printed nothing");
        problems.extend(
            english_words(&text)
                .into_iter()
                .map(|w| format!("{} : {w}", args.join(" "))),
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The base scenario mangled the ways a hurried referent or a broken editor would: cut short
/// anywhere, a hostile snippet at the start of each line. No panic, and every message French.
#[test]
fn mangled_scenarios_never_panic_and_speak_french() {
    let site = fixture_site(&[]);
    let file = site.path().join("content/scenarios/valide.md");
    let original = fs::read_to_string(&file).expect("base scenario");
    let mut variants: Vec<String> = original
        .char_indices()
        .map(|(i, _)| i)
        .step_by(11)
        .map(|i| original[..i].to_string())
        .collect();
    let snippets = [
        "\t",
        "'",
        "\"",
        "« ",
        ": ",
        "- ",
        "[",
        "{",
        "&a ",
        "*a ",
        "!!binary ",
        "? ",
        "%YAML 1.2\n",
        "\u{feff}",
        "\u{0}",
        "|\n",
        ">-\n",
        "---\n",
        "   ",
    ];
    let lines: Vec<&str> = original.lines().collect();
    for (n, _) in lines.iter().enumerate().take(16) {
        for snippet in snippets {
            let mut mangled = lines.clone();
            let line = format!("{snippet}{}", lines[n]);
            mangled[n] = &line;
            variants.push(mangled.join("\n"));
        }
    }
    let mut problems = Vec::new();
    for variant in &variants {
        fs::write(&file, variant).expect("write variant");
        let Err(diagnostics) = vitrine::site::prepare(
            &vitrine::site::BuildOptions::new(site.path()),
            &vitrine::site::Silent,
        ) else {
            continue;
        };
        for d in diagnostics {
            let text = d.to_string();
            problems.extend(english_words(&text).into_iter().map(|w| {
                let start: String = variant.chars().take(60).collect();
                format!("{w}\n    (fichier commençant par {start:?})")
            }));
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
