//! Hostile requests: overlong and malformed URLs, huge queries, slow
//! clients, too many connections and requests. The server answers with a
//! JSON 4xx/503 or closes the connection, in bounded time, and keeps serving
//! everybody else.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::routing::get;
use kbsearch::http::{router, router_with, serve_with, AppState, HttpConfig, Limits};
use kbsearch::search::Engine;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower::ServiceExt;

/// The sample knowledge base, indexed once per test binary.
fn index_dir() -> &'static tempfile::TempDir {
    static INDEX: OnceLock<tempfile::TempDir> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = tempfile::tempdir().unwrap();
        common::build(&common::content_dir(), index.path());
        index
    })
}

fn state() -> AppState {
    AppState::new(
        Engine::open(index_dir().path()).unwrap(),
        common::content_dir(),
    )
}

fn app() -> axum::Router {
    router(state(), &HttpConfig::default())
}

/// Status, headers and JSON body of one request through the router.
async fn call(
    app: axum::Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .unwrap();
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, headers, json)
}

async fn get_uri(uri: &str) -> (StatusCode, Value) {
    let started = Instant::now();
    let (status, _, body) = call(app(), Request::get(uri).body(Body::empty()).unwrap()).await;
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(10),
        "{} took {elapsed:?}",
        &uri[..uri.len().min(80)]
    );
    (status, body)
}

fn assert_json_error(status: StatusCode, body: &Value, uri: &str) {
    assert!(status.is_client_error(), "{uri:.80}: {status} {body}");
    assert!(body["error"]["code"].is_string(), "{uri:.80}: {body}");
    assert!(body["error"]["message"].is_string(), "{uri:.80}: {body}");
}

/// A server on 127.0.0.1:0 with `limits`; dropped `stop` shuts it down.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(app: axum::Router, limits: Limits) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            serve_with(listener, app, &limits, async {
                let _ = stopped.await;
            })
            .await
        });
        Server {
            addr,
            stop: Some(stop),
            task,
        }
    }

    /// One request on a fresh connection; the raw response text.
    async fn request(&self, target: &str) -> String {
        let mut stream = TcpStream::connect(self.addr).await.unwrap();
        let head = format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut response = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
            .await
            .expect("the server answers in time")
            .unwrap();
        String::from_utf8_lossy(&response).into_owned()
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(Duration::from_secs(15), &mut self.task)
            .await
            .expect("the server stops")
            .unwrap()
            .unwrap();
    }
}

/// Waits until the server closes `stream` (EOF or reset); returns how long it took.
async fn wait_closed(stream: &mut TcpStream, limit: Duration) -> Duration {
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(
            limit.saturating_sub(started.elapsed()),
            stream.read(&mut buf),
        )
        .await
        {
            Err(_) => panic!("the server kept the connection open for {limit:?}"),
            Ok(Ok(0)) | Ok(Err(_)) => return started.elapsed(),
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn overlong_uris_are_a_json_414() {
    // The `http` crate caps a URI at 64 KiB, so this is the longest one a
    // router can be handed; a 1 MiB one over a socket is refused by the
    // HTTP parser (see `oversized_heads_on_a_real_socket_get_a_4xx`).
    for uri in [
        format!("/api/search?q={}", "a".repeat(60 * 1024)),
        format!("/api/docs/{}", "a/".repeat(30 * 1024)),
        format!("/api/errors/{}", "%FF".repeat(20 * 1024)),
        format!("/static/{}", "x".repeat(40 * 1024)),
    ] {
        let (status, body) = get_uri(&uri).await;
        assert_eq!(status, StatusCode::URI_TOO_LONG, "{body}");
        assert_eq!(body["error"]["code"], "uri_too_long");
    }
}

#[tokio::test]
async fn longest_allowed_query_still_fits_the_uri_limit() {
    // 2 000 Cyrillic characters, percent-encoded: about 24 KiB.
    let q: String = "ошибка подключения к серверу "
        .chars()
        .cycle()
        .take(kbsearch::search::MAX_QUERY_CHARS)
        .collect();
    let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
    let (status, body) = get_uri(&format!("/api/search?q={encoded}&limit=100&offset=100")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn ten_thousand_terms_are_refused_and_a_thousand_are_fine() {
    let many: String = (0..10_000).map(|i| format!("w{} ", i % 7)).collect();
    let (status, body) = get_uri(&format!("/api/search?q={}", many.replace(' ', "+"))).await;
    assert_json_error(status, &body, "10 000 terms");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("limit"),
        "{body}"
    );

    // As many distinct terms as fit in the character limit.
    let letters: Vec<char> = ('a'..='z').chain('а'..='я').collect();
    let mut q = String::new();
    let mut i = 0usize;
    while q.chars().count() + 3 < kbsearch::search::MAX_QUERY_CHARS {
        q.push(letters[i % letters.len()]);
        q.push(letters[(i / letters.len()) % letters.len()]);
        q.push(' ');
        i += 1;
    }
    let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
    let (status, body) = get_uri(&format!("/api/search?q={encoded}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Unknown 9-letter words all become fuzzy terms: the worst case found.
    let mut seed = 7u64;
    let words: Vec<String> = (0..199)
        .map(|_| {
            (0..9)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    char::from(b'a' + ((seed >> 33) % 26) as u8)
                })
                .collect()
        })
        .collect();
    let (status, body) = get_uri(&format!("/api/search?q={}", words.join("+"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn nested_brackets_and_regex_looking_queries() {
    let deep = format!("{}{}", "(".repeat(1000), ")".repeat(999));
    let brackets = format!("{}x{}", "[{<".repeat(300), ">}]".repeat(300));
    let queries = [
        deep.as_str(),
        brackets.as_str(),
        "(a+)+$",
        "^(([a-z])+.)+[A-Z]([a-z])+$",
        ".*.*.*.*.*.*.*.*=.*",
        "\\d{1000000}",
        "[[:alpha:]]{99999}",
        "(?i)(?-u)\\p{L}",
        "a{1,1000}{1,1000}{1,1000}",
        "title:x AND body:/.*/ OR \"unclosed",
        "*?+|^$\\",
        "0x8007000E|0x80070005",
        "%s%s%s%n",
        "${jndi:ldap://x/a}",
        "'; DROP TABLE sections; --",
        "<script>alert(1)</script>",
    ];
    for q in queries {
        let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
        for path in ["/api/search?q=", "/api/suggest?q=", "/api/errors/"] {
            let uri = format!("{path}{encoded}");
            let (status, body) = get_uri(&uri).await;
            assert!(!status.is_server_error(), "{q}: {status} {body}");
            if status != StatusCode::OK {
                assert_json_error(status, &body, &uri);
            }
        }
    }
}

#[tokio::test]
async fn nul_and_invalid_utf8_in_the_url() {
    // Query strings are decoded leniently (invalid UTF-8 becomes U+FFFD).
    for uri in [
        "/api/search?q=%00",
        "/api/search?q=a%00b",
        "/api/suggest?q=%00%00",
        "/api/search?q=%C0%80",
        "/api/search?q=%ED%A0%80",
        "/api/search?q=%FF",
        "/api/search?q=ok%FF%FE",
        "/api/search?q=x&lang=%FF",
        "/api/search?q=x&%FF=1",
        "/api/suggest?q=%FF",
    ] {
        let (status, body) = get_uri(uri).await;
        assert!(
            status == StatusCode::OK || status.is_client_error(),
            "{uri}: {status} {body}"
        );
        if status != StatusCode::OK {
            assert_json_error(status, &body, uri);
        }
    }
    // Path segments are strict.
    for uri in [
        "/api/docs/%FF",
        "/api/docs/en/%00.md",
        "/api/errors/%FF%FE",
        "/api/errors/%00",
        "/static/%FF",
        "/doc/%FF",
        "/%FF",
    ] {
        let (status, body) = get_uri(uri).await;
        if uri == "/doc/%FF" && status == StatusCode::OK {
            continue; // the single-page app answers every /doc/ path
        }
        assert_json_error(status, &body, uri);
    }
}

#[tokio::test]
async fn huge_offsets_and_limits() {
    let (status, body) = get_uri("/api/search?q=vpn&offset=10000&limit=100").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["hits"].as_array().unwrap().is_empty(), "{body}");
    for uri in [
        "/api/search?q=vpn&offset=10001",
        "/api/search?q=vpn&offset=18446744073709551615",
        "/api/search?q=vpn&offset=99999999999999999999999999999",
        "/api/search?q=vpn&limit=18446744073709551616",
        "/api/search?q=vpn&offset=1e9",
        "/api/suggest?q=vpn&limit=4294967297",
    ] {
        let (status, body) = get_uri(uri).await;
        assert_json_error(status, &body, uri);
    }
}

#[tokio::test]
async fn traversal_on_static_and_docs_is_404() {
    for uri in [
        "/static/../Cargo.toml",
        "/static/..%2fCargo.toml",
        "/static/%2e%2e%2fCargo.toml",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/app.js/../../Cargo.toml",
        "/static/..%5c..%5cCargo.toml",
        "/static/app.js%00.png",
        "/static//etc/passwd",
        "/static/index.html",
        "/api/docs/%2e%2e%2fCargo.toml",
        "/api/docs/en%2f..%2f..%2fCargo.toml",
        "/api/docs/..%5c..%5cCargo.toml",
        "/api/docs/%2fetc%2fpasswd",
    ] {
        let (status, body) = get_uri(uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {body}");
        assert_json_error(status, &body, uri);
        let text = body.to_string();
        assert!(
            !text.contains("[package]") && !text.contains("root:"),
            "{uri}: {body}"
        );
    }
}

#[tokio::test]
async fn other_methods_and_errors_keep_security_headers() {
    for (method, uri) in [
        (Method::PUT, "/api/search?q=x"),
        (Method::DELETE, "/api/docs/en/vpn/vpn-error-809.md"),
        (Method::PATCH, "/api/stats"),
        (Method::TRACE, "/healthz"),
        (Method::GET, "/api/nothing"),
        (Method::GET, "/api/search"),
    ] {
        let request = Request::builder()
            .method(method.clone())
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        let (status, headers, body) = call(app(), request).await;
        assert_json_error(status, &body, uri);
        for header in [
            "content-security-policy",
            "x-content-type-options",
            "x-frame-options",
            "referrer-policy",
        ] {
            assert!(headers.contains_key(header), "{method} {uri}: no {header}");
        }
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{method} {uri}"
        );
    }
    // No CORS unless configured.
    let request = Request::get("/api/stats")
        .header("origin", "https://evil.example")
        .body(Body::empty())
        .unwrap();
    let (_, headers, _) = call(app(), request).await;
    assert!(!headers.contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn concurrency_limit_answers_503_instead_of_queueing() {
    let slow = axum::Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_millis(600)).await;
            "done"
        }),
    );
    let limited = kbsearch::http::middleware::limit_concurrency(slow, 2);
    let started: Vec<_> = (0..2)
        .map(|_| {
            let app = limited.clone();
            tokio::spawn(async move {
                call(app, Request::get("/slow").body(Body::empty()).unwrap()).await
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let (status, headers, _) = call(
        limited.clone(),
        Request::get("/slow").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers["retry-after"], "1");
    for handle in started {
        assert_eq!(handle.await.unwrap().0, StatusCode::OK);
    }
    // Slots are given back.
    let (status, _, _) = call(limited, Request::get("/slow").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);

    // Through the full router the 503 is JSON with the security headers.
    let limits = Limits {
        max_concurrent_requests: 0,
        ..Limits::default()
    };
    let full = router_with(state(), &HttpConfig::default(), &limits);
    let (status, headers, body) =
        call(full, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["code"], "overloaded");
    assert!(headers.contains_key("content-security-policy"));
}

#[tokio::test]
async fn slowloris_is_cut_off_while_others_are_served() {
    let limits = Limits {
        header_read_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let server = Server::start(app(), limits).await;

    // Three slow clients: one sends nothing, one sends a byte every 200 ms
    // forever, one stops after the request line.
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    let mut partial = TcpStream::connect(server.addr).await.unwrap();
    partial
        .write_all(b"GET /healthz HTTP/1.1\r\n")
        .await
        .unwrap();
    let addr = server.addr;
    let dripping = tokio::spawn(async move {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let started = Instant::now();
        let header = b"GET /api/search?q=vpn HTTP/1.1\r\nHost: localhost\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        for byte in header {
            if stream.write_all(&[*byte]).await.is_err() {
                return started.elapsed();
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!(
            "the server accepted a request head dripped over {:?}",
            started.elapsed()
        );
    });

    // Meanwhile normal requests work.
    for _ in 0..3 {
        let response = server.request("/api/search?q=vpn&limit=1").await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response:.200}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let limit = Duration::from_secs(5);
    let silent_closed = wait_closed(&mut silent, limit).await;
    let partial_closed = wait_closed(&mut partial, limit).await;
    let dripping_cut = tokio::time::timeout(Duration::from_secs(20), dripping)
        .await
        .expect("the dripping client is cut off")
        .unwrap();
    eprintln!("closed after {silent_closed:?}, {partial_closed:?}, {dripping_cut:?}");
    // Cut off after about the 1 s header timeout; the drip writes are only
    // seen failing on the write after the close.
    assert!(dripping_cut < Duration::from_secs(4), "{dripping_cut:?}");

    let response = server.request("/healthz").await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response:.200}");
    server.stop().await;
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed() {
    let limits = Limits {
        header_read_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let server = Server::start(app(), limits).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = stream.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    // Kept alive, then nothing: closed after the header timeout.
    let closed = wait_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(closed >= Duration::from_millis(500), "{closed:?}");
    server.stop().await;
}

#[tokio::test]
async fn connection_cap_makes_extra_clients_wait_not_fail() {
    let limits = Limits {
        header_read_timeout: Duration::from_secs(1),
        max_connections: 2,
        ..Limits::default()
    };
    let server = Server::start(app(), limits).await;
    let idle_a = TcpStream::connect(server.addr).await.unwrap();
    let idle_b = TcpStream::connect(server.addr).await.unwrap();
    // Give the server time to accept both.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let response = server.request("/healthz").await;
    let waited = started.elapsed();
    assert!(response.starts_with("HTTP/1.1 200"), "{response:.200}");
    // It was served once the header timeout freed a slot.
    assert!(
        waited >= Duration::from_millis(500),
        "served after {waited:?}"
    );
    assert!(waited < Duration::from_secs(5), "served after {waited:?}");
    drop((idle_a, idle_b));
    server.stop().await;
}

#[tokio::test]
async fn oversized_heads_on_a_real_socket_get_a_4xx() {
    let server = Server::start(app(), Limits::default()).await;
    // A 1 MiB request target: refused by the parser (431) or the router (414).
    let target = format!("/api/search?q={}", "a".repeat(1 << 20));
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let head = format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    // The server may close before it has read everything.
    let _ = stream.write_all(head.as_bytes()).await;
    let mut response = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
        .await
        .expect("answered in time");
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 431"), "{text:.200}");

    // 30 KiB target: under both limits, answered by the router.
    let response = server
        .request(&format!("/api/search?q={}", "a".repeat(30 * 1024)))
        .await;
    assert!(response.starts_with("HTTP/1.1 400"), "{response:.300}");
    assert!(response.contains("\"error\""), "{response:.300}");
    // 40 KiB: over the URI limit, JSON 414.
    let response = server
        .request(&format!("/api/search?q={}", "a".repeat(40 * 1024)))
        .await;
    assert!(response.starts_with("HTTP/1.1 414"), "{response:.300}");
    assert!(response.contains("uri_too_long"), "{response:.300}");

    // Thousands of headers.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let mut head = String::from("GET /healthz HTTP/1.1\r\nHost: localhost\r\n");
    for i in 0..5000 {
        head.push_str(&format!("X-H{i}: v\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes()).await;
    let mut response = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
        .await
        .expect("answered in time");
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 431"), "{text:.200}");

    let response = server.request("/healthz").await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response:.200}");
    server.stop().await;
}
