//! One pass over each file for every rule's keywords.
//!
//! The pass walks an Aho-Corasick DFA over every byte of every file, and a
//! DFA walk is bound by the latency of one table load per byte: each step
//! needs the state the last one produced. So the text is cut into a few
//! slices walked in lock step, whose loads the CPU overlaps; on the corpus
//! that halves the pass's time over the crate's own overlapping search,
//! with the same instructions.

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, BuildError, MatchKind, StartKind};

/// How many slices of a text are walked at once. Two already hide most of
/// the latency; more than four brings nothing on the CPUs we measured.
const STREAMS: usize = 4;

/// Below this many bytes a text is walked as one slice.
const MIN_SPLIT_LEN: usize = 4 * 1024;

/// All rules' keywords in one case-insensitive automaton.
pub(crate) struct Prefilter {
    automaton: Option<DFA>,
    patterns: usize,
    /// The longest keyword's length: a slice starts this many bytes (less
    /// one) before its share, so that it sees every keyword ending in it.
    longest: usize,
}

impl Prefilter {
    /// Compiles the automaton for `patterns` (lowercase keywords).
    pub(crate) fn new(patterns: &[String]) -> Result<Prefilter, BuildError> {
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                DFA::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .start_kind(StartKind::Unanchored)
                    // The crate's prefilter only helps its own search loop.
                    .prefilter(false)
                    .build(patterns)?,
            )
        };
        Ok(Prefilter {
            automaton,
            patterns: patterns.len(),
            longest: patterns.iter().map(String::len).max().unwrap_or(0),
        })
    }

    /// Which patterns occur in `text`.
    pub(crate) fn scan(&self, text: &str) -> Vec<bool> {
        let mut hits = vec![false; self.patterns];
        let Some(dfa) = &self.automaton else { return hits };
        // Cannot fail: the DFA was built for unanchored searches.
        let Ok(start) = dfa.start_state(Anchored::No) else {
            return vec![true; self.patterns];
        };
        let bytes = text.as_bytes();
        let record = |hits: &mut [bool], state| {
            if dfa.is_match(state) {
                for i in 0..dfa.match_len(state) {
                    hits[dfa.match_pattern(state, i).as_usize()] = true;
                }
            }
        };
        let walk = |hits: &mut [bool], mut state, slice: &[u8]| {
            for &byte in slice {
                state = dfa.next_state(Anchored::No, state, byte);
                record(hits, state);
            }
        };
        if bytes.len() < MIN_SPLIT_LEN {
            walk(&mut hits, start, bytes);
            return hits;
        }
        // Slice `s` reports the keywords that end in its share of the text,
        // `share * s .. share * (s + 1)`, and starts early enough to see them whole.
        let share = bytes.len() / STREAMS;
        let overlap = self.longest.saturating_sub(1);
        let from: [usize; STREAMS] = std::array::from_fn(|s| (share * s).saturating_sub(overlap));
        let to: [usize; STREAMS] =
            std::array::from_fn(|s| if s + 1 == STREAMS { bytes.len() } else { share * (s + 1) });
        let together = (0..STREAMS).map(|s| to[s] - from[s]).min().unwrap_or(0);
        let mut states = [start; STREAMS];
        for step in 0..together {
            for s in 0..STREAMS {
                states[s] = dfa.next_state(Anchored::No, states[s], bytes[from[s] + step]);
            }
            for state in states {
                record(&mut hits, state);
            }
        }
        for s in 0..STREAMS {
            walk(&mut hits, states[s], &bytes[from[s] + together..to[s]]);
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    #[test]
    fn finds_overlapping_keywords_case_insensitively() {
        let prefilter = Prefilter::new(&["key".into(), "api_key".into(), "ghp_".into()]).unwrap();
        assert_eq!(prefilter.scan("const API_KEY = 1"), [true, true, false]);
        assert_eq!(prefilter.scan("nothing here"), [false, false, false]);
    }

    /// The sliced walk finds what one overlapping search finds, wherever
    /// the keywords sit against the slices' edges.
    #[test]
    fn sliced_walk_agrees_with_one_overlapping_search() {
        let patterns: Vec<String> = ["key", "api_key", "secret", "x", "strict-transport-security", "ab"]
            .map(String::from)
            .to_vec();
        let prefilter = Prefilter::new(&patterns).unwrap();
        let reference = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&patterns)
            .unwrap();
        let filler = "lorem ipsum dolor sit amet; ";
        for len in [
            0,
            10,
            MIN_SPLIT_LEN - 1,
            MIN_SPLIT_LEN,
            MIN_SPLIT_LEN + 3,
            3 * MIN_SPLIT_LEN + 1,
        ] {
            for (p, pattern) in patterns.iter().enumerate() {
                // Put the keyword across every slice boundary region in turn.
                for at in [0, len / 4, len / 2, 3 * len / 4, len] {
                    for shift in [0, 1, pattern.len() / 2, pattern.len()] {
                        let mut text: String = filler.repeat(len / filler.len() + 1)[..len].to_string();
                        let at = (at + shift).saturating_sub(pattern.len()).min(text.len());
                        text.insert_str(at, &pattern.to_uppercase());
                        let mut expected = vec![false; patterns.len()];
                        for found in reference.find_overlapping_iter(&text) {
                            expected[found.pattern().as_usize()] = true;
                        }
                        assert!(expected[p]);
                        assert_eq!(prefilter.scan(&text), expected, "len {len}, {pattern} at {at}");
                    }
                }
            }
        }
    }
}
