//! The troubleshooting structure of an article, from its heading tree.
//!
//! Troubleshooting articles describe one problem per section and split it
//! into parts under headings that repeat from problem to problem: "Cause",
//! "Solution 2", «Решение», "Recommended action". Such a heading says what
//! kind of text follows, not what it is about, so a section under it
//! belongs to its problem: the nearest enclosing heading that is not a
//! repeated label. A heading is a label when its words (digits and
//! punctuation left out) are the heading of another section of the same
//! article too; no word list is needed, in any language.

use crate::model::Section;
use std::collections::HashMap;

/// The problem each section belongs to: for a section under a repeated
/// label heading, the nearest enclosing heading that is not a label;
/// `None` for every other section.
pub fn problem_headings(sections: &[Section]) -> Vec<Option<String>> {
    let mut uses: HashMap<String, usize> = HashMap::new();
    for section in sections {
        let label = label_key(&section.heading);
        if !label.is_empty() {
            *uses.entry(label).or_default() += 1;
        }
    }
    let is_label = |heading: &str| uses.get(&label_key(heading)).is_some_and(|&n| n > 1);
    sections
        .iter()
        .map(|section| {
            if !is_label(&section.heading) {
                return None;
            }
            section
                .breadcrumbs
                .iter()
                .rev()
                .find(|parent| !parent.is_empty() && !is_label(parent))
                .cloned()
        })
        .collect()
}

/// A heading's words in lower case without digits or punctuation: what
/// "Solution 1" and "Solution 2:" share.
fn label_key(heading: &str) -> String {
    heading
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(heading: &str, breadcrumbs: &[&str]) -> Section {
        Section {
            heading: heading.to_string(),
            breadcrumbs: breadcrumbs.iter().map(|b| b.to_string()).collect(),
            level: breadcrumbs.len() as u8 + 1,
            ..Section::default()
        }
    }

    #[test]
    fn repeated_label_headings_belong_to_their_problem() {
        let sections = vec![
            section("Fix printing", &[]),
            section("The spooler stops", &["Fix printing"]),
            section("Cause", &["Fix printing", "The spooler stops"]),
            section("Solution 1", &["Fix printing", "The spooler stops"]),
            section("Paper jams", &["Fix printing"]),
            section("Cause", &["Fix printing", "Paper jams"]),
            section("Solution 2:", &["Fix printing", "Paper jams"]),
            section("Next steps", &["Fix printing"]),
        ];
        let problems = problem_headings(&sections);
        let spooler = Some("The spooler stops".to_string());
        let jams = Some("Paper jams".to_string());
        assert_eq!(
            problems,
            vec![
                None,
                None,
                spooler.clone(),
                spooler,
                None,
                jams.clone(),
                jams,
                None
            ]
        );
    }

    #[test]
    fn labels_are_found_in_any_language() {
        let sections = vec![
            section("Служба не запускается", &[]),
            section("Решение", &["Служба не запускается"]),
            section("Диск переполнен", &[]),
            section("Решение", &["Диск переполнен"]),
        ];
        assert_eq!(
            problem_headings(&sections)[3].as_deref(),
            Some("Диск переполнен")
        );
    }
}
