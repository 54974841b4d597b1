//! Reporters: turn a [`ScanReport`](miroguard_core::ScanReport) into what a
//! person or a machine reads.
//!
//! - [`text`]: one codespan-reporting diagnostic per finding, then the
//!   notifications and a one-line summary;
//! - [`json`]: one documented object (`docs/json-output.md`);
//! - [`sarif`]: SARIF 2.1.0 as GitHub code scanning accepts it;
//! - [`stats`]: where the scan's time went, for `scan --stats` (on stderr,
//!   beside whichever format the report has).
//!
//! Every format shows secrets redacted unless [`OutputOptions::show_secrets`]
//! is set: a finding's raw secret and the raw lines of its snippet are read
//! only through [`Finding::display_secret`](miroguard_core::Finding::display_secret)
//! and [`Snippet::render`](miroguard_core::Snippet::render), never directly.
//! A flow step's message is shown through `flow_step_message`, which
//! redacts the secret should a rule ever put it there by mistake.

#![deny(missing_docs)]

use miroguard_core::{FileClass, Finding, FlowStep};
use std::borrow::Cow;

pub mod json;
pub mod sarif;
pub mod stats;
pub mod text;

/// How to render a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutputOptions {
    /// Show secrets in full instead of redacted (`--show-secrets`).
    pub show_secrets: bool,
    /// Colour the text output with ANSI escapes. The binary decides (TTY,
    /// `NO_COLOR`); the reporters never look at the terminal themselves.
    pub color: bool,
    /// List every notification instead of summarising the skipped files.
    pub verbose: bool,
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// serde_json refused the document (in practice unreachable: every map key is a string).
    #[error("could not serialize the report: {0}")]
    Serialize(#[from] serde_json::Error),
}

/// What code of `class` is, as the text note and the SARIF message say it.
pub fn class_description(class: FileClass) -> &'static str {
    match class {
        FileClass::Browser => "browser code",
        FileClass::Isomorphic => "browser and server code",
        FileClass::Server => "server code",
        FileClass::BuildConfig => "a build configuration",
        FileClass::Unknown => "code of unknown runtime",
    }
}

/// What a format shows of `step`'s message. Rules promise that flow messages
/// never hold the secret; should one break that promise, the secret is shown
/// redacted here like everywhere else (the raw value is read only to find it).
pub fn flow_step_message<'a>(finding: &Finding, step: &'a FlowStep, opts: &OutputOptions) -> Cow<'a, str> {
    let leaked = finding
        .secret
        .as_deref()
        .filter(|secret| !opts.show_secrets && !secret.is_empty() && step.message.contains(secret));
    match (leaked, finding.display_secret(opts.show_secrets)) {
        (Some(secret), Some(shown)) => Cow::Owned(step.message.replace(secret, &shown)),
        _ => Cow::Borrowed(&step.message),
    }
}

/// Serializes `value` as pretty JSON with a trailing newline, as both machine formats want.
fn to_pretty_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = serde_json::to_string_pretty(value)?;
    out.push('\n');
    Ok(out)
}
