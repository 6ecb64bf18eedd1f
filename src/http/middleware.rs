//! Request logging, security headers and JSON bodies for layer errors.

use super::error::status_body;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Longest path written to the log.
const MAX_LOGGED_PATH_CHARS: usize = 200;

/// Logs one line per request, refuses overlong request targets with 414 and
/// adds security headers to every response.
pub async fn log_and_harden(request: Request, next: Next, max_uri_bytes: usize) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let uri_bytes = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    let full_path = request.uri().path();
    let path: String = full_path.chars().take(MAX_LOGGED_PATH_CHARS).collect();
    let response = if uri_bytes > max_uri_bytes {
        StatusCode::URI_TOO_LONG.into_response()
    } else {
        next.run(request).await
    };
    let mut response = json_errors(response).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    tracing::info!(
        %method,
        path = %path,
        status = response.status().as_u16(),
        latency_ms = format!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
        "request"
    );
    response
}

/// Errors produced outside the handlers (body limit, timeout, extractor
/// rejections) get the same JSON body as the API's own errors.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = Json(status_body(status)).into_response();
    let (body_parts, body) = body.into_parts();
    parts.headers.insert(
        header::CONTENT_TYPE,
        body_parts
            .headers
            .get(header::CONTENT_TYPE)
            .cloned()
            .unwrap_or(HeaderValue::from_static("application/json")),
    );
    Response::from_parts(parts, Body::new(body))
}

/// Answers 503 (JSON, `Retry-After: 1`) instead of queueing when `max`
/// requests are already being handled by this router.
pub fn limit_concurrency(router: axum::Router, max: usize) -> axum::Router {
    let in_flight = Arc::new(AtomicUsize::new(0));
    router.layer(axum::middleware::from_fn(
        move |request: Request, next: Next| {
            let in_flight = in_flight.clone();
            async move {
                let Some(_slot) = Slot::take(&in_flight, max) else {
                    let mut response = StatusCode::SERVICE_UNAVAILABLE.into_response();
                    response
                        .headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                    return response;
                };
                next.run(request).await
            }
        },
    ))
}

/// One of the `max` request slots; given back when dropped (also when the
/// request is cancelled).
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(counter: &Arc<AtomicUsize>, max: usize) -> Option<Slot> {
        counter
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(counter.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
