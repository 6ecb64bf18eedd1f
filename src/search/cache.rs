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
    lru: LruCache<SearchRequest, Entry>,
    bytes: usize,
}

struct Entry {
    response: Arc<SearchResponse>,
    /// Approximate memory held.
    bytes: usize,
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
    pub fn get(&self, request: &SearchRequest) -> Option<Arc<SearchResponse>> {
        if !cacheable(request) {
            return None;
        }
        let entries = self.entries.as_ref()?;
        lock(entries)
            .lru
            .get(request)
            .map(|entry| entry.response.clone())
    }

    /// Remembers `response` as the answer to `request`.
    pub fn put(&self, request: &SearchRequest, response: &Arc<SearchResponse>) {
        if !cacheable(request) {
            return;
        }
        let Some(entries) = &self.entries else {
            return;
        };
        let bytes = approximate_bytes(response) + request.query.len();
        if bytes > MAX_BYTES / 16 {
            return;
        }
        let entry = Entry {
            response: response.clone(),
            bytes,
        };
        let mut entries = lock(entries);
        if let Some((_, replaced)) = entries.lru.push(request.clone(), entry) {
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

/// Bytes a response holds: its texts, plus a little per value.
fn approximate_bytes(response: &SearchResponse) -> usize {
    const PER_VALUE: usize = 32;
    let texts = |list: &[String]| list.iter().map(|t| t.len() + PER_VALUE).sum::<usize>();
    let records = |list: &[crate::model::TableRecord]| -> usize {
        list.iter()
            .map(|r| r.message.len() + r.causes.len() + r.actions.len() + texts(&r.codes))
            .sum()
    };
    let hits: usize = response
        .hits
        .iter()
        .map(|h| {
            h.path.len()
                + h.anchor.len()
                + h.url.len()
                + h.title.len()
                + h.heading.len()
                + h.snippet.len()
                + texts(&h.breadcrumbs)
                + texts(&h.codes)
                + records(&h.records)
                + h.explanation.as_ref().map_or(0, |e| e.to_string().len())
                + 8 * PER_VALUE
        })
        .sum();
    let answer = response.answer.as_ref().map_or(0, |a| {
        a.sections
            .iter()
            .map(|s| {
                s.path.len()
                    + s.anchor.len()
                    + s.url.len()
                    + s.title.len()
                    + s.heading.len()
                    + records(&s.records)
                    + 6 * PER_VALUE
            })
            .sum::<usize>()
            + texts(&a.aliases)
    });
    let facets = (response.facets.products.len() + response.facets.langs.len()) * 2 * PER_VALUE;
    std::mem::size_of::<SearchResponse>() + response.query.len() + hits + answer + facets
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
    fn responses_are_shared_and_the_byte_budget_evicts() {
        let cache = ResponseCache::new(1000);
        let response = |query: &str, snippet_bytes: usize| {
            Arc::new(SearchResponse {
                query: query.to_string(),
                total: 1,
                lang: None,
                hits: vec![crate::model::SearchHit {
                    path: "en/a.md".into(),
                    anchor: "a".into(),
                    url: "/doc/en/a.md#a".into(),
                    title: String::new(),
                    heading: String::new(),
                    breadcrumbs: Vec::new(),
                    lang: crate::model::Lang::En,
                    score: 1.0,
                    snippet: "x".repeat(snippet_bytes),
                    codes: Vec::new(),
                    records: Vec::new(),
                    counterpart: None,
                    explanation: None,
                }],
                answer: None,
                facets: Default::default(),
                unknown_code: None,
                corrected: None,
                transliterated: Vec::new(),
                did_you_mean: None,
            })
        };
        let first = SearchRequest::new("first");
        let stored = response("first", 10);
        cache.put(&first, &stored);
        assert!(Arc::ptr_eq(&cache.get(&first).unwrap(), &stored));
        // Responses of about MAX_BYTES / 20 each: the oldest go first.
        for n in 0..40 {
            let request = SearchRequest::new(format!("big {n}"));
            cache.put(&request, &response(&request.query, MAX_BYTES / 20));
        }
        assert!(cache.get(&first).is_none(), "evicted by the byte budget");
        assert!(cache.get(&SearchRequest::new("big 39")).is_some());
        let held = lock(cache.entries.as_ref().unwrap()).bytes;
        assert!(held <= MAX_BYTES, "{held}");
        let mut explained = SearchRequest::new("first");
        explained.explain = true;
        cache.put(&explained, &stored);
        assert!(cache.get(&explained).is_none(), "explanations are not kept");
    }
}
