//! `GET /metrics` in the Prometheus text format: requests and latency per
//! endpoint, index size, and when and how long the last (re)index took.

use super::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

/// Upper bounds of the latency histogram buckets, in seconds.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Debug, Default)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if self.counts.is_empty() {
            self.counts = vec![0; BUCKETS.len()];
        }
        for (bucket, bound) in self.counts.iter_mut().zip(BUCKETS) {
            if seconds <= *bound {
                *bucket += 1;
            }
        }
        self.sum += seconds;
        self.count += 1;
    }
}

/// Request counters and latency histograms, shared by all requests.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Recorded>,
}

#[derive(Debug, Default)]
struct Recorded {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

impl Metrics {
    pub fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut recorded = match self.inner.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *recorded
            .requests
            .entry((route.to_string(), method.to_string(), status))
            .or_insert(0) += 1;
        recorded
            .latency
            .entry(route.to_string())
            .or_default()
            .observe(seconds);
    }

    fn render_requests(&self, out: &mut String) {
        let recorded = match self.inner.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        out.push_str(
            "# HELP kbsearch_http_requests_total HTTP requests by route, method and status.\n",
        );
        out.push_str("# TYPE kbsearch_http_requests_total counter\n");
        for ((route, method, status), count) in &recorded.requests {
            let _ = writeln!(
                out,
                "kbsearch_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {count}",
                escape(route),
                escape(method)
            );
        }
        out.push_str(
            "# HELP kbsearch_http_request_duration_seconds Time to answer a request, by route.\n",
        );
        out.push_str("# TYPE kbsearch_http_request_duration_seconds histogram\n");
        for (route, histogram) in &recorded.latency {
            let route = escape(route);
            for (bound, count) in BUCKETS.iter().zip(&histogram.counts) {
                let _ = writeln!(
                    out,
                    "kbsearch_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "kbsearch_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "kbsearch_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "kbsearch_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                histogram.count
            );
        }
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Route middleware: records each request under its route template
/// (`/api/errors/{code}`, not the raw path, so labels stay few).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = request.method().as_str().to_string();
    let response = next.run(request).await;
    state.metrics().record(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics`.
pub async fn render(State(state): State<AppState>) -> Response {
    let engine = state.engine();
    let manifest = engine.manifest();
    let mut out = String::with_capacity(4096);
    state.metrics().render_requests(&mut out);
    let gauges: [(&str, &str, f64); 7] = [
        (
            "kbsearch_index_documents",
            "Documents in the live index.",
            manifest.documents as f64,
        ),
        (
            "kbsearch_index_sections",
            "Sections in the live index.",
            manifest.sections as f64,
        ),
        (
            "kbsearch_index_codes",
            "Distinct error codes in the live index.",
            manifest.codes as f64,
        ),
        (
            "kbsearch_index_size_bytes",
            "Size of the live index on disk.",
            engine.index_bytes() as f64,
        ),
        (
            "kbsearch_content_bytes",
            "Markdown bytes indexed.",
            manifest.bytes as f64,
        ),
        (
            "kbsearch_last_reindex_timestamp_seconds",
            "When the live index was built (Unix time).",
            manifest.built_at_unix as f64,
        ),
        (
            "kbsearch_last_reindex_duration_seconds",
            "How long building the live index took.",
            manifest.build_seconds,
        ),
    ];
    for (name, help, value) in gauges {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
        );
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}
