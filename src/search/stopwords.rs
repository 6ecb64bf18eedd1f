//! Russian and English stop words, dropped from queries only when enough
//! other words remain.

use crate::analysis::{normalize_word, stem};
use std::collections::HashSet;
use std::sync::LazyLock;

const ENGLISH: &str = "a an and are as at be been but by can cannot could do does doing for from had has have how i if in into is it its me my no not of on or our so than that the their then there these they this those to too was we were what when where which while who why will with would you your";

const RUSSIAN: &str = "а без бы был была были было быть в вам вас во вот все всё всего вы где да даже для до его ее её ей если есть еще ещё же за и из или им их к как какой когда кто ли либо мне может можно мой мы на над не нет ни но ну о об он она они оно от по под при с со так также там то того тоже только у уже чего чем что чтобы эта эти это этот я";

static STOP_TERMS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    ENGLISH
        .split_whitespace()
        .chain(RUSSIAN.split_whitespace())
        .map(|w| stem(&normalize_word(w)))
        .collect()
});

/// Is an analysed term a stop word?
pub fn is_stop_term(term: &str) -> bool {
    STOP_TERMS.contains(term)
}
