//! One pulldown-cmark pass over a Markdown body → sections.
//!
//! Each heading (H1–H6) starts a section; text before the first heading is a
//! section with an empty anchor when it is not blank. Body text keeps tables,
//! lists, inline code and code blocks; HTML tags are stripped; link text is
//! kept but URLs are not; image alt text is kept. A space is inserted at every
//! element boundary so words never merge.

use super::anchor::{self, AnchorAllocator};
use super::table::TableBuilder;
use crate::codes;
use crate::model::Section;
use crate::text::collapse_whitespace;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// An HTML comment (also stripped from the Markdown `/api/section` returns).
pub(crate) static HTML_COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").unwrap());
static HTML_TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").unwrap());
static STANDALONE_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)^\s*<a\s+[^>]*?\b(?:name|id)\s*=\s*"([^"]+)"[^>]*>\s*(?:</a>)?\s*$"#).unwrap()
});
static URL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:https?|ftp)://\S+").unwrap());

/// Lines that introduce the literal text of an error.
const ERROR_MESSAGE_PREFIXES: &[&str] = &[
    "error message",
    "error code",
    "error:",
    "сообщение об ошибке",
    "текст ошибки",
    "код ошибки",
    "ошибка:",
];

/// Lines whose text, after the label, is the message an error shows: a
/// troubleshooting table without a message column takes it as its records'
/// message.
const MESSAGE_LINE_PREFIXES: &[&str] = &[
    "error message",
    "error:",
    "сообщение об ошибке",
    "текст ошибки",
    "ошибка:",
];

/// Splits a Markdown body (front matter already removed) into sections.
pub fn sections(markdown: &str) -> Vec<Section> {
    let mut builder = SectionBuilder::default();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_GFM
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        builder.offset = range.start;
        builder.event(event, &markdown[range]);
    }
    builder.offset = markdown.len();
    builder.finish()
}

/// Plain text of an HTML fragment: comments and tags dropped, common
/// entities decoded.
pub fn strip_html(html: &str) -> String {
    let without_comments = HTML_COMMENT.replace_all(html, " ");
    let without_tags = HTML_TAG.replace_all(&without_comments, " ");
    decode_entities(&without_tags)
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[derive(Default)]
struct SectionBuilder {
    sections: Vec<Section>,
    current: Option<Section>,
    intro_body: String,
    anchors: AnchorAllocator,
    /// Open headings (level, text) above the current one.
    outline: Vec<(u8, String)>,
    /// Inside a heading: its level, raw Markdown and collected text.
    heading: Option<(u8, String, String)>,
    /// Codes the current section defines.
    defined: Vec<String>,
    /// Start of the current paragraph or list item in the body.
    block_starts: Vec<usize>,
    table: Option<TableBuilder>,
    /// Depth of links whose text must not be indexed (autolinks).
    skip_text: usize,
    /// Standalone anchors seen since the last text; they name the next heading.
    pending_aliases: Vec<String>,
    /// The first "Error message: …" line of the current section, without
    /// its label.
    message_line: Option<String>,
    /// Where the event being read starts in the Markdown.
    offset: usize,
    /// Where the current section's Markdown starts (its heading line).
    section_start: usize,
    /// Where the heading being read starts.
    heading_start: usize,
}

impl SectionBuilder {
    fn body(&mut self) -> &mut String {
        match self.current.as_mut() {
            Some(section) => &mut section.body,
            None => &mut self.intro_body,
        }
    }

    fn boundary(&mut self) {
        if let Some(table) = self.table.as_mut() {
            table.boundary();
        }
        let body = self.body();
        if !body.is_empty() && !body.ends_with(' ') {
            body.push(' ');
        }
    }

    fn text(&mut self, text: &str) {
        self.write_text(text, false);
    }

    /// Text of the body (and of the table cell being read, as inline code
    /// when `code`).
    fn write_text(&mut self, text: &str, code: bool) {
        if self.skip_text > 0 {
            return;
        }
        let cleaned = URL.replace_all(text, " ");
        if let Some((_, _, heading_text)) = self.heading.as_mut() {
            heading_text.push_str(&cleaned);
            return;
        }
        if !cleaned.trim().is_empty() && !self.pending_aliases.is_empty() {
            let aliases = std::mem::take(&mut self.pending_aliases);
            if let Some(section) = self.current.as_mut() {
                section.anchor_aliases.extend(aliases);
            }
        }
        if let Some(table) = self.table.as_mut() {
            if code {
                table.code(&cleaned);
            } else {
                table.text(&cleaned);
            }
        }
        self.body().push_str(&cleaned);
    }

    fn event(&mut self, event: Event<'_>, source: &str) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading_start = self.offset;
                self.heading = Some((level as u8, source.to_string(), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => self.finish_heading(),
            Event::Start(Tag::Link { link_type, .. }) => {
                if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    self.skip_text += 1;
                }
            }
            Event::End(TagEnd::Link) => {
                // Autolinks are never nested, so any open skip belongs to this link.
                self.skip_text = self.skip_text.saturating_sub(1);
            }
            Event::Start(Tag::Table(_)) => {
                self.boundary();
                self.table = Some(TableBuilder::default());
            }
            Event::End(TagEnd::Table) => {
                if let Some(table) = self.table.take() {
                    let records = table.records();
                    // Duplicates are removed once, in `finish_codes`, so
                    // adding stays linear in the number of codes.
                    for record in &records {
                        self.defined.extend(record.codes.iter().cloned());
                    }
                    if let Some(section) = self.current.as_mut() {
                        section.records.extend(records);
                    }
                }
                self.boundary();
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = self.table.as_mut() {
                    t.start_row(true)
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Some(t) = self.table.as_mut() {
                    t.start_row(false)
                }
            }
            Event::Start(Tag::TableCell) => {
                self.boundary();
                if let Some(t) = self.table.as_mut() {
                    t.start_cell()
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(t) = self.table.as_mut() {
                    t.end_cell()
                }
                self.boundary();
            }
            Event::Start(Tag::Paragraph | Tag::Item) => {
                self.boundary();
                let start = self.body().len();
                self.block_starts.push(start);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                if let Some(start) = self.block_starts.pop() {
                    self.check_error_message(start);
                }
                self.boundary();
            }
            // Bold text stays bold in a table cell's Markdown.
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => {
                if let Some(table) = self.table.as_mut() {
                    table.strong();
                }
            }
            // Inline formatting does not separate words: `**Error**:` stays `Error:`.
            Event::Start(
                Tag::Emphasis | Tag::Strikethrough | Tag::Superscript | Tag::Subscript,
            )
            | Event::End(
                TagEnd::Emphasis | TagEnd::Strikethrough | TagEnd::Superscript | TagEnd::Subscript,
            ) => {}
            Event::Start(_) | Event::End(_) => self.boundary(),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => {
                self.boundary();
                self.write_text(&code, true);
                self.boundary();
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => self.text(&text),
            Event::InlineHtml(html) if self.table.is_some() && only_tags(&html) => {
                // Line breaks and lists inside a table cell: structure for
                // the record, a word boundary for the body.
                self.boundary();
                if let Some(table) = self.table.as_mut() {
                    for tag in HTML_TAG.find_iter(&html) {
                        table.html(tag.as_str());
                    }
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(caps) = STANDALONE_ANCHOR.captures(&html) {
                    if self.heading.is_none() {
                        self.pending_aliases.push(caps[1].to_string());
                    }
                } else if self.heading.is_none() {
                    self.boundary();
                    let text = strip_html(&html);
                    self.text(&text);
                    self.boundary();
                }
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) | Event::Rule => self.boundary(),
            Event::SoftBreak | Event::HardBreak => self.boundary(),
        }
    }

    /// Codes on an "Error message: …" line are defined by this section.
    fn check_error_message(&mut self, start: usize) {
        let body = self.body();
        let Some(block) = body.get(start..) else {
            return;
        };
        let head: String = block
            .trim_start()
            .chars()
            .take(24)
            .collect::<String>()
            .to_lowercase();
        if ERROR_MESSAGE_PREFIXES.iter().any(|p| head.starts_with(p)) {
            let block = block.to_string();
            self.defined.extend(codes::extract_canonical(&block));
            if self.message_line.is_none() && self.table.is_none() {
                self.message_line = message_after_label(&block);
            }
        }
    }

    fn finish_heading(&mut self) {
        let Some((level, raw, text)) = self.heading.take() else {
            return;
        };
        self.flush(self.heading_start);
        self.section_start = self.heading_start;
        let raw_text = raw_heading_text(&raw);
        let heading = collapse_whitespace(&text);
        let anchor = self.anchors.next(&raw_text);
        while self.outline.last().is_some_and(|(l, _)| *l >= level) {
            self.outline.pop();
        }
        let breadcrumbs = self.outline.iter().map(|(_, t)| t.clone()).collect();
        self.outline.push((level, heading.clone()));
        // The H1 names the whole article; codes there are defined by the
        // sections below it, not by the introduction.
        self.defined = if level > 1 {
            codes::extract_canonical(&heading)
        } else {
            Vec::new()
        };
        let mut anchor_aliases = std::mem::take(&mut self.pending_aliases);
        for extra in anchor::explicit_anchors(&raw_text) {
            if extra != anchor && !anchor_aliases.contains(&extra) {
                anchor_aliases.push(extra);
            }
        }
        self.current = Some(Section {
            anchor,
            anchor_aliases,
            heading,
            level,
            breadcrumbs,
            body: String::new(),
            codes: Vec::new(),
            defined_codes: Vec::new(),
            records: Vec::new(),
            source: 0..0,
        });
    }

    /// Closes the current section (or the intro), whose Markdown ends at
    /// `end`, and stores it.
    fn flush(&mut self, end: usize) {
        let source = self.section_start..end.max(self.section_start);
        self.block_starts.clear();
        self.table = None;
        let defined = std::mem::take(&mut self.defined);
        let message_line = self.message_line.take();
        match self.current.take() {
            Some(mut section) => {
                section.body = collapse_whitespace(&section.body);
                if let Some(message) = message_line {
                    fill_messages(&mut section.records, &message);
                }
                section.source = source;
                finish_codes(&mut section, defined);
                self.sections.push(section);
            }
            None => {
                let body = collapse_whitespace(&std::mem::take(&mut self.intro_body));
                if !body.is_empty() {
                    let mut section = Section {
                        anchor: String::new(),
                        anchor_aliases: Vec::new(),
                        heading: String::new(),
                        level: 0,
                        breadcrumbs: Vec::new(),
                        body,
                        codes: Vec::new(),
                        defined_codes: Vec::new(),
                        records: Vec::new(),
                        source,
                    };
                    finish_codes(&mut section, defined);
                    self.sections.push(section);
                }
            }
        }
    }

    fn finish(mut self) -> Vec<Section> {
        self.finish_heading();
        if let Some(section) = self.current.as_mut() {
            section.anchor_aliases.append(&mut self.pending_aliases);
        }
        self.flush(self.offset);
        self.sections
    }
}

/// Sets the codes of a section: those written in its heading and body, then
/// those it defines, each once in order of first appearance (a set keeps this
/// linear: sections with 100 000 codes exist in the wild, in tables).
fn finish_codes(section: &mut Section, defined: Vec<String>) {
    let mut seen = HashSet::new();
    let defined: Vec<String> = defined
        .into_iter()
        .filter(|code| seen.insert(code.clone()))
        .collect();
    let mut seen = HashSet::new();
    let all = codes::extract_canonical(&section.heading)
        .into_iter()
        .chain(codes::extract_canonical(&section.body))
        .chain(defined.iter().cloned())
        .filter(|code| seen.insert(code.clone()))
        .collect();
    section.codes = all;
    section.defined_codes = defined;
}

/// Whether an HTML fragment is tags and white space only (`<br/><br/>`,
/// `</ul></ul>`), no text and no comment.
fn only_tags(html: &str) -> bool {
    !html.contains("<!--") && HTML_TAG.replace_all(html, "").trim().is_empty()
}

/// The message of an "Error message: …" line: the text after its label and
/// separator, when there is any.
fn message_after_label(block: &str) -> Option<String> {
    let block = block.trim_start();
    let lower = block.to_lowercase();
    let label = MESSAGE_LINE_PREFIXES
        .iter()
        .find(|prefix| lower.starts_with(*prefix))?;
    let rest = block.get(label.len()..)?;
    let message = rest
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '-' | '—' | '–'))
        .trim();
    (!message.is_empty()).then(|| collapse_whitespace(message))
}

/// Records of a table without a message column take the section's error
/// message line, and the codes written in it.
fn fill_messages(records: &mut [crate::model::TableRecord], message: &str) {
    for record in records.iter_mut().filter(|r| r.message.is_empty()) {
        record.message = message.to_string();
        if record.codes.is_empty() {
            record.codes = codes::extract_canonical(message);
        }
    }
}

/// The Markdown source of a heading without its `#` markers or setext underline.
fn raw_heading_text(raw: &str) -> String {
    let first_line = raw.lines().next().unwrap_or("").trim();
    let without_open = first_line.trim_start_matches('#');
    let trimmed = without_open.trim_end();
    let without_close = trimmed.trim_end_matches('#');
    // A closing sequence must be preceded by a space (`# C#` keeps its `#`).
    let text = if without_close.len() != trimmed.len() && without_close.ends_with([' ', '\t']) {
        without_close
    } else {
        trimmed
    };
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_section_per_heading_with_breadcrumbs() {
        let md = "Intro text.\n\n# Title\n\nAbout.\n\n## First\n\nOne.\n\n### Deeper\n\nTwo.\n\n## Second\n\nThree.\n";
        let s = sections(md);
        let anchors: Vec<_> = s.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(anchors, ["", "title", "first", "deeper", "second"]);
        assert_eq!(s[3].breadcrumbs, ["Title", "First"]);
        assert_eq!(s[4].breadcrumbs, ["Title"]);
        assert_eq!(s[3].body, "Two.");
        assert_eq!(s[0].body, "Intro text.");
    }

    #[test]
    fn explicit_anchors_and_cyrillic_headings() {
        let md = "## <a name=\"disk-is-full\"></a>Диск заполнен\n\nТекст.\n\n## Нет места на диске\n\nЕщё.\n";
        let s = sections(md);
        assert_eq!(s[0].anchor, "disk-is-full");
        assert!(s[0].anchor_aliases.is_empty());
        assert_eq!(s[0].heading, "Диск заполнен");
        assert_eq!(s[1].anchor, "нет-места-на-диске");
    }

    #[test]
    fn standalone_anchors_name_the_next_heading() {
        let md = "## A\n\ntext\n\n<a name=\"observe\" />\n\n### 1. Observe it\n\nbody\n\n<a id=\"tail\" name=\"tail\"></a>\n";
        let s = sections(md);
        assert_eq!(s[1].anchor, "1-observe-it");
        assert_eq!(s[1].anchor_aliases, ["observe", "tail"]);
        assert!(s[0].anchor_aliases.is_empty());
        let two = sections("## <a name=\"first\"></a><a name=\"second\"></a>Два якоря\n");
        assert_eq!(two[0].anchor, "first");
        assert_eq!(two[0].anchor_aliases, ["second"]);
    }

    #[test]
    fn duplicate_headings_get_suffixes() {
        let md = "## Cause\n\na\n\n## Resolution\n\nb\n\n## Cause\n\nc\n\n## Resolution\n\nd\n";
        let anchors: Vec<_> = sections(md).into_iter().map(|s| s.anchor).collect();
        assert_eq!(anchors, ["cause", "resolution", "cause-1", "resolution-1"]);
    }

    #[test]
    fn headings_inside_code_blocks_are_ignored() {
        let md = "## Fix\n\n```bash\n# restart the service\nsystemctl restart kb\n```\n\n~~~\n## not a heading\n~~~\n";
        let s = sections(md);
        assert_eq!(s.len(), 1);
        assert!(s[0].body.contains("# restart the service"));
        assert!(s[0].body.contains("## not a heading"));
    }

    #[test]
    fn text_extraction_keeps_words_apart() {
        let md = "## A\n\nSee [the guide](https://example.com/guide-page) and ![disk chart](images/disk-usage.png).\n\n- one\n- two<br/>three\n\nUse `net stop`<b>now</b>. Visit https://contoso.com/path now.\n\n| Col | Other |\n|---|---|\n| x | y |\n";
        let body = &sections(md)[0].body;
        assert!(body.contains("the guide"), "{body}");
        assert!(!body.contains("example.com"), "{body}");
        assert!(body.contains("disk chart"), "{body}");
        assert!(!body.contains("disk-usage"), "{body}");
        assert!(body.contains("two three"), "{body}");
        assert!(body.contains("net stop now"), "{body}");
        assert!(!body.contains("contoso"), "{body}");
        assert!(body.contains("x y"), "{body}");
        let s = sections("## B\n\nRun it as **administrator**. Then `reboot`, **Error**: done\n");
        assert_eq!(
            s[0].body,
            "Run it as administrator. Then reboot, Error: done"
        );
        assert!(!body.contains('<'), "{body}");
    }

    #[test]
    fn codes_defined_by_heading_table_and_message_line() {
        let md = "## Error 0x80070005\n\nText mentions 0x80070002 too.\n\n## Other\n\n**Error message**: Vault not found (ID: 34513)\n\n| Error | Possible causes | Recommended actions |\n|---|---|---|\n| **AADSTS50058** sign-in | cause | action |\n\nSee also AADSTS50076.\n";
        let s = sections(md);
        assert_eq!(s[0].defined_codes, ["0x80070005"]);
        assert_eq!(s[0].codes, ["0x80070005", "0x80070002"]);
        assert_eq!(s[1].defined_codes, ["34513", "aadsts50058"]);
        assert!(s[1].codes.contains(&"aadsts50076".to_string()));
        assert!(!s[1].defined_codes.contains(&"aadsts50076".to_string()));
        assert_eq!(s[1].records.len(), 1);
    }

    #[test]
    fn english_table_records() {
        let md = "## T\n\n| Error | Possible causes | Recommended actions |\n|---|---|---|\n| **0x80070005** Access is denied | The account lacks rights.<br/>Or a policy blocks it. | Run as administrator. |\n| Error 34506 | Quota | Raise it |\n";
        let records = &sections(md)[0].records;
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].message, "0x80070005 Access is denied");
        assert_eq!(records[0].codes, ["0x80070005"]);
        assert_eq!(
            records[0].causes,
            "The account lacks rights.\nOr a policy blocks it."
        );
        assert_eq!(records[0].actions, "Run as administrator.");
        assert_eq!(records[1].codes, ["34506"]);
    }

    #[test]
    fn russian_table_records() {
        let md = "## Т\n\n| Ошибка | Возможные причины | Рекомендуемые действия |\n|---|---|---|\n| Код ошибки 809 | Порты закрыты | Откройте порт 500 |\n";
        let records = &sections(md)[0].records;
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].codes, ["809"]);
        assert_eq!(records[0].causes, "Порты закрыты");
        assert_eq!(records[0].actions, "Откройте порт 500");
    }

    #[test]
    fn event_id_tables_carry_bare_numbers_as_codes() {
        let md = "## Events\n\n|Event ID |Source |Description |Resolution |\n|---|---|---|---|\n|2138 |Health Service |Proxy needs credentials |Set them |\n|Version 2 |x |y |z |\n";
        let s = sections(md);
        assert_eq!(s[0].records.len(), 2);
        assert_eq!(s[0].records[0].codes, ["2138"]);
        assert_eq!(s[0].records[0].actions, "Set them");
        assert!(s[0].records[1].codes.is_empty());
        assert!(s[0].defined_codes.contains(&"2138".to_string()));
    }

    #[test]
    fn cause_action_tables_and_plain_tables() {
        let md = "## A\n\n| Причина | Рекомендованные действия |\n|---|---|\n| Нет сети | Проверьте прокси |\n\n## B\n\n| Name | Value |\n|---|---|\n| a | b |\n";
        let s = sections(md);
        assert_eq!(s[0].records.len(), 1);
        assert_eq!(s[0].records[0].message, "");
        assert!(s[1].records.is_empty());
    }
    #[test]
    fn record_cells_keep_lists_breaks_bold_code_and_link_text() {
        let md = "## T\n\n| Cause | Recommended action |\n|---|---|\n| **Proxy blocks the agent** <br/>or <br/>**No network** <br/><br/> The agent cannot reach the vault. | Do this:<br/> <ul><li> Check the [proxy settings](#proxy).<li> Allow these hosts:<br> **Hosts**<br> `login.example.net` <br> .example.org <br/></ul></ul>Then register again. |\n";
        let record = &sections(md)[0].records[0];
        assert_eq!(
            record.causes,
            "**Proxy blocks the agent**\nor\n**No network**\n\nThe agent cannot reach the vault."
        );
        assert_eq!(
            record.actions,
            "Do this:\n- Check the proxy settings.\n- Allow these hosts:\n**Hosts**\n`login.example.net`\n.example.org\nThen register again."
        );
        // The indexed body keeps the words apart and holds no markup.
        let body = &sections(md)[0].body;
        assert!(
            body.contains("Allow these hosts: Hosts login.example.net"),
            "{body}"
        );
        assert!(!body.contains("**") && !body.contains('<'), "{body}");
    }

    #[test]
    fn russian_record_cells_keep_their_lists() {
        let md = "## Т\n\n| Ошибка | Причина | Действие |\n|---|---|---|\n| Код 0x80070005 | Нет прав | <ol><li>Откройте **Службы**.</li><li>Перезапустите `kbagent`.</li></ol> |\n";
        let record = &sections(md)[0].records[0];
        assert_eq!(record.message, "Код 0x80070005");
        assert_eq!(
            record.actions,
            "- Откройте **Службы**.\n- Перезапустите `kbagent`."
        );
    }

    #[test]
    fn tables_without_a_message_column_take_the_error_message_line() {
        let md = "## A\n\n**Error message**: The vault file is stale. (ID: 34513)\n\n| Cause | Recommended action |\n|---|---|\n| Old file | Download it again |\n\n## Б\n\n**Сообщение об ошибке** — Хранилище недоступно.\n\n| Причина | Действие |\n|---|---|\n| Сеть | Проверьте прокси |\n\n## C\n\n| Cause | Action |\n|---|---|\n| x | y |\n";
        let s = sections(md);
        assert_eq!(
            s[0].records[0].message,
            "The vault file is stale. (ID: 34513)"
        );
        assert_eq!(s[0].records[0].codes, ["34513"]);
        assert_eq!(s[1].records[0].message, "Хранилище недоступно.");
        assert_eq!(s[2].records[0].message, "");
    }

    #[test]
    fn sections_know_their_markdown() {
        let md = "Intro.\n\n## <a name=\"a\"></a>First\n\nOne **bold**.\n\n### Inner\n\nTwo.\n\n## Second\n\nThree.\n";
        let s = sections(md);
        let source: Vec<&str> = s.iter().map(|s| &md[s.source.clone()]).collect();
        assert_eq!(
            source,
            [
                "Intro.\n\n",
                "## <a name=\"a\"></a>First\n\nOne **bold**.\n\n",
                "### Inner\n\nTwo.\n\n",
                "## Second\n\nThree.\n"
            ]
        );
    }
}
