//! Benchmark of `vitrine serve` (`bench/apercu.sh`): on a generated site, saves one scenario
//! again and again and measures, for each save, the time until the reload event reaches an open
//! page and the time until the new page is served; then the background step (index, related
//! scenarios, search data) and the peak memory of the process.
//!
//! Usage: cargo run --release --example apercu -- SITE [SAVES]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use vitrine::diagnostics::Diagnostic;
use vitrine::serve::{self, Reporter, ServeOptions};

struct Quiet;
impl Reporter for Quiet {
    fn listening(&self, _url: &str) {}
    fn rebuilt(&self, _message: &str) {}
    fn failed(&self, problems: &[Diagnostic]) {
        for p in problems {
            eprintln!("{p}");
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(site) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage : apercu DOSSIER_DU_SITE [ENREGISTREMENTS]");
        return ExitCode::from(2);
    };
    let saves: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(15);

    let started = Instant::now();
    let mut options = ServeOptions::new(&site);
    options.port = 0;
    let server = match serve::start(options, Arc::new(Quiet)) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let state = server.live.state();
    let Some(snapshot) = state.snapshot else {
        eprintln!("le site de test ne se construit pas");
        return ExitCode::FAILURE;
    };
    println!(
        "démarrage (construction complète en mémoire) : {:.2} s, {} scénarios",
        started.elapsed().as_secs_f64(),
        snapshot.scenario_count()
    );
    drop(snapshot);

    let file = first_scenario(&site);
    let slug = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let address = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut events = open_events(&address);
    let original = std::fs::read_to_string(&file).unwrap_or_default();

    let mut to_event = Vec::new();
    let mut to_page = Vec::new();
    let mut background = Vec::new();
    for i in 0..saves {
        let marker = format!("Modification numéro {i} de l'aperçu.");
        let saved = Instant::now();
        if std::fs::write(&file, format!("{original}\n{marker}\n")).is_err() {
            eprintln!("écriture impossible : {}", file.display());
            return ExitCode::FAILURE;
        }
        wait_event(&mut events, "\"chemins\":[\"*\"]");
        to_event.push(saved.elapsed());
        let page = get(&address, &format!("/scenarios/{slug}/"));
        to_page.push(saved.elapsed());
        if !page.contains(&marker) {
            eprintln!("la page servie n'a pas la modification {i}");
            return ExitCode::FAILURE;
        }
        // Step 2 (index, related, search data) ends with a second event.
        wait_event(&mut events, "event: rechargement");
        background.push(saved.elapsed());
    }
    let _ = std::fs::write(&file, original);
    println!(
        "enregistrement → évènement de rechargement : médiane {} ms (min {}, max {})",
        median(&mut to_event),
        min(&to_event),
        max(&to_event)
    );
    println!(
        "enregistrement → nouvelle page servie : médiane {} ms (min {}, max {})",
        median(&mut to_page),
        min(&to_page),
        max(&to_page)
    );
    println!(
        "enregistrement → index, scénarios proches et recherche à jour : médiane {} ms",
        median(&mut background)
    );
    println!("mémoire maximale du processus : {} Mio", peak_rss_mib());
    ExitCode::SUCCESS
}

fn first_scenario(site: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content/scenarios"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.file_name().is_some_and(|n| n != "index.md")
        })
        .collect();
    files.sort();
    files.into_iter().next().unwrap_or_default()
}

fn open_events(address: &str) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(address).expect("connexion au serveur");
    let _ = stream.set_read_timeout(Some(Duration::from_secs(120)));
    let _ = write!(
        stream,
        "GET /_vitrine/evenements HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
    );
    BufReader::new(stream)
}

fn wait_event(events: &mut BufReader<TcpStream>, needle: &str) {
    let mut line = String::new();
    loop {
        line.clear();
        match events.read_line(&mut line) {
            Ok(0) | Err(_) => panic!("flux d'évènements interrompu"),
            Ok(_) if line.contains(needle) => return,
            Ok(_) => {}
        }
    }
}

fn get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connexion au serveur");
    let _ = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    );
    let mut body = String::new();
    let _ = std::io::Read::read_to_string(&mut stream, &mut body);
    body
}

fn median(values: &mut [Duration]) -> u128 {
    values.sort();
    values.get(values.len() / 2).map_or(0, |d| d.as_millis())
}

fn min(values: &[Duration]) -> u128 {
    values.iter().min().map_or(0, |d| d.as_millis())
}

fn max(values: &[Duration]) -> u128 {
    values.iter().max().map_or(0, |d| d.as_millis())
}

fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
