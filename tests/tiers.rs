//! Code tiers (`kbsearch::search::tiers`): splitting the scored candidates
//! by code field ranks exactly as searching each tier does, and the split
//! is only used when every carrier of the code is among the candidates.

mod common;

use kbsearch::search::analyse::{AnalyzedQuery, QueryOptions};
use kbsearch::search::plan::{self, Filters};
use kbsearch::search::rank::Ranked;
use kbsearch::search::tiers::{self, Reranking, TierSearch};
use kbsearch::search::{coverage::Coverage, Engine};
use kbsearch::synonyms::Synonyms;
use std::collections::HashSet;
use tantivy::collector::TopDocs;
use tantivy::DocAddress;

/// Queries of only a code, and codes beside words, in both languages.
const CODE_QUERIES: &[&str] = &[
    "0x80070005",
    "0x80070002",
    "ERROR_FILE_NOT_FOUND",
    "AADSTS50058",
    "access denied 0x80070005",
    "ошибка 0x80070002 файл не найден",
    "служба не запускается ошибка 1069",
];

#[test]
fn splitting_the_candidates_ranks_the_tiers_as_searching_them_does() {
    let content = tempfile::tempdir().unwrap();
    common::copy_dir(&common::content_dir(), content.path());
    let index_dir = tempfile::tempdir().unwrap();
    common::build(content.path(), index_dir.path());
    // A second segment and deleted sections: carriers must be live ones.
    assert!(common::edit_some_files(content.path()) >= 5);
    common::build(content.path(), index_dir.path());

    let engine = Engine::open(index_dir.path()).unwrap();
    let searcher = engine.searcher();
    assert!(searcher
        .segment_readers()
        .iter()
        .any(|r| r.num_deleted_docs() > 0));
    let fields = engine.fields();
    let synonyms = Synonyms::load(&common::content_dir()).unwrap();
    let mut split = 0;
    for text in CODE_QUERIES {
        let analyzed =
            AnalyzedQuery::prepare(text, &searcher, fields, &synonyms, &QueryOptions::default());
        let codes = engine.known_codes_among(&analyzed.codes.exact);
        assert!(!codes.is_empty(), "{text}: no known code");
        let query = plan::build(&analyzed, fields, &Filters::default());
        // Every match, best first: the pool holds every carrier.
        let pool = searcher
            .search(&*query, &TopDocs::with_limit(100_000))
            .unwrap();
        let in_pool: HashSet<DocAddress> = pool.iter().map(|(_, a)| *a).collect();
        let defined = tiers::carriers_within(&searcher, fields.codes_defined, &codes, &in_pool)
            .unwrap()
            .expect("every defining section is in the pool");
        let mentioned = tiers::carriers_within(&searcher, fields.codes, &codes, &in_pool)
            .unwrap()
            .expect("every mentioning section is in the pool");
        assert!(!mentioned.is_empty(), "{text}: no carrier");
        assert!(mentioned.iter().all(|a| searcher
            .segment_reader(a.segment_ord)
            .alive_bitset()
            .is_none_or(|alive| alive.is_alive(a.doc_id))));
        // A pool without one carrier is not split.
        let carrier = *mentioned.iter().next().unwrap();
        let mut short = in_pool.clone();
        short.remove(&carrier);
        assert!(
            tiers::carriers_within(&searcher, fields.codes, &codes, &short)
                .unwrap()
                .is_none(),
            "{text}: a missing carrier went unnoticed"
        );

        let coverage = Coverage::new(&searcher, fields, &analyzed);
        let reranking = Reranking {
            columns: engine.columns(),
            prefer: None,
            group: true,
            coverage: coverage.as_ref(),
            evidence: kbsearch::search::rank::Evidence {
                counterparts: true,
                wants: None,
            },
        };
        for (candidates, wanted) in [(40, 10), (4, 3), (100, 100)] {
            let search = |filtered| TierSearch {
                query: &*query,
                codes: &codes,
                pool: &pool,
                candidates,
                wanted,
                filtered,
            };
            let by_split = tiers::rank(&searcher, fields, &search(false), &reranking).unwrap();
            let by_search = tiers::rank(&searcher, fields, &search(true), &reranking).unwrap();
            let addresses = |ranked: &[Ranked]| -> Vec<DocAddress> {
                ranked.iter().map(|r| r.address).collect()
            };
            assert_eq!(
                addresses(&by_split),
                addresses(&by_search),
                "{text}: candidates {candidates}, wanted {wanted}"
            );
            for (a, b) in by_split.iter().zip(&by_search) {
                assert!((a.score - b.score).abs() <= 1e-5 * a.score.abs().max(1.0));
            }
            // Defining sections lead.
            let first = by_split.first().expect("ranked sections");
            if !defined.is_empty() {
                assert!(defined.contains(&first.address), "{text}");
            }
        }
        split += 1;
    }
    assert_eq!(split, CODE_QUERIES.len());
}
