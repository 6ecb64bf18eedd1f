//! The search response cache: repeated requests are answered from memory,
//! different requests are not confused, and a new index starts empty.

mod common;

use kbsearch::http::AppState;
use kbsearch::search::{Engine, SearchRequest};

fn article(words: &str) -> String {
    format!("---\ntitle: Printer\n---\n# Printer\n\n## Tray\n\nThe tray reports {words}.\n")
}

fn hits(engine: &Engine, request: &SearchRequest) -> (bool, Vec<String>) {
    let response = engine.search(request).unwrap();
    let hits = response
        .hits
        .iter()
        .map(|h| format!("{}#{}", h.path, h.anchor))
        .collect();
    (response.cached, hits)
}

#[test]
fn repeated_requests_are_cached_and_others_are_not() {
    let index = tempfile::tempdir().unwrap();
    common::build(&common::content_dir(), index.path());
    let engine = Engine::open(index.path()).unwrap().with_cache_entries(8);
    let request = SearchRequest::new("0x80070005 access denied");

    let (cached, first) = hits(&engine, &request);
    assert!(!cached);
    assert!(!first.is_empty());
    let (cached, again) = hits(&engine, &request);
    assert!(cached, "the same request twice is served from the cache");
    assert_eq!(first, again);

    let mut other_page = request.clone();
    other_page.limit = 3;
    assert!(
        !hits(&engine, &other_page).0,
        "another limit is another request"
    );
    let mut explained = request.clone();
    explained.explain = true;
    engine.search(&explained).unwrap();
    assert!(
        !engine.search(&explained).unwrap().cached,
        "explanations are never cached"
    );
}

#[test]
fn a_zero_sized_cache_caches_nothing() {
    let index = tempfile::tempdir().unwrap();
    common::build(&common::content_dir(), index.path());
    let engine = Engine::open(index.path()).unwrap().with_cache_entries(0);
    let request = SearchRequest::new("proxy 407");
    engine.search(&request).unwrap();
    assert!(!engine.search(&request).unwrap().cached);
    assert_eq!(engine.cache_entries(), 0);
}

#[test]
fn a_new_index_never_answers_from_the_old_cache() {
    let content = tempfile::tempdir().unwrap();
    std::fs::write(content.path().join("printer.md"), article("paper jam")).unwrap();
    let index = tempfile::tempdir().unwrap();
    common::build(content.path(), index.path());
    let state = AppState::new(
        Engine::open(index.path()).unwrap().with_cache_entries(16),
        content.path(),
    );
    let request = SearchRequest::new("tray reports");
    state.engine().search(&request).unwrap();
    assert!(state.engine().search(&request).unwrap().cached);

    std::fs::write(content.path().join("printer.md"), article("toner empty")).unwrap();
    common::build(content.path(), index.path());
    state.replace_engine(Engine::open(index.path()).unwrap());
    let engine = state.engine();
    assert_eq!(
        engine.cache_entries(),
        16,
        "the swap keeps the configured size"
    );
    let response = engine.search(&request).unwrap();
    assert!(!response.cached);
    assert!(
        response.hits[0].snippet.contains("toner"),
        "{:?}",
        response.hits[0].snippet
    );
}
