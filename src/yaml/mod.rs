//! YAML shared by the configuration and the content: French messages for the library's
//! errors ([`french`]), the position (line, column) of every key and value, and decoding of
//! the source files (UTF-8, with advice for other encodings: [`encoding`]).
//!
//! serde_yaml gives values but no positions; yaml-rust2's marked event parser gives positions.

pub mod encoding;
pub mod french;
mod mistakes;

pub use mistakes::silent_mistake;

use std::collections::HashMap;
use std::path::Path;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::{Diagnostic, ErrorKind};

/// Positions of keys and values by path (`titre`, `auteurs[0].nom`, `disciplines[2]`).
#[derive(Debug, Default)]
pub struct Positions {
    pub keys: HashMap<String, (usize, usize)>,
    pub values: HashMap<String, (usize, usize)>,
}

/// A serde_yaml error as a located French diagnostic. `first_line` is the file line of the
/// first line of `yaml` (2 in a front matter, after the opening `---`).
pub fn yaml_diagnostic(
    file: &Path,
    yaml: &str,
    err: &serde_yaml::Error,
    first_line: usize,
) -> Diagnostic {
    let (line, column) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    let explained = french::explain_in(&err.to_string(), yaml, line, column, first_line);
    explained_diagnostic(file, explained, first_line)
}

/// A located French explanation as a diagnostic in file coordinates.
pub fn explained_diagnostic(
    file: &Path,
    explained: french::Explained,
    first_line: usize,
) -> Diagnostic {
    Diagnostic::new(
        ErrorKind::InvalidYaml,
        file,
        format!("YAML invalide : {}", explained.message),
    )
    .at(explained.line + first_line - 1, explained.column)
    .suggest(explained.fix)
}

/// Line and column (1-based) of the value at `path` (`a.b[2]`) in a whole YAML document,
/// else of its key; `None` when the path is not in the document.
pub fn yaml_position(yaml: &str, path: &str) -> Option<(usize, usize)> {
    let positions = locate(yaml);
    positions
        .values
        .get(path)
        .or_else(|| positions.keys.get(path))
        .copied()
}

/// Walks the YAML events and records the position of every key and value by path.
pub fn locate(yaml: &str) -> Positions {
    let mut locator = Locator::default();
    let mut parser = Parser::new_from_str(yaml);
    // A syntax error was already reported by serde_yaml; positions are best effort.
    let _ = parser.load(&mut locator, false);
    locator.positions
}

#[derive(Debug)]
enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

#[derive(Debug, Default)]
struct Locator {
    stack: Vec<Frame>,
    positions: Positions,
}

impl Locator {
    /// The path a new node would take, or `None` when the node is a mapping key.
    fn next_value_path(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Map { key: None, .. }) => None,
            Some(Frame::Map { path, key }) => {
                let k = key.take().unwrap_or_default();
                Some(join_key(path, &k))
            }
            Some(Frame::Seq { path, index }) => {
                let p = format!("{path}[{index}]");
                *index += 1;
                Some(p)
            }
        }
    }

    fn record(&mut self, path: &str, mark: Marker) {
        self.positions
            .values
            .entry(path.to_string())
            .or_insert((mark.line(), mark.col() + 1));
    }
}

fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl MarkedEventReceiver for Locator {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => match self.next_value_path() {
                Some(path) => self.record(&path, mark),
                None => {
                    if let Some(Frame::Map { path, key }) = self.stack.last_mut() {
                        let full = join_key(path, &text);
                        self.positions
                            .keys
                            .entry(full)
                            .or_insert((mark.line(), mark.col() + 1));
                        *key = Some(text);
                    }
                }
            },
            Event::MappingStart(..) => {
                let path = self.next_value_path().unwrap_or_default();
                if !path.is_empty() {
                    self.record(&path, mark);
                }
                self.stack.push(Frame::Map { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = self.next_value_path().unwrap_or_default();
                self.record(&path, mark);
                self.stack.push(Frame::Seq { path, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Alias(_) => {
                self.next_value_path();
            }
            _ => {}
        }
    }
}
