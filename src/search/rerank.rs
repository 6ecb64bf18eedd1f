//! The rerank stage: phrase bonuses and query coverage at the candidates,
//! then code tiers, language, section level and grouping by document.

use super::analyse::AnalyzedQuery;
use super::coverage::Coverage;
use super::engine::Engine;
use super::plan::Plan;
use super::proximity;
use super::rank::{Evidence, Ranked};
use super::tiers::{self, Reranking, TierSearch};
use crate::error::Result;
use crate::model::Lang;
use tantivy::query::Query;
use tantivy::{DocAddress, Searcher};

/// How the candidates are put in order.
pub struct Order<'a> {
    /// The language whose sections come first.
    pub prefer: Option<Lang>,
    /// At most a few sections per document.
    pub group: bool,
    /// Known codes whose carriers come first (empty: none).
    pub tier_codes: &'a [String],
    /// Sections re-ranked (the pool beyond them only feeds code tiers).
    pub candidates: usize,
    /// Sections the page needs (offset + limit).
    pub wanted: usize,
    /// Translations' evidence and troubleshooting roles.
    pub evidence: Evidence,
}

/// The candidates in their final order.
#[allow(clippy::too_many_arguments)]
pub fn rerank(
    engine: &Engine,
    searcher: &Searcher,
    analyzed: &AnalyzedQuery,
    plan: &Plan,
    full_query: &dyn Query,
    mut top: Vec<(f32, DocAddress)>,
    order: &Order<'_>,
) -> Result<Vec<Ranked>> {
    proximity::add_scores(searcher, &plan.phrases, &mut top)?;
    let coverage = Coverage::new(searcher, engine.fields(), analyzed);
    let reranking = Reranking {
        columns: engine.columns(),
        prefer: order.prefer,
        group: order.group,
        coverage: coverage.as_ref(),
        evidence: order.evidence,
    };
    if order.tier_codes.is_empty() {
        top.truncate(order.candidates);
        return Ok(reranking.apply(searcher, top)?);
    }
    let search = TierSearch {
        query: full_query,
        codes: order.tier_codes,
        pool: &top,
        candidates: order.candidates,
        wanted: order.wanted,
        filtered: plan.filters != Default::default(),
    };
    Ok(tiers::rank(searcher, engine.fields(), &search, &reranking)?)
}
