//! Lowering expressions to values, recording the calls, strings and bindings
//! inside them on the way.
//!
//! Chains that syn nests to the left (`a.b().c()?`, `a + b + c`, `if … else
//! if …`) are walked in loops, so that a long builder chain costs no depth.

use crate::lower::{Lowerer, ident_string};
use crate::span::{self, expr_first, expr_last};
use miroguard_ir::{BindingKind, Call, CallId, StrId, Value};
use proc_macro2::Span as TokenSpan;
use syn::visit::{self, Visit};
use syn::{Expr, ExprCall, ExprClosure, ExprMethodCall, ExprStruct, Lit, Member, Path};

/// Methods that return their receiver's text unchanged (or unwrap it).
const TRANSPARENT_METHODS: &[&str] = &[
    "to_string",
    "to_owned",
    "into",
    "as_str",
    "as_bytes",
    "into_boxed_str",
    "into_bytes",
    "to_vec",
    "clone",
    "as_ref",
    "as_deref",
    "into_owned",
    "unwrap",
    "expect",
];

/// Functions (by their last two path segments, or one) whose single argument
/// is their value: conversions and wrappers that keep a string's text.
const TRANSPARENT_FUNCTIONS: &[(&str, &str)] = &[
    ("String", "from"),
    ("Box", "from"),
    ("Box", "new"),
    ("Cow", "Borrowed"),
    ("Cow", "Owned"),
    ("Cow", "from"),
    ("Arc", "from"),
    ("Arc", "new"),
    ("Rc", "from"),
    ("Rc", "new"),
    ("HeaderValue", "from_static"),
    ("HeaderValue", "from_str"),
    ("Secret", "new"),
    ("SecretString", "new"),
    ("SecretString", "from"),
    ("SecretBox", "new"),
    ("Option", "Some"),
    ("Result", "Ok"),
    ("", "Some"),
    ("", "Ok"),
];

/// Whether a string can key the argument after it: `"x-api-key"`, `"API_KEY"`.
pub(crate) fn is_key_like(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// The alternatives `values`, flattened: `Alternatives` never nest.
fn alternatives(values: impl IntoIterator<Item = Value>) -> Value {
    let mut out = Vec::new();
    for value in values {
        match value {
            Value::Alternatives(inner) => out.extend(inner),
            other => out.push(other),
        }
    }
    Value::Alternatives(out)
}

/// The identifiers of a path, without generic arguments.
pub(crate) fn path_segments(path: &Path) -> Vec<String> {
    path.segments
        .iter()
        .map(|segment| ident_string(&segment.ident))
        .collect()
}

fn member_name(member: &Member) -> (String, TokenSpan) {
    match member {
        Member::Named(ident) => (ident_string(ident), ident.span()),
        Member::Unnamed(index) => (index.index.to_string(), index.span),
    }
}

/// What a postfix chain has evaluated to so far.
///
/// As a value, a chain is `x` → `Ident`, `a::b` / `a.b` → `Member`, `None` → `Null`.
enum Current {
    /// Still a plain path or field chain: `client`, `self.http`.
    Chain(Vec<String>),
    Value(Value),
}

impl Current {
    fn into_value(self) -> Value {
        match self {
            Current::Chain(mut segments) if segments.len() == 1 => match segments.pop() {
                Some(name) if name == "None" => Value::Null,
                Some(name) => Value::Ident(name),
                None => Value::Unknown,
            },
            Current::Chain(segments) => Value::Member(segments),
            Current::Value(value) => value,
        }
    }
}

impl Lowerer<'_> {
    /// Lowers an expression to its value.
    pub(crate) fn expr(&mut self, expr: &Expr) -> Value {
        if !self.enter(expr_first(expr)) {
            return Value::Unknown;
        }
        let value = self.expr_inner(expr);
        self.leave();
        value
    }

    fn expr_inner(&mut self, expr: &Expr) -> Value {
        match expr {
            Expr::Lit(e) => {
                self.attrs(&e.attrs);
                self.lit_value(&e.lit)
            }
            Expr::Path(e) => {
                self.attrs(&e.attrs);
                if let Some(qself) = &e.qself {
                    self.visit_type(&qself.ty);
                }
                for segment in &e.path.segments {
                    self.visit_path_arguments(&segment.arguments);
                }
                Current::Chain(path_segments(&e.path)).into_value()
            }
            Expr::Field(_) | Expr::MethodCall(_) | Expr::Try(_) | Expr::Await(_) | Expr::Index(_) => {
                self.postfix_chain(expr)
            }
            Expr::Call(e) => self.call(e),
            Expr::Macro(e) => {
                self.attrs(&e.attrs);
                self.lower_macro(&e.mac)
            }
            Expr::Struct(e) => self.struct_literal(e),
            Expr::Array(e) => {
                self.attrs(&e.attrs);
                Value::Array(e.elems.iter().map(|elem| self.expr(elem)).collect())
            }
            Expr::Tuple(e) => {
                self.attrs(&e.attrs);
                if e.elems.is_empty() {
                    Value::Null
                } else {
                    Value::Array(e.elems.iter().map(|elem| self.expr(elem)).collect())
                }
            }
            Expr::Repeat(e) => {
                self.attrs(&e.attrs);
                let value = self.expr(&e.expr);
                self.expr(&e.len);
                Value::Array(vec![value])
            }
            Expr::Reference(e) => {
                self.attrs(&e.attrs);
                self.expr(&e.expr)
            }
            Expr::Paren(e) => {
                self.attrs(&e.attrs);
                self.expr(&e.expr)
            }
            Expr::Group(e) => {
                self.attrs(&e.attrs);
                self.expr(&e.expr)
            }
            Expr::Cast(e) => {
                self.attrs(&e.attrs);
                let value = self.expr(&e.expr);
                self.visit_type(&e.ty);
                value
            }
            Expr::Unary(e) => {
                self.attrs(&e.attrs);
                let value = self.expr(&e.expr);
                if matches!(e.op, syn::UnOp::Deref(_)) {
                    value
                } else {
                    Value::Unknown
                }
            }
            Expr::If(e) => self.if_chain(e),
            Expr::Match(e) => {
                self.attrs(&e.attrs);
                self.expr(&e.expr);
                let mut arms = Vec::with_capacity(e.arms.len());
                for arm in &e.arms {
                    self.attrs(&arm.attrs);
                    self.visit_pat(&arm.pat);
                    if let Some((_, guard)) = &arm.guard {
                        self.expr(guard);
                    }
                    arms.push(self.expr(&arm.body));
                }
                if arms.is_empty() {
                    Value::Unknown
                } else {
                    alternatives(arms)
                }
            }
            Expr::Block(e) => {
                self.attrs(&e.attrs);
                self.block_value(&e.block)
            }
            Expr::Unsafe(e) => {
                self.attrs(&e.attrs);
                self.block_value(&e.block)
            }
            Expr::Closure(e) => {
                self.closure(e);
                Value::Unknown
            }
            Expr::Return(e) => {
                self.attrs(&e.attrs);
                if let Some(returned) = &e.expr {
                    let value = self.expr(returned);
                    let span = self.between(expr_first(returned), expr_last(returned));
                    self.push_return(value, span);
                }
                Value::Unknown
            }
            Expr::Assign(e) => {
                self.attrs(&e.attrs);
                self.assignment(&e.left, &e.right);
                Value::Unknown
            }
            Expr::Binary(_) => {
                // `a + b + c` nests to the left: walk down the left edge in a loop.
                let mut rights = Vec::new();
                let mut left = expr;
                while let Expr::Binary(binary) = left {
                    self.attrs(&binary.attrs);
                    rights.push(&*binary.right);
                    left = &binary.left;
                }
                let mut operands = vec![self.expr(left)];
                for right in rights.into_iter().rev() {
                    operands.push(self.expr(right));
                }
                Value::Computed(operands)
            }
            _ => {
                visit::visit_expr(self, expr);
                Value::Unknown
            }
        }
    }

    /// The value of a literal; string literals are recorded.
    pub(crate) fn lit_value(&mut self, lit: &Lit) -> Value {
        let string = match lit {
            Lit::Str(s) => self.string(s.span(), || s.token().to_string()),
            Lit::ByteStr(s) => self.string(s.span(), || s.token().to_string()),
            Lit::CStr(s) => self.string(s.span(), || s.token().to_string()),
            Lit::Int(i) => return Value::Number(self.token_text(i.span(), || i.to_string())),
            Lit::Float(f) => return Value::Number(self.token_text(f.span(), || f.to_string())),
            Lit::Bool(b) => return Value::Bool(b.value),
            _ => return Value::Unknown,
        };
        string.map_or(Value::Unknown, Value::Str)
    }

    /// A token's source text, or `fallback()` when the span does not lead to it.
    pub(crate) fn token_text(&self, token: TokenSpan, fallback: impl FnOnce() -> String) -> String {
        let text = self.span(token).text(self.source);
        if text.is_empty() { fallback() } else { text.to_owned() }
    }

    /// Lowers call arguments. An argument after a key-like string literal is
    /// also an `Argument` binding named by that string.
    pub(crate) fn args<'e>(&mut self, args: impl IntoIterator<Item = &'e Expr>) -> Vec<Value> {
        let mut values = Vec::new();
        let mut key: Option<(StrId, TokenSpan)> = None;
        for arg in args {
            let reserved = key.take().map(|(key, first)| (self.reserve_binding(), key, first));
            let value = self.expr(arg);
            if let Some((id, key, first)) = reserved {
                self.argument_binding(id, key, first, expr_last(arg), value.clone());
            }
            if let Value::Str(id) = value {
                if self
                    .facts
                    .strings
                    .get(id as usize)
                    .is_some_and(|lit| is_key_like(&lit.value))
                {
                    key = Some((id, expr_first(arg)));
                }
            }
            values.push(value);
        }
        values
    }

    /// Fills a reserved `Argument` binding keyed by the string `key`.
    pub(crate) fn argument_binding(&mut self, id: u32, key: StrId, first: TokenSpan, last: TokenSpan, value: Value) {
        let Some(lit) = self.facts.strings.get(key as usize) else {
            return;
        };
        let (name, name_span) = (lit.value.clone(), lit.span);
        let span = self.between(first, last);
        self.set_binding(id, BindingKind::Argument, vec![name], name_span, value, span);
    }

    fn call(&mut self, call: &ExprCall) -> Value {
        self.attrs(&call.attrs);
        let id = self.reserve_call();
        let callee = match &*call.func {
            Expr::Path(path) => {
                // `<T as Trait>::f`: the path is `Trait::f`, the type is visited for what it holds.
                if let Some(qself) = &path.qself {
                    self.visit_type(&qself.ty);
                }
                path_segments(&path.path)
            }
            func => {
                self.expr(func);
                Vec::new()
            }
        };
        let transparent = call.args.len() == 1 && is_transparent_function(&callee);
        let args = self.args(&call.args);
        let value = match (&args[..], transparent) {
            ([only], true) => only.clone(),
            _ => Value::Call(id),
        };
        let (first, last) = (expr_first(&call.func), call.paren_token.span.close());
        let call = Call {
            callee,
            receiver: None,
            args,
            span: self.between(first, last),
            callee_span: self.between(first, expr_last(&call.func)),
            is_macro: false,
            is_new: false,
            scope: self.scope,
        };
        self.set_call(id, call);
        value
    }

    /// `a.b`, `a.f(x)`, `a?`, `a.await`, `a["k"]` and chains of them, in a loop.
    fn postfix_chain(&mut self, expr: &Expr) -> Value {
        // From the outside in: each step, and the call reserved for it.
        let mut steps: Vec<(&Expr, Option<CallId>)> = Vec::new();
        let mut base = expr;
        loop {
            let (inner, is_call, attrs) = match base {
                Expr::Field(e) => (&e.base, false, &e.attrs),
                Expr::MethodCall(e) => (&e.receiver, true, &e.attrs),
                Expr::Try(e) => (&e.expr, false, &e.attrs),
                Expr::Await(e) => (&e.base, false, &e.attrs),
                Expr::Index(e) => (&e.expr, false, &e.attrs),
                _ => break,
            };
            // An outer attribute of the chain comes before all of it.
            self.attrs(attrs);
            let id = is_call.then(|| self.reserve_call());
            steps.push((base, id));
            base = inner;
        }
        let mut current = match base {
            Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => {
                for segment in &path.path.segments {
                    self.visit_path_arguments(&segment.arguments);
                }
                Current::Chain(path_segments(&path.path))
            }
            _ => Current::Value(self.expr(base)),
        };
        for (step, id) in steps.into_iter().rev() {
            current = match (step, id) {
                (Expr::MethodCall(call), Some(id)) => Current::Value(self.method_call(call, id, current)),
                (Expr::Field(field), _) => extend(current, member_name(&field.member).0),
                (Expr::Index(index), _) => match self.expr(&index.index) {
                    Value::Str(key) => {
                        let key = self
                            .facts
                            .strings
                            .get(key as usize)
                            .map(|lit| lit.value.clone())
                            .unwrap_or_default();
                        Current::Value(extend(current, key).into_value())
                    }
                    _ => Current::Value(Value::Unknown),
                },
                (Expr::Try(_) | Expr::Await(_), _) => Current::Value(current.into_value()),
                _ => current,
            };
        }
        current.into_value()
    }

    fn method_call(&mut self, call: &ExprMethodCall, id: CallId, receiver: Current) -> Value {
        if let Some(turbofish) = &call.turbofish {
            self.visit_angle_bracketed_generic_arguments(turbofish);
        }
        let method = ident_string(&call.method);
        let method_last = call.turbofish.as_ref().map_or(call.method.span(), |t| t.gt_token.span);
        let first = expr_first(&call.receiver);
        let n = call.args.len();
        // Only these methods pass their receiver's value on; others need not copy it.
        let passes_receiver = matches!(
            (method.as_str(), n),
            ("unwrap_or" | "unwrap_or_else", 1) | ("unwrap_or_default", 0)
        ) || ((n == 0 || method == "expect") && TRANSPARENT_METHODS.contains(&method.as_str()));
        let (callee, receiver_box, receiver_value, callee_span) = match receiver {
            Current::Chain(mut segments) => {
                let value = if passes_receiver {
                    Current::Chain(segments.clone()).into_value()
                } else {
                    Value::Unknown
                };
                segments.push(method.clone());
                (segments, None, value, self.between(first, method_last))
            }
            Current::Value(value) => {
                let callee_span = self.between(call.method.span(), method_last);
                let passed = if passes_receiver { value.clone() } else { Value::Unknown };
                (vec![method.clone()], Some(Box::new(value)), passed, callee_span)
            }
        };
        let (args, value) = match (method.as_str(), n) {
            ("unwrap_or", 1) => {
                let args = self.args(&call.args);
                let value = alternatives([receiver_value].into_iter().chain(args.iter().cloned()));
                (args, value)
            }
            ("unwrap_or_else", 1) => {
                let (args, alternative) = match call.args.first() {
                    Some(Expr::Closure(closure)) => {
                        let body = self.closure(closure);
                        (vec![Value::Unknown], body)
                    }
                    _ => (self.args(&call.args), Value::Unknown),
                };
                (args, alternatives([receiver_value, alternative]))
            }
            ("unwrap_or_default", 0) => (Vec::new(), receiver_value),
            _ if passes_receiver => (self.args(&call.args), receiver_value),
            _ => (self.args(&call.args), Value::Call(id)),
        };
        let span = self.between(first, call.paren_token.span.close());
        let scope = self.scope;
        self.set_call(
            id,
            Call {
                callee,
                receiver: receiver_box,
                args,
                span,
                callee_span,
                is_macro: false,
                is_new: false,
                scope,
            },
        );
        value
    }

    /// `|x| body`: a `Function` scope; returns the body's value.
    pub(crate) fn closure(&mut self, closure: &ExprClosure) -> Value {
        self.attrs(&closure.attrs);
        let span = self.between(span::closure_first(closure), expr_last(&closure.body));
        let outer = self.open_scope(miroguard_ir::ScopeKind::Function, span);
        for input in &closure.inputs {
            self.parameter(input);
            self.visit_pat(input);
        }
        if let syn::ReturnType::Type(_, ty) = &closure.output {
            self.visit_type(ty);
        }
        let value = match &*closure.body {
            // The body block is the function's scope, not one more inside it.
            Expr::Block(block) if block.attrs.is_empty() && block.label.is_none() => {
                if self.enter(block.block.brace_token.span.open()) {
                    let value = self.stmts(&block.block.stmts);
                    self.leave();
                    value
                } else {
                    Value::Unknown
                }
            }
            body => self.expr(body),
        };
        let returned = match &*closure.body {
            Expr::Block(block) => self.tail_span(&block.block.stmts),
            body => Some(self.between(expr_first(body), expr_last(body))),
        };
        if let Some(span) = returned {
            self.push_return(value.clone(), span);
        }
        self.close_scope(outer);
        value
    }

    /// `S { a: v, b, ..rest }`: `Field` bindings, in an `Object`.
    fn struct_literal(&mut self, literal: &ExprStruct) -> Value {
        self.attrs(&literal.attrs);
        let mut ids = Vec::with_capacity(literal.fields.len());
        for field in &literal.fields {
            self.attrs(&field.attrs);
            let (name, name_token) = member_name(&field.member);
            let id = self.reserve_binding();
            let value = self.expr(&field.expr);
            let (name_span, span) = (self.span(name_token), self.between(name_token, expr_last(&field.expr)));
            self.set_binding(id, BindingKind::Field, vec![name], name_span, value, span);
            ids.push(id);
        }
        if let Some(rest) = &literal.rest {
            self.expr(rest);
        }
        Value::Object(ids)
    }

    /// `target = value`: an `Assignment` binding when the target is a name,
    /// a member chain or a string-keyed index.
    fn assignment(&mut self, left: &Expr, right: &Expr) {
        let mut names = Vec::new();
        let mut name_token = None;
        let mut target = left;
        let is_place = loop {
            match target {
                Expr::Path(path) if path.qself.is_none() => {
                    let segments = path_segments(&path.path);
                    names.extend(segments.into_iter().rev());
                    name_token = name_token.or(path.path.segments.last().map(|s| s.ident.span()));
                    break true;
                }
                Expr::Field(field) => {
                    let (name, token) = member_name(&field.member);
                    names.push(name);
                    name_token = name_token.or(Some(token));
                    target = &field.base;
                }
                Expr::Index(index) => match &*index.index {
                    Expr::Lit(syn::ExprLit { lit: Lit::Str(key), .. }) => {
                        names.push(key.value());
                        name_token = name_token.or(Some(key.span()));
                        target = &index.expr;
                    }
                    _ => break false,
                },
                Expr::Paren(paren) => target = &paren.expr,
                Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Deref(_)) => target = &unary.expr,
                _ => break false,
            }
        };
        // The left side holds no calls when it is a place, but may hold a
        // string key; lowering it records that, once.
        self.expr(left);
        let id = is_place.then(|| self.reserve_binding());
        let value = self.expr(right);
        if let (Some(id), Some(token)) = (id, name_token) {
            names.reverse();
            let (name_span, span) = (self.span(token), self.between(expr_first(left), expr_last(right)));
            self.set_binding(id, BindingKind::Assignment, names, name_span, value, span);
        }
    }

    /// `if c { a } else if d { b } else { c }`: the alternatives `a`, `b`, `c`.
    fn if_chain(&mut self, expr: &syn::ExprIf) -> Value {
        let mut branches = Vec::new();
        let mut current = expr;
        loop {
            self.attrs(&current.attrs);
            self.expr(&current.cond);
            branches.push(self.block_value(&current.then_branch));
            match &current.else_branch {
                Some((_, branch)) => match &**branch {
                    Expr::If(next) => current = next,
                    last => {
                        branches.push(self.expr(last));
                        return alternatives(branches);
                    }
                },
                // Without `else` the value is `()`: nothing a rule can use.
                None => return Value::Unknown,
            }
        }
    }
}

fn extend(current: Current, name: String) -> Current {
    match current {
        Current::Chain(mut segments) => {
            segments.push(name);
            Current::Chain(segments)
        }
        Current::Value(Value::Ident(ident)) => Current::Value(Value::Member(vec![ident, name])),
        Current::Value(Value::Member(mut segments)) => {
            segments.push(name);
            Current::Value(Value::Member(segments))
        }
        Current::Value(_) => Current::Value(Value::Unknown),
    }
}

fn is_transparent_function(callee: &[String]) -> bool {
    let (owner, name) = match callee {
        [.., owner, name] => (owner.as_str(), name.as_str()),
        [name] => ("", name.as_str()),
        [] => return false,
    };
    TRANSPARENT_FUNCTIONS.iter().any(|&(o, n)| o == owner && n == name)
}
