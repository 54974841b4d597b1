//! `weak-cipher` (C-CRYPTO-1): encryption with a broken cipher, ECB mode,
//! Node's password-based `createCipher`, a short RSA or symmetric key, AES-GCM
//! decryption that never checks the tag, and — as a note — unauthenticated
//! AES-CBC/CTR in a file that computes no MAC.
//!
//! The rule reports where an algorithm reaches an encryption API, never where
//! a name merely occurs: a JS algorithm argument is followed to the literals
//! it can be (through variables, class properties, object fields and
//! templates) and each is classified by the tables in `rules/weak-cipher.toml`;
//! a Rust call is judged by the types written in its path and generic
//! arguments, after `use` renames, glob imports and `type` aliases.

use crate::crypto::{normalize, parse_number};
use crate::syntax::{is_ident_byte, normalize_module, required_module};
use crate::{FileInput, Rule};
use miroguard_core::{Finding, RuleMeta, Severity, Span};
use miroguard_ir::flow::{Destination, Flow};
use miroguard_ir::{Binding, BindingKind, Call, CallId, Facts, ImportKind, ScopeId, ScopeKind, TemplatePart, Value};
use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;

/// The rule's id.
pub const ID: &str = "weak-cipher";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/weak-cipher.toml"));

/// How many identifiers, fields and aliases a value is followed through.
const MAX_DEPTH: usize = 8;
/// How many values one argument is allowed to have: a template of several
/// alternatives multiplies them.
const MAX_CANDIDATES: usize = 16;

/// Methods whose result is the text of their receiver in another case or trimmed.
const CONVERSIONS: &[&str] = &["toLowerCase", "toUpperCase", "toString", "trim", "valueOf"];

/// JS functions that read a stream into a decipher without handing the decipher on.
const STREAM_PLUMBING: &[&str] = &["pipe", "pipeline"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    limits: Limits,
    keywords: KeywordLists,
    weak: Vec<WeakSpec>,
    names: Names,
    rust_types: Vec<RustTypeSpec>,
    rust_key_sizes: Vec<RustKeySizeSpec>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Limits {
    asymmetric_bits: u64,
    symmetric_bits: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeywordLists {
    js: Vec<String>,
    rust: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WeakSpec {
    family: String,
    prefixes: Vec<String>,
    reason: String,
}

/// `[names]`: the tokens cipher names are classified by (see the TOML's header).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Names {
    strong: Vec<String>,
    stream: Vec<String>,
    implicit_cbc: Vec<String>,
    ecb: Vec<String>,
    unauthenticated: Vec<String>,
    authenticated: Vec<String>,
    aead: Vec<String>,
}

impl Names {
    fn has(list: &[String], token: &str) -> bool {
        list.iter().any(|t| t == token)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RustTypeSpec {
    path: String,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    mode: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RustKeySizeSpec {
    path: String,
    argument: usize,
    key: String,
}

/// A weak cipher family.
#[derive(Debug)]
struct Family {
    name: String,
    /// Token sequences a cipher name of the family starts with.
    prefixes: Vec<Vec<String>>,
    reason: String,
}

/// What a Rust type makes a call.
#[derive(Debug)]
enum RustTypeKind {
    Family(usize),
    Mode(String),
}

#[derive(Debug)]
struct RustType {
    path: Vec<String>,
    kind: RustTypeKind,
}

#[derive(Debug)]
struct RustKeySize {
    path: Vec<String>,
    argument: usize,
    key: String,
}

/// What a cipher name (or a Rust type) amounts to.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Verdict {
    /// A weak cipher: index into the families.
    Weak(usize),
    /// ECB mode of any cipher.
    Ecb,
    /// A strong cipher in a mode without authentication; the label says which (`AES-CBC`).
    Unauthenticated(String),
    /// An authenticated mode whose decryption needs the tag.
    Aead,
    /// An authenticated or otherwise acceptable cipher.
    Fine,
    /// Not a cipher name the rule knows.
    Unknown,
}

impl Verdict {
    /// How bad it is, to keep the worst of several possible values of one argument.
    fn rank(&self) -> u8 {
        match self {
            Verdict::Weak(_) => 4,
            Verdict::Ecb => 3,
            Verdict::Unauthenticated(_) => 1,
            Verdict::Aead | Verdict::Fine | Verdict::Unknown => 0,
        }
    }
}

/// The rule.
pub struct WeakCipher {
    meta: RuleMeta,
    /// The JS keywords, then the Rust ones.
    keywords: Vec<String>,
    js_keywords: usize,
    limits: Limits,
    families: Vec<Family>,
    names: Names,
    rust_types: Vec<RustType>,
    rust_key_sizes: Vec<RustKeySize>,
    type_alias: Regex,
}

fn lowercase_list(list: &[String], what: &str) -> Result<(), String> {
    match list.iter().find(|k| k.is_empty() || **k != k.to_ascii_lowercase()) {
        Some(bad) => Err(format!("{what} `{bad}` must be non-empty and lowercase")),
        None => Ok(()),
    }
}

impl WeakCipher {
    /// The rule with its tables from `rules/weak-cipher.toml`.
    pub fn new() -> Result<WeakCipher, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        lowercase_list(&file.keywords.js, "keyword")?;
        lowercase_list(&file.keywords.rust, "keyword")?;
        let names = file.names;
        for list in [
            &names.strong,
            &names.stream,
            &names.implicit_cbc,
            &names.ecb,
            &names.unauthenticated,
            &names.authenticated,
            &names.aead,
        ] {
            lowercase_list(list, "name token")?;
        }
        let families: Vec<Family> = file
            .weak
            .into_iter()
            .map(|spec| Family {
                prefixes: spec.prefixes.iter().map(|p| tokens(p)).collect(),
                name: spec.family,
                reason: spec.reason,
            })
            .collect();
        if let Some(family) = families
            .iter()
            .find(|f| f.prefixes.is_empty() || f.prefixes.iter().any(Vec::is_empty))
        {
            return Err(format!("weak family `{}` needs non-empty prefixes", family.name));
        }
        let mut rust_types = Vec::with_capacity(file.rust_types.len());
        for spec in file.rust_types {
            let kind = match (&spec.family, &spec.mode) {
                (Some(family), None) => RustTypeKind::Family(
                    families
                        .iter()
                        .position(|f| f.name == *family)
                        .ok_or_else(|| format!("rust type `{}`: unknown family `{family}`", spec.path))?,
                ),
                (None, Some(mode)) if Names::has(&names.ecb, mode) || Names::has(&names.unauthenticated, mode) => {
                    RustTypeKind::Mode(mode.clone())
                }
                _ => {
                    return Err(format!(
                        "rust type `{}` needs exactly one of `family` and an `ecb` or `unauthenticated` `mode`",
                        spec.path
                    ));
                }
            };
            rust_types.push(RustType {
                path: spec.path.split("::").map(str::to_string).collect(),
                kind,
            });
        }
        let rust_key_sizes = file
            .rust_key_sizes
            .into_iter()
            .map(|spec| RustKeySize {
                path: spec.path.split("::").map(str::to_string).collect(),
                argument: spec.argument,
                key: spec.key,
            })
            .collect();
        let js_keywords = file.keywords.js.len();
        let mut keywords = file.keywords.js;
        keywords.extend(file.keywords.rust);
        let type_alias = Regex::new(r"\btype\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:<[^=;]*>)?\s*=\s*([^;]+);")
            .map_err(|e| e.to_string())?;
        Ok(WeakCipher {
            meta: file.rule,
            keywords,
            js_keywords,
            limits: file.limits,
            families,
            names,
            rust_types,
            rust_key_sizes,
            type_alias,
        })
    }

    /// Classifies a cipher name as node's `crypto` (OpenSSL), node-forge,
    /// WebCrypto or openssl's `Cipher::<name>()` spell it. `*` stands for a
    /// part of a template that is not known.
    fn classify(&self, name: &str) -> Verdict {
        let mut tokens = tokens(name);
        if tokens.first().is_some_and(|t| t == "id") {
            tokens.remove(0);
        }
        let Some(first) = tokens.first() else {
            return Verdict::Unknown;
        };
        let weak = self
            .families
            .iter()
            .enumerate()
            .flat_map(|(index, family)| family.prefixes.iter().map(move |prefix| (index, prefix)))
            .filter(|(_, prefix)| tokens.starts_with(prefix))
            .max_by_key(|(_, prefix)| prefix.len());
        if let Some((index, _)) = weak {
            return Verdict::Weak(index);
        }
        let names = &self.names;
        let rest = &tokens[1..];
        let has = |list: &[String]| rest.iter().find(|t| Names::has(list, t));
        if has(&names.ecb).is_some() {
            return Verdict::Ecb;
        }
        let strong = Names::has(&names.strong, first);
        let stream = Names::has(&names.stream, first);
        if !strong && !stream {
            return Verdict::Unknown;
        }
        if has(&names.authenticated).is_some() {
            return if has(&names.aead).is_some() {
                Verdict::Aead
            } else {
                Verdict::Fine
            };
        }
        let base = first
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .to_ascii_uppercase();
        if let Some(mode) = has(&names.unauthenticated) {
            let mode = mode.trim_end_matches(|c: char| c.is_ascii_digit()).to_ascii_uppercase();
            return Verdict::Unauthenticated(format!("{base}-{mode}"));
        }
        let mode_written = rest.iter().any(|t| !t.chars().all(|c| c.is_ascii_digit()));
        if mode_written {
            Verdict::Unknown
        } else if Names::has(&names.implicit_cbc, first) {
            Verdict::Unauthenticated(format!("{base}-CBC"))
        } else if stream {
            Verdict::Unauthenticated(format!("{} without Poly1305", first.to_ascii_uppercase()))
        } else {
            Verdict::Unknown
        }
    }

    fn family_named(&self, name: &str) -> Option<usize> {
        self.families.iter().position(|f| f.name == name)
    }

    /// Whether the file is in a language the rule checks and a keyword of
    /// that language occurs where code can use it. The same test gates the
    /// parse and the check, so the rule finds the same whoever asked for Facts.
    fn may_fire(&self, input: &FileInput<'_>) -> bool {
        let language = input.context.language;
        if input.context.is_type_declarations() {
            false
        } else if language.is_js_family() {
            (0..self.js_keywords).any(|i| input.keywords.contains(i)) && js_may_match(input.text)
        } else if language == miroguard_core::Language::Rust {
            self.rust_may_match(input.text, |i| input.keywords.contains(i))
        } else {
            false
        }
    }

    /// Rust: a crate the rule knows written as a path (`des::`, `symm::`), not
    /// a longer name that ends like one (`block_modes::` is not `des::`). The
    /// Rust keywords are those paths, and the rule finds a type or function
    /// only where its crate is written so.
    fn rust_may_match(&self, text: &str, hit: impl Fn(usize) -> bool) -> bool {
        self.keywords
            .iter()
            .enumerate()
            .skip(self.js_keywords)
            .any(|(i, krate)| hit(i) && occurs_as_word_start(text, krate))
    }
}

/// A cipher name's tokens: lowercase, split at `-`, `_`, `/` and spaces.
fn tokens(name: &str) -> Vec<String> {
    name.split(['-', '_', '/', ' '])
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Whether `needle` occurs in `text` not preceded by an identifier character.
fn occurs_as_word_start(text: &str, needle: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, needle.as_bytes()).any(|at| at == 0 || !is_ident_byte(bytes[at - 1]))
}

/// JS: an API name as an identifier (JS is case-sensitive), `CryptoJS`, a
/// global `forge.`, or one of the libraries imported by its quoted name.
fn js_may_match(text: &str) -> bool {
    const APIS: &[&str] = &[
        "createCipher",
        "createDecipher",
        "generateKey",
        "importKey",
        "unwrapKey",
        "deriveKey",
        "CryptoJS",
        "forge.",
    ];
    const MODULES: &[&str] = &["crypto-js", "node-forge", "node-rsa"];
    APIS.iter().any(|api| occurs_as_word_start(text, api))
        || MODULES.iter().any(|module| {
            ['"', '\'', '`']
                .iter()
                .any(|quote| text.contains(&format!("{quote}{module}")))
        })
}

/// How serious a problem is before test code lowers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Error,
    Note,
}

/// One finding to be, with the rank that picks the worst problem of a call.
struct Problem {
    rank: u8,
    level: Level,
    span: Span,
    message: String,
    help: &'static str,
}

const HELP_CIPHER: &str =
    "Use AES-256-GCM or ChaCha20-Poly1305 with a random nonce, and re-encrypt data protected with the old cipher.";
const HELP_UNAUTHENTICATED: &str = "Use AES-256-GCM or ChaCha20-Poly1305; to keep CBC or CTR, compute an HMAC over the IV and ciphertext (encrypt-then-MAC) and verify it before decrypting.";
const HELP_CREATE_CIPHER: &str = "Use `crypto.createCipheriv` with AES-256-GCM, a random 12-byte IV per message and a key from `crypto.scryptSync` or a secret manager.";
const HELP_KEY_SIZE: &str = "Generate RSA keys of 3072 bits (2048 at the least) and AES keys of 256 bits.";
const HELP_TAG: &str = "Store the tag from `cipher.getAuthTag()` with the ciphertext, pass it to `decipher.setAuthTag(tag)` before `final()`, and reject the message when `final()` throws.";

/// The constant, property or field a value was reached through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via<'a> {
    Name(&'a str),
    Member(&'a [String]),
}

impl std::fmt::Display for Via<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Via::Name(name) => f.write_str(name),
            Via::Member(path) => f.write_str(&path.join(".")),
        }
    }
}

/// A value an argument can have: its text, the literal it was written as
/// (none for templates and numbers), and the name it was reached through.
#[derive(Clone, Debug)]
struct Candidate<'a> {
    text: String,
    literal: Option<Span>,
    via: Option<Via<'a>>,
}

/// A value that could not be followed further, with where it is evaluated.
#[derive(Clone, Copy, Debug)]
struct Leaf<'a> {
    value: &'a Value,
    scope: ScopeId,
    at: usize,
    via: Option<Via<'a>>,
}

/// A JS callee in module terms: the module its first name was imported from
/// (none for a global) and the path inside it.
#[derive(Debug)]
struct JsCallee<'a> {
    module: Option<&'a str>,
    path: Vec<&'a str>,
}

impl JsCallee<'_> {
    fn is(&self, module: Option<&str>, path: &[&str]) -> bool {
        self.module == module && self.path == path
    }
}

/// One file being checked.
struct Check<'a> {
    rule: &'a WeakCipher,
    facts: &'a Facts,
    text: &'a str,
    flow: &'a Flow<'a>,
    /// JS: local name → (module without `node:`, imported name: `default`, `*` or an export).
    imports: HashMap<&'a str, (&'a str, &'a str)>,
    /// Rust: local name → the full path it was imported as.
    uses: HashMap<&'a str, Vec<String>>,
    /// Rust: the paths of glob imports.
    globs: Vec<Vec<String>>,
    /// Rust: `type` alias → what it stands for.
    aliases: HashMap<&'a str, &'a str>,
    has_mac: std::cell::OnceCell<bool>,
}

impl<'a> Check<'a> {
    fn new(rule: &'a WeakCipher, facts: &'a Facts, text: &'a str, flow: &'a Flow<'a>, rust: bool) -> Check<'a> {
        let mut imports = HashMap::new();
        let mut uses = HashMap::new();
        let mut globs = Vec::new();
        let mut aliases = HashMap::new();
        for import in &facts.imports {
            for name in &import.names {
                if import.kind == ImportKind::Use {
                    let mut path: Vec<String> = import.source.split("::").map(str::to_string).collect();
                    if name.imported == "*" {
                        globs.push(path);
                    } else {
                        if name.imported != "self" {
                            path.push(name.imported.clone());
                        }
                        uses.entry(name.local.as_str()).or_insert(path);
                    }
                } else {
                    imports
                        .entry(name.local.as_str())
                        .or_insert((normalize_module(&import.source), name.imported.as_str()));
                }
            }
        }
        if rust {
            let inert: Vec<Span> = facts
                .comments
                .iter()
                .map(|c| c.span)
                .chain(facts.strings.iter().map(|s| s.span))
                .collect();
            for found in rule.type_alias.captures_iter(text) {
                let (Some(whole), Some(name), Some(target)) = (found.get(0), found.get(1), found.get(2)) else {
                    continue;
                };
                if inert.iter().any(|s| s.start <= whole.start() && whole.start() < s.end) {
                    continue;
                }
                aliases.entry(name.as_str()).or_insert(target.as_str());
            }
        }
        Check {
            rule,
            facts,
            text,
            flow,
            imports,
            uses,
            globs,
            aliases,
            has_mac: std::cell::OnceCell::new(),
        }
    }

    fn call(&self, id: CallId) -> Option<&'a Call> {
        self.facts.calls.get(id as usize)
    }

    fn binding(&self, id: u32) -> Option<&'a Binding> {
        self.facts.bindings.get(id as usize)
    }

    // ------------------------------------------------------------ values

    /// The binding `name` refers to at `at`, unless it is a parameter or has no value the Facts model.
    fn resolve(&self, name: &str, scope: ScopeId, at: usize) -> Option<&'a Binding> {
        let binding = self.binding(self.flow.resolve(name, scope, at)?)?;
        (binding.kind != BindingKind::Parameter && binding.value != Value::Unknown).then_some(binding)
    }

    /// Follows `value` through identifiers, class properties, object fields,
    /// alternatives and case conversions to the values it can be.
    fn leaves(
        &self,
        value: &'a Value,
        scope: ScopeId,
        at: usize,
        via: Option<Via<'a>>,
        depth: usize,
        out: &mut Vec<Leaf<'a>>,
    ) {
        if depth > MAX_DEPTH || out.len() >= MAX_CANDIDATES {
            return;
        }
        let leaf = Leaf { value, scope, at, via };
        match value {
            Value::Ident(name) => match self.resolve(name, scope, at) {
                Some(binding) => self.leaves(
                    &binding.value,
                    binding.scope,
                    binding.span.start,
                    via.or(Some(Via::Name(name.as_str()))),
                    depth + 1,
                    out,
                ),
                None => out.push(leaf),
            },
            Value::Member(path) => {
                let before = out.len();
                self.member_leaves(path, scope, at, via, depth, out);
                if out.len() == before {
                    out.push(leaf);
                }
            }
            Value::Alternatives(values) => {
                for value in values {
                    self.leaves(value, scope, at, via, depth + 1, out);
                }
            }
            Value::Call(id) => {
                let Some(call) = self.call(*id) else {
                    return;
                };
                let method = call.callee.last().map(String::as_str).unwrap_or_default();
                match (&call.receiver, call.callee.as_slice()) {
                    (Some(receiver), _) if CONVERSIONS.contains(&method) => {
                        self.leaves(receiver, call.scope, call.span.start, via, depth + 1, out);
                    }
                    (None, [name, _]) if CONVERSIONS.contains(&method) => {
                        match self.resolve(name, call.scope, call.span.start) {
                            Some(binding) => self.leaves(
                                &binding.value,
                                binding.scope,
                                binding.span.start,
                                via.or(Some(Via::Name(name.as_str()))),
                                depth + 1,
                                out,
                            ),
                            None => out.push(leaf),
                        }
                    }
                    (None, [name]) if name == "String" => {
                        if let Some(arg) = call.args.first() {
                            self.leaves(arg, call.scope, call.span.start, via, depth + 1, out);
                        }
                    }
                    _ => out.push(leaf),
                }
            }
            _ => out.push(leaf),
        }
    }

    /// The values of a member chain: `this.algorithm` (a class property or a
    /// `this.algorithm = …` in the class) or `config.cipher.algorithm` (fields of an object literal).
    fn member_leaves(
        &self,
        path: &'a [String],
        scope: ScopeId,
        at: usize,
        via: Option<Via<'a>>,
        depth: usize,
        out: &mut Vec<Leaf<'a>>,
    ) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        if first == "this" {
            if let [name] = rest {
                for binding in self.class_properties(name, scope) {
                    self.leaves(
                        &binding.value,
                        binding.scope,
                        binding.span.start,
                        via.or(Some(Via::Member(path))),
                        depth + 1,
                        out,
                    );
                }
            }
            return;
        }
        let Some(root) = self.resolve(first, scope, at) else {
            return;
        };
        let mut current = vec![Leaf {
            value: &root.value,
            scope: root.scope,
            at: root.span.start,
            via,
        }];
        for segment in rest {
            let mut next = Vec::new();
            for leaf in current {
                let mut objects = Vec::new();
                self.leaves(leaf.value, leaf.scope, leaf.at, leaf.via, depth + 1, &mut objects);
                for object in objects {
                    for field in self.fields_of(object.value, segment) {
                        next.push(Leaf {
                            value: &field.value,
                            scope: field.scope,
                            at: field.span.start,
                            via: via.or(Some(Via::Member(path))),
                        });
                    }
                }
            }
            current = next;
        }
        for leaf in current {
            self.leaves(leaf.value, leaf.scope, leaf.at, leaf.via, depth + 1, out);
        }
    }

    /// The fields named `name` of an object literal.
    fn fields_of(&self, value: &'a Value, name: &str) -> Vec<&'a Binding> {
        match value {
            Value::Object(ids) => ids
                .iter()
                .filter_map(|id| self.binding(*id))
                .filter(|b| b.name == name)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The fields named `name` of the objects `value` can be.
    fn fields(&self, value: &'a Value, scope: ScopeId, at: usize, name: &str) -> Vec<&'a Binding> {
        let mut leaves = Vec::new();
        self.leaves(value, scope, at, None, 0, &mut leaves);
        leaves
            .iter()
            .flat_map(|leaf| self.fields_of(leaf.value, name))
            .collect()
    }

    /// The class scope around `scope`, if any.
    fn class_of(&self, scope: ScopeId) -> Option<ScopeId> {
        let mut current = Some(scope);
        for _ in 0..=self.facts.scopes.len() {
            let id = current?;
            let found = self.facts.scopes.get(id as usize)?;
            if found.kind == ScopeKind::Class {
                return Some(id);
            }
            current = found.parent;
        }
        None
    }

    fn within(&self, scope: ScopeId, outer: ScopeId) -> bool {
        let mut current = Some(scope);
        for _ in 0..=self.facts.scopes.len() {
            match current {
                Some(id) if id == outer => return true,
                Some(id) => current = self.facts.scopes.get(id as usize).and_then(|s| s.parent),
                None => return false,
            }
        }
        false
    }

    /// A class property `name = …` or an assignment `this.name = …` in the class around `scope`.
    fn class_properties(&self, name: &str, scope: ScopeId) -> Vec<&'a Binding> {
        let Some(class) = self.class_of(scope) else {
            return Vec::new();
        };
        self.facts
            .bindings
            .iter()
            .filter(|b| {
                (b.kind == BindingKind::Field && b.scope == class && b.name == name)
                    || (b.kind == BindingKind::Assignment
                        && b.path.len() == 2
                        && b.path[0] == "this"
                        && b.name == name
                        && self.within(b.scope, class))
            })
            .collect()
    }

    /// The strings (and numbers, as text) `value` can be; a template's
    /// unknown parts are `*`.
    fn candidates(&self, value: &'a Value, scope: ScopeId, at: usize) -> Vec<Candidate<'a>> {
        let mut leaves = Vec::new();
        self.leaves(value, scope, at, None, 0, &mut leaves);
        let mut out = Vec::new();
        for leaf in leaves {
            match leaf.value {
                Value::Str(id) => {
                    if let Some(lit) = self.facts.strings.get(*id as usize) {
                        out.push(Candidate {
                            text: lit.value.clone(),
                            literal: Some(lit.span),
                            via: leaf.via,
                        });
                    }
                }
                Value::Number(n) => out.push(Candidate {
                    text: n.clone(),
                    literal: None,
                    via: leaf.via,
                }),
                Value::Template(parts) => {
                    let mut texts = vec![String::new()];
                    for part in parts {
                        let pieces: Vec<String> = match part {
                            TemplatePart::Str(id) => self
                                .facts
                                .strings
                                .get(*id as usize)
                                .map(|lit| vec![lit.value.clone()])
                                .unwrap_or_default(),
                            TemplatePart::Expr(expr) => {
                                let known: Vec<String> = self
                                    .candidates(expr, leaf.scope, leaf.at)
                                    .into_iter()
                                    .filter(|c| !c.text.contains('*'))
                                    .map(|c| c.text)
                                    .collect();
                                if known.is_empty() { vec!["*".to_string()] } else { known }
                            }
                        };
                        texts = texts
                            .iter()
                            .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                            .take(MAX_CANDIDATES)
                            .collect();
                    }
                    out.extend(texts.into_iter().map(|text| Candidate {
                        text,
                        literal: None,
                        via: leaf.via,
                    }));
                }
                _ => {}
            }
            if out.len() >= MAX_CANDIDATES {
                break;
            }
        }
        out
    }

    /// The integers `value` can be.
    fn numbers(&self, value: &'a Value, scope: ScopeId, at: usize) -> Vec<u64> {
        self.candidates(value, scope, at)
            .iter()
            .filter_map(|c| parse_number(&c.text))
            .collect()
    }

    /// The integers a field of the object `value` can be, each with the field.
    fn field_numbers(&self, value: &'a Value, scope: ScopeId, at: usize, name: &str) -> Vec<(u64, &'a Binding)> {
        self.fields(value, scope, at, name)
            .into_iter()
            .flat_map(|field| {
                self.numbers(&field.value, field.scope, field.span.start)
                    .into_iter()
                    .map(move |n| (n, field))
            })
            .collect()
    }

    /// The strings a field of the object `value` can be, each with the field.
    fn field_strings(
        &self,
        value: &'a Value,
        scope: ScopeId,
        at: usize,
        name: &str,
    ) -> Vec<(Candidate<'a>, &'a Binding)> {
        self.fields(value, scope, at, name)
            .into_iter()
            .flat_map(|field| {
                self.candidates(&field.value, field.scope, field.span.start)
                    .into_iter()
                    .map(move |c| (c, field))
            })
            .collect()
    }

    /// Where to report something about `call`: at `evidence` when it is
    /// written inside the call, else at the argument `arg` as written (a
    /// constant's name), else at the callee.
    fn at(&self, call: &Call, evidence: Option<Span>, arg: Option<&Value>) -> Span {
        if let Some(span) = evidence.filter(|span| call.span.contains(*span)) {
            return span;
        }
        arg.and_then(|arg| self.written_at(call, arg))
            .filter(|span| call.span.contains(*span))
            .unwrap_or(call.callee_span)
    }

    /// Where an argument of `call` is written: a literal or call by its
    /// span, a name by its first use between the call's parentheses.
    fn written_at(&self, call: &Call, arg: &Value) -> Option<Span> {
        let name = match arg {
            Value::Str(id) => return self.facts.strings.get(*id as usize).map(|lit| lit.span),
            Value::Call(id) => return self.call(*id).map(|c| c.span),
            Value::Ident(name) => name.as_str(),
            Value::Member(path) => path.first()?.as_str(),
            _ => return None,
        };
        let from = call.callee_span.end.max(call.span.start);
        let region = self.text.get(from..call.span.end)?;
        let bytes = region.as_bytes();
        let at = memchr::memmem::find_iter(bytes, name.as_bytes()).find(|&at| {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(at + name.len()).copied();
            !before.is_some_and(|b| is_ident_byte(b) || b == b'.') && !after.is_some_and(is_ident_byte)
        })?;
        Some(Span::new(from + at, from + at + name.len()))
    }

    // ------------------------------------------------------------ JS

    fn js_callee(&self, call: &'a Call) -> Option<JsCallee<'a>> {
        let path = || call.callee.iter().map(String::as_str);
        if let Some(receiver) = &call.receiver {
            return Some(JsCallee {
                module: Some(required_module(self.facts, receiver)?),
                path: path().collect(),
            });
        }
        let (first, rest) = call.callee.split_first()?;
        Some(match self.imports.get(first.as_str()) {
            Some(&(module, imported)) => {
                let mut path: Vec<&str> = Vec::new();
                if !matches!(imported, "default" | "*") {
                    path.push(imported);
                }
                path.extend(rest.iter().map(String::as_str));
                JsCallee {
                    module: Some(module),
                    path,
                }
            }
            None => JsCallee {
                module: None,
                path: path().collect(),
            },
        })
    }

    fn check_js_call(&self, id: CallId, call: &'a Call) -> Option<Problem> {
        let callee = self.js_callee(call)?;
        if let Some(function) = match (callee.module, callee.path.as_slice()) {
            (Some("crypto"), [function]) | (None, ["crypto", function]) => Some(*function),
            _ => None,
        } {
            return self.node_crypto(id, call, function);
        }
        let forge = match (callee.module, callee.path.as_slice()) {
            (Some("node-forge"), path) => Some(path),
            (None, ["forge", path @ ..]) => Some(path),
            _ => None,
        };
        if let Some(path) = forge {
            return self.forge(call, path);
        }
        let crypto_js: Option<Vec<&str>> = match (callee.module, callee.path.as_slice()) {
            (Some("crypto-js"), path) => Some(path.to_vec()),
            (Some(module), path) if module.starts_with("crypto-js/") => {
                let exported = match &module["crypto-js/".len()..] {
                    "tripledes" => "TripleDES",
                    "rc4" => "RC4",
                    "aes" => "AES",
                    _ => return None,
                };
                Some(std::iter::once(exported).chain(path.iter().copied()).collect())
            }
            (None, ["CryptoJS", path @ ..]) => Some(path.to_vec()),
            _ => None,
        };
        if let Some(path) = crypto_js {
            return self.crypto_js(call, &path);
        }
        if callee.is(Some("node-rsa"), &[]) {
            return self.node_rsa(call);
        }
        match call.callee.as_slice() {
            [.., subtle, method] if subtle == "subtle" => self.web_crypto(call, method),
            _ => None,
        }
    }

    /// The worst verdict of the cipher names `value` can be.
    fn worst_name(&self, value: &'a Value, call: &Call) -> Option<(Verdict, Candidate<'a>)> {
        self.candidates(value, call.scope, call.span.start)
            .into_iter()
            .map(|c| (self.rule.classify(&c.text), c))
            .filter(|(verdict, _)| *verdict != Verdict::Unknown)
            .max_by_key(|(verdict, _)| verdict.rank())
    }

    /// The problem of a cipher name, reported at `span`.
    fn name_problem(&self, verdict: &Verdict, candidate: &Candidate<'_>, span: Span) -> Option<Problem> {
        match verdict {
            Verdict::Weak(index) => {
                let family = self.rule.families.get(*index)?;
                Some(weak_problem(&describe(candidate, Some(&family.name)), family, span))
            }
            Verdict::Ecb => Some(ecb_problem(&describe(candidate, None), span)),
            Verdict::Unauthenticated(label) => self.unauthenticated_problem(&describe(candidate, Some(label)), span),
            Verdict::Aead | Verdict::Fine | Verdict::Unknown => None,
        }
    }

    /// A note on `described` (a name with its mode) unless the file computes a MAC.
    fn unauthenticated_problem(&self, described: &str, span: Span) -> Option<Problem> {
        if self.has_mac() {
            return None;
        }
        Some(Problem {
            rank: 1,
            level: Level::Note,
            span,
            message: format!(
                "{described} encrypts without authentication and this file computes no MAC: ciphertext can be altered undetected or decrypted through padding oracles; use AES-256-GCM"
            ),
            help: HELP_UNAUTHENTICATED,
        })
    }

    fn node_crypto(&self, id: CallId, call: &'a Call, function: &str) -> Option<Problem> {
        let arg = |index: usize| call.args.get(index);
        match function {
            "createCipheriv" | "createDecipheriv" => {
                let (verdict, candidate) = self.worst_name(arg(0)?, call)?;
                let span = self.at(call, candidate.literal, arg(0));
                if verdict == Verdict::Aead && function == "createDecipheriv" && !self.tag_is_handled(id) {
                    return Some(Problem {
                        rank: 3,
                        level: Level::Error,
                        span,
                        message: format!(
                            "{} decryption never calls `setAuthTag(…)`: without the tag nothing is authenticated, so forged or altered ciphertext decrypts without an error",
                            describe(&candidate, None)
                        ),
                        help: HELP_TAG,
                    });
                }
                self.name_problem(&verdict, &candidate, span)
            }
            "createCipher" | "createDecipher" => {
                // `require("crypto").createCipher` is named by its method alone.
                let written = if call.receiver.is_some() {
                    function
                } else {
                    call.callee_span.text(self.text)
                };
                let algorithm = arg(0)
                    .and_then(|value| self.worst_name(value, call))
                    .map(|(_, c)| format!(" (here with {})", describe(&c, None)))
                    .unwrap_or_default();
                Some(Problem {
                    rank: 3,
                    level: Level::Error,
                    span: call.callee_span,
                    message: format!(
                        "`{written}`{algorithm} derives its key from a password with one unsalted MD5 round and uses no random IV, so equal messages encrypt alike: use `createCipheriv` with AES-256-GCM"
                    ),
                    help: HELP_CREATE_CIPHER,
                })
            }
            "generateKeyPair" | "generateKeyPairSync" => {
                let kinds = self.candidates(arg(0)?, call.scope, call.span.start);
                let key = kinds.iter().find_map(|c| match c.text.to_ascii_lowercase().as_str() {
                    "rsa" | "rsa-pss" => Some("RSA"),
                    "dsa" => Some("DSA"),
                    _ => None,
                })?;
                let (bits, field) =
                    self.smallest(self.field_numbers(arg(1)?, call.scope, call.span.start, "modulusLength"))?;
                self.short_key(
                    key,
                    bits,
                    self.rule.limits.asymmetric_bits,
                    self.at(call, Some(field.span), arg(1)),
                )
            }
            "generateKey" | "generateKeySync" => {
                let kinds = self.candidates(arg(0)?, call.scope, call.span.start);
                let key = kinds.iter().find_map(|c| match c.text.to_ascii_lowercase().as_str() {
                    "aes" => Some("AES"),
                    "hmac" => Some("HMAC"),
                    _ => None,
                })?;
                let (bits, field) =
                    self.smallest(self.field_numbers(arg(1)?, call.scope, call.span.start, "length"))?;
                self.short_key(
                    key,
                    bits,
                    self.rule.limits.symmetric_bits,
                    self.at(call, Some(field.span), arg(1)),
                )
            }
            _ => None,
        }
    }

    fn smallest<T>(&self, found: Vec<(u64, T)>) -> Option<(u64, T)> {
        found.into_iter().min_by_key(|(n, _)| *n)
    }

    fn short_key(&self, key: &str, bits: u64, limit: u64, span: Span) -> Option<Problem> {
        if bits >= limit {
            return None;
        }
        let advice = if limit >= 2048 {
            format!("{key} keys need at least {limit} bits (3072 for keys that must last past 2030)")
        } else {
            format!("symmetric keys need at least {limit} bits; use 256-bit keys")
        };
        Some(Problem {
            rank: 3,
            level: Level::Error,
            span,
            message: format!("{key} key of {bits} bits is too short: {advice}"),
            help: HELP_KEY_SIZE,
        })
    }

    fn forge(&self, call: &'a Call, path: &[&str]) -> Option<Problem> {
        match path {
            ["cipher", "createCipher" | "createDecipher"] => {
                let arg = call.args.first()?;
                let (verdict, candidate) = self.worst_name(arg, call)?;
                self.name_problem(&verdict, &candidate, self.at(call, candidate.literal, Some(arg)))
            }
            ["pki", "rsa", "generateKeyPair"] | ["rsa", "generateKeyPair"] => {
                let arg = call.args.first()?;
                let direct = self.numbers(arg, call.scope, call.span.start).into_iter().min();
                let (bits, span) = match direct {
                    Some(bits) => (bits, self.at(call, None, Some(arg))),
                    None => {
                        let (bits, field) =
                            self.smallest(self.field_numbers(arg, call.scope, call.span.start, "bits"))?;
                        (bits, self.at(call, Some(field.span), Some(arg)))
                    }
                };
                self.short_key("RSA", bits, self.rule.limits.asymmetric_bits, span)
            }
            _ => None,
        }
    }

    fn crypto_js(&self, call: &'a Call, path: &[&str]) -> Option<Problem> {
        let (cipher, config) = match path {
            [cipher, "encrypt" | "decrypt"] => (*cipher, call.args.get(2)),
            ["algo", cipher, "createEncryptor" | "createDecryptor" | "create"] => (*cipher, call.args.get(1)),
            _ => return None,
        };
        // How the code names the cipher: `CryptoJS.TripleDES`, `TripleDES`.
        let written = call.callee_span.text(self.text);
        let written = written.rsplit_once('.').map_or(written, |(object, _)| object);
        let family = match cipher {
            "DES" => "DES",
            "TripleDES" => "3DES",
            "RC4" | "RC4Drop" => "RC4",
            "AES" => return self.crypto_js_aes(call, written, config),
            _ => return None,
        };
        let family = self.rule.families.get(self.rule.family_named(family)?)?;
        Some(weak_problem(
            &with_notes(written, Some(&family.name), None),
            family,
            call.callee_span,
        ))
    }

    /// `CryptoJS.AES` in the mode its configuration names (CBC when none).
    fn crypto_js_aes(&self, call: &'a Call, written: &str, config: Option<&'a Value>) -> Option<Problem> {
        let modes: Vec<(String, Span)> = config
            .map(|config| self.fields(config, call.scope, call.span.start, "mode"))
            .unwrap_or_default()
            .into_iter()
            .flat_map(|field| {
                let mut leaves = Vec::new();
                self.leaves(&field.value, field.scope, field.span.start, None, 0, &mut leaves);
                leaves
                    .into_iter()
                    .filter_map(|leaf| self.crypto_js_mode(leaf.value))
                    .map(move |mode| (mode, field.span))
                    .collect::<Vec<_>>()
            })
            .collect();
        if let Some((_, span)) = modes.iter().find(|(mode, _)| Names::has(&self.rule.names.ecb, mode)) {
            return Some(ecb_problem(&format!("`{written}`"), self.at(call, Some(*span), config)));
        }
        let unauthenticated = |mode: &str| Names::has(&self.rule.names.unauthenticated, mode) || mode == "ctrgladman";
        let (label, span) = match modes.first() {
            None => ("AES-CBC, its default mode".to_string(), call.callee_span),
            Some((mode, span)) if unauthenticated(mode) => (
                format!("AES-{}", mode.trim_end_matches("gladman").to_ascii_uppercase()),
                self.at(call, Some(*span), config),
            ),
            Some(_) => return None,
        };
        self.unauthenticated_problem(&with_notes(written, Some(&label), None), span)
    }

    /// The lowercase name of a crypto-js mode: `CryptoJS.mode.ECB`, or a
    /// name imported from `crypto-js/mode-ecb`.
    fn crypto_js_mode(&self, value: &Value) -> Option<String> {
        match value {
            Value::Member(path) => match path.as_slice() {
                [.., mode, name] if mode == "mode" => Some(name.to_ascii_lowercase()),
                _ => None,
            },
            Value::Ident(name) => {
                let (module, _) = self.imports.get(name.as_str())?;
                module.strip_prefix("crypto-js/mode-").map(str::to_string)
            }
            _ => None,
        }
    }

    fn node_rsa(&self, call: &'a Call) -> Option<Problem> {
        let options = call.args.first()?;
        let (bits, field) = self.smallest(self.field_numbers(options, call.scope, call.span.start, "b"))?;
        self.short_key(
            "RSA",
            bits,
            self.rule.limits.asymmetric_bits,
            self.at(call, Some(field.span), Some(options)),
        )
    }

    /// WebCrypto: the algorithm of the key a `subtle` call makes.
    fn web_crypto(&self, call: &'a Call, method: &str) -> Option<Problem> {
        let index = match method {
            "generateKey" => 0,
            "importKey" | "deriveKey" => 2,
            "unwrapKey" => 4,
            _ => return None,
        };
        let algorithm = call.args.get(index)?;
        let (scope, at) = (call.scope, call.span.start);
        let mut names: Vec<(Candidate<'a>, Option<Span>)> = self
            .field_strings(algorithm, scope, at, "name")
            .into_iter()
            .map(|(c, field)| (c, Some(field.span)))
            .collect();
        if names.is_empty() {
            names = self
                .candidates(algorithm, scope, at)
                .into_iter()
                .map(|c| (c, None))
                .collect();
        }
        let mut worst: Option<Problem> = None;
        for (candidate, field) in names {
            let upper = candidate.text.to_ascii_uppercase();
            let problem = if upper.starts_with("RSA") {
                self.smallest(self.field_numbers(algorithm, scope, at, "modulusLength"))
                    .and_then(|(bits, f)| {
                        self.short_key(
                            "RSA",
                            bits,
                            self.rule.limits.asymmetric_bits,
                            self.at(call, Some(f.span), Some(algorithm)),
                        )
                    })
            } else if upper.starts_with("AES") || upper == "HMAC" {
                let key = if upper == "HMAC" { "HMAC" } else { "AES" };
                let short = self
                    .smallest(self.field_numbers(algorithm, scope, at, "length"))
                    .and_then(|(bits, f)| {
                        self.short_key(
                            key,
                            bits,
                            self.rule.limits.symmetric_bits,
                            self.at(call, Some(f.span), Some(algorithm)),
                        )
                    });
                short.or_else(|| {
                    let verdict = self.rule.classify(&candidate.text);
                    let span = self.at(call, candidate.literal.or(field), Some(algorithm));
                    self.name_problem(&verdict, &candidate, span)
                })
            } else {
                None
            };
            if let Some(problem) = problem {
                if worst.as_ref().is_none_or(|w| problem.rank > w.rank) {
                    worst = Some(problem);
                }
            }
        }
        worst
    }

    /// Whether the decipher that call `id` makes gets its tag in its function,
    /// or is handed on (returned, stored, passed) to code that may set it.
    fn tag_is_handled(&self, id: CallId) -> bool {
        let sets_tag = self.flow.destinations_of_call(id).into_iter().any(|d| match d {
            Destination::Receiver(c) => self
                .call(c)
                .is_some_and(|c| c.callee.last().is_some_and(|m| m == "setAuthTag")),
            _ => false,
        });
        sets_tag || self.decipher_escapes(id)
    }

    fn decipher_escapes(&self, id: CallId) -> bool {
        let itself = Value::Call(id);
        let holds = |value: &Value, target: &Value| value_holds(value, target);
        if self.facts.returns.iter().any(|r| holds(&r.value, &itself))
            || self
                .facts
                .calls
                .iter()
                .any(|c| c.args.iter().any(|a| holds(a, &itself)) && !is_plumbing(c))
        {
            return true;
        }
        let mut names = Vec::new();
        for (index, binding) in self.facts.bindings.iter().enumerate() {
            if !holds(&binding.value, &itself) {
                continue;
            }
            match binding.kind {
                BindingKind::Variable => names.push((index as u32, binding)),
                BindingKind::Assignment if binding.path.len() == 1 => names.push((index as u32, binding)),
                _ => return true,
            }
        }
        names.iter().any(|&(binding_id, binding)| {
            let name = Value::Ident(binding.name.clone());
            let refers = |scope: ScopeId, at: usize| self.flow.resolve(&binding.name, scope, at) == Some(binding_id);
            self.facts
                .returns
                .iter()
                .any(|r| holds(&r.value, &name) && refers(r.scope, r.span.start))
                || self
                    .facts
                    .calls
                    .iter()
                    .any(|c| !is_plumbing(c) && c.args.iter().any(|a| holds(a, &name)) && refers(c.scope, c.span.start))
                || self.facts.bindings.iter().any(|b| {
                    b.kind != BindingKind::Parameter && holds(&b.value, &name) && refers(b.scope, b.span.start)
                })
        })
    }

    /// Whether the file computes or checks a MAC: an HMAC or CMAC API is
    /// called or imported, or WebCrypto signs or verifies with `HMAC`.
    fn has_mac(&self) -> bool {
        *self.has_mac.get_or_init(|| {
            let mac_word = |s: &str| {
                let lower = s.to_ascii_lowercase();
                lower.contains("hmac") || lower.contains("cmac")
            };
            let imported = self
                .facts
                .imports
                .iter()
                .any(|import| mac_word(&import.source) || import.names.iter().any(|n| mac_word(&n.imported)));
            imported
                || self.facts.calls.iter().any(|call| {
                    call.callee.iter().any(|segment| mac_word(segment))
                        || matches!(call.callee.as_slice(), [.., subtle, _] if subtle == "subtle")
                            && call.args.first().is_some_and(|algorithm| {
                                let (scope, at) = (call.scope, call.span.start);
                                self.candidates(algorithm, scope, at)
                                    .iter()
                                    .chain(self.field_strings(algorithm, scope, at, "name").iter().map(|(c, _)| c))
                                    .any(|c| c.text.eq_ignore_ascii_case("hmac"))
                            })
                })
        })
    }

    // ------------------------------------------------------------ Rust

    /// The paths written in `text` (a callee with its generic arguments), each
    /// resolved through `type` aliases, `use` renames and glob imports.
    fn rust_paths(&self, text: &'a str, depth: usize) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        for path in written_paths(text) {
            out.extend(self.resolve_rust_path(&path, depth));
        }
        out
    }

    fn resolve_rust_path(&self, path: &[&'a str], depth: usize) -> Vec<Vec<String>> {
        // `use` renames hold file-wide here, so `super::Des` is `Des`.
        let start = path
            .iter()
            .position(|segment| !matches!(*segment, "crate" | "self" | "super"))
            .unwrap_or(path.len());
        let path = &path[start..];
        let Some((&first, rest)) = path.split_first() else {
            return Vec::new();
        };
        let owned = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        if let Some(target) = self.aliases.get(first).filter(|_| depth < MAX_DEPTH) {
            let mut expanded = self.rust_paths(target, depth + 1);
            if let Some(head) = expanded.first_mut() {
                head.extend(owned(rest));
            }
            return expanded;
        }
        if let Some(full) = self.uses.get(first) {
            let mut resolved = full.clone();
            resolved.extend(owned(rest));
            return vec![resolved];
        }
        let mut out = vec![owned(path)];
        for glob in &self.globs {
            let mut resolved = glob.clone();
            resolved.extend(owned(path));
            out.push(resolved);
        }
        out
    }

    fn check_rust_call(&self, call: &'a Call) -> Option<Problem> {
        if call.receiver.is_some() || call.is_macro {
            return None;
        }
        let callee_text = call.callee_span.text(self.text);
        let callee: Vec<&str> = call.callee.iter().map(String::as_str).collect();
        let resolved = self.resolve_rust_path(&callee, 0);
        for size in &self.rule.rust_key_sizes {
            if !resolved.iter().any(|p| p.ends_with(&size.path)) {
                continue;
            }
            let arg = call.args.get(size.argument)?;
            let bits = self.numbers(arg, call.scope, call.span.start).into_iter().min()?;
            return self.short_key(&size.key, bits, self.rule.limits.asymmetric_bits, call.callee_span);
        }
        // The written type, without the function called on it.
        let written = callee_text.rsplit_once("::").map_or(callee_text, |(ty, _)| ty).trim();
        let mut worst: Option<(Verdict, String)> = None;
        let mut consider = |verdict: Verdict, name: String| {
            if verdict.rank() > 0 && worst.as_ref().is_none_or(|(w, _)| verdict.rank() > w.rank()) {
                worst = Some((verdict, name));
            }
        };
        for path in self.rust_paths(callee_text, 0) {
            for ty in &self.rule.rust_types {
                if !contains_path(&path, &ty.path) {
                    continue;
                }
                let verdict = match &ty.kind {
                    RustTypeKind::Family(index) => Verdict::Weak(*index),
                    RustTypeKind::Mode(mode) if Names::has(&self.rule.names.ecb, mode) => Verdict::Ecb,
                    RustTypeKind::Mode(mode) => Verdict::Unauthenticated(format!("{} mode", mode.to_ascii_uppercase())),
                };
                consider(verdict, ty.path.join("::"));
            }
            // openssl's (and boring's) `symm::Cipher::des_ede3_cbc()`.
            if let Some(at) = path.windows(2).position(|w| w[0] == "symm" && w[1] == "Cipher") {
                if let Some(method) = path.get(at + 2) {
                    consider(self.rule.classify(method), format!("Cipher::{method}"));
                }
            }
        }
        let (verdict, pattern) = worst?;
        // openssl names the cipher in the call itself; a type may hide behind
        // an alias or a rename, and then the finding says which type it is.
        let openssl = pattern.starts_with("Cipher::");
        let shown = collapse_whitespace(if openssl { callee_text } else { written });
        let short_type = pattern.rsplit("::").next().unwrap_or(&pattern).trim_end_matches('*');
        let alias_of = (!openssl && !written.contains(short_type)).then(|| format!("`{pattern}`"));
        let describe = |label: Option<&str>| with_notes(&shown, label, alias_of.as_deref());
        let span = call.callee_span;
        match &verdict {
            Verdict::Weak(index) => {
                let family = self.rule.families.get(*index)?;
                Some(weak_problem(&describe(Some(&family.name)), family, span))
            }
            Verdict::Ecb => Some(ecb_problem(&describe(None), span)),
            Verdict::Unauthenticated(label) => self.unauthenticated_problem(&describe(Some(label)), span),
            Verdict::Aead | Verdict::Fine | Verdict::Unknown => None,
        }
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn weak_problem(described: &str, family: &Family, span: Span) -> Problem {
    Problem {
        rank: 4,
        level: Level::Error,
        span,
        message: format!("{described} is a weak cipher: {}; use AES-256-GCM", family.reason),
        help: HELP_CIPHER,
    }
}

fn ecb_problem(name: &str, span: Span) -> Problem {
    Problem {
        rank: 3,
        level: Level::Error,
        span,
        message: format!(
            "{name} uses ECB mode, which encrypts equal blocks to equal ciphertext and so shows the data's patterns: use AES-256-GCM"
        ),
        help: HELP_CIPHER,
    }
}

/// How a finding names a cipher name, with what it is and the constant it
/// came from: `des-ede3-cbc` (3DES, from `ALGO`).
fn describe(candidate: &Candidate<'_>, label: Option<&str>) -> String {
    let via = candidate.via.map(|via| format!("from `{via}`"));
    with_notes(&candidate.text.replace('*', "…"), label, via.as_deref())
}

/// `` `shown` (label, extra) ``, leaving out a label that only repeats the name
/// (`` `AES-CBC` ``, not `` `AES-CBC` (AES-CBC) ``).
fn with_notes(shown: &str, label: Option<&str>, extra: Option<&str>) -> String {
    let label = label.filter(|label| normalize(label) != normalize(shown));
    let notes: Vec<&str> = label.into_iter().chain(extra).collect();
    if notes.is_empty() {
        format!("`{shown}`")
    } else {
        format!("`{shown}` ({})", notes.join(", "))
    }
}

fn is_plumbing(call: &Call) -> bool {
    call.callee
        .last()
        .is_some_and(|m| STREAM_PLUMBING.contains(&m.as_str()))
}

/// Whether `value` is `target`, or holds it directly as an element or alternative.
fn value_holds(value: &Value, target: &Value) -> bool {
    match value {
        Value::Array(values) | Value::Alternatives(values) => values.iter().any(|v| value_holds(v, target)),
        other => other == target,
    }
}

/// The `::`-separated paths written in `text`: `cbc::Encryptor::<des::TdesEde3>::new`
/// holds `cbc::Encryptor`, `des::TdesEde3` and `new`.
fn written_paths(text: &str) -> Vec<Vec<&str>> {
    let mut paths = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if is_ident_byte(bytes[i]) {
            let start = i;
            while i < bytes.len() && is_ident_byte(bytes[i]) {
                i += 1;
            }
            current.push(&text[start..i]);
            if text[i..].starts_with("::") {
                i += 2;
                continue;
            }
        } else {
            i += 1;
        }
        if !current.is_empty() {
            paths.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        paths.push(current);
    }
    paths
}

/// Whether `path` holds `pattern` as consecutive segments; a `*` ending the
/// pattern's last segment matches any rest of a name.
fn contains_path(path: &[String], pattern: &[String]) -> bool {
    if pattern.is_empty() || path.len() < pattern.len() {
        return false;
    }
    path.windows(pattern.len()).any(|window| {
        window.iter().zip(pattern).enumerate().all(|(i, (segment, want))| {
            match want.strip_suffix('*').filter(|_| i + 1 == pattern.len()) {
                Some(prefix) => segment.starts_with(prefix),
                None => segment == want,
            }
        })
    })
}

impl Rule for WeakCipher {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        self.may_fire(input)
    }

    fn extra_docs(&self) -> Option<String> {
        let mut doc = String::from("## Weak ciphers\n\n| Family | Cipher names starting with | Why |\n|---|---|---|\n");
        for family in &self.families {
            let names: Vec<String> = family.prefixes.iter().map(|p| format!("`{}…`", p.join("-"))).collect();
            doc.push_str(&format!(
                "| {} | {} | {} |\n",
                family.name,
                names.join(", "),
                family.reason
            ));
        }
        doc.push_str("\n## Rust types\n\n| Type | Reported as |\n|---|---|\n");
        for ty in &self.rust_types {
            let what = match &ty.kind {
                RustTypeKind::Family(index) => self.families.get(*index).map_or(String::new(), |f| f.name.clone()),
                RustTypeKind::Mode(mode) if Names::has(&self.names.ecb, mode) => "ECB mode".to_string(),
                RustTypeKind::Mode(mode) => {
                    format!("{} mode (note, when the file has no MAC)", mode.to_ascii_uppercase())
                }
            };
            doc.push_str(&format!("| `{}` | {what} |\n", ty.path.join("::")));
        }
        doc.push_str("\n## Key sizes\n\n");
        doc.push_str(&format!(
            "RSA and DSA keys need at least {} bits, AES and HMAC keys at least {} bits.\n",
            self.limits.asymmetric_bits, self.limits.symmetric_bits
        ));
        Some(doc)
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let Some(facts) = input.facts else {
            return;
        };
        if !self.may_fire(input) {
            return;
        }
        let rust = input.context.language == miroguard_core::Language::Rust;
        let check = Check::new(self, facts, input.text, input.memo.flow(facts, input.text), rust);
        for (id, call) in facts.calls.iter().enumerate() {
            let problem = if rust {
                check.check_rust_call(call)
            } else {
                check.check_js_call(id as CallId, call)
            };
            let Some(problem) = problem else {
                continue;
            };
            let mut severity = match problem.level {
                Level::Error => self.meta.severity,
                Level::Note => Severity::Note,
            };
            if input.context.is_test || facts.in_test_region(problem.span) {
                severity = severity.downgraded();
            }
            findings.push(Finding::new(ID, severity, problem.span, problem.message).with_help(problem.help));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowered::check;

    fn rule() -> WeakCipher {
        WeakCipher::new().expect("built-in rule loads")
    }

    /// (line, severity) of each finding.
    fn lines(path: &str, source: &str) -> Vec<(usize, Severity)> {
        check(&rule(), path, source)
            .into_iter()
            .map(|(line, severity, _)| (line, severity))
            .collect()
    }

    fn messages(path: &str, source: &str) -> Vec<String> {
        check(&rule(), path, source).into_iter().map(|(_, _, m)| m).collect()
    }

    const E: Severity = Severity::Error;
    const W: Severity = Severity::Warning;
    const N: Severity = Severity::Note;

    #[test]
    fn cipher_names_are_classified_by_their_tokens() {
        let rule = rule();
        let family = |name: &str| match rule.classify(name) {
            Verdict::Weak(index) => rule.families[index].name.clone(),
            other => format!("{other:?}"),
        };
        for (name, expected) in [
            ("des-ede3-cbc", "3DES"),
            ("DES-EDE3", "3DES"),
            ("des3", "3DES"),
            ("3DES-CBC", "3DES"),
            ("des-cbc", "DES"),
            ("DES-ECB", "DES"),
            ("desx-cbc", "DES"),
            ("rc4", "RC4"),
            ("rc4-hmac-md5", "RC4"),
            ("rc2-40-cbc", "RC2"),
            ("bf-cbc", "Blowfish"),
            ("des_ede3_cbc", "3DES"),
            ("cast5-cbc", "CAST5"),
            ("idea-ecb", "IDEA"),
        ] {
            assert_eq!(family(name), expected, "{name}");
        }
        assert_eq!(rule.classify("aes-128-ecb"), Verdict::Ecb);
        assert_eq!(rule.classify("aes_256_ecb"), Verdict::Ecb);
        assert_eq!(rule.classify("AES-ECB"), Verdict::Ecb);
        assert_eq!(rule.classify("aes-*-ecb"), Verdict::Ecb);
        assert_eq!(rule.classify("camellia-128-ecb"), Verdict::Ecb);
        assert_eq!(rule.classify("aes-256-cbc"), Verdict::Unauthenticated("AES-CBC".into()));
        assert_eq!(rule.classify("aes256"), Verdict::Unauthenticated("AES-CBC".into()));
        assert_eq!(
            rule.classify("aes-128-cfb8"),
            Verdict::Unauthenticated("AES-CFB".into())
        );
        assert_eq!(rule.classify("AES-CTR"), Verdict::Unauthenticated("AES-CTR".into()));
        assert_eq!(
            rule.classify("chacha20"),
            Verdict::Unauthenticated("CHACHA20 without Poly1305".into())
        );
        assert_eq!(rule.classify("aes-256-gcm"), Verdict::Aead);
        assert_eq!(rule.classify("id-aes256-GCM"), Verdict::Aead);
        assert_eq!(rule.classify("chacha20-poly1305"), Verdict::Aead);
        assert_eq!(rule.classify("aes-128-cbc-hmac-sha256"), Verdict::Fine);
        assert_eq!(rule.classify("AES-KW"), Verdict::Fine);
        assert_eq!(rule.classify("aes-256-xts"), Verdict::Fine);
        for unknown in [
            "describe",
            "modes",
            "design",
            "sha256",
            "",
            "*-cbc",
            "RSA-OAEP",
            "aes-256-foo",
        ] {
            assert_eq!(rule.classify(unknown), Verdict::Unknown, "{unknown}");
        }
    }

    #[test]
    fn the_gate_needs_a_keyword_where_code_can_use_it() {
        assert!(js_may_match("const c = crypto.createCipheriv(a, k, iv)"));
        assert!(js_may_match("import { createDecipheriv as d } from 'node:crypto'"));
        assert!(js_may_match("import CryptoJS from \"crypto-js/aes\""));
        assert!(js_may_match("const kp = forge.pki.rsa.generateKeyPair(1024)"));
        assert!(!js_may_match("// createcipher, CRYPTOJS and forget.password"));
        assert!(!js_may_match("user.forget.password(); mycreateCipher()"));
        let rule = rule();
        let rust = |text: &str| rule.rust_may_match(text, |_| true);
        assert!(rust("use des::TdesEde3;"));
        assert!(rust("let c = openssl::symm::Cipher::rc4();"));
        assert!(rust("use {ecb::Encryptor, aes::Aes128};"));
        assert!(!rust("fn describe_modes() { let m = modes::all(); }"));
        assert!(!rust("let s = \"des\"; // rc4"));
    }

    #[test]
    fn rust_paths_are_split_at_generics() {
        assert_eq!(
            written_paths("cbc::Encryptor::<des::TdesEde3>::new"),
            vec![vec!["cbc", "Encryptor"], vec!["des", "TdesEde3"], vec!["new"]]
        );
        assert_eq!(
            written_paths("<Des as KeyInit>::new"),
            vec![vec!["Des"], vec!["as"], vec!["KeyInit"], vec!["new"]]
        );
        let path = |p: &str| p.split("::").map(str::to_string).collect::<Vec<_>>();
        assert!(contains_path(&path("ctr::Ctr128BE"), &path("ctr::Ctr*")));
        assert!(contains_path(
            &path("openssl::symm::Cipher::rc4"),
            &path("symm::Cipher")
        ));
        assert!(!contains_path(&path("my_des::Des"), &path("des::Des")));
        assert!(!contains_path(&path("ctr"), &path("ctr::Ctr*")));
    }

    #[test]
    fn an_algorithm_is_reported_where_it_reaches_a_cipher() {
        let source = r#"
const crypto = require("crypto");
const LEGACY = "des-ede3-cbc";
const ALGORITHMS = ["des-ede3", "rc4"];
function encrypt(key, iv, data) {
  const cipher = crypto.createCipheriv(LEGACY, key, iv);
  return cipher.update(data);
}
function decrypt(key, iv, data) {
  const decipher = crypto.createDecipheriv(
    LEGACY,
    key,
    iv,
  );
  return decipher.update(data);
}
function check(name) {
  // DES is refused, and so is ECB.
  if (ALGORITHMS.includes(name)) throw new Error("DES is not supported");
  return ["describe", "modes", "design"];
}
"#;
        assert_eq!(lines("server/vault.js", source), [(6, E), (11, E)]);
        assert_eq!(
            messages("server/vault.js", source)[0],
            "`des-ede3-cbc` (3DES, from `LEGACY`) is a weak cipher: its 64-bit block lets an attacker recover plaintext after a few gigabytes under one key (Sweet32), and NIST disallows it for encryption since 2023; use AES-256-GCM"
        );
    }

    #[test]
    fn values_are_followed_through_properties_fields_templates_and_fallbacks() {
        let source = r#"
import * as crypto from "node:crypto";
const config = { cipher: { algorithm: "bf-cbc" } };
const bits = 128;
const fallback = process.env.ALGO || "aes-128-ecb";
class Sealer {
  private readonly algorithm = "rc4";
  seal(key: Buffer) { return crypto.createCipheriv(this.algorithm, key, null); }
}
crypto.createCipheriv(config.cipher.algorithm, key, iv);
crypto.createCipheriv(`aes-${bits}-ecb`, key, null);
crypto.createCipheriv(fallback.toLowerCase(), key, null);
crypto.createCipheriv(process.env.ALGO, key, iv);
crypto.createCipheriv(algorithmFromDatabase(), key, iv);
"#;
        assert_eq!(lines("src/seal.ts", source), [(8, E), (10, E), (11, E), (12, E)]);
        let found = messages("src/seal.ts", source);
        assert!(found[0].starts_with("`rc4` (from `this.algorithm`)"), "{}", found[0]);
        assert!(
            found[1].starts_with("`bf-cbc` (Blowfish, from `config.cipher.algorithm`)"),
            "{}",
            found[1]
        );
        assert!(found[2].starts_with("`aes-128-ecb` uses ECB mode"), "{}", found[2]);
        assert!(found[3].starts_with("`aes-128-ecb` (from `fallback`)"), "{}", found[3]);
    }

    #[test]
    fn gcm_decryption_needs_the_tag_in_its_function() {
        let source = r#"
import { createDecipheriv } from "crypto";
export function open(key, iv, data) {
  const d = createDecipheriv("aes-256-gcm", key, iv);
  return d.update(data);
}
export function piped(key, iv, input, out) {
  const d = createDecipheriv("chacha20-poly1305", key, iv);
  input.pipe(d).pipe(out);
}
export function tagged(key, iv, data, tag) {
  const d = createDecipheriv("aes-256-gcm", key, iv);
  d.setAuthTag(tag);
  return Buffer.concat([d.update(data), d.final()]);
}
export function chained(key, iv, data, tag) {
  return createDecipheriv("aes-256-gcm", key, iv).setAuthTag(tag).update(data);
}
export function later(key, iv, stream, tag) {
  const d = createDecipheriv("aes-256-gcm", key, iv);
  stream.on("end", () => { d.setAuthTag(tag); d.final(); });
}
export function factory(key, iv) {
  const d = createDecipheriv("aes-256-gcm", key, iv);
  return d;
}
export function handedOn(key, iv, tag) {
  const d = createDecipheriv("aes-256-gcm", key, iv);
  finishWithTag(d, tag);
}
export function stored(key, iv) {
  this.decipher = createDecipheriv("aes-256-gcm", key, iv);
}
export function encryptOnly(key, iv, data) {
  const c = createCipheriv("aes-256-gcm", key, iv);
  return c.update(data);
}
"#;
        assert_eq!(lines("src/open.ts", source), [(4, E), (8, E)]);
        assert!(messages("src/open.ts", source)[0].contains("never calls `setAuthTag(…)`"));
    }

    #[test]
    fn create_cipher_is_always_reported() {
        let source = r#"
const crypto = require("crypto");
const a = crypto.createCipher("aes-256-gcm", password);
const b = require("crypto").createDecipher("des", password);
"#;
        let found = check(&rule(), "lib/legacy.js", source);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [3, 4]);
        assert!(
            found[0]
                .2
                .starts_with("`crypto.createCipher` (here with `aes-256-gcm`) derives its key")
        );
        assert!(found[1].2.starts_with("`createDecipher` (here with `des`)"));
    }

    #[test]
    fn unauthenticated_modes_are_notes_unless_the_file_has_a_mac() {
        let plain = r#"
const crypto = require("crypto");
const c = crypto.createCipheriv("aes-256-cbc", key, iv);
"#;
        assert_eq!(lines("lib/cache.js", plain), [(3, N)]);
        let with_mac = r#"
const crypto = require("crypto");
const c = crypto.createCipheriv("aes-256-cbc", key, iv);
const mac = crypto.createHmac("sha256", macKey).update(data).digest();
"#;
        assert!(lines("lib/cache.js", with_mac).is_empty());
        let with_webcrypto_mac = r#"
const c = crypto.createCipheriv("aes-256-ctr", key, iv);
const ok = await crypto.subtle.verify("HMAC", macKey, signature, data);
"#;
        assert!(lines("lib/cache.js", with_webcrypto_mac).is_empty());
    }

    #[test]
    fn key_sizes() {
        let source = r#"
const crypto = require("crypto");
import forge from "node-forge";
import NodeRSA from "node-rsa";
crypto.generateKeyPairSync("rsa", { modulusLength: 1024 });
crypto.generateKeyPair("dsa", { modulusLength: 1024 }, done);
crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
crypto.generateKeySync("aes", { length: 64 });
crypto.generateKey("hmac", { length: 256 }, done);
forge.pki.rsa.generateKeyPair(512);
forge.pki.rsa.generateKeyPair({ bits: 4096 });
new NodeRSA({ b: 1024 });
crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, hash: "SHA-256" }, false, ["sign"]);
crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256", length: 64 }, false, ["sign"]);
crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt"]);
crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
"#;
        assert_eq!(
            lines("lib/keys.js", source),
            [(5, E), (6, E), (9, E), (11, E), (13, E), (14, E), (15, E)]
        );
        let found = messages("lib/keys.js", source);
        assert_eq!(
            found[0],
            "RSA key of 1024 bits is too short: RSA keys need at least 2048 bits (3072 for keys that must last past 2030)"
        );
        assert!(found[1].starts_with("DSA key of 1024 bits"));
        assert!(found[2].starts_with("AES key of 64 bits is too short: symmetric keys need at least 128 bits"));
        assert!(found[6].starts_with("HMAC key of 64 bits"));
    }

    #[test]
    fn crypto_js_and_forge() {
        let source = r#"
import CryptoJS from "crypto-js";
import ECB from "crypto-js/mode-ecb";
import TripleDES from "crypto-js/tripledes";
import { cipher } from "node-forge";
CryptoJS.RC4.encrypt(msg, key);
TripleDES.encrypt(msg, key);
CryptoJS.AES.encrypt(msg, key, { mode: ECB });
const cfg = { mode: CryptoJS.mode.ECB };
CryptoJS.AES.encrypt(msg, key, cfg);
CryptoJS.AES.encrypt(msg, key);
CryptoJS.AES.encrypt(msg, key, { mode: CryptoJS.mode.CTR });
CryptoJS.SHA256(msg);
cipher.createCipher("3DES-ECB", key);
cipher.createCipher("AES-CBC", key);
cipher.createCipher("AES-GCM", key);
"#;
        assert_eq!(
            lines("src/partner.ts", source),
            [(6, E), (7, E), (8, E), (10, E), (11, N), (12, N), (14, E), (15, N)]
        );
        let found = messages("src/partner.ts", source);
        assert!(
            found[1].starts_with("`TripleDES` (3DES) is a weak cipher"),
            "{}",
            found[1]
        );
        assert!(
            found[4].starts_with("`CryptoJS.AES` (AES-CBC, its default mode) encrypts without"),
            "{}",
            found[4]
        );
    }

    #[test]
    fn webcrypto_algorithms() {
        let source = r#"
const subtle = window.crypto.subtle;
await subtle.importKey("raw", raw, "AES-CBC", false, ["encrypt"]);
await subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt"]);
await subtle.deriveKey(params, base, { name: "AES-CTR", length: 256 }, false, ["encrypt"]);
await subtle.unwrapKey("raw", wrapped, kek, "AES-KW", { name: "AES-GCM", length: 64 }, false, ["decrypt"]);
await subtle.importKey("raw", raw, "PBKDF2", false, ["deriveKey"]);
await subtle.encrypt({ name: "AES-CBC", iv }, key, data);
"#;
        assert_eq!(lines("web/panel.ts", source), [(3, N), (5, N), (6, E)]);
    }

    #[test]
    fn test_code_drops_a_level() {
        let source = "const c = require('crypto').createCipheriv('des-cbc', k, iv);\nconst d = require('crypto').createCipheriv('aes-256-cbc', k, iv);\n";
        assert_eq!(lines("test/vault.test.js", source), [(1, W), (2, N)]);
        let rust = r#"
use des::Des;
fn real(key: &[u8]) { let _ = Des::new_from_slice(key); }
#[cfg(test)]
mod tests {
    #[test]
    fn t() { let _ = super::Des::new_from_slice(&super::key()); }
}
"#;
        assert_eq!(lines("src/lib.rs", rust), [(3, E), (7, W)]);
    }

    #[test]
    fn rust_types_through_renames_globs_and_aliases() {
        let source = r#"
use des::{TdesEde3 as Partner, Des};
use rc4::*;
use blowfish::Blowfish;
// type Commented = des::Des;
type Aes128EcbEnc = ecb::Encryptor<aes::Aes128>;
type TdesCbc = cbc::Encryptor<des::TdesEde2>;
fn legacy(key: &[u8]) {
    let _ = Partner::new_from_slice(key);
    let _ = Rc4::<U16>::new_from_slice(key);
    let _ = <Des as KeyInit>::new_from_slice(key);
    let _ = Blowfish::<byteorder::BE>::new_from_slice(key);
    let _ = Aes128EcbEnc::new(key.into());
    let _ = TdesCbc::new_from_slices(key, iv);
    let _ = cbc::Encryptor::<aes::Aes256>::new_from_slices(key, iv);
    let _ = ctr::Ctr128BE::<aes::Aes128>::new(key.into(), iv.into());
    let _ = Commented::new(key);
    let _ = aes_gcm::Aes256Gcm::new_from_slice(key);
    let _ = chacha20poly1305::ChaCha20Poly1305::new_from_slice(key);
    let _ = String::from("des::Des is not supported");
}
"#;
        assert_eq!(
            lines("src/legacy.rs", source),
            [(9, E), (10, E), (11, E), (12, E), (13, E), (14, E), (15, N), (16, N)]
        );
        let found = messages("src/legacy.rs", source);
        assert!(
            found[0].starts_with("`Partner` (3DES, `des::TdesEde3`) is a weak cipher"),
            "{}",
            found[0]
        );
        assert!(
            found[4].starts_with("`Aes128EcbEnc` (`ecb::Encryptor`) uses ECB mode"),
            "{}",
            found[4]
        );
        assert!(
            found[6].starts_with("`cbc::Encryptor::<aes::Aes256>` (CBC mode) encrypts without"),
            "{}",
            found[6]
        );
    }

    #[test]
    fn rust_openssl_and_key_sizes() {
        let source = r#"
use openssl::rsa::Rsa;
use openssl::symm::{self, Cipher};
use rsa::RsaPrivateKey;
const BITS: usize = 1024;
fn f(rng: &mut OsRng) {
    let _ = symm::encrypt(Cipher::des_ede3_cbc(), k, Some(iv), data);
    let _ = openssl::symm::Cipher::aes_256_ecb();
    let _ = Cipher::aes_256_cbc();
    let _ = Cipher::aes_256_gcm();
    let _ = Cipher::chacha20_poly1305();
    let _ = Rsa::generate(1024);
    let _ = Rsa::generate(3072);
    let _ = RsaPrivateKey::new(rng, BITS);
    let _ = RsaPrivateKey::new(rng, 2048);
    let _ = openssl::dsa::Dsa::generate(1024_u32);
}
"#;
        assert_eq!(
            lines("src/keys.rs", source),
            [(7, E), (8, E), (9, N), (12, E), (14, E), (16, E)]
        );
        let with_mac = "use openssl::symm::Cipher;\nuse hmac::Hmac;\nfn f() { let _ = Cipher::aes_128_cbc(); }\n";
        assert!(lines("src/sealed.rs", with_mac).is_empty());
    }

    #[test]
    fn files_without_a_cipher_api_are_not_parsed() {
        let rule = rule();
        let context = miroguard_core::FileContext::from_display_path("src/app.ts");
        let text = "// We removed node-forge; createcipher, DES and RC4 went with it.\nconst modes = ['ecb'];\n";
        let lower = text.to_ascii_lowercase();
        let hits: Vec<bool> = rule.keywords().iter().map(|k| lower.contains(k.as_str())).collect();
        let memo = crate::FileMemo::default();
        let input = FileInput {
            context: &context,
            text,
            keywords: crate::KeywordHits::new(&hits),
            facts: None,
            parse_failed: false,
            memo: &memo,
        };
        assert!(hits.iter().any(|h| *h), "the comment holds a keyword");
        assert!(!rule.needs_facts(&input));
    }

    #[test]
    fn the_tables_are_consistent() {
        let file: RuleFile = toml::from_str(TOML).expect("toml parses");
        let rule = rule();
        assert_eq!(rule.keywords.len(), file.keywords.js.len() + file.keywords.rust.len());
        for ty in &rule.rust_types {
            // A Rust type is only found where its crate is written, which the gate looks for.
            let krate = format!("{}::", ty.path[0]);
            assert!(rule.keywords[rule.js_keywords..].contains(&krate), "{krate}");
        }
        for size in &rule.rust_key_sizes {
            let krate = format!("{}::", size.path[0]);
            assert!(rule.keywords[rule.js_keywords..].contains(&krate), "{krate}");
        }
        for names in [&rule.names.implicit_cbc, &rule.names.aead] {
            for name in names {
                assert!(
                    Names::has(&rule.names.strong, name) || Names::has(&rule.names.authenticated, name),
                    "{name}"
                );
            }
        }
        let docs = rule.extra_docs().expect("docs");
        assert!(docs.contains("| 3DES |") && docs.contains("`ecb::Encryptor`"));
    }
}
