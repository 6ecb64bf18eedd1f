//! `kbsearch check` finds each kind of problem in a fixture knowledge base,
//! and the sample knowledge base in `content/` has no errors.

mod common;

use kbsearch::check::{check, FindingKind, Severity};
use std::fs;

fn write(root: &std::path::Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn every_finding_kind_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "en/net/vpn.md",
        "---\ntitle: VPN\n---\n# VPN\n\n## Error 809\n\nSee [proxy](../proxy/proxy.md#http-407) and [gone](missing.md) and [here](#error-809) and [nowhere](#no-such-section).\n\n## Error 789\n\nText with error 789.\n\n| Error | Details |\n|---|---|\n| x | y |\n\n| Symptom | Fix it |\n|---|---|\n| a | b |\n\n| Cause | Notes |\n|---|---|\n| a | b |\n",
    );
    write(
        root,
        "ru/net/vpn.md",
        "---\ntitle: VPN\n---\n# <a name=\"vpn\"></a>VPN\n\n## <a name=\"error-809\"></a>Ошибка 809\n\nТекст.\n\n## <a name=\"error-809\"></a>Повтор\n\nЕщё.\n",
    );
    write(
        root,
        "en/proxy/proxy.md",
        "---\ntitle: Proxy\n---\n# Proxy\n\n## HTTP 407\n\nAuthentication.\n",
    );
    write(
        root,
        "en/broken.md",
        "---\ntitle: [unclosed\n---\n# Broken front matter\n\nText.\n",
    );
    fs::write(root.join("en/binary.md"), [0u8, 159, 146, 150]).unwrap();

    let report = check(root).unwrap();
    let has = |kind: FindingKind, path: &str, needle: &str| {
        report
            .findings
            .iter()
            .any(|f| f.kind == kind && f.path == path && f.message.contains(needle))
    };
    let all: Vec<String> = report.findings.iter().map(|f| f.to_string()).collect();
    assert!(
        has(FindingKind::UnreadableFile, "en/binary.md", "binary"),
        "{all:#?}"
    );
    assert!(
        has(FindingKind::BadFrontMatter, "en/broken.md", "YAML"),
        "{all:#?}"
    );
    assert!(
        has(
            FindingKind::BrokenLink,
            "en/net/vpn.md",
            "no document en/net/missing.md"
        ),
        "{all:#?}"
    );
    assert!(
        has(
            FindingKind::BrokenLink,
            "en/net/vpn.md",
            "no section #no-such-section"
        ),
        "{all:#?}"
    );
    assert!(
        !has(FindingKind::BrokenLink, "en/net/vpn.md", "#http-407"),
        "{all:#?}"
    );
    assert!(
        !has(FindingKind::BrokenLink, "en/net/vpn.md", "#error-809 "),
        "{all:#?}"
    );
    assert!(
        has(FindingKind::DuplicateAnchor, "ru/net/vpn.md", "#error-809"),
        "{all:#?}"
    );
    assert!(
        has(
            FindingKind::SingleLanguage,
            "en/proxy/proxy.md",
            "ru/proxy/proxy.md"
        ),
        "{all:#?}"
    );
    assert!(
        has(FindingKind::SectionMismatch, "ru/net/vpn.md", "#error-789"),
        "{all:#?}"
    );
    assert!(
        has(FindingKind::CodeMismatch, "en/net/vpn.md", "789"),
        "{all:#?}"
    );
    assert!(
        has(
            FindingKind::UnrecognizedTable,
            "en/net/vpn.md",
            "Cause | Notes"
        ),
        "{all:#?}"
    );
    assert!(
        !has(
            FindingKind::UnrecognizedTable,
            "en/net/vpn.md",
            "Error | Details"
        ),
        "plain tables are fine: {all:#?}"
    );

    let line = report
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::DuplicateAnchor)
        .and_then(|f| f.line);
    assert_eq!(line, Some(10), "line of the second heading");
    assert!(report.errors() >= 5);
    assert!(report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::SingleLanguage)
        .all(|f| f.severity == Severity::Warning));
}

#[test]
fn sample_content_has_no_errors() {
    let report = check(&common::content_dir()).unwrap();
    let errors: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(report.documents >= 28);
    // The two single-language articles are there on purpose, and nothing else differs.
    let kinds: Vec<FindingKind> = report.findings.iter().map(|f| f.kind).collect();
    assert!(
        kinds.iter().all(|k| *k == FindingKind::SingleLanguage),
        "{:#?}",
        report.findings
    );
}
