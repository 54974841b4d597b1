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
use miroguard_ir::{BindingKind, Call, Facts, StringLit, TemplatePart, Value};
use serde::Deserialize;

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

    fn finding(&self, span: Span, message: String, help: &str) -> Finding {
        Finding::new(ID, self.meta.severity, span, message)
            .with_help(help)
            .depending_on_class(ClassDependence::browser_only(self.meta.severity))
    }

    /// Calls whose URL is Miro's REST API or a token endpoint.
    fn api_calls(&self, facts: &Facts, findings: &mut Vec<Finding>) {
        for call in &facts.calls {
            let mut literals = Vec::new();
            for arg in &call.args {
                url_literals(facts, arg, 0, &mut literals);
            }
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
                    if let Some(name) = cookie_name(facts, &binding.value) {
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

/// Whether `call` is `localStorage.<method>(…)` or `sessionStorage.<method>(…)` (also through `window.`).
fn is_storage_call(call: &Call, method: &str) -> bool {
    let path: Vec<&str> = call.callee.iter().map(String::as_str).collect();
    matches!(path.as_slice(), [.., storage, m] if WEB_STORAGE.contains(storage) && *m == method)
}

fn storage_name(call: &Call) -> &str {
    call.callee.iter().rev().nth(1).map_or("localStorage", String::as_str)
}

/// The string literals a URL argument is made of: literals, template
/// fragments, an identifier's literal value in this file, the `url` of an
/// options object. Depth-limited: values can refer to each other.
fn url_literals<'a>(facts: &'a Facts, value: &'a Value, depth: usize, out: &mut Vec<&'a StringLit>) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Str(id) => out.extend(facts.strings.get(*id as usize)),
        Value::Template(parts) => {
            for part in parts {
                match part {
                    TemplatePart::Str(id) => out.extend(facts.strings.get(*id as usize)),
                    TemplatePart::Expr(inner) => url_literals(facts, inner, depth + 1, out),
                }
            }
        }
        Value::Alternatives(values) | Value::Array(values) => {
            for value in values {
                url_literals(facts, value, depth + 1, out);
            }
        }
        Value::Ident(name) => {
            for binding in facts
                .bindings
                .iter()
                .filter(|b| b.kind == BindingKind::Variable && &b.name == name)
            {
                url_literals(facts, &binding.value, depth + 1, out);
            }
        }
        Value::Object(fields) => {
            for &id in fields {
                if let Some(field) = facts
                    .bindings
                    .get(id as usize)
                    .filter(|f| matches!(f.name.as_str(), "url" | "baseURL" | "baseUrl"))
                {
                    url_literals(facts, &field.value, depth + 1, out);
                }
            }
        }
        Value::Call(id) => {
            // `new URL("/v2/boards", "https://api.miro.com")`, `` `${base}/v2` ``.concat()
            if let Some(call) = facts.calls.get(*id as usize) {
                if call.callee.last().is_some_and(|c| c == "URL") {
                    for arg in &call.args {
                        url_literals(facts, arg, depth + 1, out);
                    }
                }
            }
        }
        _ => {}
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

/// The cookie name in `document.cookie = "name=value; …"` or a template starting with `name=`.
fn cookie_name(facts: &Facts, value: &Value) -> Option<String> {
    let first = match value {
        Value::Str(id) => facts.strings.get(*id as usize)?,
        Value::Template(parts) => match parts.first()? {
            TemplatePart::Str(id) => facts.strings.get(*id as usize)?,
            TemplatePart::Expr(_) => return None,
        },
        _ => return None,
    };
    let name = first.value.split('=').next()?.trim();
    (!name.is_empty() && name.len() < first.value.len()).then(|| name.to_string())
}

impl Rule for OauthTokenInBrowser {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        input.context.language.is_js_family() && input.keywords.any()
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        let Some(facts) = input.facts else { return };
        if !input.context.language.is_js_family() {
            return;
        }
        self.api_calls(facts, findings);
        self.storage(facts, findings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
