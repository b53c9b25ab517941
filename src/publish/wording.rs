//! French wording that several outputs print the same way.

use crate::content::{Facet, Scenario};
use crate::text::fold;
use crate::vocab::{VocabName, Vocabularies};

/// « Académie de Lyon », « Académie d'Orléans-Tours », or the label if it already says so.
pub fn academy_name(label: &str) -> String {
    let folded = fold(label);
    if folded.starts_with("academie") || folded.starts_with("region academique") {
        label.to_string()
    } else if folded.starts_with(['a', 'e', 'i', 'o', 'u', 'y']) {
        format!("Académie d'{label}")
    } else {
        format!("Académie de {label}")
    }
}

/// French name and address of a licence from its SPDX identifier; unknown ones as written.
pub fn licence(id: &str) -> (String, Option<String>) {
    let upper = id.trim().to_ascii_uppercase();
    match upper.as_str() {
        "CC0-1.0" => {
            return (
                "CC0 1.0 Universel (dédié au domaine public)".to_string(),
                Some("https://creativecommons.org/publicdomain/zero/1.0/deed.fr".to_string()),
            )
        }
        "ETALAB-2.0" | "LO-2.0" => {
            return (
                "Licence Ouverte 2.0 (Etalab)".to_string(),
                Some("https://www.etalab.gouv.fr/licence-ouverte-open-licence/".to_string()),
            )
        }
        _ => {}
    }
    creative_commons(&upper).unwrap_or_else(|| (id.to_string(), None))
}

/// `CC-BY-NC-SA-4.0` and the like, any version.
fn creative_commons(upper: &str) -> Option<(String, Option<String>)> {
    let rest = upper.strip_prefix("CC-BY")?;
    let (elements, version) = rest
        .rsplit_once('-')
        .unwrap_or(("", rest.trim_start_matches('-')));
    if version.is_empty() || !version.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let mut name = "Creative Commons Attribution".to_string();
    let mut code = vec!["BY"];
    for element in elements.split('-').filter(|e| !e.is_empty()) {
        let (label, short) = match element {
            "NC" => (" – Pas d'utilisation commerciale", "NC"),
            "SA" => (" – Partage dans les mêmes conditions", "SA"),
            "ND" => (" – Pas de modification", "ND"),
            _ => return None,
        };
        name.push_str(label);
        code.push(short);
    }
    let short = code.join("-");
    name.push_str(&format!(" {version} (CC {short} {version})"));
    let url = format!(
        "https://creativecommons.org/licenses/{}/{version}/deed.fr",
        short.to_ascii_lowercase()
    );
    Some((name, Some(url)))
}

/// Title of the listing of a facet value, as on its page: « Discipline : Mathématiques »,
/// « Académie de Lyon ».
pub fn facet_value_title(facet: Facet, label: &str) -> String {
    if facet == Facet::Academies {
        academy_name(label)
    } else {
        format!("{} : {label}", facet.singular())
    }
}

/// The visible mark of a harvested scenario: « Sur le site de l'académie de Lyon ».
pub fn marker(vocabs: &Vocabularies, scenario: &Scenario) -> Option<String> {
    scenario.origine.as_ref()?;
    let label = vocabs
        .get(VocabName::Academies)
        .label(&scenario.meta.academie)
        .to_string();
    let name = academy_name(&label);
    let mut chars = name.chars();
    let lowered: String = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    if fold(&name).starts_with("region") {
        Some(format!("Sur le site de la {lowered}"))
    } else {
        Some(format!("Sur le site de l'{lowered}"))
    }
}

/// « aucun scénario », « 1 scénario », « 12 scénarios ».
pub fn scenario_count(n: usize) -> String {
    match n {
        0 => "aucun scénario".to_string(),
        1 => "1 scénario".to_string(),
        _ => format!("{n} scénarios"),
    }
}

/// A file size as French readers expect it: « 48 Ko », « 1,2 Mo » (1 Ko = 1,024 bytes, as
/// operating systems show it; a non-breaking space before the unit; never « 0 Ko » for a file
/// that is not empty).
pub fn file_size(bytes: u64) -> String {
    const KO: f64 = 1024.0;
    let ko = (bytes as f64 / KO)
        .round()
        .max(if bytes > 0 { 1.0 } else { 0.0 });
    if ko < KO {
        return format!("{ko}\u{a0}Ko");
    }
    let mo = format!("{:.1}", bytes as f64 / (KO * KO));
    let mo = mo.strip_suffix(".0").unwrap_or(&mo).replace('.', ",");
    format!("{mo}\u{a0}Mo")
}

pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_sizes_in_ko_then_mo_with_a_comma() {
        assert_eq!(file_size(0), "0\u{a0}Ko");
        assert_eq!(file_size(100), "1\u{a0}Ko");
        assert_eq!(file_size(48 * 1024 + 600), "49\u{a0}Ko");
        assert_eq!(file_size(1023 * 1024), "1023\u{a0}Ko");
        assert_eq!(file_size(1024 * 1024 - 1), "1\u{a0}Mo");
        assert_eq!(file_size(1024 * 1024 * 6 / 5), "1,2\u{a0}Mo");
        assert_eq!(file_size(15 * 1024 * 1024), "15\u{a0}Mo");
    }

    #[test]
    fn licences_have_french_names_and_links() {
        let (name, url) = licence("CC-BY-NC-SA-4.0");
        assert_eq!(
            name,
            "Creative Commons Attribution – Pas d'utilisation commerciale – Partage dans les mêmes conditions 4.0 (CC BY-NC-SA 4.0)"
        );
        assert_eq!(
            url.as_deref(),
            Some("https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr")
        );
        assert_eq!(
            licence("CC-BY-4.0").1.as_deref(),
            Some("https://creativecommons.org/licenses/by/4.0/deed.fr")
        );
        assert_eq!(
            licence("cc-by-sa-3.0").1.as_deref(),
            Some("https://creativecommons.org/licenses/by-sa/3.0/deed.fr")
        );
        assert!(licence("Etalab-2.0").0.contains("Licence Ouverte 2.0"));
        assert!(licence("LO-2.0").1.is_some());
        assert!(licence("CC0-1.0").1.is_some());
        assert_eq!(licence("Maison"), ("Maison".to_string(), None));
        assert_eq!(licence("CC-BY-XX-4.0"), ("CC-BY-XX-4.0".to_string(), None));
    }

    #[test]
    fn academy_names_elide_before_vowels() {
        assert_eq!(academy_name("Lyon"), "Académie de Lyon");
        assert_eq!(academy_name("Orléans-Tours"), "Académie d'Orléans-Tours");
        assert_eq!(academy_name("Académie de Paris"), "Académie de Paris");
    }
}
