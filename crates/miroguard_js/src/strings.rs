//! Decoding the text of string literals and template fragments.
//!
//! tree-sitter gives the source text between the delimiters; rules want the
//! value the program sees. Decoding never fails: an escape that is invalid in
//! JavaScript is kept as the nearest text, since a linter must still look at
//! the rest of the literal.

/// How the text between the delimiters is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A quoted string: all escapes, including legacy octal ones.
    Quoted,
    /// A template literal fragment: escapes, and line ends normalised to `\n`.
    Template,
    /// A `String.raw` fragment: no escapes, line ends normalised to `\n`.
    Raw,
    /// A JSX attribute string: no backslash escapes, HTML character references.
    Jsx,
}

/// The text between the quotes of a quoted string's source (the closing quote
/// may be missing when the parser recovered from an error).
pub(crate) fn unquote(text: &str) -> &str {
    let Some(quote @ ('"' | '\'')) = text.chars().next() else {
        return text;
    };
    let inner = text.get(1..).unwrap_or("");
    inner.strip_suffix(quote).unwrap_or(inner)
}

/// Decodes `raw`, the text between a literal's delimiters. Returns the value
/// and whether it is exactly `raw` (nothing was decoded).
pub(crate) fn decode(raw: &str, mode: Mode) -> (String, bool) {
    let special = match mode {
        Mode::Quoted => raw.contains('\\'),
        Mode::Template => raw.contains(['\\', '\r']),
        Mode::Raw => raw.contains('\r'),
        Mode::Jsx => raw.contains('&'),
    };
    if !special {
        return (raw.to_string(), true);
    }
    let value = match mode {
        Mode::Quoted | Mode::Template => unescape(raw, mode == Mode::Template),
        Mode::Raw => normalize_line_ends(raw),
        Mode::Jsx => html_references(raw),
    };
    let verbatim = value == raw;
    (value, verbatim)
}

/// `\r\n` and lone `\r` become `\n`, as in a template's value.
fn normalize_line_ends(raw: &str) -> String {
    raw.replace("\r\n", "\n").replace('\r', "\n")
}

fn unescape(raw: &str, template: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    // A high surrogate from `\uD83D` waiting for the low half that may follow.
    let mut pending_high: Option<u32> = None;
    while let Some(c) = chars.next() {
        if c != '\\' {
            flush_surrogate(&mut out, &mut pending_high);
            if template && c == '\r' {
                chars.next_if_eq(&'\n');
                out.push('\n');
            } else {
                out.push(c);
            }
            continue;
        }
        let Some(escaped) = chars.next() else {
            flush_surrogate(&mut out, &mut pending_high);
            out.push('\\');
            break;
        };
        if escaped == 'u' {
            match unicode_escape(&mut chars) {
                Some(code) => push_code_unit(&mut out, &mut pending_high, code),
                None => {
                    flush_surrogate(&mut out, &mut pending_high);
                    out.push('u');
                }
            }
            continue;
        }
        flush_surrogate(&mut out, &mut pending_high);
        match escaped {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            'x' => match hex_digits(&mut chars, 2) {
                Some(code) => out.push(char::from_u32(code).unwrap_or('\u{fffd}')),
                None => out.push('x'),
            },
            // Line continuations: the backslash and the line end vanish.
            '\r' => {
                chars.next_if_eq(&'\n');
            }
            '\n' | '\u{2028}' | '\u{2029}' => {}
            '0'..='7' if !template || (escaped == '0' && !chars.peek().is_some_and(char::is_ascii_digit)) => {
                out.push(legacy_octal(escaped, &mut chars));
            }
            other => out.push(other),
        }
    }
    flush_surrogate(&mut out, &mut pending_high);
    out
}

/// The rest of a legacy octal escape starting with digit `first`: up to three
/// digits when it starts with 0–3, else up to two.
fn legacy_octal(first: char, chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> char {
    let mut code = first.to_digit(8).unwrap_or(0);
    let max_digits = if code <= 3 { 3 } else { 2 };
    for _ in 1..max_digits {
        match chars.peek().and_then(|c| c.to_digit(8)) {
            Some(digit) => {
                code = code * 8 + digit;
                chars.next();
            }
            None => break,
        }
    }
    char::from_u32(code).unwrap_or('\u{fffd}')
}

/// The code point of `XXXX` or `{X…}` after `\u`, consuming it; `None` (and
/// nothing consumed) when it is malformed.
fn unicode_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<u32> {
    if chars.peek() == Some(&'{') {
        let mut lookahead = chars.clone();
        lookahead.next();
        let mut code: u32 = 0;
        let mut digits = 0;
        loop {
            let c = lookahead.next()?;
            if c == '}' {
                break;
            }
            code = code.checked_mul(16)?.checked_add(c.to_digit(16)?)?;
            digits += 1;
        }
        if digits == 0 || code > 0x10_ffff {
            return None;
        }
        *chars = lookahead;
        Some(code)
    } else {
        hex_digits(chars, 4)
    }
}

/// Exactly `count` hex digits, consumed only when all are there.
fn hex_digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, count: usize) -> Option<u32> {
    let mut lookahead = chars.clone();
    let mut code = 0;
    for _ in 0..count {
        code = code * 16 + lookahead.next()?.to_digit(16)?;
    }
    *chars = lookahead;
    Some(code)
}

/// Appends a UTF-16 code unit or code point, pairing surrogate halves.
fn push_code_unit(out: &mut String, pending_high: &mut Option<u32>, code: u32) {
    match code {
        0xd800..=0xdbff => {
            flush_surrogate(out, pending_high);
            *pending_high = Some(code);
        }
        0xdc00..=0xdfff => match pending_high.take() {
            Some(high) => {
                let combined = 0x10000 + ((high - 0xd800) << 10) + (code - 0xdc00);
                out.push(char::from_u32(combined).unwrap_or('\u{fffd}'));
            }
            None => out.push('\u{fffd}'),
        },
        _ => {
            flush_surrogate(out, pending_high);
            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
        }
    }
}

/// A high surrogate with no low half is not a character: it becomes U+FFFD.
fn flush_surrogate(out: &mut String, pending_high: &mut Option<u32>) {
    if pending_high.take().is_some() {
        out.push('\u{fffd}');
    }
}

/// Decodes the HTML character references JSX resolves in attribute strings:
/// the common named ones and numeric ones. Unknown references stay as written.
fn html_references(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some((before, after)) = rest.split_once('&') {
        out.push_str(before);
        match html_reference(after) {
            Some((c, len)) => {
                out.push(c);
                rest = after.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of the reference at the start of `text` (just after its
/// `&`), and the length of the reference up to and including its `;`.
fn html_reference(text: &str) -> Option<(char, usize)> {
    let (name, _) = text
        .get(..MAX_REFERENCE_LEN.min(text.len()))
        .unwrap_or(text)
        .split_once(';')?;
    let c = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            _ => return None,
        }
    };
    Some((c, name.len() + 1))
}

/// The longest reference looked for, `;` included (`&#x10FFFF;` is 9 after the `&`).
const MAX_REFERENCE_LEN: usize = 11;

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(raw: &str) -> String {
        decode(raw, Mode::Quoted).0
    }

    #[test]
    fn plain_text_is_verbatim() {
        assert_eq!(decode("abc def", Mode::Quoted), ("abc def".to_string(), true));
        assert_eq!(decode("a\\b", Mode::Raw), ("a\\b".to_string(), true));
        assert_eq!(decode("a\\nb", Mode::Jsx), ("a\\nb".to_string(), true));
    }

    #[test]
    fn simple_escapes() {
        assert_eq!(quoted(r"a\nb\tc\rd\be\ff\vg"), "a\nb\tc\rd\u{8}e\u{c}f\u{b}g");
        assert_eq!(quoted(r#"\'\"\\"#), "'\"\\");
        assert_eq!(quoted(r"\q\-\ "), "q- ");
        assert_eq!(decode(r"\n", Mode::Quoted), ("\n".to_string(), false));
    }

    #[test]
    fn hex_and_unicode_escapes() {
        assert_eq!(quoted(r"\x41\u0042\u{43}\u{1F600}"), "ABC😀");
        assert_eq!(quoted(r"\uD83D\uDE00"), "😀");
        assert_eq!(quoted(r"\uD83Dx"), "\u{fffd}x");
        assert_eq!(quoted(r"\uDE00"), "\u{fffd}");
        // Malformed escapes keep their text.
        assert_eq!(quoted(r"\xZ1\u12\u{}\u{110000}"), "xZ1u12u{}u{110000}");
        assert_eq!(quoted(r"\u{FFFFFFFFFFFF}"), "u{FFFFFFFFFFFF}");
    }

    #[test]
    fn nul_and_legacy_octal() {
        assert_eq!(quoted(r"\0"), "\0");
        assert_eq!(quoted(r"\101\7\08\8\9"), "A\u{7}\u{0}889");
        assert_eq!(quoted(r"\477"), "'7");
        // Templates only know `\0` not followed by a digit.
        assert_eq!(decode(r"\0a\1", Mode::Template).0, "\0a1");
    }

    #[test]
    fn line_continuations() {
        assert_eq!(quoted("a\\\nb\\\r\nc\\\rd\\\u{2028}e"), "abcde");
        assert_eq!(decode("a\r\nb\rc", Mode::Template), ("a\nb\nc".to_string(), false));
        assert_eq!(decode("a\r\nb", Mode::Raw), ("a\nb".to_string(), false));
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote("\"ab\""), "ab");
        assert_eq!(unquote("'ab"), "ab");
        assert_eq!(unquote("ab"), "ab");
        assert_eq!(unquote("\""), "");
        assert_eq!(unquote(""), "");
    }

    #[test]
    fn trailing_backslash_is_kept() {
        assert_eq!(quoted("ab\\"), "ab\\");
    }

    #[test]
    fn jsx_references() {
        assert_eq!(decode("a&amp;b&#65;&#x42;&lt;&nope;&", Mode::Jsx).0, "a&bAB<&nope;&");
        assert_eq!(decode("&#xFFFFFFFFF;", Mode::Jsx).0, "&#xFFFFFFFFF;");
    }

    #[test]
    fn never_panics_on_odd_text() {
        for raw in [
            "\\",
            "\\u",
            "\\u{",
            "\\x",
            "\\x4",
            "é\\é",
            "\\\u{2029}",
            "&",
            "&#;",
            "&#x;",
            "\\uD800\\uD800",
        ] {
            for mode in [Mode::Quoted, Mode::Template, Mode::Raw, Mode::Jsx] {
                let _ = decode(raw, mode);
            }
        }
    }
}
