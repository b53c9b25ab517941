//! Links to heading anchors (`page.md#titre`, `#titre`), checked once every page is rendered:
//! `build` and `check` share this check, so that `build` never publishes an anchor that
//! `check` rejects.
//!
//! Pandoc and MkDocs keep accents in heading ids (`#récursivité`), vitrine does not
//! (`#recursivite`): a fragment that names a heading once accents, case and punctuation are
//! set aside is accepted, and rewritten to the heading's id so that the published link works.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::diagnostics::{self, closest, Diagnostic, ErrorKind};
use crate::markdown::{self, KeepLinks, Rendered};
use crate::site::links::LinkTable;
use crate::text::fold;

/// Ids of the theme's own page structure, valid on every page.
const TEMPLATE_IDS: &[&str] = &["contenu", "sommaire"];

/// A fragment written in `source` that names the heading `id` in another spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respelling {
    pub source: PathBuf,
    pub written: String,
    pub id: String,
}

/// The anchors of `sources` (each rendered body with its source file): links to missing
/// anchors, and the fragments to respell.
pub fn check(
    sources: &[(&Path, &Rendered)],
    links: &LinkTable,
) -> (Vec<Diagnostic>, Vec<Respelling>) {
    let bodies: BTreeMap<&Path, &Rendered> = sources.iter().copied().collect();
    // The ids of a body are listed only when a link points into it: most bodies of a large
    // site are targets of no anchor link, and listing them all read every page's HTML.
    let mut ids: BTreeMap<&Path, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut respellings = Vec::new();
    for (source, rendered) in sources {
        for link in &rendered.anchor_links {
            let Some((path, written)) = link.target.split_once('#') else {
                continue;
            };
            let fragment = percent_decode_str(written).decode_utf8_lossy();
            if fragment.is_empty() || TEMPLATE_IDS.contains(&&*fragment) {
                continue;
            }
            let target: PathBuf = if path.is_empty() {
                source.to_path_buf()
            } else {
                // Links to files or nowhere are reported by the Markdown stage.
                let Some(target) = links.target_source(source, path) else {
                    continue;
                };
                target
            };
            let Some((&file, body)) = bodies.get_key_value(target.as_path()) else {
                continue;
            };
            let known: &BTreeSet<String> = ids
                .entry(file)
                .or_insert_with(|| body.ids().into_iter().collect());
            if known.contains(&*fragment) {
                continue;
            }
            if let Some(id) = same_heading(&fragment, known) {
                respellings.push(Respelling {
                    source: source.to_path_buf(),
                    written: written.to_string(),
                    id: id.to_string(),
                });
                continue;
            }
            let place = if path.is_empty() {
                "dans cette page".to_string()
            } else {
                format!("dans {}", target.display())
            };
            problems.push(
                Diagnostic::new(
                    ErrorKind::BrokenAnchor,
                    *source,
                    format!("ancre « #{fragment} » introuvable {place} : aucun titre n'a cet identifiant"),
                )
                .at(link.line, link.column)
                .suggest(closest(&fragment, known.iter().map(String::as_str))),
            );
        }
    }
    diagnostics::sort(&mut problems);
    (problems, respellings)
}

/// Letters and digits only, without accents nor case: how two spellings of a heading's id
/// are compared.
fn key(id: &str) -> String {
    fold(id)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The id in `known` that `fragment` spells differently, when exactly one does.
fn same_heading<'k>(fragment: &str, known: &'k BTreeSet<String>) -> Option<&'k str> {
    let wanted = key(fragment);
    if wanted.is_empty() {
        return None;
    }
    let mut matching = known.iter().filter(|id| key(id) == wanted);
    let first = matching.next()?;
    matching.next().is_none().then_some(first.as_str())
}

/// `html` with the fragment `written` (as written in the Markdown) replaced by `#id` in every
/// link, the fragment being found as the renderer writes it in an `href`.
pub fn respell(html: &str, written: &str, id: &str) -> String {
    let Some(rendered) = href_of(&format!("#{written}")) else {
        return html.to_string();
    };
    html.replace(&format!("{rendered}\""), &format!("#{id}\""))
}

/// The `href` the renderer writes for a same-page link to `destination`.
fn href_of(destination: &str) -> Option<String> {
    let body = format!("[x](<{destination}>)");
    let source = markdown::Source {
        file: Path::new(""),
        body: &body,
        first_line: 1,
    };
    let rendered = markdown::render(&source, &KeepLinks, &markdown::Options::default());
    let start = rendered.html().find("href=\"")? + "href=\"".len();
    let len = rendered.html()[start..].find('"')?;
    Some(rendered.html()[start..start + len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pandoc_id_names_the_heading_without_its_accents() {
        let known: BTreeSet<String> = ["recursivite", "l-eau-c-est-quoi", "fn-1"]
            .map(String::from)
            .into();
        assert_eq!(same_heading("récursivité", &known), Some("recursivite"));
        assert_eq!(
            same_heading("leau-cest-quoi", &known),
            Some("l-eau-c-est-quoi")
        );
        assert_eq!(same_heading("recursion", &known), None);
        assert_eq!(same_heading("¿", &known), None);
    }

    #[test]
    fn a_respelled_fragment_replaces_the_written_one_in_links() {
        let html = "<p><a href=\"#r%C3%A9cursivit%C3%A9\">x</a> <a href=\"../a/#r%C3%A9cursivit%C3%A9\">y</a></p>";
        let out = respell(html, "récursivité", "recursivite");
        assert!(!out.contains("%C3%A9"), "{out}");
        assert!(out.contains("href=\"#recursivite\""), "{out}");
        assert!(out.contains("href=\"../a/#recursivite\""), "{out}");
    }
}
