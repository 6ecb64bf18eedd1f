//! Property tests: ingestion never panics, the HTTP API never answers 5xx,
//! code normalisation is stable and HRESULT spellings meet.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use kbsearch::http::{router, AppState, HttpConfig};
use kbsearch::ingest;
use kbsearch::search::Engine;
use kbsearch::{analysis, codes};
use proptest::prelude::*;
use std::sync::OnceLock;
use tower::ServiceExt;

struct Fixture {
    _index: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
}

/// The sample knowledge base, indexed once for the whole test binary.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let index = tempfile::tempdir().unwrap();
        common::build(&common::content_dir(), index.path());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let engine = Engine::open(index.path()).unwrap();
        let app = router(
            AppState::new(engine, common::content_dir()),
            &HttpConfig::default(),
        );
        Fixture {
            _index: index,
            runtime,
            app,
        }
    })
}

/// Status and body of one GET through the router (no socket).
fn get(uri: &str) -> (StatusCode, String) {
    let fixture = fixture();
    fixture.runtime.block_on(async {
        let request = match Request::get(uri).body(Body::empty()) {
            Ok(request) => request,
            // Not a URI at all: nothing reaches the server.
            Err(_) => return (StatusCode::BAD_REQUEST, String::new()),
        };
        let response = fixture.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    })
}

/// Percent-encodes every byte outside the unreserved set.
fn encode(text: &[u8]) -> String {
    let mut out = String::new();
    for &b in text {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Markdown-ish text: the constructs the parser cares about, in any order.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("# ".to_string()),
        Just("## ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("---\n".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("| Error | Cause | Action |\n|---|---|---|\n".to_string()),
        Just("|".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("```".to_string()),
        Just("`".to_string()),
        Just("**".to_string()),
        Just("[x](http://e.com/a)".to_string()),
        Just("<a name=\"n\"></a>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("Error message: 0x80070005".to_string()),
        Just("[^1]".to_string()),
        Just("[^1]: note\n".to_string()),
        Just("title: x\n".to_string()),
        Just("\u{200b}\u{202e}\u{feff}".to_string()),
        "[a-zA-Zа-яА-Я0-9 _.:#-]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|parts| parts.concat())
}

/// A query string: printable text with syntax characters, codes and noise.
fn query_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Zа-яА-ЯёЁ0-9 ()\\[\\]{}\"'*:+\\-!?&|/\\\\^~%#<>=.,;]{1,80}",
        "(0x[0-9a-fA-F]{1,16}|-?[0-9]{1,12}|[A-Z]{2,10}[0-9]{4,10}|[a-z_]{3,30}| ){1,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn ingesting_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        if let Ok(text) = ingest::decode(&bytes) {
            let _ = ingest::parse("prop/x.md", text);
        }
    }

    #[test]
    fn ingesting_markdownish_text_never_panics(text in markdownish()) {
        let decoded = ingest::decode(text.as_bytes());
        if let Ok(text) = decoded {
            if let Ok((document, _)) = ingest::parse("prop/x.md", text) {
                prop_assert!(!document.sections.is_empty());
                for section in &document.sections {
                    prop_assert!(!section.body.contains("  "), "{:?}", section.body);
                    prop_assert_eq!(section.body.trim(), section.body.as_str());
                }
            }
        }
    }

    #[test]
    fn normalize_is_idempotent_on_code_shapes(
        raw in "(0[xX][0-9a-fA-F]{1,8}|[0-9]{1,7}|-?[1-9][0-9]{9}|[A-Z]{2,10}[1-9][0-9]{3,9}|[A-Z][a-z]{3,6}(Error|Failed|Timeout)[A-Z][a-z]{8,}|[A-Z]{3,8}(_[A-Z]{2,8}){2,3}|(ID|Error|Ошибка): [1-9][0-9]{2,6})"
    ) {
        if let Some(canonical) = codes::normalize(&raw) {
            prop_assert_eq!(codes::normalize(&canonical), Some(canonical.clone()), "raw {:?}", raw);
        }
    }

    /// A section's term table lists exactly the terms the full analysis
    /// finds, with their words' spans, and each listed word analyses again
    /// to the term listed (how snippets confirm a match).
    #[test]
    fn term_tables_list_the_full_analysis(
        words in prop::collection::vec(
            "(connecting|connection|Certificates|certificate's|expired|dying|дисков|дискам|подключения|Ёлка|елки|ERROR_DISK_FULL|GuestAgentStatus|login\\.contoso\\.com|0x80070005|5\\.1\\.1|host:port|«слово»|[a-zа-я]{1,9}|[ .,;:!?'\"()«»\u{301}\u{ad}]{1,3})",
            1..30,
        ),
    ) {
        let text = words.join(" ");
        let table = analysis::term_table(&text);
        let mut listed = Vec::new();
        prop_assert!(analysis::each_table_term(&table, &text, |t| listed.push(t)));
        let all = analysis::analyze(&text);
        prop_assert_eq!(listed.len(), all.len());
        for (entry, term) in listed.iter().zip(&all) {
            prop_assert_eq!((entry.start, entry.end), (term.start, term.end));
            prop_assert_eq!(entry.hash, analysis::term_hash(&term.text));
            let mut again = Vec::new();
            analysis::word_terms(&text[entry.start..entry.end], |t| again.push(t.to_string()));
            prop_assert_eq!(again.get(entry.nth), Some(&term.text));
        }
    }

    /// Mixed code-like noise (the shapes the codes fuzzer kept finding):
    /// whatever `normalize` returns is a canonical shape and a fixed point.
    #[test]
    fn normalize_returns_canonical_shapes(
        raw in "[ 0-9a-fA-FxXeEiIdD_=:\\-]{0,40}"
    ) {
        if let Some(canonical) = codes::normalize(&raw) {
            prop_assert!(codes::is_canonical(&canonical), "{:?} from {:?}", canonical, raw);
            prop_assert_eq!(codes::normalize(&canonical), Some(canonical.clone()), "raw {:?}", raw);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_search_queries_never_answer_5xx(q in query_text(), lang in prop_oneof![Just(""), Just("&lang=ru"), Just("&lang=en"), Just("&lang=xx")]) {
        for path in ["/api/search?q=", "/api/suggest?q="] {
            let uri = format!("{path}{}{lang}", encode(q.as_bytes()));
            let (status, body) = get(&uri);
            prop_assert!(!status.is_server_error(), "{uri}: {status} {body}");
            if !status.is_success() {
                prop_assert!(body.starts_with("{\"error\""), "{uri}: {body}");
            }
        }
    }

    #[test]
    fn arbitrary_raw_query_strings_never_answer_5xx(raw in prop::collection::vec(any::<u8>(), 0..200)) {
        // Raw bytes, percent-encoded, so invalid UTF-8 and NULs reach the handlers.
        let uri = format!("/api/search?q={}&limit=3", encode(&raw));
        let (status, body) = get(&uri);
        prop_assert!(!status.is_server_error(), "{uri}: {status} {body}");
        let code = String::from_utf8_lossy(&raw).to_string();
        let uri = format!("/api/errors/{}", encode(code.as_bytes()));
        let (status, body) = get(&uri);
        prop_assert!(!status.is_server_error(), "{uri}: {status} {body}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// HRESULTs (high bit set) are one code whether written in hex, as a
    /// signed 32-bit integer or as an unsigned one.
    #[test]
    fn hresults_round_trip_hex_signed_unsigned(v in 0x8000_0000u32..=u32::MAX) {
        let canonical = Some(format!("{v:#x}"));
        prop_assert_eq!(codes::normalize(&format!("{v:#x}")), canonical.clone());
        prop_assert_eq!(codes::normalize(&format!("{v:#X}").replace("0X", "0x")), canonical.clone());
        prop_assert_eq!(codes::normalize(&format!("{v:#010X}")), canonical.clone());
        prop_assert_eq!(codes::normalize(&(v as i32).to_string()), canonical.clone());
        prop_assert_eq!(codes::normalize(&v.to_string()), canonical.clone());
        // Bare 8-digit hex as people paste it from logs: HRESULTs with the
        // severity bit (8…, C…). Others such as `ad778800` read as a
        // letters-and-digits code (`ad` + `778800`), which is fair.
        if matches!(v >> 28, 0x8 | 0xC) {
            prop_assert_eq!(codes::normalize(&format!("{v:08x}")), canonical.clone());
            prop_assert_eq!(codes::normalize(&format!("{v:08X}")), canonical.clone());
        }
        // The aliases an index stores are the decimal spellings.
        let aliases = codes::aliases(canonical.as_deref().unwrap());
        prop_assert!(aliases.contains(&v.to_string()));
        prop_assert!(aliases.contains(&(v as i32).to_string()));
    }

    /// Below the HRESULT range, hex with at least 4 digits stays hex.
    #[test]
    fn small_hex_codes_stay_hex(v in 0x1000u32..0x8000_0000u32) {
        prop_assert_eq!(codes::normalize(&format!("{v:#x}")), Some(format!("{v:#x}")));
        // Leading zeros are dropped, whatever the width.
        prop_assert_eq!(codes::normalize(&format!("0x{v:016x}")), Some(format!("{v:#x}")));
    }

    /// Below the HRESULT range a decimal number is a decimal id, never read
    /// as hex, in its signed and unsigned spelling alike (they are equal).
    /// 8-digit numbers starting with 8 are the exception: `80070005` is the
    /// HRESULT typed without `0x`.
    #[test]
    fn small_decimal_codes_stay_decimal(v in prop_oneof![100u32..80_000_000, 90_000_000u32..0x8000_0000]) {
        let expected = Some(v.to_string());
        prop_assert_eq!(codes::normalize(&v.to_string()), expected.clone());
        prop_assert_eq!(codes::normalize(&(v as i32).to_string()), expected.clone());
        prop_assert_eq!(codes::normalize(&format!("ID: {v}")), expected.clone());
        prop_assert_eq!(codes::normalize(&format!("error {v}")), expected);
    }
}
