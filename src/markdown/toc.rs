//! Heading identifiers and the table of contents.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::HeadingLevel;
use serde::{Deserialize, Serialize};

use crate::text::slugify;

/// One heading of the table of contents (h2 and h3 only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    /// 2 or 3, after demotion of h1 (see [`demote`]).
    pub level: u8,
    /// The `id` of the heading, target of `#id` links.
    pub id: String,
    /// The heading as plain text.
    pub title: String,
}

/// The page template owns the single `<h1>` (the scenario title), so an h1 written in
/// the body becomes an h2; other levels are kept as written.
pub(crate) fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        other => other,
    }
}

/// The levels listed in the table of contents.
pub(crate) fn toc_level(level: HeadingLevel) -> Option<u8> {
    match level {
        HeadingLevel::H2 => Some(2),
        HeadingLevel::H3 => Some(3),
        _ => None,
    }
}

/// Hands out unique heading ids: French slugs of the heading text, numbered from `-2`
/// when the same title appears again.
pub(crate) struct HeadingIds {
    used: HashSet<String>,
    /// Next number to try for each base slug: without it, the n-th identical heading would
    /// try n-1 taken ids first (10,000 identical headings took 8 s).
    next_number: HashMap<String, usize>,
}

impl HeadingIds {
    /// `reserved`: ids written by the author (`{#id}`) or generated elsewhere (footnotes),
    /// which generated ids must not take even when they come later in the page.
    pub fn new(reserved: impl IntoIterator<Item = String>) -> Self {
        HeadingIds {
            used: reserved.into_iter().collect(),
            next_number: HashMap::new(),
        }
    }

    /// The id of a heading without a custom id.
    pub fn generate(&mut self, title: &str) -> String {
        let mut base = slugify(title);
        if base.is_empty() {
            // A heading made only of punctuation or emoji still needs a target.
            base = "section".to_string();
        }
        let mut candidate = base.clone();
        let number = self.next_number.entry(base.clone()).or_insert(2);
        // Each number is tried at most once per base, so the total work stays linear even when
        // other headings took some of the numbered ids (« Objectifs 2 »).
        while self.used.contains(&candidate) {
            candidate = format!("{base}-{number}");
            *number += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_slugs_are_deduplicated() {
        let mut ids = HeadingIds::new(Vec::new());
        assert_eq!(
            ids.generate("Déroulement de la séance"),
            "deroulement-de-la-seance"
        );
        assert_eq!(ids.generate("Objectifs"), "objectifs");
        assert_eq!(ids.generate("Objectifs"), "objectifs-2");
        assert_eq!(ids.generate("Objectifs !"), "objectifs-3");
    }

    #[test]
    fn reserved_ids_are_avoided_and_empty_slugs_get_a_name() {
        let mut ids = HeadingIds::new(vec!["bilan".to_string()]);
        assert_eq!(ids.generate("Bilan"), "bilan-2");
        assert_eq!(ids.generate("???"), "section");
        assert_eq!(ids.generate("!!!"), "section-2");
    }

    #[test]
    fn ten_thousand_identical_headings_get_distinct_ids() {
        let mut ids = HeadingIds::new(vec!["titre-3".to_string()]);
        let got: Vec<String> = (0..10_000).map(|_| ids.generate("Titre")).collect();
        let distinct: HashSet<&String> = got.iter().collect();
        assert_eq!(distinct.len(), 10_000);
        assert_eq!(got[..3], ["titre", "titre-2", "titre-4"]);
        assert_eq!(got[9_999], "titre-10001");
    }

    #[test]
    fn a_numbered_title_written_by_hand_is_skipped() {
        let mut ids = HeadingIds::new(Vec::new());
        assert_eq!(ids.generate("Bilan"), "bilan");
        assert_eq!(ids.generate("Bilan 2"), "bilan-2");
        assert_eq!(ids.generate("Bilan"), "bilan-3");
    }

    #[test]
    fn only_h1_is_demoted() {
        assert_eq!(demote(HeadingLevel::H1), HeadingLevel::H2);
        assert_eq!(demote(HeadingLevel::H3), HeadingLevel::H3);
        assert_eq!(toc_level(HeadingLevel::H4), None);
    }
}
