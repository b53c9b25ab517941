//! Front matter: splitting the YAML block from the Markdown body, parsing it with serde_yaml,
//! and locating every key and value (line, column) so diagnostics point at the offending text.
//!
//! serde_yaml gives values but no positions; yaml-rust2's marked event parser gives positions.
//! The block is small, so reading it twice is cheap and keeps each library to what it does best.

use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::yaml::{locate, yaml_diagnostic, Positions};

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
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let (yaml, body, body_line) = split(file, source)?;
    let values = parse_yaml(file, yaml)?;
    let positions = locate(yaml);
    Ok(Document {
        front_matter: FrontMatter {
            values,
            positions,
            first_line: 2,
        },
        body: body.to_string(),
        body_line,
    })
}

/// The body and its first line, even when the YAML of the block is invalid; `None` without a
/// closed block.
pub fn body(source: &str) -> Option<(String, usize)> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let (_, body, body_line) = split(Path::new(""), source).ok()?;
    Some((body.to_string(), body_line))
}

/// Returns (yaml, body, body_line). The block must open on the first line with `---` and close
/// with a line `---` (or `...`).
fn split<'a>(file: &Path, source: &'a str) -> Result<(&'a str, &'a str, usize), Diagnostic> {
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
        if trimmed == "---" || trimmed == "..." {
            let yaml = &source[first.len()..offset];
            let body = &source[offset + line.len()..];
            return Ok((yaml, body, line_no + 1));
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        ErrorKind::MissingFrontMatter,
        file,
        "en-tête YAML non fermé : ajoutez une ligne « --- » après les métadonnées",
    )
    .at(1, 1))
}

fn parse_yaml(file: &Path, yaml: &str) -> Result<Mapping, Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok(Mapping::new());
    }
    match serde_yaml::from_str::<Value>(yaml) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(_) => Err(Diagnostic::new(
            ErrorKind::InvalidYaml,
            file,
            "l'en-tête doit être une liste de clés « clé: valeur »",
        )
        .at(2, 1)),
        Err(e) => Err(yaml_diagnostic(file, yaml, &e, 2)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "---\ntitre: Bonjour\ndisciplines:\n  - maths\n  - Francais\nauteurs:\n  - nom: A\n    fonction: prof\nniveaux: [5e, 4eme]\n---\n# Corps\n";

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
            ("crochets", "niveaux: [5e, 4e\ntitre: a\n".into()),
            ("accolades", "niveaux: {a: b\n".into()),
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
