//! Discovery of the sources under `content/` with walkdir, in a stable (sorted) order.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, ErrorKind};

pub const CONTENT_DIR: &str = "content";
pub const SCENARIOS_DIR: &str = "scenarios";
pub const PAGES_DIR: &str = "pages";
pub const HOME_FILE: &str = "_index.md";
pub const BUNDLE_INDEX: &str = "index.md";

/// A scenario source found on disk. Paths are relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScenarioSource {
    pub file: PathBuf,
    /// Folder of a bundle (`…/mon-scenario/` holding `index.md`).
    pub bundle_dir: Option<PathBuf>,
    /// Other files of the bundle, relative to `bundle_dir`, sorted.
    pub bundle_files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Default)]
pub struct Discovered {
    pub scenarios: Vec<ScenarioSource>,
    pub pages: Vec<PathBuf>,
    pub home: Option<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lists every source of the site rooted at `root`.
pub fn discover(root: &Path) -> Discovered {
    let mut found = Discovered::default();
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        found.diagnostics.push(Diagnostic::new(
            ErrorKind::Io,
            CONTENT_DIR,
            "dossier « content » introuvable : est-ce bien la racine du site ?",
        ));
        return found;
    }
    let home = content.join(HOME_FILE);
    if home.is_file() {
        found.home = Some(relative(root, &home));
    }
    discover_scenarios(root, &content.join(SCENARIOS_DIR), &mut found);
    discover_pages(root, &content.join(PAGES_DIR), &mut found);
    discover_strays(root, &content, &mut found);
    found
}

fn discover_scenarios(root: &Path, dir: &Path, found: &mut Discovered) {
    if !dir.is_dir() {
        return;
    }
    let mut walker = WalkDir::new(dir).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                found.diagnostics.push(walk_error(root, &e));
                continue;
            }
        };
        let path = entry.path();
        if entry.depth() > 0 && is_ignored(path) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() {
            found.diagnostics.push(symlink_error(root, path));
            continue;
        }
        if entry.file_type().is_dir() && entry.depth() > 0 && path.join(BUNDLE_INDEX).is_file() {
            found
                .scenarios
                .push(bundle(root, path, &mut found.diagnostics));
            walker.skip_current_dir();
        } else if entry.file_type().is_file() && is_markdown(path) {
            found.scenarios.push(ScenarioSource {
                file: relative(root, path),
                bundle_dir: None,
                bundle_files: Vec::new(),
            });
        }
    }
}

fn bundle(root: &Path, dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> ScenarioSource {
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(walk_error(root, &e));
                continue;
            }
        };
        let path = entry.path();
        if path
            .strip_prefix(dir)
            .is_ok_and(|p| p.components().any(|c| is_ignored(Path::new(c.as_os_str()))))
        {
            continue;
        }
        if entry.path_is_symlink() {
            diagnostics.push(symlink_error(root, path));
        } else if entry.file_type().is_file() && path != dir.join(BUNDLE_INDEX) {
            if let Ok(rel) = path.strip_prefix(dir) {
                files.push(rel.to_path_buf());
            }
        }
    }
    ScenarioSource {
        file: relative(root, &dir.join(BUNDLE_INDEX)),
        bundle_dir: Some(relative(root, dir)),
        bundle_files: files,
    }
}

fn discover_pages(root: &Path, dir: &Path, found: &mut Discovered) {
    // Free pages are optional.
    if !dir.is_dir() {
        return;
    }
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.file_type().is_file() && is_markdown(e.path()) && !is_ignored(e.path()) => {
                found.pages.push(relative(root, e.path()))
            }
            Ok(_) => {}
            Err(e) => found.diagnostics.push(walk_error(root, &e)),
        }
    }
}

/// Markdown files directly in `content/` (other than `_index.md`) would silently not be
/// published: tell the author where they belong.
fn discover_strays(root: &Path, content: &Path, found: &mut Discovered) {
    for entry in WalkDir::new(content)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        if entry.file_type().is_file()
            && is_markdown(path)
            && !is_ignored(path)
            && path.file_name().is_some_and(|n| n != HOME_FILE)
        {
            found.diagnostics.push(Diagnostic::new(
                ErrorKind::UnsafePath,
                relative(root, path),
                "fichier mal placé : un scénario va dans content/scenarios/, une page dans content/pages/",
            ));
        }
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// Editor backups and hidden files are never content.
fn is_ignored(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn walk_error(root: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err.path().map(|p| relative(root, p)).unwrap_or_default();
    match err.io_error() {
        Some(io) => Diagnostic::io(&path, io),
        None => Diagnostic::new(ErrorKind::Io, path, "dossier illisible (boucle de liens ?)"),
    }
}

fn symlink_error(root: &Path, path: &Path) -> Diagnostic {
    Diagnostic::new(
        ErrorKind::UnsafePath,
        relative(root, path),
        "lien symbolique refusé : il pourrait publier un fichier hors du dossier content ; copiez le fichier à la place",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn finds_files_bundles_pages_and_strays_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let s = root.join("content/scenarios");
        fs::create_dir_all(s.join("maths/b-bundle/img")).unwrap();
        fs::create_dir_all(root.join("content/pages")).unwrap();
        fs::write(s.join("maths/a.md"), "").unwrap();
        fs::write(s.join("maths/b-bundle/index.md"), "").unwrap();
        fs::write(s.join("maths/b-bundle/img/fig.png"), "").unwrap();
        fs::write(s.join("maths/b-bundle/fiche.txt"), "").unwrap();
        fs::write(s.join("maths/b-bundle/.DS_Store"), "").unwrap();
        fs::write(s.join("z.md~"), "").unwrap();
        fs::write(root.join("content/pages/a-propos.md"), "").unwrap();
        fs::write(root.join("content/_index.md"), "").unwrap();
        fs::write(root.join("content/perdu.md"), "").unwrap();

        let found = discover(root);
        let files: Vec<_> = found.scenarios.iter().map(|s| s.file.clone()).collect();
        assert_eq!(
            files,
            vec![
                PathBuf::from("content/scenarios/maths/a.md"),
                PathBuf::from("content/scenarios/maths/b-bundle/index.md")
            ]
        );
        assert_eq!(
            found.scenarios[1].bundle_files,
            vec![PathBuf::from("fiche.txt"), PathBuf::from("img/fig.png")]
        );
        assert_eq!(
            found.pages,
            vec![PathBuf::from("content/pages/a-propos.md")]
        );
        assert_eq!(found.home, Some(PathBuf::from("content/_index.md")));
        assert_eq!(found.diagnostics.len(), 1);
        assert_eq!(found.diagnostics[0].file, PathBuf::from("content/perdu.md"));
    }
}
