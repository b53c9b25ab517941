//! French formatting only the pages use: long dates and counts of facet values.

use chrono::{Datelike, NaiveDate};

use crate::content::Facet;

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// « 12 mars 2025 », « 1er avril 2024 ».
pub fn long_date(date: NaiveDate) -> String {
    let day = date.day();
    let day = if day == 1 {
        "1er".to_string()
    } else {
        day.to_string()
    };
    format!("{day} {} {}", MONTHS[date.month0() as usize], date.year())
}

/// « 3 disciplines », « 1 niveau »…
pub(super) fn count_noun(facet: Facet, n: usize) -> String {
    let (singular, plural, none) = match facet {
        Facet::Subjects => ("discipline", "disciplines", "aucune"),
        Facet::Levels => ("niveau", "niveaux", "aucun"),
        Facet::Cycles => ("cycle", "cycles", "aucun"),
        Facet::Academies => ("académie", "académies", "aucune"),
        Facet::Types => ("type", "types", "aucun"),
        Facet::Modes => ("modalité", "modalités", "aucune"),
        Facet::DigitalSkills => ("compétence", "compétences", "aucune"),
        Facet::Tools => ("outil", "outils", "aucun"),
    };
    match n {
        0 => format!("{none} {singular}"),
        1 => format!("1 {singular}"),
        _ => format!("{n} {plural}"),
    }
}
