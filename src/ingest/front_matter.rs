//! YAML front matter: split it from the body and read the fields kbsearch uses.

use crate::model::{DocMeta, Lang};
use serde_norway::Value;

/// Front matter of a document, as far as it could be read.
#[derive(Debug, Default, Clone)]
pub struct FrontMatter {
    pub meta: DocMeta,
    pub lang: Option<Lang>,
}

/// Result of splitting a file into front matter and Markdown body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    /// The Markdown after the front matter.
    pub body: &'a str,
    /// Byte offset of `body` in the original text.
    pub body_offset: usize,
    /// A problem with the front matter (missing closing `---`, bad YAML).
    pub warning: Option<String>,
}

/// Splits `text` into front matter and body. A missing front matter is fine;
/// a broken one becomes a warning and the body is still returned.
pub fn split(text: &str) -> Split<'_> {
    let Some(rest) = text
        .strip_prefix("---")
        .filter(|r| r.starts_with(['\n', '\r']))
    else {
        return Split {
            front_matter: FrontMatter::default(),
            body: text,
            body_offset: 0,
            warning: None,
        };
    };
    let Some((yaml, body_offset)) = find_closing_fence(rest)
        .map(|(yaml_end, after)| (&rest[..yaml_end], text.len() - rest.len() + after))
    else {
        return Split {
            front_matter: FrontMatter::default(),
            body: text,
            body_offset: 0,
            warning: Some("front matter has no closing `---`; read as Markdown".to_string()),
        };
    };
    let body = &text[body_offset..];
    match serde_norway::from_str::<Value>(yaml) {
        Ok(value) => Split {
            front_matter: read_fields(&value),
            body,
            body_offset,
            warning: None,
        },
        Err(err) => Split {
            front_matter: FrontMatter::default(),
            body,
            body_offset,
            warning: Some(format!("front matter is not valid YAML: {err}")),
        },
    }
}

/// Finds a line that is exactly `---` (or `...`); returns the end of the YAML
/// and the offset just after the fence line, both relative to `rest`.
fn find_closing_fence(rest: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if offset > 0 && (trimmed == "---" || trimmed == "...") {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

fn field(value: &Value, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| match value.get(*name)? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

fn read_fields(value: &Value) -> FrontMatter {
    let meta = DocMeta {
        title: field(value, &["title"]).unwrap_or_default(),
        description: field(value, &["description"]).unwrap_or_default(),
        date: field(value, &["ms.date", "date"]).unwrap_or_default(),
        topic: field(value, &["ms.topic", "topic"]).unwrap_or_default(),
        product: field(value, &["ms.service", "product", "service"]).unwrap_or_default(),
    };
    let lang = field(value, &["ms.contentlocale", "lang", "locale", "language"])
        .and_then(|l| Lang::from_locale(&l));
    FrontMatter { meta, lang }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_body() {
        let text =
            "---\ntitle: Disk full\nms.date: 2026-01-02\nms.contentlocale: ru-RU\n---\n# Heading\n";
        let split = split(text);
        assert_eq!(split.front_matter.meta.title, "Disk full");
        assert_eq!(split.front_matter.meta.date, "2026-01-02");
        assert_eq!(split.front_matter.lang, Some(Lang::Ru));
        assert_eq!(split.body, "# Heading\n");
        assert!(split.warning.is_none());
    }

    #[test]
    fn missing_front_matter_is_fine() {
        let split = split("# Only a heading\n");
        assert_eq!(split.body, "# Only a heading\n");
        assert!(split.warning.is_none());
    }

    #[test]
    fn broken_yaml_is_a_warning() {
        let split = split("---\ntitle: [unclosed\n---\nBody text\n");
        assert!(split.warning.unwrap().contains("YAML"));
        assert_eq!(split.body, "Body text\n");
    }

    #[test]
    fn unclosed_front_matter_is_a_warning() {
        let split = split("---\ntitle: x\n# Heading\n");
        assert!(split.warning.is_some());
        assert_eq!(split.body_offset, 0);
    }
}
