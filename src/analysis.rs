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

use crate::text::{is_cyrillic, is_letter, is_letter_or_digit};
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::LazyLock;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::Index;
use unicode_segmentation::UnicodeSegmentation;

/// Name of the analyzer used by every full-text field.
pub const TEXT_ANALYZER: &str = "kb_text";

static RUSSIAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Registers kbsearch's analyzers on an index (new or opened).
pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(TEXT_ANALYZER, KbTokenizer);
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

/// Lowercases and folds `ё` to `е`; drops apostrophes, soft hyphens and
/// combining diaeresis after `е`.
pub fn normalize_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

/// [`normalize_word`] into a reused buffer.
fn normalize_into(word: &str, out: &mut String) {
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

/// Russian suffixes left by Snowball on deverbal nouns and participles
/// (`подключен` from «подключения»); stripping them lets the noun meet the
/// verb (`подключ` from «подключиться»).
const RUSSIAN_DERIVATIONAL: &[&str] = &["ени", "ани", "ен", "ан", "н"];

/// Words each thread keeps stems of. Word frequencies are Zipfian, so most
/// words of a build are stemmed once per thread instead of once per
/// occurrence; a full cache is emptied and refilled (about 8 MiB at most).
/// 16 384 words were too few for the 100 k benchmark corpus (about 12 000
/// stems from more word forms): its build took 8–13 % longer.
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
fn with_stem<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
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

/// What the characters of a word say about it, found in one pass.
#[derive(Default)]
struct Shape {
    digit: bool,
    letter: bool,
    underscore: bool,
    /// An upper-case letter right after a lower-case one.
    camel: bool,
}

impl Shape {
    fn of(word: &str) -> Shape {
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
    fn is_code_like(&self) -> bool {
        (self.digit && self.letter) || self.underscore || self.camel
    }
}

fn is_code_like(word: &str) -> bool {
    Shape::of(word).is_code_like()
}

fn has_letter_or_digit(word: &str) -> bool {
    word.chars().any(is_letter_or_digit)
}

/// One term as [`each_term`] finds it; the text is borrowed.
#[derive(Clone, Copy)]
struct TermRef<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    position: usize,
    is_code: bool,
}

impl TermRef<'_> {
    fn to_term(self) -> Term {
        Term {
            text: self.text.to_string(),
            start: self.start,
            end: self.end,
            position: self.position,
            is_code: self.is_code,
        }
    }

    /// Overwrites `token` with this term, reusing its text buffer.
    fn write_to(self, token: &mut Token) {
        token.text.clear();
        token.text.push_str(self.text);
        token.offset_from = self.start;
        token.offset_to = self.end;
        token.position = self.position;
        token.position_length = 1;
    }

    fn to_token(self) -> Token {
        let mut token = Token::default();
        self.write_to(&mut token);
        token
    }
}

/// Buffers one analysis reuses from word to word.
#[derive(Default)]
struct Scratch {
    normalized: String,
    part: String,
}

/// Splits a text into index terms.
pub fn analyze(text: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    each_term(text, &mut |term| terms.push(term.to_term()));
    terms
}

/// Calls `emit` with every index term of `text`, in order.
fn each_term(text: &str, emit: &mut dyn FnMut(TermRef<'_>)) {
    let mut position = 0;
    let mut scratch = Scratch::default();
    each_word(text, |start, word| {
        analyze_word(word, start, &mut position, &mut scratch, emit)
    });
}

/// Calls `f` with the Unicode word segments (UAX #29) of `text` that hold a
/// letter or digit, and their byte offsets.
///
/// Most of a text is plain words between spaces, and those are found
/// without the general segmenter: ASCII whitespace always ends a segment,
/// and a run of Latin or Cyrillic letters and ASCII digits, with only
/// opening or closing punctuation around it, is one segment. Any other run
/// goes to unicode-segmentation, with the whitespace character before it
/// (a combining mark at the start of a run belongs to that whitespace).
fn each_word<'t>(text: &'t str, mut f: impl FnMut(usize, &'t str)) {
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

/// The starts of the terms sought in a text: the first two
/// characters of each, packed into numbers and sorted once.
#[derive(Debug, Clone, Default)]
pub struct TermKeys(Vec<u64>);

impl TermKeys {
    /// The keys of `terms` (analysed terms).
    pub fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> TermKeys {
        let mut keys: Vec<u64> = terms.into_iter().map(pack_key).collect();
        keys.sort_unstable();
        keys.dedup();
        TermKeys(keys)
    }

    /// Whether a word whose normalised form starts with `prefix` (its first
    /// two characters) can give a sought term: a term starts with
    /// the prefix, or is the prefix's first character alone.
    fn may_start(&self, prefix: &str) -> bool {
        let one = prefix.chars().next().map_or(0, char::len_utf8);
        self.0.binary_search(&pack_key(prefix)).is_ok()
            || self.0.binary_search(&pack_key(&prefix[..one])).is_ok()
    }
}

/// [`analyze`] for finding given terms in a text (highlighting): a plain
/// word is only stemmed when its normalised form starts like one of the
/// terms `keys` was made of. A stem keeps the start of its word, so a
/// skipped word cannot give a sought term (save rare irregular English
/// forms such as «dying» → «die», which then go unmarked). Code-like and
/// dotted words, whose parts are terms too, are always analysed. A skipped
/// word gives an empty term.
pub fn analyze_for_keys(text: &str, keys: &TermKeys) -> Vec<Term> {
    let mut terms = Vec::new();
    keyed_terms(text, keys, &mut |term| terms.push(term.to_term()));
    terms
}

/// Calls `f(text, start, end)` with each term [`analyze_for_keys`] finds,
/// without copying it (`text` is empty for a skipped word).
pub fn each_keyed_term(text: &str, keys: &TermKeys, mut f: impl FnMut(&str, usize, usize)) {
    keyed_terms(text, keys, &mut |term| f(term.text, term.start, term.end));
}

fn keyed_terms(text: &str, keys: &TermKeys, emit: &mut dyn FnMut(TermRef<'_>)) {
    let mut position = 0;
    let mut prefix = String::new();
    let mut scratch = Scratch::default();
    each_word(text, |start, word| {
        normalized_prefix(word, KEY_CHARS, &mut prefix);
        let may_hold = keys.may_start(&prefix) || is_code_like(word) || word.contains(['.', ':']);
        if may_hold {
            analyze_word(word, start, &mut position, &mut scratch, emit);
        } else {
            // An empty term: matches nothing, but keeps the word in the
            // text (a snippet fragment ends at its last token).
            emit(TermRef {
                text: "",
                start,
                end: start + word.len(),
                position,
                is_code: false,
            });
            position += 1;
        }
    });
}

/// The first [`KEY_CHARS`] characters of `text` as one number (each
/// character plus one, so that a one-character key differs from every
/// two-character one).
fn pack_key(text: &str) -> u64 {
    let mut chars = text.chars().map(|c| u64::from(c) + 1);
    let first = chars.next().unwrap_or(0);
    let second = chars.next().unwrap_or(0);
    (first << 32) | second
}

/// Characters of a term that [`analyze_for_keys`] looks for.
const KEY_CHARS: usize = 2;

/// The first `chars` characters of [`normalize_word`]`(word)`, into `out`.
fn normalized_prefix(word: &str, chars: usize, out: &mut String) {
    out.clear();
    let mut count = 0;
    for c in word.chars() {
        let before = out.len();
        push_normalized(c, out);
        count += out[before..].chars().count();
        if count >= chars {
            break;
        }
    }
    while count > chars {
        out.pop();
        count -= 1;
    }
}

fn analyze_word(
    word: &str,
    start: usize,
    position: &mut usize,
    scratch: &mut Scratch,
    emit: &mut dyn FnMut(TermRef<'_>),
) {
    let end = start + word.len();
    // `cbengine.exe`, `login.contoso.com`, `host:port` are split into their
    // parts; dotted numbers such as `5.1.1` or `4.5.2` stay whole.
    if word.contains(['.', ':']) && word.chars().any(is_letter) {
        let mut offset = start;
        for part in word.split(['.', ':']) {
            if has_letter_or_digit(part) {
                analyze_word(part, offset, position, scratch, emit);
            }
            offset += part.len() + 1;
        }
        return;
    }
    normalize_into(word, &mut scratch.normalized);
    if scratch.normalized.is_empty() {
        return;
    }
    let shape = Shape::of(word);
    if shape.is_code_like() {
        emit(TermRef {
            text: &scratch.normalized,
            start,
            end,
            position: *position,
            is_code: true,
        });
        // Identifiers are also indexed as their words; hex codes such as
        // `0x800706BA` are not identifiers and stay whole only.
        let parts: Vec<&str> = if word.contains('_') {
            word.split('_').filter(|p| !p.is_empty()).collect()
        } else if shape.camel && word.starts_with(char::is_alphabetic) {
            crate::codes::camel_parts(word)
        } else {
            vec![word]
        };
        if parts.len() > 1 {
            for (i, part) in parts.iter().enumerate() {
                normalize_into(part, &mut scratch.part);
                if scratch.part.chars().any(is_letter) {
                    with_stem(&scratch.part, |stemmed| {
                        emit(TermRef {
                            text: stemmed,
                            start,
                            end,
                            position: *position + i,
                            is_code: false,
                        })
                    });
                }
            }
            *position += parts.len();
        } else {
            *position += 1;
        }
        return;
    }
    if scratch.normalized.chars().any(is_letter) {
        with_stem(&scratch.normalized, |stemmed| {
            emit(TermRef {
                text: stemmed,
                start,
                end,
                position: *position,
                is_code: false,
            })
        });
    } else {
        emit(TermRef {
            text: &scratch.normalized,
            start,
            end,
            position: *position,
            is_code: false,
        });
    }
    *position += 1;
}

/// Texts a thread analysed last, with their tokens. A section's title,
/// heading and body are indexed in their own fields and again in the
/// combined `all` field (the heading three times); tantivy indexes one
/// document's fields on one thread, in field order, so each text is
/// analysed once and its repeats share its tokens.
const RECENT_TEXTS: usize = 4;
/// Longer texts are analysed every time (keeping them would cost memory).
const RECENT_MAX_BYTES: usize = 64 * 1024;

thread_local! {
    static RECENT: RefCell<VecDeque<(String, Rc<Vec<Token>>)>> =
        RefCell::new(VecDeque::with_capacity(RECENT_TEXTS));
}

/// tantivy tokenizer running [`analyze`].
#[derive(Clone, Default)]
pub struct KbTokenizer;

/// Token stream over tokens computed by [`KbTokenizer`]; a repeated text
/// shares the tokens of its first analysis.
pub struct KbTokenStream<'a> {
    tokens: Rc<Vec<Token>>,
    next: usize,
    text: PhantomData<&'a str>,
}

impl KbTokenStream<'_> {
    fn new(tokens: Rc<Vec<Token>>) -> Self {
        KbTokenStream {
            tokens,
            next: 0,
            text: PhantomData,
        }
    }
}

impl Tokenizer for KbTokenizer {
    type TokenStream<'a> = KbTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KbTokenStream<'a> {
        let tokens = RECENT.with(|recent| {
            let mut recent = recent.borrow_mut();
            if let Some((_, tokens)) = recent.iter().find(|(seen, _)| seen == text) {
                return Rc::clone(tokens);
            }
            let kept = text.len() <= RECENT_MAX_BYTES;
            // The oldest text leaves the recent ones; its buffers are
            // refilled unless a token stream still holds them.
            let (mut key, mut tokens) = if kept && recent.len() == RECENT_TEXTS {
                recent
                    .pop_front()
                    .map(|(key, shared)| (key, Rc::try_unwrap(shared).unwrap_or_default()))
                    .unwrap_or_default()
            } else {
                Default::default()
            };
            let mut count = 0;
            each_term(text, &mut |term| {
                match tokens.get_mut(count) {
                    Some(token) => term.write_to(token),
                    None => tokens.push(term.to_token()),
                }
                count += 1;
            });
            tokens.truncate(count);
            let tokens = Rc::new(tokens);
            if kept {
                key.clear();
                key.push_str(text);
                recent.push_back((key, Rc::clone(&tokens)));
            }
            tokens
        });
        KbTokenStream::new(tokens)
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

    /// Copies the tokens first when they are shared (tantivy's indexing
    /// only reads them).
    fn token_mut(&mut self) -> &mut Token {
        &mut Rc::make_mut(&mut self.tokens)[self.next - 1]
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
        let mut tokenizer = KbTokenizer;
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
    fn fast_character_classes_equal_unicode_ones() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let alone = Shape::of(c.encode_utf8(&mut [0; 4]));
            assert_eq!(alone.letter, c.is_alphabetic(), "{c:?}");
            assert_eq!(alone.digit, c.is_ascii_digit(), "{c:?}");
            assert_eq!(Shape::of(&format!("{c}A")).camel, c.is_lowercase(), "{c:?}");
            assert_eq!(Shape::of(&format!("a{c}")).camel, c.is_uppercase(), "{c:?}");
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

    #[test]
    fn changing_a_streamed_token_leaves_repeats_alone() {
        let text = "подключение сертификата";
        let mut tokenizer = KbTokenizer;
        let mut stream = tokenizer.token_stream(text);
        assert!(stream.advance());
        stream.token_mut().text = "changed".to_string();
        drop(stream);
        assert_eq!(streamed(text)[0].0, single("подключение"));
    }

    #[test]
    fn reused_token_buffers_hold_only_the_new_text() {
        let direct = |text: &str| -> Vec<_> {
            analyze(text)
                .into_iter()
                .map(|t| (t.text, t.position, t.start, t.end))
                .collect()
        };
        streamed("первое второе третье четвёртое пятое шестое седьмое восьмое");
        // Four other texts push the long one out; later texts refill its
        // buffers, which must not keep any of its eight tokens.
        for text in [
            "one two",
            "three",
            "four five six",
            "seven",
            "eight",
            "Девять",
        ] {
            assert_eq!(streamed(text), direct(text), "{text}");
        }
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
