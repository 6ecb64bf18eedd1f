//! Searching an opened index: one long-lived reader, a cheap searcher per
//! request, and a search that runs through its stages once each
//! ([`pipeline`]):
//!
//! 1. [`request`] — the parameters, validated once, as a [`ValidRequest`];
//! 2. [`analyse`] — the text → terms, codes, language and corrections (with
//!    [`layout`] for a wrong keyboard layout, [`fuzzy`] for typos through
//!    the vocabulary filed by [`neighbours`] and checked by the
//!    [`edit_automaton`], [`stopwords`], [`translit`] for words read in the
//!    other script), looking words up once in a per-query memo;
//! 3. [`plan`] — the scoring clauses, proximity phrases and filters, built
//!    once;
//! 4. [`candidates`] — every matching section scored, counted and faceted
//!    in one [`sweep`] (both cores for big segments), or tantivy's
//!    collectors with [`facets`] while the facet table loads;
//! 5. [`rerank`] — [`proximity`] bonuses and [`coverage`] at the candidates
//!    only, code [`tiers`], language and grouping ([`rank`]) from the
//!    [`columns`];
//! 6. [`page`] — the requested hits, read once each ([`stored`]), with
//!    [`snippet`]s for those hits only, from the term tables written at
//!    indexing;
//! 7. [`extras`] — facets when the sweep could not count them,
//!    did-you-mean ([`suggest`]) and the error answer ([`lookup`]) only
//!    when needed.
//!
//! [`engine`] holds what a search reads (reader, columns, tables, the
//! [`cache`] of typed responses); [`response`] is what it answers.

pub mod analyse;
pub mod cache;
pub mod candidates;
pub mod columns;
pub mod coverage;
pub mod edit_automaton;
pub mod engine;
pub mod extras;
pub mod facets;
pub mod fuzzy;
pub mod layout;
pub mod lookup;
pub mod neighbours;
pub mod page;
pub mod pipeline;
pub mod plan;
pub mod proximity;
pub mod rank;
pub mod request;
pub mod rerank;
pub mod response;
pub mod section;
pub mod snippet;
pub mod stopwords;
pub mod stored;
pub mod suggest;
pub mod sweep;
pub mod tiers;
pub mod translit;

pub use analyse::detect_query_lang;
pub use engine::Engine;
pub use request::{SearchParams, SearchRequest, ValidRequest, MAX_LIMIT, MAX_QUERY_CHARS};
pub use response::{SearchAnswer, SearchResponse, Transliteration, UnknownCode};

/// Moves `docs` to its first section at or after `target`, unless it is
/// there already (tantivy's `seek` wants a target past the current one).
pub(crate) fn seek_to<D: tantivy::DocSet + ?Sized>(
    docs: &mut D,
    target: tantivy::DocId,
) -> tantivy::DocId {
    if docs.doc() < target {
        docs.seek(target)
    } else {
        docs.doc()
    }
}
