//! One section's own content, for a chat-bot to ground an answer in: its
//! Markdown and plain text (read from the content file, as the document
//! view is), its codes and troubleshooting records, and its translation.

use super::page::counterpart;
use super::Engine;
use crate::error::{Error, Result};
use crate::ingest;
use crate::model::{Lang, SectionLink, TableRecord};
use crate::urls::section_url;
use regex::Regex;
use serde::Serialize;
use std::path::Path;
use std::sync::LazyLock;

/// Characters of Markdown and of text returned when the caller does not say.
pub const DEFAULT_MAX_CHARS: usize = 20_000;
/// Most characters one request may ask for.
pub const MAX_MAX_CHARS: usize = 200_000;
/// Longest path and anchor accepted (longer ones name nothing in an index).
const MAX_PATH_BYTES: usize = 1024;
const MAX_ANCHOR_BYTES: usize = 512;
/// Anchors listed in the error for an unknown anchor.
const ANCHORS_LISTED: usize = 30;

/// A validated request for one section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionQuery {
    pub path: String,
    pub anchor: String,
    pub max_chars: usize,
}

impl SectionQuery {
    /// Checks the parameters: a path and an anchor of sane length (the
    /// anchor may be empty: the text before the first heading) and a
    /// character budget within bounds.
    pub fn new(path: &str, anchor: &str, max_chars: Option<usize>) -> Result<SectionQuery> {
        let path = path.trim().trim_start_matches('/');
        let anchor = anchor.trim().trim_start_matches('#');
        if path.is_empty() {
            return Err(Error::BadQuery("parameter `path` is required".into()));
        }
        if path.len() > MAX_PATH_BYTES || anchor.len() > MAX_ANCHOR_BYTES {
            return Err(Error::BadQuery(format!(
                "`path` is limited to {MAX_PATH_BYTES} bytes and `anchor` to {MAX_ANCHOR_BYTES}"
            )));
        }
        let max_chars = max_chars.unwrap_or(DEFAULT_MAX_CHARS);
        if !(1..=MAX_MAX_CHARS).contains(&max_chars) {
            return Err(Error::BadQuery(format!(
                "parameter `max_chars` must be between 1 and {MAX_MAX_CHARS}, got {max_chars}"
            )));
        }
        Ok(SectionQuery {
            path: path.to_string(),
            anchor: anchor.to_string(),
            max_chars,
        })
    }
}

/// What `GET /api/section` and the `read_section` tool answer.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SectionText {
    pub path: String,
    pub anchor: String,
    pub url: String,
    pub title: String,
    pub heading: String,
    pub breadcrumbs: Vec<String>,
    pub lang: Lang,
    /// Error codes written in the section.
    pub codes: Vec<String>,
    /// Its troubleshooting-table rows.
    pub records: Vec<TableRecord>,
    /// The section's Markdown, its heading line included, without HTML
    /// anchors and comments; at most `max_chars` characters.
    pub markdown: String,
    /// The section's plain text (no markup); at most `max_chars` characters.
    pub text: String,
    /// True when `markdown` or `text` was cut at `max_chars`.
    pub truncated: bool,
    /// The same section in the other language, when the index holds it.
    pub counterpart: Option<SectionLink>,
}

static ANCHOR_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<a\s+[^>]*?\b(?:name|id)\s*=\s*"[^"]*"[^>]*>\s*(?:</a>)?"#).unwrap()
});

impl Engine {
    /// The section `query.path#query.anchor` of a document the index holds,
    /// read from its file under `content_root`. Only documents listed in the
    /// index manifest are opened, so no path outside the content folder is
    /// ever read.
    pub fn section_text(&self, content_root: &Path, query: &SectionQuery) -> Result<SectionText> {
        let Some(entry) = self.document(&query.path) else {
            return Err(Error::NotFound(format!(
                "no document {:?} in the index",
                query.path
            )));
        };
        let file = content_root.join(&entry.path);
        let unreadable = || {
            Error::NotFound(format!(
                "document {:?} is no longer readable in the content folder",
                entry.path
            ))
        };
        let bytes = std::fs::read(&file).map_err(|_| unreadable())?;
        let text = ingest::decode(&bytes).map_err(|_| unreadable())?;
        let (document, _) = ingest::parse(&entry.path, text).map_err(|_| unreadable())?;
        let wanted = query.anchor.to_lowercase();
        let Some(section) = document.sections.iter().find(|s| {
            s.anchor.to_lowercase() == wanted
                || s.anchor_aliases.iter().any(|a| a.to_lowercase() == wanted)
        }) else {
            let anchors: Vec<&str> = document
                .sections
                .iter()
                .map(|s| s.anchor.as_str())
                .take(ANCHORS_LISTED)
                .collect();
            return Err(Error::NotFound(format!(
                "no section #{} in {:?}; its sections: {}",
                query.anchor,
                entry.path,
                anchors.join(", ")
            )));
        };
        let body = ingest::front_matter::split(text).body;
        let source = body.get(section.source.clone()).unwrap_or("");
        let markdown = clean_markdown(source);
        let plain = if section.heading.is_empty() {
            section.body.clone()
        } else {
            format!("{}\n\n{}", section.heading, section.body)
        };
        let (markdown, cut_markdown) = cut(&markdown, query.max_chars);
        let (plain, cut_text) = cut(&plain, query.max_chars);
        let counterpart = counterpart(
            &self.searcher(),
            self.fields(),
            &document.path,
            &section.anchor,
            document.lang,
        )?;
        Ok(SectionText {
            url: section_url(&document.path, &section.anchor),
            path: document.path.clone(),
            anchor: section.anchor.clone(),
            title: document.meta.title.clone(),
            heading: section.heading.clone(),
            breadcrumbs: section.breadcrumbs.clone(),
            lang: document.lang,
            codes: section.codes.clone(),
            records: section.records.clone(),
            markdown,
            text: plain,
            truncated: cut_markdown || cut_text,
            counterpart,
        })
    }
}

/// A section's Markdown without the HTML anchors and comments that only
/// serve the page.
fn clean_markdown(source: &str) -> String {
    let without_comments = ingest::markdown::HTML_COMMENT.replace_all(source, "");
    let without_anchors = ANCHOR_TAG.replace_all(&without_comments, "");
    without_anchors.trim().to_string()
}

/// The first `max_chars` characters of `text`, and whether it was cut.
fn cut(text: &str, max_chars: usize) -> (String, bool) {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => (text[..end].to_string(), true),
        None => (text.to_string(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_validated() {
        assert!(SectionQuery::new("", "a", None).is_err());
        assert!(SectionQuery::new("en/a.md", "a", Some(0)).is_err());
        assert!(SectionQuery::new("en/a.md", "a", Some(MAX_MAX_CHARS + 1)).is_err());
        assert!(SectionQuery::new(&"x".repeat(2000), "a", None).is_err());
        let query = SectionQuery::new(" /en/a.md ", "#Fix-It", None).unwrap();
        assert_eq!(
            (query.path.as_str(), query.anchor.as_str()),
            ("en/a.md", "Fix-It")
        );
        assert_eq!(query.max_chars, DEFAULT_MAX_CHARS);
    }

    #[test]
    fn markdown_loses_anchors_and_comments_and_cuts_on_characters() {
        assert_eq!(
            clean_markdown("## <a name=\"x\"></a>Диск\n\n<!-- note -->Текст\n"),
            "## Диск\n\nТекст"
        );
        assert_eq!(cut("диск", 2), ("ди".to_string(), true));
        assert_eq!(cut("диск", 4), ("диск".to_string(), false));
    }
}
