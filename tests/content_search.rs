//! Indexes the sample knowledge base in `content/` and checks the top hit
//! for symptom queries in both languages and for codes in several spellings.

mod common;

use kbsearch::search::{Engine, SearchRequest};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<(tempfile::TempDir, Engine)> = OnceLock::new();
    &ENGINE
        .get_or_init(|| {
            let index = tempfile::tempdir().unwrap();
            let (report, skipped) = common::build(&common::content_dir(), index.path());
            assert!(skipped.is_empty(), "{skipped:?}");
            assert!(report.manifest.documents >= 28);
            let engine = Engine::open(index.path()).unwrap();
            (index, engine)
        })
        .1
}

/// Asserts that the first hit is in `file` (any language) at one of `anchors`.
fn assert_top_any(query: &str, file: &str, anchors: &[&str]) {
    let top = common::top(engine(), query, 3);
    let first = top
        .first()
        .unwrap_or_else(|| panic!("no hits for {query:?}"));
    let (path, got_anchor) = first.split_once('#').unwrap();
    assert!(
        path.ends_with(file) && anchors.contains(&got_anchor),
        "{query:?}: expected {file}#{anchors:?}, got {top:?}"
    );
}

/// Asserts that the first hit is in `file` (any language) at `anchor`.
fn assert_top(query: &str, file: &str, anchor: &str) {
    assert_top_any(query, file, &[anchor]);
}

#[test]
fn russian_symptoms() {
    assert_top(
        "не удаётся подключиться к VPN, сервер не отвечает",
        "vpn/vpn-error-809.md",
        "error-809-the-remote-server-is-not-responding",
    );
    assert_top(
        "сертификат истёк",
        "tls/certificate-errors.md",
        "certificate-has-expired",
    );
    // The error's own section or the symptoms of the same problem (whose
    // table carries the error): the two score within a percent, and
    // counterpart evidence from the English article decides between them.
    assert_top_any(
        "windows при записи файла пишет что места на диске не хватает",
        "storage/disk-full.md",
        &[
            "error-0x80070070-there-is-not-enough-space-on-the-disk",
            "symptoms-of-a-full-disk",
        ],
    );
    assert_top(
        "служба не успела ответить на запрос запуска",
        "services/service-start-failures.md",
        "error-1053-the-service-did-not-respond-in-a-timely-fashion",
    );
    assert_top(
        "прокси требует авторизацию 407",
        "proxy/http-407-403-503-behind-proxy.md",
        "http-407-proxy-authentication-required",
    );
}

#[test]
fn english_symptoms() {
    assert_top(
        "vpn connection fails remote server not responding",
        "vpn/vpn-error-809.md",
        "error-809-the-remote-server-is-not-responding",
    );
    assert_top(
        "root certificate is not trusted",
        "tls/certificate-errors.md",
        "untrusted-root-certificate",
    );
    assert_top(
        "no space left on device linux",
        "storage/disk-full.md",
        "no-space-left-on-device-on-linux",
    );
    assert_top(
        "postgres too many clients",
        "database/connection-limits.md",
        "postgresql-sorry-too-many-clients-already",
    );
    assert_top(
        "container keeps restarting crash loop",
        "kubernetes/pod-crashloopbackoff.md",
        "crashloopbackoff-the-container-keeps-restarting",
    );
}

#[test]
fn codes_in_many_spellings() {
    let access = (
        "windows/access-denied-0x80070005.md",
        "error-0x80070005-access-is-denied",
    );
    assert_top("0x80070005", access.0, access.1);
    assert_top("0X80070005", access.0, access.1);
    assert_top("-2147024891", access.0, access.1);
    assert_top("Hr: = [0x80070005]", access.0, access.1);
    assert_top(
        "ID: 100050",
        "backup/backup-agent-errors.md",
        "agent-cannot-connect-to-the-contoso-backup-service",
    );
    assert_top(
        "(ИДЕНТИФИКАТОР: 34513)",
        "backup/backup-agent-errors.md",
        "vault-credentials-are-not-valid",
    );
    assert_top(
        "aadsts50058",
        "identity/sign-in-errors.md",
        "aadsts50058-no-signed-in-user-session",
    );
    assert_top(
        "Ошибка 34506",
        "backup/backup-agent-errors.md",
        "encryption-passphrase-does-not-match",
    );
}

#[test]
fn language_filter_and_paging() {
    let mut request = SearchRequest::new("сертификат");
    request.lang = Some(kbsearch::model::Lang::En);
    let hits = engine().search(&request).unwrap().hits.clone();
    assert!(hits.iter().all(|h| h.lang == kbsearch::model::Lang::En));

    let mut first = SearchRequest::new("error");
    first.limit = 4;
    let page1 = engine().search(&first).unwrap();
    first.offset = 2;
    let page2 = engine().search(&first).unwrap();
    assert!(page1.total >= 6);
    assert_eq!(page1.hits[2].path, page2.hits[0].path);
    assert_eq!(page1.hits[2].anchor, page2.hits[0].anchor);
}

#[test]
fn troubleshooting_records_reach_hits() {
    let hits = engine()
        .search(&SearchRequest::new("0x80070005"))
        .unwrap()
        .hits
        .clone();
    let records = &hits[0].records;
    assert!(!records.is_empty());
    assert!(records
        .iter()
        .any(|r| r.codes.contains(&"0x80070005".to_string())));
    assert!(records.iter().all(|r| !r.actions.is_empty()));
}

fn first(request: &SearchRequest) -> (String, Option<String>) {
    let response = engine().search(request).unwrap();
    let top = response
        .hits
        .first()
        .map(|h| format!("{}#{}", h.path, h.anchor))
        .unwrap_or_default();
    (top, response.corrected.clone())
}

#[test]
fn wrong_keyboard_layout_is_corrected() {
    // «сертификат истёк» typed with the English layout active.
    let (top, corrected) = first(&SearchRequest::new("cthnbabrfn bcn`r"));
    assert_eq!(corrected.as_deref(), Some("сертификат истёк"));
    assert!(
        top.ends_with("tls/certificate-errors.md#certificate-has-expired"),
        "{top}"
    );

    let mut off = SearchRequest::new("cthnbabrfn bcn`r");
    off.options.layout = false;
    let (top, corrected) = first(&off);
    assert!(corrected.is_none());
    assert!(!top.ends_with("#certificate-has-expired"), "{top}");
}

#[test]
fn typos_are_matched_fuzzily_and_only_when_enabled() {
    let (top, _) = first(&SearchRequest::new("сертификта истек"));
    assert!(
        top.ends_with("tls/certificate-errors.md#certificate-has-expired"),
        "{top}"
    );
    let (top, _) = first(&SearchRequest::new("certifcate expird"));
    assert!(
        top.ends_with("tls/certificate-errors.md#certificate-has-expired"),
        "{top}"
    );

    let mut off = SearchRequest::new("certifcate expird");
    off.options.fuzzy = false;
    assert!(engine().search(&off).unwrap().hits.is_empty());
}

#[test]
fn synonyms_bring_slang_to_the_documentation_wording() {
    // The Russian article says «резервное копирование»; the glossary maps «бэкап» to it.
    let mut request = SearchRequest::new("бэкап");
    request.lang = Some(kbsearch::model::Lang::Ru);
    let hits = engine().search(&request).unwrap().hits.clone();
    assert!(!hits.is_empty());
    assert!(hits[0].path.starts_with("ru/"), "{:?}", hits[0]);

    // Without the glossary the word is still read in Latin («backup»), which
    // the Russian articles do not use; without both, nothing is found.
    request.options.synonyms = false;
    let read = engine().search(&request).unwrap();
    assert_eq!(read.transliterated[0].reading, "backup");
    request.options.translit = false;
    assert!(engine().search(&request).unwrap().hits.is_empty());
}

#[test]
fn explain_describes_the_score() {
    let mut request = SearchRequest::new("vpn 809");
    request.explain = true;
    let hits = engine().search(&request).unwrap().hits.clone();
    let explanation = hits[0].explanation.as_ref().expect("explanation");
    assert!(explanation.to_string().contains("value"), "{explanation}");
}

#[test]
fn did_you_mean_offers_the_vocabulary_spelling() {
    let response = engine()
        .search(&SearchRequest::new("certifcate expird"))
        .unwrap();
    assert_eq!(
        response.did_you_mean.as_deref(),
        Some("certificate expired")
    );
    let response = engine()
        .search(&SearchRequest::new("certificate expired"))
        .unwrap();
    assert!(response.did_you_mean.is_none());
}

/// A query that is only a known code matches the sections carrying it, not
/// every section that uses one of the words the code is made of.
#[test]
fn a_known_symbolic_code_alone_matches_only_its_carriers() {
    let code_only = engine()
        .search(&SearchRequest::new("ERROR_DISK_FULL"))
        .unwrap();
    assert!(!code_only.hits.is_empty());
    assert!(
        code_only
            .hits
            .iter()
            .all(|h| h.codes.iter().any(|c| c == "error_disk_full")),
        "{:?}",
        code_only.hits
    );
    let words = engine()
        .search(&SearchRequest::new("error disk full"))
        .unwrap();
    assert!(
        code_only.total < words.total,
        "code {} vs words {}",
        code_only.total,
        words.total
    );
    // An unknown CamelCase name is still searched as its words.
    let unknown = engine()
        .search(&SearchRequest::new("ProxyCertificateExpired"))
        .unwrap();
    assert!(unknown.unknown_code.is_none(), "{:?}", unknown.unknown_code);
    assert!(!unknown.hits.is_empty());
}

/// Search ranks by the term clauses, adds the phrase bonuses to a pool of
/// candidates and counts with a cheaper query. Over every matching section,
/// that must give each section the score of the whole query, and count the
/// same sections.
#[test]
fn staged_scoring_and_counting_equal_the_whole_query() {
    use kbsearch::search::analyse::{AnalyzedQuery, QueryOptions};
    use kbsearch::search::plan::{self, Filters};
    use kbsearch::search::proximity;
    use kbsearch::synonyms::Synonyms;
    use std::collections::BTreeMap;
    use tantivy::collector::{Count, TopDocs};

    let engine = engine();
    let searcher = engine.searcher();
    let fields = engine.fields();
    let synonyms = Synonyms::load(&common::content_dir()).expect("content/synonyms.toml");
    let everything = TopDocs::with_limit(100_000);
    let mut phrase_bonus_seen = false;
    for &text in common::MIXED_QUERIES {
        let analyzed =
            AnalyzedQuery::prepare(text, &searcher, fields, &synonyms, &QueryOptions::default());
        for filters in [
            Filters::default(),
            Filters {
                lang: Some(kbsearch::model::Lang::Ru),
                products: Vec::new(),
            },
        ] {
            let whole = searcher
                .search(&*plan::build(&analyzed, fields, &filters), &everything)
                .unwrap();
            let mut staged = searcher
                .search(
                    &*plan::build_terms(&analyzed, fields, &filters),
                    &everything,
                )
                .unwrap();
            let terms_only: BTreeMap<_, _> = staged.iter().map(|(s, a)| (*a, *s)).collect();
            proximity::add_scores(
                &searcher,
                &plan::phrase_clauses(&analyzed, fields),
                &mut staged,
            )
            .unwrap();
            assert!(!whole.is_empty(), "{text:?} matches nothing");
            assert_eq!(whole.len(), staged.len(), "{text:?}");
            let staged: BTreeMap<_, _> = staged.into_iter().map(|(s, a)| (a, s)).collect();
            for (score, address) in &whole {
                let got = staged[address];
                assert!(
                    (got - score).abs() <= 1e-4 * score.abs().max(1.0),
                    "{text:?} {address:?}: staged {got}, whole {score}"
                );
                phrase_bonus_seen |= got > terms_only[address] + 1e-3;
            }
            let counted = searcher
                .search(&*plan::build_matching(&analyzed, fields, &filters), &Count)
                .unwrap();
            assert_eq!(counted, whole.len(), "{text:?}");
        }
    }
    assert!(phrase_bonus_seen, "no query got a phrase bonus");
}

/// The variants looked up once per typo match, field by field, exactly the
/// sections tantivy's own fuzzy term query matches, with the same constant
/// score.
#[test]
fn fuzzy_variants_match_what_a_fuzzy_term_query_matches() {
    use kbsearch::search::fuzzy;
    use tantivy::collector::TopDocs;
    use tantivy::query::FuzzyTermQuery;
    use tantivy::Term;

    let engine = engine();
    let searcher = engine.searcher();
    let fields = engine.fields();
    let vocabulary = fuzzy::file_vocabulary(&searcher, fields);
    let everything = TopDocs::with_limit(100_000);
    let mut matched_something = false;
    for (word, distance) in [
        ("sertificate", 2u8),
        ("expird", 1),
        ("серификат", 2),
        ("подключитса", 2),
        ("qzxwvk", 1),
    ] {
        let word = kbsearch::analysis::analyze(word)[0].text.clone();
        let variants = fuzzy::variants(&searcher, fields, None, &word, distance);
        let filed = fuzzy::variants(&searcher, fields, Some(&vocabulary), &word, distance);
        assert_eq!(
            filed, variants,
            "{word}: filed words find what the walk finds"
        );
        for field in [
            fields.all,
            fields.title,
            fields.heading,
            fields.body,
            fields.breadcrumbs,
        ] {
            let expected = searcher
                .search(
                    &FuzzyTermQuery::new(Term::from_field_text(field, &word), distance, true),
                    &everything,
                )
                .unwrap();
            let got = searcher
                .search(&*fuzzy::query(field, &variants), &everything)
                .unwrap();
            let sorted = |mut hits: Vec<(f32, tantivy::DocAddress)>| {
                hits.sort_by_key(|(_, address)| *address);
                hits
            };
            assert_eq!(sorted(got), sorted(expected), "{word} ~{distance}");
        }
        matched_something |= !variants.is_empty();
    }
    assert!(
        matched_something,
        "no typo had a variant in the sample content"
    );
}

/// Snippets stem only the words that can hold a query term, yet come out
/// as those of tantivy's generator running the full index analyzer.
#[test]
fn snippets_equal_those_of_the_full_analyzer() {
    use kbsearch::synonyms::Synonyms;

    let engine = engine();
    let synonyms = Synonyms::load(&common::content_dir()).expect("content/synonyms.toml");
    let mut compared = 0;
    for text in [
        "certificate expired on the proxy",
        "не удаётся подключиться к VPN сервер не отвечает",
        "disk is full backup fails",
        "acess denid 0x80070005",
        "служба не запускается ошибка 1069",
    ] {
        compared += common::compare_snippets(engine, &synonyms, text).0;
    }
    assert!(compared >= 20, "only {compared} snippets compared");
}

/// A typo close to more index words than a query takes keeps those found
/// in the most sections.
#[test]
fn too_many_typo_variants_keep_the_most_frequent() {
    use kbsearch::search::fuzzy;

    let letters = [
        'b', 'c', 'f', 'h', 'j', 'k', 'm', 'p', 'r', 't', 'v', 'w', 'x', 'z',
    ];
    let mut words = Vec::new();
    'outer: for (i, a) in letters.iter().enumerate() {
        for b in &letters {
            for (p, q) in [(0usize, 8usize), (2, 6), (3, 7)] {
                let mut w: Vec<char> = "qqqqqqqqq".chars().collect();
                w[p] = *a;
                w[q] = *b;
                words.push(w.into_iter().collect::<String>());
                if words.len() >= fuzzy::MAX_VARIANTS + 50 {
                    break 'outer;
                }
            }
        }
        assert!(i < letters.len());
    }
    let frequent = &words[words.len() - 3..];
    let content = tempfile::tempdir().unwrap();
    std::fs::write(
        content.path().join("typos.md"),
        format!(
            "---\ntitle: Typos\n---\n# Typos\n\n## Many\n\n{}\n\n## Few\n\n{}\n",
            words.join(" "),
            frequent.join(" ")
        ),
    )
    .unwrap();
    let index = tempfile::tempdir().unwrap();
    common::build(content.path(), index.path());
    let engine = Engine::open(index.path()).unwrap();
    let (searcher, fields) = (engine.searcher(), engine.fields());
    let variants = fuzzy::variants(&searcher, fields, None, "qqqqqqqqq", 2);
    assert_eq!(variants.len(), fuzzy::MAX_VARIANTS);
    let vocabulary = fuzzy::file_vocabulary(&searcher, fields);
    let filed = fuzzy::variants(&searcher, fields, Some(&vocabulary), "qqqqqqqqq", 2);
    assert_eq!(
        filed, variants,
        "filed words keep the same most frequent words"
    );
    for word in frequent {
        assert!(variants.contains(word), "{word} was dropped");
    }
    let mut sorted = variants.clone();
    sorted.sort();
    assert_eq!(sorted, variants, "variants come in byte order");
}

/// Coverage is the IDF-weighted share of the query's words a section holds
/// (in its text or a parent heading; a misspelt word, in any of its
/// variants, weighs the average of the others), synonym phrases adding
/// the weight of their rarest word when all their words are there, capped
/// at 1. Checked over every section against sets of sections found with
/// tantivy's boolean queries.
#[test]
fn coverage_is_the_weighted_share_of_query_words_held() {
    use kbsearch::search::analyse::{AnalyzedQuery, QueryOptions};
    use kbsearch::search::coverage::Coverage;
    use kbsearch::search::plan::match_term;
    use kbsearch::synonyms::Synonyms;
    use std::collections::HashSet;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{DocAddress, Term};

    let engine = engine();
    let searcher = engine.searcher();
    let fields = engine.fields();
    let synonyms = Synonyms::load(&common::content_dir()).expect("content/synonyms.toml");
    let everything: Vec<DocAddress> = searcher
        .segment_readers()
        .iter()
        .enumerate()
        .flat_map(|(ord, reader)| {
            (0..reader.max_doc()).map(move |doc| DocAddress::new(ord as u32, doc))
        })
        .collect();
    let total = searcher.num_docs() as f32;
    let idf = |text: &str| {
        let df = searcher
            .doc_freq(&Term::from_field_text(fields.all, text))
            .unwrap();
        (1.0 + total / (df as f32 + 1.0)).ln()
    };
    let holding = |query: &dyn Query| -> HashSet<DocAddress> {
        searcher
            .search(query, &DocSetCollector)
            .unwrap()
            .into_iter()
            .collect()
    };
    let mut partial = 0;
    for &text in common::MIXED_QUERIES
        .iter()
        .chain(&["vpn certificate error", "сеть не работает ssl"])
    {
        let analyzed =
            AnalyzedQuery::prepare(text, &searcher, fields, &synonyms, &QueryOptions::default());
        let Some(coverage) = Coverage::new(&searcher, fields, &analyzed) else {
            continue;
        };
        let known: Vec<f32> = analyzed
            .terms
            .iter()
            .filter(|t| t.fuzzy == 0)
            .map(|t| idf(&t.text))
            .collect();
        let typical = if known.is_empty() {
            1.0
        } else {
            known.iter().sum::<f32>() / known.len() as f32
        };
        let mut groups: Vec<(HashSet<DocAddress>, f32, bool)> = Vec::new();
        for term in &analyzed.terms {
            let readings = term
                .readings
                .iter()
                .map(|r| (fields.sound, r))
                .chain(term.translations.iter().map(|(t, _)| (fields.all, t)))
                .map(|(field, text)| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(field, text),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                });
            let query = BooleanQuery::new(
                [
                    (Occur::Should, match_term(fields.all, term)),
                    (Occur::Should, match_term(fields.breadcrumbs, term)),
                ]
                .into_iter()
                .chain(readings)
                .collect(),
            );
            let weight = if term.fuzzy == 0 {
                idf(&term.text)
            } else {
                typical
            };
            groups.push((holding(&query), weight, false));
        }
        for member in &analyzed.expansions {
            let query = BooleanQuery::new(
                member
                    .iter()
                    .map(|w| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(fields.all, w),
                            IndexRecordOption::Basic,
                        ));
                        (Occur::Must, q)
                    })
                    .collect(),
            );
            let weight = member.iter().map(|w| idf(w)).fold(0.0, f32::max);
            groups.push((holding(&query), weight, true));
        }
        let required: f32 = groups.iter().filter(|g| !g.2).map(|g| g.1).sum();
        let got = coverage.of(&searcher, &everything).unwrap();
        for (address, got) in everything.iter().zip(got) {
            let held: f32 = groups
                .iter()
                .filter(|g| g.0.contains(address))
                .map(|g| g.1)
                .sum();
            let want = (held / required).min(1.0);
            assert!(
                (got - want).abs() <= 1e-5,
                "{text:?} {address:?}: coverage {got}, expected {want}"
            );
            partial += usize::from(want > 0.0 && want < 1.0);
        }
    }
    assert!(partial > 100, "only {partial} sections partly covered");
}
