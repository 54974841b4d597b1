//! Quick fixes: suppress a finding on its line, or move a hardcoded secret
//! to an environment variable.

use crate::diagnostics::diagnostic;
use crate::document::{Encoding, LineStarts};
use lsp_types::{CodeAction, CodeActionKind, Range, TextEdit, Uri, WorkspaceEdit};
use miroguard_core::suppression::MARKER;
use miroguard_core::{FileClass, Finding, Language, Span};
use miroguard_rules::rules::{hardcoded_secret, unused_suppression};
use std::collections::HashMap;
use std::path::Path;

/// What the quick fixes need to know about the document.
pub struct Target<'a> {
    /// The document.
    pub uri: &'a Uri,
    /// Its path on disk, which decides the comment syntax.
    pub path: &'a Path,
    /// Its current text, which the findings were computed from.
    pub text: &'a str,
    /// Where it runs, when the workspace's classification knows.
    pub class: Option<FileClass>,
    /// The negotiated position encoding.
    pub encoding: Encoding,
}

/// The quick fixes for the findings on the lines `range` touches.
pub fn code_actions(target: &Target<'_>, findings: &[Finding], range: Range) -> Vec<CodeAction> {
    let lines = LineStarts::new(target.text);
    let mut actions = Vec::new();
    for finding in findings {
        let diagnostic = diagnostic(finding, target.uri, target.text, &lines, target.encoding);
        let on_lines = diagnostic.range.start.line <= range.end.line && diagnostic.range.end.line >= range.start.line;
        if !on_lines {
            continue;
        }
        let quick_fix = |title: String, edit: TextEdit, preferred: bool| CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(target.uri.clone(), vec![edit])])),
                ..WorkspaceEdit::default()
            }),
            is_preferred: preferred.then_some(true),
            ..CodeAction::default()
        };
        if finding.rule == hardcoded_secret::ID
            && let Some((name, edit)) = move_to_environment(target, &lines, finding)
        {
            actions.push(quick_fix(
                format!("Move the secret to the environment variable `{name}`"),
                edit,
                true,
            ));
        }
        if finding.rule != unused_suppression::ID
            && let Some(edit) = ignore_on_line(target, &lines, finding)
        {
            actions.push(quick_fix(
                format!("Ignore `{}` on this line", finding.rule),
                edit,
                false,
            ));
        }
    }
    actions
}

/// The comment that holds a suppression in this kind of file, as an opener
/// and a closer; `None` for formats without comments (JSON).
fn comment_syntax(path: &Path) -> Option<(&'static str, &'static str)> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if Language::from_path(path).is_source() {
        return Some(("//", ""));
    }
    match extension {
        "json" | "lock" | "map" => None,
        "html" | "htm" | "vue" | "svelte" | "md" | "markdown" | "xml" | "svg" => Some(("<!--", " -->")),
        "css" | "scss" | "less" => Some(("/*", " */")),
        "go" | "java" | "kt" | "kts" | "swift" | "c" | "h" | "cc" | "cpp" | "hpp" | "cs" | "php" | "scala" | "dart"
        | "jsonc" | "json5" | "gradle" => Some(("//", "")),
        _ if name.ends_with(".json") => None,
        // `.env`, YAML, TOML, shell, Python, Ruby, Dockerfiles, INI.
        _ => Some(("#", "")),
    }
}

/// Inserts `miroguard-ignore[rule]: <reason>` above the finding's line, or
/// adds the rule to a suppression comment already there.
fn ignore_on_line(target: &Target<'_>, lines: &LineStarts, finding: &Finding) -> Option<TextEdit> {
    let (open, close) = comment_syntax(target.path)?;
    let text = target.text;
    let line_start = text[..finding.span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |at| at + 1);
    let position = |offset| lines.position(text, offset, target.encoding);
    // A standalone suppression on the line above covers this line: name one more rule in it.
    if line_start > 0 {
        let above_start = text[..line_start - 1].rfind('\n').map_or(0, |at| at + 1);
        let above = &text[above_start..line_start - 1];
        if let Some(marker) = above.find(MARKER)
            && above[..marker].trim_start().starts_with(open)
            && let Some(bracket) = above[marker..].find(']')
        {
            let at = above_start + marker + bracket;
            return Some(TextEdit::new(
                Range::new(position(at), position(at)),
                format!(", {}", finding.rule),
            ));
        }
    }
    let line = &text[line_start..];
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let comment = format!("{indent}{open} {MARKER}[{}]: <reason>{close}{newline}", finding.rule);
    Some(TextEdit::new(
        Range::new(position(line_start), position(line_start)),
        comment,
    ))
}

/// Replaces the string literal that holds the secret with a read of an
/// environment variable named after what the literal is bound to.
fn move_to_environment(target: &Target<'_>, lines: &LineStarts, finding: &Finding) -> Option<(String, TextEdit)> {
    let language = Language::from_path(target.path);
    let runs_in = finding.runs_in.as_ref().map(|r| r.class).or(target.class);
    // In browser code an environment variable is inlined into the bundle by
    // the build: the secret would still ship. The fix there is a server.
    if runs_in.is_some_and(FileClass::reaches_browser) || !(language.is_js_family() || language == Language::Rust) {
        return None;
    }
    let text = target.text;
    let secret = finding.secret_span.unwrap_or(finding.span);
    let literal = enclosing_literal(text, secret, language)?;
    let before = text[..literal.open].rsplit('\n').next().unwrap_or("");
    if language == Language::Rust && is_rust_item_constant(before) {
        return None; // `const`/`static` values are computed at compile time
    }
    let name = environment_name(before, finding.detector.as_deref());
    let prefix = &text[literal.open + 1..secret.start];
    let suffix = &text[secret.end..literal.close];
    let replacement = if language == Language::Rust {
        let read = format!(
            "std::env::var(\"{name}\"){}",
            rust_error_handling(text, literal.open, &name)
        );
        if prefix.is_empty() && suffix.is_empty() {
            read
        } else {
            let braces = |s: &str| s.replace('{', "{{").replace('}', "}}");
            format!("format!(\"{}{{}}{}\", {read})", braces(prefix), braces(suffix))
        }
    } else if prefix.is_empty() && suffix.is_empty() {
        format!("process.env.{name}")
    } else {
        if [prefix, suffix].iter().any(|s| s.contains(['`', '$'])) {
            return None;
        }
        format!("`{prefix}${{process.env.{name}}}{suffix}`")
    };
    let range = lines.range(text, literal.open, literal.close + 1, target.encoding);
    Some((name, TextEdit::new(range, replacement)))
}

/// The quotes of a one-line string literal around `secret`.
struct Literal {
    open: usize,
    close: usize,
}

fn enclosing_literal(text: &str, secret: Span, language: Language) -> Option<Literal> {
    if secret.end > text.len() || secret.start > secret.end {
        return None;
    }
    let quotes: &[u8] = if language == Language::Rust { b"\"" } else { b"\"'`" };
    let bytes = text.as_bytes();
    let open = bytes[..secret.start]
        .iter()
        .rposition(|&b| b == b'\n' || quotes.contains(&b))?;
    let quote = bytes[open];
    if quote == b'\n' {
        return None;
    }
    let close = secret.end + bytes[secret.end..].iter().position(|&b| b == b'\n' || b == quote)?;
    if bytes[close] != quote {
        return None;
    }
    let content = &text[open + 1..close];
    // Escapes, interpolation and prefixed literals (`b"…"`, `r"…"`) would
    // need rewriting this fix does not attempt.
    let prefixed = open > 0 && (bytes[open - 1].is_ascii_alphanumeric() || bytes[open - 1] == b'#');
    if content.contains('\\') || content.contains("${") || prefixed {
        return None;
    }
    Some(Literal { open, close })
}

/// `const X: &str =` or `static X: &str =` on the line before a Rust literal.
fn is_rust_item_constant(before: &str) -> bool {
    let words: Vec<&str> = before.split_whitespace().collect();
    let first = words
        .iter()
        .find(|w| !matches!(**w, "pub" | "pub(crate)" | "pub(super)"));
    matches!(first, Some(&"const") | Some(&"static"))
}

/// `?` where the enclosing function returns a `Result` (or `.ok()?` for an
/// `Option`); otherwise a panic that names the variable, since a missing
/// secret at start-up is a configuration error.
fn rust_error_handling(text: &str, at: usize, name: &str) -> String {
    let signature = text[..at]
        .rfind("fn ")
        .map(|start| {
            let rest = &text[start..at];
            &rest[..rest.find('{').unwrap_or(rest.len())]
        })
        .unwrap_or("");
    let returns = signature.split_once("->").map_or("", |(_, r)| r);
    if returns.contains("Result") {
        "?".to_string()
    } else if returns.contains("Option") {
        ".ok()?".to_string()
    } else {
        format!(".expect(\"{name} must be set\")")
    }
}

/// Names too vague to name a variable after (`Authorization: "Bearer …"`).
const VAGUE_NAMES: &[&str] = &[
    "authorization",
    "auth",
    "headers",
    "header",
    "value",
    "val",
    "data",
    "body",
    "bearer",
    "default",
    "options",
    "config",
    "params",
    "args",
    "init",
];

/// `apiKey` in `const apiKey = "`, `apiKey: "`, `"x-api-key": "`,
/// `let api_key: &str = "`, as `API_KEY`; else the detector's name
/// (`miro-access-token` → `MIRO_ACCESS_TOKEN`); else `API_TOKEN`.
fn environment_name(before: &str, detector: Option<&str>) -> String {
    let binding = binding_name(before).filter(|name| !VAGUE_NAMES.contains(&name.to_ascii_lowercase().as_str()));
    let from_detector = detector.filter(|d| !d.is_empty() && *d != "generic");
    let name = binding.or(from_detector).unwrap_or("API_TOKEN");
    screaming_snake(name)
}

fn binding_name(before: &str) -> Option<&str> {
    let before = before.trim_end();
    let lhs = if let Some(lhs) = before.strip_suffix('=') {
        if lhs.ends_with(['=', '!', '<', '>']) {
            return None;
        }
        // A type annotation (`const key: string`, `let key: &str`) comes after the name.
        match lhs.find(':').filter(|&at| !lhs[at..].starts_with("::")) {
            Some(at) => &lhs[..at],
            None => lhs,
        }
    } else if let Some(key) = before.strip_suffix(':') {
        if key.ends_with(':') {
            return None;
        }
        key
    } else {
        return None;
    };
    let lhs = lhs.trim_end().trim_end_matches(']').trim_end_matches(['"', '\'', '`']);
    let start = lhs
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '-'))
        .map_or(0, |at| at + 1);
    let name = &lhs[start..];
    (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

fn screaming_snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            continue;
        }
        let boundary = c.is_uppercase()
            && i > 0
            && (chars[i - 1].is_lowercase()
                || chars[i - 1].is_ascii_digit()
                || (chars[i - 1].is_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_lowercase())));
        if boundary && !out.ends_with('_') {
            out.push('_');
        }
        out.extend(c.to_uppercase());
    }
    out.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::Position;
    use miroguard_core::Severity;
    use std::str::FromStr;

    fn secret_finding(text: &str, secret: &str, detector: &str) -> Finding {
        let at = text.find(secret).unwrap_or_default();
        let span = Span::new(at, at + secret.len());
        Finding::new(hardcoded_secret::ID, Severity::Error, span, "a secret")
            .with_secret(secret, span)
            .with_detector(detector)
    }

    fn fixes(path: &str, text: &str, finding: &Finding) -> Vec<(String, String, Range)> {
        let uri = Uri::from_str("file:///app/x").expect("a valid URI");
        let target = Target {
            uri: &uri,
            path: Path::new(path),
            text,
            class: None,
            encoding: Encoding::Utf16,
        };
        let whole = Range::new(Position::new(0, 0), Position::new(999, 0));
        code_actions(&target, std::slice::from_ref(finding), whole)
            .into_iter()
            .flat_map(|action| {
                let changes = action.edit.and_then(|e| e.changes).unwrap_or_default();
                let title = action.title;
                changes
                    .into_values()
                    .flatten()
                    .map(move |edit| (title.clone(), edit.new_text, edit.range))
            })
            .collect()
    }

    #[test]
    fn javascript_secrets_move_to_process_env() {
        let text = "  const miroAccessToken = 'eyJmiroTOKENvalue123';\n";
        let finding = secret_finding(text, "eyJmiroTOKENvalue123", "miro-access-token");
        let fixes = fixes("src/a.ts", text, &finding);
        assert_eq!(
            fixes[0].0,
            "Move the secret to the environment variable `MIRO_ACCESS_TOKEN`"
        );
        assert_eq!(fixes[0].1, "process.env.MIRO_ACCESS_TOKEN");
        assert_eq!(fixes[0].2, Range::new(Position::new(0, 26), Position::new(0, 48)));
        assert_eq!(fixes[1].0, "Ignore `hardcoded-secret` on this line");
        assert_eq!(fixes[1].1, "  // miroguard-ignore[hardcoded-secret]: <reason>\n");
        assert_eq!(fixes[1].2, Range::new(Position::new(0, 0), Position::new(0, 0)));
    }

    #[test]
    fn a_prefix_in_the_literal_is_kept() {
        let text = "fetch(url, { headers: { Authorization: \"Bearer ghp_abcdefghijklmnop\" } });\n";
        let finding = secret_finding(text, "ghp_abcdefghijklmnop", "github-pat");
        let fixes = fixes("src/a.js", text, &finding);
        assert_eq!(fixes[0].1, "`Bearer ${process.env.GITHUB_PAT}`");
    }

    #[test]
    fn rust_secrets_move_to_env_var_with_the_functions_error_handling() {
        let text = "fn client() -> anyhow::Result<Client> {\n    let api_key: &str = \"sk_live_abcdef\";\n}\n\
                    fn main() {\n    let token = format!(\"{}\", \"sk_live_abcdef\");\n}\n";
        let first = secret_finding(text, "sk_live_abcdef", "stripe");
        assert_eq!(fixes("src/main.rs", text, &first)[0].1, "std::env::var(\"API_KEY\")?");
        let second_at = text.rfind("sk_live_abcdef").unwrap_or_default();
        let mut second = first.clone();
        second.span = Span::new(second_at, second_at + 14);
        second.secret_span = Some(second.span);
        assert_eq!(
            fixes("src/main.rs", text, &second)[0].1,
            "std::env::var(\"STRIPE\").expect(\"STRIPE must be set\")"
        );
        let constant = "const KEY: &str = \"sk_live_abcdef\";\n";
        let finding = secret_finding(constant, "sk_live_abcdef", "stripe");
        let titles: Vec<_> = fixes("src/lib.rs", constant, &finding)
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(titles, ["Ignore `hardcoded-secret` on this line"]);
    }

    #[test]
    fn browser_code_gets_no_environment_fix() {
        let text = "const apiKey = 'sk_live_abcdef';\n";
        let mut finding = secret_finding(text, "sk_live_abcdef", "stripe");
        finding.runs_in = Some(miroguard_core::RunsIn {
            class: FileClass::Browser,
            reason: "loaded by index.html".into(),
        });
        let titles: Vec<_> = fixes("src/panel.js", text, &finding).into_iter().map(|f| f.0).collect();
        assert_eq!(titles, ["Ignore `hardcoded-secret` on this line"]);
    }

    #[test]
    fn suppressions_use_the_files_comment_syntax_and_extend_an_existing_one() {
        let text = "MIRO_TOKEN=abc\n";
        let finding = secret_finding(text, "abc", "generic");
        let fixes_env = fixes(".env", text, &finding);
        assert_eq!(fixes_env[0].1, "# miroguard-ignore[hardcoded-secret]: <reason>\n");
        assert!(fixes("config/app.json", "{\"k\": \"abc\"}", &finding).is_empty());
        let html = "<div>\n  <p>abc</p>\n";
        let finding = secret_finding(html, "abc", "generic");
        assert_eq!(
            fixes("index.html", html, &finding)[0].1,
            "  <!-- miroguard-ignore[hardcoded-secret]: <reason> -->\n"
        );
        let above = "// miroguard-ignore[secret-in-log]: redacted upstream\nlog(key, 'abc');\n";
        let finding = secret_finding(above, "abc", "generic");
        let fixes = fixes("src/a.js", above, &finding);
        let ignore = fixes.iter().find(|f| f.0.starts_with("Ignore")).expect("an ignore fix");
        assert_eq!(ignore.1, ", hardcoded-secret");
        assert_eq!(ignore.2.start, Position::new(0, 33));
    }

    #[test]
    fn names_follow_the_binding() {
        assert_eq!(
            environment_name("const miroClientSecret = ", None),
            "MIRO_CLIENT_SECRET"
        );
        assert_eq!(environment_name("  \"x-api-key\": ", None), "X_API_KEY");
        assert_eq!(environment_name("headers['X-Api-Key'] = ", None), "X_API_KEY");
        assert_eq!(environment_name("let mut HTTPServerKey = ", None), "HTTP_SERVER_KEY");
        assert_eq!(
            environment_name("Authorization: ", Some("miro-access-token")),
            "MIRO_ACCESS_TOKEN"
        );
        assert_eq!(environment_name("login(", Some("generic")), "API_TOKEN");
        assert_eq!(environment_name("if (a == ", None), "API_TOKEN");
    }
}
