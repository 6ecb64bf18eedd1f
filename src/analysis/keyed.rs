//! Analysis for finding given terms in a text (highlighting): a word is
//! only stemmed when it can give one of the terms sought.

use super::chars::is_code_like;
use super::normalize::normalized_prefix;
use super::segment::each_word;
use super::terms::{analyze_word, Scratch, Term, TermRef};

/// The starts of the terms sought in a text: the first two
/// characters of each, packed into numbers and sorted once.
#[derive(Debug, Clone, Default)]
pub struct TermKeys(Vec<u64>);

impl TermKeys {
    /// The keys of `terms` (analysed terms).
    pub fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> TermKeys {
        let mut keys: Vec<u64> = terms.into_iter().map(pack_key).collect();
        keys.sort_unstable();
        keys.dedup();
        TermKeys(keys)
    }

    /// Whether a word whose normalised form starts with `prefix` (its first
    /// two characters) can give a sought term: a term starts with
    /// the prefix, or is the prefix's first character alone.
    fn may_start(&self, prefix: &str) -> bool {
        let one = prefix.chars().next().map_or(0, char::len_utf8);
        self.0.binary_search(&pack_key(prefix)).is_ok()
            || self.0.binary_search(&pack_key(&prefix[..one])).is_ok()
    }
}

/// [`analyze`](super::analyze) for finding given terms in a text
/// (highlighting): a plain word is only stemmed when its normalised form
/// starts like one of the terms `keys` was made of. A stem keeps the start
/// of its word, so a skipped word cannot give a sought term (save rare
/// irregular English forms such as «dying» → «die», which then go
/// unmarked). Code-like and dotted words, whose parts are terms too, are
/// always analysed. A skipped word gives an empty term.
pub fn analyze_for_keys(text: &str, keys: &TermKeys) -> Vec<Term> {
    let mut terms = Vec::new();
    keyed_terms(text, keys, &mut |term| terms.push(term.to_term()));
    terms
}

/// Calls `f(text, start, end)` with each term [`analyze_for_keys`] finds,
/// without copying it (`text` is empty for a skipped word).
pub fn each_keyed_term(text: &str, keys: &TermKeys, mut f: impl FnMut(&str, usize, usize)) {
    keyed_terms(text, keys, &mut |term| f(term.text, term.start, term.end));
}

fn keyed_terms(text: &str, keys: &TermKeys, emit: &mut dyn FnMut(TermRef<'_>)) {
    let mut position = 0;
    let mut prefix = String::new();
    let mut scratch = Scratch::default();
    each_word(text, |start, word| {
        normalized_prefix(word, KEY_CHARS, &mut prefix);
        let may_hold = keys.may_start(&prefix) || is_code_like(word) || word.contains(['.', ':']);
        if may_hold {
            analyze_word(word, start, &mut position, &mut scratch, emit);
        } else {
            // An empty term: matches nothing, but keeps the word in the
            // text (a snippet fragment ends at its last token).
            emit(TermRef {
                text: "",
                start,
                end: start + word.len(),
                position,
                is_code: false,
            });
            position += 1;
        }
    });
}

/// The first [`KEY_CHARS`] characters of `text` as one number (each
/// character plus one, so that a one-character key differs from every
/// two-character one).
fn pack_key(text: &str) -> u64 {
    let mut chars = text.chars().map(|c| u64::from(c) + 1);
    let first = chars.next().unwrap_or(0);
    let second = chars.next().unwrap_or(0);
    (first << 32) | second
}

/// Characters of a term that [`analyze_for_keys`] looks for.
const KEY_CHARS: usize = 2;
