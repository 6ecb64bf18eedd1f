//! The table of configuration keys: one row per key, which every source and
//! the printer walk. A row names the key in the file, its environment
//! variable and its flag, says what makes a value usable ([`Check`]) and
//! documents it; its [`Field`] ties it to its place in [`Layer`] and
//! [`Config`]. The field's type decides how an environment value is read
//! and how the value prints ([`Setting`]); its default is its value in
//! [`Config::default`].

use super::settings::{Config, Layer, Secret};
use std::path::{Path, PathBuf};

/// One configuration key: its name in the file (`query.fuzzy` is `fuzzy` in
/// the `[query]` table), its environment variable and its flag.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub name: &'static str,
    pub env: &'static str,
    /// `None` for the admin token: a flag would show it in `ps`.
    pub flag: Option<&'static str>,
    /// What a value must be to work, checked once the sources are merged.
    pub check: Check,
    /// Where the key's value lives in a [`Layer`] and in a [`Config`].
    pub field: Field,
    pub doc: &'static str,
}

/// Where a key's value lives: its field in [`Layer`] (an `Option`) and in
/// [`Config`] (the same path, an `Option` only for keys without a default).
/// Made by `field!(path)`; the functions are what the sources, the merge
/// and the printer need of the field, so none of them names fields itself.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    set: fn(&mut Layer, &str) -> Result<(), String>,
    empty_is_a_value: bool,
    rebase: fn(&mut Layer, &Path),
    take: fn(&Layer, &mut Config) -> bool,
    value: fn(&Config) -> Option<Value>,
}

/// The [`Field`] at `path` (`addr`, `query.fuzzy`) of both [`Layer`] and
/// [`Config`].
macro_rules! field {
    ($($path:ident).+) => {
        Field {
            set: |layer, text| {
                layer.$($path).+ = Some(Setting::parse(text)?);
                Ok(())
            },
            empty_is_a_value: empty_is_a_value(|layer| &layer.$($path).+),
            rebase: |layer, base| {
                if let Some(value) = layer.$($path).+.as_mut() {
                    Setting::rebase(value, base);
                }
            },
            take: |layer, config| match &layer.$($path).+ {
                Some(value) => {
                    config.$($path).+ = value.clone().into();
                    true
                }
                None => false,
            },
            value: |config| Effective::value(&config.$($path).+),
        }
    };
}

/// [`Setting::EMPTY_IS_A_VALUE`] of the type of a [`Layer`] field.
const fn empty_is_a_value<T: Setting>(_field: fn(&Layer) -> &Option<T>) -> bool {
    T::EMPTY_IS_A_VALUE
}

/// Every key, in the order of `kbsearch config`. The environment variable is
/// `KBSEARCH_` + the name in capitals with `.` → `_`.
pub const KEYS: &[Key] = &[
    Key {
        name: "addr",
        env: "KBSEARCH_ADDR",
        flag: Some("--addr"),
        check: Check::Address,
        field: field!(addr),
        doc: "Address to listen on (host:port); the default only accepts local connections.",
    },
    Key {
        name: "content",
        env: "KBSEARCH_CONTENT",
        flag: Some("--content"),
        check: Check::NotEmpty,
        field: field!(content),
        doc: "Folder of Markdown articles.",
    },
    Key {
        name: "index",
        env: "KBSEARCH_INDEX",
        flag: Some("--index"),
        check: Check::NotEmpty,
        field: field!(index),
        doc: "Index folder (built or refreshed from the content when needed).",
    },
    Key {
        name: "synonyms",
        env: "KBSEARCH_SYNONYMS",
        flag: Some("--synonyms"),
        check: Check::NotEmpty,
        field: field!(synonyms),
        doc: "Synonyms/glossary file; unset = synonyms.toml in the content folder, if present.",
    },
    Key {
        name: "threads",
        env: "KBSEARCH_THREADS",
        flag: Some("--threads"),
        check: Check::AtMost(1024),
        field: field!(threads),
        doc: "Indexing threads (0 = one per core, at most 4).",
    },
    Key {
        name: "watch",
        env: "KBSEARCH_WATCH",
        flag: Some("--watch"),
        check: Check::None,
        field: field!(watch),
        doc: "serve: re-index when the content changes.",
    },
    Key {
        name: "read_only",
        env: "KBSEARCH_READ_ONLY",
        flag: Some("--read-only"),
        check: Check::None,
        field: field!(read_only),
        doc: "serve: a replica; serve the index directory as it is (no content folder needed), never build or write there, follow the generations another process publishes.",
    },
    Key {
        name: "watch_interval",
        env: "KBSEARCH_WATCH_INTERVAL",
        flag: Some("--watch-interval"),
        check: Check::Between(0.1, 86_400.0),
        field: field!(watch_interval),
        doc: "Seconds between two looks for changes (0.1 to 86400).",
    },
    Key {
        name: "cors_origins",
        env: "KBSEARCH_CORS_ORIGINS",
        flag: Some("--cors-origin"),
        check: Check::Origins,
        field: field!(cors_origins),
        doc: "Origins allowed to call the API from a browser (http(s)://host[:port]); empty = CORS off. The flag repeats; the variable is comma-separated.",
    },
    Key {
        name: "admin_token",
        env: "KBSEARCH_ADMIN_TOKEN",
        flag: None,
        check: Check::Token,
        field: field!(admin_token),
        doc: "Reserved for the reload/reindex endpoints (none exist yet): 16-256 characters of A-Z a-z 0-9 - _ . ~ + / =. Never printed or logged.",
    },
    Key {
        name: "max_file_bytes",
        env: "KBSEARCH_MAX_FILE_BYTES",
        flag: Some("--max-file-bytes"),
        check: Check::AtLeast(1),
        field: field!(max_file_bytes),
        doc: "Markdown files larger than this are skipped.",
    },
    Key {
        name: "request_timeout",
        env: "KBSEARCH_REQUEST_TIMEOUT",
        flag: Some("--request-timeout"),
        check: Check::AtLeast(1),
        field: field!(request_timeout),
        doc: "Seconds before a request is answered with 408.",
    },
    Key {
        name: "max_uri_bytes",
        env: "KBSEARCH_MAX_URI_BYTES",
        flag: Some("--max-uri-bytes"),
        check: Check::AtLeast(1024),
        field: field!(max_uri_bytes),
        doc: "Longest request target (path + query) in bytes; longer ones get 414.",
    },
    Key {
        name: "max_concurrent_requests",
        env: "KBSEARCH_MAX_CONCURRENT_REQUESTS",
        flag: Some("--max-concurrent-requests"),
        check: Check::AtLeast(1),
        field: field!(max_concurrent_requests),
        doc: "Requests handled at once; more get 503.",
    },
    Key {
        name: "max_connections",
        env: "KBSEARCH_MAX_CONNECTIONS",
        flag: Some("--max-connections"),
        check: Check::AtLeast(1),
        field: field!(max_connections),
        doc: "Open connections; further clients wait in the listen backlog.",
    },
    Key {
        name: "search_cache_entries",
        env: "KBSEARCH_SEARCH_CACHE_ENTRIES",
        flag: Some("--search-cache-entries"),
        check: Check::None,
        field: field!(search_cache_entries),
        doc: "Search responses kept in memory for repeated requests (0 = no cache); emptied when the index changes.",
    },
    Key {
        name: "header_read_timeout",
        env: "KBSEARCH_HEADER_READ_TIMEOUT",
        flag: Some("--header-read-timeout"),
        check: Check::AtLeast(1),
        field: field!(header_read_timeout),
        doc: "Seconds a client has to send a complete request head.",
    },
    Key {
        name: "shutdown_grace",
        env: "KBSEARCH_SHUTDOWN_GRACE",
        flag: Some("--shutdown-grace"),
        check: Check::None,
        field: field!(shutdown_grace),
        doc: "Seconds open requests get to finish after SIGTERM or Ctrl-C.",
    },
    Key {
        name: "query.fuzzy",
        env: "KBSEARCH_QUERY_FUZZY",
        flag: Some("--fuzzy"),
        check: Check::None,
        field: field!(query.fuzzy),
        doc: "Match unknown words with typos (edit distance 1 from 5 letters, 2 from 9).",
    },
    Key {
        name: "query.layout",
        env: "KBSEARCH_QUERY_LAYOUT",
        flag: Some("--layout"),
        check: Check::None,
        field: field!(query.layout),
        doc: "Convert words typed in the wrong keyboard layout.",
    },
    Key {
        name: "query.synonyms",
        env: "KBSEARCH_QUERY_SYNONYMS",
        flag: Some("--expand-synonyms"),
        check: Check::None,
        field: field!(query.synonyms),
        doc: "Expand queries with the synonyms file.",
    },
    Key {
        name: "query.translit",
        env: "KBSEARCH_QUERY_TRANSLIT",
        flag: Some("--translit"),
        check: Check::None,
        field: field!(query.translit),
        doc: "Also search query words in the other script (снапшот → snapshot), when the index holds that reading.",
    },
    Key {
        name: "query.counterparts",
        env: "KBSEARCH_QUERY_COUNTERPARTS",
        flag: Some("--counterparts"),
        check: Check::None,
        field: field!(query.counterparts),
        doc: "Let a section's translation among the candidates add to its score.",
    },
    Key {
        name: "query.lexicon",
        env: "KBSEARCH_QUERY_LEXICON",
        flag: Some("--lexicon"),
        check: Check::None,
        field: field!(query.lexicon),
        doc: "Add the other language's words from the lexicon learned from translated articles.",
    },
    Key {
        name: "query.structure",
        env: "KBSEARCH_QUERY_STRUCTURE",
        flag: Some("--structure"),
        check: Check::None,
        field: field!(query.structure),
        doc: "Match a section under a repeated label heading (\"Solution 2\") by the heading of its problem too.",
    },
];

/// The key named `name`.
pub fn find_key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

impl Key {
    /// Sets the key in `layer` from text (an environment value).
    pub fn set(&self, layer: &mut Layer, text: &str) -> Result<(), String> {
        (self.field.set)(layer, text)
    }

    /// Whether an empty environment variable gives a value (an empty list)
    /// rather than counting as not set.
    pub fn empty_is_a_value(&self) -> bool {
        self.field.empty_is_a_value
    }

    /// Makes the key's path in `layer` relative to `base` (the folder of the
    /// file it was read from) when it is a relative path.
    pub fn rebase(&self, layer: &mut Layer, base: &Path) {
        (self.field.rebase)(layer, base)
    }

    /// Copies the key's value from `layer` into `config` when `layer` gives
    /// it; whether it did.
    pub fn take(&self, layer: &Layer, config: &mut Config) -> bool {
        (self.field.take)(layer, config)
    }

    /// The key's value in `config`; `None` when it is not set.
    pub fn value(&self, config: &Config) -> Option<Value> {
        (self.field.value)(config)
    }
}

/// A key's value, whatever its type: what is checked and printed.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Path(PathBuf),
    Number(u64),
    Seconds(f64),
    Switch(bool),
    List(Vec<String>),
    Secret(Secret),
}

impl Value {
    /// The value as TOML; the admin token is `"<set>"`.
    pub fn to_toml(&self) -> toml::Value {
        use toml::Value as Toml;
        match self {
            Value::Text(text) => Toml::String(text.clone()),
            Value::Path(path) => Toml::String(path.to_string_lossy().into_owned()),
            Value::Number(n) => Toml::Integer(i64::try_from(*n).unwrap_or(i64::MAX)),
            Value::Seconds(s) => Toml::Float(*s),
            Value::Switch(b) => Toml::Boolean(*b),
            Value::List(items) => Toml::Array(items.iter().cloned().map(Toml::String).collect()),
            Value::Secret(_) => Toml::String("<set>".into()),
        }
    }
}

/// A type a key's value has: how an environment value is read into it and
/// what it is as a [`Value`].
trait Setting: Clone {
    /// Whether an empty environment variable gives a value (an empty list)
    /// rather than counting as not set.
    const EMPTY_IS_A_VALUE: bool = false;

    fn parse(text: &str) -> Result<Self, String>;

    fn to_value(&self) -> Value;

    /// Makes a relative path relative to `base`; other values stay.
    fn rebase(&mut self, _base: &Path) {}
}

impl Setting for String {
    fn parse(text: &str) -> Result<Self, String> {
        Ok(text.to_string())
    }

    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl Setting for PathBuf {
    fn parse(text: &str) -> Result<Self, String> {
        Ok(text.into())
    }

    fn to_value(&self) -> Value {
        Value::Path(self.clone())
    }

    fn rebase(&mut self, base: &Path) {
        if self.is_relative() && !self.as_os_str().is_empty() {
            *self = base.join(&*self);
        }
    }
}

impl Setting for u64 {
    fn parse(text: &str) -> Result<Self, String> {
        number(text)
    }

    fn to_value(&self) -> Value {
        Value::Number(*self)
    }
}

impl Setting for usize {
    fn parse(text: &str) -> Result<Self, String> {
        number(text)
    }

    fn to_value(&self) -> Value {
        Value::Number(*self as u64)
    }
}

/// The only fractional key is a number of seconds.
impl Setting for f64 {
    fn parse(text: &str) -> Result<Self, String> {
        text.trim()
            .parse()
            .map_err(|_| format!("expected a number of seconds, got {text:?}"))
    }

    fn to_value(&self) -> Value {
        Value::Seconds(*self)
    }
}

impl Setting for bool {
    fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" => Ok(false),
            _ => Err(format!("expected true or false, got {text:?}")),
        }
    }

    fn to_value(&self) -> Value {
        Value::Switch(*self)
    }
}

/// A comma-separated list; an empty one is a value (no items).
impl Setting for Vec<String> {
    const EMPTY_IS_A_VALUE: bool = true;

    fn parse(text: &str) -> Result<Self, String> {
        Ok(text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect())
    }

    fn to_value(&self) -> Value {
        Value::List(self.clone())
    }
}

/// Errors never quote the value: it is a secret.
impl Setting for Secret {
    fn parse(text: &str) -> Result<Self, String> {
        Ok(Secret::new(text))
    }

    fn to_value(&self) -> Value {
        Value::Secret(self.clone())
    }
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("expected a whole number ≥ 0, got {text:?}"))
}

/// A [`Config`] field as a [`Value`]: `None` for an optional key that is
/// not set.
trait Effective {
    fn value(&self) -> Option<Value>;
}

impl<T: Setting> Effective for T {
    fn value(&self) -> Option<Value> {
        Some(self.to_value())
    }
}

impl<T: Setting> Effective for Option<T> {
    fn value(&self) -> Option<Value> {
        self.as_ref().map(Setting::to_value)
    }
}

/// What makes a value usable, beyond having the right type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Check {
    /// Any value of the type works.
    None,
    /// `host:port` or a socket address (`[::1]:8080`).
    Address,
    /// A path that is not empty.
    NotEmpty,
    /// A number of at least this.
    AtLeast(u64),
    /// A number of at most this.
    AtMost(u64),
    /// A finite number of seconds within these bounds.
    Between(f64, f64),
    /// Origins as a browser sends them.
    Origins,
    /// An admin token.
    Token,
}

impl Check {
    /// Why `value` cannot work, if it cannot. The message never quotes the
    /// admin token.
    pub fn check(&self, value: &Value) -> Result<(), String> {
        match (self, value) {
            (Check::Address, Value::Text(addr)) => check_addr(addr),
            (Check::NotEmpty, Value::Path(path)) if path.as_os_str().is_empty() => {
                Err("the path is empty".into())
            }
            (Check::AtLeast(min), Value::Number(n)) if n < min => {
                Err(format!("{n} is less than {min}"))
            }
            (Check::AtMost(max), Value::Number(n)) if n > max => {
                Err(format!("{n} is more than {max}"))
            }
            (Check::Between(min, max), Value::Seconds(s))
                if !(s.is_finite() && (*min..=*max).contains(s)) =>
            {
                Err(format!("{s} is not between {min} and {max} seconds"))
            }
            (Check::Origins, Value::List(origins)) => origins.iter().try_for_each(|origin| {
                check_origin(origin).map_err(|m| format!("{origin:?}: {m}"))
            }),
            (Check::Token, Value::Secret(token)) => check_token(token.expose()),
            _ => Ok(()),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_follow_the_key_names() {
        for key in KEYS {
            assert_eq!(
                key.env,
                format!("KBSEARCH_{}", key.name.replace('.', "_").to_uppercase())
            );
            let mut layer = Layer::default();
            let sample = match key.name {
                "watch" | "read_only" | "query.fuzzy" | "query.layout" | "query.synonyms"
                | "query.translit" | "query.counterparts" | "query.lexicon" | "query.structure" => {
                    "true"
                }
                "watch_interval" => "1.5",
                "addr" | "content" | "index" | "synonyms" | "cors_origins" | "admin_token" => "x",
                _ => "7",
            };
            key.set(&mut layer, sample).unwrap();
            assert_ne!(layer, Layer::default(), "{} sets nothing", key.name);
        }
    }
}
