//! Stemming by script: Cyrillic words with the Russian Snowball stemmer
//! (and the derivational suffixes it leaves), Latin words with the English
//! one; each thread keeps the stems it made.

use super::chars::{script_of, Script};
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::sync::LazyLock;

static RUSSIAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Russian suffixes left by Snowball on deverbal nouns and participles
/// (`подключен` from «подключения»); stripping them lets the noun meet the
/// verb (`подключ` from «подключиться»).
const RUSSIAN_DERIVATIONAL: &[&str] = &["ени", "ани", "ен", "ан", "н"];

/// Words each thread keeps stems of. Word frequencies are Zipfian, so most
/// words of a build are stemmed once per thread instead of once per
/// occurrence; a full cache is emptied and refilled, which bounds its memory.
/// It holds the distinct word forms of a large knowledge base, so a build
/// does not keep refilling it (docs/benchmarks.md).
const STEM_CACHE_WORDS: usize = 64 * 1024;

thread_local! {
    static STEMS: RefCell<FxHashMap<Box<str>, Box<str>>> = RefCell::new(FxHashMap::default());
}

/// Stems a normalised word by its script.
pub fn stem(word: &str) -> String {
    with_stem(word, str::to_string)
}

/// Calls `f` with the stem of a normalised word, from this thread's cache
/// when it is there.
pub(super) fn with_stem<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(stemmed) = cache.get(word) {
            return f(stemmed);
        }
        let stemmed = stem_uncached(word).into_boxed_str();
        let result = f(&stemmed);
        if cache.len() >= STEM_CACHE_WORDS {
            cache.clear();
        }
        cache.insert(word.into(), stemmed);
        result
    })
}

fn stem_uncached(word: &str) -> String {
    match script_of(word) {
        Script::Cyrillic => {
            let stemmed = RUSSIAN.stem(word).into_owned();
            strip_russian_derivational(stemmed)
        }
        Script::Latin => ENGLISH.stem(word).into_owned(),
        Script::Other => word.to_string(),
    }
}

fn strip_russian_derivational(stemmed: String) -> String {
    for suffix in RUSSIAN_DERIVATIONAL {
        if let Some(rest) = stemmed.strip_suffix(suffix) {
            if rest.chars().count() >= 5 {
                return rest.to_string();
            }
        }
    }
    stemmed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_stems_equal_fresh_stems() {
        for word in ["подключения", "certificates", "подключения", "certificates"]
        {
            assert_eq!(stem(word), stem_uncached(word), "{word}");
        }
    }
}
