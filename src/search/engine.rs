//! The search engine over one index generation: the reader, the columns
//! and tables loaded at open, the response cache. The search itself runs
//! through the stages in [`super::pipeline`].

use super::cache::{self, ResponseCache};
use super::columns::Columns;
use super::facets::{self, FacetTable};
use super::fuzzy;
use super::neighbours::Neighbours;
use crate::error::Result;
use crate::index::lexicon::{Lexicon, LEXICON_FILE};
use crate::index::manifest::DocEntry;
use crate::index::suggest_file::{Suggestions, SUGGEST_FILE};
use crate::index::{self, Fields, Manifest, OpenedIndex};
use crate::synonyms::Synonyms;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use tantivy::{IndexReader, ReloadPolicy, Searcher};

/// The string fast fields counted as facets.
const FACET_FIELDS: [&str; 2] = [facets::PRODUCT, facets::LANG];

/// The search engine over one index generation.
pub struct Engine {
    opened: OpenedIndex,
    reader: IndexReader,
    known_codes: BTreeSet<String>,
    /// Per-section columns of every segment.
    columns: Columns,
    /// Completions, loaded by a background thread started at open (a query
    /// that needs them first waits for that load).
    suggestions: Arc<OnceLock<Suggestions>>,
    /// Facet values per section, read by a background thread started at
    /// open (until then facets are counted from the columns).
    facet_table: Arc<OnceLock<Arc<FacetTable>>>,
    /// The combined field's words and the completions' title and heading
    /// words, filed for typo look-ups by the same background thread (until
    /// then the term dictionaries are walked, finding the same words).
    typo_tables: Arc<OnceLock<TypoTables>>,
    cache: ResponseCache,
    /// Translations learned from the knowledge base's translated articles.
    lexicon: Lexicon,
    /// Manifest entry of each `doc_number`, built on first use.
    documents_by_number: OnceLock<HashMap<u64, usize>>,
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
        let known_codes = collect_known_codes(&searcher, opened.fields.codes)?;
        let columns = Columns::open(&searcher)?;
        let lexicon = Lexicon::load(&opened.generation.join(LEXICON_FILE));
        tracing::debug!(
            "engine ready in {:?} ({} known codes)",
            started.elapsed(),
            known_codes.len()
        );
        let suggestions = Arc::new(OnceLock::new());
        let (cell, path) = (suggestions.clone(), opened.generation.join(SUGGEST_FILE));
        let facet_table = Arc::new(OnceLock::new());
        let (table, facet_searcher) = (facet_table.clone(), searcher.clone());
        let typo_tables = Arc::new(OnceLock::new());
        let (typo_cell, fields) = (typo_tables.clone(), opened.fields);
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
                let _ = table.set(Arc::new(built));
                let started = Instant::now();
                let list = cell.get_or_init(|| Suggestions::load(&path));
                tracing::debug!(
                    "completions ready in {:?} ({} entries)",
                    started.elapsed(),
                    list.entries()
                );
                let started = Instant::now();
                let tables = TypoTables {
                    vocabulary: fuzzy::file_vocabulary(&facet_searcher, &fields),
                    correction_words: list.words().map(Neighbours::from_map),
                };
                let corrections = tables.correction_words.as_ref();
                tracing::debug!(
                    "typo tables ready in {:?} ({} words in {} bytes, {} correction words in {} bytes)",
                    started.elapsed(),
                    tables.vocabulary.len(),
                    tables.vocabulary.bytes(),
                    corrections.map_or(0, Neighbours::len),
                    corrections.map_or(0, Neighbours::bytes),
                );
                let _ = typo_cell.set(tables);
            });
        Ok(Engine {
            opened,
            reader,
            known_codes,
            columns,
            suggestions,
            facet_table,
            typo_tables,
            cache: ResponseCache::new(cache::DEFAULT_ENTRIES),
            lexicon,
            documents_by_number: OnceLock::new(),
        })
    }

    /// The name of the index generation this engine serves (`gen-…`).
    pub fn generation(&self) -> &str {
        self.opened
            .generation
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("")
    }

    /// The lexicon learned from the translated articles.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Sets how many search responses are kept for repeated requests
    /// (0 = no cache); the cache starts empty.
    pub fn with_cache_entries(mut self, entries: usize) -> Engine {
        self.cache = ResponseCache::new(entries);
        self
    }

    /// How many search responses are kept for repeated requests.
    pub fn cache_entries(&self) -> usize {
        self.cache.capacity()
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
    pub(crate) fn suggestions(&self) -> &Suggestions {
        self.suggestions
            .get_or_init(|| Suggestions::load(&self.opened.generation.join(SUGGEST_FILE)))
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
    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// The synonyms/glossary the index was built with.
    pub fn synonyms(&self) -> &Synonyms {
        &self.opened.synonyms
    }

    /// Whether the facet table has loaded (searches sweep from then on).
    pub fn facets_ready(&self) -> bool {
        self.facet_table.get().is_some()
    }

    /// Whether everything the background thread loads at open is there:
    /// from then on every search takes the same route.
    pub fn tables_ready(&self) -> bool {
        self.facets_ready() && self.typo_tables.get().is_some()
    }

    /// Blocks until [`Engine::tables_ready`] (for tools and tests that
    /// must take the route searches take once the engine has warmed up).
    pub fn wait_for_tables(&self) {
        self.facet_table.wait();
        self.typo_tables.wait();
    }

    /// The combined field's words filed for typo look-ups, once built.
    pub(crate) fn vocabulary(&self) -> Option<&Neighbours> {
        self.typo_tables.get().map(|t| &t.vocabulary)
    }

    /// The completions' words filed for corrections, once built.
    pub(crate) fn correction_words(&self) -> Option<&Neighbours> {
        self.typo_tables.get()?.correction_words.as_ref()
    }

    /// The per-section facet values, once the background load is done.
    pub(crate) fn facet_table(&self) -> Option<&Arc<FacetTable>> {
        self.facet_table.get()
    }

    /// Counts per value of `field`, from the facet table once it is loaded.
    pub(crate) fn value_counts(&self, field: &'static str) -> facets::ValueCounts {
        facets::ValueCounts::new(field, self.facet_table.get().cloned())
    }

    pub(crate) fn cache(&self) -> &ResponseCache {
        &self.cache
    }

    /// Every canonical code some section carries.
    pub(crate) fn known_codes(&self) -> &BTreeSet<String> {
        &self.known_codes
    }

    /// The manifest entry of the document at `path`, if the index holds
    /// it: one look-up by its document number, not a walk of the manifest.
    pub fn document(&self, path: &str) -> Option<&DocEntry> {
        let i = *self
            .documents_by_number()
            .get(&index::schema::doc_number(path))?;
        self.manifest()
            .docs
            .get(i)
            .filter(|entry| entry.path == path)
    }

    /// The manifest entry of each document number, built on first use.
    pub(crate) fn documents_by_number(&self) -> &HashMap<u64, usize> {
        self.documents_by_number.get_or_init(|| {
            self.manifest()
                .docs
                .iter()
                .enumerate()
                .map(|(i, d)| (index::schema::doc_number(&d.path), i))
                .collect()
        })
    }
}

/// Vocabularies filed for typo look-ups.
struct TypoTables {
    vocabulary: Neighbours,
    correction_words: Option<Neighbours>,
}

/// Every distinct canonical code in the index.
fn collect_known_codes(
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
