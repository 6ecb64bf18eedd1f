//! Search-as-you-type completions from titles, headings and codes, and
//! "did you mean" corrections from the same vocabulary.
//!
//! The list is written by the index build (`suggest.json` in the generation,
//! see [`crate::index::suggest_file`]) and loaded by a background thread
//! when the index opens, so opening a large index stays fast.

use super::analyse::fuzzy_distance;
use super::engine::Engine;
use crate::analysis::normalize_word;
use crate::index::suggest_file::fold;
pub use crate::index::suggest_file::{Suggestion, SuggestionKind, SUGGEST_FILE};
use crate::search::edit_automaton::EditAutomaton;
use crate::search::neighbours::Neighbours;

impl Engine {
    /// Up to `limit` completions for what the user has typed so far: entries
    /// containing every typed word; entries that start with the text first,
    /// codes before headings before titles, shorter first.
    pub fn suggest(&self, typed: &str, limit: usize) -> Vec<Suggestion> {
        let folded = fold(typed);
        if folded.chars().count() < 2 {
            return Vec::new();
        }
        let words: Vec<&str> = folded.split(' ').collect();
        let list = self.suggestions();
        // Each distinct text is matched once, then its entries are listed.
        const NO_MATCH: u8 = u8::MAX;
        let ranks: Vec<u8> = (0..list.distinct_texts())
            .map(|id| {
                let text = list.folded_text(id);
                if !words.iter().all(|w| text.contains(w)) {
                    NO_MATCH
                } else if text.starts_with(&folded) {
                    0
                } else if text.split(' ').any(|w| w.starts_with(words[0])) {
                    1
                } else {
                    2
                }
            })
            .collect();
        let mut matches: Vec<(u8, usize, usize)> = Vec::new();
        for (i, (text, kind)) in list.entry_texts().enumerate() {
            let rank = ranks[text];
            if rank == NO_MATCH {
                continue;
            }
            let kind = match kind {
                SuggestionKind::Code => 0,
                SuggestionKind::Heading => 1,
                SuggestionKind::Title => 2,
            };
            let length = list.folded_text(text).len();
            matches.push((rank * 3 + kind, length, i));
        }
        matches.sort_by_key(|m| (m.0, m.1, m.2));
        matches
            .into_iter()
            .take(limit)
            .map(|(_, _, i)| list.suggestion(i))
            .collect()
    }

    /// The query with each word the index does not know replaced by the
    /// closest title/heading word (within the fuzzy distance for its
    /// length, at least 1); `None` when nothing changes.
    pub fn did_you_mean(&self, query: &str, known: &dyn Fn(&str) -> bool) -> Option<String> {
        let vocabulary = self.suggestions().words();
        let mut changed = false;
        let words: Vec<String> = query
            .split_whitespace()
            .map(|word| {
                let lower = normalize_word(word);
                let terms = crate::analysis::analyze(&lower);
                if lower.chars().count() < 3 || terms.iter().all(|t| known(&t.text)) {
                    return word.to_string();
                }
                let allowed = fuzzy_distance(&lower).max(1);
                let best = closest_word(vocabulary, self.correction_words(), &lower, allowed);
                match best {
                    Some(v) => {
                        changed = true;
                        v
                    }
                    None => word.to_string(),
                }
            })
            .collect();
        changed.then(|| words.join(" "))
    }
}

/// The vocabulary word fewest edits from `word` (at most `allowed`), the
/// most frequent one on a tie, the first in byte order after that. Looked
/// up in `filed`, the same words filed by [`Neighbours`], when it serves
/// the word; else the map is walked, which finds the same word.
fn closest_word(
    vocabulary: Option<&tantivy_fst::Map<Vec<u8>>>,
    filed: Option<&Neighbours>,
    word: &str,
    allowed: u8,
) -> Option<String> {
    use tantivy_fst::{IntoStreamer, Streamer};
    let automaton = EditAutomaton::new(word, allowed);
    let mut best: Option<(u8, std::cmp::Reverse<u64>, String)> = None;
    // Candidates come in byte order: a later one must rank strictly better.
    let mut offer = |candidate: &str, count: u64, distance: u8| {
        let rank = (distance, std::cmp::Reverse(count));
        if best.as_ref().is_none_or(|(d, c, _)| rank < (*d, *c)) {
            best = Some((distance, std::cmp::Reverse(count), candidate.to_string()));
        }
    };
    match (
        filed.filter(|_| Neighbours::serves(word, allowed)),
        vocabulary,
    ) {
        (Some(filed), _) => filed.each_within(&automaton, word, offer),
        (None, Some(vocabulary)) => {
            let mut stream = vocabulary.search(&automaton).into_stream();
            while let Some((key, count)) = stream.next() {
                let Ok(candidate) = std::str::from_utf8(key) else {
                    continue;
                };
                if let Some(distance) = automaton.distance(candidate) {
                    offer(candidate, count, distance);
                }
            }
        }
        (None, None) => {}
    }
    best.map(|(_, _, word)| word)
}
