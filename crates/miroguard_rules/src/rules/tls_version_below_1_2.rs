//! `tls-version-below-1-2` (R-NET-1): a TLS configuration that allows SSL
//! 3.0, TLS 1.0 or TLS 1.1.
//!
//! JS/TS: `minVersion` / `maxVersion` / `secureProtocol` options and
//! `tls.DEFAULT_MIN_VERSION` set to a version (or method) of the
//! `[[versions]]` table; Node's `--tls-min-v1.0` / `--tls-min-v1.1` flags in
//! `NODE_OPTIONS`, `execArgv` or a spawned process's arguments. Rust: the
//! methods of `[[rust_apis]]` given a weak `Type::VARIANT`. Text: the flags in
//! `package.json` scripts, Dockerfiles, Compose and `.env` files.
//!
//! Only what the code sets is judged: no TLS options at all is fine, since
//! Node 12 and later and rustls never negotiate below TLS 1.2. Values are
//! followed, and findings graded by where they apply, with the helpers of
//! [`crate::tls`].

use crate::syntax::is_ident_byte;
use crate::tls::{
    ConfigKind, Judged, Reach, Values, called_with_other_than, compact, config_kind, config_lines, contains_word,
    js_target, value_reach, value_text,
};
use crate::{FileInput, Rule};
use miroguard_core::{Finding, Language, RuleMeta, Span};
use miroguard_ir::flow::Flow;
use miroguard_ir::{BindingKind, Call, Facts, StringLit, TemplatePart, Value};
use serde::Deserialize;

/// The rule's id.
pub const ID: &str = "tls-version-below-1-2";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/tls-version-below-1-2.toml"
));

/// Calls whose arguments are a process's command line.
const SPAWNS: &[&str] = &[
    "spawn",
    "spawnSync",
    "fork",
    "exec",
    "execSync",
    "execFile",
    "execFileSync",
    "execa",
    "execaSync",
    "execaNode",
    "arg",
    "args",
];

/// Names whose value is given to Node as command-line flags.
const FLAG_HOLDERS: &[&str] = &["NODE_OPTIONS", "execArgv"];

const HELP: &str = "Set the minimum to TLS 1.2 (`minVersion: 'TLSv1.2'`, `SslVersion::TLS1_2`, `Version::TLS_1_2`) or leave the version to the library's default, which is TLS 1.2 or higher.";
const HELP_FLAG: &str = "Remove the flag: Node 12 and later negotiate TLS 1.2 or 1.3 by default.";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    keywords: KeywordLists,
    versions: Vec<Version>,
    rust_apis: Vec<RustApi>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeywordLists {
    js: Vec<String>,
    rust: Vec<String>,
    text: Vec<String>,
}

/// A protocol version below TLS 1.2 and how each API names it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Version {
    label: String,
    names: Vec<String>,
    methods: Vec<String>,
    rust: Vec<String>,
    flags: Vec<String>,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RustApi {
    method: String,
    bound: Bound,
    library: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Bound {
    Min,
    Max,
}

/// What a JS setting names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Setting {
    /// `minVersion`, `tls.DEFAULT_MIN_VERSION`: the lowest version allowed.
    Min,
    /// `maxVersion`, `tls.DEFAULT_MAX_VERSION`: the highest.
    Max,
    /// `secureProtocol`: the one version spoken.
    Method,
}

/// The rule.
pub struct TlsVersionBelow12 {
    meta: RuleMeta,
    keywords: Vec<String>,
    versions: Vec<Version>,
    rust_apis: Vec<RustApi>,
}

impl TlsVersionBelow12 {
    /// The rule with its tables from `rules/tls-version-below-1-2.toml`.
    pub fn new() -> Result<TlsVersionBelow12, String> {
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
        for version in &file.versions {
            if let Some(bad) = version.rust.iter().find(|r| r.split("::").count() != 2) {
                return Err(format!(
                    "version {}: rust value `{bad}` must be `Type::VARIANT`",
                    version.label
                ));
            }
            if let Some(flag) = version
                .flags
                .iter()
                .find(|f| !keywords.iter().any(|k| f.starts_with(k.as_str())))
            {
                return Err(format!("flag `{flag}` starts with no keyword"));
            }
        }
        Ok(TlsVersionBelow12 {
            meta: file.rule,
            keywords,
            versions: file.versions,
            rust_apis: file.rust_apis,
        })
    }

    fn hit(&self, input: &FileInput<'_>, word: &str) -> bool {
        self.keywords
            .iter()
            .position(|k| k == word)
            .is_some_and(|i| input.keywords.contains(i))
    }

    fn flags(&self) -> impl Iterator<Item = (&str, &Version)> {
        self.versions
            .iter()
            .flat_map(|v| v.flags.iter().map(move |f| (f.as_str(), v)))
    }

    /// Whether a weak flag is written as a token of `text`.
    fn any_flag_in(&self, input: &FileInput<'_>) -> bool {
        (self.hit(input, "--tls-min-v1") || self.hit(input, "--tls-v1"))
            && self.flags().any(|(flag, _)| !flag_offsets(input.text, flag).is_empty())
    }

    /// Whether a weak version can be set here: a JS option keyword with a
    /// weak version or method written as a string literal somewhere in the
    /// file (values are only followed within it), a Rust API called in a file
    /// that names a weak variant, or a weak Node flag. The same test gates
    /// the parse and the check.
    fn may_fire(&self, input: &FileInput<'_>) -> bool {
        let text = input.text;
        let language = input.context.language;
        if input.context.is_type_declarations() {
            return false;
        }
        if language.is_js_family() {
            let quoted = |name: &str| ['\'', '"', '`'].iter().any(|q| text.contains(&format!("{q}{name}{q}")));
            let versions = ["minversion", "maxversion", "default_min_version", "default_max_version"]
                .iter()
                .any(|k| self.hit(input, k))
                && self.versions.iter().flat_map(|v| &v.names).any(|name| quoted(name));
            let methods = self.hit(input, "secureprotocol")
                && self.versions.iter().flat_map(|v| &v.methods).any(|name| quoted(name));
            versions || methods || self.any_flag_in(input)
        } else if language == Language::Rust {
            // The variant scan costs a pass per name: only where an API is called.
            let api = || {
                self.rust_apis
                    .iter()
                    .any(|api| self.hit(input, &api.method) && called_with_other_than(text, &api.method, ""))
            };
            let variant = || {
                self.versions.iter().flat_map(|v| &v.rust).any(|path| {
                    path.rsplit("::")
                        .next()
                        .is_some_and(|variant| contains_word(text, variant))
                })
            };
            api() && variant() || self.any_flag_in(input)
        } else {
            false
        }
    }

    fn version_named(&self, setting: Setting, name: &str) -> Option<&Version> {
        self.versions.iter().find(|v| match setting {
            Setting::Min | Setting::Max => v.names.iter().any(|n| n == name),
            Setting::Method => v.methods.iter().any(|m| m == name),
        })
    }

    fn version_of_path(&self, path: &[String]) -> Option<&Version> {
        self.versions.iter().find(|v| {
            v.rust.iter().any(|want| {
                let want: Vec<&str> = want.split("::").collect();
                path.len() >= want.len() && path[path.len() - want.len()..].iter().zip(&want).all(|(a, b)| a == b)
            })
        })
    }

    fn finding(&self, reach: &Reach, test_file: bool, span: Span, message: String, help: &str) -> Finding {
        Finding::new(ID, reach.severity(self.meta.severity, test_file), span, message).with_help(help)
    }

    /// Weak Node flags in configuration files.
    fn check_config_file(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        if !(self.hit(input, "--tls-min-v1") || self.hit(input, "--tls-v1")) {
            return;
        }
        let Some(kind) = config_kind(&input.context.display_path) else {
            return;
        };
        for line in config_lines(kind, &input.context.display_path, input.text) {
            for (flag, version) in self.flags() {
                for at in flag_offsets(line.text, flag) {
                    let start = line.at + at;
                    let reach = line
                        .outside_production
                        .clone()
                        .map_or(Reach::Always, Reach::OutsideProduction);
                    let whom = match kind {
                        ConfigKind::PackageJson | ConfigKind::Dockerfile | ConfigKind::Compose => line.scope.clone(),
                        ConfigKind::Env => "the Node processes this file configures".to_string(),
                    };
                    let message = format!(
                        "`{flag}` lets {whom} negotiate {}{}: {}",
                        version.label,
                        reach.clause(),
                        version.reason
                    );
                    findings.push(self.finding(
                        &reach,
                        input.context.is_test,
                        Span::new(start, start + flag.len()),
                        message,
                        HELP_FLAG,
                    ));
                }
            }
        }
    }
}

/// Offsets of `flag` in `text` as a whole token (`--tls-min-v1.0`, not `--tls-min-v1.05`).
fn flag_offsets(text: &str, flag: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    text.match_indices(flag)
        .filter(|(at, _)| {
            let end = at + flag.len();
            let before = at.checked_sub(1).map(|i| bytes[i]);
            !before.is_some_and(|b| is_ident_byte(b) || b == b'-')
                && !bytes
                    .get(end)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        })
        .map(|(at, _)| at)
        .collect()
}

/// One source file being checked.
struct Cx<'a> {
    rule: &'a TlsVersionBelow12,
    facts: &'a Facts,
    text: &'a str,
    flow: &'a Flow<'a>,
    values: Values<'a>,
    rust: bool,
    test_file: bool,
}

impl<'a> Cx<'a> {
    fn push(&self, findings: &mut Vec<Finding>, reach: Reach, span: Span, message: String, help: &str) {
        let reach = reach.guarded(self.flow, span, self.rust);
        let message = message.replace("{reach}", &reach.clause());
        findings.push(self.rule.finding(&reach, self.test_file, span, message, help));
    }

    fn js_settings(&self, findings: &mut Vec<Finding>) {
        for (id, binding) in self.facts.bindings.iter().enumerate() {
            let setting = match binding.name.as_str() {
                "minVersion" => Setting::Min,
                "maxVersion" => Setting::Max,
                "secureProtocol" => Setting::Method,
                "DEFAULT_MIN_VERSION" if binding.path.len() >= 2 => Setting::Min,
                "DEFAULT_MAX_VERSION" if binding.path.len() >= 2 => Setting::Max,
                _ => continue,
            };
            let is_setting = match binding.kind {
                BindingKind::Field | BindingKind::Argument => true,
                BindingKind::Assignment => binding.path.len() >= 2,
                _ => false,
            };
            if !is_setting {
                continue;
            }
            let written = value_text(self.text, binding);
            let leaves = self
                .values
                .leaves(&binding.value, binding.scope, binding.span.start, written);
            let weak = |value: &Value| match value {
                Value::Str(id) => self
                    .facts
                    .strings
                    .get(*id as usize)
                    .and_then(|lit| self.rule.version_named(setting, &lit.value)),
                _ => None,
            };
            let Some((reach, leaf)) = value_reach(&leaves, |leaf| weak(leaf.value).map(|_| Judged::Off)) else {
                continue;
            };
            let Some(version) = weak(leaf.value) else {
                continue;
            };
            let shown = compact(binding.span.text(self.text), 60);
            let via = match (leaf.via, leaf.value) {
                (Some(via), Value::Str(s)) => self
                    .facts
                    .strings
                    .get(*s as usize)
                    .map(|lit| format!(" (`'{}'` from `{via}`)", lit.value))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let whom = if binding.name.starts_with("DEFAULT_") {
                "every TLS connection of this process that sets no version".to_string()
            } else {
                js_target(self.facts, self.flow, binding, id as u32).phrase
            };
            let verb = match setting {
                Setting::Min => "lets",
                Setting::Max => "caps",
                Setting::Method => "pins",
            };
            let object = match setting {
                Setting::Min => format!("negotiate {}", version.label),
                Setting::Max => format!("at {}", version.label),
                Setting::Method => format!("to {}", version.label),
            };
            let message = format!("`{shown}`{via} {verb} {whom} {object}{{reach}}: {}", version.reason);
            self.push(findings, reach, binding.span, message, HELP);
        }
    }

    /// Weak flags given to Node through `NODE_OPTIONS`, `execArgv` or a spawned process's arguments.
    fn flags(&self, findings: &mut Vec<Finding>) {
        let mut values: Vec<(&'a Value, u32, usize, &'static str)> = Vec::new();
        for binding in &self.facts.bindings {
            if !FLAG_HOLDERS.contains(&binding.name.as_str()) {
                continue;
            }
            if matches!(
                binding.kind,
                BindingKind::Field | BindingKind::Argument | BindingKind::Assignment
            ) {
                values.push((
                    &binding.value,
                    binding.scope,
                    binding.span.start,
                    "the Node processes started with this environment",
                ));
            }
        }
        for call in &self.facts.calls {
            if call.callee.last().is_some_and(|m| SPAWNS.contains(&m.as_str())) && !call.is_macro {
                for arg in &call.args {
                    values.push((arg, call.scope, call.span.start, "the Node process started here"));
                }
            }
        }
        let mut reported: Vec<Span> = Vec::new();
        for (value, scope, at, whom) in values {
            for leaf in self.values.leaves(value, scope, at, None) {
                for lit in self.strings_in(leaf.value) {
                    for (flag, version) in self.rule.flags() {
                        for offset in flag_offsets(&lit.value, flag) {
                            let span = lit.span_of(offset..offset + flag.len());
                            if reported.contains(&span) {
                                continue;
                            }
                            reported.push(span);
                            let reach = if leaf.fallback {
                                Reach::ByDefault("unless configuration or the caller sets it".to_string())
                            } else {
                                Reach::Always
                            };
                            let message = format!(
                                "`{flag}` lets {whom} negotiate {}{{reach}}: {}",
                                version.label, version.reason
                            );
                            self.push(findings, reach, span, message, HELP_FLAG);
                        }
                    }
                }
            }
        }
    }

    /// The string literals of a value: itself, a template's parts, an array's elements.
    fn strings_in(&self, value: &'a Value) -> Vec<&'a StringLit> {
        let mut out = Vec::new();
        let mut push = |id: &u32| {
            if let Some(lit) = self.facts.strings.get(*id as usize) {
                out.push(lit);
            }
        };
        match value {
            Value::Str(id) => push(id),
            Value::Template(parts) => parts.iter().for_each(|p| {
                if let TemplatePart::Str(id) = p {
                    push(id);
                }
            }),
            Value::Array(items) => items.iter().for_each(|item| match item {
                Value::Str(id) => push(id),
                Value::Template(parts) => parts.iter().for_each(|p| {
                    if let TemplatePart::Str(id) = p {
                        push(id);
                    }
                }),
                _ => {}
            }),
            _ => {}
        }
        out
    }

    fn rust_apis(&self, findings: &mut Vec<Finding>) {
        for call in &self.facts.calls {
            let Some(method) = call.callee.last() else {
                continue;
            };
            let Some(api) = self.rule.rust_apis.iter().find(|api| api.method == *method) else {
                continue;
            };
            self.rust_api(call, api, findings);
        }
    }

    fn rust_api(&self, call: &'a Call, api: &RustApi, findings: &mut Vec<Finding>) {
        let Some(arg) = call.args.first() else {
            return;
        };
        let leaves = self.values.leaves(arg, call.scope, call.span.start, None);
        let weak = |value: &Value| match value {
            Value::Member(path) => self.rule.version_of_path(path),
            _ => None,
        };
        let Some((reach, leaf)) = value_reach(&leaves, |leaf| weak(leaf.value).map(|_| Judged::Off)) else {
            return;
        };
        let Some(version) = weak(leaf.value) else {
            return;
        };
        let args = compact(self.text.get(call.callee_span.end..call.span.end).unwrap_or("(…)"), 60);
        let via = leaf.via.map(|v| format!(" (from `{v}`)")).unwrap_or_default();
        let verb = match api.bound {
            Bound::Min => format!("lets connections negotiate {}", version.label),
            Bound::Max => format!("caps every connection at {}", version.label),
        };
        let message = format!("`{}{args}`{via} {verb}{{reach}}: {}", api.method, version.reason);
        self.push(findings, reach, call.callee_span, message, HELP);
    }
}

impl Rule for TlsVersionBelow12 {
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
            cx.rust_apis(findings);
        } else {
            cx.js_settings(findings);
        }
        cx.flags(findings);
    }

    fn extra_docs(&self) -> Option<String> {
        let mut doc = String::from(
            "## Versions\n\n| Version | Node `minVersion`/`maxVersion` | Node `secureProtocol` | Rust | Node flags |\n|---|---|---|---|---|\n",
        );
        let list = |items: &[String]| {
            if items.is_empty() {
                "—".to_string()
            } else {
                items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
            }
        };
        for version in &self.versions {
            doc.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                version.label,
                list(&version.names),
                list(&version.methods),
                list(&version.rust),
                list(&version.flags)
            ));
        }
        doc.push_str("\n## Rust APIs\n\n| Method | Sets | Crates |\n|---|---|---|\n");
        for api in &self.rust_apis {
            let bound = match api.bound {
                Bound::Min => "the lowest version allowed",
                Bound::Max => "the highest version allowed",
            };
            doc.push_str(&format!("| `{}` | {bound} | {} |\n", api.method, api.library));
        }
        Some(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered::{check_sorted, check_text};
    use miroguard_core::Severity;

    fn rule() -> TlsVersionBelow12 {
        TlsVersionBelow12::new().expect("built-in rule loads")
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
    fn node_versions_and_methods() {
        let source = r#"
import https from "node:https";
import tls from "node:tls";
const LEGACY_TLS = "TLSv1.1";
const partner = { tls: { min: "TLSv1" } };
export const server = https.createServer({ key, cert, minVersion: "TLSv1" }, app);
export const agent = new https.Agent({ minVersion: LEGACY_TLS });
export const capped = new https.Agent({ maxVersion: "TLSv1.1" });
export const pinned = tls.connect({ host, secureProtocol: "TLSv1_method" });
export const fromField = tls.connect({ host, minVersion: partner.tls.min });
tls.DEFAULT_MIN_VERSION = "TLSv1";
export const modern = new https.Agent({ minVersion: "TLSv1.2", maxVersion: "TLSv1.3" });
export const negotiated = tls.connect({ host, secureProtocol: "SSLv23_method" });
export const semver = checkEngine({ minVersion: "1.0.0" });
export const configured = new https.Agent({ minVersion: process.env.TLS_MIN_VERSION });
export const fallback = new https.Agent({ minVersion: process.env.TLS_MIN_VERSION || "TLSv1" });
export const defaults = new https.Agent();
// minVersion: "TLSv1" was the old setting
throw new Error("TLSv1 is not supported");
"#;
        assert_eq!(
            lines("server/tls.ts", source),
            [(6, E), (7, E), (8, E), (9, E), (10, E), (11, E), (16, N)]
        );
        let found = messages("server/tls.ts", source);
        assert!(
            found[0].starts_with(
                "`minVersion: \"TLSv1\"` lets this server negotiate TLS 1.0: TLS 1.0 is deprecated (RFC 8996)"
            ),
            "{}",
            found[0]
        );
        assert!(
            found[1].starts_with(
                "`minVersion: LEGACY_TLS` (`'TLSv1.1'` from `LEGACY_TLS`) lets this https agent negotiate TLS 1.1"
            ),
            "{}",
            found[1]
        );
        assert!(
            found[2].starts_with("`maxVersion: \"TLSv1.1\"` caps this https agent at TLS 1.1"),
            "{}",
            found[2]
        );
        assert!(
            found[3].starts_with("`secureProtocol: \"TLSv1_method\"` pins this TLS connection to TLS 1.0"),
            "{}",
            found[3]
        );
        assert!(
            found[5].starts_with("`tls.DEFAULT_MIN_VERSION = \"TLSv1\"` lets every TLS connection of this process"),
            "{}",
            found[5]
        );
    }

    #[test]
    fn node_flags_in_code() {
        let source = r#"
const { spawn, fork } = require("child_process");
process.env.NODE_OPTIONS = "--tls-min-v1.0";
spawn("node", ["--tls-min-v1.1", "worker.js"]);
fork("worker.js", [], { execArgv: ["--tls-min-v1.0"] });
spawn("node", ["--tls-min-v1.2", "worker.js"], { env: { NODE_OPTIONS: "--tls-max-v1.2" } });
console.log("run with --tls-min-v1.0 for the legacy partner");
"#;
        assert_eq!(lines("scripts/run.js", source), [(3, E), (4, E), (5, E)]);
    }

    #[test]
    fn test_code_and_guards() {
        let source = r#"
if (process.env.NODE_ENV === "test") {
  tls.DEFAULT_MIN_VERSION = "TLSv1";
}
const agent = new https.Agent({ minVersion: isTest ? "TLSv1" : "TLSv1.2" });
"#;
        assert_eq!(lines("src/setup.js", source), [(3, W), (5, W)]);
        assert_eq!(
            lines("test/legacy.test.js", "new https.Agent({ minVersion: 'TLSv1' });\n"),
            [(1, W)]
        );
    }

    #[test]
    fn rust_apis() {
        let source = r#"
use openssl::ssl::{SslConnector, SslMethod, SslVersion};
use native_tls::Protocol;
const LEGACY: SslVersion = SslVersion::TLS1_1;
fn clients() -> Result<(), Error> {
    let mut b = SslConnector::builder(SslMethod::tls())?;
    b.set_min_proto_version(Some(SslVersion::TLS1))?;
    b.set_min_proto_version(Some(LEGACY))?;
    b.set_max_proto_version(Some(SslVersion::TLS1_1))?;
    b.set_min_proto_version(Some(SslVersion::TLS1_2))?;
    b.set_max_proto_version(None)?;
    let n = native_tls::TlsConnector::builder().min_protocol_version(Some(Protocol::Sslv3)).build()?;
    let m = native_tls::TlsConnector::builder().min_protocol_version(Some(Protocol::Tlsv12)).build()?;
    let r = reqwest::Client::builder().min_tls_version(reqwest::tls::Version::TLS_1_0).build()?;
    let s = reqwest::Client::builder().min_tls_version(reqwest::tls::Version::TLS_1_2).build()?;
    let t = reqwest::Client::builder().max_tls_version(reqwest::tls::Version::TLS_1_1).build()?;
    Command::new("node").arg("--tls-min-v1.0").arg("server.js").spawn()?;
    // set_min_proto_version(Some(SslVersion::TLS1)) was the old setting
    Ok(())
}
"#;
        assert_eq!(
            lines("src/tls.rs", source),
            [(7, E), (8, E), (9, E), (12, E), (14, E), (16, E), (17, E)]
        );
        let found = messages("src/tls.rs", source);
        assert!(
            found[0].starts_with("`set_min_proto_version(Some(SslVersion::TLS1))` lets connections negotiate TLS 1.0"),
            "{}",
            found[0]
        );
        assert!(found[1].contains("(from `LEGACY`)"), "{}", found[1]);
        assert!(found[2].contains("caps every connection at TLS 1.1"), "{}", found[2]);
        assert!(found[3].contains("SSL 3.0 is broken (POODLE"), "{}", found[3]);
        let tests = "#[cfg(test)]\nmod tests {\n    fn old() { b.set_min_proto_version(Some(SslVersion::TLS1)); }\n}\n";
        assert_eq!(lines("src/tls.rs", tests), [(3, W)]);
    }

    #[test]
    fn configuration_files() {
        let package = r#"{
  "description": "do not use --tls-min-v1.0",
  "scripts": {
    "start": "node --tls-min-v1.0 server.js",
    "start:legacy": "NODE_OPTIONS='--tls-min-v1.1' node server.js",
    "test": "node --tls-min-v1.1 node_modules/.bin/jest",
    "start:modern": "node --tls-min-v1.2 --tls-max-v1.3 server.js"
  }
}
"#;
        let found = text_findings("package.json", package);
        let at: Vec<(usize, Severity)> = found.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(at, [(4, E), (5, E), (6, W)]);
        assert!(
            found[0]
                .2
                .starts_with("`--tls-min-v1.0` lets the `start` script negotiate TLS 1.0"),
            "{}",
            found[0].2
        );
        let docker = "FROM node:20\n# CMD [\"node\", \"--tls-min-v1.0\", \"server.js\"]\nENV NODE_OPTIONS=\"--tls-min-v1.1\"\nCMD [\"node\", \"--tls-min-v1.0\", \"server.js\"]\n";
        let at: Vec<(usize, Severity)> = text_findings("Dockerfile", docker).iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(at, [(3, E), (4, E)]);
        let env = "NODE_OPTIONS=--tls-min-v1.0\n# NODE_OPTIONS=--tls-min-v1.1\n";
        let at: Vec<(usize, Severity)> = text_findings(".env", env).iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(at, [(1, E)]);
        let at: Vec<(usize, Severity)> = text_findings(".env.development", env)
            .iter()
            .map(|f| (f.0, f.1))
            .collect();
        assert_eq!(at, [(1, W)]);
        assert!(text_findings("docs/tls.md", env).is_empty());
    }

    fn gate(path: &str, source: &str) -> bool {
        crate::lowered::needs_facts(&rule(), path, source)
    }

    #[test]
    fn files_that_cannot_match_are_not_parsed() {
        assert!(gate("a.js", "tls.connect({ minVersion: 'TLSv1' })"));
        assert!(gate("a.js", "const V = \"TLSv1.1\"; tls.connect({ minVersion: V })"));
        assert!(!gate("a.js", "tls.connect({ minVersion: 'TLSv1.2' })"));
        assert!(!gate(
            "a.js",
            "checkEngine({ minVersion: '1.0.0', maxVersion: '2.0.0' })"
        ));
        assert!(gate("a.js", "spawn('node', ['--tls-min-v1.0'])"));
        assert!(!gate("a.js", "spawn('node', ['--tls-min-v1.2'])"));
        assert!(gate("a.rs", "b.set_min_proto_version(Some(SslVersion::TLS1))"));
        assert!(!gate("a.rs", "b.set_min_proto_version(Some(SslVersion::TLS1_2))"));
        assert!(!gate("a.rs", "let v = SslVersion::TLS1; // no API"));
        assert!(!gate(
            "package.json",
            "{\"scripts\":{\"start\":\"node --tls-min-v1.0 s.js\"}}"
        ));
    }

    #[test]
    fn the_tables_are_consistent() {
        let rule = rule();
        for api in &rule.rust_apis {
            assert!(rule.keywords.contains(&api.method), "{}", api.method);
        }
        for version in &rule.versions {
            for flag in &version.flags {
                assert_eq!(flag_offsets(&format!("node {flag} s.js"), flag), [5], "{flag}");
            }
        }
        assert!(flag_offsets("--tls-min-v1.05", "--tls-min-v1.0").is_empty());
        let docs = rule.extra_docs().expect("docs");
        assert!(docs.contains("| TLS 1.0 |") && docs.contains("`set_min_proto_version`"));
    }
}
