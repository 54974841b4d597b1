//! `secret-in-log` (R-LOG-1): a password, secret, token, session id or a
//! request's credentials reach a log.
//!
//! Log calls are everywhere, so the rule starts from them and asks the
//! run-time secret layer ([`crate::leak`]) whether any argument is made from
//! a secret: by name, from the environment, from a request's credential
//! headers, cookies or session, from an OAuth token response, or an axios
//! error that carries its request's headers. Values passed through a
//! redaction helper, a hash, a length or a first-characters slice are fine.

use crate::leak::{
    LazyContext, LeakSource, Leaks, Purpose, SECRET_WORDS, SinkNeedles, SourceKind, has_secret_word, mentions_secret,
};
use crate::syntax::line_of;
use crate::{FileInput, Rule};
use miroguard_core::{ClassDependence, Finding, FlowStep, Language, RuleMeta, Severity, Span};
use miroguard_ir::flow::Flow;
use miroguard_ir::{BindingKind, Call, Facts, ScopeKind, Value};
use serde::Deserialize;

/// The rule's id.
pub const ID: &str = "secret-in-log";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/secret-in-log.toml"));

/// How log calls are written, for the lexical tier.
const SINK_NEEDLES: &[&str] = &[
    "console.",
    "logger.",
    "log.",
    "winston.",
    "pino",
    "bunyan",
    "debug(",
    "debug!",
    "println!",
    "eprintln!",
    "print!",
    "eprint!",
    "dbg!",
    "info!",
    "warn!",
    "error!",
    "trace!",
    "event!",
    "panic!",
    ".expect",
    ".info",
    ".warn",
    ".error",
    ".debug",
    ".trace",
    ".fatal",
    ".verbose",
    ".silly",
];

/// Log levels, as method names of logger objects.
const LEVELS: &[&str] = &[
    "log", "info", "warn", "warning", "error", "debug", "trace", "fatal", "verbose", "silly", "http", "notice",
    "critical", "crit", "alert", "emerg",
];

/// Rust macros that print or log their arguments, or put them in a panic message.
const RUST_MACROS: &[&str] = &[
    "println",
    "eprintln",
    "print",
    "eprint",
    "dbg",
    "info",
    "warn",
    "error",
    "debug",
    "trace",
    "log",
    "event",
    "panic",
    "unreachable",
    "todo",
    "unimplemented",
];

/// How far after `#[instrument]` the function's parameters are looked for, lexically.
const INSTRUMENT_WINDOW: usize = 400;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
}

/// The rule.
pub struct SecretInLog {
    meta: RuleMeta,
    keywords: Vec<String>,
    sinks: SinkNeedles,
}

impl SecretInLog {
    /// Loads the rule from its embedded TOML.
    pub fn new() -> Result<SecretInLog, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        Ok(SecretInLog {
            meta: file.rule,
            // A log call is in nearly every file; a secret's name is not.
            keywords: SECRET_WORDS.iter().map(|k| k.to_string()).collect(),
            sinks: SinkNeedles::new(SINK_NEEDLES)?,
        })
    }

    fn finding(&self, language: Language, span: Span, message: String, help: &str, flow: Vec<FlowStep>) -> Finding {
        let finding = Finding::new(ID, self.meta.severity, span, message)
            .with_help(help)
            .with_flow(flow);
        if language == Language::Rust {
            return finding;
        }
        // Browser consoles are the user's own; a server's logs are kept, shipped and shared.
        let dependence = ClassDependence::except_browser(Some(self.meta.severity), Some(Severity::Warning));
        finding.depending_on_class(dependence)
    }

    /// Reports the secret `source` reaching the log call `call` (shown as `sink`).
    fn report(&self, input: &FileInput<'_>, call: &Call, sink: &str, source: LeakSource) -> Finding {
        let text = input.text;
        let span = if call.span.contains(source.span) && !source.span.is_empty() {
            source.span
        } else {
            call.callee_span
        };
        let source_line = line_of(text, source.span.start);
        let sink_line = line_of(text, span.start);
        let at = if source_line == sink_line {
            String::new()
        } else {
            format!(" (line {source_line})")
        };
        let what = match source.kind {
            SourceKind::Named(kind) => format!(", {},", kind.describe()),
            _ => String::new(),
        };
        let rust = input.context.language == Language::Rust;
        let (verb, help) = match source.kind {
            SourceKind::HttpClientError => (
                "is logged by",
                "Log `err.message` and `err.response?.status` instead of the whole error; the error's `config` holds the request's `Authorization` header and body.",
            ),
            _ if sink == "expect" || sink.starts_with("panic") || sink.starts_with("unreachable") => (
                "is put in a panic message by",
                "Leave the secret out of the message: panic messages are printed to stderr and collected with the logs.",
            ),
            _ if rust => (
                "is logged by",
                "Log something that identifies the secret without revealing it (its length, a hash prefix, the user it belongs to), or wrap it in `secrecy::SecretString`, whose `Debug` prints `[REDACTED]`.",
            ),
            _ => (
                "is logged by",
                "Log something that identifies the secret without revealing it (the user id, the token's scope or expiry, a masked form such as the last four characters).",
            ),
        };
        let message = format!(
            "{}{at}{what} {verb} `{sink}`; logs are read by more people than the secret is meant for",
            capitalize(&source.description)
        );
        let mut flow = source.steps;
        flow.push(FlowStep::new(span, format!("logged by `{sink}`")));
        self.finding(input.context.language, span, message, help, flow)
    }

    /// `#[instrument]` (or `#[tracing::instrument]`) on functions with a
    /// secret-named parameter it does not skip: tracing records every
    /// parameter's `Debug` form in the span.
    fn instrumented(&self, input: &FileInput<'_>, facts: &Facts, leaks: &Leaks<'_, '_>, findings: &mut Vec<Finding>) {
        let text = input.text;
        let mut from = 0;
        while let Some(found) = text[from..].find("instrument") {
            let at = from + found;
            from = at + "instrument".len();
            let Some(attribute) = attribute_around(text, at) else {
                continue;
            };
            if facts.comments.iter().any(|c| c.span.contains(Span::new(at, at + 1))) {
                continue;
            }
            let arguments = attribute.text(text);
            if arguments.contains("skip_all") {
                continue;
            }
            let skipped = skipped_names(arguments);
            // The function right after the attribute (and any attributes after it).
            let Some((scope_id, _)) = facts
                .scopes
                .iter()
                .enumerate()
                .filter(|(_, s)| s.kind == ScopeKind::Function && s.span.start >= attribute.end)
                .min_by_key(|(_, s)| s.span.start)
            else {
                continue;
            };
            let Some(scope) = facts.scopes.get(scope_id) else {
                continue;
            };
            let between = text.get(attribute.end..scope.span.start).unwrap_or("");
            if !between.trim().is_empty() && !between.trim_start().starts_with("#[") {
                continue;
            }
            for binding in &facts.bindings {
                if binding.kind != BindingKind::Parameter || binding.scope as usize != scope_id {
                    continue;
                }
                if skipped.iter().any(|s| *s == binding.name) || binding.name == "self" {
                    continue;
                }
                let Some(source) = leaks.source_of(
                    &Value::Ident(binding.name.clone()),
                    binding.scope,
                    binding.span.end,
                    binding.span,
                ) else {
                    continue;
                };
                let name = &binding.name;
                let message = format!(
                    "`#[instrument]` records the parameter `{name}`{} in every span of `{}`; logs are read by more people than the secret is meant for",
                    match source.kind {
                        SourceKind::Named(kind) => format!(", {},", kind.describe()),
                        _ => String::new(),
                    },
                    scope.name.as_deref().unwrap_or("the function")
                );
                let help = format!(
                    "Add `skip({name})` (or `skip_all` and the `fields(...)` you need) to the attribute, or take the secret as `secrecy::SecretString`."
                );
                let mut flow = source.steps;
                flow.push(FlowStep::new(attribute, "recorded by `#[instrument]`"));
                findings.push(self.finding(Language::Rust, binding.name_span, message, &help, flow));
            }
        }
    }
}

/// The span of the `#[…instrument…]` attribute whose word starts at `at`, if it is one.
fn attribute_around(text: &str, at: usize) -> Option<Span> {
    let before = text.get(..at)?;
    let open = before.rfind("#[")?;
    let path = before[open + 2..].trim();
    if !(path.is_empty() || path == "tracing::") {
        return None;
    }
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    for (i, b) in bytes.iter().enumerate().skip(open + 1) {
        match b {
            b'[' | b'(' => depth += 1,
            b']' | b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(Span::new(open, i + 1));
                }
            }
            _ => {}
        }
        if i > open + INSTRUMENT_WINDOW {
            return None;
        }
    }
    None
}

/// The names in `skip(a, b)` of an `#[instrument(...)]` attribute.
fn skipped_names(attribute: &str) -> Vec<&str> {
    let Some(start) = attribute.find("skip(") else {
        return Vec::new();
    };
    let rest = &attribute[start + "skip(".len()..];
    let end = rest.find(')').unwrap_or(rest.len());
    rest[..end]
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// How a message names the log call `call`, if it is one.
fn log_sink(facts: &Facts, flow: &Flow<'_>, call: &Call, language: Language) -> Option<String> {
    let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
    let method = *callee.last()?;
    if language == Language::Rust {
        if call.is_macro {
            return RUST_MACROS.contains(&method).then(|| format!("{}!", callee.join("::")));
        }
        return (method == "expect" && call.receiver.is_some()).then(|| "expect".to_string());
    }
    if call.is_macro {
        return None;
    }
    let shown = || Some(callee.join("."));
    match callee.as_slice() {
        ["console", level]
            if matches!(
                *level,
                "log" | "info" | "warn" | "error" | "debug" | "trace" | "dir" | "table"
            ) =>
        {
            return shown();
        }
        [.., object, level] if LEVELS.contains(level) && is_logger_name(object) => return shown(),
        [level] if LEVELS.contains(level) => {
            // `log4js.getLogger().info(…)`, `logger.child({…}).warn(…)`.
            if let Some(Value::Call(id)) = call.receiver.as_deref() {
                let receiver = facts.calls.get(*id as usize)?;
                let last = receiver.callee.last()?;
                if matches!(
                    last.as_str(),
                    "getLogger" | "child" | "logger" | "createLogger" | "getLog"
                ) {
                    return Some(format!("{}().{level}", last));
                }
            }
        }
        _ => {}
    }
    // A `debug` instance: `const debug = require("debug")("app")`, `const log = createDebug("app")`.
    let [name] = callee.as_slice() else {
        return None;
    };
    let binding = facts
        .bindings
        .get(flow.resolve(name, call.scope, call.span.start)? as usize)?;
    let Value::Call(maker) = &binding.value else {
        return None;
    };
    let maker = facts.calls.get(*maker as usize)?;
    let from_debug = match (maker.callee.as_slice(), maker.receiver.as_deref()) {
        ([], Some(receiver)) => crate::syntax::required_module(facts, receiver) == Some("debug"),
        ([local], _) => crate::crypto::imported_from(facts, local) == Some("debug"),
        _ => false,
    };
    from_debug.then(|| name.to_string())
}

/// Whether an object's name says it is a logger: `logger`, `log`, `winston`,
/// `pino`, `this.logger`, `appLogger`, `req.log`, `fastify.log`.
fn is_logger_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "log"
            | "logger"
            | "logging"
            | "winston"
            | "pino"
            | "bunyan"
            | "log4js"
            | "loglevel"
            | "signale"
            | "consola"
            | "_logger"
            | "_log"
            | "$log"
    ) || lower.ends_with("logger")
        || lower.ends_with("_log")
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

impl Rule for SecretInLog {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        if !crate::leak::checks_file(input) || !has_secret_word(input, 0) {
            return false;
        }
        let context = LazyContext::new(input.text);
        if self.sinks.any_sink_mentions_secret(input.text, &context, Purpose::Log) {
            return true;
        }
        input.context.language == Language::Rust
            && memchr::memmem::find_iter(input.text.as_bytes(), b"instrument").any(|at| {
                // `#[instrument` or `#[tracing::instrument`, then the function's parameters.
                let attribute = input
                    .text
                    .get(at.saturating_sub(11)..at)
                    .is_some_and(|b| b.contains("#["));
                let end = crate::syntax::floor_char_boundary(input.text, at + INSTRUMENT_WINDOW);
                attribute
                    && input
                        .text
                        .get(at..end)
                        .is_some_and(|w| mentions_secret(w, &context, Purpose::Log))
            })
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
        let leaks = Leaks::new(flow, input.memo.leak_context(facts, input.text), Purpose::Log);
        for call in &facts.calls {
            if facts.in_test_region(call.span) {
                continue;
            }
            let Some(sink) = log_sink(facts, flow, call, language) else {
                continue;
            };
            if let Some(source) = leaks.in_arguments(call) {
                findings.push(self.report(input, call, &sink, source));
            }
        }
        if language == Language::Rust && input.text.contains("instrument") {
            self.instrumented(input, facts, &leaks, findings);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered::{check, needs_facts};

    fn rule() -> SecretInLog {
        SecretInLog::new().expect("built-in rule loads")
    }

    fn found(path: &str, source: &str) -> Vec<(usize, Severity, String)> {
        check(&rule(), path, source)
    }

    #[test]
    fn the_message_names_the_source_and_the_sink() {
        let source = "app.get('/cb', async (req, res) => {\n  const response = await axios.post('https://api.miro.com/v1/oauth/token', params);\n  const accessToken = response.data.access_token;\n  logger.info(`signed in with ${accessToken}`);\n});\n";
        let found = found("server/auth.js", source);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 4);
        assert_eq!(
            found[0].2,
            "`response.data.access_token` (line 3), a token, is logged by `logger.info`; logs are read by more people than the secret is meant for"
        );
    }

    #[test]
    fn request_credentials_and_axios_errors() {
        let source = "import axios from 'axios';\nexport async function h(req) {\n  console.log(req.headers);\n  try { await axios.get(u, { headers }); } catch (err) { console.error(err); console.error(err.message); }\n}\n";
        let lines: Vec<usize> = found("server/h.js", source).into_iter().map(|f| f.0).collect();
        assert_eq!(lines, [3, 4]);
    }

    #[test]
    fn redacted_and_unrelated_values_are_quiet() {
        let source = "const accessToken = await getToken();\nconsole.log('token', mask(accessToken));\nconsole.log('len', accessToken.length);\nconsole.log('user', user.id, board.id);\nlogger.info({ tokenExpiresAt });\n";
        assert!(found("server/a.js", source).is_empty());
    }

    #[test]
    fn rust_macros_and_instrument() {
        let source = "use tracing::{info, instrument};\n#[instrument]\nasync fn login(user: &str, password: &str) {\n    info!(user, \"logging in\");\n}\n#[instrument(skip(api_token))]\nfn call(api_token: &str) {\n    println!(\"token: {api_token}\");\n}\n";
        let mut lines: Vec<usize> = found("src/auth.rs", source).into_iter().map(|f| f.0).collect();
        lines.sort();
        assert_eq!(lines, [3, 8]);
    }

    #[test]
    fn unrelated_files_are_not_parsed() {
        let rule = rule();
        assert!(!needs_facts(
            &rule,
            "server/a.js",
            "console.log('started on', port);\nconst token = 1;\n"
        ));
        assert!(needs_facts(
            &rule,
            "server/a.js",
            "console.log('token', accessToken);\n"
        ));
        assert!(!needs_facts(
            &rule,
            "tests/a.test.js",
            "console.log('token', accessToken);\n"
        ));
    }
}
