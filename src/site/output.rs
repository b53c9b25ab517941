//! Writing the output atomically: the build goes to a staging folder beside the output, which
//! replaces the published folder only once everything is written. A failed build leaves the
//! previous site untouched.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::{Diagnostic, ErrorKind};

/// Files kept from the previous output (the repository's keep file for `public/`).
const PRESERVED: &[&str] = &[".gitkeep"];

pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Folders already created: tens of thousands of pages each live in their own folder,
    /// and asking the file system again for each file doubled the number of system calls.
    created: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Creates an empty staging folder next to `output` (same file system, so the final swap
    /// is a rename).
    pub fn create(output: &Path) -> Result<Staging, Diagnostic> {
        let dir = sibling(output, "staging");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Diagnostic::io(&dir, &e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Diagnostic::io(&dir, &e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            created: Mutex::new(HashSet::new()),
        })
    }

    /// Writes one file, `path` being relative and `/`-separated.
    pub fn write(&self, path: &str, contents: &[u8]) -> Result<(), Diagnostic> {
        let target = self.safe_target(path)?;
        self.create_parent(&target)?;
        fs::write(&target, contents).map_err(|e| Diagnostic::io(&target, &e))
    }

    /// Copies a file from the sources.
    pub fn copy(&self, path: &str, from: &Path) -> Result<(), Diagnostic> {
        let target = self.safe_target(path)?;
        self.create_parent(&target)?;
        fs::copy(from, &target)
            .map(|_| ())
            .map_err(|e| Diagnostic::io(from, &e))
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
    pub fn publish(self) -> Result<(), Diagnostic> {
        for name in PRESERVED {
            let old = self.output.join(name);
            if old.is_file() {
                fs::copy(&old, self.dir.join(name)).map_err(|e| Diagnostic::io(&old, &e))?;
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
        Ok(())
    }

    /// Drops the staging folder after a failed build.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
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
        let staging = Staging::create(&out).unwrap();
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
        let staging = Staging::create(&out).unwrap();
        staging.write("index.html", b"half").unwrap();
        staging.abandon();
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "published"
        );
    }

    #[test]
    fn refuses_paths_outside_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        assert!(staging.write("../evil", b"x").is_err());
        assert!(staging.write("/etc/evil", b"x").is_err());
    }
}
