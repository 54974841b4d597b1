//! The engine's hot paths, one file at a time as a scan or the editor runs
//! them, with all rules on:
//!
//! - `prefilter`: the one Aho-Corasick pass over every file for all rules'
//!   keywords, which decides which rules look at a file at all;
//! - `check_document`: `Engine::check_text` on the 5,000-line TypeScript and
//!   Rust files of a Miro app's server (prefilter, gates, parse, every rule,
//!   suppression, finalising), what the editor runs on a save;
//! - `check_files`: the same over the fixtures (and a corpus sample), as a
//!   scan's workers run it per file, without walking or reading;
//! - `engine_new`: building the engine (regexes, keyword automaton), which
//!   `check_source` pays on every call and a scan once.
//!
//! `cargo bench -p miroguard_engine --bench scan_paths` (divan; `--
//! --sample-count 10` for a quicker run, `-- prefilter` for one group).
//! Inputs: see `miroguard_bench_inputs`.

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use miroguard_bench_inputs::{Family, Source, SourceFile, files, total_bytes};
use miroguard_core::{Config, FileContext};
use miroguard_engine::Engine;

fn main() {
    divan::main();
}

fn engine() -> Engine {
    Engine::new(Config::default()).expect("the built-in rules load with the default configuration")
}

fn contexts(files: &[SourceFile]) -> Vec<FileContext> {
    files
        .iter()
        .map(|file| FileContext::from_display_path(file.path.clone()))
        .collect()
}

#[divan::bench(args = Source::available())]
fn prefilter(bencher: Bencher, source: Source) {
    let engine = engine();
    let files = files(Family::All, source);
    let hits: usize = files
        .iter()
        .map(|file| engine.prefilter_scan(&file.text).into_iter().filter(|&hit| hit).count())
        .sum();
    assert!(hits > 0, "{source}: no rule keyword in {} files", files.len());
    bencher.counter(BytesCount::new(total_bytes(&files))).bench_local(|| {
        for file in black_box(&files) {
            black_box(engine.prefilter_scan(&file.text));
        }
    });
}

#[divan::bench(args = ["typescript", "rust"], sample_count = 20)]
fn check_document(bencher: Bencher, language: &str) {
    let engine = engine();
    let family = if language == "rust" { Family::Rust } else { Family::JsTs };
    let [SourceFile { path, text, .. }] =
        <[SourceFile; 1]>::try_from(files(family, Source::Generated)).expect("one generated document per language");
    let context = FileContext::from_display_path(path.clone());
    // Outside the timed loop: the rules asked for the parse and the file
    // parsed whole, so the time is that of the full path, not of a shortcut.
    let report = engine.check_text(&context, &text);
    assert!(report.parsed, "{path}: no rule asked for a parse");
    assert!(
        report.notifications.is_empty(),
        "{path}: {:?}",
        report.notifications.iter().map(|n| &n.message).collect::<Vec<_>>()
    );
    bencher
        .counter(BytesCount::new(text.len()))
        .bench_local(|| engine.check_text(black_box(&context), black_box(&text)));
}

fn file_sources() -> Vec<Source> {
    // The generated documents are `check_document`'s.
    Source::available()
        .into_iter()
        .filter(|source| *source != Source::Generated)
        .collect()
}

#[divan::bench(args = file_sources(), sample_count = 20)]
fn check_files(bencher: Bencher, source: Source) {
    let engine = engine();
    let files = files(Family::All, source);
    let contexts = contexts(&files);
    let reports: Vec<_> = files
        .iter()
        .zip(&contexts)
        .map(|(file, context)| engine.check_text(context, &file.text))
        .collect();
    let parsed = reports.iter().filter(|report| report.parsed).count();
    let findings: usize = reports.iter().map(|report| report.findings.len()).sum();
    assert!(parsed > 0, "{source}: no file parsed");
    if source == Source::Fixtures {
        assert!(findings > 0, "fixtures: no finding");
    }
    bencher.counter(BytesCount::new(total_bytes(&files))).bench_local(|| {
        for (file, context) in black_box(&files).iter().zip(&contexts) {
            black_box(engine.check_text(context, &file.text));
        }
    });
}

#[divan::bench(sample_count = 20)]
fn engine_new() -> Engine {
    engine()
}
