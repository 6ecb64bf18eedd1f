//! `kbsearch serve --watch`: re-index when the content changes and swap the
//! new index in without failing a request in flight (each request holds the
//! engine it started with).

use crate::http::AppState;
use crate::index::{self, BuildOptions};
use crate::search::Engine;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

/// What is compared between two polls: number of entries, total size and
/// newest modification time of the content folder (and the synonyms file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fingerprint {
    entries: usize,
    bytes: u64,
    newest_ms: u128,
}

/// Fingerprint of the content folder and of an optional extra file.
pub fn fingerprint(content: &Path, extra: Option<&Path>) -> Fingerprint {
    let mut print = Fingerprint::default();
    let walked = walkdir::WalkDir::new(content)
        .follow_links(true)
        .into_iter()
        .flatten();
    let extra = extra.and_then(|p| std::fs::metadata(p).ok());
    for meta in walked.filter_map(|e| e.metadata().ok()).chain(extra) {
        print.entries += 1;
        if meta.is_file() {
            print.bytes += meta.len();
        }
        if let Ok(modified) = meta.modified() {
            let ms = modified
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or(0);
            print.newest_ms = print.newest_ms.max(ms);
        }
    }
    print
}

/// Polls the content every `interval`; on a change, re-indexes incrementally
/// and replaces the engine in `state`. Runs until the task is dropped.
pub async fn watch(state: AppState, options: BuildOptions, interval: Duration) {
    let content = options.content.clone();
    let synonyms = options.synonyms.clone();
    let print = |content: std::path::PathBuf, synonyms: Option<std::path::PathBuf>| {
        tokio::task::spawn_blocking(move || fingerprint(&content, synonyms.as_deref()))
    };
    let mut last = print(content.clone(), synonyms.clone())
        .await
        .unwrap_or_default();
    tracing::info!(
        "watching {} for changes every {:?}",
        content.display(),
        interval
    );
    loop {
        tokio::time::sleep(interval).await;
        let now = match print(content.clone(), synonyms.clone()).await {
            Ok(now) => now,
            Err(err) => {
                tracing::warn!("watch: cannot scan the content: {err}");
                continue;
            }
        };
        if now == last {
            continue;
        }
        last = now;
        let options = options.clone();
        let rebuilt = tokio::task::spawn_blocking(move || {
            let report = index::build(&options, |_| {})?;
            let engine = Engine::open(&options.index)?;
            Ok::<_, crate::Error>((report, engine))
        })
        .await;
        match rebuilt {
            Ok(Ok((report, engine))) => {
                let c = &report.manifest.changes;
                if c.incremental && c.added + c.changed + c.removed == 0 {
                    tracing::debug!("watch: nothing to re-index");
                    state.replace_engine(engine);
                    continue;
                }
                tracing::info!(
                    "re-indexed in {:.2} s: {} added, {} changed, {} removed; now {} documents",
                    report.manifest.build_seconds,
                    c.added,
                    c.changed,
                    c.removed,
                    report.manifest.documents
                );
                state.replace_engine(engine);
            }
            Ok(Err(err)) => {
                tracing::error!("re-indexing failed, still serving the previous index: {err}")
            }
            Err(err) => tracing::error!("re-indexing task failed: {err}"),
        }
    }
}
