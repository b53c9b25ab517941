//! Result records (`fiches/<j>`) and facet document sets (`facettes/<facet>`).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::content::facet::unique_keys;
use crate::content::{Facet, FacetValue, Scenario, SiteContent};
use crate::text::truncate_words;
use crate::vocab::Vocabularies;

/// Length of the summary kept in a record: enough for a two-line excerpt.
pub const SUMMARY_CHARS: usize = 220;

/// What the result list shows of one scenario. Facet values are positions in the manifest's
/// `valeurs` of the facet (labels are there once, not repeated in every record), and the page
/// address is the manifest's `adresse` with the slug: small records, since the first results
/// of a query are spread over as many record files.
#[derive(Debug, Serialize)]
pub struct Record {
    pub slug: String,
    pub titre: String,
    /// ISO date (`2025-03-14`).
    pub date: String,
    pub resume: String,
    pub academies: Vec<usize>,
    pub disciplines: Vec<usize>,
    pub niveaux: Vec<usize>,
    /// Absolute address of a harvested scenario's page (on its académie's site); absent for
    /// a local scenario, whose address is the manifest's `adresse`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// « Sur le site de l'académie de Lyon » for a harvested scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origine: Option<String>,
}

/// Scenario index (in `SiteContent::scenarios`) → ordinal.
pub struct Ordinals {
    by_index: Vec<Option<u32>>,
}

impl Ordinals {
    pub fn new(scenarios: &[std::sync::Arc<Scenario>], order: &[String]) -> Ordinals {
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
    vocabs: &Vocabularies,
    facets: &[(Facet, Vec<FacetValue>)],
    order: &[String],
) -> Vec<Record> {
    let positions: HashMap<(Facet, &str), usize> = facets
        .iter()
        .flat_map(|(facet, values)| {
            values
                .iter()
                .enumerate()
                .map(move |(i, v)| ((*facet, v.key.as_str()), i))
        })
        .collect();
    let by_slug: HashMap<&str, &Scenario> = content
        .scenarios
        .iter()
        .map(|s| (s.slug.as_str(), s.as_ref()))
        .collect();
    order
        .iter()
        .filter_map(|slug| by_slug.get(slug.as_str()))
        .map(|s| record(s, vocabs, &positions))
        .collect()
}

fn record(
    scenario: &Scenario,
    vocabs: &Vocabularies,
    positions: &HashMap<(Facet, &str), usize>,
) -> Record {
    let meta = &scenario.meta;
    let values = |facet: Facet| -> Vec<usize> {
        unique_keys(facet, scenario)
            .iter()
            .filter_map(|key| positions.get(&(facet, key.as_str())).copied())
            .collect()
    };
    Record {
        slug: scenario.slug.clone(),
        titre: meta.titre.clone(),
        date: meta.date.format("%Y-%m-%d").to_string(),
        resume: truncate_words(&meta.resume, SUMMARY_CHARS),
        academies: values(Facet::Academies),
        disciplines: values(Facet::Subjects),
        niveaux: values(Facet::Levels),
        url: scenario.origine.as_ref().map(|o| o.url.clone()),
        origine: crate::publish::wording::marker(vocabs, scenario),
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
