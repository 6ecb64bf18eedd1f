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

use super::table::{classify, Column};
use crate::model::Section;
use std::collections::HashMap;

/// What a section under a label heading is: the label's words say it, read
/// like the header of a troubleshooting table's column (`Cause`,
/// `Recommended action`, «Решение», «Симптомы»).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Not under a label, or a label of no known kind.
    None = 0,
    Symptom = 1,
    Cause = 2,
    Resolution = 3,
}

impl Role {
    /// The role stored in the `role` column.
    pub fn from_id(id: u64) -> Role {
        match id {
            1 => Role::Symptom,
            2 => Role::Cause,
            3 => Role::Resolution,
            _ => Role::None,
        }
    }
}

/// The role of each section: from its heading when that heading is a
/// repeated label.
pub fn roles(sections: &[Section]) -> Vec<Role> {
    let labels = Labels::of(sections);
    sections
        .iter()
        .map(|section| {
            if !labels.is_label(&section.heading) {
                return Role::None;
            }
            match classify(&section.heading) {
                Column::Actions => Role::Resolution,
                Column::Causes => Role::Cause,
                Column::Error => Role::Symptom,
                Column::Other => Role::None,
            }
        })
        .collect()
}

/// The headings an article repeats.
struct Labels {
    uses: HashMap<String, usize>,
}

impl Labels {
    fn of(sections: &[Section]) -> Labels {
        let mut uses: HashMap<String, usize> = HashMap::new();
        for section in sections {
            let label = label_key(&section.heading);
            if !label.is_empty() {
                *uses.entry(label).or_default() += 1;
            }
        }
        Labels { uses }
    }

    fn is_label(&self, heading: &str) -> bool {
        self.uses.get(&label_key(heading)).is_some_and(|&n| n > 1)
    }
}

/// The problem each section belongs to: for a section under a repeated
/// label heading, the nearest enclosing heading that is not a label;
/// `None` for every other section.
pub fn problem_headings(sections: &[Section]) -> Vec<Option<String>> {
    let labels = Labels::of(sections);
    let is_label = |heading: &str| labels.is_label(heading);
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
    fn labels_have_the_roles_their_words_say() {
        let sections = vec![
            section("Printing", &[]),
            section("Spooler stops", &["Printing"]),
            section("Cause", &["Printing", "Spooler stops"]),
            section("Solution 1", &["Printing", "Spooler stops"]),
            section("Jams", &["Printing"]),
            section("Cause", &["Printing", "Jams"]),
            section("Solution 2", &["Printing", "Jams"]),
            section("Fix the driver", &["Printing"]),
        ];
        let roles = roles(&sections);
        assert_eq!(roles[2], Role::Cause);
        assert_eq!(roles[3], Role::Resolution);
        assert_eq!(roles[6], Role::Resolution);
        // A heading said once is a problem's own heading, whatever its words.
        assert_eq!(roles[7], Role::None);
        assert_eq!(roles[1], Role::None);
        let russian = vec![
            section("А", &[]),
            section("Симптомы", &["А"]),
            section("Решение", &["А"]),
            section("Б", &[]),
            section("Симптомы", &["Б"]),
            section("Решение", &["Б"]),
        ];
        assert_eq!(
            super::roles(&russian),
            vec![
                Role::None,
                Role::Symptom,
                Role::Resolution,
                Role::None,
                Role::Symptom,
                Role::Resolution
            ]
        );
        assert_eq!(Role::from_id(Role::Cause as u64), Role::Cause);
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
