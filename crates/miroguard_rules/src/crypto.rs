//! What the crypto rules share: how an API's algorithm argument is read,
//! where a module name comes from, and which names a value comes from or
//! goes to that say it is sensitive.

use miroguard_ir::flow::{Destination, Flow, OriginKind};
use miroguard_ir::sensitive::{Sensitive, sensitivity};
use miroguard_ir::{BindingKind, Facts, ScopeId, Span, Value};

/// The module a local name is imported from (`md5` in `import md5 from "md5"`,
/// `crypto-js` in `const CryptoJS = require("crypto-js")`, `md5` in `use md5::Md5`).
pub(crate) fn imported_from<'f>(facts: &'f Facts, local: &str) -> Option<&'f str> {
    facts.imports.iter().find_map(|import| {
        let named = import.names.iter().any(|n| n.local == local);
        let whole_crate = import.source == local || import.source.rsplit("::").next() == Some(local);
        (named || whole_crate).then_some(import.source.as_str())
    })
}

/// The one string literal `value` resolves to, with its span.
pub(crate) fn literal_of(flow: &Flow<'_>, value: &Value, scope: ScopeId, at: usize) -> Option<(String, Span)> {
    let facts = flow.facts();
    let mut found = None;
    for origin in flow.origins(value, scope, at) {
        match origin.kind {
            OriginKind::Literal(id) if found.is_none() => {
                let lit = facts.string(id);
                found = Some((lit.value.clone(), lit.span));
            }
            // Alternatives or a template: not one known literal.
            _ => return None,
        }
    }
    found
}

/// The number `value` resolves to.
pub(crate) fn number_of(flow: &Flow<'_>, value: &Value, scope: ScopeId, at: usize) -> Option<u64> {
    let origins = flow.origins(value, scope, at);
    let [origin] = origins.as_slice() else {
        return None;
    };
    match origin.kind {
        OriginKind::Number(text) => parse_number(text),
        _ => None,
    }
}

/// A number literal as written in JS or Rust: `600_000`, `1e5`, `0x10`, `1000u32`.
pub(crate) fn parse_number(text: &str) -> Option<u64> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    const SUFFIXES: &[&str] = &[
        "usize", "isize", "u128", "i128", "u64", "i64", "u32", "i32", "u16", "i16", "u8", "i8", "n",
    ];
    let digits = SUFFIXES
        .iter()
        .find_map(|suffix| clean.strip_suffix(suffix))
        .unwrap_or(&clean);
    if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).ok();
    }
    if let Ok(n) = digits.parse::<u64>() {
        return Some(n);
    }
    digits
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite() && *f >= 0.0 && *f < 1e19)
        .map(|f| f as u64)
}

/// Lowercase without separators: `SHA-1`, `sha1`, `Sha1` and `SHA_1` are all `sha1`.
pub(crate) fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A name that says a value is sensitive, and where that name is.
#[derive(Clone, Debug)]
pub(crate) struct SensitiveName {
    /// The name as written.
    pub(crate) name: String,
    /// What it says.
    pub(crate) sensitive: Sensitive,
    /// Where it is written (for the line in messages).
    pub(crate) at: usize,
}

impl SensitiveName {
    fn of(name: &str, at: usize) -> Option<SensitiveName> {
        sensitivity(name).map(|sensitive| SensitiveName {
            name: name.to_string(),
            sensitive,
            at,
        })
    }
}

/// Sensitive names among the ones `value` comes from: the variables and
/// parameters it passes through, member names (`req.body.password`), and the
/// functions whose results it is made from (`getPassword()`).
pub(crate) fn sensitive_origins(flow: &Flow<'_>, value: &Value, scope: ScopeId, at: usize) -> Vec<SensitiveName> {
    let facts = flow.facts();
    let mut out = Vec::new();
    for origin in flow.origins(value, scope, at) {
        for id in &origin.via {
            if let Some(binding) = facts.bindings.get(*id as usize) {
                out.extend(SensitiveName::of(&binding.name, binding.name_span.start));
            }
        }
        match &origin.kind {
            OriginKind::Member(path) => {
                if let Some(last) = path.last() {
                    out.extend(SensitiveName::of(last, at));
                }
            }
            OriginKind::Name(name) => out.extend(SensitiveName::of(name, at)),
            OriginKind::Call(id) => {
                let call = facts.call(*id);
                if let Some(last) = call.callee.last() {
                    out.extend(SensitiveName::of(last, call.span.start));
                }
            }
            _ => {}
        }
    }
    out
}

/// Sensitive names among the places a value goes: the variables, fields and
/// keyed arguments it is given to, and the functions that return it.
pub(crate) fn sensitive_destinations(flow: &Flow<'_>, destinations: &[Destination]) -> Vec<SensitiveName> {
    let facts = flow.facts();
    let mut out = Vec::new();
    for destination in destinations {
        match destination {
            Destination::Binding(id) => {
                if let Some(binding) = facts.bindings.get(*id as usize) {
                    if binding.kind != BindingKind::Parameter {
                        out.extend(SensitiveName::of(&binding.name, binding.name_span.start));
                    }
                }
            }
            Destination::Return { ret, function } => {
                let name = facts.scopes.get(*function as usize).and_then(|s| s.name.as_deref());
                let at = facts.returns.get(*ret as usize).map_or(0, |r| r.span.start);
                if let Some(name) = name {
                    out.extend(SensitiveName::of(name, at));
                }
            }
            Destination::Argument { .. } | Destination::Receiver(_) => {}
        }
    }
    out
}

/// The most telling of several sensitive names: strong before weak, then
/// by kind (passwords first), then the first written.
pub(crate) fn most_sensitive(names: &[SensitiveName]) -> Option<&SensitiveName> {
    names
        .iter()
        .min_by_key(|n| (n.sensitive.weak, n.sensitive.kind as u8, n.at))
}

/// The 1-based line of byte offset `at`.
pub(crate) fn line_of(text: &str, at: usize) -> usize {
    let end = at.min(text.len());
    text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_written() {
        assert_eq!(parse_number("600_000"), Some(600_000));
        assert_eq!(parse_number("1e5"), Some(100_000));
        assert_eq!(parse_number("0x10"), Some(16));
        assert_eq!(parse_number("1000u32"), Some(1000));
        assert_eq!(parse_number("10n"), Some(10));
        assert_eq!(parse_number("abc"), None);
    }

    #[test]
    fn algorithm_names_normalize() {
        assert_eq!(normalize("SHA-1"), "sha1");
        assert_eq!(normalize("Sha3_256"), "sha3256");
        assert_eq!(normalize("RSA-MD5"), "rsamd5");
    }
}
