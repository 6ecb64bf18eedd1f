//! What the characters of a word say about it: its script (which stemmer it
//! gets) and its shape (whether it is a code to keep whole).

use crate::text::{is_cyrillic, is_letter, is_letter_or_digit};

/// Script that decides which stemmer a word gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Cyrillic,
    Latin,
    Other,
}

/// The script of a word: the first alphabetic character decides.
pub fn script_of(word: &str) -> Script {
    for c in word.chars() {
        if is_cyrillic(c) {
            return Script::Cyrillic;
        }
        if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
            return Script::Latin;
        }
    }
    Script::Other
}

/// What the characters of a word say about it, found in one pass.
#[derive(Default)]
pub(super) struct Shape {
    pub(super) digit: bool,
    pub(super) letter: bool,
    pub(super) underscore: bool,
    /// An upper-case letter right after a lower-case one.
    pub(super) camel: bool,
}

impl Shape {
    pub(super) fn of(word: &str) -> Shape {
        let mut shape = Shape::default();
        let mut prev_lower = false;
        for c in word.chars() {
            let (upper, lower) = if c.is_ascii() {
                shape.digit |= c.is_ascii_digit();
                shape.letter |= c.is_ascii_alphabetic();
                shape.underscore |= c == '_';
                (c.is_ascii_uppercase(), c.is_ascii_lowercase())
            } else if matches!(c, 'а'..='я' | 'ё') {
                shape.letter = true;
                (false, true)
            } else if matches!(c, 'А'..='Я' | 'Ё') {
                shape.letter = true;
                (true, false)
            } else {
                shape.letter |= is_letter(c);
                (c.is_uppercase(), c.is_lowercase())
            };
            shape.camel |= upper && prev_lower;
            prev_lower = lower;
        }
        shape
    }

    /// Code-like words are kept whole: letters mixed with digits,
    /// underscores, or CamelCase with an inner capital.
    pub(super) fn is_code_like(&self) -> bool {
        (self.digit && self.letter) || self.underscore || self.camel
    }
}

pub(super) fn has_letter_or_digit(word: &str) -> bool {
    word.chars().any(is_letter_or_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_character_classes_equal_unicode_ones() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let alone = Shape::of(c.encode_utf8(&mut [0; 4]));
            assert_eq!(alone.letter, c.is_alphabetic(), "{c:?}");
            assert_eq!(alone.digit, c.is_ascii_digit(), "{c:?}");
            assert_eq!(Shape::of(&format!("{c}A")).camel, c.is_lowercase(), "{c:?}");
            assert_eq!(Shape::of(&format!("a{c}")).camel, c.is_uppercase(), "{c:?}");
        }
    }
}
