//! The `miroguard` binary: parses the command line and wires the engine to a reporter.

mod cli;
mod progress;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{
    BaselineArgs, ClassifyArgs, Cli, ColorChoice, Command, FailOn, Format, ListFormat, LspArgs, ScanArgs, WalkArgs,
};
use miroguard_core::{Baseline, Config, ScanReport, Severity, StaleEntry};
use miroguard_engine::{Engine, ScanOptions};
use miroguard_report::OutputOptions;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Exit status when nothing reached `--fail-on`.
const EXIT_CLEAN: u8 = 0;
/// Exit status when findings reached `--fail-on`.
const EXIT_FINDINGS: u8 = 1;
/// Exit status for usage, configuration and I/O errors.
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Scan(args)) => scan(args),
        Some(Command::Rules { format }) => list_rules(format),
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Classify(args)) => classify(args),
        Some(Command::Baseline(args)) => write_baseline(args),
        Some(Command::Lsp(args)) => lsp(args),
        None => scan(cli.scan),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            // A closed pipe (`miroguard | head`) is not an error worth a message.
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::from(EXIT_CLEAN);
            }
            eprintln!("miroguard: error: {error:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Loads `--config`, or the `.miroguard.toml` nearest above the first path.
fn load_config(explicit: Option<&Path>, paths: &[PathBuf], cwd: &Path) -> Result<Config> {
    if let Some(path) = explicit {
        return Ok(Config::load(path)?);
    }
    let start = paths.first().map(|p| cwd.join(p)).unwrap_or_else(|| cwd.to_path_buf());
    let start = if start.is_dir() {
        start
    } else {
        start.parent().map(Path::to_path_buf).unwrap_or(start)
    };
    match Config::discover(&start) {
        Some(path) => Ok(Config::load(&path)?),
        None => Ok(Config::default()),
    }
}

fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |term| term != "dumb")
        }
    }
}

/// The engine and scan options `walk` asks for.
fn prepare(walk: &WalkArgs) -> Result<(Engine, ScanOptions)> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let config = load_config(walk.config.as_deref(), &walk.paths, &cwd)?;
    let engine = Engine::new(config)?;
    let mut options = ScanOptions::new(cwd);
    options.paths = walk.paths.clone();
    options.excludes = walk.exclude.clone();
    options.force_exclude = walk.force_exclude;
    options.no_ignore = walk.no_ignore;
    options.include_generated = walk.include_generated;
    options.max_file_size = walk.max_file_size;
    options.threads = walk.threads;
    Ok((engine, options))
}

fn scan(args: ScanArgs) -> Result<u8> {
    let (mut engine, options) = prepare(&args.walk)?;
    engine.force_parse(args.parse_all);
    let changed = match &args.changed_since {
        Some(reference) => Some(changed_lines(&options.root, reference)?),
        None => None,
    };
    let mut report = progress::with_progress(|counter| engine.scan(&options, counter))?;
    // Everything from here on is the "report" stage of `--stats`.
    let scanned = Instant::now();
    if let Some(changed) = &changed {
        report.findings.retain(|f| {
            changed
                .get(&f.path)
                .is_some_and(|ranges| ranges.iter().any(|r| r.contains(&f.start.line)))
        });
    }
    if let Some(path) = &args.baseline {
        let baseline = Baseline::load(path)?;
        let stale = baseline.apply(&mut report.findings);
        report.notifications.extend(stale.iter().map(StaleEntry::notification));
        report.notifications.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let output_options = OutputOptions {
        show_secrets: args.show_secrets,
        color: args.format == Format::Text && use_color(args.color, to_terminal),
        verbose: args.verbose,
    };
    let rendered: Vec<u8> = match args.format {
        Format::Text => {
            let mut buffer = Vec::new();
            miroguard_report::text::write(&report, &output_options, &mut buffer)?;
            buffer
        }
        Format::Json => miroguard_report::json::to_string(&report, &output_options)?.into_bytes(),
        Format::Sarif => miroguard_report::sarif::to_string(&report, &output_options)?.into_bytes(),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &rendered).with_context(|| format!("cannot write {}", path.display()))?;
            if args.format != Format::Text {
                let (errors, warnings, notes) = report.counts();
                eprintln!(
                    "miroguard: {} findings ({errors} errors, {warnings} warnings, {notes} notes) in {} files written to {}",
                    report.findings.len(),
                    report.stats.files_scanned,
                    path.display()
                );
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&rendered)?;
            stdout.flush()?;
        }
    }
    if args.stats {
        // On stderr, after the report: never mixed into JSON or SARIF on stdout.
        let report_time = scanned.elapsed();
        let mut stderr = std::io::stderr().lock();
        miroguard_report::stats::write(&report, report_time, &mut stderr)?;
        stderr.flush()?;
    }
    Ok(exit_code(&report, args.fail_on))
}

fn lsp(args: LspArgs) -> Result<u8> {
    let mut options = miroguard_lsp::ServerOptions {
        debounce: std::time::Duration::from_millis(args.debounce),
        ..miroguard_lsp::ServerOptions::default()
    };
    if let Some(threads) = args.threads {
        options.threads = threads.max(1);
    }
    match miroguard_lsp::run_stdio(options) {
        Ok(()) => Ok(EXIT_CLEAN),
        // The protocol's exit code for `exit` without `shutdown`, and for a client that vanished.
        Err(miroguard_lsp::ServerError::ExitWithoutShutdown | miroguard_lsp::ServerError::Disconnected) => {
            Ok(EXIT_FINDINGS)
        }
        Err(error) => Err(error.into()),
    }
}

/// The lines of each file (as displayed: relative to `root`) that changed
/// since `reference`, from `git diff --unified=0`.
fn changed_lines(root: &Path, reference: &str) -> Result<HashMap<String, Vec<std::ops::RangeInclusive<u32>>>> {
    let inside = std::process::Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(root)
        .output()
        .context("--changed-since runs git, which could not be started")?;
    if !inside.status.success() {
        anyhow::bail!(
            "--changed-since {reference}: {} is not in a git repository",
            root.display()
        );
    }
    let output = std::process::Command::new("git")
        .args([
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--relative",
            reference,
            "--",
        ])
        .current_dir(root)
        .output()
        .context("--changed-since runs git, which could not be started")?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        anyhow::bail!("--changed-since {reference}: git diff failed: {}", message.trim());
    }
    Ok(parse_diff(&String::from_utf8_lossy(&output.stdout)))
}

/// Changed line ranges per file of a `git diff --unified=0`.
fn parse_diff(diff: &str) -> HashMap<String, Vec<std::ops::RangeInclusive<u32>>> {
    let mut changed: HashMap<String, Vec<std::ops::RangeInclusive<u32>>> = HashMap::new();
    let mut file: Option<String> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            // `+++ b/src/a.js`, or `+++ /dev/null` for a deleted file.
            file = path.strip_prefix("b/").map(str::to_string);
        } else if let (Some(hunk), Some(file)) = (line.strip_prefix("@@ "), &file) {
            // `@@ -12,3 +14,5 @@`: five lines from 14 (a count of 0 adds none).
            let Some(new) = hunk.split_whitespace().find_map(|part| part.strip_prefix('+')) else {
                continue;
            };
            let (start, count) = new.split_once(',').unwrap_or((new, "1"));
            if let (Ok(start), Ok(count)) = (start.parse::<u32>(), count.parse::<u32>()) {
                if count > 0 {
                    changed.entry(file.clone()).or_default().push(start..=start + count - 1);
                }
            }
        }
    }
    changed
}

/// `miroguard baseline`: the current findings, written as a baseline file.
fn write_baseline(args: BaselineArgs) -> Result<u8> {
    let (engine, options) = prepare(&args.walk)?;
    let report = progress::with_progress(|counter| engine.scan(&options, counter))?;
    let baseline = Baseline::of(&report.findings);
    std::fs::write(&args.output, baseline.to_json())
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!(
        "miroguard: {} findings ({} baseline entries) written to {}",
        report.findings.len(),
        baseline.entries.len(),
        args.output.display()
    );
    Ok(EXIT_CLEAN)
}

/// 2 when a path could not be scanned at all, 1 when a finding reaches `fail_on`, else 0.
fn exit_code(report: &ScanReport, fail_on: FailOn) -> u8 {
    if report.notifications.iter().any(|n| n.level == Severity::Error) {
        return EXIT_ERROR;
    }
    let threshold = match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    match threshold {
        Some(threshold) if report.findings.iter().any(|f| f.severity >= threshold) => EXIT_FINDINGS,
        _ => EXIT_CLEAN,
    }
}

/// `miroguard classify`: every JS/TS and Rust file with its class and the reasons for it.
fn classify(args: ClassifyArgs) -> Result<u8> {
    let (engine, options) = prepare(&args.walk)?;
    let (context, notifications) = progress::with_progress(|counter| engine.classify(&options, counter))?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            #[derive(serde::Serialize)]
            struct File<'a> {
                path: &'a str,
                class: &'a str,
                reasons: &'a [String],
            }
            #[derive(serde::Serialize)]
            struct Conflict<'a> {
                browser_file: &'a str,
                server_only_file: &'a str,
                chain: &'a [String],
            }
            #[derive(serde::Serialize)]
            struct Output<'a> {
                files: Vec<File<'a>>,
                conflicts: Vec<Conflict<'a>>,
            }
            let output = Output {
                files: context
                    .iter()
                    .map(|(path, c)| File {
                        path,
                        class: c.class.as_str(),
                        reasons: &c.reasons,
                    })
                    .collect(),
                conflicts: context
                    .conflicts()
                    .iter()
                    .map(|c| Conflict {
                        browser_file: &c.browser_file,
                        server_only_file: &c.server_only_file,
                        chain: &c.chain,
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut out, &output)?;
            writeln!(out)?;
        }
        ListFormat::Text => {
            let width = context.iter().map(|(path, _)| path.len()).max().unwrap_or(0);
            for (path, classification) in context.iter() {
                writeln!(
                    out,
                    "{:<12} {path:<width$}  {}",
                    classification.class.as_str(),
                    classification.reasons.join("; ")
                )?;
            }
            for conflict in context.conflicts() {
                writeln!(
                    out,
                    "conflict: browser code {} reaches the server-only module {} ({})",
                    conflict.browser_file,
                    conflict.server_only_file,
                    conflict.chain.join(" → ")
                )?;
            }
            for notification in notifications.iter().filter(|n| n.level >= Severity::Warning) {
                writeln!(
                    out,
                    "{}: {}: {}",
                    notification.level, notification.path, notification.message
                )?;
            }
        }
    }
    let failed = notifications.iter().any(|n| n.level == Severity::Error);
    Ok(if failed { EXIT_ERROR } else { EXIT_CLEAN })
}

fn builtin_engine() -> Result<Engine> {
    Ok(Engine::new(Config::default())?)
}

fn list_rules(format: ListFormat) -> Result<u8> {
    let engine = builtin_engine()?;
    let mut out = std::io::stdout().lock();
    match format {
        ListFormat::Json => {
            let metas: Vec<_> = engine.registry().rules().iter().map(|r| r.meta()).collect();
            serde_json::to_writer_pretty(&mut out, &metas)?;
            writeln!(out)?;
        }
        ListFormat::Text => {
            for rule in engine.registry().rules() {
                let meta = rule.meta();
                let guideline = meta.guideline.as_deref().unwrap_or("-");
                writeln!(
                    out,
                    "{:<22} {:<8} {:<10} {}",
                    meta.id,
                    meta.severity.as_str(),
                    guideline,
                    meta.title
                )?;
            }
        }
    }
    Ok(EXIT_CLEAN)
}

fn explain(id: &str) -> Result<u8> {
    let engine = builtin_engine()?;
    let Some(rule) = engine.registry().get(id) else {
        let known = engine.registry().ids().join(", ");
        anyhow::bail!("unknown rule `{id}`; known rules: {known}");
    };
    let meta = rule.meta();
    let mut out = std::io::stdout().lock();
    writeln!(out, "# {} ({})\n", meta.title, meta.id)?;
    writeln!(out, "{}\n", meta.description)?;
    writeln!(out, "- Severity: {}", meta.severity)?;
    if let Some(guideline) = &meta.guideline {
        writeln!(out, "- Guideline: {guideline}")?;
    }
    if !meta.cwe.is_empty() {
        writeln!(out, "- CWE: {}", meta.cwe.join(", "))?;
    }
    writeln!(out, "- Precision: {}", meta.precision.as_str())?;
    writeln!(out, "- Documentation: {}\n", miroguard_core::rule_doc_url(&meta.id))?;
    writeln!(out, "{}", meta.help.trim())?;
    Ok(EXIT_CLEAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_give_the_new_side_of_each_hunk() {
        let diff = "diff --git a/src/a.js b/src/a.js\n--- a/src/a.js\n+++ b/src/a.js\n@@ -3,0 +4,2 @@\n+x\n+y\n@@ -10 +12 @@\n-a\n+b\n@@ -20,2 +21,0 @@\n-c\n-d\n--- a/gone.js\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n";
        let changed = parse_diff(diff);
        assert_eq!(changed.len(), 1);
        assert_eq!(changed["src/a.js"], [4..=5, 12..=12]);
    }
}
