//! Free pages (`content/pages/*.md`) and the home text (`content/_index.md`).

use std::path::Path;

use serde_yaml::Value;

use crate::content::fields::Reader;
use crate::content::frontmatter::Document;
use crate::content::Page;
use crate::diagnostics::{Diagnostic, ErrorKind};

pub(super) const KEYS: &[&str] = &["titre", "description", "ordre"];
const SYNONYMS: &[(&str, &str)] = &[
    ("title", "titre"),
    ("resume", "description"),
    ("order", "ordre"),
    ("weight", "ordre"),
    ("poids", "ordre"),
];

pub fn validate(file: &Path, slug: String, doc: Document) -> Result<Page, Vec<Diagnostic>> {
    let mut r = Reader::new(file, &doc.front_matter);
    r.reject_unknown_keys(KEYS, SYNONYMS);
    let titre = r.required_text("titre", "le titre de la page");
    let description = r.text("description");
    let ordre = match r.raw("ordre") {
        None => 0,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or(0),
        Some(_) => {
            r.error(
                ErrorKind::WrongType,
                "ordre",
                "« ordre » est un nombre entier (1, 2, 3…)".to_string(),
            );
            0
        }
    };
    let diagnostics = r.diagnostics;
    match titre {
        Some(titre) if diagnostics.is_empty() => Ok(Page {
            slug,
            source: file.to_path_buf(),
            titre,
            description,
            ordre,
            body: doc.body,
            body_line: doc.body_line,
        }),
        _ => Err(diagnostics),
    }
}
