//! The secret detectors' cost per byte, file by file as a scan runs them:
//!
//! - `gate`: the lexical gate (`could_match_in_source`) that decides whether
//!   a source file is parsed for the generic detector. It stops at the first
//!   candidate, so its speed is that of the files it turns away, which are
//!   most files of a real tree;
//! - `in_text`: the generic detector's `name = value` pair scan, run on text
//!   files and on source files that did not parse;
//! - `detectors`: every provider-format detector's regex over every file,
//!   with no keyword prefilter: the most they can cost (a scan runs each
//!   only on files that contain one of its keywords);
//! - `detector`: the same, one detector at a time, over the fixtures: which
//!   regex is slow.
//!
//! `cargo bench -p miroguard_rules --bench secrets` (divan; `-- --sample-count
//! 10` for a quicker run, `-- gate` for one group). Inputs: see
//! `miroguard_bench_inputs` (fixtures repeated to about 1 MB, the 5,000-line
//! generated files, a corpus sample when `MIROGUARD_BENCH_CORPUS` is set).

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use miroguard_bench_inputs::{Family, Source, SourceFile, files, total_bytes};
use miroguard_rules::rules::hardcoded_secret::HardcodedSecret;
use miroguard_rules::secrets::detector::Detector;
use miroguard_rules::secrets::generic::{self, could_match_in_source};

fn main() {
    divan::main();
}

fn rule() -> HardcodedSecret {
    HardcodedSecret::new(&[], &[]).expect("the built-in hardcoded-secret rule loads")
}

fn bytes(files: &[SourceFile]) -> BytesCount {
    BytesCount::new(total_bytes(files))
}

#[divan::bench(args = Source::available())]
fn gate(bencher: Bencher, source: Source) {
    let files = files(Family::Source, source);
    let passed = files.iter().filter(|file| could_match_in_source(&file.text)).count();
    // The gate stops at its first candidate: an input where every file
    // passes would time little more than the files' first lines.
    assert!(
        passed < files.len(),
        "{source}: all {} files pass the gate; nothing is scanned to the end",
        files.len()
    );
    if source == Source::Fixtures {
        // The secret fixtures must get through, or the gate is broken.
        assert!(passed > 0, "fixtures: no file passes the gate");
    }
    bencher.counter(bytes(&files)).bench_local(|| {
        black_box(&files)
            .iter()
            .filter(|file| could_match_in_source(&file.text))
            .count()
    });
}

#[divan::bench(args = Source::available())]
fn in_text(bencher: Bencher, source: Source) {
    let files = files(Family::All, source);
    let mut found = Vec::new();
    for file in &files {
        generic::in_text(&file.text, &mut found);
    }
    if source == Source::Fixtures {
        assert!(!found.is_empty(), "fixtures: the pair scan finds nothing");
    }
    assert!(total_bytes(&files) > 0, "{source}: no input");
    bencher.counter(bytes(&files)).bench_local(|| {
        let mut found = Vec::new();
        for file in black_box(&files) {
            generic::in_text(&file.text, &mut found);
        }
        found
    });
}

fn run_all(detectors: &[Detector], files: &[SourceFile]) -> usize {
    let mut found = Vec::new();
    let mut count = 0;
    for file in files {
        for detector in detectors {
            found.clear();
            detector.find(&file.text, &mut found);
            count += found.len();
        }
    }
    count
}

#[divan::bench(args = Source::available())]
fn detectors(bencher: Bencher, source: Source) {
    let rule = rule();
    let files = files(Family::All, source);
    if source == Source::Fixtures {
        assert!(run_all(rule.detectors(), &files) > 0, "fixtures: no detector matches");
    }
    assert!(total_bytes(&files) > 0, "{source}: no input");
    bencher
        .counter(bytes(&files))
        .bench_local(|| run_all(rule.detectors(), black_box(&files)));
}

fn detector_ids() -> Vec<String> {
    rule().detectors().iter().map(|detector| detector.id.clone()).collect()
}

#[divan::bench(args = detector_ids(), sample_count = 20)]
fn detector(bencher: Bencher, id: &str) {
    let rule = rule();
    let detector = rule
        .detectors()
        .iter()
        .find(|detector| detector.id == id)
        .expect("an id from detector_ids()");
    let files = files(Family::All, Source::Fixtures);
    bencher.counter(bytes(&files)).bench_local(|| {
        let mut found = Vec::new();
        for file in black_box(&files) {
            detector.find(&file.text, &mut found);
        }
        found
    });
}
