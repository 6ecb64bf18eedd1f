//! Real-browser end-to-end test: headless Chromium, driven over WebDriver
//! (chromedriver), against the server running in-process on a free port.
//!
//! Passes with a `SKIPPED:` line when Chromium or chromedriver is missing.
//! Override the binaries with `KBSEARCH_CHROMIUM` / `KBSEARCH_CHROMEDRIVER`;
//! `KBSEARCH_SCREENSHOT=1` also writes `docs/screenshot.png`.

mod common;
#[path = "browser/webdriver.rs"]
mod webdriver;

use kbsearch::http::{router, AppState, HttpConfig};
use kbsearch::search::Engine;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use webdriver::{Driver, Session};

/// Longest wait for any one condition (generous for a loaded 2-core CI box).
const DEADLINE: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(50);
const ARROW_DOWN: &str = "\u{E015}";
const ENTER: &str = "\u{E007}";

/// An article that tries every way of running script in the page.
const HOSTILE: &str = "---\ntitle: Hostile markup sample\n---\n\
# Hostile markup sample\n\nThis page must render inertly.\n\n\
## Zanzibar gadget fails\n\n\
<script>window.__pwned=1</script>\n\n\
<img src=\"x\" onerror=\"window.__pwned=2\">\n\n\
The zanzibar gadget <b onclick=\"window.__pwned=3\">fails loudly</b> with \
[these details](javascript:window.__pwned=4).\n";

/// Chromium and chromedriver, from the environment or the Debian locations.
fn browser_binaries() -> Option<(PathBuf, PathBuf)> {
    let from_env = |var: &str| {
        std::env::var_os(var).map(|p| {
            let p = PathBuf::from(p);
            assert!(p.is_file(), "{var}={} does not exist", p.display());
            p
        })
    };
    let existing = |p: &str| Some(PathBuf::from(p)).filter(|p| p.is_file());
    let chromium = from_env("KBSEARCH_CHROMIUM")
        .or_else(|| existing("/usr/bin/chromium"))
        .or_else(|| existing("/usr/bin/chromium-headless-shell"))?;
    let on_path = || {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|dir| dir.join("chromedriver"))
            .find(|p| p.is_file())
    };
    let chromedriver = from_env("KBSEARCH_CHROMEDRIVER")
        .or_else(|| existing("/usr/bin/chromedriver"))
        .or_else(on_path)?;
    Some((chromium, chromedriver))
}

/// The app on 127.0.0.1:<free port>; stops when dropped (runtime first).
struct Server {
    _runtime: tokio::runtime::Runtime,
    base: String,
    _content: tempfile::TempDir,
    _index: tempfile::TempDir,
}

fn start_server() -> Server {
    let content = tempfile::tempdir().unwrap();
    common::copy_dir(&common::content_dir(), content.path());
    std::fs::write(content.path().join("en/hostile.md"), HOSTILE).unwrap();
    let index = tempfile::tempdir().unwrap();
    common::build(content.path(), index.path());
    let engine = Engine::open(index.path()).expect("index opens");
    let app = router(
        AppState::new(engine, content.path()),
        &HttpConfig::default(),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(async move {
        if let Err(e) = kbsearch::http::serve(listener, app).await {
            eprintln!("server stopped: {e}");
        }
    });
    Server {
        _runtime: runtime,
        base,
        _content: content,
        _index: index,
    }
}

/// Polls `script` until it returns something truthy (not null/false/""/0)
/// and returns that; panics after [`DEADLINE`] with the last value and the page state.
fn wait_for(s: &Session, what: &str, script: &str, args: &[Value]) -> Value {
    let start = Instant::now();
    loop {
        let last = match s.try_exec(script, args) {
            Ok(Value::Null | Value::Bool(false)) => "null/false".to_string(),
            Ok(Value::String(text)) if text.is_empty() => "\"\"".to_string(),
            Ok(Value::Number(n)) if n.as_f64() == Some(0.0) => "0".to_string(),
            Ok(value) => return value,
            Err(e) => e,
        };
        if start.elapsed() > DEADLINE {
            let page = s.try_exec(PAGE_STATE, &[]).unwrap_or_else(Value::String);
            panic!("timed out after {DEADLINE:?} waiting for {what}; last: {last}; page: {page:#}");
        }
        std::thread::sleep(POLL);
    }
}

/// What the page shows, for failure messages.
const PAGE_STATE: &str = "return { url: location.href, active: document.activeElement && document.activeElement.id,
    status: document.getElementById('status').textContent, error: document.getElementById('error').textContent,
    hits: document.querySelectorAll('#results .hit').length, docHidden: document.getElementById('doc').hidden,
    docTitle: document.getElementById('doc-title').textContent };";

/// Truthy once results for exactly `arguments[0]` are rendered and no search is in flight.
const RESULTS_FOR: &str = "const q = arguments[0], r = document.getElementById('results');
    if (r.hasAttribute('aria-busy')) return null;
    if (new URLSearchParams(location.search).get('q') !== q) return null;
    const a = r.querySelector('.hit a.hit-title[href]');
    if (!a || !a.getAttribute('href').includes('q=' + encodeURIComponent(q))) return null;
    const card = document.getElementById('answer-card');
    const link = card && card.querySelector('a.answer-link[href]');
    return { href: a.getAttribute('href'), search: location.search, hits: r.querySelectorAll('.hit').length,
             code: card && card.querySelector('.answer-code').textContent, answerLink: link && link.getAttribute('href') };";

/// [`RESULTS_FOR`] that also requires the answer card.
fn answer_for() -> String {
    format!("const r = (() => {{ {RESULTS_FOR} }})(); return r && r.code ? r : null;")
}

/// Truthy once the document view shows a loaded article.
const DOC_SHOWN: &str = "const body = document.getElementById('doc-body');
    if (document.getElementById('doc').hidden || !body.firstElementChild) return null;
    const id = decodeURIComponent(location.hash.slice(1)), t = id ? document.getElementById(id) : null;
    const root = document.documentElement;
    return { path: location.pathname, search: location.search, hash: location.hash,
             target: !!(t && body.contains(t)), top: t ? t.getBoundingClientRect().top : null,
             atBottom: window.scrollY + window.innerHeight >= root.scrollHeight - 2,
             viewport: window.innerHeight, marks: body.querySelectorAll('mark').length };";

/// Types `query` into a freshly loaded search page and waits for its results.
fn search(s: &Session, base: &str, query: &str) -> Value {
    s.goto(&format!("{base}/"));
    wait_for(s, "#q focused", FOCUSED_Q, &[]);
    s.send_keys(&s.find("#q"), query);
    wait_for(
        s,
        &format!("results for {query:?}"),
        RESULTS_FOR,
        &[json!(query)],
    )
}

/// Truthy once the product facets for exactly `arguments[0]` are rendered with its results.
const FACETS: &str = "const r = document.getElementById('results'), f = document.getElementById('facets');
    if (r.hasAttribute('aria-busy') || f.hidden) return null;
    if (new URLSearchParams(location.search).get('q') !== arguments[0]) return null;
    const facets = Array.from(f.querySelectorAll('.facet'));
    if (!facets.length) return null;
    return { hrefs: Array.from(r.querySelectorAll('.hit a.hit-title'), (a) => a.getAttribute('href').split('?')[0]),
             products: facets.map((b) => b.dataset.product + ':' + b.querySelector('.count').textContent),
             pressed: facets.filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.product),
             langCounts: Array.from(document.querySelectorAll('.filters .seg .count'))
               .filter((c) => !c.hidden && /^[0-9]+$/.test(c.textContent)).map((c) => c.textContent) };";

/// Truthy once the document view shows the article at path `arguments[0]`.
const DOC_AT: &str = "const body = document.getElementById('doc-body');
    if (location.pathname !== arguments[0] || document.getElementById('doc').hidden || !body.firstElementChild) return null;
    const id = decodeURIComponent(location.hash.slice(1)), t = id ? document.getElementById(id) : null;
    const note = body.querySelector('blockquote.markdown-alert-note');
    const other = document.getElementById('other-language'), badge = document.querySelector('#doc-meta .badge-product');
    return { path: location.pathname, search: location.search, hash: location.hash,
             target: !!(t && body.contains(t)), top: t ? t.getBoundingClientRect().top : null,
             atBottom: window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2,
             note: note && getComputedStyle(note, '::before').content,
             cyrillic: /[а-яё]/i.test(body.textContent), product: badge && badge.textContent,
             other: other.hidden ? null : other.textContent, otherHref: other.hidden ? null : other.getAttribute('href'),
             sameApp: window.__sameApp === true };";

const FOCUSED_Q: &str = "return document.readyState === 'complete' && document.activeElement \
    && document.activeElement.id === 'q';";

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

/// The server's own answer to `GET <path>`, fetched from inside the page.
fn api_get(s: &Session, path: &str) -> Value {
    s.exec(
        "window.__api = null;
         fetch(arguments[0]).then((r) => r.json()).then((d) => { window.__api = d; });",
        &[json!(path)],
    );
    wait_for(s, &format!("GET {path}"), "return window.__api;", &[])
}

/// `GET /api/search?q=<q>` as the page sends it (no filters).
fn api_search(s: &Session, q: &str) -> Value {
    let mut url = String::from("/api/search?q=");
    for b in q.bytes() {
        if b.is_ascii_alphanumeric() {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    api_get(s, &url)
}

/// The Russian noun for `n` things (CLDR: one, few, many).
fn ru_plural<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match (n % 10, n % 100) {
        (1, m) if m != 11 => one,
        (2..=4, m) if !(12..=14).contains(&m) => few,
        _ => many,
    }
}

/// Words in `text`, lowercased (letters, digits and `_`, as the page splits them).
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn search_page_in_a_real_browser() {
    let Some((chromium, chromedriver)) = browser_binaries() else {
        println!("SKIPPED: browser test needs chromium and chromedriver (apt-get install chromium chromium-driver)");
        return;
    };
    let started = Instant::now();
    let server = start_server();
    let base = server.base.clone();
    // Declared before the driver so the profile is removed after the browser exits.
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver::start(&chromedriver, DEADLINE);
    let s = Session::new(
        &driver,
        json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": { "implicit": 0, "pageLoad": 15000, "script": 15000 },
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1200,900",
                    "--lang=en-US", format!("--user-data-dir={}", profile.path().display()),
                ],
            },
        }),
    );

    // 1. The search box has the focus on load.
    s.goto(&format!("{base}/"));
    wait_for(&s, "#q focused on load", FOCUSED_Q, &[]);
    assert_eq!(
        s.attribute(&s.find("#q"), "autofocus").as_deref(),
        Some("true")
    );
    // The server's query limit (MAX_QUERY_CHARS) is the input's limit.
    assert_eq!(
        s.attribute(&s.find("#q"), "maxlength").as_deref(),
        Some(kbsearch::search::MAX_QUERY_CHARS.to_string().as_str())
    );
    assert_eq!(s.property(&s.find("#q"), "maxLength"), 2000);
    // The app is ES modules from this server, and nothing else is requested.
    let loaded = s.exec(
        "return performance.getEntriesByType('resource').map((e) => e.name);",
        &[],
    );
    let loaded: Vec<&str> = loaded
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for module in ["app", "api", "doc", "dom", "i18n", "render", "router"] {
        let url = format!("{base}/static/{module}.js");
        assert!(
            loaded.contains(&url.as_str()),
            "{url} not loaded: {loaded:?}"
        );
    }
    for url in &loaded {
        assert!(url.starts_with(&base), "request to another origin: {url}");
    }

    // 2. A Russian symptom in the user's own words finds the TLS article.
    let q = "истек срок сертификата сайта";
    let q_box = s.find("#q");
    s.send_keys(&q_box, q);
    let results = wait_for(&s, "results for the symptom", RESULTS_FOR, &[json!(q)]);
    let href = str_of(&results, "href");
    assert!(
        href.starts_with("/doc/ru/tls/certificate-errors.md?q="),
        "first hit for {q:?} is {href}"
    );
    assert!(str_of(&results, "search").starts_with("?q="), "{results}");
    assert!(s.current_url().contains("?q="));
    let title = s.text(&s.find("#results .hit a.hit-title"));
    assert!(title.contains("сертификат"), "first hit title {title:?}");

    // 3. An error code shows the answer card, linking to a section.
    s.clear(&q_box);
    s.send_keys(&q_box, "0x80070005");
    let code = wait_for(&s, "answer card", &answer_for(), &[json!("0x80070005")]);
    assert!(str_of(&code, "code").contains("0x80070005"), "{code}");
    let answer_link = str_of(&code, "answerLink");
    assert!(
        answer_link.starts_with("/doc/") && answer_link.contains('#'),
        "answer card link {answer_link:?}"
    );
    assert_eq!(s.find_all("#answer-card").len(), 1);

    // 4. Opening a result scrolls to the section and highlights the terms.
    let first = s.find("#results .hit a.hit-title");
    let expected = s.property(&first, "href");
    let expected = expected.as_str().unwrap_or_default().to_string();
    s.click(&first);
    let doc = wait_for(&s, "document view after a click", DOC_SHOWN, &[]);
    assert!(str_of(&doc, "path").starts_with("/doc/"), "{doc}");
    let hash = str_of(&doc, "hash");
    assert!(hash.len() > 1, "no section in the URL: {doc}");
    assert!(
        expected.ends_with(hash),
        "opened {doc}, expected {expected}"
    );
    assert_eq!(doc["target"], true, "section {hash} not in the page: {doc}");
    assert!(doc["marks"].as_u64().unwrap_or(0) > 0, "no <mark>: {doc}");
    let top = doc["top"].as_f64().unwrap_or(f64::NAN);
    // Near the top, unless the section is so close to the end that the page cannot scroll further.
    let reachable = (-5.0..=300.0).contains(&top) || (doc["atBottom"] == true && top >= 0.0);
    assert!(reachable, "section {hash} not scrolled into view: {doc}");
    // Back returns to the rendered results of the same query.
    s.exec("history.back();", &[]);
    let back = wait_for(
        &s,
        "results after Back",
        RESULTS_FOR,
        &[json!("0x80070005")],
    );
    assert!(
        !str_of(&back, "code").is_empty(),
        "answer card gone after Back: {back}"
    );
    assert_eq!(
        s.exec("return document.getElementById('doc').hidden;", &[]),
        true
    );

    // 5. Hostile markup stays inert in the results and in the document.
    let hostile = search(&s, &base, "zanzibar gadget");
    assert!(
        str_of(&hostile, "href").starts_with("/doc/en/hostile.md?"),
        "{hostile}"
    );
    assert_inert(&s, "results");
    s.click(&s.find("#results .hit a.hit-title"));
    let doc = wait_for(&s, "hostile document", DOC_SHOWN, &[]);
    assert_eq!(str_of(&doc, "path"), "/doc/en/hostile.md", "{doc}");
    assert_eq!(doc["target"], true, "{doc}");
    assert_inert(&s, "doc-body");
    for css in ["#doc-body b", "#doc-body a"] {
        for el in s.find_all(css) {
            s.click(&el);
        }
    }
    assert!(
        s.find_all("#doc-body b").len() == 1,
        "the bold text is kept"
    );
    // Click handlers run during the click command, so this sees their effect.
    let pwned = s.exec("return String(window.__pwned);", &[]);
    assert_eq!(pwned, "undefined", "a script from the article ran");
    let url = s.current_url();
    assert!(url.starts_with(&base), "a link left the site: {url}");

    // 6. Keyboard: ArrowDown selects the first hit, Enter opens it.
    let q = "vpn 809";
    let results = search(&s, &base, q);
    let q_box = s.find("#q");
    s.send_keys(&q_box, ARROW_DOWN);
    wait_for(
        &s,
        "first hit selected",
        "const h = document.getElementById('hit-0'); \
         return h.classList.contains('active') && h.getAttribute('aria-selected') === 'true';",
        &[],
    );
    s.send_keys(&q_box, ENTER);
    let doc = wait_for(&s, "document opened with Enter", DOC_SHOWN, &[]);
    let opened = format!(
        "{}{}{}",
        str_of(&doc, "path"),
        str_of(&doc, "search"),
        str_of(&doc, "hash")
    );
    assert!(opened.starts_with("/doc/"), "{doc}");
    assert_eq!(opened, str_of(&results, "href"), "Enter opened another hit");

    // 7. A query typed in the wrong keyboard layout is corrected by the server,
    //    and the original can still be searched as typed (`layout=false`).
    let q = "cthnbabrfn bcn`r"; // "сертификат истёк" typed with the English layout
    let results = search(&s, &base, q);
    let href = str_of(&results, "href");
    assert!(
        href.starts_with("/doc/") && href.contains("/tls/certificate-errors.md?q="),
        "first hit for {q:?} is {href}"
    );
    let corrected = wait_for(
        &s,
        "#corrected",
        "const c = document.getElementById('corrected'); return c && c.textContent;",
        &[],
    );
    let corrected = corrected.as_str().unwrap_or_default();
    assert!(
        corrected.contains("сертификат"),
        "#corrected: {corrected:?}"
    );
    // The text shown is the server's `corrected`, not a guess made in the page.
    let server = api_search(&s, q);
    let server_corrected = str_of(&server, "corrected");
    assert!(
        !server_corrected.is_empty(),
        "no `corrected` from the server: {server}"
    );
    assert_eq!(
        s.text(&s.find("#corrected .notice-query")),
        server_corrected,
        "{server}"
    );
    s.click(&s.find("#corrected a"));
    let original = wait_for(
        &s,
        "search for the original query",
        "const p = new URLSearchParams(location.search);
         if (p.get('layout') !== 'false' || document.getElementById('results').hasAttribute('aria-busy')) return null;
         return { q: p.get('q'), corrected: !!document.getElementById('corrected'),
                  value: document.getElementById('q').value };",
        &[],
    );
    assert_eq!(original["q"], q, "{original}");
    assert_eq!(original["value"], q, "{original}");
    assert_eq!(original["corrected"], false, "{original}");
    // Typing a new query drops `layout=false` again.
    let q_box = s.find("#q");
    s.clear(&q_box);
    s.send_keys(&q_box, "сертификат");
    let retyped = wait_for(
        &s,
        "results after retyping",
        RESULTS_FOR,
        &[json!("сертификат")],
    );
    assert!(!str_of(&retyped, "search").contains("layout="), "{retyped}");

    // 8. A misspelt query gets a "did you mean" that searches the suggestion.
    let q = "certifcate expird";
    s.clear(&q_box);
    s.send_keys(&q_box, q);
    let dym = wait_for(
        &s,
        "#did-you-mean",
        "const d = document.getElementById('did-you-mean');
         return new URLSearchParams(location.search).get('q') === arguments[0] && d && d.textContent;",
        &[json!(q)],
    );
    let dym = dym.as_str().unwrap_or_default();
    assert!(
        dym.contains("certificate expired"),
        "#did-you-mean: {dym:?}"
    );
    let server = api_search(&s, q);
    assert_eq!(
        s.text(&s.find("#did-you-mean button")),
        str_of(&server, "did_you_mean"),
        "{server}"
    );
    assert!(
        dym.starts_with("Did you mean «") && dym.ends_with("»?"),
        "#did-you-mean: {dym:?}"
    );
    s.click(&s.find("#did-you-mean button"));
    let fixed = "certificate expired";
    wait_for(
        &s,
        "results for the suggestion",
        RESULTS_FOR,
        &[json!(fixed)],
    );
    assert_eq!(s.property(&s.find("#q"), "value"), fixed);

    // 9. Counted nouns follow Intl.PluralRules: the Russian interface says
    //    «1 раздел», «2 раздела», «5 разделов».
    let counts = [0u64, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 1004];
    s.exec(
        "const counts = arguments[0]; window.__plurals = null;
         import('/static/i18n.js').then((m) => { window.__plurals = counts.map((n) =>
           m.plural('ru', n, { one: 'раздел', few: 'раздела', many: 'разделов' }) + '/' +
           m.plural('en', n, { one: 'section', other: 'sections' })); });",
        &[json!(counts)],
    );
    let forms = wait_for(&s, "plural forms", "return window.__plurals;", &[]);
    let expected: Vec<String> = counts
        .iter()
        .map(|&n| {
            let en = if n == 1 { "section" } else { "sections" };
            format!("{}/{en}", ru_plural(n, "раздел", "раздела", "разделов"))
        })
        .collect();
    assert_eq!(forms, json!(expected));
    let total = api_search(&s, fixed)["total"].as_u64().unwrap_or(0);
    let stats = api_get(&s, "/api/stats");
    let [docs, sections, codes] =
        ["documents", "sections", "codes"].map(|k| stats[k].as_u64().unwrap_or(0));
    s.click(&s.find("#ui-lang"));
    let ru = wait_for(
        &s,
        "the Russian interface",
        "const status = document.getElementById('status').textContent;
         return document.documentElement.lang === 'ru' && status.includes(' мс')
           && { status, stats: document.getElementById('stats').textContent };",
        &[],
    );
    let status = format!(
        "{total} {} · ",
        ru_plural(total, "результат", "результата", "результатов")
    );
    assert!(
        str_of(&ru, "status").starts_with(&status),
        "{ru}, expected {status:?}"
    );
    let footer = format!(
        "{docs} {} · {sections} {} · {codes} {}",
        ru_plural(docs, "документ", "документа", "документов"),
        ru_plural(sections, "раздел", "раздела", "разделов"),
        ru_plural(codes, "код", "кода", "кодов")
    );
    assert_eq!(str_of(&ru, "stats"), footer, "{ru}");
    s.click(&s.find("#ui-lang"));
    let en = wait_for(
        &s,
        "the English interface again",
        "const status = document.getElementById('status').textContent;
         return document.documentElement.lang === 'en' && status.includes(' ms') && status;",
        &[],
    );
    let noun = if total == 1 { "result" } else { "results" };
    assert!(
        en.as_str()
            .unwrap_or_default()
            .starts_with(&format!("{total} {noun} · ")),
        "{en}"
    );

    // 10. The document view highlights the query's own words and the words
    //     the server marked in its snippets, and nothing else; a shared link
    //     to the section highlights the same.
    let q = "истек срок сертификата сайта";
    search(&s, &base, q);
    let snippet_marks = s.exec(
        "return Array.from(document.querySelectorAll('#results .snippet mark'), (m) => m.textContent);",
        &[],
    );
    let mut allowed = words(q);
    for m in snippet_marks.as_array().into_iter().flatten() {
        allowed.extend(words(m.as_str().unwrap_or_default()));
    }
    const DOC_MARKS: &str =
        "return Array.from(document.querySelectorAll('#doc-body mark'), (m) => m.textContent);";
    s.click(&s.find("#results .hit a.hit-title"));
    let doc = wait_for(&s, "document for the symptom", DOC_SHOWN, &[]);
    let marks = s.exec(DOC_MARKS, &[]);
    let list = marks.as_array().cloned().unwrap_or_default();
    assert!(!list.is_empty(), "no <mark> in {doc}");
    for m in &list {
        let m = m.as_str().unwrap_or_default().to_lowercase();
        assert!(
            allowed.contains(&m),
            "{m:?} is highlighted but is neither a query word nor marked by the server ({allowed:?})"
        );
    }
    let shared = format!(
        "{base}{}{}{}",
        str_of(&doc, "path"),
        str_of(&doc, "search"),
        str_of(&doc, "hash")
    );
    s.goto(&shared);
    wait_for(&s, "shared document link", DOC_SHOWN, &[]);
    let mut again = s
        .exec(DOC_MARKS, &[])
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut first = list.clone();
    let key = |v: &Value| v.as_str().unwrap_or_default().to_string();
    first.sort_by_key(key);
    again.sort_by_key(key);
    assert_eq!(again, first, "a shared link highlights other words");
    let q_box = s.find("#q");

    // 11. An unknown error code offers the nearest known codes as chips.
    s.clear(&q_box);
    s.send_keys(&q_box, "0x80070006");
    let unknown = wait_for(
        &s,
        "#unknown-code",
        "const u = document.getElementById('unknown-code');
         if (!u || u.hidden || !u.getClientRects().length) return null;
         return { text: u.textContent, chips: Array.from(u.querySelectorAll('.code-chip'), (c) => c.textContent),
                  noResults: !!document.getElementById('no-results') };",
        &[],
    );
    assert!(str_of(&unknown, "text").contains("0x80070006"), "{unknown}");
    assert_eq!(unknown["noResults"], false, "{unknown}");
    let chips = unknown["chips"].as_array().cloned().unwrap_or_default();
    assert!(chips.contains(&json!("0x80070005")), "{unknown}");
    let chip = s
        .find_all("#unknown-code .code-chip")
        .into_iter()
        .find(|c| s.text(c) == "0x80070005")
        .expect("chip for 0x80070005");
    s.click(&chip);
    let code = wait_for(
        &s,
        "answer card from a chip",
        &answer_for(),
        &[json!("0x80070005")],
    );
    assert!(str_of(&code, "code").contains("0x80070005"), "{code}");
    assert!(s.find_all("#unknown-code").is_empty());

    // 12. Product facets: clicking one filters the results and goes into the
    //     URL; Back restores the unfiltered results.
    let q = "error";
    search(&s, &base, q);
    let facets = wait_for(&s, "#facets .facet", FACETS, &[json!(q)]);
    let unfiltered = facets["hrefs"].clone();
    assert!(
        facets["langCounts"]
            .as_array()
            .is_some_and(|c| c.len() == 3),
        "no counts next to the language buttons: {facets}"
    );
    if s.find_all("#facets .facet[data-product='vpn']").is_empty() {
        s.click(&s.find("#facets .facet-more"));
    }
    let vpn = s.find("#facets .facet[data-product='vpn']");
    assert_eq!(s.attribute(&vpn, "aria-pressed").as_deref(), Some("false"));
    s.click(&vpn);
    let filtered = wait_for(
        &s,
        "results filtered to vpn",
        &format!(
            "const p = new URLSearchParams(location.search);
             if (p.get('product') !== 'vpn') return null;
             const f = (() => {{ {FACETS} }})();
             return f && f.pressed.join() === 'vpn' ? f : null;"
        ),
        &[json!(q)],
    );
    let hrefs = filtered["hrefs"].as_array().cloned().unwrap_or_default();
    assert!(!hrefs.is_empty(), "no results for vpn: {filtered}");
    for href in &hrefs {
        let href = href.as_str().unwrap_or_default();
        assert!(href.contains("/vpn/"), "{href} is not a vpn article");
    }
    assert!(
        s.current_url().contains("product=vpn"),
        "{}",
        s.current_url()
    );
    s.exec("history.back();", &[]);
    let back = wait_for(
        &s,
        "unfiltered results after Back",
        &format!(
            "if (new URLSearchParams(location.search).has('product')) return null;
             const f = (() => {{ {FACETS} }})();
             return f && f.pressed.length === 0 ? f : null;"
        ),
        &[json!(q)],
    );
    assert_eq!(
        back["hrefs"], unfiltered,
        "Back did not restore the results"
    );
    assert!(
        unfiltered.as_array().is_some_and(|h| h
            .iter()
            .any(|h| !h.as_str().unwrap_or("").contains("/vpn/"))),
        "the unfiltered results are all vpn: {unfiltered}"
    );
    // On a phone the facets wrap instead of widening the page, even all shown.
    s.set_window_size(390, 844);
    // Found and clicked in one script: the facets may be drawn again
    // between a WebDriver find and its click (a stale element).
    wait_for(
        &s,
        "phone width",
        "const more = document.querySelector('#facets .facet-more');
         if (window.innerWidth > 480 || !more) return null;
         more.click();
         return true;",
        &[],
    );
    let fit = wait_for(
        &s,
        "phone-width layout",
        "if (window.innerWidth > 480) return null;
         const root = document.documentElement, f = document.getElementById('facets').getBoundingClientRect();
         return { fits: root.scrollWidth <= window.innerWidth && f.right <= window.innerWidth,
                  width: window.innerWidth, scrollWidth: root.scrollWidth, facetsRight: f.right };",
        &[],
    );
    assert_eq!(fit["fits"], true, "horizontal scroll on a phone: {fit}");
    s.set_window_size(1200, 900);

    // 13. Callouts, the product badge and the other-language link (keeping `?q=`).
    let doc_path = "/doc/en/storage/disk-full.md";
    s.goto(&format!("{base}{doc_path}?q=disk"));
    let doc = wait_for(&s, "disk-full article", DOC_AT, &[json!(doc_path)]);
    assert_eq!(doc["product"], "storage", "{doc}");
    assert_eq!(doc["note"], "\"Note\"", "callout label: {doc}");
    assert_eq!(doc["other"], "Русская версия", "{doc}");
    assert_eq!(
        doc["otherHref"], "/doc/ru/storage/disk-full.md?q=disk",
        "{doc}"
    );
    s.click(&s.find("#other-language"));
    let ru_path = "/doc/ru/storage/disk-full.md";
    let ru = wait_for(&s, "Russian version", DOC_AT, &[json!(ru_path)]);
    assert_eq!(ru["search"], "?q=disk", "{ru}");
    assert_eq!(ru["cyrillic"], true, "no Cyrillic text: {ru}");
    assert_eq!(ru["note"], "\"Примечание\"", "callout label: {ru}");
    assert_eq!(ru["other"], "English version", "{ru}");

    // 14. A link between articles opens the other article at its section, in the app.
    s.exec("history.back();", &[]);
    wait_for(&s, "disk-full after Back", DOC_AT, &[json!(doc_path)]);
    s.exec("window.__sameApp = true;", &[]);
    let link = s.find("#doc-body a[href^='/doc/en/backup/backup-agent-errors.md#']");
    let href = s.attribute(&link, "href").unwrap_or_default();
    s.click(&link);
    let target_path = "/doc/en/backup/backup-agent-errors.md";
    let doc = wait_for(&s, "linked article", DOC_AT, &[json!(target_path)]);
    assert_eq!(
        format!("{target_path}{}", str_of(&doc, "hash")),
        href,
        "{doc}"
    );
    assert_eq!(doc["hash"], "#cache-folder-is-out-of-space", "{doc}");
    assert_eq!(doc["target"], true, "section not in the page: {doc}");
    let top = doc["top"].as_f64().unwrap_or(f64::NAN);
    let reachable = (-5.0..=300.0).contains(&top) || (doc["atBottom"] == true && top >= 0.0);
    assert!(reachable, "section not scrolled into view: {doc}");
    assert_eq!(doc["sameApp"], true, "the link reloaded the page: {doc}");

    // 14b. The answer card shows a record's steps as list items, and its
    // "Copy answer" button copies message, causes and actions as plain text.
    let query = "error 1053";
    search(&s, &base, query);
    wait_for(&s, "answer card", &answer_for(), &[json!(query)]);
    let api = api_get(&s, "/api/search?q=error%201053&html=true");
    let record = &api["answer"]["sections"][0]["records"][0];
    let actions = str_of(record, "actions");
    let steps = actions.lines().filter(|l| l.starts_with("- ")).count();
    assert!(steps >= 2, "the record of {query:?} has no list: {record}");
    let card = wait_for(
        &s,
        "answer card with list items",
        "const card = document.getElementById('answer-card');
         const items = card ? card.querySelectorAll('.answer-actions li') : [];
         return items.length ? { items: items.length, bold: card.querySelectorAll('.answer-record strong').length,
                                 code: card.querySelectorAll('.answer-actions code').length } : null;",
        &[],
    );
    assert_eq!(
        card["items"],
        json!(steps),
        "one list item per step: {card}"
    );
    assert_inert(&s, "answer-card");
    let button = s.find("#answer-card button.copy-answer");
    let copy_text = s.attribute(&button, "data-copy-text").unwrap_or_default();
    for line in actions.lines() {
        let plain = line.replace("**", "").replace('`', "");
        assert!(
            copy_text.contains(&plain),
            "{plain:?} not in the copied answer:\n{copy_text}"
        );
    }
    assert!(copy_text.contains(str_of(record, "message")), "{copy_text}");
    assert!(
        !copy_text.contains("**") && !copy_text.contains('`'),
        "{copy_text}"
    );
    s.click(&button);
    wait_for(
        &s,
        "the copy button to report success",
        "const b = document.querySelector('#answer-card button.copy-answer');
         return b && b.classList.contains('done');",
        &[],
    );

    // 15. On request, a screenshot of facets, an answer card and results for the README.
    if std::env::var("KBSEARCH_SCREENSHOT").as_deref() == Ok("1") {
        let query = "ошибка 809";
        // Tall enough for the facets, the answer card and the first results.
        s.set_window_size(1200, 1150);
        search(&s, &base, query);
        wait_for(&s, "answer card", &answer_for(), &[json!(query)]);
        let png = s.screenshot();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshot.png");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, png).unwrap();
        println!("wrote {}", path.display());
    }

    drop(s);
    drop(driver);
    drop(server);
    println!("browser test took {:.1} s", started.elapsed().as_secs_f64());
}

/// No script, inline handler or `javascript:` link inside `#<root>`, and the
/// only script in the page is the app's own.
fn assert_inert(s: &Session, root: &str) {
    let found = s.exec(
        "const root = document.getElementById(arguments[0]);
         const bad = Array.from(root.querySelectorAll('script, iframe, object, embed, [href^=\"javascript:\" i], [src^=\"javascript:\" i]'))
           .concat(Array.from(root.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name))));
         const scripts = Array.from(document.scripts).map((e) => e.getAttribute('src'));
         return { bad: bad.map((e) => e.outerHTML), scripts, pwned: String(window.__pwned) };",
        &[json!(root)],
    );
    assert_eq!(found["bad"], json!([]), "active markup in #{root}: {found}");
    assert_eq!(found["scripts"], json!(["/static/app.js"]), "{found}");
    assert_eq!(found["pwned"], "undefined", "{found}");
}
