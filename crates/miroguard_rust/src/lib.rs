//! miroguard's Rust front end: parses Rust source with syn and lowers it to
//! the language-neutral Facts IR that the rules read.
//!
//! [`lower`] turns one file into [`Facts`]: every string literal (inside
//! macros and attributes too), every call and macro call, every name given a
//! value, every `use`, every comment, the scopes and the test regions.
//! [`comments`] finds the comments of any text, also of files that do not
//! parse.
//!
//! Lowering never panics and never overflows a 64 MiB stack, whatever the
//! input: a lexical pre-scan refuses code nested deeper than syn can parse
//! safely ([`ParseFailure::TooDeep`]), and the lowering walk stops at
//! [`miroguard_ir::MAX_NESTING`] levels.
//!
//! # Threads
//!
//! proc-macro2 keeps, per thread, a map of every text it has tokenized, which
//! is how spans know their byte offsets. [`lower`] clears it when done, so
//! that a worker thread lowering 10,000 files holds one file's map at a time
//! and offsets always index the file being lowered. It clears the whole
//! map of the thread: a caller must not keep proc-macro2 spans of its own on
//! that thread across a call to [`lower`].

#![deny(missing_docs)]

mod comments;
mod depth;
mod expr;
mod format_string;
mod lex;
mod literal;
mod lower;
mod macros;
mod span;

pub use comments::comments;
use miroguard_ir::{Facts, Span};
use std::borrow::Cow;

/// Why a file could not be lowered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseFailure {
    /// The file is not valid Rust.
    #[error("syntax error: {message}")]
    Syntax {
        /// Where syn stopped.
        span: Span,
        /// What syn expected, in its words.
        message: String,
    },
    /// The file nests too deeply to parse without risking the stack.
    #[error("nesting too deep to parse safely")]
    TooDeep {
        /// The token at which the nesting passed the limit.
        span: Span,
    },
}

/// Parses `source` as a Rust file and lowers it to Facts.
///
/// Spans in the result are byte ranges of `source` (a byte order mark and a
/// `#!` line included: they are blanked for the parser, not cut off).
pub fn lower(source: &str) -> Result<Facts, ParseFailure> {
    let scan = depth::scan(source).map_err(|span| ParseFailure::TooDeep { span })?;
    let text = parse_text(source);
    // Declared before the syntax tree, so dropped after it, on every path out.
    let _forget = ForgetSpans;
    let file = syn::parse_str::<syn::File>(&text).map_err(|error| syntax_failure(source, &error))?;
    Ok(lower::lower_file(&text, &file, scan.comments))
}

/// Clears proc-macro2's source map of this thread when dropped.
///
/// Every `parse_str` appends the text to a thread-local map (a copy of the
/// text, its line starts and a cache of char-to-byte offsets), and nothing
/// else ever removes it. Without this, a worker thread would keep every file
/// it ever lowered, and `u32` character positions would run out after 4 GB
/// of source. `invalidate_current_thread_spans` truncates the map to its
/// initial dummy entry, freeing the file, so memory stays flat across files
/// (see the `many_files_on_one_thread` test). Spans of the dropped file must
/// not be used afterwards: all of them are converted to byte offsets before.
struct ForgetSpans;

impl Drop for ForgetSpans {
    fn drop(&mut self) {
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}

/// The text to give syn: `source` with a BOM, a shebang line and a
/// frontmatter block blanked out, byte for byte (line breaks kept).
/// `syn::parse_file` would cut the first two off instead, which would shift
/// every offset, and does not know the third; rustc skips all three.
fn parse_text(source: &str) -> Cow<'_, str> {
    let skip = lex::prelude_len(source);
    if skip == 0 {
        return Cow::Borrowed(source);
    }
    let mut text = String::with_capacity(source.len());
    text.extend(
        source.as_bytes()[..skip]
            .iter()
            .map(|&b| if b == b'\n' { '\n' } else { ' ' }),
    );
    text.push_str(&source[skip..]);
    Cow::Owned(text)
}

fn syntax_failure(source: &str, error: &syn::Error) -> ParseFailure {
    let mut message = error.to_string();
    let range = error.span().byte_range();
    let mut span = span::clamp(source, range.start, range.end);
    if message.starts_with("unexpected end of input") && span.is_empty() {
        // syn reports the end of the file with an empty call-site span.
        span = Span::new(source.len(), source.len());
    }
    if message == "lex error" || message == "cannot parse string into token stream" {
        message =
            "cannot split into tokens: an unclosed delimiter or string, or a character Rust does not allow".into();
    }
    ParseFailure::Syntax { span, message }
}

#[cfg(test)]
mod tests;
