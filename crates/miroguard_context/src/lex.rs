//! Byte-level helpers for reading JavaScript without parsing it.
//!
//! Every helper takes an explicit bound: extraction runs on every file of a
//! scan, minified bundles included, so nothing may scan further than a few
//! hundred bytes from a keyword hit.

use memchr::{memchr, memmem, memrchr};

/// Whether `b` can continue a JavaScript identifier (non-ASCII bytes count:
/// they are parts of Unicode identifiers far more often than of operators).
pub(crate) fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// The index of the first byte at or after `i` that is neither whitespace nor
/// inside a comment, never beyond `end` (or the end of `bytes`).
pub(crate) fn skip_trivia(bytes: &[u8], mut i: usize, end: usize) -> usize {
    let end = end.min(bytes.len());
    while i < end {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr(b'\n', &bytes[i..end]).map_or(end, |n| i + n + 1);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let from = (i + 2).min(end);
                i = memmem::find(&bytes[from..end], b"*/").map_or(end, |n| from + n + 2);
            }
            _ => break,
        }
    }
    i.min(end)
}

/// Skips spaces, tabs and comments that stay on the current line.
pub(crate) fn skip_inline_space(bytes: &[u8], mut i: usize, end: usize) -> usize {
    let end = end.min(bytes.len());
    while i < end {
        match bytes[i] {
            b' ' | b'\t' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let from = (i + 2).min(end);
                match memmem::find(&bytes[from..end], b"*/") {
                    Some(n) if memchr(b'\n', &bytes[from..from + n]).is_none() => i = from + n + 2,
                    _ => break,
                }
            }
            _ => break,
        }
    }
    i.min(end)
}

/// A complete string literal starting at `i` (a `'`, `"` or backtick without
/// substitutions, no escapes, at most `max_len` bytes): the range of its
/// content and the index just after it.
pub(crate) fn string_at(bytes: &[u8], i: usize, max_len: usize) -> Option<(usize, usize, usize)> {
    let (start, end, closed) = string_prefix_at(bytes, i, max_len)?;
    closed.then_some((start, end, end + 1))
}

/// The leading literal part of a string starting at `i`: its content range
/// up to the closing quote or the first `${`, and whether the quote closed it.
pub(crate) fn string_prefix_at(bytes: &[u8], i: usize, max_len: usize) -> Option<(usize, usize, bool)> {
    let quote = *bytes.get(i)?;
    if !matches!(quote, b'\'' | b'"' | b'`') {
        return None;
    }
    let start = i + 1;
    let limit = start.saturating_add(max_len).min(bytes.len());
    let mut j = start;
    while j < limit {
        match bytes[j] {
            b'\\' => return None,
            b'\n' | b'\r' if quote != b'`' => return None,
            b'$' if quote == b'`' && bytes.get(j + 1) == Some(&b'{') => return Some((start, j, false)),
            b if b == quote => return Some((start, j, true)),
            _ => j += 1,
        }
    }
    None
}

/// The index after a string literal of any content starting at `i`
/// (escapes honoured, template substitutions not nested), or `end`.
pub(crate) fn skip_string(bytes: &[u8], i: usize, end: usize) -> usize {
    let end = end.min(bytes.len());
    let Some(&quote) = bytes.get(i) else { return end };
    let mut j = i + 1;
    while j < end {
        match bytes[j] {
            b'\\' => j += 2,
            b'\n' if quote != b'`' => return j,
            b if b == quote => return j + 1,
            _ => j += 1,
        }
    }
    end
}

/// Whether the keyword occupying `start..end` stands alone: no identifier
/// byte right after it, and before it neither an identifier byte nor (unless
/// `member_ok`) a `.` that would make it a property.
pub(crate) fn is_word(bytes: &[u8], start: usize, end: usize, member_ok: bool) -> bool {
    let before_ok = match start.checked_sub(1).and_then(|i| bytes.get(i)) {
        None => true,
        Some(&b) => !is_ident(b) && (member_ok || b != b'.'),
    };
    before_ok && !bytes.get(end).is_some_and(|&b| is_ident(b))
}

/// Whether the word `word` starts at `i` and stands alone.
pub(crate) fn word_at(bytes: &[u8], i: usize, word: &[u8]) -> bool {
    bytes.get(i..i + word.len()) == Some(word) && !bytes.get(i + word.len()).is_some_and(|&b| is_ident(b))
}

/// How far back [`in_comment`] looks for the start of a line.
const LOOKBACK: usize = 1024;

/// Whether `pos` is probably inside a comment: its line starts a `//` or a
/// block comment (or continues one with `*`), or a `//` that is not part of
/// a URL comes earlier on the line. Block comments whose inner lines do not
/// start with `*` are missed; that is the price of looking back only a
/// bounded distance, which minified one-line files need.
pub(crate) fn in_comment(bytes: &[u8], pos: usize) -> bool {
    let pos = pos.min(bytes.len());
    let low = pos.saturating_sub(LOOKBACK);
    let window = &bytes[low..pos];
    let (line, at_line_start) = match memrchr(b'\n', window) {
        Some(n) => (&window[n + 1..], true),
        None => (window, low == 0),
    };
    if at_line_start {
        let first = line
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map_or(&[][..], |n| &line[n..]);
        if first.starts_with(b"//") || first.starts_with(b"/*") || first.starts_with(b"*") {
            return true;
        }
    }
    memmem::find_iter(line, b"//").any(|n| n == 0 || line[n - 1] != b':')
}

/// Lines longer than this are not followed by [`StringTracker`]: they are
/// minified code, where a regular expression with a lone quote would throw
/// the tracking off for the rest of the file.
const MAX_TRACKED_LINE: usize = 64 * 1024;

/// Tells whether positions, asked in increasing order, are inside a string
/// literal or comment of their line. Quote state resets at each line end (a
/// template literal spanning lines is not followed), so one mistake (a
/// quote in a regular expression) lasts one line. Each byte is read at most
/// twice, whatever the number of questions.
#[derive(Default)]
pub(crate) struct StringTracker {
    line_start: usize,
    pos: usize,
    quote: Option<u8>,
    comment: bool,
    untracked: bool,
}

impl StringTracker {
    /// Whether `at` is inside a string literal (or a comment) that starts earlier on its line.
    pub(crate) fn inside(&mut self, bytes: &[u8], at: usize) -> bool {
        let at = at.min(bytes.len());
        if at < self.pos {
            return self.quote.is_some() || self.comment;
        }
        if let Some(n) = memrchr(b'\n', &bytes[self.pos..at]) {
            *self = StringTracker {
                line_start: self.pos + n + 1,
                pos: self.pos + n + 1,
                ..StringTracker::default()
            };
        }
        if self.untracked || at - self.line_start > MAX_TRACKED_LINE {
            self.untracked = true;
            self.pos = at;
            return false;
        }
        let mut i = self.pos;
        while i < at && !self.comment {
            let b = bytes[i];
            match self.quote {
                Some(_) if b == b'\\' => i += 1,
                Some(open) if b == open => self.quote = None,
                Some(_) => {}
                None => match b {
                    b'\'' | b'"' | b'`' => self.quote = Some(b),
                    b'/' if matches!(bytes.get(i + 1), Some(b'/' | b'*')) => self.comment = true,
                    _ => {}
                },
            }
            i += 1;
        }
        self.pos = i.max(at);
        self.quote.is_some() || self.comment
    }
}

/// Keywords after which `(` opens a condition, not a parameter list.
const CONTROL_WORDS: [&[u8]; 6] = [b"if", b"while", b"for", b"switch", b"with", b"return"];

/// Whether the module declares a binding named `name` that shadows the
/// global: `const`/`let`/`var name`, `name =>`, a parameter of a function
/// (`(a, name, b) {`, `(name) =>`, `(name: T`).
pub(crate) fn declares_local(bytes: &[u8], name: &[u8]) -> bool {
    memmem::find_iter(bytes, name).any(|at| {
        let end = at + name.len();
        if !is_word(bytes, at, end, false) {
            return false;
        }
        // What comes before, skipping spaces.
        let mut before = at;
        while before > 0 && matches!(bytes[before - 1], b' ' | b'\t') {
            before -= 1;
        }
        let previous_word = {
            let mut start = before;
            while start > 0 && is_ident(bytes[start - 1]) {
                start -= 1;
            }
            &bytes[start..before]
        };
        if matches!(previous_word, b"const" | b"let" | b"var") {
            return true;
        }
        let after = skip_inline_space(bytes, end, end + 64);
        if bytes[after..].starts_with(b"=>") {
            return true;
        }
        let opener = before.checked_sub(1).map(|i| bytes[i]);
        if !matches!(opener, Some(b'(' | b',')) {
            return false;
        }
        if opener == Some(b'(') && bytes.get(after) == Some(&b':') {
            return true;
        }
        if opener == Some(b'(') {
            let mut word_end = before - 1;
            while word_end > 0 && bytes[word_end - 1] == b' ' {
                word_end -= 1;
            }
            let mut word_start = word_end;
            while word_start > 0 && is_ident(bytes[word_start - 1]) {
                word_start -= 1;
            }
            if CONTROL_WORDS.contains(&&bytes[word_start..word_end]) {
                return false;
            }
        }
        // A parameter list: only names, commas and defaults up to `)`, then `{` or `=>`.
        let limit = (end + 200).min(bytes.len());
        let Some(close) = bytes[end..limit]
            .iter()
            .position(|&b| matches!(b, b')' | b'(' | b';' | b'\n'))
        else {
            return false;
        };
        let close = end + close;
        if bytes[close] != b')' {
            return false;
        }
        let mut next = skip_inline_space(bytes, close + 1, close + 64);
        if bytes.get(next) == Some(&b':') {
            // A TypeScript return type: the body follows on the same line.
            let limit = (next + 200).min(bytes.len());
            match bytes[next..limit]
                .iter()
                .position(|&b| matches!(b, b'{' | b'=' | b';' | b'\n'))
            {
                Some(n) => next += n,
                None => return false,
            }
        }
        bytes.get(next) == Some(&b'{') || bytes[next..].starts_with(b"=>")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivia_is_skipped_within_bounds() {
        let text = b"  // c\n /* d */ x";
        assert_eq!(skip_trivia(text, 0, text.len()), text.len() - 1);
        assert_eq!(skip_trivia(text, 0, 3), 3);
        assert_eq!(skip_trivia(b"/* open", 0, 100), 7);
        assert_eq!(skip_inline_space(b" /* a */ x", 0, 100), 9);
        assert_eq!(skip_inline_space(b" /* a\n */ x", 0, 100), 1);
    }

    #[test]
    fn strings() {
        let text = b"'abc' \"d\" `e${f}` 'g\\'";
        assert_eq!(string_at(text, 0, 100), Some((1, 4, 5)));
        assert_eq!(string_at(text, 6, 100), Some((7, 8, 9)));
        assert_eq!(string_at(text, 10, 100), None);
        assert_eq!(string_prefix_at(text, 10, 100), Some((11, 12, false)));
        assert_eq!(string_at(text, 18, 100), None);
        assert_eq!(string_at(b"'abc", 0, 100), None);
        assert_eq!(string_at(b"'abcdef'", 0, 3), None);
        assert_eq!(skip_string(b"'a\\'b' x", 0, 100), 6);
    }

    #[test]
    fn words() {
        let text = b"a.import(x) import imports";
        assert!(!is_word(text, 2, 8, false));
        assert!(is_word(text, 2, 8, true));
        assert!(is_word(text, 12, 18, false));
        assert!(!is_word(text, 19, 25, false));
        assert!(word_at(b"type {", 0, b"type") && !word_at(b"typeof", 0, b"type"));
    }

    #[test]
    fn strings_on_the_line() {
        let text = b"a('x window.y'); window.z; `t ${w} window.q`\n'a\\\\' + window.x /* window.c */\nwindow.d";
        let at = |needle: &[u8]| memmem::find(text, needle).unwrap();
        let mut tracker = StringTracker::default();
        assert!(tracker.inside(text, at(b"window.y")));
        assert!(!tracker.inside(text, at(b"window.z")));
        assert!(tracker.inside(text, at(b"window.q")));
        assert!(!tracker.inside(text, at(b"window.x")));
        assert!(tracker.inside(text, at(b"window.c")));
        assert!(!tracker.inside(text, at(b"window.d")));
        let long = [b"'".to_vec(), b"a".repeat(MAX_TRACKED_LINE + 10), b" window.e".to_vec()].concat();
        assert!(!StringTracker::default().inside(&long, long.len() - 8));
    }

    #[test]
    fn local_declarations() {
        assert!(declares_local(b"let window = 5;", b"window"));
        assert!(declares_local(b"xs.map(document => 1)", b"document"));
        assert!(declares_local(b"function f(a, document = {}, c) { }", b"document"));
        assert!(declares_local(b"const g = (document) => 1", b"document"));
        assert!(!declares_local(b"f(document); if (document) { }", b"document"));
        assert!(declares_local(b"function u(s: S, document: R): void {", b"document"));
        assert!(declares_local(
            b"const u = (s, document): Promise<void> => x",
            b"document"
        ));
        assert!(!declares_local(b"mydocument => 1; x.document => 2", b"document"));
    }

    #[test]
    fn comments() {
        let text = b"x = 1; // window.x\n * window.y\nconst u = 'https://a'; window.z\n";
        let at = |needle: &[u8]| memmem::find(text, needle).unwrap();
        assert!(in_comment(text, at(b"window.x")));
        assert!(in_comment(text, at(b"window.y")));
        assert!(!in_comment(text, at(b"window.z")));
        let long = [b"a".repeat(1000), b" window.q".to_vec()].concat();
        assert!(!in_comment(&long, 1001));
    }
}
