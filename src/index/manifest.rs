//! `manifest.json`: what a built index contains and when it was built.

use crate::model::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Per-language counts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct LangCounts {
    pub documents: usize,
    pub sections: usize,
}

/// A document as listed in the manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DocEntry {
    pub path: String,
    pub lang: Lang,
    pub title: String,
    pub description: String,
    pub date: String,
    pub sections: usize,
    #[serde(default)]
    pub product: String,
    /// Size of the Markdown file in bytes.
    #[serde(default)]
    pub bytes: u64,
    /// BLAKE3 hash of the file, to re-index only what changed.
    #[serde(default)]
    pub hash: String,
    /// Distinct canonical codes of the document.
    #[serde(default)]
    pub codes: Vec<String>,
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// Summary of one index build, written beside the tantivy files.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format: u32,
    pub built_at_unix: u64,
    /// When the build started reading content, in Unix milliseconds: content
    /// modified after this makes the index stale.
    pub started_at_unix_ms: u64,
    pub content_root: String,
    /// The synonyms file the index was built with (empty when none).
    #[serde(default)]
    pub synonyms_file: String,
    pub documents: usize,
    pub sections: usize,
    /// Distinct canonical codes.
    pub codes: usize,
    pub bytes: u64,
    pub build_seconds: f64,
    pub per_lang: BTreeMap<Lang, LangCounts>,
    pub docs: Vec<DocEntry>,
    pub skipped: Vec<SkippedFile>,
    /// What this build changed relative to the previous index.
    #[serde(default)]
    pub changes: Changes,
}

/// Documents added, changed, removed and kept by an (incremental) build.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Changes {
    /// False when the whole index was rebuilt.
    pub incremental: bool,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
}

impl Manifest {
    /// Drops what only a build reads (each document's content hash and
    /// codes), which a server would keep for nothing (docs/benchmarks.md).
    pub fn forget_build_details(&mut self) {
        for doc in &mut self.docs {
            doc.hash = String::new();
            doc.codes = Vec::new();
        }
    }
}

/// Version of the on-disk layout; bump when the schema or analysis changes.
pub const FORMAT_VERSION: u32 = 14;

pub const MANIFEST_FILE: &str = "manifest.json";
/// The parsed synonyms the index was built with.
pub const SYNONYMS_JSON: &str = "synonyms.json";
