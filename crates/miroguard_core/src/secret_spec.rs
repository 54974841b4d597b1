//! The schema of a secret detector, shared by `rules/hardcoded-secret.toml`
//! and the `[[secrets.detectors]]` a user adds in `.miroguard.toml`.

use crate::severity::Severity;
use serde::Deserialize;
use serde_spanned::Spanned;

/// One provider-format secret detector, as written in TOML.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorSpec {
    /// Stable kebab-case id, reported as the finding's detector (`github-pat`).
    pub id: Spanned<String>,
    /// What the secret is, in words ("GitHub personal access token").
    pub title: String,
    /// The pattern (Rust `regex` syntax). The secret is the capture group named
    /// `secret`, else the first group, else the whole match.
    pub regex: Spanned<String>,
    /// Case-insensitive words without which the pattern cannot match. The regex
    /// runs only on files that contain one of them; empty means "always run".
    #[serde(default)]
    pub keywords: Vec<Spanned<String>>,
    /// Minimum Shannon entropy (bits per character) of the secret.
    #[serde(default)]
    pub entropy: Option<f64>,
    /// A check in code that a match must pass (`miro-token`, `jwt`, …).
    #[serde(default)]
    pub validate: Option<Spanned<String>>,
    /// Severity of its findings, if not the rule's.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// Whether the key is meant to be used in browsers (a Google browser key
    /// restricted by referrer): in browser code a finding is only a note.
    #[serde(default)]
    pub public_in_browser: bool,
    /// Regexes that drop a match when they match the whole secret.
    #[serde(default)]
    pub allowlist: Vec<Spanned<String>>,
    /// Why this kind of secret matters and how to rotate it; shown with the finding.
    #[serde(default)]
    pub advice: Option<String>,
    /// Texts the detector must flag; a test runs them.
    #[serde(default)]
    pub positive: Vec<String>,
    /// Texts it must not flag; a test runs them.
    #[serde(default)]
    pub negative: Vec<String>,
}
