//! Fuzzes the value-flow layer: for any bytes lowered as TypeScript and as
//! Rust, asking every call where its result goes and where its arguments
//! come from must not panic (spans into the text, scope chains, cycles).

#![no_main]

use libfuzzer_sys::fuzz_target;
use miroguard_core::Language;
use miroguard_ir::Facts;
use miroguard_ir::flow::Flow;

fn query_all(facts: &Facts, text: &str) {
    let flow = Flow::new(facts, text);
    for (id, call) in facts.calls.iter().enumerate() {
        let _ = flow.destinations_of_call(id as u32);
        for arg in &call.args {
            for origin in flow.origins(arg, call.scope, call.span.start) {
                let _ = flow.origin_names(&origin).count();
            }
        }
    }
    for id in 0..facts.bindings.len() {
        let _ = flow.destinations_of_binding(id as u32);
    }
}

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let facts = miroguard_js::lower(&source, Language::TypeScript);
    query_all(&facts, &source);
    if let Ok(facts) = miroguard_rust::lower(&source) {
        query_all(&facts, &source);
    }
});
