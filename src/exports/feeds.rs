//! Atom feeds (RFC 4287) of the newest scenarios: the whole site (`flux.xml`) and each value of
//! the disciplines, académies and niveaux facets (`disciplines/<cle>/flux.xml`…).
//!
//! Atom identifiers and links must be absolute: without `base_url` no feed is written, and the
//! pages do not announce any (see [`enabled`]).

use atom_syndication::{Category, Entry, Feed, Generator, Link, Person, Text, WriteConfig};
use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::content::facet::{unique_keys, vocab_label};
use crate::content::{Facet, Scenario};
use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::publish::describe::last_change;
use crate::publish::plan::PagePlan;
use crate::publish::urls;
use crate::publish::urls::{absolute_url, has_base_url};
use crate::publish::wording::{facet_value_title, licence};
use crate::publish::{BuildInput, OutputFile};

/// Most entries in a feed: the newest scenarios.
pub const MAX_ENTRIES: usize = 50;

/// Facets whose values become the categories of an entry.
const CATEGORY_FACETS: [Facet; 6] = [
    Facet::Subjects,
    Facet::Levels,
    Facet::Cycles,
    Facet::Academies,
    Facet::Types,
    Facet::Modes,
];

/// Every feed of the site, in the order of [`PagePlan::feeds`]: the site feed, then one per
/// value of the facets that have feeds.
pub fn files(input: &BuildInput, plan: &PagePlan) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    if !has_base_url(input.config) {
        return Ok(Vec::new());
    }
    let all: Vec<usize> = (0..input.content.scenarios.len()).collect();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for planned in plan.feeds() {
        let (title, members) = match planned.value {
            None => (input.config.titre.clone(), all.as_slice()),
            Some((facet, value)) => (
                format!(
                    "{} – {}",
                    facet_value_title(facet, &value.label),
                    input.config.titre
                ),
                value.members.as_slice(),
            ),
        };
        let path = planned.path;
        let feed = feed(input, &path, title, &planned.page, members);
        let config = WriteConfig {
            write_document_declaration: true,
            indent_size: Some(1),
        };
        match feed.write_with_config(Vec::new(), config) {
            Ok(contents) => files.push(OutputFile { path, contents }),
            Err(e) => problems.push(Diagnostic::new(
                ErrorKind::Io,
                path.as_str(),
                format!("flux Atom impossible à écrire : {e}"),
            )),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// Midnight UTC of a date, the only precision the front matter gives.
fn datetime(date: NaiveDate) -> DateTime<FixedOffset> {
    date.and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        .fixed_offset()
}

fn link(rel: &str, href: String, mime_type: &str) -> Link {
    Link {
        href,
        rel: rel.to_string(),
        mime_type: Some(mime_type.to_string()),
        ..Default::default()
    }
}

fn person(name: &str) -> Person {
    Person {
        name: name.to_string(),
        ..Default::default()
    }
}

fn feed(input: &BuildInput, path: &str, title: String, page: &str, members: &[usize]) -> Feed {
    let config = input.config;
    let base = &config.base_url;
    // Only local scenarios: harvested ones have their own académie's feeds. A listing made of
    // harvested scenarios only still has its (empty) feed, since its page announces it.
    let local = || {
        members
            .iter()
            .filter_map(|&i| input.content.scenarios.get(i))
            .filter(|s| !s.is_harvested())
    };
    let entries: Vec<Entry> = local().take(MAX_ENTRIES).map(|s| entry(input, s)).collect();
    let updated = local()
        .map(|s| last_change(s))
        .max()
        .map(datetime)
        .unwrap_or_else(|| datetime(NaiveDate::default()));
    let feed_url = absolute_url(base, path).unwrap_or_default();
    let publisher = config
        .editeur
        .as_ref()
        .map(|e| e.nom.as_str())
        .unwrap_or(config.titre.as_str());
    Feed {
        title: Text::plain(title),
        id: feed_url.clone(),
        updated,
        authors: vec![person(publisher)],
        generator: Some(Generator {
            value: "vitrine".to_string(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        links: vec![
            link("self", feed_url, "application/atom+xml"),
            link(
                "alternate",
                absolute_url(base, page).unwrap_or_default(),
                "text/html",
            ),
        ],
        subtitle: Some(config.description.clone())
            .filter(|d| !d.is_empty())
            .map(Text::plain),
        entries,
        lang: Some("fr".to_string()),
        ..Default::default()
    }
}

fn entry(input: &BuildInput, scenario: &Scenario) -> Entry {
    let meta = &scenario.meta;
    let base = &input.config.base_url;
    let url = absolute_url(base, &urls::scenario(&scenario.slug)).unwrap_or_default();
    let categories = CATEGORY_FACETS
        .iter()
        .flat_map(|&facet| {
            let scheme = absolute_url(base, &urls::facet_index(facet));
            unique_keys(facet, scenario)
                .into_iter()
                .map(move |key| Category {
                    label: Some(vocab_label(input.vocabs, facet, &key)),
                    term: key,
                    scheme: scheme.clone(),
                })
        })
        .collect();
    let licence_id = if meta.licence.is_empty() {
        &input.config.licence
    } else {
        &meta.licence
    };
    Entry {
        title: Text::plain(meta.titre.clone()),
        id: url.clone(),
        updated: datetime(last_change(scenario)),
        published: Some(datetime(meta.date)),
        authors: meta.auteurs.iter().map(|a| person(&a.nom)).collect(),
        categories,
        links: vec![link("alternate", url, "text/html")],
        summary: Some(Text::plain(meta.resume.clone())),
        rights: Some(Text::plain(licence(licence_id).0)),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::urls::facet_feed;

    #[test]
    fn only_three_facets_have_feeds() {
        assert_eq!(
            facet_feed(Facet::Subjects, "svt").as_deref(),
            Some("disciplines/svt/flux.xml")
        );
        assert_eq!(
            facet_feed(Facet::Academies, "ac-lyon").as_deref(),
            Some("academies/ac-lyon/flux.xml")
        );
        assert!(facet_feed(Facet::Tools, "geogebra").is_none());
    }

    #[test]
    fn dates_are_midnight_utc() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 12).unwrap();
        assert_eq!(datetime(d).to_rfc3339(), "2025-03-12T00:00:00+00:00");
    }
}
