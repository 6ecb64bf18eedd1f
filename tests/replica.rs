//! `serve --read-only`: a replica over an index directory it never writes,
//! following the generations a separate `kbsearch index` publishes there.
//! The server runs as its own process, as a replica behind a load balancer
//! would.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Longest wait for a replica to start or to pick up a generation.
const DEADLINE: Duration = Duration::from_secs(20);

/// A `kbsearch serve --read-only` process and the lines it logs.
struct Replica {
    child: Child,
    addr: String,
    log: mpsc::Receiver<String>,
    lines: Vec<String>,
}

impl Replica {
    fn start(index: &Path) -> Replica {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kbsearch"))
            .args(["serve", "--read-only", "--watch-interval", "0.2"])
            .arg("--index")
            .arg(index)
            // A replica needs no content folder: this one does not exist.
            .args(["--content", "/nonexistent/kbsearch-content"])
            .args(["--addr", "127.0.0.1:0"])
            .env_remove("KBSEARCH_CONFIG")
            .env("KBSEARCH_LOG", "info,kbsearch::watch=debug")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kbsearch starts");
        let (send, log) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut replica = Replica {
            child,
            addr: String::new(),
            log,
            lines: Vec::new(),
        };
        let line = replica.wait_for_log("listening on http://");
        replica.addr = line.rsplit("http://").next().unwrap().trim().to_string();
        replica
    }

    /// Waits for a log line containing `needle` and returns it.
    fn wait_for_log(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + DEADLINE;
        if let Some(line) = self.lines.iter().find(|l| l.contains(needle)) {
            return line.clone();
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) => {
                    self.lines.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no log line with {needle:?}; log:\n{}",
                    self.lines.join("\n")
                ),
            }
        }
    }

    /// `GET path` → (status, body).
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_string())
            .unwrap_or_default();
        (status, body)
    }

    fn generation(&self) -> String {
        let (status, body) = self.get("/readyz");
        assert_eq!(status, 200, "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        json["generation"].as_str().unwrap().to_string()
    }

    /// Stops the process and returns everything it logged.
    fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        while let Ok(line) = self.log.recv_timeout(Duration::from_millis(200)) {
            self.lines.push(line);
        }
        self.lines
    }
}

/// Every file under `root` with its bytes' hash, in path order.
fn snapshot(root: &Path) -> Vec<(PathBuf, blake3::Hash, u64)> {
    let mut files: Vec<_> = common::walk(root)
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            let modified = std::fs::metadata(&path)
                .unwrap()
                .modified()
                .unwrap()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64;
            (path, blake3::hash(&bytes), modified)
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn built_index() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    common::build(&common::content_dir(), &index);
    (dir, index)
}

#[test]
fn a_replica_leaves_its_index_byte_for_byte_unchanged_and_logs_no_error() {
    let (_dir, index) = built_index();
    let before = snapshot(&index);
    let replica = Replica::start(&index);
    for path in [
        "/api/search?q=vpn%20809",
        "/api/search?q=%D0%BE%D1%88%D0%B8%D0%B1%D0%BA%D0%B0%20809",
        "/api/errors/0x80070005",
        "/api/suggest?q=vpn",
        "/api/stats",
        "/healthz",
        "/readyz",
        "/",
    ] {
        let (status, body) = replica.get(path);
        assert_eq!(status, 200, "{path}: {body}");
    }
    // Without a content folder, the article text is not there: a clean 404.
    let (status, _) = replica.get("/api/docs/en/vpn/vpn-error-809.md");
    assert_eq!(status, 404);
    // The follower has looked at the directory since: still nothing written.
    let mut replica = replica;
    replica.wait_for_log("is still the published generation");
    let log = replica.stop();
    assert_eq!(snapshot(&index), before, "the replica changed its index");
    let problems: Vec<&String> = log
        .iter()
        .filter(|l| l.contains("ERROR") || l.contains("WARN"))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_replica_follows_a_generation_published_by_a_separate_build() {
    let (dir, index) = built_index();
    let mut replica = Replica::start(&index);
    let first = replica.generation();
    let (status, body) = replica.get("/api/search?q=wombatgateway");
    assert_eq!(status, 200);
    assert!(body.contains("\"total\":0"), "{body}");

    // A new knowledge-base version, indexed by another process into the
    // same directory.
    let content = dir.path().join("content");
    common::copy_dir(&common::content_dir(), &content);
    std::fs::write(
        content.join("en/wombat.md"),
        "---\ntitle: Wombat gateway\n---\n# Wombat gateway\n\n## Wombatgateway refuses tunnels\n\nRestart the wombatgateway relay.\n",
    )
    .unwrap();
    let built = common::run_kbsearch(
        dir.path(),
        &[
            "index",
            "--content",
            content.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ],
        &[] as &[(&str, &str)],
    );
    assert!(built.status.success(), "{built:?}");

    let line = replica.wait_for_log("serving generation");
    let now = replica.generation();
    assert_ne!(now, first, "{line}");
    let (status, body) = replica.get("/api/search?q=wombatgateway");
    assert_eq!(status, 200);
    assert!(body.contains("en/wombat.md"), "{body}");
    replica.stop();
}

#[test]
fn a_replica_refuses_to_start_without_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("index");
    std::fs::create_dir_all(&empty).unwrap();
    let output = common::run_kbsearch(
        dir.path(),
        &[
            "serve",
            "--read-only",
            "--index",
            empty.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ],
        &[] as &[(&str, &str)],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no index to serve read-only"), "{stderr}");
    assert!(
        stderr.contains("kbsearch index"),
        "says how to get one: {stderr}"
    );
    assert_eq!(
        std::fs::read_dir(&empty).unwrap().count(),
        0,
        "nothing was written"
    );
}
