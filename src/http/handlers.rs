//! Request handlers. Search work runs on the blocking pool so it never
//! stalls the async runtime.

use super::error::ApiError;
use super::AppState;
use crate::model::Lang;
use crate::render;
use crate::search::request;
use crate::search::section::{self, SectionQuery, SectionText};
use crate::search::{Engine, SearchAnswer, SearchParams, SearchRequest};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::Arc;

/// Runs blocking engine work on the blocking pool, in its turn (see
/// [`AppState::run_engine_work`]).
async fn blocking<T: Send + 'static>(
    state: &AppState,
    engine: Arc<Engine>,
    work: impl FnOnce(&Engine) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    state
        .run_engine_work(engine, work)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
}

fn bad_query_string(rejection: QueryRejection) -> ApiError {
    ApiError::BadRequest(format!("bad query string: {}", rejection.body_text()))
}

/// The query parameters of `GET /api/errors/{code}`.
#[derive(Debug, Default, Deserialize)]
pub struct ErrorParams {
    pub lang: Option<String>,
    /// Records also carry their HTML, as in `GET /api/search`.
    pub html: Option<String>,
}

/// The query parameters of `GET /api/section`.
#[derive(Debug, Default, Deserialize)]
pub struct SectionParams {
    pub path: Option<String>,
    pub anchor: Option<String>,
    pub max_chars: Option<String>,
}

impl SectionParams {
    fn into_query(self) -> Result<SectionQuery, ApiError> {
        let max_chars = request::number(
            "max_chars",
            self.max_chars.as_deref(),
            section::DEFAULT_MAX_CHARS,
        )?;
        Ok(SectionQuery::new(
            self.path.as_deref().unwrap_or(""),
            self.anchor.as_deref().unwrap_or(""),
            Some(max_chars),
        )?)
    }
}

/// The query parameters of `GET /api/suggest`.
#[derive(Debug, Default, Deserialize)]
pub struct SuggestParams {
    pub q: Option<String>,
    pub limit: Option<String>,
}

/// Most completions one request asks for, and the default.
const MAX_SUGGESTIONS: usize = 20;
const DEFAULT_SUGGESTIONS: usize = 8;

impl SuggestParams {
    /// The text typed so far (checked as a search query is) and how many
    /// completions are wanted.
    fn into_parts(self) -> Result<(String, usize), ApiError> {
        let q = self.q.as_deref().unwrap_or("").trim();
        // Nothing typed yet (or only white space) completes to nothing; any
        // other text is checked as a search query is.
        let q = if q.is_empty() {
            String::new()
        } else {
            SearchRequest::new(q).validate()?.query.clone()
        };
        let limit = request::number("limit", self.limit.as_deref(), DEFAULT_SUGGESTIONS)?;
        if !(1..=MAX_SUGGESTIONS).contains(&limit) {
            return Err(ApiError::BadRequest(format!(
                "parameter `limit` must be between 1 and {MAX_SUGGESTIONS}, got {limit}"
            )));
        }
        Ok((q, limit))
    }
}

/// `GET /api/search?q=&limit=&offset=&lang=&product=&group=&fuzzy=&layout=&synonyms=&translit=&counterparts=&lexicon=&structure=&explain=`
pub async fn search(
    State(state): State<AppState>,
    axum::Extension(defaults): axum::Extension<crate::search::analyse::QueryOptions>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchAnswer>, ApiError> {
    let Query(params) = params.map_err(bad_query_string)?;
    let html = request::flag("html", params.html.as_deref(), false)?;
    let request = params.into_request(defaults)?;
    let engine = state.engine();
    // A repeated request is answered on the async thread, without a search.
    let answer = match engine.cached(&request) {
        Some(answer) => answer,
        None => {
            blocking(&state, engine, move |engine| {
                Ok(engine.search_valid(&request)?)
            })
            .await?
        }
    };
    Ok(Json(if html {
        with_record_html(answer)
    } else {
        answer
    }))
}

/// The answer with every record's causes and actions also as sanitized
/// HTML: the web page's answer card shows them as lists. The cached
/// response stays as it is; this copy is for one request.
fn with_record_html(answer: SearchAnswer) -> SearchAnswer {
    let mut response = (*answer.response).clone();
    response
        .hits
        .iter_mut()
        .flat_map(|hit| hit.records.iter_mut())
        .for_each(add_record_html);
    if let Some(answer) = response.answer.as_mut() {
        add_answer_html(answer);
    }
    SearchAnswer {
        response: Arc::new(response),
        ..answer
    }
}

/// Every record of an error answer with its HTML.
fn add_answer_html(answer: &mut crate::model::ErrorAnswer) {
    answer
        .sections
        .iter_mut()
        .flat_map(|section| section.records.iter_mut())
        .for_each(add_record_html);
}

fn add_record_html(record: &mut crate::model::TableRecord) {
    record.causes_html = Some(render::record_html(&record.causes));
    record.actions_html = Some(render::record_html(&record.actions));
}

/// `GET /api/errors/{code}`
pub async fn error_code(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    params: Result<Query<ErrorParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(params) = params.map_err(bad_query_string)?;
    let prefer = request::language(params.lang.as_deref())?;
    let html = request::flag("html", params.html.as_deref(), false)?;
    // Text that is no error code names no resource here: 404, like a code
    // no section carries (only an over-long path is a bad request).
    let Some(canonical) = crate::search::lookup::canonical_code(&raw)? else {
        return Err(ApiError::UnknownCode {
            code: raw,
            nearest: Vec::new(),
        });
    };
    blocking(&state, state.engine(), move |engine| {
        match engine.error_answer(&canonical, prefer)? {
            Some(mut answer) => {
                if html {
                    add_answer_html(&mut answer);
                }
                Ok(Json(
                    serde_json::to_value(answer).map_err(|e| ApiError::Internal(e.to_string()))?,
                ))
            }
            None => Err(ApiError::UnknownCode {
                nearest: engine.nearest_codes(&canonical, 5),
                code: canonical,
            }),
        }
    })
    .await
}

/// `GET /api/docs/{path}`.
#[derive(Debug, Serialize)]
pub struct DocumentResponse {
    pub path: String,
    pub lang: Lang,
    pub product: String,
    /// The same article in the other language, when the index has it.
    pub other_language: Option<OtherLanguage>,
    pub title: String,
    pub description: String,
    pub date: String,
    pub sections: Vec<render::OutlineEntry>,
    /// Sanitized HTML of the whole article.
    pub html: String,
}

#[derive(Debug, Serialize)]
pub struct OtherLanguage {
    pub path: String,
    pub url: String,
}

/// `GET /api/stats`.
#[derive(Debug, Serialize)]
pub struct StatsResponse {
    pub documents: usize,
    pub sections: usize,
    pub codes: usize,
    pub per_lang: std::collections::BTreeMap<Lang, crate::index::manifest::LangCounts>,
    pub built_at_unix: u64,
    pub build_seconds: f64,
    pub skipped_files: usize,
}

/// `GET /healthz` and `GET /readyz`.
#[derive(Debug, Serialize)]
pub struct HealthResponse {
    pub status: &'static str,
    pub documents: usize,
    /// The index generation served (`gen-…`): replicas behind a load
    /// balancer show which knowledge-base version each one answers from.
    pub generation: String,
    /// When that generation was built (Unix seconds).
    pub built_at_unix: u64,
}

/// `GET /api/docs/{path}`: only documents listed in the index manifest can be
/// read, so no path outside the content folder is ever opened.
pub async fn document(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> Result<Json<DocumentResponse>, ApiError> {
    let engine = state.engine();
    let Some(entry) = engine.document(&path).cloned() else {
        return Err(ApiError::NotFound(format!(
            "no document {path:?} in the index"
        )));
    };
    let file = state.content_root().join(&entry.path);
    let text = tokio::fs::read_to_string(&file).await.map_err(|_| {
        ApiError::NotFound(format!(
            "document {path:?} is no longer readable in the content folder"
        ))
    })?;
    let doc_path = entry.path.clone();
    let rendered = tokio::task::spawn_blocking(move || render::render(&doc_path, &text))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let other_language = crate::ingest::counterpart(&entry.path)
        .filter(|other| engine.manifest().docs.iter().any(|d| &d.path == other))
        .map(|other| OtherLanguage {
            url: crate::urls::section_url(&other, ""),
            path: other,
        });
    Ok(Json(DocumentResponse {
        path: entry.path,
        lang: entry.lang,
        product: entry.product,
        other_language,
        title: entry.title,
        description: entry.description,
        date: entry.date,
        sections: rendered.sections,
        html: rendered.html,
    }))
}

/// `GET /api/section?path=&anchor=&max_chars=`: one section's own text.
pub async fn section(
    State(state): State<AppState>,
    params: Result<Query<SectionParams>, QueryRejection>,
) -> Result<Json<SectionText>, ApiError> {
    let Query(params) = params.map_err(bad_query_string)?;
    let query = params.into_query()?;
    let content_root = state.content_root().to_path_buf();
    let text = blocking(&state, state.engine(), move |engine| {
        Ok(engine.section_text(&content_root, &query)?)
    })
    .await?;
    Ok(Json(text))
}

/// `GET /api/suggest?q=`
pub async fn suggest(
    State(state): State<AppState>,
    params: Result<Query<SuggestParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(params) = params.map_err(bad_query_string)?;
    let (q, limit) = params.into_parts()?;
    if q.is_empty() {
        return Ok(Json(json!({ "query": q, "suggestions": [] })));
    }
    let typed = q.clone();
    let suggestions = blocking(&state, state.engine(), move |engine| {
        Ok(engine.suggest(&typed, limit))
    })
    .await?;
    Ok(Json(json!({ "query": q, "suggestions": suggestions })))
}

/// `GET /api/stats`
pub async fn stats(State(state): State<AppState>) -> Json<StatsResponse> {
    let engine = state.engine();
    let m = engine.manifest();
    Json(StatsResponse {
        documents: m.documents,
        sections: m.sections,
        codes: m.codes,
        per_lang: m.per_lang.clone(),
        built_at_unix: m.built_at_unix,
        build_seconds: m.build_seconds,
        skipped_files: m.skipped.len(),
    })
}

/// `GET /healthz`: 200 once the index is loaded (503 `not_ready` from the
/// start-up gate before that; see [`super::gate`]).
pub async fn healthz(State(state): State<AppState>) -> Json<HealthResponse> {
    Json(health(&state, "ok"))
}

/// `GET /readyz`: 200 once an index is loaded and served (503 `not_ready`
/// from the start-up gate before that).
pub async fn readyz(State(state): State<AppState>) -> Json<HealthResponse> {
    Json(health(&state, "ready"))
}

fn health(state: &AppState, status: &'static str) -> HealthResponse {
    let engine = state.engine();
    HealthResponse {
        status,
        documents: engine.manifest().documents,
        generation: engine.generation().to_string(),
        built_at_unix: engine.manifest().built_at_unix,
    }
}

/// Unknown routes.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such endpoint; see /api/openapi.json".into())
}

/// Known routes called with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
