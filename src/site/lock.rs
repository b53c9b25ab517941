//! One build of a site at a time: a second `vitrine build` (a scheduled one while the
//! webmaster builds by hand) waits for the first instead of failing halfway with a puzzling
//! « dossier introuvable » when both swap the published folder, the index and the record.
//!
//! The lock is an advisory lock held on the site's root folder itself for the whole build: no
//! file is created (a refused build touches nothing), and the system releases it when the
//! process ends, even killed, so a stale lock never blocks the next build.

use std::fs::{File, TryLockError};
use std::path::Path;

use crate::site::options::Progress;

/// Held while a build runs; dropping it lets the next build start.
#[derive(Debug)]
pub struct BuildLock {
    _file: Option<File>,
}

/// Takes the site's build lock, waiting (and saying so) while another build holds it.
///
/// Where the lock cannot be had (a system where a folder cannot be opened as a file, a file
/// system without locks) the build goes on unlocked, as before this lock existed: refusing to
/// build would be worse than the rare overlap the lock guards against.
pub fn acquire(root: &Path, progress: &dyn Progress) -> BuildLock {
    let unlocked = BuildLock { _file: None };
    let Ok(file) = File::open(root) else {
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
        let notices = Notices::default();
        let lock = acquire(dir.path(), &notices);
        let other = File::open(dir.path()).expect("open");
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        drop(lock);
        assert!(other.try_lock().is_ok(), "released when the build ends");
        assert!(notices.0.lock().expect("notices").is_empty());
        assert_eq!(
            std::fs::read_dir(dir.path()).expect("list").count(),
            0,
            "no file made"
        );
    }
}
