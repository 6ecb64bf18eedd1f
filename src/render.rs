//! Markdown → sanitized HTML for the document view.
//!
//! Headings get `id` attributes equal to the section anchors used by the
//! index; relative links to other articles are rewritten to `/doc/…` URLs;
//! images are replaced by their alt text (nothing is fetched); the result is
//! cleaned with ammonia, so scripts, event-handler attributes and
//! `javascript:` URLs never reach the browser.

use crate::ingest::anchor::AnchorAllocator;
use crate::ingest::front_matter;
use crate::urls::encode_path_segment;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashSet;

/// A heading of the rendered document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutlineEntry {
    pub anchor: String,
    pub heading: String,
    pub level: u8,
}

/// The rendered body of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    pub html: String,
    pub sections: Vec<OutlineEntry>,
}

/// Renders the Markdown text of the document `doc_path` (its id).
/// Russian callout labels of localized docs, mapped to the GFM ones.
const CALLOUT_LABELS: &[(&str, &str)] = &[
    ("[!ПРИМЕЧАНИЕ]", "[!NOTE]"),
    ("[!ЗАМЕТКА]", "[!NOTE]"),
    ("[!СОВЕТ]", "[!TIP]"),
    ("[!ВАЖНО]", "[!IMPORTANT]"),
    ("[!ПРЕДУПРЕЖДЕНИЕ]", "[!WARNING]"),
    ("[!ВНИМАНИЕ]", "[!WARNING]"),
    ("[!ОСТОРОЖНО]", "[!CAUTION]"),
];

pub fn render(doc_path: &str, text: &str) -> Rendered {
    let mut owned = front_matter::split(text).body.to_string();
    for (russian, gfm) in CALLOUT_LABELS {
        if owned.contains(russian) {
            owned = owned.replace(russian, gfm);
        }
    }
    let body = owned.as_str();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_GFM
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut anchors = AnchorAllocator::default();
    let mut sections = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut heading_text: Option<(u8, String)> = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let raw = raw_heading(&body[range]);
                let anchor = anchors.next(&raw);
                heading_text = Some((level as u8, anchor.clone()));
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(anchor)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
                sections.push(OutlineEntry {
                    anchor: String::new(),
                    heading: String::new(),
                    level: level as u8,
                });
            }
            Event::End(TagEnd::Heading(level)) => {
                if let (Some((_, anchor)), Some(last)) = (heading_text.take(), sections.last_mut())
                {
                    last.anchor = anchor;
                    last.heading = last
                        .heading
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::InlineHtml(_) if heading_text.is_some() => {}
            Event::Text(ref t) | Event::Code(ref t) if heading_text.is_some() => {
                if let Some(last) = sections.last_mut() {
                    last.heading.push_str(t);
                }
                events.push(event.clone());
            }
            // Images become their alt text: the text events inside pass through.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(rewrite_link(doc_path, &dest_url)),
                title,
                id,
            })),
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered {
        html: sanitize(&html),
        sections,
    }
}

fn raw_heading(source: &str) -> String {
    let first = source.lines().next().unwrap_or("").trim();
    first
        .trim_start_matches('#')
        .trim()
        .trim_end_matches('#')
        .trim()
        .to_string()
}

/// Relative links to Markdown files become `/doc/<resolved path>`; other
/// links are left for the sanitizer to judge.
pub fn rewrite_link(doc_path: &str, dest: &str) -> String {
    match crate::ingest::resolve_link(doc_path, dest) {
        Some(link) if !link.same_document => {
            let path: Vec<String> = link.id.split('/').map(encode_path_segment).collect();
            match link.fragment {
                Some(f) => format!("/doc/{}#{}", path.join("/"), encode_path_segment(f)),
                None => format!("/doc/{}", path.join("/")),
            }
        }
        _ => dest.to_string(),
    }
}

/// A troubleshooting record's Markdown (`causes`, `actions`) as sanitized
/// HTML for the answer card: each line break kept, lists as lists, any HTML
/// in the text shown as text, then the sanitizer documents go through.
pub fn record_html(markdown: &str) -> String {
    let events =
        Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).map(|event| match event {
            Event::SoftBreak => Event::HardBreak,
            Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
            other => other,
        });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    sanitize(&html)
}

/// Cleans rendered HTML: a whitelist of tags and attributes, safe URL schemes.
pub fn sanitize(html: &str) -> String {
    let headings = ["h1", "h2", "h3", "h4", "h5", "h6"];
    let mut builder = ammonia::Builder::default();
    for tag in headings {
        builder.add_tag_attributes(tag, &["id"]);
    }
    builder
        .add_tag_attributes("a", &["id", "name"])
        .add_tag_attributes("code", &["class"])
        .add_allowed_classes(
            "blockquote",
            &[
                "markdown-alert-note",
                "markdown-alert-tip",
                "markdown-alert-important",
                "markdown-alert-warning",
                "markdown-alert-caution",
            ],
        )
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(HashSet::from(["http", "https", "mailto"]));
    builder.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_carry_index_anchors() {
        let r = render(
            "ru/a.md",
            "---\ntitle: x\n---\n# <a name=\"top\"></a>Заголовок\n\n## Раздел\n\n## Раздел\n",
        );
        assert!(
            r.html.contains("<h1 id=\"top\">Заголовок</h1>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"раздел-1\">"), "{}", r.html);
        assert_eq!(r.sections[0].anchor, "top");
        assert_eq!(r.sections[0].heading, "Заголовок");
    }

    #[test]
    fn records_render_as_lists_with_their_breaks_and_no_markup_of_their_own() {
        let html = record_html("Do this:\n- Start `relay`.\n- Retry **now**.\n\n**Hosts**\nlogin.example.net\n<script>alert(1)</script>");
        assert!(
            html.contains("<li>Start <code>relay</code>.</li>"),
            "{html}"
        );
        assert!(html.contains("<strong>now</strong>"), "{html}");
        assert!(html.contains("<strong>Hosts</strong><br>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "shown as text: {html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn dangerous_markup_is_removed() {
        let md = "# T\n\n<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[click](javascript:alert(3)) <b onclick=\"alert(4)\">bold</b>\n";
        let html = render("en/a.md", md).html;
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("bold"), "{html}");
    }

    #[test]
    fn relative_article_links_are_rewritten() {
        assert_eq!(rewrite_link("en/vpn/a.md", "b.md#x"), "/doc/en/vpn/b.md#x");
        assert_eq!(
            rewrite_link("en/vpn/a.md", "../tls/c.md"),
            "/doc/en/tls/c.md"
        );
        assert_eq!(rewrite_link("en/vpn/a.md", "#local"), "#local");
        assert_eq!(
            rewrite_link("en/vpn/a.md", "https://x.org/a.md"),
            "https://x.org/a.md"
        );
    }

    #[test]
    fn callouts_keep_their_kind() {
        let html = render(
            "ru/a.md",
            "# T\n\n> [!ПРИМЕЧАНИЕ]\n> Текст заметки.\n\n> [!WARNING]\n> Careful.\n",
        )
        .html;
        assert!(html.contains("class=\"markdown-alert-note\""), "{html}");
        assert!(html.contains("class=\"markdown-alert-warning\""), "{html}");
        assert!(!html.contains("[!"), "{html}");
    }

    #[test]
    fn images_become_alt_text() {
        let html = render("en/a.md", "# T\n\n![Disk usage chart](media/chart.png)\n").html;
        assert!(html.contains("Disk usage chart"), "{html}");
        assert!(!html.contains("chart.png"), "{html}");
    }
}
