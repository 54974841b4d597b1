//! The result of a scan, as the engine hands it to the reporters.

use crate::finding::{Finding, Notification};
use crate::rule_meta::RuleMeta;
use crate::severity::Severity;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

/// A rule as it ran in this scan.
#[derive(Clone, Debug)]
pub struct EnabledRule {
    /// Its metadata.
    pub meta: RuleMeta,
    /// The severity its findings get by default in this scan (after configuration).
    pub severity: Severity,
}

/// Counters of a scan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ScanStats {
    /// Files read and checked.
    pub files_scanned: u64,
    /// Files skipped (binary, too large, unreadable).
    pub files_skipped: u64,
    /// Files a front end parsed (the rest needed only the lexical tier).
    pub files_parsed: u64,
    /// Bytes of the files checked.
    pub bytes_scanned: u64,
    /// Wall time of the scan.
    #[serde(serialize_with = "serialize_millis", rename = "elapsed_ms")]
    pub elapsed: Duration,
}

fn serialize_millis<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(duration.as_millis() as u64)
}

/// Everything a scan found, sorted: findings by path, position and rule;
/// notifications by path. The same bytes whatever the thread count.
#[derive(Clone, Debug, Default)]
pub struct ScanReport {
    /// The findings.
    pub findings: Vec<Finding>,
    /// Findings that inline comments suppress, with the reason in
    /// [`Finding::suppression`]: not reported, but shown as suppressed in SARIF.
    pub suppressed: Vec<Finding>,
    /// Files skipped or only partly analysed, and other things to know.
    pub notifications: Vec<Notification>,
    /// The rules that ran, sorted by id.
    pub rules: Vec<EnabledRule>,
    /// Counters.
    pub stats: ScanStats,
    /// The absolute directory that finding paths are relative to (SARIF `%SRCROOT%`).
    pub root: PathBuf,
}

impl ScanReport {
    /// How many findings have each severity: `(errors, warnings, notes)`.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |s: Severity| self.findings.iter().filter(|f| f.severity == s).count();
        (count(Severity::Error), count(Severity::Warning), count(Severity::Note))
    }

    /// The metadata of rule `id`, if it ran.
    pub fn rule(&self, id: &str) -> Option<&EnabledRule> {
        self.rules.iter().find(|rule| rule.meta.id == id)
    }
}
