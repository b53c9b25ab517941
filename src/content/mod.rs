//! Content: discovery of the Markdown sources, front matter parsing and validation.

pub mod discover;
pub mod duration;
pub mod facet;
pub mod fields;
pub mod frontmatter;
pub mod model;
pub mod page;
pub mod scenario;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use facet::{Facet, FacetValue};
pub use model::{Auteur, Duree, Metadata, Page, Ressource, Scenario, SiteContent};

use crate::config::Config;
use crate::diagnostics::{self, Diagnostic, ErrorKind};
use crate::text::slugify;
use crate::vocab::Vocabularies;
use discover::ScenarioSource;

/// Validated content plus what the later stages need to know about excluded drafts.
#[derive(Debug)]
pub struct Loaded {
    pub content: SiteContent,
    /// Sources of drafts left out of this build (links to them are errors).
    pub excluded_drafts: Vec<PathBuf>,
}

/// Reads and validates everything under `content/`, reporting every problem in one pass.
pub fn load(
    root: &Path,
    config: &Config,
    vocabs: &Vocabularies,
    include_drafts: bool,
) -> Result<Loaded, Vec<Diagnostic>> {
    let found = discover::discover(root);
    let mut problems = found.diagnostics;

    let results: Vec<Result<Scenario, Vec<Diagnostic>>> = found
        .scenarios
        .par_iter()
        .map(|source| load_scenario(root, source, config, vocabs))
        .collect();
    let mut scenarios = Vec::new();
    for result in results {
        match result {
            Ok(s) => scenarios.push(s),
            Err(d) => problems.extend(d),
        }
    }
    problems.extend(duplicate_slugs(&scenarios));

    let mut pages = Vec::new();
    for file in &found.pages {
        match load_page(root, file) {
            Ok(p) => pages.push(p),
            Err(d) => problems.extend(d),
        }
    }
    let home = match &found.home {
        Some(file) => load_page(root, file).map_err(|d| problems.extend(d)).ok(),
        None => Some(default_home(config)),
    };

    if !problems.is_empty() {
        diagnostics::sort(&mut problems);
        return Err(problems);
    }
    let (kept, drafts): (Vec<Scenario>, Vec<Scenario>) = scenarios
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
    Ok(Loaded {
        content: SiteContent {
            home: home.unwrap_or_else(|| default_home(config)),
            pages,
            scenarios: kept,
        },
        excluded_drafts: drafts.into_iter().map(|s| s.source).collect(),
    })
}

fn read(root: &Path, file: &Path) -> Result<String, Vec<Diagnostic>> {
    std::fs::read_to_string(root.join(file)).map_err(|e| vec![Diagnostic::io(file, &e)])
}

fn load_scenario(
    root: &Path,
    source: &ScenarioSource,
    config: &Config,
    vocabs: &Vocabularies,
) -> Result<Scenario, Vec<Diagnostic>> {
    let text = read(root, &source.file)?;
    let doc = frontmatter::parse(&source.file, &text).map_err(|d| vec![d])?;
    let slug = scenario_slug(source);
    let at = scenario::Location {
        file: &source.file,
        bundle_files: source
            .bundle_dir
            .as_ref()
            .map(|_| source.bundle_files.as_slice()),
        default_licence: &config.licence,
    };
    let meta = scenario::validate(&doc.front_matter, &at, vocabs)?;
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
        body: doc.body,
        body_line: doc.body_line,
    })
}

/// The slug is the bundle folder name or the file name, as a French slug.
fn scenario_slug(source: &ScenarioSource) -> String {
    let name = match &source.bundle_dir {
        Some(dir) => dir.file_name(),
        None => source.file.file_stem(),
    };
    slugify(&name.map(|n| n.to_string_lossy()).unwrap_or_default())
}

fn duplicate_slugs(scenarios: &[Scenario]) -> Vec<Diagnostic> {
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
    let doc = frontmatter::parse(file, &text).map_err(|d| vec![d])?;
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
    page::validate(file, slug, doc)
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
