//! Expressions as [`Value`]s: identifiers, member chains, `||`/`??`/ternary
//! alternatives, arrays and template literals.

use crate::grammar::{Fd, K};
use crate::lower::{Lowerer, span};
use crate::strings::Mode;
use miroguard_ir::{Span, StringKind, TemplatePart, Value};
use tree_sitter::Node;

/// A member chain (`a.b["c"]`) taken apart.
pub(crate) struct Chain {
    /// The whole chain as a path, when its base and every segment are static.
    pub(crate) path: Option<Vec<String>>,
    /// The last segment, when static.
    pub(crate) last: Option<String>,
    /// The value the last segment is read from, when `path` is `None`.
    pub(crate) object: Value,
}

impl<'s, 't> Lowerer<'s, 't> {
    /// An identifier's value; `Unknown` for the empty identifiers tree-sitter
    /// invents when it recovers from an error.
    pub(crate) fn ident(&self, node: Node<'t>) -> Value {
        match self.text(node) {
            "" => Value::Unknown,
            name => Value::Ident(name.to_string()),
        }
    }

    /// `import.meta` → `["import", "meta"]`, `new.target` → `["new", "target"]`.
    pub(crate) fn meta_property(&self, node: Node<'t>) -> Vec<String> {
        self.text(node).split('.').map(|part| part.trim().to_string()).collect()
    }

    /// `import.meta` or `new.target` as a member path.
    pub(crate) fn meta_property_value(&self, node: Node<'t>) -> Value {
        match self.meta_property(node) {
            path if path.len() >= 2 => Value::Member(path),
            _ => Value::Unknown,
        }
    }

    /// The value of a member or subscript expression.
    pub(crate) fn member(&mut self, node: Node<'t>, want: bool) -> Value {
        let chain = self.chain(node, want);
        match chain.path {
            Some(path) if want => Value::Member(path),
            _ => Value::Unknown,
        }
    }

    /// Takes a member chain apart, lowering its base and computed segments.
    ///
    /// The chain is walked in a loop from its outermost node down to its base
    /// and then lowered from the base up, so long chains use no stack and the
    /// facts inside come out in source order.
    pub(crate) fn chain(&mut self, node: Node<'t>, want: bool) -> Chain {
        let spine_start = self.spine.len();
        let object_field = self.g.field_id(Fd::Object);
        let mut base = node;
        while matches!(self.g.kind(base), K::MemberExpression | K::SubscriptExpression) {
            let Some(object) = base.child_by_field_id(object_field) else {
                break;
            };
            self.spine.push(base);
            base = object;
        }
        // A node that is its own base (a member expression without an object,
        // from error recovery) is walked like any other node.
        if self.spine.len() == spine_start {
            self.walk(node);
            return Chain {
                path: None,
                last: None,
                object: Value::Unknown,
            };
        }

        let base_value = self.base(base, want);
        let mut path = match &base_value {
            Value::Ident(name) => Some(vec![name.clone()]),
            Value::Member(path) => Some(path.clone()),
            _ => None,
        };
        let mut object = base_value;
        let mut last = None;
        let outermost = spine_start;
        for index in (spine_start..self.spine.len()).rev() {
            let Some(link) = self.spine.get(index).copied() else {
                break;
            };
            let segment = self.segment(link, want);
            if index == outermost {
                if path.is_none() && self.spine.len() - spine_start > 1 {
                    object = Value::Unknown;
                } else if let Some(path) = &path {
                    object = path_value(path.clone());
                }
                last = segment.clone();
            }
            path = match (path, segment) {
                (Some(mut path), Some(segment)) => {
                    path.push(segment);
                    Some(path)
                }
                _ => None,
            };
        }
        self.spine.truncate(spine_start);
        Chain { path, last, object }
    }

    /// The value of a chain's base; paths only when `want`.
    fn base(&mut self, base: Node<'t>, want: bool) -> Value {
        match self.g.kind(base) {
            K::Identifier | K::This | K::Super if want => self.ident(base),
            K::MetaProperty if want => self.meta_property_value(base),
            _ => self.node(base, want),
        }
    }

    /// The static name of one link of a chain (`.b`, `["b"]`, `[0]`), lowering
    /// whatever else the link holds.
    fn segment(&mut self, link: Node<'t>, want: bool) -> Option<String> {
        let start = self.children(link);
        let mut segment = None;
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            match kid.field {
                Fd::Object => {}
                Fd::Property if want => segment = Some(self.text(kid.node).to_string()),
                Fd::Property => {}
                Fd::Index => {
                    let value = self.node(kid.node, want);
                    segment = match value {
                        Value::Str(id) => self.facts.strings.get(id as usize).map(|lit| lit.value.clone()),
                        Value::Number(number) => Some(number),
                        _ => None,
                    };
                }
                _ if kid.kind == K::Comment => self.comment(kid.node),
                _ => {
                    self.node(kid.node, false);
                }
            }
        }
        self.drop_kids(start);
        segment
    }

    /// `a || b`, `a ?? b` as alternatives (chains flattened); other binary
    /// operators as `Unknown`. Left-nested chains of one family are walked in a
    /// loop: minified code concatenates thousands of strings with `+`.
    pub(crate) fn binary(&mut self, node: Node<'t>, want: bool) -> Value {
        let operator = self.operator(node);
        let left_field = self.g.field_id(Fd::Left);
        let spine_start = self.spine.len();
        self.spine.push(node);
        let mut current = node;
        while let Some(left) = current.child_by_field_id(left_field) {
            if self.g.kind(left) != K::BinaryExpression || self.operator(left) != operator {
                break;
            }
            self.spine.push(left);
            current = left;
        }
        let innermost = self.spine.len() - 1;
        let mut values = Vec::new();
        for index in (spine_start..self.spine.len()).rev() {
            let Some(link) = self.spine.get(index).copied() else {
                break;
            };
            let start = self.children(link);
            for kid_index in start..self.kids_end() {
                let Some(kid) = self.kid(kid_index).filter(|kid| kid.kind.is_named()) else {
                    continue;
                };
                match kid.field {
                    Fd::Left if index != innermost => {}
                    Fd::Left | Fd::Right => {
                        let value = self.node(kid.node, want);
                        if want && operator == Operator::Alternative {
                            push_alternative(&mut values, value);
                        } else if want {
                            values.push(value);
                        }
                    }
                    _ => {
                        self.node(kid.node, false);
                    }
                }
            }
            self.drop_kids(start);
        }
        self.spine.truncate(spine_start);
        match (want, operator) {
            (true, Operator::Plus) => concatenated(values),
            (true, Operator::Alternative) => Value::Alternatives(values),
            (true, Operator::Other) => Value::Computed(values),
            (false, _) => Value::Unknown,
        }
    }

    /// What a binary expression's operator means to the lowering.
    fn operator(&self, node: Node<'t>) -> Operator {
        match node
            .child_by_field_id(self.g.field_id(Fd::Operator))
            .map(|operator| self.g.kind(operator))
        {
            Some(K::OrOr | K::Nullish) => Operator::Alternative,
            Some(K::Plus) => Operator::Plus,
            _ => Operator::Other,
        }
    }

    /// `c ? a : b` as the alternatives `a`, `b`; chains in the alternative
    /// (`c ? a : d ? b : e`) are flattened in a loop.
    pub(crate) fn ternary(&mut self, node: Node<'t>, want: bool) -> Value {
        let mut values = Vec::new();
        let mut current = Some(node);
        while let Some(ternary) = current.take() {
            let start = self.children(ternary);
            let end = self.kids_end();
            // Only a ternary that ends its parent can wait for the next turn
            // of the loop without putting facts out of source order.
            let last = (start..end).rev().find(|index| {
                self.kid(*index)
                    .is_some_and(|kid| kid.kind.is_named() && kid.kind != K::Comment)
            });
            for index in start..end {
                let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                    continue;
                };
                match kid.field {
                    Fd::Alternative if kid.kind == K::TernaryExpression && Some(index) == last => {
                        current = Some(kid.node)
                    }
                    Fd::Consequence | Fd::Alternative => {
                        let value = self.node(kid.node, want);
                        if want {
                            push_alternative(&mut values, value);
                        }
                    }
                    _ => {
                        self.node(kid.node, false);
                    }
                }
            }
            self.drop_kids(start);
        }
        if want {
            Value::Alternatives(values)
        } else {
            Value::Unknown
        }
    }

    /// An array literal's elements; spreads and holes are `Unknown` or skipped.
    pub(crate) fn array(&mut self, node: Node<'t>, want: bool) -> Value {
        let start = self.children(node);
        let mut values = Vec::new();
        for index in start..self.kids_end() {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind.is_named()) else {
                continue;
            };
            if kid.kind == K::Comment {
                self.comment(kid.node);
                continue;
            }
            let value = self.node(kid.node, want);
            if want {
                values.push(value);
            }
        }
        self.drop_kids(start);
        if want { Value::Array(values) } else { Value::Unknown }
    }

    /// A template literal: `Str` without substitutions, else `Template` with
    /// its literal fragments recorded as strings of `kind`. With `lower_parts`
    /// false (past the depth limit) only the fragments are recorded.
    pub(crate) fn template(&mut self, node: Node<'t>, kind: StringKind, lower_parts: bool) -> Value {
        let whole = span(node);
        let text = self.text(node);
        let inner_start = if text.starts_with('`') {
            whole.start + 1
        } else {
            whole.start
        };
        let inner_end = if text.len() >= 2 && text.ends_with('`') {
            whole.end - 1
        } else {
            whole.end
        };
        let mode = if kind == StringKind::Raw {
            Mode::Raw
        } else {
            Mode::Template
        };

        let start = self.children(node);
        let end = self.kids_end();
        let has_substitution =
            (start..end).any(|index| self.kid(index).is_some_and(|kid| kid.kind == K::TemplateSubstitution));
        if !has_substitution {
            self.drop_kids(start);
            return Value::Str(self.push_string(whole, Span::new(inner_start, inner_end), mode, kind));
        }
        let mut parts = Vec::new();
        let mut position = inner_start;
        for index in start..end {
            let Some(kid) = self.kid(index).filter(|kid| kid.kind == K::TemplateSubstitution) else {
                continue;
            };
            let substitution = span(kid.node);
            if substitution.start > position {
                let fragment = Span::new(position, substitution.start);
                parts.push(TemplatePart::Str(self.push_string(fragment, fragment, mode, kind)));
            }
            let value = if lower_parts {
                self.node(kid.node, true)
            } else {
                Value::Unknown
            };
            parts.push(TemplatePart::Expr(value));
            position = substitution.end;
        }
        if inner_end > position {
            let fragment = Span::new(position, inner_end);
            parts.push(TemplatePart::Str(self.push_string(fragment, fragment, mode, kind)));
        }
        self.drop_kids(start);
        Value::Template(parts)
    }
}

/// The value of a static path: an identifier or a member chain.
fn path_value(mut path: Vec<String>) -> Value {
    if path.len() == 1 {
        Value::Ident(path.pop().unwrap_or_default())
    } else {
        Value::Member(path)
    }
}

/// Adds `value` to `values`, splicing in nested alternatives.
/// How a binary expression combines its operands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Operator {
    /// `a || b`, `a ?? b`: one of them.
    Alternative,
    /// `a + b`: a concatenation when a string takes part.
    Plus,
    Other,
}

/// The operands of `a + b + …`, as a template when a string takes part
/// (`"Bearer " + token` is `` `Bearer ${token}` ``), else an unknown number.
fn concatenated(operands: Vec<Value>) -> Value {
    let is_text = |value: &Value| matches!(value, Value::Str(_) | Value::Template(_));
    if !operands.iter().any(is_text) {
        return Value::Computed(operands);
    }
    let mut parts = Vec::with_capacity(operands.len());
    for operand in operands {
        match operand {
            Value::Str(id) => parts.push(TemplatePart::Str(id)),
            Value::Template(inner) => parts.extend(inner),
            other => parts.push(TemplatePart::Expr(other)),
        }
    }
    Value::Template(parts)
}

fn push_alternative(values: &mut Vec<Value>, value: Value) {
    match value {
        Value::Alternatives(nested) => values.extend(nested),
        value => values.push(value),
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::{binding, js, show, ts, tsx};
    use miroguard_ir::{Span, StringKind, TemplatePart, Value};

    fn value_of(facts: &miroguard_ir::Facts, name: &str) -> String {
        show(facts, &binding(facts, name).value)
    }

    #[test]
    fn strings_are_decoded_with_exact_spans() {
        let source = r#"const a = "x\n\t\u0041"; const b = 'it\'s'; const c = "plain";"#;
        let facts = js(source);
        let values: Vec<(&str, bool)> = facts.strings.iter().map(|s| (s.value.as_str(), s.verbatim)).collect();
        assert_eq!(values, [("x\n\tA", false), ("it's", false), ("plain", true)]);
        let plain = &facts.strings[2];
        assert_eq!(plain.span.text(source), "\"plain\"");
        assert_eq!(plain.content.text(source), "plain");
        assert_eq!(facts.strings[0].content.text(source), r"x\n\t\u0041");
        assert!(facts.strings.iter().all(|s| s.kind == StringKind::Plain));
    }

    #[test]
    fn directive_prologues_and_expression_strings_are_strings() {
        let facts = js("\"use client\";\nfoo('bar' + `baz`);\n");
        let values: Vec<&str> = facts.strings.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(values, ["use client", "bar", "baz"]);
    }

    #[test]
    fn templates_without_substitutions_are_plain_values() {
        let source = "const t = `a\\tb`;";
        let facts = js(source);
        assert_eq!(binding(&facts, "t").value, Value::Str(0));
        let lit = &facts.strings[0];
        assert_eq!(
            (lit.value.as_str(), lit.kind, lit.verbatim),
            ("a\tb", StringKind::Template, false)
        );
        assert_eq!(lit.span.text(source), "`a\\tb`");
        assert_eq!(lit.content.text(source), "a\\tb");
    }

    #[test]
    fn string_concatenations_are_templates() {
        let source = "const a = \"Bearer \" + token;\nconst u = base + \"/v2/\" + `b/${id}` + (x || \"y\");\nconst n = 1 + 2 + k;\n";
        let facts = js(source);
        assert_eq!(show(&facts, &binding(&facts, "a").value), r#"`"Bearer " ${token}`"#);
        assert_eq!(
            show(&facts, &binding(&facts, "u").value),
            r#"`${base} "/v2/" "b/" ${id} ${(x | "y")}`"#
        );
        // Without a string operand, `+` is arithmetic: a value computed from its operands.
        assert_eq!(
            binding(&facts, "n").value,
            Value::Computed(vec![
                Value::Number("1".into()),
                Value::Number("2".into()),
                Value::Ident("k".into())
            ])
        );
        // A long chain is lowered without recursion.
        let long = format!("const s = \"a\"{};", " + x".repeat(20_000));
        let long_facts = js(&long);
        let Value::Template(parts) = &binding(&long_facts, "s").value else {
            panic!("not a template")
        };
        assert_eq!(parts.len(), 20_001);
    }

    #[test]
    fn templates_with_substitutions_have_parts() {
        let source = "const t = `Bearer ${token}!${n}`;";
        let facts = js(source);
        let Value::Template(parts) = &binding(&facts, "t").value else {
            panic!("not a template")
        };
        assert_eq!(parts.len(), 4);
        assert_eq!(parts[1], TemplatePart::Expr(Value::Ident("token".into())));
        assert_eq!(parts[3], TemplatePart::Expr(Value::Ident("n".into())));
        let fragments: Vec<(&str, &str)> = facts
            .strings
            .iter()
            .map(|s| (s.value.as_str(), s.content.text(source)))
            .collect();
        assert_eq!(fragments, [("Bearer ", "Bearer "), ("!", "!")]);
        assert!(facts.strings.iter().all(|s| s.kind == StringKind::Template));
        assert_eq!(
            show(&facts, &binding(&facts, "t").value),
            r#"`"Bearer " ${token} "!" ${n}`"#
        );
    }

    #[test]
    fn string_raw_fragments_are_raw() {
        let facts = js(r"const r = String.raw`C:\new${dir}\tmp`;");
        let raw: Vec<(&str, StringKind, bool)> = facts
            .strings
            .iter()
            .map(|s| (s.value.as_str(), s.kind, s.verbatim))
            .collect();
        assert_eq!(
            raw,
            [(r"C:\new", StringKind::Raw, true), (r"\tmp", StringKind::Raw, true)]
        );
        let call = &facts.calls[0];
        assert_eq!(call.callee, ["String", "raw"]);
        assert!(matches!(call.args[..], [Value::Template(_)]));
    }

    #[test]
    fn jsx_attribute_strings_keep_backslashes_and_decode_references() {
        let source = r#"const e = <C a="x\ny&amp;z" b={"q\n"} />;"#;
        let facts = js(source);
        assert_eq!(facts.strings[0].value, "x\\ny&z");
        assert!(!facts.strings[0].verbatim);
        assert_eq!(facts.strings[1].value, "q\n");
    }

    #[test]
    fn literal_values() {
        let facts = js("const n = 0x1F, t = true, f = false, z = null, u = undefined, i = other, neg = -1;");
        let got: Vec<String> = ["n", "t", "f", "z", "u", "i", "neg"]
            .iter()
            .map(|n| value_of(&facts, n))
            .collect();
        assert_eq!(got, ["0x1F", "true", "false", "null", "null", "other", "?"]);
    }

    #[test]
    fn member_chains_are_paths() {
        let facts = js(r#"
            const a = process.env.API_KEY;
            const b = a?.b?.["c"];
            const c = cfg["x-key"][0];
            const d = import.meta.env.VITE_X;
            const e = this.token;
            const f = obj[key].x;
            const g = f().x;
        "#);
        assert_eq!(
            binding(&facts, "a").value,
            Value::Member(vec!["process".into(), "env".into(), "API_KEY".into()])
        );
        assert_eq!(value_of(&facts, "b"), "a.b.c");
        assert_eq!(value_of(&facts, "c"), "cfg.x-key.0");
        assert_eq!(value_of(&facts, "d"), "import.meta.env.VITE_X");
        assert_eq!(value_of(&facts, "e"), "this.token");
        assert_eq!(binding(&facts, "f").value, Value::Unknown);
        assert_eq!(binding(&facts, "g").value, Value::Unknown);
        assert_eq!(facts.calls.len(), 1, "the call in the base is still lowered");
    }

    #[test]
    fn alternatives_are_flattened() {
        let facts = js(r#"
            const a = process.env.KEY || "fallback";
            const b = x ?? y ?? "z";
            const c = (p || q) || (r || "s");
            const d = cond ? "yes" : other ? "maybe" : "no";
            const e = cond ? (a || "x") : "y";
            const f = a && "x";
        "#);
        assert_eq!(value_of(&facts, "a"), r#"(process.env.KEY | "fallback")"#);
        assert_eq!(value_of(&facts, "b"), r#"(x | y | "z")"#);
        assert_eq!(value_of(&facts, "c"), r#"(p | q | r | "s")"#);
        assert_eq!(value_of(&facts, "d"), r#"("yes" | "maybe" | "no")"#);
        assert_eq!(value_of(&facts, "e"), r#"(a | "x" | "y")"#);
        assert_eq!(value_of(&facts, "f"), r#"op(a, "x")"#);
        let literals: Vec<&str> = facts
            .literal_values(&binding(&facts, "d").value)
            .iter()
            .map(|lit| lit.value.as_str())
            .collect();
        assert_eq!(literals, ["yes", "maybe", "no"]);
    }

    #[test]
    fn wrappers_are_transparent() {
        let facts = ts(r#"
            const a = ("x");
            const b = "y" as string;
            const c = "z" satisfies string;
            const d = token!;
            const e = <string>"w";
            async function f() { const g = await fetchKey(); const h = ((await ("v" as const))); }
        "#);
        for (name, value) in [
            ("a", r#""x""#),
            ("b", r#""y""#),
            ("c", r#""z""#),
            ("d", "token"),
            ("e", r#""w""#),
            ("g", "fetchKey()"),
            ("h", r#""v""#),
        ] {
            assert_eq!(value_of(&facts, name), value, "{name}");
        }
    }

    #[test]
    fn containers_and_unknowns() {
        let facts = js(
            r#"const a = ["x", 1, ...rest, [y]]; const o = { k: "v" }; const s = a * b; const n = !x; const fn1 = () => 1;"#,
        );
        assert_eq!(value_of(&facts, "a"), r#"["x", 1, ?, [y]]"#);
        assert_eq!(value_of(&facts, "o"), r#"{k: "v"}"#);
        assert_eq!(value_of(&facts, "s"), "op(a, b)");
        assert_eq!(value_of(&facts, "n"), "?");
        assert_eq!(value_of(&facts, "fn1"), "?");
        assert_eq!(
            facts.strings.len(),
            2,
            "strings inside unknown values are still recorded"
        );
    }

    #[test]
    fn text_preserving_conversions_are_the_string() {
        let facts =
            js(r#"const a = String("k1"); const b = "k2".toString(); const c = `k3`.valueOf(); const d = String(x);"#);
        assert_eq!(value_of(&facts, "a"), r#""k1""#);
        assert_eq!(value_of(&facts, "b"), r#""k2""#);
        assert_eq!(value_of(&facts, "c"), r#""k3""#);
        assert_eq!(value_of(&facts, "d"), "String()");
        assert_eq!(facts.calls.len(), 4, "conversions are still calls");
    }

    #[test]
    fn long_chains_use_no_recursion() {
        // Thousands of `+` and `||` terms, as in minified bundles.
        let concat = format!("const s = {};", vec!["\"a\""; 5000].join(" + "));
        let facts = js(&concat);
        assert_eq!(facts.strings.len(), 5000);
        assert_eq!(facts.depth_limit_hit, None);
        let alternatives = format!("const s = {} || \"z\";", vec!["x"; 5000].join(" || "));
        let facts = js(&alternatives);
        let Value::Alternatives(values) = &binding(&facts, "s").value else {
            panic!()
        };
        assert_eq!(values.len(), 5001);
        assert_eq!(facts.depth_limit_hit, None);
        let members = format!("const m = a{};", ".b".repeat(5000));
        let facts = js(&members);
        let Value::Member(path) = &binding(&facts, "m").value else {
            panic!()
        };
        assert_eq!(path.len(), 5001);
    }

    #[test]
    fn tsx_values() {
        let facts = tsx(r#"const a = <div>{"x" as string}</div>; const b = k!;"#);
        assert_eq!(facts.strings[0].value, "x");
        assert_eq!(value_of(&facts, "b"), "k");
        assert_eq!(facts.strings[0].span, Span::new(16, 19));
    }
}
