//! Bilingual knowledge learned from the knowledge base itself:
//! transliteration, translations as evidence (counterparts and the learned
//! lexicon), troubleshooting structure, and codes before language. Each
//! mechanism is also switched off, to show that it is what finds the answer.

mod common;

use kbsearch::analysis::analyze;
use kbsearch::search::analyse::QueryOptions;
use kbsearch::search::{Engine, SearchRequest, SearchResponse};
use std::path::Path;

/// A small bilingual knowledge base of our own: translated articles at the
/// same relative paths with the same anchors, one English-only article, one
/// troubleshooting article with repeated label headings.
fn fixture() -> (tempfile::TempDir, tempfile::TempDir, Engine) {
    let content = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let file = content.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    };
    write(
        "en/storage/volume-copies.md",
        "---\ntitle: Volume copies\n---\n# Volume copies\n\n\
         ## <a name=\"copy-times-out\"></a>A snapshot of the volume times out\n\n\
         The snapshot job stops when the copy takes longer than the limit. Shorten the copy window.\n\n\
         ## <a name=\"quota-warning\"></a>QuotaExceededWarning in the log\n\n\
         The agent writes QuotaExceededWarning when the volume is almost full. Free some space.\n\n\
         ## <a name=\"choose-key\"></a>Choose a partition key\n\n\
         A good partition key spreads writes over many partitions.\n\n\
         ## <a name=\"change-key\"></a>Change the partition key\n\n\
         The partition key of a container cannot change; copy the data to a new container.\n\n\
         ## <a name=\"hot-tier\"></a>Move old copies to the hot tier\n\n\
         Copies read every day belong in the hot tier.\n\n\
         ## <a name=\"hot-reads\"></a>Hot copies are read slowly\n\n\
         Hot copies on a busy volume are read slowly; spread the reads.\n",
    );
    write(
        "ru/storage/volume-copies.md",
        "---\ntitle: Копии томов\n---\n# Копии томов\n\n\
         ## <a name=\"copy-times-out\"></a>Время ожидания snapshot тома истекает\n\n\
         Задание snapshot останавливается, когда копирование длится дольше предела. Сократите окно копирования.\n\n\
         ## <a name=\"quota-warning\"></a>Квотаэкссидедварнинг в журнале\n\n\
         Агент пишет квотаэкссидедварнинг, когда том почти заполнен. Освободите место.\n\n\
         ## <a name=\"choose-key\"></a>Выбор ключа секции\n\n\
         Хороший ключ секции распределяет запись по многим секциям.\n\n\
         ## <a name=\"change-key\"></a>Изменение ключа секции\n\n\
         Ключ секции контейнера изменить нельзя; скопируйте данные в новый контейнер.\n\n\
         ## <a name=\"hot-tier\"></a>Перенос старых копий на горячий уровень\n\n\
         Копии, которые читают каждый день, должны быть на горячем уровне.\n\n\
         ## <a name=\"hot-reads\"></a>Горячие копии читаются медленно\n\n\
         Горячие копии на загруженном томе читаются медленно; распределите чтение.\n",
    );
    write(
        "en/database/throttled-writes.md",
        "---\ntitle: Throttled writes\n---\n# Throttled writes\n\n\
         ## <a name=\"hot-key\"></a>One hot partition key takes all the throughput\n\n\
         When most requests go to one hot partition key, that partition is throttled while the others idle.\n",
    );
    write(
        "en/printing/spooler.md",
        "---\ntitle: Printer spooler problems\n---\n# Printer spooler problems\n\n\
         ## The spooler service stops after a driver update\n\n\
         ### Cause\n\nA new driver replaces the port monitor.\n\n\
         ### Solution\n\nReinstall the previous driver package, then restart the service.\n\n\
         ## Jobs stay in the queue forever\n\n\
         ### Cause\n\nThe queue folder is full.\n\n\
         ### Solution\n\nDelete the files in the queue folder, then start the service again.\n",
    );
    write(
        "en/errors/start-failures.md",
        "---\ntitle: Start failures\n---\n# Start failures\n\n\
         ## <a name=\"code\"></a>Error 0x8007ABCD at start\n\n\
         The agent fails to start with error 0x8007ABCD when its folder is missing.\n",
    );
    write(
        "ru/errors/start-failures.md",
        "---\ntitle: Сбои запуска\n---\n# Сбои запуска\n\n\
         ## <a name=\"code\"></a>Агент не запускается\n\n\
         Агент не запускается, служба останавливается сразу после запуска.\n",
    );
    let index = tempfile::tempdir().unwrap();
    common::build(content.path(), index.path());
    let engine = Engine::open(index.path()).unwrap().with_cache_entries(0);
    (content, index, engine)
}

fn search(engine: &Engine, query: &str, change: impl FnOnce(&mut QueryOptions)) -> SearchResponse {
    let mut request = SearchRequest::new(query);
    change(&mut request.options);
    let answer = engine.search(&request).expect("search succeeds");
    (*answer.response).clone()
}

fn ids(response: &SearchResponse) -> Vec<String> {
    response
        .hits
        .iter()
        .map(|h| format!("{}#{}", h.path, h.anchor))
        .collect()
}

#[test]
fn a_loanword_finds_the_section_written_with_the_english_word() {
    let (_content, _index, engine) = fixture();
    let found = search(&engine, "снапшот", |_| {});
    let top = ids(&found);
    assert!(
        top.iter()
            .take(2)
            .all(|id| id.ends_with("volume-copies.md#copy-times-out")),
        "{top:?}"
    );
    assert_eq!(found.transliterated.len(), 1);
    assert_eq!(found.transliterated[0].word, "снапшот");
    assert_eq!(found.transliterated[0].reading, "snapshot");
    let off = search(&engine, "снапшот", |o| o.translit = false);
    assert!(off.hits.is_empty(), "{:?}", ids(&off));
}

#[test]
fn a_latin_identifier_finds_its_cyrillic_transliteration_and_back() {
    let (_content, _index, engine) = fixture();
    for query in ["QuotaExceededWarning", "квотаэкссидедварнинг"] {
        let mut top = ids(&search(&engine, query, |_| {}));
        top.sort();
        assert_eq!(
            top,
            [
                "en/storage/volume-copies.md#quota-warning",
                "ru/storage/volume-copies.md#quota-warning"
            ],
            "{query}"
        );
        let off = ids(&search(&engine, query, |o| o.translit = false));
        assert_eq!(off.len(), 1, "{query}: {off:?}");
    }
}

#[test]
fn the_lexicon_learns_translations_from_the_paired_sections() {
    let (_content, index, _engine) = fixture();
    let opened = kbsearch::index::open(index.path()).unwrap();
    let lexicon = kbsearch::index::lexicon::Lexicon::load(
        &opened
            .generation
            .join(kbsearch::index::lexicon::LEXICON_FILE),
    );
    let term = |word: &str| analyze(word)[0].text.clone();
    let translations = |word: &str| -> Vec<String> {
        lexicon
            .translations(&term(word))
            .iter()
            .map(|t| t.term.clone())
            .collect()
    };
    assert!(translations("секции").contains(&term("partition")));
    assert!(translations("горячий").contains(&term("hot")));
    assert!(translations("hot").contains(&term("горячий")));
}

#[test]
fn a_russian_query_finds_an_english_only_article() {
    let (_content, _index, engine) = fixture();
    let query = "горячий ключ секции забирает всю пропускную способность";
    let top = ids(&search(&engine, query, |_| {}));
    let only_english = "en/database/throttled-writes.md#hot-key";
    // Sections that hold the query's own words («ключ секции») come first;
    // the English-only article is found through the translations only.
    assert!(top.iter().take(5).any(|id| id == only_english), "{top:?}");
    let off = ids(&search(&engine, query, |o| o.lexicon = false));
    assert!(!off.iter().any(|id| id == only_english), "{off:?}");
}

#[test]
fn hits_carry_their_translation() {
    let (_content, _index, engine) = fixture();
    let found = search(
        &engine,
        "partition key of a container cannot change",
        |_| {},
    );
    let hit = &found.hits[0];
    assert_eq!(hit.path, "en/storage/volume-copies.md");
    assert_eq!(hit.anchor, "change-key");
    let counterpart = hit.counterpart.as_ref().expect("a counterpart");
    assert_eq!(counterpart.path, "ru/storage/volume-copies.md");
    assert_eq!(counterpart.anchor, "change-key");
    assert_eq!(
        counterpart.url,
        "/doc/ru/storage/volume-copies.md#change-key"
    );
    let only_english = search(&engine, "hot partition key throughput", |_| {});
    assert_eq!(only_english.hits[0].path, "en/database/throttled-writes.md");
    assert!(only_english.hits[0].counterpart.is_none());
}

#[test]
fn a_problems_own_resolution_outranks_a_sibling_resolution() {
    let (_content, _index, engine) = fixture();
    let query = "jobs stay in the queue, restart the service";
    let position = |response: &SearchResponse, anchor_under: &str| {
        response
            .hits
            .iter()
            .position(|h| h.heading == "Solution" && h.breadcrumbs.last().unwrap() == anchor_under)
            .unwrap_or(usize::MAX)
    };
    let on = search(&engine, query, |_| {});
    let own = position(&on, "Jobs stay in the queue forever");
    let sibling = position(&on, "The spooler service stops after a driver update");
    assert!(
        own < sibling,
        "own {own}, sibling {sibling}: {:?}",
        ids(&on)
    );
}

#[test]
fn a_problem_description_ranks_causes_and_a_fix_question_ranks_solutions() {
    let (_content, _index, engine) = fixture();
    let heading_of_top = |query: &str, structure: bool| {
        let found = search(&engine, query, |o| o.structure = structure);
        found.hits[0].heading.clone()
    };
    // The words are in the Cause and in the Solution of one problem; the
    // Cause, shorter, scores higher on its text.
    let describe = "jobs queue folder";
    let fix = "how to fix: jobs queue folder";
    assert_eq!(heading_of_top(describe, true), "Cause");
    assert_eq!(heading_of_top(fix, true), "Solution");
    assert_eq!(heading_of_top(fix, false), "Cause");
}

#[test]
fn a_section_carrying_the_code_ranks_above_the_querys_language() {
    let (_content, _index, engine) = fixture();
    let found = search(&engine, "агент не запускается, ошибка 0x8007ABCD", |_| {});
    assert_eq!(ids(&found)[0], "en/errors/start-failures.md#code");
    assert_eq!(found.hits[1].path, "ru/errors/start-failures.md");
}

#[test]
fn the_switches_are_request_parameters() {
    let (content, _index, engine) = fixture();
    let params: kbsearch::search::SearchParams = serde_urlencoded_params(
        "q=снапшот&translit=false&counterparts=false&lexicon=false&structure=false",
    );
    let request = params.into_request(QueryOptions::default()).unwrap();
    assert!(!request.options.translit && !request.options.counterparts);
    assert!(!request.options.lexicon && !request.options.structure);
    assert!(engine.search_valid(&request).unwrap().hits.is_empty());
    assert!(Path::new(content.path()).is_dir());
}

/// Query parameters as axum's `Query` extractor would decode them.
fn serde_urlencoded_params(query: &str) -> kbsearch::search::SearchParams {
    let uri: axum::http::Uri = format!("/api/search?{query}").parse().unwrap();
    axum::extract::Query::try_from_uri(&uri).unwrap().0
}
