//! The build pipeline: discover → validate → markdown → index → render → write.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{Config, CACHE_DIR};
use crate::content::{self, Facet, Loaded, Scenario};
use crate::diagnostics::{self, Diagnostic, ErrorKind};
use crate::federation;
use crate::index::{IndexDoc, MetadataWords, SearchIndex};
use crate::markdown::{self, Rendered};
use crate::pages;
use crate::publish::plan::PagePlan;
use crate::publish::urls;
use crate::publish::BuildInput;
use crate::search_bundle;
use crate::site::anchors;
use crate::site::cache;
use crate::site::destination;
use crate::site::links::{slash_path, LinkTable};
use crate::site::output::{self, Staging};
use crate::theme::Theme;
use crate::vocab::Vocabularies;

pub const RELATED_COUNT: usize = 4;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `<root>/public` by default.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of the configuration.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// `--force`: the output may replace a non-empty folder that vitrine did not make.
    pub force: bool,
    /// `--hors-ligne`: a copy to open from disk (see `urls::LinkStyle`), whatever `hors_ligne`
    /// says in the configuration.
    pub offline: bool,
    /// `--compresser`: `.gz` copies of the text files (also `compression: true` in the config).
    pub compress: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            force: false,
            offline: false,
            compress: false,
        }
    }

    /// The options that change the output, as part of the build cache key.
    pub fn cache_key(&self) -> String {
        format!(
            "{:?}|{:?}|{}|{}|{}|{:?}",
            self.output_dir(),
            self.base_url,
            self.drafts,
            self.offline,
            self.compress,
            std::env::current_dir().ok()
        )
    }

    pub fn output_dir(&self) -> PathBuf {
        match &self.output {
            Some(output) => output.clone(),
            // `public`, not `./public`, in messages.
            None if self.root == Path::new(".") => PathBuf::from("public"),
            None => self.root.join("public"),
        }
    }
}

/// Reports the stages of a build (a spinner in the CLI, nothing in tests).
pub trait Progress: Sync {
    fn stage(&self, message: &str);
}

pub struct Silent;
impl Progress for Silent {
    fn stage(&self, _message: &str) {}
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub scenarios: usize,
    pub drafts_excluded: usize,
    pub html_pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// Duration of each stage, in order (French stage names, for `build --durees`).
    pub stages: Vec<(&'static str, Duration)>,
    /// Nothing changed since the previous build: the published folder was left as it was.
    pub unchanged: bool,
    /// Files of the previous output kept as they were (same content) instead of written again.
    pub reused_files: usize,
    /// Scenarios harvested from other vitrines (included in `scenarios`).
    pub harvested: usize,
    /// Problems that did not stop the build (harvested entries left out, duplicates).
    pub warnings: Vec<Diagnostic>,
    /// The exports left out and why, one French sentence per missing setting (see
    /// [`not_produced`]).
    pub not_produced: Vec<String>,
}

/// The exports the configuration leaves out, each line saying which and what to add: without
/// them a webmaster would look for a feed or `oai.xml` that was never written.
pub fn not_produced(config: &Config) -> Vec<String> {
    let has_base_url = urls::has_base_url(config);
    let has_contact = config
        .editeur
        .as_ref()
        .and_then(|e| e.courriel.as_deref())
        .is_some_and(|c| !c.trim().is_empty());
    let mut lines = Vec::new();
    if !has_base_url {
        lines.push(
            "flux Atom, plan du site (sitemap.xml) et notices ScoLOMFR non produits : ajoutez base_url dans vitrine.yaml (ou l'option --base-url)"
                .to_string(),
        );
    }
    let missing = match (has_base_url, has_contact) {
        (true, true) => return lines,
        (false, true) => "base_url",
        (true, false) => "editeur.courriel (adresse de contact)",
        (false, false) => "base_url et editeur.courriel (adresse de contact)",
    };
    lines.push(format!(
        "entrepôt OAI-PMH (oai.xml) non produit : ajoutez {missing} dans vitrine.yaml"
    ));
    lines
}

/// [`not_produced`] for a build that stopped at « nothing changed »: the configuration did not
/// change either, so it is read again only for this.
fn not_produced_unchanged(options: &BuildOptions) -> Vec<String> {
    match Config::load(&options.root) {
        Ok(mut config) => {
            if let Some(base_url) = &options.base_url {
                config.base_url = base_url.clone();
            }
            not_produced(&config)
        }
        Err(_) => Vec::new(),
    }
}

/// Measures consecutive stages of the build.
struct Stopwatch {
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

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
        .with_unchecked(others.iter().map(|u| u.source.as_path()))
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
            rendered.html = anchors::respell(&rendered.html, &r.written, &r.id);
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
    // The page address only shapes the rewritten links, never published.
    markdown::render(&source, &links.resolver(&unchecked.source, ""), md_options)
}

/// The configuration (with the command line's overrides) and the vocabularies it extends.
fn load_settings(options: &BuildOptions) -> Result<(Config, Vocabularies), Vec<Diagnostic>> {
    let mut config = Config::load(&options.root).map_err(|d| vec![d])?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
        config.check().map_err(|d| vec![d])?;
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

/// Builds the site into the output folder. On any error nothing is written and the previous
/// output stays as it was.
///
/// The search index (and what depends on it: related scenarios, the browser search bundle)
/// is built on its own thread while the pages that do not need it are rendered and written;
/// the scenario pages, which show related scenarios, come last.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<Summary, Vec<Diagnostic>> {
    let started = Instant::now();
    let mut watch = Stopwatch::start();
    let cache_dir = options.root.join(CACHE_DIR);
    let mut previous = cache::load(&cache_dir);
    let output = publication_folder(options, previous.as_ref()).map_err(|d| vec![d])?;
    let inputs = cache::inputs_hash(&options.root, &cache_dir, &options.cache_key()).ok();
    if let (Some(inputs), Some(record)) = (&inputs, &previous) {
        // A build with warnings is done again, so that they are shown again.
        if record.inputs == *inputs && record.warnings == 0 && record.output_unchanged(&output) {
            watch.lap("vérification : rien n'a changé");
            return Ok(Summary {
                scenarios: record.scenarios,
                drafts_excluded: record.drafts_excluded,
                html_pages: record.html_pages,
                files: record.files,
                elapsed: started.elapsed(),
                stages: watch.stages,
                unchanged: true,
                reused_files: record.files,
                harvested: record.harvested,
                warnings: Vec::new(),
                not_produced: not_produced_unchanged(options),
            });
        }
    }
    let mut prepared = prepare(options, progress)?;
    let plain_texts = take_plain_texts(&mut prepared);
    let prepared = prepared;
    let content = &prepared.loaded.content;
    watch.lap("lecture, vérification et Markdown");

    let theme = Theme::load(&options.root, &prepared.config.theme)?;
    let statics = theme.static_files()?;
    let no_related = BTreeMap::new();
    let early_input = BuildInput {
        config: &prepared.config,
        vocabs: &prepared.vocabs,
        content,
        scenarios_html: &prepared.scenarios_html,
        pages_html: &prepared.pages_html,
        related: &no_related,
    };
    let plan = pages::Plan::new(&early_input)?;
    let reusable_files = previous
        .as_mut()
        .filter(|record| record.output == output)
        .map(|record| std::mem::take(&mut record.published))
        .unwrap_or_default();
    let staging = Staging::create(&output, reusable_files)
        .map_err(|d| vec![d])?
        .compressing(options.compress || prepared.config.compression);
    // From here the published folder changes: an interrupted build must not leave a record
    // that vouches for it.
    cache::forget(&cache_dir);
    progress.stage("index, rendu et écriture des pages");

    let written = std::thread::scope(|scope| {
        let indexing =
            scope.spawn(|| index_stage(options, &prepared, plain_texts, previous.as_ref()));
        let early = write_early(&staging, options, &early_input, &theme, &plan, &statics);
        let indexed = joined(indexing, &options.root, "l'indexation s'est arrêtée");
        let (early_counts, mut indexed) = (early?, indexed?);
        // The browser search bundle is exported while the scenario pages are rendered.
        let index = indexed.index;
        let exporting = scope.spawn(|| export_search(options, &prepared, index, &staging));
        let input = BuildInput {
            related: &indexed.related,
            ..early_input
        };
        let scenario_pages =
            pages::render_planned(&input, &theme, &plan, pages::Pages::Scenarios, &|file| {
                staging.write(&file.path, &file.contents)
            })?;
        let (data, export_duration) = joined(
            exporting,
            &options.root,
            "l'export de la recherche s'est arrêté",
        )?;
        indexed
            .durations
            .push(("  dont export de la recherche", export_duration));
        let index_record = (indexed.docs_hash, indexed.related);
        Ok::<_, Vec<Diagnostic>>((
            early_counts.0 + scenario_pages,
            early_counts.1 + data,
            indexed.durations,
            index_record,
        ))
    });
    let (html_pages, files, index_durations, index_record) = match written {
        Ok(counts) => counts,
        Err(problems) => {
            staging.abandon();
            return Err(output::one_output_error(problems));
        }
    };
    watch.lap("index, rendu et écriture");
    watch.stages.extend(index_durations);
    let reused_files = staging.reused();
    let published = staging.publish().map_err(|d| vec![d])?;
    watch.lap("publication");

    let summary = Summary {
        scenarios: content.scenarios.len(),
        drafts_excluded: prepared.loaded.excluded_drafts.len(),
        html_pages,
        files: html_pages + files,
        elapsed: started.elapsed(),
        stages: watch.stages,
        unchanged: false,
        reused_files,
        harvested: content
            .scenarios
            .iter()
            .filter(|s| s.is_harvested())
            .count(),
        warnings: prepared
            .warnings
            .iter()
            .chain(&prepared.comma_lists)
            .cloned()
            .collect(),
        not_produced: not_produced(&prepared.config),
    };
    if let Some(inputs) = inputs {
        remember(
            &cache_dir,
            &output,
            inputs,
            index_record,
            published,
            &summary,
        );
    }
    Ok(summary)
}

/// The folder the build will replace, once it is known to be safe to replace (see
/// [`destination::check`]) and repaired if a previous publication was interrupted.
fn publication_folder(
    options: &BuildOptions,
    previous: Option<&cache::BuildRecord>,
) -> Result<PathBuf, Diagnostic> {
    let permission = destination::Permission {
        force: options.force,
        recorded: previous.map(|record| record.output.as_path()),
    };
    let output = destination::check(&options.root, &options.output_dir(), permission)?;
    output::recover(&output)?;
    Ok(output)
}

/// The result of a build thread; a thread that panicked is reported as an internal error
/// (`what` says which step stopped).
fn joined<T>(
    handle: std::thread::ScopedJoinHandle<'_, Result<T, Vec<Diagnostic>>>,
    root: &Path,
    what: &str,
) -> Result<T, Vec<Diagnostic>> {
    handle.join().unwrap_or_else(|_| {
        Err(vec![Diagnostic::new(
            ErrorKind::Io,
            root,
            format!("{what} sur une erreur interne"),
        )])
    })
}

/// Saves what the next build may reuse. Failing to save only costs the next build time.
fn remember(
    cache_dir: &Path,
    output: &Path,
    inputs: String,
    index: (String, BTreeMap<String, Vec<String>>),
    published: BTreeMap<String, cache::Published>,
    summary: &Summary,
) {
    let mut record = cache::BuildRecord::new(inputs, index.0);
    record.related = index.1;
    record.scenarios = summary.scenarios;
    record.drafts_excluded = summary.drafts_excluded;
    record.harvested = summary.harvested;
    record.warnings = summary.warnings.len();
    record.html_pages = summary.html_pages;
    record.files = summary.files;
    record.output = output.to_path_buf();
    record.published = published;
    let _ = cache::save(cache_dir, &record);
}

/// What the index stage hands to the rendering of scenario pages and to the search export.
struct Indexed {
    index: SearchIndex,
    /// Hash of the index documents, to reuse the index next time.
    docs_hash: String,
    related: BTreeMap<String, Vec<String>>,
    /// Durations of its steps (shown by `build --durees`, as parts of the parallel stage).
    durations: Vec<(&'static str, Duration)>,
}

/// Builds the tantivy index and the related scenarios. The index and the related scenarios of
/// the previous build are reused when the index documents are the same.
fn index_stage(
    options: &BuildOptions,
    prepared: &Prepared,
    mut plain_texts: BTreeMap<String, String>,
    previous: Option<&cache::BuildRecord>,
) -> Result<Indexed, Vec<Diagnostic>> {
    let mut watch = Stopwatch::start();
    let mut scenarios: Vec<&Scenario> = prepared
        .loaded
        .content
        .scenarios
        .iter()
        .map(|s| s.as_ref())
        .collect();
    scenarios.sort_by(|a, b| a.slug.cmp(&b.slug));
    let body_of = |texts: &BTreeMap<String, String>, s: &Scenario| {
        texts.get(&s.slug).cloned().unwrap_or_default()
    };
    let metadata = MetadataWords::new(&prepared.vocabs);
    let docs_hash = cache::index_docs_hash(
        scenarios
            .iter()
            .map(|s| index_doc_with(s, body_of(&plain_texts, s), &metadata)),
    );
    let dir = index_dir(&options.root);
    let reusable = previous
        .filter(|record| record.index_docs == docs_hash)
        .and_then(|record| Some((SearchIndex::open(&dir).ok()?, record.related.clone())));
    let (index, related) = match reusable {
        Some((index, related)) => {
            watch.lap("  dont index tantivy (repris de la construction précédente)");
            (index, related)
        }
        None => {
            // Each text is moved into its document and freed once indexed.
            let docs = scenarios.iter().map(|s| {
                let body = plain_texts.remove(&s.slug).unwrap_or_default();
                index_doc_with(s, body, &metadata)
            });
            let index = SearchIndex::build_sorted(&dir, docs)
                .map_err(|e| vec![index_error(&options.root, &e)])?;
            watch.lap("  dont index tantivy");
            let related = related_of(&options.root, &index)?;
            watch.lap("  dont scénarios proches");
            (index, related)
        }
    };
    Ok(Indexed {
        index,
        docs_hash,
        related,
        durations: watch.stages,
    })
}

/// Exports the browser search bundle from the index into `staging`; returns the number of
/// files and the time it took. Each file is written as soon as it is made: the bundle of a
/// national site weighs hundreds of megabytes.
fn export_search(
    options: &BuildOptions,
    prepared: &Prepared,
    index: SearchIndex,
    staging: &Staging,
) -> Result<(usize, Duration), Vec<Diagnostic>> {
    let started = Instant::now();
    let mut problems = Vec::new();
    let search_files = search_bundle::export_to(
        &index,
        &prepared.loaded.content,
        &prepared.vocabs,
        urls::LinkStyle::of(&prepared.config),
        &mut |file| {
            if let Err(problem) = staging.write(&file.path, file.contents.as_bytes()) {
                problems.push(problem);
            }
        },
    )
    .map_err(|e| vec![index_error(&options.root, &e)])?;
    if !problems.is_empty() {
        diagnostics::sort(&mut problems);
        return Err(problems);
    }
    Ok((search_files, started.elapsed()))
}

/// Writes everything that does not depend on the search index: every page but the scenario
/// pages, the theme's static files, the bundles' files and the exports. Returns the number
/// of HTML pages and of other files.
fn write_early(
    staging: &Staging,
    options: &BuildOptions,
    input: &BuildInput,
    theme: &Theme,
    plan: &pages::Plan,
    statics: &[(String, Vec<u8>)],
) -> Result<(usize, usize), Vec<Diagnostic>> {
    let html_pages =
        pages::render_planned(input, theme, plan, pages::Pages::AllButScenarios, &|file| {
            staging.write(&file.path, &file.contents)
        })?;
    let files = write_files(staging, &options.root, input.content, statics)?;
    let exported = write_exports(staging, input, plan.page_plan())?;
    // Moodle packages hold the bundles' files: read under the site root, unlike other exports.
    let packages = crate::exports::imscc::write_to(input, &options.root, &|file| {
        staging.write(&file.path, &file.contents)
    })?;
    Ok((html_pages, files + exported + packages))
}

fn index_dir(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join("index")
}

/// (Re)builds the tantivy index of the prepared scenarios in the cache folder.
pub fn search_index(root: &Path, prepared: &Prepared) -> Result<SearchIndex, Diagnostic> {
    search_index_in(root, &index_dir(root), prepared)
}

/// [`search_index`] in another folder (the preview keeps its own index, drafts included).
pub fn search_index_in(
    root: &Path,
    dir: &Path,
    prepared: &Prepared,
) -> Result<SearchIndex, Diagnostic> {
    SearchIndex::build(dir, &index_docs(prepared)).map_err(|e| index_error(root, &e))
}

/// The search index documents of the prepared scenarios.
fn index_docs(prepared: &Prepared) -> Vec<IndexDoc> {
    let metadata = MetadataWords::new(&prepared.vocabs);
    prepared
        .loaded
        .content
        .scenarios
        .iter()
        .map(|s| index_doc(s, &prepared.scenarios_html, &metadata))
        .collect()
}

/// Moves the plain text of each rendered body out of `prepared` (only the index needs it),
/// and drops the Markdown sources, already rendered: on a national site they weigh hundreds
/// of megabytes that the rest of the build never reads.
fn take_plain_texts(prepared: &mut Prepared) -> BTreeMap<String, String> {
    for scenario in &mut prepared.loaded.content.scenarios {
        if let Some(scenario) = Arc::get_mut(scenario) {
            scenario.body = String::new();
        }
    }
    prepared
        .scenarios_html
        .iter_mut()
        .map(|(slug, rendered)| {
            let text = match Arc::get_mut(rendered) {
                Some(rendered) => std::mem::take(&mut rendered.plain_text),
                None => rendered.plain_text.clone(),
            };
            (slug.clone(), text)
        })
        .collect()
}

/// Writes the theme's static files and copies the bundles' files; returns how many.
fn write_files(
    staging: &Staging,
    root: &Path,
    content: &content::SiteContent,
    statics: &[(String, Vec<u8>)],
) -> Result<usize, Vec<Diagnostic>> {
    let mut jobs: Vec<Result<(), Diagnostic>> = statics
        .par_iter()
        .map(|(path, bytes)| staging.write(path, bytes))
        .collect();
    for s in &content.scenarios {
        let Some(dir) = &s.bundle_dir else { continue };
        for file in &s.bundle_files {
            let target = urls::scenario_file(&s.slug, &slash_path(file));
            jobs.push(staging.copy(&target, &root.join(dir).join(file)));
        }
    }
    let count = jobs.len();
    let mut problems: Vec<Diagnostic> = jobs.into_iter().filter_map(Result::err).collect();
    if problems.is_empty() {
        Ok(count)
    } else {
        diagnostics::sort(&mut problems);
        Err(problems)
    }
}

/// Writes the exports (feeds, sitemap, catalogue, LOM records…); returns how many files.
fn write_exports(
    staging: &Staging,
    input: &BuildInput,
    plan: &PagePlan,
) -> Result<usize, Vec<Diagnostic>> {
    crate::exports::write_to(input, plan, &|file| {
        staging.write(&file.path, &file.contents)
    })
}

fn index_doc(
    s: &Scenario,
    html: &BTreeMap<String, Arc<Rendered>>,
    metadata: &MetadataWords,
) -> IndexDoc {
    let body = html
        .get(&s.slug)
        .map(|r| r.plain_text.clone())
        .unwrap_or_default();
    index_doc_with(s, body, metadata)
}

/// The index document of a scenario whose body's plain text is `body`.
fn index_doc_with(s: &Scenario, body: String, metadata: &MetadataWords) -> IndexDoc {
    let meta = &s.meta;
    IndexDoc {
        slug: s.slug.clone(),
        titre: meta.titre.clone(),
        resume: meta.resume.clone(),
        body,
        mots_cles: meta.mots_cles.clone(),
        outils: meta.outils.clone(),
        auteurs: meta.auteurs.iter().map(|a| a.nom.clone()).collect(),
        metadonnees: metadata.words(meta),
        facets: Facet::ALL
            .iter()
            .flat_map(|f| f.keys(meta).into_iter().map(move |k| (*f, k)))
            .collect(),
        date: meta.date,
        duree_minutes: meta.duree.as_ref().map(|d| d.minutes),
    }
}

/// A problem of the index kept under `root`.
pub fn index_error(root: &Path, err: &crate::index::IndexError) -> Diagnostic {
    Diagnostic::new(
        ErrorKind::Io,
        index_dir(root),
        format!("index de recherche : {err}"),
    )
}

/// The related scenarios of every scenario.
pub fn related_of(
    root: &Path,
    index: &SearchIndex,
) -> Result<BTreeMap<String, Vec<String>>, Vec<Diagnostic>> {
    index
        .related(RELATED_COUNT)
        .map_err(|e| vec![index_error(root, &e)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(yaml: &str) -> Vec<String> {
        not_produced(&Config::parse(yaml).expect("config"))
    }

    #[test]
    fn skipped_exports_say_which_and_what_to_add() {
        let contact = "editeur:\n  nom: DRANE\n  courriel: drane@ac-x.fr\n";
        let base_url = "base_url: https://x.fr/vitrine/\n";
        assert_eq!(
            lines(&format!("titre: T\n{base_url}{contact}")),
            Vec::<String>::new()
        );
        let none = lines("titre: T\n");
        assert_eq!(none.len(), 2, "{none:?}");
        assert!(none[0].starts_with("flux Atom, plan du site (sitemap.xml) et notices ScoLOMFR non produits : ajoutez base_url"));
        assert!(none[1].contains("oai.xml) non produit : ajoutez base_url et editeur.courriel"));
        let no_contact = lines(&format!("titre: T\n{base_url}"));
        assert_eq!(
            no_contact,
            ["entrepôt OAI-PMH (oai.xml) non produit : ajoutez editeur.courriel (adresse de contact) dans vitrine.yaml"]
        );
        let no_base_url = lines(&format!("titre: T\n{contact}"));
        assert_eq!(no_base_url.len(), 2);
        assert!(no_base_url[1].ends_with("ajoutez base_url dans vitrine.yaml"));
        for line in none {
            crate::testing::assert_french(&line);
        }
    }
}
