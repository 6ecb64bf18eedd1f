//! The tantivy tokenizer over [`analyze`](super::analyze), and its
//! registration on an index.

use super::sound::each_sound_token;
use super::terms::{each_term, TermRef};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::rc::Rc;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::Index;

/// Name of the analyzer used by every full-text field.
pub const TEXT_ANALYZER: &str = "kb_text";

/// Name of the analyzer of the `sound` field ([`SoundTokenizer`]).
pub const SOUND_ANALYZER: &str = "kb_sound";

/// Registers kbsearch's analyzers on an index (new or opened).
pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(TEXT_ANALYZER, KbTokenizer);
    index.tokenizers().register(SOUND_ANALYZER, SoundTokenizer);
}

/// tantivy tokenizer emitting the sound token of each distinct word of a
/// text ([`each_sound_token`]); positions are not indexed.
#[derive(Clone, Default)]
pub struct SoundTokenizer;

impl Tokenizer for SoundTokenizer {
    type TokenStream<'a> = KbTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KbTokenStream<'a> {
        let mut tokens = Vec::new();
        each_sound_token(text, |sound| {
            tokens.push(Token {
                text: sound.to_string(),
                position: tokens.len(),
                ..Token::default()
            });
        });
        KbTokenStream::new(Rc::new(tokens))
    }
}

/// Overwrites `token` with `term`, reusing its text buffer.
fn write_token(term: TermRef<'_>, token: &mut Token) {
    token.text.clear();
    token.text.push_str(term.text);
    token.offset_from = term.start;
    token.offset_to = term.end;
    token.position = term.position;
    token.position_length = 1;
}

fn to_token(term: TermRef<'_>) -> Token {
    let mut token = Token::default();
    write_token(term, &mut token);
    token
}

/// Texts a thread analysed last, with their tokens. A section's title,
/// heading and body are indexed in their own fields and again in the
/// combined `all` field (the heading three times); tantivy indexes one
/// document's fields on one thread, in field order, so each text is
/// analysed once and its repeats share its tokens.
const RECENT_TEXTS: usize = 4;
/// Longer texts are analysed every time (keeping them would cost memory).
const RECENT_MAX_BYTES: usize = 64 * 1024;

thread_local! {
    static RECENT: RefCell<VecDeque<(String, Rc<Vec<Token>>)>> =
        RefCell::new(VecDeque::with_capacity(RECENT_TEXTS));
}

/// tantivy tokenizer running [`analyze`](super::analyze).
#[derive(Clone, Default)]
pub struct KbTokenizer;

/// Token stream over tokens computed by [`KbTokenizer`]; a repeated text
/// shares the tokens of its first analysis.
pub struct KbTokenStream<'a> {
    tokens: Rc<Vec<Token>>,
    next: usize,
    text: PhantomData<&'a str>,
}

impl KbTokenStream<'_> {
    fn new(tokens: Rc<Vec<Token>>) -> Self {
        KbTokenStream {
            tokens,
            next: 0,
            text: PhantomData,
        }
    }
}

impl Tokenizer for KbTokenizer {
    type TokenStream<'a> = KbTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KbTokenStream<'a> {
        let tokens = RECENT.with(|recent| {
            let mut recent = recent.borrow_mut();
            if let Some((_, tokens)) = recent.iter().find(|(seen, _)| seen == text) {
                return Rc::clone(tokens);
            }
            let kept = text.len() <= RECENT_MAX_BYTES;
            // The oldest text leaves the recent ones; its buffers are
            // refilled unless a token stream still holds them.
            let (mut key, mut tokens) = if kept && recent.len() == RECENT_TEXTS {
                recent
                    .pop_front()
                    .map(|(key, shared)| (key, Rc::try_unwrap(shared).unwrap_or_default()))
                    .unwrap_or_default()
            } else {
                Default::default()
            };
            let mut count = 0;
            each_term(text, &mut |term| {
                match tokens.get_mut(count) {
                    Some(token) => write_token(term, token),
                    None => tokens.push(to_token(term)),
                }
                count += 1;
            });
            tokens.truncate(count);
            let tokens = Rc::new(tokens);
            if kept {
                key.clear();
                key.push_str(text);
                recent.push_back((key, Rc::clone(&tokens)));
            }
            tokens
        });
        KbTokenStream::new(tokens)
    }
}

impl TokenStream for KbTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    /// Copies the tokens first when they are shared (tantivy's indexing
    /// only reads them).
    fn token_mut(&mut self) -> &mut Token {
        &mut Rc::make_mut(&mut self.tokens)[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::terms::analyze;

    fn streamed(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = KbTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn repeated_texts_stream_the_same_tokens() {
        let text = "Ошибка 0x80070005: CBengine.exe UserErrorGuestAgent не запускается";
        let direct: Vec<_> = analyze(text)
            .into_iter()
            .map(|t| (t.text, t.position, t.start, t.end))
            .collect();
        assert!(direct.len() > 5);
        // First analysis, a repeat served from the recent texts, and a
        // repeat after other texts pushed it out.
        assert_eq!(streamed(text), direct);
        assert_eq!(streamed(text), direct);
        for other in ["one", "two", "three", "four", "five"] {
            assert_eq!(streamed(other).len(), 1);
        }
        assert_eq!(streamed(text), direct);
        assert_eq!(streamed(&text[..12]), streamed("Ошибка"));
        assert_eq!(streamed(&text[..12]).len(), 1);
    }

    #[test]
    fn changing_a_streamed_token_leaves_repeats_alone() {
        let text = "подключение сертификата";
        let mut tokenizer = KbTokenizer;
        let mut stream = tokenizer.token_stream(text);
        assert!(stream.advance());
        stream.token_mut().text = "changed".to_string();
        drop(stream);
        assert_eq!(streamed(text)[0].0, analyze("подключение")[0].text);
    }

    #[test]
    fn reused_token_buffers_hold_only_the_new_text() {
        let direct = |text: &str| -> Vec<_> {
            analyze(text)
                .into_iter()
                .map(|t| (t.text, t.position, t.start, t.end))
                .collect()
        };
        streamed("первое второе третье четвёртое пятое шестое седьмое восьмое");
        // Four other texts push the long one out; later texts refill its
        // buffers, which must not keep any of its eight tokens.
        for text in [
            "one two",
            "three",
            "four five six",
            "seven",
            "eight",
            "Девять",
        ] {
            assert_eq!(streamed(text), direct(text), "{text}");
        }
    }
}
