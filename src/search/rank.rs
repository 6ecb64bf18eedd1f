//! Re-ranking of the first candidates: the query's language first (the other
//! language's section right after when it scores better), overview sections
//! slightly below specific ones, and at most a few sections per document on
//! a page unless grouping is turned off.

use super::columns::Columns;
use super::coverage::Coverage;
use crate::index::schema::{counterpart_key, lang_id, LANG_EN};
use crate::ingest::structure::Role;
use crate::model::Lang;
use std::collections::HashMap;
use tantivy::{DocAddress, Searcher};

/// Score factor for sections in the other language than the query's.
const OTHER_LANGUAGE_FACTOR: f32 = 0.8;
/// Score factor for the text before the first heading and H1 sections,
/// which describe a whole article rather than one problem.
const OVERVIEW_FACTOR: f32 = 0.5;
/// Share of a section's translation's score added to it: the two texts say
/// the same, so a match in one is evidence for the other (a Russian query
/// matches the English original through the product names and codes they
/// share, and through words read in the other script or translated).
const COUNTERPART_SHARE: f32 = 0.25;
/// Score factors for a section under a label whose role the query does not
/// ask for. A query describing a problem may still be answered by a
/// "Solution", so those lose a little (a problem's own parts rank above
/// another problem's solutions); a query asking how to fix something is
/// not answered by a "Cause" or "Symptoms" section, which weighs like an
/// overview.
const RESOLUTION_FOR_A_PROBLEM: f32 = 0.9;
const PROBLEM_PART_FOR_A_FIX: f32 = OVERVIEW_FACTOR;
/// Sections of one document on a page when grouping.
pub const MAX_SECTIONS_PER_DOCUMENT: usize = 2;

/// How much the share of the query a section covers scales its score:
/// `covered ^ COVERAGE_POWER`, never below `MIN_COVERAGE_FACTOR`.
fn coverage_factor(covered: f32) -> f32 {
    covered.powf(COVERAGE_POWER).max(MIN_COVERAGE_FACTOR)
}
/// Chosen on the development queries: 2–4 give nearly the same results,
/// 1 lets repeated frequent words win, 6 and more ignore BM25 too much.
const COVERAGE_POWER: f32 = 3.0;
const MIN_COVERAGE_FACTOR: f32 = 0.05;

/// A candidate after re-ranking.
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    pub score: f32,
    pub address: DocAddress,
}

/// A candidate with what re-ranking reads of it.
struct Matched {
    address: DocAddress,
    /// The text score scaled by coverage.
    score: f32,
    doc_number: u64,
    lang: u64,
    level: u64,
    role: Role,
    pair: Option<u64>,
}

/// What re-ranking weighs besides the text (see
/// [`super::analyse::QueryOptions`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence {
    /// A section's translation among the candidates adds to it.
    pub counterparts: bool,
    /// The troubleshooting role the query asks for, when roles count:
    /// resolutions for a query that asks how to fix something, the
    /// problem's own parts (symptoms, causes) otherwise.
    pub wants: Option<Wants>,
}

/// What a query asks for, judged from its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wants {
    /// What to do (its words name an action: "fix", «решение»).
    Resolution,
    /// What is wrong: a description of the problem.
    Problem,
}

/// The score factor of a section of `role` for a query that `wants`.
fn role_factor(role: Role, wants: Wants) -> f32 {
    match (role, wants) {
        (Role::Resolution, Wants::Problem) => RESOLUTION_FOR_A_PROBLEM,
        (Role::Symptom | Role::Cause, Wants::Resolution) => PROBLEM_PART_FOR_A_FIX,
        _ => 1.0,
    }
}

/// The best score of each pair key among the candidates.
fn translation_scores(matched: &[Matched]) -> HashMap<u64, f32> {
    let mut best: HashMap<u64, f32> = HashMap::new();
    for m in matched {
        if let Some(pair) = m.pair {
            let entry = best.entry(pair).or_insert(0.0);
            *entry = entry.max(m.score);
        }
    }
    best
}

/// Re-orders `candidates` (best first) and groups sections by document.
pub fn rerank(
    searcher: &Searcher,
    columns: &Columns,
    candidates: Vec<(f32, DocAddress)>,
    prefer: Option<Lang>,
    group: bool,
    coverage: Option<&Coverage>,
    evidence: Evidence,
) -> tantivy::Result<Vec<Ranked>> {
    let covered = match coverage {
        Some(coverage) => {
            let addresses: Vec<DocAddress> = candidates.iter().map(|(_, a)| *a).collect();
            coverage.of(searcher, &addresses)?
        }
        None => vec![1.0; candidates.len()],
    };
    let mut matched = Vec::with_capacity(candidates.len());
    for ((score, address), covered) in candidates.into_iter().zip(covered) {
        let c = columns.of(searcher, address.segment_ord)?;
        let doc_id = address.doc_id;
        matched.push(Matched {
            address,
            score: score * coverage_factor(covered),
            doc_number: c.doc_number.first(doc_id).unwrap_or(u64::MAX),
            lang: c.lang.first(doc_id).unwrap_or(LANG_EN),
            role: Role::from_id(c.role.first(doc_id).unwrap_or(0)),
            level: c.level.first(doc_id).unwrap_or(2),
            pair: c.pair.first(doc_id),
        });
    }
    let translations = if evidence.counterparts {
        translation_scores(&matched)
    } else {
        HashMap::new()
    };
    let mut scored = Vec::with_capacity(matched.len());
    for m in matched {
        let Matched {
            address,
            doc_number,
            lang,
            level,
            role,
            ..
        } = m;
        let mut adjusted = m.score;
        if let Some(other) = m
            .pair
            .and_then(|pair| translations.get(&counterpart_key(pair)))
        {
            adjusted += COUNTERPART_SHARE * other;
        }
        if prefer.is_some_and(|prefer| lang != lang_id(prefer)) {
            adjusted *= OTHER_LANGUAGE_FACTOR;
        }
        if level <= 1 {
            adjusted *= OVERVIEW_FACTOR;
        }
        if let Some(wants) = evidence.wants {
            adjusted *= role_factor(role, wants);
        }
        scored.push((adjusted, doc_number, address));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    if !group {
        return Ok(scored
            .into_iter()
            .map(|(score, _, address)| Ranked { score, address })
            .collect());
    }
    let mut per_document: HashMap<u64, usize> = HashMap::new();
    let (mut first, mut rest) = (Vec::new(), Vec::new());
    for (score, doc_number, address) in scored {
        let seen = per_document.entry(doc_number).or_insert(0);
        *seen += 1;
        let ranked = Ranked { score, address };
        if *seen <= MAX_SECTIONS_PER_DOCUMENT {
            first.push(ranked);
        } else {
            rest.push(ranked);
        }
    }
    first.extend(rest);
    Ok(first)
}
