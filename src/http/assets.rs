//! The web page and the OpenAPI document, embedded into the binary.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const INDEX_HTML: &str = include_str!("../../web/index.html");
const STYLE_CSS: &str = include_str!("../../web/style.css");
/// The page's ES modules (`app.js` is the entry point), served as they are:
/// no build step.
const MODULES: [(&str, &str); 7] = [
    ("app.js", include_str!("../../web/app.js")),
    ("api.js", include_str!("../../web/api.js")),
    ("doc.js", include_str!("../../web/doc.js")),
    ("dom.js", include_str!("../../web/dom.js")),
    ("i18n.js", include_str!("../../web/i18n.js")),
    ("render.js", include_str!("../../web/render.js")),
    ("router.js", include_str!("../../web/router.js")),
];
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

/// `/static/{file}`: the stylesheet and the modules; anything else is a 404.
pub async fn static_file(Path(file): Path<String>) -> Response {
    if file == "style.css" {
        return asset("text/css; charset=utf-8", STYLE_CSS);
    }
    match MODULES.iter().find(|(name, _)| *name == file) {
        Some((_, body)) => asset("text/javascript; charset=utf-8", body),
        None => {
            super::error::ApiError::NotFound(format!("no static file {file:?}")).into_response()
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn get(file: &str) -> Response {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(static_file(Path(file.to_string())))
    }

    /// The `/static/…` names the page refers to: its script and preload
    /// links, and every `from './x.js'` / `import('./x.js')` in the modules.
    fn referenced() -> Vec<String> {
        let mut names = Vec::new();
        let mut scan = |text: &str, prefix: &str| {
            for (i, _) in text.match_indices(prefix) {
                let rest = &text[i + prefix.len()..];
                let end = rest.find(['"', '\'']).unwrap_or(0);
                names.push(rest[..end].to_string());
            }
        };
        scan(INDEX_HTML, "\"/static/");
        for (_, body) in MODULES {
            scan(body, "'./");
        }
        names
    }

    #[test]
    fn every_file_the_page_refers_to_is_served() {
        let names = referenced();
        for module in MODULES.iter().map(|(name, _)| *name) {
            assert!(
                names.iter().any(|n| n == module),
                "{module} is served but nothing loads it"
            );
        }
        for name in names {
            let response = get(&name);
            assert_eq!(response.status(), StatusCode::OK, "{name}");
            let headers = response.headers();
            let wanted = if name.ends_with(".js") {
                "text/javascript; charset=utf-8"
            } else {
                "text/css; charset=utf-8"
            };
            assert_eq!(headers[header::CONTENT_TYPE], wanted, "{name}");
            assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "{name}");
        }
    }

    #[test]
    fn the_page_loads_its_entry_as_a_module() {
        assert!(INDEX_HTML.contains(r#"<script type="module" src="/static/app.js"></script>"#));
        // The input takes as many characters as the server accepts.
        let maxlength = format!("maxlength=\"{}\"", crate::search::MAX_QUERY_CHARS);
        assert!(INDEX_HTML.contains(&maxlength), "{maxlength}");
    }

    #[test]
    fn unknown_static_files_are_404() {
        for name in [
            "index.html",
            "app",
            "APP.JS",
            "app.js.map",
            "../web/app.js",
            "x.js",
            "",
        ] {
            assert_eq!(get(name).status(), StatusCode::NOT_FOUND, "{name:?}");
        }
    }
}
