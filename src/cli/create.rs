//! `vitrine init` and `vitrine new`: a new site, a new scenario, and what to do next.

use std::process::ExitCode;

use super::args::{InitArgs, NewArgs};

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
    let request = crate::new_scenario::NewScenario {
        titre: args.titre,
        disciplines: args.disciplines,
        niveaux: args.niveaux,
        academie: args.academie,
        bundle: args.bundle,
    };
    let today = chrono::Local::now().date_naive();
    match crate::new_scenario::create_in_site(&args.root.path, &request, today) {
        Ok(created) => {
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
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::FAILURE
        }
    }
}
