//! Plain types shared by every miroguard crate.
//!
//! Nothing here parses source code or touches the file system: the front ends,
//! the engine and the reporters all speak in these types, so that each of them
//! depends only on this crate and the stage before it.

#![deny(missing_docs)]

pub mod baseline;
pub mod config;
pub mod dependencies;
pub mod finding;
pub mod language;
pub mod redact;
pub mod rule_meta;
pub mod runtime;
pub mod scan;
pub mod secret_spec;
pub mod severity;
pub mod span;
pub mod suppression;

pub use baseline::{Baseline, BaselineError, StaleEntry};
pub use config::{Config, ConfigError, ContextOverrides, RuleLevels};
pub use dependencies::{Dependencies, Resolved, Version};
pub use finding::{Finding, FlowStep, Notification, NotificationKind, RunsIn, Snippet};
pub use language::{FileContext, Language};
pub use rule_meta::{Precision, RuleMeta};
pub use runtime::{ClassDependence, FileClass};
pub use scan::{EnabledRule, FileTimes, ParsedFor, ScanReport, ScanStats, StageTimes, WallTimes};
pub use severity::{Level, Severity};
pub use span::{LineIndex, Position, Span};

/// The tool's name as it appears in outputs and suppression comments.
pub const TOOL_NAME: &str = "miroguard";
/// The tool's version, from Cargo.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Where users learn about the tool; rule documentation lives under it.
pub const TOOL_HOMEPAGE: &str = env!("CARGO_PKG_REPOSITORY");

/// The URL of a rule's documentation page.
pub fn rule_doc_url(rule_id: &str) -> String {
    format!("{TOOL_HOMEPAGE}/blob/main/docs/rules/{rule_id}.md")
}
