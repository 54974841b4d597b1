//! `sensitive-response-cacheable` (R-DATA-5): a handler that sends tokens,
//! secrets, session data or a user's data without `Cache-Control: no-store`
//! on the response, its route, its router or the app.
//!
//! What a handler sends is read from the response calls of Express,
//! Fastify, Koa, Hono, Next.js route handlers, axum and actix-web. A
//! response is sensitive when its body has a secret-named key
//! (`access_token`, `refreshToken`, `id_token`, `session`, `apiKey`,
//! `client_secret`…), when the value-flow layer ([`crate::leak`]) says it is
//! made from a token, secret, session id or a token endpoint's response, or
//! when the route says it serves the signed-in user (`/me`, `/user`,
//! `/session`, `/profile`…) and the body is not made of literals alone, or
//! says it serves tokens (`/token`, `/refresh`) and the body is opaque
//! (`res.json(data)`).
//!
//! `no-store` is what protects such a response; `no-cache` alone is not (it
//! lets every cache store the response and only asks it to revalidate before
//! reuse, so the token sits on disk), nor is `private` alone (the browser's
//! cache still keeps it). Accepted: a `Cache-Control` header with `no-store`
//! set in the handler or in a same-file helper it calls, on the response's
//! init (`NextResponse.json(…, { headers })`, an axum tuple, an actix
//! builder), in middleware of the route, or in middleware of the router or
//! app registered before the route (`app.use(nocache())`, a custom
//! middleware, a Fastify hook, a tower-http `SetResponseHeaderLayer`, actix
//! `DefaultHeaders`). A header value the rule cannot read counts as set.
//! Where the protection may be somewhere the rule cannot see, it stays
//! quiet (the package depends on `nocache`) or lowers the severity (an
//! imported middleware named like security headers; Next.js route
//! handlers, whose dynamic responses Next marks `no-store` itself).

use crate::leak::{LeakContext, LeakSource, Leaks, Purpose, SourceKind};
use crate::syntax::{callee_span, line_of};
use crate::{FileInput, Rule};
use miroguard_core::{ClassDependence, FileClass, Finding, FlowStep, Language, RuleMeta, Severity, Span};
use miroguard_ir::flow::Flow;
use miroguard_ir::names::split_words;
use miroguard_ir::sensitive::SensitiveKind;
use miroguard_ir::{BindingKind, Call, Facts, ScopeId, ScopeKind, TemplatePart, Value};
use regex::Regex;
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::LazyLock;

/// The rule's id.
pub const ID: &str = "sensitive-response-cacheable";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/sensitive-response-cacheable.toml"
));

/// Words one of which a file needs to send something sensitive (lowercase):
/// the stems of secret names, and what user-data routes and handlers say.
const KEYWORDS: &[&str] = &[
    "token",
    "secret",
    "session",
    "apikey",
    "api_key",
    "password",
    "credential",
    "/me",
    "/user",
    "/profile",
    "/account",
    "whoami",
    "userinfo",
    "currentuser",
    "auth(",
    "cookies(",
];

/// What a file needs to contain to send a response the rule reads: a send
/// on a response object (`res.json(`, `reply.status(…`, across lines too),
/// a web `Response`, Hono's `c.json(`, a Koa body, or Fastify (whose
/// handlers return their bodies); in Rust, axum's `Json(` or actix's `.json(`.
/// A call without arguments is no send (`await response.json()` reads one).
/// Words alone (`json`, `response`) let a tenth of a library corpus through
/// to the parser, where these let one file in six hundred.
const JS_RESPONSE: &str = r"\b(?:res|response|resp|reply)\s*\.\s*(?:status|code|json|jsonp|send)\s*\(\s*[^\s)]|\bnew\s+(?:Next)?Response\s*\(|\b(?:Next)?Response\s*\.\s*json\s*\(|\bc\s*\.\s*json\s*\(|\b(?:ctx|context|this)\s*\.\s*(?:response\s*\.\s*)?body\s*=|fastify";
const RUST_RESPONSE: &str = r"\bJson\s*\(|\.json\s*\(";

/// The last static route segments of routes that serve the signed-in user's data.
const USER_SEGMENTS: &[&str] = &[
    "me",
    "user",
    "users",
    "profile",
    "profiles",
    "account",
    "accounts",
    "session",
    "sessions",
    "whoami",
    "userinfo",
    "current-user",
    "current_user",
    "currentuser",
];

/// Words of a key that make a token one that is not a credential: a
/// pagination cursor, a sync marker, an anti-CSRF token (bound to the
/// session cookie, useless to whoever reads it from a cache).
const NOT_CREDENTIAL_WORDS: &[&str] = &[
    "page",
    "next",
    "prev",
    "previous",
    "cursor",
    "continuation",
    "sync",
    "csrf",
    "xsrf",
    "count",
    "type",
    "expires",
    "expiry",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
}

/// The rule.
pub struct SensitiveResponseCacheable {
    meta: RuleMeta,
    keywords: Vec<String>,
}

impl SensitiveResponseCacheable {
    /// Loads the rule from its embedded TOML.
    pub fn new() -> Result<SensitiveResponseCacheable, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        Ok(SensitiveResponseCacheable {
            meta: file.rule,
            keywords: KEYWORDS.iter().map(|k| k.to_string()).collect(),
        })
    }
}

/// Whether the rule checks `input`: server source (not tests, not browser
/// code, not bundles) that says something sensitive and sends responses.
fn applies(input: &FileInput<'_>) -> bool {
    if !crate::leak::checks_file(input) || !input.keywords.any() {
        return false;
    }
    if input.context.class == Some(FileClass::Browser) {
        return false;
    }
    static JS: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(JS_RESPONSE).ok());
    static RUST: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(RUST_RESPONSE).ok());
    let responds = if input.context.language == Language::Rust {
        &RUST
    } else {
        &JS
    };
    match responds.as_ref() {
        Some(pattern) => pattern.is_match(input.text),
        None => true,
    }
}

impl Rule for SensitiveResponseCacheable {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        applies(input)
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        // The same gate as before the parse: another rule may have asked for these Facts.
        let Some(facts) = input.facts.filter(|_| applies(input)) else {
            return;
        };
        // The `nocache` package is applied once, app-wide: wherever it is, it covers this file.
        if input
            .context
            .dependencies
            .as_deref()
            .is_some_and(|d| d.get("nocache").is_some())
        {
            return;
        }
        let text = input.text;
        let flow = input.memo.flow(facts, text);
        let rust = input.context.language == Language::Rust;
        let index = Index::new(flow, &input.context.display_path, rust);
        if index.sinks.is_empty() {
            return;
        }
        let leaks = Leaks::new(flow, input.memo.leak_context(facts, text), Purpose::Response);
        for sink in &index.sinks {
            if facts.in_test_region(sink.span) {
                continue;
            }
            let route = index.route_of(flow, sink.scope);
            let Some(sensitive) = sensitive_body(flow, &leaks, sink, route) else {
                continue;
            };
            let protection = index.protection(flow, sink, route);
            let Some(finding) = finding(flow, sink, route, sensitive, protection, self.meta.severity) else {
                continue;
            };
            findings.push(finding);
        }
    }
}

// ------------------------------------------------------------ Cache-Control

/// Whether a `Cache-Control` value has the `no-store` directive: directives
/// are comma-separated, case-insensitive, may carry `=value` and may be
/// quoted or padded (`"private, No-Store"`).
pub(crate) fn has_no_store(value: &str) -> bool {
    value.split(',').any(|directive| {
        let name = directive.split('=').next().unwrap_or("");
        name.trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .trim()
            .eq_ignore_ascii_case("no-store")
    })
}

/// What a `Cache-Control` header is set to.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Directive {
    /// `no-store` is among the directives.
    NoStore,
    /// A value the rule cannot read (a variable, a helper's result): given the benefit of the doubt.
    Unknown,
    /// Literal directives without `no-store` (`no-cache`, `private, max-age=0`).
    Cacheable(String),
}

impl Directive {
    fn protects(&self) -> bool {
        !matches!(self, Directive::Cacheable(_))
    }
}

/// A place that sets `Cache-Control`.
#[derive(Debug)]
struct HeaderSet {
    span: Span,
    scope: ScopeId,
    directive: Directive,
}

/// Whether a value names the `Cache-Control` header: `"Cache-Control"`,
/// `header::CACHE_CONTROL`, `CACHE_CONTROL`.
fn is_cache_control_name(facts: &Facts, value: &Value) -> bool {
    match value {
        Value::Str(id) => facts
            .strings
            .get(*id as usize)
            .is_some_and(|lit| lit.value.eq_ignore_ascii_case("cache-control")),
        Value::Member(path) => path.last().is_some_and(|l| l == "CACHE_CONTROL"),
        Value::Ident(name) => name == "CACHE_CONTROL",
        _ => false,
    }
}

/// What a header value sets, followed through variables, conversions
/// (`HeaderValue::from_static`) and alternatives.
fn directive_of(flow: &Flow<'_>, value: &Value, scope: ScopeId, at: usize, depth: usize) -> Directive {
    if depth > 6 {
        return Directive::Unknown;
    }
    let facts = flow.facts();
    match value {
        Value::Str(id) => match facts.strings.get(*id as usize) {
            Some(lit) if has_no_store(&lit.value) => Directive::NoStore,
            Some(lit) => Directive::Cacheable(lit.value.clone()),
            None => Directive::Unknown,
        },
        Value::Template(parts) => {
            let literal: String = parts
                .iter()
                .filter_map(|p| match p {
                    TemplatePart::Str(id) => facts.strings.get(*id as usize).map(|l| l.value.as_str()),
                    TemplatePart::Expr(_) => None,
                })
                .collect();
            if has_no_store(&literal) {
                Directive::NoStore
            } else {
                Directive::Unknown
            }
        }
        Value::Alternatives(values) | Value::Array(values) => {
            let all: Vec<Directive> = values
                .iter()
                .map(|v| directive_of(flow, v, scope, at, depth + 1))
                .collect();
            if all.contains(&Directive::NoStore) {
                Directive::NoStore
            } else if let Some(cacheable) = all.iter().find(|d| matches!(d, Directive::Cacheable(_))) {
                cacheable.clone()
            } else {
                Directive::Unknown
            }
        }
        Value::Member(path) => {
            let last = path.last().map(String::as_str).unwrap_or("");
            if last == "NoStore" || last.eq_ignore_ascii_case("no_store") {
                Directive::NoStore
            } else {
                Directive::Unknown
            }
        }
        Value::Ident(name) => {
            let Some(binding) = flow
                .resolve(name, scope, at)
                .and_then(|id| facts.bindings.get(id as usize))
            else {
                return Directive::Unknown;
            };
            if binding.kind == BindingKind::Parameter {
                return Directive::Unknown;
            }
            directive_of(flow, &binding.value, binding.scope, binding.span.start, depth + 1)
        }
        Value::Call(id) => {
            let Some(call) = facts.calls.get(*id as usize) else {
                return Directive::Unknown;
            };
            let callee = call.callee.last().map(String::as_str).unwrap_or("");
            let converts = matches!(
                callee,
                "from_static" | "from_str" | "try_from" | "from" | "parse" | "join" | "to_string" | "into" | "vec"
            ) || call.callee.iter().any(|c| c == "CacheControl");
            if callee == "with_no_store" {
                return Directive::NoStore;
            }
            if !converts {
                return Directive::Unknown;
            }
            let values: Vec<Value> = call.args.to_vec();
            if values.is_empty() {
                return Directive::Unknown;
            }
            directive_of(flow, &Value::Array(values), call.scope, call.span.start, depth + 1)
        }
        _ => Directive::Unknown,
    }
}

/// Every place the file sets `Cache-Control`, sorted by where it starts.
fn header_sets(flow: &Flow<'_>) -> Vec<HeaderSet> {
    let facts = flow.facts();
    let mut sets = Vec::new();
    for b in &facts.bindings {
        let named = b.name.eq_ignore_ascii_case("cache-control");
        if named
            && matches!(
                b.kind,
                BindingKind::Argument | BindingKind::Field | BindingKind::Assignment
            )
        {
            sets.push(HeaderSet {
                span: b.span,
                scope: b.scope,
                directive: directive_of(flow, &b.value, b.scope, b.span.start, 0),
            });
        }
    }
    for call in &facts.calls {
        let callee = call.callee.last().map(String::as_str).unwrap_or("");
        // Factories of middleware that sets `no-store`: `nocache()`, helmet 3's `helmet.noCache()`.
        if matches!(callee.to_ascii_lowercase().as_str(), "nocache" | "nostore" | "no_store") {
            sets.push(HeaderSet {
                span: call.span,
                scope: call.scope,
                directive: Directive::NoStore,
            });
            continue;
        }
        // Typed headers: actix `CacheControl(vec![CacheDirective::NoStore])`, `headers`' `CacheControl::new().with_no_store()`.
        if callee == "CacheControl" || callee == "with_no_store" {
            let directive = if callee == "with_no_store" || call.span.text(flow.text()).contains("NoStore") {
                Directive::NoStore
            } else {
                Directive::Cacheable(compact(call.span.text(flow.text())))
            };
            sets.push(HeaderSet {
                span: call.span,
                scope: call.scope,
                directive,
            });
            continue;
        }
        // `(name, value)` pairs: `headers.insert(CACHE_CONTROL, v)`,
        // `SetResponseHeaderLayer::overriding(CACHE_CONTROL, v)`,
        // `.insert_header((header::CACHE_CONTROL, "no-store"))`, `[(CACHE_CONTROL, v)]`.
        // JS `res.set("Cache-Control", v)` is an `Argument` binding, read above.
        pairs(flow, &call.args, call, &mut sets, 0);
    }
    for ret in &facts.returns {
        if let Value::Array(values) = &ret.value {
            pairs_in_tuple(flow, values, ret.scope, ret.span, &mut sets, 0);
        }
    }
    sets.sort_by_key(|s| s.span.start);
    sets
}

fn pairs(flow: &Flow<'_>, args: &[Value], call: &Call, sets: &mut Vec<HeaderSet>, depth: usize) {
    let facts = flow.facts();
    for (i, arg) in args.iter().enumerate() {
        if let Value::Array(values) = arg {
            pairs_in_tuple(flow, values, call.scope, call.span, sets, depth + 1);
        }
        if matches!(arg, Value::Member(_) | Value::Ident(_)) && is_cache_control_name(facts, arg) {
            if let Some(value) = args.get(i + 1) {
                sets.push(HeaderSet {
                    span: call.span,
                    scope: call.scope,
                    directive: directive_of(flow, value, call.scope, call.span.start, 0),
                });
            }
        }
    }
}

fn pairs_in_tuple(
    flow: &Flow<'_>,
    values: &[Value],
    scope: ScopeId,
    span: Span,
    sets: &mut Vec<HeaderSet>,
    depth: usize,
) {
    if depth > 4 {
        return;
    }
    let facts = flow.facts();
    if let [name, value] = values {
        if is_cache_control_name(facts, name) {
            sets.push(HeaderSet {
                span,
                scope,
                directive: directive_of(flow, value, scope, span.start, 0),
            });
            return;
        }
    }
    for value in values {
        if let Value::Array(inner) = value {
            pairs_in_tuple(flow, inner, scope, span, sets, depth + 1);
        }
    }
}

// ------------------------------------------------------------------ routes

/// A route registered in the file: `app.get("/me", auth, handler)`,
/// `.route("/me", get(me))`, `#[get("/me")]`, or a Next.js route file.
#[derive(Debug)]
struct Route<'f> {
    path: String,
    /// The registration (the whole file for a Next.js route file).
    span: Span,
    /// What it is registered on (`app`, `router`), for the order of middleware.
    receiver: String,
    /// Functions it names: its middleware and handler.
    handlers: Vec<&'f str>,
    next: bool,
}

/// HTTP methods routers register routes with.
fn is_route_method(method: &str) -> bool {
    matches!(method, "get" | "post" | "put" | "patch" | "delete" | "del" | "all")
}

fn route_path(facts: &Facts, value: Option<&Value>) -> Option<String> {
    let Some(Value::Str(id)) = value else {
        return None;
    };
    let lit = facts.strings.get(*id as usize)?;
    lit.value.starts_with('/').then(|| lit.value.clone())
}

fn names_in<'f>(facts: &'f Facts, value: &'f Value, out: &mut Vec<&'f str>, depth: usize) {
    if depth > 6 {
        return;
    }
    match value {
        Value::Ident(name) => out.push(name),
        Value::Member(path) => {
            if let Some(last) = path.last() {
                out.push(last);
            }
        }
        Value::Array(values) => {
            for v in values {
                names_in(facts, v, out, depth + 1);
            }
        }
        Value::Call(id) => {
            if let Some(call) = facts.calls.get(*id as usize) {
                for arg in &call.args {
                    names_in(facts, arg, out, depth + 1);
                }
                if let Some(receiver) = call.receiver.as_deref() {
                    names_in(facts, receiver, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn receiver_name(facts: &Facts, call: &Call) -> String {
    if call.callee.len() >= 2 {
        return call.callee[..call.callee.len() - 1].join(".");
    }
    let mut current = call;
    for _ in 0..16 {
        match current.receiver.as_deref() {
            Some(Value::Call(id)) => match facts.calls.get(*id as usize) {
                Some(inner) if inner.callee.len() >= 2 => return inner.callee[..inner.callee.len() - 1].join("."),
                Some(inner) => current = inner,
                None => break,
            },
            Some(Value::Ident(name)) => return name.clone(),
            Some(Value::Member(path)) => return path.join("."),
            _ => break,
        }
    }
    String::new()
}

fn routes<'f>(flow: &Flow<'f>, path: &str, rust: bool) -> Vec<Route<'f>> {
    let facts = flow.facts();
    let mut out = Vec::new();
    if let Some(next) = next_route_path(path) {
        out.push(Route {
            path: next,
            span: Span::new(0, flow.text().len()),
            receiver: String::new(),
            handlers: Vec::new(),
            next: true,
        });
        return out;
    }
    for call in &facts.calls {
        let method = call.callee.last().map(String::as_str).unwrap_or("");
        let (path, rest): (Option<String>, &'f [Value]) = if rust {
            if !matches!(method, "route" | "resource" | "service") {
                continue;
            }
            (route_path(facts, call.args.first()), call.args.get(1..).unwrap_or(&[]))
        } else if is_route_method(method) {
            let direct = route_path(facts, call.args.first());
            match direct {
                Some(p) => (Some(p), call.args.get(1..).unwrap_or(&[])),
                // `router.route("/me").get(handler)`.
                None => {
                    let chained = match call.receiver.as_deref() {
                        Some(Value::Call(id)) => facts
                            .calls
                            .get(*id as usize)
                            .filter(|c| c.callee.last().is_some_and(|m| m == "route"))
                            .and_then(|c| route_path(facts, c.args.first())),
                        _ => None,
                    };
                    (chained, call.args.as_slice())
                }
            }
        } else {
            continue;
        };
        let Some(path) = path else {
            continue;
        };
        let mut handlers = Vec::new();
        for arg in rest {
            names_in(facts, arg, &mut handlers, 0);
        }
        out.push(Route {
            path,
            span: call.span,
            receiver: receiver_name(facts, call),
            handlers,
            next: false,
        });
    }
    out
}

/// The route of a Next.js App Router route file (`app/api/me/route.ts` → `/api/me`).
fn next_route_path(path: &str) -> Option<String> {
    let path = path.replace('\\', "/");
    let (dir, file) = path.rsplit_once('/')?;
    let stem = file.split('.').next()?;
    if stem != "route" {
        return None;
    }
    let mut segments = dir.split('/');
    segments.by_ref().find(|s| *s == "app")?;
    let route: Vec<&str> = segments
        .filter(|s| !(s.starts_with('@') || s.starts_with('(') && s.ends_with(')')))
        .collect();
    Some(format!("/{}", route.join("/")))
}

/// The route an actix attribute macro gives the function starting at `start`: `#[get("/me")]`.
fn attribute_route(text: &str, start: usize) -> Option<String> {
    let from = crate::syntax::floor_char_boundary(text, start.saturating_sub(400));
    let to = crate::syntax::floor_char_boundary(text, start);
    let before = text.get(from..to)?;
    let at = before.rfind("#[")?;
    let attribute = &before[at + 2..];
    let (name, rest) = attribute.split_once("(\"")?;
    let name = name.rsplit("::").next().unwrap_or(name).trim();
    if !(is_route_method(name) || name == "route") {
        return None;
    }
    let path = rest.split('"').next()?;
    path.starts_with('/').then(|| path.to_string())
}

/// What a route says about the data it serves, from its last static segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RouteKind {
    Tokens,
    UserData,
}

fn route_kind(path: &str) -> Option<RouteKind> {
    let last = path
        .split('/')
        .rfind(|s| {
            !s.is_empty() && !s.starts_with(':') && !s.starts_with('{') && !s.starts_with('[') && !s.contains('*')
        })?
        .to_ascii_lowercase();
    if USER_SEGMENTS.contains(&last.as_str()) {
        return Some(RouteKind::UserData);
    }
    let token = split_words(&last.replace('-', "_"))
        .iter()
        .any(|w| w == "token" || w == "tokens" || w == "refresh");
    token.then_some(RouteKind::Tokens)
}

// ------------------------------------------------------------------- sinks

/// A response body the handler sends.
struct Sink<'f> {
    /// How a message names it: "`res.json`".
    name: String,
    body: &'f Value,
    scope: ScopeId,
    at: usize,
    around: Span,
    /// The finding's span.
    span: Span,
    /// Whether the body is data (JSON, an object), not text or HTML.
    json: bool,
    /// A `Response`'s init (`{ headers }`), which may be a variable.
    init: Option<&'f Value>,
}

/// Names of an HTTP response object.
fn is_response_object(path: &[&str]) -> bool {
    matches!(
        path,
        ["res" | "response" | "resp" | "reply"] | ["ctx" | "context", "res" | "response"] | ["this", "res" | "reply"]
    )
}

fn compact(text: &str) -> String {
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if squeezed.chars().count() <= 48 {
        return squeezed;
    }
    let tail: String = squeezed
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("…{tail}")
}

/// Whether a status value is an error (4xx/5xx); `None` when unknown.
fn status_is_error(value: &Value) -> Option<bool> {
    match value {
        Value::Number(n) => n.parse::<u32>().ok().map(|n| n >= 400),
        // `res.status(error.response.status)`: an error's status.
        Value::Member(path) if path.first().is_some_and(|p| crate::leak::is_error_name(p)) => Some(true),
        Value::Member(path) => {
            let last = path.last()?.to_ascii_uppercase();
            if matches!(last.as_str(), "OK" | "CREATED" | "ACCEPTED") {
                Some(false)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The object a chained response call starts from and whether an error status is set on the way.
fn response_chain<'f>(facts: &'f Facts, call: &'f Call) -> Option<(Vec<&'f str>, bool)> {
    let mut error = false;
    let mut current = call;
    for _ in 0..8 {
        let callee: Vec<&str> = current.callee.iter().map(String::as_str).collect();
        if !std::ptr::eq(current, call) && matches!(callee.last(), Some(&("status" | "code"))) {
            error |= current.args.first().and_then(status_is_error) == Some(true);
        }
        if callee.len() >= 2 {
            return Some((callee[..callee.len() - 1].to_vec(), error));
        }
        match current.receiver.as_deref() {
            Some(Value::Call(id)) => current = facts.calls.get(*id as usize)?,
            Some(Value::Ident(name)) => return Some((vec![name.as_str()], error)),
            Some(Value::Member(path)) => return Some((path.iter().map(String::as_str).collect(), error)),
            _ => return None,
        }
    }
    None
}

/// The status of a `Response` init object (`{ status: 401 }`) is an error.
fn init_is_error(facts: &Facts, init: Option<&Value>) -> bool {
    let Some(Value::Object(fields)) = init else {
        return false;
    };
    fields.iter().any(|f| {
        facts
            .bindings
            .get(*f as usize)
            .is_some_and(|b| b.name == "status" && status_is_error(&b.value) == Some(true))
    })
}

/// `JSON.stringify(x)`, `json!(x)`, `serde_json::to_string(&x)`: the value serialised.
fn serialised<'f>(facts: &'f Facts, value: &'f Value) -> &'f Value {
    let Value::Call(id) = value else {
        return value;
    };
    let Some(call) = facts.calls.get(*id as usize) else {
        return value;
    };
    let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
    let serialises = match callee.as_slice() {
        ["JSON", "stringify"] | ["serde_json", "to_string" | "to_vec"] => !call.is_macro,
        ["json"] | ["serde_json", "json"] => call.is_macro,
        _ => false,
    };
    match call.args.first() {
        Some(first) if serialises => first,
        _ => value,
    }
}

fn js_sinks<'f>(flow: &Flow<'f>, fastify_routes: &[Span]) -> Vec<Sink<'f>> {
    let facts = flow.facts();
    let text = flow.text();
    let mut sinks = Vec::new();
    for call in &facts.calls {
        let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
        let Some(&method) = callee.last() else {
            continue;
        };
        let Some(first) = call.args.first() else {
            continue;
        };
        let sink = |body: &'f Value, json: bool| Sink {
            name: compact(call.callee_span.text(text)),
            body,
            scope: call.scope,
            at: call.span.start,
            around: call.span,
            span: callee_span(text, call),
            json: json || !matches!(body, Value::Str(_) | Value::Template(_)),
            init: None,
        };
        // Next.js route handlers and the web platform.
        if call.is_new && matches!(method, "Response" | "NextResponse") {
            if !init_is_error(facts, call.args.get(1)) {
                let body = serialised(facts, first);
                let json = !std::ptr::eq(body, first);
                sinks.push(Sink {
                    name: format!("new {method}"),
                    init: call.args.get(1),
                    ..sink(body, json)
                });
            }
            continue;
        }
        if matches!(callee.as_slice(), [.., "NextResponse" | "Response", "json"]) {
            if !init_is_error(facts, call.args.get(1)) {
                sinks.push(Sink {
                    init: call.args.get(1),
                    ..sink(first, true)
                });
            }
            continue;
        }
        // Hono.
        if matches!(callee.as_slice(), ["c", "json"]) {
            if call.args.get(1).and_then(status_is_error) != Some(true) {
                sinks.push(sink(first, true));
            }
            continue;
        }
        if !matches!(method, "json" | "send" | "jsonp") {
            continue;
        }
        let Some((object, error)) = response_chain(facts, call) else {
            continue;
        };
        if !is_response_object(&object) || error {
            continue;
        }
        let body = serialised(facts, first);
        sinks.push(sink(body, method != "send" || !std::ptr::eq(body, first)));
    }
    for binding in &facts.bindings {
        if binding.kind != BindingKind::Assignment {
            continue;
        }
        let path: Vec<&str> = binding.path.iter().map(String::as_str).collect();
        if !matches!(
            path.as_slice(),
            ["ctx" | "context" | "this", "body"] | ["ctx" | "context", "response", "body"]
        ) {
            continue;
        }
        let span = Span::new(binding.span.start, binding.name_span.end);
        sinks.push(Sink {
            name: compact(span.text(text)),
            body: &binding.value,
            scope: binding.scope,
            at: binding.span.start,
            around: binding.span,
            span,
            json: !matches!(binding.value, Value::Str(_) | Value::Template(_)),
            init: None,
        });
    }
    // Fastify sends what a handler returns.
    if !fastify_routes.is_empty() {
        for ret in &facts.returns {
            if !matches!(ret.value, Value::Object(_)) {
                continue;
            }
            let function = flow.function_of(ret.scope);
            let Some(scope) = facts.scopes.get(function as usize) else {
                continue;
            };
            if fastify_routes.iter().any(|r| r.contains(scope.span)) {
                sinks.push(Sink {
                    name: "return".to_string(),
                    body: &ret.value,
                    scope: ret.scope,
                    at: ret.span.start,
                    around: ret.span,
                    span: ret.span,
                    json: true,
                    init: None,
                });
            }
        }
    }
    sinks
}

/// Whether a Rust status code is a success or redirect.
fn is_success_status(code: &str) -> bool {
    matches!(code, "OK" | "CREATED" | "ACCEPTED" | "NO_CONTENT")
}

fn rust_sinks<'f>(flow: &Flow<'f>) -> Vec<Sink<'f>> {
    let facts = flow.facts();
    let text = flow.text();
    // `Json(…)` bodies that are errors: inside `Err(…)` or after an error `StatusCode`.
    let mut errors: HashSet<usize> = HashSet::new();
    let err_spans: Vec<Span> = facts
        .calls
        .iter()
        .filter(|c| matches!(c.callee.as_slice(), [e] if e == "Err"))
        .map(|c| c.span)
        .collect();
    let mut mark_tuple = |value: &Value| {
        if let Value::Array(elements) = value {
            if let Some(Value::Member(status)) = elements.first() {
                if let [.., ty, code] = status.as_slice() {
                    if ty == "StatusCode" && !is_success_status(code) {
                        for element in elements {
                            if let Value::Call(id) = element {
                                errors.insert(*id as usize);
                            }
                        }
                    }
                }
            }
        }
    };
    for call in &facts.calls {
        for arg in &call.args {
            mark_tuple(arg);
        }
        if let Some(receiver) = call.receiver.as_deref() {
            mark_tuple(receiver);
        }
    }
    for ret in &facts.returns {
        mark_tuple(&ret.value);
    }
    let mut sinks = Vec::new();
    for (id, call) in facts.calls.iter().enumerate() {
        if call.is_macro || errors.contains(&id) {
            continue;
        }
        let Some(first) = call.args.first() else {
            continue;
        };
        let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
        let wrapper = call.args.len() == 1
            && matches!(
                callee.as_slice(),
                ["Json"] | ["axum" | "response" | "web", "Json"] | ["axum", "response" | "extract", "Json"]
            );
        let builder = match callee.as_slice() {
            ["json"] => rust_success_builder(facts, call),
            _ => None,
        };
        if !(wrapper || builder.is_some()) || err_spans.iter().any(|s| s.contains(call.span) && *s != call.span) {
            continue;
        }
        let name = match builder {
            Some(variant) => format!("HttpResponse::{variant}()…json"),
            None => compact(call.callee_span.text(text)),
        };
        sinks.push(Sink {
            name,
            body: serialised(facts, first),
            scope: call.scope,
            at: call.span.start,
            around: call.span,
            span: callee_span(text, call),
            json: true,
            init: None,
        });
    }
    sinks
}

/// The success status (`Ok`, `Created`, `Accepted`) of the actix
/// `HttpResponse::Ok()…` builder a `.json(…)` call ends, if it is one.
fn rust_success_builder<'f>(facts: &'f Facts, call: &'f Call) -> Option<&'f str> {
    let mut current = call;
    for _ in 0..12 {
        match current.receiver.as_deref() {
            Some(Value::Call(id)) => current = facts.calls.get(*id as usize)?,
            _ => return None,
        }
        if let [.., ty, variant] = current.callee.as_slice() {
            if ty == "HttpResponse" {
                return matches!(variant.as_str(), "Ok" | "Created" | "Accepted").then_some(variant.as_str());
            }
        }
    }
    None
}

// ------------------------------------------------------------------- index

/// App- or router-wide middleware that may set `no-store`.
#[derive(Debug)]
struct Global {
    /// Where it is registered.
    at: usize,
    /// What it is registered on.
    receiver: String,
    /// Whether it surely sets `no-store` (else it is an imported middleware
    /// named like security headers, which may).
    sure: bool,
    /// How a message names it.
    name: String,
}

/// Routers mounted on another: `app.use("/api", router)`, `app.route("/api", api)`, `fastify.register(routes)`.
fn mounts(facts: &Facts) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for call in &facts.calls {
        let method = call.callee.last().map(String::as_str).unwrap_or("");
        if !matches!(method, "use" | "route" | "register" | "nest" | "merge") {
            continue;
        }
        let on = receiver_name(facts, call);
        for arg in &call.args {
            if let Value::Ident(router) = arg {
                out.push((router.clone(), on.clone()));
            }
        }
    }
    out
}

/// What the rule needs of a file, computed once.
struct Index<'f> {
    sets: Vec<HeaderSet>,
    /// Names of same-file functions that set `no-store` (helpers, middleware).
    protecting_functions: HashSet<&'f str>,
    globals: Vec<Global>,
    /// Routers mounted on another in this file: (router, what it is mounted on).
    mounts: Vec<(String, String)>,
    routes: Vec<Route<'f>>,
    sinks: Vec<Sink<'f>>,
    rust: bool,
}

/// How a sink is protected, when it is not.
#[derive(Debug, Default)]
struct Protection {
    protected: bool,
    /// An explicit `Cache-Control` without `no-store` in the handler.
    cacheable: Option<String>,
    /// A middleware that may set it, by name.
    maybe: Option<String>,
}

impl<'f> Index<'f> {
    fn new(flow: &Flow<'f>, path: &str, rust: bool) -> Index<'f> {
        let facts = flow.facts();
        let routes = routes(flow, path, rust);
        let fastify = !rust && facts.imports.iter().any(|i| i.source == "fastify");
        let fastify_routes: Vec<Span> = if fastify {
            routes.iter().filter(|r| !r.next).map(|r| r.span).collect()
        } else {
            Vec::new()
        };
        let sinks = if rust {
            rust_sinks(flow)
        } else {
            js_sinks(flow, &fastify_routes)
        };
        if sinks.is_empty() {
            return Index {
                sets: Vec::new(),
                protecting_functions: HashSet::new(),
                globals: Vec::new(),
                mounts: Vec::new(),
                routes,
                sinks,
                rust,
            };
        }
        let mut routes = routes;
        if rust {
            let text = flow.text();
            for scope in &facts.scopes {
                let (ScopeKind::Function, Some(name)) = (scope.kind, scope.name.as_deref()) else {
                    continue;
                };
                if let Some(path) = attribute_route(text, scope.span.start) {
                    routes.push(Route {
                        path,
                        span: scope.span,
                        receiver: String::new(),
                        handlers: vec![name],
                        next: false,
                    });
                }
            }
        }
        let sets = header_sets(flow);
        let mut protecting_functions = HashSet::new();
        for set in sets.iter().filter(|s| s.directive.protects()) {
            let mut current = Some(set.scope);
            let mut steps = 0;
            while let Some(id) = current {
                steps += 1;
                let Some(scope) = facts.scopes.get(id as usize) else {
                    break;
                };
                if steps > 64 || scope.kind == ScopeKind::Module {
                    break;
                }
                if scope.kind == ScopeKind::Function {
                    if let Some(name) = scope.name.as_deref() {
                        protecting_functions.insert(name);
                    }
                }
                current = scope.parent;
            }
        }
        let mut index = Index {
            sets,
            protecting_functions,
            globals: Vec::new(),
            mounts: Vec::new(),
            routes,
            sinks,
            rust,
        };
        index.globals = index.find_globals(flow);
        index.mounts = mounts(facts);
        index
    }

    /// Middleware registered app- or router-wide.
    fn find_globals(&self, flow: &Flow<'f>) -> Vec<Global> {
        let facts = flow.facts();
        let text = flow.text();
        let mut globals = Vec::new();
        for call in &facts.calls {
            let method = call.callee.last().map(String::as_str).unwrap_or("");
            if !matches!(method, "use" | "addHook" | "layer" | "wrap" | "wrap_fn" | "route_layer") {
                continue;
            }
            let receiver = receiver_name(facts, call);
            let global = |sure: bool, name: String| Global {
                at: call.span.start,
                receiver: receiver.clone(),
                sure,
                name,
            };
            if self.protecting_set_in(call.span) {
                globals.push(global(true, compact(call.callee_span.text(text))));
                continue;
            }
            for arg in &call.args {
                let name = match arg {
                    Value::Ident(name) => name.as_str(),
                    Value::Call(id) => match facts.calls.get(*id as usize) {
                        Some(inner) => inner.callee.last().map(String::as_str).unwrap_or(""),
                        None => "",
                    },
                    _ => "",
                };
                if name.is_empty() {
                    continue;
                }
                let lower = name.to_ascii_lowercase();
                if self.protecting_functions.contains(name) || lower.contains("cache") || lower.contains("nostore") {
                    globals.push(global(true, name.to_string()));
                } else if lower.contains("header") || lower.contains("secur") {
                    globals.push(global(false, name.to_string()));
                }
            }
        }
        globals
    }

    /// Whether the router `router` is mounted, directly or through others, on `on`.
    fn mounted_on(&self, router: &str, on: &str) -> bool {
        let mut current = router;
        for _ in 0..8 {
            match self.mounts.iter().find(|(r, _)| r == current) {
                Some((_, parent)) if parent == on => return true,
                Some((_, parent)) => current = parent,
                None => return false,
            }
        }
        false
    }

    /// Whether a set that may protect lies in `span`.
    fn protecting_set_in(&self, span: Span) -> bool {
        let from = self.sets.partition_point(|s| s.span.start < span.start);
        self.sets[from..]
            .iter()
            .take_while(|s| s.span.start < span.end)
            .any(|s| s.directive.protects() && span.contains(s.span))
    }

    /// The route a sink's handler is registered on, if the file says.
    fn route_of(&self, flow: &Flow<'f>, scope: ScopeId) -> Option<&Route<'f>> {
        if let Some(next) = self.routes.iter().find(|r| r.next) {
            return Some(next);
        }
        let facts = flow.facts();
        let mut current = Some(scope);
        let mut steps = 0;
        while let Some(id) = current {
            steps += 1;
            let s = facts.scopes.get(id as usize)?;
            if steps > 64 || s.kind == ScopeKind::Module {
                return None;
            }
            if s.kind == ScopeKind::Function {
                if let Some(route) = self.routes.iter().find(|r| r.span.contains(s.span)) {
                    return Some(route);
                }
                if let Some(name) = s.name.as_deref() {
                    if let Some(route) = self.routes.iter().find(|r| r.handlers.contains(&name)) {
                        return Some(route);
                    }
                }
            }
            current = s.parent;
        }
        None
    }

    /// Whether a sink is behind `no-store`: set in its handler (or a
    /// function the handler is nested in), in a same-file helper the
    /// handler calls, in its route's middleware, or in app or router
    /// middleware registered before its route (any, when the route is not known).
    fn protection(&self, flow: &Flow<'f>, sink: &Sink<'f>, route: Option<&Route<'f>>) -> Protection {
        let facts = flow.facts();
        let mut protection = Protection::default();
        // In the handler, or a function it is nested in.
        let mut functions = Vec::new();
        let mut current = Some(sink.scope);
        let mut steps = 0;
        while let Some(id) = current {
            steps += 1;
            let Some(s) = facts.scopes.get(id as usize) else {
                break;
            };
            if steps > 64 || s.kind == ScopeKind::Module {
                break;
            }
            if s.kind == ScopeKind::Function {
                functions.push(id);
            }
            current = s.parent;
        }
        for set in &self.sets {
            if sink.around.contains(set.span) || functions.contains(&flow.function_of(set.scope)) {
                if set.directive.protects() {
                    protection.protected = true;
                    return protection;
                }
                if let Directive::Cacheable(value) = &set.directive {
                    protection.cacheable.get_or_insert_with(|| value.clone());
                }
            }
        }
        // An init or headers object kept in a variable: `{ headers: NO_STORE }`.
        if let Some(init) = sink.init {
            let mut names = Vec::new();
            idents_in(facts, init, &mut names, 0);
            for name in names {
                let binding = flow
                    .resolve(name, sink.scope, sink.at)
                    .and_then(|id| facts.bindings.get(id as usize));
                if binding.is_some_and(|b| self.protecting_set_in(b.span)) {
                    protection.protected = true;
                    return protection;
                }
            }
        }
        // A same-file helper the handler calls.
        if let Some(outer) = functions.last().and_then(|f| facts.scopes.get(*f as usize)) {
            let span = outer.span;
            let from = facts.calls.partition_point(|c| c.span.start < span.start);
            let calls_helper = facts.calls[from..]
                .iter()
                .take_while(|c| c.span.start < span.end)
                .any(|c| {
                    c.callee
                        .last()
                        .is_some_and(|name| self.protecting_functions.contains(name.as_str()))
                });
            if calls_helper {
                protection.protected = true;
                return protection;
            }
        }
        // Middleware of the route.
        if let Some(route) = route.filter(|r| !r.next) {
            let named = route.handlers.iter().any(|name| {
                let lower = name.to_ascii_lowercase();
                self.protecting_functions.contains(name) || lower.contains("nocache") || lower.contains("nostore")
            });
            if named || self.protecting_set_in(route.span) {
                protection.protected = true;
                return protection;
            }
        }
        // Middleware of the router or app, registered before the route (a
        // router registered elsewhere may be mounted after it: given the benefit of the doubt).
        for global in &self.globals {
            let applies = match route {
                Some(route) if !route.next && !self.rust => {
                    if global.receiver == route.receiver {
                        global.at < route.span.start
                    } else {
                        self.mounted_on(&route.receiver, &global.receiver)
                    }
                }
                _ => true,
            };
            if !applies {
                continue;
            }
            if global.sure {
                protection.protected = true;
                return protection;
            }
            protection.maybe.get_or_insert_with(|| global.name.clone());
        }
        protection
    }
}

/// The plain names in a value, through object fields.
fn idents_in<'f>(facts: &'f Facts, value: &'f Value, out: &mut Vec<&'f str>, depth: usize) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Ident(name) => out.push(name),
        Value::Object(fields) => {
            for field in fields {
                if let Some(b) = facts.bindings.get(*field as usize) {
                    idents_in(facts, &b.value, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

// --------------------------------------------------------------- sensitive

/// What a response carries that must not be cached.
struct Sensitive {
    /// Tokens, secrets, session ids (else: the signed-in user's data).
    credential: bool,
    /// How a message names it: "`access_token`", "the user's data".
    description: String,
    steps: Vec<FlowStep>,
}

/// Whether a value is made of literals only (`{ ok: true }`, `"done"`).
fn is_literal(facts: &Facts, value: &Value, depth: usize) -> bool {
    match value {
        Value::Str(_) | Value::Number(_) | Value::Bool(_) | Value::Null => true,
        Value::Alternatives(values) | Value::Array(values) => {
            depth < 6 && values.iter().all(|v| is_literal(facts, v, depth + 1))
        }
        Value::Object(fields) => {
            depth < 6
                && fields.iter().all(|f| {
                    facts
                        .bindings
                        .get(*f as usize)
                        .is_none_or(|b| is_literal(facts, &b.value, depth + 1))
                })
        }
        _ => false,
    }
}

/// What a response key says: a credential (`access_token`, `refreshToken`,
/// `session`, `apiKey`), surely not one (`nextPageToken`, `csrfToken`,
/// `tokenCount`), or nothing.
fn key_verdict(name: &str) -> Option<bool> {
    let words = split_words(name);
    if words.iter().any(|w| NOT_CREDENTIAL_WORDS.contains(&w.as_str())) {
        return Some(false);
    }
    credential_key(name).then_some(true)
}

fn credential_key(name: &str) -> bool {
    let words = split_words(name);
    if matches!(words.as_slice(), [w] if w == "session" || w == "token" || w == "tokens") {
        return true;
    }
    let context = LeakContext {
        auth: true,
        ..LeakContext::default()
    };
    matches!(
        crate::leak::named_kind(name, context),
        Some(SensitiveKind::Token | SensitiveKind::Secret | SensitiveKind::Session | SensitiveKind::Password)
    )
}

/// Whether a flow source is a credential a response must not let caches keep.
fn credential_source(source: &LeakSource) -> bool {
    match source.kind {
        SourceKind::Named(kind) => matches!(
            kind,
            SensitiveKind::Token | SensitiveKind::Secret | SensitiveKind::Session | SensitiveKind::Password
        ),
        SourceKind::TokenResponse => true,
        // Echoing the request's credentials, or sending a secret from the
        // environment, is a leak whatever the cache headers
        // (`secret-in-error-response` reports the echo), and most values
        // from the environment sent out are public configuration; errors
        // are that rule's too.
        SourceKind::RequestCredentials
        | SourceKind::Environment
        | SourceKind::HttpClientError
        | SourceKind::ErrorDetails => false,
    }
}

/// The credential in a body: a secret-named key with a value that is not a literal, or a value the flow says is one.
fn credential_in<'f>(
    flow: &Flow<'f>,
    leaks: &Leaks<'_, 'f>,
    value: &'f Value,
    scope: ScopeId,
    at: usize,
    around: Span,
    depth: usize,
) -> Option<Sensitive> {
    if depth > 4 {
        return None;
    }
    let facts = flow.facts();
    match value {
        Value::Object(fields) => {
            for field in fields {
                let Some(b) = facts.bindings.get(*field as usize) else {
                    continue;
                };
                if is_literal(facts, &b.value, 0) || matches!(b.value, Value::Unknown | Value::Computed(_)) {
                    continue;
                }
                match key_verdict(&b.name) {
                    Some(true) => {
                        return Some(Sensitive {
                            credential: true,
                            description: format!("`{}`", b.name),
                            steps: vec![FlowStep::new(b.name_span, format!("`{}` is a credential", b.name))],
                        });
                    }
                    Some(false) => continue,
                    None => {}
                }
                if let Some(found) = credential_in(flow, leaks, &b.value, b.scope, b.span.start, b.span, depth + 1) {
                    return Some(found);
                }
            }
            None
        }
        Value::Array(values) => values
            .iter()
            .find_map(|v| credential_in(flow, leaks, v, scope, at, around, depth + 1)),
        _ => leaks
            .source_of(value, scope, at, around)
            .filter(credential_source)
            .map(|s| Sensitive {
                credential: true,
                description: s.description,
                steps: s.steps,
            }),
    }
}

/// What sensitive data a sink sends, if any.
fn sensitive_body<'f>(
    flow: &Flow<'f>,
    leaks: &Leaks<'_, 'f>,
    sink: &Sink<'f>,
    route: Option<&Route<'_>>,
) -> Option<Sensitive> {
    let facts = flow.facts();
    if is_literal(facts, sink.body, 0) {
        return None;
    }
    if let Some(found) = credential_in(flow, leaks, sink.body, sink.scope, sink.at, sink.around, 0) {
        return Some(found);
    }
    let route = route?;
    if !sink.json || matches!(sink.body, Value::Unknown) {
        return None;
    }
    match route_kind(&route.path)? {
        // A token route's answer whose keys are all visible and none is a
        // credential (`{ ok: true, expiresIn }`) carries no token.
        RouteKind::Tokens if matches!(sink.body, Value::Object(_)) => None,
        RouteKind::Tokens => Some(Sensitive {
            credential: true,
            description: "the token route's answer".to_string(),
            steps: Vec::new(),
        }),
        RouteKind::UserData => Some(Sensitive {
            credential: false,
            description: "the signed-in user's data".to_string(),
            steps: Vec::new(),
        }),
    }
}

fn lower(severity: Severity) -> Severity {
    match severity {
        Severity::Error => Severity::Warning,
        Severity::Warning | Severity::Note => Severity::Note,
    }
}

fn finding(
    flow: &Flow<'_>,
    sink: &Sink<'_>,
    route: Option<&Route<'_>>,
    sensitive: Sensitive,
    protection: Protection,
    default: Severity,
) -> Option<Finding> {
    if protection.protected {
        return None;
    }
    let text = flow.text();
    let mut severity = if sensitive.credential { default } else { lower(default) };
    let on = match route {
        Some(route) => format!(" for `{}`", route.path),
        None => String::new(),
    };
    let missing = match &protection.cacheable {
        Some(value) => format!(
            "with `Cache-Control: {}`, which lacks `no-store`",
            value.trim().trim_matches(|c| c == '"' || c == '\'')
        ),
        None => "without `Cache-Control: no-store`".to_string(),
    };
    let why = if sensitive.credential {
        "a shared cache, a proxy or the browser's cache may keep it and hand it to the next user of that cache"
    } else {
        "a shared cache or the browser's cache may keep one user's data and show it to another"
    };
    let mut message = format!("`{}`{on} sends {} {missing}; {why}", sink.name, sensitive.description);
    if let Some(name) = &protection.maybe {
        severity = lower(severity);
        message.push_str(&format!(
            " (unless `{name}`, registered in this file, sets it: the rule cannot see its code)"
        ));
    }
    if route.is_some_and(|r| r.next) && protection.cacheable.is_none() {
        severity = lower(severity);
        message.push_str(" (Next.js marks dynamic responses `no-store` itself, but not statically rendered GET handlers or responses behind other caches)");
    }
    let source_line = sensitive
        .steps
        .first()
        .map(|s| line_of(text, s.span.start))
        .filter(|line| *line != line_of(text, sink.span.start));
    if let Some(line) = source_line {
        message = message.replacen(
            &sensitive.description,
            &format!("{} (line {line})", sensitive.description),
            1,
        );
    }
    let mut steps = sensitive.steps;
    steps.push(FlowStep::new(sink.span, "sent in a response that caches may store"));
    Some(
        Finding::new(ID, severity, sink.span, message)
            .with_help(
                "Set `Cache-Control: no-store` on this response (or app-wide with a middleware such as `nocache`) so that no cache keeps it.",
            )
            .with_flow(steps)
            .depending_on_class(ClassDependence::except_browser(Some(severity), None)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered;

    fn rule() -> SensitiveResponseCacheable {
        SensitiveResponseCacheable::new().expect("the rule loads")
    }

    fn found(path: &str, source: &str) -> Vec<(usize, Severity, String)> {
        lowered::check_sorted(&rule(), path, source)
    }

    fn lines(path: &str, source: &str) -> Vec<(usize, Severity)> {
        found(path, source).into_iter().map(|(l, s, _)| (l, s)).collect()
    }

    #[test]
    fn no_store_is_read_from_any_spelling_of_the_directives() {
        assert!(has_no_store("no-store"));
        assert!(has_no_store("No-Store"));
        assert!(has_no_store("NO-STORE"));
        assert!(has_no_store("private, no-store"));
        assert!(has_no_store("no-store, max-age=0"));
        assert!(has_no_store("  private ,  no-store  , must-revalidate"));
        assert!(has_no_store("\"no-store\""));
        assert!(has_no_store("private,no-store"));
        assert!(has_no_store("no-cache, no-store, must-revalidate, proxy-revalidate"));
        assert!(!has_no_store("no-cache"));
        assert!(!has_no_store("private"));
        assert!(!has_no_store("private, max-age=0"));
        assert!(!has_no_store("public, max-age=3600"));
        assert!(!has_no_store("no-storex"));
        assert!(!has_no_store("x-no-store"));
        assert!(!has_no_store(""));
    }

    #[test]
    fn only_files_that_send_responses_are_parsed() {
        let rule = rule();
        let gate = |path: &str, source: &str| lowered::needs_facts(&rule, path, source);
        // Servers, in each framework's words.
        assert!(gate(
            "server/app.js",
            "app.get('/me', (req, res) => res.json(req.session.user));"
        ));
        assert!(gate(
            "server/app.js",
            "const token = 1;\nres\n  .status(200)\n  .json({ token });"
        ));
        assert!(gate(
            "app/api/token/route.ts",
            "export async function GET() { return NextResponse.json({ token }); }"
        ));
        assert!(gate("src/index.ts", "app.get('/token', (c) => c.json({ token }));"));
        assert!(gate(
            "src/index.js",
            "router.get('/session', (ctx) => { ctx.body = { session }; });"
        ));
        assert!(gate(
            "src/main.rs",
            "async fn token() -> Json<Value> { Json(json!({ \"token\": t })) }"
        ));
        // An HTTP client reading tokens: nothing is sent.
        assert!(!gate(
            "lib/client.js",
            "const response = await fetch(url);\nconst { access_token } = await response.json();"
        ));
        assert!(!gate(
            "lib/session.js",
            "export function sessionFromJson(json) { return json.token; }"
        ));
    }

    #[test]
    fn token_responses_without_no_store() {
        let src = r#"
const express = require("express");
const app = express();
app.post("/oauth/token", async (req, res) => {
  const tokens = await exchange(req.body.code);
  res.json({ access_token: tokens.access_token, refresh_token: tokens.refresh_token });
});
app.get("/api/health", (req, res) => res.json({ ok: true, version: pkg.version }));
app.get("/login", (req, res) => res.redirect(authorizeUrl));
"#;
        let found = found("server/app.js", src);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 6);
        assert_eq!(found[0].1, Severity::Error);
        assert!(found[0].2.contains("`access_token`"), "{}", found[0].2);
        assert!(
            found[0].2.contains("without `Cache-Control: no-store`"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn no_store_in_the_handler_a_helper_or_middleware() {
        let src = r#"
const express = require("express");
const app = express();
function noStore(res) { res.set("Cache-Control", "private, no-store"); }
app.post("/a", (req, res) => { res.setHeader("cache-control", "no-store, max-age=0"); res.json({ token: req.user.token }); });
app.post("/b", (req, res) => { noStore(res); res.json({ token: req.user.token }); });
app.post("/c", (req, res) => { res.set("Cache-Control", "no-cache"); res.json({ token: req.user.token }); });
app.post("/d", (req, res) => { res.header({ "Cache-Control": "private" }); res.json({ token: req.user.token }); });
"#;
        let found = found("server/app.js", src);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [7, 8], "{found:?}");
        assert!(
            found[0].2.contains("`Cache-Control: no-cache`, which lacks `no-store`"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn app_wide_middleware_before_the_route() {
        let src = r#"
const express = require("express");
const nocache = require("nocache");
const app = express();
app.get("/early", (req, res) => res.json({ session: req.session }));
app.use(nocache());
app.get("/late", (req, res) => res.json({ session: req.session }));
"#;
        assert_eq!(lines("server/app.js", src), [(5, Severity::Error)]);
        let custom = r#"
const app = require("express")();
app.use((req, res, next) => { res.set("Cache-Control", "no-store"); next(); });
app.get("/me", (req, res) => res.json({ accessToken: req.user.accessToken }));
"#;
        assert!(found("server/app.js", custom).is_empty());
        let imported = r#"
const app = require("express")();
const { securityHeaders } = require("./security");
app.use(securityHeaders);
app.get("/token", (req, res) => res.json({ accessToken: req.user.accessToken }));
"#;
        let found = found("server/app.js", imported);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, Severity::Warning);
        assert!(found[0].2.contains("unless `securityHeaders`"), "{}", found[0].2);
    }

    #[test]
    fn user_data_routes_are_warnings() {
        let src = r#"
const router = require("express").Router();
router.get("/api/me", requireAuth, async (req, res) => {
  const user = await db.users.find(req.user.id);
  res.json(user);
});
router.get("/api/users/:id", async (req, res) => res.json({ name: "x", ok: true }));
router.get("/api/config", async (req, res) => res.json(publicConfig));
"#;
        let found = found("server/routes.js", src);
        assert_eq!(
            found.iter().map(|f| (f.0, f.1)).collect::<Vec<_>>(),
            [(5, Severity::Warning)]
        );
        assert!(
            found[0]
                .2
                .starts_with("`res.json` for `/api/me` sends the signed-in user's data without"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn tests_and_browser_code_are_not_checked() {
        let src = r#"app.post("/t", (req, res) => res.json({ access_token: t.access_token }));"#;
        assert!(found("server/app.test.js", src).is_empty());
        assert_eq!(found("server/app.js", src).len(), 1);
    }

    #[test]
    fn next_route_handlers_are_one_level_lower() {
        let src = r#"
import { NextResponse } from "next/server";
export async function POST(req) {
  const tokens = await exchangeCode(await req.json());
  return NextResponse.json({ accessToken: tokens.access_token });
}
export async function GET() {
  return NextResponse.json({ token: await mint() }, { headers: { "Cache-Control": "no-store" } });
}
"#;
        assert_eq!(lines("app/api/token/route.ts", src), [(5, Severity::Warning)]);
        assert_eq!(
            next_route_path("app/(auth)/api/me/route.ts").as_deref(),
            Some("/api/me")
        );
        assert_eq!(next_route_path("src/app/route.js").as_deref(), Some("/"));
        assert_eq!(next_route_path("src/lib/router.ts"), None);
    }

    #[test]
    fn rust_axum_and_actix() {
        let axum = r#"
use axum::{Json, Router, routing::post};
async fn token(Json(body): Json<Code>) -> Json<Value> {
    let access_token = exchange(&body.code).await;
    Json(json!({ "access_token": access_token }))
}
async fn public() -> Json<Value> { Json(json!({ "name": "app" })) }
async fn fail() -> (StatusCode, Json<Value>) { (StatusCode::UNAUTHORIZED, Json(json!({ "token": token }))) }
fn app() -> Router { Router::new().route("/token", post(token)) }
"#;
        assert_eq!(lines("src/main.rs", axum), [(5, Severity::Error)]);
        let layered = format!(
            "{axum}\nfn layered() -> Router {{ Router::new().layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(\"no-store\"))) }}"
        );
        assert!(found("src/main.rs", &layered).is_empty());
        let actix = r#"
#[get("/me")]
async fn me(session: Session) -> HttpResponse {
    let user = load(&session).await;
    HttpResponse::Ok().json(user)
}
#[post("/token")]
async fn token(form: web::Form<Code>) -> HttpResponse {
    let refresh_token = exchange(&form.code).await;
    HttpResponse::Ok().insert_header(CacheControl(vec![CacheDirective::NoStore])).json(TokenBody { refresh_token })
}
#[post("/token2")]
async fn token2(form: web::Form<Code>) -> HttpResponse {
    let refresh_token = exchange(&form.code).await;
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(TokenBody { refresh_token })
}
"#;
        assert_eq!(lines("src/main.rs", actix), [(5, Severity::Warning)]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for src in [
            "",
            "res.json(",
            "app.get('/', (req, res) => res.json({ token: }))",
            "ctx.body = { token: ctx.state.token }; €",
            "app.get(`/me`, (req, res) => res.json(...args));",
            "new Response(JSON.stringify(), { status })",
        ] {
            let _ = found("server/app.js", src);
        }
        for src in [
            "fn x() { Json(json!({ \"token\": t })) }",
            "#[get(\"\")] fn y() -> Json<()> { Json(session) }",
            "fn z() { HttpResponse::Ok().json() ; Json() }",
        ] {
            let _ = found("src/lib.rs", src);
        }
        assert_eq!(
            attribute_route("#[get(\"/me\")]\nasync fn me()", 13).as_deref(),
            Some("/me")
        );
        assert_eq!(attribute_route("#[get(\"", 7), None);
        assert_eq!(attribute_route("é#[get(\"/é\")]", 3), None);
        assert_eq!(route_kind("/api/users/:id"), Some(RouteKind::UserData));
        assert_eq!(route_kind("/oauth/refresh-token"), Some(RouteKind::Tokens));
        assert_eq!(route_kind("/api/health"), None);
        assert_eq!(route_kind("/"), None);
    }
}
