//! In-process query latency per query class, kbsearch vs SQLite FTS5.
//!
//! ```text
//! cargo bench --bench search                      # real corpus + ~100 k generated sections
//! KBSEARCH_BENCH_1M=1 cargo bench --bench search  # … + ~1 M generated sections
//! KBSEARCH_BENCH_ONLY=gen1m KBSEARCH_BENCH_1M=1 cargo bench --bench search  # just one corpus
//! KBSEARCH_BENCH_PROFILE=gen1m:long …             # loop one class for 30 s (for perf)
//! KBSEARCH_BENCH_QUICK=1 …                        # kbsearch percentiles only, no FTS5
//! ```
//!
//! Corpora:
//! * `real` — `../shared/corpus` (or `KBSEARCH_BENCH_CORPUS`); skipped with a
//!   message when absent;
//! * `gen100k` — 5 000 generated documents (≈100 k sections);
//! * `gen1m` — 50 000 generated documents (≈1 M sections), only with
//!   `KBSEARCH_BENCH_1M=1`.
//!
//! Everything is built once under `target/bench-data/<corpus>/` (generated
//! Markdown, the kbsearch index, the FTS5 database) and reused; an index is
//! rebuilt when `kbsearch::index::rebuild_reason` says so (format change,
//! newer content). Delete the folder to start over.
//!
//! Each run first measures every query class with both engines one query at
//! a time (p50/p95/p99 over all queries × rounds), prints a table with the
//! kbsearch/FTS5 ratios and writes it to `target/bench-data/results-<corpus>.md`;
//! then criterion measures the mean per class (one iteration = the next
//! query of the class).
//!
//! FTS5 side: one `fts5(heading, title, body)` table with the `unicode61
//! remove_diacritics 2` tokenizer, loaded with the same sections kbsearch
//! indexes (`kbsearch::ingest`), `optimize`d; a query quotes each token of
//! the query text, ORs them, orders by `bm25()` and takes 10 rows with their
//! heading, title and a `snippet()` of the body (kbsearch also returns
//! snippets). FTS5 has no typo tolerance: the fuzzy class is there for the
//! latency comparison only.

/// The allocator the `kbsearch` binary ships with (see src/main.rs), so
/// in-process latencies are those of the server.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

use criterion::Criterion;
use gen_corpus::Rng;
use kbsearch::index::{self, BuildOptions};
use kbsearch::ingest;
use kbsearch::search::{Engine, SearchRequest};
use rusqlite::Connection;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One section as both engines see it.
struct Section {
    title: String,
    heading: String,
    body: String,
    codes: Vec<String>,
    lang_ru: bool,
}

struct Corpus {
    name: &'static str,
    content: PathBuf,
    data: PathBuf,
    /// Hand-written symptom queries (real corpus) instead of generated ones.
    written: bool,
}

const CLASSES: [&str; 5] = ["code", "short_en", "short_ru", "long", "fuzzy"];
const PER_CLASS: usize = 12;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let data = target.join("bench-data");
    std::fs::create_dir_all(&data).expect("cannot create target/bench-data");

    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(10)
        .without_plots()
        .configure_from_args();

    let mut corpora = Vec::new();
    let real = std::env::var_os("KBSEARCH_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus"));
    if real.is_dir() {
        corpora.push(Corpus {
            name: "real",
            content: real,
            data: data.join("real"),
            written: true,
        });
    } else {
        eprintln!(
            "bench: {} is absent; skipping the real-corpus measurement",
            real.display()
        );
    }
    corpora.push(generated(&data, "gen100k", 5_000));
    if std::env::var("KBSEARCH_BENCH_1M").is_ok_and(|v| v == "1") {
        corpora.push(generated(&data, "gen1m", 50_000));
    } else {
        eprintln!("bench: set KBSEARCH_BENCH_1M=1 to add the ~1 M-section corpus");
    }

    // KBSEARCH_BENCH_ONLY=gen1m[,real…]: measure only these corpora.
    let only = std::env::var("KBSEARCH_BENCH_ONLY").unwrap_or_default();
    for corpus in &corpora {
        if only.is_empty() || only.split(',').any(|n| n.trim() == corpus.name) {
            run_corpus(corpus, &data, &mut criterion);
        }
    }
    criterion.final_summary();
}

fn generated(data: &Path, name: &'static str, docs: usize) -> Corpus {
    let dir = data.join(name);
    let content = dir.join("content");
    let marker = dir.join("content.complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&content);
        let config = gen_corpus::GenConfig {
            docs,
            out: content.clone(),
            seed: 1,
            vocab: gen_corpus::default_vocab_dir(),
            threads: 0,
        };
        let s = gen_corpus::generate(&config).expect("generating the corpus failed");
        eprintln!(
            "bench: generated {name}: {} documents, {} sections, {:.1} MiB in {:.1} s",
            s.docs,
            s.sections,
            s.bytes as f64 / 1048576.0,
            s.seconds
        );
        std::fs::write(&marker, format!("{docs}\n")).expect("cannot write marker");
    }
    Corpus {
        name,
        content,
        data: dir,
        written: false,
    }
}

fn run_corpus(corpus: &Corpus, data: &Path, criterion: &mut Criterion) {
    let index_dir = corpus.data.join("index");
    if let Some(reason) = index::rebuild_reason(&corpus.content, &index_dir, None) {
        eprintln!("bench: building the {} index ({reason})", corpus.name);
        let started = Instant::now();
        let report = index::build(&BuildOptions::new(&corpus.content, &index_dir), |_| {})
            .expect("index build failed");
        eprintln!(
            "bench: {} index: {} sections in {:.1} s",
            corpus.name,
            report.manifest.sections,
            started.elapsed().as_secs_f64()
        );
    }
    let started = Instant::now();
    // The response cache would answer every repeated query from memory;
    // the benchmark measures searching.
    let engine = Engine::open(&index_dir)
        .expect("cannot open the index")
        .with_cache_entries(0);
    let open_ms = started.elapsed().as_secs_f64() * 1000.0;
    // The tables a background thread loads at open (facets, completions,
    // the typo vocabulary) are waited for: searches are timed on the route
    // a running server takes.
    let started = Instant::now();
    engine.wait_for_tables();
    eprintln!(
        "bench: {} tables loaded at open ready {:.0} ms later",
        corpus.name,
        started.elapsed().as_secs_f64() * 1000.0
    );

    let sections = load_sections(&corpus.content);
    let db = open_fts5(&corpus.data.join("fts5.sqlite"), &sections);
    let queries = make_queries(corpus, &sections);
    drop(sections);

    // KBSEARCH_BENCH_PROFILE=<corpus>:<class>: only run that class with
    // kbsearch for 30 s (attach `perf record -p <pid>`), nothing else.
    if let Ok(spec) = std::env::var("KBSEARCH_BENCH_PROFILE") {
        let (name, class) = spec.split_once(':').unwrap_or((spec.as_str(), "long"));
        if name == corpus.name {
            let at = CLASSES.iter().position(|c| *c == class).unwrap_or(3);
            eprintln!(
                "bench: profiling {name}:{} (pid {})",
                CLASSES[at],
                std::process::id()
            );
            let started = Instant::now();
            let mut n = 0usize;
            while started.elapsed() < Duration::from_secs(30) {
                for q in &queries[at] {
                    black_box(engine.search(&SearchRequest::new(q)).unwrap());
                    n += 1;
                }
            }
            eprintln!("bench: {n} searches, {:.2} ms each", 30_000.0 / n as f64);
        }
        return;
    }

    // KBSEARCH_BENCH_QUICK=1: kbsearch percentiles per class only (no FTS5,
    // no criterion), for comparing two builds of the engine quickly.
    if std::env::var("KBSEARCH_BENCH_QUICK").is_ok_and(|v| v == "1") {
        for (class, qs) in CLASSES.iter().zip(&queries) {
            for q in qs {
                if engine
                    .search(&SearchRequest::new(q))
                    .unwrap()
                    .hits
                    .is_empty()
                {
                    eprintln!("bench: no hits in {}/{class} for {q:?}", corpus.name);
                }
            }
            let kb = measure_kbsearch(&engine, qs);
            println!(
                "quick {}/{class}: p50 {} p95 {} p99 {} hits {}/{}",
                corpus.name,
                ms(kb.p50),
                ms(kb.p95),
                ms(kb.p99),
                kb.hit,
                qs.len()
            );
        }
        return;
    }

    // --- percentiles, one query at a time
    let mut report = String::new();
    let _ = writeln!(
        report,
        "### {} — {} sections ({} documents), Engine::open {:.0} ms\n",
        corpus.name,
        engine.manifest().sections,
        engine.manifest().documents,
        open_ms
    );
    report.push_str("| class | queries | kbsearch p50 | p95 | p99 | FTS5 p50 | p95 | p99 | ratio p50 | ratio p99 | kbsearch hits | FTS5 hits |\n");
    report.push_str(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let mut stmt = db.prepare(FTS_SQL).expect("bad FTS5 statement");
    // per-query medians, for finding the slow ones
    let mut tsv = String::from("class\tkbsearch_ms\tfts5_ms\tkbsearch_total\tquery\n");
    for (class, qs) in CLASSES.iter().zip(&queries) {
        for q in qs {
            let mut total = 0;
            let kb = measure_for(
                std::slice::from_ref(q),
                Duration::from_millis(150),
                3,
                |q| {
                    total = engine.search(&SearchRequest::new(q)).unwrap().total;
                    1
                },
            );
            let fts = measure_for(
                std::slice::from_ref(q),
                Duration::from_millis(150),
                3,
                |q| fts_query(&mut stmt, q),
            );
            let _ = writeln!(
                tsv,
                "{class}\t{:.2}\t{:.2}\t{total}\t{q}",
                kb.p50 * 1000.0,
                fts.p50 * 1000.0
            );
        }
    }
    let file = data.join(format!("queries-{}.tsv", corpus.name));
    std::fs::write(&file, &tsv).expect("cannot write the per-query results");
    for (class, qs) in CLASSES.iter().zip(&queries) {
        let kb = measure_kbsearch(&engine, qs);
        let fts = measure(qs, |q| fts_query(&mut stmt, q));
        let _ = writeln!(
            report,
            "| {class} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {:.2} | {}/{} | {}/{} |",
            qs.len(),
            ms(kb.p50),
            ms(kb.p95),
            ms(kb.p99),
            ms(fts.p50),
            ms(fts.p95),
            ms(fts.p99),
            kb.p50 / fts.p50,
            kb.p99 / fts.p99,
            kb.hit,
            qs.len(),
            fts.hit,
            qs.len(),
        );
    }
    report.push_str("\nratio = kbsearch / FTS5 (below 1: kbsearch is faster).\n");
    println!("\n{report}");
    let file = data.join(format!("results-{}.md", corpus.name));
    std::fs::write(&file, &report).expect("cannot write the results");
    eprintln!("bench: wrote {}", file.display());

    // --- criterion, mean per class
    for (class, qs) in CLASSES.iter().zip(&queries) {
        let mut group = criterion.benchmark_group(format!("{}/{class}", corpus.name));
        let mut next = 0usize;
        group.bench_function("kbsearch", |b| {
            b.iter(|| {
                next = (next + 1) % qs.len();
                black_box(engine.search(&SearchRequest::new(&qs[next])).unwrap())
            })
        });
        group.bench_function("fts5", |b| {
            b.iter(|| {
                next = (next + 1) % qs.len();
                black_box(fts_query(&mut stmt, &qs[next]))
            })
        });
        group.finish();
    }
}

fn ms(seconds: f64) -> String {
    format!("{:.2} ms", seconds * 1000.0)
}

struct Stats {
    p50: f64,
    p95: f64,
    p99: f64,
    /// Queries with at least one result.
    hit: usize,
}

/// Percentiles of `Engine::search` over `queries` (hits = queries answered).
fn measure_kbsearch(engine: &Engine, queries: &[String]) -> Stats {
    measure(queries, |q| {
        let response = engine
            .search(&SearchRequest::new(q))
            .expect("search failed");
        usize::from(!response.hits.is_empty())
    })
}

/// Runs every query once untimed, then rounds of all queries until the
/// budget (and `min_samples`) or 40 rounds have passed; percentiles over all
/// single-query latencies.
fn measure(queries: &[String], run: impl FnMut(&str) -> usize) -> Stats {
    measure_for(queries, Duration::from_secs(2), 24, run)
}

fn measure_for(
    queries: &[String],
    budget: Duration,
    min_samples: usize,
    mut run: impl FnMut(&str) -> usize,
) -> Stats {
    let hit = queries.iter().map(|q| run(q).min(1)).sum();
    let mut samples = Vec::new();
    let started = Instant::now();
    for _ in 0..40 {
        for q in queries {
            let t = Instant::now();
            black_box(run(q));
            samples.push(t.elapsed().as_secs_f64());
        }
        if started.elapsed() > budget && samples.len() >= min_samples {
            break;
        }
    }
    samples.sort_by(f64::total_cmp);
    let at =
        |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1];
    Stats {
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
        hit,
    }
}

// ---------------------------------------------------------------- sections

fn load_sections(content: &Path) -> Vec<Section> {
    let files = ingest::discover(content).expect("cannot list the content");
    let mut out = Vec::new();
    for file in &files {
        let Ok(loaded) = ingest::load(file, ingest::DEFAULT_MAX_FILE_BYTES) else {
            continue;
        };
        let doc = loaded.document;
        let lang_ru = doc.lang == kbsearch::model::Lang::Ru;
        for s in doc.sections {
            out.push(Section {
                title: doc.meta.title.clone(),
                heading: s.heading,
                body: s.body,
                codes: s.codes,
                lang_ru,
            });
        }
    }
    out
}

// ---------------------------------------------------------------- FTS5

const FTS_SQL: &str = "SELECT rowid, heading, title, \
     snippet(sections, 2, '<mark>', '</mark>', '…', 16) \
     FROM sections WHERE sections MATCH ?1 ORDER BY bm25(sections) LIMIT 10";

fn open_fts5(path: &Path, sections: &[Section]) -> Connection {
    let stamp = format!("{}", sections.len());
    let stamp_file = path.with_extension("complete");
    if path.exists() && std::fs::read_to_string(&stamp_file).ok().as_deref() == Some(&stamp) {
        return Connection::open(path).expect("cannot open the FTS5 database");
    }
    let _ = std::fs::remove_file(path);
    let started = Instant::now();
    let mut db = Connection::open(path).expect("cannot create the FTS5 database");
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE VIRTUAL TABLE sections USING fts5(heading, title, body,
             tokenize = 'unicode61 remove_diacritics 2');",
    )
    .expect("cannot create the FTS5 table");
    let tx = db.transaction().expect("transaction");
    {
        let mut insert = tx
            .prepare("INSERT INTO sections(heading, title, body) VALUES (?1, ?2, ?3)")
            .expect("insert statement");
        for s in sections {
            insert
                .execute((&s.heading, &s.title, &s.body))
                .expect("insert failed");
        }
    }
    tx.commit().expect("commit");
    db.execute_batch("INSERT INTO sections(sections) VALUES('optimize');")
        .expect("optimize");
    std::fs::write(&stamp_file, &stamp).expect("cannot write the FTS5 stamp");
    eprintln!(
        "bench: loaded {} sections into FTS5 in {:.1} s",
        sections.len(),
        started.elapsed().as_secs_f64()
    );
    db
}

/// The FTS5 form of a query: every token quoted, ORed.
fn fts_match(query: &str) -> String {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(" OR ")
}

fn fts_query(stmt: &mut rusqlite::Statement<'_>, query: &str) -> usize {
    let expr = fts_match(query);
    if expr.is_empty() {
        return 0;
    }
    let mut rows = stmt.query([expr]).expect("FTS5 query failed");
    let mut n = 0;
    while let Some(row) = rows.next().expect("FTS5 row") {
        let heading: String = row.get(1).unwrap_or_default();
        let snippet: String = row.get(3).unwrap_or_default();
        n += black_box(heading.len() + snippet.len()).min(1);
    }
    n
}

// ---------------------------------------------------------------- queries

const SHORT_EN: [&str; PER_CLASS] = [
    "access denied",
    "connection timeout",
    "certificate expired",
    "disk full",
    "sign-in failed",
    "deployment failed",
    "dns resolution",
    "quota exceeded",
    "backup failed",
    "service won't start",
    "slow performance",
    "proxy authentication",
];
const SHORT_RU: [&str; PER_CLASS] = [
    "отказано в доступе",
    "истек сертификат",
    "нет подключения",
    "служба не запускается",
    "ошибка входа",
    "диск заполнен",
    "превышена квота",
    "медленная работа",
    "резервное копирование",
    "не удается подключиться",
    "ошибка развертывания",
    "прокси",
];
const LONG: [&str; PER_CLASS] = [
    "after moving the application to a new subscription every deployment fails with a timeout and the portal says the resource provider is not registered",
    "users cannot sign in from home since yesterday, the browser shows an error page and asks for multifactor authentication again and again",
    "the nightly backup job stopped working, the agent log says access is denied when it tries to write to the network share on the storage account",
    "our virtual machine does not start after resizing, the boot diagnostics screenshot shows a blue screen and the disk seems to be full",
    "the web app returns 503 errors under load and restarting it helps only for a few minutes before the errors come back",
    "database connections fail with a login timeout from the application but work fine from management studio on the same network",
    "после переноса приложения в другую подписку каждое развертывание завершается ошибкой тайм-аута и портал пишет что поставщик ресурсов не зарегистрирован",
    "пользователи не могут войти из дома со вчерашнего дня, браузер показывает страницу ошибки и снова и снова требует многофакторную проверку",
    "ночное резервное копирование перестало работать, в журнале агента написано что отказано в доступе при записи в сетевую папку",
    "виртуальная машина не запускается после изменения размера, на снимке диагностики загрузки синий экран и диск заполнен",
    "веб-приложение возвращает ошибки 503 под нагрузкой и перезапуск помогает только на несколько минут",
    "подключения к базе данных обрываются с ошибкой тайм-аута входа из приложения, но из консоли управления в той же сети всё работает",
];
const FUZZY: [&str; PER_CLASS] = [
    "acess denid",
    "certifcate expird",
    "conection timout",
    "deploymnet faild",
    "qouta exceded",
    "perfomance slow",
    "отказоно в доступе",
    "сертификт истёк",
    "подключене к базе",
    "служба не запускаеться",
    "резервное копированние",
    "превышина квота",
];

/// The queries of each class, in [`CLASSES`] order.
fn make_queries(corpus: &Corpus, sections: &[Section]) -> Vec<Vec<String>> {
    let mut rng = Rng::new(42);
    let codes = code_queries(sections, &mut rng);
    if corpus.written {
        let own = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        return vec![
            codes,
            own(&SHORT_EN),
            own(&SHORT_RU),
            own(&LONG),
            own(&FUZZY),
        ];
    }
    // generated corpora: queries from the generator's vocabulary, as it
    // appears in the generated headings and bodies
    let pick = |rng: &mut Rng, ru: bool| loop {
        let s = &sections[rng.below(sections.len())];
        if s.lang_ru == ru && !s.heading.is_empty() {
            return s;
        }
    };
    let short = |rng: &mut Rng, ru: bool| -> Vec<String> {
        let mut out = Vec::new();
        while out.len() < PER_CLASS {
            // content words of a heading, in the section's own script
            let heading = &pick(rng, ru).heading;
            let words: Vec<&str> = words_of(heading)
                .into_iter()
                .filter(|w| {
                    w.chars().count() >= 4
                        && !TEMPLATE_WORDS.contains(&w.to_lowercase().as_str())
                        && w.chars().all(|c| c.is_ascii() != ru)
                })
                .collect();
            if words.len() < 3 {
                continue;
            }
            let n = rng.range(1, 3);
            let start = rng.below(words.len() - n + 1);
            let q = words[start..start + n].join(" ").to_lowercase();
            if !out.contains(&q) {
                out.push(q);
            }
        }
        out
    };
    let short_en = short(&mut rng, false);
    let short_ru = short(&mut rng, true);
    let mut long = Vec::new();
    while long.len() < PER_CLASS {
        let ru = long.len() % 2 == 1;
        let words = words_of(&pick(&mut rng, ru).body);
        if words.len() < 30 {
            continue;
        }
        let n = rng.range(10, 25);
        let start = rng.below(words.len() - n + 1);
        long.push(words[start..start + n].join(" "));
    }
    let mut fuzzy = Vec::new();
    for (i, q) in short_en.iter().chain(&short_ru).enumerate() {
        if i % 2 == 0 {
            if let Some(t) = typo(q, &mut rng) {
                fuzzy.push(t);
            }
        }
    }
    while fuzzy.len() < PER_CLASS {
        let q = &short(&mut rng, fuzzy.len() % 2 == 1)[0];
        if let Some(t) = typo(q, &mut rng) {
            fuzzy.push(t);
        }
    }
    vec![codes, short_en, short_ru, long, fuzzy]
}

/// Words of the generator's heading templates, not of the vocabulary.
const TEMPLATE_WORDS: [&str; 8] = [
    "error",
    "troubleshoot",
    "ошибка",
    "устранение",
    "проблем",
    "before",
    "next",
    "steps",
];

fn words_of(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty() && w.chars().all(|c| !c.is_ascii_digit()))
        .collect()
}

/// One typo (deletion, transposition or doubled letter) in the longest word.
fn typo(query: &str, rng: &mut Rng) -> Option<String> {
    let longest = query.split(' ').max_by_key(|w| w.chars().count())?;
    let chars: Vec<char> = longest.chars().collect();
    if chars.len() < 5 {
        return None;
    }
    let at = rng.range(1, chars.len() - 2);
    let mut out: Vec<char> = chars.clone();
    match rng.below(3) {
        0 => {
            out.remove(at);
        }
        1 => out.swap(at, at + 1),
        _ => out.insert(at, chars[at]),
    }
    let misspelt: String = out.into_iter().collect();
    (misspelt != longest).then(|| query.replacen(longest, &misspelt, 1))
}

/// Code lookups as users type them: `0x80070005`, `ID: 34513`,
/// `Ошибка 34513`, `AADSTS50058`, `ERROR_DISK_FULL`, CamelCase names — taken
/// from the codes of the indexed sections, written as in the section text.
fn code_queries(sections: &[Section], rng: &mut Rng) -> Vec<String> {
    let mut hex = Vec::new();
    let mut numeric = Vec::new();
    let mut other = Vec::new();
    let mut tries = 0;
    while (hex.len() < 4 || numeric.len() < 4 || other.len() < 4) && tries < 200_000 {
        tries += 1;
        let s = &sections[rng.below(sections.len())];
        if s.codes.is_empty() {
            continue;
        }
        let code = &s.codes[rng.below(s.codes.len())];
        if code.starts_with("0x") {
            if hex.len() < 4 && !hex.contains(code) {
                hex.push(code.clone());
            }
        } else if code.chars().all(|c| c.is_ascii_digit()) {
            if numeric.len() < 4 && code.len() >= 4 {
                let q = if s.lang_ru {
                    format!("Ошибка {code}")
                } else {
                    format!("ID: {code}")
                };
                if !numeric.contains(&q) {
                    numeric.push(q);
                }
            }
        } else if other.len() < 4 {
            // the spelling used in the text (CamelCase, upper case)
            let re = regex::Regex::new(&format!("(?i){}", regex::escape(code))).unwrap();
            let written = re
                .find(&s.heading)
                .or_else(|| re.find(&s.body))
                .map_or(code.as_str(), |m| m.as_str())
                .to_string();
            if !other.contains(&written) {
                other.push(written);
            }
        }
    }
    let mut out: Vec<String> = hex.into_iter().chain(numeric).chain(other).collect();
    if out.is_empty() {
        out.push("0x80070005".to_string());
    }
    out
}
