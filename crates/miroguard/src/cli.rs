//! The command line: one definition per flag, from which clap makes the help.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// miroguard: a security linter for Rust and JavaScript/TypeScript apps.
///
/// Finds hardcoded secrets and other violations of the Miro Marketplace
/// security guidelines. `miroguard` alone scans the current directory.
#[derive(Debug, Parser)]
#[command(
    name = "miroguard",
    version,
    args_conflicts_with_subcommands = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories (the default command).
    Scan(ScanArgs),
    /// List the rules.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Show where each JavaScript/TypeScript and Rust file runs (browser,
    /// server, isomorphic, build config) and why.
    Classify(ClassifyArgs),
    /// Write the current findings to a baseline file, so that `scan
    /// --baseline FILE` reports only new ones.
    Baseline(BaselineArgs),
    /// Show a rule's documentation.
    Explain {
        /// The rule id, e.g. `hardcoded-secret`.
        rule: String,
    },
    /// Run the language server on stdin and stdout, for editors.
    Lsp(LspArgs),
}

/// Options of the language server (editor settings can change them too).
#[derive(Debug, Args)]
pub struct LspArgs {
    /// Milliseconds to wait after the last change before checking a document.
    #[arg(long, value_name = "MS", default_value_t = 150)]
    pub debounce: u64,

    /// Worker threads that check documents [default: one per core, at most 4].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Accepted for editors that pass it (VS Code's client does); stdio is the only transport.
    #[arg(long, hide = true)]
    pub stdio: bool,
}

/// Which files to look at, shared by `scan` and `classify`.
#[derive(Debug, Args)]
pub struct WalkArgs {
    /// Files and directories to scan [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Use this configuration file instead of looking for `.miroguard.toml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Skip paths matching this gitignore-style glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Apply excludes to files named on the command line too (for pre-commit).
    #[arg(long)]
    pub force_exclude: bool,

    /// Do not read `.gitignore`, `.ignore` or git's exclude files.
    #[arg(long)]
    pub no_ignore: bool,

    /// Also scan build output and dependencies: dist/, build/, .next/, target/, node_modules/, *.min.js…
    #[arg(long)]
    pub include_generated: bool,

    /// Skip files larger than this (bytes, or with a K/M/G suffix).
    #[arg(long, value_name = "SIZE", default_value = "2M", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub threads: usize,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub walk: WalkArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with status 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Warning, value_name = "LEVEL")]
    pub fail_on: FailOn,

    /// Show secrets in full instead of redacting them. Never use this in CI logs.
    #[arg(long)]
    pub show_secrets: bool,

    /// When to use colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// List every notification (skipped binary and large files too).
    #[arg(short, long)]
    pub verbose: bool,

    /// Report only findings that are not in this baseline file (written by
    /// `miroguard baseline`); baseline entries that match nothing any more are listed as notes.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Report only findings on lines changed since this git ref (a branch,
    /// tag or commit: `origin/main`), for pull-request checks.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,

    /// After the report, print to stderr where the time went: a table of
    /// time per stage (walk, read, classify, prefilter, parse, rules,
    /// finalize, report), with the per-file stages summed over the worker
    /// threads and the others as wall time, and the counts of files parsed,
    /// scanned and skipped, bytes, findings and MB/s.
    #[arg(long)]
    pub stats: bool,

    /// Parse every source file, even where no rule's lexical check asks for
    /// it: slower, for checking that the lexical tier loses no finding.
    #[arg(long, hide = true)]
    pub parse_all: bool,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub walk: WalkArgs,

    /// The baseline file to write.
    #[arg(short, long, value_name = "FILE", default_value = ".miroguard-baseline.json")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    #[command(flatten)]
    pub walk: WalkArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable diagnostics.
    Text,
    /// One JSON document (see docs/json-output.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    Text,
    /// JSON.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only errors fail.
    Error,
    /// Warnings and errors fail.
    Warning,
    /// Any finding fails.
    Note,
    /// Never fail because of findings.
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Parses `123`, `64K`, `2M`, `1G` (powers of 1024; a trailing `B`/`iB` is accepted).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    let number_end = lower.find(|c: char| !c.is_ascii_digit()).unwrap_or(lower.len());
    let (number, unit) = lower.split_at(number_end);
    let value: u64 = number
        .parse()
        .map_err(|_| format!("`{trimmed}` is not a size (try 2M or 500000)"))?;
    let multiplier: u64 = match unit.trim_end_matches("ib").trim_end_matches('b') {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        _ => return Err(format!("unknown size unit in `{trimmed}` (use K, M or G)")),
    };
    value
        .checked_mul(multiplier)
        .ok_or_else(|| format!("`{trimmed}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("2M"), Ok(2 << 20));
        assert_eq!(parse_size("64KiB"), Ok(64 << 10));
        assert_eq!(parse_size("500000"), Ok(500000));
        assert!(parse_size("2X").is_err());
        assert!(parse_size("lots").is_err());
    }
}
