//! Typo variants are looked up in the combined section field only
//! (`search::fuzzy::variants`), on the ground that every breadcrumb word
//! (a parent section's heading or a title) is a word of that field too.
//! This checks the ground on the sample content and the shared corpus.

mod common;

use std::path::Path;
use tantivy::termdict::TermStreamer;

fn breadcrumb_words_missing_from_all(content: &Path) -> (usize, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    common::build(content, dir.path());
    let engine = kbsearch::search::Engine::open(dir.path()).unwrap();
    let searcher = engine.searcher();
    let fields = engine.fields();
    let (mut checked, mut missing) = (0, Vec::new());
    for segment in searcher.segment_readers() {
        let crumbs = segment.inverted_index(fields.breadcrumbs).unwrap();
        let mut stream: TermStreamer = crumbs.terms().stream().unwrap();
        while stream.advance() {
            let word = std::str::from_utf8(stream.key()).unwrap().to_string();
            let term = tantivy::Term::from_field_text(fields.all, &word);
            if searcher.doc_freq(&term).unwrap() == 0 {
                missing.push(word);
            }
            checked += 1;
        }
    }
    (checked, missing)
}

#[test]
fn breadcrumb_words_are_words_of_the_combined_field() {
    let (checked, missing) = breadcrumb_words_missing_from_all(&common::content_dir());
    assert!(checked > 100, "{checked} breadcrumb words");
    assert!(missing.is_empty(), "{missing:?}");
    let Some(corpus) = common::shared_corpus() else {
        return;
    };
    let (checked, missing) = breadcrumb_words_missing_from_all(&corpus);
    assert!(checked > 500, "{checked} breadcrumb words");
    assert!(
        missing.is_empty(),
        "{} missing: {:?}",
        missing.len(),
        &missing[..missing.len().min(20)]
    );
}

/// `DocFreqs::knows` asks the combined field alone whether a word is in
/// any title, heading or body: its words must be exactly theirs.
#[test]
fn the_combined_field_holds_exactly_the_title_heading_and_body_words() {
    let mut corpora = vec![common::content_dir()];
    corpora.extend(common::shared_corpus());
    for content in corpora {
        let dir = tempfile::tempdir().unwrap();
        common::build(&content, dir.path());
        let engine = kbsearch::search::Engine::open(dir.path()).unwrap();
        let searcher = engine.searcher();
        let f = engine.fields();
        let words = |field| {
            let mut out = std::collections::BTreeSet::new();
            for segment in searcher.segment_readers() {
                let inverted = segment.inverted_index(field).unwrap();
                let mut stream: TermStreamer = inverted.terms().stream().unwrap();
                while stream.advance() {
                    out.insert(stream.key().to_vec());
                }
            }
            out
        };
        let all = words(f.all);
        let mut parts = words(f.title);
        parts.extend(words(f.heading));
        parts.extend(words(f.body));
        assert!(
            all.len() > 1000,
            "{} words in {}",
            all.len(),
            content.display()
        );
        assert_eq!(all, parts, "{}", content.display());
    }
}
