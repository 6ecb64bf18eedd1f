//! The extras stage: what a page gets besides its hits, each only when it
//! is asked for or needed — facet counts when the sweep could not count
//! them, "did you mean" when the query has unknown words or found almost
//! nothing, the error answer when the query names a known code.

use super::analyse::{AnalyzedQuery, DocFreqs};
use super::engine::Engine;
use super::facets::{self, Facets};
use super::lookup::ANSWER_SECTIONS_PER_LANGUAGE;
use super::plan::{self, Filters};
use super::stored::StoredSections;
use crate::error::Result;
use crate::model::{ErrorAnswer, Lang};

/// Below this many matching sections a "did you mean" is looked for.
const FEW_RESULTS: usize = 3;

/// Facet counts for a filtered search: product counts ignore the product
/// filter and language counts ignore the language filter, so each facet
/// shows what choosing another value would give.
pub fn facets(engine: &Engine, analyzed: &AnalyzedQuery, filters: &Filters) -> Result<Facets> {
    let searcher = engine.searcher();
    let fields = engine.fields();
    let without_products = Filters {
        lang: filters.lang,
        products: Vec::new(),
    };
    let without_lang = Filters {
        lang: None,
        products: filters.products.clone(),
    };
    let products = searcher.search(
        &*plan::build_matching(analyzed, fields, &without_products),
        &engine.value_counts(facets::PRODUCT),
    )?;
    let langs = searcher.search(
        &*plan::build_matching(analyzed, fields, &without_lang),
        &engine.value_counts(facets::LANG),
    )?;
    Ok(Facets::from_counts(products, langs))
}

/// A spelling correction, when the query has words matched only fuzzily
/// or found fewer than `FEW_RESULTS` sections.
pub fn did_you_mean(
    engine: &Engine,
    analyzed: &AnalyzedQuery,
    total: usize,
    freqs: &DocFreqs<'_>,
) -> Option<String> {
    if total >= FEW_RESULTS && analyzed.terms.iter().all(|t| t.fuzzy == 0) {
        return None;
    }
    engine.did_you_mean(&analyzed.text, &|term: &str| freqs.knows(term))
}

/// The error answer for the first of `codes`, sharing the stored sections
/// the page read.
pub fn answer(
    engine: &Engine,
    codes: &[String],
    prefer: Option<Lang>,
    stored: &mut StoredSections<'_>,
) -> Result<Option<ErrorAnswer>> {
    match codes.first() {
        Some(code) => {
            engine.error_answer_listing(code, prefer, ANSWER_SECTIONS_PER_LANGUAGE, stored)
        }
        None => Ok(None),
    }
}
