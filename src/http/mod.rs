//! The HTTP server: JSON API for chat-bots and the embedded web page.
//!
//! [`router`] builds the whole application so tests can call it without a
//! socket; [`serve`] binds it and shuts down gracefully on Ctrl-C/SIGTERM.

pub mod assets;
pub mod error;
pub mod handlers;
pub mod middleware;

use crate::search::Engine;
use axum::http::{HeaderValue, Method};
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tower_http::cors::CorsLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// Largest request body accepted (the API takes no bodies).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub request_timeout: Duration,
    /// Origins allowed to call the API from a browser; empty = CORS off.
    pub cors_origins: Vec<String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            request_timeout: Duration::from_secs(10),
            cors_origins: Vec::new(),
        }
    }
}

/// Shared state: the live engine (replaceable) and the content folder.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    engine: RwLock<Arc<Engine>>,
    content_root: PathBuf,
}

impl AppState {
    pub fn new(engine: Engine, content_root: impl Into<PathBuf>) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                engine: RwLock::new(Arc::new(engine)),
                content_root: content_root.into(),
            }),
        }
    }

    /// The engine for one request; a concurrent swap does not affect it.
    pub fn engine(&self) -> Arc<Engine> {
        match self.inner.engine.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the engine (after a rebuild); in-flight requests keep the old one.
    pub fn replace_engine(&self, engine: Engine) {
        let mut guard = match self.inner.engine.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = Arc::new(engine);
    }

    pub fn content_root(&self) -> &Path {
        &self.inner.content_root
    }
}

/// The whole application.
pub fn router(state: AppState, config: &HttpConfig) -> Router {
    let api = Router::new()
        .route("/api/search", get(handlers::search))
        .route("/api/errors/{code}", get(handlers::error_code))
        .route("/api/docs/{*path}", get(handlers::document))
        .route("/api/suggest", get(handlers::suggest))
        .route("/api/stats", get(handlers::stats))
        .route("/api/openapi.json", get(assets::openapi))
        .route("/healthz", get(handlers::healthz))
        .route("/", get(assets::index_html))
        .route("/doc/{*path}", get(assets::index_html))
        .route("/static/{file}", get(assets::static_file))
        .route("/favicon.ico", get(assets::favicon))
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .with_state(state);
    let mut app = api
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES));
    if !config.cors_origins.is_empty() {
        let origins: Vec<HeaderValue> = config
            .cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        app = app.layer(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([Method::GET, Method::OPTIONS]),
        );
    }
    app.layer(axum::middleware::from_fn(middleware::log_and_harden))
}

/// Serves `app` on `listener` until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    let addr: Option<SocketAddr> = listener.local_addr().ok();
    if let Some(addr) = addr {
        tracing::info!("listening on http://{addr}");
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {err}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!("cannot listen for SIGTERM: {err}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
