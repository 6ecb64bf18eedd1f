//! Ingestion: content folder → [`Document`]s.
//!
//! * [`discover`] walks the content root in sorted, deterministic order;
//! * [`load`] reads one file, rejects bad input with a [`SkipReason`] and
//!   parses the rest (front matter, language, sections, codes, tables).

pub mod anchor;
pub mod front_matter;
pub mod markdown;
pub mod structure;
pub mod table;

use crate::model::{Document, Lang};
use crate::text::is_cyrillic;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Default limit on the size of one Markdown file.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// Why a file was not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    TooLarge { bytes: u64, limit: u64 },
    Unreadable(String),
    Empty,
    Binary,
    NotUtf8 { valid_up_to: usize },
    NoContent,
    ParserFailed,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::TooLarge { bytes, limit } => {
                write!(f, "file is {bytes} bytes, over the {limit}-byte limit")
            }
            SkipReason::Unreadable(err) => write!(f, "cannot read file: {err}"),
            SkipReason::Empty => f.write_str("file is empty"),
            SkipReason::Binary => f.write_str("file is binary (contains NUL bytes)"),
            SkipReason::NotUtf8 { valid_up_to } => {
                write!(
                    f,
                    "file is not valid UTF-8 (invalid byte at offset {valid_up_to})"
                )
            }
            SkipReason::NoContent => {
                f.write_str("file has no Markdown content after the front matter")
            }
            SkipReason::ParserFailed => f.write_str("Markdown parser failed on this file"),
        }
    }
}

/// A Markdown file found under the content root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Path relative to the content root with `/` separators: the document id.
    pub id: String,
}

/// A successfully parsed file and what was odd about it.
#[derive(Debug)]
pub struct Loaded {
    pub document: Document,
    pub warnings: Vec<String>,
    pub bytes: u64,
}

/// A path under the content root that could not be walked: a symlink loop,
/// a dangling or self-referencing link, a folder that cannot be read.
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub file: SourceFile,
    pub reason: String,
}

/// Everything [`discover_all`] found under a content root.
#[derive(Debug, Clone, Default)]
pub struct Discovered {
    pub files: Vec<SourceFile>,
    pub problems: Vec<WalkProblem>,
}

/// Lists the Markdown files under `root` in sorted order. Hidden files and
/// folders and `README.md` files (folder descriptions, not articles) are left out.
pub fn discover(root: &Path) -> std::io::Result<Vec<SourceFile>> {
    discover_all(root).map(|found| found.files)
}

/// Like [`discover`], and also returns the paths that could not be walked so
/// they can be reported (symlinks are followed; a loop is reported once and
/// not entered).
pub fn discover_all(root: &Path) -> std::io::Result<Discovered> {
    let meta = fs::metadata(root)?;
    if !meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            format!("{} is not a directory", root.display()),
        ));
    }
    let mut found = Discovered::default();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                tracing::warn!("skipping unreadable path: {err}");
                if let Some(problem) = walk_problem(root, &err) {
                    found.problems.push(problem);
                }
                continue;
            }
        };
        if !entry.file_type().is_file() || !is_markdown(entry.path()) {
            continue;
        }
        if let Some(id) = relative_id(root, entry.path()) {
            found.files.push(SourceFile {
                path: entry.path().to_path_buf(),
                id,
            });
        }
    }
    found.files.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(found)
}

/// Path relative to `root` with `/` separators.
fn relative_id(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    Some(
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// A walk error worth reporting: loops, unreadable folders, and broken links
/// that look like articles (a broken link to an image is not our business).
fn walk_problem(root: &Path, err: &walkdir::Error) -> Option<WalkProblem> {
    let path = err.path()?;
    let id = relative_id(root, path)?;
    let reason = if let Some(ancestor) = err.loop_ancestor() {
        let target = relative_id(root, ancestor)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| ancestor.display().to_string());
        format!("symbolic link loop: it leads back to {target:?}; not followed")
    } else {
        let io = err.io_error();
        let dangling = io.is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound);
        if dangling && !is_markdown(path) {
            return None;
        }
        match io {
            Some(e) if dangling => format!("broken symbolic link: {e}"),
            Some(e) => format!("cannot read: {e}"),
            None => err.to_string(),
        }
    };
    Some(WalkProblem {
        file: SourceFile {
            path: path.to_path_buf(),
            id,
        },
        reason,
    })
}

fn is_markdown(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    (name.ends_with(".md") || name.ends_with(".markdown")) && name != "readme.md"
}

/// Reads and parses one file.
pub fn load(file: &SourceFile, max_bytes: u64) -> Result<Loaded, SkipReason> {
    let size = fs::metadata(&file.path)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?
        .len();
    if size > max_bytes {
        return Err(SkipReason::TooLarge {
            bytes: size,
            limit: max_bytes,
        });
    }
    let bytes = fs::read(&file.path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    load_bytes(file, &bytes, max_bytes)
}

/// Parses one file from its bytes, already read by the caller.
pub fn load_bytes(file: &SourceFile, bytes: &[u8], max_bytes: u64) -> Result<Loaded, SkipReason> {
    if bytes.len() as u64 > max_bytes {
        return Err(SkipReason::TooLarge {
            bytes: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    let text = decode(bytes)?;
    let (document, warnings) = parse(&file.id, text)?;
    Ok(Loaded {
        document,
        warnings,
        bytes: bytes.len() as u64,
    })
}

/// Checks that bytes are a non-empty UTF-8 text file and strips a BOM.
pub fn decode(bytes: &[u8]) -> Result<&str, SkipReason> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SkipReason::Empty);
    }
    if bytes.contains(&0) {
        return Err(SkipReason::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| SkipReason::NotUtf8 {
        valid_up_to: e.valid_up_to(),
    })?;
    Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text))
}

/// Parses the text of a document whose id is `id`.
pub fn parse(id: &str, text: &str) -> Result<(Document, Vec<String>), SkipReason> {
    let split = front_matter::split(text);
    let mut warnings: Vec<String> = split.warning.into_iter().collect();
    if split.body.trim().is_empty() {
        return Err(SkipReason::NoContent);
    }
    let body = split.body;
    let sections = std::panic::catch_unwind(|| markdown::sections(body))
        .map_err(|_| SkipReason::ParserFailed)?;
    if sections.is_empty() {
        return Err(SkipReason::NoContent);
    }
    let mut meta = split.front_matter.meta;
    if meta.title.is_empty() {
        meta.title = sections
            .iter()
            .find(|s| s.level == 1)
            .or_else(|| sections.iter().find(|s| s.level > 0))
            .map(|s| s.heading.clone())
            .unwrap_or_else(|| file_stem(id));
        if warnings.is_empty() {
            warnings.push("no title in front matter; using the first heading".to_string());
        }
    }
    if meta.product.is_empty() {
        meta.product = product_from_path(id);
    }
    let lang = split
        .front_matter
        .lang
        .or_else(|| lang_from_path(id))
        .unwrap_or_else(|| detect_lang(body));
    Ok((
        Document {
            path: id.to_string(),
            lang,
            meta,
            sections,
        },
        warnings,
    ))
}

fn file_stem(id: &str) -> String {
    let name = id.rsplit('/').next().unwrap_or(id);
    name.rsplit_once('.')
        .map(|(stem, _)| stem)
        .unwrap_or(name)
        .to_string()
}

/// Product from the path: the first folder below the language folder
/// (`en/backup/agent.md` → `backup`), or the first folder when there is no
/// language folder; empty for files at the top.
pub fn product_from_path(id: &str) -> String {
    let mut folders: Vec<&str> = id.split('/').collect();
    folders.pop();
    if folders
        .first()
        .is_some_and(|f| lang_from_path(&format!("{f}/x")).is_some())
    {
        folders.remove(0);
    }
    folders.first().map(|f| f.to_string()).unwrap_or_default()
}

/// The same article in the other language folder (`en/x.md` ↔ `ru/x.md`).
pub fn counterpart(id: &str) -> Option<String> {
    let (first, rest) = id.split_once('/')?;
    match first {
        "en" => Some(format!("ru/{rest}")),
        "ru" => Some(format!("en/{rest}")),
        _ => None,
    }
}

/// A link from one document of the knowledge base to a document in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLink<'a> {
    /// Id of the linked document (the linking one for `#anchor` links).
    pub id: String,
    /// The `#fragment`, if any.
    pub fragment: Option<&'a str>,
    /// True for links within the linking document (`#anchor`, `?x#anchor`).
    pub same_document: bool,
}

/// Resolves a link written in the document `from` (`../vpn/x.md#a`,
/// `#a`). `None` for external, absolute and `mailto:` links and for links
/// to files that are not Markdown.
pub fn resolve_link<'a>(from: &str, dest: &'a str) -> Option<DocLink<'a>> {
    if dest.is_empty()
        || dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with('/')
    {
        return None;
    }
    let (target, fragment) = match dest.split_once('#') {
        Some((t, f)) => (t, Some(f)),
        None => (dest, None),
    };
    let target = target.split('?').next().unwrap_or("");
    if target.is_empty() {
        return Some(DocLink {
            id: from.to_string(),
            fragment,
            same_document: true,
        });
    }
    if !target.to_ascii_lowercase().ends_with(".md") {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Some(DocLink {
        id: parts.join("/"),
        fragment,
        same_document: false,
    })
}

/// Language from the first path segment (`ru/…`, `en/…`).
pub fn lang_from_path(id: &str) -> Option<Lang> {
    id.split('/')
        .next()
        .and_then(|first| match first.to_ascii_lowercase().as_str() {
            "ru" | "ru-ru" => Some(Lang::Ru),
            "en" | "en-us" => Some(Lang::En),
            _ => None,
        })
}

/// Language from the script of a text: Russian when at least a quarter of its
/// letters are Cyrillic (Russian docs are full of English product names).
pub fn detect_lang(text: &str) -> Lang {
    let (mut cyrillic, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if is_cyrillic(c) {
            cyrillic += 1;
        }
    }
    if letters > 0 && cyrillic * 4 >= letters {
        Lang::Ru
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_order_front_matter_path_script() {
        let (doc, _) = parse("en/a.md", "---\nlang: ru\ntitle: T\n---\n# x\n").unwrap();
        assert_eq!(doc.lang, Lang::Ru);
        let (doc, _) = parse("ru/a.md", "---\ntitle: T\n---\n# Title\n").unwrap();
        assert_eq!(doc.lang, Lang::Ru);
        let (doc, _) = parse("misc/a.md", "# Ошибка подключения к Azure Backup\n").unwrap();
        assert_eq!(doc.lang, Lang::Ru);
        let (doc, _) = parse("misc/b.md", "# Connection error\n").unwrap();
        assert_eq!(doc.lang, Lang::En);
    }

    #[test]
    fn links_resolve_to_document_ids() {
        let link = resolve_link("en/vpn/a.md", "../tls/b.md#x").unwrap();
        assert_eq!(
            (link.id.as_str(), link.fragment, link.same_document),
            ("en/tls/b.md", Some("x"), false)
        );
        let link = resolve_link("en/vpn/a.md", "#here").unwrap();
        assert_eq!(
            (link.id.as_str(), link.same_document),
            ("en/vpn/a.md", true)
        );
        assert!(resolve_link("en/vpn/a.md", "https://x.org/a.md").is_none());
        assert!(resolve_link("en/vpn/a.md", "media/chart.png").is_none());
        assert!(resolve_link("en/vpn/a.md", "").is_none());
        assert_eq!(counterpart("en/vpn/a.md").as_deref(), Some("ru/vpn/a.md"));
        assert_eq!(counterpart("kb/a.md"), None);
    }

    #[test]
    fn product_from_front_matter_or_folder() {
        assert_eq!(product_from_path("en/backup/agent.md"), "backup");
        assert_eq!(product_from_path("ru/vpn/sub/x.md"), "vpn");
        assert_eq!(product_from_path("kb/x.md"), "kb");
        assert_eq!(product_from_path("x.md"), "");
        assert_eq!(product_from_path("en/x.md"), "");
        let (doc, _) = parse(
            "en/backup/a.md",
            "---\nms.service: site-recovery\n---\n# T\n",
        )
        .unwrap();
        assert_eq!(doc.meta.product, "site-recovery");
        let (doc, _) = parse("en/backup/a.md", "# T\n").unwrap();
        assert_eq!(doc.meta.product, "backup");
    }

    #[test]
    fn title_falls_back_to_first_heading() {
        let (doc, warnings) = parse("x.md", "# The heading\n\ntext\n").unwrap();
        assert_eq!(doc.meta.title, "The heading");
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn bad_bytes_are_rejected() {
        assert_eq!(decode(b""), Err(SkipReason::Empty));
        assert_eq!(decode(b" \n\t"), Err(SkipReason::Empty));
        assert_eq!(decode(b"ab\0cd"), Err(SkipReason::Binary));
        assert_eq!(
            decode(b"ok \xff\xfe"),
            Err(SkipReason::NotUtf8 { valid_up_to: 3 })
        );
        assert_eq!(decode("\u{FEFF}# T".as_bytes()), Ok("# T"));
    }

    #[test]
    fn front_matter_only_has_no_content() {
        assert_eq!(
            parse("a.md", "---\ntitle: x\n---\n\n").unwrap_err(),
            SkipReason::NoContent
        );
    }
}
