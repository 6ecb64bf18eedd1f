//! Snippets: a short piece of the section body, HTML-escaped, with matched
//! terms wrapped in `<mark>`.

use crate::analysis::{each_table_term, highlighted_part, term_hash, term_table, word_terms};
use crate::text::prefix_within;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::collapse_overlapped_ranges;
use tantivy::{Score, Searcher, Term};

/// Longest snippet fragment, in bytes of the body.
pub const SNIPPET_CHARS: usize = 220;

/// Snippets for the hits of one query.
///
/// The fragment chosen and its marks are those of tantivy's
/// `SnippetGenerator` with the index analyzer (test
/// `snippets_equal_those_of_the_full_analyzer`): the body is cut into
/// fragments of at most `SNIPPET_CHARS` bytes at word boundaries, each
/// scores the weights of the query terms it holds, and the first
/// best-scoring one is shown. Unlike the generator, the body is not
/// analysed: its term table, written when the section was indexed, lists
/// the terms and their words (see [`crate::analysis::term_table`]).
pub struct Snippets {
    /// Sought term → weight (rarer terms weigh more).
    weights: BTreeMap<String, Score>,
    /// The table hashes of the sought terms, sorted.
    hashes: Vec<u16>,
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
        let mut hashes: Vec<u16> = weights.keys().map(|t| term_hash(t)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        Ok(Snippets { weights, hashes })
    }

    /// The snippet of one hit, from its body and the body's term table;
    /// the start of the body when no term matched it. A table that does
    /// not fit the body (or none) is made again from the body.
    pub fn for_body(&self, body: &str, table: Option<&[u8]>) -> String {
        // Only the first part of a huge section is highlighted.
        let text = highlighted_part(body);
        let best = match table.and_then(|table| self.best_fragment(text, table)) {
            Some(best) => best,
            None => self.best_fragment(text, &term_table(text)).unwrap_or(None),
        };
        if let Some(best) = best {
            let html = render(text, &best);
            if !html.trim().is_empty() {
                return html;
            }
        }
        let start = prefix_within(body, SNIPPET_CHARS);
        let mut text = escape_html(start);
        if start.len() < body.len() {
            text.push('…');
        }
        text
    }

    /// The first of the highest-scoring fragments holding a sought term
    /// (`Some(None)` when there is none); `None` when `table` is not a
    /// table of `text`.
    fn best_fragment(&self, text: &str, table: &[u8]) -> Option<Option<Fragment>> {
        let mut best: Option<Fragment> = None;
        let mut keep = |fragment: Fragment| {
            if fragment.score > 0.0 && best.as_ref().is_none_or(|b| fragment.score > b.score) {
                best = Some(fragment);
            }
        };
        // Weights of the terms of each word whose hash matched, by word.
        let mut confirmed: HashMap<&str, Vec<Option<Score>>> = HashMap::new();
        let mut fragment = Fragment::new(0);
        let complete = each_table_term(table, text, |term| {
            // As tantivy's generator computes it (offsets never decrease).
            if term.end.wrapping_sub(fragment.start) > SNIPPET_CHARS {
                keep(std::mem::replace(&mut fragment, Fragment::new(term.start)));
            }
            fragment.stop = term.end;
            if self.hashes.binary_search(&term.hash).is_err() {
                return;
            }
            let word = &text[term.start..term.end];
            let weights = confirmed.entry(word).or_insert_with(|| {
                let mut weights = Vec::new();
                word_terms(word, |t| weights.push(self.weight(t)));
                weights
            });
            if let Some(weight) = weights.get(term.nth).copied().flatten() {
                fragment.score += weight;
                fragment.marks.push(term.start..term.end);
            }
        });
        if !complete {
            return None;
        }
        keep(fragment);
        Some(best)
    }

    /// The weight of a term found in the text (matched in lower case).
    fn weight(&self, term: &str) -> Option<Score> {
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

/// A snippet as plain text: its `<mark>` tags dropped and the entities of
/// [`escape_html`] turned back into their characters (`&amp;` last, so an
/// escaped entity stays as written).
pub fn plain_text(snippet: &str) -> String {
    snippet
        .replace("<mark>", "")
        .replace("</mark>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
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

    #[test]
    fn plain_text_undoes_escaping_and_marks() {
        let text = "the <proxy> & \"host\" 'x' &lt;";
        let snippet = format!("<mark>{}</mark>", escape_html(text));
        assert_eq!(plain_text(&snippet), text);
    }
}
