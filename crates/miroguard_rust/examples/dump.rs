//! Prints the Facts of a Rust file (a debugging aid): `cargo run --example dump -- file.rs`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump <file.rs>");
    let source = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    match miroguard_rust::lower(&source) {
        Ok(facts) => println!("{facts:#?}"),
        Err(failure) => println!("{failure:?}"),
    }
}
