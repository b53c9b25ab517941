//! Prints the terms of the French analyser of the index, to compare it with the browser one
//! (`themes/defaut/static/recherche/analyseur.js`).
//!
//! Usage: cargo run --example analyser < textes.txt
//!
//! Reads one text per line on stdin and prints, for each, one line holding the JSON array of
//! its terms (`vitrine::index::analyze`).

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("erreur : {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for line in io::stdin().lock().lines() {
        let terms: Vec<String> = vitrine::index::analyze(&line?);
        serde_json::to_writer(&mut out, &terms)?;
        writeln!(out)?;
    }
    out.flush()
}
