//! `vitrine paquet`: one Common Cartridge (`.imscc`) of several scenarios, for a trainer
//! building a Moodle / m@gistère course: one section per scenario (`exports::imscc`).

use std::process::ExitCode;

use super::args::PaquetArgs;
use super::output::{print_diagnostics, usage_error};
use crate::exports::imscc;
use crate::site::{BuildOptions, Silent};

pub(super) fn paquet(args: PaquetArgs) -> ExitCode {
    let options = BuildOptions::new(&args.root.path);
    let prepared = match crate::site::prepare::prepare(&options, &Silent) {
        Ok(p) => p,
        Err(problems) => {
            print_diagnostics(&problems);
            return ExitCode::FAILURE;
        }
    };
    let groups = args.filters.by_facet();
    let mut filters = Vec::new();
    let mut labels = Vec::new();
    for (facet, values) in groups {
        let Some(name) = facet.vocab() else { continue };
        let vocab = prepared.vocabs.get(name);
        let mut keys = Vec::new();
        for value in values {
            let Some(entry) = vocab.resolve(&value) else {
                let hint = vocab
                    .suggest(&value)
                    .map(|s| format!(" ; vouliez-vous dire « {s} » ?"))
                    .unwrap_or_else(|| format!(" ; {}", vocab.accepted_values()));
                eprintln!(
                    "erreur : {} « {value} » inconnu(e){hint}",
                    facet.singular().to_lowercase()
                );
                return usage_error();
            };
            keys.push(entry.cle.clone());
            labels.push(entry.libelle.clone());
        }
        filters.push((facet, keys));
    }
    let related = Default::default();
    let input = prepared.input(&related);
    let scenarios = match imscc::select(&input, &args.slugs, &filters) {
        Ok(s) if s.is_empty() => {
            eprintln!("erreur : aucun scénario publié ne correspond à cette sélection");
            return ExitCode::FAILURE;
        }
        Ok(s) => s,
        Err(message) => {
            eprintln!("erreur : {message}");
            return usage_error();
        }
    };
    let title = args.titre.unwrap_or_else(|| match labels.as_slice() {
        [] => format!("Parcours de {} scénarios", scenarios.len()),
        labels => format!("Parcours : {}", labels.join(", ")),
    });
    let bytes = match imscc::package(&input, &scenarios, &title, &options.root) {
        Ok(b) => b,
        Err(problem) => {
            print_diagnostics(&[problem]);
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(&args.sortie, &bytes) {
        print_diagnostics(&[crate::diagnostics::Diagnostic::io(&args.sortie, &e)]);
        return ExitCode::FAILURE;
    }
    println!(
        "Paquet Moodle / m@gistère écrit dans {} : {}, {} Ko.",
        args.sortie.display(),
        crate::text::counted(scenarios.len(), "scénario", "scénarios"),
        bytes.len().div_ceil(1024)
    );
    ExitCode::SUCCESS
}
