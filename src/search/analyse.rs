//! The analyse stage: user text → terms, codes and corrections. Never
//! fails on user input: the text is analysed, not parsed as query syntax,
//! so quotes, `AND`, `OR`, `:`, `*`, brackets and `-` are just characters.
//!
//! Preparation ([`AnalyzedQuery::prepare_typed`]) looks at the index through
//! one per-query memo of document frequencies ([`DocFreqs`]):
//! * words typed in the wrong keyboard layout are converted when only the
//!   converted form exists in the index;
//! * words that match nothing become fuzzy terms (edit distance 1 from 5
//!   characters, 2 from 9, counted in characters), ranked below exact terms;
//! * identifiers typed as one word are split into known words;
//! * long pasted texts keep their rare words and drop the very common ones.

use super::layout;
use super::neighbours::Neighbours;
use super::stopwords::is_stop_term;
use crate::analysis::analyze;
use crate::codes::{self, QueryCodes};
use crate::index::lexicon::Lexicon;
use crate::index::Fields;
use crate::model::Lang;
use crate::synonyms::Synonyms;
use crate::text::is_cyrillic;
use tantivy::{Searcher, Term};

/// Long queries drop words found in more than this share of sections.
const LONG_QUERY_TERMS: usize = 10;
const COMMON_TERM_SHARE: f64 = 0.2;

/// Query features that can be switched off per request, for debugging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QueryOptions {
    pub fuzzy: bool,
    pub layout: bool,
    pub synonyms: bool,
    /// Words read in the other script ([`super::translit`]).
    pub translit: bool,
    /// A section's translation among the candidates adds to its score.
    pub counterparts: bool,
    /// Words translated by the lexicon learned from the translations.
    pub lexicon: bool,
    /// Words also match the problem heading of a section under a repeated
    /// label heading ("Solution 2"), like its own heading.
    pub structure: bool,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            fuzzy: true,
            layout: true,
            synonyms: true,
            translit: true,
            counterparts: true,
            lexicon: true,
            structure: true,
        }
    }
}

/// One analysed query word.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryTerm {
    pub text: String,
    /// 0 for exact matching, else the edit distance allowed.
    pub fuzzy: u8,
    /// For a fuzzy term, the index words within that distance (looked up
    /// once by [`AnalyzedQuery::prepare`]).
    pub variants: Vec<String>,
    /// `sound` field tokens of the word's transliterations in the other
    /// script, matched below the word itself ([`super::translit`]).
    pub readings: Vec<String>,
    /// The word's translations from the lexicon learned from the
    /// knowledge base's translated articles, with their scores.
    pub translations: Vec<(String, f32)>,
}

impl QueryTerm {
    /// A term matched exactly.
    pub fn exact(text: String) -> QueryTerm {
        QueryTerm {
            text,
            fuzzy: 0,
            variants: Vec::new(),
            readings: Vec::new(),
            translations: Vec::new(),
        }
    }
}

/// A query after analysis.
#[derive(Debug, Clone, Default)]
pub struct AnalyzedQuery {
    /// Distinct analysed terms in query order, stop words removed unless
    /// nothing else is left.
    pub terms: Vec<QueryTerm>,
    pub codes: QueryCodes,
    /// The text after keyboard-layout correction (equal to the input when
    /// nothing was converted).
    pub text: String,
    /// Synonym members added to the query, each as its analysed terms.
    pub expansions: Vec<Vec<String>>,
    /// Words read in the other script: (word as typed, its reading shown).
    pub transliterated: Vec<(String, String)>,
    /// Whether words match the problem headings of label sections
    /// ([`QueryOptions::structure`]).
    pub problems: bool,
}

impl AnalyzedQuery {
    /// Analyses a query without looking at an index (no layout or typo fixes).
    pub fn new(text: &str) -> AnalyzedQuery {
        AnalyzedQuery::from_words(text, &analyze(text))
    }

    /// [`AnalyzedQuery::new`] for `text` already analysed into `words`.
    fn from_words(text: &str, words: &[crate::analysis::Term]) -> AnalyzedQuery {
        let mut all: Vec<String> = Vec::new();
        for term in words {
            if !all.contains(&term.text) {
                all.push(term.text.clone());
            }
        }
        let content: Vec<String> = all.iter().filter(|t| !is_stop_term(t)).cloned().collect();
        let terms = if content.is_empty() { all } else { content };
        AnalyzedQuery {
            terms: terms.into_iter().map(QueryTerm::exact).collect(),
            codes: codes::extract_from_query(text),
            text: text.to_string(),
            expansions: Vec::new(),
            transliterated: Vec::new(),
            problems: true,
        }
    }

    /// Analyses a query against an index: layout correction, fuzzy terms for
    /// unknown words, pruning of common words in long queries.
    pub fn prepare(
        text: &str,
        searcher: &Searcher,
        fields: &Fields,
        synonyms: &Synonyms,
        options: &QueryOptions,
    ) -> AnalyzedQuery {
        let freqs = DocFreqs::new(searcher, fields);
        AnalyzedQuery::prepare_typed(text, &freqs, synonyms, &Lexicon::default(), options).0
    }

    /// [`AnalyzedQuery::prepare`] with the query's document-frequency memo,
    /// which the later stages (did-you-mean) share; also returns the query
    /// as typed: the words of the corrected text before typos, compounds
    /// and pruning changed them (they decide whether a query is "just a
    /// code").
    pub fn prepare_typed(
        text: &str,
        freqs: &DocFreqs<'_>,
        synonyms: &Synonyms,
        lexicon: &Lexicon,
        options: &QueryOptions,
    ) -> (AnalyzedQuery, AnalyzedQuery) {
        let (searcher, fields) = (freqs.searcher, freqs.fields);
        let known = |term: &str| freqs.knows(term);
        let corrected = if options.layout {
            // Glossary words count as known: slang the documents never use
            // is still a word the user meant.
            let known_word = |term: &str| known(term) || synonyms.knows_term(term);
            fix_layout(text, &known_word)
        } else {
            text.to_string()
        };
        // The corrected text's words, analysed once for every step below.
        let words = analyze(&corrected);
        let mut query = AnalyzedQuery::from_words(&corrected, &words);
        query.problems = options.structure;
        let typed = query.clone();
        query.codes = codes::extract_from_query(text);
        if options.synonyms {
            // Misspelt words still reach their synonyms through the closest
            // member of the glossary.
            let all: Vec<String> = words
                .iter()
                .map(|t| {
                    let source = &corrected[t.start..t.end];
                    let distance = if options.fuzzy && !known(&t.text) {
                        usize::from(fuzzy_distance(source))
                    } else {
                        0
                    };
                    match synonyms.closest_member(&t.text, distance) {
                        Some(member) if distance > 0 => member.to_string(),
                        _ => t.text.clone(),
                    }
                })
                .collect();
            query.expansions = synonyms
                .expand(&all)
                .into_iter()
                .filter(|member| member.iter().all(|t| known(t)))
                .collect();
        }

        // Fuzzy matching for words that match nothing.
        let sources: Vec<(String, String)> = words
            .iter()
            .map(|t| (t.text.clone(), corrected[t.start..t.end].to_string()))
            .collect();
        for term in &mut query.terms {
            if !options.fuzzy || known(&term.text) {
                continue;
            }
            let source = sources
                .iter()
                .find(|(t, _)| *t == term.text)
                .map(|(_, s)| s.as_str());
            term.fuzzy = source.map(fuzzy_distance).unwrap_or(0);
        }

        // Identifiers typed as one lowercase word (`skunotavailable`) are
        // split into the words the index knows (`sku not available`).
        let mut split_terms = Vec::with_capacity(query.terms.len());
        for term in std::mem::take(&mut query.terms) {
            let source = sources
                .iter()
                .find(|(t, _)| *t == term.text)
                .map(|(_, s)| s.to_lowercase());
            match source
                .filter(|_| term.fuzzy > 0)
                .and_then(|s| split_compound(&s, &known))
            {
                Some(parts) => split_terms.extend(parts.into_iter().map(QueryTerm::exact)),
                None => split_terms.push(term),
            }
        }
        query.terms = split_terms;
        for term in query.terms.iter_mut().filter(|t| t.fuzzy > 0) {
            term.variants =
                super::fuzzy::variants(searcher, fields, freqs.vocabulary, &term.text, term.fuzzy);
        }

        if options.translit {
            read_other_script(&mut query, &corrected, &words, freqs);
        }
        if options.lexicon {
            for term in query.terms.iter_mut().filter(|t| t.fuzzy == 0) {
                term.translations = lexicon
                    .translations(&term.text)
                    .iter()
                    .map(|t| (t.term.clone(), t.score))
                    .collect();
            }
        }

        // Long pasted texts: keep the words that discriminate.
        if query.terms.len() > LONG_QUERY_TERMS {
            let total = searcher.num_docs().max(1) as f64;
            let kept: Vec<QueryTerm> = query
                .terms
                .iter()
                .filter(|t| {
                    t.fuzzy > 0 || (freqs.text(&t.text) as f64) / total <= COMMON_TERM_SHARE
                })
                .cloned()
                .collect();
            if kept.len() >= 3 {
                query.terms = kept;
            }
        }
        query.text = corrected;
        (query, typed)
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.codes.is_empty()
    }
}

/// Gives each query word whose transliteration the index holds its
/// readings ([`super::translit::readings`]).
fn read_other_script(
    query: &mut AnalyzedQuery,
    text: &str,
    words: &[crate::analysis::Term],
    freqs: &DocFreqs<'_>,
) {
    for word in words {
        let typed = crate::analysis::normalize_word(&text[word.start..word.end]);
        // Only the term that stands for the whole word (not an identifier's
        // parts) carries its readings.
        let whole = if word.is_code {
            word.text == typed
        } else {
            crate::analysis::stem(&typed) == word.text
        };
        let Some(term) = query
            .terms
            .iter_mut()
            .find(|t| whole && t.text == word.text && t.readings.is_empty())
        else {
            continue;
        };
        let own = freqs.sections(&term.text);
        if let Some(found) =
            super::translit::readings(freqs.searcher, freqs.fields, &typed, own, word.is_code)
        {
            term.readings = found.tokens;
            query.transliterated.push((typed, found.shown));
        }
    }
}

/// Edit distance allowed for a word typed by the user: none for words
/// under 5 characters, 1 from 5, 2 from 9 (characters, not bytes); never
/// for codes, numbers or anything that is not purely letters.
pub fn fuzzy_distance(word: &str) -> u8 {
    if !word.chars().all(char::is_alphabetic) || !codes::extract_from_query(word).exact.is_empty() {
        return 0;
    }
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Splits a run of ASCII letters into 2–5 words the index knows, fewest
/// words first, each at least two letters; `None` when no split exists.
pub fn split_compound(word: &str, known: &dyn Fn(&str) -> bool) -> Option<Vec<String>> {
    const MAX_PARTS: usize = 5;
    if word.len() < 8 || word.len() > 64 || !word.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let n = word.len();
    // best[i] = fewest parts covering word[..i], with the split point before i.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for end in 2..=n {
        for start in 0..=end - 2 {
            let Some((parts, _)) = best[start] else {
                continue;
            };
            if parts >= MAX_PARTS {
                continue;
            }
            let piece = &word[start..end];
            if !known(&crate::analysis::stem(piece)) {
                continue;
            }
            if best[end].is_none_or(|(p, _)| parts + 1 < p) {
                best[end] = Some((parts + 1, start));
            }
        }
    }
    let (parts, _) = best[n]?;
    if parts < 2 {
        return None;
    }
    let mut out = Vec::with_capacity(parts);
    let mut end = n;
    while end > 0 {
        let (_, start) = best[end]?;
        out.push(crate::analysis::stem(&word[start..end]));
        end = start;
    }
    out.reverse();
    Some(out)
}

/// Document frequencies of the words of one query, each looked up once:
/// layout fixing, synonyms, typos, compound splitting, long-query pruning
/// and did-you-mean all ask about the same words.
pub struct DocFreqs<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// The combined field's words filed for typo look-ups, once built.
    vocabulary: Option<&'a Neighbours>,
    text: std::cell::RefCell<rustc_hash::FxHashMap<String, u64>>,
    sections: std::cell::RefCell<rustc_hash::FxHashMap<String, u64>>,
}

impl<'a> DocFreqs<'a> {
    pub fn new(searcher: &'a Searcher, fields: &'a Fields) -> DocFreqs<'a> {
        DocFreqs {
            searcher,
            fields,
            vocabulary: None,
            text: Default::default(),
            sections: Default::default(),
        }
    }

    /// Typo look-ups go through `vocabulary` (see [`super::fuzzy::variants`]).
    pub fn with_vocabulary(mut self, vocabulary: Option<&'a Neighbours>) -> DocFreqs<'a> {
        self.vocabulary = vocabulary;
        self
    }

    /// [`text_doc_freq`] of `term`.
    pub fn text(&self, term: &str) -> u64 {
        if let Some(&freq) = self.text.borrow().get(term) {
            return freq;
        }
        let freq = text_doc_freq(self.searcher, self.fields, term);
        self.text.borrow_mut().insert(term.to_string(), freq);
        freq
    }

    /// Whether any section holds `term` in its title, heading or body.
    pub fn knows(&self, term: &str) -> bool {
        self.sections(term) > 0
    }

    /// The sections holding `term` in their title, heading or body: one
    /// look-up in the combined field, which holds exactly those texts.
    pub fn sections(&self, term: &str) -> u64 {
        if let Some(&sections) = self.sections.borrow().get(term) {
            return sections;
        }
        let all = Term::from_field_text(self.fields.all, term);
        let sections = self.searcher.doc_freq(&all).unwrap_or(0);
        self.sections
            .borrow_mut()
            .insert(term.to_string(), sections);
        sections
    }
}

/// Sections containing `term` in the body, heading or title (upper bound).
pub fn text_doc_freq(searcher: &Searcher, fields: &Fields, term: &str) -> u64 {
    [fields.body, fields.heading, fields.title]
        .iter()
        .map(|f| {
            searcher
                .doc_freq(&Term::from_field_text(*f, term))
                .unwrap_or(0)
        })
        .sum()
}

/// Converts whitespace-separated chunks typed in the wrong keyboard layout.
/// A chunk is converted when the index knows more of the converted reading
/// than of the typed one (counted in characters of known words). Chunks the
/// index knows in neither reading (one- and two-letter words, misspelt or
/// rare words) follow the nearest decided chunk, so a Russian sentence typed
/// on the English layout is converted whole while English product names
/// typed correctly stay; unknown all-capital words are kept as acronyms.
fn fix_layout(text: &str, known: &dyn Fn(&str) -> bool) -> String {
    enum Decision {
        Convert(String),
        Keep,
        FollowNeighbours(String),
    }
    // Known words of fewer than three letters are no evidence: almost any
    // string of keys holds one (`n`, `за`) in either reading.
    let known_chars = |text: &str| -> usize {
        analyze(text)
            .iter()
            .map(|t| (t.text.chars().count(), t))
            .filter(|(letters, t)| *letters >= MIN_EVIDENCE_LETTERS && known(&t.text))
            .map(|(letters, _)| letters)
            .sum()
    };
    let chunks: Vec<&str> = text.split_whitespace().collect();
    let mut decisions: Vec<Decision> = Vec::with_capacity(chunks.len());
    for chunk in &chunks {
        let direction = match layout::direction(chunk) {
            Some(direction) if codes::extract_canonical(chunk).is_empty() => direction,
            _ => {
                decisions.push(Decision::Keep);
                continue;
            }
        };
        let candidate = layout::convert(chunk, direction);
        let (typed_known, candidate_known) = (known_chars(chunk), known_chars(&candidate));
        let short = chunk.chars().count() <= 2;
        // The converted reading must be mostly known words, not a known
        // fragment inside gibberish (`пропадают` → `ghjgflf.n`).
        let letters = candidate.chars().filter(|c| c.is_alphanumeric()).count();
        let mostly_known = 2 * candidate_known >= letters;
        let decision = if !short && candidate_known > typed_known && mostly_known {
            Decision::Convert(candidate)
        } else if !short && (typed_known > 0 || is_acronym(chunk)) {
            Decision::Keep
        } else {
            Decision::FollowNeighbours(candidate)
        };
        decisions.push(decision);
    }
    if !decisions.iter().any(|d| matches!(d, Decision::Convert(_))) {
        return text.to_string();
    }
    // For each undecided chunk, the closest decided chunk (left on ties).
    let decided: Vec<(usize, bool)> = decisions
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match d {
            Decision::Convert(_) => Some((i, true)),
            Decision::Keep if layout::direction(chunks[i]).is_some() => Some((i, false)),
            _ => None,
        })
        .collect();
    let follows_conversion = |i: usize| {
        decided
            .iter()
            .min_by_key(|(j, _)| (i.abs_diff(*j), *j > i))
            .is_some_and(|(_, converted)| *converted)
    };
    let out: Vec<String> = chunks
        .iter()
        .zip(decisions)
        .enumerate()
        .map(|(i, (chunk, decision))| match decision {
            Decision::Convert(candidate) => candidate,
            Decision::FollowNeighbours(candidate) if follows_conversion(i) => candidate,
            _ => chunk.to_string(),
        })
        .collect();
    out.join(" ")
}

/// Fewest letters of an analysed word that count as evidence for a layout.
const MIN_EVIDENCE_LETTERS: usize = 3;

/// An all-capital word of letters (`PFS`, `CRP`): typed on purpose.
fn is_acronym(chunk: &str) -> bool {
    let letters: Vec<char> = chunk.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// Words that label a code rather than describe a problem (`error 809`,
/// `ID: 34513`, `код ошибки 809`), as analysed terms.
static CODE_LABELS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    analyze("error errors err code id hresult hr event status http exit failed failure ошибка ошибки код идентификатор статус сбой")
        .into_iter()
        .map(|t| t.text)
        .collect()
});

/// Query terms that are neither codes nor code labels nor numbers.
pub fn non_code_terms(query: &AnalyzedQuery) -> Vec<&QueryTerm> {
    query
        .terms
        .iter()
        .filter(|t| {
            t.text.chars().any(char::is_alphabetic)
                && !query.codes.exact.contains(&t.text)
                && !CODE_LABELS.contains(&t.text)
                && codes::normalize(&t.text).is_none_or(|c| !query.codes.exact.contains(&c))
        })
        .collect()
}

/// [`non_code_terms`] without the words the query's codes are made of
/// (`ERROR_DISK_FULL` → error, disk, full; `UserErrorGuestAgent…` → user,
/// error, guest, agent …): empty when the query is only its codes.
pub fn words_beside_codes(query: &AnalyzedQuery) -> Vec<&QueryTerm> {
    let mut parts: Vec<String> = Vec::new();
    for code in &query.codes.exact {
        parts.extend(analyze(code).into_iter().map(|t| t.text));
    }
    for found in codes::extract(&query.text) {
        if query.codes.exact.contains(&found.canonical) {
            let spelled = &query.text[found.start..found.end];
            parts.extend(analyze(spelled).into_iter().map(|t| t.text));
        }
    }
    non_code_terms(query)
        .into_iter()
        .filter(|t| !parts.contains(&t.text))
        .collect()
}

/// Language of a query from its letters: Russian when a third or more are
/// Cyrillic, English when it has Latin words, `None` for codes and numbers.
pub fn detect_query_lang(query: &str) -> Option<Lang> {
    let (mut cyrillic, mut latin) = (0usize, 0usize);
    for word in query.split_whitespace() {
        if crate::codes::extract_canonical(word).is_empty() {
            for c in word.chars().filter(|c| c.is_alphabetic()) {
                if is_cyrillic(c) {
                    cyrillic += 1;
                } else {
                    latin += 1;
                }
            }
        }
    }
    if cyrillic > 0 && cyrillic * 3 >= cyrillic + latin {
        Some(Lang::Ru)
    } else if latin > 0 {
        Some(Lang::En)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(q: &AnalyzedQuery) -> Vec<&str> {
        q.terms.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn stop_words_are_dropped_unless_nothing_remains() {
        let q = AnalyzedQuery::new("how to fix the proxy");
        assert!(texts(&q).contains(&"proxi"), "{:?}", q.terms);
        assert!(!texts(&q).iter().any(|t| *t == "the" || *t == "to"));
        let q = AnalyzedQuery::new("the to");
        assert!(!q.terms.is_empty());
    }

    #[test]
    fn syntax_characters_are_plain_text() {
        for text in [
            "\"unclosed",
            "a AND OR b",
            "title:x",
            "*",
            "((]",
            "-",
            "NOT",
            ":::",
        ] {
            let _ = AnalyzedQuery::new(text);
        }
        assert!(AnalyzedQuery::new("((]").is_empty());
        assert_eq!(
            texts(&AnalyzedQuery::new("title:proxy")),
            vec!["titl", "proxi"]
        );
    }

    #[test]
    fn fuzzy_distance_counts_characters_and_skips_codes() {
        assert_eq!(
            fuzzy_distance("квота"),
            1,
            "5 Cyrillic letters are 10 bytes but 5 characters"
        );
        assert_eq!(fuzzy_distance("кво"), 0);
        assert_eq!(fuzzy_distance("сертификат"), 2);
        assert_eq!(fuzzy_distance("expird"), 1);
        assert_eq!(fuzzy_distance("certificates"), 2);
        assert_eq!(fuzzy_distance("0x80070005"), 0);
        assert_eq!(fuzzy_distance("34513"), 0);
        assert_eq!(fuzzy_distance("AADSTS50058"), 0);
        assert_eq!(fuzzy_distance("deadbeef"), 0, "hex-looking words are codes");
    }

    #[test]
    fn compounds_split_into_known_words() {
        let vocabulary = ["sku", "not", "avail", "user", "error"];
        let known = |t: &str| vocabulary.contains(&t);
        assert_eq!(
            split_compound("skunotavailable", &known).unwrap(),
            vec!["sku", "not", "avail"]
        );
        assert_eq!(
            split_compound("usererror", &known).unwrap(),
            vec!["user", "error"]
        );
        assert!(split_compound("zzzzzzzzzz", &known).is_none());
        assert!(split_compound("short", &known).is_none());
    }

    #[test]
    fn layout_is_fixed_only_for_unknown_words() {
        let vocabulary = ["ошибк", "подключ", "vpn", "storag"];
        let known = |t: &str| vocabulary.contains(&t);
        assert_eq!(
            fix_layout("jib,rf gjlrk.xtybz vpn", &known),
            "ошибка подключения vpn"
        );
        assert_eq!(fix_layout("storage jib,rf", &known), "storage ошибка");
        assert_eq!(fix_layout("vpn storage", &known), "vpn storage");
        assert_eq!(
            fix_layout("jib,rf b gjlrk.xtybt", &known),
            "ошибка и подключение"
        );
    }

    #[test]
    fn words_unknown_in_both_layouts_follow_the_majority() {
        let vocabulary = ["ошибк", "подключ", "vpn"];
        let known = |t: &str| vocabulary.contains(&t);
        // `rjcvjct` (космосе) is in neither reading's vocabulary.
        assert_eq!(
            fix_layout("jib,rf gjlrk.xtybz rjcvjct", &known),
            "ошибка подключения космосе"
        );
        // English product names typed correctly stay; the unknown Russian
        // words around converted ones follow them; acronyms stay.
        let vocabulary: Vec<String> = analyze("ошибка подключения Windows Azure пропал")
            .into_iter()
            .map(|t| t.text)
            .collect();
        let known_mixed = |t: &str| vocabulary.iter().any(|v| v == t);
        assert_eq!(
            fix_layout("jib,rf yf DV ghjgfk Windows Azure PFS", &known_mixed),
            "ошибка на ВМ пропал Windows Azure PFS"
        );
        // A known fragment inside gibberish is no reason to convert: a
        // Russian word the index lacks stays, and so does an acronym whose
        // other reading holds a two-letter word.
        let vocabulary = ["за", "n", "ошибк"];
        let known_short = |t: &str| vocabulary.contains(&t);
        assert_eq!(fix_layout("пропадают", &known_short), "пропадают");
        assert_eq!(fix_layout("включен PFS", &known_short), "включен PFS");
        // With no converted word, nothing is converted.
        assert_eq!(fix_layout("rjcvjct vpn", &known), "rjcvjct vpn");
        // A known word typed correctly stays as typed.
        assert_eq!(
            fix_layout("jib,rf gjlrk.xtybz vpn", &known),
            "ошибка подключения vpn"
        );
    }
}
