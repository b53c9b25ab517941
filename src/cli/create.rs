//! `vitrine init` and `vitrine new`: a new site, a new scenario, and what to do next.

use std::process::ExitCode;

use super::args::{InitArgs, NewArgs};
use super::output::usage_error;

pub(super) fn init(args: InitArgs) -> ExitCode {
    match crate::init::init(&args.dir) {
        Ok(files) => {
            println!("Site créé dans {} :", args.dir.display());
            for f in files {
                println!("  {f}");
            }
            println!("{}", crate::init::next_steps(&args.dir));
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::FAILURE
        }
    }
}

pub(super) fn new_scenario(args: NewArgs) -> ExitCode {
    let interactive = asks_questions(&args);
    let mut request = crate::new_scenario::NewScenario {
        titre: args.titre.unwrap_or_default(),
        disciplines: args.disciplines,
        niveaux: args.niveaux,
        academie: args.academie,
        types: args.types,
        modalites: args.modalites,
        resume: None,
        auteur: None,
        bundle: args.bundle,
    };
    let root = &args.root.path;
    let (config, vocabs) = match crate::new_scenario::load_site(root) {
        Ok(site) => site,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::FAILURE;
        }
    };
    if interactive {
        if let Err(stop) =
            crate::new_scenario::interactive::ask_missing(root, &mut request, &config, &vocabs)
        {
            return stopped(stop);
        }
    } else if request.titre.is_empty() {
        eprintln!(
            "erreur : il manque le titre du scénario, par exemple vitrine new \"Débattre en EMC avec un mur collaboratif\" --discipline emc --niveau 4e\nAide : vitrine new --aide"
        );
        return usage_error();
    }
    let today = chrono::Local::now().date_naive();
    match crate::new_scenario::create(root, &request, &config, &vocabs, today) {
        Ok(created) => {
            report_created(&created);
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::FAILURE
        }
    }
}

/// Questions only for a person at a terminal who gave none of the values: options mean a
/// script or a referent who knows what to write, and a pipe has nobody to answer.
fn asks_questions(args: &NewArgs) -> bool {
    use std::io::IsTerminal;
    let gave_values = !args.disciplines.is_empty()
        || !args.niveaux.is_empty()
        || args.academie.is_some()
        || !args.types.is_empty()
        || !args.modalites.is_empty();
    !args.non_interactif
        && !gave_values
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal()
}

fn stopped(stop: crate::new_scenario::interactive::Stop) -> ExitCode {
    use crate::new_scenario::interactive::Stop;
    match stop {
        Stop::Cancelled => eprintln!("Création annulée : aucun fichier n'a été écrit."),
        Stop::Failed(d) => eprintln!("{d}"),
    }
    ExitCode::FAILURE
}

fn report_created(created: &crate::new_scenario::Created) {
    println!("Scénario créé : {}", created.path.display());
    if !created.to_fill.is_empty() {
        println!(
            "À compléter avant de publier : {}.",
            created.to_fill.join(", ")
        );
    }
    println!(
        "Il est en brouillon (brouillon: true) : vitrine serve le montre avec un bandeau « Brouillon » ; retirez la ligne pour le publier."
    );
}
