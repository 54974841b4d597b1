//! What the TLS rules (`tls-verification-disabled`, `tls-version-below-1-2`)
//! share: when a setting applies (everywhere, only in tests or development,
//! only when configuration says so), following a setting's value to the
//! literals it can be, naming what a setting configures, and reading the
//! configuration files where Node flags and environment variables are set
//! (`package.json` scripts, Dockerfiles, Compose files, `.env`).

use crate::syntax::{is_ident_byte, on_comment_line};
use miroguard_core::{Severity, Span};
use miroguard_ir::flow::{Destination, Flow};
use miroguard_ir::{Binding, BindingKind, Call, Facts, ScopeId, ScopeKind, Value};

/// The variable that turns off certificate checks for a whole Node process.
pub(crate) const NODE_TLS_ENV: &str = "NODE_TLS_REJECT_UNAUTHORIZED";

/// When a setting applies, as far as the code says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Wherever the code runs.
    Always,
    /// Only in tests or development; says when, as a clause of the message
    /// (`only in tests or development (`isTest`)`).
    OutsideProduction(String),
    /// Only when configuration leaves it at an unsafe default; says what
    /// decides, as a clause (`unless configuration sets it (…)`).
    ByDefault(String),
}

impl Reach {
    /// This reach narrowed by a guard around `span` (an `if` on a test
    /// environment, `#[cfg(test)]`): a setting that applies everywhere the
    /// code runs applies only where the guard lets it.
    pub(crate) fn guarded(self, flow: &Flow<'_>, span: Span, rust: bool) -> Reach {
        match self {
            Reach::Always => guard(flow, span, rust).unwrap_or(Reach::Always),
            other => other,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Reach::Always => 2,
            Reach::OutsideProduction(_) => 1,
            Reach::ByDefault(_) => 0,
        }
    }

    /// The severity of a finding with this reach: the rule's default where
    /// it applies everywhere (one level less in a test file), a warning in
    /// tests or development only, a note where configuration decides.
    pub(crate) fn severity(&self, default: Severity, test_file: bool) -> Severity {
        match self {
            Reach::Always if test_file => default.downgraded(),
            Reach::Always => default,
            Reach::OutsideProduction(_) => Severity::Warning.min(default),
            Reach::ByDefault(_) => Severity::Note,
        }
    }

    /// How a message says when the setting applies (empty when always).
    pub(crate) fn clause(&self) -> String {
        match self {
            Reach::Always => String::new(),
            Reach::OutsideProduction(why) | Reach::ByDefault(why) => format!(" {why}"),
        }
    }
}

/// Which environments a condition lets code run in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Env {
    /// Production (and maybe more): the code is live.
    Production,
    /// Only tests or development.
    NonProduction,
}

impl Env {
    fn flip(self) -> Env {
        match self {
            Env::Production => Env::NonProduction,
            Env::NonProduction => Env::Production,
        }
    }
}

/// Environment names (compared in lower case) that are not production.
const NON_PRODUCTION_WORDS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "dev",
    "develop",
    "development",
    "local",
    "e2e",
    "ci",
    "mock",
    "storybook",
    "spec",
];
const PRODUCTION_WORDS: &[&str] = &["production", "prod", "live"];
/// Flags (lower case, without `_` and `$`) that hold only in tests or development.
const NON_PRODUCTION_FLAGS: &[&str] = &[
    "istest",
    "istesting",
    "intest",
    "istestenv",
    "isdev",
    "isdevelopment",
    "isdevenv",
    "islocal",
    "ise2e",
    "dev",
    "test",
    "testing",
    "jestworkerid",
    "vitest",
    "ci",
];
const PRODUCTION_FLAGS: &[&str] = &["isprod", "isproduction", "production", "prod"];

/// The environments a condition (the inside of an `if (…)`, a ternary's
/// test, a Rust `if` condition) restricts code to, when it names them:
/// `process.env.NODE_ENV === 'test'`, `NODE_ENV !== 'production'`,
/// `isTest`, `import.meta.env.DEV`, `cfg!(test)`, and `||`/`&&`/`!` of those.
pub(crate) fn condition_env(condition: &str) -> Option<Env> {
    condition_env_at(condition, 0)
}

fn condition_env_at(condition: &str, depth: usize) -> Option<Env> {
    if depth > 8 {
        return None;
    }
    let c = strip_parens(condition.trim());
    let ors = split_top(c, "||");
    if ors.len() > 1 {
        let envs: Vec<Option<Env>> = ors.iter().map(|p| condition_env_at(p, depth + 1)).collect();
        return if envs.iter().all(|e| *e == Some(Env::NonProduction)) {
            Some(Env::NonProduction)
        } else if envs.iter().all(|e| *e == Some(Env::Production)) {
            Some(Env::Production)
        } else {
            None
        };
    }
    let ands = split_top(c, "&&");
    if ands.len() > 1 {
        let envs: Vec<Option<Env>> = ands.iter().map(|p| condition_env_at(p, depth + 1)).collect();
        return if envs.contains(&Some(Env::NonProduction)) {
            Some(Env::NonProduction)
        } else if envs.contains(&Some(Env::Production)) {
            Some(Env::Production)
        } else {
            None
        };
    }
    if let Some(rest) = c.strip_prefix('!').filter(|r| !r.starts_with('=')) {
        return condition_env_at(rest, depth + 1).map(Env::flip);
    }
    if let Some(inner) = c.strip_prefix("cfg!(").and_then(|r| r.strip_suffix(')')) {
        return cfg_env(inner);
    }
    for op in ["!==", "===", "!=", "=="] {
        let Some(at) = find_top(c, op) else {
            continue;
        };
        let (left, right) = (c[..at].trim(), c[at + op.len()..].trim());
        let (literal, other) = match (unquote(left), unquote(right)) {
            (_, Some(literal)) => (literal, left),
            (Some(literal), None) => (literal, right),
            (None, None) => return None,
        };
        let other = other.to_ascii_lowercase();
        if !["env", "mode", "stage"].iter().any(|w| other.contains(w)) {
            return None;
        }
        let word = literal.to_ascii_lowercase();
        let env = if PRODUCTION_WORDS.contains(&word.as_str()) {
            Env::Production
        } else if NON_PRODUCTION_WORDS.contains(&word.as_str()) {
            Env::NonProduction
        } else {
            return None;
        };
        return Some(if op.starts_with('!') { env.flip() } else { env });
    }
    let path_like = !c.is_empty() && c.bytes().all(|b| is_ident_byte(b) || b == b'.' || b == b':');
    if !path_like {
        return None;
    }
    let last = c.rsplit(['.', ':']).next().unwrap_or(c);
    let flag: String = last
        .chars()
        .filter(|ch| *ch != '_' && *ch != '$')
        .map(|ch| ch.to_ascii_lowercase())
        .collect();
    if NON_PRODUCTION_FLAGS.contains(&flag.as_str()) {
        Some(Env::NonProduction)
    } else if PRODUCTION_FLAGS.contains(&flag.as_str()) {
        Some(Env::Production)
    } else {
        None
    }
}

/// The environments a Rust `cfg` predicate (the inside of `cfg!(…)` or
/// `#[cfg(…)]`) restricts code to: `test`, `debug_assertions`, their `not`,
/// `all` and `any`.
pub(crate) fn cfg_env(predicate: &str) -> Option<Env> {
    let p: String = predicate.chars().filter(|c| !c.is_whitespace()).collect();
    match p.as_str() {
        "test" | "debug_assertions" => return Some(Env::NonProduction),
        "not(test)" | "not(debug_assertions)" => return Some(Env::Production),
        _ => {}
    }
    let (all, inner) = if let Some(inner) = p.strip_prefix("all(") {
        (true, inner)
    } else if let Some(inner) = p.strip_prefix("any(") {
        (false, inner)
    } else {
        return None;
    };
    let inner = inner.strip_suffix(')')?;
    let parts: Vec<Option<Env>> = split_top(inner, ",").iter().map(|part| cfg_env(part)).collect();
    if all && parts.contains(&Some(Env::NonProduction)) || !all && parts.iter().all(|e| *e == Some(Env::NonProduction))
    {
        Some(Env::NonProduction)
    } else {
        None
    }
}

/// Where the code at `span` runs, when a condition around it says: only in
/// tests or development ([`Reach::OutsideProduction`]) for a Rust test
/// region, a `#[cfg(test)]` / `#[cfg(debug_assertions)]` statement, an
/// enclosing `if` whose condition names a test or development environment
/// (or the `else` of a production check) or a brace-less JS `if (isTest) …`;
/// only when an operator asks ([`Reach::ByDefault`]) for an `if` on
/// configuration (`if (options.tlsInsecure)`). `None`: wherever the code runs.
fn guard(flow: &Flow<'_>, span: Span, rust: bool) -> Option<Reach> {
    let facts = flow.facts();
    let text = flow.text();
    if facts.in_test_region(span) {
        return Some(Reach::OutsideProduction("only in tests (`#[cfg(test)]`)".to_string()));
    }
    let scope = flow.scope_at(span.start);
    let start = statement_start(facts, scope, span);
    let before = text.get(..start).unwrap_or("").trim_end();
    if rust {
        if let Some(attribute) = cfg_attribute_before(before) {
            return Some(Reach::OutsideProduction(format!(
                "only in tests or debug builds (`{attribute}`)"
            )));
        }
    } else {
        let before = ["const", "let", "var"]
            .iter()
            .find_map(|kw| strip_word_suffix(before, kw))
            .unwrap_or(before)
            .trim_end();
        if let Some(condition) = if_condition_before(text, before.len(), false) {
            if let Some(reach) = conditional_reach(condition_env(condition), condition, false) {
                return Some(reach);
            }
        }
    }
    let mut current = Some(scope);
    let mut steps = 0;
    while let Some(id) = current {
        steps += 1;
        let Some(s) = facts.scopes.get(id as usize) else {
            break;
        };
        if steps > 64 {
            break;
        }
        if s.kind == ScopeKind::Block {
            if let Some((env, condition, negated)) = block_condition(facts, text, id, rust, 0) {
                match conditional_reach(env, condition, negated) {
                    Some(reach) => return Some(reach),
                    // Inside a production-only branch: nothing further out narrows it.
                    None if env.map(|e| if negated { e.flip() } else { e }) == Some(Env::Production) => return None,
                    None => {}
                }
            }
        }
        current = s.parent;
    }
    None
}

/// The reach of code that runs where `condition` holds (`negated`: where it
/// does not), given the environment the condition names, if any: tests or
/// development only, or an operator's switch; `None` when it says nothing
/// that narrows where the code runs.
fn conditional_reach(env: Option<Env>, condition: &str, negated: bool) -> Option<Reach> {
    match env.map(|e| if negated { e.flip() } else { e }) {
        Some(Env::NonProduction) => Some(Reach::OutsideProduction(non_production(condition, negated))),
        Some(Env::Production) => None,
        None if reads_configuration(condition) => Some(Reach::ByDefault(if negated {
            format!("only when `{}` is false", compact(condition, 60))
        } else {
            format!("only when `{}`", compact(condition, 60))
        })),
        None => None,
    }
}

/// Whether a condition reads configuration or an insecure switch
/// (`options.tlsInsecure`, `process.env.PARTNER_SANDBOX`,
/// `self.accept_invalid_certs`) rather than data the code meets at run time
/// (`err.code === 'SELF_SIGNED_CERT_IN_CHAIN'`, which an attacker controls).
fn reads_configuration(condition: &str) -> bool {
    const MARKERS: &[&str] = &[
        "process.env",
        "import.meta.env",
        "env::var",
        "getenv",
        "config",
        "options",
        "opts",
        "settings",
        "argv",
        "flags",
        "insecure",
        "acceptinvalid",
        "allowinvalid",
        "invalidcert",
        "invalidhost",
        "allowselfsigned",
        "skipverif",
        "noverif",
        "disableverif",
        "dangerous",
        "trustall",
        "acceptall",
        "ignorecert",
        "ignoretls",
    ];
    let normalized: String = condition
        .chars()
        .filter(|c| *c != '_' && !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    MARKERS.iter().any(|marker| normalized.contains(marker))
}

/// The clause for code that runs where `condition` holds (`negated`: where it does not).
fn non_production(condition: &str, negated: bool) -> String {
    if negated {
        format!("only outside production (where `{}` is false)", compact(condition, 60))
    } else {
        format!("only in tests or development (`{}`)", compact(condition, 60))
    }
}

/// The condition of the `if` a block is the body of (or the `else` of),
/// with the environment it names (as written, not flipped for an `else`),
/// and whether the block runs where the condition is false.
fn block_condition<'t>(
    facts: &Facts,
    text: &'t str,
    block: ScopeId,
    rust: bool,
    depth: usize,
) -> Option<(Option<Env>, &'t str, bool)> {
    let scope = facts.scopes.get(block as usize)?;
    if depth > 4 || text.as_bytes().get(scope.span.start) != Some(&b'{') {
        return None;
    }
    let before = text.get(..scope.span.start)?.trim_end();
    if let Some(rest) = strip_word_suffix(before, "else") {
        let rest = rest.trim_end();
        if !rest.ends_with('}') {
            return None;
        }
        let close = rest.len();
        let (previous, _) = facts
            .scopes
            .iter()
            .enumerate()
            .find(|(_, s)| s.kind == ScopeKind::Block && s.span.end == close && s.parent == scope.parent)?;
        let (env, condition, negated) = block_condition(facts, text, previous as ScopeId, rust, depth + 1)?;
        return Some((env, condition, !negated));
    }
    let condition = if_condition_before(text, before.len(), rust)?;
    Some((condition_env(condition), condition, false))
}

/// The condition of an `if` that ends at byte `end` (just before a block
/// or a brace-less statement): `if (c)` in JS, `if c` in Rust.
fn if_condition_before(text: &str, end: usize, rust: bool) -> Option<&str> {
    let before = text.get(..end)?;
    if rust {
        let window_start = crate::syntax::floor_char_boundary(text, end.saturating_sub(300));
        let window = &before[window_start..];
        let bytes = window.as_bytes();
        let at = window.rmatch_indices("if").map(|(i, _)| i).find(|&i| {
            (i == 0 || !is_ident_byte(bytes[i - 1])) && bytes.get(i + 2).is_some_and(|b| b.is_ascii_whitespace())
        })?;
        let condition = &window[at + 2..];
        if condition.contains(['{', '}', ';']) {
            return None;
        }
        return Some(condition.trim());
    }
    if !before.ends_with(')') {
        return None;
    }
    let open = opening_paren(before)?;
    strip_word_suffix(before[..open].trim_end(), "if")?;
    Some(before[open + 1..before.len() - 1].trim())
}

/// The `(` that the `)` ending `text` closes.
fn opening_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate().rev() {
        match b {
            b')' => depth += 1,
            b'(' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `text` without a trailing whole word `word`.
fn strip_word_suffix<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let rest = text.strip_suffix(word)?;
    (!rest.bytes().last().is_some_and(is_ident_byte)).then_some(rest)
}

/// Where the statement holding `span` starts: the outermost declaration,
/// assignment or call around it in its own scope.
fn statement_start(facts: &Facts, scope: ScopeId, span: Span) -> usize {
    let bindings = facts
        .bindings
        .iter()
        .filter(|b| matches!(b.kind, BindingKind::Variable | BindingKind::Assignment))
        .filter(|b| b.scope == scope && b.span.contains(span))
        .map(|b| b.span.start);
    let calls = facts
        .calls
        .iter()
        .filter(|c| c.scope == scope && c.span.contains(span))
        .map(|c| c.span.start);
    bindings.chain(calls).min().unwrap_or(span.start).min(span.start)
}

/// A `#[cfg(test)]`-like attribute ending `before`, if one does.
fn cfg_attribute_before(before: &str) -> Option<&str> {
    let mut rest = before;
    for _ in 0..4 {
        if !rest.ends_with(']') {
            return None;
        }
        let at = rest.rfind("#[")?;
        let attribute = &rest[at..];
        let inner = attribute
            .strip_prefix("#[")
            .and_then(|a| a.strip_suffix(']'))
            .map(str::trim)
            .and_then(|a| a.strip_prefix("cfg"))
            .map(str::trim_start)
            .and_then(|a| a.strip_prefix('('))
            .and_then(|a| a.strip_suffix(')'));
        if inner.and_then(cfg_env) == Some(Env::NonProduction) {
            return Some(attribute);
        }
        rest = rest[..at].trim_end();
    }
    None
}

/// A value a setting can have, found by following it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Leaf<'a> {
    /// The value.
    pub(crate) value: &'a Value,
    /// The value as written, when the Facts say where (a binding's value).
    pub(crate) written: Option<&'a str>,
    /// The constant or variable it was reached through, if any.
    pub(crate) via: Option<&'a str>,
    /// The ternary it is a branch of: its condition and whether this is the `then` branch.
    pub(crate) branch: Option<(&'a str, bool)>,
    /// Whether it is the fallback of `a ?? b`, `a || b` or `unwrap_or(b)`.
    pub(crate) fallback: bool,
}

/// Following a setting's value through the constants, variables and object
/// fields of one file.
pub(crate) struct Values<'a> {
    flow: &'a Flow<'a>,
    facts: &'a Facts,
    text: &'a str,
}

/// How many names and fields a value is followed through.
const MAX_DEPTH: usize = 8;
/// How many values one setting may have.
const MAX_LEAVES: usize = 16;

impl<'a> Values<'a> {
    pub(crate) fn new(flow: &'a Flow<'a>) -> Values<'a> {
        Values {
            flow,
            facts: flow.facts(),
            text: flow.text(),
        }
    }

    /// The values `value` (written as `written`, used at `at` in `scope`) can have.
    pub(crate) fn leaves(
        &self,
        value: &'a Value,
        scope: ScopeId,
        at: usize,
        written: Option<&'a str>,
    ) -> Vec<Leaf<'a>> {
        let mut out = Vec::new();
        let start = Leaf {
            value,
            written,
            via: None,
            branch: None,
            fallback: false,
        };
        self.collect(start, scope, at, 0, &mut out);
        out
    }

    fn resolve(&self, name: &str, scope: ScopeId, at: usize) -> Option<&'a Binding> {
        let binding = self.facts.bindings.get(self.flow.resolve(name, scope, at)? as usize)?;
        (binding.kind != BindingKind::Parameter && binding.value != Value::Unknown).then_some(binding)
    }

    fn collect(&self, leaf: Leaf<'a>, scope: ScopeId, at: usize, depth: usize, out: &mut Vec<Leaf<'a>>) {
        if depth > MAX_DEPTH || out.len() >= MAX_LEAVES {
            return;
        }
        match leaf.value {
            Value::Ident(name) => match self.resolve(name, scope, at) {
                Some(binding) => self.collect(
                    Leaf {
                        value: &binding.value,
                        written: value_text(self.text, binding),
                        via: leaf.via.or(Some(name.as_str())),
                        // A parameter's default holds only when the caller passes nothing.
                        fallback: leaf.fallback || binding.kind == BindingKind::Default,
                        ..leaf
                    },
                    binding.scope,
                    binding.span.start,
                    depth + 1,
                    out,
                ),
                None => out.push(leaf),
            },
            Value::Member(path) => {
                let fields = self.member_fields(path, scope, at, depth);
                if fields.is_empty() {
                    out.push(leaf);
                }
                for field in fields {
                    self.collect(
                        Leaf {
                            value: &field.value,
                            written: value_text(self.text, field),
                            via: leaf.via.or(Some(field.name.as_str())),
                            ..leaf
                        },
                        field.scope,
                        field.span.start,
                        depth + 1,
                        out,
                    );
                }
            }
            Value::Alternatives(values) => {
                let condition = leaf.written.and_then(ternary_condition).filter(|_| values.len() == 2);
                for (index, value) in values.iter().enumerate() {
                    let next = Leaf {
                        value,
                        written: None,
                        via: leaf.via,
                        branch: leaf.branch.or(condition.map(|c| (c, index == 0))),
                        fallback: leaf.fallback || condition.is_none(),
                    };
                    self.collect(next, scope, at, depth + 1, out);
                }
            }
            _ => out.push(leaf),
        }
    }

    /// The fields a member chain reads from object literals of the file:
    /// `config.tls.verify` with `const config = { tls: { verify: false } }`.
    fn member_fields(&self, path: &'a [String], scope: ScopeId, at: usize, depth: usize) -> Vec<&'a Binding> {
        let Some((first, rest)) = path.split_first() else {
            return Vec::new();
        };
        if rest.is_empty() {
            return Vec::new();
        }
        let Some(root) = self.resolve(first, scope, at) else {
            return Vec::new();
        };
        let mut current: Vec<&'a Binding> = vec![root];
        for segment in rest {
            let mut next = Vec::new();
            for holder in current {
                let mut objects = Vec::new();
                let start = Leaf {
                    value: &holder.value,
                    written: None,
                    via: None,
                    branch: None,
                    fallback: false,
                };
                self.collect(start, holder.scope, holder.span.start, depth + 1, &mut objects);
                for object in objects {
                    if let Value::Object(ids) = object.value {
                        next.extend(
                            ids.iter()
                                .filter_map(|id| self.facts.bindings.get(*id as usize))
                                .filter(|b| b.name == *segment),
                        );
                    }
                }
            }
            current = next;
        }
        current
    }

    /// The field `name` of the object literal that holds the field `field`.
    pub(crate) fn sibling(&self, field: &Binding, name: &str) -> Option<&'a Binding> {
        let index = self.facts.bindings.iter().position(|b| std::ptr::eq(b, field))? as u32;
        let holder = self.facts.bindings.iter().find_map(|b| match &b.value {
            Value::Object(ids) if ids.contains(&index) => Some(ids),
            _ => None,
        });
        let ids: Vec<u32> = match holder {
            Some(ids) => ids.clone(),
            None => self
                .facts
                .calls
                .iter()
                .flat_map(|c| c.args.iter())
                .find_map(|arg| match arg {
                    Value::Object(ids) if ids.contains(&index) => Some(ids.clone()),
                    _ => None,
                })?,
        };
        ids.iter()
            .filter_map(|id| self.facts.bindings.get(*id as usize))
            .find(|b| b.name == name)
    }
}

/// What a judge makes of one value a setting can have.
pub(crate) enum Judged {
    /// It turns the check off; when depends on how the value was reached.
    Off,
    /// It turns the check off with this reach (a comparison, a `cfg!`).
    OffWhen(Reach),
}

/// The widest reach with which one of `leaves` turns a check off, with that
/// leaf: a ternary branch on a test condition applies only outside
/// production, on another condition or as a fallback only by default.
pub(crate) fn value_reach<'l, 'a>(
    leaves: &'l [Leaf<'a>],
    judge: impl Fn(&Leaf<'a>) -> Option<Judged>,
) -> Option<(Reach, &'l Leaf<'a>)> {
    let mut best: Option<(Reach, &'l Leaf<'a>)> = None;
    for leaf in leaves {
        let reach = match judge(leaf) {
            None => continue,
            Some(Judged::OffWhen(reach)) => reach,
            Some(Judged::Off) => match leaf.branch {
                Some((condition, then)) => {
                    let env = condition_env(condition).map(|env| if then { env } else { env.flip() });
                    match env {
                        Some(Env::NonProduction) => Reach::OutsideProduction(non_production(condition, !then)),
                        Some(Env::Production) => Reach::Always,
                        None if reads_configuration(condition) => {
                            Reach::ByDefault(format!("depending on `{}`", compact(condition, 60)))
                        }
                        None => Reach::Always,
                    }
                }
                None if leaf.fallback => Reach::ByDefault("unless configuration or the caller sets it".to_string()),
                None => Reach::Always,
            },
        };
        if best.as_ref().is_none_or(|(b, _)| reach.rank() > b.rank()) {
            best = Some((reach, leaf));
        }
    }
    best
}

/// The reach of turning a check off with a comparison whose `true` turns it
/// on (`rejectUnauthorized: process.env.TLS_VERIFY === 'true'`): off outside
/// production for `NODE_ENV === 'production'`, off in production for
/// `NODE_ENV === 'test'`, off unless configured for `=== 'literal'`;
/// nothing for `!==`, which verifies unless told otherwise.
pub(crate) fn comparison_reach_when_true_is_on(written: &str) -> Option<Reach> {
    match condition_env(written) {
        Some(Env::Production) => {
            return Some(Reach::OutsideProduction(format!(
                "outside production (`{}`)",
                compact(written, 60)
            )));
        }
        Some(Env::NonProduction) => return Some(Reach::Always),
        None => {}
    }
    let c = strip_parens(written.trim());
    if find_top(c, "!==").is_some()
        || find_top(c, "!=").is_some()
        || split_top(c, "||").len() > 1
        || split_top(c, "&&").len() > 1
    {
        return None;
    }
    let at = find_top(c, "===").or_else(|| find_top(c, "=="))?;
    let op = if c[at..].starts_with("===") { 3 } else { 2 };
    let (left, right) = (c[..at].trim(), c[at + op..].trim());
    let (name, literal) = match (unquote(left), unquote(right)) {
        (None, Some(literal)) => (left, literal),
        (Some(literal), None) => (right, literal),
        _ => return None,
    };
    Some(Reach::ByDefault(format!(
        "unless `{}` is `{literal}`",
        compact(name, 40)
    )))
}

/// What a JS option configures, for messages.
pub(crate) struct Target {
    /// "this https agent", "this database connection", "these TLS options (`tlsOptions`)"…
    pub(crate) phrase: String,
    /// Whether it configures a server rather than a client.
    pub(crate) server: bool,
}

/// What the option `binding` (binding `id`, or `u32::MAX` when not known)
/// configures: the call its object is given to (directly, or through the
/// variable holding it), the object assigned to, or the variable holding it.
pub(crate) fn js_target(facts: &Facts, flow: &Flow<'_>, binding: &Binding, id: u32) -> Target {
    let text = flow.text();
    if binding.kind == BindingKind::Assignment {
        let object = &binding.path[..binding.path.len().saturating_sub(1)];
        let phrase = if let Some(at) = object.iter().position(|s| s == "globalAgent") {
            format!("every request through `{}`", object[..=at].join("."))
        } else {
            format!("`{}`", object.join("."))
        };
        return Target { phrase, server: false };
    }
    let innermost = |span: Span| {
        facts
            .calls
            .iter()
            .filter(|c| c.span.contains(span) && c.callee_span.end <= span.start)
            .min_by_key(|c| c.span.len())
    };
    if let Some(call) = innermost(binding.span) {
        return describe_call(facts, text, call);
    }
    // The object is kept in a variable: what the variable is given to.
    let id = if id == u32::MAX {
        facts
            .bindings
            .iter()
            .position(|b| std::ptr::eq(b, binding))
            .map_or(u32::MAX, |i| i as u32)
    } else {
        id
    };
    let holder =
        facts.bindings.iter().enumerate().find(|(_, b)| {
            b.kind == BindingKind::Variable && matches!(&b.value, Value::Object(ids) if ids.contains(&id))
        });
    if let Some((holder_id, holder)) = holder {
        for destination in flow.destinations_of_binding(holder_id as u32) {
            if let Destination::Argument { call, .. } = destination {
                if let Some(call) = facts.calls.get(call as usize) {
                    return describe_call(facts, text, call);
                }
            }
        }
        return Target {
            phrase: format!("these TLS options (`{}`)", holder.name),
            server: false,
        };
    }
    Target {
        phrase: "these TLS options".to_string(),
        server: false,
    }
}

fn describe_call(facts: &Facts, text: &str, call: &Call) -> Target {
    let path: Vec<&str> = call.callee.iter().map(String::as_str).collect();
    let first = path.first().copied().unwrap_or("");
    let last = path.last().copied().unwrap_or("");
    let module = facts.imports.iter().find_map(|import| {
        import
            .names
            .iter()
            .any(|n| n.local == first)
            .then(|| crate::syntax::normalize_module(&import.source))
    });
    let on = |name: &str| first == name || module == Some(name);
    let client = |phrase: &str| Target {
        phrase: phrase.to_string(),
        server: false,
    };
    match last {
        "createServer" | "createSecureServer" | "Server" if on("https") || on("tls") || on("http2") => Target {
            phrase: "this server".to_string(),
            server: true,
        },
        "Agent" if on("undici") || first == "undici" => client("this undici agent"),
        "Agent" if on("https") || on("http") => client("this https agent"),
        "Agent" => client("this agent"),
        "connect" if on("tls") => client("this TLS connection"),
        "request" | "get" if on("https") => client("this https request"),
        "Pool" | "createPool" | "createConnection" | "Sequelize" | "knex" | "postgres" => {
            client("this database connection")
        }
        _ if first == "axios" || module == Some("axios") => client("these axios requests"),
        _ if first == "got" || module == Some("got") => client("these got requests"),
        _ if first == "fetch" => client("this fetch request"),
        _ if first == "request" || module == Some("request") => client("this request"),
        _ => client(&format!("`{}(…)`", compact(call.callee_span.text(text), 40))),
    }
}

/// The text of a binding's value: after `=` for declarations, assignments
/// and defaults, after `:` for fields, after the key for keyed arguments.
pub(crate) fn value_text<'t>(text: &'t str, binding: &Binding) -> Option<&'t str> {
    if binding.name_span == binding.span {
        return None;
    }
    // A quoted or computed key (`'name': v`, `['name']: v`) ends after its name.
    let rest = text
        .get(binding.name_span.end..binding.span.end)?
        .trim_start_matches(['"', '\'', '`', ']']);
    let at = match binding.kind {
        BindingKind::Field | BindingKind::Attribute => top_level_find(rest, b':', false),
        BindingKind::Argument => top_level_commas(rest).first().copied(),
        _ => top_level_find(rest, b'=', true),
    }?;
    let value = rest[at + 1..].trim().trim_end_matches(';').trim_end();
    (!value.is_empty()).then_some(value)
}

/// The first top-level `byte` in `text` (for `=`, not `==`, `=>` or a type's `<…=…>`).
fn top_level_find(text: &str, byte: u8, assignment: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    scan_top(text, |i| {
        bytes[i] == byte
            && !(assignment
                && (matches!(bytes.get(i + 1), Some(b'=' | b'>'))
                    || i > 0 && matches!(bytes[i - 1], b'=' | b'!' | b'<' | b'>')))
            && !(byte == b':' && (bytes.get(i + 1) == Some(&b':') || i > 0 && bytes[i - 1] == b':'))
    })
    .into_iter()
    .next()
}

/// Offsets of the top-level commas of `text`.
pub(crate) fn top_level_commas(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    scan_top(text, |i| bytes[i] == b',')
}

/// Offsets of `text` at bracket depth 0 and outside strings where `wanted` holds.
fn scan_top(text: &str, wanted: impl Fn(usize) -> bool) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' | b'`' => quote = Some(b),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                _ if depth == 0 && wanted(i) => out.push(i),
                _ => {}
            },
        }
        i += 1;
    }
    out
}

/// `text` split at top-level occurrences of `separator`.
fn split_top<'t>(text: &'t str, separator: &str) -> Vec<&'t str> {
    let sep = separator.as_bytes();
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    for at in scan_top(text, |i| bytes[i..].starts_with(sep)) {
        if at >= start {
            parts.push(&text[start..at]);
            start = at + sep.len();
        }
    }
    parts.push(&text[start..]);
    parts
}

/// The first top-level occurrence of `needle` (an operator) in `text`.
fn find_top(text: &str, needle: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let n = needle.as_bytes();
    scan_top(text, |i| {
        bytes[i..].starts_with(n)
            // `!=` is not the end of `!==`, `==` not part of `===` or `!==`.
            && !(i > 0 && matches!(bytes[i - 1], b'=' | b'!'))
            && !(n.len() == 2 && bytes.get(i + 2) == Some(&b'='))
    })
    .into_iter()
    .next()
}

/// The condition of a ternary `c ? a : b` when the whole of `text` is one.
pub(crate) fn ternary_condition(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let question = scan_top(text, |i| {
        bytes[i] == b'?' && !matches!(bytes.get(i + 1), Some(b'.' | b'?')) && (i == 0 || bytes[i - 1] != b'?')
    })
    .into_iter()
    .next()?;
    let colon = scan_top(&text[question..], |i| bytes[question + i] == b':')
        .into_iter()
        .next();
    colon.map(|_| text[..question].trim())
}

/// `text` without parentheses around all of it.
fn strip_parens(mut text: &str) -> &str {
    for _ in 0..8 {
        let trimmed = text.trim();
        match trimmed.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            Some(inner) if opening_paren(trimmed) == Some(0) => text = inner,
            _ => return trimmed,
        }
    }
    text.trim()
}

/// The content of a quoted string literal.
fn unquote(text: &str) -> Option<&str> {
    let text = text.trim();
    let first = text.chars().next()?;
    if !matches!(first, '"' | '\'' | '`') || text.len() < 2 || !text.ends_with(first) {
        return None;
    }
    Some(&text[1..text.len() - 1])
}

/// Whitespace collapsed, cut to about `max` bytes with `…`.
pub(crate) fn compact(text: &str, max: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.len() <= max {
        return collapsed;
    }
    let cut = crate::syntax::floor_char_boundary(&collapsed, max);
    format!("{}…", &collapsed[..cut])
}

/// Whether `word` occurs in `text` as a whole identifier.
pub(crate) fn contains_word(text: &str, word: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(word).any(|(at, _)| {
        let end = at + word.len();
        (at == 0 || !is_ident_byte(bytes[at - 1])) && bytes.get(end).is_none_or(|b| !is_ident_byte(*b))
    })
}

/// Whether `name` (a whole identifier, possibly a quoted key or `['name']`)
/// is given a value — `name: v`, `name = v` — that does not start with the
/// literal `safe` (empty: any value counts).
pub(crate) fn set_to_other_than(text: &str, name: &str, safe: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, name.as_bytes()).any(|at| {
        let mut i = at + name.len();
        if at > 0 && is_ident_byte(bytes[at - 1])
            || bytes.get(i).is_some_and(|b| is_ident_byte(*b))
            || on_comment_line(text, at)
        {
            return false;
        }
        while bytes
            .get(i)
            .is_some_and(|b| matches!(b, b'"' | b'\'' | b'`' | b']') || b.is_ascii_whitespace())
        {
            i += 1;
        }
        let assigned = match bytes.get(i) {
            Some(b':') => bytes.get(i + 1) != Some(&b':'),
            Some(b'=') => !matches!(bytes.get(i + 1), Some(b'=' | b'>')),
            Some(b',') => true,
            _ => false,
        };
        if !assigned {
            return false;
        }
        i += 1;
        while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        safe.is_empty() || !starts_with_token(&text[i..], safe)
    })
}

/// Whether `name` (a whole identifier) is called with arguments that do not
/// start with the literal `safe` (empty: any call counts). Rust definitions
/// (`fn name(`) and lines that are comments (doc examples) are not calls.
pub(crate) fn called_with_other_than(text: &str, name: &str, safe: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, name.as_bytes()).any(|at| {
        let mut i = at + name.len();
        if at > 0 && is_ident_byte(bytes[at - 1])
            || bytes.get(i).is_some_and(|b| is_ident_byte(*b))
            || text[..at]
                .trim_end()
                .strip_suffix("fn")
                .is_some_and(|before| !before.bytes().last().is_some_and(is_ident_byte))
            || on_comment_line(text, at)
        {
            return false;
        }
        while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'(') {
            return false;
        }
        i += 1;
        while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        safe.is_empty() || !starts_with_token(&text[i..], safe)
    })
}

/// Whether `name` (a Rust method) is called with an argument that can be
/// `literal` as the rule follows values: the literal itself (or inside
/// `a || true`), a `cfg!(…)`, or a name the file gives that literal
/// (`const INSECURE: bool = true`, `insecure: true`). A negation
/// (`!config.verify`) or another value never is.
pub(crate) fn called_with_possibly(text: &str, name: &str, literal: &str) -> bool {
    call_arguments(text, name).any(|argument| {
        if argument.starts_with('!') {
            return false;
        }
        contains_word(argument, literal)
            || argument.contains("cfg!(")
            || argument
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|word| !word.is_empty() && !word.starts_with(|c: char| c.is_ascii_digit()))
                .any(|word| given_literal(text, word, literal))
    })
}

/// The argument lists (without parentheses, trimmed) of the calls of `name`
/// in `text`: whole identifiers followed by `(`, not Rust definitions
/// (`fn name(`), not on comment lines.
fn call_arguments<'t>(text: &'t str, name: &'t str) -> impl Iterator<Item = &'t str> {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, name.as_bytes()).filter_map(move |at| {
        let end = at + name.len();
        let defined = text[..at]
            .trim_end()
            .strip_suffix("fn")
            .is_some_and(|before| !before.bytes().last().is_some_and(is_ident_byte));
        if at > 0 && is_ident_byte(bytes[at - 1])
            || bytes.get(end).is_some_and(|b| is_ident_byte(*b))
            || defined
            || on_comment_line(text, at)
        {
            return None;
        }
        let open = end + (text[end..].len() - text[end..].trim_start().len());
        if bytes.get(open) != Some(&b'(') {
            return None;
        }
        let close = opening_to_closing(text, open)?;
        Some(text[open + 1..close].trim())
    })
}

/// The `)` closing the `(` at `open`.
fn opening_to_closing(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate().skip(open) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether the file gives `name` the value `literal` on one line: `name = literal`,
/// `name: literal`, `name: Type = literal`.
fn given_literal(text: &str, name: &str, literal: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(name).any(|(at, _)| {
        let end = at + name.len();
        if at > 0 && is_ident_byte(bytes[at - 1]) || bytes.get(end).is_some_and(|b| is_ident_byte(*b)) {
            return false;
        }
        let line_end = memchr::memchr(b'\n', &bytes[end..]).map_or(text.len(), |i| end + i);
        let rest = text[end..line_end].trim_start();
        (rest.starts_with(':') && !rest.starts_with("::") || rest.starts_with('=') && !rest.starts_with("=="))
            && contains_word(rest, literal)
            && !on_comment_line(text, at)
    })
}

/// Whether `text` starts with `token` not followed by more of an identifier or number.
fn starts_with_token(text: &str, token: &str) -> bool {
    text.starts_with(token)
        && !text[token.len()..]
            .bytes()
            .next()
            .is_some_and(|b| is_ident_byte(b) || b == b'.')
}

// ------------------------------------------------------------ configuration files

/// A text file that sets environment variables or runs commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConfigKind {
    /// `package.json`: its `scripts`.
    PackageJson,
    /// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `Containerfile`.
    Dockerfile,
    /// `docker-compose*.yml`, `compose*.yaml`.
    Compose,
    /// `.env`, `.env.*`, `*.env`.
    Env,
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The kind of configuration file at `path`, if it is one.
pub(crate) fn config_kind(path: &str) -> Option<ConfigKind> {
    let name = file_name(path).to_ascii_lowercase();
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    if name == "package.json" {
        Some(ConfigKind::PackageJson)
    } else if name == "dockerfile"
        || name.starts_with("dockerfile.")
        || name.ends_with(".dockerfile")
        || name == "containerfile"
        || name.starts_with("containerfile.")
    {
        Some(ConfigKind::Dockerfile)
    } else if yaml && (name.starts_with("docker-compose") || name.starts_with("compose")) {
        Some(ConfigKind::Compose)
    } else if name == ".env" || name.starts_with(".env.") || name.ends_with(".env") {
        Some(ConfigKind::Env)
    } else {
        None
    }
}

/// A part of a configuration file that sets variables or runs commands.
pub(crate) struct ConfigLine<'t> {
    /// The text as written in the file (a script's JSON string content, a line).
    pub(crate) text: &'t str,
    /// Where `text` starts in the file.
    pub(crate) at: usize,
    /// Why it applies only in tests or development, as a message clause, if it does.
    pub(crate) outside_production: Option<String>,
    /// What runs with it, for messages: "the `start` script", "every process in the image".
    pub(crate) scope: String,
}

/// Whether a name (a script, a file) is made of words that say tests or development.
fn names_non_production(name: &str) -> bool {
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(|word| {
            word.strip_prefix("pre")
                .or_else(|| word.strip_prefix("post"))
                .filter(|rest| NON_PRODUCTION_WORDS.contains(rest))
                .unwrap_or(word)
        })
        .any(|word| {
            NON_PRODUCTION_WORDS.contains(&word)
                || matches!(word, "jest" | "vitest" | "mocha" | "cypress" | "playwright")
        })
}

/// The lines of a configuration file that can set variables or run
/// commands: `package.json` scripts, and the lines of Dockerfiles, Compose
/// and `.env` files that are not comments.
pub(crate) fn config_lines<'t>(kind: ConfigKind, path: &str, text: &'t str) -> Vec<ConfigLine<'t>> {
    let name = file_name(path);
    let file_clause = names_non_production(name.trim_start_matches('.').trim_start_matches("env"))
        .then(|| format!("only in tests or development (`{name}`)"));
    if kind == ConfigKind::PackageJson {
        return package_scripts(text, file_clause);
    }
    let mut out = Vec::new();
    let mut offset = 0;
    let mut instruction = String::new();
    let mut continued = false;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if kind == ConfigKind::Dockerfile && !continued {
            instruction = trimmed.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        }
        continued = trimmed.ends_with('\\');
        let scope = match kind {
            ConfigKind::Dockerfile => match instruction.as_str() {
                "ENV" => "every process in the image",
                "ARG" | "RUN" => "the image's build steps",
                "CMD" | "ENTRYPOINT" => "the container's process",
                _ => "this instruction",
            },
            ConfigKind::Compose => "this service",
            _ => "the processes this file configures",
        };
        out.push(ConfigLine {
            text: line.trim_end_matches(['\n', '\r']),
            at,
            outside_production: file_clause.clone(),
            scope: scope.to_string(),
        });
    }
    out
}

/// The `scripts` of a `package.json`, each as its JSON string content in the file.
fn package_scripts(text: &str, file_clause: Option<String>) -> Vec<ConfigLine<'_>> {
    let Ok(serde_json::Value::Object(json)) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(serde_json::Value::Object(scripts)) = json.get("scripts") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let Some((key, value, value_at)) = json_pair(line) else {
            continue;
        };
        let decode = |raw: &str| serde_json::from_str::<String>(&format!("\"{raw}\"")).ok();
        let (Some(key), Some(decoded)) = (decode(key), decode(value)) else {
            continue;
        };
        if scripts.get(&key).and_then(|v| v.as_str()) != Some(decoded.as_str()) {
            continue;
        }
        let outside_production = file_clause.clone().or_else(|| {
            names_non_production(&key).then(|| format!("only in tests or development (the `{key}` script)"))
        });
        out.push(ConfigLine {
            text: value,
            at: at + value_at,
            outside_production,
            scope: format!("the `{key}` script"),
        });
    }
    out
}

/// A line that starts with `"key": "value"`: the raw key, the raw value and where the value starts.
fn json_pair(line: &str) -> Option<(&str, &str, usize)> {
    let lead = line.len() - line.trim_start().len();
    let rest = line[lead..].strip_prefix('"')?;
    let key_len = json_string_len(rest)?;
    let key = &rest[..key_len];
    let after = rest[key_len + 1..].trim_start().strip_prefix(':')?.trim_start();
    let value_start = line.len() - after.len() + 1;
    let value = after.strip_prefix('"')?;
    let value_len = json_string_len(value)?;
    Some((key, &value[..value_len], value_start))
}

/// The length of a JSON string's content up to its closing quote.
fn json_string_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Offsets in `line` of `NODE_TLS_REJECT_UNAUTHORIZED` given `0`: `=0`,
/// `="0"`, `: '0'`, `=\"0\"` in JSON, and (in Dockerfiles) `ENV NAME 0`.
pub(crate) fn zero_assignments(line: &str, space_form: bool) -> Vec<usize> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    for (at, _) in line.match_indices(NODE_TLS_ENV) {
        if at > 0 && is_ident_byte(bytes[at - 1]) {
            continue;
        }
        let mut i = at + NODE_TLS_ENV.len();
        while bytes.get(i).is_some_and(|b| matches!(b, b'"' | b'\'' | b'\\')) {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'=' | b':') => i += 1,
            Some(b' ' | b'\t') if space_form => {}
            _ => continue,
        }
        while bytes
            .get(i)
            .is_some_and(|b| matches!(b, b'"' | b'\'' | b'\\' | b' ' | b'\t'))
        {
            i += 1;
        }
        if bytes.get(i) == Some(&b'0')
            && !bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.')
        {
            out.push(at);
        }
    }
    out
}
