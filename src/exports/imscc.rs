//! IMS Common Cartridge 1.1 packages (`.imscc`), the format Moodle and m@gistère import
//! natively (Moodle's `imscc11` converter): one `scenarios/<slug>/<slug>.imscc` per published
//! scenario, and a parcours of several scenarios for `vitrine paquet`.
//!
//! Layout of a package: `imsmanifest.xml` at the root; for each scenario a folder named by its
//! slug holding a self-contained `index.html` (styles inlined, no request outside the package)
//! and the files of its bundle; `liens/` holds one web link file per external resource.
//! The organization has one section (an item with children) per scenario, so that Moodle
//! makes one course section of each; a single scenario is a parcours of one.
//!
//! What the importer relies on, and what the tests check: the CC 1.1 namespaces, schema and
//! schema version; resource types `webcontent` and `imswl_xmlv1p1` only; every `href` present
//! in the zip; identifiers unique and every `identifierref` resolving; no sub-manifest.
//!
//! No resource carries `intendeduse`: the CC 1.1 default (`unspecified`) is meant. A scenario
//! is a lesson plan, but importers may hide `lessonplan` resources from learners, and the
//! learners of a m@gistère course are the teachers who must read it.
//!
//! Packages are byte-identical between builds: entries in a fixed order (manifest, then sorted
//! paths), the zip epoch (1980-01-01) as every timestamp, fixed permissions and deflate level.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::content::{Facet, Scenario};
use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::exports::lom::{author_vcard, licence_text, Classes, XmlWriter};
use crate::publish::describe::published;
use crate::publish::urls::{self, absolute_url};
use crate::publish::{BuildInput, FileSink, OutputFile, PackageSizes};
use crate::vocab::Entry as VocabEntry;

pub const NS_IMSCP: &str = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1";
pub const NS_LOM_MANIFEST: &str = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest";
pub const NS_LOM_RESOURCE: &str = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource";
pub const NS_WEBLINK: &str = "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1";
const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
const SCHEMA_LOCATION: &str = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1 http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd";
pub const MANIFEST: &str = "imsmanifest.xml";
/// Folder of the web link files inside a package.
const LINKS_DIR: &str = "liens";

/// Styles of the packaged page, inlined: the theme's stylesheet is not in the package, and a
/// Moodle course shows the page in its own frame.
const STYLE: &str = "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;line-height:1.6;color:#161616;max-width:48rem;margin:0 auto;padding:1rem}\
h1,h2,h3{line-height:1.25;color:#000091}\
img{max-width:100%;height:auto}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem}\
.table-container{overflow-x:auto}\
pre{overflow-x:auto;background:#f6f6f6;padding:.5rem}\
.resume{font-size:1.1rem}\
.admonition,.markdown-alert{border-left:4px solid #000091;padding:.25rem 1rem;margin:1rem 0;background:#f5f5fe}\
.lien-casse,.image-cassee{text-decoration:line-through}\
footer{margin-top:2rem;font-size:.9rem;color:#3a3a3a}";

/// Site path of the package of a scenario, beside its page.
pub fn path(slug: &str) -> String {
    urls::scenario_package(slug)
}

/// Hands the package of every published scenario to `sink`, in parallel. Bundle files are
/// read under `root` (the site folder). Returns the size of each package, by slug: the
/// scenario pages show it on their link, so they are rendered after this.
pub fn write_to(
    input: &BuildInput,
    root: &Path,
    sink: &FileSink,
) -> Result<PackageSizes, Vec<Diagnostic>> {
    let scenarios: Vec<&Scenario> = published(input).collect();
    let results: Vec<Result<(String, u64), Diagnostic>> = scenarios
        .par_iter()
        .map(|scenario| {
            let contents = package(input, &[scenario], &scenario.meta.titre, root)?;
            let size = contents.len() as u64;
            sink(OutputFile {
                path: path(&scenario.slug),
                contents,
            })?;
            Ok((scenario.slug.clone(), size))
        })
        .collect();
    let mut sizes = PackageSizes::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok((slug, size)) => {
                sizes.insert(slug, size);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(sizes)
    } else {
        crate::diagnostics::sort(&mut problems);
        Err(problems)
    }
}

/// The size of the package of one published scenario, by itself (the preview renders a
/// scenario page without making every package); `None` when it cannot be made.
pub fn size_of(input: &BuildInput, scenario: &Scenario, root: &Path) -> Option<u64> {
    package(input, &[scenario], &scenario.meta.titre, root)
        .ok()
        .map(|bytes| bytes.len() as u64)
}

/// The package of `scenarios` (one section each, in this order) titled `title`: the bytes of
/// the zip. Fails when a bundle file cannot be read.
pub fn package(
    input: &BuildInput,
    scenarios: &[&Scenario],
    title: &str,
    root: &Path,
) -> Result<Vec<u8>, Diagnostic> {
    let mut ids = Ids::default();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut sections = Vec::new();
    for scenario in scenarios {
        sections.push(section(input, scenario, root, &mut ids, &mut files)?);
    }
    let manifest = manifest(input, scenarios, title, &sections);
    // Writing into memory only fails on a name the zip format refuses; the library's
    // message is English, so the French one names the package instead.
    zip_bytes(&manifest, &files).map_err(|_| {
        Diagnostic::new(
            ErrorKind::Io,
            PathBuf::from(title),
            format!("le paquet Moodle « {title} » n'a pas pu être assemblé (nom de fichier refusé par le format zip)"),
        )
    })
}

/// The scenarios of a parcours: the published scenarios named by `slugs` in that order, or,
/// without slugs, those matching every facet of `filters` (any of a facet's keys), in the
/// order of the listings. A slug that names no published scenario is an error (French).
pub fn select<'a>(
    input: &'a BuildInput,
    slugs: &[String],
    filters: &[(Facet, Vec<String>)],
) -> Result<Vec<&'a Scenario>, String> {
    if !slugs.is_empty() {
        return slugs
            .iter()
            .map(|slug| {
                published(input)
                    .find(|s| s.slug == *slug)
                    .ok_or_else(|| format!("aucun scénario publié n'a l'identifiant « {slug} »"))
            })
            .collect();
    }
    Ok(published(input)
        .filter(|s| {
            filters.iter().all(|(facet, keys)| {
                keys.is_empty() || facet.keys(&s.meta).iter().any(|k| keys.contains(k))
            })
        })
        .collect())
}

/// Sequential identifiers, unique in a package.
#[derive(Default)]
struct Ids {
    next: usize,
}

impl Ids {
    fn pair(&mut self) -> (String, String) {
        self.next += 1;
        (format!("I_{}", self.next), format!("R_{}", self.next))
    }
}

/// One item of a section and the resource it points to.
struct Entry {
    item: String,
    resource: String,
    title: String,
    kind: Kind,
}

enum Kind {
    /// A file of the package, with the other files it needs (the page's images).
    Web { href: String, files: Vec<String> },
    /// A web link file.
    Link { href: String },
}

struct Section {
    item: String,
    title: String,
    entries: Vec<Entry>,
}

/// The items of one scenario: its page, one web link per external resource, one item per
/// attached file. Adds their files to `files`.
fn section(
    input: &BuildInput,
    scenario: &Scenario,
    root: &Path,
    ids: &mut Ids,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<Section, Diagnostic> {
    let slug = &scenario.slug;
    let bundle: Vec<String> = scenario
        .bundle_files
        .iter()
        .map(|f| slash_path(f))
        .collect();
    if let Some(dir) = &scenario.bundle_dir {
        for (file, name) in scenario.bundle_files.iter().zip(&bundle) {
            let source = root.join(dir).join(file);
            let bytes = std::fs::read(&source).map_err(|e| {
                Diagnostic::new(
                    ErrorKind::Io,
                    dir.join(file),
                    format!(
                        "ce fichier du scénario n'a pas pu être lu pour le paquet Moodle : {}",
                        crate::diagnostics::io_message_fr(&e)
                    ),
                )
            })?;
            files.insert(format!("{slug}/{name}"), bytes);
        }
    }
    let attached: Vec<&str> = scenario
        .meta
        .ressources
        .iter()
        .filter_map(|r| r.fichier.as_deref())
        .filter(|f| bundle.iter().any(|b| b == f))
        .collect();

    let page = format!("{slug}/index.html");
    files.insert(
        page.clone(),
        page_html(input, scenario, &bundle)?.into_bytes(),
    );
    let (section_item, _) = ids.pair();
    let (item, resource) = ids.pair();
    let mut entries = vec![Entry {
        item,
        resource,
        title: scenario.meta.titre.clone(),
        kind: Kind::Web {
            href: page,
            files: bundle
                .iter()
                .filter(|b| !attached.contains(&b.as_str()))
                .map(|b| format!("{slug}/{b}"))
                .collect(),
        },
    }];
    for ressource in &scenario.meta.ressources {
        let (item, resource) = ids.pair();
        let kind = if let Some(url) = &ressource.url {
            let href = format!("{LINKS_DIR}/{resource}.xml");
            files.insert(href.clone(), weblink(&ressource.titre, url).into_bytes());
            Kind::Link { href }
        } else if let Some(file) = ressource
            .fichier
            .as_deref()
            .filter(|f| attached.contains(f))
        {
            Kind::Web {
                href: format!("{slug}/{file}"),
                files: Vec::new(),
            }
        } else {
            continue;
        };
        entries.push(Entry {
            item,
            resource,
            title: ressource.titre.clone(),
            kind,
        });
    }
    Ok(Section {
        item: section_item,
        title: scenario.meta.titre.clone(),
        entries,
    })
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The web link file of an external resource.
fn weblink(title: &str, url: &str) -> String {
    let mut w = XmlWriter::new();
    w.open("webLink", &[("xmlns", NS_WEBLINK)]);
    w.element("title", &[], title);
    w.open("url", &[("href", url), ("target", "_blank")]);
    w.close();
    w.finish()
}

fn manifest(
    input: &BuildInput,
    scenarios: &[&Scenario],
    title: &str,
    sections: &[Section],
) -> String {
    let identifier = match scenarios {
        [one] => format!("vitrine-{}", one.slug),
        _ => "vitrine-parcours".to_string(),
    };
    let mut w = XmlWriter::new();
    w.open(
        "manifest",
        &[
            ("identifier", &identifier),
            ("xmlns", NS_IMSCP),
            ("xmlns:lomimscc", NS_LOM_MANIFEST),
            ("xmlns:lom", NS_LOM_RESOURCE),
            ("xmlns:xsi", NS_XSI),
            ("xsi:schemaLocation", SCHEMA_LOCATION),
        ],
    );
    w.open("metadata", &[]);
    w.element("schema", &[], "IMS Common Cartridge");
    w.element("schemaversion", &[], "1.1.0");
    cartridge_lom(&mut w, input, scenarios, title);
    w.close();

    w.open("organizations", &[]);
    w.open(
        "organization",
        &[("identifier", "O_1"), ("structure", "rooted-hierarchy")],
    );
    w.open("item", &[("identifier", "I_root")]);
    for section in sections {
        w.open("item", &[("identifier", &section.item)]);
        w.element("title", &[], &section.title);
        for entry in &section.entries {
            w.open(
                "item",
                &[
                    ("identifier", &entry.item),
                    ("identifierref", &entry.resource),
                ],
            );
            w.element("title", &[], &entry.title);
            w.close();
        }
        w.close();
    }
    w.close();
    w.close();
    w.close();

    w.open("resources", &[]);
    for entry in sections.iter().flat_map(|s| &s.entries) {
        match &entry.kind {
            Kind::Web { href, files } => {
                w.open(
                    "resource",
                    &[
                        ("identifier", &entry.resource),
                        ("type", "webcontent"),
                        ("href", href),
                    ],
                );
                w.open("file", &[("href", href)]);
                w.close();
                for file in files {
                    w.open("file", &[("href", file)]);
                    w.close();
                }
            }
            Kind::Link { href } => {
                w.open(
                    "resource",
                    &[("identifier", &entry.resource), ("type", "imswl_xmlv1p1")],
                );
                w.open("file", &[("href", href)]);
                w.close();
            }
        }
        w.close();
    }
    w.close();
    w.finish()
}

/// LOM of the cartridge (CC 1.1 manifest profile): title, language, description, keywords,
/// authors, rights and the ScoLOMFR classification. A parcours gathers its scenarios'
/// keywords, authors, disciplines and levels.
fn cartridge_lom(w: &mut XmlWriter, input: &BuildInput, scenarios: &[&Scenario], title: &str) {
    let string = |w: &mut XmlWriter, name: &str, text: &str| {
        w.open(name, &[]);
        w.element("lomimscc:string", &[("language", "fr")], text);
        w.close();
    };
    w.open("lomimscc:lom", &[]);
    w.open("lomimscc:general", &[]);
    string(w, "lomimscc:title", title);
    w.element("lomimscc:language", &[], "fr");
    let description = match scenarios {
        [one] => one.meta.resume.clone(),
        _ => scenarios
            .iter()
            .map(|s| s.meta.titre.as_str())
            .collect::<Vec<_>>()
            .join(" ; "),
    };
    if !description.trim().is_empty() {
        string(w, "lomimscc:description", &description);
    }
    let mut keywords: Vec<&str> = Vec::new();
    for k in scenarios.iter().flat_map(|s| &s.meta.mots_cles) {
        if !k.trim().is_empty() && !keywords.contains(&k.as_str()) {
            keywords.push(k);
        }
    }
    for keyword in keywords {
        string(w, "lomimscc:keyword", keyword);
    }
    w.close();

    let mut authors: Vec<String> = Vec::new();
    for a in scenarios.iter().flat_map(|s| &s.meta.auteurs) {
        let card = author_vcard(a);
        if !a.nom.trim().is_empty() && !authors.contains(&card) {
            authors.push(card);
        }
    }
    if !authors.is_empty() {
        w.open("lomimscc:lifeCycle", &[]);
        w.open("lomimscc:contribute", &[]);
        // The manifest profile's role and copyright hold a value only (no source).
        w.open("lomimscc:role", &[]);
        w.element("lomimscc:value", &[], "author");
        w.close();
        for card in &authors {
            w.element("lomimscc:entity", &[], card);
        }
        if let [one] = scenarios {
            w.open("lomimscc:date", &[]);
            w.element(
                "lomimscc:dateTime",
                &[],
                &one.meta.date.format("%Y-%m-%d").to_string(),
            );
            w.close();
        }
        w.close();
        w.close();
    }

    w.open("lomimscc:rights", &[]);
    w.open("lomimscc:copyrightAndOtherRestrictions", &[]);
    w.element("lomimscc:value", &[], "yes");
    w.close();
    let mut licences: Vec<String> = Vec::new();
    for s in scenarios {
        let text = licence_text(&crate::publish::describe::licence_of(input, s).id);
        if !licences.contains(&text) {
            licences.push(text);
        }
    }
    string(w, "lomimscc:description", &licences.join(" ; "));
    w.close();
    cartridge_classification(w, input, scenarios);
    w.close();
}

/// The ScoLOMFR disciplines and levels of the scenarios (those of the ScoLOMFR records, see
/// [`Classes`]), as the manifest profile allows them: a purpose among LOM's values, and
/// one-taxon paths without a source (the profile has none), each taxon the ScoLOMFR concept
/// URI and its French label.
fn cartridge_classification(w: &mut XmlWriter, input: &BuildInput, scenarios: &[&Scenario]) {
    let mut disciplines: Vec<&VocabEntry> = Vec::new();
    let mut levels: Vec<&VocabEntry> = Vec::new();
    for scenario in scenarios {
        let classes = Classes::of(input.vocabs, scenario);
        add_new(&mut disciplines, classes.disciplines);
        add_new(&mut levels, classes.levels);
    }
    for (purpose, entries) in [("discipline", disciplines), ("educational level", levels)] {
        if entries.is_empty() {
            continue;
        }
        w.open("lomimscc:classification", &[]);
        w.open("lomimscc:purpose", &[]);
        w.element("lomimscc:value", &[], purpose);
        w.close();
        for entry in entries {
            w.open("lomimscc:taxonPath", &[]);
            w.open("lomimscc:taxon", &[]);
            w.element("lomimscc:id", &[], entry.uri.as_deref().unwrap_or_default());
            w.open("lomimscc:entry", &[]);
            w.element("lomimscc:string", &[("language", "fr")], &entry.libelle);
            w.close();
            w.close();
            w.close();
        }
        w.close();
    }
}

/// Appends the entries not there yet (a parcours states each concept once).
fn add_new<'a>(list: &mut Vec<&'a VocabEntry>, entries: Vec<&'a VocabEntry>) {
    for entry in entries {
        if !list.iter().any(|e| e.uri == entry.uri) {
            list.push(entry);
        }
    }
}

/// The scenario as one HTML document that needs nothing outside the package: styles inlined,
/// links to the bundle kept (the files sit beside it), links to other pages of the site made
/// absolute (or dropped without a public address).
fn page_html(
    input: &BuildInput,
    scenario: &Scenario,
    bundle: &[String],
) -> Result<String, Diagnostic> {
    let meta = &scenario.meta;
    let body = input
        .scenarios_html
        .get(&scenario.slug)
        .map(|r| r.html())
        .unwrap_or_default();
    // The rewriter only fails past its memory limit, on a body far larger than any page.
    let body = rewrite_links(body, &scenario.slug, bundle, &input.config.base_url).map_err(|_| {
        Diagnostic::new(
            ErrorKind::Io,
            &scenario.source,
            "les liens de la page de ce scénario n'ont pas pu être adaptés au paquet Moodle (page trop volumineuse)",
        )
    })?;
    let esc = |t: &str| {
        let mut out = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut out, t);
        out
    };
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        esc(&meta.titre),
        esc(&meta.titre)
    );
    if !meta.resume.trim().is_empty() {
        html.push_str(&format!("<p class=\"resume\">{}</p>\n", esc(&meta.resume)));
    }
    html.push_str(&body);
    html.push_str("\n</main>\n<footer>\n");
    let authors: Vec<&str> = meta.auteurs.iter().map(|a| a.nom.as_str()).collect();
    if !authors.is_empty() {
        html.push_str(&format!("<p>Auteurs : {}</p>\n", esc(&authors.join(", "))));
    }
    let licence = crate::publish::describe::licence_of(input, scenario);
    html.push_str(&format!("<p>{}</p>\n", esc(&licence_text(&licence.id))));
    if let Some(url) = absolute_url(&input.config.base_url, &urls::scenario(&scenario.slug)) {
        html.push_str(&format!(
            "<p>Source : <a href=\"{}\">{}</a></p>\n",
            esc(&url),
            esc(&input.config.titre)
        ));
    }
    html.push_str("</footer>\n</body>\n</html>\n");
    Ok(html)
}

/// Rewrites the `href` and `src` attributes of rendered HTML (relative to the scenario page)
/// for the package: see [`page_html`]. An HTML rewriter finds them, whatever the element or
/// the quoting; their values come and go as written in the HTML (entities kept).
fn rewrite_links(
    html: &str,
    slug: &str,
    bundle: &[String],
    base_url: &str,
) -> Result<String, lol_html::errors::RewritingError> {
    let retarget = |element: &mut lol_html::html_content::Element| {
        for attr in ["href", "src"] {
            if let Some(value) = element.get_attribute(attr) {
                element.set_attribute(attr, &packaged_target(&value, slug, bundle, base_url))?;
            }
        }
        Ok(())
    };
    let settings = lol_html::RewriteStrSettings::new()
        .append_element_content_handler(lol_html::element!("[href], [src]", retarget))
        // Best effort on markup the parser finds ambiguous: the body was sanitised already,
        // and a scenario must not fail the build for it.
        .with_strict(false)
        .with_enable_esi_tags(false);
    lol_html::rewrite_str(html, settings)
}

/// Where a link of the page goes inside the package (value as it appears in the HTML,
/// entities included, relative to the scenario page): a file of the bundle becomes its path
/// beside the packaged page, any other page of the site its absolute address.
fn packaged_target(value: &str, slug: &str, bundle: &[String], base_url: &str) -> String {
    let is_external = value.starts_with('#')
        || value
            .split(['/', '?', '#'])
            .next()
            .is_some_and(|first| first.contains(':'));
    if is_external {
        return value.to_string();
    }
    let value = value.replace("&amp;", "&");
    // Resolved against a placeholder origin: only the site path matters here.
    let page = urls::scenario(slug);
    let Some(resolved) = url::Url::parse(PLACEHOLDER_ORIGIN)
        .and_then(|origin| origin.join(&page))
        .and_then(|page_url| page_url.join(&value))
        .ok()
    else {
        return "#".to_string();
    };
    let site_path = resolved.path().trim_start_matches('/');
    let decoded = percent_encoding::percent_decode_str(site_path).decode_utf8_lossy();
    let in_bundle = decoded
        .strip_prefix(&format!("scenarios/{slug}/"))
        .filter(|file| bundle.iter().any(|b| b == file));
    if let Some(file) = in_bundle {
        let mut href = encoded_path(file);
        if let Some(fragment) = resolved.fragment() {
            href.push('#');
            href.push_str(fragment);
        }
        return href;
    }
    // The public address of a page is its folder, also when the site was built as an offline
    // copy whose links name `index.html`: the package points at the web site.
    let page_folder = site_path
        .strip_suffix("index.html")
        .filter(|folder| folder.is_empty() || folder.ends_with('/'));
    let mut site_target = page_folder.unwrap_or(site_path).to_string();
    if let Some(query) = resolved.query() {
        site_target.push('?');
        site_target.push_str(query);
    }
    if let Some(fragment) = resolved.fragment() {
        site_target.push('#');
        site_target.push_str(fragment);
    }
    absolute_url(base_url, &site_target)
        .map(|u| escape_attr(&u))
        .unwrap_or_else(|| "#".to_string())
}

const PLACEHOLDER_ORIGIN: &str = "https://paquet.invalid/";

/// A relative path of the package as an `href`: each segment percent-encoded.
fn encoded_path(path: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    path.split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

fn escape_attr(value: &str) -> String {
    let mut out = String::new();
    let _ = pulldown_cmark_escape::escape_href(&mut out, value);
    out
}

/// The zip: the manifest first (some importers look for it there), then the files by path.
fn zip_bytes(manifest: &str, files: &BTreeMap<String, Vec<u8>>) -> zip::result::ZipResult<Vec<u8>> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(MANIFEST, options)?;
    zip.write_all(manifest.as_bytes())?;
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> Vec<String> {
        vec!["fiche.pdf".to_string(), "images/schema.png".to_string()]
    }

    #[test]
    fn bundle_links_stay_site_links_become_absolute() {
        let html = r##"<p><a href="../../scenarios/mon-scenario/fiche.pdf">f</a> <img src="images/schema.png" alt="s"> <a href="../autre/#x">a</a> <a href="https://ex.fr/">e</a> <a href="#ancre">n</a></p>"##;
        let out = rewrite_links(
            html,
            "mon-scenario",
            &bundle(),
            "https://exemple.fr/vitrine/",
        )
        .expect("rewrite");
        assert!(out.contains(r#"href="fiche.pdf""#), "{out}");
        assert!(out.contains(r#"src="images/schema.png""#), "{out}");
        assert!(
            out.contains(r#"href="https://exemple.fr/vitrine/scenarios/autre/#x""#),
            "{out}"
        );
        assert!(out.contains(r#"href="https://ex.fr/""#), "{out}");
        assert!(out.contains(r##"href="#ancre""##), "{out}");
    }

    #[test]
    fn offline_links_become_the_web_address_of_the_page() {
        let html = r#"<a href="../autre/index.html#x">a</a> <a href="../../index.html">h</a>"#;
        let out = rewrite_links(html, "s", &bundle(), "https://exemple.fr/v/").expect("rewrite");
        assert!(
            out.contains(r#"href="https://exemple.fr/v/scenarios/autre/#x""#),
            "{out}"
        );
        assert!(out.contains(r#"href="https://exemple.fr/v/""#), "{out}");
    }

    #[test]
    fn site_links_without_public_address_go_nowhere() {
        let out =
            rewrite_links(r#"<a href="../autre/">a</a>"#, "s", &bundle(), "").expect("rewrite");
        assert_eq!(out, r##"<a href="#">a</a>"##);
    }

    #[test]
    fn percent_encoded_bundle_file_is_kept() {
        let bundle = vec!["fiche élève.pdf".to_string()];
        let out = rewrite_links(
            r#"<a href="fiche%20%C3%A9l%C3%A8ve.pdf">a</a>"#,
            "s",
            &bundle,
            "",
        )
        .expect("rewrite");
        assert!(out.contains("fiche%20%C3%A9l%C3%A8ve.pdf"), "{out}");
    }

    #[test]
    fn attributes_are_found_as_html_reads_them() {
        // Quoting the old string search missed, and an attribute-like text it took for one.
        let html = r#"<img src='images/schema.png' alt=s><a href=../autre/>a</a><span title='voir href="../autre/"'>t</span><source src="fiche.pdf">"#;
        let out = rewrite_links(html, "s", &bundle(), "https://exemple.fr/v/").expect("rewrite");
        assert!(out.contains(r#"src="images/schema.png""#), "{out}");
        assert!(
            out.contains(r#"href="https://exemple.fr/v/scenarios/autre/""#),
            "{out}"
        );
        assert!(out.contains(r#"title='voir href="../autre/"'"#), "{out}");
        assert!(out.contains(r#"<source src="fiche.pdf">"#), "{out}");
    }

    #[test]
    fn entities_in_links_are_kept_escaped() {
        let html = r#"<a href="../autre/?a=1&amp;b=2">a</a>"#;
        let out = rewrite_links(html, "s", &bundle(), "https://exemple.fr/v/").expect("rewrite");
        assert_eq!(
            out,
            r#"<a href="https://exemple.fr/v/scenarios/autre/?a=1&amp;b=2">a</a>"#
        );
    }

    #[test]
    fn weblink_is_escaped_xml() {
        let xml = weblink("A & <b>", "https://ex.fr/?a=1&b=2");
        assert!(xml.contains("<title>A &amp; &lt;b&gt;</title>"), "{xml}");
        assert!(
            xml.contains(r#"href="https://ex.fr/?a=1&amp;b=2""#),
            "{xml}"
        );
        assert!(xml.contains(NS_WEBLINK), "{xml}");
    }

    #[test]
    fn zip_is_deterministic_and_manifest_first() {
        let mut files = BTreeMap::new();
        files.insert("b/x.txt".to_string(), b"x".to_vec());
        files.insert("a/y.txt".to_string(), b"y".to_vec());
        let one = zip_bytes("<m/>", &files).expect("zip");
        let two = zip_bytes("<m/>", &files).expect("zip");
        assert_eq!(one, two);
        let archive = zip::ZipArchive::new(Cursor::new(one)).expect("read");
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.expect("name").into_owned())
            .collect();
        assert_eq!(names, [MANIFEST, "a/y.txt", "b/x.txt"]);
    }

    #[test]
    fn selection_by_facets_and_by_slugs() {
        use crate::content::SiteContent;
        let mut a = Scenario::example("a");
        a.meta.niveaux = vec!["6e".to_string()];
        let b = Scenario::example("b");
        let mut draft = Scenario::example("c");
        draft.meta.brouillon = true;
        let content = SiteContent::with_scenarios(vec![a, b, draft]);
        let vocabs = crate::vocab::Vocabularies::builtin().expect("vocabularies");
        let config = crate::config::Config::parse("titre: Vitrine\n").expect("config");
        let input = BuildInput::bare(&config, &vocabs, &content);
        let slugs = |v: Vec<&Scenario>| v.iter().map(|s| s.slug.clone()).collect::<Vec<_>>();
        let level = [(Facet::Levels, vec!["5e".to_string()])];
        assert_eq!(slugs(select(&input, &[], &level).expect("select")), ["b"]);
        let named = ["b".to_string(), "a".to_string()];
        assert_eq!(
            slugs(select(&input, &named, &[]).expect("select")),
            ["b", "a"]
        );
        let draft = select(&input, &["c".to_string()], &[])
            .map(|_| ())
            .unwrap_err();
        assert!(draft.contains("« c »"), "{draft}");
    }
}
