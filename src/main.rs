//! The `kbsearch` command line: a thin layer over the library.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use kbsearch::index::{self, BuildOptions, Progress};
use kbsearch::model::Lang;
use kbsearch::search::{Engine, SearchRequest};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

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

/// Offline search for Russian/English troubleshooting knowledge bases.
#[derive(Parser)]
#[command(name = "kbsearch", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Index a folder of Markdown articles (re-builds the whole index).
    Index(IndexArgs),
    /// Search the index from the command line.
    Search(SearchArgs),
    /// Serve the web page and the JSON API (builds the index first when it is
    /// missing or older than the content).
    Serve(ServeArgs),
    /// Check the knowledge base: translations, links, anchors, codes, tables.
    Check(CheckArgs),
    /// Show how one Markdown file splits into sections, codes and table records (JSON).
    Inspect(InspectArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// Folder of Markdown articles.
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// Index folder (built or refreshed from `--content` when needed).
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Address to listen on. The default only accepts local connections.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Allow browser calls from this origin (repeatable); CORS is off without it.
    #[arg(long = "cors-origin")]
    cors_origins: Vec<String>,
    /// Seconds before a request is answered with 408.
    #[arg(long, default_value_t = 10)]
    request_timeout: u64,
    /// Synonyms/glossary file (default: `synonyms.toml` in the content folder, if present).
    #[arg(long)]
    synonyms: Option<PathBuf>,
    /// Re-index when the content changes, without restarting.
    #[arg(long)]
    watch: bool,
    /// How often `--watch` looks for changes, in seconds.
    #[arg(long, default_value_t = 2.0)]
    watch_interval: f64,
}

#[derive(Args)]
struct CheckArgs {
    /// Folder of Markdown articles.
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// Print the findings as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct InspectArgs {
    /// The Markdown file to parse.
    file: PathBuf,
}

#[derive(Args)]
struct IndexArgs {
    /// Folder of Markdown articles (`en/…`, `ru/…`).
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// Index folder to create or replace.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Files larger than this many bytes are skipped.
    #[arg(long, default_value_t = kbsearch::ingest::DEFAULT_MAX_FILE_BYTES)]
    max_file_bytes: u64,
    /// Indexing threads (0 = one per core, at most 4).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Synonyms/glossary file (default: `synonyms.toml` in the content folder, if present).
    #[arg(long)]
    synonyms: Option<PathBuf>,
    /// Rebuild everything instead of re-indexing only added, changed or removed files.
    #[arg(long)]
    full: bool,
}

#[derive(Args)]
struct SearchArgs {
    /// Index folder built by `kbsearch index`.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Print results as JSON.
    #[arg(long)]
    json: bool,
    /// Only sections in this language (`en` or `ru`).
    #[arg(long)]
    lang: Option<Lang>,
    /// Number of results (1–100).
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// The query: words, an error code or a pasted log line.
    #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
    query: Vec<String>,
}

fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Index(args) => run_index(args),
        Command::Search(args) => run_search(args),
        Command::Inspect(args) => run_inspect(args),
        Command::Check(args) => run_check(args),
        Command::Serve(args) => run_serve(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kbsearch: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KBSEARCH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tantivy=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

fn run_index(args: IndexArgs) -> anyhow::Result<()> {
    let options = BuildOptions {
        content: args.content,
        index: args.index,
        max_file_bytes: args.max_file_bytes,
        threads: args.threads,
        synonyms: args.synonyms,
        full: args.full,
    };
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
    let report = index::build(&options, |event| match event {
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

fn run_search(args: SearchArgs) -> anyhow::Result<()> {
    let engine = Engine::open(&args.index)?;
    let mut request = SearchRequest::new(args.query.join(" "));
    request.limit = args.limit;
    request.lang = args.lang;
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

fn run_serve(args: ServeArgs) -> anyhow::Result<()> {
    if let Some(reason) =
        index::rebuild_reason(&args.content, &args.index, args.synonyms.as_deref())
    {
        tracing::info!("building the index: {reason}");
        run_index(IndexArgs {
            content: args.content.clone(),
            index: args.index.clone(),
            max_file_bytes: kbsearch::ingest::DEFAULT_MAX_FILE_BYTES,
            threads: 0,
            synonyms: args.synonyms.clone(),
            full: false,
        })?;
    }
    let engine = Engine::open(&args.index)?;
    tracing::info!(
        "index loaded: {} documents, {} sections",
        engine.manifest().documents,
        engine.manifest().sections
    );
    let state = kbsearch::http::AppState::new(engine, &args.content);
    let config = kbsearch::http::HttpConfig {
        request_timeout: std::time::Duration::from_secs(args.request_timeout.max(1)),
        cors_origins: args.cors_origins,
    };
    let app = kbsearch::http::router(state.clone(), &config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        if args.watch {
            let mut options = BuildOptions::new(&args.content, &args.index);
            options.synonyms = args.synonyms.clone();
            let interval = std::time::Duration::from_secs_f64(args.watch_interval.max(0.1));
            tokio::spawn(kbsearch::watch::watch(state, options, interval));
        }
        kbsearch::http::serve(listener, app)
            .await
            .context("server failed")
    })
}

fn run_check(args: CheckArgs) -> anyhow::Result<()> {
    let report = kbsearch::check::check(&args.content)
        .with_context(|| format!("cannot read {}", args.content.display()))?;
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
        anyhow::bail!("{} errors in {}", report.errors(), args.content.display());
    }
    Ok(())
}

fn run_inspect(args: InspectArgs) -> anyhow::Result<()> {
    let id = args.file.to_string_lossy().replace('\\', "/");
    let file = kbsearch::ingest::SourceFile {
        path: args.file.clone(),
        id,
    };
    let loaded = kbsearch::ingest::load(&file, kbsearch::ingest::DEFAULT_MAX_FILE_BYTES)
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
