//! Text analysis shared by indexing and querying.
//!
//! One tokenizer, [`KbTokenizer`], registered under [`TEXT_ANALYZER`] by
//! [`register_analyzers`]; every process that opens an index calls that
//! function, because tantivy stores only the analyzer's name in the schema.
//!
//! Pipeline per word (Unicode word segmentation):
//! 1. lowercase, `ё`→`е` (precomposed and `е`+U+0308), apostrophes dropped;
//! 2. code-like words (`0x80070005`, `AADSTS50058`, `ERROR_DISK_FULL`,
//!    CamelCase identifiers) are kept whole and unstemmed; identifiers are
//!    also emitted as their parts (`user`, `error`, …) so prose finds them;
//! 3. other words are stemmed by their script: Cyrillic with the Russian
//!    Snowball stemmer, Latin with the English one.

use rust_stemmers::{Algorithm, Stemmer};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::{LazyLock, Mutex};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::Index;
use unicode_segmentation::UnicodeSegmentation;

/// Name of the analyzer used by every full-text field.
pub const TEXT_ANALYZER: &str = "kb_text";

static RUSSIAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Registers kbsearch's analyzers on an index (new or opened).
pub fn register_analyzers(index: &Index) {
    index
        .tokenizers()
        .register(TEXT_ANALYZER, KbTokenizer::default());
}

/// A token produced by [`analyze`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    /// Byte offsets of the source word.
    pub start: usize,
    pub end: usize,
    pub position: usize,
    /// True for code-like tokens that were kept whole.
    pub is_code: bool,
}

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

pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

/// Lowercases and folds `ё` to `е`; drops apostrophes, soft hyphens and
/// combining diaeresis after `е`.
pub fn normalize_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        push_normalized(c, &mut out);
    }
    out
}

/// Appends the normalised form of `c` (nothing for ignored characters).
#[inline]
fn push_normalized(c: char, out: &mut String) {
    match c {
        'ё' | 'Ё' => out.push('е'),
        '\u{0308}' if out.ends_with('е') => {}
        '\'' | '’' | '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => {}
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => out.extend(c.to_lowercase()),
    }
}

/// Russian suffixes left by Snowball on deverbal nouns and participles
/// (`подключен` from «подключения»); stripping them lets the noun meet the
/// verb (`подключ` from «подключиться»).
const RUSSIAN_DERIVATIONAL: &[&str] = &["ени", "ани", "ен", "ан", "н"];

/// Word → stem, shared by all threads: word frequencies are Zipfian, so most
/// words of a build are stemmed once instead of once per occurrence. At most
/// `STEM_SHARDS × STEM_SHARD_WORDS` words (about 8 MiB) whatever the number
/// of threads; a full shard is emptied and refilled.
const STEM_SHARDS: usize = 16;
const STEM_SHARD_WORDS: usize = 4096;

static STEMS: LazyLock<[Mutex<HashMap<String, String>>; STEM_SHARDS]> =
    LazyLock::new(|| std::array::from_fn(|_| Mutex::new(HashMap::new())));

/// Stems a normalised word by its script.
pub fn stem(word: &str) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    word.hash(&mut hasher);
    let shard = &STEMS[hasher.finish() as usize % STEM_SHARDS];
    // A poisoned shard only means another thread panicked mid-insert; the
    // map itself is still a valid cache.
    let cached = shard
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(word)
        .cloned();
    if let Some(stemmed) = cached {
        return stemmed;
    }
    let stemmed = stem_uncached(word);
    let mut shard = shard
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if shard.len() >= STEM_SHARD_WORDS {
        shard.clear();
    }
    shard.insert(word.to_string(), stemmed.clone());
    stemmed
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

/// Code-like words are kept whole: letters mixed with digits, underscores,
/// or CamelCase with an inner capital.
fn is_code_like(word: &str) -> bool {
    let has_digit = word.chars().any(|c| c.is_ascii_digit());
    let has_alpha = word.chars().any(|c| c.is_alphabetic());
    (has_digit && has_alpha) || word.contains('_') || is_camel_case(word)
}

fn is_camel_case(word: &str) -> bool {
    let mut prev_lower = false;
    for c in word.chars() {
        if c.is_uppercase() && prev_lower {
            return true;
        }
        prev_lower = c.is_lowercase();
    }
    false
}

/// Splits a text into index terms.
pub fn analyze(text: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    let mut position = 0;
    for (start, word) in text.split_word_bound_indices() {
        if !word.chars().any(char::is_alphanumeric) {
            continue;
        }
        analyze_word(word, start, &mut position, &mut terms);
    }
    terms
}

/// [`analyze`] for finding given terms in a text (highlighting): a plain
/// word is only stemmed when its normalised form starts with one of `keys`
/// (sorted; the first two characters of each term sought, see [`term_key`]).
/// A stem keeps the start of its word, so a skipped word cannot give a
/// sought term (save rare irregular English forms such as «dying» → «die»,
/// which then go unmarked). Code-like and dotted words, whose parts are
/// terms too, are always analysed. A skipped word gives an empty term.
pub fn analyze_for_keys(text: &str, keys: &[String]) -> Vec<Term> {
    let mut terms = Vec::new();
    let mut position = 0;
    let mut prefix = String::new();
    for (start, word) in text.split_word_bound_indices() {
        if !word.chars().any(char::is_alphanumeric) {
            continue;
        }
        normalized_prefix(word, KEY_CHARS, &mut prefix);
        let one = prefix.chars().next().map_or(0, char::len_utf8);
        let may_hold = keys.binary_search_by(|k| k.as_str().cmp(&prefix)).is_ok()
            || keys
                .binary_search_by(|k| k.as_str().cmp(&prefix[..one]))
                .is_ok()
            || is_code_like(word)
            || word.contains(['.', ':']);
        if may_hold {
            analyze_word(word, start, &mut position, &mut terms);
        } else {
            // An empty term: matches nothing, but keeps the word in the
            // text (a snippet fragment ends at its last token).
            terms.push(Term {
                text: String::new(),
                start,
                end: start + word.len(),
                position,
                is_code: false,
            });
            position += 1;
        }
    }
    terms
}

/// Characters of a term that [`analyze_for_keys`] looks for.
const KEY_CHARS: usize = 2;

/// The first two characters of `term`: what [`analyze_for_keys`] looks for.
pub fn term_key(term: &str) -> String {
    term.chars().take(KEY_CHARS).collect()
}

/// The first `chars` characters of [`normalize_word`]`(word)`, into `out`.
fn normalized_prefix(word: &str, chars: usize, out: &mut String) {
    out.clear();
    for c in word.chars() {
        push_normalized(c, out);
        if out.chars().count() >= chars {
            break;
        }
    }
    while out.chars().count() > chars {
        out.pop();
    }
}

fn analyze_word(word: &str, start: usize, position: &mut usize, terms: &mut Vec<Term>) {
    let end = start + word.len();
    // `cbengine.exe`, `login.contoso.com`, `host:port` are split into their
    // parts; dotted numbers such as `5.1.1` or `4.5.2` stay whole.
    if word.contains(['.', ':']) && word.chars().any(char::is_alphabetic) {
        let mut offset = start;
        for part in word.split(['.', ':']) {
            if part.chars().any(char::is_alphanumeric) {
                analyze_word(part, offset, position, terms);
            }
            offset += part.len() + 1;
        }
        return;
    }
    let normalized = normalize_word(word);
    if normalized.is_empty() {
        return;
    }
    if is_code_like(word) {
        terms.push(Term {
            text: normalized,
            start,
            end,
            position: *position,
            is_code: true,
        });
        // Identifiers are also indexed as their words; hex codes such as
        // `0x800706BA` are not identifiers and stay whole only.
        let parts: Vec<&str> = if word.contains('_') {
            word.split('_').filter(|p| !p.is_empty()).collect()
        } else if is_camel_case(word) && word.starts_with(char::is_alphabetic) {
            crate::codes::camel_parts(word)
        } else {
            vec![word]
        };
        if parts.len() > 1 {
            for (i, part) in parts.iter().enumerate() {
                let part = normalize_word(part);
                if part.chars().any(char::is_alphabetic) {
                    terms.push(Term {
                        text: stem(&part),
                        start,
                        end,
                        position: *position + i,
                        is_code: false,
                    });
                }
            }
            *position += parts.len();
        } else {
            *position += 1;
        }
        return;
    }
    let text = if normalized.chars().any(char::is_alphabetic) {
        stem(&normalized)
    } else {
        normalized
    };
    terms.push(Term {
        text,
        start,
        end,
        position: *position,
        is_code: false,
    });
    *position += 1;
}

fn token_of(term: Term) -> Token {
    Token {
        offset_from: term.start,
        offset_to: term.end,
        position: term.position,
        text: term.text,
        position_length: 1,
    }
}

/// Texts a thread analysed last, with their tokens. A section's title,
/// heading and body are indexed in their own fields and again in the
/// combined `all` field (the heading three times); tantivy indexes one
/// document's fields on one thread, in field order, so each text is
/// analysed once and its repeats are copied.
const RECENT_TEXTS: usize = 4;
/// Longer texts are analysed every time (the copy would cost memory).
const RECENT_MAX_BYTES: usize = 64 * 1024;

thread_local! {
    static RECENT: RefCell<VecDeque<(String, Vec<Token>)>> =
        RefCell::new(VecDeque::with_capacity(RECENT_TEXTS));
}

/// tantivy tokenizer running [`analyze`].
#[derive(Clone, Default)]
pub struct KbTokenizer {
    tokens: Vec<Token>,
}

/// Token stream over the tokens computed by [`KbTokenizer`].
pub struct KbTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl Tokenizer for KbTokenizer {
    type TokenStream<'a> = KbTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KbTokenStream<'a> {
        self.tokens.clear();
        RECENT.with(|recent| {
            let mut recent = recent.borrow_mut();
            if let Some((_, tokens)) = recent.iter().find(|(seen, _)| seen == text) {
                self.tokens.extend_from_slice(tokens);
                return;
            }
            self.tokens.extend(analyze(text).into_iter().map(token_of));
            if text.len() <= RECENT_MAX_BYTES {
                if recent.len() == RECENT_TEXTS {
                    recent.pop_front();
                }
                recent.push_back((text.to_string(), self.tokens.clone()));
            }
        });
        KbTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

/// tantivy tokenizer running [`analyze_for_keys`], for highlighting the
/// terms of one query.
#[derive(Clone)]
pub struct KeyedTokenizer {
    keys: std::sync::Arc<[String]>,
    tokens: Vec<Token>,
}

impl KeyedTokenizer {
    /// A tokenizer finding `terms` (analysed terms).
    pub fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> KeyedTokenizer {
        let mut keys: Vec<String> = terms.into_iter().map(term_key).collect();
        keys.sort_unstable();
        keys.dedup();
        KeyedTokenizer {
            keys: keys.into(),
            tokens: Vec::new(),
        }
    }
}

impl Tokenizer for KeyedTokenizer {
    type TokenStream<'a> = KbTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KbTokenStream<'a> {
        self.tokens.clear();
        self.tokens
            .extend(analyze_for_keys(text, &self.keys).into_iter().map(token_of));
        KbTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for KbTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        analyze(text).into_iter().map(|t| t.text).collect()
    }

    fn single(word: &str) -> String {
        let t = texts(word);
        assert_eq!(t.len(), 1, "{word} → {t:?}");
        t[0].clone()
    }

    #[test]
    fn russian_word_forms_meet() {
        assert_eq!(single("подключиться"), single("подключения"));
        assert_eq!(single("подключение"), single("подключению"));
        assert_eq!(single("сертификат"), single("сертификата"));
        assert_eq!(single("ошибка"), single("ошибки"));
    }

    #[test]
    fn english_word_forms_meet() {
        assert_eq!(single("connecting"), single("connection"));
        assert_eq!(single("certificates"), single("certificate"));
        assert_eq!(single("failed"), single("failing"));
    }

    #[test]
    fn yo_folds_to_ye() {
        assert_eq!(single("истёк"), single("истек"));
        assert_eq!(single("ИСТЁК"), single("истек"));
        assert_eq!(single("исте\u{0308}к"), single("истек"));
    }

    #[test]
    fn codes_stay_whole() {
        assert_eq!(texts("0x80070005"), vec!["0x80070005"]);
        assert_eq!(
            texts("0x800706BA"),
            vec!["0x800706ba"],
            "hex codes are not CamelCase"
        );
        assert_eq!(texts("AADSTS50058"), vec!["aadsts50058"]);
        let camel = texts("UserErrorGuestAgentStatusUnavailable");
        assert_eq!(camel[0], "usererrorguestagentstatusunavailable");
        assert!(camel.contains(&"guest".to_string()), "{camel:?}");
        assert_eq!(texts("ERROR_DISK_FULL")[0], "error_disk_full");
    }

    #[test]
    fn mixed_script_text_in_one_field() {
        let t = texts("Агент Azure Backup не может подключиться");
        assert!(
            t.contains(&"azur".to_string()) || t.contains(&"azure".to_string()),
            "{t:?}"
        );
        assert!(t.contains(&"backup".to_string()), "{t:?}");
        assert!(t.contains(&single("подключения")), "{t:?}");
    }

    #[test]
    fn file_names_split_and_versions_stay() {
        assert_eq!(texts("CBengine.exe"), vec!["cbengin", "exe"]);
        assert_eq!(texts("4.5.2"), vec!["4.5.2"]);
    }

    #[test]
    fn cached_stems_equal_fresh_stems() {
        for word in ["подключения", "certificates", "подключения", "certificates"]
        {
            assert_eq!(stem(word), stem_uncached(word), "{word}");
        }
    }

    fn streamed(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = KbTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn repeated_texts_stream_the_same_tokens() {
        let text = "Ошибка 0x80070005: CBengine.exe UserErrorGuestAgent не запускается";
        let direct: Vec<_> = analyze(text)
            .into_iter()
            .map(|t| (t.text, t.position, t.start, t.end))
            .collect();
        assert!(direct.len() > 5);
        // First analysis, a repeat served from the recent texts, and a
        // repeat after other texts pushed it out.
        assert_eq!(streamed(text), direct);
        assert_eq!(streamed(text), direct);
        for other in ["one", "two", "three", "four", "five"] {
            assert_eq!(streamed(other).len(), 1);
        }
        assert_eq!(streamed(text), direct);
        assert_eq!(streamed(&text[..12]), streamed("Ошибка"));
        assert_eq!(streamed(&text[..12]).len(), 1);
    }

    #[test]
    fn offsets_point_at_source_words() {
        let text = "Ошибка 0x80070005: доступ";
        for term in analyze(text) {
            assert!(text.is_char_boundary(term.start) && text.is_char_boundary(term.end));
        }
        let t = analyze(text);
        assert_eq!(&text[t[1].start..t[1].end], "0x80070005");
    }
}
