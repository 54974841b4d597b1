//! Provider-format detectors: compiled from their TOML spec, run over raw text.

use super::entropy::shannon_entropy;
use super::validate::Validator;
use miroguard_core::config::{compile_whole_value_regex, regex_error_message};
use miroguard_core::secret_spec::DetectorSpec;
use miroguard_core::{Severity, Span};
use regex::Regex;

/// A compiled detector.
#[derive(Debug)]
pub struct Detector {
    /// Stable id, reported as the finding's detector.
    pub id: String,
    /// What it finds, in words.
    pub title: String,
    /// Lowercase keywords; the regex runs only when one occurs (or always, when empty).
    pub keywords: Vec<String>,
    /// Severity when not the rule's.
    pub severity: Option<Severity>,
    /// Advice shown with its findings.
    pub advice: Option<String>,
    /// Whether the key is public by design in browser code.
    pub public_in_browser: bool,
    regex: Regex,
    secret_group: usize,
    host_group: Option<usize>,
    entropy: Option<f64>,
    validator: Option<Validator>,
    allowlist: Vec<Regex>,
}

/// Why a detector spec does not compile, and where in its TOML.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DetectorError {
    /// Byte range in the TOML text of the offending value.
    pub span: std::ops::Range<usize>,
    /// What is wrong.
    pub message: String,
}

/// A detector's match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetectorMatch {
    /// Where the secret is in the text.
    pub span: Span,
    /// The secret.
    pub secret: String,
}

impl Detector {
    /// Compiles `spec`.
    pub fn compile(spec: &DetectorSpec) -> Result<Detector, DetectorError> {
        let id = spec.id.get_ref();
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(DetectorError {
                span: spec.id.span(),
                message: format!("detector id `{id}` must be kebab-case"),
            });
        }
        let regex = Regex::new(spec.regex.get_ref()).map_err(|error| DetectorError {
            span: spec.regex.span(),
            message: format!("invalid regex: {}", regex_error_message(&error)),
        })?;
        let secret_group = regex
            .capture_names()
            .position(|name| name == Some("secret"))
            .unwrap_or(usize::from(regex.captures_len() > 1));
        let host_group = regex.capture_names().position(|name| name == Some("host"));
        let validator = match &spec.validate {
            Some(name) => Some(Validator::from_name(name.get_ref()).ok_or_else(|| DetectorError {
                span: name.span(),
                message: format!(
                    "unknown validation `{}`; expected one of: {}",
                    name.get_ref(),
                    Validator::NAMES.join(", ")
                ),
            })?),
            None => None,
        };
        let mut allowlist = Vec::with_capacity(spec.allowlist.len());
        for pattern in &spec.allowlist {
            allowlist.push(
                compile_whole_value_regex(pattern.get_ref()).map_err(|message| DetectorError {
                    span: pattern.span(),
                    message: format!("invalid allowlist regex: {message}"),
                })?,
            );
        }
        let mut keywords = Vec::with_capacity(spec.keywords.len());
        for keyword in &spec.keywords {
            if keyword.get_ref().trim().is_empty() {
                return Err(DetectorError {
                    span: keyword.span(),
                    message: "keywords must not be empty".into(),
                });
            }
            keywords.push(keyword.get_ref().to_ascii_lowercase());
        }
        Ok(Detector {
            id: id.clone(),
            title: spec.title.clone(),
            keywords,
            severity: spec.severity,
            advice: spec.advice.clone(),
            public_in_browser: spec.public_in_browser,
            regex,
            secret_group,
            host_group,
            entropy: spec.entropy,
            validator,
            allowlist,
        })
    }

    /// Every match in `text` that passes the entropy floor, the validation and the allowlist.
    pub fn find(&self, text: &str, out: &mut Vec<DetectorMatch>) {
        for captures in self.regex.captures_iter(text) {
            let Some(secret) = captures.get(self.secret_group) else {
                continue;
            };
            let value = secret.as_str();
            if value.is_empty() || self.entropy.is_some_and(|floor| shannon_entropy(value) < floor) {
                continue;
            }
            if self.allowlist.iter().any(|re| re.is_match(value)) {
                continue;
            }
            if let Some(validator) = self.validator {
                let host = self.host_group.and_then(|g| captures.get(g)).map(|m| m.as_str());
                if !validator.accepts(value, host) {
                    continue;
                }
            }
            out.push(DetectorMatch {
                span: Span::new(secret.start(), secret.end()),
                secret: value.to_string(),
            });
        }
    }
}
