//! Positions, snippets and fingerprints, computed only for files with findings.

use miroguard_core::finding::fingerprint;
use miroguard_core::{FileContext, Finding, LineIndex, Snippet, Span};
use std::collections::HashMap;

/// The most lines a snippet shows; a multi-line secret (a PEM key) shows its first lines.
const MAX_SNIPPET_LINES: usize = 4;

/// Completes `findings` of the file `context` with its `text`: path,
/// positions, snippet (with every secret of the file redacted in it, given as
/// `secrets`: span and redacted text) and fingerprint.
pub(crate) fn finalize(context: &FileContext, text: &str, findings: &mut [Finding], secrets: &[(Span, String)]) {
    if findings.is_empty() {
        return;
    }
    let index = LineIndex::new(text);
    let mut occurrences: HashMap<(String, String), usize> = HashMap::new();
    for finding in findings.iter_mut() {
        finding.path = context.display_path.clone();
        finding.start = index.position(text, finding.span.start);
        finding.end = index.position(text, finding.span.end);
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
    let region = Span::new(start, end.max(start));
    let local = |s: Span| {
        Span::new(
            s.start.clamp(region.start, region.end) - region.start,
            s.end.clamp(region.start, region.end) - region.start,
        )
    };
    let redactions = secrets
        .iter()
        .filter(|(secret, _)| secret.start < region.end && secret.end > region.start)
        .map(|(secret, shown)| (local(*secret), shown.clone()))
        .collect();
    Snippet {
        first_line: first_line as u32 + 1,
        text: region.text(text).to_string(),
        highlight: local(span),
        redactions,
    }
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
}
