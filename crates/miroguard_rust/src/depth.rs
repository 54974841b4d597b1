//! A lexical pre-scan that refuses code nested so deeply that parsing it with
//! syn (a recursive-descent parser), dropping its syntax tree (recursive too)
//! or walking it could overflow a worker thread's 64 MiB stack.
//!
//! # What it measures
//!
//! syn recurses for every level of brackets, for every prefix operator
//! (`!!!!x`, `&&&&x`, `- - -x`), for right-associative constructs (`a = b = c`,
//! closures `|x| |y| …`, `return return …`, `fn() -> fn() -> …`) and for
//! generics (`A<B<C<…>>>`). Left-associative chains (`a + b + c`, `x.f().g()`,
//! `x?`, `x as T`, `else if`) are parsed in a loop, but still make the tree
//! deep, which costs stack when it is dropped.
//!
//! The scan keeps a stack of open levels (brackets, plus "soft" levels for
//! `<` and closure parameters, which lexing alone cannot tell from operators),
//! and counts per level the prefix operators since the last operand, the
//! right-associative operators since the last `,`/`;`/statement, and the chain
//! operators since the last `,`/`;`/statement. Every count errs on the side of
//! too much, so that no arrangement of tokens recurses deeper than measured.
//!
//! # Why these limits
//!
//! Measured with `examples/stack_probe.rs` (syn 2.0.119, parse and drop; the
//! smallest stack that works at depth 500 and at 1500, difference divided by
//! 1000; x86-64, rustc 1.95). Each of these shapes counts one unit of
//! recursion per level, except the chains, which count chain units:
//!
//! | shape                       | debug (deps at opt-level 1) | release  |
//! |-----------------------------|-----------------------------|----------|
//! | `V<V<…>>` generics          | 8,830 B/level               | 7,487    |
//! | `if a { if a { …` blocks    | 7,814                       | 6,372    |
//! | `{{{…}}}` blocks            | 6,274                       | 5,177    |
//! | `fn() -> fn() -> …`         | 6,028                       | 5,029    |
//! | `\|x\| \|x\| …` closures    | 4,783                       | 4,194    |
//! | `f(f(…))` calls             | 4,521                       | 3,800    |
//! | `((…))`, `[[…]]`            | 3,850 / 3,899               | 3,080    |
//! | `match match … x {} {}`     | 3,342                       | 2,768    |
//! | `return return …`           | 2,850                       | 2,522    |
//! | `a = a = …`                 | 2,408                       | 1,834    |
//! | `!!!!x`, `- - -x`           | 1,752                       | 1,343    |
//! | `&&&&x`                     | 901                         | 720      |
//! | `x.a()…`, `x + x …`, `x???`, `x as T as T`, `x[0][0]` (chains) | 32 | 32 |
//! | `else if` chains (chains; syn parses them in a loop) | < 16 | < 16   |
//!
//! So a unit of recursion costs at most about 9 KB and a chain unit about 32
//! bytes; a chain unit is weighted [`CHAIN_PER_RECURSION`] times less, about
//! their cost ratio. [`MAX_RECURSION`] units cost at most 9 MB of stack: all
//! of `lower` on `V<V<…>>` 900 deep needs 7.8 MB in a debug build
//! (`PROBE_LOWER=1`), an eighth of the 64 MiB the engine gives a front end,
//! which leaves room for sanitizer builds (whose frames are two to three times
//! larger) and for the caller's frames. The deepest of the 11,494 files of the
//! benchmark corpus scores 67 units (syn's own `tests/test_item.rs`; see the
//! ignored `corpus_depths` test), so real code stays far below the limit.

use crate::comments::comment_of;
use crate::lex::{Kind, Lexer, Token};
use miroguard_ir::{Comment, Span};

/// How many units of recursion a file may nest before it is refused.
pub(crate) const MAX_RECURSION: u64 = 1000;
/// How many chain units (`.f()`, `+ x`, `?`) weigh as much as one unit of recursion.
pub(crate) const CHAIN_PER_RECURSION: u64 = 256;

const LIMIT: u64 = MAX_RECURSION * CHAIN_PER_RECURSION;

/// What opened a level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opener {
    /// `(`, `[`, `{`, or the file itself.
    Bracket,
    /// `<`: generics, or a comparison or shift that lexing cannot tell apart.
    Angle,
    /// The `|` that opens closure parameters.
    Params,
}

#[derive(Clone, Copy, Debug)]
struct Level {
    opener: Opener,
    /// Prefix operators and keywords since the last operand.
    prefix: u64,
    /// Right-associative operators since the last separator.
    right: u64,
    /// Chain operators since the last separator.
    chain: u64,
}

impl Level {
    fn new(opener: Opener) -> Level {
        Level {
            opener,
            prefix: 0,
            right: 0,
            chain: 0,
        }
    }
}

/// The result of the pre-scan of a file that is not too deep.
pub(crate) struct Scan {
    /// Every comment, in order.
    pub(crate) comments: Vec<Comment>,
    /// The highest weighted depth seen, in chain units.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) max_cost: u64,
}

/// Scans `source` once for its comments and its nesting; `Err` with the
/// token where the nesting passed the limit.
pub(crate) fn scan(source: &str) -> Result<Scan, Span> {
    let mut meter = Meter {
        src: source.as_bytes(),
        levels: vec![Level::new(Opener::Bracket)],
        recursion: 0,
        chain: 0,
        max_cost: 0,
        expect_operand: true,
        statement_may_end: false,
        after_pound: false,
        previous: 0,
        skip: 0,
        after_value: false,
    };
    let mut comments = Vec::new();
    for token in Lexer::new(source) {
        if let Some(comment) = comment_of(token) {
            comments.push(comment);
            continue;
        }
        if meter.skip > 0 {
            // The rest of a compound operator already counted.
            meter.skip -= 1;
            continue;
        }
        if meter.token(token).is_err() {
            return Err(Span::new(token.start, token.end));
        }
    }
    Ok(Scan {
        comments,
        max_cost: meter.max_cost,
    })
}

struct TooDeep;

struct Meter<'a> {
    src: &'a [u8],
    levels: Vec<Level>,
    /// Σ over open levels of 1 (except the file) + prefix + right.
    recursion: u64,
    /// Σ over open levels of chain.
    chain: u64,
    max_cost: u64,
    /// Whether the next token starts an operand (so `|` opens a closure and
    /// `&`, `-`, `*`, `!` are prefix operators).
    expect_operand: bool,
    /// After a `}`: the statement ends unless an operator continues it.
    statement_may_end: bool,
    /// After `#` or `#!`: the `[` opens an attribute, not an index.
    after_pound: bool,
    /// The previous punctuation byte, or 0 after anything else.
    previous: u8,
    /// Punctuation tokens still to skip as part of a compound operator.
    skip: usize,
    /// Whether the previous token was a literal, a number or a closing
    /// bracket, after which `<` can only be a comparison or a shift.
    after_value: bool,
}

impl Meter<'_> {
    fn byte(&self, at: usize) -> u8 {
        self.src.get(at).copied().unwrap_or(0)
    }

    fn top(&mut self) -> &mut Level {
        // The file level is never popped, so there always is a top.
        let last = self.levels.len() - 1;
        &mut self.levels[last]
    }

    fn check(&mut self) -> Result<(), TooDeep> {
        let cost = self.recursion * CHAIN_PER_RECURSION + self.chain;
        self.max_cost = self.max_cost.max(cost);
        if cost > LIMIT { Err(TooDeep) } else { Ok(()) }
    }

    fn prefix(&mut self, n: u64) -> Result<(), TooDeep> {
        self.top().prefix += n;
        self.recursion += n;
        self.check()
    }

    fn right(&mut self, n: u64) -> Result<(), TooDeep> {
        self.top().right += n;
        self.recursion += n;
        self.check()
    }

    fn chain(&mut self, n: u64) -> Result<(), TooDeep> {
        self.top().chain += n;
        self.chain += n;
        self.check()
    }

    fn push(&mut self, opener: Opener) -> Result<(), TooDeep> {
        self.levels.push(Level::new(opener));
        self.recursion += 1;
        self.check()
    }

    fn pop(&mut self) -> Option<Opener> {
        if self.levels.len() <= 1 {
            return None;
        }
        let level = self.levels.pop()?;
        self.recursion -= 1 + level.prefix + level.right;
        self.chain -= level.chain;
        Some(level.opener)
    }

    /// An operand ends the prefix operators before it.
    fn operand(&mut self) {
        let top = self.top();
        let prefix = std::mem::take(&mut top.prefix);
        self.recursion -= prefix;
        self.expect_operand = false;
    }

    /// A separator ends everything counted at this level.
    fn separate(&mut self) {
        let top = self.top();
        let (prefix, right, chain) = (top.prefix, top.right, top.chain);
        *top = Level::new(top.opener);
        self.recursion -= prefix + right;
        self.chain -= chain;
        self.expect_operand = true;
    }

    fn pop_soft(&mut self, opener: Option<Opener>) {
        while let Some(top) = self.levels.last().map(|l| l.opener) {
            if top == Opener::Bracket || opener.is_some_and(|o| o != top) {
                break;
            }
            self.pop();
        }
    }

    fn close_bracket(&mut self) {
        while let Some(opener) = self.pop() {
            if opener == Opener::Bracket {
                break;
            }
        }
    }

    fn token(&mut self, token: Token) -> Result<(), TooDeep> {
        let first = self.byte(token.start);
        if self.statement_may_end {
            self.statement_may_end = false;
            let continues = match token.kind {
                Kind::Punct => b".?+-*/%^&|<>=!".contains(&first),
                Kind::Word => matches!(&self.src[token.start..token.end], b"as" | b"else"),
                _ => false,
            };
            if !continues {
                self.separate();
            }
        }
        let after_pound = std::mem::take(&mut self.after_pound);
        let previous = std::mem::take(&mut self.previous);
        let after_value = std::mem::replace(
            &mut self.after_value,
            match token.kind {
                Kind::Literal => true,
                Kind::Word => first.is_ascii_digit(),
                Kind::Punct => matches!(first, b')' | b']' | b'}'),
                _ => false,
            },
        );
        match token.kind {
            Kind::LineComment | Kind::BlockComment => {}
            Kind::Literal => self.operand(),
            Kind::Lifetime => self.expect_operand = true,
            Kind::Word => self.word(&self.src[token.start..token.end])?,
            Kind::Punct => {
                self.previous = first;
                self.punct(token.start, first, after_pound, previous, after_value)?;
            }
        }
        Ok(())
    }

    fn word(&mut self, word: &[u8]) -> Result<(), TooDeep> {
        match word {
            b"as" | b"else" => {
                self.expect_operand = true;
                self.chain(1)
            }
            b"return" | b"break" | b"yield" | b"become" => {
                self.expect_operand = true;
                self.right(1)
            }
            b"if" | b"match" | b"while" | b"for" | b"in" | b"let" | b"loop" | b"unsafe" | b"async" | b"const"
            | b"static" | b"dyn" | b"impl" | b"mut" | b"ref" | b"raw" | b"box" | b"move" | b"fn" | b"try" => {
                self.expect_operand = true;
                self.prefix(1)
            }
            b"pub" | b"struct" | b"enum" | b"union" | b"trait" | b"type" | b"use" | b"mod" | b"extern" | b"where"
            | b"auto" | b"default" | b"macro_rules" => {
                self.expect_operand = true;
                Ok(())
            }
            _ => {
                self.operand();
                Ok(())
            }
        }
    }

    fn punct(
        &mut self,
        at: usize,
        first: u8,
        after_pound: bool,
        previous: u8,
        after_value: bool,
    ) -> Result<(), TooDeep> {
        let (next, third) = (self.byte(at + 1), self.byte(at + 2));
        let expect_operand = std::mem::replace(&mut self.expect_operand, true);
        match first {
            b'(' | b'[' | b'{' => {
                if first == b'{' && !matches!(previous, b'<' | b',' | b'=') {
                    // `if a < b {`: the `<` was a comparison after all.
                    self.pop_soft(Some(Opener::Angle));
                }
                if !after_pound && !expect_operand {
                    // A call, an index, a struct literal or a block after a
                    // condition makes the tree one deeper, not the parser.
                    self.chain(1)?;
                }
                self.push(Opener::Bracket)?;
            }
            b')' | b']' | b'}' => {
                self.close_bracket();
                self.operand();
                self.statement_may_end = first == b'}';
            }
            b',' => self.separate(),
            b';' => {
                self.pop_soft(None);
                self.separate();
            }
            b'#' => self.after_pound = true,
            b'!' if after_pound => self.after_pound = true,
            b'!' if next == b'=' => {
                self.skip = 1;
                self.chain(1)?;
            }
            b'!' if expect_operand => self.prefix(1)?,
            // A macro's `!`: what follows is its argument group.
            b'!' => {}
            b'-' if next == b'>' || next == b'=' => {
                self.skip = 1;
                self.right(1)?;
            }
            b'&' | b'*' | b'-' if next == b'=' => {
                self.skip = 1;
                self.right(1)?;
            }
            b'&' if next == b'&' => {
                self.skip = 1;
                if expect_operand {
                    self.prefix(2)?
                } else {
                    self.chain(1)?
                }
            }
            b'&' | b'*' | b'-' => {
                if expect_operand {
                    self.prefix(1)?
                } else {
                    self.chain(1)?
                }
            }
            b'|' if next == b'=' => {
                self.skip = 1;
                self.right(1)?;
            }
            b'|' if self.levels.last().is_some_and(|l| l.opener == Opener::Params) => {
                self.pop();
            }
            b'|' if next == b'|' => {
                self.skip = 1;
                if expect_operand { self.right(1)? } else { self.chain(1)? }
            }
            b'|' if expect_operand => {
                self.right(1)?;
                self.push(Opener::Params)?;
            }
            b'|' => self.chain(1)?,
            b'=' if next == b'=' => {
                self.skip = 1;
                self.chain(1)?;
            }
            b'=' if next == b'>' => self.skip = 1,
            b'=' => self.right(1)?,
            b'<' if next == b'=' => {
                self.skip = 1;
                self.chain(1)?;
            }
            b'<' if next == b'<' && third == b'=' => {
                self.skip = 2;
                self.right(1)?;
            }
            b'<' if after_value => {
                self.skip = usize::from(next == b'<');
                self.chain(1)?;
            }
            b'<' => self.push(Opener::Angle)?,
            b'>' if next == b'>' && third == b'=' => {
                self.skip = 2;
                self.right(1)?;
            }
            b'>' if next == b'=' && self.levels.last().is_none_or(|l| l.opener != Opener::Angle) => {
                self.skip = 1;
                self.chain(1)?;
            }
            b'>' => {
                if self.levels.last().is_some_and(|l| l.opener == Opener::Angle) {
                    self.pop();
                    self.operand();
                } else {
                    self.chain(1)?;
                }
            }
            b'.' if next == b'.' => {
                self.skip = if third == b'.' || third == b'=' { 2 } else { 1 };
                if expect_operand { self.right(1)? } else { self.chain(1)? }
            }
            b'.' => self.chain(1)?,
            b'?' => {
                self.chain(1)?;
                self.expect_operand = false;
            }
            b'+' | b'/' | b'%' | b'^' if next == b'=' => {
                self.skip = 1;
                self.right(1)?;
            }
            b'+' | b'/' | b'%' | b'^' => self.chain(1)?,
            b':' if next == b':' => self.skip = 1,
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(source: &str) -> u64 {
        match scan(source) {
            Ok(scan) => scan.max_cost,
            Err(_) => u64::MAX,
        }
    }

    #[test]
    fn ordinary_code_is_shallow() {
        let source = r#"
            use std::collections::HashMap;
            #[derive(Debug)]
            pub struct Config<'a> { key: &'a str, map: HashMap<String, Vec<u8>> }
            impl<'a> Config<'a> {
                pub fn new(key: &'a str) -> Self { Self { key, map: HashMap::new() } }
                fn check(&self, a: u32, b: u32) -> bool {
                    if a < b && b > 2 { return !self.key.is_empty(); }
                    let f = |x: u32, y: u32| x << 2 | y;
                    match a { 0 | 1 => true, _ => a >= b || f(a, b) != 0 }
                }
            }
        "#;
        assert!(cost(source) < 20 * CHAIN_PER_RECURSION, "{}", cost(source));
    }

    #[test]
    fn separators_end_what_they_separate() {
        let many_shifts = format!("const T: [u32; 2000] = [{}];", "1 << 3, ".repeat(2000));
        assert!(cost(&many_shifts) < 10 * CHAIN_PER_RECURSION);
        let many_statements = "fn f() { if a { b } else { c } }\n".repeat(2000);
        assert!(cost(&many_statements) < 10 * CHAIN_PER_RECURSION);
        let many_comparisons = format!("fn f() {{ {} }}", "if a < b { c } ".repeat(2000));
        assert!(cost(&many_comparisons) < 10 * CHAIN_PER_RECURSION);
    }

    #[test]
    fn chains_weigh_less_than_nesting() {
        let builder = format!("fn f() {{ x{}; }}", ".a(1)".repeat(500));
        let cost = cost(&builder);
        assert!(cost > 1000 && cost < 10 * CHAIN_PER_RECURSION, "{cost}");
    }

    #[test]
    fn every_kind_of_deep_nesting_is_refused() {
        let n = 10_000;
        let shapes = [
            format!("{}x{}", "(".repeat(n), ")".repeat(n)),
            format!("{}x{}", "[".repeat(n), "]".repeat(n)),
            format!("{}x{}", "{".repeat(n), "}".repeat(n)),
            format!("{}x", "!".repeat(n)),
            format!("{}x", "- ".repeat(n)),
            format!("{}x", "&".repeat(n)),
            format!("{}x", "*".repeat(n)),
            format!("{}x", "|x| ".repeat(n)),
            format!("{}x", "|a, b| ".repeat(n)),
            format!("{}x", "|| ".repeat(n)),
            format!("{}x", "move |x| x + ".repeat(n)),
            format!("{}x", "a = ".repeat(n)),
            format!("{}x", "return ".repeat(n)),
            format!("{}x", ".. ".repeat(n)),
            format!("x::<{}T{}>", "V<".repeat(n), ">".repeat(n)),
            format!("x::<{}T{}>", "V<T, ".repeat(n), ">".repeat(n)),
            format!("x as {}T", "&".repeat(n)),
            format!("x as {}T", "fn() -> ".repeat(n)),
            format!("{}x{}", "match ".repeat(n), " {}".repeat(n)),
            format!("{}x{}", "if a { ".repeat(n), " }".repeat(n)),
            format!("{}x{}", "f(".repeat(n), ")".repeat(n)),
            format!("{}x{}", "f(a, ".repeat(n), ")".repeat(n)),
            format!("x{}", " + x".repeat(100 * n)),
            format!("x{}", ".a()".repeat(100 * n)),
            format!("x{}", "[0]".repeat(100 * n)),
            format!("x{}", "?".repeat(300 * n)),
            format!("<<<<<<<<<<{}", "T as A<X, <<T as A<X, ".repeat(n)),
        ];
        for shape in shapes {
            let source = format!("fn main() {{ let _ = {shape}; }}");
            assert!(scan(&source).is_err(), "not refused: {}", &shape[..40.min(shape.len())]);
        }
    }

    #[test]
    fn long_else_if_chains_are_chains() {
        let source = format!("fn f() {{ if a {{}}{} }}", " else if a {}".repeat(10_000));
        assert!(scan(&source).is_ok());
    }

    #[test]
    fn the_error_points_at_the_token_past_the_limit() {
        let source = "(".repeat(2000);
        let span = scan(&source).err().unwrap();
        assert_eq!(span.len(), 1);
        assert!(span.start > 500 && span.start < 1500, "{span:?}");
    }

    /// The deepest files of the benchmark corpus, to keep the limit honest:
    /// `cargo test --release -p miroguard_rust -- --ignored corpus`.
    #[test]
    #[ignore = "needs the benchmark corpus"]
    fn corpus_depths() {
        let root = std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default())
            .join(".cache/miroguard-bench/corpus/rust");
        let mut costs = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        costs.push((cost(&text), path));
                    }
                }
            }
        }
        costs.sort();
        for (cost, path) in costs.iter().rev().take(15) {
            println!(
                "{:>10.1} units  {}",
                *cost as f64 / CHAIN_PER_RECURSION as f64,
                path.display()
            );
        }
        println!("{} files", costs.len());
    }
}
