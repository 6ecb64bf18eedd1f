//! Text analysis shared by indexing and querying.
//!
//! One tokenizer, [`KbTokenizer`], registered under [`TEXT_ANALYZER`] by
//! [`register_analyzers`]; every process that opens an index calls that
//! function, because tantivy stores only the analyzer's name in the schema.
//!
//! Pipeline per word (Unicode word segmentation):
//! 1. lowercase, `ё`→`е` (precomposed and `е`+U+0308), apostrophes dropped;
//! 2. code-like words (`0x80070005`, `AADSTS50058`, `ERROR_DISK_FULL`,
//!    CamelCase identifiers) are kept whole and unstemmed; identifiers are
//!    also emitted as their parts (`user`, `error`, …) so prose finds them;
//! 3. other words are stemmed by their script: Cyrillic with the Russian
//!    Snowball stemmer, Latin with the English one.
//!
//! # Files
//!
//! Each file does one job; they import each other in this order only:
//!
//! * `chars.rs` — what a word's characters say: its [`Script`], its shape
//!   (digits, letters, underscores, inner capitals) and so whether it is
//!   code-like.
//! * `normalize.rs` — lowercasing, `ё`→`е` and the characters dropped
//!   ([`normalize_word`]).
//! * `segment.rs` — the words of a text: a fast path for plain words
//!   between spaces, UAX #29 for the rest.
//! * `sound.rs` — sound keys shared by a Latin word and its Cyrillic
//!   transliteration ([`sound_key`]), for the `sound` field.
//! * `stem.rs` — per-script Snowball stemming behind a per-thread cache
//!   ([`stem`]).
//! * `terms.rs` — the pipeline above, word by word ([`analyze`], [`Term`]).
//! * `term_table.rs` — a text's terms packed with their word spans when a
//!   section is indexed, so snippets need not analyse it again
//!   ([`term_table`], [`each_table_term`]).
//! * `tokenizer.rs` — the tantivy tokenizer over [`analyze`] and its
//!   registration ([`KbTokenizer`], [`register_analyzers`]).

mod chars;
mod normalize;
mod segment;
mod sound;
mod stem;
mod term_table;
mod terms;
mod tokenizer;

pub use chars::{script_of, Script};
pub use normalize::normalize_word;
pub use sound::{
    each_sound_token, sound_key, sound_prefix, sound_token, sound_token_word, SoundScript,
};
pub use stem::stem;
pub use term_table::{
    each_table_term, highlighted_part, term_hash, term_table, word_terms, TableTerm,
    HIGHLIGHTED_BYTES,
};
pub use terms::{analyze, Term};
pub use tokenizer::{
    register_analyzers, KbTokenStream, KbTokenizer, SoundTokenizer, SOUND_ANALYZER, TEXT_ANALYZER,
};
