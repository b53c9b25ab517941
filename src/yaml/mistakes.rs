//! The YAML mistakes referents make that libyaml reports far from their cause (an unclosed
//! quote is noticed at the end of the header), with a vague class (« could not find expected
//! ':' »), or not at all: `-Tableur` and `titre:Les fractions` are valid YAML texts, and
//! `- Séance 1 : découverte` is a valid mapping. Each is recognised from the source lines and
//! explained with the line to write instead.

use super::french::{closing_quote, line_text, value_start, Explained};
use super::Positions;

/// A mistake recognised from libyaml's `error` at `line`, `column` (1-based, in `yaml`, whose
/// first line is line `first_line` of its file).
pub(super) fn explain(
    error: &str,
    yaml: &str,
    line: usize,
    column: usize,
    first_line: usize,
) -> Option<Explained> {
    if error.contains("duplicate entry") {
        return duplicate_key(error, yaml, line, column, first_line);
    }
    if let Some(found) = unclosed_quote(error, yaml) {
        return Some(found);
    }
    if let Some(found) = unclosed_bracket(error, yaml) {
        return Some(found);
    }
    if let Some((l, _)) = context_mark(error, "while scanning a simple key") {
        let text = line_text(yaml, l)?;
        return dash_without_space(text, l).or_else(|| missing_space_after_colon(text, l, None));
    }
    if error.contains("mapping values are not allowed") {
        return colon_in_value(yaml, line);
    }
    None
}

/// Mistakes that YAML accepts, giving a value the referent did not mean: a text « -Tableur »
/// instead of a list item, a text « titre:Les fractions » instead of a key, a mapping
/// `{"Séance 1": "découverte"}` instead of a text. `known` holds the keys of the header.
pub fn silent_mistake(yaml: &str, positions: &Positions, known: &[&str]) -> Option<Explained> {
    // Lines cut once: a header may hold 100,000 values (tests/scenario_hostile.rs), and looking
    // each one's line up from the start made this quadratic.
    let lines: Vec<&str> = yaml.lines().collect();
    let line_text = |_: &str, l: usize| lines.get(l.checked_sub(1)?).copied();
    let values = positions.values.values().filter_map(|&(l, c)| {
        let text = line_text(yaml, l)?;
        let at = text.char_indices().nth(c.checked_sub(1)?)?.0;
        // Only a value alone on its line, after its indentation or its « - ».
        let before = text[..at].trim_start().trim_end_matches([' ', '-']);
        if !before.is_empty() {
            return None;
        }
        let found = if text[..at].trim().is_empty() {
            dash_without_space(text, l)
        } else {
            None
        };
        found.or_else(|| missing_space_after_colon(text, l, Some(known)))
    });
    let keys = positions
        .keys
        .values()
        .filter_map(|&(l, c)| spaced_key(line_text(yaml, l)?, l, c, known));
    values.chain(keys).min_by_key(|e| (e.line, e.column))
}

/// The mark libyaml names after `context` (« while scanning a quoted scalar at line 1 column
/// 8 »): where the unfinished construct starts.
fn context_mark(error: &str, context: &str) -> Option<(usize, usize)> {
    let rest = error[error.find(context)? + context.len()..].strip_prefix(" at line ")?;
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

fn indentation(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// A quoted value whose closing quote never comes: libyaml stops at the end of the header,
/// the referent must look at the opening quote.
fn unclosed_quote(error: &str, yaml: &str) -> Option<Explained> {
    let (line, column) = context_mark(error, "while scanning a quoted scalar")?;
    let text = line_text(yaml, line)?;
    let at = text.char_indices().nth(column.checked_sub(1)?)?.0;
    let quote = text[at..]
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'')?;
    let closed_on_its_line = closing_quote(&text[at + 1..], quote).is_some();
    let message = if quote == '"' {
        "guillemet droit « \" » ouvert ici et jamais fermé : ajoutez le guillemet fermant à la fin de la valeur"
    } else {
        "apostrophe « ' » ouvrant un texte ici et jamais fermée : ajoutez l'apostrophe fermante à la fin de la valeur, ou entourez la valeur de guillemets droits (\"…\")"
    };
    Some(Explained {
        message: message.to_string(),
        line,
        column,
        fix: (!closed_on_its_line).then(|| format!("{}{quote}", text.trim_end())),
    })
}

/// A list in brackets (or a set of keys in braces) never closed.
fn unclosed_bracket(error: &str, yaml: &str) -> Option<Explained> {
    let (line, column) = context_mark(error, "while parsing a flow sequence")
        .or_else(|| context_mark(error, "while parsing a flow mapping"))?;
    let text = line_text(yaml, line)?;
    let at = text.char_indices().nth(column.checked_sub(1)?)?.0;
    let (message, closing) = match text[at..].chars().next()? {
        '[' => ("crochet « [ » ouvert ici et jamais fermé : fermez la liste avec « ] » à la fin de la ligne", ']'),
        '{' => ("accolade « { » ouverte ici et jamais fermée : fermez-la avec « } » à la fin de la ligne", '}'),
        _ => return None,
    };
    // Closed on its line: the mistake is inside the list, the class message says which.
    if text[at..].contains(closing) {
        return None;
    }
    let ends_open = text.trim_end().ends_with(',');
    Some(Explained {
        message: message.to_string(),
        line,
        column,
        fix: (!ends_open).then(|| format!("{}{closing}", text.trim_end())),
    })
}

/// `-Tableur`: without a space the dash is part of the text, not a list item.
fn dash_without_space(text: &str, line: usize) -> Option<Explained> {
    let trimmed = text.trim_start();
    let rest = trimmed.strip_prefix('-')?;
    let next = rest.chars().next()?;
    if next.is_whitespace() || next == '-' {
        return None;
    }
    let indent = indentation(text);
    Some(Explained {
        message: format!(
            "tiret collé au texte : « {} » est lu comme un texte, pas comme un élément de liste ; ajoutez une espace après le tiret",
            trimmed.trim_end()
        ),
        line,
        column: text[..indent].chars().count() + 1,
        fix: Some(format!("{}- {}", &text[..indent], rest.trim_end())),
    })
}

/// `titre:Les fractions`: without a space after the colon YAML reads one text and the key is
/// missing. With `known`, only the header's keys are recognised (a text may hold `a:b`).
fn missing_space_after_colon(text: &str, line: usize, known: Option<&[&str]>) -> Option<Explained> {
    let start = indentation(text);
    let start = start
        + text[start..]
            .strip_prefix("- ")
            .map_or(0, |r| text[start..].len() - r.trim_start().len());
    let (key, value) = text[start..].split_once(':')?;
    let is_key = key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    let first = value.chars().next()?;
    if !is_key || first.is_whitespace() || first == '/' || first == ':' {
        return None;
    }
    if known.is_some_and(|k| !k.contains(&key)) {
        return None;
    }
    Some(Explained {
        message: format!(
            "espace manquante après « {key}: » : sans espace, YAML lit « {key}:{} » comme un seul texte et la clé « {key} » manque ; ajoutez une espace après les deux-points",
            value.trim_end()
        ),
        line,
        column: text[..start + key.len()].chars().count() + 1,
        fix: Some(format!("{}{key}: {}", &text[..start], value.trim_end())),
    })
}

/// The text quoted as YAML needs it: in guillemets droits, or in apostrophes when it holds one.
fn quoted(value: &str) -> String {
    if value.contains('"') {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    }
}

fn colon_message() -> String {
    "deux-points dans une valeur : YAML lit « : » suivi d'une espace comme la séparation entre une clé et sa valeur ; entourez la valeur de guillemets droits \"…\"".to_string()
}

/// `titre: Séance 1 : découverte`: the second colon is read as a key's.
fn colon_in_value(yaml: &str, line: usize) -> Option<Explained> {
    let text = line_text(yaml, line)?;
    let start = value_start(text)?;
    let value = text[start..].trim();
    if value.starts_with(['"', '\'', '[', '{', '|', '>', '#']) || !value.contains(':') {
        return None;
    }
    let prefix = &text[..start];
    let offset = text[start..].len() - text[start..].trim_start().len();
    Some(Explained {
        message: colon_message(),
        line,
        column: text[..start + offset].chars().count() + 1,
        fix: Some(format!("{} {}", prefix.trim_end(), quoted(value))),
    })
}

/// `- Séance 1 : découverte` read as a mapping whose key holds a space: a text was meant.
/// Keys of the header never hold spaces (`nom : A` is still a key of `known`); a key at the
/// start of a line is left to the unknown key check.
fn spaced_key(text: &str, line: usize, column: usize, known: &[&str]) -> Option<Explained> {
    let at = text.char_indices().nth(column.checked_sub(1)?)?.0;
    if at == 0 {
        return None;
    }
    let rest = &text[at..];
    if rest.starts_with(['"', '\'']) {
        return None;
    }
    let (key, _) = rest.split_once(':')?;
    if !key.contains(char::is_whitespace) || known.contains(&key.trim()) {
        return None;
    }
    Some(Explained {
        message: colon_message(),
        line,
        column,
        fix: Some(format!("{}{}", &text[..at], quoted(rest.trim_end()))),
    })
}

/// Both lines of a key written twice: the second (where libyaml stops) and the first.
fn duplicate_key(
    error: &str,
    yaml: &str,
    line: usize,
    column: usize,
    first_line: usize,
) -> Option<Explained> {
    let rest = &error[error.find("key \"")? + 5..];
    let key = rest.split('"').next().filter(|k| !k.is_empty())?;
    let lines = key_lines(yaml, key, line, column);
    let (&first, &second) = (lines.first()?, lines.get(1)?);
    Some(Explained {
        message: format!(
            "clé « {key} » présente deux fois, lignes {} et {} : gardez une seule ligne pour cette clé (regroupez les valeurs dans une liste si besoin)",
            first + first_line - 1,
            second + first_line - 1
        ),
        line: second,
        column,
        fix: None,
    })
}

/// Lines of the mapping starting at `line`, `column` where `key` is written.
fn key_lines(yaml: &str, key: &str, line: usize, column: usize) -> Vec<usize> {
    let mut found = Vec::new();
    for (i, text) in yaml.lines().enumerate().skip(line.saturating_sub(1)) {
        let indent = indentation(text);
        let content = text.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        // A key of the same mapping starts at `column`, after the indentation or a « - ».
        let mut start = indent;
        while text[start..].starts_with("- ") {
            start += 2 + indentation(&text[start + 2..]);
        }
        // Less indented than the mapping (or another item of its list): the mapping ended.
        if i + 1 > line && indent + 1 < column {
            break;
        }
        let Some(after) = text[start..].strip_prefix(key) else {
            continue;
        };
        if text[..start].chars().count() + 1 == column && after.trim_start().starts_with(':') {
            found.push(i + 1);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_context_points_at_the_opening() {
        let e = "found unexpected end of stream at line 4 column 1, while scanning a quoted scalar at line 1 column 8";
        assert_eq!(
            context_mark(e, "while scanning a quoted scalar"),
            Some((1, 8))
        );
        assert_eq!(context_mark(e, "while parsing a flow sequence"), None);
    }

    #[test]
    fn a_dash_glued_to_its_text_is_named() {
        let e = dash_without_space("  -Tableur", 3).expect("found");
        assert_eq!((e.line, e.column), (3, 3));
        assert_eq!(e.fix.as_deref(), Some("  - Tableur"));
        assert!(dash_without_space("  - Tableur", 3).is_none());
        assert!(dash_without_space("---", 3).is_none());
    }

    #[test]
    fn a_key_glued_to_its_value_is_named() {
        let e = missing_space_after_colon("titre:Les fractions", 2, None).expect("found");
        assert_eq!((e.line, e.column), (2, 6));
        assert_eq!(e.fix.as_deref(), Some("titre: Les fractions"));
        assert!(missing_space_after_colon("https://exemple.fr", 2, None).is_none());
        assert!(missing_space_after_colon("heure:10", 2, Some(&["titre"])).is_none());
        let e = missing_space_after_colon("  - nom:Claire", 4, Some(&["nom"])).expect("found");
        assert_eq!(e.fix.as_deref(), Some("  - nom: Claire"));
    }

    /// Every line and column of odd texts, with each context libyaml names: the guesses slice
    /// the source by bytes, and none may panic on what a referent typed.
    #[test]
    fn recognising_never_panics_on_odd_text() {
        let texts = [
            "titre:é\u{a0}: x\n  -é\n- \u{a0}clé : [é, \"\n",
            "é: 'à\n\t-\u{a0}\n: \"\n[{\n- - - é:\n",
            "",
        ];
        let contexts = [
            "x, while scanning a quoted scalar at line {l} column {c}",
            "x, while parsing a flow sequence at line {l} column {c}",
            "x, while parsing a flow mapping at line {l} column {c}",
            "x, while scanning a simple key at line {l} column {c}",
            "mapping values are not allowed in this context",
            "duplicate entry with key \"é\"",
        ];
        for yaml in texts {
            let positions = crate::yaml::locate(yaml);
            let _ = silent_mistake(yaml, &positions, &["titre", "é"]);
            for l in 0..=yaml.lines().count() + 1 {
                for c in 0..8 {
                    for context in contexts {
                        let error = context
                            .replace("{l}", &l.to_string())
                            .replace("{c}", &c.to_string());
                        let _ = explain(&error, yaml, l, c, 2);
                        let _ = spaced_key(line_text(yaml, l).unwrap_or(""), l, c, &[]);
                    }
                }
            }
        }
    }

    #[test]
    fn duplicate_keys_are_found_in_their_own_mapping() {
        let yaml = "titre: a\nresume: b\ntitre: c\n";
        assert_eq!(key_lines(yaml, "titre", 1, 1), vec![1, 3]);
        let yaml = "auteurs:\n  - nom: a\n    nom: b\n  - nom: c\n";
        assert_eq!(key_lines(yaml, "nom", 2, 5), vec![2, 3]);
    }
}
