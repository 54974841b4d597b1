//! `tls-verification-disabled` (R-DOM-1): a TLS client told to accept any
//! certificate (or any host name).
//!
//! JS/TS: `rejectUnauthorized: false` and request's `strictSSL: false` as
//! object fields, assignments and parameter defaults; `NODE_TLS_REJECT_UNAUTHORIZED`
//! given `0`; `checkServerIdentity` given a function that accepts every host;
//! superagent's `disableTLSCerts()`. Rust: reqwest/native-tls
//! `danger_accept_invalid_*(true)`, openssl `set_verify(SslVerifyMode::NONE)`
//! and accept-all verify callbacks on clients, and rustls verifiers whose
//! `verify_server_cert` accepts everything. Text: `NODE_TLS_REJECT_UNAUTHORIZED=0`
//! in `package.json` scripts, Dockerfiles, Compose and `.env` files.
//!
//! A setting is judged by the values it can have (followed through
//! constants, variables and object fields) and by where it applies: off
//! everywhere is an error, off only in tests or development (a test file,
//! `#[cfg(test)]`, an `if`, `else` or ternary on `NODE_ENV` or `cfg!(test)`, a
//! `test` script) a warning, and off only when configuration says so (an
//! unsafe default, an `if` on an option or insecure switch) a note.
//! Configuration that verifies by default is not reported.
//!
//! What the two TLS rules share lives in [`crate::tls`]: following a setting
//! to its values, telling code that runs only outside production, naming
//! what an option configures, and reading the lines of configuration files
//! that set environment variables or run commands.

use crate::syntax::{is_ident_byte, on_comment_line};
use crate::tls::{
    ConfigKind, Env, Judged, NODE_TLS_ENV, Reach, Values, called_with_other_than, called_with_possibly, cfg_env,
    compact, comparison_reach_when_true_is_on, config_kind, config_lines, contains_word, js_target, set_to_other_than,
    top_level_commas, value_reach, value_text, zero_assignments,
};
use crate::{FileInput, Rule};
use miroguard_core::{Finding, Language, RuleMeta, Severity, Span};
use miroguard_ir::flow::Flow;
use miroguard_ir::{Binding, BindingKind, Call, Facts, ScopeId, ScopeKind, Value};
use regex::Regex;
use serde::Deserialize;
use std::collections::HashSet;

/// The rule's id.
pub const ID: &str = "tls-verification-disabled";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/tls-verification-disabled.toml"
));

const IMPACT: &str = "anyone on the network path can read and change the traffic";
const HOSTNAME_IMPACT: &str =
    "a valid certificate for any other site is accepted, so anyone who holds one can impersonate the server";

const HELP_JS: &str = "Keep certificate checks on: give the client the CA that issued the server's certificate (`ca: fs.readFileSync('ca.pem')`, `NODE_EXTRA_CA_CERTS`), or get the server a certificate from a public CA.";
const HELP_ENV: &str = "Remove `NODE_TLS_REJECT_UNAUTHORIZED=0`; to trust a private CA, set `NODE_EXTRA_CA_CERTS=/path/to/ca.pem` instead.";
const HELP_RUST: &str = "Keep certificate checks on: add the server's CA with `add_root_certificate` (reqwest, native-tls), `SslConnectorBuilder::set_ca_file` (openssl) or a `rustls::RootCertStore`.";
const HELP_RUSTLS: &str = "Use rustls's `WebPkiServerVerifier` (or `rustls-platform-verifier`) with the roots you trust; a custom verifier must check the chain, the host name and the validity period.";
const HELP_SERVER: &str = "Keep `rejectUnauthorized: true` with `requestCert: true`, or check `req.socket.authorized` before trusting the client.";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    keywords: KeywordLists,
    js_options: Vec<JsOption>,
    rust_methods: Vec<RustMethod>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeywordLists {
    js: Vec<String>,
    rust: Vec<String>,
    text: Vec<String>,
}

/// A JS option whose `off` value turns a check off.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsOption {
    name: String,
    off: bool,
    checks: String,
    library: String,
}

/// A Rust builder method whose `off` argument turns a check off.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RustMethod {
    method: String,
    off: bool,
    checks: String,
    library: String,
}

/// The rule.
pub struct TlsVerificationDisabled {
    meta: RuleMeta,
    keywords: Vec<String>,
    js_options: Vec<JsOption>,
    rust_methods: Vec<RustMethod>,
    /// A function that accepts every host: `() => undefined`, `function () {}`.
    accepts_any_host: Regex,
    /// A verify callback that accepts every certificate: `|_, _| true`.
    accepts_any_certificate: Regex,
}

impl TlsVerificationDisabled {
    /// The rule with its tables from `rules/tls-verification-disabled.toml`.
    pub fn new() -> Result<TlsVerificationDisabled, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        let mut keywords: Vec<String> = Vec::new();
        for word in file
            .keywords
            .js
            .into_iter()
            .chain(file.keywords.rust)
            .chain(file.keywords.text)
        {
            if word.is_empty() || word != word.to_ascii_lowercase() {
                return Err(format!("keyword `{word}` must be non-empty and lowercase"));
            }
            if !keywords.contains(&word) {
                keywords.push(word);
            }
        }
        if let Some(method) = file
            .rust_methods
            .iter()
            .find(|m| !matches!(m.checks.as_str(), "certificate" | "hostname"))
        {
            return Err(format!(
                "rust method `{}`: `checks` must be `certificate` or `hostname`",
                method.method
            ));
        }
        let accepts_any_host = Regex::new(
            r"^(?:async)?(?:function\w*)?\([^()]*\)(?:=>)?(?:\{(?:return(?:undefined|null|void0)?;?)?\}|undefined|null|void0)$",
        )
        .map_err(|e| e.to_string())?;
        let accepts_any_certificate =
            Regex::new(r"^(?:move)?\|[^|]*\|(?:true|\{true\})$").map_err(|e| e.to_string())?;
        Ok(TlsVerificationDisabled {
            meta: file.rule,
            keywords,
            js_options: file.js_options,
            rust_methods: file.rust_methods,
            accepts_any_host,
            accepts_any_certificate,
        })
    }

    fn hit(&self, input: &FileInput<'_>, word: &str) -> bool {
        self.keywords
            .iter()
            .position(|k| k == word)
            .is_some_and(|i| input.keywords.contains(i))
    }

    /// Whether a setting the rule reports is written where code can make it:
    /// an option given something other than its safe literal, a builder
    /// method called with something other than its safe argument, an
    /// OpenSSL or rustls API that only appears where checks are turned off.
    /// The same test gates the parse and the check, so the rule finds the
    /// same whoever asked for Facts.
    fn may_fire(&self, input: &FileInput<'_>) -> bool {
        let text = input.text;
        let language = input.context.language;
        if input.context.is_type_declarations() {
            return false;
        }
        if language.is_js_family() {
            self.js_options.iter().any(|option| {
                self.hit(input, &option.name.to_ascii_lowercase())
                    && set_to_other_than(text, &option.name, if option.off { "false" } else { "true" })
            }) || self.hit(input, "node_tls_reject_unauthorized") && set_to_other_than(text, NODE_TLS_ENV, "'1'")
                || self.hit(input, "checkserveridentity") && set_to_other_than(text, "checkServerIdentity", "")
                || self.hit(input, "disabletlscerts") && called_with_other_than(text, "disableTLSCerts", "")
        } else if language == Language::Rust {
            self.rust_methods.iter().any(|m| {
                self.keywords
                    .iter()
                    .enumerate()
                    .any(|(i, k)| input.keywords.contains(i) && m.method.contains(k.as_str()))
                    && called_with_possibly(text, &m.method, if m.off { "true" } else { "false" })
            }) || self.hit(input, "sslverifymode")
                && text.contains("SslVerifyMode::NONE")
                && called_with_other_than(text, "set_verify", "SslVerifyMode::PEER")
                || self.hit(input, "set_verify_callback") && called_with_other_than(text, "set_verify_callback", "")
                || self.hit(input, "servercertverified")
                    && fn_bodies(text, "verify_server_cert")
                        .into_iter()
                        .any(body_accepts_everything)
                || self.hit(input, "node_tls_reject_unauthorized") && text.contains("\"NODE_TLS_REJECT_UNAUTHORIZED\"")
        } else {
            false
        }
    }

    fn finding(&self, reach: &Reach, test_file: bool, span: Span, message: String, help: &str) -> Finding {
        Finding::new(ID, reach.severity(self.meta.severity, test_file), span, message).with_help(help)
    }

    /// `NODE_TLS_REJECT_UNAUTHORIZED=0` in configuration files.
    fn check_config_file(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        if !self.hit(input, "node_tls_reject_unauthorized") {
            return;
        }
        let Some(kind) = config_kind(&input.context.display_path) else {
            return;
        };
        for line in config_lines(kind, &input.context.display_path, input.text) {
            for at in zero_assignments(line.text, kind == ConfigKind::Dockerfile) {
                let start = line.at + at;
                let span = Span::new(start, start + NODE_TLS_ENV.len());
                let reach = line
                    .outside_production
                    .clone()
                    .map_or(Reach::Always, Reach::OutsideProduction);
                let message = format!(
                    "`{NODE_TLS_ENV}=0` turns off certificate checks for every TLS connection of {}{}: {IMPACT}",
                    line.scope,
                    reach.clause()
                );
                findings.push(self.finding(&reach, input.context.is_test, span, message, HELP_ENV));
            }
        }
    }
}

/// One source file being checked.
struct Cx<'a> {
    rule: &'a TlsVerificationDisabled,
    facts: &'a Facts,
    text: &'a str,
    flow: &'a Flow<'a>,
    values: Values<'a>,
    rust: bool,
    test_file: bool,
}

impl<'a> Cx<'a> {
    fn call(&self, id: u32) -> Option<&'a Call> {
        self.facts.calls.get(id as usize)
    }

    fn push(&self, findings: &mut Vec<Finding>, reach: Reach, span: Span, message: String, help: &str) {
        self.push_capped(findings, reach, span, message, help, Severity::Error);
    }

    /// Pushes a finding whose message holds `{reach}` where the clause of
    /// its (guarded) reach goes, at most as severe as `cap`.
    fn push_capped(
        &self,
        findings: &mut Vec<Finding>,
        reach: Reach,
        span: Span,
        message: String,
        help: &str,
        cap: Severity,
    ) {
        let reach = reach.guarded(self.flow, span, self.rust);
        let message = message.replace("{reach}", &reach.clause());
        let mut finding = self.rule.finding(&reach, self.test_file, span, message, help);
        finding.severity = finding.severity.min(cap);
        findings.push(finding);
    }

    // ------------------------------------------------------------ JS

    fn js(&self, findings: &mut Vec<Finding>) {
        for (id, binding) in self.facts.bindings.iter().enumerate() {
            if let Some(option) = self.rule.js_options.iter().find(|o| o.name == binding.name) {
                self.js_option(id as u32, binding, option, findings);
            } else if binding.name == "checkServerIdentity" {
                self.check_server_identity(binding, findings);
            }
        }
        for call in &self.facts.calls {
            if call.callee.last().is_some_and(|m| m == "disableTLSCerts") {
                self.push(
                    findings,
                    Reach::Always,
                    call.callee_span,
                    format!("`.disableTLSCerts()` turns off certificate checks for this superagent request{{reach}}: {IMPACT}"),
                    HELP_JS,
                );
            }
        }
    }

    fn js_option(&self, id: u32, binding: &'a Binding, option: &JsOption, findings: &mut Vec<Finding>) {
        let is_setting = match binding.kind {
            BindingKind::Field | BindingKind::Argument => true,
            BindingKind::Assignment => binding.path.len() >= 2,
            _ => false,
        };
        if !is_setting {
            return;
        }
        let written = value_text(self.text, binding);
        let leaves = self
            .values
            .leaves(&binding.value, binding.scope, binding.span.start, written);
        let off = option.off;
        let judged = value_reach(&leaves, |leaf| match leaf.value {
            Value::Bool(value) if *value == off => Some(Judged::Off),
            // `true` turns the check on: a comparison is on when it holds.
            Value::Computed(_) if !off => leaf
                .written
                .and_then(|w| comparison_reach_when_true_is_on(w).map(Judged::OffWhen)),
            _ => None,
        });
        let Some((reach, leaf)) = judged else {
            return;
        };
        let target = js_target(self.facts, self.flow, binding, id);
        let shown = compact(binding.span.text(self.text), 60);
        let via = match leaf.via {
            // `{ rejectUnauthorized }` from a parameter default of the same name.
            Some(v) if v == shown => format!(" (`{off}`)"),
            Some(v) => format!(" (`{off}` from `{v}`)"),
            None => String::new(),
        };
        if target.server {
            // A server checks client certificates only when it asks for them.
            let asks = self
                .values
                .sibling(binding, "requestCert")
                .is_some_and(|b| b.value == Value::Bool(true));
            if !asks || self.text.contains(".authorized") {
                return;
            }
            let message = format!(
                "`{shown}`{via} with `requestCert: true` makes {} accept client certificates that fail verification{{reach}}, and this file never checks `.authorized`: any client certificate passes",
                target.phrase
            );
            self.push_capped(findings, reach, binding.span, message, HELP_SERVER, Severity::Warning);
            return;
        }
        let message = format!(
            "`{shown}`{via} turns off {} for {}{{reach}}: {IMPACT}",
            option.checks, target.phrase
        );
        self.push(findings, reach, binding.span, message, HELP_JS);
    }

    fn check_server_identity(&self, binding: &'a Binding, findings: &mut Vec<Finding>) {
        if !matches!(binding.kind, BindingKind::Field | BindingKind::Assignment) {
            return;
        }
        let Some(written) = value_text(self.text, binding) else {
            return;
        };
        let squeezed: String = written.chars().filter(|c| !c.is_whitespace()).collect();
        if !self.rule.accepts_any_host.is_match(&squeezed) {
            return;
        }
        let target = js_target(self.facts, self.flow, binding, u32::MAX);
        let message = format!(
            "`checkServerIdentity: {}` turns off hostname checks for {}{{reach}}: {HOSTNAME_IMPACT}",
            compact(written, 40),
            target.phrase
        );
        self.push(findings, Reach::Always, binding.span, message, HELP_JS);
    }

    /// `NODE_TLS_REJECT_UNAUTHORIZED` given `0`, in either language.
    fn node_tls_env(&self, findings: &mut Vec<Finding>) {
        for binding in &self.facts.bindings {
            if binding.name != NODE_TLS_ENV {
                continue;
            }
            let whole_process = match binding.kind {
                BindingKind::Assignment => binding.path.len() >= 2,
                BindingKind::Field | BindingKind::Argument => false,
                _ => continue,
            };
            let written = value_text(self.text, binding);
            let leaves = self
                .values
                .leaves(&binding.value, binding.scope, binding.span.start, written);
            let judged = value_reach(&leaves, |leaf| {
                let zero = match leaf.value {
                    Value::Str(id) => self
                        .facts
                        .strings
                        .get(*id as usize)
                        .is_some_and(|s| s.value.trim() == "0"),
                    Value::Number(n) => n == "0",
                    _ => false,
                };
                zero.then_some(Judged::Off)
            });
            let Some((reach, leaf)) = judged else {
                continue;
            };
            let shown = match binding.kind {
                // `.env("NODE_TLS_REJECT_UNAUTHORIZED", "0")`: the pair is not how anyone writes it.
                BindingKind::Argument => format!("{NODE_TLS_ENV}=0"),
                _ => compact(binding.span.text(self.text), 70),
            };
            let via = leaf.via.map(|v| format!(" (`0` from `{v}`)")).unwrap_or_default();
            let whom = if whole_process {
                "every TLS connection this Node process makes"
            } else {
                "every TLS connection of the Node process started with this environment"
            };
            let message = format!("`{shown}`{via} turns off certificate checks for {whom}{{reach}}: {IMPACT}");
            self.push(findings, reach, binding.span, message, HELP_ENV);
        }
    }

    // ------------------------------------------------------------ Rust

    fn rust(&self, findings: &mut Vec<Finding>) {
        let verifiers = self.accepting_verifiers();
        let mut installed: HashSet<&str> = HashSet::new();
        for call in &self.facts.calls {
            if call.is_macro {
                continue;
            }
            let Some(method) = call.callee.last().map(String::as_str) else {
                continue;
            };
            if let Some(spec) = self.rule.rust_methods.iter().find(|m| m.method == method) {
                self.rust_method(call, spec, findings);
                continue;
            }
            match method {
                "set_verify" => {
                    let none = call.args.first().is_some_and(|arg| {
                        self.values
                            .leaves(arg, call.scope, call.span.start, None)
                            .iter()
                            .any(|leaf| matches!(leaf.value, Value::Member(p) if p.ends_with(&["SslVerifyMode".to_string(), "NONE".to_string()])))
                    });
                    if none && !self.openssl_server(call) {
                        let message = format!(
                            "`set_verify(SslVerifyMode::NONE)` turns off certificate checks for this OpenSSL client{{reach}}: {IMPACT}"
                        );
                        self.push(findings, Reach::Always, call.callee_span, message, HELP_RUST);
                    }
                }
                "set_verify_callback" => {
                    let accepts_all = self.callback_text(call).is_some_and(|written| {
                        let squeezed: String = written.chars().filter(|c| !c.is_whitespace()).collect();
                        self.rule.accepts_any_certificate.is_match(&squeezed)
                    });
                    if accepts_all && !self.openssl_server(call) {
                        let message = format!(
                            "`set_verify_callback` with a callback that returns `true` accepts every certificate for this OpenSSL client{{reach}}: {IMPACT}"
                        );
                        self.push(findings, Reach::Always, call.callee_span, message, HELP_RUST);
                    }
                }
                "set_certificate_verifier" | "with_custom_certificate_verifier" => {
                    let written = call.span.text(self.text);
                    for verifier in &verifiers {
                        if !contains_word(written, verifier.name) {
                            continue;
                        }
                        installed.insert(verifier.name);
                        let message = format!(
                            "`{method}` installs `{}`, whose `verify_server_cert` returns `ServerCertVerified::assertion()` without checking anything: this rustls client accepts any certificate{{reach}}, so {IMPACT}",
                            verifier.name
                        );
                        self.push(findings, Reach::Always, call.callee_span, message, HELP_RUSTLS);
                    }
                }
                _ => {}
            }
        }
        for verifier in verifiers.iter().filter(|v| !installed.contains(v.name)) {
            let message = format!(
                "`{}::verify_server_cert` returns `ServerCertVerified::assertion()` without checking anything: a rustls client given this verifier through `dangerous()` accepts any certificate{{reach}}, so {IMPACT}",
                verifier.name
            );
            self.push(findings, Reach::Always, verifier.at, message, HELP_RUSTLS);
        }
    }

    fn rust_method(&self, call: &'a Call, spec: &RustMethod, findings: &mut Vec<Finding>) {
        let Some(arg) = call.args.first() else {
            return;
        };
        let leaves = self.values.leaves(arg, call.scope, call.span.start, None);
        let off = spec.off;
        let judged = value_reach(&leaves, |leaf| match leaf.value {
            Value::Bool(value) if *value == off => Some(Judged::Off),
            // `danger_accept_invalid_certs(cfg!(debug_assertions))`.
            Value::Call(id) if off => self.cfg_reach(*id).map(Judged::OffWhen),
            _ => None,
        });
        let Some((reach, leaf)) = judged else {
            return;
        };
        let args = compact(self.text.get(call.callee_span.end..call.span.end).unwrap_or("(…)"), 50);
        let via = leaf.via.map(|v| format!(" (`{off}` from `{v}`)")).unwrap_or_default();
        let (what, impact) = if spec.checks == "hostname" {
            ("hostname checks", HOSTNAME_IMPACT)
        } else {
            ("certificate checks", IMPACT)
        };
        let message = format!(
            "`{}{args}`{via} turns off {what} for this client{{reach}}: {impact}",
            spec.method
        );
        self.push(findings, reach, call.callee_span, message, HELP_RUST);
    }

    /// The reach of a `cfg!(…)` that holds only in tests or debug builds.
    fn cfg_reach(&self, id: u32) -> Option<Reach> {
        let call = self.call(id)?;
        if !call.is_macro || call.callee.as_slice() != ["cfg"] {
            return None;
        }
        let written = call.span.text(self.text);
        let inner = written.split_once('(')?.1.strip_suffix(')')?;
        (cfg_env(inner)? == Env::NonProduction)
            .then(|| Reach::OutsideProduction(format!("only in tests or debug builds (`{}`)", compact(written, 40))))
    }

    /// The callback of `set_verify_callback(mode, callback)` as written
    /// (after the first comma: a closure's parameters hold commas too).
    fn callback_text(&self, call: &Call) -> Option<&'a str> {
        let args = self.text.get(call.callee_span.end..call.span.end)?.trim();
        let inner = args.strip_prefix('(')?.strip_suffix(')')?;
        let at = *top_level_commas(inner).first()?;
        Some(inner[at + 1..].trim())
    }

    /// Whether an OpenSSL `set_verify` is on a server context, where
    /// `SslVerifyMode::NONE` only means no client certificate is asked for:
    /// the receiver comes from an `SslAcceptor` or `tls_server()`, or nothing
    /// says and the file builds only servers.
    fn openssl_server(&self, call: &Call) -> bool {
        let mut written = vec![call.span.text(self.text)];
        let root = match (&call.receiver, call.callee.first()) {
            (None, Some(root)) if call.callee.len() > 1 => Some(root.as_str()),
            _ => None,
        };
        if let Some(binding) = root
            .and_then(|root| self.flow.resolve(root, call.scope, call.span.start))
            .and_then(|id| self.facts.bindings.get(id as usize))
        {
            written.push(binding.span.text(self.text));
        }
        let server = |t: &str| t.contains("Acceptor") || t.contains("tls_server");
        let client = |t: &str| t.contains("Connector") || t.contains("tls_client") || t.contains("connect");
        if written.iter().any(|t| server(t)) {
            return true;
        }
        if written.iter().any(|t| client(t)) {
            return false;
        }
        server(self.text) && !client(self.text)
    }

    /// rustls verifiers of this file whose `verify_server_cert` accepts
    /// every certificate: its body returns `ServerCertVerified::assertion()`
    /// and calls, tests and propagates nothing else (logging aside).
    fn accepting_verifiers(&self) -> Vec<Verifier<'a>> {
        const ALLOWED_CALLS: &[&str] = &[
            "Ok",
            "assertion",
            "debug",
            "trace",
            "info",
            "warn",
            "println",
            "eprintln",
        ];
        let mut out = Vec::new();
        for (id, scope) in self.facts.scopes.iter().enumerate() {
            if scope.kind != ScopeKind::Function || scope.name.as_deref() != Some("verify_server_cert") {
                continue;
            }
            let Some(class) = scope.parent.and_then(|p| self.facts.scopes.get(p as usize)) else {
                continue;
            };
            if class.kind != ScopeKind::Class {
                continue;
            }
            let Some(name) = verifier_type(class.span.text(self.text)) else {
                continue;
            };
            let function = scope.span.text(self.text);
            let Some(brace) = function.find('{') else {
                continue;
            };
            let calls_only_allowed = self.facts.calls.iter().all(|c| {
                self.flow.function_of(c.scope) != id as ScopeId
                    || c.callee.last().is_some_and(|m| ALLOWED_CALLS.contains(&m.as_str()))
            });
            if !body_accepts_everything(&function[brace..]) || !calls_only_allowed {
                continue;
            }
            let at = function.find("verify_server_cert").map_or(scope.span, |i| {
                Span::new(scope.span.start + i, scope.span.start + i + "verify_server_cert".len())
            });
            out.push(Verifier { name, at });
        }
        out
    }
}

/// Whether the body of a `verify_server_cert` returns
/// `ServerCertVerified::assertion()` without testing or propagating anything.
fn body_accepts_everything(body: &str) -> bool {
    body.contains("ServerCertVerified::assertion")
        && !body.contains('?')
        && !["if", "match", "Err", "loop", "while"]
            .iter()
            .any(|word| contains_word(body, word))
}

/// The bodies of the Rust functions named `name` (from their `{` to the
/// matching `}`, by counting braces outside strings and comments).
fn fn_bodies<'t>(text: &'t str, name: &str) -> Vec<&'t str> {
    let needle = format!("fn {name}");
    text.match_indices(needle.as_str())
        .filter(|(at, _)| !on_comment_line(text, *at))
        .filter_map(|(at, _)| {
            let open = at + text[at..].find('{')?;
            let bytes = text.as_bytes();
            let mut depth = 0usize;
            let mut i = open;
            while i < bytes.len() {
                match bytes[i] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            return text.get(open..=i);
                        }
                    }
                    b'"' => {
                        i += 1;
                        while i < bytes.len() && bytes[i] != b'"' {
                            i += if bytes[i] == b'\\' { 2 } else { 1 };
                        }
                    }
                    b'/' if bytes.get(i + 1) == Some(&b'/') => {
                        i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        })
        .collect()
}

/// A rustls verifier type that accepts every certificate.
struct Verifier<'a> {
    name: &'a str,
    /// Its `verify_server_cert` name.
    at: Span,
}

/// The type an `impl … ServerCertVerifier for T` header implements it for.
fn verifier_type(impl_text: &str) -> Option<&str> {
    let header = impl_text.split('{').next()?;
    if !header.contains("ServerCertVerifier") {
        return None;
    }
    let target = header.rsplit_once(" for ")?.1.trim();
    let target = target.split(['<', ' ', '\n']).next()?;
    let name = target.rsplit("::").next()?;
    (!name.is_empty() && name.bytes().all(is_ident_byte)).then_some(name)
}

impl Rule for TlsVerificationDisabled {
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
            self.check_config_file(input, findings);
            return;
        }
        let Some(facts) = input.facts else {
            return;
        };
        if !self.may_fire(input) {
            return;
        }
        let flow = input.memo.flow(facts, input.text);
        let rust = input.context.language == Language::Rust;
        let cx = Cx {
            rule: self,
            facts,
            text: input.text,
            flow,
            values: Values::new(flow),
            rust,
            test_file: input.context.is_test,
        };
        if rust {
            cx.rust(findings);
        } else {
            cx.js(findings);
        }
        cx.node_tls_env(findings);
    }

    fn extra_docs(&self) -> Option<String> {
        let mut doc =
            String::from("## Options and methods\n\n| Language | Setting | Turns off | Used by |\n|---|---|---|---|\n");
        for option in &self.js_options {
            doc.push_str(&format!(
                "| JS/TS | `{}: {}` | {} | {} |\n",
                option.name, option.off, option.checks, option.library
            ));
        }
        doc.push_str(&format!(
            "| JS/TS, Rust, text | `{NODE_TLS_ENV}=0` | certificate checks of the whole Node process | node |\n| JS/TS | `checkServerIdentity: () => undefined` | hostname checks | node `tls`, `https` |\n| JS/TS | `.disableTLSCerts()` | certificate checks | superagent |\n"
        ));
        for method in &self.rust_methods {
            doc.push_str(&format!(
                "| Rust | `.{}({})` | {} checks | {} |\n",
                method.method, method.off, method.checks, method.library
            ));
        }
        doc.push_str("| Rust | `.set_verify(SslVerifyMode::NONE)`, `.set_verify_callback(_, \\|_, _\\| true)` on a client | certificate checks | openssl |\n| Rust | a `ServerCertVerifier` whose `verify_server_cert` only returns `ServerCertVerified::assertion()` | certificate checks | rustls (`dangerous()`) |\n");
        Some(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered::{check_sorted, check_text};
    use crate::tls::{condition_env, ternary_condition};

    fn rule() -> TlsVerificationDisabled {
        TlsVerificationDisabled::new().expect("built-in rule loads")
    }

    const E: Severity = Severity::Error;
    const W: Severity = Severity::Warning;
    const N: Severity = Severity::Note;

    fn sorted(path: &str, source: &str) -> Vec<(usize, Severity, String)> {
        check_sorted(&rule(), path, source)
    }

    fn lines(path: &str, source: &str) -> Vec<(usize, Severity)> {
        sorted(path, source).into_iter().map(|(l, s, _)| (l, s)).collect()
    }

    fn messages(path: &str, source: &str) -> Vec<String> {
        sorted(path, source).into_iter().map(|(_, _, m)| m).collect()
    }

    fn text_findings(path: &str, text: &str) -> Vec<(usize, Severity, String)> {
        check_text(&rule(), path, text)
    }

    #[test]
    fn options_are_judged_by_the_values_they_can_have() {
        let source = r#"
import https from "https";
import { Agent } from "undici";
import got from "got";
const VERIFY_TLS = false;
const config = { tls: { verify: false }, strict: true };
export const insecure = new https.Agent({ rejectUnauthorized: false });
export const viaConstant = new https.Agent({ rejectUnauthorized: VERIFY_TLS });
export const viaField = new https.Agent({ rejectUnauthorized: config.tls.verify });
export const undici = new Agent({ connect: { rejectUnauthorized: false } });
export const fetched = got(url, { https: { rejectUnauthorized: false } });
export const legacy = request({ url, strictSSL: false });
https.globalAgent.options.rejectUnauthorized = false;
export const checked = new https.Agent({ rejectUnauthorized: true });
export const fromConfig = new https.Agent({ rejectUnauthorized: config.strict });
export const fromEnv = new https.Agent({ rejectUnauthorized: process.env.TLS_VERIFY !== "false" });
export const negated = new https.Agent({ rejectUnauthorized: !process.env.INSECURE_TLS });
export const zero = new https.Agent({ rejectUnauthorized: 0 });
// rejectUnauthorized: false is never used here
throw new Error("refusing to run with rejectUnauthorized: false");
"#;
        assert_eq!(
            lines("server/agents.ts", source),
            [(7, E), (8, E), (9, E), (10, E), (11, E), (12, E), (13, E)]
        );
        let found = messages("server/agents.ts", source);
        assert_eq!(
            found[0],
            "`rejectUnauthorized: false` turns off certificate checks for this https agent: anyone on the network path can read and change the traffic"
        );
        assert!(
            found[1].starts_with("`rejectUnauthorized: VERIFY_TLS` (`false` from `VERIFY_TLS`)"),
            "{}",
            found[1]
        );
        assert!(found[3].contains("for this undici agent"), "{}", found[3]);
        assert!(found[4].contains("for these got requests"), "{}", found[4]);
        assert!(
            found[6].contains("for every request through `https.globalAgent`"),
            "{}",
            found[6]
        );
    }

    #[test]
    fn configuration_decides_the_level() {
        let source = r#"
const https = require("https");
const a = new https.Agent({ rejectUnauthorized: process.env.TLS_VERIFY === "true" });
const b = new https.Agent({ rejectUnauthorized: process.env.NODE_ENV === "production" });
const c = new https.Agent({ rejectUnauthorized: options.verify ?? false });
const d = new https.Agent({ rejectUnauthorized: isTest ? false : true });
const e = new https.Agent({ rejectUnauthorized: process.env.NODE_ENV === "test" });
const f = new https.Agent({ rejectUnauthorized: options.legacyPartner ? false : true });
const g = new https.Agent({ rejectUnauthorized: partner.legacy ? false : true });
function connect({ host, rejectUnauthorized = false } = {}) {
  return tls.connect({ host, rejectUnauthorized });
}
"#;
        assert_eq!(
            lines("lib/clients.js", source),
            [(3, N), (4, W), (5, N), (6, W), (7, E), (8, N), (9, E), (11, N)]
        );
        let found = messages("lib/clients.js", source);
        assert!(
            found[0].contains("unless `process.env.TLS_VERIFY` is `true`"),
            "{}",
            found[0]
        );
        assert!(
            found[3].contains("only in tests or development (`isTest`)"),
            "{}",
            found[3]
        );
        assert!(
            found[5].contains("depending on `options.legacyPartner`"),
            "{}",
            found[5]
        );
        assert!(
            found[7].contains("for this TLS connection unless configuration or the caller sets it"),
            "{}",
            found[7]
        );
    }

    #[test]
    fn branches_on_configuration_are_notes_and_on_run_time_data_errors() {
        let source = r#"
function transform(options, tlsInsecure) {
  if (tlsInsecure) {
    options.rejectUnauthorized = false;
  } else {
    options.rejectUnauthorized = true;
  }
  if (options.strictTls) {
    options.ca = loadCa();
  } else {
    options.rejectUnauthorized = false;
  }
}
async function fetchWithRetry(url) {
  try {
    return await fetch(url);
  } catch (err) {
    if (err.code === "SELF_SIGNED_CERT_IN_CHAIN") {
      return fetch(url, { agent: new https.Agent({ rejectUnauthorized: false }) });
    }
    throw err;
  }
}
"#;
        assert_eq!(lines("lib/options.js", source), [(4, N), (11, N), (19, E)]);
        let found = messages("lib/options.js", source);
        assert!(found[0].contains("only when `tlsInsecure`"), "{}", found[0]);
        assert!(
            found[1].contains("only when `options.strictTls` is false"),
            "{}",
            found[1]
        );
        let rust = r#"
impl Connector {
    fn connect(&self) {
        let mut ssl = self.connector.configure().verify_hostname(!self.accept_invalid_hostnames);
        if self.accept_invalid_certs {
            ssl.set_verify(SslVerifyMode::NONE);
        }
    }
}
"#;
        assert_eq!(lines("src/imp.rs", rust), [(6, N)]);
    }

    #[test]
    fn test_guards_lower_errors_to_warnings() {
        let source = r#"
if (process.env.NODE_ENV === "test") {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
}
if (process.env.NODE_ENV === "production") {
  start();
} else {
  globalThis.agent = new https.Agent({ rejectUnauthorized: false });
}
if (isDev) process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
if (process.env.NODE_ENV !== "test") {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
}
"#;
        assert_eq!(lines("src/boot.js", source), [(3, W), (8, W), (10, W), (12, E)]);
        let found = messages("src/boot.js", source);
        assert!(
            found[0].contains("only in tests or development (`process.env.NODE_ENV === \"test\"`)"),
            "{}",
            found[0]
        );
        assert!(
            found[1].contains("only outside production (where `process.env.NODE_ENV === \"production\"` is false)"),
            "{}",
            found[1]
        );
        let plain = "const a = new https.Agent({ rejectUnauthorized: false });\n";
        assert_eq!(lines("test/partner.test.js", plain), [(1, W)]);
        assert_eq!(lines("src/partner.js", plain), [(1, E)]);
    }

    #[test]
    fn types_are_not_settings() {
        let source = "interface Insecure { rejectUnauthorized: false }\ntype Loose = { rejectUnauthorized: false; strictSSL: false };\nlet o: { rejectUnauthorized: false } | undefined;\nfunction f(o: { rejectUnauthorized: false }): void {}\n";
        assert!(
            lines("src/types.ts", source).is_empty(),
            "{:?}",
            messages("src/types.ts", source)
        );
    }

    #[test]
    fn node_tls_reject_unauthorized_in_code() {
        let source = r#"
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = 0;
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "1";
delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
spawn("node", ["worker.js"], { env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: "0" } });
console.warn("NODE_TLS_REJECT_UNAUTHORIZED=0 is set");
"#;
        assert_eq!(lines("scripts/run.mjs", source), [(2, E), (3, E), (6, E)]);
        assert!(messages("scripts/run.mjs", source)[2].contains("of the Node process started with this environment"));
    }

    #[test]
    fn servers_and_host_checks() {
        let server = r#"
const server = https.createServer({ key, cert, requestCert: true, rejectUnauthorized: false }, app);
const plain = https.createServer({ key, cert, rejectUnauthorized: false }, app);
const socket = tls.connect({ host, checkServerIdentity: () => undefined });
const pinned = tls.connect({ host, checkServerIdentity: (host, cert) => pin(host, cert) });
request.get(url).disableTLSCerts();
"#;
        assert_eq!(lines("src/mtls.js", server), [(2, W), (4, E), (6, E)]);
        let checked =
            format!("{server}\napp.use((req, res, next) => req.socket.authorized ? next() : res.sendStatus(401));\n");
        assert_eq!(lines("src/mtls.js", &checked), [(4, E), (6, E)]);
    }

    #[test]
    fn rust_builders_and_openssl() {
        let source = r#"
use openssl::ssl::{SslAcceptor, SslConnector, SslMethod, SslVerifyMode};
const INSECURE: bool = true;
fn clients(cfg: &Config) -> Result<(), Error> {
    let a = reqwest::Client::builder().danger_accept_invalid_certs(true).build()?;
    let b = native_tls::TlsConnector::builder().danger_accept_invalid_hostnames(INSECURE).build()?;
    let c = reqwest::Client::builder().danger_accept_invalid_certs(false).build()?;
    let d = reqwest::Client::builder().danger_accept_invalid_certs(cfg.insecure).build()?;
    let mut connector = SslConnector::builder(SslMethod::tls())?;
    connector.set_verify(SslVerifyMode::NONE);
    connector.set_verify_callback(SslVerifyMode::PEER, |_, _| true);
    connector.set_verify_callback(SslVerifyMode::PEER, |ok, ctx| ok && pinned(ctx));
    let mut acceptor = SslAcceptor::mozilla_intermediate(SslMethod::tls())?;
    acceptor.set_verify(SslVerifyMode::NONE);
    let mut config = connector.build().configure()?;
    config.set_verify_hostname(false);
    // danger_accept_invalid_certs(true) was removed
    let note = "danger_accept_invalid_certs(true)";
    Ok(())
}
"#;
        assert_eq!(
            lines("src/clients.rs", source),
            [(5, E), (6, E), (10, E), (11, E), (16, E)]
        );
        let found = messages("src/clients.rs", source);
        assert_eq!(
            found[0],
            "`danger_accept_invalid_certs(true)` turns off certificate checks for this client: anyone on the network path can read and change the traffic"
        );
        assert!(
            found[1].starts_with(
                "`danger_accept_invalid_hostnames(INSECURE)` (`true` from `INSECURE`) turns off hostname checks"
            ),
            "{}",
            found[1]
        );
    }

    #[test]
    fn rust_guards() {
        let source = r#"
fn client() -> reqwest::Client {
    let builder = reqwest::Client::builder();
    #[cfg(test)]
    let builder = builder.danger_accept_invalid_certs(true);
    let builder = builder.danger_accept_invalid_certs(cfg!(debug_assertions));
    let builder = if cfg!(test) { builder.danger_accept_invalid_certs(true) } else { builder };
    builder.build().expect("client")
}
#[cfg(test)]
mod tests {
    fn local() -> reqwest::Client {
        reqwest::Client::builder().danger_accept_invalid_certs(true).build().expect("client")
    }
}
"#;
        assert_eq!(lines("src/http.rs", source), [(5, W), (6, W), (7, W), (13, W)]);
        assert_eq!(
            lines(
                "tests/api.rs",
                "fn f() { let c = reqwest::Client::builder().danger_accept_invalid_certs(true); }\n"
            ),
            [(1, W)]
        );
    }

    #[test]
    fn rustls_verifiers_that_accept_everything() {
        let source = r#"
#[derive(Debug)]
struct NoVerifier;
impl rustls::client::danger::ServerCertVerifier for NoVerifier {
    fn verify_server_cert(&self, _end: &CertificateDer<'_>, _chain: &[CertificateDer<'_>], _name: &ServerName<'_>, _ocsp: &[u8], _now: UnixTime) -> Result<ServerCertVerified, Error> {
        Ok(ServerCertVerified::assertion())
    }
}
struct Pinned(Vec<u8>);
impl ServerCertVerifier for Pinned {
    fn verify_server_cert(&self, end: &CertificateDer<'_>, _c: &[CertificateDer<'_>], _n: &ServerName<'_>, _o: &[u8], _t: UnixTime) -> Result<ServerCertVerified, Error> {
        if end.as_ref() == self.0.as_slice() { Ok(ServerCertVerified::assertion()) } else { Err(Error::General("pin".into())) }
    }
}
fn config() -> ClientConfig {
    ClientConfig::builder()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(NoVerifier))
        .with_no_client_auth()
}
fn pinned() -> ClientConfig {
    ClientConfig::builder().dangerous().with_custom_certificate_verifier(Arc::new(Pinned(pin()))).with_no_client_auth()
}
"#;
        assert_eq!(lines("src/tls.rs", source), [(18, E)]);
        assert!(
            messages("src/tls.rs", source)[0].starts_with("`with_custom_certificate_verifier` installs `NoVerifier`")
        );
        let elsewhere = source.split("fn config()").next().unwrap_or_default();
        assert_eq!(lines("src/verifier.rs", elsewhere), [(5, E)]);
        assert!(messages("src/verifier.rs", elsewhere)[0].starts_with("`NoVerifier::verify_server_cert` returns"));
    }

    #[test]
    fn node_tls_for_spawned_node_from_rust() {
        let source = "fn run() { Command::new(\"node\").env(\"NODE_TLS_REJECT_UNAUTHORIZED\", \"0\").arg(\"app.js\").spawn(); }\n";
        assert_eq!(lines("src/run.rs", source), [(1, E)]);
        assert!(messages("src/run.rs", source)[0].starts_with("`NODE_TLS_REJECT_UNAUTHORIZED=0` turns off"));
    }

    #[test]
    fn configuration_files() {
        let package = r#"{
  "name": "acme-panel",
  "description": "Never run with NODE_TLS_REJECT_UNAUTHORIZED=0",
  "config": { "start": "NODE_TLS_REJECT_UNAUTHORIZED=0 node server.js" },
  "scripts": {
    "start": "NODE_TLS_REJECT_UNAUTHORIZED=0 node server.js",
    "test": "cross-env NODE_TLS_REJECT_UNAUTHORIZED=0 jest",
    "start:secure": "NODE_TLS_REJECT_UNAUTHORIZED=1 node server.js",
    "dev": "NODE_TLS_REJECT_UNAUTHORIZED=\"0\" nodemon server.js"
  }
}
"#;
        let found = text_findings("package.json", package);
        let at: Vec<(usize, Severity)> = found.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(at, [(6, E), (7, W), (9, W)]);
        assert_eq!(
            found[0].2,
            "`NODE_TLS_REJECT_UNAUTHORIZED=0` turns off certificate checks for every TLS connection of the `start` script: anyone on the network path can read and change the traffic"
        );
        assert!(text_findings("package.json", "{ \"scripts\": ").is_empty());
        let docker = "FROM node:20\n# ENV NODE_TLS_REJECT_UNAUTHORIZED=0\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nENV NODE_TLS_REJECT_UNAUTHORIZED 0\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\nRUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci\n";
        let at: Vec<(usize, Severity)> = text_findings("Dockerfile", docker).iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(at, [(3, E), (4, E), (6, E)]);
        assert!(
            text_findings("Dockerfile", docker)[2]
                .2
                .contains("the image's build steps")
        );
        let at: Vec<(usize, Severity)> = text_findings("docker/Dockerfile.dev", docker)
            .iter()
            .map(|f| (f.0, f.1))
            .collect();
        assert_eq!(at, [(3, W), (4, W), (6, W)]);
        let compose = "services:\n  api:\n    environment:\n      - NODE_TLS_REJECT_UNAUTHORIZED=0\n      NODE_TLS_REJECT_UNAUTHORIZED: \"0\"\n      # NODE_TLS_REJECT_UNAUTHORIZED: 0\n";
        let at: Vec<(usize, Severity)> = text_findings("docker-compose.yml", compose)
            .iter()
            .map(|f| (f.0, f.1))
            .collect();
        assert_eq!(at, [(4, E), (5, E)]);
        let env = "PORT=3000\nNODE_TLS_REJECT_UNAUTHORIZED=0\n# NODE_TLS_REJECT_UNAUTHORIZED=0\nXNODE_TLS_REJECT_UNAUTHORIZED=0\nNODE_TLS_REJECT_UNAUTHORIZED=0.5\n";
        let at: Vec<(usize, Severity)> = text_findings(".env", env).iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(at, [(2, E)]);
        let at: Vec<(usize, Severity)> = text_findings(".env.test", env).iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(at, [(2, W)]);
        assert!(text_findings("README.md", env).is_empty());
        assert!(text_findings("deploy.sh", env).is_empty());
    }

    /// Whether the rule asks for the Facts of `source` at `path`.
    fn gate(path: &str, source: &str) -> bool {
        crate::lowered::needs_facts(&rule(), path, source)
    }

    #[test]
    fn files_that_cannot_match_are_not_parsed() {
        assert!(gate("a.js", "new https.Agent({ rejectUnauthorized: false })"));
        assert!(gate("a.js", "new https.Agent({ 'rejectUnauthorized': verify })"));
        assert!(gate("a.js", "const rejectUnauthorized = false;"));
        assert!(gate("a.js", "process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0'"));
        assert!(!gate("a.js", "new https.Agent({ rejectUnauthorized: true })"));
        assert!(!gate(
            "a.js",
            "// see rejectUnauthorized docs\nif (opts.rejectUnauthorized) {}"
        ));
        assert!(!gate("a.ts", "interface O { rejectUnauthorized?: boolean }"));
        assert!(!gate("types.d.ts", "declare const o: { rejectUnauthorized: false };"));
        assert!(gate("a.rs", "b.danger_accept_invalid_certs(true)"));
        assert!(gate(
            "a.rs",
            "const INSECURE: bool = true;\nb.danger_accept_invalid_certs(INSECURE)"
        ));
        assert!(gate("a.rs", "b.danger_accept_invalid_certs(cfg!(debug_assertions))"));
        assert!(!gate("a.rs", "b.danger_accept_invalid_certs(cfg.insecure)"));
        assert!(!gate(
            "a.rs",
            "tls.danger_accept_invalid_hostnames(!config.hostname_verification);"
        ));
        assert!(!gate(
            "a.rs",
            "/// let c = b.danger_accept_invalid_certs(true);\npub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self { self }"
        ));
        assert!(!gate(
            "a.rs",
            "fn verify_server_cert(&self) -> R { let v = self.inner.check()?; Ok(ServerCertVerified::assertion()) }"
        ));
        assert!(!gate("a.rs", "b.danger_accept_invalid_certs(false)"));
        assert!(!gate(
            "a.rs",
            "// never call danger_accept_invalid_certs\nlet v = SslVerifyMode::PEER;"
        ));
        assert!(gate("a.rs", "b.set_verify(SslVerifyMode::NONE);"));
        assert!(gate(
            "a.rs",
            "fn verify_server_cert(&self) -> R { Ok(ServerCertVerified::assertion()) }"
        ));
        assert!(!gate(
            "package.json",
            "{\"scripts\":{\"start\":\"NODE_TLS_REJECT_UNAUTHORIZED=0 node s.js\"}}"
        ));
    }

    #[test]
    fn conditions_name_environments() {
        for (condition, env) in [
            ("process.env.NODE_ENV === 'test'", Some(Env::NonProduction)),
            ("process.env.NODE_ENV !== \"production\"", Some(Env::NonProduction)),
            (
                "(process.env.NODE_ENV === 'development' || process.env.NODE_ENV === 'test')",
                Some(Env::NonProduction),
            ),
            ("process.env.NODE_ENV === 'production'", Some(Env::Production)),
            ("'test' == process.env.NODE_ENV", Some(Env::NonProduction)),
            ("import.meta.env.DEV", Some(Env::NonProduction)),
            ("!isTest", Some(Env::Production)),
            ("isTest && useLocalServer", Some(Env::NonProduction)),
            ("process.env.JEST_WORKER_ID", Some(Env::NonProduction)),
            ("__DEV__", Some(Env::NonProduction)),
            ("cfg!(test)", Some(Env::NonProduction)),
            ("cfg!(not(debug_assertions))", Some(Env::Production)),
            ("user.role === 'test'", None),
            ("isTest || partner.legacy", None),
            ("process.env.TLS_VERIFY === 'true'", None),
            ("legacy", None),
        ] {
            assert_eq!(condition_env(condition), env, "{condition}");
        }
        assert_eq!(ternary_condition("isTest ? false : true"), Some("isTest"));
        assert_eq!(ternary_condition("a?.b ?? false"), None);
        assert_eq!(ternary_condition("f(a ? b : c)"), None);
        assert_eq!(cfg_env("all(test, feature = \"x\")"), Some(Env::NonProduction));
    }

    #[test]
    fn the_tables_are_consistent() {
        let rule = rule();
        for option in &rule.js_options {
            let keyword = option.name.to_ascii_lowercase();
            assert!(rule.keywords.contains(&keyword), "{keyword}");
        }
        for method in &rule.rust_methods {
            assert!(
                rule.keywords.iter().any(|k| method.method.contains(k.as_str())),
                "{}",
                method.method
            );
        }
        let docs = rule.extra_docs().expect("docs");
        assert!(docs.contains("`rejectUnauthorized: false`") && docs.contains("`.danger_accept_invalid_certs(true)`"));
    }
}
