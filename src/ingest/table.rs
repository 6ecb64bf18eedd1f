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

/// Collects the cells of one Markdown table as the parser walks it.
#[derive(Debug, Default)]
pub struct TableBuilder {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    in_header: bool,
    cell: Option<String>,
}

impl TableBuilder {
    pub fn start_row(&mut self, header: bool) {
        self.in_header = header;
        if !header {
            self.rows.push(Vec::new());
        }
    }

    pub fn start_cell(&mut self) {
        self.cell = Some(String::new());
    }

    pub fn end_cell(&mut self) {
        let Some(cell) = self.cell.take() else {
            return;
        };
        let cell = crate::text::collapse_whitespace(&cell);
        if self.in_header {
            self.header.push(cell);
        } else if let Some(row) = self.rows.last_mut() {
            row.push(cell);
        }
    }

    pub fn text(&mut self, text: &str) {
        if let Some(cell) = self.cell.as_mut() {
            cell.push_str(text);
        }
    }

    pub fn boundary(&mut self) {
        if let Some(cell) = self.cell.as_mut() {
            if !cell.is_empty() && !cell.ends_with(' ') {
                cell.push(' ');
            }
        }
    }

    /// The troubleshooting records of this table (empty if it is not one).
    pub fn records(&self) -> Vec<TableRecord> {
        let columns: Vec<Column> = self.header.iter().map(|h| classify(h)).collect();
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
        let cell = |row: &[String], index: Option<usize>| -> String {
            index.and_then(|i| row.get(i)).cloned().unwrap_or_default()
        };
        self.rows
            .iter()
            .filter(|row| row.iter().any(|c| !c.is_empty()))
            .map(|row| {
                let message = cell(row, error);
                TableRecord {
                    codes: error_cell_codes(&message),
                    message,
                    causes: cell(row, causes),
                    actions: cell(row, actions),
                }
            })
            .collect()
    }
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
