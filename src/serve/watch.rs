//! Watching the sources with notify (debounced) and rebuilding on change.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use super::live::{Event, Live};
use super::Reporter;
use crate::config::CONFIG_FILE;
use crate::diagnostics::io_message_fr;
use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::site::session::{change_kind, ChangeKind, Session};

/// Editors write a file in several steps (temporary file, rename): changes closer than this
/// are handled as one.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// Folders watched recursively, when they exist. The site root itself is watched without
/// recursion (for the configuration file): `public/` and the cache must not trigger rebuilds.
const WATCHED_DIRS: &[&str] = &["content", "themes", "templates", "static"];

pub fn spawn(
    session: Session,
    live: Arc<Live>,
    reporter: Arc<dyn Reporter>,
) -> Result<(), Diagnostic> {
    let root = session.root().to_path_buf();
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(|e| watch_error(&root, &e))?;
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| watch_error(&root, &e))?;
    for dir in WATCHED_DIRS {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| watch_error(&path, &e))?;
        }
    }
    std::thread::spawn(move || {
        // The debouncer lives as long as the loop: dropping it stops watching.
        let _debouncer = debouncer;
        rebuild_loop(session, &rx, &live, reporter.as_ref());
    });
    Ok(())
}

fn rebuild_loop(
    mut session: Session,
    rx: &mpsc::Receiver<DebounceEventResult>,
    live: &Live,
    reporter: &dyn Reporter,
) {
    while let Ok(first) = rx.recv() {
        let mut paths = event_paths(first);
        // Changes that arrived while the previous rebuild ran are handled together.
        while let Ok(more) = rx.try_recv() {
            paths.extend(event_paths(more));
        }
        let root = session.root().to_path_buf();
        let kinds: Vec<ChangeKind> = paths.iter().filter_map(|p| change_kind(&root, p)).collect();
        if kinds.is_empty() {
            continue;
        }
        let kind = if kinds.contains(&ChangeKind::Settings) {
            ChangeKind::Settings
        } else {
            ChangeKind::Content
        };
        live.set_busy(true);
        rebuild(&mut session, kind, &paths, live, reporter);
        live.set_busy(false);
    }
}

fn rebuild(
    session: &mut Session,
    kind: ChangeKind,
    paths: &[PathBuf],
    live: &Live,
    reporter: &dyn Reporter,
) {
    let started = Instant::now();
    let before = session.current();
    let snapshot = match session.update(kind, paths) {
        Ok(snapshot) => snapshot,
        Err(problems) => {
            reporter.failed(&problems);
            live.publish(None, problems, Event::reload_all());
            return;
        }
    };
    report_warnings(&snapshot.warnings(), paths, reporter);
    let work = session.last_work;
    live.set_work(work);
    live.publish(Some(snapshot), Vec::new(), Event::reload_all());
    reporter.rebuilt(&format!(
        "site mis à jour en {} ms ({} relu{}, {} remis en forme)",
        started.elapsed().as_millis(),
        crate::text::counted(work.parsed, "fichier", "fichiers"),
        crate::text::plural(work.parsed),
        crate::text::counted(work.rendered, "scénario", "scénarios")
    ));
    let step_one = session.current();
    match session.update_index() {
        Ok(indexed) => {
            let changed = match step_one.as_ref().or(before.as_ref()) {
                Some(previous) => indexed.index_changes(previous),
                None => vec!["*".to_string()],
            };
            let event = Event {
                generation: 0,
                chemins: changed,
            };
            live.publish(Some(indexed), Vec::new(), event);
        }
        Err(problems) => {
            reporter.failed(&problems);
            live.publish(None, problems, Event::reload_all());
        }
    }
}

/// The warnings of the files just changed (all of them when the change is not a file's).
fn report_warnings(warnings: &[Diagnostic], paths: &[PathBuf], reporter: &dyn Reporter) {
    let changed: Vec<Diagnostic> = warnings
        .iter()
        .filter(|d| paths.is_empty() || paths.iter().any(|p| p.ends_with(&d.file)))
        .cloned()
        .collect();
    if !changed.is_empty() {
        reporter.warned(&changed);
    }
}

fn event_paths(result: DebounceEventResult) -> Vec<PathBuf> {
    match result {
        // Reading a file is an event too (the build reads every source): only changes count.
        Ok(events) => events
            .into_iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .collect(),
        // A watcher error (too many files…) is worth a full rebuild.
        Err(_) => vec![PathBuf::from(CONFIG_FILE)],
    }
}

fn watch_error(path: &Path, err: &notify::Error) -> Diagnostic {
    Diagnostic::new(
        ErrorKind::Io,
        path,
        format!(
            "impossible de surveiller les modifications : {}",
            watch_message(&err.kind)
        ),
    )
}

/// notify's own messages are English (« No path was found », « OS file watch limit reached »).
fn watch_message(kind: &notify::ErrorKind) -> String {
    /// Too many open files: on Linux, each watcher is an inotify instance, and they are few.
    const EMFILE: i32 = 24;
    match kind {
        notify::ErrorKind::PathNotFound => "dossier introuvable".to_string(),
        notify::ErrorKind::MaxFilesWatch => "le système ne permet pas de surveiller autant de fichiers (sous Linux, augmentez fs.inotify.max_user_watches)".to_string(),
        notify::ErrorKind::Io(e) if e.raw_os_error() == Some(EMFILE) => "trop de fichiers ou de surveillances ouverts (sous Linux, augmentez fs.inotify.max_user_instances, ou fermez une autre vitrine serve)".to_string(),
        notify::ErrorKind::Io(e) => io_message_fr(e),
        notify::ErrorKind::Generic(_)
        | notify::ErrorKind::WatchNotFound
        | notify::ErrorKind::InvalidConfig(_) => {
            "erreur interne de la surveillance des fichiers".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_is_reported_in_french_with_its_path() {
        let missing = std::env::temp_dir().join("vitrine-dossier-qui-n-existe-pas");
        let (tx, _rx) = mpsc::channel::<DebounceEventResult>();
        let mut debouncer = new_debouncer(DEBOUNCE, None, tx).expect("debouncer");
        let err = debouncer
            .watch(&missing, RecursiveMode::Recursive)
            .expect_err("nothing to watch");
        let d = watch_error(&missing, &err);
        assert_eq!(d.file, missing);
        assert!(
            d.message.ends_with("dossier introuvable")
                || d.message.ends_with("fichier ou dossier introuvable"),
            "{}",
            d.message
        );
        assert!(!d.message.to_lowercase().contains("found"), "{}", d.message);
    }

    #[test]
    fn the_watch_limit_is_explained() {
        let message = watch_message(&notify::ErrorKind::MaxFilesWatch);
        assert!(message.contains("max_user_watches"), "{message}");
        let message = watch_message(&notify::ErrorKind::Io(std::io::Error::from_raw_os_error(
            24,
        )));
        assert!(message.contains("max_user_instances"), "{message}");
        let message = watch_message(&notify::ErrorKind::Generic("boom".into()));
        assert!(!message.contains("boom"), "{message}");
    }
}
