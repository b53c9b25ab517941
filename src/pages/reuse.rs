//! Pages a rebuild need not render again. A page is the theme's template filled with its
//! context, and nothing else: equal theme, template name and context give equal bytes. Every
//! value put in a page's context goes through [`PageContext::insert`], which also keeps its
//! serialization, so the page's key (their hash) covers all that its rendering reads besides
//! the theme; the theme, the configuration and the program are the build's concern (one key
//! for the whole site, see `site::page_record`).
//!
//! Making every context to compare its key still costs a rebuild most of its page work. So each
//! page is also recorded with the hash of its inputs: what every page may read of the site
//! ([`shared_inputs`]: every scenario but its body, the free pages) and what only that page
//! reads (a scenario page's body, related scenarios and package, see `scenario_inputs`). A page
//! whose inputs hash is the one recorded is kept without making its context: after an edit of
//! one scenario's body, only that page's and its neighbours' contexts are made.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::content::{Page, Scenario};
use crate::diagnostics::Diagnostic;
use crate::publish::BuildInput;

/// The context of one page: the tera context and, per name, the serialized value.
pub(super) struct PageContext {
    /// Filled as values are inserted; `None` for a page the previous build is expected to have
    /// made already (see [`PageContext::deferred`]).
    tera: Option<tera::Context>,
    /// Name → JSON of the value last inserted under it (tera's own maps iterate in no fixed
    /// order, so the key is computed from what was inserted, not from the tera context).
    serialized: BTreeMap<&'static str, Vec<u8>>,
}

impl PageContext {
    pub(super) fn new() -> PageContext {
        PageContext {
            tera: Some(tera::Context::new()),
            serialized: BTreeMap::new(),
        }
    }

    /// A context whose values are only serialized: on a rebuild most pages are kept, and only
    /// their key is needed. The tera context is made from the serialized values if the page
    /// is rendered after all.
    pub(super) fn deferred() -> PageContext {
        PageContext {
            tera: None,
            serialized: BTreeMap::new(),
        }
    }

    /// Puts `value` in the context under `name`, replacing what was there.
    pub(super) fn insert<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        // Our values are plain structs, strings and maps with string keys: they serialize.
        let json = serde_json::to_vec(value).unwrap_or_else(|err| err.to_string().into_bytes());
        self.serialized.insert(name, json);
        if let Some(tera) = &mut self.tera {
            tera.insert(name, value);
        }
    }

    /// The tera context, made from the serialized values when it was deferred. Page values hold
    /// strings, integers, booleans, lists and structs (numbers with decimals are formatted
    /// before): read back from JSON, they are the same values.
    pub(super) fn tera(&self) -> Cow<'_, tera::Context> {
        if let Some(tera) = &self.tera {
            return Cow::Borrowed(tera);
        }
        let mut tera = tera::Context::new();
        for (name, json) in &self.serialized {
            let value: serde_json::Value =
                serde_json::from_slice(json).unwrap_or(serde_json::Value::Null);
            tera.insert(*name, &value);
        }
        Cow::Owned(tera)
    }

    /// Hash of the template name and of every value of the context with its name.
    pub(super) fn key(&self, template: &str) -> String {
        let mut hasher = blake3::Hasher::new();
        hash_part(&mut hasher, template.as_bytes());
        for (name, json) in &self.serialized {
            hash_part(&mut hasher, name.as_bytes());
            hash_part(&mut hasher, json);
        }
        hasher.finalize().to_hex().to_string()
    }
}

/// What the previous build recorded of one page: the key of its rendering, the hash of its
/// inputs and the hash of the bytes it published (as the build record's `hash` of that file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedPage {
    pub key: String,
    /// Empty in a record of a version that did not note it: never equal to a page's inputs.
    #[serde(default)]
    pub inputs: String,
    pub hash: String,
}

/// What this build notes of one page for the next: see [`RecordedPage`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageKeys {
    pub key: String,
    pub inputs: String,
}

/// Feeds `bytes` to a hasher after their length: no two different sequences of parts hash
/// the same bytes.
pub(super) fn hash_part(hasher: &mut blake3::Hasher, bytes: &[u8]) {
    hasher.update(&(bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// Feeds `Debug` text to a hasher without making the string. `Debug` of our content types
/// quotes and escapes strings and brackets lists: two different values never write the same.
pub(super) struct HashWriter<'h>(pub(super) &'h mut blake3::Hasher);

impl fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

/// Hash of what any page may read of the site besides the theme, the configuration and the
/// program (the site key) and besides a scenario page's own inputs (`scenario_inputs`): every
/// scenario (in listing order) without its Markdown body, which only its page shows once
/// rendered, the home text and the free pages with their HTML.
pub fn shared_inputs(input: &BuildInput) -> String {
    let scenarios: Vec<blake3::Hash> = input
        .content
        .scenarios
        .par_iter()
        .map(|scenario| scenario_without_body(scenario))
        .collect();
    let mut hasher = blake3::Hasher::new();
    for scenario in &scenarios {
        hasher.update(scenario.as_bytes());
    }
    let content = input.content;
    let _ = write!(
        HashWriter(&mut hasher),
        "{:?}\u{1f}{:?}\u{1f}{:?}",
        page_fields(&content.home),
        content.pages.iter().map(page_fields).collect::<Vec<_>>(),
        input.pages_html
    );
    hasher.finalize().to_hex().to_string()
}

/// The inputs of the site's exports (feeds, sitemap, catalogue, records): they read the
/// configuration, the vocabularies and every scenario's metadata, never a body.
fn exports_inputs(shared: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"exports\x1f");
    hasher.update(shared.as_bytes());
    hasher.finalize().to_hex().to_string()
}

/// Every field of a scenario but its body. (Destructured: a new field must be placed here or
/// in the scenario page's own inputs.)
fn scenario_without_body(scenario: &Scenario) -> blake3::Hash {
    let Scenario {
        slug,
        source,
        bundle_dir,
        bundle_files,
        meta,
        body: _,
        body_line,
        origine,
    } = scenario;
    let mut hasher = blake3::Hasher::new();
    let _ = write!(
        HashWriter(&mut hasher),
        "{slug:?}{source:?}{bundle_dir:?}{bundle_files:?}{meta:?}{body_line:?}{origine:?}"
    );
    hasher.finalize()
}

/// Every field of a free page (destructured, as [`scenario_without_body`]).
fn page_fields(page: &Page) -> impl fmt::Debug + '_ {
    let Page {
        slug,
        source,
        titre,
        description,
        ordre,
        body,
        body_line,
    } = page;
    (slug, source, titre, description, ordre, body, body_line)
}

/// Keeps a file of the previous output at an output path when it still holds the bytes of
/// `hash`, exactly as writing those bytes would; false when it cannot (the page is then
/// rendered and written).
pub type KeepFile<'a> = dyn Fn(&str, &str) -> Result<bool, Diagnostic> + Sync + 'a;

/// The pages of the previous build and how to keep their files; notes this build's keys.
pub struct Reuse<'a> {
    previous: BTreeMap<String, RecordedPage>,
    keep: &'a KeepFile<'a>,
    /// See [`shared_inputs`]: made once, for the pages rendered before and after the index.
    shared: String,
    /// See [`Reuse::kept_exports`].
    exports: String,
    keys: Mutex<BTreeMap<String, PageKeys>>,
    rendered: AtomicUsize,
    /// Pages kept by their inputs, without making their context.
    unchanged: AtomicUsize,
    /// Files of the exports kept without making them.
    exports_kept: AtomicUsize,
}

impl<'a> Reuse<'a> {
    /// `previous`: output path → page as the previous build recorded it (empty: render all);
    /// `shared`: the [`shared_inputs`] of the pages this build renders.
    pub fn new(
        previous: BTreeMap<String, RecordedPage>,
        keep: &'a KeepFile<'a>,
        shared: String,
    ) -> Reuse<'a> {
        let exports = exports_inputs(&shared);
        Reuse {
            previous,
            keep,
            shared,
            exports,
            keys: Mutex::new(BTreeMap::new()),
            rendered: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            exports_kept: AtomicUsize::new(0),
        }
    }

    /// See [`shared_inputs`].
    pub(super) fn shared_inputs(&self) -> &str {
        &self.shared
    }

    /// Keeps every file the previous build's exports made from the same inputs, and returns
    /// how many; `None` when there is none or one cannot be kept: the exports are then made
    /// (and any file kept here is written again).
    pub fn kept_exports(&self) -> Result<Option<usize>, Diagnostic> {
        let inputs = &self.exports;
        let paths: Vec<&String> = self
            .previous
            .iter()
            .filter(|(_, page)| page.inputs == *inputs)
            .map(|(path, _)| path)
            .collect();
        if paths.is_empty() {
            return Ok(None);
        }
        for path in &paths {
            if !self.keep_recorded(path, inputs)? {
                return Ok(None);
            }
        }
        self.exports_kept.fetch_add(paths.len(), Ordering::Relaxed);
        Ok(Some(paths.len()))
    }

    /// Notes a file the exports made, for the next build's [`Reuse::kept_exports`].
    pub fn note_export(&self, path: &str) {
        self.note(path, String::new(), self.exports.clone());
    }

    /// Whether the page at `path`, whose inputs hash `inputs`, was kept from the previous
    /// output because its inputs are the ones recorded, without making its context. When it
    /// returns false, the page's context is made and given to [`Reuse::kept`].
    pub(super) fn kept_unchanged(&self, path: &str, inputs: &str) -> Result<bool, Diagnostic> {
        let kept = self.keep_recorded(path, inputs)?;
        if kept {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        }
        Ok(kept)
    }

    /// Keeps the file recorded at `path` when it was made from `inputs`, and notes it.
    fn keep_recorded(&self, path: &str, inputs: &str) -> Result<bool, Diagnostic> {
        let recorded = |page: &&RecordedPage| !page.inputs.is_empty() && page.inputs == inputs;
        let Some(page) = self.previous.get(path).filter(recorded) else {
            return Ok(false);
        };
        if !(self.keep)(path, &page.hash)? {
            return Ok(false);
        }
        self.note(path, page.key.clone(), inputs.to_string());
        Ok(true)
    }

    /// Whether the page at `path`, whose context gives `key`, was kept from the previous
    /// output; otherwise it counts as rendered.
    pub(super) fn kept(&self, path: &str, key: String, inputs: String) -> Result<bool, Diagnostic> {
        let same = self.previous.get(path).filter(|page| page.key == key);
        let hash = same.map(|page| page.hash.as_str());
        self.note(path, key, inputs);
        if let Some(hash) = hash {
            if (self.keep)(path, hash)? {
                return Ok(true);
            }
        }
        self.rendered.fetch_add(1, Ordering::Relaxed);
        Ok(false)
    }

    fn note(&self, path: &str, key: String, inputs: String) {
        if let Ok(mut keys) = self.keys.lock() {
            keys.insert(path.to_string(), PageKeys { key, inputs });
        }
    }

    /// Whether the previous build recorded no page (a first build, or one whose theme,
    /// configuration or program changed): every page will be rendered.
    pub fn is_empty(&self) -> bool {
        self.previous.is_empty()
    }

    /// Number of pages rendered (not kept) so far.
    pub fn rendered(&self) -> usize {
        self.rendered.load(Ordering::Relaxed)
    }

    /// Number of pages kept because their inputs were the ones recorded (their context was
    /// not made).
    pub fn kept_by_inputs(&self) -> usize {
        self.unchanged.load(Ordering::Relaxed)
    }

    /// Number of export files kept without making them (see [`Reuse::kept_exports`]).
    pub fn exports_kept(&self) -> usize {
        self.exports_kept.load(Ordering::Relaxed)
    }

    /// Output path → keys of every page of this build.
    pub fn into_keys(self) -> BTreeMap<String, PageKeys> {
        self.keys.into_inner().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(pairs: &[(&'static str, &str)]) -> PageContext {
        let mut ctx = PageContext::new();
        for (name, value) in pairs {
            ctx.insert(name, value);
        }
        ctx
    }

    #[test]
    fn the_key_changes_with_any_value_name_or_template() {
        let base = context(&[("titre", "A"), ("corps", "B")]).key("page.html");
        assert_eq!(
            base,
            context(&[("corps", "B"), ("titre", "A")]).key("page.html"),
            "insertion order does not matter"
        );
        assert_ne!(
            base,
            context(&[("titre", "A"), ("corps", "C")]).key("page.html")
        );
        assert_ne!(
            base,
            context(&[("titre", "A"), ("autre", "B")]).key("page.html")
        );
        assert_ne!(
            base,
            context(&[("titre", "A"), ("corps", "B")]).key("liste.html")
        );
        assert_ne!(
            context(&[("titre", "AB"), ("corps", "")]).key("page.html"),
            context(&[("titre", "A"), ("corps", "B")]).key("page.html"),
            "no ambiguity between values"
        );
        let mut replaced = context(&[("titre", "A"), ("corps", "X")]);
        replaced.insert("corps", "B");
        assert_eq!(base, replaced.key("page.html"), "the last value counts");
        assert_eq!(
            replaced.tera().get("corps").map(|v| v.to_string()),
            Some("B".to_string())
        );
    }

    fn recorded(key: &str, inputs: &str, hash: &str) -> RecordedPage {
        RecordedPage {
            key: key.to_string(),
            inputs: inputs.to_string(),
            hash: hash.to_string(),
        }
    }

    #[test]
    fn a_page_is_kept_only_with_its_key_and_when_its_file_is_kept() {
        let previous = BTreeMap::from([
            ("a/index.html".to_string(), recorded("k1", "i1", "h1")),
            ("b/index.html".to_string(), recorded("k2", "i2", "gone")),
        ]);
        let asked = Mutex::new(Vec::new());
        let keep = |path: &str, hash: &str| {
            asked.lock().expect("lock").push(path.to_string());
            Ok(hash != "gone")
        };
        let reuse = Reuse::new(previous, &keep, "shared".to_string());
        let kept = |path: &str, key: &str| reuse.kept(path, key.to_string(), "new".to_string());
        assert!(kept("a/index.html", "k1").expect("a"));
        assert!(!kept("b/index.html", "k2").expect("b"));
        assert!(!kept("a2/index.html", "k1").expect("new"));
        assert_eq!(reuse.rendered(), 2);
        assert_eq!(
            *asked.lock().expect("lock"),
            ["a/index.html", "b/index.html"],
            "the file is asked for only when the key is the same"
        );
        let keys = reuse.into_keys();
        assert_eq!(keys.len(), 3);
        assert_eq!(keys["a2/index.html"].key, "k1");
        assert_eq!(keys["a/index.html"].inputs, "new");
    }

    #[test]
    fn a_page_with_the_inputs_recorded_is_kept_with_its_recorded_key() {
        let previous = BTreeMap::from([
            ("a/index.html".to_string(), recorded("k1", "i1", "h1")),
            ("b/index.html".to_string(), recorded("k2", "i2", "gone")),
            ("c/index.html".to_string(), recorded("k3", "", "h3")),
        ]);
        let keep = |_: &str, hash: &str| Ok(hash != "gone");
        let reuse = Reuse::new(previous, &keep, "shared".to_string());
        assert!(reuse.kept_unchanged("a/index.html", "i1").expect("a"));
        assert!(!reuse.kept_unchanged("a/index.html", "other").expect("a"));
        assert!(!reuse
            .kept_unchanged("b/index.html", "i2")
            .expect("file gone"));
        assert!(
            !reuse.kept_unchanged("c/index.html", "").expect("c"),
            "a record without inputs keeps nothing"
        );
        assert!(!reuse
            .kept_unchanged("d/index.html", "i1")
            .expect("new page"));
        assert_eq!(reuse.rendered(), 0, "the caller renders or keeps by key");
        assert_eq!(reuse.kept_by_inputs(), 1);
        let keys = reuse.into_keys();
        assert_eq!(
            keys.into_iter().collect::<Vec<_>>(),
            [(
                "a/index.html".to_string(),
                PageKeys {
                    key: "k1".to_string(),
                    inputs: "i1".to_string()
                }
            )]
        );
    }
}
