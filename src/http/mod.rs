//! The HTTP server: JSON API for chat-bots and the embedded web page.
//!
//! [`router`] builds the whole application so tests can call it without a
//! socket; [`serve`] binds it and shuts down gracefully on Ctrl-C/SIGTERM.

pub mod assets;
pub mod error;
pub mod gate;
pub mod handlers;
pub mod mcp;
pub mod metrics;
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

/// Limits that protect the server from hostile or broken clients.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Longest request target (path + query) in bytes; longer ones get a JSON
    /// 414. A 2 000-character Cyrillic query is about 24 KiB percent-encoded.
    pub max_uri_bytes: usize,
    /// Requests handled at once; more get a JSON 503 at once.
    pub max_concurrent_requests: usize,
    /// Open connections; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// Time a client has to send the complete request head, counted from
    /// the connection (or the previous response on a kept-alive one).
    pub header_read_timeout: Duration,
    /// Time open connections get to finish after a shutdown signal.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_uri_bytes: 32 * 1024,
            max_concurrent_requests: 64,
            max_connections: 512,
            header_read_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Read buffer of a connection: a request head larger than this is refused
/// by the HTTP parser with 431 before it reaches the router.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub request_timeout: Duration,
    /// Origins allowed to call the API from a browser; empty = CORS off.
    pub cors_origins: Vec<String>,
    /// Fuzzy/layout/synonyms for requests that do not say.
    pub query_defaults: crate::search::analyse::QueryOptions,
    /// Accept MCP requests whatever host they name (see
    /// [`mcp::http_service`]); set when the server listens beyond loopback.
    pub mcp_any_host: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            request_timeout: Duration::from_secs(10),
            cors_origins: Vec::new(),
            query_defaults: crate::search::analyse::QueryOptions::default(),
            mcp_any_host: false,
        }
    }
}

/// Engine work that could not run or did not finish (a panic in it).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct EngineWorkError(String);

/// Shared state: the live engine (replaceable) and the content folder.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    engine: RwLock<Arc<Engine>>,
    content_root: PathBuf,
    metrics: metrics::Metrics,
    /// Engine work running at once: four per core. Searches are bound by
    /// the CPU, so more at a time only share the cores while each holds its
    /// memory and its thread's allocator caches: a limit keeps the memory
    /// of many clients low at the same throughput (docs/benchmarks.md). The
    /// others wait their turn (the request timeout still applies).
    engine_slots: Arc<tokio::sync::Semaphore>,
    engine_slots_total: usize,
}

/// [`Inner::engine_slots`] on this machine.
pub fn engine_slots_total() -> usize {
    4 * std::thread::available_parallelism().map_or(2, usize::from)
}

impl AppState {
    pub fn new(engine: Engine, content_root: impl Into<PathBuf>) -> AppState {
        let engine_slots = engine_slots_total();
        AppState {
            inner: Arc::new(Inner {
                engine: RwLock::new(Arc::new(engine)),
                content_root: content_root.into(),
                metrics: metrics::Metrics::default(),
                engine_slots: Arc::new(tokio::sync::Semaphore::new(engine_slots)),
                engine_slots_total: engine_slots,
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
        let entries = guard.cache_entries();
        *guard = Arc::new(engine.with_cache_entries(entries));
    }

    /// How many requests may run engine work at once.
    pub fn engine_slots(&self) -> usize {
        self.inner.engine_slots_total
    }

    /// Waits for a turn to run engine work; the turn ends when the permit
    /// is dropped. (The slots are never closed, so this does not fail.)
    pub async fn engine_slot(
        &self,
    ) -> Result<tokio::sync::OwnedSemaphorePermit, tokio::sync::AcquireError> {
        self.inner.engine_slots.clone().acquire_owned().await
    }

    /// Runs `work` on the blocking pool once a turn is free (see
    /// [`AppState::engine_slot`]): the one path every engine call of the
    /// API and of the MCP tools takes.
    pub async fn run_engine_work<T: Send + 'static>(
        &self,
        engine: Arc<Engine>,
        work: impl FnOnce(&Engine) -> T + Send + 'static,
    ) -> Result<T, EngineWorkError> {
        let slot = self
            .engine_slot()
            .await
            .map_err(|e| EngineWorkError(format!("no turn for the search: {e}")))?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            work(&engine)
        })
        .await
        .map_err(|e| EngineWorkError(format!("search task failed: {e}")))
    }

    pub fn content_root(&self) -> &Path {
        &self.inner.content_root
    }

    pub fn metrics(&self) -> &metrics::Metrics {
        &self.inner.metrics
    }
}

/// The whole application, with the default [`Limits`].
pub fn router(state: AppState, config: &HttpConfig) -> Router {
    router_with(state, config, &Limits::default())
}

/// The whole application with explicit limits.
pub fn router_with(state: AppState, config: &HttpConfig, limits: &Limits) -> Router {
    let api = Router::new()
        .route("/api/search", get(handlers::search))
        .route("/api/errors/{code}", get(handlers::error_code))
        .route("/api/docs/{*path}", get(handlers::document))
        .route("/api/suggest", get(handlers::suggest))
        .route("/api/section", get(handlers::section))
        .route("/api/stats", get(handlers::stats))
        .route("/api/openapi.json", get(assets::openapi))
        .route("/healthz", get(handlers::healthz))
        .route("/readyz", get(handlers::readyz))
        .route("/", get(assets::index_html))
        .route("/doc/{*path}", get(assets::index_html))
        .route("/static/{file}", get(assets::static_file))
        .route("/favicon.ico", get(assets::favicon))
        .route("/metrics", get(metrics::render))
        .nest_service("/mcp", mcp::http_service(state.clone(), config))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .layer(axum::Extension(config.query_defaults))
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
    let app = middleware::limit_concurrency(app, limits.max_concurrent_requests);
    let max_uri_bytes = limits.max_uri_bytes;
    app.layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            middleware::log_and_harden(request, next, max_uri_bytes)
        },
    ))
}

/// Serves `app` on `listener` until Ctrl-C or SIGTERM, with the default [`Limits`].
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    serve_with(listener, app, &Limits::default(), shutdown_signal()).await
}

/// Serves `app` on `listener` until `shutdown` completes: HTTP/1.1 with a
/// header read timeout, a cap on open connections, and a graceful shutdown
/// that gives open requests `limits.shutdown_grace` to finish.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let addr: Option<SocketAddr> = listener.local_addr().ok();
    if let Some(addr) = addr {
        tracing::info!("listening on http://{addr}");
    }
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(MAX_HEAD_BYTES);
    let connections = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) => {
                    // Out of file descriptors and the like: back off, do not spin.
                    tracing::warn!("accept failed: {err}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!("connection closed: {err}");
            }
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!("shutting down");
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {
            tracing::warn!("open connections did not finish in time");
        }
    }
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM (systemd's stop signal).
pub async fn shutdown_signal() {
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
}
