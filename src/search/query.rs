//! User text → tantivy query. Never fails on user input: the text is
//! analysed into terms and codes, not parsed as query syntax, so quotes,
//! `AND`, `OR`, `:`, `*`, brackets and `-` are just characters.

use super::stopwords::is_stop_term;
use crate::analysis::analyze;
use crate::codes::{self, QueryCodes};
use crate::index::Fields;
use crate::model::Lang;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// Field boosts for text terms.
const TEXT_FIELD_BOOSTS: &[(FieldKind, f32)] = &[
    (FieldKind::Title, 1.5),
    (FieldKind::Heading, 3.0),
    (FieldKind::Breadcrumbs, 1.0),
    (FieldKind::Body, 1.0),
];

/// Boosts for a code found in the query.
const DEFINED_CODE_BOOST: f32 = 12.0;
const MENTIONED_CODE_BOOST: f32 = 6.0;
const WEAK_CODE_FACTOR: f32 = 0.4;
const ALIAS_CODE_BOOST: f32 = 2.0;

#[derive(Debug, Clone, Copy)]
enum FieldKind {
    Title,
    Heading,
    Breadcrumbs,
    Body,
}

impl FieldKind {
    fn field(self, fields: &Fields) -> Field {
        match self {
            FieldKind::Title => fields.title,
            FieldKind::Heading => fields.heading,
            FieldKind::Breadcrumbs => fields.breadcrumbs,
            FieldKind::Body => fields.body,
        }
    }
}

/// A query after analysis.
#[derive(Debug, Clone, Default)]
pub struct AnalyzedQuery {
    /// Distinct analysed text terms, stop words removed unless nothing else is left.
    pub terms: Vec<String>,
    pub codes: QueryCodes,
}

impl AnalyzedQuery {
    pub fn new(text: &str) -> AnalyzedQuery {
        let mut all: Vec<String> = Vec::new();
        for term in analyze(text) {
            if !all.contains(&term.text) {
                all.push(term.text);
            }
        }
        let content: Vec<String> = all.iter().filter(|t| !is_stop_term(t)).cloned().collect();
        let terms = if content.is_empty() { all } else { content };
        AnalyzedQuery {
            terms,
            codes: codes::extract_from_query(text),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.codes.is_empty()
    }
}

fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let query = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(query), boost))
}

/// Builds the scoring query, optionally restricted to one language.
pub fn build(query: &AnalyzedQuery, fields: &Fields, lang: Option<Lang>) -> Box<dyn Query> {
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for term in &query.terms {
        for (kind, boost) in TEXT_FIELD_BOOSTS {
            should.push((Occur::Should, term_query(kind.field(fields), term, *boost)));
        }
    }
    for code in &query.codes.exact {
        should.push((
            Occur::Should,
            term_query(fields.codes_defined, code, DEFINED_CODE_BOOST),
        ));
        should.push((
            Occur::Should,
            term_query(fields.codes, code, MENTIONED_CODE_BOOST),
        ));
        should.push((
            Occur::Should,
            term_query(fields.code_aliases, code, ALIAS_CODE_BOOST),
        ));
    }
    for code in &query.codes.weak {
        should.push((
            Occur::Should,
            term_query(
                fields.codes_defined,
                code,
                DEFINED_CODE_BOOST * WEAK_CODE_FACTOR,
            ),
        ));
        should.push((
            Occur::Should,
            term_query(fields.codes, code, MENTIONED_CODE_BOOST * WEAK_CODE_FACTOR),
        ));
        should.push((
            Occur::Should,
            term_query(fields.code_aliases, code, ALIAS_CODE_BOOST),
        ));
    }
    let scoring: Box<dyn Query> = Box::new(BooleanQuery::new(should));
    match lang {
        None => scoring,
        Some(lang) => {
            let filter = TermQuery::new(
                Term::from_field_text(fields.lang, lang.code()),
                IndexRecordOption::Basic,
            );
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, scoring),
                (
                    Occur::Must,
                    Box::new(BoostQuery::new(Box::new(filter), 0.0)),
                ),
            ]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_dropped_unless_nothing_remains() {
        let q = AnalyzedQuery::new("how to fix the proxy");
        assert!(q.terms.contains(&"proxi".to_string()), "{:?}", q.terms);
        assert!(!q.terms.iter().any(|t| t == "the" || t == "to"));
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
            AnalyzedQuery::new("title:proxy").terms,
            vec!["titl", "proxi"]
        );
    }
}
