//! `static-iv-or-key` (C-CRYPTO-1): an IV or nonce that does not change
//! between messages, and a key made by hashing a literal.
//!
//! Each encryption API's IV and key parameters are followed back through the
//! value-flow layer. An IV is constant when everything it is made from is a
//! literal or a zero-filled buffer — unless a random fill writes into that
//! buffer before it is used (`getRandomValues(iv)`, `OsRng.fill_bytes(&mut
//! nonce)`), which is the normal way to make one. An IV is reused when two
//! encryptions in a function take the same variable, or when a function
//! encrypts with an IV made once at module level.

use crate::syntax::line_of;
use crate::{FileInput, Rule};
use miroguard_core::{Finding, Language, RuleMeta, Span};
use miroguard_ir::flow::{Flow, Origin, OriginKind};
use miroguard_ir::{BindingId, Call, CallId, Facts, ScopeId, ScopeKind, Value};
use serde::Deserialize;
use std::collections::HashMap;

/// The rule's id.
pub const ID: &str = "static-iv-or-key";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/static-iv-or-key.toml"
));

/// The encryption APIs, as written (lowercased): `Key::<Aes256Gcm>::from_slice`
/// is matched by `key::<`.
const KEYWORDS: &[&str] = &[
    "createcipheriv",
    "subtle.encrypt",
    "nonce::from",
    "nonce::default",
    "iv::from",
    "key::from",
    "key::<",
    "new_from_slice",
    "symm::encrypt",
];

/// Calls that write random bytes into the buffer they are given.
const RANDOM_FILLS: &[&str] = &[
    "fill_bytes",
    "try_fill_bytes",
    "fill",
    "try_fill",
    "getrandom",
    "getRandomValues",
    "randomFillSync",
    "randomFill",
];

/// Calls that only carry their input through to an IV or key.
const CARRIERS: &[&str] = &[
    "from",
    "from_slice",
    "clone_from_slice",
    "into",
    "try_into",
    "as_slice",
    "as_ref",
    "to_vec",
    "clone",
    "unwrap",
    "expect",
    "Some",
    "Ok",
    "slice",
    "subarray",
    "toString",
    "to_string",
    "as_bytes",
    "encode",
    "TextEncoder",
];

/// Hash calls: a key made from one of these over literals is a hashed passphrase.
const HASHES: &[&str] = &[
    "digest",
    "update",
    "compute",
    "hash",
    "finalize",
    "sha256",
    "createHash",
];

/// Encoding names that are literal arguments of conversions, not key material.
const ENCODINGS: &[&str] = &[
    "hex",
    "base64",
    "base64url",
    "utf8",
    "utf-8",
    "latin1",
    "binary",
    "ascii",
];

/// Which parameter of an encryption API.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Param {
    Iv,
    Key,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
}

/// The rule.
pub struct StaticIvOrKey {
    meta: RuleMeta,
    keywords: Vec<String>,
}

/// An IV or key parameter of one call.
struct Use<'f> {
    param: Param,
    value: &'f Value,
    api: String,
    /// Whether the call encrypts (a reused IV matters there, not on decrypt).
    encrypts: bool,
}

impl StaticIvOrKey {
    /// Loads the rule from its embedded TOML.
    pub fn new() -> Result<StaticIvOrKey, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        Ok(StaticIvOrKey {
            meta: file.rule,
            keywords: KEYWORDS.iter().map(|k| k.to_string()).collect(),
        })
    }
}

/// The IV and key parameters of `call`, if it is an encryption API.
fn uses<'f>(facts: &'f Facts, call: &'f Call, rust: bool) -> Vec<Use<'f>> {
    let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
    let api = call.callee.join(if rust { "::" } else { "." });
    let mut out = Vec::new();
    let mut push = |param, index: usize, encrypts| {
        if let Some(value) = call.args.get(index) {
            out.push(Use {
                param,
                value,
                api: api.clone(),
                encrypts,
            });
        }
    };
    if !rust {
        match callee.as_slice() {
            [.., "createCipheriv"] => {
                push(Param::Key, 1, true);
                push(Param::Iv, 2, true);
            }
            [.., "createDecipheriv"] => push(Param::Key, 1, false),
            [.., "subtle", "encrypt"] => {
                if let Some(Value::Object(fields)) = call.args.first() {
                    for field in fields.iter().filter_map(|f| facts.bindings.get(*f as usize)) {
                        if matches!(field.name.as_str(), "iv" | "counter") {
                            out.push(Use {
                                param: Param::Iv,
                                value: &field.value,
                                api: api.clone(),
                                encrypts: true,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
        return out;
    }
    let n = callee.len();
    let ty = if n >= 2 { callee[n - 2] } else { "" };
    match (ty, callee.last().copied().unwrap_or("")) {
        ("Nonce" | "XNonce" | "Iv" | "IV", "from_slice" | "from" | "clone_from_slice") => push(Param::Iv, 0, true),
        ("Key", "from_slice" | "from" | "clone_from_slice") => push(Param::Key, 0, true),
        (_, "new_from_slices") => {
            push(Param::Key, 0, true);
            push(Param::Iv, 1, true);
        }
        (ty, "new_from_slice") if is_cipher_type(ty) => push(Param::Key, 0, true),
        ("symm", "encrypt") | ("symm", "encrypt_aead") => {
            push(Param::Key, 1, true);
            push(Param::Iv, 2, true);
        }
        _ => {}
    }
    out
}

fn is_cipher_type(ty: &str) -> bool {
    [
        "Aes", "ChaCha", "XChaCha", "Salsa", "XSalsa", "Cbc", "Ctr", "Cfb", "Ofb",
    ]
    .iter()
    .any(|prefix| ty.starts_with(prefix))
}

/// Why an IV made from `origins` never changes, if it never does.
fn constant_iv(flow: &Flow<'_>, origins: &[Origin<'_>], use_at: usize) -> Option<&'static str> {
    let facts = flow.facts();
    let mut why = None;
    for origin in origins {
        if origin.via.iter().any(|b| filled_before(flow, *b, use_at)) {
            return None;
        }
        match &origin.kind {
            OriginKind::Literal(_) => {
                why.get_or_insert("a literal");
            }
            OriginKind::Number(_) => {
                why.get_or_insert("an array of constants");
            }
            OriginKind::Call(id) => {
                let call = facts.call(*id);
                if zero_filled(call) {
                    why = Some("all zeros");
                } else if !call.callee.last().is_some_and(|m| CARRIERS.contains(&m.as_str())) {
                    return None;
                }
            }
            _ => return None,
        }
    }
    why
}

/// `Buffer.alloc(n)`, `new Uint8Array(n)`, `Nonce::default()`, `vec![0; n]`.
fn zero_filled(call: &Call) -> bool {
    let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
    match callee.as_slice() {
        ["Buffer", "alloc"] => call.args.len() == 1 || matches!(call.args.get(1), Some(Value::Number(n)) if n == "0"),
        ["Uint8Array" | "Buffer"] => call.is_new && matches!(call.args.first(), Some(Value::Number(_))),
        [.., "Nonce" | "XNonce" | "Iv", "default"] => true,
        _ => false,
    }
}

/// Whether a random fill writes into the variable bound by `binding` before `at`.
fn filled_before(flow: &Flow<'_>, binding: BindingId, at: usize) -> bool {
    let facts = flow.facts();
    let Some(b) = facts.bindings.get(binding as usize) else {
        return false;
    };
    facts.calls.iter().any(|call| {
        call.span.start > b.span.start
            && call.span.start < at
            && call.callee.last().is_some_and(|m| RANDOM_FILLS.contains(&m.as_str()))
            && call.args.iter().any(|arg| match arg {
                Value::Ident(name) => {
                    name == &b.name && flow.resolve(name, call.scope, call.span.start) == Some(binding)
                }
                _ => false,
            })
    })
}

/// Whether a key made from `origins` is a hash of string literals.
fn hashed_literal(flow: &Flow<'_>, origins: &[Origin<'_>]) -> bool {
    let facts = flow.facts();
    let mut hashed = false;
    let mut literal = false;
    for origin in origins {
        match &origin.kind {
            OriginKind::Call(id) => {
                let last = facts.call(*id).callee.last().map(String::as_str).unwrap_or("");
                if HASHES.contains(&last) {
                    hashed = true;
                } else if !CARRIERS.contains(&last) {
                    return false;
                }
            }
            OriginKind::Literal(id) => {
                if !ENCODINGS.contains(&facts.string(*id).value.to_ascii_lowercase().as_str()) {
                    literal = true;
                }
            }
            OriginKind::Number(_) => {}
            _ => return false,
        }
    }
    hashed && literal
}

/// The binding an IV argument names directly (`iv` in `createCipheriv(a, k, iv)`).
fn named_binding(flow: &Flow<'_>, value: &Value, scope: ScopeId, at: usize) -> Option<BindingId> {
    match value {
        Value::Ident(name) => flow.resolve(name, scope, at),
        _ => None,
    }
}

impl Rule for StaticIvOrKey {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        !input.context.is_type_declarations()
            && matches!(
                input.context.language,
                Language::JavaScript | Language::TypeScript | Language::Tsx | Language::Rust
            )
            && input.keywords.any()
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let Some(facts) = input.facts else {
            return;
        };
        let rust = input.context.language == Language::Rust;
        let flow = input.memo.flow(facts, input.text);
        // The first encryption that used each IV variable, per function.
        let mut first_use: HashMap<BindingId, (CallId, usize)> = HashMap::new();
        let mut reported: Vec<Span> = Vec::new();
        for (id, call) in facts.calls.iter().enumerate() {
            for found in uses(facts, call, rust) {
                let origins = flow.origins(found.value, call.scope, call.span.start);
                let message = match found.param {
                    Param::Iv => {
                        if let Some(why) = constant_iv(flow, &origins, call.span.start) {
                            Some(format!(
                                "The IV passed to `{}` is {why}, so it is the same for every message",
                                found.api
                            ))
                        } else if let Some(binding) = named_binding(flow, found.value, call.scope, call.span.start)
                            .filter(|_| found.encrypts)
                        {
                            self.reused(flow, binding, id as CallId, &mut first_use, input.text)
                        } else {
                            None
                        }
                    }
                    Param::Key => hashed_literal(flow, &origins).then(|| {
                        format!(
                            "The key passed to `{}` is a hash of a string literal: a hash is not a key derivation function, and the passphrase is in the source",
                            found.api
                        )
                    }),
                };
                let Some(message) = message else {
                    continue;
                };
                let span = call.callee_span;
                if reported.contains(&span) {
                    continue;
                }
                reported.push(span);
                let mut severity = self.meta.severity;
                if input.context.is_test || facts.in_test_region(span) {
                    severity = severity.downgraded();
                }
                let help = match found.param {
                    Param::Iv => {
                        "Make a fresh random IV for every message (`crypto.randomBytes(12)`, `Aes256Gcm::generate_nonce(&mut OsRng)`) and store it with the ciphertext."
                    }
                    Param::Key => {
                        "Load a random key from a secret store or the environment, or derive one with scrypt, Argon2 or HKDF from a secret that is not in the source."
                    }
                };
                findings.push(Finding::new(ID, severity, span, message).with_help(help));
            }
        }
    }
}

impl StaticIvOrKey {
    /// A message when the IV variable `binding` was already used by an
    /// encryption in the same function, or was made once at module level.
    fn reused(
        &self,
        flow: &Flow<'_>,
        binding: BindingId,
        call: CallId,
        first_use: &mut HashMap<BindingId, (CallId, usize)>,
        text: &str,
    ) -> Option<String> {
        let facts = flow.facts();
        let b = facts.bindings.get(binding as usize)?;
        let c = facts.call(call);
        let function = flow.function_of(c.scope);
        let defined_in = flow.function_of(b.scope);
        let module_level = facts
            .scopes
            .get(defined_in as usize)
            .is_some_and(|s| s.kind == ScopeKind::Module);
        if module_level && function != defined_in {
            return Some(format!(
                "The IV `{}` is made once, at module level (line {}), and every call of this function encrypts with it",
                b.name,
                line_of(text, b.name_span.start)
            ));
        }
        match first_use.get(&binding) {
            Some((_, line)) => Some(format!(
                "The IV `{}` (line {}) already encrypted a message at line {line}: a nonce must never repeat under one key",
                b.name,
                line_of(text, b.name_span.start)
            )),
            None => {
                first_use.insert(binding, (call, line_of(text, c.span.start)));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered::check;

    fn messages(path: &str, source: &str) -> Vec<(usize, String)> {
        check(&StaticIvOrKey::new().expect("built-in rule loads"), path, source)
            .into_iter()
            .map(|(line, _, message)| (line, message))
            .collect()
    }

    #[test]
    fn constant_and_zero_ivs() {
        let source = "const a = crypto.createCipheriv('aes-256-gcm', k, Buffer.alloc(12));\nconst b = crypto.createCipheriv('aes-256-cbc', k, '0123456789abcdef');\nconst c = crypto.createCipheriv('aes-256-cbc', k, Buffer.alloc(16, 1));\n";
        let found = messages("server/a.js", source);
        assert_eq!(
            found,
            [
                (
                    1,
                    "The IV passed to `crypto.createCipheriv` is all zeros, so it is the same for every message".into()
                ),
                (
                    2,
                    "The IV passed to `crypto.createCipheriv` is a literal, so it is the same for every message".into()
                ),
            ]
        );
    }

    #[test]
    fn a_buffer_filled_with_random_bytes_is_a_fresh_iv() {
        let source = "async function f(key, data) {\n  const iv = new Uint8Array(12);\n  crypto.getRandomValues(iv);\n  return crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, data);\n}\n";
        assert!(messages("src/a.ts", source).is_empty());
    }

    #[test]
    fn reuse_in_a_function_and_from_module_level() {
        let source = "const IV = crypto.randomBytes(16);\nfunction a(k) { return crypto.createCipheriv('aes-256-cbc', k, IV); }\nfunction b(k) {\n  const iv = crypto.randomBytes(12);\n  crypto.createCipheriv('aes-256-gcm', k, iv);\n  crypto.createDecipheriv('aes-256-gcm', k, iv);\n  return crypto.createCipheriv('aes-256-gcm', k, iv);\n}\n";
        let lines: Vec<usize> = messages("server/a.js", source).into_iter().map(|f| f.0).collect();
        assert_eq!(lines, [2, 7]);
    }

    #[test]
    fn keys_hashed_from_literals_but_not_from_the_environment() {
        let source = "fn a() -> Aes256Gcm { let d = Sha256::digest(b\"pass\"); Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&d)) }\nfn b() -> Aes256Gcm { let s = std::env::var(\"K\").unwrap(); let d = Sha256::digest(s.as_bytes()); Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&d)) }\n";
        let lines: Vec<usize> = messages("src/lib.rs", source).into_iter().map(|f| f.0).collect();
        assert_eq!(lines, [1]);
    }
}
