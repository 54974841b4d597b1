//! Macro invocations and attributes, whose contents syn leaves as tokens.
//!
//! A macro's arguments are parsed where they can be: comma-separated
//! expressions, named arguments (`x = v`, tracing's `a.b = %v`, `?v`,
//! `target: v`), `vec![x; n]`, format strings, `json!` objects and `concat!`
//! of literals. What cannot be parsed is still searched token by token for
//! string literals and for `key: "value"`-like pairs, so that no literal in a
//! custom DSL goes unseen.

use crate::expr::{is_key_like, path_segments};
use crate::format_string::{self, Arg, Piece};
use crate::lower::{Lowerer, ident_string};
use crate::span::{self, expr_first, expr_last};
use miroguard_ir::{BindingKind, Call, CallId, MAX_NESTING, Span, StrId, StringKind, StringLit, TemplatePart, Value};
use proc_macro2::{Delimiter, Group, Punct, Spacing, Span as TokenSpan, TokenStream, TokenTree};
use std::borrow::Cow;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Ident, Lit, LitStr, Meta, Token};

/// Where a macro's format string is.
enum FormatAt {
    /// The n-th positional argument.
    Position(usize),
    /// The first positional argument that is a string literal (`log` and
    /// `tracing`, where a target, a level or fields may come first).
    FirstLiteral,
}

fn format_at(name: &str) -> Option<FormatAt> {
    Some(match name {
        "format" | "format_args" | "print" | "println" | "eprint" | "eprintln" | "panic" | "unreachable" | "todo"
        | "unimplemented" | "anyhow" | "bail" | "eyre" | "format_err" => FormatAt::Position(0),
        "write" | "writeln" | "assert" | "debug_assert" | "ensure" => FormatAt::Position(1),
        "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => FormatAt::Position(2),
        "trace" | "debug" | "info" | "warn" | "error" | "event" | "log" => FormatAt::FirstLiteral,
        _ => return None,
    })
}

/// One parsed macro argument.
enum MacroArg {
    Positional(Expr),
    /// `a.b = v`, `"a.b" = v`, `target: v`, or with no value `%a.b` / `?a`
    /// (a field named after the variable it shows).
    Named {
        names: Vec<(String, TokenSpan)>,
        value: Option<Expr>,
    },
    /// An argument that does not parse: searched token by token.
    Tokens(TokenStream),
}

struct MacroArgs {
    args: Vec<MacroArg>,
    /// The `n` of `vec![x; n]`.
    repeat: Option<Expr>,
}

/// A piece of a format string whose arguments are not lowered yet.
enum Pending {
    Str(StrId),
    Position(usize),
    Name(String),
}

enum FormatString {
    /// No placeholders: just a string.
    Plain(Value),
    Template(Vec<Pending>),
}

impl Lowerer<'_> {
    /// Lowers a macro invocation: a `Call` with `is_macro`, whose value is
    /// the format template for `format!`, the array for `vec!`, the string
    /// for `concat!` of literals, the object for `json!`, else the call.
    pub(crate) fn lower_macro(&mut self, mac: &syn::Macro) -> Value {
        let first = span::path_first(&mac.path);
        if !self.enter(first) {
            return Value::Unknown;
        }
        let callee = path_segments(&mac.path);
        let name = callee.last().map_or("", String::as_str);
        let id = self.reserve_call();
        let span = self.between(first, span::macro_close(mac));
        let callee_span = self.between(first, mac.bang_token.span);
        let (args, value) = match name {
            "json" => {
                let tokens: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
                let value = self.json_value(&tokens, 0);
                (vec![value.clone()], value)
            }
            "concat" => self.concat(mac, span, id),
            "macro_rules" => {
                self.scan_tokens(mac.tokens.clone(), BindingKind::Field, 0);
                (Vec::new(), Value::Call(id))
            }
            _ => {
                let allow_repeat = name == "vec";
                match (|input: ParseStream| parse_args(input, allow_repeat)).parse2(mac.tokens.clone()) {
                    Ok(parsed) => self.macro_args(name, parsed, id),
                    // One argument that does not parse should not hide the others.
                    Err(_) => match split_arguments(&mac.tokens) {
                        Some(args) => self.macro_args(name, MacroArgs { args, repeat: None }, id),
                        None => {
                            self.scan_tokens(mac.tokens.clone(), BindingKind::Field, 0);
                            (Vec::new(), Value::Call(id))
                        }
                    },
                }
            }
        };
        let scope = self.scope;
        self.set_call(
            id,
            Call {
                callee,
                receiver: None,
                args,
                span,
                callee_span,
                is_macro: true,
                is_new: false,
                scope,
            },
        );
        self.leave();
        value
    }

    fn macro_args(&mut self, name: &str, parsed: MacroArgs, id: CallId) -> (Vec<Value>, Value) {
        let format = find_format(name, &parsed.args);
        // `vec!["a", "b"]` is an array, not a key and its value.
        let keyed = name != "vec";
        let mut values = Vec::with_capacity(parsed.args.len());
        let mut template = None;
        let mut after_format = Vec::new();
        let mut named: Vec<(String, Value)> = Vec::new();
        let mut key: Option<(StrId, TokenSpan)> = None;
        for (i, arg) in parsed.args.iter().enumerate() {
            match arg {
                MacroArg::Positional(Expr::Lit(ExprLit { lit: Lit::Str(lit), .. })) if Some(i) == format => {
                    key = None;
                    match self.format_string(lit) {
                        FormatString::Plain(value) => values.push(value),
                        FormatString::Template(parts) => {
                            template = Some(parts);
                            values.push(Value::Unknown);
                        }
                    }
                }
                MacroArg::Positional(expr) => {
                    let reserved = key.take().map(|(key, first)| (self.reserve_binding(), key, first));
                    let value = self.expr(expr);
                    if let Some((binding, key, first)) = reserved {
                        self.argument_binding(binding, key, first, expr_last(expr), value.clone());
                    }
                    if let Value::Str(string) = value {
                        if keyed
                            && self
                                .facts
                                .strings
                                .get(string as usize)
                                .is_some_and(|lit| is_key_like(&lit.value))
                        {
                            key = Some((string, expr_first(expr)));
                        }
                    }
                    if format.is_some_and(|at| i > at) {
                        after_format.push(value.clone());
                    }
                    values.push(value);
                }
                MacroArg::Tokens(tokens) => {
                    key = None;
                    self.scan_tokens(tokens.clone(), BindingKind::Field, 0);
                    values.push(Value::Unknown);
                }
                MacroArg::Named { names, value } => {
                    key = None;
                    let Some(&(_, first)) = names.first() else {
                        continue;
                    };
                    let name_token = names.last().map_or(first, |(_, token)| *token);
                    let binding = self.reserve_binding();
                    let (value, last) = match value {
                        Some(expr) => (self.expr(expr), expr_last(expr)),
                        None => (names_value(names), name_token),
                    };
                    let path: Vec<String> = names.iter().map(|(name, _)| name.clone()).collect();
                    let (name_span, span) = (self.span(name_token), self.between(first, last));
                    named.push((path.last().cloned().unwrap_or_default(), value.clone()));
                    self.set_binding(binding, BindingKind::Named, path, name_span, value.clone(), span);
                    values.push(value);
                }
            }
        }
        if let Some(repeat) = &parsed.repeat {
            self.expr(repeat);
        }
        if let (Some(parts), Some(at)) = (template, format) {
            let parts = parts
                .into_iter()
                .map(|part| match part {
                    Pending::Str(id) => TemplatePart::Str(id),
                    Pending::Position(n) => TemplatePart::Expr(after_format.get(n).cloned().unwrap_or(Value::Unknown)),
                    Pending::Name(name) => TemplatePart::Expr(
                        named
                            .iter()
                            .rev()
                            .find(|(named, _)| *named == name)
                            .map_or(Value::Ident(name), |(_, v)| v.clone()),
                    ),
                })
                .collect();
            if let Some(slot) = values.get_mut(at) {
                *slot = Value::Template(parts);
            }
        }
        let value = match (name, format) {
            ("format" | "format_args", Some(at)) => values.get(at).cloned().unwrap_or(Value::Unknown),
            ("vec", _) => Value::Array(values.clone()),
            _ => Value::Call(id),
        };
        (values, value)
    }

    /// A format string: its literal fragments are recorded now (they come
    /// first in the source), its placeholders resolved once the arguments are.
    fn format_string(&mut self, lit: &LitStr) -> FormatString {
        let Some((span, decoded, mapped)) = self.decode_literal(lit.span(), || lit.token().to_string()) else {
            return FormatString::Plain(Value::Unknown);
        };
        if !format_string::has_placeholders(&decoded.value) {
            return FormatString::Plain(Value::Str(self.push_decoded(span, decoded, mapped)));
        }
        let content = self.content_span(span, &decoded, mapped);
        let exact = mapped && decoded.verbatim;
        let parts = format_string::parse(&decoded.value)
            .into_iter()
            .map(|piece| match piece {
                Piece::Text { range, text } => {
                    let fragment = if exact {
                        span::clamp(self.source, content.start + range.start, content.start + range.end)
                    } else {
                        content
                    };
                    let verbatim = exact && matches!(text, Cow::Borrowed(_));
                    let lit = StringLit {
                        span: fragment,
                        content: fragment,
                        value: text.into_owned(),
                        verbatim,
                        kind: StringKind::Template,
                    };
                    Pending::Str(self.push_string(lit))
                }
                Piece::Arg(Arg::Position(n)) => Pending::Position(n),
                Piece::Arg(Arg::Name(name)) => Pending::Name(name.to_owned()),
            })
            .collect();
        FormatString::Template(parts)
    }

    /// `concat!("a", "b")`: when every argument is a literal, also one
    /// synthetic string of the whole, spanning the macro call.
    fn concat(&mut self, mac: &syn::Macro, span: Span, id: CallId) -> (Vec<Value>, Value) {
        let Ok(exprs) = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone()) else {
            self.scan_tokens(mac.tokens.clone(), BindingKind::Field, 0);
            return (Vec::new(), Value::Call(id));
        };
        let all_literals = exprs.iter().all(|expr| matches!(expr, Expr::Lit(_)));
        let synthetic = all_literals.then(|| {
            self.push_string(StringLit {
                span,
                content: span,
                value: String::new(),
                verbatim: false,
                kind: StringKind::Plain,
            })
        });
        let values: Vec<Value> = exprs.iter().map(|expr| self.expr(expr)).collect();
        let Some(synthetic) = synthetic else {
            return (values, Value::Call(id));
        };
        let mut text = String::new();
        for (expr, value) in exprs.iter().zip(&values) {
            match (expr, value) {
                (_, Value::Str(id)) => text.push_str(self.facts.strings.get(*id as usize).map_or("", |lit| &lit.value)),
                (_, Value::Number(number)) => text.push_str(number),
                (_, Value::Bool(b)) => text.push_str(if *b { "true" } else { "false" }),
                (Expr::Lit(ExprLit { lit: Lit::Char(c), .. }), _) => text.push(c.value()),
                _ => {}
            }
        }
        if let Some(lit) = self.facts.strings.get_mut(synthetic as usize) {
            lit.value = text;
        }
        (values, Value::Str(synthetic))
    }

    /// A `json!` value: objects become `Object`s of `Field` bindings.
    fn json_value(&mut self, tokens: &[TokenTree], depth: usize) -> Value {
        if depth > MAX_NESTING {
            let at = tokens.first().map_or(Span::default(), |t| self.span(t.span()));
            self.facts.depth_limit_hit.get_or_insert(at);
            return Value::Unknown;
        }
        match tokens {
            [] => Value::Unknown,
            [TokenTree::Group(group)] if group.delimiter() == Delimiter::Brace => self.json_object(group, depth),
            [TokenTree::Group(group)] if group.delimiter() == Delimiter::Bracket => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                Value::Array(
                    inner
                        .split(|t| is_punct(t, ','))
                        .filter(|piece| !piece.is_empty())
                        .map(|piece| self.json_value(piece, depth + 1))
                        .collect(),
                )
            }
            [TokenTree::Ident(ident)] if ident == "null" => Value::Null,
            [TokenTree::Ident(ident)] if ident == "true" => Value::Bool(true),
            [TokenTree::Ident(ident)] if ident == "false" => Value::Bool(false),
            _ => self.token_expr(tokens, depth),
        }
    }

    fn json_object(&mut self, group: &Group, depth: usize) -> Value {
        let tokens: Vec<TokenTree> = group.stream().into_iter().collect();
        let mut ids = Vec::new();
        for entry in tokens.split(|t| is_punct(t, ',')).filter(|entry| !entry.is_empty()) {
            let Some(colon) = (0..entry.len()).find(|&i| is_lone(entry, i, ':')) else {
                self.token_expr(entry, depth);
                continue;
            };
            let (key, value) = (&entry[..colon], &entry[colon + 1..]);
            let name = match key {
                [TokenTree::Literal(lit)] => self
                    .string_token(lit)
                    .and_then(|id| self.facts.strings.get(id as usize))
                    .filter(|lit| !lit.value.is_empty())
                    .map(|lit| (lit.value.clone(), lit.span)),
                [TokenTree::Ident(ident)] => Some((ident_string(ident), self.span(ident.span()))),
                _ => {
                    self.token_expr(key, depth);
                    None
                }
            };
            let binding = name.is_some().then(|| self.reserve_binding());
            let value_of = self.json_value(value, depth + 1);
            if let (Some(binding), Some((name, name_span))) = (binding, name) {
                let end = value.last().map_or(name_span.end, |t| self.span(t.span()).end);
                let span = span::clamp(self.source, name_span.start, end);
                self.set_binding(binding, BindingKind::Field, vec![name], name_span, value_of, span);
                ids.push(binding);
            }
        }
        Value::Object(ids)
    }

    /// Tokens that should be an expression: lowered if they parse, else searched.
    fn token_expr(&mut self, tokens: &[TokenTree], depth: usize) -> Value {
        let stream: TokenStream = tokens.iter().cloned().collect();
        match syn::parse2::<Expr>(stream.clone()) {
            Ok(expr) => self.expr(&expr),
            Err(_) => {
                self.scan_tokens(stream, BindingKind::Field, depth);
                Value::Unknown
            }
        }
    }

    fn is_string_literal(&self, lit: &proc_macro2::Literal) -> bool {
        let text = self.span(lit.span()).text(self.source);
        let first = if text.is_empty() {
            lit.to_string().bytes().next()
        } else {
            text.bytes().next()
        };
        matches!(first, Some(b'"' | b'r' | b'b' | b'c')) && !matches!(text.as_bytes().get(1), Some(b'\''))
    }

    /// Records a string literal token; `None` if it is not a string.
    fn string_token(&mut self, lit: &proc_macro2::Literal) -> Option<StrId> {
        self.string(lit.span(), || lit.to_string())
    }

    /// Searches tokens that do not parse: every string literal is recorded,
    /// and `"key": "v"`, `"key" => "v"`, `key: "v"`, `key = "v"` and
    /// `static KEY: T = v;` are bindings (of `kind`, `Variable` for the last).
    pub(crate) fn scan_tokens(&mut self, stream: TokenStream, kind: BindingKind, depth: usize) {
        if depth > MAX_NESTING {
            let at = stream
                .into_iter()
                .next()
                .map_or(Span::default(), |t| self.span(t.span()));
            self.facts.depth_limit_hit.get_or_insert(at);
            return;
        }
        let tokens: Vec<TokenTree> = stream.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            i = match &tokens[i] {
                TokenTree::Group(group) => {
                    self.scan_tokens(group.stream(), kind, depth + 1);
                    i + 1
                }
                TokenTree::Ident(ident) if ident == "static" || ident == "const" => {
                    self.static_item(&tokens, i, depth).unwrap_or(i + 1)
                }
                TokenTree::Ident(_) => self.pair(&tokens, i, kind).unwrap_or(i + 1),
                TokenTree::Literal(lit) => match self.pair(&tokens, i, kind) {
                    Some(next) => next,
                    None => {
                        self.string_token(lit);
                        i + 1
                    }
                },
                TokenTree::Punct(_) => i + 1,
            };
        }
    }

    /// A key and a string value at `tokens[i..]`; returns the index after them.
    fn pair(&mut self, tokens: &[TokenTree], i: usize, kind: BindingKind) -> Option<usize> {
        let key = tokens.get(i)?;
        let is_literal_key = matches!(key, TokenTree::Literal(_));
        // `key: "v"` for both, `key = "v"` for identifiers, `"key" => "v"` for strings.
        let value_at = if is_lone(tokens, i + 1, ':') || (!is_literal_key && is_lone(tokens, i + 1, '=')) {
            i + 2
        } else if is_literal_key
            && is_joint(tokens, i + 1, '=')
            && matches!(tokens.get(i + 2), Some(TokenTree::Punct(p)) if p.as_char() == '>' && p.spacing() == Spacing::Alone)
        {
            i + 3
        } else {
            return None;
        };
        let TokenTree::Literal(value) = tokens.get(value_at)? else {
            return None;
        };
        if !self.is_string_literal(value) {
            return None;
        }
        let (name, name_span) = match key {
            TokenTree::Literal(lit) => {
                let id = self.string_token(lit)?;
                let lit = self.facts.strings.get(id as usize)?;
                (lit.value.clone(), lit.span)
            }
            TokenTree::Ident(ident) => (ident_string(ident), self.span(ident.span())),
            _ => return None,
        };
        if name.is_empty() {
            // `"" => ""`: nothing a rule could match a name against.
            self.string_token(value);
            return Some(value_at + 1);
        }
        let binding = self.reserve_binding();
        let value_id = self.string_token(value);
        let span = self.between(key.span(), value.span());
        self.set_binding(
            binding,
            kind,
            vec![name],
            name_span,
            value_id.map_or(Value::Unknown, Value::Str),
            span,
        );
        Some(value_at + 1)
    }

    /// `static [ref] [mut] NAME: Type = value;` inside `lazy_static!`,
    /// `thread_local!` and the like: a `Variable` binding.
    fn static_item(&mut self, tokens: &[TokenTree], i: usize, depth: usize) -> Option<usize> {
        let mut j = i + 1;
        while matches!(tokens.get(j), Some(TokenTree::Ident(word)) if word == "ref" || word == "mut") {
            j += 1;
        }
        let TokenTree::Ident(name) = tokens.get(j)? else {
            return None;
        };
        if !is_lone(tokens, j + 1, ':') {
            return None;
        }
        // The `=` of the item, not one inside the type's generics (`Iterator<Item = u8>`).
        let mut angles = 0usize;
        let mut eq = None;
        for k in j + 2..tokens.len() {
            match &tokens[k] {
                TokenTree::Punct(p) if p.as_char() == '<' => angles += 1,
                TokenTree::Punct(p) if p.as_char() == '>' && !is_joint(tokens, k.wrapping_sub(1), '-') => {
                    angles = angles.saturating_sub(1);
                }
                TokenTree::Punct(p) if p.as_char() == ';' => return None,
                _ if angles == 0 && is_lone(tokens, k, '=') => {
                    eq = Some(k);
                    break;
                }
                _ => {}
            }
        }
        let eq = eq?;
        let end = (eq + 1..tokens.len())
            .find(|&k| is_punct(&tokens[k], ';'))
            .unwrap_or(tokens.len());
        let value_tokens = &tokens[eq + 1..end];
        let binding = self.reserve_binding();
        let value = self.token_expr(value_tokens, depth);
        let last = value_tokens.last().map_or(name.span(), TokenTree::span);
        let (name_span, span) = (self.span(name.span()), self.between(tokens[i].span(), last));
        self.set_binding(
            binding,
            BindingKind::Variable,
            vec![ident_string(name)],
            name_span,
            value,
            span,
        );
        Some(end + 1)
    }

    /// An attribute: `#[name = v]` is a `Named` binding, and the tokens of
    /// `#[name(…)]` are searched for `key = "v"` pairs and strings. Doc
    /// comments, which syn turns into `#[doc = "…"]`, are comments, not strings.
    pub(crate) fn attribute(&mut self, attr: &Attribute) {
        if attr.path().is_ident("doc") {
            let at = self.span(attr.pound_token.span).start;
            if self.source.as_bytes().get(at) != Some(&b'#') {
                return;
            }
        }
        match &attr.meta {
            Meta::Path(_) => {}
            Meta::List(list) => self.scan_tokens(list.tokens.clone(), BindingKind::Named, 0),
            Meta::NameValue(pair) => {
                let binding = self.reserve_binding();
                let value = self.expr(&pair.value);
                let name_token = pair
                    .path
                    .segments
                    .last()
                    .map_or(attr.pound_token.span, |s| s.ident.span());
                let (name_span, span) = (
                    self.span(name_token),
                    self.between(span::path_first(&pair.path), expr_last(&pair.value)),
                );
                self.set_binding(
                    binding,
                    BindingKind::Named,
                    path_segments(&pair.path),
                    name_span,
                    value,
                    span,
                );
            }
        }
    }
}

/// The index of a macro's format string among its arguments, if it has one.
fn find_format(name: &str, args: &[MacroArg]) -> Option<usize> {
    let is_literal = |arg: &MacroArg| matches!(arg, MacroArg::Positional(Expr::Lit(ExprLit { lit: Lit::Str(_), .. })));
    let mut positional = args
        .iter()
        .enumerate()
        .filter(|(_, arg)| matches!(arg, MacroArg::Positional(_)));
    let (at, arg) = match format_at(name)? {
        FormatAt::Position(n) => positional.nth(n)?,
        FormatAt::FirstLiteral => positional.find(|(_, arg)| is_literal(arg))?,
    };
    is_literal(arg).then_some(at)
}

fn names_value(names: &[(String, TokenSpan)]) -> Value {
    match names {
        [(name, _)] => Value::Ident(name.clone()),
        _ => Value::Member(names.iter().map(|(name, _)| name.clone()).collect()),
    }
}

/// The arguments of a macro whose tokens do not parse as a whole, split at
/// commas and parsed one by one; `None` when that cannot help: one piece
/// (which just failed to parse), or a `;` at the top level (items, as in
/// `lazy_static!`, whose generics' commas must not be split).
fn split_arguments(tokens: &TokenStream) -> Option<Vec<MacroArg>> {
    let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
    if !tokens.iter().any(|t| is_punct(t, ',')) || tokens.iter().any(|t| is_punct(t, ';')) {
        return None;
    }
    let args = tokens
        .split(|t| is_punct(t, ','))
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let stream: TokenStream = piece.iter().cloned().collect();
            if piece.iter().any(|t| is_punct(t, '#') || is_punct(t, '$')) || starts_an_item(piece) {
                // `quote!`/`macro_rules!` fragments and items: no expression to parse.
                return MacroArg::Tokens(stream);
            }
            parse_arg.parse2(stream.clone()).unwrap_or(MacroArg::Tokens(stream))
        })
        .collect();
    Some(args)
}

fn starts_an_item(tokens: &[TokenTree]) -> bool {
    matches!(tokens.first(), Some(TokenTree::Ident(word))
        if ["fn", "pub", "struct", "enum", "impl", "trait", "type", "mod", "use", "extern", "static", "let"]
            .iter()
            .any(|keyword| word == keyword))
}

fn parse_args(input: ParseStream, allow_repeat: bool) -> syn::Result<MacroArgs> {
    let mut args = Vec::new();
    let mut repeat = None;
    while !input.is_empty() {
        args.push(parse_arg(input)?);
        if input.is_empty() {
            break;
        }
        if allow_repeat && args.len() == 1 && input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
            repeat = Some(input.parse()?);
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(MacroArgs { args, repeat })
}

fn parse_arg(input: ParseStream) -> syn::Result<MacroArg> {
    if input.peek(Token![%]) || input.peek(Token![?]) {
        input.parse::<Punct>()?;
        return Ok(MacroArg::Named {
            names: field_names(input)?,
            value: None,
        });
    }
    // Only fork (and allocate names) where a name can start.
    let may_be_named = (input.peek(Ident::peek_any) || input.peek(LitStr))
        && (input.peek2(Token![=]) || input.peek2(Token![.]) || input.peek2(Token![:]));
    if may_be_named {
        let fork = input.fork();
        if let Ok(names) = field_names(&fork) {
            if fork.peek(Token![=]) && !fork.peek(Token![==]) && !fork.peek(Token![=>]) {
                syn::parse::discouraged::Speculative::advance_to(input, &fork);
                input.parse::<Token![=]>()?;
                if input.peek(Token![%]) || input.peek(Token![?]) {
                    input.parse::<Punct>()?;
                }
                return Ok(MacroArg::Named {
                    names,
                    value: Some(input.parse()?),
                });
            }
            if names.len() == 1 && fork.peek(Token![:]) && !fork.peek(Token![::]) {
                syn::parse::discouraged::Speculative::advance_to(input, &fork);
                input.parse::<Token![:]>()?;
                return Ok(MacroArg::Named {
                    names,
                    value: Some(input.parse()?),
                });
            }
        }
    }
    Ok(MacroArg::Positional(input.parse()?))
}

/// `a`, `a.b.c` (tracing's dotted field names), or `"a.b"`.
fn field_names(input: ParseStream) -> syn::Result<Vec<(String, TokenSpan)>> {
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return Ok(vec![(lit.value(), lit.span())]);
    }
    let mut names = Vec::new();
    loop {
        let ident = Ident::parse_any(input)?;
        names.push((ident_string(&ident), ident.span()));
        if !input.peek(Token![.]) || input.peek(Token![..]) {
            return Ok(names);
        }
        input.parse::<Token![.]>()?;
    }
}

fn is_punct(token: &TokenTree, ch: char) -> bool {
    matches!(token, TokenTree::Punct(p) if p.as_char() == ch)
}

/// Whether `tokens[i]` is the one-character operator `ch`, not part of `::`, `==`, `=>`, `<=`.
fn is_lone(tokens: &[TokenTree], i: usize, ch: char) -> bool {
    let alone =
        matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ch && p.spacing() == Spacing::Alone);
    let after_joint = i > 0 && matches!(tokens.get(i - 1), Some(TokenTree::Punct(p)) if p.spacing() == Spacing::Joint);
    alone && !after_joint
}

fn is_joint(tokens: &[TokenTree], i: usize, ch: char) -> bool {
    matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ch && p.spacing() == Spacing::Joint)
}
