//! Calls, `new`, tagged templates, and imports (static, `require`, dynamic).

use crate::grammar::{Fd, K};
use crate::lower::{Kid, Lowerer, id, span};
use miroguard_ir::{BindingKind, Call, Import, ImportKind, ImportName, Span, StringKind, Value};
use tree_sitter::Node;

/// The longest string that keys the argument after it (`h.set("key", v)`).
const MAX_ARGUMENT_KEY_LEN: usize = 64;

impl<'s, 't> Lowerer<'s, 't> {
    /// `f(x)`, `a.b(x)`, `f().g()`, tagged templates.
    pub(crate) fn call(&mut self, node: Node<'t>) -> Value {
        self.any_call(node, false)
    }

    /// `new X(a)`.
    pub(crate) fn new_call(&mut self, node: Node<'t>) -> Value {
        self.any_call(node, true)
    }

    fn any_call(&mut self, node: Node<'t>, is_new: bool) -> Value {
        let whole = span(node);
        // Reserved first: calls are listed by start, and the callee and
        // arguments may hold calls that start at or after this one.
        self.facts.calls.push(Call {
            callee: Vec::new(),
            receiver: None,
            args: Vec::new(),
            span: whole,
            callee_span: whole,
            is_macro: false,
            is_new,
            scope: self.scope,
        });
        let call = id(self.facts.calls.len() - 1);

        let mut callee = Vec::new();
        let mut receiver = None;
        let mut callee_span = whole;
        let mut args = Vec::new();
        let mut dynamic_import = false;
        let start = self.children(node);
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.field {
                Fd::Function | Fd::Constructor => {
                    callee_span = span(kid.node);
                    dynamic_import = kid.kind == K::Import;
                    (callee, receiver) = self.callee(kid.node);
                }
                Fd::Arguments => {
                    args = match kid.kind {
                        K::Arguments => self.arguments(kid.node),
                        K::TemplateString => {
                            let kind = if callee == ["String", "raw"] {
                                StringKind::Raw
                            } else {
                                StringKind::Template
                            };
                            vec![self.template(kid.node, kind, true)]
                        }
                        _ => vec![self.node(kid.node, true)],
                    };
                }
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);

        let module_kind = if dynamic_import {
            Some(ImportKind::Dynamic)
        } else if !is_new && receiver.is_none() && callee == ["require"] {
            Some(ImportKind::Require)
        } else {
            None
        };
        if let (Some(kind), Some(Value::Str(specifier))) = (module_kind, args.first()) {
            if let Some(source) = self.facts.strings.get(*specifier as usize).map(|lit| lit.value.clone()) {
                self.facts.imports.push(Import {
                    source,
                    names: Vec::new(),
                    kind,
                    span: whole,
                });
                self.last_module_call = Some((self.facts.imports.len() - 1, whole));
            }
        }

        // Conversions that keep a string's text are the string itself.
        let converted = match (callee.as_slice(), receiver.as_deref(), args.as_slice()) {
            ([name], None, [Value::Str(string)]) if name == "String" && !is_new => Some(*string),
            ([method], Some(Value::Str(string)), []) if method == "toString" || method == "valueOf" => Some(*string),
            _ => None,
        };
        if let Some(slot) = self.facts.calls.get_mut(call as usize) {
            slot.callee = callee;
            slot.receiver = receiver;
            slot.args = args;
            slot.callee_span = callee_span;
        }
        match converted {
            Some(string) => Value::Str(string),
            None => Value::Call(call),
        }
    }

    /// The callee path of a call, and its receiver when the callee is a
    /// method of something that is not a path.
    fn callee(&mut self, node: Node<'t>) -> (Vec<String>, Option<Box<Value>>) {
        match self.g.kind(node) {
            K::Identifier | K::This | K::Super => (vec![self.text(node).to_string()], None),
            K::Import => (vec!["import".into()], None),
            K::MemberExpression | K::SubscriptExpression => {
                let chain = self.chain(node, true);
                match (chain.path, chain.last) {
                    (Some(path), _) => (path, None),
                    (None, Some(last)) => (vec![last], Some(Box::new(chain.object))),
                    (None, None) => (Vec::new(), Some(Box::new(chain.object))),
                }
            }
            K::ParenthesizedExpression => match self.sequence_callee(node) {
                Some(target) => {
                    if !self.enter(target) {
                        return (Vec::new(), Some(Box::new(Value::Unknown)));
                    }
                    let callee = self.callee(target);
                    self.leave();
                    callee
                }
                None => self.value_callee(node),
            },
            _ => self.value_callee(node),
        }
    }

    /// A callee that is not written as a path, taken as one when its value is
    /// (`(a.b)()`, `(x as T).f()` reach here through the chain).
    fn value_callee(&mut self, node: Node<'t>) -> (Vec<String>, Option<Box<Value>>) {
        match self.node(node, true) {
            Value::Ident(name) => (vec![name], None),
            Value::Member(path) => (path, None),
            value => (Vec::new(), Some(Box::new(value))),
        }
    }

    /// For `(0, a.b)(x)`, the way transpilers call an imported function without
    /// a `this`: lowers the leading expressions and returns the last one.
    fn sequence_callee(&mut self, node: Node<'t>) -> Option<Node<'t>> {
        let start = self.children(node);
        let end = self.kids_end();
        let mut values = (start..end)
            .filter_map(|index| self.kid(index))
            .filter(|kid| kid.kind.is_named() && kid.kind != K::Comment);
        let sequence = match (values.next(), values.next()) {
            (Some(only), None) if only.kind == K::SequenceExpression => Some(only.node),
            _ => None,
        };
        if sequence.is_some() {
            for index in start..end {
                if let Some(kid) = self.kid(index).filter(|kid| kid.kind == K::Comment) {
                    self.comment(kid.node);
                }
            }
        }
        self.drop_kids(start);
        self.walk_but_last(sequence?)
    }

    /// A call's arguments. A key-like string argument followed by another
    /// argument binds that argument to the string: `h.set("Authorization", v)`.
    fn arguments(&mut self, node: Node<'t>) -> Vec<Value> {
        let start = self.children(node);
        let mut args = Vec::new();
        let mut key: Option<(String, Span, usize)> = None;
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            if kid.kind == K::Comment {
                self.comment(kid.node);
                continue;
            }
            let binding = key.take().map(|(name, name_span, key_start)| {
                let pair = Span::new(key_start, kid.node.end_byte());
                self.start_binding(BindingKind::Argument, name.clone(), vec![name], name_span, pair)
            });
            let value = self.node(kid.node, true);
            if let Value::Str(string) = value {
                key = self
                    .facts
                    .strings
                    .get(string as usize)
                    .filter(|lit| is_key_like(&lit.value))
                    .map(|lit| (lit.value.clone(), lit.span, kid.node.start_byte()));
            }
            if let Some(binding) = binding {
                self.finish_binding(binding, value.clone());
            }
            args.push(value);
        }
        self.drop_kids(start);
        args
    }

    /// `import d, { a as b } from "m"`, `import * as ns from "m"`,
    /// `import "m"`, and TypeScript's `import x = require("m")`.
    pub(crate) fn import_statement(&mut self, node: Node<'t>) -> Value {
        let start = self.children(node);
        let mut names = Vec::new();
        let mut source = None;
        let mut kind = ImportKind::Static;
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.kind {
                K::ImportClause => self.import_names(kid.node, &mut names),
                K::ImportRequireClause => {
                    kind = ImportKind::Require;
                    self.import_require_clause(kid.node, &mut names, &mut source);
                }
                _ if kid.field == Fd::Source => source = self.module_name(kid.node),
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
        if let Some(source) = source {
            self.facts.imports.push(Import {
                source,
                names,
                kind,
                span: span(node),
            });
        }
        Value::Unknown
    }

    /// `export { a as b } from "m"`, `export * from "m"`, `export * as ns from "m"`;
    /// other exports only have their contents lowered.
    pub(crate) fn export_statement(&mut self, node: Node<'t>) -> Value {
        let start = self.children(node);
        let mut names = Vec::new();
        let mut source = None;
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.kind {
                K::ExportClause | K::NamespaceExport => self.import_names(kid.node, &mut names),
                _ if kid.field == Fd::Source => source = self.module_name(kid.node),
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
        if let Some(source) = source {
            self.facts.imports.push(Import {
                source,
                names,
                kind: ImportKind::Static,
                span: span(node),
            });
        }
        Value::Unknown
    }

    /// The names of an import clause, named imports or exports, or a namespace import or export.
    fn import_names(&mut self, node: Node<'t>, names: &mut Vec<ImportName>) {
        let namespace = matches!(self.g.kind(node), K::NamespaceImport | K::NamespaceExport);
        let start = self.children(node);
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.kind {
                K::Identifier | K::String if namespace => {
                    if let Some(local) = self.specifier_name(kid) {
                        names.push(ImportName {
                            imported: "*".into(),
                            local,
                        });
                    }
                }
                // A bare identifier in an import clause is the default import.
                K::Identifier => names.push(ImportName {
                    imported: "default".into(),
                    local: self.text(kid.node).into(),
                }),
                K::NamespaceImport | K::NamespaceExport | K::NamedImports | K::ExportClause => {
                    self.import_names(kid.node, names);
                }
                K::ImportSpecifier | K::ExportSpecifier => names.extend(self.specifier(kid.node)),
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
    }

    /// `a`, `a as b`, `default as b`, `"a-b" as b` in braces.
    fn specifier(&mut self, node: Node<'t>) -> Option<ImportName> {
        let start = self.children(node);
        let mut imported = None;
        let mut local = None;
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index) else { continue };
            match kid.field {
                Fd::Name => imported = self.specifier_name(kid),
                Fd::Alias => local = self.specifier_name(kid),
                _ if kid.kind.is_named() => {
                    self.node(kid.node, false);
                }
                _ => {}
            }
        }
        self.drop_kids(start);
        let imported = imported?;
        Some(ImportName {
            local: local.unwrap_or_else(|| imported.clone()),
            imported,
        })
    }

    fn specifier_name(&mut self, kid: Kid<'t>) -> Option<String> {
        match kid.kind {
            K::String => self.module_name(kid.node),
            _ => Some(self.text(kid.node).to_string()),
        }
    }

    /// `x = require("m")` after TypeScript's `import`.
    fn import_require_clause(&mut self, node: Node<'t>, names: &mut Vec<ImportName>, source: &mut Option<String>) {
        let start = self.children(node);
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.kind {
                K::Identifier => names.push(ImportName {
                    imported: "*".into(),
                    local: self.text(kid.node).into(),
                }),
                _ if kid.field == Fd::Source => *source = self.module_name(kid.node),
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
    }

    /// Records a module specifier string and returns its value.
    fn module_name(&mut self, node: Node<'t>) -> Option<String> {
        match self.node(node, true) {
            Value::Str(string) => self.facts.strings.get(string as usize).map(|lit| lit.value.clone()),
            _ => None,
        }
    }
}

/// Whether a string argument looks like the name of the argument after it:
/// a header, cookie, storage or config key rather than a sentence or a URL.
fn is_key_like(value: &str) -> bool {
    (1..=MAX_ARGUMENT_KEY_LEN).contains(&value.len())
        && value
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::is_key_like;
    use crate::tests::{js, show, ts};
    use miroguard_ir::{Facts, ImportKind, Value};

    #[test]
    fn key_like_strings() {
        for key in ["Authorization", "x-api-key", "session_id", "a.b.c", "k"] {
            assert!(is_key_like(key), "{key}");
        }
        for not_key in ["", "Bearer x", "https://a.b/c", "a/b", &"k".repeat(65), "ключ"] {
            assert!(!is_key_like(not_key), "{not_key}");
        }
    }

    fn callees(facts: &Facts) -> Vec<String> {
        facts.calls.iter().map(|call| call.callee.join(".")).collect()
    }

    #[test]
    fn calls_have_paths_args_and_spans() {
        let source = r#"f(x); a.b.c("y", 2); crypto.createHash('md5').update(data).digest("hex");"#;
        let facts = js(source);
        assert_eq!(callees(&facts), ["f", "a.b.c", "digest", "update", "crypto.createHash"]);
        let abc = &facts.calls[1];
        assert_eq!(abc.receiver, None);
        assert_eq!(abc.span.text(source), r#"a.b.c("y", 2)"#);
        assert_eq!(abc.callee_span.text(source), "a.b.c");
        assert_eq!(
            abc.args.iter().map(|arg| show(&facts, arg)).collect::<Vec<_>>(),
            [r#""y""#, "2"]
        );
        assert!(!abc.is_new && !abc.is_macro);
        let digest = &facts.calls[2];
        assert_eq!(digest.receiver.as_deref(), Some(&Value::Call(3)));
        assert_eq!(facts.calls[3].receiver.as_deref(), Some(&Value::Call(4)));
        assert_eq!(show(&facts, &facts.calls[4].args[0]), r#""md5""#);
    }

    #[test]
    fn method_on_a_call_has_a_receiver() {
        let facts = js("f().g(1);");
        assert_eq!(callees(&facts), ["g", "f"]);
        assert_eq!(facts.calls[0].receiver, Some(Box::new(Value::Call(1))));
        assert_eq!(facts.calls[1].receiver, None);
    }

    #[test]
    fn calls_are_in_order_of_start() {
        let facts = js("outer(inner(deep()), second()); after();");
        assert_eq!(callees(&facts), ["outer", "inner", "deep", "second", "after"]);
        assert_eq!(facts.calls[0].args, [Value::Call(1), Value::Call(3)]);
    }

    #[test]
    fn new_expressions() {
        let source = r#"const h = new Hmac("sha1", key); const d = new Date;"#;
        let facts = js(source);
        assert_eq!(callees(&facts), ["Hmac", "Date"]);
        assert!(facts.calls.iter().all(|call| call.is_new));
        assert_eq!(facts.calls[0].callee_span.text(source), "Hmac");
        assert_eq!(facts.calls[0].args.len(), 2);
        assert!(facts.calls[1].args.is_empty());
    }

    #[test]
    fn tagged_templates_are_calls() {
        let facts = js("sql`select * from t where id = ${id}`; gql`query`;");
        assert_eq!(callees(&facts), ["sql", "gql"]);
        assert!(matches!(facts.calls[0].args[..], [Value::Template(_)]));
        assert_eq!(show(&facts, &facts.calls[1].args[0]), r#""query""#);
    }

    #[test]
    fn unusual_callees() {
        let facts = ts(
            "(0, _crypto.createHash)('md5'); obj[name](); (function () {})(); (h as Hasher).update(x); super.m(); import.meta.resolve('x');",
        );
        assert_eq!(
            callees(&facts),
            [
                "_crypto.createHash",
                "",
                "",
                "h.update",
                "super.m",
                "import.meta.resolve"
            ]
        );
        // The method is not static; the object it is read from is the receiver.
        assert_eq!(facts.calls[1].receiver.as_deref(), Some(&Value::Ident("obj".into())));
    }

    #[test]
    fn calls_record_their_scope() {
        let facts = js("top(); function f() { inner(); } class C { m() { method(); } }");
        let kinds: Vec<_> = facts
            .calls
            .iter()
            .map(|call| facts.scopes[call.scope as usize].kind)
            .collect();
        use miroguard_ir::ScopeKind::*;
        assert_eq!(kinds, [Module, Function, Function]);
    }

    fn imports(facts: &Facts) -> Vec<(String, ImportKind, Vec<String>)> {
        facts
            .imports
            .iter()
            .map(|import| {
                let names = import
                    .names
                    .iter()
                    .map(|n| format!("{}->{}", n.imported, n.local))
                    .collect();
                (import.source.clone(), import.kind, names)
            })
            .collect()
    }

    fn expect(list: &[(&str, ImportKind, &[&str])]) -> Vec<(String, ImportKind, Vec<String>)> {
        list.iter()
            .map(|(s, k, n)| (s.to_string(), *k, n.iter().map(|n| n.to_string()).collect()))
            .collect()
    }

    #[test]
    fn static_imports_and_reexports() {
        let source = r#"
            import d, { a as b, c } from "m1";
            import * as ns from 'm2';
            import "m3";
            import { default as e, "x-y" as f } from "m4";
            export { g as h } from "m5";
            export * from "m6";
            export * as ns2 from "m7";
            export const local = 1;
        "#;
        let facts = js(source);
        use ImportKind::Static;
        assert_eq!(
            imports(&facts),
            expect(&[
                ("m1", Static, &["default->d", "a->b", "c->c"]),
                ("m2", Static, &["*->ns"]),
                ("m3", Static, &[]),
                ("m4", Static, &["default->e", "x-y->f"]),
                ("m5", Static, &["g->h"]),
                ("m6", Static, &[]),
                ("m7", Static, &["*->ns2"]),
            ])
        );
        assert_eq!(
            facts.imports[0].span.text(source),
            r#"import d, { a as b, c } from "m1";"#
        );
    }

    #[test]
    fn requires_and_dynamic_imports() {
        let source = r#"
            const crypto = require("crypto");
            const { createHash, randomBytes: rb } = require('node:crypto');
            const md5 = require("md5").hash;
            require("side-effect");
            const lazy = await import("./lazy.js");
            import(`./t.js`);
            import(dynamicName);
        "#;
        let facts = js(source);
        use ImportKind::{Dynamic, Require};
        assert_eq!(
            imports(&facts),
            expect(&[
                ("crypto", Require, &["*->crypto"]),
                ("node:crypto", Require, &["createHash->createHash", "randomBytes->rb"]),
                ("md5", Require, &["hash->md5"]),
                ("side-effect", Require, &[]),
                ("./lazy.js", Dynamic, &["*->lazy"]),
                ("./t.js", Dynamic, &[]),
            ])
        );
        assert_eq!(facts.imports[0].span.text(source), r#"require("crypto")"#);
        assert!(callees(&facts).contains(&"require".to_string()));
    }

    #[test]
    fn typescript_import_require() {
        let facts = ts(r#"import fs = require("fs"); import type { T } from "types";"#);
        use ImportKind::{Require, Static};
        assert_eq!(
            imports(&facts),
            expect(&[("fs", Require, &["*->fs"]), ("types", Static, &["T->T"])])
        );
    }
}
