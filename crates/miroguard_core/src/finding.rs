//! What a scan reports: findings, and notifications about files it could not fully read.

use crate::redact::redact;
use crate::severity::Severity;
use crate::span::{Position, Span};
use serde::Serialize;

/// One problem found in one file.
///
/// A rule creates a finding with [`Finding::new`] and the few fields it knows
/// (rule, span, message, secret); the engine fills in the path, the positions,
/// the snippet and the fingerprint once the file's findings are final.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The id of the rule that fired.
    pub rule: String,
    /// The detector inside the rule that matched (for `hardcoded-secret`: `github-pat`, `generic`, …).
    pub detector: Option<String>,
    /// How serious it is, after configuration and context were applied.
    pub severity: Severity,
    /// What is wrong in this code. Never contains the secret itself.
    pub message: String,
    /// How to fix it, in one or two sentences, when the rule has advice specific to this finding.
    pub help: Option<String>,
    /// The file, as displayed (relative to the scan root, `/`-separated).
    pub path: String,
    /// The primary span in the file.
    pub span: Span,
    /// Start of the primary span.
    pub start: Position,
    /// End of the primary span (exclusive).
    pub end: Position,
    /// The secret this finding is about, unredacted. Outputs show it only with `--show-secrets`.
    pub secret: Option<String>,
    /// Where the secret sits in the file (usually the primary span).
    pub secret_span: Option<Span>,
    /// Stable identity across runs and line moves: rule, path, a hash of what was found and its occurrence.
    pub fingerprint: String,
    /// The source lines around the finding.
    pub snippet: Option<Snippet>,
    /// How the finding depends on where its file runs, until the engine resolves it.
    pub class_dependence: Option<crate::runtime::ClassDependence>,
    /// For a finding that depends on where its file runs: the file's class
    /// and the reason that decided it, so users can see (and correct) why.
    pub runs_in: Option<RunsIn>,
    /// For a finding about a value that travels (a secret that reaches a
    /// log): the places it passes, from where it comes from to the primary
    /// span, which is the last step. Empty for findings about one place.
    pub flow: Vec<FlowStep>,
    /// For a finding an inline `miroguard-ignore` comment covers: the
    /// comment's reason (empty when it gives none). Such findings are kept
    /// apart in [`crate::ScanReport::suppressed`], for SARIF's `suppressions`.
    pub suppression: Option<String>,
    /// For a note about what a file's project lacks (a server that sets no
    /// HSTS): the fact whose presence anywhere in the project removes it
    /// (`"hsts"`). One file cannot tell, so the engine keeps such a finding
    /// only from a scan that walked the whole project and found no file that
    /// provides the fact; a single-file check (the editor, files named on the
    /// command line) never reports it.
    pub unless_project_provides: Option<String>,
}

/// One place on the path of a value a flow finding is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowStep {
    /// Where, in the file.
    pub span: Span,
    /// Start of `span` (filled in by the engine).
    pub start: Position,
    /// End of `span`, exclusive (filled in by the engine).
    pub end: Position,
    /// What happens to the value here ("`accessToken` from the token response"). Never contains a secret.
    pub message: String,
}

impl FlowStep {
    /// A step at `span`; the engine fills in the positions.
    pub fn new(span: Span, message: impl Into<String>) -> FlowStep {
        FlowStep {
            span,
            start: Position::default(),
            end: Position::default(),
            message: message.into(),
        }
    }
}

/// Where a finding's file runs, and why miroguard thinks so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunsIn {
    /// The file's class.
    pub class: crate::runtime::FileClass,
    /// The deciding reason (`loaded by index.html`).
    pub reason: String,
}

impl Finding {
    /// A finding of `rule` at `span`; the engine completes the rest.
    pub fn new(rule: impl Into<String>, severity: Severity, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.into(),
            detector: None,
            severity,
            message: message.into(),
            help: None,
            path: String::new(),
            span,
            start: Position::default(),
            end: Position::default(),
            secret: None,
            secret_span: None,
            fingerprint: String::new(),
            runs_in: None,
            snippet: None,
            class_dependence: None,
            flow: Vec::new(),
            suppression: None,
            unless_project_provides: None,
        }
    }

    /// Attaches the path the value took, source first, ending at the finding itself.
    pub fn with_flow(mut self, flow: Vec<FlowStep>) -> Finding {
        self.flow = flow;
        self
    }

    /// Makes the finding a project note: it stands only if no file of the
    /// project provides `fact` (see the field of the same name).
    pub fn unless_project_provides(mut self, fact: impl Into<String>) -> Finding {
        self.unless_project_provides = Some(fact.into());
        self
    }

    /// Makes the finding depend on where its file runs.
    pub fn depending_on_class(mut self, dependence: crate::runtime::ClassDependence) -> Finding {
        self.class_dependence = Some(dependence);
        self
    }

    /// Names the detector that matched.
    pub fn with_detector(mut self, detector: impl Into<String>) -> Finding {
        self.detector = Some(detector.into());
        self
    }

    /// Attaches advice on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Attaches the secret and where it is.
    pub fn with_secret(mut self, secret: impl Into<String>, span: Span) -> Finding {
        self.secret = Some(secret.into());
        self.secret_span = Some(span);
        self
    }

    /// The secret as outputs show it: redacted unless `show_secrets`.
    pub fn display_secret(&self, show_secrets: bool) -> Option<String> {
        self.secret
            .as_deref()
            .map(|s| if show_secrets { s.to_string() } else { redact(s) })
    }

    /// The order outputs list findings in: path, position, rule, then the rest for a total order.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, Option<&str>, &str) {
        (
            &self.path,
            self.span.start,
            self.span.end,
            &self.rule,
            self.detector.as_deref(),
            &self.message,
        )
    }
}

/// A finding's fingerprint: a hash of its rule, its path and what it found
/// (the secret, or the matched code with whitespace removed), plus which
/// occurrence of that in the file it is. Line numbers are left out on purpose,
/// so the fingerprint survives code moving up or down; the secret is hashed,
/// never stored.
pub fn fingerprint(rule: &str, path: &str, material: &str, occurrence: usize) -> String {
    use sha2::{Digest, Sha256};
    let normalized: String = material.chars().filter(|c| !c.is_whitespace()).collect();
    let mut hasher = Sha256::new();
    for part in [rule, path, normalized.as_str()] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{hex}:{occurrence}")
}

/// The source lines a finding sits on, ready to display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// 1-based number of the first line in `text`.
    pub first_line: u32,
    /// The lines, unredacted, without the final line terminator.
    pub text: String,
    /// The finding's primary span, as byte offsets into `text`.
    pub highlight: Span,
    /// Secrets in `text` (byte offsets into `text`), with what to show instead of each.
    pub redactions: Vec<(Span, String)>,
    /// Whether the lines were too long to show whole (minified code): `text`
    /// is then a window of them, with `…` where it was cut.
    pub clipped: bool,
}

impl Snippet {
    /// The text and highlight to display: secrets replaced unless `show_secrets`.
    pub fn render(&self, show_secrets: bool) -> (String, Span) {
        if show_secrets || self.redactions.is_empty() {
            return (self.text.clone(), self.highlight);
        }
        let mut redactions: Vec<&(Span, String)> = self
            .redactions
            .iter()
            .filter(|(span, _)| {
                span.end <= self.text.len()
                    && self.text.is_char_boundary(span.start)
                    && self.text.is_char_boundary(span.end)
            })
            .collect();
        redactions.sort_by_key(|(span, _)| span.start);
        let mut out = String::with_capacity(self.text.len());
        let mut cursor = 0;
        // Each kept redaction as (original span, span of its replacement in `out`).
        let mut moved = Vec::with_capacity(redactions.len());
        for (span, replacement) in redactions {
            if span.start < cursor {
                continue; // overlaps the previous one
            }
            out.push_str(&self.text[cursor..span.start]);
            let start = out.len();
            out.push_str(replacement);
            moved.push((*span, Span::new(start, out.len())));
            cursor = span.end;
        }
        out.push_str(&self.text[cursor..]);
        // An offset before, inside or after a redaction moves with it; inside
        // one it snaps to the replacement's start (for a start) or end (for an end).
        let map = |offset: usize, is_end: bool| {
            let mut delta: isize = 0;
            for (old, new) in &moved {
                if offset >= old.end {
                    delta += new.len() as isize - old.len() as isize;
                } else if offset > old.start {
                    return if is_end { new.end } else { new.start };
                } else {
                    break;
                }
            }
            (offset as isize + delta) as usize
        };
        let highlight = Span::new(map(self.highlight.start, false), map(self.highlight.end, true));
        (out, highlight)
    }
}

/// Why a file was skipped or only partly analysed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotificationKind {
    /// The file could not be read.
    Unreadable,
    /// The file looks binary (a NUL byte in its first 8 KiB).
    Binary,
    /// The file is larger than `--max-file-size`.
    TooLarge,
    /// The file is not valid UTF-8; it was scanned with replacement characters.
    InvalidUtf8,
    /// The parser reported syntax errors; the rest of the file was analysed.
    SyntaxError,
    /// The file nests too deeply to parse safely; it was scanned lexically.
    TooDeep,
    /// A symbolic link, which the scan does not follow.
    Symlink,
    /// Browser code reaches a module that must stay on the server.
    ClassConflict,
    /// A suppression comment or configuration entry that needs attention.
    Config,
}

impl NotificationKind {
    /// The kebab-case id used in JSON and SARIF.
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Unreadable => "unreadable",
            NotificationKind::Binary => "binary",
            NotificationKind::TooLarge => "too-large",
            NotificationKind::InvalidUtf8 => "invalid-utf8",
            NotificationKind::SyntaxError => "syntax-error",
            NotificationKind::TooDeep => "too-deep",
            NotificationKind::Symlink => "symlink",
            NotificationKind::ClassConflict => "class-conflict",
            NotificationKind::Config => "config",
        }
    }
}

/// Something the user should know about a file that is not a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notification {
    /// What happened.
    pub kind: NotificationKind,
    /// How much it matters: skipped files are notes, lost analysis is a warning.
    pub level: Severity,
    /// The file it is about, as displayed.
    pub path: String,
    /// Where in the file, when known.
    pub position: Option<Position>,
    /// What happened, in words.
    pub message: String,
}

impl Notification {
    /// A notification about `path`.
    pub fn new(
        kind: NotificationKind,
        level: Severity,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Notification {
        Notification {
            kind,
            level,
            path: path.into(),
            position: None,
            message: message.into(),
        }
    }

    /// The order outputs list notifications in.
    pub fn sort_key(&self) -> (&str, Option<Position>, NotificationKind, &str) {
        (&self.path, self.position, self.kind, &self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_render_redacts_and_moves_the_highlight() {
        // miroguard-ignore[hardcoded-secret]: a fake credential in the provider's format, for this test
        let text = "const KEY = \"ghp_abcdefghijklmnopqrstuvwxyz0123456789\"; // x".to_string();
        let start = text.find("ghp_").unwrap();
        let end = start + 40;
        let snippet = Snippet {
            first_line: 3,
            text: text.clone(),
            highlight: Span::new(start, end),
            redactions: vec![(Span::new(start, end), "ghp_…(40 chars)".into())],
            clipped: false,
        };
        let (shown, hl) = snippet.render(false);
        assert_eq!(shown, "const KEY = \"ghp_…(40 chars)\"; // x");
        assert_eq!(hl.text(&shown), "ghp_…(40 chars)");
        let (raw, hl) = snippet.render(true);
        assert_eq!(raw, text);
        assert_eq!(hl.len(), 40);
    }

    #[test]
    fn fingerprints_ignore_whitespace_and_separate_occurrences() {
        let a = fingerprint("r", "a.js", "abc def", 0);
        assert_eq!(a, fingerprint("r", "a.js", "abcdef", 0));
        assert_ne!(a, fingerprint("r", "a.js", "abcdef", 1));
        assert_ne!(a, fingerprint("r", "b.js", "abcdef", 0));
        assert!(!a.contains("abc"));
        assert_eq!(a.len(), 32 + 2);
    }

    #[test]
    fn snippet_render_keeps_highlight_outside_redactions() {
        let text = "a = SECRET1; b = thing".to_string();
        let snippet = Snippet {
            first_line: 1,
            text,
            highlight: Span::new(13, 22),
            redactions: vec![(Span::new(4, 11), "SE…".into())],
            clipped: false,
        };
        let (shown, hl) = snippet.render(false);
        assert_eq!(shown, "a = SE…; b = thing");
        assert_eq!(hl.text(&shown), "b = thing");
    }
}
