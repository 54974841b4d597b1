//! Names given values: declarations, assignments, destructuring defaults,
//! object and class fields, parameter defaults and JSX attributes; and the
//! functions whose parameters they may be.

use crate::grammar::{Fd, K};
use crate::lower::{Lowerer, span};
use crate::strings::Mode;
use miroguard_ir::{BindingId, BindingKind, ImportName, ScopeKind, Span, Value};
use tree_sitter::Node;

impl<'s, 't> Lowerer<'s, 't> {
    /// `x = v` in `const`/`let`/`var`, or a destructuring pattern with its source.
    pub(crate) fn declarator(&mut self, node: Node<'t>) -> Value {
        let value_node = node.child_by_field_id(self.g.field_id(Fd::Value));
        let target = node.child_by_field_id(self.g.field_id(Fd::Name));
        // Reserved before anything is lowered: types and error recovery's
        // debris before the value can hold bindings too.
        let mut binding = value_node
            .and(target)
            .filter(|target| self.g.kind(*target) == K::Identifier)
            .map(|target| {
                let name = self.text(target).to_string();
                self.start_binding(
                    BindingKind::Variable,
                    name.clone(),
                    vec![name],
                    span(target),
                    span(node),
                )
            });
        let start = self.children(node);
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.field {
                Fd::Name if kid.kind == K::Identifier => {}
                Fd::Name => {
                    let source = value_node.and_then(|value| self.static_path(value));
                    self.pattern(kid.node, source.as_deref(), BindingKind::Variable);
                }
                Fd::Value => {
                    let value = self.node(kid.node, binding.is_some());
                    if let Some(binding) = binding.take() {
                        self.finish_binding(binding, value);
                    }
                    if let Some(target) = target {
                        self.name_module_import(target, kid.node);
                    }
                }
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
        Value::Unknown
    }

    /// `x = v`, `a.b = v`, `a["b"] = v`, destructuring assignments, and the
    /// logical assignments `x ||= v`, `x ??= v`, `x &&= v`. Other compound
    /// assignments (`x += v`) compute a new value and bind nothing.
    pub(crate) fn assignment(&mut self, node: Node<'t>) -> Value {
        let augmented = self.g.kind(node) == K::AugmentedAssignmentExpression;
        let start = self.children(node);
        let end = self.kids_end();
        let binds =
            !augmented || (start..end).any(|index| self.kid(index).is_some_and(|kid| kid.kind == K::LogicalAssign));
        let mut binding: Option<BindingId> = None;
        for index in start..end {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.field {
                Fd::Left if binds => binding = self.assignment_target(kid.node, node),
                Fd::Right => {
                    let value = self.node(kid.node, binding.is_some());
                    if let Some(binding) = binding.take() {
                        self.finish_binding(binding, value);
                    }
                }
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
        Value::Unknown
    }

    /// Lowers the target of an assignment and reserves its binding, if it names one.
    fn assignment_target(&mut self, target: Node<'t>, assignment: Node<'t>) -> Option<BindingId> {
        let whole = span(assignment);
        match self.g.kind(target) {
            K::Identifier => {
                let name = self.text(target).to_string();
                Some(self.start_binding(BindingKind::Assignment, name.clone(), vec![name], span(target), whole))
            }
            K::MemberExpression | K::SubscriptExpression => {
                // Reserved before the target is lowered, since the target can
                // hold bindings too (`(a = b).c = v` in minified code); the
                // path is known only after.
                let binding = self.last_segment_name(target).map(|(name, name_span)| {
                    self.start_binding(BindingKind::Assignment, name.clone(), vec![name], name_span, whole)
                });
                let chain = self.chain(target, binding.is_some());
                if let (Some(binding), Some(path)) = (binding, chain.path) {
                    if let Some(binding) = self.facts.bindings.get_mut(binding as usize) {
                        binding.path = path;
                    }
                }
                binding
            }
            K::ObjectPattern | K::ArrayPattern => {
                let source = assignment
                    .child_by_field_id(self.g.field_id(Fd::Right))
                    .and_then(|right| self.static_path(right));
                self.pattern(target, source.as_deref(), BindingKind::Assignment);
                None
            }
            _ => {
                self.node(target, false);
                None
            }
        }
    }

    /// The static name of the last segment of a member chain (`c` in `a.b.c`,
    /// `"k"` in `a["k"]`) and where it is written, read without lowering anything.
    fn last_segment_name(&self, member: Node<'t>) -> Option<(String, Span)> {
        if let Some(property) = member.child_by_field_id(self.g.field_id(Fd::Property)) {
            return Some((self.text(property).to_string(), span(property)));
        }
        let index = member.child_by_field_id(self.g.field_id(Fd::Index))?;
        let text = self.text(index);
        let name = match self.g.kind(index) {
            K::Number => text.to_string(),
            K::String => crate::strings::decode(crate::strings::unquote(text), Mode::Quoted).0,
            _ => return None,
        };
        Some((name, span(index)))
    }

    /// The bindings of a destructuring pattern. `source` is the static path
    /// the destructured value comes from (`o` in `const { a } = o`), if any:
    /// then each plain target is bound to the member it reads (`a` = `o.a`).
    /// Defaults (`{ a = "x" }`, `[a = "x"]`) are [`BindingKind::Default`] bindings.
    pub(crate) fn pattern(&mut self, node: Node<'t>, source: Option<&[String]>, kind: BindingKind) {
        if !self.enter(node) {
            return;
        }
        match self.g.kind(node) {
            K::ObjectPattern => self.object_pattern(node, source, kind),
            K::ArrayPattern => {
                let start = self.children(node);
                for index in start..self.kids_end() {
                    let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                        continue;
                    };
                    match kid.kind {
                        K::Identifier => {}
                        K::Comment => self.comment(kid.node),
                        _ => self.pattern(kid.node, None, kind),
                    }
                }
                self.drop_kids(start);
            }
            K::AssignmentPattern | K::RequiredParameter | K::OptionalParameter => self.defaulted(node, kind),
            K::Identifier => {
                if let Some(source) = source {
                    let name = self.text(node).to_string();
                    let whole = span(node);
                    self.push_binding(kind, name, whole, whole, Value::Member(source.to_vec()));
                }
            }
            _ => {
                self.node(node, false);
            }
        }
        self.leave();
    }

    fn object_pattern(&mut self, node: Node<'t>, source: Option<&[String]>, kind: BindingKind) {
        let start = self.children(node);
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.kind {
                K::ShorthandPropertyIdentifierPattern => {
                    if let Some(source) = source {
                        let name = self.text(kid.node).to_string();
                        let mut path = source.to_vec();
                        path.push(name.clone());
                        let whole = span(kid.node);
                        self.push_binding(kind, name, whole, whole, Value::Member(path));
                    }
                }
                K::ObjectAssignmentPattern => self.defaulted(kid.node, kind),
                K::PairPattern => self.pair_pattern(kid.node, source, kind),
                K::Comment => self.comment(kid.node),
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
    }

    /// `key: target` in an object pattern.
    fn pair_pattern(&mut self, node: Node<'t>, source: Option<&[String]>, kind: BindingKind) {
        let start = self.children(node);
        let mut inner_source: Option<Vec<String>> = None;
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.field {
                Fd::Key => {
                    let key = self.static_key(kid.node).map(|(key, _)| key);
                    self.node(kid.node, false);
                    inner_source = source.zip(key).map(|(source, key)| {
                        let mut path = source.to_vec();
                        path.push(key);
                        path
                    });
                }
                Fd::Value => self.pattern(kid.node, inner_source.as_deref(), kind),
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
    }

    /// A target with a default value: `a = v` in patterns and parameters,
    /// `{ a = v }`, and TypeScript parameters `a: T = v`.
    fn defaulted(&mut self, node: Node<'t>, kind: BindingKind) {
        let value = node
            .child_by_field_id(self.g.field_id(Fd::Right))
            .or_else(|| node.child_by_field_id(self.g.field_id(Fd::Value)));
        let target = node
            .child_by_field_id(self.g.field_id(Fd::Left))
            .or_else(|| node.child_by_field_id(self.g.field_id(Fd::Pattern)))
            .filter(|target| {
                matches!(
                    self.g.kind(*target),
                    K::Identifier | K::ShorthandPropertyIdentifierPattern
                )
            });
        // Reserved before anything is lowered: modifiers and error recovery's
        // debris before the value can hold bindings too.
        let mut binding = value.and(target).map(|target| {
            let name = self.text(target).to_string();
            self.start_binding(BindingKind::Default, name.clone(), vec![name], span(target), span(node))
        });
        let start = self.children(node);
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.field {
                Fd::Left | Fd::Pattern if Some(kid.node) == target => {}
                Fd::Left | Fd::Pattern => self.pattern(kid.node, None, kind),
                Fd::Right | Fd::Value => {
                    let value = self.node(kid.node, binding.is_some());
                    if let Some(binding) = binding.take() {
                        self.finish_binding(binding, value);
                    }
                }
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
    }

    /// A function's parameter list: defaults become bindings.
    pub(crate) fn parameters(&mut self, node: Node<'t>) {
        let start = self.children(node);
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.kind {
                K::Identifier => self.parameter(kid.node, kid.node),
                K::RequiredParameter | K::OptionalParameter | K::AssignmentPattern => {
                    let target = kid
                        .node
                        .child_by_field_id(self.g.field_id(Fd::Pattern))
                        .or_else(|| kid.node.child_by_field_id(self.g.field_id(Fd::Left)));
                    if let Some(name) = target.filter(|p| self.g.kind(*p) == K::Identifier) {
                        self.parameter(name, kid.node);
                    }
                    self.pattern(kid.node, None, BindingKind::Default);
                }
                K::ObjectPattern | K::ArrayPattern => self.pattern(kid.node, None, BindingKind::Default),
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
    }

    /// A function, arrow, method or generator: a scope of its own holding its
    /// parameters and body.
    pub(crate) fn function(&mut self, node: Node<'t>) -> Value {
        let outer = self.open_scope(ScopeKind::Function, span(node));
        let name = self.function_name(node);
        if let Some(scope) = self.facts.scopes.get_mut(self.scope as usize) {
            scope.name = name;
        }
        let start = self.children(node);
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match (kid.field, kid.kind) {
                (Fd::Parameters, K::FormalParameters) => self.parameters(kid.node),
                // The body block is the function's scope, not a block inside it.
                (Fd::Body, K::StatementBlock) => self.walk(kid.node),
                // An arrow function's expression body is what it returns.
                (Fd::Body, _) => {
                    let value = self.node(kid.node, true);
                    self.push_return(value, span(kid.node));
                }
                (Fd::Parameter, K::Identifier) => self.parameter(kid.node, kid.node),
                (Fd::Name, K::Identifier | K::PropertyIdentifier) => {}
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
        self.scope = outer;
        Value::Unknown
    }

    /// A parameter bound to the plain name `name`, declared by `whole`
    /// (which may hold a type, modifiers and a default, lowered after it).
    fn parameter(&mut self, name: Node<'t>, whole: Node<'t>) {
        let text = self.text(name).to_string();
        self.push_binding(BindingKind::Parameter, text, span(name), span(whole), Value::Unknown);
    }

    /// The name of a function: its own (`function f`, a method's), or that of
    /// the variable, field or member it is the value of.
    fn function_name(&self, node: Node<'t>) -> Option<String> {
        if let Some(name) = node.child_by_field_id(self.g.field_id(Fd::Name)) {
            return Some(self.text(name).to_string());
        }
        let parent = node.parent()?;
        match self.g.kind(parent) {
            K::VariableDeclarator => parent
                .child_by_field_id(self.g.field_id(Fd::Name))
                .filter(|name| self.g.kind(*name) == K::Identifier)
                .map(|name| self.text(name).to_string()),
            K::Pair => parent
                .child_by_field_id(self.g.field_id(Fd::Key))
                .and_then(|key| self.static_key(key))
                .map(|(key, _)| key),
            K::AssignmentExpression => {
                let target = parent.child_by_field_id(self.g.field_id(Fd::Left))?;
                match self.g.kind(target) {
                    K::Identifier => Some(self.text(target).to_string()),
                    K::MemberExpression | K::SubscriptExpression => {
                        self.last_segment_name(target).map(|(name, _)| name)
                    }
                    _ => None,
                }
            }
            K::FieldDefinition => parent
                .child_by_field_id(self.g.field_id(Fd::Property))
                .or_else(|| parent.child_by_field_id(self.g.field_id(Fd::Name)))
                .map(|name| self.text(name).to_string()),
            _ => None,
        }
    }

    /// An object literal: each field is a binding; the value lists them.
    pub(crate) fn object(&mut self, node: Node<'t>) -> Value {
        let start = self.children(node);
        let mut fields = Vec::new();
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.kind {
                K::Pair => fields.extend(self.pair(kid.node)),
                K::ShorthandPropertyIdentifier => {
                    let name = self.text(kid.node).to_string();
                    let whole = span(kid.node);
                    fields.push(self.push_binding(BindingKind::Field, name.clone(), whole, whole, Value::Ident(name)));
                }
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
        Value::Object(fields)
    }

    /// `key: value` in an object literal.
    pub(crate) fn pair(&mut self, node: Node<'t>) -> Option<BindingId> {
        self.keyed_field(node, Fd::Key)
    }

    /// A class field (`secret = "x"`, `static KEY = "y"`, `private t: T = "z"`)
    /// or a TypeScript enum member with a value.
    pub(crate) fn class_field(&mut self, node: Node<'t>) -> Value {
        // JavaScript names a class field's key `property`, TypeScript `name`.
        let key_field = if node.child_by_field_id(self.g.field_id(Fd::Property)).is_some() {
            Fd::Property
        } else {
            Fd::Name
        };
        self.keyed_field(node, key_field);
        Value::Unknown
    }

    /// A field binding from the child in `key_field` to the child in `value`,
    /// when there is a value and the key is static.
    fn keyed_field(&mut self, node: Node<'t>, key_field: Fd) -> Option<BindingId> {
        // Reserved before anything is lowered: decorators and error
        // recovery's debris before the value can hold bindings too.
        let binding = node
            .child_by_field_id(self.g.field_id(Fd::Value))
            .and(node.child_by_field_id(self.g.field_id(key_field)))
            .and_then(|key| self.static_key(key))
            .map(|(name, name_span)| {
                self.start_binding(BindingKind::Field, name.clone(), vec![name], name_span, span(node))
            });
        let start = self.children(node);
        let mut pending = binding;
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            if kid.field == Fd::Value {
                let value = self.node(kid.node, pending.is_some());
                if let Some(id) = pending.take() {
                    self.finish_binding(id, value);
                }
            } else {
                self.node(kid.node, false);
            }
        }
        self.drop_kids(start);
        binding
    }

    /// The static name of a property key (`a`, `"a-b"`, `'a'`, `1`, `["a"]`,
    /// `#a`) and where it is written, read without lowering anything.
    pub(crate) fn static_key(&self, key: Node<'t>) -> Option<(String, Span)> {
        let text = self.text(key);
        let name = match self.g.kind(key) {
            K::PropertyIdentifier | K::PrivatePropertyIdentifier | K::Identifier | K::Number => text.to_string(),
            K::String => crate::strings::decode(crate::strings::unquote(text), Mode::Quoted).0,
            K::TemplateString if !text.contains("${") => {
                let inner = text.strip_prefix('`').unwrap_or(text);
                crate::strings::decode(inner.strip_suffix('`').unwrap_or(inner), Mode::Template).0
            }
            K::ComputedPropertyName => {
                let mut cursor = key.walk();
                let mut inner = key
                    .named_children(&mut cursor)
                    .filter(|child| self.g.kind(*child) != K::Comment);
                return match (inner.next(), inner.next()) {
                    (Some(only), None) if matches!(self.g.kind(only), K::String | K::TemplateString | K::Number) => {
                        self.static_key(only)
                    }
                    _ => None,
                };
            }
            _ => return None,
        };
        Some((name, span(key)))
    }

    /// `<C name="v" />`, `name={v}`, and the bare `name` (which is `true`).
    pub(crate) fn jsx_attribute(&mut self, node: Node<'t>) -> Value {
        let start = self.children(node);
        // The first named child is the name, the next one the value.
        let mut binding: Option<BindingId> = None;
        let mut named = false;
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            if kid.kind == K::Comment {
                self.comment(kid.node);
            } else if !named {
                named = true;
                let name = self.text(kid.node).to_string();
                let name_span = span(kid.node);
                binding =
                    Some(self.start_binding(BindingKind::Attribute, name.clone(), vec![name], name_span, span(node)));
            } else {
                let value = match kid.kind {
                    K::String => self.string(kid.node, Mode::Jsx),
                    _ => self.node(kid.node, binding.is_some()),
                };
                if let Some(binding) = binding.take() {
                    self.finish_binding(binding, value);
                }
            }
        }
        if let Some(binding) = binding {
            self.finish_binding(binding, Value::Bool(true));
        }
        self.drop_kids(start);
        Value::Unknown
    }

    /// The static path of an expression, without lowering it: `o`, `a.b`,
    /// `a["b"]`, `this.x`. Used to say what a destructuring pattern reads.
    pub(crate) fn static_path(&self, node: Node<'t>) -> Option<Vec<String>> {
        let object_field = self.g.field_id(Fd::Object);
        let mut reversed = Vec::new();
        let mut current = node;
        loop {
            match self.g.kind(current) {
                K::Identifier | K::This | K::Super => {
                    reversed.push(self.text(current).to_string());
                    break;
                }
                K::MetaProperty => {
                    reversed.extend(self.meta_property(current).into_iter().rev());
                    break;
                }
                K::MemberExpression | K::SubscriptExpression => {
                    reversed.push(self.last_segment_name(current)?.0);
                }
                K::ParenthesizedExpression | K::AwaitExpression | K::NonNullExpression | K::AsExpression => {
                    current = current.named_child(0)?;
                    continue;
                }
                _ => return None,
            }
            current = current.child_by_field_id(object_field)?;
        }
        reversed.reverse();
        Some(reversed)
    }

    /// When `value` (behind parentheses or `await`) is a `require("m")` or
    /// `import("m")` call, or a member of one, names the import after `target`:
    /// `const x = require("m")` imports `*` as `x`, `const { a, b: c } = …`
    /// imports `a` and `b` as `c`, `const x = require("m").y` imports `y` as `x`.
    fn name_module_import(&mut self, target: Node<'t>, value: Node<'t>) {
        let Some((import, call_span)) = self.last_module_call else {
            return;
        };
        let mut value = value;
        while matches!(self.g.kind(value), K::ParenthesizedExpression | K::AwaitExpression) {
            let Some(inner) = value.named_child(0) else {
                return;
            };
            value = inner;
        }
        let mut member = None;
        if self.g.kind(value) == K::MemberExpression {
            member = value
                .child_by_field_id(self.g.field_id(Fd::Property))
                .map(|property| self.text(property).to_string());
            let Some(object) = value.child_by_field_id(self.g.field_id(Fd::Object)) else {
                return;
            };
            value = object;
        }
        if span(value) != call_span {
            return;
        }
        let names = match (self.g.kind(target), member) {
            (K::Identifier, member) => {
                vec![ImportName {
                    imported: member.unwrap_or_else(|| "*".into()),
                    local: self.text(target).to_string(),
                }]
            }
            (K::ObjectPattern, None) => self.pattern_import_names(target),
            _ => return,
        };
        if let Some(import) = self.facts.imports.get_mut(import) {
            import.names = names;
        }
    }

    /// The names `const { a, b: c, d = 1 } = require("m")` imports.
    fn pattern_import_names(&self, pattern: Node<'t>) -> Vec<ImportName> {
        let mut names = Vec::new();
        let mut cursor = pattern.walk();
        for child in pattern.named_children(&mut cursor) {
            let (imported, local) = match self.g.kind(child) {
                K::ShorthandPropertyIdentifierPattern => (child, child),
                K::ObjectAssignmentPattern => match child.child_by_field_id(self.g.field_id(Fd::Left)) {
                    Some(left) => (left, left),
                    None => continue,
                },
                K::PairPattern => {
                    let key = child.child_by_field_id(self.g.field_id(Fd::Key));
                    let value = child.child_by_field_id(self.g.field_id(Fd::Value));
                    match (key, value) {
                        (Some(key), Some(value)) if self.g.kind(value) == K::Identifier => (key, value),
                        _ => continue,
                    }
                }
                _ => continue,
            };
            let imported = self.text(imported);
            let imported = imported.trim_matches(['"', '\'']);
            names.push(ImportName {
                imported: imported.to_string(),
                local: self.text(local).to_string(),
            });
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::{binding, bindings_of, js, show, ts, tsx};
    use miroguard_ir::{BindingKind, Value};

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn variables() {
        let source = r#"const apiKey = "k1"; let a = 1, b; var c = x;"#;
        let facts = js(source);
        assert_eq!(
            bindings_of(&facts, BindingKind::Variable),
            pairs(&[("apiKey", r#""k1""#), ("a", "1"), ("c", "x")])
        );
        let api_key = binding(&facts, "apiKey");
        assert_eq!(api_key.name_span.text(source), "apiKey");
        assert_eq!(api_key.span.text(source), r#"apiKey = "k1""#);
        assert_eq!(api_key.path, ["apiKey"]);
        assert_eq!(api_key.scope, 0);
    }

    #[test]
    fn destructuring_defaults_and_sources() {
        let source = r#"
            const { a = "x", b: { c = "y" }, d, e: f } = cfg.auth;
            const [g = "z", [h = 2], i] = arr;
            const { j } = makeConfig();
        "#;
        let facts = js(source);
        assert_eq!(
            bindings_of(&facts, BindingKind::Default),
            pairs(&[("a", r#""x""#), ("c", r#""y""#), ("g", r#""z""#), ("h", "2")])
        );
        assert_eq!(
            bindings_of(&facts, BindingKind::Variable),
            pairs(&[("d", "cfg.auth.d"), ("f", "cfg.auth.e")])
        );
        assert_eq!(binding(&facts, "a").span.text(source), r#"a = "x""#);
        assert_eq!(binding(&facts, "g").name_span.text(source), "g");
    }

    #[test]
    fn assignments() {
        let source = r#"
            x = "v1";
            a.b.c = "v2";
            a["key"] = "v3";
            this.token = "v4";
            obj[dynamic] = "v5";
            f().secret = "v6";
            o ||= "v7"; p ??= "v8"; q &&= "v9";
            n += "not a binding";
            ({ r = "v10" } = src);
        "#;
        let facts = js(source);
        let assignments: Vec<(String, Vec<String>, String)> = facts
            .bindings
            .iter()
            .filter(|b| b.kind == BindingKind::Assignment)
            .map(|b| (b.name.clone(), b.path.clone(), show(&facts, &b.value)))
            .collect();
        let expected: Vec<(&str, Vec<&str>, &str)> = vec![
            ("x", vec!["x"], r#""v1""#),
            ("c", vec!["a", "b", "c"], r#""v2""#),
            ("key", vec!["a", "key"], r#""v3""#),
            ("token", vec!["this", "token"], r#""v4""#),
            ("secret", vec!["secret"], r#""v6""#),
            ("o", vec!["o"], r#""v7""#),
            ("p", vec!["p"], r#""v8""#),
            ("q", vec!["q"], r#""v9""#),
        ];
        let expected: Vec<(String, Vec<String>, String)> = expected
            .into_iter()
            .map(|(n, p, v)| (n.to_string(), p.into_iter().map(String::from).collect(), v.to_string()))
            .collect();
        assert_eq!(assignments, expected);
        assert_eq!(binding(&facts, "c").name_span.text(source), "c");
        assert_eq!(binding(&facts, "key").name_span.text(source), r#""key""#);
        assert_eq!(binding(&facts, "c").span.text(source), r#"a.b.c = "v2""#);
        assert_eq!(bindings_of(&facts, BindingKind::Default), pairs(&[("r", r#""v10""#)]));
        assert_eq!(facts.strings.len(), 12, "every string is recorded, bound or not");
    }

    #[test]
    fn object_fields() {
        let source = r#"const o = { key: v, "x-api-key": "s1", 'k': "s2", 3: "s3", ["c"]: "s4", [`t`]: "s5", [dyn]: "s6", apiKey, m() {}, ...rest };"#;
        let facts = js(source);
        assert_eq!(
            bindings_of(&facts, BindingKind::Field),
            pairs(&[
                ("key", "v"),
                ("x-api-key", r#""s1""#),
                ("k", r#""s2""#),
                ("3", r#""s3""#),
                ("c", r#""s4""#),
                ("t", r#""s5""#),
                ("apiKey", "apiKey"),
            ])
        );
        assert_eq!(binding(&facts, "x-api-key").name_span.text(source), r#""x-api-key""#);
        assert_eq!(binding(&facts, "c").name_span.text(source), r#""c""#);
        assert_eq!(binding(&facts, "apiKey").value, Value::Ident("apiKey".into()));
        assert_eq!(binding(&facts, "key").span.text(source), "key: v");
        let Value::Object(fields) = &binding(&facts, "o").value else {
            panic!()
        };
        assert_eq!(fields.len(), 7);
        assert!(facts.strings.iter().any(|s| s.value == "s6"));
    }

    #[test]
    fn nested_objects_list_their_own_fields() {
        let facts = js(r#"const config = { auth: { clientSecret: "s", nested: { deep: 1 } }, list: [{ item: 2 }] };"#);
        assert_eq!(
            show(&facts, &binding(&facts, "config").value),
            r#"{auth: {clientSecret: "s", nested: {deep: 1}}, list: [{item: 2}]}"#
        );
        let Value::Object(outer) = &binding(&facts, "config").value else {
            panic!()
        };
        let Value::Object(auth) = &facts.bindings[outer[0] as usize].value else {
            panic!()
        };
        assert_eq!(facts.bindings[auth[0] as usize].name, "clientSecret");
        // Bindings are in source order: each one before the ones inside its value.
        let names: Vec<&str> = facts.bindings.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(
            names,
            ["config", "auth", "clientSecret", "nested", "deep", "list", "item"]
        );
    }

    #[test]
    fn class_fields() {
        let js_facts = js(r#"class A { secret = "x"; static KEY = "y"; #priv = "p"; "quoted" = 1; plain; }"#);
        assert_eq!(
            bindings_of(&js_facts, BindingKind::Field),
            pairs(&[
                ("secret", r#""x""#),
                ("KEY", r#""y""#),
                ("#priv", r#""p""#),
                ("quoted", "1")
            ])
        );
        let secret_scope = binding(&js_facts, "secret").scope as usize;
        assert_eq!(js_facts.scopes[secret_scope].kind, miroguard_ir::ScopeKind::Class);
        let ts_facts = ts(
            r#"class B { private token: string = "z"; static readonly KEY = "w"; @Input() name = "n"; } enum E { A = "ea", B }"#,
        );
        assert_eq!(
            bindings_of(&ts_facts, BindingKind::Field),
            pairs(&[
                ("token", r#""z""#),
                ("KEY", r#""w""#),
                ("name", r#""n""#),
                ("A", r#""ea""#)
            ])
        );
    }

    #[test]
    fn parameter_defaults() {
        let source = r#"
            function f(token = "t1", { secret = "t2" } = {}, [k = "t3"] = [], plain) {}
            const g = (key = "t4") => key;
            class C { m(pass = "t5") {} }
            const o = { n(word = "t6") {} };
        "#;
        let facts = js(source);
        assert_eq!(
            bindings_of(&facts, BindingKind::Default),
            pairs(&[
                ("token", r#""t1""#),
                ("secret", r#""t2""#),
                ("k", r#""t3""#),
                ("key", r#""t4""#),
                ("pass", r#""t5""#),
                ("word", r#""t6""#)
            ])
        );
        let default = facts
            .bindings
            .iter()
            .find(|b| b.kind == BindingKind::Default)
            .expect("default");
        assert_eq!(default.span.text(source), r#"token = "t1""#);
        let ts_facts = ts(
            r#"function h(a: string = "t7", b?: string, c = "t8") {} class D { constructor(private readonly k: string = "t9") {} }"#,
        );
        assert_eq!(
            bindings_of(&ts_facts, BindingKind::Default),
            pairs(&[("a", r#""t7""#), ("c", r#""t8""#), ("k", r#""t9""#)])
        );
    }

    #[test]
    fn jsx_attributes() {
        let source = r#"const e = <Provider apiKey="k1" secret={"k2"} token={`k3`} other={value} data-key='k4' disabled {...spread} />;"#;
        for facts in [js(source), tsx(source)] {
            assert_eq!(
                bindings_of(&facts, BindingKind::Attribute),
                pairs(&[
                    ("apiKey", r#""k1""#),
                    ("secret", r#""k2""#),
                    ("token", r#""k3""#),
                    ("other", "value"),
                    ("data-key", r#""k4""#),
                    ("disabled", "true"),
                ])
            );
            assert_eq!(binding(&facts, "apiKey").name_span.text(source), "apiKey");
            assert_eq!(binding(&facts, "apiKey").span.text(source), r#"apiKey="k1""#);
        }
    }

    #[test]
    fn argument_bindings() {
        let source = r#"
            headers.set("Authorization", "Bearer x");
            res.cookie("session", v, { httpOnly: false });
            localStorage.setItem("token", t);
            console.log("Sending request to https://x", token);
            single("key");
            new Cookie("sid", id);
        "#;
        let facts = js(source);
        assert_eq!(
            bindings_of(&facts, BindingKind::Argument),
            pairs(&[
                ("Authorization", r#""Bearer x""#),
                ("session", "v"),
                ("token", "t"),
                ("sid", "id")
            ])
        );
        let auth = binding(&facts, "Authorization");
        assert_eq!(auth.name_span.text(source), r#""Authorization""#);
        assert_eq!(auth.span.text(source), r#""Authorization", "Bearer x""#);
        assert_eq!(binding(&facts, "httpOnly").kind, BindingKind::Field);
    }

    #[test]
    fn bindings_stay_in_source_order() {
        // Decorators and assignment targets hold bindings of their own, which
        // start after the binding around them.
        let facts = ts(r#"class A { @Input({ required: true }) value = "v"; } (a = b).c = "x";"#);
        let names: Vec<&str> = facts.bindings.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["value", "required", "c", "a"]);
        assert_eq!(show(&facts, &binding(&facts, "value").value), r#""v""#);
        assert_eq!(binding(&facts, "c").path, ["c"]);
    }

    #[test]
    fn bindings_record_their_scope() {
        let facts = js(r#"const a = 1; function f() { const b = 2; if (x) { const c = 3; } } class K { d = 4; }"#);
        let scope_kind = |name: &str| facts.scopes[binding(&facts, name).scope as usize].kind;
        use miroguard_ir::ScopeKind::*;
        assert_eq!(
            [scope_kind("a"), scope_kind("b"), scope_kind("c"), scope_kind("d")],
            [Module, Function, Block, Class]
        );
    }
}
