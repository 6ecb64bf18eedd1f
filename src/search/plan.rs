//! The plan stage: an analysed query → the clauses that score it, the
//! phrases that add proximity bonuses, and the filters, each built once
//! ([`Plan`]). The tantivy queries for the routes that need one (tantivy's
//! collectors while the facet table loads, code tiers, explanations,
//! facet counts with filters) are composed from those parts.

use super::analyse::{AnalyzedQuery, QueryTerm};
use super::fuzzy;
use crate::index::Fields;
use crate::model::Lang;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Score, Term};

/// Field boosts for text terms.
const TEXT_FIELD_BOOSTS: &[(FieldKind, f32)] = &[
    (FieldKind::Title, 1.5),
    (FieldKind::Heading, 2.0),
    (FieldKind::Breadcrumbs, 1.0),
    (FieldKind::Body, 1.0),
];

/// Weight of the combined section field relative to the per-field clauses
/// (chosen on the development queries; 3–12 score within a point).
const ALL_FIELD_BOOST: f32 = 6.0;

/// Boosts for a code found in the query.
const DEFINED_CODE_BOOST: f32 = 12.0;
const MENTIONED_CODE_BOOST: f32 = 6.0;
const WEAK_CODE_FACTOR: f32 = 0.4;
const ALIAS_CODE_BOOST: f32 = 2.0;
/// Fuzzy matches score a constant; this keeps them below a typical exact match.
const FUZZY_BOOST: f32 = 1.2;
/// Bonus for adjacent query words found close together.
const PHRASE_BODY_BOOST: f32 = 1.0;
const PHRASE_HEADING_BOOST: f32 = 2.0;
const PHRASE_SLOP: u32 = 2;
/// Adjacent-word bonuses only for queries of at most this many words: in a
/// long pasted text most neighbouring words are not a phrase, and the pairs
/// cost a third of the query time at a million sections (on the development
/// queries, limits of 6 and 10 score the same as none; 3 or 0 lose).
const PHRASE_MAX_TERMS: usize = 6;
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

/// Weight of a word's transliteration (its `sound` token) relative to the
/// word itself, which scores with [`ALL_FIELD_BOOST`] and the per-field
/// boosts together.
const TRANSLIT_BOOST: f32 = 4.0;

/// Weight of a word in the problem heading a label section belongs to
/// (see [`crate::ingest::structure`]), like the heading's own weight.
const PROBLEM_BOOST: f32 = 2.0;

/// Weight of a word's translation (from the learned lexicon, times its
/// score) in the combined field, relative to the word itself.
const LEXICON_BOOST: f32 = 3.0;

/// Weight of a synonym's terms relative to the user's own words.
const SYNONYM_BOOST: f32 = 0.5;

/// `scoring` restricted to sections whose `code_field` (`codes` or
/// `codes_defined`) holds one of `codes`, or that hold one of `readings`
/// (the codes transliterated, as `sound` tokens).
pub fn carrying_codes(
    scoring: Box<dyn Query>,
    (code_field, codes): (Field, &[String]),
    (sound_field, readings): (Field, &[String]),
) -> Box<dyn Query> {
    let any: Vec<(Occur, Box<dyn Query>)> = codes
        .iter()
        .map(|c| Term::from_field_text(code_field, c))
        .chain(
            readings
                .iter()
                .map(|r| Term::from_field_text(sound_field, r)),
        )
        .map(|term| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (Occur::Should, q)
        })
        .collect();
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, scoring),
        (
            Occur::Must,
            Box::new(BoostQuery::new(Box::new(BooleanQuery::new(any)), 0.0)),
        ),
    ]))
}

/// Restrictions of a search: one language, some products.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub lang: Option<Lang>,
    /// Sections of any of these products (empty = all).
    pub products: Vec<String>,
}

/// What a search runs, built once per query: the clauses that score, the
/// phrases that add proximity bonuses at the best candidates, the filters.
pub struct Plan {
    pub filters: Filters,
    /// Term, synonym and code clauses: the score every matching section gets.
    pub clauses: Vec<Clause>,
    /// Proximity bonuses, added to the best candidates only.
    pub phrases: Vec<Phrase>,
    /// The `sound` tokens of the query words' transliterations.
    pub readings: Vec<String>,
}

impl Plan {
    pub fn new(query: &AnalyzedQuery, fields: &Fields, filters: Filters) -> Plan {
        Plan {
            filters,
            clauses: scoring_clauses(query, fields),
            phrases: phrase_clauses(query, fields),
            readings: query
                .terms
                .iter()
                .flat_map(|t| t.readings.iter().cloned())
                .collect(),
        }
    }

    /// The scoring clauses as one tantivy query, restricted by the filters:
    /// only term clauses, so a top-k search over it can skip blocks of
    /// sections that cannot reach the top (block-max WAND). Explanations use
    /// it too: tantivy 0.25's phrase scorer cannot be asked to explain a
    /// document it has already moved past.
    pub fn terms_query(&self, fields: &Fields) -> Box<dyn Query> {
        self.query(fields, &[])
    }

    /// The whole scoring query, phrases included, restricted by the filters.
    /// Its score is the sum of the clauses and the phrases; search ranks by
    /// the first and adds the second to its best candidates only.
    pub fn full_query(&self, fields: &Fields) -> Box<dyn Query> {
        self.query(fields, &self.phrases)
    }

    fn query(&self, fields: &Fields, phrases: &[Phrase]) -> Box<dyn Query> {
        let should = self
            .clauses
            .iter()
            .map(Clause::to_query)
            .chain(phrases.iter().map(Phrase::to_query))
            .map(|query| (Occur::Should, query))
            .collect();
        filtered(Box::new(BooleanQuery::new(should)), fields, &self.filters)
    }
}

/// The whole scoring query of `query` (see [`Plan::full_query`]).
pub fn build(query: &AnalyzedQuery, fields: &Fields, filters: &Filters) -> Box<dyn Query> {
    Plan::new(query, fields, filters.clone()).full_query(fields)
}

/// The scoring query without phrase-proximity bonuses (see
/// [`Plan::terms_query`]).
pub fn build_terms(query: &AnalyzedQuery, fields: &Fields, filters: &Filters) -> Box<dyn Query> {
    Plan::new(query, fields, filters.clone()).terms_query(fields)
}

/// A query matching exactly the sections [`build`] matches, for counting
/// and facets: the combined `all` field holds the title, heading and body
/// tokens, so the per-field clauses and phrases add no section to it; only
/// breadcrumbs and the code fields are outside it.
pub fn build_matching(query: &AnalyzedQuery, fields: &Fields, filters: &Filters) -> Box<dyn Query> {
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for term in &query.terms {
        for field in [fields.all, fields.breadcrumbs] {
            should.push((Occur::Should, match_term(field, term)));
        }
        for reading in &term.readings {
            should.push((Occur::Should, exact_term(fields.sound, reading)));
        }
        for (translation, _) in &term.translations {
            should.push((Occur::Should, exact_term(fields.all, translation)));
        }
    }
    for member in &query.expansions {
        for term in member {
            for field in [fields.all, fields.breadcrumbs] {
                should.push((Occur::Should, exact_term(field, term)));
            }
        }
    }
    for code in query.codes.exact.iter().chain(&query.codes.weak) {
        for field in [fields.codes_defined, fields.codes, fields.code_aliases] {
            should.push((Occur::Should, exact_term(field, code)));
        }
    }
    filtered(Box::new(BooleanQuery::new(should)), fields, filters)
}

/// Sections with `term` in `field` (any of its variants for a fuzzy term).
pub fn match_term(field: Field, term: &QueryTerm) -> Box<dyn Query> {
    if term.fuzzy == 0 {
        exact_term(field, &term.text)
    } else {
        fuzzy::query(field, &term.variants)
    }
}

fn exact_term(field: Field, text: &str) -> Box<dyn Query> {
    let term = Term::from_field_text(field, text);
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// One SHOULD clause of the scoring query.
#[derive(Debug)]
pub enum Clause {
    /// BM25 of one term, times `boost` (what a boosted [`TermQuery`] with
    /// frequencies scores); [`super::sweep`] reads these block by block.
    Term { term: Term, boost: f32 },
    /// Anything else (typo matches).
    Query(Box<dyn Query>),
}

impl Clause {
    fn term(field: Field, text: &str, boost: f32) -> Clause {
        Clause::Term {
            term: Term::from_field_text(field, text),
            boost,
        }
    }

    /// The clause as a tantivy query.
    pub fn to_query(&self) -> Box<dyn Query> {
        match self {
            Clause::Term { term, boost } => {
                let query = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                Box::new(BoostQuery::new(Box::new(query), *boost))
            }
            Clause::Query(query) => query.box_clone(),
        }
    }
}

/// The clause of a query word in `field`: its term, or for a typo the
/// words it stands for (a constant score, [`FUZZY_BOOST`] times `boost`).
fn word_clause(field: Field, term: &QueryTerm, boost: f32) -> Clause {
    if term.fuzzy == 0 {
        Clause::term(field, &term.text, boost)
    } else {
        Clause::Query(Box::new(BoostQuery::new(
            fuzzy::query(field, &term.variants),
            boost * FUZZY_BOOST,
        )))
    }
}

/// Term, synonym and code clauses of the scoring query.
pub fn scoring_clauses(query: &AnalyzedQuery, fields: &Fields) -> Vec<Clause> {
    let mut should: Vec<Clause> = Vec::new();
    for term in &query.terms {
        // The whole section as one field (one length normalisation) …
        should.push(word_clause(fields.all, term, ALL_FIELD_BOOST));
        // … plus each field on its own, so a match in a heading counts more.
        for (kind, boost) in TEXT_FIELD_BOOSTS {
            should.push(word_clause(kind.field(fields), term, *boost));
        }
    }
    for term in &query.terms {
        if query.problems {
            should.push(word_clause(fields.problem, term, PROBLEM_BOOST));
        }
        for reading in &term.readings {
            should.push(Clause::term(fields.sound, reading, TRANSLIT_BOOST));
        }
        for (translation, score) in &term.translations {
            should.push(Clause::term(fields.all, translation, LEXICON_BOOST * score));
        }
    }
    for member in &query.expansions {
        let boost_each = SYNONYM_BOOST / member.len() as f32;
        for term in member {
            for (kind, boost) in TEXT_FIELD_BOOSTS {
                should.push(Clause::term(kind.field(fields), term, boost * boost_each));
            }
        }
    }
    for code in &query.codes.exact {
        should.push(Clause::term(fields.codes_defined, code, DEFINED_CODE_BOOST));
        should.push(Clause::term(fields.codes, code, MENTIONED_CODE_BOOST));
        should.push(Clause::term(fields.code_aliases, code, ALIAS_CODE_BOOST));
    }
    for code in &query.codes.weak {
        should.push(Clause::term(
            fields.codes_defined,
            code,
            DEFINED_CODE_BOOST * WEAK_CODE_FACTOR,
        ));
        should.push(Clause::term(
            fields.codes,
            code,
            MENTIONED_CODE_BOOST * WEAK_CODE_FACTOR,
        ));
        should.push(Clause::term(fields.code_aliases, code, ALIAS_CODE_BOOST));
    }
    should
}

/// Bonuses for query words found close together: each synonym phrase and
/// each pair of adjacent exact words, in the body and in the heading.
pub fn phrase_clauses(query: &AnalyzedQuery, fields: &Fields) -> Vec<Phrase> {
    let mut phrases = Vec::new();
    for member in query.expansions.iter().filter(|m| m.len() > 1) {
        for (field, boost) in [
            (fields.body, PHRASE_BODY_BOOST),
            (fields.heading, PHRASE_HEADING_BOOST),
        ] {
            phrases.push(Phrase {
                terms: member
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
                slop: 1,
                boost: boost * SYNONYM_BOOST,
            });
        }
    }
    let exact: Vec<&QueryTerm> = query.terms.iter().filter(|t| t.fuzzy == 0).collect();
    let pairs = if exact.len() <= PHRASE_MAX_TERMS {
        exact.windows(2).collect()
    } else {
        Vec::new()
    };
    for pair in pairs {
        for (field, boost, slop) in [
            (fields.body, PHRASE_BODY_BOOST, PHRASE_SLOP),
            (fields.heading, PHRASE_HEADING_BOOST, 1),
        ] {
            phrases.push(Phrase {
                terms: vec![
                    Term::from_field_text(field, &pair[0].text),
                    Term::from_field_text(field, &pair[1].text),
                ],
                slop,
                boost,
            });
        }
    }
    phrases
}

/// A proximity bonus: the terms of one field in order, each at most `slop`
/// positions from where the phrase puts it, scored as tantivy's
/// [`PhraseQuery`] scores them, times `boost`.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub terms: Vec<Term>,
    pub slop: u32,
    pub boost: Score,
}

impl Phrase {
    /// The phrase as a tantivy query.
    pub fn to_query(&self) -> Box<dyn Query> {
        let mut phrase = PhraseQuery::new(self.terms.clone());
        phrase.set_slop(self.slop);
        Box::new(BoostQuery::new(Box::new(phrase), self.boost))
    }
}

/// `scoring` restricted by `filters`; the filters add nothing to the score.
pub fn filtered(scoring: Box<dyn Query>, fields: &Fields, filters: &Filters) -> Box<dyn Query> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(lang) = filters.lang {
        let term = Term::from_field_text(fields.lang, lang.code());
        must.push((
            Occur::Must,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        ));
    }
    if !filters.products.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> = filters
            .products
            .iter()
            .map(|p| {
                let term = Term::from_field_text(fields.product, p);
                let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (Occur::Should, q)
            })
            .collect();
        must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if must.is_empty() {
        return scoring;
    }
    let filter: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(BooleanQuery::new(must)), 0.0));
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, scoring),
        (Occur::Must, filter),
    ]))
}
