//! Search index (placeholder with the final API until the index module lands).

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::Facet;

pub struct IndexDoc {
    pub slug: String,
    pub titre: String,
    pub resume: String,
    pub body: String,
    pub mots_cles: Vec<String>,
    pub outils: Vec<String>,
    pub auteurs: Vec<String>,
    pub facets: Vec<(Facet, String)>,
    pub date: chrono::NaiveDate,
    pub duree_minutes: Option<u32>,
}

pub struct Query {
    pub text: String,
    pub filters: Vec<(Facet, String)>,
    pub limit: usize,
}

#[derive(Debug, serde::Serialize)]
pub struct Hit {
    pub slug: String,
    pub titre: String,
    pub score: f32,
    pub snippet_html: String,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("index indisponible")]
    Unavailable,
}

pub struct SearchIndex {
    slugs: Vec<String>,
}

impl SearchIndex {
    pub fn build(_dir: &Path, docs: &[IndexDoc]) -> Result<SearchIndex, IndexError> {
        Ok(SearchIndex {
            slugs: docs.iter().map(|d| d.slug.clone()).collect(),
        })
    }
    pub fn open(_dir: &Path) -> Result<SearchIndex, IndexError> {
        Err(IndexError::Unavailable)
    }
    pub fn search(&self, _query: &Query) -> Result<Vec<Hit>, IndexError> {
        Ok(Vec::new())
    }
    pub fn related(&self, _n: usize) -> Result<BTreeMap<String, Vec<String>>, IndexError> {
        Ok(self.slugs.iter().map(|s| (s.clone(), Vec::new())).collect())
    }
    pub fn doc_count(&self) -> u64 {
        self.slugs.len() as u64
    }
}
