//! What a search answers: the response a search computes (shared through
//! the cache) and the answer sent for one request.

use super::facets::Facets;
use crate::model::{ErrorAnswer, Lang, SearchHit};
use serde::Serialize;
use std::sync::Arc;

/// A page of results: what a search found, shared by every answer to the
/// same request (the response cache keeps it behind an [`Arc`]).
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    /// Language of the query, from its script (`None` for codes and numbers).
    pub lang: Option<Lang>,
    pub hits: Vec<SearchHit>,
    /// What the index knows about the first known error code in the query.
    pub answer: Option<ErrorAnswer>,
    /// Matching sections per product and per language.
    pub facets: Facets,
    /// Set when the query is only an error code that no section carries.
    pub unknown_code: Option<UnknownCode>,
    /// The query after keyboard-layout correction, when it was corrected.
    pub corrected: Option<String>,
    /// Words also searched in the other script, each with the reading the
    /// index holds (`снапшот` → `snapshot`), when any was.
    pub transliterated: Vec<Transliteration>,
    /// A spelling correction from the index vocabulary, offered when the
    /// query has words the index does not know or found almost nothing.
    pub did_you_mean: Option<String>,
}

/// One answer to a request: the response and how this answer came about.
#[derive(Debug, Clone, Serialize)]
pub struct SearchAnswer {
    #[serde(flatten)]
    pub response: Arc<SearchResponse>,
    /// Time spent answering, in milliseconds.
    pub took_ms: f64,
    /// True when the response came from the response cache.
    pub cached: bool,
}

impl std::ops::Deref for SearchAnswer {
    type Target = SearchResponse;

    fn deref(&self) -> &SearchResponse {
        &self.response
    }
}

/// A query word searched in the other script too.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Transliteration {
    pub word: String,
    pub reading: String,
}

/// An error code no section carries, with the closest ones that exist.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownCode {
    pub code: String,
    pub nearest: Vec<String>,
}
