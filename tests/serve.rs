//! `vitrine serve` over real HTTP on loopback: after each kind of change (edit, add, rename,
//! delete, new facet value, template, configuration, error and fix), every file served equals
//! what a clean `vitrine build` of the same sources writes; errors show an overlay and keep the
//! last good site; requests cannot leave the site; pages get a reload event.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use vitrine::diagnostics::Diagnostic;
use vitrine::serve::{self, Reporter, ServeOptions};
use vitrine::site::destination::MARKER;
use vitrine::site::BuildOptions;

const INJECTED: &str = "<script src=\"/_vitrine/direct.js\"></script>";

struct Quiet;
impl Reporter for Quiet {
    fn listening(&self, _url: &str) {}
    fn rebuilt(&self, _message: &str) {}
    fn failed(&self, _problems: &[Diagnostic]) {}
}

struct Preview {
    site: tempfile::TempDir,
    server: serve::Server,
    agent: ureq::Agent,
}

impl Preview {
    fn start(site: tempfile::TempDir) -> Preview {
        Preview::start_with(site, serve::HEADER_TIMEOUT)
    }

    /// With a header-read timeout of its own (short ones to test it).
    fn start_with(site: tempfile::TempDir, header_timeout: Duration) -> Preview {
        Preview::start_full(site, header_timeout, false)
    }

    /// As `vitrine serve` starts by default: drafts shown.
    fn start_with_drafts(site: tempfile::TempDir) -> Preview {
        Preview::start_full(site, serve::HEADER_TIMEOUT, true)
    }

    fn start_full(site: tempfile::TempDir, header_timeout: Duration, drafts: bool) -> Preview {
        let mut options = ServeOptions::new(site.path());
        options.port = 0;
        options.drafts = drafts;
        options.header_timeout = header_timeout;
        let server = serve::start(options, Arc::new(Quiet)).expect("serve starts");
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(20)));
        if header_timeout < serve::HEADER_TIMEOUT {
            // The server closes idle connections after the timeout: a pooled one could be
            // closed just as it is reused.
            config = config.max_idle_connections(0);
        }
        let agent: ureq::Agent = config.build().into();
        let preview = Preview {
            site,
            server,
            agent,
        };
        preview.wait_idle(0);
        preview
    }

    fn root(&self) -> &Path {
        self.site.path()
    }

    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let url = format!("{}{}", self.server.url, path.trim_start_matches('/'));
        let mut response = self.agent.get(&url).call().expect("GET");
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(100 * 1024 * 1024)
            .read_to_vec()
            .expect("body");
        (status, body)
    }

    fn text(&self, path: &str) -> String {
        String::from_utf8(self.get(path).1).expect("UTF-8")
    }

    fn state(&self) -> Value {
        serde_json::from_slice(&self.get("_vitrine/etat").1).expect("state JSON")
    }

    /// Waits until a rebuild after `generation` is finished and nothing else follows.
    fn wait_idle(&self, generation: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let state = self.state();
            let current = state["generation"].as_u64().unwrap_or(0);
            if current > generation && state["occupe"] == false {
                // Editors and renames can produce a second batch of events: let it settle.
                std::thread::sleep(Duration::from_millis(400));
                let again = self.state();
                if again["generation"] == state["generation"] && again["occupe"] == false {
                    return again;
                }
                continue;
            }
            assert!(
                Instant::now() < deadline,
                "no rebuild after a change: {state}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Applies a change to the sources and waits for the rebuild.
    fn change(&self, edit: impl FnOnce(&Path)) -> Value {
        let generation = self.state()["generation"].as_u64().unwrap_or(0);
        edit(self.root());
        self.wait_idle(generation)
    }

    /// Every file of a clean build of the same sources is served with the same bytes, and
    /// nothing else is served.
    fn assert_same_as_build(&self, case: &str) {
        let reference = tempfile::tempdir().expect("temp dir");
        for name in ["content", "themes", "templates", "static"] {
            if self.root().join(name).is_dir() {
                common::copy_dir(&self.root().join(name), &reference.path().join(name));
            }
        }
        fs::copy(
            self.root().join("vitrine.yaml"),
            reference.path().join("vitrine.yaml"),
        )
        .expect("config");
        let mut options = BuildOptions::new(reference.path());
        options.base_url = Some(self.server.url.clone());
        common::build_with(options).unwrap_or_else(|e| panic!("{case}: build fails: {e:?}"));
        let built: Vec<(PathBuf, Vec<u8>)> = common::snapshot(&reference.path().join("public"))
            .into_iter()
            // Files of the published folder, not of the site: never served.
            .filter(|(p, _)| p != Path::new(".gitkeep") && p != Path::new(MARKER))
            .collect();
        let built_paths: BTreeSet<String> = built
            .iter()
            .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
            .collect();
        let state = self.server.live.state();
        let snapshot = state.snapshot.expect("a snapshot");
        assert_eq!(
            snapshot.output_paths(),
            built_paths,
            "{case}: served files differ from built files"
        );
        for (path, bytes) in &built {
            let path = path.to_string_lossy().replace('\\', "/");
            let (status, served) = self.get(&percent_path(&path));
            assert_eq!(status, 200, "{case}: {path}");
            let served = if path.ends_with(".html") {
                let text = String::from_utf8(served).expect("UTF-8");
                assert!(
                    text.contains(INJECTED),
                    "{case}: no reload script in {path}"
                );
                text.replacen(INJECTED, "", 1).into_bytes()
            } else {
                served
            };
            if &served != bytes {
                panic!(
                    "{case}: {path} served differs from the build:\n{}",
                    first_difference(bytes, &served)
                );
            }
        }
        let home = fs::read_to_string(reference.path().join("public/index.html")).expect("home");
        assert!(
            !home.contains("_vitrine"),
            "build output must not have the script"
        );
    }
}

fn percent_path(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            percent_encoding::utf8_percent_encode(segment, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
                .replace("%2E", ".")
                .replace("%2D", "-")
                .replace("%5F", "_")
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn first_difference(expected: &[u8], served: &[u8]) -> String {
    let expected = String::from_utf8_lossy(expected);
    let served = String::from_utf8_lossy(served);
    for (i, (a, b)) in expected.lines().zip(served.lines()).enumerate() {
        if a != b {
            return format!("line {}:\n  build: {a}\n  serve: {b}", i + 1);
        }
    }
    format!(
        "lengths {} / {}",
        expected.lines().count(),
        served.lines().count()
    )
}

fn scenario_file(root: &Path, name: &str) -> PathBuf {
    walkdir::WalkDir::new(root.join("content/scenarios"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .find(|p| p.file_name().is_some_and(|n| n == name))
        .unwrap_or_else(|| panic!("no {name}"))
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn editing_a_scenario_reads_only_it_and_serves_what_build_writes() {
    let preview = Preview::start(common::demo_site());
    preview.assert_same_as_build("start");
    let file = scenario_file(preview.root(), "tribune-collaborative-digipad-3e.md");
    let state = preview.change(|_| {
        let text = fs::read_to_string(&file).expect("read");
        fs::write(
            &file,
            format!("{text}\n## Prolongement ajouté\n\nUn paragraphe neuf.\n"),
        )
        .expect("write");
    });
    assert_eq!(state["relus"], 1, "{state}");
    assert_eq!(state["remis_en_forme"], 1, "{state}");
    assert!(preview
        .text("scenarios/tribune-collaborative-digipad-3e/")
        .contains("Prolongement ajouté"));
    // Pages are rendered when asked for: the update itself rendered none.
    preview.assert_same_as_build("body edited");

    let state = preview.change(|_| edit(&file, "titre: \"", "titre: \"Nouveau titre — "));
    assert_eq!(state["relus"], 1, "{state}");
    preview.assert_same_as_build("title edited");
}

#[test]
fn adding_renaming_and_deleting_scenarios_serve_what_build_writes() {
    let preview = Preview::start(common::demo_site());
    let source = scenario_file(preview.root(), "enquete-information-virale.md");
    let added = source.with_file_name("copie-enquete.md");
    preview.change(|_| {
        let text = fs::read_to_string(&source).expect("read");
        let text = text.replacen("titre: \"", "titre: \"Copie — ", 1);
        fs::write(&added, text).expect("write");
    });
    assert!(preview.text("scenarios/copie-enquete/").contains("Copie —"));
    preview.assert_same_as_build("added");

    let renamed = source.with_file_name("enquete-renommee.md");
    preview.change(|_| fs::rename(&added, &renamed).expect("rename"));
    assert_eq!(preview.get("scenarios/copie-enquete/").0, 404);
    assert_eq!(preview.get("scenarios/enquete-renommee/").0, 200);
    preview.assert_same_as_build("renamed");

    preview.change(|_| fs::remove_file(&renamed).expect("delete"));
    assert_eq!(preview.get("scenarios/enquete-renommee/").0, 404);
    preview.assert_same_as_build("deleted");
}

#[test]
fn facet_template_and_configuration_changes_serve_what_build_writes() {
    let preview = Preview::start(common::demo_site());
    let file = scenario_file(preview.root(), "bee-bot-marche-creole-ms.md");
    assert_eq!(preview.get("niveaux/ps/").0, 404);
    preview.change(|_| edit(&file, "niveaux: [MS]", "niveaux: [MS, PS]"));
    assert_eq!(preview.get("niveaux/ps/").0, 200);
    preview.assert_same_as_build("new facet value");

    preview.change(|root| {
        let theme = root.join("themes/defaut/templates/accueil.html");
        let text = fs::read_to_string(&theme).expect("template");
        let text = text.replacen(
            "{% block contenu %}",
            "{% block contenu %}<p>Gabarit du site</p>",
            1,
        );
        fs::create_dir_all(root.join("templates")).expect("dir");
        fs::write(root.join("templates/accueil.html"), text).expect("write");
    });
    assert!(preview.text("").contains("Gabarit du site"));
    preview.assert_same_as_build("template");

    preview.change(|root| {
        edit(
            &root.join("vitrine.yaml"),
            "titre:",
            "titre: Vitrine modifiée —",
        )
    });
    assert!(preview.text("scenarios/").contains("Vitrine modifiée"));
    preview.assert_same_as_build("configuration");
}

#[test]
fn an_error_keeps_the_last_good_site_with_an_overlay_until_fixed() {
    let preview = Preview::start(common::demo_site());
    let file = scenario_file(preview.root(), "bee-bot-marche-creole-ms.md");
    let before = preview.text("scenarios/bee-bot-marche-creole-ms/");
    assert!(!before.contains("vitrine-erreurs"));

    let state = preview.change(|_| edit(&file, "niveaux: [MS]", "niveaux: [moyenne sectoin]"));
    let errors = state["erreurs"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{state}");
    let error = &errors[0];
    assert!(error["fichier"]
        .as_str()
        .is_some_and(|f| f.ends_with("bee-bot-marche-creole-ms.md")));
    assert!(error["ligne"].as_u64().is_some_and(|l| l > 1), "{error}");
    assert!(error["colonne"].as_u64().is_some_and(|c| c > 0), "{error}");
    assert!(error["suggestion"].is_string(), "{error}");

    // Every page shows the overlay; the content is the last good version.
    for path in [
        "",
        "scenarios/",
        "scenarios/bee-bot-marche-creole-ms/",
        "page-inconnue/",
    ] {
        let page = preview.text(path);
        assert!(page.contains("id=\"vitrine-erreurs\""), "{path}");
        assert!(
            page.contains("bee-bot-marche-creole-ms.md, ligne"),
            "{path}"
        );
    }
    let during = preview.text("scenarios/bee-bot-marche-creole-ms/");
    assert_eq!(
        during.split("<section id=\"vitrine-erreurs\"").next(),
        before.split(INJECTED).next(),
        "the last good page stays served"
    );

    let state = preview.change(|_| edit(&file, "niveaux: [moyenne sectoin]", "niveaux: [MS]"));
    assert_eq!(state["erreurs"].as_array().map(Vec::len), Some(0));
    assert!(!preview.text("").contains("vitrine-erreurs"));
    preview.assert_same_as_build("fixed");
}

/// Sends a raw request line, so that `..` reaches the server as written.
fn raw_status(url: &str, path: &str) -> u16 {
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn requests_cannot_leave_the_site() {
    let preview = Preview::start(common::demo_site());
    let url = preview.server.url.clone();
    assert_eq!(raw_status(&url, "/"), 200);
    let hostile = [
        "/../vitrine.yaml",
        "/scenarios/../../vitrine.yaml",
        "/%2e%2e/vitrine.yaml",
        "/%2E%2E%2Fvitrine.yaml",
        "/scenarios/%2e%2e%2f%2e%2e%2fvitrine.yaml",
        "/..%5cvitrine.yaml",
        "/.vitrine-cache/index/meta.json",
        "/content/scenarios/emc/enquete-information-virale.md",
        "/scenarios/webradio-musiques-de-film/fuite.yaml",
    ];
    for path in hostile {
        assert_eq!(raw_status(&url, path), 404, "{path}");
    }

    // A link in a bundle to a file outside the site is refused by the build, and not served.
    #[cfg(unix)]
    {
        let state = preview.change(|root| {
            let bundle =
                root.join("content/scenarios/education-musicale/webradio-musiques-de-film");
            std::os::unix::fs::symlink(root.join("vitrine.yaml"), bundle.join("fuite.yaml"))
                .expect("symlink");
        });
        let errors = state["erreurs"].to_string();
        assert!(errors.contains("fuite.yaml"), "{state}");
        for path in hostile {
            assert_eq!(raw_status(&url, path), 404, "{path}");
        }
    }
}

#[test]
fn open_pages_get_a_reload_event_after_a_rebuild() {
    // The event stream outlives the header-read timeout: it only bounds request heads.
    let timeout = Duration::from_secs(1);
    let preview = Preview::start_with(common::demo_site(), timeout);
    let address = preview
        .server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = TcpStream::connect(&address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "GET /_vitrine/evenements HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("write");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    assert!(line.contains("200"), "{line}");

    std::thread::sleep(timeout * 3);
    let file = scenario_file(preview.root(), "enquete-information-virale.md");
    preview.change(|_| edit(&file, "titre: \"", "titre: \"Rechargé — "));
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !seen.contains("event: rechargement") || !seen.contains("\"chemins\":[\"*\"]") {
        assert!(Instant::now() < deadline, "no reload event: {seen}");
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        seen.push_str(&line);
    }
    assert!(seen.contains("event: rechargement"), "{seen}");
    assert!(seen.contains("\"chemins\":[\"*\"]"), "{seen}");
    let script = preview.text("_vitrine/direct.js");
    assert!(script.contains("location.reload()"));
}

/// Sends `request` as is on a new connection and returns the status and the body.
fn raw_exchange(url: &str, request: &str) -> (u16, String) {
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("write");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    (status, body)
}

fn with_host(path: &str, host: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
}

#[test]
fn requests_for_another_host_are_refused() {
    let preview = Preview::start(common::demo_site());
    let url = preview.server.url.clone();
    let port = url
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .expect("port")
        .to_string();

    // A page of a hostile site whose name resolves to 127.0.0.1 (DNS rebinding): every
    // resource of the server is refused, the live events and the state included.
    for path in [
        "/",
        "/scenarios/",
        "/page-inconnue/",
        "/_vitrine/etat",
        "/_vitrine/evenements",
        "/_vitrine/direct.js",
    ] {
        for host in ["evil.example", &format!("evil.example:{port}")] {
            let (status, body) = raw_exchange(&url, &with_host(path, host));
            assert_eq!(status, 403, "{host}{path}");
            assert!(body.contains("Accès refusé"), "{host}{path}: {body}");
            assert!(body.contains("lang=\"fr\""), "{body}");
            assert!(
                body.contains(&url),
                "the page gives the right address: {body}"
            );
            assert!(
                !body.contains("<main><h1>Le site"),
                "no site content: {body}"
            );
        }
    }
    // The hostile name is shown escaped.
    let (status, body) = raw_exchange(&url, &with_host("/", "<b>x"));
    assert_eq!(status, 403);
    assert!(!body.contains("<b>x"), "{body}");

    // The preview's own addresses and loopback names.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("apercu.localhost:{port}"),
    ] {
        let (status, body) = raw_exchange(&url, &with_host("/", &host));
        assert_eq!(status, 200, "{host}");
        assert!(body.contains(INJECTED), "{host}: the site is served");
    }

    // An absolute address in the request line is judged too.
    let (status, _) = raw_exchange(
        &url,
        &with_host("http://evil.example/", &format!("localhost:{port}")),
    );
    assert_eq!(status, 403);

    // HTTP/1.1 without Host or with two is malformed; HTTP/1.0 may lack it (no browser
    // sends that).
    let (status, body) = raw_exchange(&url, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("Host"), "{body}");
    let (status, _) = raw_exchange(
        &url,
        &format!(
            "GET / HTTP/1.1\r\nHost: localhost:{port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status, 400);
    let (status, _) = raw_exchange(&url, "GET / HTTP/1.0\r\n\r\n");
    assert_eq!(status, 200);
}

/// Reads until the server closes the connection; `false` if it is still open after `limit`.
/// The limit only bounds the wait for a server that never closes: it measures nothing.
fn closed_by_server(stream: &mut TcpStream, limit: Duration) -> bool {
    stream.set_read_timeout(Some(limit)).expect("timeout");
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            // A response (408…) before closing is fine: read on.
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false
            }
            // Reset by the server: closed too.
            Err(_) => return true,
        }
    }
}

#[test]
fn clients_sending_their_headers_too_slowly_are_cut_off() {
    let preview = Preview::start_with(common::demo_site(), Duration::from_secs(1));
    let address = preview
        .server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();

    // A request line never finished.
    let mut stalled = TcpStream::connect(&address).expect("connect");
    stalled.write_all(b"GET /scenarios/ HT").expect("write");

    // Headers trickled one byte at a time (slowloris): each byte arrives well within the
    // timeout, the whole head never does.
    let mut trickled = TcpStream::connect(&address).expect("connect");
    let mut writer = trickled.try_clone().expect("clone");
    let host = address.clone();
    let trickle = std::thread::spawn(move || {
        let head = format!("GET / HTTP/1.1\r\nHost: {host}\r\n");
        let endless = head.bytes().chain(std::iter::repeat(b'x')).take(600);
        for byte in endless {
            if writer.write_all(&[byte]).is_err() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    });

    // An idle connection, not a byte sent.
    let mut idle = TcpStream::connect(&address).expect("connect");

    let limit = Duration::from_secs(60);
    assert!(
        closed_by_server(&mut stalled, limit),
        "stalled request line"
    );
    assert!(closed_by_server(&mut trickled, limit), "trickled headers");
    assert!(closed_by_server(&mut idle, limit), "idle connection");
    // The trickling writer stops on the closed connection (not on its 600-byte bound).
    drop(trickled);
    assert!(trickle.join().expect("writer"), "the server kept reading");

    // The server still serves.
    assert_eq!(raw_status(&preview.server.url, "/"), 200);
}

/// English words of the text a person reads in `text` (markup and attributes are not read,
/// nor the styles the 404 page carries inline).
fn english_words(text: &str) -> Vec<String> {
    let mut read = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<style") {
        read.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</style>")
            .map_or("", |end| &rest[start + end + "</style>".len()..]);
    }
    read.push_str(rest);
    let mut visible = String::new();
    let mut in_tag = false;
    for c in read.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                visible.push(' ');
            }
            c if !in_tag => visible.push(c),
            _ => {}
        }
    }
    common::english_words(&visible)
}

#[test]
fn every_answer_and_error_of_the_preview_is_french() {
    let preview = Preview::start(common::demo_site());
    let url = preview.server.url.clone();
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let requests = [
        with_host("/page-inconnue/", address),
        with_host("/", "evil.example"),
        "GET / HTTP/1.1\r\nConnection: close\r\n\r\n".to_string(),
        format!(
            "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
        "N'IMPORTE QUOI\r\n\r\n".to_string(),
    ];
    for request in &requests {
        let (status, body) = raw_exchange(&url, request);
        assert!(status >= 400, "{request}: {status}");
        assert_eq!(
            english_words(&body),
            Vec::<String>::new(),
            "{request}: {body}"
        );
    }

    // A port already taken: French, with the advice, no OS message.
    let taken = address
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    let mut options = ServeOptions::new(preview.root());
    options.port = taken;
    let Err(problem) = serve::start(options, Arc::new(Quiet)) else {
        panic!("a second server on the same port");
    };
    assert!(
        problem
            .message
            .contains(&format!("le port {taken} est déjà utilisé")),
        "{}",
        problem.message
    );
    assert!(problem.message.contains("--port"), "{}", problem.message);
    assert_eq!(english_words(&problem.message), Vec::<String>::new());

    // A site folder that does not exist.
    let mut options = ServeOptions::new(preview.root().join("absent"));
    options.port = 0;
    let Err(problem) = serve::start(options, Arc::new(Quiet)) else {
        panic!("no site there");
    };
    assert_eq!(
        english_words(&problem.message),
        Vec::<String>::new(),
        "{}",
        problem.message
    );
}

#[test]
fn a_preview_shared_on_the_network_answers_its_addresses_and_names_only() {
    let site = common::demo_site();
    let mut options = ServeOptions::new(site.path());
    options.port = 0;
    options.bind = "0.0.0.0".parse().expect("address");
    let server = serve::start(options, Arc::new(Quiet)).expect("serve starts");
    let url = server.url.clone();
    let port = url.trim_end_matches('/').rsplit(':').next().expect("port");

    let mut allowed = vec![
        format!("192.168.1.10:{port}"),
        format!("[fe80::1]:{port}"),
        format!("localhost:{port}"),
    ];
    // The computer's own name, as colleagues on the network may type it.
    if let Ok(name) = fs::read_to_string("/proc/sys/kernel/hostname") {
        allowed.push(format!("{}:{port}", name.trim()));
        allowed.push(format!("{}.local:{port}", name.trim()));
    }
    for host in &allowed {
        assert_eq!(raw_exchange(&url, &with_host("/", host)).0, 200, "{host}");
    }
    let (status, body) = raw_exchange(&url, &with_host("/", &format!("evil.example:{port}")));
    assert_eq!(status, 403);
    assert!(body.contains("adresse IP de l'ordinateur"), "{body}");
    assert!(
        !body.contains("127.0.0.1"),
        "a useless address from elsewhere: {body}"
    );
}

#[test]
fn the_preview_shows_drafts_with_a_banner_and_a_card_marker() {
    let preview = Preview::start_with_drafts(common::demo_site());
    let (status, page) = preview.get("scenarios/photomontage-detournement-oeuvre/");
    assert_eq!(status, 200);
    let page = String::from_utf8(page).expect("UTF-8");
    assert!(page.contains("class=\"bandeau-brouillon\""), "{page}");
    let listing = preview.text("scenarios/");
    assert_eq!(listing.matches("class=\"carte-brouillon\"").count(), 1);
    // Published scenarios have neither.
    assert!(!preview
        .text("scenarios/bee-bot-marche-creole-ms/")
        .contains("bandeau-brouillon"));
}

#[test]
fn the_preview_hides_drafts_when_asked() {
    let preview = Preview::start(common::demo_site());
    let (status, _) = preview.get("scenarios/photomontage-detournement-oeuvre/");
    assert_eq!(status, 404);
    assert!(!preview.text("scenarios/").contains("carte-brouillon"));
}

#[test]
fn the_preview_reports_yaml_header_and_body_problems_in_one_run() {
    let preview = Preview::start_with_drafts(common::demo_site());
    let state = preview.change(|root| {
        let fixture = common::repo_root().join("tests/fixtures/un-passage");
        common::copy_dir(&fixture, root);
    });
    let errors = state["erreurs"].as_array().expect("errors");
    let files: BTreeSet<&str> = errors
        .iter()
        .filter_map(|e| e["fichier"].as_str())
        .collect();
    // As in check (tests/check.rs): the broken header is read once repaired, so its four
    // missing keys come in the same run.
    assert_eq!(errors.len(), 9, "{state}");
    assert_eq!(files.len(), 2, "{state}");
}

/// Records the warnings the preview reports, as the terminal would print them.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<Diagnostic>>);

impl Reporter for Recorder {
    fn listening(&self, _url: &str) {}
    fn rebuilt(&self, _message: &str) {}
    fn failed(&self, _problems: &[Diagnostic]) {}
    fn warned(&self, warnings: &[Diagnostic]) {
        self.0
            .lock()
            .expect("lock")
            .extend(warnings.iter().cloned());
    }
}

impl Recorder {
    fn take(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.0.lock().expect("lock"))
    }
}

/// The warnings of the site at start, then those of each file saved, reach the terminal.
#[test]
fn the_preview_reports_the_warnings_of_the_files_it_reads() {
    let site = common::fixture_site(&["liste-virgules"]);
    let recorder = Arc::new(Recorder::default());
    let mut options = ServeOptions::new(site.path());
    options.port = 0;
    let server = serve::start(options, recorder.clone()).expect("serve starts");
    let at_start = recorder.take();
    // `niveaux` and `outils` of virgules.md are lists written with commas.
    assert_eq!(at_start.len(), 2, "{at_start:#?}");
    assert!(
        at_start
            .iter()
            .all(|d| d.file == Path::new("content/scenarios/virgules.md")),
        "{at_start:#?}"
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let preview = Preview {
        site,
        server,
        agent,
    };
    preview.wait_idle(0);
    let valide = preview.root().join("content/scenarios/valide.md");
    preview.change(|_| edit(&valide, "outils: [GeoGebra]", "outils: GeoGebra, Tableur"));
    let saved = recorder.take();
    assert_eq!(saved.len(), 1, "{saved:#?}");
    assert_eq!(saved[0].file, Path::new("content/scenarios/valide.md"));
    assert!(
        saved[0].message.contains("virgules"),
        "{}",
        saved[0].message
    );
}
