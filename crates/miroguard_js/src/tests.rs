//! Helpers shared by the lowering tests of each module, and the invariants
//! every lowering must keep.

use crate::lower;
use miroguard_core::Language;
use miroguard_ir::{Binding, BindingKind, Facts, TemplatePart, Value};

pub(crate) fn js(source: &str) -> Facts {
    checked(source, Language::JavaScript)
}

pub(crate) fn ts(source: &str) -> Facts {
    checked(source, Language::TypeScript)
}

pub(crate) fn tsx(source: &str) -> Facts {
    checked(source, Language::Tsx)
}

/// Lowers `source` and checks the invariants that hold for any input.
pub(crate) fn checked(source: &str, language: Language) -> Facts {
    let facts = lower(source, language);
    check_invariants(&facts, source);
    facts
}

/// The first binding named `name`.
#[track_caller]
pub(crate) fn binding<'f>(facts: &'f Facts, name: &str) -> &'f Binding {
    facts
        .bindings
        .iter()
        .find(|binding| binding.name == name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = facts.bindings.iter().map(|binding| binding.name.as_str()).collect();
            panic!("no binding `{name}` in {names:?}")
        })
}

/// The bindings of `kind`, as `(name, value text)` pairs.
pub(crate) fn bindings_of(facts: &Facts, kind: BindingKind) -> Vec<(String, String)> {
    facts
        .bindings
        .iter()
        .filter(|binding| binding.kind == kind)
        .map(|binding| (binding.name.clone(), show(facts, &binding.value)))
        .collect()
}

/// A compact rendering of a value, with strings shown by their text.
pub(crate) fn show(facts: &Facts, value: &Value) -> String {
    let list = |values: &[Value]| {
        values
            .iter()
            .map(|value| show(facts, value))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match value {
        Value::Str(id) => format!("{:?}", facts.strings[*id as usize].value),
        Value::Template(parts) => {
            let parts: Vec<String> = parts
                .iter()
                .map(|part| match part {
                    TemplatePart::Str(id) => format!("{:?}", facts.strings[*id as usize].value),
                    TemplatePart::Expr(value) => format!("${{{}}}", show(facts, value)),
                })
                .collect();
            format!("`{}`", parts.join(" "))
        }
        Value::Number(number) => number.clone(),
        Value::Bool(value) => value.to_string(),
        Value::Null => "null".into(),
        Value::Ident(name) => name.clone(),
        Value::Member(path) => path.join("."),
        Value::Call(id) => format!("{}()", facts.calls[*id as usize].callee.join(".")),
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|id| {
                    let field = &facts.bindings[*id as usize];
                    format!("{}: {}", field.name, show(facts, &field.value))
                })
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Value::Array(values) => format!("[{}]", list(values)),
        Value::Computed(values) => format!("op({})", list(values)),
        Value::Alternatives(values) => format!(
            "({})",
            values.iter().map(|v| show(facts, v)).collect::<Vec<_>>().join(" | ")
        ),
        Value::Unknown => "?".into(),
    }
}

/// What holds for the facts of any input: ids point into the facts, spans
/// into the source, scopes nest, and the lists are in source order.
#[track_caller]
pub(crate) fn check_invariants(facts: &Facts, source: &str) {
    let in_source = |span: miroguard_ir::Span| assert!(span.start <= span.end && span.end <= source.len(), "{span:?}");
    let check_value = |value: &Value| check_value(facts, value);
    for string in &facts.strings {
        in_source(string.span);
        in_source(string.content);
        assert!(string.span.contains(string.content), "{string:?}");
        if string.verbatim {
            assert_eq!(string.content.text(source), string.value, "{string:?}");
        }
    }
    for (index, scope) in facts.scopes.iter().enumerate() {
        in_source(scope.span);
        assert_eq!(scope.parent.is_none(), index == 0);
        if let Some(parent) = scope.parent {
            assert!((parent as usize) < index);
            assert!(facts.scopes[parent as usize].span.contains(scope.span), "{scope:?}");
        }
    }
    for binding in &facts.bindings {
        in_source(binding.span);
        in_source(binding.name_span);
        assert!((binding.scope as usize) < facts.scopes.len());
        assert!(!binding.path.is_empty());
        assert_eq!(binding.path.last(), Some(&binding.name), "{binding:?}");
        check_value(&binding.value);
    }
    for call in &facts.calls {
        in_source(call.span);
        in_source(call.callee_span);
        assert!((call.scope as usize) < facts.scopes.len());
        call.args.iter().for_each(check_value);
        if let Some(receiver) = &call.receiver {
            check_value(receiver);
        }
    }
    for import in &facts.imports {
        in_source(import.span);
    }
    for comment in &facts.comments {
        in_source(comment.span);
    }
    for error in &facts.syntax_errors {
        in_source(error.span);
    }
    assert!(facts.syntax_errors.len() <= crate::errors::MAX_SYNTAX_ERRORS);
    let starts = |spans: Vec<usize>| spans.windows(2).all(|pair| pair[0] <= pair[1]);
    assert!(
        starts(facts.strings.iter().map(|s| s.span.start).collect()),
        "strings out of order"
    );
    assert!(
        starts(facts.calls.iter().map(|c| c.span.start).collect()),
        "calls out of order"
    );
    assert!(
        starts(facts.bindings.iter().map(|b| b.span.start).collect()),
        "bindings out of order"
    );
    assert!(
        starts(facts.comments.iter().map(|c| c.span.start).collect()),
        "comments out of order"
    );
}

#[track_caller]
fn check_value(facts: &Facts, value: &Value) {
    match value {
        Value::Str(id) => assert!((*id as usize) < facts.strings.len()),
        Value::Call(id) => assert!((*id as usize) < facts.calls.len()),
        Value::Object(fields) => {
            for id in fields {
                let field = &facts.bindings[*id as usize];
                assert_eq!(field.kind, BindingKind::Field);
            }
        }
        Value::Template(parts) => {
            for part in parts {
                match part {
                    TemplatePart::Str(id) => assert!((*id as usize) < facts.strings.len()),
                    TemplatePart::Expr(value) => check_value(facts, value),
                }
            }
        }
        Value::Array(values) | Value::Alternatives(values) => values.iter().for_each(|value| check_value(facts, value)),
        Value::Member(path) => assert!(path.len() >= 2, "{path:?}"),
        _ => {}
    }
}
