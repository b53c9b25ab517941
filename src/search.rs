//! The work of `vitrine search`: a site's index queried with filters checked against its
//! vocabularies, and each hit placed (its source file, or its page on another vitrine when it
//! was harvested). The command line only prints the answer.

use std::collections::BTreeMap;

use crate::content::Facet;
use crate::diagnostics::Diagnostic;
use crate::index::{Hit, IndexError, Query};
use crate::site::prepare::Prepared;
use crate::site::{self, BuildOptions, Silent};

/// What was asked: the words, the filters as typed (keys, labels or aliases), how many hits.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub text: String,
    /// Values of one facet are alternatives; facets without a vocabulary are ignored.
    pub filters: Vec<(Facet, Vec<String>)>,
    pub limit: usize,
}

/// Why there is no answer.
#[derive(Debug)]
pub enum Failure {
    /// The site does not load (configuration, headers, bodies).
    Site(Vec<Diagnostic>),
    /// A filter value that is not in its facet's vocabulary.
    UnknownValue {
        facet: Facet,
        value: String,
        suggestion: Option<String>,
        /// The values accepted, for a value close to none (see `Vocabulary::accepted_values`).
        accepted: String,
    },
    /// The index could not be built or opened.
    Index(Diagnostic),
    /// The index refused the query.
    Query(IndexError),
}

/// One hit and where it comes from.
#[derive(Debug, Clone)]
pub struct Found {
    pub hit: Hit,
    /// The source file of a scenario of this site.
    pub file: Option<String>,
    /// The page of a harvested scenario, on its académie's vitrine.
    pub harvested: Option<String>,
}

impl Found {
    /// Where to read it: its page on another vitrine when harvested, else its source file.
    pub fn place(&self) -> &str {
        self.harvested
            .as_deref()
            .or(self.file.as_deref())
            .unwrap_or_default()
    }

    /// Its address: on this site, or on its académie's vitrine when harvested.
    pub fn url(&self) -> String {
        self.harvested
            .clone()
            .unwrap_or_else(|| crate::publish::urls::scenario(&self.hit.slug))
    }
}

/// The answer to a request, best hits first, then approximate results (all words but one),
/// each with the word it lacks, as typed.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub found: Vec<Found>,
    pub approximate: Vec<(Found, String)>,
}

impl Results {
    /// The answer for scripts (`vitrine search --json`): one object per hit; approximate
    /// results follow, each with the word it lacks (`manquant`).
    pub fn to_json(&self) -> String {
        let approximate = self.approximate.iter().map(|(f, word)| (f, Some(word)));
        let rows: Vec<serde_json::Value> = self
            .found
            .iter()
            .map(|f| (f, None))
            .chain(approximate)
            .map(|(f, missing)| {
                let mut row = serde_json::json!({
                    "slug": f.hit.slug,
                    "titre": f.hit.titre,
                    "url": f.url(),
                    "fichier": f.file.as_ref().filter(|_| f.harvested.is_none()),
                    "score": f.hit.score,
                    "extrait": f.hit.snippet_html,
                });
                if let Some(word) = missing {
                    row["manquant"] = serde_json::json!(word);
                }
                row
            })
            .collect();
        serde_json::to_string_pretty(&rows).unwrap_or_default()
    }
}

/// Searches the site described by `options`.
pub fn search(options: &BuildOptions, request: &Request) -> Result<Results, Failure> {
    let prepared = site::prepare(options, &Silent).map_err(Failure::Site)?;
    let filters = resolve_filters(&prepared, &request.filters)?;
    let index = site::indexing::search_index(&options.root, &prepared).map_err(Failure::Index)?;
    let query = Query {
        text: request.text.clone(),
        filters,
        limit: request.limit,
    };
    let results = index.search_all(&query).map_err(Failure::Query)?;
    let (approximate_hits, missing): (Vec<Hit>, Vec<String>) = results
        .approchants
        .into_iter()
        .map(|a| (a.hit, a.manquant))
        .unzip();
    Ok(Results {
        found: locate(results.hits, &prepared),
        approximate: locate(approximate_hits, &prepared)
            .into_iter()
            .zip(missing)
            .collect(),
    })
}

/// The filters as vocabulary keys; the first unknown value stops the search.
fn resolve_filters(
    prepared: &Prepared,
    groups: &[(Facet, Vec<String>)],
) -> Result<Vec<(Facet, String)>, Failure> {
    let mut filters = Vec::new();
    for (facet, values) in groups {
        let Some(name) = facet.vocab() else {
            continue;
        };
        let vocab = prepared.vocabs.get(name);
        for value in values {
            match vocab.resolve(value) {
                Some(e) => filters.push((*facet, e.cle.clone())),
                None => {
                    return Err(Failure::UnknownValue {
                        facet: *facet,
                        value: value.clone(),
                        suggestion: vocab.suggest(value),
                        accepted: vocab.accepted_values(),
                    })
                }
            }
        }
    }
    Ok(filters)
}

fn locate(hits: Vec<Hit>, prepared: &Prepared) -> Vec<Found> {
    let scenarios: BTreeMap<&str, _> = prepared
        .loaded
        .content
        .scenarios
        .iter()
        .map(|s| (s.slug.as_str(), s))
        .collect();
    hits.into_iter()
        .map(|hit| {
            let scenario = scenarios.get(hit.slug.as_str());
            Found {
                file: scenario.map(|s| s.source.display().to_string()),
                harvested: scenario.and_then(|s| Some(s.origine.as_ref()?.url.clone())),
                hit,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(file: Option<&str>, harvested: Option<&str>) -> Found {
        Found {
            hit: Hit {
                slug: "eau".to_string(),
                titre: "L'eau".to_string(),
                score: 1.0,
                snippet_html: String::new(),
            },
            file: file.map(str::to_string),
            harvested: harvested.map(str::to_string),
        }
    }

    #[test]
    fn a_local_hit_is_placed_at_its_file_and_its_page_here() {
        let f = found(Some("content/scenarios/eau.md"), None);
        assert_eq!(f.place(), "content/scenarios/eau.md");
        assert_eq!(f.url(), crate::publish::urls::scenario("eau"));
    }

    #[test]
    fn a_harvested_hit_is_placed_at_its_page_elsewhere_without_a_file() {
        let page = "https://autre.fr/scenarios/eau/";
        let results = Results {
            found: vec![found(Some("cache/eau.md"), Some(page))],
            approximate: vec![(found(Some("content/eau.md"), None), "volcan".to_string())],
        };
        assert_eq!(results.found[0].place(), page);
        let json: serde_json::Value = serde_json::from_str(&results.to_json()).expect("json");
        assert_eq!(json[0]["url"], page);
        assert!(json[0]["fichier"].is_null(), "{json}");
        assert!(json[0]["manquant"].is_null(), "{json}");
        assert_eq!(json[1]["fichier"], "content/eau.md");
        assert_eq!(json[1]["manquant"], "volcan");
    }
}
