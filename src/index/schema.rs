//! The tantivy schema: one tantivy document per section.

use crate::analysis::{SOUND_ANALYZER, TEXT_ANALYZER};
use crate::model::Lang;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

/// Handles to every field, resolved once from the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Document id: path relative to the content root.
    pub path: Field,
    pub anchor: Field,
    pub lang: Field,
    pub title: Field,
    pub heading: Field,
    pub breadcrumbs: Field,
    pub body: Field,
    /// Every canonical code of the section.
    pub codes: Field,
    /// Codes the section defines (heading, error column, error-message line).
    pub codes_defined: Field,
    /// Weaker spellings of the section's codes (see [`crate::codes::aliases`]).
    pub code_aliases: Field,
    /// Troubleshooting-table records as JSON.
    pub records: Field,
    /// The body's terms with their word spans, for snippets
    /// ([`crate::analysis::term_table`]).
    pub body_terms: Field,
    pub level: Field,
    /// Order of the section in its document.
    pub ordinal: Field,
    /// Number of the document in the build (groups sections of one document).
    pub doc_number: Field,
    /// [`LANG_EN`] or [`LANG_RU`], as a fast field for re-ranking.
    pub lang_id: Field,
    /// Number of troubleshooting-table rows, to order error answers
    /// without reading stored sections.
    pub table_rows: Field,
    /// Product or service of the document (facet and filter).
    pub product: Field,
    /// Title, heading (three times, as its weight) and body in one field, so
    /// one BM25 length normalisation covers the whole section.
    pub all: Field,
    /// The sound token of each word of the title, heading and body
    /// ([`crate::analysis::sound_token`]), for transliterated words.
    pub sound: Field,
    /// For a section under a repeated label heading ("Solution 2"), the
    /// heading of the problem it belongs to
    /// ([`crate::ingest::structure::problem_headings`]).
    pub problem: Field,
    /// The section's [`crate::ingest::structure::Role`] (as a number).
    pub role: Field,
    /// The section's key in its translation pair ([`pair_key`]).
    pub pair: Field,
}

pub const LANG_EN: u64 = 0;
pub const LANG_RU: u64 = 1;

/// The `lang_id` column's value for `lang`.
pub fn lang_id(lang: Lang) -> u64 {
    match lang {
        Lang::En => LANG_EN,
        Lang::Ru => LANG_RU,
    }
}

pub const BREADCRUMB_SEPARATOR: &str = " › ";

/// The key of a section in its translation pair: its path without the
/// language folder (`en/`, `ru/`) and its anchor, hashed, with the lowest
/// bit its [`lang_id`]. The two language versions of an article sit at the
/// same relative path and keep the original's anchors, so a section's
/// translation has the key [`counterpart_key`] of its own.
pub fn pair_key(path: &str, anchor: &str, lang: Lang) -> u64 {
    let neutral = match path.split_once('/') {
        Some(("en" | "ru", rest)) => rest,
        _ => path,
    };
    let mut hasher = blake3::Hasher::new();
    hasher.update(neutral.as_bytes());
    hasher.update(b"#");
    hasher.update(anchor.to_lowercase().as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&hasher.finalize().as_bytes()[..8]);
    (u64::from_le_bytes(bytes) << 1) | lang_id(lang)
}

/// The [`pair_key`] of the translation of the section keyed `key`.
pub fn counterpart_key(key: u64) -> u64 {
    key ^ 1
}

/// The `doc_number` of the document at `path`: stable across builds, so
/// the sections of one document keep their group in incremental builds.
pub fn doc_number(path: &str) -> u64 {
    let hash = blake3::hash(path.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(bytes)
}

/// Builds the schema.
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    builder.add_text_field("path", STRING | STORED);
    builder.add_text_field("anchor", STRING | STORED);
    builder.add_text_field("lang", STRING | STORED | FAST);
    builder.add_text_field("product", STRING | STORED | FAST);
    builder.add_text_field("title", text.clone());
    builder.add_text_field("heading", text.clone());
    builder.add_text_field("breadcrumbs", text.clone());
    builder.add_text_field("body", text.clone());
    let unstored = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    builder.add_text_field("all", unstored.clone());
    builder.add_text_field("problem", unstored);
    // A token per distinct word and text: frequencies would say little.
    let sound = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(SOUND_ANALYZER)
            .set_index_option(IndexRecordOption::Basic),
    );
    builder.add_text_field("sound", sound);
    builder.add_text_field("codes", STRING | STORED);
    builder.add_text_field("codes_defined", STRING | STORED);
    builder.add_text_field("code_aliases", STRING);
    builder.add_text_field("records", STORED);
    builder.add_bytes_field("body_terms", STORED);
    builder.add_u64_field("level", STORED | FAST);
    builder.add_u64_field("ordinal", STORED | FAST | INDEXED);
    builder.add_u64_field("doc_number", FAST);
    builder.add_u64_field("lang_id", FAST);
    builder.add_u64_field("table_rows", FAST);
    builder.add_u64_field("pair", FAST | INDEXED);
    builder.add_u64_field("role", FAST);
    builder.build()
}

impl Fields {
    /// Resolves the fields of a schema built by [`build_schema`].
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            path: get("path")?,
            anchor: get("anchor")?,
            lang: get("lang")?,
            title: get("title")?,
            heading: get("heading")?,
            breadcrumbs: get("breadcrumbs")?,
            body: get("body")?,
            codes: get("codes")?,
            codes_defined: get("codes_defined")?,
            code_aliases: get("code_aliases")?,
            records: get("records")?,
            body_terms: get("body_terms")?,
            level: get("level")?,
            ordinal: get("ordinal")?,
            doc_number: get("doc_number")?,
            lang_id: get("lang_id")?,
            table_rows: get("table_rows")?,
            product: get("product")?,
            all: get("all")?,
            sound: get("sound")?,
            pair: get("pair")?,
            problem: get("problem")?,
            role: get("role")?,
        })
    }
}
