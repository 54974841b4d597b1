//! Secrets at run time, for the rules that follow them to where they leak:
//! logs, URLs, responses and e-mails.
//!
//! A value is a secret here when it is made from one of these *sources*:
//!
//! - a variable, parameter, field or function result whose name says it is
//!   a password, secret, token or session id (`accessToken`,
//!   `tokens.refresh_token`, `getAccessToken()`, `bearer.token()`);
//! - an environment variable with such a name (`process.env.CLIENT_SECRET`,
//!   `std::env::var("MIRO_CLIENT_SECRET")`);
//! - the credentials a request carries: its `Authorization` and `Cookie`
//!   headers, its cookies, its session, or all its headers at once
//!   (`req.headers`, `req.get("Authorization")`, `headers.get(AUTHORIZATION)`);
//! - the response of an OAuth token endpoint (`response.data` of a POST to
//!   `…/oauth/token`);
//! - an HTTP-client error (axios), which carries the request it failed on —
//!   its headers and body — in `err.config` and `err.request`;
//! - for responses only: an error's stack or the whole error object.
//!
//! What stops a secret: a call that reduces it to something safe to show
//! (`mask`, `redact`, a hash, `.length`, a first-four-characters slice, a
//! comparison), a `secrecy::Secret` wrapper, or any call the layer does not
//! know to pass its input through — unknown functions are assumed to compute
//! something else, which keeps the rules quiet rather than noisy.

use crate::syntax::{floor_char_boundary, given_on, is_ident_byte};
use aho_corasick::AhoCorasick;
use miroguard_core::{FlowStep, Span};
use miroguard_ir::flow::Flow;
use miroguard_ir::sensitive::{SensitiveKind, sensitivity};
use miroguard_ir::{BindingKind, Call, Facts, ScopeId, StrId, TemplatePart, Value};
use std::cell::RefCell;
use std::collections::HashSet;

/// Files larger than this are not checked by the rules built on this
/// module: app source is far smaller, and what is larger is a bundle or
/// generated code (9 MB `typescript.js`), whose findings are copies of its
/// sources' and whose parse would cost more than the rest of a scan. Semgrep
/// draws the same line by default.
pub(crate) const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Whether the rules built on this module check `input` at all: JS, TS or
/// Rust source that is not test code, type declarations or larger than
/// [`MAX_FILE_BYTES`].
pub(crate) fn checks_file(input: &crate::FileInput<'_>) -> bool {
    let context = input.context;
    context.language.is_source()
        && !context.is_test
        && !context.is_type_declarations()
        && input.text.len() <= MAX_FILE_BYTES
        && !is_bundle(&context.display_path, input.text)
}

/// Whether a file is built output rather than source: under `dist/` or
/// `build/`, named like a bundle (`.min.js`, `.umd.js`, `.prod.js`,
/// `.bundle.js`), or minified (a few lines for many kilobytes). The scan
/// reads such files only with `--include-generated`; their run-time flows
/// are their sources' flows, and they cost far more to parse.
fn is_bundle(path: &str, text: &str) -> bool {
    const BUILT_DIRS: &[&str] = &["dist", "build", "out", "bundles"];
    const BUILT_SUFFIXES: &[&str] = &[
        ".min.js",
        ".min.mjs",
        ".min.cjs",
        ".umd.js",
        ".umd.cjs",
        ".prod.js",
        ".bundle.js",
        ".global.js",
    ];
    let mut segments = path.split('/');
    let file = segments.next_back().unwrap_or("");
    if segments.any(|dir| BUILT_DIRS.contains(&dir)) || BUILT_SUFFIXES.iter().any(|s| file.ends_with(s)) {
        return true;
    }
    const SAMPLE: usize = 16 * 1024;
    text.len() > SAMPLE && memchr::memchr_iter(b'\n', &text.as_bytes()[..SAMPLE]).count() < 8
}

/// Words one of which a file must contain for a secret to be in it, other
/// than an error object: the stems of secret names (`token`, `secret`,
/// `pass`, `apiKey`, `privateKey`…), request credentials (`headers`,
/// `cookie`, `session`, `authorization`) and `axios`, whose errors carry
/// headers. Rules add them to their keywords, so the engine's one keyword
/// pass rules out most files before any rule looks at them.
pub(crate) const SECRET_WORDS: &[&str] = &[
    "token",
    "secret",
    "pass",
    "pwd",
    "authoriz",
    "bearer",
    "cookie",
    "session",
    "cred",
    "jwt",
    "headers",
    "otp",
    "verifier",
    "csrf",
    "xsrf",
    "axios",
    "apikey",
    "api_key",
    "privatekey",
    "private_key",
    "signingkey",
    "signing_key",
    "accesskey",
    "access_key",
    "encryptionkey",
    "encryption_key",
    "masterkey",
    "master_key",
    "clientkey",
    "client_key",
    "appkey",
    "app_key",
    "licensekey",
    "license_key",
    "hmackey",
    "hmac_key",
    "webhookkey",
    "webhook_key",
    "sessionkey",
    "session_key",
    "authheader",
    "auth_header",
    "resetcode",
    "reset_code",
];

/// Whether one of [`SECRET_WORDS`] occurs in the file, for a rule whose
/// keywords list them from index `first` on.
pub(crate) fn has_secret_word(input: &crate::FileInput<'_>, first: usize) -> bool {
    (first..first + SECRET_WORDS.len()).any(|i| input.keywords.contains(i))
}

/// How deep a value is followed through bindings and calls.
const MAX_DEPTH: usize = 12;

/// What a rule looks for secrets for: the sources that count differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Logged: credentials and HTTP-client errors.
    Log,
    /// Put in a URL: credentials only (whole requests and errors do not fit in a URL).
    Url,
    /// Sent to the client or in an e-mail: credentials, HTTP-client errors,
    /// and stack traces or whole error objects.
    Response,
}

/// What kind of source a secret comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SourceKind {
    /// A value whose name says what it is.
    Named(SensitiveKind),
    /// An environment variable with a secret name.
    Environment,
    /// The credentials a request carries.
    RequestCredentials,
    /// The response of an OAuth token endpoint.
    TokenResponse,
    /// An HTTP-client error, which carries its request's headers and body.
    HttpClientError,
    /// An error's stack trace or the whole error object.
    ErrorDetails,
}

/// Where a secret comes from, and the way it took to the place a rule looks at.
#[derive(Clone, Debug)]
pub(crate) struct LeakSource {
    /// What it is.
    pub(crate) kind: SourceKind,
    /// How a message names it: "`accessToken`", "the `Authorization` header".
    pub(crate) description: String,
    /// Where it is.
    pub(crate) span: Span,
    /// The way from the source to the value looked at: the source first,
    /// then each binding it passed through. The rule adds the last step.
    pub(crate) steps: Vec<FlowStep>,
}

/// What a file says about how to read its names.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct LeakContext {
    /// The file speaks of authentication, so a bare `token` is a credential
    /// and not a lexer's token.
    pub(crate) auth: bool,
    /// The file uses axios, whose errors carry their request's headers.
    pub(crate) http_client: bool,
    /// The file mentions a token endpoint (`/oauth/token`), so a response's
    /// `data` or `body` may be its tokens (for lexical tiers only).
    pub(crate) token_endpoint: bool,
}

/// Words that make a file an app's authentication code, where a bare
/// `token` is a credential and a session id a web session's (whole words,
/// so `credentialless` and a TLS `cookie` extension do not count).
const AUTH_WORDS: &[&str] = &[
    "authorization",
    "bearer",
    "oauth",
    "oauth2",
    "access_token",
    "accesstoken",
    "jwt",
    "jsonwebtoken",
    "api_key",
    "apikey",
    "login",
    "password",
    "credentials",
    "cookies",
    "set-cookie",
    "httponly",
    "cookie-parser",
    "express-session",
    "req.session",
    "mirohq",
    "miro.com",
];

impl LeakContext {
    /// Reads the context of a file from its text and imports.
    pub(crate) fn of(facts: &Facts, text: &str) -> LeakContext {
        let auth = LeakContext::lexical(text).auth;
        let http_client = facts.imports.iter().any(|i| i.source == "axios")
            || facts
                .calls
                .iter()
                .any(|c| c.callee.first().is_some_and(|f| f == "axios"));
        LeakContext {
            auth,
            http_client,
            token_endpoint: false,
        }
    }

    /// The context as far as the text alone tells, for lexical tiers: it
    /// may say a file uses axios when it only mentions it.
    pub(crate) fn lexical(text: &str) -> LeakContext {
        static WORDS: std::sync::LazyLock<Option<AhoCorasick>> = std::sync::LazyLock::new(|| {
            let mut words = AUTH_WORDS.to_vec();
            words.push("axios");
            words.push("/token");
            AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .ascii_case_insensitive(true)
                .build(words)
                .ok()
        });
        let Some(automaton) = WORDS.as_ref() else {
            return LeakContext {
                auth: true,
                http_client: true,
                token_endpoint: true,
            };
        };
        let mut context = LeakContext::default();
        let bytes = text.as_bytes();
        for found in automaton.find_iter(text) {
            // Whole words: `mirohq`, not `xmirohq`; `credentials`, not `credentialsless`.
            let is_auth_word = found.pattern().as_usize() < AUTH_WORDS.len();
            if found.start() > 0 && bytes[found.start() - 1].is_ascii_alphanumeric()
                || is_auth_word && bytes.get(found.end()).is_some_and(|b| b.is_ascii_alphanumeric())
            {
                continue;
            }
            match found.pattern().as_usize().checked_sub(AUTH_WORDS.len()) {
                Some(0) => context.http_client = true,
                Some(_) => context.token_endpoint = true,
                None => context.auth = true,
            }
            if context.auth && context.http_client && context.token_endpoint {
                break;
            }
        }
        context
    }
}

/// A file's [`LeakContext`] for lexical tiers, read from its text only when
/// a word needs it (most files have no candidate word, and reading the
/// context is a pass over the whole file).
pub(crate) struct LazyContext<'t> {
    text: &'t str,
    cell: std::cell::OnceCell<LeakContext>,
}

impl<'t> LazyContext<'t> {
    /// The context of `text`, not read yet.
    pub(crate) fn new(text: &'t str) -> LazyContext<'t> {
        LazyContext {
            text,
            cell: std::cell::OnceCell::new(),
        }
    }

    /// A context already known (for tests).
    #[cfg(test)]
    pub(crate) fn known(context: LeakContext) -> LazyContext<'static> {
        let cell = std::cell::OnceCell::new();
        let _ = cell.set(context);
        LazyContext { text: "", cell }
    }

    /// The context, read on first use.
    pub(crate) fn get(&self) -> LeakContext {
        *self.cell.get_or_init(|| LeakContext::lexical(self.text))
    }
}

/// Secret sources in values, for one file.
pub(crate) struct Leaks<'a, 'f> {
    flow: &'a Flow<'f>,
    context: LeakContext,
    purpose: Purpose,
    /// Bindings being followed, against cycles (`a = a + x`).
    visiting: RefCell<HashSet<u32>>,
}

impl<'a, 'f> Leaks<'a, 'f> {
    /// Looks for secrets for `purpose` in the file `flow` is over.
    pub(crate) fn new(flow: &'a Flow<'f>, context: LeakContext, purpose: Purpose) -> Leaks<'a, 'f> {
        Leaks {
            flow,
            context,
            purpose,
            visiting: RefCell::new(HashSet::new()),
        }
    }

    /// The first secret source among the arguments of `call` (and its
    /// receiver, when it has one that is not a logger or response object).
    pub(crate) fn in_arguments(&self, call: &'f Call) -> Option<LeakSource> {
        call.args
            .iter()
            .find_map(|arg| self.source_of(arg, call.scope, call.span.start, call.span))
    }

    /// The secret source `value` is made from, if any. `value` is used at
    /// offset `at` in `scope`, inside the expression `around` (where a
    /// source that has no span of its own is looked for).
    pub(crate) fn source_of(&self, value: &'f Value, scope: ScopeId, at: usize, around: Span) -> Option<LeakSource> {
        self.walk(value, scope, at, around, 0)
    }

    fn walk(&self, value: &'f Value, scope: ScopeId, at: usize, around: Span, depth: usize) -> Option<LeakSource> {
        if depth > MAX_DEPTH {
            return None;
        }
        let facts = self.flow.facts();
        match value {
            Value::Ident(name) => self.name_source(name, scope, at, around, depth),
            Value::Member(path) => self.member_source(path, scope, at, around, depth),
            Value::Call(id) => {
                let call = facts.calls.get(*id as usize)?;
                self.call_source(call, scope, depth)
            }
            Value::Template(parts) => parts.iter().find_map(|part| match part {
                TemplatePart::Expr(Value::Ident(name)) if self.is_error_text(name, scope, at) => None,
                TemplatePart::Expr(value) => self.walk(value, scope, at, around, depth + 1),
                TemplatePart::Str(_) => None,
            }),
            Value::Alternatives(values) | Value::Array(values) => values
                .iter()
                .find_map(|value| self.walk(value, scope, at, around, depth + 1)),
            Value::Object(fields) => fields.iter().find_map(|field| {
                let binding = facts.bindings.get(*field as usize)?;
                self.walk(&binding.value, scope, binding.span.start, binding.span, depth + 1)
            }),
            // Comparisons and arithmetic give something else than the secret.
            Value::Computed(_) => None,
            Value::Str(_) | Value::Number(_) | Value::Bool(_) | Value::Null | Value::Unknown => None,
        }
    }

    fn name_source(&self, name: &'f str, scope: ScopeId, at: usize, around: Span, depth: usize) -> Option<LeakSource> {
        let facts = self.flow.facts();
        let Some(id) = self.flow.resolve(name, scope, at) else {
            let span = locate(self.flow.text(), around, name);
            return self.unbound_source(name, scope, span);
        };
        let binding = facts.bindings.get(id as usize)?;
        if binding.kind == BindingKind::Parameter || binding.value == Value::Unknown {
            return self.unbound_source(name, scope, binding.name_span);
        }
        if is_literal(&binding.value)
            || self.is_redacted(&binding.value)
            || wraps_in_secret(binding.span.text(self.flow.text()))
        {
            return None;
        }
        if !self.visiting.borrow_mut().insert(id) {
            return None;
        }
        let inner = self.walk(
            &binding.value,
            binding.scope,
            binding.span.start,
            binding.span,
            depth + 1,
        );
        self.visiting.borrow_mut().remove(&id);
        if let Some(mut source) = inner {
            source
                .steps
                .push(FlowStep::new(binding.name_span, format!("stored in `{name}`")));
            return Some(source);
        }
        let kind = self.named_kind(name)?;
        Some(LeakSource {
            kind: SourceKind::Named(kind),
            description: format!("`{name}`"),
            span: binding.name_span,
            steps: vec![FlowStep::new(
                binding.name_span,
                format!("`{name}` is {}", kind.describe()),
            )],
        })
    }

    /// A name with no value in the file: a parameter, a `catch` clause's
    /// error, a global.
    fn unbound_source(&self, name: &str, scope: ScopeId, span: Span) -> Option<LeakSource> {
        if let Some(kind) = self.named_kind(name) {
            return Some(LeakSource {
                kind: SourceKind::Named(kind),
                description: format!("`{name}`"),
                span,
                steps: vec![FlowStep::new(span, format!("`{name}` is {}", kind.describe()))],
            });
        }
        if !is_error_name(name) {
            return None;
        }
        match self.purpose {
            Purpose::Log | Purpose::Response if self.credentialed_request_in(scope) => Some(LeakSource {
                kind: SourceKind::HttpClientError,
                description: format!("the axios error `{name}`, which holds the failed request's headers and body,"),
                span,
                steps: vec![FlowStep::new(
                    span,
                    format!("`{name}` may be an axios error, with the request's headers in `{name}.config`"),
                )],
            }),
            Purpose::Response => Some(LeakSource {
                kind: SourceKind::ErrorDetails,
                description: format!("the error object `{name}`"),
                span,
                steps: vec![FlowStep::new(span, format!("`{name}` is an error object"))],
            }),
            _ => None,
        }
    }

    fn member_source(
        &self,
        path: &'f [String],
        scope: ScopeId,
        at: usize,
        around: Span,
        depth: usize,
    ) -> Option<LeakSource> {
        let text = self.flow.text();
        let dotted = path.join(".");
        let source = |kind, description: String, step: String| {
            let span = locate(text, around, &dotted);
            Some(LeakSource {
                kind,
                description,
                span,
                steps: vec![FlowStep::new(span, step)],
            })
        };
        let segments: Vec<&str> = path.iter().map(String::as_str).collect();
        if let Some(what) = request_credentials(&segments) {
            return source(
                SourceKind::RequestCredentials,
                what.clone(),
                format!("{what} carries the user's credentials"),
            );
        }
        let last = *segments.last()?;
        if matches!(
            segments.as_slice(),
            ["process" | "Deno", "env", ..] | ["import", "meta", "env", ..]
        ) {
            return match self.named_kind(last) {
                Some(_) => source(
                    SourceKind::Environment,
                    format!("`{dotted}`"),
                    format!("`{dotted}` is a secret from the environment"),
                ),
                None => None,
            };
        }
        if let [error, rest @ ..] = segments.as_slice() {
            if is_error_name(error) {
                let request = matches!(
                    rest,
                    ["config" | "request", ..] | ["response", "config" | "request", ..]
                );
                if request && self.purpose != Purpose::Url && self.credentialed_request_in(scope) {
                    return source(
                        SourceKind::HttpClientError,
                        format!("`{dotted}` of an axios error, which holds the request's headers,"),
                        format!("`{dotted}` holds the failed request's headers and body"),
                    );
                }
                if self.purpose == Purpose::Response && matches!(rest, ["stack"]) {
                    return source(
                        SourceKind::ErrorDetails,
                        format!("the stack trace `{dotted}`"),
                        format!("`{dotted}` is a stack trace"),
                    );
                }
            }
        }
        if let Some(kind) = self.named_kind(last) {
            return source(
                SourceKind::Named(kind),
                format!("`{dotted}`"),
                format!("`{dotted}` is {}", kind.describe()),
            );
        }
        // `response.data` where `response` is what a token endpoint returned.
        let [root, .., field] = segments.as_slice() else {
            return None;
        };
        if !matches!(*field, "data" | "body") {
            return None;
        }
        let id = self.flow.resolve(root, scope, at)?;
        let binding = self.flow.facts().bindings.get(id as usize)?;
        let Value::Call(call) = &binding.value else {
            return None;
        };
        let call = self.flow.facts().calls.get(*call as usize)?;
        if self.is_token_request(call) && depth <= MAX_DEPTH {
            let span = locate(text, around, &dotted);
            return Some(LeakSource {
                kind: SourceKind::TokenResponse,
                description: format!("`{dotted}`, the OAuth token response,"),
                span,
                steps: vec![
                    FlowStep::new(call.span, "the OAuth token endpoint returns the tokens"),
                    FlowStep::new(span, format!("`{dotted}` holds them")),
                ],
            });
        }
        None
    }

    fn call_source(&self, call: &'f Call, scope: ScopeId, depth: usize) -> Option<LeakSource> {
        let facts = self.flow.facts();
        let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
        let method = callee.last().copied().unwrap_or("");
        let step = |kind, description: String, step: String| {
            Some(LeakSource {
                kind,
                description,
                span: call.span,
                steps: vec![FlowStep::new(call.span, step)],
            })
        };
        if is_redacting_call(call) || self.is_redacting_slice(call) {
            return None;
        }
        if let Some(header) = credential_header(facts, call) {
            return step(
                SourceKind::RequestCredentials,
                format!("the `{header}` header"),
                format!("the `{header}` header carries the user's credentials"),
            );
        }
        if matches!(
            callee.as_slice(),
            [.., "env", "var" | "var_os"] | ["dotenv" | "dotenvy", "var"]
        ) || (matches!(callee.as_slice(), ["var" | "var_os"]) && call.is_macro)
        {
            let name = first_literal(facts, call)?;
            self.named_kind(name)?;
            return step(
                SourceKind::Environment,
                format!("the environment variable `{name}`"),
                format!("`{name}` is a secret from the environment"),
            );
        }
        if self.is_token_request(call) {
            return step(
                SourceKind::TokenResponse,
                "the OAuth token response".to_string(),
                "the OAuth token endpoint returns the tokens".to_string(),
            );
        }
        if let Some(kind) = self.named_kind(method).filter(|_| !is_check(method)) {
            let shown = if call.receiver.is_some() || callee.len() == 1 {
                method.to_string()
            } else {
                callee.join(".")
            };
            return step(
                SourceKind::Named(kind),
                format!("`{shown}()`"),
                format!("`{shown}()` returns {}", kind.describe()),
            );
        }
        // `String(err)`, `err.toString()`: an error as text is its message.
        let stringified = match (callee.as_slice(), call.args.as_slice(), call.receiver.as_deref()) {
            (["String"], [Value::Ident(name)], _) => Some(name.as_str()),
            ([name, "toString" | "to_string"], [], None) => Some(*name),
            (["toString" | "to_string"], [], Some(Value::Ident(name))) => Some(name.as_str()),
            _ => None,
        };
        if stringified.is_some_and(|name| self.is_error_text(name, call.scope, call.span.start)) {
            return None;
        }
        if !passes_through(&callee, call.is_macro) {
            return None;
        }
        let at = call.span.start;
        if let Some(receiver) = call.receiver.as_deref() {
            if let Some(found) = self.walk(receiver, scope, at, call.span, depth + 1) {
                return Some(found);
            }
        } else if callee.len() > 1 && is_conversion_method(method) {
            // `token.toString()` lowered as a path call: the receiver is the path before the method.
            let receiver = &call.callee[..call.callee.len() - 1];
            let found = match receiver {
                [name] => self.name_source(name, scope, at, call.span, depth + 1),
                _ => self.member_source(receiver, scope, at, call.span, depth + 1),
            };
            if found.is_some() {
                return found;
            }
        }
        call.args
            .iter()
            .find_map(|arg| self.walk(arg, scope, at, call.span, depth + 1))
    }

    /// For responses: whether `name`, used at `at` in `scope` where it is
    /// turned into text (`${err}`, `String(err)`, `err.toString()`), is a
    /// caught error, whose text is its message and not its stack or request.
    fn is_error_text(&self, name: &str, scope: ScopeId, at: usize) -> bool {
        if self.purpose != Purpose::Response || !is_error_name(name) || self.named_kind(name).is_some() {
            return false;
        }
        match self.flow.resolve(name, scope, at) {
            None => true,
            Some(id) => self
                .flow
                .facts()
                .bindings
                .get(id as usize)
                .is_some_and(|b| b.kind == BindingKind::Parameter || b.value == Value::Unknown),
        }
    }

    /// Whether the function around `scope` makes an axios request that
    /// carries credentials (an `Authorization` header, a token, a client
    /// secret), so an axios error caught there holds them.
    fn credentialed_request_in(&self, scope: ScopeId) -> bool {
        if !self.context.http_client {
            return false;
        }
        let facts = self.flow.facts();
        let function = self.flow.function_of(scope);
        let text = self.flow.text();
        facts.calls.iter().any(|call| {
            self.flow.function_of(call.scope) == function
                && call
                    .callee
                    .first()
                    .is_some_and(|first| first == "axios" || self.is_axios_instance(first, call.scope, call.span.start))
                && text
                    .get(call.span.start..call.span.end)
                    .is_some_and(|t| carries_credentials(t, self.context))
        })
    }

    /// Whether `name` is an axios instance (`const api = axios.create({…})`).
    fn is_axios_instance(&self, name: &str, scope: ScopeId, at: usize) -> bool {
        let facts = self.flow.facts();
        let Some(binding) = self
            .flow
            .resolve(name, scope, at)
            .and_then(|id| facts.bindings.get(id as usize))
        else {
            return false;
        };
        matches!(&binding.value, Value::Call(id) if facts.calls.get(*id as usize).is_some_and(|c| c.callee == ["axios", "create"]))
    }

    /// The sensitive kind a name says its value is, if it is one that must not leak.
    fn named_kind(&self, name: &str) -> Option<SensitiveKind> {
        named_kind(name, self.context)
    }

    /// Whether `value` is a call that makes a secret safe to show.
    fn is_redacted(&self, value: &Value) -> bool {
        let Value::Call(id) = value else {
            return false;
        };
        let Some(call) = self.flow.facts().calls.get(*id as usize) else {
            return false;
        };
        is_redacting_call(call) || self.is_redacting_slice(call)
    }

    /// `token.slice(0, 4)`, `secret.substring(0, 6)`, `key.slice(-4)`: a few characters, to tell secrets apart.
    fn is_redacting_slice(&self, call: &Call) -> bool {
        let method = call.callee.last().map(String::as_str).unwrap_or("");
        if !matches!(method, "slice" | "substring" | "substr") {
            return false;
        }
        let number = |value: Option<&Value>| match value {
            Some(Value::Number(n)) => n.parse::<i64>().ok(),
            _ => None,
        };
        match (call.args.first(), call.args.len()) {
            (Some(_), 2) => number(call.args.first()) == Some(0) && number(call.args.get(1)).is_some_and(|n| n <= 8),
            // `slice(-4)` is lowered as a computed negation or a number.
            (Some(Value::Computed(_)), 1) => true,
            (Some(Value::Number(n)), 1) => n.starts_with('-'),
            _ => false,
        }
    }

    /// Whether `call` asks an OAuth token endpoint for tokens.
    fn is_token_request(&self, call: &Call) -> bool {
        let facts = self.flow.facts();
        let method = call.callee.last().map(String::as_str).unwrap_or("");
        if !matches!(method, "post" | "fetch" | "request" | "got" | "send" | "axios" | "json") {
            return false;
        }
        let mut literals = Vec::new();
        for arg in &call.args {
            collect_literals(arg, &mut literals);
        }
        // `fetch(url, …).then(r => r.json())` is not followed; `(await fetch(tokenUrl)).json()` is.
        if let Some(Value::Call(inner)) = call.receiver.as_deref() {
            if let Some(inner) = facts.calls.get(*inner as usize) {
                return self.is_token_request(inner);
            }
        }
        literals.iter().any(|id| {
            facts.strings.get(*id as usize).is_some_and(|lit| {
                let lower = lit.value.to_ascii_lowercase();
                lower.contains("oauth") && lower.contains("token") || lower.ends_with("/token")
            })
        })
    }
}

/// A description of request credentials `path` reads, if it reads some:
/// the `Authorization` or `Cookie` header, the cookies, the session, or all
/// the headers of a request.
fn request_credentials(path: &[&str]) -> Option<String> {
    let (root, rest) = path.split_first()?;
    let rest = match (*root, rest) {
        ("ctx" | "c" | "context", ["request" | "req", rest @ ..]) => rest,
        ("req" | "request" | "ctx" | "context" | "event" | "incoming", rest) => rest,
        ("this", ["req" | "request", rest @ ..]) => rest,
        _ => return None,
    };
    match rest {
        ["headers"] => Some(format!("`{}`, with all the request's headers,", path.join("."))),
        ["headers", header, ..] if is_credential_header(header) => Some(format!("the `{header}` header")),
        ["cookies" | "signedCookies"] => Some("the request's cookies".to_string()),
        ["cookies" | "signedCookies", name, ..] => Some(format!("the cookie `{name}`")),
        ["session"] => Some("the session".to_string()),
        ["sessionID" | "sessionId"] => Some("the session id".to_string()),
        _ => None,
    }
}

fn is_credential_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase().replace('_', "-");
    matches!(
        lower.as_str(),
        "authorization" | "cookie" | "proxy-authorization" | "x-api-key" | "x-auth-token" | "x-access-token"
    )
}

/// The credential header a call reads: `req.get("Authorization")`,
/// `req.header("cookie")`, `headers.get(AUTHORIZATION)`, `headers.get(header::COOKIE)`.
fn credential_header(facts: &Facts, call: &Call) -> Option<String> {
    let method = call.callee.last()?;
    if !matches!(
        method.as_str(),
        "get" | "header" | "getHeader" | "get_header" | "get_all" | "typed_get"
    ) {
        return None;
    }
    let name = match call.args.first()? {
        Value::Str(id) => facts.strings.get(*id as usize)?.value.clone(),
        Value::Ident(name) => name.clone(),
        Value::Member(path) => path.last()?.clone(),
        _ => return None,
    };
    is_credential_header(&name).then(|| {
        let lower = name.to_ascii_lowercase();
        let mut shown: String = lower
            .split(['-', '_'])
            .map(|w| {
                let mut chars = w.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join("-");
        if shown.is_empty() {
            shown = name;
        }
        shown
    })
}

fn first_literal<'f>(facts: &'f Facts, call: &Call) -> Option<&'f str> {
    match call.args.first()? {
        Value::Str(id) => facts.strings.get(*id as usize).map(|l| l.value.as_str()),
        _ => None,
    }
}

fn collect_literals(value: &Value, out: &mut Vec<StrId>) {
    match value {
        Value::Str(id) => out.push(*id),
        Value::Template(parts) => {
            for part in parts {
                match part {
                    TemplatePart::Str(id) => out.push(*id),
                    TemplatePart::Expr(value) => collect_literals(value, out),
                }
            }
        }
        Value::Alternatives(values) | Value::Array(values) => {
            for value in values {
                collect_literals(value, out);
            }
        }
        _ => {}
    }
}

/// Whether a value is only literals (`token ? "set" : "missing"` is lowered to its branches).
fn is_literal(value: &Value) -> bool {
    match value {
        Value::Str(_) | Value::Number(_) | Value::Bool(_) | Value::Null => true,
        Value::Alternatives(values) => values.iter().all(is_literal),
        _ => false,
    }
}

/// The sensitive kind a name says its value is, if it is one that must not
/// leak. In a file that says nothing about authentication, a token without
/// a qualifier is a parser's token (`getToken()`, `next_token`), and a
/// session id is a protocol's (`sid` in an automaton, a TLS session id),
/// not a credential.
pub(crate) fn named_kind(name: &str, context: LeakContext) -> Option<SensitiveKind> {
    named_kind_when(name, || context.auth)
}

/// [`named_kind`] with the context read only if the name needs it.
pub(crate) fn named_kind_lazily(name: &str, context: &LazyContext<'_>) -> Option<SensitiveKind> {
    named_kind_when(name, || context.get().auth)
}

/// [`named_kind`], asking `auth` (whether the file is authentication code)
/// only when the name is ambiguous.
fn named_kind_when(name: &str, auth: impl FnOnce() -> bool) -> Option<SensitiveKind> {
    if matches!(
        name,
        "jwt" | "JWT" | "authHeader" | "auth_header" | "authorizationHeader"
    ) {
        return Some(SensitiveKind::Token);
    }
    let sensitive = sensitivity(name)?;
    let leaks = matches!(
        sensitive.kind,
        SensitiveKind::Password | SensitiveKind::Secret | SensitiveKind::Token | SensitiveKind::Session
    );
    if !leaks || sensitive.weak || sensitive.hashed {
        return None;
    }
    // Session ids outside web apps (TLS, QUIC, SSH) are public on the wire.
    let ambiguous = sensitive.kind == SensitiveKind::Session
        || sensitive.kind == SensitiveKind::Token
            && !miroguard_ir::names::split_words(name).iter().any(|word| {
                CREDENTIAL_QUALIFIERS.contains(&word.as_str()) || word.len() > 5 && word.ends_with("token")
            });
    (!ambiguous || auth()).then_some(sensitive.kind)
}

/// Words that make a token or session id a credential in any file.
const CREDENTIAL_QUALIFIERS: &[&str] = &[
    "access",
    "refresh",
    "auth",
    "bearer",
    "api",
    "csrf",
    "xsrf",
    "id",
    "session",
    "jwt",
    "oauth",
    "reset",
    "verification",
    "invite",
    "otp",
    "totp",
    "personal",
    "client",
    "secret",
    "security",
    "sso",
    "login",
    "github",
    "slack",
    "miro",
    "user",
    "sessionid",
];

/// Whether a name is what code calls a caught error.
pub(crate) fn is_error_name(name: &str) -> bool {
    matches!(
        name,
        "err" | "error" | "e" | "ex" | "exc" | "exception" | "axiosError" | "requestError" | "reqErr" | "httpError"
    )
}

/// Whether a Rust binding wraps its value in a `secrecy` type, whose
/// `Debug` and `Display` print `[REDACTED]` (the front end lowers
/// `Secret::new(x)` to `x`, so the text tells).
fn wraps_in_secret(statement: &str) -> bool {
    [
        "Secret::",
        "SecretString::",
        "SecretBox::",
        "SecretSlice::",
        ": Secret<",
        ": SecretString",
        ": SecretBox<",
    ]
    .iter()
    .any(|marker| statement.contains(marker))
}

/// Whether `call` makes a secret safe to show: a redactor, or a
/// constructor of a wrapper that hides it (`Secret::new`, `SecretString::from`).
fn is_redacting_call(call: &Call) -> bool {
    let method = call.callee.last().map(String::as_str).unwrap_or("");
    let ty = call.callee.iter().rev().nth(1).map(String::as_str).unwrap_or("");
    is_redactor(method) || matches!(method, "new" | "from" | "init" | "new_secret") && is_redactor(ty)
}

/// Functions whose result shows no more of a secret than is safe: masks,
/// hashes, lengths, checks.
fn is_redactor(method: &str) -> bool {
    let lower = method.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "mask",
        "redact",
        "obfuscate",
        "censor",
        "scrub",
        "sanitize",
        "sanitise",
        "anonymize",
        "hash",
        "digest",
        "fingerprint",
        "truncate",
    ];
    WORDS.iter().any(|w| lower.contains(w))
        || matches!(
            method,
            "len"
                | "length"
                | "count"
                | "is_empty"
                | "isEmpty"
                | "Boolean"
                | "typeof"
                | "createHash"
                | "sha256"
                | "Secret"
                | "SecretString"
                | "SecretBox"
                | "new_secret"
        )
}

/// Function names that check a credential rather than give it: `validateToken(t)` returns a verdict.
fn is_check(method: &str) -> bool {
    let words = miroguard_ir::names::split_words(method);
    words.first().is_some_and(|w| {
        matches!(
            w.as_str(),
            "validate"
                | "verify"
                | "check"
                | "is"
                | "has"
                | "revoke"
                | "store"
                | "save"
                | "set"
                | "delete"
                | "remove"
                | "clear"
                | "invalidate"
                | "encrypt"
                | "hash"
                | "mask"
                | "redact"
                | "refresh"
                | "rotate"
                | "persist"
                | "update"
                | "upsert"
                | "cache"
                | "handle"
                | "on"
                | "with"
                | "use"
                | "require"
                | "ensure"
                | "parse"
                | "decode"
                | "sign"
                | "exchange"
        )
    }) && !words.iter().any(|w| w == "get")
}

/// Calls whose result carries their input whole: conversions, formatting,
/// serialisation, encoding, joining.
fn passes_through(callee: &[&str], is_macro: bool) -> bool {
    let method = callee.last().copied().unwrap_or("");
    if is_macro {
        return matches!(method, "format" | "format_args" | "concat" | "json");
    }
    if is_conversion_method(method) {
        return true;
    }
    matches!(
        callee,
        ["JSON", "stringify"]
            | ["String"]
            | ["util" | "node:util", "inspect" | "format"]
            | ["inspect" | "format"]
            | ["encodeURIComponent" | "encodeURI" | "escape" | "btoa"]
            | ["Buffer", "from"]
            | ["Object", "assign" | "entries" | "values"]
            | ["serde_json", "to_string" | "to_string_pretty" | "to_value" | "json"]
            | ["Some" | "Ok" | "Err" | "Box" | "Rc" | "Arc" | "Cow"]
            | [.., "Some" | "Ok" | "Err"]
            | ["base64", "encode"]
            | [.., "encode"]
    )
}

/// Methods whose result carries the secret whole: the flow layer's
/// conversions, plus the string and `Option` methods that keep a secret
/// readable (`replace("Bearer ", "")`, `unwrap_or_default()`, `expose_secret()`).
fn is_conversion_method(method: &str) -> bool {
    miroguard_ir::flow::is_conversion(method)
        || matches!(
            method,
            "as_deref"
                | "unwrap_or"
                | "unwrap_or_default"
                | "unwrap_or_else"
                | "ok"
                | "trim_start"
                | "trim_end"
                | "replace"
                | "replaceAll"
                | "split"
                | "concat"
                | "join"
                | "toJSON"
                | "to_str"
                | "deref"
                | "expose_secret"
        )
}

/// Where `needle` is written inside `around` (the whole of `around` when it is not).
fn locate(text: &str, around: Span, needle: &str) -> Span {
    let start = around.start.min(text.len());
    let end = around.end.min(text.len());
    let Some(region) = text.get(start..end) else {
        return around;
    };
    let bytes = region.as_bytes();
    let mut from = 0;
    while let Some(found) = region.get(from..).and_then(|r| r.find(needle)) {
        let at = from + found;
        let before_ok = at == 0 || !is_ident_byte(bytes[at - 1]);
        let after_ok = bytes.get(at + needle.len()).is_none_or(|b| !is_ident_byte(*b));
        if before_ok && after_ok {
            return Span::new(start + at, start + at + needle.len());
        }
        from = at + needle.len().max(1);
    }
    // A member written with brackets (`req.headers["authorization"]`): its last segment.
    if let Some(last) = needle.rsplit('.').next().filter(|l| *l != needle) {
        return locate(text, around, last);
    }
    around
}

/// The lexical tier of the rules built on this module: whether any of the
/// calls `sinks` finds in `text` has an argument list that mentions a
/// secret, or a name given a value that mentions one a little earlier.
pub(crate) struct SinkNeedles {
    automaton: AhoCorasick,
}

/// How many bytes of a sink's arguments the lexical tier reads.
const ARGUMENTS_WINDOW: usize = 600;

/// How far before a sink the lexical tier looks for where its arguments got their values.
const EARLIER_WINDOW: usize = 1200;

impl SinkNeedles {
    /// Needles for sink calls (matched as written: log calls are
    /// lowercase, and a case-sensitive automaton scans several times faster).
    pub(crate) fn new(needles: &[&str]) -> Result<SinkNeedles, String> {
        let automaton = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(needles)
            .map_err(|e| e.to_string())?;
        Ok(SinkNeedles { automaton })
    }

    /// Whether a sink call's arguments mention a secret for `purpose`.
    pub(crate) fn any_sink_mentions_secret(&self, text: &str, context: &LazyContext<'_>, purpose: Purpose) -> bool {
        let bytes = text.as_bytes();
        for found in self.automaton.find_iter(text) {
            // `console.log` must start a word; `.info(` follows one.
            let starts_word = is_ident_byte(bytes[found.start()]);
            if starts_word && found.start() > 0 && is_ident_byte(bytes[found.start() - 1]) {
                continue;
            }
            let Some(arguments) = arguments_after(text, found.end()) else {
                continue;
            };
            let mut names = Vec::new();
            if words_mention_secret(arguments, context, purpose, &mut names) {
                return true;
            }
            // `const line = \`token ${t}\`; log(line)`: where the arguments got their values.
            let earlier_start = floor_char_boundary(text, found.start().saturating_sub(EARLIER_WINDOW));
            let earlier = &text[earlier_start..found.start()];
            for name in names {
                if name.len() < 2 {
                    continue;
                }
                for line in earlier.lines().filter(|line| given_on(line, name)) {
                    if words_mention_secret(line, context, purpose, &mut Vec::new()) {
                        return true;
                    }
                }
            }
        }
        false
    }
}

/// The text of the argument list that starts after `from` (up to its
/// closing parenthesis, or a window's worth).
fn arguments_after(text: &str, from: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() && at < from + 48 && bytes[at] != b'(' {
        if bytes[at] == b';' || bytes[at] == b'\n' && bytes.get(at + 1) != Some(&b' ') {
            return None;
        }
        at += 1;
    }
    if bytes.get(at) != Some(&b'(') {
        return None;
    }
    let start = at + 1;
    let mut depth = 1usize;
    let limit = (start + ARGUMENTS_WINDOW).min(bytes.len());
    let mut end = start;
    while end < limit {
        match bytes[end] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        end += 1;
    }
    text.get(start..floor_char_boundary(text, end))
}

/// Whether the text of a request call mentions credentials: an
/// `Authorization` header, headers at all, a cookie, or a secret-named value.
fn carries_credentials(call: &str, context: LeakContext) -> bool {
    call.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .filter(|word| word.len() >= 2)
        .any(|word| {
            matches!(
                word.to_ascii_lowercase().as_str(),
                "authorization" | "bearer" | "headers" | "cookie" | "auth" | "jwt"
            ) || named_kind(word, context).is_some()
        })
}

/// Whether `window` mentions an identifier that can carry a secret for `purpose`.
pub(crate) fn mentions_secret(window: &str, context: &LazyContext<'_>, purpose: Purpose) -> bool {
    words_mention_secret(window, context, purpose, &mut Vec::new())
}

/// Whether `window` mentions a secret-bearing identifier; the plain
/// identifiers it mentions are added to `names`. Words in string literals
/// count only inside interpolations (`${token}`, `{token}`): a message that
/// says "password" logs no password.
fn words_mention_secret<'t>(
    window: &'t str,
    context: &LazyContext<'_>,
    purpose: Purpose,
    names: &mut Vec<&'t str>,
) -> bool {
    let bytes = window.as_bytes();
    let mut at = 0;
    // The quote of the string literal the scan is in, and how deep in its interpolations.
    let mut quote: Option<u8> = None;
    let mut braces = 0usize;
    while at < bytes.len() {
        let byte = bytes[at];
        if let Some(q) = quote {
            match byte {
                b'\\' => {
                    at += 2;
                    continue;
                }
                b'{' => braces += 1,
                b'}' => braces = braces.saturating_sub(1),
                _ if byte == q && braces == 0 => quote = None,
                _ => {}
            }
            if braces == 0 {
                at += 1;
                continue;
            }
        } else if matches!(byte, b'"' | b'\'' | b'`') {
            quote = Some(byte);
            braces = 0;
            at += 1;
            continue;
        }
        if !is_ident_byte(byte) {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && is_ident_byte(bytes[at]) {
            at += 1;
        }
        let word = &window[start..at];
        if word.as_bytes()[0].is_ascii_digit() {
            continue;
        }
        if names_a_source(word, context, purpose) {
            return true;
        }
        names.push(word);
    }
    false
}

/// Whether one identifier can name a source for `purpose` on its own.
fn names_a_source(word: &str, context: &LazyContext<'_>, purpose: Purpose) -> bool {
    let is = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(word));
    let credentials = is(&[
        "authorization",
        "cookie",
        "cookies",
        "headers",
        "session",
        "sessionid",
        "jwt",
        "authheader",
        "auth_header",
    ]);
    if credentials {
        return true;
    }
    let error = is(&["err", "error", "e", "ex", "exception", "config"]);
    let response_only = is(&["stack", "err", "error", "e", "ex", "exception"]);
    let token_response = is(&["data", "body"]);
    if error && purpose != Purpose::Url && context.get().http_client
        || response_only && purpose == Purpose::Response
        || token_response && context.get().token_endpoint
    {
        return true;
    }
    named_kind_when(word, || context.get().auth).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &str, code: &str, purpose: Purpose) -> Option<String> {
        let context = miroguard_core::FileContext::from_display_path(path);
        let facts = match context.language {
            miroguard_core::Language::Rust => miroguard_rust::lower(code).expect("parses"),
            language => miroguard_js::lower(code, language),
        };
        let flow = Flow::new(&facts, code);
        let leaks = Leaks::new(&flow, LeakContext::of(&facts, code), purpose);
        let sink = facts
            .calls
            .iter()
            .rev()
            .find(|c| c.callee.last().is_some_and(|m| m == "sink"))?;
        leaks.in_arguments(sink).map(|s| s.description)
    }

    #[test]
    fn sources_by_name_request_environment_and_response() {
        let log = |code: &str| source("server/a.js", code, Purpose::Log);
        assert_eq!(
            log("const accessToken = await getIt(); sink(accessToken);").as_deref(),
            Some("`accessToken`")
        );
        assert_eq!(
            log("sink(req.headers.authorization)").as_deref(),
            Some("the `authorization` header")
        );
        assert_eq!(
            log("sink(req.get('Authorization'))").as_deref(),
            Some("the `Authorization` header")
        );
        assert_eq!(
            log("sink(`secret: ${process.env.CLIENT_SECRET}`)").as_deref(),
            Some("`process.env.CLIENT_SECRET`")
        );
        assert_eq!(
            log("const r = await axios.post('https://api.miro.com/v1/oauth/token', p);\nsink(r.data);").as_deref(),
            Some("`r.data`, the OAuth token response,")
        );
        assert!(
            log("import axios from 'axios';\ntry { await axios.get(u, { headers: { Authorization: `Bearer ${t}` } }) } catch (err) { sink(err) }")
                .is_some_and(|d| d.contains("axios error"))
        );
        // An axios request without credentials: its error holds nothing secret.
        assert_eq!(
            log("import axios from 'axios';\ntry { await axios.get(u) } catch (err) { sink(err) }"),
            None
        );
    }

    #[test]
    fn redacted_and_unrelated_values_are_not_sources() {
        let log = |code: &str| source("server/a.js", code, Purpose::Log);
        assert_eq!(log("const token = getIt(); sink(mask(token));"), None);
        assert_eq!(log("const token = getIt(); sink(token.slice(0, 4));"), None);
        assert_eq!(log("const token = getIt(); sink(token.length);"), None);
        assert_eq!(log("const accessToken = x; sink(accessToken ? 'set' : 'unset');"), None);
        assert_eq!(
            log("const token = process.env.TOKEN ? 'set' : 'missing'; sink(token);"),
            None
        );
        assert_eq!(log("sink(user.id, board.name, tokenExpiresAt)"), None);
        assert_eq!(log("const ok = validateToken(t); sink(ok, validateToken(t));"), None);
        assert_eq!(log("sink(passwordHash)"), None);
        // A lexer's token, in a file that says nothing about authentication.
        assert_eq!(
            source("lib/lexer.js", "const token = next(); sink(token);", Purpose::Log),
            None
        );
        // Errors are only sources for responses, or when they are axios errors.
        assert_eq!(log("try { f() } catch (err) { sink(err) }"), None);
        assert!(
            source(
                "server/a.js",
                "try { f() } catch (err) { sink(err.stack) }",
                Purpose::Response
            )
            .is_some()
        );
    }

    #[test]
    fn bundles_are_not_source() {
        assert!(is_bundle("web/dist/app.js", "x"));
        assert!(is_bundle("vendor/vue.global.prod.js", "x"));
        assert!(is_bundle("lib/app.js", &"a".repeat(20_000)));
        assert!(!is_bundle("server/routes/auth.js", "const a = 1;\n"));
        assert!(!is_bundle("src/builder.rs", "fn main() {}\n"));
    }

    #[test]
    fn rust_sources() {
        let log = |code: &str| source("src/main.rs", code, Purpose::Log);
        assert_eq!(
            log("fn f() { let s = std::env::var(\"MIRO_CLIENT_SECRET\").unwrap(); sink(&s); }").as_deref(),
            Some("the environment variable `MIRO_CLIENT_SECRET`")
        );
        assert_eq!(
            log("fn f(h: HeaderMap) { let a = h.get(AUTHORIZATION); sink(a); }").as_deref(),
            Some("the `Authorization` header")
        );
        assert_eq!(
            log("fn f(api_token: String) { sink(format!(\"{}\", api_token)); }").as_deref(),
            Some("`api_token`")
        );
        assert_eq!(
            log("fn f(t: Secret<String>) { let token = Secret::new(x); sink(token); }"),
            None
        );
    }

    #[test]
    fn the_lexical_tier_reads_the_arguments_and_where_they_came_from() {
        let needles = SinkNeedles::new(&["console.log"]).expect("builds");
        let context = LeakContext {
            auth: true,
            http_client: false,
            token_endpoint: false,
        };
        let context = LazyContext::known(context);
        let hit = |text: &str| needles.any_sink_mentions_secret(text, &context, Purpose::Log);
        assert!(hit("console.log('t', accessToken);"));
        assert!(hit("const line = `t ${accessToken}`;\nconsole.log(line);"));
        assert!(hit("console.log(req.headers)"));
        assert!(!hit("console.log('user', user.id);"));
        assert!(!hit("const accessToken = 1;\nconsole.log('done');"));
        assert!(!hit("myconsole.log(accessToken)"));
        assert!(!hit("console.log('Password for {} is {} bytes long', user, n);"));
        assert!(hit("console.log(`password: ${password}`);"));
        assert!(!hit("console.log('failed', err);"));
    }
}
