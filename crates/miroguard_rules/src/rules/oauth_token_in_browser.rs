//! `oauth-token-in-browser` (C-LEAK-1): browser code that holds OAuth tokens —
//! it calls Miro's REST API or a token endpoint itself, or keeps tokens in web
//! storage or script-readable cookies.
//!
//! Findings carry a [`ClassDependence`]: the engine keeps them in browser and
//! isomorphic code and drops them elsewhere (a backend calling the REST API
//! is exactly what should happen).

use crate::secrets::names::split_words;
use crate::{FileInput, Rule};
use miroguard_core::{ClassDependence, Finding, RuleMeta, Span};
use miroguard_ir::{Binding, BindingKind, Call, Facts, ScopeKind, StringLit, TemplatePart, Value};
use serde::Deserialize;
use std::collections::HashMap;

/// The rule's id.
pub const ID: &str = "oauth-token-in-browser";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/oauth-token-in-browser.toml"
));

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    miro_api_hosts: Vec<String>,
    token_endpoints: Vec<String>,
}

/// Storage objects whose contents any script on the page can read.
const WEB_STORAGE: &[&str] = &["localStorage", "sessionStorage"];

/// Words that make a name a token's.
const TOKEN_WORDS: &[&str] = &[
    "token",
    "tokens",
    "jwt",
    "bearer",
    "idtoken",
    "accesstoken",
    "refreshtoken",
    "authtoken",
];

/// Words that say a token-named thing is not an OAuth token.
const NOT_TOKEN_WORDS: &[&str] = &[
    "csrf",
    "xsrf",
    "cancel",
    "cancellation",
    "page",
    "next",
    "injection",
    "type",
    "expires",
    "expiry",
    "ttl",
    "count",
];

/// Next.js data functions: the framework runs them on the server only and
/// removes them from the page's client bundle.
const SERVER_DATA_FUNCTIONS: &[&str] = &["getServerSideProps", "getStaticProps", "getStaticPaths"];

/// The rule.
pub struct OauthTokenInBrowser {
    meta: RuleMeta,
    keywords: Vec<String>,
    miro_api_hosts: Vec<String>,
    token_endpoints: Vec<String>,
}

/// Why the rule could not be built.
#[derive(Debug, thiserror::Error)]
#[error("rules/oauth-token-in-browser.toml: {0}")]
pub struct LoadError(String);

/// Whether `name` names an OAuth token (`access_token`, `miroToken`, `jwt`), not a CSRF or paging token.
pub fn is_token_name(name: &str) -> bool {
    let words = split_words(name);
    words.iter().any(|w| TOKEN_WORDS.contains(&w.as_str()))
        && !words.iter().any(|w| NOT_TOKEN_WORDS.contains(&w.as_str()))
}

impl OauthTokenInBrowser {
    /// The rule with its data from `rules/oauth-token-in-browser.toml`.
    pub fn new() -> Result<OauthTokenInBrowser, LoadError> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| LoadError(e.to_string()))?;
        let mut keywords: Vec<String> = file.miro_api_hosts.iter().map(|h| h.to_ascii_lowercase()).collect();
        keywords.extend(file.token_endpoints.iter().map(|e| e.to_ascii_lowercase()));
        keywords.extend(["localstorage", "sessionstorage", "cookie"].map(String::from));
        Ok(OauthTokenInBrowser {
            meta: file.rule,
            keywords,
            miro_api_hosts: file.miro_api_hosts,
            token_endpoints: file.token_endpoints,
        })
    }

    /// Whether a Miro API host or token endpoint occurs in the file: requests need one.
    fn url_keyword_hit(&self, input: &FileInput<'_>) -> bool {
        let urls = self.miro_api_hosts.len() + self.token_endpoints.len();
        (0..urls).any(|index| input.keywords.contains(index))
    }

    fn finding(&self, span: Span, message: String, help: &str) -> Finding {
        Finding::new(ID, self.meta.severity, span, message)
            .with_help(help)
            .depending_on_class(ClassDependence::browser_only(self.meta.severity))
    }

    /// Calls whose URL is Miro's REST API or a token endpoint.
    fn api_calls(&self, facts: &Facts, text: &str, findings: &mut Vec<Finding>) {
        // A Next.js page is classified as running on both sides, but its data
        // functions never reach the browser: calling the API there is server code.
        let server_regions = server_data_functions(facts, text);
        let urls = UrlLiterals::new(facts);
        for call in &facts.calls {
            if server_regions.iter().any(|region| region.contains(call.span)) {
                continue;
            }
            let mut literals = Vec::new();
            for arg in &call.args {
                urls.collect(arg, &mut literals);
            }
            // A URL (or a piece of one) has no spaces; a message that names the
            // host (`showError("Could not reach api.miro.com")`) is not a request.
            literals.retain(|lit| !lit.value.contains(char::is_whitespace));
            let token_exchange = literals
                .iter()
                .find(|lit| self.token_endpoints.iter().any(|e| lit.value.contains(e.as_str())));
            let rest_call = literals
                .iter()
                .find(|lit| self.miro_api_hosts.iter().any(|h| lit.value.contains(h.as_str())));
            if let Some(lit) = token_exchange {
                findings.push(self.finding(
                    lit.content,
                    "Browser code exchanges OAuth tokens itself: the exchange needs the client secret in the browser".to_string(),
                    "Do the OAuth code exchange on your backend, which keeps the client secret and the tokens.",
                ));
            } else if let Some(lit) = rest_call {
                findings.push(self.finding(
                    lit.content,
                    "Browser code calls Miro's REST API directly: it needs an OAuth access token in the browser".to_string(),
                    "Use the Web SDK (`miro.board.*`) in the panel, or call your backend with `await miro.board.getIdToken()` and let it call the REST API.",
                ));
            }
        }
    }

    /// Tokens written to `localStorage` / `sessionStorage` or `document.cookie`.
    fn storage(&self, facts: &Facts, findings: &mut Vec<Finding>) {
        for call in &facts.calls {
            if !is_storage_call(call, "setItem") {
                continue;
            }
            let key = call
                .args
                .first()
                .and_then(|arg| facts.literal_values(arg).into_iter().next());
            let token_key = key.is_some_and(|lit| is_token_name(&lit.value));
            let token_value = call.args.get(1).is_some_and(|value| holds_token(facts, value, 0));
            if token_key || token_value {
                let span = key.map_or(call.span, |lit| lit.span);
                findings.push(self.storage_finding(span, storage_name(call)));
            }
        }
        for binding in &facts.bindings {
            if binding.kind != BindingKind::Assignment {
                continue;
            }
            let path: Vec<&str> = binding.path.iter().map(String::as_str).collect();
            match path.as_slice() {
                [.., storage, _] if WEB_STORAGE.contains(storage) && is_token_name(&binding.name) => {
                    findings.push(self.storage_finding(binding.span, storage));
                }
                [.., "document", "cookie"] => {
                    // `name=; Max-Age=0` deletes the cookie (a logout): nothing is stored.
                    if let Some((name, true)) = cookie_written(facts, binding) {
                        if is_token_name(&name) || holds_token(facts, &binding.value, 0) {
                            findings.push(self.finding(
                                binding.span,
                                format!("Token stored in a script-readable cookie (`{name}`)"),
                                "Let the backend set the session cookie with `HttpOnly; Secure; SameSite=None` and keep OAuth tokens on the server.",
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn storage_finding(&self, span: Span, storage: &str) -> Finding {
        self.finding(
            span,
            format!("OAuth token kept in `{storage}`, where every script on the page can read it"),
            "Keep OAuth tokens on the backend; in the panel, ask the Web SDK for a fresh `getIdToken()` when you need to call your backend.",
        )
    }
}

/// Whether `text` can write web storage or a cookie: a `setItem(` call, an
/// assignment to a member of `localStorage`/`sessionStorage`, or to
/// `.cookie` (`document.cookie = …`, not `== …`). Bundles mention
/// `localStorage` and `cookie` everywhere; only writes need a parse.
fn writes_storage(text: &str) -> bool {
    let bytes = text.as_bytes();
    let storage_written = WEB_STORAGE.iter().any(|storage| {
        memchr::memmem::find_iter(bytes, storage.as_bytes()).any(|at| storage_written_at(&text[at + storage.len()..]))
    });
    storage_written
        || memchr::memmem::find_iter(bytes, b".cookie").any(|at| {
            let rest = text[at + ".cookie".len()..].trim_start();
            (rest.starts_with('=') && !rest.starts_with("==")) || rest.starts_with("+=")
        })
}

/// Whether the text after `localStorage`/`sessionStorage` writes to it.
fn storage_written_at(rest: &str) -> bool {
    let set_item = rest.strip_prefix('?').unwrap_or(rest).strip_prefix(".setItem");
    if set_item.is_some_and(|args| args.trim_start().starts_with('(')) {
        return true;
    }
    let statement = &rest[..rest.find([';', '\n']).unwrap_or(rest.len())];
    (rest.starts_with('.') || rest.starts_with('[')) && has_assignment(statement)
}

/// Whether `statement` holds an `=` that assigns (not `==`, `!=`, `<=`, `>=`, `=>`).
fn has_assignment(statement: &str) -> bool {
    let bytes = statement.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'='
            && !matches!(bytes.get(i + 1), Some(b'=' | b'>'))
            && !matches!(
                i.checked_sub(1).and_then(|j| bytes.get(j)),
                Some(b'=' | b'!' | b'<' | b'>')
            )
    })
}

/// Extents of the Next.js data functions a file defines: `export async
/// function getServerSideProps() {…}`, `export const getStaticProps = async () => {…}`.
fn server_data_functions(facts: &Facts, text: &str) -> Vec<Span> {
    let declarations = facts
        .scopes
        .iter()
        .filter(|scope| scope.kind == ScopeKind::Function)
        .filter(|scope| {
            text.get(scope.span.start..scope.span.end)
                .and_then(declared_function_name)
                .is_some_and(|name| SERVER_DATA_FUNCTIONS.contains(&name))
        })
        .map(|scope| scope.span);
    let variables = facts
        .bindings
        .iter()
        .filter(|b| b.kind == BindingKind::Variable && SERVER_DATA_FUNCTIONS.contains(&b.name.as_str()))
        .map(|b| b.span);
    declarations.chain(variables).collect()
}

/// The name of the function a declaration's source starts with (`async function name(…`).
fn declared_function_name(source: &str) -> Option<&str> {
    let rest = source.strip_prefix("async").map_or(source, str::trim_start);
    let rest = rest.strip_prefix("function")?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Whether `call` is `localStorage.<method>(…)` or `sessionStorage.<method>(…)` (also through `window.`).
fn is_storage_call(call: &Call, method: &str) -> bool {
    let path: Vec<&str> = call.callee.iter().map(String::as_str).collect();
    matches!(path.as_slice(), [.., storage, m] if WEB_STORAGE.contains(storage) && *m == method)
}

fn storage_name(call: &Call) -> &str {
    call.callee.iter().rev().nth(1).map_or("localStorage", String::as_str)
}

/// Collects the string literals a value's URL may be built from: literals,
/// template fragments, the values of variables it names, the `url` of an
/// options object, `new URL(…)` arguments.
struct UrlLiterals<'a> {
    facts: &'a Facts,
    /// Variable bindings by name, built once per file.
    variables: HashMap<&'a str, Vec<&'a Binding>>,
}

/// Names bound more often than this are not followed: in minified bundles one
/// letter names hundreds of values, and following them all costs seconds per
/// file for nothing a reader could call "the URL".
const MAX_BINDINGS_FOLLOWED: usize = 4;

/// Values visited per call argument at most.
const VISIT_BUDGET: usize = 64;

impl<'a> UrlLiterals<'a> {
    fn new(facts: &'a Facts) -> UrlLiterals<'a> {
        let mut variables: HashMap<&str, Vec<&Binding>> = HashMap::new();
        for binding in facts.bindings.iter().filter(|b| b.kind == BindingKind::Variable) {
            variables.entry(binding.name.as_str()).or_default().push(binding);
        }
        UrlLiterals { facts, variables }
    }

    /// The literals of `value`, appended to `out`.
    fn collect(&self, value: &'a Value, out: &mut Vec<&'a StringLit>) {
        let mut budget = VISIT_BUDGET;
        self.visit(value, 0, &mut budget, out);
    }

    fn visit(&self, value: &'a Value, depth: usize, budget: &mut usize, out: &mut Vec<&'a StringLit>) {
        if depth > 4 || *budget == 0 {
            return;
        }
        *budget -= 1;
        let facts = self.facts;
        match value {
            Value::Str(id) => out.extend(facts.strings.get(*id as usize)),
            Value::Template(parts) => {
                for part in parts {
                    match part {
                        TemplatePart::Str(id) => out.extend(facts.strings.get(*id as usize)),
                        TemplatePart::Expr(inner) => self.visit(inner, depth + 1, budget, out),
                    }
                }
            }
            Value::Alternatives(values) | Value::Array(values) => {
                for value in values {
                    self.visit(value, depth + 1, budget, out);
                }
            }
            Value::Ident(name) => {
                let bindings = self.variables.get(name.as_str()).map(Vec::as_slice).unwrap_or_default();
                if bindings.len() <= MAX_BINDINGS_FOLLOWED {
                    for binding in bindings {
                        self.visit(&binding.value, depth + 1, budget, out);
                    }
                }
            }
            Value::Object(fields) => {
                for &id in fields {
                    if let Some(field) = facts
                        .bindings
                        .get(id as usize)
                        .filter(|f| matches!(f.name.as_str(), "url" | "baseURL" | "baseUrl"))
                    {
                        self.visit(&field.value, depth + 1, budget, out);
                    }
                }
            }
            Value::Call(id) => {
                // `new URL("/v2/boards", "https://api.miro.com")`
                if let Some(call) = facts.calls.get(*id as usize) {
                    if call.callee.last().is_some_and(|c| c == "URL") {
                        for arg in &call.args {
                            self.visit(arg, depth + 1, budget, out);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether a value is (or carries) a token: a token-named identifier or
/// member, an ID token from the Web SDK, a template that includes one.
fn holds_token(facts: &Facts, value: &Value, depth: usize) -> bool {
    if depth > 4 {
        return false;
    }
    match value {
        Value::Ident(name) => is_token_name(name),
        Value::Member(path) => path.last().is_some_and(|last| is_token_name(last)),
        Value::Call(id) => facts.calls.get(*id as usize).is_some_and(|call| {
            call.callee.last().is_some_and(|c| c == "getIdToken" || c == "getToken")
                || (call.callee.last().is_some_and(|c| c == "stringify")
                    && call.args.first().is_some_and(|arg| holds_token(facts, arg, depth + 1)))
        }),
        Value::Template(parts) => parts
            .iter()
            .any(|part| matches!(part, TemplatePart::Expr(inner) if holds_token(facts, inner, depth + 1))),
        Value::Alternatives(values) => values.iter().any(|v| holds_token(facts, v, depth + 1)),
        _ => false,
    }
}

/// The cookie a `document.cookie = …` assignment writes, from the string
/// the value starts with (`"name=value; …"`, `` `name=${v}; …` ``, `"name=" + v`),
/// and whether it is given a value: `"name=; Max-Age=0"` deletes it.
fn cookie_written(facts: &Facts, binding: &Binding) -> Option<(String, bool)> {
    let (first, continued) = match &binding.value {
        Value::Str(id) => (facts.strings.get(*id as usize)?, false),
        Value::Template(parts) => match parts.first()? {
            TemplatePart::Str(id) => (facts.strings.get(*id as usize)?, parts.len() > 1),
            TemplatePart::Expr(_) => return None,
        },
        _ => return None,
    };
    let (name, rest) = first.value.split_once('=')?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let has_value = match rest.split_once(';') {
        Some((value, _)) => !value.trim().is_empty(),
        None => continued || !rest.trim().is_empty(),
    };
    Some((name.to_string(), has_value))
}

impl Rule for OauthTokenInBrowser {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        input.context.language.is_js_family() && (self.url_keyword_hit(input) || writes_storage(input.text))
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let Some(facts) = input.facts else { return };
        if !input.context.language.is_js_family() {
            return;
        }
        if self.url_keyword_hit(input) {
            self.api_calls(facts, input.text, findings);
        }
        self.storage(facts, findings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_that_write_storage_need_a_parse() {
        assert!(writes_storage("localStorage.setItem('k', v)"));
        assert!(writes_storage("window.sessionStorage?.setItem ('k', v)"));
        assert!(!writes_storage("geometry.setItemSize(3); cache.setItem(k, v);"));
        assert!(!writes_storage("this.textStorage.isOpen = true;"));
        assert!(writes_storage("window.localStorage.accessToken = t;"));
        assert!(writes_storage("sessionStorage['token'] = t"));
        assert!(writes_storage("document.cookie = `a=${b}`"));
        assert!(writes_storage("document.cookie += 'x'"));
        assert!(!writes_storage(
            "if (typeof localStorage !== 'undefined') x = localStorage.getItem('k');"
        ));
        assert!(!writes_storage(
            "const ok = document.cookie == ''; const has = sessionStorage.length >= 1;"
        ));
        assert!(!writes_storage("const f = (s) => s.cookie;"));
    }
    use crate::KeywordHits;
    use crate::hand_facts::Source;
    use miroguard_core::FileContext;
    use miroguard_ir::Scope;

    trait Check {
        /// The rule's findings, as the text they point at.
        fn check(&self, path: &str) -> Vec<String>;
    }

    impl Check for Source {
        fn check(&self, path: &str) -> Vec<String> {
            let rule = OauthTokenInBrowser::new().expect("built-in rule loads");
            let hits = self.keyword_hits(&rule.keywords);
            let context = FileContext::from_display_path(path);
            let input = FileInput {
                context: &context,
                text: &self.text,
                keywords: KeywordHits::new(&hits),
                facts: Some(&self.facts),
                parse_failed: false,
                memo: &crate::FileMemo::default(),
            };
            let mut findings = Vec::new();
            rule.check(&input, &mut findings);
            findings
                .into_iter()
                .map(|f| f.span.text(&self.text).to_string())
                .collect()
        }
    }

    /// `document.cookie = …` written as `written`.
    fn cookie(source: &mut Source, written: &str, value: Value) -> Binding {
        let id = source.bind(BindingKind::Assignment, &["document", "cookie"], written, value, 0);
        source.facts.bindings[id as usize].clone()
    }

    #[test]
    fn cookies_written_deleted_and_concatenated() {
        let mut source = Source::new(
            "document.cookie = \"miro_token=; Max-Age=0; path=/\";\n\
             document.cookie = \"access_token=\" + token + \"; path=/\";\n\
             document.cookie = \"theme=dark\";\n",
        );
        let deleted = source.string("\"miro_token=; Max-Age=0; path=/\"", 0);
        let deleted = cookie(
            &mut source,
            "document.cookie = \"miro_token=; Max-Age=0; path=/\"",
            deleted,
        );
        // The front end lowers a concatenation as a template of its parts.
        let part = |value: Value| match value {
            Value::Str(id) => TemplatePart::Str(id),
            other => TemplatePart::Expr(other),
        };
        let name = part(source.string("\"access_token=\"", 0));
        let attributes = part(source.string("\"; path=/\"", 0));
        let concatenated = Value::Template(vec![name, part(Value::Ident("token".into())), attributes]);
        let concatenated = cookie(
            &mut source,
            "document.cookie = \"access_token=\" + token + \"; path=/\"",
            concatenated,
        );
        let theme = source.string("\"theme=dark\"", 0);
        let theme = cookie(&mut source, "document.cookie = \"theme=dark\"", theme);
        let written = |binding: &Binding| cookie_written(&source.facts, binding);
        assert_eq!(written(&deleted), Some(("miro_token".to_string(), false)));
        assert_eq!(written(&concatenated), Some(("access_token".to_string(), true)));
        assert_eq!(written(&theme), Some(("theme".to_string(), true)));
        assert_eq!(
            source.check("src/panel.ts"),
            ["document.cookie = \"access_token=\" + token + \"; path=/\""]
        );
    }

    #[test]
    fn next_data_functions_are_server_code() {
        let text = "export default function Page() { fetch(\"https://api.miro.com/v2/me\"); }\n\
                    export async function getServerSideProps() { fetch(\"https://api.miro.com/v2/boards\"); }\n";
        let mut source = Source::new(text);
        let span = source.find(
            "async function getServerSideProps() { fetch(\"https://api.miro.com/v2/boards\"); }",
            0,
        );
        source.facts.scopes.push(Scope {
            parent: Some(0),
            kind: ScopeKind::Function,
            span,
            name: None,
        });
        let me = source.string("\"https://api.miro.com/v2/me\"", 0);
        source.call(&["fetch"], "fetch(\"https://api.miro.com/v2/me\")", "fetch", vec![me]);
        let boards = source.string("\"https://api.miro.com/v2/boards\"", 0);
        source.call(
            &["fetch"],
            "fetch(\"https://api.miro.com/v2/boards\")",
            "fetch",
            vec![boards],
        );
        assert_eq!(source.check("pages/index.tsx"), ["https://api.miro.com/v2/me"]);

        assert_eq!(
            declared_function_name("async  function getStaticProps({ params }) {"),
            Some("getStaticProps")
        );
        assert_eq!(
            declared_function_name("function getStaticPaths() {"),
            Some("getStaticPaths")
        );
        assert_eq!(declared_function_name("async () => {}"), None);
    }

    #[test]
    fn messages_naming_the_api_are_not_requests() {
        let mut source = Source::new(
            "showError(\"Could not reach api.miro.com, try again\");\n\
             new Error(\"POST /v1/oauth/token failed\");\nxhr.open(\"GET\", \"https://api.miro.com/v2/boards\");\n",
        );
        let message = source.string("\"Could not reach api.miro.com, try again\"", 0);
        source.call(
            &["showError"],
            "showError(\"Could not reach api.miro.com, try again\")",
            "showError",
            vec![message],
        );
        let error = source.string("\"POST /v1/oauth/token failed\"", 0);
        source.call(
            &["Error"],
            "new Error(\"POST /v1/oauth/token failed\")",
            "Error",
            vec![error],
        );
        let method = source.string("\"GET\"", 0);
        let url = source.string("\"https://api.miro.com/v2/boards\"", 0);
        source.call(
            &["xhr", "open"],
            "xhr.open(\"GET\", \"https://api.miro.com/v2/boards\")",
            "xhr.open",
            vec![method, url],
        );
        assert_eq!(source.check("src/panel.ts"), ["https://api.miro.com/v2/boards"]);
    }

    #[test]
    fn token_names() {
        for name in [
            "access_token",
            "miroAccessToken",
            "refreshToken",
            "token",
            "jwt",
            "idToken",
            "MIRO_TOKEN",
        ] {
            assert!(is_token_name(name), "{name}");
        }
        for name in [
            "csrfToken",
            "nextPageToken",
            "cancelToken",
            "theme",
            "tokenType",
            "user",
        ] {
            assert!(!is_token_name(name), "{name}");
        }
    }
}
