//! `insecure-random-key` (C-CRYPTO-2): a non-cryptographic random value that
//! becomes a key, token, session id, nonce or other value that must be
//! unpredictable.
//!
//! `Math.random()` is everywhere and nearly always harmless, so a generator
//! call alone is never a finding. The rule follows each one through the
//! value-flow layer and reports it only where it reaches a sensitive name,
//! a function whose name says it makes one, or a cipher's key or IV.

use crate::crypto::{
    NameUse, Nearby, Needles, SensitiveName, imported_from, literal_of, most_sensitive, sensitive_destinations,
};
use crate::syntax::line_of;
use crate::{FileInput, Rule};
use miroguard_core::{Finding, Language, RuleMeta, Severity};
use miroguard_ir::flow::{Destination, Flow, OriginKind};
use miroguard_ir::sensitive::{Sensitive, SensitiveKind};
use miroguard_ir::{Call, CallId, Facts, Value};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The rule's id.
pub const ID: &str = "insecure-random-key";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/insecure-random-key.toml"
));

/// Words of generators (the first keyword group).
const SOURCE_KEYWORDS: &[&str] = &[
    "math.random",
    "date.now",
    "gettime",
    "performance.now",
    "pseudorandombytes",
    "uuid",
    "lodash",
    "_.random",
    "randombytes",
    "getrandomvalues",
    "randomfill",
    "smallrng",
    "seed_from_u64",
    "from_seed",
    "pcg",
    "xorshift",
    "xoshiro",
    "xoroshiro",
    "splitmix",
    "wyrand",
    "fastrand",
    "oorandom",
    "systemtime",
];

/// How the generators are written, lowercased, per language: the lexical
/// tier looks for a sensitive name around these.
const JS_GENERATORS: &[&str] = &[
    "math.random",
    "date.now",
    "gettime",
    "performance.now",
    "pseudorandombytes",
    "v1(",
    "_.random",
    "lodash",
];
const RUST_GENERATORS: &[&str] = &[
    "smallrng",
    "seed_from_u64",
    "from_seed",
    "pcg32",
    "pcg64",
    "lcg64",
    "mcg128",
    "xorshift",
    "xoshiro",
    "xoroshiro",
    "splitmix",
    "wyrand",
    "fastrand::",
    "oorandom",
    "systemtime::now",
    "utc::now",
    "local::now",
];

/// Secure generators among the sources: only a biased `%` makes them a finding.
const SECURE_SOURCE_KEYWORDS: &[&str] = &["randombytes", "getrandomvalues", "randomfill"];

/// How far around a generator the lexical tier looks for a sensitive name or sink.
const NEAR_BEFORE: usize = 400;
const NEAR_AFTER: usize = 400;

/// Words that make a bare `state` the OAuth state, and a bare `session` a session id.
const OAUTH_WORDS: &[&str] = &["oauth", "authorize", "redirect_uri"];
const COOKIE_WORDS: &[&str] = &["cookie", "express-session", "cookie-session", "genid"];

/// How close after a secure byte source a `%` must be to reduce its bytes.
const BIAS_WITHIN: usize = 120;

/// Sinks that make a value sensitive whatever its name.
const NEAR_SINKS: &[&str] = &[
    "genid",
    "generateid",
    "jti",
    "createcipheriv",
    "createhmac",
    "from_slice",
    "jwt.sign",
];

/// Words of destinations (the second group): without one, nothing can be sensitive.
const SINK_KEYWORDS: &[&str] = &[
    "token",
    "secret",
    "key",
    "pass",
    "pwd",
    "session",
    "sid",
    "state",
    "nonce",
    "salt",
    "iv",
    "otp",
    "code",
    "signature",
    "genid",
    "generateid",
    "jti",
    "verifier",
    "csrf",
    "cred",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    extra_names: BTreeMap<String, String>,
}

/// A generator call.
struct Source {
    /// How the message names it: "`Math.random()`".
    name: String,
    /// Why it is predictable, when more than "not cryptographic" is known.
    because: Option<&'static str>,
    language: Family,
}

/// What the file says about where a bare `state` or `session` belongs.
#[derive(Clone, Copy)]
struct Context {
    oauth: bool,
    cookies: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Js,
    Rust,
}

/// The rule.
pub struct InsecureRandomKey {
    meta: RuleMeta,
    keywords: Vec<String>,
    /// The lexical tier's needles, per language: generators (group 0) and
    /// secure byte sources (group 1, for biased reductions).
    js_needles: Needles,
    rust_needles: Needles,
    extra_names: Vec<(String, SensitiveKind)>,
}

impl InsecureRandomKey {
    /// Loads the rule from its embedded TOML.
    pub fn new() -> Result<InsecureRandomKey, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        let mut extra_names = Vec::new();
        for (name, kind) in file.extra_names {
            let kind = match kind.as_str() {
                "session" => SensitiveKind::Session,
                "token" => SensitiveKind::Token,
                "secret" => SensitiveKind::Secret,
                other => return Err(format!("extra_names.{name}: unknown kind `{other}`")),
            };
            extra_names.push((name, kind));
        }
        Ok(InsecureRandomKey {
            meta: file.rule,
            js_needles: Needles::new(&[JS_GENERATORS, SECURE_SOURCE_KEYWORDS])?,
            // The checks match whole path segments (`SmallRng`, `from_seed`).
            rust_needles: Needles::new(&[RUST_GENERATORS])?.at_word_start(),
            keywords: SOURCE_KEYWORDS
                .iter()
                .chain(SINK_KEYWORDS)
                .chain(OAUTH_WORDS)
                .chain(COOKIE_WORDS)
                .map(|k| k.to_string())
                .collect(),
            extra_names,
        })
    }

    /// Whether the file speaks of OAuth (a bare `state` is then its state
    /// parameter) and of cookies or sessions (a bare `session` is then an id).
    fn context(input: &FileInput<'_>) -> Context {
        let first = SOURCE_KEYWORDS.len() + SINK_KEYWORDS.len();
        let any = |from: usize, count: usize| (from..from + count).any(|i| input.keywords.contains(i));
        Context {
            oauth: any(first, OAUTH_WORDS.len()),
            cookies: any(first + OAUTH_WORDS.len(), COOKIE_WORDS.len()),
        }
    }

    /// The generator `call` is, if it is one that is not cryptographically secure.
    fn source(&self, flow: &Flow<'_>, call: &Call, family: Family) -> Option<Source> {
        let facts = flow.facts();
        let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
        let source = |name: &str, because| {
            Some(Source {
                name: name.to_string(),
                because,
                language: family,
            })
        };
        if family == Family::Js {
            return match callee.as_slice() {
                ["Math", "random"] => source("Math.random()", None),
                ["Date", "now"] => source("Date.now()", Some("the current time is guessable")),
                ["performance", "now"] => source("performance.now()", Some("the current time is guessable")),
                ["getTime" | "valueOf"] if is_new_date(facts, call.receiver.as_deref()) => {
                    source("new Date().getTime()", Some("the current time is guessable"))
                }
                [.., "pseudoRandomBytes"] => source("crypto.pseudoRandomBytes()", None),
                ["uuid", "v1"] => source("uuid v1", Some("a v1 UUID is the time and the host's MAC address")),
                ["_" | "lodash", "random"] => source("_.random()", None),
                [local] if imported_name(facts, local, "uuid") == Some("v1") => {
                    source("uuid v1", Some("a v1 UUID is the time and the host's MAC address"))
                }
                [local]
                    if imported_from(facts, local).is_some_and(|m| m == "lodash.random" || m == "lodash/random") =>
                {
                    source("_.random()", None)
                }
                _ => None,
            };
        }
        let n = callee.len();
        let ty = if n >= 2 { callee[n - 2] } else { "" };
        let method = callee.last().copied().unwrap_or("");
        match (ty, method) {
            ("SmallRng", _) => source(
                "SmallRng",
                Some("it is a fast generator whose state its output reveals"),
            ),
            (
                "Pcg32"
                | "Pcg64"
                | "Pcg64Mcg"
                | "Lcg64Xsh32"
                | "Mcg128Xsl64"
                | "XorShiftRng"
                | "Xoshiro256PlusPlus"
                | "Xoshiro256StarStar"
                | "Xoshiro128PlusPlus"
                | "Xoroshiro128Plus"
                | "Xoroshiro128PlusPlus"
                | "SplitMix64"
                | "WyRand",
                _,
            ) => source(ty, Some("it is a fast generator whose state its output reveals")),
            ("Rand32" | "Rand64", "new")
                if callee.first() == Some(&"oorandom") || imported_from(facts, ty).is_some() =>
            {
                source("oorandom", None)
            }
            ("fastrand", _) | ("Rng", "new" | "with_seed") if callee.first() == Some(&"fastrand") => source(
                "fastrand",
                Some("it is a fast generator whose state its output reveals"),
            ),
            ("SystemTime" | "Utc" | "Local", "now") => {
                source(&format!("{ty}::now()"), Some("the current time is guessable"))
            }
            (
                "StdRng" | "ChaCha8Rng" | "ChaCha12Rng" | "ChaCha20Rng" | "Hc128Rng" | "Isaac64Rng" | "IsaacRng",
                "seed_from_u64" | "from_seed",
            ) => {
                let seed = call.args.first()?;
                let fixed = self.seed_is_fixed(flow, seed, call);
                fixed.then(|| Source {
                    name: format!("{ty}::{method}"),
                    because: Some("it is seeded with a constant or the clock, so its output is predictable"),
                    language: family,
                })
            }
            _ => None,
        }
    }

    /// Whether a seed is a literal or made from the clock.
    fn seed_is_fixed(&self, flow: &Flow<'_>, seed: &Value, call: &Call) -> bool {
        let origins = flow.origins(seed, call.scope, call.span.start);
        let literal = |kind: &OriginKind| matches!(kind, OriginKind::Number(_) | OriginKind::Literal(_));
        let clock = |kind: &OriginKind| match kind {
            OriginKind::Call(id) => flow.facts().call(*id).callee.iter().any(|s| {
                matches!(
                    s.as_str(),
                    "now" | "as_secs" | "as_nanos" | "as_millis" | "as_micros" | "elapsed" | "timestamp"
                )
            }),
            _ => false,
        };
        let array_literal = matches!(seed, Value::Array(_));
        !origins.is_empty()
            && (origins
                .iter()
                .all(|o| literal(&o.kind) || array_literal && o.kind == OriginKind::Unknown)
                || origins.iter().any(|o| clock(&o.kind)))
    }

    /// The most sensitive place a value from `call` reaches, if any.
    fn sensitive_destination(&self, flow: &Flow<'_>, id: CallId, context: Context) -> Option<SensitiveName> {
        let facts = flow.facts();
        let destinations = flow.destinations_of_call(id);
        let mut names = sensitive_destinations(flow, &destinations, facts.call(id).span);
        for destination in &destinations {
            match destination {
                Destination::Binding(b) => {
                    let binding = &facts.bindings[*b as usize];
                    names.extend(self.extra(&binding.name, binding.name_span.start));
                }
                Destination::Return { ret, function } => {
                    let name = facts.scopes.get(*function as usize).and_then(|s| s.name.as_deref());
                    let at = facts.returns.get(*ret as usize).map_or(0, |r| r.span.start);
                    names.extend(name.and_then(|name| self.extra(name, at)));
                }
                Destination::Argument {
                    call,
                    index: Some(index),
                } => {
                    names.extend(crypto_parameter(facts.call(*call), *index));
                }
                _ => {}
            }
        }
        names.retain(|n| {
            !n.sensitive.hashed
                && (!n.sensitive.weak
                    || match n.sensitive.kind {
                        SensitiveKind::OAuthState => context.oauth,
                        SensitiveKind::Session => context.cookies,
                        _ => false,
                    })
        });
        most_sensitive(&names).cloned()
    }

    fn extra(&self, name: &str, at: usize) -> Option<SensitiveName> {
        self.extra_names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, kind)| SensitiveName {
                name: name.to_string(),
                sensitive: Sensitive {
                    kind: *kind,
                    hashed: false,
                    weak: false,
                },
                at,
            })
    }

    /// Secure random bytes reduced with `% n` where `n` does not divide 256.
    fn biased_modulo(&self, flow: &Flow<'_>, id: CallId, text: &str) -> Option<(SensitiveName, String)> {
        let facts = flow.facts();
        let call = facts.call(id);
        let last = call.callee.last()?;
        if !matches!(last.as_str(), "randomBytes" | "getRandomValues" | "randomFillSync") {
            return None;
        }
        let destinations = flow.destinations_of_call(id);
        let sensitive = most_sensitive(
            &sensitive_destinations(flow, &destinations, call.span)
                .into_iter()
                .filter(|n| !n.sensitive.weak && !n.sensitive.hashed)
                .collect::<Vec<_>>(),
        )
        .cloned()?;
        // The statement that makes the sensitive value is where a reduction would be.
        let binding = destinations.iter().find_map(|d| match d {
            Destination::Binding(b) if facts.bindings[*b as usize].name == sensitive.name => {
                Some(&facts.bindings[*b as usize])
            }
            _ => None,
        })?;
        let statement = binding.span.text(text);
        let modulus = statement.split_once('%')?.1.trim_start();
        let operand: String = modulus
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$'))
            .collect();
        let size = match operand
            .strip_suffix(".length")
            .or_else(|| operand.strip_suffix(".len()"))
        {
            Some(name) => {
                let alphabet = facts
                    .bindings
                    .get(flow.resolve(name, binding.scope, binding.span.start)? as usize)?;
                literal_of(flow, &alphabet.value, alphabet.scope, alphabet.span.start)
                    .map(|(text, _)| text.chars().count() as u64)
            }
            None => operand.parse::<u64>().ok(),
        };
        if size.is_some_and(|n| n > 0 && 256 % n == 0) {
            return None;
        }
        let shown = size.map_or(String::new(), |n| format!(" ({n})"));
        Some((sensitive, format!("`% {operand}`{shown}")))
    }
}

/// Whether `value` is `new Date()`.
fn is_new_date(facts: &Facts, value: Option<&Value>) -> bool {
    matches!(value, Some(Value::Call(id)) if facts.calls.get(*id as usize).is_some_and(|c| c.is_new && c.callee == ["Date"]))
}

/// The name `local` stands for in an import from `module` (`v1` in `import { v1 as uuidv1 } from "uuid"`).
fn imported_name<'f>(facts: &'f Facts, local: &str, module: &str) -> Option<&'f str> {
    facts
        .imports
        .iter()
        .filter(|import| import.source == module)
        .flat_map(|import| &import.names)
        .find(|name| name.local == local)
        .map(|name| name.imported.as_str())
}

/// A cipher, HMAC or JWT parameter that must be secret or unpredictable.
fn crypto_parameter(call: &Call, index: usize) -> Option<SensitiveName> {
    let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
    let (name, kind) = match (callee.as_slice(), index) {
        ([.., "createCipheriv" | "createDecipheriv"], 1) => ("cipher key", SensitiveKind::Secret),
        ([.., "createCipheriv" | "createDecipheriv"], 2) => ("cipher IV", SensitiveKind::Nonce),
        ([.., "createHmac"], 1) => ("HMAC key", SensitiveKind::Secret),
        ([.., "jwt" | "jsonwebtoken", "sign"], 1) => ("JWT signing key", SensitiveKind::Secret),
        ([.., "Key", "from_slice" | "from"], 0) => ("cipher key", SensitiveKind::Secret),
        ([.., "Nonce" | "XNonce", "from_slice" | "from"], 0) => ("nonce", SensitiveKind::Nonce),
        ([.., "new_from_slice"], 0) => ("key", SensitiveKind::Secret),
        _ => return None,
    };
    Some(SensitiveName {
        name: name.to_string(),
        sensitive: Sensitive {
            kind,
            hashed: false,
            weak: false,
        },
        at: call.span.start,
    })
}

impl Rule for InsecureRandomKey {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        if input.context.is_test || input.context.is_type_declarations() {
            return false;
        }
        let js_or_rust = matches!(
            input.context.language,
            Language::JavaScript | Language::TypeScript | Language::Tsx | Language::Rust
        );
        let source = (0..SOURCE_KEYWORDS.len()).any(|i| input.keywords.contains(i));
        let sink = (0..SINK_KEYWORDS.len()).any(|i| input.keywords.contains(SOURCE_KEYWORDS.len() + i));
        if !(js_or_rust && source && sink) {
            return false;
        }
        let needles = if input.context.language == Language::Rust {
            &self.rust_needles
        } else {
            &self.js_needles
        };
        let context = Self::context(input);
        let mut sinks = NEAR_SINKS.to_vec();
        if context.oauth {
            sinks.push("state");
        }
        if context.cookies {
            sinks.push("session");
        }
        let generators = Nearby {
            before: NEAR_BEFORE,
            after: NEAR_AFTER,
            also: &sinks,
            usage: NameUse::Given,
            kinds: &[],
            followed_by: None,
        };
        // Secure bytes matter only when a `%` follows them closely.
        let reduced = Nearby {
            also: &[],
            followed_by: Some((b'%', BIAS_WITHIN)),
            ..generators
        };
        needles.near_sensitive_by_group(input.text, |group| match group {
            0 => Some(&generators),
            1 => Some(&reduced),
            _ => None,
        })
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let Some(facts) = input.facts else {
            return;
        };
        if input.context.is_test {
            return;
        }
        let family = match input.context.language {
            Language::Rust => Family::Rust,
            Language::JavaScript | Language::TypeScript | Language::Tsx => Family::Js,
            Language::Text => return,
        };
        let flow = input.memo.flow(facts, input.text);
        let context = Self::context(input);
        // One finding per sensitive value, however many generators feed it
        // (`Date.now().toString(36) + Math.random()`).
        let mut reported: Vec<usize> = Vec::new();
        for (id, call) in facts.calls.iter().enumerate() {
            let id = id as CallId;
            if facts.in_test_region(call.span) {
                continue;
            }
            if let Some(source) = self.source(flow, call, family) {
                let Some(name) = self.sensitive_destination(flow, id, context) else {
                    continue;
                };
                if reported.contains(&name.at) {
                    continue;
                }
                reported.push(name.at);
                let line = line_of(input.text, name.at);
                let why = source.because.map_or(String::new(), |b| format!(" ({b})"));
                let message = format!(
                    "`{}` is not a cryptographically secure generator{why}, and its value becomes `{}` (line {line}), {}",
                    source.name,
                    name.name,
                    name.sensitive.kind.describe()
                );
                let help = match source.language {
                    Family::Js => {
                        "Use `crypto.randomBytes(32).toString(\"base64url\")`, `crypto.randomUUID()`, `crypto.randomInt()` or `crypto.getRandomValues()`."
                    }
                    Family::Rust => {
                        "Use `rand::rng()` (`thread_rng()`) or `OsRng`, e.g. `Alphanumeric.sample_string(&mut rand::rng(), 32)`, or `getrandom`."
                    }
                };
                findings.push(Finding::new(ID, self.meta.severity, call.callee_span, message).with_help(help));
            } else if let Some((name, modulo)) = self.biased_modulo(flow, id, input.text) {
                if reported.contains(&name.at) {
                    continue;
                }
                reported.push(name.at);
                let line = line_of(input.text, name.at);
                let message = format!(
                    "Secure random bytes reduced with {modulo} favour some values, and they become `{}` (line {line}), {}",
                    name.name,
                    name.sensitive.kind.describe()
                );
                findings.push(
                    Finding::new(ID, Severity::Warning, call.callee_span, message).with_help(
                        "Use `crypto.randomInt(n)` for each character, or an alphabet whose size divides 256 (e.g. base64url).",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered::check;

    fn found(path: &str, source: &str) -> Vec<(usize, Severity, String)> {
        check(&InsecureRandomKey::new().expect("built-in rule loads"), path, source)
    }

    #[test]
    fn the_message_names_the_generator_and_the_destination() {
        let source = "function newToken() {\n  const raw = Math.random().toString(36);\n  const resetToken = raw.slice(2);\n  return resetToken;\n}\n";
        let found = found("server/reset.js", source);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 2);
        assert_eq!(
            found[0].2,
            "`Math.random()` is not a cryptographically secure generator, and its value becomes `resetToken` (line 3), a token"
        );
    }

    #[test]
    fn math_random_for_other_things_is_quiet() {
        let source = "const delay = Math.random() * 1000;\nconst id = Math.random().toString(36);\nconst color = COLORS[Math.floor(Math.random() * 3)];\n";
        assert!(found("src/ui.js", source).is_empty());
    }

    #[test]
    fn a_bare_state_needs_an_oauth_file() {
        let react = "class C { constructor() { this.state = { token: 1 }; const state = Math.random(); } }\n";
        assert!(found("src/c.js", react).is_empty());
        let oauth = "const state = Math.random().toString(36);\nres.redirect(`https://miro.com/oauth/authorize?state=${state}`);\n";
        assert_eq!(found("server/oauth.js", oauth).len(), 1);
    }

    #[test]
    fn seeds_decide_for_std_rng() {
        let source = "fn a() -> u64 { let mut rng = StdRng::seed_from_u64(42); let token: u64 = rng.gen(); token }\nfn b() -> u64 { let mut rng = StdRng::from_entropy(); let token: u64 = rng.gen(); token }\nfn c(seed: u64) -> u64 { let mut rng = StdRng::seed_from_u64(seed); let token: u64 = rng.gen(); token }\n";
        let lines: Vec<usize> = found("src/lib.rs", source).into_iter().map(|f| f.0).collect();
        assert_eq!(lines, [1]);
    }

    #[test]
    fn c_bindings_that_derive_keys_from_seeds_are_not_parsed_for() {
        let rule = InsecureRandomKey::new().expect("built-in rule loads");
        let ffi = "extern \"C\" {\n    #[link_name = \"aws_lc_ED25519_keypair_from_seed\"]\n    pub fn ED25519_keypair_from_seed(out_public_key: *mut u8, out_private_key: *mut u8, seed: *const u8);\n}\n";
        assert!(!crate::lowered::needs_facts(&rule, "src/bindings.rs", ffi));
        let seeded =
            "fn token() -> u64 { let mut rng = StdRng::from_seed([7; 32]); let token: u64 = rng.gen(); token }\n";
        assert!(crate::lowered::needs_facts(&rule, "src/keys.rs", seeded));
    }

    #[test]
    fn biased_reduction_of_secure_bytes() {
        let biased = "const token = Array.from(crypto.randomBytes(16), (b) => ABC[b % 62]).join('');\n";
        let even = "const token = Array.from(crypto.randomBytes(16), (b) => HEX[b % 16]).join('');\n";
        assert_eq!(
            found("server/t.js", biased).iter().map(|f| f.1).collect::<Vec<_>>(),
            [Severity::Warning]
        );
        assert!(found("server/t.js", even).is_empty());
    }

    #[test]
    fn tests_are_not_checked() {
        assert!(found("tests/auth.test.js", "const token = Math.random().toString(36);").is_empty());
    }
}
