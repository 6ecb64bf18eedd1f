//! The error answer: every section carrying a code, in a documented order
//! (defining sections, then sections with table rows, then the preferred
//! language, then path and place in the document), and the answer inside
//! search results as the first few of each language of that same list.

mod common;

use kbsearch::model::{ErrorAnswer, Lang};
use kbsearch::search::lookup::ANSWER_SECTIONS_PER_LANGUAGE;
use kbsearch::search::{Engine, SearchRequest};
use std::fmt::Write as _;
use std::path::Path;

const CODE: &str = "0x8007045A";
const DOCS_PER_LANGUAGE: usize = 4;

/// One section of the fixture that carries [`CODE`].
#[derive(Debug, Clone)]
struct Carrier {
    lang: Lang,
    path: String,
    anchor: String,
    ordinal: usize,
    defines: bool,
    has_rows: bool,
}

/// Writes documents in both languages whose sections carry the code in
/// every way the order distinguishes: in a heading (defining), in the error
/// column of a table (defining, with rows), in running text (mentioning,
/// twice per document, with anchors that sort against document order).
fn write_fixture(root: &Path) -> Vec<Carrier> {
    let mut carriers = Vec::new();
    for lang in [Lang::En, Lang::Ru] {
        let dir = root.join(lang.code());
        std::fs::create_dir_all(&dir).unwrap();
        for d in 0..DOCS_PER_LANGUAGE {
            let path = format!("{}/relay-{d}.md", lang.code());
            let (title, words) = match lang {
                Lang::En => ("Relay agent", "The relay agent stops"),
                Lang::Ru => ("Агент ретрансляции", "Агент ретрансляции останавливается"),
            };
            let mut text = format!("---\ntitle: {title} {d}\n---\n\n# {title} {d}\n\n{words}.\n\n");
            // Ordinal 0 is the document's H1 section, which does not carry the code.
            let sections = [
                ("zz-heading", format!("{CODE} after restart"), false, true),
                ("mm-table", "Known failures".to_string(), true, true),
                ("yy-mention", "Logs".to_string(), false, false),
                ("aa-mention", "More logs".to_string(), false, false),
            ];
            for (i, (anchor, heading, table, defines)) in sections.into_iter().enumerate() {
                let anchor = format!("{anchor}-{d}");
                write!(text, "## <a name=\"{anchor}\"></a>{heading}\n\n").unwrap();
                if table {
                    text.push_str("| Error | Cause | Action |\n|---|---|---|\n");
                    writeln!(text, "| {CODE} | {words} | Restart it |").unwrap();
                    text.push_str("| 0x80070070 | Disk full | Free space |\n\n");
                } else if defines {
                    text.push_str(&format!("{words}.\n\n"));
                } else {
                    text.push_str(&format!("{words}; the log shows {CODE} once.\n\n"));
                }
                carriers.push(Carrier {
                    lang,
                    path: path.clone(),
                    anchor,
                    ordinal: i + 1,
                    defines,
                    has_rows: table,
                });
            }
            std::fs::write(root.join(&path), text).unwrap();
        }
    }
    carriers
}

/// The documented order, computed from the fixture.
fn expected_order(mut carriers: Vec<Carrier>, prefer: Option<Lang>) -> Vec<String> {
    carriers.sort_by(|a, b| {
        b.defines
            .cmp(&a.defines)
            .then(b.has_rows.cmp(&a.has_rows))
            .then((Some(b.lang) == prefer).cmp(&(Some(a.lang) == prefer)))
            .then(a.path.cmp(&b.path))
            .then(a.ordinal.cmp(&b.ordinal))
    });
    carriers
        .iter()
        .map(|c| format!("{}#{}", c.path, c.anchor))
        .collect()
}

fn listed(answer: &ErrorAnswer) -> Vec<String> {
    answer
        .sections
        .iter()
        .map(|s| format!("{}#{}", s.path, s.anchor))
        .collect()
}

/// The first `n` of each language, in the list's order.
fn first_per_language(list: &[String], n: usize) -> Vec<String> {
    let mut taken = std::collections::HashMap::new();
    list.iter()
        .filter(|entry| {
            let seen = taken.entry(entry.split('/').next().unwrap()).or_insert(0);
            *seen += 1;
            *seen <= n
        })
        .cloned()
        .collect()
}

#[test]
fn answers_list_carriers_in_order_and_search_lists_the_first_of_each_language() {
    let content = tempfile::tempdir().unwrap();
    let carriers = write_fixture(content.path());
    let index = tempfile::tempdir().unwrap();
    let (report, skipped) = common::build(content.path(), index.path());
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(report.manifest.documents, 2 * DOCS_PER_LANGUAGE);
    let engine = Engine::open(index.path()).unwrap();
    let canonical = kbsearch::codes::normalize(CODE).unwrap();

    for prefer in [None, Some(Lang::En), Some(Lang::Ru)] {
        let full = engine.error_answer(&canonical, prefer).unwrap().unwrap();
        let expected = expected_order(carriers.clone(), prefer);
        assert_eq!(full.sections_total, carriers.len());
        assert_eq!(listed(&full), expected, "prefer {prefer:?}");
        for section in &full.sections {
            let carrier = carriers
                .iter()
                .find(|c| c.path == section.path && c.anchor == section.anchor)
                .unwrap();
            assert_eq!(section.defines, carrier.defines, "{}", section.anchor);
            assert_eq!(!section.records.is_empty(), carrier.has_rows);
            // Only the table row of the code, not the other one.
            assert!(section.records.len() <= 1, "{:?}", section.records);
            assert_eq!(section.lang, carrier.lang);
        }
    }

    for (query, prefer) in [
        (CODE.to_string(), None),
        (format!("relay agent {CODE}"), Some(Lang::En)),
        (format!("агент {CODE}"), Some(Lang::Ru)),
    ] {
        let response = engine.search(&SearchRequest::new(query.as_str())).unwrap();
        let answer = response.answer.clone().expect("a known code is answered");
        assert_eq!(answer.sections_total, carriers.len(), "{query}");
        let full = expected_order(carriers.clone(), prefer);
        let expected = first_per_language(&full, ANSWER_SECTIONS_PER_LANGUAGE);
        assert_eq!(expected.len(), 2 * ANSWER_SECTIONS_PER_LANGUAGE);
        assert_eq!(listed(&answer), expected, "{query}");
        // The hits and the answer read the same stored sections: the same
        // section looks the same in both.
        for hit in &response.hits {
            if let Some(section) = answer
                .sections
                .iter()
                .find(|s| s.path == hit.path && s.anchor == hit.anchor)
            {
                assert_eq!(
                    (&section.title, &section.heading),
                    (&hit.title, &hit.heading)
                );
            }
        }
    }
}
