//! The page of a scenario: its metadata lines, resources, table of contents, citation and
//! JSON-LD, from the site data and helpers of the page renderer.

use std::fmt::Write as _;

use super::*;
use crate::markdown::Rendered;

#[derive(Serialize)]
struct ScenarioView<'a> {
    titre: &'a str,
    resume: &'a str,
    brouillon: bool,
    vignette: Option<Vignette>,
    fiche: Vec<Line>,
    sommaire: Vec<TocItem<'a>>,
    corps: &'a str,
    ressources: Vec<ResourceView>,
    citation: String,
    /// Link to the Moodle / m@gistère package, for published scenarios when the site makes
    /// packages (`paquets_moodle`, `exports::imscc`).
    paquet: Option<String>,
    /// Its size (« 48 Ko »), when the package was made before the page.
    paquet_taille: Option<String>,
}

#[derive(Serialize)]
struct Vignette {
    src: String,
    alt: String,
}

/// A term of the metadata card with its values.
#[derive(Serialize)]
struct Line {
    terme: String,
    valeurs: Vec<Value>,
}

/// A value of the metadata card: text, maybe a link, maybe a machine-readable date/duration.
#[derive(Serialize)]
struct Value {
    texte: String,
    href: Option<String>,
    datetime: Option<String>,
    externe: bool,
}

impl Value {
    fn text(texte: String) -> Value {
        Value {
            texte,
            href: None,
            datetime: None,
            externe: false,
        }
    }

    fn link(texte: String, href: String) -> Value {
        let externe = is_external(&href);
        Value {
            texte,
            href: Some(href),
            datetime: None,
            externe,
        }
    }

    fn time(texte: String, datetime: String) -> Value {
        Value {
            datetime: Some(datetime),
            ..Value::text(texte)
        }
    }
}

#[derive(Serialize)]
struct ResourceView {
    titre: String,
    href: String,
    /// File name, for attachments.
    fichier: Option<String>,
    externe: bool,
}

/// A table of contents entry with its sub-sections (h3 under h2), for nested lists.
#[derive(Serialize)]
struct TocItem<'a> {
    id: &'a str,
    title: &'a str,
    enfants: Vec<TocItem<'a>>,
}

/// Nests h3 entries under the preceding h2; an h3 before any h2 stays at the top level.
fn nest_toc(toc: &[TocEntry]) -> Vec<TocItem<'_>> {
    let mut items: Vec<TocItem> = Vec::new();
    for entry in toc {
        let item = TocItem {
            id: &entry.id,
            title: &entry.title,
            enfants: Vec::new(),
        };
        match items.last_mut() {
            Some(parent) if entry.level > 2 => parent.enfants.push(item),
            _ => items.push(item),
        }
    }
    items
}

pub(super) fn scenario_job(site: &Site, index: usize) -> Job {
    let scenario = &site.scenarios()[index];
    let meta = &scenario.meta;
    let path = urls::scenario(&scenario.slug);
    let mut frame = Frame::new(path.clone(), meta.titre.clone())
        .crumb("Scénarios", Some(urls::scenarios_listing(1)))
        .description(Some(meta.resume.clone()));
    frame.type_og = "article";
    let (mut job, linker) = job(site, frame, "scenario.html");
    let rendered = site.input.scenarios_html.get(&scenario.slug);
    let toc: &[TocEntry] = match rendered {
        Some(r) if r.toc.len() >= 2 => &r.toc,
        _ => &[],
    };
    let view = ScenarioView {
        titre: &meta.titre,
        resume: &meta.resume,
        brouillon: meta.brouillon,
        vignette: vignette_src(&linker, scenario).map(|src| Vignette {
            src,
            alt: meta.vignette_alt.clone().unwrap_or_default(),
        }),
        fiche: metadata_lines(site, &linker, scenario),
        sommaire: nest_toc(toc),
        corps: rendered.map(|r| r.html()).unwrap_or(""),
        ressources: resources(&linker, scenario),
        citation: citation(site, scenario, &path),
        paquet: (site.input.config.paquets_moodle && !meta.brouillon && !scenario.is_harvested())
            .then(|| linker.href(&urls::scenario_package(&scenario.slug))),
        paquet_taille: site
            .input
            .package_sizes
            .get(&scenario.slug)
            .map(|&bytes| crate::publish::wording::file_size(bytes)),
    };
    let related: Vec<usize> = site
        .input
        .related
        .get(&scenario.slug)
        .map(|slugs| {
            slugs
                .iter()
                .filter_map(|s| site.by_slug.get(s.as_str()).copied())
                .filter(|&i| i != index)
                .collect()
        })
        .unwrap_or_default();
    job.context.insert("scenario", &view);
    job.context
        .insert("jsonld", &Some(jsonld::scenario(site.input, scenario)));
    job.context
        .insert("proches", &cards(site, &linker, &related));
    job
}

/// Feeds `hasher` what [`scenario_job`] reads of the site besides the inputs every page shares
/// (`reuse::shared_inputs`): the scenario's rendered body, its related scenarios and the size
/// of its package.
pub(super) fn scenario_inputs(site: &Site, index: usize, hasher: &mut blake3::Hasher) {
    let slug = &site.scenarios()[index].slug;
    let input = site.input;
    if let Some(rendered) = input.scenarios_html.get(slug) {
        // Destructured: a field added to the rendering must be placed here or left out here
        // (`..` stands for the private HTML, fed by its digest below).
        let Rendered {
            toc,
            plain_text: _,
            plain_text_digest: _,
            word_count,
            diagnostics: _,
            anchor_links: _,
            ..
        } = rendered.as_ref();
        // The HTML by its digest, made with it (a site's bodies weigh a gigabyte at 100,000).
        hash_text(hasher, "corps");
        hasher.update(&rendered.html_digest());
        hash_count(hasher, toc.len());
        for entry in toc {
            hasher.update(&[entry.level]);
            hash_text(hasher, &entry.id);
            hash_text(hasher, &entry.title);
        }
        hash_count(hasher, *word_count);
    }
    match input.related.get(slug) {
        Some(related) => {
            hash_text(hasher, "proches");
            hash_count(hasher, related.len());
            for other in related {
                hash_text(hasher, other);
            }
        }
        None => hash_text(hasher, "sans proches"),
    }
    let _ = write!(
        reuse::HashWriter(hasher),
        "\u{1f}{:?}",
        input.package_sizes.get(slug)
    );
}

fn hash_text(hasher: &mut blake3::Hasher, value: &str) {
    reuse::hash_part(hasher, value.as_bytes());
}

fn hash_count(hasher: &mut blake3::Hasher, count: usize) {
    hasher.update(&(count as u64).to_le_bytes());
}

/// The metadata card of a scenario, in reading order; empty fields are left out.
fn metadata_lines(site: &Site, linker: &Linker, scenario: &Scenario) -> Vec<Line> {
    let meta = &scenario.meta;
    let mut lines = Vec::new();
    let mut push = |singular: &str, plural: &str, valeurs: Vec<Value>| {
        if !valeurs.is_empty() {
            let terme = if valeurs.len() > 1 { plural } else { singular };
            lines.push(Line {
                terme: terme.to_string(),
                valeurs,
            });
        }
    };
    let authors = meta
        .auteurs
        .iter()
        .map(|a| Value::text(author_text(a)))
        .collect();
    push("Auteur", "Auteurs", authors);
    let facet_line = |facet: Facet| -> Vec<Value> {
        facet
            .keys(meta)
            .iter()
            .filter(|k| !k.is_empty())
            .map(|k| {
                let href = linker.href(&urls::facet_value(facet, k, 1));
                Value::link(vocab_label(site.input.vocabs, facet, k), href)
            })
            .collect()
    };
    push("Académie", "Académies", facet_line(Facet::Academies));
    push("Discipline", "Disciplines", facet_line(Facet::Subjects));
    push("Niveau", "Niveaux", facet_line(Facet::Levels));
    push("Cycle", "Cycles", facet_line(Facet::Cycles));
    push("Type", "Types", facet_line(Facet::Types));
    push("Modalité", "Modalités", facet_line(Facet::Modes));
    if let Some(duree) = &meta.duree {
        push(
            "Durée",
            "Durée",
            vec![Value::time(duree.affichage.clone(), duree.iso.clone())],
        );
    }
    // Tools keep the author's spelling on the scenario page.
    let tools = meta
        .outils
        .iter()
        .filter_map(|tool| {
            let slug = crate::text::slugify(tool);
            (!slug.is_empty()).then(|| {
                Value::link(
                    tool.clone(),
                    linker.href(&urls::facet_value(Facet::Tools, &slug, 1)),
                )
            })
        })
        .collect();
    push("Outil numérique", "Outils numériques", tools);
    push(
        "Compétence numérique (CRCN)",
        "Compétences numériques (CRCN)",
        facet_line(Facet::DigitalSkills),
    );
    let keywords = meta
        .mots_cles
        .iter()
        .map(|k| Value::text(k.clone()))
        .collect();
    push("Mot-clé", "Mots-clés", keywords);
    push(
        "Publié le",
        "Publié le",
        vec![Value::time(long_date(meta.date), meta.date.to_string())],
    );
    if let Some(update) = meta.mise_a_jour {
        push(
            "Mis à jour le",
            "Mis à jour le",
            vec![Value::time(long_date(update), update.to_string())],
        );
    }
    let licence_id = if meta.licence.is_empty() {
        &site.input.config.licence
    } else {
        &meta.licence
    };
    let (name, url) = licence(licence_id);
    let licence_value = match url {
        Some(url) => Value::link(name, url),
        None => Value::text(name),
    };
    push("Licence", "Licence", vec![licence_value]);
    if let Some(source) = meta.url_source.as_deref().filter(|s| !s.is_empty()) {
        let value = if is_external(source) {
            Value::link(source.to_string(), source.to_string())
        } else {
            Value::text(source.to_string())
        };
        push("Source", "Source", vec![value]);
    }
    lines
}

fn author_text(author: &crate::content::Auteur) -> String {
    let mut parts = vec![author.nom.as_str()];
    parts.extend(author.fonction.as_deref().filter(|s| !s.is_empty()));
    parts.extend(author.etablissement.as_deref().filter(|s| !s.is_empty()));
    parts.join(", ")
}

fn resources(linker: &Linker, scenario: &Scenario) -> Vec<ResourceView> {
    scenario
        .meta
        .ressources
        .iter()
        .filter_map(|r| {
            if let Some(file) = r.fichier.as_deref().filter(|f| !f.is_empty()) {
                let file = file.trim_start_matches("./");
                let name = file.rsplit('/').next().unwrap_or(file).to_string();
                Some(ResourceView {
                    titre: r.titre.clone(),
                    href: linker.href(&urls::scenario_file(&scenario.slug, file)),
                    fichier: Some(name),
                    externe: false,
                })
            } else {
                r.url
                    .as_deref()
                    .filter(|u| !u.is_empty())
                    .map(|url| ResourceView {
                        titre: r.titre.clone(),
                        href: url.to_string(),
                        fichier: None,
                        externe: is_external(url),
                    })
            }
        })
        .collect()
}

/// « Auteurs (année). Titre. Académie de X. Site. Adresse »
fn citation(site: &Site, scenario: &Scenario, path: &str) -> String {
    let meta = &scenario.meta;
    let config = site.input.config;
    let authors: Vec<&str> = meta.auteurs.iter().map(|a| a.nom.as_str()).collect();
    let mut parts = Vec::new();
    let year = meta.date.year();
    if authors.is_empty() {
        parts.push(format!("({year})."));
    } else {
        parts.push(format!("{} ({year}).", authors.join(", ")));
    }
    parts.push(sentence(&meta.titre));
    if !meta.academie.is_empty() {
        let label = vocab_label(site.input.vocabs, Facet::Academies, &meta.academie);
        parts.push(sentence(&academy_name(&label)));
    }
    parts.push(sentence(&config.titre));
    // A site path means nothing outside the site: without base_url, no address.
    if let Some(url) = absolute_url(&config.base_url, path) {
        parts.push(url);
    }
    parts.join(" ")
}

/// Ends a citation part with a full stop unless it already ends with punctuation.
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '?', '!', '…']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}
