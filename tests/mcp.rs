//! The MCP tools: their handlers called directly, and the protocol over
//! `POST /mcp` through the router (the Python client in `tests/mcp_client.py`
//! checks the same server with the official SDK, over HTTP and stdio).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use kbsearch::http::mcp::KbTools;
use kbsearch::http::{router, AppState, HttpConfig};
use kbsearch::search::Engine;
use rmcp::handler::server::wrapper::Parameters;
use serde_json::{json, Value};
use std::sync::OnceLock;
use tower::ServiceExt;

const EN: &str = "---\ntitle: Quokka relay troubleshooting\n---\n# Quokka relay troubleshooting\n\n## <a name=\"relay-stalls\"></a>Sync stalls at 99 percent\n\n**Error message**: The quokka relay refused the sync. (0x80070005)\n\n| Cause | Recommended actions |\n|---|---|\n| **Relay offline** | Do this:<br/><ul><li>Start the `quokka-relay` service.<li>Retry the sync.</ul> |\n\n## <a name=\"relay-certificate\"></a>Relay certificate expired\n\nRenew the relay certificate in the console.\n";
const RU: &str = "---\ntitle: Устранение неполадок ретранслятора quokka\n---\n# Устранение неполадок ретранслятора quokka\n\n## <a name=\"relay-stalls\"></a>Синхронизация зависает на 99 процентах\n\nРетранслятор quokka отклоняет синхронизацию. Запустите службу ретранслятора и повторите синхронизацию.\n\n## <a name=\"relay-certificate\"></a>Истёк сертификат ретранслятора\n\nОбновите сертификат ретранслятора в консоли.\n";

fn fixture() -> &'static (tempfile::TempDir, tempfile::TempDir) {
    static FIXTURE: OnceLock<(tempfile::TempDir, tempfile::TempDir)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let content = tempfile::tempdir().unwrap();
        for (lang, text) in [("en", EN), ("ru", RU)] {
            std::fs::create_dir_all(content.path().join(lang)).unwrap();
            std::fs::write(content.path().join(lang).join("quokka-relay.md"), text).unwrap();
        }
        let index = tempfile::tempdir().unwrap();
        common::build(content.path(), index.path());
        (content, index)
    })
}

fn state() -> AppState {
    let (content, index) = fixture();
    AppState::new(Engine::open(index.path()).unwrap(), content.path())
}

fn tools() -> KbTools {
    KbTools::new(state(), &HttpConfig::default())
}

/// The text of a tool error (the handler must have failed).
fn tool_error<T>(result: Result<T, String>) -> String {
    match result {
        Ok(_) => panic!("expected a tool error"),
        Err(message) => message,
    }
}

/// A tool's arguments, as an agent sends them.
fn args(value: Value) -> Parameters<rmcp::model::JsonObject> {
    match value {
        Value::Object(map) => Parameters(map),
        other => panic!("arguments are an object, not {other}"),
    }
}

fn search_args(query: &str) -> Parameters<rmcp::model::JsonObject> {
    args(json!({ "query": query }))
}

#[tokio::test]
async fn search_tool_finds_a_russian_symptom_with_plain_snippets() {
    let found = tools()
        .search_knowledge_base(search_args("синхронизация зависает на 99 процентах"))
        .await
        .unwrap()
        .0;
    let top = &found.hits[0];
    assert_eq!(
        (top.path.as_str(), top.anchor.as_str()),
        ("ru/quokka-relay.md", "relay-stalls")
    );
    assert!(!top.snippet.contains('<'), "plain text: {}", top.snippet);
    assert_eq!(top.counterpart.as_ref().unwrap().path, "en/quokka-relay.md");
    assert!(found.answer.is_none());
    // A query holding a known code brings the error answer along.
    let found = tools()
        .search_knowledge_base(search_args("sync fails with 0x80070005"))
        .await
        .unwrap()
        .0;
    assert_eq!(found.answer.unwrap().code, "0x80070005");
}

#[tokio::test]
async fn code_tool_accepts_every_spelling_and_explains_unknown_codes() {
    let code = |code: &str| args(json!({ "code": code }));
    let answer = tools()
        .lookup_error_code(code("-2147024891"))
        .await
        .unwrap()
        .0;
    assert_eq!(answer.code, "0x80070005");
    let record = &answer.sections[0].records[0];
    assert_eq!(
        record.message,
        "The quokka relay refused the sync. (0x80070005)"
    );
    assert_eq!(
        record.actions,
        "Do this:\n- Start the `quokka-relay` service.\n- Retry the sync."
    );
    let unknown = tool_error(tools().lookup_error_code(code("0x80070006")).await);
    assert!(unknown.contains("0x80070005"), "nearest codes: {unknown}");
    let not_a_code = tool_error(tools().lookup_error_code(code("hello")).await);
    assert!(
        not_a_code.contains("does not look like an error code"),
        "{not_a_code}"
    );
}

#[tokio::test]
async fn section_tool_returns_the_text_and_refuses_unknown_sections() {
    let section = |anchor: &str| args(json!({ "path": "en/quokka-relay.md", "anchor": anchor }));
    let found = tools()
        .read_section(section("relay-certificate"))
        .await
        .unwrap()
        .0;
    assert_eq!(found.heading, "Relay certificate expired");
    assert!(
        found.text.contains("Renew the relay certificate"),
        "{}",
        found.text
    );
    assert!(found.markdown.starts_with("## Relay certificate expired"));
    assert_eq!(found.counterpart.unwrap().path, "ru/quokka-relay.md");
    let missing = tool_error(tools().read_section(section("nope")).await);
    assert!(
        missing.contains("relay-stalls"),
        "lists the anchors: {missing}"
    );
}

#[tokio::test]
async fn bad_arguments_are_tool_errors() {
    let tools = tools();
    for bad in [
        json!({ "query": "" }),
        json!({ "query": "relay", "lang": "fr" }),
        json!({ "query": "relay", "limit": 0 }),
        json!({ "query": "relay", "limit": 10_000 }),
        json!({ "query": "relay ".repeat(2000) }),
        json!({ "query": 42 }),
        json!({ "query": "relay", "limit": "five" }),
        json!({}),
    ] {
        let result = tools.search_knowledge_base(args(bad.clone())).await;
        assert!(result.is_err(), "{bad}");
    }
    let wrong_type = tool_error(tools.lookup_error_code(args(json!({ "code": [1] }))).await);
    assert!(wrong_type.starts_with("bad arguments"), "{wrong_type}");
    let bad_budget = tools
        .read_section(args(
            json!({ "path": "en/quokka-relay.md", "max_chars": 0 }),
        ))
        .await;
    assert!(bad_budget.is_err());
}

/// One JSON-RPC message to `POST /mcp`; the JSON response.
async fn post_mcp(app: &axum::Router, host: &str, message: Value) -> (StatusCode, Value) {
    let response = app
        .clone()
        .oneshot(
            Request::post("/mcp")
                .header("host", host)
                .header("content-type", "application/json")
                .header("accept", "application/json, text/event-stream")
                .header("mcp-protocol-version", "2025-06-18")
                .body(Body::from(message.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn the_protocol_over_http_lists_and_calls_the_tools() {
    let app = router(state(), &HttpConfig::default());
    let (status, body) = post_mcp(
        &app,
        "127.0.0.1",
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "test", "version": "1"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["result"]["serverInfo"]["name"], "kbsearch");

    let (_, body) = post_mcp(
        &app,
        "127.0.0.1",
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
    )
    .await;
    let tools = body["result"]["tools"].as_array().unwrap();
    let mut names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["lookup_error_code", "read_section", "search_knowledge_base"]
    );
    for tool in tools {
        assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
        assert!(tool["inputSchema"]["properties"].is_object(), "{tool}");
        assert_eq!(tool["outputSchema"]["type"], "object", "{tool}");
        assert_eq!(tool["annotations"]["readOnlyHint"], true, "{tool}");
    }

    let (_, body) = post_mcp(
        &app,
        "127.0.0.1",
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
            "name": "read_section",
            "arguments": {"path": "ru/quokka-relay.md", "anchor": "relay-certificate"}}}),
    )
    .await;
    let result = &body["result"];
    assert_ne!(result["isError"], true, "{body}");
    assert_eq!(
        result["structuredContent"]["heading"],
        "Истёк сертификат ретранслятора"
    );

    // Arguments of the wrong type are a tool error the agent can read.
    let (status, body) = post_mcp(
        &app,
        "127.0.0.1",
        json!({"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {
            "name": "search_knowledge_base", "arguments": {"query": 42}}}),
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    assert_eq!(body["result"]["isError"], true, "{body}");
    assert!(
        body["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("bad arguments"),
        "{body}"
    );
    let (_, body) = post_mcp(
        &app,
        "127.0.0.1",
        json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {
            "name": "search_knowledge_base", "arguments": {"query": "   "}}}),
    )
    .await;
    assert_eq!(body["result"]["isError"], true, "{body}");
}

#[tokio::test]
async fn a_loopback_server_refuses_foreign_host_names() {
    let initialize = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"}}});
    let local = router(state(), &HttpConfig::default());
    let (status, _) = post_mcp(&local, "attacker.example", initialize.clone()).await;
    assert!(status.is_client_error(), "{status}");
    let exposed = router(
        state(),
        &HttpConfig {
            mcp_any_host: true,
            ..HttpConfig::default()
        },
    );
    let (status, body) = post_mcp(&exposed, "kb.example", initialize).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
