//! What every output shares, without rendering anything: the build input handed to each
//! output, the output file and the sink it goes to, addresses ([`urls`]), the French wording
//! several outputs print ([`wording`]), the facts about a scenario several outputs state
//! ([`describe`]) and the list of every page ([`plan`]). Pages, exports and the search bundle
//! read this layer, never each other.

pub mod describe;
pub mod plan;
pub mod urls;
pub mod wording;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::Config;
use crate::content::SiteContent;
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::vocab::Vocabularies;

/// Everything the page renderer needs, computed by the earlier stages.
pub struct BuildInput<'a> {
    pub config: &'a Config,
    pub vocabs: &'a Vocabularies,
    pub content: &'a SiteContent,
    /// Rendered Markdown of each scenario, by slug. The links inside are relative to the
    /// scenario page (`scenarios/<slug>/`).
    pub scenarios_html: &'a BTreeMap<String, Arc<Rendered>>,
    /// Rendered Markdown of each free page, by slug, relative to `<slug>/`; the home text under `""`
    /// (relative to the root).
    pub pages_html: &'a BTreeMap<String, Rendered>,
    /// Related scenarios (slug → up to 4 slugs, most similar first).
    pub related: &'a BTreeMap<String, Vec<String>>,
    /// Size of each scenario's Moodle package, by slug, for the link on its page: known once
    /// the packages are made, so empty until then (a scenario missing here shows no size).
    pub package_sizes: &'a PackageSizes,
}

/// Size in bytes of each scenario's Moodle package, by slug.
#[cfg(test)]
impl<'a> BuildInput<'a> {
    /// The input of an output's unit test: the site's scenarios, with no rendered body or
    /// page, no related scenario and no package (one place instead of a literal per test).
    pub fn bare(config: &'a Config, vocabs: &'a Vocabularies, content: &'a SiteContent) -> Self {
        static NO_HTML: BTreeMap<String, Arc<Rendered>> = BTreeMap::new();
        static NO_PAGES: BTreeMap<String, Rendered> = BTreeMap::new();
        static NO_RELATED: BTreeMap<String, Vec<String>> = BTreeMap::new();
        BuildInput {
            config,
            vocabs,
            content,
            scenarios_html: &NO_HTML,
            pages_html: &NO_PAGES,
            related: &NO_RELATED,
            package_sizes: &NO_PACKAGE_SIZES,
        }
    }
}

pub type PackageSizes = BTreeMap<String, u64>;

/// Content hash of an output file: 128 bits of BLAKE3, in hexadecimal. The build record keeps
/// it for every published file, and the search bundle's fingerprint is made of them.
pub fn content_hash(bytes: &[u8]) -> String {
    let hash = blake3::hash(bytes);
    hash.to_hex()[..32].to_string()
}

/// No package sizes yet: for inputs made before the packages (see [`BuildInput::package_sizes`]).
pub static NO_PACKAGE_SIZES: PackageSizes = BTreeMap::new();

/// One file of the output, path relative to the output root (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: Vec<u8>,
}

/// Where a stage hands each output file as soon as it is made (written by `build`, kept by
/// `vitrine serve` and the tests), so that a large site is never held in memory at once.
pub type FileSink<'a> = dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync + 'a;

/// Runs `produce` with a sink that keeps every file, and returns them sorted by path.
pub fn collect_sorted(
    produce: impl FnOnce(&FileSink) -> Result<usize, Vec<Diagnostic>>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let files = std::sync::Mutex::new(Vec::new());
    produce(&|file| {
        if let Ok(mut files) = files.lock() {
            files.push(file);
        }
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
