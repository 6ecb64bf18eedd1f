//! The Model Context Protocol server: the knowledge base as three read-only
//! tools for chat-bot agents, over streamable HTTP (`POST /mcp`, mounted by
//! [`super::router_with`]) and over stdio (`kbsearch mcp`).
//!
//! The tools call the engine exactly as the JSON API does: the same
//! validation, the same turns on the blocking pool ([`AppState::run_engine_work`])
//! and, over HTTP, the same body limit, timeout and concurrency bound.
//! Arguments that deserialize but make no sense (an empty query, a limit
//! out of range, text that is no error code) are tool errors the agent can
//! read; the server never fails because of them.

use super::{AppState, HttpConfig};
use crate::error::Error;
use crate::model::{ErrorAnswer, Lang, SearchHit, SectionLink};
use crate::search::analyse::QueryOptions;
use crate::search::lookup::canonical_code;
use crate::search::request::{self, MAX_LIMIT};
use crate::search::section::{SectionQuery, SectionText};
use crate::search::snippet;
use crate::search::{Engine, SearchRequest};
use rmcp::handler::server::common::schema_for_type;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::JsonObject;
use rmcp::model::{Implementation, ServerCapabilities, ServerConfig};
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{tool, tool_handler, tool_router, Json, ServerHandler, ServiceExt};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;

/// Sections `search_knowledge_base` returns when the agent does not say.
pub const DEFAULT_TOOL_LIMIT: usize = 5;

/// Arguments of `search_knowledge_base`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchArgs {
    /// What the customer reported: a symptom, a log line or an error code,
    /// in Russian or English (typos and the wrong keyboard layout are fine).
    pub query: String,
    /// Only sections in this language: `en` or `ru` (default: both).
    #[serde(default)]
    pub lang: Option<String>,
    /// How many sections to return, 1 to 100 (default 5).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// Arguments of `lookup_error_code`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CodeArgs {
    /// The code in any spelling: `0x80070005`, `-2147024891`, `ID: 34513`,
    /// `AADSTS50058`, `UserErrorGuestAgentStatusUnavailable`.
    pub code: String,
}

/// Arguments of `read_section`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SectionArgs {
    /// The document, as a search result's `path`.
    pub path: String,
    /// The section, as a search result's `anchor` (empty: the text before
    /// the first heading).
    #[serde(default)]
    pub anchor: String,
    /// Most characters of the Markdown and of the text (default 20000).
    #[serde(default)]
    pub max_chars: Option<u32>,
}

/// One ranked section, as an agent needs it: where it is, what it is
/// called, a plain-text snippet and its codes.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ToolHit {
    pub path: String,
    pub anchor: String,
    pub url: String,
    pub title: String,
    pub heading: String,
    pub lang: Lang,
    /// The matching passage as plain text.
    pub snippet: String,
    pub codes: Vec<String>,
    /// The same section in the other language, when there is one.
    pub counterpart: Option<SectionLink>,
}

/// What `search_knowledge_base` answers.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SearchResult {
    pub query: String,
    /// Sections matching in all.
    pub total: usize,
    /// The query after keyboard-layout correction, when it was corrected.
    pub corrected: Option<String>,
    /// The ranked sections, best first.
    pub hits: Vec<ToolHit>,
    /// The error answer when the query holds a code the knowledge base
    /// knows: every section carrying it, with its troubleshooting rows.
    pub answer: Option<ErrorAnswer>,
}

/// The kbsearch tools over one application state.
#[derive(Clone)]
pub struct KbTools {
    state: AppState,
    /// Fuzzy, layout, transliteration… as the server is configured.
    query_defaults: QueryOptions,
    /// The longest a tool call may take, as an HTTP request (over stdio
    /// no HTTP layer enforces it).
    timeout: Duration,
    tool_router: ToolRouter<KbTools>,
}

#[tool_router]
impl KbTools {
    pub fn new(state: AppState, config: &HttpConfig) -> KbTools {
        KbTools {
            state,
            query_defaults: config.query_defaults,
            timeout: config.request_timeout,
            tool_router: Self::tool_router(),
        }
    }

    /// Searches the troubleshooting knowledge base.
    #[tool(
        name = "search_knowledge_base",
        description = "Search the troubleshooting knowledge base (Russian and English articles) with what a customer reported: a symptom, a log line or an error code. Returns the best-matching sections (path, anchor, url, heading, plain-text snippet, codes) and, when the query holds a known error code, the error answer with its causes and actions. Read a section's full text with read_section.",
        input_schema = schema_for_type::<SearchArgs>(),
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    pub async fn search_knowledge_base(
        &self,
        Parameters(args): Parameters<JsonObject>,
    ) -> Result<Json<SearchResult>, String> {
        let args: SearchArgs = arguments(args)?;
        let mut request = SearchRequest::new(args.query);
        request.options = self.query_defaults;
        request.lang = request::language(args.lang.as_deref()).map_err(message)?;
        request.limit = args
            .limit
            .map_or(DEFAULT_TOOL_LIMIT, |limit| limit as usize);
        if !(1..=MAX_LIMIT).contains(&request.limit) {
            return Err(format!("`limit` must be between 1 and {MAX_LIMIT}"));
        }
        let valid = request.validate().map_err(message)?;
        let answer = self.run(move |engine| engine.search_valid(&valid)).await?;
        Ok(Json(SearchResult {
            query: answer.query.clone(),
            total: answer.total,
            corrected: answer.corrected.clone(),
            hits: answer.hits.iter().map(tool_hit).collect(),
            answer: answer.answer.clone(),
        }))
    }

    /// Everything the knowledge base says about one error code.
    #[tool(
        name = "lookup_error_code",
        description = "Look up an error code in any spelling (hex 0x80070005, signed decimal -2147024891, 'ID: 34513', AADSTS50058, named codes). Returns the canonical code, its other spellings and every section that carries it, defining sections first, with the troubleshooting-table rows (message, causes, actions as Markdown).",
        input_schema = schema_for_type::<CodeArgs>(),
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    pub async fn lookup_error_code(
        &self,
        Parameters(args): Parameters<JsonObject>,
    ) -> Result<Json<ErrorAnswer>, String> {
        let args: CodeArgs = arguments(args)?;
        let canonical = canonical_code(&args.code)
            .map_err(message)?
            .ok_or_else(|| format!("{:?} does not look like an error code", args.code))?;
        let found = self
            .run(move |engine| -> Result<_, Error> {
                match engine.error_answer(&canonical, None)? {
                    Some(answer) => Ok(Ok(answer)),
                    None => Ok(Err((engine.nearest_codes(&canonical, 5), canonical))),
                }
            })
            .await?;
        match found {
            Ok(answer) => Ok(Json(answer)),
            Err((nearest, code)) if nearest.is_empty() => {
                Err(format!("no section carries the error code {code}"))
            }
            Err((nearest, code)) => Err(format!(
                "no section carries the error code {code}; the nearest known codes: {}",
                nearest.join(", ")
            )),
        }
    }

    /// One section's own text, to ground an answer in.
    #[tool(
        name = "read_section",
        description = "Read one section of an article (path and anchor as returned by search_knowledge_base): its Markdown and plain text, breadcrumbs, error codes, troubleshooting-table rows and the same section in the other language. Long sections are cut at max_chars and flagged truncated.",
        input_schema = schema_for_type::<SectionArgs>(),
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    pub async fn read_section(
        &self,
        Parameters(args): Parameters<JsonObject>,
    ) -> Result<Json<SectionText>, String> {
        let args: SectionArgs = arguments(args)?;
        let query = SectionQuery::new(
            &args.path,
            &args.anchor,
            args.max_chars.map(|chars| chars as usize),
        )
        .map_err(message)?;
        let content_root = self.state.content_root().to_path_buf();
        let text = self
            .run(move |engine| engine.section_text(&content_root, &query))
            .await?;
        Ok(Json(text))
    }
}

impl KbTools {
    /// Runs engine work in its turn; its errors become the tool's error text.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Engine) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, String> {
        let engine: Arc<Engine> = self.state.engine();
        let work = self.state.run_engine_work(engine, work);
        tokio::time::timeout(self.timeout, work)
            .await
            .map_err(|_| format!("the tool took longer than {:?}", self.timeout))?
            .map_err(|e| e.to_string())?
            .map_err(message)
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for KbTools {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("kbsearch", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Troubleshooting knowledge base in Russian and English. Start with \
                 search_knowledge_base (or lookup_error_code for a bare code), then \
                 read_section for the text of the best section before answering.",
            )
    }
}

/// A tool's arguments as their type, or a tool error that says what is
/// wrong with them (the arguments are taken as a JSON object so that a
/// wrong type is the agent's to read and fix, not a protocol error).
fn arguments<T: serde::de::DeserializeOwned>(args: JsonObject) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::Object(args))
        .map_err(|err| format!("bad arguments: {err}"))
}

/// The message of an error as the agent should read it: bad arguments say
/// what is wrong; internal failures say no more than that.
fn message(err: Error) -> String {
    match err {
        Error::BadQuery(message) | Error::NotFound(message) => message,
        other => {
            tracing::error!("MCP tool failed: {other}");
            "internal error".to_string()
        }
    }
}

/// A search hit for an agent: the snippet without its HTML.
fn tool_hit(hit: &SearchHit) -> ToolHit {
    ToolHit {
        path: hit.path.clone(),
        anchor: hit.anchor.clone(),
        url: hit.url.clone(),
        title: hit.title.clone(),
        heading: hit.heading.clone(),
        lang: hit.lang,
        snippet: snippet::plain_text(&hit.snippet),
        codes: hit.codes.clone(),
        counterpart: hit.counterpart.clone(),
    }
}

/// The streamable HTTP endpoint: stateless (any replica behind a load
/// balancer can answer any request), plain JSON responses. With
/// `config.mcp_any_host` requests may name any host: a server bound to a
/// non-loopback address was exposed on purpose. Otherwise only local host
/// names are accepted, which keeps web pages from reaching a local server
/// through DNS rebinding.
pub fn http_service(
    state: AppState,
    config: &HttpConfig,
) -> StreamableHttpService<KbTools, NeverSessionManager> {
    let tools = KbTools::new(state, config);
    let any_host = config.mcp_any_host;
    let mut config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_sse_keep_alive(None)
        .with_max_request_body_bytes(super::MAX_BODY_BYTES);
    if any_host {
        config = config.disable_allowed_hosts();
    }
    StreamableHttpService::new(
        move || Ok(tools.clone()),
        Arc::new(NeverSessionManager::default()),
        config,
    )
}

/// Serves the tools over standard input and output until the client
/// closes them (`kbsearch mcp`).
pub async fn serve_stdio(state: AppState, config: &HttpConfig) -> std::io::Result<()> {
    let service = KbTools::new(state, config)
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    service
        .waiting()
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(())
}
