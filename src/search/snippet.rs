//! Snippets: a short piece of the section body, HTML-escaped, with matched
//! terms wrapped in `<mark>`.

use crate::analysis::{each_keyed_term, TermKeys};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::collapse_overlapped_ranges;
use tantivy::{Score, Searcher, Term};

/// Bytes of a section body searched for the snippet.
const MAX_HIGHLIGHTED_BYTES: usize = 64 * 1024;

/// Longest snippet fragment, in bytes of the body.
pub const SNIPPET_CHARS: usize = 220;

/// Snippets for the hits of one query.
///
/// The fragment chosen and its marks are those of tantivy's
/// `SnippetGenerator` with the index analyzer (test
/// `snippets_equal_those_of_the_full_analyzer`): the body is cut into
/// fragments of at most `SNIPPET_CHARS` bytes at word boundaries, each
/// scores the weights of the query terms it holds, and the first
/// best-scoring one is shown. Unlike the generator, only words that can
/// hold a query term are analysed (see [`each_keyed_term`]) and no token is
/// copied, so a long section costs a scan of its words.
pub struct Snippets {
    /// How the sought terms start.
    keys: TermKeys,
    /// Sought term → weight (rarer terms weigh more).
    weights: BTreeMap<String, Score>,
    /// The weight of the empty term (none: no term is empty).
    skipped_weight: Option<Score>,
}

/// A run of the body and the sought terms in it.
struct Fragment {
    score: Score,
    start: usize,
    stop: usize,
    marks: Vec<Range<usize>>,
}

impl Fragment {
    fn new(start: usize) -> Fragment {
        Fragment {
            score: 0.0,
            start,
            stop: start,
            marks: Vec::new(),
        }
    }
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
        Ok(Snippets {
            keys: TermKeys::new(weights.keys().map(String::as_str)),
            skipped_weight: weights.get("").copied(),
            weights,
        })
    }

    /// The snippet of one hit; the start of the body when no term matched it.
    pub fn for_body(&self, body: &str) -> String {
        // Huge sections are cut before highlighting: the snippet comes from
        // their first part, and a 50 MB section costs no more than 64 KiB.
        let mut end = body.len().min(MAX_HIGHLIGHTED_BYTES);
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        let text = &body[..end];
        if let Some(best) = self.best_fragment(text) {
            let html = render(text, &best);
            if !html.trim().is_empty() {
                return html;
            }
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

    /// The first of the highest-scoring fragments holding a sought term.
    fn best_fragment(&self, text: &str) -> Option<Fragment> {
        let mut best: Option<Fragment> = None;
        let mut keep = |fragment: Fragment| {
            if fragment.score > 0.0 && best.as_ref().is_none_or(|b| fragment.score > b.score) {
                best = Some(fragment);
            }
        };
        let mut fragment = Fragment::new(0);
        each_keyed_term(text, &self.keys, |term, start, end| {
            // As tantivy's generator computes it (offsets never decrease).
            if end.wrapping_sub(fragment.start) > SNIPPET_CHARS {
                keep(std::mem::replace(&mut fragment, Fragment::new(start)));
            }
            fragment.stop = end;
            if let Some(weight) = self.weight(term) {
                fragment.score += weight;
                fragment.marks.push(start..end);
            }
        });
        keep(fragment);
        best
    }

    /// The weight of a term found in the text (matched in lower case).
    fn weight(&self, term: &str) -> Option<Score> {
        if term.is_empty() {
            // A skipped word.
            return self.skipped_weight;
        }
        // The analyser lowercases, so terms rarely need it here.
        if term
            .chars()
            .any(|c| !c.to_lowercase().eq(std::iter::once(c)))
        {
            self.weights.get(&term.to_lowercase()).copied()
        } else {
            self.weights.get(term).copied()
        }
    }
}

/// The fragment's text, HTML-escaped, with its marks.
fn render(text: &str, fragment: &Fragment) -> String {
    let piece = &text[fragment.start..fragment.stop];
    let marks: Vec<Range<usize>> = fragment
        .marks
        .iter()
        .map(|mark| mark.start - fragment.start..mark.end - fragment.start)
        .collect();
    let mut html = String::with_capacity(piece.len() + 32);
    let mut from = 0;
    for mark in collapse_overlapped_ranges(&marks) {
        escape_into(&piece[from..mark.start], &mut html);
        html.push_str("<mark>");
        escape_into(&piece[mark.clone()], &mut html);
        html.push_str("</mark>");
        from = mark.end;
    }
    escape_into(&piece[from..], &mut html);
    html
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped (the entities tantivy's
/// snippets use).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html("<script>&\"'"),
            "&lt;script&gt;&amp;&quot;&#x27;"
        );
    }
}
