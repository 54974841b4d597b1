//! A small lexer for Rust source that knows just enough to find comments and
//! measure nesting without parsing: where strings, raw strings, characters,
//! lifetimes and comments start and end.
//!
//! It never fails and never panics: anything unterminated runs to the end of
//! the text, and every token boundary falls on an ASCII byte or the end, so
//! slicing `source[start..end]` is always valid.

/// What a token is, as far as comments and nesting care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `// …` up to (not including) the line break.
    LineComment,
    /// `/* … */`, nested.
    BlockComment,
    /// A string, raw string, byte string, C string, character or byte literal.
    Literal,
    /// `'a`, `'static`, `'label`.
    Lifetime,
    /// An identifier, keyword or number.
    Word,
    /// One byte of punctuation (compound operators come as several tokens).
    Punct,
}

/// One token: its kind and byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// The tokens of a Rust source, in order.
pub(crate) struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    /// Lexes `source` from its start, skipping a shebang line and a
    /// frontmatter block the way rustc does.
    pub(crate) fn new(source: &'a str) -> Lexer<'a> {
        Lexer {
            src: source.as_bytes(),
            pos: prelude_len(source),
        }
    }

    fn byte(&self, at: usize) -> u8 {
        self.src.get(at).copied().unwrap_or(0)
    }

    fn token(&mut self, kind: Kind, start: usize, end: usize) -> Token {
        let end = end.min(self.src.len()).max(start);
        self.pos = end;
        Token { kind, start, end }
    }

    fn line_comment(&mut self, start: usize) -> Token {
        let end = memchr_newline(self.src, start);
        // The `\r` of a CRLF line ending is not part of the comment.
        let end = if end > start && self.src[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        self.token(Kind::LineComment, start, end)
    }

    fn block_comment(&mut self, start: usize) -> Token {
        let mut depth = 0usize;
        let mut i = start;
        while i + 1 < self.src.len() {
            match (self.src[i], self.src[i + 1]) {
                (b'/', b'*') => {
                    depth += 1;
                    i += 2;
                }
                (b'*', b'/') => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        return self.token(Kind::BlockComment, start, i);
                    }
                }
                _ => i += 1,
            }
        }
        self.token(Kind::BlockComment, start, self.src.len())
    }

    /// A `"…"` string whose opening quote is at `quote`.
    fn cooked_string(&mut self, start: usize, quote: usize) -> Token {
        let mut i = quote + 1;
        while i < self.src.len() {
            match self.src[i] {
                b'\\' => i += 2,
                b'"' => return self.token(Kind::Literal, start, i + 1),
                _ => i += 1,
            }
        }
        self.token(Kind::Literal, start, self.src.len())
    }

    /// A raw string whose `#`s (if any) start at `hashes`; `None` if it is not one.
    fn raw_string(&mut self, start: usize, hashes: usize) -> Option<Token> {
        let count = self.src[hashes..].iter().take_while(|&&b| b == b'#').count();
        if self.byte(hashes + count) != b'"' {
            return None;
        }
        let mut i = hashes + count + 1;
        while i < self.src.len() {
            if self.src[i] == b'"' && self.src[i + 1..].iter().take(count).filter(|&&b| b == b'#').count() == count {
                return Some(self.token(Kind::Literal, start, i + 1 + count));
            }
            i += 1;
        }
        Some(self.token(Kind::Literal, start, self.src.len()))
    }

    /// A character literal or a lifetime at the `'` at `quote`.
    fn quote(&mut self, start: usize, quote: usize) -> Token {
        let next = self.byte(quote + 1);
        if next == b'\\' {
            // An escape: the literal ends at the next quote on this line, which
            // `\u{…}` puts at most a dozen bytes away.
            let from = quote + 3;
            let limit = (from + 12).min(self.src.len());
            let end = (from.min(limit)..limit)
                .find(|&i| self.src[i] == b'\'' || self.src[i] == b'\n')
                .filter(|&i| self.src[i] == b'\'')
                .map_or(from, |i| i + 1);
            return self.token(Kind::Literal, start, end);
        }
        if quote + 1 >= self.src.len() {
            return self.token(Kind::Punct, quote, quote + 1);
        }
        let width = utf8_width(next);
        if self.byte(quote + 1 + width) == b'\'' {
            return self.token(Kind::Literal, start, quote + 2 + width);
        }
        if is_word_byte(next) {
            let end = self.word_end(quote + 1);
            return self.token(Kind::Lifetime, quote, end);
        }
        self.token(Kind::Punct, quote, quote + 1)
    }

    fn word_end(&self, from: usize) -> usize {
        from + self.src[from.min(self.src.len())..]
            .iter()
            .take_while(|&&b| is_word_byte(b))
            .count()
    }

    fn word(&mut self, start: usize) -> Token {
        let end = self.word_end(start);
        let word = &self.src[start..end];
        match (word, self.byte(end)) {
            (b"r" | b"br" | b"cr", b'"' | b'#') => {
                if let Some(token) = self.raw_string(start, end) {
                    return token;
                }
                if word == b"r" && self.byte(end) == b'#' && is_word_byte(self.byte(end + 1)) {
                    let end = self.word_end(end + 1);
                    return self.token(Kind::Word, start, end);
                }
            }
            (b"b" | b"c", b'"') => return self.cooked_string(start, end),
            (b"b", b'\'') => return self.quote(start, end),
            _ => {}
        }
        self.token(Kind::Word, start, end)
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let start = self.pos
            + self
                .src
                .get(self.pos..)?
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        let first = *self.src.get(start)?;
        Some(match first {
            b'/' if self.byte(start + 1) == b'/' => self.line_comment(start),
            b'/' if self.byte(start + 1) == b'*' => self.block_comment(start),
            b'"' => self.cooked_string(start, start),
            b'\'' => self.quote(start, start),
            _ if is_word_byte(first) => self.word(start),
            _ => self.token(Kind::Punct, start, start + 1),
        })
    }
}

/// Whether `b` can be part of an identifier or number. Every non-ASCII byte
/// counts, so that a multi-byte character is never split.
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn memchr_newline(src: &[u8], from: usize) -> usize {
    src[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(src.len(), |i| from + i)
}

/// The length of a `#!` shebang line at the start of `source` (after a BOM),
/// or 0. `#![attr]` is an inner attribute, not a shebang, even with comments
/// or whitespace between `#!` and `[`, as rustc and syn decide.
pub(crate) fn shebang_len(source: &str) -> usize {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &source[bom..];
    if !text.starts_with("#!") {
        return bom;
    }
    let mut rest = Lexer {
        src: text.as_bytes(),
        pos: 2,
    };
    // Like rustc, skip plain comments but stop at doc comments.
    let is_attribute = loop {
        match rest.next() {
            Some(token) if matches!(token.kind, Kind::LineComment | Kind::BlockComment) => {
                if is_doc_comment(&text[token.start..token.end]) {
                    break false;
                }
            }
            Some(token) => break text.as_bytes()[token.start] == b'[',
            None => break false,
        }
    };
    if is_attribute {
        bom
    } else {
        bom + memchr_newline(text.as_bytes(), 0)
    }
}

/// The length of what starts a file but is not Rust code, as rustc skips
/// it: a byte order mark, a `#!` shebang line, and a cargo-script
/// frontmatter block (`---toml` … `---`).
pub(crate) fn prelude_len(source: &str) -> usize {
    let shebang = shebang_len(source);
    shebang + frontmatter_len(&source[shebang..])
}

/// The length of a frontmatter block at the start of `text` (after blank
/// space), through its closing fence; 0 if there is none or it is unclosed.
fn frontmatter_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let start = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let fence = bytes[start..].iter().take_while(|&&b| b == b'-').count();
    if fence < 3 {
        return 0;
    }
    let mut line_start = memchr_newline(bytes, start) + 1;
    while line_start < bytes.len() {
        let line_end = memchr_newline(bytes, line_start);
        let line = text[line_start..line_end].trim_end();
        if line.len() == fence && line.bytes().all(|b| b == b'-') {
            return line_end;
        }
        line_start = line_end + 1;
    }
    0
}

/// Whether a comment is a doc comment (`///`, `//!`, `/** */`, `/*! */`),
/// which rustc turns into a `#[doc]` attribute.
pub(crate) fn is_doc_comment(comment: &str) -> bool {
    (comment.starts_with("///") && !comment.starts_with("////"))
        || comment.starts_with("//!")
        || (comment.starts_with("/**") && !comment.starts_with("/***") && comment != "/**/")
        || comment.starts_with("/*!")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(Kind, &str)> {
        Lexer::new(source).map(|t| (t.kind, &source[t.start..t.end])).collect()
    }

    #[test]
    fn literals_hide_what_looks_like_comments() {
        let tokens = kinds(r###"a "//x" r#"/*"# br##"a"#"##  b"\"" c"x" b'\'' '"' '\u{1F600}' x"###);
        assert_eq!(
            tokens,
            [
                (Kind::Word, "a"),
                (Kind::Literal, "\"//x\""),
                (Kind::Literal, "r#\"/*\"#"),
                (Kind::Literal, "br##\"a\"#\"##"),
                (Kind::Literal, "b\"\\\"\""),
                (Kind::Literal, "c\"x\""),
                (Kind::Literal, "b'\\''"),
                (Kind::Literal, "'\"'"),
                (Kind::Literal, "'\\u{1F600}'"),
                (Kind::Word, "x"),
            ]
        );
    }

    #[test]
    fn lifetimes_are_not_characters() {
        let tokens = kinds("fn f<'a>(x: &'a str) -> 'static { 'é' }");
        assert!(tokens.contains(&(Kind::Lifetime, "'a")));
        assert!(tokens.contains(&(Kind::Lifetime, "'static")));
        assert!(tokens.contains(&(Kind::Literal, "'é'")));
    }

    #[test]
    fn raw_identifiers_and_prefixed_words() {
        assert_eq!(kinds("r#type br"), [(Kind::Word, "r#type"), (Kind::Word, "br")]);
        assert_eq!(kinds("r#"), [(Kind::Word, "r"), (Kind::Punct, "#")]);
    }

    #[test]
    fn shebangs_are_skipped_but_inner_attributes_are_not() {
        assert_eq!(shebang_len("#!/usr/bin/env run\nfn main() {}"), 18);
        assert_eq!(shebang_len("#![allow(x)]"), 0);
        assert_eq!(shebang_len("#! // c\n [allow(x)]"), 0);
        assert_eq!(shebang_len("#! /// doc\n[allow(x)]"), 10);
        assert_eq!(shebang_len("\u{feff}#!x"), 6);
        assert_eq!(shebang_len("\u{feff}fn"), 3);
    }

    #[test]
    fn frontmatter_is_skipped_when_closed() {
        let script = "#!/usr/bin/env -S cargo -Zscript\n---cargo\n[dependencies]\nx = \"1\" # \"\n---\nfn main() {}";
        assert_eq!(&script[prelude_len(script)..], "\nfn main() {}");
        assert_eq!(prelude_len("\n\n----\n---\n----\nfn f() {}"), 15);
        assert_eq!(prelude_len("---\nunclosed"), 0);
        assert_eq!(prelude_len("--x"), 0);
        assert_eq!(prelude_len("-"), 0);
        assert_eq!(kinds("#!/bin/x \"\nx"), [(Kind::Word, "x")]);
    }

    #[test]
    fn unterminated_things_run_to_the_end() {
        for source in ["\"abc", "r##\"abc\"#", "/* /* */", "'", "'\\", "b'", "r#", "'\\u{12"] {
            let tokens: Vec<Token> = Lexer::new(source).collect();
            assert!(
                tokens
                    .iter()
                    .all(|t| t.end <= source.len() && source.is_char_boundary(t.start))
            );
        }
    }
}
