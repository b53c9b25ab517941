//! National vitrine: two académie sites are built with `vitrine build` to get real
//! `catalogue.json` files, served by a real HTTP server on loopback (one catalogue with a broken
//! entry, one that does not answer in time), harvested with `vitrine harvest` and merged into a
//! national site by `vitrine build`.

mod common;

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::assert_french;
use serde_json::Value;

/// How the test server answers a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    /// Never answers while the mode stays `Silent` (the client's deadline must end the wait).
    Silent,
    /// HTTP 500.
    Failing,
}

#[derive(Default)]
struct Routes {
    bodies: HashMap<String, Vec<u8>>,
    modes: HashMap<String, Mode>,
    /// Path → `Location` of a 302 answer.
    moved: HashMap<String, String>,
}

/// A small HTTP/1.1 server on 127.0.0.1 with one thread per connection.
struct CatalogueServer {
    port: u16,
    routes: Arc<Mutex<Routes>>,
}

impl CatalogueServer {
    fn start() -> CatalogueServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let routes = Arc::new(Mutex::new(Routes::default()));
        let shared = Arc::clone(&routes);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let routes = Arc::clone(&shared);
                std::thread::spawn(move || answer(stream, &routes));
            }
        });
        CatalogueServer { port, routes }
    }

    fn serve(&self, path: &str, body: Vec<u8>) {
        let mut routes = self.routes.lock().expect("routes");
        routes.bodies.insert(path.to_string(), body);
        routes.modes.insert(path.to_string(), Mode::Normal);
    }

    /// Answers `path` with « 302 Found » to `location`.
    fn move_to(&self, path: &str, location: &str) {
        let mut routes = self.routes.lock().expect("routes");
        routes.moved.insert(path.to_string(), location.to_string());
    }

    fn set_mode(&self, path: &str, mode: Mode) {
        let mut routes = self.routes.lock().expect("routes");
        routes.modes.insert(path.to_string(), mode);
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn mode_of(routes: &Mutex<Routes>, path: &str) -> Option<Mode> {
    routes.lock().ok()?.modes.get(path).copied()
}

fn answer(mut stream: TcpStream, routes: &Mutex<Routes>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .to_string();
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let moved = routes.lock().ok().and_then(|r| r.moved.get(&path).cloned());
    if let Some(location) = moved {
        let head = format!(
            "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let _ = stream.write_all(head.as_bytes());
        return;
    }
    let started = Instant::now();
    while mode_of(routes, &path) == Some(Mode::Silent) {
        // Bounded, so a broken client cannot keep the thread forever.
        if started.elapsed() > Duration::from_secs(60) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let (status, body) = match mode_of(routes, &path) {
        Some(Mode::Normal) => {
            let body = routes
                .lock()
                .ok()
                .and_then(|r| r.bodies.get(&path).cloned())
                .unwrap_or_default();
            ("200 OK", body)
        }
        Some(Mode::Failing) => ("500 Internal Server Error", b"panne".to_vec()),
        _ => ("404 Not Found", b"introuvable".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn vitrine(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("run vitrine")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(root: &Path, file: &str, contents: &str) {
    let path = root.join(file);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, contents).expect("write");
}

/// A scenario file: id, title, académie, discipline, level, keywords.
fn scenario(root: &Path, id: &str, titre: &str, meta: (&str, &str, &str), mots: &str) {
    let (academie, discipline, niveau) = meta;
    write(
        root,
        &format!("content/scenarios/{id}.md"),
        &format!(
            "---\ntitre: {titre}\nresume: Résumé de {titre}.\ndate: 2025-01-1{}\nauteurs: [Camille Martin]\nacademie: {academie}\ndisciplines: [{discipline}]\nniveaux: [{niveau}]\ncompetences_numeriques: [\"3.4\"]\nmots_cles: [{mots}]\n---\n\nTexte intégral de {titre}, gardé sur le site de l'académie.\n",
            id.len() % 10
        ),
    );
}

/// Builds an académie site with `vitrine build` and returns its catalogue.
fn academy_catalogue(
    base_url: &str,
    scenarios: &[(&str, &str, &str, &str)],
    academie: &str,
) -> Value {
    let site = tempfile::tempdir().expect("tempdir");
    write(
        site.path(),
        "vitrine.yaml",
        &format!("titre: Vitrine {academie}\nbase_url: {base_url}\n"),
    );
    for (id, titre, discipline, mots) in scenarios {
        scenario(site.path(), id, titre, (academie, discipline, "5e"), mots);
    }
    let built = vitrine(&["build"], site.path());
    assert!(built.status.success(), "{}", text(&built.stderr));
    let json = fs::read_to_string(site.path().join("public/catalogue.json")).expect("catalogue");
    serde_json::from_str(&json).expect("catalogue JSON")
}

fn entry_mut<'a>(catalogue: &'a mut Value, id: &str) -> &'a mut Value {
    catalogue["scenarios"]
        .as_array_mut()
        .expect("scenarios")
        .iter_mut()
        .find(|e| e["id"] == id)
        .expect("entry")
}

fn read(root: &Path, file: &str) -> String {
    fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The national site: one local scenario and two sources.
fn national_site(server: &CatalogueServer) -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("tempdir");
    write(
        site.path(),
        "vitrine.yaml",
        &format!(
            "titre: Vitrine nationale\nbase_url: https://national.example.fr/\nscenarios_par_page: 50\nmoissonnage:\n  delai: 1\n  sources:\n    - nom: Académie A\n      url: {}\n    - nom: Académie B\n      url: {}\n",
            server.url("/a/catalogue.json"),
            server.url("/b/catalogue.json")
        ),
    );
    scenario(
        site.path(),
        "local-national",
        "Un scénario national",
        ("Paris", "Mathématiques", "6e"),
        "géométrie",
    );
    site
}

fn scenario_cards(listing: &str) -> usize {
    listing.matches("class=\"carte\"").count()
}

#[test]
fn a_national_vitrine_harvests_two_academies() {
    let mut catalogue_a = academy_catalogue(
        "https://vitrine.ac-a.fr/",
        &[
            ("volcans-a", "Les volcans", "SVT", "magma"),
            ("fractions-a", "Les fractions", "Mathématiques", "fractions"),
            ("casse-a", "Une entrée cassée", "SVT", "cassure"),
            ("commun", "Le scénario commun de A", "SVT", "partage"),
        ],
        "Lyon",
    );
    let catalogue_b = academy_catalogue(
        "https://vitrine.ac-b.fr/",
        &[
            ("robotique-b", "La robotique", "Technologie", "microbit"),
            (
                "commun",
                "Le scénario commun de B",
                "Technologie",
                "partage",
            ),
        ],
        "Normandie",
    );
    // The broken entry: a discipline key this site does not know.
    entry_mut(&mut catalogue_a, "casse-a")["disciplines"][0]["cle"] = "alchimie".into();
    entry_mut(&mut catalogue_a, "casse-a")["disciplines"][0]["libelle"] = "Alchimie".into();

    let server = CatalogueServer::start();
    server.serve(
        "/a/catalogue.json",
        serde_json::to_vec(&catalogue_a).expect("json"),
    );
    server.serve(
        "/b/catalogue.json",
        serde_json::to_vec(&catalogue_b).expect("json"),
    );
    server.set_mode("/b/catalogue.json", Mode::Silent);
    let national = national_site(&server);
    let root = national.path();

    // 1. B does not answer within `delai`: reported, A cached, exit status 1.
    let harvest = vitrine(&["harvest"], root);
    let stderr = text(&harvest.stderr);
    assert_eq!(harvest.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("source « Académie B »"), "{stderr}");
    assert!(stderr.contains("délai dépassé"), "{stderr}");
    assert!(!stderr.contains("Académie A »"), "A succeeded: {stderr}");
    let stdout = text(&harvest.stdout);
    assert!(stdout.contains("1 source à jour, 1 en échec"), "{stdout}");
    let cached = fs::read_dir(root.join(".vitrine-cache/moisson"))
        .expect("cache dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && !n.ends_with(".meta.json"))
        .collect::<Vec<_>>();
    assert_eq!(cached.len(), 1, "{cached:?}");
    let cached_a: Value = serde_json::from_str(&read(
        root,
        &format!(".vitrine-cache/moisson/{}", cached[0]),
    ))
    .expect("cached JSON");
    assert_eq!(cached_a, catalogue_a);

    // 2. The build merges A's valid scenarios; the broken entry and B are warnings.
    let build = vitrine(&["build"], root);
    let stderr = text(&build.stderr);
    assert!(build.status.success(), "{stderr}");
    assert!(stderr.contains("avertissement"), "{stderr}");
    let broken: Vec<&str> = stderr.lines().filter(|l| l.contains("casse-a")).collect();
    assert_eq!(broken.len(), 1, "{stderr}");
    assert!(broken[0].contains("source « Académie A »"), "{stderr}");
    assert!(broken[0].contains("alchimie"), "{stderr}");
    assert!(
        broken[0].contains("scenarios[0].disciplines[0]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("source « Académie B » : jamais moissonnée"),
        "{stderr}"
    );
    let public = root.join("public");
    let listing = read(&public, "scenarios/index.html");
    assert_eq!(scenario_cards(&listing), 4, "local + 3 valid entries of A");
    for id in ["volcans-a", "fractions-a", "commun"] {
        let link = format!("href=\"https://vitrine.ac-a.fr/scenarios/{id}/\" rel=\"external\"");
        assert!(
            listing.contains(&link),
            "{id} links to its académie: {listing}"
        );
        assert!(
            !public.join(format!("scenarios/{id}")).exists(),
            "no page for {id}"
        );
    }
    assert!(!listing.contains("casse-a") && !listing.contains("Une entrée cassée"));
    assert!(
        listing.contains("Sur le site de l&#39;académie de Lyon"),
        "{listing}"
    );
    assert!(listing.contains("href=\"../scenarios/local-national/\""));
    assert!(public.join("scenarios/local-national/index.html").is_file());
    // Facets count harvested scenarios, under this site's keys.
    let academies = read(&public, "academies/index.html");
    assert!(
        academies.contains(">Lyon</a> <span class=\"nombre\">(3)</span>"),
        "{academies}"
    );
    let svt = read(&public, "disciplines/svt/index.html");
    assert_eq!(scenario_cards(&svt), 2, "volcans-a and commun");
    // The browser search bundle points at the académie's page.
    let records: String = fs::read_dir(public.join("recherche/donnees/fiches"))
        .expect("records")
        .filter_map(|e| e.ok())
        .map(|e| fs::read_to_string(e.path()).expect("record file"))
        .collect();
    assert!(records.contains("\"url\":\"https://vitrine.ac-a.fr/scenarios/volcans-a/\""));
    assert!(records.contains("\"slug\":\"local-national\""));
    browser_search_links_to_the_academy(&public);
    // `vitrine search` finds them, with their canonical address.
    let search = vitrine(&["search", "magma", "--json"], root);
    assert!(search.status.success(), "{}", text(&search.stderr));
    let hits: Value = serde_json::from_slice(&search.stdout).expect("search JSON");
    assert_eq!(hits[0]["slug"], "volcans-a");
    assert_eq!(
        hits[0]["url"],
        "https://vitrine.ac-a.fr/scenarios/volcans-a/"
    );
    // Exports describe this site's own pages only.
    let catalogue: Value = serde_json::from_str(&read(&public, "catalogue.json")).expect("json");
    let ids: Vec<&str> = catalogue["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    assert_eq!(ids, ["local-national"]);
    for export in ["sitemap.xml", "flux.xml", "export/scenarios.csv"] {
        assert!(!read(&public, export).contains("volcans"), "{export}");
    }
    let first = common::snapshot(&public);
    let again = vitrine(&["build"], root);
    assert!(again.status.success());
    assert!(common::snapshot(&public) == first, "byte-identical rebuild");

    // 3. B answers now: its scenarios join; `commun` is kept once (A's, the first source).
    server.set_mode("/b/catalogue.json", Mode::Normal);
    let harvest = vitrine(&["harvest"], root);
    assert!(harvest.status.success(), "{}", text(&harvest.stderr));
    assert!(text(&harvest.stdout).contains("2 sources à jour, 0 en échec"));
    let build = vitrine(&["build"], root);
    let stderr = text(&build.stderr);
    assert!(build.status.success(), "{stderr}");
    let duplicate: Vec<&str> = stderr.lines().filter(|l| l.contains("en double")).collect();
    assert_eq!(duplicate.len(), 1, "{stderr}");
    assert!(duplicate[0].contains("source « Académie B » : scénario « commun »"));
    let listing = read(&public, "scenarios/index.html");
    assert_eq!(scenario_cards(&listing), 5);
    assert!(listing.contains("href=\"https://vitrine.ac-b.fr/scenarios/robotique-b/\""));
    assert!(listing.contains("Sur le site de l&#39;académie de Normandie"));
    assert!(listing.contains("https://vitrine.ac-a.fr/scenarios/commun/"));
    assert!(!listing.contains("https://vitrine.ac-b.fr/scenarios/commun/"));

    // 4. A fails: its previous catalogue stays in the cache and in the site.
    server.set_mode("/a/catalogue.json", Mode::Failing);
    let harvest = vitrine(&["harvest"], root);
    let stderr = text(&harvest.stderr);
    assert_eq!(harvest.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("source « Académie A »"), "{stderr}");
    assert!(stderr.contains("HTTP 500"), "{stderr}");
    assert!(stderr.contains("précédemment est gardé"), "{stderr}");
    let build = vitrine(&["build"], root);
    assert!(build.status.success(), "{}", text(&build.stderr));
    let listing = read(&public, "scenarios/index.html");
    assert_eq!(scenario_cards(&listing), 5);
    assert!(listing.contains("https://vitrine.ac-a.fr/scenarios/volcans-a/"));
}

/// The browser search engine, run by Node over the built bundle, gives the académie's address.
fn browser_search_links_to_the_academy(public: &Path) {
    let Some(node) = common::node() else {
        return;
    };
    let engine = common::repo_root().join("themes/defaut/static/recherche");
    let script = r#"
const fs = require('fs');
const [engineDir, dataDir] = process.argv.slice(1);
const { Moteur } = require(engineDir + '/moteur.js');
const analyseur = require(engineDir + '/analyseur.js');
const charger = (name) => Promise.resolve().then(() => {
  const text = fs.readFileSync(dataDir + '/' + name + '.js', 'utf8');
  return JSON.parse(text.slice(text.indexOf(', ') + 2, -3));
});
new Moteur(charger, analyseur)
  .chercher({ texte: 'magma', filtres: {}, tri: 'pertinence', debut: 0, nombre: 10, compter: [] })
  .then((answer) => process.stdout.write(JSON.stringify(answer.resultats.map((r) => r.fiche))));
"#;
    let output = Command::new(node)
        .arg("-e")
        .arg(script)
        .arg(&engine)
        .arg(public.join("recherche/donnees"))
        .output()
        .expect("node runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let records: Value = serde_json::from_slice(&output.stdout).expect("records JSON");
    assert_eq!(records[0]["slug"], "volcans-a", "{records}");
    assert_eq!(
        records[0]["url"],
        "https://vitrine.ac-a.fr/scenarios/volcans-a/"
    );
    assert_eq!(records[0]["externe"], true);
    assert_eq!(records[0]["origine"], "Sur le site de l'académie de Lyon");
}

#[test]
fn a_catalogue_over_the_size_limit_is_refused() {
    let server = CatalogueServer::start();
    // Valid JSON padded past 1 Mo: only the size can make it fail.
    let mut body = b"{\"schema_version\": 1, \"scenarios\": []".to_vec();
    body.extend(std::iter::repeat_n(b' ', 1_000_001));
    body.push(b'}');
    server.serve("/gros/catalogue.json", body);
    let site = tempfile::tempdir().expect("tempdir");
    write(
        site.path(),
        "vitrine.yaml",
        &format!(
            "titre: Nationale\nmoissonnage:\n  taille_max: 1\n  sources:\n    - url: {}\n",
            server.url("/gros/catalogue.json")
        ),
    );
    let harvest = vitrine(&["harvest"], site.path());
    let stderr = text(&harvest.stderr);
    assert_eq!(harvest.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("trop gros"), "{stderr}");
    assert!(stderr.contains("aucun catalogue précédent"), "{stderr}");
    assert!(!site.path().join(".vitrine-cache/moisson").exists());
    // The same catalogue within the limit is accepted.
    fs::write(
        site.path().join("vitrine.yaml"),
        format!(
            "titre: Nationale\nmoissonnage:\n  taille_max: 2\n  sources:\n    - url: {}\n",
            server.url("/gros/catalogue.json")
        ),
    )
    .expect("config");
    let harvest = vitrine(&["harvest"], site.path());
    assert!(harvest.status.success(), "{}", text(&harvest.stderr));
}

#[test]
fn harvest_without_sources_says_what_to_configure() {
    let site = tempfile::tempdir().expect("tempdir");
    write(site.path(), "vitrine.yaml", "titre: T\n");
    let harvest = vitrine(&["harvest"], site.path());
    assert_eq!(harvest.status.code(), Some(1));
    assert!(text(&harvest.stderr).contains("aucune source à moissonner"));
}

/// A catalogue entry of this test: valid, with its tools and keywords.
fn entry(id: &str, url: &str, outils: &[String], mots_cles: &[String]) -> Value {
    serde_json::json!({
        "id": id,
        "url": url,
        "titre": format!("Scénario {id}"),
        "resume": "Un résumé.",
        "date": "2025-03-01",
        "academie": {"cle": "normandie", "libelle": "Normandie", "uri": null},
        "disciplines": [{"cle": "technologie", "libelle": "Technologie", "uri": null}],
        "niveaux": [{"cle": "5e", "libelle": "Cinquième", "uri": null}],
        "outils": outils,
        "mots_cles": mots_cles,
    })
}

fn catalogue(entries: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({"schema_version": 1, "scenarios": entries}))
        .expect("json")
}

/// A national site harvesting the given addresses, with one local scenario.
fn harvesting_site(urls: &[String]) -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("tempdir");
    let sources: String = urls
        .iter()
        .enumerate()
        .map(|(i, u)| format!("    - nom: Source {i}\n      url: {u}\n"))
        .collect();
    write(
        site.path(),
        "vitrine.yaml",
        &format!("titre: Nationale\nbase_url: https://national.example.fr/\nmoissonnage:\n  delai: 10\n  sources:\n{sources}"),
    );
    scenario(
        site.path(),
        "local-national",
        "Un scénario national",
        ("Paris", "Mathématiques", "6e"),
        "géométrie",
    );
    site
}

fn dir_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok())
        .map(|e| {
            let meta = e.metadata().expect("metadata");
            if meta.is_dir() {
                dir_size(&e.path())
            } else {
                meta.len()
            }
        })
        .sum()
}

/// One entry with 200,000 keywords and 20 entries with 1,000 tools each: the entry caps keep
/// 50 keywords and 30 tools per entry, and the tool pages of harvested data stay within 500;
/// the output size is bounded accordingly. Bounds are counts, never times.
#[test]
fn hostile_entries_stay_within_the_caps() {
    const KEYWORD_CAP: usize = 50;
    const TOOL_CAP: usize = 30;
    const TOOL_PAGES: usize = 500;
    let server = CatalogueServer::start();
    let mut entries: Vec<Value> = (0..20)
        .map(|n| {
            let outils: Vec<String> = (0..1_000).map(|i| format!("Outil {n} {i}")).collect();
            let url = format!("https://vitrine.ac-n.fr/scenarios/outils-{n}/");
            entry(&format!("outils-{n}"), &url, &outils, &[])
        })
        .collect();
    let mut keywords: Vec<String> = (0..200_000).map(|i| format!("clef{i}")).collect();
    // Words no other keyword is close to (search is fuzzy): the last one read, the first not.
    keywords[KEYWORD_CAP - 1] = "ornithorynque".to_string();
    keywords[KEYWORD_CAP] = "tamanoir".to_string();
    let url = "https://vitrine.ac-n.fr/scenarios/enorme/";
    entries.push(entry("enorme", url, &[], &keywords));
    server.serve("/n/catalogue.json", catalogue(entries));
    let site = harvesting_site(&[server.url("/n/catalogue.json")]);
    let root = site.path();

    let harvest = vitrine(&["harvest"], root);
    assert!(harvest.status.success(), "{}", text(&harvest.stderr));
    let build = vitrine(&["build"], root);
    let stderr = text(&build.stderr);
    assert!(build.status.success(), "{stderr}");

    // One warning per capped field, naming source, entry and field.
    let keyword_notes: Vec<&str> = stderr.lines().filter(|l| l.contains("mots_cles")).collect();
    assert_eq!(keyword_notes.len(), 1, "{stderr}");
    assert!(
        keyword_notes[0].contains(
            "source « Source 0 » : scénario n° 21 « enorme » : « mots_cles » : 200000 éléments"
        ),
        "{stderr}"
    );
    assert!(
        keyword_notes[0].contains("scenarios[20].mots_cles"),
        "{stderr}"
    );
    let tool_notes = stderr
        .lines()
        .filter(|l| l.contains("« outils » : 1000 éléments"));
    assert_eq!(tool_notes.count(), 20, "{stderr}");
    let pages_note: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("n'ont pas de page"))
        .collect();
    assert_eq!(pages_note.len(), 1, "{stderr}");
    assert!(pages_note[0].contains(&format!("{} outils", 20 * TOOL_CAP - TOOL_PAGES)));
    for line in stderr.lines().filter(|l| l.contains("source «")) {
        assert_french(line);
    }

    // Tool pages: exactly the bound (the local scenario has no tool).
    let public = root.join("public");
    let tool_pages = fs::read_dir(public.join("outils"))
        .expect("outils")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("index.html").is_file())
        .count();
    assert_eq!(tool_pages, TOOL_PAGES);
    // 21 harvested + 1 local scenario and 500 small tool pages: a few MB, not 228.
    let size = dir_size(&public);
    assert!(size < 40_000_000, "{size} bytes published");

    // The first 50 keywords are searchable, the 51st was never read.
    let hits = |q: &str| -> Vec<Value> {
        let out = vitrine(&["search", q, "--json"], root);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).expect("search JSON");
        v.as_array().cloned().unwrap_or_default()
    };
    assert_eq!(
        hits("ornithorynque").len(),
        1,
        "the last keyword read is kept"
    );
    assert!(hits("tamanoir").is_empty(), "past the cap");
    // Ties are broken by slug: « outil-9-… » come last and lose their page, yet stay
    // searchable (as keywords).
    assert!(public.join("outils/outil-0-0/index.html").is_file());
    assert!(!public.join("outils/outil-9-29").exists());
    let found = hits("Outil 9 29");
    assert!(found.iter().any(|h| h["slug"] == "outils-9"), "{found:?}");
}

/// Redirects: followed to http(s) only; `file://` and loops are named as such, in French.
#[test]
fn redirects_are_followed_to_web_addresses_only() {
    let server = CatalogueServer::start();
    server.serve("/vrai/catalogue.json", catalogue(Vec::new()));
    server.move_to("/ancien/catalogue.json", "../vrai/catalogue.json");
    server.move_to("/fichier/catalogue.json", "file:///etc/passwd");
    server.move_to("/boucle/catalogue.json", "/boucle/catalogue.json");
    let site = harvesting_site(&[
        server.url("/ancien/catalogue.json"),
        server.url("/fichier/catalogue.json"),
        server.url("/boucle/catalogue.json"),
    ]);
    let harvest = vitrine(&["harvest"], site.path());
    let stderr = text(&harvest.stderr);
    let stdout = text(&harvest.stdout);
    assert_eq!(harvest.status.code(), Some(1), "{stderr}");
    assert!(stdout.contains("1 source à jour, 2 en échec"), "{stdout}");
    let line = |source: &str| -> &str {
        stderr
            .lines()
            .find(|l| l.contains(&format!("« {source} »")))
            .unwrap_or_else(|| panic!("{source}: {stderr}"))
    };
    let file = line("Source 1");
    assert!(file.contains("« file:///etc/passwd »"), "{file}");
    assert!(file.contains("http:// ou https://"), "{file}");
    assert!(!file.contains("404"), "{file}");
    let looping = line("Source 2");
    assert!(looping.contains("trop de renvois"), "{looping}");
    assert_french(&stderr);
    assert_french(&stdout);
}

/// A catalogue saved with a UTF-8 byte order mark is harvested and built.
#[test]
fn a_catalogue_with_a_byte_order_mark_is_accepted() {
    let server = CatalogueServer::start();
    let url = "https://vitrine.ac-n.fr/scenarios/avec-bom/";
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend(catalogue(vec![entry("avec-bom", url, &[], &[])]));
    server.serve("/bom/catalogue.json", body);
    let site = harvesting_site(&[server.url("/bom/catalogue.json")]);
    let harvest = vitrine(&["harvest"], site.path());
    assert!(harvest.status.success(), "{}", text(&harvest.stderr));
    let build = vitrine(&["build"], site.path());
    assert!(build.status.success(), "{}", text(&build.stderr));
    let listing = read(&site.path().join("public"), "scenarios/index.html");
    assert!(listing.contains(url), "{listing}");
}

/// Canonical addresses with a NUL byte, a space or a quote never reach an `href`: the entry is
/// refused with a warning naming source, entry and field.
#[test]
fn canonical_urls_with_controls_spaces_or_quotes_are_refused() {
    let server = CatalogueServer::start();
    let bad = [
        (
            "nul",
            "https://vitrine.ac-n.fr/scenarios/nul/\u{0}",
            "U+0000",
        ),
        (
            "espace",
            "https://vitrine.ac-n.fr/scenarios/une espace/",
            "une espace",
        ),
        (
            "guillemet",
            "https://vitrine.ac-n.fr/x\"onmouseover=\"alert(1)",
            "« \" »",
        ),
    ];
    let mut entries: Vec<Value> = bad
        .iter()
        .map(|(id, url, _)| entry(id, url, &[], &[]))
        .collect();
    entries.push(entry(
        "bon",
        "HTTPS://Vitrine.AC-N.fr:443/scenarios/bon/",
        &[],
        &[],
    ));
    server.serve("/u/catalogue.json", catalogue(entries));
    let site = harvesting_site(&[server.url("/u/catalogue.json")]);
    let harvest = vitrine(&["harvest"], site.path());
    assert!(harvest.status.success(), "{}", text(&harvest.stderr));
    let build = vitrine(&["build"], site.path());
    let stderr = text(&build.stderr);
    assert!(build.status.success(), "{stderr}");
    for (i, (id, _, named)) in bad.iter().enumerate() {
        let line = stderr
            .lines()
            .find(|l| l.contains(&format!("« {id} »")))
            .unwrap_or_else(|| panic!("{id}: {stderr}"));
        let which = format!(
            "source « Source 0 » : scénario n° {} « {id} » ignoré",
            i + 1
        );
        assert!(line.contains(&which), "{line}");
        assert!(line.contains(&format!("scenarios[{i}].url")), "{line}");
        assert!(line.contains(named), "{line}");
        assert_french(line);
    }
    let listing = read(&site.path().join("public"), "scenarios/index.html");
    assert!(!listing.contains("onmouseover") && !listing.contains("une espace"));
    assert!(
        listing.contains("href=\"https://vitrine.ac-n.fr/scenarios/bon/\""),
        "normalised: {listing}"
    );
}

/// `delai` past what a clock can hold is a located configuration error for every command,
/// never a panic nor a harvest that exits 0.
#[test]
fn an_overflowing_delay_is_a_located_configuration_error() {
    let site = tempfile::tempdir().expect("tempdir");
    write(
        site.path(),
        "vitrine.yaml",
        "titre: Nationale\nmoissonnage:\n  delai: 9223372036854775807\n  sources:\n    - url: http://127.0.0.1:9/catalogue.json\n",
    );
    for command in ["harvest", "build", "check"] {
        let out = vitrine(&[command], site.path());
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command}: {stderr}");
        assert!(stderr.contains("vitrine.yaml:3:10"), "{command}: {stderr}");
        assert!(stderr.contains("entre 1 et 3600"), "{command}: {stderr}");
        assert_french(&stderr);
    }
}

/// Every way a source can fail, and a corrupt cache, gives French messages only.
#[test]
fn every_harvest_failure_is_reported_in_french() {
    let server = CatalogueServer::start();
    server.serve("/bon/catalogue.json", catalogue(Vec::new()));
    server.serve("/html/catalogue.json", b"<html>introuvable</html>".to_vec());
    let deep = format!("{}{}", "[".repeat(1_000), "]".repeat(1_000));
    server.serve("/profond/catalogue.json", deep.into_bytes());
    server.serve("/tableau/catalogue.json", b"[]".to_vec());
    server.serve("/panne/catalogue.json", Vec::new());
    server.set_mode("/panne/catalogue.json", Mode::Failing);
    server.serve("/muet/catalogue.json", Vec::new());
    server.set_mode("/muet/catalogue.json", Mode::Silent);
    // A closed port: connection refused.
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let refused = format!(
        "http://{}/catalogue.json",
        closed.local_addr().expect("addr")
    );
    drop(closed);
    let urls = [
        server.url("/bon/catalogue.json"),
        server.url("/html/catalogue.json"),
        server.url("/profond/catalogue.json"),
        server.url("/tableau/catalogue.json"),
        server.url("/panne/catalogue.json"),
        server.url("/absent/catalogue.json"),
        server.url("/muet/catalogue.json"),
        refused,
    ];
    let site = harvesting_site(&urls);
    let root = site.path();
    let config = read(root, "vitrine.yaml").replace("delai: 10", "delai: 1");
    write(root, "vitrine.yaml", &config);
    let harvest = vitrine(&["harvest"], root);
    let stderr = text(&harvest.stderr);
    let stdout = text(&harvest.stdout);
    server.set_mode("/muet/catalogue.json", Mode::Normal);
    assert_eq!(harvest.status.code(), Some(1), "{stderr}");
    assert!(stdout.contains("1 source à jour, 7 en échec"), "{stdout}");
    for (source, cause) in [
        (
            1,
            "JSON incorrect : valeur JSON attendue ici, ligne 1 colonne 1",
        ),
        (2, "imbriqués trop profondément"),
        (3, "pas un catalogue vitrine"),
        (4, "HTTP 500"),
        (5, "HTTP 404"),
        (6, "délai dépassé"),
        (7, "connexion refusée"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(&format!("« Source {source} »")))
            .unwrap_or_else(|| panic!("Source {source}: {stderr}"));
        assert!(line.contains(cause), "{line}");
    }
    assert_french(&stderr);
    assert_french(&stdout);

    // A cache damaged after the harvest: a French warning with the position, not serde's text.
    let moisson = root.join(".vitrine-cache/moisson");
    let cached: Vec<_> = fs::read_dir(&moisson)
        .expect("cache")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| !p.to_string_lossy().ends_with(".meta.json"))
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    fs::write(&cached[0], "{\"schema_version\": 1,\n  \"scenarios\": [}").expect("damage");
    let build = vitrine(&["build"], root);
    let stderr = text(&build.stderr);
    assert!(build.status.success(), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains("cache illisible"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.contains("ligne 2 colonne"), "{line}");
    for line in stderr.lines().filter(|l| l.contains("source «")) {
        assert_french(line);
    }
}
