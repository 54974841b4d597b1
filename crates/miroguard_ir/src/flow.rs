//! Intra-procedural value flow over [`Facts`]: where a value comes from and
//! where it goes, within the function that computes it.
//!
//! Rules ask two questions. *Origins* (backward): what `update(x)`'s `x` is
//! made of — the latest binding of each identifier seen from the use,
//! through variables, parameters, destructuring, assignments, templates and
//! concatenation, and calls that only convert their input (`.toString()`,
//! `Buffer.from`, `hex::encode`, `format!`). *Destinations* (forward): every
//! binding name, object key, struct field, call argument and function return
//! that the result of a call reaches in its function.
//!
//! Flow is found by position: the front ends record the extent of every call,
//! binding and return (the *holders* of values), and a value at some span
//! flows into the innermost holder around it. A variable's later uses are
//! its occurrences in the source text that resolve to its binding. This
//! keeps the front ends simple and follows values through syntax the Facts do
//! not model (arithmetic, `await`, casts, closures passed to iterator adapters).
//!
//! What is deliberately not followed: bindings made inside a nested function
//! are invisible outside it (they are not in the scope chain), values stored
//! into object members (`this.x = v`) are reported but not tracked further,
//! and a callback given to a registration (`setTimeout`, `on`, `then`, route
//! handlers) does not hand its return value to the caller.

use crate::{BindingId, BindingKind, CallId, Facts, ScopeId, ScopeKind, Span, StrId, TemplatePart, Value};
use std::collections::{HashMap, HashSet};

/// How far a flow is followed before it is given up: far above real code.
const MAX_STEPS: usize = 64;

/// Something that holds a value at a place in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Holder {
    /// A call: as its receiver or one of its arguments.
    Call(CallId),
    /// A binding's value.
    Binding(BindingId),
    /// A return, by index in [`Facts::returns`].
    Return(u32),
}

/// Where a value goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// It is (part of) the value given to a binding: a variable, an
    /// assignment target, an object key or struct field, a keyed argument.
    Binding(BindingId),
    /// It is (part of) argument `index` of a call (`None` when the argument
    /// could not be told).
    Argument {
        /// The call.
        call: CallId,
        /// Which argument.
        index: Option<usize>,
    },
    /// It is the receiver of a method call.
    Receiver(CallId),
    /// A function returns it.
    Return {
        /// The index in [`Facts::returns`].
        ret: u32,
        /// The function's scope.
        function: ScopeId,
    },
}

/// Where (part of) a value comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin<'f> {
    /// The source.
    pub kind: OriginKind<'f>,
    /// The bindings the value passed through on the way, innermost last.
    pub via: Vec<BindingId>,
}

/// What an origin is.
#[derive(Clone, Debug, PartialEq)]
pub enum OriginKind<'f> {
    /// A string literal.
    Literal(StrId),
    /// A number literal.
    Number(&'f str),
    /// A name with no binding in the file, or a parameter.
    Name(&'f str),
    /// A member chain: `req.body.password`.
    Member(&'f [String]),
    /// A call's result.
    Call(CallId),
    /// Something the Facts do not model.
    Unknown,
}

/// Value-flow queries over one file's Facts.
#[derive(Debug)]
pub struct Flow<'f> {
    facts: &'f Facts,
    text: &'f str,
    /// Bindings that give a plain name its value, by name, in source order.
    defs: HashMap<&'f str, Vec<BindingId>>,
    /// Every holder with its extent, by where it starts.
    holders: Vec<(Span, Holder)>,
    /// For each holder, the furthest any holder up to it in `holders` reaches:
    /// no holder before one whose reach ends before a span can contain it.
    holder_reach: Vec<usize>,
    /// The function (or module) scope each scope belongs to.
    function_of: Vec<ScopeId>,
    /// String literal and comment extents, sorted: occurrences there are not uses.
    inert: Vec<Span>,
}

impl<'f> Flow<'f> {
    /// Indexes `facts`, lowered from `text`.
    pub fn new(facts: &'f Facts, text: &'f str) -> Flow<'f> {
        let mut defs: HashMap<&'f str, Vec<BindingId>> = HashMap::new();
        let mut holders = Vec::with_capacity(facts.calls.len() + facts.bindings.len() + facts.returns.len());
        for (id, binding) in facts.bindings.iter().enumerate() {
            let id = id as BindingId;
            if defines_name(binding) {
                defs.entry(binding.name.as_str()).or_default().push(id);
            }
            if binding.kind != BindingKind::Parameter {
                holders.push((value_region(binding), Holder::Binding(id)));
            }
        }
        for (id, call) in facts.calls.iter().enumerate() {
            holders.push((call.span, Holder::Call(id as CallId)));
        }
        for (id, ret) in facts.returns.iter().enumerate() {
            holders.push((ret.span, Holder::Return(id as u32)));
        }
        holders.sort_by_key(|(span, _)| span.start);
        let mut function_of = Vec::with_capacity(facts.scopes.len());
        for (id, scope) in facts.scopes.iter().enumerate() {
            let function = match (scope.kind, scope.parent) {
                (ScopeKind::Function | ScopeKind::Module, _) | (_, None) => id as ScopeId,
                (_, Some(parent)) => function_of.get(parent as usize).copied().unwrap_or(0),
            };
            function_of.push(function);
        }
        let mut inert: Vec<Span> = facts
            .strings
            .iter()
            .map(|s| s.span)
            .chain(facts.comments.iter().map(|c| c.span))
            .collect();
        inert.sort_by_key(|s| s.start);
        Flow {
            facts,
            text,
            defs,
            holder_reach: holders
                .iter()
                .scan(0, |reach, (span, _)| {
                    *reach = (*reach).max(span.end);
                    Some(*reach)
                })
                .collect(),
            holders,
            function_of,
            inert,
        }
    }

    /// The facts this flow is over.
    pub fn facts(&self) -> &'f Facts {
        self.facts
    }

    /// The source text the facts were lowered from.
    pub fn text(&self) -> &'f str {
        self.text
    }

    /// The function (or module) scope that `scope` is part of.
    pub fn function_of(&self, scope: ScopeId) -> ScopeId {
        self.function_of.get(scope as usize).copied().unwrap_or(0)
    }

    /// The name of the function `scope` is part of, if it has one.
    pub fn function_name(&self, scope: ScopeId) -> Option<&'f str> {
        let function = self.function_of(scope);
        self.facts.scopes.get(function as usize)?.name.as_deref()
    }

    /// The innermost scope around byte offset `at`.
    pub fn scope_at(&self, at: usize) -> ScopeId {
        let mut best: Option<(usize, ScopeId)> = None;
        for (id, scope) in self.facts.scopes.iter().enumerate() {
            if scope.span.start <= at && at < scope.span.end.max(scope.span.start + 1) {
                let len = scope.span.len();
                if best.is_none_or(|(best_len, _)| len <= best_len) {
                    best = Some((len, id as ScopeId));
                }
            }
        }
        best.map_or(0, |(_, id)| id)
    }

    /// The binding that gives `name` its value where it is used at offset
    /// `at` in `scope`: the latest one before `at` in the innermost enclosing
    /// scope that has one. Bindings inside nested functions are not seen.
    pub fn resolve(&self, name: &str, scope: ScopeId, at: usize) -> Option<BindingId> {
        let candidates = self.defs.get(name)?;
        let mut current = Some(scope);
        let mut steps = 0;
        while let Some(id) = current {
            let found = candidates.iter().rev().copied().find(|b| {
                self.facts
                    .bindings
                    .get(*b as usize)
                    .is_some_and(|b| b.scope == id && b.span.start < at)
            });
            if found.is_some() {
                return found;
            }
            // A function's own declarations (hoisted `var`, later `let` in a
            // loop) are not looked for: only what came before the use.
            current = self.facts.scopes.get(id as usize).and_then(|s| s.parent);
            steps += 1;
            if steps > crate::MAX_NESTING {
                break;
            }
        }
        None
    }

    /// Where `value`, used at offset `at` in `scope`, comes from.
    pub fn origins(&self, value: &'f Value, scope: ScopeId, at: usize) -> Vec<Origin<'f>> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        self.collect_origins(value, scope, at, &mut Vec::new(), &mut seen, &mut out);
        out
    }

    fn collect_origins(
        &self,
        value: &'f Value,
        scope: ScopeId,
        at: usize,
        via: &mut Vec<BindingId>,
        seen: &mut HashSet<BindingId>,
        out: &mut Vec<Origin<'f>>,
    ) {
        if out.len() >= MAX_STEPS || via.len() >= MAX_STEPS {
            return;
        }
        let mut push = |kind| out.push(Origin { kind, via: via.clone() });
        match value {
            Value::Str(id) => push(OriginKind::Literal(*id)),
            Value::Number(n) => push(OriginKind::Number(n)),
            Value::Member(path) => push(OriginKind::Member(path)),
            Value::Ident(name) => self.collect_origins_of_name(name, scope, at, via, seen, out),
            Value::Template(parts) => {
                for part in parts {
                    match part {
                        TemplatePart::Str(id) => out.push(Origin {
                            kind: OriginKind::Literal(*id),
                            via: via.clone(),
                        }),
                        TemplatePart::Expr(value) => self.collect_origins(value, scope, at, via, seen, out),
                    }
                }
            }
            Value::Alternatives(values) | Value::Array(values) | Value::Computed(values) => {
                for value in values {
                    self.collect_origins(value, scope, at, via, seen, out);
                }
            }
            Value::Object(fields) => {
                for field in fields {
                    if let Some(binding) = self.facts.bindings.get(*field as usize) {
                        self.collect_origins(&binding.value, scope, at, via, seen, out);
                    }
                }
            }
            Value::Call(id) => {
                push(OriginKind::Call(*id));
                let Some(call) = self.facts.calls.get(*id as usize) else {
                    return;
                };
                let method = call.callee.last().map(String::as_str).unwrap_or("");
                let at = call.span.start;
                if let Some(receiver) = call.receiver.as_deref() {
                    if !is_predicate(method) {
                        self.collect_origins(receiver, scope, at, via, seen, out);
                    }
                } else if call.callee.len() > 1 && !is_predicate(method) && is_conversion(method) {
                    // `token.toString()` lowered as a path call: the receiver is the path before the method.
                    let receiver = &call.callee[..call.callee.len() - 1];
                    if let [name] = receiver {
                        self.collect_origins_of_name(name, scope, at, via, seen, out);
                    } else {
                        out.push(Origin {
                            kind: OriginKind::Member(receiver),
                            via: via.clone(),
                        });
                    }
                }
                if passes_arguments_through(call) {
                    for arg in &call.args {
                        self.collect_origins(arg, scope, at, via, seen, out);
                    }
                }
            }
            Value::Bool(_) | Value::Null | Value::Unknown => push(OriginKind::Unknown),
        }
    }

    fn collect_origins_of_name(
        &self,
        name: &'f str,
        scope: ScopeId,
        at: usize,
        via: &mut Vec<BindingId>,
        seen: &mut HashSet<BindingId>,
        out: &mut Vec<Origin<'f>>,
    ) {
        match self.resolve(name, scope, at) {
            Some(id) if seen.insert(id) => {
                let binding = &self.facts.bindings[id as usize];
                via.push(id);
                if binding.kind == BindingKind::Parameter || binding.value == Value::Unknown {
                    out.push(Origin {
                        kind: OriginKind::Name(&binding.name),
                        via: via.clone(),
                    });
                } else {
                    self.collect_origins(&binding.value, binding.scope, binding.span.start, via, seen, out);
                }
                via.pop();
            }
            Some(_) => {}
            None => out.push(Origin {
                kind: OriginKind::Name(name),
                via: via.clone(),
            }),
        }
    }

    /// Every name an origin says something about: the bindings it passed
    /// through, then its own name (a parameter's, a member's last segment).
    pub fn origin_names<'o>(&'o self, origin: &'o Origin<'f>) -> impl Iterator<Item = &'o str> + 'o {
        let own = match &origin.kind {
            OriginKind::Name(name) => Some(*name),
            OriginKind::Member(path) => path.last().map(String::as_str),
            _ => None,
        };
        let last_via = origin
            .via
            .last()
            .and_then(|id| self.facts.bindings.get(*id as usize))
            .map(|b| b.name.as_str());
        origin
            .via
            .iter()
            .filter_map(|id| self.facts.bindings.get(*id as usize))
            .map(|b| b.name.as_str())
            .chain(own.filter(|own| Some(*own) != last_via))
    }

    /// Where the result of call `call` goes within its function.
    pub fn destinations_of_call(&self, call: CallId) -> Vec<Destination> {
        let Some(c) = self.facts.calls.get(call as usize) else {
            return Vec::new();
        };
        let mut walk = Walk::default();
        self.forward(c.span, c.scope, Some(Holder::Call(call)), &mut walk);
        walk.out
    }

    /// Where the value of the binding `binding` goes within its function.
    pub fn destinations_of_binding(&self, binding: BindingId) -> Vec<Destination> {
        let mut walk = Walk::default();
        self.forward_binding(binding, &mut walk);
        walk.out
    }

    /// Follows a value at `at` (in `scope`) to its innermost holder.
    fn forward(&self, at: Span, scope: ScopeId, itself: Option<Holder>, walk: &mut Walk) {
        if walk.steps >= MAX_STEPS {
            return;
        }
        walk.steps += 1;
        let function = self.function_of(scope);
        let Some(holder) = self.holder_around(at, function, itself) else {
            return;
        };
        if !walk.seen.insert((holder, at)) {
            return;
        }
        match holder {
            Holder::Call(id) => {
                let call = &self.facts.calls[id as usize];
                let method = call.callee.last().map(String::as_str).unwrap_or("");
                if call.callee_span.contains(at) && call.callee_span != at {
                    walk.out.push(Destination::Receiver(id));
                    if is_predicate(method) {
                        return;
                    }
                    if is_out_parameter_fill(method) {
                        // `rng.fill_bytes(&mut key)`: the argument receives the value.
                        for arg in &call.args {
                            if let Some(name) = plain_name(arg) {
                                if let Some(target) = self.resolve(name, call.scope, call.span.start) {
                                    walk.out.push(Destination::Binding(target));
                                    self.forward_binding(target, walk);
                                }
                            }
                        }
                    }
                    self.forward(call.span, call.scope, Some(holder), walk);
                } else {
                    let index = self.argument_index(call, at);
                    walk.out.push(Destination::Argument { call: id, index });
                    if passes_arguments_through(call) {
                        self.forward(call.span, call.scope, Some(holder), walk);
                    }
                }
            }
            Holder::Binding(id) => {
                walk.out.push(Destination::Binding(id));
                let binding = &self.facts.bindings[id as usize];
                if defines_name(binding) {
                    self.forward_uses(id, walk);
                } else if matches!(
                    binding.kind,
                    BindingKind::Field | BindingKind::Argument | BindingKind::Named | BindingKind::Default
                ) {
                    // The object, keyed argument or macro the field is part of.
                    self.forward(binding.span, binding.scope, Some(holder), walk);
                }
            }
            Holder::Return(index) => {
                let Some(ret) = self.facts.returns.get(index as usize) else {
                    return;
                };
                let function = self.function_of(ret.scope);
                walk.out.push(Destination::Return { ret: index, function });
                // A callback's result is what an adapter like `map` or
                // `Array.from` builds its own result from.
                let Some(scope) = self.facts.scopes.get(function as usize) else {
                    return;
                };
                if scope.name.is_none() && scope.kind == ScopeKind::Function {
                    let outer = scope.parent.unwrap_or(0);
                    if let Some(Holder::Call(adapter)) = self.holder_around(scope.span, self.function_of(outer), None) {
                        let call = &self.facts.calls[adapter as usize];
                        let method = call.callee.last().map(String::as_str).unwrap_or("");
                        if !is_callback_registration(method) {
                            walk.out.push(Destination::Argument {
                                call: adapter,
                                index: None,
                            });
                            self.forward(call.span, call.scope, Some(Holder::Call(adapter)), walk);
                        }
                    }
                }
            }
        }
    }

    /// Follows a variable's value to its uses after it is bound.
    fn forward_binding(&self, id: BindingId, walk: &mut Walk) {
        let Some(binding) = self.facts.bindings.get(id as usize) else {
            return;
        };
        if defines_name(binding) {
            self.forward_uses(id, walk);
        }
    }

    /// The uses of the name bound by `id` that see this binding.
    fn forward_uses(&self, id: BindingId, walk: &mut Walk) {
        if !walk.followed.insert(id) {
            return;
        }
        let binding = &self.facts.bindings[id as usize];
        let name = binding.name.as_str();
        let Some(scope) = self.facts.scopes.get(binding.scope as usize) else {
            return;
        };
        let start = binding.span.end.min(self.text.len());
        let end = scope.span.end.min(self.text.len());
        if name.is_empty() || start >= end {
            return;
        }
        let region = &self.text[start..end];
        let mut from = 0;
        while let Some(found) = region[from..].find(name) {
            let at = start + from + found;
            from += found + name.len();
            if !self.is_use(at, name.len()) {
                continue;
            }
            let use_scope = self.scope_at(at);
            if self.resolve(name, use_scope, at) != Some(id) {
                continue;
            }
            self.forward(Span::new(at, at + name.len()), use_scope, None, walk);
            if walk.steps >= MAX_STEPS {
                return;
            }
        }
    }

    /// Whether the text at `at` is a use of an identifier `len` bytes long:
    /// a whole word, not a member name (`a.name`), not an object key
    /// (`{ name: v }`), not in a string or comment.
    pub fn is_use(&self, at: usize, len: usize) -> bool {
        let bytes = self.text.as_bytes();
        let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
        if at > bytes.len() || at > 0 && (is_ident(bytes[at - 1]) || bytes[at - 1] == b'.') {
            return false;
        }
        if bytes.get(at + len).is_some_and(|b| is_ident(*b)) {
            return false;
        }
        let mut after = at + len;
        while bytes.get(after).is_some_and(|b| b.is_ascii_whitespace()) {
            after += 1;
        }
        let mut before = at;
        while before > 0 && bytes[before - 1].is_ascii_whitespace() {
            before -= 1;
        }
        let object_key = bytes.get(after) == Some(&b':')
            && bytes.get(after + 1) != Some(&b':')
            && before > 0
            && matches!(bytes[before - 1], b'{' | b',');
        if object_key {
            return false;
        }
        let index = self.inert.partition_point(|s| s.start <= at);
        !self.inert[..index].iter().rev().take(8).any(|s| s.end > at)
    }

    /// The innermost holder around `at` in `function`, other than `itself`.
    fn holder_around(&self, at: Span, function: ScopeId, itself: Option<Holder>) -> Option<Holder> {
        let mut best: Option<(usize, Holder)> = None;
        // Backwards from the last holder that starts at or before `at`: a
        // holder that contains `at` and starts at `s` is at least
        // `at.end - s` long, so once that exceeds the best length found, no
        // earlier holder can do better (each check is local, not a scan of the file).
        let end = self.holders.partition_point(|(span, _)| span.start <= at.start);
        for (index, (span, holder)) in self.holders[..end].iter().enumerate().rev() {
            if self.holder_reach[index] < at.end || best.is_some_and(|(len, _)| at.end - span.start > len) {
                break;
            }
            if Some(*holder) == itself || !span.contains(at) || span.is_empty() {
                continue;
            }
            if self.function_of(self.holder_scope(*holder)) != function {
                continue;
            }
            let len = span.len();
            let better = match best {
                None => true,
                // Among equal extents (`return f(x)`), the outer holder is the later one.
                Some((best_len, best_holder)) => {
                    len < best_len || len == best_len && holder_rank(*holder) > holder_rank(best_holder)
                }
            };
            if better {
                best = Some((len, *holder));
            }
        }
        best.map(|(_, holder)| holder)
    }

    fn holder_scope(&self, holder: Holder) -> ScopeId {
        match holder {
            Holder::Call(id) => self.facts.calls.get(id as usize).map_or(0, |c| c.scope),
            Holder::Binding(id) => self.facts.bindings.get(id as usize).map_or(0, |b| b.scope),
            Holder::Return(id) => self.facts.returns.get(id as usize).map_or(0, |r| r.scope),
        }
    }

    /// Which argument of `call` holds the value at `at`, found from the
    /// argument values (the Facts keep no argument extents).
    fn argument_index(&self, call: &crate::Call, at: Span) -> Option<usize> {
        // Coming from a keyed argument or an object field: the argument is
        // that value, or the object that holds the field.
        if let Some((id, binding)) = self.facts.bindings.iter().enumerate().find(|(_, b)| b.span == at) {
            let id = id as BindingId;
            let found = call.args.iter().position(|arg| match arg {
                Value::Object(fields) => fields.contains(&id),
                arg => binding.kind == BindingKind::Argument && *arg == binding.value,
            });
            if found.is_some() {
                return found;
            }
        }
        let inner_call = self
            .facts
            .calls
            .iter()
            .position(|c| c.span == at)
            .map(|id| id as CallId);
        let name = at.text(self.text);
        call.args
            .iter()
            .position(|arg| mentions(self.facts, arg, inner_call, name))
    }
}

/// State of one forward walk.
#[derive(Default)]
struct Walk {
    out: Vec<Destination>,
    seen: HashSet<(Holder, Span)>,
    followed: HashSet<BindingId>,
    steps: usize,
}

/// The rank that breaks ties between holders of the same extent: a return
/// or binding holds the call it has the same extent as.
fn holder_rank(holder: Holder) -> u8 {
    match holder {
        Holder::Call(_) => 0,
        Holder::Binding(_) => 1,
        Holder::Return(_) => 2,
    }
}

/// Whether `value` is or contains (through templates, alternatives, arrays,
/// objects and conversions) the call `call` or the plain name `name`.
fn mentions(facts: &Facts, value: &Value, call: Option<CallId>, name: &str) -> bool {
    match value {
        Value::Call(id) => {
            Some(*id) == call
                || facts.calls.get(*id as usize).is_some_and(|c| {
                    c.receiver.as_deref().is_some_and(|r| mentions(facts, r, call, name))
                        || c.args.iter().any(|a| mentions(facts, a, call, name))
                        || c.callee
                            .first()
                            .is_some_and(|first| first == name && c.callee.len() > 1)
                })
        }
        Value::Ident(ident) => ident == name,
        Value::Member(path) => path.first().is_some_and(|first| first == name),
        Value::Template(parts) => parts
            .iter()
            .any(|p| matches!(p, TemplatePart::Expr(v) if mentions(facts, v, call, name))),
        Value::Alternatives(values) | Value::Array(values) | Value::Computed(values) => {
            values.iter().any(|v| mentions(facts, v, call, name))
        }
        Value::Object(fields) => fields.iter().any(|f| {
            facts
                .bindings
                .get(*f as usize)
                .is_some_and(|b| mentions(facts, &b.value, call, name))
        }),
        _ => false,
    }
}

/// Whether `binding` gives a plain variable name its value.
fn defines_name(binding: &crate::Binding) -> bool {
    match binding.kind {
        BindingKind::Variable | BindingKind::Parameter | BindingKind::Default => true,
        BindingKind::Assignment => binding.path.len() == 1,
        _ => false,
    }
}

/// The extent of a binding's value: after its name, to its end; the whole
/// binding for a shorthand field (`{ token }`), whose name is its value.
fn value_region(binding: &crate::Binding) -> Span {
    if binding.name_span == binding.span || binding.name_span.end >= binding.span.end {
        binding.span
    } else {
        Span::new(binding.name_span.end, binding.span.end)
    }
}

fn plain_name(value: &Value) -> Option<&str> {
    match value {
        Value::Ident(name) => Some(name),
        _ => None,
    }
}

/// Methods whose result says something about the value but does not carry it.
fn is_predicate(method: &str) -> bool {
    matches!(
        method,
        "includes"
            | "has"
            | "contains"
            | "startsWith"
            | "endsWith"
            | "starts_with"
            | "ends_with"
            | "indexOf"
            | "lastIndexOf"
            | "test"
            | "equals"
            | "eq"
            | "ne"
            | "cmp"
            | "len"
            | "is_empty"
            | "isEmpty"
            | "is_some"
            | "is_none"
            | "is_ok"
            | "is_err"
            | "localeCompare"
            | "compare"
            | "timingSafeEqual"
            | "verify"
    )
}

/// Methods that convert a value without changing what it is made from.
pub fn is_conversion(method: &str) -> bool {
    matches!(
        method,
        "toString"
            | "to_string"
            | "to_owned"
            | "into"
            | "clone"
            | "as_bytes"
            | "as_str"
            | "to_vec"
            | "trim"
            | "toLowerCase"
            | "toUpperCase"
            | "to_lowercase"
            | "to_uppercase"
            | "slice"
            | "substring"
            | "substr"
            | "valueOf"
            | "toFixed"
            | "padStart"
            | "padEnd"
            | "as_ref"
            | "borrow"
            | "unwrap"
            | "expect"
    )
}

/// Methods that fill their argument with the receiver's output.
fn is_out_parameter_fill(method: &str) -> bool {
    matches!(method, "fill_bytes" | "try_fill_bytes" | "fill" | "try_fill")
}

/// Functions a callback is registered with, rather than called by to build a value.
fn is_callback_registration(method: &str) -> bool {
    matches!(
        method,
        "then"
            | "catch"
            | "finally"
            | "on"
            | "once"
            | "addEventListener"
            | "setTimeout"
            | "setInterval"
            | "setImmediate"
            | "nextTick"
            | "forEach"
            | "for_each"
            | "get"
            | "post"
            | "put"
            | "patch"
            | "delete"
            | "use"
            | "all"
            | "route"
            | "listen"
            | "spawn"
            | "it"
            | "test"
            | "describe"
            | "useEffect"
            | "useCallback"
            | "useMemo"
    )
}

/// Whether a call's result is made from its arguments: conversions,
/// encoders, number rounding, string building and hashing steps.
fn passes_arguments_through(call: &crate::Call) -> bool {
    let Some(last) = call.callee.last() else {
        return false;
    };
    let first = call.callee.first().map(String::as_str).unwrap_or("");
    if call.is_macro {
        return matches!(last.as_str(), "format" | "format_args" | "concat" | "vec");
    }
    matches!(
        last.as_str(),
        "floor"
            | "round"
            | "ceil"
            | "trunc"
            | "abs"
            | "String"
            | "Number"
            | "BigInt"
            | "parseInt"
            | "parseFloat"
            | "from"
            | "from_utf8"
            | "from_utf8_lossy"
            | "encode"
            | "encode_upper"
            | "encode_to_string"
            | "encodeURIComponent"
            | "encodeURI"
            | "btoa"
            | "stringify"
            | "concat"
            | "join"
            | "update"
            | "chain"
            | "chain_update"
            | "push"
            | "push_str"
            | "append"
            | "digest"
            | "new_with_prefix"
            | "compute"
            | "map"
            | "replace"
            | "to_base64"
            | "toBase64"
            | "fromCharCode"
            | "collect"
            | "Some"
            | "Ok"
            | "charAt"
            | "at"
            | "choose"
            | "sample"
            | "sample_string"
            | "sample_iter"
            | "gen_range"
            | "random_range"
            | "pick"
    ) || (first == "Math" && last != "random")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_of_values() {
        let mut binding = crate::Binding {
            kind: BindingKind::Variable,
            name: "a".into(),
            path: vec!["a".into()],
            name_span: Span::new(6, 7),
            value: Value::Unknown,
            span: Span::new(0, 12),
            scope: 0,
        };
        assert_eq!(value_region(&binding), Span::new(7, 12));
        binding.name_span = binding.span;
        assert_eq!(value_region(&binding), Span::new(0, 12));
    }

    #[test]
    fn predicates_stop_flow_and_conversions_do_not() {
        assert!(is_predicate("includes") && is_predicate("is_empty"));
        assert!(is_conversion("toString") && !is_conversion("includes"));
    }
}
