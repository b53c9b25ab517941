//! The page plan: every HTML page of the site, planned once from the build input. The HTML
//! renderer renders its pages, the sitemap lists its indexable pages and the feeds are those
//! of its facet values, so an address made or a page added here shows everywhere at once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::content::facet::{all_facet_values, FacetValue};
use crate::content::{Facet, Scenario};
use crate::diagnostics::{self, Diagnostic, ErrorKind};
use crate::publish::describe::last_change;
use crate::publish::urls;
use crate::publish::BuildInput;

/// Site path of the page shown for a missing address (served at any depth).
pub const NOT_FOUND: &str = "404.html";

/// What a page shows. Indices point into [`PagePlan::facets`] (facet, value) and into the
/// build input's `content.pages` (free pages) and `content.scenarios` (scenario pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    /// Page `page` (from 1) of the listing of every scenario.
    AllScenarios {
        page: usize,
    },
    FacetIndex {
        facet: usize,
    },
    /// Page `page` (from 1) of the listing of one facet value.
    FacetValue {
        facet: usize,
        value: usize,
        page: usize,
    },
    Search,
    Dashboard,
    NotFound,
    Free {
        index: usize,
    },
    Scenario {
        index: usize,
    },
}

/// One page of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPage {
    /// Site path (`""` for the home page, `scenarios/x/`, `404.html`).
    pub path: String,
    pub kind: PageKind,
    /// The source that asked for the page, empty for a page vitrine makes: named when two
    /// pages claim one address.
    pub source: PathBuf,
    /// When what the page shows last changed, if known: listings by their newest scenario,
    /// free pages and the search page have no date.
    pub lastmod: Option<NaiveDate>,
}

impl PlannedPage {
    /// Whether search engines should know the page (the sitemap): all but the 404 page.
    pub fn indexable(&self) -> bool {
        self.kind != PageKind::NotFound
    }
}

/// An Atom feed of the site: the whole site, or one facet value with a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFeed<'p> {
    pub path: String,
    /// Site path of the page the feed is the feed of.
    pub page: String,
    /// The facet value, `None` for the whole-site feed.
    pub value: Option<(Facet, &'p FacetValue)>,
}

/// Every page of a site, in sitemap order. Owns its data, so `vitrine serve` keeps it between
/// requests.
#[derive(Debug)]
pub struct PagePlan {
    /// Every facet in `Facet::ALL` order with its used values, in presentation order: a value
    /// no scenario has has no page.
    pub facets: Vec<(Facet, Vec<FacetValue>)>,
    pub pages: Vec<PlannedPage>,
    by_path: BTreeMap<String, usize>,
}

impl PagePlan {
    /// Plans every page; two pages with the same address are an error.
    pub fn new(input: &BuildInput) -> Result<PagePlan, Vec<Diagnostic>> {
        let facets = all_facet_values(&input.content.scenarios, input.vocabs);
        let pages = plan_pages(input, &facets);
        check_unique_paths(pages.iter().map(|p| (p.path.as_str(), p.source.as_path())))?;
        let by_path = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.path.clone(), i))
            .collect();
        Ok(PagePlan {
            facets,
            pages,
            by_path,
        })
    }

    /// The page at a site path, if there is one.
    pub fn page(&self, path: &str) -> Option<&PlannedPage> {
        self.pages.get(*self.by_path.get(path)?)
    }

    /// Site paths of every page.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.pages.iter().map(|p| p.path.as_str())
    }

    /// The pages the sitemap lists, in order.
    pub fn indexable(&self) -> impl Iterator<Item = &PlannedPage> {
        self.pages.iter().filter(|p| p.indexable())
    }

    /// The feeds of the site: the site feed first, then one per value of the facets that have
    /// feeds (see [`urls::facet_feed`]), in facet and value order. Feeds need absolute
    /// addresses: their writer makes them only when the site has a `base_url`.
    pub fn feeds(&self) -> Vec<PlannedFeed<'_>> {
        let site = PlannedFeed {
            path: urls::SITE_FEED.to_string(),
            page: urls::home(),
            value: None,
        };
        let values = self.facets.iter().flat_map(|(facet, values)| {
            values.iter().filter_map(move |value| {
                Some(PlannedFeed {
                    path: urls::facet_feed(*facet, &value.key)?,
                    page: urls::facet_value(*facet, &value.key, 1),
                    value: Some((*facet, value)),
                })
            })
        });
        std::iter::once(site).chain(values).collect()
    }
}

/// Pages needed to show `items` scenarios `per_page` at a time: an empty listing has one.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

fn plan_pages(input: &BuildInput, facets: &[(Facet, Vec<FacetValue>)]) -> Vec<PlannedPage> {
    let scenarios = &input.content.scenarios;
    let per_page = input.config.scenarios_par_page.max(1);
    let newest =
        |members: &[usize]| newest_change(members.iter().filter_map(|&i| scenarios.get(i)));
    // The home page, the listings and the dashboard change when any scenario does.
    let site_lastmod = newest_change(scenarios.iter());
    let mut pages = Vec::new();
    let mut add = |path: String, kind: PageKind, lastmod: Option<NaiveDate>| {
        pages.push(PlannedPage {
            path,
            kind,
            source: PathBuf::new(),
            lastmod,
        });
    };
    add(urls::home(), PageKind::Home, site_lastmod);
    for page in 1..=page_count(scenarios.len(), per_page) {
        let kind = PageKind::AllScenarios { page };
        add(urls::scenarios_listing(page), kind, site_lastmod);
    }
    for (f, (facet, values)) in facets.iter().enumerate() {
        let all_members = values.iter().flat_map(|v| v.members.iter().copied());
        let facet_lastmod = newest_change(all_members.filter_map(|i| scenarios.get(i)));
        add(
            urls::facet_index(*facet),
            PageKind::FacetIndex { facet: f },
            facet_lastmod,
        );
        for (v, value) in values.iter().enumerate() {
            let lastmod = newest(&value.members);
            for page in 1..=page_count(value.members.len(), per_page) {
                let kind = PageKind::FacetValue {
                    facet: f,
                    value: v,
                    page,
                };
                add(urls::facet_value(*facet, &value.key, page), kind, lastmod);
            }
        }
    }
    add(urls::search(), PageKind::Search, None);
    add(urls::dashboard(), PageKind::Dashboard, site_lastmod);
    add(NOT_FOUND.to_string(), PageKind::NotFound, None);
    for (index, page) in input.content.pages.iter().enumerate() {
        pages.push(PlannedPage {
            path: urls::page(&page.slug),
            kind: PageKind::Free { index },
            source: page.source.clone(),
            lastmod: None,
        });
    }
    for (index, scenario) in scenarios.iter().enumerate() {
        // A harvested scenario's page is on its académie's site.
        if scenario.is_harvested() {
            continue;
        }
        pages.push(PlannedPage {
            path: urls::scenario(&scenario.slug),
            kind: PageKind::Scenario { index },
            source: scenario.source.clone(),
            lastmod: Some(last_change(scenario)),
        });
    }
    pages
}

fn newest_change<'a, S: AsRef<Scenario> + 'a>(
    scenarios: impl Iterator<Item = &'a S>,
) -> Option<NaiveDate> {
    scenarios.map(|s| last_change(s.as_ref())).max()
}

/// Two pages for the same path would silently overwrite each other (a free page named
/// `scenarios`, for instance).
fn check_unique_paths<'a>(
    pages: impl Iterator<Item = (&'a str, &'a Path)>,
) -> Result<(), Vec<Diagnostic>> {
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    let mut errors = Vec::new();
    for (path, source) in pages {
        if let Some(first) = seen.insert(path, source) {
            let (culprit, other) = if source.as_os_str().is_empty() {
                (first, source)
            } else {
                (source, first)
            };
            let with = if other.as_os_str().is_empty() {
                "une page générée par vitrine".to_string()
            } else {
                format!("{}", other.display())
            };
            errors.push(Diagnostic::new(
                ErrorKind::DuplicateSlug,
                culprit,
                format!(
                    "l'adresse « {path} » est déjà utilisée par {with} : changez l'identifiant (nom du fichier) de cette page"
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        diagnostics::sort(&mut errors);
        Err(errors)
    }
}
