//! `hardcoded-signing-key` (R-DATA-2): a literal given to an API that signs,
//! verifies, encrypts or authenticates with it.
//!
//! The APIs and which of their arguments (or argument fields) is the key are
//! data, in `rules/hardcoded-signing-key.toml`. For every call that matches a
//! sink, the key argument is followed to the literals it can be: directly, as
//! the fallback of `a || "x"`, inside a pure conversion (a `[[wrappers]]`
//! entry such as `Buffer.from`), or through an identifier bound once in the
//! same file. What the literal looks like does not matter — the API makes it a
//! key — so unlike `hardcoded-secret` there is no entropy or name test; only
//! empty strings and public keys are left alone.

use crate::syntax::{is_ident_byte, is_public_key_material, normalize_module, required_module};
use crate::{FileInput, Rule};
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use miroguard_core::{Finding, Language, RuleMeta, Span};
use miroguard_ir::{Binding, BindingKind, Call, Facts, ScopeId, Value};
use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;

/// The rule's id.
pub const ID: &str = "hardcoded-signing-key";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/hardcoded-signing-key.toml"
));

/// How many identifiers and conversions a key is followed through.
const MAX_DEPTH: usize = 8;
/// How many methods of a builder chain are followed back to its constructor.
const MAX_CHAIN: usize = 32;

/// The language family a sink is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SinkLanguage {
    /// JavaScript and TypeScript.
    Js,
    /// Rust.
    Rust,
}

impl SinkLanguage {
    fn of(language: Language) -> Option<SinkLanguage> {
        match language {
            Language::Rust => Some(SinkLanguage::Rust),
            Language::JavaScript | Language::TypeScript | Language::Tsx => Some(SinkLanguage::Js),
            Language::Text => None,
        }
    }

    fn separator(self) -> &'static str {
        match self {
            SinkLanguage::Js => ".",
            SinkLanguage::Rust => "::",
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            SinkLanguage::Js => "JS/TS",
            SinkLanguage::Rust => "Rust",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    sinks: Vec<SinkSpec>,
    #[serde(default)]
    wrappers: Vec<WrapperSpec>,
}

/// One `[[sinks]]` entry, as written (see the TOML's header for the meaning of each key).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SinkSpec {
    language: SinkLanguage,
    api: String,
    library: String,
    #[serde(default)]
    callee: Option<String>,
    #[serde(default)]
    modules: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    plugin: Vec<String>,
    argument: usize,
    #[serde(default)]
    fields: Vec<String>,
    keywords: Vec<String>,
}

/// One `[[wrappers]]` entry, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrapperSpec {
    language: SinkLanguage,
    callee: String,
    #[serde(default)]
    argument: Option<usize>,
    #[serde(default)]
    receiver: bool,
}

/// Which function a sink is, or which function makes the object a method sink is called on.
#[derive(Debug)]
struct CalleeSpec {
    /// JS: the path inside `modules` (empty: the module itself). Rust: a path suffix, `*` = any segment.
    path: Vec<String>,
    /// JS: modules the path is exported from, without `node:`.
    modules: Vec<String>,
    /// JS: the callee as commonly written, when its first name is not imported.
    names: Vec<Vec<String>>,
}

/// A compiled sink.
#[derive(Debug)]
struct Sink {
    language: SinkLanguage,
    api: String,
    library: String,
    callee: Option<CalleeSpec>,
    method: Option<String>,
    plugin: Vec<String>,
    argument: usize,
    fields: Vec<String>,
    keywords: Vec<usize>,
}

impl Sink {
    /// How a finding names the API: the sink's `api`, or for a Rust sink
    /// written with a wildcard, the type and function as the code calls them
    /// (`Hmac::new_from_slice`).
    fn api_name(&self, call: &Call) -> String {
        let wildcard = self
            .callee
            .as_ref()
            .is_some_and(|c| c.path.iter().any(|segment| segment == "*"));
        if self.language == SinkLanguage::Rust && wildcard {
            let from = call.callee.len().saturating_sub(2);
            return call.callee[from..].join("::");
        }
        self.api.clone()
    }
}

/// A compiled wrapper: a pure conversion whose result is still the literal inside.
#[derive(Debug)]
struct Wrapper {
    language: SinkLanguage,
    callee: Vec<String>,
    /// The converted argument, or `None` for the receiver.
    argument: Option<usize>,
}

/// The rule.
pub struct HardcodedSigningKey {
    meta: RuleMeta,
    sinks: Vec<Sink>,
    wrappers: Vec<Wrapper>,
    keywords: Vec<String>,
    allowlist: Vec<Regex>,
    call_sites: CallSiteGate,
}

fn split_path(path: &str, language: SinkLanguage) -> Vec<String> {
    if path.is_empty() {
        return Vec::new();
    }
    path.split(language.separator()).map(str::to_string).collect()
}

impl HardcodedSigningKey {
    /// The rule with its built-in sinks; secrets matching one of `allowlist`
    /// (the user's whole-value regexes) are not reported.
    pub fn new(allowlist: &[Regex]) -> Result<HardcodedSigningKey, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        let mut keywords: Vec<String> = Vec::new();
        let mut sinks = Vec::with_capacity(file.sinks.len());
        for spec in file.sinks {
            validate_sink(&spec)?;
            let indices = spec
                .keywords
                .iter()
                .map(|keyword| match keywords.iter().position(|k| k == keyword) {
                    Some(index) => index,
                    None => {
                        keywords.push(keyword.clone());
                        keywords.len() - 1
                    }
                })
                .collect();
            let callee = spec.callee.as_deref().map(|path| CalleeSpec {
                path: split_path(path, spec.language),
                modules: spec.modules.iter().map(|m| normalize_module(m).to_string()).collect(),
                names: spec.names.iter().map(|n| split_path(n, spec.language)).collect(),
            });
            sinks.push(Sink {
                language: spec.language,
                api: spec.api,
                library: spec.library,
                callee,
                method: spec.method,
                plugin: spec.plugin.iter().map(|m| normalize_module(m).to_string()).collect(),
                argument: spec.argument,
                fields: spec.fields,
                keywords: indices,
            });
        }
        let mut wrappers = Vec::with_capacity(file.wrappers.len());
        for spec in file.wrappers {
            if spec.callee.is_empty() || spec.receiver == spec.argument.is_some() {
                return Err(format!(
                    "wrapper `{}` needs a callee and exactly one of `argument` and `receiver = true`",
                    spec.callee
                ));
            }
            wrappers.push(Wrapper {
                language: spec.language,
                callee: split_path(&spec.callee, spec.language),
                argument: spec.argument,
            });
        }
        let call_sites = CallSiteGate::new(&sinks)?;
        Ok(HardcodedSigningKey {
            meta: file.rule,
            sinks,
            wrappers,
            keywords,
            allowlist: allowlist.to_vec(),
            call_sites,
        })
    }

    fn allowed(&self, secret: &str) -> bool {
        self.allowlist.iter().any(|re| re.is_match(secret))
    }
}

/// The lexical half of the rule: whether a file can hold a sink call at all,
/// decided before it is parsed. Keywords such as `session`, `jwt` or `cipher`
/// occur in most large bundles; a JS sink matches only when its module is
/// imported or required (its name is a quoted string in the file) and its
/// function is called, or its callee is written as the TOML's `names` say; a
/// Rust sink only when its path is written before `(`. Parsing is what costs,
/// so this keeps the parse for files where a sink can match, and never
/// changes what is found.
struct CallSiteGate {
    /// Per language (JS, Rust): quoted module names (`"jsonwebtoken"`,
    /// `'node:crypto'`) and callee segments (`::from_secret` in Rust), in one
    /// automaton, and what each of its patterns stands for.
    automata: [(AhoCorasick, Vec<Vec<Meaning>>); 2],
    modules: usize,
    calls: Vec<CallCheck>,
    requirements: Vec<Requirement>,
}

#[derive(Clone, Copy)]
enum Meaning {
    Module(usize),
    /// A call check, and how many bytes of the pattern come before the segment (the `::`).
    Call(usize, usize),
}

fn language_slot(language: SinkLanguage) -> usize {
    match language {
        SinkLanguage::Js => 0,
        SinkLanguage::Rust => 1,
    }
}

/// How a callee's last segment must be written for a call to count.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CallCheck {
    language: SinkLanguage,
    /// The segment before it (then a `.` or `::` separates them).
    before: Option<String>,
    dot: Dot,
}

/// Whether a call's last segment comes after a `.`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dot {
    /// A method: `x.register(`.
    Required,
    /// A global name: `session(`, not `user.session(`.
    Forbidden,
    /// An import's export: `createHmac(` or `crypto.createHmac(`.
    Either,
}

/// What one sink needs in a file's text.
struct Requirement {
    language: SinkLanguage,
    /// Any of these modules, and then (when set) a call of this export.
    modules: Vec<usize>,
    export_call: Option<usize>,
    /// Or any of these calls as written.
    written_calls: Vec<usize>,
}

impl CallSiteGate {
    fn new(sinks: &[Sink]) -> Result<CallSiteGate, String> {
        let mut patterns: [Vec<String>; 2] = Default::default();
        let mut meanings: [Vec<Vec<Meaning>>; 2] = Default::default();
        let mut module_names: Vec<String> = Vec::new();
        let mut calls: Vec<(String, CallCheck)> = Vec::new();
        let mut pattern = |language: SinkLanguage, text: String, meaning: Meaning| {
            let slot = language_slot(language);
            match patterns[slot].iter().position(|p| *p == text) {
                Some(at) => meanings[slot][at].push(meaning),
                None => {
                    patterns[slot].push(text);
                    meanings[slot].push(vec![meaning]);
                }
            }
        };
        let mut module_id = |module: &str, pattern: &mut dyn FnMut(SinkLanguage, String, Meaning)| -> usize {
            if let Some(at) = module_names.iter().position(|m| m == module) {
                return at;
            }
            module_names.push(module.to_string());
            let id = module_names.len() - 1;
            for quote in ['"', '\'', '`'] {
                pattern(SinkLanguage::Js, format!("{quote}{module}{quote}"), Meaning::Module(id));
                pattern(
                    SinkLanguage::Js,
                    format!("{quote}node:{module}{quote}"),
                    Meaning::Module(id),
                );
            }
            id
        };
        let mut call_id = |path: &[String],
                           dot: Dot,
                           language: SinkLanguage,
                           pattern: &mut dyn FnMut(SinkLanguage, String, Meaning)| {
            let (last, init) = path.split_last()?;
            let check = CallCheck {
                language,
                before: init.last().filter(|segment| *segment != "*").cloned(),
                dot,
            };
            if let Some(at) = calls.iter().position(|(l, c)| l == last && *c == check) {
                return Some(at);
            }
            calls.push((last.clone(), check));
            let id = calls.len() - 1;
            // Rust paths are written with `::` before the last segment, which
            // keeps the automaton off every `new(` and `from(` of the file.
            if language == SinkLanguage::Rust && !init.is_empty() {
                pattern(language, format!("::{last}"), Meaning::Call(id, 2));
            } else {
                pattern(language, last.clone(), Meaning::Call(id, 0));
            }
            Some(id)
        };
        let mut requirements = Vec::new();
        for sink in sinks {
            let mut requirement = Requirement {
                language: sink.language,
                modules: Vec::new(),
                export_call: None,
                written_calls: Vec::new(),
            };
            match (&sink.callee, sink.language) {
                (Some(callee), SinkLanguage::Rust) => {
                    requirement
                        .written_calls
                        .extend(call_id(&callee.path, Dot::Either, sink.language, &mut pattern));
                }
                (Some(callee), SinkLanguage::Js) => {
                    for module in &callee.modules {
                        requirement.modules.push(module_id(module, &mut pattern));
                    }
                    // A default export is called under any local name: the import alone decides.
                    requirement.export_call = callee
                        .path
                        .last()
                        .and_then(|last| call_id(std::slice::from_ref(last), Dot::Either, sink.language, &mut pattern));
                    for name in &callee.names {
                        let dot = if name.len() == 1 { Dot::Forbidden } else { Dot::Either };
                        requirement
                            .written_calls
                            .extend(call_id(name, dot, sink.language, &mut pattern));
                    }
                }
                (None, _) => {
                    let method = sink.method.as_slice();
                    let call = call_id(method, Dot::Required, sink.language, &mut pattern);
                    if sink.plugin.is_empty() {
                        requirement.written_calls.extend(call);
                    } else {
                        for module in &sink.plugin {
                            requirement.modules.push(module_id(module, &mut pattern));
                        }
                        requirement.export_call = call;
                    }
                }
            }
            requirements.push(requirement);
        }
        let build = |patterns: &[String]| {
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .build(patterns)
                .map_err(|e| e.to_string())
        };
        let [js_meanings, rust_meanings] = meanings;
        Ok(CallSiteGate {
            automata: [
                (build(&patterns[0])?, js_meanings),
                (build(&patterns[1])?, rust_meanings),
            ],
            modules: module_names.len(),
            calls: calls.into_iter().map(|(_, check)| check).collect(),
            requirements,
        })
    }

    /// Whether a sink of `language` can match in `text`.
    fn may_match(&self, text: &str, language: SinkLanguage) -> bool {
        let mut modules = vec![false; self.modules];
        let mut calls = vec![false; self.calls.len()];
        let satisfied = |modules: &[bool], calls: &[bool]| {
            self.requirements.iter().filter(|r| r.language == language).any(|r| {
                r.written_calls.iter().any(|&id| calls[id])
                    || (r.modules.iter().any(|&id| modules[id]) && r.export_call.is_none_or(|id| calls[id]))
            })
        };
        let (automaton, meanings) = &self.automata[language_slot(language)];
        for found in automaton.find_overlapping_iter(text) {
            let mut learned = false;
            for meaning in &meanings[found.pattern().as_usize()] {
                match *meaning {
                    Meaning::Module(id) if !modules[id] => {
                        modules[id] = true;
                        learned = true;
                    }
                    Meaning::Call(id, skip) if !calls[id] => {
                        calls[id] = written_as_call(text, found.start() + skip, found.end(), &self.calls[id]);
                        learned |= calls[id];
                    }
                    _ => {}
                }
            }
            if learned && satisfied(&modules, &calls) {
                return true;
            }
        }
        false
    }
}

/// Whether the segment at `start..end` is a call written as `check` says:
/// a whole identifier followed by `(`, or renamed by an import (`sign as s`).
fn written_as_call(text: &str, start: usize, end: usize, check: &CallCheck) -> bool {
    let bytes = text.as_bytes();
    if bytes[..start].last().is_some_and(|&b| is_ident_byte(b)) || bytes.get(end).is_some_and(|&b| is_ident_byte(b)) {
        return false;
    }
    let rest = text[end..].trim_start();
    if check.language == SinkLanguage::Js && check.before.is_none() && rest.starts_with("as ") {
        return true;
    }
    if !rest.starts_with('(') {
        return false;
    }
    let head = &text[..start];
    match (&check.before, check.language) {
        (Some(before), language) => preceded_by(head, before, language),
        (None, SinkLanguage::Js) => {
            let after_dot = head.trim_end().ends_with('.');
            match check.dot {
                Dot::Required => after_dot,
                Dot::Forbidden => !after_dot,
                Dot::Either => true,
            }
        }
        (None, SinkLanguage::Rust) => true,
    }
}

/// Whether `head` (the text before a callee's last segment) ends with the
/// segment before it and its separator. JS allows whitespace around the `.`
/// (`jwt\n  .sign(`); Rust allows a turbofish (`Key::<Aes256Gcm>::from_slice(`).
fn preceded_by(head: &str, segment: &str, language: SinkLanguage) -> bool {
    let head = head.trim_end();
    let head = match language {
        SinkLanguage::Js => head.strip_suffix('.').map(str::trim_end),
        SinkLanguage::Rust => head.strip_suffix("::").map(|rest| {
            if rest.ends_with('>') {
                // Generic arguments written in the path: the segment is before `::<`.
                rest.rfind("::<").map_or(rest, |at| &rest[..at])
            } else {
                rest
            }
        }),
    };
    head.is_some_and(|head| head.ends_with(segment))
}

/// Checks what the TOML's header promises about a sink.
fn validate_sink(spec: &SinkSpec) -> Result<(), String> {
    let problem = |what: &str| Err(format!("sink `{}` ({}): {what}", spec.api, spec.library));
    if spec.keywords.is_empty() {
        return problem("needs keywords");
    }
    if let Some(keyword) = spec
        .keywords
        .iter()
        .find(|k| k.is_empty() || **k != k.to_ascii_lowercase())
    {
        return problem(&format!("keyword `{keyword}` must be non-empty and lowercase"));
    }
    if spec.fields.iter().any(String::is_empty) {
        return problem("fields must not be empty");
    }
    match spec.language {
        SinkLanguage::Rust => {
            if spec.callee.as_deref().is_none_or(str::is_empty) {
                return problem("a Rust sink needs a callee");
            }
            if !spec.modules.is_empty() || !spec.names.is_empty() || !spec.plugin.is_empty() {
                return problem("`modules`, `names` and `plugin` are for JS sinks");
            }
        }
        SinkLanguage::Js => match (&spec.callee, &spec.method) {
            (None, None) => return problem("needs a callee or a method"),
            (Some(_), _) if spec.modules.is_empty() && spec.names.is_empty() => {
                return problem("a JS callee needs `modules` or `names`");
            }
            (None, Some(_)) if !spec.modules.is_empty() || !spec.names.is_empty() => {
                return problem("`modules` and `names` describe a callee");
            }
            _ => {}
        },
    }
    Ok(())
}

/// A literal a key argument can be.
#[derive(Clone, Debug, PartialEq, Eq)]
struct KeyLiteral {
    span: Span,
    secret: String,
    /// Whether it is the literal alternative of a value read elsewhere (`process.env.X || "x"`).
    fallback: bool,
}

/// What a file's calls are resolved against.
struct Context<'a> {
    facts: &'a Facts,
    text: &'a str,
    language: SinkLanguage,
    /// JS: local name → (module, imported name: `default`, `*` or an export).
    imports: HashMap<&'a str, (&'a str, &'a str)>,
    wrappers: Vec<&'a Wrapper>,
}

impl<'a> Context<'a> {
    fn new(facts: &'a Facts, text: &'a str, language: SinkLanguage, wrappers: &'a [Wrapper]) -> Context<'a> {
        let mut imports = HashMap::new();
        if language == SinkLanguage::Js {
            for import in &facts.imports {
                for name in &import.names {
                    imports
                        .entry(name.local.as_str())
                        .or_insert((normalize_module(&import.source), name.imported.as_str()));
                }
            }
        }
        Context {
            facts,
            text,
            language,
            imports,
            wrappers: wrappers.iter().filter(|w| w.language == language).collect(),
        }
    }

    fn call(&self, id: u32) -> Option<&'a Call> {
        self.facts.calls.get(id as usize)
    }

    /// Whether `call` calls the function `spec` describes.
    fn callee_matches(&self, call: &Call, spec: &CalleeSpec) -> bool {
        match self.language {
            SinkLanguage::Rust => ends_with_path(&call.callee, &spec.path),
            SinkLanguage::Js => {
                if let Some(receiver) = &call.receiver {
                    // `require("jsonwebtoken").sign(…)`
                    return call.callee.len() == 1
                        && required_module(self.facts, receiver)
                            .is_some_and(|module| spec.modules.iter().any(|m| m == module))
                        && call.callee == spec.path;
                }
                let Some((first, rest)) = call.callee.split_first() else {
                    return false;
                };
                match self.imports.get(first.as_str()) {
                    Some((module, imported)) => {
                        if !spec.modules.iter().any(|m| m == module) {
                            return false;
                        }
                        let whole_module = matches!(*imported, "default" | "*");
                        let path_len = rest.len() + usize::from(!whole_module);
                        if path_len != spec.path.len() {
                            return false;
                        }
                        let mut path = spec.path.iter();
                        if !whole_module && path.next().is_none_or(|p| p != imported) {
                            return false;
                        }
                        path.zip(rest).all(|(a, b)| a == b)
                    }
                    None => spec.names.contains(&call.callee),
                }
            }
        }
    }

    /// Whether `value` is one of the `plugins` modules: imported under this name, or required in place.
    fn is_plugin(&self, value: &Value, plugins: &[String]) -> bool {
        let module = match value {
            Value::Ident(name) => self.imports.get(name.as_str()).map(|(module, _)| *module),
            _ => required_module(self.facts, value),
        };
        module.is_some_and(|module| plugins.iter().any(|p| p == module))
    }

    /// The object a method call is called on: its receiver, or its callee without the method.
    fn method_object(call: &Call) -> Option<Value> {
        if let Some(receiver) = &call.receiver {
            return Some((**receiver).clone());
        }
        match call.callee.len() {
            0 | 1 => None,
            2 => Some(Value::Ident(call.callee[0].clone())),
            n => Some(Value::Member(call.callee[..n - 1].to_vec())),
        }
    }

    /// Whether `value` is an object that a call of `ctor` made, possibly
    /// through builder methods or a variable.
    fn made_by(&self, value: &Value, ctor: &CalleeSpec, scope: ScopeId, steps: usize) -> bool {
        if steps > MAX_CHAIN {
            return false;
        }
        match value {
            Value::Call(id) => {
                let Some(call) = self.call(*id) else {
                    return false;
                };
                if self.callee_matches(call, ctor) {
                    return true;
                }
                Context::method_object(call).is_some_and(|object| self.made_by(&object, ctor, call.scope, steps + 1))
            }
            Value::Ident(name) => self
                .resolve(name, scope)
                .is_some_and(|binding| self.made_by(&binding.value, ctor, binding.scope, steps + 1)),
            _ => false,
        }
    }

    /// Whether `call` is a call of `sink`.
    fn sink_matches(&self, sink: &Sink, call: &Call) -> bool {
        if let Some(method) = &sink.method {
            if call.callee.last() != Some(method) || Context::method_object(call).is_none() {
                return false;
            }
            if let Some(ctor) = &sink.callee {
                let Some(object) = Context::method_object(call) else {
                    return false;
                };
                if !self.made_by(&object, ctor, call.scope, 0) {
                    return false;
                }
            }
        } else {
            match &sink.callee {
                Some(callee) if self.callee_matches(call, callee) => {}
                _ => return false,
            }
        }
        sink.plugin.is_empty() || call.args.first().is_some_and(|arg| self.is_plugin(arg, &sink.plugin))
    }

    /// The one `const`/`let`/`static` binding of `name` visible from `scope`,
    /// unless the name is ever reassigned or declared twice in the scope that binds it.
    fn resolve(&self, name: &str, scope: ScopeId) -> Option<&'a Binding> {
        let bindings = &self.facts.bindings;
        if bindings
            .iter()
            .any(|b| b.kind == BindingKind::Assignment && b.path.len() == 1 && b.name == name)
        {
            return None;
        }
        let mut current = Some(scope);
        let mut guard = 0;
        while let Some(id) = current {
            let mut found = bindings
                .iter()
                .filter(|b| b.kind == BindingKind::Variable && b.scope == id && b.path.len() == 1 && b.name == name);
            match (found.next(), found.next()) {
                // `let mut key = [0u8; 32]; rng.fill_bytes(&mut key);` is no constant.
                (Some(binding), None) if self.is_mutable(binding) => return None,
                (Some(binding), None) => return Some(binding),
                (Some(_), Some(_)) => return None,
                _ => {}
            }
            current = self.facts.scopes.get(id as usize).and_then(|s| s.parent);
            guard += 1;
            if guard > self.facts.scopes.len() {
                return None;
            }
        }
        None
    }

    /// Whether a Rust binding is declared `mut` (`let mut k`, `static mut K`).
    fn is_mutable(&self, binding: &Binding) -> bool {
        self.language == SinkLanguage::Rust
            && self
                .text
                .get(binding.span.start..binding.name_span.start)
                .is_some_and(|declaration| declaration.split_whitespace().any(|word| word == "mut"))
    }

    /// The values of `fields` in the object `value` (a literal, or a variable
    /// holding one, with fields assigned to it later), each with the source region it occupies.
    fn field_values(
        &self,
        value: &'a Value,
        fields: &[String],
        scope: ScopeId,
    ) -> Vec<(&'a Value, Option<Span>, ScopeId)> {
        let mut out = Vec::new();
        match value {
            Value::Object(ids) => {
                for id in ids {
                    if let Some(binding) = self.facts.bindings.get(*id as usize) {
                        if fields.contains(&binding.name) {
                            out.push((&binding.value, self.value_region(binding), binding.scope));
                        }
                    }
                }
            }
            Value::Ident(name) => {
                if let Some(binding) = self.resolve(name, scope) {
                    if let Value::Object(_) = binding.value {
                        out.extend(self.field_values(&binding.value, fields, binding.scope));
                    }
                    // `const opts = {}; opts.secretOrKey = "…";`
                    for assigned in &self.facts.bindings {
                        let is_field = assigned.kind == BindingKind::Assignment
                            && matches!(assigned.path.as_slice(), [object, field] if object == name && fields.contains(field));
                        if is_field {
                            out.push((&assigned.value, self.value_region(assigned), assigned.scope));
                        }
                    }
                }
            }
            _ => {}
        }
        out
    }

    /// The literals `value` can be, as a key.
    fn literals(
        &self,
        value: &Value,
        region: Option<Span>,
        scope: ScopeId,
        depth: usize,
        fallback: bool,
        out: &mut Vec<KeyLiteral>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Str(id) => {
                let Some(lit) = self.facts.strings.get(*id as usize) else {
                    return;
                };
                if lit.value.trim().is_empty() || is_public_key_material(&lit.value) {
                    return;
                }
                let written = lit.content.text(self.text);
                let secret = if written.is_empty() {
                    lit.value.as_str()
                } else {
                    written
                };
                out.push(KeyLiteral {
                    span: lit.content,
                    secret: secret.to_string(),
                    fallback,
                });
            }
            Value::Alternatives(values) => {
                let read_elsewhere = values.iter().any(|v| !is_literal(v));
                for value in values {
                    self.literals(value, None, scope, depth + 1, fallback || read_elsewhere, out);
                }
            }
            Value::Array(values) => {
                if !values.is_empty() && values.iter().all(|v| matches!(v, Value::Number(_))) {
                    // A constant byte key: `&[0u8; 32]`, `[1, 2, 3]`.
                    if let Some(span) = region.and_then(|r| array_in(self.text, r)) {
                        out.push(KeyLiteral {
                            span,
                            secret: span.text(self.text).to_string(),
                            fallback,
                        });
                    }
                } else {
                    for value in values {
                        self.literals(value, None, scope, depth + 1, fallback, out);
                    }
                }
            }
            Value::Ident(name) => {
                if let Some(binding) = self.resolve(name, scope) {
                    self.literals(
                        &binding.value,
                        self.value_region(binding),
                        binding.scope,
                        depth + 1,
                        fallback,
                        out,
                    );
                }
            }
            Value::Call(id) => {
                let Some(call) = self.call(*id) else {
                    return;
                };
                for wrapper in &self.wrappers {
                    if !ends_with_path(&call.callee, &wrapper.callee) {
                        continue;
                    }
                    match wrapper.argument {
                        Some(index) => {
                            if let Some(arg) = call.args.get(index) {
                                let region = argument_region(self.text, call, index);
                                self.literals(arg, region, call.scope, depth + 1, fallback, out);
                            }
                        }
                        None => {
                            if let Some(receiver) = &call.receiver {
                                self.literals(receiver, None, call.scope, depth + 1, fallback, out);
                            }
                        }
                    }
                    return;
                }
            }
            _ => {}
        }
    }

    /// Where a binding's value is written: after its `=` or `:`.
    fn value_region(&self, binding: &Binding) -> Option<Span> {
        let from = binding.name_span.end.max(binding.span.start);
        let text = self.text.get(from..binding.span.end)?;
        let bytes = text.as_bytes();
        let separator = if binding.kind == BindingKind::Field { b':' } else { b'=' };
        let at = (0..bytes.len()).find(|&i| {
            bytes[i] == separator
                && (separator == b':'
                    || (!matches!(bytes.get(i + 1), Some(b'=' | b'>'))
                        && !matches!(i.checked_sub(1).map(|p| bytes[p]), Some(b'=' | b'!' | b'<' | b'>'))))
        })?;
        Some(Span::new(from + at + 1, binding.span.end))
    }
}

fn is_literal(value: &Value) -> bool {
    match value {
        Value::Str(_) | Value::Number(_) | Value::Bool(_) | Value::Null => true,
        Value::Array(values) => values.iter().all(is_literal),
        _ => false,
    }
}

/// Whether `path` ends with `suffix`, where `*` in `suffix` matches any one segment.
fn ends_with_path(path: &[String], suffix: &[String]) -> bool {
    path.len() >= suffix.len()
        && path[path.len() - suffix.len()..]
            .iter()
            .zip(suffix)
            .all(|(segment, want)| want == "*" || segment == want)
}

/// The source region of argument `index` of `call`, found by splitting the
/// text between its parentheses at top-level commas.
fn argument_region(text: &str, call: &Call, index: usize) -> Option<Span> {
    let start = call.callee_span.end.max(call.span.start);
    let inner = text.get(start..call.span.end)?;
    let open = start + inner.find('(')? + 1;
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut current = 0usize;
    let mut arg_start = open;
    let mut i = open;
    while i < call.span.end.min(bytes.len()) {
        match bytes[i] {
            quote @ (b'"' | b'\'' | b'`') => {
                // Skip the string (a Rust lifetime or char literal is short enough not to matter).
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != quote {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                i = j;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => {
                return (current == index).then(|| trimmed(text, arg_start, i));
            }
            b')' | b']' | b'}' => depth -= 1,
            b',' if depth == 0 => {
                if current == index {
                    return Some(trimmed(text, arg_start, i));
                }
                current += 1;
                arg_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn trimmed(text: &str, start: usize, end: usize) -> Span {
    let slice = text.get(start..end).unwrap_or("");
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    Span::new(start + lead, end.saturating_sub(trail))
}

/// The first bracketed array in `region`: `[0u8; 32]` in `&[0u8; 32]`.
fn array_in(text: &str, region: Span) -> Option<Span> {
    let slice = region.text(text);
    let open = slice.find('[')?;
    let mut depth = 0usize;
    for (i, b) in slice.bytes().enumerate().skip(open) {
        match b {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(Span::new(region.start + open, region.start + i + 1));
                }
            }
            _ => {}
        }
    }
    None
}

impl Rule for HardcodedSigningKey {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        // Type declarations (`.d.ts`) declare signatures such as DOM's
        // `sign(algorithm, key, data)` but call nothing.
        !input.context.is_type_declarations()
            && SinkLanguage::of(input.context.language)
                .is_some_and(|language| input.keywords.any() && self.call_sites.may_match(input.text, language))
    }

    fn extra_docs(&self) -> Option<String> {
        let mut table = String::from("## Sinks\n\n| Language | API | Library | Key |\n|---|---|---|---|\n");
        for sink in &self.sinks {
            let position = match sink.argument {
                0 => "1st argument".to_string(),
                1 => "2nd argument".to_string(),
                2 => "3rd argument".to_string(),
                n => format!("argument {}", n + 1),
            };
            let key = if sink.fields.is_empty() {
                position
            } else {
                let fields: Vec<String> = sink.fields.iter().map(|f| format!("`{f}`")).collect();
                format!("{} of the {position}", fields.join(" or "))
            };
            table.push_str(&format!(
                "| {} | `{}` | {} | {} |\n",
                sink.language.as_str(),
                sink.api,
                sink.library,
                key
            ));
        }
        Some(table)
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let Some(facts) = input.facts.filter(|_| !input.context.is_type_declarations()) else {
            return;
        };
        let Some(language) = SinkLanguage::of(input.context.language) else {
            return;
        };
        // A sink is looked at only where one of its keywords occurs, so the
        // rule finds the same with and without the prefilter.
        let sinks: Vec<&Sink> = self
            .sinks
            .iter()
            .filter(|s| s.language == language && s.keywords.iter().any(|&k| input.keywords.contains(k)))
            .collect();
        if sinks.is_empty() {
            return;
        }
        let context = Context::new(facts, input.text, language, &self.wrappers);
        let mut reported: Vec<Span> = Vec::new();
        for call in &facts.calls {
            let Some(sink) = sinks.iter().find(|sink| context.sink_matches(sink, call)) else {
                continue;
            };
            let Some(arg) = call.args.get(sink.argument) else {
                continue;
            };
            let mut literals = Vec::new();
            if sink.fields.is_empty() {
                let region = argument_region(input.text, call, sink.argument);
                context.literals(arg, region, call.scope, 0, false, &mut literals);
            } else {
                for (value, region, scope) in context.field_values(arg, &sink.fields, call.scope) {
                    context.literals(value, region, scope, 0, false, &mut literals);
                }
            }
            for literal in literals {
                if reported.contains(&literal.span) || self.allowed(&literal.secret) {
                    continue;
                }
                reported.push(literal.span);
                let mut severity = self.meta.severity;
                if input.context.is_test || facts.in_test_region(literal.span) {
                    severity = severity.downgraded();
                }
                let api = sink.api_name(call);
                let (message, help) = if literal.fallback {
                    (
                        format!("Hardcoded fallback key passed to `{api}`"),
                        "Fail at start-up when the key is not configured instead of falling back to a literal, and rotate this key: it is already exposed.",
                    )
                } else {
                    (
                        format!("Hardcoded key passed to `{api}`"),
                        "Read the key from an environment variable or a secret manager at start-up, and rotate it: it is already exposed.",
                    )
                };
                findings.push(
                    Finding::new(ID, severity, literal.span, message)
                        .with_help(help)
                        .with_secret(literal.secret, literal.span),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KeywordHits;
    use crate::hand_facts::Source;
    use miroguard_core::{FileContext, Severity};

    trait Check {
        /// Runs the rule as the engine does, keywords first: (message, reported text, severity).
        fn check(&self, path: &str) -> Vec<(String, String, Severity)>;
    }

    impl Check for Source {
        fn check(&self, path: &str) -> Vec<(String, String, Severity)> {
            let rule = HardcodedSigningKey::new(&[]).expect("built-in rule loads");
            let hits = self.keyword_hits(&rule.keywords);
            let context = FileContext::from_display_path(path);
            let input = FileInput {
                context: &context,
                text: &self.text,
                keywords: KeywordHits::new(&hits),
                facts: Some(&self.facts),
                parse_failed: false,
                memo: &crate::FileMemo::default(),
            };
            let needs_facts = rule.needs_facts(&input);
            assert!(!needs_facts || hits.iter().any(|h| *h), "a parse without a keyword");
            let mut findings = Vec::new();
            rule.check(&input, &mut findings);
            // The lexical gate is sound: it never skips a file the rule reports on.
            assert!(
                needs_facts || findings.is_empty(),
                "the call-site gate skipped a finding"
            );
            findings
                .into_iter()
                .map(|f| {
                    assert_eq!(f.secret_span, Some(f.span));
                    assert_eq!(f.secret.as_deref(), Some(f.span.text(&self.text)));
                    (f.message, f.span.text(&self.text).to_string(), f.severity)
                })
                .collect()
        }
    }

    fn messages(found: &[(String, String, Severity)]) -> Vec<(&str, &str)> {
        found.iter().map(|(m, t, _)| (m.as_str(), t.as_str())).collect()
    }

    #[test]
    fn every_sink_is_valid_and_has_keywords() {
        let file: RuleFile = toml::from_str(TOML).expect("toml parses");
        assert!(file.sinks.len() >= 20);
        for spec in &file.sinks {
            validate_sink(spec).expect("valid sink");
            // Whatever must be written for the sink to match contains a keyword.
            let lower_has_keyword = |text: &str| {
                spec.keywords
                    .iter()
                    .any(|k| text.to_ascii_lowercase().contains(k.as_str()))
            };
            // An import writes the module's name, and a call every segment of
            // the path it uses (`{ SignJWT }`, `jose.SignJWT`).
            let callee = spec.callee.as_deref().unwrap_or_default();
            // So is the field the key sits in (`secretOrKey: …`, `opts.secretOrKey = …`).
            let fields_have_keyword = !spec.fields.is_empty() && spec.fields.iter().all(|f| lower_has_keyword(f));
            let callee_has_keyword = fields_have_keyword || (!callee.is_empty() && lower_has_keyword(callee));
            for module in spec.modules.iter().chain(&spec.plugin) {
                assert!(
                    lower_has_keyword(module) || callee_has_keyword,
                    "{}: neither module {module} nor the callee has a keyword",
                    spec.api
                );
            }
            for name in &spec.names {
                let first = name.split('.').next().unwrap_or_default();
                let last = name.rsplit('.').next().unwrap_or_default();
                assert!(
                    callee_has_keyword
                        || lower_has_keyword(first)
                        || lower_has_keyword(last)
                        || lower_has_keyword(name),
                    "{}: name {name} has no keyword",
                    spec.api
                );
            }
            if spec.language == SinkLanguage::Rust {
                assert!(lower_has_keyword(callee), "{}: callee has no keyword", spec.api);
            }
        }
        let rule = HardcodedSigningKey::new(&[]).expect("loads");
        assert!(rule.keywords.iter().all(|k| *k == k.to_ascii_lowercase()));
    }

    #[test]
    fn invalid_sinks_are_rejected() {
        let spec = |language, callee: Option<&str>, modules: &[&str], keywords: &[&str]| SinkSpec {
            language,
            api: "x".into(),
            library: "x".into(),
            callee: callee.map(str::to_string),
            modules: modules.iter().map(|s| s.to_string()).collect(),
            names: Vec::new(),
            method: None,
            plugin: Vec::new(),
            argument: 0,
            fields: Vec::new(),
            keywords: keywords.iter().map(|s| s.to_string()).collect(),
        };
        assert!(validate_sink(&spec(SinkLanguage::Js, Some("sign"), &["jsonwebtoken"], &["jwt"])).is_ok());
        assert!(validate_sink(&spec(SinkLanguage::Js, Some("sign"), &[], &["jwt"])).is_err());
        assert!(validate_sink(&spec(SinkLanguage::Js, Some("sign"), &["m"], &[])).is_err());
        assert!(validate_sink(&spec(SinkLanguage::Js, Some("sign"), &["m"], &["JWT"])).is_err());
        assert!(validate_sink(&spec(SinkLanguage::Rust, None, &[], &["k"])).is_err());
        assert!(validate_sink(&spec(SinkLanguage::Rust, Some("Key::from"), &["cookie"], &["k"])).is_err());
        let unknown_key = "[rule]\nid = \"x\"\n[[sinks]]\nlanguage = \"js\"\nfoo = 1\n";
        assert!(toml::from_str::<RuleFile>(unknown_key).is_err());
    }

    /// `app.use(session({ secret: 'keyboard cat' }))`, lowered by hand.
    fn express_session_with_literal_secret() -> Source {
        let mut s = Source::new(
            "import session from 'express-session';\napp.use(session({ secret: 'keyboard cat', resave: false }));\n",
        );
        s.import("express-session", "default", "session");
        let secret = s.string("'keyboard cat'", 0);
        let options = s.object(&[("secret", "secret: 'keyboard cat'", secret)]);
        s.call(
            &["session"],
            "session({ secret: 'keyboard cat', resave: false })",
            "session",
            vec![options],
        );
        s
    }

    #[test]
    fn express_session_secret_whatever_it_looks_like() {
        let s = express_session_with_literal_secret();
        assert_eq!(
            messages(&s.check("src/app.ts")),
            [("Hardcoded key passed to `session({ secret })`", "keyboard cat")]
        );
    }

    #[test]
    fn type_declarations_are_not_checked() {
        // DOM's `sign(algorithm, key, data)` is declared, never called, in a `.d.ts`.
        let s = express_session_with_literal_secret();
        assert!(s.check("types/app.d.ts").is_empty());
        assert_eq!(s.check("src/app.ts").len(), 1);
    }

    #[test]
    fn a_constant_is_reported_at_its_literal() {
        let mut s = Source::new(
            "const jwt = require('jsonwebtoken');\nconst SECRET = 'abc';\nfunction f(p) { return jwt.sign(p, SECRET); }\n",
        );
        s.import("jsonwebtoken", "*", "jwt");
        let abc = s.string("'abc'", 0);
        s.bind(BindingKind::Variable, &["SECRET"], "SECRET = 'abc'", abc, 0);
        let body = s.scope(0, "{ return jwt.sign(p, SECRET); }");
        s.call_on(
            &["jwt", "sign"],
            None,
            "jwt.sign(p, SECRET)",
            "jwt.sign",
            vec![Value::Ident("p".into()), Value::Ident("SECRET".into())],
            body,
        );
        assert_eq!(
            messages(&s.check("src/auth.js")),
            [("Hardcoded key passed to `jwt.sign`", "abc")]
        );
    }

    #[test]
    fn reassigned_or_redeclared_names_are_not_followed() {
        let mut s = Source::new("let SECRET = 'abc';\nSECRET = process.env.S;\njwt.sign(p, SECRET);\n");
        let abc = s.string("'abc'", 0);
        s.bind(BindingKind::Variable, &["SECRET"], "SECRET = 'abc'", abc, 0);
        s.bind(
            BindingKind::Assignment,
            &["SECRET"],
            "SECRET = process.env.S",
            Value::Member(vec!["process".into(), "env".into(), "S".into()]),
            0,
        );
        s.call(
            &["jwt", "sign"],
            "jwt.sign(p, SECRET)",
            "jwt.sign",
            vec![Value::Ident("p".into()), Value::Ident("SECRET".into())],
        );
        assert!(s.check("a.js").is_empty());
    }

    #[test]
    fn environment_values_and_empty_strings_are_fine_but_literal_fallbacks_are_not() {
        let mut s = Source::new(
            "jwt.sign(p, process.env.JWT_SECRET);\njwt.verify(t, '');\njwt.verify(t, process.env.JWT_SECRET || 'dev-secret');\n",
        );
        let env = Value::Member(vec!["process".into(), "env".into(), "JWT_SECRET".into()]);
        s.call(
            &["jwt", "sign"],
            "jwt.sign(p, process.env.JWT_SECRET)",
            "jwt.sign",
            vec![Value::Ident("p".into()), env.clone()],
        );
        let empty = s.string("''", 0);
        s.call(
            &["jwt", "verify"],
            "jwt.verify(t, '')",
            "jwt.verify",
            vec![Value::Ident("t".into()), empty],
        );
        let dev = s.string("'dev-secret'", 0);
        s.call(
            &["jwt", "verify"],
            "jwt.verify(t, process.env.JWT_SECRET || 'dev-secret')",
            "jwt.verify",
            vec![Value::Ident("t".into()), Value::Alternatives(vec![env, dev])],
        );
        assert_eq!(
            messages(&s.check("a.js")),
            [("Hardcoded fallback key passed to `jwt.verify`", "dev-secret")]
        );
    }

    #[test]
    fn imports_decide_what_a_name_is() {
        // `jwt` imported from another module is not jsonwebtoken; `sign` imported from it is.
        let mut s = Source::new(
            "import jwt from './my-jwt';\nimport { sign as s } from 'jsonwebtoken';\njwt.sign(p, 'one');\ns(p, 'two');\n",
        );
        s.import("./my-jwt", "default", "jwt");
        s.import("jsonwebtoken", "sign", "s");
        let one = s.string("'one'", 0);
        s.call(
            &["jwt", "sign"],
            "jwt.sign(p, 'one')",
            "jwt.sign",
            vec![Value::Ident("p".into()), one],
        );
        let two = s.string("'two'", 0);
        s.call(&["s"], "s(p, 'two')", "s", vec![Value::Ident("p".into()), two]);
        assert_eq!(
            messages(&s.check("a.ts")),
            [("Hardcoded key passed to `jwt.sign`", "two")]
        );
    }

    #[test]
    fn jose_builders_and_text_encoders() {
        let mut s = Source::new(
            "import { SignJWT } from 'jose';\nconst key = new TextEncoder().encode('s3');\nawait new SignJWT(p).setProtectedHeader(h).sign(key);\n",
        );
        s.import("jose", "SignJWT", "SignJWT");
        let encoder = s.call(&["TextEncoder"], "new TextEncoder()", "TextEncoder", vec![]);
        let s3 = s.string("'s3'", 0);
        let encoded = s.call_on(
            &["encode"],
            Some(encoder),
            "new TextEncoder().encode('s3')",
            "encode",
            vec![s3],
            0,
        );
        s.bind(
            BindingKind::Variable,
            &["key"],
            "key = new TextEncoder().encode('s3')",
            encoded,
            0,
        );
        let builder = s.call(
            &["SignJWT"],
            "new SignJWT(p)",
            "SignJWT",
            vec![Value::Ident("p".into())],
        );
        let header = s.call_on(
            &["setProtectedHeader"],
            Some(builder),
            "new SignJWT(p).setProtectedHeader(h)",
            "setProtectedHeader",
            vec![Value::Ident("h".into())],
            0,
        );
        s.call_on(
            &["sign"],
            Some(header),
            "new SignJWT(p).setProtectedHeader(h).sign(key)",
            ".sign",
            vec![Value::Ident("key".into())],
            0,
        );
        assert_eq!(
            messages(&s.check("a.ts")),
            [("Hardcoded key passed to `new SignJWT(…).sign`", "s3")]
        );
    }

    #[test]
    fn fastify_plugins_and_field_assignments() {
        let mut s = Source::new(
            "const opts = {};\nopts.secretOrKey = 'pp';\npassport.use(new JwtStrategy(opts, verify));\nfastify.register(require('@fastify/cookie'), { secret: 'ck' });\nfastify.register(other, { secret: 'no' });\n",
        );
        let empty = Value::Object(vec![]);
        s.bind(BindingKind::Variable, &["opts"], "opts = {}", empty, 0);
        let pp = s.string("'pp'", 0);
        s.bind(
            BindingKind::Assignment,
            &["opts", "secretOrKey"],
            "opts.secretOrKey = 'pp'",
            pp,
            0,
        );
        s.call(
            &["JwtStrategy"],
            "new JwtStrategy(opts, verify)",
            "JwtStrategy",
            vec![Value::Ident("opts".into()), Value::Ident("verify".into())],
        );
        let module = s.string("'@fastify/cookie'", 0);
        let required = s.call(&["require"], "require('@fastify/cookie')", "require", vec![module]);
        let ck = s.string("'ck'", 0);
        let options = s.object(&[("secret", "secret: 'ck'", ck)]);
        s.call(
            &["fastify", "register"],
            "fastify.register(require('@fastify/cookie'), { secret: 'ck' })",
            "fastify.register",
            vec![required, options],
        );
        let no = s.string("'no'", 0);
        let options = s.object(&[("secret", "secret: 'no'", no)]);
        s.call(
            &["fastify", "register"],
            "fastify.register(other, { secret: 'no' })",
            "fastify.register",
            vec![Value::Ident("other".into()), options],
        );
        assert_eq!(
            messages(&s.check("server.js")),
            [
                ("Hardcoded key passed to `new JwtStrategy({ secretOrKey })`", "pp"),
                ("Hardcoded key passed to `register(cookie, { secret })`", "ck"),
            ]
        );
    }

    #[test]
    fn rust_byte_strings_arrays_and_statics() {
        let mut s = Source::new(
            "static KEY: [u8; 32] = [7u8; 32];\nfn main() {\n    let a = Key::from(&[0u8; 64]);\n    let b = Hmac::<Sha256>::new_from_slice(b\"mac key\");\n    let c = Aes256Gcm::new_from_slice(&KEY);\n    let d = Key::generate();\n    let mut buf = [0u8; 32];\n    rng.fill_bytes(&mut buf);\n    let f = ChaCha20Poly1305::new_from_slice(&buf);\n    let e = serde_json::from_slice(b\"{}\");\n}\n",
        );
        let seven = Value::Array(vec![Value::Number("7u8".into())]);
        s.bind(BindingKind::Variable, &["KEY"], "KEY: [u8; 32] = [7u8; 32];", seven, 0);
        let body = s.scope(0, "{\n    let a");
        let zeros = Value::Array(vec![Value::Number("0u8".into())]);
        s.call_on(
            &["Key", "from"],
            None,
            "Key::from(&[0u8; 64])",
            "Key::from",
            vec![zeros],
            body,
        );
        let mac = s.string("b\"mac key\"", 0);
        s.call_on(
            &["Hmac", "new_from_slice"],
            None,
            "Hmac::<Sha256>::new_from_slice(b\"mac key\")",
            "Hmac::<Sha256>::new_from_slice",
            vec![mac],
            body,
        );
        s.call_on(
            &["Aes256Gcm", "new_from_slice"],
            None,
            "Aes256Gcm::new_from_slice(&KEY)",
            "Aes256Gcm::new_from_slice",
            vec![Value::Ident("KEY".into())],
            body,
        );
        s.call_on(
            &["Key", "generate"],
            None,
            "Key::generate()",
            "Key::generate",
            vec![],
            body,
        );
        let random = Value::Array(vec![Value::Number("0u8".into())]);
        s.bind(BindingKind::Variable, &["buf"], "let mut buf = [0u8; 32]", random, body);
        s.call_on(
            &["ChaCha20Poly1305", "new_from_slice"],
            None,
            "ChaCha20Poly1305::new_from_slice(&buf)",
            "ChaCha20Poly1305::new_from_slice",
            vec![Value::Ident("buf".into())],
            body,
        );
        let json = s.string("b\"{}\"", 0);
        s.call_on(
            &["serde_json", "from_slice"],
            None,
            "serde_json::from_slice(b\"{}\")",
            "serde_json::from_slice",
            vec![json],
            body,
        );
        assert_eq!(
            messages(&s.check("src/main.rs")),
            [
                ("Hardcoded key passed to `Key::from`", "[0u8; 64]"),
                ("Hardcoded key passed to `Hmac::new_from_slice`", "mac key"),
                ("Hardcoded key passed to `Aes256Gcm::new_from_slice`", "[7u8; 32]"),
            ]
        );
    }

    #[test]
    fn one_finding_per_literal_and_test_code_drops_a_level() {
        let mut s = Source::new(
            "import { createHmac } from 'crypto';\nconst K = Buffer.from('kk');\ncreateHmac('sha256', K);\ncreateHmac('sha1', K);\n",
        );
        s.import("crypto", "createHmac", "createHmac");
        let kk = s.string("'kk'", 0);
        let buffer = s.call(&["Buffer", "from"], "Buffer.from('kk')", "Buffer.from", vec![kk]);
        s.bind(BindingKind::Variable, &["K"], "K = Buffer.from('kk')", buffer, 0);
        for alg in ["'sha256'", "'sha1'"] {
            let alg_value = s.string(alg, 0);
            let written = format!("createHmac({alg}, K)");
            s.call(
                &["createHmac"],
                &written,
                "createHmac",
                vec![alg_value, Value::Ident("K".into())],
            );
        }
        let found = s.check("test/hmac.test.js");
        assert_eq!(messages(&found), [("Hardcoded key passed to `createHmac`", "kk")]);
        assert_eq!(found[0].2, Severity::Warning);
    }

    #[test]
    fn the_call_site_gate_needs_a_module_or_a_written_callee() {
        let rule = HardcodedSigningKey::new(&[]).expect("built-in rule loads");
        let js = |text: &str| rule.call_sites.may_match(text, SinkLanguage::Js);
        let rust = |text: &str| rule.call_sites.may_match(text, SinkLanguage::Rust);
        assert!(js("import jwt from \"jsonwebtoken\";\njwt.sign(p, k)"));
        assert!(js("import { sign as s } from 'jsonwebtoken';"));
        assert!(js("const c = require('node:crypto'); c.createHmac('sha256', k)"));
        assert!(js("import session from 'express-session'; app.use(sess(o))"));
        assert!(!js("const c = require('crypto'); c.createHash('md5')"));
        assert!(!js("import jwt from 'jsonwebtoken'; jwt.decode(t)"));
        assert!(js("app.use(session({ secret: s }))"));
        assert!(js("jwt\n  .sign (p, k)"));
        assert!(!js("const session = getSession(req); // jwt, cipher, hmac"));
        assert!(!js("user.session(x)"));
        assert!(rust("let key = Key::<Aes256Gcm>::from_slice(b\"k\");"));
        assert!(rust("let mac = HmacSha256::new_from_slice(&k)?;"));
        assert!(rust("let k = hmac::Key::new(hmac::HMAC_SHA256, b\"k\");"));
        assert!(!rust("let s = String::from(\"key\"); let k = Key::generate();"));
        assert!(!rust("fn from_secret() {}"));
    }

    #[test]
    fn public_keys_are_not_secrets() {
        assert!(is_public_key_material(
            "-----BEGIN PUBLIC KEY-----\nMFww…\n-----END PUBLIC KEY-----"
        ));
        assert!(is_public_key_material("-----BEGIN CERTIFICATE-----"));
        assert!(!is_public_key_material("-----BEGIN PRIVATE KEY-----"));
    }

    #[test]
    fn argument_regions_split_at_top_level_commas() {
        let text = "f(a(1, 2), 'x,y', [3, 4])";
        let call = Call {
            callee: vec!["f".into()],
            receiver: None,
            args: vec![],
            span: Span::new(0, text.len()),
            callee_span: Span::new(0, 1),
            is_macro: false,
            is_new: false,
            scope: 0,
        };
        let region = |i| argument_region(text, &call, i).map(|s| s.text(text).to_string());
        assert_eq!(region(0).as_deref(), Some("a(1, 2)"));
        assert_eq!(region(1).as_deref(), Some("'x,y'"));
        assert_eq!(region(2).as_deref(), Some("[3, 4]"));
        assert_eq!(region(3), None);
        let array = argument_region(text, &call, 2).and_then(|r| array_in(text, r));
        assert_eq!(array.map(|s| s.text(text)), Some("[3, 4]"));
    }

    #[test]
    fn the_user_allowlist_applies() {
        let allow = miroguard_core::config::compile_whole_value_regex("keyboard.*").expect("valid");
        let rule = HardcodedSigningKey::new(&[allow]).expect("loads");
        assert!(rule.allowed("keyboard cat"));
        assert!(!rule.allowed("dev-secret"));
    }
}
