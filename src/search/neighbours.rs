//! A vocabulary indexed for typo look-ups: every word is filed under what
//! remains of it after deleting up to [`MAX_DISTANCE`] of its characters
//! (a deletion neighbourhood, as in SymSpell).
//!
//! Two words within `d` edits (insertions, deletions, substitutions, swaps
//! of neighbours) share a string made by deleting at most `d` characters
//! from each: a substitution or a swap deletes one character on both sides,
//! an insertion or a deletion one on one side. So the words filed under the
//! deletions of a query word are a superset of its neighbours, and checking
//! each with the [`EditAutomaton`] leaves exactly the words a walk of the
//! vocabulary with that automaton accepts — in microseconds instead of a
//! walk over a large part of the dictionary.

use super::edit_automaton::{EditAutomaton, MAX_DISTANCE};

/// Bits of a deletion's hash that pick its bucket.
const BUCKET_BITS: u32 = 16;

/// Words, each with a value (a count), filed under their deletions.
///
/// Only words with at most [`MAX_DISTANCE`] characters that are not
/// letters are filed: each such character costs a word of letters an edit.
/// Codes and numbers, most of a large vocabulary's long words, are left
/// out, so look-ups are for words that cannot reach them
/// ([`Neighbours::serves`]).
pub struct Neighbours {
    /// The words one after another, in byte order.
    text: String,
    /// Where each word ends in `text`.
    ends: Vec<u32>,
    values: Vec<u64>,
    /// `hash << 32 | word` for every deletion of every word, sorted.
    keys: Vec<u64>,
    /// Where the keys of each hash bucket start in `keys` (one more entry
    /// than buckets, the last `keys.len()`).
    buckets: Vec<u32>,
}

impl Neighbours {
    /// Files `words` (distinct, in byte order, with their values), those
    /// a word of letters can reach.
    pub fn build<'a>(words: impl IntoIterator<Item = (&'a str, u64)>) -> Neighbours {
        let words = words
            .into_iter()
            .filter(|(word, _)| non_letters(word) <= usize::from(MAX_DISTANCE));
        let mut text = String::new();
        let mut ends = Vec::new();
        let mut values = Vec::new();
        let mut keys = Vec::new();
        let mut chars = Vec::new();
        for (word, value) in words {
            let id = ends.len() as u64;
            debug_assert!(id < u64::from(u32::MAX));
            text.push_str(word);
            ends.push(text.len() as u32);
            values.push(value);
            chars.clear();
            chars.extend(word.chars());
            each_deletion_hash(&chars, MAX_DISTANCE, |hash| {
                keys.push(u64::from(hash) << 32 | id)
            });
        }
        keys.sort_unstable();
        keys.dedup();
        let mut buckets = Vec::with_capacity((1 << BUCKET_BITS) + 1);
        for bucket in 0..1u64 << BUCKET_BITS {
            let first_key = bucket << (64 - BUCKET_BITS);
            buckets.push(keys.partition_point(|&k| k < first_key) as u32);
        }
        buckets.push(keys.len() as u32);
        Neighbours {
            text,
            ends,
            values,
            keys,
            buckets,
        }
    }

    /// The words of a finite-state map (in byte order), each with its value.
    pub fn from_map(map: &tantivy_fst::Map<Vec<u8>>) -> Neighbours {
        use tantivy_fst::Streamer;
        let mut words: Vec<(String, u64)> = Vec::new();
        let mut stream = map.stream();
        while let Some((key, value)) = stream.next() {
            if let Ok(word) = std::str::from_utf8(key) {
                words.push((word.to_string(), value));
            }
        }
        Neighbours::build(words.iter().map(|(w, v)| (w.as_str(), *v)))
    }

    /// How many words are filed.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes held, roughly.
    pub fn bytes(&self) -> usize {
        self.text.len()
            + self.ends.len() * 4
            + self.values.len() * 8
            + self.keys.len() * 8
            + self.buckets.len() * 4
    }

    /// Whether look-ups for `word` within `distance` edits find every word
    /// within reach: such a word has at most `distance` more characters
    /// that are not letters than `word`, so it was filed when that is at
    /// most [`MAX_DISTANCE`].
    pub fn serves(word: &str, distance: u8) -> bool {
        non_letters(word) + usize::from(distance) <= usize::from(MAX_DISTANCE)
    }

    /// Calls `f(word, value, distance)` for every filed word `automaton`
    /// accepts, in byte order; `word` is the automaton's word, one that
    /// [`Neighbours::serves`] at its distance.
    pub fn each_within<'s>(
        &'s self,
        automaton: &EditAutomaton,
        word: &str,
        mut f: impl FnMut(&'s str, u64, u8),
    ) {
        let chars: Vec<char> = word.chars().collect();
        let mut ids: Vec<u32> = Vec::new();
        each_deletion_hash(&chars, automaton.max_distance(), |hash| {
            let bucket = (hash >> (32 - BUCKET_BITS)) as usize;
            let range =
                &self.keys[self.buckets[bucket] as usize..self.buckets[bucket + 1] as usize];
            let first = range.partition_point(|&k| ((k >> 32) as u32) < hash);
            ids.extend(
                range[first..]
                    .iter()
                    .take_while(|&&k| (k >> 32) as u32 == hash)
                    .map(|&k| k as u32),
            );
        });
        // Word ids follow byte order, so sorted ids visit words in order.
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            let candidate = self.word(id as usize);
            if let Some(distance) = automaton.distance(candidate) {
                f(candidate, self.values[id as usize], distance);
            }
        }
    }

    fn word(&self, id: usize) -> &str {
        let start = if id == 0 {
            0
        } else {
            self.ends[id - 1] as usize
        };
        &self.text[start..self.ends[id] as usize]
    }
}

fn non_letters(word: &str) -> usize {
    word.chars().filter(|c| !c.is_alphabetic()).count()
}

/// Calls `f` with the hash of every string made by deleting up to
/// `distance` (at most 2) characters of `chars` (the same string may come
/// more than once).
///
/// The hash is polynomial, so the hash of a string with one or two
/// characters left out comes from prefix hashes in constant time: a word
/// of 40 characters has 821 such strings.
fn each_deletion_hash(chars: &[char], distance: u8, mut f: impl FnMut(u32)) {
    let n = chars.len();
    // prefix[i]: hash of chars[..i]; power[i]: BASE^i.
    let mut prefix = Vec::with_capacity(n + 1);
    let mut power = Vec::with_capacity(n + 1);
    prefix.push(0u64);
    power.push(1u64);
    for (i, &c) in chars.iter().enumerate() {
        prefix.push(prefix[i].wrapping_mul(BASE).wrapping_add(u64::from(c) + 1));
        power.push(power[i].wrapping_mul(BASE));
    }
    // Hash of chars[from..to].
    let piece = |from: usize, to: usize| {
        prefix[to].wrapping_sub(prefix[from].wrapping_mul(power[to - from]))
    };
    // Hash of `left` followed by a piece of `length` characters hashing `right`.
    let join =
        |left: u64, right: u64, length: usize| left.wrapping_mul(power[length]).wrapping_add(right);
    f(finish(prefix[n]));
    if distance >= 1 {
        for (a, &left) in prefix[..n].iter().enumerate() {
            f(finish(join(left, piece(a + 1, n), n - a - 1)));
        }
    }
    if distance >= 2 {
        for (a, &left) in prefix[..n].iter().enumerate() {
            for b in a + 1..n {
                let middle = join(left, piece(a + 1, b), b - a - 1);
                f(finish(join(middle, piece(b + 1, n), n - b - 1)));
            }
        }
    }
}

/// An odd multiplier for the polynomial hash.
const BASE: u64 = 0x9e37_79b9_7f4a_7c15;

/// Mixes a polynomial hash down to 32 well-spread bits (the bucket is
/// taken from the top ones).
fn finish(hash: u64) -> u32 {
    let mut x = hash ^ (hash >> 33);
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    (x >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random words near each other over a small alphabet (Latin and
    /// Cyrillic letters, and whatever `more` adds), so that many are within
    /// two edits.
    fn vocabulary(count: usize, seed: u64, more: &str) -> Vec<String> {
        let alphabet: Vec<char> = "abcdeабвгд".chars().chain(more.chars()).collect();
        let mut seed = seed;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut words: Vec<String> = (0..count)
            .map(|_| {
                (0..1 + next(10))
                    .map(|_| alphabet[next(alphabet.len())])
                    .collect()
            })
            .collect();
        words.sort();
        words.dedup();
        words
    }

    /// The look-up finds exactly what testing every word with the
    /// automaton finds, in the same order, at both distances — the words
    /// left out for holding digits and dashes too — for every query word
    /// it serves (some with a digit or a dash).
    #[test]
    fn finds_exactly_the_words_the_automaton_accepts() {
        let words = vocabulary(3000, 0x9e37_79b9_7f4a_7c15, "12-");
        let filed = Neighbours::build(
            words
                .iter()
                .enumerate()
                .map(|(i, w)| (w.as_str(), i as u64)),
        );
        let unfiled = words.len() - filed.len();
        assert!(
            unfiled > 100,
            "words with three digits or dashes are left out: {unfiled}"
        );
        let queries = vocabulary(600, 0x2545_f491_4f6c_dd1d, "1-");
        let (mut found_some, mut served_with_non_letters) = (0, 0);
        for query in &queries {
            for distance in 1..=MAX_DISTANCE {
                if !Neighbours::serves(query, distance) {
                    continue;
                }
                served_with_non_letters += usize::from(!query.chars().all(char::is_alphabetic));
                let automaton = EditAutomaton::new(query, distance);
                let expected: Vec<(String, u64, u8)> = words
                    .iter()
                    .enumerate()
                    .filter_map(|(i, w)| automaton.distance(w).map(|d| (w.clone(), i as u64, d)))
                    .collect();
                let mut got = Vec::new();
                filed.each_within(&automaton, query, |w, v, d| got.push((w.to_string(), v, d)));
                assert_eq!(got, expected, "{query:?} within {distance}");
                found_some += usize::from(!got.is_empty());
            }
        }
        assert!(served_with_non_letters > 50, "{served_with_non_letters}");
        assert!(
            found_some > 200,
            "the test words are near each other: {found_some}"
        );
    }

    #[test]
    fn an_empty_vocabulary_finds_nothing() {
        let filed = Neighbours::build(std::iter::empty());
        assert!(filed.is_empty());
        let automaton = EditAutomaton::new("word", 2);
        filed.each_within(&automaton, "word", |w, _, _| panic!("found {w}"));
    }
}
