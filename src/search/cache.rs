//! A bounded least-recently-used cache of search responses.
//!
//! Support staff and chat-bots repeat the same queries (the same pasted error,
//! the same page of results); a repeated request is answered from memory.
//! The cache belongs to one [`super::Engine`], so a new index generation
//! starts with an empty cache and can never serve results of the old one.

use super::{SearchRequest, SearchResponse};
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Default number of cached responses (a response is a few kilobytes).
pub const DEFAULT_ENTRIES: usize = 1024;

/// Responses by request; `entries == 0` turns caching off.
pub struct ResponseCache {
    entries: Option<Mutex<LruCache<SearchRequest, Arc<SearchResponse>>>>,
}

impl ResponseCache {
    pub fn new(entries: usize) -> ResponseCache {
        ResponseCache {
            entries: NonZeroUsize::new(entries).map(|n| Mutex::new(LruCache::new(n))),
        }
    }

    /// Number of responses the cache holds at most.
    pub fn capacity(&self) -> usize {
        self.entries.as_ref().map_or(0, |m| lock(m).cap().get())
    }

    /// The cached response to `request`, if any.
    pub fn get(&self, request: &SearchRequest) -> Option<Arc<SearchResponse>> {
        if !cacheable(request) {
            return None;
        }
        let entries = self.entries.as_ref()?;
        lock(entries).get(request).cloned()
    }

    /// Remembers `response` as the answer to `request`.
    pub fn put(&self, request: &SearchRequest, response: &SearchResponse) {
        if !cacheable(request) {
            return;
        }
        if let Some(entries) = &self.entries {
            lock(entries).put(request.clone(), Arc::new(response.clone()));
        }
    }
}

/// Explanations are large and only asked for while debugging.
fn cacheable(request: &SearchRequest) -> bool {
    !request.explain
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
