//! The `kbsearch` command line: a thin layer over the library. This file
//! sets the process up (allocator, logging), reads the configuration and
//! runs the command; `cli.rs` defines the command line itself.

mod cli;

use anyhow::Context;
use clap::Parser;
use cli::{
    CheckArgs, Cli, Command, CompletionsArgs, InspectArgs, LexiconArgs, ManArgs, SearchArgs,
};
use indicatif::{ProgressBar, ProgressStyle};
use kbsearch::config::{self, Config};
use kbsearch::index::lexicon::{Lexicon, Translation, LEXICON_FILE};
use kbsearch::index::{self, BuildOptions, Progress};
use kbsearch::search::{Engine, SearchRequest};
use std::io::IsTerminal;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: indexing allocates and frees
/// many small buffers on several threads at once, which it does faster
/// (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option numbers (`mi_option_t` in the `mimalloc.h` of its v2
/// line, which the `v2` feature builds; the sys crate names only some of
/// them). A unit test checks them against the options' documented defaults.
const MI_OPTION_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 3;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tunes the allocator for a long-running server: freed memory goes back to
/// the system at once (not after mimalloc's default delay) and segments are
/// committed as they fill, so a server holds less memory. A build keeps
/// mimalloc's defaults, which are faster for it (docs/benchmarks.md).
fn frugal_allocator() {
    // SAFETY: mi_option_set only stores a value that mimalloc reads when it
    // next purges or commits memory; any value is valid for these options.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_EAGER_COMMIT, 0);
    }
}

/// `println!` for command output: a closed pipe (`kbsearch search … | head`)
/// means the reader has seen enough, so the process ends quietly.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        if let Err(err) = writeln!(stdout, $($arg)*) {
            if err.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            return Err(err.into());
        }
    }};
}

fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    if matches!(cli.command, Command::Serve(_)) {
        frugal_allocator();
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kbsearch: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    // These two describe the command line itself: no configuration needed.
    match &cli.command {
        Command::Completions(args) => return run_completions(args),
        Command::Man(args) => return run_man(args),
        _ => {}
    }
    let resolved = config::load(cli.config.as_deref(), &cli.command.flags())?;
    if let Some(file) = &resolved.file {
        tracing::debug!("configuration file {}", file.display());
    }
    let cfg = &resolved.config;
    match cli.command {
        Command::Index(args) => {
            let mut options = cfg.build_options();
            options.full = args.full;
            run_index(&options)
        }
        Command::Search(args) => run_search(cfg, args),
        Command::Inspect(args) => run_inspect(cfg, args),
        Command::Lexicon(args) => run_lexicon(cfg, args),
        Command::Check(args) => run_check(cfg, args),
        Command::Serve(_) => run_serve(cfg),
        Command::Mcp(_) => run_mcp(cfg),
        Command::Config(_) => {
            out!("{}", resolved.to_toml().trim_end());
            Ok(())
        }
        Command::Completions(_) | Command::Man(_) => Ok(()),
    }
}

fn run_completions(args: &CompletionsArgs) -> anyhow::Result<()> {
    write_stdout(&cli::completions(args.shell))
}

fn run_man(args: &ManArgs) -> anyhow::Result<()> {
    write_stdout(&cli::man_page(args.subcommand.as_deref())?)
}

/// Writes generated text to stdout; a closed pipe ends quietly.
fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(()),
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KBSEARCH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tantivy=warn,rmcp=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a terminal: journald and log files get
        // plain text (`NO_COLOR` turns them off on a terminal too).
        .with_ansi(log_colours(
            std::io::stderr().is_terminal(),
            std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        ))
        .with_target(false)
        .init();
}

/// Blocking threads beside those running engine work (file reads and
/// rendering of the document view).
const BLOCKING_THREADS_BEYOND_SLOTS: usize = 4;

/// Whether log lines carry ANSI colour codes.
fn log_colours(stderr_is_terminal: bool, no_color: bool) -> bool {
    stderr_is_terminal && !no_color
}

fn run_index(options: &BuildOptions) -> anyhow::Result<()> {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let mut done = 0usize;
    let mut total = 0usize;
    let report = index::build(options, |event| match event {
        Progress::Started { files } => {
            total = files;
            tracing::info!(
                "indexing {files} Markdown files from {}",
                options.content.display()
            );
            if let Some(bar) = &bar {
                bar.set_length(files as u64);
            }
        }
        Progress::Indexed { file, sections } => {
            done += 1;
            match &bar {
                Some(bar) => {
                    bar.set_message(file.id.clone());
                    bar.inc(1);
                }
                None if done.is_multiple_of(500) || done == total => {
                    tracing::info!("{done}/{total} files ({} {sections} sections)", file.id)
                }
                None => {}
            }
        }
        Progress::Warning { file, message } => {
            let line = format!("warning: {}: {message}", file.id);
            match &bar {
                Some(bar) => bar.println(line),
                None => tracing::warn!("{}: {message}", file.id),
            }
        }
        Progress::Skipped { file, reason } => {
            done += 1;
            let line = format!("skipped: {}: {reason}", file.id);
            match &bar {
                Some(bar) => {
                    bar.println(line);
                    bar.inc(1);
                }
                None => tracing::warn!("skipped {}: {reason}", file.id),
            }
        }
    })
    .context("indexing failed; the previous index, if any, is unchanged")?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let m = &report.manifest;
    out!(
        "indexed {} documents, {} sections, {} codes; skipped {} files ({:.2} s, {:.1} MiB of Markdown, index {:.1} MiB, {} threads)",
        m.documents,
        m.sections,
        m.codes,
        m.skipped.len(),
        m.build_seconds,
        m.bytes as f64 / (1024.0 * 1024.0),
        report.index_bytes as f64 / (1024.0 * 1024.0),
        report.threads,
    );
    let c = &m.changes;
    if c.incremental {
        out!(
            "incremental: {} added, {} changed, {} removed, {} unchanged",
            c.added,
            c.changed,
            c.removed,
            c.unchanged
        );
    }
    Ok(())
}

/// `kbsearch lexicon [WORD…]`: what the lexicon learned, for inspection.
fn run_lexicon(cfg: &Config, args: LexiconArgs) -> anyhow::Result<()> {
    let opened = kbsearch::index::open(&cfg.index)?;
    let lexicon = Lexicon::load(&opened.generation.join(LEXICON_FILE));
    let entries: Vec<(String, Vec<Translation>)> = if args.words.is_empty() {
        let mut all = lexicon.entries();
        // The entries with the most evidence first.
        all.sort_by_key(|(_, found)| std::cmp::Reverse(found[0].shared));
        all.into_iter()
            .take(args.top)
            .map(|(term, found)| (term.to_string(), found.to_vec()))
            .collect()
    } else {
        kbsearch::analysis::analyze(&args.words.join(" "))
            .into_iter()
            .map(|t| {
                let found = lexicon.translations(&t.text).to_vec();
                (t.text, found)
            })
            .collect()
    };
    if args.json {
        let json: Vec<serde_json::Value> = entries
            .iter()
            .map(|(term, found)| serde_json::json!({"term": term, "translations": found}))
            .collect();
        out!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(());
    }
    out!(
        "lexicon: {} terms learned from {} section pairs",
        lexicon.len(),
        lexicon.pairs
    );
    for (term, found) in &entries {
        if found.is_empty() {
            out!("{term}: nothing learned");
            continue;
        }
        let list: Vec<String> = found
            .iter()
            .map(|t| format!("{} ({:.2}, {} pairs)", t.term, t.score, t.shared))
            .collect();
        out!("{term} → {}", list.join(", "));
    }
    Ok(())
}

fn run_search(cfg: &Config, args: SearchArgs) -> anyhow::Result<()> {
    let engine = Engine::open(&cfg.index)?;
    let mut request = SearchRequest::new(args.query.join(" "));
    request.limit = args.limit;
    request.lang = args.lang;
    request.options = cfg.query;
    let response = engine.search(&request)?;
    if args.json {
        out!("{}", serde_json::to_string_pretty(&response)?);
        return Ok(());
    }
    if response.hits.is_empty() {
        out!("no results for {:?}", response.query);
        return Ok(());
    }
    for (rank, hit) in response.hits.iter().enumerate() {
        let location = if hit.anchor.is_empty() {
            hit.path.clone()
        } else {
            format!("{}#{}", hit.path, hit.anchor)
        };
        out!(
            "{:>2}. [{}] {:.2}  {}",
            rank + 1,
            hit.lang,
            hit.score,
            location
        );
        let heading = if hit.heading.is_empty() {
            &hit.title
        } else {
            &hit.heading
        };
        out!("    {} — {}", hit.title, heading);
        if !hit.codes.is_empty() {
            out!("    codes: {}", hit.codes.join(", "));
        }
        out!("    {}", plain_snippet(&hit.snippet));
    }
    out!(
        "{} of {} matching sections, {:.1} ms",
        response.hits.len(),
        response.total,
        response.took_ms
    );
    Ok(())
}

fn run_serve(cfg: &Config) -> anyhow::Result<()> {
    if cfg.read_only && cfg.watch {
        anyhow::bail!(
            "--read-only serves an index another process builds, so it cannot --watch the content"
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Engine work takes turns in `engine_slots` anyway; a bounded pool
        // keeps the threads, and their per-thread stem caches, few.
        .max_blocking_threads(kbsearch::http::engine_slots_total() + BLOCKING_THREADS_BEYOND_SLOTS)
        .build()
        .context("cannot start the async runtime")?;
    if cfg.read_only {
        runtime.block_on(serve_read_only(cfg))
    } else {
        runtime.block_on(serve_and_index(cfg))
    }
}

/// `serve`: listens at once (the start-up gate answers `/readyz` with 503
/// meanwhile), opens the index or builds it when it is missing or unusable,
/// then serves it. An index that opens is served at once; whether the
/// content changed since it was built is checked in the background (and
/// with `--watch` by the watcher's first poll).
async fn serve_and_index(cfg: &Config) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let limits = cfg.limits();
    let listener = tokio::net::TcpListener::bind(&cfg.addr)
        .await
        .with_context(|| format!("cannot listen on {}", cfg.addr))?;
    let gate = kbsearch::http::gate::Gate::default();
    let server = tokio::spawn({
        let (app, limits) = (gate.router(), limits.clone());
        async move {
            kbsearch::http::serve_with(listener, app, &limits, kbsearch::http::shutdown_signal())
                .await
        }
    });
    let (index_dir, options) = (cfg.index.clone(), cfg.build_options());
    let engine = tokio::task::spawn_blocking(move || -> anyhow::Result<Engine> {
        match index::open(&index_dir) {
            Ok(opened) => Ok(Engine::from_opened(opened)?),
            Err(err) => {
                tracing::info!("building the index: {}", index::unusable_reason(&err));
                run_index(&options)?;
                Ok(Engine::open(&index_dir)?)
            }
        }
    })
    .await
    .context("the index task failed")??;
    let state = loaded_state(cfg, engine, started);
    gate.open(kbsearch::http::router_with(
        state.clone(),
        &cfg.http_config(),
        &limits,
    ));
    if cfg.watch {
        tokio::spawn(kbsearch::watch::watch(
            state,
            cfg.build_options(),
            cfg.watch_interval(),
        ));
    } else {
        tokio::spawn(kbsearch::watch::refresh_if_stale(
            state,
            cfg.build_options(),
        ));
    }
    server
        .await
        .context("the server task failed")?
        .context("server failed")
}

/// `serve --read-only`: a replica. The index directory must hold an index
/// (nothing is built); it is served as it is and followed as other
/// processes publish new generations into it; nothing there is written.
async fn serve_read_only(cfg: &Config) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let index_dir = cfg.index.clone();
    let engine = tokio::task::spawn_blocking(move || Engine::open(&index_dir))
        .await
        .context("the index task failed")?
        .map_err(|err| {
            anyhow::anyhow!(
                "no index to serve read-only in {}: {err}. A read-only server never builds: \
                 build one with `kbsearch index --index {}` (or copy a generation folder and \
                 then CURRENT there)",
                cfg.index.display(),
                cfg.index.display()
            )
        })?;
    let state = loaded_state(cfg, engine, started);
    let limits = cfg.limits();
    let app = kbsearch::http::router_with(state.clone(), &cfg.http_config(), &limits);
    let listener = tokio::net::TcpListener::bind(&cfg.addr)
        .await
        .with_context(|| format!("cannot listen on {}", cfg.addr))?;
    tokio::spawn(kbsearch::watch::follow_generations(
        state,
        cfg.index.clone(),
        cfg.watch_interval(),
    ));
    let app = kbsearch::http::gate::Gate::opened(app).router();
    kbsearch::http::serve_with(listener, app, &limits, kbsearch::http::shutdown_signal())
        .await
        .context("server failed")
}

/// The application state over a loaded engine, with the log lines that say so.
fn loaded_state(
    cfg: &Config,
    engine: Engine,
    started: std::time::Instant,
) -> kbsearch::http::AppState {
    let engine = engine.with_cache_entries(cfg.search_cache_entries);
    tracing::debug!("engine opened after {:?}", started.elapsed());
    tracing::info!(
        "index loaded: {} documents, {} sections (generation {})",
        engine.manifest().documents,
        engine.manifest().sections,
        engine.generation()
    );
    if cfg.admin_token.is_some() {
        tracing::info!(
            "admin_token is set; it is reserved for reload/reindex endpoints (none yet)"
        );
    }
    kbsearch::http::AppState::new(engine, &cfg.content)
}

/// `kbsearch mcp`: the MCP tools on stdin/stdout. Standard output carries
/// the protocol only: logs go to stderr, and a missing index is built
/// without the summary line `kbsearch index` prints.
fn run_mcp(cfg: &Config) -> anyhow::Result<()> {
    let engine = match index::open(&cfg.index) {
        Ok(opened) => Engine::from_opened(opened)?,
        Err(err) => {
            tracing::info!("building the index: {}", index::unusable_reason(&err));
            let report = index::build(&cfg.build_options(), |_| {})
                .context("indexing failed; the previous index, if any, is unchanged")?;
            tracing::info!(
                "indexed {} documents, {} sections",
                report.manifest.documents,
                report.manifest.sections
            );
            Engine::open(&cfg.index)?
        }
    };
    let engine = engine.with_cache_entries(cfg.search_cache_entries);
    let state = kbsearch::http::AppState::new(engine, &cfg.content);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(kbsearch::http::engine_slots_total() + BLOCKING_THREADS_BEYOND_SLOTS)
        .build()
        .context("cannot start the async runtime")?;
    tracing::info!("serving MCP tools on stdin/stdout");
    runtime
        .block_on(kbsearch::http::mcp::serve_stdio(state, &cfg.http_config()))
        .context("MCP over stdio failed")
}

fn run_check(cfg: &Config, args: CheckArgs) -> anyhow::Result<()> {
    let report = kbsearch::check::check(&cfg.content)
        .with_context(|| format!("cannot read {}", cfg.content.display()))?;
    if args.json {
        out!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for finding in &report.findings {
            out!("{finding}");
        }
        let counts: Vec<String> = report
            .counts()
            .iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect();
        out!(
            "checked {} documents: {} errors, {} warnings{}",
            report.documents,
            report.errors(),
            report.warnings(),
            if counts.is_empty() {
                String::new()
            } else {
                format!(" ({})", counts.join(", "))
            }
        );
    }
    if report.errors() > 0 {
        anyhow::bail!("{} errors in {}", report.errors(), cfg.content.display());
    }
    Ok(())
}

fn run_inspect(cfg: &Config, args: InspectArgs) -> anyhow::Result<()> {
    let id = args.file.to_string_lossy().replace('\\', "/");
    let file = kbsearch::ingest::SourceFile {
        path: args.file.clone(),
        id,
    };
    let loaded = kbsearch::ingest::load(&file, cfg.max_file_bytes)
        .map_err(|reason| anyhow::anyhow!("{}: {reason}", args.file.display()))?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    out!("{}", serde_json::to_string_pretty(&loaded.document)?);
    Ok(())
}

/// Terminal form of an HTML snippet: marks become `[…]`, entities decoded.
fn plain_snippet(html: &str) -> String {
    html.replace("<mark>", "[")
        .replace("</mark>", "]")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hard-coded option numbers name the options [`frugal_allocator`]
    /// means to set: each reads back its documented default in mimalloc v2.
    #[test]
    fn mimalloc_option_numbers_name_the_tuned_options() {
        if std::env::vars().any(|(name, _)| name.starts_with("MIMALLOC_")) {
            eprintln!("skipped: MIMALLOC_* variables override the defaults this test reads");
            return;
        }
        // SAFETY: mi_option_get only reads an option's value.
        let (purge_delay, eager_commit) = unsafe {
            (
                libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY),
                libmimalloc_sys::mi_option_get(MI_OPTION_EAGER_COMMIT),
            )
        };
        assert_eq!(purge_delay, 10, "purge_delay defaults to 10 ms");
        assert_eq!(eager_commit, 1, "eager_commit defaults to 1");
    }
}
