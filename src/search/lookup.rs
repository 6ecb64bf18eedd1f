//! Error-code lookups: which sections carry a code, and which known codes are
//! nearest to an unknown one.

use super::Engine;
use crate::codes;
use crate::error::Result;
use crate::model::{section_url, CodeSection, ErrorAnswer, Lang, TableRecord};
use std::collections::BTreeSet;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

/// Most sections listed for one code.
pub const MAX_CODE_SECTIONS: usize = 50;

/// Every distinct canonical code in the index.
pub fn collect_known_codes(
    searcher: &Searcher,
    field: tantivy::schema::Field,
) -> Result<BTreeSet<String>> {
    let mut known = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .stream()
            .map_err(|e| crate::Error::Tantivy(e.into()))?;
        while stream.advance() {
            if let Ok(code) = std::str::from_utf8(stream.key()) {
                known.insert(code.to_string());
            }
        }
    }
    Ok(known)
}

impl Engine {
    /// Is this canonical code carried by any section?
    pub fn knows_code(&self, canonical: &str) -> bool {
        self.known_codes.contains(canonical)
    }

    /// The codes of `codes` that some section carries, in their order.
    pub fn known_codes_among(&self, codes: &[String]) -> Vec<String> {
        codes
            .iter()
            .filter(|c| self.knows_code(c))
            .cloned()
            .collect()
    }

    /// Sections carrying `canonical`, defining ones first, the preferred
    /// language first among equals. `None` when no section carries it.
    pub fn error_answer(
        &self,
        canonical: &str,
        prefer: Option<Lang>,
    ) -> Result<Option<ErrorAnswer>> {
        if !self.knows_code(canonical) {
            return Ok(None);
        }
        let f = self.fields();
        let term_query = |field, boost: f32| -> (Occur, Box<dyn Query>) {
            let q = TermQuery::new(
                Term::from_field_text(field, canonical),
                IndexRecordOption::Basic,
            );
            (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
        };
        let query = BooleanQuery::new(vec![
            term_query(f.codes_defined, 2.0),
            term_query(f.codes, 1.0),
        ]);
        let searcher = self.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(MAX_CODE_SECTIONS))?;
        let mut sections = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let defines = doc
                .get_all(f.codes_defined)
                .filter_map(|v| v.as_str())
                .any(|c| c == canonical);
            let records: Vec<TableRecord> = doc
                .get_first(f.records)
                .and_then(|v| v.as_str())
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default();
            let matching: Vec<TableRecord> = records
                .iter()
                .filter(|r| r.codes.iter().any(|c| c == canonical))
                .cloned()
                .collect();
            let (path, anchor) = (text(f.path), text(f.anchor));
            sections.push(CodeSection {
                url: section_url(&path, &anchor),
                path,
                anchor,
                title: text(f.title),
                heading: text(f.heading),
                lang: text(f.lang).parse().unwrap_or(Lang::En),
                defines,
                records: if matching.is_empty() {
                    records
                } else {
                    matching
                },
            });
        }
        // Stable order: defining sections, then sections with table rows, then
        // the preferred language, then path and anchor for determinism.
        sections.sort_by(|a, b| {
            b.defines
                .cmp(&a.defines)
                .then_with(|| (!b.records.is_empty()).cmp(&!a.records.is_empty()))
                .then_with(|| (Some(b.lang) == prefer).cmp(&(Some(a.lang) == prefer)))
                .then_with(|| a.path.cmp(&b.path))
                .then_with(|| a.anchor.cmp(&b.anchor))
        });
        Ok(Some(ErrorAnswer {
            code: canonical.to_string(),
            aliases: codes::aliases(canonical),
            sections,
        }))
    }

    /// Known codes closest to `canonical` by edit distance, nearest first.
    pub fn nearest_codes(&self, canonical: &str, n: usize) -> Vec<String> {
        let length = canonical.chars().count();
        let cutoff = length.max(4) / 2 + 1;
        let mut scored: Vec<(usize, &String)> = self
            .known_codes
            .iter()
            // A length difference is a lower bound of the distance.
            .filter(|known| known.chars().count().abs_diff(length) <= cutoff)
            .filter_map(|known| Some((edit_distance_within(canonical, known, cutoff)?, known)))
            .collect();
        scored.sort();
        scored.into_iter().take(n).map(|(_, c)| c.clone()).collect()
    }
}

/// Levenshtein distance in characters when it is at most `max`; `None`
/// as soon as every continuation would exceed it.
pub fn edit_distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        if current.iter().min().is_some_and(|&least| least > max) {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&distance| distance <= max)
}

/// Levenshtein distance in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    edit_distance_within(a, b, usize::MAX).expect("no distance exceeds usize::MAX")
}

#[cfg(test)]
mod tests {
    use super::{edit_distance, edit_distance_within};

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("34513", "34513"), 0);
        assert_eq!(edit_distance("34513", "34514"), 1);
        assert_eq!(edit_distance("ошибка", "ошибки"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        for (a, b) in [
            ("certificate", "certifcate"),
            ("ошибка", "ошибки"),
            ("proxy", "proxies"),
            ("abc", "xyz"),
            ("", "ab"),
            ("кластер", "cluster"),
        ] {
            for max in 0..4 {
                let full = edit_distance(a, b);
                assert_eq!(
                    edit_distance_within(a, b, max),
                    (full <= max).then_some(full),
                    "{a} {b} {max}"
                );
            }
        }
    }
}
