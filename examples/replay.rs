//! Replays a file of queries (one per line) against a built index, in
//! process and uncached, and prints the time per query.
//!
//! ```sh
//! python3 scripts/query-mix.py ../shared/corpus > /tmp/queries.txt
//! cargo run --release --example replay -- INDEX /tmp/queries.txt [ROUNDS]
//! ```
//!
//! Under `valgrind --tool=callgrind` it counts instructions, which do not
//! depend on what else the machine is doing: two builds compare exactly.
//!
//! `REPLAY_OFF=translit,lexicon` switches query features off (any of
//! fuzzy, layout, synonyms, translit, counterparts, lexicon, structure), to
//! measure what one costs.

use kbsearch::search::{Engine, SearchRequest};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(index), Some(queries)) = (args.next(), args.next()) else {
        eprintln!("usage: replay INDEX QUERIES [ROUNDS]");
        std::process::exit(2);
    };
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("KBSEARCH_LOG") {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let engine = Engine::open(std::path::Path::new(&index))
        .expect("the index opens")
        .with_cache_entries(0);
    let text = std::fs::read_to_string(&queries).expect("the query file reads");
    let queries: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    // Completions and the facet table load in the background: wait for
    // them, so every round takes the same route.
    let opened = Instant::now();
    engine.wait_for_tables();
    eprintln!("tables loaded at open ready after {:?}", opened.elapsed());
    let mut options = kbsearch::search::analyse::QueryOptions::default();
    for off in std::env::var("REPLAY_OFF").unwrap_or_default().split(',') {
        match off.trim() {
            "" => {}
            "fuzzy" => options.fuzzy = false,
            "layout" => options.layout = false,
            "synonyms" => options.synonyms = false,
            "translit" => options.translit = false,
            "counterparts" => options.counterparts = false,
            "lexicon" => options.lexicon = false,
            "structure" => options.structure = false,
            other => {
                eprintln!("REPLAY_OFF: unknown feature {other:?}");
                std::process::exit(2);
            }
        }
    }
    let mut times = Vec::with_capacity(queries.len() * rounds);
    // The slowest queries of the last round, for a profile to look at.
    let mut last_round: Vec<(f64, &str)> = Vec::new();
    let mut hits = 0usize;
    let started = Instant::now();
    for _ in 0..rounds {
        for query in &queries {
            let one = Instant::now();
            let mut request = SearchRequest::new(*query);
            request.options = options;
            let answer = engine.search(&request).expect("search succeeds");
            let ms = one.elapsed().as_secs_f64() * 1000.0;
            times.push(ms);
            if last_round.len() < queries.len() {
                last_round.push((ms, query));
            } else {
                let at = last_round.iter().position(|(_, q)| q == query).unwrap_or(0);
                last_round[at].0 = ms;
            }
            hits += answer.hits.len();
        }
    }
    let total = started.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    last_round.sort_by(|a, b| b.0.total_cmp(&a.0));
    if std::env::var_os("REPLAY_SLOWEST").is_some() {
        for (ms, query) in last_round.iter().take(10) {
            eprintln!("{ms:8.3} ms  {query}");
        }
    }
    let at = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!(
        "{} searches in {total:.3} s: mean {:.3} ms, p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; {hits} hits",
        times.len(),
        total * 1000.0 / times.len() as f64,
        at(0.5),
        at(0.99),
        at(1.0),
    );
}
