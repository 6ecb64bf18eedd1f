//! The command line's definition: the `kbsearch` command, its subcommands
//! and their flags (clap), the settings the flags give, and the completion
//! scripts and manual pages generated from it.

use clap::{Args, CommandFactory, Parser, Subcommand};
use kbsearch::config::{self, Layer};
use kbsearch::model::Lang;
use std::path::PathBuf;

/// `kbsearch --version`: the package version and the git revision it was
/// built from (`unknown` for a build without `.git`, see build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("KBSEARCH_GIT_REV"),
    ")"
);

const AFTER_HELP: &str = "\
Configuration: built-in defaults < config file < KBSEARCH_* environment < flags.
The config file is --config FILE, else $KBSEARCH_CONFIG, else ./kbsearch.toml
when it exists; `kbsearch config` prints the effective values and their sources.
Logs go to stderr; KBSEARCH_LOG sets the filter (e.g. debug).";

/// Offline search for Russian/English troubleshooting knowledge bases.
#[derive(Parser)]
#[command(name = "kbsearch", version = VERSION, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// Configuration file (TOML) [default: $KBSEARCH_CONFIG, else ./kbsearch.toml if present].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Index a folder of Markdown articles (re-builds the whole index).
    Index(IndexArgs),
    /// Search the index from the command line.
    Search(SearchArgs),
    /// Serve the web page and the JSON API (builds the index first when it is
    /// missing; an index older than the content is served and refreshed in
    /// the background).
    Serve(ServeArgs),
    /// Serve the search tools to a chat-bot agent over the Model Context
    /// Protocol on stdin/stdout (builds the index first when it is missing).
    Mcp(McpArgs),
    /// Check the knowledge base: translations, links, anchors, codes, tables.
    Check(CheckArgs),
    /// Print what the bilingual lexicon learned for a word (or its largest
    /// entries when no word is given).
    Lexicon(LexiconArgs),
    /// Show how one Markdown file splits into sections, codes and table records (JSON).
    Inspect(InspectArgs),
    /// Print the effective configuration (TOML) with the source of each value.
    // Takes every flag of `serve`, so each setting can be tried here.
    Config(ServeArgs),
    /// Print a shell completion script to stdout.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to stdout.
    Man(ManArgs),
}

/// Help text of a flag: the key's description, its default and its variable.
fn flag_help(name: &str) -> String {
    static DEFAULTS: std::sync::LazyLock<config::Resolved> = std::sync::LazyLock::new(|| {
        config::merge(None, &config::Layer::default(), &config::Layer::default())
    });
    let Some(key) = config::find_key(name) else {
        return String::new();
    };
    let default = match DEFAULTS.value(name) {
        Some(value) if value == "[]" => "none".to_string(),
        Some(value) => value.trim_matches('"').to_string(),
        None => "not set".to_string(),
    };
    format!("{} [default: {default}] [env: {}]", key.doc, key.env)
}

#[derive(Args, Default)]
struct ContentFlag {
    #[arg(long, value_name = "DIR", help = flag_help("content"))]
    content: Option<PathBuf>,
}

#[derive(Args, Default)]
struct IndexFlag {
    #[arg(long, value_name = "DIR", help = flag_help("index"))]
    index: Option<PathBuf>,
}

/// Settings of an index build.
#[derive(Args, Default)]
struct BuildFlags {
    #[arg(long, value_name = "BYTES", help = flag_help("max_file_bytes"))]
    max_file_bytes: Option<u64>,
    #[arg(long, value_name = "N", help = flag_help("threads"))]
    threads: Option<usize>,
    #[arg(long, value_name = "FILE", help = flag_help("synonyms"))]
    synonyms: Option<PathBuf>,
}

/// Settings of the HTTP server.
#[derive(Args, Default)]
struct ServerFlags {
    #[arg(long, value_name = "HOST:PORT", help = flag_help("addr"))]
    addr: Option<String>,
    #[arg(long = "cors-origin", value_name = "ORIGIN", value_delimiter = ',', help = flag_help("cors_origins"))]
    cors_origins: Vec<String>,
    #[arg(long, value_name = "SECONDS", help = flag_help("request_timeout"))]
    request_timeout: Option<u64>,
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", help = flag_help("watch"))]
    watch: Option<bool>,
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", help = flag_help("read_only"))]
    read_only: Option<bool>,
    #[arg(long, value_name = "SECONDS", help = flag_help("watch_interval"))]
    watch_interval: Option<f64>,
    #[arg(long, value_name = "BYTES", help = flag_help("max_uri_bytes"))]
    max_uri_bytes: Option<usize>,
    #[arg(long, value_name = "N", help = flag_help("max_concurrent_requests"))]
    max_concurrent_requests: Option<usize>,
    #[arg(long, value_name = "N", help = flag_help("max_connections"))]
    max_connections: Option<usize>,
    #[arg(long, value_name = "N", help = flag_help("search_cache_entries"))]
    search_cache_entries: Option<usize>,
    #[arg(long, value_name = "SECONDS", help = flag_help("header_read_timeout"))]
    header_read_timeout: Option<u64>,
    #[arg(long, value_name = "SECONDS", help = flag_help("shutdown_grace"))]
    shutdown_grace: Option<u64>,
}

/// Defaults of the query features (`--fuzzy`, `--fuzzy=false`).
#[derive(Args, Default)]
struct QueryFlags {
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", help = flag_help("query.fuzzy"))]
    fuzzy: Option<bool>,
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", help = flag_help("query.layout"))]
    layout: Option<bool>,
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", help = flag_help("query.synonyms"))]
    expand_synonyms: Option<bool>,
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", help = flag_help("query.translit"))]
    translit: Option<bool>,
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", help = flag_help("query.counterparts"))]
    counterparts: Option<bool>,
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", help = flag_help("query.lexicon"))]
    lexicon: Option<bool>,
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", help = flag_help("query.structure"))]
    structure: Option<bool>,
}

impl ContentFlag {
    fn apply(&self, layer: &mut Layer) {
        layer.content.clone_from(&self.content);
    }
}

impl IndexFlag {
    fn apply(&self, layer: &mut Layer) {
        layer.index.clone_from(&self.index);
    }
}

impl BuildFlags {
    fn apply(&self, layer: &mut Layer) {
        layer.max_file_bytes = self.max_file_bytes;
        layer.threads = self.threads;
        layer.synonyms.clone_from(&self.synonyms);
    }
}

impl ServerFlags {
    fn apply(&self, layer: &mut Layer) {
        layer.addr.clone_from(&self.addr);
        if !self.cors_origins.is_empty() {
            layer.cors_origins = Some(self.cors_origins.clone());
        }
        layer.request_timeout = self.request_timeout;
        layer.watch = self.watch;
        layer.read_only = self.read_only;
        layer.watch_interval = self.watch_interval;
        layer.max_uri_bytes = self.max_uri_bytes;
        layer.max_concurrent_requests = self.max_concurrent_requests;
        layer.max_connections = self.max_connections;
        layer.search_cache_entries = self.search_cache_entries;
        layer.header_read_timeout = self.header_read_timeout;
        layer.shutdown_grace = self.shutdown_grace;
    }
}

impl QueryFlags {
    fn apply(&self, layer: &mut Layer) {
        layer.query.fuzzy = self.fuzzy;
        layer.query.layout = self.layout;
        layer.query.synonyms = self.expand_synonyms;
        layer.query.translit = self.translit;
        layer.query.counterparts = self.counterparts;
        layer.query.lexicon = self.lexicon;
        layer.query.structure = self.structure;
    }
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    content: ContentFlag,
    #[command(flatten)]
    index: IndexFlag,
    #[command(flatten)]
    server: ServerFlags,
    #[command(flatten)]
    build: BuildFlags,
    #[command(flatten)]
    query: QueryFlags,
}

#[derive(Args)]
pub struct McpArgs {
    #[command(flatten)]
    content: ContentFlag,
    #[command(flatten)]
    index: IndexFlag,
    #[command(flatten)]
    build: BuildFlags,
    #[command(flatten)]
    query: QueryFlags,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    content: ContentFlag,
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct InspectArgs {
    /// The Markdown file to parse.
    pub file: PathBuf,
}

#[derive(Args)]
pub struct IndexArgs {
    #[command(flatten)]
    content: ContentFlag,
    #[command(flatten)]
    index: IndexFlag,
    #[command(flatten)]
    build: BuildFlags,
    /// Rebuild everything instead of re-indexing only added, changed or removed files.
    #[arg(long)]
    pub full: bool,
}

#[derive(Args)]
pub struct SearchArgs {
    #[command(flatten)]
    index: IndexFlag,
    /// Print results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Only sections in this language (`en` or `ru`).
    #[arg(long)]
    pub lang: Option<Lang>,
    /// Number of results (1–100).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[command(flatten)]
    query_flags: QueryFlags,
    /// The query: words, an error code or a pasted log line.
    #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
    pub query: Vec<String>,
}

#[derive(Args)]
pub struct LexiconArgs {
    #[command(flatten)]
    index: IndexFlag,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// Entries printed when no word is given.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Words to look up (each analysed like a query word).
    #[arg(num_args = 0.., allow_hyphen_values = true)]
    pub words: Vec<String>,
}

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
}

#[derive(Args)]
pub struct ManArgs {
    /// A subcommand's page (`kbsearch-serve(1)`) instead of the main one.
    pub subcommand: Option<String>,
}

impl Command {
    /// The settings given as flags.
    pub fn flags(&self) -> Layer {
        let mut layer = Layer::default();
        match self {
            Command::Index(a) => {
                a.content.apply(&mut layer);
                a.index.apply(&mut layer);
                a.build.apply(&mut layer);
            }
            Command::Search(a) => {
                a.index.apply(&mut layer);
                a.query_flags.apply(&mut layer);
            }
            Command::Serve(a) | Command::Config(a) => {
                a.content.apply(&mut layer);
                a.index.apply(&mut layer);
                a.server.apply(&mut layer);
                a.build.apply(&mut layer);
                a.query.apply(&mut layer);
            }
            Command::Mcp(a) => {
                a.content.apply(&mut layer);
                a.index.apply(&mut layer);
                a.build.apply(&mut layer);
                a.query.apply(&mut layer);
            }
            Command::Check(a) => a.content.apply(&mut layer),
            Command::Lexicon(a) => a.index.apply(&mut layer),
            Command::Inspect(_) | Command::Completions(_) | Command::Man(_) => {}
        }
        layer
    }
}

/// The completion script of `kbsearch` for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut command, "kbsearch", &mut buffer);
    buffer
}

/// The manual page (roff) of `kbsearch`, or of one of its subcommands.
pub fn man_page(subcommand: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let mut command = Cli::command();
    command.build();
    let page = match subcommand {
        None => command,
        Some(name) => {
            let Some(sub) = command.find_subcommand(name) else {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                anyhow::bail!("no subcommand {name:?}; one of: {}", names.join(", "));
            };
            // build() named it `kbsearch-<name>`, the page's title.
            sub.clone().version(VERSION)
        }
    };
    let mut buffer = Vec::new();
    clap_mangen::Man::new(page)
        .source(format!("kbsearch {VERSION}"))
        .manual("User Commands")
        .render(&mut buffer)?;
    if !buffer.ends_with(b"\n") {
        buffer.push(b'\n');
    }
    Ok(buffer)
}
