//! `vitrine search`: the library's answer printed as a numbered list (or JSON for scripts).

use std::io::IsTerminal;
use std::process::ExitCode;

use super::args::SearchArgs;
use super::output::{print_diagnostics, usage_error};
use crate::content::Facet;
use crate::search::{Failure, Request, Results};
use crate::site::BuildOptions;

pub(super) fn search(args: SearchArgs) -> ExitCode {
    let options = BuildOptions {
        drafts: args.site.drafts,
        ..BuildOptions::new(&args.site.root.path)
    };
    let request = Request {
        text: args.query.clone(),
        filters: args.filters.by_facet(),
        limit: args.limit,
    };
    match crate::search::search(&options, &request) {
        Ok(results) if args.json => {
            println!("{}", results.to_json());
            ExitCode::SUCCESS
        }
        Ok(results) => {
            print_results(&args.query, &results);
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(failure),
    }
}

/// The hits, numbered, each with where to read it and its excerpt; then approximate results.
fn print_results(query: &str, results: &Results) {
    if results.found.is_empty() {
        println!("Aucun scénario ne correspond à « {query} ».");
    }
    let color = std::io::stdout().is_terminal();
    for (rank, found) in results.found.iter().enumerate() {
        println!("{}. {}\n   {}", rank + 1, found.hit.titre, found.place());
        if !found.hit.snippet_html.is_empty() {
            println!(
                "   {}",
                snippet_for_terminal(&found.hit.snippet_html, color)
            );
        }
    }
    print_approximate(results);
}

/// The « Résultats approchants » block after the results: each line names the missing word.
fn print_approximate(results: &Results) {
    if results.approximate.is_empty() {
        return;
    }
    println!("\nRésultats approchants (il manque un mot) :");
    for (rank, (found, missing)) in results.approximate.iter().enumerate() {
        println!(
            "{}. {} — sans « {missing} »\n   {}",
            rank + 1,
            found.hit.titre,
            found.place()
        );
    }
}

fn report_failure(failure: Failure) -> ExitCode {
    match failure {
        Failure::Site(problems) => {
            print_diagnostics(&problems);
            ExitCode::FAILURE
        }
        Failure::UnknownValue {
            facet,
            value,
            suggestion,
            accepted,
        } => {
            let hint = suggestion
                .map(|s| format!(" ; vouliez-vous dire « {s} » ?"))
                .unwrap_or_else(|| format!(" ; {accepted}"));
            let unknown = match facet {
                Facet::Levels | Facet::Cycles => "inconnu",
                _ => "inconnue",
            };
            eprintln!(
                "erreur : {} {unknown} « {value} »{hint}",
                facet.singular().to_lowercase()
            );
            usage_error()
        }
        Failure::Index(problem) => {
            print_diagnostics(&[problem]);
            ExitCode::FAILURE
        }
        Failure::Query(e) => {
            eprintln!("erreur : recherche impossible : {e}");
            ExitCode::FAILURE
        }
    }
}

/// `<mark>` becomes bold yellow on a terminal, « » otherwise; entities are decoded.
fn snippet_for_terminal(html: &str, color: bool) -> String {
    let (open, close) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    html.replace("<mark>", open)
        .replace("</mark>", close)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace('\n', " ")
}
