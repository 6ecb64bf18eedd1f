//! The least a search can cost on a built index, beside what kbsearch's
//! search costs on the same queries, in process and uncached.
//!
//! The floor is tantivy's BM25 top ten over the combined field for the
//! query's analysed terms (one `should` clause each), the ten sections read
//! from the store and their hits serialised to JSON: no typos, codes,
//! phrases, re-ranking, facets or snippets. The full search runs the whole
//! pipeline and serialises its response the same way.
//!
//! ```sh
//! python3 scripts/query-mix.py ../shared/corpus > /tmp/queries.txt
//! cargo run --release --example floor -- INDEX /tmp/queries.txt [ROUNDS]
//! ```

use kbsearch::analysis::analyze;
use kbsearch::search::{Engine, SearchRequest};
use std::time::Instant;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(index), Some(queries)) = (args.next(), args.next()) else {
        eprintln!("usage: floor INDEX QUERIES [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let engine = Engine::open(std::path::Path::new(&index))
        .expect("the index opens")
        .with_cache_entries(0);
    engine.wait_for_tables();
    let text = std::fs::read_to_string(&queries).expect("the query file reads");
    let queries: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let fields = *engine.fields();

    // Both loops alternate round by round, so a noisy machine slows both.
    let (mut floor, mut full) = (Vec::new(), Vec::new());
    let mut bytes = (0usize, 0usize);
    for _ in 0..rounds {
        for query in &queries {
            let started = Instant::now();
            let searcher = engine.searcher();
            let clauses: Vec<(Occur, Box<dyn Query>)> = analyze(query)
                .into_iter()
                .map(|t| {
                    let term = Term::from_field_text(fields.all, &t.text);
                    let query: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                    (Occur::Should, query)
                })
                .collect();
            let top = searcher
                .search(&BooleanQuery::new(clauses), &TopDocs::with_limit(10))
                .expect("search succeeds");
            let hits: Vec<serde_json::Value> = top
                .into_iter()
                .map(|(score, address)| {
                    let doc: TantivyDocument = searcher.doc(address).expect("doc reads");
                    let text = |field| {
                        doc.get_first(field)
                            .and_then(|v| v.as_str())
                            .unwrap_or_default()
                            .to_string()
                    };
                    serde_json::json!({
                        "path": text(fields.path),
                        "anchor": text(fields.anchor),
                        "title": text(fields.title),
                        "heading": text(fields.heading),
                        "score": score,
                    })
                })
                .collect();
            bytes.0 += serde_json::to_vec(&hits).expect("serialises").len();
            floor.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        for query in &queries {
            let started = Instant::now();
            let answer = engine
                .search(&SearchRequest::new(*query))
                .expect("search succeeds");
            bytes.1 += serde_json::to_vec(&answer).expect("serialises").len();
            full.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    for (name, times, bytes) in [("floor", &mut floor, bytes.0), ("full", &mut full, bytes.1)] {
        times.sort_by(f64::total_cmp);
        let at = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        println!(
            "{name:<5} {} searches: mean {:.3} ms, p50 {:.3} ms, p99 {:.3} ms; {} bytes of JSON per answer",
            times.len(),
            mean,
            at(0.5),
            at(0.99),
            bytes / times.len(),
        );
    }
}
