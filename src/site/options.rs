//! What a build is asked for (its options) and how it reports its stages.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `<root>/public` by default.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of the configuration.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// `--force`: the output may replace a non-empty folder that vitrine did not make.
    pub force: bool,
    /// `--hors-ligne`: a copy to open from disk (see `urls::LinkStyle`), whatever `hors_ligne`
    /// says in the configuration.
    pub offline: bool,
    /// `--compresser`: `.gz` copies of the text files (also `compression: true` in the config).
    pub compress: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            force: false,
            offline: false,
            compress: false,
        }
    }

    /// The options that change the output, as part of the build cache key.
    /// The folders are made absolute: a relative one names another folder from another working
    /// directory, an absolute one the same (a scheduled build started from elsewhere than the
    /// webmaster's shell keeps its caches).
    pub fn cache_key(&self) -> String {
        let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.into());
        format!(
            "{:?}|{:?}|{:?}|{}|{}|{}",
            absolute(&self.root),
            absolute(&self.output_dir()),
            self.base_url,
            self.drafts,
            self.offline,
            self.compress,
        )
    }

    pub fn output_dir(&self) -> PathBuf {
        match &self.output {
            Some(output) => output.clone(),
            // `public`, not `./public`, in messages.
            None if self.root == Path::new(".") => PathBuf::from("public"),
            None => self.root.join("public"),
        }
    }
}

/// Reports the stages of a build (a spinner in the CLI, nothing in tests).
pub trait Progress: Sync {
    fn stage(&self, message: &str);
    /// A line the user should read even without a terminal (a build waiting for another).
    fn notice(&self, _message: &str) {}
}

pub struct Silent;
impl Progress for Silent {
    fn stage(&self, _message: &str) {}
}

/// Measures consecutive stages of the build.
pub(super) struct Stopwatch {
    last: Instant,
    pub(super) stages: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    pub(super) fn start() -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    pub(super) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}
