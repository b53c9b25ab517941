//! `vitrine new` in a terminal: asks, in French, for what the command line did not give, with
//! suggestions from the site's vocabularies, so that the file written builds as it is.
//!
//! The answer checks ([`parse_values`]) and the suggestions ([`suggestions`]) are plain functions;
//! only [`ask_missing`] talks to the terminal, through `inquire`.

use std::path::Path;

use inquire::autocompletion::{Autocomplete, Replacement};
use inquire::ui::{RenderConfig, Styled};
use inquire::validator::Validation;
use inquire::{CustomUserError, InquireError, Text};

use super::{title_taken, NewScenario};
use crate::config::Config;
use crate::diagnostics::{io_message_fr, Diagnostic, ErrorKind};
use crate::text::{fold, slugify};
use crate::vocab::{Entry, VocabName, Vocabularies, Vocabulary};

/// Why the questions stopped before the end.
#[derive(Debug)]
pub enum Stop {
    /// Esc or Ctrl-C: nothing is written.
    Cancelled,
    /// The terminal failed (closed, unreadable).
    Failed(Diagnostic),
}

/// How many suggestions are shown under a question.
const SHOWN_SUGGESTIONS: usize = 7;
/// How many close values an unknown answer lists.
const CLOSE_VALUES: usize = 3;
/// Below this similarity (Jaro-Winkler on folded forms) a value is not offered for a typo.
const TYPO_SIMILARITY: f64 = 0.75;
/// The longest summary the header accepts (see the README's header table).
const RESUME_MAX_CHARS: usize = 500;

// Short enough for one line of an 80-column terminal.
const HELP_LIST: &str = "↑↓ choisir, Tab compléter, Échap annuler ; virgule entre deux valeurs";
const HELP_ONE: &str = "une seule valeur ; ↑↓ choisir, Tab compléter, Échap annuler";
const HELP_OPTIONAL: &str =
    "facultatif, Entrée pour passer ; ↑↓ choisir, Tab compléter, Échap annuler";
const HELP_TEXT: &str =
    "facultatif, Entrée pour l'écrire plus tard dans le fichier ; Échap annuler";

/// How many values a question needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Count {
    AtLeastOne,
    ExactlyOne,
    Any,
}

impl Count {
    fn help(self) -> &'static str {
        match self {
            Count::AtLeastOne => HELP_LIST,
            Count::ExactlyOne => HELP_ONE,
            Count::Any => HELP_OPTIONAL,
        }
    }

    /// Why `keys` do not answer the question, in French.
    fn refusal(self, vocab: &Vocabulary, keys: &[String]) -> Option<String> {
        match (self, keys.len()) {
            (Count::AtLeastOne | Count::ExactlyOne, 0) => Some(empty_answer(vocab)),
            (Count::ExactlyOne, n) if n > 1 => Some(format!(
                "une seule valeur ici ({n} données) : gardez-en une",
            )),
            _ => None,
        }
    }
}

/// Asks for every field `request` lacks: titre, disciplines, niveaux, académie (unless the
/// site's `vitrine.yaml` gives one), then the optional types, modalités, résumé and author.
pub fn ask_missing(
    root: &Path,
    request: &mut NewScenario,
    config: &Config,
    vocabs: &Vocabularies,
) -> Result<(), Stop> {
    if slugify(&request.titre).is_empty() {
        request.titre = ask_title(root)?;
    } else if let Some(taken) = title_taken(root, &request.titre) {
        // Said before the questions, not after them.
        return Err(Stop::Failed(taken));
    }
    if request.disciplines.is_empty() {
        request.disciplines = ask_values(
            vocabs.get(VocabName::Subjects),
            "Discipline(s) :",
            Count::AtLeastOne,
        )?;
    }
    if request.niveaux.is_empty() {
        request.niveaux = ask_values(
            vocabs.get(VocabName::Levels),
            "Niveau(x) :",
            Count::AtLeastOne,
        )?;
    }
    if request.academie.is_none() && config.academie.is_none() {
        let academies = vocabs.get(VocabName::Academies);
        request.academie = ask_values(academies, "Académie :", Count::ExactlyOne)?
            .into_iter()
            .next();
    }
    if request.types.is_empty() {
        request.types = ask_values(vocabs.get(VocabName::Types), "Type(s) :", Count::Any)?;
    }
    if request.modalites.is_empty() {
        request.modalites = ask_values(vocabs.get(VocabName::Modes), "Modalité(s) :", Count::Any)?;
    }
    if request.resume.is_none() {
        request.resume = ask_text("Résumé, en deux ou trois phrases :", check_resume)?;
    }
    if request.auteur.is_none() {
        request.auteur = ask_text("Votre prénom et votre nom :", |_| Ok(()))?;
    }
    Ok(())
}

/// inquire's texts in French (its default cancel mark is « <canceled> »).
fn render_config() -> RenderConfig<'static> {
    RenderConfig::default().with_canceled_prompt_indicator(Styled::new("<annulé>"))
}

fn stop(err: InquireError) -> Stop {
    match err {
        InquireError::OperationCanceled | InquireError::OperationInterrupted => Stop::Cancelled,
        InquireError::IO(e) => Stop::Failed(terminal_error(&io_message_fr(&e))),
        _ => Stop::Failed(terminal_error(
            "le terminal ne permet pas de poser les questions",
        )),
    }
}

fn terminal_error(detail: &str) -> Diagnostic {
    Diagnostic::new(
        ErrorKind::Io,
        "vitrine new",
        format!("{detail} : rien n'a été écrit ; relancez avec --non-interactif et les options --discipline, --niveau, --academie"),
    )
}

fn ask_title(root: &Path) -> Result<String, Stop> {
    let root = root.to_path_buf();
    let answer = Text::new("Titre du scénario :")
        .with_help_message("il donne le nom du fichier ; Échap pour annuler")
        .with_render_config(render_config())
        .with_validator(move |input: &str| {
            Ok(match check_title(&root, input) {
                Ok(()) => Validation::Valid,
                Err(message) => Validation::Invalid(message.into()),
            })
        })
        .prompt()
        .map_err(stop)?;
    Ok(answer.trim().to_string())
}

/// Keys of the values given for `vocab`, as many as `count` allows.
fn ask_values(vocab: &Vocabulary, message: &str, count: Count) -> Result<Vec<String>, Stop> {
    let checked = vocab.clone();
    let answer = Text::new(message)
        .with_help_message(count.help())
        .with_render_config(render_config())
        .with_page_size(SHOWN_SUGGESTIONS)
        .with_autocomplete(Completer {
            vocab: vocab.clone(),
        })
        .with_validator(move |input: &str| {
            let refusal = match parse_values(&checked, input) {
                Ok(keys) => count.refusal(&checked, &keys),
                Err(message) => Some(message),
            };
            Ok(refusal.map_or(Validation::Valid, |m| Validation::Invalid(m.into())))
        })
        .prompt()
        .map_err(stop)?;
    // The validator accepted the answer: it parses.
    Ok(parse_values(vocab, &answer).unwrap_or_default())
}

fn ask_text(message: &str, check: fn(&str) -> Result<(), String>) -> Result<Option<String>, Stop> {
    let answer = Text::new(message)
        .with_help_message(HELP_TEXT)
        .with_render_config(render_config())
        .with_validator(move |input: &str| {
            Ok(match check(input) {
                Ok(()) => Validation::Valid,
                Err(message) => Validation::Invalid(message.into()),
            })
        })
        .prompt()
        .map_err(stop)?;
    let answer = answer.trim();
    Ok((!answer.is_empty()).then(|| answer.to_string()))
}

/// A title gives a file name: it needs a letter or a digit, and no other scenario may have it.
fn check_title(root: &Path, input: &str) -> Result<(), String> {
    let slug = slugify(input);
    if slug.is_empty() {
        return Err("donnez un titre avec des lettres ou des chiffres, par exemple « Débattre en EMC avec un mur collaboratif »".into());
    }
    if title_taken(root, input).is_some() {
        return Err(format!(
            "un scénario « {slug} » existe déjà : choisissez un autre titre"
        ));
    }
    Ok(())
}

fn check_resume(input: &str) -> Result<(), String> {
    let count = input.trim().chars().count();
    if count > RESUME_MAX_CHARS {
        return Err(format!(
            "résumé trop long : {count} caractères pour {RESUME_MAX_CHARS} au plus ; raccourcissez-le"
        ));
    }
    Ok(())
}

fn empty_answer(vocab: &Vocabulary) -> String {
    format!(
        "au moins une valeur est nécessaire : tapez le début d'un nom (vitrine vocabulaires {} donne la liste)",
        vocab.name.file_stem()
    )
}

/// How a suggestion shows an entry. A level is written by its key (« 6e ») as often as by its
/// label, so both are shown; other keys are only the label without accents.
fn shown(vocab: &Vocabulary, entry: &Entry) -> String {
    match vocab.name {
        VocabName::Levels => format!("{} — {}", entry.cle, entry.libelle),
        _ => entry.libelle.clone(),
    }
}

/// The keys of the comma-separated values of `answer` (keys, labels, aliases or suggestions as
/// shown), without repeats; or a French message naming the first unknown value and the closest
/// ones. An empty answer gives no key.
pub fn parse_values(vocab: &Vocabulary, answer: &str) -> Result<Vec<String>, String> {
    // A label may itself contain a comma (site vocabularies): the whole answer is tried first.
    if let Some(entry) = resolve_one(vocab, answer) {
        return Ok(vec![entry.cle.clone()]);
    }
    let mut keys: Vec<String> = Vec::new();
    for part in answer.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let entry = resolve_one(vocab, part).ok_or_else(|| unknown_value(vocab, part))?;
        if !keys.contains(&entry.cle) {
            keys.push(entry.cle.clone());
        }
    }
    Ok(keys)
}

/// What one value designates, as typed or as a suggestion shows it (« 6e — Sixième »).
fn resolve_one<'a>(vocab: &'a Vocabulary, written: &str) -> Option<&'a Entry> {
    let written = written.trim();
    if written.is_empty() {
        return None;
    }
    vocab.resolve(written).or_else(|| {
        // Both halves must agree: « 6e — Sixième, 5e — Cinquième » is two values, not « 6e ».
        let (key, label) = written.split_once(" — ")?;
        vocab
            .resolve(key)
            .filter(|entry| fold(&entry.libelle) == fold(label.trim()))
    })
}

fn unknown_value(vocab: &Vocabulary, written: &str) -> String {
    let close: Vec<String> = closest_entries(vocab, written, CLOSE_VALUES)
        .into_iter()
        .map(|e| format!("« {} »", shown(vocab, e)))
        .collect();
    let stem = vocab.name.file_stem();
    if close.is_empty() {
        format!("« {written} » n'est pas dans la liste ({stem}) ; vitrine vocabulaires {stem} donne les valeurs possibles")
    } else {
        format!(
            "« {written} » n'est pas dans la liste ({stem}) ; valeurs proches : {} (vitrine vocabulaires {stem} donne toute la liste)",
            close.join(", ")
        )
    }
}

/// Similarity of `written` to the closest spelling of `entry`, on folded forms.
fn similarity(entry: &Entry, folded: &str) -> f64 {
    std::iter::once(entry.cle.as_str())
        .chain(std::iter::once(entry.libelle.as_str()))
        .chain(entry.alias.iter().map(String::as_str))
        .map(|form| strsim::jaro_winkler(folded, &fold(form)))
        .fold(0.0, f64::max)
}

/// The `count` entries most similar to `written`, best first, above [`TYPO_SIMILARITY`].
fn closest_entries<'a>(vocab: &'a Vocabulary, written: &str, count: usize) -> Vec<&'a Entry> {
    let folded = fold(written.trim());
    let mut scored: Vec<(f64, &Entry)> = vocab
        .entries()
        .iter()
        .map(|e| (similarity(e, &folded), e))
        .filter(|(score, _)| *score >= TYPO_SIMILARITY)
        .collect();
    // Stable: equal scores keep the vocabulary's order.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(count).map(|(_, e)| e).collect()
}

/// How well `entry` matches the beginning of a word being typed: 0 when a spelling starts with
/// it, 1 when a spelling contains it, `None` otherwise.
fn match_rank(entry: &Entry, folded: &str) -> Option<u8> {
    let forms: Vec<String> = std::iter::once(entry.cle.as_str())
        .chain(std::iter::once(entry.libelle.as_str()))
        .chain(entry.alias.iter().map(String::as_str))
        .map(fold)
        .collect();
    if forms.iter().any(|f| f.starts_with(folded)) {
        Some(0)
    } else if forms.iter().any(|f| f.contains(folded)) {
        Some(1)
    } else {
        None
    }
}

/// The suggestions for what is being typed: the last comma-separated value is matched against
/// every spelling (start first, then anywhere), and failing that the closest spellings are
/// offered, so that a typo is corrected by choosing. Each suggestion is the whole answer with
/// that value replaced, so that choosing it keeps the values already typed.
pub fn suggestions(vocab: &Vocabulary, input: &str) -> Vec<String> {
    let (before, last) = match input.rsplit_once(',') {
        Some((before, last)) => (Some(before.trim_end()), last.trim()),
        None => (None, input.trim()),
    };
    if last.is_empty() {
        return Vec::new();
    }
    let folded = fold(last);
    let mut ranked: Vec<(u8, &Entry)> = vocab
        .entries()
        .iter()
        .filter_map(|e| match_rank(e, &folded).map(|rank| (rank, e)))
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    let mut entries: Vec<&Entry> = ranked.into_iter().map(|(_, e)| e).collect();
    if entries.is_empty() {
        entries = closest_entries(vocab, last, SHOWN_SUGGESTIONS);
    }
    entries
        .into_iter()
        .take(SHOWN_SUGGESTIONS)
        .map(|e| match before {
            Some(before) => format!("{before}, {}", shown(vocab, e)),
            None => shown(vocab, e),
        })
        .collect()
}

/// Suggestions under a question, and Tab to take the highlighted one (or the first).
#[derive(Clone)]
struct Completer {
    vocab: Vocabulary,
}

impl Autocomplete for Completer {
    fn get_suggestions(&mut self, input: &str) -> Result<Vec<String>, CustomUserError> {
        Ok(suggestions(&self.vocab, input))
    }

    fn get_completion(
        &mut self,
        input: &str,
        highlighted: Option<String>,
    ) -> Result<Replacement, CustomUserError> {
        Ok(highlighted.or_else(|| suggestions(&self.vocab, input).into_iter().next()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabs() -> Vocabularies {
        Vocabularies::builtin().expect("built-in vocabularies")
    }

    #[test]
    fn typing_the_start_of_a_word_offers_the_level_with_its_key_and_label() {
        let v = vocabs();
        let levels = v.get(VocabName::Levels);
        let offered = suggestions(levels, "six");
        assert_eq!(offered.first().map(String::as_str), Some("6e — Sixième"));
        // The suggestion as shown is accepted as an answer.
        assert_eq!(
            parse_values(levels, &offered[0]),
            Ok(vec!["6e".to_string()])
        );
    }

    #[test]
    fn a_suggestion_keeps_the_values_already_typed() {
        let v = vocabs();
        let levels = v.get(VocabName::Levels);
        let offered = suggestions(levels, "5e, sixi");
        assert_eq!(
            offered.first().map(String::as_str),
            Some("5e, 6e — Sixième")
        );
        assert_eq!(
            parse_values(levels, &offered[0]),
            Ok(vec!["5e".to_string(), "6e".to_string()])
        );
        assert_eq!(
            parse_values(levels, "6e — Sixième, 5e — Cinquième"),
            Ok(vec!["6e".to_string(), "5e".to_string()])
        );
        assert!(suggestions(levels, "5e, ").is_empty());
    }

    #[test]
    fn a_typo_is_offered_the_closest_values() {
        let v = vocabs();
        let subjects = v.get(VocabName::Subjects);
        let offered = suggestions(subjects, "mahts");
        assert_eq!(
            offered.first().map(String::as_str),
            Some("Mathématiques"),
            "{offered:?}"
        );
        assert!(offered.len() <= SHOWN_SUGGESTIONS);
        assert!(suggestions(subjects, "zzzzqqq").is_empty());
    }

    #[test]
    fn labels_keys_and_aliases_are_accepted_without_repeats() {
        let v = vocabs();
        let subjects = v.get(VocabName::Subjects);
        assert_eq!(
            parse_values(subjects, "maths, Français, svt, mathématiques"),
            Ok(vec![
                "mathematiques".to_string(),
                "francais".to_string(),
                "svt".to_string()
            ])
        );
        assert_eq!(parse_values(subjects, "  "), Ok(Vec::new()));
        let academies = v.get(VocabName::Academies);
        assert_eq!(
            parse_values(academies, "Lyon"),
            Ok(vec!["ac-lyon".to_string()])
        );
    }

    #[test]
    fn an_unknown_value_names_the_closest_ones_and_the_list_command() {
        let v = vocabs();
        let message = parse_values(v.get(VocabName::Levels), "6e, sixeme").expect_err("unknown");
        assert!(
            message.starts_with("« sixeme » n'est pas dans la liste (niveaux)"),
            "{message}"
        );
        assert!(message.contains("« 6e — Sixième »"), "{message}");
        assert!(
            message.contains("vitrine vocabulaires niveaux"),
            "{message}"
        );
        let far = parse_values(v.get(VocabName::Levels), "BTS").expect_err("unknown");
        assert!(!far.contains("valeurs proches"), "{far}");
        assert!(far.contains("vitrine vocabulaires niveaux"), "{far}");
    }

    #[test]
    fn a_title_needs_a_letter_and_a_free_file_name() {
        let root = tempfile::tempdir().expect("temp dir");
        let folder = root.path().join("content/scenarios/svt");
        std::fs::create_dir_all(&folder).expect("folder");
        std::fs::write(folder.join("mon-scenario.md"), "").expect("scenario");
        assert!(check_title(root.path(), "Un autre scénario").is_ok());
        let taken = check_title(root.path(), "Mon scénario !").expect_err("taken");
        assert!(taken.contains("« mon-scenario » existe déjà"), "{taken}");
        let empty = check_title(root.path(), " « ! » ").expect_err("no letter");
        assert!(empty.contains("lettres ou des chiffres"), "{empty}");
    }

    #[test]
    fn each_question_takes_as_many_values_as_its_key() {
        let v = vocabs();
        let academies = v.get(VocabName::Academies);
        let two = parse_values(academies, "Lyon, Nantes").expect("known");
        let refusal = Count::ExactlyOne.refusal(academies, &two);
        assert!(refusal.is_some_and(|r| r.contains("une seule valeur")));
        assert_eq!(Count::ExactlyOne.refusal(academies, &two[..1]), None);
        assert_eq!(Count::AtLeastOne.refusal(academies, &two), None);
        assert!(Count::AtLeastOne.refusal(academies, &[]).is_some());
        assert_eq!(Count::Any.refusal(academies, &[]), None);
    }

    #[test]
    fn a_summary_longer_than_the_header_accepts_is_refused() {
        assert!(check_resume(&"é".repeat(RESUME_MAX_CHARS)).is_ok());
        let message = check_resume(&"é".repeat(RESUME_MAX_CHARS + 1)).expect_err("too long");
        assert!(message.contains("501 caractères"), "{message}");
    }
}
