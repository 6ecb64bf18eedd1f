//! Helpers shared by the integration tests.
#![allow(dead_code)]

use kbsearch::index::{self, BuildOptions, BuildReport};
use kbsearch::search::{Engine, SearchRequest};
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Queries for checking that two routes to the same answer agree:
/// symptoms in both languages, a code beside words, a typo.
pub const MIXED_QUERIES: &[&str] = &[
    "certificate expired on the proxy",
    "не удаётся подключиться к VPN сервер не отвечает",
    "disk is full backup fails",
    "access denied 0x80070005",
    "acess denid",
    "служба не запускается ошибка 1069",
];

/// The repository's sample knowledge base.
pub fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// The third-party corpus next to the checkout, when it is there.
pub fn shared_corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is absent (it ships with CI, not with user clones)");
        None
    }
}

/// Builds an index of `content` in `index_root`, collecting skip messages.
pub fn build(content: &Path, index_root: &Path) -> (BuildReport, Vec<String>) {
    let mut messages = Vec::new();
    let report = index::build(&BuildOptions::new(content, index_root), |event| {
        if let index::Progress::Skipped { file, reason } = event {
            messages.push(format!("{}: {reason}", file.id));
        }
    })
    .expect("index builds");
    (report, messages)
}

/// `path#anchor` of the top hits of a query.
pub fn top(engine: &Engine, query: &str, n: usize) -> Vec<String> {
    let mut request = SearchRequest::new(query);
    request.limit = n;
    engine
        .search(&request)
        .expect("search succeeds")
        .hits
        .iter()
        .map(|h| format!("{}#{}", h.path, h.anchor))
        .collect()
}

/// Copies a folder tree (used to add fixtures to a copy of `content/`).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs the `kbsearch` binary in `dir` with `vars` set and none of the
/// inherited `KBSEARCH_*` variables.
pub fn run_kbsearch<V: AsRef<OsStr>>(dir: &Path, args: &[&str], vars: &[(&str, V)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kbsearch"));
    command.current_dir(dir).args(args);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("KBSEARCH_") {
            command.env_remove(name);
        }
    }
    command.envs(vars.iter().map(|(name, value)| (name, value.as_ref())));
    command.output().expect("kbsearch runs")
}

/// Appends a section to every third Markdown file under `root`, so that an
/// incremental build deletes their old sections and adds a segment.
pub fn edit_some_files(root: &Path) -> usize {
    let mut files: Vec<_> = walk(root)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let mut edited = 0;
    for path in files.iter().step_by(3) {
        let mut text = fs::read_to_string(path).unwrap();
        text.push_str("\n\n## Added later\n\nThe service fails with an error after the update.\n");
        fs::write(path, text).unwrap();
        edited += 1;
    }
    edited
}

pub fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// A stored text field of a section ("" when absent).
pub fn stored_text(doc: &tantivy::TantivyDocument, field: tantivy::schema::Field) -> String {
    use tantivy::schema::Value;
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// Compares kbsearch's snippet of each of the ten best sections for `text`
/// with tantivy's generator running the full index analyzer; returns how
/// many snippets were compared (those the generator leaves empty are not)
/// and how many of them mark a term.
pub fn compare_snippets(
    engine: &Engine,
    synonyms: &kbsearch::synonyms::Synonyms,
    text: &str,
) -> (usize, usize) {
    use kbsearch::search::analyse::{AnalyzedQuery, QueryOptions};
    use kbsearch::search::plan::{self, Filters};
    use kbsearch::search::snippet::{Snippets, SNIPPET_CHARS};
    use tantivy::collector::TopDocs;
    use tantivy::snippet::SnippetGenerator;

    let searcher = engine.searcher();
    let fields = engine.fields();
    let analyzed =
        AnalyzedQuery::prepare(text, &searcher, fields, synonyms, &QueryOptions::default());
    if analyzed.is_empty() {
        return (0, 0);
    }
    let query = plan::build(&analyzed, fields, &Filters::default());
    let ours = Snippets::new(&searcher, &*query, fields.body).unwrap();
    let mut reference = SnippetGenerator::create(&searcher, &*query, fields.body).unwrap();
    reference.set_max_num_chars(SNIPPET_CHARS);
    let (mut compared, mut marked) = (0, 0);
    for (_, address) in searcher.search(&*query, &TopDocs::with_limit(10)).unwrap() {
        let doc: tantivy::TantivyDocument = searcher.doc(address).unwrap();
        let body = stored_text(&doc, fields.body);
        let mut expected = reference.snippet(&body);
        expected.set_snippet_prefix_postfix("<mark>", "</mark>");
        let expected = expected.to_html();
        if expected.trim().is_empty() {
            continue;
        }
        let table = {
            use tantivy::schema::Value;
            doc.get_first(fields.body_terms).and_then(|v| v.as_bytes())
        };
        assert!(table.is_some(), "every section has a term table");
        assert_eq!(
            ours.for_body(&body, table),
            expected,
            "{text:?} {address:?}"
        );
        // Without its table (or with one of another text) the body is
        // analysed again, to the same snippet.
        assert_eq!(ours.for_body(&body, None), expected, "{text:?} {address:?}");
        assert_eq!(
            ours.for_body(&body, Some(&[0xff, 1, 2])),
            expected,
            "{text:?}"
        );
        compared += 1;
        marked += usize::from(expected.contains("<mark>"));
    }
    (compared, marked)
}
