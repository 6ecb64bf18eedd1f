//! Normalisation of a word before it is stemmed or kept as a code:
//! lowercase, `ё`→`е`, and characters that do not change a word dropped.

/// Lowercases and folds `ё` to `е`; drops apostrophes, soft hyphens and
/// combining diaeresis after `е`.
pub fn normalize_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

/// [`normalize_word`] into a reused buffer.
pub(super) fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        // The only ignored ASCII character is the apostrophe.
        out.extend(
            word.bytes()
                .filter(|&b| b != b'\'')
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return;
    }
    for c in word.chars() {
        push_normalized(c, out);
    }
}

/// Appends the normalised form of `c` (nothing for ignored characters).
#[inline]
fn push_normalized(c: char, out: &mut String) {
    match c {
        'ё' | 'Ё' => out.push('е'),
        '\u{0308}' if out.ends_with('е') => {}
        '\'' | '’' | '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => {}
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        // Basic Cyrillic capitals: one fixed offset (most of the Russian text).
        'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
        'а'..='я' => out.push(c),
        c => out.extend(c.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_normalisation_equals_unicode_lowercasing() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let mut fast = String::new();
            push_normalized(c, &mut fast);
            let plain: String = match c {
                'ё' | 'Ё' => "е".to_string(),
                '\'' | '’' | '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => {
                    String::new()
                }
                '\u{0308}' => "\u{0308}".to_string(),
                c => c.to_lowercase().collect(),
            };
            assert_eq!(fast, plain, "{c:?}");
        }
        for word in ["Don't", "HTTP_404", "ЁЖИК", "Straße", "x'Y'z"] {
            let mut general = String::new();
            for c in word.chars() {
                push_normalized(c, &mut general);
            }
            assert_eq!(normalize_word(word), general, "{word}");
        }
    }
}
