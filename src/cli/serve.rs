//! `vitrine serve`: the live preview, and what it says in the terminal.

use std::process::ExitCode;

use super::args::ServeArgs;
use super::output::print_warnings;
use crate::diagnostics::Diagnostic;
use crate::publish::wording::capitalize;
use crate::serve;
use crate::text::plural;

/// Prints what the preview server does, in French.
struct Terminal;

impl serve::Reporter for Terminal {
    fn listening(&self, url: &str) {
        println!("Aperçu en direct sur {url} (Ctrl+C pour arrêter).");
        println!("Enregistrez un fichier de content/ : la page se met à jour d'elle-même.");
    }

    fn rebuilt(&self, message: &str) {
        println!("{}", capitalize(message));
    }

    fn failed(&self, problems: &[Diagnostic]) {
        for d in problems {
            eprintln!("{d}");
        }
        let n = problems.len();
        eprintln!(
            "{n} erreur{} : l'aperçu garde la dernière version correcte.",
            plural(n)
        );
    }

    fn warned(&self, warnings: &[Diagnostic]) {
        print_warnings(warnings);
    }
}

/// The preview's settings from the command line.
fn options(args: ServeArgs) -> serve::ServeOptions {
    let mut options = serve::ServeOptions::new(args.site.root.path);
    // The preview is the author's: drafts show unless asked otherwise.
    options.drafts = !args.sans_brouillons;
    options.port = args.port;
    options.bind = args.bind;
    options
}

pub(super) fn serve(args: ServeArgs) -> ExitCode {
    let open_browser = args.open;
    let options = options(args);
    if !options.bind.is_loopback() {
        eprintln!(
            "attention : l'aperçu est visible depuis le réseau sur {} (brouillons compris, sauf avec --sans-brouillons).",
            options.bind
        );
        eprintln!("{}", serve::network_hint());
    }
    match serve::start(options, std::sync::Arc::new(Terminal)) {
        Ok(server) => {
            if open_browser && open::that_detached(&server.url).is_err() {
                eprintln!(
                    "impossible d'ouvrir le navigateur : ouvrez {} vous-même.",
                    server.url
                );
            }
            // The server and the watcher run in their own threads until Ctrl+C.
            loop {
                std::thread::park();
            }
        }
        Err(problem) => {
            eprintln!("{problem}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::super::args::{Cli, Command};

    fn drafts_shown(line: &[&str]) -> bool {
        match Cli::try_parse_from(line).map(|cli| cli.command) {
            Ok(Command::Serve(args)) => super::options(args).drafts,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_preview_shows_drafts_unless_asked_not_to() {
        assert!(drafts_shown(&["vitrine", "serve"]));
        assert!(!drafts_shown(&["vitrine", "serve", "--sans-brouillons"]));
    }
}
