//! The page stage: the requested slice of the ranked sections, read from
//! the store once each, with snippets for those hits only.

use super::rank::Ranked;
use super::snippet::Snippets;
use super::stored::{StoredSection, StoredSections};
use crate::error::Result;
use crate::index::schema::BREADCRUMB_SEPARATOR;
use crate::index::schema::{counterpart_key, pair_key};
use crate::index::Fields;
use crate::model::{Lang, SearchHit, SectionLink};
use crate::urls::section_url;
use tantivy::query::Query;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Searcher, Term, TERMINATED};

/// The hits of `ranked[offset..offset + limit]`; `explain` attaches each
/// hit's score explanation under that query.
pub fn hits(
    stored: &mut StoredSections<'_>,
    fields: &Fields,
    ranked: Vec<Ranked>,
    (offset, limit): (usize, usize),
    full_query: &dyn Query,
    explain: Option<&dyn Query>,
) -> Result<Vec<SearchHit>> {
    let searcher = stored.searcher();
    let snippets = Snippets::new(searcher, full_query, fields.body)?;
    let mut hits = Vec::with_capacity(limit.min(ranked.len()));
    for ranked in ranked.into_iter().skip(offset).take(limit) {
        let doc = stored.get(ranked.address)?;
        let mut hit = hit(doc, fields, ranked.score, &snippets);
        hit.counterpart = counterpart(searcher, fields, &hit.path, &hit.anchor, hit.lang)?;
        if let Some(query) = explain {
            let explanation = query.explain(stored.searcher(), ranked.address)?;
            hit.explanation = serde_json::from_str(&explanation.to_pretty_json()).ok();
        }
        hits.push(hit);
    }
    Ok(hits)
}

fn hit(doc: &StoredSection, f: &Fields, score: f32, snippets: &Snippets) -> SearchHit {
    let text = |field| doc.text(field).to_string();
    let breadcrumbs = doc.text(f.breadcrumbs);
    let records = doc.records(f.records);
    let (path, anchor) = (text(f.path), text(f.anchor));
    SearchHit {
        url: section_url(&path, &anchor),
        path,
        anchor,
        title: text(f.title),
        heading: text(f.heading),
        breadcrumbs: if breadcrumbs.is_empty() {
            Vec::new()
        } else {
            breadcrumbs
                .split(BREADCRUMB_SEPARATOR)
                .map(str::to_string)
                .collect()
        },
        lang: text(f.lang).parse().unwrap_or(Lang::En),
        score,
        snippet: snippets.for_body(doc.text(f.body), doc.bytes(f.body_terms)),
        codes: doc.texts(f.codes).map(str::to_string).collect(),
        records,
        counterpart: None,
        explanation: None,
    }
}

/// The section in the other language folder with the same relative path
/// and anchor as the section `path#anchor` in `lang`, when a live one exists.
pub fn counterpart(
    searcher: &Searcher,
    fields: &Fields,
    path: &str,
    anchor: &str,
    lang: Lang,
) -> Result<Option<SectionLink>> {
    let Some(other) = crate::ingest::counterpart(path) else {
        return Ok(None);
    };
    let key = counterpart_key(pair_key(path, anchor, lang));
    let term = Term::from_field_u64(fields.pair, key);
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(fields.pair)?;
        let found = match reader.alive_bitset() {
            // No deletions: the dictionary says it.
            None => {
                inverted
                    .doc_freq(&term)
                    .map_err(tantivy::TantivyError::from)?
                    > 0
            }
            Some(alive) => {
                let postings = inverted.read_postings(&term, IndexRecordOption::Basic);
                match postings.map_err(tantivy::TantivyError::from)? {
                    Some(mut postings) => {
                        let mut doc = postings.doc();
                        while doc != TERMINATED && !alive.is_alive(doc) {
                            doc = postings.advance();
                        }
                        doc != TERMINATED
                    }
                    None => false,
                }
            }
        };
        if found {
            return Ok(Some(SectionLink {
                url: section_url(&other, anchor),
                anchor: anchor.to_string(),
                path: other,
            }));
        }
    }
    Ok(None)
}
