//! Content: discovery of the Markdown sources, front matter parsing and validation.

pub mod discover;
pub mod duration;
pub mod facet;
pub mod fields;
pub mod frontmatter;
pub mod model;
pub mod page;
pub mod scenario;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

pub use facet::{Facet, FacetValue};
pub use model::{Auteur, Duree, Metadata, Origine, Page, Ressource, Scenario, SiteContent};

use crate::config::Config;
use crate::diagnostics::{self, Diagnostic, ErrorKind};
use crate::text::slugify;
use crate::vocab::Vocabularies;
use crate::yaml::encoding;
use discover::ScenarioSource;

/// Validated content plus what the later stages need to know about excluded drafts.
#[derive(Debug)]
pub struct Loaded {
    pub content: SiteContent,
    /// Sources of drafts left out of this build (links to them are errors).
    pub excluded_drafts: Vec<PathBuf>,
}

/// Parsed scenarios kept between two loads (`vitrine serve`): a source is read and validated
/// again only when its file (size, modification time) or its bundle's file list changed, or
/// when the watcher said so with [`SourceCache::forget`].
#[derive(Default)]
pub struct SourceCache {
    scenarios: HashMap<PathBuf, CachedScenario>,
    /// What the last load found on disk.
    discovered: Option<discover::Discovered>,
    /// Files the watcher reported since the last load (relative to the site root).
    changed: Vec<PathBuf>,
    /// How many scenario sources the last load read and validated.
    pub last_parsed: usize,
}

struct CachedScenario {
    source: ScenarioSource,
    stamp: Option<Stamp>,
    result: Result<Arc<Scenario>, Vec<Diagnostic>>,
    /// Lists written as one text with commas: read as lists, with a warning.
    comma_lists: Vec<Diagnostic>,
}

/// Size and modification time of a source file: what says, between two loads, that it did not
/// change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// One source as a [`SourceCache`] holds it: the build keeps these on disk between runs
/// (`site::reading_cache`).
pub struct SourceEntry<'a> {
    pub source: &'a ScenarioSource,
    /// Taken before the source was read.
    pub stamp: Option<Stamp>,
    pub result: &'a Result<Arc<Scenario>, Vec<Diagnostic>>,
    pub comma_lists: &'a [Diagnostic],
}

impl SourceCache {
    /// Every source of the last load.
    pub fn entries(&self) -> impl Iterator<Item = SourceEntry<'_>> {
        self.scenarios.values().map(|c| SourceEntry {
            source: &c.source,
            stamp: c.stamp,
            result: &c.result,
            comma_lists: &c.comma_lists,
        })
    }

    /// Takes `result` as what `source` gives while its file keeps `stamp` (taken before the
    /// file was read for what vouches for `result`).
    pub fn insert(
        &mut self,
        source: ScenarioSource,
        stamp: Option<Stamp>,
        result: Result<Arc<Scenario>, Vec<Diagnostic>>,
        comma_lists: Vec<Diagnostic>,
    ) {
        let entry = CachedScenario {
            source,
            stamp,
            result,
            comma_lists,
        };
        self.scenarios.insert(entry.source.file.clone(), entry);
    }

    /// Makes the next load read `file` (relative to the site root) again.
    pub fn forget(&mut self, file: &Path) {
        self.scenarios.remove(file);
        self.changed.push(file.to_path_buf());
    }

    /// When every change the watcher reported is an edit of a known scenario file, the list of
    /// sources is the same as last time: no need to walk the folders and look at every file.
    fn reusable_discovery(&self, root: &Path) -> Option<discover::Discovered> {
        let discovered = self.discovered.as_ref()?;
        let all_known_edits = !self.changed.is_empty()
            && self.changed.iter().all(|file| {
                root.join(file).is_file() && discovered.scenarios.iter().any(|s| s.file == *file)
            });
        all_known_edits.then(|| discovered.clone())
    }

    fn lookup(&self, source: &ScenarioSource, stamp: Option<Stamp>) -> Option<&CachedScenario> {
        self.scenarios
            .get(&source.file)
            .filter(|c| stamp.is_some() && c.stamp == stamp && c.source == *source)
    }
}

/// Reads and validates everything under `content/`, reporting every problem in one pass.
pub fn load(
    root: &Path,
    config: &Config,
    vocabs: &Vocabularies,
    include_drafts: bool,
) -> Result<Loaded, Vec<Diagnostic>> {
    load_cached(
        root,
        config,
        vocabs,
        include_drafts,
        &mut SourceCache::default(),
    )
}

/// [`load`], reusing the scenarios of `cache` whose source did not change. The cache must be
/// emptied when the configuration or the vocabularies change (they affect validation).
pub fn load_cached(
    root: &Path,
    config: &Config,
    vocabs: &Vocabularies,
    include_drafts: bool,
    cache: &mut SourceCache,
) -> Result<Loaded, Vec<Diagnostic>> {
    let partial = load_partial(root, config, vocabs, include_drafts, cache);
    if partial.problems.is_empty() {
        Ok(partial.loaded)
    } else {
        Err(partial.problems)
    }
}

/// The body of a source whose front matter could not be validated: its links are still
/// checked, so that every problem of the file shows in one run.
#[derive(Debug, Clone)]
pub struct Unchecked {
    pub source: PathBuf,
    /// Folder of its bundle and the bundle's other files (relative to it), when the source is
    /// a bundle's `index.md`: its links to them are not broken.
    pub bundle_dir: Option<PathBuf>,
    pub bundle_files: Vec<PathBuf>,
    pub body: String,
    pub body_line: usize,
    /// Marked `brouillon: true`, as far as its front matter can be read.
    pub draft: bool,
}

/// What a load found, valid or not: the valid content, the problems of the others (sorted),
/// and the bodies of the invalid sources.
#[derive(Debug)]
pub struct Partial {
    pub loaded: Loaded,
    pub problems: Vec<Diagnostic>,
    /// Problems of sources marked `brouillon: true` (sorted).
    pub draft_problems: Vec<Diagnostic>,
    pub unchecked: Vec<Unchecked>,
    /// Lists written as one text with commas in the loaded scenarios (warnings, sorted).
    pub comma_lists: Vec<Diagnostic>,
    /// Bodies of the valid drafts left out of this load, to report their problems.
    pub excluded_bodies: Vec<Unchecked>,
}

/// [`load_cached`] without stopping at invalid sources: the caller decides what blocks.
pub fn load_partial(
    root: &Path,
    config: &Config,
    vocabs: &Vocabularies,
    include_drafts: bool,
    cache: &mut SourceCache,
) -> Partial {
    let fast = cache.reusable_discovery(root);
    let trust_stamps = fast.is_some();
    let found = fast.unwrap_or_else(|| discover::discover(root));
    cache.discovered = Some(found.clone());
    cache.changed.clear();
    let mut problems = found.diagnostics;

    let entries: Vec<CachedScenario> = found
        .scenarios
        .par_iter()
        .map(|source| {
            // After known edits only, unchanged files keep their stamp (no file system call).
            let cached = cache.scenarios.get(&source.file);
            let stamp = match cached {
                Some(c) if trust_stamps => c.stamp,
                _ => Stamp::of(&root.join(&source.file)),
            };
            match cache.lookup(source, stamp) {
                Some(cached) => CachedScenario {
                    source: source.clone(),
                    stamp,
                    result: cached.result.clone(),
                    comma_lists: cached.comma_lists.clone(),
                },
                None => {
                    let mut comma_lists = Vec::new();
                    let result = load_scenario(root, source, config, vocabs, &mut comma_lists);
                    CachedScenario {
                        source: source.clone(),
                        stamp,
                        result: result.map(Arc::new),
                        comma_lists,
                    }
                }
            }
        })
        .collect();
    cache.last_parsed = entries
        .iter()
        .filter(|e| cache.lookup(&e.source, e.stamp).is_none())
        .count();
    let mut scenarios = Vec::new();
    let mut failed = Vec::new();
    let mut comma_lists = Vec::new();
    for entry in &entries {
        match &entry.result {
            Ok(s) => {
                if include_drafts || !s.meta.brouillon {
                    comma_lists.extend(entry.comma_lists.iter().cloned());
                }
                scenarios.push(Arc::clone(s));
            }
            Err(d) => {
                problems.extend(d.iter().cloned());
                failed.push((entry.source.file.clone(), Some(entry.source.clone())));
            }
        }
    }
    cache.scenarios = entries
        .into_iter()
        .map(|e| (e.source.file.clone(), e))
        .collect();
    problems.extend(duplicate_slugs(&scenarios));

    let mut pages = Vec::new();
    for file in &found.pages {
        match load_page(root, file) {
            Ok(p) => pages.push(p),
            Err(d) => {
                problems.extend(d);
                failed.push((file.clone(), None));
            }
        }
    }
    let home = match &found.home {
        Some(file) => load_page(root, file)
            .map_err(|d| {
                problems.extend(d);
                failed.push((file.clone(), None));
            })
            .ok(),
        None => Some(default_home(config)),
    };
    diagnostics::sort(&mut problems);
    let unchecked: Vec<Unchecked> = failed
        .iter()
        .filter_map(|(file, source)| unchecked_body(root, file, source.as_ref()))
        .collect();
    // A draft's problems must not stop the publication of the other scenarios.
    let (draft_problems, problems): (Vec<Diagnostic>, Vec<Diagnostic>) = problems
        .into_iter()
        .partition(|d| unchecked.iter().any(|u| u.draft && u.source == d.file));
    let (kept, drafts): (Vec<Arc<Scenario>>, Vec<Arc<Scenario>>) = scenarios
        .into_iter()
        .partition(|s| include_drafts || !s.meta.brouillon);
    let mut kept = kept;
    kept.sort_by(|a, b| {
        b.meta
            .date
            .cmp(&a.meta.date)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    pages.sort_by(|a, b| a.ordre.cmp(&b.ordre).then_with(|| a.titre.cmp(&b.titre)));
    let excluded_bodies = drafts
        .iter()
        .filter(|s| !s.is_harvested())
        .map(|s| Unchecked {
            source: s.source.clone(),
            bundle_dir: s.bundle_dir.clone(),
            bundle_files: s.bundle_files.clone(),
            body: s.body.to_string(),
            body_line: s.body_line,
            draft: true,
        })
        .collect();
    let loaded = Loaded {
        content: SiteContent {
            home: home.unwrap_or_else(|| default_home(config)),
            pages,
            scenarios: kept,
        },
        excluded_drafts: drafts.into_iter().map(|s| s.source.clone()).collect(),
    };
    diagnostics::sort(&mut comma_lists);
    Partial {
        loaded,
        problems,
        draft_problems,
        unchecked,
        comma_lists,
        excluded_bodies,
    }
}

/// The Markdown body of an invalid source, when its front matter block can be found at all.
fn unchecked_body(
    root: &Path,
    file: &Path,
    scenario: Option<&discover::ScenarioSource>,
) -> Option<Unchecked> {
    let text = encoding::read_utf8(&root.join(file), file).ok()?;
    let (body, body_line) = frontmatter::body(&text)?;
    Some(Unchecked {
        source: file.to_path_buf(),
        bundle_dir: scenario.and_then(|s| s.bundle_dir.clone()),
        bundle_files: scenario.map(|s| s.bundle_files.clone()).unwrap_or_default(),
        body,
        body_line,
        draft: marked_draft(&text),
    })
}

/// Whether the front matter says `brouillon: true`, read line by line since its YAML may be
/// invalid.
pub fn marked_draft(text: &str) -> bool {
    text.lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .filter_map(|l| l.strip_prefix("brouillon:"))
        .any(|v| v.split('#').next().unwrap_or("").trim() == "true")
}

fn read(root: &Path, file: &Path) -> Result<String, Vec<Diagnostic>> {
    encoding::read_utf8(&root.join(file), file).map_err(|d| vec![d])
}

fn load_scenario(
    root: &Path,
    source: &ScenarioSource,
    config: &Config,
    vocabs: &Vocabularies,
    comma_lists: &mut Vec<Diagnostic>,
) -> Result<Scenario, Vec<Diagnostic>> {
    let text = read(root, &source.file)?;
    let (doc, yaml_mistakes) = frontmatter::parse_repairing(&source.file, &text)?;
    *comma_lists = scenario::comma_list_warnings(&source.file, &doc.front_matter, vocabs);
    let slug = scenario_slug(source);
    let at = scenario::Location {
        file: &source.file,
        bundle_files: source
            .bundle_dir
            .as_ref()
            .map(|_| source.bundle_files.as_slice()),
        default_licence: &config.licence,
    };
    let validated = scenario::validate(&doc.front_matter, &at, vocabs);
    if !yaml_mistakes.is_empty() {
        return Err(with_field_problems(yaml_mistakes, validated.err()));
    }
    let meta = validated?;
    if !meta.brouillon {
        let left = placeholders(&source.file, &text);
        if !left.is_empty() {
            return Err(left);
        }
    }
    if slug.is_empty() {
        return Err(vec![Diagnostic::new(
            ErrorKind::InvalidValue,
            &source.file,
            "nom de fichier inutilisable comme adresse : utilisez des lettres et des chiffres (par exemple « fractions-6e.md »)",
        )]);
    }
    Ok(Scenario {
        slug,
        source: source.file.clone(),
        bundle_dir: source.bundle_dir.clone(),
        bundle_files: source.bundle_files.clone(),
        meta,
        body: doc.body.into(),
        body_line: doc.body_line,
        origine: None,
    })
}

/// Texts of the `vitrine new` template that the author is meant to replace. « Prénom Nom »
/// always follows « À compléter : » there; alone it is the author of `vitrine init`'s example,
/// which is published as it is.
pub const PLACEHOLDERS: &[&str] = &["À compléter"];

/// Every placeholder of the `vitrine new` template left in a scenario about to be published.
fn placeholders(file: &Path, text: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for placeholder in PLACEHOLDERS {
            let Some(byte) = line.find(placeholder) else {
                continue;
            };
            let column = line[..byte].chars().count() + 1;
            found.push(
                Diagnostic::new(
                    ErrorKind::InvalidValue,
                    file,
                    format!("texte du modèle encore présent (« {placeholder} ») dans un scénario publié : remplacez-le par votre texte, ou remettez « brouillon: true » tant que le scénario n'est pas fini"),
                )
                .at(index + 1, column),
            );
        }
    }
    found
}

/// The slug is the bundle folder name or the file name, as a French slug.
fn scenario_slug(source: &ScenarioSource) -> String {
    let name = match &source.bundle_dir {
        Some(dir) => dir.file_name(),
        None => source.file.file_stem(),
    };
    slugify(&name.map(|n| n.to_string_lossy()).unwrap_or_default())
}

fn duplicate_slugs(scenarios: &[Arc<Scenario>]) -> Vec<Diagnostic> {
    let mut by_slug: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    for s in scenarios {
        by_slug.entry(&s.slug).or_default().push(&s.source);
    }
    let mut out = Vec::new();
    for (slug, files) in by_slug.into_iter().filter(|(_, f)| f.len() > 1) {
        for file in &files[1..] {
            out.push(
                Diagnostic::new(
                    ErrorKind::DuplicateSlug,
                    *file,
                    format!(
                        "identifiant « {slug} » déjà utilisé par {} : deux scénarios auraient la même adresse ; renommez l'un des deux fichiers",
                        files[0].display()
                    ),
                )
                .at(1, 1),
            );
        }
    }
    out
}

fn load_page(root: &Path, file: &Path) -> Result<Page, Vec<Diagnostic>> {
    let text = read(root, file)?;
    let (doc, yaml_mistakes) = frontmatter::parse_repairing(file, &text)?;
    let slug = if file.file_name().is_some_and(|n| n == discover::HOME_FILE) {
        String::new()
    } else {
        slugify(
            &file
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default(),
        )
    };
    let validated = page::validate(file, slug, doc);
    match yaml_mistakes.is_empty() {
        true => validated,
        false => Err(with_field_problems(yaml_mistakes, validated.err())),
    }
}

/// The YAML mistakes of a header read only once repaired, then what its fields still say,
/// except on the repaired lines: what the repair guessed there (a list closed with « ] »…) is
/// not what the referent wrote.
fn with_field_problems(
    yaml_mistakes: Vec<Diagnostic>,
    field_problems: Option<Vec<Diagnostic>>,
) -> Vec<Diagnostic> {
    let repaired: Vec<usize> = yaml_mistakes.iter().map(|d| d.line).collect();
    let others = field_problems
        .unwrap_or_default()
        .into_iter()
        .filter(|d| !repaired.contains(&d.line));
    yaml_mistakes.into_iter().chain(others).collect()
}

fn default_home(config: &Config) -> Page {
    Page {
        slug: String::new(),
        source: PathBuf::from("content").join(discover::HOME_FILE),
        titre: config.titre.clone(),
        description: Some(config.description.clone()).filter(|d| !d.is_empty()),
        ordre: 0,
        body: String::new(),
        body_line: 1,
    }
}
