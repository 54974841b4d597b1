//! `secret-in-error-response` (C-LEAK-1, C-LEAK-3): a stack trace, an error
//! object, an HTTP client's failed request or a secret reaches what a server
//! sends out — a response body, an e-mail, or the message of an error the
//! client may see.
//!
//! The secrets are the shared run-time sources of [`crate::leak`] (with
//! [`Purpose::Response`], which adds stack traces and whole error objects);
//! this rule knows the sinks, and which sources matter at each: tokens and
//! session ids only in error responses (a login route returns its token on
//! success by design), one-time link tokens never in e-mails (a reset e-mail
//! exists to carry one), and in Rust no error objects at all (whether an
//! error type carries secrets is not known from its name).

use crate::crypto::imported_from;
use crate::leak::{LeakSource, Leaks, Purpose, SourceKind, is_error_name};
use crate::syntax::{callee_span, floor_char_boundary, is_ident_byte, line_of};
use crate::{FileInput, Rule};
use aho_corasick::AhoCorasick;
use miroguard_core::{Finding, FlowStep, Language, RuleMeta, Severity, Span};
use miroguard_ir::flow::Flow;
use miroguard_ir::names::split_words;
use miroguard_ir::sensitive::SensitiveKind;
use miroguard_ir::{BindingKind, Call, Facts, ScopeId, ScopeKind, TemplatePart, Value};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// The rule's id.
pub const ID: &str = "secret-in-error-response";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/secret-in-error-response.toml"
));

/// Words without one of which no sink can be in a file (lowercase).
const KEYWORDS: &[&str] = &[
    "json",
    "send",
    "end(",
    "write(",
    "render(",
    "response",
    "body",
    "text(",
    "html",
    "error(",
    "exception(",
    "throw(",
    "subject(",
    "statuscode",
    "locals.",
];

/// Words one of which a file needs to send an error object to the client
/// (lowercase): a response object, a response type, a mailer. Without one
/// of these, only a named secret (one of [`crate::leak::SECRET_WORDS`]) can
/// make a finding.
const RESPONSE_WORDS: &[&str] = &[
    "res.",
    "reply.",
    "response.",
    "ctx.body",
    "this.body",
    "c.json",
    "c.text",
    "c.html",
    "h.response",
    "json(",
    "html(",
    "nextresponse",
    "httpresponse",
    "statuscode",
    "locals.",
    "sendmail",
    "into_response",
];

/// Methods of an Express/Fastify/Node response object that send a body.
const SEND_METHODS: &[&str] = &["json", "send", "end", "write", "jsonp", "render"];

/// Fields of an e-mail that its reader sees.
const EMAIL_FIELDS: &[&str] = &[
    "subject",
    "text",
    "html",
    "amp",
    "body",
    "content",
    "dynamicTemplateData",
    "dynamic_template_data",
    "templateData",
    "context",
    "variables",
];

/// Words that make a token one an e-mail is meant to carry: the one-time
/// token of a reset, verification, invitation or sign-in link.
const ONE_TIME_WORDS: &[&str] = &[
    "reset",
    "verification",
    "verify",
    "confirm",
    "confirmation",
    "invite",
    "invitation",
    "magic",
    "activation",
    "activate",
    "otp",
    "onetime",
    "login",
    "signin",
    "signup",
    "unsubscribe",
    "recovery",
    "passwordless",
];

/// Words of a Rust value whose `Debug` output is a configuration with its secrets.
const CONFIG_WORDS: &[&str] = &[
    "config",
    "cfg",
    "conf",
    "configuration",
    "settings",
    "credentials",
    "creds",
    "secrets",
    "oauth",
];

/// How many bytes of a sink's arguments the lexical tier reads.
const ARGUMENTS_WINDOW: usize = 600;

/// How far before a sink the lexical tier looks for where its arguments got their values.
const EARLIER_WINDOW: usize = 1500;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
}

/// Where a value leaves the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Channel {
    /// An HTTP response body.
    Response,
    /// An e-mail.
    Email,
}

/// A place where values leave the server.
struct Sink<'f> {
    channel: Channel,
    /// How a message names it: "`res.status(500).json`".
    name: String,
    /// The values it sends.
    parts: Vec<Part<'f>>,
    /// The finding's primary span.
    span: Span,
    /// Whether it is an error response: a 4xx/5xx status, a `catch` block,
    /// an error middleware, an `Err`.
    error_response: bool,
    /// Where it is.
    scope: ScopeId,
}

/// A value a sink sends, where it is used.
#[derive(Clone, Copy)]
struct Part<'f> {
    value: &'f Value,
    scope: ScopeId,
    at: usize,
    around: Span,
}

impl<'f> Part<'f> {
    fn of_call(value: &'f Value, call: &Call) -> Part<'f> {
        Part {
            value,
            scope: call.scope,
            at: call.span.start,
            around: call.span,
        }
    }
}

/// A source that reached a sink, and whether it is a configuration's `Debug` output.
struct Reached {
    source: LeakSource,
    debug_output: bool,
}

/// Which environment a branch runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Env {
    Development,
    Production,
}

impl Env {
    fn flip(self) -> Env {
        match self {
            Env::Development => Env::Production,
            Env::Production => Env::Development,
        }
    }
}

/// The rule.
pub struct SecretInErrorResponse {
    meta: RuleMeta,
    keywords: Vec<String>,
    needles: AhoCorasick,
    /// The index in [`NEEDLES`] of each of the automaton's patterns.
    needle_of: Vec<usize>,
}

/// How the lexical tier reads what follows a needle.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NeedleKind {
    /// A call: its argument list.
    Call,
    /// A call whose name may continue before the needle (`TypeError(`).
    Suffix,
    /// An assignment (`ctx.body = …`): the rest of the statement.
    Assign,
    /// A Rust `(StatusCode::X, body)` tuple: the rest of the tuple.
    Tuple,
}

/// The lexical tier's needles (matched ignoring ASCII case; all but the
/// `Suffix` ones at the start of a word), and how to read what follows them.
const NEEDLES: &[(&str, NeedleKind)] = &[
    ("json", NeedleKind::Call),
    ("send", NeedleKind::Call),
    ("end", NeedleKind::Call),
    ("write", NeedleKind::Call),
    ("render", NeedleKind::Call),
    ("response", NeedleKind::Call),
    ("nextresponse", NeedleKind::Call),
    ("text", NeedleKind::Call),
    ("html", NeedleKind::Call),
    ("body", NeedleKind::Call),
    ("subject", NeedleKind::Call),
    ("throw", NeedleKind::Call),
    ("error", NeedleKind::Suffix),
    ("exception", NeedleKind::Suffix),
    ("ctx.body", NeedleKind::Assign),
    ("this.body", NeedleKind::Assign),
    ("response.body", NeedleKind::Assign),
    ("locals", NeedleKind::Assign),
    ("statuscode::", NeedleKind::Tuple),
];

/// How code spells a needle: as written, and with a capital (`Json(`,
/// `Response.json`, `TypeError(`, `StatusCode::`, `NextResponse`).
fn spellings(needle: &str) -> Vec<String> {
    let camel = match needle {
        "nextresponse" => "NextResponse".to_string(),
        "statuscode::" => "StatusCode::".to_string(),
        _ => {
            let mut chars = needle.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
    };
    if camel == needle {
        vec![camel]
    } else {
        vec![needle.to_string(), camel]
    }
}

impl SecretInErrorResponse {
    /// Loads the rule from its embedded TOML.
    pub fn new() -> Result<SecretInErrorResponse, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        // Matched as written, in the spellings code uses (`json`, `Json`,
        // `NextResponse`, `TypeError`): a case-insensitive search would stop
        // at every `error` and `end` in a file.
        let mut patterns = Vec::new();
        let mut needle_of = Vec::new();
        for (index, (needle, kind)) in NEEDLES.iter().enumerate() {
            let mut spelled = spellings(needle);
            if *kind == NeedleKind::Suffix {
                // Error classes are capitalised: `TypeError(`, `HttpException(`.
                spelled.retain(|s| s.starts_with(|c: char| c.is_ascii_uppercase()));
            }
            for spelling in spelled {
                patterns.push(spelling);
                needle_of.push(index);
            }
        }
        let needles = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        Ok(SecretInErrorResponse {
            meta: file.rule,
            keywords: KEYWORDS
                .iter()
                .chain(RESPONSE_WORDS)
                .chain(crate::leak::SECRET_WORDS)
                .map(|k| k.to_string())
                .collect(),
            needles,
            needle_of,
        })
    }
}

impl Rule for SecretInErrorResponse {
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
        let responds = (0..RESPONSE_WORDS.len()).any(|i| input.keywords.contains(KEYWORDS.len() + i));
        let secret_words = crate::leak::has_secret_word(input, KEYWORDS.len() + RESPONSE_WORDS.len());
        if !responds && !secret_words {
            return false;
        }
        let rust = input.context.language == Language::Rust;
        lexical::any_sink_mentions_leak(&self.needles, &self.needle_of, input.text, rust, secret_words)
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let Some(facts) = input.facts else {
            return;
        };
        if !crate::leak::checks_file(input) {
            return;
        }
        let rust = input.context.language == Language::Rust;
        let text = input.text;
        let flow = input.memo.flow(facts, text);
        let leaks = Leaks::new(flow, input.memo.leak_context(facts, text), Purpose::Response);
        let sinks = if rust { rust_sinks(flow) } else { js_sinks(flow) };
        let mut reported: Vec<Span> = Vec::new();
        for sink in &sinks {
            if facts.in_test_region(sink.span) || reported.contains(&sink.span) {
                continue;
            }
            let Some(reached) = first_leak(&leaks, flow, sink, rust) else {
                continue;
            };
            reported.push(sink.span);
            findings.push(sink_finding(flow, sink, reached, self.meta.severity));
        }
        if !rust {
            let echo = sends_error_message(facts, &sinks);
            for call in &facts.calls {
                if facts.in_test_region(call.span) {
                    continue;
                }
                if let Some(finding) = error_message_finding(&leaks, flow, call, echo) {
                    findings.push(finding);
                }
            }
        }
    }
}

/// The finding for a source that reached a sink.
fn sink_finding(flow: &Flow<'_>, sink: &Sink<'_>, reached: Reached, default: Severity) -> Finding {
    let text = flow.text();
    let source = reached.source;
    let what = with_line(&source.description, text, source.span, sink.span);
    let is = if source.description.trim_end_matches(',').ends_with("cookies") {
        "are"
    } else {
        "is"
    };
    let (message, help, step) = match sink.channel {
        Channel::Response => (
            format!(
                "{what} {is} sent to the client by `{}` here; {}",
                sink.name,
                why(source.kind, reached.debug_output, &source.description)
            ),
            "Send the client a generic message (and a request id to quote); log the details on the server, without the request's headers.",
            format!("sent to the client by `{}`", sink.name),
        ),
        Channel::Email => (
            format!(
                "{what} {is} put in an e-mail by `{}` here; e-mails are stored, forwarded and read in the clear, so credentials must not be sent in them",
                sink.name
            ),
            "Leave the credential out of the e-mail: link to a page of the app that shows it once, or tell the user where to find it.",
            format!("put in an e-mail by `{}`", sink.name),
        ),
    };
    let guarded = sink.channel == Channel::Response
        && matches!(source.kind, SourceKind::ErrorDetails | SourceKind::HttpClientError)
        && (in_development_branch(flow, sink.scope, sink.span.start)
            || in_development_ternary(text, sink, source.span));
    let (severity, message) = if guarded {
        (
            Severity::Warning,
            format!("{message} (in development only, going by the condition around it)"),
        )
    } else {
        (default, message)
    };
    let mut steps = source.steps;
    steps.push(FlowStep::new(sink.span, step));
    Finding::new(ID, severity, sink.span, message)
        .with_help(help)
        .with_flow(steps)
}

/// A source's description with its line, when that is not the sink's
/// ("the axios error `err`, which holds … body (line 5),").
fn with_line(description: &str, text: &str, source: Span, sink: Span) -> String {
    let line = line_of(text, source.start);
    if line == line_of(text, sink.start) {
        return description.to_string();
    }
    match description.strip_suffix(',') {
        Some(description) => format!("{description} (line {line}),"),
        None => format!("{description} (line {line})"),
    }
}

/// Why a source must not reach a response.
fn why(kind: SourceKind, debug_output: bool, description: &str) -> &'static str {
    if debug_output {
        return "a configuration's `Debug` output prints its secrets";
    }
    match kind {
        SourceKind::ErrorDetails if description.starts_with("the stack trace") => {
            "a stack trace shows an attacker the server's files, libraries and code paths"
        }
        SourceKind::ErrorDetails => {
            "an error object can carry its stack trace, the request that failed and internal state"
        }
        SourceKind::HttpClientError => "whoever makes the request fail gets the credentials it was sent with",
        SourceKind::Environment => "secrets from the environment must never leave the server",
        SourceKind::RequestCredentials => {
            "echoing credentials back exposes them to scripts, caches and proxies on the way"
        }
        SourceKind::TokenResponse => "OAuth tokens must stay on the server",
        SourceKind::Named(SensitiveKind::Password) => "passwords must never be sent back",
        SourceKind::Named(SensitiveKind::Token | SensitiveKind::Session) => "error responses must not echo credentials",
        SourceKind::Named(_) => "secrets must never leave the server",
    }
}

/// The first source among a sink's values that matters there.
fn first_leak(leaks: &Leaks<'_, '_>, flow: &Flow<'_>, sink: &Sink<'_>, rust: bool) -> Option<Reached> {
    for part in &sink.parts {
        let mut sources = Vec::new();
        collect_sources(leaks, flow.facts(), part.value, part, &mut sources, 0);
        let text = flow.text();
        if let Some(source) = sources
            .into_iter()
            .find(|s| matters(s, sink, rust, text) && caught_error(flow, s, sink))
        {
            return Some(Reached {
                source,
                debug_output: false,
            });
        }
        if rust {
            if let Some(source) = debug_output(flow, part) {
                return Some(Reached {
                    source,
                    debug_output: true,
                });
            }
        }
    }
    None
}

/// The sources in `value`, field by field (a source a sink ignores must not hide one it reports).
fn collect_sources(
    leaks: &Leaks<'_, '_>,
    facts: &Facts,
    value: &Value,
    part: &Part<'_>,
    out: &mut Vec<LeakSource>,
    depth: usize,
) {
    match value {
        Value::Object(fields) if depth < 4 => {
            for field in fields {
                let Some(binding) = facts.bindings.get(*field as usize) else {
                    continue;
                };
                let part = Part {
                    value: &binding.value,
                    scope: binding.scope,
                    at: binding.span.start,
                    around: binding.span,
                };
                collect_sources(leaks, facts, &binding.value, &part, out, depth + 1);
            }
        }
        Value::Array(values) if depth < 4 => {
            for value in values {
                collect_sources(leaks, facts, value, part, out, depth + 1);
            }
        }
        _ => out.extend(leaks.source_of(value, part.scope, part.at, part.around)),
    }
}

/// For an error source: whether its name is an error the code caught, not
/// a parameter that merely has an error's name (`rows.forEach((e) => res.write(e))`).
/// Caught errors have no binding (`catch (err)`), or are the first of several
/// parameters (`(err, req, res, next)`, `(error, request, reply)`), or the
/// parameter of a `.catch(…)` callback.
fn caught_error(flow: &Flow<'_>, source: &LeakSource, sink: &Sink<'_>) -> bool {
    if !matches!(source.kind, SourceKind::ErrorDetails | SourceKind::HttpClientError) {
        return true;
    }
    let facts = flow.facts();
    let text = flow.text();
    let written = source.span.text(text);
    let name = written.split(['.', '?', '[']).next().unwrap_or(written);
    let Some(binding) = flow
        .resolve(name, sink.scope, sink.span.start)
        .and_then(|id| facts.bindings.get(id as usize))
    else {
        return true;
    };
    if binding.kind != BindingKind::Parameter {
        return true;
    }
    let function = binding.scope;
    let mut parameters: Vec<_> = facts
        .bindings
        .iter()
        .filter(|b| b.kind == BindingKind::Parameter && b.scope == function)
        .collect();
    parameters.sort_by_key(|b| b.name_span.start);
    if parameters.len() >= 2 && std::ptr::eq(parameters[0], binding) {
        return true;
    }
    let start = facts.scopes.get(function as usize).map_or(0, |s| s.span.start);
    let before = text.get(..start).unwrap_or("").trim_end();
    before.ends_with("catch(") || before.ends_with(".catch (") || before.ends_with("onError(")
}

/// Whether a source matters at a sink.
fn matters(source: &LeakSource, sink: &Sink<'_>, rust: bool, text: &str) -> bool {
    match (source.kind, sink.channel) {
        (SourceKind::ErrorDetails | SourceKind::HttpClientError, Channel::Response) => !rust,
        (SourceKind::ErrorDetails | SourceKind::HttpClientError, Channel::Email) => false,
        (
            SourceKind::Named(SensitiveKind::Secret | SensitiveKind::Password)
            | SourceKind::Environment
            | SourceKind::RequestCredentials,
            _,
        ) => true,
        (
            SourceKind::Named(SensitiveKind::Token | SensitiveKind::Session) | SourceKind::TokenResponse,
            Channel::Response,
        ) => sink.error_response,
        (
            SourceKind::Named(SensitiveKind::Token | SensitiveKind::Session) | SourceKind::TokenResponse,
            Channel::Email,
        ) => !is_one_time(source.span.text(text)),
        (SourceKind::Named(_), _) => false,
    }
}

/// Whether a token's name says it is a one-time link token (`resetToken`, `inviteToken`).
fn is_one_time(name: &str) -> bool {
    name.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .flat_map(split_words)
        .any(|w| ONE_TIME_WORDS.contains(&w.as_str()))
}

/// In Rust: the `Debug` output of a configuration or credentials value
/// formatted into a sink's body (`format!("{:?}", config)`).
fn debug_output(flow: &Flow<'_>, part: &Part<'_>) -> Option<LeakSource> {
    let facts = flow.facts();
    let text = flow.text();
    let region = part.around;
    facts.calls.iter().find_map(|call| {
        if !call.is_macro
            || !matches!(call.callee.as_slice(), [m] if m == "format" || m == "format_args")
            || !region.contains(call.span)
        {
            return None;
        }
        let written = call.span.text(text);
        let mut names = Vec::new();
        for arg in &call.args {
            debug_candidates(arg, &mut names);
        }
        names.into_iter().find_map(|path| {
            let last = path.last()?;
            let words = split_words(last);
            if !words.iter().any(|w| CONFIG_WORDS.contains(&w.as_str())) {
                return None;
            }
            let inline = written.contains(&format!("{{{last}:?}}")) || written.contains(&format!("{{{last}:#?}}"));
            let positional = written.contains("{:?}") || written.contains("{:#?}");
            if !(inline || positional) {
                return None;
            }
            let dotted = path.join(".");
            let at = written.rfind(dotted.as_str()).or_else(|| written.rfind(*last))?;
            let span = Span::new(
                call.span.start + at,
                call.span.start + at + dotted.len().min(written.len() - at),
            );
            Some(LeakSource {
                kind: SourceKind::Named(SensitiveKind::Secret),
                description: format!("the `Debug` output of `{dotted}`"),
                span,
                steps: vec![FlowStep::new(
                    span,
                    format!("`{dotted}` is formatted with `{{:?}}`, secrets included"),
                )],
            })
        })
    })
}

fn debug_candidates<'v>(value: &'v Value, out: &mut Vec<Vec<&'v str>>) {
    match value {
        Value::Ident(name) => out.push(vec![name.as_str()]),
        Value::Member(path) => out.push(path.iter().map(String::as_str).collect()),
        Value::Template(parts) => {
            for part in parts {
                if let TemplatePart::Expr(value) = part {
                    debug_candidates(value, out);
                }
            }
        }
        _ => {}
    }
}

/// Whether a JS file sends error messages to the client (`res.json({ error: err.message })`),
/// with the sink that does.
fn sends_error_message<'s, 'f>(facts: &Facts, sinks: &'s [Sink<'f>]) -> Option<&'s Sink<'f>> {
    sinks
        .iter()
        .filter(|s| s.channel == Channel::Response)
        .find(|s| s.parts.iter().any(|p| mentions_error_message(facts, p.value, 0)))
}

fn mentions_error_message(facts: &Facts, value: &Value, depth: usize) -> bool {
    if depth > 6 {
        return false;
    }
    match value {
        Value::Member(path) => {
            matches!(path.as_slice(), [error, message] if is_error_name(error) && message == "message")
        }
        Value::Object(fields) => fields.iter().any(|f| {
            facts
                .bindings
                .get(*f as usize)
                .is_some_and(|b| mentions_error_message(facts, &b.value, depth + 1))
        }),
        Value::Template(parts) => parts.iter().any(|p| match p {
            TemplatePart::Expr(value) => mentions_error_message(facts, value, depth + 1),
            TemplatePart::Str(_) => false,
        }),
        Value::Array(values) | Value::Alternatives(values) => {
            values.iter().any(|v| mentions_error_message(facts, v, depth + 1))
        }
        Value::Call(id) => facts
            .calls
            .get(*id as usize)
            .is_some_and(|c| c.args.iter().any(|a| mentions_error_message(facts, a, depth + 1))),
        _ => false,
    }
}

/// A secret built into the message of an error the code creates:
/// `new Error(\`invalid token ${token}\`)`, `createError(401, …)`, `ctx.throw(401, …)`.
fn error_message_finding(
    leaks: &Leaks<'_, '_>,
    flow: &Flow<'_>,
    call: &Call,
    echo: Option<&Sink<'_>>,
) -> Option<Finding> {
    let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
    let method = *callee.last()?;
    let constructor = call.is_new && (method.ends_with("Error") || method.ends_with("Exception"));
    let exposed_by_default = matches!(
        callee.as_slice(),
        ["createError" | "createHttpError" | "httpError"] | [_, "createError"] | ["ctx" | "context" | "this", "throw"]
    );
    if !constructor && !exposed_by_default {
        return None;
    }
    let source = call.args.iter().find_map(|arg| {
        leaks
            .source_of(arg, call.scope, call.span.start, call.span)
            .filter(|s| {
                matches!(
                    s.kind,
                    SourceKind::Named(
                        SensitiveKind::Secret | SensitiveKind::Password | SensitiveKind::Token | SensitiveKind::Session
                    ) | SourceKind::Environment
                        | SourceKind::RequestCredentials
                        | SourceKind::TokenResponse
                )
            })
    })?;
    let text = flow.text();
    let span = call.callee_span;
    let what = with_line(&source.description, text, source.span, span);
    // A status below 500 makes http-errors and Koa show the message to the client.
    let client_status = exposed_by_default
        && matches!(call.args.first(), Some(Value::Number(n)) if n.parse::<u32>().is_ok_and(|n| (400..500).contains(&n)));
    let (severity, message) = match (echo, client_status) {
        (_, true) => (
            Severity::Error,
            format!(
                "{what} is put in the message of an error made here, and a 4xx error's message is sent to the client"
            ),
        ),
        (Some(sink), false) => (
            Severity::Error,
            format!(
                "{what} is put in the message of an error made here, and this file sends error messages to the client (`{}`, line {})",
                sink.name,
                line_of(text, sink.span.start)
            ),
        ),
        (None, false) => (
            Severity::Warning,
            format!(
                "{what} is put in the message of an error made here; error messages reach logs, monitoring and often the client"
            ),
        ),
    };
    let mut steps = source.steps;
    steps.push(FlowStep::new(span, "made part of an error's message"));
    Some(
        Finding::new(ID, severity, span, message)
            .with_help(
                "Leave the secret out of the message: say what failed (\"the Miro token was rejected\") and log an id.",
            )
            .with_flow(steps),
    )
}

// ---------------------------------------------------------------- JS sinks

/// Names of an HTTP response object.
fn is_response_object(path: &[&str]) -> bool {
    matches!(
        path,
        ["res" | "response" | "resp" | "reply"] | ["ctx" | "context", "res" | "response"] | ["this", "res" | "reply"]
    )
}

/// The response sinks and e-mail sinks of a JS/TS file.
fn js_sinks<'f>(flow: &Flow<'f>) -> Vec<Sink<'f>> {
    let facts = flow.facts();
    let text = flow.text();
    let mut sinks = Vec::new();
    let statuses = ErrorStatuses::new(flow);
    for call in &facts.calls {
        if let Some(sink) = js_response_call(flow, call, &statuses).or_else(|| js_email_call(flow, call)) {
            sinks.push(sink);
        }
    }
    for binding in &facts.bindings {
        if binding.kind != BindingKind::Assignment {
            continue;
        }
        let path: Vec<&str> = binding.path.iter().map(String::as_str).collect();
        let koa = matches!(
            path.as_slice(),
            ["ctx" | "context" | "this", "body"] | ["ctx" | "context", "response", "body"]
        );
        let locals = matches!(path.as_slice(), ["res" | "response", "locals", _]);
        if !(koa || locals) {
            continue;
        }
        let span = Span::new(binding.span.start, binding.name_span.end);
        let error_response =
            koa && (in_catch(flow, binding.scope) || statuses.set_before(flow, binding.scope, span.start));
        sinks.push(Sink {
            channel: Channel::Response,
            name: compact(span.text(text)),
            parts: vec![Part {
                value: &binding.value,
                scope: binding.scope,
                at: binding.span.start,
                around: binding.span,
            }],
            span,
            error_response: error_response || locals,
            scope: binding.scope,
        });
    }
    sinks
}

/// A call that sends a response body: `res.json(x)`, `res.status(500).send(x)`,
/// `reply.code(500).send(x)`, `NextResponse.json(x, init)`, `new Response(x, init)`,
/// Hono's `c.json(x, 500)`, hapi's `h.response(x)`.
fn js_response_call<'f>(flow: &Flow<'f>, call: &'f Call, statuses: &ErrorStatuses) -> Option<Sink<'f>> {
    let facts = flow.facts();
    let text = flow.text();
    let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
    let method = *callee.last()?;
    let first = call.args.first()?;
    let sink = |name: String, parts: Vec<&'f Value>, explicit: Option<bool>| {
        let error_response = explicit.unwrap_or_else(|| {
            in_catch(flow, call.scope)
                || statuses.in_error_middleware(flow, call.scope)
                || statuses.set_before(flow, call.scope, call.span.start)
        });
        Some(Sink {
            channel: Channel::Response,
            name,
            parts: parts.into_iter().map(|v| Part::of_call(v, call)).collect(),
            span: callee_span(text, call),
            error_response,
            scope: call.scope,
        })
    };
    // Next.js route handlers and the web platform.
    if call.is_new && matches!(method, "Response" | "NextResponse") {
        return sink(
            format!("new {method}"),
            vec![first],
            init_status(facts, call.args.get(1)),
        );
    }
    if matches!(callee.as_slice(), [.., "NextResponse" | "Response", "json"]) {
        return sink(
            compact(call.callee_span.text(text)),
            vec![first],
            init_status(facts, call.args.get(1)),
        );
    }
    // Hono and hapi.
    if matches!(callee.as_slice(), ["c", "json" | "text" | "html" | "body"]) {
        let status = call.args.get(1).and_then(status_is_error);
        return sink(compact(call.callee_span.text(text)), vec![first], status);
    }
    if matches!(callee.as_slice(), ["h", "response"]) {
        return sink("h.response".to_string(), vec![first], None);
    }
    if !SEND_METHODS.contains(&method) {
        return None;
    }
    let (object, statuses) = response_chain(facts, call)?;
    if !is_response_object(&object) {
        return None;
    }
    let parts: Vec<&'f Value> = if method == "render" {
        call.args.iter().skip(1).collect()
    } else {
        call.args.iter().collect()
    };
    if parts.is_empty() {
        return None;
    }
    let explicit = if statuses.contains(&Some(true)) {
        Some(true)
    } else if statuses.contains(&Some(false)) {
        Some(false)
    } else {
        None
    };
    sink(compact(call.callee_span.text(text)), parts, explicit)
}

/// The object a chained response call starts from (`res` in
/// `res.status(500).json`) and what the statuses set on the way say: an
/// error status (`Some(true)`), a success (`Some(false)`), unknown (`None`).
fn response_chain<'f>(facts: &'f Facts, call: &'f Call) -> Option<(Vec<&'f str>, Vec<Option<bool>>)> {
    let mut statuses = Vec::new();
    let mut current = call;
    for _ in 0..8 {
        let callee: Vec<&str> = current.callee.iter().map(String::as_str).collect();
        if !std::ptr::eq(current, call)
            && matches!(callee.last(), Some(&("status" | "code" | "sendStatus" | "writeHead")))
        {
            statuses.push(current.args.first().and_then(status_is_error));
        }
        if callee.len() >= 2 {
            return Some((callee[..callee.len() - 1].to_vec(), statuses));
        }
        match current.receiver.as_deref() {
            Some(Value::Call(id)) => current = facts.calls.get(*id as usize)?,
            Some(Value::Ident(name)) => return Some((vec![name.as_str()], statuses)),
            Some(Value::Member(path)) => return Some((path.iter().map(String::as_str).collect(), statuses)),
            _ => return None,
        }
    }
    None
}

/// What a status value says: an error (4xx/5xx), a success, or unknown.
fn status_is_error(value: &Value) -> Option<bool> {
    match value {
        Value::Number(n) => n.parse::<u32>().ok().map(|n| n >= 400),
        Value::Alternatives(values) => {
            let all: Vec<Option<bool>> = values.iter().map(status_is_error).collect();
            if all.contains(&Some(true)) {
                Some(true)
            } else {
                all.into_iter().flatten().next()
            }
        }
        Value::Member(path) => {
            let last = path.last()?.to_ascii_uppercase();
            if path.first().is_some_and(|p| is_error_name(p)) {
                return Some(true);
            }
            const ERRORS: &[&str] = &[
                "ERROR",
                "BAD",
                "UNAUTHORIZED",
                "FORBIDDEN",
                "NOT_FOUND",
                "CONFLICT",
                "UNPROCESSABLE",
                "UNAVAILABLE",
                "GATEWAY",
                "TOO_MANY",
            ];
            if ERRORS.iter().any(|e| last.contains(e)) {
                Some(true)
            } else if matches!(last.as_str(), "OK" | "CREATED" | "ACCEPTED" | "NO_CONTENT") {
                Some(false)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The status of a `Response` init object (`{ status: 500 }`).
fn init_status(facts: &Facts, init: Option<&Value>) -> Option<bool> {
    let Some(Value::Object(fields)) = init else {
        return None;
    };
    fields.iter().find_map(|f| {
        let binding = facts.bindings.get(*f as usize)?;
        (binding.name == "status")
            .then(|| status_is_error(&binding.value))
            .flatten()
    })
}

/// What makes a response an error response, indexed once per file (every
/// response call asks): where each function first sets an error status
/// (`ctx.status = 500`, `res.statusCode = 500`, `res.status(500);`,
/// `res.writeHead(500)`), and which functions are Express error middleware
/// (four parameters, the first an error).
struct ErrorStatuses {
    first_set: HashMap<ScopeId, usize>,
    error_middleware: HashSet<ScopeId>,
}

impl ErrorStatuses {
    fn new(flow: &Flow<'_>) -> ErrorStatuses {
        let facts = flow.facts();
        let mut parameters: HashMap<ScopeId, Vec<(usize, &str)>> = HashMap::new();
        for b in facts.bindings.iter().filter(|b| b.kind == BindingKind::Parameter) {
            parameters
                .entry(b.scope)
                .or_default()
                .push((b.name_span.start, &b.name));
        }
        let error_middleware = parameters
            .into_iter()
            .filter_map(|(function, mut names)| {
                names.sort_unstable();
                (names.len() == 4 && is_error_name(names[0].1)).then_some(function)
            })
            .collect();
        let mut first: HashMap<ScopeId, usize> = HashMap::new();
        let mut note = |scope: ScopeId, at: usize| {
            let earliest = first.entry(flow.function_of(scope)).or_insert(at);
            *earliest = (*earliest).min(at);
        };
        for b in &facts.bindings {
            if b.kind == BindingKind::Assignment
                && matches!(b.path.last().map(String::as_str), Some("status" | "statusCode"))
                && status_is_error(&b.value) == Some(true)
            {
                note(b.scope, b.span.start);
            }
        }
        for c in &facts.calls {
            let response_status = matches!(
                c.callee.iter().map(String::as_str).collect::<Vec<_>>().as_slice(),
                ["res" | "response" | "reply", "status" | "writeHead" | "code"]
            );
            if response_status && c.args.first().and_then(status_is_error) == Some(true) {
                note(c.scope, c.span.start);
            }
        }
        ErrorStatuses {
            first_set: first,
            error_middleware,
        }
    }

    /// Whether an error status is set in `scope`'s function before `at`.
    fn set_before(&self, flow: &Flow<'_>, scope: ScopeId, at: usize) -> bool {
        self.first_set
            .get(&flow.function_of(scope))
            .is_some_and(|&first| first < at)
    }

    /// Whether `scope` is in an Express error middleware `(err, req, res, next) => …`.
    fn in_error_middleware(&self, flow: &Flow<'_>, scope: ScopeId) -> bool {
        self.error_middleware.contains(&flow.function_of(scope))
    }
}

/// An e-mail sent with nodemailer (`sendMail`), `@sendgrid/mail` or Resend:
/// its subject and bodies.
fn js_email_call<'f>(flow: &Flow<'f>, call: &'f Call) -> Option<Sink<'f>> {
    let facts = flow.facts();
    let text = flow.text();
    let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
    let email = match callee.as_slice() {
        [.., "sendMail"] => true,
        [root, "send" | "sendMultiple"] => {
            matches!(*root, "sgMail" | "sendgrid" | "sendGrid")
                || imported_from(facts, root).is_some_and(|m| m == "@sendgrid/mail")
        }
        [.., "emails", "send"] => true,
        _ => false,
    };
    if !email {
        return None;
    }
    let message = call.args.first()?;
    let (fields, scope) = match message {
        Value::Object(fields) => (fields, call.scope),
        Value::Ident(name) => {
            let binding = facts
                .bindings
                .get(flow.resolve(name, call.scope, call.span.start)? as usize)?;
            match &binding.value {
                Value::Object(fields) => (fields, binding.scope),
                _ => return None,
            }
        }
        _ => return None,
    };
    let parts: Vec<Part<'f>> = fields
        .iter()
        .filter_map(|f| facts.bindings.get(*f as usize))
        .filter(|b| EMAIL_FIELDS.contains(&b.name.as_str()))
        .map(|b| Part {
            value: &b.value,
            scope: b.scope,
            at: b.span.start,
            around: b.span,
        })
        .collect();
    Some(Sink {
        channel: Channel::Email,
        name: compact(call.callee_span.text(text)),
        parts,
        span: callee_span(text, call),
        error_response: false,
        scope,
    })
}

// -------------------------------------------------------------- Rust sinks

/// The response sinks and e-mail sinks of a Rust file.
fn rust_sinks<'f>(flow: &Flow<'f>) -> Vec<Sink<'f>> {
    let facts = flow.facts();
    let text = flow.text();
    let mut sinks = Vec::new();
    // `(StatusCode::X, body)` tuples: in `Err(…)`/`Ok(…)`, before `.into_response()`, returned.
    let mut wrapped_errors: Vec<u32> = Vec::new();
    let mut tuple = |value: &'f Value, scope: ScopeId, at: usize, around: Span, span: Span, in_err: bool| {
        let Value::Array(elements) = value else {
            return;
        };
        let (Some(Value::Member(status)), Some(body), true) = (elements.first(), elements.last(), elements.len() >= 2)
        else {
            return;
        };
        let [.., ty, code] = status.as_slice() else {
            return;
        };
        if ty != "StatusCode" {
            return;
        }
        let error = in_err || !is_success_status(code);
        // A `Json(…)`/`Html(…)` body is a sink of its own, told it is an error here.
        if let Value::Call(id) = body {
            if facts.calls.get(*id as usize).is_some_and(is_rust_body_wrapper) {
                if error {
                    wrapped_errors.push(*id);
                }
                return;
            }
        }
        sinks.push(Sink {
            channel: Channel::Response,
            name: format!("(StatusCode::{code}, …)"),
            parts: vec![Part {
                value: body,
                scope,
                at,
                around,
            }],
            span,
            error_response: error,
            scope,
        });
    };
    for call in &facts.calls {
        let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
        match callee.as_slice() {
            ["Err" | "Ok"] => {
                for arg in &call.args {
                    tuple(
                        arg,
                        call.scope,
                        call.span.start,
                        call.span,
                        call.span,
                        callee[0] == "Err",
                    );
                }
            }
            ["into_response"] => {
                if let Some(receiver) = call.receiver.as_deref() {
                    tuple(receiver, call.scope, call.span.start, call.span, call.span, false);
                }
            }
            _ => {}
        }
    }
    for ret in &facts.returns {
        tuple(&ret.value, ret.scope, ret.span.start, ret.span, ret.span, false);
    }
    let in_err = |call: &Call| {
        facts
            .calls
            .iter()
            .any(|c| c.callee.len() == 1 && c.callee[0] == "Err" && c.span.contains(call.span) && c.span != call.span)
    };
    for (id, call) in facts.calls.iter().enumerate() {
        if call.is_macro {
            continue;
        }
        let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
        let Some(first) = call.args.first() else {
            continue;
        };
        if is_rust_body_wrapper(call) {
            let error = wrapped_errors.contains(&(id as u32)) || in_err(call);
            sinks.push(Sink {
                channel: Channel::Response,
                name: compact(call.callee_span.text(text)),
                parts: vec![Part::of_call(first, call)],
                span: callee_span(text, call),
                error_response: error,
                scope: call.scope,
            });
            continue;
        }
        let method = callee.last().copied().unwrap_or("");
        if let [
            ..,
            "SinglePart" | "MultiPart",
            "html" | "plain" | "alternative_plain_html",
        ] = callee.as_slice()
        {
            sinks.push(Sink {
                channel: Channel::Email,
                name: compact(call.callee_span.text(text)),
                parts: call.args.iter().map(|a| Part::of_call(a, call)).collect(),
                span: callee_span(text, call),
                error_response: false,
                scope: call.scope,
            });
            continue;
        }
        if !matches!(method, "body" | "json" | "subject") || callee.len() != 1 {
            continue;
        }
        let Some((root, status)) = rust_builder_root(facts, call) else {
            continue;
        };
        let channel = match root.as_slice() {
            [.., "Message", "builder"] if method != "json" => Channel::Email,
            [.., "HttpResponse" | "HttpResponseBuilder", _] | [.., "Response", "builder"] if method != "subject" => {
                Channel::Response
            }
            _ => continue,
        };
        let name = match channel {
            Channel::Email => format!("Message::builder()…{method}"),
            Channel::Response => format!("{}()…{method}", root.join("::")),
        };
        sinks.push(Sink {
            channel,
            name,
            parts: vec![Part::of_call(first, call)],
            span: callee_span(text, call),
            error_response: status.unwrap_or(false),
            scope: call.scope,
        });
    }
    sinks
}

/// `Json(…)`, `Html(…)`, `axum::Json(…)`, `web::Json(…)`.
fn is_rust_body_wrapper(call: &Call) -> bool {
    !call.is_macro
        && call.args.len() == 1
        && matches!(
            call.callee.iter().map(String::as_str).collect::<Vec<_>>().as_slice(),
            ["Json" | "Html"]
                | ["axum" | "response" | "web", "Json" | "Html"]
                | ["axum", "response" | "extract", "Json" | "Html"]
        )
}

/// The constructor a Rust builder chain starts from (`["HttpResponse",
/// "InternalServerError"]`, `["Message", "builder"]`), and whether its
/// status is an error.
fn rust_builder_root<'f>(facts: &'f Facts, call: &'f Call) -> Option<(Vec<&'f str>, Option<bool>)> {
    let mut status = None;
    let mut current = call;
    for _ in 0..12 {
        match current.receiver.as_deref() {
            Some(Value::Call(id)) => current = facts.calls.get(*id as usize)?,
            _ => break,
        }
        let callee: Vec<&str> = current.callee.iter().map(String::as_str).collect();
        if matches!(callee.as_slice(), ["status"]) {
            if let Some(Value::Member(path)) = current.args.first() {
                status = path.last().map(|code| !is_success_status(code));
            }
        }
        if callee.len() >= 2 {
            if let [.., "HttpResponse", variant] = callee.as_slice() {
                if status.is_none() && *variant != "build" {
                    status = Some(!matches!(*variant, "Ok" | "Created" | "Accepted" | "NoContent"));
                }
            }
            return Some((callee, status));
        }
    }
    None
}

fn is_success_status(code: &str) -> bool {
    matches!(
        code,
        "OK" | "CREATED"
            | "ACCEPTED"
            | "NO_CONTENT"
            | "PARTIAL_CONTENT"
            | "FOUND"
            | "SEE_OTHER"
            | "MOVED_PERMANENTLY"
            | "TEMPORARY_REDIRECT"
            | "PERMANENT_REDIRECT"
            | "NOT_MODIFIED"
    )
}

// --------------------------------------------------------- where a sink is

/// Whether `scope` is in a `catch` block or a promise's `.catch(…)` callback.
fn in_catch(flow: &Flow<'_>, scope: ScopeId) -> bool {
    let facts = flow.facts();
    let text = flow.text();
    let mut current = Some(scope);
    let mut steps = 0;
    while let Some(id) = current {
        steps += 1;
        let Some(s) = facts.scopes.get(id as usize) else {
            return false;
        };
        if steps > 64 || s.kind == ScopeKind::Module {
            return false;
        }
        let before = text.get(..s.span.start).unwrap_or("").trim_end();
        match s.kind {
            ScopeKind::Block => {
                let before = match before.strip_suffix(')') {
                    Some(_) => opening_paren(before).map_or("", |open| text[..open].trim_end()),
                    None => before,
                };
                if ends_with_word(before, "catch") {
                    return true;
                }
            }
            ScopeKind::Function if before.ends_with("catch(") || before.ends_with(".catch (") => return true,
            _ => {}
        }
        current = s.parent;
    }
    false
}

/// Whether the code at `at` in `scope` runs only in development: inside
/// `if (process.env.NODE_ENV !== "production") { … }`, the `else` of a
/// production check, or after a brace-less development check.
fn in_development_branch(flow: &Flow<'_>, scope: ScopeId, at: usize) -> bool {
    let facts = flow.facts();
    let text = flow.text();
    let mut current = Some(scope);
    let mut steps = 0;
    while let Some(id) = current {
        steps += 1;
        let Some(s) = facts.scopes.get(id as usize) else {
            break;
        };
        if steps > 64 || s.kind != ScopeKind::Block {
            break;
        }
        if let Some(env) = branch_environment(flow, id) {
            return env == Env::Development;
        }
        current = s.parent;
    }
    // `if (dev) res.json(…)`: the condition just before the statement.
    let before = text.get(..at).unwrap_or("").trim_end();
    let before = before.strip_suffix("return").map_or(before, str::trim_end);
    condition_before(text, before.len()).is_some_and(|env| env == Env::Development)
}

/// The environment a block runs in, when it is the body of an `if` whose
/// condition names one, or the `else` of such an `if`.
fn branch_environment(flow: &Flow<'_>, block: ScopeId) -> Option<Env> {
    let facts = flow.facts();
    let text = flow.text();
    let scope = facts.scopes.get(block as usize)?;
    if text.as_bytes().get(scope.span.start) != Some(&b'{') {
        return None;
    }
    let before = text.get(..scope.span.start)?.trim_end();
    if let Some(rest) = before.strip_suffix("else").filter(|_| ends_with_word(before, "else")) {
        let rest = rest.trim_end();
        if !rest.ends_with('}') {
            return None;
        }
        let close = rest.len();
        let previous = facts
            .scopes
            .iter()
            .enumerate()
            .find(|(_, s)| s.kind == ScopeKind::Block && s.span.end == close && s.parent == scope.parent)?;
        return branch_environment(flow, previous.0 as ScopeId).map(Env::flip);
    }
    condition_before(text, before.len())
}

/// The environment the condition of an `if (…)` ending at `end` names.
fn condition_before(text: &str, end: usize) -> Option<Env> {
    let before = text.get(..end)?;
    if !before.ends_with(')') {
        return None;
    }
    let open = opening_paren(before)?;
    if !ends_with_word(text[..open].trim_end(), "if") {
        return None;
    }
    environment_of(&text[open + 1..end - 1])
}

/// Whether an error's details are chosen by a development ternary where
/// the sink uses them: `stack: process.env.NODE_ENV === "production" ?
/// undefined : err.stack`, `app.get("env") === "development" ? err : {}`.
fn in_development_ternary(text: &str, sink: &Sink<'_>, source: Span) -> bool {
    let written = source.text(text);
    let name = written.split(['.', '?', '[', '(', ' ']).next().unwrap_or(written);
    let mut uses = vec![source.start];
    if !name.is_empty() {
        for part in &sink.parts {
            let region = part.around.text(text);
            let bytes = region.as_bytes();
            for (at, _) in region.match_indices(name) {
                let end = at + name.len();
                let bounded =
                    (at == 0 || !is_ident_byte(bytes[at - 1])) && bytes.get(end).is_none_or(|b| !is_ident_byte(*b));
                if bounded {
                    uses.push(part.around.start + at);
                }
            }
        }
    }
    uses.into_iter().any(|at| ternary_chooses_development(text, at))
}

/// Whether the value at `at` is a branch of a ternary, on its line, that
/// runs in development only.
fn ternary_chooses_development(text: &str, at: usize) -> bool {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..at];
    // The last `?` that is not `?.` or `??`.
    let bytes = prefix.as_bytes();
    let question = (0..bytes.len()).rev().find(|&i| {
        bytes[i] == b'?' && !matches!(bytes.get(i + 1), Some(b'.' | b'?')) && (i == 0 || bytes[i - 1] != b'?')
    });
    let Some(question) = question else {
        return false;
    };
    let condition = &prefix[..question];
    let else_branch = prefix[question + 1..].contains(':');
    match environment_of(condition) {
        Some(Env::Development) => !else_branch,
        Some(Env::Production) => else_branch,
        None => false,
    }
}

/// The environment a condition tests for.
fn environment_of(condition: &str) -> Option<Env> {
    let compact: String = condition.chars().filter(|c| !c.is_whitespace()).collect();
    for (word, env) in [
        ("production", Env::Production),
        ("prod", Env::Production),
        ("development", Env::Development),
        ("dev", Env::Development),
        ("local", Env::Development),
    ] {
        for quote in ['\'', '"', '`'] {
            let literal = format!("{quote}{word}{quote}");
            if let Some(at) = compact.find(&literal) {
                let from = floor_char_boundary(&compact, at.saturating_sub(3));
                let mut to = (at + literal.len() + 3).min(compact.len());
                while !compact.is_char_boundary(to) {
                    to += 1;
                }
                let negated = compact[from..to].contains("!=");
                return Some(if negated { env.flip() } else { env });
            }
        }
    }
    if compact.contains("debug_assertions") {
        return Some(if compact.contains("not(debug_assertions") {
            Env::Production
        } else {
            Env::Development
        });
    }
    let negated = compact.starts_with('!');
    let name = compact.trim_start_matches('!');
    let last = name.rsplit(['.', ':']).next().unwrap_or(name).to_ascii_lowercase();
    let env = match last.as_str() {
        "isdev" | "isdevelopment" | "is_dev" | "is_development" | "dev" | "development" | "debug" | "isdebug"
        | "is_debug" | "devmode" | "debugmode" | "dev_mode" | "debug_mode" => Env::Development,
        "isprod" | "isproduction" | "is_prod" | "is_production" | "prod" | "production" => Env::Production,
        _ => return None,
    };
    Some(if negated { env.flip() } else { env })
}

/// The offset of the `(` that matches the `)` `before` ends with.
fn opening_paren(before: &str) -> Option<usize> {
    let bytes = before.as_bytes();
    let mut depth = 0usize;
    for at in (0..bytes.len()).rev() {
        match bytes[at] {
            b')' => depth += 1,
            b'(' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
        if bytes.len() - at > 400 {
            return None;
        }
    }
    None
}

fn ends_with_word(text: &str, word: &str) -> bool {
    text.ends_with(word)
        && text
            .as_bytes()
            .get(text.len().wrapping_sub(word.len() + 1))
            .is_none_or(|b| !is_ident_byte(*b))
}

/// How a message names a sink written as `text`: on one line, without
/// whitespace, with arguments longer than a status code shortened
/// (`res.status(err.status || 500).json` → `res.status(…).json`).
fn compact(text: &str) -> String {
    let mut out = String::new();
    let mut group = String::new();
    let mut depth = 0usize;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        match c {
            '(' => {
                if depth > 0 {
                    group.push(c);
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let short = group.len() <= 8 && group.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    out.push('(');
                    out.push_str(if short { &group } else { "…" });
                    out.push(')');
                    group.clear();
                } else {
                    group.push(c);
                }
            }
            _ if depth > 0 => group.push(c),
            _ => out.push(c),
        }
    }
    if out.chars().count() <= 48 {
        return out;
    }
    let first = out.split(['.', '(']).next().unwrap_or("");
    let last = out.rsplit('.').next().unwrap_or("");
    format!("{first}.….{last}")
}

// ------------------------------------------------------------ lexical tier

mod lexical {
    //! Whether a file could have a finding: a sink whose arguments (or the
    //! values they were given a little earlier) mention an error's details,
    //! a secret-named value, the environment or the request's credentials.

    use super::{ARGUMENTS_WINDOW, CONFIG_WORDS, EARLIER_WINDOW, NEEDLES, NeedleKind};
    use crate::leak::{LazyContext, is_error_name, named_kind_lazily};
    use crate::syntax::is_ident_byte;
    use aho_corasick::AhoCorasick;

    /// How the lexical tier reads a window.
    #[derive(Clone, Copy)]
    struct Reading<'c> {
        rust: bool,
        /// Whether error objects count: in what is sent to the client, not
        /// in the message of a new error or a thrown one.
        errors: bool,
        context: &'c LazyContext<'c>,
    }

    /// Whether a sink in `text` is given something the rule reports; with
    /// no `secret_words` in the file, only error objects sent to the client can be.
    pub(super) fn any_sink_mentions_leak(
        needles: &AhoCorasick,
        needle_of: &[usize],
        text: &str,
        rust: bool,
        secret_words: bool,
    ) -> bool {
        let bytes = text.as_bytes();
        let context = LazyContext::new(text);
        let context = &context;
        for found in needles.find_iter(text) {
            let Some(&(needle, kind)) = needle_of.get(found.pattern().as_usize()).and_then(|i| NEEDLES.get(*i)) else {
                continue;
            };
            let reading = Reading {
                rust,
                errors: match kind {
                    NeedleKind::Suffix => false,
                    NeedleKind::Assign | NeedleKind::Tuple => true,
                    NeedleKind::Call => needle != "throw" && sends_to_client(text, found.start()),
                },
                context,
            };
            if !secret_words && !reading.errors {
                continue;
            }
            let word_start = found.start() == 0 || !is_ident_byte(bytes[found.start() - 1]);
            if kind != NeedleKind::Suffix && !word_start
                || kind == NeedleKind::Suffix && !is_error_constructor(text, found.end())
            {
                continue;
            }
            let window = match kind {
                NeedleKind::Call | NeedleKind::Suffix => call_arguments(text, found.end()),
                NeedleKind::Assign => assigned_value(text, found.end()),
                NeedleKind::Tuple => Some(statement(text, found.end(), true)),
            };
            let Some(window) = window else {
                continue;
            };
            let mut names = Vec::new();
            if mentions_leak(window, reading, &mut names) {
                return true;
            }
            let earlier_start = floor(text, found.start().saturating_sub(EARLIER_WINDOW));
            let earlier = &text[earlier_start..found.start()];
            for name in names {
                if name.len() < 2 {
                    continue;
                }
                for at in definitions(earlier, name) {
                    let value = statement(earlier, at, false);
                    if mentions_leak(value, reading, &mut Vec::new()) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// The argument list after a call's name (the rest of an identifier, then `(`).
    fn call_arguments(text: &str, from: usize) -> Option<&str> {
        let bytes = text.as_bytes();
        let mut at = from;
        while at < bytes.len() && is_ident_byte(bytes[at]) {
            at += 1;
        }
        let skip_spaces = |mut at: usize| {
            while at < bytes.len() && bytes[at].is_ascii_whitespace() && at < from + 64 {
                at += 1;
            }
            at
        };
        at = skip_spaces(at);
        // A Rust turbofish or a TS type argument: `json::<T>(`, `send<T>(`.
        if text[at..].starts_with("::<") {
            at += 2;
        }
        if bytes.get(at) == Some(&b'<') {
            let mut depth = 0usize;
            while at < bytes.len() && at < from + 96 {
                match bytes[at] {
                    b'<' => depth += 1,
                    b'>' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    b'(' | b')' | b'{' | b'}' | b';' | b'=' | b'\n' => return None,
                    _ => {}
                }
                at += 1;
            }
            at = skip_spaces(at + 1);
        }
        if bytes.get(at) != Some(&b'(') {
            return None;
        }
        Some(statement(text, at + 1, true))
    }

    /// Whether the `Error`/`Exception` that ends at `end` names a
    /// constructor of errors: `new TypeError(`, `new HttpException(`, `createError(`.
    fn is_error_constructor(text: &str, end: usize) -> bool {
        let bytes = text.as_bytes();
        if bytes.get(end).is_some_and(|b| is_ident_byte(*b)) {
            return false;
        }
        let mut start = end;
        while start > 0 && is_ident_byte(bytes[start - 1]) {
            start -= 1;
        }
        let name = &text[start..end];
        let before = text[..start].trim_end();
        let after_new = before.ends_with("new")
            && before
                .as_bytes()
                .get(before.len().wrapping_sub(4))
                .is_none_or(|b| !is_ident_byte(*b));
        after_new || matches!(name, "createError" | "createHttpError" | "httpError")
    }

    /// The value after `= ` in an assignment to the needle (`ctx.body = …`, `res.locals.error = …`).
    fn assigned_value(text: &str, from: usize) -> Option<&str> {
        let bytes = text.as_bytes();
        let mut at = from;
        while at < bytes.len() && (is_ident_byte(bytes[at]) || bytes[at] == b'.') && at < from + 64 {
            at += 1;
        }
        while at < bytes.len() && bytes[at] == b' ' {
            at += 1;
        }
        if bytes.get(at) != Some(&b'=') || bytes.get(at + 1) == Some(&b'=') {
            return None;
        }
        Some(statement(text, at + 1, false))
    }

    /// Text from `from` to where its expression ends: a closing bracket
    /// (when `closing`), or a `;` or newline outside brackets.
    fn statement(text: &str, from: usize, closing: bool) -> &str {
        let bytes = text.as_bytes();
        let limit = (from + ARGUMENTS_WINDOW).min(bytes.len());
        let mut depth = 0usize;
        let mut end = from;
        while end < limit {
            match bytes[end] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                b';' if depth == 0 => break,
                b'\n' if depth == 0 && !closing => break,
                _ => {}
            }
            end += 1;
        }
        &text[floor(text, from.min(text.len()))..floor(text, end)]
    }

    /// Offsets in `earlier` just after where `name` is given a value (`name =`, `name:`, `let name`).
    fn definitions<'t>(earlier: &'t str, name: &'t str) -> impl Iterator<Item = usize> + 't {
        let bytes = earlier.as_bytes();
        earlier.match_indices(name).filter_map(move |(at, _)| {
            let end = at + name.len();
            if at > 0 && is_ident_byte(bytes[at - 1]) || bytes.get(end).is_some_and(|b| is_ident_byte(*b)) {
                return None;
            }
            let rest = earlier[end..].trim_start();
            let skipped = earlier.len() - end - rest.len();
            let rest = rest
                .strip_prefix(':')
                .map_or(rest, |r| r.split_once('=').map_or("", |(_, v)| v));
            if rest.starts_with('=') && !rest.starts_with("==") || earlier[end..].trim_start().starts_with(':') {
                Some(end + skipped)
            } else {
                None
            }
        })
    }

    /// Whether `window` mentions something the rule reports; plain
    /// identifiers it mentions go to `names`.
    fn mentions_leak<'t>(window: &'t str, reading: Reading, names: &mut Vec<&'t str>) -> bool {
        let rust = reading.rust;
        let bytes = window.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            if b == b'"' || b == b'\'' && !rust {
                // A string: skipped, but a Rust format string's inline arguments (`{api_key}`) count.
                let quote = b;
                at += 1;
                let start = at;
                while at < bytes.len() && bytes[at] != quote {
                    if bytes[at] == b'\\' {
                        at += 1;
                    }
                    at += 1;
                }
                if rust && quote == b'"' {
                    let content = &window[start..at.min(bytes.len())];
                    if inline_arguments(content).any(|name| chain_leaks(&[name], reading)) {
                        return true;
                    }
                }
                at += 1;
                continue;
            }
            if b == b'`' {
                // A template: its literal text is skipped, its `${…}` read.
                at += 1;
                while at < bytes.len() && bytes[at] != b'`' {
                    if bytes[at] == b'$' && bytes.get(at + 1) == Some(&b'{') {
                        break;
                    }
                    if bytes[at] == b'\\' {
                        at += 1;
                    }
                    at += 1;
                }
                at += 1;
                continue;
            }
            if b == b'}' {
                // The end of a `${…}`: back into the template's literal text.
                if window[..at]
                    .rfind("${")
                    .is_some_and(|open| !window[open..at].contains('`'))
                {
                    at += 1;
                    while at < bytes.len() && bytes[at] != b'`' {
                        if bytes[at] == b'$' && bytes.get(at + 1) == Some(&b'{') {
                            break;
                        }
                        at += 1;
                    }
                }
                at += 1;
                continue;
            }
            if !is_ident_byte(b) || b.is_ascii_digit() {
                at += 1;
                continue;
            }
            // A member chain: `err.response.config`, `std::env::var`, `err?.stack`.
            let chain_start = at;
            let mut chain = Vec::new();
            loop {
                let start = at;
                while at < bytes.len() && is_ident_byte(bytes[at]) {
                    at += 1;
                }
                chain.push(&window[start..at]);
                let rest = &window[at..];
                let separator = ["?.", ".", "::"]
                    .iter()
                    .find(|s| rest.starts_with(**s))
                    .map(|s| s.len());
                match separator {
                    Some(len) if bytes.get(at + len).is_some_and(|b| is_ident_byte(*b)) => at += len,
                    _ => break,
                }
            }
            let key = window[at..].trim_start().starts_with(':') && !window[at..].trim_start().starts_with("::");
            if key && chain.len() == 1 {
                continue;
            }
            // A TypeScript cast: `(err as Error).stack` is `err.stack`.
            if chain.len() == 1 && window[at..].starts_with(" as ") {
                if let Some(close) = window[at..].find(')').map(|c| at + c + 1) {
                    if window[close..].starts_with('.') {
                        let start = close + 1;
                        let mut end = start;
                        while end < bytes.len() && is_ident_byte(bytes[end]) {
                            end += 1;
                        }
                        chain.push(&window[start..end]);
                        at = end;
                    }
                }
            }
            // `Boolean(token)`, `!!token`, `!token`, `token.length`: a check, not the value.
            if chain == ["Boolean"] && bytes.get(at) == Some(&b'(') {
                at = closing(window, at);
                continue;
            }
            let negated = window[..chain_start].ends_with('!');
            let measured = matches!(
                chain.last(),
                Some(&("length" | "size" | "len" | "is_empty" | "isEmpty" | "is_some"))
            );
            if negated || measured {
                continue;
            }
            // `std::env::var("MIRO_CLIENT_SECRET")`: the variable's name is a string.
            if matches!(chain.as_slice(), [.., "env", "var" | "var_os"]) {
                let name = window[at..]
                    .strip_prefix("(\"")
                    .and_then(|rest| rest.split('"').next())
                    .unwrap_or("");
                if leaking_name(name, reading.context) {
                    return true;
                }
                continue;
            }
            if chain_leaks(&chain, reading) {
                return true;
            }
            if chain.len() == 1 {
                names.push(chain[0]);
            }
        }
        false
    }

    /// The names a Rust format string interpolates inline (`{api_key}`, `{config:?}`).
    fn inline_arguments(content: &str) -> impl Iterator<Item = &str> {
        content.split('{').skip(1).filter_map(|piece| {
            let end = piece
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(piece.len());
            let name = &piece[..end];
            (!name.is_empty() && !name.as_bytes()[0].is_ascii_digit()).then_some(name)
        })
    }

    /// Whether a member chain names something the rule reports.
    fn chain_leaks(chain: &[&str], reading: Reading) -> bool {
        let rust = reading.rust;
        let Some((first, rest)) = chain.split_first() else {
            return false;
        };
        if is_error_name(first) && !rust {
            return reading.errors
                && matches!(
                    rest,
                    [] | ["stack" | "config" | "request", ..] | ["response", "config" | "request", ..]
                );
        }
        // The request's headers, cookies or session as a whole (their parts count by name).
        let request = matches!(
            chain.first(),
            Some(&("req" | "request" | "ctx" | "c" | "context" | "event" | "this"))
        );
        if request
            && matches!(
                chain.last(),
                Some(&("headers" | "cookies" | "signedCookies" | "session" | "sessionID"))
            )
        {
            return true;
        }
        chain.iter().any(|segment| {
            matches!(
                *segment,
                "authorization"
                    | "Authorization"
                    | "AUTHORIZATION"
                    | "cookie"
                    | "COOKIE"
                    | "jwt"
                    | "authHeader"
                    | "auth_header"
            ) || leaking_name(segment, reading.context)
                || rust
                    && miroguard_ir::names::split_words(segment)
                        .iter()
                        .any(|w| CONFIG_WORDS.contains(&w.as_str()))
        })
    }

    /// Whether a name says its value is a password, secret, token or session id.
    fn leaking_name(name: &str, context: &LazyContext<'_>) -> bool {
        named_kind_lazily(name, context).is_some()
    }

    /// Whether the sink word at `start` sends to the client: a method of a
    /// response object (`res.json`, `reply.send`, `res.status(500).json`,
    /// `HttpResponse::…().body`) or a response type (`Json(…)`, `new Response(…)`),
    /// not a stream's `write` or a socket's `send`.
    fn sends_to_client(text: &str, start: usize) -> bool {
        let bytes = text.as_bytes();
        if start == 0 || bytes[start - 1] != b'.' {
            return bytes.get(start).is_some_and(|b| b.is_ascii_uppercase());
        }
        // A chain split over lines: `res\n  .status(500)\n  .json(…)`.
        let mut end = start - 1;
        while end > 0 && bytes[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        if end > 0 && bytes[end - 1] == b')' {
            return true;
        }
        let mut from = end;
        while from > 0 && is_ident_byte(bytes[from - 1]) {
            from -= 1;
        }
        let receiver = text[from..end].to_ascii_lowercase();
        matches!(
            receiver.as_str(),
            "res" | "resp" | "response" | "reply" | "ctx" | "c" | "h" | "nextresponse"
        ) || receiver.ends_with("response")
            || receiver.ends_with("res")
            || receiver.ends_with("reply")
    }

    /// The offset just after the bracket that closes the one at `open`.
    fn closing(window: &str, open: usize) -> usize {
        let bytes = window.as_bytes();
        let mut depth = 0usize;
        for (at, b) in bytes.iter().enumerate().skip(open) {
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return at + 1;
                    }
                }
                _ => {}
            }
        }
        bytes.len()
    }

    fn floor(text: &str, at: usize) -> usize {
        super::floor_char_boundary(text, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered::{check, needs_facts};

    fn rule() -> SecretInErrorResponse {
        SecretInErrorResponse::new().expect("built-in rule loads")
    }

    fn found(path: &str, source: &str) -> Vec<(usize, Severity, String)> {
        check(&rule(), path, source)
    }

    fn lines(path: &str, source: &str) -> Vec<usize> {
        found(path, source).into_iter().map(|f| f.0).collect()
    }

    #[test]
    fn the_message_names_the_source_and_the_sink() {
        let source = "app.use((err, req, res, next) => {\n  const details = err.stack;\n  res.status(500).json({ error: details });\n});\n";
        let found = found("server/app.js", source);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 3);
        assert_eq!(found[0].1, Severity::Error);
        assert_eq!(
            found[0].2,
            "the stack trace `err.stack` (line 2) is sent to the client by `res.status(500).json` here; a stack trace shows an attacker the server's files, libraries and code paths"
        );
    }

    #[test]
    fn axios_errors_carry_the_request() {
        let source = "import axios from 'axios';\nexport async function refresh(req, res) {\n  try {\n    await axios.post(URL, item, { headers: { Authorization: `Bearer ${accessToken}` } });\n  } catch (err) {\n    res.status(502).json({ error: err });\n  }\n}\n";
        let found = found("server/refresh.js", source);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].2,
            "the axios error `err`, which holds the failed request's headers and body, is sent to the client by `res.status(502).json` here; whoever makes the request fail gets the credentials it was sent with"
        );
    }

    #[test]
    fn messages_and_text_of_errors_are_not_reported() {
        let source = "app.use((err, req, res, next) => {\n  res.status(500).json({ error: err.message });\n  res.send(`Failed: ${err}`);\n  res.json({ e: String(err), t: err.toString(), code: err.code });\n  console.error(err.stack);\n});\n";
        assert!(found("server/app.js", source).is_empty());
    }

    #[test]
    fn a_development_only_stack_is_a_warning() {
        let source = "app.use((err, req, res, next) => {\n  if (process.env.NODE_ENV !== 'production') {\n    return res.status(500).json({ stack: err.stack });\n  } else {\n    res.status(500).json({ error: 'internal' });\n  }\n});\napp.use((err, req, res, next) => {\n  if (process.env.NODE_ENV === 'production') {\n    res.status(500).send('internal');\n  } else {\n    res.status(500).send(err.stack);\n  }\n  res.json({ stack: app.get('env') === 'development' ? err.stack : undefined });\n});\n";
        let found = found("server/app.js", source);
        let got: Vec<(usize, Severity)> = found.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(
            got,
            [(3, Severity::Warning), (12, Severity::Warning), (14, Severity::Warning)]
        );
    }

    #[test]
    fn tokens_only_in_error_responses() {
        let source = "app.post('/login', async (req, res) => {\n  const accessToken = await login(req.body);\n  res.json({ accessToken });\n});\napp.post('/check', async (req, res) => {\n  const accessToken = await login(req.body);\n  res.status(401).json({ error: 'rejected', accessToken });\n});\napp.get('/config', (req, res) => res.json({ clientSecret: process.env.MIRO_CLIENT_SECRET }));\n";
        assert_eq!(lines("server/auth.js", source), [7, 9]);
    }

    #[test]
    fn emails_carry_secrets_but_reset_links_are_fine() {
        let source = "async function welcome(user, apiKey, resetToken) {\n  await transporter.sendMail({ to: user.email, subject: 'Welcome', text: `Your API key: ${apiKey}` });\n  await transporter.sendMail({ to: user.email, subject: 'Reset', html: `<a href=\"${APP}/reset?token=${resetToken}\">Reset</a>` });\n}\n";
        let found = found("server/mail.js", source);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 2);
        assert!(
            found[0]
                .2
                .starts_with("`apiKey` (line 1) is put in an e-mail by `transporter.sendMail` here")
        );
    }

    #[test]
    fn secrets_in_error_messages() {
        let echo = "function check(accessToken) {\n  if (!valid(accessToken)) throw new Error(`invalid token ${accessToken}`);\n}\napp.use((err, req, res, next) => res.status(400).json({ error: err.message }));\n";
        let found_echo = found("server/auth.js", echo);
        assert_eq!(found_echo.len(), 1, "{found_echo:?}");
        assert_eq!(found_echo[0].1, Severity::Error);
        assert!(
            found_echo[0]
                .2
                .contains("this file sends error messages to the client (`res.status(400).json`, line 4)")
        );
        let alone = "function check(accessToken) {\n  if (!valid(accessToken)) throw new Error(`invalid token ${accessToken}`);\n}\n";
        let found_alone = found("server/auth.js", alone);
        assert_eq!(found_alone.iter().map(|f| f.1).collect::<Vec<_>>(), [Severity::Warning]);
        assert!(
            found(
                "server/auth.js",
                "throw new Error(`token ${tokenId} not found`);\nthrow new Error('MIRO_CLIENT_SECRET is not set');\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn rust_secrets_and_debug_configs_but_not_errors() {
        let source = r#"async fn callback(State(state): State<AppState>) -> Result<Json<Value>, (StatusCode, String)> {
    let token = exchange(&state).await.map_err(|e| {
        (StatusCode::BAD_GATEWAY, format!("exchange failed: {e}"))
    })?;
    if token.is_empty() {
        return Err((StatusCode::INTERNAL_SERVER_ERROR, format!("client {} rejected", state.client_secret)));
    }
    Ok(Json(json!({ "ok": true, "debug": format!("{:?}", config) })))
}
async fn other(e: reqwest::Error) -> impl IntoResponse {
    (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()
}
"#;
        let found = found("src/routes.rs", source);
        let got: Vec<usize> = found.iter().map(|f| f.0).collect();
        assert_eq!(got, [6, 8], "{found:?}");
        assert!(
            found[1]
                .2
                .starts_with("the `Debug` output of `config` is sent to the client by `Json` here")
        );
    }

    #[test]
    fn rust_builders_and_emails() {
        let source = r#"fn a(api_key: &str) -> Response<Body> {
    Response::builder().status(StatusCode::BAD_REQUEST).body(format!("bad key {api_key}").into()).unwrap()
}
fn b(access_token: &str) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "access_token": access_token }))
}
fn c(access_token: &str) -> HttpResponse {
    HttpResponse::Unauthorized().json(json!({ "rejected": access_token }))
}
fn d(client_secret: &str) -> MultiPart {
    MultiPart::alternative_plain_html(format!("secret {client_secret}"), String::new())
}
"#;
        assert_eq!(lines("src/handlers.rs", source), [2, 8, 11]);
    }

    #[test]
    fn unrelated_files_are_not_parsed() {
        let rule = rule();
        let express = "app.get('/boards', async (req, res) => {\n  const boards = await db.boards(req.user.id);\n  if (!boards) return res.status(404).json({ error: 'Not found' });\n  res.json({ data: boards, count: boards.length });\n});\n";
        assert!(!needs_facts(&rule, "server/boards.js", express));
        assert!(!needs_facts(
            &rule,
            "src/util.js",
            "export const add = (a, b) => a + b;\n"
        ));
        assert!(!needs_facts(
            &rule,
            "server/log.js",
            "try { f() } catch (err) { res.status(500).json({ error: err.message }) }\n"
        ));
        assert!(needs_facts(
            &rule,
            "server/err.js",
            "try { f() } catch (err) { res.status(500).json({ error: err.stack }) }\n"
        ));
        assert!(needs_facts(
            &rule,
            "server/err.js",
            "const body = { stack: err.stack };\nres.status(500).json(body);\n"
        ));
        assert!(!needs_facts(
            &rule,
            "tests/err.test.js",
            "res.status(500).json({ error: err.stack })\n"
        ));
    }

    #[test]
    fn sinks_are_named_as_written_and_found_on_their_line() {
        let source = "app.use((err, req, res, next) => {\n  res\n    .status(err.status || 500)\n    .json({ stack: err.stack });\n});\n";
        let found = found("server/app.js", source);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 4);
        assert!(found[0].2.contains("by `res.status(…).json` here"), "{}", found[0].2);
        assert_eq!(compact("res.status(500)\n  .json"), "res.status(500).json");
        assert_eq!(compact("reply.code(err.statusCode ?? 500).send"), "reply.code(…).send");
    }

    #[test]
    fn frameworks_other_than_express() {
        let koa = "app.use(async (ctx, next) => {\n  try { await next(); } catch (err) {\n    ctx.status = 500;\n    ctx.body = { error: err.message };\n    ctx.body = { stack: err.stack };\n  }\n});\n";
        assert_eq!(lines("server/koa.js", koa), [5]);
        let next = "export async function GET() {\n  try { return Response.json(await load()); } catch (err) {\n    return NextResponse.json({ error: 'failed', stack: (err as Error).stack }, { status: 500 });\n  }\n}\n";
        assert_eq!(lines("app/api/x/route.ts", next), [3]);
        let hono = "app.get('/', async (c) => {\n  try { return c.json(await load()); } catch (e) {\n    return c.json({ error: (e as Error).message }, 500);\n  }\n});\n";
        assert!(found("server/hono.ts", hono).is_empty());
        let sessions = "app.get('/me', (req, res) => res.json({ user: req.session.user }));\napp.get('/dump', (req, res) => res.json(req.session));\n";
        assert_eq!(lines("server/me.js", sessions), [2]);
    }

    #[test]
    fn one_time_tokens_in_emails_are_fine_other_credentials_are_not() {
        assert!(is_one_time("resetToken"));
        assert!(is_one_time("invite_token"));
        assert!(is_one_time("user.verificationCode"));
        assert!(!is_one_time("accessToken"));
        assert!(!is_one_time("tokens.refresh_token"));
        let source = "await sgMail.send({ to, subject: 'Tokens', text: `refresh: ${refreshToken}` });\nawait sgMail.send({ to, subject: 'Join', html: `<a href=\"${APP}/join/${inviteToken}\">Join</a>` });\n";
        assert_eq!(lines("server/mail.js", source), [1]);
    }

    #[test]
    fn development_conditions() {
        assert_eq!(
            environment_of("process.env.NODE_ENV !== 'production'"),
            Some(Env::Development)
        );
        assert_eq!(
            environment_of("process.env.NODE_ENV === \"production\""),
            Some(Env::Production)
        );
        assert_eq!(
            environment_of("'production' != process.env.NODE_ENV"),
            Some(Env::Development)
        );
        assert_eq!(
            environment_of("req.app.get('env') === 'development'"),
            Some(Env::Development)
        );
        assert_eq!(environment_of("!config.isProduction"), Some(Env::Development));
        assert_eq!(environment_of("cfg!(debug_assertions)"), Some(Env::Development));
        assert_eq!(environment_of("user.isAdmin"), None);
    }

    #[test]
    fn parameters_named_like_errors_must_be_caught_errors() {
        let source = "app.get('/rows', async (req, res) => {\n  rows.forEach((e) => res.write(e));\n  load().catch((e) => res.status(500).send(e.stack));\n});\n";
        assert_eq!(lines("server/rows.js", source), [3]);
    }

    #[test]
    fn tests_are_not_checked() {
        assert!(found("tests/app.test.js", "res.status(500).json({ stack: err.stack });").is_empty());
    }
}
