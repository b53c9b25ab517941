//! One fixture per error class: each must be reported with its file, line, column, field and
//! suggestion, and the build must write nothing.

mod common;

use std::path::PathBuf;

use common::{build_errors, fixture_site};
use vitrine::diagnostics::{Diagnostic, ErrorKind};

fn only(diagnostics: &[Diagnostic]) -> &Diagnostic {
    assert_eq!(
        diagnostics.len(),
        1,
        "expected one diagnostic: {diagnostics:#?}"
    );
    &diagnostics[0]
}

/// The one YAML mistake of a fixture whose header is read once repaired: its other problems
/// can only be the required keys the fixture leaves out (said in the same run).
fn only_yaml(diagnostics: &[Diagnostic]) -> &Diagnostic {
    let (yaml, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) = diagnostics
        .iter()
        .partition(|d| d.kind == ErrorKind::InvalidYaml);
    assert_eq!(yaml.len(), 1, "expected one YAML mistake: {diagnostics:#?}");
    assert!(
        others.iter().all(|d| d.kind == ErrorKind::MissingField),
        "{diagnostics:#?}"
    );
    yaml[0]
}

fn errors_of(fixture: &str) -> Vec<Diagnostic> {
    let site = fixture_site(&[fixture]);
    let errors = build_errors(site.path());
    assert!(
        !site.path().join("public").exists(),
        "a failed build must not create the output"
    );
    errors
}

#[test]
fn the_base_fixture_builds() {
    let site = fixture_site(&[]);
    let summary = common::build(site.path()).expect("base fixture builds");
    assert_eq!(summary.scenarios, 1);
}

#[test]
fn missing_front_matter() {
    let d = errors_of("missing-front-matter");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::MissingFrontMatter);
    assert_eq!(d.file, PathBuf::from("content/scenarios/sans-entete.md"));
    assert_eq!((d.line, d.column), (1, 1));
    assert!(d.message.contains("---"));
}

#[test]
fn invalid_yaml() {
    let d = errors_of("invalid-yaml");
    let d = only_yaml(&d);
    assert_eq!(d.kind, ErrorKind::InvalidYaml);
    assert_eq!(d.file, PathBuf::from("content/scenarios/yaml-casse.md"));
    assert_eq!(d.line, 3);
    assert!(d.column > 1);
    assert!(d.message.contains("guillemets"), "{}", d.message);
}

#[test]
fn unknown_key_with_suggestion() {
    let d = errors_of("unknown-key");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::UnknownKey);
    assert_eq!((d.line, d.column), (8, 1));
    assert_eq!(d.field.as_deref(), Some("mots_clefs"));
    assert_eq!(d.suggestion.as_deref(), Some("mots_cles"));
}

#[test]
fn missing_required_field() {
    let d = errors_of("missing-field");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::MissingField);
    assert_eq!(d.field.as_deref(), Some("resume"));
    assert_eq!(d.line, 1);
}

#[test]
fn wrong_type() {
    let d = errors_of("wrong-type");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::WrongType);
    assert_eq!(d.field.as_deref(), Some("outils"));
    assert_eq!(d.line, 9);
    assert!(d.message.contains("liste"), "{}", d.message);
}

#[test]
fn invalid_date_suggests_iso() {
    let d = errors_of("invalid-value");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::InvalidValue);
    assert_eq!(d.field.as_deref(), Some("date"));
    assert_eq!((d.line, d.column), (4, 7));
    assert_eq!(d.suggestion.as_deref(), Some("2025-03-14"));
}

#[test]
fn unknown_vocabulary_value_with_suggestion() {
    let d = errors_of("unknown-vocabulary");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::UnknownVocabulary);
    assert_eq!(d.field.as_deref(), Some("disciplines[1]"));
    assert_eq!((d.line, d.column), (8, 5));
    assert_eq!(d.suggestion.as_deref(), Some("Physique-chimie"));
    assert!(
        d.message
            .contains("(liste des valeurs : « vitrine vocabulaires disciplines »)"),
        "{}",
        d.message
    );
    assert!(
        !d.message.contains("dans la documentation"),
        "{}",
        d.message
    );
}

/// « BTS » is close to no level: the message lists the levels (all 20); a discipline close to
/// none lists the first 15 of 28 and names the section where all are.
#[test]
fn unknown_vocabulary_value_without_suggestion_lists_the_values() {
    let errors = errors_of("vocabulaire-sans-suggestion");
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let discipline = &errors[0];
    assert_eq!(discipline.field.as_deref(), Some("disciplines[1]"));
    assert_eq!((discipline.line, discipline.column), (6, 30));
    assert_eq!(discipline.suggestion, None);
    assert!(
        discipline.message.contains("valeurs possibles : ")
            && discipline
                .message
                .contains("… ; 28 en tout, toutes avec « vitrine vocabulaires disciplines »)"),
        "{}",
        discipline.message
    );
    let level = &errors[1];
    assert_eq!(level.field.as_deref(), Some("niveaux[0]"));
    assert_eq!((level.line, level.column), (7, 11));
    assert_eq!(level.suggestion, None);
    assert!(
        level.message.contains(
            "« BTS » pour « niveaux » (valeurs possibles : Toute petite section, Petite section, "
        ),
        "{}",
        level.message
    );
    assert!(
        level.message.ends_with("Terminale professionnelle)"),
        "{}",
        level.message
    );
    for d in &errors {
        assert!(!d.message.contains("documentation"), "{}", d.message);
        assert_french(d);
    }
}

#[test]
fn duplicate_slug() {
    let d = errors_of("duplicate-slug");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::DuplicateSlug);
    assert_eq!(d.file, PathBuf::from("content/scenarios/valide.md"));
    assert!(
        d.message.contains("content/scenarios/autre/valide.md"),
        "{}",
        d.message
    );
}

#[test]
fn draft_linked_from_a_published_page() {
    let d = errors_of("draft-linked");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::DraftLinked);
    assert_eq!(d.file, PathBuf::from("content/scenarios/lien-brouillon.md"));
    assert_eq!((d.line, d.column), (9, 12));
}

#[test]
fn draft_link_is_fine_when_drafts_are_built() {
    let site = fixture_site(&["draft-linked"]);
    let mut options = vitrine::site::BuildOptions::new(site.path());
    options.drafts = true;
    let summary = common::build_with(options).expect("drafts included");
    assert_eq!(summary.scenarios, 3);
}

#[test]
fn unsafe_path() {
    let d = errors_of("unsafe-path");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::UnsafePath);
    assert_eq!(d.line, 9);
}

#[test]
fn broken_link_with_suggestion() {
    let d = errors_of("broken-link");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::BrokenLink);
    assert_eq!((d.line, d.column), (11, 6));
    assert_eq!(d.suggestion.as_deref(), Some("valide.md"));
}

#[test]
fn missing_alt_text() {
    let d = errors_of("missing-alt");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::MissingAlt);
    assert_eq!(d.field.as_deref(), Some("vignette"));
    assert_eq!(
        d.file,
        PathBuf::from("content/scenarios/avec-image/index.md")
    );
    assert_eq!(d.line, 8);
}

#[test]
fn config_error_with_suggestion() {
    let d = errors_of("config-error");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::Config);
    assert_eq!(d.file, PathBuf::from("vitrine.yaml"));
    assert_eq!(d.line, 2);
    assert_eq!(d.suggestion.as_deref(), Some("scenarios_par_page"));
}

/// Every problem of every file is reported in a single run.
#[test]
fn all_problems_in_one_pass() {
    let fixtures = [
        "missing-front-matter",
        "invalid-yaml",
        "unknown-key",
        "missing-field",
        "wrong-type",
        "invalid-value",
        "unknown-vocabulary",
        "duplicate-slug",
        "unsafe-path",
        "missing-alt",
    ];
    let site = fixture_site(&fixtures);
    let errors = build_errors(site.path());
    let kinds: std::collections::BTreeSet<ErrorKind> = errors.iter().map(|d| d.kind).collect();
    for kind in [
        ErrorKind::MissingFrontMatter,
        ErrorKind::InvalidYaml,
        ErrorKind::UnknownKey,
        ErrorKind::MissingField,
        ErrorKind::WrongType,
        ErrorKind::InvalidValue,
        ErrorKind::UnknownVocabulary,
        ErrorKind::DuplicateSlug,
        ErrorKind::MissingAlt,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} missing from {errors:#?}");
    }
}

/// The CLI prints French diagnostics as `file:line:column` and exits non-zero.
#[test]
fn cli_reports_errors_and_fails() {
    let site = fixture_site(&["unknown-vocabulary"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .expect("run vitrine");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/scenarios/discipline-inconnue.md:8:5"),
        "{stderr}"
    );
    assert!(
        stderr.contains("vouliez-vous dire « Physique-chimie » ?"),
        "{stderr}"
    );
    // Nothing was ever published there: the message says so, not « intact ».
    assert!(stderr.contains("Rien n'a été publié"), "{stderr}");
    assert!(stderr.contains("n'existe pas encore"), "{stderr}");
}

/// A site extends a vocabulary in its configuration; a clash with a built-in spelling is an error.
#[test]
fn site_vocabulary_extension_and_clash() {
    let site = fixture_site(&[]);
    let config = site.path().join("vitrine.yaml");
    std::fs::write(
        &config,
        "titre: T\nvocabulaires:\n  disciplines:\n    - cle: breton\n      libelle: Breton\n      alias: [langue bretonne]\n",
    )
    .expect("config");
    let scenario = site.path().join("content/scenarios/valide.md");
    let text = std::fs::read_to_string(&scenario).expect("scenario");
    std::fs::write(
        &scenario,
        text.replace("[Mathématiques]", "[langue bretonne]"),
    )
    .expect("write");
    common::build(site.path()).expect("extended vocabulary builds");
    assert!(site
        .path()
        .join("public/disciplines/breton/index.html")
        .is_file());

    std::fs::write(
        &config,
        "titre: T\nvocabulaires:\n  disciplines:\n    - cle: breton\n      libelle: Breton\n      alias: [maths]\n",
    )
    .expect("config");
    let errors = build_errors(site.path());
    assert!(
        errors
            .iter()
            .any(|d| d.kind == ErrorKind::Config && d.message.contains("maths")),
        "{errors:#?}"
    );
}

fn assert_french(d: &Diagnostic) {
    common::assert_french(&d.message);
}

/// A file saved by Notepad in « ANSI »: its first « é » is located, with how to re-save it.
#[test]
fn windows_1252_file_is_located_with_advice() {
    let d = errors_of("encodage-windows-1252");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::Encoding);
    assert_eq!(
        d.file,
        PathBuf::from("content/scenarios/enregistre-en-ansi.md")
    );
    // « resume: Les » then 0xE9: line 3, the 13th character.
    assert_eq!((d.line, d.column), (3, 13));
    for advice in [
        "UTF-8",
        "« é »",
        "Bloc-notes",
        "LibreOffice",
        "Notepad++ : « Encodage → Convertir en UTF-8 »",
        "VS Code",
        "Enregistrer avec l'encodage",
    ] {
        assert!(d.message.contains(advice), "{advice}: {}", d.message);
    }
    assert_french(d);
}

#[test]
fn windows_1252_configuration_is_located() {
    let site = fixture_site(&[]);
    std::fs::write(
        site.path().join("vitrine.yaml"),
        b"titre: Vitrine de test\ndescription: Acad\xE9mie\n",
    )
    .expect("config");
    let d = build_errors(site.path());
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::Encoding);
    assert_eq!(d.file, PathBuf::from("vitrine.yaml"));
    // « description: Acad » then 0xE9: the 18th character.
    assert_eq!((d.line, d.column), (2, 18));
    assert_french(d);
}

#[test]
fn tab_indentation_says_to_use_spaces() {
    let d = errors_of("yaml-tabulation");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::InvalidYaml);
    assert_eq!(d.file, PathBuf::from("content/scenarios/tabulation.md"));
    assert_eq!((d.line, d.column), (9, 1));
    assert!(
        d.message
            .contains("remplacez la tabulation par des espaces"),
        "{}",
        d.message
    );
    assert_french(d);
}

#[test]
fn apostrophe_in_single_quotes_says_how_to_quote() {
    let d = errors_of("yaml-apostrophe");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::InvalidYaml);
    assert_eq!(d.file, PathBuf::from("content/scenarios/apostrophe.md"));
    assert_eq!((d.line, d.column), (2, 8));
    assert!(
        d.message.contains("« \"L'eau dans tous ses états\" »"),
        "{}",
        d.message
    );
    assert!(
        d.message.contains("« 'L''eau dans tous ses états' »"),
        "{}",
        d.message
    );
    assert_french(d);
}

/// `-<Tab>nom: A`: the tab separates the dash from the value; the fix is a space, not quotes.
#[test]
fn tab_after_a_dash_says_to_use_a_space() {
    let d = errors_of("yaml-tabulation-tiret");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::InvalidYaml);
    assert_eq!(
        d.file,
        PathBuf::from("content/scenarios/tabulation-tiret.md")
    );
    assert_eq!((d.line, d.column), (9, 4));
    assert!(
        d.message.contains("remplacez la tabulation par une espace"),
        "{}",
        d.message
    );
    assert!(!d.message.contains("guillemets"), "{}", d.message);
    assert_french(d);
}

/// An apostrophe on the second line of a value in apostrophes spread over two lines.
#[test]
fn apostrophe_in_a_multiline_single_quoted_value_says_how_to_quote() {
    let d = errors_of("yaml-apostrophe-multiligne");
    let d = only_yaml(&d);
    assert_eq!(d.kind, ErrorKind::InvalidYaml);
    assert_eq!(
        d.file,
        PathBuf::from("content/scenarios/apostrophe-multiligne.md")
    );
    assert_eq!((d.line, d.column), (3, 9));
    assert!(
        d.message
            .contains("« \"Une séance sur l'eau et ses états\" »"),
        "{}",
        d.message
    );
    assert!(!d.message.contains("indentation"), "{}", d.message);
    assert_french(d);
}

/// `[lecture, 'l'oral', écriture]`: the item, not the brackets, is what to fix.
#[test]
fn apostrophe_in_a_bracket_list_item_says_how_to_quote() {
    let d = errors_of("yaml-apostrophe-liste");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::InvalidYaml);
    assert_eq!(
        d.file,
        PathBuf::from("content/scenarios/apostrophe-liste.md")
    );
    assert_eq!((d.line, d.column), (8, 22));
    assert!(d.message.contains("« \"l'oral\" »"), "{}", d.message);
    assert!(d.message.contains("« 'l''oral' »"), "{}", d.message);
    assert_french(d);
}

#[test]
fn configuration_yaml_errors_are_french_and_located() {
    let site = fixture_site(&[]);
    let config = site.path().join("vitrine.yaml");
    for (yaml, line, column, advice) in [
        ("titre: T\n\tdescription: D\n", 2, 1, "tabulation"),
        ("titre: 'L'académie'\n", 1, 8, "guillemets droits"),
        (
            "titre: T\nscenarios_par_page: beaucoup\n",
            2,
            21,
            "nombre entier",
        ),
        ("titre: T\ndescription: \"sans fin\n", 2, 14, "jamais fermé"),
    ] {
        std::fs::write(&config, yaml).expect("config");
        let d = build_errors(site.path());
        let d = only(&d);
        assert_eq!(d.kind, ErrorKind::Config, "{yaml}");
        assert_eq!(d.file, PathBuf::from("vitrine.yaml"));
        assert_eq!((d.line, d.column), (line, column), "{yaml}: {}", d.message);
        assert!(d.message.contains(advice), "{yaml}: {}", d.message);
        assert_french(d);
    }
}

/// YAML, header and body problems of several files come in one run, sorted by file and line.
#[test]
fn yaml_header_and_body_problems_come_in_one_run() {
    let d = errors_of("un-passage");
    let yaml = PathBuf::from("content/scenarios/yaml-casse-et-lien.md");
    let header = PathBuf::from("content/scenarios/entete-et-lien.md");
    let kinds = |file: &PathBuf| -> Vec<ErrorKind> {
        d.iter()
            .filter(|x| &x.file == file)
            .map(|x| x.kind)
            .collect()
    };
    // The header is read once its bracket is closed: the four keys it lacks come too.
    let missing = ErrorKind::MissingField;
    assert_eq!(
        kinds(&yaml),
        [
            missing,
            missing,
            missing,
            missing,
            ErrorKind::InvalidYaml,
            ErrorKind::BrokenLink
        ],
        "{d:#?}"
    );
    assert_eq!(
        kinds(&header),
        [
            ErrorKind::UnknownVocabulary,
            ErrorKind::BrokenLink,
            ErrorKind::BrokenAnchor
        ],
        "{d:#?}"
    );
    let link = d
        .iter()
        .find(|x| x.file == yaml && x.kind == ErrorKind::BrokenLink);
    assert_eq!(link.map(|l| (l.line, l.column)), Some((6, 6)), "{d:#?}");
    let places: Vec<_> = d.iter().map(|x| (&x.file, x.line, x.column)).collect();
    let mut sorted = places.clone();
    sorted.sort();
    assert_eq!(places, sorted);
}

/// A pandoc-style fragment (accents, capitals, apostrophes kept) names the heading: accepted,
/// and published as the heading's id so that the link works.
#[test]
fn pandoc_style_anchors_are_published_as_the_heading_id() {
    let site = fixture_site(&["ancre-pandoc"]);
    common::build(site.path()).expect("pandoc anchors build");
    let page = |slug: &str| {
        std::fs::read_to_string(
            site.path()
                .join(format!("public/scenarios/{slug}/index.html")),
        )
        .expect("page")
    };
    let own = page("recursivite");
    assert!(own.contains("id=\"recursivite\""), "{own}");
    assert!(own.contains("href=\"#recursivite\""), "{own}");
    assert!(own.contains("href=\"#l-eau-c-est-quoi\""), "{own}");
    assert!(
        !own.contains("#r%C3%A9") && !own.contains("#R%C3%A9"),
        "{own}"
    );
    assert!(page("renvoi").contains("/recursivite/#recursivite\""));
}

#[test]
fn a_link_to_a_folder_is_not_said_missing() {
    let d = errors_of("lien-dossier");
    let d = only(&d);
    assert_eq!(d.kind, ErrorKind::BrokenLink);
    assert!(d.message.contains("« sequence/ » est un dossier"), "{d:?}");
    assert!(!d.message.contains("n'existe pas"), "{d:?}");
    assert_eq!(d.suggestion.as_deref(), Some("sequence/seance-1.md"));
    assert_eq!((d.line, d.column), (20, 50), "{d:?}");
}

/// An unfinished draft is reported as a warning and the published scenarios are built.
#[test]
fn an_invalid_draft_does_not_stop_the_build() {
    let site = fixture_site(&["brouillon-invalide"]);
    let summary = common::build(site.path()).expect("the draft must not block the build");
    assert_eq!(summary.scenarios, 1);
    let draft = PathBuf::from("content/scenarios/brouillon-inacheve.md");
    let valid_draft = PathBuf::from("content/scenarios/brouillon-valide.md");
    let warned = |file: &PathBuf, kind: ErrorKind| {
        summary
            .warnings
            .iter()
            .filter(|w| &w.file == file && w.kind == kind)
            .count()
    };
    let all = &summary.warnings;
    assert_eq!(warned(&draft, ErrorKind::UnknownVocabulary), 1, "{all:#?}");
    assert_eq!(warned(&draft, ErrorKind::BrokenLink), 1, "{all:#?}");
    // The link between the two drafts is fine; the missing file is not.
    assert_eq!(warned(&valid_draft, ErrorKind::BrokenLink), 1, "{all:#?}");
    assert_eq!(warned(&valid_draft, ErrorKind::DraftLinked), 0, "{all:#?}");
    assert!(!site
        .path()
        .join("public/scenarios/brouillon-inacheve")
        .exists());
    // Where drafts are shown, their problems are errors.
    let mut options = vitrine::site::BuildOptions::new(site.path());
    options.drafts = true;
    let errors = common::build_with(options).expect_err("drafts shown: errors");
    assert!(
        errors
            .iter()
            .all(|e| e.file == draft || e.file == valid_draft),
        "{errors:#?}"
    );
    assert!(errors.iter().any(|e| e.file == valid_draft), "{errors:#?}");
}

#[test]
fn the_demo_builds_with_an_invalid_draft() {
    let site = common::demo_site();
    let from = common::repo_root()
        .join("tests/fixtures/brouillon-invalide/content/scenarios/brouillon-inacheve.md");
    std::fs::copy(
        from,
        site.path().join("content/scenarios/brouillon-inacheve.md"),
    )
    .expect("copy draft");
    let summary = common::build(site.path()).expect("the demo builds");
    assert!(summary.scenarios > 1);
    assert!(!summary.warnings.is_empty());
}

/// Publishing the `vitrine new` template as it is: every placeholder is an error.
#[test]
fn publishing_the_template_placeholders_is_an_error() {
    let d = errors_of("modele-publie");
    let places: Vec<(usize, usize)> = d.iter().map(|x| (x.line, x.column)).collect();
    assert_eq!(places, [(3, 10), (6, 11), (15, 3)], "{d:#?}");
    for x in &d {
        assert_eq!(x.kind, ErrorKind::InvalidValue);
        assert!(x.message.contains("brouillon: true"), "{x:?}");
        assert_french(x);
    }
}

/// `build` shows the lists written as one text with commas as `check` does, and builds.
#[test]
fn build_warns_about_lists_written_with_commas() {
    let site = fixture_site(&["liste-virgules"]);
    let summary = common::build(site.path()).expect("comma lists build");
    let lists: Vec<&Diagnostic> = summary
        .warnings
        .iter()
        .filter(|w| w.message.contains("liste"))
        .collect();
    assert!(!lists.is_empty(), "{:#?}", summary.warnings);
    for w in lists {
        assert!(w.line > 1 && w.column > 0, "{w:?}");
        assert_french(w);
    }
}

/// A header with several typical mistakes (an apostrophe inside apostrophes, a date written
/// « 12/03/2025 », a tab, a dash glued to its value): each is said in the same run, at its own
/// line, with the corrected line; the header is read once repaired so that the date's field
/// problem comes too (it used to take four runs, one per mistake).
#[test]
fn several_mistakes_of_one_header_come_in_one_run() {
    let d = errors_of("yaml-plusieurs");
    let at: Vec<(ErrorKind, usize)> = d.iter().map(|x| (x.kind, x.line)).collect();
    assert_eq!(
        at,
        [
            (ErrorKind::InvalidYaml, 2),
            (ErrorKind::InvalidValue, 4),
            (ErrorKind::InvalidYaml, 6),
            (ErrorKind::InvalidYaml, 10)
        ],
        "{d:#?}"
    );
    let fixes: Vec<Option<&str>> = d.iter().map(|x| x.suggestion.as_deref()).collect();
    assert_eq!(
        fixes,
        [
            Some("titre: \"L'eau dans tous ses états\""),
            Some("2025-03-12"),
            Some("  - nom: Marie Curie"),
            Some("  - 5e")
        ]
    );
    d.iter().for_each(assert_french);
}

/// A scenario folder whose header is invalid: its body's links to its own image and file are
/// not reported as missing (they are there), only the header's mistake is. Before, the folder's
/// files were unknown to the links of an invalid source: a referent read « image introuvable »
/// for an image beside the file and looked for a problem that did not exist.
#[test]
fn an_invalid_header_in_a_scenario_folder_does_not_make_its_files_missing() {
    let errors = errors_of("dossier-entete-invalide");
    let yaml = only_yaml(&errors);
    assert_eq!(
        yaml.file,
        PathBuf::from("content/scenarios/fractions-en-dossier/index.md")
    );
    assert_eq!(yaml.line, 2);
    assert!(yaml.message.contains("apostrophe"), "{}", yaml.message);
}

/// A draft in a scenario folder (what a referent has while writing): its links to the image
/// and file beside it are fine, a link to a file that is not there is still a warning, and a
/// published scenario that links the draft's file gets an error (that file is not published).
#[test]
fn a_draft_folder_finds_its_own_files() {
    let site = fixture_site(&["brouillon-dossier"]);
    let errors = build_errors(site.path());
    let published = PathBuf::from("content/scenarios/lien-vers-brouillon.md");
    let error = only(&errors);
    assert_eq!(error.file, published, "{errors:#?}");
    assert_eq!(error.kind, ErrorKind::BrokenLink, "{errors:#?}");

    std::fs::remove_file(site.path().join(&published)).expect("remove the linking scenario");
    let summary = common::build(site.path()).expect("the draft does not stop the build");
    let draft = PathBuf::from("content/scenarios/brouillon-en-dossier/index.md");
    let warnings: Vec<&Diagnostic> = summary
        .warnings
        .iter()
        .filter(|w| w.file == draft)
        .collect();
    assert_eq!(warnings.len(), 1, "{:#?}", summary.warnings);
    assert_eq!(warnings[0].kind, ErrorKind::BrokenLink);
    assert!(
        warnings[0].message.contains("absente.txt"),
        "{}",
        warnings[0].message
    );
}
