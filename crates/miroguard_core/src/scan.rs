//! The result of a scan, as the engine hands it to the reporters.

use crate::finding::{Finding, Notification};
use crate::rule_meta::RuleMeta;
use crate::severity::Severity;
use serde::Serialize;
use std::collections::BTreeMap;
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
    /// Why files were parsed: for each rule, the files (and their bytes)
    /// whose parse it was the first to ask for, in rule order. Files parsed
    /// because `--parse-all` said so are not in it.
    pub parsed_for: BTreeMap<String, ParsedFor>,
    /// Bytes of the files checked.
    pub bytes_scanned: u64,
    /// Wall time of the scan.
    #[serde(serialize_with = "serialize_millis", rename = "elapsed_ms")]
    pub elapsed: Duration,
    /// Where that time went, stage by stage.
    pub stages: StageTimes,
}

/// The files parsed because one rule asked, and their size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ParsedFor {
    /// Files.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
}

impl ScanStats {
    /// Counts one file parsed because `rule` asked first.
    pub fn add_parsed_for(&mut self, rule: &str, files: u64, bytes: u64) {
        let entry = self.parsed_for.entry(rule.to_string()).or_default();
        entry.files += files;
        entry.bytes += bytes;
    }
}

/// Where a scan's time went. The files are checked in parallel, so the
/// per-file stages are measured as time summed over the worker threads
/// ([`StageTimes::thread`]), and the rest as wall time on the thread that
/// runs the scan ([`StageTimes::wall`]); the two do not add up to each other.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StageTimes {
    /// Worker threads that checked the files.
    pub threads: u64,
    /// Wall time of the stages that run once per scan.
    #[serde(rename = "wall_ms")]
    pub wall: WallTimes,
    /// Time of the per-file stages, summed over the files and so over the
    /// worker threads: like CPU time, but measured with the monotonic clock
    /// (cheap enough to read per stage), so time a thread waited for the
    /// disk, or for a core on a busy machine, counts too.
    #[serde(rename = "thread_ms")]
    pub thread: FileTimes,
}

/// Wall time of a scan's stages that run once, in the order they run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WallTimes {
    /// Discovering the candidate files: the directory walk with its ignore files and excludes.
    #[serde(serialize_with = "serialize_millis")]
    pub walk: Duration,
    /// Checking the files on the worker threads: every stage of [`FileTimes`].
    #[serde(serialize_with = "serialize_millis")]
    pub files: Duration,
    /// Classifying the tree (browser, server…) from the files' signals.
    #[serde(serialize_with = "serialize_millis")]
    pub classify: Duration,
    /// Deciding project notes, resolving class-dependent findings, sorting.
    #[serde(serialize_with = "serialize_millis")]
    pub resolve: Duration,
}

/// Time of the stages each file goes through, summed over files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FileTimes {
    /// Asking `.gitignore` files whether git ignores a file, for the files
    /// the walk did not filter (`--no-ignore`, or named on the command line).
    #[serde(serialize_with = "serialize_millis")]
    pub walk: Duration,
    /// Reading the file, with the size and binary checks.
    #[serde(serialize_with = "serialize_millis")]
    pub read: Duration,
    /// The file's language and dependencies, and the signals the tree's classification reads.
    #[serde(serialize_with = "serialize_millis")]
    pub classify: Duration,
    /// The keyword pass and the rules' lexical decisions on whether to parse.
    #[serde(serialize_with = "serialize_millis")]
    pub prefilter: Duration,
    /// A front end's parse and lowering to Facts.
    #[serde(serialize_with = "serialize_millis")]
    pub parse: Duration,
    /// The rules' checks.
    #[serde(serialize_with = "serialize_millis")]
    pub rules: Duration,
    /// Suppression comments, the file's known class, positions, snippets,
    /// fingerprints, and the project a project note is about.
    #[serde(serialize_with = "serialize_millis")]
    pub finalize: Duration,
}

impl FileTimes {
    /// All stages together.
    pub fn total(&self) -> Duration {
        self.walk + self.read + self.classify + self.prefilter + self.parse + self.rules + self.finalize
    }
}

impl std::ops::AddAssign for FileTimes {
    fn add_assign(&mut self, other: FileTimes) {
        self.walk += other.walk;
        self.read += other.read;
        self.classify += other.classify;
        self.prefilter += other.prefilter;
        self.parse += other.parse;
        self.rules += other.rules;
        self.finalize += other.finalize;
    }
}

fn serialize_millis<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    // Saturate rather than wrap: 2^64 ms is not a scan anyone waits for.
    serializer.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
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
