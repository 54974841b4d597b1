//! Baselines: the findings a project has accepted for now, so that a scan
//! reports only the ones that are new.
//!
//! An entry is a finding's rule, path and fingerprint hash (a hash of what
//! was found: the secret, or the matched code without whitespace — never
//! its line), with how many findings share them. Code that moves up or down
//! keeps matching; editing the secret, or moving it to another file, does
//! not. Entries that match fewer findings than they count are *stale*: the
//! code was fixed or removed, and the entry can go.

use crate::finding::{Finding, Notification, NotificationKind};
use crate::severity::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The format version this build reads and writes.
pub const BASELINE_VERSION: u32 = 1;

/// A baseline file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// [`BASELINE_VERSION`].
    pub version: u32,
    /// The accepted findings, sorted.
    pub entries: Vec<BaselineEntry>,
}

/// Findings of one rule in one file with the same fingerprint hash.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The rule.
    pub rule: String,
    /// The file, as displayed in reports.
    pub path: String,
    /// The fingerprint without its occurrence number.
    pub fingerprint: String,
    /// How many findings it accepts.
    pub count: usize,
}

/// Why a baseline could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The baseline file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file is not a baseline.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The baseline file.
        path: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The file was written by a newer miroguard.
    #[error("{path}: baseline version {found} is not supported (this miroguard reads version {BASELINE_VERSION})")]
    Version {
        /// The baseline file.
        path: String,
        /// The version it says it is.
        found: u32,
    },
}

/// A baseline entry that matched fewer findings than it counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaleEntry {
    /// The entry.
    pub entry: BaselineEntry,
    /// How many of its findings are gone.
    pub missing: usize,
}

impl StaleEntry {
    /// The note a report shows for it.
    pub fn notification(&self) -> Notification {
        let entry = &self.entry;
        let message = if self.missing == entry.count {
            format!(
                "baseline entry for `{}` matches no finding any more; remove it (rewrite the baseline with `miroguard baseline`)",
                entry.rule
            )
        } else {
            format!(
                "baseline entry for `{}` accepts {} findings but {} are gone; rewrite the baseline with `miroguard baseline`",
                entry.rule, entry.count, self.missing
            )
        };
        Notification::new(NotificationKind::Config, Severity::Note, entry.path.clone(), message)
    }
}

/// A finding's baseline key: rule, path and fingerprint hash.
fn key(finding: &Finding) -> (String, String, String) {
    let hash = finding.fingerprint.split(':').next().unwrap_or_default();
    (finding.rule.clone(), finding.path.clone(), hash.to_string())
}

impl Baseline {
    /// The baseline that accepts exactly `findings`.
    pub fn of(findings: &[Finding]) -> Baseline {
        let mut counts: BTreeMap<(String, String, String), usize> = BTreeMap::new();
        for finding in findings {
            *counts.entry(key(finding)).or_default() += 1;
        }
        let entries = counts
            .into_iter()
            .map(|((rule, path, fingerprint), count)| BaselineEntry {
                rule,
                path,
                fingerprint,
                count,
            })
            .collect();
        Baseline {
            version: BASELINE_VERSION,
            entries,
        }
    }

    /// Reads a baseline from `text`; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Baseline, BaselineError> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| BaselineError::Parse {
            path: path.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string().split(" at line ").next().unwrap_or_default().to_string(),
        })?;
        if baseline.version != BASELINE_VERSION {
            return Err(BaselineError::Version {
                path: path.to_string(),
                found: baseline.version,
            });
        }
        Ok(baseline)
    }

    /// Reads the baseline file at `path`.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: shown.clone(),
            source,
        })?;
        Baseline::parse(&text, &shown)
    }

    /// The file's text: pretty JSON, one entry per few lines, stable order.
    pub fn to_json(&self) -> String {
        // Serialising plain strings and numbers cannot fail.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Removes the findings the baseline accepts from `findings` (keeping
    /// their order) and returns the entries that accepted fewer than they count.
    pub fn apply(&self, findings: &mut Vec<Finding>) -> Vec<StaleEntry> {
        let mut remaining: BTreeMap<(String, String, String), usize> = self
            .entries
            .iter()
            .map(|e| ((e.rule.clone(), e.path.clone(), e.fingerprint.clone()), e.count))
            .collect();
        findings.retain(|finding| match remaining.get_mut(&key(finding)) {
            Some(left) if *left > 0 => {
                *left -= 1;
                false
            }
            _ => true,
        });
        self.entries
            .iter()
            .filter_map(|entry| {
                let left = remaining
                    .get(&(entry.rule.clone(), entry.path.clone(), entry.fingerprint.clone()))
                    .copied()
                    .unwrap_or(0);
                (left > 0).then(|| StaleEntry {
                    entry: entry.clone(),
                    missing: left,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::fingerprint;
    use crate::span::Span;

    fn finding(rule: &str, path: &str, material: &str, occurrence: usize) -> Finding {
        let mut f = Finding::new(rule, Severity::Error, Span::new(0, 1), "m");
        f.path = path.into();
        f.fingerprint = fingerprint(rule, path, material, occurrence);
        f
    }

    #[test]
    fn accepted_findings_disappear_and_new_ones_stay() {
        let old = vec![
            finding("hardcoded-secret", "a.js", "ghp_x", 0),
            finding("hardcoded-secret", "a.js", "ghp_x", 1),
            finding("secret-in-log", "b.rs", "println!", 0),
        ];
        let baseline = Baseline::of(&old);
        assert_eq!(baseline.entries.len(), 2);
        assert_eq!(baseline.entries[0].count, 2);
        let mut now = vec![
            finding("hardcoded-secret", "a.js", "ghp_x", 0),
            finding("hardcoded-secret", "a.js", "ghp_y", 0),
            finding("hardcoded-secret", "c.js", "ghp_x", 0),
        ];
        let stale = baseline.apply(&mut now);
        let left: Vec<&str> = now.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(left, ["a.js", "c.js"], "an edited secret and a moved one are new");
        assert_eq!(stale.len(), 2);
        assert_eq!((stale[0].entry.count, stale[0].missing), (2, 1));
        assert_eq!(stale[1].entry.rule, "secret-in-log");
        assert!(stale[1].notification().message.contains("matches no finding"));
    }

    #[test]
    fn the_file_round_trips_and_bad_files_name_the_place() {
        let baseline = Baseline::of(&[finding("r", "a.js", "x", 0)]);
        assert_eq!(
            Baseline::parse(&baseline.to_json(), "b.json").expect("parses"),
            baseline
        );
        let error = Baseline::parse("{\n  \"version\": 1,\n  \"entries\": 3\n}", "b.json").unwrap_err();
        assert!(error.to_string().starts_with("b.json:3:"), "{error}");
        let newer = Baseline::parse("{\"version\": 9, \"entries\": []}", "b.json").unwrap_err();
        assert!(newer.to_string().contains("version 9"), "{newer}");
    }
}
