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

/// Every status the API answers with an error, its stable machine-readable
/// code and the message used when nothing more specific is known: the one
/// table of error codes (handlers' errors and those made by layers).
const ERROR_CODES: &[(StatusCode, &str, &str)] = &[
    (
        StatusCode::BAD_REQUEST,
        "bad_request",
        "the request is not valid",
    ),
    (StatusCode::NOT_FOUND, "not_found", "no such resource"),
    (
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed",
    ),
    (
        StatusCode::REQUEST_TIMEOUT,
        "timeout",
        "the request took too long",
    ),
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "the request body is too large",
    ),
    (
        StatusCode::URI_TOO_LONG,
        "uri_too_long",
        "the request URI is too long",
    ),
    (
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "unsupported media type",
    ),
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "overloaded",
        "the server is busy; retry shortly",
    ),
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "internal error",
    ),
];

/// The code and default message of `status` (any other client error is a
/// bad request, any other status an internal error).
fn error_code(status: StatusCode) -> (&'static str, &'static str) {
    let fallback = if status.is_client_error() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    [status, fallback]
        .iter()
        .find_map(|wanted| {
            ERROR_CODES
                .iter()
                .find(|(s, _, _)| s == wanted)
                .map(|&(_, code, message)| (code, message))
        })
        .unwrap_or(("internal", "internal error"))
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

    /// Stable machine-readable code: the status's, save the two errors that
    /// share a status with another and say more.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::UnknownCode { .. } => "unknown_code",
            ApiError::NotReady => "not_ready",
            other => error_code(other.status()).0,
        }
    }
}

impl From<kbsearch_error::Error> for ApiError {
    fn from(err: kbsearch_error::Error) -> Self {
        match err {
            kbsearch_error::Error::BadQuery(message) => ApiError::BadRequest(message),
            kbsearch_error::Error::NotFound(message) => ApiError::NotFound(message),
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
    let (code, message) = error_code(status);
    json!({ "error": { "code": code, "message": message } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_one_code() {
        assert_eq!(error_code(StatusCode::IM_A_TEAPOT).0, "bad_request");
        assert_eq!(error_code(StatusCode::BAD_GATEWAY).0, "internal");
        assert_eq!(ApiError::BadRequest("x".into()).code(), "bad_request");
        assert_eq!(ApiError::MethodNotAllowed.code(), "method_not_allowed");
        assert_eq!(ApiError::Internal("x".into()).code(), "internal");
        let codes: std::collections::HashSet<&str> = ERROR_CODES.iter().map(|e| e.1).collect();
        assert_eq!(codes.len(), ERROR_CODES.len(), "codes are distinct");
    }
}
