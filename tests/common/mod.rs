//! Helpers shared by the integration tests: fixture sites in temporary folders.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use vitrine::diagnostics::Diagnostic;

/// The library's test support, shared with the unit tests (one English-word list).
#[path = "../../src/testing.rs"]
mod testing;
#[allow(unused_imports)]
pub use testing::{assert_french, english_words};
use vitrine::site::{self, BuildOptions, Silent, Summary};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/` beside the repository, when present (always in CI, never in a user's clone).
pub fn shared_dir() -> Option<PathBuf> {
    let dir = repo_root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var_os("VITRINE_TESTS_COMPLETS").is_none(),
            "../shared/ est absent alors que tests/run.sh demande tous les tests"
        );
        eprintln!("IGNORÉ : ../shared/ est absent, test sauté (il est présent en CI)");
        None
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create dir");
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A temporary site made of `tests/fixtures/_base` with the given fixtures laid over it.
pub fn fixture_site(overlays: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixtures = repo_root().join("tests/fixtures");
    copy_dir(&fixtures.join("_base"), dir.path());
    for name in overlays {
        copy_dir(&fixtures.join(name), dir.path());
    }
    dir
}

/// A temporary copy of the demo site (configuration, content, theme).
pub fn demo_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = repo_root();
    fs::copy(root.join("vitrine.yaml"), dir.path().join("vitrine.yaml")).expect("config");
    copy_dir(&root.join("content"), &dir.path().join("content"));
    copy_dir(&root.join("themes"), &dir.path().join("themes"));
    dir
}

/// A copy of the demo site built into `<site>/<output>` (`www`, `srv/vitrine` for a site
/// served under a sub-folder); returns the site and the output folder.
#[allow(dead_code)]
pub fn built_demo(output: &str) -> (tempfile::TempDir, PathBuf) {
    let site = demo_site();
    let out = site.path().join(output);
    let mut options = BuildOptions::new(site.path());
    options.output = Some(out.clone());
    build_with(options).expect("demo builds");
    (site, out)
}

pub fn build(root: &Path) -> Result<Summary, Vec<Diagnostic>> {
    site::build(&BuildOptions::new(root), &Silent)
}

pub fn build_with(options: BuildOptions) -> Result<Summary, Vec<Diagnostic>> {
    site::build(&options, &Silent)
}

/// Builds a site expected to fail and returns its diagnostics.
pub fn build_errors(root: &Path) -> Vec<Diagnostic> {
    match build(root) {
        Ok(_) => panic!("the build should have failed"),
        Err(d) => d,
    }
}

/// Every file under `dir`, relative, sorted, with its bytes.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk output");
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_path_buf();
            files.push((rel, fs::read(entry.path()).expect("read")));
        }
    }
    files
}

/// `vitrine build` of `root` into `output`, expected to succeed.
pub fn build_into(root: &Path, output: &Path) -> Summary {
    let mut options = BuildOptions::new(root);
    options.output = Some(output.to_path_buf());
    build_with(options).expect("the site builds")
}

/// A fresh copy of the sources of `site` (configuration, content, themes, templates) without
/// its cache, record or output: what a clean build, the reference of every rebuild test,
/// starts from.
pub fn sources_copy(site: &Path) -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("temp dir");
    for name in ["vitrine.yaml", "content", "themes", "templates"] {
        let from = site.join(name);
        if from.is_dir() {
            copy_dir(&from, &copy.path().join(name));
        } else if from.is_file() {
            fs::copy(&from, copy.path().join(name)).expect("copy");
        }
    }
    copy
}

/// Asserts that `actual` holds the same files as `expected`, byte for byte, and returns how
/// many.
pub fn assert_same_tree(expected: &Path, actual: &Path) -> usize {
    let (expected, actual) = (snapshot(expected), snapshot(actual));
    let names = |s: &[(PathBuf, Vec<u8>)]| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&actual),
        names(&expected),
        "same files as a clean build"
    );
    for ((path, a), (_, b)) in actual.iter().zip(&expected) {
        assert!(a == b, "{} differs from a clean build", path.display());
    }
    expected.len()
}

/// [`assert_same_tree`] for a whole site (more than a handful of files).
pub fn assert_same_site(expected: &Path, actual: &Path) {
    let files = assert_same_tree(expected, actual);
    assert!(files > 50, "a real site ({files} files)");
}

/// What [`override_base_template`] adds to every page.
pub const ADDED_FOOTER: &str = "<p>Pied ajouté</p>";

/// Overrides the default theme's `base.html` in `site/templates/` with [`ADDED_FOOTER`] before
/// `</body>`: a template change that every page shows.
pub fn override_base_template(site: &Path) {
    let templates = site.join("templates");
    fs::create_dir_all(&templates).expect("mkdir templates");
    let base = repo_root().join("themes/defaut/templates/base.html");
    let base = fs::read_to_string(base).expect("base template");
    fs::write(
        templates.join("base.html"),
        base.replacen("</body>", &format!("{ADDED_FOOTER}</body>"), 1),
    )
    .expect("override");
}

/// The first scenario source of `site`, in file name order.
pub fn first_scenario(site: &Path) -> PathBuf {
    walkdir::WalkDir::new(site.join("content/scenarios"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .expect("a scenario")
        .into_path()
}

/// `python3 -m http.server` on loopback: an independent, real static server, as a webmaster
/// would use, serving `dir`. Stopped when dropped.
pub struct StaticServer {
    child: std::process::Child,
    pub port: u16,
}

impl StaticServer {
    pub fn start(dir: &Path) -> StaticServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = std::process::Command::new("python3")
            .args(["-m", "http.server", "--bind", "127.0.0.1"])
            .arg(port.to_string())
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 -m http.server starts");
        let server = StaticServer { child, port };
        // Up to 60 s: python starts in well under a second, but not on a loaded machine.
        for _ in 0..600 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the static server did not start on port {port}");
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `node` command, or `None` (with a visible message) when Node.js is absent outside the
/// full test run (`tests/run.sh` installs it, and then its absence is an error).
/// Runs the Node script `script` of `tests/browser` with `args`; fails the test with its
/// error output unless it succeeds, and returns the JSON it printed.
#[allow(dead_code)]
pub fn run_node_script<S: AsRef<std::ffi::OsStr>>(script: &str, args: &[S]) -> serde_json::Value {
    let output = std::process::Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(repo_root().join("tests/browser"))
        .output()
        .expect("run node");
    assert!(
        output.status.success(),
        "{script} en échec :\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON printed by the script")
}

pub fn node() -> Option<&'static str> {
    let available = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if available {
        return Some("node");
    }
    assert!(
        std::env::var_os("VITRINE_TESTS_COMPLETS").is_none(),
        "node est absent alors que tests/run.sh demande tous les tests"
    );
    eprintln!("IGNORÉ : node est absent, test sauté (tests/run.sh l'installe)");
    None
}

/// Chromium, Node.js and the npm packages of tests/browser are there; otherwise `false` with a
/// visible message (and a failure under tests/run.sh, which installs them).
pub fn browser_tools_ready(browser_dir: &Path) -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = Path::new(&chromium).exists()
        && browser_dir.join("node_modules/axe-core").is_dir()
        && browser_dir.join("node_modules/playwright-core").is_dir()
        && std::process::Command::new("node")
            .arg("--version")
            .output()
            .is_ok();
    if !ready {
        assert!(
            std::env::var_os("VITRINE_TESTS_COMPLETS").is_none(),
            "Chromium, Node.js ou les paquets npm de tests/browser manquent"
        );
        eprintln!(
            "IGNORÉ : Chromium, Node.js ou les paquets npm de tests/browser manquent ; lancez ./tests/run.sh qui les installe"
        );
    }
    ready
}

/// The `vitrine` program itself, run in `dir` (the site root, as a user would).
pub fn vitrine_in(dir: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"));
    command.current_dir(dir).env_remove("VITRINE_FAILPOINT");
    command
}

/// Every file and folder under `dir` with its bytes (folders with none), to check that a
/// command touched nothing.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| {
            let entry = entry.expect("walk");
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_path_buf();
            let bytes = entry
                .file_type()
                .is_file()
                .then(|| fs::read(entry.path()).expect("read"));
            (rel, bytes)
        })
        .collect()
}
