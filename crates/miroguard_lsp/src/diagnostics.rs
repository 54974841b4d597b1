//! Findings as LSP diagnostics.

use crate::document::{Encoding, LineStarts};
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString, Uri,
};
use miroguard_core::{Finding, Severity, rule_doc_url};
use miroguard_report::OutputOptions;
use std::str::FromStr;

/// The `source` every diagnostic carries, so editors show where it came from.
pub const SOURCE: &str = "miroguard";

/// The diagnostic an editor shows for `finding` in the document `uri` whose text is `text`.
pub fn diagnostic(finding: &Finding, uri: &Uri, text: &str, lines: &LineStarts, encoding: Encoding) -> Diagnostic {
    let range = |span: miroguard_core::Span| lines.range(text, span.start, span.end, encoding);
    // Editors show the message in a hover and often its first line inline:
    // the finding first, then where the file runs and how to fix it.
    let mut message = finding.message.clone();
    if let Some(runs_in) = &finding.runs_in {
        message.push_str(&format!(
            "\n(this file is {}: {})",
            miroguard_report::class_description(runs_in.class),
            runs_in.reason
        ));
    }
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let redacted = OutputOptions::default();
    // The last step is the finding itself; the ones before it say where the value came from.
    let related: Vec<_> = finding
        .flow
        .split_last()
        .map(|(_, before)| before)
        .unwrap_or_default()
        .iter()
        .map(|step| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), range(step.span)),
            message: miroguard_report::flow_step_message(finding, step, &redacted).into_owned(),
        })
        .collect();
    let unnecessary = finding.rule == miroguard_rules::rules::unused_suppression::ID;
    Diagnostic {
        range: range(finding.span),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Note => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(finding.rule.clone())),
        code_description: Uri::from_str(&rule_doc_url(&finding.rule))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: unnecessary.then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miroguard_core::{FlowStep, Span};

    #[test]
    fn a_finding_becomes_a_diagnostic_with_its_rule_and_docs() {
        let text = "const é = 1;\nconsole.log(token);\n";
        let at = text.find("token").unwrap_or_default();
        let source = text.find('é').unwrap_or_default();
        let mut finding = Finding::new(
            "secret-in-log",
            Severity::Error,
            Span::new(at, at + 5),
            "`token` is logged",
        )
        .with_help("log a redacted form")
        .with_flow(vec![
            FlowStep::new(Span::new(source, source + 2), "`é` holds a token"),
            FlowStep::new(Span::new(at, at + 5), "logged here"),
        ]);
        finding.secret = Some("hunter2hunter2".into());
        let uri = Uri::from_str("file:///app/a.js").expect("a valid URI");
        let diagnostic = diagnostic(&finding, &uri, text, &LineStarts::new(text), Encoding::Utf16);
        assert_eq!(diagnostic.range.start, lsp_types::Position::new(1, 12));
        assert_eq!(diagnostic.range.end, lsp_types::Position::new(1, 17));
        assert_eq!(diagnostic.severity, Some(DiagnosticSeverity::ERROR));
        assert_eq!(diagnostic.code, Some(NumberOrString::String("secret-in-log".into())));
        assert!(
            diagnostic
                .code_description
                .is_some_and(|d| d.href.as_str().ends_with("docs/rules/secret-in-log.md"))
        );
        assert_eq!(diagnostic.message, "`token` is logged\nhelp: log a redacted form");
        let related = diagnostic.related_information.unwrap_or_default();
        assert_eq!(related.len(), 1);
        assert_eq!(related[0].location.range.start, lsp_types::Position::new(0, 6));
        assert_eq!(related[0].location.range.end, lsp_types::Position::new(0, 7));
    }
}
