//! Error-code lookups: which sections carry a code, and which known codes are
//! nearest to an unknown one.

use super::engine::Engine;
use super::stored::{StoredSection, StoredSections};
use crate::codes;
use crate::error::{Error, Result};
use crate::index::schema::{lang_id, LANG_EN};
use crate::index::Fields;
use crate::model::{CodeSection, ErrorAnswer, Lang, TableRecord};
use crate::text::edit_distance_within;
use crate::urls::section_url;
use std::collections::HashMap;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

/// Most sections listed for one code.
pub const MAX_CODE_SECTIONS: usize = 50;
/// Sections of each language listed by the answer inside search results;
/// `GET /api/errors/{code}` lists up to [`MAX_CODE_SECTIONS`].
pub const ANSWER_SECTIONS_PER_LANGUAGE: usize = 5;

/// Longest code text accepted from a client.
pub const MAX_CODE_CHARS: usize = 200;

/// The canonical form of a code as a client typed it (`0x80070005`,
/// `-2147024891`, `ID: 34513`); `None` for text that is no code. Text over
/// [`MAX_CODE_CHARS`] is a bad request.
pub fn canonical_code(raw: &str) -> Result<Option<String>> {
    if raw.chars().count() > MAX_CODE_CHARS {
        return Err(Error::BadQuery(format!(
            "the code is longer than {MAX_CODE_CHARS} characters"
        )));
    }
    Ok(codes::normalize(raw))
}

impl Engine {
    /// Is this canonical code carried by any section?
    pub fn knows_code(&self, canonical: &str) -> bool {
        self.known_codes().contains(canonical)
    }

    /// The codes of `codes` that some section carries, in their order.
    pub fn known_codes_among(&self, codes: &[String]) -> Vec<String> {
        codes
            .iter()
            .filter(|c| self.knows_code(c))
            .cloned()
            .collect()
    }

    /// Sections carrying `canonical` (at most [`MAX_CODE_SECTIONS`]),
    /// defining ones first, the preferred language first among equals.
    /// `None` when no section carries it.
    pub fn error_answer(
        &self,
        canonical: &str,
        prefer: Option<Lang>,
    ) -> Result<Option<ErrorAnswer>> {
        let searcher = self.searcher();
        let mut stored = StoredSections::new(&searcher);
        self.error_answer_listing(canonical, prefer, MAX_CODE_SECTIONS, &mut stored)
    }

    /// [`Engine::error_answer`] listing at most `per_language` sections of
    /// each language. Only the listed sections are read from the store
    /// (through `stored`, which a search shares with its hits): the order
    /// comes from the index's columns.
    pub(crate) fn error_answer_listing(
        &self,
        canonical: &str,
        prefer: Option<Lang>,
        per_language: usize,
        stored: &mut StoredSections<'_>,
    ) -> Result<Option<ErrorAnswer>> {
        if !self.knows_code(canonical) {
            return Ok(None);
        }
        let f = self.fields();
        let term = |field| Term::from_field_text(field, canonical);
        let term_query = |field, boost: f32| -> (Occur, Box<dyn Query>) {
            let q = TermQuery::new(term(field), IndexRecordOption::Basic);
            (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
        };
        let query = BooleanQuery::new(vec![
            term_query(f.codes_defined, 2.0),
            term_query(f.codes, 1.0),
        ]);
        let searcher = stored.searcher();
        let (top, total) =
            searcher.search(&query, &(TopDocs::with_limit(MAX_CODE_SECTIONS), Count))?;
        let defining = searcher.search(
            &TermQuery::new(term(f.codes_defined), IndexRecordOption::Basic),
            &DocSetCollector,
        )?;
        let mut carriers = Vec::with_capacity(top.len());
        for (_, address) in top {
            let c = self.columns().of(searcher, address.segment_ord)?;
            let doc = address.doc_id;
            let lang = c.lang.first(doc).unwrap_or(LANG_EN);
            carriers.push(Carrier {
                address,
                defines: defining.contains(&address),
                has_rows: c.table_rows.first(doc).unwrap_or(0) > 0,
                preferred: prefer.is_some_and(|p| lang_id(p) == lang),
                lang,
                path: c
                    .doc_number
                    .first(doc)
                    .and_then(|n| self.document_path(n))
                    .unwrap_or_default(),
                ordinal: c.ordinal.first(doc).unwrap_or(0),
            });
        }
        // Stable order: defining sections, then sections with table rows,
        // then the preferred language, then by path and place in the
        // document.
        carriers.sort_by(|a, b| {
            b.defines
                .cmp(&a.defines)
                .then_with(|| b.has_rows.cmp(&a.has_rows))
                .then_with(|| b.preferred.cmp(&a.preferred))
                .then_with(|| a.path.cmp(b.path))
                .then_with(|| a.ordinal.cmp(&b.ordinal))
        });
        let mut listed_per_language: HashMap<u64, usize> = HashMap::new();
        let mut sections = Vec::new();
        for carrier in carriers {
            let listed = listed_per_language.entry(carrier.lang).or_insert(0);
            if *listed == per_language {
                continue;
            }
            *listed += 1;
            let doc = stored.get(carrier.address)?;
            sections.push(code_section(doc, f, canonical, carrier.defines));
        }
        Ok(Some(ErrorAnswer {
            code: canonical.to_string(),
            aliases: codes::aliases(canonical),
            sections_total: total,
            sections,
        }))
    }

    /// The path of the document numbered `doc_number` (see
    /// [`crate::index::schema::doc_number`]).
    fn document_path(&self, doc_number: u64) -> Option<&str> {
        let docs = &self.manifest().docs;
        self.documents_by_number()
            .get(&doc_number)
            .map(|&i| docs[i].path.as_str())
    }

    /// Known codes closest to `canonical` by edit distance, nearest first.
    pub fn nearest_codes(&self, canonical: &str, n: usize) -> Vec<String> {
        let length = canonical.chars().count();
        let cutoff = length.max(4) / 2 + 1;
        let mut scored: Vec<(usize, &String)> = self
            .known_codes()
            .iter()
            // A length difference is a lower bound of the distance.
            .filter(|known| known.chars().count().abs_diff(length) <= cutoff)
            .filter_map(|known| Some((edit_distance_within(canonical, known, cutoff)?, known)))
            .collect();
        scored.sort();
        scored.into_iter().take(n).map(|(_, c)| c.clone()).collect()
    }
}

/// What orders the sections of an answer, from the index's columns.
struct Carrier<'a> {
    address: DocAddress,
    defines: bool,
    has_rows: bool,
    preferred: bool,
    lang: u64,
    path: &'a str,
    ordinal: u64,
}

/// A listed section of an answer, from its stored fields.
fn code_section(doc: &StoredSection, f: &Fields, canonical: &str, defines: bool) -> CodeSection {
    let text = |field| doc.text(field).to_string();
    let records = doc.records(f.records);
    let matching: Vec<TableRecord> = records
        .iter()
        .filter(|r| r.codes.iter().any(|c| c == canonical))
        .cloned()
        .collect();
    let (path, anchor) = (text(f.path), text(f.anchor));
    CodeSection {
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
    }
}
