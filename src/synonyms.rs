//! Synonyms and a Russian↔English glossary, applied at query time.
//!
//! The knowledge base ships them in `synonyms.toml` at the content root:
//!
//! ```toml
//! groups = [
//!   ["бэкап", "резервное копирование", "backup"],
//!   ["виртуалка", "виртуальная машина", "VM", "virtual machine"],
//! ]
//! ```
//!
//! A query containing one member of a group also searches for the others,
//! with a lower weight. The file is read when the index is built and stored
//! with it, so a running server and its index always agree.

use crate::analysis::analyze;
use crate::error::SynonymsError;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// File name looked up at the content root.
pub const SYNONYMS_FILE: &str = "synonyms.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    groups: Vec<toml::Spanned<Vec<String>>>,
}

/// Parsed groups: each member as its analysed terms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Synonyms {
    groups: Vec<Vec<Vec<String>>>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Synonyms {
    /// Parses the text of a synonyms file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Synonyms, SynonymsError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| SynonymsError {
            file: file.to_string(),
            line: e.span().map(|s| line_of(text, s.start)).unwrap_or(1),
            message: e.message().to_string(),
        })?;
        let mut groups = Vec::with_capacity(raw.groups.len());
        for group in raw.groups {
            let line = line_of(text, group.span().start);
            let members: Vec<Vec<String>> = group
                .get_ref()
                .iter()
                .map(|m| analyze(m).into_iter().map(|t| t.text).collect::<Vec<_>>())
                .collect();
            if let Some(empty) = group
                .get_ref()
                .iter()
                .zip(&members)
                .find(|(_, terms)| terms.is_empty())
            {
                return Err(SynonymsError {
                    file: file.to_string(),
                    line,
                    message: format!("member {:?} has no searchable words", empty.0),
                });
            }
            if members.len() < 2 {
                return Err(SynonymsError {
                    file: file.to_string(),
                    line,
                    message: "a group needs at least two members".to_string(),
                });
            }
            groups.push(members);
        }
        Ok(Synonyms { groups })
    }

    /// Reads `<content>/synonyms.toml`; no file means no synonyms.
    pub fn load(content: &Path) -> Result<Synonyms, SynonymsError> {
        let path = content.join(SYNONYMS_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Synonyms::parse(&path.display().to_string(), &text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Synonyms::default()),
            Err(err) => Err(SynonymsError {
                file: path.display().to_string(),
                line: 0,
                message: err.to_string(),
            }),
        }
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The members (as term sequences) to add for a query whose analysed
    /// terms are `query_terms`: every other member of each group that has a
    /// member appearing in the query as a contiguous run of terms.
    pub fn expand(&self, query_terms: &[String]) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = Vec::new();
        for group in &self.groups {
            let matched = group.iter().any(|member| contains_run(query_terms, member));
            if !matched {
                continue;
            }
            for member in group {
                if !contains_run(query_terms, member) && !out.contains(member) {
                    out.push(member.clone());
                }
            }
        }
        out
    }
}

impl Synonyms {
    /// True when `term` (analysed) is a word of some member.
    pub fn knows_term(&self, term: &str) -> bool {
        self.groups.iter().flatten().flatten().any(|t| t == term)
    }

    /// The one-word member closest to a misspelt `term` within `distance`
    /// edits (characters), when there is a single closest one; `None` for a
    /// distance of 0 (a word is never its own correction).
    pub fn closest_member(&self, term: &str, distance: usize) -> Option<&str> {
        if distance == 0 {
            return None;
        }
        let length = term.chars().count();
        let mut best: Option<(usize, &str)> = None;
        let mut tie = false;
        for member in self.groups.iter().flatten() {
            let [word] = member.as_slice() else { continue };
            // Words whose lengths differ by more than `distance` are further
            // apart than that; most members are skipped without a distance.
            if word.chars().count().abs_diff(length) > distance {
                continue;
            }
            let Some(d) = crate::text::edit_distance_within(term, word, distance) else {
                continue;
            };
            if d == 0 {
                continue;
            }
            match best {
                Some((b, w)) if d == b && w != word => tie = true,
                Some((b, _)) if d >= b => {}
                _ => {
                    best = Some((d, word));
                    tie = false;
                }
            }
        }
        best.filter(|_| !tie).map(|(_, word)| word)
    }
}

fn contains_run(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        analyze(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn misspelt_words_find_their_group() {
        let s = Synonyms::parse(
            "t.toml",
            "groups = [[\"пропадают\", \"исчезают\", \"disappear\"], [\"прокси\", \"proxy\"]]\n",
        )
        .unwrap();
        let typo = &terms("пропдают")[0];
        assert_eq!(
            s.closest_member(typo, 1),
            Some(terms("пропадают")[0].as_str())
        );
        assert_eq!(s.closest_member(typo, 0), None);
        assert_eq!(
            s.closest_member(typo, 2),
            Some(terms("пропадают")[0].as_str())
        );
        // A correctly spelt member is not a correction of itself.
        assert_eq!(s.closest_member(&terms("прокси")[0], 1), None);
        assert_eq!(s.closest_member(&terms("балалайка")[0], 2), None);
    }

    #[test]
    fn groups_expand_words_and_phrases() {
        let s = Synonyms::parse(
            "t.toml",
            "groups = [\n  [\"бэкап\", \"резервное копирование\", \"backup\"],\n  [\"прокси\", \"proxy\"],\n]\n",
        )
        .unwrap();
        assert_eq!(s.len(), 2);
        let added = s.expand(&terms("бэкапы не работают"));
        assert!(added.contains(&terms("резервное копирование")), "{added:?}");
        assert!(added.contains(&terms("backup")), "{added:?}");
        let added = s.expand(&terms("резервного копирования нет"));
        assert!(added.contains(&terms("бэкап")), "{added:?}");
        assert!(s.expand(&terms("диск заполнен")).is_empty());
    }

    #[test]
    fn errors_name_the_line() {
        let err = Synonyms::parse(
            "s.toml",
            "groups = [\n  [\"a\", \"b\"],\n  [\"c\" \"d\"],\n]\n",
        )
        .unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(err.to_string().starts_with("s.toml: line 3:"), "{err}");

        let err = Synonyms::parse("s.toml", "groups = [\n  [\"alone\"],\n]\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("two members"));

        let err = Synonyms::parse("s.toml", "groups = [[\"ok\", \"---\"]]\n").unwrap_err();
        assert!(err.message.contains("no searchable words"), "{err}");

        let err = Synonyms::parse("s.toml", "group = []\n").unwrap_err();
        assert_eq!(err.line, 1, "{err}");
    }
}
