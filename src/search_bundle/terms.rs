//! Term files (postings by term range) and dictionaries (terms by initial).

use std::collections::BTreeMap;

use crate::index::ExportedTerm;

use super::RECORDS_PER_FILE;

/// Aimed size of a term file, in bytes before compression: small enough that a query loads
/// little, large enough to keep the number of files low.
pub const TARGET_TERM_FILE_BYTES: usize = 24_000;
/// Small sites get up to this many term files whatever their size (see [`super::max_files`]).
pub const MIN_TERM_FILES: usize = 4;

pub struct TermFile {
    pub first_term: String,
    /// The JSON object `{"term": [ordinal delta, contribution, …], …}`.
    pub json: String,
}

/// Packs the terms, in JavaScript string order, into files of about
/// [`TARGET_TERM_FILE_BYTES`], or larger when the corpus needs it to keep at most one term file
/// per [`RECORDS_PER_FILE`] scenarios.
#[cfg(test)]
pub fn term_files(terms: &[ExportedTerm], documents: usize) -> Vec<TermFile> {
    let mut files = Vec::new();
    each_term_file(terms, documents, &mut |file| files.push(file));
    files
}

/// [`term_files`], handing each file to `emit` as soon as it is full, so that the bundle of a
/// national site (hundreds of megabytes) is never held whole. A file's `first_term` is the
/// shortest string that separates it from the previous file: the manifest, loaded by every
/// query, gets smaller, and lookups are unchanged (`boundary <= term < next boundary`).
pub fn each_term_file(terms: &[ExportedTerm], documents: usize, emit: &mut dyn FnMut(TermFile)) {
    let mut sorted: Vec<&ExportedTerm> = terms.iter().collect();
    sorted.sort_by(|a, b| js_order(&a.term, &b.term));
    // Sizes first (each entry formatted into a reused buffer), to know how full a file gets.
    let mut buffer = String::new();
    let total: usize = sorted
        .iter()
        .map(|term| {
            buffer.clear();
            write_entry(&mut buffer, term);
            buffer.len() + 1
        })
        .sum();
    let max_files = (MIN_TERM_FILES - 1).max(documents.div_ceil(RECORDS_PER_FILE));
    // Every closed file holds at least `target` bytes: at most max_files + 1 files.
    let target = TARGET_TERM_FILE_BYTES.max(total.div_ceil(max_files.max(1)));

    let mut current: Option<TermFile> = None;
    let mut previous_last: Option<&str> = None;
    for term in sorted {
        let file = current.get_or_insert_with(|| TermFile {
            first_term: match previous_last {
                Some(before) => separator(before, &term.term),
                None => term.term.clone(),
            },
            json: String::from("{"),
        });
        if file.json.len() > 1 {
            file.json.push(',');
        }
        write_entry(&mut file.json, term);
        previous_last = Some(&term.term);
        if file.json.len() >= target {
            if let Some(mut full) = current.take() {
                full.json.push('}');
                emit(full);
            }
        }
    }
    if let Some(mut last) = current {
        last.json.push('}');
        emit(last);
    }
}

/// The shortest prefix of `after` that is greater than `before` (`before < after`).
fn separator(before: &str, after: &str) -> String {
    let common = before
        .chars()
        .zip(after.chars())
        .take_while(|(a, b)| a == b)
        .count();
    after.chars().take(common + 1).collect()
}

/// Appends `"term":[first ordinal, contribution, delta, contribution, …]`, contributions in
/// thousandths (at least 1, so that every posting counts).
fn write_entry(text: &mut String, term: &ExportedTerm) {
    use std::fmt::Write;
    text.push_str(&serde_json::to_string(&term.term).unwrap_or_default());
    text.push_str(":[");
    let mut previous = 0u32;
    for (i, (ordinal, score)) in term.postings.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        let thousandths = (f64::from(*score) * 1000.0).round().max(1.0) as u64;
        // Writing to a String cannot fail.
        let _ = write!(text, "{},{}", ordinal - previous, thousandths);
        previous = *ordinal;
    }
    text.push(']');
}

/// Terms grouped by initial (`a`…`z`, `0`…`9`, `_` for any other), each list in JS order.
pub fn dictionaries(terms: &[ExportedTerm]) -> Vec<(String, Vec<String>)> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in terms {
        groups
            .entry(initial(&t.term))
            .or_default()
            .push(t.term.clone());
    }
    for words in groups.values_mut() {
        words.sort_by(|a, b| js_order(a, b));
    }
    groups.into_iter().collect()
}

/// The dictionary a term belongs to.
pub fn initial(term: &str) -> String {
    match term.chars().next() {
        Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => c.to_string(),
        _ => "_".to_string(),
    }
}

/// JavaScript compares strings by UTF-16 code units, which differs from Rust's byte order
/// beyond the Basic Multilingual Plane.
pub fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(name: &str, postings: &[(u32, f32)]) -> ExportedTerm {
        ExportedTerm {
            term: name.to_string(),
            postings: postings.to_vec(),
        }
    }

    #[test]
    fn entries_hold_deltas_and_thousandths() {
        let t = term("eleve", &[(0, 1.23456), (3, 0.0001), (10, 2.0)]);
        let mut text = String::new();
        write_entry(&mut text, &t);
        assert_eq!(text, r#""eleve":[0,1235,3,1,7,2000]"#);
    }

    #[test]
    fn files_cover_sorted_ranges_and_stay_bounded() {
        let postings: Vec<(u32, f32)> = (0..300).map(|i| (i, 1.5)).collect();
        let terms: Vec<ExportedTerm> = (0..400)
            .map(|i| term(&format!("t{:03}", (i * 7) % 400), &postings))
            .collect();
        let files = term_files(&terms, 300);
        assert!(files.len() > 1);
        assert!(files.len() <= 300usize.div_ceil(RECORDS_PER_FILE) + 1);
        let mut seen = 0;
        for (i, file) in files.iter().enumerate() {
            let object: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&file.json).expect("JSON");
            let keys: Vec<&String> = object.keys().collect();
            assert!(keys.iter().all(|k| **k >= file.first_term));
            if let Some(next) = files.get(i + 1) {
                assert!(keys.iter().all(|k| **k < next.first_term));
            }
            seen += keys.len();
        }
        assert_eq!(seen, 400);
    }

    #[test]
    fn boundaries_are_the_shortest_separators() {
        assert_eq!(separator("tab", "table"), "tabl");
        assert_eq!(separator("eleve", "evalu"), "ev");
        assert_eq!(separator("a", "b"), "b");
    }

    #[test]
    fn dictionaries_group_by_initial() {
        let terms = [
            term("zoo", &[]),
            term("abc", &[]),
            term("9e", &[]),
            term("éa", &[]),
        ];
        let groups = dictionaries(&terms);
        let initials: Vec<&str> = groups.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(initials, ["9", "_", "a", "z"]);
    }
}
