//! Indexes the real third-party corpus in `../shared/corpus` (skipped with a
//! message when it is absent).

mod common;

use regex::Regex;
use std::collections::{BTreeSet, HashSet};
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

#[test]
fn whole_corpus_indexes_without_skips_and_keeps_every_explicit_anchor() {
    let Some(corpus) = common::shared_corpus() else {
        return;
    };
    let index_dir = tempfile::tempdir().unwrap();
    let (report, skipped) = common::build(&corpus, index_dir.path());
    assert!(skipped.is_empty(), "skipped files: {skipped:?}");
    assert!(
        report.manifest.documents >= 90,
        "{} documents",
        report.manifest.documents
    );
    assert!(report.manifest.sections > 1000);
    assert!(report.manifest.codes > 50);

    // Every (path, anchor) stored in the index.
    let engine = kbsearch::search::Engine::open(index_dir.path()).unwrap();
    let searcher = engine.searcher();
    let fields = engine.fields();
    let mut indexed: HashSet<(String, String)> = HashSet::new();
    for address in searcher.search(&AllQuery, &DocSetCollector).unwrap() {
        let doc: TantivyDocument = searcher.doc(address).unwrap();
        let path = doc
            .get_first(fields.path)
            .and_then(|v| v.as_str())
            .unwrap()
            .to_string();
        for anchor in doc.get_all(fields.anchor).filter_map(|v| v.as_str()) {
            indexed.insert((path.clone(), anchor.to_string()));
        }
    }

    let explicit = Regex::new(r#"<a\s+(?:name|id)\s*=\s*"([^"]+)""#).unwrap();
    let mut expected = BTreeSet::new();
    for file in kbsearch::ingest::discover(&corpus).unwrap() {
        let text = std::fs::read_to_string(&file.path).unwrap();
        let mut in_fence = false;
        for line in text.lines() {
            if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
                in_fence = !in_fence;
            }
            if in_fence {
                continue;
            }
            for caps in explicit.captures_iter(line) {
                expected.insert((file.id.clone(), caps[1].to_string()));
            }
        }
    }
    assert!(
        expected.len() > 500,
        "only {} explicit anchors found",
        expected.len()
    );
    let missing: Vec<_> = expected.iter().filter(|k| !indexed.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "{} anchors not indexed, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
}

/// On the long sections of real articles too, the snippets come out as
/// tantivy's generator running the full index analyzer makes them: the
/// queries are the first words of every fifth section heading.
#[test]
fn snippets_equal_those_of_the_full_analyzer_on_real_sections() {
    use kbsearch::synonyms::Synonyms;

    let Some(corpus) = common::shared_corpus() else {
        return;
    };
    let index_dir = tempfile::tempdir().unwrap();
    common::build(&corpus, index_dir.path());
    let engine = kbsearch::search::Engine::open(index_dir.path()).unwrap();
    let searcher = engine.searcher();
    let synonyms = Synonyms::load(&common::content_dir()).expect("content/synonyms.toml");
    let mut addresses: Vec<_> = searcher
        .search(&AllQuery, &DocSetCollector)
        .unwrap()
        .into_iter()
        .collect();
    addresses.sort();
    let mut compared = 0;
    let mut marked = 0;
    for address in addresses.iter().step_by(5) {
        let doc: TantivyDocument = searcher.doc(*address).unwrap();
        let heading = common::stored_text(&doc, engine.fields().heading);
        let text: Vec<&str> = heading.split_whitespace().take(4).collect();
        let (these, marking) = common::compare_snippets(&engine, &synonyms, &text.join(" "));
        compared += these;
        marked += marking;
    }
    assert!(compared >= 500, "only {compared} snippets compared");
    assert_eq!(marked, compared);
}
