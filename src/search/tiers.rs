//! Code tiers: for a query that names a known code, the sections defining
//! the code come first, then the sections mentioning it, then the rest of
//! the text match, each tier re-ranked on its own.
//!
//! Usually every section carrying the code is already among the scored
//! candidates (the code clauses weigh a lot, and a query of only codes
//! matches nothing else), and the tiers are those candidates split by
//! which code field holds the code. Only when a carrier is missing from
//! the candidates — a code carried by more sections than the pool holds,
//! or a filtered search — is each tier searched for.

use super::columns::Columns;
use super::coverage::Coverage;
use super::plan;
use super::rank::{self, Evidence, Ranked};
use crate::index::Fields;
use crate::model::Lang;
use std::collections::HashSet;
use tantivy::collector::TopDocs;
use tantivy::query::Query;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Score, Searcher, Term, TERMINATED};

/// How the candidates are re-ranked (see [`rank::rerank`]).
pub struct Reranking<'a> {
    pub columns: &'a Columns,
    pub prefer: Option<Lang>,
    pub group: bool,
    pub coverage: Option<&'a Coverage>,
    /// Translations' evidence and troubleshooting roles.
    pub evidence: Evidence,
}

impl Reranking<'_> {
    /// [`rank::rerank`] of `candidates` with these settings.
    pub fn apply(
        &self,
        searcher: &Searcher,
        candidates: Vec<(Score, DocAddress)>,
    ) -> tantivy::Result<Vec<Ranked>> {
        rank::rerank(
            searcher,
            self.columns,
            candidates,
            self.prefer,
            self.group,
            self.coverage,
            self.evidence,
        )
    }
}

/// What to rank in tiers.
pub struct TierSearch<'a> {
    /// The full scoring query (with filters), to search a tier with.
    pub query: &'a dyn Query,
    /// The known codes of the query.
    pub codes: &'a [String],
    /// Every scored candidate, best first.
    pub pool: &'a [(Score, DocAddress)],
    /// How many candidates each tier keeps.
    pub candidates: usize,
    /// Ranked sections the page needs (offset + limit).
    pub wanted: usize,
    /// Whether the search is filtered (then carriers outside the filters
    /// are not in the pool, and the tiers are searched for).
    pub filtered: bool,
}

/// The defining tier, the mentioning tier and the rest, each re-ranked.
pub fn rank(
    searcher: &Searcher,
    fields: &Fields,
    tiers: &TierSearch,
    reranking: &Reranking,
) -> tantivy::Result<Vec<Ranked>> {
    let in_pool: HashSet<DocAddress> = tiers.pool.iter().map(|(_, a)| *a).collect();
    let carried_by = |field| {
        if tiers.filtered {
            return Ok(None);
        }
        carriers_within(searcher, field, tiers.codes, &in_pool)
    };
    let mut seen: HashSet<DocAddress> = HashSet::new();
    let mut ranked = Vec::new();
    for field in [fields.codes_defined, fields.codes] {
        if ranked.len() >= tiers.wanted {
            break;
        }
        let tier: Vec<(Score, DocAddress)> = match carried_by(field)? {
            Some(carriers) => tiers
                .pool
                .iter()
                .filter(|(_, a)| carriers.contains(a))
                .take(tiers.candidates)
                .filter(|(_, a)| seen.insert(*a))
                .copied()
                .collect(),
            None => {
                let carriers = plan::carrying_codes(
                    tiers.query.box_clone(),
                    (field, tiers.codes),
                    (fields.sound, &[]),
                );
                searcher
                    .search(&*carriers, &TopDocs::with_limit(tiers.candidates))?
                    .into_iter()
                    .filter(|(_, a)| seen.insert(*a))
                    .collect()
            }
        };
        ranked.extend(reranking.apply(searcher, tier)?);
    }
    if ranked.len() < tiers.wanted {
        let rest: Vec<(Score, DocAddress)> = tiers
            .pool
            .iter()
            .take(tiers.candidates)
            .filter(|(_, a)| !seen.contains(a))
            .copied()
            .collect();
        ranked.extend(reranking.apply(searcher, rest)?);
    }
    Ok(ranked)
}

/// The live sections whose `field` holds one of `codes`, if every one of
/// them is in `pool`; `None` as soon as one is not.
pub fn carriers_within(
    searcher: &Searcher,
    field: Field,
    codes: &[String],
    pool: &HashSet<DocAddress>,
) -> tantivy::Result<Option<HashSet<DocAddress>>> {
    let mut carriers = HashSet::new();
    for (segment_ord, reader) in searcher.segment_readers().iter().enumerate() {
        let inverted = reader.inverted_index(field)?;
        let alive = reader.alive_bitset();
        for code in codes {
            let term = Term::from_field_text(field, code);
            let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)?
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    let address = DocAddress::new(segment_ord as u32, doc);
                    if !pool.contains(&address) {
                        return Ok(None);
                    }
                    carriers.insert(address);
                }
                doc = postings.advance();
            }
        }
    }
    Ok(Some(carriers))
}
