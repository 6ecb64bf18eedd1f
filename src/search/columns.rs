//! The per-section columns that re-ranking and error answers read, opened
//! once per segment when the engine opens.
//!
//! Opening a column decodes its block headers (a couple of thousand for a
//! segment of a million sections); a query that opened its columns itself
//! spent a few percent of its time there.

use std::collections::HashMap;
use std::sync::Arc;
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{Searcher, SegmentReader};

/// One segment's columns.
pub struct SectionColumns {
    /// The document's number ([`crate::index::schema::doc_number`]).
    pub doc_number: Column<u64>,
    /// The section's place in its document.
    pub ordinal: Column<u64>,
    /// The section's language id.
    pub lang: Column<u64>,
    /// The heading level (0 for the text before the first heading).
    pub level: Column<u64>,
    /// Troubleshooting-table rows the section holds.
    pub table_rows: Column<u64>,
    /// The section's key in its translation pair
    /// ([`crate::index::schema::pair_key`]).
    pub pair: Column<u64>,
    /// The section's troubleshooting role
    /// ([`crate::ingest::structure::Role`]).
    pub role: Column<u64>,
}

impl SectionColumns {
    fn open(reader: &SegmentReader) -> tantivy::Result<SectionColumns> {
        let fast = reader.fast_fields();
        Ok(SectionColumns {
            doc_number: fast.u64("doc_number")?,
            ordinal: fast.u64("ordinal")?,
            lang: fast.u64("lang_id")?,
            level: fast.u64("level")?,
            table_rows: fast.u64("table_rows")?,
            pair: fast.u64("pair")?,
            role: fast.u64("role")?,
        })
    }
}

/// The columns of every segment of one searcher.
#[derive(Default)]
pub struct Columns {
    by_segment: HashMap<SegmentId, Arc<SectionColumns>>,
}

impl Columns {
    /// Opens the columns of every segment of `searcher`.
    pub fn open(searcher: &Searcher) -> tantivy::Result<Columns> {
        let mut by_segment = HashMap::new();
        for reader in searcher.segment_readers() {
            by_segment.insert(reader.segment_id(), Arc::new(SectionColumns::open(reader)?));
        }
        Ok(Columns { by_segment })
    }

    /// The columns of segment `segment_ord` of `searcher`, opened now if
    /// the segment is not one of those opened at first.
    pub fn of(
        &self,
        searcher: &Searcher,
        segment_ord: u32,
    ) -> tantivy::Result<Arc<SectionColumns>> {
        let reader = searcher.segment_reader(segment_ord);
        match self.by_segment.get(&reader.segment_id()) {
            Some(columns) => Ok(columns.clone()),
            None => Ok(Arc::new(SectionColumns::open(reader)?)),
        }
    }
}
