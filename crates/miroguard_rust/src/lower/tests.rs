//! What lowering produces, construct by construct.

use miroguard_ir::{Binding, BindingKind, Call, Facts, ImportKind, ScopeKind, StringKind, TemplatePart, Value};

fn facts(source: &str) -> Facts {
    match crate::lower(source) {
        Ok(facts) => facts,
        Err(failure) => panic!("{failure:?} in {source}"),
    }
}

fn binding<'a>(facts: &'a Facts, name: &str) -> &'a Binding {
    facts
        .bindings
        .iter()
        .find(|b| b.name == name)
        .unwrap_or_else(|| panic!("no binding {name}: {:#?}", facts.bindings))
}

fn call<'a>(facts: &'a Facts, callee: &[&str]) -> &'a Call {
    facts
        .calls
        .iter()
        .find(|c| c.callee == callee)
        .unwrap_or_else(|| panic!("no call {callee:?}: {:#?}", facts.calls))
}

/// The text of a `Str` value.
fn text<'a>(facts: &'a Facts, value: &Value) -> &'a str {
    match value {
        Value::Str(id) => &facts.string(*id).value,
        other => panic!("not a string: {other:?}"),
    }
}

fn values(facts: &Facts) -> Vec<&str> {
    facts.strings.iter().map(|s| s.value.as_str()).collect()
}

fn ident(name: &str) -> Value {
    Value::Ident(name.into())
}

fn member(path: &[&str]) -> Value {
    Value::Member(path.iter().map(|s| s.to_string()).collect())
}

// Strings

#[test]
fn every_kind_of_string_literal_with_its_spans() {
    let source = r###"const A: &str = "a\tb"; const B: &str = r#"x"y"#; const C: &[u8] = b"k\xffz"; const D: &[u8] = br"q"; const E: &CStr = c"hi";"###;
    let facts = facts(source);
    let kinds: Vec<(&str, StringKind, bool)> = facts
        .strings
        .iter()
        .map(|s| (s.value.as_str(), s.kind, s.verbatim))
        .collect();
    assert_eq!(
        kinds,
        [
            ("a\tb", StringKind::Plain, false),
            ("x\"y", StringKind::Raw, true),
            ("k\u{FFFD}z", StringKind::Bytes, false),
            ("q", StringKind::Bytes, true),
            ("hi", StringKind::Bytes, true),
        ]
    );
    let raw = &facts.strings[1];
    assert_eq!(raw.span.text(source), r##"r#"x"y"#"##);
    assert_eq!(raw.content.text(source), r#"x"y"#);
    assert_eq!(facts.strings[0].content.text(source), r"a\tb");
}

#[test]
fn strings_in_attributes_and_macros_but_not_doc_comments() {
    let source = r#"
        //! crate docs "not a string"
        /// item docs "not a string"
        #[doc = "explicit doc"]
        #[serde(rename = "renamed")]
        fn f() { m!(1 + "in macro"); }
    "#;
    let facts = facts(source);
    assert_eq!(values(&facts), ["explicit doc", "renamed", "in macro"]);
    assert_eq!(facts.comments.len(), 2);
}

#[test]
fn strings_in_patterns_and_types() {
    let facts = facts(r#"fn f(x: &str) { match x { "a" | "b" => {} _ => {} } let _: [u8; { "c"; 1 }]; }"#);
    assert_eq!(values(&facts), ["a", "b", "c"]);
}

// Bindings

#[test]
fn variables_constants_and_statics_everywhere() {
    let source = r#"
        const TOP: &str = "top";
        static mut STATIC: &str = "static";
        struct S;
        impl S { const IN_IMPL: &'static str = "impl"; }
        trait T { const IN_TRAIT: &str = "trait"; const NO_DEFAULT: u8; }
        fn f() {
            const IN_FN: &str = "fn";
            let plain = "plain";
            let typed: String = "typed".to_string();
            let mut mutable = "mutable";
            let (a, b) = ("tuple a", 2);
            let unset;
        }
    "#;
    let facts = facts(source);
    for (name, value) in [
        ("TOP", "top"),
        ("STATIC", "static"),
        ("IN_IMPL", "impl"),
        ("IN_TRAIT", "trait"),
        ("IN_FN", "fn"),
        ("plain", "plain"),
        ("typed", "typed"),
        ("mutable", "mutable"),
        ("a", "tuple a"),
    ] {
        let binding = binding(&facts, name);
        assert_eq!(binding.kind, BindingKind::Variable);
        assert_eq!(text(&facts, &binding.value), value);
        assert_eq!(binding.name_span.text(source), name);
    }
    assert_eq!(binding(&facts, "b").value, Value::Number("2".into()));
    assert!(
        !facts
            .bindings
            .iter()
            .any(|b| b.name == "NO_DEFAULT" || b.name == "unset")
    );
    assert_eq!(binding(&facts, "TOP").span.text(source), r#"const TOP: &str = "top";"#);
    assert_eq!(binding(&facts, "plain").span.text(source), r#"let plain = "plain";"#);
}

#[test]
fn assignments_to_names_members_and_keys() {
    let source = r#"fn f(&mut self) { x = "1"; self.api_key = "2"; a.b.c = "3"; map["k"] = "4"; *d = "5"; }"#;
    let facts = facts(source);
    let assignments: Vec<(&str, Vec<&str>, &str)> = facts
        .bindings
        .iter()
        .map(|b| {
            (
                b.name.as_str(),
                b.path.iter().map(String::as_str).collect(),
                text(&facts, &b.value),
            )
        })
        .collect();
    assert_eq!(
        assignments,
        [
            ("x", vec!["x"], "1"),
            ("api_key", vec!["self", "api_key"], "2"),
            ("c", vec!["a", "b", "c"], "3"),
            ("k", vec!["map", "k"], "4"),
            ("d", vec!["d"], "5"),
        ]
    );
    assert!(facts.bindings.iter().all(|b| b.kind == BindingKind::Assignment));
    let api_key = binding(&facts, "api_key");
    assert_eq!(api_key.name_span.text(source), "api_key");
    assert_eq!(api_key.span.text(source), r#"self.api_key = "2""#);
}

#[test]
fn struct_literal_fields_shorthand_and_nesting() {
    let source =
        r#"fn f() { let c = Config { api_key: "k", secret, auth: Auth { token: "t" }, ..Default::default() }; }"#;
    let facts = facts(source);
    let Value::Object(fields) = &binding(&facts, "c").value else {
        panic!()
    };
    let names: Vec<&str> = fields
        .iter()
        .map(|&id| facts.bindings[id as usize].name.as_str())
        .collect();
    assert_eq!(names, ["api_key", "secret", "auth"]);
    assert_eq!(text(&facts, &binding(&facts, "api_key").value), "k");
    assert_eq!(binding(&facts, "api_key").span.text(source), r#"api_key: "k""#);
    assert_eq!(binding(&facts, "secret").value, ident("secret"));
    let Value::Object(inner) = &binding(&facts, "auth").value else {
        panic!()
    };
    assert_eq!(facts.bindings[inner[0] as usize].name, "token");
    assert!(
        facts
            .bindings
            .iter()
            .filter(|b| b.name != "c")
            .all(|b| b.kind == BindingKind::Field)
    );
    call(&facts, &["Default", "default"]);
}

#[test]
fn string_keyed_arguments() {
    let source = r#"fn f() {
        headers.insert("x-api-key", HeaderValue::from_static("hv"));
        std::env::set_var("API_KEY", "env");
        client.get(url).header("Authorization", "Bearer tok").send();
        f("not a key!", "x");
        g("LAST");
    }"#;
    let facts = facts(source);
    let arguments: Vec<(&str, &str)> = facts
        .bindings
        .iter()
        .map(|b| {
            assert_eq!(b.kind, BindingKind::Argument);
            (b.name.as_str(), text(&facts, &b.value))
        })
        .collect();
    assert_eq!(
        arguments,
        [("x-api-key", "hv"), ("API_KEY", "env"), ("Authorization", "Bearer tok")]
    );
    let auth = binding(&facts, "Authorization");
    assert_eq!(auth.span.text(source), r#""Authorization", "Bearer tok""#);
    assert_eq!(auth.name_span.text(source), r#""Authorization""#);
}

#[test]
fn named_macro_arguments_and_attribute_pairs() {
    let source = r#"
        #[derive(Parser)]
        struct Args {
            #[arg(long, default_value = "default-secret")]
            key: String,
        }
        fn f() {
            let s = format!("{t}", t = token);
            info!(token = %t, "msg");
            debug!(user.token = ?u, secret = "lit");
            warn!(target: "audit", "x");
            trace!(%shorthand, ?user.id);
        }
    "#;
    let facts = facts(source);
    let named: Vec<(&str, Vec<&str>)> = facts
        .bindings
        .iter()
        .filter(|b| b.kind == BindingKind::Named)
        .map(|b| (b.name.as_str(), b.path.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        named,
        [
            ("default_value", vec!["default_value"]),
            ("t", vec!["t"]),
            ("token", vec!["token"]),
            ("token", vec!["user", "token"]),
            ("secret", vec!["secret"]),
            ("target", vec!["target"]),
            ("shorthand", vec!["shorthand"]),
            ("id", vec!["user", "id"]),
        ]
    );
    assert_eq!(text(&facts, &binding(&facts, "default_value").value), "default-secret");
    assert_eq!(binding(&facts, "t").value, ident("token"));
    let user_token = facts.bindings.iter().find(|b| b.path == ["user", "token"]).unwrap();
    assert_eq!(user_token.value, ident("u"));
    assert_eq!(user_token.name_span.text(source), "token");
    assert_eq!(user_token.span.text(source), "user.token = ?u");
    assert_eq!(binding(&facts, "id").value, member(&["user", "id"]));
}

// Values

#[test]
fn simple_values() {
    let source = r#"fn f() {
        let n = 0x1F_u8; let fl = 1.5e3; let b = true; let none = None; let unit = ();
        let i = x; let m = a::b::C; let fld = self.cfg.key; let arr = [1, 2]; let tup = ("a", b);
        let v = vec!["x"; 3]; let v2 = vec![1, 2]; let call = make(); let other = a + b; let ch = 'c';
    }"#;
    let facts = facts(source);
    let value = |name: &str| binding(&facts, name).value.clone();
    assert_eq!(value("n"), Value::Number("0x1F_u8".into()));
    assert_eq!(value("fl"), Value::Number("1.5e3".into()));
    assert_eq!(value("b"), Value::Bool(true));
    assert_eq!(value("none"), Value::Null);
    assert_eq!(value("unit"), Value::Null);
    assert_eq!(value("i"), ident("x"));
    assert_eq!(value("m"), member(&["a", "b", "C"]));
    assert_eq!(value("fld"), member(&["self", "cfg", "key"]));
    assert_eq!(
        value("arr"),
        Value::Array(vec![Value::Number("1".into()), Value::Number("2".into())])
    );
    let Value::Array(tuple) = value("tup") else { panic!() };
    assert_eq!((text(&facts, &tuple[0]), &tuple[1]), ("a", &ident("b")));
    let Value::Array(repeat) = value("v") else { panic!() };
    assert_eq!(text(&facts, &repeat[0]), "x");
    assert_eq!(
        value("v2"),
        Value::Array(vec![Value::Number("1".into()), Value::Number("2".into())])
    );
    assert!(matches!(value("call"), Value::Call(_)));
    assert_eq!(value("other"), Value::Computed(vec![ident("a"), ident("b")]));
    assert_eq!(value("ch"), Value::Unknown);
}

#[test]
fn conversions_that_keep_the_text_are_the_text() {
    let source = r#"fn f() {
        let a = "a".to_string(); let b = "b".to_owned(); let c = "c".into(); let d = String::from("d");
        let e = Some("e"); let g = Ok("g"); let h = Box::new("h"); let i = Cow::Borrowed("i");
        let j = Arc::from("j"); let k = Rc::from("k"); let l = HeaderValue::from_static("l");
        let m = Secret::new("m"); let n = SecretString::new("n".into()); let o = SecretString::from("o");
        let p = &"p"; let q = ("q"); let r = "r" as &str; let s = "s".as_str().as_bytes(); let t = get()?;
        let u = "u".into_boxed_str(); let w = std::string::String::from("w"); let x = *"x";
    }"#;
    let facts = facts(source);
    for name in [
        "a", "b", "c", "d", "e", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "u", "w", "x",
    ] {
        assert_eq!(text(&facts, &binding(&facts, name).value), name, "{name}");
    }
    assert!(matches!(binding(&facts, "t").value, Value::Call(_)));
}

#[test]
fn alternatives() {
    let source = r#"fn f() {
        let a = std::env::var("K").unwrap_or("dflt".to_string());
        let b = env::var("K").unwrap_or_else(|_| "fallback".into());
        let c = opt.unwrap_or_default();
        let d = if prod { "p" } else if staging { "s" } else { "d" };
        let e = if prod { "p" };
        let g = match mode { Mode::A => "ma", _ => "mb" };
    }"#;
    let facts = facts(source);
    let texts = |name: &str| -> Vec<&str> {
        facts
            .literal_values(&binding(&facts, name).value)
            .iter()
            .map(|lit| lit.value.as_str())
            .collect()
    };
    assert_eq!(texts("a"), ["dflt"]);
    assert!(matches!(&binding(&facts, "a").value, Value::Alternatives(v) if matches!(v[0], Value::Call(_))));
    assert_eq!(texts("b"), ["fallback"]);
    assert_eq!(binding(&facts, "c").value, ident("opt"));
    assert_eq!(texts("d"), ["p", "s", "d"]);
    assert_eq!(binding(&facts, "e").value, Value::Unknown);
    assert_eq!(texts("g"), ["ma", "mb"]);
}

#[test]
fn concat_of_literals_is_one_synthetic_string_too() {
    let source = r#"const K: &str = concat!("sk_", "live_", 42, true);"#;
    let facts = facts(source);
    let value = &binding(&facts, "K").value;
    let lit = facts.literal_values(value)[0];
    assert_eq!(lit.value, "sk_live_42true");
    assert_eq!(lit.span.text(source), r#"concat!("sk_", "live_", 42, true)"#);
    assert!(!lit.verbatim);
    assert_eq!(values(&facts), ["sk_live_42true", "sk_", "live_"]);
    let facts = self::facts(r#"const K: &str = concat!("a", env!("B"));"#);
    assert!(matches!(binding(&facts, "K").value, Value::Call(_)));
}

// Calls

#[test]
fn callees_receivers_and_spans() {
    let source = r#"fn f() {
        f(x);
        let h = Md5::new();
        client.get(u);
        self.http.post(u);
        Cookie::build("a").http_only(false);
        info!("x");
        tracing::warn!("y");
    }"#;
    let facts = facts(source);
    let f = call(&facts, &["f"]);
    assert_eq!((f.span.text(source), f.callee_span.text(source)), ("f(x)", "f"));
    assert_eq!(f.args, [ident("x")]);
    call(&facts, &["Md5", "new"]);
    let get = call(&facts, &["client", "get"]);
    assert!(get.receiver.is_none());
    assert_eq!(
        (get.span.text(source), get.callee_span.text(source)),
        ("client.get(u)", "client.get")
    );
    call(&facts, &["self", "http", "post"]);
    let http_only = call(&facts, &["http_only"]);
    let Some(receiver) = &http_only.receiver else { panic!() };
    let Value::Call(build) = **receiver else { panic!() };
    assert_eq!(facts.call(build).callee, ["Cookie", "build"]);
    assert_eq!(http_only.args, [Value::Bool(false)]);
    assert_eq!(http_only.callee_span.text(source), "http_only");
    assert_eq!(http_only.span.text(source), r#"Cookie::build("a").http_only(false)"#);
    let info = call(&facts, &["info"]);
    assert!(info.is_macro);
    assert_eq!(
        (info.span.text(source), info.callee_span.text(source)),
        (r#"info!("x")"#, "info!")
    );
    assert!(call(&facts, &["tracing", "warn"]).is_macro);
    assert!(facts.calls.iter().all(|c| c.scope == 1));
}

#[test]
fn calls_are_in_order_of_their_start() {
    let facts = facts("fn f() { a(b(c()), d()).e(g()); }");
    let callees: Vec<String> = facts.calls.iter().map(|c| c.callee.join("::")).collect();
    assert_eq!(callees, ["e", "a", "b", "c", "d", "g"]);
    let starts: Vec<usize> = facts.calls.iter().map(|c| c.span.start).collect();
    assert!(starts.is_sorted());
}

#[test]
fn long_chains_lower_fully() {
    let source = format!(
        "fn f() {{ let x = a{}; let y = z{}; }}",
        ".m(\"s\")".repeat(1000),
        " + \"t\"".repeat(1000)
    );
    let facts = facts(&source);
    assert!(facts.depth_limit_hit.is_none());
    assert_eq!(facts.calls.len(), 1000);
    assert_eq!(facts.strings.len(), 2000);
    assert_eq!(facts.calls.last().unwrap().callee, ["a", "m"]);
    let source = format!(
        "fn f() {{ let x = if a {{ \"0\" }}{} else {{ \"z\" }}; }}",
        " else if b { \"s\" }".repeat(1000)
    );
    let facts = self::facts(&source);
    assert_eq!(facts.literal_values(&binding(&facts, "x").value).len(), 1002);
}

// Macros

#[test]
fn format_strings_are_templates() {
    let source = r#"fn f() { let s = format!("a {} b {1} {name} {cap:?} {{c}} {} ", x, y, name = n); }"#;
    let facts = facts(source);
    let Value::Template(parts) = &binding(&facts, "s").value else {
        panic!()
    };
    let shown: Vec<String> = parts
        .iter()
        .map(|part| match part {
            TemplatePart::Str(id) => format!("{:?}", facts.string(*id).value),
            TemplatePart::Expr(value) => format!("{value:?}"),
        })
        .collect();
    assert_eq!(
        shown,
        [
            r#""a ""#,
            r#"Ident("x")"#,
            r#"" b ""#,
            r#"Ident("y")"#,
            r#"" ""#,
            r#"Ident("n")"#,
            r#"" ""#,
            r#"Ident("cap")"#,
            r#"" {c} ""#,
            r#"Ident("y")"#,
            r#"" ""#,
        ]
    );
    let fragment = facts.strings.iter().find(|s| s.value == " b ").unwrap();
    assert_eq!(
        (fragment.span.text(source), fragment.kind, fragment.verbatim),
        (" b ", StringKind::Template, true)
    );
    let braces = facts.strings.iter().find(|s| s.value == " {c} ").unwrap();
    assert_eq!((braces.span.text(source), braces.verbatim), (" {{c}} ", false));
    let format = call(&facts, &["format"]);
    assert!(matches!(format.args[0], Value::Template(_)));
    assert_eq!(format.args[1..], [ident("x"), ident("y"), ident("n")]);
}

#[test]
fn format_strings_of_every_format_macro() {
    let source = r#"fn f() {
        println!("p {}", a); write!(out, "w {}", b); assert_eq!(l, r, "ae {}", c);
        info!(target: "t", "i {}", d); event!(Level::INFO, "e {}", e); panic!("plain");
        let escaped = format!("\t{}", g);
    }"#;
    let facts = facts(source);
    let template_of = |callee: &str| -> Vec<TemplatePart> {
        call(&facts, &[callee])
            .args
            .iter()
            .find_map(|a| {
                if let Value::Template(p) = a {
                    Some(p.clone())
                } else {
                    None
                }
            })
            .unwrap()
    };
    for (macro_name, fragment, arg) in [
        ("println", "p ", "a"),
        ("write", "w ", "b"),
        ("assert_eq", "ae ", "c"),
        ("info", "i ", "d"),
        ("event", "e ", "e"),
    ] {
        let parts = template_of(macro_name);
        assert!(
            matches!(&parts[0], TemplatePart::Str(id) if facts.string(*id).value == fragment),
            "{macro_name}"
        );
        assert_eq!(parts[1], TemplatePart::Expr(ident(arg)), "{macro_name}");
    }
    assert_eq!(call(&facts, &["panic"]).args.len(), 1);
    assert!(values(&facts).contains(&"plain"));
    let tab = facts.strings.iter().find(|s| s.value == "\t").unwrap();
    assert!(!tab.verbatim);
    assert_eq!(tab.span.text(source), r"\t{}");
}

#[test]
fn one_unparsable_argument_does_not_hide_the_others() {
    let source = r#"fn f() { assert!(matches!(x, Some(y) if y > "lim"), "failed {}", make("v")); }"#;
    let facts = facts(source);
    let matches = call(&facts, &["matches"]);
    assert_eq!(matches.args, [ident("x"), Value::Unknown]);
    assert!(values(&facts).contains(&"lim"));
    let assert = call(&facts, &["assert"]);
    assert!(
        matches!(&assert.args[1], Value::Template(parts) if matches!(parts[1], TemplatePart::Expr(Value::Call(_))))
    );
}

#[test]
fn json_objects_are_objects() {
    let source = r#"fn f() { let body = json!({ "client_secret": "cs", "nested": { "token": tok }, "list": [1, "x"], key: null }); }"#;
    let facts = facts(source);
    let Value::Object(fields) = &binding(&facts, "body").value else {
        panic!()
    };
    let names: Vec<&str> = fields
        .iter()
        .map(|&id| facts.bindings[id as usize].name.as_str())
        .collect();
    assert_eq!(names, ["client_secret", "nested", "list", "key"]);
    let secret = binding(&facts, "client_secret");
    assert_eq!((secret.kind, text(&facts, &secret.value)), (BindingKind::Field, "cs"));
    assert_eq!(secret.span.text(source), r#""client_secret": "cs""#);
    assert_eq!(binding(&facts, "token").value, ident("tok"));
    assert_eq!(binding(&facts, "key").value, Value::Null);
    assert!(matches!(&binding(&facts, "list").value, Value::Array(v) if v.len() == 2));
}

#[test]
fn unparsable_macros_are_searched_for_strings_and_pairs() {
    let source = r#"
        fn f() {
            let m = hashmap!{ "api_key" => "hk", "n" => 1 };
            html! { <div class="c" data:"x">{ "text" }</div> };
            my_dsl!(token: "dt"; password = "dp" ; x == "no");
        }
        lazy_static! { static ref KEY: Box<dyn Iterator<Item = u8>> = make("lz"); }
        thread_local! { static SECRET: &str = "tl"; }
        macro_rules! m { ($x:expr) => { call("mr", $x) }; }
    "#;
    let facts = facts(source);
    for (name, value) in [
        ("api_key", "hk"),
        ("class", "c"),
        ("token", "dt"),
        ("password", "dp"),
        ("SECRET", "tl"),
    ] {
        assert_eq!(text(&facts, &binding(&facts, name).value), value, "{name}");
    }
    assert_eq!(binding(&facts, "api_key").kind, BindingKind::Field);
    assert_eq!(binding(&facts, "SECRET").kind, BindingKind::Variable);
    assert!(matches!(binding(&facts, "KEY").value, Value::Call(_)));
    for lit in ["n", "x", "text", "no", "lz", "mr"] {
        assert!(values(&facts).contains(&lit), "{lit}");
    }
    assert!(!facts.bindings.iter().any(|b| b.name == "x"));
}

// Imports, comments, scopes, test regions

#[test]
fn imports() {
    let source =
        "use a::b::{c, d as e, f::*, self}; pub use md5; extern crate ring as r; fn f() { use std::fmt::Write; }";
    let facts = facts(source);
    let imports: Vec<(&str, &str, &str)> = facts
        .imports
        .iter()
        .map(|i| {
            assert_eq!(i.kind, ImportKind::Use);
            (
                i.source.as_str(),
                i.names[0].imported.as_str(),
                i.names[0].local.as_str(),
            )
        })
        .collect();
    assert_eq!(
        imports,
        [
            ("a::b", "c", "c"),
            ("a::b", "d", "e"),
            ("a::b::f", "*", "*"),
            ("a::b", "self", "b"),
            ("md5", "md5", "md5"),
            ("ring", "ring", "r"),
            ("std::fmt", "Write", "Write"),
        ]
    );
    assert_eq!(facts.imports[0].span.text(source), "use a::b::{c, d as e, f::*, self};");
}

#[test]
fn scopes_nest() {
    let source = "const A: u8 = 1; fn f() { let b = 2; { let c = 3; } let d = |x| { let e = 4; }; } impl S { const G: u8 = 5; fn m(&self) { let h = 6; } } trait T { const I: u8 = 7; }";
    let facts = facts(source);
    let kind_of = |name: &str| facts.scopes[binding(&facts, name).scope as usize].kind;
    assert_eq!(binding(&facts, "A").scope, 0);
    assert_eq!(kind_of("b"), ScopeKind::Function);
    assert_eq!(kind_of("c"), ScopeKind::Block);
    assert_eq!(kind_of("e"), ScopeKind::Function);
    assert_eq!(kind_of("G"), ScopeKind::Class);
    assert_eq!(kind_of("h"), ScopeKind::Function);
    assert_eq!(kind_of("I"), ScopeKind::Class);
    let closure = &facts.scopes[binding(&facts, "e").scope as usize];
    assert_eq!(closure.span.text(source), "|x| { let e = 4; }");
    assert_eq!(closure.parent, Some(binding(&facts, "b").scope));
    let h = &facts.scopes[binding(&facts, "h").scope as usize];
    assert_eq!(facts.scopes[h.parent.unwrap() as usize].kind, ScopeKind::Class);
    assert_eq!(facts.scopes[0].span.len(), source.len());
}

#[test]
fn test_regions() {
    let source = r#"
fn prod() { let k = "prod"; }
#[cfg(test)]
mod tests { fn helper() {} }
#[test]
fn unit() {}
#[tokio::test]
async fn async_unit() {}
#[cfg(not(test))]
fn not_test() {}
#[cfg(all(test, feature = "x"))]
impl S {}
"#;
    let facts = facts(source);
    let regions: Vec<&str> = facts.test_regions.iter().map(|r| r.text(source)).collect();
    assert_eq!(
        regions,
        [
            "#[cfg(test)]\nmod tests { fn helper() {} }",
            "#[test]\nfn unit() {}",
            "#[tokio::test]\nasync fn async_unit() {}",
            "#[cfg(all(test, feature = \"x\"))]\nimpl S {}",
        ]
    );
    let prod = binding(&facts, "k").span;
    assert!(!facts.in_test_region(prod));
}

#[test]
fn facts_come_in_source_order() {
    let source = r#"
        fn f() {
            let outer = Config { a: { let inner = "i"; inner }, b: json!({"k": make("v")}) };
            h.insert("key", Inner { x: "y" });
            info!(f = %g(), "t {} {}", "arg", k(Z { q: 1 }));
            let c = concat!("a", "b");
            #[cfg(feature = "attr")]
            x.b("chain").d()?;
            children.insert(#[cfg(feature = "arg")] b"uk".to_vec(), v);
            let (p, q) = (S { f: "1" }, "2");
        }
    "#;
    let facts = facts(source);
    assert!(
        facts.strings.iter().map(|s| s.span.start).is_sorted(),
        "{:#?}",
        facts.strings
    );
    assert!(
        facts.bindings.iter().map(|b| b.span.start).is_sorted(),
        "{:#?}",
        facts.bindings
    );
    assert!(
        facts.calls.iter().map(|c| c.span.start).is_sorted(),
        "{:#?}",
        facts.calls
    );
}

#[test]
fn nesting_past_the_walk_limit_is_recorded() {
    let depth = miroguard_ir::MAX_NESTING + 50;
    let source = format!(
        "fn f() {{ let x = {}\"deep\"{}; let y = \"after\"; }}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let facts = facts(&source);
    assert!(facts.depth_limit_hit.is_some());
    assert_eq!(values(&facts), ["after"]);
}
