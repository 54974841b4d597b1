//! Facts written by hand for rule unit tests: the front ends are not
//! dependencies of the rules crate (the fixtures run them end to end), so a
//! test describes the Facts of a short source text itself, locating each
//! fact by the text it covers.

use miroguard_core::Span;
use miroguard_ir::{
    Binding, BindingKind, Call, Facts, Import, ImportKind, ImportName, Scope, ScopeId, ScopeKind, StringKind,
    StringLit, Value,
};

/// A source text and the Facts a test gives it.
pub(crate) struct Source {
    pub(crate) text: String,
    pub(crate) facts: Facts,
}

impl Source {
    pub(crate) fn new(text: &str) -> Source {
        let facts = Facts {
            scopes: vec![Scope {
                parent: None,
                kind: ScopeKind::Module,
                span: Span::new(0, text.len()),
                name: None,
            }],
            ..Facts::default()
        };
        Source {
            text: text.to_string(),
            facts,
        }
    }

    /// The span of the `nth` occurrence of `needle`.
    pub(crate) fn find(&self, needle: &str, nth: usize) -> Span {
        let start = self
            .text
            .match_indices(needle)
            .nth(nth)
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("`{needle}` #{nth} is not in the source"));
        Span::new(start, start + needle.len())
    }

    /// The string literal written as `literal` (quotes and prefix included).
    pub(crate) fn string(&mut self, literal: &str, nth: usize) -> Value {
        let span = self.find(literal, nth);
        let prefix = usize::from(literal.starts_with('b'));
        let content = Span::new(span.start + prefix + 1, span.end - 1);
        self.facts.strings.push(StringLit {
            span,
            content,
            value: content.text(&self.text).to_string(),
            verbatim: true,
            kind: if prefix == 1 {
                StringKind::Bytes
            } else {
                StringKind::Plain
            },
        });
        Value::Str(self.facts.strings.len() as u32 - 1)
    }

    /// The call written as `written`, whose callee is written as `callee_text`.
    pub(crate) fn call(&mut self, callee: &[&str], written: &str, callee_text: &str, args: Vec<Value>) -> Value {
        self.call_on(callee, None, written, callee_text, args, 0)
    }

    pub(crate) fn call_on(
        &mut self,
        callee: &[&str],
        receiver: Option<Value>,
        written: &str,
        callee_text: &str,
        args: Vec<Value>,
        scope: ScopeId,
    ) -> Value {
        let span = self.find(written, 0);
        let callee_at = span.start + written.find(callee_text).expect("callee inside the call");
        self.facts.calls.push(Call {
            callee: callee.iter().map(|s| s.to_string()).collect(),
            receiver: receiver.map(Box::new),
            args,
            span,
            callee_span: Span::new(callee_at, callee_at + callee_text.len()),
            is_macro: false,
            is_new: written.starts_with("new "),
            scope,
        });
        Value::Call(self.facts.calls.len() as u32 - 1)
    }

    pub(crate) fn bind(
        &mut self,
        kind: BindingKind,
        path: &[&str],
        written: &str,
        value: Value,
        scope: ScopeId,
    ) -> u32 {
        let span = self.find(written, 0);
        let name = path.last().copied().unwrap_or_default();
        let name_at = span.start + written.find(name).expect("name inside the binding");
        self.facts.bindings.push(Binding {
            kind,
            name: name.to_string(),
            path: path.iter().map(|s| s.to_string()).collect(),
            name_span: Span::new(name_at, name_at + name.len()),
            value,
            span,
            scope,
        });
        self.facts.bindings.len() as u32 - 1
    }

    pub(crate) fn object(&mut self, fields: &[(&str, &str, Value)]) -> Value {
        let ids = fields
            .iter()
            .map(|(name, written, value)| self.bind(BindingKind::Field, &[name], written, value.clone(), 0))
            .collect();
        Value::Object(ids)
    }

    pub(crate) fn import(&mut self, source: &str, imported: &str, local: &str) {
        self.facts.imports.push(Import {
            source: source.to_string(),
            names: vec![ImportName {
                imported: imported.to_string(),
                local: local.to_string(),
            }],
            kind: ImportKind::Static,
            span: Span::new(0, 0),
        });
    }

    pub(crate) fn scope(&mut self, parent: ScopeId, written: &str) -> ScopeId {
        let span = self.find(written, 0);
        self.facts.scopes.push(Scope {
            parent: Some(parent),
            kind: ScopeKind::Function,
            span,
            name: None,
        });
        self.facts.scopes.len() as u32 - 1
    }

    /// Which of `keywords` (lowercase) occur in the text, as the engine's prefilter says.
    pub(crate) fn keyword_hits(&self, keywords: &[String]) -> Vec<bool> {
        let lower = self.text.to_ascii_lowercase();
        keywords.iter().map(|k| lower.contains(k.as_str())).collect()
    }
}
