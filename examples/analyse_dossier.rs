//! Times the French analyser of the index on every Markdown file of a folder: the work of
//! indexing the texts, without tantivy around it (BENCHMARKS.md, issue 20, session 30).
//!
//! Usage: cargo run --release --example analyse_dossier -- DOSSIER [PASSES]
//!
//! Prints, for each pass, the number of bytes of terms produced and the time taken; one
//! analyser serves every text, as in a build.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use tantivy::tokenizer::TokenStream;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(folder) = args.next() else {
        eprintln!("utilisation : analyse_dossier DOSSIER [PASSES]");
        return ExitCode::FAILURE;
    };
    let passes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let texts = markdown_texts(Path::new(&folder));
    if texts.is_empty() {
        eprintln!("aucun fichier Markdown lisible dans « {folder} »");
        return ExitCode::FAILURE;
    }
    for _ in 0..passes {
        let start = Instant::now();
        let mut analyzer = vitrine::index::french_analyzer();
        let mut bytes = 0usize;
        for text in &texts {
            let mut stream = analyzer.token_stream(text);
            while stream.advance() {
                bytes += stream.token().text.len();
            }
        }
        println!(
            "{} textes, {bytes} octets de termes, {:.3} s",
            texts.len(),
            start.elapsed().as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}

fn markdown_texts(folder: &Path) -> Vec<String> {
    walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "md"))
        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
        .collect()
}
