//! Searching an opened index: one long-lived reader, a cheap searcher per request.
//!
//! A search runs through these modules in order:
//!
//! * [`query`] — the user's text analysed into terms (with [`layout`] for a
//!   wrong keyboard layout, [`fuzzy`] for typos, [`stopwords`]) and the
//!   scoring clauses built from them;
//! * [`sweep`] — every matching section scored, counted and faceted in one
//!   pass (both cores for big segments), with the best candidates kept; or
//!   tantivy's collectors with [`facets`] while the facet table loads;
//! * [`proximity`] and [`coverage`] — phrase bonuses and the share of the
//!   query held, computed at the candidates only;
//! * [`rank`] and [`tiers`] — re-ranking by language, section level and
//!   document, and code tiers for a known code, from the [`columns`];
//! * [`lookup`] — error-code answers; [`stored`] reads each listed section
//!   once; [`snippet`] marks the matches;
//! * [`cache`] — repeated requests answered from memory; [`suggest`] —
//!   completions and "did you mean".

pub mod cache;
pub mod columns;
pub mod coverage;
pub mod facets;
pub mod fuzzy;
pub mod layout;
pub mod lookup;
pub mod proximity;
pub mod query;
pub mod rank;
pub mod request;
pub mod snippet;
pub mod stopwords;
pub mod stored;
pub mod suggest;
pub mod sweep;
pub mod tiers;

use crate::error::Result;
use crate::index::schema::BREADCRUMB_SEPARATOR;
use crate::index::{self, Fields, Manifest, OpenedIndex};
use crate::model::{section_url, ErrorAnswer, Lang, SearchHit};
use crate::text::is_cyrillic;
use query::AnalyzedQuery;
pub use request::{SearchParams, SearchRequest, ValidRequest, MAX_LIMIT, MAX_QUERY_CHARS};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::{DocAddress, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

/// A page of results: what a search found, shared by every answer to the
/// same request (the response cache keeps it behind an [`Arc`]).
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    /// Language of the query, from its script (`None` for codes and numbers).
    pub lang: Option<Lang>,
    pub hits: Vec<SearchHit>,
    /// What the index knows about the first known error code in the query.
    pub answer: Option<ErrorAnswer>,
    /// Matching sections per product and per language.
    pub facets: facets::Facets,
    /// Set when the query is only an error code that no section carries.
    pub unknown_code: Option<UnknownCode>,
    /// The query after keyboard-layout correction, when it was corrected.
    pub corrected: Option<String>,
    /// A spelling correction from the index vocabulary, offered when the
    /// query has words the index does not know or found almost nothing.
    pub did_you_mean: Option<String>,
}

/// One answer to a request: the response and how this answer came about.
#[derive(Debug, Clone, Serialize)]
pub struct SearchAnswer {
    #[serde(flatten)]
    pub response: Arc<SearchResponse>,
    /// Time spent answering, in milliseconds.
    pub took_ms: f64,
    /// True when the response came from the response cache.
    pub cached: bool,
}

impl std::ops::Deref for SearchAnswer {
    type Target = SearchResponse;

    fn deref(&self) -> &SearchResponse {
        &self.response
    }
}

/// The term clauses pick this many times the candidates re-ranked, for
/// the phrase bonuses to reorder (at most `MAX_CANDIDATE_POOL`).
const CANDIDATE_POOL_FACTOR: usize = 4;
const MAX_CANDIDATE_POOL: usize = 4000;

/// The string fast fields counted as facets.
const FACET_FIELDS: [&str; 2] = [facets::PRODUCT, facets::LANG];

/// Below this many matching sections a "did you mean" is looked for.
const FEW_RESULTS: usize = 3;

/// The best sections by the term clauses, before the phrase bonuses.
struct Candidates {
    top: Vec<(f32, DocAddress)>,
    /// Matching sections.
    total: usize,
    /// Facet counts, when found in the same pass.
    facets: Option<facets::Facets>,
}

/// An error code no section carries, with the closest ones that exist.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownCode {
    pub code: String,
    pub nearest: Vec<String>,
}

/// The search engine over one index generation.
pub struct Engine {
    opened: OpenedIndex,
    reader: IndexReader,
    known_codes: BTreeSet<String>,
    /// Per-section columns of every segment.
    columns: columns::Columns,
    /// Completions, loaded by a background thread started at open (a query
    /// that needs them first waits for that load).
    suggestions: std::sync::Arc<std::sync::OnceLock<suggest::Suggestions>>,
    /// Facet values per section, read by a background thread started at
    /// open (until then facets are counted from the columns).
    facet_table: std::sync::Arc<std::sync::OnceLock<std::sync::Arc<facets::FacetTable>>>,
    cache: cache::ResponseCache,
    /// Manifest entry of each `doc_number`, built on first use.
    documents_by_number: std::sync::OnceLock<std::collections::HashMap<u64, usize>>,
}

impl Engine {
    /// Opens the live index under `root`.
    pub fn open(root: &Path) -> Result<Engine> {
        let started = Instant::now();
        let opened = index::open(root)?;
        tracing::debug!("index files and manifest read in {:?}", started.elapsed());
        Engine::from_opened(opened)
    }

    /// The engine over an index generation opened with [`index::open`].
    pub fn from_opened(mut opened: OpenedIndex) -> Result<Engine> {
        let started = Instant::now();
        opened.manifest.forget_build_details();
        let reader = opened
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let known_codes = lookup::collect_known_codes(&searcher, opened.fields.codes)?;
        let columns = columns::Columns::open(&searcher)?;
        tracing::debug!(
            "engine ready in {:?} ({} known codes)",
            started.elapsed(),
            known_codes.len()
        );
        let suggestions = std::sync::Arc::new(std::sync::OnceLock::new());
        let (cell, path) = (
            suggestions.clone(),
            opened.generation.join(suggest::SUGGEST_FILE),
        );
        let facet_table = std::sync::Arc::new(std::sync::OnceLock::new());
        let (table, facet_searcher) = (facet_table.clone(), searcher.clone());
        let _ = std::thread::Builder::new()
            .name("load-tables".into())
            .spawn(move || {
                let started = Instant::now();
                let built = facets::FacetTable::build(&facet_searcher, &FACET_FIELDS);
                tracing::debug!(
                    "facet table ready in {:?} ({} bytes)",
                    started.elapsed(),
                    built.bytes()
                );
                let _ = table.set(std::sync::Arc::new(built));
                let started = Instant::now();
                let list = cell.get_or_init(|| suggest::Suggestions::load(&path));
                tracing::debug!(
                    "completions ready in {:?} ({} entries)",
                    started.elapsed(),
                    list.entries()
                );
            });
        Ok(Engine {
            opened,
            reader,
            known_codes,
            columns,
            suggestions,
            facet_table,
            cache: cache::ResponseCache::new(cache::DEFAULT_ENTRIES),
            documents_by_number: std::sync::OnceLock::new(),
        })
    }

    /// Sets how many search responses are kept for repeated requests
    /// (0 = no cache); the cache starts empty.
    pub fn with_cache_entries(mut self, entries: usize) -> Engine {
        self.cache = cache::ResponseCache::new(entries);
        self
    }

    /// How many search responses are kept for repeated requests.
    pub fn cache_entries(&self) -> usize {
        self.cache.capacity()
    }

    /// The cached answer to `request`, when there is one: what
    /// [`Engine::search_valid`] would answer, without searching.
    pub fn cached(&self, request: &ValidRequest) -> Option<SearchAnswer> {
        let started = Instant::now();
        self.cache.get(request).map(|response| SearchAnswer {
            response,
            took_ms: elapsed_ms(started),
            cached: true,
        })
    }

    /// Size of the index generation on disk, in bytes.
    pub fn index_bytes(&self) -> u64 {
        std::fs::read_dir(&self.opened.generation)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    /// The completion list (waits for the background load when needed).
    pub(crate) fn suggestions(&self) -> &suggest::Suggestions {
        self.suggestions.get_or_init(|| {
            suggest::Suggestions::load(&self.opened.generation.join(suggest::SUGGEST_FILE))
        })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.opened.manifest
    }

    pub fn fields(&self) -> &Fields {
        &self.opened.fields
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The per-section columns of the engine's segments.
    pub fn columns(&self) -> &columns::Columns {
        &self.columns
    }

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
        self.cache.put(request, &response);
        Ok(SearchAnswer {
            response,
            took_ms: elapsed_ms(started),
            cached: false,
        })
    }

    fn search_uncached(&self, request: &SearchRequest) -> Result<SearchResponse> {
        let searcher = self.reader.searcher();
        let fields = self.opened.fields;
        let freqs = query::DocFreqs::new(&searcher, &fields);
        let analyzed = AnalyzedQuery::prepare_with(
            &request.query,
            &freqs,
            &self.opened.synonyms,
            &request.options,
        );
        let query_lang = detect_query_lang(&analyzed.text);
        let mut response = SearchResponse {
            query: request.query.clone(),
            total: 0,
            lang: query_lang,
            corrected: (analyzed.text != request.query.trim()).then(|| analyzed.text.clone()),
            hits: Vec::new(),
            answer: None,
            unknown_code: None,
            did_you_mean: None,
            facets: facets::Facets::default(),
        };
        if analyzed.is_empty() {
            return Ok(response);
        }
        let known_exact = self.known_codes_among(&analyzed.codes.exact);
        let known_weak = self.known_codes_among(&analyzed.codes.weak);
        // Words as typed (before compounds were split) decide whether the
        // query is "just a code".
        let typed = AnalyzedQuery::new(&analyzed.text);
        let words = query::non_code_terms(&typed);
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

        let filters = query::Filters {
            lang: request.lang,
            products: request.products.clone(),
        };
        let query = query::build(&analyzed, &fields, &filters);
        let only_known_codes = !known_exact.is_empty()
            && known_exact.len() == analyzed.codes.exact.len()
            && query::words_beside_codes(&typed).is_empty();
        let wanted = request.offset + request.limit;
        let candidates = (wanted * 4).clamp(40, 1000).max(wanted);
        let prefer = request.lang.or(query_lang);
        // The term clauses rank every matching section, in the same pass
        // as the total and the facets; the phrase bonuses are then added to
        // a pool of the best candidates only.
        let pool = (candidates * CANDIDATE_POOL_FACTOR).min(MAX_CANDIDATE_POOL);
        let swept = match self.facet_table.get() {
            Some(table) if !only_known_codes => sweep::sweep(
                &searcher,
                &query::scoring_clauses(&analyzed, &fields),
                pool,
                &filters,
                table,
            )?,
            _ => None,
        };
        let Candidates {
            mut top,
            total,
            facets: facet_counts,
        } = match swept {
            Some(swept) => Candidates {
                top: swept.top,
                total: swept.total,
                facets: Some(facets::Facets::from_counts(swept.products, swept.langs)),
            },
            None => self.collect(
                &searcher,
                &analyzed,
                &filters,
                &tier_codes,
                only_known_codes,
                pool,
            )?,
        };
        proximity::add_scores(
            &searcher,
            &query::phrase_clauses(&analyzed, &fields),
            &mut top,
        )?;
        let coverage = coverage::Coverage::new(&searcher, &fields, &analyzed);
        let reranking = tiers::Reranking {
            columns: &self.columns,
            prefer,
            group: request.group,
            coverage: coverage.as_ref(),
        };
        let ranked = if tier_codes.is_empty() {
            top.truncate(candidates);
            reranking.apply(&searcher, top)?
        } else {
            let search = tiers::TierSearch {
                query: &*query,
                codes: &tier_codes,
                pool: &top,
                candidates,
                wanted,
                filtered: filters != query::Filters::default(),
            };
            tiers::rank(&searcher, &fields, &search, &reranking)?
        };
        let snippets = snippet::Snippets::new(&searcher, &*query, fields.body)?;
        let explain_query = request
            .explain
            .then(|| query::build_with(&analyzed, &fields, &filters, false));
        let mut stored = stored::StoredSections::new(&searcher);
        for ranked in ranked.into_iter().skip(request.offset).take(request.limit) {
            let doc = stored.get(ranked.address)?;
            let mut hit = self.hit(doc, ranked.score, &snippets);
            if let Some(explain_query) = &explain_query {
                let explanation = explain_query.explain(&searcher, ranked.address)?;
                hit.explanation = serde_json::from_str(&explanation.to_pretty_json()).ok();
            }
            response.hits.push(hit);
        }
        response.total = total;
        response.facets = match facet_counts {
            Some(facets) => facets,
            None => self.facets(&analyzed, &filters)?,
        };
        if total < FEW_RESULTS || analyzed.terms.iter().any(|t| t.fuzzy > 0) {
            let known = |term: &str| freqs.knows(term);
            response.did_you_mean = self.did_you_mean(&analyzed.text, &known);
        }
        response.answer = match known_exact.iter().chain(&known_weak).next() {
            Some(code) => self.error_answer_listing(
                code,
                prefer,
                lookup::ANSWER_SECTIONS_PER_LANGUAGE,
                &mut stored,
            )?,
            None => None,
        };
        Ok(response)
    }

    /// The best `pool` sections by the term clauses, the total and (without
    /// filters) the facets, with tantivy's collectors: the route when the
    /// facet table is not loaded yet, and for a query of only known codes.
    fn collect(
        &self,
        searcher: &Searcher,
        analyzed: &AnalyzedQuery,
        filters: &query::Filters,
        tier_codes: &[String],
        only_known_codes: bool,
        pool: usize,
    ) -> Result<Candidates> {
        let fields = self.opened.fields;
        let terms = query::build_terms(analyzed, &fields, filters);
        let main_query = if only_known_codes {
            // A query that is only known codes (and labels such as `error`)
            // matches the sections carrying them: the words a code splits
            // into (`ERROR_DISK_FULL` → error, disk, full) must not make
            // every section that says "error" a match to score and count.
            query::carrying_codes(terms, fields.codes, tier_codes)
        } else {
            terms
        };
        if *filters != query::Filters::default() {
            let (top, total) =
                searcher.search(&*main_query, &(TopDocs::with_limit(pool), Count))?;
            return Ok(Candidates {
                top,
                total,
                facets: None,
            });
        }
        let collector = (
            TopDocs::with_limit(pool),
            Count,
            self.value_counts(facets::PRODUCT),
            self.value_counts(facets::LANG),
        );
        let (top, total, products, langs) = searcher.search(&*main_query, &collector)?;
        Ok(Candidates {
            top,
            total,
            facets: Some(facets::Facets::from_counts(products, langs)),
        })
    }

    /// Product counts ignore the product filter and language counts ignore
    /// the language filter, so each facet shows what choosing another value
    /// would give.
    fn facets(&self, analyzed: &AnalyzedQuery, filters: &query::Filters) -> Result<facets::Facets> {
        let searcher = self.reader.searcher();
        let fields = self.opened.fields;
        let without_products = query::Filters {
            lang: filters.lang,
            products: Vec::new(),
        };
        let without_lang = query::Filters {
            lang: None,
            products: filters.products.clone(),
        };
        let products = searcher.search(
            &*query::build_matching(analyzed, &fields, &without_products),
            &self.value_counts(facets::PRODUCT),
        )?;
        let langs = searcher.search(
            &*query::build_matching(analyzed, &fields, &without_lang),
            &self.value_counts(facets::LANG),
        )?;
        Ok(facets::Facets::from_counts(products, langs))
    }

    /// Counts per value of `field`, from the facet table once it is loaded.
    fn value_counts(&self, field: &'static str) -> facets::ValueCounts {
        facets::ValueCounts::new(field, self.facet_table.get().cloned())
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, snippets: &snippet::Snippets) -> SearchHit {
        let f = &self.opened.fields;
        let text = |field| stored::text(doc, field);
        let all = |field| -> Vec<String> {
            doc.get_all(field)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let breadcrumbs = text(f.breadcrumbs);
        let records = stored::records(doc, f.records);
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
            snippet: snippets.for_body(&text(f.body)),
            codes: all(f.codes),
            records,
            explanation: None,
        }
    }
}

/// Language of a query from its letters: Russian when a third or more are
/// Cyrillic, English when it has Latin words, `None` for codes and numbers.
pub fn detect_query_lang(query: &str) -> Option<Lang> {
    let (mut cyrillic, mut latin) = (0usize, 0usize);
    for word in query.split_whitespace() {
        if crate::codes::extract_canonical(word).is_empty() {
            for c in word.chars().filter(|c| c.is_alphabetic()) {
                if is_cyrillic(c) {
                    cyrillic += 1;
                } else {
                    latin += 1;
                }
            }
        }
    }
    if cyrillic > 0 && cyrillic * 3 >= cyrillic + latin {
        Some(Lang::Ru)
    } else if latin > 0 {
        Some(Lang::En)
    } else {
        None
    }
}

fn elapsed_ms(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

/// Moves `docs` to its first section at or after `target`, unless it is
/// there already (tantivy's `seek` wants a target past the current one).
pub(crate) fn seek_to<D: tantivy::DocSet + ?Sized>(
    docs: &mut D,
    target: tantivy::DocId,
) -> tantivy::DocId {
    if docs.doc() < target {
        docs.seek(target)
    } else {
        docs.doc()
    }
}
