//! Cookie writes and the attributes they give a cookie, shared by
//! `cookie-missing-httponly` and `cookie-missing-secure`.
//!
//! A *write* is a place where server code sets a cookie: Express's
//! `res.cookie`, `cookie.serialize`, `reply.setCookie`, Hono's and nookies'
//! `setCookie`, Next.js's `cookies().set`, a framework's `ctx.cookies.set`,
//! a hand-written `Set-Cookie` header, the `cookie` crate's `Cookie::new` and
//! `Cookie::build` — and the session middleware that sets its own cookie
//! (express-session, cookie-session, @fastify/session,
//! @fastify/secure-session, actix-session, tower-sessions). For each write
//! this module says what the code does with `HttpOnly` and `Secure`: sets
//! them, clears them, leaves them to the library's default, makes them depend
//! on the environment, or hides them where the rule cannot look (a spread of
//! an imported object, a function parameter). What each library does by
//! default is [`Library::default`]; the rules decide what is worth reporting.
//!
//! Only *sensitive* cookies become writes: those whose name or value says it
//! is a session id or a token (see [`is_sensitive_name`]), and every cookie a
//! session middleware sets. A cookie that is being cleared (empty value,
//! `maxAge: 0`, `.removal()`) is not a write.

use crate::FileInput;
use crate::syntax::{is_ident_byte, normalize_module, required_module};
use aho_corasick::AhoCorasick;
use miroguard_core::{Language, Span};
use miroguard_ir::flow::{Flow, OriginKind};
use miroguard_ir::names::split_words;
use miroguard_ir::sensitive::{SensitiveKind, sensitivity};
use miroguard_ir::{Binding, BindingId, BindingKind, Call, CallId, Facts, ScopeId, TemplatePart, Value};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The engine's prefilter words: every write names a cookie or a session.
pub(crate) const KEYWORDS: &[&str] = &["cookie", "session"];

/// How many variables, fields and functions an options object or a value is followed through.
const MAX_DEPTH: usize = 4;

/// A cookie attribute the rules check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Attribute {
    /// `HttpOnly`: page scripts cannot read the cookie.
    HttpOnly,
    /// `Secure`: the browser sends the cookie only over HTTPS.
    Secure,
}

/// What a library does with an attribute the code leaves unset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LibraryDefault {
    /// Sets it.
    On,
    /// Leaves it off.
    Off,
    /// Sets it only when the request reached Node over HTTPS (the `cookies`
    /// module under cookie-session), or — behind a proxy — when Express trusts
    /// the proxy's `X-Forwarded-Proto`.
    ByRequest,
}

/// The API that writes a cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Library {
    /// Express `res.cookie(name, value, options)`.
    Express,
    /// @fastify/cookie `reply.setCookie(name, value, options)`.
    FastifyCookie,
    /// The `cookie` package's `serialize(name, value, options)`.
    CookieSerialize,
    /// Hono's `setCookie(c, name, value, options)`.
    Hono,
    /// nookies' `setCookie(ctx, name, value, options)`.
    Nookies,
    /// Next.js `cookies().set(…)`, `response.cookies.set(…)`.
    Next,
    /// A framework's cookie jar with safe defaults: Koa's and SvelteKit's `cookies.set`.
    FrameworkJar,
    /// A `Set-Cookie` header written by hand.
    SetCookieHeader,
    /// express-session's `session({ cookie })`.
    ExpressSession,
    /// cookie-session's `cookieSession({ … })`.
    CookieSession,
    /// @fastify/session, registered with `{ cookie }`.
    FastifySession,
    /// @fastify/secure-session, registered with `{ cookie }`.
    FastifySecureSession,
    /// The Rust `cookie` crate (also as `actix_web::cookie`, axum-extra, tower-cookies).
    RustCookie,
    /// actix-session's `SessionMiddleware::builder(…)`.
    ActixSession,
    /// tower-sessions' `SessionManagerLayer::new(…)`.
    TowerSessions,
}

impl Library {
    /// What the library does with `attribute` when the code does not set it.
    /// Sources are listed in the rules' TOML files.
    pub(crate) fn default(self, attribute: Attribute) -> LibraryDefault {
        use Library::*;
        match (self, attribute) {
            (Express | FastifyCookie | CookieSerialize | Hono | Nookies | Next | SetCookieHeader | RustCookie, _) => {
                LibraryDefault::Off
            }
            (FrameworkJar | FastifySession | ActixSession | TowerSessions, _) => LibraryDefault::On,
            (ExpressSession | CookieSession | FastifySecureSession, Attribute::HttpOnly) => LibraryDefault::On,
            (ExpressSession | FastifySecureSession, Attribute::Secure) => LibraryDefault::Off,
            (CookieSession, Attribute::Secure) => LibraryDefault::ByRequest,
        }
    }

    /// How messages name the library.
    pub(crate) fn name(self) -> &'static str {
        use Library::*;
        match self {
            Express => "Express",
            FastifyCookie => "@fastify/cookie",
            CookieSerialize => "the `cookie` package",
            Hono => "Hono",
            Nookies => "nookies",
            Next => "Next.js",
            FrameworkJar => "the framework",
            SetCookieHeader => "a `Set-Cookie` header",
            ExpressSession => "express-session",
            CookieSession => "cookie-session",
            FastifySession => "@fastify/session",
            FastifySecureSession => "@fastify/secure-session",
            RustCookie => "the `cookie` crate",
            ActixSession => "actix-session",
            TowerSessions => "tower-sessions",
        }
    }

    /// How the code gives `attribute` the value `on`, for messages:
    /// `` `httpOnly: false` ``, `` `cookie.secure: true` ``, `` `.with_secure(false)` ``.
    pub(crate) fn option(self, attribute: Attribute, on: bool) -> String {
        use Library::*;
        let (js, rust) = match attribute {
            Attribute::HttpOnly => ("httpOnly", "http_only"),
            Attribute::Secure => ("secure", "secure"),
        };
        match self {
            ExpressSession | FastifySession | FastifySecureSession => format!("`cookie.{js}: {on}`"),
            RustCookie => format!("`.{rust}({on})`"),
            ActixSession => format!("`.cookie_{rust}({on})`"),
            TowerSessions => format!("`.with_{rust}({on})`"),
            SetCookieHeader => match (attribute, on) {
                (Attribute::HttpOnly, true) => "the `HttpOnly` attribute".to_string(),
                (Attribute::Secure, true) => "the `Secure` attribute".to_string(),
                (Attribute::HttpOnly, false) => "no `HttpOnly` attribute".to_string(),
                (Attribute::Secure, false) => "no `Secure` attribute".to_string(),
            },
            _ => format!("`{js}: {on}`"),
        }
    }
}

/// The APIs the rules know, as the generated docs list them.
const APIS: &[(&str, &str, Library)] = &[
    ("Express", "`res.cookie(name, value, options)`", Library::Express),
    (
        "@fastify/cookie",
        "`reply.setCookie(…)`, `reply.cookie(…)`",
        Library::FastifyCookie,
    ),
    ("cookie", "`serialize(name, value, options)`", Library::CookieSerialize),
    ("Hono", "`setCookie(c, name, value, options)`", Library::Hono),
    ("nookies", "`setCookie(ctx, name, value, options)`", Library::Nookies),
    (
        "Next.js",
        "`cookies().set(…)`, `response.cookies.set(…)`",
        Library::Next,
    ),
    ("Koa, SvelteKit", "`ctx.cookies.set(…)`", Library::FrameworkJar),
    ("—", "a `Set-Cookie` header written by hand", Library::SetCookieHeader),
    ("express-session", "`session({ cookie })`", Library::ExpressSession),
    ("cookie-session", "`cookieSession({ … })`", Library::CookieSession),
    (
        "@fastify/session",
        "`register(session, { cookie })`",
        Library::FastifySession,
    ),
    (
        "@fastify/secure-session",
        "`register(secureSession, { cookie })`",
        Library::FastifySecureSession,
    ),
    (
        "cookie (Rust), actix-web, axum-extra, tower-cookies",
        "`Cookie::new(…)`, `Cookie::build(…)`",
        Library::RustCookie,
    ),
    (
        "actix-session",
        "`SessionMiddleware::builder(…)`",
        Library::ActixSession,
    ),
    (
        "tower-sessions (0.8+; older versions, read from `Cargo.lock`, are reported)",
        "`SessionManagerLayer::new(…)`",
        Library::TowerSessions,
    ),
];

/// A Markdown table of what each API does with `attribute` when the code
/// leaves it unset, and what the rule reports then, for the generated docs.
pub(crate) fn defaults_table(attribute: Attribute) -> String {
    let name = match attribute {
        Attribute::HttpOnly => "HttpOnly",
        Attribute::Secure => "Secure",
    };
    let mut table = format!(
        "## Library defaults\n\n| Library | API | {name} when unset | Unset is reported |\n|---|---|---|---|\n"
    );
    for (library, api, id) in APIS {
        let (default, reported) = match id.default(attribute) {
            LibraryDefault::On => ("on", "no"),
            LibraryDefault::Off => ("off", "error"),
            LibraryDefault::ByRequest => (
                "on for requests that reach Node over HTTPS",
                "warning, unless the file sets `trust proxy`",
            ),
        };
        table.push_str(&format!("| {library} | {api} | {default} | {reported} |\n"));
    }
    table.push_str(
        "\nAn explicit `false` is reported for every API; a value that depends on the environment is a note.\n",
    );
    table
}

/// What the code does with one attribute of one write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Setting {
    /// Sets it (`true`, `'auto'` for `secure`, `.secure(true)`, a `Secure` attribute).
    On,
    /// Clears it explicitly, at this span.
    Off(Span),
    /// Does not mention it: the library's default applies.
    Unset,
    /// Makes it depend on the environment (`secure: process.env.NODE_ENV === 'production'`).
    Conditional {
        /// Where the value is written.
        span: Span,
        /// The value as written, shortened for a message.
        condition: String,
    },
    /// Sets it in a way the rule cannot see: a spread of an imported object,
    /// options from a parameter, a value from elsewhere.
    Unknown,
}

/// One sensitive cookie a file sets, and what it does with its attributes.
#[derive(Clone, Debug)]
pub(crate) struct Write {
    /// The API.
    pub(crate) library: Library,
    /// The call that writes it, arguments included.
    pub(crate) span: Span,
    /// The function or method called (`res.cookie`, `session`, `Cookie::build`):
    /// findings about an attribute left unset go here.
    pub(crate) callee: Span,
    /// How messages name the call: `` `res.cookie('sid', …)` ``.
    pub(crate) call: String,
    /// The `HttpOnly` setting.
    pub(crate) http_only: Setting,
    /// The `Secure` setting.
    pub(crate) secure: Setting,
    /// Whether the cookie is `SameSite=None`, which browsers reject without `Secure`.
    pub(crate) same_site_none: bool,
    /// Whether the cookie's name has a `__Host-` or `__Secure-` prefix, which browsers reject without `Secure`.
    pub(crate) secure_prefix: bool,
    /// Whether the file makes Express trust a proxy's `X-Forwarded-Proto`
    /// (`app.set('trust proxy', …)`), which decides [`LibraryDefault::ByRequest`].
    pub(crate) trusts_proxy: bool,
}

impl Write {
    /// The setting of `attribute`.
    pub(crate) fn setting(&self, attribute: Attribute) -> &Setting {
        match attribute {
            Attribute::HttpOnly => &self.http_only,
            Attribute::Secure => &self.secure,
        }
    }
}

/// Whether the rules look at `input` at all, decided from its text alone the
/// same way before the parse and at the check (so the lexical tier loses no
/// finding): source code that is not test code or a bundle, with a cookie
/// write or a session middleware in it, and — for writes that are not a
/// session middleware's — a word that can make a cookie sensitive.
pub(crate) fn applies(input: &FileInput<'_>) -> bool {
    // Both cookie rules ask, before the parse and again at the check.
    *input.memo.cookie_gate.get_or_init(|| gate(input))
}

fn gate(input: &FileInput<'_>) -> bool {
    if !matches!(
        input.context.language,
        Language::JavaScript | Language::TypeScript | Language::Tsx | Language::Rust
    ) || !crate::leak::checks_file(input)
        || !input.keywords.any()
    {
        return false;
    }
    let rust = input.context.language == Language::Rust;
    let Some(gate) = &*GATE else {
        return true;
    };
    let mut found = [false; Marker::COUNT];
    for hit in gate.find_overlapping_iter(input.text) {
        if let Some(marker) = MARKERS.get(hit.pattern().as_usize()) {
            found[marker.1 as usize] = true;
        }
    }
    let has = |marker: Marker| found[marker as usize];
    if rust {
        has(Marker::RustMiddleware) || has(Marker::RustWrite) && has(Marker::Sensitive)
    } else {
        has(Marker::JsMiddleware) || has(Marker::JsWrite) && has(Marker::Cookie) && has(Marker::Sensitive)
    }
}

/// What a gate word says about a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marker {
    /// JS: a session middleware's module.
    JsMiddleware,
    /// JS: a call that can write a cookie.
    JsWrite,
    /// The word `cookie`.
    Cookie,
    /// Rust: a session middleware.
    RustMiddleware,
    /// Rust: a cookie constructor or a `Set-Cookie` header.
    RustWrite,
    /// A stem every sensitive cookie name or value contains.
    Sensitive,
}

impl Marker {
    const COUNT: usize = 6;
}

/// The gate's words, matched case-insensitively.
const MARKERS: &[(&str, Marker)] = &[
    ("express-session", Marker::JsMiddleware),
    ("cookie-session", Marker::JsMiddleware),
    ("fastify/session", Marker::JsMiddleware),
    ("fastify-session", Marker::JsMiddleware),
    ("secure-session", Marker::JsMiddleware),
    // `session({ … })` whose import the rule cannot see, judged by its options' shape.
    ("session({", Marker::JsMiddleware),
    ("cookie(", Marker::JsWrite),
    ("serialize", Marker::JsWrite),
    (".set(", Marker::JsWrite),
    ("set-cookie", Marker::JsWrite),
    ("cookie", Marker::Cookie),
    ("sessionmiddleware", Marker::RustMiddleware),
    ("sessionmanagerlayer", Marker::RustMiddleware),
    ("cookie::new", Marker::RustWrite),
    ("cookie::build", Marker::RustWrite),
    ("cookiebuilder::new", Marker::RustWrite),
    ("set_cookie", Marker::RustWrite),
    ("set-cookie", Marker::RustWrite),
    // The stems of `miroguard_ir::sensitive` for passwords, secrets, tokens
    // and sessions, and of [`COOKIE_WORDS`].
    ("pass", Marker::Sensitive),
    ("pwd", Marker::Sensitive),
    ("pw", Marker::Sensitive),
    ("secret", Marker::Sensitive),
    ("cred", Marker::Sensitive),
    ("key", Marker::Sensitive),
    ("token", Marker::Sensitive),
    ("bearer", Marker::Sensitive),
    ("auth", Marker::Sensitive),
    ("otp", Marker::Sensitive),
    ("verifier", Marker::Sensitive),
    ("code", Marker::Sensitive),
    ("pin", Marker::Sensitive),
    ("sid", Marker::Sensitive),
    ("sess", Marker::Sensitive),
    ("jwt", Marker::Sensitive),
    ("refresh", Marker::Sensitive),
    ("access", Marker::Sensitive),
];

static GATE: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(MARKERS.iter().map(|(word, _)| *word))
        .ok()
});

/// Words of a cookie's name or value that make it a session or a credential,
/// beyond what `miroguard_ir::sensitive` says of identifiers: in a cookie,
/// `session`, `auth` or `jwt` alone are the session.
#[rustfmt::skip]
const COOKIE_WORDS: &[&str] = &[
    "session", "sess", "sessid", "sessionid", "sid", "token", "auth", "jwt", "refresh", "access", "bearer",
];

/// Words that make a cookie something else than a credential: UI state, a
/// flag that a session exists (`hasSession`, `isLoggedIn`), the CSRF token
/// that double-submit schemes make readable on purpose, an OAuth `state`,
/// or the time a token expires.
#[rustfmt::skip]
const NOT_CREDENTIAL_WORDS: &[&str] = &[
    "theme", "locale", "lang", "language", "consent", "banner", "dismissed", "seen", "tab", "has", "is", "csrf",
    "xsrf", "state", "nonce", "hint", "redirect", "return", "url", "uri", "expires", "expiry", "exp", "expiration",
    "ttl", "age", "interval", "count", "length", "type", "flag", "present", "exists",
];

/// Whether a cookie name (or the name of the value it holds) says the cookie
/// is a session id or a credential: `sid`, `connect.sid`, `__Host-session`,
/// `miro_access_token`, `refresh`, `jwt`, `sessionId` — not `theme`,
/// `locale`, `_ga`, `hasSession`, `XSRF-TOKEN` or `token_expires_at`.
pub(crate) fn is_sensitive_name(name: &str) -> bool {
    let words = split_words(name);
    if words.is_empty() || words.iter().any(|w| NOT_CREDENTIAL_WORDS.contains(&w.as_str())) {
        return false;
    }
    if words.iter().any(|w| COOKIE_WORDS.contains(&w.as_str())) {
        return true;
    }
    sensitivity(name).is_some_and(|s| {
        !s.hashed
            && matches!(
                s.kind,
                SensitiveKind::Password | SensitiveKind::Secret | SensitiveKind::Token | SensitiveKind::Session
            )
    })
}

/// Words of a value as written that make a setting depend on where the code runs.
#[rustfmt::skip]
const ENVIRONMENT_WORDS: &[&str] = &[
    "env", "environment", "prod", "production", "dev", "development", "debug", "assertions", "staging", "local",
    "localhost", "https", "ssl", "tls", "protocol", "test", "testing", "cfg",
];

/// Every sensitive cookie `facts` (lowered from `input`'s text) writes,
/// found once per file for both cookie rules.
pub(crate) fn writes<'a>(input: &FileInput<'a>, facts: &'a Facts) -> &'a [Write] {
    input.memo.cookie_writes.get_or_init(|| find_writes(input, facts))
}

fn find_writes<'a>(input: &FileInput<'a>, facts: &'a Facts) -> Vec<Write> {
    let flow = input.memo.flow(facts, input.text);
    let cx = Cx::new(facts, input.text, flow, input.context.language == Language::Rust);
    let mut out = Vec::new();
    for (id, call) in facts.calls.iter().enumerate() {
        if facts.in_test_region(call.span) {
            continue;
        }
        let id = id as CallId;
        let found = if cx.rust {
            cx.rust_cookie(id, call)
                .or_else(|| cx.rust_middleware(id, call))
                .or_else(|| cx.rust_header(call))
        } else {
            cx.js_call(call)
        };
        out.extend(found);
    }
    if !cx.rust {
        for binding in &facts.bindings {
            if matches!(binding.kind, BindingKind::Argument | BindingKind::Field)
                && binding.name.eq_ignore_ascii_case("set-cookie")
                && !facts.in_test_region(binding.span)
            {
                out.extend(cx.header_writes(&binding.value, binding.span, binding.scope));
            }
        }
    }
    out
}

/// One file's Facts, imports and value flow.
struct Cx<'f> {
    facts: &'f Facts,
    text: &'f str,
    flow: &'f Flow<'f>,
    rust: bool,
    /// JS: local name → (module, imported name: `default`, `*` or an export).
    imports: HashMap<&'f str, (&'f str, &'f str)>,
    /// JS: whether the file imports from Next.js's server modules.
    next: bool,
    /// Rust: whether the file uses Rocket, whose cookie jar adds its own defaults.
    rocket: bool,
    /// Whether the file makes Express trust a proxy (`app.set('trust proxy', 1)`).
    trusts_proxy: bool,
    /// Whether the file registers @fastify/cookie with `parseOptions`, which
    /// can give every `setCookie` defaults this rule does not follow.
    fastify_defaults: bool,
    /// Calls by the call whose receiver they are, for method chains.
    parent: HashMap<CallId, CallId>,
}

impl<'f> Cx<'f> {
    fn new(facts: &'f Facts, text: &'f str, flow: &'f Flow<'f>, rust: bool) -> Cx<'f> {
        let mut imports = HashMap::new();
        for import in &facts.imports {
            for name in &import.names {
                imports
                    .entry(name.local.as_str())
                    .or_insert((normalize_module(&import.source), name.imported.as_str()));
            }
        }
        let next = facts
            .imports
            .iter()
            .any(|i| i.source == "next/headers" || i.source == "next/server");
        let rocket = facts
            .imports
            .iter()
            .any(|i| i.source == "rocket" || i.source.starts_with("rocket::"));
        let mut parent = HashMap::new();
        for (id, call) in facts.calls.iter().enumerate() {
            if let Some(Value::Call(receiver)) = call.receiver.as_deref() {
                parent.insert(*receiver, id as CallId);
            }
        }
        Cx {
            facts,
            text,
            flow,
            rust,
            imports,
            next,
            rocket,
            trusts_proxy: text.contains("trust proxy"),
            fastify_defaults: text.contains("parseOptions"),
            parent,
        }
    }

    fn call(&self, id: CallId) -> Option<&'f Call> {
        self.facts.calls.get(id as usize)
    }

    fn binding(&self, id: BindingId) -> Option<&'f Binding> {
        self.facts.bindings.get(id as usize)
    }

    /// The module and export a JS name was imported as.
    fn import(&self, local: &str) -> Option<(&'f str, &'f str)> {
        self.imports.get(local).copied()
    }

    /// Whether `value` is a module loaded from one of `modules`: an imported
    /// name or an inline `require`.
    fn is_module(&self, value: &Value, modules: &[&str]) -> bool {
        match value {
            Value::Ident(name) => self
                .import(name)
                .is_some_and(|(module, imported)| modules.contains(&module) && matches!(imported, "default" | "*")),
            value => required_module(self.facts, value).is_some_and(|m| modules.contains(&m)),
        }
    }

    fn write(&self, library: Library, span: Span, callee: Span, call: String) -> Write {
        Write {
            library,
            span,
            callee,
            call,
            http_only: Setting::Unset,
            secure: Setting::Unset,
            same_site_none: false,
            secure_prefix: false,
            trusts_proxy: self.trusts_proxy,
        }
    }

    // ------------------------------------------------------------ JS calls

    fn js_call(&self, call: &'f Call) -> Option<Write> {
        let last = call.callee.last().map(String::as_str)?;
        let first = call.callee.first().map(String::as_str).unwrap_or("");
        if call.callee.len() == 1 && call.receiver.is_none() {
            if let Some(write) = self.js_session_middleware(call) {
                return Some(write);
            }
        }
        match (call.callee.len(), last) {
            (_, "cookie" | "setCookie") if call.callee.len() >= 2 || call.receiver.is_some() => {
                if matches!(first, "$" | "jQuery" | "Cookies" | "Cookie" | "document" | "window") {
                    return None;
                }
                // `setCookie` is also a client cookie jar's (tough-cookie, Puppeteer): only a reply's counts.
                let reply = call.receiver.is_some() || matches!(first, "reply" | "res" | "rep" | "response");
                if last == "setCookie" && !reply {
                    return None;
                }
                let library = if last == "setCookie" || first == "reply" {
                    Library::FastifyCookie
                } else {
                    Library::Express
                };
                self.js_cookie_args(library, call, 0)
            }
            (_, "register") => self.fastify_session(call),
            (_, "set") if self.is_cookie_store(call) => {
                let library = if self.next {
                    Library::Next
                } else {
                    Library::FrameworkJar
                };
                match call.args.as_slice() {
                    [Value::Object(_)] => self.js_cookie_object(library, call),
                    _ => self.js_cookie_args(library, call, 0),
                }
            }
            _ => self.js_helper_call(call),
        }
    }

    /// `serialize`, Hono's and nookies' `setCookie`, by what they were imported as.
    fn js_helper_call(&self, call: &'f Call) -> Option<Write> {
        let (module, export) = match call.callee.as_slice() {
            [local] => {
                let (module, imported) = self.import(local)?;
                (module, imported)
            }
            [object, method] => match self.import(object) {
                Some((module, "default" | "*")) => (module, method.as_str()),
                Some(_) => return None,
                // `cookie.serialize(…)` with the module loaded where the rule cannot see.
                None if object == "cookie" && method == "serialize" => ("cookie", "serialize"),
                None => return None,
            },
            _ => return None,
        };
        match (module, export) {
            ("cookie" | "@fastify/cookie", "serialize") => self.js_cookie_args(Library::CookieSerialize, call, 0),
            ("hono/cookie", "setCookie") => self.js_cookie_args(Library::Hono, call, 1),
            ("hono/cookie", "setSignedCookie") => {
                // `setSignedCookie(c, name, value, secret, options)`.
                self.js_cookie_args_at(Library::Hono, call, 1, 2, 4)
            }
            ("nookies", "setCookie" | "set") => self.js_cookie_args(Library::Nookies, call, 1),
            _ => None,
        }
    }

    /// Whether a `….set(…)` call sets a cookie on a response: Next.js's
    /// `cookies()` store (called, awaited or held in a variable), or a
    /// `….cookies.set` jar other than the request's own cookies.
    fn is_cookie_store(&self, call: &Call) -> bool {
        let next_cookies = |value: &Value| match value {
            Value::Call(inner) => self.call(*inner).is_some_and(|c| match c.callee.as_slice() {
                [name] => self.import(name) == Some(("next/headers", "cookies")),
                _ => false,
            }),
            _ => false,
        };
        if call.receiver.as_deref().is_some_and(next_cookies) {
            return true;
        }
        if let [object, _] = call.callee.as_slice() {
            let at = call.span.start;
            let held = self
                .flow
                .resolve(object, call.scope, at)
                .and_then(|b| self.binding(b))
                .is_some_and(|b| next_cookies(&b.value));
            if held {
                return true;
            }
        }
        let written = call.callee_span.text(self.text).trim_end();
        // Next.js middleware's `request.cookies.set` changes what later handlers
        // read; it sends nothing to the browser.
        let request = matches!(call.callee.first().map(String::as_str), Some("req" | "request"));
        !request && (written.ends_with(".cookies.set") || written.ends_with(".cookies?.set"))
    }

    /// `f(…, name, value, options)` with the name at `offset`.
    fn js_cookie_args(&self, library: Library, call: &'f Call, offset: usize) -> Option<Write> {
        self.js_cookie_args_at(library, call, offset, offset + 1, offset + 2)
    }

    fn js_cookie_args_at(
        &self,
        library: Library,
        call: &'f Call,
        name_at: usize,
        value_at: usize,
        options_at: usize,
    ) -> Option<Write> {
        let name = call.args.get(name_at)?;
        let value = call.args.get(value_at)?;
        let regions = argument_regions(self.text, call);
        let options = match call.args.get(options_at) {
            None => Some(Options::empty()),
            Some(options) => self.options(
                options,
                regions.get(options_at).copied(),
                call.scope,
                call.span.start,
                0,
            ),
        };
        self.js_cookie(library, call, name_at, name, value, options)
    }

    /// `store.set({ name, value, httpOnly, … })`.
    fn js_cookie_object(&self, library: Library, call: &'f Call) -> Option<Write> {
        let object = call.args.first()?;
        let region = argument_regions(self.text, call).first().copied();
        let options = self.options(object, region, call.scope, call.span.start, 0)?;
        let name = &options.field("name")?.value;
        let value = &options.field("value")?.value;
        self.js_cookie(library, call, 0, name, value, Some(options))
    }

    fn js_cookie(
        &self,
        library: Library,
        call: &'f Call,
        name_at: usize,
        name: &'f Value,
        value: &'f Value,
        options: Option<Options<'f>>,
    ) -> Option<Write> {
        let (scope, at) = (call.scope, call.span.start);
        let cookie = self.cookie_name(name, scope, at);
        if is_cleared_value(self.facts, value) {
            return None;
        }
        let sensitive = cookie
            .literal
            .as_deref()
            .map_or_else(|| cookie.names.iter().any(|n| is_sensitive_name(n)), is_sensitive_name)
            || self.value_is_sensitive(value, scope, at);
        if !sensitive {
            return None;
        }
        let shown = describe_js_call(self.text, call, name_at, &cookie.shown());
        let span = method_span(self.text, call);
        let callee = Span::new(span.start, call.callee_span.end.max(span.start));
        let mut write = self.write(library, span, callee, shown);
        write.secure_prefix = cookie.has_secure_prefix();
        let Some(options) = options else {
            write.http_only = Setting::Unknown;
            write.secure = Setting::Unknown;
            return Some(write);
        };
        if self.is_clearing(&options) {
            return None;
        }
        write.http_only = self.setting(&options, "httpOnly");
        write.secure = self.setting(&options, "secure");
        write.same_site_none = self.same_site_none(&options);
        if library == Library::Hono && options.field("prefix").is_some() {
            // Hono adds the `__Secure-`/`__Host-` prefix and forces `Secure` with it.
            write.secure = Setting::On;
        }
        if library == Library::FastifyCookie && self.fastify_defaults {
            for setting in [&mut write.http_only, &mut write.secure] {
                if *setting == Setting::Unset {
                    *setting = Setting::Unknown;
                }
            }
        }
        Some(write)
    }

    /// express-session's `session(options)` and cookie-session's `cookieSession(options)`.
    fn js_session_middleware(&self, call: &'f Call) -> Option<Write> {
        let [local] = call.callee.as_slice() else {
            return None;
        };
        let library = match self.import(local) {
            Some(("express-session", "default" | "*")) => Library::ExpressSession,
            Some(("cookie-session", "default" | "*")) => Library::CookieSession,
            Some(_) => return None,
            None => match local.as_str() {
                "session" | "expressSession" => Library::ExpressSession,
                "cookieSession" => Library::CookieSession,
                _ => return None,
            },
        };
        let regions = argument_regions(self.text, call);
        let (scope, at) = (call.scope, call.span.start);
        let options = match call.args.first() {
            Some(value) => self.options(value, regions.first().copied(), scope, at, 0),
            None => Some(Options::empty()),
        };
        if self.import(local).is_none() {
            // Without the import, only the options' shape says which middleware this is.
            let options = options.as_ref()?;
            let has = |key: &str| options.field(key).is_some();
            let shaped = match library {
                Library::ExpressSession => {
                    has("secret") && (has("resave") || has("saveUninitialized") || has("store") || has("cookie"))
                }
                _ => has("keys") || has("secret") && has("name"),
            };
            if !shaped {
                return None;
            }
        }
        let shown = match library {
            Library::ExpressSession => format!("`{local}({{…}})` (express-session)"),
            _ => format!("`{local}({{…}})` (cookie-session)"),
        };
        let mut write = self.write(library, call.span, call.callee_span, shown);
        let cookie = match (&options, library) {
            (Some(options), Library::ExpressSession) => options.nested(self, "cookie", at),
            (options, _) => options.clone(),
        };
        match cookie {
            Some(cookie) => {
                write.http_only = self.setting(&cookie, "httpOnly");
                write.secure = self.setting(&cookie, "secure");
                write.same_site_none = self.same_site_none(&cookie);
            }
            None => {
                write.http_only = Setting::Unknown;
                write.secure = Setting::Unknown;
            }
        }
        Some(write)
    }

    /// `fastify.register(session, { cookie })` for @fastify/session and @fastify/secure-session.
    fn fastify_session(&self, call: &'f Call) -> Option<Write> {
        let plugin = call.args.first()?;
        let library = if self.is_module(plugin, &["@fastify/session", "fastify-session"]) {
            Library::FastifySession
        } else if self.is_module(plugin, &["@fastify/secure-session", "fastify-secure-session"]) {
            Library::FastifySecureSession
        } else {
            return None;
        };
        let (scope, at) = (call.scope, call.span.start);
        let regions = argument_regions(self.text, call);
        let options = match call.args.get(1) {
            Some(value) => self.options(value, regions.get(1).copied(), scope, at, 0),
            None => Some(Options::empty()),
        };
        let cookie = options.and_then(|options| {
            let key = if options.field("cookieOptions").is_some() {
                "cookieOptions"
            } else {
                "cookie"
            };
            options.nested(self, key, at)
        });
        let plugin_name = plugin_text(self.text, call, &regions);
        let callee = method_span(self.text, call);
        let callee = Span::new(callee.start, call.callee_span.end.max(callee.start));
        let mut write = self.write(library, call.span, callee, format!("`register({plugin_name}, …)`"));
        match cookie {
            Some(cookie) => {
                write.http_only = self.setting(&cookie, "httpOnly");
                write.secure = self.setting(&cookie, "secure");
                write.same_site_none = self.same_site_none(&cookie);
            }
            None => {
                write.http_only = Setting::Unknown;
                write.secure = Setting::Unknown;
            }
        }
        Some(write)
    }

    /// The writes of a `Set-Cookie` header value: a string, a template, or an array of them.
    fn header_writes(&self, value: &'f Value, span: Span, scope: ScopeId) -> Vec<Write> {
        match value {
            Value::Array(values) => values
                .iter()
                .filter_map(|value| self.header_write(value, span, scope))
                .collect(),
            value => self.header_write(value, span, scope).into_iter().collect(),
        }
    }

    /// One `Set-Cookie` header: `name=value; Path=/; HttpOnly`. The name must
    /// be written out; the attributes are known when no interpolated value
    /// follows the first `;`.
    fn header_write(&self, value: &'f Value, span: Span, scope: ScopeId) -> Option<Write> {
        let value = self.unwrap_header_value(value);
        let parts: Vec<Part<'f>> = match value {
            Value::Str(id) => vec![Part::Text(&self.facts.strings.get(*id as usize)?.value)],
            Value::Template(parts) => parts
                .iter()
                .map(|part| match part {
                    TemplatePart::Str(id) => self
                        .facts
                        .strings
                        .get(*id as usize)
                        .map_or(Part::Value(&Value::Unknown), |s| Part::Text(&s.value)),
                    TemplatePart::Expr(value) => Part::Value(value),
                })
                .collect(),
            _ => return None,
        };
        let header = parse_set_cookie(&parts)?;
        if header.cleared {
            return None;
        }
        let sensitive = is_sensitive_name(&header.name)
            || header
                .values
                .iter()
                .any(|value| self.value_is_sensitive(value, scope, span.start));
        if !sensitive {
            return None;
        }
        let mut write = self.write(
            Library::SetCookieHeader,
            span,
            span,
            format!("the `Set-Cookie` header for `{}`", header.name),
        );
        let attribute = |present: bool| {
            if present {
                Setting::On
            } else if header.open {
                Setting::Unknown
            } else {
                Setting::Unset
            }
        };
        write.http_only = attribute(header.http_only);
        write.secure = attribute(header.secure);
        write.same_site_none = header.same_site_none;
        write.secure_prefix = has_secure_prefix(&header.name);
        Some(write)
    }

    /// The string inside `HeaderValue::from_str(&format!(…))`, `format!(…).parse()`.
    fn unwrap_header_value(&self, value: &'f Value) -> &'f Value {
        let mut value = value;
        for _ in 0..MAX_DEPTH {
            let Value::Call(id) = value else {
                return value;
            };
            let Some(call) = self.call(*id) else {
                return value;
            };
            let method = call.callee.last().map(String::as_str).unwrap_or("");
            value = match (method, call.receiver.as_deref(), call.args.first()) {
                ("from_str" | "from_string" | "try_from" | "from" | "from_maybe_shared", _, Some(arg)) => arg,
                ("parse" | "try_into" | "into" | "to_string", Some(receiver), _) => receiver,
                _ => return value,
            };
        }
        value
    }

    // ------------------------------------------------------------ options objects

    /// The options object `value` is, at `at` in `scope`: an object literal
    /// (written in `region`), or a variable or same-file function that holds one.
    /// `None` when the rule cannot see it.
    fn options(
        &self,
        value: &'f Value,
        region: Option<Span>,
        scope: ScopeId,
        at: usize,
        depth: usize,
    ) -> Option<Options<'f>> {
        if depth > MAX_DEPTH {
            return None;
        }
        match value {
            Value::Object(fields) => {
                let mut options = Options {
                    fields: fields.iter().filter_map(|f| self.binding(*f)).collect(),
                    open: false,
                    holder: None,
                };
                let Some(region) = region else {
                    return Some(options);
                };
                let (spreads, opaque) = spread_names(self.text, region);
                options.open = opaque;
                for name in spreads {
                    let spread = self.options_of_name(name, scope, at, depth + 1);
                    match spread {
                        // What the spread gives comes before the literal's own fields.
                        Some(spread) => {
                            options.open |= spread.open;
                            let mut fields = spread.fields;
                            fields.append(&mut options.fields);
                            options.fields = fields;
                        }
                        None => options.open = true,
                    }
                }
                Some(options)
            }
            Value::Ident(name) => self.options_of_name(name, scope, at, depth),
            Value::Call(id) => {
                // `cookieOptions()` defined in the same file, returning an object literal.
                let call = self.call(*id)?;
                let [name] = call.callee.as_slice() else {
                    return None;
                };
                if call.receiver.is_some() || self.import(name).is_some() {
                    return None;
                }
                let mut found = None;
                for ret in &self.facts.returns {
                    if self.flow.function_name(ret.scope) == Some(name.as_str())
                        && matches!(ret.value, Value::Object(_))
                    {
                        if found.is_some() {
                            return None;
                        }
                        found = Some(ret);
                    }
                }
                let ret = found?;
                let mut options = self.options(&ret.value, Some(ret.span), ret.scope, ret.span.start, depth + 1)?;
                options.holder = None;
                Some(options)
            }
            Value::Null => Some(Options::empty()),
            _ => None,
        }
    }

    /// The options object the variable `name` holds at `at`.
    fn options_of_name(&self, name: &str, scope: ScopeId, at: usize, depth: usize) -> Option<Options<'f>> {
        let id = self.flow.resolve(name, scope, at)?;
        let binding = self.binding(id)?;
        if binding.kind == BindingKind::Parameter {
            return None;
        }
        let region = value_region(binding);
        let mut options = self.options(
            &binding.value,
            Some(region),
            binding.scope,
            binding.span.start,
            depth + 1,
        )?;
        if options.holder.is_none() {
            options.holder = Some((id, Vec::new()));
        }
        Some(options)
    }

    /// What the options say about `key`, counting assignments to the
    /// variable that holds them (`sess.cookie.secure = true`); one made in
    /// a nested block (`if (app.get('env') === 'production') { … }`) makes
    /// the setting depend on the environment.
    fn setting(&self, options: &Options<'f>, key: &str) -> Setting {
        if let Some(assigned) = self.assignment(options, key) {
            let setting = self.classify(&assigned.value, value_region(assigned), assigned.scope, 0);
            let holder_scope = options
                .holder
                .as_ref()
                .and_then(|(id, _)| self.binding(*id))
                .map(|b| b.scope);
            if holder_scope == Some(assigned.scope) {
                return setting;
            }
            let condition = enclosing_condition(self.text, assigned.span.start)
                .unwrap_or_else(|| shorten(assigned.span.text(self.text)));
            return match setting {
                Setting::Unknown => Setting::Unknown,
                _ => Setting::Conditional {
                    span: assigned.span,
                    condition,
                },
            };
        }
        match options.field(key) {
            Some(field) => self.classify(&field.value, value_region(field), field.scope, 0),
            None if options.open => Setting::Unknown,
            None => Setting::Unset,
        }
    }

    /// The last assignment `holder.path.key = v` to the variable that holds `options`.
    fn assignment(&self, options: &Options<'f>, key: &str) -> Option<&'f Binding> {
        let (holder, path) = options.holder.as_ref()?;
        let holder = self.binding(*holder)?;
        self.facts.bindings.iter().rev().find(|b| {
            b.kind == BindingKind::Assignment
                && b.span.start > holder.span.start
                && b.path.len() == path.len() + 2
                && b.path.first() == Some(&holder.name)
                && b.path[1..b.path.len() - 1] == path[..]
                && b.path.last().is_some_and(|k| k == key)
        })
    }

    /// What a value written as an attribute does: `true`, `false`, a
    /// variable holding one, or a condition on the environment.
    fn classify(&self, value: &'f Value, region: Span, scope: ScopeId, depth: usize) -> Setting {
        let off = Setting::Off(region);
        match value {
            Value::Bool(true) => Setting::On,
            Value::Bool(false) => off,
            Value::Number(n) => {
                if n.trim() == "0" {
                    off
                } else {
                    Setting::On
                }
            }
            // A string is truthy, and `'auto'` makes express-session decide per request.
            Value::Str(id) => match self.facts.strings.get(*id as usize).map(|s| s.value.as_str()) {
                Some("") => off,
                _ => Setting::On,
            },
            Value::Null => Setting::Unset,
            Value::Alternatives(values) if values.iter().all(|v| *v == Value::Bool(true)) => Setting::On,
            Value::Ident(name) if depth < MAX_DEPTH => {
                let resolved = self
                    .flow
                    .resolve(name, scope, region.start)
                    .and_then(|id| self.binding(id))
                    .filter(|b| b.kind != BindingKind::Parameter && b.value != Value::Unknown);
                match resolved {
                    Some(binding) => {
                        match self.classify(&binding.value, value_region(binding), binding.scope, depth + 1) {
                            // The variable's own name may say more than its value (`const isProd = …`).
                            Setting::Unknown => self.conditional(region, name),
                            setting => setting,
                        }
                    }
                    None => self.conditional(region, name),
                }
            }
            _ => {
                let written = region.text(self.text);
                match written.trim() {
                    "true" => Setting::On,
                    "false" => off,
                    _ => self.conditional(region, written),
                }
            }
        }
    }

    /// A setting computed at run time: depends on the environment when its
    /// text says so, else out of the rule's sight.
    fn conditional(&self, region: Span, written: &str) -> Setting {
        let environment = split_words(written)
            .iter()
            .any(|w| ENVIRONMENT_WORDS.contains(&w.as_str()))
            || written.contains("NODE_ENV")
            || written.contains("cfg!");
        if environment {
            Setting::Conditional {
                span: region,
                condition: shorten(region.text(self.text)),
            }
        } else {
            Setting::Unknown
        }
    }

    /// Whether the options make the cookie `SameSite=None`.
    fn same_site_none(&self, options: &Options<'f>) -> bool {
        let field = self
            .assignment(options, "sameSite")
            .or_else(|| options.field("sameSite"));
        field.is_some_and(|field| {
            self.facts
                .literal_values(&field.value)
                .iter()
                .any(|lit| lit.value.eq_ignore_ascii_case("none"))
        })
    }

    /// Whether the options expire the cookie at once: `maxAge: 0`, `expires: new Date(0)`.
    fn is_clearing(&self, options: &Options<'f>) -> bool {
        let zero = |key: &str| {
            options.field(key).is_some_and(|field| {
                let written = value_region(field)
                    .text(self.text)
                    .trim()
                    .trim_start_matches(':')
                    .trim();
                written == "0"
                    || written.contains("Date(0)")
                    || written.contains("Date(1)")
                    || written.contains("EPOCH")
            })
        };
        zero("maxAge") || zero("expires")
    }

    // ------------------------------------------------------------ names and values

    /// What the cookie's name is: the literal it resolves to, or the names it comes from.
    fn cookie_name(&self, value: &'f Value, scope: ScopeId, at: usize) -> CookieName {
        let mut name = CookieName::default();
        let origins = self.flow.origins(value, scope, at);
        let mut literal = String::new();
        let mut complete = true;
        for origin in &origins {
            match &origin.kind {
                OriginKind::Literal(id) => {
                    if let Some(lit) = self.facts.strings.get(*id as usize) {
                        literal.push_str(&lit.value);
                    }
                }
                _ => complete = false,
            }
            for n in self.flow.origin_names(origin) {
                name.names.push(n.to_string());
            }
        }
        if let Value::Ident(ident) = value {
            name.written = Some(ident.clone());
        }
        if !literal.is_empty() {
            if complete {
                name.literal = Some(literal);
            } else {
                // `${prefix}_session`: its literal parts still say what it is.
                name.names.push(literal);
            }
        }
        name
    }

    /// Whether the value stored in the cookie says it is a credential: a
    /// variable, field or call named like one (`accessToken`,
    /// `tokens.refresh_token`, `req.sessionID`, `jwt.sign(…)`).
    fn value_is_sensitive(&self, value: &'f Value, scope: ScopeId, at: usize) -> bool {
        let origins = self.flow.origins(value, scope, at);
        origins.iter().any(|origin| {
            let own = match &origin.kind {
                // The last segment says what a member is; `session.id` needs the one before it.
                OriginKind::Member(path) => match &path[..] {
                    [.., owner, last] if matches!(last.as_str(), "id" | "value") => format!("{owner}_{last}"),
                    [.., last] => last.clone(),
                    [] => String::new(),
                },
                OriginKind::Call(id) => self.call(*id).map(|c| c.callee.join("_")).unwrap_or_default(),
                OriginKind::Name(name) => name.to_string(),
                _ => String::new(),
            };
            let via = origin
                .via
                .iter()
                .filter_map(|id| self.binding(*id))
                .any(|b| is_sensitive_name(&b.name));
            is_sensitive_name(&own) || via
        })
    }

    // ------------------------------------------------------------ Rust

    /// The methods called along a chain that starts at `root`, and on the
    /// variable the chain's result is stored in, later in the same function.
    fn chain(&self, root: CallId) -> (Vec<(&'f str, &'f Call)>, Vec<CallId>) {
        let mut methods = Vec::new();
        let mut ids = vec![root];
        let mut current = root;
        while let Some(next) = self.parent.get(&current).copied() {
            if ids.contains(&next) || ids.len() > 64 {
                break;
            }
            if let Some(call) = self.call(next) {
                if let Some(method) = call.callee.last() {
                    methods.push((method.as_str(), call));
                }
            }
            ids.push(next);
            current = next;
        }
        let Some(root_call) = self.call(root) else {
            return (methods, ids);
        };
        let function = self.flow.function_of(root_call.scope);
        let holder = self.facts.bindings.iter().find(|b| {
            matches!(b.kind, BindingKind::Variable | BindingKind::Assignment)
                && b.path.len() == 1
                && matches!(&b.value, Value::Call(id) if ids.contains(id))
        });
        if let Some(holder) = holder {
            for call in &self.facts.calls {
                let on_holder = matches!(call.callee.as_slice(), [object, _] if *object == holder.name);
                if on_holder
                    && call.span.start > holder.span.start
                    && self.flow.function_of(call.scope) == function
                    && self
                        .flow
                        .resolve(&holder.name, call.scope, call.span.start)
                        .and_then(|b| self.binding(b))
                        == Some(holder)
                {
                    if let Some(method) = call.callee.last() {
                        methods.push((method.as_str(), call));
                    }
                }
            }
        }
        (methods, ids)
    }

    /// `Cookie::new(name, value)`, `Cookie::build((name, value))`,
    /// `CookieBuilder::new(name, value)` with what its chain and variable set.
    fn rust_cookie(&self, id: CallId, call: &'f Call) -> Option<Write> {
        let n = call.callee.len();
        if n < 2 || self.rocket {
            return None;
        }
        match (call.callee[n - 2].as_str(), call.callee[n - 1].as_str()) {
            ("Cookie", "new" | "build") | ("CookieBuilder", "new") => {}
            _ => return None,
        }
        let (name, value) = match call.args.as_slice() {
            [Value::Array(pair)] => match pair.as_slice() {
                [name, value] => (name, value),
                _ => return None,
            },
            [name, value, ..] => (name, value),
            _ => return None,
        };
        if is_cleared_value(self.facts, value) {
            return None;
        }
        let (scope, at) = (call.scope, call.span.start);
        let cookie = self.cookie_name(name, scope, at);
        let sensitive = cookie
            .literal
            .as_deref()
            .map_or_else(|| cookie.names.iter().any(|n| is_sensitive_name(n)), is_sensitive_name)
            || self.value_is_sensitive(value, scope, at);
        if !sensitive {
            return None;
        }
        let (methods, ids) = self.chain(id);
        if self.removed(&ids) {
            return None;
        }
        let shown = format!(
            "`{}({}, …)`",
            call.callee_span.text(self.text).trim(),
            cookie.shown_quoted('"')
        );
        let mut write = self.write(Library::RustCookie, self.chain_span(&ids), call.callee_span, shown);
        write.secure_prefix = cookie.has_secure_prefix();
        for (method, method_call) in methods {
            match method {
                "http_only" | "set_http_only" => write.http_only = self.rust_setting(method_call),
                "secure" | "set_secure" => write.secure = self.rust_setting(method_call),
                "same_site" | "set_same_site" => {
                    write.same_site_none = rust_argument(self.text, method_call).text(self.text).contains("None");
                }
                "removal" | "make_removal" => return None,
                "max_age" | "set_max_age" | "expires" | "set_expires" => {
                    let written = rust_argument(self.text, method_call).text(self.text);
                    if written.contains("ZERO") || written.contains("(0)") || written.contains("EPOCH") {
                        return None;
                    }
                }
                _ => {}
            }
        }
        Some(write)
    }

    /// The extent of a method chain: its outermost call, which holds the others.
    fn chain_span(&self, ids: &[CallId]) -> Span {
        ids.iter()
            .filter_map(|id| self.call(*id))
            .map(|call| call.span)
            .max_by_key(|span| span.len())
            .unwrap_or_default()
    }

    /// Whether the cookie built by the calls `ids` is handed to a jar's `remove`.
    fn removed(&self, ids: &[CallId]) -> bool {
        self.facts.calls.iter().any(|call| {
            matches!(
                call.callee.last().map(String::as_str),
                Some("remove" | "remove_private" | "remove_signed" | "force_remove")
            ) && call
                .args
                .iter()
                .any(|arg| matches!(arg, Value::Call(id) if ids.contains(id)))
        })
    }

    /// actix-session's `SessionMiddleware::builder(…)` and tower-sessions'
    /// `SessionManagerLayer::new(…)`, whose defaults are safe: only what the
    /// chain sets matters.
    fn rust_middleware(&self, id: CallId, call: &'f Call) -> Option<Write> {
        let n = call.callee.len();
        if n < 2 {
            return None;
        }
        let (library, secure, http_only, same_site) = match (call.callee[n - 2].as_str(), call.callee[n - 1].as_str()) {
            ("SessionMiddleware", "builder") => (
                Library::ActixSession,
                "cookie_secure",
                "cookie_http_only",
                "cookie_same_site",
            ),
            ("SessionManagerLayer", "new") => (
                Library::TowerSessions,
                "with_secure",
                "with_http_only",
                "with_same_site",
            ),
            _ => return None,
        };
        let shown = format!("`{}(…)`", call.callee_span.text(self.text).trim());
        let (methods, ids) = self.chain(id);
        let mut write = self.write(library, self.chain_span(&ids), call.callee_span, shown);
        for (method, method_call) in methods {
            if method == secure {
                write.secure = self.rust_setting(method_call);
            } else if method == http_only {
                write.http_only = self.rust_setting(method_call);
            } else if method == same_site {
                write.same_site_none = rust_argument(self.text, method_call).text(self.text).contains("None");
            }
        }
        Some(write)
    }

    /// What `.secure(x)` sets, from `x` as written.
    fn rust_setting(&self, call: &'f Call) -> Setting {
        let argument = rust_argument(self.text, call);
        let method = Span::new(call.callee_span.start, call.span.end);
        let written = argument.text(self.text).trim();
        let written = written
            .strip_prefix("Some(")
            .and_then(|w| w.strip_suffix(')'))
            .unwrap_or(written)
            .trim();
        match written {
            "true" => Setting::On,
            "false" => Setting::Off(method),
            "None" => Setting::Unset,
            _ => match call.args.first() {
                Some(value @ Value::Ident(_)) => match self.classify(value, argument, call.scope, 0) {
                    Setting::Off(_) => Setting::Off(method),
                    setting => setting,
                },
                _ => self.conditional(argument, written),
            },
        }
    }

    /// A `Set-Cookie` header added in Rust: `(header::SET_COOKIE, value)`
    /// as a tuple or as two arguments.
    fn rust_header(&self, call: &'f Call) -> Option<Write> {
        let is_set_cookie = |value: &Value| match value {
            Value::Member(path) => path.last().is_some_and(|last| last == "SET_COOKIE"),
            Value::Str(id) => self
                .facts
                .strings
                .get(*id as usize)
                .is_some_and(|s| s.value.eq_ignore_ascii_case("set-cookie")),
            _ => false,
        };
        let pair = |values: &'f [Value]| match values {
            [key, value] if is_set_cookie(key) => Some(value),
            _ => None,
        };
        let value = pair(&call.args).or_else(|| {
            call.args.iter().find_map(|arg| match arg {
                Value::Array(values) => pair(values),
                _ => None,
            })
        })?;
        let span = if call.receiver.is_some() {
            Span::new(call.callee_span.start, call.span.end)
        } else {
            call.span
        };
        let mut writes = self.header_writes(value, span, call.scope);
        if writes.len() > 1 {
            return None;
        }
        writes.pop()
    }
}

/// An options object as far as the rule can see it.
#[derive(Clone, Debug)]
struct Options<'f> {
    /// Its fields; a later one with the same key wins.
    fields: Vec<&'f Binding>,
    /// Whether something the rule cannot see may add fields (a spread of an import).
    open: bool,
    /// The variable it is held in, and the path to it inside that variable's
    /// value, for later assignments (`sess.cookie.secure = true`).
    holder: Option<(BindingId, Vec<String>)>,
}

impl<'f> Options<'f> {
    fn empty() -> Options<'f> {
        Options {
            fields: Vec::new(),
            open: false,
            holder: None,
        }
    }

    fn field(&self, key: &str) -> Option<&'f Binding> {
        self.fields.iter().rev().copied().find(|f| f.name == key)
    }

    /// The object at `key` (`cookie` of express-session's options); an empty
    /// object when the key is absent from options the rule fully sees.
    fn nested(&self, cx: &Cx<'f>, key: &str, at: usize) -> Option<Options<'f>> {
        let holder = self.holder.clone().map(|(id, mut path)| {
            path.push(key.to_string());
            (id, path)
        });
        match self.field(key) {
            Some(field) => {
                let mut nested = cx.options(&field.value, Some(value_region(field)), field.scope, at, 1)?;
                if nested.holder.is_none() {
                    nested.holder = holder;
                }
                Some(nested)
            }
            None if self.open => None,
            None => Some(Options {
                fields: Vec::new(),
                open: false,
                holder,
            }),
        }
    }
}

/// A cookie's name, as far as it is known.
#[derive(Debug, Default)]
struct CookieName {
    /// The whole name, when it resolves to literals only.
    literal: Option<String>,
    /// The identifier written as the name, if any.
    written: Option<String>,
    /// The names and literal parts it is made from.
    names: Vec<String>,
}

impl CookieName {
    /// How messages show it: `'sid'`, `SESSION_COOKIE`, `…`.
    fn shown(&self) -> String {
        self.shown_quoted('\'')
    }

    /// How messages show it, quoted with `quote` when it is a literal.
    fn shown_quoted(&self, quote: char) -> String {
        match (&self.literal, &self.written) {
            (Some(literal), _) => format!("{quote}{}{quote}", shorten(literal)),
            (None, Some(written)) => written.clone(),
            (None, None) => "…".to_string(),
        }
    }

    fn has_secure_prefix(&self) -> bool {
        self.literal.as_deref().is_some_and(has_secure_prefix)
    }
}

fn has_secure_prefix(name: &str) -> bool {
    name.starts_with("__Host-") || name.starts_with("__Secure-")
}

/// Whether a cookie's value says it is being cleared (`''`) or is a flag (`true`, `1`).
fn is_cleared_value(facts: &Facts, value: &Value) -> bool {
    match value {
        Value::Str(id) => facts.strings.get(*id as usize).is_some_and(|s| s.value.is_empty()),
        Value::Bool(_) | Value::Number(_) | Value::Null => true,
        _ => false,
    }
}

/// A piece of a `Set-Cookie` header value.
enum Part<'f> {
    Text(&'f str),
    Value(&'f Value),
}

/// What a `Set-Cookie` header value says.
struct SetCookie<'f> {
    name: String,
    /// The values interpolated into the cookie's value.
    values: Vec<&'f Value>,
    http_only: bool,
    secure: bool,
    same_site_none: bool,
    /// Whether interpolated text may add attributes the rule cannot see.
    open: bool,
    /// Whether the header clears the cookie (empty value, `Max-Age=0`, an expiry in 1970).
    cleared: bool,
}

fn parse_set_cookie<'f>(parts: &[Part<'f>]) -> Option<SetCookie<'f>> {
    let Some(Part::Text(first)) = parts.first() else {
        return None;
    };
    let (name, _) = first.split_once('=')?;
    let name = name.trim();
    if name.is_empty() || name.contains([' ', ';', ',', '{']) {
        return None;
    }
    let mut header = SetCookie {
        name: name.to_string(),
        values: Vec::new(),
        http_only: false,
        secure: false,
        same_site_none: false,
        open: false,
        cleared: false,
    };
    let mut in_value = true;
    let mut value_text = String::new();
    let mut attributes = String::new();
    for (index, part) in parts.iter().enumerate() {
        match part {
            Part::Text(text) => {
                let text = if index == 0 {
                    first.split_once('=').map_or("", |(_, rest)| rest)
                } else {
                    text
                };
                if in_value {
                    match text.split_once(';') {
                        Some((value, rest)) => {
                            value_text.push_str(value);
                            attributes.push_str(rest);
                            in_value = false;
                        }
                        None => value_text.push_str(text),
                    }
                } else {
                    attributes.push(';');
                    attributes.push_str(text);
                }
            }
            Part::Value(value) => {
                if in_value {
                    header.values.push(value);
                } else {
                    header.open = true;
                }
            }
        }
    }
    for attribute in attributes.split(';') {
        let attribute = attribute.trim().to_ascii_lowercase();
        let (key, value) = attribute.split_once('=').unwrap_or((attribute.as_str(), ""));
        match (key.trim(), value.trim()) {
            ("httponly", _) => header.http_only = true,
            ("secure", _) => header.secure = true,
            ("samesite", "none") => header.same_site_none = true,
            ("max-age", "0") => header.cleared = true,
            ("expires", value) if value.contains("1970") => header.cleared = true,
            _ => {}
        }
    }
    if header.values.is_empty() && value_text.trim().trim_matches('"').is_empty() {
        header.cleared = true;
    }
    Some(header)
}

/// The extent of a binding's value: after its name (and a `:` or `=`), to its end.
pub(crate) fn value_region(binding: &Binding) -> Span {
    if binding.name_span == binding.span || binding.name_span.end >= binding.span.end {
        binding.span
    } else {
        Span::new(binding.name_span.end, binding.span.end)
    }
}

/// A JS call from its method's name on (`cookie(…)` of `res.status(302).cookie(…)`),
/// so that a finding about a chained call lands on the line that sets the cookie.
pub(crate) fn method_span(text: &str, call: &Call) -> Span {
    let Some(method) = call
        .callee
        .last()
        .filter(|_| call.callee.len() > 1 || call.receiver.is_some())
    else {
        return call.span;
    };
    let callee = call.callee_span.text(text);
    match callee.rfind(method.as_str()) {
        Some(at) => Span::new(call.callee_span.start + at, call.span.end),
        None => call.span,
    }
}

/// The argument list of a Rust method call as written, without its parentheses.
fn rust_argument(text: &str, call: &Call) -> Span {
    let start = call.callee_span.end.min(call.span.end);
    let written = Span::new(start, call.span.end).text(text);
    let open = written.find('(').map_or(start, |at| start + at + 1);
    let close = if written.ends_with(')') {
        call.span.end - 1
    } else {
        call.span.end
    };
    Span::new(open.min(close), close)
}

/// How messages show a JS call whose argument `name_at` is the cookie's
/// name: `` `res.cookie('sid', …)` ``, `` `setCookie(…, 'sid', …)` ``.
fn describe_js_call(text: &str, call: &Call, name_at: usize, name: &str) -> String {
    let written = call.callee_span.text(text).trim();
    let callee = if written.len() <= 40 && !written.contains('\n') {
        written.to_string()
    } else {
        format!("….{}", call.callee.last().map(String::as_str).unwrap_or(""))
    };
    let lead = if name_at > 0 { "…, " } else { "" };
    format!("`{callee}({lead}{name}, …)`")
}

/// The plugin argument of `register(plugin, …)` as written, shortened.
fn plugin_text(text: &str, call: &Call, regions: &[Span]) -> String {
    regions
        .first()
        .map(|r| shorten(r.text(text).trim()))
        .unwrap_or_else(|| call.callee.join("."))
}

/// Shortens a value as written for a message: one line, at most 48 characters.
fn shorten(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = line.trim_start_matches(':').trim_start_matches('=').trim();
    if line.chars().count() <= 48 {
        line.to_string()
    } else {
        let cut: String = line.chars().take(45).collect();
        format!("{cut}…")
    }
}

/// The condition of the `if` whose block holds `at`, as written: the
/// environment test an assignment in it depends on.
fn enclosing_condition(text: &str, at: usize) -> Option<String> {
    let before = &text[..crate::syntax::floor_char_boundary(text, at)];
    let mut depth = 0usize;
    for (index, byte) in before.bytes().enumerate().rev() {
        match byte {
            b'}' => depth += 1,
            b'{' if depth > 0 => depth -= 1,
            b'{' => {
                let head = before[..index].trim_end();
                let head = head.strip_suffix(')')?;
                let open = matching_open(head)?;
                let keyword = head[..open].trim_end();
                if !keyword.ends_with("if") {
                    return None;
                }
                return Some(shorten(&head[open + 1..]));
            }
            _ => {}
        }
    }
    None
}

/// The index of the `(` that the `)` just after `head` closes.
fn matching_open(head: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (index, byte) in head.bytes().enumerate().rev() {
        match byte {
            b')' => depth += 1,
            b'(' if depth == 0 => return Some(index),
            b'(' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The extents of a JS call's arguments, found in its text: the Facts keep
/// argument values, not where each is written.
pub(crate) fn argument_regions(text: &str, call: &Call) -> Vec<Span> {
    let bytes = text.as_bytes();
    let end = call.span.end.min(bytes.len());
    let mut at = call.callee_span.end.min(end);
    // Skip type arguments and optional-call syntax up to the argument list.
    while at < end && bytes[at] != b'(' {
        at += 1;
    }
    if at >= end {
        return Vec::new();
    }
    let mut regions = Vec::new();
    let mut depth = 0usize;
    let mut start = at + 1;
    let mut index = at;
    while index < end {
        let byte = bytes[index];
        match byte {
            b'"' | b'\'' | b'`' => {
                index = skip_string(bytes, index, end);
                continue;
            }
            b'/' if bytes.get(index + 1) == Some(&b'/') => {
                while index < end && bytes[index] != b'\n' {
                    index += 1;
                }
                continue;
            }
            b'/' if bytes.get(index + 1) == Some(&b'*') => {
                index += 2;
                while index + 1 < end && !(bytes[index] == b'*' && bytes[index + 1] == b'/') {
                    index += 1;
                }
                index += 2;
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if index > start {
                        regions.push(trimmed(text, start, index));
                    }
                    break;
                }
            }
            b',' if depth == 1 => {
                regions.push(trimmed(text, start, index));
                start = index + 1;
            }
            _ => {}
        }
        index += 1;
    }
    regions.retain(|r| !r.is_empty());
    regions
}

/// The index just past the string literal that starts at `index`.
fn skip_string(bytes: &[u8], index: usize, end: usize) -> usize {
    let quote = bytes[index];
    let mut at = index + 1;
    while at < end {
        match bytes[at] {
            b'\\' => at += 2,
            b if b == quote => return at + 1,
            _ => at += 1,
        }
    }
    end
}

fn trimmed(text: &str, start: usize, end: usize) -> Span {
    let region = &text[crate::syntax::floor_char_boundary(text, start)..crate::syntax::floor_char_boundary(text, end)];
    let lead = region.len() - region.trim_start().len();
    let trail = region.len() - region.trim_end().len();
    Span::new(start + lead, (end - trail).max(start + lead))
}

/// The names spread into the object literal that starts in `region`
/// (`{ ...base, secure: true }`), and whether some spread is not a plain
/// name (`...config.cookie`, `...opts()`), which the rule cannot follow.
fn spread_names(text: &str, region: Span) -> (Vec<&str>, bool) {
    let bytes = text.as_bytes();
    let end = region.end.min(bytes.len());
    let mut at = region.start.min(end);
    while at < end && bytes[at] != b'{' {
        if matches!(bytes[at], b'"' | b'\'' | b'`' | b'(') {
            // Not an object literal after all.
            return (Vec::new(), false);
        }
        at += 1;
    }
    let mut names = Vec::new();
    let mut opaque = false;
    let mut depth = 0usize;
    let mut index = at;
    while index < end {
        match bytes[index] {
            b'"' | b'\'' | b'`' => {
                index = skip_string(bytes, index, end);
                continue;
            }
            b'{' | b'(' | b'[' => depth += 1,
            b'}' | b')' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            b'.' if depth == 1 && text[index..].starts_with("...") => {
                let name_start = index + 3;
                let mut name_end = name_start;
                while name_end < end && is_ident_byte(bytes[name_end]) {
                    name_end += 1;
                }
                let mut after = name_end;
                while after < end && bytes[after].is_ascii_whitespace() {
                    after += 1;
                }
                let plain = name_end > name_start && matches!(bytes.get(after), Some(b',' | b'}'));
                if plain {
                    names.push(&text[name_start..name_end]);
                } else {
                    opaque = true;
                }
                index = name_end.max(name_start);
                continue;
            }
            _ => {}
        }
        index += 1;
    }
    (names, opaque)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_cookie_names() {
        for name in [
            "sid",
            "connect.sid",
            "session",
            "__Host-session",
            "app_session",
            "miro_access_token",
            "refresh",
            "refresh_token",
            "jwt",
            "auth",
            "authToken",
            "sessionId",
            "access",
            "SESSION_COOKIE",
            "accessToken",
            "id_token",
        ] {
            assert!(is_sensitive_name(name), "{name}");
        }
        for name in [
            "theme",
            "locale",
            "_ga",
            "_gid",
            "lang",
            "hasSession",
            "isLoggedIn",
            "XSRF-TOKEN",
            "csrfToken",
            "token_expires_at",
            "oauth_state",
            "cookie",
            "value",
            "name",
            "sidebar",
            "authorName",
        ] {
            assert!(!is_sensitive_name(name), "{name}");
        }
    }

    #[test]
    fn set_cookie_headers() {
        let parts = [Part::Text("session=abc; Path=/; HttpOnly; Secure; SameSite=None")];
        let header = parse_set_cookie(&parts).expect("parses");
        assert_eq!(header.name, "session");
        assert!(header.http_only && header.secure && header.same_site_none && !header.open && !header.cleared);
        let id = Value::Ident("id".into());
        let parts = [Part::Text("sid="), Part::Value(&id), Part::Text("; Path=/")];
        let header = parse_set_cookie(&parts).expect("parses");
        assert!(!header.http_only && !header.open && header.values.len() == 1);
        let parts = [Part::Text("sid="), Part::Value(&id), Part::Text("; "), Part::Value(&id)];
        assert!(parse_set_cookie(&parts).is_some_and(|h| h.open));
        let parts = [Part::Text("sid=; Max-Age=0")];
        assert!(parse_set_cookie(&parts).is_some_and(|h| h.cleared));
        assert!(parse_set_cookie(&[Part::Value(&id), Part::Text("=x")]).is_none());
    }

    #[test]
    fn spreads_and_argument_regions() {
        let text = "{ httpOnly: true, ...base, ...config.cookie, secure: f({ ...x }) }";
        let (names, opaque) = spread_names(text, Span::new(0, text.len()));
        assert_eq!(names, ["base"]);
        assert!(opaque);
        let (names, opaque) = spread_names("{ a: '...b' }", Span::new(0, 13));
        assert!(names.is_empty() && !opaque);
    }

    #[test]
    fn conditions_around_an_assignment() {
        let text =
            "if (app.get('env') === 'production') {\n  app.set('trust proxy', 1);\n  sess.cookie.secure = true;\n}";
        let at = text.find("sess.").unwrap_or(0);
        assert_eq!(
            enclosing_condition(text, at).as_deref(),
            Some("app.get('env') === 'production'")
        );
        assert_eq!(enclosing_condition("function f() { x = 1 }", 16), None);
        assert_eq!(
            shorten(": process.env.NODE_ENV === 'production'"),
            "process.env.NODE_ENV === 'production'"
        );
    }
}
