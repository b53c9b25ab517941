//! Writing the output atomically: the build goes to a staging folder beside the output, which
//! takes the place of the published folder only once everything is written, in one step where
//! the system allows it (Linux `renameat2` with `RENAME_EXCHANGE`). A failed build leaves the
//! previous site untouched; a build interrupted between two steps is repaired by the next one
//! ([`recover`]) before it does anything else.
//!
//! A file whose content is the same as in the previous output is not written again: the
//! staging folder gets a hard link to the published file. Creating and deleting tens of
//! thousands of files is the dearest part of a rebuild on many disks, and unchanged files keep
//! their date, so that `rsync` and other deployment tools only send what changed.
//!
//! The site replaced by a build is not deleted but kept beside the output as the *reserve*
//! (see [`crate::site::reserve`]): the next build starts its staging folder from it and only
//! writes, links or deletes the files that differ. An edit then touches a few files instead of
//! creating and deleting tens of thousands of folders and links, which on ext4 without journal
//! also slows every later file creation (BENCHMARKS.md).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::diagnostics::{self, Diagnostic, ErrorKind};
use crate::site::cache::{self, Published};
use crate::site::destination::{self, MARKER, MARKER_TEXT};
use crate::site::reserve;

/// Files kept from the previous output (the repository's keep file for `public/`).
const PRESERVED: &[&str] = &[".gitkeep"];

pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Folders already created: tens of thousands of pages each live in their own folder,
    /// and asking the file system again for each file doubled the number of system calls.
    created: Mutex<HashSet<PathBuf>>,
    /// Files of the previous output as the previous build recorded them.
    previous: BTreeMap<String, Published>,
    /// Every file written or linked, as the next build will find it (size, date, hash):
    /// noted as it is written, which spares a walk of the whole output afterwards.
    written: Mutex<HashMap<String, Published>>,
    reused: AtomicUsize,
    /// A write failed (disk full…): the build is lost, the other writes give up at once.
    failed: AtomicBool,
    /// `build --compresser`: a `.gz` copy beside each text file, for `gzip_static`.
    compress: bool,
    /// Files already in the staging folder, which started from the reserve: the site before
    /// the published one, as its build recorded it (empty for a fresh staging folder).
    kept: BTreeMap<String, Published>,
    /// Files written (not kept nor linked), the work an edit is measured by.
    written_count: AtomicUsize,
    /// Whether the replaced site becomes the next build's reserve (see [`Staging::reusing`]).
    keep_reserve: bool,
    /// The mode the staging folder gets when it is published: the published folder's own,
    /// or a new folder's (see [`reserve::make_private`]).
    publish_mode: Option<reserve::FolderMode>,
    /// A reserve no record vouched for, being deleted beside the build: waited for before the
    /// build returns, so that nothing of it outlives the build.
    discarding: reserve::Discarding,
}

impl Staging {
    /// Creates an empty staging folder next to `output` (same file system, so the final swap
    /// is a rename). `previous` lists the files of the current output as the previous build
    /// recorded them (empty for a first build): those still untouched may be reused.
    pub fn create(
        output: &Path,
        previous: BTreeMap<String, Published>,
    ) -> Result<Staging, Diagnostic> {
        Staging::reusing(output, previous, None)
    }

    /// [`Staging::create`] starting from the reserve left by the previous build, whose files
    /// `reserve` lists as recorded (empty: no usable record, the reserve is deleted); with
    /// `Some`, the site this build replaces is kept as the next reserve.
    pub fn reusing(
        output: &Path,
        previous: BTreeMap<String, Published>,
        reserve: Option<BTreeMap<String, Published>>,
    ) -> Result<Staging, Diagnostic> {
        let error = |e: std::io::Error| output_error(output, &e);
        let dir = sibling(output, STAGING);
        remove_leftover(&dir).map_err(error)?;
        let keep_reserve = reserve.is_some();
        let (kept, discarding) =
            reserve::take(&sibling(output, RESERVE), &dir, reserve).map_err(error)?;
        fs::create_dir_all(&dir).map_err(error)?;
        let publish_mode = reserve::folder_mode(output).or_else(|| reserve::folder_mode(&dir));
        reserve::make_private(&dir).map_err(error)?;
        let staging = Staging {
            output: output.to_path_buf(),
            dir,
            created: Mutex::new(HashSet::new()),
            previous,
            written: Mutex::new(HashMap::new()),
            reused: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
            compress: false,
            kept,
            written_count: AtomicUsize::new(0),
            keep_reserve,
            publish_mode,
            discarding,
        };
        staging.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Writes a `.gz` copy beside every text file written from now on (see [`compressible`]).
    pub fn compressing(mut self, on: bool) -> Staging {
        self.compress = on;
        self
    }

    /// Writes one file, `path` being relative and `/`-separated, and its `.gz` copy when the
    /// staging compresses. This is the one place where compressed copies are made, so that
    /// every output (pages, exports, search data, theme assets) gets them alike.
    pub fn write(&self, path: &str, contents: &[u8]) -> Result<(), Diagnostic> {
        let origin = self.write_one(path, contents)?;
        if !self.compress || !compressible(path) {
            return Ok(());
        }
        let gz = format!("{path}.gz");
        // Same bytes as a recorded file, same compressed copy: linked without compressing.
        let recorded = match origin {
            Origin::Linked => Some(&self.previous),
            Origin::Kept => Some(&self.kept),
            Origin::Written => None,
        };
        if let Some(recorded) = recorded {
            if self.relink(&gz, recorded)? {
                return Ok(());
            }
        }
        let compressed = gzip(contents).map_err(|e| self.failure(&e))?;
        self.write_one(&gz, &compressed).map(|_| ())
    }

    /// Takes the previous output's file at `path` as a [`Staging::write`] of its bytes would,
    /// when the previous build published there the bytes of `hash` (see
    /// [`cache::content_hash`]) and both the file and its compressed copy can be kept (same
    /// counts, same record); false when they cannot, and the caller writes the bytes.
    pub fn keep(&self, path: &str, hash: &str) -> Result<bool, Diagnostic> {
        let published = self.previous.get(path).and_then(|r| r.hash.as_deref());
        if published != Some(hash) {
            return Ok(false);
        }
        let Some(origin) = self.keep_one(path, hash)? else {
            return Ok(false);
        };
        if !self.compress || !compressible(path) {
            return Ok(true);
        }
        let recorded = match origin {
            Origin::Kept => &self.kept,
            _ => &self.previous,
        };
        if self.relink(&format!("{path}.gz"), recorded)? {
            return Ok(true);
        }
        // The compressed copy needs the bytes: the caller's write takes the file again and
        // counts it again.
        self.reused.fetch_sub(1, Ordering::Relaxed);
        Ok(false)
    }

    /// Keeps the previous output's file at `path` as it was published, when it is still there
    /// untouched: for a file the caller knows to be the same without making it. Returns its
    /// content hash.
    pub fn keep_previous(&self, path: &str) -> Result<Option<String>, Diagnostic> {
        let Some(hash) = self.previous.get(path).and_then(|r| r.hash.clone()) else {
            return Ok(None);
        };
        Ok(self.keep(path, &hash)?.then_some(hash))
    }

    /// [`Staging::write_one`] of bytes known by their hash only: `None` when neither the
    /// reserve nor the previous output holds them untouched.
    fn keep_one(&self, path: &str, hash: &str) -> Result<Option<Origin>, Diagnostic> {
        let target = self.safe_target(path)?;
        if self.failed.load(Ordering::Relaxed) {
            return Err(self.gave_up());
        }
        if let Some(mut file) = self.kept_as_is(path, &target, hash) {
            file.hash = Some(hash.to_string());
            self.note(path, file);
            return Ok(Some(Origin::Kept));
        }
        let linked = self.create_parent(&target).and_then(|()| {
            self.clear_kept(&target)?;
            Ok(self.link_previous(path, &target, hash))
        });
        match linked {
            Ok(Some(mut file)) => {
                file.hash = Some(hash.to_string());
                self.note(path, file);
                Ok(Some(Origin::Linked))
            }
            Ok(None) => Ok(None),
            Err(e) => Err(self.failure(&e)),
        }
    }

    /// Writes one file; returns where its bytes come from.
    fn write_one(&self, path: &str, contents: &[u8]) -> Result<Origin, Diagnostic> {
        let target = self.safe_target(path)?;
        if self.failed.load(Ordering::Relaxed) {
            return Err(self.gave_up());
        }
        let hash = cache::content_hash(contents);
        if let Some(mut file) = self.kept_as_is(path, &target, &hash) {
            file.hash = Some(hash);
            self.note(path, file);
            return Ok(Origin::Kept);
        }
        let mut origin = Origin::Written;
        let mut file = match self.create_parent(&target).and_then(|()| {
            self.clear_kept(&target)?;
            match self.link_previous(path, &target, &hash) {
                Some(recorded) => {
                    origin = Origin::Linked;
                    Ok(recorded)
                }
                None => {
                    self.written_count.fetch_add(1, Ordering::Relaxed);
                    write_file(&target, contents)
                }
            }
        }) {
            Ok(file) => file,
            Err(e) => return Err(self.failure(&e)),
        };
        file.hash = Some(hash);
        self.note(path, file);
        Ok(origin)
    }

    fn note(&self, path: &str, file: Published) {
        if let Ok(mut written) = self.written.lock() {
            written.insert(path.to_string(), file);
        }
    }

    /// Takes `path` as `recorded` (the previous output or the reserve) holds it, whatever its
    /// content; false when there is none or it was touched since.
    fn relink(
        &self,
        path: &str,
        recorded: &BTreeMap<String, Published>,
    ) -> Result<bool, Diagnostic> {
        let Some(hash) = recorded.get(path).and_then(|r| r.hash.clone()) else {
            return Ok(false);
        };
        let target = self.safe_target(path)?;
        if let Some(mut file) = self.kept_as_is(path, &target, &hash) {
            file.hash = Some(hash);
            self.note(path, file);
            return Ok(true);
        }
        self.clear_kept(&target).map_err(|e| self.failure(&e))?;
        let Some(mut file) = self.link_previous(path, &target, &hash) else {
            return Ok(false);
        };
        file.hash = Some(hash);
        self.note(path, file);
        Ok(true)
    }

    /// The first failed write is the one the user is told about, naming the output folder
    /// (not the staging folder, which they never chose); the writes after it give up.
    fn failure(&self, err: &std::io::Error) -> Diagnostic {
        if self.failed.swap(true, Ordering::Relaxed) {
            return self.gave_up();
        }
        output_error(&self.output, err)
    }

    fn gave_up(&self) -> Diagnostic {
        Diagnostic::new(ErrorKind::Output, &self.output, GAVE_UP)
    }

    /// Copies a file from the sources.
    pub fn copy(&self, path: &str, from: &Path) -> Result<(), Diagnostic> {
        let contents = fs::read(from).map_err(|e| Diagnostic::io(from, &e))?;
        self.write(path, &contents)
    }

    /// Number of files taken over from the previous output (or the reserve) instead of
    /// written.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Number of files written with new content (neither kept nor linked).
    pub fn written(&self) -> usize {
        self.written_count.load(Ordering::Relaxed)
    }

    /// The reserve's file at `path`, left where it is when it already holds `hash` and was not
    /// touched since recorded; returns it as recorded.
    fn kept_as_is(&self, path: &str, target: &Path, hash: &str) -> Option<Published> {
        let recorded = self.kept.get(path)?;
        if recorded.hash.as_deref() != Some(hash) {
            return None;
        }
        let untouched = cache::stamp(target).is_some_and(|now| now.same_stamp(recorded));
        untouched.then(|| {
            self.reused.fetch_add(1, Ordering::Relaxed);
            recorded.clone()
        })
    }

    /// Removes what the reserve holds at `target` before a new file takes its place: it may be
    /// a hard link to a published file, which writing in place would change too.
    fn clear_kept(&self, target: &Path) -> std::io::Result<()> {
        if self.kept.is_empty() {
            return Ok(());
        }
        reserve::clear(target)
    }

    /// Hard-links the previous output's `path` into the staging folder when the previous
    /// build wrote the same content there (`hash`) and nobody touched it since; returns the
    /// recorded file. Any failure (a file system without hard links, such as a FAT USB key)
    /// only means writing the file.
    fn link_previous(&self, path: &str, target: &Path, hash: &str) -> Option<Published> {
        let recorded = self.previous.get(path)?;
        if recorded.hash.as_deref() != Some(hash) {
            return None;
        }
        let source = self.output.join(path);
        let untouched = cache::stamp(&source).is_some_and(|now| now.same_stamp(recorded));
        if untouched && fs::hard_link(&source, target).is_ok() {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Some(recorded.clone());
        }
        None
    }

    fn create_parent(&self, target: &Path) -> std::io::Result<()> {
        let Some(parent) = target.parent() else {
            return Ok(());
        };
        let known = self
            .created
            .lock()
            .map(|created| created.contains(parent))
            .unwrap_or(false);
        if !known {
            if !self.kept.is_empty() {
                reserve::make_folder(&self.dir, parent)?;
            } else {
                fs::create_dir_all(parent)?;
            }
            if let Ok(mut created) = self.created.lock() {
                created.insert(parent.to_path_buf());
            }
        }
        Ok(())
    }

    fn safe_target(&self, path: &str) -> Result<PathBuf, Diagnostic> {
        let rel = Path::new(path);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(Diagnostic::new(
                ErrorKind::UnsafePath,
                path,
                "chemin de sortie refusé (hors du dossier de publication)",
            ));
        }
        Ok(self.dir.join(rel))
    }

    /// Puts the staging folder in the place of the output.
    /// Returns every file of the published folder with its size, date and content hash.
    pub fn publish(self) -> Result<BTreeMap<String, Published>, Diagnostic> {
        self.publish_keeping().map(|(published, _)| published)
    }

    /// [`Staging::publish`], also returning the files of the reserve it leaves for the next
    /// build (`None` when there is none).
    #[allow(clippy::type_complexity)]
    pub fn publish_keeping(
        self,
    ) -> Result<
        (
            BTreeMap<String, Published>,
            Option<BTreeMap<String, Published>>,
        ),
        Diagnostic,
    > {
        self.discarding.finish();
        let mut written = self.written.into_inner().unwrap_or_default();
        if !self.kept.is_empty() {
            reserve::prune(&self.dir, &self.kept, &written)
                .map_err(|e| output_error(&self.output, &e))?;
        }
        for name in PRESERVED {
            let old = self.output.join(name);
            if old.is_file() {
                let kept = self.dir.join(name);
                // A fresh file: the old one may be a hard link shared with the published site.
                let _ = fs::remove_file(&kept);
                fs::copy(&old, &kept).map_err(|e| output_error(&self.output, &e))?;
                if let Some(stamp) = cache::stamp(&kept) {
                    written.insert(name.to_string(), stamp);
                }
            }
        }
        if let Some(mode) = self.publish_mode {
            reserve::set_mode(&self.dir, mode).map_err(|e| output_error(&self.output, &e))?;
        }
        failpoint("before-publication");
        let reserve = self.keep_reserve.then(|| sibling(&self.output, RESERVE));
        let kept = swap_in(&self.dir, &self.output, reserve.as_deref())
            .map_err(|e| output_error(&self.output, &e))?;
        // The reserve is the site just replaced, as the previous build recorded it.
        let reserve = kept.then_some(self.previous);
        Ok((written.into_iter().collect(), reserve))
    }

    /// Drops the staging folder after a failed build.
    pub fn abandon(self) {
        self.discarding.finish();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Where the bytes of a file of the staging folder come from.
enum Origin {
    Written,
    /// Left in place from the reserve.
    Kept,
    /// Hard-linked from the published folder.
    Linked,
}

/// Sentence of the writes that gave up after the first failure (never shown: the build keeps
/// only the first output error).
const GAVE_UP: &str = "écriture abandonnée après une première erreur";
const STAGING: &str = "staging";
const PREVIOUS: &str = "previous";
/// The site replaced by the last build, from which the next one starts.
const RESERVE: &str = "reserve";

/// One French sentence for a failure to write the site: the output the user chose, the cause.
fn output_error(output: &Path, err: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        ErrorKind::Output,
        output,
        format!(
            "impossible d'écrire le site dans « {} » : {}",
            output.display(),
            diagnostics::io_message_fr(err)
        ),
    )
}

/// Keeps one output error: when the disk is full every write of every thread fails, and one
/// line saying so is worth more than hundreds.
pub fn one_output_error(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen_output = false;
    problems
        .into_iter()
        .filter(|d| {
            if d.kind != ErrorKind::Output {
                return true;
            }
            let first = !seen_output && d.message != GAVE_UP;
            seen_output |= first;
            first
        })
        .collect()
}

/// What a failed build left in `output`, in one French sentence that is true: it looks.
pub fn state_after_failure(output: &Path) -> String {
    let resolved = destination::resolve(output);
    let shown = output.display();
    if destination::is_vitrine_output(&resolved) {
        format!("Rien n'a été publié : le site déjà publié dans « {shown} » est intact.")
    } else if fs::symlink_metadata(&resolved).is_err() {
        format!("Rien n'a été publié : « {shown} » n'existe pas encore.")
    } else {
        format!("Rien n'a été publié : « {shown} » n'a pas été modifié.")
    }
}

/// Repairs what an interrupted publication left beside `output`: the previous site, moved
/// aside, goes back if the output is missing, and is deleted otherwise; a staging folder is
/// deleted. Runs before anything else reads or replaces the output.
pub fn recover(output: &Path) -> Result<(), Diagnostic> {
    let previous = sibling(output, PREVIOUS);
    let error = |e: std::io::Error| output_error(output, &e);
    if fs::symlink_metadata(&previous).is_ok() {
        if fs::symlink_metadata(output).is_err() {
            fs::rename(&previous, output).map_err(error)?;
        } else {
            remove_leftover(&previous).map_err(error)?;
        }
    }
    remove_leftover(&sibling(output, STAGING)).map_err(error)
}

/// Removes a folder that vitrine left beside the output, if it is there.
fn remove_leftover(dir: &Path) -> std::io::Result<()> {
    match fs::symlink_metadata(dir) {
        Err(_) => Ok(()),
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(dir),
        Ok(_) => fs::remove_file(dir),
    }
}

/// Puts `staging` in the place of `output`. At no instant is `output` missing where the
/// system can exchange two folders in one step; elsewhere, the old site is moved aside, the
/// new one moved in, and [`recover`] repairs a crash between the two. The old site becomes
/// `reserve` when given and the exchange worked; returns whether it did.
fn swap_in(staging: &Path, output: &Path, reserve: Option<&Path>) -> std::io::Result<bool> {
    if fs::symlink_metadata(output).is_err() {
        return fs::rename(staging, output).map(|()| false);
    }
    if exchange(staging, output).is_ok() {
        failpoint("after-exchange");
        // `staging` now holds the old site; a leftover is removed by the next build.
        if let Some(reserve) = reserve {
            if fs::rename(staging, reserve).is_ok() {
                // Not published: a failure only leaves the old site readable, as before.
                let _ = reserve::make_private(reserve);
                return Ok(true);
            }
        }
        let _ = fs::remove_dir_all(staging);
        return Ok(false);
    }
    let previous = sibling(output, PREVIOUS);
    remove_leftover(&previous)?;
    fs::rename(output, &previous)?;
    failpoint("between-renames");
    if let Err(e) = fs::rename(staging, output) {
        // Put the published site back before reporting.
        let _ = fs::rename(&previous, output);
        return Err(e);
    }
    let _ = fs::remove_dir_all(&previous);
    Ok(false)
}

/// Exchanges two existing paths atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    if failpoint_set("no-exchange") {
        return Err(std::io::ErrorKind::Unsupported.into());
    }
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Test hook: `VITRINE_FAILPOINT=between-renames` (a comma-separated list) makes the build
/// stop dead at that point of the publication, as a power cut would, so that tests can check
/// what the next command finds. `no-exchange` takes the path of systems without an atomic
/// exchange.
fn failpoint(name: &str) {
    if failpoint_set(name) {
        std::process::abort();
    }
}

fn failpoint_set(name: &str) -> bool {
    std::env::var("VITRINE_FAILPOINT").is_ok_and(|v| v.split(',').any(|p| p.trim() == name))
}

/// Extensions of the files worth a compressed copy: text, which shrinks several times
/// (images, PDF and archives are compressed already).
const COMPRESSIBLE: &[&str] = &["html", "css", "js", "json", "xml", "svg", "txt"];

pub fn compressible(path: &str) -> bool {
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.iter().any(|c| e.eq_ignore_ascii_case(c)))
}

/// gzip with a header that depends on nothing but the bytes (no file name, date 0) and a
/// fixed level, so that two builds of the same site write the same `.gz`. Level 6, not 9: on
/// a generated corpus 9 took up to twice the time for 0.6 % smaller files (BENCHMARKS.md).
pub fn gzip(contents: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::new(6));
    encoder.write_all(contents)?;
    encoder.finish()
}

/// Writes `contents` to a new file; returns its size and date as the file system reports them.
fn write_file(target: &Path, contents: &[u8]) -> std::io::Result<Published> {
    let mut file = fs::File::create(target)?;
    file.write_all(contents)?;
    let metadata = file.metadata()?;
    Ok(Published::of(&metadata))
}

/// `public` → `.public.vitrine-staging` in the same parent folder.
fn sibling(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    output.with_file_name(format!(".{name}.vitrine-{what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn compressing_writes_gz_of_text_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::create(&out, BTreeMap::new())
            .unwrap()
            .compressing(true);
        let page = "<p>Scénario</p>".repeat(50);
        staging.write("a/index.html", page.as_bytes()).unwrap();
        staging.write("a/notes.TXT", b"texte").unwrap();
        staging.write("a/photo.png", b"png").unwrap();
        staging.publish().unwrap();
        let gz = fs::read(out.join("a/index.html.gz")).unwrap();
        assert_eq!(gunzip(&gz), page.as_bytes());
        assert!(gz.len() < page.len() / 4, "{} bytes", gz.len());
        assert_eq!(
            gunzip(&fs::read(out.join("a/notes.TXT.gz")).unwrap()),
            b"texte"
        );
        assert!(!out.join("a/photo.png.gz").exists());
        assert!(!out.join(".vitrine-site.gz").exists());
    }

    #[test]
    fn no_gz_without_compression() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::create(&out, BTreeMap::new()).unwrap();
        staging.write("index.html", b"<p>x</p>").unwrap();
        staging.publish().unwrap();
        assert!(out.join("index.html").exists());
        assert!(!out.join("index.html.gz").exists());
    }

    #[test]
    fn gzip_is_deterministic_without_name_or_date() {
        let text = b"la m\xc3\xaame chose deux fois".repeat(10);
        let (a, b) = (gzip(&text).unwrap(), gzip(&text).unwrap());
        assert_eq!(a, b);
        assert_eq!(&a[3..8], &[0, 0, 0, 0, 0], "no flags (file name), mtime 0");
        assert_eq!(gunzip(&a), text);
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_file_keeps_its_gz_linked() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = Staging::create(&out, BTreeMap::new())
            .unwrap()
            .compressing(true);
        first.write("a.css", b"body{}").unwrap();
        first.write("b.css", b"p{}").unwrap();
        let previous = first.publish().unwrap();
        assert!(
            previous.contains_key("a.css.gz"),
            "the .gz copies are recorded"
        );
        let inode = |path: &str| fs::metadata(out.join(path)).unwrap().ino();
        let (a_gz, b_gz) = (inode("a.css.gz"), inode("b.css.gz"));
        let second = Staging::create(&out, previous).unwrap().compressing(true);
        second.write("a.css", b"body{}").unwrap();
        second.write("b.css", b"p{color:red}").unwrap();
        second.publish().unwrap();
        assert_eq!(inode("a.css.gz"), a_gz);
        assert_ne!(inode("b.css.gz"), b_gz);
        assert_eq!(
            gunzip(&fs::read(out.join("b.css.gz")).unwrap()),
            b"p{color:red}"
        );
    }

    /// Three builds of the same two files (the third from the reserve), the third writing
    /// `a.html` or keeping it: returns its counts, records and published bytes.
    fn third_build(compress: bool, keep: bool) -> (usize, usize, Vec<(String, u64)>, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let page = "<p>page</p>".repeat(20);
        let (mut published, mut reserve) = (BTreeMap::new(), Some(BTreeMap::new()));
        for build in 0..3 {
            let staging = Staging::reusing(&out, published.clone(), reserve.clone())
                .unwrap()
                .compressing(compress);
            staging.write("b.html", b"<p>b</p>").unwrap();
            let hash = cache::content_hash(page.as_bytes());
            if build < 2 || !keep {
                staging.write("a.html", page.as_bytes()).unwrap();
            } else {
                assert!(staging.keep("a.html", &hash).unwrap(), "kept");
                assert!(!staging.keep("b.html", "autre").unwrap(), "other bytes");
                assert!(!staging.keep("c.html", &hash).unwrap(), "no such file");
            }
            let counts = (staging.reused(), staging.written());
            (published, reserve) = staging.publish_keeping().unwrap();
            if build == 2 {
                let records = published
                    .iter()
                    .map(|(path, file)| (format!("{path} {:?}", file.hash), file.size))
                    .collect();
                let gz = fs::read(out.join("a.html.gz")).unwrap_or_default();
                assert_eq!(fs::read(out.join("a.html")).unwrap(), page.as_bytes());
                return (counts.0, counts.1, records, gz);
            }
        }
        unreachable!("three builds")
    }

    #[test]
    fn keeping_a_file_is_writing_the_same_bytes() {
        for compress in [false, true] {
            let kept = third_build(compress, true);
            assert_eq!(kept, third_build(compress, false), "compress: {compress}");
            assert_eq!(kept.1, 0, "nothing written");
            assert!(kept.0 >= 2, "a.html (and its copy) reused");
            assert_eq!(!kept.3.is_empty(), compress);
        }
    }

    #[test]
    fn publish_replaces_output_and_keeps_gitkeep() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join(".gitkeep"), "").unwrap();
        fs::write(out.join("old.html"), "old").unwrap();
        let staging = Staging::create(&out, BTreeMap::new()).unwrap();
        staging.write("a/index.html", b"new").unwrap();
        staging.publish().unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        assert!(out.join(".gitkeep").exists());
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(
            leftovers.len(),
            1,
            "staging and previous folders are removed"
        );
    }

    #[test]
    fn abandon_keeps_the_published_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "published").unwrap();
        let staging = Staging::create(&out, BTreeMap::new()).unwrap();
        staging.write("index.html", b"half").unwrap();
        staging.abandon();
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "published"
        );
    }

    #[cfg(unix)]
    #[test]
    fn same_content_is_linked_and_new_content_written() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = Staging::create(&out, BTreeMap::new()).unwrap();
        first.write("a/index.html", b"a").unwrap();
        first.write("b/index.html", b"b").unwrap();
        let previous = first.publish().unwrap();
        assert_eq!(
            previous
                .values()
                .map(|f| (f.size, f.modified_ns))
                .collect::<Vec<_>>(),
            cache::published_files(&out)
                .unwrap()
                .values()
                .map(|f| (f.size, f.modified_ns))
                .collect::<Vec<_>>(),
            "what is noted while writing is what the folder holds"
        );
        let inode = |path: &str| fs::metadata(out.join(path)).unwrap().ino();
        let (a, b) = (inode("a/index.html"), inode("b/index.html"));

        let second = Staging::create(&out, previous).unwrap();
        second.write("a/index.html", b"a").unwrap();
        second.write("b/index.html", b"B").unwrap();
        assert_eq!(second.reused(), 2, "a/index.html and the marker");
        second.publish().unwrap();
        assert_eq!(inode("a/index.html"), a, "same content: the same file");
        assert_ne!(inode("b/index.html"), b);
        assert_eq!(fs::read_to_string(out.join("b/index.html")).unwrap(), "B");
    }

    /// One build through the reserve: writes `files`, publishes, returns the new record of
    /// the output and of the reserve.
    fn build_with_reserve(
        out: &Path,
        record: (
            BTreeMap<String, Published>,
            Option<BTreeMap<String, Published>>,
        ),
        files: &[(&str, &str)],
    ) -> (
        BTreeMap<String, Published>,
        Option<BTreeMap<String, Published>>,
    ) {
        let reserve = Some(record.1.unwrap_or_default());
        let staging = Staging::reusing(out, record.0, reserve).unwrap();
        for (path, text) in files {
            staging.write(path, text.as_bytes()).unwrap();
        }
        staging.publish_keeping().unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn the_replaced_site_is_the_next_starting_point() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let reserve = sibling(&out, RESERVE);
        let v1 = [
            ("a/index.html", "a"),
            ("b/index.html", "b"),
            ("c/d/e.html", "e"),
        ];
        let record = build_with_reserve(&out, (BTreeMap::new(), None), &v1);
        assert!(!reserve.exists(), "no site replaced yet");
        let v2 = [
            ("a/index.html", "a"),
            ("b/index.html", "B"),
            ("c/d/e.html", "e"),
        ];
        let record = build_with_reserve(&out, record, &v2);
        assert!(
            reserve.join("b/index.html").is_file(),
            "the old site is kept"
        );
        assert_eq!(
            fs::read_to_string(reserve.join("b/index.html")).unwrap(),
            "b"
        );
        let inode = |path: &str| fs::metadata(out.join(path)).unwrap().ino();
        let a = inode("a/index.html");
        // Touched by hand: neither the output's nor the reserve's copy may be taken over.
        fs::write(out.join("a/index.html"), "à la main").unwrap();
        fs::write(out.join("ajout.html"), "ajouté à la main").unwrap();

        let v3 = [
            ("a/index.html", "a"),
            ("b/index.html", "b"),
            ("f.html", "f"),
        ];
        let record = build_with_reserve(&out, record, &v3);
        let published = cache::published_files(&out).unwrap();
        let names: Vec<&str> = published.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [MARKER, "a/index.html", "b/index.html", "f.html"],
            "exactly this build's files"
        );
        for (path, text) in v3 {
            assert_eq!(fs::read_to_string(out.join(path)).unwrap(), text);
        }
        assert_ne!(
            inode("a/index.html"),
            a,
            "the hand-edited file is written again"
        );
        assert!(!out.join("c").exists(), "emptied folders are removed");
        assert_eq!(
            record.0.keys().collect::<Vec<_>>(),
            published.keys().collect::<Vec<_>>()
        );
        assert!(record.1.is_some());
        // The reserve holds the second site, whose hand edits it shares with nothing now.
        assert_eq!(
            fs::read_to_string(reserve.join("b/index.html")).unwrap(),
            "B"
        );
    }

    #[test]
    fn the_published_folder_carries_the_marker() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::create(&out, BTreeMap::new()).unwrap();
        let published = staging.publish().unwrap();
        assert!(destination::is_vitrine_output(&out));
        assert!(published.contains_key(MARKER));
    }

    #[test]
    fn recover_restores_a_site_moved_aside_and_removes_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // A crash between the two renames: the old site aside, no output.
        let previous = sibling(&out, PREVIOUS);
        fs::create_dir_all(&previous).unwrap();
        fs::write(previous.join("index.html"), "published").unwrap();
        let staging = sibling(&out, STAGING);
        fs::create_dir_all(&staging).unwrap();
        fs::write(staging.join("index.html"), "half").unwrap();
        recover(&out).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "published"
        );
        assert!(!previous.exists() && !staging.exists());
        // A crash after the new site was moved in: the old one aside is only a leftover.
        fs::create_dir_all(&previous).unwrap();
        recover(&out).unwrap();
        assert!(!previous.exists());
        assert!(out.join("index.html").exists());
    }

    #[test]
    fn a_failed_write_is_one_error_naming_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::create(&out, BTreeMap::new()).unwrap();
        // A file where a folder is needed fails like a full disk would, for every later write.
        staging.write("a", b"file").unwrap();
        let problems: Vec<Diagnostic> = ["a/b.html", "a/c.html", "a/d.html"]
            .iter()
            .filter_map(|p| staging.write(p, b"x").err())
            .collect();
        assert_eq!(problems.len(), 3);
        let kept = one_output_error(problems);
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0].file, out);
        assert!(
            kept[0].message.contains("impossible d'écrire le site dans"),
            "{}",
            kept[0]
        );
        assert!(!kept[0].message.contains("staging"), "{}", kept[0]);
    }

    #[test]
    fn refuses_paths_outside_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public"), BTreeMap::new()).unwrap();
        assert!(staging.write("../evil", b"x").is_err());
        assert!(staging.write("/etc/evil", b"x").is_err());
    }
}
