//! `weak-hash` (C-CRYPTO-1): a broken hash over sensitive data, or a fast
//! hash where a password hash belongs.
//!
//! A hash call alone says little: MD5 makes fine ETags. So the rule finds
//! each hash *site* — a one-shot call (`md5(x)`, `Sha1::digest(x)`) or a
//! hasher object (`createHash("md5")`, `Md5::new()`) and the `update` calls
//! fed to it — and asks the value-flow layer what goes in and where the
//! result goes. Only a sensitive name on either side (`password`,
//! `resetToken`, `passwordHash`, a function called `hashPassword`) makes a
//! finding. The algorithm tables are data, in `rules/weak-hash.toml`.

use crate::crypto::{
    NameUse, Nearby, Needles, SensitiveName, imported_from, literal_of, most_sensitive, normalize, number_of,
    sensitive_destinations, sensitive_origins,
};
use crate::syntax::line_of;
use crate::{FileInput, Rule};
use miroguard_core::{Finding, Language, RuleMeta, Severity, Span};
use miroguard_ir::flow::{Destination, Flow};
use miroguard_ir::sensitive::SensitiveKind;
use miroguard_ir::{Call, CallId, Facts, ScopeId, Value};
use serde::Deserialize;
use std::collections::HashMap;

/// The rule's id.
pub const ID: &str = "weak-hash";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/weak-hash.toml"));

/// Fewer PBKDF2 iterations than this do not slow an attacker down enough.
/// OWASP asks for 600,000 with HMAC-SHA256; this is the floor below which
/// no configuration is defensible.
const MIN_PBKDF2_ITERATIONS: u64 = 100_000;

/// What sensitive data a weak hash must not touch. Salts, nonces and OAuth
/// states are not secret once used, so hashing them with MD5 harms nothing.
const PROTECTED: &[SensitiveKind] = &[
    SensitiveKind::Password,
    SensitiveKind::Secret,
    SensitiveKind::Token,
    SensitiveKind::Session,
    SensitiveKind::Signature,
];

/// How far around a hash the lexical tier looks for a sensitive name: the
/// function header above, the lines below where the digest is kept.
const NEAR_BEFORE: usize = 600;
const NEAR_AFTER: usize = 400;

/// Methods that feed data to a hasher object.
const FEED_METHODS: &[&str] = &["update", "chain_update", "chain", "input", "process", "write"];

/// How strong an algorithm is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Strength {
    /// Broken: never for security.
    Weak,
    /// Sound, but too fast for passwords.
    Fast,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlgorithmSpec {
    name: String,
    strength: Strength,
    names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    algorithms: Vec<AlgorithmSpec>,
}

/// Keywords, in three groups the gate tells apart.
const WEAK_KEYWORDS: &[&str] = &[
    "md5",
    "md4",
    "md2",
    "sha1",
    "sha-1",
    "sha_1",
    "ripemd",
    "rmd160",
    "legacy_use",
];
const FAST_KEYWORDS: &[&str] = &[
    "sha256", "sha-256", "sha512", "sha-512", "sha384", "sha-384", "sha3", "blake",
];
const OTHER_KEYWORDS: &[&str] = &["pbkdf2"];
const PASSWORD_KEYWORDS: &[&str] = &["pass", "pwd"];

/// How weak and fast hashes are written in Rust, lowercased.
const RUST_WEAK_NEEDLES: &[&str] = &[
    "md5::",
    "md4::",
    "md2::",
    "sha1::",
    "ripemd160::",
    "ripemd128::",
    "::md5()",
    "::md4()",
    "::sha1()",
    "::ripemd160()",
    "sha1_for_legacy",
    "<md5>",
    "<md4>",
    "<sha1>",
    "hmacmd5",
    "hmacsha1",
    "sha1_smol",
];
const RUST_FAST_NEEDLES: &[&str] = &[
    "sha256::",
    "sha512::",
    "sha384::",
    "sha224::",
    "sha3_256::",
    "sha3_512::",
    "blake3::",
    "blake2b512::",
    "blake2s256::",
    "::sha256()",
    "::sha512()",
    "::sha384()",
    "<sha256>",
    "<sha512>",
    "digest::sha256",
    "digest::sha512",
];
/// The needle groups of [`WeakHash::js_needles`] and [`WeakHash::rust_needles`].
const WEAK_GROUP: usize = 0;
const FAST_GROUP: usize = 1;
const PBKDF2_GROUP: usize = 2;

/// Identifiers of HMACs: a weak HMAC needs no sensitive name, its key is one.
const HMAC_WORDS: &[&str] = &[
    "hmac",
    "createhmac",
    "hmacmd5",
    "hmacsha1",
    "hmac_sha1_for_legacy_use_only",
];
const RUST_PBKDF2: &[&str] = &["pbkdf2_hmac", "pbkdf2::pbkdf2", "pbkdf2_array", "pbkdf2::<"];

/// A hash found in the code.
struct Site<'f> {
    algorithm: usize,
    hmac: bool,
    /// Where to report: the algorithm's name if written, else the callee.
    span: Span,
    /// The call whose result (a digest or a hasher object) flows on.
    call: CallId,
    /// Values hashed directly by the call.
    inputs: Vec<&'f Value>,
    /// The HMAC key, if any.
    key: Option<&'f Value>,
}

/// The rule.
pub struct WeakHash {
    meta: RuleMeta,
    keywords: Vec<String>,
    /// The lexical tier's needles, per language: how hashes are written.
    js_needles: Needles,
    rust_needles: Needles,
    algorithms: Vec<AlgorithmSpec>,
    by_name: HashMap<String, usize>,
}

impl WeakHash {
    /// Loads the rule from its embedded TOML.
    pub fn new() -> Result<WeakHash, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        let mut by_name = HashMap::new();
        for (index, algorithm) in file.algorithms.iter().enumerate() {
            for name in &algorithm.names {
                if name != &normalize(name) {
                    return Err(format!("algorithm name `{name}` is not normalized"));
                }
                if by_name.insert(name.clone(), index).is_some() {
                    return Err(format!("algorithm name `{name}` is listed twice"));
                }
            }
        }
        let keywords = WEAK_KEYWORDS
            .iter()
            .chain(FAST_KEYWORDS)
            .chain(OTHER_KEYWORDS)
            .chain(PASSWORD_KEYWORDS)
            .map(|k| k.to_string())
            .collect();
        Ok(WeakHash {
            meta: file.rule,
            keywords,
            js_needles: Needles::new(&[WEAK_KEYWORDS, FAST_KEYWORDS, &["pbkdf2"]])?,
            rust_needles: Needles::new(&[RUST_WEAK_NEEDLES, RUST_FAST_NEEDLES, RUST_PBKDF2])?,
            algorithms: file.algorithms,
            by_name,
        })
    }

    /// The algorithm a name stands for, and whether the name is an HMAC of it
    /// (`HmacSHA1`, `hmac-sha1`, `HMAC_SHA1_FOR_LEGACY_USE_ONLY`).
    fn algorithm(&self, name: &str) -> Option<(usize, bool)> {
        let normalized = normalize(name);
        if let Some(index) = self.by_name.get(&normalized) {
            return Some((*index, false));
        }
        let rest = normalized.strip_prefix("hmac")?;
        self.by_name.get(rest).map(|index| (*index, true))
    }

    fn site<'f>(&self, flow: &Flow<'f>, id: CallId, call: &'f Call, language: Language) -> Option<Site<'f>> {
        match language {
            Language::Rust => self.rust_site(flow, id, call),
            Language::JavaScript | Language::TypeScript | Language::Tsx => self.js_site(flow, id, call),
            Language::Text => None,
        }
    }

    fn js_site<'f>(&self, flow: &Flow<'f>, id: CallId, call: &'f Call) -> Option<Site<'f>> {
        let facts = flow.facts();
        let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
        let last = *callee.last()?;
        let site = |algorithm: (usize, bool), span: Span, inputs: Vec<&'f Value>, key: Option<&'f Value>| Site {
            algorithm: algorithm.0,
            hmac: algorithm.1,
            span,
            call: id,
            inputs,
            key,
        };
        match (last, callee.as_slice()) {
            ("createHash" | "createHmac", _) => {
                let (name, span) = literal_of(flow, call.args.first()?, call.scope, call.span.start)?;
                let (algorithm, _) = self.algorithm(&name)?;
                let hmac = last == "createHmac";
                // A name from a constant elsewhere is reported where it is used.
                let span = if call.span.contains(span) {
                    span
                } else {
                    call.callee_span
                };
                Some(site(
                    (algorithm, hmac),
                    span,
                    Vec::new(),
                    call.args.get(1).filter(|_| hmac),
                ))
            }
            ("hash", ["crypto", "hash"]) => {
                let (name, span) = literal_of(flow, call.args.first()?, call.scope, call.span.start)?;
                let algorithm = self.algorithm(&name)?;
                Some(site(algorithm, span, call.args.get(1).into_iter().collect(), None))
            }
            ("digest", [.., "subtle", "digest"]) => {
                let algorithm_arg = call.args.first()?;
                let named = match algorithm_arg {
                    Value::Object(fields) => fields
                        .iter()
                        .filter_map(|f| facts.bindings.get(*f as usize))
                        .find(|b| b.name == "name")
                        .map(|b| &b.value)?,
                    other => other,
                };
                let (name, span) = literal_of(flow, named, call.scope, call.span.start)?;
                let algorithm = self.algorithm(&name)?;
                Some(site(algorithm, span, call.args.get(1).into_iter().collect(), None))
            }
            (_, ["forge", "md", algorithm, "create"]) => {
                let algorithm = self.algorithm(algorithm)?;
                Some(site(algorithm, call.callee_span, Vec::new(), None))
            }
            (_, [object, name]) if is_crypto_js(facts, object) => {
                let algorithm = self.algorithm(name)?;
                let key = call.args.get(1).filter(|_| algorithm.1);
                Some(site(
                    algorithm,
                    call.callee_span,
                    call.args.first().into_iter().collect(),
                    key,
                ))
            }
            (_, [local])
            | (
                _,
                [
                    local,
                    "hex" | "array" | "digest" | "base64" | "arrayBuffer" | "create" | "update",
                ],
            ) => {
                // `md5(x)`, `md5.hex(x)`: the package decides the algorithm.
                let module = imported_from(facts, local)?;
                let package = module.rsplit('/').next().unwrap_or(module);
                let algorithm = self.algorithm(package)?;
                let inputs = if last == "create" {
                    Vec::new()
                } else {
                    call.args.first().into_iter().collect()
                };
                Some(site(algorithm, call.callee_span, inputs, None))
            }
            _ => None,
        }
    }

    fn rust_site<'f>(&self, flow: &Flow<'f>, id: CallId, call: &'f Call) -> Option<Site<'f>> {
        let facts = flow.facts();
        let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
        let site = |algorithm: (usize, bool), inputs: Vec<&'f Value>, key: Option<&'f Value>, call: CallId| Site {
            algorithm: algorithm.0,
            hmac: algorithm.1,
            span: facts.call(call).callee_span,
            call,
            inputs,
            key,
        };
        match callee.as_slice() {
            ["md5", "compute"] | ["blake3", "hash"] => {
                let algorithm = self.algorithm(callee[0])?;
                return Some(site(algorithm, call.args.first().into_iter().collect(), None, id));
            }
            [.., "MessageDigest", name] => {
                // openssl: the digest is an argument of what uses it.
                let algorithm = self.algorithm(name)?;
                let user = flow.destinations_of_call(id).into_iter().find_map(|d| match d {
                    Destination::Argument { call, .. } => Some(call),
                    _ => None,
                })?;
                let used = facts.call(user);
                let inputs = if used.callee.last().is_some_and(|m| m == "hash") {
                    used.args.get(1).into_iter().collect()
                } else {
                    Vec::new()
                };
                let mut found = site(algorithm, inputs, None, user);
                found.span = call.span;
                return Some(found);
            }
            _ => {}
        }
        // ring: `digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, data)`,
        // `hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key)`.
        let ring_api = matches!(callee.last(), Some(&("digest" | "new" | "sign" | "verify")));
        if let (true, Some(Value::Member(path))) = (ring_api, call.args.first()) {
            let constant = path.last()?;
            if constant
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                let algorithm = self.algorithm(constant)?;
                let inputs = if callee.last() == Some(&"digest") {
                    call.args.get(1).into_iter().collect()
                } else {
                    Vec::new()
                };
                let key = call.args.get(1).filter(|_| algorithm.1);
                return Some(site(algorithm, inputs, key, id));
            }
        }
        let [.., ty, method] = callee.as_slice() else {
            return None;
        };
        if normalize(ty).starts_with("hmac") {
            // `Hmac::<Sha1>::new_from_slice(key)`, `HmacSha1::new_from_slice(key)`.
            let written = call.callee_span.text(flow.text());
            let inner = written
                .split_once('<')
                .and_then(|(_, rest)| rest.split_once('>'))
                .map_or(*ty, |(inner, _)| inner.rsplit("::").next().unwrap_or(inner));
            let (algorithm, _) = self.algorithm(inner.strip_prefix("Hmac").unwrap_or(inner))?;
            return Some(site((algorithm, true), Vec::new(), call.args.first(), id));
        }
        let algorithm = self.algorithm(ty)?;
        // A type named like a hash is one only when it is written as a type.
        if !ty.starts_with(|c: char| c.is_ascii_uppercase()) {
            return None;
        }
        match *method {
            "new" | "default" => Some(site(algorithm, Vec::new(), None, id)),
            "digest" | "new_with_prefix" | "chain" | "hash" => {
                Some(site(algorithm, call.args.first().into_iter().collect(), None, id))
            }
            _ => None,
        }
    }

    /// A finding for PBKDF2 with too few iterations, if `call` is one.
    fn pbkdf2(&self, flow: &Flow<'_>, call: &Call, text: &str) -> Option<(Span, String, String)> {
        let last = call.callee.last()?;
        if !matches!(
            last.as_str(),
            "pbkdf2" | "pbkdf2Sync" | "pbkdf2_hmac" | "pbkdf2_hmac_array" | "pbkdf2_array"
        ) {
            return None;
        }
        let iterations = call.args.get(2)?;
        let count = number_of(flow, iterations, call.scope, call.span.start)?;
        if count >= MIN_PBKDF2_ITERATIONS {
            return None;
        }
        let line = line_of(text, call.span.start);
        Some((
            call.callee_span,
            format!("PBKDF2 runs only {count} iterations (line {line}): too fast to slow down a password search"),
            format!(
                "Use at least {MIN_PBKDF2_ITERATIONS} iterations (OWASP asks for 600,000 with HMAC-SHA256), or a password hash such as Argon2id, scrypt or bcrypt."
            ),
        ))
    }

    /// What is sensitive about a site, if anything, as a finding.
    fn judge(&self, flow: &Flow<'_>, site: &Site<'_>, text: &str) -> Option<(Severity, String, String)> {
        let facts = flow.facts();
        let algorithm = &self.algorithms[site.algorithm];
        let call = facts.call(site.call);
        let destinations = flow.destinations_of_call(site.call);
        let mut inputs: Vec<(&Value, ScopeId, usize)> =
            site.inputs.iter().map(|v| (*v, call.scope, call.span.start)).collect();
        for destination in &destinations {
            if let Destination::Receiver(fed) = destination {
                let fed = facts.call(*fed);
                if fed.callee.last().is_some_and(|m| FEED_METHODS.contains(&m.as_str())) {
                    inputs.extend(fed.args.first().map(|v| (v, fed.scope, fed.span.start)));
                }
            }
        }
        if site.hmac {
            if algorithm.strength != Strength::Weak {
                return None;
            }
            let key = site
                .key
                .and_then(|key| most_sensitive(&sensitive_origins(flow, key, call.scope, call.span.start)).cloned());
            let with = key.map_or(String::from("a secret key"), |k| format!("`{}`", k.name));
            let severity = if matches!(algorithm.name.as_str(), "MD5" | "MD4") {
                Severity::Error
            } else {
                Severity::Warning
            };
            return Some((
                severity,
                format!(
                    "HMAC-{} authenticates with {with}: {} is a weak hash",
                    algorithm.name, algorithm.name
                ),
                "Use HMAC-SHA256 (`createHmac(\"sha256\", key)`, `Hmac<Sha256>`).".into(),
            ));
        }
        let hashed_in: Vec<SensitiveName> = inputs
            .iter()
            .flat_map(|(value, scope, at)| sensitive_origins(flow, value, *scope, *at))
            .filter(|n| !n.sensitive.hashed && !n.sensitive.weak)
            .collect();
        let kept_as: Vec<SensitiveName> = sensitive_destinations(flow, &destinations, call.span)
            .into_iter()
            .filter(|n| !n.sensitive.weak)
            .collect();
        let (relevant, ask): (&[SensitiveKind], &str) = match algorithm.strength {
            Strength::Weak => (PROTECTED, "a weak hash"),
            Strength::Fast => (&[SensitiveKind::Password], "a fast hash, unfit for passwords"),
        };
        let pick = |names: &[SensitiveName]| -> Option<SensitiveName> {
            let relevant: Vec<SensitiveName> = names
                .iter()
                .filter(|n| relevant.contains(&n.sensitive.kind))
                // A configured passphrase (`process.env.VAULT_PASSPHRASE`) is
                // a deployment's secret, not a user's password to store.
                .filter(|n| algorithm.strength == Strength::Weak || !is_screaming_case(&n.name))
                .cloned()
                .collect();
            most_sensitive(&relevant).cloned()
        };
        let (what, name) = if let Some(name) = pick(&hashed_in) {
            ("it hashes", name)
        } else if let Some(name) = pick(&kept_as) {
            ("its result becomes", name)
        } else {
            return None;
        };
        let line = line_of(text, name.at);
        let message = format!(
            "{} is {ask}, and {what} `{}` (line {line}), {}",
            algorithm.name,
            name.name,
            name.sensitive.kind.describe()
        );
        let help = match name.sensitive.kind {
            SensitiveKind::Password => {
                "Hash passwords with a password hash: Argon2id, scrypt or bcrypt (or PBKDF2 with at least 600,000 iterations)."
            }
            _ => "Use SHA-256 or stronger; to sign or authenticate, HMAC-SHA256.",
        };
        Some((self.meta.severity, message, help.into()))
    }
}

/// `VAULT_PASSPHRASE`: the name of an environment variable or a constant.
fn is_screaming_case(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase()) && !name.chars().any(|c| c.is_ascii_lowercase())
}

/// Whether `name` is crypto-js: `CryptoJS.MD5(x)`, or any local name imported from it.
fn is_crypto_js(facts: &Facts, name: &str) -> bool {
    name == "CryptoJS" || imported_from(facts, name).is_some_and(|m| m == "crypto-js" || m.starts_with("crypto-js/"))
}

impl Rule for WeakHash {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        if input.context.is_type_declarations() {
            return false;
        }
        if !matches!(
            input.context.language,
            Language::JavaScript | Language::TypeScript | Language::Tsx | Language::Rust
        ) {
            return false;
        }
        let hit = |offset: usize, group: &[&str]| (0..group.len()).any(|i| input.keywords.contains(offset + i));
        let weak = hit(0, WEAK_KEYWORDS);
        let fast = hit(WEAK_KEYWORDS.len(), FAST_KEYWORDS);
        let pbkdf2 = hit(WEAK_KEYWORDS.len() + FAST_KEYWORDS.len(), OTHER_KEYWORDS);
        let password = hit(
            WEAK_KEYWORDS.len() + FAST_KEYWORDS.len() + OTHER_KEYWORDS.len(),
            PASSWORD_KEYWORDS,
        );
        let rust = input.context.language == Language::Rust;
        let needles = if rust { &self.rust_needles } else { &self.js_needles };
        if pbkdf2 && needles.occurs(input.text, PBKDF2_GROUP) {
            return true;
        }
        if !(weak || fast && password) {
            return false;
        }
        let nearby = Nearby {
            before: NEAR_BEFORE,
            after: NEAR_AFTER,
            also: HMAC_WORDS,
            usage: NameUse::Mentioned,
            kinds: PROTECTED,
            followed_by: None,
        };
        needles.near_sensitive(
            input.text,
            |g| g == WEAK_GROUP && weak || g == FAST_GROUP && fast && password,
            &nearby,
        )
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let Some(facts) = input.facts else {
            return;
        };
        let flow = input.memo.flow(facts, input.text);
        let mut reported: Vec<Span> = Vec::new();
        for (id, call) in facts.calls.iter().enumerate() {
            let found = if let Some(site) = self.site(flow, id as CallId, call, input.context.language) {
                self.judge(flow, &site, input.text)
                    .map(|(severity, message, help)| (site.span, severity, message, help))
            } else if input.context.is_test || facts.in_test_region(call.span) {
                // Tests run PBKDF2 with few iterations on purpose, to stay fast.
                None
            } else {
                self.pbkdf2(flow, call, input.text)
                    .map(|(span, message, help)| (span, self.meta.severity, message, help))
            };
            let Some((span, mut severity, message, help)) = found else {
                continue;
            };
            if reported.contains(&span) {
                continue;
            }
            reported.push(span);
            if input.context.is_test || facts.in_test_region(span) {
                severity = severity.downgraded();
            }
            findings.push(Finding::new(ID, severity, span, message).with_help(help));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered::check;

    fn rule() -> WeakHash {
        WeakHash::new().expect("built-in rule loads")
    }

    fn lines(path: &str, source: &str) -> Vec<usize> {
        check(&rule(), path, source)
            .into_iter()
            .map(|(line, _, _)| line)
            .collect()
    }

    #[test]
    fn algorithm_names_in_every_spelling() {
        let rule = rule();
        let name = |n: &str| {
            rule.algorithm(n)
                .map(|(i, hmac)| (rule.algorithms[i].name.as_str(), hmac))
        };
        assert_eq!(name("SHA-1"), Some(("SHA-1", false)));
        assert_eq!(name("Sha1"), Some(("SHA-1", false)));
        assert_eq!(name("HmacMD5"), Some(("MD5", true)));
        assert_eq!(name("HMAC_SHA1_FOR_LEGACY_USE_ONLY"), Some(("SHA-1", true)));
        assert_eq!(name("sha3-256"), Some(("SHA-3", false)));
        assert_eq!(name("aes-256-gcm"), None);
    }

    #[test]
    fn the_message_names_the_sensitive_value_and_its_line() {
        let source = "function login(req) {\n  const pw = req.body.password;\n  return crypto.createHash('md5').update(pw).digest('hex');\n}\n";
        let found = check(&rule(), "server/login.js", source);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 3);
        assert_eq!(
            found[0].2,
            "MD5 is a weak hash, and it hashes `pw` (line 2), a password"
        );
    }

    #[test]
    fn weak_hashes_of_data_that_is_not_secret_are_quiet() {
        let source = "const etag = crypto.createHash('md5').update(body).digest('hex');\nconst key = crypto.createHash('sha1').update(url).digest('hex');\nconst avatar = md5(email);\n";
        assert!(lines("server/cache.js", source).is_empty());
    }

    #[test]
    fn fast_hashes_matter_for_passwords_only() {
        let source = "function a(password) { return crypto.createHash('sha256').update(password).digest('hex'); }\nfunction b(token) { return crypto.createHash('sha256').update(token).digest('hex'); }\n";
        assert_eq!(lines("server/a.js", source), [1]);
    }

    #[test]
    fn rust_hashers_hmac_and_pbkdf2() {
        let source = "fn a(token: &str) -> Vec<u8> { Sha1::digest(token.as_bytes()).to_vec() }\nfn b(key: &[u8]) { let m = HmacSha1::new_from_slice(key); }\nfn c(pw: &[u8], salt: &[u8], out: &mut [u8]) { pbkdf2_hmac::<Sha256>(pw, salt, 10_000, out); }\nfn d(body: &[u8]) -> String { format!(\"{:x}\", Md5::digest(body)) }\n";
        let found = check(&rule(), "src/lib.rs", source);
        let summary: Vec<(usize, Severity)> = found.iter().map(|(l, s, _)| (*l, *s)).collect();
        assert_eq!(
            summary,
            [(1, Severity::Error), (2, Severity::Warning), (3, Severity::Error)]
        );
    }

    #[test]
    fn test_code_drops_a_level() {
        let source = "const h = crypto.createHash('md5').update(password).digest('hex');\n";
        let found = check(&rule(), "tests/login.test.js", source);
        assert_eq!(found.iter().map(|f| f.1).collect::<Vec<_>>(), [Severity::Warning]);
    }

    #[test]
    fn files_without_a_weak_hash_or_a_password_are_not_parsed() {
        assert!(lines("src/a.ts", "const x = sha256(data);").is_empty());
        assert!(lines("README.md", "md5(password)").is_empty());
    }
}
