//! `serve --watch` picks up content changes live.

mod common;

use kbsearch::http::AppState;
use kbsearch::index::BuildOptions;
use kbsearch::search::{Engine, SearchRequest};
use std::time::{Duration, Instant};

fn article(section: &str) -> String {
    format!(
        "---\ntitle: Kiosk\n---\n# Kiosk\n\n## {section}\n\nThe kiosk screen shows {section}.\n"
    )
}

/// Sections `engine` finds for `query`.
fn hit_count(engine: &Engine, query: &str) -> usize {
    engine
        .search(&SearchRequest::new(query))
        .unwrap()
        .hits
        .len()
}

/// Polls the served engine until `query` finds `hits` sections (true) or
/// 20 seconds pass (false).
async fn wait_for_hits(state: &AppState, query: &str, hits: usize) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = hit_count(&state.engine(), query);
        if found == hits {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_changes_are_picked_up_while_serving() {
    let content = tempfile::tempdir().unwrap();
    std::fs::write(content.path().join("kiosk.md"), article("marmalade banner")).unwrap();
    let index_dir = tempfile::tempdir().unwrap();
    common::build(content.path(), index_dir.path());
    let state = AppState::new(Engine::open(index_dir.path()).unwrap(), content.path());
    let old_engine = state.engine();

    let options = BuildOptions::new(content.path(), index_dir.path());
    let watcher = tokio::spawn(kbsearch::watch::watch(
        state.clone(),
        options,
        Duration::from_millis(100),
    ));

    std::fs::write(
        content.path().join("kiosk.md"),
        article("tangerine warning"),
    )
    .unwrap();
    std::fs::write(content.path().join("extra.md"), article("pistachio notice")).unwrap();
    let found = wait_for_hits(&state, "tangerine pistachio", 2).await;
    watcher.abort();
    assert!(found, "the watcher did not pick up the change in time");
    let engine = state.engine();
    assert_eq!(hit_count(&engine, "marmalade"), 0);
    // A request that started before the swap keeps a working engine.
    assert_eq!(hit_count(&old_engine, "marmalade"), 1);
}

/// An edit made after the last build but before the watcher's first poll is
/// still indexed: the watcher does not take the current state as indexed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_made_before_the_watcher_starts_are_indexed() {
    let content = tempfile::tempdir().unwrap();
    std::fs::write(content.path().join("kiosk.md"), article("marmalade banner")).unwrap();
    let index_dir = tempfile::tempdir().unwrap();
    common::build(content.path(), index_dir.path());
    let state = AppState::new(Engine::open(index_dir.path()).unwrap(), content.path());
    std::fs::write(content.path().join("later.md"), article("walnut alert")).unwrap();

    let options = BuildOptions::new(content.path(), index_dir.path());
    let watcher = tokio::spawn(kbsearch::watch::watch(
        state.clone(),
        options,
        Duration::from_secs(3600),
    ));
    let found = wait_for_hits(&state, "walnut", 1).await;
    watcher.abort();
    assert!(found, "the first poll did not index the earlier edit");
}

/// Without `--watch`, a server started on an index older than its content
/// answers at once from that index and swaps in an up-to-date one built in
/// the background; an up-to-date index is left alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_out_of_date_index_is_served_then_refreshed_once() {
    let content = tempfile::tempdir().unwrap();
    std::fs::write(content.path().join("kiosk.md"), article("marmalade banner")).unwrap();
    let index_dir = tempfile::tempdir().unwrap();
    common::build(content.path(), index_dir.path());
    let options = BuildOptions::new(content.path(), index_dir.path());

    let fresh = AppState::new(Engine::open(index_dir.path()).unwrap(), content.path());
    let before = fresh.engine();
    kbsearch::watch::refresh_if_stale(fresh.clone(), options.clone()).await;
    assert!(
        std::sync::Arc::ptr_eq(&before, &fresh.engine()),
        "an up-to-date index was replaced"
    );

    // Edited while no server ran (the build recorded its start time in
    // milliseconds: step past it).
    tokio::time::sleep(Duration::from_millis(20)).await;
    std::fs::write(
        content.path().join("kiosk.md"),
        article("tangerine warning"),
    )
    .unwrap();
    let state = AppState::new(Engine::open(index_dir.path()).unwrap(), content.path());
    assert_eq!(
        hit_count(&state.engine(), "marmalade"),
        1,
        "the old index answers until the new one is ready"
    );
    kbsearch::watch::refresh_if_stale(state.clone(), options).await;
    let engine = state.engine();
    assert_eq!(hit_count(&engine, "tangerine"), 1);
    assert_eq!(hit_count(&engine, "marmalade"), 0);
}
