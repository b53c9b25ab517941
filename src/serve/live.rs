//! The live state shared by the watcher (writer) and the HTTP handlers (readers): the snapshot
//! served, the current errors, and the reload events sent to the open pages.

use std::sync::{Arc, RwLock};

use serde::Serialize;
use tokio::sync::broadcast;

use crate::diagnostics::Diagnostic;
use crate::site::session::{Snapshot, Work};

/// Sent to the pages after each rebuild step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub generation: u64,
    /// Site paths whose content changed (`scenarios/x/`), or `["*"]` for every page.
    pub chemins: Vec<String>,
}

impl Event {
    pub fn reload_all() -> Event {
        Event {
            generation: 0,
            chemins: vec!["*".to_string()],
        }
    }
}

/// What the server shows now.
#[derive(Clone, Default)]
pub struct State {
    /// The last good build (`None` if no build ever succeeded).
    pub snapshot: Option<Arc<Snapshot>>,
    /// Problems of the last attempt (empty when it succeeded).
    pub errors: Arc<Vec<Diagnostic>>,
    /// Increases with each published change (snapshot or errors).
    pub generation: u64,
    /// A rebuild is under way.
    pub busy: bool,
    /// What the last successful update read and rendered again.
    pub work: Work,
}

pub struct Live {
    state: RwLock<State>,
    events: broadcast::Sender<Event>,
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

impl Live {
    pub fn new() -> Live {
        let (events, _) = broadcast::channel(64);
        Live {
            state: RwLock::new(State::default()),
            events,
        }
    }

    pub fn state(&self) -> State {
        self.state.read().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    pub fn set_work(&self, work: Work) {
        if let Ok(mut state) = self.state.write() {
            state.work = work;
        }
    }

    pub fn set_busy(&self, busy: bool) {
        if let Ok(mut state) = self.state.write() {
            state.busy = busy;
        }
    }

    /// Replaces the snapshot (when `Some`) and the errors, then tells the pages.
    pub fn publish(&self, snapshot: Option<Arc<Snapshot>>, errors: Vec<Diagnostic>, event: Event) {
        let generation = match self.state.write() {
            Ok(mut state) => {
                if snapshot.is_some() {
                    state.snapshot = snapshot;
                }
                state.errors = Arc::new(errors);
                state.generation += 1;
                state.generation
            }
            Err(_) => return,
        };
        // No open page is not an error.
        let _ = self.events.send(Event {
            generation,
            ..event
        });
    }
}
