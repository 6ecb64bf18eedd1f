//! Reading the sources into [`Layer`]s: the config file (found by
//! [`locate`]) and the `KBSEARCH_*` environment. Flags come as a layer
//! from the command line. Each reader walks [`KEYS`].

use super::keys::{find_key, KEYS};
use super::settings::Layer;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The file looked for in the working directory.
pub const DEFAULT_FILE: &str = "kbsearch.toml";
/// Environment variable naming the config file.
pub const CONFIG_ENV: &str = "KBSEARCH_CONFIG";

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
        for key in KEYS {
            key.rebase(&mut layer, base);
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
        if value.is_empty() && !key.empty_is_a_value() {
            continue;
        }
        key.set(&mut layer, value)
            .map_err(|message| ConfigError::Env {
                var: key.env,
                message,
            })?;
    }
    Ok(layer)
}

/// Sets the key `name` of `layer` from text (an environment value).
pub fn set(layer: &mut Layer, name: &str, value: &str) -> Result<(), String> {
    match find_key(name) {
        Some(key) => key.set(layer, value),
        None => Err(format!("unknown configuration key {name:?}")),
    }
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

/// Environment variables from `(name, value)` pairs, for tests.
#[cfg(test)]
pub(super) fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn bad_values_in_file_and_environment_are_errors() {
        assert!(parse_file(Path::new("k.toml"), "request_timeout = \"ten\"\n").is_err());
        assert!(parse_file(Path::new("k.toml"), "max_connections = -1\n").is_err());
        let err = env_layer(&env(&[("KBSEARCH_WATCH", "maybe")])).unwrap_err();
        assert!(err.to_string().contains("KBSEARCH_WATCH"), "{err}");
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
}
