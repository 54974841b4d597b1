//! The Rust front end's cost per byte: syn's parse and the lowering to
//! Facts, file by file, as the engine runs them on a file a rule needs parsed.
//!
//! `cargo bench -p miroguard_rust --bench lower` (divan; `-- --sample-count 10`
//! for a quicker run). Inputs: the repository's Rust fixtures repeated to
//! about 1 MB, the 5,000-line generated Rust file, and a sample of the corpus
//! when `MIROGUARD_BENCH_CORPUS` names one (see `miroguard_bench_inputs`).

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use miroguard_bench_inputs::{Family, Source, files, total_bytes};

fn main() {
    divan::main();
}

#[divan::bench(args = Source::available(), sample_count = 20)]
fn lower(bencher: Bencher, source: Source) {
    let files = files(Family::Rust, source);
    // Outside the timed loop: most files parse and give facts. A syntax
    // error stops syn early, so an input of broken files would look fast.
    let lowered: Vec<_> = files.iter().map(|file| miroguard_rust::lower(&file.text)).collect();
    let parsed = lowered.iter().filter(|result| result.is_ok()).count();
    let facts: usize = lowered
        .iter()
        .flatten()
        .map(|facts| facts.strings.len() + facts.calls.len() + facts.bindings.len())
        .sum();
    assert!(
        parsed * 10 >= files.len() * 9 && facts > 0,
        "{source}: {parsed} of {} files parsed, {facts} facts",
        files.len()
    );
    bencher.counter(BytesCount::new(total_bytes(&files))).bench_local(|| {
        for file in black_box(&files) {
            // Failures included: a scan pays for them too.
            let _ = black_box(miroguard_rust::lower(&file.text));
        }
    });
}
