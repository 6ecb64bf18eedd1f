//! HTTP API tests through `router().oneshot(…)` and one over a real socket.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use kbsearch::http::{router, AppState, HttpConfig};
use kbsearch::search::Engine;
use serde_json::Value;
use std::sync::OnceLock;
use tower::ServiceExt;

/// The sample knowledge base plus a hostile article, indexed once per test binary.
fn fixture() -> &'static (tempfile::TempDir, tempfile::TempDir) {
    static FIXTURE: OnceLock<(tempfile::TempDir, tempfile::TempDir)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let content = tempfile::tempdir().unwrap();
        common::copy_dir(&common::content_dir(), content.path());
        std::fs::write(content.path().join("en/hostile.md"), HOSTILE).unwrap();
        std::fs::write(content.path().join("en/quokka-sync.md"), QUOKKA_EN).unwrap();
        std::fs::write(content.path().join("ru/quokka-sync.md"), QUOKKA_RU).unwrap();
        let index = tempfile::tempdir().unwrap();
        common::build(content.path(), index.path());
        (content, index)
    })
}

const HOSTILE: &str = "---\ntitle: Hostile markup sample\n---\n# Hostile markup sample\n\n## Zanzibar gadget fails\n\n<script>window.pwned = 1</script>\n\n<img src=\"x\" onerror=\"window.pwned = 2\">\n\nThe zanzibar gadget <b onclick=\"window.pwned = 3\">fails</b> with [details](javascript:window.pwned=4).\n";

/// A two-language article for `/api/section`: a table without a message
/// column under an "Error message" line, lists and breaks in its cells.
const QUOKKA_EN: &str = "---\ntitle: Quokka sync troubleshooting\n---\n# Quokka sync troubleshooting\n\n## <a name=\"sync-stalls\"></a>Sync stalls at 99 percent\n\n**Error message**: The quokka relay did not answer. (ID: 77123)\n\n| Cause | Recommended actions |\n|---|---|\n| **Relay offline** <br/><br/> The relay host was stopped. | Do this:<br/><ul><li>Start the `quokka-relay` service.<li>Retry the sync.</ul> |\n\n<!-- editor note -->\n## Other topic\n\nNothing here.\n";
const QUOKKA_RU: &str = "---\ntitle: Устранение неполадок синхронизации quokka\n---\n# Устранение неполадок синхронизации quokka\n\n## <a name=\"sync-stalls\"></a>Синхронизация останавливается на 99 процентах\n\nРелей не отвечает.\n";

fn app() -> axum::Router {
    let (content, index) = fixture();
    let engine = Engine::open(index.path()).unwrap();
    router(
        AppState::new(engine, content.path()),
        &HttpConfig::default(),
    )
}

async fn call(method: Method, uri: &str, body: Body) -> (StatusCode, Value) {
    let response = app()
        .oneshot(
            Request::builder()
                .method(method)
                .uri(uri)
                .body(body)
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
        .await
        .unwrap();
    let json = if content_type.starts_with("application/json") {
        serde_json::from_slice(&bytes).unwrap()
    } else {
        Value::String(String::from_utf8_lossy(&bytes).to_string())
    };
    (status, json)
}

async fn get(uri: &str) -> (StatusCode, Value) {
    call(Method::GET, uri, Body::empty()).await
}

fn assert_error(status: StatusCode, body: &Value, expected: StatusCode) {
    assert_eq!(status, expected, "{body}");
    assert!(body["error"]["code"].is_string(), "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
}

#[tokio::test]
async fn search_returns_sections_with_urls_snippets_and_codes() {
    let (status, body) = get("/api/search?q=vpn%20error%20809&limit=5").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let hit = &body["hits"][0];
    assert_eq!(
        hit["path"].as_str().unwrap().rsplit('/').next(),
        Some("vpn-error-809.md")
    );
    assert_eq!(
        hit["url"].as_str().unwrap(),
        format!(
            "/doc/{}#{}",
            hit["path"].as_str().unwrap(),
            hit["anchor"].as_str().unwrap()
        )
    );
    assert!(hit["snippet"].as_str().unwrap().contains("<mark>"), "{hit}");
    assert!(
        hit["codes"].as_array().unwrap().iter().any(|c| c == "809"),
        "{hit}"
    );
    assert!(body["total"].as_u64().unwrap() >= 1);
    assert!(body["hits"].as_array().unwrap().len() <= 5);
}

#[tokio::test]
async fn search_language_filter() {
    let (_, body) = get("/api/search?q=vpn&lang=ru").await;
    let hits = body["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["lang"] == "ru"), "{body}");
}

#[tokio::test]
async fn search_answer_card_for_known_code() {
    let (_, body) = get("/api/search?q=%D0%BE%D1%88%D0%B8%D0%B1%D0%BA%D0%B0%200X80070005").await;
    let answer = &body["answer"];
    assert_eq!(answer["code"], "0x80070005", "{body}");
    assert!(answer["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "-2147024891"));
    let first = &answer["sections"][0];
    assert_eq!(first["defines"], true);
    assert_eq!(
        first["lang"], "ru",
        "Cyrillic query prefers the Russian section: {answer}"
    );
    assert!(!first["records"].as_array().unwrap().is_empty(), "{first}");
}

#[tokio::test]
async fn snippets_escape_document_html() {
    let (status, body) = get("/api/search?q=zanzibar%20gadget").await;
    assert_eq!(status, StatusCode::OK);
    let snippet = body["hits"][0]["snippet"].as_str().unwrap();
    assert!(!snippet.contains("<script"), "{snippet}");
    assert!(!snippet.contains("<b "), "{snippet}");
    let without_marks = snippet.replace("<mark>", "").replace("</mark>", "");
    assert!(!without_marks.contains('<'), "{snippet}");
}

#[tokio::test]
async fn bad_search_parameters_are_400() {
    let long = "a".repeat(kbsearch::search::MAX_QUERY_CHARS + 1);
    for uri in [
        "/api/search".to_string(),
        "/api/search?q=".to_string(),
        "/api/search?q=%20%20".to_string(),
        "/api/search?q=x&limit=0".to_string(),
        "/api/search?q=x&limit=101".to_string(),
        "/api/search?q=x&limit=ten".to_string(),
        "/api/search?q=x&offset=-1".to_string(),
        "/api/search?q=x&lang=de".to_string(),
        format!("/api/search?q={long}"),
        "/api/search?q=x&q=y".to_string(),
        "/api/search?q=x&fuzzy=".to_string(),
        "/api/suggest?q=vpn&limit=0".to_string(),
        "/api/suggest?q=vpn&limit=21".to_string(),
        format!("/api/suggest?q={long}"),
        "/api/errors/0x80070005?lang=de".to_string(),
    ] {
        let (status, body) = get(&uri).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn query_syntax_never_fails() {
    for q in [
        "%22unclosed",
        "a%20AND%20OR",
        "title%3Ax",
        "*",
        "((%5D",
        "-",
        "%3A%3A%3A",
        "%F0%9F%94%A5",
    ] {
        let (status, body) = get(&format!("/api/search?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "{q}: {body}");
    }
}

#[tokio::test]
async fn error_code_lookup_and_unknown_codes() {
    let (status, body) = get("/api/errors/-2147024891").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["code"], "0x80070005");
    assert!(body["sections"].as_array().unwrap().len() >= 2);

    let (status, body) = get("/api/errors/0x80070006").await;
    assert_error(status, &body, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "unknown_code");
    let nearest = body["error"]["nearest"].as_array().unwrap();
    assert!(nearest.iter().any(|c| c == "0x80070005"), "{body}");

    // Text that is no code names no resource: 404, not a bad request (the
    // schema allows any string up to 200 characters); longer is a 400.
    let (status, body) = get("/api/errors/hello").await;
    assert_error(status, &body, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "unknown_code");
    let (status, body) = get(&format!("/api/errors/{}", "7".repeat(201))).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST);

    // html=true adds the records' sanitized HTML.
    let (status, body) = get("/api/errors/0x80070005?html=true").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let with_records = body["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["records"].as_array().unwrap().iter())
        .find(|r| !r["actions"].as_str().unwrap().is_empty())
        .expect("a record with actions");
    assert!(
        with_records["actions_html"]
            .as_str()
            .unwrap()
            .starts_with('<'),
        "{with_records}"
    );
    let (_, plain) = get("/api/errors/0x80070005").await;
    assert!(
        !plain.to_string().contains("actions_html"),
        "only on request"
    );
}

#[tokio::test]
async fn documents_are_sanitized_and_traversal_is_refused() {
    let (status, body) = get("/api/docs/en/hostile.md").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let html = body["html"].as_str().unwrap();
    for bad in ["<script", "onerror", "onclick", "javascript:"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert!(html.contains("id=\"zanzibar-gadget-fails\""), "{html}");
    assert_eq!(body["sections"][1]["anchor"], "zanzibar-gadget-fails");

    for uri in [
        "/api/docs/../Cargo.toml",
        "/api/docs/en/../../Cargo.toml",
        "/api/docs/%2e%2e/%2e%2e/etc/passwd",
        "/api/docs//etc/passwd",
        "/api/docs/en/missing.md",
    ] {
        let (status, body) = get(uri).await;
        assert_error(status, &body, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn suggest_stats_health_openapi() {
    let (status, body) = get("/api/suggest?q=aadsts5").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["text"] == "aadsts50058"),
        "{body}"
    );
    // Nothing typed yet completes to nothing.
    for blank in ["/api/suggest?q=", "/api/suggest", "/api/suggest?q=%20%0D"] {
        let (status, body) = get(blank).await;
        assert_eq!(status, StatusCode::OK, "{blank}: {body}");
        assert_eq!(body["suggestions"], serde_json::json!([]), "{blank}");
    }

    let (status, body) = get("/api/stats").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["per_lang"]["ru"]["documents"].as_u64().unwrap() >= 12);
    assert!(body["per_lang"]["en"]["sections"].as_u64().unwrap() > 50);

    let (status, body) = get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");

    let (status, body) = get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/api/search",
        "/api/errors/{code}",
        "/api/docs/{path}",
        "/api/section",
        "/api/suggest",
        "/api/stats",
        "/healthz",
    ] {
        assert!(
            body["paths"][path].is_object(),
            "{path} missing from OpenAPI"
        );
    }
}

#[tokio::test]
async fn unknown_routes_wrong_methods_and_large_bodies() {
    let (status, body) = get("/api/nothing").await;
    assert_error(status, &body, StatusCode::NOT_FOUND);
    let (status, body) = call(Method::POST, "/api/search?q=x", Body::empty()).await;
    assert_error(status, &body, StatusCode::METHOD_NOT_ALLOWED);
    let big = vec![b'x'; kbsearch::http::MAX_BODY_BYTES + 1];
    let response = app()
        .oneshot(
            Request::builder()
                .method(Method::POST)
                .uri("/api/search?q=x")
                .header("content-length", big.len())
                .body(Body::from(big))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");
}

#[tokio::test]
async fn page_and_assets_are_served_with_security_headers() {
    for uri in [
        "/",
        "/doc/en/vpn/vpn-error-809.md",
        "/static/app.js",
        "/static/style.css",
    ] {
        let response = app()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let csp = response
            .headers()
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert_eq!(
            response.headers().get("x-content-type-options").unwrap(),
            "nosniff"
        );
    }
}

#[tokio::test]
async fn real_socket_on_port_zero() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(kbsearch::http::serve(listener, app()));
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET /api/search?q=0x80070005&limit=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.contains("access-denied-0x80070005.md"),
        "{response}"
    );
    server.abort();
}

#[tokio::test]
async fn unknown_code_query_answers_with_nearest_codes_not_text_matches() {
    let (status, body) = get("/api/search?q=0x80070006").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["hits"].as_array().unwrap().is_empty(), "{body}");
    assert_eq!(body["unknown_code"]["code"], "0x80070006");
    let nearest = body["unknown_code"]["nearest"].as_array().unwrap();
    assert!(nearest.iter().any(|c| c == "0x80070005"), "{body}");

    // A known code inside a pasted log line still drives the ranking.
    let (_, body) =
        get("/api/search?q=2026-01-05%20ERROR%20copy%20failed%3A%20hr%3D0x80070005%20(retrying)")
            .await;
    let first = &body["hits"][0];
    assert!(
        first["codes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "0x80070005"),
        "{body}"
    );
}

#[tokio::test]
async fn metrics_count_requests_per_route() {
    let app = app();
    for uri in [
        "/api/search?q=vpn",
        "/api/search?q=proxy",
        "/api/errors/0x80070005",
    ] {
        let response = app
            .clone()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let response = app
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        text.contains(
            "kbsearch_http_requests_total{route=\"/api/search\",method=\"GET\",status=\"200\"} 2"
        ),
        "{text}"
    );
    assert!(text.contains("route=\"/api/errors/{code}\""), "{text}");
    assert!(
        text.contains(
            "kbsearch_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"} 2"
        ),
        "{text}"
    );
    assert!(text.contains("kbsearch_index_sections "), "{text}");
    assert!(
        text.contains("kbsearch_last_reindex_duration_seconds "),
        "{text}"
    );
}

#[tokio::test]
async fn product_filter_and_facet_counts() {
    let (status, body) = get("/api/search?q=error&limit=50&group=false").await;
    assert_eq!(status, StatusCode::OK);
    let products = body["facets"]["products"].as_array().unwrap();
    let count_of = |name: &str| {
        products
            .iter()
            .find(|p| p["value"] == name)
            .and_then(|p| p["count"].as_u64())
            .unwrap_or(0)
    };
    assert!(
        count_of("vpn") > 0 && count_of("windows") > 0,
        "{products:?}"
    );
    let langs = body["facets"]["langs"].as_array().unwrap();
    let total: u64 = langs.iter().map(|l| l["count"].as_u64().unwrap()).sum();
    assert_eq!(
        total,
        body["total"].as_u64().unwrap(),
        "language counts add up to the total"
    );

    let (_, filtered) = get("/api/search?q=error&limit=50&product=vpn").await;
    let hits = filtered["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["path"].as_str().unwrap().contains("/vpn/")),
        "{filtered}"
    );
    assert_eq!(filtered["total"].as_u64().unwrap(), count_of("vpn"));
    // Product counts ignore the product filter, so other products stay visible.
    assert!(filtered["facets"]["products"].as_array().unwrap().len() > 1);

    let (_, two) = get("/api/search?q=error&product=vpn,windows&lang=ru").await;
    assert!(two["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["lang"] == "ru"));
}

#[tokio::test]
async fn documents_link_their_other_language_version() {
    let (_, body) = get("/api/docs/en/vpn/vpn-error-809.md").await;
    assert_eq!(body["other_language"]["path"], "ru/vpn/vpn-error-809.md");
    assert_eq!(body["product"], "vpn");
    let (_, body) = get("/api/docs/en/kubernetes/pod-crashloopbackoff.md").await;
    assert!(body["other_language"].is_null());
}

#[tokio::test]
async fn server_wide_query_defaults_apply_when_a_request_does_not_choose() {
    let (content, index) = fixture();
    let engine = Engine::open(index.path()).unwrap();
    let config = HttpConfig {
        query_defaults: kbsearch::search::analyse::QueryOptions {
            fuzzy: false,
            ..Default::default()
        },
        ..HttpConfig::default()
    };
    let app = router(AppState::new(engine, content.path()), &config);
    let call = |uri: &'static str| {
        let app = app.clone();
        async move {
            let response = app
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
                .await
                .unwrap();
            serde_json::from_slice::<Value>(&bytes).unwrap()
        }
    };
    let off = call("/api/search?q=certifcate%20expird").await;
    assert_eq!(off["total"], 0, "{off}");
    let on = call("/api/search?q=certifcate%20expird&fuzzy=true").await;
    assert!(on["total"].as_u64().unwrap() > 0, "{on}");
}

#[tokio::test]
async fn a_repeated_search_is_served_from_the_cache_with_the_same_answer() {
    let (content, index) = fixture();
    let app = router(
        AppState::new(Engine::open(index.path()).unwrap(), content.path()),
        &HttpConfig::default(),
    );
    let mut answers = Vec::new();
    for _ in 0..2 {
        let response = app
            .clone()
            .oneshot(
                Request::builder()
                    .uri("/api/search?q=proxy%20407&limit=5")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/json");
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
            .await
            .unwrap();
        answers.push(serde_json::from_slice::<Value>(&bytes).unwrap());
    }
    let (mut first, mut second) = (answers[0].clone(), answers[1].clone());
    assert_eq!(first["cached"], false);
    assert_eq!(second["cached"], true);
    assert!(second["took_ms"].as_f64().unwrap() >= 0.0);
    assert!(!first["hits"].as_array().unwrap().is_empty());
    for answer in [&mut first, &mut second] {
        answer.as_object_mut().unwrap().remove("cached");
        answer.as_object_mut().unwrap().remove("took_ms");
    }
    assert_eq!(first, second);
}

/// Engine work takes turns: while every slot is held, a search waits (it
/// cannot answer); once they are free it answers, and more concurrent
/// searches than slots all answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_beyond_the_engine_slots_wait_their_turn() {
    let (content, index) = fixture();
    let engine = Engine::open(index.path()).unwrap().with_cache_entries(0);
    let state = AppState::new(engine, content.path());
    let app = router(state.clone(), &HttpConfig::default());
    let search = |q: String| {
        let app = app.clone();
        tokio::spawn(async move {
            let request = Request::builder()
                .uri(format!("/api/search?q={q}"))
                .body(Body::empty())
                .unwrap();
            app.oneshot(request).await.unwrap().status()
        })
    };

    let mut held = Vec::new();
    for _ in 0..state.engine_slots() {
        held.push(state.engine_slot().await.unwrap());
    }
    let mut waiting = search("certificate".into());
    let early = tokio::time::timeout(std::time::Duration::from_millis(300), &mut waiting).await;
    assert!(early.is_err(), "a search ran while every slot was held");
    drop(held);
    assert_eq!(waiting.await.unwrap(), StatusCode::OK);

    let words = ["vpn", "proxy", "certificate", "error", "access", "ошибка"];
    let many: Vec<_> = (0..3 * state.engine_slots())
        .map(|i| search(format!("{}%20{i}", words[i % words.len()])))
        .collect();
    for handle in many {
        assert_eq!(handle.await.unwrap(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_section_is_returned_as_markdown_text_records_and_counterpart() {
    let (status, body) = get("/api/section?path=en/quokka-sync.md&anchor=sync-stalls").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["path"], "en/quokka-sync.md");
    assert_eq!(body["anchor"], "sync-stalls");
    assert_eq!(body["url"], "/doc/en/quokka-sync.md#sync-stalls");
    assert_eq!(body["title"], "Quokka sync troubleshooting");
    assert_eq!(body["heading"], "Sync stalls at 99 percent");
    assert_eq!(body["breadcrumbs"][0], "Quokka sync troubleshooting");
    assert_eq!(body["lang"], "en");
    assert_eq!(body["codes"][0], "77123");
    assert_eq!(body["truncated"], false);
    let markdown = body["markdown"].as_str().unwrap();
    assert!(
        markdown.starts_with("## Sync stalls at 99 percent"),
        "{markdown}"
    );
    assert!(
        !markdown.contains("<a name") && !markdown.contains("editor note"),
        "{markdown}"
    );
    assert!(
        !markdown.contains("Other topic"),
        "only this section: {markdown}"
    );
    let text = body["text"].as_str().unwrap();
    assert!(
        text.contains("relay host was stopped") && !text.contains('<'),
        "{text}"
    );
    let record = &body["records"][0];
    assert_eq!(
        record["message"],
        "The quokka relay did not answer. (ID: 77123)"
    );
    assert_eq!(
        record["causes"],
        "**Relay offline**\n\nThe relay host was stopped."
    );
    assert_eq!(
        record["actions"],
        "Do this:\n- Start the `quokka-relay` service.\n- Retry the sync."
    );
    assert_eq!(body["counterpart"]["path"], "ru/quokka-sync.md");
    assert_eq!(body["counterpart"]["anchor"], "sync-stalls");
    // And back: the Russian section names the English one.
    let (status, body) = get("/api/section?path=ru/quokka-sync.md&anchor=%23SYNC-STALLS").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["lang"], "ru");
    assert_eq!(body["counterpart"]["path"], "en/quokka-sync.md");
}

#[tokio::test]
async fn a_long_section_is_cut_at_max_chars_and_says_so() {
    let (status, body) =
        get("/api/section?path=en/quokka-sync.md&anchor=sync-stalls&max_chars=20").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["truncated"], true);
    assert_eq!(body["markdown"].as_str().unwrap().chars().count(), 20);
    assert!(body["text"].as_str().unwrap().chars().count() <= 20);
}

#[tokio::test]
async fn unknown_documents_anchors_and_bad_section_parameters_are_json_errors() {
    let (status, body) = get("/api/section?path=en/no-such.md&anchor=x").await;
    assert_error(status, &body, StatusCode::NOT_FOUND);
    let (status, body) = get("/api/section?path=en/quokka-sync.md&anchor=no-such-anchor").await;
    assert_error(status, &body, StatusCode::NOT_FOUND);
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("sync-stalls"),
        "lists the anchors: {message}"
    );
    let (status, body) = get("/api/section?path=../../etc/passwd&anchor=").await;
    assert_error(status, &body, StatusCode::NOT_FOUND);
    for bad in [
        "/api/section?anchor=sync-stalls",
        "/api/section?path=en/quokka-sync.md&max_chars=0",
        "/api/section?path=en/quokka-sync.md&max_chars=many",
        "/api/section?path=en/quokka-sync.md&max_chars=9999999",
    ] {
        let (status, body) = get(bad).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST);
    }
}
