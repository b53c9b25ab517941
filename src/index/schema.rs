//! Schema of the index: field names, options and boosts, and conversion of an [`IndexDoc`].

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::TantivyDocument;

use super::{date_time, IndexDoc, IndexError, ANALYZER_NAME};
use crate::content::Facet;

pub const SLUG: &str = "slug";
pub const TITRE: &str = "titre";
pub const RESUME: &str = "resume";
pub const BODY: &str = "body";
pub const MOTS_CLES: &str = "mots_cles";
pub const OUTILS: &str = "outils";
pub const AUTEURS: &str = "auteurs";
/// Labels and aliases of the vocabulary values of a scenario (see `metadata`).
pub const METADONNEES: &str = "metadonnees";
pub const DATE: &str = "date";
pub const DUREE_MINUTES: &str = "duree_minutes";

/// BM25 multiplier of each text field: a word in the title says more than a word in the body.
/// Metadata (« Lyon », « Sixième ») weighs more than the body, which may mention a level or
/// a discipline in passing, and less than the title, keywords and summary, which say what the
/// scenario is about: a title match still ranks first.
pub const FIELD_BOOSTS: &[(&str, f32)] = &[
    (TITRE, 4.0),
    (MOTS_CLES, 3.0),
    (RESUME, 2.0),
    (OUTILS, 2.0),
    (METADONNEES, 1.5),
    (AUTEURS, 1.0),
    (BODY, 1.0),
];

/// Name of the keyword field holding the value keys of `facet` (`facet_disciplines`…).
pub fn facet_field_name(facet: Facet) -> &'static str {
    match facet {
        Facet::Subjects => "facet_disciplines",
        Facet::Levels => "facet_niveaux",
        Facet::Cycles => "facet_cycles",
        Facet::Academies => "facet_academies",
        Facet::Types => "facet_types",
        Facet::Modes => "facet_modalites",
        Facet::DigitalSkills => "facet_competences_numeriques",
        Facet::Tools => "facet_outils",
    }
}

/// Handles on the fields of the schema.
#[derive(Debug, Clone)]
pub(super) struct Fields {
    pub slug: Field,
    pub titre: Field,
    pub resume: Field,
    pub body: Field,
    pub mots_cles: Field,
    pub outils: Field,
    pub auteurs: Field,
    pub metadonnees: Field,
    pub date: Field,
    pub duree_minutes: Field,
    /// In the order of [`Facet::ALL`].
    facets: Vec<(Facet, Field)>,
}

/// Text analysed in French, with term frequencies (BM25) but without positions: no query of
/// vitrine looks for words next to each other (every word is required, anywhere), snippets
/// are cut from the stored text. Recording positions took a quarter of the indexing time and
/// 15 % of the index size (10,000 generated scenarios). A phrase query would need them back.
fn french_text(stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(ANALYZER_NAME)
        .set_index_option(IndexRecordOption::WithFreqs);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

pub(super) fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    builder.add_text_field(SLUG, STRING | STORED | FAST);
    builder.add_text_field(TITRE, french_text(true));
    builder.add_text_field(RESUME, french_text(true));
    builder.add_text_field(BODY, french_text(true));
    builder.add_text_field(MOTS_CLES, french_text(true));
    builder.add_text_field(OUTILS, french_text(true));
    builder.add_text_field(AUTEURS, french_text(true));
    // Not stored: the words are the vocabulary's, never shown in an excerpt.
    builder.add_text_field(METADONNEES, french_text(false));
    for facet in Facet::ALL {
        builder.add_text_field(facet_field_name(facet), STRING | STORED);
    }
    builder.add_date_field(DATE, INDEXED | STORED | FAST);
    builder.add_u64_field(DUREE_MINUTES, INDEXED | STORED | FAST);
    let schema = builder.build();
    let fields = Fields::from_schema(&schema).expect("the schema just built has every field");
    (schema, fields)
}

impl Fields {
    pub fn from_schema(schema: &Schema) -> Result<Fields, IndexError> {
        let field = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| IndexError::MissingField(name.to_string()))
        };
        let mut facets = Vec::with_capacity(Facet::ALL.len());
        for facet in Facet::ALL {
            facets.push((facet, field(facet_field_name(facet))?));
        }
        Ok(Fields {
            slug: field(SLUG)?,
            titre: field(TITRE)?,
            resume: field(RESUME)?,
            body: field(BODY)?,
            mots_cles: field(MOTS_CLES)?,
            outils: field(OUTILS)?,
            auteurs: field(AUTEURS)?,
            metadonnees: field(METADONNEES)?,
            date: field(DATE)?,
            duree_minutes: field(DUREE_MINUTES)?,
            facets,
        })
    }

    pub fn facet(&self, facet: Facet) -> Field {
        self.facets
            .iter()
            .find(|(candidate, _)| *candidate == facet)
            .map(|(_, field)| *field)
            .expect("every facet has a field")
    }

    pub fn by_name(&self, name: &str) -> Option<Field> {
        match name {
            TITRE => Some(self.titre),
            RESUME => Some(self.resume),
            BODY => Some(self.body),
            MOTS_CLES => Some(self.mots_cles),
            OUTILS => Some(self.outils),
            AUTEURS => Some(self.auteurs),
            METADONNEES => Some(self.metadonnees),
            _ => None,
        }
    }

    /// The text fields searched by a query, with their boost.
    pub fn boosted_text(&self) -> Vec<(Field, f32)> {
        FIELD_BOOSTS
            .iter()
            .filter_map(|(name, boost)| self.by_name(name).map(|field| (field, *boost)))
            .collect()
    }

    pub fn document(&self, doc: &IndexDoc) -> TantivyDocument {
        let mut document = TantivyDocument::default();
        document.add_text(self.slug, &doc.slug);
        document.add_text(self.titre, &doc.titre);
        document.add_text(self.resume, &doc.resume);
        document.add_text(self.body, &doc.body);
        for value in &doc.mots_cles {
            document.add_text(self.mots_cles, value);
        }
        for value in &doc.outils {
            document.add_text(self.outils, value);
        }
        for value in &doc.auteurs {
            document.add_text(self.auteurs, value);
        }
        if !doc.metadonnees.is_empty() {
            document.add_text(self.metadonnees, doc.metadonnees.join(" "));
        }
        for (facet, key) in &doc.facets {
            document.add_text(self.facet(*facet), key);
        }
        document.add_date(self.date, date_time(doc.date));
        if let Some(minutes) = doc.duree_minutes {
            document.add_u64(self.duree_minutes, u64::from(minutes));
        }
        document
    }

    /// The first value of a text field of a stored document (empty if none).
    pub fn text(&self, doc: &TantivyDocument, field: Field) -> String {
        doc.get_first(field)
            .and_then(|value| value.as_str())
            .unwrap_or_default()
            .to_string()
    }
}
