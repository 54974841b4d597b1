//! What classification costs on a real tree: `cargo bench -p miroguard_context`.
//!
//! Reads every file under `MIROGUARD_BENCH_TREE` (default: the benchmark
//! corpus that `bench/run.sh` builds) into memory first, so that only the
//! classification's own work is timed: signal extraction over every file (the
//! part the scan runs on its worker threads, timed here on one thread) and the
//! propagation over the import graph (the sequential part). Compare the sum
//! with the scan's wall time from `bench/run.sh`.

use miroguard_context::{Classifier, extract};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            collect(&path, root, out);
        } else if kind.is_file() {
            // Non-UTF-8 files carry no signals; the scan reads them lossily.
            if let Ok(text) = std::fs::read_to_string(&path) {
                let display = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((display, text));
            }
        }
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let tree = std::env::var_os("MIROGUARD_BENCH_TREE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
            home.join(".cache/miroguard-bench/corpus")
        });
    if !tree.is_dir() {
        eprintln!(
            "classify bench: no tree at {} (set MIROGUARD_BENCH_TREE, or build the corpus with bench/run.sh)",
            tree.display()
        );
        return;
    }
    let mut files = Vec::new();
    collect(&tree, &tree, &mut files);
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();

    let mut extract_times = Vec::new();
    let mut propagate_times = Vec::new();
    let mut classes = std::collections::BTreeMap::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let signals: Vec<_> = files.iter().map(|(path, text)| (path, extract(path, text))).collect();
        extract_times.push(started.elapsed());

        let started = Instant::now();
        let mut classifier = Classifier::new();
        for (path, signals) in signals {
            match signals {
                Some(signals) => classifier.add_signals(path, signals),
                None => classifier.add_file(path),
            }
        }
        let map = classifier.classify(|_| None);
        propagate_times.push(started.elapsed());
        classes.clear();
        for (_, classification) in map.iter() {
            *classes.entry(classification.class.to_string()).or_insert(0usize) += 1;
        }
    }
    let extract_time = median(extract_times);
    let propagate_time = median(propagate_times);
    println!(
        "classify bench: {} files ({:.1} MB); medians of {RUNS} runs",
        files.len(),
        bytes as f64 / 1e6
    );
    let classes: Vec<String> = classes.iter().map(|(class, n)| format!("{n} {class}")).collect();
    println!("  classes: {}", classes.join(", "));
    println!(
        "  extract signals (one thread): {:>8.1} ms  ({:.0} MB/s)",
        extract_time.as_secs_f64() * 1e3,
        bytes as f64 / 1e6 / extract_time.as_secs_f64()
    );
    println!(
        "  propagate over imports:       {:>8.1} ms",
        propagate_time.as_secs_f64() * 1e3
    );
    println!(
        "  total (one thread):           {:>8.1} ms",
        (extract_time + propagate_time).as_secs_f64() * 1e3
    );
}
