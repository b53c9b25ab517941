//! The browser analyser (`themes/defaut/static/recherche/analyseur.js`, run by Node through
//! `tests/browser/analyser-parity.mjs`) must give exactly the terms of the index analyser
//! (`vitrine::index::analyze`): a query typed in the browser only finds what it should if both
//! sides agree, term for term.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer, TokenStream};
use vitrine::index::analyze;
use vitrine::index::analyzer::{ELISIONS, FRENCH_STOP_WORDS};

const PARITY_SCRIPT: &str = "tests/browser/analyser-parity.mjs";

/// How many mismatches a failure prints.
const SHOWN_MISMATCHES: usize = 20;

/// Words chosen for the traps of each step: accents and case, elisions and both apostrophes,
/// ligatures, digits, punctuation, the length limit, letters whose lower case is longer.
const TRICKY_TEXTS: &[&str] = &[
    "élève",
    "élèves",
    "eleve",
    "Élèves",
    "ÉLÈVE",
    "numérique",
    "numériques",
    "numériser",
    "l'évaluation",
    "l’évaluation",
    "L'Évaluation",
    "aujourd'hui",
    "aujourd’hui",
    "d'aujourd'hui",
    "qu'aujourd’hui",
    "œuvre",
    "Œuvres",
    "maïs",
    "Noël",
    "naïve",
    "cœur",
    "Ægypte",
    "straße",
    "ﬁchier",
    "ﬂeur",
    "ÉCOLE",
    "İstanbul",
    "CM1",
    "6e",
    "6ème",
    "SVT",
    "qu'il",
    "jusqu'à",
    "lorsqu’on",
    "puisqu'elle",
    "quoiqu'il",
    "« guillemets »",
    "“guillemets” ‘simples’ ‹ › „bas“",
    "c'est-à-dire",
    "l'ENT",
    "d'Éléa",
    "micro:bit",
    "Pl@ntNet",
    "2×55",
    "½",
    "10 000",
    "10\u{a0}000",
    "10\u{202f}000",
    "3,5",
    "e-mail",
    "https://eduscol.education.fr/",
    "' l' 'volcan' l'' ''l ’ l’’a",
    "l'l'l'école",
    "aujourd'hui'",
    "le la des à même être été",
    "volcans/séismes",
    "\"\" : () AND",
    "Σίσυφος ΣΊΣΥΦΟΣ",
    "Русский текст",
    "日本語のテキスト",
    "한국어",
    "العربية",
    "ǅemal ǈubljana Ǌegoš",
    "ŉ ǰ ẖ ẗ ẘ ẙ ẚ",
    "Ⓐⓑ ⑴ ⒜ ⓪",
    "ᴀᴁᴂ",
    "ｆｕｌｌｗｉｄｔｈ",
    "𝐦𝐚𝐭𝐡𝐬 𝔉𝔯𝔞𝔨𝔱𝔲𝔯",
    "🙂 emoji 👩‍🏫",
    "e\u{301}le\u{300}ve",
    "\u{feff}début",
    "tab\tand\rcarriage",
    "",
    "   ",
];

#[test]
fn demo_corpus_and_tricky_texts() {
    let mut texts: Vec<String> = demo_corpus_words().into_iter().collect();
    assert!(
        texts.len() > 1000,
        "only {} words in the demo corpus",
        texts.len()
    );
    texts.extend(TRICKY_TEXTS.iter().map(|text| text.to_string()));
    texts.extend(length_limit_words());
    texts.extend(FRENCH_STOP_WORDS.iter().map(|word| word.to_string()));
    texts.extend(FRENCH_STOP_WORDS.iter().map(|word| word.to_uppercase()));
    for elision in ELISIONS {
        texts.push(format!("{elision}'école {elision}’Élève {elision}'"));
        texts.push(format!("{}'ÉCOLE", elision.to_uppercase()));
    }
    assert_parity("demo corpus and tricky texts", &texts);
}

#[test]
fn shared_corpora_lines() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let corpora = shared.join("corpora");
    let mut lines = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&corpora).sort_by_file_name() {
        let entry = entry.expect("walk the shared corpora");
        if entry.file_type().is_file() {
            let bytes = fs::read(entry.path()).expect("read a corpus file");
            let text = String::from_utf8_lossy(&bytes);
            lines.extend(text.lines().map(str::to_string));
        }
    }
    assert!(
        lines.len() > 1000,
        "only {} lines under {}",
        lines.len(),
        corpora.display()
    );
    let words: Vec<String> = distinct_lowercase_words(&lines).into_iter().collect();
    let texts: Vec<String> = lines.into_iter().collect();
    assert_parity("shared corpora", &texts);
    assert_same_terms("stemmer alone on the shared corpora", &words, Side::Stemmer);
}

/// The distinct words of `texts`, lowercased, accents kept: input for the stemmer alone.
fn distinct_lowercase_words<'a>(texts: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
    texts
        .into_iter()
        .flat_map(|text| text.split(|c: char| !c.is_alphanumeric()))
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Word beginnings for the stemmer tests, besides the empty one: short and long, vowels and
/// consonants, and the letters the stemmer marks (`qu`, `y`, `ui`…) or treats apart (`col`,
/// `par`, `tap`, `ni`).
const STEMS: &str = "a b ab ba abc eau parl chant fin aim nation rapid heur jou qu gu ay boy cri \
    noi evid comm pl sauv col par tap ni aqu ennu pays hai mosa inou ambig tabl solenn";

/// The endings of the Snowball French stemmer (its `among` tables), accents folded as the
/// analyser folds them before stemming.
const SUFFIXES: &str = "ique atrice ance ence logie able isme euse iste ive if usion ation \
    ution ateur iques atrices ances ences logies ables ismes euses istes ives ifs usions ations \
    utions ateurs ments ements issements ites ment ement issement amment emment aux eaux eux oux \
    ite iqu abl ier eus iv ic abil ira ie isse issante i irai ir iras ies imes isses issantes is \
    irais issais irions issions irons issons issants it irait issait issant iraient issaient \
    irent issent iront iriez issiez irez issez al epl auv a era aise asse ante ee ai erai er as \
    eras ames aises asses antes ates ees ais eais erais ions erions assions erons ants es ait \
    erait ant aient eraient erent assent eront at ez iez eriez assiez erez e iere ion ell eill \
    enn onn ett s x y u";

/// The accented endings of the stemmer's `among` tables, and the letters it marks.
const ACCENTED_SUFFIXES: &str = "ité ités ièr ière îmes îtes ît âmes âtes ât èrent ée ées és é \
    è ë ï ç ëe ïe uë ïs iqué ivité abilité ère";

/// Endings added after the first one, to reach the stemmer's chained rules (`ic` + `ation`…).
const SECOND_SUFFIXES: &str = "s e es ment ation ite if ive eux";

/// `words` split on whitespace, after the empty word.
fn with_empty(words: &'static str) -> impl Iterator<Item = &'static str> + Clone {
    std::iter::once("").chain(words.split_whitespace())
}

/// Every stem, ending and second ending together: each rule of the stemmer, at every length.
#[test]
fn stemmer_suffixes() {
    let suffixes = SUFFIXES
        .split_whitespace()
        .chain(ACCENTED_SUFFIXES.split_whitespace());
    let mut words = Vec::new();
    for stem in with_empty(STEMS) {
        for suffix in suffixes.clone() {
            for second in with_empty(SECOND_SUFFIXES) {
                words.push(format!("{stem}{suffix}{second}"));
            }
        }
    }
    let texts: Vec<String> = words.chunks(64).map(|chunk| chunk.join(" ")).collect();
    assert_parity("stemmer suffixes", &texts);
}

/// The stemmer alone, on unfolded words: the analyser folds accents away before stemming, so
/// the accent rules of the stemmer (`ité`, `ë`, `ç`…) are only reached this way. Keeps the port
/// whole, should the analyser ever stem before folding.
#[test]
fn stemmer_alone_on_accented_words() {
    let mut words = distinct_lowercase_words(&demo_corpus_words());
    let suffixes = SUFFIXES
        .split_whitespace()
        .chain(ACCENTED_SUFFIXES.split_whitespace());
    for stem in with_empty(STEMS) {
        for suffix in suffixes.clone() {
            words.insert(format!("{stem}{suffix}"));
            words.insert(format!("{stem}{suffix}s"));
        }
    }
    // The stemmer drops a leading elision of its own, and is given capitals here.
    let others = "l'école qu'il d' l' c'est aujourd'hui Œuvre ÉLÈVE";
    words.extend(others.split_whitespace().map(str::to_string));
    let texts: Vec<String> = words.into_iter().collect();
    assert_same_terms("stemmer alone", &texts, Side::Stemmer);
}

/// Every Unicode scalar value, alone and inside a word: checks, code point by code point, what
/// is a letter or a digit, lower case, folding and the stemmer on non-ASCII bytes.
#[test]
fn every_code_point() {
    let chars: Vec<char> = (0..=u32::from(char::MAX))
        .filter_map(char::from_u32)
        .collect();
    let mut texts = Vec::new();
    for chunk in chars.chunks(256) {
        texts.push(join_chars(chunk, "", " "));
        texts.push(join_chars(chunk, "x", "x "));
    }
    assert_parity("every code point", &texts);
}

fn join_chars(chars: &[char], before: &str, after: &str) -> String {
    chars
        .iter()
        .map(|c| format!("{before}{c}{after}"))
        .collect()
}

/// Words around the limit of 40 UTF-8 bytes, with one- and two-byte letters.
fn length_limit_words() -> Vec<String> {
    let mut words = Vec::new();
    for length in 36..=42 {
        words.push("a".repeat(length));
        words.push(format!("{}a", "é".repeat(length / 2)));
        words.push(format!("{}s", "é".repeat(length / 2)));
        words.push(format!("l'{}", "a".repeat(length)));
        words.push(format!(
            "{}'{}",
            "a".repeat(length / 2),
            "b".repeat(length / 2)
        ));
    }
    words.push("anticonstitutionnellementinterdisciplinairementsupercalifrag".to_string());
    words
}

/// Every distinct whitespace-separated word of the demo site's Markdown files.
fn demo_corpus_words() -> BTreeSet<String> {
    let content = common::repo_root().join("content");
    let mut words = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = entry.expect("walk content/");
        let is_markdown = entry.path().extension().is_some_and(|ext| ext == "md");
        if entry.file_type().is_file() && is_markdown {
            let text = fs::read_to_string(entry.path()).expect("read a Markdown file");
            words.extend(text.split_whitespace().map(str::to_string));
        }
    }
    words
}

/// Compares the Rust and JavaScript terms of each text and fails with the first mismatches.
fn assert_parity(what: &str, texts: &[String]) {
    assert_same_terms(what, texts, Side::Analyser);
}

/// What both sides run on each text.
#[derive(Clone, Copy)]
enum Side {
    /// The whole analyser: `analyze` and `analyser`.
    Analyser,
    /// The French stemmer alone on one word: tantivy's `Stemmer` and `raciniser`.
    Stemmer,
}

impl Side {
    fn rust_terms(self, text: &str) -> Vec<String> {
        match self {
            Side::Analyser => analyze(text),
            Side::Stemmer => {
                let mut stemmer = TextAnalyzer::builder(RawTokenizer::default())
                    .filter(Stemmer::new(Language::French))
                    .build();
                let mut stream = stemmer.token_stream(text);
                let mut terms = Vec::new();
                while stream.advance() {
                    terms.push(stream.token().text.clone());
                }
                terms
            }
        }
    }

    fn js_mode(self) -> Option<&'static str> {
        match self {
            Side::Analyser => None,
            Side::Stemmer => Some("raciniser"),
        }
    }
}

fn assert_same_terms(what: &str, texts: &[String], side: Side) {
    let Some(js_terms) = run_js(texts, side) else {
        return;
    };
    assert_eq!(
        js_terms.len(),
        texts.len(),
        "{what}: one term list per text"
    );
    let mut mismatches = Vec::new();
    let mut compared_terms = 0;
    for (text, js) in texts.iter().zip(&js_terms) {
        let rust = side.rust_terms(text);
        compared_terms += rust.len();
        if &rust != js {
            mismatches.push(format!(
                "  text: {text:?}\n  rust: {rust:?}\n  js:   {js:?}"
            ));
        }
    }
    eprintln!(
        "{what}: {} texts, {compared_terms} Rust terms compared",
        texts.len()
    );
    assert!(compared_terms > 0, "{what}: no terms at all");
    assert!(
        mismatches.is_empty(),
        "{what}: {} of {} texts differ, the first ones:\n{}",
        mismatches.len(),
        texts.len(),
        mismatches
            .iter()
            .take(SHOWN_MISMATCHES)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

/// The terms of the JavaScript analyser for each text, or `None` (test skipped) when Node is
/// missing outside of `tests/run.sh`.
fn run_js(texts: &[String], side: Side) -> Option<Vec<Vec<String>>> {
    if !node_available() {
        assert!(
            std::env::var_os("VITRINE_TESTS_COMPLETS").is_none(),
            "node est absent alors que tests/run.sh demande tous les tests"
        );
        eprintln!("IGNORÉ : node est absent, test de parité de l'analyseur JavaScript sauté");
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("texts.json");
    fs::write(&input, serde_json::to_vec(texts).expect("texts to JSON")).expect("write texts");
    Some(run_parity_script(&common::repo_root(), &input, side))
}

fn node_available() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

fn run_parity_script(root: &Path, input: &Path, side: Side) -> Vec<Vec<String>> {
    let output = Command::new("node")
        .arg(root.join(PARITY_SCRIPT))
        .arg(input)
        .args(side.js_mode())
        .current_dir(root)
        .output()
        .expect("run node");
    assert!(
        output.status.success(),
        "{PARITY_SCRIPT} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON array of term arrays from node")
}
