//! CPU cost of the steps of the search index, on the documents of an index a build left:
//! a single-segment build (the path of `vitrine search` and the preview), a build in parts
//! then merged (a full `vitrine build`), the merge alone, and the update of one part then the
//! merge (an edit rebuild). CPU seconds of the whole process (every thread), from
//! `/proc/self/stat`: on a shared machine they vary much less than durations. Linux only.
//!
//! Usage: cargo run --release --example index_parties -- SITE/.vitrine-cache/index DOSSIER [N]
//!
//! `DOSSIER` (scratch, emptied) receives the indexes; `N` is the number of documents per part
//! (500 by default, as `vitrine build` on a large site). Fields that are not stored
//! (vocabulary words, facets) are left out of the documents.

use std::path::Path;
use std::process::ExitCode;

use tantivy::schema::Value;
use tantivy::{DocAddress, Index, TantivyDocument};
use vitrine::index::{IndexDoc, SearchIndex};

/// CPU seconds used and wall-clock seconds elapsed since `since` (from [`now`]).
fn spent(since: (f64, std::time::Instant)) -> String {
    format!(
        "{:.2} s de CPU, {:.2} s réelles",
        cpu() - since.0,
        since.1.elapsed().as_secs_f64()
    )
}

fn now() -> (f64, std::time::Instant) {
    (cpu(), std::time::Instant::now())
}

/// User + system CPU seconds of the process so far.
fn cpu() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    let after = stat.rfind(')').map_or("", |i| &stat[i + 2..]);
    let fields: Vec<&str> = after.split(' ').collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => (user + system) / 100.0,
        _ => f64::NAN,
    }
}

/// The stored fields of every document of `source`, in slug order.
fn documents(source: &Path) -> tantivy::Result<Vec<IndexDoc>> {
    let index = Index::open_in_dir(source)?;
    let schema = index.schema();
    let searcher = index.reader()?.searcher();
    let mut docs = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        for id in segment.doc_ids_alive() {
            let doc: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, id))?;
            let all = |name: &str| -> Vec<String> {
                let Ok(field) = schema.get_field(name) else {
                    return Vec::new();
                };
                doc.get_all(field)
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            };
            let one = |name: &str| all(name).into_iter().next().unwrap_or_default();
            docs.push(IndexDoc {
                slug: one("slug"),
                titre: one("titre"),
                resume: one("resume"),
                body: one("body"),
                mots_cles: all("mots_cles"),
                outils: all("outils"),
                auteurs: all("auteurs"),
                metadonnees: Vec::new(),
                facets: Vec::new(),
                date: chrono::NaiveDate::default(),
                duree_minutes: None,
            });
        }
    }
    docs.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(docs)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(source), Some(scratch)) = (args.get(1), args.get(2)) else {
        eprintln!("usage : index_parties SITE/.vitrine-cache/index DOSSIER [N]");
        return ExitCode::FAILURE;
    };
    let size: usize = args
        .get(3)
        .and_then(|n| n.parse().ok())
        .unwrap_or(500)
        .max(1);
    match run(Path::new(source), Path::new(scratch), size) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur : {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(source: &Path, scratch: &Path, size: usize) -> Result<(), Box<dyn std::error::Error>> {
    let docs = documents(source)?;
    let n = docs.len();
    let (parts, merged, single) = (
        scratch.join("parties"),
        scratch.join("index"),
        scratch.join("un-segment"),
    );
    let started = now();
    SearchIndex::build_sorted(&single, docs.clone().into_iter())?;
    println!("index en un segment : {}", spent(started));

    let started = now();
    let chunks: Vec<Vec<IndexDoc>> = docs.chunks(size).map(<[IndexDoc]>::to_vec).collect();
    SearchIndex::build_parts(&parts, &merged, chunks.into_iter())?;
    println!(
        "index en {} parties de {size} puis fusion : {}",
        n.div_ceil(size),
        spent(started)
    );

    let started = now();
    SearchIndex::update_parts(&parts, &merged, &[], std::iter::empty())?;
    println!("fusion seule : {}", spent(started));

    let middle = (n / size / 2) * size;
    let part: Vec<IndexDoc> = docs[middle..(middle + size).min(n)].to_vec();
    let stale: Vec<String> = part.iter().map(|d| d.slug.clone()).collect();
    let started = now();
    SearchIndex::update_parts(&parts, &merged, &stale, std::iter::once(part))?;
    println!(
        "une partie indexée à nouveau puis fusion : {}",
        spent(started)
    );
    Ok(())
}
