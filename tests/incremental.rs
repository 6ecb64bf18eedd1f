//! `kbsearch index` re-indexes only added, changed or removed documents.

mod common;

use kbsearch::index::{self, BuildOptions};
use kbsearch::search::Engine;
use std::fs;

fn article(title: &str, section: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n# {title}\n\n## {section}\n\n{body}\n")
}

#[test]
fn only_changed_documents_are_reindexed() {
    let content = tempfile::tempdir().unwrap();
    let root = content.path();
    fs::create_dir_all(root.join("en")).unwrap();
    fs::write(
        root.join("en/a.md"),
        article(
            "Printer",
            "Spooler crashes",
            "The spooler stops with 0x800706BA.",
        ),
    )
    .unwrap();
    fs::write(
        root.join("en/b.md"),
        article("Scanner", "Scanner offline", "The scanner shows offline."),
    )
    .unwrap();
    fs::write(
        root.join("en/c.md"),
        article("Plotter", "Plotter jams", "Paper jams in the plotter."),
    )
    .unwrap();
    let index_dir = tempfile::tempdir().unwrap();

    let (first, _) = common::build(root, index_dir.path());
    assert!(!first.manifest.changes.incremental);
    assert_eq!(first.manifest.changes.added, 3);

    let (again, _) = common::build(root, index_dir.path());
    assert!(again.manifest.changes.incremental);
    assert_eq!(again.manifest.changes.unchanged, 3);
    assert_eq!(
        (
            again.manifest.changes.added,
            again.manifest.changes.changed,
            again.manifest.changes.removed
        ),
        (0, 0, 0)
    );

    fs::write(
        root.join("en/a.md"),
        article(
            "Printer",
            "Spooler crashes",
            "The spooler stops with 0x800706BE now.",
        ),
    )
    .unwrap();
    fs::remove_file(root.join("en/b.md")).unwrap();
    fs::write(
        root.join("en/d.md"),
        article("Router", "Router reboots", "The router reboots at night."),
    )
    .unwrap();
    let (third, _) = common::build(root, index_dir.path());
    let c = &third.manifest.changes;
    assert_eq!((c.added, c.changed, c.removed, c.unchanged), (1, 1, 1, 1));
    assert_eq!(third.manifest.documents, 3);

    let engine = Engine::open(index_dir.path()).unwrap();
    assert!(
        common::top(&engine, "scanner offline", 5).is_empty(),
        "removed document still found"
    );
    assert_eq!(
        common::top(&engine, "router reboots", 1),
        ["en/d.md#router-reboots"]
    );
    assert_eq!(
        common::top(&engine, "0x800706BE", 1),
        ["en/a.md#spooler-crashes"]
    );
    let old = common::top(&engine, "0x800706BA", 5);
    assert!(
        old.is_empty(),
        "old version of a changed document still found: {old:?}"
    );
    assert_eq!(
        common::top(&engine, "plotter jams", 1),
        ["en/c.md#plotter-jams"]
    );

    // A full rebuild gives the same answers.
    let mut full = BuildOptions::new(root, index_dir.path());
    full.full = true;
    let report = index::build(&full, |_| {}).unwrap();
    assert!(!report.manifest.changes.incremental);
    assert_eq!(report.manifest.sections, third.manifest.sections);
}
