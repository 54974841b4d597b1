//! Measures single-thread throughput on a corpus: parse only, then parse and lower.
//!
//! `cargo run --release -p miroguard_js --example js_throughput [DIR]`
//! (default `~/.cache/miroguard-bench/corpus/js`). Reads every `.js` and `.ts`
//! file into memory first, so only parsing and lowering are timed.

use miroguard_core::Language;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let root = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
        home.join(".cache/miroguard-bench/corpus/js")
    });
    let mut files = Vec::new();
    collect(&root, &mut files);
    let total: usize = files.iter().map(|(text, _)| text.len()).sum();
    let megabytes = total as f64 / 1e6;
    println!("{} files, {megabytes:.1} MB under {}", files.len(), root.display());

    let mut parsers = [Language::JavaScript, Language::TypeScript].map(|language| {
        let mut parser = tree_sitter::Parser::new();
        let grammar: tree_sitter::Language = match language {
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            _ => tree_sitter_javascript::LANGUAGE.into(),
        };
        parser.set_language(&grammar).expect("grammar loads");
        parser
    });
    // Each file is parsed alone and then lowered (which parses it again),
    // interleaved, so that load from other processes affects both alike.
    let (mut parse, mut lower) = (0.0, 0.0);
    let (mut strings, mut bindings, mut calls, mut deep) = (0, 0, 0, 0);
    for (text, language) in &files {
        let parser = &mut parsers[usize::from(*language == Language::TypeScript)];
        let start = Instant::now();
        drop(parser.parse(text, None));
        parse += start.elapsed().as_secs_f64();

        let start = Instant::now();
        let facts = miroguard_js::lower(text, *language);
        lower += start.elapsed().as_secs_f64();
        strings += facts.strings.len();
        bindings += facts.bindings.len();
        calls += facts.calls.len();
        deep += usize::from(facts.depth_limit_hit.is_some());
    }
    println!("parse only:     {parse:6.2} s  {:6.2} MB/s", megabytes / parse);
    println!("parse + lower:  {lower:6.2} s  {:6.2} MB/s", megabytes / lower);
    println!(
        "lowering alone: {:6.2} s  {:6.2} MB/s",
        lower - parse,
        megabytes / (lower - parse)
    );
    println!("{strings} strings, {bindings} bindings, {calls} calls; {deep} files hit the depth limit");
}

fn collect(dir: &Path, files: &mut Vec<(String, Language)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(&path, files);
        } else if kind.is_file() {
            let language = match path.extension().and_then(|ext| ext.to_str()) {
                Some("js") => Language::JavaScript,
                Some("ts") => Language::TypeScript,
                _ => continue,
            };
            if let Ok(bytes) = std::fs::read(&path) {
                files.push((String::from_utf8_lossy(&bytes).into_owned(), language));
            }
        }
    }
}
