//! `vitrine build`: the site written to its output folder, with a spinner on a terminal and
//! a French summary.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::args::BuildArgs;
use super::output::{print_diagnostics, print_warnings};
use crate::site::{self, BuildOptions, Progress, Silent};
use crate::text::plural;

struct Spinner(ProgressBar);

impl Progress for Spinner {
    fn stage(&self, message: &str) {
        self.0.set_message(message.to_string());
    }

    fn notice(&self, message: &str) {
        self.0.suspend(|| eprintln!("{message}"));
    }
}

/// Without a terminal (a scheduled build, a log): no spinner, but notices still reach stderr.
struct Plain;

impl Progress for Plain {
    fn stage(&self, _message: &str) {}

    fn notice(&self, message: &str) {
        eprintln!("{message}");
    }
}

/// A spinner with the current stage and the elapsed time, shown only once the build has run
/// for a second: a small site builds without flicker.
fn spinner() -> Spinner {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    let delayed = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        if !delayed.is_finished() {
            delayed.set_draw_target(ProgressDrawTarget::stderr());
        }
    });
    Spinner(bar)
}

/// Sizes the pool of worker threads that parse, render and write in parallel.
fn set_jobs(jobs: Option<u16>) -> Result<(), String> {
    let Some(jobs) = jobs else {
        return Ok(());
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(usize::from(jobs))
        .build_global()
        .map_err(|e| format!("impossible de régler le nombre de fils de calcul : {e}"))
}

pub(super) fn build(args: BuildArgs) -> ExitCode {
    if let Err(message) = set_jobs(args.jobs) {
        eprintln!("erreur : {message}");
        return ExitCode::FAILURE;
    }
    let options = BuildOptions {
        root: args.site.root.path.clone(),
        output: args.output,
        base_url: args.base_url,
        drafts: args.site.drafts,
        force: args.force,
        offline: args.hors_ligne,
        compress: args.compresser,
    };
    let progress = (!args.quiet && std::io::stderr().is_terminal()).then(spinner);
    let result = match &progress {
        Some(s) => site::build(&options, s),
        None if args.quiet => site::build(&options, &Silent),
        None => site::build(&options, &Plain),
    };
    if let Some(s) = progress {
        s.0.finish_and_clear();
    }
    match result {
        Ok(summary) => {
            print_warnings(&summary.warnings);
            if !args.quiet && summary.unchanged {
                println!(
                    "Rien n'a changé depuis la dernière construction : {} est à jour ({} pages HTML, {} fichiers ; vérifié en {:.2} s).",
                    options.output_dir().display(),
                    summary.html_pages,
                    summary.files,
                    summary.elapsed.as_secs_f64()
                );
            } else if !args.quiet {
                println!(
                    "Site construit dans {} : {} scénario{}, {} pages HTML, {} fichiers en {:.2} s.",
                    options.output_dir().display(),
                    summary.scenarios,
                    if summary.scenarios > 1 { "s" } else { "" },
                    summary.html_pages,
                    summary.files,
                    summary.elapsed.as_secs_f64()
                );
                if summary.harvested > 0 {
                    println!(
                        "Dont {} scénario{} moissonné{} sur d'autres vitrines (vitrine harvest).",
                        summary.harvested,
                        plural(summary.harvested),
                        plural(summary.harvested)
                    );
                }
                if args.durees {
                    for (stage, duration) in &summary.stages {
                        println!("  {stage} : {:.2} s", duration.as_secs_f64());
                    }
                    // The work done, in the order of the pipeline: an edit should show ones.
                    println!("  scénarios lus et vérifiés : {}", summary.parsed_sources);
                    println!(
                        "  corps Markdown mis en forme : {}",
                        summary.rendered_bodies
                    );
                    println!("  documents indexés : {}", summary.indexed_documents);
                    println!(
                        "  scénarios dont les scénarios proches ont été recalculés : {}",
                        summary.related_computed
                    );
                    println!(
                        "  pages reprises sans les recalculer (scénarios et pages qu'elles montrent inchangés) : {}",
                        summary.pages_kept_by_inputs
                    );
                    println!("  pages mises en forme : {}", summary.rendered_pages);
                    println!(
                        "  fichiers d'export repris sans les refaire (métadonnées inchangées) : {}",
                        summary.exports_kept
                    );
                    println!(
                        "  fichiers identiques à la construction précédente, repris tels quels : {}",
                        summary.reused_files
                    );
                    println!("  fichiers écrits : {}", summary.written_files);
                }
                if summary.drafts_excluded > 0 {
                    println!(
                        "{} brouillon{} non publié{} (option --drafts pour les inclure).",
                        summary.drafts_excluded,
                        plural(summary.drafts_excluded),
                        plural(summary.drafts_excluded)
                    );
                }
            }
            if !args.quiet {
                summary
                    .not_produced
                    .iter()
                    .for_each(|line| println!("{line}."));
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_diagnostics(&problems);
            let read = crate::check::Read::of(&options.root);
            eprint!(
                "{}",
                read.summary(problems.iter().map(|d| d.file.as_path()))
            );
            eprintln!(
                "{}",
                site::output::state_after_failure(&options.output_dir())
            );
            ExitCode::FAILURE
        }
    }
}
