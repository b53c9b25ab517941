//! The build pipeline: discover → validate → markdown → index → render → write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{Config, CACHE_DIR};
use crate::content::{self};
use crate::diagnostics::{self, Diagnostic, ErrorKind};
use crate::pages;
use crate::publish::plan::PagePlan;
use crate::publish::urls;
use crate::publish::{BuildInput, PackageSizes};
use crate::site::cache;
use crate::site::destination;
use crate::site::hand_made;
use crate::site::links::slash_path;
use crate::site::lock;
use crate::site::output::{self, Staging};
use crate::site::page_record;
use crate::theme::Theme;

use crate::site::indexing::{
    export_search, index_stage, related_stage, take_plain_texts, ExportInput, IndexMemo, Indexed,
};
use crate::site::options::{BuildOptions, Progress, Stopwatch};
use crate::site::prepare;
use crate::site::reading_cache;

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
    /// Files written with new content: what an edit costs in writes (0 when nothing changed).
    pub written_files: usize,
    /// HTML pages rendered with the theme; the others were kept as the previous build made
    /// them (same template, same context).
    pub rendered_pages: usize,
    /// HTML pages kept without even making their context: their inputs (scenarios, related
    /// scenarios, free pages) were the ones the previous build recorded.
    pub pages_kept_by_inputs: usize,
    /// Export files (feeds, sitemap, catalogue, records) kept without making them: the
    /// configuration and every scenario's metadata were the ones of the previous build.
    pub exports_kept: usize,
    /// Scenario sources read and validated again (the others were taken from the reading
    /// cache, `.vitrine-cache/lecture/`).
    pub parsed_sources: usize,
    /// Scenario bodies rendered from Markdown again (the others were taken from the cache).
    pub rendered_bodies: usize,
    /// Scenarios harvested from other vitrines (included in `scenarios`).
    pub harvested: usize,
    /// Documents given to the search index: every scenario when it was built anew, those of
    /// the parts that changed when it was updated, none when it was reused.
    pub indexed_documents: usize,
    /// The search index of the previous build was updated instead of built anew.
    pub index_updated: bool,
    /// Scenarios whose related scenarios were computed; the others kept those of the previous
    /// build, which an edit could not change.
    pub related_computed: usize,
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

/// Builds the site into the output folder. On any error nothing is written and the previous
/// output stays as it was.
///
/// The search index (and what depends on it: related scenarios, the browser search bundle)
/// is built on its own thread while the pages that do not need it are rendered and written;
/// the scenario pages, which show related scenarios, come last.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<Summary, Vec<Diagnostic>> {
    let _one_build_at_a_time = lock::acquire(&options.root, progress);
    let result = match attempt(options, progress) {
        // Nothing was published and the reading cache is gone: the build is made again
        // without it, as if it were the first one.
        Err(Stop::CacheDamaged) => attempt(options, progress),
        other => other,
    };
    result.map_err(|stop| match stop {
        Stop::Problems(problems) => problems,
        Stop::CacheDamaged => vec![Diagnostic::new(
            ErrorKind::Io,
            options.root.join(CACHE_DIR),
            "le cache de construction est abîmé et n'a pas pu être effacé : supprimez le dossier .vitrine-cache puis relancez la construction",
        )],
    })
}

/// Why an attempt at a build stopped.
enum Stop {
    Problems(Vec<Diagnostic>),
    /// A text read from the reading cache was not the one stored there: nothing was published,
    /// and the cache was removed.
    CacheDamaged,
}

impl From<Vec<Diagnostic>> for Stop {
    fn from(problems: Vec<Diagnostic>) -> Self {
        Stop::Problems(problems)
    }
}

/// One build, [`build`] holding the lock.
fn attempt(options: &BuildOptions, progress: &dyn Progress) -> Result<Summary, Stop> {
    let started = Instant::now();
    let mut watch = Stopwatch::start();
    let cache_dir = options.root.join(CACHE_DIR);
    // Both read every input or the whole record (12 MB at 10,000 scenarios) before anything
    // else can start: side by side, on both cores.
    let (mut previous, inputs) = rayon::join(
        || cache::load(&cache_dir),
        || cache::inputs_hash(&options.root, &cache_dir, &options.cache_key()).ok(),
    );
    let output = publication_folder(options, previous.as_ref()).map_err(|d| vec![d])?;
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
                written_files: 0,
                rendered_pages: 0,
                pages_kept_by_inputs: 0,
                exports_kept: 0,
                parsed_sources: 0,
                rendered_bodies: 0,
                harvested: record.harvested,
                indexed_documents: 0,
                index_updated: false,
                related_computed: 0,
                warnings: Vec::new(),
                not_produced: not_produced_unchanged(options),
            });
        }
    }
    let loading = Instant::now();
    let (mut caches, reading) = reading_cache::load(options);
    let loading = loading.elapsed();
    let mut prepared = match prepare::prepare_cached(options, progress, &mut caches) {
        Ok(prepared) => prepared,
        // A problem found in a text read wrong (an anchor missing from an empty body) is not
        // the sources' problem.
        Err(_) if reading.damaged() => {
            reading.discard();
            return Err(Stop::CacheDamaged);
        }
        Err(problems) => return Err(problems.into()),
    };
    let work = (caches.sources.last_parsed, caches.last_rendered);
    let staging_cache = Instant::now();
    let reading = reading.stage(&caches);
    // Dropped before the plain texts are taken: shared, they would be copied instead.
    drop(caches);
    let staging_cache = staging_cache.elapsed();
    let plain_texts = take_plain_texts(&mut prepared);
    // Only the pages read the bodies' HTML (a gigabyte on a national site): owned apart, it is
    // freed once the scenario pages are written, before the search export holds its postings.
    let scenarios_html = std::mem::take(&mut prepared.scenarios_html);
    let prepared = prepared;
    let content = &prepared.loaded.content;
    watch.lap("lecture, vérification et Markdown");
    watch.stages.extend([
        ("  dont chargement du cache de lecture", loading),
        ("  dont écriture du cache de lecture", staging_cache),
    ]);

    let (reusable_files, reserve) = previous
        .as_mut()
        .filter(|record| record.output == output)
        .map(|record| {
            let published = std::mem::take(&mut record.published);
            (published, record.reserve.take())
        })
        .unwrap_or_default();
    let previous = previous;
    std::thread::scope(|outer| {
        // The index reads only the prepared scenarios: it is made while the output is prepared
        // (hand-made files set aside, reserve taken), which it never touches.
        let indexing =
            outer.spawn(|| index_stage(options, &prepared, plain_texts, previous.as_ref()));
        let theme = Theme::load(&options.root, &prepared.config.theme)?;
        let statics = theme.static_files()?;
        let no_related = BTreeMap::new();
        let early_input = prepared.input(&no_related);
        let plan = pages::Plan::new(&early_input)?;
        // Before anything of the published folder changes: what a person put there by hand.
        let set_aside = hand_made::set_aside(&options.root, &output, &reusable_files, &cache_dir)
            .map_err(|d| vec![d])?;
        // The site this build replaces is kept as the next build's starting point.
        let reserve = Some(reserve.unwrap_or_default());
        let staging = Staging::reusing(&output, reusable_files, reserve)
            .map_err(|d| vec![d])?
            .compressing(options.compress || prepared.config.compression);
        // From here the published folder changes: an interrupted build must not leave a record
        // that vouches for it.
        cache::forget(&cache_dir);
        progress.stage("index, rendu et écriture des pages");
        let site_key = page_record::site_key(options, &prepared.config, &theme);
        let keep = |path: &str, hash: &str| staging.keep(path, hash);
        let reuse = pages::reuse::Reuse::new(
            page_record::load(&cache_dir, &site_key),
            &keep,
            pages::reuse::shared_inputs(&early_input),
        );

        let written = std::thread::scope(|scope| {
            let scenarios_html = scenarios_html;
            let early_input = BuildInput {
                scenarios_html: &scenarios_html,
                ..early_input
            };
            let early_start = Instant::now();
            let early = write_early(
                &staging,
                options,
                &early_input,
                (&theme, &reuse),
                &plan,
                &statics,
            );
            let indexed = joined(indexing, &options.root, "l'indexation s'est arrêtée");
            let early_duration = early_start.elapsed();
            let ((early_counts, package_sizes), indexed) = (early?, indexed?);
            let Indexed {
                index,
                mut memo,
                mut durations,
                indexed_documents,
                updated,
                related_work,
            } = indexed;
            // The browser search bundle is exported while the related scenarios are computed,
            // then while the scenario pages (which show them) are rendered.
            let index = Arc::new(index);
            let export = ExportInput {
                index: Arc::clone(&index),
                // Cloned: the record keeps them, and this thread cannot lend them to the export's.
                hashes: memo.parts.hashes.clone(),
                previous: previous.as_ref(),
            };
            let exporting = scope.spawn(|| export_search(options, &prepared, export, &staging));
            let (related_computed, related_duration) = related_stage(
                options,
                &index,
                related_work,
                previous.as_ref(),
                (&mut memo.related, &mut memo.related_memos),
            )?;
            let input = BuildInput {
                related: &memo.related,
                package_sizes: &package_sizes,
                ..early_input
            };
            let scenario_start = Instant::now();
            let scenario_pages = pages::render_planned(
                &input,
                &theme,
                &plan,
                pages::Pages::Scenarios,
                &|file| staging.write(&file.path, &file.contents),
                Some(&reuse),
            )?;
            let scenario_duration = scenario_start.elapsed();
            drop(scenarios_html);
            let (data, export_duration, text_order) = joined(
                exporting,
                &options.root,
                "l'export de la recherche s'est arrêté",
            )?;
            durations.extend(related_duration.map(|d| ("  dont scénarios proches", d)));
            durations.extend([
                ("  en parallèle : export de la recherche", export_duration),
                // The other thread: pages (rendered or kept) and files, during the index…
                (
                    "  en parallèle : pages hors scénarios et fichiers",
                    early_duration,
                ),
                // …then during the export.
                ("  en parallèle : pages des scénarios", scenario_duration),
            ]);
            let index_work = (indexed_documents, updated, related_computed);
            Ok::<_, Vec<Diagnostic>>((
                early_counts.0 + scenario_pages,
                early_counts.1 + data,
                durations,
                (memo, index_work, text_order),
            ))
        });
        let (html_pages, files, index_durations, (index_record, index_work, text_order)) =
            match written {
                Ok(counts) => counts,
                Err(_) if reading.damaged() => {
                    staging.abandon();
                    reading.discard();
                    return Err(Stop::CacheDamaged);
                }
                Err(problems) => {
                    staging.abandon();
                    return Err(output::one_output_error(problems).into());
                }
            };
        if reading.damaged() {
            staging.abandon();
            reading.discard();
            return Err(Stop::CacheDamaged);
        }
        watch.lap("index, rendu et écriture");
        watch.stages.extend(index_durations);
        let (reused_files, written_files) = (staging.reused(), staging.written());
        let (rendered_pages, pages_kept_by_inputs) = (reuse.rendered(), reuse.kept_by_inputs());
        let exports_kept = reuse.exports_kept();
        let page_keys = reuse.into_keys();
        let (published, reserve) = staging.publish_keeping().map_err(|d| vec![d])?;
        page_record::save(&cache_dir, &site_key, page_keys, &published);
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
            written_files,
            rendered_pages,
            pages_kept_by_inputs,
            exports_kept,
            parsed_sources: work.0,
            rendered_bodies: work.1,
            indexed_documents: index_work.0,
            index_updated: index_work.1,
            related_computed: index_work.2,
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
                .chain(set_aside)
                .collect(),
            not_produced: not_produced(&prepared.config),
        };
        if let Some(inputs) = inputs {
            remember(
                &cache_dir,
                &output,
                inputs,
                (index_record, text_order),
                (published, reserve),
                &summary,
            );
        }
        reading.commit();
        Ok(summary)
    })
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
    (index, text_order): (IndexMemo, Vec<String>),
    (published, reserve): (
        BTreeMap<String, cache::Published>,
        Option<BTreeMap<String, cache::Published>>,
    ),
    summary: &Summary,
) {
    let mut record = cache::BuildRecord::new(inputs, index.docs_hash);
    record.index_parts = index.parts;
    record.related = index.related;
    record.related_memos = index.related_memos;
    record.scenarios = summary.scenarios;
    record.drafts_excluded = summary.drafts_excluded;
    record.harvested = summary.harvested;
    record.warnings = summary.warnings.len();
    record.html_pages = summary.html_pages;
    record.files = summary.files;
    record.output = output.to_path_buf();
    record.text_order = text_order;
    record.published = published;
    record.reserve = reserve;
    let _ = cache::save(cache_dir, &record);
}

/// Writes everything that does not depend on the search index: every page but the scenario
/// pages, the theme's static files, the bundles' files and the exports. Returns the number
/// of HTML pages and of other files, and the sizes of the Moodle packages (shown on the
/// scenario pages, rendered later).
fn write_early(
    staging: &Staging,
    options: &BuildOptions,
    input: &BuildInput,
    (theme, reuse): (&Theme, &pages::reuse::Reuse),
    plan: &pages::Plan,
    statics: &[(String, Vec<u8>)],
) -> Result<((usize, usize), PackageSizes), Vec<Diagnostic>> {
    let html_pages = pages::render_planned(
        input,
        theme,
        plan,
        pages::Pages::AllButScenarios,
        &|file| staging.write(&file.path, &file.contents),
        Some(reuse),
    )?;
    let files = write_files(staging, &options.root, input.content, statics)?;
    let exported = match reuse.kept_exports().map_err(|d| vec![d])? {
        Some(kept) => kept,
        None => write_exports(staging, reuse, input, plan.page_plan())?,
    };
    // Moodle packages hold the bundles' files: read under the site root, unlike other exports.
    let package_sizes = if input.config.paquets_moodle {
        crate::exports::imscc::write_to(input, &options.root, &|file| {
            staging.write(&file.path, &file.contents)
        })?
    } else {
        PackageSizes::new()
    };
    let packages = package_sizes.len();
    Ok(((html_pages, files + exported + packages), package_sizes))
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

/// Writes the exports (feeds, sitemap, catalogue, LOM records…), noting each for the next
/// build; returns how many files.
fn write_exports(
    staging: &Staging,
    reuse: &pages::reuse::Reuse,
    input: &BuildInput,
    plan: &PagePlan,
) -> Result<usize, Vec<Diagnostic>> {
    crate::exports::write_to(input, plan, &|file| {
        reuse.note_export(&file.path);
        staging.write(&file.path, &file.contents)
    })
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
