//! Stored sections read at most once per request: a code query's hits and
//! its error answer usually show the same sections, and reading one means
//! decompressing a doc-store block and decoding every stored field.

use std::collections::HashMap;
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
