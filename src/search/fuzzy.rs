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
use std::collections::BTreeSet;
use std::sync::OnceLock;
use tantivy::query::{ConstScoreQuery, EmptyQuery, Query, TermSetQuery};
use tantivy::schema::Field;
use tantivy::{Searcher, Term};
use tantivy_fst::Automaton;

/// Largest edit distance supported.
pub const MAX_DISTANCE: u8 = 2;

/// Most index words one typo stands for; the rest are dropped (a short
/// word two edits from hundreds of words is noise, not a typo).
const MAX_VARIANTS: usize = 256;

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
/// byte order; empty when `distance` is 0.
pub fn variants(searcher: &Searcher, fields: &Fields, word: &str, distance: u8) -> Vec<String> {
    if distance == 0 {
        return Vec::new();
    }
    let automaton = LevenshteinDfa::new(word, distance);
    let mut found = BTreeSet::new();
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
                    found.insert(text.to_string());
                }
            }
        }
    }
    found.into_iter().take(MAX_VARIANTS).collect()
}

/// Sections with any of `variants` in `field`, all scored `1.0` (times the
/// boost around it), as a fuzzy term query scores.
pub fn query(field: Field, variants: &[String]) -> Box<dyn Query> {
    if variants.is_empty() {
        return Box::new(EmptyQuery);
    }
    let terms = variants.iter().map(|v| Term::from_field_text(field, v));
    Box::new(ConstScoreQuery::new(
        Box::new(TermSetQuery::new(terms)),
        1.0,
    ))
}

#[cfg(test)]
mod tests {
    use super::LevenshteinDfa;

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
