//! Stored sections read at most once per request: a code query's hits and
//! its error answer usually show the same sections, and reading one means
//! decompressing a doc-store block and decoding every stored field.

use crate::model::TableRecord;
use std::collections::HashMap;
use tantivy::schema::document::{
    DeserializeError, DocumentDeserialize, DocumentDeserializer, OwnedValue,
};
use tantivy::schema::Field;
use tantivy::{DocAddress, Searcher};

/// The stored sections one request has read so far.
pub struct StoredSections<'a> {
    searcher: &'a Searcher,
    read: HashMap<DocAddress, StoredSection>,
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
    pub fn get(&mut self, address: DocAddress) -> tantivy::Result<&StoredSection> {
        match self.read.entry(address) {
            std::collections::hash_map::Entry::Occupied(entry) => Ok(entry.into_mut()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                Ok(slot.insert(self.searcher.doc(address)?))
            }
        }
    }
}

/// One section's stored fields as read from the store: each value is
/// decoded once, into its own string or bytes (tantivy's general document
/// copies every value again into a compact arena).
#[derive(Debug, Default)]
pub struct StoredSection {
    values: Vec<(Field, OwnedValue)>,
}

impl DocumentDeserialize for StoredSection {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some(entry) = deserializer.next_field::<OwnedValue>()? {
            values.push(entry);
        }
        Ok(StoredSection { values })
    }
}

impl StoredSection {
    fn values(&self, field: Field) -> impl Iterator<Item = &OwnedValue> {
        self.values
            .iter()
            .filter(move |(f, _)| *f == field)
            .map(|(_, value)| value)
    }

    /// Every text of `field`, in order.
    pub fn texts(&self, field: Field) -> impl Iterator<Item = &str> {
        self.values(field).filter_map(|value| match value {
            OwnedValue::Str(text) => Some(text.as_str()),
            _ => None,
        })
    }

    /// The first text of `field` (empty when there is none).
    pub fn text(&self, field: Field) -> &str {
        self.texts(field).next().unwrap_or_default()
    }

    /// The first bytes value of `field`, when there is one.
    pub fn bytes(&self, field: Field) -> Option<&[u8]> {
        self.values(field).find_map(|value| match value {
            OwnedValue::Bytes(bytes) => Some(bytes.as_slice()),
            _ => None,
        })
    }

    /// The troubleshooting-table rows stored as JSON in `field` (none when
    /// the field is missing or does not parse).
    pub fn records(&self, field: Field) -> Vec<TableRecord> {
        serde_json::from_str(self.text(field)).unwrap_or_default()
    }
}
