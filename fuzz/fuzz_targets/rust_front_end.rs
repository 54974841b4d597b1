//! Fuzzes the Rust front end: any bytes must lower, and yield their comments,
//! without panicking or overflowing the stack.
//!
//! libFuzzer's thread has a small stack, and the front end promises safety
//! only on the 64 MiB stack the engine gives it, so lowering runs on a
//! thread of that size. (Under `cfg(fuzzing)` proc-macro2 reports every span
//! as `0..0`, which exercises the front end's clamping of spans.)

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data).into_owned();
    let comments = miroguard_rust::comments(&source);
    assert!(comments.iter().all(|c| c.span.start <= c.span.end && c.span.end <= source.len()));
    let lowering = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            if let Ok(facts) = miroguard_rust::lower(&source) {
                assert!(facts.strings.iter().all(|s| s.span.end <= source.len() && s.content.end <= source.len()));
            }
        })
        .expect("spawn the lowering thread");
    if let Err(panic) = lowering.join() {
        std::panic::resume_unwind(panic);
    }
});
