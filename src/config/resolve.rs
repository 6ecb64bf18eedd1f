//! The sources merged into the effective configuration, key by key down
//! [`KEYS`]: the first of flags, environment and file that gives a key
//! wins, else its default; then each value is checked.

use super::keys::KEYS;
use super::settings::{Config, Layer};
use super::sources::{env_layer, load_file, locate, process_env, ConfigError, FileLayer, Source};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// Takes each key from the first layer that has it — `flags`, `env`, `file`
/// — else the built-in default. No validation (see [`validate`]).
pub fn merge(file: Option<&FileLayer>, env: &Layer, flags: &Layer) -> Resolved {
    let mut config = Config::default();
    let mut sources = BTreeMap::new();
    for key in KEYS {
        let source = if key.take(flags, &mut config) {
            Source::Flag(key.flag.unwrap_or(key.name))
        } else if key.take(env, &mut config) {
            Source::Env(key.env)
        } else {
            match file {
                Some(file) if key.take(&file.layer, &mut config) => Source::File(file.path.clone()),
                _ => Source::Default,
            }
        };
        sources.insert(key.name, source);
    }
    Resolved {
        config,
        sources,
        file: file.map(|f| f.path.clone()),
    }
}

/// Checks values that parse but cannot work, in the order of [`KEYS`]; the
/// error names the key and where the value came from (never the admin
/// token's value).
pub fn validate(resolved: &Resolved) -> Result<(), ConfigError> {
    for key in KEYS {
        let Some(value) = key.value(&resolved.config) else {
            continue;
        };
        key.check
            .check(&value)
            .map_err(|message| ConfigError::Invalid {
                key: key.name,
                from: resolved.source(key.name).clone(),
                message,
            })?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::sources::env;
    use crate::config::sources::parse_file;
    use crate::search::analyse::QueryOptions;

    fn file(text: &str) -> FileLayer {
        parse_file(Path::new("kbsearch.toml"), text).unwrap()
    }

    #[test]
    fn defaults_are_the_documented_ones() {
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
    fn values_that_cannot_work_are_errors() {
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
}
