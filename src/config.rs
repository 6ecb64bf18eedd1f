//! Configuration: built-in defaults < `kbsearch.toml` < `KBSEARCH_*`
//! environment variables < command-line flags.
//!
//! Each source is read into a [`Layer`] (every setting optional, `None` = not
//! given there); [`merge`] takes the first value present from the flags, then
//! the environment, then the file, else the built-in default, and records in
//! [`Resolved::sources`] where each value came from. [`resolve`] adds parsing
//! of the environment and validation. Everything here is a plain function of
//! its inputs — the environment is passed in as a map — so it is tested
//! without touching the process.
//!
//! The file is found by [`locate`]: `--config FILE`, else `KBSEARCH_CONFIG`,
//! else `kbsearch.toml` in the working directory when it exists. Unknown keys
//! are errors naming the key, the line and the file. Relative paths in a file
//! are relative to the file's folder.
//!
//! `admin_token` is accepted and validated but unused: it is reserved for the
//! reload/reindex endpoints. It is a [`Secret`], which prints as `<set>` in
//! `Debug` output and in [`Resolved::to_toml`].

use crate::http::{HttpConfig, Limits};
use crate::index::BuildOptions;
use crate::search::analyse::QueryOptions;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The file looked for in the working directory.
pub const DEFAULT_FILE: &str = "kbsearch.toml";
/// Environment variable naming the config file.
pub const CONFIG_ENV: &str = "KBSEARCH_CONFIG";

/// A value that never shows: `Debug` and [`Resolved::to_toml`] print `<set>`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself; never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<set>")
    }
}

/// Settings given by one source (file, environment or flags); `None` = not
/// given by it. This is also the schema of `kbsearch.toml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub addr: Option<String>,
    pub content: Option<PathBuf>,
    pub index: Option<PathBuf>,
    pub synonyms: Option<PathBuf>,
    pub threads: Option<usize>,
    pub watch: Option<bool>,
    pub watch_interval: Option<f64>,
    pub cors_origins: Option<Vec<String>>,
    pub admin_token: Option<Secret>,
    pub max_file_bytes: Option<u64>,
    pub request_timeout: Option<u64>,
    pub max_uri_bytes: Option<usize>,
    pub max_concurrent_requests: Option<usize>,
    pub max_connections: Option<usize>,
    pub search_cache_entries: Option<usize>,
    pub header_read_timeout: Option<u64>,
    pub shutdown_grace: Option<u64>,
    #[serde(default)]
    pub query: QueryLayer,
}

/// The `[query]` table: defaults of the query features.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryLayer {
    pub fuzzy: Option<bool>,
    pub layout: Option<bool>,
    pub synonyms: Option<bool>,
}

/// One configuration key: its name in the file (`query.fuzzy` is `fuzzy` in
/// the `[query]` table), its environment variable and its flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub name: &'static str,
    pub env: &'static str,
    /// `None` for the admin token: a flag would show it in `ps`.
    pub flag: Option<&'static str>,
    pub doc: &'static str,
}

const fn key(
    name: &'static str,
    env: &'static str,
    flag: Option<&'static str>,
    doc: &'static str,
) -> Key {
    Key {
        name,
        env,
        flag,
        doc,
    }
}

/// Every key, in the order of `kbsearch config`. The environment variable is
/// `KBSEARCH_` + the name in capitals with `.` → `_`.
pub const KEYS: &[Key] = &[
    key("addr", "KBSEARCH_ADDR", Some("--addr"), "Address to listen on (host:port); the default only accepts local connections."),
    key("content", "KBSEARCH_CONTENT", Some("--content"), "Folder of Markdown articles."),
    key("index", "KBSEARCH_INDEX", Some("--index"), "Index folder (built or refreshed from the content when needed)."),
    key("synonyms", "KBSEARCH_SYNONYMS", Some("--synonyms"), "Synonyms/glossary file; unset = synonyms.toml in the content folder, if present."),
    key("threads", "KBSEARCH_THREADS", Some("--threads"), "Indexing threads (0 = one per core, at most 4)."),
    key("watch", "KBSEARCH_WATCH", Some("--watch"), "serve: re-index when the content changes."),
    key("watch_interval", "KBSEARCH_WATCH_INTERVAL", Some("--watch-interval"), "Seconds between two looks for changes (0.1 to 86400)."),
    key("cors_origins", "KBSEARCH_CORS_ORIGINS", Some("--cors-origin"), "Origins allowed to call the API from a browser (http(s)://host[:port]); empty = CORS off. The flag repeats; the variable is comma-separated."),
    key("admin_token", "KBSEARCH_ADMIN_TOKEN", None, "Reserved for the reload/reindex endpoints (none exist yet): 16-256 characters of A-Z a-z 0-9 - _ . ~ + / =. Never printed or logged."),
    key("max_file_bytes", "KBSEARCH_MAX_FILE_BYTES", Some("--max-file-bytes"), "Markdown files larger than this are skipped."),
    key("request_timeout", "KBSEARCH_REQUEST_TIMEOUT", Some("--request-timeout"), "Seconds before a request is answered with 408."),
    key("max_uri_bytes", "KBSEARCH_MAX_URI_BYTES", Some("--max-uri-bytes"), "Longest request target (path + query) in bytes; longer ones get 414."),
    key("max_concurrent_requests", "KBSEARCH_MAX_CONCURRENT_REQUESTS", Some("--max-concurrent-requests"), "Requests handled at once; more get 503."),
    key("max_connections", "KBSEARCH_MAX_CONNECTIONS", Some("--max-connections"), "Open connections; further clients wait in the listen backlog."),
    key("search_cache_entries", "KBSEARCH_SEARCH_CACHE_ENTRIES", Some("--search-cache-entries"), "Search responses kept in memory for repeated requests (0 = no cache); emptied when the index changes."),
    key("header_read_timeout", "KBSEARCH_HEADER_READ_TIMEOUT", Some("--header-read-timeout"), "Seconds a client has to send a complete request head."),
    key("shutdown_grace", "KBSEARCH_SHUTDOWN_GRACE", Some("--shutdown-grace"), "Seconds open requests get to finish after SIGTERM or Ctrl-C."),
    key("query.fuzzy", "KBSEARCH_QUERY_FUZZY", Some("--fuzzy"), "Match unknown words with typos (edit distance 1 from 5 letters, 2 from 9)."),
    key("query.layout", "KBSEARCH_QUERY_LAYOUT", Some("--layout"), "Convert words typed in the wrong keyboard layout."),
    key("query.synonyms", "KBSEARCH_QUERY_SYNONYMS", Some("--expand-synonyms"), "Expand queries with the synonyms file."),
];

/// The key named `name`.
pub fn find_key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

fn known(name: &'static str) -> &'static Key {
    find_key(name).unwrap_or_else(|| unreachable!("config key {name} is missing from KEYS"))
}

/// The effective settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub addr: String,
    pub content: PathBuf,
    pub index: PathBuf,
    pub synonyms: Option<PathBuf>,
    pub threads: usize,
    pub watch: bool,
    pub watch_interval: f64,
    pub cors_origins: Vec<String>,
    pub admin_token: Option<Secret>,
    pub max_file_bytes: u64,
    pub request_timeout: u64,
    pub max_uri_bytes: usize,
    pub max_concurrent_requests: usize,
    pub max_connections: usize,
    pub search_cache_entries: usize,
    pub header_read_timeout: u64,
    pub shutdown_grace: u64,
    pub query: QueryOptions,
}

impl Default for Config {
    /// The built-in defaults: the command line's historical defaults and the
    /// library's [`Limits`], [`HttpConfig`] and [`QueryOptions`] defaults.
    fn default() -> Self {
        let limits = Limits::default();
        Config {
            addr: "127.0.0.1:8080".into(),
            content: "content".into(),
            index: "index".into(),
            synonyms: None,
            threads: 0,
            watch: false,
            watch_interval: 2.0,
            cors_origins: Vec::new(),
            admin_token: None,
            max_file_bytes: crate::ingest::DEFAULT_MAX_FILE_BYTES,
            request_timeout: HttpConfig::default().request_timeout.as_secs(),
            max_uri_bytes: limits.max_uri_bytes,
            max_concurrent_requests: limits.max_concurrent_requests,
            max_connections: limits.max_connections,
            search_cache_entries: crate::search::cache::DEFAULT_ENTRIES,
            header_read_timeout: limits.header_read_timeout.as_secs(),
            shutdown_grace: limits.shutdown_grace.as_secs(),
            query: QueryOptions::default(),
        }
    }
}

impl Config {
    /// Options for building the index (`full` is a per-run choice: false).
    pub fn build_options(&self) -> BuildOptions {
        let mut options = BuildOptions::new(&self.content, &self.index);
        options.max_file_bytes = self.max_file_bytes;
        options.threads = self.threads;
        options.synonyms = self.synonyms.clone();
        options
    }

    /// Settings of the HTTP layer.
    #[allow(clippy::needless_update)] // fields added to HttpConfig keep their defaults
    pub fn http_config(&self) -> HttpConfig {
        HttpConfig {
            request_timeout: Duration::from_secs(self.request_timeout.max(1)),
            cors_origins: self.cors_origins.clone(),
            query_defaults: self.query,
        }
    }

    /// Connection and request limits of the server.
    #[allow(clippy::needless_update)] // fields added to Limits keep their defaults
    pub fn limits(&self) -> Limits {
        Limits {
            max_uri_bytes: self.max_uri_bytes,
            max_concurrent_requests: self.max_concurrent_requests,
            max_connections: self.max_connections,
            header_read_timeout: Duration::from_secs(self.header_read_timeout.max(1)),
            shutdown_grace: Duration::from_secs(self.shutdown_grace),
            ..Limits::default()
        }
    }

    /// How often `serve --watch` polls the content.
    pub fn watch_interval(&self) -> Duration {
        Duration::from_secs_f64(self.watch_interval.clamp(0.1, 86_400.0))
    }
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
    Env(&'static str),
    Flag(&'static str),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File(path) => write!(f, "file {}", path.display()),
            Source::Env(var) => write!(f, "env {var}"),
            Source::Flag(flag) => write!(f, "flag {flag}"),
        }
    }
}

/// A parsed config file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileLayer {
    pub path: PathBuf,
    pub layer: Layer,
}

/// The effective configuration and where each value came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub config: Config,
    /// Source of every key in [`KEYS`].
    pub sources: BTreeMap<&'static str, Source>,
    /// The config file read, if any.
    pub file: Option<PathBuf>,
}

impl Resolved {
    pub fn source(&self, key: &str) -> &Source {
        self.sources.get(key).unwrap_or(&Source::Default)
    }
}

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config file {}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("environment variable {var}: {message}")]
    Env { var: &'static str, message: String },
    #[error("{key} (from {from}): {message}")]
    Invalid {
        key: &'static str,
        from: Source,
        message: String,
    },
}

/// The config file to read: `flag`, else `KBSEARCH_CONFIG`, else
/// `kbsearch.toml` in `cwd` when it is a file. An explicit file that does
/// not exist is an error later, when it is read.
pub fn locate(flag: Option<&Path>, env: &BTreeMap<String, String>, cwd: &Path) -> Option<PathBuf> {
    if let Some(path) = flag {
        return Some(path.to_path_buf());
    }
    if let Some(path) = env.get(CONFIG_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let default = cwd.join(DEFAULT_FILE);
    default.is_file().then_some(default)
}

/// Reads and parses a config file.
pub fn load_file(path: &Path) -> Result<FileLayer, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_file(path, &text)
}

/// Parses the text of the config file at `path`; relative paths in it become
/// relative to the file's folder.
pub fn parse_file(path: &Path, text: &str) -> Result<FileLayer, ConfigError> {
    let mut layer: Layer = toml::from_str(text).map_err(|err| ConfigError::Parse {
        path: path.to_path_buf(),
        message: err.to_string().trim_end().to_string(),
    })?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty() && *p != Path::new("."));
    if let Some(base) = base {
        for field in [&mut layer.content, &mut layer.index, &mut layer.synonyms] {
            if let Some(value) = field.as_mut() {
                if value.is_relative() && !value.as_os_str().is_empty() {
                    *value = base.join(&*value);
                }
            }
        }
    }
    Ok(FileLayer {
        path: path.to_path_buf(),
        layer,
    })
}

/// The `KBSEARCH_*` variables of `env` that name keys, as a layer. Empty
/// values count as not set, except `KBSEARCH_CORS_ORIGINS` (empty = none).
/// Other `KBSEARCH_*` variables (`KBSEARCH_LOG`, `KBSEARCH_CONFIG`, test
/// switches) are not configuration and are ignored.
pub fn env_layer(env: &BTreeMap<String, String>) -> Result<Layer, ConfigError> {
    let mut layer = Layer::default();
    for key in KEYS {
        let Some(value) = env.get(key.env) else {
            continue;
        };
        if value.is_empty() && key.name != "cors_origins" {
            continue;
        }
        set(&mut layer, key.name, value).map_err(|message| ConfigError::Env {
            var: key.env,
            message,
        })?;
    }
    Ok(layer)
}

/// Sets the key `name` of `layer` from text (an environment value).
pub fn set(layer: &mut Layer, name: &str, value: &str) -> Result<(), String> {
    match name {
        "addr" => layer.addr = Some(value.to_string()),
        "content" => layer.content = Some(value.into()),
        "index" => layer.index = Some(value.into()),
        "synonyms" => layer.synonyms = Some(value.into()),
        "threads" => layer.threads = Some(number(value)?),
        "watch" => layer.watch = Some(boolean(value)?),
        "watch_interval" => {
            layer.watch_interval = Some(
                value
                    .trim()
                    .parse()
                    .map_err(|_| format!("expected a number of seconds, got {value:?}"))?,
            )
        }
        "cors_origins" => {
            layer.cors_origins = Some(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            )
        }
        // The value is not echoed in errors: it is a secret.
        "admin_token" => layer.admin_token = Some(Secret::new(value)),
        "max_file_bytes" => layer.max_file_bytes = Some(number(value)?),
        "request_timeout" => layer.request_timeout = Some(number(value)?),
        "max_uri_bytes" => layer.max_uri_bytes = Some(number(value)?),
        "max_concurrent_requests" => layer.max_concurrent_requests = Some(number(value)?),
        "max_connections" => layer.max_connections = Some(number(value)?),
        "search_cache_entries" => layer.search_cache_entries = Some(number(value)?),
        "header_read_timeout" => layer.header_read_timeout = Some(number(value)?),
        "shutdown_grace" => layer.shutdown_grace = Some(number(value)?),
        "query.fuzzy" => layer.query.fuzzy = Some(boolean(value)?),
        "query.layout" => layer.query.layout = Some(boolean(value)?),
        "query.synonyms" => layer.query.synonyms = Some(boolean(value)?),
        _ => return Err(format!("unknown configuration key {name:?}")),
    }
    Ok(())
}

fn number<T: std::str::FromStr>(value: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("expected a whole number ≥ 0, got {value:?}"))
}

fn boolean(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!("expected true or false, got {value:?}")),
    }
}

/// Takes each key from the first layer that has it — `flags`, `env`, `file`
/// — else the built-in default. No validation (see [`validate`]).
pub fn merge(file: Option<&FileLayer>, env: &Layer, flags: &Layer) -> Resolved {
    let mut config = Config::default();
    let mut sources = BTreeMap::new();
    macro_rules! take {
        ($name:literal, $($field:ident).+) => {{
            let key = known($name);
            let file_value = file.and_then(|f| f.layer.$($field).+.clone().map(|v| (v, &f.path)));
            let (value, source) = if let Some(v) = flags.$($field).+.clone() {
                (Some(v), Source::Flag(key.flag.unwrap_or(key.name)))
            } else if let Some(v) = env.$($field).+.clone() {
                (Some(v), Source::Env(key.env))
            } else if let Some((v, path)) = file_value {
                (Some(v), Source::File(path.clone()))
            } else {
                (None, Source::Default)
            };
            if let Some(v) = value {
                config.$($field).+ = v.into();
            }
            sources.insert(key.name, source);
        }};
    }
    take!("addr", addr);
    take!("content", content);
    take!("index", index);
    take!("synonyms", synonyms);
    take!("threads", threads);
    take!("watch", watch);
    take!("watch_interval", watch_interval);
    take!("cors_origins", cors_origins);
    take!("admin_token", admin_token);
    take!("max_file_bytes", max_file_bytes);
    take!("request_timeout", request_timeout);
    take!("max_uri_bytes", max_uri_bytes);
    take!("max_concurrent_requests", max_concurrent_requests);
    take!("max_connections", max_connections);
    take!("search_cache_entries", search_cache_entries);
    take!("header_read_timeout", header_read_timeout);
    take!("shutdown_grace", shutdown_grace);
    take!("query.fuzzy", query.fuzzy);
    take!("query.layout", query.layout);
    take!("query.synonyms", query.synonyms);
    debug_assert_eq!(sources.len(), KEYS.len(), "merge misses a key");
    Resolved {
        config,
        sources,
        file: file.map(|f| f.path.clone()),
    }
}

/// Checks values that parse but cannot work; the error names the key and
/// where the value came from (never the admin token's value).
pub fn validate(resolved: &Resolved) -> Result<(), ConfigError> {
    let c = &resolved.config;
    let fail = |name: &'static str, message: String| ConfigError::Invalid {
        key: name,
        from: resolved.source(name).clone(),
        message,
    };
    check_addr(&c.addr).map_err(|m| fail("addr", m))?;
    for (name, path) in [("content", &c.content), ("index", &c.index)] {
        if path.as_os_str().is_empty() {
            return Err(fail(name, "the path is empty".into()));
        }
    }
    if c.synonyms
        .as_ref()
        .is_some_and(|p| p.as_os_str().is_empty())
    {
        return Err(fail("synonyms", "the path is empty".into()));
    }
    if c.threads > 1024 {
        return Err(fail("threads", format!("{} is more than 1024", c.threads)));
    }
    if !(c.watch_interval.is_finite() && (0.1..=86_400.0).contains(&c.watch_interval)) {
        return Err(fail(
            "watch_interval",
            format!("{} is not between 0.1 and 86400 seconds", c.watch_interval),
        ));
    }
    for origin in &c.cors_origins {
        check_origin(origin).map_err(|m| fail("cors_origins", format!("{origin:?}: {m}")))?;
    }
    if let Some(token) = &c.admin_token {
        check_token(token.expose()).map_err(|m| fail("admin_token", m))?;
    }
    let minimums: [(&'static str, u64, u64); 6] = [
        ("max_file_bytes", c.max_file_bytes, 1),
        ("request_timeout", c.request_timeout, 1),
        ("max_uri_bytes", c.max_uri_bytes as u64, 1024),
        (
            "max_concurrent_requests",
            c.max_concurrent_requests as u64,
            1,
        ),
        ("max_connections", c.max_connections as u64, 1),
        ("header_read_timeout", c.header_read_timeout, 1),
    ];
    for (name, value, min) in minimums {
        if value < min {
            return Err(fail(name, format!("{value} is less than {min}")));
        }
    }
    Ok(())
}

/// `host:port` or a socket address (`[::1]:8080`).
fn check_addr(addr: &str) -> Result<(), String> {
    if addr.parse::<std::net::SocketAddr>().is_ok() {
        return Ok(());
    }
    let (host, port) = addr
        .rsplit_once(':')
        .ok_or_else(|| format!("{addr:?} is not host:port"))?;
    if port.parse::<u16>().is_err() {
        return Err(format!(
            "{addr:?}: the port is not a number from 0 to 65535"
        ));
    }
    let bad_host = host.is_empty()
        || host
            .chars()
            .any(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'));
    if bad_host {
        return Err(format!(
            "{addr:?}: {host:?} is not a host name or IP address"
        ));
    }
    Ok(())
}

/// `http(s)://host[:port]`, as a browser sends it in `Origin`.
fn check_origin(origin: &str) -> Result<(), String> {
    if origin == "*" {
        return Err("a wildcard is not supported; list the origins".into());
    }
    let rest = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .ok_or("an origin starts with http:// or https://")?;
    let ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']'));
    if !ok {
        return Err("an origin is scheme://host[:port], without a path or a trailing slash".into());
    }
    Ok(())
}

/// Long enough to resist guessing, and safe in a header.
fn check_token(token: &str) -> Result<(), String> {
    let len = token.chars().count();
    if !(16..=256).contains(&len) {
        return Err(format!("the token is {len} characters long; use 16 to 256"));
    }
    let plain =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '+' | '/' | '=');
    if !token.chars().all(plain) {
        return Err("the token may only hold A-Z a-z 0-9 - _ . ~ + / =".into());
    }
    Ok(())
}

/// Parses the environment, merges and validates.
pub fn resolve(
    file: Option<&FileLayer>,
    env: &BTreeMap<String, String>,
    flags: &Layer,
) -> Result<Resolved, ConfigError> {
    let env = env_layer(env)?;
    let resolved = merge(file, &env, flags);
    validate(&resolved)?;
    Ok(resolved)
}

/// The `KBSEARCH_*` variables of the process. A value that is not UTF-8 is
/// an error only when the variable is a configuration key.
pub fn process_env() -> Result<BTreeMap<String, String>, ConfigError> {
    let mut env = BTreeMap::new();
    for (name, value) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        if !name.starts_with("KBSEARCH_") {
            continue;
        }
        match value.into_string() {
            Ok(value) => {
                env.insert(name.to_string(), value);
            }
            Err(_) => {
                if let Some(key) = KEYS.iter().find(|k| k.env == name) {
                    return Err(ConfigError::Env {
                        var: key.env,
                        message: "the value is not valid UTF-8".into(),
                    });
                }
            }
        }
    }
    Ok(env)
}

/// Locates and reads the file, then resolves against the process
/// environment: what the command line does.
pub fn load(flag: Option<&Path>, flags: &Layer) -> Result<Resolved, ConfigError> {
    let env = process_env()?;
    let file = match locate(flag, &env, Path::new(".")) {
        Some(path) => Some(load_file(&path)?),
        None => None,
    };
    resolve(file.as_ref(), &env, flags)
}

impl Resolved {
    /// The effective configuration as TOML, each key followed by a comment
    /// naming its source. The admin token prints as `"<set>"`.
    pub fn to_toml(&self) -> String {
        let mut out = String::from("# kbsearch: effective configuration\n");
        match &self.file {
            Some(path) => out.push_str(&format!("# config file: {}\n", path.display())),
            None => out.push_str("# config file: none\n"),
        }
        out.push_str(
            "# precedence: built-in default < config file < KBSEARCH_* environment < command-line flag\n\n",
        );
        let mut in_query = false;
        for key in KEYS {
            let (table, name) = match key.name.split_once('.') {
                Some((table, name)) => (Some(table), name),
                None => (None, key.name),
            };
            if let Some(table) = table {
                if !in_query {
                    out.push_str(&format!("\n[{table}]\n"));
                    in_query = true;
                }
            }
            let source = self.source(key.name);
            match self.value(key.name) {
                Some(value) => out.push_str(&format!("{name} = {value}  # {source}\n")),
                None => out.push_str(&format!("# {name} is not set  # {source}\n")),
            }
        }
        out
    }

    /// The TOML text of a key's value; `None` when it is not set (or the
    /// name is not a key). The admin token is `"<set>"`.
    pub fn value(&self, name: &str) -> Option<String> {
        use toml::Value;
        let c = &self.config;
        let path = |p: &Path| Value::String(p.to_string_lossy().into_owned());
        let int = |n: u64| Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
        let value = match name {
            "addr" => Value::String(c.addr.clone()),
            "content" => path(&c.content),
            "index" => path(&c.index),
            "synonyms" => path(c.synonyms.as_deref()?),
            "threads" => int(c.threads as u64),
            "watch" => Value::Boolean(c.watch),
            "watch_interval" => Value::Float(c.watch_interval),
            "cors_origins" => Value::Array(
                c.cors_origins
                    .iter()
                    .map(|o| Value::String(o.clone()))
                    .collect(),
            ),
            "admin_token" => {
                c.admin_token.as_ref()?;
                Value::String("<set>".into())
            }
            "max_file_bytes" => int(c.max_file_bytes),
            "request_timeout" => int(c.request_timeout),
            "max_uri_bytes" => int(c.max_uri_bytes as u64),
            "max_concurrent_requests" => int(c.max_concurrent_requests as u64),
            "max_connections" => int(c.max_connections as u64),
            "search_cache_entries" => int(c.search_cache_entries as u64),
            "header_read_timeout" => int(c.header_read_timeout),
            "shutdown_grace" => int(c.shutdown_grace),
            "query.fuzzy" => Value::Boolean(c.query.fuzzy),
            "query.layout" => Value::Boolean(c.query.layout),
            "query.synonyms" => Value::Boolean(c.query.synonyms),
            _ => return None,
        };
        Some(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn file(text: &str) -> FileLayer {
        parse_file(Path::new("kbsearch.toml"), text).unwrap()
    }

    #[test]
    fn env_names_follow_the_key_names() {
        for key in KEYS {
            assert_eq!(
                key.env,
                format!("KBSEARCH_{}", key.name.replace('.', "_").to_uppercase())
            );
            let mut layer = Layer::default();
            let sample = match key.name {
                "watch" | "query.fuzzy" | "query.layout" | "query.synonyms" => "true",
                "watch_interval" => "1.5",
                "addr" | "content" | "index" | "synonyms" | "cors_origins" | "admin_token" => "x",
                _ => "7",
            };
            set(&mut layer, key.name, sample).unwrap();
            assert_ne!(layer, Layer::default(), "{} sets nothing", key.name);
        }
    }

    #[test]
    fn defaults_match_the_historical_command_line() {
        let resolved = merge(None, &Layer::default(), &Layer::default());
        let c = &resolved.config;
        assert_eq!(c.addr, "127.0.0.1:8080");
        assert_eq!(c.content, Path::new("content"));
        assert_eq!(c.index, Path::new("index"));
        assert_eq!(c.request_timeout, 10);
        assert_eq!(c.watch_interval, 2.0);
        assert_eq!(c.max_file_bytes, 5 * 1024 * 1024);
        assert_eq!(c.query, QueryOptions::default());
        assert!(resolved.sources.values().all(|s| *s == Source::Default));
        validate(&resolved).unwrap();
    }

    #[test]
    fn flags_beat_env_beat_file() {
        let f = file(
            "addr = \"127.0.0.1:1\"\ncontent = \"kb\"\nindex = \"idx\"\n[query]\nfuzzy = false\n",
        );
        let e = env_layer(&env(&[
            ("KBSEARCH_ADDR", "127.0.0.1:2"),
            ("KBSEARCH_CONTENT", "kb-env"),
        ]))
        .unwrap();
        let flags = Layer {
            addr: Some("127.0.0.1:3".into()),
            ..Layer::default()
        };
        let r = merge(Some(&f), &e, &flags);
        assert_eq!(r.config.addr, "127.0.0.1:3");
        assert_eq!(r.source("addr"), &Source::Flag("--addr"));
        assert_eq!(r.config.content, Path::new("kb-env"));
        assert_eq!(r.source("content"), &Source::Env("KBSEARCH_CONTENT"));
        assert_eq!(r.config.index, Path::new("idx"));
        assert_eq!(r.source("index"), &Source::File("kbsearch.toml".into()));
        assert!(!r.config.query.fuzzy);
        assert_eq!(
            r.source("query.fuzzy"),
            &Source::File("kbsearch.toml".into())
        );
        assert_eq!(r.source("query.layout"), &Source::Default);
    }

    #[test]
    fn relative_paths_follow_the_file() {
        let f = parse_file(
            Path::new("/etc/kbsearch/kbsearch.toml"),
            "content = \"kb\"\nindex = \"/var/lib/kbsearch\"\n",
        )
        .unwrap();
        assert_eq!(
            f.layer.content.as_deref(),
            Some(Path::new("/etc/kbsearch/kb"))
        );
        assert_eq!(
            f.layer.index.as_deref(),
            Some(Path::new("/var/lib/kbsearch"))
        );
    }

    #[test]
    fn unknown_keys_name_key_line_and_file() {
        let err =
            parse_file(Path::new("conf/kb.toml"), "addr = \"x:1\"\n\nbogus = 1\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("conf/kb.toml"), "{text}");
        assert!(text.contains("bogus"), "{text}");
        assert!(text.contains("line 3"), "{text}");
        let err = parse_file(Path::new("k.toml"), "[query]\nfuzy = true\n").unwrap_err();
        assert!(err.to_string().contains("fuzy"), "{err}");
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(parse_file(Path::new("k.toml"), "request_timeout = \"ten\"\n").is_err());
        assert!(parse_file(Path::new("k.toml"), "max_connections = -1\n").is_err());
        let err = env_layer(&env(&[("KBSEARCH_WATCH", "maybe")])).unwrap_err();
        assert!(err.to_string().contains("KBSEARCH_WATCH"), "{err}");
        for (var, value, key) in [
            ("KBSEARCH_ADDR", "nonsense", "addr"),
            ("KBSEARCH_CORS_ORIGINS", "*", "cors_origins"),
            (
                "KBSEARCH_CORS_ORIGINS",
                "https://a.example/",
                "cors_origins",
            ),
            ("KBSEARCH_WATCH_INTERVAL", "0", "watch_interval"),
            ("KBSEARCH_REQUEST_TIMEOUT", "0", "request_timeout"),
            ("KBSEARCH_ADMIN_TOKEN", "short", "admin_token"),
        ] {
            let err = resolve(None, &env(&[(var, value)]), &Layer::default()).unwrap_err();
            let text = err.to_string();
            assert!(text.starts_with(key), "{text}");
            assert!(text.contains(var), "{text}");
        }
    }

    #[test]
    fn the_token_never_shows() {
        let token = "s3cret-token-0123456789";
        let r = resolve(
            None,
            &env(&[("KBSEARCH_ADMIN_TOKEN", token)]),
            &Layer::default(),
        )
        .unwrap();
        assert_eq!(
            r.config.admin_token.as_ref().map(Secret::expose),
            Some(token)
        );
        assert!(!format!("{r:?}").contains(token));
        let text = r.to_toml();
        assert!(!text.contains(token), "{text}");
        assert!(
            text.contains("admin_token = \"<set>\"  # env KBSEARCH_ADMIN_TOKEN"),
            "{text}"
        );
        let bad = "has space but long enough";
        let err = resolve(
            None,
            &env(&[("KBSEARCH_ADMIN_TOKEN", bad)]),
            &Layer::default(),
        )
        .unwrap_err();
        assert!(!err.to_string().contains(bad), "{err}");
    }

    #[test]
    fn cors_origins_split_on_commas() {
        let e = env_layer(&env(&[(
            "KBSEARCH_CORS_ORIGINS",
            "https://a.example, http://b.example:8080,",
        )]))
        .unwrap();
        assert_eq!(
            e.cors_origins.unwrap(),
            ["https://a.example", "http://b.example:8080"]
        );
        let e = env_layer(&env(&[("KBSEARCH_CORS_ORIGINS", "")])).unwrap();
        assert_eq!(e.cors_origins, Some(Vec::new()));
        let e = env_layer(&env(&[("KBSEARCH_ADDR", "")])).unwrap();
        assert_eq!(e.addr, None);
    }

    #[test]
    fn locate_prefers_flag_then_env_then_working_dir() {
        let dir = tempfile::tempdir().unwrap();
        let e = env(&[(CONFIG_ENV, "/from/env.toml")]);
        assert_eq!(
            locate(Some(Path::new("a.toml")), &e, dir.path()),
            Some(PathBuf::from("a.toml"))
        );
        assert_eq!(
            locate(None, &e, dir.path()),
            Some(PathBuf::from("/from/env.toml"))
        );
        assert_eq!(locate(None, &env(&[]), dir.path()), None);
        std::fs::write(dir.path().join(DEFAULT_FILE), "").unwrap();
        assert_eq!(
            locate(None, &env(&[]), dir.path()),
            Some(dir.path().join(DEFAULT_FILE))
        );
    }

    #[test]
    fn the_rendering_is_toml_that_reads_back() {
        let f = file(
            "content = \"kb\"\ncors_origins = [\"https://a.example\"]\n[query]\nlayout = false\n",
        );
        let r = resolve(Some(&f), &env(&[]), &Layer::default()).unwrap();
        let text = r.to_toml();
        let back: Layer = toml::from_str(&text).unwrap();
        assert_eq!(back.content.as_deref(), Some(Path::new("kb")));
        assert_eq!(back.query.layout, Some(false));
        assert_eq!(back.cors_origins.unwrap(), ["https://a.example"]);
        assert!(text.contains("# synonyms is not set  # default"), "{text}");
    }

    #[test]
    fn conversions_carry_the_values() {
        let f =
            file("max_connections = 7\nrequest_timeout = 3\nthreads = 2\nsynonyms = \"s.toml\"\n");
        let r = resolve(Some(&f), &env(&[]), &Layer::default()).unwrap();
        assert_eq!(r.config.limits().max_connections, 7);
        assert_eq!(
            r.config.http_config().request_timeout,
            Duration::from_secs(3)
        );
        let b = r.config.build_options();
        assert_eq!(b.threads, 2);
        assert_eq!(b.synonyms.as_deref(), Some(Path::new("s.toml")));
    }
}
