//! Inline suppression comments: `// miroguard-ignore[rule-id]: reason`.
//!
//! Found lexically (any file type, any comment syntax that starts with `//`,
//! `/*`, `#`, `<!--` or a `*` continuation line). A comment that stands on its
//! own line covers the next line; a comment after code covers its own line.

use crate::span::{LineIndex, Span};

/// The marker that starts a suppression.
pub const MARKER: &str = "miroguard-ignore";

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Span of the whole `miroguard-ignore[...]...` text.
    pub span: Span,
    /// The rule ids named in brackets, each with its span.
    pub rules: Vec<(String, Span)>,
    /// The reason after the colon, if one was given.
    pub reason: Option<String>,
    /// 0-based line whose findings it covers.
    pub target_line: usize,
}

/// A suppression comment that could not be understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedSuppression {
    /// Where the marker is.
    pub span: Span,
    /// What is wrong.
    pub message: String,
}

/// Every suppression comment in `text`, and the marker uses that are malformed.
pub fn find_suppressions(text: &str, index: &LineIndex) -> (Vec<Suppression>, Vec<MalformedSuppression>) {
    let mut found = Vec::new();
    let mut malformed = Vec::new();
    for start in memchr::memmem::find_iter(text.as_bytes(), MARKER.as_bytes()) {
        let line = index.line_of(start);
        let line_span = index.line_content_span(text, line);
        let before = &text[line_span.start..start];
        let Some(code_before) = comment_prefix(before) else {
            continue; // the marker appears in code or a string, not in a comment
        };
        let after = &text[start + MARKER.len()..line_span.end];
        let marker_span = Span::new(start, line_span.end);
        match parse_body(after, start + MARKER.len()) {
            Ok(body) => {
                let target_line = if code_before.trim().is_empty() { line + 1 } else { line };
                found.push(Suppression {
                    span: Span::new(start, start + MARKER.len() + body.len),
                    rules: body.rules,
                    reason: body.reason,
                    target_line,
                });
            }
            Err(message) => malformed.push(MalformedSuppression {
                span: marker_span,
                message,
            }),
        }
    }
    (found, malformed)
}

/// If `before` (the line up to the marker) opens a comment, the code before that comment.
///
/// A marker inside a string (`"// miroguard-ignore[x]"`) or inside inline code
/// in a comment or document (`` `// miroguard-ignore[x]: why` ``, as in docs
/// that explain the syntax) is not a suppression: an odd number of `"` before
/// the comment opener, or of backticks between it and the marker, says so.
fn comment_prefix(before: &str) -> Option<&str> {
    // Escaped quotes (`\"`) do not open or close anything.
    let odd = |text: &str, quote: char| {
        text.match_indices(quote)
            .filter(|(i, _)| !text[..*i].ends_with('\\'))
            .count()
            % 2
            == 1
    };
    let trimmed = before.trim_start();
    if trimmed.starts_with('*') {
        // continuation line of a block comment
        return (!odd(before, '`')).then_some("");
    }
    // The first opener outside a string opens the comment: the `//` of
    // `"https://…"` does not.
    let mut openers: Vec<usize> = ["//", "/*", "#", "<!--", "{/*"]
        .iter()
        .flat_map(|opener| before.match_indices(opener).map(|(at, _)| at))
        .collect();
    openers.sort_unstable();
    let opener = openers.into_iter().find(|&at| {
        let code = &before[..at];
        !odd(code, '"') && !odd(code, '`')
    })?;
    let (code, comment) = before.split_at(opener);
    if odd(comment, '`') {
        return None;
    }
    Some(code)
}

/// What follows the marker: `[rule-a, rule-b]: reason`.
struct Body {
    rules: Vec<(String, Span)>,
    reason: Option<String>,
    /// How many bytes after the marker the suppression covers.
    len: usize,
}

/// Parses `[rule-a, rule-b]: reason` after the marker, which ends at byte `offset`.
fn parse_body(after: &str, offset: usize) -> Result<Body, String> {
    let Some(rest) = after.strip_prefix('[') else {
        return Err("a suppression must name its rules: `miroguard-ignore[rule-id]: reason`".to_string());
    };
    let Some(close) = rest.find(']') else {
        return Err("unclosed `[` in suppression comment".to_string());
    };
    let mut rules = Vec::new();
    let mut cursor = offset + 1;
    for part in rest[..close].split(',') {
        let id = part.trim();
        let lead = part.len() - part.trim_start().len();
        if !id.is_empty() {
            rules.push((id.to_string(), Span::new(cursor + lead, cursor + lead + id.len())));
        }
        cursor += part.len() + 1;
    }
    if rules.is_empty() {
        return Err("a suppression must name at least one rule".to_string());
    }
    let tail = &rest[close + 1..];
    let mut len = 1 + close + 1;
    let reason = match tail.strip_prefix(':') {
        Some(reason_text) => {
            let reason_text = reason_text
                .split("*/")
                .next()
                .unwrap_or("")
                .split("-->")
                .next()
                .unwrap_or("");
            len += 1 + reason_text.trim_end().len();
            Some(reason_text.trim().to_string()).filter(|r| !r.is_empty())
        }
        None => None,
    };
    Ok(Body { rules, reason, len })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str) -> (Vec<Suppression>, Vec<MalformedSuppression>) {
        find_suppressions(text, &LineIndex::new(text))
    }

    #[test]
    fn standalone_comments_cover_the_next_line() {
        let text = "a\n  // miroguard-ignore[hardcoded-secret]: test fixture\nconst k = 1;\n";
        let (found, bad) = find(text);
        assert!(bad.is_empty());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].target_line, 2);
        assert_eq!(found[0].rules[0].0, "hardcoded-secret");
        assert_eq!(found[0].rules[0].1.text(text), "hardcoded-secret");
        assert_eq!(found[0].reason.as_deref(), Some("test fixture"));
    }

    #[test]
    fn trailing_comments_cover_their_own_line() {
        let text = "KEY=abc # miroguard-ignore[a, b]\n";
        let (found, _) = find(text);
        assert_eq!(found[0].target_line, 0);
        assert_eq!(
            found[0].rules.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(found[0].reason, None);
    }

    #[test]
    fn block_and_html_comments_end_the_reason() {
        let (found, _) = find("x /* miroguard-ignore[r]: why */ y\n<!-- miroguard-ignore[r]: html -->\n");
        assert_eq!(found[0].reason.as_deref(), Some("why"));
        assert_eq!(found[1].reason.as_deref(), Some("html"));
        assert_eq!(found[1].target_line, 2);
    }

    #[test]
    fn comment_openers_inside_strings_do_not_open_the_comment() {
        let (found, bad) = find("let url = \"postgres://u:p@h/db#x\"; // miroguard-ignore[r]: test data\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].target_line, 0);
        assert!(bad.is_empty());
    }

    #[test]
    fn markers_in_strings_and_inline_code_are_not_suppressions() {
        let text = "let s = \"// miroguard-ignore[r]: x\";\n//! Write `// miroguard-ignore[rule-id]: reason`.\n# Use `# miroguard-ignore[r]` in YAML\n";
        let (found, bad) = find(text);
        assert!(found.is_empty(), "{found:?}");
        assert!(bad.is_empty());
    }

    #[test]
    fn markers_outside_comments_are_ignored_and_malformed_ones_reported() {
        let (found, bad) =
            find("let s = \"miroguard-ignore[r]\";\n// miroguard-ignore: no rule\n// miroguard-ignore[]\n");
        assert!(found.is_empty());
        assert_eq!(bad.len(), 2);
    }
}
