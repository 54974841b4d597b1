//! Findings that depend on where their file runs, and findings that replace others.
//!
//! A rule that cannot know a file's class when it checks the file attaches a
//! [`ClassDependence`](miroguard_core::ClassDependence); once the class is
//! known (at once in an editor with a classified workspace, after the whole
//! tree is read in a scan) it is resolved here: the finding takes the
//! severity for that class, or is dropped. Then a finding of a rule that
//! supersedes another removes that rule's findings on the same text.

use miroguard_core::{FileClass, Finding, RunsIn};
use std::collections::HashMap;

/// Resolves class-dependent findings with `class_of(path)`; a file without a
/// class counts as [`FileClass::Unknown`].
pub(crate) fn resolve_classes<'r>(
    findings: &mut Vec<Finding>,
    class_of: impl Fn(&str) -> Option<(FileClass, Option<&'r str>)>,
) {
    findings.retain_mut(|finding| {
        let Some(dependence) = finding.class_dependence.take() else {
            return true;
        };
        let (class, reason) = class_of(&finding.path).unwrap_or((FileClass::Unknown, None));
        match dependence.severity_for(class) {
            Some(severity) => {
                finding.severity = severity;
                finding.runs_in = reason.map(|reason| RunsIn {
                    class,
                    reason: reason.to_string(),
                });
                true
            }
            None => false,
        }
    });
}

/// Drops the findings that a finding of a superseding rule covers: same file,
/// overlapping text. `supersedes` maps a rule id to the ids it replaces.
pub(crate) fn apply_supersession(findings: &mut Vec<Finding>, supersedes: &HashMap<String, Vec<String>>) {
    if supersedes.is_empty() {
        return;
    }
    let replaced: Vec<bool> = findings
        .iter()
        .map(|candidate| {
            findings.iter().any(|winner| {
                winner.path == candidate.path
                    && winner.span.overlaps(candidate.span)
                    && supersedes
                        .get(&winner.rule)
                        .is_some_and(|ids| ids.contains(&candidate.rule))
            })
        })
        .collect();
    let mut index = 0;
    findings.retain(|_| {
        let keep = !replaced[index];
        index += 1;
        keep
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use miroguard_core::{ClassDependence, Severity, Span};

    fn finding(rule: &str, path: &str, start: usize) -> Finding {
        let mut f = Finding::new(rule, Severity::Error, Span::new(start, start + 5), "m");
        f.path = path.into();
        f
    }

    #[test]
    fn dependent_findings_take_the_severity_of_their_class_or_go() {
        let mut findings = vec![
            finding("a", "web.ts", 0).depending_on_class(ClassDependence::browser_only(Severity::Error)),
            finding("a", "server.ts", 0).depending_on_class(ClassDependence::browser_only(Severity::Error)),
            finding("b", "x.ts", 0).depending_on_class(ClassDependence::except_browser(
                Some(Severity::Warning),
                Some(Severity::Note),
            )),
            finding("c", "y.ts", 0),
        ];
        resolve_classes(&mut findings, |path| match path {
            "web.ts" => Some((FileClass::Browser, Some("loaded by index.html"))),
            "server.ts" => Some((FileClass::Server, None)),
            _ => None,
        });
        assert_eq!(
            findings[0].runs_in,
            Some(RunsIn {
                class: FileClass::Browser,
                reason: "loaded by index.html".into()
            })
        );
        let kept: Vec<(&str, Severity)> = findings.iter().map(|f| (f.path.as_str(), f.severity)).collect();
        assert_eq!(
            kept,
            [
                ("web.ts", Severity::Error),
                ("x.ts", Severity::Warning),
                ("y.ts", Severity::Error)
            ]
        );
        assert!(findings.iter().all(|f| f.class_dependence.is_none()));
    }

    #[test]
    fn superseding_findings_replace_overlapping_ones_in_the_same_file() {
        let mut findings = vec![
            finding("specific", "a.ts", 0),
            finding("general", "a.ts", 2),
            finding("general", "a.ts", 20),
            finding("general", "b.ts", 0),
        ];
        let supersedes = HashMap::from([("specific".to_string(), vec!["general".to_string()])]);
        apply_supersession(&mut findings, &supersedes);
        let kept: Vec<(&str, &str, usize)> = findings
            .iter()
            .map(|f| (f.rule.as_str(), f.path.as_str(), f.span.start))
            .collect();
        assert_eq!(
            kept,
            [("specific", "a.ts", 0), ("general", "a.ts", 20), ("general", "b.ts", 0)]
        );
    }
}
