//! Positions, snippets and fingerprints, computed only for files with findings.

use miroguard_core::finding::fingerprint;
use miroguard_core::{FileContext, Finding, LineIndex, Snippet, Span};
use std::collections::HashMap;

/// The most lines a snippet shows; a multi-line secret (a PEM key) shows its first lines.
const MAX_SNIPPET_LINES: usize = 4;

/// Snippets longer than this are cut to the finding and some context around it.
const MAX_SNIPPET_BYTES: usize = 400;

/// How much of a cut line is kept on each side of the finding.
const SNIPPET_CONTEXT_BYTES: usize = 120;

/// Marks where a cut snippet continues.
const ELLIPSIS: &str = "…";

/// Completes `findings` of the file `context` with its `text`: path,
/// positions, snippet (with every secret of the file redacted in it, given as
/// `secrets`: span and redacted text) and fingerprint.
pub(crate) fn finalize(context: &FileContext, text: &str, findings: &mut [Finding], secrets: &[(Span, String)]) {
    if findings.is_empty() {
        return;
    }
    let index = LineIndex::new(text);
    let offsets: Vec<usize> = findings.iter().flat_map(|f| [f.span.start, f.span.end]).collect();
    let positions = index.positions(text, &offsets);
    for finding in findings.iter_mut() {
        if finding.flow.is_empty() {
            continue;
        }
        let offsets: Vec<usize> = finding.flow.iter().flat_map(|s| [s.span.start, s.span.end]).collect();
        let positions = index.positions(text, &offsets);
        for (step, position) in finding.flow.iter_mut().zip(positions.chunks_exact(2)) {
            step.start = position[0];
            step.end = position[1];
        }
    }
    let mut occurrences: HashMap<(String, String), usize> = HashMap::new();
    for (finding, position) in findings.iter_mut().zip(positions.chunks_exact(2)) {
        finding.path = context.display_path.clone();
        finding.start = position[0];
        finding.end = position[1];
        finding.snippet = Some(snippet(text, &index, finding.span, secrets));
        let material = match &finding.secret {
            Some(secret) => secret.clone(),
            None => finding.span.text(text).to_string(),
        };
        let count = occurrences.entry((finding.rule.clone(), material.clone())).or_insert(0);
        finding.fingerprint = fingerprint(&finding.rule, &finding.path, &material, *count);
        *count += 1;
    }
}

fn snippet(text: &str, index: &LineIndex, span: Span, secrets: &[(Span, String)]) -> Snippet {
    let first_line = index.line_of(span.start);
    let last_line = index
        .line_of(span.end.saturating_sub(1).max(span.start))
        .min(first_line + MAX_SNIPPET_LINES - 1);
    let start = index.line_span(first_line).start;
    let end = index.line_content_span(text, last_line).end;
    let (region, cut_before, cut_after) = clip(text, Span::new(start, end.max(start)), span);
    let prefix = if cut_before { ELLIPSIS } else { "" };
    let suffix = if cut_after { ELLIPSIS } else { "" };
    let local = |s: Span| {
        Span::new(
            s.start.clamp(region.start, region.end) - region.start + prefix.len(),
            s.end.clamp(region.start, region.end) - region.start + prefix.len(),
        )
    };
    let redactions = secrets
        .iter()
        .filter(|(secret, _)| secret.start < region.end && secret.end > region.start)
        .map(|(secret, shown)| (local(*secret), shown.clone()))
        .collect();
    Snippet {
        first_line: first_line as u32 + 1,
        text: format!("{prefix}{}{suffix}", region.text(text)),
        highlight: local(span),
        redactions,
        clipped: cut_before || cut_after,
    }
}

/// `region` cut to a window around `span` when its lines are too long to
/// show (minified code puts a whole bundle on one line), with whether
/// something was cut before and after it.
fn clip(text: &str, region: Span, span: Span) -> (Span, bool, bool) {
    if region.end - region.start <= MAX_SNIPPET_BYTES {
        return (region, false, false);
    }
    let mut start = span.start.saturating_sub(SNIPPET_CONTEXT_BYTES).max(region.start);
    let shown_end = span.end.min(span.start + MAX_SNIPPET_BYTES);
    let mut end = (shown_end + SNIPPET_CONTEXT_BYTES).min(region.end).max(start);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (Span::new(start, end), start > region.start, end < region.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use miroguard_core::Severity;

    #[test]
    fn snippets_cover_the_lines_and_redact_every_secret_on_them() {
        let text = "a\nconst A = \"s3cret-one\", B = \"s3cret-two\";\nz\n";
        let a = text.find("s3cret-one").unwrap();
        let b = text.find("s3cret-two").unwrap();
        let secrets = vec![
            (Span::new(a, a + 10), "s3…".to_string()),
            (Span::new(b, b + 10), "s3…".to_string()),
        ];
        let mut findings = vec![
            Finding::new("r", Severity::Error, Span::new(a, a + 10), "m")
                .with_secret("s3cret-one", Span::new(a, a + 10)),
        ];
        finalize(&FileContext::from_display_path("x.js"), text, &mut findings, &secrets);
        let f = &findings[0];
        assert_eq!((f.start.line, f.start.column), (2, 12));
        let snippet = f.snippet.as_ref().unwrap();
        assert_eq!(snippet.first_line, 2);
        let (shown, _) = snippet.render(false);
        assert_eq!(shown, "const A = \"s3…\", B = \"s3…\";");
        assert!(f.fingerprint.ends_with(":0"));
    }

    #[test]
    fn long_lines_are_cut_around_the_finding() {
        let filler = "x=1;".repeat(500);
        let text = format!("{filler}const K = \"s3cret-one\";{filler}\n");
        let a = text.find("s3cret-one").unwrap();
        let secrets = vec![(Span::new(a, a + 10), "s3…".to_string())];
        let mut findings = vec![
            Finding::new("r", Severity::Error, Span::new(a, a + 10), "m")
                .with_secret("s3cret-one", Span::new(a, a + 10)),
        ];
        finalize(&FileContext::from_display_path("x.js"), &text, &mut findings, &secrets);
        let f = &findings[0];
        assert_eq!((f.start.line, f.start.column), (1, a as u32 + 1));
        let snippet = f.snippet.as_ref().unwrap();
        assert!(snippet.clipped);
        let (shown, highlight) = snippet.render(false);
        assert!(shown.len() < MAX_SNIPPET_BYTES, "{}", shown.len());
        assert!(shown.starts_with(ELLIPSIS) && shown.ends_with(ELLIPSIS), "{shown}");
        assert_eq!(highlight.text(&shown), "s3…");
        assert!(!shown.contains("s3cret"));
    }
}
