//! Markdown ingestion: arbitrary bytes → decode → front matter + sections.
#![no_main]

use kbsearch::ingest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = ingest::decode(data) else {
        return;
    };
    if let Ok((document, _warnings)) = ingest::parse("fuzz/doc.md", text) {
        assert!(!document.sections.is_empty());
        for section in &document.sections {
            // Whitespace is collapsed: no leading/trailing/double spaces.
            assert_eq!(section.body.trim(), section.body);
            assert!(!section.body.contains("  "));
            for code in &section.defined_codes {
                assert!(
                    section.codes.contains(code),
                    "{code} defined but not listed"
                );
            }
        }
    }
    // Text given directly (not through decode) must not panic either.
    let _ = ingest::markdown::sections(&String::from_utf8_lossy(data));
});
