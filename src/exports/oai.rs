//! `oai.xml`: an OAI-PMH 2.0 Static Repository
//! (<http://www.openarchives.org/OAI/2.0/guidelines-static-repository.htm>), the one-file form
//! of OAI-PMH a static site can publish. A Static Repository Gateway answers harvesters' OAI-PMH
//! requests from it.
//!
//! Two metadata formats, each with every published scenario: `oai_dc` (Dublin Core) and `lom`
//! (the ScoLOMFR 3.1 records of `exports::lom`). The file needs the public address of the
//! site (`base_url`) and a contact address (`editeur.courriel`, the mandatory `adminEmail`);
//! without them it is not written.
//!
//! **At national scale.** The guidelines target static repositories of 1 to 5,000 records
//! ([`RECORD_LIMIT`]). Past that many published scenarios, `oai.xml` gives way to one static
//! repository per académie, `oai/<académie>.xml` (numbered parts `oai/<académie>-2.xml`… for
//! an académie itself past the limit), each a complete repository with its own `baseURL`, and
//! `oai-depots.xml`, a sitemap listing them for whoever registers them at a gateway. Per
//! académie rather than in fixed slices: a record stays in the same repository as the site
//! grows (a gateway serves each repository as one OAI-PMH base URL, and harvesters would see a
//! record moving between slices as a deletion and a new record), and each académie's
//! repository is the one its DRANE already describes.

use crate::config::Config;
use crate::content::facet::vocab_label;
use crate::content::{Facet, Scenario};
use crate::exports::lom::{self, XmlWriter};
use crate::publish::describe::{last_change, published};
use crate::publish::urls;
use crate::publish::urls::{absolute_url, has_base_url};
use crate::publish::wording::licence;
use crate::publish::{BuildInput, OutputFile};

pub const FILE_NAME: &str = "oai.xml";
/// Most records in one static repository (the guidelines' upper bound).
pub const RECORD_LIMIT: usize = 5000;
/// Folder of the per-académie repositories, and the sitemap listing them.
pub const SPLIT_DIR: &str = "oai";
pub const SPLIT_INDEX: &str = "oai-depots.xml";
const NS_SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

const NS_STATIC: &str = "http://www.openarchives.org/OAI/2.0/static-repository";
const NS_OAI: &str = "http://www.openarchives.org/OAI/2.0/";
const NS_OAI_DC: &str = "http://www.openarchives.org/OAI/2.0/oai_dc/";
const NS_DC: &str = "http://purl.org/dc/elements/1.1/";
const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
const SCHEMA_STATIC: &str = "http://www.openarchives.org/OAI/2.0/static-repository.xsd";
const SCHEMA_OAI_DC: &str = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd";
const SCHEMA_LOM: &str = "http://ltsc.ieee.org/xsd/lomv1.0/lom.xsd";

/// Whether `oai.xml` is written: it needs `base_url` and `editeur.courriel`.
pub fn enabled(config: &Config) -> bool {
    has_base_url(config) && contact(config).is_some()
}

fn contact(config: &Config) -> Option<&str> {
    config
        .editeur
        .as_ref()
        .and_then(|e| e.courriel.as_deref())
        .map(str::trim)
        .filter(|c| !c.is_empty())
}

pub fn files(input: &BuildInput) -> Vec<OutputFile> {
    files_with_limit(input, RECORD_LIMIT)
}

/// The repository files with at most `limit` records per repository (see the module doc).
pub fn files_with_limit(input: &BuildInput, limit: usize) -> Vec<OutputFile> {
    if !enabled(input.config) {
        return Vec::new();
    }
    let scenarios: Vec<&Scenario> = published(input).collect();
    if scenarios.len() <= limit {
        return repository(input)
            .map(|xml| OutputFile {
                path: FILE_NAME.to_string(),
                contents: xml.into_bytes(),
            })
            .into_iter()
            .collect();
    }
    let mut files: Vec<OutputFile> = Vec::new();
    for (path, part, records) in split(&scenarios, limit.max(1)) {
        let name = format!("{} ({})", input.config.titre, part);
        if let Some(xml) = repository_of(input, &records, &path, &name) {
            files.push(OutputFile {
                path,
                contents: xml.into_bytes(),
            });
        }
    }
    files.push(OutputFile {
        path: SPLIT_INDEX.to_string(),
        contents: index(input, &files).into_bytes(),
    });
    files
}

/// The per-académie repositories: path, name of the part and records (sorted by slug, so that
/// a part's records stay put while others are added).
fn split<'a>(scenarios: &[&'a Scenario], limit: usize) -> Vec<(String, String, Vec<&'a Scenario>)> {
    let mut by_academy: std::collections::BTreeMap<&str, Vec<&Scenario>> = Default::default();
    for s in scenarios {
        by_academy
            .entry(s.meta.academie.as_str())
            .or_default()
            .push(s);
    }
    let mut parts = Vec::new();
    for (academy, mut records) in by_academy {
        records.sort_by(|a, b| a.slug.cmp(&b.slug));
        let key = if academy.is_empty() {
            "sans-academie"
        } else {
            academy
        };
        for (i, chunk) in records.chunks(limit).enumerate() {
            let suffix = if i == 0 {
                String::new()
            } else {
                format!("-{}", i + 1)
            };
            parts.push((
                format!("{SPLIT_DIR}/{key}{suffix}.xml"),
                format!("{key}{suffix}"),
                chunk.to_vec(),
            ));
        }
    }
    parts
}

/// A sitemap of the repositories, with the day of their latest record.
fn index(input: &BuildInput, files: &[OutputFile]) -> String {
    let mut w = XmlWriter::new();
    w.open("urlset", &[("xmlns", NS_SITEMAP)]);
    for file in files {
        let Some(url) = absolute_url(&input.config.base_url, &file.path) else {
            continue;
        };
        w.open("url", &[]);
        w.element("loc", &[], &url);
        w.close();
    }
    w.close();
    w.finish()
}

/// The OAI identifier of a scenario: `oai:<host>:<path of the page>`, e.g.
/// `oai:www.ac-exemple.fr:vitrine/scenarios/pythagore`.
pub fn identifier(base_url: &str, slug: &str) -> Option<String> {
    let page = absolute_url(base_url, &urls::scenario(slug))?;
    let url = url::Url::parse(&page).ok()?;
    let host = url.host_str()?;
    let local = url.path().trim_matches('/');
    Some(format!("oai:{host}:{local}"))
}

/// The static repository document, or `None` when it cannot be written (see [`enabled`]).
pub fn repository(input: &BuildInput) -> Option<String> {
    let scenarios: Vec<&Scenario> = published(input).collect();
    repository_of(input, &scenarios, FILE_NAME, &input.config.titre)
}

/// A static repository of `scenarios` published at the site path `path`.
fn repository_of(
    input: &BuildInput,
    scenarios: &[&Scenario],
    path: &str,
    name: &str,
) -> Option<String> {
    let config = input.config;
    let admin = contact(config)?;
    let base = absolute_url(&config.base_url, path)?;
    let earliest = scenarios
        .iter()
        .map(|s| last_change(s))
        .min()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "1970-01-01".to_string());

    let mut w = XmlWriter::new();
    let location = format!("{NS_STATIC} {SCHEMA_STATIC}");
    w.open(
        "Repository",
        &[
            ("xmlns", NS_STATIC),
            ("xmlns:oai", NS_OAI),
            ("xmlns:xsi", NS_XSI),
            ("xsi:schemaLocation", &location),
        ],
    );
    w.open("Identify", &[]);
    w.element("oai:repositoryName", &[], name);
    w.element("oai:baseURL", &[], &base);
    w.element("oai:protocolVersion", &[], "2.0");
    w.element("oai:adminEmail", &[], admin);
    w.element("oai:earliestDatestamp", &[], &earliest);
    w.element("oai:deletedRecord", &[], "no");
    w.element("oai:granularity", &[], "YYYY-MM-DD");
    w.close();

    w.open("ListMetadataFormats", &[]);
    for (prefix, schema, namespace) in [
        ("oai_dc", SCHEMA_OAI_DC, NS_OAI_DC),
        ("lom", SCHEMA_LOM, lom::NS_LOM),
    ] {
        w.open("oai:metadataFormat", &[]);
        w.element("oai:metadataPrefix", &[], prefix);
        w.element("oai:schema", &[], schema);
        w.element("oai:metadataNamespace", &[], namespace);
        w.close();
    }
    w.close();

    w.open("ListRecords", &[("metadataPrefix", "oai_dc")]);
    for s in scenarios {
        record(&mut w, input, s, |w| dublin_core(w, input, s));
    }
    w.close();
    w.open("ListRecords", &[("metadataPrefix", "lom")]);
    for s in scenarios {
        record(&mut w, input, s, |w| {
            lom::write_record(w, config, input.vocabs, s, false)
        });
    }
    w.close();
    Some(w.finish())
}

fn record(
    w: &mut XmlWriter,
    input: &BuildInput,
    scenario: &Scenario,
    metadata: impl FnOnce(&mut XmlWriter),
) {
    w.open("oai:record", &[]);
    w.open("oai:header", &[]);
    w.element(
        "oai:identifier",
        &[],
        &identifier(&input.config.base_url, &scenario.slug).unwrap_or_default(),
    );
    w.element(
        "oai:datestamp",
        &[],
        &last_change(scenario).format("%Y-%m-%d").to_string(),
    );
    w.close();
    w.open("oai:metadata", &[]);
    metadata(w);
    w.close();
    w.close();
}

/// Simple Dublin Core (`oai_dc`) description of a scenario.
fn dublin_core(w: &mut XmlWriter, input: &BuildInput, scenario: &Scenario) {
    let meta = &scenario.meta;
    let config = input.config;
    w.open(
        "oai_dc:dc",
        &[
            ("xmlns:oai_dc", NS_OAI_DC),
            ("xmlns:dc", NS_DC),
            (
                "xsi:schemaLocation",
                &format!("{NS_OAI_DC} {SCHEMA_OAI_DC}"),
            ),
        ],
    );
    w.element("dc:title", &[], &meta.titre);
    for author in meta.auteurs.iter().filter(|a| !a.nom.trim().is_empty()) {
        w.element("dc:creator", &[], author.nom.trim());
    }
    for facet in [Facet::Subjects, Facet::Levels] {
        for key in facet.keys(meta) {
            w.element("dc:subject", &[], &vocab_label(input.vocabs, facet, &key));
        }
    }
    for keyword in meta.mots_cles.iter().filter(|k| !k.trim().is_empty()) {
        w.element("dc:subject", &[], keyword.trim());
    }
    if !meta.resume.trim().is_empty() {
        w.element("dc:description", &[], meta.resume.trim());
    }
    if let Some(editeur) = config.editeur.as_ref().filter(|e| !e.nom.trim().is_empty()) {
        w.element("dc:publisher", &[], editeur.nom.trim());
    }
    w.element("dc:date", &[], &meta.date.format("%Y-%m-%d").to_string());
    w.element("dc:type", &[], "Text");
    for key in &meta.types {
        w.element(
            "dc:type",
            &[],
            &vocab_label(input.vocabs, Facet::Types, key),
        );
    }
    w.element("dc:format", &[], "text/html");
    if let Some(url) = absolute_url(&config.base_url, &urls::scenario(&scenario.slug)) {
        w.element("dc:identifier", &[], &url);
    }
    w.element("dc:language", &[], "fre");
    let (name, url) = licence(&meta.licence);
    w.element("dc:rights", &[], &name);
    if let Some(url) = url {
        w.element("dc:rights", &[], &url);
    }
    w.close();
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::content::SiteContent;
    use crate::exports::lom::tests::{config, texts_of};
    use crate::vocab::Vocabularies;

    fn build(config: &Config, content: &SiteContent) -> Option<String> {
        let vocabs = Vocabularies::builtin().expect("vocabularies");
        let input = BuildInput::bare(config, &vocabs, content);
        repository(&input)
    }

    fn config_with_contact() -> Config {
        Config::parse(
            "titre: Vitrine <&>\nbase_url: https://x.fr/vitrine/\nediteur:\n  nom: DRANE\n  courriel: drane@ac-x.fr\n",
        )
        .expect("config")
    }

    #[test]
    fn needs_base_url_and_contact() {
        let site = SiteContent::with_scenarios(vec![Scenario::with_markup("Titre")]);
        assert!(build(&config(), &site).is_none());
        let xml = build(&config_with_contact(), &site).expect("repository");
        assert_eq!(texts_of(&xml, "oai:repositoryName"), ["Vitrine <&>"]);
        assert_eq!(
            texts_of(&xml, "oai:baseURL"),
            ["https://x.fr/vitrine/oai.xml"]
        );
        assert_eq!(texts_of(&xml, "oai:adminEmail"), ["drane@ac-x.fr"]);
    }

    #[test]
    fn every_scenario_in_both_formats_drafts_left_out() {
        let mut draft = Scenario::with_markup("Brouillon");
        draft.slug = "brouillon".to_string();
        draft.meta.brouillon = true;
        let site = SiteContent::with_scenarios(vec![Scenario::with_markup("<script>&\"'"), draft]);
        let xml = build(&config_with_contact(), &site).expect("repository");
        assert_eq!(
            texts_of(&xml, "oai:identifier"),
            [
                "oai:x.fr:vitrine/scenarios/hostile",
                "oai:x.fr:vitrine/scenarios/hostile"
            ]
        );
        assert_eq!(texts_of(&xml, "dc:title"), ["<script>&\"'"]);
        assert_eq!(texts_of(&xml, "lom:lom").len(), 1);
        assert_eq!(
            texts_of(&xml, "oai:datestamp"),
            ["2024-03-01", "2024-03-01"]
        );
        assert_eq!(texts_of(&xml, "oai:earliestDatestamp"), ["2024-03-01"]);
        let subjects = texts_of(&xml, "dc:subject");
        assert!(
            subjects.contains(&"Mathématiques".to_string()),
            "{subjects:?}"
        );
    }

    #[test]
    fn empty_repository_is_still_valid() {
        let xml = build(
            &config_with_contact(),
            &SiteContent::with_scenarios(Vec::new()),
        )
        .expect("repository");
        assert_eq!(texts_of(&xml, "oai:earliestDatestamp"), ["1970-01-01"]);
        assert!(texts_of(&xml, "oai:record").is_empty());
    }

    #[test]
    fn past_the_limit_one_repository_per_academy_and_a_sitemap() {
        let mut scenarios = Vec::new();
        for (slug, academy) in [
            ("a", "ac-lyon"),
            ("b", "ac-lyon"),
            ("c", "ac-lyon"),
            ("d", "ac-nantes"),
        ] {
            let mut s = Scenario::example(slug);
            s.meta.academie = academy.to_string();
            scenarios.push(s);
        }
        let content = SiteContent::with_scenarios(scenarios);
        let config = config_with_contact();
        let vocabs = Vocabularies::builtin().expect("vocabularies");
        let input = BuildInput::bare(&config, &vocabs, &content);
        let whole = files_with_limit(&input, 4);
        assert_eq!(whole.len(), 1);
        assert_eq!(whole[0].path, FILE_NAME);

        let split = files_with_limit(&input, 2);
        let paths: Vec<&str> = split.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "oai/ac-lyon.xml",
                "oai/ac-lyon-2.xml",
                "oai/ac-nantes.xml",
                SPLIT_INDEX
            ]
        );
        let text = |i: usize| {
            std::str::from_utf8(&split[i].contents)
                .expect("utf-8")
                .to_string()
        };
        let ids = |i: usize| texts_of(&text(i), "oai:identifier");
        assert_eq!(
            ids(0),
            [
                "oai:x.fr:vitrine/scenarios/a",
                "oai:x.fr:vitrine/scenarios/b"
            ]
            .repeat(2)
        );
        assert_eq!(ids(1), ["oai:x.fr:vitrine/scenarios/c"].repeat(2));
        assert_eq!(ids(2), ["oai:x.fr:vitrine/scenarios/d"].repeat(2));
        assert_eq!(
            texts_of(&text(1), "oai:baseURL"),
            ["https://x.fr/vitrine/oai/ac-lyon-2.xml"]
        );
        assert_eq!(
            texts_of(&text(0), "oai:repositoryName"),
            ["Vitrine <&> (ac-lyon)"]
        );
        assert_eq!(
            texts_of(&text(3), "loc"),
            [
                "https://x.fr/vitrine/oai/ac-lyon.xml",
                "https://x.fr/vitrine/oai/ac-lyon-2.xml",
                "https://x.fr/vitrine/oai/ac-nantes.xml"
            ]
        );
    }
}
