//! Stored sections read at most once per request: a code query's hits and
//! its error answer usually show the same sections, and reading one means
//! decompressing a doc-store block and decoding every stored field.

use crate::model::TableRecord;
use std::collections::HashMap;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument};

/// The stored sections one request has read so far.
pub struct StoredSections<'a> {
    searcher: &'a Searcher,
    read: HashMap<DocAddress, TantivyDocument>,
}

impl<'a> StoredSections<'a> {
    pub fn new(searcher: &'a Searcher) -> Self {
        StoredSections {
            searcher,
            read: HashMap::new(),
        }
    }

    pub fn searcher(&self) -> &'a Searcher {
        self.searcher
    }

    /// The stored fields of the section at `address`, read on first use.
    pub fn get(&mut self, address: DocAddress) -> tantivy::Result<&TantivyDocument> {
        match self.read.entry(address) {
            std::collections::hash_map::Entry::Occupied(entry) => Ok(entry.into_mut()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                Ok(slot.insert(self.searcher.doc(address)?))
            }
        }
    }
}

/// The first text of `field` in `doc` (empty when there is none).
pub fn text(doc: &TantivyDocument, field: Field) -> String {
    text_ref(doc, field).to_string()
}

/// [`text`] without a copy.
pub fn text_ref(doc: &TantivyDocument, field: Field) -> &str {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
}

/// The first bytes value of `field` in `doc`, when there is one.
pub fn bytes(doc: &TantivyDocument, field: Field) -> Option<&[u8]> {
    doc.get_first(field).and_then(|v| v.as_bytes())
}

/// The troubleshooting-table rows stored as JSON in `field` (none when
/// the field is missing or does not parse).
pub fn records(doc: &TantivyDocument, field: Field) -> Vec<TableRecord> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}
