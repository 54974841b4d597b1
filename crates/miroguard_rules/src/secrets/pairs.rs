//! `name = value` pairs in text: `.env` and shell (`KEY=value`, `export KEY="value"`),
//! YAML (`key: value`), JSON (`"key": "value"`), TOML and INI (`key = "value"`),
//! properties (`a.b.key=value`), CLI flags (`--api-key=value`), HTTP headers in
//! docs (`Authorization: Bearer value`), and the same forms inside comments.
//!
//! A hand-written scanner rather than a regex: it runs over every line of
//! every text file and every comment, and the `regex` crate has no
//! backreferences to pair up quotes.

use miroguard_core::Span;

/// One `name = value` pair found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair<'a> {
    /// The name (the last dotted segment: `password` in `db.password`).
    pub name: &'a str,
    /// Where the name is (its last dotted segment), relative to the scanned text.
    pub name_span: Span,
    /// The value, without quotes.
    pub value: &'a str,
    /// Where the value is, relative to the scanned text.
    pub value_span: Span,
}

/// Calls `on_pair` with every pair in `text`, in order, until it returns
/// `false`. `name_filter` is asked first about each candidate name, so that
/// lines whose names can never matter cost little.
pub fn find_pairs<'a>(
    text: &'a str,
    mut name_filter: impl FnMut(&str) -> bool,
    mut on_pair: impl FnMut(Pair<'a>) -> bool,
) {
    let bytes = text.as_bytes();
    for sep in memchr::memchr2_iter(b'=', b':', bytes) {
        if let Some(pair) = pair_at(text, sep, &mut name_filter) {
            if !on_pair(pair) {
                return;
            }
        }
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

fn pair_at<'a>(text: &'a str, sep: usize, name_filter: &mut impl FnMut(&str) -> bool) -> Option<Pair<'a>> {
    let bytes = text.as_bytes();
    let sep_byte = bytes[sep];
    let prev = sep.checked_sub(1).map(|i| bytes[i]);
    let next = bytes.get(sep + 1).copied();
    // Not a separator: `==`, `!=`, `<=`, `>=`, `::`, `:=` handled as one, `=>` is one.
    let mut value_start = sep + 1;
    match sep_byte {
        b'=' => {
            if matches!(
                prev,
                Some(b'=' | b'!' | b'<' | b'>' | b':' | b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'?')
            ) {
                return None;
            }
            match next {
                Some(b'=') => return None,
                Some(b'>') => value_start += 1,
                _ => {}
            }
        }
        _ => {
            if prev == Some(b':') || next == Some(b':') {
                return None;
            }
            if next == Some(b'=') {
                value_start += 1;
            }
        }
    }

    // The name: skip spaces and a closing quote before the separator, then name bytes.
    let mut end = sep;
    while end > 0 && bytes[end - 1] == b' ' {
        end -= 1;
    }
    let quoted_name = end > 0 && matches!(bytes[end - 1], b'"' | b'\'');
    if quoted_name {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && is_name_byte(bytes[start - 1]) && end - start < 128 {
        start -= 1;
    }
    // Inside a URL (`user@pass:host`, `?key=value`) a name is not a name.
    if start > 0 && matches!(bytes[start - 1], b'@' | b'/' | b':' | b'?' | b'&' | b'=' | b'%') {
        return None;
    }
    let full_name = text.get(start..end)?.trim_start_matches('-');
    let name = full_name.rsplit('.').next().unwrap_or(full_name);
    let name_span = Span::new(end - name.len(), end);
    if name.len() < 3 || !name_filter(name) {
        return None;
    }

    // The value: skip spaces, then a quoted string (closed on this line, no escapes) or a bare word.
    let mut i = value_start;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    let first = *bytes.get(i)?;
    let (value_start, value_end) = if matches!(first, b'"' | b'\'' | b'`') {
        let open = i + 1;
        let close = open + memchr::memchr2(first, b'\n', bytes.get(open..)?)?;
        if bytes[close] != first || bytes[open..close].contains(&b'\\') {
            return None;
        }
        (open, close)
    } else {
        // A bare word ends at whitespace, a quote, a separator or a bracket;
        // `${A}` and `$(a)` are one word. A word followed by `(`, `<`, `[` or
        // `{`, or shaped like `a.b.c` or `a::b`, is code (a call, a generic,
        // a member), as in the examples of doc comments — not a value.
        let word_end = |from: usize| {
            if bytes[from..].starts_with(b"${") || bytes[from..].starts_with(b"$(") {
                let close = if bytes[from + 1] == b'{' { b'}' } else { b')' };
                if let Some(end) = memchr::memchr(close, &bytes[from..]) {
                    return from + end + 1;
                }
            }
            from + bytes[from..]
                .iter()
                .position(|&b| b.is_ascii_whitespace() || b"\"'`,;()[]{}<>".contains(&b))
                .unwrap_or(bytes.len() - from)
        };
        let mut end = word_end(i);
        if matches!(bytes.get(end), Some(b'(' | b'<' | b'[' | b'{')) || is_code_word(text.get(i..end)?) {
            return None;
        }
        // `Authorization: Bearer abc`: the credential is the word after the scheme.
        if end < bytes.len() && bytes[end] == b' ' && is_auth_scheme(text.get(i..end)?) {
            let next = end + 1;
            if next < bytes.len() && !bytes[next].is_ascii_whitespace() {
                end = word_end(next);
                if matches!(bytes.get(end), Some(b'(' | b'<' | b'[' | b'{')) {
                    return None;
                }
            }
        }
        (i, end)
    };
    let value = text.get(value_start..value_end)?;
    if value.is_empty() {
        return None;
    }
    Some(Pair {
        name,
        name_span,
        value,
        value_span: Span::new(value_start, value_end),
    })
}

/// `a.b.c`, `a::b`, `Token![x]`, `key=value&x=y`: code or a query string, not a value.
fn is_code_word(word: &str) -> bool {
    let identifier = |part: &str| {
        part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
            && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    };
    let member_chain = word.contains('.') && word.split('.').all(identifier);
    let negation = word
        .strip_prefix('!')
        .is_some_and(|rest| rest.split('.').all(identifier));
    member_chain
        || negation
        || word.contains("::")
        || word.contains('!') && word.ends_with('!')
        || word.contains('&')
        || word.trim_end_matches('=').contains('=')
}

fn is_auth_scheme(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "bearer" | "basic" | "token" | "bot" | "apikey"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(&str, &str)> {
        let mut out = Vec::new();
        find_pairs(
            text,
            |_| true,
            |pair| {
                out.push(pair);
                true
            },
        );
        for pair in &out {
            assert_eq!(pair.value_span.text(text), pair.value);
            assert_eq!(pair.name_span.text(text), pair.name);
        }
        out.into_iter().map(|p| (p.name, p.value)).collect()
    }

    #[test]
    fn finds_pairs_in_every_format() {
        assert_eq!(pairs("API_KEY=abc123\n"), [("API_KEY", "abc123")]);
        assert_eq!(pairs("export TOKEN=\"q w\"\n"), [("TOKEN", "q w")]);
        assert_eq!(pairs("  password: s3cr3t\n"), [("password", "s3cr3t")]);
        assert_eq!(
            pairs("{\"apiKey\": \"k1\", \"other\": 2}"),
            [("apiKey", "k1"), ("other", "2")]
        );
        assert_eq!(pairs("secret = 'v'\n"), [("secret", "v")]);
        assert_eq!(pairs("spring.datasource.password=pw1\n"), [("password", "pw1")]);
        assert_eq!(pairs("run --api-key=abc\n"), [("api-key", "abc")]);
        assert_eq!(
            pairs("-H \"Authorization: Bearer abc.def\""),
            [("Authorization", "Bearer abc.def")]
        );
        assert_eq!(pairs("token := \"x1\""), [("token", "x1")]);
        assert_eq!(pairs("'key' => 'v2'"), [("key", "v2")]);
        assert_eq!(pairs("KEY=${A_B}\n"), [("KEY", "${A_B}")]);
        assert_eq!(pairs("f(token=abc)"), [("token", "abc")]);
        assert_eq!(pairs("KEY=$(cat key.txt)\n"), [("KEY", "$(cat key.txt)")]);
        assert_eq!(pairs("TOKEN=YWJj=="), [("TOKEN", "YWJj==")]);
    }

    #[test]
    fn skips_what_is_not_a_pair() {
        assert!(pairs("if (a == b) {}").is_empty());
        assert!(pairs("std::env::var(x)").is_empty());
        assert!(pairs("key = \"unclosed\n").is_empty());
        assert!(pairs("key = \"has\\\"escape\"").is_empty());
        assert!(pairs("a != b; c <= d").is_empty());
        // code in doc comments
        assert!(pairs("/// let key = Key::from_slice(&bytes);").is_empty());
        assert!(pairs(" * const key = getLView();").is_empty());
        assert!(pairs("/// let cookie = jar.get(\"name\");").is_empty());
        assert!(pairs("//! let token = client.acquire()?;").is_empty());
        assert!(pairs("///     struct_token: Token![struct],").is_empty());
        assert!(pairs(" *   key: fs.readFileSync('server-key.pem'),").is_empty());
        assert!(
            !pairs("const SERVER: Token = Token(0);")
                .iter()
                .any(|(name, _)| *name == "Token")
        );
        assert!(pairs("/// https://h/path?key=value&key2=value2").is_empty());
        assert!(
            pairs("/// https://user@pass:example.com:443/")
                .iter()
                .all(|(name, _)| *name != "pass")
        );
        assert!(pairs("const session = source.createSession();").is_empty());
        assert!(pairs("a.exclamationToken=!questionToken").is_empty());
    }
}
