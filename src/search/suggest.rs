//! Search-as-you-type completions from titles, headings and codes, and
//! "did you mean" corrections from the same vocabulary.
//!
//! The list is written by the index build (`suggest.json` in the generation)
//! and loaded on first use, so opening a large index stays fast.

use super::query::fuzzy_distance;
use super::Engine;
use crate::analysis::normalize_word;
use crate::search::lookup::edit_distance;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
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
    seen: HashSet<(String, SuggestionKind, String)>,
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
        let list = self.documents.entry(document.to_string()).or_default();
        {
            list.push(Suggestion {
                text: text.to_string(),
                kind,
                url,
            });
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

/// The loaded completion list with lowercase forms and a word vocabulary.
#[derive(Debug, Default)]
pub(crate) struct Suggestions {
    entries: Vec<(String, Suggestion)>,
    /// Lowercase words of titles and headings with their counts.
    vocabulary: HashMap<String, u32>,
}

impl Suggestions {
    pub(crate) fn load(path: &Path) -> Suggestions {
        let builder = SuggestionsBuilder::read(path);
        let mut seen = HashSet::new();
        let list: Vec<Suggestion> = builder
            .documents
            .into_values()
            .flatten()
            .filter(|s| s.kind != SuggestionKind::Code || seen.insert(s.text.clone()))
            .collect();
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let entries = list
            .into_iter()
            .map(|s| {
                let folded = fold(&s.text);
                if s.kind != SuggestionKind::Code {
                    for word in folded
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| w.chars().count() >= 3)
                    {
                        *vocabulary.entry(word.to_string()).or_insert(0) += 1;
                    }
                }
                (folded, s)
            })
            .collect();
        Suggestions {
            entries,
            vocabulary,
        }
    }
}

/// Lowercase, `ё`→`е`, whitespace collapsed.
fn fold(text: &str) -> String {
    text.split_whitespace()
        .map(normalize_word)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Engine {
    /// Up to `limit` completions for what the user has typed so far: entries
    /// containing every typed word; entries that start with the text first,
    /// codes before headings before titles, shorter first.
    pub fn suggest(&self, typed: &str, limit: usize) -> Vec<Suggestion> {
        let folded = fold(typed);
        if folded.chars().count() < 2 {
            return Vec::new();
        }
        let words: Vec<&str> = folded.split(' ').collect();
        let mut matches: Vec<(u8, usize, &Suggestion)> = Vec::new();
        for (entry_folded, suggestion) in &self.suggestions().entries {
            if !words.iter().all(|w| entry_folded.contains(w)) {
                continue;
            }
            let rank = if entry_folded.starts_with(&folded) {
                0
            } else if entry_folded.split(' ').any(|w| w.starts_with(words[0])) {
                1
            } else {
                2
            };
            let kind = match suggestion.kind {
                SuggestionKind::Code => 0,
                SuggestionKind::Heading => 1,
                SuggestionKind::Title => 2,
            };
            matches.push((rank * 3 + kind, entry_folded.len(), suggestion));
        }
        matches.sort_by_key(|m| (m.0, m.1));
        matches
            .into_iter()
            .take(limit)
            .map(|(_, _, s)| s.clone())
            .collect()
    }

    /// The query with each word the index does not know replaced by the
    /// closest title/heading word (within the fuzzy distance for its
    /// length, at least 1); `None` when nothing changes.
    pub fn did_you_mean(&self, query: &str, known: &dyn Fn(&str) -> bool) -> Option<String> {
        let vocabulary = &self.suggestions().vocabulary;
        let mut changed = false;
        let words: Vec<String> = query
            .split_whitespace()
            .map(|word| {
                let lower = normalize_word(word);
                let terms = crate::analysis::analyze(&lower);
                if lower.chars().count() < 3 || terms.iter().all(|t| known(&t.text)) {
                    return word.to_string();
                }
                let allowed = usize::from(fuzzy_distance(&lower).max(1));
                let length = lower.chars().count();
                let best = vocabulary
                    .iter()
                    .filter(|(v, _)| v.chars().count().abs_diff(length) <= allowed)
                    .map(|(v, count)| (edit_distance(&lower, v), std::cmp::Reverse(*count), v))
                    .filter(|(d, _, _)| *d <= allowed)
                    .min();
                match best {
                    Some((_, _, v)) => {
                        changed = true;
                        v.clone()
                    }
                    None => word.to_string(),
                }
            })
            .collect();
        changed.then(|| words.join(" "))
    }
}
