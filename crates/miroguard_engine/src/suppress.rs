//! Inline suppressions: drop the findings they cover, report the ones that cover nothing.

use miroguard_core::suppression::{MARKER, find_suppressions};
use miroguard_core::{Finding, LineIndex, Severity};
use miroguard_rules::rules::unused_suppression::ID as UNUSED;

/// Removes findings covered by a `miroguard-ignore[...]` comment in `text`
/// (returning them, each with the comment's reason) and, when the `unused-suppression` rule is on (`unused_severity`), adds
/// its findings for comments that name unknown rules, are malformed, or
/// suppress nothing of an enabled rule.
pub(crate) fn apply(
    text: &str,
    findings: &mut Vec<Finding>,
    is_known: impl Fn(&str) -> bool,
    is_active: impl Fn(&str) -> bool,
    unused_severity: Option<Severity>,
) -> Vec<Finding> {
    if memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let (suppressions, malformed) = find_suppressions(text, &index);
    let mut used: Vec<Vec<bool>> = suppressions.iter().map(|s| vec![false; s.rules.len()]).collect();
    let mut suppressed = Vec::new();
    for finding in std::mem::take(findings) {
        let line = index.line_of(finding.span.start);
        let covering = suppressions.iter().enumerate().find_map(|(s, suppression)| {
            let r = suppression.rules.iter().position(|(id, _)| *id == finding.rule);
            (suppression.target_line == line).then_some(r).flatten().map(|r| (s, r))
        });
        match covering {
            Some((s, r)) => {
                used[s][r] = true;
                let reason = suppressions[s].reason.clone().unwrap_or_default();
                suppressed.push(Finding {
                    suppression: Some(reason),
                    ..finding
                });
            }
            None => findings.push(finding),
        }
    }

    let Some(severity) = unused_severity else {
        return suppressed;
    };
    for (suppression, used) in suppressions.iter().zip(used) {
        for ((id, span), used) in suppression.rules.iter().zip(used) {
            let message = if !is_known(id) {
                format!("Suppression names unknown rule `{id}`")
            } else if is_active(id) && !used {
                format!(
                    "Suppression of `{id}` suppresses nothing on line {}",
                    suppression.target_line + 1
                )
            } else {
                continue;
            };
            findings.push(Finding::new(UNUSED, severity, *span, message).with_help(
                "Remove the comment, or fix the rule id and put it on (or just above) the line it is meant for.",
            ));
        }
    }
    for bad in malformed {
        findings.push(
            Finding::new(
                UNUSED,
                severity,
                bad.span,
                format!("Malformed suppression: {}", bad.message),
            )
            .with_help("Write `miroguard-ignore[rule-id]: reason` in a comment on the line or the line above."),
        );
    }
    findings.sort_by_key(|f| (f.span.start, f.span.end));
    suppressed
}

#[cfg(test)]
mod tests {
    use super::*;
    use miroguard_core::Span;

    fn finding(text: &str, needle: &str) -> Finding {
        let at = text.find(needle).unwrap();
        Finding::new(
            "hardcoded-secret",
            Severity::Error,
            Span::new(at, at + needle.len()),
            "m",
        )
    }

    fn run(text: &str, needles: &[&str]) -> Vec<(String, String)> {
        let mut findings: Vec<Finding> = needles.iter().map(|n| finding(text, n)).collect();
        apply(
            text,
            &mut findings,
            |id| id == "hardcoded-secret" || id == UNUSED,
            |id| id == "hardcoded-secret",
            Some(Severity::Warning),
        );
        findings.into_iter().map(|f| (f.rule, f.message)).collect()
    }

    #[test]
    fn suppressions_on_the_line_and_the_line_above() {
        let text = "// miroguard-ignore[hardcoded-secret]: fixture\nA = \"s1\"\nB = \"s2\" // miroguard-ignore[hardcoded-secret]: fixture\nC = \"s3\"\n";
        let left = run(text, &["s1", "s2", "s3"]);
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].0, "hardcoded-secret");
    }

    #[test]
    fn unused_and_unknown_suppressions_are_reported() {
        let text = "// miroguard-ignore[hardcoded-secrets]: typo\nA = \"s1\"\nB = 1 // miroguard-ignore[hardcoded-secret]\n// miroguard-ignore: no rule\n";
        let left = run(text, &["s1"]);
        let messages: Vec<&str> = left.iter().map(|(_, m)| m.as_str()).collect();
        assert!(
            messages.contains(&"Suppression names unknown rule `hardcoded-secrets`"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"Suppression of `hardcoded-secret` suppresses nothing on line 3"),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.starts_with("Malformed suppression")),
            "{messages:?}"
        );
        assert_eq!(left.iter().filter(|(r, _)| r == "hardcoded-secret").count(), 1);
    }

    #[test]
    fn nothing_is_reported_when_the_rule_is_off() {
        let text = "B = 1 // miroguard-ignore[hardcoded-secret]\n";
        let mut findings = Vec::new();
        let _ = apply(text, &mut findings, |_| true, |_| true, None);
        assert!(findings.is_empty());
    }
}
