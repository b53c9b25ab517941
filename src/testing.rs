//! Test support shared by the unit tests.

use std::path::PathBuf;

/// A folder of `../shared/` (beside the repository), when present. A user's clone has none,
/// so the caller skips with a visible message; under `tests/run.sh` (which sets
/// `VITRINE_TESTS_COMPLETS`) its absence is a failure.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")).join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("VITRINE_TESTS_COMPLETS").is_none(),
        "{} est absent alors que tests/run.sh demande tous les tests",
        dir.display()
    );
    eprintln!(
        "IGNORÉ : {} absent, test sauté (présent en CI)",
        dir.display()
    );
    None
}

/// Words and phrases of English library and system messages (YAML, JSON, HTTP, I/O, panics)
/// that must never reach a French user. Whole words only: « invalide » and « ligne » are
/// French. One list for every test, unit and integration (tests/common includes this file).
const ENGLISH: &[&str] = &[
    "found",
    "expected",
    "error",
    "errors",
    "invalid",
    "exceeded",
    "failed",
    "unknown",
    "missing",
    "cannot",
    "denied",
    "while",
    "scanning",
    "parsing",
    "token",
    "mapping",
    "scalar",
    "recursion",
    "limit",
    "allowed",
    "duplicate",
    "entry",
    "anchor",
    "stream",
    "could",
    "find",
    "did",
    "redirect",
    "redirects",
    "scheme",
    "device",
    "busy",
    "column",
    "line",
    "unexpected",
    "character",
    "characters",
    "key",
    "value",
    "field",
    "string",
    "directory",
    "such",
    "the",
    "not",
    "is",
    "at",
    "of",
    "in",
    "no",
    "or",
    "and",
    "address",
    "already",
    "use",
    "panicked",
    "thread",
    "called",
    "unwrap",
    "space",
    "left",
    "connection",
    "refused",
    "bad",
    "method",
    "request",
    "data",
    "exists",
    "os error",
    "timed out",
];

/// Each English word or phrase of `text`, with the line it is on.
pub fn english_words(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let lower = line.to_lowercase();
        // A token with digits is a name, not a word: temporary folders (`.tmp7in9Xq`) would
        // otherwise yield « in » at random.
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !w.chars().any(|c| c.is_ascii_digit()))
            .collect();
        for english in ENGLISH {
            let parts: Vec<&str> = english.split(' ').collect();
            if words.windows(parts.len()).any(|w| w == parts.as_slice()) {
                found.push(format!("« {english} » dans : {line}"));
            }
        }
    }
    found
}

/// Fails when `text` holds an English word of a library or system message.
pub fn assert_french(text: &str) {
    let found = english_words(text);
    assert!(found.is_empty(), "anglais :\n{}", found.join("\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_finds_english_words_and_phrases_only() {
        assert_eq!(
            english_words("a.md:2:3 : erreur : found character that cannot start any token").len(),
            4
        );
        assert_eq!(
            english_words("Device or resource busy (os error 16)").len(),
            5
        );
        assert!(english_words("valeur invalide ; l'élève a trouvé « clé » ligne 3").is_empty());
        assert!(english_words("refusé : /tmp/.tmp7in9Xq/site/.tmpAt0").is_empty());
    }
}
