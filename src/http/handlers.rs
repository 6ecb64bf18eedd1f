//! Request handlers. Search work runs on the blocking pool so it never
//! stalls the async runtime.

use super::error::ApiError;
use super::AppState;
use crate::model::Lang;
use crate::render;
use crate::search::{Engine, SearchRequest, MAX_LIMIT, MAX_QUERY_CHARS};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

fn params(params: Params) -> Result<HashMap<String, String>, ApiError> {
    params
        .map(|Query(p)| p)
        .map_err(|e| ApiError::BadRequest(format!("bad query string: {}", e.body_text())))
}

/// Runs blocking engine work on the blocking pool, in its turn (see
/// [`AppState::engine_slot`]).
async fn blocking<T: Send + 'static>(
    state: &AppState,
    engine: Arc<Engine>,
    work: impl FnOnce(&Engine) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let slot = state
        .engine_slot()
        .await
        .map_err(|e| ApiError::Internal(format!("no turn for the search: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work(&engine)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("search task failed: {e}")))?
}

fn required_query(p: &HashMap<String, String>) -> Result<String, ApiError> {
    let q = p.get("q").map(|q| q.trim()).unwrap_or("");
    if q.is_empty() {
        return Err(ApiError::BadRequest(
            "parameter `q` is required and must not be empty".into(),
        ));
    }
    let chars = q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(ApiError::BadRequest(format!(
            "parameter `q` is {chars} characters long; the limit is {MAX_QUERY_CHARS}"
        )));
    }
    Ok(q.to_string())
}

fn number(
    p: &HashMap<String, String>,
    name: &str,
    default: usize,
    range: std::ops::RangeInclusive<usize>,
) -> Result<usize, ApiError> {
    let Some(raw) = p.get(name) else {
        return Ok(default);
    };
    let value: usize = raw.trim().parse().map_err(|_| {
        ApiError::BadRequest(format!(
            "parameter `{name}` must be a whole number, got {raw:?}"
        ))
    })?;
    if !range.contains(&value) {
        return Err(ApiError::BadRequest(format!(
            "parameter `{name}` must be between {} and {}, got {value}",
            range.start(),
            range.end()
        )));
    }
    Ok(value)
}

fn language(p: &HashMap<String, String>) -> Result<Option<Lang>, ApiError> {
    match p.get("lang").map(|l| l.trim()) {
        None | Some("") | Some("all") => Ok(None),
        Some(value) => value.parse().map(Some).map_err(|_| {
            ApiError::BadRequest(format!(
                "parameter `lang` must be `en` or `ru`, got {value:?}"
            ))
        }),
    }
}

/// `product=backup` or `product=backup,vpn` (at most 20 products).
fn products(p: &HashMap<String, String>) -> Result<Vec<String>, ApiError> {
    let Some(raw) = p.get("product") else {
        return Ok(Vec::new());
    };
    let products: Vec<String> = raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if products.len() > 20 || products.iter().any(|p| p.len() > 200) {
        return Err(ApiError::BadRequest(
            "parameter `product` names too many or too long products".into(),
        ));
    }
    Ok(products)
}

fn flag(p: &HashMap<String, String>, name: &str, default: bool) -> Result<bool, ApiError> {
    match p.get(name).map(|v| v.trim()) {
        None | Some("") => Ok(default),
        Some("true") | Some("1") => Ok(true),
        Some("false") | Some("0") => Ok(false),
        Some(other) => Err(ApiError::BadRequest(format!(
            "parameter `{name}` must be `true` or `false`, got {other:?}"
        ))),
    }
}

/// `GET /api/search?q=&limit=&offset=&lang=&group=&fuzzy=&layout=&synonyms=&explain=`
pub async fn search(
    State(state): State<AppState>,
    axum::Extension(defaults): axum::Extension<crate::search::query::QueryOptions>,
    query: Params,
) -> Result<axum::response::Response, ApiError> {
    let p = params(query)?;
    let mut request = SearchRequest::new(required_query(&p)?);
    request.limit = number(&p, "limit", 10, 1..=MAX_LIMIT)?;
    request.offset = number(&p, "offset", 0, 0..=10_000)?;
    request.lang = language(&p)?;
    request.products = products(&p)?;
    request.group = flag(&p, "group", true)?;
    request.explain = flag(&p, "explain", false)?;
    request.options.fuzzy = flag(&p, "fuzzy", defaults.fuzzy)?;
    request.options.layout = flag(&p, "layout", defaults.layout)?;
    request.options.synonyms = flag(&p, "synonyms", defaults.synonyms)?;
    let engine = state.engine();
    // A repeated request is answered on the async thread, without a search.
    if let Some(json) = engine.cached_json(&request) {
        return Ok((
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            json,
        )
            .into_response());
    }
    let response = blocking(&state, engine, move |engine| Ok(engine.search(&request)?)).await?;
    Ok(Json(response).into_response())
}

/// `GET /api/errors/{code}`
pub async fn error_code(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    query: Params,
) -> Result<Json<Value>, ApiError> {
    let p = params(query)?;
    let prefer = language(&p)?;
    if raw.chars().count() > 200 {
        return Err(ApiError::BadRequest("the code is too long".into()));
    }
    let Some(canonical) = crate::codes::normalize(&raw) else {
        return Err(ApiError::BadRequest(format!(
            "{raw:?} does not look like an error code"
        )));
    };
    blocking(&state, state.engine(), move |engine| {
        match engine.error_answer(&canonical, prefer)? {
            Some(answer) => Ok(Json(
                serde_json::to_value(answer).map_err(|e| ApiError::Internal(e.to_string()))?,
            )),
            None => Err(ApiError::UnknownCode {
                nearest: engine.nearest_codes(&canonical, 5),
                code: canonical,
            }),
        }
    })
    .await
}

/// `GET /api/docs/{path}`: only documents listed in the index manifest can be
/// read, so no path outside the content folder is ever opened.
pub async fn document(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let engine = state.engine();
    let Some(entry) = engine
        .manifest()
        .docs
        .iter()
        .find(|d| d.path == path)
        .cloned()
    else {
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
        .map(|other| json!({ "path": other, "url": crate::model::section_url(&other, "") }));
    Ok(Json(json!({
        "path": entry.path,
        "lang": entry.lang,
        "product": entry.product,
        "other_language": other_language,
        "title": entry.title,
        "description": entry.description,
        "date": entry.date,
        "sections": rendered.sections,
        "html": rendered.html,
    })))
}

/// `GET /api/suggest?q=`
pub async fn suggest(
    State(state): State<AppState>,
    query: Params,
) -> Result<Json<Value>, ApiError> {
    let p = params(query)?;
    let q = required_query(&p)?;
    let limit = number(&p, "limit", 8, 1..=20)?;
    let typed = q.clone();
    let suggestions = blocking(&state, state.engine(), move |engine| {
        Ok(engine.suggest(&typed, limit))
    })
    .await?;
    Ok(Json(json!({ "query": q, "suggestions": suggestions })))
}

/// `GET /api/stats`
pub async fn stats(State(state): State<AppState>) -> Json<Value> {
    let engine = state.engine();
    let m = engine.manifest();
    Json(json!({
        "documents": m.documents,
        "sections": m.sections,
        "codes": m.codes,
        "per_lang": m.per_lang,
        "built_at_unix": m.built_at_unix,
        "build_seconds": m.build_seconds,
        "skipped_files": m.skipped.len(),
    }))
}

/// `GET /healthz`: 200 once the index is loaded (the router exists only then).
pub async fn healthz(State(state): State<AppState>) -> Json<Value> {
    let engine = state.engine();
    Json(json!({ "status": "ok", "documents": engine.manifest().documents }))
}

/// Unknown routes.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such endpoint; see /api/openapi.json".into())
}

/// Known routes called with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
