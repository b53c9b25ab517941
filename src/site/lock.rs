//! One build of a site at a time: a second `vitrine build` (a scheduled one while the
//! webmaster builds by hand) waits for the first instead of failing halfway with a puzzling
//! « dossier introuvable » when both swap the published folder, the index and the record.
//!
//! The lock is an advisory lock held on `.vitrine-cache/construction.verrou` for the whole
//! build; the system releases it when the process ends, even killed, so a stale lock never
//! blocks the next build.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::Path;

use crate::site::options::Progress;

const LOCK_FILE: &str = "construction.verrou";

/// Held while a build runs; dropping it lets the next build start.
#[derive(Debug)]
pub struct BuildLock {
    _file: Option<File>,
}

/// Takes the site's build lock, waiting (and saying so) while another build holds it.
///
/// Where the lock cannot be had (a read-only cache folder, a file system without locks) the
/// build goes on unlocked, as before this lock existed: its own stages report what they cannot
/// write, and refusing to build would be worse than the rare overlap the lock guards against.
pub fn acquire(cache_dir: &Path, progress: &dyn Progress) -> BuildLock {
    let unlocked = BuildLock { _file: None };
    if fs::create_dir_all(cache_dir).is_err() {
        return unlocked;
    }
    let Ok(file) = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(cache_dir.join(LOCK_FILE))
    else {
        return unlocked;
    };
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            progress.notice(
                "une autre construction de ce site est en cours : celle-ci attend qu'elle se termine…",
            );
            if file.lock().is_err() {
                return unlocked;
            }
        }
        Err(TryLockError::Error(_)) => return unlocked,
    }
    BuildLock { _file: Some(file) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Notices(Mutex<Vec<String>>);

    impl Progress for Notices {
        fn stage(&self, _message: &str) {}
        fn notice(&self, message: &str) {
            self.0.lock().expect("notices").push(message.to_string());
        }
    }

    #[test]
    fn a_free_lock_is_taken_without_a_word_and_released_on_drop() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = dir.path().join(".vitrine-cache");
        let notices = Notices::default();
        let lock = acquire(&cache, &notices);
        let other = File::open(cache.join(LOCK_FILE)).expect("open");
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        drop(lock);
        assert!(other.try_lock().is_ok(), "released when the build ends");
        assert!(notices.0.lock().expect("notices").is_empty());
    }
}
