//! Configuration: precedence of file < environment < flags (through the pure
//! merge functions, with the environment passed in as a map), errors for
//! unknown keys and bad values, and `kbsearch config` run as a process.

mod common;

use kbsearch::config::{self, Layer, Source};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const FILE: &str = r#"
addr = "127.0.0.1:7001"
content = "kb"
index = "idx"
request_timeout = 30
cors_origins = ["https://file.example"]

[query]
fuzzy = false
layout = false
"#;

fn file_layer() -> config::FileLayer {
    config::parse_file(Path::new("kbsearch.toml"), FILE).expect("the sample file parses")
}

#[test]
fn file_beats_defaults() {
    let r = config::resolve(Some(&file_layer()), &env(&[]), &Layer::default()).unwrap();
    let file = Source::File(PathBuf::from("kbsearch.toml"));
    assert_eq!(r.config.addr, "127.0.0.1:7001");
    assert_eq!(r.source("addr"), &file);
    assert_eq!(r.config.request_timeout, 30);
    assert!(!r.config.query.fuzzy && !r.config.query.layout);
    assert!(r.config.query.synonyms);
    assert_eq!(r.source("query.synonyms"), &Source::Default);
    assert_eq!(r.config.max_connections, 512);
    assert_eq!(r.source("max_connections"), &Source::Default);
    assert_eq!(r.file.as_deref(), Some(Path::new("kbsearch.toml")));
}

#[test]
fn env_beats_file() {
    let e = env(&[
        ("KBSEARCH_ADDR", "127.0.0.1:7002"),
        (
            "KBSEARCH_CORS_ORIGINS",
            "https://a.example,https://b.example",
        ),
        ("KBSEARCH_QUERY_FUZZY", "true"),
        ("KBSEARCH_MAX_CONNECTIONS", "9"),
        // Not configuration: ignored.
        ("KBSEARCH_LOG", "debug"),
        ("KBSEARCH_BENCH_1M", "1"),
    ]);
    let r = config::resolve(Some(&file_layer()), &e, &Layer::default()).unwrap();
    assert_eq!(r.config.addr, "127.0.0.1:7002");
    assert_eq!(r.source("addr"), &Source::Env("KBSEARCH_ADDR"));
    assert_eq!(
        r.config.cors_origins,
        ["https://a.example", "https://b.example"]
    );
    assert!(r.config.query.fuzzy);
    assert_eq!(r.config.max_connections, 9);
    assert_eq!(
        r.config.content,
        Path::new("kb"),
        "untouched keys stay from the file"
    );
}

#[test]
fn flags_beat_env_and_file() {
    let e = env(&[
        ("KBSEARCH_ADDR", "127.0.0.1:7002"),
        ("KBSEARCH_INDEX", "env-idx"),
    ]);
    let flags = Layer {
        addr: Some("127.0.0.1:7003".into()),
        cors_origins: Some(vec!["http://flag.example:8080".into()]),
        query: config::QueryLayer {
            layout: Some(true),
            ..Default::default()
        },
        ..Layer::default()
    };
    let r = config::resolve(Some(&file_layer()), &e, &flags).unwrap();
    assert_eq!(r.config.addr, "127.0.0.1:7003");
    assert_eq!(r.source("addr"), &Source::Flag("--addr"));
    assert_eq!(r.config.index, Path::new("env-idx"));
    assert_eq!(r.source("index"), &Source::Env("KBSEARCH_INDEX"));
    assert!(r.config.query.layout);
    assert_eq!(r.source("query.layout"), &Source::Flag("--layout"));
    assert_eq!(r.config.cors_origins, ["http://flag.example:8080"]);
}

#[test]
fn unknown_key_names_the_key_the_line_and_the_file() {
    let text = "addr = \"127.0.0.1:1\"\n\n[query]\nfuzzy = true\nspelling = false\n";
    let err = config::parse_file(Path::new("/etc/kbsearch/kbsearch.toml"), text).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("/etc/kbsearch/kbsearch.toml"), "{message}");
    assert!(message.contains("spelling"), "{message}");
    assert!(message.contains("line 5"), "{message}");
}

#[test]
fn bad_value_types_are_errors() {
    for (text, needle) in [
        ("addr = 8080\n", "line 1"),
        ("watch = \"yes\"\n", "watch"),
        ("request_timeout = 1.5\n", "request_timeout"),
        ("max_connections = -3\n", "max_connections"),
        ("cors_origins = \"https://a.example\"\n", "cors_origins"),
        ("[query]\nfuzzy = 1\n", "fuzzy"),
    ] {
        let err = config::parse_file(Path::new("k.toml"), text).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("k.toml"), "{text}: {message}");
        assert!(message.contains(needle), "{text}: {message}");
    }
    for (var, value) in [
        ("KBSEARCH_REQUEST_TIMEOUT", "ten"),
        ("KBSEARCH_WATCH", "maybe"),
        ("KBSEARCH_WATCH_INTERVAL", "fast"),
        ("KBSEARCH_THREADS", "-1"),
    ] {
        let err = config::resolve(None, &env(&[(var, value)]), &Layer::default()).unwrap_err();
        assert!(err.to_string().contains(var), "{err}");
    }
}

#[test]
fn values_that_cannot_work_are_errors_naming_key_and_source() {
    let f = config::parse_file(Path::new("k.toml"), "max_uri_bytes = 10\n").unwrap();
    let err = config::resolve(Some(&f), &env(&[]), &Layer::default()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("max_uri_bytes (from file k.toml)"),
        "{err}"
    );
    let flags = Layer {
        addr: Some("no port".into()),
        ..Layer::default()
    };
    let err = config::resolve(None, &env(&[]), &flags).unwrap_err();
    assert!(
        err.to_string().starts_with("addr (from flag --addr)"),
        "{err}"
    );
}

// ---- `kbsearch config` as a process -------------------------------------

/// Runs the binary in `dir` with no inherited `KBSEARCH_*` variables.
fn kbsearch(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    common::run_kbsearch(dir, args, vars)
}

const TOKEN: &str = "Zq8-secret-token-never-printed";

#[test]
fn config_command_shows_sources_and_hides_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kb.toml");
    std::fs::write(
        &file,
        format!("content = \"/srv/kb\"\naddr = \"127.0.0.1:7001\"\nadmin_token = \"{TOKEN}\"\n[query]\nlayout = false\n"),
    )
    .unwrap();
    let out = kbsearch(
        dir.path(),
        &[
            "config",
            "--config",
            file.to_str().unwrap(),
            "--addr",
            "127.0.0.1:7003",
        ],
        &[("KBSEARCH_INDEX", "/var/lib/kbsearch/index")],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let file_note = format!("# file {}", file.display());
    assert!(
        stdout.contains(&format!("content = \"/srv/kb\"  {file_note}")),
        "{stdout}"
    );
    assert!(
        stdout.contains("addr = \"127.0.0.1:7003\"  # flag --addr"),
        "{stdout}"
    );
    assert!(
        stdout.contains("index = \"/var/lib/kbsearch/index\"  # env KBSEARCH_INDEX"),
        "{stdout}"
    );
    assert!(
        stdout.contains("request_timeout = 10  # default"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("layout = false  {file_note}")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("admin_token = \"<set>\"  {file_note}")),
        "{stdout}"
    );
    assert!(
        !stdout.contains(TOKEN) && !stderr.contains(TOKEN),
        "{stdout}\n{stderr}"
    );
    // The output is a config file again.
    let back = config::parse_file(Path::new("back.toml"), &stdout).unwrap();
    assert_eq!(back.layer.addr.as_deref(), Some("127.0.0.1:7003"));
}

#[test]
fn config_file_is_found_through_env_and_working_dir() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kbsearch.toml"), "threads = 3\n").unwrap();
    let out = kbsearch(dir.path(), &["config"], &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("threads = 3  # file ./kbsearch.toml"),
        "{stdout}"
    );

    let other = dir.path().join("other.toml");
    std::fs::write(&other, "threads = 4\n").unwrap();
    let out = kbsearch(
        dir.path(),
        &["config"],
        &[("KBSEARCH_CONFIG", other.to_str().unwrap())],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("threads = 4  # file"), "{stdout}");

    let out = kbsearch(dir.path(), &["config", "--config", "missing.toml"], &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
}

#[test]
fn unknown_key_fails_every_command_with_key_line_and_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("kbsearch.toml"),
        "addr = \"127.0.0.1:1\"\nadress = \"x\"\n",
    )
    .unwrap();
    for args in [&["config"][..], &["search", "vpn"][..], &["check"][..]] {
        let out = kbsearch(dir.path(), args, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains("kbsearch.toml"), "{stderr}");
        assert!(stderr.contains("adress"), "{stderr}");
        assert!(stderr.contains("line 2"), "{stderr}");
    }
}

#[test]
fn bad_token_is_refused_without_echoing_it() {
    let dir = tempfile::tempdir().unwrap();
    let bad = "short tok";
    let out = kbsearch(dir.path(), &["config"], &[("KBSEARCH_ADMIN_TOKEN", bad)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("admin_token (from env KBSEARCH_ADMIN_TOKEN)"),
        "{stderr}"
    );
    assert!(!stderr.contains(bad), "{stderr}");
}

#[test]
fn the_example_file_documents_every_key_with_its_default() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("kbsearch.example.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // As shipped (all commented out) it changes nothing.
    let shipped = config::parse_file(&path, &text).unwrap();
    assert_eq!(shipped.layer, Layer::default());
    // Uncommented, it is valid and sets every key.
    let uncommented: String = text
        .lines()
        .map(|line| match line.strip_prefix('#') {
            Some(rest)
                if rest.starts_with(|c: char| c.is_ascii_lowercase()) && rest.contains(" = ") =>
            {
                rest
            }
            _ => line,
        })
        .map(|line| format!("{line}\n"))
        .collect();
    let file = config::parse_file(Path::new("kbsearch.toml"), &uncommented).unwrap();
    let r = config::resolve(Some(&file), &env(&[]), &Layer::default()).unwrap();
    for key in config::KEYS {
        assert!(
            matches!(r.source(key.name), Source::File(_)),
            "{} is missing from kbsearch.example.toml",
            key.name
        );
    }
    // The values shown are the defaults, except the keys without one.
    let defaults = config::merge(None, &Layer::default(), &Layer::default());
    for key in config::KEYS {
        if !["synonyms", "cors_origins", "admin_token"].contains(&key.name) {
            assert_eq!(r.value(key.name), defaults.value(key.name), "{}", key.name);
        }
    }
}
