//! The French analyser shared by indexing, querying, snippets and (later) the browser search.
//!
//! Pipeline, in this order:
//!
//! 1. [`FrenchTokenizer`]: splits on anything that is not a letter or a digit; an apostrophe
//!    (`'` or `’`) between two letters drops a leading elision (`l'`, `qu'`, `jusqu'`…) and is
//!    otherwise removed inside the word (`aujourd'hui` → `aujourdhui`, one token).
//! 2. [`RemoveLongFilter`]: drops pathological tokens (URLs glued together, base64…).
//! 3. [`LowerCaser`].
//! 4. [`AsciiFoldingFilter`]: `é` → `e`, `œ` → `oe`.
//! 5. [`StopWordFilter`] with [`FRENCH_STOP_WORDS`], a folded copy of the Snowball list.
//! 6. [`Stemmer`] (Snowball French).
//!
//! Folding comes *before* stemming on purpose: teachers often type without accents, and the
//! Snowball French rules depend on accents (`université` → `univers` but `universite` →
//! `universit`). Stemming the folded word makes the accented and unaccented spellings of a word
//! produce the same term by construction, at the cost of a few accent-specific stemming rules.
//! Stop words are therefore matched after folding too, hence our folded list.

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Name under which the analyser is registered in the index.
pub const ANALYZER_NAME: &str = "fr";

/// Tokens longer than this (in bytes) are dropped: no French word is that long.
const MAX_TOKEN_BYTES: usize = 40;

/// Elided words, as written before the apostrophe (compared in lower case).
pub const ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// The Snowball French stop words (tantivy's `Language::French` list), accents folded so that
/// they match tokens after [`AsciiFoldingFilter`].
pub const FRENCH_STOP_WORDS: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il",
    "je", "la", "le", "leur", "lui", "ma", "mais", "me", "meme", "mes", "moi", "mon", "ne", "nos",
    "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses",
    "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c", "d",
    "j", "l", "a", "m", "n", "s", "t", "y", "etee", "etees", "etant", "suis", "es", "etes", "sont",
    "serai", "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions", "seriez",
    "seraient", "etais", "etait", "etions", "etiez", "etaient", "fus", "fut", "fumes", "futes",
    "furent", "sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fussions",
    "fussiez", "fussent", "ayant", "eu", "eue", "eues", "eus", "ai", "avons", "avez", "ont",
    "aurai", "aurons", "aurez", "auront", "aurais", "aurait", "aurions", "auriez", "auraient",
    "avais", "avait", "aviez", "avaient", "eut", "eumes", "eutes", "eurent", "aie", "aies", "ait",
    "ayons", "ayez", "aient", "eusse", "eusses", "eussions", "eussiez", "eussent", "ceci", "cela",
    "cet", "cette", "ici", "ils", "les", "leurs", "quel", "quels", "quelle", "quelles", "sans",
    "soi",
];

/// The French analyser (see the module documentation for the pipeline).
pub fn french_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FrenchTokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(MemoisedWords)
        .build()
}

/// Steps 3 to 6 applied to one word as written: its term, or `None` for a stop word.
fn word_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            FRENCH_STOP_WORDS.iter().map(|word| word.to_string()),
        ))
        .filter(Stemmer::new(Language::French))
        .build()
}

/// Words remembered per analyser: past this, new words are analysed without being kept, so
/// memory stays bounded on corpora with a huge vocabulary.
const MEMO_CAPACITY: usize = 200_000;

/// Steps 3 to 6 (lower case, folding, stop words, stemming) with a memo of the words already
/// seen. A corpus repeats the same few thousand word forms millions of times (Zipf's law), and
/// stemming dominated indexing time; the memo makes each repetition one hash lookup. The
/// result is by construction the one of the filter chain ([`word_analyzer`]).
#[derive(Clone)]
struct MemoisedWords;

impl TokenFilter for MemoisedWords {
    type Tokenizer<T: Tokenizer> = MemoisedWordsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoisedWordsFilter<T> {
        MemoisedWordsFilter {
            inner: tokenizer,
            words: word_analyzer(),
            memo: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
struct MemoisedWordsFilter<T> {
    inner: T,
    words: TextAnalyzer,
    memo: FxHashMap<String, Option<String>>,
}

impl<T: Tokenizer> Tokenizer for MemoisedWordsFilter<T> {
    type TokenStream<'a> = MemoisedWordsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoisedWordsStream {
            tail: self.inner.token_stream(text),
            words: &mut self.words,
            memo: &mut self.memo,
        }
    }
}

struct MemoisedWordsStream<'a, S> {
    tail: S,
    words: &'a mut TextAnalyzer,
    memo: &'a mut FxHashMap<String, Option<String>>,
}

impl<S: TokenStream> TokenStream for MemoisedWordsStream<'_, S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let text = &mut self.tail.token_mut().text;
            // One lookup for the usual case, a word already seen.
            let term = match self.memo.get(text.as_str()) {
                Some(known) => known.as_deref(),
                None => {
                    let term = analyse_word(self.words, text);
                    if self.memo.len() >= MEMO_CAPACITY {
                        // Not kept: use it once.
                        match term {
                            Some(term) => {
                                *text = term;
                                return true;
                            }
                            None => continue,
                        }
                    }
                    self.memo.entry(text.clone()).or_insert(term).as_deref()
                }
            };
            if let Some(term) = term {
                text.clear();
                text.push_str(term);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

fn analyse_word(words: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut stream = words.token_stream(word);
    stream.advance().then(|| stream.token().text.clone())
}

/// The analyser without its last step: lowercased, folded words, stop words removed.
fn folding_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FrenchTokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            FRENCH_STOP_WORDS.iter().map(|word| word.to_string()),
        ))
        .build()
}

/// One query word: what the reader typed, folded, and the index term it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lowercased, folded word before stemming (`evaluation`): prefixes are matched on it.
    pub folded: String,
    /// Its stem, as indexed (`evalu`).
    pub term: String,
    /// The word as written, elision dropped (`Évaluation` in « l'Évaluation »): named to
    /// the reader when a result lacks it.
    pub typed: String,
}

/// The words of a query, in order, with the same analysis as [`analyze`].
pub fn analyze_words(text: &str) -> Vec<Word> {
    let mut folding = folding_analyzer();
    let mut stemming = TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
        .filter(Stemmer::new(Language::French))
        .build();
    let mut stream = folding.token_stream(text);
    let mut words = Vec::new();
    while stream.advance() {
        let token = stream.token();
        let folded = token.text.clone();
        let typed = text
            .get(token.offset_from..token.offset_to)
            .unwrap_or(&folded)
            .to_string();
        let term = {
            let mut stems = stemming.token_stream(&folded);
            if stems.advance() {
                stems.token().text.clone()
            } else {
                folded.clone()
            }
        };
        words.push(Word {
            folded,
            term,
            typed,
        });
    }
    words
}

/// The terms the French analyser produces for `text`, in order.
pub fn analyze(text: &str) -> Vec<String> {
    let mut analyzer = french_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(stream.token().text.clone());
    }
    terms
}

/// Splits text into words, handling French elisions (see the module documentation).
#[derive(Clone, Default)]
pub struct FrenchTokenizer;

pub struct FrenchTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    token: Token,
}

impl Tokenizer for FrenchTokenizer {
    type TokenStream<'a> = FrenchTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FrenchTokenStream<'a> {
        FrenchTokenStream {
            text,
            cursor: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for FrenchTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, end)) = next_word(self.text, self.cursor) else {
            self.cursor = self.text.len();
            return false;
        };
        self.cursor = end;
        let start = skip_elisions(self.text, start, end);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.text.clear();
        let word = &self.text[start..end];
        // `’` is the only apostrophe outside ASCII and starts with 0xE2.
        if word.bytes().any(|byte| byte == b'\'' || byte == 0xE2) {
            let letters = word.chars().filter(|&c| !is_apostrophe(c));
            self.token.text.extend(letters);
        } else {
            self.token.text.push_str(word);
        }
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Byte range of the next word at or after `from`: letters and digits, plus apostrophes that
/// sit between two of them.
fn next_word(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut start = from;
    loop {
        let c = char_at(text, start)?;
        if c.is_alphanumeric() {
            break;
        }
        start += c.len_utf8();
    }
    let mut end = start;
    while let Some(c) = char_at(text, end) {
        let continues_word = c.is_alphanumeric()
            || (is_apostrophe(c)
                && char_at(text, end + c.len_utf8()).is_some_and(char::is_alphanumeric));
        if !continues_word {
            break;
        }
        end += c.len_utf8();
    }
    Some((start, end))
}

/// The character starting at byte `at` (a character boundary), read without decoding when it
/// is ASCII: most characters of a French text are.
fn char_at(text: &str, at: usize) -> Option<char> {
    let byte = *text.as_bytes().get(at)?;
    if byte.is_ascii() {
        Some(char::from(byte))
    } else {
        text.get(at..)?.chars().next()
    }
}

/// Start of the word once its leading elisions are dropped (`qu'aujourd'hui` → `aujourd'hui`).
fn skip_elisions(text: &str, mut start: usize, end: usize) -> usize {
    while let Some((offset, apostrophe)) = text[start..end]
        .char_indices()
        .find(|(_, c)| is_apostrophe(*c))
    {
        let prefix = text[start..start + offset].to_lowercase();
        if !ELISIONS.contains(&prefix.as_str()) {
            break;
        }
        start += offset + apostrophe.len_utf8();
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(text: &str) -> String {
        let terms = analyze(text);
        assert_eq!(terms.len(), 1, "{text:?} gave {terms:?}");
        terms[0].clone()
    }

    #[test]
    fn accents_case_and_plural_give_one_term() {
        let expected = single("élève");
        for variant in ["eleve", "élèves", "Élèves", "ÉLÈVE", "eleves"] {
            assert_eq!(single(variant), expected, "{variant}");
        }
        assert_eq!(single("numériques"), single("numérique"));
        assert_eq!(single("numeriques"), single("numérique"));
    }

    #[test]
    fn elisions_are_dropped_with_both_apostrophes() {
        let evaluation = single("évaluation");
        assert_eq!(single("l'évaluation"), evaluation);
        assert_eq!(single("l’évaluation"), evaluation);
        assert_eq!(single("L'Évaluation"), evaluation);
        assert_eq!(single("évaluer"), evaluation);
        assert_eq!(single("qu'évaluer"), evaluation);
        assert_eq!(single("jusqu’à évaluer"), evaluation);
        assert_eq!(analyze("d'un élève"), vec![single("élève")]);
    }

    #[test]
    fn aujourd_hui_stays_one_word() {
        let term = single("aujourd'hui");
        assert!(term.starts_with("aujourd"), "{term}");
        assert_eq!(single("aujourd’hui"), term);
        assert_eq!(single("d'aujourd'hui"), term);
    }

    #[test]
    fn ligature_is_folded() {
        let term = single("œuvre");
        assert!(term.starts_with("oeuvr"), "{term}");
        assert_eq!(single("Œuvres"), term);
    }

    #[test]
    fn stop_words_are_removed() {
        assert_eq!(
            analyze("le volcan, la lave et des cendres"),
            analyze("volcan lave cendres")
        );
        assert!(analyze("le la des à même").is_empty());
        assert_eq!(analyze("les volcans").len(), 1);
    }

    #[test]
    fn school_codes_stay_searchable() {
        assert_eq!(analyze("CM1, 6e et SVT"), vec!["cm1", "6e", "svt"]);
        assert_eq!(analyze("cm1"), analyze("CM1"));
    }

    #[test]
    fn punctuation_splits_words_and_lone_apostrophes_are_ignored() {
        assert_eq!(analyze("volcans/séismes"), analyze("volcans séismes"));
        assert_eq!(analyze("' l' 'volcan'"), analyze("volcan"));
        assert!(analyze("\"\" : () AND").len() <= 1);
    }

    #[test]
    fn offsets_point_to_the_word_without_its_elision() {
        let text = "Avec l’évaluation";
        let mut analyzer = french_analyzer();
        let mut stream = analyzer.token_stream(text);
        assert!(stream.advance());
        let token = stream.token();
        assert_eq!(&text[token.offset_from..token.offset_to], "évaluation");
        assert!(!stream.advance());
    }

    #[test]
    fn query_words_keep_the_folded_form_and_match_the_indexed_terms() {
        let text = "L’Évaluation des élèves, aujourd'hui en 6e";
        let words = analyze_words(text);
        let terms: Vec<String> = words.iter().map(|w| w.term.clone()).collect();
        assert_eq!(terms, analyze(text));
        let folded: Vec<&str> = words.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(folded, ["evaluation", "eleves", "aujourdhui", "6e"]);
    }

    #[test]
    fn overlong_tokens_are_dropped() {
        let long = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert!(analyze(&long).is_empty());
    }

    /// The tokenizer's words written the slow, obvious way: every character decoded, every
    /// apostrophe filtered out.
    fn reference_words(text: &str) -> Vec<(usize, usize, String)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut words = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].1.is_alphanumeric() {
                i += 1;
                continue;
            }
            let first = i;
            while i < chars.len()
                && (chars[i].1.is_alphanumeric()
                    || (is_apostrophe(chars[i].1)
                        && chars.get(i + 1).is_some_and(|(_, c)| c.is_alphanumeric())))
            {
                i += 1;
            }
            let end = chars.get(i).map_or(text.len(), |(at, _)| *at);
            let start = skip_elisions(text, chars[first].0, end);
            let letters = text[start..end].chars().filter(|&c| !is_apostrophe(c));
            words.push((start, end, letters.collect()));
        }
        words
    }

    #[test]
    fn the_tokenizer_reads_ascii_and_other_characters_alike() {
        // `ⅳ` (U+2173) and `–` (U+2013) start with the same byte as `’`.
        let texts = [
            "L’élève d'aujourd’hui lit « Ⅳ » et ⅳ – puis l''x qu’« a » 3,5 œuvres.",
            "jusqu'à l'âge: ’début fin’ '' 'a' x’ ÉTÉ cm2/6e ñandú 東京 naïve",
            "",
            "’",
        ];
        for text in texts {
            let mut tokenizer = FrenchTokenizer;
            let mut stream = tokenizer.token_stream(text);
            let mut words = Vec::new();
            while stream.advance() {
                let token = stream.token();
                words.push((token.offset_from, token.offset_to, token.text.clone()));
            }
            assert_eq!(words, reference_words(text), "{text:?}");
        }
    }
}
