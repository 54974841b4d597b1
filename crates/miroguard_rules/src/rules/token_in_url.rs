//! `token-in-url` (C-LEAK-2): a token, password, client secret, session id
//! or API key put in the query string of a URL that is requested or
//! redirected to, and route handlers that read such secrets from the query
//! string.
//!
//! The rule starts from the places a URL leaves the code — outbound requests
//! and redirects — and walks the URL back through variables, templates,
//! concatenation, `URLSearchParams`, `url.searchParams.set(…)`, request
//! options and small helper functions, keeping track of whether each value
//! lands in the path, the query string or the fragment. A value in the query
//! string is a finding when the run-time secret layer ([`crate::leak`]) says
//! it is made from a secret and its parameter is not one that belongs in URLs
//! (OAuth's `code` and `state`, `client_id`).

use crate::leak::{LeakContext, LeakSource, Leaks, Purpose};
use crate::syntax::{floor_char_boundary, given_on, is_ident_byte, line_of};
use crate::{FileInput, Rule};
use miroguard_core::{Finding, FlowStep, Language, RuleMeta, Severity, Span};
use miroguard_ir::flow::Flow;
use miroguard_ir::names::split_words;
use miroguard_ir::sensitive::{SensitiveKind, sensitivity};
use miroguard_ir::{BindingId, BindingKind, Call, Facts, ScopeId, ScopeKind, TemplatePart, Value};
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::HashSet;

/// The rule's id.
pub const ID: &str = "token-in-url";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/token-in-url.toml"));

/// Words of the calls and assignments a URL leaves the code through (the
/// first keyword group): without one, no URL is requested or opened.
const SINK_KEYWORDS: &[&str] = &[
    "fetch",
    "axios",
    "got",
    "request",
    "http",
    "superagent",
    "redirect",
    "location",
    "reqwest",
    "ureq",
    "uri",
    "get(",
    "post(",
    "put(",
    "patch(",
    "delete(",
    "head(",
    "open(",
    "websocket",
    "eventsource",
    "sendbeacon",
    "ajax",
    "ky(",
    "needle",
    "phin",
    "wretch",
];

/// Words of reading the query string (the second group).
const QUERY_KEYWORDS: &[&str] = &["query", "searchparams"];

/// Where the lexical tier looks for parameters given to a query string by
/// an API rather than written into a URL. Matched as written: a
/// case-sensitive automaton can skip through a file with SIMD, which an
/// ASCII-case-insensitive one cannot, and this pass reads whole files.
const JS_PARAMETER_APIS: &[&str] = &[
    "searchParams",
    "SearchParams",
    ".query(",
    "params:",
    "qs:",
    "qs.stringify(",
    "querystring.stringify(",
    ".search =",
    ".hash =",
];
const RUST_PARAMETER_APIS: &[&str] = &[".query(", "parse_with_params(", "set_query("];

/// How many bytes of a parameter API's object or argument list the lexical tier reads.
const API_WINDOW: usize = 300;

/// How many bytes after `name=` the lexical tier reads for the value.
const VALUE_WINDOW: usize = 120;

/// How far before a use the lexical tier looks for where a name got its value.
const EARLIER_WINDOW: usize = 1500;

/// How deep URLs are followed through bindings, calls and helper functions.
const MAX_DEPTH: usize = 10;

/// Methods of HTTP clients whose first argument is the URL.
const REQUEST_METHODS: &[&str] = &["get", "delete", "head", "options", "getJSON", "post", "put", "patch"];

/// Functions that request the URL (or config object) they are given.
const REQUEST_FUNCTIONS: &[&str] = &[
    "fetch",
    "axios",
    "got",
    "ky",
    "request",
    "superagent",
    "ofetch",
    "$fetch",
    "ajax",
    "phin",
    "wretch",
];

/// Objects whose `query`/`queryStringParameters` are a request's query string.
const REQUEST_OBJECTS: &[&str] = &["req", "request", "ctx", "context", "event", "incoming", "r"];

/// Function names of server-side request handlers (Next.js route handlers, Remix loaders and actions).
const HANDLER_NAMES: &[&str] = &[
    "GET",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "HEAD",
    "OPTIONS",
    "handler",
    "middleware",
    "loader",
    "action",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    public_parameters: Vec<String>,
    not_credential_words: Vec<String>,
}

/// The rule.
pub struct TokenInUrl {
    meta: RuleMeta,
    keywords: Vec<String>,
    public_parameters: Vec<String>,
    not_credential_words: Vec<String>,
    js_apis: aho_corasick::AhoCorasick,
    rust_apis: aho_corasick::AhoCorasick,
}

/// Where a URL goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SinkKind {
    /// An outbound request: the URL reaches the logs of the server and of every proxy on the way.
    Request,
    /// A redirect or navigation: the URL reaches browser history, logs and `Referer` headers.
    Redirect,
    /// A browser `WebSocket` or `EventSource`, which cannot send headers:
    /// the URL reaches the server's logs, and a token there is a warning.
    Stream,
}

/// A place a URL leaves the code.
struct Sink<'f> {
    kind: SinkKind,
    /// How the message names it: "`res.redirect`".
    name: String,
    /// The finding's primary span: the callee, or the assignment's target.
    span: Span,
    /// Values used as whole URLs.
    urls: Vec<&'f Value>,
    /// Values used as query parameters (objects, pairs, `URLSearchParams`).
    params: Vec<&'f Value>,
    scope: ScopeId,
    at: usize,
    around: Span,
}

/// Which part of a URL a value is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Path,
    Query,
    Fragment,
}

/// A secret found in a URL.
struct Placed {
    source: LeakSource,
    /// The query parameter it is the value of, when known.
    param: Option<String>,
    /// [`Part::Query`] or [`Part::Fragment`].
    part: Part,
    /// The steps after the source's own: where it is put in the URL, and
    /// the variables the URL passes through.
    steps: Vec<FlowStep>,
}

/// Walks URLs and query parameters back from a sink.
struct Walker<'a, 'f> {
    rule: &'a TokenInUrl,
    flow: &'a Flow<'f>,
    facts: &'f Facts,
    leaks: Leaks<'a, 'f>,
    /// Bindings being followed, against cycles.
    visiting: RefCell<HashSet<BindingId>>,
}

impl TokenInUrl {
    /// Loads the rule from its embedded TOML.
    pub fn new() -> Result<TokenInUrl, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        let automaton = |needles: &[&str]| {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(needles)
                .map_err(|e| e.to_string())
        };
        Ok(TokenInUrl {
            meta: file.rule,
            keywords: SINK_KEYWORDS
                .iter()
                .chain(QUERY_KEYWORDS)
                .chain(crate::leak::SECRET_WORDS)
                .map(|k| k.to_string())
                .collect(),
            public_parameters: file.public_parameters,
            not_credential_words: file.not_credential_words,
            js_apis: automaton(JS_PARAMETER_APIS)?,
            rust_apis: automaton(RUST_PARAMETER_APIS)?,
        })
    }

    /// Whether a query parameter belongs in URLs (OAuth's `code`, `client_id`).
    fn is_public(&self, param: &str) -> bool {
        self.public_parameters.iter().any(|p| p == param)
    }

    /// Whether a name's words say it is a cursor, a CSRF token or another
    /// token-named thing that is not a credential.
    fn is_not_credential(&self, name: &str) -> bool {
        split_words(name)
            .iter()
            .any(|w| self.not_credential_words.iter().any(|n| n == w))
    }

    /// The kind of secret a query parameter's name says its value is.
    fn secret_param(&self, name: &str) -> Option<SensitiveKind> {
        if self.is_public(name) || self.is_not_credential(name) {
            return None;
        }
        if matches!(name, "jwt" | "JWT") {
            return Some(SensitiveKind::Token);
        }
        let sensitive = sensitivity(name)?;
        let leaks = matches!(
            sensitive.kind,
            SensitiveKind::Password | SensitiveKind::Secret | SensitiveKind::Token | SensitiveKind::Session
        );
        (leaks && !sensitive.weak && !sensitive.hashed).then_some(sensitive.kind)
    }

    /// Whether the file may put a secret in a URL's query string (the lexical tier of the first check).
    fn may_place_secret(&self, text: &str, rust: bool) -> bool {
        let bytes = text.as_bytes();
        // `?name=`, `&name=`, `#name=`, `"name=` followed by an interpolated value.
        let delimiters =
            memchr::memchr3_iter(b'?', b'&', b'#', bytes).chain(memchr::memchr3_iter(b'"', b'\'', b'`', bytes));
        for at in delimiters {
            let start = at + 1;
            let mut end = start;
            while end < bytes.len()
                && end - start < 48
                && (is_ident_byte(bytes[end]) || matches!(bytes[end], b'-' | b'.'))
            {
                end += 1;
            }
            if end == start || bytes.get(end) != Some(&b'=') || bytes.get(end + 1) == Some(&b'=') {
                continue;
            }
            // The value is interpolated: `${t}`, `{}` or `{t}`, or a string that ends for a `+`.
            if !matches!(bytes.get(end + 1), Some(b'$' | b'{' | b'"' | b'\'' | b'`')) {
                continue;
            }
            let name = &text[start..end];
            if self.is_public(name) || self.is_not_credential(name) {
                continue;
            }
            if self.secret_param(name).is_some() {
                return true;
            }
            let value_end = floor_char_boundary(text, (end + 1 + VALUE_WINDOW).min(text.len()));
            let value = &text[end + 1..value_end];
            let value = value.split(['&', '#', ';', '\n']).next().unwrap_or("");
            if self.window_mentions_secret(text, value, at, 2) {
                return true;
            }
        }
        // Parameters given by an API: `URLSearchParams`, `params:`, `.query(…)`.
        let apis = if rust { &self.rust_apis } else { &self.js_apis };
        for found in apis.find_iter(text) {
            let window = api_window(text, found.end());
            if self.window_mentions_secret(text, window, found.start(), 1) {
                return true;
            }
        }
        // `params.append("token", t)`, `url.searchParams.set("access_token", t)`, `append_pair("token", t)`.
        for method in [".append(", ".set(", "append_pair("] {
            for at in memchr::memmem::find_iter(bytes, method.as_bytes()) {
                let rest = text[at + method.len()..].trim_start();
                let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) else {
                    continue;
                };
                let name = rest[1..].split(quote).next().unwrap_or("");
                if self.secret_param(name).is_some() && !is_header_name(name) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether the identifiers in `window` (which starts after offset
    /// `before`) name a secret, or were given a value that does within
    /// `hops` steps back.
    fn window_mentions_secret(&self, text: &str, window: &str, before: usize, hops: usize) -> bool {
        let mut names = Vec::new();
        for word in identifiers(window) {
            if self.secret_word(word) {
                return true;
            }
            if !names.contains(&word) {
                names.push(word);
            }
        }
        if hops == 0 {
            return false;
        }
        let earlier_start = floor_char_boundary(text, before.saturating_sub(EARLIER_WINDOW));
        let earlier = &text[earlier_start..before.min(text.len())];
        for name in names.iter().take(16) {
            for (offset, line) in line_offsets(earlier) {
                if given_on(line, name) && self.window_mentions_secret(text, line, earlier_start + offset, hops - 1) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether an identifier names a secret or a request's credentials.
    fn secret_word(&self, word: &str) -> bool {
        matches!(word, "cookies" | "session" | "sessionID") || self.secret_param(word).is_some()
    }

    /// Whether the file may read a secret from a request's query string (the lexical tier of the second check).
    fn may_read_secret(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        for at in memchr::memmem::find_iter(bytes, b"query") {
            if at == 0 || bytes[at - 1] != b'.' {
                continue;
            }
            let mut end = at + "query".len();
            if text[end..].starts_with("StringParameters") {
                end += "StringParameters".len();
            }
            // `.query.name`, `.query?.name`, `.query["name"]`, `.query("name")`.
            let rest = text[end..].trim_start_matches(['.', '?', '[', '(', '"', '\'', '`']);
            let name: String = rest.bytes().take_while(|b| is_ident_byte(*b)).map(char::from).collect();
            if self.secret_param(&name).is_some() {
                return true;
            }
            // `const { access_token } = req.query`.
            let before = text[..at].trim_end_matches(|c: char| is_ident_byte(c as u8) || c == '.');
            if let Some(pattern) = before.trim_end().strip_suffix('=') {
                let pattern = pattern.trim_end();
                if let Some(inner) = pattern.strip_suffix('}') {
                    let open = inner.rfind('{').unwrap_or(0);
                    if inner.len() - open < 400 && identifiers(&inner[open..]).any(|w| self.secret_param(w).is_some()) {
                        return true;
                    }
                }
            }
        }
        for at in memchr::memmem::find_iter(bytes, b"searchParams.get(") {
            let rest = text[at + "searchParams.get(".len()..].trim_start();
            let name = rest.trim_start_matches(['"', '\'', '`']);
            let name: String = name
                .bytes()
                .take_while(|b| *b != b'"' && *b != b'\'' && *b != b'`')
                .take(48)
                .map(char::from)
                .collect();
            if self.secret_param(&name).is_some() {
                return true;
            }
        }
        false
    }

    /// The sink `call` is, if it requests or opens a URL.
    fn sink_of_call<'f>(&self, facts: &'f Facts, call: &'f Call, text: &str, rust: bool) -> Option<Sink<'f>> {
        let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
        let method = *callee.last()?;
        let args = &call.args;
        let shown = callee_name(call, text, rust);
        let mut sink = Sink {
            kind: SinkKind::Request,
            name: shown,
            span: call.callee_span,
            urls: Vec::new(),
            params: Vec::new(),
            scope: call.scope,
            at: call.span.start,
            around: call.span,
        };
        // `client.get(url).query(&[("api_key", key)])`, `superagent.get(url).query({ api_key })`.
        if method == "query" && call.receiver.is_some() {
            let request = request_in_chain(facts, call.receiver.as_deref(), rust)?;
            sink.name = callee_name(request, text, rust);
            sink.span = last_occurrence(text, call.callee_span, "query");
            sink.params.extend(args.first());
            return Some(sink);
        }
        if let Some(url) = location_header(facts, call) {
            sink.name = format!("{}(Location)", sink.name);
            sink.kind = SinkKind::Redirect;
            sink.urls.push(url);
            return Some(sink);
        }
        if rust {
            match callee.as_slice() {
                ["Redirect", "to" | "temporary" | "permanent" | "see_other"] => {
                    sink.kind = SinkKind::Redirect;
                    sink.urls.extend(args.first());
                }
                [.., "request"] if args.len() >= 2 => sink.urls.push(&args[1]),
                [.., "uri"] if call.receiver.is_some() || callee.len() > 1 => sink.urls.extend(args.first()),
                [.., m] if REQUEST_METHODS.contains(m) && (call.receiver.is_some() || callee.len() > 1) => {
                    sink.urls.extend(args.first());
                }
                _ => return None,
            }
            return Some(sink);
        }
        match callee.as_slice() {
            [.., "redirect"] => {
                sink.kind = SinkKind::Redirect;
                sink.urls.extend(args.iter().filter(|a| !matches!(a, Value::Number(_))));
            }
            [.., "location", "assign" | "replace"] => {
                sink.kind = SinkKind::Redirect;
                sink.urls.extend(args.first());
            }
            ["window" | "self" | "top", "open"] | ["open"] if call.receiver.is_none() => {
                sink.kind = SinkKind::Redirect;
                sink.urls.extend(args.first());
            }
            [.., "open"] if args.len() >= 2 && is_http_method(facts, &args[0]) => sink.urls.push(&args[1]),
            ["needle"] if args.len() >= 2 => sink.urls.push(&args[1]),
            [.., "sendBeacon"] => sink.urls.extend(args.first()),
            ["Request"] if call.is_new => sink.urls.extend(args.first()),
            ["WebSocket" | "EventSource"] if call.is_new => {
                sink.kind = SinkKind::Stream;
                sink.urls.extend(args.first());
            }
            [f] if REQUEST_FUNCTIONS.contains(f) => self.request_arguments(facts, args, &mut sink),
            [.., "request" | "ajax" | "fetch"] => self.request_arguments(facts, args, &mut sink),
            [.., m] if REQUEST_METHODS.contains(m) && (call.receiver.is_some() || callee.len() > 1) => {
                self.request_arguments(facts, args, &mut sink);
            }
            _ => return None,
        }
        Some(sink)
    }

    /// A request function's arguments: a URL or a config object first, then options.
    fn request_arguments<'f>(&self, facts: &'f Facts, args: &'f [Value], sink: &mut Sink<'f>) {
        let Some((first, rest)) = args.split_first() else {
            return;
        };
        match first {
            Value::Object(fields) => options(facts, fields, true, sink),
            url => sink.urls.push(url),
        }
        for arg in rest {
            if let Value::Object(fields) = arg {
                options(facts, fields, false, sink);
            }
        }
    }

    /// The sink an assignment is: `window.location.href = url`, `location = url`.
    fn sink_of_binding<'f>(&self, binding: &'f miroguard_ir::Binding) -> Option<Sink<'f>> {
        if binding.kind != BindingKind::Assignment {
            return None;
        }
        let path: Vec<&str> = binding.path.iter().map(String::as_str).collect();
        let navigates = matches!(path.as_slice(), [_, .., "location"] | [.., "location", "href"]);
        if !navigates {
            return None;
        }
        Some(Sink {
            kind: SinkKind::Redirect,
            name: path.join("."),
            span: Span::new(binding.span.start, binding.name_span.end.max(binding.span.start)),
            urls: vec![&binding.value],
            params: Vec::new(),
            scope: binding.scope,
            at: binding.span.start,
            around: binding.span,
        })
    }

    /// Reports secrets put in URLs that reach a sink.
    fn check_urls(&self, input: &FileInput<'_>, facts: &Facts, flow: &Flow<'_>, findings: &mut Vec<Finding>) {
        let rust = input.context.language == Language::Rust;
        let context = LeakContext {
            // In a URL's query string, a bare `token` is a credential.
            auth: true,
            ..input.memo.leak_context(facts, input.text)
        };
        let walker = Walker {
            rule: self,
            flow,
            facts,
            leaks: Leaks::new(flow, context, Purpose::Url),
            visiting: RefCell::new(HashSet::new()),
        };
        let sinks = facts
            .calls
            .iter()
            .filter_map(|call| self.sink_of_call(facts, call, input.text, rust))
            .chain(facts.bindings.iter().filter_map(|b| self.sink_of_binding(b)));
        for sink in sinks {
            if facts.in_test_region(sink.around) {
                continue;
            }
            let mut placed = Vec::new();
            for url in &sink.urls {
                walker.url(url, sink.scope, sink.at, sink.around, 0, &mut placed);
            }
            for params in &sink.params {
                walker.params(params, Part::Query, sink.scope, sink.at, sink.around, 0, &mut placed);
            }
            let best = placed.iter().position(|p| p.part == Part::Query).or_else(|| {
                (sink.kind == SinkKind::Redirect)
                    .then(|| placed.iter().position(|p| p.part == Part::Fragment))
                    .flatten()
            });
            if let Some(index) = best {
                let placed = placed.swap_remove(index);
                let token_endpoint = sink.kind == SinkKind::Request && is_token_endpoint(flow, &sink, input.text);
                findings.push(self.report(input.text, &sink, placed, token_endpoint));
            }
        }
    }

    fn report(&self, text: &str, sink: &Sink<'_>, placed: Placed, token_endpoint: bool) -> Finding {
        let source = &placed.source;
        let source_line = line_of(text, source.span.start);
        let sink_line = line_of(text, sink.span.start);
        let at = if source_line == sink_line {
            String::new()
        } else {
            format!(" (line {source_line})")
        };
        let what = match source.kind {
            crate::leak::SourceKind::Named(kind) => format!(", {},", kind.describe()),
            _ => String::new(),
        };
        let param = placed
            .param
            .as_deref()
            .map_or(String::new(), |p| format!(" (as `{p}`)"));
        let verb = match sink.kind {
            SinkKind::Request | SinkKind::Stream => "requests",
            SinkKind::Redirect => "opens",
        };
        // Miro's own docs put the client secret in the token request's query
        // string, and its endpoint accepts it there: a real exposure (the
        // endpoint's access logs), but one users copied, so a warning that
        // says how to move it.
        let client_secret = placed
            .param
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("client_secret"));
        if token_endpoint && client_secret && placed.part == Part::Query {
            let message = format!(
                "{}{at}{what} is put in the query string (as `client_secret`) of the token request `{}` sends (line {sink_line}); the endpoint's access logs keep query strings, and OAuth 2.0 (RFC 6749 §2.3.1) forbids client credentials in the URI",
                source.description, sink.name
            );
            let mut flow = placed.source.steps;
            flow.extend(placed.steps);
            flow.push(FlowStep::new(
                sink.span,
                format!("the URL is requested by `{}`", sink.name),
            ));
            return Finding::new(ID, Severity::Warning, sink.span, message)
                .with_help("Send `client_id`, `client_secret` and `code` in the form body (`application/x-www-form-urlencoded`, e.g. `new URLSearchParams({...})` as the POST body); Miro's token endpoint accepts them there.")
                .with_flow(flow);
        }
        let (part, why, severity) = match (placed.part, sink.kind) {
            (Part::Fragment, _) => (
                "fragment",
                "fragments stay in browser history, though they are not sent to servers or in Referer headers",
                Severity::Warning,
            ),
            (_, SinkKind::Redirect) => (
                "query string",
                "query strings end up in logs, browser history and Referer headers",
                self.meta.severity,
            ),
            (_, SinkKind::Request) => (
                "query string",
                "query strings end up in the logs of the server and of every proxy on the way",
                self.meta.severity,
            ),
            (_, SinkKind::Stream) => (
                "query string",
                "query strings end up in the logs of the server and of every proxy on the way",
                Severity::Warning,
            ),
        };
        let message = format!(
            "{}{at}{what} is put in the {part}{param} of a URL that `{}` {verb} (line {sink_line}); {why}",
            source.description, sink.name
        );
        let help = match sink.kind {
            SinkKind::Request => {
                "Send the token or key in a header (`Authorization: Bearer …`, or the API's key header), and a token endpoint's `client_secret` in the POST body."
            }
            SinkKind::Redirect => {
                "Don't hand secrets to the browser in a URL: set a short-lived HttpOnly cookie, or redirect with a one-time code that the frontend exchanges with the backend."
            }
            SinkKind::Stream => {
                "Browsers cannot set headers on a WebSocket or EventSource: exchange the token for a short-lived, single-use ticket and put that in the URL, or rely on the session cookie."
            }
        };
        let mut flow = placed.source.steps;
        flow.extend(placed.steps);
        let last = match sink.kind {
            SinkKind::Request | SinkKind::Stream => format!("the URL is requested by `{}`", sink.name),
            SinkKind::Redirect => format!("the URL is opened by `{}`", sink.name),
        };
        flow.push(FlowStep::new(sink.span, last));
        Finding::new(ID, severity, sink.span, message)
            .with_help(help)
            .with_flow(flow)
    }

    /// Reports route handlers that read a secret from the request's query string.
    fn check_reads(&self, input: &FileInput<'_>, facts: &Facts, flow: &Flow<'_>, findings: &mut Vec<Finding>) {
        let text = input.text;
        let mut reported: HashSet<(ScopeId, String)> = HashSet::new();
        let mut report = |param: &str, kind: SensitiveKind, span: Span, scope: ScopeId, how: &str| {
            if facts.in_test_region(span) || !reported.insert((flow.function_of(scope), param.to_string())) {
                return;
            }
            let message = format!(
                "`{param}`, {}, is read from the query string (`{how}`); secrets sent in URLs end up in logs, browser history and Referer headers",
                kind.describe()
            );
            findings.push(
                Finding::new(ID, Severity::Warning, span, message)
                    .with_help("Have clients send the secret in the `Authorization` header or a POST body, and read it from there.")
                    .with_flow(vec![FlowStep::new(span, format!("`{param}` is read from the query string"))]),
            );
        };
        let mut members: Vec<(&[String], ScopeId, Span)> = Vec::new();
        for binding in &facts.bindings {
            if binding.kind != BindingKind::Parameter {
                collect_members(&binding.value, binding.scope, binding.span, &mut members);
            }
        }
        for call in &facts.calls {
            for arg in call.args.iter().chain(call.receiver.as_deref()) {
                collect_members(arg, call.scope, call.span, &mut members);
            }
        }
        for ret in &facts.returns {
            collect_members(&ret.value, ret.scope, ret.span, &mut members);
        }
        members.sort_by_key(|(_, _, span)| span.start);
        for (path, scope, around) in members {
            let Some(index) = path.iter().position(|s| s == "query" || s == "queryStringParameters") else {
                continue;
            };
            let Some(param) = path.get(index + 1) else {
                continue;
            };
            if index == 0 || !REQUEST_OBJECTS.contains(&path[index - 1].as_str()) {
                continue;
            }
            if let Some(kind) = self.secret_param(param) {
                let span = locate_word(text, around, param);
                report(param, kind, span, scope, &path[..=index].join("."));
            }
        }
        for call in &facts.calls {
            let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
            let Some(Value::Str(id)) = call.args.first() else {
                continue;
            };
            let literal = facts.string(*id);
            let how = match callee.as_slice() {
                // Hono: `c.req.query("token")`.
                [.., "req" | "request", "query"] => callee.join("."),
                [.., "searchParams", "get" | "getAll"] | ["get" | "getAll"]
                    if call.callee_span.text(text).trim_end().ends_with("searchParams.get") || callee.len() > 1 =>
                {
                    if !self.is_server_handler(input, flow, call, &callee) {
                        continue;
                    }
                    "searchParams.get".to_string()
                }
                _ => continue,
            };
            if let Some(kind) = self.secret_param(&literal.value) {
                report(&literal.value, kind, literal.span, call.scope, &how);
            }
        }
    }

    /// Whether a `searchParams.get(…)` call reads a request's URL on the
    /// server: in a route handler, middleware or loader, or on `request.…`.
    fn is_server_handler(&self, input: &FileInput<'_>, flow: &Flow<'_>, call: &Call, callee: &[&str]) -> bool {
        if callee.first().is_some_and(|root| matches!(*root, "req" | "request")) {
            return true;
        }
        if flow
            .function_name(call.scope)
            .is_some_and(|name| HANDLER_NAMES.contains(&name))
        {
            return true;
        }
        let path = input.context.display_path.as_str();
        let file = path.rsplit('/').next().unwrap_or(path);
        path.contains("/api/")
            || path.starts_with("api/")
            || file.starts_with("route.")
            || file.starts_with("middleware.")
            || file.starts_with("server.")
    }
}

impl<'a, 'f> Walker<'a, 'f> {
    /// Secrets in the query string or fragment of the URL `value`.
    fn url(&self, value: &'f Value, scope: ScopeId, at: usize, around: Span, depth: usize, out: &mut Vec<Placed>) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Template(parts) => self.template(parts, Part::Path, scope, at, around, depth, out),
            Value::Ident(name) => self.url_of_name(name, scope, at, depth, out),
            Value::Member(path) => {
                // `url.href`.
                if let [name, last] = path.as_slice() {
                    if last == "href" {
                        self.url_of_name(name, scope, at, depth + 1, out);
                    }
                }
            }
            Value::Alternatives(values) => {
                for value in values {
                    self.url(value, scope, at, around, depth + 1, out);
                }
            }
            Value::Call(id) => {
                let Some(call) = self.facts.calls.get(*id as usize) else {
                    return;
                };
                let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
                let method = callee.last().copied().unwrap_or("");
                match callee.as_slice() {
                    ["URL"] | [.., "Url" | "Uri", "parse" | "from_str" | "try_from"] | ["encodeURI" | "String"] => {
                        if let Some(first) = call.args.first() {
                            self.url(first, scope, call.span.start, call.span, depth + 1, out);
                        }
                    }
                    [.., "Url", "parse_with_params"] => {
                        if let Some(first) = call.args.first() {
                            self.url(first, scope, call.span.start, call.span, depth + 1, out);
                        }
                        if let Some(params) = call.args.get(1) {
                            self.params(params, Part::Query, scope, call.span.start, call.span, depth + 1, out);
                        }
                    }
                    ["format" | "format_args"] if call.is_macro => {
                        if let Some(first) = call.args.first() {
                            self.url(first, scope, call.span.start, call.span, depth + 1, out);
                        }
                    }
                    [.., "Some" | "Ok"] => {
                        if let Some(first) = call.args.first() {
                            self.url(first, scope, call.span.start, call.span, depth + 1, out);
                        }
                    }
                    _ if is_conversion(method) || method == "join" && call.receiver.is_some() => {
                        self.receiver_url(call, scope, depth, out);
                    }
                    [function] if call.receiver.is_none() => self.helper(function, depth, out),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// The URL the variable `name` holds where it is used at `at`, with what
    /// was added to it before (`url.searchParams.set(…)`).
    fn url_of_name(&self, name: &str, scope: ScopeId, at: usize, depth: usize, out: &mut Vec<Placed>) {
        self.through_binding(name, "the URL is", scope, at, depth, out, |walker, binding, id, out| {
            walker.url(
                &binding.value,
                binding.scope,
                binding.span.start,
                binding.span,
                depth + 1,
                out,
            );
            walker.mutations(id, name, at, Part::Query, depth, out);
        });
    }

    /// The URL a conversion's receiver is: `url.toString()`, `url.as_str()`.
    fn receiver_url(&self, call: &'f Call, scope: ScopeId, depth: usize, out: &mut Vec<Placed>) {
        if let Some(receiver) = call.receiver.as_deref() {
            self.url(receiver, scope, call.span.start, call.span, depth + 1, out);
        } else if let [name, _] = call.callee.as_slice() {
            self.url_of_name(name, scope, call.span.start, depth + 1, out);
        }
    }

    /// The URLs a helper function defined in the file returns: `buildUrl(token)`.
    fn helper(&self, function: &str, depth: usize, out: &mut Vec<Placed>) {
        let facts = self.facts;
        let Some(scope) = facts
            .scopes
            .iter()
            .position(|s| s.kind == ScopeKind::Function && s.name.as_deref() == Some(function))
        else {
            return;
        };
        for ret in &facts.returns {
            if self.flow.function_of(ret.scope) as usize == scope {
                self.url(&ret.value, ret.scope, ret.span.start, ret.span, depth + 1, out);
            }
        }
    }

    /// Follows a name to the binding that gives it its value and calls `then` on it,
    /// adding a step for what is stored there (`what`: "the URL is") to what `then` finds.
    #[allow(clippy::too_many_arguments)]
    fn through_binding(
        &self,
        name: &str,
        what: &str,
        scope: ScopeId,
        at: usize,
        depth: usize,
        out: &mut Vec<Placed>,
        then: impl FnOnce(&Self, &'f miroguard_ir::Binding, BindingId, &mut Vec<Placed>),
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(id) = self.flow.resolve(name, scope, at) else {
            return;
        };
        let Some(binding) = self.facts.bindings.get(id as usize) else {
            return;
        };
        if binding.kind == BindingKind::Parameter || !self.visiting.borrow_mut().insert(id) {
            return;
        }
        let mut found = Vec::new();
        then(self, binding, id, &mut found);
        self.visiting.borrow_mut().remove(&id);
        for mut placed in found {
            // A URL or parameter list filled in after it was declared
            // (`q.append(…)`) already has its step where it was filled in.
            let filled_later = placed.steps.last().is_some_and(|s| s.span.start > binding.span.end);
            if !filled_later {
                placed
                    .steps
                    .push(FlowStep::new(binding.name_span, format!("{what} stored in `{name}`")));
            }
            out.push(placed);
        }
    }

    /// Secrets in a template or format string, whose text starts in `part` of the URL.
    #[allow(clippy::too_many_arguments)]
    fn template(
        &self,
        parts: &'f [TemplatePart],
        mut part: Part,
        scope: ScopeId,
        at: usize,
        around: Span,
        depth: usize,
        out: &mut Vec<Placed>,
    ) {
        let mut pending: Option<&'f str> = None;
        let mut after_expr = false;
        for piece in parts {
            match piece {
                TemplatePart::Str(id) => {
                    let text = self.facts.string(*id).value.as_str();
                    let (next, name) = scan_literal(text, part, after_expr);
                    part = next;
                    pending = name;
                    after_expr = false;
                }
                TemplatePart::Expr(value) => {
                    match (part, pending.take()) {
                        (Part::Path, _) => self.url(value, scope, at, around, depth + 1, out),
                        (part, Some(name)) => self.value_in(value, name, part, scope, at, around, out),
                        // `?${params}`, `&${extra}`.
                        (part, None) => self.params(value, part, scope, at, around, depth + 1, out),
                    }
                    after_expr = true;
                }
            }
        }
    }

    /// A secret given as the value of query parameter `name`.
    #[allow(clippy::too_many_arguments)]
    fn value_in(
        &self,
        value: &'f Value,
        name: &str,
        part: Part,
        scope: ScopeId,
        at: usize,
        around: Span,
        out: &mut Vec<Placed>,
    ) {
        if self.rule.is_public(name) || self.rule.is_not_credential(name) {
            return;
        }
        let Some(source) = self.leaks.source_of(value, scope, at, around) else {
            return;
        };
        let described = source.description.trim_matches('`');
        if self.rule.is_not_credential(described) {
            return;
        }
        let where_ = match part {
            Part::Fragment => "fragment",
            _ => "query string",
        };
        out.push(Placed {
            source,
            param: Some(name.to_string()),
            part,
            steps: vec![FlowStep::new(around, format!("put in the URL's {where_} as `{name}`"))],
        });
    }

    /// Secrets in query parameters given as an object, pairs,
    /// `URLSearchParams` or a query-string template.
    #[allow(clippy::too_many_arguments)]
    fn params(
        &self,
        value: &'f Value,
        part: Part,
        scope: ScopeId,
        at: usize,
        around: Span,
        depth: usize,
        out: &mut Vec<Placed>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Object(fields) => {
                for field in fields {
                    if let Some(binding) = self.facts.bindings.get(*field as usize) {
                        self.value_in(
                            &binding.value,
                            &binding.name,
                            part,
                            binding.scope,
                            binding.span.start,
                            binding.span,
                            out,
                        );
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Array(pair) => {
                            if let [Value::Str(key), value] = pair.as_slice() {
                                let name = self.facts.string(*key).value.as_str();
                                self.value_in(value, name, part, scope, at, around, out);
                            }
                        }
                        other => self.params(other, part, scope, at, around, depth + 1, out),
                    }
                }
            }
            Value::Template(parts) => self.template(parts, part, scope, at, around, depth, out),
            Value::Ident(name) => self.params_of_name(name, part, scope, at, depth, out),
            Value::Call(id) => {
                let Some(call) = self.facts.calls.get(*id as usize) else {
                    return;
                };
                let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
                let method = callee.last().copied().unwrap_or("");
                match callee.as_slice() {
                    ["URLSearchParams"]
                    | [.., "stringify" | "encode"]
                    | ["format" | "format_args"]
                    | [.., "Some" | "Ok"] => {
                        if let Some(first) = call.args.first() {
                            self.params(first, part, scope, call.span.start, call.span, depth + 1, out);
                        }
                    }
                    _ if is_conversion(method) => {
                        if let Some(receiver) = call.receiver.as_deref() {
                            self.params(receiver, part, scope, call.span.start, call.span, depth + 1, out);
                        } else if let [name, _] = call.callee.as_slice() {
                            self.params_of_name(name, part, scope, call.span.start, depth + 1, out);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// The parameters the variable `name` holds where it is used at `at`,
    /// with those added to it before (`params.append(…)`).
    fn params_of_name(&self, name: &str, part: Part, scope: ScopeId, at: usize, depth: usize, out: &mut Vec<Placed>) {
        self.through_binding(
            name,
            "the parameters are",
            scope,
            at,
            depth,
            out,
            |walker, binding, id, out| {
                walker.params(
                    &binding.value,
                    part,
                    binding.scope,
                    binding.span.start,
                    binding.span,
                    depth + 1,
                    out,
                );
                walker.mutations(id, name, at, part, depth, out);
            },
        );
    }

    /// Parameters added to the URL or parameter list bound by `id` (named
    /// `name`) before offset `before`: `url.searchParams.set("token", t)`,
    /// `params.append("token", t)`, `url.search = …`,
    /// `url.query_pairs_mut().append_pair("token", t)`.
    fn mutations(&self, id: BindingId, name: &str, before: usize, part: Part, depth: usize, out: &mut Vec<Placed>) {
        let facts = self.facts;
        let binding = &facts.bindings[id as usize];
        let after = binding.span.end;
        let sees = |scope: ScopeId, at: usize| self.flow.resolve(name, scope, at) == Some(id);
        for call in &facts.calls {
            if call.span.start < after || call.span.start >= before {
                continue;
            }
            let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
            let added = match callee.as_slice() {
                [object, "searchParams", "set" | "append"] | [object, "set" | "append"] if *object == name => true,
                ["append_pair"] => matches!(
                    call.receiver.as_deref(),
                    Some(Value::Call(inner)) if facts.calls.get(*inner as usize).is_some_and(|c| c.callee.len() == 2 && c.callee[0] == name && c.callee[1] == "query_pairs_mut")
                ),
                [object, "set_query"] if *object == name => {
                    if sees(call.scope, call.span.start) {
                        if let Some(first) = call.args.first() {
                            self.params(
                                first,
                                Part::Query,
                                call.scope,
                                call.span.start,
                                call.span,
                                depth + 1,
                                out,
                            );
                        }
                    }
                    false
                }
                _ => false,
            };
            if !added || !sees(call.scope, call.span.start) {
                continue;
            }
            if let [Value::Str(key), value, ..] = call.args.as_slice() {
                let key = facts.string(*key).value.as_str();
                self.value_in(value, key, part, call.scope, call.span.start, call.span, out);
            }
        }
        // `url.search = params.toString()`, `url.hash = …`.
        for assignment in &facts.bindings {
            if assignment.kind != BindingKind::Assignment
                || assignment.span.start < after
                || assignment.span.start >= before
                || assignment.path.len() != 2
                || assignment.path[0] != name
                || !sees(assignment.scope, assignment.span.start)
            {
                continue;
            }
            let part = match assignment.path[1].as_str() {
                "search" => Part::Query,
                "hash" => Part::Fragment,
                _ => continue,
            };
            self.params(
                &assignment.value,
                part,
                assignment.scope,
                assignment.span.start,
                assignment.span,
                depth + 1,
                out,
            );
        }
    }
}

/// Reads a literal piece of a URL: the part of the URL after it, and the
/// query parameter whose value follows it (`?access_token=` → `access_token`).
/// A piece with no `?`, `&` or `#` that is only `name=` names a parameter
/// when it follows an interpolated value (`base + "token=" + t`) or is in
/// the query string already.
fn scan_literal(text: &str, mut part: Part, after_expr: bool) -> (Part, Option<&str>) {
    let mut last_delimiter = None;
    for (i, c) in text.char_indices() {
        match c {
            '?' if part == Part::Path => {
                part = Part::Query;
                last_delimiter = Some(i);
            }
            '#' => {
                part = Part::Fragment;
                last_delimiter = Some(i);
            }
            '&' | ';' | '?' => {
                if part == Part::Path && c == '&' {
                    // The base held the `?`.
                    part = Part::Query;
                }
                last_delimiter = Some(i);
            }
            _ => {}
        }
    }
    let Some(before_value) = text.strip_suffix('=') else {
        return (part, None);
    };
    let name = match last_delimiter {
        Some(i) => &before_value[(i + 1).min(before_value.len())..],
        None if part != Part::Path || after_expr => {
            if part == Part::Path {
                part = Part::Query;
            }
            before_value
        }
        None => return (part, None),
    };
    let is_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']'));
    (part, is_name.then_some(name))
}

/// Collects request options: `params`/`searchParams`/`qs` fields, and for a
/// config object (`axios({ url, params })`) its `url`.
fn options<'f>(facts: &'f Facts, fields: &[BindingId], config: bool, sink: &mut Sink<'f>) {
    for field in fields {
        let Some(binding) = facts.bindings.get(*field as usize) else {
            continue;
        };
        match binding.name.as_str() {
            // got's and request's options take a query string too; axios' `params` is an object.
            "searchParams" | "qs" => sink.params.push(&binding.value),
            "params" if !matches!(binding.value, Value::Str(_) | Value::Template(_)) => {
                sink.params.push(&binding.value)
            }
            "url" | "uri" | "path" if config => sink.urls.push(&binding.value),
            _ => {}
        }
    }
}

/// The request call a builder chain starts from: `client.get(url)` in
/// `client.get(url).query(…)`.
fn request_in_chain<'f>(facts: &'f Facts, mut value: Option<&'f Value>, rust: bool) -> Option<&'f Call> {
    let mut steps = 0;
    while let Some(Value::Call(id)) = value {
        let call = facts.calls.get(*id as usize)?;
        let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
        let method = callee.last().copied().unwrap_or("");
        let request = REQUEST_METHODS.contains(&method) && (call.receiver.is_some() || callee.len() > 1)
            || method == "request"
            || !rust && matches!(callee.as_slice(), [f] if REQUEST_FUNCTIONS.contains(f));
        if request {
            return Some(call);
        }
        value = call.receiver.as_deref();
        steps += 1;
        if steps > 16 {
            break;
        }
    }
    None
}

/// The URL a call sets as a `Location` header: `res.setHeader("Location", url)`,
/// `res.writeHead(302, { Location: url })`, `.append_header((LOCATION, url))`.
fn location_header<'f>(facts: &'f Facts, call: &'f Call) -> Option<&'f Value> {
    let method = call.callee.last()?.as_str();
    if !matches!(
        method,
        "setHeader" | "set" | "header" | "append" | "writeHead" | "append_header" | "insert_header"
    ) {
        return None;
    }
    let is_location = |value: &Value| match value {
        Value::Str(id) => facts.string(*id).value.eq_ignore_ascii_case("location"),
        Value::Ident(name) => name == "LOCATION",
        Value::Member(path) => path.last().is_some_and(|l| l == "LOCATION"),
        _ => false,
    };
    match call.args.as_slice() {
        [Value::Array(pair)] => match pair.as_slice() {
            [key, url] if is_location(key) => Some(url),
            _ => None,
        },
        [key, url, ..] if is_location(key) => Some(url),
        args if method == "writeHead" => args.iter().find_map(|arg| {
            let Value::Object(fields) = arg else {
                return None;
            };
            fields.iter().find_map(|f| {
                let binding = facts.bindings.get(*f as usize)?;
                binding.name.eq_ignore_ascii_case("location").then_some(&binding.value)
            })
        }),
        _ => None,
    }
}

/// How a message names a call's callee: as written (`client.get`,
/// `reqwest::get`) when it is a plain path, else its segments.
fn callee_name(call: &Call, text: &str, rust: bool) -> String {
    let written: String = call
        .callee_span
        .text(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let plain = !written.is_empty()
        && written.len() <= 60
        && written
            .bytes()
            .all(|b| is_ident_byte(b) || matches!(b, b'.' | b':' | b'?'));
    if plain {
        return written.replace("?.", ".");
    }
    call.callee.join(if rust { "::" } else { "." })
}

/// Whether a value is an HTTP method literal (`xhr.open("GET", url)`).
fn is_http_method(facts: &Facts, value: &Value) -> bool {
    matches!(value, Value::Str(id) if matches!(
        facts.string(*id).value.to_ascii_uppercase().as_str(),
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
    ))
}

/// Methods that give back their receiver's text.
fn is_conversion(method: &str) -> bool {
    matches!(
        method,
        "toString" | "to_string" | "as_str" | "into" | "clone" | "to_owned" | "unwrap" | "expect" | "as_ref"
    )
}

/// Member chains among a value's parts (not inside calls or objects, which are visited on their own).
fn collect_members<'f>(value: &'f Value, scope: ScopeId, around: Span, out: &mut Vec<(&'f [String], ScopeId, Span)>) {
    match value {
        Value::Member(path) => out.push((path, scope, around)),
        Value::Template(parts) => {
            for part in parts {
                if let TemplatePart::Expr(value) = part {
                    collect_members(value, scope, around, out);
                }
            }
        }
        Value::Alternatives(values) | Value::Array(values) | Value::Computed(values) => {
            for value in values {
                collect_members(value, scope, around, out);
            }
        }
        _ => {}
    }
}

/// Where the word `word` is written inside `around` (all of `around` when it is not).
fn locate_word(text: &str, around: Span, word: &str) -> Span {
    let region = text.get(around.start..around.end.min(text.len())).unwrap_or("");
    let bytes = region.as_bytes();
    for (at, _) in region.match_indices(word) {
        let end = at + word.len();
        let before_ok = at == 0 || !is_ident_byte(bytes[at - 1]);
        let after_ok = bytes.get(end).is_none_or(|b| !is_ident_byte(*b));
        if before_ok && after_ok {
            return Span::new(around.start + at, around.start + end);
        }
    }
    around
}

/// What the lexical tier reads after a parameter API: the object, array or
/// argument list that follows (`{ access_token: t }`, `(&[("api_key", k)])`),
/// or else the rest of the line.
fn api_window(text: &str, from: usize) -> &str {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() && at < from + 8 && matches!(bytes[at], b' ' | b'=' | b'(' | b'&' | b'\t') {
        at += 1;
    }
    let limit = floor_char_boundary(text, at + API_WINDOW);
    if !matches!(bytes.get(at), Some(b'{' | b'[' | b'(')) {
        let line_end = text[at.min(limit)..limit].find('\n').map_or(limit, |n| at + n);
        return &text[at.min(line_end)..line_end];
    }
    let mut depth = 0usize;
    for (i, b) in bytes.iter().enumerate().take(limit).skip(at) {
        match b {
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[at..=i];
                }
            }
            _ => {}
        }
    }
    &text[at..limit]
}

/// Whether a name is an HTTP header's (`headers.set("Authorization", …)`), not a query parameter's.
fn is_header_name(name: &str) -> bool {
    name.contains('-') || name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("cookie")
}

/// Where `word` last occurs in `span` (all of `span` when it does not).
fn last_occurrence(text: &str, span: Span, word: &str) -> Span {
    span.text(text)
        .rfind(word)
        .map_or(span, |at| Span::new(span.start + at, span.start + at + word.len()))
}

/// The identifiers in `text`.
fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| w.bytes().next().is_some_and(|b| !b.is_ascii_digit()))
}

/// The lines of `text` with their offsets.
fn line_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let at = offset;
        offset += line.len();
        (at, line)
    })
}

/// Whether a request sink calls an OAuth token endpoint (`…/oauth/token`),
/// written in the call or in a literal its URL is made from.
fn is_token_endpoint(flow: &Flow<'_>, sink: &Sink<'_>, text: &str) -> bool {
    let names_endpoint = |url: &str| {
        let lower = url.to_ascii_lowercase();
        lower.contains("/oauth/token") || lower.contains("/oauth2/token")
    };
    text.get(sink.around.start..sink.around.end).is_some_and(names_endpoint)
        || sink.urls.iter().any(|url| {
            flow.origins(url, sink.scope, sink.at)
                .iter()
                .any(|origin| match origin.kind {
                    miroguard_ir::flow::OriginKind::Literal(id) => flow
                        .facts()
                        .strings
                        .get(id as usize)
                        .is_some_and(|lit| names_endpoint(&lit.value)),
                    _ => false,
                })
        })
}

impl Rule for TokenInUrl {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        if !crate::leak::checks_file(input) {
            return false;
        }
        // Error objects do not go into URLs: only named secrets and credentials do.
        if !crate::leak::has_secret_word(input, SINK_KEYWORDS.len() + QUERY_KEYWORDS.len()) {
            return false;
        }
        let sink = (0..SINK_KEYWORDS.len()).any(|i| input.keywords.contains(i));
        let query = (0..QUERY_KEYWORDS.len()).any(|i| input.keywords.contains(SINK_KEYWORDS.len() + i));
        let rust = input.context.language == Language::Rust;
        sink && self.may_place_secret(input.text, rust) || query && !rust && self.may_read_secret(input.text)
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let Some(facts) = input.facts else {
            return;
        };
        if !crate::leak::checks_file(input) {
            return;
        }
        let language = input.context.language;
        let flow = input.memo.flow(facts, input.text);
        self.check_urls(input, facts, flow, findings);
        if language != Language::Rust {
            self.check_reads(input, facts, flow, findings);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered::{check, needs_facts};

    fn rule() -> TokenInUrl {
        TokenInUrl::new().expect("built-in rule loads")
    }

    fn found(path: &str, source: &str) -> Vec<(usize, Severity, String)> {
        check(&rule(), path, source)
    }

    fn lines(path: &str, source: &str) -> Vec<(usize, Severity)> {
        found(path, source).into_iter().map(|(l, s, _)| (l, s)).collect()
    }

    /// The findings with their flows, as (line, message) pairs per step.
    fn flows(path: &str, source: &str) -> Vec<Vec<(usize, String)>> {
        let rule = rule();
        let context = miroguard_core::FileContext::from_display_path(path);
        let lower = source.to_ascii_lowercase();
        let hits: Vec<bool> = rule.keywords().iter().map(|k| lower.contains(k.as_str())).collect();
        let memo = crate::FileMemo::default();
        let facts = match context.language {
            Language::Rust => miroguard_rust::lower(source).expect("parses"),
            language => miroguard_js::lower(source, language),
        };
        let input = FileInput {
            context: &context,
            text: source,
            keywords: crate::KeywordHits::new(&hits),
            facts: Some(&facts),
            parse_failed: false,
            memo: &memo,
        };
        let mut findings = Vec::new();
        rule.check(&input, &mut findings);
        findings
            .iter()
            .map(|f| {
                f.flow
                    .iter()
                    .map(|s| (line_of(source, s.span.start), s.message.clone()))
                    .collect()
            })
            .collect()
    }

    const E: Severity = Severity::Error;
    const W: Severity = Severity::Warning;

    #[test]
    fn the_message_names_the_source_and_the_sink() {
        let source = "app.get('/cb', async (req, res) => {\n  const accessToken = await exchange(req.query.code);\n  const target = `${FRONTEND}/done?access_token=${accessToken}`;\n  res.redirect(target);\n});\n";
        let found = found("server/auth.js", source);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 4);
        assert_eq!(found[0].1, E);
        assert_eq!(
            found[0].2,
            "`accessToken` (line 2), a token, is put in the query string (as `access_token`) of a URL that `res.redirect` opens (line 4); query strings end up in logs, browser history and Referer headers"
        );
        let requested = "async function boards(accessToken) {\n  return fetch(`https://api.miro.com/v2/boards?access_token=${accessToken}`);\n}\n";
        assert_eq!(
            found_messages("server/api.js", requested),
            [
                "`accessToken` (line 1), a token, is put in the query string (as `access_token`) of a URL that `fetch` requests (line 2); query strings end up in the logs of the server and of every proxy on the way"
            ]
        );
    }

    #[test]
    fn a_client_secret_in_a_token_requests_query_is_a_warning_that_says_where_it_goes() {
        let source = "const TOKEN_URL = 'https://api.miro.com/v1/oauth/token';\nasync function exchange(code) {\n  const clientSecret = process.env.MIRO_CLIENT_SECRET;\n  return axios.post(`${TOKEN_URL}?grant_type=authorization_code&client_secret=${clientSecret}&code=${code}`);\n}\n";
        let found = found("server/oauth.js", source);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (4, Severity::Warning));
        assert!(found[0].2.contains("RFC 6749"), "{}", found[0].2);
        let elsewhere = source.replace("/v1/oauth/token", "/v2/boards");
        assert_eq!(lines("server/oauth.js", &elsewhere), [(4, Severity::Error)]);
    }

    fn found_messages(path: &str, source: &str) -> Vec<String> {
        found(path, source).into_iter().map(|f| f.2).collect()
    }

    #[test]
    fn the_flow_runs_from_the_source_through_the_url_to_the_sink() {
        let source = "app.get('/cb', async (req, res) => {\n  const accessToken = await exchange(req.query.code);\n  const target = `${FRONTEND}/done?access_token=${accessToken}`;\n  res.redirect(target);\n});\n";
        assert_eq!(
            flows("server/auth.js", source),
            [vec![
                (2, "`accessToken` is a token".to_string()),
                (3, "put in the URL's query string as `access_token`".to_string()),
                (3, "the URL is stored in `target`".to_string()),
                (4, "the URL is opened by `res.redirect`".to_string()),
            ]]
        );
        let params = "async function f(refreshToken) {\n  const q = new URLSearchParams();\n  q.append('refresh_token', refreshToken);\n  return fetch(`${API}/renew?${q}`);\n}\n";
        assert_eq!(
            flows("server/api.js", params),
            [vec![
                (1, "`refreshToken` is a token".to_string()),
                (3, "put in the URL's query string as `refresh_token`".to_string()),
                (4, "the URL is requested by `fetch`".to_string()),
            ]]
        );
    }

    #[test]
    fn urls_built_every_way_in_javascript() {
        let js = |code: &str| lines("server/api.js", code);
        // Concatenation.
        assert_eq!(
            js("function f(res, token) {\n  res.redirect(FRONTEND + '/app?token=' + token);\n}\n"),
            [(2, E)]
        );
        // `url.searchParams.set` on a URL object, then requested.
        assert_eq!(
            js(
                "async function f(accessToken) {\n  const url = new URL('https://api.miro.com/v2/boards');\n  url.searchParams.set('access_token', accessToken);\n  return fetch(url);\n}\n"
            ),
            [(4, E)]
        );
        // `URLSearchParams` interpolated into the URL.
        assert_eq!(
            js(
                "async function f(refreshToken) {\n  const q = new URLSearchParams();\n  q.append('refresh_token', refreshToken);\n  return fetch(`${API}/renew?${q.toString()}`);\n}\n"
            ),
            [(4, E)]
        );
        // axios' `params` and a config object.
        assert_eq!(
            js("function f(apiKey) {\n  return axios.get(URL, { params: { api_key: apiKey } });\n}\n"),
            [(2, E)]
        );
        assert_eq!(
            js(
                "function f(accessToken) {\n  return axios({ method: 'get', url: URL, params: { access_token: accessToken } });\n}\n"
            ),
            [(2, E)]
        );
        // A URL built by a helper function.
        assert_eq!(
            js(
                "function boardsUrl(token) {\n  return `${API}/boards?access_token=${token}`;\n}\nfunction f(token) {\n  return fetch(boardsUrl(token));\n}\n"
            ),
            [(5, E)]
        );
        // `url.search = …`.
        assert_eq!(
            js(
                "function f(accessToken) {\n  const url = new URL(API);\n  url.search = new URLSearchParams({ access_token: accessToken }).toString();\n  location.assign(url);\n}\n"
            ),
            [(4, E)]
        );
        // A `Location` header.
        assert_eq!(
            js("function f(res, accessToken) {\n  res.writeHead(302, { Location: `/app?token=${accessToken}` });\n}\n"),
            [(2, E)]
        );
    }

    #[test]
    fn navigation_in_the_browser_is_reported_too() {
        let browser = |code: &str| lines("src/panel.ts", code);
        assert_eq!(
            browser(
                "function go(accessToken: string) {\n  window.location.href = `/report?access_token=${accessToken}`;\n}\n"
            ),
            [(2, E)]
        );
        assert_eq!(
            browser("function go(sessionToken: string) {\n  window.open(`/x.csv?session_token=${sessionToken}`);\n}\n"),
            [(2, E)]
        );
    }

    #[test]
    fn fragments_and_streams_are_warnings() {
        let source =
            "function f(res, accessToken) {\n  res.redirect(`${FRONTEND}/done#access_token=${accessToken}`);\n}\n";
        let found = found("server/auth.js", source);
        assert_eq!(found.iter().map(|f| (f.0, f.1)).collect::<Vec<_>>(), [(2, W)]);
        assert!(
            found[0].2.contains("is put in the fragment (as `access_token`)"),
            "{}",
            found[0].2
        );
        // A fragment is never sent with a request.
        assert!(
            lines(
                "src/a.js",
                "function f(accessToken) {\n  fetch(`/api#token=${accessToken}`);\n}\n"
            )
            .is_empty()
        );
        assert_eq!(
            lines(
                "src/live.js",
                "function f(accessToken) {\n  return new WebSocket(`wss://live.example.com/ws?token=${accessToken}`);\n}\n"
            ),
            [(2, W)]
        );
    }

    #[test]
    fn what_belongs_in_urls_is_quiet() {
        let quiet = |code: &str| assert!(found("server/auth.js", code).is_empty(), "{code}");
        // OAuth's code and state on the callback, client_id on the authorize URL.
        quiet("function f(res, code, state) {\n  res.redirect(`${redirectUri}?code=${code}&state=${state}`);\n}\n");
        quiet("function f(res, authCode) {\n  res.redirect(`${redirectUri}?code=${authCode}`);\n}\n");
        quiet(
            "function f(res, clientId, state) {\n  res.redirect(`https://miro.com/oauth/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(CALLBACK)}&state=${state}`);\n}\n",
        );
        // Ids, cursors, redacted values.
        quiet(
            "function f(boardId, userId) {\n  return fetch(`${API}/boards/${boardId}?user_id=${userId}&team_id=${teamId}`);\n}\n",
        );
        quiet("function f(nextPageToken) {\n  return fetch(`${API}/boards?pageToken=${nextPageToken}`);\n}\n");
        quiet("function f(accessToken) {\n  return fetch(`${API}/audit?hint=${mask(accessToken)}`);\n}\n");
        // The token in a header, or in a body.
        quiet(
            "function f(accessToken) {\n  return fetch(`${API}/boards?limit=10`, { headers: { Authorization: `Bearer ${accessToken}` } });\n}\n",
        );
        quiet(
            "function f(refreshToken) {\n  return axios.post(TOKEN_URL, `grant_type=refresh_token&refresh_token=${refreshToken}`);\n}\n",
        );
        quiet(
            "function f(secret) {\n  return fetch(TOKEN_URL, { method: 'POST', body: new URLSearchParams({ client_secret: secret }) });\n}\n",
        );
        // A URL that is only built and logged.
        quiet(
            "function f(accessToken) {\n  const link = `${APP}/board?access_token=${accessToken}`;\n  console.log(link.length);\n  return link;\n}\n",
        );
        // Test code.
        assert!(
            found(
                "tests/auth.test.js",
                "test('x', () => fetch(`/a?access_token=${accessToken}`));\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn rust_urls() {
        let rust = |code: &str| lines("src/lib.rs", code);
        assert_eq!(
            rust(
                "fn f(frontend: &str, access_token: &str) -> Redirect {\n    let url = format!(\"{frontend}/app?access_token={access_token}\");\n    Redirect::to(&url)\n}\n"
            ),
            [(3, E)]
        );
        assert_eq!(
            rust(
                "async fn f(client: &reqwest::Client, api_key: &str) {\n    client\n        .get(URL)\n        .query(&[(\"api_key\", api_key)])\n        .send()\n        .await;\n}\n"
            ),
            [(4, E)]
        );
        assert_eq!(
            rust(
                "fn f(token: &str) {\n    let mut url = Url::parse(BASE).unwrap();\n    url.query_pairs_mut().append_pair(\"access_token\", token);\n    let _ = ureq::get(url.as_str()).call();\n}\n"
            ),
            [(4, E)]
        );
        assert_eq!(
            rust(
                "fn f(access_token: &str) -> HttpResponse {\n    HttpResponse::Found()\n        .append_header((LOCATION, format!(\"/done#token={access_token}\")))\n        .finish()\n}\n"
            ),
            [(3, W)]
        );
        assert_eq!(
            rust(
                "fn f(token: &str) -> Redirect {\n    let mut url = Url::parse(FRONTEND).unwrap();\n    url.set_query(Some(&format!(\"session={}&access_token={}\", 1, token)));\n    Redirect::to(url.as_str())\n}\n"
            ),
            [(4, E)]
        );
        assert!(rust("fn f(code: &str, state: &str) -> Redirect {\n    Redirect::to(&format!(\"{}/cb?code={}&state={}\", FRONTEND, code, state))\n}\n").is_empty());
        assert!(rust("async fn f(client: &reqwest::Client, token: &str) {\n    client.get(URL).bearer_auth(token).send().await;\n}\n").is_empty());
        assert!(rust("async fn f(client: &reqwest::Client, secret: &str) {\n    client.post(URL).form(&[(\"client_secret\", secret)]).send().await;\n}\n").is_empty());
        assert!(
            rust("#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {\n        let access_token = \"x\";\n        let _ = Redirect::to(&format!(\"/done?access_token={access_token}\"));\n    }\n}\n").is_empty()
        );
    }

    #[test]
    fn route_handlers_that_read_secrets_from_the_query_string() {
        let source = "router.get('/export', async (req, res) => {\n  const token = req.query.token;\n  const { api_key, boardId } = req.query;\n  res.json(await load(boardId, token, api_key, req.query.code));\n});\n";
        let reads = found("server/routes.js", source);
        assert_eq!(reads.iter().map(|f| (f.0, f.1)).collect::<Vec<_>>(), [(2, W), (3, W)]);
        assert_eq!(
            reads[0].2,
            "`token`, a token, is read from the query string (`req.query`); secrets sent in URLs end up in logs, browser history and Referer headers"
        );
        // Next.js route handlers read `searchParams`; browser code reading its own URL is not a route.
        let next = "export async function GET(request) {\n  const { searchParams } = new URL(request.url);\n  const accessToken = searchParams.get('access_token');\n  const code = searchParams.get('code');\n  return Response.json(await load(accessToken, code));\n}\n";
        assert_eq!(lines("app/api/boards/route.js", next), [(3, W)]);
        let browser =
            "export function read() {\n  return new URLSearchParams(window.location.search).get('access_token');\n}\n";
        assert!(found("src/panel.js", browser).is_empty());
        // A webhook provider's verification token is theirs to put in the URL.
        assert!(found("server/fb.js", "app.get('/hook', (req, res) => res.send(req.query['hub.verify_token'] === V ? req.query['hub.challenge'] : ''));\n").is_empty());
    }

    #[test]
    fn the_lexical_tier_parses_only_files_that_may_put_secrets_in_urls() {
        let rule = rule();
        let parses = |path: &str, code: &str| needs_facts(&rule, path, code);
        assert!(parses(
            "server/a.js",
            "res.redirect(`${FRONTEND}/done?access_token=${t}`);\n"
        ));
        assert!(parses(
            "server/a.js",
            "const target = `${FRONTEND}/done?user=${accessToken}`;\nres.redirect(target);\n"
        ));
        assert!(parses(
            "server/a.js",
            "const t = tokens.access_token;\nconst u = `${A}?x=${t}`;\nfetch(u);\n"
        ));
        assert!(parses("server/a.js", "axios.get(u, { params: { api_key: KEY } });\n"));
        assert!(parses(
            "server/a.js",
            "const q = new URLSearchParams();\nq.append('client_secret', s);\nfetch(`${u}?${q}`);\n"
        ));
        assert!(parses(
            "src/lib.rs",
            "fn f() { client.get(u).query(&[(\"access_token\", t)]).send(); }\n"
        ));
        assert!(parses(
            "src/lib.rs",
            "fn f() { Redirect::to(&format!(\"{}?token={}\", a, b)) }\n"
        ));
        assert!(parses("server/a.js", "const { access_token } = req.query;\n"));
        assert!(parses("server/a.js", "const k = req.query.apiKey;\n"));
        // Unrelated files, and files with URLs that carry nothing secret.
        assert!(!parses(
            "server/a.js",
            "const x = a ? b : c;\nconsole.log(`${x}&y`);\nfetch(url);\n"
        ));
        assert!(!parses(
            "server/a.js",
            "fetch(`${API}/boards?limit=${n}&cursor=${cursor}`, { headers: { Authorization: `Bearer ${token}` } });\n"
        ));
        assert!(!parses(
            "server/a.js",
            "res.redirect(`${uri}?code=${code}&state=${state}`);\n"
        ));
        assert!(!parses(
            "server/a.js",
            "headers.set('Authorization', `Bearer ${token}`);\nfetch(url, { headers });\n"
        ));
        assert!(!parses(
            "src/lib.rs",
            "fn f(params: Generics) { let x = params.get(0); println!(\"{:?}\", x); }\n"
        ));
        assert!(!parses(
            "src/parse.js",
            "export function next(token) { return token.type === 'x' ? a : b; }\n"
        ));
        // Test files never.
        assert!(!parses(
            "tests/a.test.js",
            "res.redirect(`${FRONTEND}/done?access_token=${t}`);\n"
        ));
    }

    #[test]
    fn literal_pieces_of_urls() {
        assert_eq!(
            scan_literal("https://x/a?access_token=", Part::Path, false),
            (Part::Query, Some("access_token"))
        );
        assert_eq!(scan_literal("&token=", Part::Path, true), (Part::Query, Some("token")));
        assert_eq!(
            scan_literal("/done#access_token=", Part::Path, true),
            (Part::Fragment, Some("access_token"))
        );
        assert_eq!(scan_literal("token=", Part::Query, false), (Part::Query, Some("token")));
        assert_eq!(scan_literal("/boards/", Part::Path, true), (Part::Path, None));
        assert_eq!(scan_literal("x=", Part::Path, false), (Part::Path, None));
    }
}
