//! Builds a site holding one hostile scenario (many keywords, tools, identical headings) and
//! prints the build time, for `bench/scenario_hostile.sh` (BENCHMARKS.md).
//!
//! Usage: cargo run --release --example scenario_hostile -- --mots-cles N --outils N --titres N
//!
//! Keywords are all distinct except every tenth, written again with other case and accents
//! (« Mot 17 » then « MÔT 17 ») so the de-duplication has work to do; headings are all
//! identical. A linear build takes about twice as long when a size doubles.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use vitrine::site::{self, BuildOptions, Silent};

#[derive(Parser)]
struct Args {
    /// Number of `mots_cles` of the scenario.
    #[arg(long, default_value_t = 0)]
    mots_cles: usize,
    /// Number of `outils` of the scenario.
    #[arg(long, default_value_t = 0)]
    outils: usize,
    /// Number of identical `## Étape` headings in the body.
    #[arg(long, default_value_t = 0)]
    titres: usize,
    /// Site folder to write (kept); a temporary folder by default.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
}

/// The hostile scenario's source (also written by tests/scenario_hostile.rs, which includes
/// this file): keywords « mot 0 » … with every tenth written again as « MÔT n-1 » (a duplicate
/// once case and accents are ignored); tools « Outil 0 » …; identical `## Étape` headings.
pub fn hostile_scenario(title: &str, mots_cles: usize, outils: usize, titres: usize) -> String {
    let mut s = format!(
        "---\ntitre: \"{title}\"\nresume: Beaucoup de mots-clés, d'outils et de titres.\ndate: 2025-03-14\nacademie: Lyon\ndisciplines: [Mathématiques]\nniveaux: [5e]\n"
    );
    s.push_str("mots_cles:\n");
    for i in 0..mots_cles {
        if i % 10 == 9 {
            let _ = writeln!(s, "  - MÔT {}", i - 1);
        } else {
            let _ = writeln!(s, "  - mot {i}");
        }
    }
    s.push_str("outils:\n");
    for i in 0..outils {
        let _ = writeln!(s, "  - Outil {i}");
    }
    s.push_str("---\n\n");
    for _ in 0..titres {
        s.push_str("## Étape\n\nUne phrase.\n\n");
    }
    s
}

fn write_site(root: &Path, scenario: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(root.join("content/scenarios"))?;
    std::fs::write(
        root.join("vitrine.yaml"),
        "titre: Vitrine hostile\ndescription: Banc d'essai.\n",
    )?;
    std::fs::write(root.join("content/scenarios/hostile.md"), scenario)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let temp = tempfile::tempdir();
    let root = match (&args.out, &temp) {
        (Some(out), _) => out.clone(),
        (None, Ok(t)) => t.path().to_path_buf(),
        (None, Err(e)) => {
            eprintln!("dossier temporaire impossible : {e}");
            return ExitCode::FAILURE;
        }
    };
    let scenario = hostile_scenario("Scénario hostile", args.mots_cles, args.outils, args.titres);
    if let Err(e) = write_site(&root, &scenario) {
        eprintln!("écriture du site impossible : {e}");
        return ExitCode::FAILURE;
    }
    let start = Instant::now();
    match site::build(&BuildOptions::new(&root), &Silent) {
        Ok(_) => {
            println!(
                "mots_cles={} outils={} titres={} construction={:.2} s",
                args.mots_cles,
                args.outils,
                args.titres,
                start.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            for d in diagnostics {
                eprintln!("{d}");
            }
            ExitCode::FAILURE
        }
    }
}
