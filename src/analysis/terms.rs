//! The analysis of a text, word by word: dotted words split, each word
//! normalised, code-like words kept whole (identifiers also as their
//! parts), other words stemmed.

use super::chars::{has_letter_or_digit, Shape};
use super::normalize::normalize_into;
use super::segment::each_word;
use super::stem::with_stem;
use crate::text::is_letter;

/// A token produced by [`analyze`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    /// Byte offsets of the source word.
    pub start: usize,
    pub end: usize,
    pub position: usize,
    /// True for code-like tokens that were kept whole.
    pub is_code: bool,
}

/// One term as [`each_term`] finds it; the text is borrowed.
#[derive(Clone, Copy)]
pub(super) struct TermRef<'t> {
    pub(super) text: &'t str,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) position: usize,
    pub(super) is_code: bool,
}

impl TermRef<'_> {
    pub(super) fn to_term(self) -> Term {
        Term {
            text: self.text.to_string(),
            start: self.start,
            end: self.end,
            position: self.position,
            is_code: self.is_code,
        }
    }
}

/// Buffers one analysis reuses from word to word.
#[derive(Default)]
pub(super) struct Scratch {
    normalized: String,
    part: String,
}

/// Splits a text into index terms.
pub fn analyze(text: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    each_term(text, &mut |term| terms.push(term.to_term()));
    terms
}

/// Calls `emit` with every index term of `text`, in order.
pub(super) fn each_term(text: &str, emit: &mut dyn FnMut(TermRef<'_>)) {
    let mut position = 0;
    let mut scratch = Scratch::default();
    each_word(text, |start, word| {
        analyze_word(word, start, &mut position, &mut scratch, emit)
    });
}

/// Emits the terms of one word that starts at byte `start` of the text, from
/// term position `*position` on, and moves `*position` past them.
pub(super) fn analyze_word(
    word: &str,
    start: usize,
    position: &mut usize,
    scratch: &mut Scratch,
    emit: &mut dyn FnMut(TermRef<'_>),
) {
    let end = start + word.len();
    // `cbengine.exe`, `login.contoso.com`, `host:port` are split into their
    // parts; dotted numbers such as `5.1.1` or `4.5.2` stay whole.
    if word.contains(['.', ':']) && word.chars().any(is_letter) {
        let mut offset = start;
        for part in word.split(['.', ':']) {
            if has_letter_or_digit(part) {
                analyze_word(part, offset, position, scratch, emit);
            }
            offset += part.len() + 1;
        }
        return;
    }
    normalize_into(word, &mut scratch.normalized);
    if scratch.normalized.is_empty() {
        return;
    }
    let shape = Shape::of(word);
    if shape.is_code_like() {
        emit(TermRef {
            text: &scratch.normalized,
            start,
            end,
            position: *position,
            is_code: true,
        });
        // Identifiers are also indexed as their words; hex codes such as
        // `0x800706BA` are not identifiers and stay whole only.
        let parts: Vec<&str> = if word.contains('_') {
            word.split('_').filter(|p| !p.is_empty()).collect()
        } else if shape.camel && word.starts_with(char::is_alphabetic) {
            crate::codes::camel_parts(word)
        } else {
            vec![word]
        };
        if parts.len() > 1 {
            for (i, part) in parts.iter().enumerate() {
                normalize_into(part, &mut scratch.part);
                if scratch.part.chars().any(is_letter) {
                    with_stem(&scratch.part, |stemmed| {
                        emit(TermRef {
                            text: stemmed,
                            start,
                            end,
                            position: *position + i,
                            is_code: false,
                        })
                    });
                }
            }
            *position += parts.len();
        } else {
            *position += 1;
        }
        return;
    }
    if scratch.normalized.chars().any(is_letter) {
        with_stem(&scratch.normalized, |stemmed| {
            emit(TermRef {
                text: stemmed,
                start,
                end,
                position: *position,
                is_code: false,
            })
        });
    } else {
        emit(TermRef {
            text: &scratch.normalized,
            start,
            end,
            position: *position,
            is_code: false,
        });
    }
    *position += 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        analyze(text).into_iter().map(|t| t.text).collect()
    }

    fn single(word: &str) -> String {
        let t = texts(word);
        assert_eq!(t.len(), 1, "{word} → {t:?}");
        t[0].clone()
    }

    #[test]
    fn russian_word_forms_meet() {
        assert_eq!(single("подключиться"), single("подключения"));
        assert_eq!(single("подключение"), single("подключению"));
        assert_eq!(single("сертификат"), single("сертификата"));
        assert_eq!(single("ошибка"), single("ошибки"));
    }

    #[test]
    fn english_word_forms_meet() {
        assert_eq!(single("connecting"), single("connection"));
        assert_eq!(single("certificates"), single("certificate"));
        assert_eq!(single("failed"), single("failing"));
    }

    #[test]
    fn yo_folds_to_ye() {
        assert_eq!(single("истёк"), single("истек"));
        assert_eq!(single("ИСТЁК"), single("истек"));
        assert_eq!(single("исте\u{0308}к"), single("истек"));
    }

    #[test]
    fn codes_stay_whole() {
        assert_eq!(texts("0x80070005"), vec!["0x80070005"]);
        assert_eq!(
            texts("0x800706BA"),
            vec!["0x800706ba"],
            "hex codes are not CamelCase"
        );
        assert_eq!(texts("AADSTS50058"), vec!["aadsts50058"]);
        let camel = texts("UserErrorGuestAgentStatusUnavailable");
        assert_eq!(camel[0], "usererrorguestagentstatusunavailable");
        assert!(camel.contains(&"guest".to_string()), "{camel:?}");
        assert_eq!(texts("ERROR_DISK_FULL")[0], "error_disk_full");
    }

    #[test]
    fn mixed_script_text_in_one_field() {
        let t = texts("Агент Azure Backup не может подключиться");
        assert!(
            t.contains(&"azur".to_string()) || t.contains(&"azure".to_string()),
            "{t:?}"
        );
        assert!(t.contains(&"backup".to_string()), "{t:?}");
        assert!(t.contains(&single("подключения")), "{t:?}");
    }

    #[test]
    fn file_names_split_and_versions_stay() {
        assert_eq!(texts("CBengine.exe"), vec!["cbengin", "exe"]);
        assert_eq!(texts("4.5.2"), vec!["4.5.2"]);
    }

    #[test]
    fn offsets_point_at_source_words() {
        let text = "Ошибка 0x80070005: доступ";
        for term in analyze(text) {
            assert!(text.is_char_boundary(term.start) && text.is_char_boundary(term.end));
        }
        let t = analyze(text);
        assert_eq!(&text[t[1].start..t[1].end], "0x80070005");
    }
}
