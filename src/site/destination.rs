//! Where a build may publish. Publishing replaces the output folder as a whole, so the output
//! must be a folder vitrine made (it holds the [`MARKER`] file), an empty or missing one, and
//! never the sources, the site root or anything that contains them. A mistyped `--output`
//! must not cost a year of referents' work.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::diagnostics::{Diagnostic, ErrorKind};

/// File written at the top of every published folder: it tells the next build that the folder
/// is vitrine's to replace. Its text explains it to whoever opens the folder.
pub const MARKER: &str = ".vitrine-site";
pub const MARKER_TEXT: &str =
    "Ce dossier est le site publié par vitrine : chaque construction le remplace en entier.\n\
Ne déposez rien ici à la main, ce serait effacé à la prochaine construction ;\n\
placez vos fichiers dans content/ ou dans le dossier static/ du thème.\n";

/// Files that may sit in an output folder that vitrine never made without the folder being
/// anyone's work (the repository's keep file for `public/`).
const HARMLESS: &[&str] = &[".gitkeep"];

/// Folders of the site root that an output may neither be, contain, nor lie inside.
const SOURCES: &[&str] = &[
    "content",
    "themes",
    "templates",
    "static",
    ".vitrine-cache",
    ".git",
];

/// What the caller knows about the output beyond its contents.
#[derive(Debug, Clone, Copy, Default)]
pub struct Permission<'a> {
    /// `--force`: replace an existing non-empty folder that vitrine did not make.
    pub force: bool,
    /// The output recorded by the previous build, if any (a folder published before the
    /// marker existed is still recognised).
    pub recorded: Option<&'a Path>,
}

/// Checks that `output` may be replaced by a build of the site at `root`, and returns it with
/// symbolic links resolved (publishing into a link replaces the folder it points to, not
/// the link). Nothing is touched.
pub fn check(root: &Path, output: &Path, permission: Permission) -> Result<PathBuf, Diagnostic> {
    let root = resolve(root);
    let resolved = resolve(output);
    let shown = output.display();
    if let Some(why) = overlapping_source(&root, &resolved) {
        return Err(refusal(
            output,
            format!("dossier de publication refusé : « {shown} » {why}"),
        ));
    }
    match fs::metadata(&resolved) {
        Err(_) => return Ok(resolved),
        Ok(meta) if !meta.is_dir() => {
            return Err(refusal(
                output,
                format!(
                    "« {shown} » est un fichier, pas un dossier : la construction le \
                     remplacerait. Indiquez un dossier avec --output (par exemple public)."
                ),
            ))
        }
        Ok(_) => {}
    }
    if is_mount_point(&resolved) {
        return Err(refusal(
            output,
            format!(
                "« {shown} » est un point de montage (un autre disque ou un partage) : il ne \
                 peut pas être remplacé d'un bloc. Publiez dans un dossier à l'intérieur, par \
                 exemple --output {shown}/site, et faites pointer le serveur web dessus."
            ),
        ));
    }
    let recorded = permission.recorded.is_some_and(|r| resolve(r) == resolved);
    if permission.force || recorded || is_vitrine_output(&resolved) {
        return Ok(resolved);
    }
    match foreign_entry(&resolved) {
        None => Ok(resolved),
        Some(example) => Err(refusal(
            output,
            format!(
                "le dossier « {shown} » contient déjà des fichiers qui ne viennent pas de \
                 vitrine (par exemple « {example} ») : la construction remplace tout le dossier \
                 et les effacerait. Choisissez un dossier vide ou qui n'existe pas encore ; si \
                 ce dossier peut vraiment être remplacé en entier, relancez avec --force."
            ),
        )),
    }
}

/// A folder on another file system than its parent: renaming it fails (« Device or resource
/// busy »), so the build would be lost at the very end.
#[cfg(unix)]
fn is_mount_point(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Some(parent) = dir.parent() else {
        return true;
    };
    match (fs::metadata(dir), fs::metadata(parent)) {
        (Ok(a), Ok(b)) => a.dev() != b.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_dir: &Path) -> bool {
    false
}

/// True when `dir` holds the marker of a vitrine output.
pub fn is_vitrine_output(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Why `output` overlaps the site's sources, if it does.
fn overlapping_source(root: &Path, output: &Path) -> Option<String> {
    if root.starts_with(output) {
        return Some(if root == output {
            "est le dossier du site lui-même : la construction effacerait content/, \
             vitrine.yaml et tout le reste. Choisissez un dossier à part, par exemple public \
             (le défaut)."
                .to_string()
        } else {
            format!(
                "contient le dossier du site ({}) : la construction effacerait les sources \
                 et tout ce qui l'entoure. Choisissez un dossier à part, par exemple public \
                 (le défaut).",
                root.display()
            )
        });
    }
    let config = root.join(CONFIG_FILE);
    for name in SOURCES {
        let source = root.join(name);
        if source.starts_with(output) || output.starts_with(&source) {
            return Some(format!(
                "est, contient ou se trouve dans le dossier {name}/ du site : la \
                 construction effacerait des fichiers écrits par les référents. Choisissez un \
                 dossier à part, par exemple public (le défaut)."
            ));
        }
    }
    (output == config).then(|| {
        "est le fichier de configuration du site : la construction l'effacerait. \
         Choisissez un dossier à part, par exemple public (le défaut)."
            .to_string()
    })
}

/// A file or folder of `dir` that shows someone's work: anything but the harmless keep files.
fn foreign_entry(dir: &Path) -> Option<String> {
    let entries = fs::read_dir(dir).ok()?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !HARMLESS.contains(&name.as_str()))
        .collect();
    names.sort();
    names.into_iter().next()
}

fn refusal(output: &Path, message: String) -> Diagnostic {
    Diagnostic::new(
        ErrorKind::Output,
        output,
        format!("{message} Rien n'a été touché."),
    )
}

/// `path` made absolute, `.` and `..` removed, and symbolic links resolved for the part that
/// exists (the rest is yet to be created).
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let normal = normalise(&absolute);
    let mut existing = normal.as_path();
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => return normal,
        }
    }
}

/// Removes `.` and `..` without asking the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/scenarios")).unwrap();
        fs::write(dir.path().join("content/scenarios/a.md"), "---\n").unwrap();
        fs::write(dir.path().join(CONFIG_FILE), "titre: x\n").unwrap();
        dir
    }

    fn checked(root: &Path, output: &Path) -> Result<PathBuf, Diagnostic> {
        check(root, output, Permission::default())
    }

    #[test]
    fn missing_empty_and_marked_outputs_are_accepted() {
        let site = site();
        let root = site.path();
        assert!(checked(root, &root.join("public")).is_ok());
        fs::create_dir_all(root.join("public")).unwrap();
        fs::write(root.join("public/.gitkeep"), "").unwrap();
        assert!(checked(root, &root.join("public")).is_ok());
        fs::write(root.join("public/index.html"), "x").unwrap();
        assert!(checked(root, &root.join("public")).is_err());
        fs::write(root.join("public").join(MARKER), MARKER_TEXT).unwrap();
        assert!(checked(root, &root.join("public")).is_ok());
    }

    #[test]
    fn sources_root_and_parents_are_refused() {
        let site = site();
        let root = site.path();
        for output in [
            root.to_path_buf(),
            root.join("content"),
            root.join("content/scenarios/nouveau"),
            root.join("themes"),
            root.join(".vitrine-cache"),
            root.join(CONFIG_FILE),
            root.parent().unwrap().to_path_buf(),
            root.join("public/../content"),
        ] {
            let refused = checked(root, &output).expect_err(&output.display().to_string());
            assert_eq!(refused.kind, ErrorKind::Output);
            assert!(refused.message.contains("Rien n'a été touché"), "{refused}");
        }
    }

    #[test]
    fn a_marked_folder_inside_content_is_still_refused() {
        let site = site();
        let out = site.path().join("content/public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert!(checked(site.path(), &out).is_err());
    }

    #[test]
    fn force_replaces_a_foreign_folder_but_never_the_sources() {
        let site = site();
        let root = site.path();
        let foreign = root.join("mes-fichiers");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("notes.txt"), "à garder").unwrap();
        let refused = checked(root, &foreign).unwrap_err();
        assert!(refused.message.contains("notes.txt"), "{refused}");
        assert!(refused.message.contains("--force"), "{refused}");
        let force = Permission {
            force: true,
            recorded: None,
        };
        assert!(check(root, &foreign, force).is_ok());
        assert!(check(root, &root.join("content"), force).is_err());
        assert!(check(root, root, force).is_err());
    }

    #[test]
    fn an_existing_file_is_refused() {
        let site = site();
        let file = site.path().join("rapport.pdf");
        fs::write(&file, "pdf").unwrap();
        let refused = checked(site.path(), &file).unwrap_err();
        assert!(refused.message.contains("est un fichier"), "{refused}");
    }

    #[test]
    fn the_recorded_output_is_recognised() {
        let site = site();
        let out = site.path().join("ancien");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "x").unwrap();
        let recorded = Permission {
            force: false,
            recorded: Some(&out),
        };
        assert!(check(site.path(), &out, recorded).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_followed_to_its_folder() {
        let site = site();
        let real = site.path().join("www");
        fs::create_dir_all(&real).unwrap();
        let link = site.path().join("public");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(checked(site.path(), &link).unwrap(), resolve(&real));
        let to_content = site.path().join("raccourci");
        std::os::unix::fs::symlink(site.path().join("content"), &to_content).unwrap();
        assert!(checked(site.path(), &to_content).is_err());
    }
}
