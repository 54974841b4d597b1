//! Where a file's code runs: in the browser, on a server, both, or at build time.

use crate::severity::Severity;
use serde::Serialize;
use std::fmt;

/// Where a file's code runs, as the classification decides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileClass {
    /// Shipped to and run in the browser: everything in it is public.
    Browser,
    /// Runs only on a server.
    Server,
    /// Runs on both (server-rendered components, shared modules).
    Isomorphic,
    /// A bundler or framework configuration, run at build time; it can inject values into bundles.
    BuildConfig,
    /// Nothing says where it runs.
    Unknown,
}

impl FileClass {
    /// The kebab-case name used in outputs and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            FileClass::Browser => "browser",
            FileClass::Server => "server",
            FileClass::Isomorphic => "isomorphic",
            FileClass::BuildConfig => "build-config",
            FileClass::Unknown => "unknown",
        }
    }

    /// Whether code of this class reaches the browser.
    pub fn reaches_browser(self) -> bool {
        matches!(self, FileClass::Browser | FileClass::Isomorphic)
    }

    /// All classes.
    pub const ALL: [FileClass; 5] = [
        FileClass::Browser,
        FileClass::Server,
        FileClass::Isomorphic,
        FileClass::BuildConfig,
        FileClass::Unknown,
    ];
}

impl fmt::Display for FileClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a finding depends on where its file runs: for each class, the
/// severity it takes, or `None` when it does not apply there. A rule that
/// cannot know the class when it checks a file (the CLI classifies a whole
/// tree only after reading it) attaches this, and the engine resolves it once
/// the classification is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassDependence {
    /// In browser code.
    pub browser: Option<Severity>,
    /// In code that runs on both sides.
    pub isomorphic: Option<Severity>,
    /// In server code.
    pub server: Option<Severity>,
    /// In build configuration.
    pub build_config: Option<Severity>,
    /// Where nothing says where the code runs.
    pub unknown: Option<Severity>,
}

impl ClassDependence {
    /// `severity` in code that reaches the browser (browser, isomorphic), nothing elsewhere.
    pub fn browser_only(severity: Severity) -> ClassDependence {
        ClassDependence {
            browser: Some(severity),
            isomorphic: Some(severity),
            server: None,
            build_config: None,
            unknown: None,
        }
    }

    /// `elsewhere` everywhere except in code that reaches the browser, where it is `in_browser`.
    pub fn except_browser(elsewhere: Option<Severity>, in_browser: Option<Severity>) -> ClassDependence {
        ClassDependence {
            browser: in_browser,
            isomorphic: in_browser,
            server: elsewhere,
            build_config: elsewhere,
            unknown: elsewhere,
        }
    }

    /// The severity in a file of `class`, or `None` when the finding does not apply there.
    pub fn severity_for(&self, class: FileClass) -> Option<Severity> {
        match class {
            FileClass::Browser => self.browser,
            FileClass::Isomorphic => self.isomorphic,
            FileClass::Server => self.server,
            FileClass::BuildConfig => self.build_config,
            FileClass::Unknown => self.unknown,
        }
    }

    /// Every severity moved by `f` (the engine applies configured rule levels this way).
    pub fn map(self, f: impl Fn(Severity) -> Severity) -> ClassDependence {
        ClassDependence {
            browser: self.browser.map(&f),
            isomorphic: self.isomorphic.map(&f),
            server: self.server.map(&f),
            build_config: self.build_config.map(&f),
            unknown: self.unknown.map(&f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependence_by_class() {
        let only = ClassDependence::browser_only(Severity::Error);
        assert_eq!(only.severity_for(FileClass::Isomorphic), Some(Severity::Error));
        assert_eq!(only.severity_for(FileClass::Server), None);
        let public_key = ClassDependence::except_browser(Some(Severity::Warning), Some(Severity::Note));
        assert_eq!(public_key.severity_for(FileClass::Browser), Some(Severity::Note));
        assert_eq!(public_key.severity_for(FileClass::Unknown), Some(Severity::Warning));
        assert_eq!(
            public_key.map(Severity::downgraded).severity_for(FileClass::Unknown),
            Some(Severity::Note)
        );
        assert!(FileClass::Isomorphic.reaches_browser() && !FileClass::BuildConfig.reaches_browser());
    }
}
