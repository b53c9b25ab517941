//! Pages a rebuild need not render again. A page is the theme's template filled with its
//! context, and nothing else: equal theme, template name and context give equal bytes. Every
//! value put in a page's context goes through [`PageContext::insert`], which also keeps its
//! serialization, so the page's key (their hash) covers all that its rendering reads besides
//! the theme; the theme, the configuration and the program are the build's concern (one key
//! for the whole site, see `site::page_record`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

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
        let mut part = |bytes: &[u8]| {
            // Lengths first: no two different contexts hash the same bytes.
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        };
        part(template.as_bytes());
        for (name, json) in &self.serialized {
            part(name.as_bytes());
            part(json);
        }
        hasher.finalize().to_hex().to_string()
    }
}

/// What the previous build recorded of one page: the key of its rendering and the hash of
/// the bytes it published (as the build record's `hash` of that file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedPage {
    pub key: String,
    pub hash: String,
}

/// Keeps a file of the previous output at an output path when it still holds the bytes of
/// `hash`, exactly as writing those bytes would; false when it cannot (the page is then
/// rendered and written).
pub type KeepFile<'a> = dyn Fn(&str, &str) -> Result<bool, Diagnostic> + Sync + 'a;

/// The pages of the previous build and how to keep their files; notes this build's keys.
pub struct Reuse<'a> {
    previous: BTreeMap<String, RecordedPage>,
    keep: &'a KeepFile<'a>,
    keys: Mutex<BTreeMap<String, String>>,
    rendered: AtomicUsize,
}

impl<'a> Reuse<'a> {
    /// `previous`: output path → page as the previous build recorded it (empty: render all).
    pub fn new(previous: BTreeMap<String, RecordedPage>, keep: &'a KeepFile<'a>) -> Reuse<'a> {
        Reuse {
            previous,
            keep,
            keys: Mutex::new(BTreeMap::new()),
            rendered: AtomicUsize::new(0),
        }
    }

    /// Whether the page at `path`, whose context gives `key`, was kept from the previous
    /// output; otherwise it counts as rendered.
    pub(super) fn kept(&self, path: &str, key: String) -> Result<bool, Diagnostic> {
        let same = self.previous.get(path).filter(|page| page.key == key);
        if let Ok(mut keys) = self.keys.lock() {
            keys.insert(path.to_string(), key);
        }
        if let Some(page) = same {
            if (self.keep)(path, &page.hash)? {
                return Ok(true);
            }
        }
        self.rendered.fetch_add(1, Ordering::Relaxed);
        Ok(false)
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

    /// Output path → key of every page of this build.
    pub fn into_keys(self) -> BTreeMap<String, String> {
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

    #[test]
    fn a_page_is_kept_only_with_its_key_and_when_its_file_is_kept() {
        let previous = BTreeMap::from([
            (
                "a/index.html".to_string(),
                RecordedPage {
                    key: "k1".to_string(),
                    hash: "h1".to_string(),
                },
            ),
            (
                "b/index.html".to_string(),
                RecordedPage {
                    key: "k2".to_string(),
                    hash: "gone".to_string(),
                },
            ),
        ]);
        let asked = Mutex::new(Vec::new());
        let keep = |path: &str, hash: &str| {
            asked.lock().expect("lock").push(path.to_string());
            Ok(hash != "gone")
        };
        let reuse = Reuse::new(previous, &keep);
        assert!(reuse.kept("a/index.html", "k1".to_string()).expect("a"));
        assert!(!reuse.kept("b/index.html", "k2".to_string()).expect("b"));
        assert!(!reuse.kept("a2/index.html", "k1".to_string()).expect("new"));
        assert_eq!(reuse.rendered(), 2);
        assert_eq!(
            *asked.lock().expect("lock"),
            ["a/index.html", "b/index.html"],
            "the file is asked for only when the key is the same"
        );
        let keys = reuse.into_keys();
        assert_eq!(keys.len(), 3);
        assert_eq!(keys["a2/index.html"], "k1");
    }
}
