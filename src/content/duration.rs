//! Durations as teachers write them (« 2 x 55 min », « 1 h 30 », « 3 séances de 50 min »)
//! or as ISO 8601 (`PT2H`), normalised to minutes and an ISO 8601 string.

use crate::content::Duree;

/// Parses a duration. Returns `None` when the text is not understood.
pub fn parse(written: &str) -> Option<Duree> {
    let text = crate::text::fold(written);
    let minutes = if text.starts_with('p') {
        parse_iso(&text)?
    } else {
        parse_french(&text)?
    };
    if minutes == 0 {
        return None;
    }
    Some(Duree {
        affichage: written.trim().to_string(),
        iso: to_iso(minutes),
        minutes,
    })
}

/// `PT1H30M`, `P1DT2H`, `PT90M`. Days count as 24 h (a school "day" is not meant here).
fn parse_iso(text: &str) -> Option<u32> {
    let rest = text.strip_prefix('p')?;
    let (date_part, time_part) = match rest.split_once('t') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut minutes = 0u32;
    for (value, unit) in iso_components(date_part)? {
        minutes += match unit {
            'd' => value.checked_mul(24 * 60)?,
            'w' => value.checked_mul(7 * 24 * 60)?,
            _ => return None,
        };
    }
    for (value, unit) in iso_components(time_part)? {
        minutes += match unit {
            'h' => value.checked_mul(60)?,
            'm' => value,
            's' => value / 60,
            _ => return None,
        };
    }
    Some(minutes)
}

fn iso_components(part: &str) -> Option<Vec<(u32, char)>> {
    let mut out = Vec::new();
    let mut number = String::new();
    for c in part.chars() {
        if c.is_ascii_digit() {
            number.push(c);
        } else {
            out.push((number.parse().ok()?, c));
            number.clear();
        }
    }
    number.is_empty().then_some(out)
}

/// French forms: an optional multiplier (« 2 x », « 3 séances de », « 2 fois ») followed by
/// hours and/or minutes (« 1 h 30 », « 1h30 », « 55 min », « 2 heures », « 45 minutes »).
fn parse_french(text: &str) -> Option<u32> {
    let tokens = tokenize(text);
    let mut factor = 1u32;
    let mut total = 0u32;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Number(n) => {
                let unit = tokens.get(i + 1);
                match unit {
                    Some(Token::Word(w)) if is_multiplier(w) => {
                        factor = factor.checked_mul(*n)?;
                        i += 2;
                        // « séances de » : skip the « de ».
                        if let Some(Token::Word(w)) = tokens.get(i) {
                            if w == "de" || w == "d" {
                                i += 1;
                            }
                        }
                    }
                    Some(Token::Word(w)) if is_hour(w) => {
                        total += n.checked_mul(60)?;
                        i += 2;
                        // « 2 heures et demie », « 1 h et quart ».
                        if let Some(extra) = fraction_of_hour(tokens.get(i), tokens.get(i + 1)) {
                            total += extra;
                            i += 2;
                        }
                        // « 1 h 30 »: a bare number after hours counts as minutes.
                        if let Some(Token::Number(m)) = tokens.get(i) {
                            if !matches!(tokens.get(i + 1), Some(Token::Word(w)) if is_hour(w) || is_multiplier(w))
                            {
                                total += m;
                                i += 1;
                                if matches!(tokens.get(i), Some(Token::Word(w)) if is_minute(w)) {
                                    i += 1;
                                }
                            }
                        }
                    }
                    // « une demi-heure », « 3 demi-heures ».
                    Some(Token::Word(w))
                        if w == "demi"
                            && matches!(tokens.get(i + 2), Some(Token::Word(h)) if is_hour(h)) =>
                    {
                        total += n.checked_mul(30)?;
                        i += 3;
                    }
                    Some(Token::Word(w)) if is_minute(w) => {
                        total += n;
                        i += 2;
                    }
                    _ => return None,
                }
            }
            Token::Word(w) if w == "de" || w == "et" => i += 1,
            // « une demi-heure ».
            Token::Word(w)
                if w == "demi"
                    && matches!(tokens.get(i + 1), Some(Token::Word(h)) if is_hour(h)) =>
            {
                total += 30;
                i += 2;
            }
            Token::Word(_) => return None,
        }
    }
    total.checked_mul(factor)
}

#[derive(Debug, PartialEq)]
enum Token {
    Number(u32),
    Word(String),
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut digits = false;
    let flush = |current: &mut String, digits: bool, tokens: &mut Vec<Token>| {
        if current.is_empty() {
            return;
        }
        if digits {
            tokens.push(Token::Number(current.parse().unwrap_or(u32::MAX)));
        } else if let Some(n) = number_word(current) {
            tokens.push(Token::Number(n));
        } else {
            tokens.push(Token::Word(current.clone()));
        }
        current.clear();
    };
    for c in text.chars() {
        let is_digit = c.is_ascii_digit();
        let is_letter = c.is_alphabetic();
        if (is_digit || is_letter) && (current.is_empty() || digits == is_digit) {
            current.push(c);
            digits = is_digit;
        } else {
            flush(&mut current, digits, &mut tokens);
            if is_digit || is_letter {
                current.push(c);
                digits = is_digit;
            } else if c == '*' {
                tokens.push(Token::Word("x".to_string()));
            }
        }
    }
    flush(&mut current, digits, &mut tokens);
    tokens
}

/// Numbers written in words, as in « une heure », « deux séances ».
fn number_word(w: &str) -> Option<u32> {
    let n = match w {
        "un" | "une" => 1,
        "deux" => 2,
        "trois" => 3,
        "quatre" => 4,
        "cinq" => 5,
        "six" => 6,
        "sept" => 7,
        "huit" => 8,
        "neuf" => 9,
        "dix" => 10,
        _ => return None,
    };
    Some(n)
}

/// Minutes of « et demie » or « et quart » after hours.
fn fraction_of_hour(first: Option<&Token>, second: Option<&Token>) -> Option<u32> {
    match (first, second) {
        (Some(Token::Word(et)), Some(Token::Word(part))) if et == "et" => match part.as_str() {
            "demie" | "demi" => Some(30),
            "quart" => Some(15),
            _ => None,
        },
        _ => None,
    }
}

fn is_multiplier(w: &str) -> bool {
    matches!(
        w,
        "x" | "fois" | "seance" | "seances" | "sequence" | "sequences" | "cours"
    )
}

fn is_hour(w: &str) -> bool {
    matches!(w, "h" | "heure" | "heures" | "hr" | "hrs")
}

fn is_minute(w: &str) -> bool {
    matches!(w, "min" | "mins" | "minute" | "minutes" | "mn" | "m")
}

fn to_iso(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("PT{m}M"),
        (h, 0) => format!("PT{h}H"),
        (h, m) => format!("PT{h}H{m}M"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes(s: &str) -> Option<u32> {
        parse(s).map(|d| d.minutes)
    }

    #[test]
    fn french_forms() {
        assert_eq!(minutes("2 x 55 min"), Some(110));
        assert_eq!(minutes("2×55 min"), Some(110));
        assert_eq!(minutes("3 séances de 50 min"), Some(150));
        assert_eq!(minutes("1 h 30"), Some(90));
        assert_eq!(minutes("1h30"), Some(90));
        assert_eq!(minutes("2 heures"), Some(120));
        assert_eq!(minutes("45 minutes"), Some(45));
        assert_eq!(minutes("2 fois 1 h"), Some(120));
        assert_eq!(minutes("4 x 1h30"), Some(360));
    }

    #[test]
    fn hours_in_words_halves_and_quarters() {
        assert_eq!(minutes("2 heures et demie"), Some(150));
        assert_eq!(minutes("une heure et demie"), Some(90));
        assert_eq!(minutes("Une demi-heure"), Some(30));
        assert_eq!(minutes("demi-heure"), Some(30));
        assert_eq!(minutes("3 demi-heures"), Some(90));
        assert_eq!(minutes("1 h et quart"), Some(75));
        assert_eq!(minutes("deux séances d'une heure"), Some(120));
        assert_eq!(minutes("trois fois 45 minutes"), Some(135));
        assert_eq!(minutes("une heure et des poussières"), None);
    }

    #[test]
    fn iso_forms() {
        assert_eq!(minutes("PT2H"), Some(120));
        assert_eq!(minutes("PT1H30M"), Some(90));
        assert_eq!(minutes("pt90m"), Some(90));
        assert_eq!(minutes("P1D"), Some(1440));
    }

    #[test]
    fn normalised_iso_and_display() {
        let d = parse(" 2 x 55 min ").unwrap();
        assert_eq!(d.iso, "PT1H50M");
        assert_eq!(d.affichage, "2 x 55 min");
        assert_eq!(parse("55 min").unwrap().iso, "PT55M");
    }

    #[test]
    fn nonsense_is_rejected() {
        assert_eq!(minutes("longtemps"), None);
        assert_eq!(minutes("PT"), None);
        assert_eq!(minutes("0 min"), None);
        assert_eq!(minutes("PTxH"), None);
        assert_eq!(minutes("99999999999 x 9999999 h"), None);
    }
}
