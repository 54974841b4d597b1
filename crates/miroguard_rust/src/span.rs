//! Byte spans of syntax: proc-macro2 spans turned into spans of the source,
//! and the first and last tokens of expressions and types.
//!
//! syn's `Spanned::span()` prints a whole node back to tokens to find its ends,
//! which costs an allocation per node and quadratic time on nested code; the
//! functions here walk only down the left or right edge, in a loop.

use miroguard_ir::Span;
use proc_macro2::{LineColumn, Span as TokenSpan};
use std::cell::Cell;
use syn::{Expr, Path, PathArguments, ReturnType, Type, TypeParamBound};

/// Turns a token span into a span of `source`, clamped to its bounds and
/// character boundaries. Under `cfg(fuzzing)` proc-macro2 reports every span
/// as `0..0`, and any span could come from a stale source map if the caller
/// misused the thread: nothing here trusts it.
pub(crate) fn clamp(source: &str, start: usize, end: usize) -> Span {
    let mut start = start.min(source.len());
    let mut end = end.min(source.len()).max(start);
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    while !source.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

/// Byte offsets of proc-macro2's line/column positions in one text.
///
/// `Span::byte_range()` answers from a per-file cache (a `BTreeMap` from
/// character to byte offsets) that it searches and grows on every call: a
/// fifth of the whole lowering time. `Span::start()` and `end()` only
/// binary-search the line starts; with this table of line starts, and of
/// which lines are pure ASCII (where a column is a byte count), the byte
/// offset follows in constant time.
pub(crate) struct Positions<'s> {
    text: &'s str,
    line_starts: Vec<usize>,
    ascii_lines: Vec<bool>,
    /// The last position looked up on a non-ASCII line, as (line, column,
    /// byte), to walk on from: lookups mostly move forward, so a long line
    /// is walked about once, not once per token.
    cursor: Cell<(usize, usize, usize)>,
}

impl<'s> Positions<'s> {
    /// Indexes the lines of `text`, the text that was parsed.
    pub(crate) fn new(text: &'s str) -> Positions<'s> {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        let mut ascii_lines = Vec::with_capacity(text.len() / 32 + 1);
        let mut start = 0;
        for line in text.as_bytes().split_inclusive(|&b| b == b'\n') {
            line_starts.push(start);
            ascii_lines.push(line.is_ascii());
            start += line.len();
        }
        if text.is_empty() || text.ends_with('\n') {
            line_starts.push(start);
            ascii_lines.push(true);
        }
        Positions {
            text,
            line_starts,
            ascii_lines,
            cursor: Cell::new((usize::MAX, 0, 0)),
        }
    }

    /// The byte offset of a 1-based line and 0-based character column,
    /// clamped to the line. Line 0 (what proc-macro2 reports under
    /// `cfg(fuzzing)`) is offset 0.
    pub(crate) fn offset(&self, at: LineColumn) -> usize {
        let index = at.line.wrapping_sub(1);
        let Some(&start) = self.line_starts.get(index) else {
            return 0;
        };
        let end = self.line_starts.get(index + 1).copied().unwrap_or(self.text.len());
        if at.column == 0 {
            return start;
        }
        if self.ascii_lines.get(index).copied().unwrap_or(false) {
            return (start + at.column).min(end);
        }
        let (line, column, byte) = self.cursor.get();
        let (mut column_now, mut byte_now) = if line == index && column <= at.column {
            (column, byte)
        } else {
            (0, start)
        };
        let rest = self.text.get(byte_now..end).unwrap_or("");
        for ch in rest.chars() {
            if column_now == at.column {
                break;
            }
            column_now += 1;
            byte_now += ch.len_utf8();
        }
        self.cursor.set((index, column_now, byte_now));
        byte_now
    }

    /// The span of one token.
    pub(crate) fn of(&self, span: TokenSpan) -> Span {
        clamp(self.text, self.offset(span.start()), self.offset(span.end()))
    }

    /// The span from the start of `first` to the end of `last`.
    pub(crate) fn between(&self, first: TokenSpan, last: TokenSpan) -> Span {
        clamp(self.text, self.offset(first.start()), self.offset(last.end()))
    }
}

/// The first token of an expression.
pub(crate) fn expr_first(mut expr: &Expr) -> TokenSpan {
    loop {
        expr = match expr {
            Expr::Array(e) => return e.bracket_token.span.open(),
            Expr::Assign(e) => &e.left,
            Expr::Async(e) => return e.async_token.span,
            Expr::Await(e) => &e.base,
            Expr::Binary(e) => &e.left,
            Expr::Block(e) => {
                return e
                    .label
                    .as_ref()
                    .map_or(e.block.brace_token.span.open(), |l| l.name.apostrophe);
            }
            Expr::Break(e) => return e.break_token.span,
            Expr::Call(e) => &e.func,
            Expr::Cast(e) => &e.expr,
            Expr::Closure(e) => return closure_first(e),
            Expr::Const(e) => return e.const_token.span,
            Expr::Continue(e) => return e.continue_token.span,
            Expr::Field(e) => &e.base,
            Expr::ForLoop(e) => {
                return e.label.as_ref().map_or(e.for_token.span, |l| l.name.apostrophe);
            }
            Expr::Group(e) => return e.group_token.span,
            Expr::If(e) => return e.if_token.span,
            Expr::Index(e) => &e.expr,
            Expr::Infer(e) => return e.underscore_token.span,
            Expr::Let(e) => return e.let_token.span,
            Expr::Lit(e) => return e.lit.span(),
            Expr::Loop(e) => {
                return e.label.as_ref().map_or(e.loop_token.span, |l| l.name.apostrophe);
            }
            Expr::Macro(e) => return path_first(&e.mac.path),
            Expr::Match(e) => return e.match_token.span,
            Expr::MethodCall(e) => &e.receiver,
            Expr::Paren(e) => return e.paren_token.span.open(),
            Expr::Path(e) => {
                return e
                    .qself
                    .as_ref()
                    .map_or_else(|| path_first(&e.path), |q| q.lt_token.span);
            }
            Expr::Range(e) => match &e.start {
                Some(start) => start,
                None => return range_limits(&e.limits),
            },
            Expr::RawAddr(e) => return e.and_token.span,
            Expr::Reference(e) => return e.and_token.span,
            Expr::Repeat(e) => return e.bracket_token.span.open(),
            Expr::Return(e) => return e.return_token.span,
            Expr::Struct(e) => {
                return e
                    .qself
                    .as_ref()
                    .map_or_else(|| path_first(&e.path), |q| q.lt_token.span);
            }
            Expr::Try(e) => &e.expr,
            Expr::TryBlock(e) => return e.try_token.span,
            Expr::Tuple(e) => return e.paren_token.span.open(),
            Expr::Unary(e) => {
                return match e.op {
                    syn::UnOp::Deref(t) => t.span,
                    syn::UnOp::Not(t) => t.span,
                    syn::UnOp::Neg(t) => t.span,
                    _ => expr_first(&e.expr),
                };
            }
            Expr::Unsafe(e) => return e.unsafe_token.span,
            Expr::Verbatim(tokens) => {
                return tokens
                    .clone()
                    .into_iter()
                    .next()
                    .map_or_else(TokenSpan::call_site, |t| t.span());
            }
            Expr::While(e) => {
                return e.label.as_ref().map_or(e.while_token.span, |l| l.name.apostrophe);
            }
            Expr::Yield(e) => return e.yield_token.span,
            _ => return TokenSpan::call_site(),
        };
    }
}

pub(crate) fn closure_first(e: &syn::ExprClosure) -> TokenSpan {
    if let Some(lifetimes) = &e.lifetimes {
        return lifetimes.for_token.span;
    }
    if let Some(t) = &e.constness {
        return t.span;
    }
    if let Some(t) = &e.movability {
        return t.span;
    }
    if let Some(t) = &e.asyncness {
        return t.span;
    }
    if let Some(t) = &e.capture {
        return t.span;
    }
    e.or1_token.span
}

fn range_limits(limits: &syn::RangeLimits) -> TokenSpan {
    match limits {
        syn::RangeLimits::HalfOpen(t) => t.spans[0],
        syn::RangeLimits::Closed(t) => t.spans[0],
    }
}

/// The first token of a path.
pub(crate) fn path_first(path: &Path) -> TokenSpan {
    match (&path.leading_colon, path.segments.first()) {
        (Some(colon), _) => colon.spans[0],
        (None, Some(segment)) => segment.ident.span(),
        (None, None) => TokenSpan::call_site(),
    }
}

/// The last token of an expression.
pub(crate) fn expr_last(mut expr: &Expr) -> TokenSpan {
    loop {
        expr = match expr {
            Expr::Array(e) => return e.bracket_token.span.close(),
            Expr::Assign(e) => &e.right,
            Expr::Async(e) => return e.block.brace_token.span.close(),
            Expr::Await(e) => return e.await_token.span,
            Expr::Binary(e) => &e.right,
            Expr::Block(e) => return e.block.brace_token.span.close(),
            Expr::Break(e) => match (&e.expr, &e.label) {
                (Some(value), _) => value,
                (None, Some(label)) => return label.ident.span(),
                (None, None) => return e.break_token.span,
            },
            Expr::Call(e) => return e.paren_token.span.close(),
            Expr::Cast(e) => return type_last(&e.ty),
            Expr::Closure(e) => &e.body,
            Expr::Const(e) => return e.block.brace_token.span.close(),
            Expr::Continue(e) => {
                return e.label.as_ref().map_or(e.continue_token.span, |l| l.ident.span());
            }
            Expr::Field(e) => {
                return match &e.member {
                    syn::Member::Named(ident) => ident.span(),
                    syn::Member::Unnamed(index) => index.span,
                };
            }
            Expr::ForLoop(e) => return e.body.brace_token.span.close(),
            Expr::Group(e) => return e.group_token.span,
            Expr::If(e) => match &e.else_branch {
                Some((_, branch)) => branch,
                None => return e.then_branch.brace_token.span.close(),
            },
            Expr::Index(e) => return e.bracket_token.span.close(),
            Expr::Infer(e) => return e.underscore_token.span,
            Expr::Let(e) => &e.expr,
            Expr::Lit(e) => return e.lit.span(),
            Expr::Loop(e) => return e.body.brace_token.span.close(),
            Expr::Macro(e) => return macro_close(&e.mac),
            Expr::Match(e) => return e.brace_token.span.close(),
            Expr::MethodCall(e) => return e.paren_token.span.close(),
            Expr::Paren(e) => return e.paren_token.span.close(),
            Expr::Path(e) => return path_last(&e.path),
            Expr::Range(e) => match &e.end {
                Some(end) => end,
                None => return range_limits(&e.limits),
            },
            Expr::RawAddr(e) => &e.expr,
            Expr::Reference(e) => &e.expr,
            Expr::Repeat(e) => return e.bracket_token.span.close(),
            Expr::Return(e) => match &e.expr {
                Some(value) => value,
                None => return e.return_token.span,
            },
            Expr::Struct(e) => return e.brace_token.span.close(),
            Expr::Try(e) => return e.question_token.span,
            Expr::TryBlock(e) => return e.block.brace_token.span.close(),
            Expr::Tuple(e) => return e.paren_token.span.close(),
            Expr::Unary(e) => &e.expr,
            Expr::Unsafe(e) => return e.block.brace_token.span.close(),
            Expr::Verbatim(tokens) => {
                return tokens
                    .clone()
                    .into_iter()
                    .last()
                    .map_or_else(TokenSpan::call_site, |t| t.span());
            }
            Expr::While(e) => return e.body.brace_token.span.close(),
            Expr::Yield(e) => match &e.expr {
                Some(value) => value,
                None => return e.yield_token.span,
            },
            _ => return TokenSpan::call_site(),
        };
    }
}

/// The closing delimiter of a macro invocation.
pub(crate) fn macro_close(mac: &syn::Macro) -> TokenSpan {
    match &mac.delimiter {
        syn::MacroDelimiter::Paren(d) => d.span.close(),
        syn::MacroDelimiter::Brace(d) => d.span.close(),
        syn::MacroDelimiter::Bracket(d) => d.span.close(),
    }
}

/// The last token of a path.
pub(crate) fn path_last(path: &Path) -> TokenSpan {
    let Some(segment) = path.segments.last() else {
        return path.leading_colon.map_or_else(TokenSpan::call_site, |c| c.spans[1]);
    };
    match &segment.arguments {
        PathArguments::None => segment.ident.span(),
        PathArguments::AngleBracketed(args) => args.gt_token.span,
        PathArguments::Parenthesized(args) => match &args.output {
            ReturnType::Type(_, ty) => type_last(ty),
            ReturnType::Default => args.paren_token.span.close(),
        },
    }
}

/// The last token of a type.
pub(crate) fn type_last(mut ty: &Type) -> TokenSpan {
    loop {
        ty = match ty {
            Type::Array(t) => return t.bracket_token.span.close(),
            Type::BareFn(t) => match &t.output {
                ReturnType::Type(_, output) => output,
                ReturnType::Default => return t.paren_token.span.close(),
            },
            Type::Group(t) => &t.elem,
            Type::ImplTrait(t) => return t.bounds.last().map_or(t.impl_token.span, bound_last),
            Type::Infer(t) => return t.underscore_token.span,
            Type::Macro(t) => return macro_close(&t.mac),
            Type::Never(t) => return t.bang_token.span,
            Type::Paren(t) => return t.paren_token.span.close(),
            Type::Path(t) => return path_last(&t.path),
            Type::Ptr(t) => &t.elem,
            Type::Reference(t) => &t.elem,
            Type::Slice(t) => return t.bracket_token.span.close(),
            Type::TraitObject(t) => {
                return t
                    .bounds
                    .last()
                    .map_or_else(|| t.dyn_token.map_or_else(TokenSpan::call_site, |d| d.span), bound_last);
            }
            Type::Tuple(t) => return t.paren_token.span.close(),
            Type::Verbatim(tokens) => {
                return tokens
                    .clone()
                    .into_iter()
                    .last()
                    .map_or_else(TokenSpan::call_site, |t| t.span());
            }
            _ => return TokenSpan::call_site(),
        };
    }
}

fn bound_last(bound: &TypeParamBound) -> TokenSpan {
    match bound {
        TypeParamBound::Trait(t) => t.paren_token.map_or_else(|| path_last(&t.path), |p| p.span.close()),
        TypeParamBound::Lifetime(l) => l.ident.span(),
        TypeParamBound::PreciseCapture(p) => p.gt_token.span,
        TypeParamBound::Verbatim(tokens) => tokens
            .clone()
            .into_iter()
            .last()
            .map_or_else(TokenSpan::call_site, |t| t.span()),
        _ => TokenSpan::call_site(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamping_keeps_spans_inside_the_source_and_on_char_boundaries() {
        assert_eq!(clamp("héllo", 2, 3), Span::new(1, 3));
        assert_eq!(clamp("abc", 5, 9), Span::new(3, 3));
        assert_eq!(clamp("abc", 2, 1), Span::new(2, 2));
    }

    #[test]
    fn positions_agree_with_byte_ranges() {
        let source = "éab\n\nfn f() { \"é\u{1F600}x\" ; 'c' } // é\r\nlet x = 1;\n";
        let tokens: proc_macro2::TokenStream = source.parse().unwrap();
        let positions = Positions::new(source);
        let mut stack = vec![tokens];
        while let Some(tokens) = stack.pop() {
            for token in tokens {
                let range = token.span().byte_range();
                assert_eq!(positions.of(token.span()), Span::new(range.start, range.end), "{token}");
                if let proc_macro2::TokenTree::Group(group) = token {
                    stack.push(group.stream());
                }
            }
        }
        proc_macro2::extra::invalidate_current_thread_spans();
    }

    #[test]
    fn first_and_last_tokens_of_expressions() {
        let source = "fn f() { let _ = -a.b(c)? as Vec<u8> + <T as X>::y[0] .. z.await; }";
        let file: syn::File = syn::parse_str(source).unwrap();
        let syn::Item::Fn(f) = &file.items[0] else { panic!() };
        let syn::Stmt::Local(local) = &f.block.stmts[0] else {
            panic!()
        };
        let init = &local.init.as_ref().unwrap().expr;
        let positions = Positions::new(source);
        assert_eq!(
            positions.between(expr_first(init), expr_last(init)).text(source),
            "-a.b(c)? as Vec<u8> + <T as X>::y[0] .. z.await"
        );
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}
