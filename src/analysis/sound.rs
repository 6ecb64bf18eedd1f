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

use super::normalize::normalize_word;
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
/// shorter than [`MIN_SOUND_CHARS`] and for keys with too few consonants.
pub fn sound_key(word: &str) -> Option<(SoundScript, String)> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < MIN_SOUND_CHARS || chars.len() > MAX_SOUND_CHARS {
        return None;
    }
    let mut key = KeyBuilder::default();
    let script = if chars.iter().all(|c| c.is_ascii_lowercase()) {
        latin_sounds(&chars, &mut key);
        SoundScript::Latin
    } else if chars.iter().all(|&c| is_cyrillic(c) && c.is_lowercase()) {
        cyrillic_sounds(&chars, &mut key);
        SoundScript::Cyrillic
    } else {
        return None;
    };
    key.finish().map(|key| (script, key))
}

/// The token a section indexes for `word` (lower case), when it has a key.
pub fn sound_token(word: &str) -> Option<String> {
    let (script, key) = sound_key(word)?;
    Some(format!("{}|{key}|{word}", script.tag()))
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
    let mut seen = rustc_hash::FxHashSet::default();
    each_word(text, |_, word| {
        if word.chars().count() < MIN_SOUND_CHARS {
            return;
        }
        if let Some(token) = sound_token(&normalize_word(word)) {
            if seen.insert(token.clone()) {
                f(&token);
            }
        }
    });
}

#[derive(Default)]
struct KeyBuilder {
    key: String,
    consonants: usize,
}

impl KeyBuilder {
    fn push(&mut self, sound: char) {
        if self.key.ends_with(sound) {
            return;
        }
        if sound != VOWEL {
            self.consonants += 1;
        }
        self.key.push(sound);
    }

    fn finish(mut self) -> Option<String> {
        if self.key.ends_with(VOWEL) {
            self.key.pop();
        }
        (self.consonants >= MIN_CONSONANTS).then_some(self.key)
    }
}

fn is_latin_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn latin_sounds(chars: &[char], key: &mut KeyBuilder) {
    let mut at = 0;
    while at < chars.len() {
        // A final `-tion(s)` is what Russian writes `-ция`: `partition`,
        // «партиция»; `function`, «функция».
        let rest: String = chars[at..].iter().collect();
        if rest == "tion" || rest == "tions" {
            key.push('s');
            key.push(VOWEL);
            break;
        }
        let (sounds, consumed) = latin_sound(chars[at], chars.get(at + 1).copied());
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

fn cyrillic_sounds(chars: &[char], key: &mut KeyBuilder) {
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        let next = chars.get(at + 1).copied();
        let mut step = 1;
        match c {
            'а' | 'е' | 'ё' | 'и' | 'й' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я' => {
                key.push(VOWEL)
            }
            'д' if next == Some('ж') => {
                key.push('j');
                step = 2;
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
        at += step;
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
    fn tokens_carry_script_key_and_word() {
        let token = sound_token("снапшот").unwrap();
        assert!(token.starts_with(&sound_prefix(SoundScript::Cyrillic, &key("snapshot"))));
        assert_eq!(sound_token_word(&token), "снапшот");
        assert!(sound_token("snapshot").unwrap().starts_with("l|"));
    }
}
