//! Syntax errors: the `ERROR` and `MISSING` nodes of a tree-sitter tree.

use miroguard_ir::{Span, SyntaxError};

/// At most this many errors are reported per file: after a few, the rest are
/// usually consequences of the first, and a minified or binary-ish file could
/// otherwise yield thousands.
pub(crate) const MAX_SYNTAX_ERRORS: usize = 20;

/// How much of an unexpected piece of text an error message quotes.
const QUOTE_CHARS: usize = 24;

/// The syntax errors in `tree`, in source order.
///
/// Walks only subtrees that contain an error (tree-sitter records that on every
/// node), so an error-free file costs one check; iterative, so deep trees are fine.
pub(crate) fn syntax_errors(root: tree_sitter::Node<'_>, source: &str) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    if !root.has_error() {
        return errors;
    }
    let mut cursor = root.walk();
    'walk: loop {
        let node = cursor.node();
        let mut descend = node.has_error();
        if node.is_error() {
            errors.push(unexpected(node, source));
            descend = false;
        } else if node.is_missing() {
            errors.push(missing(node));
            descend = false;
        }
        if errors.len() >= MAX_SYNTAX_ERRORS {
            break;
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    errors
}

fn unexpected(node: tree_sitter::Node<'_>, source: &str) -> SyntaxError {
    let span = Span::from(node.byte_range());
    let text = span.text(source).trim();
    let first_line = text.lines().next().unwrap_or("");
    let mut quoted: String = first_line.chars().take(QUOTE_CHARS).collect();
    if quoted.len() < first_line.len() {
        quoted.push('…');
    }
    let message = if quoted.is_empty() {
        "unexpected syntax".to_string()
    } else {
        format!("unexpected `{quoted}`")
    };
    SyntaxError { span, message }
}

fn missing(node: tree_sitter::Node<'_>) -> SyntaxError {
    let kind = node.kind();
    let message = if node.is_named() {
        format!("missing {}", kind.replace('_', " "))
    } else {
        format!("missing `{kind}`")
    };
    SyntaxError {
        span: Span::from(node.byte_range()),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(source: &str) -> Vec<SyntaxError> {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_javascript::LANGUAGE.into())
            .expect("grammar");
        let tree = parser.parse(source, None).expect("tree");
        syntax_errors(tree.root_node(), source)
    }

    #[test]
    fn clean_code_has_no_errors() {
        assert!(errors("const a = 1;\nf(a);\n").is_empty());
    }

    #[test]
    fn unexpected_text_is_quoted() {
        let found = errors("const a = 1;\n@@@ ;\nconst b = 2;\n");
        assert!(!found.is_empty());
        assert!(found[0].message.starts_with("unexpected `@"), "{found:?}");
    }

    #[test]
    fn missing_tokens_are_named() {
        let found = errors("f(a, b;\n");
        assert!(found.iter().any(|e| e.message.starts_with("missing")), "{found:?}");
    }

    #[test]
    fn at_most_twenty() {
        let source = "let = ;\n".repeat(200);
        let found = errors(&source);
        assert!(!found.is_empty() && found.len() <= MAX_SYNTAX_ERRORS);
    }

    #[test]
    fn long_text_is_cut() {
        let found = errors("const a = 1;\n@ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n");
        assert!(found.iter().all(|e| e.message.chars().count() < 60), "{found:?}");
    }
}
