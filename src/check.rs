//! `kbsearch check`: a linter for bilingual knowledge bases.
//!
//! It reports what makes a knowledge base harder to search or to maintain:
//! documents in one language only, translations whose sections or error
//! codes differ from the original, broken links between articles, duplicate
//! explicit anchors, front matter that does not parse, files that cannot be
//! indexed, and tables that look like troubleshooting tables but whose
//! columns could not be understood.

use crate::ingest::{self, anchor, front_matter, table};
use crate::model::Lang;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

/// How bad a finding is: errors make `kbsearch check` exit non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The kinds of findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    UnreadableFile,
    BadFrontMatter,
    BrokenLink,
    DuplicateAnchor,
    SingleLanguage,
    SectionMismatch,
    CodeMismatch,
    UnrecognizedTable,
}

impl FindingKind {
    pub fn severity(self) -> Severity {
        match self {
            FindingKind::UnreadableFile
            | FindingKind::BadFrontMatter
            | FindingKind::BrokenLink
            | FindingKind::DuplicateAnchor => Severity::Error,
            FindingKind::SingleLanguage
            | FindingKind::SectionMismatch
            | FindingKind::CodeMismatch
            | FindingKind::UnrecognizedTable => Severity::Warning,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FindingKind::UnreadableFile => "unreadable_file",
            FindingKind::BadFrontMatter => "bad_front_matter",
            FindingKind::BrokenLink => "broken_link",
            FindingKind::DuplicateAnchor => "duplicate_anchor",
            FindingKind::SingleLanguage => "single_language",
            FindingKind::SectionMismatch => "section_mismatch",
            FindingKind::CodeMismatch => "code_mismatch",
            FindingKind::UnrecognizedTable => "unrecognized_table",
        }
    }
}

/// One problem found in the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    /// Document id (path relative to the content root).
    pub path: String,
    /// 1-based line in the file, when the problem has one.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.line {
            Some(line) => write!(
                f,
                "{severity}[{}] {}:{line}: {}",
                self.kind.name(),
                self.path,
                self.message
            ),
            None => write!(
                f,
                "{severity}[{}] {}: {}",
                self.kind.name(),
                self.path,
                self.message
            ),
        }
    }
}

/// Everything `check` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub documents: usize,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }

    /// Number of findings per kind.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for finding in &self.findings {
            *counts.entry(finding.kind.name()).or_insert(0) += 1;
        }
        counts
    }

    fn push(&mut self, kind: FindingKind, path: &str, line: Option<usize>, message: String) {
        self.findings.push(Finding {
            kind,
            severity: kind.severity(),
            path: path.to_string(),
            line,
            message,
        });
    }
}

/// What `check` keeps of one parsed document.
struct Checked {
    lang: Lang,
    anchors: BTreeSet<String>,
    codes: BTreeSet<String>,
}

/// Checks every Markdown file under `content`.
pub fn check(content: &Path) -> std::io::Result<Report> {
    let mut report = Report::default();
    let files = ingest::discover(content)?;
    let ids: BTreeSet<String> = files.iter().map(|f| f.id.clone()).collect();
    let mut docs: BTreeMap<String, Checked> = BTreeMap::new();
    let mut texts: Vec<(String, String)> = Vec::new();

    for file in &files {
        let loaded = match ingest::load(file, ingest::DEFAULT_MAX_FILE_BYTES) {
            Ok(loaded) => loaded,
            Err(reason) => {
                report.push(
                    FindingKind::UnreadableFile,
                    &file.id,
                    None,
                    reason.to_string(),
                );
                continue;
            }
        };
        for warning in &loaded.warnings {
            if warning.contains("front matter") {
                report.push(
                    FindingKind::BadFrontMatter,
                    &file.id,
                    Some(1),
                    warning.clone(),
                );
            }
        }
        let document = loaded.document;
        let mut anchors = BTreeSet::new();
        let mut codes = BTreeSet::new();
        for section in &document.sections {
            if !section.anchor.is_empty() {
                anchors.insert(section.anchor.to_lowercase());
            }
            anchors.extend(section.anchor_aliases.iter().map(|a| a.to_lowercase()));
            codes.extend(section.codes.iter().cloned());
        }
        docs.insert(
            file.id.clone(),
            Checked {
                lang: document.lang,
                anchors,
                codes,
            },
        );
        if let Ok(text) = std::fs::read_to_string(&file.path) {
            texts.push((file.id.clone(), text));
        }
    }
    report.documents = docs.len();

    for (id, text) in &texts {
        scan_markdown(id, text, &ids, &docs, &mut report);
    }
    compare_translations(&docs, &mut report);
    report.findings.sort_by(|a, b| {
        (a.severity, &a.path, a.line, a.kind).cmp(&(b.severity, &b.path, b.line, b.kind))
    });
    Ok(report)
}

fn compare_translations(docs: &BTreeMap<String, Checked>, report: &mut Report) {
    for (id, doc) in docs {
        let Some(other_id) = ingest::counterpart(id) else {
            continue;
        };
        let Some(other) = docs.get(&other_id) else {
            report.push(
                FindingKind::SingleLanguage,
                id,
                None,
                format!(
                    "no {} version at {other_id}",
                    other_id.split('/').next().unwrap_or("")
                ),
            );
            continue;
        };
        // Report each pair once, from the English side (or the first path).
        if doc.lang == Lang::Ru && other.lang == Lang::En {
            continue;
        }
        if id > &other_id && !(doc.lang == Lang::En && other.lang == Lang::Ru) {
            continue;
        }
        let missing: Vec<&String> = doc.anchors.difference(&other.anchors).collect();
        let extra: Vec<&String> = other.anchors.difference(&doc.anchors).collect();
        if !missing.is_empty() {
            report.push(
                FindingKind::SectionMismatch,
                &other_id,
                None,
                format!(
                    "{} section(s) of {id} have no translation here: {}",
                    missing.len(),
                    join(&missing, "#")
                ),
            );
        }
        if !extra.is_empty() {
            report.push(
                FindingKind::SectionMismatch,
                id,
                None,
                format!(
                    "{} section(s) of {other_id} are not in this file: {}",
                    extra.len(),
                    join(&extra, "#")
                ),
            );
        }
        let only_here: Vec<&String> = doc.codes.difference(&other.codes).collect();
        let only_there: Vec<&String> = other.codes.difference(&doc.codes).collect();
        if !only_here.is_empty() || !only_there.is_empty() {
            let mut parts = Vec::new();
            if !only_here.is_empty() {
                parts.push(format!("only in {id}: {}", join(&only_here, "")));
            }
            if !only_there.is_empty() {
                parts.push(format!("only in {other_id}: {}", join(&only_there, "")));
            }
            report.push(
                FindingKind::CodeMismatch,
                id,
                None,
                format!(
                    "error codes differ between languages ({})",
                    parts.join("; ")
                ),
            );
        }
    }
}

fn join(items: &[&String], prefix: &str) -> String {
    const SHOWN: usize = 8;
    let mut text = items
        .iter()
        .take(SHOWN)
        .map(|s| format!("{prefix}{s}"))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Links, duplicate explicit anchors and troubleshooting-looking tables.
fn scan_markdown(
    id: &str,
    text: &str,
    ids: &BTreeSet<String>,
    docs: &BTreeMap<String, Checked>,
    report: &mut Report,
) {
    let split = front_matter::split(text);
    let body = split.body;
    let base = split.body_offset;
    let options = Options::ENABLE_TABLES | Options::ENABLE_GFM | Options::ENABLE_FOOTNOTES;
    let mut explicit: HashMap<String, usize> = HashMap::new();
    let mut header: Option<(usize, Vec<String>)> = None;
    let mut cell: Option<String> = None;
    let mut in_head = false;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let line = line_at(text, base + range.start);
        match event {
            Event::Start(Tag::Heading { .. }) => {
                for anchor in anchor::explicit_anchors(&body[range.clone()]) {
                    if let Some(first) = explicit.insert(anchor.clone(), line) {
                        report.push(
                            FindingKind::DuplicateAnchor,
                            id,
                            Some(line),
                            format!("explicit anchor #{anchor} is already used on line {first}"),
                        );
                        explicit.insert(anchor, first);
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                check_link(id, &dest_url, line, ids, docs, report)
            }
            Event::Start(Tag::Table(_)) => header = Some((line, Vec::new())),
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                if let Some((table_line, cells)) = &header {
                    check_table(id, *table_line, cells, report);
                }
            }
            Event::Start(Tag::TableCell) if in_head => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) if in_head => {
                if let (Some(done), Some((_, cells))) = (cell.take(), header.as_mut()) {
                    cells.push(done.trim().to_string());
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(cell) = cell.as_mut() {
                    cell.push_str(&t);
                }
            }
            _ => {}
        }
    }
}

/// A table with a troubleshooting-looking header whose columns do not make
/// an error/cause/action table.
fn check_table(id: &str, line: usize, headers: &[String], report: &mut Report) {
    let columns: Vec<table::Column> = headers.iter().map(|h| table::classify(h)).collect();
    let has = |c: table::Column| columns.contains(&c);
    let recognised = if has(table::Column::Error) {
        has(table::Column::Causes) || has(table::Column::Actions)
    } else {
        has(table::Column::Causes) && has(table::Column::Actions)
    };
    let looks_like = has(table::Column::Causes) || has(table::Column::Actions);
    if looks_like && !recognised {
        report.push(
            FindingKind::UnrecognizedTable,
            id,
            Some(line),
            format!(
                "table columns ({}) need an error/message column and a cause or action column",
                headers.join(" | ")
            ),
        );
    }
}

fn check_link(
    id: &str,
    dest: &str,
    line: usize,
    ids: &BTreeSet<String>,
    docs: &BTreeMap<String, Checked>,
    report: &mut Report,
) {
    let Some(link) = ingest::resolve_link(id, dest) else {
        return;
    };
    let (target_id, fragment) = (link.id, link.fragment);
    if !ids.contains(&target_id) {
        report.push(
            FindingKind::BrokenLink,
            id,
            Some(line),
            format!("link to {dest}: no document {target_id}"),
        );
        return;
    }
    let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
        return;
    };
    let Some(doc) = docs.get(&target_id) else {
        return;
    };
    if !doc.anchors.contains(&fragment.to_lowercase()) {
        report.push(
            FindingKind::BrokenLink,
            id,
            Some(line),
            format!("link to {dest}: no section #{fragment} in {target_id}"),
        );
    }
}
