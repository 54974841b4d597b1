//! miroguard's JavaScript and TypeScript front end: parses JavaScript (with
//! JSX), TypeScript and TSX with tree-sitter and lowers the tree to the
//! language-neutral [Facts IR](miroguard_ir).
//!
//! What the syntax becomes:
//!
//! - every quoted string, JSX attribute string and literal fragment of a
//!   template literal is a [`StringLit`](miroguard_ir::StringLit) with its
//!   decoded value (`String.raw` fragments are [`Raw`](miroguard_ir::StringKind::Raw));
//! - declarations, assignments (`x = v`, `a.b = v`, `x ||= v`), object and
//!   class fields, enum members, destructuring and parameter defaults, JSX
//!   attributes, and a call argument after a key-like string argument
//!   (`headers.set("Authorization", v)`) are [`Binding`](miroguard_ir::Binding)s;
//! - calls, `new` and tagged templates are [`Call`](miroguard_ir::Call)s, with
//!   their callee path and argument values;
//! - `import`, `export … from`, `require("m")`, `import("m")` and TypeScript's
//!   `import x = require("m")` are [`Import`](miroguard_ir::Import)s;
//! - functions, methods and arrows open function scopes, class bodies class
//!   scopes, other blocks block scopes.
//!
//! Values see through parentheses, `await`, TypeScript casts (`as`,
//! `satisfies`, `!`, `<T>x`) and conversions that keep a string's text
//! (`String("x")`, `"x".toString()`); `a || b`, `a ?? b` and `c ? a : b`
//! are alternatives.
//!
//! tree-sitter always produces a tree, so a file with syntax errors still
//! yields the facts of its valid parts, with the errors listed in
//! [`Facts::syntax_errors`]. Lowering stops descending at
//! [`miroguard_ir::MAX_NESTING`] levels (recording
//! [`Facts::depth_limit_hit`], and still recording the strings and comments
//! below), so no input can overflow the stack.

#![deny(missing_docs)]

mod bindings;
mod calls;
mod errors;
mod grammar;
mod incremental;
mod lower;
mod strings;
mod values;

#[cfg(test)]
mod tests;

use miroguard_core::Language;
use miroguard_ir::{Facts, Scope, ScopeKind, Span, SyntaxError};
use std::cell::RefCell;
use std::sync::Arc;
use tree_sitter::{Parser, Tree};

/// Parse `source` as `language` (JavaScript incl. JSX, TypeScript, or Tsx) and lower it to Facts.
///
/// Returns empty Facts for languages this front end does not parse (Rust, Text).
pub fn lower(source: &str, language: Language) -> Facts {
    let Some(grammar) = grammar::grammar(language) else {
        return Facts::default();
    };
    match parse(source, language, &grammar.language, None) {
        Some(tree) => lower::lower_tree(&tree, source, grammar),
        None => unparsable(source),
    }
}

/// [`lower`] for the next version of a file whose last version gave
/// `previous` (with every edit since applied to it through
/// [`SyntaxTree::edit`]). tree-sitter reparses only what the edits touched,
/// and only the top-level statements they touched are lowered again; the
/// other statements' facts are taken from the last version. Also returns
/// the new version's tree, for the next time. An editor re-checks a file on
/// every keystroke; most of that work is the same each time.
pub fn lower_reusing(
    source: &str,
    language: Language,
    previous: Option<SyntaxTree>,
) -> (Arc<Facts>, Option<SyntaxTree>) {
    let Some(grammar) = grammar::grammar(language) else {
        return (Arc::new(Facts::default()), None);
    };
    let previous = previous.filter(|tree| tree.language == language);
    let Some(tree) = parse(
        source,
        language,
        &grammar.language,
        previous.as_ref().map(|tree| &tree.tree),
    ) else {
        return (Arc::new(unparsable(source)), None);
    };
    let reuse = previous.and_then(|previous| {
        let last = previous.lowered?;
        // The facts are changed in place when nothing else holds them (an
        // editor hands the last version over), and copied otherwise.
        let Lowered { text, facts, segments } = Arc::try_unwrap(last).unwrap_or_else(|shared| Lowered::clone(&shared));
        let facts = Arc::try_unwrap(facts).unwrap_or_else(|shared| Facts::clone(&shared));
        Some(incremental::Reuse::new(
            &text,
            &previous.tree,
            facts,
            segments,
            source,
            &tree,
        ))
    });
    let (facts, segments) = lower::lower_program(&tree, source, grammar, reuse);
    let facts = Arc::new(facts);
    let lowered = Lowered {
        text: source.into(),
        facts: Arc::clone(&facts),
        segments,
    };
    let tree = SyntaxTree {
        tree,
        language,
        lowered: Some(Arc::new(lowered)),
    };
    (facts, Some(tree))
}

/// The Facts of a file the parser gave up on.
fn unparsable(source: &str) -> Facts {
    Facts {
        scopes: vec![Scope {
            parent: None,
            kind: ScopeKind::Module,
            span: Span::new(0, source.len()),
            name: None,
        }],
        syntax_errors: vec![SyntaxError {
            span: Span::new(0, source.len()),
            message: "the parser could not read this file".into(),
        }],
        ..Facts::default()
    }
}

/// The syntax tree of one version of a file, and what it was lowered to,
/// kept to parse and lower the next version incrementally. Cheap to clone
/// (all is shared).
#[derive(Clone)]
pub struct SyntaxTree {
    tree: Tree,
    language: Language,
    lowered: Option<Arc<Lowered>>,
}

/// One version of a file as lowered.
#[derive(Clone)]
struct Lowered {
    text: Box<str>,
    facts: Arc<Facts>,
    segments: Vec<incremental::Segment>,
}

impl std::fmt::Debug for SyntaxTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyntaxTree")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

/// One replacement in a text, in bytes and in (row, byte column) points,
/// rows counted at `\n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextEdit {
    /// Where the replaced bytes start.
    pub start: usize,
    /// Where they ended, before the edit.
    pub old_end: usize,
    /// Where the inserted bytes end, after the edit.
    pub new_end: usize,
    /// `start` as a point.
    pub start_point: (usize, usize),
    /// `old_end` as a point in the old text.
    pub old_end_point: (usize, usize),
    /// `new_end` as a point in the new text.
    pub new_end_point: (usize, usize),
}

impl SyntaxTree {
    /// Records `edit` in the tree, so that it matches the edited text.
    pub fn edit(&mut self, edit: &TextEdit) {
        let point = |(row, column)| tree_sitter::Point { row, column };
        self.tree.edit(&tree_sitter::InputEdit {
            start_byte: edit.start,
            old_end_byte: edit.old_end,
            new_end_byte: edit.new_end,
            start_position: point(edit.start_point),
            old_end_position: point(edit.old_end_point),
            new_end_position: point(edit.new_end_point),
        });
    }
}

/// Parses with this thread's parser for `language`, created on first use:
/// creating a parser costs more than parsing a small file.
fn parse(source: &str, language: Language, grammar: &tree_sitter::Language, previous: Option<&Tree>) -> Option<Tree> {
    thread_local! {
        static PARSERS: RefCell<[Option<Parser>; 3]> = const { RefCell::new([None, None, None]) };
    }
    let slot = match language {
        Language::JavaScript => 0,
        Language::TypeScript => 1,
        _ => 2,
    };
    let parsed = PARSERS.with(|parsers| {
        let mut parsers = parsers.try_borrow_mut().ok()?;
        let parser = match parsers.get_mut(slot)? {
            Some(parser) => parser,
            empty => empty.insert(new_parser(grammar)?),
        };
        Some(parser.parse(source, previous))
    });
    match parsed {
        Some(tree) => tree,
        // Only reached if the thread-local is unavailable (thread teardown).
        None => new_parser(grammar)?.parse(source, previous),
    }
}

fn new_parser(grammar: &tree_sitter::Language) -> Option<Parser> {
    let mut parser = Parser::new();
    parser.set_language(grammar).ok()?;
    Some(parser)
}
