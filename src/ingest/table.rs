//! Troubleshooting tables → structured records.
//!
//! A table whose header names an error/message/code column and a cause and/or
//! action column (English or Russian headers), or both a cause and an action
//! column, yields one [`TableRecord`] per body row.

use crate::codes;
use crate::model::TableRecord;

/// What a table column holds, judged from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Error,
    Causes,
    Actions,
    Other,
}

const ACTION_WORDS: &[&str] = &[
    "action",
    "resolution",
    "solution",
    "fix",
    "workaround",
    "remed",
    "действи",
    "решени",
    "рекоменд",
    "устранени",
    "исправлени",
];
const CAUSE_WORDS: &[&str] = &["cause", "reason", "причин"];
const ERROR_WORDS: &[&str] = &[
    "error",
    "message",
    "code",
    "symptom",
    "issue",
    "problem",
    "ошибк",
    "сообщени",
    "код",
    "симптом",
    "проблем",
];

/// Whole header words that name an identifier column (`Event ID`, `Номер`).
const ID_WORDS: &[&str] = &["id", "идентификатор", "номер", "hresult", "errno"];

/// Classifies a table header cell (English or Russian).
pub fn classify(header: &str) -> Column {
    let header = header.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| header.contains(w));
    let has_word = |words: &[&str]| {
        header
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| words.contains(&w))
    };
    if has(ACTION_WORDS) {
        Column::Actions
    } else if has(CAUSE_WORDS) {
        Column::Causes
    } else if has(ERROR_WORDS) || has_word(ID_WORDS) {
        Column::Error
    } else {
        Column::Other
    }
}

/// One table cell, collected twice: as plain text (what is indexed, and the
/// record's `message`) and as Markdown that keeps its structure (the
/// record's `causes` and `actions`).
#[derive(Debug, Default, Clone)]
struct Cell {
    plain: String,
    markdown: String,
    /// `<br>` tags in a row with nothing but white space between them.
    breaks: usize,
}

/// Marks a paragraph break in a cell's Markdown until [`tidy_markdown`]
/// makes it a blank line (a plain newline is a line break).
const PARAGRAPH: char = '\u{E000}';

/// Collects the cells of one Markdown table as the parser walks it.
#[derive(Debug, Default)]
pub struct TableBuilder {
    header: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
    in_header: bool,
    cell: Option<Cell>,
}

impl TableBuilder {
    pub fn start_row(&mut self, header: bool) {
        self.in_header = header;
        if !header {
            self.rows.push(Vec::new());
        }
    }

    pub fn start_cell(&mut self) {
        self.cell = Some(Cell::default());
    }

    pub fn end_cell(&mut self) {
        let Some(cell) = self.cell.take() else {
            return;
        };
        let cell = Cell {
            plain: crate::text::collapse_whitespace(&cell.plain),
            markdown: tidy_markdown(&cell.markdown),
            breaks: 0,
        };
        if self.in_header {
            self.header.push(cell);
        } else if let Some(row) = self.rows.last_mut() {
            row.push(cell);
        }
    }

    /// Text of the cell (link text included; URLs are not passed here).
    pub fn text(&mut self, text: &str) {
        if let Some(cell) = self.cell.as_mut() {
            cell.plain.push_str(text);
            cell.markdown.push_str(text);
            if !text.trim().is_empty() {
                cell.breaks = 0;
            }
        }
    }

    /// Inline code: plain words, back-quoted in the Markdown.
    pub fn code(&mut self, code: &str) {
        if let Some(cell) = self.cell.as_mut() {
            cell.plain.push_str(code);
            let fence = if code.contains('`') { "``" } else { "`" };
            cell.markdown.push_str(&format!("{fence}{code}{fence}"));
            cell.breaks = 0;
        }
    }

    /// The start or end of bold text.
    pub fn strong(&mut self) {
        if let Some(cell) = self.cell.as_mut() {
            cell.markdown.push_str("**");
        }
    }

    /// An HTML tag inside the cell: the line breaks, list items and
    /// paragraphs that GFM tables can only hold as HTML.
    pub fn html(&mut self, tag: &str) {
        let Some(cell) = self.cell.as_mut() else {
            return;
        };
        let name = html_tag_name(tag);
        if name.as_deref() == Some("br") {
            // One `<br>` breaks the line; two in a row end a paragraph.
            cell.breaks += 1;
            cell.markdown
                .push(if cell.breaks == 1 { '\n' } else { PARAGRAPH });
            return;
        }
        let markdown = match name.as_deref() {
            Some("li") => "\n- ",
            Some("ul" | "/ul" | "ol" | "/ol" | "/li") => "\n",
            Some("p" | "/p") => "\u{E000}",
            Some("b" | "/b" | "strong" | "/strong") => "**",
            Some("code" | "/code") => "`",
            _ => " ",
        };
        cell.markdown.push_str(markdown);
    }

    /// A boundary between elements: words on either side stay apart.
    pub fn boundary(&mut self) {
        if let Some(cell) = self.cell.as_mut() {
            for text in [&mut cell.plain, &mut cell.markdown] {
                if !text.is_empty() && !text.ends_with([' ', '\n']) {
                    text.push(' ');
                }
            }
        }
    }

    /// The troubleshooting records of this table (empty if it is not one).
    pub fn records(&self) -> Vec<TableRecord> {
        let columns: Vec<Column> = self.header.iter().map(|h| classify(&h.plain)).collect();
        let find = |kind: Column| columns.iter().position(|c| *c == kind);
        let (error, causes, actions) = (
            find(Column::Error),
            find(Column::Causes),
            find(Column::Actions),
        );
        let is_troubleshooting = match error {
            Some(_) => causes.is_some() || actions.is_some(),
            None => causes.is_some() && actions.is_some(),
        };
        if !is_troubleshooting {
            return Vec::new();
        }
        let cell = |row: &[Cell], index: Option<usize>| -> Cell {
            index.and_then(|i| row.get(i)).cloned().unwrap_or_default()
        };
        self.rows
            .iter()
            .filter(|row| row.iter().any(|c| !c.plain.is_empty()))
            .map(|row| {
                let message = cell(row, error).plain;
                TableRecord {
                    codes: error_cell_codes(&message),
                    message,
                    causes: cell(row, causes).markdown,
                    actions: cell(row, actions).markdown,
                    ..TableRecord::default()
                }
            })
            .collect()
    }
}

/// The lower-case name of an HTML tag (`/li` for a closing one), if `tag`
/// is one.
fn html_tag_name(tag: &str) -> Option<String> {
    let inner = tag.trim().strip_prefix('<')?.trim_start();
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name: String = inner
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    // `</br>` is written for a line break as often as `<br/>`.
    Some(if closing && name != "br" {
        format!("/{name}")
    } else {
        name
    })
}

/// A cell's Markdown as lines: white space collapsed in each line, a list
/// item's marker right at its text, one blank line between paragraphs, and
/// bold markers that enclose nothing removed.
fn tidy_markdown(markdown: &str) -> String {
    let markdown = markdown.replace(PARAGRAPH, "\n\u{E000}\n");
    let mut lines: Vec<String> = Vec::new();
    for line in markdown.split('\n') {
        if line.trim() == PARAGRAPH.to_string() {
            if lines.last().is_some_and(|last| !last.is_empty()) {
                lines.push(String::new());
            }
            continue;
        }
        let mut line = crate::text::collapse_whitespace(line.trim());
        while line.contains("****") {
            line = line.replace("****", "");
        }
        let line = crate::text::collapse_whitespace(line.trim());
        let line = tidy_bold(&line);
        if line == "-" || line == "**" {
            continue;
        }
        if line.is_empty() {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines.join("\n")
}

/// Moves spaces out of bold markers (`** URLs**` → `**URLs**`) so the
/// Markdown reads as bold; a line with an odd number of markers is left as
/// it is.
fn tidy_bold(line: &str) -> String {
    let parts: Vec<&str> = line.split("**").collect();
    if parts.len() < 3 || parts.len().is_multiple_of(2) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
            continue;
        }
        let inner = part.trim();
        if inner.is_empty() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            continue;
        }
        if part.starts_with(' ') && !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
        out.push_str("**");
        out.push_str(inner);
        out.push_str("**");
        if part.ends_with(' ') {
            out.push(' ');
        }
    }
    crate::text::collapse_whitespace(out.trim())
}

/// Codes of an error-column cell: every code written in it, and a number
/// the cell starts with (`2138`, `10928 Resource ID…`), which in this column
/// is an error or event number even without a label.
fn error_cell_codes(cell: &str) -> Vec<String> {
    let mut found = codes::extract_canonical(cell);
    let leading: String = cell
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let ends_there = cell
        .trim_start()
        .chars()
        .nth(leading.len())
        .is_none_or(|c| !c.is_alphanumeric());
    if leading.len() >= 2 && ends_there {
        if let Some(code) = codes::normalize(&format!("ID {leading}")) {
            if !found.contains(&code) {
                found.insert(0, code);
            }
        }
    }
    found
}
