//! Typed reading of front matter values, collecting every problem instead of stopping at the
//! first one.

use std::path::Path;

use chrono::NaiveDate;
use serde_yaml::Value;

use crate::content::frontmatter::FrontMatter;
use crate::diagnostics::{closest, Diagnostic, ErrorKind};
use crate::vocab::Vocabulary;

/// Reads keys of one front matter block and accumulates diagnostics.
pub struct Reader<'a> {
    pub file: &'a Path,
    pub fm: &'a FrontMatter,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a Path, fm: &'a FrontMatter) -> Reader<'a> {
        Reader {
            file,
            fm,
            diagnostics: Vec::new(),
        }
    }

    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.fm.values.get(key).filter(|v| !v.is_null())
    }

    /// A problem located at the value of `path`.
    pub fn error(&mut self, kind: ErrorKind, path: &str, message: String) -> &mut Diagnostic {
        let (line, column) = self.fm.value_position(path);
        self.diagnostics.push(
            Diagnostic::new(kind, self.file, message)
                .at(line, column)
                .field(path),
        );
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// Reports every key not in `known`, with the closest known key (or a usual synonym).
    pub fn reject_unknown_keys(&mut self, known: &[&str], synonyms: &[(&str, &str)]) {
        let keys: Vec<String> = self
            .fm
            .values
            .keys()
            .map(|k| scalar_to_string(k).unwrap_or_else(|| "?".to_string()))
            .collect();
        for key in keys {
            if known.contains(&key.as_str()) {
                continue;
            }
            let folded = crate::text::fold(&key);
            let suggestion = synonyms
                .iter()
                .find(|(alias, _)| *alias == folded)
                .map(|(_, k)| k.to_string())
                .or_else(|| closest(&key, known.iter().copied()));
            let (line, column) = self.fm.key_position(&key);
            self.diagnostics.push(
                Diagnostic::new(
                    ErrorKind::UnknownKey,
                    self.file,
                    format!("clé inconnue « {key} »"),
                )
                .at(line, column)
                .field(key.clone())
                .suggest(suggestion),
            );
        }
    }

    /// A text value. Numbers are accepted as text (`titre: 1984`).
    pub fn text(&mut self, key: &str) -> Option<String> {
        let value = self.raw(key)?;
        match scalar_to_string(value) {
            Some(s) if s.trim().is_empty() => None,
            Some(s) => Some(s.trim().to_string()),
            None => {
                self.error(
                    ErrorKind::WrongType,
                    key,
                    format!("« {key} » doit être un texte, pas {}", describe(value)),
                );
                None
            }
        }
    }

    pub fn required_text(&mut self, key: &str, what: &str) -> Option<String> {
        let value = self.text(key);
        if value.is_none() && self.raw(key).is_none() {
            self.missing(key, what);
        }
        value
    }

    pub fn missing(&mut self, key: &str, what: &str) {
        let (line, column) = self.fm.start_position();
        self.diagnostics.push(
            Diagnostic::new(
                ErrorKind::MissingField,
                self.file,
                format!("clé obligatoire absente : « {key} » ({what})"),
            )
            .at(line, column)
            .field(key),
        );
    }

    /// A list of texts with their paths. A single text is accepted as a list of one.
    pub fn list(&mut self, key: &str) -> Vec<(String, String)> {
        let Some(value) = self.raw(key) else {
            return Vec::new();
        };
        match value {
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let path = format!("{key}[{i}]");
                    match scalar_to_string(item) {
                        Some(s) if !s.trim().is_empty() => out.push((s.trim().to_string(), path)),
                        Some(_) => {}
                        None => {
                            self.error(
                                ErrorKind::WrongType,
                                &path,
                                format!(
                                    "chaque élément de « {key} » doit être un texte, pas {}",
                                    describe(item)
                                ),
                            );
                        }
                    }
                }
                out
            }
            other => match scalar_to_string(other) {
                Some(s) => match comma_parts(&s) {
                    // `outils: Tableur, ENT, Genially` means three tools, never one named so.
                    Some(parts) => parts.into_iter().map(|p| (p, key.to_string())).collect(),
                    None => vec![(s.trim().to_string(), key.to_string())],
                },
                None => {
                    self.error(
                        ErrorKind::WrongType,
                        key,
                        format!("« {key} » doit être une liste, pas {}", describe(other)),
                    );
                    Vec::new()
                }
            },
        }
    }

    /// A list of vocabulary values, resolved to keys (duplicates dropped, order kept).
    pub fn vocab_list(&mut self, key: &str, vocab: &Vocabulary) -> Vec<String> {
        let mut keys = Vec::new();
        let mut seen = std::collections::HashSet::new();
        // A value whose label has a comma (« Protéger la santé, le bien-être… ») is not a list.
        let whole = self
            .raw(key)
            .and_then(scalar_to_string)
            .filter(|s| vocab.resolve_as_one(s.trim()).is_some());
        let items = match whole {
            Some(s) => vec![(s.trim().to_string(), key.to_string())],
            None => self.list(key),
        };
        for (written, path) in items {
            if written.trim().is_empty() {
                // `academie:` with nothing after it: say it is empty, not « valeur inconnue «  » ».
                let values = vocab.accepted_values();
                self.error(
                    ErrorKind::MissingField,
                    &path,
                    format!("« {key} » ne peut pas être vide ({values})"),
                );
                continue;
            }
            match vocab.resolve(&written) {
                Some(entry) => {
                    if seen.insert(entry.cle.as_str()) {
                        keys.push(entry.cle.clone());
                    }
                }
                None => {
                    let suggestion = vocab.suggest(&written);
                    // Without a close value, the referent needs the list itself.
                    let values = match suggestion {
                        Some(_) => format!("liste des valeurs : {}", vocab.where_listed()),
                        None => vocab.accepted_values(),
                    };
                    self.error(
                        ErrorKind::UnknownVocabulary,
                        &path,
                        format!("valeur inconnue « {written} » pour « {key} » ({values})"),
                    )
                    .suggestion = suggestion;
                }
            }
        }
        keys
    }

    /// An ISO date (`2025-03-14`).
    pub fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let text = self.text(key)?;
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                let suggestion = french_date_to_iso(&text);
                self.error(
                    ErrorKind::InvalidValue,
                    key,
                    format!("date invalide « {text} » : écrivez-la sous la forme AAAA-MM-JJ (par exemple 2025-03-14)"),
                )
                .suggestion = suggestion;
                None
            }
        }
    }

    pub fn boolean(&mut self, key: &str) -> bool {
        match self.raw(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                let text = scalar_to_string(other).unwrap_or_default();
                let suggestion = match crate::text::fold(&text).as_str() {
                    "oui" | "vrai" | "yes" | "o" => Some("true".to_string()),
                    "non" | "faux" | "no" | "n" => Some("false".to_string()),
                    _ => None,
                };
                self.error(
                    ErrorKind::WrongType,
                    key,
                    format!("« {key} » vaut true ou false, pas « {text} »"),
                )
                .suggestion = suggestion;
                false
            }
        }
    }

    /// An `http(s)` address.
    pub fn url(&mut self, key: &str) -> Option<String> {
        let text = self.text(key)?;
        if is_web_url(&text) {
            Some(text)
        } else {
            self.error(
                ErrorKind::InvalidValue,
                key,
                format!(
                    "adresse web invalide « {text} » : elle doit commencer par https:// ou http://"
                ),
            );
            None
        }
    }
}

/// The parts of a list written as one text with commas (`Tableur, ENT, Genially`); `None`
/// when there are fewer than two.
pub fn comma_parts(text: &str) -> Option<Vec<String>> {
    let parts: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    (parts.len() > 1).then_some(parts)
}

pub fn is_web_url(text: &str) -> bool {
    url::Url::parse(text)
        .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .unwrap_or(false)
}

/// « 14/03/2025 » → `2025-03-14`, the most common mistake.
fn french_date_to_iso(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    if let [d, m, y] = parts.as_slice() {
        if y.len() == 4 {
            let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
            return Some(date.format("%Y-%m-%d").to_string());
        }
    }
    None
}

/// Scalars as text: strings, numbers (`1.1` as CRCN code), booleans.
pub fn scalar_to_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// What a value is, in French, for type errors.
pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "une valeur vide",
        Value::Bool(_) => "un booléen",
        Value::Number(_) => "un nombre",
        Value::String(_) => "un texte",
        Value::Sequence(_) => "une liste",
        Value::Mapping(_) => "un ensemble de clés",
        Value::Tagged(_) => "une valeur étiquetée",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_dates_get_an_iso_suggestion() {
        assert_eq!(
            french_date_to_iso("14/03/2025").as_deref(),
            Some("2025-03-14")
        );
        assert_eq!(french_date_to_iso("31/02/2025"), None);
    }

    #[test]
    fn web_urls() {
        assert!(is_web_url("https://eduscol.education.fr/"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("eduscol.education.fr"));
    }
}
