//! The command line as a user runs it: version, completions, man page,
//! `config`, and `check` exit codes.

mod common;

use std::path::Path;
use std::process::Output;

/// Runs the binary in `dir` (away from any `kbsearch.toml`) with no
/// inherited `KBSEARCH_*` variables.
fn kbsearch(dir: &Path, args: &[&str]) -> Output {
    kbsearch_with(dir, args, &[])
}

/// [`kbsearch`] with these variables set.
fn kbsearch_with(dir: &Path, args: &[&str], vars: &[(&str, &Path)]) -> Output {
    common::run_kbsearch(dir, args, vars)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn version_names_the_package_version_and_a_revision() {
    let dir = tempfile::tempdir().unwrap();
    let out = kbsearch(dir.path(), &["--version"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("kbsearch {} (", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.trim_end().ends_with(')'), "{text}");
}

#[test]
fn completions_are_generated_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = kbsearch(dir.path(), &["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let text = stdout(&out);
        assert!(text.contains("kbsearch"), "{shell}: {text}");
        assert!(text.contains("serve"), "{shell}");
        assert!(text.contains("cors-origin"), "{shell}");
    }
    let out = kbsearch(dir.path(), &["completions", "tcsh"]);
    assert!(!out.status.success());
}

#[test]
fn man_prints_a_roff_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = kbsearch(dir.path(), &["man"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with('.'), "{text}");
    let th = text
        .lines()
        .find(|l| l.starts_with(".TH "))
        .expect("a .TH line");
    assert!(th.starts_with(".TH kbsearch 1"), "{th}");
    assert!(text.contains(".SH SYNOPSIS"), "{text}");
    assert!(text.contains("serve"), "{text}");

    let out = kbsearch(dir.path(), &["man", "serve"]);
    let text = stdout(&out);
    assert!(text.contains(".TH kbsearch-serve 1"), "{text}");
    assert!(text.contains("KBSEARCH_ADDR"), "{text}");
    assert!(!kbsearch(dir.path(), &["man", "nope"]).status.success());
}

#[test]
fn config_prints_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let out = kbsearch(dir.path(), &["config"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(text.contains("# config file: none"), "{text}");
    assert!(
        text.contains("addr = \"127.0.0.1:8080\"  # default"),
        "{text}"
    );
    assert!(
        text.contains("\n[query]\nfuzzy = true  # default"),
        "{text}"
    );
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn check_fails_on_a_broken_link() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    write(
        &kb,
        "en/vpn.md",
        "---\ntitle: VPN\n---\n# VPN\n\n## Error 809\n\nSee [gone](missing.md).\n",
    );
    let out = kbsearch(dir.path(), &["check", "--content", kb.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("missing.md"), "{}", stdout(&out));

    // The same content through the environment, then fixed.
    let out = kbsearch_with(dir.path(), &["check"], &[("KBSEARCH_CONTENT", &kb)]);
    assert!(!out.status.success());
    write(
        &kb,
        "en/missing.md",
        "---\ntitle: Here\n---\n# Here\n\nText.\n",
    );
    let out = kbsearch(dir.path(), &["check", "--content", kb.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stdout(&out));
}

#[test]
fn check_passes_on_the_sample_content() {
    let dir = tempfile::tempdir().unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let out = kbsearch(
        dir.path(),
        &["check", "--content", content.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}\n{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("0 errors"), "{}", stdout(&out));
}

#[test]
fn search_flags_still_parse_before_and_after_the_query() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-index");
    let missing = missing.to_str().unwrap();
    // No index: fails with the usual message, after the flags parsed.
    for args in [
        &[
            "search",
            "--index",
            missing,
            "--fuzzy=false",
            "--layout",
            "vpn",
            "809",
        ][..],
        &["search", "--index", missing, "--json", "-2147024891"][..],
    ] {
        let out = kbsearch(dir.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(stderr.contains("kbsearch index"), "{args:?}: {stderr}");
    }
}

/// Logs written to a pipe or a file (journald, `2>log`) are plain text: no
/// ANSI colour codes around levels and fields.
#[test]
fn logs_to_a_pipe_carry_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let content = common::content_dir();
    let out = common::run_kbsearch(
        dir.path(),
        &[
            "index",
            "--content",
            content.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ],
        &[("KBSEARCH_LOG", "debug")],
    );
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("DEBUG"),
        "debug log lines expected: {stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "colour codes in piped logs: {stderr:?}"
    );
}
