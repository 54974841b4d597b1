//! `jwt-not-verified` (R-AUTH-2): a JSON Web Token trusted without its
//! signature being checked, and verification settings that let forged,
//! unsigned or expired tokens through.
//!
//! A decoder call (`jwt.decode`, `jose.decodeJwt`, `jwtDecode`, Rust
//! `dangerous::insecure_decode`) is reported when its result is *trusted* —
//! a claim such as `user` or `team` is read from it, or it is stored as the
//! request's user — and the token it decodes is never verified in the file.
//! Decoding alone is not reported: logging a token's payload or passing it on
//! decides nothing.
//!
//! Trust is found in two ways. The value-flow layer gives the variables,
//! fields and returns the result reaches; the source text around the result
//! and around each later use of those variables gives what is read from it
//! (`payload.user`, `claims?.team`, `const { user } = …`), which the Facts do
//! not record. A result returned from a function of the file is followed to
//! that function's callers (`getUserFromToken(req).team`).
//!
//! "Never verified" leans towards precision: a token counts as verified when
//! a verifier — `jwt.verify`, jose's `jwtVerify`, Rust's
//! `jsonwebtoken::decode`, or any call whose name says it verifies — is given
//! a value that shares a variable, parameter, request field or written
//! expression with the decoded token, in the decode's function or in code
//! that guards others (a middleware, an authentication helper, module-level
//! code). Sharing only a name across two route handlers does not count: each
//! handler has its own request.
//!
//! Findings about decoding depend on where the code runs: a panel decoding
//! its own ID token to schedule a refresh is normal, so they are dropped in
//! browser code and are notes in code that runs on both sides. Test code is
//! skipped altogether: tests decode the tokens they mint to assert on their
//! claims, and switch expiry checks off to replay recorded tokens.

use crate::secrets::names::split_words;
use crate::syntax::{is_ident_byte, is_public_key_material, line_of, normalize_module, required_module};
use crate::{FileInput, FileMemo, Rule};
use aho_corasick::AhoCorasick;
use miroguard_core::{ClassDependence, Finding, Language, RuleMeta, Severity, Span};
use miroguard_ir::flow::{Destination, Flow, OriginKind};
use miroguard_ir::{Binding, BindingKind, Call, CallId, Facts, ScopeId, ScopeKind, Value};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The rule's id.
pub const ID: &str = "jwt-not-verified";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/jwt-not-verified.toml"
));

/// Keywords, lowercase. A JS file needs one of the first three, a Rust file
/// one of the dangerous names after them.
const KEYWORDS: &[&str] = &[
    "jwt",
    "jose",
    "jsonwebtoken",
    "insecure_decode",
    "unsafe_decode",
    "disable_signature",
    "validate_exp",
];
const JS_KEYWORDS: std::ops::Range<usize> = 0..3;
const RUST_KEYWORDS: std::ops::Range<usize> = 3..7;

/// Whether a JWT word starts a word somewhere in `text` (`jwt.decode`,
/// `jwtDecode`, `"jose"`, `'jsonwebtoken'`) or ends one as in `decodeJwt`,
/// rather than sitting inside a longer run of letters (base64 in a bundle).
fn names_a_jwt_library(text: &str) -> bool {
    static JWT_WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(["jwt", "jose", "jsonwebtoken"])
            .ok()
    });
    let Some(automaton) = &*JWT_WORDS else {
        return true;
    };
    let bytes = text.as_bytes();
    automaton.find_iter(text).any(|found| {
        let starts_word = found.start() == 0 || !bytes[found.start() - 1].is_ascii_alphanumeric();
        let ends_word = bytes.get(found.end()).is_none_or(|b| !b.is_ascii_alphanumeric());
        starts_word || ends_word || bytes[found.start()].is_ascii_uppercase()
    })
}

/// Words of a member name that make it an identity or authorization claim.
const CLAIM_WORDS: &[&str] = &[
    "sub",
    "user",
    "username",
    "uid",
    "id",
    "team",
    "board",
    "exp",
    "nbf",
    "iss",
    "aud",
    "email",
    "role",
    "roles",
    "scope",
    "scopes",
    "permission",
    "permissions",
    "admin",
    "tenant",
    "org",
    "organization",
    "account",
    "owner",
    "group",
    "groups",
];

/// Members of a `complete: true` decode that choose the verification key.
const HEADER_NAMES: &[&str] = &["header", "kid", "alg", "jku", "x5u", "x5c"];

/// Objects whose members hold what a request is trusted to be (`req.user`).
const REQUEST_OBJECTS: &[&str] = &[
    "req", "request", "ctx", "context", "res", "reply", "session", "locals", "state", "event",
];

/// Words of a member name that make a stored value the caller's identity.
const IDENTITY_WORDS: &[&str] = &[
    "user",
    "auth",
    "identity",
    "claims",
    "session",
    "principal",
    "account",
    "caller",
    "viewer",
    "member",
];

/// Words of a function name that say it checks what it is given.
const VERIFY_WORDS: &[&str] = &[
    "verify",
    "verified",
    "verifies",
    "validate",
    "validated",
    "validates",
    "authenticate",
    "authenticated",
];

/// Words of a function name that make it an authentication helper.
const HELPER_WORDS: &[&str] = &[
    "verify",
    "verified",
    "validate",
    "auth",
    "authenticate",
    "authenticated",
    "authorize",
    "authorized",
    "require",
    "guard",
    "protect",
    "protected",
    "session",
    "login",
    "check",
    "ensure",
    "identity",
    "token",
    "jwt",
    "claims",
    "middleware",
];

/// Rust methods whose result is still the decoded token (`decode(…).map_err(…)?`).
const RESULT_ADAPTERS: &[&str] = &[
    "map_err",
    "unwrap",
    "expect",
    "ok",
    "ok_or",
    "ok_or_else",
    "context",
    "with_context",
    "unwrap_or_default",
    "into",
    "clone",
    "as_ref",
];

/// Calls whose result is what a token endpoint sent back, over TLS, to the
/// server itself (last segment of the callee).
const ISSUER_CALLS: &[&str] = &[
    "fetch",
    "json",
    "getToken",
    "getTokens",
    "exchangeCodeForToken",
    "exchangeCodeForTokens",
    "exchangeCode",
    "authorizationCodeGrant",
    "callback",
    "oauthCallback",
    "refreshAccessToken",
    "requestAccessToken",
    "tokenRequest",
    "grant",
    "getAccessToken",
    "fetchToken",
    "requestToken",
];

/// HTTP clients (first segment of the callee) whose responses come from the server's own requests.
const HTTP_CLIENTS: &[&str] = &["axios", "got", "ky", "superagent", "needle", "undici", "fetch"];

/// Field names of a token endpoint's response (RFC 6749), as opposed to what a client sends.
const ISSUED_TOKEN_FIELDS: &[&str] = &["id_token", "access_token"];

/// Calls whose result is their argument, wrapped (`Ok(claims)`, `Json(claims)`).
const TRANSPARENT_WRAPPERS: &[&str] = &["Ok", "Some", "Json", "Extension"];

/// Functions whose result the framework gives every handler as the request's
/// identity: axum's and actix-web's extractors.
const EXTRACTORS: &[&str] = &["from_request_parts", "from_request"];

/// How many functions a decoded result is followed out of, to their callers.
const MAX_WRAPPER_DEPTH: usize = 2;
/// How many variables a token's origin is followed through to tell where it was received.
const MAX_ISSUER_DEPTH: usize = 3;
/// How many members or pattern entries are read around one expression.
const MAX_READS: usize = 16;

/// The language an API is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum ApiLanguage {
    Js,
    Rust,
}

impl ApiLanguage {
    fn of(language: Language) -> Option<ApiLanguage> {
        match language {
            Language::Rust => Some(ApiLanguage::Rust),
            language if language.is_js_family() => Some(ApiLanguage::Js),
            _ => None,
        }
    }

    fn separator(self) -> &'static str {
        match self {
            ApiLanguage::Js => ".",
            ApiLanguage::Rust => "::",
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            ApiLanguage::Js => "JS/TS",
            ApiLanguage::Rust => "Rust",
        }
    }
}

/// A `[[decoders]]` or `[[verifiers]]` entry, as written (see the TOML's header).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiSpec {
    language: ApiLanguage,
    api: String,
    library: String,
    callee: String,
    #[serde(default)]
    modules: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    token: usize,
    #[serde(default)]
    key: Option<usize>,
    #[serde(default)]
    options: Option<usize>,
    #[serde(default)]
    fix: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    middleware: Vec<String>,
    decoders: Vec<ApiSpec>,
    verifiers: Vec<ApiSpec>,
}

/// A compiled API entry.
#[derive(Debug)]
struct Api {
    language: ApiLanguage,
    api: String,
    library: String,
    path: Vec<String>,
    modules: Vec<String>,
    names: Vec<Vec<String>>,
    token: usize,
    key: Option<usize>,
    options: Option<usize>,
    fix: String,
}

impl Api {
    fn compile(spec: ApiSpec, decoder: bool) -> Result<Api, LoadError> {
        let problem = |what: &str| Err(LoadError(format!("`{}` ({}): {what}", spec.api, spec.library)));
        match spec.language {
            ApiLanguage::Js if spec.modules.is_empty() => return problem("a JS API needs `modules`"),
            ApiLanguage::Rust if spec.callee.is_empty() => return problem("a Rust API needs a callee"),
            ApiLanguage::Rust if !spec.modules.is_empty() || !spec.names.is_empty() => {
                return problem("`modules` and `names` are for JS APIs");
            }
            _ => {}
        }
        if decoder && spec.fix.is_none() {
            return problem("a decoder needs a `fix`");
        }
        if spec.key.is_some() && spec.options.is_none() {
            return problem("`key` is checked only together with `options`");
        }
        let split = |path: &str| -> Vec<String> {
            if path.is_empty() {
                Vec::new()
            } else {
                path.split(spec.language.separator()).map(str::to_string).collect()
            }
        };
        Ok(Api {
            language: spec.language,
            path: split(&spec.callee),
            names: spec.names.iter().map(|n| split(n)).collect(),
            modules: spec.modules.iter().map(|m| normalize_module(m).to_string()).collect(),
            api: spec.api,
            library: spec.library,
            token: spec.token,
            key: spec.key,
            options: spec.options,
            fix: spec.fix.unwrap_or_default(),
        })
    }
}

/// Why the rule could not be built.
#[derive(Debug, thiserror::Error)]
#[error("rules/jwt-not-verified.toml: {0}")]
pub struct LoadError(String);

/// The rule.
pub struct JwtNotVerified {
    meta: RuleMeta,
    keywords: Vec<String>,
    middleware: Vec<String>,
    decoders: Vec<Api>,
    verifiers: Vec<Api>,
}

impl JwtNotVerified {
    /// The rule with its APIs from `rules/jwt-not-verified.toml`.
    pub fn new() -> Result<JwtNotVerified, LoadError> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| LoadError(e.to_string()))?;
        let decoders = file
            .decoders
            .into_iter()
            .map(|spec| Api::compile(spec, true))
            .collect::<Result<Vec<_>, _>>()?;
        let verifiers = file
            .verifiers
            .into_iter()
            .map(|spec| Api::compile(spec, false))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(JwtNotVerified {
            meta: file.rule,
            keywords: KEYWORDS.iter().map(|k| k.to_string()).collect(),
            middleware: file
                .middleware
                .iter()
                .map(|m| normalize_module(m).to_string())
                .collect(),
            decoders,
            verifiers,
        })
    }

    /// The lexical gate, the same before the parse and at the check: a JS
    /// file needs a JWT keyword and something that can be a decode or verify
    /// call; a Rust file one of the dangerous names.
    fn applies(&self, input: &FileInput<'_>) -> Option<ApiLanguage> {
        let language = ApiLanguage::of(input.context.language)?;
        let hit = |range: std::ops::Range<usize>| range.into_iter().any(|k| input.keywords.contains(k));
        let found = |needle: &str| memchr::memmem::find(input.text.as_bytes(), needle.as_bytes()).is_some();
        let applies = match language {
            ApiLanguage::Js => {
                hit(JS_KEYWORDS) && (found("ecode") || found("erify")) && names_a_jwt_library(input.text)
            }
            ApiLanguage::Rust => hit(RUST_KEYWORDS),
        };
        applies.then_some(language)
    }

    /// How a finding's severity depends on where its file runs: client code
    /// decoding its own token decides nothing on the server.
    fn class_dependence(&self, severity: Severity) -> ClassDependence {
        ClassDependence {
            browser: None,
            isomorphic: Some(Severity::Note),
            server: Some(severity),
            build_config: Some(severity),
            unknown: Some(severity),
        }
    }

    fn finding(&self, severity: Severity, span: Span, message: String, help: &str) -> Finding {
        Finding::new(ID, severity, span, message)
            .with_help(help)
            .depending_on_class(self.class_dependence(severity))
    }
}

/// One file's calls, resolved against its imports, with its value flow.
struct Cx<'a> {
    facts: &'a Facts,
    text: &'a str,
    language: ApiLanguage,
    /// The file's memo, whose value-flow index is built on first use: most
    /// files that pass the gate call no JWT API.
    memo: &'a FileMemo<'a>,
    /// JS: local name → (module, imported name: `default`, `*` or an export).
    imports: HashMap<&'a str, (&'a str, &'a str)>,
    /// Names bound in the file other than by imports: a `jwt` parameter is no module.
    bound: HashSet<&'a str>,
    /// Function scopes by name.
    functions: HashMap<&'a str, Vec<ScopeId>>,
}

impl<'a> Cx<'a> {
    fn new(facts: &'a Facts, text: &'a str, language: ApiLanguage, memo: &'a FileMemo<'a>) -> Cx<'a> {
        let mut imports = HashMap::new();
        for import in &facts.imports {
            for name in &import.names {
                imports
                    .entry(name.local.as_str())
                    .or_insert((normalize_module(&import.source), name.imported.as_str()));
            }
        }
        let bound = facts
            .bindings
            .iter()
            .filter(|b| matches!(b.kind, BindingKind::Variable | BindingKind::Parameter) && b.path.len() == 1)
            .map(|b| b.name.as_str())
            .collect();
        let mut functions: HashMap<&str, Vec<ScopeId>> = HashMap::new();
        for (id, scope) in facts.scopes.iter().enumerate() {
            if let Some(name) = &scope.name {
                functions.entry(name.as_str()).or_default().push(id as ScopeId);
            }
        }
        Cx {
            facts,
            text,
            language,
            memo,
            imports,
            bound,
            functions,
        }
    }

    fn flow(&self) -> &Flow<'a> {
        self.memo.flow(self.facts, self.text)
    }

    fn rust(&self) -> bool {
        self.language == ApiLanguage::Rust
    }

    fn call(&self, id: CallId) -> Option<&'a Call> {
        self.facts.calls.get(id as usize)
    }

    /// Whether `call` calls `api`.
    fn matches(&self, call: &Call, api: &Api) -> bool {
        if api.language != self.language {
            return false;
        }
        match self.language {
            ApiLanguage::Rust => {
                let path = self.rust_path(call);
                path.len() >= api.path.len() && path[path.len() - api.path.len()..] == api.path[..]
            }
            ApiLanguage::Js => {
                if let Some(receiver) = &call.receiver {
                    // `require("jsonwebtoken").decode(token)`
                    return call.callee == api.path
                        && required_module(self.facts, receiver)
                            .is_some_and(|module| api.modules.iter().any(|m| m == module));
                }
                let Some((first, rest)) = call.callee.split_first() else {
                    return false;
                };
                match self.imports.get(first.as_str()) {
                    Some((module, imported)) => {
                        if !api.modules.iter().any(|m| m == module) {
                            return false;
                        }
                        let mut path: Vec<&str> = Vec::with_capacity(rest.len() + 1);
                        if !matches!(*imported, "default" | "*") {
                            path.push(imported);
                        }
                        path.extend(rest.iter().map(String::as_str));
                        path.len() == api.path.len() && path.iter().zip(&api.path).all(|(a, b)| *a == b)
                    }
                    None => {
                        !self.bound.contains(first.as_str())
                            && !self.functions.contains_key(first.as_str())
                            && api.names.contains(&call.callee)
                    }
                }
            }
        }
    }

    /// A Rust call's path as imported: `insecure_decode` brought in by
    /// `use jsonwebtoken::dangerous::insecure_decode` is that whole path.
    fn rust_path<'c>(&'c self, call: &'c Call) -> Vec<&'c str> {
        if let [name] = call.callee.as_slice() {
            for import in &self.facts.imports {
                if let Some(imported) = import.names.iter().find(|n| n.local == *name) {
                    let mut path: Vec<&str> = import.source.split("::").filter(|s| !s.is_empty()).collect();
                    path.push(imported.imported.as_str());
                    return path;
                }
            }
        }
        call.callee.iter().map(String::as_str).collect()
    }

    /// Offsets of the uses of `name` in `from..to`.
    fn uses(&self, name: &str, from: usize, to: usize) -> Vec<usize> {
        let to = to.min(self.text.len());
        let Some(region) = self.text.get(from..to) else {
            return Vec::new();
        };
        if name.is_empty() {
            return Vec::new();
        }
        memchr::memmem::find_iter(region.as_bytes(), name.as_bytes())
            .map(|at| from + at)
            .filter(|at| self.flow().is_use(*at, name.len()))
            .take(64)
            .collect()
    }

    /// The uses of the variable bound by `id` that see this binding.
    fn uses_of_binding(&self, id: u32) -> Vec<usize> {
        let Some(binding) = self.facts.bindings.get(id as usize) else {
            return Vec::new();
        };
        let end = self
            .facts
            .scopes
            .get(binding.scope as usize)
            .map_or(self.text.len(), |s| s.span.end);
        self.uses(&binding.name, binding.span.end, end)
            .into_iter()
            .filter(|at| {
                let scope = self.flow().scope_at(*at);
                self.flow().resolve(&binding.name, scope, *at) == Some(id)
            })
            .collect()
    }

    /// The outermost call of `call`'s chain of result adapters (Rust: `decode(…).map_err(…)`).
    fn adapted(&self, call: CallId) -> CallId {
        let mut current = call;
        if !self.rust() {
            return current;
        }
        for _ in 0..8 {
            let outer = self.facts.calls.iter().position(|c| {
                c.receiver.as_deref() == Some(&Value::Call(current))
                    && c.callee.last().is_some_and(|m| RESULT_ADAPTERS.contains(&m.as_str()))
            });
            match outer {
                Some(outer) => current = outer as CallId,
                None => break,
            }
        }
        current
    }

    /// The source extent of argument `index` of `call`.
    fn argument_span(&self, call: &Call, index: usize) -> Option<Span> {
        argument_spans(self.text, call).get(index).copied()
    }

    /// What a value used at `at` in `scope` is made of, as keys that another
    /// use of the same token shares: the variables and parameters it passes
    /// through, request fields (`req.headers.authorization`, and with
    /// `roots` the objects they hang off), and calls as written.
    fn token_keys(&self, value: &'a Value, scope: ScopeId, at: usize, roots: bool, keys: &mut HashSet<String>) {
        for origin in self.flow().origins(value, scope, at) {
            keys.extend(self.flow().origin_names(&origin).map(str::to_string));
            match &origin.kind {
                OriginKind::Member(path) => {
                    member_keys(path, roots, keys);
                }
                OriginKind::Call(id) => {
                    if let Some(call) = self.call(*id) {
                        keys.insert(compact(call.span.text(self.text)));
                        if roots {
                            // `bearer(req)` is read from `req`.
                            for arg in &call.args {
                                match arg {
                                    Value::Ident(name) => {
                                        keys.insert(name.clone());
                                    }
                                    Value::Member(path) => member_keys(path, true, keys),
                                    _ => {}
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
            if !roots {
                continue;
            }
            // `const token = req.headers.authorization.split(" ")[1]` is
            // opaque to the Facts; the calls inside it say what it is read from.
            for via in &origin.via {
                let Some(binding) = self.facts.bindings.get(*via as usize) else {
                    continue;
                };
                if binding.value != Value::Unknown || binding.kind == BindingKind::Parameter {
                    continue;
                }
                for call in self.facts.calls.iter().filter(|c| binding.span.contains(c.span)) {
                    if call.receiver.is_none() && call.callee.len() > 1 {
                        member_keys(&call.callee[..call.callee.len() - 1], true, keys);
                    }
                }
            }
        }
    }

    /// Whether one of two functions is, or is nested in, the other.
    fn nested(&self, a: ScopeId, b: ScopeId) -> bool {
        self.encloses(a, b) || self.encloses(b, a)
    }

    fn encloses(&self, outer: ScopeId, inner: ScopeId) -> bool {
        let mut current = Some(inner);
        for _ in 0..=miroguard_ir::MAX_NESTING {
            match current {
                Some(id) if id == outer => return true,
                Some(id) => current = self.facts.scopes.get(id as usize).and_then(|s| s.parent),
                None => return false,
            }
        }
        false
    }

    /// Whether a verification in `function` stands for other functions of
    /// the file too: module-level code, a middleware (it takes `next`), or a
    /// helper whose name says it authenticates (`requireUser`,
    /// `verifyIdToken`). A route handler that verifies its own request's
    /// token says nothing about another handler's.
    fn guards_others(&self, function: ScopeId) -> bool {
        let Some(scope) = self.facts.scopes.get(function as usize) else {
            return true;
        };
        if scope.kind == ScopeKind::Module {
            return true;
        }
        let takes_next = self
            .facts
            .bindings
            .iter()
            .any(|b| b.kind == BindingKind::Parameter && b.scope == function && b.name == "next");
        takes_next
            || scope
                .name
                .as_deref()
                .is_some_and(|name| split_words(name).iter().any(|w| HELPER_WORDS.contains(&w.as_str())))
    }

    /// Whether the token `value` (used at `at`) is one the server received
    /// itself from a token endpoint or HTTP client, which TLS authenticates.
    fn issued_to_server(&self, value: &'a Value, scope: ScopeId, at: usize, depth: usize) -> bool {
        if depth > MAX_ISSUER_DEPTH {
            return false;
        }
        self.flow()
            .origins(value, scope, at)
            .iter()
            .any(|origin| match &origin.kind {
                OriginKind::Call(id) => self.call(*id).is_some_and(is_issuer_call),
                OriginKind::Name(name) => {
                    // `const { id_token } = await res.json()` binds nothing the Facts record.
                    ISSUED_TOKEN_FIELDS.contains(name) && origin.via.is_empty()
                }
                OriginKind::Member(path) => {
                    let Some(root) = path.first() else {
                        return false;
                    };
                    if REQUEST_OBJECTS.contains(&root.as_str()) {
                        return false;
                    }
                    if path
                        .last()
                        .is_some_and(|last| ISSUED_TOKEN_FIELDS.contains(&last.as_str()))
                    {
                        return true;
                    }
                    let Some(binding) = self
                        .flow()
                        .resolve(root, scope, at)
                        .and_then(|id| self.facts.bindings.get(id as usize))
                    else {
                        return false;
                    };
                    binding.kind != BindingKind::Parameter
                        && binding.value != Value::Unknown
                        && self.issued_to_server(&binding.value, binding.scope, binding.span.start, depth + 1)
                }
                _ => false,
            })
    }
}

/// `a.b.c` as keys: the whole path, and with `roots` each object it hangs off.
fn member_keys(path: &[String], roots: bool, keys: &mut HashSet<String>) {
    if path.is_empty() {
        return;
    }
    keys.insert(path.join("."));
    if roots {
        for end in 1..path.len() {
            keys.insert(path[..end].join("."));
        }
    }
}

fn is_issuer_call(call: &Call) -> bool {
    let last = call.callee.last().map(String::as_str).unwrap_or("");
    let first = call.callee.first().map(String::as_str).unwrap_or("");
    ISSUER_CALLS.contains(&last) || (call.callee.len() > 1 && HTTP_CLIENTS.contains(&first))
}

/// Text without whitespace, so that the same expression matches however it is laid out.
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether a binding gives a plain variable its value.
fn defines_name(binding: &Binding) -> bool {
    match binding.kind {
        BindingKind::Variable | BindingKind::Parameter | BindingKind::Default => true,
        BindingKind::Assignment => binding.path.len() == 1,
        _ => false,
    }
}

/// What a decoded token is trusted for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Trust {
    /// A claim is read: `payload.user`.
    Claim(String),
    /// The whole result is kept as the caller's identity: `req.user = payload`.
    Stored(String),
    /// The result is what a request extractor gives every handler (axum's `from_request_parts`).
    Extracted(String),
    /// Its header picks the key: `decoded.header.kid`.
    Header(String),
}

#[derive(Clone, Debug)]
struct Evidence {
    trust: Trust,
    at: usize,
    /// The function of the file it was found through, when not the decode's own.
    via: Option<String>,
}

/// What is known about one decode.
struct Analysis {
    evidence: Vec<Evidence>,
    /// Calls of functions of the file that return the decoded result.
    wrappers: Vec<CallId>,
}

/// What reading `name` from a decoded token means.
fn classify(name: &str) -> Option<Trust> {
    if HEADER_NAMES.contains(&name) {
        return Some(Trust::Header(name.to_string()));
    }
    let words = split_words(name);
    words
        .iter()
        .any(|w| CLAIM_WORDS.contains(&w.as_str()))
        .then(|| Trust::Claim(name.to_string()))
}

/// Whether a claim only says when the token is valid (`exp`, `nbf`).
fn is_time_claim(name: &str) -> bool {
    split_words(name).iter().all(|w| matches!(w.as_str(), "exp" | "nbf"))
}

/// Whether a token key says the token was read from the request: its
/// object (`req`, `ctx`), headers, cookies or `Authorization`.
fn is_request_key(key: &str) -> bool {
    let first = key.split(['.', '(', '[']).next().unwrap_or(key);
    let lower = key.to_ascii_lowercase();
    REQUEST_OBJECTS.contains(&first)
        || ["headers", "header(", "authorization", "cookies", "bearer"]
            .iter()
            .any(|part| lower.contains(part))
}

/// Whether an assignment target keeps the caller's identity: `req.user`, `res.locals.auth`.
fn is_identity_target(path: &[String]) -> bool {
    let root = path.first().map(String::as_str).unwrap_or("");
    let last = path.last().map(String::as_str).unwrap_or("");
    path.len() >= 2
        && (REQUEST_OBJECTS.contains(&root) || split_words(last).iter().any(|w| IDENTITY_WORDS.contains(&w.as_str())))
}

/// Whether a name says its function verifies what it is given.
fn says_it_verifies(name: &str) -> bool {
    split_words(name).iter().any(|w| VERIFY_WORDS.contains(&w.as_str()))
}

/// Whether a name, or the value it names, is a public key or certificate.
fn is_public_key_name(name: &str) -> bool {
    let words = split_words(name);
    let has = |w: &str| words.iter().any(|x| x == w);
    if has("private") || has("priv") || has("secret") {
        return false;
    }
    (has("public") && (has("key") || has("pem") || has("cert")))
        || (has("pub") && has("key"))
        || ["pubkey", "publickey", "pem", "cert", "certificate", "spki", "x509"]
            .iter()
            .any(|w| has(w))
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

fn skip_ws_back(bytes: &[u8], mut at: usize) -> usize {
    while at > 0 && bytes[at - 1].is_ascii_whitespace() {
        at -= 1;
    }
    at
}

/// The end of the identifier starting at `at`.
fn ident_end(bytes: &[u8], at: usize) -> usize {
    let mut end = at;
    while bytes.get(end).is_some_and(|b| is_ident_byte(*b)) {
        end += 1;
    }
    end
}

/// The end of the string literal opening at `at` (after its closing quote).
fn string_end(bytes: &[u8], at: usize) -> usize {
    let quote = bytes[at];
    let mut i = at + 1;
    while i < bytes.len() && bytes[i] != quote {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    (i + 1).min(bytes.len())
}

/// The offset of the bracket closing the one that opens at `open`.
fn matching_close(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' | b'`' => {
                i = string_end(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset of the bracket opening the one that closes at `close`
/// (strings are not skipped: patterns hold none that matter).
fn matching_open(bytes: &[u8], close: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = close + 1;
    while i > 0 {
        i -= 1;
        match bytes[i] {
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Keywords after which `(` groups an expression instead of calling something.
const GROUPING_KEYWORDS: &[&str] = &[
    "return", "await", "typeof", "void", "yield", "in", "of", "case", "else", "do", "throw", "new",
];

/// Whether the `(` at `open` groups an expression (`(x as T).y`) rather
/// than opening a call's or a statement's arguments (`f(x)`, `if (x)`).
fn is_grouping(bytes: &[u8], open: usize) -> bool {
    let before = skip_ws_back(bytes, open);
    if before == 0 {
        return true;
    }
    match bytes[before - 1] {
        b')' | b']' => false,
        b'>' => before >= 2 && bytes[before - 2] == b'=',
        b if is_ident_byte(b) => {
            let mut start = before - 1;
            while start > 0 && is_ident_byte(bytes[start - 1]) {
                start -= 1;
            }
            std::str::from_utf8(&bytes[start..before]).is_ok_and(|word| GROUPING_KEYWORDS.contains(&word))
        }
        _ => true,
    }
}

/// The extent of the expression whose value is the one at `span`: widened
/// over `await` and over parentheses that only group it (`(await f(x) as T)`).
fn expression_bounds(text: &str, span: Span) -> Span {
    let bytes = text.as_bytes();
    let (mut start, mut end) = (span.start.min(bytes.len()), span.end.min(bytes.len()));
    for _ in 0..8 {
        let before = skip_ws_back(bytes, start);
        if before >= 5 && &bytes[before - 5..before] == b"await" && (before == 5 || !is_ident_byte(bytes[before - 6])) {
            start = before - 5;
            continue;
        }
        if before > 0 && bytes[before - 1] == b'(' && is_grouping(bytes, before - 1) {
            if let Some(close) = matching_close(bytes, before - 1) {
                // Only a cast or a non-null assertion may follow inside:
                // `(f(x).exp ?? 0)` is another expression.
                let rest = text.get(end..close).unwrap_or("").trim();
                let transparent =
                    rest.is_empty() || rest == "!" || rest.starts_with("as ") || rest.starts_with("satisfies ");
                if close >= end && transparent {
                    start = before - 1;
                    end = close + 1;
                    continue;
                }
            }
        }
        break;
    }
    Span::new(start, end)
}

/// The members read after an expression ending at `at`: `.user`, `?.team`,
/// `["sub"]`, `!.id`, Rust `?.claims.sub` and `.unwrap().claims`. A method
/// call ends the chain (its result is no longer the token).
fn member_chain(text: &str, mut at: usize, rust: bool) -> Vec<(String, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    while out.len() < MAX_READS {
        let i = skip_ws(bytes, at);
        let (name_at, after_dot) = match bytes.get(i) {
            Some(b'?') if !rust && bytes.get(i + 1) == Some(&b'.') => (skip_ws(bytes, i + 2), true),
            Some(b'?') if rust => {
                at = i + 1;
                continue;
            }
            Some(b'!') if !rust && bytes.get(i + 1) != Some(&b'=') => {
                at = i + 1;
                continue;
            }
            Some(b'.') if bytes.get(i + 1) != Some(&b'.') => (skip_ws(bytes, i + 1), true),
            Some(b'[') => (i, false),
            _ => break,
        };
        if bytes.get(name_at) == Some(&b'[') {
            // `["sub"]`: only a literal key says what is read.
            let quote_at = skip_ws(bytes, name_at + 1);
            if !matches!(bytes.get(quote_at), Some(b'"' | b'\'' | b'`')) {
                break;
            }
            let end = string_end(bytes, quote_at);
            let close = skip_ws(bytes, end);
            if bytes.get(close) != Some(&b']') {
                break;
            }
            match text.get(quote_at + 1..end.saturating_sub(1)) {
                Some(key) => out.push((key.to_string(), quote_at + 1)),
                None => break,
            }
            at = close + 1;
            continue;
        }
        if !after_dot {
            break;
        }
        let end = ident_end(bytes, name_at);
        if end == name_at {
            break;
        }
        let name = &text[name_at..end];
        let next = skip_ws(bytes, end);
        let next = if rust && bytes.get(next) == Some(&b':') {
            // `.into::<T>()`: skip the turbofish.
            match text[next..].find('(') {
                Some(paren) => next + paren,
                None => next,
            }
        } else {
            next
        };
        if bytes.get(next) == Some(&b'(') {
            if rust && RESULT_ADAPTERS.contains(&name) {
                match matching_close(bytes, next) {
                    Some(close) => {
                        at = close + 1;
                        continue;
                    }
                    None => break,
                }
            }
            break;
        }
        out.push((name.to_string(), name_at));
        at = end;
    }
    out
}

/// An entry of a destructuring pattern: the key read, the variable it goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PatternEntry {
    key: String,
    local: Option<String>,
    at: usize,
}

/// The entries of the destructuring pattern an expression starting at
/// `start` is assigned to: `const { user, team: t } = …`, `let TokenData { claims, .. } = …`,
/// `const { exp }: Claims = …`.
fn destructured(text: &str, start: usize) -> Vec<PatternEntry> {
    let bytes = text.as_bytes();
    let eq_end = skip_ws_back(bytes, start.min(bytes.len()));
    if eq_end == 0 || bytes[eq_end - 1] != b'=' {
        return Vec::new();
    }
    let eq = eq_end - 1;
    if eq > 0
        && matches!(
            bytes[eq - 1],
            b'=' | b'!' | b'<' | b'>' | b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'?'
        )
    {
        return Vec::new();
    }
    let mut close_end = skip_ws_back(bytes, eq);
    if close_end == 0 {
        return Vec::new();
    }
    if bytes[close_end - 1] != b'}' {
        // A type annotation between the pattern and `=`: `{ exp }: JwtPayload =`.
        let from = close_end.saturating_sub(120);
        let Some(close) = bytes[from..close_end].iter().rposition(|b| *b == b'}') else {
            return Vec::new();
        };
        let annotation = &bytes[from + close + 1..close_end];
        let colon = skip_ws(annotation, 0);
        if annotation.get(colon) != Some(&b':')
            || annotation
                .iter()
                .any(|b| matches!(b, b';' | b'\n' | b'=' | b'{' | b'(' | b')'))
        {
            return Vec::new();
        }
        close_end = from + close + 1;
    }
    let close = close_end - 1;
    let Some(open) = matching_open(bytes, close) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    pattern_entries(text, open + 1, close, 0, &mut out);
    out
}

fn pattern_entries(text: &str, from: usize, to: usize, depth: usize, out: &mut Vec<PatternEntry>) {
    let bytes = text.as_bytes();
    if depth > 4 {
        return;
    }
    let mut entry_start = from;
    let mut level = 0usize;
    let mut i = from;
    while i <= to && out.len() < MAX_READS {
        let b = if i == to { b',' } else { bytes[i] };
        match b {
            b'(' | b'[' | b'{' => level += 1,
            b')' | b']' | b'}' => level = level.saturating_sub(1),
            b',' if level == 0 => {
                pattern_entry(text, entry_start, i, depth, out);
                entry_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
}

fn pattern_entry(text: &str, from: usize, to: usize, depth: usize, out: &mut Vec<PatternEntry>) {
    let bytes = text.as_bytes();
    let start = skip_ws(bytes, from);
    if start >= to || bytes[start] == b'.' {
        return; // `..`, `...rest`
    }
    let key_at = if matches!(bytes[start], b'"' | b'\'') {
        start + 1
    } else {
        start
    };
    let key_end = ident_end(bytes, key_at);
    if key_end == key_at {
        return;
    }
    let key = text[key_at..key_end].to_string();
    let after_key = skip_ws(bytes, if key_at > start { key_end + 1 } else { key_end });
    let local = match bytes.get(after_key) {
        Some(b':') if after_key < to => {
            let value_at = skip_ws(bytes, after_key + 1);
            if bytes.get(value_at) == Some(&b'{') {
                if let Some(close) = matching_close(bytes, value_at) {
                    pattern_entries(text, value_at + 1, close.min(to), depth + 1, out);
                }
                None
            } else {
                let end = ident_end(bytes, value_at);
                (end > value_at).then(|| text[value_at..end].to_string())
            }
        }
        _ => Some(key.clone()),
    };
    out.push(PatternEntry { key, local, at: key_at });
}

/// The source extents of a call's arguments, found by splitting the text
/// between its parentheses at top-level commas.
fn argument_spans(text: &str, call: &Call) -> Vec<Span> {
    let bytes = text.as_bytes();
    let from = call.callee_span.end.max(call.span.start).min(bytes.len());
    let end = call.span.end.min(bytes.len());
    if from > end {
        return Vec::new();
    }
    let Some(open) = bytes[from..end].iter().position(|b| *b == b'(').map(|p| from + p) else {
        return Vec::new();
    };
    let Some(close) = matching_close(bytes, open) else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    let mut level = 0usize;
    let mut start = open + 1;
    let mut i = open + 1;
    while i <= close {
        match bytes[i] {
            b'"' | b'\'' | b'`' => {
                i = string_end(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => level += 1,
            b')' | b']' | b'}' if i < close => level = level.saturating_sub(1),
            b',' if level == 0 => {
                spans.push(trimmed(bytes, start, i));
                start = i + 1;
            }
            _ => {}
        }
        if i == close {
            let last = trimmed(bytes, start, i);
            if !last.is_empty() {
                spans.push(last);
            }
        }
        i += 1;
    }
    spans
}

fn trimmed(bytes: &[u8], start: usize, end: usize) -> Span {
    let start = skip_ws(bytes, start).min(end);
    let end = skip_ws_back(bytes, end).max(start);
    Span::new(start, end)
}

/// How a finding names a token: the argument as written, when it is short.
fn token_name(text: &str, span: Option<Span>) -> String {
    let written = span.map(|s| s.text(text).trim()).unwrap_or("");
    let written = written.strip_prefix('&').unwrap_or(written);
    if written.is_empty() || written.len() > 40 || written.contains('\n') {
        "the token".to_string()
    } else {
        format!("`{written}`")
    }
}

impl Cx<'_> {
    /// Collects what the result of `call` is trusted for, following it out of
    /// the function to callers when it is returned.
    fn analyse(&self, call: CallId, depth: usize, via: Option<&str>, out: &mut Analysis) {
        let before = out.evidence.len();
        let result = self.adapted(call);
        let Some(result_call) = self.call(result) else {
            return;
        };
        let function = self.flow().function_of(result_call.scope);
        let function_end = self
            .facts
            .scopes
            .get(function as usize)
            .map_or(self.text.len(), |s| s.span.end);
        self.read_around(result_call.span, function_end, &mut out.evidence);
        let mut payloads = Vec::new();
        let mut destinations = self.flow().destinations_of_call(result);
        // `Ok(data.claims)`: a result wrapped on its way out is still the token's.
        let mut followed = 0;
        while followed < destinations.len() && followed < 64 {
            if let Destination::Argument { call, .. } = destinations[followed] {
                let wraps = self
                    .call(call)
                    .and_then(|c| c.callee.last())
                    .is_some_and(|last| TRANSPARENT_WRAPPERS.contains(&last.as_str()));
                if wraps {
                    destinations.extend(self.flow().destinations_of_call(call));
                }
            }
            followed += 1;
        }
        for destination in destinations {
            match destination {
                Destination::Binding(id) => {
                    let Some(binding) = self.facts.bindings.get(id as usize) else {
                        continue;
                    };
                    match &binding.value {
                        Value::Member(path) if path.len() >= 2 => {
                            for name in &path[1..] {
                                if let Some(trust) = classify(name) {
                                    out.evidence.push(Evidence {
                                        trust,
                                        at: binding.span.start,
                                        via: None,
                                    });
                                }
                            }
                        }
                        _ if defines_name(binding) => payloads.push(id),
                        _ if binding.kind == BindingKind::Assignment && is_identity_target(&binding.path) => {
                            out.evidence.push(Evidence {
                                trust: Trust::Stored(binding.path.join(".")),
                                at: binding.span.start,
                                via: None,
                            });
                        }
                        _ => {}
                    }
                }
                Destination::Return { function, ret } => {
                    let Some(scope) = self.facts.scopes.get(function as usize) else {
                        continue;
                    };
                    let Some(name) = scope.name.as_deref() else {
                        continue;
                    };
                    if EXTRACTORS.contains(&name) {
                        let at = self
                            .facts
                            .returns
                            .get(ret as usize)
                            .map_or(result_call.span.start, |r| r.span.start);
                        out.evidence.push(Evidence {
                            trust: Trust::Extracted(name.to_string()),
                            at,
                            via: None,
                        });
                        continue;
                    }
                    if depth >= MAX_WRAPPER_DEPTH {
                        continue;
                    }
                    for (id, caller) in self.facts.calls.iter().enumerate() {
                        let id = id as CallId;
                        let calls_it = caller.callee.last().is_some_and(|last| last == name)
                            && (caller.callee.len() == 1 || caller.callee.first().is_some_and(|f| f == "this"));
                        if calls_it && !scope.span.contains(caller.span) && !out.wrappers.contains(&id) {
                            out.wrappers.push(id);
                            self.analyse(id, depth + 1, Some(name), out);
                        }
                    }
                }
                _ => {}
            }
        }
        for id in payloads {
            for at in self.uses_of_binding(id) {
                let Some(binding) = self.facts.bindings.get(id as usize) else {
                    break;
                };
                let span = Span::new(at, at + binding.name.len());
                self.read_around(span, function_end, &mut out.evidence);
            }
        }
        for evidence in out.evidence.iter_mut().skip(before) {
            if evidence.via.is_none() {
                evidence.via = via.map(str::to_string);
            }
        }
    }

    /// Records what is read from the value of the expression at `span`: the
    /// members after it, and the keys of a pattern it is destructured into
    /// (following a pattern's variables to their uses up to `end`).
    fn read_around(&self, span: Span, end: usize, evidence: &mut Vec<Evidence>) {
        let bounds = expression_bounds(self.text, span);
        for (name, at) in member_chain(self.text, bounds.end, self.rust()) {
            if let Some(trust) = classify(&name) {
                evidence.push(Evidence { trust, at, via: None });
            }
        }
        for entry in destructured(self.text, bounds.start) {
            if let Some(trust) = classify(&entry.key) {
                evidence.push(Evidence {
                    trust,
                    at: entry.at,
                    via: None,
                });
                continue;
            }
            // `const { payload } = jwt.decode(t, { complete: true })`: the
            // front ends bind nothing for a pattern fed by a call, so its
            // variables are followed by name.
            let Some(local) = entry.local.as_deref() else {
                continue;
            };
            for at in self.uses(local, bounds.end, end) {
                for (name, read_at) in member_chain(self.text, at + local.len(), self.rust()) {
                    if let Some(trust) = classify(&name) {
                        evidence.push(Evidence {
                            trust,
                            at: read_at,
                            via: None,
                        });
                    }
                }
            }
        }
    }
}

/// What one verification checks, and for which code.
struct Checked {
    /// What the checked values are made of (see [`Cx::token_keys`]).
    keys: HashSet<String>,
    /// The function it is in.
    function: ScopeId,
    /// Whether it guards code outside its own function: it is a middleware,
    /// an auth helper or module-level code.
    everywhere: bool,
}

/// A call that checks a token, and which of its arguments it checks.
struct Verification<'a> {
    call: &'a Call,
    arguments: Vec<usize>,
}

impl JwtNotVerified {
    /// The verifications of the file: known verifiers, and calls whose name
    /// says they verify — unless that is a function of this file that calls
    /// no verifier itself (a `verifyToken` that only decodes).
    fn verifications<'a>(&self, cx: &Cx<'a>) -> Vec<Verification<'a>> {
        let known: Vec<(usize, &Api)> = cx
            .facts
            .calls
            .iter()
            .enumerate()
            .filter_map(|(id, call)| {
                self.verifiers
                    .iter()
                    .find(|api| cx.matches(call, api))
                    .map(|api| (id, api))
            })
            .collect();
        let mut out = Vec::new();
        for (id, call) in cx.facts.calls.iter().enumerate() {
            if let Some((_, api)) = known.iter().find(|(k, _)| *k == id) {
                if api.token < call.args.len() {
                    out.push(Verification {
                        call,
                        arguments: vec![api.token],
                    });
                }
                continue;
            }
            let Some(last) = call.callee.last() else {
                continue;
            };
            let rust_decode = cx.rust() && last == "decode" && call.args.len() >= 3;
            if !(rust_decode || says_it_verifies(last)) || self.decoders.iter().any(|api| cx.matches(call, api)) {
                continue;
            }
            let local = match call.callee.as_slice() {
                [name] => Some(name.as_str()),
                [this, name] if this == "this" => Some(name.as_str()),
                _ => None,
            };
            if let Some(scopes) = local.and_then(|name| cx.functions.get(name)) {
                let verifies = scopes.iter().any(|scope| {
                    cx.facts.scopes.get(*scope as usize).is_some_and(|s| {
                        known
                            .iter()
                            .any(|(k, _)| cx.facts.calls.get(*k).is_some_and(|c| s.span.contains(c.span)))
                    })
                });
                if !verifies {
                    continue;
                }
            }
            out.push(Verification {
                call,
                arguments: (0..call.args.len()).collect(),
            });
        }
        out
    }

    fn check_file(&self, cx: &Cx<'_>, findings: &mut Vec<Finding>) {
        let facts = cx.facts;
        let mut checked = Vec::new();
        for verification in self.verifications(cx) {
            let call = verification.call;
            let spans = argument_spans(cx.text, call);
            let mut keys = HashSet::new();
            for index in verification.arguments {
                let Some(value) = call.args.get(index) else {
                    continue;
                };
                cx.token_keys(value, call.scope, call.span.start, false, &mut keys);
                if let Some(span) = spans.get(index) {
                    keys.insert(compact(span.text(cx.text)));
                }
            }
            let function = cx.flow().function_of(call.scope);
            checked.push(Checked {
                keys,
                function,
                everywhere: cx.guards_others(function),
            });
        }
        let middleware = cx.language == ApiLanguage::Js
            && facts
                .imports
                .iter()
                .any(|import| self.middleware.iter().any(|m| m == normalize_module(&import.source)));
        for (id, call) in facts.calls.iter().enumerate() {
            if facts.in_test_region(call.span) {
                continue;
            }
            if let Some(api) = self.decoders.iter().find(|api| cx.matches(call, api)) {
                if !middleware {
                    self.check_decode(cx, id as CallId, api, &checked, findings);
                }
            } else if let Some(api) = self.verifiers.iter().find(|api| cx.matches(call, api)) {
                self.check_verify_options(cx, call, api, findings);
            }
        }
        if cx.rust() {
            self.check_rust_validation(cx, findings);
        }
    }

    fn check_decode(&self, cx: &Cx<'_>, id: CallId, api: &Api, checked: &[Checked], findings: &mut Vec<Finding>) {
        let Some(call) = cx.call(id) else {
            return;
        };
        let Some(token) = call.args.get(api.token) else {
            return;
        };
        let complete = api
            .options
            .and_then(|index| call.args.get(index))
            .is_some_and(|options| {
                option_field(cx, options, call, "complete").is_some_and(|b| b.value == Value::Bool(true))
            });
        let mut analysis = Analysis {
            evidence: Vec::new(),
            wrappers: Vec::new(),
        };
        cx.analyse(id, 0, None, &mut analysis);
        if analysis.evidence.is_empty() {
            return;
        }
        analysis.evidence.sort_by_key(|e| e.at);

        let token_span = cx.argument_span(call, api.token);
        let mut keys = HashSet::new();
        cx.token_keys(token, call.scope, call.span.start, true, &mut keys);
        if let Some(span) = token_span {
            keys.insert(compact(span.text(cx.text)));
        }
        let mut from_issuer = cx.issued_to_server(token, call.scope, call.span.start, 0);
        for wrapper in &analysis.wrappers {
            let Some(wrapper) = cx.call(*wrapper) else {
                continue;
            };
            for (index, arg) in wrapper.args.iter().enumerate() {
                cx.token_keys(arg, wrapper.scope, wrapper.span.start, true, &mut keys);
                if let Some(span) = cx.argument_span(wrapper, index) {
                    keys.insert(compact(span.text(cx.text)));
                }
                from_issuer |= cx.issued_to_server(arg, wrapper.scope, wrapper.span.start, 0);
            }
        }
        let mut sites = vec![cx.flow().function_of(call.scope)];
        sites.extend(
            analysis
                .wrappers
                .iter()
                .filter_map(|w| cx.call(*w))
                .map(|w| cx.flow().function_of(w.scope)),
        );
        let verified = checked.iter().any(|check| {
            (check.everywhere || sites.iter().any(|site| cx.nested(check.function, *site)))
                && keys.iter().any(|k| check.keys.contains(k))
        });
        if from_issuer || verified {
            return;
        }

        let find = |wanted: &dyn Fn(&Trust) -> bool| analysis.evidence.iter().find(|e| wanted(&e.trust));
        let identity = find(&|trust| matches!(trust, Trust::Claim(claim) if !is_time_claim(claim)))
            .or_else(|| find(&|trust| matches!(trust, Trust::Stored(_) | Trust::Extracted(_))));
        // A server reading `exp` of a token it keeps for itself (to refresh
        // a cached access token) decides nothing about a caller; the
        // request's token is another matter.
        let expiry = find(&|trust| matches!(trust, Trust::Claim(_))).filter(|_| keys.iter().any(|k| is_request_key(k)));
        let header = find(&|trust| matches!(trust, Trust::Header(_))).filter(|_| complete);
        let Some(evidence) = identity.or(expiry).or(header) else {
            return;
        };

        let token = token_name(cx.text, token_span);
        let line = line_of(cx.text, evidence.at);
        let by = match &evidence.via {
            Some(function) if !matches!(evidence.trust, Trust::Header(_)) => {
                format!(" by a caller of `{function}`")
            }
            _ => String::new(),
        };
        let message = match &evidence.trust {
            Trust::Claim(claim) => format!(
                "`{}` reads {token} without checking its signature, and its `{claim}` claim is trusted{by} (line {line}): {}",
                api.api, api.fix
            ),
            Trust::Extracted(function) => format!(
                "`{}` reads {token} without checking its signature, and `{function}` hands its claims to every handler as the caller's identity (line {line}): {}",
                api.api, api.fix
            ),
            Trust::Stored(target) => format!(
                "`{}` reads {token} without checking its signature, and the result is trusted as `{target}`{by} (line {line}): {}",
                api.api, api.fix
            ),
            Trust::Header(member) => format!(
                "`{}` reads {token} with `complete: true` and its `{member}` picks a key (line {line}), but the token is never verified with it: pass that key to `jwt.verify`",
                api.api
            ),
        };
        let help = match cx.language {
            ApiLanguage::Js => {
                "Decoding does not check the signature: anyone can write a token with any `user` and `team`. A Miro Web SDK ID token is signed with the app's client secret, so verify it with `jwt.verify(token, process.env.MIRO_CLIENT_SECRET, { algorithms: ['HS256'] })` and read the claims from what `verify` returns."
            }
            ApiLanguage::Rust => {
                "Decoding does not check the signature: anyone can write a token with any claims. Verify it with `jsonwebtoken::decode(&token, &DecodingKey::from_secret(client_secret.as_bytes()), &Validation::new(Algorithm::HS256))` and read `claims` from its result."
            }
        };
        findings.push(self.finding(self.meta.severity, call.span, message, help));
    }

    /// `jwt.verify` options: `'none'` among `algorithms`, `ignoreExpiration`,
    /// and a public key with no `algorithms` at all.
    fn check_verify_options<'a>(&self, cx: &Cx<'a>, call: &'a Call, api: &Api, findings: &mut Vec<Finding>) {
        let Some(index) = api.options else {
            return;
        };
        let options = call.args.get(index);
        let algorithms = options.and_then(|o| option_field(cx, o, call, "algorithms"));
        if let Some(field) = algorithms {
            let mut values = vec![&field.value];
            if let Value::Ident(name) = &field.value {
                if let Some(binding) = cx
                    .flow()
                    .resolve(name, field.scope, field.span.start)
                    .and_then(|id| cx.facts.bindings.get(id as usize))
                {
                    values.push(&binding.value);
                }
            }
            let none = values
                .into_iter()
                .filter_map(|v| match v {
                    Value::Array(items) => Some(items),
                    _ => None,
                })
                .flatten()
                .flat_map(|item| cx.facts.literal_values(item))
                .find(|lit| lit.value.trim().eq_ignore_ascii_case("none"));
            if let Some(lit) = none {
                findings.push(self.finding(
                    self.meta.severity,
                    lit.span,
                    format!(
                        "`{}` lists `'none'` among its `algorithms`: an unsigned token with any claims is accepted as verified",
                        api.api
                    ),
                    "Remove `'none'`: list only the algorithm your tokens are signed with, such as `algorithms: ['HS256']` for a Miro ID token.",
                ));
            }
        }
        if let Some(field) = options.and_then(|o| option_field(cx, o, call, "ignoreExpiration")) {
            if field.value == Value::Bool(true) {
                findings.push(self.finding(
                    Severity::Warning,
                    field.span,
                    format!(
                        "`{}` is told to `ignoreExpiration`: an expired, leaked or revoked token stays valid forever",
                        api.api
                    ),
                    "Keep expiry checks on; allow for clock skew with `clockTolerance` (a few seconds) instead.",
                ));
            }
        }
        if algorithms.is_none() && self.options_are_known(cx, call, index) {
            let Some(key_index) = api.key else {
                return;
            };
            let Some(key) = call.args.get(key_index) else {
                return;
            };
            if let Some(what) = public_key(cx, key, call) {
                let token = token_name(cx.text, cx.argument_span(call, api.token));
                findings.push(self.finding(
                    Severity::Warning,
                    call.span,
                    format!(
                        "`{}` checks {token} against the public key {what} with no `algorithms` list: a token signed with HS256 using that public key as the secret can pass (algorithm confusion)",
                        api.api
                    ),
                    "Pin the algorithm your issuer signs with: `jwt.verify(token, publicKey, { algorithms: ['RS256'] })`.",
                ));
            }
        }
    }

    /// Whether the options argument is absent, a callback, or an object whose
    /// every field is known (no spread, not built elsewhere).
    fn options_are_known(&self, cx: &Cx<'_>, call: &Call, index: usize) -> bool {
        let Some(options) = call.args.get(index) else {
            return true;
        };
        let written = cx.argument_span(call, index).map(|s| s.text(cx.text)).unwrap_or("");
        match options {
            Value::Object(_) => !written.contains("..."),
            // A callback in the options' place (`jwt.verify(t, key, (err, claims) => …)`).
            Value::Unknown | Value::Null => {
                matches!(written, "" | "undefined" | "null")
                    || written.contains("=>")
                    || written.starts_with("function")
                    || written.starts_with("async function")
            }
            Value::Ident(name) => cx
                .flow()
                .resolve(name, call.scope, call.span.start)
                .and_then(|id| cx.facts.bindings.get(id as usize))
                .is_some_and(|b| matches!(b.value, Value::Object(_)) && !b.span.text(cx.text).contains("...")),
            _ => false,
        }
    }

    /// Rust `jsonwebtoken::Validation` settings that turn checks off.
    fn check_rust_validation(&self, cx: &Cx<'_>, findings: &mut Vec<Finding>) {
        let facts = cx.facts;
        let uses_validation = cx.text.contains("jsonwebtoken") || cx.text.contains("Validation");
        if !uses_validation {
            return;
        }
        for call in &facts.calls {
            if call
                .callee
                .last()
                .is_some_and(|m| m == "insecure_disable_signature_validation")
                && !facts.in_test_region(call.span)
            {
                findings.push(self.finding(
                    self.meta.severity,
                    call.span,
                    "`insecure_disable_signature_validation()` turns signature checks off: every `decode` with this `Validation` accepts a token anyone can forge".to_string(),
                    "Remove it and give `decode` the real `DecodingKey`; to read a header before choosing the key, use `decode_header`.",
                ));
            }
        }
        for binding in &facts.bindings {
            let setting = binding.name == "validate_exp"
                && matches!(binding.kind, BindingKind::Assignment | BindingKind::Field)
                && binding.value == Value::Bool(false);
            if setting && !facts.in_test_region(binding.span) {
                findings.push(self.finding(
                    Severity::Warning,
                    binding.span,
                    "`validate_exp = false` accepts tokens after they expire: a leaked or revoked token stays valid forever".to_string(),
                    "Keep `validate_exp` on; allow for clock skew with `validation.leeway` (a few seconds) instead.",
                ));
            }
        }
    }
}

/// The field `name` of an options argument: an object literal, or a
/// variable of the file holding one.
fn option_field<'a>(cx: &Cx<'a>, options: &'a Value, call: &'a Call, name: &str) -> Option<&'a Binding> {
    let fields = match options {
        Value::Object(fields) => fields,
        Value::Ident(variable) => {
            let binding = cx
                .flow()
                .resolve(variable, call.scope, call.span.start)
                .and_then(|id| cx.facts.bindings.get(id as usize))?;
            match &binding.value {
                Value::Object(fields) => fields,
                _ => return None,
            }
        }
        _ => return None,
    };
    fields
        .iter()
        .filter_map(|id| cx.facts.bindings.get(*id as usize))
        .find(|field| field.name == name)
}

/// How a key argument shows it is a public key, if it does: its name, a PEM
/// literal, a `.pem` file read, `createPublicKey(…)`.
fn public_key<'a>(cx: &Cx<'a>, key: &'a Value, call: &'a Call) -> Option<String> {
    for origin in cx.flow().origins(key, call.scope, call.span.start) {
        if let Some(name) = cx.flow().origin_names(&origin).find(|name| is_public_key_name(name)) {
            return Some(format!("`{name}`"));
        }
        match &origin.kind {
            OriginKind::Literal(id)
                if cx
                    .facts
                    .strings
                    .get(*id as usize)
                    .is_some_and(|lit| is_public_key_material(&lit.value)) =>
            {
                return Some("in a PEM literal".to_string());
            }
            OriginKind::Call(id) => {
                let Some(source) = cx.call(*id) else {
                    continue;
                };
                let method = source.callee.last().map(String::as_str).unwrap_or("");
                if method == "createPublicKey" {
                    return Some("from `createPublicKey(…)`".to_string());
                }
                let written = source.span.text(cx.text);
                let pem_file = [".pem", ".crt", ".cer", ".pub"].iter().any(|ext| written.contains(ext));
                if matches!(method, "readFileSync" | "readFile") && pem_file && !written.contains("priv") {
                    return Some(format!("read by `{}`", compact(written)));
                }
            }
            _ => {}
        }
    }
    None
}

impl Rule for JwtNotVerified {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        !input.context.is_test && !input.context.is_type_declarations() && self.applies(input).is_some()
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let Some(facts) = input.facts else {
            return;
        };
        if input.context.is_test {
            return;
        }
        let Some(language) = self.applies(input) else {
            return;
        };
        let cx = Cx::new(facts, input.text, language, input.memo);
        self.check_file(&cx, findings);
    }

    fn extra_docs(&self) -> Option<String> {
        let mut table = String::from(
            "## APIs\n\nDecoders read a token without checking it; verifiers check it.\n\n| Language | API | Library | Kind |\n|---|---|---|---|\n",
        );
        for (apis, kind) in [(&self.decoders, "decoder"), (&self.verifiers, "verifier")] {
            for api in apis {
                table.push_str(&format!(
                    "| {} | `{}` | {} | {kind} |\n",
                    api.language.as_str(),
                    api.api,
                    api.library
                ));
            }
        }
        table.push_str(
            "\nIn a file that imports one of these, the request's token is taken as verified by middleware: ",
        );
        let modules: Vec<String> = self.middleware.iter().map(|m| format!("`{m}`")).collect();
        table.push_str(&modules.join(", "));
        table.push_str(".\n");
        Some(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered::check;

    fn rule() -> JwtNotVerified {
        JwtNotVerified::new().expect("built-in rule loads")
    }

    /// (line, severity, message) of the findings on `source` at `path`.
    fn run(path: &str, source: &str) -> Vec<(usize, Severity, String)> {
        check(&rule(), path, source)
    }

    fn lines(found: &[(usize, Severity, String)]) -> Vec<usize> {
        found.iter().map(|(line, _, _)| *line).collect()
    }

    #[test]
    fn jwt_words_as_names_not_inside_base64() {
        assert!(names_a_jwt_library("const t = jwt.decode(x);"));
        assert!(names_a_jwt_library("import { decodeJwt } from 'jose';"));
        assert!(names_a_jwt_library("new UnsecuredJWT(p)"));
        assert!(!names_a_jwt_library("var wasm = 'AGFzbQEAAAABjwt0YGABfwBgAn9/';"));
    }

    #[test]
    fn the_rule_file_loads_and_its_keywords_are_lowercase() {
        let rule = rule();
        assert!(rule.keywords.iter().all(|k| *k == k.to_ascii_lowercase()));
        assert!(rule.decoders.iter().all(|api| !api.fix.is_empty()));
        assert!(
            rule.verifiers
                .iter()
                .any(|api| api.options.is_some() && api.key.is_some())
        );
        let docs = rule.extra_docs().expect("an API table");
        assert!(docs.contains("`jwt.decode`") && docs.contains("`express-jwt`"));
        let unknown_key = "middleware = []\ndecoders = []\nverifiers = []\n[rule]\nid = \"x\"\nfoo = 1\n";
        assert!(toml::from_str::<RuleFile>(unknown_key).is_err());
        let no_fix = ApiSpec {
            language: ApiLanguage::Js,
            api: "x".into(),
            library: "x".into(),
            callee: "decode".into(),
            modules: vec!["x".into()],
            names: Vec::new(),
            token: 0,
            key: None,
            options: None,
            fix: None,
        };
        assert!(Api::compile(no_fix, true).is_err());
    }

    #[test]
    fn claims_of_a_decoded_id_token_trusted_on_the_server() {
        let source = r#"import jwt from "jsonwebtoken";
import { decodeJwt } from "jose";

export async function boards(req, res) {
  const idToken = req.headers.authorization.split(" ")[1];
  const { user, team } = jwt.decode(idToken);
  const payload = jwt.decode(idToken);
  if (payload?.board !== req.params.board) return res.sendStatus(403);
  const claims = decodeJwt(idToken) as Claims;
  await db.find(claims["team"]);
  const author = (jwt.decode(idToken) as Claims).userId;
  req.user = jwt.decode(idToken);
  console.log(jwt.decode(idToken));
  res.json({ user, team, author });
}
"#;
        let found = run("server/boards.ts", source);
        assert_eq!(lines(&found), [6, 7, 9, 11, 12], "{found:#?}");
        assert_eq!(
            found[0].2,
            "`jwt.decode` reads `idToken` without checking its signature, and its `user` claim is trusted (line 6): use `jwt.verify` with the app's client secret"
        );
        assert!(
            found[1].2.contains("its `board` claim is trusted (line 8)"),
            "{}",
            found[1].2
        );
        assert!(found[2].2.starts_with("`decodeJwt` reads `idToken`"), "{}", found[2].2);
        assert!(found[4].2.contains("trusted as `req.user`"), "{}", found[4].2);
        assert!(found.iter().all(|(_, severity, _)| *severity == Severity::Error));
    }

    #[test]
    fn verified_tokens_are_not_reported() {
        let source = r#"const jwt = require("jsonwebtoken");

app.get("/notes", (req, res) => {
  const idToken = req.get("authorization").slice(7);
  jwt.verify(idToken, process.env.MIRO_CLIENT_SECRET, { algorithms: ["HS256"] });
  const { team } = jwt.decode(idToken);
  res.json(team);
});

app.get("/later", (req, res) => {
  const token = req.body.token;
  const { user } = jwt.decode(token);
  jwt.verify(token, process.env.MIRO_CLIENT_SECRET, { algorithms: ["HS256"] }, (err) => {
    res.json(err ? null : user);
  });
});
"#;
        assert!(run("server/notes.js", source).is_empty());
    }

    #[test]
    fn another_handler_verifying_its_own_token_does_not_count_but_middleware_does() {
        let handlers = r#"const jwt = require("jsonwebtoken");

app.get("/me", (req, res) => {
  const token = req.headers.authorization;
  res.json(jwt.verify(token, process.env.MIRO_CLIENT_SECRET, { algorithms: ["HS256"] }));
});

app.get("/boards", (req, res) => {
  const token = req.headers.authorization;
  res.json(boardsOf(jwt.decode(token).team));
});
"#;
        assert_eq!(lines(&run("server/app.js", handlers)), [10]);
        let middleware = r#"const jwt = require("jsonwebtoken");

function requireMiroUser(req, res, next) {
  jwt.verify(req.headers.authorization, process.env.MIRO_CLIENT_SECRET, { algorithms: ["HS256"] });
  next();
}

app.get("/boards", requireMiroUser, (req, res) => {
  res.json(boardsOf(jwt.decode(req.headers.authorization).team));
});
"#;
        assert!(run("server/app.js", middleware).is_empty());
        let express_jwt = r#"import jwt from "jsonwebtoken";
import { expressjwt } from "express-jwt";
app.use(expressjwt({ secret: process.env.MIRO_CLIENT_SECRET, algorithms: ["HS256"] }));
app.get("/b", (req, res) => res.json(jwt.decode(req.headers.authorization).team));
"#;
        assert!(run("server/app.js", express_jwt).is_empty());
    }

    #[test]
    fn a_function_named_for_verifying_that_only_decodes_is_followed_to_its_callers() {
        let source = r#"const jwt = require("jsonwebtoken");

function verifyToken(token) {
  return jwt.decode(token);
}

app.post("/notes", async (req, res) => {
  const claims = verifyToken(req.get("authorization"));
  await addNote(claims.team, req.body.text);
});
"#;
        let found = run("server/notes.js", source);
        assert_eq!(lines(&found), [4]);
        assert!(
            found[0]
                .2
                .contains("its `team` claim is trusted by a caller of `verifyToken` (line 9)"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn tokens_the_server_fetched_itself_and_unused_payloads_are_not_reported() {
        let source = r#"import jwt from "jsonwebtoken";
import axios from "axios";

export async function callback(req, res) {
  const response = await fetch(TOKEN_URL, { method: "POST", body: form(req.query.code) });
  const tokens = await response.json();
  const profile = jwt.decode(tokens.id_token);
  const { data } = await axios.post(TOKEN_URL, { grant_type: "refresh_token" });
  const { exp } = jwt.decode(data.id_token);
  logger.info("token", jwt.decode(req.query.id_token));
  res.json({ sub: profile.sub, exp });
}
"#;
        assert!(run("server/oauth.ts", source).is_empty());
    }

    #[test]
    fn expiry_alone_counts_only_for_the_callers_token() {
        let source = r#"import jwt from "jsonwebtoken";
let cached = null;
export async function partnerToken() {
  if (cached && jwt.decode(cached).exp * 1000 > Date.now()) return cached;
  cached = await login();
  return cached;
}
export function sessionAlive(req) {
  return jwt.decode(req.cookies.session).exp * 1000 > Date.now();
}
"#;
        let found = run("server/tokens.js", source);
        assert_eq!(lines(&found), [9]);
        assert!(
            found[0].2.contains("its `exp` claim is trusted (line 9)"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn complete_decode_picking_a_key_that_is_never_used() {
        let source = r#"const jwt = require("jsonwebtoken");

app.post("/hook", (req, res) => {
  const decoded = jwt.decode(req.body.assertion, { complete: true });
  const key = keys[decoded.header.kid];
  res.sendStatus(key ? 204 : 401);
});

app.post("/hook/v2", (req, res) => {
  const decoded = jwt.decode(req.body.token, { complete: true });
  const event = jwt.verify(req.body.token, keys[decoded.header.kid], { algorithms: ["HS256"] });
  res.json(event.board);
});

app.post("/hook/v3", (req, res) => {
  const decoded = jwt.decode(req.body.other);
  res.sendStatus(decoded.header ? 204 : 401);
});
"#;
        let found = run("server/hooks.js", source);
        assert_eq!(lines(&found), [4]);
        assert!(
            found[0]
                .2
                .contains("with `complete: true` and its `header` picks a key (line 5)")
        );
    }

    #[test]
    fn verify_options_that_accept_forged_or_expired_tokens() {
        let source = r#"const jwt = require("jsonwebtoken");
const fs = require("fs");
const publicKey = fs.readFileSync("keys/issuer.pem");
const secret = process.env.JWT_SECRET;
const lenient = { algorithms: ["none", "HS256"] };

jwt.verify(token, secret, { algorithms: ["HS256", "none"] });
jwt.verify(token, secret, { ignoreExpiration: true, algorithms: ["HS256"] });
jwt.verify(token, publicKey);
jwt.verify(token, publicKey, (err, claims) => use(claims));
jwt.verify(token, fs.readFileSync("certs/partner.crt"), {});
jwt.verify(token, publicKey, { algorithms: ["RS256"] });
jwt.verify(token, secret);
jwt.verify(token, publicKey, { ...defaults });
jwt.verify(token, secret, lenient);
jwt.verify(token, process.env.JWT_PUBLIC_KEY, optionsFromElsewhere);
"#;
        let found = run("server/verify.js", source);
        let summary: Vec<(usize, Severity)> = found.iter().map(|(l, s, _)| (*l, *s)).collect();
        assert_eq!(
            summary,
            [
                (7, Severity::Error),
                (8, Severity::Warning),
                (9, Severity::Warning),
                (10, Severity::Warning),
                (11, Severity::Warning),
                // Reported where `'none'` is written, for the call on line 15.
                (5, Severity::Error),
            ],
            "{found:#?}"
        );
        assert!(found[2].2.contains("public key `publicKey`"), "{}", found[2].2);
        assert!(
            found[4].2.contains("read by `fs.readFileSync(\"certs/partner.crt\")`"),
            "{}",
            found[4].2
        );
    }

    #[test]
    fn imports_decide_which_library_a_call_is() {
        // jwt-simple's `decode(token, key)` verifies; a local helper is analysed where it is defined.
        let source = r#"const jwt = require("jwt-simple");

function decodeJwt(token) {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
}

app.get("/a", (req, res) => {
  const claims = jwt.decode(req.query.token, process.env.SECRET);
  res.json(claims.user + decodeJwt(req.query.token).team);
});

export function user(jwt) {
  return jwt.decode().user;
}
"#;
        assert!(run("server/simple.js", source).is_empty());
        let jwt_decode_v3 = r#"import decodeToken from "jwt-decode";
app.get("/a", (req, res) => res.json(decodeToken(req.query.token).user));
"#;
        assert_eq!(lines(&run("server/v3.js", jwt_decode_v3)), [2]);
    }

    #[test]
    fn test_code_is_skipped() {
        let source = r#"import jwt from "jsonwebtoken";
it("signs", () => {
  const token = jwt.sign({ user: "u1" }, process.env.TEST_SECRET);
  expect(jwt.decode(token).user).toBe("u1");
  jwt.verify(recorded, process.env.TEST_SECRET, { ignoreExpiration: true });
});
"#;
        assert!(run("server/auth.test.ts", source).is_empty());
        assert_eq!(lines(&run("server/auth.ts", source)), [4, 5]);
    }

    #[test]
    fn rust_insecure_decoding_and_validation_settings() {
        let source = r#"use jsonwebtoken::dangerous::insecure_decode;
use jsonwebtoken::{decode, decode_header, dangerous_insecure_decode, Algorithm, DecodingKey, TokenData, Validation};

async fn boards(headers: HeaderMap) -> Result<Json<Vec<String>>, StatusCode> {
    let token = bearer(&headers)?;
    let data = insecure_decode::<Claims>(&token).map_err(|_| StatusCode::UNAUTHORIZED)?;
    let TokenData { claims, .. } = dangerous_insecure_decode::<Claims>(&token).unwrap();
    let team = jsonwebtoken::dangerous::insecure_decode::<Claims>(&token)?.claims.team;
    Ok(Json(vec![data.claims.user, claims.sub, team]))
}

async fn me(headers: HeaderMap) -> Result<Json<String>, StatusCode> {
    let assertion = bearer(&headers)?;
    let header = decode_header(&assertion)?;
    let peek = insecure_decode::<Claims>(&assertion)?;
    let key = keys(&peek.claims.iss);
    let data = decode::<Claims>(&assertion, &key, &Validation::new(header.alg))?;
    Ok(Json(data.claims.user))
}

fn validation() -> Validation {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.insecure_disable_signature_validation();
    validation.validate_exp = false;
    let _relaxed = Validation { validate_exp: false, ..Validation::default() };
    validation.validate_exp = true;
    validation
}

#[cfg(test)]
mod tests {
    #[test]
    fn replay() {
        let mut v = jsonwebtoken::Validation::default();
        v.validate_exp = false;
        v.insecure_disable_signature_validation();
    }
}
"#;
        let found = run("src/main.rs", source);
        let summary: Vec<(usize, Severity)> = found.iter().map(|(l, s, _)| (*l, *s)).collect();
        assert_eq!(
            summary,
            [
                (6, Severity::Error),
                (7, Severity::Error),
                (8, Severity::Error),
                (23, Severity::Error),
                (24, Severity::Warning),
                (25, Severity::Warning),
            ],
            "{found:#?}"
        );
        assert_eq!(
            found[0].2,
            "`dangerous::insecure_decode` reads `token` without checking its signature, and its `user` claim is trusted (line 9): use `jsonwebtoken::decode` with a `DecodingKey` and a `Validation`"
        );
        let verified = "use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};\n\
                        fn me(token: &str, key: &DecodingKey) -> String {\n\
                        decode::<Claims>(token, key, &Validation::new(Algorithm::HS256)).unwrap().claims.user\n}\n";
        assert!(run("src/lib.rs", verified).is_empty());
    }

    #[test]
    fn an_axum_extractor_hands_unverified_claims_to_every_handler() {
        let source = r#"use jsonwebtoken::dangerous::insecure_decode;
impl<S: Send + Sync> FromRequestParts<S> for MiroUser {
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?;
        let data = insecure_decode::<MiroUser>(token).map_err(|_| StatusCode::UNAUTHORIZED)?;
        Ok(data.claims)
    }
}
"#;
        let found = run("src/extract.rs", source);
        assert_eq!(lines(&found), [6]);
        assert!(
            found[0]
                .2
                .contains("`from_request_parts` hands its claims to every handler"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn decoding_findings_depend_on_where_the_code_runs() {
        let dependence = rule().class_dependence(Severity::Error);
        assert_eq!(dependence.browser, None);
        assert_eq!(dependence.isomorphic, Some(Severity::Note));
        assert_eq!(dependence.server, Some(Severity::Error));
        assert_eq!(dependence.unknown, Some(Severity::Error));
    }

    #[test]
    fn the_gate_needs_a_keyword_and_a_decode_or_verify() {
        let rule = rule();
        let gate = |path: &str, text: &str| crate::lowered::needs_facts(&rule, path, text);
        assert!(gate("a.ts", "import jwt from 'jsonwebtoken'; jwt.decode(t)"));
        assert!(gate("a.ts", "import { jwtVerify } from 'jose'"));
        assert!(!gate("a.ts", "const jwtCookie = 'session'; render(jwtCookie)"));
        assert!(!gate("a.ts", "decodeURIComponent(location.hash)"));
        assert!(!gate("a.test.ts", "jwt.decode(t)"));
        assert!(gate(
            "a.rs",
            "let v = jsonwebtoken::dangerous::insecure_decode::<C>(&t);"
        ));
        assert!(gate("a.rs", "validation.validate_exp = false;"));
        assert!(!gate("a.rs", "let c = jsonwebtoken::decode::<C>(&t, &k, &v)?;"));
        assert!(!gate("a.md", "jwt.decode(t)"));
    }

    #[test]
    fn text_around_an_expression() {
        let text = "x = (await jwt.decode(t) as C)!.user?.team[\"sub\"].toString();";
        let call = Span::new(text.find("jwt").unwrap_or(0), text.find(" as").unwrap_or(0));
        let bounds = expression_bounds(text, call);
        assert_eq!(bounds.text(text), "(await jwt.decode(t) as C)");
        let chain: Vec<String> = member_chain(text, bounds.end, false)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(chain, ["user", "team", "sub"]);
        // A call's own argument list or an operand of `??` does not group it.
        let text = "f(jwt.decode(t)).user; (jwt.decode(t).exp ?? 0)";
        let first = Span::new(2, 15);
        assert_eq!(expression_bounds(text, first), first);
        let second = Span::new(24, 37);
        assert_eq!(expression_bounds(text, second), second);
        let rust = "insecure_decode::<C>(&t).map_err(e)?.unwrap().claims.sub";
        let chain: Vec<String> = member_chain(rust, 24, true).into_iter().map(|(n, _)| n).collect();
        assert_eq!(chain, ["claims", "sub"]);

        let pattern = "const { user, team: teamId, payload: { sub }, ...rest }: Claims = decode(t)";
        let entries: Vec<(String, Option<String>)> = destructured(pattern, pattern.find("decode").unwrap_or(0))
            .into_iter()
            .map(|e| (e.key, e.local))
            .collect();
        assert_eq!(
            entries,
            [
                ("user".to_string(), Some("user".to_string())),
                ("team".to_string(), Some("teamId".to_string())),
                ("sub".to_string(), Some("sub".to_string())),
                ("payload".to_string(), None),
            ]
        );
        assert!(destructured("if (a == decode(t))", 10).is_empty());
        assert!(destructured("const claims = decode(t)", 15).is_empty());
    }
}
