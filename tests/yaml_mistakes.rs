//! The common YAML mistakes of referents, one fixture each: the French cause, the line and
//! column in the scenario file (the opening `---` counted), and the line to write instead.

mod common;

use std::path::PathBuf;

use common::{build_errors, english_words, fixture_site};
use vitrine::diagnostics::ErrorKind;

/// One mistake: fixture, file, line, column, part of the message, the fix (when one line fixes it).
struct Mistake {
    fixture: &'static str,
    file: &'static str,
    at: (usize, usize),
    says: &'static str,
    fix: Option<&'static str>,
}

const MISTAKES: &[Mistake] = &[
    Mistake {
        fixture: "yaml-deux-points",
        file: "deux-points.md",
        at: (2, 8),
        says: "deux-points dans une valeur : YAML lit « : » suivi d'une espace comme la séparation entre une clé et sa valeur ; entourez la valeur de guillemets droits \"…\"",
        fix: Some("titre: \"Séance 1 : découverte des fractions\""),
    },
    Mistake {
        fixture: "yaml-deux-points-liste",
        file: "deux-points-liste.md",
        at: (10, 5),
        says: "deux-points dans une valeur",
        fix: Some("  - \"Tableur : LibreOffice Calc\""),
    },
    Mistake {
        fixture: "yaml-crochet-ouvert",
        file: "crochet-ouvert.md",
        at: (6, 12),
        says: "crochet « [ » ouvert ici et jamais fermé : fermez la liste avec « ] »",
        fix: Some("mots_cles: [fractions, géométrie]"),
    },
    Mistake {
        fixture: "yaml-guillemet-ouvert",
        file: "guillemet-ouvert.md",
        at: (2, 8),
        says: "guillemet droit « \" » ouvert ici et jamais fermé : ajoutez le guillemet fermant",
        fix: Some("titre: \"Les fractions au quotidien\""),
    },
    Mistake {
        fixture: "yaml-apostrophe-ouverte",
        file: "apostrophe-ouverte.md",
        at: (3, 9),
        says: "apostrophe « ' » ouvrant un texte ici et jamais fermée",
        fix: Some("resume: 'Les fractions au quotidien'"),
    },
    Mistake {
        fixture: "yaml-tiret-colle",
        file: "tiret-colle.md",
        at: (9, 3),
        says: "« -Tableur » est lu comme un texte, pas comme un élément de liste ; ajoutez une espace après le tiret",
        fix: Some("  - Tableur"),
    },
    Mistake {
        fixture: "yaml-espace-deux-points",
        file: "espace-deux-points.md",
        at: (3, 6),
        says: "espace manquante après « titre: » : sans espace, YAML lit « titre:Les fractions » comme un seul texte et la clé « titre » manque",
        fix: Some("titre: Les fractions"),
    },
    Mistake {
        fixture: "yaml-cle-en-double",
        file: "cle-en-double.md",
        at: (8, 1),
        says: "clé « titre » présente deux fois, lignes 2 et 8 : gardez une seule ligne",
        fix: None,
    },
    Mistake {
        fixture: "entete-texte-apres-fin",
        file: "texte-apres-fin.md",
        at: (8, 5),
        says: "texte après la ligne « --- » qui ferme l'en-tête : cette ligne ne contient que « --- » ; passez « Objectifs de la séance » à la ligne suivante",
        fix: Some("---"),
    },
    Mistake {
        fixture: "entete-deuxieme-bloc",
        file: "deuxieme-bloc.md",
        at: (5, 1),
        says: "clé « academie » (ligne 6) après la ligne « --- » qui ferme l'en-tête : elle est lue comme du texte de la page",
        fix: None,
    },
    Mistake {
        fixture: "entete-non-fermee",
        file: "non-fermee.md",
        at: (8, 1),
        says: "en-tête YAML non fermé : ajoutez une ligne « --- » avant la ligne 8",
        fix: None,
    },
];

#[test]
fn each_yaml_mistake_is_explained_in_french_where_it_is() {
    let mut wrong = Vec::new();
    for m in MISTAKES {
        let site = fixture_site(&[m.fixture]);
        let Err(errors) = common::build(site.path()) else {
            wrong.push(format!("{} : la construction passe", m.fixture));
            continue;
        };
        // The fixture's mistake comes first; a header read on once repaired may say the same
        // mistake again further down (a second « -ENT »), never anything before it.
        let [d, further @ ..] = errors.as_slice() else {
            wrong.push(format!("{} : aucune erreur", m.fixture));
            continue;
        };
        if further.iter().any(|f| f.line <= d.line || f.file != d.file) {
            wrong.push(format!(
                "{} : erreurs avant celle attendue, {errors:#?}",
                m.fixture
            ));
            continue;
        }
        let file = PathBuf::from("content/scenarios").join(m.file);
        let kind_ok = matches!(
            d.kind,
            ErrorKind::InvalidYaml | ErrorKind::MissingFrontMatter
        );
        let english = english_words(&d.message);
        if !kind_ok
            || d.file != file
            || (d.line, d.column) != m.at
            || !d.message.contains(m.says)
            || d.suggestion.as_deref() != m.fix
            || !english.is_empty()
        {
            wrong.push(format!(
                "{} : attendu {:?} « {} » {:?}, obtenu {d:#?} (anglais : {english:?})",
                m.fixture, m.at, m.says, m.fix
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A closing line with text still closes the header: the body's broken link shows in the
/// same run as the header's mistake.
#[test]
fn text_after_the_closing_line_does_not_hide_the_body() {
    let site = fixture_site(&["entete-texte-apres-fin"]);
    let file = site.path().join("content/scenarios/texte-apres-fin.md");
    let text = std::fs::read_to_string(&file).expect("fixture");
    std::fs::write(&file, format!("{text}\n[lien](absent.md)\n")).expect("write");
    let errors = build_errors(site.path());
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[1].kind, ErrorKind::BrokenLink, "{errors:#?}");
}

/// The fix shows in `check`'s text, after the located message.
#[test]
fn check_prints_the_fix() {
    let site = fixture_site(&["yaml-deux-points"]);
    let output = common::vitrine_in(site.path())
        .arg("check")
        .output()
        .expect("vitrine check");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("content/scenarios/deux-points.md:2:8 : erreur : YAML invalide : deux-points dans une valeur"),
        "{stderr}"
    );
    assert!(
        stderr.contains("« titre: \"Séance 1 : découverte des fractions\" »"),
        "{stderr}"
    );
}
