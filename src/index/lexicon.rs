//! A bilingual lexicon learned from the knowledge base's own translations.
//!
//! The English and Russian versions of an article sit at the same relative
//! path and keep the original's anchors, so their sections pair up (the
//! same [`super::schema::pair_key`]). Across those pairs, a Russian word
//! and its English translation keep turning up together: the lexicon
//! scores every (Russian term, English term) pair by the Dice coefficient
//! of the section pairs they occur in, `2·both / (ru + en)`, and keeps the
//! best few translations of each term, both ways. Nothing is written by
//! hand, so it works on any bilingual knowledge base.

use crate::analysis::{analyze, script_of, Script};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// File of the lexicon in an index generation.
pub const LEXICON_FILE: &str = "lexicon.json";

/// Translations kept per term.
const MAX_TRANSLATIONS: usize = 3;
/// Section pairs two terms must share to be translations of each other.
const MIN_SHARED_PAIRS: u32 = 2;
/// Least Dice coefficient of a translation.
const MIN_DICE: f32 = 0.3;
/// Terms in more than this share of the pairs (and more than
/// [`MIN_COMMON_PAIRS`]) say nothing about a section (function words, the
/// product's name).
const MAX_PAIR_SHARE: f32 = 0.3;
const MIN_COMMON_PAIRS: f32 = 10.0;
/// A translation scores at least this share of the best translation of
/// either of its two terms (competitive linking: a function word that
/// co-occurs with everything loses to the real translation on both sides).
const MIN_SHARE_OF_BEST: f32 = 0.7;
/// Shorter terms (one- and two-letter prepositions, stems cut to a letter
/// or two) carry no meaning of their own.
const MIN_TERM_CHARS: usize = 3;
/// Terms read from each section (the first distinct ones: heading, then
/// body); bounds the cost of a long section.
const TERMS_PER_SECTION: usize = 150;
/// Section pairs learned from, at most; bounds the build time of a huge
/// knowledge base (the first pairs in path order).
pub const MAX_SECTION_PAIRS: usize = 5_000;

/// One translation of a term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Translation {
    pub term: String,
    /// Dice coefficient over the section pairs, in `MIN_DICE..=1`.
    pub score: f32,
    /// Section pairs holding both terms.
    pub shared: u32,
}

/// Translations of analysed terms, Russian → English and English → Russian.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lexicon {
    /// Section pairs it was learned from.
    pub pairs: usize,
    entries: BTreeMap<String, Vec<Translation>>,
}

impl Lexicon {
    /// Learns from aligned sections, each given as the analysed terms of
    /// its Russian and of its English text.
    pub fn learn(aligned: &[(Vec<String>, Vec<String>)]) -> Lexicon {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut words: Vec<String> = Vec::new();
        let mut id_of = |term: &str| -> u32 {
            if let Some(&id) = ids.get(term) {
                return id;
            }
            let id = words.len() as u32;
            ids.insert(term.to_string(), id);
            words.push(term.to_string());
            id
        };
        let sections: Vec<(Vec<u32>, Vec<u32>)> = aligned
            .iter()
            .map(|(ru, en)| {
                let ru = distinct(ru, Script::Cyrillic).map(&mut id_of).collect();
                let en = distinct(en, Script::Latin).map(&mut id_of).collect();
                (ru, en)
            })
            .collect();
        let mut pairs_of = vec![0u32; words.len()];
        for (ru, en) in &sections {
            for &id in ru.iter().chain(en) {
                pairs_of[id as usize] += 1;
            }
        }
        let most = (aligned.len() as f32 * MAX_PAIR_SHARE).max(MIN_COMMON_PAIRS);
        // Only terms in enough pairs, and not in too many, can make an
        // entry: the others (most of them in one pair only) are not counted.
        let eligible = |ids: &[u32]| -> Vec<u32> {
            ids.iter()
                .copied()
                .filter(|&id| {
                    let n = pairs_of[id as usize];
                    n >= MIN_SHARED_PAIRS && n as f32 <= most
                })
                .collect()
        };
        let mut shared: rustc_hash::FxHashMap<u64, u32> = Default::default();
        for (ru, en) in &sections {
            let en = eligible(en);
            for r in eligible(ru) {
                for &e in &en {
                    *shared
                        .entry((u64::from(r) << 32) | u64::from(e))
                        .or_default() += 1;
                }
            }
        }
        let mut candidates: HashMap<u32, Vec<(u32, f32, u32)>> = HashMap::new();
        for (key, both) in shared {
            let (r, e) = ((key >> 32) as u32, key as u32);
            let (in_ru, in_en) = (pairs_of[r as usize], pairs_of[e as usize]);
            if both < MIN_SHARED_PAIRS {
                continue;
            }
            let dice = 2.0 * both as f32 / (in_ru + in_en) as f32;
            if dice >= MIN_DICE {
                candidates.entry(r).or_default().push((e, dice, both));
                candidates.entry(e).or_default().push((r, dice, both));
            }
        }
        let best: HashMap<u32, f32> = candidates
            .iter()
            .map(|(&term, found)| (term, found.iter().map(|f| f.1).fold(0.0, f32::max)))
            .collect();
        let entries = candidates
            .into_iter()
            .filter_map(|(term, mut found)| {
                found.retain(|&(other, score, _)| {
                    score >= MIN_SHARE_OF_BEST * best[&term]
                        && score >= MIN_SHARE_OF_BEST * best[&other]
                });
                if found.is_empty() {
                    return None;
                }
                found.sort_by(|a, b| {
                    b.1.total_cmp(&a.1)
                        .then(b.2.cmp(&a.2))
                        .then_with(|| words[a.0 as usize].cmp(&words[b.0 as usize]))
                });
                found.truncate(MAX_TRANSLATIONS);
                let translations = found
                    .into_iter()
                    .map(|(other, score, shared)| Translation {
                        term: words[other as usize].clone(),
                        score,
                        shared,
                    })
                    .collect();
                Some((words[term as usize].clone(), translations))
            })
            .collect();
        Lexicon {
            pairs: aligned.len(),
            entries,
        }
    }

    /// The translations of an analysed term, best first.
    pub fn translations(&self, term: &str) -> &[Translation] {
        self.entries.get(term).map_or(&[], Vec::as_slice)
    }

    /// Terms with at least one translation.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every term with its translations, in term order.
    pub fn entries(&self) -> Vec<(&str, &[Translation])> {
        self.entries
            .iter()
            .map(|(term, found)| (term.as_str(), found.as_slice()))
            .collect()
    }

    /// Reads the lexicon of an index generation; empty when the file is
    /// missing or unreadable (the search then translates nothing).
    pub fn load(path: &Path) -> Lexicon {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!("{}: unreadable lexicon, none used: {e}", path.display());
                Lexicon::default()
            }),
            Err(_) => Lexicon::default(),
        }
    }

    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        std::fs::write(path, serde_json::to_vec(self)?)
    }
}

/// The analysed terms of a section's text that count for the lexicon:
/// words of `script` (not codes, not numbers), the first
/// `TERMS_PER_SECTION` distinct ones.
pub fn section_terms(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    analyze(text)
        .into_iter()
        .filter(|t| {
            !t.is_code
                && t.text.chars().all(char::is_alphabetic)
                && t.text.chars().count() >= MIN_TERM_CHARS
        })
        .map(|t| t.text)
        .filter(|t| seen.insert(t.clone()))
        .take(TERMS_PER_SECTION)
        .collect()
}

fn distinct(terms: &[String], script: Script) -> impl Iterator<Item = &str> {
    let mut seen = std::collections::HashSet::new();
    terms
        .iter()
        .map(String::as_str)
        .filter(move |t| script_of(t) == script && seen.insert(*t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        section_terms(text)
    }

    #[test]
    fn words_that_keep_turning_up_together_are_translations() {
        let mut aligned = Vec::new();
        for (ru, en) in [
            (
                "Проверьте сертификат сервера",
                "Check the server certificate",
            ),
            ("Сертификат истёк", "The certificate expired"),
            (
                "Обновите сертификат клиента",
                "Renew the client certificate",
            ),
            ("Перезапустите службу", "Restart the service"),
            ("Служба не отвечает", "The service does not respond"),
            (
                "Клиент не подключается к серверу",
                "The client does not connect to the server",
            ),
        ] {
            aligned.push((terms(ru), terms(en)));
        }
        let lexicon = Lexicon::learn(&aligned);
        assert_eq!(lexicon.pairs, 6);
        let ru = analyze("сертификат")[0].text.clone();
        let en = analyze("certificate")[0].text.clone();
        assert_eq!(lexicon.translations(&ru)[0].term, en);
        assert_eq!(lexicon.translations(&en)[0].term, ru);
        let service = analyze("служба")[0].text.clone();
        assert_eq!(
            lexicon.translations(&service)[0].term,
            analyze("service")[0].text
        );
        // Seen together once only: no evidence.
        assert!(lexicon.translations(&analyze("истёк")[0].text).is_empty());
    }

    #[test]
    fn the_order_of_the_pairs_does_not_matter() {
        let texts = [
            ("ключ секции", "partition key"),
            ("горячий ключ секции", "hot partition key"),
            ("горячий уровень", "hot tier"),
            ("уровень хранения", "storage tier"),
        ];
        let aligned: Vec<_> = texts.iter().map(|(r, e)| (terms(r), terms(e))).collect();
        let mut reversed = aligned.clone();
        reversed.reverse();
        let learned = Lexicon::learn(&aligned);
        assert!(!learned.is_empty());
        assert_eq!(learned, Lexicon::learn(&reversed));
        assert_eq!(
            serde_json::to_string(&learned).unwrap(),
            serde_json::to_string(&Lexicon::learn(&reversed)).unwrap()
        );
    }

    #[test]
    fn a_lexicon_round_trips_through_its_file() {
        let aligned = vec![
            (terms("ключ секции"), terms("partition key")),
            (terms("ключ секции горячий"), terms("hot partition key")),
        ];
        let lexicon = Lexicon::learn(&aligned);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LEXICON_FILE);
        lexicon.write(&path).unwrap();
        assert_eq!(Lexicon::load(&path), lexicon);
        assert!(Lexicon::load(&dir.path().join("missing.json")).is_empty());
    }
}
