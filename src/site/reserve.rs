//! The reserve: the site replaced by the last build, kept beside the output
//! (`.public.vitrine-reserve`) so that the next build's staging folder starts from it.
//!
//! Most files of a rebuild are the same as in the published site and are hard links to it
//! there; starting from the reserve, a build only writes, links or deletes the files that
//! differ, and keeps the tens of thousands of folders where they are. The reserve is never
//! published as it is: it becomes the staging folder, which is made to hold exactly this
//! build's files before it takes the place of the output.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::site::cache::Published;

/// Turns the reserve into the staging folder `staging` and returns its files as recorded.
/// Anything the record does not list (a file added by hand, a symbolic link) is removed, so
/// that writing into the staging folder never follows a link out of it. Without a record the
/// reserve is deleted and the staging folder starts empty.
pub fn take(
    reserve: &Path,
    staging: &Path,
    recorded: Option<BTreeMap<String, Published>>,
) -> io::Result<(BTreeMap<String, Published>, Discarding)> {
    let files = match recorded {
        Some(files) if !files.is_empty() && fs::rename(reserve, staging).is_ok() => files,
        _ => return Ok((BTreeMap::new(), discard(reserve)?)),
    };
    remove_unrecorded(staging, &files)?;
    // The reserve is the staging folder now: only what a stopped deletion left goes.
    Ok((files, discard(reserve)?))
}

/// The deletion of a reserve no record vouches for, running beside the build (see
/// [`discard`]); waited for with [`Discarding::finish`].
pub struct Discarding(Option<std::thread::JoinHandle<()>>);

impl Discarding {
    /// Waits until the discarded folders are deleted (what a deletion could not remove is
    /// left for the next build).
    pub fn finish(self) {
        if let Some(thread) = self.0 {
            let _ = thread.join();
        }
    }
}

/// Removes the folder `dir` without making the build wait for it: renamed aside at once (its
/// name then free), deleted on a thread of its own while the build goes on. The reserve of a
/// national site holds hundreds of thousands of files, a minute of deletions, when the build
/// record is gone (cache folder deleted, new version of vitrine). Folders set aside this way by
/// a process that stopped before deleting them are deleted too.
fn discard(dir: &Path) -> io::Result<Discarding> {
    let mut doomed = leftovers(dir);
    if fs::symlink_metadata(dir).is_ok() {
        // A leftover may bear this process's number (numbers are reused): never rename onto it.
        let aside = (0..)
            .map(|n| aside_name(dir, &format!("{}-{n}", std::process::id())))
            .find(|aside| !doomed.contains(aside))
            .unwrap_or_else(|| aside_name(dir, "x"));
        fs::rename(dir, &aside)?;
        doomed.push(aside);
    }
    if doomed.is_empty() {
        return Ok(Discarding(None));
    }
    let thread = std::thread::spawn(move || {
        for folder in doomed {
            let _ = clear(&folder);
        }
    });
    Ok(Discarding(Some(thread)))
}

/// Where [`discard`] moves `dir`: `.public.vitrine-reserve` →
/// `.public.vitrine-reserve-a-effacer-<process>-<n>`.
fn aside_name(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    dir.with_file_name(format!("{name}{ASIDE}{suffix}"))
}

const ASIDE: &str = "-a-effacer-";

/// Folders a previous [`discard`] of `dir` left behind.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Vec::new();
    };
    let prefix = format!("{}{ASIDE}", name.to_string_lossy());
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    fs::read_dir(parent)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// Removes every entry of `dir` that is neither a recorded file nor a folder holding one.
fn remove_unrecorded(dir: &Path, files: &BTreeMap<String, Published>) -> io::Result<()> {
    let folders = folders_of(files.keys().map(String::as_str));
    let mut entries = WalkDir::new(dir).min_depth(1).into_iter();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(io::Error::other)?;
        let rel = relative(dir, entry.path());
        if entry.file_type().is_dir() {
            if !folders.contains(rel.as_str()) {
                fs::remove_dir_all(entry.path())?;
                entries.skip_current_dir();
            }
        } else if !entry.file_type().is_file() || !files.contains_key(&rel) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Every folder (relative, `/`-separated) holding one of `paths`, at any depth.
fn folders_of<'a>(paths: impl Iterator<Item = &'a str>) -> HashSet<&'a str> {
    let mut folders = HashSet::new();
    for path in paths {
        let mut rest = path;
        while let Some(slash) = rest.rfind('/') {
            rest = &rest[..slash];
            if !folders.insert(rest) {
                break;
            }
        }
    }
    folders
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Removes whatever is at `path` (a file, a link, a folder), if anything.
pub fn clear(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(_) => Ok(()),
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
    }
}

/// Creates `folder` under `root`, first removing a file of the reserve that stands where one
/// of its folders must go (a page whose address became a folder).
pub fn make_folder(root: &Path, folder: &Path) -> io::Result<()> {
    if fs::create_dir_all(folder).is_ok() {
        return Ok(());
    }
    let mut ancestors: Vec<PathBuf> = folder
        .ancestors()
        .take_while(|a| a.starts_with(root) && *a != root)
        .map(Path::to_path_buf)
        .collect();
    ancestors.reverse();
    for ancestor in ancestors {
        if fs::symlink_metadata(&ancestor).is_ok_and(|m| !m.is_dir()) {
            fs::remove_file(&ancestor)?;
        }
    }
    fs::create_dir_all(folder)
}

/// Deletes the reserve's files that this build did not write (`written`), and the folders
/// left empty, so that the staging folder holds this build's files and nothing else.
pub fn prune(
    dir: &Path,
    kept: &BTreeMap<String, Published>,
    written: &HashMap<String, Published>,
) -> io::Result<()> {
    let mut emptied: Vec<&str> = Vec::new();
    for path in kept.keys().filter(|p| !written.contains_key(*p)) {
        match fs::remove_file(dir.join(path)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        emptied.extend(path.rfind('/').map(|slash| &path[..slash]));
    }
    // Deepest first, so that a folder is empty once its sub-folders are gone.
    emptied.sort_by_key(|folder| std::cmp::Reverse(folder.matches('/').count()));
    emptied.dedup();
    for folder in emptied {
        let mut rest = folder;
        // Only empty folders go (an error says it is not), then their parents if emptied.
        while fs::remove_dir(dir.join(rest)).is_ok() {
            match rest.rfind('/') {
                Some(slash) => rest = &rest[..slash],
                None => break,
            }
        }
    }
    Ok(())
}

/// The reserve and the staging folder sit beside the output, often inside the folder a web
/// server publishes (`--output /var/www/html/vitrine`). Readable by the server, the reserve
/// would serve the previous site, pages of scenarios since withdrawn included, at a hidden
/// address: both are kept to the user who builds (the files inside are hard links shared with
/// the published site and keep their own modes; closing the folder is enough).
pub fn make_private(dir: &Path) -> io::Result<()> {
    set_mode(dir, FolderMode(0o700))
}

/// Permission bits of a folder (Unix); elsewhere, nothing to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderMode(u32);

/// The mode of `dir`, if it exists.
pub fn folder_mode(dir: &Path) -> Option<FolderMode> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(dir)
            .ok()
            .map(|m| FolderMode(m.permissions().mode() & 0o7777))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Gives `dir` the mode `mode` (nothing outside Unix).
pub fn set_mode(dir: &Path, mode: FolderMode) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(mode.0))
    }
    #[cfg(not(unix))]
    {
        let _ = (dir, mode);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published(paths: &[&str], dir: &Path) -> BTreeMap<String, Published> {
        paths
            .iter()
            .map(|p| {
                let stamp = crate::site::cache::stamp(&dir.join(p)).expect("file");
                (p.to_string(), stamp)
            })
            .collect()
    }

    fn write(dir: &Path, path: &str) {
        let target = dir.join(path);
        fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        fs::write(target, path).expect("write");
    }

    #[test]
    fn taking_removes_what_the_record_does_not_list() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let reserve = tmp.path().join("reserve");
        for path in ["a/index.html", "a/b/c.html", "x.css"] {
            write(&reserve, path);
        }
        let recorded = published(&["a/index.html", "x.css"], &reserve);
        write(&reserve, "ajout/main.html");
        let staging = tmp.path().join("staging");
        let leftover = aside_name(&reserve, "7-0");
        write(&leftover, "a/index.html");
        let (kept, discarding) = take(&reserve, &staging, Some(recorded.clone())).expect("take");
        discarding.finish();
        assert_eq!(kept, recorded);
        assert!(!reserve.exists());
        assert!(
            !leftover.exists(),
            "what a stopped deletion left is deleted"
        );
        let mut left: Vec<String> = WalkDir::new(&staging)
            .min_depth(1)
            .into_iter()
            .map(|e| relative(&staging, e.expect("entry").path()))
            .collect();
        left.sort();
        assert_eq!(left, ["a", "a/index.html", "x.css"]);
    }

    #[test]
    fn without_a_record_the_reserve_is_deleted() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let reserve = tmp.path().join(".public.vitrine-reserve");
        write(&reserve, "a/index.html");
        // What a build stopped during a deletion left (it is deleted as well)…
        let leftover = aside_name(&reserve, "12345-0");
        write(&leftover, "b/index.html");
        // One bearing this process's number: the reserve must not be renamed onto it.
        let same_number = aside_name(&reserve, &format!("{}-0", std::process::id()));
        write(&same_number, "c/index.html");
        // …but not a folder of the user's.
        write(&tmp.path().join("public-a-effacer"), "note.txt");
        let (kept, discarding) = take(&reserve, &tmp.path().join("staging"), None).expect("take");
        assert!(kept.is_empty());
        // Its name is free at once: the deletion goes on beside the build.
        assert!(!reserve.exists());
        assert!(!tmp.path().join("staging").exists());
        discarding.finish();
        let mut left: Vec<String> = fs::read_dir(tmp.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["public-a-effacer"]);
    }

    #[test]
    fn pruning_removes_unwritten_files_and_emptied_folders() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        for path in ["s/a/index.html", "s/b/index.html", "s/b/f/x.pdf", "i.html"] {
            write(dir, path);
        }
        let kept = published(
            &["s/a/index.html", "s/b/index.html", "s/b/f/x.pdf", "i.html"],
            dir,
        );
        let written: HashMap<String, Published> = ["s/a/index.html", "i.html"]
            .iter()
            .map(|p| (p.to_string(), kept[*p].clone()))
            .collect();
        prune(dir, &kept, &written).expect("prune");
        assert!(dir.join("s/a/index.html").is_file() && dir.join("i.html").is_file());
        assert!(!dir.join("s/b").exists(), "emptied folders go");
        assert!(dir.join("s").is_dir());
    }

    #[cfg(unix)]
    #[test]
    fn a_file_where_a_folder_must_go_is_replaced() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        write(root, "a/b");
        make_folder(root, &root.join("a/b/c")).expect("folder");
        assert!(root.join("a/b/c").is_dir());
    }
}
