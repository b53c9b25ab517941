//! The OAI-PMH static repository split per académie (`exports::oai`), on the demo site with a
//! small record limit: every published scenario in exactly one repository, none over the limit.

mod common;

use std::collections::BTreeMap;
use std::fs;

use vitrine::exports::oai;
use vitrine::publish::BuildInput;
use vitrine::site::{prepare, BuildOptions, Silent};

#[test]
fn the_demo_split_with_a_small_limit_keeps_every_record_once() {
    let site = common::demo_site();
    let config_path = site.path().join("vitrine.yaml");
    let config = fs::read_to_string(&config_path).expect("read demo config");
    let edited = config
        .replace(
            "base_url: \"\"",
            "base_url: \"https://exemple.fr/vitrine/\"",
        )
        .replace(
            "\n  nom: Démonstration vitrine",
            "\n  courriel: drane@exemple.fr\n  nom: Démonstration vitrine",
        );
    assert!(
        edited.contains("drane@exemple.fr"),
        "the demo vitrine.yaml changed"
    );
    fs::write(&config_path, edited).expect("write config");
    let prepared = prepare(&BuildOptions::new(site.path()), &Silent).expect("the demo loads");
    let related = BTreeMap::new();
    let input = BuildInput {
        config: &prepared.config,
        vocabs: &prepared.vocabs,
        content: &prepared.loaded.content,
        scenarios_html: &prepared.scenarios_html,
        pages_html: &prepared.pages_html,
        related: &related,
        package_sizes: &vitrine::publish::NO_PACKAGE_SIZES,
    };
    let published: Vec<String> = prepared
        .loaded
        .content
        .scenarios
        .iter()
        .filter(|s| !s.meta.brouillon && !s.is_harvested())
        .map(|s| format!("oai:exemple.fr:vitrine/scenarios/{}", s.slug))
        .collect();
    assert!(published.len() > 5);

    // Small enough for an académie of the demo to need a second part.
    let limit = 1;
    let files = oai::files_with_limit(&input, limit);
    assert!(files.iter().all(|f| f.path != oai::FILE_NAME));
    assert!(
        files.iter().any(|f| f.path.ends_with("-2.xml")),
        "no académie of the demo needed a second part"
    );
    let index = files.last().expect("index");
    assert_eq!(index.path, oai::SPLIT_INDEX);
    let index = String::from_utf8(index.contents.clone()).expect("utf-8");

    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for file in &files[..files.len() - 1] {
        assert!(file.path.starts_with("oai/"), "{}", file.path);
        assert!(
            index.contains(&format!(
                "<loc>https://exemple.fr/vitrine/{}</loc>",
                file.path
            )),
            "{} not in the index",
            file.path
        );
        let xml = String::from_utf8(file.contents.clone()).expect("utf-8");
        // Each record appears twice (oai_dc and lom): count the Dublin Core half.
        let dc = xml
            .split("metadataPrefix=\"lom\"")
            .next()
            .expect("oai_dc records");
        let ids: Vec<String> = dc
            .split("<oai:identifier>")
            .skip(1)
            .filter_map(|rest| rest.split('<').next().map(String::from))
            .collect();
        assert!(
            !ids.is_empty() && ids.len() <= limit,
            "{}: {}",
            file.path,
            ids.len()
        );
        for id in ids {
            *seen.entry(id).or_default() += 1;
        }
    }
    let mut expected = published.clone();
    expected.sort();
    assert_eq!(seen.keys().cloned().collect::<Vec<_>>(), expected);
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");
}
