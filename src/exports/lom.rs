//! ScoLOMFR 3.1 (LOM) records: one `scenarios/<slug>/lom.xml` per published scenario, for
//! resource banks such as Edubase and for the OAI-PMH repository (`exports::oai`).
//!
//! A record describes the scenario page by its absolute address, so records are only written
//! when the site declares its public address (`base_url`). Vocabulary values carry the
//! ScoLOMFR concept URIs of `src/vocab/data`; values without a URI (académies, SNT…) are left
//! out of the controlled elements. The layout follows the official example record of the
//! ScoLOMFR 3.1 package and validates against its XSD (`tests/exports_lom.rs`).

use std::borrow::Cow;

use chrono::NaiveDate;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Auteur, Scenario};
use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::publish::describe::{last_change, published};
use crate::publish::urls;
use crate::publish::urls::{absolute_url, has_base_url};
use crate::publish::wording::licence;
use crate::publish::{BuildInput, FileSink, OutputFile};
use crate::vocab::{Entry, VocabName, Vocabularies};

/// File name of the record, beside the scenario page.
pub const FILE_NAME: &str = "lom.xml";

pub const NS_LOM: &str = "http://ltsc.ieee.org/xsd/LOM";
pub const NS_LOMFR: &str = "http://www.lom-fr.fr/xsd/LOMFR";
pub const NS_SCOLOMFR: &str = "http://www.lom-fr.fr/xsd/SCOLOMFR";
const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// French, as ScoLOMFR 3.1 writes languages (ISO 639-2 URI of vocabulary 001).
const FRENCH: &str = "http://id.loc.gov/vocabulary/iso639-2/fre";
const SOURCE: &str = "SCOLOMFRv3.1";
const CONCEPT: &str = "http://data.education.fr/voc/scolomfr/concept/";

/// Site path of the record of a scenario.
pub fn path(slug: &str) -> String {
    urls::scenario_file(slug, FILE_NAME)
}

/// Hands the record of every published scenario (nothing without `base_url`) to `sink` as
/// soon as it is written, in parallel: a national site has a hundred thousand of them, too
/// many to hold at once. Returns how many.
pub fn write_to(input: &BuildInput, sink: &FileSink) -> Result<usize, Vec<Diagnostic>> {
    if !has_base_url(input.config) {
        return Ok(0);
    }
    let scenarios: Vec<&Scenario> = published(input).collect();
    let mut problems: Vec<Diagnostic> = scenarios
        .par_iter()
        .filter_map(|scenario| record_file(input, scenario).and_then(sink).err())
        .collect();
    if problems.is_empty() {
        Ok(scenarios.len())
    } else {
        crate::diagnostics::sort(&mut problems);
        Err(problems)
    }
}

fn record_file(input: &BuildInput, scenario: &Scenario) -> Result<OutputFile, Diagnostic> {
    if scenario
        .bundle_files
        .iter()
        .any(|f| f.to_str() == Some(FILE_NAME))
    {
        return Err(Diagnostic::new(
            ErrorKind::InvalidValue,
            &scenario.source,
            format!(
                "le dossier du scénario contient un fichier « {FILE_NAME} », nom réservé à la fiche ScoLOMFR publiée à côté de la page : renommez-le"
            ),
        )
        .field("fichier"));
    }
    let mut w = XmlWriter::new();
    write_record(&mut w, input.config, input.vocabs, scenario, true);
    Ok(OutputFile {
        path: path(&scenario.slug),
        contents: w.finish().into_bytes(),
    })
}

/// Writes the `<lom:lom>` element of a scenario. `schema_location` adds `xsi:schemaLocation`
/// (standalone files; the OAI repository declares its schemas itself).
pub fn write_record(
    w: &mut XmlWriter,
    config: &Config,
    vocabs: &Vocabularies,
    scenario: &Scenario,
    schema_location: bool,
) {
    let meta = &scenario.meta;
    let page = urls::scenario(&scenario.slug);
    let url = absolute_url(&config.base_url, &page).unwrap_or(page);
    let mut attrs = vec![
        ("xmlns:lom", NS_LOM),
        ("xmlns:lomfr", NS_LOMFR),
        ("xmlns:scolomfr", NS_SCOLOMFR),
        ("xmlns:xsi", NS_XSI),
    ];
    let location = format!("{NS_SCOLOMFR} scolomfr.xsd");
    if schema_location {
        attrs.push(("xsi:schemaLocation", &location));
    }
    w.open("lom:lom", &attrs);

    // 1. General
    w.open("lom:general", &[]);
    identifier(w, &url);
    lang_string(w, "lom:title", &meta.titre);
    w.element("lom:language", &[], FRENCH);
    if !meta.resume.trim().is_empty() {
        lang_string(w, "lom:description", &meta.resume);
    }
    for keyword in meta.mots_cles.iter().filter(|k| !k.trim().is_empty()) {
        lang_string(w, "lom:keyword", keyword);
    }
    w.open("lomfr:documentType", &[]);
    w.element("lomfr:label", &[], "texte");
    w.element("lomfr:value", &[], "http://purl.org/dc/dcmitype/Text");
    w.close();
    w.close();

    // 2. Life cycle: the authors, then the publisher of the site.
    let authors: Vec<&Auteur> = meta
        .auteurs
        .iter()
        .filter(|a| !a.nom.trim().is_empty())
        .collect();
    let editeur = config.editeur.as_ref().filter(|e| !e.nom.trim().is_empty());
    if !authors.is_empty() || editeur.is_some() {
        w.open("lom:lifeCycle", &[]);
        if !authors.is_empty() {
            w.open("lom:contribute", &[]);
            vocab_value(w, "lom:role", "auteur", &concept("author"));
            for author in &authors {
                w.element("lom:entity", &[], &author_vcard(author));
            }
            date(w, meta.date);
            w.close();
        }
        if let Some(editeur) = editeur {
            w.open("lom:contribute", &[]);
            vocab_value(w, "lom:role", "éditeur", &concept("publisher"));
            w.element(
                "lom:entity",
                &[],
                &org_vcard(&editeur.nom, editeur.url.as_deref()),
            );
            date(w, meta.date);
            w.close();
        }
        w.close();
    }

    // 3. Meta-metadata: who wrote this record (the site), when (last change of the scenario).
    w.open("lom:metaMetadata", &[]);
    identifier(
        w,
        &absolute_url(&config.base_url, &path(&scenario.slug)).unwrap_or_default(),
    );
    w.open("lom:contribute", &[]);
    vocab_value(w, "lom:role", "créateur", &concept("creator"));
    let publisher = config
        .editeur
        .as_ref()
        .map(|e| e.nom.as_str())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(&config.titre);
    w.element(
        "lom:entity",
        &[],
        &org_vcard(
            publisher,
            config.editeur.as_ref().and_then(|e| e.url.as_deref()),
        ),
    );
    date(w, last_change(scenario));
    w.close();
    w.element("lom:metadataSchema", &[], "LOMv1.0");
    w.element("lom:metadataSchema", &[], "LOMFRv1.0");
    w.element("lom:metadataSchema", &[], "ScoLOMFRv3.1");
    w.element("lom:language", &[], FRENCH);
    w.close();

    // 4. Technical: an HTML page at its address.
    w.open("lom:technical", &[]);
    w.element(
        "lom:format",
        &[],
        "http://purl.org/NET/mediatypes/text/html",
    );
    w.element("lom:location", &[], &url);
    w.close();

    // 5. Educational
    w.open("lom:educational", &[]);
    for entry in entries(vocabs, VocabName::Types, &meta.types) {
        if let Some(uri) = &entry.uri {
            vocab_value(w, "lom:learningResourceType", &entry.libelle, uri);
        }
    }
    vocab_value(
        w,
        "lom:intendedEndUserRole",
        "enseignant",
        &concept("teacher"),
    );
    for (label, uri) in contexts(meta.niveaux.as_slice(), meta.cycles.as_slice()) {
        vocab_value(w, "lom:context", label, uri);
    }
    if let Some(duree) = &meta.duree {
        w.open("lom:typicalLearningTime", &[]);
        w.element("lom:duration", &[], &duree.iso);
        if !duree.affichage.trim().is_empty() {
            lang_string(w, "lom:description", &duree.affichage);
        }
        w.close();
    }
    w.element("lom:language", &[], FRENCH);
    for entry in entries(vocabs, VocabName::Modes, &meta.modalites) {
        if let Some(uri) = &entry.uri {
            w.open("scolomfr:educationalMethod", &[]);
            w.element("scolomfr:label", &[], &entry.libelle);
            w.element("scolomfr:value", &[], uri);
            w.close();
        }
    }
    w.close();

    // 6. Rights: free of charge, under the scenario's licence.
    w.open("lom:rights", &[]);
    vocab_value(w, "lom:cost", "gratuit", &concept("no"));
    vocab_value(
        w,
        "lom:copyrightAndOtherRestrictions",
        "oui",
        &concept("yes_2"),
    );
    lang_string(w, "lom:description", &licence_text(&meta.licence));
    w.close();

    // 9. Classification: disciplines (domaine d'enseignement), niveaux and cycles (niveau
    // éducatif détaillé). Each value is its own one-taxon path.
    let classes = Classes::of(vocabs, scenario);
    if !classes.disciplines.is_empty() {
        classification(
            w,
            (
                "domaine d'enseignement",
                &concept("scolomfr-voc-028-num-003"),
            ),
            "SCOLOMFRv3.1 ; scolomfr-voc-015 ; Domaine d'enseignement",
            &classes.disciplines,
        );
    }
    if !classes.levels.is_empty() {
        classification(
            w,
            ("niveau éducatif détaillé", &concept("educational_level")),
            "SCOLOMFRv3.1 ; scolomfr-voc-022 ; Niveau éducatif détaillé",
            &classes.levels,
        );
    }
    w.close();
}

/// What a scenario is classified by, as ScoLOMFR concepts: the entries of its disciplines
/// (vocabulary 015, domaine d'enseignement), and of its niveaux then cycles (vocabulary 022,
/// niveau éducatif détaillé), in the scenario's order. Values without a concept URI are left
/// out. The ScoLOMFR records and the LOM of the Moodle packages both state these.
pub(crate) struct Classes<'a> {
    pub disciplines: Vec<&'a Entry>,
    pub levels: Vec<&'a Entry>,
}

impl<'a> Classes<'a> {
    pub fn of(vocabs: &'a Vocabularies, scenario: &'a Scenario) -> Classes<'a> {
        let meta = &scenario.meta;
        Classes {
            disciplines: entries(vocabs, VocabName::Subjects, &meta.disciplines)
                .filter(|e| e.uri.is_some())
                .collect(),
            levels: entries(vocabs, VocabName::Levels, &meta.niveaux)
                .chain(entries(vocabs, VocabName::Cycles, &meta.cycles))
                .filter(|e| e.uri.is_some())
                .collect(),
        }
    }
}

fn concept(name: &str) -> String {
    format!("{CONCEPT}{name}")
}

/// The vocabulary entries of keys, in the scenario's order, unknown keys skipped.
fn entries<'a>(
    vocabs: &'a Vocabularies,
    name: VocabName,
    keys: &'a [String],
) -> impl Iterator<Item = &'a Entry> {
    let vocab = vocabs.get(name);
    keys.iter().filter_map(move |k| vocab.get(k))
}

/// Levels of the primary school (the rest of the built-in levels are secondary).
const PRIMARY_LEVELS: &[&str] = &["tps", "ps", "ms", "gs", "cp", "ce1", "ce2", "cm1", "cm2"];
const SECONDARY_LEVELS: &[&str] = &[
    "6e", "5e", "4e", "3e", "2de", "1re", "tle", "cap", "2de-pro", "1re-pro", "tle-pro",
];

/// 5.6 context (vocabulary 012): enseignement primaire and/or secondaire, from the levels, or
/// from the cycles when no level is known (cycle 3 spans both).
fn contexts(niveaux: &[String], cycles: &[String]) -> Vec<(&'static str, &'static str)> {
    const PRIMARY: (&str, &str) = (
        "enseignement primaire",
        "http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-012-num-002",
    );
    const SECONDARY: (&str, &str) = (
        "enseignement secondaire",
        "http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-012-num-003",
    );
    let has = |keys: &[String], set: &[&str]| keys.iter().any(|k| set.contains(&k.as_str()));
    let (primary, secondary) = if has(niveaux, PRIMARY_LEVELS) || has(niveaux, SECONDARY_LEVELS) {
        (has(niveaux, PRIMARY_LEVELS), has(niveaux, SECONDARY_LEVELS))
    } else {
        (
            has(cycles, &["cycle-1", "cycle-2", "cycle-3"]),
            has(cycles, &["cycle-3", "cycle-4", "lycee", "lycee-pro"]),
        )
    };
    let mut out = Vec::new();
    if primary {
        out.push(PRIMARY);
    }
    if secondary {
        out.push(SECONDARY);
    }
    out
}

fn classification(w: &mut XmlWriter, purpose: (&str, &str), source: &str, values: &[&Entry]) {
    w.open("lom:classification", &[]);
    vocab_value(w, "lom:purpose", purpose.0, purpose.1);
    for entry in values {
        let Some(uri) = &entry.uri else { continue };
        w.open("lom:taxonPath", &[]);
        w.open("lom:source", &[]);
        w.element("lom:string", &[("language", FRENCH)], source);
        w.close();
        w.open("lom:taxon", &[]);
        w.element("lom:id", &[], uri);
        w.open("lom:entry", &[]);
        w.element("lom:string", &[("language", FRENCH)], &entry.libelle);
        w.close();
        w.close();
        w.close();
    }
    w.close();
}

fn identifier(w: &mut XmlWriter, url: &str) {
    w.open("lom:identifier", &[]);
    w.element("lom:catalog", &[], "URL");
    w.element("lom:entry", &[], url);
    w.close();
}

fn lang_string(w: &mut XmlWriter, name: &str, text: &str) {
    w.open(name, &[]);
    w.element("lom:string", &[("language", FRENCH)], text);
    w.close();
}

/// A LOM vocabulary element: source, label and the concept URI as value.
fn vocab_value(w: &mut XmlWriter, name: &str, label: &str, uri: &str) {
    w.open(name, &[]);
    w.element("lom:source", &[], SOURCE);
    w.element("lom:label", &[], label);
    w.element("lom:value", &[], uri);
    w.close();
}

fn date(w: &mut XmlWriter, date: NaiveDate) {
    w.open("lom:date", &[]);
    w.element("lom:dateTime", &[], &date.format("%Y-%m-%d").to_string());
    w.close();
}

/// French description of a licence: its name and address.
pub fn licence_text(id: &str) -> String {
    let (name, url) = licence(id);
    match url {
        Some(url) => format!("Licence : {name} ({url})"),
        None => format!("Licence : {name}"),
    }
}

/// Escapes a vCard 3.0 text value (RFC 2426 §4): backslash, comma, semicolon, line breaks.
fn vcard_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.trim().chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// vCard of an author. The name is written whole as the family name of `N` (the content
/// model does not split it).
pub(crate) fn author_vcard(author: &Auteur) -> String {
    let name = vcard_text(&author.nom);
    let mut card = format!("BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nN:{name};;;;\n");
    if let Some(title) = author.fonction.as_deref().filter(|t| !t.trim().is_empty()) {
        card.push_str(&format!("TITLE:{}\n", vcard_text(title)));
    }
    if let Some(org) = author
        .etablissement
        .as_deref()
        .filter(|o| !o.trim().is_empty())
    {
        card.push_str(&format!("ORG:{}\n", vcard_text(org)));
    }
    card.push_str("END:VCARD");
    card
}

/// vCard of an organisation (the publisher of the site).
fn org_vcard(name: &str, url: Option<&str>) -> String {
    let name = vcard_text(name);
    let mut card = format!("BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nN:;;;;\nORG:{name}\n");
    if let Some(url) = url.filter(|u| !u.trim().is_empty()) {
        card.push_str(&format!("URL:{}\n", vcard_text(url)));
    }
    card.push_str("END:VCARD");
    card
}

// ---------------------------------------------------------------------------------------------
// The XML of the records and of the OAI repository: quick-xml writes and escapes; this facade
// keeps the open elements so that the record code reads as the document it writes.

/// Indented XML, one element per line, written by quick-xml. Element names come from this
/// code; every text and attribute value is escaped (`&`, `<`, `>`, `"`, `'`) after
/// [`xml_chars`].
pub struct XmlWriter {
    writer: Writer<Vec<u8>>,
    stack: Vec<String>,
}

impl Default for XmlWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl XmlWriter {
    /// A document starting with the XML declaration.
    pub fn new() -> XmlWriter {
        let mut w = XmlWriter {
            writer: Writer::new_with_indent(Vec::new(), b' ', 2),
            stack: Vec::new(),
        };
        w.write(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        w
    }

    /// Writing into a `Vec` cannot fail: the `io::Result` is only there for other sinks.
    fn write(&mut self, event: Event) {
        let _ = self.writer.write_event(event);
    }

    fn start_tag<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attrs {
            start.push_attribute((*key, xml_chars(value).as_ref()));
        }
        start
    }

    /// Opens an element whose children follow.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.write(Event::Start(Self::start_tag(name, attrs)));
        self.stack.push(name.to_string());
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) {
        if let Some(name) = self.stack.pop() {
            self.write(Event::End(BytesEnd::new(name)));
        }
    }

    /// An element holding text only.
    pub fn element(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.write(Event::Start(Self::start_tag(name, attrs)));
        self.write(Event::Text(BytesText::new(&xml_chars(text))));
        self.write(Event::End(BytesEnd::new(name)));
    }

    /// The document, every open element closed, ending with a line break.
    pub fn finish(mut self) -> String {
        while !self.stack.is_empty() {
            self.close();
        }
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        // Only `&str` went in: the bytes are UTF-8.
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// What XML 1.0 can carry of `text`, before escaping: line breaks written as `\n` (a parser
/// would turn a raw `\r` into one anyway), and the characters it forbids dropped (control
/// characters other than tab and line feed, U+FFFE, U+FFFF), which quick-xml leaves alone.
fn xml_chars(text: &str) -> Cow<'_, str> {
    let allowed =
        |c: char| matches!(c, '\t' | '\n') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}');
    if text.chars().all(allowed) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() != Some(&'\n') => out.push('\n'),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::PathBuf;

    use super::*;

    /// Parses the document with quick-xml and returns the text of every `name` element.
    pub(crate) fn texts_of(xml: &str, name: &str) -> Vec<String> {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut inside = false;
        let mut found = Vec::new();
        let mut current = String::new();
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) if e.name().as_ref() == name.as_bytes() => {
                    inside = true;
                    current.clear();
                }
                Ok(Event::Text(t)) if inside => {
                    current.push_str(t.decode().expect("decode").as_ref());
                }
                Ok(Event::GeneralRef(r)) if inside => {
                    let name = r.decode().expect("decode").to_string();
                    let c = match name.as_str() {
                        "amp" => "&".to_string(),
                        "lt" => "<".to_string(),
                        "gt" => ">".to_string(),
                        "quot" => "\"".to_string(),
                        "apos" => "'".to_string(),
                        other => panic!("unexpected entity {other}"),
                    };
                    current.push_str(&c);
                }
                Ok(Event::End(e)) if e.name().as_ref() == name.as_bytes() => {
                    inside = false;
                    found.push(current.clone());
                }
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed XML: {e}\n{xml}"),
            }
        }
        found
    }

    pub(crate) fn config() -> Config {
        Config::parse("titre: Vitrine\nbase_url: https://x.fr/vitrine\n").expect("config")
    }

    fn record(s: &Scenario, config: &Config) -> String {
        let vocabs = Vocabularies::builtin().expect("vocabularies");
        let mut w = XmlWriter::new();
        write_record(&mut w, config, &vocabs, s, true);
        w.finish()
    }

    #[test]
    fn writer_escapes_markup_and_quotes() {
        let mut w = XmlWriter::new();
        w.open("a", &[("t", "<\"'&>")]);
        w.element("b", &[], "<script>&\"'</script>");
        w.element("c", &[], "");
        assert_eq!(
            w.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a t=\"&lt;&quot;&apos;&amp;&gt;\">\n  <b>&lt;script&gt;&amp;&quot;&apos;&lt;/script&gt;</b>\n  <c></c>\n</a>\n"
        );
    }

    #[test]
    fn control_characters_leave_text_and_attributes() {
        assert_eq!(
            xml_chars("a\u{0}b\u{1B}c\td\r\ne\rf\u{FFFE}"),
            "abc\td\ne\nf"
        );
        assert_eq!(xml_chars("Élève « ok »"), "Élève « ok »");
        let mut w = XmlWriter::new();
        w.element("b", &[("t", "x\u{7}y")], "Séance\u{1}\u{8} 1\r\n\u{C}fin");
        let xml = w.finish();
        assert!(xml.contains("<b t=\"xy\">Séance 1\nfin</b>"), "{xml}");
    }

    #[test]
    fn a_record_with_control_characters_stays_well_formed() {
        let mut s = Scenario::with_markup("Titre\u{1}\u{1F} propre\r");
        s.meta.resume = "Résumé\u{0}\u{B} lisible".to_string();
        let xml = record(&s, &config());
        assert_eq!(texts_of(&xml, "lom:string")[0], "Titre propre\n");
        assert!(texts_of(&xml, "lom:string").contains(&"Résumé lisible".to_string()));
    }

    #[test]
    fn hostile_titles_stay_text() {
        let title = "<script>alert(1)</script>&\"'";
        let xml = record(&Scenario::with_markup(title), &config());
        assert!(!xml.contains("<script>"));
        assert_eq!(texts_of(&xml, "lom:string")[0], title);
        assert!(texts_of(&xml, "lom:keyword").len() == 1);
        assert!(texts_of(&xml, "lom:string").contains(&"a<b".to_string()));
        let entity = &texts_of(&xml, "lom:entity")[0];
        assert!(entity.contains("FN:Anne\\; \"Dupont\"\\, <x>"), "{entity}");
        assert!(entity.contains("ORG:Collège & lycée"), "{entity}");
    }

    #[test]
    fn record_carries_addresses_and_scolomfr_uris() {
        let xml = record(&Scenario::with_markup("Titre"), &config());
        assert_eq!(
            texts_of(&xml, "lom:location"),
            ["https://x.fr/vitrine/scenarios/hostile/"]
        );
        let ids = texts_of(&xml, "lom:id");
        assert!(
            ids.contains(&concept("scolomfr-voc-015-num-919")),
            "{ids:?}"
        );
        // SNT has no concept: left out rather than invented.
        assert_eq!(ids.len(), 3, "{ids:?}");
        assert!(ids.contains(&concept("scolomfr-voc-022-num-020")));
        assert!(ids.contains(&concept("scolomfr-voc-022-num-621")));
        assert_eq!(texts_of(&xml, "lom:duration"), ["PT1H50M"]);
        let values = texts_of(&xml, "lom:value");
        assert!(values.contains(&concept("scolomfr-voc-012-num-003")));
        assert!(!values.contains(&concept("scolomfr-voc-012-num-002")));
        assert!(values.contains(&concept("scolomfr-voc-010-num-020")));
        assert!(texts_of(&xml, "lom:string")
            .iter()
            .any(|s| s.contains("creativecommons.org/licenses/by/4.0")));
    }

    #[test]
    fn empty_optional_fields_leave_no_empty_elements() {
        let mut s = Scenario::with_markup("Titre");
        s.meta.resume = String::new();
        s.meta.auteurs.clear();
        s.meta.mots_cles = vec![" ".to_string()];
        s.meta.duree = None;
        s.meta.disciplines.clear();
        s.meta.niveaux.clear();
        s.meta.cycles.clear();
        s.meta.types.clear();
        s.meta.modalites.clear();
        let xml = record(&s, &config());
        for absent in [
            "lom:keyword",
            "lom:typicalLearningTime",
            "lom:classification",
            "lom:learningResourceType",
            "lom:context",
            "scolomfr:educationalMethod",
        ] {
            assert!(texts_of(&xml, absent).is_empty(), "{absent} in\n{xml}");
        }
        // Only the licence is described (no résumé, no duration).
        assert_eq!(texts_of(&xml, "lom:description").len(), 1, "{xml}");
        // No author, no publisher: no life cycle; the record's own creator remains.
        assert!(!xml.contains("<lom:lifeCycle>"), "{xml}");
        assert_eq!(texts_of(&xml, "lom:contribute").len(), 1);
    }

    #[test]
    fn contexts_come_from_levels_then_cycles() {
        let keys = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let labels = |c: Vec<(&'static str, &'static str)>| {
            c.into_iter().map(|(l, _)| l).collect::<Vec<_>>()
        };
        assert_eq!(
            labels(contexts(&keys(&["cm2"]), &keys(&["cycle-3"]))),
            ["enseignement primaire"]
        );
        assert_eq!(
            labels(contexts(&keys(&["cm2", "6e"]), &[])),
            ["enseignement primaire", "enseignement secondaire"]
        );
        assert_eq!(
            labels(contexts(&[], &keys(&["cycle-3"]))),
            ["enseignement primaire", "enseignement secondaire"]
        );
        assert!(contexts(&keys(&["inconnu"]), &[]).is_empty());
    }

    #[test]
    fn a_bundle_file_named_lom_xml_is_an_error() {
        let mut s = Scenario::with_markup("Titre");
        s.bundle_files = vec![PathBuf::from(FILE_NAME)];
        let vocabs = Vocabularies::builtin().expect("vocabularies");
        let content = crate::content::SiteContent::with_scenarios(vec![s]);
        let config = config();
        let input = BuildInput::bare(&config, &vocabs, &content);
        let problems = crate::publish::collect_sorted(|sink| write_to(&input, sink))
            .expect_err("reserved name");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("lom.xml"));
    }

    #[test]
    fn vcard_values_are_escaped() {
        assert_eq!(vcard_text(" a,b;c\\d\r\ne "), "a\\,b\\;c\\\\d\\ne");
    }
}
