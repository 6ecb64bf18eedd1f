//! Ranking, counting and facet counting of every section the scoring
//! clauses match, in one sweep over their postings.
//!
//! The generic route — a `BooleanQuery` of SHOULD clauses collected by
//! `TopDocs`, `Count` and two facet collectors, plus two more searches for
//! the facets of a filtered query — merges the clauses section by section
//! and calls four collectors for each, which dominates a short query of
//! common words at a million sections. Here each term clause is read a block of postings
//! at a time into a window of score accumulators (as tantivy's buffered
//! union does), and then each window's matching sections are counted,
//! filtered and offered to the top-k in one loop over a bit set.
//!
//! A query that reads hundreds of thousands of postings sweeps the index
//! on two threads (the work is bound by the CPU, not by memory bandwidth:
//! two sweeps in parallel each run as fast as one alone), which take its
//! ranges of sections in turn, across segments; the ranges' totals, facet
//! counts and best sections are then merged, and are those of one sweep.
//!
//! Scores are the BM25 sums the boolean query computes (the terms may be
//! added in another order, so they can differ in the last bit), the total
//! and the facets count the same sections.

use super::facets::{FacetTable, SegmentOrdinals, LANG, PRODUCT};
use super::plan::{Clause, Filters};
use std::collections::HashMap;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::query::{Bm25Weight, EnableScoring, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

/// Sections per window: the accumulators (16 KiB) stay in the L1 cache.
const WINDOW: u32 = 4096;

/// What a sweep found.
#[derive(Debug)]
pub struct Swept {
    /// The best sections, best first (ties: lower address first).
    pub top: Vec<(Score, DocAddress)>,
    /// Matching sections that pass the filters.
    pub total: usize,
    /// Matching sections per product, with the language filter only.
    pub products: HashMap<String, u64>,
    /// Matching sections per language, with the product filter only.
    pub langs: HashMap<String, u64>,
}

/// A clause ready to score segments.
enum Prepared {
    Term {
        term: Term,
        weight: Box<Bm25Weight>,
        /// Sections holding the term in the whole index.
        doc_freq: u64,
    },
    Other(Box<dyn Weight>),
}

/// Scores the sum of `clauses` over every section, keeps the best `limit`,
/// and counts the total and the product and language facets under
/// `filters`. `None` when `table` does not hold the facet values of every
/// segment (it is loaded after the index opens); the caller then searches
/// the generic way.
pub fn sweep(
    searcher: &Searcher,
    clauses: &[Clause],
    limit: usize,
    filters: &Filters,
    table: &FacetTable,
) -> tantivy::Result<Option<Swept>> {
    sweep_splitting(searcher, clauses, limit, filters, table, Split::DEFAULT)
}

/// When the index is swept on two threads.
#[derive(Debug, Clone, Copy)]
pub struct Split {
    /// Postings the term clauses read in the whole index.
    pub min_postings: u64,
    /// Sections of the index.
    pub min_sections: u64,
}

impl Split {
    /// Indexes where the term clauses read 400 000 postings or more (a
    /// couple of milliseconds of work), however many segments hold them:
    /// below that, waking the second core and opening every clause's
    /// postings twice costs more than it saves (docs/benchmarks.md).
    pub const DEFAULT: Split = Split {
        min_postings: 400_000,
        min_sections: 2 * WINDOW as u64,
    };
    /// Every index of two sections or more (for tests).
    pub const ALWAYS: Split = Split {
        min_postings: 0,
        min_sections: 2,
    };

    /// Whether to share an index of `total_docs` sections between two
    /// threads when the term clauses read `postings` postings in it.
    fn applies(self, total_docs: u64, postings: u64) -> bool {
        postings >= self.min_postings && total_docs >= self.min_sections
    }
}

/// [`sweep`], with the given rule for splitting segments between threads.
pub fn sweep_splitting(
    searcher: &Searcher,
    clauses: &[Clause],
    limit: usize,
    filters: &Filters,
    table: &FacetTable,
    split: Split,
) -> tantivy::Result<Option<Swept>> {
    let readers = searcher.segment_readers();
    let mut facets = Vec::with_capacity(readers.len());
    for reader in readers {
        match (
            table.ordinals(PRODUCT, reader),
            table.ordinals(LANG, reader),
        ) {
            (Some(products), Some(langs)) => {
                facets.push(SegmentFacets::new(products, langs, filters))
            }
            _ => return Ok(None),
        }
    }
    let segments: Vec<Segment<'_>> = readers
        .iter()
        .zip(&facets)
        .enumerate()
        .map(|(ord, (reader, facets))| Segment {
            ord: ord as u32,
            reader,
            facets,
        })
        .collect();
    let prepared = prepare(searcher, clauses)?;

    let total_docs: u64 = readers.iter().map(|r| u64::from(r.max_doc())).sum();
    let postings: u64 = prepared
        .iter()
        .map(|clause| match clause {
            Prepared::Term { doc_freq, .. } => *doc_freq,
            Prepared::Other(_) => 0,
        })
        .sum();
    let mut state = State::new(limit);
    if split.applies(total_docs, postings) {
        sweep_on_two_threads(&segments, &prepared, limit, &mut state)?;
    } else {
        for segment in &segments {
            let mut sources = segment.open(&prepared, 0)?;
            segment.sweep(&mut sources, 0..segment.reader.max_doc(), &mut state);
        }
    }
    Ok(Some(Swept {
        top: state.top.into_sorted(),
        total: state.total,
        products: state.products,
        langs: state.langs,
    }))
}

/// The clauses' weights. A term's is what `Bm25Weight::for_terms` computes
/// for it, without the explanation (an allocation per clause), with each
/// field's token count looked up once.
fn prepare(searcher: &Searcher, clauses: &[Clause]) -> tantivy::Result<Vec<Prepared>> {
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let total_docs = searcher.total_num_docs()?;
    let mut field_tokens: Vec<(Field, u64)> = Vec::new();
    let mut prepared = Vec::with_capacity(clauses.len());
    for clause in clauses {
        prepared.push(match clause {
            Clause::Term { term, boost } => {
                let field = term.field();
                let tokens = match field_tokens.iter().find(|(f, _)| *f == field) {
                    Some((_, tokens)) => *tokens,
                    None => {
                        let tokens = searcher.total_num_tokens(field)?;
                        field_tokens.push((field, tokens));
                        tokens
                    }
                };
                let average_fieldnorm = tokens as Score / total_docs as Score;
                let doc_freq = searcher.doc_freq(term)?;
                let weight = Bm25Weight::for_one_term_without_explain(
                    doc_freq,
                    total_docs,
                    average_fieldnorm,
                );
                Prepared::Term {
                    term: term.clone(),
                    weight: Box::new(weight.boost_by(*boost)),
                    doc_freq,
                }
            }
            Clause::Query(query) => Prepared::Other(query.weight(scoring)?),
        });
    }
    Ok(prepared)
}

struct State {
    top: TopK,
    total: usize,
    products: HashMap<String, u64>,
    langs: HashMap<String, u64>,
    window: Window,
}

impl State {
    fn new(limit: usize) -> State {
        State {
            top: TopK::new(limit),
            total: 0,
            products: HashMap::new(),
            langs: HashMap::new(),
            window: Window::new(),
        }
    }

    /// Adds what `later` found in sections after every one swept here.
    fn absorb(&mut self, later: State) {
        self.total += later.total;
        for (mine, theirs) in [
            (&mut self.products, later.products),
            (&mut self.langs, later.langs),
        ] {
            for (value, count) in theirs {
                *mine.entry(value).or_insert(0) += count;
            }
        }
        let mut top = later.top.into_sorted();
        top.sort_unstable_by_key(|(_, address)| *address);
        for (score, address) in top {
            self.top.offer(score, address);
        }
    }
}

/// One segment and its facet values.
struct Segment<'a> {
    ord: u32,
    reader: &'a SegmentReader,
    facets: &'a SegmentFacets<'a>,
}

impl Segment<'_> {
    /// The clauses' postings (or scorers) in this segment, moved to the
    /// first section at or after `start`; clauses without postings here are
    /// left out.
    fn open<'p>(&self, prepared: &'p [Prepared], start: DocId) -> tantivy::Result<Vec<Source<'p>>> {
        let reader = self.reader;
        let mut sources = Vec::with_capacity(prepared.len());
        for clause in prepared {
            match clause {
                Prepared::Term { term, weight, .. } => {
                    let postings = reader
                        .inverted_index(term.field())?
                        .read_block_postings(term, IndexRecordOption::WithFreqs)?;
                    let Some(postings) = postings else { continue };
                    let fieldnorms = reader
                        .fieldnorms_readers()
                        .get_field(term.field())?
                        .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
                    let mut cursor = TermCursor {
                        postings,
                        position: 0,
                        fieldnorms,
                        weight,
                    };
                    cursor.seek(start);
                    sources.push(Source::Term(Box::new(cursor)));
                }
                Prepared::Other(weight) => {
                    let mut scorer = weight.scorer(reader, 1.0)?;
                    if scorer.doc() < start {
                        scorer.seek(start);
                    }
                    sources.push(Source::Other(scorer));
                }
            }
        }
        Ok(sources)
    }

    /// Sweeps the sections in `range` into `state`. Every source must be at
    /// or before its first section at or after `range.start`, and is left
    /// at its first section at or after `range.end`.
    fn sweep(&self, sources: &mut [Source<'_>], range: std::ops::Range<DocId>, state: &mut State) {
        for source in sources.iter_mut() {
            source.seek(range.start);
        }
        let mut counts = self.facets.counter();
        let alive = self.reader.alive_bitset();
        while let Some(base) = sources
            .iter()
            .map(Source::doc)
            .min()
            .filter(|&base| base < range.end)
        {
            let end = base.saturating_add(WINDOW).min(range.end);
            let window = &mut state.window;
            for source in sources.iter_mut() {
                source.add_window(base, end, window);
            }
            window.drain(base, |doc, score| {
                if alive.is_some_and(|alive| !alive.is_alive(doc)) {
                    return;
                }
                if counts.count(doc) {
                    state.total += 1;
                    state.top.offer(score, DocAddress::new(self.ord, doc));
                }
            });
        }
        counts.harvest(&mut state.products, &mut state.langs);
    }
}

/// Sweeps the index on this thread and a second one. The segments are cut
/// into about [`CHUNKS`] ranges of sections that the two threads take in
/// turn as they finish, so they share the work even when the matches crowd
/// in one part (a Russian query over a segment whose English documents come
/// first) or one segment is bigger than the others; each thread keeps its
/// own postings of the segment it is in, which only move forward. The
/// chunks' findings are then added to `state` in address order, as one
/// sweep would have found them.
fn sweep_on_two_threads(
    segments: &[Segment<'_>],
    prepared: &[Prepared],
    limit: usize,
    state: &mut State,
) -> tantivy::Result<()> {
    let max_docs: Vec<DocId> = segments.iter().map(|s| s.reader.max_doc()).collect();
    let chunks = chunks(&max_docs, CHUNKS);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let worker = || -> tantivy::Result<Vec<(usize, State)>> {
        let mut open: Option<(usize, Vec<Source<'_>>)> = None;
        let mut swept = Vec::new();
        loop {
            let chunk = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some((segment, range)) = chunks.get(chunk).cloned() else {
                return Ok(swept);
            };
            let sources = match &mut open {
                Some((opened, sources)) if *opened == segment => sources,
                _ => {
                    let sources = segments[segment].open(prepared, range.start)?;
                    &mut open.insert((segment, sources)).1
                }
            };
            let mut chunk_state = State::new(limit);
            segments[segment].sweep(sources, range, &mut chunk_state);
            swept.push((chunk, chunk_state));
        }
    };
    let (mine, other) = std::thread::scope(|scope| {
        let other = scope.spawn(worker);
        let mine = worker();
        (mine, other.join().expect("a sweep thread panicked"))
    });
    let mut swept = mine?;
    swept.extend(other?);
    swept.sort_unstable_by_key(|(chunk, _)| *chunk);
    for (_, chunk_state) in swept {
        state.absorb(chunk_state);
    }
    Ok(())
}

/// About `count` ranges of sections covering segments of `max_docs`
/// sections in address order: (segment, range). Each non-empty segment gets
/// a share in proportion to its sections, at least one and at most one per
/// section.
fn chunks(max_docs: &[DocId], count: usize) -> Vec<(usize, std::ops::Range<DocId>)> {
    let total: u64 = max_docs.iter().map(|&m| u64::from(m)).sum();
    let mut chunks = Vec::with_capacity(count + max_docs.len());
    for (segment, &max_doc) in max_docs.iter().enumerate() {
        let max_doc = u64::from(max_doc);
        if max_doc == 0 {
            continue;
        }
        let share = ((count as u64 * max_doc + total / 2) / total).clamp(1, max_doc);
        let bound = |i: u64| (max_doc * i / share) as DocId;
        chunks.extend((0..share).map(|i| (segment, bound(i)..bound(i + 1))));
    }
    chunks
}

/// Ranges of sections the index swept on two threads is cut into.
const CHUNKS: usize = 8;

/// Score accumulators for `WINDOW` consecutive sections and the set of
/// those matched.
struct Window {
    scores: Box<[Score; WINDOW as usize]>,
    matched: Box<[u64; WINDOW as usize / 64]>,
}

impl Window {
    fn new() -> Window {
        Window {
            scores: Box::new([0.0; WINDOW as usize]),
            matched: Box::new([0; WINDOW as usize / 64]),
        }
    }

    /// Adds `score` to the section `delta` places into the window (below
    /// `WINDOW`; the mask only spares the bounds checks).
    #[inline]
    fn add(&mut self, delta: usize, score: Score) {
        let delta = delta & (WINDOW as usize - 1);
        self.scores[delta] += score;
        self.matched[delta / 64] |= 1 << (delta % 64);
    }

    /// Calls `each` with every matched section in order and its score,
    /// leaving the window empty.
    fn drain(&mut self, base: DocId, mut each: impl FnMut(DocId, Score)) {
        for (word_index, word) in self.matched.iter_mut().enumerate() {
            let mut set = std::mem::take(word);
            while set != 0 {
                let delta = word_index * 64 + set.trailing_zeros() as usize;
                set &= set - 1;
                let score = std::mem::take(&mut self.scores[delta]);
                each(base + delta as DocId, score);
            }
        }
    }
}

enum Source<'a> {
    Term(Box<TermCursor<'a>>),
    Other(Box<dyn Scorer>),
}

impl Source<'_> {
    fn doc(&self) -> DocId {
        match self {
            Source::Term(cursor) => cursor.doc(),
            Source::Other(scorer) => scorer.doc(),
        }
    }

    /// Moves to the first section at or after `target`, if it is before.
    fn seek(&mut self, target: DocId) {
        if self.doc() >= target {
            return;
        }
        match self {
            Source::Term(cursor) => cursor.seek(target),
            Source::Other(scorer) => {
                scorer.seek(target);
            }
        }
    }

    /// Adds the scores of the sections in `base..end` and moves past them.
    fn add_window(&mut self, base: DocId, end: DocId, window: &mut Window) {
        match self {
            Source::Term(cursor) => cursor.add_window(base, end, window),
            Source::Other(scorer) => {
                let mut doc = scorer.doc();
                while doc < end {
                    window.add((doc - base) as usize, scorer.score());
                    doc = scorer.advance();
                }
            }
        }
    }
}

/// A term's postings in one segment, read a block at a time, with what
/// tantivy's term scorer needs to score them.
struct TermCursor<'a> {
    postings: BlockSegmentPostings,
    /// Index of the next section in the current block.
    position: usize,
    fieldnorms: FieldNormReader,
    weight: &'a Bm25Weight,
}

impl TermCursor<'_> {
    /// Moves to the first section at or after `target`.
    fn seek(&mut self, target: DocId) {
        if target == 0 {
            return;
        }
        self.postings.seek(target);
        self.position = self.postings.docs().partition_point(|&doc| doc < target);
    }

    fn doc(&self) -> DocId {
        self.postings
            .docs()
            .get(self.position)
            .copied()
            .unwrap_or(TERMINATED)
    }

    fn add_window(&mut self, base: DocId, end: DocId, window: &mut Window) {
        loop {
            let docs = &self.postings.docs()[self.position..];
            if docs.is_empty() {
                return;
            }
            let inside = docs.partition_point(|&doc| doc < end);
            let docs = &docs[..inside];
            let freqs = self.postings.freqs();
            if freqs.len() >= self.position + inside {
                let freqs = &freqs[self.position..self.position + inside];
                for (&doc, &term_freq) in docs.iter().zip(freqs) {
                    let fieldnorm_id = self.fieldnorms.fieldnorm_id(doc);
                    window.add(
                        (doc - base) as usize,
                        self.weight.score(fieldnorm_id, term_freq),
                    );
                }
            } else {
                // A term indexed without frequencies counts once.
                for &doc in docs {
                    let fieldnorm_id = self.fieldnorms.fieldnorm_id(doc);
                    window.add((doc - base) as usize, self.weight.score(fieldnorm_id, 1));
                }
            }
            self.position += inside;
            if self.position < self.postings.docs().len() {
                return;
            }
            self.postings.advance();
            self.position = 0;
        }
    }
}

/// The product and language of every section of a segment, which of them
/// the filters let through, and the counts per value.
struct SegmentFacets<'a> {
    products: &'a SegmentOrdinals,
    langs: &'a SegmentOrdinals,
    /// Per ordinal: passes the product filter (index `values.len()`: no value).
    product_passes: Vec<bool>,
    lang_passes: Vec<bool>,
    /// Every value passes both filters (no filters: the usual case).
    unfiltered: bool,
}

impl<'a> SegmentFacets<'a> {
    fn new(products: &'a SegmentOrdinals, langs: &'a SegmentOrdinals, filters: &Filters) -> Self {
        let product_passes = passes(products, |value| {
            filters.products.is_empty() || filters.products.iter().any(|p| p == value)
        });
        let lang_passes = passes(langs, |value| {
            filters.lang.is_none_or(|lang| lang.code() == value)
        });
        let unfiltered = product_passes
            .iter()
            .chain(&lang_passes)
            .all(|&passes| passes);
        SegmentFacets {
            products,
            langs,
            product_passes,
            lang_passes,
            unfiltered,
        }
    }

    fn counter(&self) -> Counter<'_> {
        Counter {
            facets: self,
            products: vec![0; self.products.values.len() + 1],
            langs: vec![0; self.langs.values.len() + 1],
        }
    }
}

/// `passes(value)` per ordinal of `ordinals`, then for "no value" (the
/// empty string).
fn passes(ordinals: &SegmentOrdinals, passes: impl Fn(&str) -> bool) -> Vec<bool> {
    ordinals
        .values
        .iter()
        .map(|value| passes(value))
        .chain([passes("")])
        .collect()
}

struct Counter<'a> {
    facets: &'a SegmentFacets<'a>,
    products: Vec<u64>,
    langs: Vec<u64>,
}

impl Counter<'_> {
    /// Counts `doc` in the facets its filters allow; true if it passes both.
    #[inline]
    fn count(&mut self, doc: DocId) -> bool {
        let product = self.facets.products.ordinal(doc);
        let lang = self.facets.langs.ordinal(doc);
        if self.facets.unfiltered {
            self.products[product] += 1;
            self.langs[lang] += 1;
            return true;
        }
        let product_passes = self.facets.product_passes[product];
        let lang_passes = self.facets.lang_passes[lang];
        if lang_passes {
            self.products[product] += 1;
        }
        if product_passes {
            self.langs[lang] += 1;
        }
        product_passes && lang_passes
    }

    /// Adds the counts to the per-value totals (values without sections
    /// and sections without a value left out).
    fn harvest(self, products: &mut HashMap<String, u64>, langs: &mut HashMap<String, u64>) {
        for (ordinals, counts, out) in [
            (self.facets.products, self.products, products),
            (self.facets.langs, self.langs, langs),
        ] {
            for (value, count) in ordinals.values.iter().zip(counts) {
                if count > 0 {
                    *out.entry(value.clone()).or_insert(0) += count;
                }
            }
        }
    }
}

/// The best `limit` of (score, address) pairs offered in increasing
/// address order, ordered as tantivy's `TopDocs` orders them.
struct TopK {
    limit: usize,
    buffer: Vec<(Score, DocAddress)>,
    /// The lowest score kept once the buffer was first cut down; an equal
    /// score offered later has a higher address and ranks below it.
    threshold: Option<Score>,
}

fn better_first(a: &(Score, DocAddress), b: &(Score, DocAddress)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1))
}

impl TopK {
    fn new(limit: usize) -> TopK {
        TopK {
            limit,
            buffer: Vec::with_capacity(limit.max(1) * 2),
            threshold: None,
        }
    }

    #[inline]
    fn offer(&mut self, score: Score, address: DocAddress) {
        if self.limit == 0 || self.threshold.is_some_and(|lowest| score <= lowest) {
            return;
        }
        if self.buffer.len() == self.limit * 2 {
            self.cut();
        }
        self.buffer.push((score, address));
    }

    fn cut(&mut self) {
        self.buffer
            .select_nth_unstable_by(self.limit - 1, better_first);
        self.buffer.truncate(self.limit);
        self.threshold = Some(self.buffer[self.limit - 1].0);
    }

    fn into_sorted(mut self) -> Vec<(Score, DocAddress)> {
        self.buffer.sort_unstable_by(better_first);
        self.buffer.truncate(self.limit);
        self.buffer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunks of every segment follow each other without gap or
    /// overlap from its first section to its last, segments in order.
    fn assert_covers(max_docs: &[DocId], chunks: &[(usize, std::ops::Range<DocId>)]) {
        let mut expected = (0..max_docs.len()).filter(|&s| max_docs[s] > 0).peekable();
        let mut at: Option<(usize, DocId)> = None;
        for (segment, range) in chunks {
            assert!(range.start < range.end, "empty chunk {segment} {range:?}");
            match at {
                Some((current, end)) if current == *segment => assert_eq!(range.start, end),
                _ => {
                    if let Some((current, end)) = at {
                        assert_eq!(end, max_docs[current], "segment {current} cut short");
                    }
                    assert_eq!(Some(*segment), expected.next(), "segment order");
                    assert_eq!(range.start, 0);
                }
            }
            at = Some((*segment, range.end));
        }
        if let Some((current, end)) = at {
            assert_eq!(end, max_docs[current]);
        }
        assert_eq!(expected.next(), None, "a segment has no chunk");
    }

    #[test]
    fn chunks_cover_every_segment_in_proportion() {
        let one = chunks(&[1_000_000], 8);
        assert_eq!(one.len(), 8);
        assert_covers(&[1_000_000], &one);

        let two = chunks(&[500_000, 499_999], 8);
        assert_eq!(two.iter().filter(|(s, _)| *s == 0).count(), 4);
        assert_eq!(two.iter().filter(|(s, _)| *s == 1).count(), 4);
        assert_covers(&[500_000, 499_999], &two);

        // A small segment still gets its chunk; an empty one none.
        let uneven = [900_000, 0, 3, 100_000];
        let cut = chunks(&uneven, 8);
        assert_covers(&uneven, &cut);
        assert_eq!(cut.iter().filter(|(s, _)| *s == 2).count(), 1);
        assert_eq!(cut.iter().filter(|(s, _)| *s == 0).count(), 7);

        assert!(chunks(&[], 8).is_empty());
        assert!(chunks(&[0, 0], 8).is_empty());
        assert_eq!(chunks(&[1], 8), vec![(0, 0..1)]);
        assert_eq!(chunks(&[3], 8).len(), 3);
    }
}
