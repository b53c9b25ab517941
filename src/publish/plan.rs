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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::{Page, SiteContent};
    use crate::vocab::{VocabName, Vocabularies};

    /// A site of `scenarios` listed two per page, with the built-in vocabularies.
    struct Site {
        config: Config,
        vocabs: Vocabularies,
        content: SiteContent,
        none: BTreeMap<String, std::sync::Arc<crate::markdown::Rendered>>,
        no_pages: BTreeMap<String, crate::markdown::Rendered>,
        no_related: BTreeMap<String, Vec<String>>,
    }

    impl Site {
        fn new(scenarios: Vec<Scenario>) -> Site {
            Site::with_content(SiteContent::with_scenarios(scenarios))
        }

        fn with_content(content: SiteContent) -> Site {
            Site {
                config: Config::parse("titre: T\nscenarios_par_page: 2\n").expect("config"),
                vocabs: Vocabularies::builtin().expect("vocabularies"),
                content,
                none: BTreeMap::new(),
                no_pages: BTreeMap::new(),
                no_related: BTreeMap::new(),
            }
        }

        fn plan(&self) -> Result<PagePlan, Vec<Diagnostic>> {
            PagePlan::new(&BuildInput {
                config: &self.config,
                vocabs: &self.vocabs,
                content: &self.content,
                scenarios_html: &self.none,
                pages_html: &self.no_pages,
                related: &self.no_related,
                package_sizes: &crate::publish::NO_PACKAGE_SIZES,
            })
        }
    }

    fn date(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, month, day).expect("date")
    }

    /// `n` mathematics scenarios `s0`, `s1`…, newest first, the first one also in SVT.
    fn scenarios(n: usize) -> Vec<Scenario> {
        (0..n)
            .map(|i| {
                let mut s = Scenario::example(&format!("s{i}"));
                s.meta.date = date(3, 28 - i as u32);
                if i == 0 {
                    s.meta.disciplines.push("svt".to_string());
                }
                s
            })
            .collect()
    }

    fn paths(plan: &PagePlan) -> Vec<&str> {
        plan.paths().collect()
    }

    #[test]
    fn a_value_no_scenario_has_has_no_page_nor_sitemap_entry() {
        let site = Site::new(scenarios(2));
        let svt = site.vocabs.get(VocabName::Subjects).get("svt");
        assert!(svt.is_some(), "the vocabulary knows SVT");
        let plan = site.plan().expect("plan");
        assert!(paths(&plan).contains(&"disciplines/svt/"));
        assert!(!paths(&plan).contains(&"disciplines/histoire-geographie/"));

        let site = Site::new(scenarios(2).split_off(1));
        let plan = site.plan().expect("plan");
        assert!(!paths(&plan).contains(&"disciplines/svt/"));
        assert!(!plan
            .indexable()
            .any(|p| p.path.starts_with("disciplines/svt/")));
        assert!(!plan
            .feeds()
            .iter()
            .any(|f| f.path.starts_with("disciplines/svt/")));
        // The facet's index page stays, with its other values.
        assert!(paths(&plan).contains(&"disciplines/"));
        assert!(paths(&plan).contains(&"disciplines/mathematiques/"));
    }

    #[test]
    fn listings_have_one_page_per_two_scenarios() {
        let plan = Site::new(scenarios(5)).plan().expect("plan");
        let listing: Vec<&str> = paths(&plan)
            .into_iter()
            .filter(|p| p.starts_with("scenarios/") && !p.starts_with("scenarios/s"))
            .collect();
        assert_eq!(
            listing,
            ["scenarios/", "scenarios/page/2/", "scenarios/page/3/"]
        );
        let maths = plan
            .pages
            .iter()
            .filter(|p| p.path.starts_with("disciplines/mathematiques/"))
            .map(|p| p.kind)
            .collect::<Vec<_>>();
        assert_eq!(maths.len(), 3);
        assert!(matches!(maths[2], PageKind::FacetValue { page: 3, .. }));
        let svt = plan
            .pages
            .iter()
            .filter(|p| p.path.starts_with("disciplines/svt/"))
            .count();
        assert_eq!(svt, 1);
        // An empty site still has its listing.
        let empty = Site::new(Vec::new()).plan().expect("plan");
        assert!(paths(&empty).contains(&"scenarios/"));
        assert!(!paths(&empty).contains(&"scenarios/page/2/"));
        assert_eq!(page_count(0, 2), 1);
        assert_eq!(page_count(4, 2), 2);
        assert_eq!(page_count(5, 2), 3);
    }

    #[test]
    fn listings_are_dated_by_their_newest_scenario() {
        let mut all = scenarios(3);
        all[2].meta.mise_a_jour = Some(date(6, 1));
        let plan = Site::new(all).plan().expect("plan");
        let lastmod = |path: &str| plan.page(path).expect(path).lastmod;
        assert_eq!(lastmod(""), Some(date(6, 1)));
        assert_eq!(lastmod("scenarios/page/2/"), Some(date(6, 1)));
        assert_eq!(lastmod("disciplines/svt/"), Some(date(3, 28)));
        assert_eq!(lastmod("scenarios/s1/"), Some(date(3, 27)));
        assert_eq!(lastmod("recherche/"), None);
        assert!(plan.page(NOT_FOUND).is_some());
        assert!(!plan.indexable().any(|p| p.path == NOT_FOUND));
    }

    #[test]
    fn a_harvested_scenario_has_no_page_but_counts_in_listings() {
        let mut all = scenarios(3);
        all[1].origine = Some(crate::content::Origine {
            source: "Académie de Lyon".to_string(),
            url: "https://vitrine.ac-lyon.fr/scenarios/s1/".to_string(),
        });
        let plan = Site::new(all).plan().expect("plan");
        assert!(plan.page("scenarios/s1/").is_none());
        assert!(plan.page("scenarios/s2/").is_some());
        assert!(plan.page("disciplines/mathematiques/page/2/").is_some());
    }

    #[test]
    fn feeds_are_the_site_and_the_values_of_three_facets() {
        let plan = Site::new(scenarios(1)).plan().expect("plan");
        let feeds = plan.feeds();
        let addresses: Vec<(&str, &str)> = feeds
            .iter()
            .map(|f| (f.path.as_str(), f.page.as_str()))
            .collect();
        assert_eq!(
            addresses,
            [
                ("flux.xml", ""),
                (
                    "disciplines/mathematiques/flux.xml",
                    "disciplines/mathematiques/"
                ),
                ("disciplines/svt/flux.xml", "disciplines/svt/"),
                ("niveaux/5e/flux.xml", "niveaux/5e/"),
                ("academies/ac-lyon/flux.xml", "academies/ac-lyon/"),
            ]
        );
        // Every feed's page is a planned page.
        for feed in &feeds {
            assert!(plan.page(&feed.page).is_some(), "{}", feed.page);
        }
    }

    #[test]
    fn a_free_page_cannot_take_a_generated_address() {
        let mut content = SiteContent::with_scenarios(scenarios(1));
        content.pages.push(Page {
            slug: "recherche".to_string(),
            source: "content/pages/recherche.md".into(),
            titre: "Recherche".to_string(),
            description: None,
            ordre: 1,
            body: String::new(),
            body_line: 1,
        });
        let errors = Site::with_content(content).plan().expect_err("taken");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, ErrorKind::DuplicateSlug);
        assert_eq!(errors[0].file, Path::new("content/pages/recherche.md"));
    }

    #[test]
    fn a_draft_is_planned_only_when_drafts_are_shown() {
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = dir.path().join("content/scenarios");
        std::fs::create_dir_all(&folder).expect("mkdir");
        for (slug, draft) in [("publie", false), ("ebauche", true)] {
            let source = format!(
                "---\ntitre: {slug}\nresume: Résumé.\ndate: 2025-03-01\nauteurs:\n  - nom: Camille Martin\nacademie: Lyon\ndisciplines: [Mathématiques]\nniveaux: [5e]\nbrouillon: {draft}\n---\n\nTexte.\n"
            );
            std::fs::write(folder.join(format!("{slug}.md")), source).expect("write");
        }
        let site = Site::new(Vec::new());
        for (drafts, expected) in [(false, false), (true, true)] {
            let loaded = crate::content::load(dir.path(), &site.config, &site.vocabs, drafts)
                .unwrap_or_else(|e| panic!("{e:?}"));
            let plan = Site::with_content(loaded.content).plan().expect("plan");
            assert!(plan.page("scenarios/publie/").is_some());
            assert_eq!(plan.page("scenarios/ebauche/").is_some(), expected);
        }
    }
}
