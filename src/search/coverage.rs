//! Query coverage: the share of a query's meaning a section contains.
//!
//! BM25 adds up term scores, so a short section that repeats one frequent
//! word (a product name in every heading of an article) can outscore the
//! section that contains most of what was asked. Coverage is the classic
//! coordination factor: the IDF-weighted share of the query words found in
//! the section (any field, fuzzy matches and synonyms included), used by
//! [`super::rank`] to scale the text score.

use super::analyse::AnalyzedQuery;
use super::plan::match_term;
use super::seek_to;
use crate::index::Fields;
use tantivy::query::{EnableScoring, Query, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

/// One thing the query asks for, and how much it weighs.
///
/// A section holds it when it holds every part of one of its alternatives
/// (a word: in the text or in a parent heading; a synonym phrase: all of
/// its words). Each part is looked up on its own: the candidates are few
/// and far apart, and a union of the parts would fill a window of
/// thousands of sections at every look-up.
struct Group {
    alternatives: Vec<Vec<Box<dyn Weight>>>,
    idf: f32,
    /// Synonym expansions only add to coverage; they are not required.
    optional: bool,
}

/// The query's words, ready to be looked up in candidate sections.
pub struct Coverage {
    groups: Vec<Group>,
    required_idf: f32,
}

impl Coverage {
    /// Prepares lookups for the query's text terms and synonym expansions.
    /// Returns `None` when there is nothing to weigh (a code-only query or a
    /// single word, where coverage cannot tell sections apart).
    pub fn new(searcher: &Searcher, fields: &Fields, query: &AnalyzedQuery) -> Option<Coverage> {
        if query.terms.len() < 2 {
            return None;
        }
        let total = searcher.num_docs().max(1) as f32;
        let idf = |df: u64| (1.0 + total / (df as f32 + 1.0)).ln();
        // `None` for a misspelt word, whose frequency is unknown.
        let exact_idfs: Vec<Option<f32>> = query
            .terms
            .iter()
            .map(|t| {
                (t.fuzzy == 0)
                    .then(|| idf(searcher.doc_freq(&all_term(fields, &t.text)).unwrap_or(0)))
            })
            .collect();
        // A misspelt word weighs like an average word.
        let known: Vec<f32> = exact_idfs.iter().flatten().copied().collect();
        let typical = if known.is_empty() {
            1.0
        } else {
            known.iter().sum::<f32>() / known.len() as f32
        };
        let scoring = EnableScoring::disabled_from_searcher(searcher);
        let mut groups = Vec::new();
        for (term, exact_idf) in query.terms.iter().zip(&exact_idfs) {
            let idf = exact_idf.unwrap_or(typical);
            let readings = term.readings.iter().map(|reading| {
                let sound = Term::from_field_text(fields.sound, reading);
                Box::new(TermQuery::new(sound, IndexRecordOption::Basic)) as Box<dyn Query>
            });
            let translations = term.translations.iter().map(|(translation, _)| {
                let all = all_term(fields, translation);
                Box::new(TermQuery::new(all, IndexRecordOption::Basic)) as Box<dyn Query>
            });
            let alternatives = [
                match_term(fields.all, term),
                match_term(fields.breadcrumbs, term),
            ]
            .into_iter()
            .chain(readings)
            .chain(translations)
            .collect::<Vec<_>>()
            .iter()
            .map(|query| query.weight(scoring).map(|weight| vec![weight]))
            .collect::<tantivy::Result<Vec<_>>>()
            .ok()?;
            groups.push(Group {
                alternatives,
                idf,
                optional: false,
            });
        }
        for member in &query.expansions {
            let words = member
                .iter()
                .map(|t| {
                    TermQuery::new(all_term(fields, t), IndexRecordOption::Basic).weight(scoring)
                })
                .collect::<tantivy::Result<Vec<_>>>()
                .ok()?;
            let idf = member
                .iter()
                .map(|t| idf(searcher.doc_freq(&all_term(fields, t)).unwrap_or(0)))
                .fold(0.0, f32::max);
            groups.push(Group {
                alternatives: vec![words],
                idf,
                optional: true,
            });
        }
        let required_idf: f32 = groups.iter().filter(|g| !g.optional).map(|g| g.idf).sum();
        (required_idf > 0.0).then_some(Coverage {
            groups,
            required_idf,
        })
    }

    /// Coverage in `0.0..=1.0` of each candidate, in the candidates' order.
    pub fn of(&self, searcher: &Searcher, candidates: &[DocAddress]) -> tantivy::Result<Vec<f32>> {
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        order.sort_by_key(|&i| candidates[i]);
        let mut found = vec![0.0f32; candidates.len()];
        let mut start = 0;
        while start < order.len() {
            let segment = candidates[order[start]].segment_ord;
            let end = order[start..]
                .iter()
                .position(|&i| candidates[i].segment_ord != segment)
                .map_or(order.len(), |n| start + n);
            let reader = searcher.segment_reader(segment);
            for group in &self.groups {
                let mut alternatives = group
                    .alternatives
                    .iter()
                    .map(|parts| {
                        parts
                            .iter()
                            .map(|part| part.scorer(reader, 1.0))
                            .collect::<tantivy::Result<Vec<_>>>()
                    })
                    .collect::<tantivy::Result<Vec<_>>>()?;
                for &i in &order[start..end] {
                    let target = candidates[i].doc_id;
                    let holds = alternatives
                        .iter_mut()
                        .any(|parts| parts.iter_mut().all(|part| seek_to(part, target) == target));
                    if holds {
                        found[i] += group.idf;
                    }
                }
            }
            start = end;
        }
        Ok(found
            .into_iter()
            .map(|idf| (idf / self.required_idf).min(1.0))
            .collect())
    }
}

fn all_term(fields: &Fields, text: &str) -> Term {
    Term::from_field_text(fields.all, text)
}
