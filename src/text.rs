//! Small text helpers shared by every stage: folding for lookups, French slugs, HTML escaping,
//! and the text of a body, owned or sliced from a shared buffer ([`BodyText`]).

mod body_text;

use deunicode::deunicode;

pub use body_text::{BodyText, TextStore};

/// Lower case, accents removed, ligatures expanded (œ → oe), spaces collapsed.
/// Used to compare what an author typed with vocabulary labels.
pub fn fold(input: &str) -> String {
    let ascii = deunicode(input).to_lowercase();
    ascii.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// URL slug: ASCII lower case words joined by `-` (« Éducation musicale » → `education-musicale`).
/// Only letters and digits are transliterated: deunicode names symbols and emoji in English
/// (« 🌍 » → `earth africa`, « € » → `EUR`), which has no place in a French address.
pub fn slugify(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let separate = |out: &mut String| {
        if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    };
    for c in input.chars() {
        let ascii = if c.is_alphanumeric() {
            deunicode::deunicode_char(c).unwrap_or("")
        } else {
            ""
        };
        if ascii.is_empty() {
            separate(&mut out);
        }
        for a in ascii.chars() {
            if a.is_ascii_alphanumeric() {
                out.push(a.to_ascii_lowercase());
            } else {
                separate(&mut out);
            }
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// « s » after a count above one: in French, 0 and 1 take the singular (« 0 erreur »).
pub fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

/// `n` with the word that goes with it: « 1 erreur », « 3 erreurs », « 0 brouillon ».
pub fn counted(n: usize, singular: &str, plural: &str) -> String {
    if n > 1 {
        format!("{n} {plural}")
    } else {
        format!("{n} {singular}")
    }
}

/// `text` cut to at most `max_chars` characters at a word boundary, with « … » when cut.
pub fn truncate_words(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((cut, _)) => {
            let head = &text[..cut];
            // Cut at the last word boundary so that no word is mangled.
            let head = head
                .rsplit_once(char::is_whitespace)
                .map_or(head, |(h, _)| h);
            format!("{}…", head.trim_end())
        }
    }
}

/// Escapes text for HTML element content or a quoted attribute value: `&`, `<`, `>`, `"`
/// and `'` (as `&#39;`). The one escaping of every HTML fragment not made by a template.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail: the error type is only there for other sinks.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_case_accents_and_ligatures() {
        assert_eq!(fold("  Cinquième  Œuvre "), "cinquieme oeuvre");
    }

    #[test]
    fn slugify_makes_french_slugs() {
        assert_eq!(slugify("Éducation musicale"), "education-musicale");
        assert_eq!(
            slugify("L'évaluation : pourquoi ?"),
            "l-evaluation-pourquoi"
        );
        assert_eq!(slugify("CM1 / CM2"), "cm1-cm2");
        assert_eq!(slugify("L'Œuvre d'Ibsen, 5ème"), "l-oeuvre-d-ibsen-5eme");
    }

    #[test]
    fn counts_take_the_plural_above_one_only() {
        assert_eq!(counted(0, "erreur", "erreurs"), "0 erreur");
        assert_eq!(counted(1, "fichier lu", "fichiers lus"), "1 fichier lu");
        assert_eq!(counted(2, "fichier lu", "fichiers lus"), "2 fichiers lus");
        assert_eq!(plural(1), "");
        assert_eq!(plural(2), "s");
    }

    /// Found with `vitrine new "Découvrir 🌍 la Terre"`: the file was named
    /// `decouvrir-earth-africa-la-terre.md`.
    #[test]
    fn slugify_drops_symbols_and_emoji_instead_of_naming_them_in_english() {
        assert_eq!(slugify("Découvrir 🌍 la Terre"), "decouvrir-la-terre");
        assert_eq!(slugify("Un budget de 100 € → 80 €"), "un-budget-de-100-80");
        assert_eq!(slugify("© Classe ★ numérique ✓"), "classe-numerique");
        assert_eq!(slugify("🌍"), "");
        // A letter transliterated into several words keeps them apart.
        assert_eq!(slugify("地球"), "di-qiu");
    }

    #[test]
    fn escape_html_covers_markup_and_both_quotes() {
        assert_eq!(
            escape_html("<b onclick=\"x\">&'</b>"),
            "&lt;b onclick=&quot;x&quot;&gt;&amp;&#39;&lt;/b&gt;"
        );
        assert_eq!(escape_html("Élève « ok »"), "Élève « ok »");
    }
}
