//! A rule's metadata, read from its `rules/<id>.toml`.
//!
//! One source feeds `miroguard explain`, SARIF `rules[]`, the LSP's code
//! descriptions, the generated docs and the README's rule table.

use crate::severity::Severity;
use serde::{Deserialize, Serialize};

/// How often a rule's findings are real problems (SARIF `precision`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    /// Almost never wrong.
    VeryHigh,
    /// Rarely wrong.
    High,
    /// Sometimes wrong.
    Medium,
    /// Often wrong; review each finding.
    Low,
}

impl Precision {
    /// The SARIF spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::VeryHigh => "very-high",
            Precision::High => "high",
            Precision::Medium => "medium",
            Precision::Low => "low",
        }
    }
}

/// The `[rule]` table of `rules/<id>.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    /// Stable kebab-case id; never changes once released.
    pub id: String,
    /// A few words: the SARIF short description and the README's rule title.
    pub title: String,
    /// One paragraph: what the rule finds and why it matters.
    pub description: String,
    /// Default severity of its findings.
    pub severity: Severity,
    /// How often its findings are real.
    pub precision: Precision,
    /// GitHub code scanning's 0.0–10.0 score for findings of this rule; rules
    /// that are not about security (suppression hygiene) have none, and are
    /// then not tagged `security`.
    #[serde(default)]
    pub security_severity: Option<f32>,
    /// The guideline id (`../GUIDELINES.md`) a finding fails, if any.
    #[serde(default)]
    pub guideline: Option<String>,
    /// CWE ids such as `CWE-798`.
    #[serde(default)]
    pub cwe: Vec<String>,
    /// Extra tags for SARIF (`security` and the CWE tags are always added).
    #[serde(default)]
    pub tags: Vec<String>,
    /// The languages it looks at: `rust`, `javascript`, `typescript`, `text`.
    pub languages: Vec<String>,
    /// Full help in Markdown: what, why, how to fix, an example, references.
    pub help: String,
    /// Rules whose findings this rule's findings replace when they cover the
    /// same text (`client-secret-in-browser-code` replaces `hardcoded-secret`
    /// in browser code: one finding, the more specific one).
    #[serde(default)]
    pub supersedes: Vec<String>,
}

impl RuleMeta {
    /// The PascalCase name SARIF wants beside the id (`hardcoded-secret` → `HardcodedSecret`).
    pub fn pascal_name(&self) -> String {
        self.id
            .split('-')
            .map(|word| {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                    None => String::new(),
                }
            })
            .collect()
    }

    /// SARIF tags: `security` (for security rules), the CWE tags in GitHub's
    /// `external/cwe/cwe-N` form, then the rule's own.
    pub fn sarif_tags(&self) -> Vec<String> {
        let mut tags = Vec::new();
        if self.security_severity.is_some() {
            tags.push("security".to_string());
        }
        for cwe in &self.cwe {
            let number = cwe.trim_start_matches("CWE-");
            tags.push(format!("external/cwe/cwe-{number}"));
        }
        tags.extend(self.tags.iter().cloned());
        tags
    }

    /// The help text as plain text (the Markdown itself reads well enough as text).
    pub fn help_text(&self) -> &str {
        self.help.trim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> RuleMeta {
        RuleMeta {
            id: "hardcoded-secret".into(),
            title: "t".into(),
            description: "d".into(),
            severity: Severity::Error,
            precision: Precision::High,
            security_severity: Some(8.0),
            guideline: Some("R-DATA-2".into()),
            cwe: vec!["CWE-798".into()],
            tags: vec!["secrets".into()],
            languages: vec!["rust".into()],
            help: "h".into(),
            supersedes: vec![],
        }
    }

    #[test]
    fn names_and_tags() {
        assert_eq!(meta().pascal_name(), "HardcodedSecret");
        assert_eq!(meta().sarif_tags(), vec!["security", "external/cwe/cwe-798", "secrets"]);
        let hygiene = RuleMeta {
            security_severity: None,
            cwe: vec![],
            tags: vec![],
            ..meta()
        };
        assert!(hygiene.sarif_tags().is_empty());
    }
}
