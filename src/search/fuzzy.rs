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
use super::seek_to;
use crate::index::Fields;
use std::collections::BTreeMap;
use std::sync::Arc;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EmptyQuery, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Score, Searcher, SegmentReader, TantivyError};
use tantivy_common::BitSet;

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
    match vocabulary.filter(|_| Neighbours::serves(word, distance)) {
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
    walk_words(searcher, field, automaton, None, found);
}

/// Adds the words of `field` that `automaton` accepts, within `range`
/// (from, up to) when given, with the sections holding each (summed over
/// segments), to `found`.
pub(crate) fn walk_words<A>(
    searcher: &Searcher,
    field: Field,
    automaton: &A,
    range: Option<(&[u8], &[u8])>,
    found: &mut BTreeMap<String, u64>,
) where
    A: tantivy_fst::Automaton,
    A::State: Clone,
{
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let mut words = inverted.terms().search(automaton);
        if let Some((from, to)) = range {
            words = words.ge(from).lt(to);
        }
        let Ok(mut stream) = words.into_stream() else {
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
    let mut words: Vec<String> = variants.to_vec();
    words.sort_unstable();
    words.dedup();
    Box::new(VariantsQuery {
        field,
        words: Arc::new(words),
    })
}

/// Matches the sections holding any of a few words in one field.
///
/// tantivy's `TermSetQuery` does the same but builds a finite-state
/// transducer for every weight, whose builder allocates far more than a
/// handful of words need: it was half the time of a typo query. Its
/// `AutomatonWeight` walks the whole dictionary with the words as an
/// automaton; here each word is looked up.
#[derive(Debug, Clone)]
struct VariantsQuery {
    field: Field,
    words: Arc<Vec<String>>,
}

impl Query for VariantsQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for VariantsQuery {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut sections = BitSet::with_max_value(reader.max_doc());
        let inverted = reader.inverted_index(self.field)?;
        for word in self.words.iter() {
            let Some(info) = inverted.terms().get(word)? else {
                continue;
            };
            let mut postings =
                inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
            while !postings.docs().is_empty() {
                for &doc in postings.docs() {
                    sections.insert(doc);
                }
                postings.advance();
            }
        }
        Ok(Box::new(ConstScorer::new(
            BitSetDocSet::from(sections),
            boost,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if seek_to(scorer.as_mut(), doc) == doc {
            Ok(Explanation::new("a word within the typo's distance", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "section {doc} holds none of the words"
            )))
        }
    }
}
