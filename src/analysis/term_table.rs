//! A text's terms packed for highlighting: for every term, in order, the
//! span of the word it came from and a 16-bit hash of the term. The table
//! is made once, when a section is indexed, so a snippet finds the query's
//! terms in a hit by comparing hashes instead of analysing its body.
//!
//! A hash only says where a term may be: a match is confirmed by analysing
//! that one word again ([`word_terms`]), so a collision never marks a
//! wrong word.
//!
//! Layout: per term, the LEB128 varints `start − previous start` and
//! `end − start`, then the hash as two little-endian bytes. Terms of one
//! word (an identifier and its parts) share its span.

use super::terms::{analyze_word, each_term, Scratch};
use crate::text::prefix_within;

/// Bytes of a text that are highlighted; the table covers only these (a
/// 50 MB section costs no more than its first 64 KiB).
pub const HIGHLIGHTED_BYTES: usize = 64 * 1024;

/// The part of `text` that is highlighted: its first [`HIGHLIGHTED_BYTES`],
/// cut at a character boundary.
pub fn highlighted_part(text: &str) -> &str {
    prefix_within(text, HIGHLIGHTED_BYTES)
}

/// The term table of [`highlighted_part`]`(text)`.
pub fn term_table(text: &str) -> Vec<u8> {
    let text = highlighted_part(text);
    let mut table = Vec::with_capacity(text.len() / 2);
    let mut previous_start = 0;
    each_term(text, &mut |term| {
        push_varint(&mut table, (term.start - previous_start) as u32);
        push_varint(&mut table, (term.end - term.start) as u32);
        table.extend_from_slice(&term_hash(term.text).to_le_bytes());
        previous_start = term.start;
    });
    table
}

/// The hash a term table keeps of `term`.
pub fn term_hash(term: &str) -> u16 {
    // FNV-1a folded to 16 bits: terms are short, and a collision only
    // costs one word's analysis.
    let mut hash: u32 = 0x811c_9dc5;
    for byte in term.bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    (hash >> 16) as u16 ^ hash as u16
}

/// One entry of a term table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableTerm {
    pub hash: u16,
    /// Byte span of the term's word in the text.
    pub start: usize,
    pub end: usize,
    /// Which of its word's terms this is (0 for the first).
    pub nth: usize,
}

/// Calls `f` with every entry of `table`, a table of `text`, in order.
/// Returns `false`, having stopped, at an entry that is malformed or whose
/// span is not a piece of `text` (a table written for another text).
pub fn each_table_term(table: &[u8], text: &str, mut f: impl FnMut(TableTerm)) -> bool {
    let mut at = 0;
    let (mut start, mut previous_end, mut nth) = (0usize, usize::MAX, 0usize);
    while at < table.len() {
        let (Some(delta), Some(length)) =
            (read_varint(table, &mut at), read_varint(table, &mut at))
        else {
            return false;
        };
        let Some(hash) = table.get(at..at + 2) else {
            return false;
        };
        at += 2;
        let previous_start = start;
        start += delta as usize;
        let end = start + length as usize;
        if end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return false;
        }
        nth = if start == previous_start && end == previous_end {
            nth + 1
        } else {
            0
        };
        previous_end = end;
        f(TableTerm {
            hash: u16::from_le_bytes([hash[0], hash[1]]),
            start,
            end,
            nth,
        });
    }
    true
}

/// Calls `f` with the terms of one word of a text (a span of a term
/// table), in the order the table lists them.
pub fn word_terms(word: &str, mut f: impl FnMut(&str)) {
    let mut position = 0;
    analyze_word(
        word,
        0,
        &mut position,
        &mut Scratch::default(),
        &mut |term| f(term.text),
    );
}

fn push_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut value = 0u32;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u32::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;

    /// The table lists exactly the terms of the analysis, with their spans,
    /// and each span's word analyses again to the same terms.
    #[test]
    fn the_table_lists_the_analysis() {
        let text =
            "Ошибка 0x80070005 при входе: login.contoso.com, UserErrorGuestAgentStatusUnavailable \
                    — dying certificates’ «ёлки» ERROR_DISK_FULL 5.1.1";
        let table = term_table(text);
        let mut listed = Vec::new();
        assert!(each_table_term(&table, text, |t| listed.push(t)));
        let terms = analyze(text);
        assert_eq!(listed.len(), terms.len());
        for (entry, term) in listed.iter().zip(&terms) {
            assert_eq!((entry.start, entry.end), (term.start, term.end));
            assert_eq!(entry.hash, term_hash(&term.text));
            let mut again = Vec::new();
            word_terms(&text[entry.start..entry.end], |t| again.push(t.to_string()));
            assert_eq!(again[entry.nth], term.text, "{entry:?}");
        }
        assert!(listed.iter().any(|t| t.nth > 0), "an identifier has parts");
    }

    #[test]
    fn only_the_highlighted_part_is_listed() {
        let text = "слово ".repeat(HIGHLIGHTED_BYTES / 4);
        let table = term_table(&text);
        let mut last_end = 0;
        assert!(each_table_term(&table, &text, |t| last_end = t.end));
        assert!(last_end <= HIGHLIGHTED_BYTES && last_end > HIGHLIGHTED_BYTES - 16);
        assert!(highlighted_part(&text).len() <= HIGHLIGHTED_BYTES);
    }

    /// A table that does not fit its text, or is cut short, is refused
    /// instead of giving spans outside the text.
    #[test]
    fn a_table_of_another_text_is_refused() {
        let table = term_table("a long enough sentence of words");
        assert!(!each_table_term(&table, "short", |_| {}));
        assert!(!each_table_term(
            &table[..table.len() - 1],
            "a long enough sentence of words",
            |_| {}
        ));
        assert!(!each_table_term(
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            "text",
            |_| {}
        ));
        // A span of two bytes that would cut a Cyrillic letter in half.
        assert!(!each_table_term(&term_table("ab"), "aж", |_| {}));
    }
}
