//! The value-flow layer on Facts lowered by the real front ends.

use miroguard_core::Language;
use miroguard_ir::flow::{Destination, Flow, OriginKind};
use miroguard_ir::{BindingKind, Facts, Value};

fn ts(source: &str) -> Facts {
    miroguard_js::lower(source, Language::TypeScript)
}

fn rust(source: &str) -> Facts {
    miroguard_rust::lower(source).expect("parses")
}

/// The names of the bindings and parameters the argument of the first call
/// to `callee` comes from, and its literal origins' text.
fn origin_names(facts: &Facts, source: &str, callee: &str, arg: usize) -> Vec<String> {
    let flow = Flow::new(facts, source);
    let call = facts
        .calls
        .iter()
        .find(|c| c.callee.last().is_some_and(|l| l == callee))
        .expect("call");
    let value = &call.args[arg];
    let mut names = Vec::new();
    for origin in flow.origins(value, call.scope, call.span.start) {
        names.extend(flow.origin_names(&origin).map(str::to_string));
        match origin.kind {
            OriginKind::Literal(id) => names.push(format!("{:?}", facts.string(id).value)),
            OriginKind::Call(id) => names.push(format!("{}()", facts.call(id).callee.join("."))),
            _ => {}
        }
    }
    names
}

/// The names of the bindings, the callees of the arguments and the
/// functions returning the result of the first call to `callee` reaches.
fn destination_names(facts: &Facts, source: &str, callee: &[&str]) -> Vec<String> {
    let flow = Flow::new(facts, source);
    let id = facts.calls.iter().position(|c| c.callee == callee).expect("call") as u32;
    flow.destinations_of_call(id)
        .into_iter()
        .filter_map(|d| match d {
            Destination::Binding(b) => Some(facts.bindings[b as usize].name.clone()),
            Destination::Argument { call, index } => Some(format!(
                "{}#{}",
                facts.call(call).callee.join("."),
                index.map_or("?".into(), |i| i.to_string())
            )),
            Destination::Return { function, .. } => Some(format!(
                "return {}",
                facts.scopes[function as usize].name.as_deref().unwrap_or("<anonymous>")
            )),
            Destination::Receiver(_) => None,
        })
        .collect()
}

#[test]
fn origins_resolve_through_variables_templates_and_conversions() {
    let source = r#"
        function login(req) {
            const pw = req.body.password;
            const salted = `${pw}:${SALT}`;
            return crypto.createHash("md5").update(salted.toString()).digest("hex");
        }
    "#;
    let names = origin_names(&ts(source), source, "update", 0);
    assert!(names.contains(&"password".to_string()), "{names:?}");
    assert!(
        names.contains(&"pw".to_string()) && names.contains(&"salted".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"SALT".to_string()), "{names:?}");
}

#[test]
fn origins_through_destructuring_and_parameters() {
    let source = r#"
        function hashIt({ body }, secretKey: string) {
            const { password } = body;
            md5(password);
            sha1(secretKey);
        }
    "#;
    let facts = ts(source);
    assert_eq!(origin_names(&facts, source, "md5", 0), ["password"]);
    assert_eq!(origin_names(&facts, source, "sha1", 0), ["secretKey"]);
}

#[test]
fn the_latest_binding_in_the_nearest_scope_wins() {
    let source = r#"
        let value = password;
        function f() {
            md5(value);
            let value = etag;
            value = fileContents;
            sha1(value);
            { const value = token; md4(value); }
            ripemd(value);
        }
        whirlpool(value);
    "#;
    let facts = ts(source);
    // Shadowing: the function's own `value` is only seen after it is declared.
    assert_eq!(origin_names(&facts, source, "md5", 0), ["value", "password"]);
    // Reassignment: the assignment is the latest binding.
    assert_eq!(origin_names(&facts, source, "sha1", 0), ["value", "fileContents"]);
    assert_eq!(origin_names(&facts, source, "md4", 0), ["value", "token"]);
    // The block's `value` is gone after the block.
    assert_eq!(origin_names(&facts, source, "ripemd", 0), ["value", "fileContents"]);
    assert_eq!(origin_names(&facts, source, "whirlpool", 0), ["value", "password"]);
}

#[test]
fn bindings_inside_closures_are_not_seen_outside() {
    let source = r#"
        let token = etag;
        items.forEach((item) => { token = item.secret; });
        md5(token);
    "#;
    assert_eq!(origin_names(&ts(source), source, "md5", 0), ["token", "etag"]);
}

#[test]
fn destinations_through_variables_fields_arguments_and_returns() {
    let source = r#"
        function generateState(res) {
            const raw = Math.random().toString(36).slice(2);
            const state = `st-${raw}`;
            res.cookie("oauth_state", state, { httpOnly: true });
            return { state, nonce: Math.floor(Math.random() * 1e6) };
        }
    "#;
    let facts = ts(source);
    let names = destination_names(&facts, source, &["Math", "random"]);
    for expected in ["raw", "state", "oauth_state", "res.cookie#1", "return generateState"] {
        assert!(names.contains(&expected.to_string()), "{expected} not in {names:?}");
    }
    assert!(!names.contains(&"httpOnly".to_string()), "{names:?}");
}

#[test]
fn callbacks_of_adapters_flow_into_the_result_but_registrations_do_not() {
    let source = r#"
        const sessionId = Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join("");
        setTimeout(() => Math.random(), 100);
    "#;
    let facts = ts(source);
    let flow = Flow::new(&facts, source);
    let randoms: Vec<u32> = facts
        .calls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.callee == ["Math", "random"])
        .map(|(id, _)| id as u32)
        .collect();
    let named = |call: u32| -> Vec<String> {
        flow.destinations_of_call(call)
            .into_iter()
            .filter_map(|d| match d {
                Destination::Binding(b) => Some(facts.bindings[b as usize].name.clone()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(named(randoms[0]), ["sessionId"]);
    assert!(named(randoms[1]).is_empty());
}

#[test]
fn predicates_end_a_flow() {
    let source = r#"
        const token = Math.random();
        const isBig = token.toFixed(2).includes("9");
    "#;
    let facts = ts(source);
    let names = destination_names(&facts, source, &["Math", "random"]);
    assert_eq!(names, ["token"]);
}

#[test]
fn rust_flows_through_rng_methods_iterator_closures_and_out_parameters() {
    let source = r#"
        fn new_api_key() -> String {
            let mut rng = SmallRng::seed_from_u64(42);
            let mut key = [0u8; 32];
            rng.fill_bytes(&mut key);
            let token: String = (0..32).map(|_| rng.sample(Alphanumeric) as char).collect();
            hex::encode(key)
        }
    "#;
    let facts = rust(source);
    let names = destination_names(&facts, source, &["SmallRng", "seed_from_u64"]);
    for expected in ["rng", "key", "token", "return new_api_key"] {
        assert!(names.contains(&expected.to_string()), "{expected} not in {names:?}");
    }
}

#[test]
fn rust_origins_through_format_and_conversions() {
    let source = r#"
        fn digest(user: &User, salt: &str) -> String {
            let input = format!("{}{}", user.password, salt);
            let d = Md5::digest(input.as_bytes());
            hex::encode(d)
        }
    "#;
    let facts = rust(source);
    let names = origin_names(&facts, source, "digest", 0);
    assert!(
        names.contains(&"password".to_string()) && names.contains(&"salt".to_string()),
        "{names:?}"
    );
    let params: Vec<&str> = facts
        .bindings
        .iter()
        .filter(|b| b.kind == BindingKind::Parameter)
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(params, ["user", "salt"]);
    assert_eq!(
        facts
            .scopes
            .iter()
            .filter_map(|s| s.name.as_deref())
            .collect::<Vec<_>>(),
        ["digest"]
    );
    assert!(matches!(facts.returns[0].value, Value::Call(_)));
}

/// Every query on every prefix of the crypto fixtures (half-typed code, as an
/// editor sends it) answers without panicking.
#[test]
fn half_typed_code_never_panics() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let files = [
        "weak-hash/server/users.js",
        "weak-hash/rust/src/lib.rs",
        "insecure-random-key/server/auth.js",
        "insecure-random-key/rust/src/lib.rs",
        "static-iv-or-key/src/storage.ts",
    ];
    for file in files {
        let text = std::fs::read_to_string(root.join(file)).expect("fixture exists");
        let mut cut = 0;
        while cut < text.len() {
            cut = (cut + 211).min(text.len());
            while !text.is_char_boundary(cut) {
                cut += 1;
            }
            let prefix = &text[..cut];
            let facts = if file.ends_with(".rs") {
                match miroguard_rust::lower(prefix) {
                    Ok(facts) => facts,
                    Err(_) => continue,
                }
            } else {
                ts(prefix)
            };
            let flow = Flow::new(&facts, prefix);
            for (id, call) in facts.calls.iter().enumerate() {
                let _ = flow.destinations_of_call(id as u32);
                for arg in &call.args {
                    for origin in flow.origins(arg, call.scope, call.span.start) {
                        let _ = flow.origin_names(&origin).count();
                    }
                }
            }
        }
    }
}
