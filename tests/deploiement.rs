//! Deployment: compressed copies, content-hashed theme assets, and the kit `vitrine init`
//! writes — the nginx configuration run by a real nginx on loopback, the GitLab CI commands
//! run as written.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::{build_with, fixture_site, snapshot, vitrine_in};
use vitrine::site::BuildOptions;

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

fn build_into(root: &Path, out: &Path, compress: bool) {
    let mut options = BuildOptions::new(root);
    options.output = Some(out.to_path_buf());
    options.compress = compress;
    build_with(options).expect("site builds");
}

/// Every `static/…` address in the `href` and `src` attributes of the HTML pages, as
/// (page, address relative to the output root).
fn static_references(out: &Path) -> Vec<(PathBuf, String)> {
    let mut refs = Vec::new();
    for (path, bytes) in snapshot(out) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes).into_owned();
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let value = piece.split('"').next().unwrap_or_default();
                if let Some(at) = value.find("static/") {
                    refs.push((path.clone(), value[at..].to_string()));
                }
            }
        }
    }
    refs
}

fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() == 3 && parts[1].len() == 10 && parts[1].bytes().all(|b| b.is_ascii_hexdigit())
}

#[test]
fn compressed_builds_are_identical_and_every_text_file_has_its_gz() {
    let site = fixture_site(&[]);
    let (a, b) = (site.path().join("a"), site.path().join("b"));
    build_into(site.path(), &a, true);
    build_into(site.path(), &b, true);
    let (first, second) = (snapshot(&a), snapshot(&b));
    assert_eq!(first, second, "two compressed builds are byte-identical");
    let gz: Vec<_> = first
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "gz"))
        .collect();
    let html = first
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert!(
        html > 5 && gz.len() >= html,
        "{html} pages, {} .gz",
        gz.len()
    );
    for (path, bytes) in &gz {
        let plain = a.join(path.with_extension(""));
        assert_eq!(
            gunzip(bytes),
            fs::read(&plain).expect("original beside the .gz")
        );
    }
}

#[test]
fn the_option_and_the_config_key_turn_compression_on_and_off() {
    let site = fixture_site(&[]);
    let out = site.path().join("public");
    let gz = out.join("index.html.gz");
    build_into(site.path(), &out, false);
    assert!(!gz.exists());
    // The option is part of the build cache key: not « nothing changed ».
    build_into(site.path(), &out, true);
    assert!(gz.is_file());
    build_into(site.path(), &out, false);
    assert!(
        !gz.exists(),
        "a build without compression leaves no stale .gz"
    );
    let config = site.path().join("vitrine.yaml");
    let text = fs::read_to_string(&config).expect("config");
    fs::write(&config, format!("{text}\ncompression: true\n")).expect("config");
    build_into(site.path(), &out, false);
    assert!(gz.is_file(), "compression: true in vitrine.yaml");
}

#[test]
fn pages_reference_only_hashed_theme_assets_that_exist() {
    let site = fixture_site(&[]);
    let out = site.path().join("public");
    build_into(site.path(), &out, false);
    let refs = static_references(&out);
    assert!(refs.iter().any(|(_, r)| r.ends_with(".css")), "{refs:?}");
    for (page, target) in &refs {
        assert!(
            out.join(target).is_file(),
            "{}: {target} missing",
            page.display()
        );
        if target.ends_with(".css") || target.ends_with(".js") {
            assert!(is_hashed(target), "{}: unhashed {target}", page.display());
        }
    }
    let search = fs::read_to_string(out.join("recherche/index.html")).expect("search page");
    assert!(
        refs.iter()
            .filter(|(p, _)| p == Path::new("recherche/index.html"))
            .filter(|(_, r)| r.ends_with(".js") && is_hashed(r))
            .count()
            == 3,
        "three hashed scripts: {search}"
    );
}

fn stylesheet_of(out: &Path) -> String {
    static_references(out)
        .into_iter()
        .find(|(p, r)| p == Path::new("index.html") && r.contains("static/style."))
        .map(|(_, r)| r)
        .expect("home page links the stylesheet")
}

#[test]
fn a_changed_stylesheet_gets_a_new_name() {
    let site = fixture_site(&[]);
    let out = site.path().join("public");
    build_into(site.path(), &out, false);
    let before = stylesheet_of(&out);
    fs::create_dir_all(site.path().join("static")).expect("static");
    fs::write(
        site.path().join("static/style.css"),
        "body { color: #123; }\n",
    )
    .expect("css");
    build_into(site.path(), &out, false);
    let after = stylesheet_of(&out);
    assert_ne!(before, after);
    assert!(is_hashed(&after), "{after}");
    assert_eq!(
        fs::read_to_string(out.join(&after)).expect("new stylesheet"),
        "body { color: #123; }\n",
        "the hash is of the site's own stylesheet"
    );
}

// ---------------------------------------------------------------------------------------------
// The kit written by `vitrine init`.

fn init_site(parent: &Path) -> PathBuf {
    let site = parent.join("site");
    let status = vitrine_in(parent)
        .args(["init", "site"])
        .stdout(Stdio::null())
        .status()
        .expect("vitrine init runs");
    assert!(status.success());
    site
}

#[test]
fn the_gitlab_ci_commands_run_as_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = init_site(dir.path());
    let text = fs::read_to_string(site.join("deploiement/gitlab-ci.yml")).expect("CI file");
    let ci: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    let job = &ci["pages"];
    assert_eq!(job["artifacts"]["paths"][0].as_str(), Some("public"));
    let script: Vec<&str> = job["script"]
        .as_sequence()
        .expect("a script list")
        .iter()
        .map(|c| c.as_str().expect("a command"))
        .collect();
    assert!(script.iter().any(|c| c.starts_with("vitrine check")));
    assert!(script.iter().any(|c| c.starts_with("vitrine build")));
    let bin = Path::new(env!("CARGO_BIN_EXE_vitrine"))
        .parent()
        .expect("bin dir");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in script {
        let output = Command::new("sh")
            .args(["-c", command])
            .current_dir(&site)
            .env("PATH", &path)
            .output()
            .expect("sh runs");
        assert!(
            output.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(site.join("public/index.html").is_file());
    assert!(site.join("public/index.html.gz").is_file());
}

fn nginx_binary() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// nginx in the foreground, one process, as the current user; stopped by its pid on drop.
struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_nginx(binary: &Path, dir: &Path, server_block: &str, port: u16) -> Nginx {
    let d = dir.display();
    fs::write(dir.join("site.conf"), server_block).expect("server block");
    let main = format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  \
         access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  \
         fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  \
         include {d}/site.conf;\n}}\n"
    );
    fs::write(dir.join("nginx.conf"), main).expect("main conf");
    let child = Command::new(binary)
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx starts");
    let nginx = Nginx(child);
    // Bounded by a count of attempts, not by a duration judged too long.
    for _ in 0..200 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return nginx;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!(
        "nginx does not answer: {}",
        fs::read_to_string(dir.join("error.log")).unwrap_or_default()
    );
}

struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }
}

/// One HTTP/1.1 request (gzip_static answers 1.1 only), the connection closed after it.
fn get(port: u16, path: &str, gzip: bool) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let encoding = if gzip {
        "Accept-Encoding: gzip\r\n"
    } else {
        ""
    };
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{encoding}Connection: close\r\n\r\n"
    )
    .expect("request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    Answer {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

fn build_cli(site: &Path, port: u16) {
    let output = vitrine_in(site)
        .args(["build", "--compresser", "--base-url"])
        .arg(format!("http://127.0.0.1:{port}/vitrine/"))
        .output()
        .expect("vitrine build runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_site_behind_nginx_with_the_generated_configuration() {
    let Some(binary) = nginx_binary() else {
        eprintln!("IGNORÉ : nginx est absent (apt-get install nginx, voir tests/run.sh)");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let site = init_site(dir.path());
    let port = free_port();
    fs::create_dir_all(site.join("static")).expect("static");
    fs::write(site.join("static/consignes.txt"), "Séance 1 : écrire.\n").expect("txt");
    build_cli(&site, port);
    let public = site.join("public");
    let conf = fs::read_to_string(site.join("deploiement/nginx.conf"))
        .expect("nginx configuration")
        .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
        .replace(
            "/var/www/vitrine/public/",
            &format!("{}/", public.display()),
        );
    let _nginx = start_nginx(&binary, dir.path(), &conf, port);

    let home = get(port, "/vitrine/", false);
    assert_eq!(home.status, 200);
    let home_html = String::from_utf8_lossy(&home.body).into_owned();
    assert!(home_html.contains("<html"));
    assert_eq!(
        home.header("Cache-Control").as_deref(),
        Some("public, max-age=300")
    );
    assert_eq!(
        get(port, "/vitrine/scenarios/", false).status,
        200,
        "a listing page"
    );

    let missing = get(port, "/vitrine/nulle-part/", false);
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.body,
        fs::read(public.join("404.html")).expect("404 page")
    );

    let txt = get(port, "/vitrine/static/consignes.txt", false);
    assert_eq!(txt.status, 200);
    assert_eq!(
        txt.header("Content-Type").as_deref(),
        Some("text/plain; charset=utf-8")
    );

    let css = stylesheet_of(&public);
    let plain = get(port, &format!("/vitrine/{css}"), false);
    assert_eq!(plain.status, 200);
    assert!(plain.header("Content-Encoding").is_none());
    assert!(plain
        .header("Cache-Control")
        .is_some_and(|c| c.contains("immutable") && c.contains("max-age=31536000")));
    let zipped = get(port, &format!("/vitrine/{css}"), true);
    assert_eq!(zipped.header("Content-Encoding").as_deref(), Some("gzip"));
    assert_eq!(
        zipped.body,
        fs::read(public.join(format!("{css}.gz"))).expect("gz")
    );
    assert_eq!(
        gunzip(&zipped.body),
        fs::read(public.join(&css)).expect("css")
    );
    // Search data: the manifest stays fresh, the files it versions (`?v=`) are kept for good.
    let manifest = get(port, "/vitrine/recherche/donnees/manifest.js", false);
    assert_eq!(
        manifest.header("Cache-Control").as_deref(),
        Some("public, max-age=300")
    );
    let versioned = get(
        port,
        "/vitrine/recherche/donnees/fiches/0.js?v=0123abcd",
        false,
    );
    assert_eq!(versioned.status, 200);
    assert!(versioned
        .header("Cache-Control")
        .is_some_and(|c| c.contains("immutable")));
    let page_gz = get(port, "/vitrine/index.html", true);
    assert_eq!(page_gz.header("Content-Encoding").as_deref(), Some("gzip"));
    assert_eq!(gunzip(&page_gz.body), home.body);

    fs::write(site.join("static/style.css"), "body { color: #123; }\n").expect("css");
    build_cli(&site, port);
    let new_css = stylesheet_of(&public);
    assert_ne!(new_css, css);
    let home = String::from_utf8_lossy(&get(port, "/vitrine/", false).body).into_owned();
    assert!(home.contains(&new_css), "the served page links {new_css}");
    assert_eq!(
        get(port, &format!("/vitrine/{new_css}"), false).body,
        b"body { color: #123; }\n"
    );
}
