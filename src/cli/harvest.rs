//! `vitrine harvest`: the other vitrines' catalogues downloaded, one line per source.

use std::process::ExitCode;

use super::args::HarvestArgs;
use crate::text::plural;

pub(super) fn harvest(args: HarvestArgs) -> ExitCode {
    let config = match crate::config::Config::load(&args.root.path) {
        Ok(c) => c,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::FAILURE;
        }
    };
    if crate::federation::sources(&config).is_empty() {
        eprintln!(
            "erreur : aucune source à moissonner : ajoutez « moissonnage: sources: » à {} (voir le README, « Vitrine nationale »)",
            crate::config::CONFIG_FILE
        );
        return ExitCode::FAILURE;
    }
    let report = crate::federation::fetch::harvest(&args.root.path, &config);
    for outcome in &report.outcomes {
        let source = &outcome.source;
        match &outcome.result {
            Ok(fetched) => println!(
                "ok : {} : {} scénario{}, {} octets",
                source.describe(),
                fetched.scenarios,
                plural(fetched.scenarios),
                fetched.bytes
            ),
            Err(e) => {
                let kept = if outcome.previous_kept {
                    "le catalogue moissonné précédemment est gardé"
                } else {
                    "aucun catalogue précédent : ses scénarios manqueront"
                };
                eprintln!("erreur : {} : {e} ; {kept}", source.describe());
            }
        }
    }
    let (ok, failed) = (report.succeeded(), report.failed());
    println!(
        "Moissonnage : {ok} source{} à jour, {failed} en échec, {} scénario{} téléchargé{}. Lancez « vitrine build » pour les publier.",
        plural(ok),
        report.scenarios(),
        plural(report.scenarios()),
        plural(report.scenarios())
    );
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
