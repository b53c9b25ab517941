//! Files a person put or changed by hand in the published folder (a verification file for a
//! search engine, a page corrected on the server). A build replaces the whole folder, so before
//! it does, such files are copied under `.vitrine-cache/mis-de-cote/` and each is named in a
//! warning saying where it went and how to publish it for good (`static/`): nothing a person
//! wrote is lost, and the published site stays exactly what the sources give.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::site::cache::{self, Published};

/// Where hand-made files go, inside the cache folder.
pub const FOLDER: &str = "mis-de-cote";

/// Copies the files of `output` that `recorded` (the files the previous build published
/// there) does not list, or that changed since, to `<cache_dir>/mis-de-cote/`, and returns a
/// warning for each. Without a record nothing can be told apart and nothing is done.
/// `Err` when a file cannot be copied: the build must then stop before replacing anything.
pub fn set_aside(
    root: &Path,
    output: &Path,
    recorded: &BTreeMap<String, Published>,
    cache_dir: &Path,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    if recorded.is_empty() || !output.is_dir() {
        return Ok(Vec::new());
    }
    let aside = cache_dir.join(FOLDER);
    // Messages name files from the site root, whatever form `root` was given in (« . »).
    let root = &root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut warnings = Vec::new();
    for (rel, path) in hand_made(output, recorded) {
        let advice = match recorded.contains_key(&rel) {
            false => "pour le publier à chaque construction, placez-le dans static/ (même chemin)",
            true => "ce fichier est refait à chaque construction : faites la modification dans sa source (content/, vitrine.yaml ou le thème)",
        };
        let copy = free_name(&aside.join(&rel));
        copy_file(&path, &copy).map_err(|e| {
            Diagnostic::new(
                ErrorKind::Output,
                shown(root, &path),
                format!(
                    "fichier ajouté ou modifié à la main dans le dossier de publication : impossible de le mettre de côté dans « {} » ({}) ; rien n'a été remplacé",
                    shown(root, &copy).display(),
                    crate::diagnostics::io_message_fr(&e)
                ),
            )
        })?;
        warnings.push(Diagnostic::new(
            ErrorKind::Output,
            shown(root, &path),
            format!(
                "fichier ajouté ou modifié à la main dans le dossier de publication : la construction remplace ce dossier, il a été mis de côté dans « {} » ; {advice}",
                shown(root, &copy).display()
            ),
        ));
    }
    Ok(warnings)
}

/// Files of `output` (relative path, full path) that `recorded` does not know as they are.
fn hand_made(output: &Path, recorded: &BTreeMap<String, Published>) -> Vec<(String, PathBuf)> {
    WalkDir::new(output)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| {
            let rel = entry
                .path()
                .strip_prefix(output)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let known = recorded.get(&rel).is_some_and(|file| {
                cache::stamp(entry.path()).is_some_and(|now| now.same_stamp(file))
            });
            (!known).then(|| (rel, entry.into_path()))
        })
        .collect()
}

/// `path`, or `path.1`, `path.2`… when a file set aside earlier already has its name.
fn free_name(path: &Path) -> PathBuf {
    let mut candidate = path.to_path_buf();
    let mut n = 1;
    while candidate.exists() {
        let mut name = path.as_os_str().to_os_string();
        name.push(format!(".{n}"));
        candidate = PathBuf::from(name);
        n += 1;
    }
    candidate
}

fn copy_file(from: &Path, to: &Path) -> io::Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::copy(from, to).map(|_| ())
}

/// `path` relative to the site root when it is inside it, as messages show files.
fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(dir: &Path, files: &[&str]) -> BTreeMap<String, Published> {
        files
            .iter()
            .map(|f| (f.to_string(), cache::stamp(&dir.join(f)).expect("stamp")))
            .collect()
    }

    #[test]
    fn added_and_edited_files_are_copied_aside_and_named() {
        let root = tempfile::tempdir().expect("tempdir");
        let out = root.path().join("public");
        fs::create_dir_all(out.join("a")).expect("mkdir");
        fs::write(out.join("index.html"), "site").expect("write");
        fs::write(out.join("a/index.html"), "page").expect("write");
        let recorded = record(&out, &["index.html", "a/index.html"]);
        fs::write(out.join("google123.html"), "vérification").expect("write");
        fs::write(out.join("a/index.html"), "page corrigée à la main").expect("write");
        let cache = root.path().join(".vitrine-cache");

        let warnings = set_aside(root.path(), &out, &recorded, &cache).expect("set aside");
        let named: Vec<_> = warnings.iter().map(|w| w.file.clone()).collect();
        assert_eq!(
            named,
            [
                PathBuf::from("public/a/index.html"),
                PathBuf::from("public/google123.html")
            ]
        );
        assert!(warnings[0].message.contains("source"), "{warnings:?}");
        assert!(warnings[1].message.contains("static/"), "{warnings:?}");
        let aside = cache.join(FOLDER);
        assert_eq!(
            fs::read_to_string(aside.join("google123.html")).expect("copy"),
            "vérification"
        );
        assert_eq!(
            fs::read_to_string(aside.join("a/index.html")).expect("copy"),
            "page corrigée à la main"
        );

        // Set aside again later: the first copy is kept, the new one takes the next name.
        set_aside(root.path(), &out, &recorded, &cache).expect("set aside again");
        assert!(aside.join("google123.html.1").is_file());
    }

    #[test]
    fn nothing_is_done_without_a_record_or_for_untouched_files() {
        let root = tempfile::tempdir().expect("tempdir");
        let out = root.path().join("public");
        fs::create_dir_all(&out).expect("mkdir");
        fs::write(out.join("index.html"), "site").expect("write");
        let cache = root.path().join(".vitrine-cache");
        let none = BTreeMap::new();
        assert!(set_aside(root.path(), &out, &none, &cache)
            .expect("no record")
            .is_empty());
        let recorded = record(&out, &["index.html"]);
        assert!(set_aside(root.path(), &out, &recorded, &cache)
            .expect("untouched")
            .is_empty());
        assert!(!cache.join(FOLDER).exists());
    }
}
