//! `scan --stats`: where a scan's time went, as a table for standard error.
//!
//! The per-file stages run on several worker threads at once, so their times
//! are summed over the threads ("thread s"); the stages that run once per
//! scan are wall time ("wall s"). The `files` row puts the two side by side
//! for the parallel part, and the wall column adds up to the total.

use crate::text::human_bytes;
use miroguard_core::ScanReport;
use std::io::{self, Write};
use std::time::Duration;

/// One row: a stage, its time on the workers and on the main thread, and what it covers.
struct Row {
    stage: &'static str,
    thread: Option<Duration>,
    wall: Option<Duration>,
    covers: String,
}

/// Writes the table for `report`; `report_time` is what filtering, rendering
/// and writing the report took after the scan (the caller times it, as it
/// happens after the engine is done).
pub fn write<W: Write>(report: &ScanReport, report_time: Duration, out: &mut W) -> io::Result<()> {
    let stats = &report.stats;
    let stages = &stats.stages;
    let (thread, wall) = (&stages.thread, &stages.wall);
    let threads = stages.threads;
    let workers = if threads == 1 {
        "the worker thread".to_string()
    } else {
        format!("the {threads} worker threads")
    };
    let row = |stage, thread, wall, covers: &str| Row {
        stage,
        thread,
        wall,
        covers: covers.to_string(),
    };
    let rows = [
        row(
            "walk",
            Some(thread.walk),
            Some(wall.walk),
            "the directory walk; per file, .gitignore status with --no-ignore",
        ),
        row("read", Some(thread.read), None, "reading files; size and binary checks"),
        row(
            "classify",
            Some(thread.classify),
            Some(wall.classify),
            "per file, language, dependencies, signals; the tree's context map",
        ),
        row(
            "prefilter",
            Some(thread.prefilter),
            None,
            "the one keyword pass; rules' lexical gates on parsing",
        ),
        row(
            "parse",
            Some(thread.parse),
            None,
            "tree-sitter (JS/TS) and syn (Rust), lowering to Facts",
        ),
        row("rules", Some(thread.rules), None, "rules' checks"),
        row(
            "finalize",
            Some(thread.finalize),
            Some(wall.resolve),
            "per file, suppression, fingerprints; project notes, classes, sorting",
        ),
        row(
            "report",
            None,
            Some(report_time),
            "--baseline and --changed-since filters, rendering, writing",
        ),
        Row {
            stage: "files",
            thread: Some(thread.total()),
            wall: Some(wall.files),
            covers: format!("the per-file stages above, on {workers}"),
        },
        row(
            "total",
            None,
            Some(stats.elapsed + report_time),
            "the whole scan and its report",
        ),
    ];

    writeln!(
        out,
        "Time by stage: \"thread s\" is per-file work summed over {workers} that check files \
         in parallel (up to {threads} × its wall time); \"wall s\" is elapsed time."
    )?;
    writeln!(out, "  {:<10} {:>9} {:>9}", "stage", "thread s", "wall s")?;
    for Row {
        stage,
        thread,
        wall,
        covers,
    } in &rows
    {
        let line = format!("  {stage:<10} {:>9} {:>9}  {covers}", seconds(*thread), seconds(*wall));
        writeln!(out, "{}", line.trim_end())?;
    }

    let lexical_only = stats.files_scanned.saturating_sub(stats.files_parsed);
    writeln!(
        out,
        "Files: {} scanned ({} parsed, {lexical_only} lexical only), {} skipped (binary, too large, unreadable).",
        stats.files_scanned, stats.files_parsed, stats.files_skipped
    )?;
    if !stats.parsed_for.is_empty() {
        let mut rules: Vec<_> = stats.parsed_for.iter().collect();
        rules.sort_by(|a, b| b.1.bytes.cmp(&a.1.bytes).then(a.0.cmp(b.0)));
        writeln!(out, "Parsed for (the first rule whose lexical tier asked):")?;
        for (rule, parsed) in rules {
            let files = if parsed.files == 1 { "file" } else { "files" };
            writeln!(
                out,
                "  {rule:<34} {:>6} {files:<5} {:>10}",
                parsed.files,
                human_bytes(parsed.bytes)
            )?;
        }
    }
    let rate = match stats.elapsed.as_secs_f64() {
        secs if secs > 0.0 => format!("{:.1} MB/s", stats.bytes_scanned as f64 / 1e6 / secs),
        _ => "- MB/s".to_string(),
    };
    let findings = report.findings.len();
    writeln!(
        out,
        "Bytes: {} at {rate} (over the scan's wall time); {findings} {}.",
        human_bytes(stats.bytes_scanned),
        if findings == 1 { "finding" } else { "findings" }
    )
}

fn seconds(duration: Option<Duration>) -> String {
    duration.map_or_else(|| "-".to_string(), |d| format!("{:.3}", d.as_secs_f64()))
}
