//! Small readings of Facts and source text that several rules share.

use miroguard_core::Span;
use miroguard_ir::{Call, Facts, Value};

/// A module specifier without Node's `node:` scheme: `node:crypto` is `crypto`.
pub(crate) fn normalize_module(module: &str) -> &str {
    module.strip_prefix("node:").unwrap_or(module)
}

/// The module `value` loads when it is `require("m")` or `import("m")` with a literal specifier.
pub(crate) fn required_module<'f>(facts: &'f Facts, value: &Value) -> Option<&'f str> {
    let Value::Call(id) = value else {
        return None;
    };
    let call = facts.calls.get(*id as usize)?;
    if !matches!(call.callee.as_slice(), [name] if name == "require" || name == "import") {
        return None;
    }
    match call.args.first() {
        Some(Value::Str(id)) => facts.strings.get(*id as usize).map(|lit| normalize_module(&lit.value)),
        _ => None,
    }
}

/// Whether `b` can be part of a JS or Rust identifier (ASCII only: enough for the names rules look for).
pub(crate) fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// The largest char boundary of `text` at or before `at` (for windows cut at byte offsets).
pub(crate) fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The line holding byte `at`, from its first non-blank character up to
/// `at`, when a comment starts it (`//`, `///`, `/*`, or the `*` of a
/// block comment).
pub(crate) fn comment_line_prefix(text: &str, at: usize) -> Option<&str> {
    let start = memchr::memrchr(b'\n', &text.as_bytes()[..at]).map_or(0, |i| i + 1);
    let line = text.get(start..at)?.trim_start();
    (line.starts_with("//") || line.starts_with('*') || line.starts_with("/*")).then_some(line)
}

/// Whether the line holding byte `at` is a comment line: what is written there never runs.
pub(crate) fn on_comment_line(text: &str, at: usize) -> bool {
    comment_line_prefix(text, at).is_some()
}

/// Whether `line` gives `name` a value (`const name =`, `let name: T =`, `name =`),
/// for lexical tiers that look where a sink's arguments got their values.
pub(crate) fn given_on(line: &str, name: &str) -> bool {
    let bytes = line.as_bytes();
    for (at, _) in line.match_indices(name) {
        let end = at + name.len();
        if at > 0 && is_ident_byte(bytes[at - 1]) || bytes.get(end).is_some_and(|b| is_ident_byte(*b)) {
            continue;
        }
        let rest = line[end..].trim_start();
        let rest = match rest.strip_prefix(':') {
            Some(typed) => typed.split_once('=').map_or("", |(_, v)| v).trim_start(),
            None => rest.strip_prefix('=').filter(|r| !r.starts_with('=')).unwrap_or(""),
        };
        if !rest.is_empty() {
            return true;
        }
    }
    false
}

/// The 1-based line of byte offset `at`.
pub(crate) fn line_of(text: &str, at: usize) -> usize {
    let end = at.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() + 1
}

/// Whether a literal is a PEM public key or certificate: public by design, never a secret.
pub(crate) fn is_public_key_material(value: &str) -> bool {
    value.contains("-----BEGIN") && (value.contains("PUBLIC KEY") || value.contains("CERTIFICATE"))
}

/// The span to report a call at: its callee, or from the method name on
/// when the callee spans lines (`res\n  .status(500)\n  .json`), so the
/// finding sits on the method's line.
pub(crate) fn callee_span(text: &str, call: &Call) -> Span {
    let span = call.callee_span;
    let written = span.text(text);
    if !written.contains('\n') {
        return span;
    }
    let method = call.callee.last().map(String::as_str).unwrap_or("");
    match written.rfind(method).filter(|_| !method.is_empty()) {
        Some(at) => Span::new(span.start + at, span.end),
        None => span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_given_a_value() {
        assert!(given_on("const line = `t ${token}`;", "line"));
        assert!(given_on("let api_key: String = read();", "api_key"));
        assert!(!given_on("if (line == other) {}", "line"));
        assert!(!given_on("const pipeline = x;", "line"));
        assert_eq!(floor_char_boundary("aé", 2), 1);
        assert_eq!(floor_char_boundary("a", 9), 1);
    }

    #[test]
    fn node_scheme_is_dropped() {
        assert_eq!(normalize_module("node:crypto"), "crypto");
        assert_eq!(normalize_module("jsonwebtoken"), "jsonwebtoken");
    }

    #[test]
    fn pem_public_keys_and_certificates() {
        assert!(is_public_key_material("-----BEGIN PUBLIC KEY-----\nMIIB"));
        assert!(is_public_key_material("-----BEGIN CERTIFICATE-----\nMIIB"));
        assert!(!is_public_key_material("-----BEGIN PRIVATE KEY-----\nMIIE"));
    }
}
