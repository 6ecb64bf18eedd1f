//! The candidates stage: the best sections by the plan's term clauses, how
//! many sections match, and the facet counts — one sweep over the postings
//! when the facet table is loaded, tantivy's collectors otherwise.

use super::engine::Engine;
use super::facets::{self, Facets};
use super::plan::{self, Plan};
use super::sweep;
use crate::error::Result;
use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, Searcher};

/// The best sections by the term clauses, before the phrase bonuses.
pub struct Candidates {
    pub top: Vec<(f32, DocAddress)>,
    /// Matching sections.
    pub total: usize,
    /// Facet counts, when found in the same pass.
    pub facets: Option<Facets>,
}

/// The best `pool` sections for `plan`. `carried_codes` is set for a query
/// of only known codes: its matches are the sections carrying them.
pub fn find(
    engine: &Engine,
    searcher: &Searcher,
    plan: &Plan,
    carried_codes: Option<&[String]>,
    pool: usize,
) -> Result<Candidates> {
    if let (Some(table), None) = (engine.facet_table(), carried_codes) {
        if let Some(swept) = sweep::sweep(searcher, &plan.clauses, pool, &plan.filters, table)? {
            return Ok(Candidates {
                top: swept.top,
                total: swept.total,
                facets: Some(Facets::from_counts(swept.products, swept.langs)),
            });
        }
    }
    collect(engine, searcher, plan, carried_codes, pool)
}

/// The best `pool` sections by the term clauses, the total and (without
/// filters) the facets, with tantivy's collectors: the route when the
/// facet table is not loaded yet, and for a query of only known codes.
fn collect(
    engine: &Engine,
    searcher: &Searcher,
    plan: &Plan,
    carried_codes: Option<&[String]>,
    pool: usize,
) -> Result<Candidates> {
    let fields = engine.fields();
    let terms = plan.terms_query(fields);
    let main_query = match carried_codes {
        // A query that is only known codes (and labels such as `error`)
        // matches the sections carrying them: the words a code splits
        // into (`ERROR_DISK_FULL` → error, disk, full) must not make
        // every section that says "error" a match to score and count.
        Some(codes) => {
            plan::carrying_codes(terms, (fields.codes, codes), (fields.sound, &plan.readings))
        }
        None => terms,
    };
    if plan.filters != plan::Filters::default() {
        let (top, total) = searcher.search(&*main_query, &(TopDocs::with_limit(pool), Count))?;
        return Ok(Candidates {
            top,
            total,
            facets: None,
        });
    }
    let collector = (
        TopDocs::with_limit(pool),
        Count,
        engine.value_counts(facets::PRODUCT),
        engine.value_counts(facets::LANG),
    );
    let (top, total, products, langs) = searcher.search(&*main_query, &collector)?;
    Ok(Candidates {
        top,
        total,
        facets: Some(Facets::from_counts(products, langs)),
    })
}
