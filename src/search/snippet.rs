//! Snippets: a short piece of the section body, HTML-escaped, with matched
//! terms wrapped in `<mark>`.

use crate::analysis::KeyedTokenizer;
use std::collections::{BTreeMap, BTreeSet};
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Score, Searcher, Term};

/// Bytes of a section body searched for the snippet.
const MAX_HIGHLIGHTED_BYTES: usize = 64 * 1024;

/// Longest snippet, in characters.
pub const SNIPPET_CHARS: usize = 220;

/// Builds snippets for the hits of one query.
pub struct Snippets {
    generator: SnippetGenerator,
}

impl Snippets {
    /// Snippets marking the terms `query` has in the `body` field, rarer
    /// terms weighing more when a fragment is chosen.
    pub fn new(searcher: &Searcher, query: &dyn Query, body: Field) -> tantivy::Result<Snippets> {
        let mut terms: BTreeSet<&Term> = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == body {
                terms.insert(term);
            }
        });
        let mut weights: BTreeMap<String, Score> = BTreeMap::new();
        for term in terms {
            let value = term.value();
            let Some(text) = value.as_str() else {
                continue;
            };
            let doc_freq = searcher.doc_freq(term)?;
            if doc_freq > 0 {
                weights.insert(text.to_string(), 1.0 / (1.0 + doc_freq as Score));
            }
        }
        // The index analyzer stems every word of every hit's body; this one
        // only stems words that can hold a query term.
        let tokenizer = KeyedTokenizer::new(weights.keys().map(String::as_str));
        let generator = SnippetGenerator::new(
            weights,
            TextAnalyzer::builder(tokenizer).build(),
            body,
            SNIPPET_CHARS,
        );
        Ok(Snippets { generator })
    }

    /// The snippet of one hit; the start of the body when no term matched it.
    pub fn for_body(&self, body: &str) -> String {
        // Huge sections are cut before highlighting: the snippet comes from
        // their first part, and a 50 MB section costs no more than 64 KiB.
        let mut end = body.len().min(MAX_HIGHLIGHTED_BYTES);
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        let mut snippet = self.generator.snippet(&body[..end]);
        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        let html = snippet.to_html();
        if !html.trim().is_empty() {
            return html;
        }
        let mut end = body.len().min(SNIPPET_CHARS);
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        let mut text = escape_html(&body[..end]);
        if end < body.len() {
            text.push('…');
        }
        text
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html("<script>&\"'"),
            "&lt;script&gt;&amp;&quot;&#39;"
        );
    }
}
