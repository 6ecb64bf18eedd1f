//! The settings themselves: what one source gives ([`Layer`], also the
//! schema of `kbsearch.toml`), the effective values ([`Config`], whose
//! `Default` is every key's built-in default) and what the library's parts
//! take from them.

use crate::http::{HttpConfig, Limits};
use crate::index::BuildOptions;
use crate::search::analyse::QueryOptions;
use serde::Deserialize;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// A value that never shows: `Debug` and
/// [`Resolved::to_toml`](super::Resolved::to_toml) print `<set>`.
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
/// given by it. This is also the schema of `kbsearch.toml`: serde reads the
/// file into it, so a wrong type or an unknown key is an error naming the
/// line. Each field has its row in [`KEYS`](super::KEYS).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub addr: Option<String>,
    pub content: Option<PathBuf>,
    pub index: Option<PathBuf>,
    pub synonyms: Option<PathBuf>,
    pub threads: Option<usize>,
    pub watch: Option<bool>,
    pub read_only: Option<bool>,
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
    pub translit: Option<bool>,
    pub counterparts: Option<bool>,
    pub lexicon: Option<bool>,
    pub structure: Option<bool>,
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
    /// `serve` as a replica: the index directory is only read (see
    /// `kbsearch::watch::follow_generations`).
    pub read_only: bool,
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
    /// The built-in default of every key, the one place they are set: the
    /// library's own defaults ([`Limits`], [`HttpConfig`], [`QueryOptions`],
    /// the ingestion and cache limits) and the command line's folders and
    /// address.
    fn default() -> Self {
        let limits = Limits::default();
        Config {
            addr: "127.0.0.1:8080".into(),
            content: "content".into(),
            index: "index".into(),
            synonyms: None,
            threads: 0,
            watch: false,
            read_only: false,
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
            mcp_any_host: !listens_on_loopback(&self.addr),
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

/// Whether `addr` (`127.0.0.1:8080`, `[::1]:80`, `localhost:8080`) only
/// reaches this machine.
fn listens_on_loopback(addr: &str) -> bool {
    match addr.parse::<std::net::SocketAddr>() {
        Ok(socket) => socket.ip().is_loopback(),
        Err(_) => addr
            .rsplit_once(':')
            .is_some_and(|(host, _)| host.eq_ignore_ascii_case("localhost")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn conversions_carry_the_values() {
        let c = Config {
            max_connections: 7,
            request_timeout: 3,
            threads: 2,
            synonyms: Some("s.toml".into()),
            ..Config::default()
        };
        assert_eq!(c.limits().max_connections, 7);
        assert_eq!(c.http_config().request_timeout, Duration::from_secs(3));
        let b = c.build_options();
        assert_eq!(b.threads, 2);
        assert_eq!(b.synonyms.as_deref(), Some(Path::new("s.toml")));
    }

    #[test]
    fn loopback_addresses_are_told_apart() {
        assert!(super::listens_on_loopback("127.0.0.1:8080"));
        assert!(super::listens_on_loopback("[::1]:80"));
        assert!(super::listens_on_loopback("localhost:8080"));
        assert!(!super::listens_on_loopback("0.0.0.0:8080"));
        assert!(!super::listens_on_loopback("kb.example:80"));
    }
}
