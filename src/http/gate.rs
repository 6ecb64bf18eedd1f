//! The start-up gate: the server listens at once and answers while its
//! index is still being built or opened — every request, `/healthz` and
//! `/readyz` included, gets 503 `not_ready` — and forwards every request to
//! the application once it is in place. Load balancers, orchestrators and
//! scripts wait for a 200 from `/readyz` (or `/healthz`, which keeps its
//! meaning: 200 once the index is loaded); nobody sees a refused
//! connection.

use super::error::ApiError;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::sync::{Arc, RwLock};
use tower::ServiceExt;

/// The application, once it is loaded.
#[derive(Clone, Default)]
pub struct Gate {
    app: Arc<RwLock<Option<Router>>>,
}

impl Gate {
    /// A gate that is already open on `app` (an index that opened at once).
    pub fn opened(app: Router) -> Gate {
        let gate = Gate::default();
        gate.open(app);
        gate
    }

    /// Lets requests through to `app` from now on.
    pub fn open(&self, app: Router) {
        let mut slot = match self.app.write() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = Some(app);
    }

    /// The router to serve: every request goes through the gate.
    pub fn router(&self) -> Router {
        let gate = self.clone();
        Router::new().fallback(move |request: Request| {
            let gate = gate.clone();
            async move { gate.answer(request).await }
        })
    }

    async fn answer(&self, request: Request) -> Response {
        let app = match self.app.read() {
            Ok(slot) => slot.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        match app {
            Some(app) => match app.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            },
            None => ApiError::NotReady.into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::routing::get;

    async fn status(router: &Router, path: &str) -> StatusCode {
        let request = Request::get(path).body(Body::empty()).unwrap();
        router.clone().oneshot(request).await.unwrap().status()
    }

    #[tokio::test]
    async fn answers_not_ready_until_opened_then_forwards() {
        let gate = Gate::default();
        let router = gate.router();
        for path in ["/healthz", "/readyz", "/api/search?q=x"] {
            assert_eq!(status(&router, path).await, StatusCode::SERVICE_UNAVAILABLE);
        }
        gate.open(Router::new().route("/readyz", get(|| async { "ready" })));
        assert_eq!(status(&router, "/readyz").await, StatusCode::OK);
    }
}
