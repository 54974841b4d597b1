//! The secret scanner: every detector of `hardcoded-secret` run over one
//! file, with the overlaps between them resolved. Shared by the rules that
//! report secrets (where a secret is, not how to find it, decides the rule).
//!
//! Three passes, cheapest first: provider-format detectors over the raw text
//! of every file (each regex only where one of its keywords occurs); the
//! generic detector over the Facts of source files that the lexical gate lets
//! through; and the generic detector over `name = value` pairs of text files
//! and of source files that did not parse. A provider match wins over a
//! generic one on the same secret, and among providers the one listed first.

use super::detector::{Detector, DetectorMatch};
use super::generic::{self, GenericMatch};
use crate::FileInput;
use miroguard_core::{Language, Span};
use regex::Regex;
use std::collections::HashSet;

/// One secret found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretMatch {
    /// A provider-format detector matched.
    Provider {
        /// Index of the detector in [`SecretScanner::detectors`].
        detector: usize,
        /// What it matched.
        found: DetectorMatch,
    },
    /// The generic detector matched.
    Generic(GenericMatch),
}

impl SecretMatch {
    /// Where the secret is.
    pub fn span(&self) -> Span {
        match self {
            SecretMatch::Provider { found, .. } => found.span,
            SecretMatch::Generic(m) => m.span,
        }
    }
}

/// The compiled detectors, their keywords, and the allowlists.
#[derive(Debug)]
pub struct SecretScanner {
    detectors: Vec<Detector>,
    /// For each detector, the indices of its keywords in `keywords`.
    detector_keywords: Vec<Vec<usize>>,
    keywords: Vec<String>,
    known_examples: HashSet<String>,
    allowlist: Vec<Regex>,
}

impl SecretScanner {
    /// A scanner over `detectors` (most specific first), dropping `known_examples`
    /// exactly and secrets matching the user's `allowlist` (whole-value regexes).
    pub fn new(detectors: Vec<Detector>, known_examples: Vec<String>, allowlist: Vec<Regex>) -> SecretScanner {
        let mut keywords: Vec<String> = Vec::new();
        let detector_keywords = detectors
            .iter()
            .map(|detector| {
                detector
                    .keywords
                    .iter()
                    .map(|keyword| match keywords.iter().position(|k| k == keyword) {
                        Some(i) => i,
                        None => {
                            keywords.push(keyword.clone());
                            keywords.len() - 1
                        }
                    })
                    .collect()
            })
            .collect();
        SecretScanner {
            detectors,
            detector_keywords,
            keywords,
            known_examples: known_examples.into_iter().collect(),
            allowlist,
        }
    }

    /// The detectors' keywords, deduplicated. A rule using the scanner must
    /// declare these first, in this order, so that its keyword hits line up.
    pub fn keywords(&self) -> &[String] {
        &self.keywords
    }

    /// The detectors, built-in first.
    pub fn detectors(&self) -> &[Detector] {
        &self.detectors
    }

    /// Detector number `index`.
    ///
    /// # Panics
    /// If `index` does not come from this scanner's matches.
    pub fn detector(&self, index: usize) -> &Detector {
        &self.detectors[index]
    }

    /// Whether the file needs its Facts for the generic detector: source code
    /// in which the lexical gate sees a possible secret.
    pub fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        // The generic detector's names (`key`, `token`…) are in almost every
        // file, so they are not prefilter keywords: the gate looks for them
        // next to candidate values instead.
        *input
            .memo
            .secrets_gate
            .get_or_init(|| input.context.language.is_source() && generic::could_match_in_source(input.text))
    }

    fn allowed(&self, secret: &str) -> bool {
        self.known_examples.contains(secret) || self.allowlist.iter().any(|re| re.is_match(secret))
    }

    /// Every secret in the file, in no particular order, overlaps resolved;
    /// computed once per file for all the rules that ask. The rules that
    /// share it declare the scanner's keywords first, in its order, so their
    /// keyword hits agree.
    pub fn scan<'a>(&self, input: &FileInput<'a>) -> &'a [SecretMatch] {
        input.memo.secrets.get_or_init(|| self.scan_uncached(input))
    }

    fn scan_uncached(&self, input: &FileInput<'_>) -> Vec<SecretMatch> {
        let mut provider: Vec<(usize, DetectorMatch)> = Vec::new();
        let mut matches = Vec::new();
        for (index, (detector, keywords)) in self.detectors.iter().zip(&self.detector_keywords).enumerate() {
            if !keywords.is_empty() && !keywords.iter().any(|&k| input.keywords.contains(k)) {
                continue;
            }
            matches.clear();
            detector.find(input.text, &mut matches);
            provider.extend(
                matches
                    .drain(..)
                    .filter(|m| !self.allowed(&m.secret))
                    .map(|m| (index, m)),
            );
        }
        // Detectors are listed most specific first: on overlap, the earlier one wins.
        provider.sort_by_key(|(index, m)| (m.span.start, *index));
        let mut kept: Vec<(usize, DetectorMatch)> = Vec::with_capacity(provider.len());
        for (index, m) in provider {
            match kept.iter_mut().find(|(_, k)| k.span.overlaps(m.span)) {
                Some(existing) if index < existing.0 => *existing = (index, m),
                Some(_) => {}
                None => kept.push((index, m)),
            }
        }

        let mut generic_matches = Vec::new();
        match input.facts {
            Some(facts) => {
                generic::in_facts(facts, input.text, &mut generic_matches);
                let unparsed: Vec<Span> = facts.syntax_errors.iter().map(|e| e.span).collect();
                generic::in_unparsed(input.text, &unparsed, &mut generic_matches);
            }
            None if input.context.language == Language::Text || input.parse_failed => {
                generic::in_text(input.text, &mut generic_matches)
            }
            None => {}
        }
        let mut spans: Vec<Span> = kept.iter().map(|(_, m)| m.span).collect();
        let mut out: Vec<SecretMatch> = kept
            .into_iter()
            .map(|(detector, found)| SecretMatch::Provider { detector, found })
            .collect();
        for m in generic_matches {
            if spans.iter().any(|s| s.overlaps(m.span)) || self.allowed(&m.secret) {
                continue;
            }
            spans.push(m.span);
            out.push(SecretMatch::Generic(m));
        }
        out
    }
}
