//! One error type for the HTTP API, mapped to a status and a JSON body once.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Every error the API answers with. Bodies are
/// `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("no section carries the error code {code}")]
    UnknownCode { code: String, nearest: Vec<String> },
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("the index is not loaded yet")]
    NotReady,
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) | ApiError::UnknownCode { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::NotReady => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::NotFound(_) => "not_found",
            ApiError::UnknownCode { .. } => "unknown_code",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::NotReady => "not_ready",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl From<kbsearch_error::Error> for ApiError {
    fn from(err: kbsearch_error::Error) -> Self {
        match err {
            kbsearch_error::Error::BadQuery(message) => ApiError::BadRequest(message),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

use crate::error as kbsearch_error;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!("internal error: {detail}");
        }
        let mut error = json!({ "code": self.code(), "message": self.to_string() });
        if let ApiError::UnknownCode { nearest, .. } = &self {
            error["nearest"] = json!(nearest);
        }
        (self.status(), Json(json!({ "error": error }))).into_response()
    }
}

/// JSON error body for a bare status (used for errors produced by layers).
pub fn status_body(status: StatusCode) -> serde_json::Value {
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the request body is too large"),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long"),
        StatusCode::URI_TOO_LONG => ("uri_too_long", "the request URI is too long"),
        StatusCode::NOT_FOUND => ("not_found", "no such resource"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "method not allowed"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "unsupported media type"),
        StatusCode::SERVICE_UNAVAILABLE => ("overloaded", "the server is busy; retry shortly"),
        s if s.is_client_error() => ("bad_request", "the request is not valid"),
        _ => ("internal", "internal error"),
    };
    json!({ "error": { "code": code, "message": message } })
}
