//! Build script: records the git revision for `kbsearch --version`.
//!
//! `KBSEARCH_GIT_REV` is taken from, in order: the environment (packagers and
//! `scripts/offline-build.sh` set it for builds without `.git`), `git rev-parse
//! --short HEAD` when the package folder has its own `.git`, else `unknown`.
//! Nothing here can fail the build: a vendored tarball has no `.git` and the
//! machine may have no git.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=KBSEARCH_GIT_REV");
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&dir);
    let rev = match std::env::var("KBSEARCH_GIT_REV") {
        Ok(rev) if valid(&rev) => rev,
        _ => git_revision(dir).unwrap_or_else(|| "unknown".into()),
    };
    println!("cargo:rustc-env=KBSEARCH_GIT_REV={rev}");
}

/// Short hash of HEAD, only for a checkout whose root is this package (a
/// tarball unpacked inside some other repository must not borrow its hash).
fn git_revision(dir: &Path) -> Option<String> {
    let git = dir.join(".git");
    if !git.exists() {
        return None;
    }
    watch_head(&git);
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let rev = String::from_utf8(output.stdout).ok()?.trim().to_string();
    valid(&rev).then_some(rev)
}

/// Re-run when HEAD moves: `.git/HEAD` changes on checkout, the branch's ref
/// file (or `packed-refs`) on commit. A worktree's `.git` is a file.
fn watch_head(git: &Path) {
    let head = git.join("HEAD");
    if !head.is_file() {
        if git.is_file() {
            println!("cargo:rerun-if-changed={}", git.display());
        }
        return;
    }
    println!("cargo:rerun-if-changed={}", head.display());
    if let Ok(text) = std::fs::read_to_string(&head) {
        if let Some(reference) = text.trim().strip_prefix("ref: ") {
            let file = git.join(reference);
            if file.is_file() {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
    }
    let packed = git.join("packed-refs");
    if packed.is_file() {
        println!("cargo:rerun-if-changed={}", packed.display());
    }
}

/// A revision is short and plain: it ends up in `--version` output.
fn valid(rev: &str) -> bool {
    !rev.is_empty()
        && rev.len() <= 64
        && rev
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '+'))
}
