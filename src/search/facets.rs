//! Facet counts: how many matching sections each product and language has.

use serde::Serialize;
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

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

/// Counts matching documents per value of a string fast field.
pub struct ValueCounts {
    field: &'static str,
}

impl ValueCounts {
    pub fn new(field: &'static str) -> Self {
        ValueCounts { field }
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

/// Counts per term ordinal of the segment's column (a handful of products
/// and languages, so a dense vector; hashing per matching section cost a
/// sixth of a short query at a million sections).
pub struct SegmentValueCounts {
    column: Option<StrColumn>,
    counts: Vec<u64>,
}

impl Collector for ValueCounts {
    type Fruit = HashMap<String, u64>;
    type Child = SegmentValueCounts;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentValueCounts> {
        let column = reader.fast_fields().str(self.field)?;
        let terms = column.as_ref().map_or(0, |c| c.num_terms());
        Ok(SegmentValueCounts {
            column,
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

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(column) = &self.column {
            for ord in column.term_ords(doc) {
                if let Some(count) = self.counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(self) -> HashMap<String, u64> {
        let mut out = HashMap::new();
        let Some(column) = self.column else {
            return out;
        };
        for (ord, count) in self.counts.into_iter().enumerate() {
            if count == 0 {
                continue;
            }
            let mut value = String::new();
            if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                *out.entry(value).or_insert(0) += count;
            }
        }
        out
    }
}
