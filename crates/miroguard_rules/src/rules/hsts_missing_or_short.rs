//! `hsts-missing-or-short` (R-NET-3): a server or hosting config whose
//! `Strict-Transport-Security` header is off, shorter than one year, or
//! without `includeSubDomains` — and, as a note, a server whose project sets
//! no HSTS at all.
//!
//! What it reads: helmet (`helmet({ hsts | strictTransportSecurity })`,
//! `helmet.hsts(…)`, `helmet.strictTransportSecurity(…)`) and the standalone
//! `hsts` package, with their options followed through same-file variables;
//! helmet's default, which depends on its version (180 days before 8, one
//! year since), read from the package's lockfile or `package.json`; header
//! values written by hand in JS (`res.setHeader`, `res.set`, `reply.header`,
//! `ctx.set`, `headers.set`, header objects, Next.js `{ key, value }` pairs)
//! and Rust (tower-http `SetResponseHeaderLayer`, actix `DefaultHeaders`,
//! `insert_header`, `HeaderMap::insert`); and the hosting configs
//! `vercel.json`, `netlify.toml` and `_headers`.
//!
//! The project note is emitted at a server's `listen`/`serve` call when the
//! file sets no HSTS itself; the engine keeps it only when a scan walked the
//! whole project and no file of it provides the `hsts` fact, which every
//! file that sets HSTS in any way records with [`crate::FileMemo::provide`].

use crate::cookie::{argument_regions, method_span, value_region};
use crate::syntax::{line_of, normalize_module, on_comment_line, required_module};
use crate::{FileInput, Rule};
use miroguard_core::{ClassDependence, Dependencies, Finding, Language, RuleMeta, Severity, Span, Version};
use miroguard_ir::flow::Flow;
use miroguard_ir::{Binding, BindingKind, Call, Facts, ScopeId, TemplatePart, Value};
use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The rule's id.
pub const ID: &str = "hsts-missing-or-short";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/hsts-missing-or-short.toml"
));

/// The project fact a file that sets HSTS provides.
pub const FACT: &str = "hsts";

/// One year in seconds: the max-age R-NET-3 asks for.
const ONE_YEAR: u64 = 31_536_000;

/// helmet's default max-age before 8.0.0, and the `hsts` package's: 180 days.
const OLD_DEFAULT: u64 = 15_552_000;

/// helmet sends one year by default since 8.0.0.
const HELMET_ONE_YEAR_SINCE: Version = Version::new(8, 0, 0);

/// How many variables a value is followed through.
const MAX_DEPTH: usize = 4;

/// The header's name, lowercase.
const HEADER: &str = "strict-transport-security";

/// Lowercase words without which the rule cannot fire. The first group names
/// HSTS; the second a server's entry point, for the project note.
const KEYWORDS: &[&str] = &[
    "strict-transport-security",
    "strict_transport_security",
    "stricttransportsecurity",
    "hsts",
    "helmet",
    ".listen(",
    "@hono/node-server",
    "axum",
    "httpserver::new",
    "server::bind",
];

/// How many of [`KEYWORDS`] name HSTS itself.
const HSTS_KEYWORDS: usize = 5;

/// What a Rust file that sets a response header mentions in its code.
const RUST_HEADER_SETTERS: &[&str] = &[
    "tower_http",
    "SetResponseHeaderLayer",
    "actix_web",
    "DefaultHeaders",
    "insert_header",
    "append_header",
    "axum",
    "hyper::",
    "warp::",
    "poem::",
    "rocket::",
    "salvo::",
];

/// Whether `needle` occurs in `text` on a line that is not a comment.
fn in_code(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| !on_comment_line(text, at))
}

/// Modules whose import makes a JS file's `listen` call a web server's.
const SERVER_MODULES: &[&str] = &[
    "express",
    "fastify",
    "koa",
    "http",
    "https",
    "http2",
    "@hono/node-server",
    "restify",
    "polka",
    "@hapi/hapi",
    "@nestjs/core",
];

/// Hosting configs that can set response headers.
const HOSTING_CONFIGS: &[&str] = &["vercel.json", "netlify.toml", "_headers"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
}

/// The rule.
pub struct HstsMissingOrShort {
    meta: RuleMeta,
    keywords: Vec<String>,
}

impl HstsMissingOrShort {
    /// Loads the rule from its embedded TOML.
    pub fn new() -> Result<HstsMissingOrShort, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        Ok(HstsMissingOrShort {
            meta: file.rule,
            keywords: KEYWORDS.iter().map(|k| k.to_string()).collect(),
        })
    }
}

// ------------------------------------------------------------ header values

/// The `max-age` of a `Strict-Transport-Security` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MaxAge {
    /// No `max-age` directive: browsers ignore the header.
    Missing,
    /// A malformed or repeated `max-age`: browsers ignore the header.
    Invalid,
    /// Seconds (saturated at `u64::MAX`).
    Seconds(u64),
}

/// A parsed `Strict-Transport-Security` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Sts {
    pub(crate) max_age: MaxAge,
    pub(crate) include_subdomains: bool,
}

/// Parses a header value as RFC 6797 §6.1 reads it: `;`-separated
/// directives, names case-insensitive, values optionally quoted, each
/// directive at most once.
pub(crate) fn parse_sts(value: &str) -> Sts {
    let mut max_age = MaxAge::Missing;
    let mut include_subdomains = false;
    for directive in value.split(';') {
        let directive = directive.trim();
        if directive.is_empty() {
            continue;
        }
        let (name, argument) = match directive.split_once('=') {
            Some((name, argument)) => (name.trim(), Some(argument.trim())),
            None => (directive, None),
        };
        if name.eq_ignore_ascii_case("max-age") {
            max_age = match (max_age, argument.map(unquote)) {
                (MaxAge::Missing, Some(seconds))
                    if !seconds.is_empty() && seconds.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    MaxAge::Seconds(seconds.parse::<u64>().unwrap_or(u64::MAX))
                }
                _ => MaxAge::Invalid,
            };
        } else if name.eq_ignore_ascii_case("includesubdomains") {
            include_subdomains = true;
        }
    }
    Sts {
        max_age,
        include_subdomains,
    }
}

fn unquote(text: &str) -> &str {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text)
        .trim()
}

/// A duration in seconds as people say it: `180 days`, `1 day`, `5 minutes`.
pub(crate) fn human(seconds: u64) -> String {
    let unit = |n: u64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    match seconds {
        s if s >= 86_400 && s % 86_400 == 0 => unit(s / 86_400, "day"),
        s if s >= 3_600 && s % 3_600 == 0 => unit(s / 3_600, "hour"),
        s if s >= 60 && s % 60 == 0 => unit(s / 60, "minute"),
        s => unit(s, "second"),
    }
}

/// What is wrong with an HSTS setting, worst first.
#[derive(Debug, Default)]
struct Problems {
    severity: Option<Severity>,
    parts: Vec<String>,
}

impl Problems {
    fn add(&mut self, severity: Severity, text: String) {
        if self.severity.is_none_or(|s| severity > s) {
            self.severity = Some(severity);
        }
        self.parts.push(text);
    }

    fn max_age(&mut self, seconds: u64, written: &str) {
        if seconds == 0 {
            self.add(
                Severity::Error,
                format!("{written} tells browsers to forget HSTS for the host, which turns it off"),
            );
        } else if seconds < ONE_YEAR {
            self.add(
                Severity::Warning,
                format!(
                    "{written} ({}) keeps browsers on HTTPS for less than the one year (31536000) R-NET-3 asks for",
                    human(seconds)
                ),
            );
        }
    }

    fn no_subdomains(&mut self, written: &str) {
        self.add(
            Severity::Warning,
            format!("{written}, so subdomains can still be reached over plain HTTP"),
        );
    }

    fn message(&self) -> String {
        self.parts.join("; and ")
    }
}

/// The problems of a header value.
fn header_problems(value: &str) -> Problems {
    let sts = parse_sts(value);
    let mut problems = Problems::default();
    match sts.max_age {
        MaxAge::Missing => problems.add(
            Severity::Error,
            "it has no `max-age`, so browsers ignore the header".to_string(),
        ),
        MaxAge::Invalid => problems.add(
            Severity::Error,
            "its `max-age` is malformed or repeated, so browsers ignore the header".to_string(),
        ),
        MaxAge::Seconds(seconds) => problems.max_age(seconds, &format!("`max-age={seconds}`")),
    }
    if !sts.include_subdomains && !matches!(sts.max_age, MaxAge::Seconds(0)) {
        problems.no_subdomains("it has no `includeSubDomains`");
    }
    problems
}

const HEADER_HELP: &str =
    "Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` (or longer) on every HTTPS response.";

const HELMET_HELP: &str = "Set `strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true }`, or upgrade to helmet 8, which sends that by default.";

/// Shortens a value as written for a message.
fn shown(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= 60 {
        line
    } else {
        let cut: String = line.chars().take(57).collect();
        format!("{cut}…")
    }
}

// ------------------------------------------------------------ source files

/// A header value found in code.
struct Found {
    value: String,
    /// The literal that holds it.
    literal: Span,
}

/// The options object of a middleware, as far as the rule can see it.
struct Object<'f> {
    fields: Vec<&'f Binding>,
    /// Whether a spread the rule cannot follow may add fields.
    open: bool,
}

impl<'f> Object<'f> {
    fn field(&self, keys: &[&str]) -> Option<&'f Binding> {
        self.fields
            .iter()
            .rev()
            .copied()
            .find(|f| keys.contains(&f.name.as_str()))
    }
}

/// A number as the code gives it.
enum Number {
    Known(u64),
    Unknown,
}

/// Which HSTS middleware a call is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Middleware {
    /// `helmet(options)`.
    Helmet,
    /// `helmet.hsts(options)`, `helmet.strictTransportSecurity(options)`.
    HelmetHsts,
    /// The `hsts` package.
    HstsPackage,
}

struct Cx<'f, 'i> {
    facts: &'f Facts,
    text: &'f str,
    flow: &'f Flow<'f>,
    /// JS: local name → (module, imported name).
    imports: HashMap<&'f str, (&'f str, &'f str)>,
    dependencies: Option<&'i Dependencies>,
    findings: Vec<Finding>,
    /// Whether the file sets HSTS in any way.
    provides: bool,
}

impl<'f, 'i> Cx<'f, 'i> {
    fn new(input: &'i FileInput<'f>, facts: &'f Facts) -> Cx<'f, 'i> {
        let mut imports = HashMap::new();
        for import in &facts.imports {
            for name in &import.names {
                imports
                    .entry(name.local.as_str())
                    .or_insert((normalize_module(&import.source), name.imported.as_str()));
            }
        }
        Cx {
            facts,
            text: input.text,
            flow: input.memo.flow(facts, input.text),
            imports,
            dependencies: input.context.dependencies.as_deref(),
            findings: Vec::new(),
            provides: false,
        }
    }

    fn push(&mut self, severity: Severity, span: Span, message: String, help: &str) {
        if self.findings.iter().any(|f| f.span.start == span.start) {
            return;
        }
        self.findings.push(
            Finding::new(ID, severity, span, message)
                .with_help(help)
                // HSTS is a server's and a host's business; browser code cannot set it.
                .depending_on_class(ClassDependence::except_browser(Some(severity), None)),
        );
    }

    fn binding(&self, id: u32) -> Option<&'f Binding> {
        self.facts.bindings.get(id as usize)
    }

    fn call(&self, id: u32) -> Option<&'f Call> {
        self.facts.calls.get(id as usize)
    }

    /// The binding `name` refers to at `at`, unless it is a parameter.
    fn resolve(&self, name: &str, scope: ScopeId, at: usize) -> Option<&'f Binding> {
        let binding = self.binding(self.flow.resolve(name, scope, at)?)?;
        (binding.kind != BindingKind::Parameter).then_some(binding)
    }

    /// The string `value` is: a literal, a variable holding one, a template
    /// of known parts, or one behind a conversion (`HeaderValue::from_static`).
    fn string(&self, value: &'f Value, scope: ScopeId, at: usize, depth: usize) -> Option<Found> {
        if depth > MAX_DEPTH {
            return None;
        }
        match value {
            Value::Str(id) => {
                let literal = self.facts.strings.get(*id as usize)?;
                Some(Found {
                    value: literal.value.clone(),
                    literal: literal.span,
                })
            }
            Value::Number(number) => Some(Found {
                value: number.clone(),
                literal: Span::new(at, at),
            }),
            Value::Ident(name) => {
                let binding = self.resolve(name, scope, at)?;
                self.string(&binding.value, binding.scope, binding.span.start, depth + 1)
            }
            Value::Template(parts) => {
                let mut text = String::new();
                let mut span: Option<Span> = None;
                for part in parts {
                    match part {
                        TemplatePart::Str(id) => {
                            let literal = self.facts.strings.get(*id as usize)?;
                            text.push_str(&literal.value);
                            span = Some(match span {
                                Some(s) => Span::new(s.start.min(literal.span.start), s.end.max(literal.span.end)),
                                None => literal.span,
                            });
                        }
                        TemplatePart::Expr(value) => text.push_str(&self.string(value, scope, at, depth + 1)?.value),
                    }
                }
                Some(Found {
                    value: text,
                    literal: span.unwrap_or(Span::new(at, at)),
                })
            }
            Value::Call(id) => {
                let call = self.call(*id)?;
                let method = call.callee.last().map(String::as_str).unwrap_or("");
                let inner = match (method, call.receiver.as_deref(), call.args.first()) {
                    ("from_static" | "from_str" | "from_string" | "try_from" | "from" | "new", _, Some(arg))
                        if call.args.len() == 1 =>
                    {
                        arg
                    }
                    (
                        "parse" | "try_into" | "into" | "to_string" | "to_owned" | "unwrap" | "expect",
                        Some(receiver),
                        _,
                    ) => receiver,
                    _ => return None,
                };
                self.string(inner, scope, at, depth + 1)
            }
            _ => None,
        }
    }

    /// The integer `value` is: a literal, arithmetic of literals as written
    /// (`60 * 60 * 24 * 365`), or a variable holding one.
    fn number(&self, value: &'f Value, region: Span, scope: ScopeId, at: usize, depth: usize) -> Number {
        if depth > MAX_DEPTH {
            return Number::Unknown;
        }
        match value {
            Value::Number(text) => parse_int(text).map_or(Number::Unknown, Number::Known),
            Value::Computed(_) => {
                evaluate(region.text(self.text).trim_start_matches(':').trim()).map_or(Number::Unknown, Number::Known)
            }
            Value::Ident(name) => match self.resolve(name, scope, at) {
                Some(binding) => self.number(
                    &binding.value,
                    value_region(binding),
                    binding.scope,
                    binding.span.start,
                    depth + 1,
                ),
                None => Number::Unknown,
            },
            _ => Number::Unknown,
        }
    }

    /// The object `value` is, written in `region`: a literal or a variable holding one.
    fn object(
        &self,
        value: &'f Value,
        region: Option<Span>,
        scope: ScopeId,
        at: usize,
        depth: usize,
    ) -> Option<Object<'f>> {
        if depth > MAX_DEPTH {
            return None;
        }
        match value {
            Value::Object(ids) => Some(Object {
                fields: ids.iter().filter_map(|id| self.binding(*id)).collect(),
                open: region.is_none_or(|r| r.text(self.text).contains("...")),
            }),
            Value::Ident(name) => {
                let binding = self.resolve(name, scope, at)?;
                // A later `options.hsts = …` is a change the rule does not follow.
                let changed = self.facts.bindings.iter().any(|b| {
                    b.kind == BindingKind::Assignment
                        && b.path.len() > 1
                        && b.path.first() == Some(&binding.name)
                        && b.span.start > binding.span.start
                });
                if changed {
                    return None;
                }
                self.object(
                    &binding.value,
                    Some(value_region(binding)),
                    binding.scope,
                    binding.span.start,
                    depth + 1,
                )
            }
            Value::Null => Some(Object {
                fields: Vec::new(),
                open: false,
            }),
            _ => None,
        }
    }

    /// Where a finding about `literal` (found from a write at `site`) goes,
    /// and how the message names a value that is written elsewhere.
    fn place(&self, site: Span, literal: Span) -> (Span, String) {
        if literal.end > literal.start && site.contains(literal) {
            (literal, String::new())
        } else if literal.end > literal.start {
            (
                site,
                format!(" (the value on line {})", line_of(self.text, literal.start)),
            )
        } else {
            (site, String::new())
        }
    }

    fn report_header(&mut self, site: Span, found: &Found, how: &str) {
        self.provides = true;
        let problems = header_problems(&found.value);
        let Some(severity) = problems.severity else {
            return;
        };
        let (span, elsewhere) = self.place(site, found.literal);
        let message = format!(
            "`Strict-Transport-Security: {}` {how}{elsewhere}: {}",
            shown(&found.value),
            problems.message()
        );
        self.push(severity, span, message, HEADER_HELP);
    }

    // -------------------------------------------------------- JS

    fn js(&mut self) {
        let facts = self.facts;
        for binding in &facts.bindings {
            if self.facts.in_test_region(binding.span) {
                continue;
            }
            let header = binding.name.eq_ignore_ascii_case(HEADER);
            if header
                && matches!(
                    binding.kind,
                    BindingKind::Argument | BindingKind::Field | BindingKind::Assignment
                )
            {
                match self.string(&binding.value, binding.scope, binding.span.start, 0) {
                    Some(found) => {
                        let how = match binding.kind {
                            BindingKind::Argument => "set by this call",
                            BindingKind::Field => "in this header object",
                            _ => "assigned here",
                        };
                        self.report_header(binding.span, &found, how);
                    }
                    None => self.provides = true,
                }
            }
            if binding.kind == BindingKind::Field && binding.name == "key" {
                self.key_value_pair(binding);
            }
        }
        for call in &facts.calls {
            if facts.in_test_region(call.span) {
                continue;
            }
            if let Some(middleware) = self.middleware(call) {
                self.judge_middleware(call, middleware);
            }
        }
    }

    /// `{ key: 'Strict-Transport-Security', value: '…' }` (Next.js `headers()`).
    fn key_value_pair(&mut self, key: &'f Binding) {
        let Some(name) = self.string(&key.value, key.scope, key.span.start, 0) else {
            return;
        };
        if !name.value.eq_ignore_ascii_case(HEADER) {
            return;
        }
        // The `value` field of the same object literal: the first one after the key
        // in the same object (the Facts list an object's fields together).
        let object = self.facts.bindings.iter().find_map(|b| match &b.value {
            Value::Object(ids)
                if ids
                    .iter()
                    .any(|id| self.binding(*id).is_some_and(|b| std::ptr::eq(b, key))) =>
            {
                Some(ids)
            }
            _ => None,
        });
        let object = object.or_else(|| self.object_in_values(key));
        let Some(ids) = object else {
            self.provides = true;
            return;
        };
        let value = ids
            .iter()
            .filter_map(|id| self.binding(*id))
            .find(|b| b.name == "value");
        match value.and_then(|v| self.string(&v.value, v.scope, v.span.start, 0).map(|found| (v, found))) {
            Some((value, found)) => {
                let site = Span::new(key.span.start.min(value.span.start), key.span.end.max(value.span.end));
                self.report_header(site, &found, "in this header list");
            }
            None => self.provides = true,
        }
    }

    /// The fields of the object literal holding `field` when that object is
    /// an array element or a call argument rather than a binding's value.
    fn object_in_values(&self, field: &Binding) -> Option<&'f Vec<u32>> {
        fn search<'v>(value: &'v Value, hit: &dyn Fn(&[u32]) -> bool) -> Option<&'v Vec<u32>> {
            match value {
                Value::Object(ids) if hit(ids) => Some(ids),
                Value::Array(values) | Value::Alternatives(values) => values.iter().find_map(|v| search(v, hit)),
                _ => None,
            }
        }
        let hit = |ids: &[u32]| {
            ids.iter()
                .any(|id| self.binding(*id).is_some_and(|b| std::ptr::eq(b, field)))
        };
        self.facts
            .bindings
            .iter()
            .find_map(|b| search(&b.value, &hit))
            .or_else(|| {
                self.facts
                    .calls
                    .iter()
                    .find_map(|c| c.args.iter().find_map(|a| search(a, &hit)))
            })
            .or_else(|| self.facts.returns.iter().find_map(|r| search(&r.value, &hit)))
    }

    /// The module and export a JS name stands for: an import, or a variable
    /// holding `require("m")`.
    fn module_of(&self, name: &str, scope: ScopeId, at: usize) -> Option<(&'f str, &'f str)> {
        if let Some(found) = self.imports.get(name) {
            return Some(*found);
        }
        let binding = self.resolve(name, scope, at)?;
        required_module(self.facts, &binding.value).map(|module| (module, "default"))
    }

    fn middleware(&self, call: &'f Call) -> Option<Middleware> {
        let (scope, at) = (call.scope, call.span.start);
        let of_module = |module: &str, imported: &str| match (module, imported) {
            ("helmet", "default" | "*") => Some(Middleware::Helmet),
            ("helmet", "hsts" | "strictTransportSecurity") => Some(Middleware::HelmetHsts),
            ("hsts", "default" | "*") => Some(Middleware::HstsPackage),
            _ => None,
        };
        match (call.callee.as_slice(), call.receiver.as_deref()) {
            ([name], None) => {
                let (module, imported) = self.module_of(name, scope, at)?;
                of_module(module, imported)
            }
            ([object, method], None) if method == "hsts" || method == "strictTransportSecurity" => {
                let (module, imported) = self.module_of(object, scope, at)?;
                (module == "helmet" && matches!(imported, "default" | "*")).then_some(Middleware::HelmetHsts)
            }
            ([], Some(receiver)) => of_module(required_module(self.facts, receiver)?, "default"),
            _ => None,
        }
    }

    fn judge_middleware(&mut self, call: &'f Call, middleware: Middleware) {
        // helmet and `hsts` set HSTS unless told not to; `false` is reported below.
        self.provides = true;
        let regions = argument_regions(self.text, call);
        let (scope, at) = (call.scope, call.span.start);
        let options = match call.args.first() {
            None => Some(Object {
                fields: Vec::new(),
                open: false,
            }),
            Some(value) => self.object(value, regions.first().copied(), scope, at, 0),
        };
        let Some(options) = options else {
            return;
        };
        // The call from its method on, arguments included, and its callee alone.
        let site = method_span(self.text, call);
        let callee = Span::new(site.start, call.callee_span.end.max(site.start));
        let hsts = match middleware {
            Middleware::Helmet => match options.field(&["strictTransportSecurity", "hsts"]) {
                None if options.open => return,
                None => None,
                Some(field) => match &field.value {
                    Value::Bool(false) => {
                        let (span, elsewhere) = self.place(site, field.span);
                        self.push(
                                Severity::Error,
                                span,
                                format!(
                                    "`{}: false`{elsewhere} turns off helmet's Strict-Transport-Security header: browsers reach the app over plain HTTP whenever a link or a typed URL says `http://`",
                                    field.name
                                ),
                                HELMET_HELP,
                            );
                        return;
                    }
                    Value::Bool(true) => None,
                    value => {
                        let region = value_region(field);
                        match self.object(value, Some(region), field.scope, field.span.start, 0) {
                            Some(object) => Some(object),
                            None => return,
                        }
                    }
                },
            },
            Middleware::HelmetHsts | Middleware::HstsPackage => Some(options),
        };
        let default = self.default_max_age(middleware);
        let Some(hsts) = hsts else {
            // helmet's own default.
            if let Some((seconds, from)) = default.filter(|(seconds, _)| *seconds < ONE_YEAR) {
                self.push(
                    Severity::Warning,
                    callee,
                    format!(
                        "{from} sends max-age={seconds} ({}) by default; helmet 8 sends one year; set `strictTransportSecurity: {{ maxAge: 31536000, includeSubDomains: true }}`",
                        human(seconds)
                    ),
                    HELMET_HELP,
                );
            }
            return;
        };
        let mut problems = Problems::default();
        let mut span = callee;
        match hsts.field(&["maxAge"]) {
            Some(field) => {
                let region = value_region(field);
                if let Number::Known(seconds) = self.number(&field.value, region, field.scope, field.span.start, 0) {
                    let (at, elsewhere) = self.place(site, field.span);
                    span = at;
                    problems.max_age(seconds, &format!("`maxAge: {seconds}`{elsewhere}"));
                }
            }
            None if hsts.open => {}
            None => {
                if let Some((seconds, from)) = default.filter(|(seconds, _)| *seconds < ONE_YEAR) {
                    problems.max_age(seconds, &format!("no `maxAge`: {from}'s default of max-age={seconds}"));
                }
            }
        }
        if let Some(field) = hsts.field(&["includeSubDomains", "includeSubdomains"])
            && field.value == Value::Bool(false)
        {
            let (at, elsewhere) = self.place(site, field.span);
            if problems.parts.is_empty() {
                span = at;
            }
            problems.no_subdomains(&format!("`{}: false`{elsewhere}", field.name));
        }
        if let Some(severity) = problems.severity {
            let name = match middleware {
                Middleware::HstsPackage => "the `hsts` middleware",
                _ => "helmet's HSTS",
            };
            let message = format!("{name} is weakened: {}", problems.message());
            self.push(severity, span, message, HELMET_HELP);
        }
    }

    /// The max-age a middleware sends when the code gives none, and what
    /// says so; `None` when the version is unknown.
    fn default_max_age(&self, middleware: Middleware) -> Option<(u64, String)> {
        match middleware {
            Middleware::HstsPackage => Some((OLD_DEFAULT, "the `hsts` package".to_string())),
            Middleware::Helmet | Middleware::HelmetHsts => {
                let resolved = self.dependencies?.get("helmet")?;
                let seconds = if resolved.version < HELMET_ONE_YEAR_SINCE {
                    OLD_DEFAULT
                } else {
                    ONE_YEAR
                };
                Some((seconds, format!("helmet {} ({})", resolved.version, resolved.source)))
            }
        }
    }

    /// The project note at a JS server's `listen` (or `@hono/node-server`'s `serve`).
    fn js_server(&self) -> Option<Span> {
        let server = self
            .facts
            .imports
            .iter()
            .any(|i| SERVER_MODULES.contains(&normalize_module(&i.source)));
        if !server {
            return None;
        }
        self.facts
            .calls
            .iter()
            .filter(|call| !self.facts.in_test_region(call.span))
            .find_map(|call| {
                let method = call.callee.last()?;
                let listen = method == "listen" && (call.callee.len() >= 2 || call.receiver.is_some());
                let hono = call.callee.len() == 1
                    && self
                        .imports
                        .get(method.as_str())
                        .is_some_and(|(module, imported)| *module == "@hono/node-server" && *imported == "serve");
                (listen || hono).then(|| method_span(self.text, call))
            })
    }

    // -------------------------------------------------------- Rust

    fn rust(&mut self) {
        let facts = self.facts;
        for call in &facts.calls {
            if facts.in_test_region(call.span) {
                continue;
            }
            let Some(method) = call.callee.last().map(String::as_str) else {
                continue;
            };
            if !matches!(
                method,
                "overriding"
                    | "if_not_present"
                    | "appending"
                    | "add"
                    | "insert_header"
                    | "append_header"
                    | "insert"
                    | "append"
                    | "header"
            ) {
                continue;
            }
            let (name, value) = match call.args.as_slice() {
                [name, value] => (name, value),
                [Value::Array(pair)] if pair.len() == 2 => (&pair[0], &pair[1]),
                _ => continue,
            };
            if !self.is_sts_name(name, call.scope, call.span.start) {
                continue;
            }
            match self.string(value, call.scope, call.span.start, 0) {
                Some(found) => self.report_header(call.span, &found, "set here"),
                None => self.provides = true,
            }
        }
    }

    fn is_sts_name(&self, name: &'f Value, scope: ScopeId, at: usize) -> bool {
        match name {
            Value::Member(path) => path.last().is_some_and(|last| last == "STRICT_TRANSPORT_SECURITY"),
            Value::Ident(ident) if ident == "STRICT_TRANSPORT_SECURITY" => true,
            value => self
                .string(value, scope, at, 0)
                .is_some_and(|found| found.value.eq_ignore_ascii_case(HEADER)),
        }
    }

    /// The project note at a Rust server's `axum::serve`, `Server::bind` or `HttpServer::new`.
    fn rust_server(&self) -> Option<Span> {
        let axum = self.text.contains("axum");
        self.facts
            .calls
            .iter()
            .filter(|call| !self.facts.in_test_region(call.span) && !call.is_macro)
            .find_map(|call| {
                let path: Vec<&str> = call.callee.iter().map(String::as_str).collect();
                let server = match path.as_slice() {
                    [.., "axum", "serve"] => true,
                    ["serve"] => axum && call.args.len() == 2,
                    [.., "Server", "bind"] => axum || self.text.contains("hyper"),
                    [.., "HttpServer", "new"] => true,
                    _ => false,
                };
                server.then_some(call.callee_span)
            })
    }
}

/// An integer literal as JS or Rust writes it (`31_536_000`, `31536000`, `31536000u64`).
fn parse_int(text: &str) -> Option<u64> {
    let digits: String = text.chars().filter(|c| *c != '_').collect();
    let digits = digits.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse::<u64>().unwrap_or(u64::MAX))
}

/// Evaluates sums of products of integer literals (`60 * 60 * 24 * 365`),
/// as written; anything else is not known.
fn evaluate(text: &str) -> Option<u64> {
    let text = text
        .split("//")
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches([',', ';']);
    let text = text.trim_start_matches('(').trim_end_matches(')');
    let mut sum: u64 = 0;
    for term in text.split('+') {
        let mut product: u64 = 1;
        for factor in term.split('*') {
            product = product.saturating_mul(parse_int(factor.trim())?);
        }
        sum = sum.saturating_add(product);
    }
    Some(sum)
}

// ------------------------------------------------------------ hosting configs

/// A `Strict-Transport-Security` value in a hosting config, with where it is.
struct ConfigHeader {
    value: String,
    span: Span,
}

/// The header values a `vercel.json` sets: `headers[].headers[] { key, value }`,
/// and header objects (`routes[].headers`).
fn vercel_headers(text: &str) -> Vec<ConfigHeader> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut values = Vec::new();
    collect_json(&json, &mut values, 0);
    locate(text, values)
}

fn collect_json(value: &serde_json::Value, out: &mut Vec<String>, depth: usize) {
    if depth > 32 {
        return;
    }
    match value {
        serde_json::Value::Object(map) => {
            let key = map.get("key").and_then(|k| k.as_str());
            if key.is_some_and(|k| k.eq_ignore_ascii_case(HEADER))
                && let Some(value) = map.get("value").and_then(|v| v.as_str())
            {
                out.push(value.to_string());
            }
            for (name, field) in map {
                match field {
                    serde_json::Value::String(value) if name.eq_ignore_ascii_case(HEADER) => out.push(value.clone()),
                    field => collect_json(field, out, depth + 1),
                }
            }
        }
        serde_json::Value::Array(values) => {
            for value in values {
                collect_json(value, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The header values a `netlify.toml` sets: `[[headers]]` with `[headers.values]`.
fn netlify_headers(text: &str) -> Vec<ConfigHeader> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    let mut values = Vec::new();
    collect_toml(&toml::Value::Table(table), &mut values, 0);
    locate(text, values)
}

fn collect_toml(value: &toml::Value, out: &mut Vec<String>, depth: usize) {
    if depth > 32 {
        return;
    }
    match value {
        toml::Value::Table(table) => {
            for (name, field) in table {
                match field {
                    toml::Value::String(value) if name.eq_ignore_ascii_case(HEADER) => out.push(value.clone()),
                    field => collect_toml(field, out, depth + 1),
                }
            }
        }
        toml::Value::Array(values) => {
            for value in values {
                collect_toml(value, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// Finds each value in the text, in order, after a mention of the header's name.
fn locate(text: &str, values: Vec<String>) -> Vec<ConfigHeader> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    let mut out = Vec::new();
    for value in values {
        let name_at = lower.get(from..).and_then(|rest| rest.find(HEADER)).map(|at| from + at);
        let search_from = name_at.unwrap_or(from);
        let span = match text.get(search_from..).and_then(|rest| rest.find(value.as_str())) {
            Some(at) if !value.is_empty() => {
                let start = search_from + at;
                from = start + value.len();
                Span::new(start, start + value.len())
            }
            _ => {
                let at = name_at.unwrap_or(0);
                from = at + HEADER.len().min(text.len() - at);
                Span::new(at, from)
            }
        };
        out.push(ConfigHeader { value, span });
    }
    out
}

/// The header values a Netlify / Cloudflare Pages `_headers` file sets:
/// indented `Name: value` lines under a path.
fn plain_headers(text: &str) -> Vec<ConfigHeader> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            continue;
        }
        let Some((name, value)) = trimmed.split_once(':') else {
            continue;
        };
        if !name.trim().eq_ignore_ascii_case(HEADER) {
            continue;
        }
        // An HSTS value has no `#`: what follows one is a comment, not part of it.
        let value = value.split(" #").next().unwrap_or(value).trim();
        let at = line.find(value).filter(|_| !value.is_empty()).unwrap_or(0);
        out.push(ConfigHeader {
            value: value.to_string(),
            span: Span::new(start + at, start + at + value.len().max(1).min(line.len() - at)),
        });
    }
    out
}

impl HstsMissingOrShort {
    fn check_config(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let name = input.context.display_path.rsplit('/').next().unwrap_or("");
        let headers = match name {
            "vercel.json" => vercel_headers(input.text),
            "netlify.toml" => netlify_headers(input.text),
            "_headers" => plain_headers(input.text),
            _ => return,
        };
        if headers.is_empty() {
            return;
        }
        input.memo.provide(FACT);
        for header in headers {
            let problems = header_problems(&header.value);
            if let Some(severity) = problems.severity {
                findings.push(
                    Finding::new(
                        ID,
                        severity,
                        header.span,
                        format!(
                            "`Strict-Transport-Security: {}` in {name}: {}",
                            shown(&header.value),
                            problems.message()
                        ),
                    )
                    .with_help(HEADER_HELP),
                );
            }
        }
    }

    /// Whether a source file is worth parsing, from its text alone.
    fn applies(&self, input: &FileInput<'_>) -> bool {
        let context = input.context;
        if !matches!(
            context.language,
            Language::JavaScript | Language::TypeScript | Language::Tsx | Language::Rust
        ) || !crate::leak::checks_file(input)
        {
            return false;
        }
        let rust = context.language == Language::Rust;
        if (0..HSTS_KEYWORDS).any(|i| input.keywords.contains(i)) {
            // Rust code sets headers through a web framework or tower-http;
            // the `http` and `h2` crates only define the header's name.
            return !rust || RUST_HEADER_SETTERS.iter().any(|setter| in_code(input.text, setter));
        }
        let has = |word: &str| {
            KEYWORDS
                .iter()
                .position(|k| *k == word)
                .is_some_and(|i| input.keywords.contains(i))
        };
        if rust {
            // In code, not in the frameworks' own doc examples.
            has("httpserver::new") && in_code(input.text, "HttpServer::new")
                || has("server::bind") && in_code(input.text, "Server::bind")
                || has("axum") && in_code(input.text, "serve(")
        } else {
            // A `listen` call is a web server's only in a file that imports a
            // server module ([`Cx::js_server`]); libraries listen on sockets too.
            static IMPORTS_SERVER: LazyLock<Option<Regex>> = LazyLock::new(|| {
                let modules: Vec<String> = SERVER_MODULES.iter().map(|m| regex::escape(m)).collect();
                Regex::new(&format!(
                    r#"(?:\brequire\s*\(|\bfrom|\bimport\s*\(?)\s*["'](?:node:)?(?:{})["']"#,
                    modules.join("|")
                ))
                .ok()
            });
            has("@hono/node-server")
                || has(".listen(")
                    && IMPORTS_SERVER
                        .as_ref()
                        .is_none_or(|imports| imports.is_match(input.text))
        }
    }
}

impl Rule for HstsMissingOrShort {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        self.applies(input)
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        if input.context.language == Language::Text {
            if input.keywords.any() && HOSTING_CONFIGS.iter().any(|c| input.context.display_path.ends_with(c)) {
                self.check_config(input, findings);
            }
            return;
        }
        let Some(facts) = input.facts.filter(|_| self.applies(input)) else {
            return;
        };
        let mut cx = Cx::new(input, facts);
        let rust = input.context.language == Language::Rust;
        if rust {
            cx.rust();
        } else {
            cx.js();
        }
        if cx.provides {
            input.memo.provide(FACT);
        } else {
            let server = if rust { cx.rust_server() } else { cx.js_server() };
            if let Some(span) = server {
                cx.findings.push(
                    Finding::new(
                        ID,
                        Severity::Note,
                        span,
                        "this server sets no Strict-Transport-Security header, and no file of its project does (no helmet, no HSTS header, no vercel.json, netlify.toml or _headers): browsers reach it over plain HTTP whenever a link or a typed URL says `http://`",
                    )
                    .with_help("Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` from the app (helmet 8: `app.use(helmet())`) or from the host's header config; a TLS-terminating platform does not add it unless configured to.")
                    .depending_on_class(ClassDependence::except_browser(Some(Severity::Note), None))
                    .unless_project_provides(FACT),
                );
            }
        }
        findings.append(&mut cx.findings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered::{check_sorted, check_text};

    fn rule() -> HstsMissingOrShort {
        HstsMissingOrShort::new().expect("rule loads")
    }

    fn run(path: &str, source: &str) -> Vec<(usize, Severity, String)> {
        check_sorted(&rule(), path, source)
    }

    #[test]
    fn only_servers_that_may_listen_are_parsed() {
        let rule = rule();
        let gate = |source: &str| crate::lowered::needs_facts(&rule, "src/server.js", source);
        assert!(gate(
            "const express = require('express');\nconst app = express();\napp.listen(3000);"
        ));
        assert!(gate(
            "import http from \"node:http\";\nhttp.createServer(handler).listen(8080);"
        ));
        assert!(gate(
            "import Fastify from 'fastify';\nawait fastify.listen({ port: 3000 });"
        ));
        assert!(gate("app.use(helmet({ hsts: false }));"));
        // A library listening on a socket is not a web server.
        assert!(!gate("const net = require('net');\nserver.listen(socketPath);"));
        assert!(!gate("emitter.listen('change', onChange);"));

        let rust = |source: &str| crate::lowered::needs_facts(&rule, "src/main.rs", source);
        assert!(rust(
            "use actix_web::{App, HttpServer};\nHttpServer::new(|| App::new()).bind(addr)?.run().await"
        ));
        assert!(rust(
            "let listener = TcpListener::bind(addr).await?;\naxum::serve(listener, app).await?;"
        ));
        assert!(rust(
            "use tower_http::set_header::SetResponseHeaderLayer;\nSetResponseHeaderLayer::overriding(STRICT_TRANSPORT_SECURITY, v)"
        ));
        // The `http` crate names the header; a framework documents its server.
        assert!(!rust(
            "(StrictTransportSecurity, STRICT_TRANSPORT_SECURITY, \"strict-transport-security\");"
        ));
        assert!(!rust(
            "/// ```\n/// HttpServer::new(|| App::new()).bind(addr)\n/// ```\npub struct HttpServer;"
        ));
    }

    fn summary(found: &[(usize, Severity, String)]) -> Vec<(usize, Severity)> {
        found.iter().map(|(line, severity, _)| (*line, *severity)).collect()
    }

    #[test]
    fn header_values_are_parsed_like_browsers_do() {
        let year = parse_sts("max-age=31536000; includeSubDomains");
        assert_eq!(year.max_age, MaxAge::Seconds(31_536_000));
        assert!(year.include_subdomains);
        let quoted = parse_sts(" Max-Age = \"63072000\" ;INCLUDESUBDOMAINS; preload");
        assert_eq!(quoted.max_age, MaxAge::Seconds(63_072_000));
        assert!(quoted.include_subdomains);
        assert_eq!(parse_sts("includeSubDomains").max_age, MaxAge::Missing);
        assert_eq!(parse_sts("max-age=abc").max_age, MaxAge::Invalid);
        assert_eq!(parse_sts("max-age=").max_age, MaxAge::Invalid);
        assert_eq!(parse_sts("max-age=1; max-age=2").max_age, MaxAge::Invalid);
        assert_eq!(parse_sts("max-age=0").max_age, MaxAge::Seconds(0));
        assert_eq!(
            parse_sts("max-age=99999999999999999999999").max_age,
            MaxAge::Seconds(u64::MAX)
        );
        assert!(!parse_sts("max-age=31536000; includeSubDomainsX").include_subdomains);
        assert_eq!(parse_sts("").max_age, MaxAge::Missing);
    }

    #[test]
    fn header_problems_and_their_severity() {
        assert!(
            header_problems("max-age=31536000; includeSubDomains")
                .severity
                .is_none()
        );
        assert!(
            header_problems("max-age=63072000; includeSubDomains; preload")
                .severity
                .is_none()
        );
        assert_eq!(header_problems("max-age=0").severity, Some(Severity::Error));
        assert!(header_problems("max-age=0").message().contains("forget HSTS"));
        assert_eq!(header_problems("includeSubDomains").severity, Some(Severity::Error));
        let short = header_problems("max-age=86400; includeSubDomains");
        assert_eq!(short.severity, Some(Severity::Warning));
        assert!(short.message().contains("(1 day)"), "{}", short.message());
        let no_sub = header_problems("max-age=31536000; preload");
        assert_eq!(no_sub.severity, Some(Severity::Warning));
        assert!(no_sub.message().contains("no `includeSubDomains`"));
        assert_eq!(header_problems("max-age=300").parts.len(), 2);
    }

    #[test]
    fn durations_and_numbers() {
        assert_eq!(human(15_552_000), "180 days");
        assert_eq!(human(86_400), "1 day");
        assert_eq!(human(7_200), "2 hours");
        assert_eq!(human(59), "59 seconds");
        assert_eq!(parse_int("31_536_000"), Some(31_536_000));
        assert_eq!(parse_int("1e3"), None);
        assert_eq!(evaluate("60 * 60 * 24 * 365, // a year"), Some(ONE_YEAR));
        assert_eq!(evaluate("ONE_DAY * 365"), None);
    }

    #[test]
    fn helmet_options() {
        let source = r#"const helmet = require("helmet");
app.use(helmet({ hsts: false }));
app.use(helmet({ strictTransportSecurity: { maxAge: 15552000 } }));
app.use(helmet({ strictTransportSecurity: { maxAge: 31536000, includeSubDomains: false } }));
app.use(helmet({ strictTransportSecurity: { maxAge: 31536000, preload: true } }));
app.use(helmet({ hsts: { maxAge: 60 * 60 * 24 * 365 } }));
app.use(helmet({ hsts: { maxAge: Number(process.env.HSTS_MAX_AGE) } }));
const hstsOptions = { maxAge: 86400, includeSubDomains: true };
app.use(helmet.hsts(hstsOptions));
app.use(helmet({ hsts: { maxAge: 0 } }));
app.use(helmet({ ...base }));
"#;
        let found = run("server/app.js", source);
        assert_eq!(
            summary(&found),
            [
                (2, Severity::Error),
                (3, Severity::Warning),
                (4, Severity::Warning),
                (9, Severity::Warning),
                (10, Severity::Error)
            ],
            "{found:#?}"
        );
        assert!(found[1].2.contains("`maxAge: 15552000` (180 days)"), "{}", found[1].2);
        assert!(found[3].2.contains("(the value on line 8)"), "{}", found[3].2);
    }

    #[test]
    fn the_hsts_package_and_imports() {
        let source = r#"import hsts from "hsts";
import { strictTransportSecurity } from "helmet";
app.use(hsts({ maxAge: 15552000 }));
app.use(require("hsts")({ maxAge: 31536000 }));
app.use(hsts());
app.use(strictTransportSecurity({ maxAge: 31536000, includeSubdomains: false }));
"#;
        let found = run("src/server.ts", source);
        assert_eq!(
            summary(&found),
            [(3, Severity::Warning), (5, Severity::Warning), (6, Severity::Warning)],
            "{found:#?}"
        );
        assert!(found[1].2.contains("the `hsts` package's default"), "{}", found[1].2);
    }

    #[test]
    fn js_headers() {
        let source = r#"import express from "express";
res.setHeader("Strict-Transport-Security", "max-age=86400");
res.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
reply.header("strict-transport-security", "max-age=63072000; includeSubDomains; preload");
const STS = "max-age=300; includeSubDomains";
ctx.set("Strict-Transport-Security", STS);
return new Response(body, { headers: { "Strict-Transport-Security": "max-age=0" } });
const doc = "Strict-Transport-Security: max-age=60";
// res.setHeader("Strict-Transport-Security", "max-age=1");
res.setHeader("Strict-Transport-Security", `max-age=${process.env.HSTS}; includeSubDomains`);
"#;
        let found = run("server/app.js", source);
        assert_eq!(
            summary(&found),
            [(2, Severity::Warning), (6, Severity::Warning), (7, Severity::Error)],
            "{found:#?}"
        );
        assert!(found[0].2.contains("no `includeSubDomains`"), "{}", found[0].2);
    }

    #[test]
    fn next_config_headers() {
        let source = r#"module.exports = {
  async headers() {
    return [
      {
        source: "/(.*)",
        headers: [
          { key: "Strict-Transport-Security", value: "max-age=15552000; includeSubDomains" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};
"#;
        let found = run("next.config.js", source);
        assert_eq!(summary(&found), [(7, Severity::Warning)], "{found:#?}");
    }

    #[test]
    fn rust_headers() {
        let source = r#"use axum::http::{header, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;
fn app() -> Router {
    Router::new()
        .layer(SetResponseHeaderLayer::overriding(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=86400")))
        .layer(SetResponseHeaderLayer::if_not_present(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains")))
}
fn actix() -> App {
    App::new().wrap(DefaultHeaders::new().add(("Strict-Transport-Security", "max-age=600; includeSubDomains")))
}
fn resp() -> HttpResponse {
    HttpResponse::Ok().insert_header((header::STRICT_TRANSPORT_SECURITY, "max-age=0")).finish()
}
"#;
        let found = run("src/main.rs", source);
        assert_eq!(
            summary(&found),
            [(5, Severity::Warning), (9, Severity::Warning), (12, Severity::Error)],
            "{found:#?}"
        );
    }

    #[test]
    fn servers_get_a_project_note_unless_the_file_sets_hsts() {
        let bare = "const express = require(\"express\");\nconst app = express();\napp.listen(3000);\n";
        let found = run("server/app.js", bare);
        assert_eq!(summary(&found), [(3, Severity::Note)], "{found:#?}");
        let with_helmet = format!("const helmet = require(\"helmet\");\n{bare}app.use(helmet());\n");
        assert!(run("server/app.js", &with_helmet).is_empty());
        // Not a server: no server module imported.
        assert!(run("src/panel.js", "emitter.listen(3000);\n").is_empty());
        let rust = "#[tokio::main]\nasync fn main() {\n    let listener = TcpListener::bind(\"0.0.0.0:3000\").await.unwrap();\n    axum::serve(listener, app).await.unwrap();\n}\n";
        assert_eq!(summary(&run("src/main.rs", rust)), [(4, Severity::Note)]);
        assert!(run("tests/server.test.js", bare).is_empty());
    }

    #[test]
    fn hosting_configs() {
        let vercel = r#"{
  "headers": [
    { "source": "/(.*)", "headers": [
      { "key": "Strict-Transport-Security", "value": "max-age=86400" },
      { "key": "X-Frame-Options", "value": "DENY" }
    ] },
    { "source": "/app", "headers": [
      { "key": "strict-transport-security", "value": "max-age=63072000; includeSubDomains; preload" }
    ] }
  ]
}"#;
        let found = check_text(&rule(), "vercel.json", vercel);
        assert_eq!(summary(&found), [(4, Severity::Warning)], "{found:#?}");
        let netlify =
            "[[headers]]\n  for = \"/*\"\n  [headers.values]\n    Strict-Transport-Security = \"max-age=0\"\n";
        assert_eq!(
            summary(&check_text(&rule(), "netlify.toml", netlify)),
            [(4, Severity::Error)]
        );
        let plain = "# HSTS\n/*\n  Strict-Transport-Security: max-age=31536000 # one year\n  X-Frame-Options: DENY\n/ok\n  Strict-Transport-Security: max-age=31536000; includeSubDomains\n";
        assert_eq!(
            summary(&check_text(&rule(), "public/_headers", plain)),
            [(3, Severity::Warning)]
        );
        assert!(check_text(&rule(), "vercel.json", "{ not json strict-transport-security").is_empty());
        assert!(check_text(&rule(), "docs/hsts.md", "Strict-Transport-Security: max-age=1").is_empty());
    }
}
