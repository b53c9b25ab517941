//! serde_yaml and libyaml explain YAML errors in English (« found character that cannot start
//! any token », « recursion limit exceeded »…). Referents read French: every error class is
//! mapped here to a French sentence saying what is wrong and what to do. The library's text is
//! never shown, not even as a fallback: an unknown class gets a generic French sentence (the
//! diagnostic carries the line and column).
//!
//! The two mistakes referents make most are recognised from the source line itself: a tab in
//! the indentation, and an apostrophe inside a single-quoted value (`titre: 'L'eau'`).

/// A YAML error explained in French, and where to point the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub message: String,
    /// 1-based line and column in the YAML text given to [`explain`].
    pub line: usize,
    pub column: usize,
    /// The corrected line to write, when it can be known (« vouliez-vous dire … ? »).
    pub fix: Option<String>,
}

/// Explains the serde_yaml error `error` (its `Display` text) raised at `line`, `column`
/// (1-based, in `yaml`).
pub fn explain(error: &str, yaml: &str, line: usize, column: usize) -> Explained {
    explain_in(error, yaml, line, column, 1)
}

/// [`explain`] for a YAML text that starts at line `first_line` of its file: messages that
/// name other lines (a duplicate key) give file lines.
pub fn explain_in(
    error: &str,
    yaml: &str,
    line: usize,
    column: usize,
    first_line: usize,
) -> Explained {
    let at = |message: String| Explained {
        message,
        line,
        column,
        fix: None,
    };
    if let Some(found) = tab_indentation(error, yaml, line) {
        return found;
    }
    if let Some(found) = tab_separator(yaml, line, column) {
        return found;
    }
    if let Some(found) = quote_inside_quotes(yaml, line) {
        return found;
    }
    if let Some(found) = quote_inside_multiline_quotes(yaml, line) {
        return found;
    }
    if let Some(found) = super::mistakes::explain(error, yaml, line, column, first_line) {
        return found;
    }
    let found_char = char_at(yaml, line, column);
    at(class_message(error, found_char))
}

/// The sentence for an error class, from the library's message.
fn class_message(error: &str, found: Option<char>) -> String {
    let has = |needle: &str| error.contains(needle);
    let text = if has("duplicate entry") {
        return match quoted_key(error) {
            Some(key) => {
                format!("clé « {key} » présente deux fois : gardez une seule ligne pour cette clé")
            }
            None => "clé présente deux fois : gardez une seule ligne pour cette clé".to_string(),
        };
    } else if has("cannot start any token") {
        return match found {
            Some(c) if !c.is_whitespace() => format!(
                "caractère « {c} » réservé en YAML au début d'une valeur : mettez toute la valeur entre guillemets droits (\"…\")"
            ),
            _ => "caractère réservé en YAML au début d'une valeur : mettez toute la valeur entre guillemets droits (\"…\")".to_string(),
        };
    } else if has("mapping values are not allowed") {
        "deux-points inattendu : si la valeur contient « : », mettez-la entre guillemets droits (par exemple resume: \"Objectif : lire\") ; sinon vérifiez l'indentation"
    } else if has("block sequence entries are not allowed") {
        "tiret de liste inattendu : chaque élément « - » va sur sa propre ligne, sous la clé de la liste, aligné avec les autres éléments"
    } else if has("mapping keys are not allowed") {
        "clé inattendue à cet endroit : vérifiez l'indentation (des espaces, les clés d'un même niveau alignées)"
    } else if has("expected key") {
        "clé attendue à cet endroit : vérifiez l'indentation (des espaces, les clés d'un même niveau alignées) et que rien ne suit la valeur après un guillemet fermant"
    } else if has("expected '-' indicator") {
        "élément de liste attendu : chaque élément commence par « - » aligné avec les autres éléments"
    } else if has("',' or ']'") {
        "liste entre crochets mal fermée : séparez les éléments par des virgules, fermez avec « ] », et mettez entre guillemets un élément qui contient une virgule, un crochet ou « : »"
    } else if has("',' or '}'") {
        "accolades mal fermées : fermez avec « } » ; si la valeur est un texte qui commence par « { », mettez-la entre guillemets"
    } else if has("expected node content") {
        "valeur attendue à cet endroit : une valeur manque, ou elle commence par un caractère réservé ; mettez-la entre guillemets droits"
    } else if has("could not find expected ':'") {
        "deux-points attendu : écrivez « clé: valeur » sur une seule ligne ; un texte entre guillemets ouvert plus haut n'est peut-être pas fermé"
    } else if has("unexpected document indicator") {
        "ligne « --- » ou « ... » à l'intérieur d'un texte entre guillemets : un guillemet ouvert plus haut n'est pas fermé"
    } else if has("end of stream") || has("EOF") || has("unexpected end") {
        "fin du texte atteinte alors qu'un guillemet, une apostrophe, un crochet ou une accolade n'est pas fermé : fermez-le"
    } else if has("escape") || has("hexadecimal") {
        "barre oblique inverse « \\ » inconnue dans un texte entre guillemets droits : doublez-la (« \\\\ ») ou entourez le texte d'apostrophes"
    } else if has("tab character") {
        "tabulation dans l'indentation : remplacez la tabulation par des espaces"
    } else if has("control characters")
        || has("UTF-8")
        || has("UTF-16")
        || has("Unicode")
        || has("surrogate")
    {
        "caractère invisible interdit (caractère de contrôle, souvent copié d'un traitement de texte ou d'un PDF) : supprimez-le ou retapez le texte"
    } else if has("alphabetic or numeric character") || has("anchor") || has("alias") {
        "« & » ou « * » au début d'une valeur désigne une ancre YAML : mettez toute la valeur entre guillemets droits"
    } else if has("recursion limit") {
        "imbrication trop profonde (plus de 128 niveaux de listes ou de clés) : l'en-tête ne contient que des clés simples et des listes"
    } else if has("repetition limit") {
        "trop de renvois vers des ancres YAML (« *nom ») : écrivez les valeurs en toutes lettres"
    } else if has("more than one document") {
        "plusieurs documents YAML à la suite : une ligne « --- » en trop coupe le texte en deux ; supprimez-la"
    } else if has("merg") {
        "fusion « << » mal formée : écrivez les clés en toutes lettres au lieu de « << »"
    } else if has("tag") || has("'!'") || has("directive") || has("version number") || has("'>'") {
        "« ! » ou « % » au début d'une valeur a un sens réservé en YAML : mettez toute la valeur entre guillemets droits"
    } else if has("indentation indicator") || has("block scalar") {
        "bloc de texte « | » ou « > » mal formé : écrivez « | » seul en fin de ligne, puis le texte en dessous, indenté"
    } else if has("whitespace") || has("comment or line break") {
        "texte inattendu après la valeur : mettez toute la valeur entre guillemets droits, ou ajoutez une espace avant « # » d'un commentaire"
    } else if has("number") {
        "nombre illisible : mettez la valeur entre guillemets droits si c'est un texte"
    } else if has("too long") {
        "texte trop long pour être lu"
    } else if has("document start") {
        "texte inattendu après la fin de l'en-tête : vérifiez l'indentation et les deux-points après chaque clé"
    } else {
        "YAML illisible à cet endroit : vérifiez l'indentation (des espaces, pas de tabulations), les deux-points après chaque clé et que chaque guillemet est fermé"
    };
    text.to_string()
}

/// Whether a serde_yaml message is about the data (a type or a key) rather than the syntax.
pub fn is_data_error(message: &str) -> bool {
    [
        "unknown field",
        "missing field",
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown variant",
    ]
    .iter()
    .any(|start| message.contains(start))
}

/// serde's « invalid type: string "abc", expected u64 » in French.
pub fn type_message(message: &str) -> String {
    let (found, expected) = match message.split_once(", expected ") {
        Some((found, expected)) => (found, expected),
        None => (message, ""),
    };
    let found = found.rsplit(": ").next().unwrap_or(found);
    format!(
        "valeur incorrecte : {} alors qu'il faut {}",
        describe_serde(found),
        describe_serde(expected)
    )
}

/// serde's names of kinds of values (`string "abc"`, `integer `5``, `u64`, `a sequence`).
fn describe_serde(what: &str) -> String {
    let what = what.trim();
    let quoted = what
        .split_once(['"', '`'])
        .map(|(_, v)| v.trim_end_matches(['"', '`']))
        .filter(|v| !v.is_empty());
    let kind = if what.contains("string") || what.contains("char") {
        "un texte"
    } else if what.contains("bool") {
        "true ou false"
    } else if what.contains("float") || what.starts_with('f') && what.len() == 3 {
        "un nombre"
    } else if what.contains("integer")
        || what.starts_with(['u', 'i']) && what[1..].chars().all(|c| c.is_ascii_digit())
        || what == "usize"
        || what == "isize"
    {
        "un nombre entier positif"
    } else if what.contains("sequence") || what.contains("tuple") || what.contains("seq") {
        "une liste"
    } else if what.contains("map") || what.contains("struct") {
        "un ensemble de clés « clé: valeur »"
    } else if what.contains("unit") || what.contains("null") || what.contains("option") {
        "une valeur vide"
    } else {
        "une autre valeur"
    };
    match quoted {
        Some(v) if !what.contains("expected") => format!("{kind} (« {v} »)"),
        _ => kind.to_string(),
    }
}

/// `key "titre"` in « duplicate entry with key "titre" ».
fn quoted_key(error: &str) -> Option<&str> {
    let rest = &error[error.find("key \"")? + 5..];
    rest.split('"').next().filter(|k| !k.is_empty())
}

/// 1-based line `line` of `yaml`.
pub(super) fn line_text(yaml: &str, line: usize) -> Option<&str> {
    yaml.lines().nth(line.checked_sub(1)?)
}

fn char_at(yaml: &str, line: usize, column: usize) -> Option<char> {
    line_text(yaml, line)?.chars().nth(column.checked_sub(1)?)
}

/// A tab in the indentation of the error line (or of the line before: libyaml often stops
/// at the next token). Tabs are never allowed to indent YAML.
fn tab_indentation(error: &str, yaml: &str, line: usize) -> Option<Explained> {
    let lines = [line, line.saturating_sub(1)];
    lines.into_iter().filter(|&l| l > 0).find_map(|l| {
        let text = line_text(yaml, l)?;
        let indent: String = text
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let tab = indent.chars().position(|c| c == '\t')?;
        // A tab alone on an otherwise blank line is harmless; only report it when it indents text
        // or when libyaml complained about a tab.
        let indents_text = indent.len() < text.len();
        (indents_text || error.contains("tab")).then(|| Explained {
            message: "tabulation utilisée pour l'indentation : YAML n'accepte que des espaces ; remplacez la tabulation par des espaces (deux par niveau)".to_string(),
            line: l,
            column: tab + 1,
            fix: Some(format!("{}{}", indent.replace('\t', "  "), &text[indent.len()..])),
        })
    })
}

/// A tab where libyaml stopped, after the indentation (`-\tnom: A`): it separates the dash
/// from the value, and YAML wants a space there; quoting the value would not help.
fn tab_separator(yaml: &str, line: usize, column: usize) -> Option<Explained> {
    (char_at(yaml, line, column)? == '\t').then(|| Explained {
        message: "tabulation à la place d'une espace : YAML n'accepte que des espaces pour séparer et indenter ; remplacez la tabulation par une espace".to_string(),
        line,
        column,
        fix: line_text(yaml, line).map(|text| text.replacen('\t', " ", 1)),
    })
}

/// How many lines above the error a quoted value spread over several lines may have opened.
const MULTILINE_REACH: usize = 10;

/// `resume: 'Une séance sur` then `  l'eau'` a few lines lower: the apostrophe of the
/// continuation line closes the value opened above, and libyaml complains at the text after it.
/// The lines are folded as YAML folds them (one space per line break) and read as one value.
fn quote_inside_multiline_quotes(yaml: &str, line: usize) -> Option<Explained> {
    (line.saturating_sub(MULTILINE_REACH).max(1)..line)
        .rev()
        .find_map(|opening| {
            let first = line_text(yaml, opening)?;
            // The value must still be open at the end of its first line.
            let start = value_start(first)?;
            let value = first[start..].trim();
            let quote = value.chars().next().filter(|c| *c == '\'' || *c == '"')?;
            if closing_quote(&value[1..], quote).is_some() {
                return None;
            }
            // Byte index, in `first` and in `folded`, just after the opening quote.
            let inner_start = first.len() - first[start..].trim_start().len() + 1;
            let mut folded = first.trim_end().to_string();
            for l in opening + 1..=line {
                // A value closed before the error line is not the cause.
                if closing_quote(&folded[inner_start..], quote).is_some() {
                    return None;
                }
                folded.push(' ');
                folded.push_str(line_text(yaml, l)?.trim());
            }
            // The fix of a value spread over several lines would be one line: none given, so
            // that the reading stops here rather than guess (frontmatter::parse_repairing).
            quoted_value_cut_short(&folded, opening).map(|explained| Explained {
                fix: explained.fix.filter(|_| opening == line),
                ..explained
            })
        })
}

/// Byte index where the value of `clé: valeur` or `- valeur` starts.
pub(super) fn value_start(text: &str) -> Option<usize> {
    match text.find(": ") {
        Some(i) => Some(i + 2),
        None => text
            .trim_start()
            .strip_prefix("- ")
            .map(|_| text.len() - text.trim_start().len() + 2),
    }
}

/// `titre: 'L'eau'` or `titre: "Le "grand" jour"` on the error line or the two before it:
/// the quote inside closes the value, and the rest of the line is unreadable.
fn quote_inside_quotes(yaml: &str, line: usize) -> Option<Explained> {
    (line.saturating_sub(2).max(1)..=line)
        .rev()
        .find_map(|l| quoted_value_cut_short(line_text(yaml, l)?, l))
}

fn quoted_value_cut_short(text: &str, line: usize) -> Option<Explained> {
    // The value starts after « clé: » or « - ».
    let start = value_start(text)?;
    let value = text[start..].trim();
    if value.starts_with('[') {
        return flow_item_cut_short(text, start, line);
    }
    let quote = value.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = &value[1..];
    // The quote that closes the value, skipping doubled apostrophes and \" escapes.
    let close = closing_quote(inner, quote)?;
    let after = inner[close + 1..].trim_start();
    if after.is_empty() || after.starts_with('#') {
        return None;
    }
    let whole = value.strip_suffix(quote).unwrap_or(value);
    let content = &whole[1..];
    let column = text[..start].chars().count()
        + (text[start..].len() - text[start..].trim_start().len())
        + 1;
    Some(Explained {
        message: cut_short_message(quote, content),
        line,
        column,
        fix: requoted(content).map(|value| format!("{} {value}", text[..start].trim_end())),
    })
}

/// `content` as a YAML value between quotes: double quotes when it has none, else apostrophes
/// with its own apostrophes doubled.
fn requoted(content: &str) -> Option<String> {
    match content.contains('"') {
        false => Some(format!("\"{content}\"")),
        true => Some(format!("'{}'", content.replace('\'', "''"))),
    }
}

/// `mots_cles: [eau, 'l'oral']`: an item of a list in brackets cut short by its own quote.
fn flow_item_cut_short(text: &str, start: usize, line: usize) -> Option<Explained> {
    let mut at = start + text[start..].find('[')? + 1;
    while at < text.len() {
        let item_start = at + (text[at..].len() - text[at..].trim_start().len());
        let rest = &text[item_start..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') else {
            // An unquoted item runs to the next comma.
            at = item_start + rest.find(',')? + 1;
            continue;
        };
        let close = item_start + 1 + closing_quote(&rest[1..], quote)?;
        let after = text[close + 1..].trim_start();
        if !(after.starts_with(',') || after.starts_with(']')) {
            // The item really ends at the quote followed by « , » or « ] ».
            let end = text
                .char_indices()
                .filter(|&(i, c)| i > close && c == quote)
                .map(|(i, _)| i)
                .find(|&i| text[i + 1..].trim_start().starts_with([',', ']']))?;
            let content = &text[item_start + 1..end];
            let column = text[..item_start].chars().count() + 1;
            return Some(Explained {
                message: cut_short_message(quote, content),
                line,
                column,
                fix: None,
            });
        }
        at = close + 1 + text[close + 1..].find(',')? + 1;
    }
    None
}

/// What to write instead of a quoted value cut short by a quote of the same kind inside it.
fn cut_short_message(quote: char, content: &str) -> String {
    if quote == '\'' {
        format!(
            "apostrophe à l'intérieur d'un texte entre apostrophes : elle ferme le texte trop tôt ; entourez la valeur de guillemets droits (« \"{content}\" ») ou doublez l'apostrophe (« '{}' »)",
            content.replace('\'', "''")
        )
    } else {
        format!(
            "guillemet droit à l'intérieur d'un texte entre guillemets : il ferme le texte trop tôt ; entourez la valeur d'apostrophes (« '{content}' ») ou utilisez les guillemets français « »"
        )
    }
}

/// Byte index in `inner` of the quote closing a value opened by `quote`.
pub(super) fn closing_quote(inner: &str, quote: char) -> Option<usize> {
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                chars.next();
            } else {
                return Some(i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tab_in_the_indentation_is_named_and_pointed_at() {
        let e = explain(
            "found character that cannot start any token",
            "auteurs:\n\t- nom: A\n",
            2,
            1,
        );
        assert!(
            e.message
                .contains("remplacez la tabulation par des espaces"),
            "{}",
            e.message
        );
        assert_eq!((e.line, e.column), (2, 1));
    }

    #[test]
    fn an_apostrophe_inside_single_quotes_gets_both_fixes() {
        let e = explain(
            "did not find expected key",
            "titre: 'L'eau'\nresume: x\n",
            1,
            11,
        );
        assert!(e.message.contains("« \"L'eau\" »"), "{}", e.message);
        assert!(e.message.contains("« 'L''eau' »"), "{}", e.message);
        assert_eq!((e.line, e.column), (1, 8));
    }

    #[test]
    fn a_tab_after_a_dash_asks_for_a_space() {
        let e = explain(
            "found character that cannot start any token",
            "auteurs:\n  -\tnom: A\n",
            2,
            4,
        );
        assert!(e.message.contains("par une espace"), "{}", e.message);
        assert_eq!((e.line, e.column), (2, 4));
    }

    #[test]
    fn an_apostrophe_on_a_continuation_line_points_at_the_opening() {
        let yaml = "titre: T\nresume: 'Une séance\n  sur l'eau'\ndate: 2025-01-10\n";
        let e = explain("did not find expected key", yaml, 3, 9);
        assert!(
            e.message.contains("« \"Une séance sur l'eau\" »"),
            "{}",
            e.message
        );
        assert_eq!((e.line, e.column), (2, 9));
        // A value closed on an earlier line is not blamed.
        let yaml = "resume: 'Une\n  séance'\ntitre: 'L'eau'\n";
        let e = explain("did not find expected key", yaml, 3, 11);
        assert_eq!((e.line, e.column), (3, 8));
    }

    #[test]
    fn an_apostrophe_in_a_bracket_item_is_found_after_other_items() {
        let e = explain(
            "did not find expected ',' or ']'",
            "mots_cles: [été, 'l'oral', 'eau']\n",
            1,
            21,
        );
        assert!(e.message.contains("« 'l''oral' »"), "{}", e.message);
        assert_eq!((e.line, e.column), (1, 18));
        assert_eq!(
            quoted_value_cut_short("mots_cles: ['l''oral', \"a\"]", 1),
            None
        );
    }

    /// Every line and column of texts mixing quotes, brackets, tabs and accents: the guesses
    /// slice the source by bytes, and none may panic on what a referent typed.
    #[test]
    fn explaining_never_panics_on_odd_text() {
        let texts = [
            "resume: '\u{a0}é'\n  l'été'\ntitre: «'»\n",
            "mots_cles: [é, 'l'été', \"x\"y, ['a'b]]\n- 'é\t'\n",
            "a: [\n'\n\t-\té: '\n: '\n- '",
            "titre: \"é\\\"\n  'x'y\"\n[',\n",
        ];
        for yaml in texts {
            for line in 0..=yaml.lines().count() + 1 {
                for column in 0..12 {
                    let e = explain("did not find expected key", yaml, line, column);
                    assert!(!e.message.is_empty());
                }
            }
        }
    }

    #[test]
    fn doubled_apostrophes_and_escaped_quotes_are_fine() {
        assert_eq!(quoted_value_cut_short("titre: 'L''eau'", 1), None);
        assert_eq!(
            quoted_value_cut_short(r#"titre: "Le \"grand\" jour""#, 1),
            None
        );
        assert_eq!(quoted_value_cut_short("titre: 'a' # note", 1), None);
        assert!(quoted_value_cut_short(r#"titre: "Le "grand" jour""#, 1).is_some());
        assert!(quoted_value_cut_short("  - 'l'oral'", 1).is_some());
    }

    #[test]
    fn unknown_classes_get_a_generic_french_sentence() {
        let e = explain("something new in libyaml", "a: b\n", 1, 1);
        assert!(e.message.starts_with("YAML illisible"), "{}", e.message);
    }

    #[test]
    fn serde_type_errors_are_french() {
        let m = type_message("invalid type: string \"beaucoup\", expected usize");
        assert_eq!(
            m,
            "valeur incorrecte : un texte (« beaucoup ») alors qu'il faut un nombre entier positif"
        );
        let m = type_message("invalid type: sequence, expected a string");
        assert_eq!(m, "valeur incorrecte : une liste alors qu'il faut un texte");
    }

    #[test]
    fn duplicate_keys_are_named() {
        let e = explain(
            "duplicate entry with key \"titre\"",
            "titre: a\ntitre: b\n",
            2,
            1,
        );
        assert!(
            e.message.contains("« titre » présente deux fois"),
            "{}",
            e.message
        );
    }
}
