//! `cookie-missing-httponly` (R-COOKIE-1): a session or token cookie that
//! page scripts can read, because the code sets `httpOnly: false` or leaves
//! it unset where the library's default is not HttpOnly.
//!
//! Which writes there are, and what each does with `HttpOnly`, is
//! [`crate::cookie`]'s job; this rule decides what is worth a finding. An
//! explicit `false` is an error wherever it is written. An unset attribute
//! is an error only where the library leaves it off: Express's `res.cookie`,
//! `cookie.serialize`, `reply.setCookie`, Next.js's `cookies().set`, the
//! `cookie` crate. express-session, cookie-session, the Fastify session
//! plugins, actix-session and tower-sessions make their cookie HttpOnly by
//! themselves, so leaving the option out is right there — the false positive
//! other linters are known for. A value that depends on the environment is
//! a note.
//!
//! `document.cookie = "token=…"` is not reported here: a browser cannot set
//! HttpOnly at all, and storing a token where page scripts reach it is
//! `oauth-token-in-browser`'s finding.

use crate::cookie::{self, Attribute, Library, LibraryDefault, Setting, Write};
use crate::syntax::line_of;
use crate::{FileInput, Rule};
use miroguard_core::{ClassDependence, Finding, RuleMeta, Severity, Span};
use serde::Deserialize;

/// The rule's id.
pub const ID: &str = "cookie-missing-httponly";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/cookie-missing-httponly.toml"
));

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
}

/// The rule.
pub struct CookieMissingHttponly {
    meta: RuleMeta,
    keywords: Vec<String>,
}

impl CookieMissingHttponly {
    /// Loads the rule from its embedded TOML.
    pub fn new() -> Result<CookieMissingHttponly, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        Ok(CookieMissingHttponly {
            meta: file.rule,
            keywords: cookie::KEYWORDS.iter().map(|k| k.to_string()).collect(),
        })
    }
}

/// What a finding about one write says.
struct Verdict {
    severity: Severity,
    span: Span,
    message: String,
    help: String,
}

fn judge(write: &Write, text: &str) -> Option<Verdict> {
    let library = write.library;
    // A value written away from the call (an options variable, a later
    // assignment) is reported at the call, once per cookie, saying where it is.
    let place = |span: &Span| {
        if write.span.contains(*span) {
            (*span, None)
        } else {
            (write.callee, Some(line_of(text, span.start)))
        }
    };
    let fix = library.option(Attribute::HttpOnly, true);
    let (severity, span, message) = match write.setting(Attribute::HttpOnly) {
        Setting::On | Setting::Unknown => return None,
        Setting::Off(span) => {
            let (span, line) = place(span);
            let line = line.map(|l| format!(" on line {l}")).unwrap_or_default();
            let default = if library.default(Attribute::HttpOnly) == LibraryDefault::On {
                format!(", although {} makes it HttpOnly by default", library.name())
            } else {
                String::new()
            };
            (
                Severity::Error,
                span,
                format!(
                    "{} sets {}{line}: page scripts, and any script injected into the page, can read this session cookie{default}",
                    write.call,
                    library.option(Attribute::HttpOnly, false)
                ),
            )
        }
        Setting::Conditional { span, condition } => {
            let (span, line) = place(span);
            let line = line.map(|l| format!(", line {l}")).unwrap_or_default();
            (
                Severity::Note,
                span,
                format!(
                    "whether {} is HttpOnly depends on the environment (`{condition}`{line}): make sure it is in production",
                    write.call
                ),
            )
        }
        Setting::Unset => match library.default(Attribute::HttpOnly) {
            LibraryDefault::On | LibraryDefault::ByRequest => return None,
            LibraryDefault::Off => (Severity::Error, write.callee, unset_message(write)),
        },
    };
    Some(Verdict {
        severity,
        span,
        message,
        help: format!("Set {fix} so that only the server reads the cookie."),
    })
}

/// Why an unset `httpOnly` leaves the cookie readable, in the library's terms.
fn unset_message(write: &Write) -> String {
    match write.library {
        Library::SetCookieHeader => format!(
            "{} has no `HttpOnly` attribute: page scripts, and any script injected into the page, can read it",
            write.call
        ),
        Library::RustCookie => format!(
            "{} is never given `.http_only(true)`: cookies of the `cookie` crate are readable from page scripts by default",
            write.call
        ),
        Library::CookieSerialize => format!(
            "{} sets no `httpOnly`: the `cookie` package writes `HttpOnly` only when asked, so page scripts can read it",
            write.call
        ),
        library => format!(
            "{} sets no `httpOnly`: {} cookies are readable from page scripts by default",
            write.call,
            library.name()
        ),
    }
}

impl Rule for CookieMissingHttponly {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &self.keywords
    }

    fn needs_facts(&self, input: &FileInput<'_>) -> bool {
        cookie::applies(input)
    }

    fn extra_docs(&self) -> Option<String> {
        Some(cookie::defaults_table(Attribute::HttpOnly))
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        // The same gate as before the parse: another rule may have asked for these Facts.
        let Some(facts) = input.facts.filter(|_| cookie::applies(input)) else {
            return;
        };
        for write in cookie::writes(input, facts) {
            if let Some(verdict) = judge(write, input.text) {
                findings.push(
                    Finding::new(ID, verdict.severity, verdict.span, verdict.message)
                        .with_help(verdict.help)
                        // Cookies are set by servers; browser code cannot make one HttpOnly.
                        .depending_on_class(ClassDependence::except_browser(Some(verdict.severity), None)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> CookieMissingHttponly {
        CookieMissingHttponly::new().expect("rule loads")
    }

    fn run(path: &str, source: &str) -> Vec<(usize, Severity, String)> {
        crate::lowered::check(&rule(), path, source)
    }

    fn lines(found: &[(usize, Severity, String)]) -> Vec<usize> {
        found.iter().map(|(line, _, _)| *line).collect()
    }

    #[test]
    fn express_cookies_without_httponly() {
        let source = r#"const express = require("express");
const app = express();
app.post("/login", (req, res) => {
  res.cookie("session", token, { secure: true });
  res.cookie("sid", req.sessionID);
  res.cookie("theme", "dark");
  res.cookie("session", token, { httpOnly: true, secure: true });
  res.cookie("mg", accessToken, { httpOnly: false, secure: true });
  res.clearCookie("session");
  res.cookie("session", "", { expires: new Date(0) });
  res.status(200).cookie("refresh_token", tokens.refresh_token, { secure: true, sameSite: "none" }).json({});
});
"#;
        let found = run("server/app.js", source);
        assert_eq!(lines(&found), [4, 5, 8, 11], "{found:#?}");
        assert_eq!(
            found[0].2,
            "`res.cookie('session', …)` sets no `httpOnly`: Express cookies are readable from page scripts by default"
        );
        assert!(found[2].2.contains("sets `httpOnly: false`"), "{}", found[2].2);
        assert!(found.iter().all(|(_, severity, _)| *severity == Severity::Error));
    }

    #[test]
    fn session_middleware_defaults_are_httponly() {
        let source = r#"import session from "express-session";
import cookieSession from "cookie-session";
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
app.use(session({ secret: s, cookie: { secure: true } }));
app.use(cookieSession({ name: "session", keys: [k] }));
app.use(session({ secret: s, cookie: { httpOnly: false } }));
app.use(cookieSession({ name: "session", keys: [k], httpOnly: false }));
"#;
        let found = run("server/app.ts", source);
        assert_eq!(lines(&found), [6, 7], "{found:#?}");
        assert!(
            found[0]
                .2
                .contains("although express-session makes it HttpOnly by default"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn options_held_in_variables_and_spreads() {
        let source = r#"import { defaults } from "./cookie-defaults";
const base = { httpOnly: true, path: "/" };
const loose = { secure: true };
export function login(res, token, opts) {
  res.cookie("session", token, { ...base, secure: true });
  res.cookie("session", token, loose);
  res.cookie("session", token, { ...defaults, secure: true });
  res.cookie("session", token, opts);
  const later = { secure: true };
  later.httpOnly = true;
  res.cookie("session", token, later);
  res.cookie("session", token, cookieOptions());
}
function cookieOptions() {
  return { secure: true, sameSite: "lax" };
}
"#;
        let found = run("server/auth.js", source);
        assert_eq!(lines(&found), [6, 12], "{found:#?}");
    }

    #[test]
    fn serialize_next_fastify_and_headers() {
        let source = r#"import { serialize } from "cookie";
import { cookies } from "next/headers";
export async function POST(req) {
  const header = serialize("session", id, { path: "/" });
  (await cookies()).set("token", accessToken, { secure: true });
  cookies().set({ name: "session", value: id, httpOnly: true, secure: true });
  const store = await cookies();
  store.set("locale", "fr");
  req.cookies.set("session", id);
  return new Response(null, { headers: { "Set-Cookie": `sid=${id}; Path=/; Secure` } });
}
"#;
        let found = run("app/api/login/route.ts", source);
        assert_eq!(lines(&found), [4, 5, 10], "{found:#?}");
        assert!(found[1].2.contains("Next.js cookies are readable"), "{}", found[1].2);
        assert!(found[2].2.contains("has no `HttpOnly` attribute"), "{}", found[2].2);
        let fastify = r#"fastify.post("/login", async (req, reply) => {
  reply.setCookie("session", sessionToken, { path: "/", secure: true });
  reply.setCookie("prefs", JSON.stringify(prefs), { path: "/" });
});
"#;
        assert_eq!(lines(&run("server/routes.js", fastify)), [2]);
    }

    #[test]
    fn rust_cookies_and_session_layers() {
        let source = r#"use axum_extra::extract::cookie::{Cookie, CookieJar};
use tower_sessions::SessionManagerLayer;
const SESSION: &str = "session";
async fn login(jar: CookieJar) -> CookieJar {
    let jar = jar.add(Cookie::new("theme", "dark"));
    let jar = jar.add(Cookie::build((SESSION, id)).secure(true).http_only(true));
    let jar = jar.add(Cookie::build(("access_token", token)).secure(true));
    let mut c = Cookie::new("sid", id);
    c.set_http_only(true);
    let jar = jar.remove(Cookie::build(("session", "")).removal());
    jar.add(Cookie::build(("refresh", token)).http_only(false))
}
fn layer(store: MemoryStore) -> SessionManagerLayer<MemoryStore> {
    SessionManagerLayer::new(store).with_secure(true)
}
fn loose(store: MemoryStore) -> SessionManagerLayer<MemoryStore> {
    SessionManagerLayer::new(store).with_http_only(false)
}
"#;
        let found = run("src/auth.rs", source);
        assert_eq!(lines(&found), [7, 11, 17], "{found:#?}");
        assert!(
            found[0].2.contains("is never given `.http_only(true)`"),
            "{}",
            found[0].2
        );
        assert!(found[1].2.contains("`.http_only(false)`"), "{}", found[1].2);
        assert!(
            found[2]
                .2
                .contains("although tower-sessions makes it HttpOnly by default"),
            "{}",
            found[2].2
        );
    }

    #[test]
    fn other_frameworks_and_client_cookie_jars() {
        let source = r#"import { setCookie } from "hono/cookie";
import nookies from "nookies";
app.post("/login", (c) => {
  setCookie(c, "session", sessionId, { secure: true });
  setCookie(c, "session", sessionId, { prefix: "host", httpOnly: true });
  nookies.set(ctx, "token", accessToken, { secure: true, path: "/" });
});
router.post("/koa", (ctx) => {
  ctx.cookies.set("session", sessionId);
  ctx.cookies.set("session", sessionId, { httpOnly: false });
});
jar.setCookie("session=abc; Domain=example.com", "https://example.com");
cookies.set("session", sessionId, { path: "/" });
"#;
        let found = run("server/app.js", source);
        assert_eq!(lines(&found), [4, 6, 10], "{found:#?}");
        assert!(
            found[0]
                .2
                .starts_with("`setCookie(…, 'session', …)` sets no `httpOnly`: Hono"),
            "{}",
            found[0].2
        );
        assert!(
            found[2]
                .2
                .contains("`ctx.cookies.set('session', …)` sets `httpOnly: false`"),
            "{}",
            found[2].2
        );
    }

    #[test]
    fn what_the_value_says_about_the_cookie() {
        let source = r#"app.get("/a", async (req, res) => {
  res.cookie("mg", await jwt.sign({ sub: req.user.id }, process.env.JWT_SECRET), { secure: true });
  res.cookie("x", req.session.id, { secure: true });
  res.cookie("cart", req.session.cartId, { secure: true });
  res.cookie("u", req.user.id, { secure: true });
  res.cookie("flag", true, { secure: true });
  const tokenExpiry = Date.now();
  res.cookie("exp", tokenExpiry, { secure: true });
});
function put(res, name, value, options) {
  res.cookie(name, value, options);
}
"#;
        assert_eq!(lines(&run("server/app.js", source)), [2, 3]);
    }

    #[test]
    fn middleware_without_an_import_needs_its_shape() {
        let source = r#"app.use(session({ secret: process.env.S, resave: false, cookie: { httpOnly: false, secure: true } }));
app.use(session({ name: "x", cookie: { httpOnly: false } }));
"#;
        assert_eq!(lines(&run("server/app.js", source)), [1]);
        let koa = r#"import session from "koa-session";
app.use(session({ key: "sess", httpOnly: false }, app));
"#;
        assert!(run("server/app.js", koa).is_empty());
    }

    #[test]
    fn rocket_jars_add_their_own_defaults() {
        let source = r#"use rocket::http::{Cookie, CookieJar};
#[post("/login")]
fn login(jar: &CookieJar<'_>) {
    jar.add_private(Cookie::new("session", session_id()));
}
"#;
        assert!(run("src/main.rs", source).is_empty());
    }

    #[test]
    fn environment_dependent_values_are_notes() {
        let source = r#"const isProd = process.env.NODE_ENV === "production";
res.cookie("session", token, { httpOnly: isProd, secure: true });
"#;
        let found = run("server/app.js", source);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].1, Severity::Note);
    }

    #[test]
    fn test_code_and_browser_libraries_are_skipped() {
        let source = r#"res.cookie("session", token);
"#;
        assert!(run("server/app.test.js", source).is_empty());
        let browser = r#"import Cookies from "js-cookie";
Cookies.set("token", accessToken);
$.cookie("session", id);
"#;
        assert!(run("web/src/app.js", browser).is_empty());
    }

    #[test]
    fn the_gate_needs_a_cookie_write_and_a_sensitive_word() {
        let rule = rule();
        let gate = |path: &str, text: &str| crate::lowered::needs_facts(&rule, path, text);
        assert!(gate("a.js", "res.cookie('session', t)"));
        assert!(gate("a.js", "import session from 'express-session'"));
        assert!(!gate("a.js", "res.cookie('theme', 'dark')"));
        assert!(!gate("a.js", "const theme = req.cookies.theme"));
        assert!(!gate("a.test.js", "res.cookie('session', t)"));
        assert!(gate("a.rs", "let c = Cookie::new(\"sid\", id);"));
        assert!(gate("a.rs", "SessionManagerLayer::new(store)"));
        assert!(!gate("a.rs", "let c = jar.get(\"theme\");"));
        assert!(!gate("a.md", "res.cookie('session', t)"));
    }
}
