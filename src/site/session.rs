//! An incremental build kept in memory, for `vitrine serve`.
//!
//! A [`Session`] keeps the parsed scenarios and rendered Markdown of the last build and, on each
//! change, reads and renders again only the sources that changed. The result is a
//! [`Snapshot`]: everything needed to answer a request, from which pages are rendered on demand
//! by the same code as `build` (so a page served is the page `build` writes).
//!
//! An update has two steps, so the page being edited shows up fast:
//! 1. [`Session::update`]: sources, validation, Markdown, pages (related scenarios and search
//!    data of the previous snapshot are kept meanwhile);
//! 2. [`Session::update_index`]: the tantivy index, related scenarios and the browser search
//!    bundle, rebuilt from scratch (deleting documents in place would change the BM25
//!    statistics until a merge, and the bundle must equal what `build` writes).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;
use crate::pages::{Plan, SitePages};
use crate::publish::describe::published;
use crate::publish::urls;
use crate::publish::{BuildInput, OutputFile, PackageSizes};
use crate::search_bundle;
use crate::site::links::slash_path;
use crate::site::prepare::{self, Caches, Prepared};
use crate::site::{indexing, BuildOptions, Silent};
use crate::theme::Theme;

/// Folder of the preview's index, under the cache folder.
const PREVIEW_INDEX_DIR: &str = "index-apercu";

/// A file the server can answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    /// Generated in memory (page, static file of the theme, search data, export).
    Bytes(Arc<Vec<u8>>),
    /// A file of a scenario bundle, read from the sources.
    Source(PathBuf),
}

/// What a request can be answered from: one consistent state of the site.
pub struct Snapshot {
    pub generation: u64,
    prepared: Prepared,
    related: BTreeMap<String, Vec<String>>,
    theme: Arc<Theme>,
    statics: Arc<BTreeMap<String, Arc<Vec<u8>>>>,
    search: Arc<BTreeMap<String, Arc<Vec<u8>>>>,
    /// Output path → bundle file in the sources.
    bundle_files: BTreeMap<String, PathBuf>,
    /// The pages of the site, planned once per snapshot.
    plan: Plan,
    /// Output path → site path of each page (`scenarios/x/index.html` → `scenarios/x/`).
    pages: BTreeMap<String, String>,
    rendered: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    exports: OnceLock<BTreeMap<String, Arc<Vec<u8>>>>,
    /// The site folder: the Moodle packages read the bundles' files under it.
    root: PathBuf,
}

impl Snapshot {
    /// The problems that did not stop this state of the site: lists written with commas,
    /// harvested entries left out.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut all = self.prepared.comma_lists.clone();
        all.extend(self.prepared.warnings.iter().cloned());
        crate::diagnostics::sort(&mut all);
        all
    }

    fn input(&self) -> BuildInput<'_> {
        self.prepared.input(&self.related)
    }

    /// The file at an output path (`scenarios/x/index.html`, `style.css`…), rendering a page
    /// on first request.
    pub fn file(&self, output_path: &str) -> Result<Option<Served>, Diagnostic> {
        if let Some(site_path) = self.pages.get(output_path) {
            return self.page(site_path).map(|bytes| Some(Served::Bytes(bytes)));
        }
        if let Some(bytes) = self
            .statics
            .get(output_path)
            .or_else(|| self.search.get(output_path))
            .or_else(|| self.exports().get(output_path))
        {
            return Ok(Some(Served::Bytes(Arc::clone(bytes))));
        }
        Ok(self
            .bundle_files
            .get(output_path)
            .map(|source| Served::Source(source.clone())))
    }

    /// Every output path, sorted (what `build` would write, without the exports).
    pub fn output_paths(&self) -> BTreeSet<String> {
        self.pages
            .keys()
            .chain(self.statics.keys())
            .chain(self.search.keys())
            .chain(self.bundle_files.keys())
            .chain(self.exports().keys())
            .cloned()
            .collect()
    }

    /// How many pages were rendered (on request) from this snapshot.
    pub fn rendered_pages(&self) -> usize {
        self.rendered.lock().map_or(0, |cache| cache.len())
    }

    pub fn scenario_count(&self) -> usize {
        self.prepared.loaded.content.scenarios.len()
    }

    fn page(&self, site_path: &str) -> Result<Arc<Vec<u8>>, Diagnostic> {
        if let Some(bytes) = self.cached_page(site_path) {
            return Ok(bytes);
        }
        let sizes = self.package_size(site_path);
        let input = BuildInput {
            package_sizes: &sizes,
            ..self.input()
        };
        let pages = SitePages::new(&input, &self.plan);
        let file = pages
            .render_path(&self.theme, site_path)
            .unwrap_or_else(|| Ok(empty_file(site_path)))?;
        let bytes = Arc::new(file.contents);
        if let Ok(mut cache) = self.rendered.lock() {
            cache.insert(site_path.to_string(), Arc::clone(&bytes));
        }
        Ok(bytes)
    }

    /// The size of the Moodle package shown on a scenario page (none for other pages): taken
    /// from the exports once they are made, else made for this scenario alone so that the
    /// page being edited shows up without waiting for every package.
    fn package_size(&self, site_path: &str) -> PackageSizes {
        let input = self.input();
        if !input.config.paquets_moodle {
            return PackageSizes::new();
        }
        let Some(scenario) = published(&input).find(|s| urls::scenario(&s.slug) == site_path)
        else {
            return PackageSizes::new();
        };
        let size = match self.exports.get() {
            Some(exports) => exports
                .get(&urls::scenario_package(&scenario.slug))
                .map(|bytes| bytes.len() as u64),
            None => crate::exports::imscc::size_of(&input, scenario, &self.root),
        };
        size.map(|size| (scenario.slug.clone(), size))
            .into_iter()
            .collect()
    }

    fn cached_page(&self, site_path: &str) -> Option<Arc<Vec<u8>>> {
        self.rendered.lock().ok()?.get(site_path).cloned()
    }

    fn exports(&self) -> &BTreeMap<String, Arc<Vec<u8>>> {
        self.exports.get_or_init(|| {
            // Export problems are reported by `build`; the preview shows what it can.
            let input = self.input();
            let packages = crate::publish::collect_sorted(|sink| {
                if !input.config.paquets_moodle {
                    return Ok(0);
                }
                crate::exports::imscc::write_to(&input, &self.root, sink).map(|sizes| sizes.len())
            });
            crate::exports::files(&input, self.plan.page_plan())
                .into_iter()
                .chain(packages)
                .flat_map(|files| files.into_iter().map(|f| (f.path, f.contents)))
                .map(|(path, bytes)| (path, Arc::new(bytes)))
                .collect()
        })
    }
}

fn empty_file(site_path: &str) -> OutputFile {
    OutputFile {
        path: urls::output_file(site_path),
        contents: Vec::new(),
    }
}

fn into_map(files: impl Iterator<Item = (String, Vec<u8>)>) -> BTreeMap<String, Arc<Vec<u8>>> {
    files.map(|(path, bytes)| (path, Arc::new(bytes))).collect()
}

/// What kind of change the watcher reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only sources under `content/`.
    Content,
    /// The configuration, a theme, the site's templates or static files: everything is
    /// rebuilt (still without writing anything).
    Settings,
}

/// Classifies a changed path (absolute or relative to the site root).
pub fn change_kind(root: &Path, path: &Path) -> Option<ChangeKind> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let first = rel.components().next()?.as_os_str().to_str()?;
    match first {
        "content" => Some(ChangeKind::Content),
        "themes" | "templates" | "static" => Some(ChangeKind::Settings),
        _ if rel == Path::new(CONFIG_FILE) => Some(ChangeKind::Settings),
        _ => None,
    }
}

/// Work done by the last update, for tests and the terminal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Scenario sources read and validated.
    pub parsed: usize,
    /// Scenario bodies rendered from Markdown.
    pub rendered: usize,
}

pub struct Session {
    options: BuildOptions,
    caches: Caches,
    theme: Option<Arc<Theme>>,
    statics: Arc<BTreeMap<String, Arc<Vec<u8>>>>,
    current: Option<Arc<Snapshot>>,
    generation: u64,
    pub last_work: Work,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            caches: Caches::default(),
            theme: None,
            statics: Arc::new(BTreeMap::new()),
            current: None,
            generation: 0,
            last_work: Work::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// The last good snapshot, if any build succeeded.
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.current.clone()
    }

    /// Builds everything (first start): both steps.
    pub fn start(&mut self) -> Result<Arc<Snapshot>, Vec<Diagnostic>> {
        self.update(ChangeKind::Settings, &[])?;
        self.update_index()
    }

    /// Step 1 of an update: reads the changed sources, validates, renders their Markdown.
    /// On error the previous snapshot stays current.
    pub fn update(
        &mut self,
        kind: ChangeKind,
        changed: &[PathBuf],
    ) -> Result<Arc<Snapshot>, Vec<Diagnostic>> {
        if kind == ChangeKind::Settings || self.theme.is_none() {
            self.caches.clear();
            self.theme = None;
        }
        for path in changed {
            let rel = path.strip_prefix(&self.options.root).unwrap_or(path);
            self.caches.sources.forget(rel);
        }
        let prepared = prepare::prepare_cached(&self.options, &Silent, &mut self.caches)?;
        self.last_work = Work {
            parsed: self.caches.sources.last_parsed,
            rendered: self.caches.last_rendered,
        };
        let theme = match &self.theme {
            Some(theme) => Arc::clone(theme),
            None => {
                let theme = Arc::new(Theme::load(&self.options.root, &prepared.config.theme)?);
                let statics = theme.static_files()?;
                self.statics = Arc::new(into_map(statics.into_iter()));
                self.theme = Some(Arc::clone(&theme));
                theme
            }
        };
        let (related, search) = match &self.current {
            Some(previous) => (previous.related.clone(), Arc::clone(&previous.search)),
            None => (BTreeMap::new(), Arc::new(BTreeMap::new())),
        };
        let snapshot = self.snapshot(prepared, related, theme, search)?;
        Ok(self.publish(snapshot))
    }

    /// Step 2 of an update: the tantivy index, related scenarios and search data. Returns the
    /// new snapshot and the site paths of the pages this step changed.
    pub fn update_index(&mut self) -> Result<Arc<Snapshot>, Vec<Diagnostic>> {
        let Some(current) = self.current.clone() else {
            return Err(Vec::new());
        };
        let prepared = &current.prepared;
        // Not build's index: `vitrine search` must keep searching the published content.
        let dir = self
            .options
            .root
            .join(crate::config::CACHE_DIR)
            .join(PREVIEW_INDEX_DIR);
        let index =
            indexing::search_index_in(&self.options.root, &dir, prepared).map_err(|d| vec![d])?;
        let related = indexing::related_of(&self.options.root, &index)?;
        let links = crate::publish::urls::LinkStyle::of(&prepared.config);
        let files =
            search_bundle::export(&index, &prepared.loaded.content, &prepared.vocabs, links)
                .map_err(|e| vec![indexing::index_error(&self.options.root, &e)])?;
        let search = Arc::new(into_map(
            files.into_iter().map(|f| (f.path, f.contents.into_bytes())),
        ));
        let prepared = clone_prepared(prepared);
        let snapshot = self.snapshot(prepared, related, Arc::clone(&current.theme), search)?;
        Ok(self.publish(snapshot))
    }

    fn snapshot(
        &mut self,
        prepared: Prepared,
        related: BTreeMap<String, Vec<String>>,
        theme: Arc<Theme>,
        search: Arc<BTreeMap<String, Arc<Vec<u8>>>>,
    ) -> Result<Snapshot, Vec<Diagnostic>> {
        let plan = Plan::new(&prepared.input(&related))?;
        let pages = plan
            .paths()
            .map(|p| (urls::output_file(p), p.to_string()))
            .collect();
        let bundle_files = bundle_files(&self.options.root, &prepared);
        Ok(Snapshot {
            generation: self.generation + 1,
            prepared,
            related,
            theme,
            statics: Arc::clone(&self.statics),
            search,
            bundle_files,
            plan,
            pages,
            rendered: Mutex::new(HashMap::new()),
            exports: OnceLock::new(),
            root: self.options.root.clone(),
        })
    }

    fn publish(&mut self, snapshot: Snapshot) -> Arc<Snapshot> {
        self.generation = snapshot.generation;
        let snapshot = Arc::new(snapshot);
        self.current = Some(Arc::clone(&snapshot));
        snapshot
    }
}

fn bundle_files(root: &Path, prepared: &Prepared) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    for s in &prepared.loaded.content.scenarios {
        let Some(dir) = &s.bundle_dir else { continue };
        for file in &s.bundle_files {
            let target = urls::scenario_file(&s.slug, &slash_path(file));
            files.insert(target, root.join(dir).join(file));
        }
    }
    files
}

/// A snapshot keeps its own copy; scenarios and rendered bodies are shared.
fn clone_prepared(prepared: &Prepared) -> Prepared {
    Prepared {
        config: prepared.config.clone(),
        vocabs: prepared.vocabs.clone(),
        loaded: crate::content::Loaded {
            content: prepared.loaded.content.clone(),
            excluded_drafts: prepared.loaded.excluded_drafts.clone(),
        },
        scenarios_html: prepared.scenarios_html.clone(),
        pages_html: prepared.pages_html.clone(),
        warnings: prepared.warnings.clone(),
        comma_lists: prepared.comma_lists.clone(),
    }
}

impl Snapshot {
    /// Site paths of the pages that differ between `before` and `self` because of step 2:
    /// scenario pages whose related scenarios changed, and the search page when the search
    /// data changed.
    pub fn index_changes(&self, before: &Snapshot) -> Vec<String> {
        let mut paths: Vec<String> = self
            .prepared
            .loaded
            .content
            .scenarios
            .iter()
            .filter(|s| !s.is_harvested())
            .filter(|s| self.related.get(&s.slug) != before.related.get(&s.slug))
            .map(|s| urls::scenario(&s.slug))
            .collect();
        if self.search != before.search {
            paths.push(urls::search());
        }
        paths
    }
}
