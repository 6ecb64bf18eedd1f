//! A search from request to response, each stage once:
//! request → analyse → plan → candidates → rerank → page → extras.

use super::analyse::{self, AnalyzedQuery, DocFreqs};
use super::candidates::{self, Candidates};
use super::engine::Engine;
use super::extras;
use super::page;
use super::plan::{Filters, Plan};
use super::rank::{Evidence, Wants};
use super::request::{SearchRequest, ValidRequest};
use super::rerank::{self, Order};
use super::response::{SearchAnswer, SearchResponse, Transliteration, UnknownCode};
use super::stored::StoredSections;
use crate::error::Result;
use crate::ingest::table::{classify, Column};
use std::sync::Arc;
use std::time::Instant;

/// The term clauses pick this many times the candidates re-ranked, for
/// the phrase bonuses to reorder (at most `MAX_CANDIDATE_POOL`).
const CANDIDATE_POOL_FACTOR: usize = 4;
const MAX_CANDIDATE_POOL: usize = 4000;

impl Engine {
    /// Runs a search. Fails only on invalid parameters or engine errors.
    ///
    /// When the query holds error codes the index knows, sections carrying
    /// them come first (codes drive ranking); the remaining places are filled
    /// by the text match. A query that is only an unknown code answers with
    /// the nearest known codes instead of unrelated text matches.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchAnswer> {
        self.search_valid(&request.clone().validate()?)
    }

    /// [`Engine::search`] for a request validated already.
    pub fn search_valid(&self, request: &ValidRequest) -> Result<SearchAnswer> {
        let started = Instant::now();
        if let Some(answer) = self.cached(request) {
            return Ok(answer);
        }
        let response = Arc::new(self.search_uncached(request)?);
        self.cache().put(request, &response);
        Ok(SearchAnswer {
            response,
            took_ms: elapsed_ms(started),
            cached: false,
        })
    }

    /// The cached answer to `request`, when there is one: what
    /// [`Engine::search_valid`] would answer, without searching.
    pub fn cached(&self, request: &ValidRequest) -> Option<SearchAnswer> {
        let started = Instant::now();
        self.cache().get(request).map(|response| SearchAnswer {
            response,
            took_ms: elapsed_ms(started),
            cached: true,
        })
    }

    fn search_uncached(&self, request: &SearchRequest) -> Result<SearchResponse> {
        let searcher = self.searcher();
        let fields = self.fields();

        // Analyse: terms, codes, corrections; one frequency memo per query.
        let freqs = DocFreqs::new(&searcher, fields).with_vocabulary(self.vocabulary());
        let (analyzed, typed) = AnalyzedQuery::prepare_typed(
            &request.query,
            &freqs,
            self.synonyms(),
            self.lexicon(),
            &request.options,
        );
        let query_lang = analyse::detect_query_lang(&analyzed.text);
        let mut response = SearchResponse {
            query: request.query.clone(),
            total: 0,
            lang: query_lang,
            corrected: (analyzed.text != request.query.trim()).then(|| analyzed.text.clone()),
            hits: Vec::new(),
            answer: None,
            unknown_code: None,
            did_you_mean: None,
            facets: Default::default(),
            transliterated: analyzed
                .transliterated
                .iter()
                .map(|(word, reading)| Transliteration {
                    word: word.clone(),
                    reading: reading.clone(),
                })
                .collect(),
        };
        if analyzed.is_empty() {
            return Ok(response);
        }
        let known_exact = self.known_codes_among(&analyzed.codes.exact);
        let known_weak = self.known_codes_among(&analyzed.codes.weak);
        let words = analyse::non_code_terms(&typed);
        if known_exact.is_empty() && !analyzed.codes.exact.is_empty() && words.is_empty() {
            let code = analyzed.codes.exact[0].clone();
            response.unknown_code = Some(UnknownCode {
                nearest: self.nearest_codes(&code, 5),
                code,
            });
            return Ok(response);
        }
        let tier_codes = if !known_exact.is_empty() {
            known_exact.clone()
        } else if !known_weak.is_empty() && words.len() <= 2 {
            known_weak.clone()
        } else {
            Vec::new()
        };
        let only_known_codes = !known_exact.is_empty()
            && known_exact.len() == analyzed.codes.exact.len()
            && analyse::words_beside_codes(&typed).is_empty();

        // Plan: the clauses, phrases and filters, built once.
        let filters = Filters {
            lang: request.lang,
            products: request.products.clone(),
        };
        let plan = Plan::new(&analyzed, fields, filters);
        let full_query = plan.full_query(fields);

        // Candidates: every matching section scored, counted and faceted
        // in one pass; the best of them kept for re-ranking.
        let wanted = request.offset + request.limit;
        let candidates = (wanted * 4).clamp(40, 1000).max(wanted);
        let pool = (candidates * CANDIDATE_POOL_FACTOR).min(MAX_CANDIDATE_POOL);
        let carried = only_known_codes.then_some(tier_codes.as_slice());
        let Candidates { top, total, facets } =
            candidates::find(self, &searcher, &plan, carried, pool)?;

        // Rerank: phrase bonuses and coverage at the candidates, code tiers,
        // language, grouping.
        let prefer = request.lang.or(query_lang);
        let order = Order {
            prefer,
            group: request.group,
            tier_codes: &tier_codes,
            candidates,
            wanted,
            evidence: Evidence {
                counterparts: request.options.counterparts,
                wants: request.options.structure.then(|| wants(&analyzed.text)),
            },
        };
        let ranked = rerank::rerank(self, &searcher, &analyzed, &plan, &*full_query, top, &order)?;

        // Page: the requested hits only, with their snippets.
        let mut stored = StoredSections::new(&searcher);
        let explain = request.explain.then(|| plan.terms_query(fields));
        response.hits = page::hits(
            &mut stored,
            fields,
            ranked,
            (request.offset, request.limit),
            &*full_query,
            explain.as_deref(),
        )?;
        response.total = total;

        // Extras: each only when needed.
        response.facets = match facets {
            Some(facets) => facets,
            None => extras::facets(self, &analyzed, &plan.filters)?,
        };
        response.did_you_mean = extras::did_you_mean(self, &analyzed, total, &freqs);
        let answer_codes: Vec<String> = known_exact.into_iter().chain(known_weak).collect();
        response.answer = extras::answer(self, &answer_codes, prefer, &mut stored)?;
        Ok(response)
    }
}

/// What the query asks for: a resolution when its words name an action, as
/// a troubleshooting table's "Recommended actions" column does.
fn wants(text: &str) -> Wants {
    match classify(text) {
        Column::Actions => Wants::Resolution,
        _ => Wants::Problem,
    }
}

fn elapsed_ms(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}
