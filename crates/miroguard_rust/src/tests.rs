//! The front end as a whole: offsets, failures, threads, deep nesting, and
//! a deterministic smoke fuzz.

use super::*;

/// Runs `f` on a thread with the stack the engine gives front ends.
fn on_engine_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let thread = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(f)
        .unwrap_or_else(|e| panic!("cannot spawn: {e}"));
    match thread.join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[test]
fn offsets_count_a_bom_and_a_shebang() {
    for prefix in [
        "",
        "\u{feff}",
        "#!/usr/bin/env run-cargo-script\n",
        "\u{feff}#!/bin/é\n",
    ] {
        let source = format!("{prefix}// é\nconst K: &str = \"é-secret\";");
        let facts = lower(&source).unwrap();
        assert_eq!(facts.strings[0].content.text(&source), "é-secret", "{prefix:?}");
        assert_eq!(facts.comments[0].span.text(&source), "// é");
    }
    let source = "#![allow(unused)]\nconst K: &str = \"k\";";
    let facts = lower(source).unwrap();
    assert_eq!(facts.strings[0].span.text(source), "\"k\"");
}

#[test]
fn empty_and_prelude_only_files() {
    for source in ["", "\u{feff}", "#!/bin/sh", "\u{feff}#!/bin/sh\n", "// only a comment"] {
        let facts = lower(source).unwrap_or_else(|e| panic!("{source:?}: {e:?}"));
        assert_eq!(facts.scopes[0].span, Span::new(0, source.len()));
        assert!(facts.strings.is_empty() && facts.calls.is_empty());
    }
}

#[test]
fn syntax_errors_say_where_and_what() {
    let Err(ParseFailure::Syntax { span, message }) = lower("fn f() { let = 1; }") else {
        panic!()
    };
    assert_eq!(span, Span::new(13, 14));
    assert!(message.contains("expected"), "{message}");
    let Err(ParseFailure::Syntax { span, message }) = lower("fn f() -> ") else {
        panic!()
    };
    assert_eq!(span, Span::new(10, 10), "{message}");
    let Err(ParseFailure::Syntax { message, .. }) = lower("fn f() { \"unclosed }") else {
        panic!()
    };
    assert!(message.starts_with("cannot split into tokens"), "{message}");
}

#[test]
fn many_files_on_one_thread() {
    // Offsets must always index the file being lowered, and proc-macro2's
    // per-thread source map must not keep the files already done.
    let files: Vec<String> = (0..50)
        .map(|i| format!("{}fn f() {{ let k = \"v{i}\"; }}", " ".repeat(i * 7)))
        .collect();
    for round in 0..10_000 {
        let source = &files[round % files.len()];
        let facts = lower(source).unwrap();
        assert_eq!(facts.strings[0].value, format!("v{}", round % files.len()));
        assert_eq!(facts.strings[0].content.text(source), facts.strings[0].value);
    }
    // After lowering, the next text tokenized on this thread starts again at
    // the beginning of the map: nothing of the files above is left in it.
    let probe: proc_macro2::TokenStream = "x".parse().unwrap();
    let span = probe.into_iter().next().map(|t| format!("{:?}", t.span()));
    assert_eq!(span.as_deref(), Some("bytes(1..2)"));
}

#[test]
fn failures_clear_the_source_map_too() {
    for _ in 0..100 {
        assert!(lower("fn f( {").is_err());
    }
    let probe: proc_macro2::TokenStream = "x".parse().unwrap();
    let span = probe.into_iter().next().map(|t| format!("{:?}", t.span()));
    assert_eq!(span.as_deref(), Some("bytes(1..2)"));
}

/// Deeply nested inputs: each is refused or lowered, never a stack overflow.
#[test]
fn deep_nesting_never_overflows() {
    let n = 10_000;
    let shapes = vec![
        format!("{}x{}", "(".repeat(n), ")".repeat(n)),
        format!("{}x{}", "[".repeat(n), "]".repeat(n)),
        format!("{}x{}", "{".repeat(n), "}".repeat(n)),
        format!("{}x", "!".repeat(n)),
        format!("{}x", "- ".repeat(n)),
        format!("{}x", "&".repeat(n)),
        format!("{}x", "&mut ".repeat(n)),
        format!("{}x", "*".repeat(n)),
        format!("if a {{}}{}", " else if b {}".repeat(n)),
        format!("{}x{}", "f(".repeat(n), ")".repeat(n)),
        format!("{}x", "|x| ".repeat(n)),
        format!("{}x", "move || ".repeat(n)),
        format!("{}x", "return ".repeat(n)),
        format!("{}x", "a = ".repeat(n)),
        format!("x::<{}T{}>", "V<".repeat(n), ">".repeat(n)),
        format!("x{}", ".f()".repeat(100 * n)),
        format!("x{}", " + x".repeat(100 * n)),
        format!("{}x{}", "vec![".repeat(n), "]".repeat(n)),
        format!("{}x{}", "m!(".repeat(n), ")".repeat(n)),
        format!("json!({}1{})", "{\"k\": ".repeat(n), "}".repeat(n)),
    ];
    for shape in shapes {
        let source = format!("fn main() {{ let _ = {shape}; }}");
        let start = shape.chars().take(20).collect::<String>();
        let result = on_engine_stack(move || lower(&source).map(|facts| facts.calls.len()));
        match result {
            Ok(_) | Err(ParseFailure::TooDeep { .. }) => {}
            Err(other) => panic!("{start}: {other:?}"),
        }
    }
    let items = format!("{}{}", "mod m { ".repeat(n), "}".repeat(n));
    assert!(matches!(
        on_engine_stack(move || lower(&items)),
        Err(ParseFailure::TooDeep { .. })
    ));
}

/// The deepest nesting the pre-scan lets through, of the costliest kind,
/// parses on the engine's stack.
#[test]
fn the_deepest_accepted_nesting_parses() {
    for unit in ["V<", "if a { ", "{ ", "|| ", "!"] {
        let source_at = |depth: usize| {
            let body = match unit {
                "V<" => format!("x::<{}T{}>", unit.repeat(depth), ">".repeat(depth)),
                "if a { " | "{ " => format!("{}x{}", unit.repeat(depth), " }".repeat(depth)),
                _ => format!("{}x", unit.repeat(depth)),
            };
            format!("fn main() {{ let _ = {body}; }}")
        };
        let mut depth = 0;
        while depth::scan(&source_at(depth + 10)).is_ok() {
            depth += 10;
        }
        assert!(depth > 500, "{unit}: {depth}");
        let source = source_at(depth);
        let result = on_engine_stack(move || lower(&source).map(|facts| facts.depth_limit_hit.is_some()));
        assert_eq!(result, Ok(true), "{unit}");
    }
}

/// A tiny xorshift generator: deterministic, no dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SEEDS: &[&str] = &[
    r####"
//! Crate docs.
use std::{collections::HashMap, env};
#[derive(Debug, Clone)]
pub struct Config { api_key: String, url: &'static str }
// miroguard-ignore[hardcoded-secret]: a fake credential in the provider's format, for this test
const KEY: &str = "sk_live_0123456789abcdef"; // a secret
static RAW: &str = r#"raw "quoted" /* not a comment */"#;
impl Config {
    pub fn new() -> Self {
        let key = env::var("API_KEY").unwrap_or_else(|_| "fallback".to_string());
        Self { api_key: key, url: "https://example.com" }
    }
}
"####,
    r#"
fn handler(req: Request) -> Result<Response, Error> {
    let token = req.headers().get("authorization").map(|v| v.to_str()).transpose()?;
    info!(user.id = %req.user(), token = ?token, "request {} from {addr}", req.id());
    let body = json!({ "client_secret": "cs_123", "nested": { "list": [1, 2, "three"] } });
    let m = hashmap! { "password" => "hunter2", b'x' => 'y' };
    /* block /* nested */ comment */
    Ok(Response::builder().header("Set-Cookie", format!("s={}; HttpOnly", token)).body(body)?)
}
"#,
    r#"
#[cfg(test)]
mod tests {
    #[test]
    fn t() { assert_eq!(concat!("a", 1, 'c'), "a1c", "msg {}", 'x'); let _ = vec![0u8; 32]; }
}
macro_rules! m { ($x:expr) => { println!("{}", $x) }; }
lazy_static! { static ref KEY: String = String::from("lazy"); }
fn g<'a, T: Into<String> + 'a>(x: &'a [T]) -> impl Fn(u8) -> u8 + 'a { move |b| b << 2 | 1 }
"#,
];

fn mutate(rng: &mut XorShift, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(6) {
            0 if !out.is_empty() => {
                let end = (at + rng.below(8)).min(out.len());
                out.drain(at.min(end)..end);
            }
            1 => {
                let byte = b"(){}[]<>\"'#/*!&|-=:;,.\\rbc\n \xff\xc3"[rng.below(26)];
                out.insert(at, byte);
            }
            2 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            3 => {
                let start = rng.below(out.len() + 1);
                let end = (start + rng.below(40)).min(out.len());
                let chunk = out[start..end].to_vec();
                out.splice(at..at, chunk);
            }
            4 => {
                let other = SEEDS[rng.below(SEEDS.len())].as_bytes();
                let start = rng.below(other.len());
                let end = (start + rng.below(60)).min(other.len());
                out.splice(at..at, other[start..end].iter().copied());
            }
            _ => out.truncate(at),
        }
    }
    out
}

#[test]
fn smoke_fuzz() {
    on_engine_stack(|| {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut parsed = 0;
        for round in 0..3000 {
            let seed = SEEDS[round % SEEDS.len()].as_bytes();
            let bytes = mutate(&mut rng, seed);
            let source = String::from_utf8_lossy(&bytes);
            let comments = comments(&source);
            assert!(comments.iter().all(|c| c.span.end <= source.len()));
            if let Ok(facts) = lower(&source) {
                parsed += 1;
                for lit in &facts.strings {
                    assert!(lit.span.end <= source.len() && source.is_char_boundary(lit.content.start));
                }
            }
        }
        // The mutations keep a fair share of inputs valid, so lowering is exercised too.
        assert!(parsed > 300, "{parsed}");
    });
}

#[test]
fn seeds_lower_cleanly() {
    for seed in SEEDS {
        let facts = lower(seed).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(facts.depth_limit_hit.is_none());
    }
}

/// Invariants of the Facts of every file of the benchmark corpus:
/// `cargo test --release -p miroguard_rust -- --ignored corpus_invariants`.
#[test]
#[ignore = "needs the benchmark corpus"]
fn corpus_invariants() {
    let root =
        std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/miroguard-bench/corpus/rust");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let problems = on_engine_stack(move || {
        let mut problems = Vec::new();
        for path in files {
            let Ok(source) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(facts) = lower(&source) else { continue };
            let mut check = |ok: bool, what: &str| {
                if !ok && problems.len() < 20 {
                    problems.push(format!("{}: {what}", path.display()));
                }
            };
            let disorder = |spans: Vec<Span>| {
                spans.windows(2).find(|w| w[0].start > w[1].start).map(|w| {
                    let show = |s: Span| s.text(&source).chars().take(40).collect::<String>();
                    format!("{:?} before {:?}", show(w[0]), show(w[1]))
                })
            };
            for (what, spans) in [
                ("strings", facts.strings.iter().map(|s| s.span).collect()),
                ("bindings", facts.bindings.iter().map(|b| b.span).collect()),
                ("calls", facts.calls.iter().map(|c| c.span).collect()),
            ] {
                if let Some(pair) = disorder(spans) {
                    check(false, &format!("{what} out of order: {pair}"));
                }
            }
            for lit in &facts.strings {
                check(
                    lit.span.contains(lit.content) && lit.span.end <= source.len(),
                    "string content outside its span",
                );
                check(
                    !lit.verbatim || lit.content.text(&source) == lit.value,
                    "verbatim string differs from its source",
                );
            }
            for binding in &facts.bindings {
                check(
                    binding.span.contains(binding.name_span) || binding.name.is_empty(),
                    "binding name outside its span",
                );
                check(
                    !binding.name.is_empty(),
                    &format!("binding without a name: {:?}", binding.span.text(&source)),
                );
            }
            for call in &facts.calls {
                check(call.span.contains(call.callee_span), "callee outside its call");
            }
        }
        problems
    });
    assert!(problems.is_empty(), "{problems:#?}");
}
