//! The sample glossary (`content/synonyms.toml`) is about `content/`'s own
//! subjects: every group has a member that some document of `content/`
//! uses, so no entry exists only to steer a query the documents cannot
//! answer in their own words.

mod common;

use kbsearch::analysis::analyze;
use kbsearch::search::Engine;
use tantivy::Term;

#[test]
fn every_glossary_group_has_a_member_the_content_uses() {
    let index = tempfile::tempdir().unwrap();
    let mut options = kbsearch::index::BuildOptions::new(common::content_dir(), index.path());
    options.synonyms = Some(index.path().join("no-glossary.toml"));
    std::fs::write(index.path().join("no-glossary.toml"), "groups = []\n").unwrap();
    kbsearch::index::build(&options, |_| {}).expect("index builds");
    let engine = Engine::open(index.path()).unwrap();
    let searcher = engine.searcher();
    let all = engine.fields().all;
    let used = |member: &str| {
        let terms = analyze(member);
        !terms.is_empty()
            && terms.iter().all(|t| {
                searcher
                    .doc_freq(&Term::from_field_text(all, &t.text))
                    .unwrap_or(0)
                    > 0
            })
    };
    let text = std::fs::read_to_string(common::content_dir().join("synonyms.toml")).unwrap();
    let file: toml::Table = toml::from_str(&text).unwrap();
    let groups = file["groups"].as_array().expect("a list of groups");
    assert!(groups.len() > 10, "the sample glossary has groups");
    let unused: Vec<String> = groups
        .iter()
        .map(|g| {
            g.as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|members| !members.iter().any(|m| used(m)))
        .map(|members| members.join(" / "))
        .collect();
    assert!(
        unused.is_empty(),
        "groups no document of content/ uses: {unused:#?}"
    );
}
