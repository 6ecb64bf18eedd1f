//! Typo tolerance: the index words a misspelt query word stands for.
//!
//! tantivy's `FuzzyTermQuery` builds a Levenshtein automaton and walks a
//! term dictionary with it every time a weight is made, for every field and
//! clause the word appears in (the scoring query has five fields per word,
//! the counting and coverage queries two more). Here the walk happens once
//! per query word, over the dictionaries of the combined section text and
//! the breadcrumbs; the words found then match like any set of terms.
//!
//! Every title, heading and body word is also a word of the combined `all`
//! field, so for each text field the set matches exactly the sections the
//! automaton would.

use crate::index::Fields;
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use tantivy::query::{AutomatonWeight, EmptyQuery, EnableScoring, Query, Weight};
use tantivy::schema::Field;
use tantivy::Searcher;
use tantivy_fst::Automaton;

/// Largest edit distance supported.
pub const MAX_DISTANCE: u8 = 2;

/// Most index words one typo stands for; past it the words found in the
/// most sections are kept (a word two edits from hundreds of others is
/// mostly noise, not a typo).
pub const MAX_VARIANTS: usize = 256;

/// The automaton builders (one per distance, transpositions count one edit).
/// Building one takes hundreds of milliseconds, so it happens once per
/// process, ahead of the first query ([`warm_up`]).
fn builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: [OnceLock<LevenshteinAutomatonBuilder>; MAX_DISTANCE as usize] =
        [OnceLock::new(), OnceLock::new()];
    let distance = distance.clamp(1, MAX_DISTANCE);
    BUILDERS[usize::from(distance - 1)]
        .get_or_init(|| LevenshteinAutomatonBuilder::new(distance, true))
}

/// Builds the automaton tables in a background thread.
pub fn warm_up() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        let _ = std::thread::Builder::new()
            .name("fuzzy-warm-up".into())
            .spawn(|| {
                for distance in 1..=MAX_DISTANCE {
                    builder(distance);
                }
            });
    });
}

/// A Levenshtein automaton: the words within some edits of one word.
pub struct LevenshteinDfa(DFA);

impl LevenshteinDfa {
    /// The words within `distance` edits of `word` (1 or 2; transpositions
    /// count one edit).
    pub fn new(word: &str, distance: u8) -> LevenshteinDfa {
        LevenshteinDfa(builder(distance).build_dfa(word))
    }

    /// Edits from the automaton's word to `text`, when within its distance.
    pub fn distance(&self, text: &str) -> Option<u8> {
        match self.0.eval(text) {
            Distance::Exact(d) => Some(d),
            Distance::AtLeast(_) => None,
        }
    }
}

impl Automaton for LevenshteinDfa {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != levenshtein_automata::SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// The index words within `distance` edits of `word` (an analysed term), in
/// byte order; empty when `distance` is 0. Past [`MAX_VARIANTS`] the words
/// found in the most sections are kept.
pub fn variants(searcher: &Searcher, fields: &Fields, word: &str, distance: u8) -> Vec<String> {
    if distance == 0 {
        return Vec::new();
    }
    let automaton = LevenshteinDfa::new(word, distance);
    // Word → sections holding it (summed over segments and both fields).
    let mut found: BTreeMap<String, u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        for field in [fields.all, fields.breadcrumbs] {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(text) = std::str::from_utf8(stream.key()) {
                    let sections = u64::from(stream.value().doc_freq);
                    *found.entry(text.to_string()).or_default() += sections;
                }
            }
        }
    }
    let mut words: Vec<(String, u64)> = found.into_iter().collect();
    if words.len() > MAX_VARIANTS {
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        words.truncate(MAX_VARIANTS);
        words.sort_unstable();
    }
    words.into_iter().map(|(word, _)| word).collect()
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
    use super::{LevenshteinDfa, WordSet};
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

    #[test]
    fn distance_counts_edits_and_transpositions_as_one() {
        let one = LevenshteinDfa::new("certificate", 1);
        assert_eq!(one.distance("certificate"), Some(0));
        assert_eq!(one.distance("certifcate"), Some(1), "a deletion");
        assert_eq!(one.distance("certifciate"), Some(1), "a transposition");
        assert_eq!(one.distance("certifcat"), None, "two edits");
        let two = LevenshteinDfa::new("подключиться", 2);
        assert_eq!(two.distance("подключитса"), Some(2));
        assert_eq!(two.distance("подключение"), None);
    }
}
