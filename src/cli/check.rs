//! `vitrine check`: the site's report, on stdout when all is well, on stderr otherwise.

use std::process::ExitCode;

use super::args::CheckArgs;
use crate::site::BuildOptions;

pub(super) fn check(args: CheckArgs) -> ExitCode {
    let root = args.site.root.path;
    let report = crate::check::check(&BuildOptions::new(&root));
    let written = match args.format.as_str() {
        "json" => Some(report.to_json()),
        "gitlab" => Some(report.to_gitlab(&crate::check::repository_prefix(&root))),
        _ => args.sortie.as_ref().map(|_| report.to_text()),
    };
    if let Some(text) = written {
        if let Err(code) = write_report(args.sortie.as_deref(), &text) {
            return code;
        }
    } else {
        let text = report.to_text();
        if report.findings.is_empty() {
            print!("Tout est correct : {text}");
        } else {
            eprint!("{text}");
        }
    }
    if report.passes(args.strict) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The report on stdout, or in the `--sortie` file; the exit code of a file not written.
fn write_report(sortie: Option<&std::path::Path>, text: &str) -> Result<(), ExitCode> {
    let Some(path) = sortie else {
        println!("{}", text.trim_end());
        return Ok(());
    };
    std::fs::write(path, format!("{}\n", text.trim_end())).map_err(|e| {
        super::output::print_diagnostics(&[crate::diagnostics::Diagnostic::io(path, &e)]);
        ExitCode::FAILURE
    })
}
