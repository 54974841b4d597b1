//! How serious a finding is, and how a user sets a rule's level.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The severity of a finding. Ordered: `Note < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; not a problem by itself.
    Note,
    /// Likely a problem; review it.
    Warning,
    /// A problem that fails the guideline.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format and in configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// One level less serious; a note stays a note.
    pub fn downgraded(self) -> Severity {
        match self {
            Severity::Error => Severity::Warning,
            Severity::Warning | Severity::Note => Severity::Note,
        }
    }

    /// This severity moved as many levels as a user's configured level moves
    /// a rule's default: with the default `error` set to `warning`, an error
    /// becomes a warning and a warning (a finding the rule already rated lower)
    /// a note. Clamped to `note..=error`.
    pub fn shifted(self, default: Severity, configured: Severity) -> Severity {
        let rank = |s: Severity| s as i32;
        match rank(self) + rank(configured) - rank(default) {
            i32::MIN..=0 => Severity::Note,
            1 => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// All severities, most serious first.
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Note];
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule's level as set in `.miroguard.toml`: off, or the severity its findings get.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The rule does not run.
    Off,
    /// Findings are notes.
    Note,
    /// Findings are warnings.
    Warning,
    /// Findings are errors.
    Error,
}

impl Level {
    /// The severity findings get at this level, or `None` when the rule is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Note => Some(Severity::Note),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

impl From<Severity> for Level {
    fn from(severity: Severity) -> Level {
        match severity {
            Severity::Note => Level::Note,
            Severity::Warning => Level::Warning,
            Severity::Error => Level::Error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downgrading_stops_at_note() {
        assert_eq!(Severity::Error.downgraded(), Severity::Warning);
        assert_eq!(Severity::Warning.downgraded(), Severity::Note);
        assert_eq!(Severity::Note.downgraded(), Severity::Note);
        assert!(Severity::Error > Severity::Warning && Severity::Warning > Severity::Note);
    }

    #[test]
    fn shifting_follows_the_configured_level() {
        use Severity::*;
        assert_eq!(Error.shifted(Error, Warning), Warning);
        assert_eq!(Warning.shifted(Error, Warning), Note);
        assert_eq!(Warning.shifted(Warning, Error), Error);
        assert_eq!(Note.shifted(Error, Error), Note);
        assert_eq!(Note.shifted(Error, Note), Note);
    }
}
