//! Error-code extraction and normalisation.
//!
//! The same functions run on documents at index time ([`extract`]) and on
//! query strings at search time ([`extract_from_query`]), so the two sides can
//! never disagree about what a code looks like.
//!
//! Canonical forms:
//! * hexadecimal codes: `0x` + lowercase hex without leading zeros
//!   (`0X80070005`, `[0x80070005]`, `80070005`, `-2147024891` → `0x80070005`);
//! * labelled numeric ids: the decimal number (`ID: 34513`, `Ошибка 34513` → `34513`);
//! * prefixed codes: lowercase (`AADSTS50058` → `aadsts50058`);
//! * symbolic identifiers: lowercase (`UserErrorGuestAgentStatusUnavailable`,
//!   `ERROR_DISK_FULL` → `error_disk_full`).

use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// What shape a code has; decides its canonical form and its aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    Hex,
    Numeric,
    Prefixed,
    Symbolic,
}

/// A code found in a text: its canonical form and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCode {
    pub canonical: String,
    pub kind: CodeKind,
    /// Byte range of the code (without its label) in the scanned text.
    pub start: usize,
    pub end: usize,
}

/// Codes found in a query: `exact` must match a code field, `weak` are bare
/// numbers that may be codes or just numbers in the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryCodes {
    pub exact: Vec<String>,
    pub weak: Vec<String>,
}

impl QueryCodes {
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.weak.is_empty()
    }
}

// Word boundaries are ASCII (`(?-u:\b)`): codes are ASCII, a Cyrillic
// letter next to one is a boundary, and the regex engine's fast DFA can only
// handle ASCII boundaries in Russian text (Unicode ones cost a third of the
// indexing time).
static HEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)0x([0-9a-f]{4,16})(?-u:\b)").unwrap());

/// A number after a label (`error 809`, `ID: 34513`, `код ошибки 809`). The
/// label must start a word: the character before it (if any) is consumed
/// instead of using a Unicode `\b`, which would disable the fast DFA.
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:(?:^|[^\p{L}\p{N}_])(?:error\s+code|error|err|event\s+id|event|id|code|status\s+code|status|http|sqlstate|errno|exit\s+code|hresult|hr|код\s+ошибки|ошибк(?:а|и|е|у|ой)|идентификатор(?:а|ом)?|код(?:а|ом|у|е)?|номер(?:ом)?|событи(?:е|я|ю|ем)|статус)(?:\s+|\s*[:=#№]\s*|\s*[\[(])|№\s*)[\[(]?(-?[0-9a-f]{3,10})(?-u:\b)",
    )
    .unwrap()
});

static NEGATIVE_DECIMAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"-([0-9]{10})(?-u:\b)").unwrap());

static BARE_HRESULT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)([8cC][0-9a-fA-F]{7})(?-u:\b)").unwrap());

static PREFIXED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)([A-Z]{2,10}[0-9]{4,10})(?-u:\b)").unwrap());

static PREFIXED_ANY_CASE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)([a-z]{2,10}[0-9]{4,10})(?-u:\b)").unwrap());

static CAMEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)[A-Z][A-Za-z0-9]{7,}(?-u:\b)").unwrap());

static CAPS_UNDERSCORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?-u:\b)").unwrap());

static ANY_CASE_UNDERSCORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)[a-z][a-z0-9]*(?:_[a-z0-9]+){1,}(?-u:\b)").unwrap());

static SIGNED_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)(-[0-9]{1,10})(?-u:\b)").unwrap());

static BARE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)([0-9]{3,10})(?-u:\b)").unwrap());

static BARE_HEX8: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)([0-9a-fA-F]{8})(?-u:\b)").unwrap());

static LONG_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)([a-z][a-z0-9]{11,})(?-u:\b)").unwrap());

/// Words that mark a CamelCase identifier as an error identifier even when short.
const ERROR_WORDS: &[&str] = &[
    "error",
    "exception",
    "fail",
    "failed",
    "failure",
    "invalid",
    "denied",
    "timeout",
    "timed",
    "unavailable",
    "exceeded",
    "conflict",
    "missing",
    "unsupported",
    "forbidden",
    "unauthorized",
    "mismatch",
    "expired",
    "corrupt",
    "corrupted",
    "unreachable",
    "refused",
    "backoff",
    "notfound",
];

/// Canonical hex form of a value: `0x` + lowercase hex, no leading zeros.
pub fn hex_canonical(value: u64) -> String {
    format!("0x{value:x}")
}

/// Value of a canonical hex code, if it is one.
pub fn hex_value(canonical: &str) -> Option<u64> {
    canonical
        .strip_prefix("0x")
        .and_then(|h| u64::from_str_radix(h, 16).ok())
}

/// Interprets a decimal that may be a 32-bit HRESULT written as a signed or
/// unsigned integer (`-2147024891`, `2147942405`). Returns the hex value for
/// values with the high bit set, `None` otherwise.
pub fn hresult_from_decimal(text: &str) -> Option<u64> {
    let value: i64 = text.parse().ok()?;
    if (i64::from(i32::MIN)..0).contains(&value) {
        return Some(u64::from(value as i32 as u32));
    }
    if (0x8000_0000..=0xFFFF_FFFF).contains(&value) {
        return Some(value as u64);
    }
    None
}

/// Alternative spellings of a canonical code that people also search for
/// (the signed and unsigned decimal forms of an HRESULT, the Win32 code inside
/// `HRESULT_FROM_WIN32` values, the number of a prefixed code).
pub fn aliases(canonical: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(value) = hex_value(canonical) {
        if (0x8000_0000..=0xFFFF_FFFF).contains(&value) {
            out.push(value.to_string());
            out.push((value as u32 as i32).to_string());
            if value & 0xFFFF_0000 == 0x8007_0000 {
                out.push(format!("win32:{}", value & 0xFFFF));
            }
        }
    } else if let Some(number) = canonical.find(|c: char| c.is_ascii_digit()).and_then(|i| {
        let (prefix, digits) = canonical.split_at(i);
        (!prefix.is_empty()
            && prefix.chars().all(|c| c.is_ascii_alphabetic())
            && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| trim_leading_zeros(digits))
    }) {
        out.push(number);
    }
    out
}

fn trim_leading_zeros(digits: &str) -> String {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_string()
    } else if trimmed.len() == 8 && trimmed.starts_with('8') && trimmed.len() < digits.len() {
        // `0083187461` is a decimal number, but `83187461` alone reads as an
        // HRESULT (`0x83187461`): keep the zeros so the canonical form means
        // the same thing when it is normalised again.
        digits.to_string()
    } else {
        trimmed.to_string()
    }
}

fn char_before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

fn char_after(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// Does a CamelCase or CAPS_UNDERSCORE identifier look like an error identifier
/// rather than a product name?
fn looks_symbolic(word: &str) -> bool {
    if word.contains('_') {
        let parts: Vec<&str> = word.split('_').collect();
        let lower: Vec<String> = parts.iter().map(|p| p.to_ascii_lowercase()).collect();
        return parts.len() >= 3
            || lower.iter().any(|p| {
                matches!(
                    p.as_str(),
                    "e" | "error" | "err" | "s" | "status" | "fail" | "failed"
                )
            });
    }
    let humps = camel_parts(word);
    if humps.len() < 2 || !word.chars().any(|c| c.is_ascii_lowercase()) {
        return false;
    }
    // `SkuNotAvailable`, `ResourceNotFound`, `FeatureNotSupported`.
    let negated = humps
        .windows(2)
        .any(|w| w[0] == "Not" || w[0] == "No" && w[1].len() > 2);
    let has_error_word = negated
        || humps.iter().any(|h| {
            let h = h.to_ascii_lowercase();
            ERROR_WORDS.contains(&h.as_str())
        })
        || {
            let lower = word.to_ascii_lowercase();
            ERROR_WORDS
                .iter()
                .any(|w| w.len() >= 6 && lower.ends_with(w))
        };
    humps.len() >= 4 || (has_error_word && humps.len() >= 2)
}

/// Splits `UserErrorGuestAgent` into `User`, `Error`, `Guest`, `Agent`;
/// `HTTPRequestFailed` into `HTTP`, `Request`, `Failed`.
pub fn camel_parts(word: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..chars.len() {
        let (pos, c) = chars[i];
        let prev = chars[i - 1].1;
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let boundary = (c.is_uppercase() && (prev.is_lowercase() || prev.is_ascii_digit()))
            || (c.is_uppercase() && prev.is_uppercase() && next.is_some_and(|n| n.is_lowercase()));
        if boundary {
            parts.push(&word[start..pos]);
            start = pos;
        }
    }
    if start < word.len() {
        parts.push(&word[start..]);
    }
    parts
}

/// Is a symbolic candidate part of a file name, a path or a URL?
fn inside_file_name(text: &str, start: usize, end: usize) -> bool {
    let before = char_before(text, start);
    let after = char_after(text, end);
    let after_after = text[end..].chars().nth(1);
    matches!(before, Some('/' | '\\' | '-' | '@'))
        || matches!(after, Some('/' | '\\' | '-' | '@'))
        || (after == Some('.') && after_after.is_some_and(|c| c.is_alphanumeric()))
}

fn numeric_code(digits: &str) -> Option<(String, CodeKind)> {
    let negative = digits.starts_with('-');
    let body = digits.trim_start_matches('-');
    if body.chars().all(|c| c.is_ascii_digit()) {
        if body.len() == 8 && body.starts_with('8') && !negative {
            let value = u64::from_str_radix(body, 16).ok()?;
            return Some((hex_canonical(value), CodeKind::Hex));
        }
        if negative || body.len() == 10 {
            return hresult_from_decimal(digits).map(|v| (hex_canonical(v), CodeKind::Hex));
        }
        return Some((trim_leading_zeros(body), CodeKind::Numeric));
    }
    if negative || body.len() != 8 || !body.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let value = u64::from_str_radix(body, 16).ok()?;
    Some((hex_canonical(value), CodeKind::Hex))
}

/// Finds the error codes written in a document text, in order of appearance.
///
/// The patterns bounded by ASCII word boundaries on both sides can only
/// match a whole ASCII word (a maximal run of `[0-9A-Za-z_]`), so they run on
/// the few words with the right first characters and length instead of on
/// the whole text. Within one pattern, words come in text order, as the
/// matches of a scan would; the patterns run in a fixed order, which decides
/// between two codes found at the same span.
pub fn extract(text: &str) -> Vec<FoundCode> {
    let mut found = Vec::new();
    let candidates: Vec<(usize, &str)> = ascii_words(text)
        .filter(|(_, word)| may_be_code_word(word))
        .collect();
    for &(at, word) in &candidates {
        if !(word.len() >= 6 && word.starts_with(['0']) && word[1..].starts_with(['x', 'X'])) {
            continue;
        }
        let Some(caps) = HEX.captures(word) else {
            continue;
        };
        if let Ok(value) = u64::from_str_radix(&caps[1], 16) {
            if value != 0 {
                found.push(code(
                    hex_canonical(value),
                    CodeKind::Hex,
                    at,
                    at + word.len(),
                ));
            }
        }
    }
    labelled(text, &mut found);
    negative_decimals(text, &mut found);
    for &(at, word) in &candidates {
        let (start, end) = (at, at + word.len());
        if word.len() != 8
            || !word.starts_with(['8', 'c', 'C'])
            || !BARE_HRESULT.is_match(word)
            || is_guid_part(text, start, end)
            || !word.chars().any(|c| c.is_ascii_digit())
        {
            continue;
        }
        if let Ok(value) = u64::from_str_radix(word, 16) {
            found.push(code(hex_canonical(value), CodeKind::Hex, start, end));
        }
    }
    for &(at, word) in &candidates {
        if word.len() < 6 || !starts_with_upper(word) || !PREFIXED.is_match(word) || is_hex8(word) {
            continue;
        }
        found.push(code(
            word.to_ascii_lowercase(),
            CodeKind::Prefixed,
            at,
            at + word.len(),
        ));
    }
    symbolic(text, &candidates, &CAMEL, 8, &mut found);
    symbolic(text, &candidates, &CAPS_UNDERSCORE, 3, &mut found);
    dedupe_by_position(found)
}

/// Numbers after a label (`error 809`, `ID: 34513`, `код ошибки 809`).
fn labelled(text: &str, found: &mut Vec<FoundCode>) {
    // Every labelled code has an ASCII digit (see `numeric_code`), so a
    // text without one needs no scan.
    if text.bytes().any(|b| b.is_ascii_digit()) {
        labelled_scan(text, found);
    }
}

fn labelled_scan(text: &str, found: &mut Vec<FoundCode>) {
    for caps in LABELLED.captures_iter(text) {
        let m = caps.get(1).unwrap();
        if let Some((canonical, kind)) = numeric_code(m.as_str()) {
            found.push(code(canonical, kind, m.start(), m.end()));
        }
    }
}

/// HRESULTs written as negative decimals (`-2147024891`).
fn negative_decimals(text: &str, found: &mut Vec<FoundCode>) {
    if !text.contains('-') {
        return;
    }
    for caps in NEGATIVE_DECIMAL.captures_iter(text) {
        let m = caps.get(0).unwrap();
        if char_before(text, m.start()).is_some_and(|c| c.is_alphanumeric() || c == '-') {
            continue;
        }
        if let Some(value) = hresult_from_decimal(m.as_str()) {
            found.push(code(
                hex_canonical(value),
                CodeKind::Hex,
                m.start(),
                m.end(),
            ));
        }
    }
}

/// Maximal runs of ASCII word characters (`[0-9A-Za-z_]`) with their byte
/// offsets: the only spans a pattern between two `(?-u:\b)` can match. Their
/// ends are ASCII, so they are character boundaries.
fn ascii_words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| ASCII_WORD[usize::from(b)];
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && !is_word(bytes[at]) {
            at += 1;
        }
        if at == bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && is_word(bytes[at]) {
            at += 1;
        }
        Some((start, &text[start..at]))
    })
}

/// `[0-9A-Za-z_]` by byte value.
static ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

/// Can a whole-word pattern of [`extract`] match `word`? Hex (`0x…`), bare
/// HRESULTs (`8…`, `c…`, 8 characters) and identifiers (a capital first, at
/// least 3 characters) are the only shapes.
fn may_be_code_word(word: &str) -> bool {
    match word.as_bytes() {
        [b'0', b'x' | b'X', ..] => word.len() >= 6,
        [b'8' | b'c', ..] => word.len() == 8,
        [b'C', ..] => word.len() >= 3,
        [first, ..] => first.is_ascii_uppercase() && word.len() >= 3,
        [] => false,
    }
}

fn starts_with_upper(word: &str) -> bool {
    word.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
}

/// Symbolic identifiers (`pattern`: CamelCase or CAPS_UNDERSCORE, whole
/// words of at least `min_len` characters starting with a capital).
fn symbolic(
    text: &str,
    candidates: &[(usize, &str)],
    pattern: &Regex,
    min_len: usize,
    found: &mut Vec<FoundCode>,
) {
    for &(at, word) in candidates {
        let (start, end) = (at, at + word.len());
        if word.len() < min_len || !starts_with_upper(word) || !pattern.is_match(word) {
            continue;
        }
        // `AbCdEfAb` has the humps of an identifier, but eight hex digits
        // are a hex value everywhere (see `is_hex8`).
        if !is_hex8(word) && looks_symbolic(word) && !inside_file_name(text, start, end) {
            found.push(code(
                word.to_ascii_lowercase(),
                CodeKind::Symbolic,
                start,
                end,
            ));
        }
    }
}

/// Eight hex digits (`BBB25395`, `cc999999`) are a hex value, never a
/// prefixed code, in documents and queries alike.
fn is_hex8(token: &str) -> bool {
    token.len() == 8 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_guid_part(text: &str, start: usize, end: usize) -> bool {
    let before = char_before(text, start);
    let after = char_after(text, end);
    before == Some('-') || after == Some('-')
}

fn code(canonical: String, kind: CodeKind, start: usize, end: usize) -> FoundCode {
    FoundCode {
        canonical,
        kind,
        start,
        end,
    }
}

/// Sorts by position and drops a code whose span lies inside an earlier one.
fn dedupe_by_position(mut found: Vec<FoundCode>) -> Vec<FoundCode> {
    found.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut out: Vec<FoundCode> = Vec::with_capacity(found.len());
    for c in found {
        if let Some(last) = out.last() {
            if c.start >= last.start && c.end <= last.end {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Canonical codes of a text, each once, in order of first appearance.
pub fn extract_canonical(text: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    extract(text)
        .into_iter()
        .filter(|c| seen.insert(c.canonical.clone()))
        .map(|c| c.canonical)
        .collect()
}

/// Finds codes in a query. Queries are more permissive than documents: codes
/// arrive lower-cased, without `0x`, as decimal HRESULTs or as bare numbers.
pub fn extract_from_query(query: &str) -> QueryCodes {
    let mut exact: Vec<String> = Vec::new();
    let mut weak: Vec<String> = Vec::new();
    let mut covered: Vec<(usize, usize)> = Vec::new();
    let push = |list: &mut Vec<String>, value: String| {
        if !list.contains(&value) {
            list.push(value);
        }
    };

    for c in extract(query) {
        covered.push((c.start, c.end));
        push(&mut exact, c.canonical);
    }
    let is_covered = |covered: &[(usize, usize)], s: usize, e: usize| {
        covered.iter().any(|&(cs, ce)| s < ce && e > cs)
    };

    for m in PREFIXED_ANY_CASE.find_iter(query) {
        // Eight hex digits (`cc999999`) are a hex value, left to the hex rules.
        if !is_hex8(m.as_str()) && !is_covered(&covered, m.start(), m.end()) {
            covered.push((m.start(), m.end()));
            push(&mut exact, m.as_str().to_ascii_lowercase());
        }
    }
    for m in ANY_CASE_UNDERSCORE.find_iter(query) {
        if !is_covered(&covered, m.start(), m.end()) {
            covered.push((m.start(), m.end()));
            push(&mut exact, m.as_str().to_ascii_lowercase());
        }
    }
    for caps in SIGNED_NUMBER.captures_iter(query) {
        let m = caps.get(1).unwrap();
        if is_covered(&covered, m.start(), m.end()) {
            continue;
        }
        if let Some(value) = hresult_from_decimal(m.as_str()) {
            covered.push((m.start(), m.end()));
            push(&mut exact, hex_canonical(value));
        }
    }
    for m in BARE_HEX8.find_iter(query) {
        let text = m.as_str();
        // `8007000E`, `C0000005`, `deadbeef` look like HRESULT/NTSTATUS
        // values; `12345678` is a decimal id (handled as a bare number).
        let looks_hex =
            text.bytes().any(|b| b.is_ascii_alphabetic()) || text.starts_with(['8', 'c', 'C']);
        if !looks_hex || is_covered(&covered, m.start(), m.end()) {
            continue;
        }
        if is_guid_part(query, m.start(), m.end()) {
            // Part of a GUID or a dashed id: not a code, and not a number either.
            covered.push((m.start(), m.end()));
            continue;
        }
        if let Ok(value) = u64::from_str_radix(m.as_str(), 16) {
            covered.push((m.start(), m.end()));
            push(&mut exact, hex_canonical(value));
        }
    }
    for m in BARE_NUMBER.find_iter(query) {
        if is_covered(&covered, m.start(), m.end()) {
            continue;
        }
        let digits = m.as_str();
        if digits.len() == 10 {
            if let Some(value) = hresult_from_decimal(digits) {
                covered.push((m.start(), m.end()));
                push(&mut exact, hex_canonical(value));
                continue;
            }
        }
        push(&mut weak, trim_leading_zeros(digits));
    }
    // A long word may be a symbolic identifier typed without its capitals
    // (`usererrorguestagentstatusunavailable`, `ARGUMENTEXCEPTION`) or just a
    // long word: it is a weak code, matched only if the index knows it.
    for m in LONG_WORD.find_iter(query) {
        if !is_covered(&covered, m.start(), m.end()) {
            push(&mut weak, m.as_str().to_ascii_lowercase());
        }
    }
    weak.retain(|w| !exact.contains(w));
    QueryCodes { exact, weak }
}

/// Normalises one code as a user would type it (`0X80070005`, `-2147024891`,
/// `ID: 34513`, `AADSTS50058`) to its canonical form.
///
/// A single token that is already canonical (`84`, `0x57`, `authfailed`)
/// normalises to itself, so every canonical form can be looked up again.
pub fn normalize(raw: &str) -> Option<String> {
    let token = raw.trim();
    if is_canonical(token) {
        // Canonical forms are fixed points by construction: the other rules
        // (an 8-digit number read as hex, a word read as a prefixed code)
        // must never give a canonical code a second meaning.
        return Some(token.to_string());
    }
    let codes = extract_from_query(raw);
    if let Some(code) = codes.exact.into_iter().chain(codes.weak).next() {
        return Some(code);
    }
    canonical_token(raw.trim())
}

/// Is `token` exactly one canonical code, as [`normalize`] writes them?
///
/// * hex: `0x` + 1–16 lowercase hex digits without leading zeros;
/// * decimal: up to 10 ASCII digits that read as a decimal id again (no
///   leading zeros except the ones that keep `0083187461` decimal, not
///   eight digits starting with `8`, not a 10-digit HRESULT);
/// * identifier: lowercase ASCII letters, digits and `_`, starting with a
///   letter, at least 6 long or containing `_`, and not eight hex digits.
///
/// Every string `normalize` returns passes this test (the codes fuzz target
/// checks it), which is what makes `normalize` idempotent.
pub fn is_canonical(token: &str) -> bool {
    if let Some(hex) = token.strip_prefix("0x") {
        return (1..=16).contains(&hex.len())
            && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            && (hex == "0" || !hex.starts_with('0'));
    }
    if token.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        return token.len() <= 10
            && token.bytes().all(|b| b.is_ascii_digit())
            && trim_leading_zeros(token) == token
            && !(token.len() == 8 && token.starts_with('8'))
            && !(token.len() == 10 && hresult_from_decimal(token).is_some());
    }
    token.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && token
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && (token.len() >= 6 || token.contains('_'))
        && !is_hex8(token)
}

/// A lone token in a canonical shape: a decimal number, `0x` + hex digits,
/// or an identifier of 6+ ASCII letters, digits and underscores.
fn canonical_token(token: &str) -> Option<String> {
    if !token.is_empty() && token.len() <= 10 && token.bytes().all(|b| b.is_ascii_digit()) {
        return Some(trim_leading_zeros(token));
    }
    if let Some(hex) = token
        .strip_prefix("0x")
        .or_else(|| token.strip_prefix("0X"))
    {
        if (1..=16).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return u64::from_str_radix(hex, 16).ok().map(hex_canonical);
        }
        return None;
    }
    let identifier = token.len() >= 6
        && token.len() <= 128
        && token.starts_with(|c: char| c.is_ascii_alphabetic())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    identifier.then(|| token.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `extract` as it was before it scanned words: every pattern over the
    /// whole text. The word scan must find exactly the same codes.
    fn extract_by_full_scans(text: &str) -> Vec<FoundCode> {
        let mut found = Vec::new();
        for caps in HEX.captures_iter(text) {
            let m = caps.get(0).unwrap();
            if let Ok(value) = u64::from_str_radix(&caps[1], 16) {
                if value != 0 {
                    found.push(code(
                        hex_canonical(value),
                        CodeKind::Hex,
                        m.start(),
                        m.end(),
                    ));
                }
            }
        }
        labelled_scan(text, &mut found);
        // This scan did not change; both sides share it.
        negative_decimals(text, &mut found);
        for m in BARE_HRESULT.find_iter(text) {
            if is_guid_part(text, m.start(), m.end())
                || !m.as_str().chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            if let Ok(value) = u64::from_str_radix(m.as_str(), 16) {
                found.push(code(
                    hex_canonical(value),
                    CodeKind::Hex,
                    m.start(),
                    m.end(),
                ));
            }
        }
        for m in PREFIXED.find_iter(text) {
            if !is_hex8(m.as_str()) {
                let canonical = m.as_str().to_ascii_lowercase();
                found.push(code(canonical, CodeKind::Prefixed, m.start(), m.end()));
            }
        }
        for pattern in [&*CAMEL, &*CAPS_UNDERSCORE] {
            for m in pattern.find_iter(text) {
                let word = m.as_str();
                if !is_hex8(word)
                    && looks_symbolic(word)
                    && !inside_file_name(text, m.start(), m.end())
                {
                    let canonical = word.to_ascii_lowercase();
                    found.push(code(canonical, CodeKind::Symbolic, m.start(), m.end()));
                }
            }
        }
        dedupe_by_position(found)
    }

    const FRAGMENTS: &[&str] = &[
        "0x80070005",
        "0X800706BA",
        "0x0000",
        "0x12",
        "AADSTS50058",
        "ABC1234",
        "c0000005",
        "C00D1234",
        "80070005",
        "8007000",
        "BBB25395",
        "UserErrorGuestAgent",
        "ResourceNotFound",
        "ERROR_DISK_FULL",
        "E_FAIL",
        "A_B",
        "Microsoft",
        "Recommended",
        "DEADBEEF",
        "abc",
        "-2147024891",
        "-1",
        "12345",
        "error",
        "Error code",
        "ID:",
        "код ошибки",
        "Ошибка",
        "№",
        " ",
        "  ",
        "\n",
        "-",
        "_",
        ".",
        "/",
        "\\",
        "@",
        ":",
        "(",
        "[",
        "é",
        "ё",
        "\u{a0}",
        "x",
        "X",
        "0",
        "8",
        "c",
        "C",
        "ab.cd",
        "face",
        "abc",
        "file.exe",
        "Z9",
    ];

    proptest::proptest! {
        #[test]
        fn word_scan_finds_what_full_scans_find(
            picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..24)
        ) {
            let text: String = picks.iter().map(|&i| FRAGMENTS[i]).collect();
            proptest::prop_assert_eq!(extract(&text), extract_by_full_scans(&text), "{:?}", text);
        }
    }

    #[test]
    fn word_scan_equals_full_scans_on_the_sample_content() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut texts = 0;
        for entry in walkdir::WalkDir::new(content).into_iter().flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                assert_eq!(
                    extract(&text),
                    extract_by_full_scans(&text),
                    "{}",
                    entry.path().display()
                );
                texts += 1;
            }
        }
        assert!(texts > 10);
    }

    #[test]
    fn document_spellings() {
        let cases: &[(&str, &[&str])] = &[
            ("Failed with 0x80070005.", &["0x80070005"]),
            ("FAILED WITH 0X80070005", &["0x80070005"]),
            ("Hr: = [0x1FC07]", &["0x1fc07"]),
            ("Hr: = [0x80070005]", &["0x80070005"]),
            ("leading zeros 0x00000057 here", &["0x57"]),
            ("Vault credentials are invalid. (ID: 34513)", &["34513"]),
            ("(ИДЕНТИФИКАТОР: 100050)", &["100050"]),
            ("Error 34506 happened", &["34506"]),
            ("Ошибка 34506 при запуске", &["34506"]),
            ("код ошибки 34506", &["34506"]),
            ("Error code: 809", &["809"]),
            ("SCM ответил ошибкой 1069", &["1069"]),
            ("событие с кодом 2013 от srv", &["2013"]),
            ("ошибки Win32 номер 112", &["112"]),
            ("Event 7000 in the System log", &["7000"]),
            ("VPN error 809", &["809"]),
            (
                "Sign-in failed: AADSTS50058 silent sign-in",
                &["aadsts50058"],
            ),
            (
                "UserErrorGuestAgentStatusUnavailable",
                &["usererrorguestagentstatusunavailable"],
            ),
            (
                "SalChecksumStoreInitializationFailed",
                &["salchecksumstoreinitializationfailed"],
            ),
            ("returned ERROR_DISK_FULL", &["error_disk_full"]),
            ("SEC_E_UNTRUSTED_ROOT", &["sec_e_untrusted_root"]),
            ("exit status -2147024891 from powershell", &["0x80070005"]),
            ("update failed with 8024402C", &["0x8024402c"]),
            ("pods in CrashLoopBackOff state", &["crashloopbackoff"]),
            (
                "deployment failed with SkuNotAvailable",
                &["skunotavailable"],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(&extract_canonical(text), expected, "text: {text}");
        }
    }

    #[test]
    fn non_codes_are_not_extracted() {
        let cases = [
            "See screenshot UserErrorGuestAgentStatus.png for details",
            "Install PowerShell and ExpressRoute",
            "Open https://contoso.com/UserErrorGuestAgentFailed/page",
            "Use SHA256 or AES256",
            "Version 4.5.2 was released in 2019",
            "GUID 8a7c1f2e-0000-4000-8000-000000000000",
            "Run CBengine.exe or OneDrive",
            "Set JAVA_HOME first",
            "Copy 100 files to the folder",
            "the hex 0x409 is too short",
        ];
        for text in cases {
            assert!(
                extract_canonical(text).is_empty(),
                "{text}: {:?}",
                extract_canonical(text)
            );
        }
    }

    #[test]
    fn query_spellings_meet_document_spellings() {
        let cases: &[(&str, &str)] = &[
            ("0x80070005", "0x80070005"),
            ("0X80070005", "0x80070005"),
            ("80070005", "0x80070005"),
            ("-2147024891", "0x80070005"),
            ("2147942405", "0x80070005"),
            ("Hr: = [0x80070005]", "0x80070005"),
            ("ID: 34513", "34513"),
            ("(ИДЕНТИФИКАТОР: 34513)", "34513"),
            ("error 34513", "34513"),
            ("34513", "34513"),
            (
                "usererrorguestagentstatusunavailable",
                "usererrorguestagentstatusunavailable",
            ),
            ("AADSTS50058", "aadsts50058"),
            ("aadsts50058", "aadsts50058"),
            (
                "USERERRORGUESTAGENTSTATUSUNAVAILABLE",
                "usererrorguestagentstatusunavailable",
            ),
            ("-1", "0xffffffff"),
            ("deadbeef", "0xdeadbeef"),
            ("8007000e", "0x8007000e"),
            ("error_disk_full", "error_disk_full"),
        ];
        for (query, expected) in cases {
            assert_eq!(
                normalize(query).as_deref(),
                Some(*expected),
                "query: {query}"
            );
        }
    }

    #[test]
    fn bare_numbers_in_queries_are_weak() {
        let codes = extract_from_query("backup 34513 failed");
        assert!(codes.exact.is_empty());
        assert_eq!(codes.weak, vec!["34513"]);
        let codes = extract_from_query("ошибка 34513");
        assert_eq!(codes.exact, vec!["34513"]);
        assert!(codes.weak.is_empty());
    }

    #[test]
    fn aliases_of_hresult_and_prefixed_codes() {
        assert_eq!(
            aliases("0x80070005"),
            vec!["2147942405", "-2147024891", "win32:5"]
        );
        assert_eq!(aliases("aadsts50058"), vec!["50058"]);
        assert!(aliases("34513").is_empty());
    }

    #[test]
    fn camel_parts_split_words() {
        assert_eq!(
            camel_parts("UserErrorGuestAgent"),
            vec!["User", "Error", "Guest", "Agent"]
        );
        assert_eq!(
            camel_parts("HTTPRequestFailed"),
            vec!["HTTP", "Request", "Failed"]
        );
    }
}
