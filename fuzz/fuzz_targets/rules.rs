//! Fuzzes every rule on every file a front end can lower: any bytes, as a
//! server JS file, a browser TSX file and a Rust file, parsed whatever the
//! lexical tiers say, must be checked without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use miroguard_core::{Config, FileContext};
use miroguard_engine::Engine;
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let mut engine = Engine::new(Config::default()).expect("built-in rules load");
    engine.force_parse(true);
    engine
});

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    for path in ["server/app.js", "src/panel.tsx", "src/main.rs"] {
        let _ = ENGINE.check_text(&FileContext::from_display_path(path), &source);
    }
});
