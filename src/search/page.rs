//! The page stage: the requested slice of the ranked sections, read from
//! the store once each, with snippets for those hits only.

use super::rank::Ranked;
use super::snippet::Snippets;
use super::stored::{StoredSection, StoredSections};
use crate::error::Result;
use crate::index::schema::BREADCRUMB_SEPARATOR;
use crate::index::Fields;
use crate::model::{Lang, SearchHit};
use crate::urls::section_url;
use tantivy::query::Query;

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
        explanation: None,
    }
}
