//! Human output: one codespan-reporting diagnostic per finding, then the
//! notifications, then a one-line summary.
//!
//! A finding carries only its [`Snippet`], not the file, so the diagnostic is
//! rendered against a tiny [`Files`] implementation over the snippet's
//! rendered (redacted) text that numbers its lines from
//! [`Snippet::first_line`]: the gutter shows the real line numbers and the
//! label points at the redacted highlight.

use crate::OutputOptions;
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{self, Files, Location};
use codespan_reporting::term::termcolor::{Ansi, ColorSpec, NoColor, WriteColor};
use codespan_reporting::term::{self, Config, Renderer, Styles, WriteStyle};
use miroguard_core::{Finding, Notification, NotificationKind, RuleMeta, ScanReport, Severity, Snippet, rule_doc_url};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;

/// Writes the human-readable report to `out`. ANSI colour only with
/// [`OutputOptions::color`]; without it the output has no escape codes at all.
pub fn write(report: &ScanReport, opts: &OutputOptions, out: &mut dyn Write) -> io::Result<()> {
    if opts.color {
        write_report(report, opts, &mut Ansi::new(out))
    } else {
        write_report(report, opts, &mut NoColor::new(out))
    }
}

fn write_report<W: WriteColor>(report: &ScanReport, opts: &OutputOptions, out: &mut W) -> io::Result<()> {
    let styles = Styles::default();
    for finding in &report.findings {
        write_finding(report, finding, opts, out)?;
    }
    write_notifications(&report.notifications, opts, &styles, out)?;
    write_summary(report, &styles, out)
}

fn cs_severity(severity: Severity) -> CsSeverity {
    match severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Note => CsSeverity::Note,
    }
}

/// The `= …` lines under a finding: the guideline it fails, its CWEs and the
/// rule's documentation, the path of a flow finding's value, then the
/// finding's own advice.
fn finding_notes(finding: &Finding, meta: Option<&RuleMeta>, opts: &OutputOptions) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(meta) = meta {
        let mut parts = Vec::new();
        if let Some(guideline) = &meta.guideline {
            parts.push(format!("fails {guideline}"));
        }
        parts.extend(meta.cwe.iter().cloned());
        parts.push(rule_doc_url(&meta.id));
        notes.push(parts.join(" · "));
    }
    if let Some(flow) = flow_note(finding, opts) {
        notes.push(flow);
    }
    if let Some(runs_in) = &finding.runs_in {
        notes.push(format!(
            "{} is {}: {}",
            finding.path,
            crate::class_description(runs_in.class),
            runs_in.reason
        ));
    }
    if let Some(help) = &finding.help {
        notes.push(format!("help: {help}"));
    }
    notes
}

/// A flow finding's path, one step a line, source first:
///
/// ```text
/// = flow: `accessToken` from the token response (line 31)
///       → copied into `tokens` (line 33)
///       → written to the log (line 35)
/// ```
///
/// The snippet shows only the lines of the last step (the finding itself), so
/// the other steps cannot be labels in it; their line numbers lead there.
fn flow_note(finding: &Finding, opts: &OutputOptions) -> Option<String> {
    let steps: Vec<String> = finding
        .flow
        .iter()
        .map(|step| {
            // One line per step, whatever the message holds.
            let message = crate::flow_step_message(finding, step, opts)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            match (message.is_empty(), step.start.line) {
                (true, 0) => "…".to_string(),
                (false, 0) => message,
                (true, line) => format!("line {line}"),
                (false, line) => format!("{message} (line {line})"),
            }
        })
        .collect();
    let (first, rest) = steps.split_first()?;
    let mut note = format!("flow: {first}");
    for step in rest {
        note.push_str("\n      → ");
        note.push_str(step);
    }
    Some(note)
}

fn write_finding<W: WriteColor>(
    report: &ScanReport,
    finding: &Finding,
    opts: &OutputOptions,
    out: &mut W,
) -> io::Result<()> {
    let meta = report.rule(&finding.rule).map(|rule| &rule.meta);
    let notes = finding_notes(finding, meta, opts);
    let severity = cs_severity(finding.severity);
    let file = finding
        .snippet
        .as_ref()
        .and_then(|snippet| SnippetFile::new(finding, snippet, opts.show_secrets));
    let Some(file) = file else {
        return write_finding_without_source(finding, severity, &notes, out);
    };

    // The label repeats the redacted secret under the highlight, so it is
    // visible even when the highlight spans several lines.
    let label_message = finding.display_secret(opts.show_secrets).unwrap_or_default();
    let diagnostic = Diagnostic::new(severity)
        .with_code(finding.rule.as_str())
        .with_message(finding.message.as_str())
        .with_labels(vec![
            Label::primary((), file.highlight.clone()).with_message(label_message),
        ])
        .with_notes(notes);
    // Show every line the engine put in the snippet, not only the highlighted ones.
    let config = Config {
        before_label_lines: file.line_of(file.highlight.start),
        after_label_lines: file.line_count().saturating_sub(file.line_of(file.highlight.end) + 1),
        ..Config::default()
    };
    term::emit_to_write_style(out, &config, &file, &diagnostic).map_err(into_io_error)
}

/// Header, location and notes, for a finding the engine attached no source to.
fn write_finding_without_source<W: WriteColor>(
    finding: &Finding,
    severity: CsSeverity,
    notes: &[String],
    out: &mut W,
) -> io::Result<()> {
    let config = Config::default();
    let padding = finding.start.line.max(1).to_string().len();
    let mut renderer = Renderer::new(out, &config);
    renderer
        .render_header(None, severity, Some(&finding.rule), &finding.message)
        .map_err(into_io_error)?;
    // codespan does not export the type its own `┌─ path:line:column` line
    // takes, so that line is drawn here with the same characters and style.
    write!(renderer, "{:width$} ", "", width = padding)?;
    renderer.set_source_border()?;
    write!(renderer, "{}", config.chars.snippet_start)?;
    renderer.reset()?;
    if finding.start.line > 0 {
        writeln!(
            renderer,
            " {}:{}:{}",
            finding.path, finding.start.line, finding.start.column
        )?;
    } else {
        // No position at all: `path:0:0` would send an editor nowhere useful.
        writeln!(renderer, " {}", finding.path)?;
    }
    if !notes.is_empty() {
        renderer
            .render_snippet_empty(padding, severity, 0, &[])
            .map_err(into_io_error)?;
    }
    for note in notes {
        renderer.render_snippet_note(padding, note).map_err(into_io_error)?;
    }
    renderer.render_empty().map_err(into_io_error)
}

fn into_io_error(error: files::Error) -> io::Error {
    match error {
        files::Error::Io(error) => error,
        other => io::Error::other(other.to_string()),
    }
}

/// A snippet's rendered text as the single "file" of a diagnostic.
struct SnippetFile<'a> {
    name: &'a str,
    /// The rendered (redacted unless asked otherwise) lines.
    text: String,
    line_starts: Vec<usize>,
    first_line: usize,
    /// The finding's primary span in `text`.
    highlight: Range<usize>,
    /// The finding's real position, shown in the `┌─ path:line:column` line.
    start: Location,
}

impl<'a> SnippetFile<'a> {
    /// `None` when the snippet's highlight does not fall inside its text; the
    /// finding is then printed without source rather than with a wrong caret.
    fn new(finding: &'a Finding, snippet: &Snippet, show_secrets: bool) -> Option<SnippetFile<'a>> {
        let (text, highlight) = snippet.render(show_secrets);
        if highlight.end > text.len()
            || !text.is_char_boundary(highlight.start)
            || !text.is_char_boundary(highlight.end)
        {
            return None;
        }
        let first_line = (snippet.first_line as usize).max(1);
        let line_starts = files::line_starts(&text).collect();
        let file = SnippetFile {
            name: &finding.path,
            text,
            line_starts,
            first_line,
            highlight: highlight.start..highlight.end,
            start: Location {
                line_number: 0,
                column_number: 0,
            },
        };
        // Columns come from the finding, not the rendered text: a redaction
        // earlier on the line shortens the text, but the editor must jump to
        // the real column.
        let start = if finding.start.line > 0 {
            Location {
                line_number: finding.start.line as usize,
                column_number: finding.start.column as usize,
            }
        } else {
            let line = file.line_of(highlight.start);
            let column = files::column_index(&file.text, file.line_range_of(line), highlight.start) + 1;
            Location {
                line_number: first_line + line,
                column_number: column,
            }
        };
        Some(SnippetFile { start, ..file })
    }

    fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    fn line_of(&self, byte_index: usize) -> usize {
        // line_starts[0] is 0, so the partition point is at least 1.
        self.line_starts
            .partition_point(|&start| start <= byte_index)
            .saturating_sub(1)
    }

    fn line_range_of(&self, line: usize) -> Range<usize> {
        let start = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        let end = self.line_starts.get(line + 1).copied().unwrap_or(self.text.len());
        start..end
    }
}

impl<'a> Files<'a> for SnippetFile<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, files::Error> {
        Ok(self.line_of(byte_index))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, files::Error> {
        Ok(self.first_line + line_index)
    }

    fn location(&'a self, (): (), byte_index: usize) -> Result<Location, files::Error> {
        if byte_index == self.highlight.start {
            return Ok(self.start);
        }
        let line = self.line_of(byte_index);
        let column = files::column_index(&self.text, self.line_range_of(line), byte_index) + 1;
        Ok(Location {
            line_number: self.first_line + line,
            column_number: column,
        })
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, files::Error> {
        if line_index >= self.line_count() {
            return Err(files::Error::LineTooLarge {
                given: line_index,
                max: self.line_count().saturating_sub(1),
            });
        }
        Ok(self.line_range_of(line_index))
    }
}

/// The words a notification kind is counted as in the summary of skipped files.
fn kind_words(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::Unreadable => "unreadable",
        NotificationKind::Binary => "binary",
        NotificationKind::TooLarge => "too large",
        NotificationKind::InvalidUtf8 => "invalid UTF-8",
        NotificationKind::SyntaxError => "syntax error",
        NotificationKind::TooDeep => "too deep",
        NotificationKind::Symlink => "symbolic link",
        NotificationKind::ClassConflict => "server code in the browser",
        NotificationKind::Config => "configuration",
    }
}

/// Kinds that mean the file was not scanned at all.
fn is_skip(kind: NotificationKind) -> bool {
    matches!(
        kind,
        NotificationKind::Binary
            | NotificationKind::TooLarge
            | NotificationKind::Unreadable
            | NotificationKind::Symlink
    )
}

fn level_style(styles: &Styles, level: Severity) -> &ColorSpec {
    match level {
        Severity::Error => &styles.header_error,
        Severity::Warning => &styles.header_warning,
        Severity::Note => &styles.header_note,
    }
}

/// Writes `level:` in its colour, then `rest` plainly, then a newline.
fn write_line<W: WriteColor>(out: &mut W, styles: &Styles, level: Severity, rest: &str) -> io::Result<()> {
    out.set_color(level_style(styles, level))?;
    write!(out, "{level}:")?;
    out.reset()?;
    writeln!(out, " {rest}")
}

/// Warnings and errors one per line; notes (skipped files, mostly) counted by
/// kind unless `verbose`, since a repository with vendored binaries would
/// otherwise bury the findings.
fn write_notifications<W: WriteColor>(
    notifications: &[Notification],
    opts: &OutputOptions,
    styles: &Styles,
    out: &mut W,
) -> io::Result<()> {
    let mut skipped = BTreeMap::<NotificationKind, usize>::new();
    let mut other_notes = BTreeMap::<NotificationKind, usize>::new();
    for notification in notifications {
        if notification.level == Severity::Note && !opts.verbose {
            let counts = if is_skip(notification.kind) {
                &mut skipped
            } else {
                &mut other_notes
            };
            *counts.entry(notification.kind).or_default() += 1;
            continue;
        }
        let mut line = String::new();
        if !notification.path.is_empty() {
            line.push_str(&notification.path);
            if let Some(position) = notification.position {
                line.push_str(&format!(":{}:{}", position.line, position.column));
            }
            line.push_str(": ");
        }
        // The engine's messages already say what happened ("syntax error: …",
        // "skipped: binary file"), so the kind is not repeated here.
        line.push_str(&notification.message);
        write_line(out, styles, notification.level, &line)?;
    }
    let breakdown = |counts: &BTreeMap<NotificationKind, usize>| {
        counts
            .iter()
            .map(|(kind, count)| format!("{count} {}", kind_words(*kind)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !skipped.is_empty() {
        let total: usize = skipped.values().sum();
        let rest = format!(
            "skipped {} ({}); --verbose lists them",
            plural(total, "file", "files"),
            breakdown(&skipped)
        );
        write_line(out, styles, Severity::Note, &rest)?;
    }
    if !other_notes.is_empty() {
        let total: usize = other_notes.values().sum();
        let rest = format!(
            "{} ({}); --verbose lists them",
            plural(total, "other note", "other notes"),
            breakdown(&other_notes)
        );
        write_line(out, styles, Severity::Note, &rest)?;
    }
    Ok(())
}

/// `Scanned 12 files (1.2 MB) in 0.21 s: 2 errors, 1 warning, 0 notes.`
fn write_summary<W: WriteColor>(report: &ScanReport, styles: &Styles, out: &mut W) -> io::Result<()> {
    let stats = &report.stats;
    let (errors, warnings, notes) = report.counts();
    let scanned = format!(
        "Scanned {} ({}) in {:.2} s: ",
        plural(stats.files_scanned as usize, "file", "files"),
        human_bytes(stats.bytes_scanned),
        stats.elapsed.as_secs_f64()
    );
    out.write_all(scanned.as_bytes())?;
    if errors + warnings + notes == 0 {
        return writeln!(out, "no findings.");
    }
    out.set_color(styles.header_message.clone().set_bold(true))?;
    write!(
        out,
        "{}, {}, {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(notes, "note", "notes")
    )?;
    out.reset()?;
    writeln!(out, ".")
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Decimal units, one decimal place, as `du --si` and most people read them.
pub(crate) fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return plural(bytes as usize, "byte", "bytes");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_like_du_si() {
        assert_eq!(human_bytes(0), "0 bytes");
        assert_eq!(human_bytes(1), "1 byte");
        assert_eq!(human_bytes(999), "999 bytes");
        assert_eq!(human_bytes(1000), "1.0 kB");
        assert_eq!(human_bytes(1_234_567), "1.2 MB");
        assert_eq!(human_bytes(999_999), "1.0 MB");
        assert_eq!(human_bytes(5_000_000_000), "5.0 GB");
    }
}
