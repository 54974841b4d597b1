//! Measures how much stack syn needs to parse (and drop) nested Rust code.
//!
//! `stack_probe <shape> <depth> <stack-bytes>` parses one generated file on a
//! thread with that stack and exits 0, or dies of a stack overflow. Run
//! without arguments (or with shape names), it binary-searches the smallest
//! stack that works for each shape at two depths (by running itself) and
//! prints bytes per level. With `PROBE_LOWER=1` it measures
//! `miroguard_rust::lower` instead of `syn::parse_file`, at depths the
//! pre-scan accepts, and also prints the stack needed at the deeper one.

use std::process::{Command, Stdio};

fn shape(name: &str, n: usize) -> String {
    let body = match name {
        "paren" => format!("{}x{}", "(".repeat(n), ")".repeat(n)),
        "array" => format!("{}x{}", "[".repeat(n), "]".repeat(n)),
        "block" => format!("{}x{}", "{".repeat(n), "}".repeat(n)),
        "not" => format!("{}x", "!".repeat(n)),
        "neg" => format!("{}x", "- ".repeat(n)),
        "ref" => format!("{}x", "&".repeat(n)),
        "call" => format!("{}x{}", "f(".repeat(n), ")".repeat(n)),
        "closure" => format!("{}x", "|x| ".repeat(n)),
        "closure2" => format!("{}x", "|a, b| ".repeat(n)),
        "method" => format!("x{}", ".a()".repeat(n)),
        "field" => format!("x{}", ".a".repeat(n)),
        "binary" => format!("x{}", " + x".repeat(n)),
        "try" => format!("x{}", "?".repeat(n)),
        "cast" => format!("x{}", " as T".repeat(n)),
        "assign" => format!("{}x", "a = ".repeat(n)),
        "return" => format!("{}x", "return ".repeat(n)),
        "index" => format!("x{}", "[0]".repeat(n)),
        "generic" => format!("x::<{}T{}>", "V<".repeat(n), ">".repeat(n)),
        "reftype" => format!("x as {}T", "&".repeat(n)),
        "fnptr" => format!("x as {}T", "fn() -> ".repeat(n)),
        "range" => format!("{}x", ".. ".repeat(n)),
        "if" => format!("if a {{}}{}", " else if a {}".repeat(n)),
        "match" => format!("{}x{}", "match ".repeat(n), " {}".repeat(n)),
        "unsafe" => format!("{}x{}", "unsafe { ".repeat(n), " }".repeat(n)),
        "ifblock" => format!("{}x{}", "if a { ".repeat(n), " }".repeat(n)),
        other => panic!("unknown shape {other}"),
    };
    format!("fn main() {{ let _ = {body}; }}\n")
}

const SHAPES: &[&str] = &[
    "paren", "array", "block", "not", "neg", "ref", "call", "closure", "closure2", "method", "field", "binary", "try",
    "cast", "assign", "return", "index", "generic", "reftype", "fnptr", "range", "if", "match", "unsafe", "ifblock",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 4 {
        let source = shape(&args[1], args[2].parse().unwrap());
        let stack: usize = args[3].parse().unwrap();
        let lower = std::env::var_os("PROBE_LOWER").is_some();
        let handle = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || {
                if lower {
                    let _ = miroguard_rust::lower(&source).is_ok();
                } else {
                    let _ = syn::parse_file(&source).map(|f| f.items.len());
                }
            })
            .unwrap();
        handle.join().unwrap();
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let works = |shape: &str, depth: usize, stack: usize| {
        Command::new(&exe)
            .args([shape, &depth.to_string(), &stack.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|status| status.success())
            .unwrap_or(false)
    };
    let minimal = |shape: &str, depth: usize| {
        let (mut lo, mut hi) = (64 * 1024, 1usize << 30);
        while hi - lo > 16 * 1024 {
            let mid = (lo + hi) / 2;
            if works(shape, depth, mid) { hi = mid } else { lo = mid }
        }
        hi
    };
    let lower = std::env::var_os("PROBE_LOWER").is_some();
    let (a, b) = if lower { (300, 900) } else { (500, 1500) };
    let only: Vec<String> = std::env::args().skip(1).collect();
    for shape in SHAPES {
        if !only.is_empty() && !only.iter().any(|s| s == shape) {
            continue;
        }
        let (sa, sb) = (minimal(shape, a), minimal(shape, b));
        let per_level = sb.saturating_sub(sa) / (b - a);
        println!(
            "{shape:>9}: {per_level:>7} bytes/level, {:>6} KiB at depth {b}",
            sb / 1024
        );
    }
}
