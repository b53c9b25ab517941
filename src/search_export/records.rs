//! Result records (`fiches/<j>`) and facet document sets (`facettes/<facet>`).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::content::{Facet, FacetValue, Scenario, SiteContent};
use crate::text::truncate_words;
use crate::urls;

/// Length of the summary kept in a record: enough for a two-line excerpt.
pub const SUMMARY_CHARS: usize = 220;

/// What the result list shows of one scenario.
#[derive(Debug, Serialize)]
pub struct Record {
    pub slug: String,
    pub titre: String,
    /// Page of the scenario, from the site root (`scenarios/<slug>/`).
    pub url: String,
    /// ISO date (`2025-03-14`).
    pub date: String,
    pub resume: String,
    pub academies: Vec<String>,
    pub disciplines: Vec<String>,
    pub niveaux: Vec<String>,
}

/// Scenario index (in `SiteContent::scenarios`) → ordinal.
pub struct Ordinals {
    by_index: Vec<Option<u32>>,
}

impl Ordinals {
    pub fn new(scenarios: &[Scenario], order: &[String]) -> Ordinals {
        let by_slug: HashMap<&str, u32> = order
            .iter()
            .enumerate()
            .map(|(ordinal, slug)| (slug.as_str(), ordinal as u32))
            .collect();
        Ordinals {
            by_index: scenarios
                .iter()
                .map(|s| by_slug.get(s.slug.as_str()).copied())
                .collect(),
        }
    }

    fn get(&self, index: usize) -> Option<u32> {
        self.by_index.get(index).copied().flatten()
    }
}

/// For each value, its documents' ordinals, delta-encoded.
pub fn facet_sets(values: &[FacetValue], ordinals: &Ordinals) -> BTreeMap<String, Vec<u32>> {
    values
        .iter()
        .map(|value| {
            let mut members: Vec<u32> = value
                .members
                .iter()
                .filter_map(|&i| ordinals.get(i))
                .collect();
            members.sort_unstable();
            members.dedup();
            (value.key.clone(), delta_encode(&members))
        })
        .collect()
}

fn delta_encode(sorted: &[u32]) -> Vec<u32> {
    let mut previous = 0;
    sorted
        .iter()
        .map(|&n| {
            let delta = n - previous;
            previous = n;
            delta
        })
        .collect()
}

/// The records of every scenario, in ordinal order.
pub fn records(
    content: &SiteContent,
    facets: &[(Facet, Vec<FacetValue>)],
    order: &[String],
) -> Vec<Record> {
    let labels: HashMap<(Facet, &str), &str> = facets
        .iter()
        .flat_map(|(facet, values)| {
            values
                .iter()
                .map(move |v| ((*facet, v.key.as_str()), v.label.as_str()))
        })
        .collect();
    let by_slug: HashMap<&str, &Scenario> = content
        .scenarios
        .iter()
        .map(|s| (s.slug.as_str(), s))
        .collect();
    order
        .iter()
        .filter_map(|slug| by_slug.get(slug.as_str()))
        .map(|s| record(s, &labels))
        .collect()
}

fn record(scenario: &Scenario, labels: &HashMap<(Facet, &str), &str>) -> Record {
    let meta = &scenario.meta;
    let label_all = |facet: Facet| -> Vec<String> {
        facet
            .keys(meta)
            .iter()
            .map(|key| {
                labels
                    .get(&(facet, key.as_str()))
                    .map_or_else(|| key.clone(), |label| label.to_string())
            })
            .collect()
    };
    Record {
        slug: scenario.slug.clone(),
        titre: meta.titre.clone(),
        url: urls::scenario(&scenario.slug),
        date: meta.date.format("%Y-%m-%d").to_string(),
        resume: truncate_words(&meta.resume, SUMMARY_CHARS),
        academies: label_all(Facet::Academies),
        disciplines: label_all(Facet::Disciplines),
        niveaux: label_all(Facet::Niveaux),
    }
}

#[cfg(test)]
mod tests {
    use super::delta_encode;

    #[test]
    fn ordinals_are_delta_encoded() {
        assert_eq!(delta_encode(&[2, 3, 7, 20]), vec![2, 1, 4, 13]);
        assert!(delta_encode(&[]).is_empty());
    }
}
