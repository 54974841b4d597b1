//! Small readings of Facts and source text that several rules share.

use miroguard_ir::{Facts, Value};

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

/// The 1-based line of byte offset `at`.
pub(crate) fn line_of(text: &str, at: usize) -> usize {
    let end = at.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() + 1
}

/// Whether a literal is a PEM public key or certificate: public by design, never a secret.
pub(crate) fn is_public_key_material(value: &str) -> bool {
    value.contains("-----BEGIN") && (value.contains("PUBLIC KEY") || value.contains("CERTIFICATE"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
