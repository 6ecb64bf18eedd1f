//! The words of a text: Unicode word segments (UAX #29) holding a letter or
//! digit, found without the general segmenter for plain words.

use super::chars::has_letter_or_digit;
use unicode_segmentation::UnicodeSegmentation;

/// Calls `f` with the Unicode word segments (UAX #29) of `text` that hold a
/// letter or digit, and their byte offsets.
///
/// Most of a text is plain words between spaces, and those are found
/// without the general segmenter: ASCII whitespace always ends a segment,
/// and a run of Latin or Cyrillic letters and ASCII digits, with only
/// opening or closing punctuation around it, is one segment. Any other run
/// goes to unicode-segmentation, with the whitespace character before it
/// (a combining mark at the start of a run belongs to that whitespace).
pub(super) fn each_word<'t>(text: &'t str, mut f: impl FnMut(usize, &'t str)) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if is_ascii_break(bytes[at]) {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && !is_ascii_break(bytes[at]) {
            at += 1;
        }
        if let Some((offset, core)) = plain_core(&text[start..at]) {
            f(start + offset, core);
            continue;
        }
        let from = if start > 0 { start - 1 } else { start };
        for (offset, word) in text[from..at].split_word_bound_indices() {
            if has_letter_or_digit(word) {
                f(from + offset, word);
            }
        }
    }
}

/// The word of `run` (text between whitespace) when it is plain letters and
/// digits with only enclosing punctuation before and after it, with its
/// offset in `run`.
fn plain_core(run: &str) -> Option<(usize, &str)> {
    let mut core: Option<(usize, usize)> = None;
    let mut closed = false;
    for (at, c) in run.char_indices() {
        if is_plain_letter_or_digit(c) {
            match &mut core {
                _ if closed => return None,
                Some((_, end)) => *end = at + c.len_utf8(),
                None => core = Some((at, at + c.len_utf8())),
            }
        } else if is_enclosing_punctuation(c) {
            closed |= core.is_some();
        } else {
            return None;
        }
    }
    core.map(|(start, end)| (start, &run[start..end]))
}

/// ASCII whitespace: space, tab, line feed, vertical tab, form feed and
/// carriage return. A word segment never spans one.
#[inline]
fn is_ascii_break(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Letters and digits that always join their neighbours of the same kind
/// into one word segment (UAX #29 ALetter and Numeric).
#[inline]
fn is_plain_letter_or_digit(c: char) -> bool {
    matches!(c, 'a'..='z' | 'A'..='Z' | '0'..='9' | 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё')
}

/// Punctuation that opens or closes a word between spaces and is a segment
/// of its own there (quotes, brackets, sentence punctuation).
#[inline]
fn is_enclosing_punctuation(c: char) -> bool {
    matches!(
        c,
        '(' | ')' | '[' | ']' | '"' | '\'' | '.' | ',' | ';' | ':' | '!' | '?' | '«' | '»'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`each_word`]'s segments of `text`.
    fn words_of(text: &str) -> Vec<(usize, &str)> {
        let mut words = Vec::new();
        each_word(text, |start, word| words.push((start, word)));
        words
    }

    /// The UAX #29 segments of `text` holding a letter or digit.
    fn general_words_of(text: &str) -> Vec<(usize, &str)> {
        text.split_word_bound_indices()
            .filter(|(_, word)| has_letter_or_digit(word))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn texts_split_as_the_general_segmenter_does(
            text in "[ \t\n\r\u{0b}\u{0c}\u{a0}\u{2028}\u{3000}aZ9_бЯёЁ.,;:!?'\"()\\[\\]«»’\u{301}\u{308}\u{ad}\u{200b}\u{200d}\u{feff}🇷🇺😀ß½٣a-cа-в0-2-]{0,40}"
        ) {
            proptest::prop_assert_eq!(words_of(&text), general_words_of(&text));
        }

        #[test]
        fn ascii_texts_split_as_the_general_segmenter_does(
            text in "[ -~\t\n\r\u{0b}\u{0c}]{0,40}|[a-c1-2 .,;:'_\r\n-]{0,40}"
        ) {
            proptest::prop_assert_eq!(words_of(&text), general_words_of(&text));
        }
    }
}
