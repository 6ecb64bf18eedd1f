//! The first stage: a search request, its limits, and their one validation.
//!
//! The HTTP layer deserialises query parameters into [`SearchParams`] and
//! turns them into a [`ValidRequest`] here; library callers build a
//! [`SearchRequest`] and [`Engine::search`](super::Engine::search) checks
//! it with the same [`SearchRequest::validate`].

use super::analyse::QueryOptions;
use crate::error::{Error, Result};
use crate::model::Lang;
use serde::Deserialize;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 2000;
/// Largest page size.
pub const MAX_LIMIT: usize = 100;
/// Default page size.
pub const DEFAULT_LIMIT: usize = 10;
/// Deepest page start.
pub const MAX_OFFSET: usize = 10_000;
/// Most products one request filters on, and the longest product name.
pub const MAX_PRODUCTS: usize = 20;
pub const MAX_PRODUCT_BYTES: usize = 200;

/// A search request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    pub lang: Option<Lang>,
    /// At most a few sections per document on a page (default true).
    pub group: bool,
    /// Layout correction, fuzzy matching, synonyms (all on by default).
    pub options: QueryOptions,
    /// Attach tantivy's score explanation to every hit.
    pub explain: bool,
    /// Only sections of these products (empty = all).
    pub products: Vec<String>,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: DEFAULT_LIMIT,
            offset: 0,
            lang: None,
            group: true,
            options: QueryOptions::default(),
            explain: false,
            products: Vec::new(),
        }
    }

    /// Checks every limit; the one place they are enforced.
    pub fn validate(self) -> Result<ValidRequest> {
        if self.query.trim().is_empty() {
            return Err(bad("parameter `q` is required and must not be empty"));
        }
        let chars = self.query.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(bad(format!(
                "parameter `q` is {chars} characters long; the limit is {MAX_QUERY_CHARS}"
            )));
        }
        if !(1..=MAX_LIMIT).contains(&self.limit) {
            return Err(bad(format!(
                "parameter `limit` must be between 1 and {MAX_LIMIT}, got {}",
                self.limit
            )));
        }
        if self.offset > MAX_OFFSET {
            return Err(bad(format!(
                "parameter `offset` must be between 0 and {MAX_OFFSET}, got {}",
                self.offset
            )));
        }
        if self.products.len() > MAX_PRODUCTS
            || self.products.iter().any(|p| p.len() > MAX_PRODUCT_BYTES)
        {
            return Err(bad(
                "parameter `product` names too many or too long products",
            ));
        }
        Ok(ValidRequest(self))
    }
}

/// A request whose limits were checked by [`SearchRequest::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValidRequest(SearchRequest);

impl std::ops::Deref for ValidRequest {
    type Target = SearchRequest;

    fn deref(&self) -> &SearchRequest {
        &self.0
    }
}

/// The query parameters of `GET /api/search`, as sent (values are checked
/// by [`SearchParams::into_request`], so every mistake gets one message).
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
    pub lang: Option<String>,
    pub product: Option<String>,
    pub group: Option<String>,
    pub explain: Option<String>,
    pub fuzzy: Option<String>,
    pub layout: Option<String>,
    pub synonyms: Option<String>,
    pub translit: Option<String>,
    pub counterparts: Option<String>,
    pub lexicon: Option<String>,
    pub structure: Option<String>,
    /// Not a search option: records also carry their HTML (see
    /// [`crate::render::record_html`]); read by the HTTP handler.
    pub html: Option<String>,
}

impl SearchParams {
    /// The request these parameters ask for; `defaults` are the server's
    /// query options for parameters left out.
    pub fn into_request(self, defaults: QueryOptions) -> Result<ValidRequest> {
        let mut request = SearchRequest::new(self.q.as_deref().unwrap_or("").trim());
        request.limit = number("limit", self.limit.as_deref(), DEFAULT_LIMIT)?;
        request.offset = number("offset", self.offset.as_deref(), 0)?;
        request.lang = language(self.lang.as_deref())?;
        request.products = self
            .product
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        request.group = flag("group", self.group.as_deref(), true)?;
        request.explain = flag("explain", self.explain.as_deref(), false)?;
        request.options = QueryOptions {
            fuzzy: flag("fuzzy", self.fuzzy.as_deref(), defaults.fuzzy)?,
            layout: flag("layout", self.layout.as_deref(), defaults.layout)?,
            synonyms: flag("synonyms", self.synonyms.as_deref(), defaults.synonyms)?,
            translit: flag("translit", self.translit.as_deref(), defaults.translit)?,
            counterparts: flag(
                "counterparts",
                self.counterparts.as_deref(),
                defaults.counterparts,
            )?,
            lexicon: flag("lexicon", self.lexicon.as_deref(), defaults.lexicon)?,
            structure: flag("structure", self.structure.as_deref(), defaults.structure)?,
        };
        request.validate()
    }
}

fn bad(message: impl Into<String>) -> Error {
    Error::BadQuery(message.into())
}

/// A whole number parameter (`default` when absent).
pub fn number(name: &str, raw: Option<&str>, default: usize) -> Result<usize> {
    match raw {
        None => Ok(default),
        Some(raw) => raw.trim().parse().map_err(|_| {
            bad(format!(
                "parameter `{name}` must be a whole number, got {raw:?}"
            ))
        }),
    }
}

/// `en`, `ru`, `all` or nothing.
pub fn language(raw: Option<&str>) -> Result<Option<Lang>> {
    match raw.map(str::trim) {
        None | Some("") | Some("all") => Ok(None),
        Some(value) => value.parse().map(Some).map_err(|_| {
            bad(format!(
                "parameter `lang` must be `en` or `ru`, got {value:?}"
            ))
        }),
    }
}

/// `true`/`1`, `false`/`0`, or no parameter for `default` (an empty value
/// is a mistake, not a choice).
pub fn flag(name: &str, raw: Option<&str>, default: bool) -> Result<bool> {
    match raw.map(str::trim) {
        None => Ok(default),
        Some("true") | Some("1") => Ok(true),
        Some("false") | Some("0") => Ok(false),
        Some(other) => Err(bad(format!(
            "parameter `{name}` must be `true` or `false`, got {other:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parameters as a deserialiser fills them from `name=value` pairs.
    fn params(pairs: &[(&str, &str)]) -> SearchParams {
        let map: std::collections::HashMap<&str, &str> = pairs.iter().copied().collect();
        serde_json::from_value(serde_json::to_value(map).unwrap()).unwrap()
    }

    #[test]
    fn parameters_become_a_request() {
        let request = params(&[
            ("q", " vpn 809 "),
            ("limit", "5"),
            ("lang", "ru"),
            ("product", "vpn, backup,"),
            ("fuzzy", "false"),
        ])
        .into_request(QueryOptions::default())
        .unwrap();
        assert_eq!(request.query, "vpn 809");
        assert_eq!(request.limit, 5);
        assert_eq!(request.lang, Some(Lang::Ru));
        assert_eq!(request.products, vec!["vpn", "backup"]);
        assert!(!request.options.fuzzy && request.options.layout);
    }

    #[test]
    fn every_limit_is_checked_once_with_a_message() {
        let defaults = QueryOptions::default();
        for (pairs, word) in [
            (vec![], "`q`"),
            (vec![("q", "  ")], "`q`"),
            (vec![("q", "x"), ("limit", "0")], "`limit`"),
            (vec![("q", "x"), ("limit", "101")], "`limit`"),
            (vec![("q", "x"), ("limit", "ten")], "`limit`"),
            (vec![("q", "x"), ("offset", "10001")], "`offset`"),
            (vec![("q", "x"), ("lang", "de")], "`lang`"),
            (vec![("q", "x"), ("group", "maybe")], "`group`"),
        ] {
            let err = params(&pairs).into_request(defaults).unwrap_err();
            assert!(err.to_string().contains(word), "{pairs:?}: {err}");
        }
        let long = "я".repeat(MAX_QUERY_CHARS + 1);
        let err = SearchRequest::new(long).validate().unwrap_err();
        assert!(err.to_string().contains("characters"), "{err}");
        assert!(SearchRequest::new("я".repeat(MAX_QUERY_CHARS))
            .validate()
            .is_ok());
    }
}
