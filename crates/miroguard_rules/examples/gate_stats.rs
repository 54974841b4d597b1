//! How many source files of a tree the secret rule's lexical gate sends to
//! the parser, and which values let them through (for tuning the gate):
//!
//! cargo run --release -p miroguard_rules --example gate_stats -- ~/.cache/miroguard-bench/corpus

use miroguard_rules::secrets::generic::{GateReason, gate_reason};
use std::collections::HashMap;
use std::path::Path;

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rs" | "js" | "mjs" | "cjs" | "ts" | "jsx" | "tsx" | "mts" | "cts")
        ) {
            out.push(path);
        }
    }
}

fn main() {
    let root = std::env::args().nth(1).expect("usage: gate_stats DIR");
    let mut files = Vec::new();
    walk(Path::new(&root), &mut files);
    let (mut total_bytes, mut gated_files, mut gated_bytes) = (0usize, 0usize, 0usize);
    let mut by_value: HashMap<String, usize> = HashMap::new();
    let mut biggest: Vec<(usize, String, String)> = Vec::new();
    let (mut quoted, mut pairs) = (0, 0);
    let started = std::time::Instant::now();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        total_bytes += text.len();
        match gate_reason(&text) {
            None => {}
            Some(reason) => {
                gated_files += 1;
                gated_bytes += text.len();
                let value = match reason {
                    GateReason::Quoted(v) => {
                        quoted += 1;
                        v
                    }
                    GateReason::Pair(v) => {
                        pairs += 1;
                        format!("pair: {v}")
                    }
                };
                biggest.push((text.len(), file.display().to_string(), value.clone()));
                *by_value.entry(value).or_default() += 1;
            }
        }
    }
    println!(
        "{} files, {:.1} MB; gated {} files ({:.1}%), {:.1} MB ({:.1}%); {quoted} by a quoted value, {pairs} by a pair; {:.2} s",
        files.len(),
        total_bytes as f64 / 1e6,
        gated_files,
        100.0 * gated_files as f64 / files.len() as f64,
        gated_bytes as f64 / 1e6,
        100.0 * gated_bytes as f64 / total_bytes as f64,
        started.elapsed().as_secs_f64()
    );
    biggest.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    for (size, file, value) in biggest.iter().take(25) {
        println!("{:8.1} KB  {file}  [{value}]", *size as f64 / 1024.0);
    }
    let mut top: Vec<_> = by_value.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (value, count) in top.iter().take(80) {
        println!("{count:6}  {value}");
    }
}
