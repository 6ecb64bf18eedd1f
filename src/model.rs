//! The shared vocabulary: types that cross module boundaries.
//!
//! Ingestion produces [`Document`]s made of [`Section`]s; the index stores
//! them; search returns [`SearchHit`]s. Nothing here knows about tantivy or
//! pulldown-cmark.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Language of a document or a query.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    PartialOrd,
    Ord,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    /// Short code used in the index, in paths and in the API (`en`, `ru`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// Parses `en`, `ru`, `ru-RU`, `en_US`, `RU` … (the part before `-`/`_`).
    pub fn from_locale(value: &str) -> Option<Lang> {
        let primary = value
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_locale(s).ok_or_else(|| format!("unknown language {s:?}: expected `en` or `ru`"))
    }
}

/// One row of a troubleshooting table (*Error | Possible causes | Recommended actions*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct TableRecord {
    /// The error/message cell, as plain text (may be empty for cause/action-only tables).
    pub message: String,
    /// Normalised error codes found in the message cell.
    pub codes: Vec<String>,
    /// The "possible causes" cell.
    pub causes: String,
    /// The "recommended actions" cell.
    pub actions: String,
    /// `causes` rendered as sanitized HTML (only when a request asks with
    /// `html=true`; never stored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causes_html: Option<String>,
    /// `actions` rendered as sanitized HTML, as `causes_html`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_html: Option<String>,
}

/// A heading-delimited part of a document: the unit that is indexed and returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Section {
    /// Anchor id of the heading (empty for the text before the first heading).
    pub anchor: String,
    /// Other ids that point at this section: standalone `<a name="…"/>`
    /// anchors written just before or inside it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchor_aliases: Vec<String>,
    /// Heading text without markup (empty for the text before the first heading).
    pub heading: String,
    /// Heading level 1–6 (0 for the text before the first heading).
    pub level: u8,
    /// Texts of the enclosing headings, outermost first.
    pub breadcrumbs: Vec<String>,
    /// Plain text of the section body.
    pub body: String,
    /// Every normalised error code found in the heading or body.
    pub codes: Vec<String>,
    /// The subset of `codes` this section defines: found in the heading, in the
    /// error column of a troubleshooting table or on an "Error message" line.
    pub defined_codes: Vec<String>,
    /// Rows of troubleshooting tables in this section.
    pub records: Vec<TableRecord>,
    /// Where the section's Markdown (its heading line included) is in the
    /// document body, front matter excluded.
    #[serde(skip)]
    pub source: std::ops::Range<usize>,
}

/// Front-matter fields kbsearch uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DocMeta {
    pub title: String,
    pub description: String,
    pub date: String,
    pub topic: String,
    /// Product or service the article is about (`ms.service`, `product`).
    #[serde(default)]
    pub product: String,
}

/// A parsed Markdown document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Path relative to the content root with `/` separators, e.g. `ru/backup/agent.md`.
    pub path: String,
    pub lang: Lang,
    pub meta: DocMeta,
    pub sections: Vec<Section>,
}

/// One search result: a section of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub path: String,
    pub anchor: String,
    /// Link to the section in the web page: `/doc/<path>#<anchor>`.
    pub url: String,
    pub title: String,
    pub heading: String,
    pub breadcrumbs: Vec<String>,
    pub lang: Lang,
    pub score: f32,
    /// HTML-escaped text with matched terms wrapped in `<mark>`.
    pub snippet: String,
    pub codes: Vec<String>,
    pub records: Vec<TableRecord>,
    /// The same section in the other language, when the index holds it.
    pub counterpart: Option<SectionLink>,
    /// Why the hit scored as it did (only with `explain=true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<serde_json::Value>,
}

/// Where a section is: its document, anchor and web page link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SectionLink {
    pub path: String,
    pub anchor: String,
    pub url: String,
}

/// A section that carries an error code, as shown in an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CodeSection {
    pub path: String,
    pub anchor: String,
    pub url: String,
    pub title: String,
    pub heading: String,
    pub lang: Lang,
    /// True when the section defines the code (heading, table, error message).
    pub defines: bool,
    /// The troubleshooting-table rows of the section that carry the code
    /// (all rows when none carries it explicitly).
    pub records: Vec<TableRecord>,
}

/// Everything the index knows about one error code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ErrorAnswer {
    /// Canonical form.
    pub code: String,
    /// Other spellings of the same code.
    pub aliases: Vec<String>,
    /// How many sections carry the code.
    pub sections_total: usize,
    /// Sections carrying the code: defining sections first, then those
    /// with table rows, then the preferred language. Search results list
    /// the first few of each language, `GET /api/errors/{code}` up to 50.
    pub sections: Vec<CodeSection>,
}
