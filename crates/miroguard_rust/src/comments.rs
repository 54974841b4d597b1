//! Comments, found lexically: syn keeps none but doc comments, and the
//! engine needs them for files that do not parse too.

use crate::lex::{Kind, Lexer, Token};
use miroguard_ir::{Comment, Span};

/// The comment a comment token is, if it is one.
pub(crate) fn comment_of(token: Token) -> Option<Comment> {
    match token.kind {
        Kind::LineComment => Some(Comment {
            span: Span::new(token.start, token.end),
            block: false,
        }),
        Kind::BlockComment => Some(Comment {
            span: Span::new(token.start, token.end),
            block: true,
        }),
        _ => None,
    }
}

/// Every comment of `source`, doc comments included, in order.
pub fn comments(source: &str) -> Vec<Comment> {
    Lexer::new(source).filter_map(comment_of).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> Vec<(&str, bool)> {
        comments(source)
            .iter()
            .map(|c| (c.span.text(source), c.block))
            .collect()
    }

    #[test]
    fn finds_line_block_nested_and_doc_comments() {
        let source = "//! crate doc\n/// item doc\nfn f() { /* a /* nested */ b */ x } // end\r\n/** block doc */";
        assert_eq!(
            texts(source),
            [
                ("//! crate doc", false),
                ("/// item doc", false),
                ("/* a /* nested */ b */", true),
                ("// end", false),
                ("/** block doc */", true),
            ]
        );
    }

    #[test]
    fn skips_comment_markers_inside_literals() {
        let source = r####"let a = "// no"; let b = r#"/* no " */"#; let c = b"//"; let d = '"'; let e = '/'; // yes
let f: &'static str = "x"; let g = r##"a"#"##; /* yes */ let h = '\''; // yes2"####;
        assert_eq!(
            texts(source),
            [("// yes", false), ("/* yes */", true), ("// yes2", false)]
        );
    }

    #[test]
    fn lifetimes_do_not_start_characters() {
        let source = "fn f<'a>(x: &'a str) -> &'a str { x } // c";
        assert_eq!(texts(source), [("// c", false)]);
    }

    #[test]
    fn unterminated_comments_and_strings_run_to_the_end() {
        assert_eq!(texts("x /* a /* b */"), [("/* a /* b */", true)]);
        assert_eq!(texts("x \" // not a comment"), []);
        assert_eq!(texts("x r#\" // not"), []);
        assert_eq!(texts("//"), [("//", false)]);
    }

    #[test]
    fn a_shebang_is_not_a_comment() {
        assert_eq!(texts("#!/usr/bin/env -S cargo +nightly // x\n// y"), [("// y", false)]);
    }
}
