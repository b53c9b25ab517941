//! The dashboard (« tableau de bord »): how many scenarios per discipline, niveau, cycle,
//! académie, CRCN competence and year, for the whole site or one académie.
//!
//! Counts are computed here; [`view`] turns them into what the theme draws (bar widths and
//! the layout of the SVG charts, French numbers), so that templates stay simple and a theme can
//! restyle the charts without doing arithmetic.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use crate::content::facet::{unique_keys, vocab_label};
use crate::content::{Facet, Scenario};
use crate::publish::urls;
use crate::publish::wording::{capitalize, scenario_count};
use crate::text::{counted, fold};
use crate::vocab::Vocabularies;

/// Which scenarios a dashboard describes: the académie chart only makes sense site-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Site,
    Academie,
}

/// The dimensions a dashboard counts by, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Disciplines,
    Niveaux,
    Cycles,
    Academies,
    Competences,
    Annees,
}

impl ChartKind {
    const ALL: [ChartKind; 6] = [
        ChartKind::Disciplines,
        ChartKind::Niveaux,
        ChartKind::Cycles,
        ChartKind::Academies,
        ChartKind::Competences,
        ChartKind::Annees,
    ];

    /// The facet whose value pages the rows link to; years have none.
    pub fn facet(self) -> Option<Facet> {
        match self {
            ChartKind::Disciplines => Some(Facet::Subjects),
            ChartKind::Niveaux => Some(Facet::Levels),
            ChartKind::Cycles => Some(Facet::Cycles),
            ChartKind::Academies => Some(Facet::Academies),
            ChartKind::Competences => Some(Facet::DigitalSkills),
            ChartKind::Annees => None,
        }
    }

    /// Identifier used for HTML ids (`graphique-disciplines`).
    pub fn slug(self) -> &'static str {
        match self {
            ChartKind::Annees => "annees",
            other => other.facet().map_or("", Facet::slug),
        }
    }

    /// Heading of the chart.
    fn title(self) -> &'static str {
        match self {
            ChartKind::Disciplines => "Scénarios par discipline",
            ChartKind::Niveaux => "Scénarios par niveau",
            ChartKind::Cycles => "Scénarios par cycle",
            ChartKind::Academies => "Scénarios par académie",
            ChartKind::Competences => "Scénarios par compétence numérique (CRCN)",
            ChartKind::Annees => "Scénarios par année de publication",
        }
    }

    /// Header of the first column of the data table.
    fn column(self) -> &'static str {
        match self {
            ChartKind::Disciplines => "Discipline",
            ChartKind::Niveaux => "Niveau",
            ChartKind::Cycles => "Cycle",
            ChartKind::Academies => "Académie",
            ChartKind::Competences => "Compétence numérique",
            ChartKind::Annees => "Année",
        }
    }

    /// Why the counts of a chart may add up to more than the total.
    fn note(self) -> Option<&'static str> {
        match self {
            ChartKind::Disciplines => Some("un scénario peut relever de plusieurs disciplines"),
            ChartKind::Niveaux => Some("un scénario peut concerner plusieurs niveaux"),
            ChartKind::Cycles => Some("un scénario peut concerner plusieurs cycles"),
            ChartKind::Competences => {
                Some("un scénario peut mobiliser plusieurs compétences ; les 16 compétences du cadre sont listées")
            }
            ChartKind::Academies | ChartKind::Annees => None,
        }
    }
}

/// One bar of a chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: String,
    /// French label (vocabulary label, or the year).
    pub label: String,
    pub count: usize,
    /// Site path of the facet value page, when there is one.
    pub target: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub kind: ChartKind,
    pub rows: Vec<Row>,
}

/// The counts of a set of scenarios.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    pub scope: Scope,
    /// Number of scenarios counted.
    pub total: usize,
    pub charts: Vec<Chart>,
}

impl Dashboard {
    pub fn chart(&self, kind: ChartKind) -> Option<&Chart> {
        self.charts.iter().find(|c| c.kind == kind)
    }

    /// Rows with at least one scenario.
    fn used(&self, kind: ChartKind) -> usize {
        self.chart(kind)
            .map_or(0, |c| c.rows.iter().filter(|r| r.count > 0).count())
    }
}

/// Past this many years between the oldest and the newest scenario, empty years are left out
/// (a mistyped date must not draw a century of empty bars).
const MAX_YEAR_SPAN: i32 = 30;

/// Counts `scenarios` (drafts are counted when they are part of the build: the caller passes
/// what the listings show). Every chart is there, even when empty.
pub fn compute<'a>(
    scenarios: impl IntoIterator<Item = &'a Scenario>,
    vocabs: &Vocabularies,
    scope: Scope,
) -> Dashboard {
    let mut total = 0;
    let mut counts: BTreeMap<Facet, BTreeMap<String, usize>> = BTreeMap::new();
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    for scenario in scenarios {
        total += 1;
        for kind in ChartKind::ALL {
            if let Some(facet) = kind.facet() {
                let by_key = counts.entry(facet).or_default();
                for key in unique_keys(facet, scenario) {
                    *by_key.entry(key).or_default() += 1;
                }
            }
        }
        *years.entry(scenario.meta.date.year()).or_default() += 1;
    }
    let charts = ChartKind::ALL
        .into_iter()
        .filter(|kind| scope == Scope::Site || *kind != ChartKind::Academies)
        .map(|kind| {
            let rows = match kind.facet() {
                Some(facet) => {
                    let by_key = counts.remove(&facet).unwrap_or_default();
                    facet_rows(kind, facet, by_key, vocabs)
                }
                None => year_rows(&years),
            };
            Chart { kind, rows }
        })
        .collect();
    Dashboard {
        scope,
        total,
        charts,
    }
}

fn facet_row(facet: Facet, key: String, count: usize, vocabs: &Vocabularies) -> Row {
    Row {
        label: vocab_label(vocabs, facet, &key),
        // Every used value has its page (see `publish::plan`); an unused one has none.
        target: (count > 0).then(|| urls::facet_value(facet, &key, 1)),
        key,
        count,
    }
}

/// Disciplines and académies by decreasing count (the question is « where is the activity »);
/// niveaux, cycles and competences in the vocabulary's order (the school path, the CRCN
/// grid), competences with their zeros so that the gaps show. Keys unknown to the vocabulary
/// (harvested from another site) come last, by label.
fn facet_rows(
    kind: ChartKind,
    facet: Facet,
    mut by_key: BTreeMap<String, usize>,
    vocabs: &Vocabularies,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let by_count = matches!(kind, ChartKind::Disciplines | ChartKind::Academies);
    if !by_count {
        if let Some(name) = facet.vocab() {
            for entry in vocabs.get(name).entries() {
                let count = by_key.remove(&entry.cle).unwrap_or(0);
                if count > 0 || kind == ChartKind::Competences {
                    rows.push(facet_row(facet, entry.cle.clone(), count, vocabs));
                }
            }
        }
    }
    let mut rest: Vec<Row> = by_key
        .into_iter()
        .map(|(key, count)| facet_row(facet, key, count, vocabs))
        .collect();
    rest.sort_by(|a, b| {
        let order = |r: &Row| {
            (
                std::cmp::Reverse(if by_count { r.count } else { 0 }),
                fold(&r.label),
            )
        };
        order(a)
            .cmp(&order(b))
            .then_with(|| (&a.label, &a.key).cmp(&(&b.label, &b.key)))
    });
    rows.extend(rest);
    rows
}

/// Every year from the oldest to the newest, empty ones included.
fn year_rows(years: &BTreeMap<i32, usize>) -> Vec<Row> {
    let (Some(first), Some(last)) = (years.keys().next(), years.keys().next_back()) else {
        return Vec::new();
    };
    let all: Vec<i32> = if last - first <= MAX_YEAR_SPAN {
        (*first..=*last).collect()
    } else {
        years.keys().copied().collect()
    };
    all.into_iter()
        .map(|year| Row {
            key: year.to_string(),
            label: year.to_string(),
            count: years.get(&year).copied().unwrap_or(0),
            target: None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// What the theme draws.

/// The dashboard as the templates see it.
#[derive(Debug, Serialize)]
pub struct DashboardView {
    /// « 24 scénarios publiés par 20 académies, dans 15 disciplines, de 2022 à 2025. »
    pub resume: String,
    pub total: usize,
    pub graphiques: Vec<ChartView>,
}

/// One chart: an SVG bar chart and its data table.
#[derive(Debug, Serialize)]
pub struct ChartView {
    /// Unique in the page: `graphique-disciplines`.
    pub id: String,
    pub titre: &'static str,
    pub colonne: &'static str,
    /// Caption of the data table, with the total and how to read it.
    pub legende: String,
    /// Height of the SVG, in pixels; its width is that of the page.
    pub hauteur: u32,
    pub lignes: Vec<BarView>,
}

/// One bar, with its place in the SVG (pixels from the top) and its width (percent of the
/// chart's width).
#[derive(Debug, Serialize)]
pub struct BarView {
    pub libelle: String,
    pub href: Option<String>,
    pub nombre: usize,
    /// Share of the scenarios counted: « 25 % ».
    pub part: String,
    /// Width of the bar in percent of the chart (the longest bar is [`LONGEST_BAR`] %), as a
    /// decimal number with a dot for the SVG attribute: `42.5`.
    pub largeur: String,
    /// The label cut into lines short enough for a 320 px wide screen, with their baselines.
    pub lignes_libelle: Vec<TextLine>,
    pub y_barre: u32,
    pub hauteur_barre: u32,
    /// Baseline of the count written after the bar.
    pub y_nombre: u32,
}

#[derive(Debug, Serialize)]
pub struct TextLine {
    pub texte: String,
    pub y: u32,
}

/// The longest bar leaves room after it for its count.
pub const LONGEST_BAR: f64 = 85.0;
/// Characters per label line: about 40 fit at 14 px in 288 px (320 px minus the margins).
const LABEL_LINE_CHARS: usize = 34;
const LINE_HEIGHT: u32 = 18;
const BAR_GAP_ABOVE: u32 = 2;
const BAR_HEIGHT: u32 = 16;
const ROW_GAP: u32 = 12;

/// The dashboard ready for the theme; `href` makes a site path into a link from the page.
pub fn view(dashboard: &Dashboard, href: &dyn Fn(&str) -> String) -> DashboardView {
    DashboardView {
        resume: summary(dashboard),
        total: dashboard.total,
        graphiques: dashboard
            .charts
            .iter()
            .map(|chart| chart_view(chart, dashboard.total, href))
            .collect(),
    }
}

fn chart_view(chart: &Chart, total: usize, href: &dyn Fn(&str) -> String) -> ChartView {
    let longest = chart.rows.iter().map(|r| r.count).max().unwrap_or(0);
    let mut y = 0;
    let mut lignes = Vec::with_capacity(chart.rows.len());
    for row in &chart.rows {
        let mut lignes_libelle = Vec::new();
        for texte in wrap(&row.label, LABEL_LINE_CHARS) {
            y += LINE_HEIGHT;
            // Baseline a little above the bottom of the line, for descenders.
            lignes_libelle.push(TextLine { texte, y: y - 4 });
        }
        let y_barre = y + BAR_GAP_ABOVE;
        lignes.push(BarView {
            libelle: row.label.clone(),
            href: row.target.as_deref().map(href),
            nombre: row.count,
            part: percent(row.count, total),
            largeur: bar_width(row.count, longest),
            lignes_libelle,
            y_barre,
            hauteur_barre: BAR_HEIGHT,
            y_nombre: y_barre + BAR_HEIGHT - 3,
        });
        y = y_barre + BAR_HEIGHT + ROW_GAP;
    }
    let mut legende = format!("{} ({}", chart.kind.title(), scenario_count(total));
    if let Some(note) = chart.kind.note() {
        legende.push_str(" ; ");
        legende.push_str(note);
    }
    legende.push(')');
    ChartView {
        id: format!("graphique-{}", chart.kind.slug()),
        titre: chart.kind.title(),
        colonne: chart.kind.column(),
        legende,
        hauteur: y.saturating_sub(ROW_GAP),
        lignes,
    }
}

/// Percent of the longest bar's width, with two decimals at most (`42.5`, `85`).
fn bar_width(count: usize, longest: usize) -> String {
    if longest == 0 {
        return "0".to_string();
    }
    let width = count as f64 / longest as f64 * LONGEST_BAR;
    let text = format!("{width:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// « 25 % », « moins de 1 % » (a value present must not read as none).
fn percent(count: usize, total: usize) -> String {
    if total == 0 {
        return "0\u{a0}%".to_string();
    }
    let share = (count as f64 / total as f64 * 100.0).round() as u64;
    if share == 0 && count > 0 {
        "moins de 1\u{a0}%".to_string()
    } else {
        format!("{share}\u{a0}%")
    }
}

/// Splits a label on spaces into lines of at most `width` characters (a longer word stays
/// whole on its own line).
fn wrap(label: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in label.split_whitespace() {
        let needed = current.chars().count() + 1 + word.chars().count();
        if !current.is_empty() && needed > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// « 24 scénarios publiés par 20 académies, dans 15 disciplines, de 2022 à 2025. »
fn summary(dashboard: &Dashboard) -> String {
    let total = dashboard.total;
    if total == 0 {
        return "Aucun scénario n'est encore publié.".to_string();
    }
    let verb = if total > 1 { "publiés" } else { "publié" };
    let mut text = format!("{} {verb}", capitalize(&scenario_count(total)));
    if dashboard.scope == Scope::Site {
        let academies = dashboard.used(ChartKind::Academies);
        text.push_str(&format!(
            " par {}",
            counted(academies, "académie", "académies")
        ));
    }
    let disciplines = dashboard.used(ChartKind::Disciplines);
    if disciplines > 0 {
        text.push_str(&format!(
            ", dans {}",
            counted(disciplines, "discipline", "disciplines")
        ));
    }
    let years = dashboard
        .chart(ChartKind::Annees)
        .map(|c| c.rows.as_slice())
        .unwrap_or(&[]);
    match (years.first(), years.last()) {
        (Some(first), Some(last)) if first.key != last.key => {
            text.push_str(&format!(", de {} à {}", first.label, last.label));
        }
        (Some(only), _) => text.push_str(&format!(", en {}", only.label)),
        _ => {}
    }
    text.push('.');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use std::path::PathBuf;

    fn scenario(
        academie: &str,
        disciplines: &[&str],
        niveaux: &[&str],
        competences: &[&str],
        year: i32,
    ) -> Scenario {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut s = Scenario::example(&format!("s-{academie}-{year}"));
        s.source = PathBuf::from("content/scenarios/s.md");
        s.meta.date = NaiveDate::from_ymd_opt(year, 5, 1).expect("date");
        s.meta.academie = academie.to_string();
        s.meta.disciplines = list(disciplines);
        s.meta.niveaux = list(niveaux);
        s.meta.competences_numeriques = list(competences);
        s
    }

    fn vocabs() -> Vocabularies {
        Vocabularies::builtin().expect("builtin vocabularies")
    }

    fn sample() -> Vec<Scenario> {
        vec![
            scenario(
                "ac-lyon",
                &["mathematiques"],
                &["5e", "4e"],
                &["1.1", "1.1"],
                2023,
            ),
            scenario(
                "ac-lyon",
                &["svt", "mathematiques"],
                &["4e"],
                &["3.4"],
                2025,
            ),
            scenario("ac-amiens", &["svt"], &["6e"], &[], 2025),
            scenario("ac-amiens", &["anglais"], &["5e"], &["1.1"], 2025),
            scenario("ac-creteil", &["svt"], &[], &["2.2"], 2025),
        ]
    }

    fn counts(dashboard: &Dashboard, kind: ChartKind) -> Vec<(String, usize)> {
        dashboard
            .chart(kind)
            .expect("chart")
            .rows
            .iter()
            .map(|r| (r.key.clone(), r.count))
            .collect()
    }

    fn pairs(items: &[(&str, usize)]) -> Vec<(String, usize)> {
        items.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    }

    #[test]
    fn disciplines_and_academies_by_decreasing_count_then_label() {
        let scenarios = sample();
        let d = compute(&scenarios, &vocabs(), Scope::Site);
        assert_eq!(d.total, 5);
        assert_eq!(
            counts(&d, ChartKind::Disciplines),
            pairs(&[("svt", 3), ("mathematiques", 2), ("anglais", 1)])
        );
        // Amiens before Lyon (same count, alphabetical), Créteil last.
        assert_eq!(
            counts(&d, ChartKind::Academies),
            pairs(&[("ac-amiens", 2), ("ac-lyon", 2), ("ac-creteil", 1)])
        );
    }

    #[test]
    fn niveaux_follow_the_vocabulary_and_count_each_scenario_once() {
        let scenarios = sample();
        let d = compute(&scenarios, &vocabs(), Scope::Site);
        assert_eq!(
            counts(&d, ChartKind::Niveaux),
            pairs(&[("6e", 1), ("5e", 2), ("4e", 2)])
        );
        assert_eq!(counts(&d, ChartKind::Cycles), pairs(&[("cycle-4", 5)]));
    }

    #[test]
    fn every_competence_is_listed_with_its_zeros() {
        let scenarios = sample();
        let vocabs = vocabs();
        let d = compute(&scenarios, &vocabs, Scope::Site);
        let rows = &d.chart(ChartKind::Competences).expect("crcn").rows;
        assert_eq!(rows.len(), 16);
        let expected: Vec<&str> = vocabs
            .get(crate::vocab::VocabName::DigitalSkills)
            .entries()
            .iter()
            .map(|e| e.cle.as_str())
            .collect();
        let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, expected);
        let count = |key: &str| rows.iter().find(|r| r.key == key).map(|r| r.count);
        // « 1.1 » written twice in one scenario counts once.
        assert_eq!(count("1.1"), Some(2));
        assert_eq!(count("2.2"), Some(1));
        assert_eq!(count("3.4"), Some(1));
        assert_eq!(count("5.2"), Some(0));
        let unused = rows.iter().find(|r| r.key == "5.2").expect("5.2");
        assert_eq!(unused.target, None, "no page for an unused value");
        let used = rows.iter().find(|r| r.key == "1.1").expect("1.1");
        assert_eq!(used.target.as_deref(), Some("competences-numeriques/1.1/"));
        assert!(used.label.starts_with("1.1 Mener une recherche"));
    }

    #[test]
    fn years_are_chronological_with_empty_years() {
        let scenarios = sample();
        let d = compute(&scenarios, &vocabs(), Scope::Site);
        assert_eq!(
            counts(&d, ChartKind::Annees),
            pairs(&[("2023", 1), ("2024", 0), ("2025", 4)])
        );
        let far = [
            scenario("ac-lyon", &[], &[], &[], 1950),
            scenario("ac-lyon", &[], &[], &[], 2025),
        ];
        let d = compute(&far, &vocabs(), Scope::Site);
        assert_eq!(
            counts(&d, ChartKind::Annees),
            pairs(&[("1950", 1), ("2025", 1)])
        );
    }

    #[test]
    fn an_academie_has_no_academie_chart() {
        let scenarios = sample();
        let lyon = scenarios.iter().filter(|s| s.meta.academie == "ac-lyon");
        let d = compute(lyon, &vocabs(), Scope::Academie);
        assert_eq!(d.total, 2);
        assert!(d.chart(ChartKind::Academies).is_none());
        assert_eq!(
            counts(&d, ChartKind::Disciplines),
            pairs(&[("mathematiques", 2), ("svt", 1)])
        );
        assert_eq!(
            summary(&d),
            "2 scénarios publiés, dans 2 disciplines, de 2023 à 2025."
        );
    }

    #[test]
    fn unknown_keys_come_last() {
        let scenarios = [
            scenario(
                "ac-lyon",
                &["zzz-inconnue"],
                &["niveau-inconnu", "5e"],
                &[],
                2025,
            ),
            scenario("ac-lyon", &["zzz-inconnue", "svt"], &[], &[], 2025),
        ];
        let d = compute(&scenarios, &vocabs(), Scope::Site);
        assert_eq!(
            counts(&d, ChartKind::Niveaux),
            pairs(&[("5e", 1), ("niveau-inconnu", 1)])
        );
        assert_eq!(
            counts(&d, ChartKind::Disciplines),
            pairs(&[("zzz-inconnue", 2), ("svt", 1)])
        );
    }

    #[test]
    fn summary_sentence() {
        let scenarios = sample();
        let d = compute(&scenarios, &vocabs(), Scope::Site);
        assert_eq!(
            summary(&d),
            "5 scénarios publiés par 3 académies, dans 3 disciplines, de 2023 à 2025."
        );
        let one = compute(&scenarios[..1], &vocabs(), Scope::Site);
        assert_eq!(
            summary(&one),
            "1 scénario publié par 1 académie, dans 1 discipline, en 2023."
        );
        let none = compute(&[] as &[Scenario], &vocabs(), Scope::Site);
        assert_eq!(summary(&none), "Aucun scénario n'est encore publié.");
        assert!(none
            .charts
            .iter()
            .all(|c| c.kind == ChartKind::Competences || c.rows.is_empty()));
    }

    #[test]
    fn bars_are_proportional_to_the_longest() {
        assert_eq!(bar_width(4, 4), "85");
        assert_eq!(bar_width(2, 4), "42.5");
        assert_eq!(bar_width(1, 3), "28.33");
        assert_eq!(bar_width(0, 4), "0");
        assert_eq!(bar_width(0, 0), "0");
        assert_eq!(percent(1, 4), "25\u{a0}%");
        assert_eq!(percent(1, 300), "moins de 1\u{a0}%");
        assert_eq!(percent(0, 300), "0\u{a0}%");
    }

    #[test]
    fn labels_wrap_on_spaces() {
        assert_eq!(wrap("SVT", 10), vec!["SVT"]);
        assert_eq!(
            wrap("1.1 Mener une recherche et une veille d'information", 20),
            vec!["1.1 Mener une", "recherche et une", "veille d'information"]
        );
        assert_eq!(wrap("Anticonstitutionnellement oui", 5).len(), 2);
        assert_eq!(wrap("", 5), vec![""]);
    }

    #[test]
    fn the_view_lays_bars_out_top_to_bottom() {
        let scenarios = sample();
        let d = compute(&scenarios, &vocabs(), Scope::Site);
        let v = view(&d, &|p| format!("../{p}"));
        let disciplines = &v.graphiques[0];
        assert_eq!(disciplines.id, "graphique-disciplines");
        assert_eq!(disciplines.lignes.len(), 3);
        assert_eq!(disciplines.lignes[0].largeur, "85");
        assert_eq!(disciplines.lignes[0].part, "60\u{a0}%");
        assert_eq!(
            disciplines.lignes[0].href.as_deref(),
            Some("../disciplines/svt/")
        );
        let mut previous = 0;
        for bar in &disciplines.lignes {
            assert!(bar.lignes_libelle[0].y > previous);
            assert!(bar.y_barre > bar.lignes_libelle[0].y);
            previous = bar.y_barre + bar.hauteur_barre;
        }
        assert!(disciplines.hauteur >= previous);
        assert!(disciplines.legende.contains("5 scénarios"));
        let years = v.graphiques.last().expect("years");
        assert!(years.lignes.iter().all(|b| b.href.is_none()));
    }
}
