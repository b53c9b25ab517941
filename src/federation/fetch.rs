//! `vitrine harvest`: downloads (or reads) the catalogue of every source into the cache.
//!
//! Each source is fetched on its own thread with a deadline covering the whole download and a
//! size limit (at most `limit + 1` bytes are read). A source that fails for any reason keeps
//! its previous cache file untouched; a good one replaces it atomically (temporary file, then
//! rename), so a build never reads a half-written catalogue.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::{catalogue_problem, sources, Location, Source};
use crate::config::{Config, DEFAULT_HARVEST_DELAY_SECS, DEFAULT_HARVEST_MAX_MB};

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
    /// Connection refused, reset, TLS failure…
    Connection(String),
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
            HarvestError::File(e) => write!(f, "fichier illisible : {}", io_fr(e)),
            HarvestError::InvalidJson(detail) => write!(f, "JSON invalide : {detail}"),
            HarvestError::NotACatalogue(detail) => write!(f, "{detail}"),
            HarvestError::Cache(path, e) => write!(
                f,
                "écriture du cache {} impossible : {}",
                path.display(),
                io_fr(e)
            ),
        }
    }
}

fn io_fr(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "fichier introuvable".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission refusée".to_string(),
        _ => e.to_string(),
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
    let limits = Limits::of(config);
    let sources = sources(config);
    let outcomes = std::thread::scope(|scope| {
        let handles: Vec<_> = sources
            .into_iter()
            .map(|source| scope.spawn(move || harvest_one(root, source, limits)))
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    Report { outcomes }
}

fn harvest_one(root: &Path, source: Source, limits: Limits) -> Outcome {
    let result = fetch(root, &source, limits).and_then(|bytes| store(root, &source, bytes));
    let previous_kept = result.is_err() && root.join(source.cache_file()).is_file();
    Outcome {
        source,
        result,
        previous_kept,
    }
}

/// The bytes of a source's catalogue, checked to be a catalogue.
fn fetch(root: &Path, source: &Source, limits: Limits) -> Result<Vec<u8>, HarvestError> {
    let bytes = match &source.location {
        Location::Url(url) => download(url, limits)?,
        Location::File(path) => read_file(&root.join(path), limits.max_bytes)?,
    };
    let json: Value =
        serde_json::from_slice(&bytes).map_err(|e| HarvestError::InvalidJson(e.to_string()))?;
    if let Some(problem) = catalogue_problem(&json) {
        return Err(HarvestError::NotACatalogue(problem));
    }
    Ok(bytes)
}

fn download(url: &str, limits: Limits) -> Result<Vec<u8>, HarvestError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(limits.timeout))
        .http_status_as_error(true)
        .user_agent(format!(
            "vitrine/{} (moissonnage)",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header("Accept", "application/json")
        .call()
        .map_err(|e| http_error(e, limits))?;
    response
        .body_mut()
        .with_config()
        .limit(limits.max_bytes)
        .read_to_vec()
        .map_err(|e| http_error(e, limits))
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
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            HarvestError::Connection("connexion refusée par le serveur".to_string())
        }
        // The resolver's failure reaches ureq as a plain I/O error.
        ureq::Error::Io(e) if e.to_string().contains("lookup address") => {
            HarvestError::HostNotFound
        }
        other => HarvestError::Connection(other.to_string()),
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
            ("{\"schema_version\": 1", "JSON invalide"),
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
