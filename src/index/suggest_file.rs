//! `suggest.json`: the completions an index build writes into each
//! generation (titles, headings and codes per document), and the packed form
//! the file is loaded into when an index is opened for search. The format is
//! read and written only here, beside the manifest; matching typed text
//! against the loaded list is the search side's job.

use crate::analysis::normalize_word;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasher;
use std::path::Path;

/// File in an index generation holding the completion list.
pub const SUGGEST_FILE: &str = "suggest.json";

/// Kind of a completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SuggestionKind {
    Title,
    Heading,
    Code,
}

/// One completion.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Suggestion {
    pub text: String,
    pub kind: SuggestionKind,
    pub url: Option<String>,
}

/// Completions per document, collected while an index is built and kept
/// per document so an incremental build can replace one document's share.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SuggestionsBuilder {
    documents: BTreeMap<String, Vec<Suggestion>>,
    /// (document, kind, text) already added, so adding stays linear.
    #[serde(skip)]
    seen: FxHashSet<(String, SuggestionKind, String)>,
}

impl SuggestionsBuilder {
    /// Reads the per-document completions of an existing generation.
    pub fn read(path: &Path) -> SuggestionsBuilder {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    pub fn add(&mut self, document: &str, text: &str, kind: SuggestionKind, url: Option<String>) {
        if text.is_empty() {
            return;
        }
        if !self
            .seen
            .insert((document.to_string(), kind, text.to_string()))
        {
            return;
        }
        let suggestion = Suggestion {
            text: text.to_string(),
            kind,
            url,
        };
        match self.documents.get_mut(document) {
            Some(list) => list.push(suggestion),
            None => {
                self.documents
                    .insert(document.to_string(), vec![suggestion]);
            }
        }
    }

    /// Forgets the completions of one document.
    pub fn remove(&mut self, document: &str) {
        if let Some(list) = self.documents.remove(document) {
            for s in list {
                self.seen.remove(&(document.to_string(), s.kind, s.text));
            }
        }
    }

    /// Keeps only the documents for which `keep` is true.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.documents.retain(|path, _| keep(path));
    }

    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec(self)?;
        std::fs::write(path, json)
    }
}

/// The loaded completion list, packed: every string lives in one of four
/// buffers and an entry is a few offsets, so a million headings cost about
/// their text rather than a million allocations. A text shared by several
/// entries (the same heading in many documents) is kept once. Loading
/// streams the file into the buffers without building the per-document map
/// first.
#[derive(Debug, Default)]
pub(crate) struct Suggestions {
    /// Lowercase forms and texts of the distinct texts, back to back. A
    /// text is only stored when its lowercase form and its capitals (one
    /// bit per character in `capitals`) cannot give it back.
    folded: String,
    texts: String,
    capitals: Vec<u8>,
    distinct: Vec<DistinctText>,
    /// URL tails of all entries, back to back.
    url_tails: String,
    /// `/doc/<path>` of each document; an entry's URL is its document's
    /// prefix followed by its tail (`#anchor`), unless it is stored whole.
    documents: Vec<String>,
    entries: Vec<Packed>,
    /// Lowercase words of titles and headings with their counts, while the
    /// list is loaded; then moved to `words`.
    vocabulary: HashMap<String, u32>,
    /// The same words as a finite-state map (word → count), so a correction
    /// walks it with a Levenshtein automaton instead of comparing every word.
    words: Option<tantivy_fst::Map<Vec<u8>>>,
}

/// Where a distinct text's strings start; each ends where the next
/// distinct text's start.
#[derive(Debug, Clone, Copy)]
struct DistinctText {
    folded: u32,
    text: u32,
    capitals: u32,
}

/// One entry: its distinct text, where its URL tail starts (it ends where
/// the next entry's starts) and how its URL is made.
#[derive(Debug, Clone, Copy)]
struct Packed {
    text: u32,
    url: u32,
    document: u32,
    kind: SuggestionKind,
    url_kind: UrlKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UrlKind {
    None,
    /// The document's prefix followed by the stored tail.
    Tail,
    /// The stored tail is the whole URL.
    Whole,
    /// The document's prefix followed by `#` and the generated id of the
    /// text (nothing is stored): most headings have no explicit anchor,
    /// and a percent-encoded Cyrillic id takes six bytes a letter.
    Slug,
}

/// The URL tail of a heading whose anchor is generated from its text.
fn slug_tail(text: &str) -> String {
    format!(
        "#{}",
        crate::urls::encode_path_segment(&crate::ingest::anchor::slugify(text))
    )
}

impl Suggestions {
    pub(crate) fn load(path: &Path) -> Suggestions {
        let mut packer = Packer::default();
        // Streamed from the file: it grows with the headings of the whole
        // knowledge base and would otherwise sit in memory beside the list
        // being packed (docs/benchmarks.md).
        if let Ok(file) = std::fs::File::open(path) {
            let buffered = std::io::BufReader::with_capacity(256 * 1024, file);
            let mut reader = serde_json::Deserializer::from_reader(buffered);
            if let Err(err) = serde::de::DeserializeSeed::deserialize(&mut packer, &mut reader) {
                tracing::warn!("completions in {} are unreadable: {err}", path.display());
                packer = Packer::default();
            }
        }
        let mut list = packer.list;
        list.folded.shrink_to_fit();
        list.texts.shrink_to_fit();
        list.capitals.shrink_to_fit();
        list.url_tails.shrink_to_fit();
        list.distinct.shrink_to_fit();
        list.entries.shrink_to_fit();
        let mut vocabulary: Vec<(String, u32)> =
            std::mem::take(&mut list.vocabulary).into_iter().collect();
        vocabulary.sort_unstable();
        list.words = tantivy_fst::Map::from_iter(
            vocabulary
                .iter()
                .map(|(word, count)| (word.as_bytes(), u64::from(*count))),
        )
        .ok();
        list
    }

    /// How often a vocabulary word occurs in titles and headings.
    #[cfg(test)]
    fn word_count(&self, word: &str) -> Option<u32> {
        self.words.as_ref()?.get(word).map(|count| count as u32)
    }

    /// Number of completions.
    pub(crate) fn entries(&self) -> usize {
        self.entries.len()
    }

    /// Number of distinct texts; their ids run from 0 to this.
    #[inline]
    pub(crate) fn distinct_texts(&self) -> usize {
        self.distinct.len()
    }

    /// The distinct text id and the kind of each completion, in order.
    #[inline]
    pub(crate) fn entry_texts(&self) -> impl Iterator<Item = (usize, SuggestionKind)> + '_ {
        self.entries
            .iter()
            .map(|entry| (entry.text as usize, entry.kind))
    }

    /// Title and heading words (word → count) for corrections; `None` when
    /// the map could not be built.
    pub(crate) fn words(&self) -> Option<&tantivy_fst::Map<Vec<u8>>> {
        self.words.as_ref()
    }

    /// Byte range of distinct text `id` in a buffer, from the `start`
    /// offsets.
    fn range(
        &self,
        id: usize,
        start: impl Fn(&DistinctText) -> u32,
        total: usize,
    ) -> (usize, usize) {
        let begin = start(&self.distinct[id]) as usize;
        let end = self
            .distinct
            .get(id + 1)
            .map_or(total, |next| start(next) as usize);
        (begin, end)
    }

    /// Lowercase form of distinct text `id`.
    #[inline]
    pub(crate) fn folded_text(&self, id: usize) -> &str {
        let (b, e) = self.range(id, |d| d.folded, self.folded.len());
        &self.folded[b..e]
    }

    /// Capitals of distinct text `id` (empty when its text is stored).
    fn capitals(&self, id: usize) -> &[u8] {
        let (b, e) = self.range(id, |d| d.capitals, self.capitals.len());
        &self.capitals[b..e]
    }

    /// Stored text of distinct text `id` (empty when its capitals give it).
    fn stored_text(&self, id: usize) -> &str {
        let (b, e) = self.range(id, |d| d.text, self.texts.len());
        &self.texts[b..e]
    }

    /// Lowercase form of entry `i`.
    #[cfg(test)]
    fn folded(&self, i: usize) -> &str {
        self.folded_text(self.entries[i].text as usize)
    }

    /// Completion `i`, its text and URL made whole again.
    pub(crate) fn suggestion(&self, i: usize) -> Suggestion {
        let entry = self.entries[i];
        let id = entry.text as usize;
        let stored = self.stored_text(id);
        let text = if stored.is_empty() {
            apply_capitals(self.folded_text(id), self.capitals(id))
        } else {
            stored.to_string()
        };
        let ub = entry.url as usize;
        let ue = self
            .entries
            .get(i + 1)
            .map_or(self.url_tails.len(), |next| next.url as usize);
        let tail = &self.url_tails[ub..ue];
        let url = match entry.url_kind {
            UrlKind::None => None,
            UrlKind::Whole => Some(tail.to_string()),
            UrlKind::Tail => Some(format!("{}{tail}", self.documents[entry.document as usize])),
            UrlKind::Slug => Some(format!(
                "{}{}",
                self.documents[entry.document as usize],
                slug_tail(&text)
            )),
        };
        Suggestion {
            text,
            kind: entry.kind,
            url,
        }
    }
}

/// Fills [`Suggestions`] while `suggest.json` is parsed.
#[derive(Default)]
struct Packer {
    list: Suggestions,
    /// Codes appear under every document that carries them; keep one.
    codes_seen: HashSet<String>,
    /// Distinct texts by the hash of their text (a colliding text that
    /// differs is kept as another distinct text).
    distinct_ids: FxHashMap<u64, u32>,
}

impl Packer {
    fn add_document(&mut self, path: &str) -> u32 {
        self.list.documents.push(crate::urls::section_url(path, ""));
        (self.list.documents.len() - 1) as u32
    }

    fn push(&mut self, document: u32, suggestion: Suggestion) {
        let list = &mut self.list;
        if suggestion.kind == SuggestionKind::Code
            && !self.codes_seen.insert(suggestion.text.clone())
        {
            return;
        }
        // Offsets are 32-bit: stop adding past 4 GiB of text.
        if list.folded.len() + list.texts.len() + list.url_tails.len() > u32::MAX as usize / 2 {
            return;
        }
        let folded = fold(&suggestion.text);
        if suggestion.kind != SuggestionKind::Code {
            for word in folded
                .split(|c: char| !crate::text::is_letter_or_digit(c))
                .filter(|w| w.chars().count() >= 3)
            {
                match list.vocabulary.get_mut(word) {
                    Some(count) => *count += 1,
                    None => {
                        list.vocabulary.insert(word.to_string(), 1);
                    }
                }
            }
        }
        let prefix = &list.documents[document as usize];
        let (url_kind, tail) = match &suggestion.url {
            None => (UrlKind::None, ""),
            Some(url) => match url.strip_prefix(prefix.as_str()) {
                Some(tail) if tail.len() > 1 && tail == slug_tail(&suggestion.text) => {
                    (UrlKind::Slug, "")
                }
                Some(tail) => (UrlKind::Tail, tail),
                None => (UrlKind::Whole, url.as_str()),
            },
        };
        let capitals = capitals_of(&folded, &suggestion.text);
        let hash = rustc_hash::FxBuildHasher.hash_one(suggestion.text.as_str());
        let known = self.distinct_ids.get(&hash).copied().filter(|&id| {
            let id = id as usize;
            list.folded_text(id) == folded
                && match &capitals {
                    Some(bits) => list.stored_text(id).is_empty() && list.capitals(id) == bits,
                    None => list.stored_text(id) == suggestion.text,
                }
        });
        let text = match known {
            Some(id) => id,
            None => {
                let id = list.distinct.len() as u32;
                list.distinct.push(DistinctText {
                    folded: list.folded.len() as u32,
                    text: list.texts.len() as u32,
                    capitals: list.capitals.len() as u32,
                });
                list.folded.push_str(&folded);
                match &capitals {
                    Some(bits) => list.capitals.extend_from_slice(bits),
                    None => list.texts.push_str(&suggestion.text),
                }
                self.distinct_ids.entry(hash).or_insert(id);
                id
            }
        };
        list.entries.push(Packed {
            text,
            url: list.url_tails.len() as u32,
            document,
            kind: suggestion.kind,
            url_kind,
        });
        list.url_tails.push_str(tail);
    }
}

/// `suggest.json` is `{"documents": {path: [suggestion, …], …}}`.
impl<'de> serde::de::DeserializeSeed<'de> for &mut Packer {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(FileVisitor(self))
    }
}

struct FileVisitor<'a>(&'a mut Packer);

impl<'de> serde::de::Visitor<'de> for FileVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a completion list")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "documents" {
                map.next_value_seed(DocumentsSeed(&mut *self.0))?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct DocumentsSeed<'a>(&'a mut Packer);

impl<'de> serde::de::DeserializeSeed<'de> for DocumentsSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for DocumentsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("completions per document")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(path) = map.next_key::<String>()? {
            let document = self.0.add_document(&path);
            map.next_value_seed(ListSeed {
                packer: &mut *self.0,
                document,
            })?;
        }
        Ok(())
    }
}

struct ListSeed<'a> {
    packer: &'a mut Packer,
    document: u32,
}

impl<'de> serde::de::DeserializeSeed<'de> for ListSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ListSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of completions")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(suggestion) = seq.next_element::<Suggestion>()? {
            self.packer.push(self.document, suggestion);
        }
        Ok(())
    }
}

/// One bit per character of `folded`: set where `text` has the capital.
/// `None` when `text` is not `folded` with some letters capitalised (an
/// `ё`, repeated spaces) or is empty; then the text is stored as it is.
fn capitals_of(folded: &str, text: &str) -> Option<Vec<u8>> {
    if text.is_empty() {
        return None;
    }
    let mut bits = vec![0u8; folded.chars().count().div_ceil(8)];
    let mut typed = text.chars();
    for (k, c) in folded.chars().enumerate() {
        let original = typed.next();
        let mut upper = c.to_uppercase();
        if let (Some(u), None) = (upper.next(), upper.next()) {
            if u != c && original == Some(u) {
                bits[k / 8] |= 1 << (k % 8);
            }
        }
    }
    (apply_capitals(folded, &bits) == text).then_some(bits)
}

/// `folded` with the characters whose bit is set in upper case.
fn apply_capitals(folded: &str, bits: &[u8]) -> String {
    folded
        .chars()
        .enumerate()
        .map(|(k, c)| {
            let set = bits.get(k / 8).is_some_and(|b| b & (1 << (k % 8)) != 0);
            if set {
                c.to_uppercase().next().unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// Lowercase, `ё`→`е`, whitespace collapsed: the form completions are
/// matched in, for typed text as for the list.
pub(crate) fn fold(text: &str) -> String {
    text.split_whitespace()
        .map(normalize_word)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::urls::section_url;

    #[test]
    fn packed_list_gives_back_what_was_written() {
        let mut builder = SuggestionsBuilder::default();
        let doc = "en/net/proxy.md";
        builder.add(
            doc,
            "Proxy errors",
            SuggestionKind::Title,
            Some(section_url(doc, "")),
        );
        builder.add(
            doc,
            "Ошибка 407 на прокси",
            SuggestionKind::Heading,
            Some(section_url(doc, "error-407")),
        );
        builder.add(doc, "0x80070005", SuggestionKind::Code, None);
        builder.add(
            doc,
            "Прокси отклоняет [вход](x.md)",
            SuggestionKind::Heading,
            Some(section_url(doc, "прокси-отклоняет-вход")),
        );
        builder.add(
            doc,
            "Прокси отклоняет вход",
            SuggestionKind::Heading,
            Some(section_url(doc, "прокси-отклоняет-вход-1")),
        );
        let other = "ru/net/proxy.md";
        builder.add(other, "0x80070005", SuggestionKind::Code, None);
        builder.add(
            other,
            "Elsewhere",
            SuggestionKind::Heading,
            Some("/other#x".into()),
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SUGGEST_FILE);
        builder.write(&path).unwrap();

        let list = Suggestions::load(&path);
        let all: Vec<Suggestion> = (0..list.entries()).map(|i| list.suggestion(i)).collect();
        assert_eq!(
            all.len(),
            6,
            "the code shared by two documents is kept once: {all:?}"
        );
        assert_eq!(all[0].text, "Proxy errors");
        assert_eq!(all[0].url.as_deref(), Some(section_url(doc, "").as_str()));
        assert_eq!(all[1].text, "Ошибка 407 на прокси");
        assert_eq!(
            all[1].url.as_deref(),
            Some(section_url(doc, "error-407").as_str())
        );
        assert_eq!(all[2].kind, SuggestionKind::Code);
        assert_eq!(all[2].url, None);
        // A generated anchor is made again from the text, not stored.
        assert_eq!(list.entries[3].url_kind, UrlKind::Slug);
        assert_eq!(
            all[3].url.as_deref(),
            Some(section_url(doc, "прокси-отклоняет-вход").as_str())
        );
        assert_eq!(list.entries[4].url_kind, UrlKind::Tail, "a repeated id");
        assert_eq!(
            all[4].url.as_deref(),
            Some(section_url(doc, "прокси-отклоняет-вход-1").as_str())
        );
        let repeated_tail =
            section_url(doc, "прокси-отклоняет-вход-1").len() - section_url(doc, "").len();
        assert_eq!(
            list.url_tails.len(),
            "#error-407".len() + repeated_tail + "/other#x".len(),
            "only tails that differ from the generated id are stored"
        );
        assert_eq!(
            all[5].url.as_deref(),
            Some("/other#x"),
            "a URL of another shape is kept whole"
        );
        assert_eq!(list.folded(1), "ошибка 407 на прокси");
        assert_eq!(list.word_count("прокси"), Some(3));
        assert_eq!(list.word_count("proxy"), Some(1));
        assert_eq!(list.word_count("absent"), None);
    }

    #[test]
    fn a_text_shared_by_entries_is_kept_once() {
        let mut builder = SuggestionsBuilder::default();
        let texts = ["Causes", "causes", "Причины", "Причины", "Causes", "Cause"];
        for (n, text) in texts.iter().enumerate() {
            let doc = format!("en/doc-{n}.md");
            let url = section_url(&doc, &format!("explicit-{n}"));
            builder.add(&doc, text, SuggestionKind::Heading, Some(url));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SUGGEST_FILE);
        builder.write(&path).unwrap();

        let list = Suggestions::load(&path);
        assert_eq!(list.entries(), texts.len());
        assert_eq!(list.distinct.len(), 4, "Causes, causes, Причины, Cause");
        let mut seen = HashSet::new();
        for (n, text) in texts.iter().enumerate() {
            let got = list.suggestion(n);
            assert_eq!(got.text, *text);
            let doc = format!("en/doc-{n}.md");
            assert_eq!(got.url, Some(section_url(&doc, &format!("explicit-{n}"))));
            seen.insert(got.url);
        }
        assert_eq!(seen.len(), texts.len());
    }

    #[test]
    fn capitals_give_the_text_back_or_the_text_is_kept() {
        for text in [
            "Ошибка 407 на Прокси",
            "VPN error 809",
            "lower only",
            "MiXeD CaSe Ж",
        ] {
            let bits = capitals_of(&fold(text), text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(apply_capitals(&fold(text), &bits), text);
        }
        // Folding loses `ё` and repeated spaces: such texts are stored whole.
        for text in ["Ёлка", "two  spaces", ""] {
            assert_eq!(capitals_of(&fold(text), text), None, "{text:?}");
        }
    }

    #[test]
    fn a_broken_file_gives_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SUGGEST_FILE);
        std::fs::write(&path, b"{\"documents\": {\"a.md\": [{\"text\": 1}]}}").unwrap();
        assert_eq!(Suggestions::load(&path).entries(), 0);
        assert_eq!(
            Suggestions::load(&dir.path().join("missing.json")).entries(),
            0
        );
    }
}
