//! Typo tolerance: the index words a misspelt query word stands for.
//!
//! tantivy's `FuzzyTermQuery` builds a Levenshtein automaton and walks a
//! term dictionary with it every time a weight is made, for every field and
//! clause the word appears in (the scoring query has five fields per word,
//! the counting and coverage queries two more). Here the words are found
//! once per query word, in the combined section text's vocabulary filed by
//! [`Neighbours`] (a walk of its dictionary until that is built); the words
//! found then match like any set of terms.
//!
//! Every title, heading and body word is also a word of the combined `all`
//! field, so for each text field the set matches exactly the sections the
//! automaton would.

use super::edit_automaton::EditAutomaton;
pub use super::edit_automaton::MAX_DISTANCE;
use super::neighbours::Neighbours;
use crate::index::Fields;
use std::collections::BTreeMap;
use std::sync::Arc;
use tantivy::query::{AutomatonWeight, EmptyQuery, EnableScoring, Query, Weight};
use tantivy::schema::Field;
use tantivy::Searcher;
use tantivy_fst::Automaton;

/// Most index words one typo stands for; past it the words found in the
/// most sections are kept (a word two edits from hundreds of others is
/// mostly noise, not a typo).
pub const MAX_VARIANTS: usize = 256;

/// The index words within `distance` edits of `word` (an analysed term), in
/// byte order; empty when `distance` is 0. Past [`MAX_VARIANTS`] the words
/// found in the most sections are kept.
///
/// `vocabulary` is the combined field's words filed by [`Neighbours`]; until
/// it is built the term dictionaries are walked, which finds the same words.
pub fn variants(
    searcher: &Searcher,
    fields: &Fields,
    vocabulary: Option<&Neighbours>,
    word: &str,
    distance: u8,
) -> Vec<String> {
    if distance == 0 {
        return Vec::new();
    }
    let automaton = EditAutomaton::new(word, distance);
    // Word → sections holding it (summed over segments and both fields).
    // Breadcrumbs are the headings and titles of parent sections, whose
    // words are all in the combined field too: their walk adds no word, only
    // counts, which matter when there are too many words to keep them all.
    let mut found: BTreeMap<String, u64> = BTreeMap::new();
    match vocabulary.filter(|_| Neighbours::serves(word)) {
        Some(vocabulary) => vocabulary.each_within(&automaton, word, |text, sections, _| {
            found.insert(text.to_string(), sections);
        }),
        None => walk(searcher, fields.all, &automaton, &mut found),
    }
    if found.len() > MAX_VARIANTS {
        walk(searcher, fields.breadcrumbs, &automaton, &mut found);
    }
    let mut words: Vec<(String, u64)> = found.into_iter().collect();
    if words.len() > MAX_VARIANTS {
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        words.truncate(MAX_VARIANTS);
        words.sort_unstable();
    }
    words.into_iter().map(|(word, _)| word).collect()
}

/// The combined field's words with the sections holding each (summed over
/// segments), filed for [`variants`].
pub fn file_vocabulary(searcher: &Searcher, fields: &Fields) -> Neighbours {
    let mut words: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(fields.all) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().stream() else {
            continue;
        };
        while stream.advance() {
            *words.entry(stream.key().to_vec()).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    Neighbours::build(
        words
            .iter()
            .filter_map(|(word, sections)| Some((std::str::from_utf8(word).ok()?, *sections))),
    )
}

/// Adds the words of `field` that `automaton` accepts, with the sections
/// holding them, to `found`.
fn walk(
    searcher: &Searcher,
    field: Field,
    automaton: &EditAutomaton,
    found: &mut BTreeMap<String, u64>,
) {
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(text) = std::str::from_utf8(stream.key()) {
                *found.entry(text.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
}

/// Sections with any of `variants` in `field`, all scored `1.0` (times the
/// boost around it), as a fuzzy term query scores.
pub fn query(field: Field, variants: &[String]) -> Box<dyn Query> {
    if variants.is_empty() {
        return Box::new(EmptyQuery);
    }
    let mut words: Vec<Vec<u8>> = variants.iter().map(|v| v.as_bytes().to_vec()).collect();
    words.sort_unstable();
    words.dedup();
    Box::new(VariantsQuery {
        field,
        words: Arc::new(WordSet(words)),
    })
}

/// Matches the sections holding any of a few words in one field.
///
/// tantivy's `TermSetQuery` does the same but builds a finite-state
/// transducer for every weight, whose builder allocates far more than a
/// handful of words need: it was half the time of a typo query.
#[derive(Debug, Clone)]
struct VariantsQuery {
    field: Field,
    words: Arc<WordSet>,
}

impl Query for VariantsQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<WordSet>::new(
            self.field,
            self.words.clone(),
        )))
    }
}

/// Sorted distinct words, walked as an automaton: a state is the range of
/// words starting with the bytes read so far.
#[derive(Debug)]
struct WordSet(Vec<Vec<u8>>);

#[derive(Debug, Clone, Copy)]
struct WordRange {
    start: usize,
    end: usize,
    depth: usize,
}

impl Automaton for WordSet {
    type State = WordRange;

    fn start(&self) -> WordRange {
        WordRange {
            start: 0,
            end: self.0.len(),
            depth: 0,
        }
    }

    fn is_match(&self, state: &WordRange) -> bool {
        // Sorted: a word equal to the prefix read comes first in its range.
        state.start < state.end && self.0[state.start].len() == state.depth
    }

    fn can_match(&self, state: &WordRange) -> bool {
        state.start < state.end
    }

    fn accept(&self, state: &WordRange, byte: u8) -> WordRange {
        let range = &self.0[state.start..state.end];
        let at = |word: &Vec<u8>| word.get(state.depth).copied();
        let start = range.partition_point(|w| at(w) < Some(byte));
        let end = range.partition_point(|w| at(w) <= Some(byte));
        WordRange {
            start: state.start + start,
            end: state.start + end,
            depth: state.depth + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::WordSet;
    use tantivy_fst::Automaton;

    fn accepts(set: &WordSet, word: &str) -> bool {
        let mut state = set.start();
        for &byte in word.as_bytes() {
            if !set.can_match(&state) {
                return false;
            }
            state = set.accept(&state, byte);
        }
        set.is_match(&state)
    }

    #[test]
    fn word_set_accepts_exactly_its_words() {
        let words = ["cert", "certificate", "certify", "доступ", "a"];
        let mut sorted: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
        sorted.sort_unstable();
        let set = WordSet(sorted);
        for word in words {
            assert!(accepts(&set, word), "{word}");
        }
        for word in [
            "",
            "cer",
            "certificates",
            "certifi",
            "b",
            "досту",
            "доступы",
        ] {
            assert!(!accepts(&set, word), "{word}");
        }
    }
}
