//! Phrase-proximity bonuses, added to the best candidates only.
//!
//! The scoring query is the sum of term clauses and phrase clauses
//! ([`super::query::build_with`]). Ranking every matching section with the
//! phrases means decoding positions for every section holding two query
//! words; instead the term clauses pick the candidates (a top-k search that
//! can skip blocks) and the phrase clauses score just those, which gives
//! each candidate the same score as the whole query.

use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocSet, Score, Searcher, TERMINATED};

/// Adds the score of every clause in `phrases` to the candidates it matches,
/// then sorts the candidates by score, best first.
pub fn add_scores(
    searcher: &Searcher,
    phrases: &[Box<dyn Query>],
    candidates: &mut [(Score, DocAddress)],
) -> tantivy::Result<()> {
    if !phrases.is_empty() && !candidates.is_empty() {
        let weights = phrases
            .iter()
            .map(|q| q.weight(EnableScoring::enabled_from_searcher(searcher)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        // Candidates in index order: one forward pass per segment and clause.
        let mut order: Vec<(DocAddress, usize)> = candidates
            .iter()
            .enumerate()
            .map(|(i, (_, address))| (*address, i))
            .collect();
        order.sort_unstable();
        for segment in order.chunk_by(|a, b| a.0.segment_ord == b.0.segment_ord) {
            let reader = searcher.segment_reader(segment[0].0.segment_ord);
            for weight in &weights {
                let mut scorer = weight.scorer(reader, 1.0)?;
                for &(address, i) in segment {
                    let mut at = scorer.doc();
                    if at < address.doc_id {
                        at = scorer.seek(address.doc_id);
                    }
                    if at == TERMINATED {
                        break;
                    }
                    if at == address.doc_id {
                        candidates[i].0 += scorer.score();
                    }
                }
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(())
}
