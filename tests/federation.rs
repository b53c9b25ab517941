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
