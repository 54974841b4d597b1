//! The placeholders of a `format!`-style string: `{}`, `{0}`, `{name}`,
//! `{name:?}`, `{:.*}`, with `{{` and `}}` for literal braces.

use std::borrow::Cow;
use std::ops::Range;

/// Which argument a placeholder shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Arg<'a> {
    /// The n-th positional argument after the format string.
    Position(usize),
    /// A named argument, or else the variable of that name (captured).
    Name(&'a str),
}

/// A piece of a format string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    /// Literal text: where it is in the format string and what it says
    /// (different only when it contains `{{` or `}}`).
    Text { range: Range<usize>, text: Cow<'a, str> },
    /// A placeholder.
    Arg(Arg<'a>),
}

/// The pieces of `format`, in order. Invalid format strings (which rustc
/// would reject) are read as leniently as possible: an unclosed `{` and a
/// stray `}` are text.
pub(crate) fn parse<'a>(format: &'a str) -> Vec<Piece<'a>> {
    let bytes = format.as_bytes();
    let mut pieces = Vec::new();
    let mut next_position = 0;
    let mut text_start = 0;
    let mut escaped = false;
    let mut i = 0;
    let flush = |pieces: &mut Vec<Piece<'a>>, start: usize, end: usize, escaped: bool| {
        if start < end {
            let raw = &format[start..end];
            let text = if escaped {
                Cow::Owned(raw.replace("{{", "{").replace("}}", "}"))
            } else {
                Cow::Borrowed(raw)
            };
            pieces.push(Piece::Text {
                range: start..end,
                text,
            });
        }
    };
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                escaped = true;
                i += 2;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                escaped = true;
                i += 2;
            }
            b'{' => {
                let Some(close) = format[i..].find('}').map(|j| i + j) else {
                    break;
                };
                flush(&mut pieces, text_start, i, escaped);
                escaped = false;
                let inside = &format[i + 1..close];
                let (arg, spec) = inside.split_once(':').unwrap_or((inside, ""));
                let arg = arg.trim();
                if spec.contains(".*") {
                    // `{:.*}` takes its precision from the next positional argument first.
                    next_position += 1;
                }
                let arg = if arg.is_empty() {
                    next_position += 1;
                    Arg::Position(next_position - 1)
                } else if let Ok(n) = arg.parse() {
                    Arg::Position(n)
                } else {
                    Arg::Name(arg.strip_prefix("r#").unwrap_or(arg))
                };
                pieces.push(Piece::Arg(arg));
                i = close + 1;
                text_start = i;
            }
            _ => i += 1,
        }
    }
    flush(&mut pieces, text_start, bytes.len(), escaped);
    pieces
}

/// Whether `format` needs reading as a format string: it has a placeholder
/// or an escaped brace. One without either is just its text.
pub(crate) fn has_placeholders(format: &str) -> bool {
    format.contains(['{', '}'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(range: Range<usize>, text: &str) -> Piece<'_> {
        Piece::Text {
            range,
            text: Cow::Borrowed(text),
        }
    }

    #[test]
    fn positional_named_and_captured_placeholders() {
        assert_eq!(
            parse("a {} b {0} {name:?} {:>8} {x:.*} {}"),
            [
                text(0..2, "a "),
                Piece::Arg(Arg::Position(0)),
                text(4..7, " b "),
                Piece::Arg(Arg::Position(0)),
                text(10..11, " "),
                Piece::Arg(Arg::Name("name")),
                text(19..20, " "),
                Piece::Arg(Arg::Position(1)),
                text(25..26, " "),
                Piece::Arg(Arg::Name("x")),
                text(32..33, " "),
                Piece::Arg(Arg::Position(3)),
            ]
        );
    }

    #[test]
    fn escaped_braces_are_text() {
        assert_eq!(parse("{{x}} {}"), [text(0..6, "{x} "), Piece::Arg(Arg::Position(0))]);
        assert_eq!(parse("}{"), [text(0..2, "}{")]);
        assert_eq!(parse("{"), [text(0..1, "{")]);
        assert_eq!(parse(""), []);
    }
}
