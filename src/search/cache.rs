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

/// At most this many bytes of responses are kept, whatever the number of
/// entries (large pages of long snippets must not grow the server).
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// Responses by request; `entries == 0` turns caching off.
pub struct ResponseCache {
    entries: Option<Mutex<Entries>>,
}

struct Entries {
    lru: LruCache<SearchRequest, Arc<Entry>>,
    bytes: usize,
}

/// A cached response, also serialised up to its `took_ms` field.
struct Entry {
    response: SearchResponse,
    json_head: Vec<u8>,
    /// Approximate memory held: the JSON twice (parsed and serialised).
    bytes: usize,
}

/// Where the last two fields (`took_ms`, `cached`) start in the JSON of a
/// [`SearchResponse`]; JSON strings escape quotes, so the last occurrence
/// is the field itself.
const TOOK_MS_FIELD: &[u8] = b",\"took_ms\":";

/// Completes a stored JSON head with the time of this answer.
pub fn finish_json(head: &[u8], took_ms: f64) -> Vec<u8> {
    let mut json = Vec::with_capacity(head.len() + 40);
    json.extend_from_slice(head);
    json.extend_from_slice(format!(",\"took_ms\":{took_ms},\"cached\":true}}").as_bytes());
    json
}

impl ResponseCache {
    pub fn new(entries: usize) -> ResponseCache {
        ResponseCache {
            entries: NonZeroUsize::new(entries).map(|n| {
                Mutex::new(Entries {
                    lru: LruCache::new(n),
                    bytes: 0,
                })
            }),
        }
    }

    /// Number of responses the cache holds at most.
    pub fn capacity(&self) -> usize {
        self.entries.as_ref().map_or(0, |m| lock(m).lru.cap().get())
    }

    /// The cached response to `request`, if any.
    pub fn get(&self, request: &SearchRequest) -> Option<SearchResponse> {
        self.entry(request).map(|entry| entry.response.clone())
    }

    /// The cached response to `request` as JSON, completed by `finish`.
    pub fn json(
        &self,
        request: &SearchRequest,
        finish: impl FnOnce(&[u8]) -> Vec<u8>,
    ) -> Option<Vec<u8>> {
        self.entry(request).map(|entry| finish(&entry.json_head))
    }

    fn entry(&self, request: &SearchRequest) -> Option<Arc<Entry>> {
        if !cacheable(request) {
            return None;
        }
        let entries = self.entries.as_ref()?;
        lock(entries).lru.get(request).cloned()
    }

    /// Remembers `response` as the answer to `request`.
    pub fn put(&self, request: &SearchRequest, response: &SearchResponse) {
        if !cacheable(request) {
            return;
        }
        let Some(entries) = &self.entries else {
            return;
        };
        let Ok(json) = serde_json::to_vec(response) else {
            return;
        };
        let Some(end) = json
            .windows(TOOK_MS_FIELD.len())
            .rposition(|w| w == TOOK_MS_FIELD)
        else {
            return;
        };
        let bytes = 2 * json.len() + request.query.len();
        if bytes > MAX_BYTES / 16 {
            return;
        }
        let entry = Entry {
            response: response.clone(),
            json_head: json[..end].to_vec(),
            bytes,
        };
        let mut entries = lock(entries);
        if let Some((_, replaced)) = entries.lru.push(request.clone(), Arc::new(entry)) {
            entries.bytes -= replaced.bytes;
        }
        entries.bytes += bytes;
        while entries.bytes > MAX_BYTES {
            match entries.lru.pop_lru() {
                Some((_, evicted)) => entries.bytes -= evicted.bytes,
                None => break,
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_json_is_completed_with_the_new_time() {
        let cache = ResponseCache::new(4);
        let request = SearchRequest::new("q \",\"took_ms\":1 tricky");
        let response = SearchResponse {
            query: request.query.clone(),
            total: 0,
            lang: None,
            hits: Vec::new(),
            answer: None,
            facets: Default::default(),
            unknown_code: None,
            corrected: None,
            did_you_mean: None,
            took_ms: 12.5,
            cached: false,
        };
        cache.put(&request, &response);
        let json = cache
            .json(&request, |head| finish_json(head, 0.25))
            .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(value["query"], request.query.as_str());
        assert_eq!(value["took_ms"], 0.25);
        assert_eq!(value["cached"], true);
        let mut again: serde_json::Value = serde_json::to_value(&response).unwrap();
        again["took_ms"] = 0.25.into();
        again["cached"] = true.into();
        assert_eq!(value, again, "the same fields as a fresh answer");
    }
}
