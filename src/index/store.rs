//! Index folder layout and atomic generation swaps.
//!
//! ```text
//! index/
//!   CURRENT          name of the live generation, replaced atomically
//!   gen-<millis>-<pid>/  tantivy files + manifest.json
//! ```
//!
//! A build writes a new generation beside the live one and switches `CURRENT`
//! with a rename only when it is complete, so a failure or a kill half-way
//! leaves the previous index usable.

use crate::error::{Error, Result};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

const CURRENT_FILE: &str = "CURRENT";
const GENERATION_PREFIX: &str = "gen-";

/// The live generation folder of an index root, if there is one.
pub fn current_generation(root: &Path) -> Result<Option<PathBuf>> {
    let pointer = root.join(CURRENT_FILE);
    let bytes = match fs::read(&pointer) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(Error::io(pointer, err)),
    };
    let Ok(name) = String::from_utf8(bytes) else {
        return Err(Error::IndexCorrupt {
            path: pointer,
            reason: "CURRENT is not text; rebuild the index with `kbsearch index`".to_string(),
        });
    };
    let name = name.trim();
    if !name.starts_with(GENERATION_PREFIX) || name.contains(['/', '\\']) {
        return Err(Error::IndexCorrupt {
            path: pointer,
            reason: format!(
                "CURRENT names {name:?}, which is not a generation folder; rebuild the index with `kbsearch index`"
            ),
        });
    }
    let dir = root.join(name);
    if !dir.is_dir() {
        return Err(Error::IndexCorrupt {
            path: dir,
            reason: "the generation named by CURRENT is missing".to_string(),
        });
    }
    Ok(Some(dir))
}

/// Creates a fresh, empty generation folder for a build.
pub fn new_generation(root: &Path) -> Result<PathBuf> {
    fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let dir = root.join(format!(
        "{GENERATION_PREFIX}{millis}-{}",
        std::process::id()
    ));
    fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
    Ok(dir)
}

/// Makes `generation` the live one, then removes older generations.
pub fn publish(root: &Path, generation: &Path) -> Result<()> {
    let name = generation
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::IndexCorrupt {
            path: generation.to_path_buf(),
            reason: "generation folder has no name".to_string(),
        })?;
    let tmp = root.join(format!("{CURRENT_FILE}.tmp-{}", std::process::id()));
    {
        let mut file = fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        file.write_all(name.as_bytes())
            .map_err(|e| Error::io(&tmp, e))?;
        file.sync_all().map_err(|e| Error::io(&tmp, e))?;
    }
    let pointer = root.join(CURRENT_FILE);
    fs::rename(&tmp, &pointer).map_err(|e| Error::io(&pointer, e))?;
    if let Ok(dir) = fs::File::open(root) {
        let _ = dir.sync_all();
    }
    remove_stale_generations(root, name);
    Ok(())
}

/// Deletes generation folders other than `keep` (failed or replaced builds).
/// Folders that are still being written by another process are left alone
/// when their pid is alive.
fn remove_stale_generations(root: &Path, keep: &str) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        // A `CURRENT.tmp-<pid>` left by a build killed while publishing.
        if name.starts_with(&format!("{CURRENT_FILE}.tmp-")) && !is_being_built(&name) {
            let _ = fs::remove_file(entry.path());
            continue;
        }
        if name == keep || !name.starts_with(GENERATION_PREFIX) || is_being_built(&name) {
            continue;
        }
        if let Err(err) = fs::remove_dir_all(entry.path()) {
            tracing::warn!("could not remove old index generation {name}: {err}");
        }
    }
}

fn is_being_built(name: &str) -> bool {
    let pid = name.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
    match pid {
        Some(pid) if pid != std::process::id() => Path::new(&format!("/proc/{pid}")).exists(),
        _ => false,
    }
}

/// Removes a generation that failed to build.
pub fn discard(generation: &Path) {
    if let Err(err) = fs::remove_dir_all(generation) {
        tracing::warn!(
            "could not remove failed build {}: {err}",
            generation.display()
        );
    }
}
