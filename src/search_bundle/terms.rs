//! Term files (postings by term range) and dictionaries (terms by initial).

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::index::ExportedTerm;

/// Aimed size of a term file, in bytes before compression: small enough that a query loads
/// little (about 3 KB gzip per word), large enough to keep the number of files low. The
/// very common terms' rests are out of these files ([`HEAD_DOCUMENTS`]), so this size holds
/// up to large corpora.
pub const TARGET_TERM_FILE_BYTES: usize = 8_000;
/// At most one term file (and one rest file) per this many scenarios.
pub const DOCUMENTS_PER_TERM_FILE: usize = 20;
/// Small sites get up to this many term files whatever their size (see [`super::max_files`]).
pub const MIN_TERM_FILES: usize = 4;

/// A very common term's postings are split: its term file holds the [`HEAD_DOCUMENTS`]
/// documents it scores best, enough for the first pages of a one-word query, and its number of
/// documents; the rest goes to a `suites/<k>` file, loaded only when a query needs every
/// document (several words, filters, counts, sort by date, later pages).
pub const HEAD_DOCUMENTS: usize = 50;
/// Terms in more documents than this are split ([`HEAD_DOCUMENTS`]).
pub const SPLIT_ABOVE: usize = 4 * HEAD_DOCUMENTS;

/// `(ordinal, contribution)`.
type Posting = (u32, f32);

pub struct TermFile {
    pub first_term: String,
    /// The JSON object `{"term": [ordinal delta, contribution, …], …}`; a split term's entry
    /// is `{"n": documents, "tete": [same encoding], "suite": k}` (see [`HEAD_DOCUMENTS`]).
    pub json: String,
}

/// What [`each_term_file`] makes.
pub enum Packed {
    /// The next `termes/<i>` file.
    Terms(TermFile),
    /// The next `suites/<k>` file: the rest of the split terms' postings, same encoding.
    Rest(String),
}

/// Packs the terms, in JavaScript string order, into files of about
/// [`TARGET_TERM_FILE_BYTES`], or larger when the corpus needs it to keep at most one term file
/// per [`DOCUMENTS_PER_TERM_FILE`] scenarios; the same for the split terms' rests.
#[cfg(test)]
pub fn term_files(terms: &[ExportedTerm], documents: usize) -> (Vec<TermFile>, Vec<String>) {
    let mut files = Vec::new();
    let mut rests = Vec::new();
    each_term_file(terms, documents, &mut |packed| match packed {
        Packed::Terms(file) => files.push(file),
        Packed::Rest(json) => rests.push(json),
    });
    (files, rests)
}

/// [`term_files`], handing each file to `emit` as soon as it is full, so that the bundle of a
/// national site (hundreds of megabytes) is never held whole. A file's `first_term` is the
/// shortest string that separates it from the previous file: the manifest, loaded by every
/// query, gets smaller, and lookups are unchanged (`boundary <= term < next boundary`).
pub fn each_term_file(terms: &[ExportedTerm], documents: usize, emit: &mut dyn FnMut(Packed)) {
    let mut sorted: Vec<&ExportedTerm> = terms.iter().collect();
    sorted.sort_by(|a, b| js_order(&a.term, &b.term));
    let max_files = (MIN_TERM_FILES - 1).max(documents.div_ceil(DOCUMENTS_PER_TERM_FILE));
    let splits = split_terms(&sorted);
    let rests = pack_rests(splits, max_files, emit);
    // Sizes first (counted, not formatted), to know how full a file gets.
    let total: usize = sorted
        .iter()
        .map(|term| term_len(term, rests.get(term.term.as_str())) + 1)
        .sum();
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
        write_term(&mut file.json, term, rests.get(term.term.as_str()));
        previous_last = Some(&term.term);
        if file.json.len() >= target {
            if let Some(mut full) = current.take() {
                full.json.push('}');
                emit(Packed::Terms(full));
            }
        }
    }
    if let Some(mut last) = current {
        last.json.push('}');
        emit(Packed::Terms(last));
    }
}

/// A split term: its head (see [`head_and_rest`]) and the length of its rest's entry, counted
/// rather than written: the rests of a national site weigh hundreds of megabytes, written a
/// few at a time by [`pack_rests`].
struct Split<'t> {
    term: &'t ExportedTerm,
    head: Vec<Posting>,
    rest_len: usize,
}

/// Where a split term's head goes: the term file holds the head and the number of the rest's
/// file.
struct SplitHead {
    head: Vec<Posting>,
    file: usize,
}

/// Rest entries written at a time (on rayon's pool) by [`pack_rests`], in bytes: enough to
/// share the work between the cores, little beside the rest of a national site's build.
const REST_BATCH_BYTES: usize = 8 << 20;

/// Splits the terms in more than [`SPLIT_ABOVE`] documents, in term order; computed on
/// rayon's pool (they hold most postings).
fn split_terms<'t>(sorted: &[&'t ExportedTerm]) -> Vec<Split<'t>> {
    sorted
        .par_iter()
        .filter(|term| term.postings.len() > SPLIT_ABOVE)
        .map(|term| {
            let (head, rest) = head_and_rest(&term.postings);
            Split {
                term,
                rest_len: entry_len(&term.term, &rest),
                head,
            }
        })
        .collect()
}

/// Emits the rests of the split terms; returns the head and rest file of each split term. A
/// query loads the whole file of each rest it needs: a large rest (a quarter of the aimed
/// size or more) has its own file, the smaller ones are packed together, in term order, into
/// files of the aimed size (at least [`TARGET_TERM_FILE_BYTES`], more when the corpus needs
/// it to stay within `4 max_files + 1` files: large rests take at most 4 per aimed size).
fn pack_rests<'t>(
    splits: Vec<Split<'t>>,
    max_files: usize,
    emit: &mut dyn FnMut(Packed),
) -> HashMap<&'t str, SplitHead> {
    pack_rests_in(splits, max_files, REST_BATCH_BYTES, emit)
}

/// [`pack_rests`], writing rest entries about `batch_bytes` at a time.
fn pack_rests_in<'t>(
    mut splits: Vec<Split<'t>>,
    max_files: usize,
    batch_bytes: usize,
    emit: &mut dyn FnMut(Packed),
) -> HashMap<&'t str, SplitHead> {
    let total: usize = splits.iter().map(|split| split.rest_len + 1).sum();
    let target = TARGET_TERM_FILE_BYTES.max(total.div_ceil(max_files.max(1)));
    let mut files = HashMap::new();
    let mut count = 0;
    let mut shared = String::new();
    let mut shared_terms = Vec::new();
    for batch in rest_batches(&splits, batch_bytes) {
        let batch = &mut splits[batch];
        let entries: Vec<String> = batch.par_iter().map(rest_entry).collect();
        for (split, rest_entry) in batch.iter_mut().zip(entries) {
            let (term, head) = (split.term.term.as_str(), std::mem::take(&mut split.head));
            if rest_entry.len() >= target / 4 {
                files.insert(term, SplitHead { head, file: count });
                emit(Packed::Rest(format!("{{{rest_entry}}}")));
                count += 1;
                continue;
            }
            shared.push(if shared.is_empty() { '{' } else { ',' });
            shared.push_str(&rest_entry);
            shared_terms.push((term, head));
            if shared.len() >= target {
                flush_shared(&mut shared, &mut shared_terms, &mut files, &mut count, emit);
            }
        }
    }
    if !shared.is_empty() {
        flush_shared(&mut shared, &mut shared_terms, &mut files, &mut count, emit);
    }
    files
}

/// Consecutive ranges of `splits` whose rest entries weigh about `bytes` together (at least one
/// split each).
fn rest_batches(splits: &[Split], bytes: usize) -> Vec<std::ops::Range<usize>> {
    let mut batches = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, split) in splits.iter().enumerate() {
        size += split.rest_len;
        if size >= bytes {
            batches.push(start..i + 1);
            (start, size) = (i + 1, 0);
        }
    }
    if start < splits.len() {
        batches.push(start..splits.len());
    }
    batches
}

/// The entry of a split term's rest: its postings but the head's.
fn rest_entry(split: &Split) -> String {
    let rest = rest_of(&split.term.postings, &split.head);
    let mut entry = String::with_capacity(split.rest_len);
    write_entry(&mut entry, &split.term.term, &rest);
    entry
}

/// Emits the file of packed small rests as file `count`.
fn flush_shared<'t>(
    shared: &mut String,
    terms: &mut Vec<(&'t str, Vec<Posting>)>,
    files: &mut HashMap<&'t str, SplitHead>,
    count: &mut usize,
    emit: &mut dyn FnMut(Packed),
) {
    shared.push('}');
    for (term, head) in terms.drain(..) {
        files.insert(term, SplitHead { head, file: *count });
    }
    emit(Packed::Rest(std::mem::take(shared)));
    *count += 1;
}

/// The [`HEAD_DOCUMENTS`] postings the engine ranks first (highest contribution in
/// thousandths, then lowest ordinal), and the others; both by ordinal.
fn head_and_rest(postings: &[Posting]) -> (Vec<Posting>, Vec<Posting>) {
    let head = head_of(postings);
    let rest = rest_of(postings, &head);
    (head, rest)
}

/// The head of [`head_and_rest`].
fn head_of(postings: &[Posting]) -> Vec<Posting> {
    let ranked =
        |a: &Posting, b: &Posting| thousandths(b.1).cmp(&thousandths(a.1)).then(a.0.cmp(&b.0));
    let mut head: Vec<Posting> = postings.to_vec();
    if !postings.is_sorted_by(|a, b| a.0 < b.0) {
        head.sort_by(ranked);
        head.truncate(HEAD_DOCUMENTS);
    } else if head.len() > HEAD_DOCUMENTS {
        // Ordinals strictly increasing (what the index exports): the best ones are picked
        // without sorting them all.
        head.select_nth_unstable_by(HEAD_DOCUMENTS - 1, ranked);
        head.truncate(HEAD_DOCUMENTS);
    }
    head.sort_unstable_by_key(|(ordinal, _)| *ordinal);
    // The copy held every posting: kept, it would weigh as much as the postings themselves.
    head.shrink_to_fit();
    head
}

/// The postings not in `head` (sorted by ordinal), by ordinal.
fn rest_of(postings: &[Posting], head: &[Posting]) -> Vec<Posting> {
    let sorted;
    let postings = if postings.is_sorted_by(|a, b| a.0 < b.0) {
        postings
    } else {
        let mut copy = postings.to_vec();
        copy.sort_by_key(|(ordinal, _)| *ordinal);
        sorted = copy;
        &sorted
    };
    let mut in_head = head.iter().map(|(ordinal, _)| *ordinal).peekable();
    postings
        .iter()
        .filter(|(ordinal, _)| in_head.next_if_eq(ordinal).is_none())
        .copied()
        .collect()
}

/// A term's entry in its term file: its postings, or for a split term its number of
/// documents, its head and where the rest is.
fn write_term(text: &mut String, term: &ExportedTerm, split: Option<&SplitHead>) {
    use std::fmt::Write;
    match split {
        None => write_entry(text, &term.term, &term.postings),
        Some(SplitHead { head, file }) => {
            text.push_str(&serde_json::to_string(&term.term).unwrap_or_default());
            // Writing to a String cannot fail.
            let _ = write!(text, ":{{\"n\":{},\"tete\":", term.postings.len());
            write_postings(text, head);
            let _ = write!(text, ",\"suite\":{file}}}");
        }
    }
}

/// The length of what [`write_term`] appends.
fn term_len(term: &ExportedTerm, split: Option<&SplitHead>) -> usize {
    match split {
        None => entry_len(&term.term, &term.postings),
        Some(SplitHead { head, file }) => {
            let fixed = r#":{"n":,"tete":,"suite":}"#.len();
            json_string_len(&term.term)
                + fixed
                + digits(term.postings.len() as u64)
                + postings_len(head)
                + digits(*file as u64)
        }
    }
}

/// The length of what [`write_entry`] appends.
fn entry_len(term: &str, postings: &[Posting]) -> usize {
    json_string_len(term) + 1 + postings_len(postings)
}

/// The length of a string as JSON, quotes included.
fn json_string_len(text: &str) -> usize {
    // Only quotes, backslashes and control characters are escaped: most terms are as they are.
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        text.len() + 2
    } else {
        serde_json::to_string(text).map(|s| s.len()).unwrap_or(2)
    }
}

/// The length of what [`write_postings`] appends.
fn postings_len(postings: &[Posting]) -> usize {
    let mut previous = 0u32;
    let numbers: usize = postings
        .iter()
        .map(|(ordinal, score)| {
            let delta = ordinal - previous;
            previous = *ordinal;
            digits(u64::from(delta)) + digits(thousandths(*score))
        })
        .sum();
    // Brackets, and a comma after each number but the last.
    numbers + 2 + (2 * postings.len()).saturating_sub(1)
}

/// The number of decimal digits of `n`.
fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |log| log as usize + 1)
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

/// Appends `"term":[first ordinal, contribution, delta, contribution, …]`.
fn write_entry(text: &mut String, term: &str, postings: &[(u32, f32)]) {
    text.push_str(&serde_json::to_string(term).unwrap_or_default());
    text.push(':');
    write_postings(text, postings);
}

/// Appends `[first ordinal, contribution, delta, contribution, …]`, contributions in
/// thousandths (at least 1, so that every posting counts).
fn write_postings(text: &mut String, postings: &[(u32, f32)]) {
    let mut number = itoa::Buffer::new();
    text.push('[');
    let mut previous = 0u32;
    for (i, (ordinal, score)) in postings.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(number.format(ordinal - previous));
        text.push(',');
        text.push_str(number.format(thousandths(*score)));
        previous = *ordinal;
    }
    text.push(']');
}

/// A contribution as the bundle writes it, and the engine adds it up.
fn thousandths(score: f32) -> u64 {
    (f64::from(score) * 1000.0).round().max(1.0) as u64
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
        write_entry(&mut text, &t.term, &t.postings);
        assert_eq!(text, r#""eleve":[0,1235,3,1,7,2000]"#);
    }

    #[test]
    fn files_cover_sorted_ranges_and_stay_bounded() {
        // Just short enough not to be split.
        let postings: Vec<(u32, f32)> = (0..SPLIT_ABOVE as u32).map(|i| (i, 1.5)).collect();
        let terms: Vec<ExportedTerm> = (0..400)
            .map(|i| term(&format!("t{:03}", (i * 7) % 400), &postings))
            .collect();
        let (files, rests) = term_files(&terms, 300);
        assert!(rests.is_empty());
        assert!(files.len() > 1);
        assert!(files.len() <= 300usize.div_ceil(DOCUMENTS_PER_TERM_FILE) + 1);
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

    /// A flat `[delta, contribution, …]` list as `(ordinal, thousandths)`.
    fn decode(value: &serde_json::Value) -> Vec<(u64, u64)> {
        let flat: Vec<u64> = value
            .as_array()
            .expect("array")
            .iter()
            .map(|v| v.as_u64().expect("number"))
            .collect();
        let mut ordinal = 0;
        flat.chunks(2)
            .map(|pair| {
                ordinal += pair[0];
                (ordinal, pair[1])
            })
            .collect()
    }

    #[test]
    fn common_terms_keep_their_best_documents_in_the_term_file() {
        // Contributions rise with the ordinal, with ties: the head is the best-scoring
        // documents, ties going to the lower ordinal, as the engine ranks them.
        let documents = SPLIT_ABOVE + 30;
        let common: Vec<(u32, f32)> = (0..documents as u32)
            .map(|i| (i, f64::from(i / 2) as f32 / 100.0 + 0.5))
            .collect();
        let rare = term("rare", &[(3, 1.0)]);
        let (files, rests) = term_files(&[term("commun", &common), rare], documents);
        assert_eq!(rests.len(), 1);
        let terms: serde_json::Value = serde_json::from_str(&files[0].json).expect("JSON");
        assert_eq!(decode(&terms["rare"]), vec![(3, 1000)]);
        let entry = &terms["commun"];
        assert_eq!(entry["n"], documents);
        assert_eq!(entry["suite"], 0);
        let head = decode(&entry["tete"]);
        assert_eq!(head.len(), HEAD_DOCUMENTS);
        let lowest_kept = documents as u64 - HEAD_DOCUMENTS as u64;
        assert_eq!(
            head.first(),
            Some(&(lowest_kept, 500 + 10 * (lowest_kept / 2)))
        );
        let rest: serde_json::Value = serde_json::from_str(&rests[0]).expect("JSON");
        let rest = decode(&rest["commun"]);
        assert_eq!(rest.len(), documents - HEAD_DOCUMENTS);
        let mut all: Vec<u64> = head.iter().chain(&rest).map(|(o, _)| *o).collect();
        all.sort_unstable();
        assert_eq!(all, (0..documents as u64).collect::<Vec<_>>());
    }

    #[test]
    fn counted_lengths_are_the_written_ones() {
        let scores = [0.0, 0.0004, 0.0015, 0.9994, 1.0, 9.9996, 123.456, 99_999.0];
        let postings: Vec<(u32, f32)> = (0..300u32)
            .map(|i| (i * i + i % 7, scores[(i % 8) as usize]))
            .collect();
        for name in ["eleve", "a\"b\\c", "tab\tx", "été", "\u{1F600}"] {
            for length in [0, 1, 2, 11, 300] {
                let t = term(name, &postings[..length]);
                for split in [None, Some(0), Some(7), Some(12_345)] {
                    let split = split.map(|file| SplitHead {
                        head: postings[..length.min(HEAD_DOCUMENTS)].to_vec(),
                        file,
                    });
                    let mut text = String::new();
                    write_term(&mut text, &t, split.as_ref());
                    assert_eq!(term_len(&t, split.as_ref()), text.len(), "{text}");
                }
            }
        }
        assert_eq!(
            (digits(0), digits(9), digits(10), digits(u64::MAX)),
            (1, 1, 2, 20)
        );
    }

    #[test]
    fn rests_do_not_depend_on_how_many_are_written_at_a_time() {
        let terms: Vec<ExportedTerm> = (0..40u32)
            .map(|t| {
                let postings: Vec<(u32, f32)> = (0..(SPLIT_ABOVE as u32 + 1 + t * 37))
                    .map(|d| (d * 3 + t % 3, ((d * 7919 + t) % 1000) as f32 / 100.0))
                    .collect();
                term(&format!("mot{t:02}"), &postings)
            })
            .collect();
        let sorted: Vec<&ExportedTerm> = terms.iter().collect();
        let packed = |batch_bytes: usize| {
            let mut files = Vec::new();
            let heads = pack_rests_in(split_terms(&sorted), 3, batch_bytes, &mut |p| {
                if let Packed::Rest(json) = p {
                    files.push(json);
                }
            });
            let mut heads: Vec<(String, Vec<Posting>, usize)> = heads
                .into_iter()
                .map(|(t, h)| (t.to_string(), h.head, h.file))
                .collect();
            heads.sort_by(|a, b| a.0.cmp(&b.0));
            (files, heads)
        };
        let whole = packed(usize::MAX);
        assert_eq!(whole.1.len(), 40, "every term is split");
        assert!(whole.0.len() > 1, "several rest files: {}", whole.0.len());
        for batch_bytes in [1, 2_000, 50_000] {
            assert_eq!(packed(batch_bytes), whole, "{batch_bytes} bytes at a time");
        }
        // Each rest file holds the postings of its terms but the head's.
        for (term, head, file) in &whole.1 {
            let rests: serde_json::Value = serde_json::from_str(&whole.0[*file]).expect("json");
            let written = rests[term.as_str()].as_array().expect("entry").len() / 2;
            let all = terms.iter().find(|t| &t.term == term).expect("term");
            assert_eq!(written + head.len(), all.postings.len(), "{term}");
        }
    }

    /// [`head_and_rest`] by sorting every posting, as first written.
    fn sorted_head_and_rest(postings: &[(u32, f32)]) -> (Vec<Posting>, Vec<Posting>) {
        let mut head: Vec<Posting> = postings.to_vec();
        head.sort_by(|a, b| thousandths(b.1).cmp(&thousandths(a.1)).then(a.0.cmp(&b.0)));
        let mut rest = head.split_off(HEAD_DOCUMENTS.min(head.len()));
        head.sort_by_key(|(ordinal, _)| *ordinal);
        rest.sort_by_key(|(ordinal, _)| *ordinal);
        (head, rest)
    }

    #[test]
    fn heads_are_picked_as_a_full_sort_would() {
        for length in [0, 1, HEAD_DOCUMENTS, HEAD_DOCUMENTS + 1, 997] {
            // Many ties in thousandths (0.0004 and 0.0001 both count 1), ordinals with gaps.
            let postings: Vec<(u32, f32)> = (0..length as u32)
                .map(|i| {
                    (
                        3 * i + i % 2,
                        ((i * 37) % 11) as f32 / 4.0 + 0.0001 * (i % 5) as f32,
                    )
                })
                .collect();
            let (head, rest) = head_and_rest(&postings);
            assert_eq!(
                (head.clone(), rest.clone()),
                sorted_head_and_rest(&postings)
            );
            assert_eq!(head.len(), length.min(HEAD_DOCUMENTS));
            assert_eq!(head.len() + rest.len(), length);
            // Given out of order, the postings are sorted first.
            let reversed: Vec<(u32, f32)> = postings.iter().rev().copied().collect();
            assert_eq!(head_and_rest(&reversed), (head, rest));
        }
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
