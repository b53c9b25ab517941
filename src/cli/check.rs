//! `vitrine check`: the site's report, on stdout when all is well, on stderr otherwise.

use std::process::ExitCode;

use super::args::CheckArgs;
use crate::site::BuildOptions;

pub(super) fn check(args: CheckArgs) -> ExitCode {
    let report = crate::check::check(&BuildOptions::new(args.site.root.path));
    if args.format == "json" {
        println!("{}", report.to_json());
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
