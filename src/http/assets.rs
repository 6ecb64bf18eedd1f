//! The web page and the OpenAPI document, embedded into the binary.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const INDEX_HTML: &str = include_str!("../../web/index.html");
const APP_JS: &str = include_str!("../../web/app.js");
const STYLE_CSS: &str = include_str!("../../web/style.css");
/// The API description served at `/api/openapi.json`.
pub const OPENAPI_JSON: &str = include_str!("openapi.json");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// `/` and `/doc/…`: the single-page app.
pub async fn index_html() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

/// `/static/{file}`.
pub async fn static_file(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "app.js" => asset("text/javascript; charset=utf-8", APP_JS),
        "style.css" => asset("text/css; charset=utf-8", STYLE_CSS),
        _ => super::error::ApiError::NotFound(format!("no static file {file:?}")).into_response(),
    }
}

/// `/api/openapi.json`.
pub async fn openapi() -> Response {
    asset("application/json", OPENAPI_JSON)
}

/// `/favicon.ico`: nothing, without a 404 in the logs.
pub async fn favicon() -> StatusCode {
    StatusCode::NO_CONTENT
}
