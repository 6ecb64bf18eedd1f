//! Bad files are skipped with a reason; good files are indexed; a failed
//! build leaves the previous index usable.

mod common;

use kbsearch::index::{self, BuildOptions};
use kbsearch::search::Engine;
use std::fs;

const GOOD: &str = "---\ntitle: Printer spooler stops\nms.contentlocale: en-US\n---\n# Printer spooler stops\n\n## Spooler crashes with error 0x800706BA\n\nRestart the spooler service.\n";

#[test]
fn bad_files_are_reported_and_good_files_indexed() {
    let content = tempfile::tempdir().unwrap();
    let root = content.path();
    fs::create_dir_all(root.join("en")).unwrap();
    fs::write(root.join("en/good.md"), GOOD).unwrap();
    fs::write(
        root.join("en/broken-front-matter.md"),
        "---\ntitle: [unclosed\n---\n# Heater overheats\n\nThe heater overheats quickly.\n",
    )
    .unwrap();
    fs::write(
        root.join("en/binary.md"),
        [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff],
    )
    .unwrap();
    fs::write(
        root.join("en/latin1.md"),
        b"# Caf\xe9 menu\n\nna\xefve text\n",
    )
    .unwrap();
    fs::write(root.join("en/empty.md"), b"").unwrap();
    fs::write(
        root.join("en/huge.md"),
        "# Huge\n\n".to_string() + &"word ".repeat(4096),
    )
    .unwrap();
    fs::write(root.join("en/notes.txt"), "not markdown").unwrap();

    let index_dir = tempfile::tempdir().unwrap();
    let mut skipped = Vec::new();
    let mut warnings = Vec::new();
    let mut options = BuildOptions::new(root, index_dir.path());
    options.max_file_bytes = 8 * 1024;
    let report = index::build(&options, |event| match event {
        index::Progress::Skipped { file, reason } => {
            skipped.push((file.id.clone(), reason.to_string()))
        }
        index::Progress::Warning { file, message } => {
            warnings.push((file.id.clone(), message.to_string()))
        }
        _ => {}
    })
    .unwrap();

    skipped.sort();
    let reasons: Vec<(&str, &str)> = skipped
        .iter()
        .map(|(f, r)| (f.as_str(), r.as_str()))
        .collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert_eq!(reasons[0].0, "en/binary.md");
    assert!(reasons[0].1.contains("binary"));
    assert_eq!(reasons[1].0, "en/empty.md");
    assert!(reasons[1].1.contains("empty"));
    assert_eq!(reasons[2].0, "en/huge.md");
    assert!(reasons[2].1.contains("limit"));
    assert_eq!(reasons[3].0, "en/latin1.md");
    assert!(reasons[3].1.contains("UTF-8"));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "en/broken-front-matter.md");

    assert_eq!(report.manifest.documents, 2);
    assert_eq!(report.manifest.skipped.len(), 4);
    let engine = Engine::open(index_dir.path()).unwrap();
    assert_eq!(
        common::top(&engine, "heater overheats", 1),
        ["en/broken-front-matter.md#heater-overheats"]
    );
    assert_eq!(
        common::top(&engine, "0x800706ba", 1),
        ["en/good.md#spooler-crashes-with-error-0x800706ba"]
    );
}

#[test]
fn failed_or_interrupted_build_keeps_the_previous_index() {
    let content = tempfile::tempdir().unwrap();
    fs::write(content.path().join("good.md"), GOOD).unwrap();
    let index_dir = tempfile::tempdir().unwrap();
    common::build(content.path(), index_dir.path());

    // A build whose content folder is gone fails and changes nothing.
    let missing = content.path().join("does-not-exist");
    let err = index::build(&BuildOptions::new(&missing, index_dir.path()), |_| {}).unwrap_err();
    assert!(err.to_string().contains("does-not-exist"), "{err}");

    // A build killed half-way leaves a stray generation folder behind.
    fs::create_dir(index_dir.path().join("gen-1-999999999")).unwrap();
    fs::write(
        index_dir.path().join("gen-1-999999999/meta.json"),
        "{ half written",
    )
    .unwrap();

    let engine = Engine::open(index_dir.path()).unwrap();
    assert_eq!(common::top(&engine, "spooler", 1).len(), 1);

    // The next good build cleans the stray folder up.
    common::build(content.path(), index_dir.path());
    assert!(!index_dir.path().join("gen-1-999999999").exists());
    let generations = fs::read_dir(index_dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .count();
    assert_eq!(generations, 1);
}

#[test]
fn missing_index_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Engine::open(&dir.path().join("nothing")).err().unwrap();
    assert!(err.to_string().contains("kbsearch index"), "{err}");
}
