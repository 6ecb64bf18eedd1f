//! The one-pass sweep (`kbsearch::search::sweep`) ranks, counts and counts
//! facets exactly as tantivy's collectors do over the same term clauses —
//! on an index with several segments and deleted sections, with and
//! without filters.

mod common;

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

use kbsearch::model::Lang;
use kbsearch::search::analyse::{AnalyzedQuery, QueryOptions};
use kbsearch::search::facets::{FacetTable, ValueCounts, LANG, PRODUCT};
use kbsearch::search::plan::{self, Filters};
use kbsearch::search::{sweep, Engine};
use kbsearch::synonyms::Synonyms;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;
use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, Searcher};

/// Single common words beside the mixed queries: most sections match.
const COMMON_WORDS: &[&str] = &["error", "ошибка"];

fn facet_counts(
    searcher: &Searcher,
    analyzed: &AnalyzedQuery,
    engine: &Engine,
    filters: &Filters,
    table: &std::sync::Arc<FacetTable>,
) -> (HashMap<String, u64>, HashMap<String, u64>) {
    let fields = engine.fields();
    let without_products = Filters {
        lang: filters.lang,
        products: Vec::new(),
    };
    let without_lang = Filters {
        lang: None,
        products: filters.products.clone(),
    };
    let products = searcher
        .search(
            &*plan::build_matching(analyzed, fields, &without_products),
            &ValueCounts::new(PRODUCT, Some(table.clone())),
        )
        .unwrap();
    let langs = searcher
        .search(
            &*plan::build_matching(analyzed, fields, &without_lang),
            &ValueCounts::new(LANG, Some(table.clone())),
        )
        .unwrap();
    (products, langs)
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-5 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn sweep_ranks_and_counts_as_the_collectors_do() {
    let content = tempfile::tempdir().unwrap();
    common::copy_dir(&common::content_dir(), content.path());
    let queries: Vec<String> = common::MIXED_QUERIES
        .iter()
        .chain(COMMON_WORDS)
        .map(|q| q.to_string())
        .collect();
    compare_after_edits(content.path(), &queries);
}

/// The same on a generated knowledge base of a few thousand sections:
/// posting lists of many blocks, several windows per segment.
#[test]
fn sweep_ranks_and_counts_as_the_collectors_do_at_scale() {
    let content = tempfile::tempdir().unwrap();
    let summary = gen_corpus::generate(&gen_corpus::GenConfig {
        docs: 500,
        out: content.path().to_path_buf(),
        seed: 7,
        vocab: gen_corpus::default_vocab_dir(),
        threads: 0,
    })
    .unwrap();
    assert!(summary.sections > 9_000, "{summary:?}");
    // Queries: the first words of some generated headings.
    let mut queries = Vec::new();
    for path in common::walk(content.path()).iter().take(12) {
        let text = fs::read_to_string(path).unwrap();
        if let Some(heading) = text.lines().find(|l| l.starts_with("## ")) {
            let words: Vec<&str> = heading[3..].split_whitespace().take(3).collect();
            queries.push(words.join(" "));
        }
    }
    assert!(queries.len() >= 8, "{queries:?}");
    compare_after_edits(content.path(), &queries);
}

/// Builds `content`, edits some files and builds again (a second segment,
/// deleted sections), then compares the sweep with the collectors.
fn compare_after_edits(content: &Path, queries: &[String]) {
    let index_dir = tempfile::tempdir().unwrap();
    common::build(content, index_dir.path());
    assert!(common::edit_some_files(content) >= 5);
    let (report, _) = common::build(content, index_dir.path());
    assert!(report.manifest.changes.incremental);

    let engine = Engine::open(index_dir.path()).unwrap();
    let searcher = engine.searcher();
    assert!(searcher.segment_readers().len() >= 2, "one segment only");
    assert!(
        searcher
            .segment_readers()
            .iter()
            .any(|r| r.num_deleted_docs() > 0),
        "no deleted sections"
    );
    let fields = engine.fields();
    let synonyms = Synonyms::load(&common::content_dir()).unwrap();
    let table = std::sync::Arc::new(FacetTable::build(&searcher, &[PRODUCT, LANG]));
    let some_product = {
        let analyzed = AnalyzedQuery::prepare(
            "error",
            &searcher,
            fields,
            &synonyms,
            &QueryOptions::default(),
        );
        let (products, _) =
            facet_counts(&searcher, &analyzed, &engine, &Filters::default(), &table);
        products
            .into_iter()
            .filter(|(p, _)| !p.is_empty())
            .max_by_key(|(_, n)| *n)
            .expect("a product")
            .0
    };
    let everything = 100_000;
    let mut compared = 0;
    for text in queries {
        let analyzed =
            AnalyzedQuery::prepare(text, &searcher, fields, &synonyms, &QueryOptions::default());
        let clauses = plan::scoring_clauses(&analyzed, fields);
        for filters in [
            Filters::default(),
            Filters {
                lang: Some(Lang::Ru),
                products: Vec::new(),
            },
            Filters {
                lang: None,
                products: vec![some_product.clone()],
            },
            Filters {
                lang: Some(Lang::En),
                products: vec![some_product.clone(), "no-such-product".into()],
            },
        ] {
            let swept = sweep::sweep(&searcher, &clauses, everything, &filters, &table)
                .unwrap()
                .expect("the table covers every segment");
            let terms = plan::build_terms(&analyzed, fields, &filters);
            let (top, count) = searcher
                .search(&*terms, &(TopDocs::with_limit(everything), Count))
                .unwrap();
            let context = format!("{text:?} {filters:?}");
            assert_eq!(swept.total, count, "{context}");
            assert_eq!(swept.top.len(), top.len(), "{context}");
            let expected: BTreeMap<DocAddress, f32> = top.iter().map(|(s, a)| (*a, *s)).collect();
            for (score, address) in &swept.top {
                let want = expected
                    .get(address)
                    .unwrap_or_else(|| panic!("{context}: {address:?} not matched"));
                assert!(
                    close(*score, *want),
                    "{context} {address:?}: {score} vs {want}"
                );
            }
            for pair in swept.top.windows(2) {
                assert!(pair[0].0 >= pair[1].0, "{context}: not best first");
            }
            let (products, langs) = facet_counts(&searcher, &analyzed, &engine, &filters, &table);
            assert_eq!(swept.products, products, "{context}");
            assert_eq!(swept.langs, langs, "{context}");

            // Swept in two halves per segment, on two threads: the same.
            for limit in [everything, 7] {
                let whole = sweep::sweep(&searcher, &clauses, limit, &filters, &table)
                    .unwrap()
                    .unwrap();
                let halves = sweep::sweep_splitting(
                    &searcher,
                    &clauses,
                    limit,
                    &filters,
                    &table,
                    sweep::Split::ALWAYS,
                )
                .unwrap()
                .unwrap();
                assert_eq!(halves.total, whole.total, "{context}: split total");
                assert_eq!(halves.top, whole.top, "{context}: split top {limit}");
                assert_eq!(halves.products, whole.products, "{context}: split products");
                assert_eq!(halves.langs, whole.langs, "{context}: split languages");
            }

            // A short list is the head of the long one.
            let few = sweep::sweep(&searcher, &clauses, 7, &filters, &table)
                .unwrap()
                .unwrap();
            assert_eq!(few.total, count, "{context}");
            assert_eq!(few.top.len(), count.min(7), "{context}");
            for (got, want) in few.top.iter().zip(&swept.top) {
                assert!(close(got.0, want.0), "{context}: {got:?} vs {want:?}");
            }
            compared += usize::from(count > 0);
        }
    }
    assert!(compared >= queries.len() * 2, "too few queries matched");
}

#[test]
fn sweep_waits_for_a_table_of_every_segment() {
    let index_dir = tempfile::tempdir().unwrap();
    common::build(&common::content_dir(), index_dir.path());
    let engine = Engine::open(index_dir.path()).unwrap();
    let searcher = engine.searcher();
    let synonyms = Synonyms::load(&common::content_dir()).unwrap();
    let analyzed = AnalyzedQuery::prepare(
        "error",
        &searcher,
        engine.fields(),
        &synonyms,
        &QueryOptions::default(),
    );
    let clauses = plan::scoring_clauses(&analyzed, engine.fields());
    let empty = FacetTable::default();
    let swept = sweep::sweep(&searcher, &clauses, 10, &Filters::default(), &empty).unwrap();
    assert!(swept.is_none());
    let full = FacetTable::build(&searcher, &[PRODUCT, LANG]);
    let swept = sweep::sweep(&searcher, &clauses, 10, &Filters::default(), &full).unwrap();
    assert!(swept.is_some_and(|s| s.total > 0));
}
