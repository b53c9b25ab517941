//! The reading stage's memory between two runs of `vitrine build`, under
//! `.vitrine-cache/lecture/`: each scenario source as the last successful build parsed and
//! validated it, with its body as rendered, so that a rebuild after an edit reads and renders
//! again only the sources that changed (`vitrine serve` keeps the same [`Caches`] in memory).
//!
//! The entries are spread over at most 256 files by a hash of their source's path: an edit
//! rewrites one small file, not the whole cache, and a load opens a few hundred files, not one
//! per source. An entry is taken only when what it depends on is the same: the source's bytes
//! (content hash), the settings that change parsing or rendering (the configuration's bytes,
//! the build options, the program itself) and, for the rendered body, the link table (its
//! fingerprint, compared by `prepare`). Anything else (an unreadable, truncated or older entry)
//! is a miss: the cache only saves time, it never fails a build.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::{CACHE_DIR, CONFIG_FILE};
use crate::content::discover::ScenarioSource;
use crate::content::{frontmatter, Metadata, Origine, Scenario, SourceEntry, Stamp};
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::site::options::BuildOptions;
use crate::site::prepare::Caches;
use crate::text::{BodyText, TextStore};

const FOLDER: &str = "lecture";
/// Bumped whenever an entry's layout or meaning changes; older entries are then misses.
const FORMAT: u32 = 4;
const EXTENSION: &str = "bin";
/// Hexadecimal digits of a path's hash that name its file: 256 files at most.
const SHARD_DIGITS: usize = 2;
const TEMP_EXTENSION: &str = "tmp";

/// The header of a cache file: the entries of the sources whose path hashes to its name.
/// The file is the header's length (8 bytes, little-endian), the header, then the HTML of the
/// bodies one after the other, then their plain texts: the entries locate their texts there,
/// so that a load reads the entries only, and a text is read when first used.
#[derive(Serialize, Deserialize)]
struct Shard<'a> {
    /// First, with `settings`: a file of another format or settings is left undecoded.
    format: u32,
    settings: [u8; 32],
    html_len: u64,
    plain_len: u64,
    entries: Vec<Entry<'a>>,
}

/// One source as stored. `Cow` lets the same type be written from borrowed data and read
/// into owned data.
#[derive(Serialize, Deserialize)]
struct Entry<'a> {
    /// BLAKE3 of the source file's bytes.
    content: [u8; 32],
    source: Cow<'a, ScenarioSource>,
    parsed: Parsed<'a>,
    comma_lists: Cow<'a, [Diagnostic]>,
    /// The body as rendered, with the fingerprint of the link table it was rendered with.
    rendered: Option<(u64, StoredRendered)>,
}

/// A rendered body without its texts, and where they are in the file.
#[derive(Serialize, Deserialize)]
struct StoredRendered {
    /// Start and length in the HTML part of the file.
    html: (u64, u64),
    /// Start and length in the plain-text part.
    plain_text: (u64, u64),
    /// Texts empty ([`Rendered::texts_apart`]).
    rest: Rendered,
}

#[derive(Serialize, Deserialize)]
enum Parsed<'a> {
    Valid(Box<StoredScenario<'a>>),
    Invalid(Cow<'a, [Diagnostic]>),
}

/// A scenario without its body: the body is cut again from the source, which is read anyway
/// to check its hash, instead of doubling the size of the cache.
#[derive(Serialize, Deserialize)]
struct StoredScenario<'a> {
    slug: Cow<'a, str>,
    source: Cow<'a, Path>,
    bundle_dir: Option<Cow<'a, Path>>,
    bundle_files: Cow<'a, [PathBuf]>,
    meta: Cow<'a, Metadata>,
    body_line: usize,
    origine: Option<Cow<'a, Origine>>,
}

impl<'a> StoredScenario<'a> {
    fn of(s: &'a Scenario) -> StoredScenario<'a> {
        StoredScenario {
            slug: Cow::Borrowed(&s.slug),
            source: Cow::Borrowed(&s.source),
            bundle_dir: s.bundle_dir.as_deref().map(Cow::Borrowed),
            bundle_files: Cow::Borrowed(&s.bundle_files),
            meta: Cow::Borrowed(&s.meta),
            body_line: s.body_line,
            origine: s.origine.as_ref().map(Cow::Borrowed),
        }
    }

    /// The scenario, with the body cut from `source` (the source file's bytes, whose hash
    /// matched): a slice, not a copy.
    fn into_scenario(self, source: &Bytes) -> Option<Scenario> {
        let text = simdutf8::basic::from_utf8(source).ok()?;
        let (range, body_line) = frontmatter::body_range(text)?;
        let body = BodyText::shared(source, range)?;
        // The same cut as when the entry was written: else the source is not what it says.
        (body_line == self.body_line).then_some(())?;
        Some(Scenario {
            slug: self.slug.into_owned(),
            source: self.source.into_owned(),
            bundle_dir: self.bundle_dir.map(Cow::into_owned),
            bundle_files: self.bundle_files.into_owned(),
            meta: self.meta.into_owned(),
            body,
            body_line,
            origine: self.origine.map(Cow::into_owned),
        })
    }
}

/// What this build took from the cache, to tell afterwards which entries changed.
pub struct Reading {
    root: PathBuf,
    dir: PathBuf,
    settings: [u8; 32],
    taken: HashMap<PathBuf, Taken>,
    /// How many entries each file read held: a file with entries not taken (a source gone or
    /// changed) is written again.
    stored: HashMap<String, usize>,
    /// Set when a text read from the cache was not the one stored there.
    damaged: Arc<AtomicBool>,
}

struct Taken {
    source: ScenarioSource,
    stamp: Option<Stamp>,
    content: [u8; 32],
    rendered: Option<Arc<Rendered>>,
}

/// The caches to prepare with: every stored entry whose source and settings are unchanged.
pub fn load(options: &BuildOptions) -> (Caches, Reading) {
    let dir = options.root.join(CACHE_DIR).join(FOLDER);
    let settings = settings_key(options);
    let files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == EXTENSION))
                .collect()
        })
        .unwrap_or_default();
    let damaged = Arc::new(AtomicBool::new(false));
    let shards: Vec<ShardRead> = files
        .par_iter()
        .filter_map(|file| read_shard(file, &settings, &damaged))
        .collect();
    let stored = shards
        .iter()
        .map(|s| (s.name.clone(), s.entries.len()))
        .collect();
    let found: Vec<Found> = shards
        .into_par_iter()
        .flat_map_iter(|shard| {
            let root = &options.root;
            let ShardRead {
                name,
                entries,
                texts,
            } = shard;
            entries
                .into_iter()
                .filter_map(move |entry| take(root, &name, &texts, entry))
        })
        .collect();
    let mut caches = Caches::default();
    let mut taken = HashMap::new();
    for found in found {
        let rendered = found.rendered.map(|(links, rendered)| {
            let rendered = Arc::new(rendered);
            if let Ok(scenario) = &found.result {
                caches.insert_markdown(Arc::clone(scenario), links, Arc::clone(&rendered));
            }
            rendered
        });
        caches.sources.insert(
            found.source.clone(),
            found.stamp,
            found.result,
            found.comma_lists,
        );
        let file = found.source.file.clone();
        let entry = Taken {
            source: found.source,
            stamp: found.stamp,
            content: found.content,
            rendered,
        };
        taken.insert(file, entry);
    }
    let reading = Reading {
        root: options.root.clone(),
        dir,
        settings,
        taken,
        stored,
        damaged,
    };
    (caches, reading)
}

/// A stored entry whose source still has the stored bytes.
struct Found {
    source: ScenarioSource,
    stamp: Option<Stamp>,
    content: [u8; 32],
    result: Result<Arc<Scenario>, Vec<Diagnostic>>,
    comma_lists: Vec<Diagnostic>,
    rendered: Option<(u64, Rendered)>,
}

/// A cache file as read: its name, its entries and where their texts are.
struct ShardRead {
    name: String,
    entries: Vec<Entry<'static>>,
    texts: Arc<ShardTexts>,
}

/// The HTML and plain-text parts of a cache file, read only when a text is first used (most
/// bodies of a rebuild are neither rendered nor indexed again). The file is opened for each
/// read rather than kept open (256 open files would be the whole allowance of some systems);
/// it is replaced only when the build that reads it commits, after its last read.
struct ShardTexts {
    file: PathBuf,
    /// Start and length of the HTML part in the file, then of the plain-text part.
    html: (u64, u64),
    plain: (u64, u64),
    /// Shared by every file of the load: set when a text read is not the one stored.
    damaged: Arc<AtomicBool>,
}

impl TextStore for ShardTexts {
    fn read(&self, range: Range<u64>) -> Option<Vec<u8>> {
        let mut file = fs::File::open(&self.file).ok()?;
        file.seek(SeekFrom::Start(range.start)).ok()?;
        let mut bytes = vec![0; usize::try_from(range.end.checked_sub(range.start)?).ok()?];
        file.read_exact(&mut bytes).ok()?;
        Some(bytes)
    }

    fn damaged(&self) {
        self.damaged.store(true, Ordering::SeqCst);
    }
}

/// The body of `stored` with its texts to be read from `texts`, when they lie in their parts.
fn with_stored_texts(texts: &Arc<ShardTexts>, stored: StoredRendered) -> Option<Rendered> {
    let within = |(part_start, part_len): (u64, u64), (start, len): (u64, u64)| {
        let end = start.checked_add(len)?;
        (end <= part_len).then(|| part_start + start..part_start + end)
    };
    let html = within(texts.html, stored.html)?;
    let plain = within(texts.plain, stored.plain_text)?;
    let store = || Arc::clone(texts) as Arc<dyn TextStore>;
    let html = BodyText::stored(store(), html, stored.rest.html_digest());
    let plain_text = BodyText::stored(store(), plain, stored.rest.text_digest());
    Some(stored.rest.with_texts(html, plain_text))
}

/// A cache file, when it is whole, of this format and settings: its entries, not its texts.
fn read_shard(file: &Path, settings: &[u8; 32], damaged: &Arc<AtomicBool>) -> Option<ShardRead> {
    let name = file.file_stem()?.to_str()?.to_string();
    let mut reader = fs::File::open(file).ok()?;
    let size = reader.metadata().ok()?.len();
    let header = read_part(&mut reader, 8)?;
    let header_len = u64::from_le_bytes(header.try_into().ok()?);
    if header_len > size {
        return None;
    }
    let header = read_part(&mut reader, header_len)?;
    let ((format, written_with), _) = postcard::take_from_bytes::<(u32, [u8; 32])>(&header).ok()?;
    if format != FORMAT || written_with != *settings {
        return None;
    }
    let shard: Shard = postcard::from_bytes(&header).ok()?;
    // The parts' lengths must add up to the file's: a truncated file is a miss.
    let total = [8, header_len, shard.html_len, shard.plain_len]
        .into_iter()
        .try_fold(0u64, u64::checked_add)?;
    if total != size {
        return None;
    }
    let html_start = 8 + header_len;
    let texts = ShardTexts {
        file: file.to_path_buf(),
        html: (html_start, shard.html_len),
        plain: (html_start + shard.html_len, shard.plain_len),
        damaged: Arc::clone(damaged),
    };
    Some(ShardRead {
        name,
        entries: shard.entries,
        texts: Arc::new(texts),
    })
}

/// The next `len` bytes of `reader`.
fn read_part(reader: &mut fs::File, len: u64) -> Option<Vec<u8>> {
    let mut bytes = vec![0; usize::try_from(len).ok()?];
    reader.read_exact(&mut bytes).ok()?;
    Some(bytes)
}

/// The entry, when its source still holds the bytes it was made from.
fn take(root: &Path, shard: &str, texts: &Arc<ShardTexts>, entry: Entry) -> Option<Found> {
    let source = entry.source.into_owned();
    // In the file named after its source: an entry copied elsewhere is not trusted.
    if shard_name(&source.file) != shard {
        return None;
    }
    // Stamped before reading: if the file changes after, the load sees another stamp.
    let path = root.join(&source.file);
    let stamp = Stamp::of(&path);
    let text = Bytes::from(fs::read(&path).ok()?);
    if *blake3::hash(&text).as_bytes() != entry.content {
        return None;
    }
    let result = match entry.parsed {
        Parsed::Valid(stored) => Ok(Arc::new(stored.into_scenario(&text)?)),
        Parsed::Invalid(problems) => Err(problems.into_owned()),
    };
    // A body whose texts cannot be read is rendered again.
    let rendered = entry
        .rendered
        .and_then(|(links, stored)| Some((links, with_stored_texts(texts, stored)?)));
    Some(Found {
        source,
        stamp,
        content: entry.content,
        result,
        comma_lists: entry.comma_lists.into_owned(),
        rendered,
    })
}

/// What a build depends on besides the sources: the configuration as written (vocabularies,
/// licence, iframes, link style…), the options and the program (a new version may parse or
/// render differently).
fn settings_key(options: &BuildOptions) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    crate::site::cache::hash_program(&mut hasher);
    let mut part = |bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    part(&FORMAT.to_le_bytes());
    part(options.cache_key().as_bytes());
    match fs::read(options.root.join(CONFIG_FILE)) {
        Ok(config) => part(&config),
        // Without a readable configuration the build stops anyway: nothing to match.
        Err(_) => part(b"absent"),
    }
    *hasher.finalize().as_bytes()
}

/// The cache file of a source: a hash of its path, so that any path gives a valid file name.
fn shard_name(source: &Path) -> String {
    let hash = blake3::hash(source.as_os_str().as_encoded_bytes());
    hash.to_hex()[..SHARD_DIGITS].to_string()
}

/// Cache files written next to the cache, taking their place only once the build succeeded.
pub struct Pending {
    dir: PathBuf,
    /// Temporary file → the cache file it replaces.
    written: Vec<(PathBuf, PathBuf)>,
    /// Names of the files holding this build's sources: the others are removed.
    current: HashSet<String>,
    damaged: Arc<AtomicBool>,
}

impl Reading {
    /// Whether a text read from the cache so far was not the one stored there (see
    /// [`Pending::damaged`]).
    pub fn damaged(&self) -> bool {
        self.damaged.load(Ordering::SeqCst)
    }

    /// Removes the whole cache (a damaged one).
    pub fn discard(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }

    /// Writes, beside the cache, the files holding a source that `caches` (as the preparation
    /// left them) parsed or rendered again, or a source gone; the others stay as they are.
    /// An entry that cannot be written is left out: the next build reads its source again.
    pub fn stage(self, caches: &Caches) -> Pending {
        let mut shards: HashMap<String, Vec<SourceEntry>> = HashMap::new();
        for entry in caches.sources.entries() {
            shards
                .entry(shard_name(&entry.source.file))
                .or_default()
                .push(entry);
        }
        let changed: Vec<(&String, &Vec<SourceEntry>)> = shards
            .iter()
            .filter(|(name, entries)| !self.unchanged(name, entries, caches))
            .collect();
        if !changed.is_empty() {
            let _ = fs::create_dir_all(&self.dir);
        }
        let written = changed
            .par_iter()
            .filter_map(|(name, entries)| self.write_temporary(name, entries, caches))
            .collect();
        Pending {
            dir: self.dir,
            written,
            current: shards.into_keys().collect(),
            damaged: self.damaged,
        }
    }

    /// Whether the file `name` already holds exactly these entries, as the preparation used
    /// them.
    fn unchanged(&self, name: &str, entries: &[SourceEntry], caches: &Caches) -> bool {
        self.stored.get(name) == Some(&entries.len())
            && entries.iter().all(|e| self.entry_unchanged(e, caches))
    }

    /// Whether the stored entry of this source is still what the preparation used: the same
    /// parse (the load found the stamp the cache was given) and the same rendered body.
    fn entry_unchanged(&self, entry: &SourceEntry, caches: &Caches) -> bool {
        let Some(taken) = self.taken.get(&entry.source.file) else {
            return false;
        };
        let parsed_again =
            taken.stamp.is_none() || taken.stamp != entry.stamp || taken.source != *entry.source;
        let rendered = match entry.result {
            Ok(scenario) => caches.markdown_of(scenario).map(|(_, r)| r),
            Err(_) => None,
        };
        let same_body = match (&taken.rendered, rendered) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        !parsed_again && same_body
    }

    /// The file `name` with these entries, written to a temporary file; its path and the
    /// cache file's path.
    fn write_temporary(
        &self,
        name: &str,
        entries: &[SourceEntry],
        caches: &Caches,
    ) -> Option<(PathBuf, PathBuf)> {
        let mut html = Vec::new();
        let mut plain = Vec::new();
        let entries = entries
            .iter()
            .filter_map(|e| self.stored_entry(e, caches, &mut html, &mut plain))
            .collect();
        let shard = Shard {
            format: FORMAT,
            settings: self.settings,
            html_len: html.len() as u64,
            plain_len: plain.len() as u64,
            entries,
        };
        let header = postcard::to_allocvec(&shard).ok()?;
        let target = self.dir.join(format!("{name}.{EXTENSION}"));
        let temporary = self.dir.join(format!("{name}.{TEMP_EXTENSION}"));
        let mut file = io::BufWriter::new(fs::File::create(&temporary).ok()?);
        for part in [
            &(header.len() as u64).to_le_bytes()[..],
            &header,
            &html,
            &plain,
        ] {
            file.write_all(part).ok()?;
        }
        file.flush().ok()?;
        Some((temporary, target))
    }

    /// The entry of a source, its body's texts appended to `html` and `plain`.
    fn stored_entry<'a>(
        &self,
        entry: &SourceEntry<'a>,
        caches: &'a Caches,
        html: &mut Vec<u8>,
        plain: &mut Vec<u8>,
    ) -> Option<Entry<'a>> {
        let content = self.content_hash(entry)?;
        let (parsed, rendered) = match entry.result {
            Ok(scenario) => (
                Parsed::Valid(Box::new(StoredScenario::of(scenario))),
                caches
                    .markdown_of(scenario)
                    .and_then(|(links, r)| Some((links, stored_rendered(r, html, plain)?))),
            ),
            Err(problems) => (Parsed::Invalid(Cow::Borrowed(problems)), None),
        };
        Some(Entry {
            content,
            source: Cow::Borrowed(entry.source),
            parsed,
            comma_lists: Cow::Borrowed(entry.comma_lists),
            rendered,
        })
    }

    /// The hash of the bytes the preparation read from this source: known when the entry was
    /// taken from the cache, else read again, trusted only if the file kept the stamp it had
    /// before the preparation read it.
    fn content_hash(&self, entry: &SourceEntry) -> Option<[u8; 32]> {
        if let Some(taken) = self.taken.get(&entry.source.file) {
            if taken.stamp.is_some() && taken.stamp == entry.stamp {
                return Some(taken.content);
            }
        }
        let path = self.root.join(&entry.source.file);
        let bytes = fs::read(&path).ok()?;
        let stamp = Stamp::of(&path);
        (stamp.is_some() && stamp == entry.stamp).then(|| *blake3::hash(&bytes).as_bytes())
    }
}

/// A body without its texts, appended to `html` and `plain`; `None` when a text kept from the
/// previous build cannot be read.
fn stored_rendered(
    rendered: &Rendered,
    html: &mut Vec<u8>,
    plain: &mut Vec<u8>,
) -> Option<StoredRendered> {
    let (html_text, plain_text, rest) = rendered.texts_apart();
    let (html_text, plain_text) = (html_text.try_str()?, plain_text.try_str()?);
    Some(StoredRendered {
        html: append(html, html_text),
        plain_text: append(plain, plain_text),
        rest,
    })
}

/// Appends `text` to `part`: its start and length there.
fn append(part: &mut Vec<u8>, text: &str) -> (u64, u64) {
    let start = part.len() as u64;
    part.extend_from_slice(text.as_bytes());
    (start, text.len() as u64)
}

impl Pending {
    /// Whether a text read from the cache during this build was not the one stored there (a
    /// damaged disk, a file changed in place): it was given as empty, so the pages and index
    /// made with it must not be published, and the cache is not to be used again.
    pub fn damaged(&self) -> bool {
        self.damaged.load(Ordering::SeqCst)
    }

    /// Removes the whole cache (a damaged one, see [`Pending::damaged`]).
    pub fn discard(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }

    /// Puts the written entries in place and removes those of sources gone (the build
    /// succeeded). Failing only costs the next build time.
    pub fn commit(mut self) {
        for (temporary, target) in std::mem::take(&mut self.written) {
            if fs::rename(&temporary, &target).is_err() {
                let _ = fs::remove_file(&temporary);
            }
        }
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            let kept = path.extension().is_some_and(|e| e == EXTENSION)
                && path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .is_some_and(|s| self.current.contains(s));
            if !kept {
                let _ = fs::remove_file(&path);
            }
        }
    }
}

/// A build that stops before [`Pending::commit`] leaves the cache as it was.
impl Drop for Pending {
    fn drop(&mut self) {
        for (temporary, _) in &self.written {
            let _ = fs::remove_file(temporary);
        }
    }
}
