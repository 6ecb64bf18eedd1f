//! Every error code in `../shared/corpus`, in the spellings people paste,
//! must bring up a section carrying that code (skipped when the corpus is
//! absent).

mod common;

use kbsearch::codes::{self, CodeKind};
use kbsearch::search::{Engine, SearchRequest};
use std::collections::BTreeMap;

/// The spellings support staff paste for a code first written as `raw`.
fn spellings(raw: &str, canonical: &str, kind: CodeKind) -> Vec<String> {
    let mut out = vec![raw.to_string()];
    let swapped: String = if raw.chars().any(|c| c.is_ascii_lowercase()) {
        raw.to_ascii_uppercase()
    } else {
        raw.to_ascii_lowercase()
    };
    out.push(swapped);
    if kind == CodeKind::Hex {
        let digits = canonical.trim_start_matches("0x");
        if digits.len() == 8 {
            out.push(digits.to_string());
        }
        if let Some(value) =
            codes::hex_value(canonical).filter(|v| (0x8000_0000..=0xFFFF_FFFF).contains(v))
        {
            out.push((value as u32 as i32).to_string());
        }
    }
    // A number in a log line only means a code when something labels it.
    let in_log = if kind == CodeKind::Numeric {
        format!("error {raw}")
    } else {
        raw.to_string()
    };
    out.push(format!(
        "2026-11-02 10:41:07 ERROR [worker-3] operation aborted: {in_log} (see log)"
    ));
    if kind == CodeKind::Numeric {
        out.push(format!("Error {raw}"));
        out.push(format!("код ошибки {raw}"));
        out.push(format!("ID: {raw}"));
    } else {
        out.push(format!("error {raw}"));
        out.push(format!("ошибка {raw}"));
    }
    out
}

#[test]
fn every_corpus_code_in_every_spelling_finds_a_section_carrying_it() {
    let Some(corpus) = common::shared_corpus() else {
        return;
    };
    let index_dir = tempfile::tempdir().unwrap();
    common::build(&corpus, index_dir.path());
    let engine = Engine::open(index_dir.path()).unwrap();

    // First written form of every code, as the ingestion found it.
    let mut written: BTreeMap<String, (String, CodeKind)> = BTreeMap::new();
    for file in kbsearch::ingest::discover(&corpus).unwrap() {
        let loaded =
            kbsearch::ingest::load(&file, kbsearch::ingest::DEFAULT_MAX_FILE_BYTES).unwrap();
        for section in &loaded.document.sections {
            for text in [&section.heading, &section.body] {
                for found in codes::extract(text) {
                    written
                        .entry(found.canonical.clone())
                        .or_insert_with(|| (text[found.start..found.end].to_string(), found.kind));
                }
            }
        }
    }
    assert!(written.len() > 100, "only {} codes", written.len());

    let (mut total, mut failures) = (0usize, Vec::new());
    for (canonical, (raw, kind)) in &written {
        for query in spellings(raw, canonical, *kind) {
            total += 1;
            let mut request = SearchRequest::new(query.clone());
            request.limit = 1;
            let hits = engine.search(&request).unwrap().hits.clone();
            let ok = hits.first().is_some_and(|h| h.codes.contains(canonical));
            if !ok {
                let got = hits
                    .first()
                    .map(|h| format!("{}#{} {:?}", h.path, h.anchor, h.codes));
                failures.push(format!("{query:?} ({canonical}) → {got:?}"));
            }
        }
    }
    let passed = total - failures.len();
    eprintln!("{passed}/{total} code spellings found a section carrying the code");
    for failure in &failures {
        eprintln!("  miss: {failure}");
    }
    assert!(
        passed * 100 >= total * 99,
        "{passed}/{total} passed; misses:\n{}",
        failures.join("\n")
    );
}
