//! Phrase-proximity bonuses, added to the best candidates only.
//!
//! The scoring query is the sum of term clauses and phrase clauses
//! ([`super::plan::Plan::full_query`]). Ranking every matching section with the
//! phrases means decoding positions for every section holding two query
//! words; instead the term clauses pick the candidates (a top-k search that
//! can skip blocks) and the phrase clauses score just those, which gives
//! each candidate the same score as the whole query.
//!
//! A two-word phrase is checked at the candidates alone: both words'
//! postings are moved to each candidate and, where both are there, their
//! positions are paired as tantivy's phrase scorer pairs them. (Asked for
//! the next match at or after a candidate, tantivy's scorer decodes the
//! positions of every section holding both words until it finds one, which
//! for two common words is most of the time spent here.) Longer phrases,
//! from multi-word synonyms, go through tantivy's scorer.

use super::plan::Phrase;
use super::seek_to;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EnableScoring, Query, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TERMINATED};

/// Adds the score of every phrase in `phrases` to the candidates it matches,
/// then sorts the candidates by score, best first.
pub fn add_scores(
    searcher: &Searcher,
    phrases: &[Phrase],
    candidates: &mut [(Score, DocAddress)],
) -> tantivy::Result<()> {
    if !phrases.is_empty() && !candidates.is_empty() {
        let scorers = phrases
            .iter()
            .map(|phrase| PhraseScoring::new(searcher, phrase))
            .collect::<tantivy::Result<Vec<_>>>()?;
        // Candidates in index order: one forward pass per segment and phrase.
        let mut order: Vec<(DocAddress, usize)> = candidates
            .iter()
            .enumerate()
            .map(|(i, (_, address))| (*address, i))
            .collect();
        order.sort_unstable();
        for segment in order.chunk_by(|a, b| a.0.segment_ord == b.0.segment_ord) {
            let reader = searcher.segment_reader(segment[0].0.segment_ord);
            for scoring in &scorers {
                scoring.add(reader, segment, candidates)?;
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(())
}

/// How one phrase is scored at the candidates.
enum PhraseScoring<'a> {
    /// Two words, paired here.
    Pair {
        phrase: &'a Phrase,
        weight: Box<Bm25Weight>,
    },
    /// Any other phrase, through tantivy's query.
    Query(Box<dyn Weight>),
}

impl<'a> PhraseScoring<'a> {
    fn new(searcher: &Searcher, phrase: &'a Phrase) -> tantivy::Result<PhraseScoring<'a>> {
        Ok(if phrase.terms.len() == 2 {
            PhraseScoring::Pair {
                phrase,
                weight: Box::new(
                    Bm25Weight::for_terms(searcher, &phrase.terms)?.boost_by(phrase.boost),
                ),
            }
        } else {
            PhraseScoring::Query(
                phrase
                    .to_query()
                    .weight(EnableScoring::enabled_from_searcher(searcher))?,
            )
        })
    }

    /// Adds the phrase's score to each of `segment`'s candidates it matches
    /// (`segment` in address order; its indexes point into `candidates`).
    fn add(
        &self,
        reader: &SegmentReader,
        segment: &[(DocAddress, usize)],
        candidates: &mut [(Score, DocAddress)],
    ) -> tantivy::Result<()> {
        match self {
            PhraseScoring::Pair { phrase, weight } => {
                let Some(mut pair) = Pair::open(reader, phrase)? else {
                    return Ok(());
                };
                for &(address, i) in segment {
                    match pair.count_at(address.doc_id) {
                        None => break,
                        Some(0) => {}
                        Some(count) => {
                            let norm = pair.fieldnorms.fieldnorm_id(address.doc_id);
                            candidates[i].0 += weight.score(norm, count);
                        }
                    }
                }
            }
            PhraseScoring::Query(weight) => {
                let mut scorer = weight.scorer(reader, 1.0)?;
                for &(address, i) in segment {
                    let at = seek_to(&mut scorer, address.doc_id);
                    if at == TERMINATED {
                        break;
                    }
                    if at == address.doc_id {
                        candidates[i].0 += scorer.score();
                    }
                }
            }
        }
        Ok(())
    }
}

/// The postings of a two-word phrase's words in one segment.
struct Pair {
    first: SegmentPostings,
    second: SegmentPostings,
    slop: u32,
    fieldnorms: FieldNormReader,
    first_positions: Vec<u32>,
    second_positions: Vec<u32>,
    /// Whether the second word's positions lead the pairing: tantivy's
    /// scorer leads with the word in fewer sections of the segment (the
    /// first on a tie), and the pairing is not symmetric.
    second_leads: bool,
}

impl Pair {
    /// `None` when a word is not in the segment.
    fn open(reader: &SegmentReader, phrase: &Phrase) -> tantivy::Result<Option<Pair>> {
        let field = phrase.terms[0].field();
        let index = reader.inverted_index(field)?;
        let mut postings = Vec::with_capacity(2);
        for term in &phrase.terms {
            match index.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? {
                Some(p) => postings.push(p),
                None => return Ok(None),
            }
        }
        let second = postings.pop().expect("two postings");
        let first = postings.pop().expect("two postings");
        let fieldnorms = match reader.fieldnorms_readers().get_field(field)? {
            Some(fieldnorms) => fieldnorms,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        Ok(Some(Pair {
            second_leads: second.doc_freq() < first.doc_freq(),
            first,
            second,
            slop: phrase.slop,
            fieldnorms,
            first_positions: Vec::new(),
            second_positions: Vec::new(),
        }))
    }

    /// How many times the phrase occurs in section `doc` (0 when a word is
    /// missing there); `None` once either word has no section at or after
    /// `doc`. Calls must come in increasing `doc` order.
    fn count_at(&mut self, doc: DocId) -> Option<u32> {
        let first = seek_to(&mut self.first, doc);
        let second = seek_to(&mut self.second, doc);
        if first == TERMINATED || second == TERMINATED {
            return None;
        }
        if first != doc || second != doc {
            return Some(0);
        }
        // The phrase puts the second word one position after the first:
        // shifting the first word's positions by one makes a phrase match
        // two equal positions, as tantivy's phrase scorer does.
        self.first
            .positions_with_offset(1, &mut self.first_positions);
        self.second
            .positions_with_offset(0, &mut self.second_positions);
        let (lead, other) = if self.second_leads {
            (&self.second_positions, &self.first_positions)
        } else {
            (&self.first_positions, &self.second_positions)
        };
        Some(count_pairs(lead, other, self.slop))
    }
}

/// How many positions of `lead` pair with a position of `other` at most
/// `slop` away, both lists sorted and each position used once; where
/// several positions of `lead` could pair with the same position of
/// `other`, the last of them does. This is the count tantivy's phrase
/// scorer scores a two-word phrase by.
fn count_pairs(lead: &[u32], other: &[u32], slop: u32) -> u32 {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < lead.len() && j < other.len() {
        let (left, right) = (lead[i], other[j]);
        if left.abs_diff(right) <= slop {
            while i + 1 < lead.len() && lead[i + 1] <= right {
                i += 1;
            }
            count += 1;
            i += 1;
            j += 1;
        } else if left < right {
            i += 1;
        } else {
            j += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter, Term};

    /// Pairs counted at the candidates score every section exactly as
    /// tantivy's phrase query does, for every slop, word order and segment,
    /// over texts of a few words repeated in every arrangement.
    #[test]
    fn pairs_score_as_tantivys_phrase_query() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let words = ["alpha", "beta", "gamma", "delta"];
        let mut state: u64 = 7;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % bound
        };
        for segment in 0..3 {
            for _ in 0..300 {
                let length = 1 + next(14);
                let text: Vec<&str> = (0..length).map(|_| words[next(4) as usize]).collect();
                writer.add_document(doc!(body => text.join(" "))).unwrap();
            }
            if segment < 2 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);

        let mut checked = 0;
        for first in words {
            for second in ["alpha", "beta"] {
                for slop in 0..=3 {
                    let phrase = Phrase {
                        terms: vec![
                            Term::from_field_text(body, first),
                            Term::from_field_text(body, second),
                        ],
                        slop,
                        boost: 1.5,
                    };
                    let expected: std::collections::HashMap<DocAddress, Score> = searcher
                        .search(&*phrase.to_query(), &TopDocs::with_limit(10_000))
                        .unwrap()
                        .into_iter()
                        .map(|(score, address)| (address, score))
                        .collect();
                    assert!(!expected.is_empty(), "{first} {second} ~{slop}");
                    let mut candidates: Vec<(Score, DocAddress)> = searcher
                        .segment_readers()
                        .iter()
                        .enumerate()
                        .flat_map(|(ord, reader)| {
                            (0..reader.max_doc())
                                .map(move |doc| (0.0, DocAddress::new(ord as u32, doc)))
                        })
                        .collect();
                    add_scores(&searcher, std::slice::from_ref(&phrase), &mut candidates).unwrap();
                    for (score, address) in candidates {
                        let want = expected.get(&address).copied().unwrap_or(0.0);
                        assert!(
                            (score - want).abs() <= 1e-5 * want.max(1.0),
                            "{first} {second} ~{slop} at {address:?}: {score} vs {want}"
                        );
                        checked += usize::from(want > 0.0);
                    }
                }
            }
        }
        assert!(checked > 1000, "only {checked} matches compared");
    }

    #[test]
    fn the_last_of_several_close_first_words_pairs() {
        // 1 and 2 could both pair with 2; 2 does, and 1 is then unused.
        assert_eq!(count_pairs(&[1, 2], &[2], 1), 1);
        assert_eq!(count_pairs(&[1, 2, 9], &[2, 3, 10], 1), 2);
        assert_eq!(count_pairs(&[5], &[1, 9], 2), 0);
        assert_eq!(count_pairs(&[5], &[3], 2), 1);
        assert_eq!(count_pairs(&[], &[3], 2), 0);
    }
}
