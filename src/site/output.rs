//! Writing the output atomically: the build goes to a staging folder beside the output, which
//! replaces the published folder only once everything is written. A failed build leaves the
//! previous site untouched.
//!
//! A file whose content is the same as in the previous output is not written again: the
//! staging folder gets a hard link to the published file. Creating and deleting tens of
//! thousands of files is the dearest part of a rebuild on many disks, and unchanged files keep
//! their date, so that `rsync` and other deployment tools only send what changed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::site::cache::{self, Published};

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
}

impl Staging {
    /// Creates an empty staging folder next to `output` (same file system, so the final swap
    /// is a rename). `previous` lists the files of the current output as the previous build
    /// recorded them (empty for a first build): those still untouched may be reused.
    pub fn create(
        output: &Path,
        previous: BTreeMap<String, Published>,
    ) -> Result<Staging, Diagnostic> {
        let dir = sibling(output, "staging");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Diagnostic::io(&dir, &e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Diagnostic::io(&dir, &e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            created: Mutex::new(HashSet::new()),
            previous,
            written: Mutex::new(HashMap::new()),
            reused: AtomicUsize::new(0),
        })
    }

    /// Writes one file, `path` being relative and `/`-separated.
    pub fn write(&self, path: &str, contents: &[u8]) -> Result<(), Diagnostic> {
        let target = self.safe_target(path)?;
        let hash = cache::content_hash(contents);
        self.create_parent(&target)?;
        let mut file = match self.link_previous(path, &target, &hash) {
            Some(recorded) => recorded,
            None => write_file(&target, contents)?,
        };
        file.hash = Some(hash);
        if let Ok(mut written) = self.written.lock() {
            written.insert(path.to_string(), file);
        }
        Ok(())
    }

    /// Copies a file from the sources.
    pub fn copy(&self, path: &str, from: &Path) -> Result<(), Diagnostic> {
        let contents = fs::read(from).map_err(|e| Diagnostic::io(from, &e))?;
        self.write(path, &contents)
    }

    /// Number of files taken over from the previous output instead of written.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
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

    fn create_parent(&self, target: &Path) -> Result<(), Diagnostic> {
        let Some(parent) = target.parent() else {
            return Ok(());
        };
        let known = self
            .created
            .lock()
            .map(|created| created.contains(parent))
            .unwrap_or(false);
        if !known {
            fs::create_dir_all(parent).map_err(|e| Diagnostic::io(parent, &e))?;
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

    /// Replaces the output with the staging folder. The old output is moved aside first and
    /// deleted only after the new one is in place.
    /// Returns every file of the published folder with its size, date and content hash.
    pub fn publish(self) -> Result<BTreeMap<String, Published>, Diagnostic> {
        let mut written = self.written.into_inner().unwrap_or_default();
        for name in PRESERVED {
            let old = self.output.join(name);
            if old.is_file() {
                let kept = self.dir.join(name);
                fs::copy(&old, &kept).map_err(|e| Diagnostic::io(&old, &e))?;
                if let Some(stamp) = cache::stamp(&kept) {
                    written.insert(name.to_string(), stamp);
                }
            }
        }
        let previous = sibling(&self.output, "previous");
        if previous.exists() {
            fs::remove_dir_all(&previous).map_err(|e| Diagnostic::io(&previous, &e))?;
        }
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &previous).map_err(|e| Diagnostic::io(&self.output, &e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            // Put the published site back before reporting.
            if had_output {
                let _ = fs::rename(&previous, &self.output);
            }
            return Err(Diagnostic::io(&self.output, &e));
        }
        if had_output {
            fs::remove_dir_all(&previous).map_err(|e| Diagnostic::io(&previous, &e))?;
        }
        Ok(written.into_iter().collect())
    }

    /// Drops the staging folder after a failed build.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Writes `contents` to a new file; returns its size and date as the file system reports them.
fn write_file(target: &Path, contents: &[u8]) -> Result<Published, Diagnostic> {
    let error = |e: std::io::Error| Diagnostic::io(target, &e);
    let mut file = fs::File::create(target).map_err(error)?;
    file.write_all(contents).map_err(error)?;
    let metadata = file.metadata().map_err(error)?;
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
        assert_eq!(second.reused(), 1);
        second.publish().unwrap();
        assert_eq!(inode("a/index.html"), a, "same content: the same file");
        assert_ne!(inode("b/index.html"), b);
        assert_eq!(fs::read_to_string(out.join("b/index.html")).unwrap(), "B");
    }

    #[test]
    fn refuses_paths_outside_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public"), BTreeMap::new()).unwrap();
        assert!(staging.write("../evil", b"x").is_err());
        assert!(staging.write("/etc/evil", b"x").is_err());
    }
}
