//! kbsearch — offline search for Russian/English troubleshooting knowledge bases.
//!
//! # Layout
//!
//! Data flows top to bottom:
//!
//! * [`ingest`] — walks the content folder, reads each Markdown file, rejects
//!   bad input, and splits it into [`model::Section`]s (front matter,
//!   language, anchors, body text, troubleshooting-table records); the
//!   troubleshooting structure from the heading tree.
//! * [`codes`] — error-code extraction and normalisation, shared by documents
//!   and queries so they can never disagree.
//! * [`analysis`] — the tantivy analyzer: word segmentation, lowercasing,
//!   `ё`→`е`, per-script stemming (cached), code-like tokens kept whole;
//!   the term tables that snippets read; the sound keys a Latin word and
//!   its Cyrillic spelling share.
//! * [`index`] — the schema, building a new index generation and swapping it
//!   in atomically, opening the live one; the files of a generation beside
//!   tantivy's (the manifest, the completion list `suggest.json`, the
//!   bilingual lexicon learned from translated sections, `lexicon.json`).
//! * [`search`] — one search through its stages, each once: the request
//!   validated, the text analysed (typos looked up in the vocabulary filed
//!   by its deletions, checked by an edit-distance automaton; words read in
//!   the other script; translations from the lexicon), one plan of
//!   clauses, the candidates swept with the total
//!   and the facets, re-ranked at the candidates (with the evidence of each
//!   section's translation), the page with its snippets and counterparts,
//!   and the extras (did-you-mean, error answer) only when
//!   needed; the cache of typed responses; completions; one section's own
//!   text for grounding an answer.
//! * [`synonyms`] — the synonym/glossary file applied at query time.
//! * [`render`] — Markdown → sanitized HTML for the document view and for
//!   troubleshooting records.
//! * [`http`] — the axum server: JSON API, embedded web page, middleware;
//!   the Model Context Protocol tools for chat-bot agents, over streamable
//!   HTTP and stdio.
//! * [`check`] — the content linter behind `kbsearch check`.
//! * [`watch`] — `serve --watch`: re-index on content changes, swap engines.
//! * [`config`] — `kbsearch.toml`, `KBSEARCH_*` variables and flags merged
//!   into one configuration, every source walking one table of keys.
//! * [`model`] — the shared vocabulary (documents, sections, hits).
//! * [`error`] — the library's error types.
//! * [`urls`] — the web page's `/doc/…` addresses, built in one place.
//! * [`text`] — character and string helpers used by indexing and searching
//!   alike: script tests, white-space collapsing, edit distance.
//!
//! Imports between modules form no cycle (`tests/architecture.rs` checks
//! it), so each layer can be read and changed knowing only the ones below:
//! what builds the index ([`ingest`], [`analysis`], [`codes`], [`index`])
//! never imports [`search`] or [`http`], and [`error`] and [`text`] import
//! no other module of the crate.
//!
//! The binary is a thin command-line layer over these: `src/main.rs` sets
//! the process up and runs the command, `src/cli.rs` defines the command
//! line (clap).

pub mod analysis;
pub mod check;
pub mod codes;
pub mod config;
pub mod error;
pub mod http;
pub mod index;
pub mod ingest;
pub mod model;
pub mod render;
pub mod search;
pub mod synonyms;
pub mod text;
pub mod urls;
pub mod watch;

pub use error::{Error, Result};
