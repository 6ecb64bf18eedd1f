//! Section anchors, computed the way documentation sites do.
//!
//! An explicit `<a name="…"></a>` or `<a id="…"></a>` in the heading wins.
//! Otherwise the heading text is lowercased, punctuation dropped and spaces
//! turned into `-`; letters of every script and digits are kept, so Cyrillic
//! headings get Cyrillic anchors. Repeated generated anchors get `-1`, `-2`…

use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static EXPLICIT_ANCHOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)<a\s+(?:name|id)\s*=\s*"([^"]+)"\s*>\s*</a>"#).unwrap());
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]+>").unwrap());
static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap());

/// The explicit anchor written in a raw heading, if any.
pub fn explicit_anchor(raw_heading: &str) -> Option<String> {
    EXPLICIT_ANCHOR
        .captures(raw_heading)
        .map(|c| c[1].trim().to_string())
        .filter(|a| !a.is_empty())
}

/// Every explicit anchor written in a raw heading, in order.
pub fn explicit_anchors(raw_heading: &str) -> Vec<String> {
    EXPLICIT_ANCHOR
        .captures_iter(raw_heading)
        .map(|c| c[1].trim().to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

/// The generated id of a raw heading (Markdown source without the `#`s).
pub fn slugify(raw_heading: &str) -> String {
    let without_tags = TAG.replace_all(raw_heading, "");
    let without_links = LINK.replace_all(&without_tags, "$1");
    let mut out = String::with_capacity(without_links.len());
    for c in without_links.trim().chars() {
        // English and Russian letters are lowered without the Unicode tables.
        match c {
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            'А'..='Я' => out.extend(char::from_u32(u32::from(c) + 0x20)),
            'Ё' => out.push('ё'),
            _ if c.is_ascii() || ('а'..='я').contains(&c) || c == 'ё' => {
                push_slug_char(c, &mut out)
            }
            _ => c.to_lowercase().for_each(|c| push_slug_char(c, &mut out)),
        }
    }
    out
}

/// Adds one lowercase character of a heading to its generated id.
fn push_slug_char(c: char, out: &mut String) {
    if c == '-' || c == '_' || crate::text::is_letter_or_digit(c) {
        out.push(c);
    } else if c.is_whitespace() {
        out.push('-');
    }
}

/// Hands out anchors for the headings of one document, in order.
#[derive(Debug, Default)]
pub struct AnchorAllocator {
    used: HashMap<String, usize>,
}

impl AnchorAllocator {
    /// Anchor for the next heading given its raw Markdown text.
    pub fn next(&mut self, raw_heading: &str) -> String {
        if let Some(explicit) = explicit_anchor(raw_heading) {
            return explicit;
        }
        let slug = slugify(raw_heading);
        let count = self.used.entry(slug.clone()).or_insert(0);
        let anchor = if *count == 0 {
            slug
        } else {
            format!("{slug}-{count}")
        };
        *count += 1;
        anchor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_anchor_wins() {
        let mut a = AnchorAllocator::default();
        assert_eq!(
            a.next(r#"<a name="vpn-error-809"></a>Ошибка VPN 809"#),
            "vpn-error-809"
        );
        assert_eq!(a.next(r#"<a id="x-y"></a> Title"#), "x-y");
    }

    #[test]
    fn generated_anchors() {
        let mut a = AnchorAllocator::default();
        assert_eq!(
            a.next("Error 0x80070005: Access is denied"),
            "error-0x80070005-access-is-denied"
        );
        assert_eq!(
            a.next("Ошибка подключения к VPN"),
            "ошибка-подключения-к-vpn"
        );
        assert_eq!(
            a.next("Use `netsh` and [docs](https://x.y/z)"),
            "use-netsh-and-docs"
        );
        assert_eq!(
            a.next("snake_case and dash-case"),
            "snake_case-and-dash-case"
        );
    }

    #[test]
    fn duplicates_are_suffixed() {
        let mut a = AnchorAllocator::default();
        assert_eq!(a.next("Resolution"), "resolution");
        assert_eq!(a.next("Resolution"), "resolution-1");
        assert_eq!(a.next("Resolution"), "resolution-2");
    }

    /// The rule over the Unicode tables only: the reference the fast
    /// lowering of English and Russian letters must agree with.
    fn slugify_by_tables(raw_heading: &str) -> String {
        let without_tags = TAG.replace_all(raw_heading, "");
        let without_links = LINK.replace_all(&without_tags, "$1");
        let mut out = String::new();
        for c in without_links.trim().chars().flat_map(char::to_lowercase) {
            if c == '-' || c == '_' || c.is_alphanumeric() {
                out.push(c);
            } else if c.is_whitespace() {
                out.push('-');
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn fast_paths_keep_the_rule(
            heading in "[a-zA-Z0-9 _.,:!?()\\[\\]<>/#-]{0,12}[а-яА-ЯёЁ\\u{a0}\\u{2003}İßΣΩé½٣ 0-9-]{0,12}[a-zA-Zа-яА-Я ]{0,6}"
        ) {
            proptest::prop_assert_eq!(slugify(&heading), slugify_by_tables(&heading));
        }
    }
}
