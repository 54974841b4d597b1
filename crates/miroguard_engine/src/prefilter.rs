//! One pass over each file for every rule's keywords.

use aho_corasick::{AhoCorasick, AhoCorasickKind, BuildError, MatchKind};

/// All rules' keywords in one case-insensitive automaton.
pub(crate) struct Prefilter {
    automaton: Option<AhoCorasick>,
    patterns: usize,
}

impl Prefilter {
    /// Compiles the automaton for `patterns` (lowercase keywords).
    pub(crate) fn new(patterns: &[String]) -> Result<Prefilter, BuildError> {
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(patterns)?,
            )
        };
        Ok(Prefilter {
            automaton,
            patterns: patterns.len(),
        })
    }

    /// Which patterns occur in `text`.
    pub(crate) fn scan(&self, text: &str) -> Vec<bool> {
        let mut hits = vec![false; self.patterns];
        let Some(automaton) = &self.automaton else { return hits };
        let mut remaining = self.patterns;
        for found in automaton.find_overlapping_iter(text) {
            let slot = &mut hits[found.pattern().as_usize()];
            if !*slot {
                *slot = true;
                remaining -= 1;
                if remaining == 0 {
                    break;
                }
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_overlapping_keywords_case_insensitively() {
        let prefilter = Prefilter::new(&["key".into(), "api_key".into(), "ghp_".into()]).unwrap();
        assert_eq!(prefilter.scan("const API_KEY = 1"), [true, true, false]);
        assert_eq!(prefilter.scan("nothing here"), [false, false, false]);
    }
}
