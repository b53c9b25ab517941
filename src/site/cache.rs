//! What a build remembers for the next one, in `.vitrine-cache/construction.json`:
//!
//! - a content hash of every input (sources, configuration, themes, harvested catalogues,
//!   options and the program itself): when nothing changed and the published folder is still
//!   the one this build wrote, the next build has nothing to do;
//! - a content hash of the documents given to the search index, with the related scenarios
//!   computed from it: when only pages changed (a template, the configuration), the tantivy
//!   index is reused instead of rebuilt;
//! - a content hash of each of these documents and the parts the index is made of (see
//!   [`IndexParts`]): when some scenarios changed, only the parts holding them are indexed
//!   again.
//!
//! Reusing is safe because a build is deterministic: the same inputs give the same output,
//! byte for byte (tests check that a cached rebuild equals a clean one).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::config::CONFIG_FILE;

/// Bumped whenever the record's meaning changes; an older record is ignored.
const RECORD_VERSION: u32 = 3;
const RECORD_FILE: &str = "construction.json";

/// Folders of the site root whose files are inputs of a build. The root itself is not walked:
/// the site may live in a repository with other, huge folders (target/, node_modules/).
const INPUT_FOLDERS: &[&str] = &["content", "themes", "templates", "static"];
/// Harvested catalogues (`vitrine harvest`), under the cache folder.
const HARVEST_FOLDER: &str = "moisson";

/// One published file as this build left it, to tell whether the folder was touched since,
/// and which files the next build may take over unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub size: u64,
    pub modified_ns: u128,
    /// Content hash of the file as the build wrote it (see [`content_hash`]); absent for the
    /// files kept from the previous output (`.gitkeep`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

impl Published {
    /// Size and modification time of a file, without a hash.
    pub fn of(metadata: &fs::Metadata) -> Published {
        Published {
            size: metadata.len(),
            modified_ns: modified_ns(metadata),
            hash: None,
        }
    }

    /// Same size and modification time: the file was not touched since it was recorded.
    pub fn same_stamp(&self, other: &Published) -> bool {
        self.size == other.size && self.modified_ns == other.modified_ns
    }
}

pub use crate::publish::content_hash;

/// Size and modification time of one file, if it is a regular file.
pub fn stamp(path: &Path) -> Option<Published> {
    let metadata = fs::symlink_metadata(path).ok()?;
    metadata.is_file().then(|| Published::of(&metadata))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildRecord {
    pub version: u32,
    /// Hash of every input of the build.
    pub inputs: String,
    /// Hash of the search index documents.
    pub index_docs: String,
    /// The parts of the index and the hash of each document.
    pub index_parts: IndexParts,
    pub related: BTreeMap<String, Vec<String>>,
    /// What the related scenarios were computed from (see `index::related`), to compute again
    /// only the lists an edit may change.
    #[serde(default)]
    pub related_memos: crate::index::Memos,
    pub scenarios: usize,
    pub drafts_excluded: usize,
    pub harvested: usize,
    /// Warnings of the build: a build with warnings is never skipped, so they show again.
    pub warnings: usize,
    pub html_pages: usize,
    pub files: usize,
    /// The output folder this record describes.
    pub output: PathBuf,
    /// Slug of each document of the search bundle, by ordinal: with the documents' hashes
    /// (`index_parts`), which texts of the bundle the next build can keep as they are.
    #[serde(default)]
    pub text_order: Vec<String>,
    /// Every file of the output folder, by path relative to it (`/`-separated).
    pub published: BTreeMap<String, Published>,
    /// Every file of the reserve beside the output (the site the last build replaced, see
    /// [`crate::site::reserve`]); `None` when there is no reserve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserve: Option<BTreeMap<String, Published>>,
}

/// Hash of everything a build reads, plus `options` (a string describing the build options
/// that change the output) and the running program (a new version may render differently).
pub fn inputs_hash(root: &Path, cache_dir: &Path, options: &str) -> io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update(options.as_bytes());
    hash_program(&mut hasher);
    hash_file(&mut hasher, root, &root.join(CONFIG_FILE))?;
    for folder in INPUT_FOLDERS {
        hash_tree(&mut hasher, root, &root.join(folder))?;
    }
    hash_tree(&mut hasher, root, &cache_dir.join(HARVEST_FOLDER))?;
    Ok(hasher.finalize().to_hex().to_string())
}

/// Hash of the documents of the search index, from the hash of each (in slug order, see
/// `site::indexing::index_doc_key`): equal hashes give the same index.
pub fn index_docs_hash<'a>(hashes: impl Iterator<Item = (&'a String, &'a String)>) -> String {
    let mut hasher = blake3::Hasher::new();
    for (slug, hash) in hashes {
        for value in [slug, hash] {
            hasher.update(&(value.len() as u64).to_le_bytes());
            hasher.update(value.as_bytes());
        }
    }
    hasher.finalize().to_hex().to_string()
}

/// Most documents per part of the index. An edit indexes again the part of the edited
/// scenario, then merges every part: smaller parts make the first step cheaper and the merge
/// of more segments dearer.
pub const PART_DOCS: usize = 500;

/// Fewest parts a site is cut into when it has enough documents (a small site still gets
/// several parts, so that its updates exercise what a large site's do). Each part costs a
/// tantivy segment writer (its term table alone is about 10 MB, zeroed) and a commit: with
/// 20 parts, the index of 1,000 scenarios took 0.46 s, with 8 parts 0.35 s.
const MIN_PARTS: usize = 8;

/// Fewest documents per part.
const MIN_PART_DOCS: usize = 4;

/// The index of the site is made of parts, each holding the documents of a range of slugs
/// in a segment of its own (`crate::index::SearchIndex::build_parts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexParts {
    /// The first slug of each part's range (the first is empty: every slug has a part); a
    /// part ends where the next begins.
    pub starts: Vec<String>,
    /// Key of each document, by slug (`site::indexing::index_doc_key`).
    pub hashes: BTreeMap<String, String>,
    /// Most documents per part: a part that grows past it is cut when it is indexed again.
    pub size: usize,
}

/// What to index again to update the index: the documents to delete and the parts to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartsUpdate {
    /// Every document of the parts that changed, as the previous build indexed them.
    pub stale: Vec<String>,
    /// The slugs of each part to index, in slug order.
    pub parts: Vec<Vec<String>>,
    /// The parts of the updated index.
    pub starts: Vec<String>,
}

impl IndexParts {
    /// Parts for a full build of the documents of `hashes`: [`MIN_PARTS`] parts, of
    /// [`MIN_PART_DOCS`] to [`PART_DOCS`] documents each.
    pub fn new(hashes: BTreeMap<String, String>) -> IndexParts {
        let size = (hashes.len() / MIN_PARTS).clamp(MIN_PART_DOCS, PART_DOCS);
        let slugs: Vec<&String> = hashes.keys().collect();
        let starts = part_starts(String::new(), &slugs, size);
        IndexParts {
            starts,
            hashes,
            size,
        }
    }

    /// The slugs of each part, in order.
    pub fn parts(&self) -> Vec<Vec<String>> {
        (0..self.starts.len())
            .map(|i| {
                self.in_part(&self.hashes, i)
                    .map(|(slug, _)| slug.clone())
                    .collect()
            })
            .collect()
    }

    /// What changes from these parts to the documents of `hashes`: every part holding a
    /// document added, removed or changed is indexed again whole (split if it grew past
    /// [`PART_DOCS`]); `None` when these parts cannot be updated (none recorded).
    pub fn update(&self, hashes: &BTreeMap<String, String>) -> Option<PartsUpdate> {
        if self.size == 0 || self.starts.first().is_none_or(|first| !first.is_empty()) {
            return None;
        }
        let mut update = PartsUpdate {
            stale: Vec::new(),
            parts: Vec::new(),
            starts: Vec::new(),
        };
        for (i, start) in self.starts.iter().enumerate() {
            let old = self.in_part(&self.hashes, i);
            if old.clone().eq(self.in_part(hashes, i)) {
                update.starts.push(start.clone());
                continue;
            }
            update.stale.extend(old.map(|(slug, _)| slug.clone()));
            let slugs: Vec<&String> = self.in_part(hashes, i).map(|(slug, _)| slug).collect();
            update
                .starts
                .extend(part_starts(start.clone(), &slugs, self.size));
            update.parts.extend(
                slugs
                    .chunks(self.size)
                    .map(|chunk| chunk.iter().map(|s| s.to_string()).collect()),
            );
        }
        Some(update)
    }

    /// The entries of `hashes` in part `i`.
    fn in_part<'a>(
        &self,
        hashes: &'a BTreeMap<String, String>,
        i: usize,
    ) -> std::collections::btree_map::Range<'a, String, String> {
        use std::ops::Bound;
        let start = Bound::Included(self.starts[i].clone());
        let end = match self.starts.get(i + 1) {
            Some(next) => Bound::Excluded(next.clone()),
            None => Bound::Unbounded,
        };
        hashes.range((start, end))
    }
}

/// The starts of the parts of `size` documents cut from `slugs` (sorted), the first being
/// `first` (the start of the range they cover).
fn part_starts(first: String, slugs: &[&String], size: usize) -> Vec<String> {
    let mut starts = vec![first];
    starts.extend(slugs.chunks(size).skip(1).map(|chunk| chunk[0].to_string()));
    starts
}

/// The program's identity: its version, size and modification time (hashing a 30 MB
/// executable on each build would cost more than it saves). Every cache of the build keys on it:
/// a new vitrine may parse or render differently.
pub fn hash_program(hasher: &mut blake3::Hasher) {
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    let stamp = std::env::current_exe()
        .and_then(fs::metadata)
        .map(|m| (m.len(), modified_ns(&m)))
        .unwrap_or((0, 0));
    hasher.update(&stamp.0.to_le_bytes());
    hasher.update(&stamp.1.to_le_bytes());
}

/// [`hash_program`] on its own, to be mixed into many hashes at the cost of one.
pub fn program_identity() -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    hash_program(&mut hasher);
    *hasher.finalize().as_bytes()
}

fn hash_tree(hasher: &mut blake3::Hasher, root: &Path, dir: &Path) -> io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in WalkDir::new(dir).follow_links(false) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file() || entry.file_type().is_symlink() {
            files.push(entry.into_path());
        }
    }
    files.sort();
    // Files are read and hashed on every core, then combined in path order.
    let digests: Vec<io::Result<blake3::Hash>> = files
        .par_iter()
        .map(|file| {
            let mut one = blake3::Hasher::new();
            hash_file(&mut one, root, file)?;
            Ok(one.finalize())
        })
        .collect();
    for digest in digests {
        hasher.update(digest?.as_bytes());
    }
    Ok(())
}

fn hash_file(hasher: &mut blake3::Hasher, root: &Path, file: &Path) -> io::Result<()> {
    let name = file.strip_prefix(root).unwrap_or(file).to_string_lossy();
    hasher.update(&(name.len() as u64).to_le_bytes());
    hasher.update(name.as_bytes());
    match fs::read(file) {
        Ok(bytes) => {
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
        // A missing file (no configuration, a broken link) is an input state too.
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            hasher.update(b"absent");
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

fn modified_ns(metadata: &fs::Metadata) -> u128 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Every file of the output folder with its size and modification time (tests compare it
/// with what a build noted while writing).
#[cfg(test)]
pub fn published_files(output: &Path) -> io::Result<BTreeMap<String, Published>> {
    let paths = listed_files(output).ok_or_else(|| io::Error::other("walk"))?;
    paths
        .into_iter()
        .map(|path| {
            let metadata = fs::symlink_metadata(output.join(&path))?;
            Ok((path, Published::of(&metadata)))
        })
        .collect()
}

/// Paths of every file under `output` (relative, `/`-separated, sorted), listed without a
/// `stat` per file; `None` if the folder cannot be read.
fn listed_files(output: &Path) -> Option<Vec<String>> {
    let mut paths = Vec::new();
    for entry in WalkDir::new(output).follow_links(false) {
        let entry = entry.ok()?;
        if !entry.file_type().is_dir() {
            paths.push(relative_path(output, entry.path()));
        }
    }
    paths.sort();
    Some(paths)
}

/// `path` relative to `output`, `/`-separated.
fn relative_path(output: &Path, path: &Path) -> String {
    path.strip_prefix(output)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

pub fn load(cache_dir: &Path) -> Option<BuildRecord> {
    let bytes = fs::read(cache_dir.join(RECORD_FILE)).ok()?;
    let record: BuildRecord = serde_json::from_slice(&bytes).ok()?;
    (record.version == RECORD_VERSION).then_some(record)
}

/// Saves the record (written aside then renamed: a torn record would be ignored anyway, but
/// never half-read).
pub fn save(cache_dir: &Path, record: &BuildRecord) -> io::Result<()> {
    fs::create_dir_all(cache_dir)?;
    let bytes = serde_json::to_vec(record).map_err(io::Error::other)?;
    let temporary = cache_dir.join(format!("{RECORD_FILE}.tmp"));
    fs::write(&temporary, bytes)?;
    fs::rename(&temporary, cache_dir.join(RECORD_FILE))
}

/// Forgets the record (before a build writes a new output, so an interrupted build is never
/// taken for a finished one).
pub fn forget(cache_dir: &Path) {
    let _ = fs::remove_file(cache_dir.join(RECORD_FILE));
}

impl BuildRecord {
    pub fn new(inputs: String, index_docs: String) -> BuildRecord {
        BuildRecord {
            version: RECORD_VERSION,
            inputs,
            index_docs,
            index_parts: IndexParts::default(),
            related: BTreeMap::new(),
            related_memos: BTreeMap::new(),
            scenarios: 0,
            drafts_excluded: 0,
            harvested: 0,
            warnings: 0,
            html_pages: 0,
            files: 0,
            output: PathBuf::new(),
            text_order: Vec::new(),
            published: BTreeMap::new(),
            reserve: None,
        }
    }

    /// True when `output` is still exactly the folder this record describes: the same files,
    /// each with the size and date it was recorded with. Listing the folder needs no `stat`
    /// per file; the `stat`s then run on every core.
    pub fn output_unchanged(&self, output: &Path) -> bool {
        if self.output != output {
            return false;
        }
        let Some(paths) = listed_files(output) else {
            return false;
        };
        paths.len() == self.published.len()
            && paths.iter().eq(self.published.keys())
            && self.published.par_iter().all(|(path, recorded)| {
                stamp(&output.join(path)).is_some_and(|now| now.same_stamp(recorded))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("content/scenarios")).expect("mkdir");
        fs::write(dir.path().join(CONFIG_FILE), "titre: Essai\n").expect("write");
        fs::write(dir.path().join("content/scenarios/a.md"), "---\n---\n").expect("write");
        dir
    }

    #[test]
    fn inputs_hash_changes_with_content_options_and_harvest() {
        let dir = site();
        let root = dir.path();
        let cache = root.join(".vitrine-cache");
        let first = inputs_hash(root, &cache, "").expect("hash");
        assert_eq!(first, inputs_hash(root, &cache, "").expect("hash"));
        assert_ne!(first, inputs_hash(root, &cache, "--drafts").expect("hash"));
        fs::write(root.join("content/scenarios/a.md"), "---\n---\nTexte\n").expect("write");
        let edited = inputs_hash(root, &cache, "").expect("hash");
        assert_ne!(first, edited);
        fs::create_dir_all(cache.join(HARVEST_FOLDER)).expect("mkdir");
        fs::write(cache.join(HARVEST_FOLDER).join("a.json"), "{}").expect("write");
        assert_ne!(edited, inputs_hash(root, &cache, "").expect("hash"));
        // Other folders of the root are not inputs.
        fs::create_dir_all(root.join("target")).expect("mkdir");
        fs::write(root.join("target/x"), "x").expect("write");
        fs::remove_dir_all(cache.join(HARVEST_FOLDER)).expect("rm");
        assert_eq!(edited, inputs_hash(root, &cache, "").expect("hash"));
    }

    #[test]
    fn record_round_trips_and_detects_a_touched_output() {
        let dir = site();
        let cache = dir.path().join(".vitrine-cache");
        let output = dir.path().join("public");
        fs::create_dir_all(output.join("a")).expect("mkdir");
        fs::write(output.join("a/index.html"), "<p>a</p>").expect("write");
        let mut record = BuildRecord::new("x".into(), "y".into());
        record.output = output.clone();
        record.published = published_files(&output).expect("walk");
        save(&cache, &record).expect("save");
        let loaded = load(&cache).expect("load");
        assert_eq!(loaded, record);
        assert!(loaded.output_unchanged(&output));
        fs::write(output.join("b.html"), "ajouté").expect("write");
        assert!(!loaded.output_unchanged(&output), "a file was added");
        fs::remove_file(output.join("b.html")).expect("rm");
        assert!(loaded.output_unchanged(&output));
        fs::write(output.join("a/index.html"), "<p>changé</p>").expect("write");
        assert!(!loaded.output_unchanged(&output));
        forget(&cache);
        assert!(load(&cache).is_none());
    }

    fn hashes(slugs: &[&str]) -> BTreeMap<String, String> {
        slugs
            .iter()
            .map(|slug| (slug.to_string(), format!("h-{slug}")))
            .collect()
    }

    #[test]
    fn index_parts_cut_a_site_in_ranges_of_slugs() {
        let slugs: Vec<String> = (0..10).map(|i| format!("s{i:02}")).collect();
        let refs: Vec<&str> = slugs.iter().map(String::as_str).collect();
        let parts = IndexParts::new(hashes(&refs));
        assert_eq!(parts.size, MIN_PART_DOCS);
        assert_eq!(parts.starts, ["", "s04", "s08"]);
        assert_eq!(parts.parts()[1], ["s04", "s05", "s06", "s07"]);
        assert_eq!(parts.parts()[2], ["s08", "s09"]);
        let large: BTreeMap<String, String> = (0..100_000)
            .map(|i| (format!("s{i:06}"), String::new()))
            .collect();
        assert_eq!(IndexParts::new(large).size, PART_DOCS);
    }

    #[test]
    fn an_update_indexes_again_the_parts_that_changed() {
        let slugs: Vec<String> = (0..10).map(|i| format!("s{i:02}")).collect();
        let refs: Vec<&str> = slugs.iter().map(String::as_str).collect();
        let parts = IndexParts::new(hashes(&refs));
        let same = parts.update(&parts.hashes).expect("update");
        assert!(same.stale.is_empty() && same.parts.is_empty());
        assert_eq!(same.starts, parts.starts);

        // s05 edited, s09 deleted, « a » added before every slug.
        let mut now = parts.hashes.clone();
        now.insert("s05".into(), "changé".into());
        now.remove("s09");
        now.insert("a".into(), "nouveau".into());
        let update = parts.update(&now).expect("update");
        assert_eq!(
            update.stale,
            ["s00", "s01", "s02", "s03", "s04", "s05", "s06", "s07", "s08", "s09"]
        );
        assert_eq!(
            update.parts,
            vec![
                vec!["a", "s00", "s01", "s02"],
                vec!["s03"],
                vec!["s04", "s05", "s06", "s07"],
                vec!["s08"],
            ]
        );
        // The part that grew is cut in two; the others keep their start.
        assert_eq!(update.starts, ["", "s03", "s04", "s08"]);

        let edited_only = {
            let mut now = parts.hashes.clone();
            now.insert("s06".into(), "changé".into());
            parts.update(&now).expect("update")
        };
        assert_eq!(edited_only.stale, ["s04", "s05", "s06", "s07"]);
        assert_eq!(edited_only.parts, vec![vec!["s04", "s05", "s06", "s07"]]);
        assert_eq!(edited_only.starts, parts.starts);
    }

    #[test]
    fn parts_without_a_record_cannot_be_updated() {
        assert!(IndexParts::default().update(&hashes(&["a"])).is_none());
    }
}
