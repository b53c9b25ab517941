//! The tantivy index of all scenarios: full-text search, facet filters and related scenarios.
//!
//! The index only knows [`IndexDoc`]s, built by `site` from validated scenarios, so that it does
//! not depend on rendering. Every text field uses the French analyser of [`analyzer`], registered
//! under [`ANALYZER_NAME`].
//!
//! Facet values are indexed verbatim (raw tokenizer) in one field per facet, named by
//! [`facet_field_name`], so that a filter is a plain term and the term dictionary of that field
//! lists the facet values.

pub mod analyzer;
mod expand;
mod metadata;
mod postings;
mod related;

pub use related::{Memo, Memos, PreviousRelated, Related, RelatedLists};
mod schema;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::index::{SegmentComponent, SegmentId};
use tantivy::merge_policy::NoMergePolicy;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query as TantivyQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DateTime, Directory, DocAddress, Index, IndexWriter, ReloadPolicy, Searcher, Segment,
    TantivyDocument, Term,
};

use crate::content::Facet;

pub use analyzer::{analyze, analyze_words, french_analyzer, Word, ANALYZER_NAME};
pub use expand::{PREFIX_EXACT_MAX_DOCS, PREFIX_MAX_TERMS, PREFIX_MIN_CHARS, TYPO_MIN_CHARS};
pub use metadata::MetadataWords;
pub use postings::{Bodies, ExportedTerm};
pub use schema::{facet_field_name, FIELD_BOOSTS};

use schema::Fields;

/// Memory budget of the (single-threaded) index writer.
const WRITER_MEMORY_BYTES: usize = 50_000_000;

/// Maximum length of a snippet, in bytes of UTF-8 (tantivy counts bytes), also the browser's.
pub const SNIPPET_CHARS: usize = 180;

/// Approximate results (all words but one) are looked for when the query has at least two
/// words and fewer results than this.
pub const APPROXIMATE_BELOW: usize = 3;
/// At most this many approximate results.
pub const APPROXIMATE_MAX: usize = 10;

/// One scenario as the index sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexDoc {
    pub slug: String,
    pub titre: String,
    pub resume: String,
    /// Plain text of the rendered body.
    pub body: String,
    pub mots_cles: Vec<String>,
    /// Tool names as written by the author.
    pub outils: Vec<String>,
    /// Author names.
    pub auteurs: Vec<String>,
    /// Labels and aliases of the scenario's vocabulary values, one word per term
    /// ([`MetadataWords`]).
    pub metadonnees: Vec<String>,
    /// `(facet, value key)`, e.g. `(Facet::Subjects, "mathematiques")`.
    pub facets: Vec<(Facet, String)>,
    pub date: NaiveDate,
    pub duree_minutes: Option<u32>,
}

/// A search: free text (never interpreted as query syntax) and facet filters.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub text: String,
    /// OR between values of the same facet, AND across facets.
    pub filters: Vec<(Facet, String)>,
    pub limit: usize,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub slug: String,
    pub titre: String,
    /// BM25 score; 0 when browsing without text.
    pub score: f32,
    /// HTML excerpt, escaped, with the matched words in `<mark>`.
    pub snippet_html: String,
}

/// A document matching every word of the query but one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Approximate {
    pub hit: Hit,
    /// The missing word, as typed.
    pub manquant: String,
}

/// The answer to a query: the first results, how many match, and approximate results.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Results {
    /// At most `Query::limit` results.
    pub hits: Vec<Hit>,
    /// Number of documents matching the query (every word, and the filters).
    pub total: usize,
    /// When fewer than [`APPROXIMATE_BELOW`] documents match a query of two words or more:
    /// documents matching all words but one, at most [`APPROXIMATE_MAX`].
    pub approchants: Vec<Approximate>,
}

/// One matching document: its rank tier (0 when it holds every word's own term, 1 when it
/// needs a prefix or typo expansion), its score and address.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    tier: u8,
    score: f32,
    address: DocAddress,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("impossible de préparer le dossier de l’index « {path} » : {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("impossible d’ouvrir l’index de recherche « {path} » : {source}")]
    Open {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("l’index de recherche n’a pas le champ « {0} » : reconstruisez le site")]
    MissingField(String),
    #[error("lecture de l’index de recherche impossible : {0}")]
    Read(#[from] std::io::Error),
    #[error("erreur du moteur de recherche : {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The parts index is not in the state its record describes (the build rebuilds it).
    #[error("parties de l’index inutilisables : {0}")]
    Parts(&'static str),
}

/// What search and related need of each document without reading the document store.
#[derive(Debug, Clone)]
struct DocMeta {
    slug: String,
    date: i64,
}

/// An opened index and a fixed view (searcher) on it.
pub struct SearchIndex {
    searcher: Searcher,
    fields: Fields,
    docs: HashMap<DocAddress, DocMeta>,
}

impl SearchIndex {
    /// Builds a fresh index in `dir` (deleting any previous content of `dir`), from `docs`.
    ///
    /// Documents are added in slug order by a single writer thread, and merged into one segment,
    /// so that scores and related scenarios do not depend on the order of `docs`.
    pub fn build(dir: &Path, docs: &[IndexDoc]) -> Result<SearchIndex, IndexError> {
        let mut sorted: Vec<&IndexDoc> = docs.iter().collect();
        sorted.sort_by(|a, b| a.slug.cmp(&b.slug));
        SearchIndex::build_sorted(dir, sorted.into_iter().cloned())
    }

    /// [`SearchIndex::build`] from documents given in slug order, one at a time: a large
    /// site never holds the plain text of all its documents twice.
    pub fn build_sorted(
        dir: &Path,
        docs: impl Iterator<Item = IndexDoc>,
    ) -> Result<SearchIndex, IndexError> {
        reset_dir(dir)?;
        let (tantivy_schema, fields) = schema::build_schema();
        let index =
            Index::create_in_dir(dir, tantivy_schema).map_err(|source| IndexError::Open {
                path: dir.to_path_buf(),
                source,
            })?;
        index
            .tokenizers()
            .register(ANALYZER_NAME, french_analyzer());

        // One indexing thread and no merge: documents keep their order, so the index (and the
        // search bundle exported from it) is the same on every build.
        let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for doc in docs {
            writer.add_document(fields.document(&doc))?;
        }
        writer.commit()?;
        let segment_ids = index.searchable_segment_ids()?;
        if segment_ids.len() > 1 {
            writer.merge(&segment_ids).wait()?;
        }
        writer.wait_merging_threads()?;
        SearchIndex::from_index(index, fields)
    }

    /// Builds the parts index in `parts_dir` from `parts` (each in slug order, parts in slug
    /// order; previous content of `parts_dir` deleted), then the index of the site in `dir`,
    /// made of its segments (see [`SearchIndex::update_parts`]). Returns the index and the number of
    /// documents indexed.
    ///
    /// Each part is committed alone, so that it is a segment of its own (or several, never
    /// shared with another part): a later build replaces a part by deleting it whole. The
    /// parts index is made of [`PART_WRITERS`] tantivy indexes, each written by its own thread
    /// (parts are dealt to them in turn): on a full build the index is on the critical path.
    pub fn build_parts(
        parts_dir: &Path,
        dir: &Path,
        parts: impl Iterator<Item = Vec<IndexDoc>>,
    ) -> Result<(SearchIndex, usize), IndexError> {
        reset_dir(parts_dir)?;
        let mut indexes = Vec::with_capacity(PART_WRITERS);
        let paths = part_paths(parts_dir);
        for path in &paths {
            reset_dir(path)?;
            let (tantivy_schema, _) = schema::build_schema();
            let index =
                Index::create_in_dir(path, tantivy_schema).map_err(|source| IndexError::Open {
                    path: path.clone(),
                    source,
                })?;
            indexes.push(index);
        }
        let indexed = fill_parts(&indexes, &[], parts)?;
        Ok((link_parts(&indexes, &paths, dir)?, indexed))
    }

    /// Updates the parts index of `parts_dir` (made by [`SearchIndex::build_parts`]): deletes
    /// the documents whose slug is in `stale` (every document of the parts that changed), adds
    /// the new `parts`, and makes the index of the site in `dir` again from the parts'
    /// segments in slug order (see `link_parts`). Returns the index and the number of
    /// documents indexed.
    ///
    /// The result is the index a full build makes: its segments list the documents in slug
    /// order, and no segment has deleted documents (tantivy would then count the deleted
    /// documents in BM25's statistics, and scores would differ from a clean build's). Any
    /// other state is an error: the caller rebuilds.
    pub fn update_parts(
        parts_dir: &Path,
        dir: &Path,
        stale: &[String],
        parts: impl Iterator<Item = Vec<IndexDoc>>,
    ) -> Result<(SearchIndex, usize), IndexError> {
        let mut indexes = Vec::with_capacity(PART_WRITERS);
        let paths = part_paths(parts_dir);
        for path in &paths {
            let index = Index::open_in_dir(path).map_err(|source| IndexError::Open {
                path: path.clone(),
                source,
            })?;
            indexes.push(index);
        }
        let indexed = fill_parts(&indexes, stale, parts)?;
        Ok((link_parts(&indexes, &paths, dir)?, indexed))
    }

    /// Opens an existing index (for `vitrine search` without rebuilding).
    pub fn open(dir: &Path) -> Result<SearchIndex, IndexError> {
        let index = Index::open_in_dir(dir).map_err(|source| IndexError::Open {
            path: dir.to_path_buf(),
            source,
        })?;
        index
            .tokenizers()
            .register(ANALYZER_NAME, french_analyzer());
        let fields = Fields::from_schema(&index.schema())?;
        SearchIndex::from_index(index, fields)
    }

    fn from_index(index: Index, fields: Fields) -> Result<SearchIndex, IndexError> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let docs = load_doc_meta(&searcher)?;
        Ok(SearchIndex {
            searcher,
            fields,
            docs,
        })
    }

    pub fn doc_count(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// Runs a search and returns its first results (see [`SearchIndex::search_all`]).
    pub fn search(&self, query: &Query) -> Result<Vec<Hit>, IndexError> {
        Ok(self.search_all(query)?.hits)
    }

    /// Runs a search. Every word of the text must match (in any field): by its term, the last
    /// word also as a prefix (unless its own term is common), a long word with no match by a
    /// term one typo away (see [`expand`]). Documents holding every word's own term come
    /// first, then by score. Without words (empty text, or only stop words) the filtered
    /// scenarios are listed by date, newest first; ties in score are listed by date too.
    pub fn search_all(&self, query: &Query) -> Result<Results, IndexError> {
        if query.limit == 0 {
            return Ok(Results::default());
        }
        let words = analyze_words(&query.text);
        let word_terms = self.dictionary().expand(&words)?;
        if word_terms.is_empty() {
            return self.browse(query);
        }
        let mut ranked = self.ranked(&word_terms, &query.filters)?;
        let total = ranked.len();
        let approchants = if total < APPROXIMATE_BELOW && word_terms.len() >= 2 {
            self.approximate(&word_terms, &query.filters, &ranked)?
        } else {
            Vec::new()
        };
        ranked.truncate(query.limit);
        let highlight = self.highlight_query(&word_terms);
        Ok(Results {
            hits: self.hits(&ranked, Some(highlight.as_ref()))?,
            total,
            approchants,
        })
    }

    /// The filtered documents, newest first.
    fn browse(&self, query: &Query) -> Result<Results, IndexError> {
        let tantivy_query = self.build_query(&[], &query.filters);
        let mut matches: Vec<Ranked> = self
            .all_matches(tantivy_query.as_ref())?
            .into_iter()
            .map(|(_, address)| Ranked {
                tier: 0,
                score: 0.0,
                address,
            })
            .collect();
        matches.sort_by(|a, b| self.by_date_then_slug(a.address, b.address));
        let total = matches.len();
        matches.truncate(query.limit);
        Ok(Results {
            hits: self.hits(&matches, None)?,
            total,
            approchants: Vec::new(),
        })
    }

    /// Every document matching all `words` and the filters, in rank order: exact tier first,
    /// then by score, then newest first.
    fn ranked(
        &self,
        words: &[expand::WordTerms],
        filters: &[(Facet, String)],
    ) -> Result<Vec<Ranked>, IndexError> {
        if words.iter().any(|word| word.terms.is_empty()) {
            return Ok(Vec::new());
        }
        let sets: Vec<&BTreeSet<String>> = words.iter().map(|word| &word.terms).collect();
        let query = self.build_query(&sets, filters);
        let exact = self.exact_documents(words, filters)?;
        let mut ranked: Vec<Ranked> = self
            .all_matches(query.as_ref())?
            .into_iter()
            .map(|(score, address)| Ranked {
                tier: u8::from(!exact.contains(&address)),
                score,
                address,
            })
            .collect();
        ranked.sort_by(|a, b| self.by_rank(a, b));
        Ok(ranked)
    }

    fn by_rank(&self, a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
        a.tier
            .cmp(&b.tier)
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| self.by_date_then_slug(a.address, b.address))
    }

    /// Documents holding the own term of every word (none when a word has no own term).
    fn exact_documents(
        &self,
        words: &[expand::WordTerms],
        filters: &[(Facet, String)],
    ) -> Result<BTreeSet<DocAddress>, IndexError> {
        let Some(own): Option<Vec<BTreeSet<String>>> = words
            .iter()
            .map(|word| word.exact.clone().map(|term| BTreeSet::from([term])))
            .collect()
        else {
            return Ok(BTreeSet::new());
        };
        let sets: Vec<&BTreeSet<String>> = own.iter().collect();
        let query = self.build_query(&sets, filters);
        Ok(self
            .all_matches(query.as_ref())?
            .into_iter()
            .map(|(_, address)| address)
            .collect())
    }

    /// Documents matching every word but one (and the filters), with the word they lack: the
    /// best [`APPROXIMATE_MAX`], exact tier first, then by score.
    fn approximate(
        &self,
        words: &[expand::WordTerms],
        filters: &[(Facet, String)],
        matched: &[Ranked],
    ) -> Result<Vec<Approximate>, IndexError> {
        let already: BTreeSet<DocAddress> = matched.iter().map(|r| r.address).collect();
        let mut found: Vec<(Ranked, &str)> = Vec::new();
        for (missing, word) in words.iter().enumerate() {
            let others: Vec<expand::WordTerms> = words
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != missing)
                .map(|(_, other)| other.clone())
                .collect();
            // A document lacking only this word is not in the full results, and it matches
            // all the others: it is found here and nowhere else.
            for ranked in self.ranked(&others, filters)? {
                if !already.contains(&ranked.address) {
                    found.push((ranked, word.typed.as_str()));
                }
            }
        }
        found.sort_by(|a, b| self.by_rank(&a.0, &b.0));
        found.truncate(APPROXIMATE_MAX);
        let ranked: Vec<Ranked> = found.iter().map(|(r, _)| *r).collect();
        let highlight = self.highlight_query(words);
        let hits = self.hits(&ranked, Some(highlight.as_ref()))?;
        Ok(hits
            .into_iter()
            .zip(found)
            .map(|(hit, (_, missing))| Approximate {
                hit,
                manquant: missing.to_string(),
            })
            .collect())
    }

    /// Any term of any word: what excerpts highlight.
    fn highlight_query(&self, words: &[expand::WordTerms]) -> Box<dyn TantivyQuery> {
        let alternatives: Vec<(Occur, Box<dyn TantivyQuery>)> = words
            .iter()
            .filter(|word| !word.terms.is_empty())
            .map(|word| (Occur::Should, self.any_term_in_any_field(&word.terms)))
            .collect();
        Box::new(BooleanQuery::new(alternatives))
    }

    /// Slugs in the order of the browser bundle's ordinals: newest first, then by slug.
    pub fn doc_order(&self) -> Vec<String> {
        self.ordered_addresses()
            .into_iter()
            .filter_map(|address| self.docs.get(&address).map(|meta| meta.slug.clone()))
            .collect()
    }

    fn ordered_addresses(&self) -> Vec<DocAddress> {
        let mut addresses: Vec<DocAddress> = self.docs.keys().copied().collect();
        addresses.sort_by(|a, b| self.by_date_then_slug(*a, *b));
        addresses
    }

    /// Every term of the text fields with, for each document holding it, its boosted BM25
    /// contribution (the score a one-word query gives), documents numbered as in
    /// [`SearchIndex::doc_order`]. Sorted by term.
    pub fn export_terms(&self) -> Result<Vec<ExportedTerm>, IndexError> {
        let order = self.doc_order();
        postings::export_terms(&self.searcher, &self.fields, &self.docs, &order)
    }

    fn dictionary(&self) -> expand::Dictionary<'_> {
        expand::Dictionary {
            searcher: &self.searcher,
            fields: self
                .fields
                .boosted_text()
                .into_iter()
                .map(|(f, _)| f)
                .collect(),
        }
    }

    /// The `n` most similar scenarios to each scenario (slug → slugs), deterministic.
    pub fn related(&self, n: usize) -> Result<BTreeMap<String, Vec<String>>, IndexError> {
        Ok(self.related_updating(n, &[], None)?.related)
    }

    /// [`SearchIndex::related`], computing again only the lists that may differ from
    /// `previous` (see [`related`]); `seed` names what else the lists depend on.
    pub fn related_updating(
        &self,
        n: usize,
        seed: &[u8],
        previous: Option<PreviousRelated>,
    ) -> Result<Related, IndexError> {
        related::related(&self.searcher, &self.fields, &self.docs, n, seed, previous)
    }

    fn build_query(
        &self,
        term_sets: &[&BTreeSet<String>],
        filters: &[(Facet, String)],
    ) -> Box<dyn TantivyQuery> {
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = term_sets
            .iter()
            .map(|terms| (Occur::Must, self.any_term_in_any_field(terms)))
            .collect();
        for (facet, values) in group_filters(filters) {
            let field = self.fields.facet(facet);
            let any_value: Vec<(Occur, Box<dyn TantivyQuery>)> = values
                .into_iter()
                .map(|value| {
                    let term = Term::from_field_text(field, value);
                    let query: Box<dyn TantivyQuery> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    (Occur::Should, query)
                })
                .collect();
            // Filters restrict the results without changing their ranking.
            let filter = ConstScoreQuery::new(Box::new(BooleanQuery::new(any_value)), 0.0);
            clauses.push((Occur::Must, Box::new(filter)));
        }
        if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    }

    /// One query word: any of its terms, scores added up.
    fn any_term_in_any_field(&self, terms: &BTreeSet<String>) -> Box<dyn TantivyQuery> {
        let alternatives: Vec<(Occur, Box<dyn TantivyQuery>)> = terms
            .iter()
            .map(|term| (Occur::Should, self.term_in_any_field(term)))
            .collect();
        Box::new(BooleanQuery::new(alternatives))
    }

    /// One analysed term, searched in every text field with its boost.
    fn term_in_any_field(&self, term: &str) -> Box<dyn TantivyQuery> {
        let per_field: Vec<(Occur, Box<dyn TantivyQuery>)> = self
            .fields
            .boosted_text()
            .into_iter()
            .map(|(field, boost)| {
                let term_query = TermQuery::new(
                    Term::from_field_text(field, term),
                    IndexRecordOption::WithFreqs,
                );
                let query: Box<dyn TantivyQuery> =
                    Box::new(BoostQuery::new(Box::new(term_query), boost));
                (Occur::Should, query)
            })
            .collect();
        Box::new(BooleanQuery::new(per_field))
    }

    /// Every matching document with its score; the corpus is small enough to rank it all,
    /// which makes tie-breaking by slug exact.
    fn all_matches(&self, query: &dyn TantivyQuery) -> Result<Vec<(f32, DocAddress)>, IndexError> {
        let limit = usize::try_from(self.searcher.num_docs())
            .unwrap_or(usize::MAX)
            .max(1);
        Ok(self
            .searcher
            .search(query, &TopDocs::with_limit(limit).order_by_score())?)
    }

    fn by_slug(&self, a: DocAddress, b: DocAddress) -> std::cmp::Ordering {
        let slug = |address: DocAddress| self.docs.get(&address).map(|meta| meta.slug.as_str());
        slug(a).cmp(&slug(b)).then(a.cmp(&b))
    }

    fn by_date_then_slug(&self, a: DocAddress, b: DocAddress) -> std::cmp::Ordering {
        let date = |address: DocAddress| self.docs.get(&address).map(|meta| meta.date);
        date(b).cmp(&date(a)).then_with(|| self.by_slug(a, b))
    }

    /// Hits of `matches`, excerpts highlighting the terms of `highlight` when given.
    fn hits(
        &self,
        matches: &[Ranked],
        highlight: Option<&dyn TantivyQuery>,
    ) -> Result<Vec<Hit>, IndexError> {
        let snippets = match highlight {
            Some(query) => Some(self.snippet_generators(query)?),
            None => None,
        };
        let mut hits = Vec::with_capacity(matches.len());
        for &Ranked { score, address, .. } in matches {
            let doc: TantivyDocument = self.searcher.doc(address)?;
            let snippet_html = match &snippets {
                Some(generators) => highlighted_snippet(generators, &doc),
                None => None,
            }
            .unwrap_or_else(|| self.plain_snippet(&doc));
            let slug = self
                .docs
                .get(&address)
                .map(|meta| meta.slug.clone())
                .unwrap_or_default();
            let titre = self.fields.text(&doc, self.fields.titre);
            hits.push(Hit {
                slug,
                titre,
                score,
                snippet_html,
            });
        }
        Ok(hits)
    }

    /// Snippet generators for the body first, then the summary.
    fn snippet_generators(
        &self,
        query: &dyn TantivyQuery,
    ) -> Result<Vec<SnippetGenerator>, IndexError> {
        let mut generators = Vec::new();
        for field in [self.fields.body, self.fields.resume] {
            let mut generator = SnippetGenerator::create(&self.searcher, query, field)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            generators.push(generator);
        }
        Ok(generators)
    }

    /// The beginning of the summary, when nothing is highlighted.
    fn plain_snippet(&self, doc: &TantivyDocument) -> String {
        let resume = doc
            .get_first(self.fields.resume)
            .and_then(|value| value.as_str())
            .unwrap_or_default();
        crate::text::escape_html(&crate::text::truncate_words(resume, SNIPPET_CHARS))
    }
}

fn highlighted_snippet(generators: &[SnippetGenerator], doc: &TantivyDocument) -> Option<String> {
    generators.iter().find_map(|generator| {
        let mut snippet = generator.snippet_from_doc(doc);
        if snippet.is_empty() {
            return None;
        }
        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        Some(snippet.to_html())
    })
}

/// Filter values grouped by facet, in a stable order.
fn group_filters(filters: &[(Facet, String)]) -> BTreeMap<Facet, BTreeSet<&str>> {
    let mut grouped: BTreeMap<Facet, BTreeSet<&str>> = BTreeMap::new();
    for (facet, value) in filters {
        grouped.entry(*facet).or_default().insert(value.as_str());
    }
    grouped
}

fn load_doc_meta(searcher: &Searcher) -> Result<HashMap<DocAddress, DocMeta>, IndexError> {
    // From the fast fields: the stored documents hold the bodies, megabytes to decompress.
    let mut docs = HashMap::new();
    for (segment_ord, segment_reader) in searcher.segment_readers().iter().enumerate() {
        let fast = segment_reader.fast_fields();
        let slugs = fast
            .str(schema::SLUG)?
            .ok_or_else(|| IndexError::MissingField(schema::SLUG.to_string()))?;
        let dates = fast.date(schema::DATE)?;
        // Every slug of the segment's dictionary, by ordinal: one pass, not a search per doc.
        let mut by_ord = Vec::with_capacity(slugs.num_terms());
        let mut stream = slugs.dictionary().stream()?;
        while stream.advance() {
            by_ord.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
        for doc_id in segment_reader.doc_ids_alive() {
            let slug = slugs
                .ords()
                .first(doc_id)
                .and_then(|ord| by_ord.get(ord as usize))
                .cloned()
                .unwrap_or_default();
            let date = dates
                .first(doc_id)
                .map_or(i64::MIN, |date| date.into_timestamp_secs());
            let address = DocAddress::new(segment_ord as u32, doc_id);
            docs.insert(address, DocMeta { slug, date });
        }
    }
    Ok(docs)
}

/// Number of tantivy indexes (and writer threads) the parts index is made of.
const PART_WRITERS: usize = 2;

/// Deletes the documents of `stale` from the parts indexes, then adds each part in a commit of
/// its own, the parts dealt in turn to one writer thread per index; returns the number of
/// documents added.
fn fill_parts(
    indexes: &[Index],
    stale: &[String],
    parts: impl Iterator<Item = Vec<IndexDoc>>,
) -> Result<usize, IndexError> {
    let mut writers = Vec::with_capacity(indexes.len());
    for index in indexes {
        index
            .tokenizers()
            .register(ANALYZER_NAME, french_analyzer());
        let fields = Fields::from_schema(&index.schema())?;
        // One indexing thread and no merge: the documents of a part keep their (slug) order.
        let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for slug in stale {
            writer.delete_term(Term::from_field_text(fields.slug, slug));
        }
        // Segments left without a document are dropped at this commit.
        writer.commit()?;
        writers.push((writer, fields));
    }
    std::thread::scope(|scope| {
        let mut senders = Vec::with_capacity(writers.len());
        let mut threads = Vec::with_capacity(writers.len());
        for (mut writer, fields) in writers {
            // One part waiting per writer: the texts of a large site are not all held at once.
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<IndexDoc>>(1);
            senders.push(sender);
            threads.push(scope.spawn(move || -> Result<(), IndexError> {
                for part in receiver {
                    for doc in &part {
                        writer.add_document(fields.document(doc))?;
                    }
                    writer.commit()?;
                }
                writer.wait_merging_threads()?;
                Ok(())
            }));
        }
        let mut indexed = 0;
        let mut next = 0;
        for part in parts.filter(|part| !part.is_empty()) {
            indexed += part.len();
            // A writer that stopped on an error closed its end: its error is reported below.
            if senders[next].send(part).is_err() {
                break;
            }
            next = (next + 1) % senders.len();
        }
        drop(senders);
        for thread in threads {
            thread
                .join()
                .map_err(|_| IndexError::Parts("un fil d’indexation s’est arrêté"))??;
        }
        Ok(indexed)
    })
}

/// The folders of the tantivy indexes the parts index is made of.
fn part_paths(parts_dir: &Path) -> Vec<PathBuf> {
    (0..PART_WRITERS)
        .map(|writer| parts_dir.join(writer.to_string()))
        .collect()
}

/// The files a finished segment without deleted documents is made of.
const SEGMENT_FILES: [SegmentComponent; 6] = [
    SegmentComponent::Postings,
    SegmentComponent::Positions,
    SegmentComponent::Terms,
    SegmentComponent::Store,
    SegmentComponent::FastFields,
    SegmentComponent::FieldNorms,
];

/// Makes the index of the site in `dir`: the segments of the parts indexes (in `paths`), in
/// slug order, as the segments of one index. Nothing is merged or rewritten: the segment files
/// are hard links to the parts' (copies where the file system has no links), so the parts can
/// change at the next build without touching this index.
///
/// Searches, the exported terms and the related scenarios are those of one merged segment:
/// BM25 statistics are sums over the segments (exact, since no segment has deleted
/// documents), and the segments follow each other in slug order as the documents of a merged
/// segment would.
fn link_parts(parts: &[Index], paths: &[PathBuf], dir: &Path) -> Result<SearchIndex, IndexError> {
    let segments = segments_in_slug_order(parts, paths)?;
    if segments.is_empty() {
        return SearchIndex::build_sorted(dir, std::iter::empty());
    }
    reset_dir(dir)?;
    let settings = parts
        .first()
        .map(|index| index.settings().clone())
        .unwrap_or_default();
    let (tantivy_schema, _) = schema::build_schema();
    let index = Index::builder()
        .schema(tantivy_schema)
        .settings(settings)
        .create_in_dir(dir)
        .map_err(|source| IndexError::Open {
            path: dir.to_path_buf(),
            source,
        })?;
    for (segment, from) in &segments {
        for component in SEGMENT_FILES {
            let name = segment.meta().relative_path(component);
            let source = from.join(&name);
            if source.exists() {
                link_or_copy(&source, &dir.join(&name))?;
            }
        }
    }
    let mut meta = index.load_metas()?;
    meta.segments = segments
        .iter()
        .map(|(segment, _)| segment.meta().clone())
        .collect();
    let mut json = serde_json::to_vec_pretty(&meta).map_err(std::io::Error::other)?;
    json.push(b'\n');
    index
        .directory()
        .atomic_write(Path::new(META_FILE), &json)?;
    SearchIndex::open(dir)
}

/// tantivy's list of the segments of an index.
const META_FILE: &str = "meta.json";

fn link_or_copy(source: &Path, target: &Path) -> Result<(), IndexError> {
    if std::fs::hard_link(source, target).is_ok() {
        return Ok(());
    }
    std::fs::copy(source, target)
        .map(|_| ())
        .map_err(|error| IndexError::Io {
            path: target.to_path_buf(),
            source: error,
        })
}

/// The segments of the parts indexes, with the folder of each, ordered by their first slug,
/// checked to hold no deleted document and to follow each other (the last slug of one before
/// the first of the next).
fn segments_in_slug_order<'p>(
    parts: &[Index],
    paths: &'p [PathBuf],
) -> Result<Vec<(Segment, &'p Path)>, IndexError> {
    let mut ranges: Vec<(String, String, Segment, &Path)> = Vec::new();
    for (index, path) in parts.iter().zip(paths) {
        for (first, last, segment) in segment_ranges(index)? {
            ranges.push((first, last, segment, path));
        }
    }
    ranges.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    if ranges.windows(2).any(|pair| pair[0].1 >= pair[1].0) {
        return Err(IndexError::Parts("des parties se chevauchent"));
    }
    Ok(ranges
        .into_iter()
        .map(|(_, _, segment, path)| (segment, path))
        .collect())
}

/// The first and last slug of each segment of one parts index, with the segment.
fn segment_ranges(index: &Index) -> Result<Vec<(String, String, Segment)>, IndexError> {
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let fields = Fields::from_schema(&index.schema())?;
    let slug_of = |address: DocAddress| -> Result<String, IndexError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        Ok(fields.text(&doc, fields.slug))
    };
    let mut by_id: HashMap<SegmentId, Segment> = index
        .searchable_segments()?
        .into_iter()
        .map(|segment| (segment.id(), segment))
        .collect();
    let mut ranges = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        if segment.has_deletes() {
            return Err(IndexError::Parts("une partie a des documents supprimés"));
        }
        if segment.max_doc() == 0 {
            continue;
        }
        let first = slug_of(DocAddress::new(ord as u32, 0))?;
        let last = slug_of(DocAddress::new(ord as u32, segment.max_doc() - 1))?;
        let segment = by_id
            .remove(&segment.segment_id())
            .ok_or(IndexError::Parts("une partie a disparu"))?;
        ranges.push((first, last, segment));
    }
    Ok(ranges)
}

fn reset_dir(dir: &Path) -> Result<(), IndexError> {
    let io_error = |source| IndexError::Io {
        path: dir.to_path_buf(),
        source,
    };
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io_error)?;
    }
    std::fs::create_dir_all(dir).map_err(io_error)
}

fn date_time(date: NaiveDate) -> DateTime {
    let seconds = date
        .and_hms_opt(0, 0, 0)
        .map(|datetime| datetime.and_utc().timestamp())
        .unwrap_or_default();
    DateTime::from_timestamp_secs(seconds)
}

#[cfg(test)]
mod tests;
