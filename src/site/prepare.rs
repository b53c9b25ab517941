//! The first stages of a build: discover, validate and render Markdown, once for build, check,
//! search and the preview.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Loaded, Scenario};
use crate::diagnostics::{self, Diagnostic, ErrorKind};
use crate::federation;
use crate::markdown::{self, Rendered};
use crate::publish::urls;
use crate::publish::BuildInput;
use crate::site::anchors;
use crate::site::links::LinkTable;
use crate::vocab::Vocabularies;

use crate::site::options::{BuildOptions, Progress};
/// Everything validated and rendered to HTML fragments, before indexing and writing.
pub struct Prepared {
    pub config: Config,
    pub vocabs: Vocabularies,
    pub loaded: Loaded,
    pub scenarios_html: BTreeMap<String, Arc<Rendered>>,
    pub pages_html: BTreeMap<String, Rendered>,
    /// Problems that do not stop the build: harvested entries left out, duplicates.
    pub warnings: Vec<Diagnostic>,
    /// Lists written as one text with commas (read as lists).
    pub comma_lists: Vec<Diagnostic>,
}

impl Prepared {
    /// What every output reads, with `related` as the related scenarios (empty before the
    /// index is built).
    pub fn input<'a>(&'a self, related: &'a BTreeMap<String, Vec<String>>) -> BuildInput<'a> {
        BuildInput {
            config: &self.config,
            vocabs: &self.vocabs,
            content: &self.loaded.content,
            scenarios_html: &self.scenarios_html,
            pages_html: &self.pages_html,
            related,
            package_sizes: &crate::publish::NO_PACKAGE_SIZES,
        }
    }
}

/// What a build can reuse from the previous one (`vitrine serve`): parsed scenarios, and
/// rendered Markdown of scenarios whose source and link targets did not change.
#[derive(Default)]
pub struct Caches {
    pub sources: content::SourceCache,
    markdown: HashMap<String, CachedMarkdown>,
    /// How many scenario bodies the last preparation rendered.
    pub last_rendered: usize,
}

struct CachedMarkdown {
    scenario: Arc<Scenario>,
    links: u64,
    rendered: Arc<Rendered>,
}

impl Caches {
    /// Forgets everything (the configuration, vocabularies or theme changed).
    pub fn clear(&mut self) {
        *self = Caches::default();
    }

    /// Takes `rendered` as the body of `scenario` while the link table's fingerprint is `links`
    /// (the build's cache on disk, `site::reading_cache`).
    pub fn insert_markdown(
        &mut self,
        scenario: Arc<Scenario>,
        links: u64,
        rendered: Arc<Rendered>,
    ) {
        let entry = CachedMarkdown {
            scenario,
            links,
            rendered,
        };
        self.markdown.insert(entry.scenario.slug.clone(), entry);
    }

    /// The body of this very scenario (same allocation) as the last preparation rendered it
    /// before anchors were respelled, with the link table's fingerprint then.
    pub fn markdown_of(&self, scenario: &Arc<Scenario>) -> Option<(u64, &Arc<Rendered>)> {
        self.markdown
            .get(&scenario.slug)
            .filter(|c| Arc::ptr_eq(&c.scenario, scenario))
            .map(|c| (c.links, &c.rendered))
    }
}

/// Loads and validates the whole site, and renders every Markdown body. Used by `build` and
/// by `check` (which writes nothing).
pub fn prepare(
    options: &BuildOptions,
    progress: &dyn Progress,
) -> Result<Prepared, Vec<Diagnostic>> {
    prepare_cached(options, progress, &mut Caches::default())
}

/// [`prepare`], reusing what `caches` holds from the previous preparation.
pub fn prepare_cached(
    options: &BuildOptions,
    progress: &dyn Progress,
    caches: &mut Caches,
) -> Result<Prepared, Vec<Diagnostic>> {
    let root = &options.root;
    let (config, vocabs) = load_settings(options)?;
    progress.stage("lecture et vérification des scénarios");
    let partial =
        content::load_partial(root, &config, &vocabs, options.drafts, &mut caches.sources);
    let (mut loaded, mut problems) = (partial.loaded, partial.problems);
    let comma_lists = partial.comma_lists;
    let mut warnings = Vec::new();
    // A draft's problems are errors where drafts are shown (check, preview), else warnings.
    if options.drafts {
        problems.extend(partial.draft_problems);
    } else {
        warnings.extend(partial.draft_problems);
    }
    // Harvested scenarios come from the cache written by `vitrine harvest`, never the network.
    let harvested = federation::load(root, &config, &vocabs);
    warnings.extend(harvested.warnings);
    warnings.extend(federation::merge(
        &mut loaded.content,
        &config.base_url,
        harvested.scenarios,
    ));

    progress.stage("mise en forme du Markdown");
    // Invalid sources are reported once, by their own problems, not by the links to them.
    let (drafts, others): (Vec<&content::Unchecked>, Vec<&content::Unchecked>) = partial
        .unchecked
        .iter()
        .partition(|u| u.draft && !options.drafts);
    let links = LinkTable::new(&loaded.content, &loaded.excluded_drafts)
        .with_style(urls::LinkStyle::of(&config))
        .with_unchecked(others.iter().copied())
        .with_drafts(drafts.iter().map(|u| u.source.as_path()));
    let md_options = markdown::Options {
        iframe_hosts: &config.iframes_autorisees,
    };
    let mut scenarios_html = render_scenarios(&loaded.content, &links, &md_options, caches);
    let mut pages_html = render_pages_markdown(&loaded.content, &links, &md_options);
    // The bodies of invalid sources: their broken links show in the same run as their header.
    let unchecked_html: Vec<(&Path, Rendered)> = others
        .iter()
        .map(|u| (u.source.as_path(), render_unchecked(u, &links, &md_options)))
        .collect();
    // Drafts left out: their body's problems are warnings (links between drafts are fine).
    warnings.extend(
        drafts
            .iter()
            .copied()
            .chain(&partial.excluded_bodies)
            .flat_map(|u| render_unchecked(u, &links, &md_options).diagnostics)
            .filter(|d| d.kind != ErrorKind::DraftLinked),
    );
    problems.extend(
        scenarios_html
            .values()
            .map(|r| r.as_ref())
            .chain(pages_html.values())
            .chain(unchecked_html.iter().map(|(_, r)| r))
            .flat_map(|r| r.diagnostics.iter().cloned()),
    );
    let respellings = {
        let sources = rendered_sources(&loaded.content, &scenarios_html, &pages_html)
            .into_iter()
            .chain(unchecked_html.iter().map(|(s, r)| (*s, r)))
            .collect::<Vec<_>>();
        let (anchor_problems, respellings) = anchors::check(&sources, &links);
        problems.extend(anchor_problems);
        respellings
    };
    if !problems.is_empty() {
        diagnostics::sort(&mut problems);
        return Err(problems);
    }
    respell_anchors(
        &loaded.content,
        &respellings,
        &mut scenarios_html,
        &mut pages_html,
    );
    Ok(Prepared {
        config,
        vocabs,
        loaded,
        scenarios_html,
        pages_html,
        warnings,
        comma_lists,
    })
}

/// Each rendered body with its source file.
fn rendered_sources<'a>(
    content: &'a content::SiteContent,
    scenarios_html: &'a BTreeMap<String, Arc<Rendered>>,
    pages_html: &'a BTreeMap<String, Rendered>,
) -> Vec<(&'a Path, &'a Rendered)> {
    let scenarios = content.scenarios.iter().filter_map(|s| {
        scenarios_html
            .get(&s.slug)
            .map(|r| (s.source.as_path(), r.as_ref()))
    });
    let pages = content
        .pages
        .iter()
        .chain(std::iter::once(&content.home))
        .filter_map(|p| pages_html.get(&p.slug).map(|r| (p.source.as_path(), r)));
    scenarios.chain(pages).collect()
}

/// Writes the fragments that name a heading in another spelling as the heading's id.
fn respell_anchors(
    content: &content::SiteContent,
    respellings: &[anchors::Respelling],
    scenarios_html: &mut BTreeMap<String, Arc<Rendered>>,
    pages_html: &mut BTreeMap<String, Rendered>,
) {
    for r in respellings {
        let scenario = content.scenarios.iter().find(|s| s.source == r.source);
        let rendered = match scenario {
            Some(s) => scenarios_html.get_mut(&s.slug).map(Arc::make_mut),
            None => content
                .pages
                .iter()
                .chain(std::iter::once(&content.home))
                .find(|p| p.source == r.source)
                .and_then(|p| pages_html.get_mut(&p.slug)),
        };
        if let Some(rendered) = rendered {
            rendered.set_html(anchors::respell(rendered.html(), &r.written, &r.id));
        }
    }
}

/// The body of an invalid source, rendered for its diagnostics only.
fn render_unchecked(
    unchecked: &content::Unchecked,
    links: &LinkTable,
    md_options: &markdown::Options,
) -> Rendered {
    let source = markdown::Source {
        file: &unchecked.source,
        body: &unchecked.body,
        first_line: unchecked.body_line,
    };
    markdown::render(&source, &links.unpublished_resolver(unchecked), md_options)
}

/// The configuration (with the command line's overrides) and the vocabularies it extends.
pub fn load_settings(options: &BuildOptions) -> Result<(Config, Vocabularies), Vec<Diagnostic>> {
    let mut config = Config::load(&options.root).map_err(|d| vec![d])?;
    if let Some(base_url) = &options.base_url {
        // Said of the option, not of vitrine.yaml, which may hold a good address.
        if let Some((message, meant)) = crate::config::base_url_problem(base_url) {
            return Err(vec![Diagnostic::new(
                ErrorKind::Config,
                "option --base-url",
                message,
            )
            .suggest(meant)]);
        }
        config.base_url = base_url.clone();
    }
    config.hors_ligne |= options.offline;
    let mut vocabs = Vocabularies::builtin().map_err(|d| vec![d])?;
    if !config.vocabulaires.is_empty() {
        for (name, entries) in &config.vocabulaires {
            vocabs.extend(*name, entries.clone());
        }
        // Site overrides can make a spelling ambiguous or a level point to no cycle.
        let problems: Vec<Diagnostic> = vocabs
            .check()
            .into_iter()
            .map(|m| {
                Diagnostic::new(ErrorKind::Config, crate::config::CONFIG_FILE, m)
                    .field("vocabulaires")
            })
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
    }
    Ok((config, vocabs))
}

/// Renders the scenario bodies, reusing the cached ones whose scenario and link targets are
/// unchanged.
fn render_scenarios(
    content: &content::SiteContent,
    links: &LinkTable,
    md_options: &markdown::Options,
    caches: &mut Caches,
) -> BTreeMap<String, Arc<Rendered>> {
    let fingerprint = links.fingerprint();
    let cached = &caches.markdown;
    // Harvested scenarios have no body here: their text stays on the académie's site.
    let rendered: Vec<(Arc<Scenario>, Arc<Rendered>, bool)> = content
        .scenarios
        .par_iter()
        .filter(|s| !s.is_harvested())
        .map(|s| {
            if let Some(hit) = cached
                .get(&s.slug)
                .filter(|c| c.links == fingerprint && Arc::ptr_eq(&c.scenario, s))
            {
                return (Arc::clone(s), Arc::clone(&hit.rendered), false);
            }
            let page = urls::scenario(&s.slug);
            let source = markdown::Source {
                file: &s.source,
                body: &s.body,
                first_line: s.body_line,
            };
            let html = markdown::render(&source, &links.resolver(&s.source, &page), md_options);
            (Arc::clone(s), Arc::new(html), true)
        })
        .collect();
    caches.last_rendered = rendered.iter().filter(|(_, _, fresh)| *fresh).count();
    caches.markdown = rendered
        .iter()
        .map(|(s, html, _)| {
            let entry = CachedMarkdown {
                scenario: Arc::clone(s),
                links: fingerprint,
                rendered: Arc::clone(html),
            };
            (s.slug.clone(), entry)
        })
        .collect();
    rendered
        .into_iter()
        .map(|(s, html, _)| (s.slug.clone(), html))
        .collect()
}

/// Renders the free pages and the home text (few: never cached).
fn render_pages_markdown(
    content: &content::SiteContent,
    links: &LinkTable,
    md_options: &markdown::Options,
) -> BTreeMap<String, Rendered> {
    let mut pages_html = BTreeMap::new();
    for page in content.pages.iter().chain(std::iter::once(&content.home)) {
        let site_path = if page.slug.is_empty() {
            urls::home()
        } else {
            urls::page(&page.slug)
        };
        let source = markdown::Source {
            file: &page.source,
            body: &page.body,
            first_line: page.body_line,
        };
        let rendered = markdown::render(
            &source,
            &links.resolver(&page.source, &site_path),
            md_options,
        );
        pages_html.insert(page.slug.clone(), rendered);
    }
    pages_html
}
