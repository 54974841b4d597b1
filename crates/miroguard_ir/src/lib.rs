//! The Facts IR: small, owned, language-neutral records of what security rules
//! look at in a source file.
//!
//! The Rust front end (syn) and the JS/TS front end (tree-sitter) both lower to
//! these types, so a rule that exists for both languages is written once. What
//! a record means is the same in both languages:
//!
//! - a [`StringLit`] is every string literal (and every literal fragment of a
//!   template or format string), with its decoded text and exact spans;
//! - a [`Binding`] is a name given a value: declarations, assignments, object
//!   and struct fields, parameter defaults, JSX attributes, named macro
//!   arguments, and the value of a call argument keyed by a string before it
//!   (`headers.set("Authorization", v)`);
//! - a [`Call`] is a function, method, constructor or macro call with its
//!   callee path and argument values;
//! - an [`Import`] is an ES import, a `require`, a literal dynamic `import()`
//!   or a Rust `use`.
//!
//! Values that only convert a string without changing it (`"x".to_string()`,
//! `String::from("x")`, `"x" as string`, `("x")`) are lowered to the string
//! itself by the front ends, which are the only code that knows such
//! language details.

#![deny(missing_docs)]

pub mod flow;
pub mod names;
pub mod sensitive;

pub use miroguard_core::Span;

/// Index of a [`StringLit`] in [`Facts::strings`].
pub type StrId = u32;
/// Index of a [`Call`] in [`Facts::calls`].
pub type CallId = u32;
/// Index of a [`Binding`] in [`Facts::bindings`].
pub type BindingId = u32;
/// Index of a [`Scope`] in [`Facts::scopes`].
pub type ScopeId = u32;

/// Everything a front end extracted from one file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// Every string literal and literal fragment, in source order.
    pub strings: Vec<StringLit>,
    /// Every name given a value, in source order.
    pub bindings: Vec<Binding>,
    /// Every call, in source order of their start.
    pub calls: Vec<Call>,
    /// Every import, `require` and `use`.
    pub imports: Vec<Import>,
    /// Every comment.
    pub comments: Vec<Comment>,
    /// Lexical scopes; scope 0 is the module.
    pub scopes: Vec<Scope>,
    /// Every value a function gives back: `return v`, an arrow function's
    /// expression body, a Rust function's or closure's tail expression.
    pub returns: Vec<Return>,
    /// Regions that are test code (`#[cfg(test)]` modules, `#[test]` functions).
    pub test_regions: Vec<Span>,
    /// What the parser could not understand. The rest of the file was still lowered.
    pub syntax_errors: Vec<SyntaxError>,
    /// Where lowering stopped descending because the code nests too deeply, if it did.
    pub depth_limit_hit: Option<Span>,
}

impl Facts {
    /// The string literal with id `id`.
    ///
    /// # Panics
    /// If `id` does not come from these facts.
    pub fn string(&self, id: StrId) -> &StringLit {
        &self.strings[id as usize]
    }

    /// The call with id `id`.
    ///
    /// # Panics
    /// If `id` does not come from these facts.
    pub fn call(&self, id: CallId) -> &Call {
        &self.calls[id as usize]
    }

    /// The string literals `value` may evaluate to as a whole: the literal
    /// itself, or each literal alternative of `a || "x"`, `c ? "x" : "y"`,
    /// `v.unwrap_or("x")`. Template strings with substitutions are not whole literals.
    pub fn literal_values<'a>(&'a self, value: &'a Value) -> Vec<&'a StringLit> {
        let mut out = Vec::new();
        self.collect_literals(value, &mut out);
        out
    }

    fn collect_literals<'a>(&'a self, value: &'a Value, out: &mut Vec<&'a StringLit>) {
        match value {
            Value::Str(id) => {
                if let Some(lit) = self.strings.get(*id as usize) {
                    out.push(lit);
                }
            }
            Value::Alternatives(values) => {
                for value in values {
                    self.collect_literals(value, out);
                }
            }
            _ => {}
        }
    }

    /// Whether `span` lies in a test region of the file.
    pub fn in_test_region(&self, span: Span) -> bool {
        self.test_regions.iter().any(|region| region.contains(span))
    }
}

/// How a string literal is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StringKind {
    /// A quoted string: `"x"`, `'x'`.
    Plain,
    /// A fragment of a template literal or a format string's literal text.
    Template,
    /// A raw string: Rust `r#"x"#`, JS `String.raw` templates.
    Raw,
    /// A byte string or C string: Rust `b"x"`, `c"x"`.
    Bytes,
}

/// A string literal, or one literal fragment of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringLit {
    /// The whole literal, delimiters and prefixes included.
    pub span: Span,
    /// The text between the delimiters.
    pub content: Span,
    /// The decoded text (escapes resolved).
    pub value: String,
    /// Whether `value` is exactly the source text at `content` (no escapes were resolved),
    /// so that a part of the value maps to the same part of the source.
    pub verbatim: bool,
    /// How it is written.
    pub kind: StringKind,
}

impl StringLit {
    /// The source span of `value[range]`: exact when the literal is verbatim,
    /// else the whole content.
    pub fn span_of(&self, range: std::ops::Range<usize>) -> Span {
        if self.verbatim && range.end <= self.value.len() {
            Span::new(self.content.start + range.start, self.content.start + range.end)
        } else {
            self.content
        }
    }
}

/// What kind of syntax gives a name its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BindingKind {
    /// `const x = v`, `let x = v`, `static X: T = v`, `const X: T = v`.
    Variable,
    /// `x = v`, `a.b = v`, `a["b"] = v`, `x ||= v`.
    Assignment,
    /// A field of an object or struct literal: `{ b: v }`, `S { b: v }`, `json!({"b": v})`.
    Field,
    /// A default value: `function f(b = v)`, `const { b = v } = o`.
    Default,
    /// A JSX attribute: `<C b="v" />`.
    Attribute,
    /// A call argument keyed by the string argument before it: `h.set("b", v)`.
    Argument,
    /// A named macro argument: `info!(b = v)`, `format!("{b}", b = v)`.
    Named,
    /// A function or closure parameter bound to a plain name: `fn f(b: T)`,
    /// `(b) => …`, `|b| …`. Its value is [`Value::Unknown`]; it matters for
    /// which binding a name refers to.
    Parameter,
}

/// A name given a value.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    /// What syntax this is.
    pub kind: BindingKind,
    /// The name: the last segment of the target (`apiKey` in `config.apiKey = v`),
    /// a field key, an attribute name, or the keying string of an argument.
    pub name: String,
    /// The whole target path when it is a member chain (`["config", "apiKey"]`); else `[name]`.
    pub path: Vec<String>,
    /// Where the name is written.
    pub name_span: Span,
    /// The value given.
    pub value: Value,
    /// The whole declaration, assignment, field or argument pair.
    pub span: Span,
    /// The innermost scope it is in.
    pub scope: ScopeId,
}

/// A value as far as a rule needs to know it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string literal (possibly behind conversions that keep its text).
    Str(StrId),
    /// A template literal with substitutions, or a format macro with arguments.
    Template(Vec<TemplatePart>),
    /// A number literal, as written.
    Number(String),
    /// `true` or `false`.
    Bool(bool),
    /// `null`, `undefined`, `None`, `()`.
    Null,
    /// A plain identifier.
    Ident(String),
    /// A member or path chain: `process.env.KEY` → `["process", "env", "KEY"]`,
    /// `Version::TLS_1_0` → `["Version", "TLS_1_0"]`, `a["b"]` → `["a", "b"]`.
    Member(Vec<String>),
    /// A call's result.
    Call(CallId),
    /// An object or struct literal: its fields, as bindings of kind [`BindingKind::Field`].
    Object(Vec<BindingId>),
    /// An array, tuple, slice or vec literal.
    Array(Vec<Value>),
    /// One of several values: `a || b`, `a ?? b`, `c ? a : b`, `v.unwrap_or(b)`.
    Alternatives(Vec<Value>),
    /// A value an operator computes from these operands: arithmetic and
    /// bitwise operators, comparisons, and `+` when no operand is a string
    /// (`Math.random() * 16 | 0`, `a + b`). Not a literal, but made from them.
    Computed(Vec<Value>),
    /// Anything else.
    Unknown,
}

/// A piece of a template literal or format string.
#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    /// Literal text.
    Str(StrId),
    /// An interpolated value.
    Expr(Value),
}

/// A function, method, constructor or macro call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The callee as a path: `crypto.createHash` → `["crypto", "createHash"]`,
    /// `Md5::new` → `["Md5", "new"]`, `info!` → `["info"]`. For a method called
    /// on something that is not a path (`f().bar()`), only the method name,
    /// with the receiver in `receiver`.
    pub callee: Vec<String>,
    /// The receiver of a method call when it is not part of `callee`.
    pub receiver: Option<Box<Value>>,
    /// The arguments, in order.
    pub args: Vec<Value>,
    /// The whole call.
    pub span: Span,
    /// The callee expression.
    pub callee_span: Span,
    /// Whether this is a Rust macro invocation.
    pub is_macro: bool,
    /// Whether this is a JS `new` expression.
    pub is_new: bool,
    /// The innermost scope it is in.
    pub scope: ScopeId,
}

/// How an import is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImportKind {
    /// `import … from "m"`, `export … from "m"`, `import "m"`.
    Static,
    /// `require("m")`.
    Require,
    /// `import("m")` with a literal specifier.
    Dynamic,
    /// Rust `use`.
    Use,
}

/// One imported name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportName {
    /// The name in the source module (`default` and `*` for default and namespace imports).
    pub imported: String,
    /// The local name, when it differs or is known.
    pub local: String,
}

/// An import of a module or crate path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The module specifier (`"@mirohq/miro-api"`) or Rust path prefix (`"md5"`, `"ring::digest"`).
    pub source: String,
    /// The names imported, if any.
    pub names: Vec<ImportName>,
    /// How it is written.
    pub kind: ImportKind,
    /// The whole import statement or call.
    pub span: Span,
}

/// A comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The whole comment, delimiters included.
    pub span: Span,
    /// Whether it is a block comment (`/* */`).
    pub block: bool,
}

/// What a scope belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    /// The whole file.
    Module,
    /// A function, method, closure or arrow function body.
    Function,
    /// A class or impl body.
    Class,
    /// A block.
    Block,
}

/// A lexical scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// The enclosing scope (`None` for the module).
    pub parent: Option<ScopeId>,
    /// What it belongs to.
    pub kind: ScopeKind,
    /// Its extent.
    pub span: Span,
    /// The function's name, for a function scope that has one: its declared
    /// name, or the variable, field or method it is assigned to
    /// (`const hashPassword = (pw) => …`).
    pub name: Option<String>,
}

/// A value a function gives back.
#[derive(Clone, Debug, PartialEq)]
pub struct Return {
    /// The value.
    pub value: Value,
    /// The returned expression (or the whole `return` when it has none).
    pub span: Span,
    /// The innermost scope it is in.
    pub scope: ScopeId,
}

/// A syntax error the parser reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where.
    pub span: Span,
    /// What, in the parser's words.
    pub message: String,
}

/// How deep the front ends descend into nested syntax before they stop and
/// record [`Facts::depth_limit_hit`]. Far above real code, far below what
/// overflows a worker thread's stack.
pub const MAX_NESTING: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(value: &str, start: usize, verbatim: bool) -> StringLit {
        StringLit {
            span: Span::new(start - 1, start + value.len() + 1),
            content: Span::new(start, start + value.len()),
            value: value.into(),
            verbatim,
            kind: StringKind::Plain,
        }
    }

    #[test]
    fn literal_values_follow_alternatives_only() {
        let facts = Facts {
            strings: vec![lit("a", 1, true), lit("b", 5, true)],
            ..Facts::default()
        };
        let value = Value::Alternatives(vec![Value::Member(vec!["process".into()]), Value::Str(1)]);
        let values: Vec<&str> = facts.literal_values(&value).iter().map(|l| l.value.as_str()).collect();
        assert_eq!(values, ["b"]);
        assert!(
            facts
                .literal_values(&Value::Template(vec![TemplatePart::Str(0)]))
                .is_empty()
        );
    }

    #[test]
    fn span_of_maps_verbatim_ranges_exactly() {
        let verbatim = lit("abcdef", 10, true);
        assert_eq!(verbatim.span_of(2..4), Span::new(12, 14));
        let escaped = lit("abcdef", 10, false);
        assert_eq!(escaped.span_of(2..4), escaped.content);
    }
}
