//! Open documents: their text, version, and the conversion between byte
//! offsets and LSP positions in the negotiated encoding.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
use miroguard_engine::SyntaxEdit;

/// How the `character` of an LSP position counts: negotiated at initialize.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 code units (bytes), when the client offers it.
    Utf8,
    /// UTF-16 code units: the protocol's default, and what VS Code uses.
    Utf16,
}

/// An open document as the editor sees it.
#[derive(Clone, Debug)]
pub struct Document {
    /// The current text.
    pub text: String,
    /// The version the editor gave with the last change.
    pub version: i32,
}

impl Document {
    /// Applies one change from `textDocument/didChange`, and says what it did
    /// to the bytes (for the syntax tree kept to reparse incrementally);
    /// `None` when the whole text was replaced. Ranges past the end of a line
    /// or of the text are clamped (editors do send them, and a server that
    /// rejects them drifts out of sync for good); a range whose ends are
    /// swapped is taken the right way round.
    pub fn apply(&mut self, change: TextDocumentContentChangeEvent, encoding: Encoding) -> Option<SyntaxEdit> {
        let range = match change.range {
            None => {
                self.text = change.text;
                return None;
            }
            Some(range) => range,
        };
        let lines = LineStarts::new(&self.text);
        let a = lines.offset(&self.text, range.start, encoding);
        let b = lines.offset(&self.text, range.end, encoding);
        let (start, old_end) = if a <= b { (a, b) } else { (b, a) };
        let start_point = point(&self.text, start);
        let old_end_point = point(&self.text, old_end);
        let inserted = &change.text;
        let new_end_point = match inserted.rfind('\n') {
            Some(last) => (
                start_point.0 + memchr::memchr_iter(b'\n', inserted.as_bytes()).count(),
                inserted.len() - last - 1,
            ),
            None => (start_point.0, start_point.1 + inserted.len()),
        };
        self.text.replace_range(start..old_end, inserted);
        Some(SyntaxEdit {
            start,
            old_end,
            new_end: start + inserted.len(),
            start_point,
            old_end_point,
            new_end_point,
        })
    }
}

/// The (row, byte column) of `offset`, rows counted at `\n` as tree-sitter counts them.
fn point(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset];
    let row = memchr::memchr_iter(b'\n', before).count();
    let column = offset - memchr::memrchr(b'\n', before).map_or(0, |at| at + 1);
    (row, column)
}

/// The byte offset of each line's start. LSP lines end at `\n`, `\r\n` or a
/// lone `\r`.
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineStarts {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for at in memchr_iter_line_ends(bytes) {
            starts.push(at);
        }
        LineStarts(starts)
    }

    /// The byte offset of `position` in `text`, clamped to the text, and
    /// rounded down to a character boundary when the position falls inside a
    /// character (half of a surrogate pair, a byte inside a UTF-8 sequence).
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let Some(&start) = self.0.get(position.line as usize) else {
            return text.len();
        };
        let end = self.line_content_end(text, position.line as usize);
        let line = &text[start..end];
        let wanted = position.character as usize;
        match encoding {
            Encoding::Utf8 => start + floor_boundary(line, wanted.min(line.len())),
            Encoding::Utf16 => {
                let mut units = 0;
                for (i, c) in line.char_indices() {
                    if units + c.len_utf16() > wanted {
                        return start + i;
                    }
                    units += c.len_utf16();
                }
                end
            }
        }
    }

    /// The LSP position of byte `offset` in `text` (clamped to the text).
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let offset = floor_boundary(text, offset.min(text.len()));
        let line = self.0.partition_point(|&start| start <= offset).saturating_sub(1);
        let start = self.0[line];
        // An offset inside a `\r\n` line end belongs to the end of its line.
        let end = self.line_content_end(text, line).max(start);
        let before = &text[start..offset.min(end)];
        let character = match encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.encode_utf16().count(),
        };
        Position::new(line as u32, character as u32)
    }

    /// The LSP range of the bytes `start..end` of `text`.
    pub fn range(&self, text: &str, start: usize, end: usize, encoding: Encoding) -> Range {
        Range::new(self.position(text, start, encoding), self.position(text, end, encoding))
    }

    /// Where line `line`'s content ends (before its line break).
    fn line_content_end(&self, text: &str, line: usize) -> usize {
        let start = self.0[line];
        let mut end = self.0.get(line + 1).copied().unwrap_or(text.len());
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        end
    }
}

/// The offsets just after each line break of `bytes`.
fn memchr_iter_line_ends(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr2_iter(b'\n', b'\r', bytes).filter_map(move |i| match bytes[i] {
        // The `\r` of a `\r\n` is not a line end by itself.
        b'\r' if bytes.get(i + 1) == Some(&b'\n') => None,
        _ => Some(i + 1),
    })
}

/// The largest character boundary of `text` at or below `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(range: Option<((u32, u32), (u32, u32))>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((a, b), (c, d))| Range::new(Position::new(a, b), Position::new(c, d))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn positions_count_utf16_units_or_bytes() {
        let text = "const é = '😀x';\nnext";
        let lines = LineStarts::new(text);
        let x = text.find('x').unwrap_or_default();
        // `const é = '` is 11 UTF-16 units; the emoji is two more.
        assert_eq!(lines.position(text, x, Encoding::Utf16), Position::new(0, 13));
        assert_eq!(lines.position(text, x, Encoding::Utf8), Position::new(0, x as u32));
        assert_eq!(lines.offset(text, Position::new(0, 13), Encoding::Utf16), x);
        assert_eq!(lines.offset(text, Position::new(0, x as u32), Encoding::Utf8), x);
        let next = text.find("next").unwrap_or_default();
        assert_eq!(lines.position(text, next + 2, Encoding::Utf16), Position::new(1, 2));
    }

    #[test]
    fn positions_inside_a_character_round_down() {
        let text = "a😀b";
        let lines = LineStarts::new(text);
        // Between the two halves of the surrogate pair.
        assert_eq!(lines.offset(text, Position::new(0, 2), Encoding::Utf16), 1);
        // Inside the emoji's four bytes.
        assert_eq!(lines.offset(text, Position::new(0, 3), Encoding::Utf8), 1);
    }

    #[test]
    fn line_breaks_of_every_kind_end_lines() {
        let text = "a\r\nb\rc\nd";
        let lines = LineStarts::new(text);
        for (line, letter) in ["a", "b", "c", "d"].iter().enumerate() {
            let at = text.find(letter).unwrap_or_default();
            assert_eq!(lines.position(text, at, Encoding::Utf16), Position::new(line as u32, 0));
        }
        // Past the end of line 0 clamps before its `\r\n`.
        assert_eq!(lines.offset(text, Position::new(0, 99), Encoding::Utf16), 1);
        assert_eq!(lines.position(text, 2, Encoding::Utf16), Position::new(0, 1));
    }

    #[test]
    fn changes_report_their_byte_edit() {
        let mut doc = Document {
            text: "ab\ncd\nef".to_string(),
            version: 1,
        };
        let edit = doc.apply(change(Some(((1, 1), (2, 1))), "XY\nZ"), Encoding::Utf16);
        assert_eq!(doc.text, "ab\ncXY\nZf");
        assert_eq!(
            edit,
            Some(SyntaxEdit {
                start: 4,
                old_end: 7,
                new_end: 8,
                start_point: (1, 1),
                old_end_point: (2, 1),
                new_end_point: (2, 1),
            })
        );
        assert_eq!(doc.apply(change(None, "new"), Encoding::Utf16), None);
    }

    #[test]
    fn incremental_changes_edit_the_text() {
        let mut doc = Document {
            text: "let a = 1;\nlet b = 2;\n".to_string(),
            version: 1,
        };
        doc.apply(change(Some(((1, 4), (1, 5))), "token"), Encoding::Utf16);
        assert_eq!(doc.text, "let a = 1;\nlet token = 2;\n");
        doc.apply(change(Some(((0, 0), (1, 0))), ""), Encoding::Utf16);
        assert_eq!(doc.text, "let token = 2;\n");
        doc.apply(change(None, "fresh"), Encoding::Utf16);
        assert_eq!(doc.text, "fresh");
    }

    #[test]
    fn out_of_range_and_reversed_changes_are_clamped() {
        let mut doc = Document {
            text: "ab\ncd".to_string(),
            version: 1,
        };
        doc.apply(change(Some(((7, 0), (9, 3))), "!"), Encoding::Utf16);
        assert_eq!(doc.text, "ab\ncd!");
        doc.apply(change(Some(((0, 99), (0, 1))), "X"), Encoding::Utf8);
        assert_eq!(doc.text, "aX\ncd!");
        doc.apply(change(Some(((0, 1), (0, 2))), "é"), Encoding::Utf8);
        doc.apply(change(Some(((0, 2), (0, 3))), "?"), Encoding::Utf8);
        // Byte 2 is inside `é`: the edit starts at its first byte instead.
        assert_eq!(doc.text, "a?\ncd!");
    }

    /// Reparsing an edited tree must give what parsing from scratch gives:
    /// a wrong edit would make tree-sitter reuse stale nodes silently.
    #[test]
    fn incremental_reparses_find_what_fresh_parses_find() {
        let engine = miroguard_engine::Engine::new(miroguard_core::Config::default()).expect("the built-in rules");
        let context = miroguard_core::FileContext::from_display_path("server/app.ts");
        let mut doc = Document {
            text: concat!(
                "import axios from 'axios';\n",
                "const miroClientSecret = \"zymMlopiWfqUyHRSIf8NFmAUNLnY5Yx0\";\n",
                "export async function login(code: string) {\n",
                "  const response = await axios.post('https://api.miro.com/v1/oauth/token', { code });\n",
                "  const accessToken = response.data.access_token; // é 😀\n",
                "  console.log('token', accessToken);\n",
                "}\n",
            )
            .to_string(),
            version: 1,
        };
        let (_, mut tree) = engine.check_text_reusing(&context, &doc.text, None);
        let pieces = [
            "",
            "x",
            "\n",
            "{",
            "}",
            "'",
            "\"",
            "console.log(accessToken);",
            "é",
            "😀",
            "  const a = `${b}`;\n",
        ];
        // A fixed pseudo-random walk of edits: inserts, deletes and
        // replacements anywhere, including inside characters and past the end.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |bound: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % bound.max(1)
        };
        for step in 0..200 {
            let lines = doc.text.lines().count() as u64 + 2;
            let start = Position::new(next(lines) as u32, next(40) as u32);
            let end = if next(3) == 0 {
                start
            } else {
                Position::new(start.line + next(2) as u32, next(40) as u32)
            };
            let piece = pieces[next(pieces.len() as u64) as usize];
            let encoding = if step % 2 == 0 { Encoding::Utf16 } else { Encoding::Utf8 };
            let edit = doc.apply(
                change(Some(((start.line, start.character), (end.line, end.character))), piece),
                encoding,
            );
            if let (Some(tree), Some(edit)) = (&mut tree, edit) {
                tree.edit(&edit);
            }
            let (incremental, new_tree) = engine.check_text_reusing(&context, &doc.text, tree.take());
            let fresh = engine.check_text(&context, &doc.text);
            assert_eq!(incremental.findings, fresh.findings, "step {step}: {:?}", doc.text);
            assert_eq!(
                incremental.notifications, fresh.notifications,
                "step {step}: {:?}",
                doc.text
            );
            tree = new_tree;
        }
    }
}
