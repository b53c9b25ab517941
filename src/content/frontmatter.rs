//! Front matter: splitting the YAML block from the Markdown body, parsing it with serde_yaml,
//! and locating every key and value (line, column) so diagnostics point at the offending text.
//!
//! serde_yaml gives values but no positions; yaml-rust2's marked event parser gives positions.
//! The block is small, so reading it twice is cheap and keeps each library to what it does best.

use std::ops::Range;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::{page, scenario};
use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::yaml::{explained_diagnostic, locate, silent_mistake, yaml_diagnostic, Positions};

/// A parsed front matter block with positions.
#[derive(Debug)]
pub struct FrontMatter {
    pub values: Mapping,
    positions: Positions,
    /// 1-based line of the first YAML line in the file.
    first_line: usize,
}

/// A Markdown file split into its front matter and body.
#[derive(Debug)]
pub struct Document {
    pub front_matter: FrontMatter,
    pub body: String,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

impl FrontMatter {
    /// Line and column (1-based, in the file) of the value at `path`, else of its key, else of
    /// the block start.
    pub fn value_position(&self, path: &str) -> (usize, usize) {
        self.positions
            .values
            .get(path)
            .or_else(|| self.positions.keys.get(path))
            .map(|&(l, c)| (l + self.first_line - 1, c))
            .unwrap_or((self.first_line.saturating_sub(1).max(1), 1))
    }

    /// Line and column of the key at `path` (for unknown keys).
    pub fn key_position(&self, path: &str) -> (usize, usize) {
        self.positions
            .keys
            .get(path)
            .map(|&(l, c)| (l + self.first_line - 1, c))
            .unwrap_or_else(|| self.value_position(path))
    }

    /// Position of the opening `---`, for problems about the whole block (missing keys).
    pub fn start_position(&self) -> (usize, usize) {
        (self.first_line.saturating_sub(1).max(1), 1)
    }
}

/// Splits `source` into front matter and body and parses the YAML.
pub fn parse(file: &Path, source: &str) -> Result<Document, Diagnostic> {
    let first = |mut mistakes: Vec<Diagnostic>| mistakes.swap_remove(0);
    let (document, mistakes) = parse_repairing(file, source).map_err(first)?;
    match mistakes.is_empty() {
        true => Ok(document),
        false => Err(first(mistakes)),
    }
}

/// Like [`parse`], but a YAML mistake whose fix is a corrected line does not stop the reading:
/// it is reported, the fix is applied to a copy of the header and the reading goes on, so that
/// one run says every mistake it can and the header's fields are checked too (a referent
/// corrects them all at once instead of one per run). Returns the document read from the
/// repaired header and the mistakes met (errors: the file is not published); `Err` with every
/// mistake met, in order, when one cannot be repaired.
pub fn parse_repairing(
    file: &Path,
    source: &str,
) -> Result<(Document, Vec<Diagnostic>), Vec<Diagnostic>> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let split = split(file, source).map_err(|d| vec![d])?;
    if let Some(problem) = text_after_closing(file, &split) {
        return Err(vec![problem]);
    }
    if let Some(problem) = key_after_closing(file, &split) {
        return Err(vec![problem]);
    }
    let mut yaml = split.yaml.to_string();
    let mut mistakes: Vec<Diagnostic> = Vec::new();
    let (values, positions) = loop {
        let positions = locate(&yaml);
        let problem = match parse_yaml(file, &yaml, &positions) {
            Ok(values) => break (values, positions),
            Err(problem) => problem,
        };
        let repaired = repair(&yaml, &problem).filter(|_| {
            mistakes.len() < MAX_REPAIRS && !mistakes.iter().any(|m| m.line == problem.line)
        });
        mistakes.push(problem);
        match repaired {
            Some(repaired) => yaml = repaired,
            None => return Err(mistakes),
        }
    };
    let document = Document {
        front_matter: FrontMatter {
            values,
            positions,
            first_line: 2,
        },
        body: split.body.to_string(),
        body_line: split.body_line,
    };
    Ok((document, mistakes))
}

/// Mistakes repaired in one header at most: past them, the reader stops at the next one.
const MAX_REPAIRS: usize = 10;

/// `yaml` with the line of `problem` replaced by its suggested fix, when the fix is one line
/// (the corrected line of « vouliez-vous dire … ? »); header line 2 of the file is line 1 of
/// `yaml`.
fn repair(yaml: &str, problem: &Diagnostic) -> Option<String> {
    let fix = problem
        .suggestion
        .as_deref()
        .filter(|f| !f.contains('\n'))?;
    let index = problem.line.checked_sub(2)?;
    let mut lines: Vec<&str> = yaml.lines().collect();
    let line = lines.get_mut(index)?;
    // A corrected line starts like the line it corrects (same key or dash): anything else is a
    // value, not a line, and writing it in place would make up a header.
    let start = |text: &str| text.trim_start().chars().next();
    if *line == fix || start(line) != start(fix) {
        return None;
    }
    *line = fix;
    let mut repaired = lines.join("\n");
    repaired.push('\n');
    Some(repaired)
}

/// The body and its first line, even when the YAML of the block is invalid; `None` without a
/// closed block.
pub fn body(source: &str) -> Option<(String, usize)> {
    let (range, line) = body_range(source)?;
    Some((source[range].to_string(), line))
}

/// Where the body is in `source` (bytes), and its first line: as [`body`], without a copy.
pub fn body_range(source: &str) -> Option<(Range<usize>, usize)> {
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    let split = split(Path::new(""), text).ok()?;
    // The body is a slice of `source`: its offset is the distance between the two starts.
    let start = split.body.as_ptr() as usize - source.as_ptr() as usize;
    Some((start..start + split.body.len(), split.body_line))
}

/// Keys of authors and resources, under `auteurs` and `ressources`.
const SUBKEYS: &[&str] = &["nom", "fonction", "etablissement", "url", "fichier"];

/// Every key a header may hold (scenarios, pages, authors, resources): a line starting with
/// one of them is a key, not text.
fn header_keys() -> Vec<&'static str> {
    scenario::KEYS
        .iter()
        .chain(page::KEYS)
        .chain(SUBKEYS)
        .copied()
        .collect()
}

/// A file cut into its YAML block and its body.
struct Split<'a> {
    yaml: &'a str,
    body: &'a str,
    body_line: usize,
    /// Line number and text of the closing line when text follows its `---`.
    closing: (usize, &'a str),
}

/// The block must open on the first line with `---` and close with a line `---` (or `...`).
/// A closing `---` followed by text on its line still closes the block (the text is reported
/// by [`text_after_closing`]) so that the body is checked in the same run.
fn split<'a>(file: &Path, source: &'a str) -> Result<Split<'a>, Diagnostic> {
    let missing = || {
        Diagnostic::new(
            ErrorKind::MissingFrontMatter,
            file,
            "en-tête YAML absent : le fichier doit commencer par une ligne « --- », puis les métadonnées (titre, resume, date…), puis une ligne « --- »",
        )
        .at(1, 1)
    };
    let mut lines = source.split_inclusive('\n');
    let first = lines.next().ok_or_else(missing)?;
    if first.trim_end() != "---" {
        return Err(missing());
    }
    let mut offset = first.len();
    let mut line_no = 1;
    for line in lines {
        line_no += 1;
        let trimmed = line.trim_end();
        let closes = trimmed == "---"
            || trimmed == "..."
            || trimmed
                .strip_prefix("---")
                .is_some_and(|rest| !rest.starts_with('-'));
        if closes {
            return Ok(Split {
                yaml: &source[first.len()..offset],
                body: &source[offset + line.len()..],
                body_line: line_no + 1,
                closing: (line_no, trimmed),
            });
        }
        offset += line.len();
    }
    Err(unclosed(file, source))
}

/// A block never closed: says before which line the closing `---` goes, the first line that
/// cannot be a header line (a blank line, a title, text).
fn unclosed(file: &Path, source: &str) -> Diagnostic {
    let end = source
        .lines()
        .enumerate()
        .skip(1)
        .find(|(_, l)| !looks_like_header_line(l))
        .map(|(i, _)| i + 1);
    let (message, line) = match end {
        Some(line) => (
            format!("en-tête YAML non fermé : ajoutez une ligne « --- » avant la ligne {line}, juste après les métadonnées et avant le texte de la page"),
            line,
        ),
        None => (
            "en-tête YAML non fermé : ajoutez une ligne « --- » après les métadonnées".to_string(),
            1,
        ),
    };
    Diagnostic::new(ErrorKind::MissingFrontMatter, file, message).at(line, 1)
}

/// A key line (`titre: …`), an indented line or a list item.
fn looks_like_header_line(line: &str) -> bool {
    if line.starts_with([' ', '-']) {
        return !line.trim().is_empty();
    }
    line.split_once(':').is_some_and(|(key, _)| {
        !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    })
}

/// `--- Corps du texte`: the closing line holds only `---`.
fn text_after_closing(file: &Path, split: &Split) -> Option<Diagnostic> {
    let (line, text) = split.closing;
    let rest = text.strip_prefix("---")?;
    let after = rest.trim_start();
    if after.is_empty() {
        return None;
    }
    let column = 4 + rest[..rest.len() - after.len()].chars().count();
    Some(
        Diagnostic::new(
            ErrorKind::InvalidYaml,
            file,
            format!("texte après la ligne « --- » qui ferme l'en-tête : cette ligne ne contient que « --- » ; passez « {after} » à la ligne suivante"),
        )
        .at(line, column)
        .suggest(Some("---".to_string())),
    )
}

/// Header keys after the closing `---` (a `---` too many in the middle of the header, or a
/// second block): they would silently become text of the page.
fn key_after_closing(file: &Path, split: &Split) -> Option<Diagnostic> {
    let (closing, _) = split.closing;
    let mut lines = split
        .body
        .lines()
        .enumerate()
        .map(|(i, l)| (split.body_line + i, l))
        .filter(|(_, l)| !l.trim().is_empty());
    let (mut line, mut text) = lines.next()?;
    let second_block = text.trim_end() == "---";
    if second_block {
        (line, text) = lines.next()?;
    }
    let (key, value) = text.split_once(':')?;
    if !header_keys().contains(&key) || !(value.is_empty() || value.starts_with(' ')) {
        return None;
    }
    let message = if second_block {
        format!("deuxième bloc « --- » après l'en-tête : la clé « {key} » (ligne {line}) est lue comme du texte de la page ; l'en-tête doit se terminer par une seule ligne « --- », après toutes les clés : supprimez la ligne {closing} et la ligne « --- » qui la suit")
    } else {
        format!("clé « {key} » (ligne {line}) après la ligne « --- » qui ferme l'en-tête : elle est lue comme du texte de la page ; l'en-tête doit se terminer après toutes les clés : déplacez la ligne {closing} « --- » après la dernière clé")
    };
    Some(Diagnostic::new(ErrorKind::InvalidYaml, file, message).at(closing, 1))
}

fn parse_yaml(file: &Path, yaml: &str, positions: &Positions) -> Result<Mapping, Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok(Mapping::new());
    }
    let value =
        serde_yaml::from_str::<Value>(yaml).map_err(|e| yaml_diagnostic(file, yaml, &e, 2))?;
    if let Some(mistake) = silent_mistake(yaml, positions, &header_keys()) {
        return Err(explained_diagnostic(file, mistake, 2));
    }
    match value {
        Value::Mapping(m) => Ok(m),
        Value::Null => Ok(Mapping::new()),
        _ => Err(Diagnostic::new(
            ErrorKind::InvalidYaml,
            file,
            "l'en-tête doit être une liste de clés « clé: valeur »",
        )
        .at(2, 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "---\ntitre: Bonjour\ndisciplines:\n  - maths\n  - Francais\nauteurs:\n  - nom: A\n    fonction: prof\nniveaux: [5e, 4eme]\n---\n# Corps\n";

    #[test]
    fn a_header_is_repaired_only_with_a_whole_corrected_line() {
        let yaml = "titre: a\ndate: 12/03/2025\n";
        let problem = |suggestion: &str| {
            Diagnostic::new(ErrorKind::InvalidYaml, Path::new("a.md"), "x")
                .at(3, 7)
                .suggest(Some(suggestion.to_string()))
        };
        assert_eq!(
            repair(yaml, &problem("date: 2025-03-12")).as_deref(),
            Some("titre: a\ndate: 2025-03-12\n")
        );
        // A value alone is not a line: writing it would make up a header.
        assert_eq!(repair(yaml, &problem("2025-03-12")), None);
        assert_eq!(repair(yaml, &problem("date: 12/03/2025")), None);
    }

    #[test]
    fn splits_and_reports_body_line() {
        let doc = parse(Path::new("a.md"), DOC).unwrap();
        assert_eq!(doc.body, "# Corps\n");
        assert_eq!(doc.body_line, 11);
        assert_eq!(doc.front_matter.values.len(), 4);
    }

    #[test]
    fn locates_keys_and_values_in_file_coordinates() {
        let doc = parse(Path::new("a.md"), DOC).unwrap();
        let fm = &doc.front_matter;
        assert_eq!(fm.key_position("titre"), (2, 1));
        assert_eq!(fm.value_position("titre"), (2, 8));
        assert_eq!(fm.value_position("disciplines[1]"), (5, 5));
        assert_eq!(fm.value_position("auteurs[0].fonction"), (8, 15));
        assert_eq!(fm.value_position("niveaux[1]"), (9, 15));
    }

    #[test]
    fn missing_front_matter_is_an_error() {
        let err = parse(Path::new("a.md"), "# Titre\n").unwrap_err();
        assert_eq!(err.kind, ErrorKind::MissingFrontMatter);
        let err = parse(Path::new("a.md"), "---\ntitre: x\n").unwrap_err();
        assert_eq!(err.kind, ErrorKind::MissingFrontMatter);
    }

    #[test]
    fn invalid_yaml_is_located_in_the_file() {
        let err = parse(Path::new("a.md"), "---\ntitre: a\nresume: b: c\n---\n").unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidYaml);
        assert_eq!(err.line, 3);
        assert!(err.message.contains("guillemets"), "{}", err.message);
    }

    use crate::testing::english_words;

    #[test]
    fn every_yaml_error_class_is_french_and_located() {
        let deep = format!("titre: {}x{}\n", "[".repeat(200), "]".repeat(200));
        let cases: Vec<(&str, String)> = vec![
            ("tabulation", "titre: a\nauteurs:\n\t- nom: A\n".into()),
            ("tabulation", "titre: a\n\tresume: b\n".into()),
            ("apostrophe", "titre: 'L'eau'\nresume: b\n".into()),
            ("guillemet", "titre: \"Le \"grand\" jour\"\n".into()),
            ("deux-points", "titre: a\nresume: b: c\n".into()),
            ("caractère", "titre: @moi\n".into()),
            ("caractère", "titre: `code`\n".into()),
            (
                "crochet « [ » ouvert",
                "niveaux: [5e, 4e\ntitre: a\n".into(),
            ),
            ("accolade « { » ouverte", "niveaux: {a: b\n".into()),
            ("clé attendue", "titre: a\n- b\n".into()),
            ("élément de liste", "niveaux:\n  - a\n  b: c\n".into()),
            ("tiret", "titre: - a\n".into()),
            ("fermé", "titre: \"sans fin\n".into()),
            ("barre oblique", "titre: \"C:\\dossier\"\n".into()),
            ("ancre", "titre: *inconnue\n".into()),
            ("ancre", "titre: &\n".into()),
            ("deux fois", "titre: a\ntitre: b\n".into()),
            ("imbrication", deep),
            ("invisible", "titre: a\u{7}b\n".into()),
            ("réservé", "titre: !<abc\n".into()),
            ("réservé", "titre: !x!y z\n".into()),
            ("indentation", "titre: a\n  resume: b\nc\n".into()),
            ("bloc", "titre: |0\n  a\n".into()),
            (
                "deux-points dans une valeur",
                "titre: Séance 1 : découverte\n".into(),
            ),
            (
                "deux-points dans une valeur",
                "outils:\n  - Séance : ENT\n".into(),
            ),
            ("tiret collé", "outils:\n  -Tableur\n".into()),
            ("espace manquante", "titre:Les fractions\n".into()),
            ("lignes 2 et 3", "titre: a\ntitre: b\n".into()),
        ];
        let mut wrong = Vec::new();
        for (expected, yaml) in cases {
            let source = format!("---\n{yaml}---\n");
            match parse(Path::new("a.md"), &source) {
                Err(err)
                    if err.kind == ErrorKind::InvalidYaml
                        && err.line >= 2
                        && err.column >= 1
                        && err.message.contains(expected)
                        && english_words(&err.message).is_empty() => {}
                other => wrong.push(format!("{yaml:?} (attendu « {expected} ») → {other:?}")),
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// What YAML reads as the referent meant is not a mistake: a colon without a space after
    /// it, a quoted colon, `nom : A` (a key of the header), a colon in a block of text.
    #[test]
    fn colons_yaml_reads_as_meant_are_accepted() {
        for yaml in [
            "titre: Séance 1 :découverte\n",
            "resume: Objectif:lire à 10:30\n",
            "outils:\n  - \"Tableur : Calc\"\n  - 'ENT : Pronote'\n",
            "auteurs:\n  - nom : Claire\n",
            "resume: |\n  Objectif : lire\n  -Tableur\n  titre:x\n",
            "url_source: https://exemple.fr/a:b\n",
        ] {
            let source = format!("---\n{yaml}---\n");
            assert!(parse(Path::new("a.md"), &source).is_ok(), "{yaml}");
        }
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let doc = parse(
            Path::new("a.md"),
            "\u{feff}---\r\ntitre: x\r\n---\r\ncorps\r\n",
        )
        .unwrap();
        assert_eq!(doc.body, "corps\r\n");
    }
}
