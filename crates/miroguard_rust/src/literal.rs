//! Decoding string literals from their source text.
//!
//! syn's `LitStr::value()` prints the token back to a string and decodes that;
//! decoding the source directly costs one allocation (none to find out that a
//! literal has no escapes) and gives the content's position, which the IR
//! needs and syn does not expose.

use miroguard_ir::StringKind;
use std::ops::Range;

/// A string literal's decoded parts.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Decoded {
    /// How the literal is written.
    pub(crate) kind: StringKind,
    /// Where the content lies, relative to the start of the literal.
    pub(crate) content: Range<usize>,
    /// The decoded text.
    pub(crate) value: String,
    /// Whether `value` is exactly the source content.
    pub(crate) verbatim: bool,
}

/// Decodes the string literal `text` (`"…"`, `r#"…"#`, `b"…"`, `br"…"`,
/// `c"…"`, `cr"…"`, with or without a suffix); `None` if `text` is not one.
/// Byte and C strings are decoded lossily as UTF-8.
pub(crate) fn decode(text: &str) -> Option<Decoded> {
    let bytes = text.as_bytes();
    let (prefix, raw) = match bytes {
        [b'b' | b'c', b'r', ..] => (2, true),
        [b'b' | b'c', b'"', ..] => (1, false),
        [b'r', ..] => (1, true),
        [b'"', ..] => (0, false),
        _ => return None,
    };
    let kind = match (prefix, raw) {
        (2, _) | (1, false) => StringKind::Bytes,
        (_, true) => StringKind::Raw,
        _ => StringKind::Plain,
    };
    if raw {
        let hashes = bytes[prefix..].iter().take_while(|&&b| b == b'#').count();
        let open = prefix + hashes;
        if bytes.get(open) != Some(&b'"') {
            return None;
        }
        let start = open + 1;
        let closing = text[start..]
            .match_indices('"')
            .map(|(i, _)| start + i)
            .find(|&i| bytes[i + 1..].iter().take(hashes).filter(|&&b| b == b'#').count() == hashes)
            .unwrap_or(text.len());
        let content = &text[start..closing];
        let verbatim = !content.contains('\r');
        let value = if verbatim {
            content.to_owned()
        } else {
            content.replace("\r\n", "\n")
        };
        return Some(Decoded {
            kind,
            content: start..closing,
            value,
            verbatim,
        });
    }
    let start = prefix + 1;
    let mut end = start;
    let mut escaped = false;
    while end < bytes.len() {
        match bytes[end] {
            b'\\' => {
                escaped = true;
                end += 2;
            }
            b'"' => break,
            b'\r' => {
                escaped = true;
                end += 1;
            }
            _ => end += 1,
        }
    }
    let end = end.min(bytes.len());
    let Some(content) = text.get(start..end) else {
        // An escape at the very end of an unterminated literal; keep what is whole.
        return Some(Decoded {
            kind,
            content: start..start,
            value: String::new(),
            verbatim: false,
        });
    };
    if !escaped {
        return Some(Decoded {
            kind,
            content: start..end,
            value: content.to_owned(),
            verbatim: true,
        });
    }
    Some(Decoded {
        kind,
        content: start..end,
        value: unescape(content),
        verbatim: false,
    })
}

/// Resolves escapes the way rustc does; an invalid escape is kept as written.
fn unescape(content: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(content.len());
    let bytes = content.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let Some(&escape) = bytes.get(i + 1) else {
            out.push(b);
            break;
        };
        i += 2;
        match escape {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'\\' => out.push(b'\\'),
            b'0' => out.push(0),
            b'\'' => out.push(b'\''),
            b'"' => out.push(b'"'),
            b'x' => match content.get(i..i + 2).and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                Some(byte) => {
                    out.push(byte);
                    i += 2;
                }
                None => out.extend_from_slice(b"\\x"),
            },
            b'u' => {
                let close = content[i..].find('}').map(|j| i + j);
                let ch = close
                    .and_then(|close| content.get(i + 1..close))
                    .filter(|_| bytes.get(i) == Some(&b'{'))
                    .and_then(|hex| u32::from_str_radix(&hex.replace('_', ""), 16).ok())
                    .and_then(char::from_u32);
                match (ch, close) {
                    (Some(ch), Some(close)) => {
                        let mut buf = [0; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        i = close + 1;
                    }
                    _ => out.extend_from_slice(b"\\u"),
                }
            }
            b'\n' | b'\r' => {
                // A line continuation skips the line break and the next line's indentation.
                while bytes.get(i).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
                    i += 1;
                }
            }
            _ => {
                out.push(b'\\');
                // Keep a multi-byte character after a stray backslash whole.
                let width = content[i - 1..].chars().next().map_or(1, char::len_utf8);
                out.extend_from_slice(&bytes[i - 1..i - 1 + width]);
                i += width - 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> (String, bool, StringKind, &str) {
        let d = decode(text).unwrap();
        (d.value, d.verbatim, d.kind, &text[d.content])
    }

    #[test]
    fn plain_strings() {
        assert_eq!(value(r#""abc""#), ("abc".into(), true, StringKind::Plain, "abc"));
        assert_eq!(
            value(r#""a\nb\x41\u{1F600}\"\\""#),
            (
                "a\nbA😀\"\\".into(),
                false,
                StringKind::Plain,
                r#"a\nb\x41\u{1F600}\"\\"#
            )
        );
        assert_eq!(value("\"a\\\n    b\"").0, "ab");
        assert_eq!(value("\"a\r\nb\"").0, "a\nb");
        assert_eq!(value(r#""abc"suffix"#).3, "abc");
    }

    #[test]
    fn raw_strings() {
        assert_eq!(value(r###"r#"a"b"#"###), ("a\"b".into(), true, StringKind::Raw, "a\"b"));
        assert_eq!(value(r####"r##"a"#b"##"####).0, "a\"#b");
        assert_eq!(value(r#"r"\n""#).0, "\\n");
    }

    #[test]
    fn byte_and_c_strings() {
        assert_eq!(
            value(r#"b"ab\xff""#),
            ("ab\u{FFFD}".into(), false, StringKind::Bytes, r"ab\xff")
        );
        assert_eq!(value(r#"br"x""#), ("x".into(), true, StringKind::Bytes, "x"));
        assert_eq!(value(r#"c"hi""#).2, StringKind::Bytes);
        assert_eq!(value(r##"cr#"hi"#"##).0, "hi");
    }

    #[test]
    fn broken_input_never_panics() {
        for text in [
            "\"",
            "\"\\",
            "\"\\u{",
            "\"\\u{110000}\"",
            "\"\\x\"",
            "r#",
            "r#\"abc",
            "\"\\é\"",
            "b\"\\",
            "x",
        ] {
            let _ = decode(text);
        }
        assert_eq!(value("\"\\é\"").0, "\\é");
        assert!(decode("'a'").is_none());
    }
}
