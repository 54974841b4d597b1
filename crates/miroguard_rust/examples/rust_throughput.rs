//! Throughput of the Rust front end on the benchmark corpus, in one thread:
//!
//! ```text
//! cargo run --release -p miroguard_rust --example rust_throughput [DIR]
//! ```
//!
//! DIR defaults to `~/.cache/miroguard-bench/corpus/rust`. Files are read into
//! memory first, so only parsing and lowering are timed. Prints MB/s for
//! `syn::parse_file` alone, for the lexical comment scan, and for `lower`,
//! and how many files fail and why. With `MIROGUARD_LOWER_ONLY=1` set, only
//! `lower` runs (for profiling).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn rust_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => dirs.push(path),
                Ok(kind) if kind.is_file() && path.extension().is_some_and(|e| e == "rs") => files.push(path),
                _ => {}
            }
        }
    }
    files.sort();
    files
}

fn rate(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / 1e6 / time.as_secs_f64()
}

fn run() {
    let root = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/miroguard-bench/corpus/rust")
    });
    let (paths, sources): (Vec<PathBuf>, Vec<String>) = rust_files(&root)
        .into_iter()
        .filter_map(|path| std::fs::read_to_string(&path).ok().map(|text| (path, text)))
        .unzip();
    let bytes: usize = sources.iter().map(String::len).sum();
    println!(
        "{} files, {:.1} MB under {}",
        sources.len(),
        bytes as f64 / 1e6,
        root.display()
    );

    let lower_only = std::env::var_os("MIROGUARD_LOWER_ONLY").is_some();
    let start = Instant::now();
    let mut syn_failures = 0;
    for source in sources.iter().filter(|_| !lower_only) {
        if syn::parse_file(source).is_err() {
            syn_failures += 1;
        }
        // Keep memory flat, as `lower` does; it costs next to nothing.
        proc_macro2::extra::invalidate_current_thread_spans();
    }
    let syn_time = start.elapsed();

    let start = Instant::now();
    let comments: usize = sources
        .iter()
        .filter(|_| !lower_only)
        .map(|s| miroguard_rust::comments(s).len())
        .sum();
    let comments_time = start.elapsed();

    let start = Instant::now();
    let (mut syntax, mut too_deep, mut strings, mut calls, mut bindings, mut depth_limited) = (0, 0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for (path, source) in paths.iter().zip(&sources) {
        match miroguard_rust::lower(source) {
            Ok(facts) => {
                strings += facts.strings.len();
                calls += facts.calls.len();
                bindings += facts.bindings.len();
                depth_limited += usize::from(facts.depth_limit_hit.is_some());
            }
            Err(failure) => {
                match failure {
                    miroguard_rust::ParseFailure::Syntax { .. } => syntax += 1,
                    miroguard_rust::ParseFailure::TooDeep { .. } => too_deep += 1,
                }
                failures.push(format!("  {}: {failure}", path.display()));
            }
        }
    }
    let lower_time = start.elapsed();

    println!(
        "syn::parse_file   {:>7.1} MB/s  ({:.2} s, {syn_failures} files fail to parse)",
        rate(bytes, syn_time),
        syn_time.as_secs_f64()
    );
    println!(
        "comments          {:>7.1} MB/s  ({:.2} s, {comments} comments)",
        rate(bytes, comments_time),
        comments_time.as_secs_f64()
    );
    println!(
        "lower             {:>7.1} MB/s  ({:.2} s, {syntax} syntax errors, {too_deep} too deep, {depth_limited} hit the walk's depth limit)",
        rate(bytes, lower_time),
        lower_time.as_secs_f64()
    );
    println!("facts: {strings} strings, {calls} calls, {bindings} bindings");
    for failure in failures.iter().take(10) {
        println!("{failure}");
    }
}

fn main() {
    // The stack the engine gives front ends.
    let thread = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(run)
        .expect("spawn a thread");
    thread.join().expect("the benchmark thread panicked");
}
