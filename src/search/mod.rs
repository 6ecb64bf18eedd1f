//! Searching an opened index: one long-lived reader, a cheap searcher per request.

pub mod layout;
pub mod lookup;
pub mod query;
pub mod rank;
pub mod snippet;
pub mod stopwords;
pub mod suggest;

use crate::analysis::is_cyrillic;
use crate::error::{Error, Result};
use crate::index::schema::BREADCRUMB_SEPARATOR;
use crate::index::{self, Fields, Manifest, OpenedIndex};
use crate::model::{section_url, ErrorAnswer, Lang, SearchHit, TableRecord};
use query::AnalyzedQuery;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::{DocAddress, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 2000;
/// Largest page size.
pub const MAX_LIMIT: usize = 100;

/// A search request.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    pub lang: Option<Lang>,
    /// At most a few sections per document on a page (default true).
    pub group: bool,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            lang: None,
            group: true,
        }
    }
}

/// A page of results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub query: String,
    pub took_ms: f64,
    pub total: usize,
    /// Language of the query, from its script (`None` for codes and numbers).
    pub lang: Option<Lang>,
    pub hits: Vec<SearchHit>,
    /// What the index knows about the first known error code in the query.
    pub answer: Option<ErrorAnswer>,
}

/// The search engine over one index generation.
pub struct Engine {
    opened: OpenedIndex,
    reader: IndexReader,
    known_codes: BTreeSet<String>,
    suggestions: Vec<suggest::Entry>,
}

impl Engine {
    /// Opens the live index under `root`.
    pub fn open(root: &Path) -> Result<Engine> {
        let opened = index::open(root)?;
        let reader = opened
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let known_codes = lookup::collect_known_codes(&searcher, opened.fields.codes)?;
        let suggestions = suggest::collect_entries(&searcher, &opened.fields)?;
        Ok(Engine {
            opened,
            reader,
            known_codes,
            suggestions,
        })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.opened.manifest
    }

    pub fn fields(&self) -> &Fields {
        &self.opened.fields
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Runs a search. Fails only on invalid parameters or engine errors.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
        validate(request)?;
        let searcher = self.reader.searcher();
        let fields = self.opened.fields;
        let analyzed = AnalyzedQuery::prepare(&request.query, &searcher, &fields);
        let query_lang = detect_query_lang(&analyzed.text);
        if analyzed.is_empty() {
            return Ok(SearchResponse {
                query: request.query.clone(),
                took_ms: elapsed_ms(started),
                total: 0,
                lang: query_lang,
                hits: Vec::new(),
                answer: None,
            });
        }
        let query = query::build(&analyzed, &fields, request.lang);
        let wanted = request.offset + request.limit;
        let candidates = (wanted * 4).clamp(40, 1000).max(wanted);
        let (top, total) = searcher.search(&*query, &(TopDocs::with_limit(candidates), Count))?;
        let prefer = request.lang.or(query_lang);
        let ranked = rank::rerank(&searcher, &fields, top, prefer, request.group)?;
        let snippets = snippet::Snippets::new(&searcher, &*query, fields.body)?;
        let mut hits = Vec::with_capacity(request.limit);
        for ranked in ranked.into_iter().skip(request.offset).take(request.limit) {
            hits.push(self.hit(&searcher, ranked.address, ranked.score, &snippets)?);
        }
        let answer = match analyzed
            .codes
            .exact
            .iter()
            .chain(&analyzed.codes.weak)
            .find(|c| self.knows_code(c))
        {
            Some(code) => self.error_answer(code, prefer)?,
            None => None,
        };
        Ok(SearchResponse {
            query: request.query.clone(),
            took_ms: elapsed_ms(started),
            total,
            lang: query_lang,
            hits,
            answer,
        })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        snippets: &snippet::Snippets,
    ) -> Result<SearchHit> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let f = &self.opened.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let all = |field| -> Vec<String> {
            doc.get_all(field)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let breadcrumbs = text(f.breadcrumbs);
        let records: Vec<TableRecord> = doc
            .get_first(f.records)
            .and_then(|v| v.as_str())
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default();
        let (path, anchor) = (text(f.path), text(f.anchor));
        Ok(SearchHit {
            url: section_url(&path, &anchor),
            path,
            anchor,
            title: text(f.title),
            heading: text(f.heading),
            breadcrumbs: if breadcrumbs.is_empty() {
                Vec::new()
            } else {
                breadcrumbs
                    .split(BREADCRUMB_SEPARATOR)
                    .map(str::to_string)
                    .collect()
            },
            lang: text(f.lang).parse().unwrap_or(Lang::En),
            score,
            snippet: snippets.for_doc(&doc, &text(f.body)),
            codes: all(f.codes),
            records,
        })
    }
}

/// Language of a query from its letters: Russian when a third or more are
/// Cyrillic, English when it has Latin words, `None` for codes and numbers.
pub fn detect_query_lang(query: &str) -> Option<Lang> {
    let (mut cyrillic, mut latin) = (0usize, 0usize);
    for word in query.split_whitespace() {
        if crate::codes::extract_canonical(word).is_empty() {
            for c in word.chars().filter(|c| c.is_alphabetic()) {
                if is_cyrillic(c) {
                    cyrillic += 1;
                } else {
                    latin += 1;
                }
            }
        }
    }
    if cyrillic > 0 && cyrillic * 3 >= cyrillic + latin {
        Some(Lang::Ru)
    } else if latin > 0 {
        Some(Lang::En)
    } else {
        None
    }
}

fn validate(request: &SearchRequest) -> Result<()> {
    if request.query.trim().is_empty() {
        return Err(Error::BadQuery("the query is empty".to_string()));
    }
    let chars = request.query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(Error::BadQuery(format!(
            "the query is {chars} characters long; the limit is {MAX_QUERY_CHARS}"
        )));
    }
    if request.limit == 0 || request.limit > MAX_LIMIT {
        return Err(Error::BadQuery(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    if request.offset > 10_000 {
        return Err(Error::BadQuery("offset must be at most 10000".to_string()));
    }
    Ok(())
}

fn elapsed_ms(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}
