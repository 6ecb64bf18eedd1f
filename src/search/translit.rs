//! Transliterated readings of query words: the words of the other script
//! that sound the same ([`crate::analysis::sound_key`]), found in the
//! index's own vocabulary (the `sound` field), so the index decides which
//! reading is a real word.
//!
//! A Cyrillic word is read in Latin when its Latin readings are in more
//! sections than the word itself: support staff write «снапшот» and
//! «бэкап» where the documents (Russian ones too) say *snapshot* and
//! *backup*. A Latin word is read in Cyrillic when it matches nothing, or
//! when it is an identifier: machine translation transliterates those
//! (`SalLowDiskSpace` → «салловдискспаце»), while English prose never uses
//! Cyrillic spellings, so a common English word needs no reading.

use crate::analysis::{sound_key, sound_prefix, sound_token_word, SoundScript};
use crate::index::Fields;
use std::collections::BTreeMap;
use tantivy::Searcher;

/// Most readings kept for one word (the ones in the most sections).
const MAX_READINGS: usize = 8;

/// The readings of one query word.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Readings {
    /// `sound` field tokens of the other script's words, in byte order.
    pub tokens: Vec<String>,
    /// The reading found in the most sections, to show the user.
    pub shown: String,
}

/// The readings of `word` (lower case, as typed), given the sections its
/// own term is in and whether it is an identifier; `None` when it has none
/// worth trying.
pub fn readings(
    searcher: &Searcher,
    fields: &Fields,
    word: &str,
    own_sections: u64,
    identifier: bool,
) -> Option<Readings> {
    let (script, key) = sound_key(word)?;
    let wanted = match script {
        SoundScript::Cyrillic => true,
        SoundScript::Latin => own_sections == 0 || identifier,
    };
    if !wanted {
        return None;
    }
    let found = other_script_words(searcher, fields, &sound_prefix(script.other(), &key));
    let sections: u64 = found.values().sum();
    if sections == 0 || (script == SoundScript::Cyrillic && sections < own_sections) {
        return None;
    }
    let mut ranked: Vec<(String, u64)> = found.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(MAX_READINGS);
    let shown = sound_token_word(&ranked[0].0).to_string();
    let mut tokens: Vec<String> = ranked.into_iter().map(|(token, _)| token).collect();
    tokens.sort_unstable();
    Some(Readings { tokens, shown })
}

/// Sound tokens starting with `prefix`, with the sections holding each
/// (summed over segments).
fn other_script_words(searcher: &Searcher, fields: &Fields, prefix: &str) -> BTreeMap<String, u64> {
    let mut found = BTreeMap::new();
    let mut end = prefix.as_bytes().to_vec();
    // The tokens of one key share its prefix, which ends with `|`; the next
    // byte up ends the range.
    if let Some(last) = end.last_mut() {
        *last += 1;
    }
    let everything = tantivy_fst::automaton::AlwaysMatch;
    let range = Some((prefix.as_bytes(), end.as_slice()));
    super::fuzzy::walk_words(searcher, fields.sound, &everything, range, &mut found);
    found
}
