//! The JS/TS front end's cost per byte: tree-sitter's parse and the lowering
//! to Facts, file by file, as the engine runs them on a file a rule needs
//! parsed.
//!
//! `cargo bench -p miroguard_js --bench lower` (divan; `-- --sample-count 10`
//! for a quicker run). Inputs: the repository's JS/TS fixtures repeated to
//! about 1 MB, the 5,000-line generated TypeScript file, and a sample of the
//! corpus when `MIROGUARD_BENCH_CORPUS` names one (see `miroguard_bench_inputs`).

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use miroguard_bench_inputs::{Family, Source, files, total_bytes};

fn main() {
    divan::main();
}

#[divan::bench(args = Source::available(), sample_count = 20)]
fn lower(bencher: Bencher, source: Source) {
    let files = files(Family::JsTs, source);
    // Outside the timed loop: the input is JS/TS that lowers to something,
    // so an empty or unparsable input cannot pass for a fast front end.
    let facts: usize = files
        .iter()
        .map(|file| {
            let facts = miroguard_js::lower(&file.text, file.language);
            facts.strings.len() + facts.calls.len() + facts.bindings.len()
        })
        .sum();
    assert!(facts > 0, "{source}: {} files lowered to no facts", files.len());
    bencher.counter(BytesCount::new(total_bytes(&files))).bench_local(|| {
        for file in black_box(&files) {
            black_box(miroguard_js::lower(&file.text, file.language));
        }
    });
}
