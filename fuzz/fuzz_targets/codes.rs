//! Error-code extraction and normalisation.
#![no_main]

use kbsearch::codes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for found in codes::extract(&text) {
        assert!(found.start < found.end && found.end <= text.len());
        assert!(text.is_char_boundary(found.start) && text.is_char_boundary(found.end));
        let _ = codes::aliases(&found.canonical);
    }
    let query = codes::extract_from_query(&text);
    for code in query.exact.iter().chain(&query.weak) {
        let _ = codes::aliases(code);
    }
    if let Some(canonical) = codes::normalize(&text) {
        assert!(canonical.is_ascii(), "{canonical:?} from {text:?}");
        assert!(
            codes::is_canonical(&canonical),
            "{canonical:?} from {text:?} is not in a canonical shape"
        );
        let again = codes::normalize(&canonical);
        assert_eq!(
            again.as_deref(),
            Some(canonical.as_str()),
            "normalize is not idempotent for {text:?}"
        );
        for alias in codes::aliases(&canonical) {
            let _ = codes::normalize(&alias);
        }
    }
});
