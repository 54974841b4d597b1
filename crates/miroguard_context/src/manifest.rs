//! Project manifests: `package.json` (entries, Next.js, workspace package
//! names), `tsconfig.json` / `jsconfig.json` (import aliases) and
//! `Cargo.toml` (whether a Rust crate is compiled for the browser).
//!
//! A manifest that does not parse says nothing: it never stops a scan.

use serde_json::Value;

/// What a `package.json` says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PackageSignals {
    pub(crate) name: Option<Box<str>>,
    /// `module`, then `main`: how an import of the package by name resolves.
    pub(crate) main: Vec<Box<str>>,
    /// Files of the `"browser"` field (the string, or the replacement files of the map).
    pub(crate) browser: Vec<Box<str>>,
    /// Depends on `next`.
    pub(crate) next: bool,
}

/// Reads a `package.json`.
pub(crate) fn package_json(text: &str) -> Option<PackageSignals> {
    let value: Value = serde_json::from_str(text).ok()?;
    let object = value.as_object()?;
    let string = |key: &str| object.get(key).and_then(Value::as_str).map(Box::from);
    let mut browser: Vec<Box<str>> = Vec::new();
    match object.get("browser") {
        Some(Value::String(entry)) => browser.push(entry.as_str().into()),
        // In the map form, keys are the files the browser build replaces,
        // values the files it uses instead (or `false`): only values run there.
        Some(Value::Object(map)) => {
            for replacement in map.values().filter_map(Value::as_str) {
                if looks_like_file(replacement) && !browser.iter().any(|known| &**known == replacement) {
                    browser.push(replacement.into());
                }
            }
        }
        _ => {}
    }
    let next = [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
    ]
    .iter()
    .any(|field| {
        object
            .get(*field)
            .and_then(Value::as_object)
            .is_some_and(|deps| deps.contains_key("next"))
    });
    let signals = PackageSignals {
        name: string("name"),
        main: ["module", "main"].into_iter().filter_map(string).collect(),
        browser,
        next,
    };
    (signals != PackageSignals::default()).then_some(signals)
}

/// A browser-map value naming a file of the package rather than another package.
fn looks_like_file(value: &str) -> bool {
    value.starts_with('.') || crate::paths::is_script(value)
}

/// What a `tsconfig.json` / `jsconfig.json` says about resolving imports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct TsConfig {
    /// `compilerOptions.baseUrl`, relative to the config's directory.
    pub(crate) base_url: Option<Box<str>>,
    /// `compilerOptions.paths`: pattern and substitutions, in file order.
    pub(crate) paths: Vec<(Box<str>, Vec<Box<str>>)>,
    /// Relative `extends` targets.
    pub(crate) extends: Vec<Box<str>>,
}

/// Reads a `tsconfig.json` / `jsconfig.json` (comments and trailing commas allowed).
pub(crate) fn tsconfig(text: &str) -> Option<TsConfig> {
    let value: Value = serde_json::from_str(&strip_jsonc(text)).ok()?;
    let options = value.get("compilerOptions");
    let base_url = options
        .and_then(|o| o.get("baseUrl"))
        .and_then(Value::as_str)
        .map(Box::from);
    let paths = options
        .and_then(|o| o.get("paths"))
        .and_then(Value::as_object)
        .map(|paths| {
            paths
                .iter()
                .map(|(pattern, targets)| {
                    let targets = targets.as_array().map_or(&[][..], Vec::as_slice);
                    (
                        pattern.as_str().into(),
                        targets.iter().filter_map(Value::as_str).map(Box::from).collect(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let extends = match value.get("extends") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let config = TsConfig {
        base_url,
        paths,
        // Only configs of this tree can be followed; `@tsconfig/node20/…` is a package.
        extends: extends
            .into_iter()
            .filter(|e| e.starts_with('.'))
            .map(Box::from)
            .collect(),
    };
    (config != TsConfig::default()).then_some(config)
}

/// `text` without comments and trailing commas, so that serde_json accepts
/// what TypeScript accepts. Strings are copied untouched.
fn strip_jsonc(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = crate::lex::skip_string(bytes, i, bytes.len());
                out.extend_from_slice(&bytes[i..end]);
                i = end.max(i + 1);
            }
            b'/' if matches!(bytes.get(i + 1), Some(b'/' | b'*')) => {
                let end = crate::lex::skip_trivia(bytes, i, bytes.len()).max(i + 1);
                out.push(b' ');
                i = end;
            }
            b',' => {
                let next = crate::lex::skip_trivia(bytes, i + 1, bytes.len());
                if !matches!(bytes.get(next), Some(b'}' | b']')) {
                    out.push(b',');
                }
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    // Only ASCII bytes were dropped or replaced by ASCII, and whole strings
    // were copied, so the text stays UTF-8; a lossy conversion costs nothing then.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A dependency of a Rust crate that can put it in the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct WebDep {
    /// The crate's real name (`package = "…"` renames resolved).
    pub(crate) name: Box<str>,
    pub(crate) features: Vec<Box<str>>,
    /// `workspace = true`: features of `[workspace.dependencies]` add to these.
    pub(crate) inherits: bool,
}

/// What a `Cargo.toml` says about browser targets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CargoSignals {
    pub(crate) name: Option<Box<str>>,
    /// Browser-relevant dependencies, normal and target-specific (not dev-dependencies).
    pub(crate) deps: Vec<WebDep>,
    /// `dep/feature` (or `dep?/feature`) entries of `[features]`: cargo-leptos and
    /// dioxus builds switch the browser and server sides on through these.
    pub(crate) feature_refs: Vec<(Box<str>, Box<str>)>,
    /// Browser-relevant `[workspace.dependencies]`.
    pub(crate) workspace_deps: Vec<WebDep>,
}

/// Crates that only make sense compiled to WebAssembly for a browser.
const BROWSER_CRATES: [&str; 6] = ["wasm-bindgen", "web-sys", "js-sys", "yew", "sycamore", "dioxus-web"];

/// Whether a dependency can put a crate in the browser (some only with features).
pub(crate) fn is_web_crate(name: &str) -> bool {
    BROWSER_CRATES.contains(&name)
        || name == "gloo"
        || name.starts_with("gloo-")
        || name == "dioxus"
        || name == "leptos"
}

/// Reads a `Cargo.toml`.
pub(crate) fn cargo_toml(text: &str) -> Option<CargoSignals> {
    let table: toml::Table = toml::from_str(text).ok()?;
    let mut signals = CargoSignals {
        name: table
            .get("package")
            .and_then(|p| p.get("name"))
            .and_then(|n| n.as_str())
            .map(Box::from),
        ..CargoSignals::default()
    };
    if let Some(deps) = table.get("dependencies").and_then(toml::Value::as_table) {
        web_deps(deps, &mut signals.deps);
    }
    if let Some(targets) = table.get("target").and_then(toml::Value::as_table) {
        for target in targets.values() {
            if let Some(deps) = target.get("dependencies").and_then(toml::Value::as_table) {
                web_deps(deps, &mut signals.deps);
            }
        }
    }
    if let Some(deps) = table
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(toml::Value::as_table)
    {
        web_deps(deps, &mut signals.workspace_deps);
    }
    if let Some(features) = table.get("features").and_then(toml::Value::as_table) {
        for enabled in features
            .values()
            .filter_map(toml::Value::as_array)
            .flatten()
            .filter_map(toml::Value::as_str)
        {
            if let Some((dep, feature)) = enabled.split_once('/') {
                let dep = dep.trim_end_matches('?');
                let pair = (Box::from(dep), Box::from(feature));
                if is_web_crate(dep) && !signals.feature_refs.contains(&pair) {
                    signals.feature_refs.push(pair);
                }
            }
        }
    }
    // Sorted, so that nothing depends on whether toml keeps the file's key order.
    signals.deps.sort_by(|a, b| a.name.cmp(&b.name));
    signals.workspace_deps.sort_by(|a, b| a.name.cmp(&b.name));
    signals.feature_refs.sort();
    let says_something =
        !signals.deps.is_empty() || !signals.workspace_deps.is_empty() || !signals.feature_refs.is_empty();
    says_something.then_some(signals)
}

fn web_deps(deps: &toml::Table, out: &mut Vec<WebDep>) {
    for (key, spec) in deps {
        let name = spec.get("package").and_then(toml::Value::as_str).unwrap_or(key);
        if !is_web_crate(name) {
            continue;
        }
        let features = spec
            .get("features")
            .and_then(toml::Value::as_array)
            .map(|list| list.iter().filter_map(toml::Value::as_str).map(Box::from).collect())
            .unwrap_or_default();
        let inherits = spec.get("workspace").and_then(toml::Value::as_bool) == Some(true);
        out.push(WebDep {
            name: name.into(),
            features,
            inherits,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_fields() {
        let text = r#"{
  "name": "@acme/web",
  "main": "dist/index.js",
  "module": "src/index.ts",
  "browser": { "./lib/node.js": "./lib/browser.js", "fs": false, "http": "stream-http" },
  "dependencies": { "react": "^18" },
  "devDependencies": { "next": "14.2.0" }
}"#;
        let package = package_json(text).unwrap();
        assert_eq!(package.name.as_deref(), Some("@acme/web"));
        assert_eq!(package.main, ["src/index.ts", "dist/index.js"].map(Box::from));
        assert_eq!(package.browser, [Box::from("./lib/browser.js")]);
        assert!(package.next);
        assert_eq!(
            package_json(r#"{"browser": "client.js"}"#).unwrap().browser,
            [Box::from("client.js")]
        );
        assert_eq!(package_json("{}"), None);
        assert_eq!(package_json("{ not json"), None);
        assert_eq!(
            package_json(r#"{"name": 3, "browser": false, "dependencies": []}"#),
            None
        );
    }

    #[test]
    fn tsconfig_with_comments_and_trailing_commas() {
        let text = r#"{
  // Vite template
  "extends": "./tsconfig.base.json",
  "compilerOptions": {
    "baseUrl": ".", /* resolve from here */
    "paths": {
      "@/*": ["src/*",],
      "~lib": ["lib/index.ts"],
    },
    "outDir": "https://example.com//not-a-comment",
  },
}"#;
        let config = tsconfig(text).unwrap();
        assert_eq!(config.base_url.as_deref(), Some("."));
        assert_eq!(config.paths[0], ("@/*".into(), vec!["src/*".into()]));
        assert_eq!(config.paths[1].0.as_ref(), "~lib");
        assert_eq!(config.extends, [Box::from("./tsconfig.base.json")]);
        assert_eq!(tsconfig(r#"{"extends": "@tsconfig/node20/tsconfig.json"}"#), None);
        assert_eq!(tsconfig("{,,,"), None);
    }

    #[test]
    fn cargo_web_dependencies() {
        let text = r#"
[package]
name = "app"

[dependencies]
leptos = { version = "0.6", features = ["csr"] }
serde = "1"
gloo-net = "0.5"
wasm = { package = "wasm-bindgen", version = "0.2" }
dioxus = { workspace = true }

[target.'cfg(target_arch = "wasm32")'.dependencies]
web-sys = "0.3"

[dev-dependencies]
yew = "0.21"

[features]
hydrate = ["leptos/hydrate", "dep:wasm-bindgen"]
ssr = ["leptos?/ssr"]
"#;
        let cargo = cargo_toml(text).unwrap();
        assert_eq!(cargo.name.as_deref(), Some("app"));
        let names: Vec<&str> = cargo.deps.iter().map(|d| &*d.name).collect();
        assert_eq!(names, ["dioxus", "gloo-net", "leptos", "wasm-bindgen", "web-sys"]);
        assert_eq!(cargo.deps[2].features, [Box::from("csr")]);
        assert!(cargo.deps[0].inherits);
        assert_eq!(
            cargo.feature_refs,
            [("leptos".into(), "hydrate".into()), ("leptos".into(), "ssr".into())]
        );
        assert_eq!(
            cargo_toml("[package]\nname = \"srv\"\n[dependencies]\naxum = \"0.7\"\n"),
            None
        );
        assert_eq!(cargo_toml("[package\nname ="), None);
    }
}
