//! Sound keys: how a word sounds, the same for its Latin spelling and its
//! Cyrillic transliteration, so `снапшот` meets `snapshot` and
//! `салловдискспаце` meets `SalLowDiskSpace`.
//!
//! Both scripts are read into one alphabet of sounds: consonants by their
//! usual value (`c` before `e`/`i`/`y` and `ц` as `s`; `w` and `в` as `v`;
//! `sh`, `ш` and `щ` as one sound; `x` as `ks`), every run of vowels as one
//! vowel (vowels are what transliteration changes most: `heartbeat` is
//! written `хартбит`), doubled consonants once, and a final vowel dropped
//! (English spells a silent `e`, Russian endings are vowels). The key is not
//! a translation: whether a reading is a real word is decided by the index's
//! own vocabulary, at query time.
//!
//! Sections index one token per word and script, `{script}|{key}|{word}`
//! (see [`sound_token`]), so a query looks up every word of the other script
//! with its key by a prefix of the term dictionary.

use super::segment::each_word;
use crate::text::is_cyrillic;

/// Words shorter than this (in characters) get no key: short keys match too
/// many unrelated words.
pub const MIN_SOUND_CHARS: usize = 4;
/// A key needs this many consonant sounds.
const MIN_CONSONANTS: usize = 3;
/// The vowel of the key alphabet (every vowel run reads as one).
const VOWEL: char = 'a';
/// Longer words (pasted hashes, base64) are not words.
const MAX_SOUND_CHARS: usize = 64;

/// The script a sound token comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoundScript {
    Latin,
    Cyrillic,
}

impl SoundScript {
    /// The first component of a sound token.
    pub fn tag(self) -> char {
        match self {
            SoundScript::Latin => 'l',
            SoundScript::Cyrillic => 'c',
        }
    }

    /// The other script.
    pub fn other(self) -> SoundScript {
        match self {
            SoundScript::Latin => SoundScript::Cyrillic,
            SoundScript::Cyrillic => SoundScript::Latin,
        }
    }
}

/// The sound key of a lower-case word of Latin (`a`–`z`) or Cyrillic
/// letters only, with its script; `None` for anything else, for words
/// shorter than `MIN_SOUND_CHARS` (4) and for keys with too few consonants.
pub fn sound_key(word: &str) -> Option<(SoundScript, String)> {
    let mut key = String::new();
    let script = write_key(word, &mut key)?;
    Some((script, key))
}

/// The token a section indexes for `word` (lower case), when it has a key.
pub fn sound_token(word: &str) -> Option<String> {
    let mut token = String::new();
    write_sound_token(word, &mut token).then_some(token)
}

/// Writes the sound token of `word` (lower case) into `token`; false when
/// the word has no key.
fn write_sound_token(word: &str, token: &mut String) -> bool {
    token.clear();
    let Some(script) = script_of_lower(word) else {
        return false;
    };
    token.push(script.tag());
    token.push('|');
    if write_key(word, token).is_none() {
        return false;
    }
    token.push('|');
    token.push_str(word);
    true
}

/// The prefix of the tokens of `script` words whose key is `key`.
pub fn sound_prefix(script: SoundScript, key: &str) -> String {
    format!("{}|{key}|", script.tag())
}

/// The word a sound token was made from.
pub fn sound_token_word(token: &str) -> &str {
    token.rsplit('|').next().unwrap_or(token)
}

/// Calls `f` with the sound token of every word of `text` that has one,
/// each distinct token once.
pub fn each_sound_token(text: &str, mut f: impl FnMut(&str)) {
    use std::hash::{Hash, Hasher};
    // Tokens are told apart by a 64-bit hash: a collision would only drop
    // one token of one section.
    let mut seen = rustc_hash::FxHashSet::default();
    let (mut lower, mut token) = (String::new(), String::new());
    each_word(text, |_, word| {
        if word.len() < MIN_SOUND_CHARS || !lower_letters(word, &mut lower) {
            return;
        }
        if write_sound_token(&lower, &mut token) {
            let mut hasher = rustc_hash::FxHasher::default();
            token.hash(&mut hasher);
            if seen.insert(hasher.finish()) {
                f(&token);
            }
        }
    });
}

/// Writes `word` in lower case (`ё` as `е`, as [`super::normalize_word`]
/// writes it) into `lower` when it is all English or all Russian letters,
/// the only words with a key; false otherwise.
fn lower_letters(word: &str, lower: &mut String) -> bool {
    lower.clear();
    if word.bytes().all(|b| b.is_ascii_alphabetic()) {
        lower.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return true;
    }
    for c in word.chars() {
        lower.push(match c {
            'а'..='я' => c,
            'А'..='Я' => match char::from_u32(c as u32 + 32) {
                Some(c) => c,
                None => return false,
            },
            'ё' | 'Ё' => 'е',
            _ => return false,
        });
    }
    true
}

/// The script of a word of lower-case letters of one script.
fn script_of_lower(word: &str) -> Option<SoundScript> {
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        Some(SoundScript::Latin)
    } else if word.chars().all(|c| is_cyrillic(c) && c.is_lowercase()) {
        Some(SoundScript::Cyrillic)
    } else {
        None
    }
}

/// Appends the key of `word` to `out`; `None` (and `out` as it was) when
/// the word has none.
fn write_key(word: &str, out: &mut String) -> Option<SoundScript> {
    let script = script_of_lower(word)?;
    let chars = match script {
        SoundScript::Latin => word.len(),
        SoundScript::Cyrillic => word.chars().count(),
    };
    if !(MIN_SOUND_CHARS..=MAX_SOUND_CHARS).contains(&chars) {
        return None;
    }
    let mut key = KeyBuilder::new(out);
    match script {
        SoundScript::Latin => latin_sounds(word.as_bytes(), &mut key),
        SoundScript::Cyrillic => cyrillic_sounds(word, &mut key),
    }
    key.finish().then_some(script)
}

/// A key written at the end of a string.
struct KeyBuilder<'a> {
    out: &'a mut String,
    start: usize,
    consonants: usize,
}

impl<'a> KeyBuilder<'a> {
    fn new(out: &'a mut String) -> KeyBuilder<'a> {
        let start = out.len();
        KeyBuilder {
            out,
            start,
            consonants: 0,
        }
    }

    fn push(&mut self, sound: char) {
        if self.out.len() > self.start && self.out.ends_with(sound) {
            return;
        }
        if sound != VOWEL {
            self.consonants += 1;
        }
        self.out.push(sound);
    }

    /// Drops a final vowel; false (and the key removed) with too few
    /// consonants.
    fn finish(self) -> bool {
        if self.out.len() > self.start && self.out.ends_with(VOWEL) {
            self.out.pop();
        }
        if self.consonants < MIN_CONSONANTS {
            self.out.truncate(self.start);
            return false;
        }
        true
    }
}

fn is_latin_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn latin_sounds(letters: &[u8], key: &mut KeyBuilder) {
    let mut at = 0;
    while at < letters.len() {
        // A final `-tion(s)` is what Russian writes `-ция`: `partition`,
        // «партиция»; `function`, «функция».
        let rest = &letters[at..];
        if rest == b"tion" || rest == b"tions" {
            key.push('s');
            key.push(VOWEL);
            break;
        }
        let next = letters.get(at + 1).map(|&b| char::from(b));
        let (sounds, consumed) = latin_sound(char::from(letters[at]), next);
        for sound in sounds.chars() {
            key.push(sound);
        }
        at += consumed;
    }
}

/// The sounds of the letter `c` (followed by `next`), and how many letters
/// they take.
fn latin_sound(c: char, next: Option<char>) -> (&'static str, usize) {
    match (c, next) {
        (c, _) if is_latin_vowel(c) => ("a", 1),
        ('s', Some('h')) => ("S", 2),
        ('c', Some('h')) => ("C", 2),
        ('z', Some('h')) => ("j", 2),
        ('k', Some('h')) => ("h", 2),
        ('t', Some('h')) => ("t", 2),
        ('p', Some('h')) => ("f", 2),
        ('g', Some('h')) => ("", 2),
        ('c', Some('k')) => ("k", 2),
        ('q', Some('u')) => ("kv", 2),
        ('c', Some('e' | 'i' | 'y')) => ("s", 1),
        ('c' | 'q', _) => ("k", 1),
        ('x', _) => ("ks", 1),
        ('w', _) => ("v", 1),
        ('z', _) => ("s", 1),
        ('b', _) => ("b", 1),
        ('d', _) => ("d", 1),
        ('f', _) => ("f", 1),
        ('g', _) => ("g", 1),
        ('h', _) => ("h", 1),
        ('j', _) => ("j", 1),
        ('k', _) => ("k", 1),
        ('l', _) => ("l", 1),
        ('m', _) => ("m", 1),
        ('n', _) => ("n", 1),
        ('p', _) => ("p", 1),
        ('r', _) => ("r", 1),
        ('s', _) => ("s", 1),
        ('t', _) => ("t", 1),
        ('v', _) => ("v", 1),
        _ => ("", 1),
    }
}

fn cyrillic_sounds(word: &str, key: &mut KeyBuilder) {
    let mut letters = word.chars().peekable();
    while let Some(c) = letters.next() {
        match c {
            'а' | 'е' | 'ё' | 'и' | 'й' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я' => {
                key.push(VOWEL)
            }
            'д' if letters.peek() == Some(&'ж') => {
                key.push('j');
                letters.next();
            }
            'б' => key.push('b'),
            'в' => key.push('v'),
            'г' => key.push('g'),
            'д' => key.push('d'),
            'ж' => key.push('j'),
            'з' | 'с' | 'ц' => key.push('s'),
            'к' => key.push('k'),
            'л' => key.push('l'),
            'м' => key.push('m'),
            'н' => key.push('n'),
            'п' => key.push('p'),
            'р' => key.push('r'),
            'т' => key.push('t'),
            'ф' => key.push('f'),
            'х' => key.push('h'),
            'ч' => key.push('C'),
            'ш' | 'щ' => key.push('S'),
            _ => {} // ъ, ь: no sound of their own
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(word: &str) -> String {
        sound_key(word).map(|(_, k)| k).unwrap_or_default()
    }

    #[test]
    fn a_latin_word_and_its_cyrillic_spelling_share_a_key() {
        for (latin, cyrillic) in [
            ("snapshot", "снапшот"),
            ("backup", "бэкап"),
            ("deploy", "деплой"),
            ("retry", "ретрай"),
            ("workspace", "воркспейс"),
            ("license", "лицензия"),
            ("process", "процесс"),
            ("query", "квери"),
            ("checkpoint", "чекпоинт"),
            ("partition", "партиции"),
            ("configuration", "конфигурация"),
            ("quotaexceededwarning", "квотаэкссидедварнинг"),
        ] {
            assert!(!key(latin).is_empty(), "{latin} has a key");
            assert_eq!(key(latin), key(cyrillic), "{latin} / {cyrillic}");
        }
    }

    #[test]
    fn different_words_get_different_keys() {
        for (a, b) in [
            ("snapshot", "snippet"),
            ("backup", "bucket"),
            ("сервер", "сервис"),
        ] {
            assert_ne!(key(a), key(b), "{a} / {b}");
        }
    }

    #[test]
    fn short_mixed_and_consonant_poor_words_have_no_key() {
        for word in ["лог", "идет", "ssl", "área", "win10", "Backup", "aeiou", ""] {
            assert_eq!(sound_key(word), None, "{word}");
        }
    }

    #[test]
    fn sections_file_words_as_queries_read_them() {
        let mut lower = String::new();
        for word in ["Снапшот", "ЁЛКА", "SalLowDiskSpace", "backup", "Ёжик"] {
            assert!(lower_letters(word, &mut lower), "{word}");
            assert_eq!(lower, crate::analysis::normalize_word(word), "{word}");
        }
        for word in ["área", "win10", "C:\\Temp", "схема-1"] {
            assert!(!lower_letters(word, &mut lower), "{word}");
        }
    }

    #[test]
    fn tokens_carry_script_key_and_word() {
        let token = sound_token("снапшот").unwrap();
        assert!(token.starts_with(&sound_prefix(SoundScript::Cyrillic, &key("snapshot"))));
        assert_eq!(sound_token_word(&token), "снапшот");
        assert!(sound_token("snapshot").unwrap().starts_with("l|"));
    }
}
