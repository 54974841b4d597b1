//! `client-secret-in-browser-code` (C-LEAK-1): secrets that reach code the
//! browser runs.
//!
//! The rule cannot know a file's class while it checks the file (the CLI
//! classifies the tree after reading it), so its findings in source files
//! carry a [`ClassDependence`]: kept in browser and isomorphic code, dropped
//! elsewhere. Build configurations and `.env` files are judged by their name.

use crate::secrets::names::{secret_name_strength, split_words};
use crate::secrets::pairs::find_pairs;
use crate::secrets::scanner::{SecretMatch, SecretScanner};
use crate::{FileInput, Rule};
use miroguard_core::{ClassDependence, Finding, Language, RuleMeta, Severity, Span};
use miroguard_ir::{BindingId, Facts, Value};
use regex::Regex;
use serde::Deserialize;
use std::sync::Arc;

/// The rule's id.
pub const ID: &str = "client-secret-in-browser-code";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/client-secret-in-browser-code.toml"
));

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    public_env_prefixes: Vec<String>,
    secret_key_providers: Vec<String>,
    build_configs: Vec<String>,
}

/// Words that make an environment variable's name a secret's without doubt.
const SECRET_WORDS: &[&str] = &[
    "secret",
    "secrets",
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "token",
    "private",
    "privatekey",
    "credential",
    "credentials",
    "creds",
    "clientsecret",
    "accesstoken",
    "refreshtoken",
    "authtoken",
    "apitoken",
    "secretkey",
    "apisecret",
];

/// Keywords beyond the secret scanner's: environment reads and build settings.
const EXTRA_KEYWORDS: &[&str] = &["env", "define", "defineplugin", "environmentplugin", "envprefix"];

/// The rule.
pub struct ClientSecretInBrowserCode {
    meta: RuleMeta,
    scanner: Arc<SecretScanner>,
    keywords: Vec<String>,
    /// Index in `keywords` of the first of [`EXTRA_KEYWORDS`].
    extra_keywords: usize,
    public_env_prefixes: Vec<String>,
    secret_key_providers: Vec<String>,
    build_configs: Vec<String>,
    js_env_read: Regex,
    rust_env_read: Regex,
}

/// Why the rule could not be built.
#[derive(Debug, thiserror::Error)]
#[error("rules/client-secret-in-browser-code.toml: {0}")]
pub struct LoadError(String);

impl ClientSecretInBrowserCode {
    /// The rule, finding literal secrets with `scanner` (shared with `hardcoded-secret`).
    pub fn new(scanner: Arc<SecretScanner>) -> Result<ClientSecretInBrowserCode, LoadError> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| LoadError(e.to_string()))?;
        let mut keywords = scanner.keywords().to_vec();
        let extra_keywords = keywords.len();
        keywords.extend(EXTRA_KEYWORDS.iter().map(|k| k.to_string()));
        let regex = |pattern: &str| Regex::new(pattern).map_err(|e| LoadError(e.to_string()));
        Ok(ClientSecretInBrowserCode {
            meta: file.rule,
            scanner,
            keywords,
            extra_keywords,
            public_env_prefixes: file.public_env_prefixes,
            secret_key_providers: file.secret_key_providers,
            build_configs: file.build_configs,
            js_env_read: regex(
                r#"(?:import\.meta\.env|process\.env)(?:\.([A-Za-z_$][A-Za-z0-9_$]*)|\[\s*["'`]([A-Za-z_$][A-Za-z0-9_$]*)["'`]\s*\])"#,
            )?,
            rust_env_read: regex(r#"\b(?:option_)?env!\s*\(\s*"([A-Za-z_][A-Za-z0-9_]*)""#)?,
        })
    }

    /// The name without a public prefix, and whether it had one.
    fn without_public_prefix<'a>(&self, name: &'a str) -> (&'a str, bool) {
        for prefix in &self.public_env_prefixes {
            if let Some(rest) = name.strip_prefix(prefix.as_str()) {
                return (rest, true);
            }
        }
        (name, false)
    }

    /// How serious it is to ship the environment variable `name` to the
    /// browser: an error for a secret, a warning for an API key that may be
    /// meant to be public, nothing for anything else.
    pub fn env_severity(&self, name: &str) -> Option<Severity> {
        let (bare, _) = self.without_public_prefix(name);
        secret_name_strength(bare)?;
        let words = split_words(bare);
        if words.iter().any(|w| SECRET_WORDS.contains(&w.as_str())) {
            return Some(Severity::Error);
        }
        let lower = bare.to_ascii_lowercase();
        let always_secret = self
            .secret_key_providers
            .iter()
            .any(|provider| lower.contains(provider.as_str()));
        Some(if always_secret {
            Severity::Error
        } else {
            Severity::Warning
        })
    }

    fn is_build_config(&self, path: &str) -> bool {
        let name = path.rsplit('/').next().unwrap_or(path);
        self.build_configs
            .iter()
            .any(|prefix| name.starts_with(prefix.as_str()))
    }

    fn extra_hit(&self, input: &FileInput<'_>) -> bool {
        (self.extra_keywords..self.keywords.len()).any(|k| input.keywords.contains(k))
    }

    /// Literal secrets: in browser code they are this rule's, not `hardcoded-secret`'s.
    fn literal_secrets(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        for found in self.scanner.scan(input) {
            let finding = match found {
                SecretMatch::Provider { detector, found } => {
                    let detector = self.scanner.detector(*detector);
                    if detector.public_in_browser {
                        continue; // a browser key: `hardcoded-secret` reminds to restrict it
                    }
                    let severity = detector.severity.unwrap_or(self.meta.severity);
                    Finding::new(ID, severity, found.span, format!("{} in browser code", detector.title))
                        .with_detector(detector.id.clone())
                        .with_secret(found.secret.clone(), found.span)
                }
                SecretMatch::Generic(m) => Finding::new(
                    ID,
                    self.meta.severity,
                    m.span,
                    format!("Secret in `{}` is shipped to the browser", m.name),
                )
                .with_detector("generic")
                .with_secret(m.secret.clone(), m.span),
            };
            let severity = finding.severity;
            findings.push(
                finding
                    .with_help("Everything in browser code is public. Keep the secret on the server, rotate it, and let the browser call your backend.")
                    .depending_on_class(ClassDependence::browser_only(severity)),
            );
        }
    }

    /// Environment variables read where the bundler (or `env!` in a crate
    /// compiled to WebAssembly) puts their values into the shipped code.
    fn env_reads(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let regex = match input.context.language {
            Language::Rust => &self.rust_env_read,
            language if language.is_js_family() => &self.js_env_read,
            _ => return,
        };
        for captures in regex.captures_iter(input.text) {
            let Some(name) = captures.iter().skip(1).flatten().next() else {
                continue;
            };
            if in_line_comment(input.text, name.start()) {
                continue;
            }
            let Some(severity) = self.env_severity(name.as_str()) else {
                continue;
            };
            let span = Span::new(name.start(), name.end());
            // `process.env.NAME` without a public prefix is not inlined by any
            // bundler unless a build configuration injects it (which
            // `build_config` reports). In code that also runs on the server —
            // a Next.js page's `getServerSideProps`, a server component — it is
            // a run-time read there, so it is only a finding in browser code.
            let runtime_read = captures.get(0).is_some_and(|m| m.as_str().starts_with("process."))
                && !self.without_public_prefix(name.as_str()).1;
            let dependence = if runtime_read {
                ClassDependence {
                    isomorphic: None,
                    ..ClassDependence::browser_only(severity)
                }
            } else {
                ClassDependence::browser_only(severity)
            };
            let message = match input.context.language {
                Language::Rust => format!("`{}` is compiled into code that runs in the browser", name.as_str()),
                _ => format!(
                    "Secret environment variable `{}` is read in browser code",
                    name.as_str()
                ),
            };
            findings.push(
                Finding::new(ID, severity, span, message)
                    .with_detector("env-read")
                    .with_help("The bundler inlines this value into the bundle every user downloads. Read it on the server and expose only what the browser needs through your own API.")
                    .depending_on_class(dependence),
            );
        }
    }

    /// `next.config` `env`, Vite `define` / `envPrefix`, webpack `DefinePlugin` / `EnvironmentPlugin`.
    fn build_config(&self, facts: &Facts, findings: &mut Vec<Finding>) {
        let mut report = |span: Span, what: &str, severity: Severity| {
            findings.push(
                Finding::new(ID, severity, span, format!("Build configuration puts {what} into the browser bundle"))
                    .with_detector("build-config")
                    .with_help("Values injected by the build end up in every user's bundle. Keep secrets out of `env`, `define` and `DefinePlugin`; read them on the server."),
            );
        };
        for binding in &facts.bindings {
            match binding.name.as_str() {
                "env" | "define" => {
                    if let Value::Object(fields) = &binding.value {
                        for (span, what, severity) in self.secret_entries(facts, fields) {
                            report(span, &what, severity);
                        }
                    }
                }
                "envPrefix" => {
                    let literals = match &binding.value {
                        Value::Array(items) => items.iter().flat_map(|v| facts.literal_values(v)).collect(),
                        other => facts.literal_values(other),
                    };
                    if literals.iter().any(|lit| lit.value.is_empty()) {
                        report(
                            binding.name_span,
                            "every environment variable (`envPrefix: ''`)",
                            self.meta.severity,
                        );
                    }
                }
                _ => {}
            }
        }
        for call in &facts.calls {
            let Some(last) = call.callee.last() else { continue };
            match last.as_str() {
                "DefinePlugin" => {
                    if let Some(Value::Object(fields)) = call.args.first() {
                        for (span, what, severity) in self.secret_entries(facts, fields) {
                            report(span, &what, severity);
                        }
                    }
                }
                "EnvironmentPlugin" => match call.args.first() {
                    Some(Value::Object(fields)) => {
                        for &id in fields {
                            let Some(field) = facts.bindings.get(id as usize) else {
                                continue;
                            };
                            if let Some(severity) = self.env_severity(&field.name) {
                                report(field.name_span, &format!("`{}`", field.name), severity);
                            }
                        }
                    }
                    Some(value) => {
                        let names = match value {
                            Value::Array(items) => items.iter().flat_map(|v| facts.literal_values(v)).collect(),
                            other => facts.literal_values(other),
                        };
                        for lit in names {
                            if let Some(severity) = self.env_severity(&lit.value) {
                                report(lit.span, &format!("`{}`", lit.value), severity);
                            }
                        }
                    }
                    None => {}
                },
                _ => {}
            }
        }
    }

    /// Entries of an injected object (`env: {…}`, `define: {…}`) whose key or
    /// value names a secret environment variable.
    fn secret_entries(&self, facts: &Facts, fields: &[BindingId]) -> Vec<(Span, String, Severity)> {
        let mut out = Vec::new();
        for &id in fields {
            let Some(field) = facts.bindings.get(id as usize) else {
                continue;
            };
            // `'process.env.CLIENT_SECRET'`, `__CLIENT_SECRET__`, `CLIENT_SECRET`
            let key = field.name.rsplit('.').next().unwrap_or(&field.name).trim_matches('_');
            let by_key = self.env_severity(key).map(|s| (format!("`{}`", field.name), s));
            let by_value =
                env_var_of(facts, &field.value).and_then(|var| self.env_severity(var).map(|s| (format!("`{var}`"), s)));
            if let Some((what, severity)) = by_value.or(by_key) {
                out.push((field.name_span, what, severity));
            }
        }
        out
    }

    /// `.env` files that give secret names a public prefix.
    fn dotenv(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let mut report = |name: &str, span: Span| {
            if let Some(severity) = self.env_severity(name) {
                findings.push(
                    Finding::new(ID, severity, span, format!("`{name}` makes a secret public: the prefix tells the bundler to ship it to the browser"))
                        .with_detector("public-env-prefix")
                        .with_help("Drop the public prefix and read the value on the server; only ids and publishable keys belong in public variables."),
                );
            }
        };
        let mut reported = Vec::new();
        find_pairs(
            input.text,
            |name| self.without_public_prefix(name).1,
            |pair| {
                reported.push(pair.name_span.start);
                report(pair.name, pair.name_span);
                true
            },
        );
        // The name is the mistake, not the value: `REACT_APP_CLIENT_SECRET=` in
        // a `.env.example` tells everyone to put the secret there.
        for (name, span) in empty_dotenv_values(input.text) {
            if self.without_public_prefix(name).1 && !reported.contains(&span.start) {
                report(name, span);
            }
        }
    }
}

/// Names of `.env` lines that assign nothing (`NAME=`, `NAME=""`, `NAME= # comment`):
/// [`find_pairs`] only yields pairs with a value.
fn empty_dotenv_values(text: &str) -> Vec<(&str, Span)> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let mut at = line_start + (line.len() - line.trim_start().len());
        line_start += line.len();
        let mut rest = line.trim_start();
        if let Some(after) = rest.strip_prefix("export ") {
            let skipped = rest.len() - after.trim_start().len();
            at += skipped;
            rest = after.trim_start();
        }
        let Some((name, value)) = rest.split_once('=') else {
            continue;
        };
        let is_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        // A `#` at the start or after whitespace starts a comment, as dotenv reads it.
        let value = value.trim();
        let value = match value.find('#') {
            Some(0) => "",
            Some(hash) if value[..hash].ends_with(char::is_whitespace) => value[..hash].trim_end(),
            _ => value,
        };
        if is_name && matches!(value, "" | "\"\"" | "''") {
            out.push((name, Span::new(at, at + name.len())));
        }
    }
    out
}

/// The environment variable a value reads, through `JSON.stringify(…)` and the like.
fn env_var_of<'a>(facts: &'a Facts, value: &'a Value) -> Option<&'a str> {
    match value {
        Value::Member(path) => match path.as_slice() {
            [process, env, name] if process == "process" && env == "env" => Some(name),
            [import, meta, env, name] if import == "import" && meta == "meta" && env == "env" => Some(name),
            _ => None,
        },
        Value::Call(id) => facts
            .calls
            .get(*id as usize)
            .and_then(|call| call.args.first())
            .and_then(|arg| env_var_of(facts, arg)),
        Value::Alternatives(values) => values.iter().find_map(|v| env_var_of(facts, v)),
        _ => None,
    }
}

/// Whether byte `at` of `text` is on a line that is a `//` or `*` comment (cheap, lexical).
fn in_line_comment(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    let trimmed = before.trim_start();
    // `//` after code starts a comment, except in a URL (`https://`).
    let trailing_comment = before.match_indices("//").any(|(i, _)| !before[..i].ends_with(':'));
    trimmed.starts_with('*') || trimmed.starts_with("/*") || trailing_comment
}

fn is_dotenv_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == ".env" || name.starts_with(".env.") || name.ends_with(".env")
}

impl Rule for ClientSecretInBrowserCode {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        let language = input.context.language;
        (language.is_js_family() && self.is_build_config(&input.context.display_path) && self.extra_hit(input))
            || self.scanner.needs_facts(input)
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let language = input.context.language;
        if language == Language::Text {
            if is_dotenv_file(&input.context.display_path) {
                self.dotenv(input, findings);
            }
            return;
        }
        if language.is_js_family() && self.is_build_config(&input.context.display_path) {
            if let Some(facts) = input.facts {
                self.build_config(facts, findings);
            }
            return;
        }
        self.literal_secrets(input, findings);
        if self.extra_hit(input) || language == Language::Rust {
            self.env_reads(input, findings);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::hardcoded_secret::HardcodedSecret;

    fn rule() -> ClientSecretInBrowserCode {
        let hardcoded = HardcodedSecret::new(&[], &[]).expect("loads");
        ClientSecretInBrowserCode::new(hardcoded.scanner()).expect("loads")
    }

    #[test]
    fn environment_variable_names() {
        let rule = rule();
        for (name, expected) in [
            ("VITE_MIRO_CLIENT_SECRET", Some(Severity::Error)),
            ("NEXT_PUBLIC_API_TOKEN", Some(Severity::Error)),
            ("CLIENT_SECRET", Some(Severity::Error)),
            ("REACT_APP_OPENAI_API_KEY", Some(Severity::Error)),
            ("VITE_GOOGLE_MAPS_API_KEY", Some(Severity::Warning)),
            ("VITE_MIRO_CLIENT_ID", None),
            ("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", None),
            ("NEXT_PUBLIC_SUPABASE_ANON_KEY", None),
            ("VITE_API_URL", None),
            ("MODE", None),
        ] {
            assert_eq!(rule.env_severity(name), expected, "{name}");
        }
    }

    /// Findings of the rule on `text` at `path`, with the class dependence they carry.
    fn check(path: &str, text: &str) -> Vec<(String, Option<ClassDependence>)> {
        let rule = rule();
        let lower = text.to_ascii_lowercase();
        let hits: Vec<bool> = rule.keywords().iter().map(|k| lower.contains(k.as_str())).collect();
        let context = miroguard_core::FileContext::from_display_path(path);
        let input = FileInput {
            context: &context,
            text,
            keywords: crate::KeywordHits::new(&hits),
            facts: None,
            parse_failed: false,
            memo: &crate::FileMemo::default(),
        };
        let mut findings = Vec::new();
        rule.check(&input, &mut findings);
        findings
            .into_iter()
            .map(|f| (f.span.text(text).to_string(), f.class_dependence))
            .collect()
    }

    #[test]
    fn empty_public_secrets_in_dotenv_files() {
        let text = "REACT_APP_CLIENT_SECRET=\nexport VITE_API_TOKEN=\"\"\nVITE_MIRO_ACCESS_TOKEN= # ask the team\n\
                    NEXT_PUBLIC_MIRO_CLIENT_ID=\nMIRO_CLIENT_SECRET=\nVITE_SECRET=x # a value\n";
        let names: Vec<String> = check(".env.example", text).into_iter().map(|(name, _)| name).collect();
        assert_eq!(
            names,
            [
                "VITE_MIRO_ACCESS_TOKEN",
                "VITE_SECRET",
                "REACT_APP_CLIENT_SECRET",
                "VITE_API_TOKEN"
            ]
        );
    }

    #[test]
    fn private_process_env_reads_are_not_findings_in_isomorphic_code() {
        let text = "const a = process.env.MIRO_CLIENT_SECRET;\nconst b = process.env.NEXT_PUBLIC_API_SECRET;\n\
                    const c = import.meta.env.ADMIN_PASSWORD;\n";
        let found = check("pages/index.tsx", text);
        let isomorphic: Vec<(&str, bool)> = found
            .iter()
            .map(|(name, dependence)| {
                let applies = dependence.is_some_and(|d| d.isomorphic.is_some() && d.browser.is_some());
                (name.as_str(), applies)
            })
            .collect();
        assert_eq!(
            isomorphic,
            [
                ("MIRO_CLIENT_SECRET", false),
                ("NEXT_PUBLIC_API_SECRET", true),
                ("ADMIN_PASSWORD", true)
            ]
        );
        assert!(found.iter().all(|(_, d)| d.is_some_and(|d| d.browser.is_some())));
    }

    #[test]
    fn comments_are_not_reads() {
        let text = "// use process.env.CLIENT_SECRET on the server\nconst a = process.env.CLIENT_SECRET;\nfetch(\"https://x\", process.env.API_TOKEN);\n";
        assert!(in_line_comment(text, text.find("CLIENT_SECRET").unwrap()));
        assert!(!in_line_comment(text, text.rfind("CLIENT_SECRET").unwrap()));
        assert!(!in_line_comment(text, text.find("API_TOKEN").unwrap()));
    }
}
