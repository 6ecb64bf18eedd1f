//! `kbsearch serve --watch`: re-index when the content changes and swap the
//! new index in without failing a request in flight (each request holds the
//! engine it started with). Without `--watch`, the same swap brings an
//! out-of-date index up to date once after start-up ([`refresh_if_stale`]).

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
///
/// The first poll happens right away and always runs an (incremental) build,
/// so edits made between the last build and the start of the watcher are
/// not missed. The fingerprint is only recorded once a build succeeded, so a
/// failed build is retried on the next poll.
pub async fn watch(state: AppState, options: BuildOptions, interval: Duration) {
    tracing::info!(
        "watching {} for changes every {:?}",
        options.content.display(),
        interval
    );
    let mut indexed: Option<Fingerprint> = None;
    let mut failing: Option<String> = None;
    loop {
        let content = options.content.clone();
        let synonyms = options.synonyms.clone();
        let scanned =
            tokio::task::spawn_blocking(move || fingerprint(&content, synonyms.as_deref())).await;
        match scanned {
            Ok(now) if indexed != Some(now) => match rebuild(&state, &options).await {
                Ok(()) => {
                    indexed = Some(now);
                    failing = None;
                }
                Err(message) => {
                    if failing.as_ref() != Some(&message) {
                        tracing::error!(
                            "re-indexing failed, still serving the previous index \
                             (retrying every {interval:?}): {message}"
                        );
                    }
                    failing = Some(message);
                }
            },
            Ok(_) => {}
            Err(err) => tracing::warn!("watch: cannot scan the content: {err}"),
        }
        tokio::time::sleep(interval).await;
    }
}

/// Brings the served index up to date once, in the background: serving
/// starts on the index as it is (opening it is quick, while checking every
/// file for changes takes as long again), and when the content changed
/// since the build, an incremental build runs and its engine replaces the
/// served one. A failed build is logged and the old index stays in
/// service.
pub async fn refresh_if_stale(state: AppState, options: BuildOptions) {
    let engine = state.engine();
    let (content, synonyms) = (options.content.clone(), options.synonyms.clone());
    let checked = tokio::task::spawn_blocking(move || {
        index::stale_reason(engine.manifest(), &content, synonyms.as_deref())
    })
    .await;
    let reason = match checked {
        Ok(Some(reason)) => reason,
        Ok(None) => {
            tracing::debug!("the index is up to date");
            return;
        }
        Err(err) => {
            tracing::warn!("cannot check whether the index is up to date: {err}");
            return;
        }
    };
    tracing::info!("the index is out of date ({reason}); serving it while it is rebuilt");
    if let Err(message) = rebuild(&state, &options).await {
        tracing::error!("re-indexing failed, still serving the previous index: {message}");
    }
}

/// One incremental build followed by an engine swap.
async fn rebuild(state: &AppState, options: &BuildOptions) -> Result<(), String> {
    let options = options.clone();
    let rebuilt = tokio::task::spawn_blocking(move || {
        let report = index::build(&options, |_| {})?;
        let engine = Engine::open(&options.index)?;
        Ok::<_, crate::Error>((report, engine))
    })
    .await
    .map_err(|err| format!("re-indexing task failed: {err}"))?;
    let (report, engine) = rebuilt.map_err(|err| err.to_string())?;
    let c = &report.manifest.changes;
    if c.incremental && c.added + c.changed + c.removed == 0 {
        tracing::debug!("watch: nothing to re-index");
    } else {
        tracing::info!(
            "re-indexed in {:.2} s: {} added, {} changed, {} removed; now {} documents",
            report.manifest.build_seconds,
            c.added,
            c.changed,
            c.removed,
            report.manifest.documents
        );
    }
    // Always swap: the build published a new generation and the old one's
    // folder is gone.
    state.replace_engine(engine);
    Ok(())
}

/// `serve --read-only`: follows the index directory another process
/// publishes generations into (a `kbsearch index` run on shared storage, or
/// an rsync that copies the generation folder first and `CURRENT` last).
/// Every `interval` it reads `CURRENT`; when it names another generation,
/// that generation is opened and swapped in (requests in flight finish on
/// the old engine). Nothing under `root` is ever written. A generation that
/// cannot be opened yet is retried on the next look, and said once.
pub async fn follow_generations(state: AppState, root: std::path::PathBuf, interval: Duration) {
    tracing::info!(
        "read-only: following the generations published in {} every {interval:?}",
        root.display()
    );
    let mut failing: Option<String> = None;
    loop {
        tokio::time::sleep(interval).await;
        let served = state.engine().generation().to_string();
        let pointer_root = root.clone();
        let named =
            tokio::task::spawn_blocking(move || index::store::current_generation(&pointer_root))
                .await
                .map_err(|err| err.to_string())
                .and_then(|found| found.map_err(|err| err.to_string()));
        let generation = match named {
            Ok(Some(path)) => path,
            Ok(None) => continue,
            Err(message) => {
                report_once(&mut failing, message);
                continue;
            }
        };
        if generation.file_name().and_then(|n| n.to_str()) == Some(served.as_str()) {
            tracing::debug!("read-only: {served} is still the published generation");
            continue;
        }
        let open_root = root.clone();
        let opened = tokio::task::spawn_blocking(move || Engine::open(&open_root))
            .await
            .map_err(|err| err.to_string())
            .and_then(|opened| opened.map_err(|err| err.to_string()));
        match opened {
            Ok(engine) => {
                tracing::info!(
                    "serving generation {} ({} documents, {} sections; was {served})",
                    engine.generation(),
                    engine.manifest().documents,
                    engine.manifest().sections
                );
                state.replace_engine(engine);
                failing = None;
            }
            Err(message) => report_once(&mut failing, message),
        }
    }
}

/// Warns about a problem of the followed directory the first time it is
/// seen (it is retried every interval).
fn report_once(failing: &mut Option<String>, message: String) {
    if failing.as_ref() != Some(&message) {
        tracing::warn!("read-only: cannot open the published index yet (retrying): {message}");
    }
    *failing = Some(message);
}
