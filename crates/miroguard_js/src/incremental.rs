//! Lowering the next version of a file from the last one: the facts of the
//! top-level statements an edit left alone are copied (renumbered and moved
//! by the edit's length), and only the statements it touched are lowered again.
//!
//! An editor re-checks a file on every keystroke, and a keystroke changes one
//! statement: in a 5,000-line file, lowering the whole tree again was most of
//! the time from a change to its diagnostics.
//!
//! A statement is unchanged when its text is outside the bytes that differ
//! between the versions, tree-sitter reports no change of syntax in it (which
//! covers a parse that changed because of what follows it), and the last
//! version had a statement of the same kind at the same place. Facts of a
//! statement depend only on its subtree, so copying them gives exactly what
//! lowering it again would: the tests compare both on random edits.

use miroguard_ir::{Facts, Span, TemplatePart, Value};
use std::ops::Range;
use tree_sitter::{Node, Tree};

/// How many facts of each list come before a point of the lowering.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Marks {
    strings: usize,
    bindings: usize,
    calls: usize,
    imports: usize,
    comments: usize,
    scopes: usize,
    returns: usize,
}

impl Marks {
    pub(crate) fn of(facts: &Facts) -> Marks {
        Marks {
            strings: facts.strings.len(),
            bindings: facts.bindings.len(),
            calls: facts.calls.len(),
            imports: facts.imports.len(),
            comments: facts.comments.len(),
            scopes: facts.scopes.len(),
            returns: facts.returns.len(),
        }
    }
}

/// One top-level statement (or comment) of a lowered file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Segment {
    /// Its bytes.
    pub(crate) span: Span,
    /// Its node's kind id.
    pub(crate) kind: u16,
    /// Where its facts start in each list; they end where the next segment's start.
    pub(crate) start: Marks,
    /// Where lowering it stopped at the depth limit, if it did.
    pub(crate) depth_hit: Option<Span>,
}

/// The last version of a file as lowered, and how the new version differs from it.
pub(crate) struct Reuse {
    facts: Facts,
    segments: Vec<Segment>,
    /// The bytes of the old text before the first difference.
    same_before: usize,
    /// Where the bytes that are the same to the end start, in the new text.
    same_after: usize,
    /// New length minus old length.
    delta: isize,
    /// Where tree-sitter says the syntax changed, in the new text.
    changed: Vec<Range<usize>>,
}

/// The facts of the statements an edit left alone at the end of a file,
/// taken out of the last version's facts to be appended after the new ones.
pub(crate) struct Tail {
    facts: Facts,
    segments: Vec<Segment>,
    /// Where the tail started in the last version's lists.
    from: Marks,
    delta: isize,
}

impl Reuse {
    /// Compares the last version (its text, tree with the edits since
    /// recorded, facts and segments) with the new text and its tree.
    pub(crate) fn new(
        old_text: &str,
        old_tree: &Tree,
        facts: Facts,
        segments: Vec<Segment>,
        new_text: &str,
        new_tree: &Tree,
    ) -> Reuse {
        let (old, new) = (old_text.as_bytes(), new_text.as_bytes());
        let same_before = old.iter().zip(new).take_while(|(a, b)| a == b).count();
        let most_after = old.len().min(new.len()) - same_before;
        let same_after_len = old
            .iter()
            .rev()
            .zip(new.iter().rev())
            .take(most_after)
            .take_while(|(a, b)| a == b)
            .count();
        Reuse {
            facts,
            segments,
            same_before,
            same_after: new.len() - same_after_len,
            delta: new.len() as isize - old.len() as isize,
            changed: old_tree
                .changed_ranges(new_tree)
                .map(|range| range.start_byte..range.end_byte)
                .collect(),
        }
    }

    fn untouched(&self, span: Span) -> bool {
        !self
            .changed
            .iter()
            .any(|range| range.start < span.end && span.start < range.end)
    }

    /// How many of the new file's top-level `statements` at the start, and
    /// how many at the end, are unchanged from the last version.
    pub(crate) fn unchanged(&self, statements: &[Node<'_>]) -> (usize, usize) {
        let same = |segment: &Segment, node: &Node<'_>, shift: isize| {
            let span = crate::lower::span(*node);
            segment.kind == node.kind_id() && shifted(segment.span, shift) == span && self.untouched(span)
        };
        let before = statements
            .iter()
            .zip(&self.segments)
            .take_while(|(node, segment)| node.end_byte() <= self.same_before && same(segment, node, 0))
            .count();
        let most_after = (statements.len() - before).min(self.segments.len() - before);
        let after = statements
            .iter()
            .rev()
            .zip(self.segments.iter().rev())
            .take(most_after)
            .take_while(|(node, segment)| node.start_byte() >= self.same_after && same(segment, node, self.delta))
            .count();
        (before, after)
    }

    /// Where the facts of the last version's segment `index` start (its
    /// total facts for the index past the last).
    fn mark(&self, index: usize) -> Marks {
        self.segments
            .get(index)
            .map_or_else(|| Marks::of(&self.facts), |segment| segment.start)
    }

    /// Splits the last version's facts: the first `before` segments' facts
    /// stay where they are, as the start of the new version's (returned with
    /// those segments); the last `after` segments' are the [`Tail`]; those
    /// between go. Moves the facts, copying none.
    pub(crate) fn split(mut self, before: usize, after: usize, new_len: usize) -> (Facts, Vec<Segment>, Tail) {
        let keep = self.mark(before);
        let first_after = self.segments.len() - after;
        let from = self.mark(first_after);
        let mut facts = std::mem::take(&mut self.facts);
        let tail = Facts {
            strings: facts.strings.split_off(from.strings),
            bindings: facts.bindings.split_off(from.bindings),
            calls: facts.calls.split_off(from.calls),
            imports: facts.imports.split_off(from.imports),
            comments: facts.comments.split_off(from.comments),
            scopes: facts.scopes.split_off(from.scopes),
            returns: facts.returns.split_off(from.returns),
            ..Facts::default()
        };
        facts.strings.truncate(keep.strings);
        facts.bindings.truncate(keep.bindings);
        facts.calls.truncate(keep.calls);
        facts.imports.truncate(keep.imports);
        facts.comments.truncate(keep.comments);
        facts.scopes.truncate(keep.scopes);
        facts.returns.truncate(keep.returns);
        facts.syntax_errors.clear();
        if let Some(module) = facts.scopes.first_mut() {
            module.span = Span::new(0, new_len);
        }
        let tail_segments = self.segments.split_off(first_after);
        self.segments.truncate(before);
        facts.depth_limit_hit = self.segments.iter().find_map(|segment| segment.depth_hit);
        let tail = Tail {
            facts: tail,
            segments: tail_segments,
            from,
            delta: self.delta,
        };
        (facts, self.segments, tail)
    }
}

impl Tail {
    /// Appends the tail to the new version's `facts` and `segments`,
    /// numbering its facts after those and moving them by the edit's length.
    pub(crate) fn append(self, facts: &mut Facts, segments: &mut Vec<Segment>) {
        let Tail {
            facts: mut tail,
            segments: tail_segments,
            from,
            delta,
        } = self;
        let to = Marks::of(facts);
        let shift = Shift {
            strings: to.strings as i64 - from.strings as i64,
            bindings: to.bindings as i64 - from.bindings as i64,
            calls: to.calls as i64 - from.calls as i64,
            scopes: to.scopes as i64 - from.scopes as i64,
        };
        for string in &mut tail.strings {
            string.span = shifted(string.span, delta);
            string.content = shifted(string.content, delta);
        }
        for binding in &mut tail.bindings {
            binding.name_span = shifted(binding.name_span, delta);
            binding.span = shifted(binding.span, delta);
            shift.value(&mut binding.value);
            binding.scope = shift.scope(binding.scope);
        }
        for call in &mut tail.calls {
            if let Some(receiver) = &mut call.receiver {
                shift.value(receiver);
            }
            for arg in &mut call.args {
                shift.value(arg);
            }
            call.span = shifted(call.span, delta);
            call.callee_span = shifted(call.callee_span, delta);
            call.scope = shift.scope(call.scope);
        }
        for import in &mut tail.imports {
            import.span = shifted(import.span, delta);
        }
        for comment in &mut tail.comments {
            comment.span = shifted(comment.span, delta);
        }
        for scope in &mut tail.scopes {
            scope.parent = scope.parent.map(|parent| shift.scope(parent));
            scope.span = shifted(scope.span, delta);
        }
        for returned in &mut tail.returns {
            shift.value(&mut returned.value);
            returned.span = shifted(returned.span, delta);
            returned.scope = shift.scope(returned.scope);
        }
        facts.strings.append(&mut tail.strings);
        facts.bindings.append(&mut tail.bindings);
        facts.calls.append(&mut tail.calls);
        facts.imports.append(&mut tail.imports);
        facts.comments.append(&mut tail.comments);
        facts.scopes.append(&mut tail.scopes);
        facts.returns.append(&mut tail.returns);
        let moved = |marks: Marks| Marks {
            strings: (marks.strings as i64 + shift.strings) as usize,
            bindings: (marks.bindings as i64 + shift.bindings) as usize,
            calls: (marks.calls as i64 + shift.calls) as usize,
            imports: marks.imports - from.imports + to.imports,
            comments: marks.comments - from.comments + to.comments,
            scopes: (marks.scopes as i64 + shift.scopes) as usize,
            returns: marks.returns - from.returns + to.returns,
        };
        for segment in tail_segments {
            let depth_hit = segment.depth_hit.map(|hit| shifted(hit, delta));
            if facts.depth_limit_hit.is_none() {
                facts.depth_limit_hit = depth_hit;
            }
            segments.push(Segment {
                span: shifted(segment.span, delta),
                kind: segment.kind,
                start: moved(segment.start),
                depth_hit,
            });
        }
    }
}

/// `span` moved by `by` bytes.
fn shifted(span: Span, by: isize) -> Span {
    let at = |offset: usize| offset.checked_add_signed(by).unwrap_or(0);
    Span::new(at(span.start), at(span.end))
}

/// How ids and offsets of copied facts change.
struct Shift {
    strings: i64,
    bindings: i64,
    calls: i64,
    scopes: i64,
}

impl Shift {
    fn id(id: u32, by: i64) -> u32 {
        u32::try_from(i64::from(id) + by).unwrap_or(u32::MAX)
    }

    /// Scope 0, the module, is the same in every version.
    fn scope(&self, scope: u32) -> u32 {
        if scope == 0 { 0 } else { Shift::id(scope, self.scopes) }
    }

    fn value(&self, value: &mut Value) {
        match value {
            Value::Str(id) => *id = Shift::id(*id, self.strings),
            Value::Template(parts) => {
                for part in parts {
                    match part {
                        TemplatePart::Str(id) => *id = Shift::id(*id, self.strings),
                        TemplatePart::Expr(value) => self.value(value),
                    }
                }
            }
            Value::Call(id) => *id = Shift::id(*id, self.calls),
            Value::Object(fields) => {
                for id in fields {
                    *id = Shift::id(*id, self.bindings);
                }
            }
            Value::Array(values) | Value::Alternatives(values) | Value::Computed(values) => {
                for value in values {
                    self.value(value);
                }
            }
            Value::Number(_) | Value::Bool(_) | Value::Null | Value::Ident(_) | Value::Member(_) | Value::Unknown => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Reuse;
    use crate::{SyntaxTree, TextEdit, lower, lower_reusing};
    use miroguard_core::Language;
    use std::path::Path;

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    /// The (row, byte column) of `offset` in `text`.
    fn point(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let row = before.matches('\n').count();
        let column = offset - before.rfind('\n').map_or(0, |newline| newline + 1);
        (row, column)
    }

    fn boundary(text: &str, mut offset: usize) -> usize {
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// Replaces a random range of `text` with a random piece of code, as
    /// typing, deleting or pasting does, and records the edit in `tree`.
    fn random_edit(text: &mut String, tree: Option<&mut SyntaxTree>, random: &mut Random) {
        const PIECES: &[&str] = &[
            "",
            "a",
            "\"",
            "'",
            "`",
            "${",
            "}",
            "{",
            "(",
            ")",
            "[",
            "]",
            ";",
            "\n",
            "/*",
            "*/",
            "//",
            ",",
            ".",
            "x.y(",
            "=>",
            " = ",
            "const token = \"sk_live_51Habc\";\n",
            "function f() {\n",
            "\n}\n",
            "import x from \"y\";\n",
            "const { a, b: c } = require(\"m\");\n",
            "class A { b = 1; }\n",
            "é",
            "🙂",
        ];
        let start = boundary(text, random.below(text.len() + 1));
        let old_end = boundary(text, (start + random.below(24)).min(text.len())).max(start);
        let inserted = PIECES[random.below(PIECES.len())];
        let (start_point, old_end_point) = (point(text, start), point(text, old_end));
        text.replace_range(start..old_end, inserted);
        let new_end = start + inserted.len();
        let edit = TextEdit {
            start,
            old_end,
            new_end,
            start_point,
            old_end_point,
            new_end_point: point(text, new_end),
        };
        if let Some(tree) = tree {
            tree.edit(&edit);
        }
    }

    fn fixture_sources() -> Vec<(String, Language)> {
        let mut sources = Vec::new();
        let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let language = Language::from_path(&path);
                if language.is_js_family()
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    sources.push((text, language));
                }
            }
        }
        sources.sort();
        sources
    }

    /// Asserts that the facts are the same, naming the first difference.
    #[track_caller]
    fn assert_same(incremental: &miroguard_ir::Facts, fresh: &miroguard_ir::Facts, what: &str, text: &str) {
        fn first<T: PartialEq + std::fmt::Debug>(list: &str, a: &[T], b: &[T]) -> Option<String> {
            let index = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i))?;
            Some(format!(
                "{list}[{index}]: incremental {:?}\nfresh {:?}",
                a.get(index),
                b.get(index)
            ))
        }
        let difference = first("strings", &incremental.strings, &fresh.strings)
            .or_else(|| first("bindings", &incremental.bindings, &fresh.bindings))
            .or_else(|| first("calls", &incremental.calls, &fresh.calls))
            .or_else(|| first("imports", &incremental.imports, &fresh.imports))
            .or_else(|| first("comments", &incremental.comments, &fresh.comments))
            .or_else(|| first("scopes", &incremental.scopes, &fresh.scopes))
            .or_else(|| first("returns", &incremental.returns, &fresh.returns))
            .or_else(|| first("syntax_errors", &incremental.syntax_errors, &fresh.syntax_errors))
            .or_else(|| {
                (incremental.depth_limit_hit != fresh.depth_limit_hit).then(|| {
                    format!(
                        "depth_limit_hit {:?} {:?}",
                        incremental.depth_limit_hit, fresh.depth_limit_hit
                    )
                })
            });
        if let Some(difference) = difference {
            panic!("{what}: {difference}\ntext:\n{text}");
        }
        assert!(incremental == fresh, "{what}");
    }

    /// Lowers the next version as [`lower_reusing`] does, and checks the
    /// facts against a lowering of the same tree from scratch. (Not against
    /// [`lower`]: tree-sitter may recover from a syntax error differently
    /// when it reparses incrementally, so a fresh parse can give another tree.)
    fn next_version(text: &str, language: Language, previous: &SyntaxTree, what: &str) -> (SyntaxTree, usize, usize) {
        let grammar = crate::grammar::grammar(language).expect("a JS grammar");
        let tree = crate::parse(text, language, &grammar.language, Some(&previous.tree)).expect("parses");
        let last = previous.lowered.as_ref().expect("kept");
        let reuse = Reuse::new(
            &last.text,
            &previous.tree,
            (*last.facts).clone(),
            last.segments.clone(),
            text,
            &tree,
        );
        let (copied, statements) = {
            let root = tree.root_node();
            let mut cursor = root.walk();
            let statements: Vec<_> = root.named_children(&mut cursor).collect();
            let (before, after) = reuse.unchanged(&statements);
            (before + after, statements.len())
        };
        let (incremental, segments) = crate::lower::lower_program(&tree, text, grammar, Some(reuse));
        let (fresh, fresh_segments) = crate::lower::lower_program(&tree, text, grammar, None);
        assert_same(&incremental, &fresh, what, text);
        assert_eq!(segments, fresh_segments, "{what}");
        let next = SyntaxTree {
            tree,
            language,
            lowered: Some(std::sync::Arc::new(crate::Lowered {
                text: text.into(),
                facts: std::sync::Arc::new(incremental),
                segments,
            })),
        };
        (next, copied, statements)
    }

    #[test]
    fn edited_versions_lower_to_what_lowering_from_scratch_gives() {
        let sources = fixture_sources();
        assert!(sources.len() > 50, "fixtures found: {}", sources.len());
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        let (mut copied, mut statements) = (0, 0);
        for (source, language) in sources {
            let mut text = source;
            let (facts, tree) = lower_reusing(&text, language, None);
            assert_eq!(*facts, lower(&text, language));
            let mut tree = tree.expect("parsed");
            for step in 0..12 {
                random_edit(&mut text, Some(&mut tree), &mut random);
                let (next, copied_now, statements_now) =
                    next_version(&text, language, &tree, &format!("{language:?} after edit {step}"));
                tree = next;
                copied += copied_now;
                statements += statements_now;
            }
        }
        // Most statements are copied: an edit touches one or two.
        assert!(
            copied * 10 > statements * 7,
            "{copied} of {statements} statements copied"
        );
    }

    #[test]
    fn unchanged_statements_are_copied_and_renumbered() {
        let before = "const a = \"one\";\nfunction f(x) { return g(x, \"two\"); }\nconst b = h(\"three\");\n";
        let (_, tree) = lower_reusing(before, Language::JavaScript, None);
        let mut tree = tree.expect("parsed");
        let mut text = before.to_string();
        // Insert a string into the first statement: the other two are copied,
        // their ids and offsets moved.
        let at = text.find("\"one\"").expect("present");
        text.insert_str(at, "\"zero\" + ");
        tree.edit(&TextEdit {
            start: at,
            old_end: at,
            new_end: at + 9,
            start_point: (0, at),
            old_end_point: (0, at),
            new_end_point: (0, at + 9),
        });
        let reuse_counts = {
            let last = tree.lowered.as_ref().expect("kept");
            let new_tree = crate::parse(
                &text,
                Language::JavaScript,
                &crate::grammar::grammar(Language::JavaScript).expect("js").language,
                Some(&tree.tree),
            )
            .expect("parses");
            let reuse = super::Reuse::new(
                &last.text,
                &tree.tree,
                (*last.facts).clone(),
                last.segments.clone(),
                &text,
                &new_tree,
            );
            let root = new_tree.root_node();
            let mut cursor = root.walk();
            let statements: Vec<_> = root.named_children(&mut cursor).collect();
            reuse.unchanged(&statements)
        };
        assert_eq!(reuse_counts, (0, 2));
        let (facts, _) = lower_reusing(&text, Language::JavaScript, Some(tree));
        assert_eq!(*facts, lower(&text, Language::JavaScript));
        let values: Vec<&str> = facts.strings.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(values, ["zero", "one", "two", "three"]);
    }
}
