//! Prints the Facts of a file: `cargo run --example facts -- path/to/file.ts`.

use miroguard_core::Language;
use std::path::Path;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: facts <file.js|ts|tsx>");
        std::process::exit(2);
    };
    let source = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error) => {
            eprintln!("{path}: {error}");
            std::process::exit(2);
        }
    };
    let facts = miroguard_js::lower(&source, Language::from_path(Path::new(&path)));
    println!("{facts:#?}");
}
