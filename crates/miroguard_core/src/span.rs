//! Byte spans in a source text and their conversion to lines and columns.

use serde::Serialize;

/// A half-open byte range `start..end` in one source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; `end` is raised to `start` if it lies before it.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether `self` and `other` share at least one byte (or are the same empty point).
    pub fn overlaps(&self, other: Span) -> bool {
        (self.start < other.end && other.start < self.end) || *self == other
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The text this span covers, or `""` when it does not fall on character
    /// boundaries of `source`.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(range: std::ops::Range<usize>) -> Span {
        Span::new(range.start, range.end)
    }
}

/// A position in a source text in every unit an output format may want.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column counted in Unicode scalar values.
    pub column: u32,
    /// 1-based column counted in UTF-16 code units (what SARIF and LSP use by default).
    pub column_utf16: u32,
    /// 0-based byte offset into the text.
    pub offset: usize,
}

/// Line starts of a text, for turning byte offsets into positions.
///
/// Built only for files that have findings: most files have none, and the
/// scan never pays for a line index it does not need.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    /// Index the line starts of `text`. Lines end at `\n`; a `\r` before it
    /// belongs to the line.
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    /// Number of lines (a text without a trailing newline still has its last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line of the byte at `offset` (offsets past the end map to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset.min(self.len)) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte range of 0-based `line`, including its line terminator.
    pub fn line_span(&self, line: usize) -> Span {
        let start = self.line_starts.get(line).copied().unwrap_or(self.len);
        let end = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        Span::new(start, end)
    }

    /// Byte range of 0-based `line` without its `\n` or `\r\n` terminator.
    pub fn line_content_span(&self, text: &str, line: usize) -> Span {
        let span = self.line_span(line);
        let content = span.text(text);
        let trimmed = content.strip_suffix('\n').unwrap_or(content);
        let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
        Span::new(span.start, span.start + trimmed.len())
    }

    /// The positions of many `offsets` in `text`, in their order. Columns are
    /// counted once per line from the previous offset on it, so thousands of
    /// findings on one long line (minified code) cost one pass over it.
    pub fn positions(&self, text: &str, offsets: &[usize]) -> Vec<Position> {
        let mut order: Vec<usize> = (0..offsets.len()).collect();
        order.sort_by_key(|&i| offsets[i]);
        let mut out = vec![Position::default(); offsets.len()];
        // (line, offset, column, UTF-16 column) of the last position computed.
        let mut last: Option<(usize, usize, u32, u32)> = None;
        for i in order {
            let mut offset = offsets[i].min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let line = self.line_of(offset);
            let (from, column, column_utf16) = match last {
                Some((l, at, column, column_utf16)) if l == line => (at, column, column_utf16),
                _ => (self.line_starts[line], 1, 1),
            };
            let between = &text[from..offset];
            let column = column + between.chars().count() as u32;
            let column_utf16 = column_utf16 + between.encode_utf16().count() as u32;
            last = Some((line, offset, column, column_utf16));
            out[i] = Position {
                line: line as u32 + 1,
                column,
                column_utf16,
                offset,
            };
        }
        out
    }

    /// The position of byte `offset` in `text` (which must be the indexed text).
    /// An offset inside a multi-byte character is moved back to its start.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let line_start = self.line_starts[line];
        let before = &text[line_start..offset];
        let column = before.chars().count() as u32 + 1;
        let column_utf16 = before.encode_utf16().count() as u32 + 1;
        Position {
            line: line as u32 + 1,
            column,
            column_utf16,
            offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_bulk_match_one_at_a_time() {
        let text = "ab\nçé𝄞x\r\nlast 𝄞 line";
        let index = LineIndex::new(text);
        let offsets: Vec<usize> = vec![30, 0, 5, 3, 9, 14, 5, 100, 6, 2];
        let one_by_one: Vec<Position> = offsets.iter().map(|&o| index.position(text, o)).collect();
        assert_eq!(index.positions(text, &offsets), one_by_one);
    }

    #[test]
    fn positions_count_chars_and_utf16_units() {
        let text = "ab\nçé𝄞x\r\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        let x = text.find('x').unwrap();
        let pos = index.position(text, x);
        assert_eq!((pos.line, pos.column, pos.column_utf16), (2, 4, 5));
        let last = text.find("last").unwrap();
        assert_eq!(index.position(text, last).line, 3);
        assert_eq!(index.line_content_span(text, 1).text(text), "çé𝄞x");
    }

    #[test]
    fn offsets_past_the_end_and_inside_chars_are_clamped() {
        let text = "é";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 1).column, 1);
        assert_eq!(index.position(text, 99).column, 2);
    }

    #[test]
    fn spans_overlap_and_contain() {
        let a = Span::new(2, 6);
        assert!(a.overlaps(Span::new(5, 9)));
        assert!(!a.overlaps(Span::new(6, 9)));
        assert!(a.contains(Span::new(3, 6)));
        assert_eq!(Span::new(5, 1), Span::new(5, 5));
    }
}
