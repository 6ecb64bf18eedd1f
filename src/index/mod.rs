//! The on-disk index: schema, building, opening.

pub mod build;
pub mod lexicon;
pub mod manifest;
pub mod schema;
pub mod store;
pub mod suggest_file;

pub use build::{build, BuildOptions, BuildReport, Progress};
pub use manifest::Manifest;
pub use schema::Fields;

use crate::analysis::register_analyzers;
use crate::error::{Error, Result};
use manifest::{FORMAT_VERSION, MANIFEST_FILE};
use std::path::{Path, PathBuf};
use tantivy::Index;

/// Why the index under `index_root` must be (re)built from `content`, or
/// `None` when it is up to date.
pub fn rebuild_reason(
    content: &Path,
    index_root: &Path,
    synonyms: Option<&Path>,
) -> Option<String> {
    match open(index_root) {
        Ok(opened) => stale_reason(&opened.manifest, content, synonyms),
        Err(err) => Some(unusable_reason(&err)),
    }
}

/// Why an index that failed to open must be rebuilt.
pub fn unusable_reason(err: &Error) -> String {
    match err {
        Error::IndexMissing(_) => "there is no index yet".to_string(),
        err => format!("the index cannot be used ({err})"),
    }
}

/// Why the index described by `manifest` no longer matches `content` (a
/// different folder or synonyms file, or files changed after the build).
pub fn stale_reason(
    manifest: &Manifest,
    content: &Path,
    synonyms: Option<&Path>,
) -> Option<String> {
    let mut options = BuildOptions::new(content, Path::new(""));
    options.synonyms = synonyms.map(Path::to_path_buf);
    let synonyms_file = build::synonyms_source(&options);
    let extra_files: Vec<PathBuf> = synonyms.map(Path::to_path_buf).into_iter().collect();
    let content_root = std::fs::canonicalize(content).unwrap_or_else(|_| content.to_path_buf());
    if Path::new(&manifest.content_root) != content_root {
        return Some(format!(
            "the index was built from {}, not {}",
            manifest.content_root,
            content_root.display()
        ));
    }
    if manifest.synonyms_file != synonyms_file {
        return Some("the synonyms file changed".to_string());
    }
    let newest = walkdir::WalkDir::new(content)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok()?.modified().ok())
        .chain(
            extra_files
                .iter()
                .filter_map(|f| std::fs::metadata(f).ok()?.modified().ok()),
        )
        .map(build::unix_millis)
        .max()
        .unwrap_or(0);
    (newest > manifest.started_at_unix_ms)
        .then(|| "the content changed after the index was built".to_string())
}

/// An opened index generation with its manifest.
pub struct OpenedIndex {
    pub index: Index,
    pub fields: Fields,
    pub manifest: Manifest,
    pub synonyms: crate::synonyms::Synonyms,
    pub generation: PathBuf,
}

/// Opens the live generation under the index root `root`.
pub fn open(root: &Path) -> Result<OpenedIndex> {
    let generation =
        store::current_generation(root)?.ok_or_else(|| Error::IndexMissing(root.to_path_buf()))?;
    let manifest_path = generation.join(MANIFEST_FILE);
    let bytes = std::fs::read(&manifest_path).map_err(|e| Error::io(&manifest_path, e))?;
    let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| Error::IndexCorrupt {
        path: manifest_path.clone(),
        reason: e.to_string(),
    })?;
    if manifest.format != FORMAT_VERSION {
        return Err(Error::IndexCorrupt {
            path: generation,
            reason: format!(
                "index format {} is not the supported format {FORMAT_VERSION}; rebuild it with `kbsearch index`",
                manifest.format
            ),
        });
    }
    let synonyms_path = generation.join(manifest::SYNONYMS_JSON);
    let synonyms = match std::fs::read(&synonyms_path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::IndexCorrupt {
            path: synonyms_path.clone(),
            reason: e.to_string(),
        })?,
        Err(_) => crate::synonyms::Synonyms::default(),
    };
    let index = Index::open_in_dir(&generation).map_err(|err| damaged(&generation, &err))?;
    register_analyzers(&index);
    check_segments(&index, &generation)?;
    let fields = Fields::from_schema(&index.schema())?;
    Ok(OpenedIndex {
        index,
        fields,
        manifest,
        synonyms,
        generation,
    })
}

/// Opens every segment once, so a truncated or damaged file is found when the
/// index is opened (and [`rebuild_reason`] asks for a rebuild) rather than by
/// the first search.
fn check_segments(index: &Index, generation: &Path) -> Result<()> {
    let schema = index.schema();
    for segment in index
        .searchable_segments()
        .map_err(|e| damaged(generation, &e))?
    {
        let reader = tantivy::SegmentReader::open(&segment).map_err(|e| damaged(generation, &e))?;
        // Postings and positions are opened per field, lazily: open them now.
        for (field, entry) in schema.fields() {
            if entry.is_indexed() {
                reader
                    .inverted_index(field)
                    .map_err(|e| damaged(generation, &e))?;
            }
        }
        reader
            .get_store_reader(0)
            .map_err(|e| damaged(generation, &e.into()))?;
    }
    Ok(())
}

/// A short, actionable error for tantivy files that cannot be read.
fn damaged(generation: &Path, err: &tantivy::TantivyError) -> Error {
    use tantivy::directory::error::OpenReadError;
    let detail = match err {
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            format!("{}: {io_error}", filepath.display())
        }
        tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            format!("{} is missing", path.display())
        }
        other => other.to_string(),
    };
    Error::IndexCorrupt {
        path: generation.to_path_buf(),
        reason: format!("its files are damaged ({detail}); rebuild it with `kbsearch index`"),
    }
}
