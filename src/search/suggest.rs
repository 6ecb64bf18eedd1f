//! Search-as-you-type completions from titles, headings and codes.

use super::Engine;
use crate::analysis::normalize_word;
use crate::error::Result;
use crate::model::section_url;
use serde::Serialize;
use std::collections::HashSet;
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument};

/// Kind of a completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuggestionKind {
    Title,
    Heading,
    Code,
}

/// One completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub text: String,
    pub kind: SuggestionKind,
    pub url: Option<String>,
}

/// A completion candidate with its lowercase form.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    folded: String,
    suggestion: Suggestion,
}

/// Lowercase, `ё`→`е`, whitespace collapsed.
fn fold(text: &str) -> String {
    text.split_whitespace()
        .map(normalize_word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads every title, heading and code once when the index is opened.
pub(crate) fn collect_entries(
    searcher: &Searcher,
    engine_fields: &crate::index::Fields,
) -> Result<Vec<Entry>> {
    let mut seen = HashSet::new();
    let mut entries = Vec::new();
    let mut addresses: Vec<_> = searcher
        .search(&AllQuery, &DocSetCollector)?
        .into_iter()
        .collect();
    addresses.sort();
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let (path, anchor) = (text(engine_fields.path), text(engine_fields.anchor));
        let mut push = |value: String, kind: SuggestionKind, url: Option<String>| {
            if !value.is_empty() && seen.insert((kind, value.clone())) {
                entries.push(Entry {
                    folded: fold(&value),
                    suggestion: Suggestion {
                        text: value,
                        kind,
                        url,
                    },
                });
            }
        };
        push(
            text(engine_fields.title),
            SuggestionKind::Title,
            Some(section_url(&path, "")),
        );
        push(
            text(engine_fields.heading),
            SuggestionKind::Heading,
            Some(section_url(&path, &anchor)),
        );
        for code in doc.get_all(engine_fields.codes).filter_map(|v| v.as_str()) {
            push(code.to_string(), SuggestionKind::Code, None);
        }
    }
    Ok(entries)
}

impl Engine {
    /// Up to `limit` completions for what the user has typed so far: entries
    /// containing every typed word, the last one as a prefix; entries that
    /// start with the text first, codes before headings before titles.
    pub fn suggest(&self, typed: &str, limit: usize) -> Vec<Suggestion> {
        let folded = fold(typed);
        if folded.chars().count() < 2 {
            return Vec::new();
        }
        let words: Vec<&str> = folded.split(' ').collect();
        let mut matches: Vec<(u8, usize, &Entry)> = Vec::new();
        for entry in &self.suggestions {
            if !words.iter().all(|w| entry.folded.contains(w)) {
                continue;
            }
            let rank = if entry.folded.starts_with(&folded) {
                0
            } else if entry.folded.split(' ').any(|w| w.starts_with(words[0])) {
                1
            } else {
                2
            };
            let kind = match entry.suggestion.kind {
                SuggestionKind::Code => 0,
                SuggestionKind::Heading => 1,
                SuggestionKind::Title => 2,
            };
            matches.push((rank * 3 + kind, entry.folded.len(), entry));
        }
        matches.sort_by_key(|m| (m.0, m.1));
        matches
            .into_iter()
            .take(limit)
            .map(|(_, _, e)| e.suggestion.clone())
            .collect()
    }
}
