//! Character and string helpers used by both indexing and searching: script
//! tests, white-space collapsing, edit distance. This module sits at the
//! bottom of the crate and imports nothing from it, so any layer may use it.

/// True for a character of the Cyrillic and Cyrillic Supplement blocks
/// (U+0400–U+052F).
pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

/// `char::is_alphabetic` with the letters of English and Russian answered
/// without the Unicode table lookup.
#[inline]
pub(crate) fn is_letter(c: char) -> bool {
    matches!(c, 'a'..='z' | 'A'..='Z' | 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё')
        || (!c.is_ascii() && c.is_alphabetic())
}

/// `char::is_alphanumeric`, with the same fast path as `is_letter`.
#[inline]
pub fn is_letter_or_digit(c: char) -> bool {
    c.is_ascii_digit() || is_letter(c) || (!c.is_ascii() && c.is_numeric())
}

/// Collapses runs of whitespace and drops the space the element boundaries
/// left before closing punctuation (`run it .` → `run it.`).
pub(crate) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < text.len() {
        let start = skip_whitespace(text, at);
        if start == text.len() {
            break;
        }
        let end = next_whitespace(text, start);
        let word = &text[start..end];
        if !out.is_empty() && !word.starts_with(['.', ',', ';', ':', '!', '?', ')']) {
            out.push(' ');
        }
        out.push_str(word);
        at = end;
    }
    out
}

/// Bytes that can start a white-space character: ASCII white space and the
/// lead bytes of the non-ASCII ones (U+0085, U+00A0, U+1680, U+2000…U+3000).
static MAY_START_WHITESPACE: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = [
        b' ', b'\t', b'\n', 0x0B, 0x0C, b'\r', 0xC2, 0xE1, 0xE2, 0xE3,
    ];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// The white-space character starting at byte `at`, if one does.
fn whitespace_at(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes()[at];
    if !MAY_START_WHITESPACE[usize::from(b)] {
        return None;
    }
    if b.is_ascii() {
        return Some(1);
    }
    let c = text[at..].chars().next()?;
    c.is_whitespace().then(|| c.len_utf8())
}

/// The first offset from `at` on that does not start a white-space
/// character (`text.len()` if none).
fn skip_whitespace(text: &str, mut at: usize) -> usize {
    while at < text.len() {
        match whitespace_at(text, at) {
            Some(len) => at += len,
            None => break,
        }
    }
    at
}

/// The first offset from `at` on that starts a white-space character
/// (`text.len()` if none). Only bytes that may start one are looked at; a
/// continuation byte never does.
fn next_whitespace(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(offset) = bytes[at..]
        .iter()
        .position(|&b| MAY_START_WHITESPACE[usize::from(b)])
    {
        let candidate = at + offset;
        if whitespace_at(text, candidate).is_some() {
            return candidate;
        }
        // A non-ASCII character that is not white space: skip it whole.
        at = candidate + text[candidate..].chars().next().map_or(1, char::len_utf8);
    }
    text.len()
}

/// The longest prefix of `text` of at most `max_bytes` bytes that ends at
/// a character boundary.
pub fn prefix_within(text: &str, max_bytes: usize) -> &str {
    let mut end = text.len().min(max_bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Levenshtein distance in characters when it is at most `max`; `None`
/// as soon as every continuation would exceed it.
pub fn edit_distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        if current.iter().min().is_some_and(|&least| least > max) {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&distance| distance <= max)
}

/// Levenshtein distance in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    edit_distance_within(a, b, usize::MAX).expect("no distance exceeds usize::MAX")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `collapse_whitespace` as first written: split, join, then drop the
    /// spaces before closing punctuation.
    fn collapse_by_joining(text: &str) -> String {
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut out = String::new();
        let mut chars = joined.chars().peekable();
        while let Some(c) = chars.next() {
            let closing = chars
                .peek()
                .is_some_and(|n| matches!(n, '.' | ',' | ';' | ':' | '!' | '?' | ')'));
            if !(c == ' ' && closing) {
                out.push(c);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn collapsing_equals_split_and_join(
            text in "[a-zя .,;:!?)(\t\n\r\u{0b}\u{0c}\u{85}\u{a0}\u{1680}\u{2000}\u{200a}\u{200b}\u{2028}\u{202f}\u{205f}\u{3000}\u{e9}\u{2014}\u{ab}\u{3001}]{0,40}"
        ) {
            proptest::prop_assert_eq!(collapse_whitespace(&text), collapse_by_joining(&text));
        }
    }

    #[test]
    fn fast_character_classes_equal_unicode_ones() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_letter_or_digit(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("34513", "34513"), 0);
        assert_eq!(edit_distance("34513", "34514"), 1);
        assert_eq!(edit_distance("ошибка", "ошибки"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        for (a, b) in [
            ("certificate", "certifcate"),
            ("ошибка", "ошибки"),
            ("proxy", "proxies"),
            ("abc", "xyz"),
            ("", "ab"),
            ("кластер", "cluster"),
        ] {
            for max in 0..4 {
                let full = edit_distance(a, b);
                assert_eq!(
                    edit_distance_within(a, b, max),
                    (full <= max).then_some(full),
                    "{a} {b} {max}"
                );
            }
        }
    }
}
