//! `hardcoded-secret` (R-DATA-2): credentials written into source code and
//! committed text files.
//!
//! The detection itself is the [`SecretScanner`], shared with
//! `client-secret-in-browser-code` (which reports the same secrets, more
//! severely, where they reach the browser, and supersedes this rule there);
//! this file turns its matches into findings: severities, messages, help,
//! test-code downgrades, and keys that are public by design in browser code.

use crate::secrets::detector::{Detector, DetectorError, DetectorMatch};
use crate::secrets::generic::{GenericMatch, GenericSource};
use crate::secrets::names::NameStrength;
use crate::secrets::scanner::{SecretMatch, SecretScanner};
use crate::{FileInput, Rule};
use miroguard_core::secret_spec::DetectorSpec;
use miroguard_core::{ClassDependence, Finding, RuleMeta, Severity};
use regex::Regex;
use serde::Deserialize;
use std::sync::Arc;

/// The rule's id.
pub const ID: &str = "hardcoded-secret";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/hardcoded-secret.toml"
));

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    #[serde(default)]
    known_examples: Vec<String>,
    detectors: Vec<DetectorSpec>,
}

/// The rule.
pub struct HardcodedSecret {
    meta: RuleMeta,
    scanner: Arc<SecretScanner>,
}

/// Why the rule could not be built.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The built-in TOML is broken (a bug, caught by the tests).
    #[error("rules/hardcoded-secret.toml: {0}")]
    Builtin(String),
    /// A user's detector does not compile.
    #[error(transparent)]
    Custom(DetectorError),
}

impl HardcodedSecret {
    /// The rule with its built-in detectors, the user's extra detectors and
    /// the user's allowlist of secrets (whole-value regexes).
    pub fn new(custom: &[DetectorSpec], allowlist: &[Regex]) -> Result<HardcodedSecret, LoadError> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| LoadError::Builtin(e.to_string()))?;
        let mut detectors = Vec::with_capacity(file.detectors.len() + custom.len());
        for spec in &file.detectors {
            detectors
                .push(Detector::compile(spec).map_err(|e| LoadError::Builtin(format!("{}: {e}", spec.id.get_ref())))?);
        }
        for spec in custom {
            detectors.push(Detector::compile(spec).map_err(LoadError::Custom)?);
        }
        let scanner = SecretScanner::new(detectors, file.known_examples, allowlist.to_vec());
        Ok(HardcodedSecret {
            meta: file.rule,
            scanner: Arc::new(scanner),
        })
    }

    /// The secret scanner, shared with the rules that report secrets elsewhere
    /// (`client-secret-in-browser-code`).
    pub fn scanner(&self) -> Arc<SecretScanner> {
        Arc::clone(&self.scanner)
    }

    /// The rule's detectors, built-in first.
    pub fn detectors(&self) -> &[Detector] {
        self.scanner.detectors()
    }

    fn provider_finding(&self, detector: &Detector, m: DetectorMatch) -> Finding {
        let severity = detector.severity.unwrap_or(self.meta.severity);
        let mut finding = Finding::new(ID, severity, m.span, format!("Hardcoded {}", detector.title))
            .with_detector(detector.id.clone())
            .with_secret(m.secret, m.span);
        if let Some(advice) = &detector.advice {
            finding = finding.with_help(advice.clone());
        }
        if detector.public_in_browser {
            // A key meant for browsers (restricted by referrer) is only a reminder there.
            finding = finding.depending_on_class(ClassDependence::except_browser(Some(severity), Some(Severity::Note)));
        }
        finding
    }

    fn generic_finding(&self, m: GenericMatch, in_test_code: bool) -> Finding {
        let mut severity = match m.strength {
            NameStrength::Strong => self.meta.severity,
            NameStrength::Weak => self.meta.severity.downgraded(),
        };
        if in_test_code {
            severity = severity.downgraded();
        }
        let message = match m.source {
            GenericSource::Binding(_) | GenericSource::UnparsedCode => format!("Hardcoded secret in `{}`", m.name),
            GenericSource::TextPair => format!("Secret value for `{}` committed in a text file", m.name),
            GenericSource::Comment => format!("Secret value for `{}` in a comment", m.name),
        };
        let help = match m.source {
            GenericSource::TextPair => {
                "Keep real values out of committed files (git-ignore `.env`, commit a `.env.example` with placeholders) and rotate this one."
            }
            _ => {
                "Read it from an environment variable or a secret manager at run time, and rotate it: it is already exposed."
            }
        };
        Finding::new(ID, severity, m.span, message)
            .with_detector("generic")
            .with_help(help)
            .with_secret(m.secret, m.span)
    }
}

impl Rule for HardcodedSecret {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        self.scanner.keywords()
    }

    fn extra_docs(&self) -> Option<String> {
        let mut table = String::from("## Detectors\n\n| Detector | Finds | Severity |\n|---|---|---|\n");
        for detector in self.scanner.detectors() {
            let severity = detector.severity.unwrap_or(self.meta.severity);
            let shown = if detector.public_in_browser {
                format!("{severity} (a note in browser code, where the key is public by design)")
            } else {
                severity.to_string()
            };
            table.push_str(&format!("| `{}` | {} | {} |\n", detector.id, detector.title, shown));
        }
        table.push_str(&format!(
            "| `generic` | A high-entropy value given a secret-like name | {} (a warning under weak names such as `key` or `session`) |\n",
            self.meta.severity
        ));
        Some(table)
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        self.scanner.needs_facts(input)
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        for found in self.scanner.scan(input).iter().cloned() {
            findings.push(match found {
                SecretMatch::Provider { detector, found } => {
                    self.provider_finding(self.scanner.detector(detector), found)
                }
                SecretMatch::Generic(m) => {
                    let in_test_code = input.context.is_test || input.facts.is_some_and(|f| f.in_test_region(m.span));
                    self.generic_finding(m, in_test_code)
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KeywordHits;
    use miroguard_core::FileContext;

    fn rule() -> HardcodedSecret {
        HardcodedSecret::new(&[], &[]).expect("built-in rule loads")
    }

    /// Runs the rule's provider detectors the way the engine does: keywords first.
    fn provider_hits(rule: &HardcodedSecret, text: &str) -> Vec<(String, String)> {
        let lower = text.to_ascii_lowercase();
        let hits: Vec<bool> = rule.keywords().iter().map(|k| lower.contains(k.as_str())).collect();
        let context = FileContext::from_display_path("sample.txt");
        let input = FileInput {
            context: &context,
            text,
            keywords: KeywordHits::new(&hits),
            facts: None,
            parse_failed: false,
            memo: &crate::FileMemo::default(),
        };
        let mut findings = Vec::new();
        rule.check(&input, &mut findings);
        findings
            .into_iter()
            .filter(|f| f.detector.as_deref() != Some("generic"))
            .map(|f| (f.detector.unwrap_or_default(), f.secret.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn every_detector_has_examples() {
        let file: RuleFile = toml::from_str(TOML).expect("toml parses");
        for spec in &file.detectors {
            assert!(
                spec.positive.len() >= 2,
                "{} needs at least 2 positive examples",
                spec.id.get_ref()
            );
            assert!(
                spec.negative.len() >= 2,
                "{} needs at least 2 negative examples",
                spec.id.get_ref()
            );
            assert!(!spec.keywords.is_empty(), "{} needs keywords", spec.id.get_ref());
            assert!(spec.advice.is_some(), "{} needs advice", spec.id.get_ref());
        }
    }

    #[test]
    fn detector_examples() {
        let rule = rule();
        let file: RuleFile = toml::from_str(TOML).expect("toml parses");
        let mut failures = Vec::new();
        for spec in &file.detectors {
            let id = spec.id.get_ref();
            for example in &spec.positive {
                let hits = provider_hits(&rule, example);
                if !hits.iter().any(|(detector, _)| detector == id) {
                    failures.push(format!("{id}: missed positive {example:?} (got {hits:?})"));
                }
            }
            for example in &spec.negative {
                let hits = provider_hits(&rule, example);
                if !hits.is_empty() {
                    failures.push(format!("{id}: flagged negative {example:?} as {hits:?}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn keywords_are_lowercase_and_occur_in_every_positive() {
        let file: RuleFile = toml::from_str(TOML).expect("toml parses");
        for spec in &file.detectors {
            for keyword in &spec.keywords {
                assert_eq!(keyword.get_ref(), &keyword.get_ref().to_ascii_lowercase());
            }
            for example in &spec.positive {
                let lower = example.to_ascii_lowercase();
                assert!(
                    spec.keywords.iter().any(|k| lower.contains(k.get_ref().as_str())),
                    "{}: positive {example:?} has none of the keywords",
                    spec.id.get_ref()
                );
            }
        }
    }

    #[test]
    fn known_examples_are_never_reported() {
        let rule = rule();
        assert!(provider_hits(&rule, "aws_access_key_id = AKIAIOSFODNN7EXAMPLE").is_empty());
        assert!(provider_hits(&rule, "stripe_key = sk_test_4eC39HqLyjWDarjtT1zdp7dc").is_empty());
    }

    #[test]
    fn user_allowlist_drops_secrets() {
        let allow = miroguard_core::config::compile_whole_value_regex("ghp_uQG3.*").expect("valid");
        let rule = HardcodedSecret::new(&[], &[allow]).expect("loads");
        // miroguard-ignore[hardcoded-secret]: a fake credential in the provider's format, for this test
        assert!(provider_hits(&rule, "t = ghp_uQG3JSr3lpxGut6VkYi3EU5qFWjxOlHCsHO4").is_empty());
    }

    #[test]
    fn overlapping_detectors_keep_the_most_specific() {
        let rule = rule();
        let hits = provider_hits(
            &rule,
            // miroguard-ignore[hardcoded-secret]: a fake credential in the provider's format, for this test
            "//registry.npmjs.org/:_authToken=npm_DC2k3Ei29oJDrcWgvVm2A9YhlnStQ0DxwqkA",
        );
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].0, "npm-token");
    }
}
