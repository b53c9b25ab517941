//! `vitrine vocabulaires [NOM]`: the vocabularies of the front matter, or every value of one,
//! in aligned columns for a terminal or as JSON for tools.

use std::process::ExitCode;

use super::args::VocabulairesArgs;
use super::output::{print_diagnostics, usage_error};
use crate::listing::{self, Listing, Overview, Topic};
use crate::text::plural;

pub(super) fn vocabulaires(args: VocabulairesArgs) -> ExitCode {
    let json = args.format == "json";
    let root = args.root.path;
    let Some(nom) = args.nom else {
        return match listing::overview(&root) {
            Ok(overview) => {
                if json {
                    println!("{}", to_json(&overview));
                } else {
                    print!("{}", overview_text(&overview));
                }
                ExitCode::SUCCESS
            }
            Err(problems) => failed(&problems),
        };
    };
    let topic = match Topic::from_name(&nom) {
        Ok(topic) => topic,
        Err(unknown) => {
            eprintln!(
                "erreur : {}\nAide : vitrine vocabulaires --aide",
                unknown.message()
            );
            return usage_error();
        }
    };
    match listing::listing(&root, topic) {
        Ok(list) => {
            if json {
                println!("{}", to_json(&list));
            } else {
                print!("{}", listing_text(&list));
            }
            ExitCode::SUCCESS
        }
        Err(problems) => failed(&problems),
    }
}

fn failed(problems: &[crate::diagnostics::Diagnostic]) -> ExitCode {
    print_diagnostics(problems);
    ExitCode::FAILURE
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Plain strings and numbers: serialising them cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn overview_text(overview: &[Overview]) -> String {
    let rows: Vec<[String; 3]> = overview
        .iter()
        .map(|o| {
            let count = match (o.valeurs, o.cle == listing::TOOLS_KEY) {
                (Some(n), true) => format!("{n} (liste libre : ceux que citent les scénarios)"),
                (Some(n), false) => n.to_string(),
                (None, _) => {
                    "? (liste libre ; corrigez d'abord les erreurs : vitrine check)".to_string()
                }
            };
            [o.cle.to_string(), o.titre.to_string(), count]
        })
        .collect();
    let mut out = String::from("Vocabulaires de l'en-tête des scénarios :\n\n");
    out.push_str(&table(["CLÉ", "TITRE", "VALEURS"], &rows));
    out.push_str("\nToutes les valeurs d'un vocabulaire : vitrine vocabulaires NOM (par exemple : vitrine vocabulaires niveaux).\n");
    out
}

fn listing_text(list: &Listing) -> String {
    let n = list.valeurs.len();
    let mut out = format!(
        "{} (clé d'en-tête « {} ») : {n} valeur{}.\n",
        list.titre,
        list.cle,
        plural(n)
    );
    if list.cle == listing::TOOLS_KEY {
        out.push_str("Liste libre : voici les outils que citent déjà les scénarios publiés du site ; écrivez-les de la même façon pour qu'ils partagent une page.\n\n");
    } else {
        out.push_str("Écrivez la clé, le libellé ou une variante ; majuscules et accents sont indifférents.\n\n");
    }
    let rows: Vec<[String; 3]> = list
        .valeurs
        .iter()
        .map(|v| {
            let variants = if v.variantes.is_empty() {
                "—".to_string()
            } else {
                v.variantes.join(", ")
            };
            [v.cle.clone(), v.libelle.clone(), variants]
        })
        .collect();
    out.push_str(&table(["CLÉ", "LIBELLÉ", "VARIANTES ACCEPTÉES"], &rows));
    out
}

/// Columns aligned on their widest cell, counted in characters (« é » is one column); the last
/// column is not padded, so long variant lists only wrap at the terminal's edge.
fn table(header: [&str; 3], rows: &[[String; 3]]) -> String {
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain(std::iter::once(header[i].chars().count()))
            .max()
            .unwrap_or(0)
    };
    let (w0, w1) = (width(0), width(1));
    let line = |a: &str, b: &str, c: &str| {
        let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w - s.chars().count()));
        format!("{}  {}  {c}\n", pad(a, w0), pad(b, w1))
    };
    let mut out = line(header[0], header[1], header[2]);
    for r in rows {
        out.push_str(&line(&r[0], &r[1], &r[2]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_aligned_in_characters_not_bytes() {
        let rows = [
            ["6e".to_string(), "Sixième".to_string(), "6ème".to_string()],
            ["tle".to_string(), "Terminale".to_string(), "—".to_string()],
        ];
        let text = table(["CLÉ", "LIBELLÉ", "VARIANTES"], &rows);
        assert_eq!(
            text,
            "CLÉ  LIBELLÉ    VARIANTES\n6e   Sixième    6ème\ntle  Terminale  —\n"
        );
    }
}
