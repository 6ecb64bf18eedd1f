//! The edit distance between a word and the words of a vocabulary, as an
//! automaton that a finite-state dictionary can be walked with and that
//! checks single words.

use tantivy_fst::Automaton;

/// Largest edit distance supported.
pub const MAX_DISTANCE: u8 = 2;

/// Cells of the edit-distance table kept per row: only the diagonal band
/// of width `2 × MAX_DISTANCE + 1` can hold a distance within the limit.
const BAND: usize = 2 * MAX_DISTANCE as usize + 1;

/// The words within a few edits of one word (insertions, deletions,
/// substitutions, and swaps of two neighbouring characters, each counting
/// one; characters, not bytes), walked lazily: a state is the diagonal band
/// of the last two rows of the edit-distance table, so nothing is built
/// before the walk and a state is a few bytes.
///
/// A Levenshtein DFA (the `levenshtein_automata` crate) answers the same,
/// but building one for a word allocates a 1 KiB table per state; for a
/// query of a few misspelt words that build was most of the search time.
pub struct EditAutomaton {
    word: Vec<char>,
    distance: u8,
}

/// Where an [`EditAutomaton`] is after some bytes of a candidate word.
#[derive(Clone, Copy)]
pub struct EditState {
    /// Characters read.
    read: u32,
    /// Edits between the characters read and the word's prefixes of
    /// `read - MAX_DISTANCE ..= read + MAX_DISTANCE` characters, capped at
    /// `distance + 1`; `rows[1]` is the row before (for swaps).
    rows: [[u8; BAND]; 2],
    previous_char: Option<char>,
    /// The bytes of a character not complete yet.
    pending: [u8; 4],
    pending_len: u8,
}

impl EditAutomaton {
    /// The words within `distance` edits of `word` (`distance` at most
    /// [`MAX_DISTANCE`]).
    pub fn new(word: &str, distance: u8) -> EditAutomaton {
        EditAutomaton {
            word: word.chars().collect(),
            distance: distance.min(MAX_DISTANCE),
        }
    }

    /// The largest edit distance accepted.
    pub fn max_distance(&self) -> u8 {
        self.distance
    }

    /// Edits from the automaton's word to `text`, when within its distance.
    pub fn distance(&self, text: &str) -> Option<u8> {
        let mut state = self.start();
        for byte in text.bytes() {
            if !self.can_match(&state) {
                return None;
            }
            state = self.accept(&state, byte);
        }
        self.final_distance(&state)
    }

    /// The band cell of row `read` that holds the prefix of `j` characters.
    fn cell(read: u32, j: usize) -> Option<usize> {
        let k = j as i64 - i64::from(read) + i64::from(MAX_DISTANCE);
        (0..BAND as i64).contains(&k).then_some(k as usize)
    }

    fn final_distance(&self, state: &EditState) -> Option<u8> {
        let d = state.rows[0][Self::cell(state.read, self.word.len())?];
        (state.pending_len == 0 && d <= self.distance).then_some(d)
    }

    /// The band of the next row after reading `c`.
    fn step(&self, state: &EditState, c: char) -> [u8; BAND] {
        let cap = self.distance + 1;
        let (row, before) = (&state.rows[0], &state.rows[1]);
        let read = state.read + 1;
        let mut next = [cap; BAND];
        for k in 0..BAND {
            // Cell k of row `read` is the prefix of j characters; in row
            // `read - 1` prefix j sits at cell k + 1 and prefix j - 1 at k,
            // in row `read - 2` prefix j - 2 sits at k.
            let j = i64::from(read) + k as i64 - i64::from(MAX_DISTANCE);
            if j < 0 || j > self.word.len() as i64 {
                continue;
            }
            let j = j as usize;
            if j == 0 {
                next[k] = u8::try_from(read).unwrap_or(u8::MAX).min(cap);
                continue;
            }
            let wc = self.word[j - 1];
            let mut best = row[k] + u8::from(wc != c);
            if k + 1 < BAND {
                best = best.min(row[k + 1] + 1);
            }
            if k > 0 {
                best = best.min(next[k - 1] + 1);
            }
            if j >= 2 && c == self.word[j - 2] && state.previous_char == Some(wc) {
                best = best.min(before[k] + 1);
            }
            next[k] = best.min(cap);
        }
        next
    }
}

impl Automaton for EditAutomaton {
    type State = EditState;

    fn start(&self) -> EditState {
        let cap = self.distance + 1;
        let mut first = [cap; BAND];
        for j in 0..=self.word.len().min(usize::from(MAX_DISTANCE)) {
            first[j + usize::from(MAX_DISTANCE)] = (j as u8).min(cap);
        }
        EditState {
            read: 0,
            rows: [first, [cap; BAND]],
            previous_char: None,
            pending: [0; 4],
            pending_len: 0,
        }
    }

    fn is_match(&self, state: &EditState) -> bool {
        self.final_distance(state).is_some()
    }

    fn can_match(&self, state: &EditState) -> bool {
        // Appending the rest of the word costs nothing, and no later row
        // gets below the least of this one.
        state.rows[0].iter().any(|&d| d <= self.distance)
    }

    fn accept(&self, state: &EditState, byte: u8) -> EditState {
        let mut next = *state;
        next.pending[usize::from(next.pending_len)] = byte;
        next.pending_len += 1;
        let c = match utf8_char(&next.pending[..usize::from(next.pending_len)]) {
            Utf8::Char(c) => c,
            Utf8::Incomplete => return next,
            // Not UTF-8 (index words always are): a character no word has.
            Utf8::Invalid => char::REPLACEMENT_CHARACTER,
        };
        next.rows = [self.step(state, c), state.rows[0]];
        next.read = state.read + 1;
        next.previous_char = Some(c);
        next.pending_len = 0;
        next
    }
}

/// What the bytes of a character read so far make.
enum Utf8 {
    Char(char),
    Incomplete,
    Invalid,
}

/// Decodes one character from its first 1–4 bytes (the automaton reads
/// words a byte at a time; `str::from_utf8` on each prefix cost more than
/// the edit-distance step itself).
fn utf8_char(bytes: &[u8]) -> Utf8 {
    let first = bytes[0];
    let (length, initial) = match first {
        0x00..=0x7f => return Utf8::Char(char::from(first)),
        0xc2..=0xdf => (2, u32::from(first & 0x1f)),
        0xe0..=0xef => (3, u32::from(first & 0x0f)),
        0xf0..=0xf4 => (4, u32::from(first & 0x07)),
        _ => return Utf8::Invalid,
    };
    // The second byte's range rules out overlong forms and surrogates as
    // soon as it is read, as `str::from_utf8` does.
    let second = match first {
        0xe0 => 0xa0..=0xbf,
        0xed => 0x80..=0x9f,
        0xf0 => 0x90..=0xbf,
        0xf4 => 0x80..=0x8f,
        _ => 0x80..=0xbf,
    };
    if bytes.len() > 1 && !second.contains(&bytes[1]) {
        return Utf8::Invalid;
    }
    if bytes.len() < length {
        return if bytes[1..].iter().all(|b| b & 0xc0 == 0x80) {
            Utf8::Incomplete
        } else {
            Utf8::Invalid
        };
    }
    let mut code = initial;
    for &b in &bytes[1..] {
        if b & 0xc0 != 0x80 {
            return Utf8::Invalid;
        }
        code = (code << 6) | u32::from(b & 0x3f);
    }
    // Overlong forms and surrogates are rejected as `str` rejects them.
    let shortest = match length {
        2 => 0x80,
        3 => 0x800,
        _ => 0x10000,
    };
    match char::from_u32(code) {
        Some(c) if code >= shortest => Utf8::Char(c),
        _ => Utf8::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::EditAutomaton;

    /// The byte-at-a-time decoder agrees with `str::from_utf8` on every
    /// one-, two- and three-byte sequence (and on four-byte ones sampled).
    #[test]
    fn characters_decode_as_std_decodes_them() {
        use super::{utf8_char, Utf8};
        let check = |bytes: &[u8]| {
            let ours = match utf8_char(bytes) {
                Utf8::Char(c) => Some(Some(c)),
                Utf8::Incomplete => Some(None),
                Utf8::Invalid => None,
            };
            let std = match std::str::from_utf8(bytes) {
                Ok(text) => Some(text.chars().next()),
                Err(e) if e.error_len().is_none() => Some(None),
                Err(_) => None,
            };
            // The automaton hands over the bytes of one character only.
            let length = match bytes[0] {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            if bytes.len() > length {
                return;
            }
            assert_eq!(ours, std, "{bytes:x?}");
        };
        for a in 0..=255u8 {
            check(&[a]);
            for b in 0..=255u8 {
                check(&[a, b]);
                if a >= 0xe0 {
                    for c in (0..=255u8).step_by(7) {
                        check(&[a, b, c]);
                        if a >= 0xf0 {
                            check(&[a, b, c, 0x80 | (c & 0x3f)]);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn distance_counts_edits_and_transpositions_as_one() {
        let one = EditAutomaton::new("certificate", 1);
        assert_eq!(one.distance("certificate"), Some(0));
        assert_eq!(one.distance("certifcate"), Some(1), "a deletion");
        assert_eq!(one.distance("certifciate"), Some(1), "a transposition");
        assert_eq!(one.distance("certifcat"), None, "two edits");
        let two = EditAutomaton::new("подключиться", 2);
        assert_eq!(two.distance("подключитса"), Some(2));
        assert_eq!(two.distance("подключение"), None);
        let long = "usererrortargetfilesharequotanotsufficient";
        let misspelt = long.replace("quota", "qouta");
        assert_eq!(EditAutomaton::new(long, 2).distance(&misspelt), Some(1));
    }

    /// The lazy automaton accepts exactly the words the Levenshtein DFA of
    /// the `levenshtein_automata` crate accepts (with transpositions), at the
    /// same distance, over Latin and Cyrillic words near each other.
    #[test]
    fn same_distances_as_the_levenshtein_dfa() {
        use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder};
        let builders = [
            LevenshteinAutomatonBuilder::new(1, true),
            LevenshteinAutomatonBuilder::new(2, true),
        ];
        let alphabet: Vec<char> = "abcdeабвгдё".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut compared = 0;
        for _ in 0..3000 {
            let word: String = (0..next(12))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let mut other: Vec<char> = word.chars().collect();
            for _ in 0..next(4) {
                let at = next(other.len() + 1);
                match next(4) {
                    0 if at < other.len() => {
                        other.remove(at);
                    }
                    1 => other.insert(at, alphabet[next(alphabet.len())]),
                    2 if at + 1 < other.len() => other.swap(at, at + 1),
                    _ if at < other.len() => other[at] = alphabet[next(alphabet.len())],
                    _ => {}
                }
            }
            let other: String = other.into_iter().collect();
            for distance in 1..=2u8 {
                let dfa = builders[usize::from(distance - 1)].build_dfa(&word);
                let expected = match dfa.eval(&other) {
                    Distance::Exact(d) => Some(d),
                    Distance::AtLeast(_) => None,
                };
                let ours = EditAutomaton::new(&word, distance);
                assert_eq!(
                    ours.distance(&other),
                    expected,
                    "{word:?} → {other:?} within {distance}"
                );
                compared += 1;
            }
        }
        assert_eq!(compared, 6000);
    }
}
