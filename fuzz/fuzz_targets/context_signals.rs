//! Fuzzes the classification's signal extraction and propagation: any bytes,
//! as any of the file kinds it reads (scripts, HTML, package.json,
//! tsconfig.json, Cargo.toml, bundler configs), must extract and classify
//! without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use miroguard_context::{Classifier, extract};

const NAMES: [&str; 9] = [
    "src/main.ts",
    "app/page.tsx",
    "index.html",
    "package.json",
    "tsconfig.json",
    "Cargo.toml",
    "vite.config.ts",
    "webpack.config.js",
    "src/lib.rs",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut classifier = Classifier::new();
    for name in NAMES {
        match extract(name, &text) {
            Some(signals) => classifier.add_signals(name, signals),
            None => classifier.add_file(name),
        }
    }
    let map = classifier.classify(|_| None);
    let _ = map.iter().count();
});
