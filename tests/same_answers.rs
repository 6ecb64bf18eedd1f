//! Same answers before and after a change to the search path.
//!
//! Queries are generated from the index itself (section headings as typed,
//! pieces of them, lowercased with a typo, every known code in several
//! spellings, filtered and ungrouped requests, and the development queries
//! when `../shared/eval` is there). Each answer — top ten `path#anchor`,
//! total, corrections, error answer, facets, snippets — is compared with the answers
//! recorded in `tests/answers/`. The recorded files hold only keys (section
//! ids, code spellings, query ids) and results, never document text.
//!
//! After an intended change in ranking, record again and review the diff:
//! `KBSEARCH_RECORD_ANSWERS=1 cargo test --test same_answers`.

mod common;

use kbsearch::index::{self, BuildOptions};
use kbsearch::model::Lang;
use kbsearch::search::{Engine, SearchRequest, SearchResponse};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

/// At most this many sections give heading queries (every n-th section
/// when there are more), so the shared corpus stays at a few hundred queries.
const HEADING_SECTIONS: usize = 220;
const CODES: usize = 120;

struct Case {
    key: String,
    request: SearchRequest,
}

fn build_engine(content: &Path, dir: &Path) -> Engine {
    let mut options = BuildOptions::new(content, dir);
    // One thread: one segment, so ties between equal scores break the same
    // way on every machine.
    options.threads = 1;
    index::build(&options, |_| {}).expect("index builds");
    let engine = Engine::open(dir)
        .expect("index opens")
        .with_cache_entries(0);
    // Answers are compared on the route searches take once the tables
    // loaded at open are there.
    engine.wait_for_tables();
    engine
}

/// (path, anchor, heading, codes) of every section, sorted by path and anchor.
fn sections(engine: &Engine) -> Vec<(String, String, String, Vec<String>)> {
    let searcher = engine.searcher();
    let f = engine.fields();
    let mut out = Vec::new();
    for address in searcher.search(&AllQuery, &DocSetCollector).unwrap() {
        let doc: TantivyDocument = searcher.doc(address).unwrap();
        let text = |field| common::stored_text(&doc, field);
        let codes = doc
            .get_all(f.codes)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        out.push((text(f.path), text(f.anchor), text(f.heading), codes));
    }
    out.sort();
    out
}

/// One letter pair swapped in the longest word: a typo that keeps the
/// word's length.
fn with_typo(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some((longest, _)) = words
        .iter()
        .enumerate()
        .max_by_key(|(i, w)| (w.chars().count(), usize::MAX - i))
    else {
        return text.to_string();
    };
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let mut chars: Vec<char> = w.chars().collect();
            if i == longest && chars.len() >= 5 {
                let middle = chars.len() / 2;
                chars.swap(middle - 1, middle);
            }
            chars.into_iter().collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Spellings users type for a canonical code.
fn spellings(code: &str) -> Vec<String> {
    let mut out = vec![code.to_string(), code.to_lowercase()];
    if let Some(hex) = code.strip_prefix("0x") {
        if let Ok(value) = u32::from_str_radix(hex, 16) {
            out.push(hex.to_string());
            out.push((value as i32).to_string());
            out.push(format!("error {code} access"));
        }
    } else if code.chars().all(|c| c.is_ascii_digit()) {
        out.push(format!("ID: {code}"));
        out.push(format!("Ошибка {code}"));
    }
    out.dedup();
    out
}

fn cases(engine: &Engine, dev_queries: Option<&Path>) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut add = |key: String, request: SearchRequest| {
        if !request.query.trim().is_empty() {
            cases.push(Case { key, request });
        }
    };
    let all = sections(engine);
    let step = all.len().div_ceil(HEADING_SECTIONS).max(1);
    for (i, (path, anchor, heading, _)) in all.iter().enumerate().step_by(step) {
        let id = format!("{path}#{anchor}");
        add(
            format!("heading:{id}"),
            SearchRequest::new(heading.as_str()),
        );
        add(
            format!("typo:{id}"),
            SearchRequest::new(with_typo(&heading.to_lowercase())),
        );
        let words: Vec<&str> = heading.split_whitespace().collect();
        if words.len() >= 3 {
            let piece = words[words.len() / 2 - 1..words.len() / 2 + 1].join(" ");
            add(format!("piece:{id}"), SearchRequest::new(piece));
        }
        // Every few sections, the same heading with a filter, a second
        // page and no grouping, which take other routes.
        if i % (step * 5) == 0 {
            let mut request = SearchRequest::new(heading.as_str());
            request.lang = Some(if path.starts_with("ru/") {
                Lang::En
            } else {
                Lang::Ru
            });
            add(format!("other-lang:{id}"), request);
            let mut request = SearchRequest::new(heading.to_lowercase());
            request.group = false;
            request.offset = 5;
            add(format!("page2:{id}"), request);
            let mut request = SearchRequest::new(with_typo(heading));
            request.options.fuzzy = false;
            request.options.synonyms = false;
            add(format!("plain:{id}"), request);
        }
    }
    let mut codes: Vec<String> = all.iter().flat_map(|s| s.3.clone()).collect();
    codes.sort();
    codes.dedup();
    let step = codes.len().div_ceil(CODES).max(1);
    for code in codes.iter().step_by(step) {
        for (n, spelled) in spellings(code).into_iter().enumerate() {
            add(format!("code:{code}:{n}"), SearchRequest::new(spelled));
        }
    }
    add(
        "code:unknown".into(),
        SearchRequest::new("0x8badf00d".to_string()),
    );
    if let Some(file) = dev_queries {
        for line in std::fs::read_to_string(file).unwrap().lines() {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if let (Some(id), Some(query)) = (value["id"].as_str(), value["query"].as_str()) {
                add(format!("dev:{id}"), SearchRequest::new(query));
            }
        }
    }
    cases
}

/// One line per answer: what must stay the same. Sections are named by
/// their number in the file's table of sections, to keep the file small.
fn describe(response: &SearchResponse, numbers: &BTreeMap<String, usize>) -> String {
    let hits: Vec<String> = response
        .hits
        .iter()
        .map(|h| {
            let id = format!("{}#{}", h.path, h.anchor);
            numbers.get(&id).map_or(id, |n| n.to_string())
        })
        .collect();
    let counts = |list: &[kbsearch::search::facets::FacetCount]| -> String {
        list.iter()
            .map(|c| format!("{}:{}", c.value, c.count))
            .collect::<Vec<_>>()
            .join(",")
    };
    let facets = format!(
        "{}|{}",
        counts(&response.facets.products),
        counts(&response.facets.langs)
    );
    let snippets: Vec<&str> = response.hits.iter().map(|h| h.snippet.as_str()).collect();
    format!(
        "total={} corrected={:?} dym={} answer={:?} unknown={:?} facets={} snippets={} hits={}",
        response.total,
        response.corrected.is_some(),
        response
            .did_you_mean
            .as_deref()
            .map_or("-".into(), fingerprint),
        response.answer.as_ref().map(|a| a.code.as_str()),
        response.unknown_code.as_ref().map(|u| u.nearest.len()),
        fingerprint(&facets),
        fingerprint(&snippets.join("\u{1}")),
        hits.join(" ")
    )
}

/// How many sections there are and a fingerprint of their ids in order:
/// section numbers in the recorded answers refer to that order.
fn table_line(table: &[String]) -> String {
    format!("{} {}", table.len(), fingerprint(&table.join("\n")))
}

/// FNV-1a of a text: did-you-mean strings are made of document words,
/// which the recorded files must not hold; facets are long.
fn fingerprint(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn answers_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/answers")
        .join(format!("{name}.tsv"))
}

fn check(name: &str, content: &Path, dev_queries: Option<&Path>) {
    let dir = tempfile::tempdir().unwrap();
    let engine = build_engine(content, dir.path());
    let cases = cases(&engine, dev_queries);
    assert!(cases.len() >= 100, "{} cases for {name}", cases.len());
    let table: Vec<String> = sections(&engine)
        .into_iter()
        .map(|(path, anchor, _, _)| format!("{path}#{anchor}"))
        .collect();
    let numbers: BTreeMap<String, usize> = table
        .iter()
        .enumerate()
        .map(|(n, id)| (id.clone(), n))
        .collect();
    let mut now: BTreeMap<String, String> = BTreeMap::new();
    for case in &cases {
        let mut request = case.request.clone();
        request.limit = 10;
        let response = engine.search(&request).expect("search succeeds");
        let key = match case.key.split_once(':') {
            Some((kind, id)) if numbers.contains_key(id) => format!("{kind}:{}", numbers[id]),
            _ => case.key.clone(),
        };
        now.insert(key, describe(&response, &numbers));
    }
    let file = answers_file(name);
    if std::env::var_os("KBSEARCH_RECORD_ANSWERS").is_some() {
        let mut text = format!("sections\t{}\n", table_line(&table));
        text.extend(now.iter().map(|(k, v)| format!("{k}\t{v}\n")));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        eprintln!("recorded {} answers in {}", now.len(), file.display());
        return;
    }
    let recorded = std::fs::read_to_string(&file).unwrap_or_else(|_| {
        panic!(
            "{} is missing: record it with KBSEARCH_RECORD_ANSWERS=1",
            file.display()
        )
    });
    let recorded: BTreeMap<String, String> = recorded
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(
        recorded.get("sections"),
        Some(&table_line(&table)),
        "the sections of {name} changed: record the answers again"
    );
    now.insert("sections".into(), table_line(&table));
    let mut differences = Vec::new();
    for (key, answer) in &now {
        match recorded.get(key) {
            Some(expected) if expected == answer => {}
            Some(expected) => {
                differences.push(format!("{key}\n  was: {expected}\n  now: {answer}"))
            }
            None => differences.push(format!("{key}: not recorded")),
        }
    }
    for key in recorded.keys().filter(|k| !now.contains_key(*k)) {
        differences.push(format!("{key}: recorded but no longer asked"));
    }
    assert!(
        differences.is_empty(),
        "{} of {} answers differ for {name}:\n{}",
        differences.len(),
        now.len(),
        differences[..differences.len().min(20)].join("\n")
    );
}

#[test]
fn sample_content_answers_are_unchanged() {
    check("content", &common::content_dir(), None);
}

#[test]
fn shared_corpus_answers_are_unchanged() {
    let Some(corpus) = common::shared_corpus() else {
        return;
    };
    let dev = corpus.join("../eval/dev-queries.jsonl");
    check(
        "shared-corpus",
        &corpus,
        dev.is_file().then_some(dev.as_path()),
    );
}
