//! Lowering a syn file to Facts: the walk over items and statements, scopes,
//! bindings of declarations, imports and test regions. Expressions are in
//! `expr.rs`, macros and attributes in `macros.rs`.
//!
//! The walk is syn's `Visit`, with the nodes that carry facts overridden. It
//! visits every node once: an expression is lowered to its `Value` exactly
//! where it occurs, and whatever it contains is recorded on the way.
//!
//! Facts come out in source order because each record is reserved before
//! what it contains is lowered (a call before its arguments, a binding before
//! its value).

use crate::literal::{self, Decoded};
use crate::span;
use miroguard_ir::{
    Binding, BindingId, BindingKind, Call, CallId, Comment, Facts, Import, ImportKind, ImportName, MAX_NESTING, Scope,
    ScopeId, ScopeKind, Span, StrId, StringLit, Value,
};
use proc_macro2::Span as TokenSpan;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, Ident, Item, Local, Pat, Stmt, UseTree, Visibility};

/// Lowers a parsed file. `source` is the text the spans index.
pub(crate) fn lower_file(source: &str, file: &syn::File, comments: Vec<Comment>) -> Facts {
    let mut lowerer = Lowerer::new(source, comments);
    for attr in &file.attrs {
        lowerer.visit_attribute(attr);
    }
    for item in &file.items {
        lowerer.visit_item(item);
    }
    lowerer.facts
}

/// The state of lowering one file.
pub(crate) struct Lowerer<'s> {
    /// The parsed text (the source with a BOM or shebang blanked: the same bytes where it matters).
    pub(crate) source: &'s str,
    positions: span::Positions<'s>,
    pub(crate) facts: Facts,
    /// The innermost open scope.
    pub(crate) scope: ScopeId,
    /// How many nested nodes the walk is inside.
    depth: usize,
}

impl<'s> Lowerer<'s> {
    fn new(source: &'s str, comments: Vec<Comment>) -> Lowerer<'s> {
        let mut facts = Facts {
            comments,
            ..Facts::default()
        };
        facts.scopes.push(Scope {
            parent: None,
            kind: ScopeKind::Module,
            span: Span::new(0, source.len()),
            name: None,
        });
        Lowerer {
            source,
            positions: span::Positions::new(source),
            facts,
            scope: 0,
            depth: 0,
        }
    }

    /// The source span of a token.
    pub(crate) fn span(&self, token: TokenSpan) -> Span {
        self.positions.of(token)
    }

    /// The source span from one token to another.
    pub(crate) fn between(&self, first: TokenSpan, last: TokenSpan) -> Span {
        self.positions.between(first, last)
    }

    /// Steps one level deeper, unless that passes [`MAX_NESTING`]: then it
    /// records where and returns false, and the caller lowers nothing below.
    pub(crate) fn enter(&mut self, at: TokenSpan) -> bool {
        if self.depth >= MAX_NESTING {
            if self.facts.depth_limit_hit.is_none() {
                self.facts.depth_limit_hit = Some(self.span(at));
            }
            return false;
        }
        self.depth += 1;
        true
    }

    /// Steps back out of a level entered with [`Lowerer::enter`].
    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Opens a scope inside the current one; returns the one to restore.
    pub(crate) fn open_scope(&mut self, kind: ScopeKind, span: Span) -> ScopeId {
        let id = self.facts.scopes.len() as ScopeId;
        self.facts.scopes.push(Scope {
            parent: Some(self.scope),
            kind,
            span,
            name: None,
        });
        std::mem::replace(&mut self.scope, id)
    }

    /// Closes the current scope, restoring `outer`.
    pub(crate) fn close_scope(&mut self, outer: ScopeId) {
        self.scope = outer;
    }

    /// Decodes the string literal whose token has span `token`. Its text is
    /// read from the source; when the span leads nowhere (under
    /// `cfg(fuzzing)`, where every span is `0..0`), from `text()`, and then
    /// the result is not `mapped` to exact content spans.
    pub(crate) fn decode_literal(
        &self,
        token: TokenSpan,
        text: impl FnOnce() -> String,
    ) -> Option<(Span, Decoded, bool)> {
        let span = self.span(token);
        let source_text = span.text(self.source);
        if source_text.is_empty() {
            literal::decode(&text()).map(|decoded| (span, decoded, false))
        } else {
            literal::decode(source_text).map(|decoded| (span, decoded, true))
        }
    }

    /// Where a decoded literal's content is in the source: inside the quotes
    /// when the literal's own span is known (`mapped`), else the whole span.
    pub(crate) fn content_span(&self, span: Span, decoded: &Decoded, mapped: bool) -> Span {
        if mapped {
            span::clamp(
                self.source,
                span.start + decoded.content.start,
                span.start + decoded.content.end,
            )
        } else {
            span
        }
    }

    /// Records a decoded string literal.
    pub(crate) fn push_decoded(&mut self, span: Span, decoded: Decoded, mapped: bool) -> StrId {
        let content = self.content_span(span, &decoded, mapped);
        let verbatim = mapped && decoded.verbatim;
        self.push_string(StringLit {
            span,
            content,
            value: decoded.value,
            verbatim,
            kind: decoded.kind,
        })
    }

    /// Records the string literal whose token has span `token` (see
    /// [`Lowerer::decode_literal`]); `None` if it is not a string literal.
    pub(crate) fn string(&mut self, token: TokenSpan, text: impl FnOnce() -> String) -> Option<StrId> {
        let (span, decoded, mapped) = self.decode_literal(token, text)?;
        Some(self.push_decoded(span, decoded, mapped))
    }

    /// Adds a string literal.
    pub(crate) fn push_string(&mut self, lit: StringLit) -> StrId {
        self.facts.strings.push(lit);
        (self.facts.strings.len() - 1) as StrId
    }

    /// Reserves the place of a binding whose value is yet to be lowered, so
    /// that bindings stay in source order; [`Lowerer::set_binding`] fills it.
    pub(crate) fn reserve_binding(&mut self) -> BindingId {
        self.facts.bindings.push(Binding {
            kind: BindingKind::Variable,
            name: String::new(),
            path: Vec::new(),
            name_span: Span::default(),
            value: Value::Unknown,
            span: Span::default(),
            scope: self.scope,
        });
        (self.facts.bindings.len() - 1) as BindingId
    }

    /// Fills a reserved binding. `path` is the whole target; its last segment is the name.
    pub(crate) fn set_binding(
        &mut self,
        id: BindingId,
        kind: BindingKind,
        path: Vec<String>,
        name_span: Span,
        value: Value,
        span: Span,
    ) {
        let (scope, name) = (self.scope, path.last().cloned().unwrap_or_default());
        if let Some(binding) = self.facts.bindings.get_mut(id as usize) {
            *binding = Binding {
                kind,
                name,
                path,
                name_span,
                value,
                span,
                scope,
            };
        }
    }

    /// Reserves the place of a call whose arguments are yet to be lowered,
    /// so that calls stay in order of their start.
    pub(crate) fn reserve_call(&mut self) -> CallId {
        self.facts.calls.push(Call {
            callee: Vec::new(),
            receiver: None,
            args: Vec::new(),
            span: Span::default(),
            callee_span: Span::default(),
            is_macro: false,
            is_new: false,
            scope: self.scope,
        });
        (self.facts.calls.len() - 1) as CallId
    }

    /// Fills a reserved call.
    pub(crate) fn set_call(&mut self, id: CallId, call: Call) {
        if let Some(slot) = self.facts.calls.get_mut(id as usize) {
            *slot = call;
        }
    }

    pub(crate) fn attrs(&mut self, attrs: &[Attribute]) {
        for attr in attrs {
            self.visit_attribute(attr);
        }
    }

    /// Lowers a block's statements in the current scope; the value of the
    /// block is that of its tail expression.
    pub(crate) fn stmts(&mut self, stmts: &[Stmt]) -> Value {
        let mut tail = Value::Unknown;
        let last = stmts.len().saturating_sub(1);
        for (i, stmt) in stmts.iter().enumerate() {
            match stmt {
                Stmt::Local(local) => self.visit_local(local),
                Stmt::Item(item) => self.visit_item(item),
                Stmt::Expr(expr, semi) => {
                    let value = self.expr(expr);
                    if i == last && semi.is_none() {
                        tail = value;
                    }
                }
                Stmt::Macro(stmt) => {
                    self.attrs(&stmt.attrs);
                    let value = self.lower_macro(&stmt.mac);
                    if i == last && stmt.semi_token.is_none() {
                        tail = value;
                    }
                }
            }
        }
        tail
    }

    /// Lowers a block in a scope of its own; returns its value.
    pub(crate) fn block_value(&mut self, block: &syn::Block) -> Value {
        if !self.enter(block.brace_token.span.open()) {
            return Value::Unknown;
        }
        let outer = self.open_scope(ScopeKind::Block, self.span(block.brace_token.span.join()));
        let value = self.stmts(&block.stmts);
        self.close_scope(outer);
        self.leave();
        value
    }

    /// A function body: one `Function` scope over the signature and body.
    fn function(&mut self, attrs: &[Attribute], sig: &syn::Signature, block: Option<&syn::Block>, first: TokenSpan) {
        self.attrs(attrs);
        let last = block.map_or_else(|| sig.paren_token.span.close(), |b| b.brace_token.span.close());
        let outer = self.open_scope(ScopeKind::Function, self.between(first, last));
        if let Some(scope) = self.facts.scopes.get_mut(self.scope as usize) {
            scope.name = Some(ident_string(&sig.ident));
        }
        for input in &sig.inputs {
            if let syn::FnArg::Typed(typed) = input {
                self.parameter(&typed.pat);
            }
        }
        self.visit_signature(sig);
        if let Some(block) = block {
            let value = self.stmts(&block.stmts);
            if let Some(span) = self.tail_span(&block.stmts) {
                self.push_return(value, span);
            }
        }
        self.close_scope(outer);
    }

    /// A `Parameter` binding when `pat` is a plain name (`x`, `mut x`, `x: T`).
    pub(crate) fn parameter(&mut self, mut pat: &Pat) {
        if let Pat::Type(typed) = pat {
            pat = &typed.pat;
        }
        if let Pat::Ident(ident) = pat {
            if ident.subpat.is_none() {
                let id = self.reserve_binding();
                let name_span = self.span(ident.ident.span());
                self.set_binding(
                    id,
                    BindingKind::Parameter,
                    vec![ident_string(&ident.ident)],
                    name_span,
                    Value::Unknown,
                    name_span,
                );
            }
        }
    }

    /// Where the tail expression of a block is, if it has one.
    pub(crate) fn tail_span(&self, stmts: &[Stmt]) -> Option<Span> {
        match stmts.last()? {
            Stmt::Expr(expr, None) => Some(self.between(span::expr_first(expr), span::expr_last(expr))),
            Stmt::Macro(stmt) if stmt.semi_token.is_none() => {
                Some(self.between(span::path_first(&stmt.mac.path), span::macro_close(&stmt.mac)))
            }
            _ => None,
        }
    }

    /// Records a value the current function gives back.
    pub(crate) fn push_return(&mut self, value: Value, span: Span) {
        self.facts.returns.push(miroguard_ir::Return {
            value,
            span,
            scope: self.scope,
        });
    }

    /// `const X: T = v;`, `static X: T = v;`: a `Variable` binding.
    fn constant(
        &mut self,
        attrs: &[Attribute],
        ident: &Ident,
        ty: &syn::Type,
        value: Option<&Expr>,
        first: TokenSpan,
        last: TokenSpan,
    ) {
        self.attrs(attrs);
        self.visit_type(ty);
        if let Some(expr) = value {
            let id = self.reserve_binding();
            let value = self.expr(expr);
            let (name_span, span) = (self.span(ident.span()), self.between(first, last));
            self.set_binding(
                id,
                BindingKind::Variable,
                vec![ident_string(ident)],
                name_span,
                value,
                span,
            );
        }
    }

    fn test_region(&mut self, attrs: &[Attribute], is_fn: bool, last: Option<TokenSpan>) {
        let is_test = attrs.iter().any(|a| is_cfg_test(a) || (is_fn && is_test_attribute(a)));
        if let (true, Some(first), Some(last)) = (is_test, attrs.first(), last) {
            let region = self.between(first.pound_token.span, last);
            self.facts.test_regions.push(region);
        }
    }

    fn use_tree(&mut self, tree: &UseTree, prefix: &mut Vec<String>, span: Span, depth: usize) {
        if depth > MAX_NESTING {
            self.facts.depth_limit_hit.get_or_insert(span);
            return;
        }
        let leaf = |this: &mut Self, imported: String, local: String| {
            let source = if prefix.is_empty() {
                imported.clone()
            } else {
                prefix.join("::")
            };
            let names = vec![ImportName { imported, local }];
            this.facts.imports.push(Import {
                source,
                names,
                kind: ImportKind::Use,
                span,
            });
        };
        match tree {
            UseTree::Path(path) => {
                prefix.push(ident_string(&path.ident));
                self.use_tree(&path.tree, prefix, span, depth + 1);
                prefix.pop();
            }
            UseTree::Name(name) => {
                let imported = ident_string(&name.ident);
                let local = if imported == "self" {
                    prefix.last().cloned().unwrap_or_default()
                } else {
                    imported.clone()
                };
                leaf(self, imported, local);
            }
            UseTree::Rename(rename) => leaf(self, ident_string(&rename.ident), ident_string(&rename.rename)),
            UseTree::Glob(_) => {
                let source = prefix.join("::");
                let names = vec![ImportName {
                    imported: "*".into(),
                    local: "*".into(),
                }];
                self.facts.imports.push(Import {
                    source,
                    names,
                    kind: ImportKind::Use,
                    span,
                });
            }
            UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(tree, prefix, span, depth + 1);
                }
            }
        }
    }

    fn local(&mut self, local: &Local) {
        self.attrs(&local.attrs);
        let span = self.between(local.let_token.span, local.semi_token.span);
        let Some(init) = &local.init else {
            self.visit_pat(&local.pat);
            return;
        };
        let mut pat = &local.pat;
        if let Pat::Type(typed) = pat {
            self.visit_type(&typed.ty);
            pat = &typed.pat;
        }
        match (pat, &*init.expr) {
            (Pat::Ident(ident), _) if ident.subpat.is_none() => {
                let id = self.reserve_binding();
                let value = self.expr(&init.expr);
                let name_span = self.span(ident.ident.span());
                self.set_binding(
                    id,
                    BindingKind::Variable,
                    vec![ident_string(&ident.ident)],
                    name_span,
                    value,
                    span,
                );
            }
            (Pat::Tuple(pats), Expr::Tuple(exprs)) if pats.elems.len() == exprs.elems.len() => {
                // `let (a, b) = (x, y);` binds each name to its own value. The
                // bindings all span the statement, so all are reserved first.
                self.attrs(&exprs.attrs);
                let names: Vec<Option<(BindingId, &Ident)>> = pats
                    .elems
                    .iter()
                    .map(|pat| match pat {
                        Pat::Ident(ident) if ident.subpat.is_none() => Some((self.reserve_binding(), &ident.ident)),
                        _ => None,
                    })
                    .collect();
                for ((pat, expr), name) in pats.elems.iter().zip(&exprs.elems).zip(names) {
                    match name {
                        Some((id, ident)) => {
                            let value = self.expr(expr);
                            let name_span = self.span(ident.span());
                            self.set_binding(
                                id,
                                BindingKind::Variable,
                                vec![ident_string(ident)],
                                name_span,
                                value,
                                span,
                            );
                        }
                        None => {
                            self.visit_pat(pat);
                            self.expr(expr);
                        }
                    }
                }
            }
            _ => {
                self.visit_pat(pat);
                self.expr(&init.expr);
            }
        }
        if let Some((_, diverge)) = &init.diverge {
            self.expr(diverge);
        }
    }
}

impl<'ast> Visit<'ast> for Lowerer<'_> {
    fn visit_item(&mut self, item: &'ast Item) {
        let (attrs, is_fn) = match item {
            Item::Fn(f) => (&f.attrs[..], true),
            Item::Mod(m) => (&m.attrs[..], false),
            Item::Impl(i) => (&i.attrs[..], false),
            Item::Const(c) => (&c.attrs[..], false),
            Item::Static(s) => (&s.attrs[..], false),
            Item::Struct(s) => (&s.attrs[..], false),
            Item::Enum(e) => (&e.attrs[..], false),
            Item::Trait(t) => (&t.attrs[..], false),
            Item::Use(u) => (&u.attrs[..], false),
            Item::Macro(m) => (&m.attrs[..], false),
            Item::ExternCrate(e) => (&e.attrs[..], false),
            Item::ForeignMod(f) => (&f.attrs[..], false),
            Item::Type(t) => (&t.attrs[..], false),
            Item::Union(u) => (&u.attrs[..], false),
            Item::TraitAlias(t) => (&t.attrs[..], false),
            _ => (&[][..], false),
        };
        let Some(first) = attrs.first().map(|a| a.pound_token.span).or_else(|| item_first(item)) else {
            return visit::visit_item(self, item);
        };
        if !self.enter(first) {
            return;
        }
        self.test_region(attrs, is_fn, item_last(item));
        visit::visit_item(self, item);
        self.leave();
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        let first = vis_first(&f.vis).unwrap_or_else(|| sig_first(&f.sig));
        self.function(&f.attrs, &f.sig, Some(&f.block), first);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.test_region(&f.attrs, true, Some(f.block.brace_token.span.close()));
        let first = vis_first(&f.vis)
            .or(f.defaultness.map(|d| d.span))
            .unwrap_or_else(|| sig_first(&f.sig));
        self.function(&f.attrs, &f.sig, Some(&f.block), first);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        self.function(&f.attrs, &f.sig, f.default.as_ref(), sig_first(&f.sig));
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        self.attrs(&i.attrs);
        self.visit_generics(&i.generics);
        if let Some((_, path, _)) = &i.trait_ {
            self.visit_path(path);
        }
        self.visit_type(&i.self_ty);
        let first = i.unsafety.map_or(i.impl_token.span, |u| u.span);
        let outer = self.open_scope(ScopeKind::Class, self.between(first, i.brace_token.span.close()));
        for item in &i.items {
            self.visit_impl_item(item);
        }
        self.close_scope(outer);
    }

    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        self.attrs(&t.attrs);
        self.visit_generics(&t.generics);
        for bound in &t.supertraits {
            self.visit_type_param_bound(bound);
        }
        let first = vis_first(&t.vis).unwrap_or(t.trait_token.span);
        let outer = self.open_scope(ScopeKind::Class, self.between(first, t.brace_token.span.close()));
        for item in &t.items {
            self.visit_trait_item(item);
        }
        self.close_scope(outer);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        self.attrs(&m.attrs);
        if let Some((brace, items)) = &m.content {
            let outer = self.open_scope(ScopeKind::Block, self.span(brace.span.join()));
            for item in items {
                self.visit_item(item);
            }
            self.close_scope(outer);
        }
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.block_value(block);
    }

    fn visit_local(&mut self, local: &'ast Local) {
        self.local(local);
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        let first = vis_first(&c.vis).unwrap_or(c.const_token.span);
        self.constant(&c.attrs, &c.ident, &c.ty, Some(&c.expr), first, c.semi_token.span);
    }

    fn visit_item_static(&mut self, s: &'ast syn::ItemStatic) {
        let first = vis_first(&s.vis).unwrap_or(s.static_token.span);
        self.constant(&s.attrs, &s.ident, &s.ty, Some(&s.expr), first, s.semi_token.span);
    }

    fn visit_impl_item_const(&mut self, c: &'ast syn::ImplItemConst) {
        let first = vis_first(&c.vis).unwrap_or(c.const_token.span);
        self.constant(&c.attrs, &c.ident, &c.ty, Some(&c.expr), first, c.semi_token.span);
    }

    fn visit_trait_item_const(&mut self, c: &'ast syn::TraitItemConst) {
        let value = c.default.as_ref().map(|(_, expr)| expr);
        self.constant(&c.attrs, &c.ident, &c.ty, value, c.const_token.span, c.semi_token.span);
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.attrs(&u.attrs);
        let first = vis_first(&u.vis).unwrap_or(u.use_token.span);
        let span = self.between(first, u.semi_token.span);
        self.use_tree(&u.tree, &mut Vec::new(), span, 0);
    }

    fn visit_item_extern_crate(&mut self, e: &'ast syn::ItemExternCrate) {
        self.attrs(&e.attrs);
        let first = vis_first(&e.vis).unwrap_or(e.extern_token.span);
        let span = self.between(first, e.semi_token.span);
        let imported = ident_string(&e.ident);
        let local = e
            .rename
            .as_ref()
            .map_or_else(|| imported.clone(), |(_, rename)| ident_string(rename));
        let names = vec![ImportName {
            imported: imported.clone(),
            local,
        }];
        self.facts.imports.push(Import {
            source: imported,
            names,
            kind: ImportKind::Use,
            span,
        });
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        self.expr(expr);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.lower_macro(mac);
    }

    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        self.attribute(attr);
    }

    fn visit_lit(&mut self, lit: &'ast syn::Lit) {
        self.lit_value(lit);
    }

    fn visit_type(&mut self, ty: &'ast syn::Type) {
        if self.enter(span::type_last(ty)) {
            visit::visit_type(self, ty);
            self.leave();
        }
    }

    fn visit_pat(&mut self, pat: &'ast Pat) {
        // Patterns hold no spans cheap to find; the depth limit only needs a place.
        if self.enter(TokenSpan::call_site()) {
            visit::visit_pat(self, pat);
            self.leave();
        }
    }
}

/// An identifier as text, without the `r#` of a raw identifier.
pub(crate) fn ident_string(ident: &Ident) -> String {
    let text = ident.to_string();
    match text.strip_prefix("r#") {
        Some(unraw) => unraw.to_owned(),
        None => text,
    }
}

/// `#[cfg(test)]` or `#[cfg(all(test, …))]`.
fn is_cfg_test(attr: &Attribute) -> bool {
    use proc_macro2::TokenTree;
    let syn::Meta::List(list) = &attr.meta else {
        return false;
    };
    if !list.path.is_ident("cfg") {
        return false;
    }
    let mut tokens = list.tokens.clone().into_iter();
    match (tokens.next(), tokens.next(), tokens.next()) {
        (Some(TokenTree::Ident(test)), None, None) => test == "test",
        (Some(TokenTree::Ident(all)), Some(TokenTree::Group(group)), None) if all == "all" => {
            // `test` as one of the predicates, not `test(…)` or `not(test)`.
            let tokens: Vec<TokenTree> = group.stream().into_iter().collect();
            tokens.iter().enumerate().any(|(i, token)| {
                matches!(token, TokenTree::Ident(ident) if ident == "test")
                    && !matches!(tokens.get(i + 1), Some(TokenTree::Group(_)))
                    && (i == 0 || matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == ','))
            })
        }
        _ => false,
    }
}

/// `#[test]`, `#[tokio::test]`, `#[async_std::test(…)]`: a path ending in `test`.
fn is_test_attribute(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "test")
}

fn vis_first(vis: &Visibility) -> Option<TokenSpan> {
    match vis {
        Visibility::Public(p) => Some(p.span),
        Visibility::Restricted(r) => Some(r.pub_token.span),
        Visibility::Inherited => None,
    }
}

fn sig_first(sig: &syn::Signature) -> TokenSpan {
    sig.constness
        .map(|t| t.span)
        .or(sig.asyncness.map(|t| t.span))
        .or(sig.unsafety.map(|t| t.span))
        .or(sig.abi.as_ref().map(|abi| abi.extern_token.span))
        .unwrap_or(sig.fn_token.span)
}

/// The first token of an item without attributes.
fn item_first(item: &Item) -> Option<TokenSpan> {
    let (vis, keyword) = match item {
        Item::Fn(i) => (&i.vis, sig_first(&i.sig)),
        Item::Mod(i) => (&i.vis, i.mod_token.span),
        Item::Impl(i) => return Some(i.impl_token.span),
        Item::Const(i) => (&i.vis, i.const_token.span),
        Item::Static(i) => (&i.vis, i.static_token.span),
        Item::Struct(i) => (&i.vis, i.struct_token.span),
        Item::Enum(i) => (&i.vis, i.enum_token.span),
        Item::Trait(i) => (&i.vis, i.trait_token.span),
        Item::Use(i) => (&i.vis, i.use_token.span),
        Item::Macro(i) => return Some(span::path_first(&i.mac.path)),
        _ => return None,
    };
    Some(vis_first(vis).unwrap_or(keyword))
}

/// The last token of an item.
fn item_last(item: &Item) -> Option<TokenSpan> {
    Some(match item {
        Item::Const(i) => i.semi_token.span,
        Item::Enum(i) => i.brace_token.span.close(),
        Item::Fn(i) => i.block.brace_token.span.close(),
        Item::Impl(i) => i.brace_token.span.close(),
        Item::Macro(i) => i.semi_token.map_or_else(|| span::macro_close(&i.mac), |s| s.span),
        Item::Mod(i) => match (&i.content, &i.semi) {
            (Some((brace, _)), _) => brace.span.close(),
            (None, Some(semi)) => semi.span,
            (None, None) => return None,
        },
        Item::Static(i) => i.semi_token.span,
        Item::Struct(i) => match (&i.semi_token, &i.fields) {
            (Some(semi), _) => semi.span,
            (None, syn::Fields::Named(fields)) => fields.brace_token.span.close(),
            (None, syn::Fields::Unnamed(fields)) => fields.paren_token.span.close(),
            (None, syn::Fields::Unit) => return None,
        },
        Item::Trait(i) => i.brace_token.span.close(),
        Item::Use(i) => i.semi_token.span,
        Item::ExternCrate(i) => i.semi_token.span,
        Item::ForeignMod(i) => i.brace_token.span.close(),
        Item::Type(i) => i.semi_token.span,
        Item::Union(i) => i.fields.brace_token.span.close(),
        Item::TraitAlias(i) => i.semi_token.span,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
