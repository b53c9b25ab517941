//! `export/scenarios.csv`: the published scenarios as a spreadsheet, one row each.
//!
//! Made for Excel as French teachers and referents have it: UTF-8 with a byte order mark (or
//! Excel reads the accents as Latin-1), `;` as the separator (the list separator of the French
//! locale, where `,` is the decimal mark: Excel opens such a file in columns on a double
//! click), CRLF line ends, fields quoted when needed. LibreOffice and the `csv` modules of
//! programming languages read it too (separator `;`).
//!
//! Columns: titre, résumé, discipline, niveau, académie, URL, mots-clés, date, licence. Values
//! are labels, not keys; several values are joined with `, `. The URL is absolute when the site
//! declares `base_url`, otherwise relative to the site root. A cell that starts like a
//! formula (`=`, `+`, `-`, `@`) gets a leading `'` so that the spreadsheet shows it as text
//! instead of evaluating it (CSV injection).

use crate::content::facet::{unique_keys, vocab_label};
use crate::content::{Facet, Scenario};
use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::publish::urls;
use crate::publish::urls::absolute_url;
use crate::publish::wording::licence;
use crate::publish::{BuildInput, OutputFile};

pub const PATH: &str = "export/scenarios.csv";

pub const COLUMNS: [&str; 9] = [
    "titre",
    "résumé",
    "discipline",
    "niveau",
    "académie",
    "URL",
    "mots-clés",
    "date",
    "licence",
];

const BOM: &[u8] = "\u{FEFF}".as_bytes();

pub fn files(input: &BuildInput) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let contents = table(input).map_err(|e| {
        vec![Diagnostic::new(
            ErrorKind::Io,
            PATH,
            format!("écriture de l'export CSV impossible : {e}"),
        )]
    })?;
    Ok(vec![OutputFile {
        path: PATH.to_string(),
        contents,
    }])
}

/// The CSV file, BOM included.
pub fn table(input: &BuildInput) -> Result<Vec<u8>, ::csv::Error> {
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(::csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    writer.write_record(COLUMNS)?;
    for scenario in crate::publish::describe::published(input) {
        writer.write_record(row(input, scenario).iter().map(|cell| neutralise(cell)))?;
    }
    writer
        .into_inner()
        .map_err(|e| ::csv::Error::from(e.into_error()))
}

/// The cells of a scenario, in [`COLUMNS`] order.
pub fn row(input: &BuildInput, scenario: &Scenario) -> [String; 9] {
    let meta = &scenario.meta;
    let labels = |facet: Facet| {
        unique_keys(facet, scenario)
            .iter()
            .map(|key| vocab_label(input.vocabs, facet, key))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let page = urls::scenario(&scenario.slug);
    let keywords: Vec<&str> = meta
        .mots_cles
        .iter()
        .map(|k| k.trim())
        .filter(|k| !k.is_empty())
        .collect();
    [
        meta.titre.trim().to_string(),
        meta.resume.trim().to_string(),
        labels(Facet::Subjects),
        labels(Facet::Levels),
        labels(Facet::Academies),
        absolute_url(&input.config.base_url, &page).unwrap_or(page),
        keywords.join(", "),
        meta.date.format("%Y-%m-%d").to_string(),
        licence(&meta.licence).0,
    ]
}

/// Prefixes with `'` a cell a spreadsheet would take for a formula.
fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::config::Config;
    use crate::content::SiteContent;
    use crate::exports::lom::tests::config;
    use crate::vocab::Vocabularies;

    fn csv_of(config: &Config, scenarios: Vec<Scenario>) -> Vec<u8> {
        let vocabs = Vocabularies::builtin().expect("vocabularies");
        let content = SiteContent::with_scenarios(scenarios);
        let input = BuildInput::bare(config, &vocabs, &content);
        table(&input).expect("csv")
    }

    fn parse(bytes: &[u8]) -> Vec<Vec<String>> {
        let body = bytes.strip_prefix(BOM).expect("BOM");
        ::csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(body)
            .records()
            .map(|r| r.expect("record").iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn labels_joined_and_hostile_text_round_trips() {
        let mut s = Scenario::with_markup("<script>&\"'; titre");
        s.meta.resume = "ligne 1\nligne 2 ; « citation »".to_string();
        s.meta.mots_cles = vec!["a".to_string(), " ".to_string(), "b".to_string()];
        let bytes = csv_of(&config(), vec![s]);
        assert!(bytes.ends_with(b"\r\n"));
        let rows = parse(&bytes);
        assert_eq!(rows[0], COLUMNS);
        assert_eq!(
            rows[1],
            [
                "<script>&\"'; titre",
                "ligne 1\nligne 2 ; « citation »",
                "Mathématiques, Sciences numériques et technologie",
                "Cinquième",
                "Lyon",
                "https://x.fr/vitrine/scenarios/hostile/",
                "a, b",
                "2024-03-01",
                "Creative Commons Attribution 4.0 (CC BY 4.0)",
            ]
        );
    }

    #[test]
    fn empty_fields_and_no_base_url() {
        let mut s = Scenario::with_markup("Titre");
        s.meta.resume = String::new();
        s.meta.mots_cles.clear();
        s.meta.disciplines.clear();
        let config = Config::parse("titre: Vitrine\n").expect("config");
        let rows = parse(&csv_of(&config, vec![s]));
        assert_eq!(rows[1][1], "");
        assert_eq!(rows[1][2], "");
        assert_eq!(rows[1][5], "scenarios/hostile/");
        assert_eq!(rows[1][6], "");
    }

    #[test]
    fn formulas_are_neutralised_and_drafts_left_out() {
        let mut draft = Scenario::with_markup("Brouillon");
        draft.meta.brouillon = true;
        let rows = parse(&csv_of(
            &config(),
            vec![Scenario::with_markup("=HYPERLINK(\"http://x\")"), draft],
        ));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][0], "'=HYPERLINK(\"http://x\")");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("a=b"), "a=b");
    }
}
