//! Wrong keyboard layout: Russian typed with the English layout active
//! (`jib,rf` → `ошибка`) and English typed with the Russian one (`куыефке` →
//! `restart`). Keys are mapped by their position on ЙЦУКЕН / QWERTY.

/// QWERTY key → ЙЦУКЕН letter on the same key (lower case and shifted).
const EN_TO_RU: &[(char, char)] = &[
    ('q', 'й'),
    ('w', 'ц'),
    ('e', 'у'),
    ('r', 'к'),
    ('t', 'е'),
    ('y', 'н'),
    ('u', 'г'),
    ('i', 'ш'),
    ('o', 'щ'),
    ('p', 'з'),
    ('[', 'х'),
    (']', 'ъ'),
    ('a', 'ф'),
    ('s', 'ы'),
    ('d', 'в'),
    ('f', 'а'),
    ('g', 'п'),
    ('h', 'р'),
    ('j', 'о'),
    ('k', 'л'),
    ('l', 'д'),
    (';', 'ж'),
    ('\'', 'э'),
    ('z', 'я'),
    ('x', 'ч'),
    ('c', 'с'),
    ('v', 'м'),
    ('b', 'и'),
    ('n', 'т'),
    ('m', 'ь'),
    (',', 'б'),
    ('.', 'ю'),
    ('`', 'ё'),
    ('{', 'Х'),
    ('}', 'Ъ'),
    (':', 'Ж'),
    ('"', 'Э'),
    ('<', 'Б'),
    ('>', 'Ю'),
    ('~', 'Ё'),
    ('?', ','),
    ('/', '.'),
];

fn en_to_ru(c: char) -> Option<char> {
    let lower = c.to_ascii_lowercase();
    let mapped = EN_TO_RU
        .iter()
        .find(|(en, _)| *en == lower)
        .map(|(_, ru)| *ru)?;
    if c.is_ascii_uppercase() {
        mapped.to_uppercase().next()
    } else {
        Some(mapped)
    }
}

fn ru_to_en(c: char) -> Option<char> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let mapped = EN_TO_RU
        .iter()
        .find(|(_, ru)| *ru == lower && ru.is_alphabetic())
        .map(|(en, _)| *en)?;
    if c.is_uppercase() {
        Some(mapped.to_ascii_uppercase())
    } else {
        Some(mapped)
    }
}

/// Which way a chunk of text could have been mistyped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Latin characters that are really Russian.
    EnToRu,
    /// Cyrillic characters that are really English.
    RuToEn,
}

/// The direction a word could be converted in, if any: all its letters are
/// in one script and every character has a key mapping.
pub fn direction(word: &str) -> Option<Direction> {
    let has_latin = word.chars().any(|c| c.is_ascii_alphabetic());
    let has_cyrillic = word.chars().any(crate::text::is_cyrillic);
    if word.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if has_latin && !has_cyrillic && word.chars().all(|c| en_to_ru(c).is_some()) {
        Some(Direction::EnToRu)
    } else if has_cyrillic
        && !has_latin
        && word
            .chars()
            .all(|c| ru_to_en(c).is_some() || !c.is_alphabetic())
    {
        Some(Direction::RuToEn)
    } else {
        None
    }
}

/// Converts a word typed in the wrong layout.
pub fn convert(word: &str, direction: Direction) -> String {
    word.chars()
        .map(|c| match direction {
            Direction::EnToRu => en_to_ru(c).unwrap_or(c),
            Direction::RuToEn => ru_to_en(c).unwrap_or(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_typed_on_english_layout() {
        assert_eq!(convert("jib,rf", Direction::EnToRu), "ошибка");
        assert_eq!(convert("gjlrk.xtybt", Direction::EnToRu), "подключение");
        assert_eq!(convert("Ctnm", Direction::EnToRu), "Сеть");
        assert_eq!(convert("hf,jnftn?", Direction::EnToRu), "работает,");
        assert_eq!(direction("jib,rf"), Some(Direction::EnToRu));
        assert_eq!(direction("0x80070005"), None);
    }

    #[test]
    fn english_typed_on_russian_layout() {
        assert_eq!(convert("куыефке", Direction::RuToEn), "restart");
        assert_eq!(direction("куыефке"), Some(Direction::RuToEn));
    }
}
