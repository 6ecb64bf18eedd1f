//! Facet counts: how many matching sections each product and language has.

use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// The string fast fields counted as facets.
pub const PRODUCT: &str = "product";
pub const LANG: &str = "lang";

/// One value of a facet and its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Facet counts of a result set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Per product, counted with the language filter but not the product filter.
    pub products: Vec<FacetCount>,
    /// Per language, counted with the product filter but not the language filter.
    pub langs: Vec<FacetCount>,
}

impl Facets {
    /// The facets from the per-product and per-language counts.
    pub fn from_counts(products: HashMap<String, u64>, langs: HashMap<String, u64>) -> Facets {
        Facets {
            products: ValueCounts::sorted(products),
            langs: ValueCounts::sorted(langs),
        }
    }
}

/// The facet value of every section, per segment, as small integers: with
/// it a facet count is one array read per matching section. Reading the
/// fast-field column per section instead (dictionary-encoded, behind a
/// trait object) was a third of a short query at a million sections.
#[derive(Default)]
pub struct FacetTable {
    /// (field, segment) → ordinals.
    segments: HashMap<(&'static str, SegmentId), Arc<SegmentOrdinals>>,
}

/// One field of one segment: `ords[doc]` indexes `values` (`NONE` = no value).
pub(super) struct SegmentOrdinals {
    pub(super) ords: Vec<u16>,
    pub(super) values: Vec<String>,
}

/// The ordinal of a section without a value.
const NONE: u16 = u16::MAX;

impl FacetTable {
    /// Reads `fields` for every segment of `searcher`; a field with too many
    /// distinct values (or missing) is left out and counted from its column.
    pub fn build(searcher: &Searcher, fields: &[&'static str]) -> FacetTable {
        let mut segments = HashMap::new();
        for reader in searcher.segment_readers() {
            for &field in fields {
                if let Some(ordinals) = SegmentOrdinals::read(reader, field) {
                    segments.insert((field, reader.segment_id()), Arc::new(ordinals));
                }
            }
        }
        FacetTable { segments }
    }

    /// The ordinals of `field` in the segment `reader` reads, if the table
    /// has them (it was built from that very segment).
    pub(super) fn ordinals(
        &self,
        field: &'static str,
        reader: &SegmentReader,
    ) -> Option<&Arc<SegmentOrdinals>> {
        self.segments
            .get(&(field, reader.segment_id()))
            .filter(|ordinals| ordinals.ords.len() == reader.max_doc() as usize)
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.segments.values().map(|s| s.ords.len() * 2).sum()
    }
}

impl SegmentOrdinals {
    /// The value ordinal of `doc`, or `values.len()` when it has none
    /// (`NONE` is above every ordinal).
    #[inline]
    pub(super) fn ordinal(&self, doc: DocId) -> usize {
        let ord = self.ords.get(doc as usize).copied().unwrap_or(NONE);
        (ord as usize).min(self.values.len())
    }

    fn read(reader: &SegmentReader, field: &str) -> Option<SegmentOrdinals> {
        let column = reader.fast_fields().str(field).ok()??;
        if column.num_terms() >= NONE as usize {
            return None;
        }
        let mut values = Vec::with_capacity(column.num_terms());
        for ord in 0..column.num_terms() {
            let mut value = String::new();
            column.ord_to_str(ord as u64, &mut value).ok()?;
            values.push(value);
        }
        let ords = (0..reader.max_doc())
            .map(|doc| column.term_ords(doc).next().map_or(NONE, |ord| ord as u16))
            .collect();
        Some(SegmentOrdinals { ords, values })
    }
}

/// Counts matching documents per value of a string fast field (the first
/// value of a section that has several).
pub struct ValueCounts {
    field: &'static str,
    table: Option<Arc<FacetTable>>,
}

impl ValueCounts {
    /// Counts from `table` where it has the field (from the segments'
    /// columns elsewhere, or without a table).
    pub fn new(field: &'static str, table: Option<Arc<FacetTable>>) -> Self {
        ValueCounts { field, table }
    }

    /// Sorted by count (descending), then value; empty values left out.
    pub fn sorted(counts: HashMap<String, u64>) -> Vec<FacetCount> {
        let mut out: Vec<FacetCount> = counts
            .into_iter()
            .filter(|(value, _)| !value.is_empty())
            .map(|(value, count)| FacetCount { value, count })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        out
    }
}

/// Counts per value ordinal (a handful of products and languages, so a
/// dense vector rather than a hash map).
pub struct SegmentValueCounts {
    source: Source,
    counts: Vec<u64>,
}

enum Source {
    Table(Arc<SegmentOrdinals>),
    Column(StrColumn),
    Nothing,
}

impl Collector for ValueCounts {
    type Fruit = HashMap<String, u64>;
    type Child = SegmentValueCounts;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentValueCounts> {
        let from_table = self
            .table
            .as_ref()
            .and_then(|table| table.ordinals(self.field, reader).cloned());
        let (source, terms) = match from_table {
            Some(ordinals) => {
                let terms = ordinals.values.len();
                (Source::Table(ordinals), terms)
            }
            None => match reader.fast_fields().str(self.field)? {
                Some(column) => {
                    let terms = column.num_terms();
                    (Source::Column(column), terms)
                }
                None => (Source::Nothing, 0),
            },
        };
        Ok(SegmentValueCounts {
            source,
            counts: vec![0; terms],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashMap<String, u64>>,
    ) -> tantivy::Result<HashMap<String, u64>> {
        let mut merged = HashMap::new();
        for fruit in fruits {
            for (value, count) in fruit {
                *merged.entry(value).or_insert(0) += count;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentValueCounts {
    type Fruit = HashMap<String, u64>;

    #[inline]
    fn collect(&mut self, doc: DocId, _score: Score) {
        match &self.source {
            Source::Table(ordinals) => {
                // No value: one past the counts.
                if let Some(count) = self.counts.get_mut(ordinals.ordinal(doc)) {
                    *count += 1;
                }
            }
            Source::Column(column) => {
                if let Some(ord) = column.term_ords(doc).next() {
                    if let Some(count) = self.counts.get_mut(ord as usize) {
                        *count += 1;
                    }
                }
            }
            Source::Nothing => {}
        }
    }

    fn harvest(self) -> HashMap<String, u64> {
        let mut out = HashMap::new();
        for (ord, count) in self.counts.into_iter().enumerate() {
            if count == 0 {
                continue;
            }
            let value = match &self.source {
                Source::Table(ordinals) => ordinals.values[ord].clone(),
                Source::Column(column) => {
                    let mut value = String::new();
                    if !column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                        continue;
                    }
                    value
                }
                Source::Nothing => continue,
            };
            *out.entry(value).or_insert(0) += count;
        }
        out
    }
}
