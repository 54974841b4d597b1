//! The walk from a tree-sitter tree to Facts: the dispatcher, scopes, the
//! depth limit and the generic walk. What each kind of node becomes lives in
//! [`crate::values`], [`crate::bindings`] and [`crate::calls`].
//!
//! The walk is recursive (values are built bottom-up), so two things keep it
//! safe on any input: every recursive step goes through [`Lowerer::node`],
//! which stops at [`MAX_NESTING`], and the shapes that real code nests
//! without limit — statement lists, `else if` chains, `a || b || …`,
//! `a + b + …`, `c ? x : c ? y : …`, `((x))`, `!!x` — are walked in loops.

use crate::errors;
use crate::grammar::{Fd, Grammar, K};
use crate::incremental::{Marks, Reuse, Segment};
use crate::strings::Mode;
use miroguard_ir::{
    Binding, BindingId, BindingKind, Comment, Facts, MAX_NESTING, Return, Scope, ScopeId, ScopeKind, Span, StrId,
    StringKind, StringLit, Value,
};
use tree_sitter::{Node, Tree, TreeCursor};

/// A child of the node being lowered, with its kind and field already looked up.
#[derive(Clone, Copy)]
pub(crate) struct Kid<'t> {
    pub(crate) node: Node<'t>,
    pub(crate) kind: K,
    pub(crate) field: Fd,
}

/// The state of one file's lowering.
pub(crate) struct Lowerer<'s, 't> {
    pub(crate) src: &'s str,
    pub(crate) g: &'static Grammar,
    pub(crate) facts: Facts,
    /// The innermost scope open at the current node.
    pub(crate) scope: ScopeId,
    /// How many [`Lowerer::node`] calls are on the stack.
    depth: usize,
    /// Reused for every child list, so walking allocates nothing per node.
    cursor: TreeCursor<'t>,
    /// Children of the nodes being lowered, as a stack: each handler pushes
    /// its node's children, works on them by index, and truncates them away.
    kids: Vec<Kid<'t>>,
    /// Scratch stack for nodes of a chain walked in a loop (member chains, binary operators).
    pub(crate) spine: Vec<Node<'t>>,
    /// The import made by the last `require("m")` or `import("m")` lowered,
    /// with that call's span, so that the declaration around it can name what it binds.
    pub(crate) last_module_call: Option<(usize, Span)>,
}

/// Lowers a parsed file.
pub(crate) fn lower_tree(tree: &Tree, source: &str, grammar: &'static Grammar) -> Facts {
    lower_program(tree, source, grammar, None).0
}

/// Lowers a parsed file statement by statement, taking the facts of the
/// statements `reuse` says are unchanged from the last version instead of
/// lowering them again. Also returns where each top-level statement's facts
/// are, for the next version.
///
/// A top-level statement's facts depend only on its own subtree (and on how
/// many facts come before it, which numbers them), so the facts of a file are
/// those of its statements in order, however each was obtained.
pub(crate) fn lower_program(
    tree: &Tree,
    source: &str,
    grammar: &'static Grammar,
    reuse: Option<Reuse>,
) -> (Facts, Vec<Segment>) {
    let root = tree.root_node();
    let mut cursor = root.walk();
    let statements: Vec<Node<'_>> = root.named_children(&mut cursor).collect();
    let (kept_before, kept_after) = reuse.as_ref().map_or((0, 0), |reuse| reuse.unchanged(&statements));
    let (facts, mut segments, tail) = match reuse {
        Some(reuse) => {
            let (facts, segments, tail) = reuse.split(kept_before, kept_after, source.len());
            (facts, segments, Some(tail))
        }
        None => {
            let module = Scope {
                parent: None,
                kind: ScopeKind::Module,
                span: Span::new(0, source.len()),
                name: None,
            };
            let facts = Facts {
                scopes: vec![module],
                ..Facts::default()
            };
            (facts, Vec::with_capacity(statements.len()), None)
        }
    };
    let mut lowerer = Lowerer {
        src: source,
        g: grammar,
        facts,
        scope: 0,
        depth: 0,
        cursor,
        kids: Vec::new(),
        spine: Vec::new(),
        last_module_call: None,
    };
    let entered = lowerer.enter(root);
    for &statement in &statements[kept_before..statements.len() - kept_after] {
        let start = Marks::of(&lowerer.facts);
        let earlier_hit = lowerer.facts.depth_limit_hit.take();
        lowerer.last_module_call = None;
        if entered {
            lowerer.node(statement, false);
        }
        let depth_hit = lowerer.facts.depth_limit_hit;
        lowerer.facts.depth_limit_hit = earlier_hit.or(depth_hit);
        segments.push(Segment {
            span: span(statement),
            kind: statement.kind_id(),
            start,
            depth_hit,
        });
    }
    if entered {
        lowerer.leave();
    }
    let mut facts = lowerer.facts;
    if let Some(tail) = tail {
        tail.append(&mut facts, &mut segments);
    }
    facts.syntax_errors = errors::syntax_errors(root, source);
    // Comments trailing a node are recorded after the node's contents; the
    // sort is linear on the nearly sorted list, and keeps each statement's
    // comments where its segment says (statements do not overlap).
    facts.comments.sort_by_key(|comment| comment.span.start);
    (facts, segments)
}

/// The byte span of `node`.
pub(crate) fn span(node: Node<'_>) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

impl<'s, 't> Lowerer<'s, 't> {
    /// The source text of `node` (empty if its range is not in the source).
    pub(crate) fn text(&self, node: Node<'_>) -> &'s str {
        self.src.get(node.start_byte()..node.end_byte()).unwrap_or("")
    }

    /// Pushes the children of `node` onto the kid stack and returns where they start.
    pub(crate) fn children(&mut self, node: Node<'t>) -> usize {
        let start = self.kids.len();
        if node.child_count() == 0 {
            return start;
        }
        self.cursor.reset(node);
        if self.cursor.goto_first_child() {
            loop {
                let child = self.cursor.node();
                let field = self.g.field(self.cursor.field_id().map_or(0, |id| id.get()));
                self.kids.push(Kid {
                    node: child,
                    kind: self.g.kind(child),
                    field,
                });
                if !self.cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        start
    }

    /// The end of the kid stack, i.e. the end of the children just pushed.
    pub(crate) fn kids_end(&self) -> usize {
        self.kids.len()
    }

    /// The kid at `index` of the kid stack.
    pub(crate) fn kid(&self, index: usize) -> Option<Kid<'t>> {
        self.kids.get(index).copied()
    }

    /// Pops the children pushed by [`Lowerer::children`] at `start`.
    pub(crate) fn drop_kids(&mut self, start: usize) {
        self.kids.truncate(start);
    }

    /// Lowers `node` and everything in it. `want` says whether the caller uses
    /// the value; when it does not, values that would only allocate are skipped.
    pub(crate) fn node(&mut self, node: Node<'t>, want: bool) -> Value {
        if !self.enter(node) {
            return Value::Unknown;
        }
        let value = self.dispatch(node, want);
        self.leave();
        value
    }

    /// Enters one level of nesting for a recursive walk that does not go
    /// through [`Lowerer::node`]; false (and the node recorded as too deep)
    /// past the limit. A `true` must be paired with [`Lowerer::leave`].
    pub(crate) fn enter(&mut self, node: Node<'t>) -> bool {
        if self.depth >= MAX_NESTING {
            self.too_deep(node);
            return false;
        }
        self.depth += 1;
        true
    }

    /// Leaves a level entered with [`Lowerer::enter`].
    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    fn dispatch(&mut self, mut node: Node<'t>, mut want: bool) -> Value {
        // Whether the value of `node` is still the value asked for: false once
        // the loop has moved from a node whose value is unknown to its last child.
        let mut transparent = true;
        loop {
            let value = match self.g.kind(node) {
                K::String => self.string(node, Mode::Quoted),
                K::TemplateString => self.template(node, StringKind::Template, true),
                K::Number if want => Value::Number(self.text(node).to_string()),
                K::True => Value::Bool(true),
                K::False => Value::Bool(false),
                K::Null | K::Undefined => Value::Null,
                K::Identifier if want => self.ident(node),
                K::This if want => Value::Ident("this".into()),
                K::Super if want => Value::Ident("super".into()),
                K::MetaProperty if want => self.meta_property_value(node),
                K::MemberExpression | K::SubscriptExpression => self.member(node, want),
                K::ParenthesizedExpression | K::AwaitExpression | K::NonNullExpression | K::TypeAssertion => {
                    match self.tail_inner(node) {
                        Ok(Some(inner)) => {
                            node = inner;
                            continue;
                        }
                        Ok(None) => Value::Unknown,
                        Err(()) => self.inner(node, want),
                    }
                }
                K::AsExpression | K::SatisfiesExpression | K::JsxExpression | K::TemplateSubstitution => {
                    self.inner(node, want)
                }
                K::BinaryExpression => self.binary(node, want),
                K::TernaryExpression => self.ternary(node, want),
                K::Object => self.object(node),
                K::Array => self.array(node, want),
                K::CallExpression => self.call(node),
                K::NewExpression => self.new_call(node),
                K::Comment => {
                    self.comment(node);
                    Value::Unknown
                }
                K::StatementBlock => {
                    let outer = self.open_scope(ScopeKind::Block, span(node));
                    self.walk(node);
                    self.scope = outer;
                    Value::Unknown
                }
                K::ClassBody => {
                    let outer = self.open_scope(ScopeKind::Class, span(node));
                    self.walk(node);
                    self.scope = outer;
                    Value::Unknown
                }
                K::FunctionDeclaration
                | K::FunctionExpression
                | K::GeneratorFunction
                | K::GeneratorFunctionDeclaration
                | K::ArrowFunction
                | K::MethodDefinition => self.function(node),
                K::FormalParameters => {
                    self.parameters(node);
                    Value::Unknown
                }
                K::ReturnStatement => {
                    if let Some(returned) = self.walk_but_last(node) {
                        let value = self.node(returned, true);
                        self.push_return(value, span(returned));
                    }
                    Value::Unknown
                }
                K::VariableDeclarator => self.declarator(node),
                K::AssignmentExpression | K::AugmentedAssignmentExpression => self.assignment(node),
                K::Pair => {
                    self.pair(node);
                    Value::Unknown
                }
                K::FieldDefinition | K::EnumAssignment => self.class_field(node),
                K::JsxAttribute => self.jsx_attribute(node),
                K::ImportStatement => self.import_statement(node),
                K::ExportStatement => self.export_statement(node),
                kind => match self.walk_generic(node, kind) {
                    // The last child is lowered in this loop, not by recursion:
                    // that is what keeps statement lists, `else if` chains and
                    // `!!!x` from using stack.
                    Some(last) => {
                        transparent = false;
                        want = false;
                        node = last;
                        continue;
                    }
                    None => Value::Unknown,
                },
            };
            return if transparent { value } else { Value::Unknown };
        }
    }

    /// Lowers every named child of `node`, discarding their values.
    pub(crate) fn walk(&mut self, node: Node<'t>) {
        let start = self.children(node);
        for index in start..self.kids_end() {
            if let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) {
                self.node(kid.node, false);
            }
        }
        self.drop_kids(start);
    }

    /// The first child of `node` (comments aside) when it is of the same kind.
    fn left_nested_child(&mut self, node: Node<'t>) -> Option<Node<'t>> {
        let start = self.children(node);
        let first = self
            .first_value_kid(start)
            .filter(|kid| kid.node.kind_id() == node.kind_id())
            .map(|kid| kid.node);
        self.drop_kids(start);
        first
    }

    /// The first named kid from `start` on that is not a comment.
    fn first_value_kid(&self, start: usize) -> Option<Kid<'t>> {
        (start..self.kids_end())
            .filter_map(|index| self.kid(index))
            .find(|kid| kid.kind.is_named() && kid.kind != K::Comment)
    }

    /// Walks a left-nested chain from the innermost node out, so that it uses
    /// no stack and its facts come out in source order.
    fn walk_left_nested(&mut self, node: Node<'t>) {
        let spine_start = self.spine.len();
        let mut current = Some(node);
        while let Some(link) = current {
            self.spine.push(link);
            current = self.left_nested_child(link);
        }
        for index in (spine_start..self.spine.len()).rev() {
            let Some(link) = self.spine.get(index).copied() else {
                break;
            };
            let inner = self.spine.get(index + 1).copied();
            let start = self.children(link);
            for kid_index in start..self.kids_end() {
                let Some(kid) = self.kid(kid_index).filter(|kid| kid.kind.is_named()) else {
                    continue;
                };
                if Some(kid.node) != inner {
                    self.node(kid.node, false);
                }
            }
            self.drop_kids(start);
        }
        self.spine.truncate(spine_start);
    }

    /// Walks a node of `kind` this front end has no special meaning for: like
    /// [`Lowerer::walk_but_last`], but a left-nested chain of the node's own
    /// kind (`A | B | C` types) is walked in a loop of its own.
    fn walk_generic(&mut self, node: Node<'t>, kind: K) -> Option<Node<'t>> {
        let start = self.children(node);
        let left_nested = self
            .first_value_kid(start)
            .is_some_and(|kid| kid.kind == kind && (kind != K::Other || kid.node.kind_id() == node.kind_id()));
        if left_nested {
            self.drop_kids(start);
            self.walk_left_nested(node);
            return None;
        }
        self.walk_kids_but_last(start)
    }

    /// Lowers every named child of `node` but the last one that is not a
    /// comment, and returns that one.
    pub(crate) fn walk_but_last(&mut self, node: Node<'t>) -> Option<Node<'t>> {
        let start = self.children(node);
        self.walk_kids_but_last(start)
    }

    /// [`Lowerer::walk_but_last`] on the kids pushed at `start`.
    fn walk_kids_but_last(&mut self, start: usize) -> Option<Node<'t>> {
        let end = self.kids_end();
        let last = (start..end).rev().find(|index| {
            self.kid(*index)
                .is_some_and(|kid| kid.kind.is_named() && kid.kind != K::Comment)
        });
        for index in start..end {
            if Some(index) == last {
                continue;
            }
            if let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) {
                self.node(kid.node, false);
            }
        }
        let last = last.and_then(|index| self.kid(index)).map(|kid| kid.node);
        self.drop_kids(start);
        last
    }

    /// The value of a wrapper whose value is that of one child (the first
    /// named one that is not a comment or type arguments); the others are walked.
    pub(crate) fn inner(&mut self, node: Node<'t>, want: bool) -> Value {
        let start = self.children(node);
        let mut value = None;
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            if value.is_none() && kid.kind != K::Comment && kid.kind != K::TypeArguments {
                value = Some(self.node(kid.node, want));
            } else {
                self.node(kid.node, false);
            }
        }
        self.drop_kids(start);
        value.unwrap_or(Value::Unknown)
    }

    /// Like [`Lowerer::inner`] for wrappers whose value child is their last
    /// one (`(x)`, `await x`, `x!`, `<T>x`): walks the others and returns the
    /// value child for the caller to lower in its loop. `Err` when something
    /// other than comments follows the value child (error recovery), so that
    /// the caller lowers it with [`Lowerer::inner`] and keeps source order.
    fn tail_inner(&mut self, node: Node<'t>) -> Result<Option<Node<'t>>, ()> {
        let start = self.children(node);
        let end = self.kids_end();
        let is_value = |kid: &Kid<'_>| kid.kind.is_named() && kid.kind != K::Comment && kid.kind != K::TypeArguments;
        let inner = (start..end).find(|index| self.kid(*index).is_some_and(|kid| is_value(&kid)));
        let Some(inner) = inner else {
            self.drop_kids(start);
            self.walk(node);
            return Ok(None);
        };
        if (inner + 1..end).any(|index| {
            self.kid(index)
                .is_some_and(|kid| kid.kind.is_named() && kid.kind != K::Comment)
        }) {
            self.drop_kids(start);
            return Err(());
        }
        for index in start..end {
            if index == inner {
                continue;
            }
            if let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) {
                self.node(kid.node, false);
            }
        }
        let inner = self.kid(inner).map(|kid| kid.node);
        self.drop_kids(start);
        Ok(inner)
    }

    /// Opens a scope of `kind` inside the current one; returns the current one
    /// for the caller to restore.
    pub(crate) fn open_scope(&mut self, kind: ScopeKind, span: Span) -> ScopeId {
        let outer = self.scope;
        self.facts.scopes.push(Scope {
            parent: Some(outer),
            kind,
            span,
            name: None,
        });
        self.scope = id(self.facts.scopes.len() - 1);
        outer
    }

    /// Records a value the current function gives back.
    pub(crate) fn push_return(&mut self, value: Value, span: Span) {
        self.facts.returns.push(Return {
            value,
            span,
            scope: self.scope,
        });
    }

    /// Records a comment.
    pub(crate) fn comment(&mut self, node: Node<'t>) {
        let block = self.text(node).starts_with("/*");
        self.facts.comments.push(Comment {
            span: span(node),
            block,
        });
    }

    /// Records the string literal `node` and returns its value.
    pub(crate) fn string(&mut self, node: Node<'t>, mode: Mode) -> Value {
        Value::Str(self.string_lit(node, mode))
    }

    /// Records the string literal `node`.
    pub(crate) fn string_lit(&mut self, node: Node<'t>, mode: Mode) -> StrId {
        let whole = span(node);
        let bytes = self.text(node).as_bytes();
        let content = match (bytes.first(), bytes.last()) {
            (Some(open @ (b'"' | b'\'')), Some(close)) if bytes.len() >= 2 && open == close => {
                Span::new(whole.start + 1, whole.end - 1)
            }
            (Some(b'"' | b'\''), _) => Span::new(whole.start + 1, whole.end),
            _ => whole,
        };
        self.push_string(whole, content, mode, StringKind::Plain)
    }

    /// Records a string literal or fragment with the given spans.
    pub(crate) fn push_string(&mut self, span: Span, content: Span, mode: Mode, kind: StringKind) -> StrId {
        let (value, verbatim) = crate::strings::decode(content.text(self.src), mode);
        self.facts.strings.push(StringLit {
            span,
            content,
            value,
            verbatim,
            kind,
        });
        id(self.facts.strings.len() - 1)
    }

    /// Reserves a binding whose value is lowered next, so that bindings stay
    /// in source order when the value holds bindings of its own.
    pub(crate) fn start_binding(
        &mut self,
        kind: BindingKind,
        name: String,
        path: Vec<String>,
        name_span: Span,
        span: Span,
    ) -> BindingId {
        self.facts.bindings.push(Binding {
            kind,
            name,
            path,
            name_span,
            value: Value::Unknown,
            span,
            scope: self.scope,
        });
        id(self.facts.bindings.len() - 1)
    }

    /// Sets the value of a binding reserved with [`Lowerer::start_binding`].
    pub(crate) fn finish_binding(&mut self, binding: BindingId, value: Value) {
        if let Some(binding) = self.facts.bindings.get_mut(binding as usize) {
            binding.value = value;
        }
    }

    /// Records a binding whose value is already known.
    pub(crate) fn push_binding(
        &mut self,
        kind: BindingKind,
        name: String,
        name_span: Span,
        span: Span,
        value: Value,
    ) -> BindingId {
        let binding = self.start_binding(kind, name.clone(), vec![name], name_span, span);
        self.finish_binding(binding, value);
        binding
    }

    /// Records that lowering stopped at `node`, and still records the string
    /// literals and comments inside it so the lexical rules miss nothing.
    fn too_deep(&mut self, node: Node<'t>) {
        if self.facts.depth_limit_hit.is_none() {
            self.facts.depth_limit_hit = Some(span(node));
        }
        // A cursor of its own: `template` below uses the shared one.
        let mut cursor = node.walk();
        'walk: loop {
            let current = cursor.node();
            let descend = match self.g.kind(current) {
                K::String => {
                    self.string_lit(current, Mode::Quoted);
                    false
                }
                K::TemplateString => {
                    self.template(current, StringKind::Template, false);
                    true
                }
                K::Comment => {
                    self.comment(current);
                    false
                }
                _ => true,
            };
            if descend && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
    }
}

/// An index into a Facts vector as an id. Files are far smaller than 4 GiB,
/// so ids fit; saturating keeps this total anyway.
pub(crate) fn id(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use crate::tests::{binding, checked, js, ts};
    use miroguard_core::Language;
    use miroguard_ir::{Facts, MAX_NESTING, ScopeKind};

    const JS_LANGUAGES: [Language; 3] = [Language::JavaScript, Language::TypeScript, Language::Tsx];

    #[test]
    fn other_languages_give_empty_facts() {
        assert_eq!(crate::lower("fn main() {}", Language::Rust), Facts::default());
        assert_eq!(crate::lower("const a = 'x';", Language::Text), Facts::default());
    }

    #[test]
    fn empty_and_blank_files() {
        for language in JS_LANGUAGES {
            for source in ["", " ", "\n\n", "\u{feff}", "\0"] {
                let facts = checked(source, language);
                assert_eq!(facts.scopes.len(), 1);
            }
        }
    }

    #[test]
    fn comments() {
        let source = "// line\n/* block */ const a = /* inline */ 1; /** doc\n */\nf(x, // trailing\n y);\nconst e = <div>{/* jsx */}</div>;\n";
        let facts = js(source);
        let comments: Vec<(&str, bool)> = facts.comments.iter().map(|c| (c.span.text(source), c.block)).collect();
        assert_eq!(
            comments,
            [
                ("// line", false),
                ("/* block */", true),
                ("/* inline */", true),
                ("/** doc\n */", true),
                ("// trailing", false),
                ("/* jsx */", true),
            ]
        );
    }

    #[test]
    fn scopes_nest() {
        let source = "function f() { if (x) { g(); } }\nconst h = () => 1;\nclass C { m() {} static { s(); } }\nconst o = { n() {} };\nfunction* gen() {}\n";
        let facts = js(source);
        let scopes: Vec<(ScopeKind, Option<u32>, &str)> = facts
            .scopes
            .iter()
            .map(|s| (s.kind, s.parent, s.span.text(source).split('\n').next().unwrap_or("")))
            .collect();
        use ScopeKind::*;
        assert_eq!(
            scopes,
            [
                (Module, None, "function f() { if (x) { g(); } }"),
                (Function, Some(0), "function f() { if (x) { g(); } }"),
                (Block, Some(1), "{ g(); }"),
                (Function, Some(0), "() => 1"),
                (Class, Some(0), "{ m() {} static { s(); } }"),
                (Function, Some(4), "m() {}"),
                (Block, Some(4), "{ s(); }"),
                (Function, Some(0), "n() {}"),
                (Function, Some(0), "function* gen() {}"),
            ]
        );
        assert_eq!(facts.scopes[0].span.len(), source.len());
        assert_eq!(facts.calls[0].scope, 2);
    }

    #[test]
    fn syntax_errors_keep_the_rest_of_the_file() {
        let source = "const before = \"k1\";\nfunction ( {{ @@ ;\nconst after = \"k2\";\nlog(after);\n";
        for language in JS_LANGUAGES {
            let facts = checked(source, language);
            assert!(!facts.syntax_errors.is_empty(), "{language:?}");
            assert_eq!(
                facts.strings.first().map(|s| s.value.as_str()),
                Some("k1"),
                "{language:?}"
            );
            assert!(facts.strings.iter().any(|s| s.value == "k2"), "{language:?}");
            assert!(facts.bindings.iter().any(|b| b.name == "before"), "{language:?}");
            assert!(
                facts.calls.iter().any(|c| c.callee == ["log"]),
                "{language:?}: {:?}",
                facts.calls
            );
        }
        let facts = js("const a = \"k1\";\nlet = ;\nconst b = \"k2\";\n");
        assert_eq!(
            binding(&facts, "b")
                .span
                .text("const a = \"k1\";\nlet = ;\nconst b = \"k2\";\n"),
            "b = \"k2\""
        );
        let facts = ts("const a = f(1, 2;\nconst b = 2;\n");
        assert!(
            facts.syntax_errors.iter().any(|e| e.message.starts_with("missing")),
            "{:?}",
            facts.syntax_errors
        );
    }

    /// Deeply nested inputs, each with `"deep"` at the bottom.
    fn deep_inputs(depth: usize) -> Vec<(&'static str, String)> {
        let nest = |open: &str, middle: &str, close: &str| {
            format!("x = {}{}{};", open.repeat(depth), middle, close.repeat(depth))
        };
        vec![
            ("parentheses", nest("(", "\"deep\"", ")")),
            ("arrays", nest("[", "\"deep\"", "]")),
            ("ternaries", format!("x = {}\"deep\";", "a ? b : ".repeat(depth))),
            (
                "nested ternaries",
                format!("x = {}\"deep\"{};", "a ? ".repeat(depth), " : b".repeat(depth)),
            ),
            ("negations", format!("x = {}\"deep\";", "!".repeat(depth))),
            ("calls", nest("f(", "\"deep\"", ")")),
            ("objects", nest("{a: ", "\"deep\"", "}")),
            ("spreads", nest("{...", "\"deep\"", "}")),
            ("assignments", format!("{}\"deep\";", "a = ".repeat(depth))),
            ("arrows", format!("x = {}\"deep\";", "() => ".repeat(depth))),
            (
                "functions",
                format!("{}\"deep\"{}", "function f() { ".repeat(depth), " }".repeat(depth)),
            ),
            ("blocks", nest("{ ", "\"deep\"", " }")),
            ("ifs", format!("{}\"deep\";", "if (a) ".repeat(depth))),
            (
                "else ifs",
                format!("if (a) {{}}{} else {{ \"deep\" }}", " else if (a) {}".repeat(depth)),
            ),
            ("templates", nest("`${", "\"deep\"", "}`")),
            ("subscripts", nest("a[", "\"deep\"", "]")),
            ("method chains", format!("x = a{}.z(\"deep\");", ".b()".repeat(depth))),
            ("members", format!("x = \"deep\"{};", ".b".repeat(depth))),
            ("news", format!("x = {}X(\"deep\");", "new ".repeat(depth))),
            (
                "patterns",
                format!("const {}b = \"deep\"{} = o;", "{a: ".repeat(depth), "}".repeat(depth)),
            ),
            (
                "array patterns",
                format!("const {}b = \"deep\"{} = o;", "[".repeat(depth), "]".repeat(depth)),
            ),
            (
                "default chains",
                format!(
                    "function f({}\"deep\") {{}}",
                    "a = (b = ".repeat(depth / 2) + &")".repeat(depth / 2 - 1)
                ),
            ),
            ("jsx", nest("<a>", "{\"deep\"}", "</a>")),
            ("sequence", format!("x = ({}\"deep\");", "a, ".repeat(depth))),
            ("concatenation", format!("x = {}\"deep\";", "a + ".repeat(depth))),
            (
                "right concatenation",
                format!("x = {}\"deep\"{};", "a + (".repeat(depth), ")".repeat(depth)),
            ),
            (
                "awaits",
                format!("async function f() {{ x = {}\"deep\"; }}", "await ".repeat(depth)),
            ),
            ("typeofs", format!("x = {}\"deep\";", "typeof ".repeat(depth))),
            ("comma lists", format!("f({}\"deep\");", "a, ".repeat(depth))),
            ("union types", format!("type T = {}\"deep\";", "A | ".repeat(depth))),
            (
                "nested generics",
                format!("let x: {}\"deep\"{};", "A<".repeat(depth), ">".repeat(depth)),
            ),
        ]
    }

    fn lower_deep_inputs(depth: usize) {
        for (name, source) in deep_inputs(depth) {
            for language in [Language::JavaScript, Language::Tsx] {
                let facts = checked(&source, language);
                assert!(
                    facts.strings.iter().any(|s| s.value == "deep"),
                    "{name} ({language:?}): the innermost string is lost"
                );
                if let Some(span) = facts.depth_limit_hit {
                    assert!(span.end <= source.len(), "{name}");
                }
            }
        }
    }

    fn on_stack(stack_size: usize, test: impl FnOnce() + Send + 'static) {
        let handle = std::thread::Builder::new()
            .stack_size(stack_size)
            .spawn(test)
            .expect("spawn a thread");
        if let Err(panic) = handle.join() {
            std::panic::resume_unwind(panic);
        }
    }

    #[test]
    fn deep_nesting_on_a_main_thread_stack() {
        on_stack(8 << 20, || lower_deep_inputs(10_000));
    }

    #[test]
    fn deep_nesting_on_a_small_worker_stack() {
        on_stack(2 << 20, || lower_deep_inputs(10_000));
    }

    #[test]
    fn the_depth_limit_is_recorded_where_lowering_stops() {
        let shallow = format!("x = {}1{};", "[".repeat(MAX_NESTING / 2), "]".repeat(MAX_NESTING / 2));
        assert_eq!(js(&shallow).depth_limit_hit, None);
        let deep = format!(
            "const before = 1; x = {}\"deep\"{}; const after = \"k\";",
            "[".repeat(1000),
            "]".repeat(1000)
        );
        let facts = js(&deep);
        let hit = facts.depth_limit_hit.expect("the limit is hit");
        assert!(hit.text(&deep).starts_with('['), "{hit:?}");
        // What lies beside the deep expression is still lowered.
        assert!(facts.bindings.iter().any(|b| b.name == "before"));
        assert!(facts.bindings.iter().any(|b| b.name == "after"));
        // Nested ternaries in the alternative, parentheses and `!` are walked
        // in loops and never reach the limit.
        for source in [
            format!("x = {}\"deep\";", "a ? b : ".repeat(10_000)),
            format!("x = {}\"deep\"{};", "(".repeat(10_000), ")".repeat(10_000)),
            format!("x = {}y;", "!".repeat(10_000)),
        ] {
            assert_eq!(js(&source).depth_limit_hit, None);
        }
    }

    #[test]
    fn tree_sitter_copes_with_deep_trees() {
        on_stack(2 << 20, || {
            for (name, source) in deep_inputs(10_000) {
                let mut parser = tree_sitter::Parser::new();
                parser
                    .set_language(&tree_sitter_javascript::LANGUAGE.into())
                    .expect("grammar");
                let tree = parser.parse(&source, None).expect("a tree");
                let mut cursor = tree.walk();
                let mut nodes = 0usize;
                'walk: loop {
                    nodes += 1;
                    if cursor.goto_first_child() {
                        continue;
                    }
                    while !cursor.goto_next_sibling() {
                        if !cursor.goto_parent() {
                            break 'walk;
                        }
                    }
                }
                assert!(nodes > 10_000, "{name}");
                drop(cursor);
                drop(tree);
            }
        });
    }

    /// A tiny xorshift generator: deterministic, and no dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            if n == 0 { 0 } else { (self.next() % n as u64) as usize }
        }
    }

    const SNIPPETS: [&str; 6] = [
        "import { S3 } from '@aws-sdk/client-s3';\nconst key = process.env.KEY || \"AKIA1234567890ABCDEF\";\nexport const client = new S3({ credentials: { secretAccessKey: key } });\n",
        "const crypto = require('crypto');\nfunction hash(p = 'x') { return crypto.createHash(\"md5\").update(`${p}\\n`).digest('hex'); }\nres.cookie('session', token, { httpOnly: false, secure: !dev });\n",
        "class Api { private token: string = \"t0k3n\"; constructor(readonly url?: string) {}\n  async get<T>(p: string): Promise<T> { const r = await fetch(this.url! + p, { headers: { Authorization: `Bearer ${this.token}` } }); return (await r.json()) as T; } }\n",
        "export default function App({ apiKey = 'pk_live_x' }) {\n  return <Provider apiKey={apiKey} secret=\"s&amp;x\" {...props}><Child v={`a${b}`} /></Provider>;\n}\n",
        "/* header */ 'use strict';\nlet a = [1, 'two', { three: 3 }], b = a?.[0] ?? c ? d : e;\nfor (const [k, v] of Object.entries(o)) { console.log(\"key\", k, v); }\n// end\n",
        "const re = /a\\/b[\\]]/g; label: while (x) { x ||= y; y ??= z; break label; }\nString.raw`C:\\${dir}\\x`; import('./lazy').then(m => m.default);\n",
    ];

    fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
        const INSERTS: [&[u8]; 16] = [
            b"(",
            b")",
            b"{",
            b"}",
            b"[",
            b"]",
            b"`",
            b"${",
            b"\"",
            b"'",
            b"\\",
            b"/*",
            b"<a>",
            b"=>",
            b"\xc3\xa9",
            b"\xff",
        ];
        let len = bytes.len();
        let at = rng.below(len + 1);
        match rng.below(5) {
            0 => {
                let insert = INSERTS[rng.below(INSERTS.len())];
                bytes.splice(at..at, insert.iter().copied());
            }
            1 => {
                let end = (at + rng.below(16)).min(len);
                bytes.drain(at..end);
            }
            2 => {
                let end = (at + rng.below(32)).min(len);
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
            3 => {
                if at < len {
                    bytes[at] ^= 1 << rng.below(8);
                }
            }
            _ => {
                let other = SNIPPETS[rng.below(SNIPPETS.len())].as_bytes();
                let from = rng.below(other.len());
                let to = (from + rng.below(64)).min(other.len());
                bytes.splice(at..at, other[from..to].iter().copied());
            }
        }
    }

    #[test]
    fn smoke_fuzz_never_panics() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..3000 {
            let mut bytes = SNIPPETS[round % SNIPPETS.len()].as_bytes().to_vec();
            for _ in 0..=rng.below(6) {
                mutate(&mut rng, &mut bytes);
            }
            let source = String::from_utf8_lossy(&bytes);
            let language = JS_LANGUAGES[round % 3];
            if std::panic::catch_unwind(|| checked(&source, language)).is_err() {
                panic!("round {round}, {language:?}, source:\n{source}");
            }
        }
    }
}
