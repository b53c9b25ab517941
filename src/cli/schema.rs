//! `vitrine schema`: the JSON Schema of the front matter, on stdout or in a file.

use std::process::ExitCode;

use super::args::SchemaArgs;
use super::output::print_diagnostics;
use crate::diagnostics::Diagnostic;

pub(super) fn schema(args: SchemaArgs) -> ExitCode {
    let vocabs = match crate::listing::site_vocabularies(&args.root.path) {
        Ok(vocabs) => vocabs,
        Err(problems) => {
            print_diagnostics(&problems);
            return ExitCode::FAILURE;
        }
    };
    let schema = crate::schema::front_matter(&vocabs);
    // Strings, numbers and objects only: serialising cannot fail.
    let text = serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n";
    let Some(path) = args.sortie else {
        print!("{text}");
        return ExitCode::SUCCESS;
    };
    match std::fs::write(&path, text) {
        Ok(()) => {
            println!("Schéma de l'en-tête écrit dans {}.", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_diagnostics(&[Diagnostic::io(&path, &e)]);
            ExitCode::FAILURE
        }
    }
}
