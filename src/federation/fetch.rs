//! `vitrine harvest`: downloads (or reads) the catalogue of every source into the cache.
//!
//! Each source is fetched on its own thread with a deadline covering the whole download and a
//! size limit (at most `limit + 1` bytes are read). A source that fails for any reason keeps
//! its previous cache file untouched; a good one replaces it atomically (temporary file, then
//! rename), so a build never reads a half-written catalogue.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use super::{catalogue_problem, json_problem, sources, strip_bom, Location, Source};
use crate::config::{
    Config, DEFAULT_HARVEST_DELAY_SECS, DEFAULT_HARVEST_MAX_MB, HARVEST_DELAY_RANGE,
    HARVEST_MAX_MB_RANGE,
};
use crate::diagnostics::io_message_fr;

/// Redirects followed before giving up (browsers allow about 20; a catalogue needs one or two).
pub const MAX_REDIRECTS: usize = 5;

/// Limits applied to every source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Whole download: connection, request, body.
    pub timeout: Duration,
    /// Largest catalogue accepted, in bytes.
    pub max_bytes: u64,
}

impl Limits {
    pub fn of(config: &Config) -> Limits {
        let (delay, max_mb) = config
            .moissonnage
            .as_ref()
            .map_or((DEFAULT_HARVEST_DELAY_SECS, DEFAULT_HARVEST_MAX_MB), |m| {
                (m.delai, m.taille_max)
            });
        // The configuration is checked, but a deadline past the end of time would panic
        // inside the HTTP client: clamp again rather than trust every caller.
        let delay = delay.clamp(*HARVEST_DELAY_RANGE.start(), *HARVEST_DELAY_RANGE.end());
        let max_mb = max_mb.clamp(*HARVEST_MAX_MB_RANGE.start(), *HARVEST_MAX_MB_RANGE.end());
        Limits {
            timeout: Duration::from_secs(delay),
            max_bytes: max_mb.saturating_mul(1_000_000),
        }
    }
}

/// Why a source could not be harvested. The messages are French and say what to check.
#[derive(Debug)]
pub enum HarvestError {
    /// No complete answer within the deadline.
    Timeout(Duration),
    /// The server answered with an error status.
    Status(u16),
    /// The catalogue is larger than `taille_max`.
    TooLarge {
        max_bytes: u64,
    },
    HostNotFound,
    /// Connection refused, reset, TLS failure… (French detail).
    Connection(String),
    /// A redirect to something else than an http(s) address (`file://`, `ftp://`…).
    RedirectScheme(String),
    /// A redirect without a usable `Location`.
    BadRedirect,
    TooManyRedirects,
    /// The fetch of this source stopped on a bug (a panic): reported, never silently dropped.
    Internal,
    /// A local file could not be read.
    File(std::io::Error),
    InvalidJson(String),
    /// Valid JSON, but not a catalogue of schema version 1.
    NotACatalogue(String),
    /// The cache could not be written.
    Cache(PathBuf, std::io::Error),
}

impl fmt::Display for HarvestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HarvestError::Timeout(d) => write!(
                f,
                "délai dépassé : pas de réponse complète en {} s (moissonnage.delai)",
                d.as_secs()
            ),
            HarvestError::Status(404) => {
                write!(
                    f,
                    "adresse introuvable (HTTP 404) : vérifiez l'url de la source"
                )
            }
            HarvestError::Status(code) => write!(f, "le serveur a répondu HTTP {code}"),
            HarvestError::TooLarge { max_bytes } => write!(
                f,
                "catalogue trop gros : plus de {} Mo (moissonnage.taille_max)",
                max_bytes / 1_000_000
            ),
            HarvestError::HostNotFound => {
                write!(f, "serveur introuvable (nom de domaine inconnu)")
            }
            HarvestError::Connection(detail) => write!(f, "connexion impossible : {detail}"),
            HarvestError::RedirectScheme(target) => write!(
                f,
                "le serveur renvoie vers « {target} », qui n'est pas une adresse http:// ou https:// : seules celles-ci sont suivies"
            ),
            HarvestError::BadRedirect => write!(
                f,
                "le serveur annonce un déplacement sans donner de nouvelle adresse utilisable"
            ),
            HarvestError::TooManyRedirects => write!(
                f,
                "trop de renvois d'adresse en adresse (plus de {MAX_REDIRECTS}) : indiquez l'adresse finale du catalogue"
            ),
            HarvestError::Internal => write!(
                f,
                "incident interne inattendu pendant le moissonnage de cette source (merci de le signaler)"
            ),
            HarvestError::File(e) => write!(f, "fichier illisible : {}", io_message_fr(e)),
            HarvestError::InvalidJson(detail) => write!(f, "JSON incorrect : {detail}"),
            HarvestError::NotACatalogue(detail) => write!(f, "{detail}"),
            HarvestError::Cache(path, e) => write!(
                f,
                "écriture du cache {} impossible : {}",
                path.display(),
                io_message_fr(e)
            ),
        }
    }
}

/// A source harvested successfully.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub bytes: usize,
    /// Entries in the catalogue (valid or not: entries are checked by the build).
    pub scenarios: usize,
}

/// What happened to one source.
#[derive(Debug)]
pub struct Outcome {
    pub source: Source,
    pub result: Result<Fetched, HarvestError>,
    /// On failure: whether an earlier harvest is still in the cache (and used by builds).
    pub previous_kept: bool,
}

/// Every source's outcome, in configuration order.
#[derive(Debug, Default)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
}

impl Report {
    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.result.is_err()).count()
    }

    pub fn succeeded(&self) -> usize {
        self.outcomes.len() - self.failed()
    }

    /// Entries in the catalogues fetched this time.
    pub fn scenarios(&self) -> usize {
        self.outcomes
            .iter()
            .filter_map(|o| o.result.as_ref().ok())
            .map(|f| f.scenarios)
            .sum()
    }
}

/// What the metadata file beside a cached catalogue says.
#[derive(Debug, Serialize)]
struct CacheMeta<'a> {
    source: &'a str,
    nom: &'a str,
    recupere_le: String,
    octets: usize,
    scenarios: usize,
}

/// Harvests every source of the configuration into `<root>/.vitrine-cache/moisson/`.
pub fn harvest(root: &Path, config: &Config) -> Report {
    harvest_with(root, config, fetch)
}

/// [`harvest`] with the fetch step given, so tests can make one source's thread panic.
fn harvest_with<F>(root: &Path, config: &Config, fetch: F) -> Report
where
    F: Fn(&Path, &Source, Limits) -> Result<Vec<u8>, HarvestError> + Sync,
{
    let limits = Limits::of(config);
    let sources = sources(config);
    let fetch = &fetch;
    let outcomes = std::thread::scope(|scope| {
        let handles: Vec<_> = sources
            .into_iter()
            .map(|source| {
                let thread_source = source.clone();
                let handle = scope.spawn(move || {
                    let result = fetch(root, &thread_source, limits)
                        .and_then(|bytes| store(root, &thread_source, bytes));
                    outcome(root, thread_source, result)
                });
                (source, handle)
            })
            .collect();
        // A panicking thread still yields its source, as a failure: the count stays right and
        // `harvest` exits non-zero.
        handles
            .into_iter()
            .map(|(source, handle)| {
                handle
                    .join()
                    .unwrap_or_else(|_| outcome(root, source, Err(HarvestError::Internal)))
            })
            .collect()
    });
    Report { outcomes }
}

fn outcome(root: &Path, source: Source, result: Result<Fetched, HarvestError>) -> Outcome {
    let previous_kept = result.is_err() && root.join(source.cache_file()).is_file();
    Outcome {
        source,
        result,
        previous_kept,
    }
}

/// The bytes of a source's catalogue, checked to be a catalogue.
fn fetch(root: &Path, source: &Source, limits: Limits) -> Result<Vec<u8>, HarvestError> {
    let mut bytes = match &source.location {
        Location::Url(url) => download(url, limits)?,
        Location::File(path) => read_file(&root.join(path), limits.max_bytes)?,
    };
    // Cached without the mark, so builds read plain JSON.
    if strip_bom(&bytes).len() != bytes.len() {
        bytes.drain(..3);
    }
    let json: Value =
        serde_json::from_slice(&bytes).map_err(|e| HarvestError::InvalidJson(json_problem(&e)))?;
    if let Some(problem) = catalogue_problem(&json) {
        return Err(HarvestError::NotACatalogue(problem));
    }
    Ok(bytes)
}

/// Downloads `url`, following at most [`MAX_REDIRECTS`] redirects by hand so that each target
/// is checked to be http(s) (the client would report a `file://` target as a mere failure);
/// `limits.timeout` covers the whole chain.
fn download(url: &str, limits: Limits) -> Result<Vec<u8>, HarvestError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(true)
        .max_redirects(0)
        .user_agent(format!(
            "vitrine/{} (moissonnage)",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .into();
    let deadline = Instant::now() + limits.timeout;
    // The configuration check already parsed it: this only guards direct callers.
    let mut current = url::Url::parse(url)
        .map_err(|_| HarvestError::Connection("adresse de la source inutilisable".to_string()))?;
    for _ in 0..=MAX_REDIRECTS {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HarvestError::Timeout(limits.timeout));
        }
        let mut response = agent
            .get(current.as_str())
            .config()
            .timeout_global(Some(left))
            .build()
            .header("Accept", "application/json")
            .call()
            .map_err(|e| http_error(e, limits))?;
        if response.status().is_redirection() {
            current = redirect_target(&current, response.headers())?;
            continue;
        }
        return response
            .body_mut()
            .with_config()
            .limit(limits.max_bytes)
            .read_to_vec()
            .map_err(|e| http_error(e, limits));
    }
    Err(HarvestError::TooManyRedirects)
}

/// Where a redirect points, resolved against the current address; only http(s) is followed.
fn redirect_target(
    current: &url::Url,
    headers: &ureq::http::HeaderMap,
) -> Result<url::Url, HarvestError> {
    let location = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or(HarvestError::BadRedirect)?;
    let target = current
        .join(location.trim())
        .map_err(|_| HarvestError::BadRedirect)?;
    match target.scheme() {
        "http" | "https" => Ok(target),
        _ => Err(HarvestError::RedirectScheme(shorten(target.as_str()))),
    }
}

/// At most 200 characters of a server-given text, for messages.
fn shorten(text: &str) -> String {
    const MAX: usize = 200;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let mut out: String = text.chars().take(MAX).collect();
    out.push('…');
    out
}

fn http_error(err: ureq::Error, limits: Limits) -> HarvestError {
    match err {
        ureq::Error::Timeout(_) => HarvestError::Timeout(limits.timeout),
        ureq::Error::StatusCode(code) => HarvestError::Status(code),
        ureq::Error::BodyExceedsLimit(_) => HarvestError::TooLarge {
            max_bytes: limits.max_bytes,
        },
        ureq::Error::HostNotFound => HarvestError::HostNotFound,
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => {
            HarvestError::Timeout(limits.timeout)
        }
        // The resolver's failure reaches ureq as a plain I/O error.
        ureq::Error::Io(e) if e.to_string().contains("lookup address") => {
            HarvestError::HostNotFound
        }
        ureq::Error::Io(e) => HarvestError::Connection(io_message_fr(&e)),
        ureq::Error::TooManyRedirects => HarvestError::TooManyRedirects,
        ureq::Error::RedirectFailed => HarvestError::BadRedirect,
        other => HarvestError::Connection(ureq_fr(&other).to_string()),
    }
}

/// The other client errors, in French (their English text never reaches the user).
fn ureq_fr(err: &ureq::Error) -> &'static str {
    match err {
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => {
            "adresse inutilisable par le client HTTP (vérifiez l'url de la source)"
        }
        ureq::Error::Protocol(_) => "réponse du serveur non conforme au protocole HTTP",
        ureq::Error::ConnectionFailed => "connexion au serveur impossible",
        ureq::Error::Tls(_) => "échec de la connexion sécurisée (TLS)",
        ureq::Error::RequireHttpsOnly(_) | ureq::Error::TlsRequired => {
            "connexion sécurisée (https) exigée"
        }
        ureq::Error::LargeResponseHeader(_, _) => "en-têtes de réponse trop gros",
        ureq::Error::BodyStalled => "le serveur a cessé d'envoyer le catalogue",
        _ => "échec de la requête HTTP (vérifiez l'adresse et le réseau)",
    }
}

/// Reads at most `max_bytes + 1` bytes: one more than allowed tells the file is too large.
fn read_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, HarvestError> {
    let file = std::fs::File::open(path).map_err(HarvestError::File)?;
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(HarvestError::File)?;
    if bytes.len() as u64 > max_bytes {
        return Err(HarvestError::TooLarge { max_bytes });
    }
    Ok(bytes)
}

/// Replaces the cached catalogue and its metadata, each atomically.
fn store(root: &Path, source: &Source, bytes: Vec<u8>) -> Result<Fetched, HarvestError> {
    let scenarios = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|v| v.get("scenarios").and_then(Value::as_array).map(Vec::len))
        .unwrap_or(0);
    let fetched = Fetched {
        bytes: bytes.len(),
        scenarios,
    };
    let written = source.written();
    let meta = CacheMeta {
        source: &written,
        nom: &source.label,
        recupere_le: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        octets: fetched.bytes,
        scenarios,
    };
    let mut meta_json = serde_json::to_vec_pretty(&meta).unwrap_or_default();
    meta_json.push(b'\n');
    write_atomically(root, &source.cache_file(), &bytes)?;
    write_atomically(root, &source.meta_file(), &meta_json)?;
    Ok(fetched)
}

fn write_atomically(root: &Path, file: &Path, bytes: &[u8]) -> Result<(), HarvestError> {
    let target = root.join(file);
    let fail = |e: std::io::Error| HarvestError::Cache(file.to_path_buf(), e);
    let dir = target.parent().unwrap_or(root);
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut temp = target.clone().into_os_string();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, bytes).map_err(fail)?;
    std::fs::rename(&temp, &target).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        fail(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(yaml: &str) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = Config::parse(&format!("titre: T\n{yaml}")).expect("config");
        (dir, config)
    }

    const CATALOGUE: &str = r#"{"schema_version": 1, "scenarios": [{"id": "a"}, {"id": "b"}]}"#;

    #[test]
    fn a_local_file_is_cached_with_its_metadata() {
        let (dir, config) = site("moissonnage:\n  sources:\n    - chemin: a/catalogue.json\n");
        std::fs::create_dir_all(dir.path().join("a")).expect("mkdir");
        std::fs::write(dir.path().join("a/catalogue.json"), CATALOGUE).expect("write");
        let report = harvest(dir.path(), &config);
        assert_eq!((report.succeeded(), report.failed()), (1, 0));
        assert_eq!(report.scenarios(), 2);
        let source = &report.outcomes[0].source;
        let cached = std::fs::read_to_string(dir.path().join(source.cache_file())).expect("cache");
        assert_eq!(cached, CATALOGUE);
        let meta: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join(source.meta_file())).expect("meta"),
        )
        .expect("json");
        assert_eq!(meta["octets"], CATALOGUE.len());
        assert_eq!(meta["source"], "a/catalogue.json");
    }

    #[test]
    fn a_failure_keeps_the_previous_cache() {
        let (dir, config) = site(
            "moissonnage:\n  taille_max: 1\n  sources:\n    - chemin: a.json\n    - chemin: absent.json\n",
        );
        let good = dir.path().join("a.json");
        std::fs::write(&good, CATALOGUE).expect("write");
        let first = harvest(dir.path(), &config);
        assert_eq!((first.succeeded(), first.failed()), (1, 1));
        let missing = &first.outcomes[1];
        assert!(matches!(missing.result, Err(HarvestError::File(_))));
        assert!(!missing.previous_kept);
        assert!(missing
            .result
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("introuvable"));

        for (broken, expected) in [
            ("{\"schema_version\": 1", "JSON incorrect"),
            (
                "{\"schema_version\": 2, \"scenarios\": []}",
                "version de schéma 2",
            ),
            ("[]", "pas un catalogue"),
        ] {
            std::fs::write(&good, broken).expect("write");
            let again = harvest(dir.path(), &config);
            let outcome = &again.outcomes[0];
            let message = outcome.result.as_ref().expect_err("fails").to_string();
            assert!(message.contains(expected), "{message}");
            assert!(outcome.previous_kept);
            let cached = std::fs::read_to_string(dir.path().join(outcome.source.cache_file()))
                .expect("cache");
            assert_eq!(cached, CATALOGUE, "previous cache kept");
        }
    }

    /// A bug in one source's fetch (a panic) is that source's failure: counted, reported, and
    /// the other sources are unaffected.
    #[test]
    fn a_panicking_fetch_is_a_counted_failure() {
        let (dir, config) = site(
            "moissonnage:\n  sources:\n    - chemin: a.json\n    - chemin: boum.json\n    - chemin: c.json\n",
        );
        std::fs::write(dir.path().join("a.json"), CATALOGUE).expect("write");
        std::fs::write(dir.path().join("c.json"), CATALOGUE).expect("write");
        let report = harvest_with(dir.path(), &config, |root, source, limits| {
            if source.written() == "boum.json" {
                panic!("simulated bug in a fetch thread");
            }
            fetch(root, source, limits)
        });
        assert_eq!(report.outcomes.len(), 3, "no source dropped");
        assert_eq!((report.succeeded(), report.failed()), (2, 1));
        let failed = &report.outcomes[1];
        assert_eq!(
            failed.source.written(),
            "boum.json",
            "configuration order kept"
        );
        let message = failed.result.as_ref().expect_err("fails").to_string();
        assert!(message.contains("incident interne"), "{message}");
        assert_eq!(report.scenarios(), 4);
    }

    #[test]
    fn a_catalogue_starting_with_a_byte_order_mark_is_accepted_and_cached_without_it() {
        let (dir, config) = site("moissonnage:\n  sources:\n    - chemin: bom.json\n");
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(CATALOGUE.as_bytes());
        std::fs::write(dir.path().join("bom.json"), &bytes).expect("write");
        let report = harvest(dir.path(), &config);
        assert_eq!((report.succeeded(), report.failed()), (1, 0), "{report:?}");
        let source = &report.outcomes[0].source;
        let cached = std::fs::read(dir.path().join(source.cache_file())).expect("cache");
        assert_eq!(cached, CATALOGUE.as_bytes());
    }

    /// serde_json's English (« expected value at line 1 column 1 ») becomes French, keeping
    /// the position.
    #[test]
    fn json_errors_are_french_and_located() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let cases = [
            ("", "tronqué"),
            ("<html>", "valeur JSON attendue ici, ligne 1 colonne 1"),
            (
                "{\"a\" 1}",
                "« : » manquant après une clé, ligne 1 colonne 6",
            ),
            ("[1 2]", "« , » ou « ] » manquant dans une liste"),
            ("{\"a\": 1,}", "virgule en trop"),
            (
                "{}\n{}",
                "contenu en trop après la fin du JSON, ligne 2 colonne 1",
            ),
            ("\"\\q\"", "séquence d'échappement"),
            (deep.as_str(), "imbriqués trop profondément"),
        ];
        for (text, expected) in cases {
            let err = serde_json::from_str::<Value>(text).expect_err(text);
            let message = json_problem(&err);
            assert!(message.contains(expected), "{text:?}: {message}");
            crate::federation::tests::assert_french(&message);
        }
    }

    #[test]
    fn redirect_targets_must_be_web_addresses() {
        let current = url::Url::parse("https://a.fr/vitrine/catalogue.json").expect("url");
        let headers = |location: &str| {
            let mut map = ureq::http::HeaderMap::new();
            map.insert(
                "location",
                ureq::http::HeaderValue::from_str(location).expect("header"),
            );
            map
        };
        let relative = redirect_target(&current, &headers("../v2/catalogue.json")).expect("ok");
        assert_eq!(relative.as_str(), "https://a.fr/v2/catalogue.json");
        for bad in [
            "file:///etc/passwd",
            "ftp://a.fr/c.json",
            "javascript:alert(1)",
        ] {
            let err = redirect_target(&current, &headers(bad)).expect_err(bad);
            assert!(matches!(err, HarvestError::RedirectScheme(_)), "{bad}");
            let message = err.to_string();
            assert!(message.contains(bad), "{message}");
            assert!(message.contains("http:// ou https://"), "{message}");
        }
        let none = redirect_target(&current, &ureq::http::HeaderMap::new()).expect_err("none");
        assert!(matches!(none, HarvestError::BadRedirect));
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.json");
        std::fs::write(&path, "x".repeat(101)).expect("write");
        assert!(matches!(
            read_file(&path, 100),
            Err(HarvestError::TooLarge { max_bytes: 100 })
        ));
        std::fs::write(&path, "x".repeat(100)).expect("write");
        assert_eq!(read_file(&path, 100).expect("at the limit").len(), 100);
    }
}
