//! `--format json`: one object, documented in `docs/json-output.md`.
//!
//! The document is built from structs of its own rather than by serializing
//! the core types, so that the schema stays what the documentation says even
//! when the core types grow fields, and the key order is fixed.

use crate::{Error, OutputOptions};
use miroguard_core::{
    FileTimes, Finding, Notification, ParsedFor, Position, ScanReport, StageTimes, TOOL_NAME, TOOL_VERSION, WallTimes,
    rule_doc_url,
};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::Duration;

/// The JSON document for `report`, pretty-printed with a trailing newline.
pub fn to_string(report: &ScanReport, opts: &OutputOptions) -> Result<String, Error> {
    crate::to_pretty_json(&document(report, opts))
}

#[derive(Serialize)]
struct Document<'a> {
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    notifications: Vec<JsonNotification<'a>>,
    stats: Stats<'a>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    detector: Option<&'a str>,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    guideline: Option<&'a str>,
    cwe: Vec<&'a str>,
    path: &'a str,
    start: JsonPosition,
    end: JsonPosition,
    secret: Option<String>,
    fingerprint: &'a str,
    snippet: Option<String>,
    snippet_first_line: Option<u32>,
    help_uri: Option<String>,
    runs_in: Option<JsonRunsIn<'a>>,
    /// For flow findings, the way from the source to the finding; `[]` otherwise.
    flow: Vec<JsonFlowStep<'a>>,
}

/// One place on a flow finding's path, positioned like the finding itself.
#[derive(Serialize)]
struct JsonFlowStep<'a> {
    start: JsonPosition,
    end: JsonPosition,
    message: Cow<'a, str>,
}

/// Where a class-dependent finding's file runs, and why.
#[derive(Serialize)]
struct JsonRunsIn<'a> {
    class: String,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonPosition {
    line: u32,
    column: u32,
    column_utf16: u32,
    offset: usize,
}

impl From<Position> for JsonPosition {
    fn from(position: Position) -> JsonPosition {
        JsonPosition {
            line: position.line,
            column: position.column,
            column_utf16: position.column_utf16,
            offset: position.offset,
        }
    }
}

#[derive(Serialize)]
struct JsonNotification<'a> {
    kind: &'static str,
    level: &'static str,
    path: &'a str,
    position: Option<JsonPosition>,
    message: &'a str,
}

#[derive(Serialize)]
struct Stats<'a> {
    files_scanned: u64,
    files_skipped: u64,
    files_parsed: u64,
    parsed_for: &'a BTreeMap<String, ParsedFor>,
    bytes_scanned: u64,
    elapsed_ms: u64,
    stages: Stages,
}

#[derive(Serialize)]
struct Stages {
    threads: u64,
    wall_ms: Wall,
    thread_ms: Thread,
}

#[derive(Serialize)]
struct Wall {
    walk: u64,
    files: u64,
    classify: u64,
    resolve: u64,
}

#[derive(Serialize)]
struct Thread {
    walk: u64,
    read: u64,
    classify: u64,
    prefilter: u64,
    parse: u64,
    rules: u64,
    finalize: u64,
}

/// Whole milliseconds, saturating rather than wrapping: 2^64 ms is not a scan anyone waits for.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl From<&StageTimes> for Stages {
    fn from(stages: &StageTimes) -> Stages {
        // Destructured, so that a stage added to the core types fails to
        // compile here instead of going missing from the JSON.
        let WallTimes {
            walk,
            files,
            classify,
            resolve,
        } = stages.wall;
        let FileTimes {
            walk: thread_walk,
            read,
            classify: thread_classify,
            prefilter,
            parse,
            rules,
            finalize,
        } = stages.thread;
        Stages {
            threads: stages.threads,
            wall_ms: Wall {
                walk: millis(walk),
                files: millis(files),
                classify: millis(classify),
                resolve: millis(resolve),
            },
            thread_ms: Thread {
                walk: millis(thread_walk),
                read: millis(read),
                classify: millis(thread_classify),
                prefilter: millis(prefilter),
                parse: millis(parse),
                rules: millis(rules),
                finalize: millis(finalize),
            },
        }
    }
}

fn document<'a>(report: &'a ScanReport, opts: &OutputOptions) -> Document<'a> {
    let stats = &report.stats;
    Document {
        tool: Tool {
            name: TOOL_NAME,
            version: TOOL_VERSION,
        },
        findings: report
            .findings
            .iter()
            .map(|finding| json_finding(report, finding, opts))
            .collect(),
        notifications: report.notifications.iter().map(json_notification).collect(),
        stats: Stats {
            files_scanned: stats.files_scanned,
            files_skipped: stats.files_skipped,
            files_parsed: stats.files_parsed,
            parsed_for: &stats.parsed_for,
            bytes_scanned: stats.bytes_scanned,
            elapsed_ms: millis(stats.elapsed),
            stages: Stages::from(&stats.stages),
        },
    }
}

fn json_finding<'a>(report: &'a ScanReport, finding: &'a Finding, opts: &OutputOptions) -> JsonFinding<'a> {
    // A finding of a rule the report does not list (a bug upstream, or a rule
    // from a newer engine) still prints; it just has no rule metadata.
    let meta = report.rule(&finding.rule).map(|rule| &rule.meta);
    JsonFinding {
        rule: &finding.rule,
        detector: finding.detector.as_deref(),
        severity: finding.severity.as_str(),
        message: &finding.message,
        help: finding.help.as_deref(),
        guideline: meta.and_then(|meta| meta.guideline.as_deref()),
        cwe: meta
            .map(|meta| meta.cwe.iter().map(String::as_str).collect())
            .unwrap_or_default(),
        path: &finding.path,
        start: finding.start.into(),
        end: finding.end.into(),
        secret: finding.display_secret(opts.show_secrets),
        fingerprint: &finding.fingerprint,
        snippet: finding
            .snippet
            .as_ref()
            .map(|snippet| snippet.render(opts.show_secrets).0),
        // Without it a consumer cannot tell which line the snippet's first line is.
        snippet_first_line: finding.snippet.as_ref().map(|snippet| snippet.first_line),
        help_uri: meta.map(|meta| rule_doc_url(&meta.id)),
        runs_in: finding.runs_in.as_ref().map(|runs_in| JsonRunsIn {
            class: runs_in.class.to_string(),
            reason: &runs_in.reason,
        }),
        flow: finding
            .flow
            .iter()
            .map(|step| JsonFlowStep {
                start: step.start.into(),
                end: step.end.into(),
                message: crate::flow_step_message(finding, step, opts),
            })
            .collect(),
    }
}

fn json_notification(notification: &Notification) -> JsonNotification<'_> {
    JsonNotification {
        kind: notification.kind.as_str(),
        level: notification.level.as_str(),
        path: &notification.path,
        position: notification.position.map(JsonPosition::from),
        message: &notification.message,
    }
}
