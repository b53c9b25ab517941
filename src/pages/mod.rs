//! The HTML pages of the site. Each page is a theme template filled with a context computed
//! here: labels, dates, counts and links are prepared in Rust so that templates stay simple.

pub mod dashboard;
pub mod jsonld;
mod listings;
pub mod reuse;
mod scenario;
mod standalone;
mod wording;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;

use crate::content::facet::{vocab_label, FacetValue};
use crate::content::{Facet, Page, Scenario};
use crate::diagnostics::{self, Diagnostic};
use crate::markdown::TocEntry;
use crate::publish::describe::{picture, Picture};
use crate::publish::plan::{page_count, PageKind, PagePlan, PlannedPage, NOT_FOUND};
use crate::publish::urls::{self, absolute_url, facet_feed, has_base_url, LinkStyle, SITE_FEED};
use crate::publish::wording::{
    academy_name, capitalize, facet_value_title, licence, scenario_count,
};
use crate::publish::{BuildInput, FileSink, OutputFile};
use crate::theme::Theme;
use dashboard::{DashboardView, Scope};
use listings::*;
use reuse::{PageContext, Reuse};
use scenario::{scenario_inputs, scenario_job};
use standalone::*;
use wording::count_noun;
pub use wording::long_date;

/// Renders every HTML page of the site, sorted by output path.
pub fn render_pages(input: &BuildInput, theme: &Theme) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    crate::publish::collect_sorted(|sink| render_pages_to(input, theme, sink))
}

/// Renders every page and hands each one to `sink` as soon as it is ready, so a large site
/// is never held in memory at once. Returns the number of pages.
pub fn render_pages_to(
    input: &BuildInput,
    theme: &Theme,
    sink: &FileSink,
) -> Result<usize, Vec<Diagnostic>> {
    let plan = Plan::new(input)?;
    render_planned(input, theme, &plan, Pages::All, sink, None)
}

/// Which pages of a plan to render. Scenario pages show related scenarios, which come from
/// the search index; the other pages do not need it, so the build renders them while the
/// index is being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pages {
    All,
    AllButScenarios,
    Scenarios,
}

impl Pages {
    fn includes(self, page: &PlannedPage) -> bool {
        let scenario = matches!(page.kind, PageKind::Scenario { .. });
        match self {
            Pages::All => true,
            Pages::AllButScenarios => !scenario,
            Pages::Scenarios => scenario,
        }
    }
}

/// Renders the pages of `plan` selected by `which`, handing each one to `sink`, but those
/// that `reuse` keeps from the previous build. Returns the number of pages, kept or not.
pub fn render_planned(
    input: &BuildInput,
    theme: &Theme,
    plan: &Plan,
    which: Pages,
    sink: &FileSink,
    reuse: Option<&Reuse>,
) -> Result<usize, Vec<Diagnostic>> {
    let mut pages = SitePages::new(input, plan);
    pages.site.defer_contexts = reuse.is_some_and(|reuse| !reuse.is_empty());
    pages.site.cards = Some(Mutex::new(HashMap::new()));
    let selected: Vec<&PlannedPage> = plan
        .page_plan
        .pages
        .iter()
        .filter(|page| which.includes(page))
        .collect();
    let mut errors: Vec<Diagnostic> = selected
        .par_iter()
        .filter_map(|page| pages.render_or_keep(theme, page, sink, reuse).err())
        .collect();
    if !errors.is_empty() {
        // The same template error shows on many pages: report it once.
        diagnostics::sort(&mut errors);
        errors.dedup();
        return Err(errors);
    }
    Ok(selected.len())
}

/// Every page of a site, planned but not rendered: a page's context is built only when the
/// page is rendered, so memory stays flat and `vitrine serve` renders only the pages asked for.
pub struct SitePages<'a> {
    site: Site<'a>,
    plan: &'a Plan,
    /// Sub-facet counts of each facet value's listing, computed on first use (shared by the
    /// pages of the listing).
    subsets: Vec<Vec<OnceLock<SubsetCounts>>>,
}

/// The page plan of a site (see [`PagePlan`]) with what its listings need to count their
/// sub-facets. Owns its data, so `vitrine serve` keeps it between requests.
pub struct Plan {
    page_plan: PagePlan,
    /// See [`Site::value_indices`].
    value_indices: Vec<Vec<Vec<u32>>>,
}

impl Plan {
    /// Plans every page; two pages with the same address are an error.
    pub fn new(input: &BuildInput) -> Result<Plan, Vec<Diagnostic>> {
        let page_plan = PagePlan::new(input)?;
        let value_indices = value_indices(&page_plan.facets, input.content.scenarios.len());
        Ok(Plan {
            page_plan,
            value_indices,
        })
    }

    /// Every page of the site, for the outputs that list pages (sitemap, feeds).
    pub fn page_plan(&self) -> &PagePlan {
        &self.page_plan
    }

    /// Site paths of every page (`""` for the home page, `scenarios/x/`, `404.html`).
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.page_plan.paths()
    }
}

impl<'a> SitePages<'a> {
    /// Ready to render the pages of `plan`, which must have been made from `input`.
    pub fn new(input: &'a BuildInput<'a>, plan: &'a Plan) -> SitePages<'a> {
        let facets = &plan.page_plan.facets;
        let site = Site::new(input, facets, &plan.value_indices);
        let subsets = facets
            .iter()
            .map(|(_, values)| values.iter().map(|_| OnceLock::new()).collect())
            .collect();
        SitePages {
            site,
            plan,
            subsets,
        }
    }

    /// Renders the page at a site path, if there is one.
    pub fn render_path(&self, theme: &Theme, path: &str) -> Option<Result<OutputFile, Diagnostic>> {
        let page = self.plan.page_plan.page(path)?;
        Some(self.render_page(theme, page))
    }

    fn render_page(&self, theme: &Theme, page: &PlannedPage) -> Result<OutputFile, Diagnostic> {
        let job = self.full_job(theme, page);
        render_job(theme, &job, urls::output_file(&page.path))
    }

    /// Renders a page and hands it to `sink`, unless `reuse` keeps the previous build's file:
    /// kept at once when the page's inputs are the ones recorded, else when its context gives
    /// the key recorded (the inputs changed, maybe not what the page shows of them).
    fn render_or_keep(
        &self,
        theme: &Theme,
        page: &PlannedPage,
        sink: &FileSink,
        reuse: Option<&Reuse>,
    ) -> Result<(), Diagnostic> {
        let path = urls::output_file(&page.path);
        let Some(reuse) = reuse else {
            return sink(render_job(theme, &self.full_job(theme, page), path)?);
        };
        let inputs = self.page_inputs(reuse.shared_inputs(), page);
        if reuse.kept_unchanged(&path, &inputs)? {
            return Ok(());
        }
        let job = self.full_job(theme, page);
        if reuse.kept(&path, job.context.key(job.template), inputs)? {
            return Ok(());
        }
        sink(render_job(theme, &job, path)?)
    }

    /// Hash of everything the page's context is made from, besides the site key: the inputs
    /// every page shares, the page's address and a scenario page's own inputs.
    fn page_inputs(&self, shared: &str, page: &PlannedPage) -> String {
        let mut hasher = blake3::Hasher::new();
        for part in [shared, page.path.as_str()] {
            reuse::hash_part(&mut hasher, part.as_bytes());
        }
        if let PageKind::Scenario { index } = page.kind {
            scenario_inputs(&self.site, index, &mut hasher);
        }
        hasher.finalize().to_hex().to_string()
    }

    /// The page's job with what it takes from the theme.
    fn full_job(&self, theme: &Theme, page: &PlannedPage) -> Job {
        let mut job = self.job(page);
        if matches!(page.kind, PageKind::NotFound) {
            job.context
                .insert("styles_en_ligne", &InlineStyles::of(theme));
        }
        job
    }

    fn job(&self, page: &PlannedPage) -> Job {
        let site = &self.site;
        match page.kind {
            PageKind::Home => home_job(site),
            PageKind::Search => search_job(site),
            PageKind::Dashboard => dashboard_job(site),
            PageKind::NotFound => not_found_job(site),
            PageKind::AllScenarios { page } => all_scenarios_job(site, page),
            PageKind::FacetIndex { facet } => {
                let (facet, values) = &site.facets[facet];
                facet_index_job(site, *facet, values)
            }
            PageKind::FacetValue { facet, value, page } => {
                let counts = self.subsets[facet][value]
                    .get_or_init(|| subset_counts(site, facet, &site.facets[facet].1[value]));
                facet_value_job(site, facet, value, page, counts)
            }
            PageKind::Free { index } => free_page_job(site, &site.input.content.pages[index]),
            PageKind::Scenario { index } => scenario_job(site, index),
        }
    }
}

/// The theme's styles and icon written into a page served at any depth, where no relative
/// path and, without `base_url`, no absolute path leads to `static/` (the 404 page).
#[derive(Serialize)]
struct InlineStyles {
    ecran: String,
    impression: String,
    /// The icon as a `data:` address.
    icone: String,
}

impl InlineStyles {
    fn of(theme: &Theme) -> InlineStyles {
        let statics = theme.static_files().unwrap_or_default();
        let file = |name: &str| {
            let path = urls::static_file(name);
            statics
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
                .unwrap_or_default()
        };
        // `</` would end the <style> element early; `<\/` means the same in CSS.
        let css = |name: &str| file(name).replace("</", "<\\/");
        let svg = file("favicon.svg");
        let icon = percent_encoding::utf8_percent_encode(&svg, percent_encoding::NON_ALPHANUMERIC);
        InlineStyles {
            ecran: css("style.css"),
            impression: css("print.css"),
            icone: format!("data:image/svg+xml,{icon}"),
        }
    }
}

/// One page to render: its template and context.
struct Job {
    template: &'static str,
    context: PageContext,
}

fn render_job(theme: &Theme, job: &Job, path: String) -> Result<OutputFile, Diagnostic> {
    theme
        .render(job.template, &job.context.tera())
        .map(|html| OutputFile {
            path,
            contents: html.into_bytes(),
        })
}

// ---------------------------------------------------------------------------------------------
// Site-wide data computed once.

/// One value of a facet with the scenarios that have it (indices, newest first).
struct Site<'a> {
    input: &'a BuildInput<'a>,
    by_slug: BTreeMap<&'a str, usize>,
    /// Every facet in `Facet::ALL` order with its used values, in presentation order.
    facets: &'a [(Facet, Vec<FacetValue>)],
    /// Per facet (same order as `facets`), per scenario: the indices of its values. Counting
    /// the values of every facet within a listing then costs no string comparison.
    value_indices: &'a [Vec<Vec<u32>>],
    /// Free pages in footer order: (ordre, titre).
    footer_pages: Vec<&'a Page>,
    /// Page contexts are only serialized until a page turns out to need rendering (see
    /// [`PageContext::deferred`]): set when the previous build recorded its pages.
    defer_contexts: bool,
    /// Cards already made, per way of writing links (see [`Site::cards`]), when the whole
    /// site is rendered (`vitrine serve` renders one page at a time: it makes its cards).
    cards: Option<CardCache>,
}

/// The card of each scenario (by index), made on first use, for the pages whose links start
/// the same way: a scenario is shown on a dozen listings and related lists, and its card would
/// otherwise be made for each.
type CardsAtDepth = Vec<OnceLock<Card>>;

/// [`CardsAtDepth`] by root and link style.
type CardCache = Mutex<HashMap<(String, LinkStyle), Arc<CardsAtDepth>>>;

impl<'a> Site<'a> {
    fn new(
        input: &'a BuildInput<'a>,
        facets: &'a [(Facet, Vec<FacetValue>)],
        value_indices: &'a [Vec<Vec<u32>>],
    ) -> Site<'a> {
        let scenarios = &input.content.scenarios;
        let by_slug = scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.as_str(), i))
            .collect();
        let mut footer_pages: Vec<&Page> = input.content.pages.iter().collect();
        footer_pages
            .sort_by(|a, b| (a.ordre, &a.titre, &a.slug).cmp(&(b.ordre, &b.titre, &b.slug)));
        Site {
            input,
            by_slug,
            facets,
            value_indices,
            footer_pages,
            defer_contexts: false,
            cards: None,
        }
    }

    /// The cards of the scenarios at `indices`, with links written by `linker`. A card's links
    /// depend only on how the linker starts them (its root and style): cards are made once per
    /// scenario and start.
    fn cards(&self, linker: &Linker, indices: &[usize]) -> Vec<Card> {
        let Some(cards) = &self.cards else {
            return indices.iter().map(|&i| card(self, linker, i)).collect();
        };
        let made = {
            let mut by_start = cards.lock().unwrap_or_else(PoisonError::into_inner);
            let start = (linker.root(), linker.style);
            Arc::clone(by_start.entry(start).or_insert_with(|| {
                Arc::new(
                    (0..self.scenarios().len())
                        .map(|_| OnceLock::new())
                        .collect(),
                )
            }))
        };
        indices
            .iter()
            .map(|&i| match made.get(i) {
                Some(slot) => slot.get_or_init(|| card(self, linker, i)).clone(),
                None => card(self, linker, i),
            })
            .collect()
    }

    fn per_page(&self) -> usize {
        self.input.config.scenarios_par_page.max(1)
    }

    fn scenarios(&self) -> &'a [std::sync::Arc<Scenario>] {
        &self.input.content.scenarios
    }

    fn values(&self, facet: Facet) -> &[FacetValue] {
        self.facets
            .iter()
            .find(|(f, _)| *f == facet)
            .map(|(_, values)| values.as_slice())
            .unwrap_or(&[])
    }

    /// Label of a value as shown everywhere except on the scenario page itself.
    fn label(&self, facet: Facet, key: &str) -> String {
        match self.values(facet).iter().find(|v| v.key == key) {
            Some(value) => value.label.clone(),
            None => vocab_label(self.input.vocabs, facet, key),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Links.

/// Builds hrefs from one page: relative to its site path, or absolute from the base path for
/// the 404 page, which is served at any depth.
struct Linker {
    from: String,
    absolute_base: Option<String>,
    style: LinkStyle,
}

impl Linker {
    fn relative(from: &str) -> Linker {
        Linker {
            from: from.to_string(),
            absolute_base: None,
            style: LinkStyle::Web,
        }
    }

    fn absolute(base_path: String) -> Linker {
        Linker {
            from: String::new(),
            absolute_base: Some(base_path),
            style: LinkStyle::Web,
        }
    }

    fn href(&self, target: &str) -> String {
        match &self.absolute_base {
            Some(base) => self.style.href(format!("{base}{target}")),
            None => self.style.relative(&self.from, target),
        }
    }

    /// Prefix that leads to the site root, for assets: `{{ root }}static/style.css`.
    fn root(&self) -> String {
        match &self.absolute_base {
            Some(base) => base.clone(),
            None => "../".repeat(self.from.matches('/').count()),
        }
    }
}

fn is_external(href: &str) -> bool {
    href.starts_with("http://") || href.starts_with("https://")
}

// ---------------------------------------------------------------------------------------------
// Context pieces shared by templates.

#[derive(Serialize)]
struct SiteInfo<'a> {
    titre: &'a str,
    description: &'a str,
    editeur: Option<Editeur<'a>>,
}

#[derive(Serialize)]
struct Editeur<'a> {
    nom: &'a str,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct PageInfo {
    /// The page's own title (h1 of most pages, og:title).
    titre: String,
    /// `<title>`: « Titre – Site », unique per page.
    titre_document: String,
    description: Option<String>,
    /// Absolute address, only when `base_url` is set.
    canonique: Option<String>,
    /// Open Graph type: `article` for scenarios, `website` otherwise.
    type_og: &'static str,
}

/// An Atom feed announced in the page head (`<link rel="alternate">`).
#[derive(Serialize)]
struct FeedLink {
    titre: String,
    href: String,
}

#[derive(Serialize)]
struct MainLinks {
    accueil: String,
    scenarios: String,
    recherche: String,
}

/// A navigation entry; `courant` is the `aria-current` value, if any.
#[derive(Serialize)]
struct NavItem {
    libelle: String,
    href: String,
    courant: Option<&'static str>,
}

/// A breadcrumb; the last one (the current page) has no link.
#[derive(Serialize)]
struct Crumb {
    libelle: String,
    href: Option<String>,
}

/// A scenario summary for listings.
#[derive(Clone, Serialize)]
struct Card {
    titre: String,
    href: String,
    /// The link leaves the site (a harvested scenario, on its académie's site).
    externe: bool,
    /// « Sur le site de l'académie de Lyon » for a harvested scenario.
    origine: Option<String>,
    resume: String,
    date: String,
    date_iso: String,
    etiquettes: Vec<String>,
    vignette: Option<String>,
    /// Stands for the picture when there is none.
    pastille: Option<Placeholder>,
    /// Not published: listed only by the preview, with a marker.
    brouillon: bool,
}

/// An entry point to a facet.
#[derive(Serialize)]
struct FacetLink {
    titre: &'static str,
    href: String,
    detail: String,
}

/// A facet value with the number of scenarios having it.
#[derive(Serialize)]
struct ValueCount {
    libelle: String,
    href: String,
    nombre: usize,
}

#[derive(Serialize)]
struct SubFacet {
    titre: String,
    valeurs: Vec<ValueCount>,
}

#[derive(Serialize)]
struct Pagination {
    precedente: Option<String>,
    suivante: Option<String>,
    pages: Vec<PageNumber>,
}

#[derive(Serialize)]
struct PageNumber {
    numero: usize,
    href: String,
    courante: bool,
    /// A gap in the page numbers (« … »).
    ellipse: bool,
}

/// What every page needs besides its own content.
struct Frame<'s> {
    path: String,
    linker: Linker,
    titre: String,
    description: Option<String>,
    fil: Vec<(&'s str, Option<String>)>,
    type_og: &'static str,
    /// Feed of the page besides the site feed: (title, site path).
    flux: Option<(String, String)>,
}

impl<'s> Frame<'s> {
    /// A page at `path`, with breadcrumbs (label, target site path) before the current page.
    fn new(path: String, titre: String) -> Frame<'s> {
        Frame {
            linker: Linker::relative(&path),
            path,
            titre,
            description: None,
            fil: Vec::new(),
            type_og: "website",
            flux: None,
        }
    }

    fn crumb(mut self, label: &'s str, target: Option<String>) -> Frame<'s> {
        self.fil.push((label, target));
        self
    }

    fn description(mut self, description: Option<String>) -> Frame<'s> {
        self.description = description.filter(|d| !d.is_empty());
        self
    }
}

const MENU: [(&str, &str); 6] = [
    ("Accueil", ""),
    ("Scénarios", "scenarios/"),
    ("Disciplines", "disciplines/"),
    ("Niveaux", "niveaux/"),
    ("Académies", "academies/"),
    ("Rechercher", "recherche/"),
];

/// `aria-current` of a link to `target` on the page at `current`: the page itself, or the
/// section it belongs to.
fn current_marker(current: &str, target: &str, is_404: bool) -> Option<&'static str> {
    if is_404 {
        None
    } else if current == target {
        Some("page")
    } else if !target.is_empty() && current.starts_with(target) {
        Some("true")
    } else {
        None
    }
}

/// The context shared by every template: site, page, main links, menu, footer, breadcrumbs.
fn base_context(site: &Site, frame: &Frame) -> PageContext {
    let config = site.input.config;
    let is_404 = frame.linker.absolute_base.is_some();
    let link = |target: &str| frame.linker.href(target);
    let mut ctx = if site.defer_contexts {
        PageContext::deferred()
    } else {
        PageContext::new()
    };
    ctx.insert("root", &frame.linker.root());
    ctx.insert(
        "site",
        &SiteInfo {
            titre: &config.titre,
            description: &config.description,
            editeur: config.editeur.as_ref().map(|e| Editeur {
                nom: &e.nom,
                url: e.url.as_deref(),
            }),
        },
    );
    let titre_document = if frame.path.is_empty() {
        config.titre.clone()
    } else {
        format!("{} – {}", frame.titre, config.titre)
    };
    ctx.insert(
        "page",
        &PageInfo {
            titre: frame.titre.clone(),
            titre_document,
            description: frame
                .description
                .clone()
                .or_else(|| Some(config.description.clone()).filter(|d| !d.is_empty())),
            canonique: if is_404 {
                None
            } else {
                absolute_url(&config.base_url, &frame.path)
            },
            type_og: frame.type_og,
        },
    );
    // Feeds exist only with a public address (see `exports::feeds`).
    let mut flux = Vec::new();
    if has_base_url(config) {
        flux.push(FeedLink {
            titre: format!("{} (flux Atom)", config.titre),
            href: link(SITE_FEED),
        });
        if let Some((titre, path)) = &frame.flux {
            flux.push(FeedLink {
                titre: format!("{titre} (flux Atom)"),
                href: link(path),
            });
        }
    }
    ctx.insert("flux", &flux);
    // Structured data (JSON-LD) of the page: set by the scenario pages.
    ctx.insert("jsonld", &None::<String>);
    ctx.insert(
        "liens",
        &MainLinks {
            accueil: link(&urls::home()),
            scenarios: link(&urls::scenarios_listing(1)),
            recherche: link(&urls::search()),
        },
    );
    let menu: Vec<NavItem> = MENU
        .iter()
        .map(|(label, target)| NavItem {
            libelle: label.to_string(),
            href: link(target),
            courant: current_marker(&frame.path, target, is_404),
        })
        .collect();
    ctx.insert("menu", &menu);
    // The dashboard is about the site, as the free pages are: it is listed with them.
    let dashboard = urls::dashboard();
    let footer: Vec<NavItem> = std::iter::once((DASHBOARD_TITLE.to_string(), dashboard))
        .chain(
            site.footer_pages
                .iter()
                .map(|page| (page.titre.clone(), urls::page(&page.slug))),
        )
        .map(|(libelle, target)| NavItem {
            href: link(&target),
            courant: current_marker(&frame.path, &target, is_404),
            libelle,
        })
        .collect();
    ctx.insert("pied", &footer);
    let mut fil: Vec<Crumb> = Vec::new();
    if !frame.path.is_empty() && !is_404 {
        fil.push(Crumb {
            libelle: "Accueil".to_string(),
            href: Some(link(&urls::home())),
        });
        for (label, target) in &frame.fil {
            fil.push(Crumb {
                libelle: label.to_string(),
                href: target.as_deref().map(link),
            });
        }
        fil.push(Crumb {
            libelle: frame.titre.clone(),
            href: None,
        });
    }
    ctx.insert("fil", &fil);
    ctx
}

fn job(site: &Site, mut frame: Frame, template: &'static str) -> (Job, Linker) {
    frame.linker.style = LinkStyle::of(site.input.config);
    let context = base_context(site, &frame);
    (Job { template, context }, frame.linker)
}

fn card(site: &Site, linker: &Linker, index: usize) -> Card {
    let scenario = &site.scenarios()[index];
    let meta = &scenario.meta;
    let mut etiquettes: Vec<String> = meta
        .disciplines
        .iter()
        .map(|k| site.label(Facet::Subjects, k))
        .collect();
    etiquettes.extend(meta.niveaux.iter().map(|k| site.label(Facet::Levels, k)));
    let href = match &scenario.origine {
        Some(origine) => origine.url.clone(),
        None => linker.href(&urls::scenario(&scenario.slug)),
    };
    let vignette = vignette_src(linker, scenario);
    Card {
        titre: meta.titre.clone(),
        href,
        externe: scenario.is_harvested(),
        origine: crate::publish::wording::marker(site.input.vocabs, scenario),
        resume: meta.resume.clone(),
        date: long_date(meta.date),
        date_iso: meta.date.to_string(),
        etiquettes,
        pastille: vignette.is_none().then(|| placeholder(site, scenario)),
        vignette,
        brouillon: meta.brouillon,
    }
}

fn cards(site: &Site, linker: &Linker, indices: &[usize]) -> Vec<Card> {
    site.cards(linker, indices)
}

/// The picture of a scenario: an external address as is, or a file of its bundle.
fn vignette_src(linker: &Linker, scenario: &Scenario) -> Option<String> {
    Some(match picture(scenario)? {
        Picture::External(url) => url,
        Picture::File(path) => linker.href(&path),
    })
}

fn facet_links(site: &Site, linker: &Linker) -> Vec<FacetLink> {
    site.facets
        .iter()
        .map(|(facet, values)| FacetLink {
            titre: facet.title(),
            href: linker.href(&urls::facet_index(*facet)),
            detail: count_noun(*facet, values.len()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_window_keeps_ends_and_neighbours() {
        use super::page_window;
        let shown = |current, pages| -> Vec<String> {
            page_window(current, pages)
                .into_iter()
                .map(|n| n.map_or("…".to_string(), |n| n.to_string()))
                .collect()
        };
        assert_eq!(shown(1, 3), ["1", "2", "3"]);
        assert_eq!(shown(1, 10), ["1", "2", "3", "…", "10"]);
        assert_eq!(shown(5, 10), ["1", "2", "3", "4", "5", "6", "7", "…", "10"]);
        assert_eq!(shown(6, 12), ["1", "…", "4", "5", "6", "7", "8", "…", "12"]);
        assert_eq!(shown(12, 12), ["1", "…", "10", "11", "12"]);
    }

    use super::*;
    use crate::config::Config;
    use crate::content::facet::tool_labels;
    use crate::content::{Auteur, Duree, Ressource, SiteContent};
    use crate::diagnostics::ErrorKind;
    use crate::markdown::Rendered;
    use crate::vocab::{Entry, VocabName, Vocabularies};
    use chrono::NaiveDate;
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn entry(cle: &str, libelle: &str) -> Entry {
        Entry {
            cle: cle.to_string(),
            libelle: libelle.to_string(),
            uri: None,
            alias: Vec::new(),
            cycle: None,
            domaine: None,
        }
    }

    fn vocabs() -> Vocabularies {
        let mut v = Vocabularies::builtin().expect("builtin vocabularies");
        v.extend(
            VocabName::Subjects,
            vec![entry("mathematiques", "Mathématiques"), entry("svt", "SVT")],
        );
        v.extend(
            VocabName::Levels,
            vec![entry("5e", "Cinquième"), entry("4e", "Quatrième")],
        );
        v.extend(VocabName::Cycles, vec![entry("cycle-4", "Cycle 4")]);
        v.extend(
            VocabName::Academies,
            vec![
                entry("lyon", "Lyon"),
                entry("orleans-tours", "Orléans-Tours"),
            ],
        );
        v.extend(VocabName::Types, vec![entry("sequence", "Séquence")]);
        v.extend(VocabName::Modes, vec![entry("classe", "En classe")]);
        v.extend(
            VocabName::DigitalSkills,
            vec![entry(
                "1.1",
                "Mener une recherche et une veille d'information",
            )],
        );
        v
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn scenario(
        slug: &str,
        day: u32,
        academie: &str,
        discipline: &str,
        outils: &[&str],
    ) -> Scenario {
        let mut s = Scenario::example(slug);
        let meta = &mut s.meta;
        meta.titre = format!("Scénario <{slug}>");
        meta.resume = format!("Résumé de {slug}.");
        meta.date = date(2025, 3, day);
        meta.auteurs = vec![Auteur {
            nom: "Camille Martin".to_string(),
            fonction: Some("professeure".to_string()),
            etablissement: None,
        }];
        meta.academie = academie.to_string();
        meta.disciplines = vec![discipline.to_string()];
        meta.types = vec!["sequence".to_string()];
        meta.modalites = vec!["classe".to_string()];
        meta.duree = Some(Duree {
            affichage: "2 x 55 min".to_string(),
            iso: "PT1H50M".to_string(),
            minutes: 110,
        });
        meta.outils = outils.iter().map(|s| s.to_string()).collect();
        meta.competences_numeriques = vec!["1.1".to_string()];
        meta.mots_cles = vec!["géométrie".to_string()];
        meta.licence = "CC-BY-SA-4.0".to_string();
        s
    }

    fn page(slug: &str, titre: &str, ordre: i64) -> Page {
        Page {
            slug: slug.to_string(),
            source: PathBuf::from(format!("content/pages/{slug}.md")),
            titre: titre.to_string(),
            description: None,
            ordre,
            body: String::new(),
            body_line: 1,
        }
    }

    /// The only place that builds a `Rendered`, so that new fields of the markdown stage do
    /// not ripple through the tests.
    fn rendered(html: &str, toc: Vec<TocEntry>) -> Rendered {
        let mut rendered = Rendered::with_html(html);
        rendered.toc = toc;
        rendered
    }

    fn toc_entry(id: &str, title: &str) -> TocEntry {
        TocEntry {
            level: 2,
            id: id.to_string(),
            title: title.to_string(),
        }
    }

    struct Fixture {
        config: Config,
        vocabs: Vocabularies,
        content: SiteContent,
        scenarios_html: BTreeMap<String, std::sync::Arc<Rendered>>,
        pages_html: BTreeMap<String, Rendered>,
        related: BTreeMap<String, Vec<String>>,
    }

    impl Fixture {
        fn new() -> Fixture {
            let config =
                Config::parse("titre: Vitrine test\nscenarios_par_page: 2\nscenarios_accueil: 3\n")
                    .expect("config");
            let mut bundle = scenario("pythagore", 20, "lyon", "mathematiques", &["GeoGebra"]);
            bundle.bundle_dir = Some(PathBuf::from("content/scenarios/pythagore"));
            bundle.bundle_files = vec![
                PathBuf::from("vignette.png"),
                PathBuf::from("docs/fiche.pdf"),
            ];
            bundle.meta.vignette = Some("vignette.png".to_string());
            bundle.meta.vignette_alt = Some("Un triangle rectangle".to_string());
            bundle.meta.mise_a_jour = Some(date(2025, 4, 1));
            bundle.meta.ressources = vec![
                Ressource {
                    titre: "Fiche élève".to_string(),
                    url: None,
                    fichier: Some("docs/fiche.pdf".to_string()),
                },
                Ressource {
                    titre: "Site externe".to_string(),
                    url: Some("https://example.org/ressource".to_string()),
                    fichier: None,
                },
            ];
            bundle.meta.url_source = Some("https://example.org/source".to_string());
            let scenarios = vec![
                bundle,
                scenario(
                    "thales",
                    15,
                    "lyon",
                    "mathematiques",
                    &["Geogebra", "Tableur"],
                ),
                scenario("cellule", 10, "orleans-tours", "svt", &["geogebra"]),
                scenario("volcans", 5, "orleans-tours", "svt", &["Tableur"]),
                scenario("fractions", 2, "lyon", "mathematiques", &[]),
            ]
            .into_iter()
            .map(std::sync::Arc::new)
            .collect();
            let home = page("", "Accueil", 0);
            let content = SiteContent {
                home,
                pages: vec![
                    page("mentions-legales", "Mentions légales", 2),
                    page("a-propos", "À propos", 1),
                ],
                scenarios,
            };
            let body = "<h2 id=\"intro\">Intro</h2><p>Texte <strong>gras</strong></p><h2 id=\"suite\">Suite</h2>";
            let toc = vec![toc_entry("intro", "Intro"), toc_entry("suite", "Suite")];
            let mut scenarios_html = BTreeMap::new();
            scenarios_html.insert(
                "pythagore".to_string(),
                std::sync::Arc::new(rendered(body, toc)),
            );
            let mut pages_html = BTreeMap::new();
            pages_html.insert(
                String::new(),
                rendered("<p>PRESENTATION-ACCUEIL</p>", Vec::new()),
            );
            pages_html.insert(
                "a-propos".to_string(),
                rendered("<p>Qui sommes-nous</p>", Vec::new()),
            );
            let mut related = BTreeMap::new();
            related.insert(
                "pythagore".to_string(),
                vec!["thales".to_string(), "absent".to_string()],
            );
            Fixture {
                config,
                vocabs: vocabs(),
                content,
                scenarios_html,
                pages_html,
                related,
            }
        }

        fn input(&self) -> BuildInput<'_> {
            BuildInput {
                config: &self.config,
                vocabs: &self.vocabs,
                content: &self.content,
                scenarios_html: &self.scenarios_html,
                pages_html: &self.pages_html,
                related: &self.related,
                package_sizes: &crate::publish::NO_PACKAGE_SIZES,
            }
        }
    }

    fn default_theme() -> Theme {
        let dir = tempfile::tempdir().expect("tempdir");
        Theme::load(dir.path(), "defaut").expect("default theme")
    }

    fn render(fixture: &Fixture) -> Vec<OutputFile> {
        render_pages(&fixture.input(), &default_theme()).expect("pages")
    }

    fn html<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
        let file = files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} not produced"));
        std::str::from_utf8(&file.contents).expect("utf-8")
    }

    #[test]
    fn every_expected_page_is_produced() {
        let files = render(&Fixture::new());
        let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let expected = [
            "index.html",
            "404.html",
            "recherche/index.html",
            "scenarios/index.html",
            "scenarios/page/2/index.html",
            "scenarios/page/3/index.html",
            "scenarios/pythagore/index.html",
            "scenarios/fractions/index.html",
            "a-propos/index.html",
            "mentions-legales/index.html",
            "disciplines/index.html",
            "disciplines/mathematiques/index.html",
            "disciplines/mathematiques/page/2/index.html",
            "disciplines/svt/index.html",
            "academies/orleans-tours/index.html",
            "competences-numeriques/1.1/index.html",
            "outils/index.html",
            "outils/geogebra/index.html",
            "outils/geogebra/page/2/index.html",
            "outils/tableur/index.html",
        ];
        for path in expected {
            assert!(paths.contains(path), "{path} missing from {paths:?}");
        }
        // Facets nobody uses have an index page but no value pages.
        assert!(paths.contains("types/index.html"));
        assert!(!paths.iter().any(|p| p.starts_with("disciplines/x/")));
        let mut sorted: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        sorted.sort();
        let produced: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(produced, sorted);
    }

    #[test]
    fn listings_are_paginated() {
        let fixture = Fixture::new();
        let files = render(&fixture);
        let listing_pages = files
            .iter()
            .filter(|f| f.path.starts_with("scenarios/page/") || f.path == "scenarios/index.html")
            .count();
        assert_eq!(listing_pages, 3);
        assert_eq!(page_count(5, 2), 3);
        assert_eq!(page_count(0, 12), 1);
        assert_eq!(page_count(12, 12), 1);
        let page2 = html(&files, "scenarios/page/2/index.html");
        assert!(page2.contains("aria-label=\"Pagination\""));
        assert!(page2.contains(
            "<a href=\"../../../scenarios/page/2/\" aria-current=\"page\"><span class=\"visuellement-cache\">Page </span>2</a>"
        ));
        assert_eq!(
            page2.matches("aria-current=\"page\"").count(),
            2,
            "pagination and breadcrumb"
        );
        assert!(page2.contains("<a href=\"../../../scenarios/\" rel=\"prev\">"));
        assert!(page2.contains("<a href=\"../../../scenarios/page/3/\" rel=\"next\">"));
        assert!(!html(&files, "scenarios/index.html").contains("rel=\"prev\""));
        // Newest first: page 2 holds the 3rd and 4th scenarios.
        assert!(page2.contains("Scénario &lt;cellule&gt;"));
        assert!(page2.contains("Scénario &lt;volcans&gt;"));
        assert!(!page2.contains("Scénario &lt;pythagore&gt;"));
        let page3 = html(&files, "scenarios/page/3/index.html");
        assert!(page3.contains("Scénario &lt;fractions&gt;"));
    }

    #[test]
    fn every_page_has_one_h1_and_a_unique_title() {
        let files = render(&Fixture::new());
        let mut titles = BTreeSet::new();
        for file in files.iter().filter(|f| f.path.ends_with(".html")) {
            let text = std::str::from_utf8(&file.contents).expect("utf-8");
            assert_eq!(text.matches("<h1").count(), 1, "{}", file.path);
            assert!(
                text.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"),
                "{}",
                file.path
            );
            let title = text
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
                .expect("title");
            assert!(titles.insert(title.to_string()), "duplicate title {title}");
        }
    }

    /// Site path of the directory an output file is served from.
    fn page_dir(output: &str) -> &str {
        match output.rfind('/') {
            Some(i) => &output[..=i],
            None => "",
        }
    }

    /// Resolves an href found on the page at `dir` to an output file path.
    fn resolve(dir: &str, href: &str, base_path: &str) -> String {
        let href = href.split(['#', '?']).next().unwrap_or("");
        let joined = match href.strip_prefix(base_path) {
            Some(rest) if href.starts_with('/') => rest.to_string(),
            _ => format!("{dir}{href}"),
        };
        let mut parts: Vec<&str> = Vec::new();
        for part in joined.split('/') {
            match part {
                "." | "" => {}
                ".." => {
                    parts.pop();
                }
                other => parts.push(other),
            }
        }
        let mut path = parts.join("/");
        if joined.ends_with('/') || joined.ends_with("/.") || joined.is_empty() || joined == "." {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str("index.html");
        }
        path
    }

    fn attribute_values<'a>(text: &'a str, attribute: &str) -> Vec<&'a str> {
        let needle = format!(" {attribute}=\"");
        text.split(needle.as_str())
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect()
    }

    fn check_links(fixture: &Fixture, files: &[OutputFile], theme: &Theme) {
        let mut known: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
        for (path, _) in theme.static_files().expect("statics") {
            known.insert(path);
        }
        // Feeds announced in the page heads are exports.
        let plan = Plan::new(&fixture.input()).expect("plan");
        for file in crate::exports::files(&fixture.input(), plan.page_plan()).expect("exports") {
            known.insert(file.path);
        }
        for s in &fixture.content.scenarios {
            for f in &s.bundle_files {
                known.insert(urls::scenario_file(&s.slug, &f.to_string_lossy()));
            }
            // Moodle packages are written by `build` beside published scenario pages.
            if !s.meta.brouillon && !s.is_harvested() {
                known.insert(urls::scenario_package(&s.slug));
            }
        }
        let base_path = fixture.config.base_path();
        let mut checked = 0;
        for file in files {
            let text = std::str::from_utf8(&file.contents).expect("utf-8");
            let dir = page_dir(&file.path);
            let mut links = attribute_values(text, "href");
            links.extend(attribute_values(text, "src"));
            links.extend(attribute_values(text, "action"));
            for href in links {
                // (The 404 page's icon is a `data:` address: no file.)
                if href.starts_with("http://")
                    || href.starts_with("https://")
                    || href.starts_with("data:")
                    || href.starts_with('#')
                {
                    continue;
                }
                assert!(
                    file.path == "404.html" || !href.starts_with('/'),
                    "absolute link {href} in {}",
                    file.path
                );
                let target = resolve(dir, href, &base_path);
                assert!(
                    known.contains(&target),
                    "{}: {href} → {target} does not exist",
                    file.path
                );
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} links checked");
    }

    #[test]
    fn the_renderer_renders_every_planned_page_and_no_other() {
        let fixture = Fixture::new();
        let files = render_pages(&fixture.input(), &default_theme()).expect("pages");
        let rendered: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let plan = PagePlan::new(&fixture.input()).expect("plan");
        let mut planned: Vec<String> = plan.paths().map(urls::output_file).collect();
        planned.sort();
        assert_eq!(rendered, planned);
        assert!(rendered.contains(&"academies/lyon/page/2/index.html"));
        assert!(rendered.contains(&"a-propos/index.html"));
    }

    #[test]
    fn internal_links_resolve_to_produced_files() {
        let fixture = Fixture::new();
        let theme = default_theme();
        let files = render_pages(&fixture.input(), &theme).expect("pages");
        check_links(&fixture, &files, &theme);
    }

    #[test]
    fn links_resolve_under_a_sub_path_too() {
        let mut fixture = Fixture::new();
        fixture.config.base_url = "https://www.ac-exemple.fr/vitrine/".to_string();
        let theme = default_theme();
        let files = render_pages(&fixture.input(), &theme).expect("pages");
        check_links(&fixture, &files, &theme);
        let not_found = html(&files, "404.html");
        // Styles inline: a 404 page answered at any depth asks for no `static/` file.
        assert!(!not_found.contains("static/style.css"));
        assert!(not_found.contains("<style>"));
        assert!(not_found.contains("href=\"/vitrine/scenarios/\""));
        assert!(!not_found.contains("rel=\"canonical\""));
        let scenario = html(&files, "scenarios/thales/index.html");
        assert!(scenario.contains(
            "<link rel=\"canonical\" href=\"https://www.ac-exemple.fr/vitrine/scenarios/thales/\">"
        ));
    }

    #[test]
    fn a_harvested_scenario_has_no_page_and_links_to_its_academy() {
        let mut fixture = Fixture::new();
        let thales = fixture
            .content
            .scenarios
            .iter_mut()
            .find(|s| s.slug == "thales")
            .expect("thales");
        std::sync::Arc::make_mut(thales).origine = Some(crate::content::Origine {
            source: "Académie de Lyon".to_string(),
            url: "https://vitrine.ac-lyon.fr/scenarios/thales/".to_string(),
        });
        let theme = default_theme();
        let files = render_pages(&fixture.input(), &theme).expect("pages");
        assert!(!files
            .iter()
            .any(|f| f.path.starts_with("scenarios/thales/")));
        let external = "<a href=\"https://vitrine.ac-lyon.fr/scenarios/thales/\" rel=\"external\">";
        let listing = html(&files, "scenarios/index.html");
        assert!(listing.contains(external), "{listing}");
        assert!(listing
            .contains("<p class=\"carte-origine\">Sur le site de l&#39;académie de Lyon</p>"));
        // Related scenarios of a local page link there too.
        let related = html(&files, "scenarios/pythagore/index.html");
        assert!(related.contains(external));
        // Facet counts still include it.
        let academy = html(&files, "academies/lyon/index.html");
        assert!(academy.contains(">Mathématiques</a> <span class=\"nombre\">(3)</span>"));
        check_links(&fixture, &files, &theme);
    }

    #[test]
    fn the_resolver_used_by_the_link_check_is_right() {
        assert_eq!(resolve("scenarios/a/", "../../", "/"), "index.html");
        assert_eq!(
            resolve("scenarios/a/", "../b/", "/"),
            "scenarios/b/index.html"
        );
        assert_eq!(resolve("", "./", "/"), "index.html");
        assert_eq!(resolve("", "/vitrine/x/", "/vitrine/"), "x/index.html");
        assert_eq!(resolve("a/", "../static/s.css#x", "/"), "static/s.css");
    }

    #[test]
    fn pages_rendered_from_deferred_contexts_are_the_same() {
        let fixture = Fixture::new();
        let input = fixture.input();
        let theme = default_theme();
        let plan = Plan::new(&input).expect("plan");
        // A previous build recorded a page (none of these): every context is deferred, then
        // made from its serialized values to render the page.
        let previous = BTreeMap::from([(
            "ailleurs/index.html".to_string(),
            reuse::RecordedPage {
                key: "k".to_string(),
                inputs: "i".to_string(),
                hash: "h".to_string(),
            },
        )]);
        let keep = |_: &str, _: &str| Ok(false);
        let reuse = Reuse::new(previous, &keep, reuse::shared_inputs(&input));
        let deferred = crate::publish::collect_sorted(|sink| {
            render_planned(&input, &theme, &plan, Pages::All, sink, Some(&reuse))
        })
        .expect("pages");
        let eager = render(&fixture);
        assert_eq!(reuse.rendered(), eager.len());
        assert!(eager.len() > 10, "{}", eager.len());
        assert_eq!(deferred, eager);
    }

    #[test]
    fn shared_inputs_follow_all_but_what_only_a_scenario_page_shows() {
        let mut fixture = Fixture::new();
        let shared = |fixture: &Fixture| reuse::shared_inputs(&fixture.input());
        let first = shared(&fixture);
        assert_eq!(first, shared(&fixture));
        // Only the scenario's page shows its body, related scenarios and package.
        std::sync::Arc::make_mut(&mut fixture.content.scenarios[0]).body = "Autre".into();
        fixture.related.insert("thales".to_string(), vec![]);
        let rendered = fixture.scenarios_html.values_mut().next().expect("a body");
        std::sync::Arc::make_mut(rendered).set_html("<p>Autre</p>".to_string());
        assert_eq!(first, shared(&fixture));
        // Any page may show a scenario's metadata or a free page.
        let mut retitled = Fixture::new();
        std::sync::Arc::make_mut(&mut retitled.content.scenarios[4])
            .meta
            .titre = "T".into();
        assert_ne!(first, shared(&retitled));
        let mut page_changed = Fixture::new();
        page_changed.content.pages[0].titre = "Mentions".to_string();
        assert_ne!(first, shared(&page_changed));
        let mut page_html = Fixture::new();
        let html = page_html.pages_html.values_mut().next().expect("a page");
        let more = format!("{}<p>plus</p>", html.html());
        html.set_html(more);
        assert_ne!(first, shared(&page_html));
        let mut reordered = Fixture::new();
        reordered.content.scenarios.swap(0, 1);
        assert_ne!(first, shared(&reordered));
    }

    #[test]
    fn output_is_deterministic() {
        let fixture = Fixture::new();
        assert_eq!(render(&fixture), render(&fixture));
    }

    #[test]
    fn scenario_page_shows_metadata_toc_body_and_citation() {
        let mut fixture = Fixture::new();
        fixture.config.base_url = "https://www.ac-exemple.fr/vitrine".to_string();
        let files = render(&fixture);
        let page = html(&files, "scenarios/pythagore/index.html");
        assert!(page.contains("<title>Scénario &lt;pythagore&gt; – Vitrine test</title>"));
        assert!(page.contains("<time datetime=\"PT1H50M\">2 x 55 min</time>"));
        assert!(page.contains("<time datetime=\"2025-03-20\">20 mars 2025</time>"));
        assert!(page.contains("<time datetime=\"2025-04-01\">1er avril 2025</time>"));
        assert!(page.contains("href=\"../../disciplines/mathematiques/\">Mathématiques</a>"));
        assert!(page.contains("href=\"../../outils/geogebra/\">GeoGebra</a>"));
        assert!(page.contains("1.1 Mener une recherche"));
        assert!(page.contains("https://creativecommons.org/licenses/by-sa/4.0/deed.fr"));
        assert!(page.contains("aria-label=\"Sommaire\""));
        assert!(page.contains("<a href=\"#suite\">Suite</a>"));
        assert!(page.contains("<p>Texte <strong>gras</strong></p>"));
        assert!(page.contains(
            "src=\"../../scenarios/pythagore/vignette.png\" alt=\"Un triangle rectangle\""
        ));
        assert!(page.contains("(fiche.pdf)"));
        assert!(page.contains("Camille Martin (2025). Scénario &lt;pythagore&gt;. Académie de Lyon. Vitrine test. https://www.ac-exemple.fr/vitrine/scenarios/pythagore/"));
        assert!(page.contains("Scénarios proches"));
        assert!(page.contains("href=\"../../scenarios/thales/\""));
        assert!(page.contains("<span aria-current=\"page\">Scénario &lt;pythagore&gt;</span>"));
        // A single heading in the body is not worth a table of contents.
        let other = html(&files, "scenarios/thales/index.html");
        assert!(!other.contains("aria-label=\"Sommaire\""));
        assert!(!other.contains("Scénarios proches"));
    }

    #[test]
    fn home_and_free_pages() {
        let files = render(&Fixture::new());
        let home = html(&files, "index.html");
        assert!(home.contains("<title>Vitrine test</title>"));
        assert!(home.contains("<p>PRESENTATION-ACCUEIL</p>"));
        assert!(home.contains("action=\"recherche/\""));
        assert_eq!(home.matches("class=\"carte\"").count(), 3);
        assert!(home.contains("<a href=\"./\" aria-current=\"page\">Accueil</a>"));
        let about = home.find("À propos").expect("about link");
        let legal = home.find("Mentions légales").expect("legal link");
        assert!(about < legal, "footer ordered by ordre");
        let page = html(&files, "a-propos/index.html");
        assert!(page.contains("<p>Qui sommes-nous</p>"));
        assert!(page.contains("aria-current=\"page\">À propos</a>"));
        let search = html(&files, "recherche/index.html");
        assert!(search.contains("aria-live=\"polite\""));
        assert!(search.contains("<label for=\"q\">"));
        assert!(!home.contains("rel=\"canonical\""));
    }

    #[test]
    fn facet_pages_count_values_and_subsets() {
        let files = render(&Fixture::new());
        let tools = html(&files, "outils/index.html");
        // « GeoGebra », « Geogebra », « geogebra » once each: the tie goes to the smallest string.
        assert!(
            tools.contains(">GeoGebra</a> <span class=\"nombre\">(3)</span>"),
            "{tools}"
        );
        let geogebra = tools.find(">GeoGebra<").expect("geogebra");
        let tableur = tools.find(">Tableur<").expect("tableur");
        assert!(geogebra < tableur);
        let academy = html(&files, "academies/lyon/index.html");
        assert!(academy.contains("Pôles de compétences"));
        assert!(academy.contains(">Mathématiques</a> <span class=\"nombre\">(3)</span>"));
        assert!(!academy.contains(">SVT</a>"));
        let disciplines = html(&files, "disciplines/index.html");
        let maths = disciplines.find("Mathématiques").expect("maths");
        let svt = disciplines.find("SVT").expect("svt");
        assert!(maths < svt, "vocabulary order");
    }

    #[test]
    fn dashboard_page_and_academy_section() {
        let files = render(&Fixture::new());
        let page = html(&files, "tableau-de-bord/index.html");
        assert!(page.contains("<h1>Tableau de bord</h1>"));
        assert!(page.contains("5 scénarios publiés par 2 académies, dans 2 disciplines, en 2025."));
        // One bar per row of each table: mathematics (3) before SVT (2).
        let maths = page
            .find(">Mathématiques</a></th><td>3</td>")
            .expect("maths row");
        let svt = page.find(">SVT</a></th><td>2</td>").expect("svt row");
        assert!(maths < svt, "by decreasing count");
        assert!(page.contains("href=\"../disciplines/mathematiques/\""));
        assert_eq!(
            page.matches("<rect class=\"barre\"").count(),
            page.matches("<tr><th scope=\"row\">").count()
        );
        assert!(page.contains("role=\"img\" aria-labelledby=\"graphique-academies-svg\""));
        // Linked from the footer of every page.
        let home = html(&files, "index.html");
        assert!(home.contains("<a href=\"tableau-de-bord/\">Tableau de bord</a>"));
        assert!(page.contains("aria-current=\"page\">Tableau de bord</a>"));

        let academy = html(&files, "academies/orleans-tours/index.html");
        assert!(academy.contains("Tableau de bord de l&#39;académie"));
        assert!(academy.contains("2 scénarios publiés, dans 1 discipline, en 2025."));
        assert!(academy.contains(">SVT</a></th><td>2</td>"));
        assert!(!academy.contains("graphique-academies"));
        assert!(!academy.contains(">Mathématiques</a></th>"));
        // Only on the first page of a listing, and only for académies.
        let second = html(&files, "academies/lyon/page/2/index.html");
        assert!(!second.contains("graphique-disciplines"));
        let discipline = html(&files, "disciplines/svt/index.html");
        assert!(!discipline.contains("graphique-disciplines"));
    }

    #[test]
    fn tool_label_is_the_most_frequent_spelling() {
        let mut a = scenario("a", 1, "lyon", "svt", &["Scratch", "scratch"]);
        a.meta.outils = vec!["scratch".to_string()];
        let b = scenario("b", 2, "lyon", "svt", &["Scratch"]);
        let c = scenario("c", 3, "lyon", "svt", &["Scratch"]);
        let labels = tool_labels(&[a.clone(), b, c].map(std::sync::Arc::new));
        assert_eq!(labels["scratch"], "Scratch");
        let d = scenario("d", 4, "lyon", "svt", &["scratch"]);
        let e = scenario("e", 4, "lyon", "svt", &["SCRATCH"]);
        let labels = tool_labels(&[d, e].map(std::sync::Arc::new));
        assert_eq!(labels["scratch"], "SCRATCH");
    }

    #[test]
    fn site_template_override_replaces_the_default() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("templates/page.html");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(
            &path,
            "{% extends \"base.html\" %}{% block contenu %}<h1>SURCHARGE {{ titre }}</h1>{% endblock contenu %}",
        )
        .expect("write");
        let theme = Theme::load(dir.path(), "defaut").expect("theme");
        let fixture = Fixture::new();
        let files = render_pages(&fixture.input(), &theme).expect("pages");
        assert!(html(&files, "a-propos/index.html").contains("<h1>SURCHARGE À propos</h1>"));
        assert!(!html(&files, "index.html").contains("SURCHARGE"));
    }

    #[test]
    fn template_errors_are_diagnostics_not_panics() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("templates/page.html");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, "{% extends \"base.html\" %}{% block contenu %}{{ titre.inconnu }}{% endblock contenu %}")
            .expect("write");
        let theme = Theme::load(dir.path(), "defaut").expect("theme");
        let fixture = Fixture::new();
        let errors = render_pages(&fixture.input(), &theme).unwrap_err();
        // Two free pages hit the same error: reported once.
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].kind, ErrorKind::Template);
        assert_eq!(errors[0].file, Path::new("templates/page.html"));

        std::fs::write(&path, "{% block contenu %}{% endblok %}").expect("write");
        let errors = Theme::load(dir.path(), "defaut")
            .err()
            .expect("syntax error");
        assert_eq!(errors[0].kind, ErrorKind::Template);
        assert_eq!(errors[0].file, Path::new("templates/page.html"));
    }

    #[test]
    fn a_free_page_cannot_take_a_generated_address() {
        let mut fixture = Fixture::new();
        fixture
            .content
            .pages
            .push(page("recherche", "Recherche", 3));
        let errors = render_pages(&fixture.input(), &default_theme()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, ErrorKind::DuplicateSlug);
        assert_eq!(errors[0].file, Path::new("content/pages/recherche.md"));
    }

    #[test]
    fn empty_site_still_renders() {
        let mut fixture = Fixture::new();
        fixture.content.scenarios.clear();
        fixture.content.pages.clear();
        let files = render(&fixture);
        assert!(html(&files, "index.html").contains("Aucun scénario"));
        assert!(html(&files, "scenarios/index.html").contains("aucun scénario"));
    }

    #[test]
    fn french_dates() {
        assert_eq!(long_date(date(2025, 3, 12)), "12 mars 2025");
        assert_eq!(long_date(date(2024, 8, 1)), "1er août 2024");
        assert_eq!(long_date(date(2023, 12, 31)), "31 décembre 2023");
    }
}
