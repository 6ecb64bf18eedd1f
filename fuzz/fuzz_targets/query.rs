//! Query handling: analysis, keyboard-layout conversion and a real search
//! against a small index built once.
#![no_main]

use kbsearch::index::{self, BuildOptions};
use kbsearch::search::layout;
use kbsearch::search::analyse::AnalyzedQuery;
use kbsearch::search::{Engine, SearchRequest};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

const DOCS: &[(&str, &str)] = &[
    (
        "en/access.md",
        "---\ntitle: Access is denied\n---\n# Access is denied\n\n## Error 0x80070005\n\nRun the agent as administrator. Error code: 809.\n\n| Error | Cause | Action |\n|---|---|---|\n| AADSTS50058 | No session | Sign in again |\n",
    ),
    (
        "ru/vpn.md",
        "---\ntitle: Ошибка VPN 809\nlang: ru\n---\n# Ошибка VPN 809\n\n## Подключение не установлено\n\nОткройте порт 500 и проверьте прокси. Ошибка -2147024891.\n",
    ),
    (
        "en/disk.md",
        "# Disk is full\n\nERROR_DISK_FULL appears when the backup volume has no space. UserErrorGuestAgentStatusUnavailable too.\n",
    ),
];

struct Fixture {
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    engine: Engine,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let content = tempfile::tempdir().expect("temp dir");
    for (path, text) in DOCS {
        let file = content.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let index_dir = tempfile::tempdir().expect("temp dir");
    let mut options = BuildOptions::new(content.path(), index_dir.path());
    options.threads = 1;
    index::build(&options, |_| {}).expect("fixture index builds");
    let engine = Engine::open(index_dir.path()).expect("fixture index opens");
    Fixture {
        _dirs: (content, index_dir),
        engine,
    }
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = AnalyzedQuery::new(&text);
    for word in text.split_whitespace() {
        if let Some(direction) = layout::direction(word) {
            let converted = layout::convert(word, direction);
            assert_eq!(converted.chars().count(), word.chars().count());
        }
    }
    // Bytes 0–1 choose the page; the rest is the query.
    let (limit, offset) = match data {
        [a, b, ..] => (usize::from(*a % 100) + 1, usize::from(*b) * 40),
        _ => (10, 0),
    };
    let mut request = SearchRequest::new(text.chars().take(2100).collect::<String>());
    request.limit = limit;
    request.offset = offset;
    match FIXTURE.engine.search(&request) {
        Ok(response) => assert!(response.hits.len() <= limit),
        Err(kbsearch::Error::BadQuery(_)) => {}
        Err(err) => panic!("search failed: {err}"),
    }
});
