//! `plain-http-url` (R-NET-2): an `http://` or `ws://` URL to a public host
//! that the app requests, uses as an OAuth redirect URI, or declares as a
//! Miro app's `sdkUri`/`redirectUris`.
//!
//! The rule starts from the places a URL leaves the code — network calls,
//! redirect-URI settings — and walks the URL argument back to the literal
//! that writes its scheme and host, through variables, constants, object
//! fields, templates, concatenation and the calls that only parse or convert
//! a URL. The finding sits on that literal, so a constant used by several
//! calls is reported once. A URL whose host the code does not spell out
//! (`http://${process.env.HOST}`) is not reported: only a written host says
//! the traffic leaves the machine.
//!
//! The lexical tier reads every `http://`/`ws://` in the file: when each one
//! names a local host or a namespace, or sits in a comment, or the file
//! names no network API or redirect setting the check knows, nothing can be
//! found and the file is not parsed for this rule. Most `http://` in real
//! code is in license headers and doc comments, so this keeps the rule from
//! parsing files no other rule needs.

use crate::{FileInput, Rule};
use aho_corasick::AhoCorasick;
use miroguard_core::runtime::ClassDependence;
use miroguard_core::{Finding, Language, RuleMeta, Severity, Span};
use miroguard_ir::flow::Flow;
use miroguard_ir::{BindingKind, Call, Facts, ScopeId, StrId, TemplatePart, Value};
use serde::Deserialize;
use std::collections::HashSet;

/// The rule's id.
pub const ID: &str = "plain-http-url";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/plain-http-url.toml"));

const IMPACT: &str = "anyone on the network path can read and change it";
const REDIRECT_IMPACT: &str = "anyone on the network path can read the authorization code sent to it";

/// How far a URL is followed back through bindings and calls: far above real code.
const MAX_DEPTH: usize = 12;

/// JS modules whose default export (or module object) requests the URL it is given.
const JS_CLIENT_MODULES: &[&str] = &[
    "axios",
    "got",
    "node-fetch",
    "cross-fetch",
    "isomorphic-fetch",
    "ky",
    "superagent",
    "undici",
    "needle",
    "request",
    "phin",
];

/// Methods of a JS client (module or instance) that take a URL first.
const JS_CLIENT_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "del", "head", "options", "request", "fetch", "stream", "create",
    "extend", "getUri",
];

/// Config fields that hold the URL a client requests.
const URL_FIELDS: &[&str] = &["url", "uri", "baseURL", "baseUrl", "prefixUrl", "href"];

/// Names that hold an OAuth redirect URI.
const REDIRECT_NAMES: &[&str] = &[
    "redirect_uri",
    "redirectUri",
    "redirectURI",
    "redirect_url",
    "redirectUrl",
    "redirectURL",
    "callbackURL",
    "callbackUrl",
    "callback_url",
];

/// Rust crates whose presence makes `x.get(url)` a request.
const RUST_CLIENT_CRATES: &[&str] = &[
    "reqwest",
    "ureq",
    "surf",
    "isahc",
    "attohttpc",
    "hyper",
    "tungstenite",
    "awc",
];

/// Rust request methods that take the URL as their only argument.
const RUST_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "uri",
    "connect_async",
    "connect",
];

/// Words (any case) of which a JS/TS file holds at least one when it has a
/// sink the rule checks: a network call, a client module, a redirect-URI
/// name, a client default.
const JS_SINK_WORDS: &[&str] = &[
    "fetch",
    "axios",
    "'got'",
    "\"got\"",
    "'ky'",
    "\"ky\"",
    "superagent",
    "undici",
    "needle",
    "phin",
    "'request'",
    "\"request\"",
    "'http'",
    "\"http\"",
    "node:http",
    "websocket",
    "eventsource",
    "open(",
    // Every one of REDIRECT_NAMES holds one of these: `redirect` and
    // `callback` alone are in most JS libraries.
    "redirect_ur",
    "redirectur",
    "callback_ur",
    "callbackur",
    "baseurl",
    "prefixurl",
];

/// The same for Rust: a client crate or a redirect-URI name.
const RUST_SINK_WORDS: &[&str] = &[
    "reqwest",
    "ureq",
    "surf",
    "isahc",
    "attohttpc",
    "hyper",
    "tungstenite",
    "awc",
    "redirect_ur",
    "redirectur",
    "callback_ur",
    "callbackur",
];

/// Calls that hand on the URL they parse or convert.
const URL_CONVERSIONS: &[&str] = &[
    "parse",
    "from_static",
    "from_str",
    "from",
    "try_from",
    "new",
    "to_string",
    "to_owned",
    "into",
    "clone",
    "as_str",
    "as_ref",
    "unwrap",
    "expect",
    "toString",
    "trim",
    "join",
    "into_url",
    "String",
    // The redirect URI is sent encoded; its host is still the written one.
    "encodeURIComponent",
    "encodeURI",
    "encode",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    keywords: KeywordLists,
    hosts: Hosts,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeywordLists {
    all: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Hosts {
    local_names: Vec<String>,
    local_suffixes: Vec<String>,
    namespaces: Vec<String>,
}

/// What the host of a URL says about where its traffic goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HostKind {
    /// Never leaves the machine or the private network by name.
    Local,
    /// An identifier, not something fetched.
    Namespace,
    /// A private IPv4 address: on a network, but not the internet.
    Private,
    /// A public host.
    Public,
    /// Not written here (`http://${host}`).
    Unseen,
}

/// The rule.
pub struct PlainHttpUrl {
    meta: RuleMeta,
    keywords: Vec<String>,
    hosts: Hosts,
    /// `http://`, `ws://` and the encoded `http%3A%2F%2F`, any case.
    schemes: AhoCorasick,
    js_sinks: AhoCorasick,
    rust_sinks: AhoCorasick,
    /// An import of Node's `http` module.
    http_import: AhoCorasick,
}

impl PlainHttpUrl {
    /// The rule with its tables from `rules/plain-http-url.toml`.
    pub fn new() -> Result<PlainHttpUrl, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        if let Some(word) = file
            .keywords
            .all
            .iter()
            .find(|w| w.is_empty() || **w != w.to_ascii_lowercase())
        {
            return Err(format!("keyword `{word}` must be non-empty and lowercase"));
        }
        let automaton = |words: &[&str]| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(words)
                .map_err(|e| e.to_string())
        };
        Ok(PlainHttpUrl {
            meta: file.rule,
            keywords: file.keywords.all,
            hosts: file.hosts,
            schemes: automaton(&["http://", "ws://", "http%3a%2f%2f"])?,
            js_sinks: automaton(JS_SINK_WORDS)?,
            rust_sinks: automaton(RUST_SINK_WORDS)?,
            http_import: automaton(&["'http'", "\"http\"", "node:http"])?,
        })
    }

    /// What the host at the start of `rest` (the URL after its `scheme://`) is.
    fn host_kind(&self, rest: &str) -> HostKind {
        let host = host_of(rest).to_ascii_lowercase();
        let host = host.trim_end_matches('.');
        if host.is_empty() {
            return HostKind::Unseen;
        }
        if self.hosts.namespaces.iter().any(|n| n == host) {
            return HostKind::Namespace;
        }
        if self.hosts.local_names.iter().any(|n| n == host)
            || self
                .hosts
                .local_suffixes
                .iter()
                .any(|s| host.ends_with(s.as_str()) || Some(host) == s.strip_prefix('.'))
        {
            return HostKind::Local;
        }
        if host.starts_with('[') {
            return HostKind::Public;
        }
        if let Some(octets) = ipv4(host) {
            return match octets {
                [127, ..] | [0, ..] | [169, 254, ..] => HostKind::Local,
                [10, ..] | [192, 168, ..] => HostKind::Private,
                [172, b, ..] if (16..32).contains(&b) => HostKind::Private,
                _ => HostKind::Public,
            };
        }
        // A single label (`http://redis:6379`, `http://api/v1`) names a
        // container or cluster service: it does not resolve on the internet.
        if !host.contains('.') {
            return HostKind::Local;
        }
        HostKind::Public
    }

    /// Whether a URL starting at `url` (scheme included) goes to a host worth a finding.
    fn reportable(&self, url: &str) -> Option<HostKind> {
        let rest = strip_scheme(url)?;
        match self.host_kind(rest) {
            kind @ (HostKind::Public | HostKind::Private) => Some(kind),
            _ => None,
        }
    }

    /// The lexical tier: whether some `http://`, `ws://` or encoded
    /// `http%3A%2F%2F` in the text could name a public host. The same test
    /// gates the parse and the check, so the rule finds the same whoever
    /// asked for Facts.
    fn may_fire(&self, input: &FileInput<'_>) -> bool {
        if !input.context.language.is_source() || input.context.is_type_declarations() || !input.keywords.any() {
            return false;
        }
        let text = input.text;
        let js = input.context.language.is_js_family();
        let hostname = self.keywords.iter().position(|k| k == "hostname");
        if js && hostname.is_some_and(|i| input.keywords.contains(i)) && self.http_import.is_match(text) {
            // `http.request({ hostname })` has no scheme in the text.
            return true;
        }
        let candidate = self.schemes.find_iter(text).any(|m| {
            matches!(
                self.host_kind(&text[m.end()..]),
                HostKind::Public | HostKind::Private | HostKind::Unseen
            ) && !in_comment(text, m.start())
        });
        // The words without which no sink the check knows is in the file.
        candidate && if js { &self.js_sinks } else { &self.rust_sinks }.is_match(text)
    }

    /// `sdkUri` and `redirectUris` entries of a Miro app manifest.
    fn check_manifest(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let path = &input.context.display_path;
        let name = path.rsplit('/').next().unwrap_or(path);
        if !matches!(name, "app-manifest.yaml" | "app-manifest.yml") || !input.keywords.any() {
            return;
        }
        let mut in_redirects: Option<usize> = None;
        for line in input.text.lines() {
            let body = strip_yaml_comment(line);
            let indent = body.len() - body.trim_start().len();
            let trimmed = body.trim_start();
            if trimmed.is_empty() {
                continue;
            }
            let mut values: Vec<(&str, &str)> = Vec::new();
            if let Some(item) = trimmed.strip_prefix('-').filter(|_| in_redirects.is_some()) {
                values.push((item.trim(), "redirectUris"));
            } else if let Some((key, value)) = trimmed.split_once(':') {
                in_redirects = None;
                match key.trim().trim_matches(['"', '\'']) {
                    "sdkUri" => values.push((value.trim(), "sdkUri")),
                    "redirectUris" if value.trim().is_empty() => in_redirects = Some(indent),
                    "redirectUris" => {
                        // An inline list: `redirectUris: [a, b]`.
                        for item in value.split(',') {
                            values.push((item.trim_matches(['[', ']', ' ']), "redirectUris"));
                        }
                    }
                    _ => {}
                }
            } else if in_redirects.is_some_and(|i| indent <= i) {
                in_redirects = None;
            }
            for (value, key) in values {
                let url = value.trim_matches(['"', '\'']);
                // `url` is a slice of the text: its offset is where it starts.
                let at = url.as_ptr() as usize - input.text.as_ptr() as usize;
                if !starts_with_plain_scheme(url) || self.reportable(url).is_none() {
                    continue;
                }
                let shown = display_url(url);
                let message = if key == "sdkUri" {
                    format!(
                        "`sdkUri` in the app manifest loads the app from `{shown}` over plain HTTP: {IMPACT}, and Miro's https page blocks it as mixed content; use https://"
                    )
                } else {
                    format!(
                        "`redirectUris` in the app manifest lists `{shown}` over plain HTTP: {REDIRECT_IMPACT}; use https://"
                    )
                };
                let severity = if input.context.is_test {
                    self.meta.severity.downgraded()
                } else {
                    self.meta.severity
                };
                findings.push(Finding::new(ID, severity, Span::new(at, at + url.len()), message));
            }
        }
    }
}

/// A place that requests a URL or uses it as a redirect URI.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Request,
    Redirect,
}

/// One source file being checked.
struct Cx<'a> {
    rule: &'a PlainHttpUrl,
    facts: &'a Facts,
    text: &'a str,
    flow: &'a Flow<'a>,
    rust: bool,
    test_file: bool,
    /// Local names that are a JS HTTP client module (`axios`, `fetch` from node-fetch) or the `http` module.
    clients: HashSet<&'a str>,
    http_modules: HashSet<&'a str>,
    /// Literals already reported.
    reported: HashSet<StrId>,
}

/// The literal that writes a URL's scheme, and the URL as far as the code spells it out.
struct Lead {
    lit: StrId,
    url: String,
}

impl<'a> Cx<'a> {
    /// The literals a URL value starts with, following bindings, fields,
    /// templates and conversions back from its use at `at` in `scope`.
    fn leads(&self, value: &'a Value, scope: ScopeId, at: usize, depth: usize) -> Vec<Lead> {
        let mut out = Vec::new();
        self.collect_leads(value, scope, at, depth, &mut out);
        out
    }

    fn collect_leads(&self, value: &'a Value, scope: ScopeId, at: usize, depth: usize, out: &mut Vec<Lead>) {
        if depth > MAX_DEPTH || out.len() > 16 {
            return;
        }
        match value {
            Value::Str(id) => {
                if let Some(lit) = self.facts.strings.get(*id as usize) {
                    out.push(Lead {
                        lit: *id,
                        url: lit.value.clone(),
                    });
                }
            }
            Value::Template(parts) => self.template_leads(parts, scope, at, depth, out),
            Value::Alternatives(values) => {
                for value in values {
                    self.collect_leads(value, scope, at, depth + 1, out);
                }
            }
            Value::Ident(name) => {
                if let Some(binding) = self
                    .flow
                    .resolve(name, scope, at)
                    .and_then(|id| self.facts.bindings.get(id as usize))
                    .filter(|b| b.kind != BindingKind::Parameter)
                {
                    self.collect_leads(&binding.value, binding.scope, binding.span.start, depth + 1, out);
                }
            }
            Value::Member(path) => {
                if let Some(value) = self.member_value(path, scope, at, depth) {
                    let (scope, at) = value.1;
                    self.collect_leads(value.0, scope, at, depth + 1, out);
                }
            }
            Value::Call(id) => {
                let Some(call) = self.facts.calls.get(*id as usize) else {
                    return;
                };
                let method = call.callee.last().map(String::as_str).unwrap_or("");
                if call.is_macro {
                    if matches!(method, "format" | "concat") {
                        // `format!` lowers to a template; its first argument is the format string.
                        if let Some(first) = call.args.first() {
                            self.collect_leads(first, scope, at, depth + 1, out);
                        }
                    }
                    return;
                }
                if method == "URL" && call.args.len() >= 2 {
                    // `new URL(path, base)`: an absolute first argument wins, else the base.
                    let first = self.leads(&call.args[0], scope, at, depth + 1);
                    if first.iter().any(|l| strip_scheme(&l.url).is_some()) {
                        out.extend(first);
                    } else {
                        self.collect_leads(&call.args[1], scope, at, depth + 1, out);
                    }
                    return;
                }
                if !URL_CONVERSIONS.contains(&method) && method != "URL" {
                    return;
                }
                if let Some(receiver) = call.receiver.as_deref() {
                    self.collect_leads(receiver, scope, at, depth + 1, out);
                } else if call.callee.len() > 1
                    && !starts_upper(&call.callee[call.callee.len() - 2])
                    && !self
                        .text
                        .get(call.callee_span.start..call.callee_span.end)
                        .is_some_and(|callee| callee.contains("::"))
                {
                    // `url.to_string()` lowered as a path: the receiver is the path before the method.
                    let receiver = &call.callee[..call.callee.len() - 1];
                    let value = match receiver {
                        [name] => self.flow.resolve(name, scope, at).and_then(|id| {
                            self.facts
                                .bindings
                                .get(id as usize)
                                .filter(|b| b.kind != BindingKind::Parameter)
                                .map(|b| (&b.value, (b.scope, b.span.start)))
                        }),
                        path => self.member_value(path, scope, at, depth),
                    };
                    if let Some((value, (scope, at))) = value {
                        self.collect_leads(value, scope, at, depth + 1, out);
                    }
                } else if let Some(first) = call.args.first() {
                    // `Url::parse(u)`, `Uri::from_static(u)`, `String::from(u)`, `URL(u)`.
                    self.collect_leads(first, scope, at, depth + 1, out);
                }
            }
            _ => {}
        }
    }

    /// A template starts with its first non-empty literal part; a part that
    /// is only the scheme takes its host from the value after it.
    fn template_leads(&self, parts: &'a [TemplatePart], scope: ScopeId, at: usize, depth: usize, out: &mut Vec<Lead>) {
        let mut parts = parts.iter();
        while let Some(part) = parts.next() {
            match part {
                TemplatePart::Str(id) => {
                    let Some(lit) = self.facts.strings.get(*id as usize) else {
                        return;
                    };
                    if lit.value.is_empty() {
                        continue;
                    }
                    let only_scheme = strip_scheme(&lit.value).is_some_and(|rest| host_of(rest).is_empty());
                    if only_scheme && let Some(TemplatePart::Expr(next)) = parts.next() {
                        let hosts = self.leads(next, scope, at, depth + 1);
                        if hosts.is_empty() {
                            // `http://${tenant}.partner.com`: an unseen label under a written domain.
                            if let Some(TemplatePart::Str(after)) = parts.next()
                                && let Some(after) = self.facts.strings.get(*after as usize)
                                && after.value.starts_with('.')
                            {
                                out.push(Lead {
                                    lit: *id,
                                    url: format!("{}*{}", lit.value, after.value),
                                });
                            }
                            return;
                        }
                        for host in hosts {
                            out.push(Lead {
                                lit: *id,
                                url: format!("{}{}", lit.value, host.url),
                            });
                        }
                        return;
                    }
                    out.push(Lead {
                        lit: *id,
                        url: lit.value.clone(),
                    });
                    return;
                }
                TemplatePart::Expr(value) => {
                    self.collect_leads(value, scope, at, depth + 1, out);
                    return;
                }
            }
        }
    }

    /// The value of `obj.field…` when `obj` is bound to an object literal
    /// in the file, with where it was bound.
    fn member_value(
        &self,
        path: &'a [String],
        scope: ScopeId,
        at: usize,
        depth: usize,
    ) -> Option<(&'a Value, (ScopeId, usize))> {
        let (first, fields) = path.split_first()?;
        let binding = self
            .flow
            .resolve(first, scope, at)
            .and_then(|id| self.facts.bindings.get(id as usize))
            .filter(|b| b.kind != BindingKind::Parameter)?;
        let mut value = &binding.value;
        let place = (binding.scope, binding.span.start);
        for field in fields {
            let mut steps = 0;
            // `const cfg = config` or `const cfg = { … } as const`: look through names.
            while let Value::Ident(name) = value {
                steps += 1;
                if steps > depth.max(1) + MAX_DEPTH {
                    return None;
                }
                value = &self
                    .flow
                    .resolve(name, place.0, place.1)
                    .and_then(|id| self.facts.bindings.get(id as usize))?
                    .value;
            }
            let Value::Object(ids) = value else {
                return None;
            };
            value = &ids
                .iter()
                .filter_map(|id| self.facts.bindings.get(*id as usize))
                .find(|b| b.name == *field)?
                .value;
        }
        Some((value, place))
    }

    /// The URL values a call requests, each with the config field it came from, if any.
    fn request_urls(&self, call: &'a Call) -> Vec<(&'a Value, Option<&'a str>)> {
        let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
        let method = callee.last().copied().unwrap_or("");
        let first = call.args.first();
        if self.rust {
            let client_crate = callee
                .first()
                .is_some_and(|c| RUST_CLIENT_CRATES.contains(c) || *c == "Client" || *c == "Request");
            return match method {
                "request" if call.args.len() >= 2 => call.args.get(1).map(|v| (v, None)).into_iter().collect(),
                m if RUST_METHODS.contains(&m) && call.args.len() == 1 => {
                    if callee.len() == 1 && call.receiver.is_none() && !matches!(m, "connect_async" | "get") {
                        // A free function `post(url)`: not a client call.
                        return Vec::new();
                    }
                    if callee.len() == 1 && call.receiver.is_none() && m == "get" && !client_crate {
                        return Vec::new();
                    }
                    first.map(|v| (v, None)).into_iter().collect()
                }
                _ => Vec::new(),
            };
        }
        if call.is_new && matches!(method, "WebSocket" | "EventSource") {
            return first.map(|v| (v, None)).into_iter().collect();
        }
        if method == "open" && call.args.len() >= 2 && self.is_http_method(&call.args[0]) {
            return call.args.get(1).map(|v| (v, None)).into_iter().collect();
        }
        let is_fetch = matches!(
            callee.as_slice(),
            ["fetch"] | ["window" | "globalThis" | "self", "fetch"]
        );
        let is_client_call = match callee.as_slice() {
            [name] => self.clients.contains(name),
            [name, m] => {
                (self.clients.contains(name) || self.is_client_instance(name, call)) && JS_CLIENT_METHODS.contains(m)
            }
            _ => false,
        };
        let is_http_module =
            matches!(callee.as_slice(), [module, "request" | "get"] if self.http_modules.contains(module));
        if !(is_fetch || is_client_call || is_http_module) {
            return Vec::new();
        }
        let Some(first) = first else {
            return Vec::new();
        };
        let mut urls = vec![(first, None)];
        // A config object, given directly or through a name.
        if let Some(fields) = self.object_fields(first, call.scope, call.span.start) {
            urls.extend(
                fields
                    .into_iter()
                    .filter(|b| URL_FIELDS.contains(&b.name.as_str()))
                    .map(|b| (&b.value, Some(b.name.as_str()))),
            );
        }
        urls
    }

    fn object_fields(&self, value: &'a Value, scope: ScopeId, at: usize) -> Option<Vec<&'a miroguard_ir::Binding>> {
        let value = match value {
            Value::Ident(name) => {
                &self
                    .flow
                    .resolve(name, scope, at)
                    .and_then(|id| self.facts.bindings.get(id as usize))?
                    .value
            }
            other => other,
        };
        let Value::Object(ids) = value else {
            return None;
        };
        Some(
            ids.iter()
                .filter_map(|id| self.facts.bindings.get(*id as usize))
                .collect(),
        )
    }

    /// Whether `name` holds a client made by a client module (`axios.create(…)`, `got.extend(…)`).
    fn is_client_instance(&self, name: &str, call: &Call) -> bool {
        let Some(binding) = self
            .flow
            .resolve(name, call.scope, call.span.start)
            .and_then(|id| self.facts.bindings.get(id as usize))
        else {
            return false;
        };
        let Value::Call(id) = &binding.value else {
            return false;
        };
        self.facts
            .calls
            .get(*id as usize)
            .and_then(|c| c.callee.first())
            .is_some_and(|c| self.clients.contains(c.as_str()))
    }

    fn is_http_method(&self, value: &Value) -> bool {
        self.facts.literal_values(value).iter().any(|lit| {
            matches!(
                lit.value.to_ascii_uppercase().as_str(),
                "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
            )
        })
    }

    /// How a finding names a call: its callee as written, when short.
    fn call_name(&self, call: &Call) -> String {
        let written = self
            .text
            .get(call.callee_span.start..call.callee_span.end)
            .unwrap_or("");
        // A method chain split over lines reads `client.post` once joined.
        let written: String = written.split_whitespace().collect();
        let name = if !written.is_empty() && written.len() <= 40 {
            written
        } else {
            match call.callee.as_slice() {
                [one] if call.receiver.is_some() => format!(".{one}"),
                path => path.last().cloned().unwrap_or_default(),
            }
        };
        if call.is_new { format!("new {name}") } else { name }
    }

    /// Reports each lead of `value` (used at `at` in `scope`) that names a public host.
    #[allow(clippy::too_many_arguments)]
    fn report_value(
        &mut self,
        value: &'a Value,
        scope: ScopeId,
        at: usize,
        what: &str,
        usage: Use,
        class_dependent: bool,
        findings: &mut Vec<Finding>,
    ) {
        let leads = self.leads(value, scope, at, 0);
        self.report_leads(leads, what, usage, class_dependent, findings);
    }

    fn report_leads(
        &mut self,
        leads: Vec<Lead>,
        what: &str,
        usage: Use,
        class_dependent: bool,
        findings: &mut Vec<Finding>,
    ) {
        for lead in leads {
            if !starts_with_plain_scheme(&lead.url) {
                continue;
            }
            let Some(kind) = self.rule.reportable(&lead.url) else {
                continue;
            };
            if !self.reported.insert(lead.lit) {
                continue;
            }
            let Some(lit) = self.facts.strings.get(lead.lit as usize) else {
                continue;
            };
            let shown = display_url(&lead.url);
            let secure = if lead.url.get(..2).is_some_and(|s| s.eq_ignore_ascii_case("ws")) {
                "wss://"
            } else {
                "https://"
            };
            let over = if secure == "wss://" {
                "unencrypted"
            } else {
                "over plain HTTP"
            };
            let message = match usage {
                Use::Request => format!("`{what}` requests `{shown}` {over}: {IMPACT}; use {secure}"),
                Use::Redirect => {
                    format!("{what} `{shown}` uses plain HTTP: {REDIRECT_IMPACT}; use https://")
                }
            };
            let severity = if kind == HostKind::Private {
                Severity::Warning
            } else {
                self.rule.meta.severity
            };
            self.push(findings, lit.span, severity, message, class_dependent);
        }
    }

    fn push(
        &self,
        findings: &mut Vec<Finding>,
        span: Span,
        severity: Severity,
        message: String,
        class_dependent: bool,
    ) {
        let severity = if self.test_file || self.facts.in_test_region(span) {
            severity.downgraded()
        } else {
            severity
        };
        let mut finding = Finding::new(ID, severity, span, message);
        if class_dependent {
            // In the browser an https page cannot load http:// at all (mixed
            // content): it breaks rather than leaks, so one level lower.
            finding = finding.depending_on_class(ClassDependence::except_browser(
                Some(severity),
                Some(severity.downgraded()),
            ));
        }
        findings.push(finding);
    }

    fn check(&mut self, findings: &mut Vec<Finding>) {
        let facts = self.facts;
        for call in &facts.calls {
            let urls = self.request_urls(call);
            if urls.is_empty() {
                continue;
            }
            let name = self.call_name(call);
            for (url, field) in urls {
                let what = match field {
                    Some(field) => format!("{name}({{ {field} }})"),
                    None => name.clone(),
                };
                self.report_value(
                    url,
                    call.scope,
                    call.span.start,
                    &what,
                    Use::Request,
                    !self.rust,
                    findings,
                );
            }
        }
        // `http.request({ hostname: 'api.partner.io', path: '/x' })`: the `http`
        // module speaks plain HTTP to whatever host it is given.
        for call in &facts.calls {
            if self.rust
                || !matches!(call.callee.as_slice(), [module, m] if self.http_modules.contains(module.as_str()) && matches!(m.as_str(), "request" | "get"))
            {
                continue;
            }
            let Some(fields) = call
                .args
                .first()
                .and_then(|first| self.object_fields(first, call.scope, call.span.start))
            else {
                continue;
            };
            let name = self.call_name(call);
            for field in fields
                .into_iter()
                .filter(|b| matches!(b.name.as_str(), "hostname" | "host"))
            {
                let leads = self
                    .leads(&field.value, call.scope, call.span.start, 0)
                    .into_iter()
                    .filter(|lead| !lead.url.contains("://"))
                    .map(|lead| Lead {
                        lit: lead.lit,
                        url: format!("http://{}", lead.url),
                    })
                    .collect();
                let what = format!("{name}({{ {} }})", field.name);
                self.report_leads(leads, &what, Use::Request, true, findings);
            }
        }
        for call in &facts.calls {
            if call.callee.len() == 2 && call.callee[0] == "RedirectUrl" && call.callee[1] == "new" {
                if let Some(first) = call.args.first() {
                    self.report_value(
                        first,
                        call.scope,
                        call.span.start,
                        "OAuth redirect URI",
                        Use::Redirect,
                        false,
                        findings,
                    );
                }
            }
        }
        for binding in &facts.bindings {
            if binding.kind == BindingKind::Parameter {
                continue;
            }
            let name = binding.name.as_str();
            if REDIRECT_NAMES.contains(&name) {
                let what = format!("OAuth redirect URI `{name}`:");
                self.report_value(
                    &binding.value,
                    binding.scope,
                    binding.span.start,
                    &what,
                    Use::Redirect,
                    false,
                    findings,
                );
            } else if matches!(name, "baseURL" | "prefixUrl")
                && binding.path.iter().any(|p| p == "defaults")
                && binding.kind == BindingKind::Assignment
            {
                let what = binding.path.join(".");
                self.report_value(
                    &binding.value,
                    binding.scope,
                    binding.span.start,
                    &what,
                    Use::Request,
                    true,
                    findings,
                );
            }
        }
        // `redirect_uri=http://…` written into an authorize URL or a token request body.
        for (id, lit) in facts.strings.iter().enumerate() {
            let lower = lit.value.to_ascii_lowercase();
            let Some(at) = lower.find("redirect_uri=").map(|at| at + "redirect_uri=".len()) else {
                continue;
            };
            let raw = &lit.value[at..];
            let url = if let Some(rest) = raw
                .get(..13)
                .filter(|p| p.eq_ignore_ascii_case("http%3a%2f%2f"))
                .and_then(|_| raw.get(13..))
            {
                format!("http://{}", rest.replace("%2F", "/").replace("%2f", "/"))
            } else {
                raw.to_string()
            };
            let url = url.split('&').next().unwrap_or("");
            if !starts_with_plain_scheme(url) || self.rule.reportable(url).is_none() {
                continue;
            }
            if !self.reported.insert(id as StrId) {
                continue;
            }
            let message = format!(
                "OAuth redirect URI `{}` uses plain HTTP: {REDIRECT_IMPACT}; use https://",
                display_url(url)
            );
            let span = lit.span_of(at..at + raw.split('&').next().unwrap_or("").len());
            self.push(findings, span, self.rule.meta.severity, message, false);
        }
        // `` `…&redirect_uri=${REDIRECT_URI}` ``, `format!("…&redirect_uri={}", REDIRECT_URI)`.
        let holders = facts
            .bindings
            .iter()
            .map(|b| (&b.value, b.scope, b.span.start))
            .chain(
                facts
                    .calls
                    .iter()
                    .flat_map(|c| c.args.iter().map(move |a| (a, c.scope, c.span.start))),
            )
            .chain(facts.returns.iter().map(|r| (&r.value, r.scope, r.span.start)));
        for (value, scope, at) in holders {
            self.redirect_in_template(value, scope, at, 0, findings);
        }
    }

    fn redirect_in_template(
        &mut self,
        value: &'a Value,
        scope: ScopeId,
        at: usize,
        depth: usize,
        findings: &mut Vec<Finding>,
    ) {
        if depth > 4 {
            return;
        }
        match value {
            Value::Template(parts) => {
                for pair in parts.windows(2) {
                    let [TemplatePart::Str(id), TemplatePart::Expr(next)] = pair else {
                        continue;
                    };
                    let ends_with_key = self.facts.strings.get(*id as usize).is_some_and(|lit| {
                        lit.value
                            .get(lit.value.len().saturating_sub("redirect_uri=".len())..)
                            .is_some_and(|tail| tail.eq_ignore_ascii_case("redirect_uri="))
                    });
                    if ends_with_key {
                        self.report_value(next, scope, at, "OAuth redirect URI", Use::Redirect, false, findings);
                    }
                }
            }
            Value::Alternatives(values) | Value::Array(values) => {
                for value in values {
                    self.redirect_in_template(value, scope, at, depth + 1, findings);
                }
            }
            _ => {}
        }
    }
}

/// Whether offset `at` of `text` cannot be in a string literal, as far as
/// its line tells: no quote opens before it on the line (license headers
/// and other block comments), a `//` that is not a URL's comes before it,
/// or the line starts a block comment or continues one with `*`. A URL
/// literal split over lines (a multi-line template) is not seen here; the
/// lexical tier accepts that to skip the many files whose only `http://`
/// is in a header comment.
fn in_comment(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..at];
    let trimmed = prefix.trim_start();
    if trimmed.starts_with('*') || trimmed.starts_with("/*") || !prefix.contains(['"', '\'', '`']) {
        return true;
    }
    prefix
        .match_indices("//")
        .any(|(i, _)| i == 0 || prefix.as_bytes()[i - 1] != b':')
}

/// The URL after `http://` or `ws://` (any case), if it starts with one.
fn strip_scheme(url: &str) -> Option<&str> {
    ["http://", "ws://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|s| s.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    })
}

fn starts_with_plain_scheme(url: &str) -> bool {
    strip_scheme(url).is_some()
}

/// The host at the start of `rest` (a URL after its scheme), without
/// userinfo or port; empty when the code does not spell it out.
fn host_of(rest: &str) -> &str {
    let end = rest
        .find(|c: char| matches!(c, '/' | '?' | '#' | '\\') || !is_url_char(c))
        .unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if host.starts_with('[') {
        return host.find(']').map_or(host, |close| &host[..=close]);
    }
    host.split(':').next().unwrap_or("")
}

/// Characters an authority can hold as written in source (placeholders and quotes end it).
fn is_url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '@' | '[' | ']' | '%' | '~' | '+' | '!' | '*')
}

fn ipv4(host: &str) -> Option<[u8; 4]> {
    let mut octets = [0u8; 4];
    let mut parts = host.split('.');
    for octet in &mut octets {
        *octet = parts.next()?.parse().ok()?;
    }
    parts.next().is_none().then_some(octets)
}

fn starts_upper(segment: &str) -> bool {
    segment.starts_with(|c: char| c.is_ascii_uppercase())
}

/// A URL as a finding shows it: no userinfo, no query string or fragment
/// (they may carry credentials), and a long path cut short.
fn display_url(url: &str) -> String {
    let Some(rest) = strip_scheme(url) else {
        return String::new();
    };
    let scheme = &url[..url.len() - rest.len()];
    let end = rest
        .find(|c: char| matches!(c, '/' | '?' | '#') || !is_url_char(c))
        .unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let after = &rest[end..];
    let path_end = after
        .find(|c: char| matches!(c, '?' | '#') || c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '$' | '{'))
        .unwrap_or(after.len());
    let mut path: String = after[..path_end].chars().take(40).collect();
    if path.len() < after.len() {
        path.push('…');
    }
    format!("{}{host}{path}", scheme.to_ascii_lowercase())
}

/// A YAML line without its `# comment` (a `#` after whitespace, outside quotes).
fn strip_yaml_comment(line: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => return &line[..at],
            _ => {}
        }
        previous = c;
    }
    line
}

impl Rule for PlainHttpUrl {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        self.may_fire(input)
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        if input.context.language == Language::Text {
            self.check_manifest(input, findings);
            return;
        }
        let Some(facts) = input.facts else {
            return;
        };
        if !self.may_fire(input) {
            return;
        }
        let rust = input.context.language == Language::Rust;
        let mut clients = HashSet::new();
        let mut http_modules = HashSet::new();
        if !rust {
            for import in &facts.imports {
                let source = crate::syntax::normalize_module(&import.source);
                let set = if source == "http" {
                    &mut http_modules
                } else if JS_CLIENT_MODULES.contains(&source) {
                    &mut clients
                } else {
                    continue;
                };
                set.insert(source);
                for name in &import.names {
                    set.insert(name.local.as_str());
                }
            }
            for binding in &facts.bindings {
                // `const http = require('http')` when the import record does not name the local.
                if let Some(module) = crate::syntax::required_module(facts, &binding.value) {
                    if module == "http" {
                        http_modules.insert(binding.name.as_str());
                    } else if JS_CLIENT_MODULES.contains(&module) {
                        clients.insert(binding.name.as_str());
                    }
                }
            }
            if facts.imports.is_empty() {
                // A browser script without imports: `axios` is a global from a script tag.
                clients.insert("axios");
            }
        }
        let mut cx = Cx {
            rule: self,
            facts,
            text: input.text,
            flow: input.memo.flow(facts, input.text),
            rust,
            test_file: input.context.is_test,
            clients,
            http_modules,
            reported: HashSet::new(),
        };
        cx.check(findings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered::{check, check_sorted, needs_facts};

    fn rule() -> PlainHttpUrl {
        PlainHttpUrl::new().expect("rule loads")
    }

    fn lines(path: &str, source: &str) -> Vec<(usize, Severity)> {
        check_sorted(&rule(), path, source)
            .into_iter()
            .map(|(l, s, _)| (l, s))
            .collect()
    }

    #[test]
    fn every_redirect_name_passes_the_lexical_gate() {
        for name in REDIRECT_NAMES {
            let lower = name.to_ascii_lowercase();
            assert!(JS_SINK_WORDS.iter().any(|w| lower.contains(w)), "{name}");
            assert!(RUST_SINK_WORDS.iter().any(|w| lower.contains(w)), "{name}");
        }
    }

    #[test]
    fn plain_http_hosts_are_told_apart() {
        let rule = rule();
        assert_eq!(rule.host_kind("api.partner.io/x"), HostKind::Public);
        assert_eq!(rule.host_kind("user:pw@api.partner.io:8080/x"), HostKind::Public);
        assert_eq!(rule.host_kind("localhost:3000"), HostKind::Local);
        assert_eq!(rule.host_kind("127.0.0.1:8080"), HostKind::Local);
        assert_eq!(rule.host_kind("127.1.2.3"), HostKind::Local);
        assert_eq!(rule.host_kind("[::1]:80"), HostKind::Local);
        assert_eq!(rule.host_kind("0.0.0.0:80"), HostKind::Local);
        assert_eq!(rule.host_kind("app.localhost"), HostKind::Local);
        assert_eq!(rule.host_kind("myapp.test/cb"), HostKind::Local);
        assert_eq!(rule.host_kind("printer.local"), HostKind::Local);
        assert_eq!(rule.host_kind("host.docker.internal:4000"), HostKind::Local);
        assert_eq!(rule.host_kind("redis:6379"), HostKind::Local);
        assert_eq!(rule.host_kind("169.254.169.254/latest"), HostKind::Local);
        assert_eq!(rule.host_kind("10.0.0.5/x"), HostKind::Private);
        assert_eq!(rule.host_kind("172.20.0.5"), HostKind::Private);
        assert_eq!(rule.host_kind("172.32.0.5"), HostKind::Public);
        assert_eq!(rule.host_kind("www.w3.org/2000/svg"), HostKind::Namespace);
        assert_eq!(rule.host_kind("example.com/42"), HostKind::Local);
        assert_eq!(rule.host_kind("api.example.org"), HostKind::Local);
        assert_eq!(rule.host_kind("${host}/x"), HostKind::Unseen);
        assert_eq!(rule.host_kind("{}/x"), HostKind::Unseen);
        assert_eq!(rule.host_kind(""), HostKind::Unseen);
    }

    #[test]
    fn plain_http_display_drops_userinfo_and_query() {
        assert_eq!(
            display_url("http://bob:hunter2@api.partner.io/v1?token=abc"),
            "http://api.partner.io/v1…"
        );
        assert_eq!(display_url("WS://feed.partner.io"), "ws://feed.partner.io");
    }

    #[test]
    fn plain_http_js_network_calls() {
        let source = r#"
import axios from 'axios';
const BASE = 'http://api.partner.io';
const LOCAL = 'http://localhost:3000';
export async function load(id) {
  await fetch(`${BASE}/boards/${id}`);
  await fetch(LOCAL + '/x');
  await fetch('https://api.partner.io/x');
  await axios.get('http://billing.partner.io/v1');
  const api = axios.create({ baseURL: 'http://crm.partner.io' });
  await api.get('/users');
  const ws = new WebSocket('ws://feed.partner.io/live');
  const u = 'http://' + process.env.HOST + '/x';
  await fetch(u);
  console.log('http://printed.partner.io');
  if (location.href === 'http://compared.partner.io') {}
}
"#;
        assert_eq!(
            lines("src/server.ts", source),
            [
                (3, Severity::Error),
                (9, Severity::Error),
                (10, Severity::Error),
                (12, Severity::Error)
            ]
        );
        let messages = check(&rule(), "src/server.ts", source);
        assert!(
            messages[0]
                .2
                .starts_with("`fetch` requests `http://api.partner.io` over plain HTTP"),
            "{}",
            messages[0].2
        );
        assert!(messages[3].2.contains("use wss://"), "{}", messages[3].2);
    }

    #[test]
    fn plain_http_js_redirect_uris_and_xhr() {
        let source = r#"
const config = { clientId: 'x', redirectUri: 'http://myapp.io/callback' };
const authorize = 'https://miro.com/oauth/authorize?response_type=code&redirect_uri=http%3A%2F%2Fmyapp.io%2Fcb&client_id=1';
const xhr = new XMLHttpRequest();
xhr.open('GET', 'http://data.partner.io/a.json');
const dev = { redirectUri: 'http://localhost:3000/callback' };
"#;
        assert_eq!(
            lines("src/auth.js", source),
            [(2, Severity::Error), (3, Severity::Error), (5, Severity::Error)]
        );
    }

    #[test]
    fn plain_http_rust_clients() {
        let source = r#"
use reqwest::Client;
const STATUS: &str = "http://status.partner.io/health";
async fn run(client: &Client, host: &str) -> Result<(), reqwest::Error> {
    reqwest::get(STATUS).await?;
    client.post("http://api.partner.io/v1").send().await?;
    let url = format!("http://{}/x", host);
    client.get(url).send().await?;
    client.get("http://localhost:8080/x").send().await?;
    let parsed = url::Url::parse("http://parsed.partner.io/y").unwrap();
    client.get(parsed).send().await?;
    tracing::info!("see http://docs.partner.io");
    Ok(())
}
"#;
        assert_eq!(
            lines("src/main.rs", source),
            [(3, Severity::Error), (6, Severity::Error), (10, Severity::Error)]
        );
    }

    #[test]
    fn plain_http_more_clients_and_redirects() {
        let rust = r#"
use hyper::Request;
fn build() -> Request<()> {
    Request::builder().uri("http://hyper.partner.io/x").body(()).unwrap()
}
async fn s() { surf::get("http://surf.partner.io/y").await.unwrap(); }
"#;
        assert_eq!(lines("src/lib.rs", rust), [(4, Severity::Error), (6, Severity::Error)]);
        let js = r#"
const http = require('http');
const REDIRECT_URI = 'http://myapp.io/cb';
const login = (s) => `https://miro.com/oauth/authorize?redirect_uri=${encodeURIComponent(REDIRECT_URI)}&state=${s}`;
http.request({ hostname: 'legacy.partner.io', path: '/x', method: 'POST' });
http.request({ hostname: 'localhost', port: 4000 });
const NEXT = 'http://myapp.io/after';
const back = `https://miro.com/x?return_to=${NEXT}`;
"#;
        assert_eq!(lines("src/server.js", js), [(3, Severity::Error), (5, Severity::Error)]);
    }

    #[test]
    fn plain_http_test_code_is_downgraded() {
        let source = "export const f = () => fetch('http://api.partner.io/x');\n";
        assert_eq!(lines("src/__tests__/api.test.ts", source), [(1, Severity::Warning)]);
    }

    #[test]
    fn plain_http_lexical_tier_skips_local_and_namespace_urls() {
        let rule = rule();
        let local = "fetch('http://localhost:3000/x'); const ns = 'http://www.w3.org/2000/svg';\n";
        assert!(!needs_facts(&rule, "src/a.ts", local));
        assert!(needs_facts(&rule, "src/a.ts", "fetch('http://api.partner.io/x');\n"));
        assert!(needs_facts(&rule, "src/a.ts", "fetch(`http://${host}/x`);\n"));
        assert!(!needs_facts(&rule, "src/a.ts", "fetch('https://api.partner.io/x');\n"));
        let commented = "// see http://api.partner.io/docs\n/**\n * http://www.apache.org/licenses\n */\nfetch(x); // http://a.partner.io\n";
        assert!(!needs_facts(&rule, "src/a.ts", commented));
        assert!(needs_facts(
            &rule,
            "src/a.ts",
            "fetch(['https://a.io', 'http://b.partner.io'][i]);\n"
        ));
        assert!(!needs_facts(
            &rule,
            "src/a.ts",
            "const home = 'http://www.partner.io';\n"
        ));
        assert!(!needs_facts(
            &rule,
            "src/a.rs",
            "/// reqwest::get(\"http://httpbin.org/get\")\nfn f() {}\n"
        ));
    }

    #[test]
    fn plain_http_manifest_entries() {
        let manifest = "appName: Demo\nsdkUri: http://myapp.io/panel # dev\nredirectUris:\n  - https://myapp.io/cb\n  - \"http://myapp.io/cb\"\n  - http://localhost:3000/cb\nscopes:\n  - boards:read\n# sdkUri: http://old.myapp.io\nredirectUris: [http://localhost:3000/cb, 'http://inline.myapp.io/cb']\n";
        let context = miroguard_core::FileContext::from_display_path("app-manifest.yaml");
        let hits = [true, false, false];
        let memo = crate::FileMemo::default();
        let input = FileInput {
            context: &context,
            text: manifest,
            keywords: crate::KeywordHits::new(&hits),
            facts: None,
            parse_failed: false,
            memo: &memo,
        };
        let mut findings = Vec::new();
        rule().check(&input, &mut findings);
        let found: Vec<usize> = findings
            .iter()
            .map(|f| crate::syntax::line_of(manifest, f.span.start))
            .collect();
        assert_eq!(found, [2, 5, 10]);
        assert_eq!(
            &manifest[findings[1].span.start..findings[1].span.end],
            "http://myapp.io/cb"
        );
    }
}
