//! Footnotes written as HTML of our own instead of pulldown-cmark's: its reference is a link
//! whose whole text is the note's number (« 1, lien » for a screen reader, which RGAA 6.1
//! rejects) and its note has no way back to the text. Here the reference says « note 1 » to a
//! screen reader and carries an id, and the note's number links back to its first reference.
//! Numbers are given as pulldown-cmark gives them: in order of first appearance of a
//! reference or a note.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use crate::text::escape_html;

/// Footnote ids are prefixed so that they cannot take a heading's id.
pub(super) fn note_id(name: &str) -> String {
    format!("fn-{name}")
}

/// The id of a note's first reference, the target of the note's way back.
fn reference_id(name: &str) -> String {
    format!("fnref-{name}")
}

pub(super) struct Footnotes {
    numbers: HashMap<String, usize>,
    /// Notes with at least one reference (a note may come before its first reference).
    referenced: HashSet<String>,
    /// Notes whose first reference was written (it holds the id).
    placed: HashSet<String>,
}

impl Footnotes {
    pub(super) fn new(events: &[(Event, Range<usize>)]) -> Footnotes {
        let referenced = events
            .iter()
            .filter_map(|(event, _)| match event {
                Event::FootnoteReference(name) => Some(name.to_string()),
                _ => None,
            })
            .collect();
        Footnotes {
            numbers: HashMap::new(),
            referenced,
            placed: HashSet::new(),
        }
    }

    /// The ids footnotes take in the page, kept from headings.
    pub(super) fn reserved_ids(events: &[(Event, Range<usize>)]) -> Vec<String> {
        events
            .iter()
            .filter_map(|(event, _)| match event {
                Event::Start(Tag::FootnoteDefinition(name)) => Some(note_id(name)),
                Event::FootnoteReference(name) => Some(reference_id(name)),
                _ => None,
            })
            .collect()
    }

    fn number(&mut self, name: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(name.to_string()).or_insert(next)
    }

    /// A reference in the text; inside an image's description, where no markup is possible,
    /// its number in brackets (as pulldown-cmark writes it there).
    pub(super) fn reference<'e>(&mut self, name: &str, in_image: bool) -> Event<'e> {
        let number = self.number(name);
        if in_image {
            return Event::Text(CowStr::from(format!("[{number}]")));
        }
        let id = if self.placed.insert(name.to_string()) {
            format!(" id=\"{}\"", escape_html(&reference_id(name)))
        } else {
            String::new()
        };
        Event::InlineHtml(CowStr::from(format!(
            "<sup class=\"footnote-reference\"><a href=\"#{}\"{id}>\
             <span class=\"visuellement-cache\">note </span>{number}</a></sup>",
            escape_html(&note_id(name)),
        )))
    }

    /// The start of a note: its number, a link back to its first reference when it has one.
    pub(super) fn note_start<'e>(&mut self, name: &str) -> Event<'e> {
        let number = self.number(name);
        let label = if self.referenced.contains(name) {
            format!(
                "<a href=\"#{}\"><span class=\"visuellement-cache\">retour au texte, note </span>{number}</a>",
                escape_html(&reference_id(name))
            )
        } else {
            number.to_string()
        };
        Event::Html(CowStr::from(format!(
            "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{label}</sup>\n",
            escape_html(&note_id(name)),
        )))
    }

    pub(super) fn note_end<'e>() -> Event<'e> {
        Event::Html(CowStr::from("</div>\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// pulldown-cmark gives no reference inside an image today (the image is then not one),
    /// but its writer would put our HTML into the `alt` attribute as text.
    #[test]
    fn a_reference_in_an_image_description_is_its_number_in_brackets() {
        let mut notes = Footnotes {
            numbers: HashMap::new(),
            referenced: HashSet::from(["a".to_string()]),
            placed: HashSet::new(),
        };
        assert_eq!(notes.reference("a", true), Event::Text("[1]".into()));
        // The reference in the text after it keeps number 1 and takes the id.
        let Event::InlineHtml(html) = notes.reference("a", false) else {
            panic!("a reference in the text is HTML");
        };
        assert!(html.contains("id=\"fnref-a\""), "{html}");
        assert!(html.ends_with("</span>1</a></sup>"), "{html}");
    }
}
