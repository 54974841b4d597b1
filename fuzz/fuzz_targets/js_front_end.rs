//! Fuzzes the JavaScript/TypeScript front end: any bytes, as any JS-family
//! language, must lower without panicking or overflowing the stack.

#![no_main]

use libfuzzer_sys::fuzz_target;
use miroguard_core::Language;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    for language in [Language::JavaScript, Language::TypeScript, Language::Tsx] {
        let _ = miroguard_js::lower(&source, language);
    }
});
