//! `cookie-missing-secure` (R-COOKIE-1): a session or token cookie that the
//! browser also sends over plain HTTP, because the code sets `secure: false`
//! or leaves it unset where the library's default is not Secure.
//!
//! Which writes there are, and what each does with `Secure`, is
//! [`crate::cookie`]'s job; this rule decides what is worth a finding. An
//! explicit `false` is an error. An unset attribute is an error where the
//! library leaves it off (Express, `cookie.serialize`, @fastify/cookie,
//! Next.js, express-session, @fastify/secure-session, the `cookie` crate),
//! and a warning under cookie-session, which makes the cookie Secure only
//! when the request reached Node over HTTPS — not behind a TLS-terminating
//! proxy unless Express trusts it. @fastify/session, actix-session and
//! tower-sessions are Secure by default. `secure: 'auto'` and a value that
//! depends on the environment (`process.env.NODE_ENV === 'production'`) are
//! accepted, the latter with a note.
//!
//! Miro panels run in an iframe on miro.com, so `SameSite=None; Secure` is
//! the expected setting for their session cookie and never a finding; but
//! `SameSite=None` without `Secure` is rejected by browsers, which the
//! message says.

use crate::cookie::{self, Attribute, Library, LibraryDefault, Setting, Write};
use crate::syntax::line_of;
use crate::{FileInput, Rule};
use miroguard_core::{ClassDependence, Dependencies, Finding, RuleMeta, Severity, Span, Version};
use serde::Deserialize;

/// The rule's id.
pub const ID: &str = "cookie-missing-secure";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/cookie-missing-secure.toml"
));

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
}

/// The rule.
pub struct CookieMissingSecure {
    meta: RuleMeta,
    keywords: Vec<String>,
}

impl CookieMissingSecure {
    /// Loads the rule from its embedded TOML.
    pub fn new() -> Result<CookieMissingSecure, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        Ok(CookieMissingSecure {
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

/// tower-sessions made its cookie Secure by default in 0.8.0; before, it was not.
const TOWER_SESSIONS_SECURE_SINCE: Version = Version::new(0, 8, 0);

fn judge(write: &Write, text: &str, dependencies: Option<&Dependencies>) -> Option<Verdict> {
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
    let (severity, span, message) = match write.setting(Attribute::Secure) {
        Setting::On | Setting::Unknown => return None,
        Setting::Off(span) => {
            let (span, line) = place(span);
            let line = line.map(|l| format!(" on line {l}")).unwrap_or_default();
            (
                Severity::Error,
                span,
                format!(
                    "{} sets {}{line}: browsers also send this session cookie over plain HTTP, where anyone on the network can read it{}",
                    write.call,
                    library.option(Attribute::Secure, false),
                    rejection(write)
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
                    "whether {} is Secure depends on the environment (`{condition}`{line}): make sure it is in production",
                    write.call
                ),
            )
        }
        Setting::Unset => match library.default(Attribute::Secure) {
            LibraryDefault::On if library == Library::TowerSessions => {
                let installed = dependencies
                    .and_then(|deps| deps.get("tower-sessions"))
                    .filter(|resolved| resolved.version < TOWER_SESSIONS_SECURE_SINCE);
                let resolved = installed?;
                (
                    Severity::Error,
                    write.callee,
                    format!(
                        "{} sets no `.with_secure(true)`: tower-sessions {} (from {}) does not make its cookie Secure by default (0.8 and later do), so browsers also send the session over plain HTTP",
                        write.call, resolved.version, resolved.source
                    ),
                )
            }
            LibraryDefault::On => return None,
            LibraryDefault::ByRequest if write.trusts_proxy => return None,
            LibraryDefault::ByRequest => (
                Severity::Warning,
                write.callee,
                format!(
                    "{} sets no `secure`: cookie-session marks its cookie Secure only when the request reached Node over HTTPS, which behind a TLS-terminating proxy it does not unless Express trusts the proxy{}",
                    write.call,
                    rejection(write)
                ),
            ),
            LibraryDefault::Off => (
                Severity::Error,
                write.callee,
                format!("{}{}", unset_message(write), rejection(write)),
            ),
        },
    };
    let help = match library {
        Library::CookieSession => {
            "Set `secure: true`, and `app.set('trust proxy', 1)` when a proxy terminates TLS.".to_string()
        }
        Library::ExpressSession => {
            "Set `cookie.secure: true` (or `'auto'`), and `app.set('trust proxy', 1)` when a proxy terminates TLS."
                .to_string()
        }
        _ => format!(
            "Set {} so that the browser sends the cookie only over HTTPS.",
            library.option(Attribute::Secure, true)
        ),
    };
    Some(Verdict {
        severity,
        span,
        message,
        help,
    })
}

/// Why an unset `secure` leaves the cookie on plain HTTP, in the library's terms.
fn unset_message(write: &Write) -> String {
    match write.library {
        Library::ExpressSession | Library::FastifySecureSession => format!(
            "{} sets no `cookie.secure`: {} cookies are not Secure by default, so browsers also send the session over plain HTTP",
            write.call,
            write.library.name()
        ),
        Library::SetCookieHeader => format!(
            "{} has no `Secure` attribute: browsers also send the cookie over plain HTTP",
            write.call
        ),
        Library::RustCookie => format!(
            "{} is never given `.secure(true)`: cookies of the `cookie` crate are sent over plain HTTP by default",
            write.call
        ),
        Library::CookieSerialize => format!(
            "{} sets no `secure`: the `cookie` package writes `Secure` only when asked, so browsers also send it over plain HTTP",
            write.call
        ),
        library => format!(
            "{} sets no `secure`: {} cookies are sent over plain HTTP by default",
            write.call,
            library.name()
        ),
    }
}

/// What else goes wrong without `Secure`: browsers reject `SameSite=None`
/// and `__Host-`/`__Secure-` cookies that lack it.
fn rejection(write: &Write) -> &'static str {
    if write.same_site_none {
        "; and browsers reject a `SameSite=None` cookie without `Secure`, so the panel's iframe on miro.com gets no session at all"
    } else if write.secure_prefix {
        "; and browsers reject a `__Host-` or `__Secure-` cookie without `Secure`"
    } else {
        ""
    }
}

impl Rule for CookieMissingSecure {
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
        Some(cookie::defaults_table(Attribute::Secure))
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        // The same gate as before the parse: another rule may have asked for these Facts.
        let Some(facts) = input.facts.filter(|_| cookie::applies(input)) else {
            return;
        };
        for write in cookie::writes(input, facts) {
            if let Some(verdict) = judge(write, input.text, input.context.dependencies.as_deref()) {
                findings.push(
                    Finding::new(ID, verdict.severity, verdict.span, verdict.message)
                        .with_help(verdict.help)
                        // Cookies are set by servers; what browser code does with them is other rules' business.
                        .depending_on_class(ClassDependence::except_browser(Some(verdict.severity), None)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> CookieMissingSecure {
        CookieMissingSecure::new().expect("rule loads")
    }

    fn run(path: &str, source: &str) -> Vec<(usize, Severity, String)> {
        crate::lowered::check(&rule(), path, source)
    }

    fn summary(found: &[(usize, Severity, String)]) -> Vec<(usize, Severity)> {
        found.iter().map(|(line, severity, _)| (*line, *severity)).collect()
    }

    #[test]
    fn express_session_is_not_secure_by_default() {
        let source = r#"const session = require("express-session");
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
app.use(session({ secret: s, cookie: { secure: true, sameSite: "none" } }));
app.use(session({ secret: s, cookie: { secure: "auto" } }));
app.use(session({ secret: s, cookie: { secure: process.env.NODE_ENV === "production" } }));
app.use(session({ secret: s, cookie: { secure: false, sameSite: "none" } }));
"#;
        let found = run("server/app.js", source);
        assert_eq!(
            summary(&found),
            [(2, Severity::Error), (5, Severity::Note), (6, Severity::Error)],
            "{found:#?}"
        );
        assert!(
            found[0].2.contains("express-session cookies are not Secure by default"),
            "{}",
            found[0].2
        );
        assert!(found[2].2.contains("reject a `SameSite=None` cookie"), "{}", found[2].2);
    }

    #[test]
    fn the_express_session_readme_pattern_depends_on_the_environment() {
        let source = r#"const session = require("express-session");
const sess = { secret: process.env.SECRET, cookie: {} };
if (app.get("env") === "production") {
  app.set("trust proxy", 1);
  sess.cookie.secure = true;
}
app.use(session(sess));
"#;
        let found = run("server/app.js", source);
        assert_eq!(summary(&found), [(7, Severity::Note)], "{found:#?}");
        assert!(
            found[0].2.contains("(`app.get(\"env\") === \"production\"`, line 5)"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn cookie_session_depends_on_the_request() {
        let source = r#"const cookieSession = require("cookie-session");
app.use(cookieSession({ name: "session", keys: [process.env.KEY] }));
app.use(cookieSession({ name: "session", keys: [process.env.KEY], secure: true }));
"#;
        assert_eq!(summary(&run("server/app.js", source)), [(2, Severity::Warning)]);
        let trusted = format!("app.set('trust proxy', 1);\n{source}");
        assert!(run("server/app.js", &trusted).is_empty());
    }

    #[test]
    fn cookies_with_and_without_secure() {
        let source = r#"res.cookie("session", token, { httpOnly: true });
res.cookie("session", token, { httpOnly: true, secure: true, sameSite: "none" });
res.cookie("session", token, { httpOnly: true, sameSite: "none" });
res.cookie("__Host-session", token, { httpOnly: true, path: "/" });
res.cookie("locale", "fr");
const opts = { httpOnly: true, secure: !dev };
res.cookie("session", token, opts);
"#;
        let found = run("server/app.js", source);
        assert_eq!(
            summary(&found),
            [
                (1, Severity::Error),
                (3, Severity::Error),
                (4, Severity::Error),
                (7, Severity::Note)
            ],
            "{found:#?}"
        );
        assert_eq!(
            found[0].2,
            "`res.cookie('session', …)` sets no `secure`: Express cookies are sent over plain HTTP by default"
        );
        assert!(found[1].2.contains("`SameSite=None`"), "{}", found[1].2);
        assert!(found[2].2.contains("`__Host-`"), "{}", found[2].2);
    }

    #[test]
    fn fastify_session_plugins() {
        let source = r#"import fastifySession from "@fastify/session";
import secureSession from "@fastify/secure-session";
fastify.register(fastifySession, { secret: process.env.SECRET });
fastify.register(fastifySession, { secret: s, cookie: { secure: false } });
fastify.register(secureSession, { key, cookie: { path: "/" } });
fastify.register(require("@fastify/secure-session"), { key, cookie: { path: "/", secure: true } });
"#;
        let found = run("server/app.ts", source);
        assert_eq!(
            summary(&found),
            [(4, Severity::Error), (5, Severity::Error)],
            "{found:#?}"
        );
        assert!(
            found[1]
                .2
                .contains("@fastify/secure-session cookies are not Secure by default"),
            "{}",
            found[1].2
        );
    }

    #[test]
    fn rust_cookies_and_session_middleware() {
        let source = r#"use actix_session::SessionMiddleware;
use actix_web::cookie::{Cookie, SameSite};
fn app(key: Key) {
    let a = SessionMiddleware::new(CookieSessionStore::default(), key.clone());
    let b = SessionMiddleware::builder(CookieSessionStore::default(), key.clone()).cookie_secure(false).build();
    let c = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
        .cookie_secure(!cfg!(debug_assertions))
        .build();
    let d = SessionMiddleware::builder(CookieSessionStore::default(), key).cookie_same_site(SameSite::None).build();
}
fn cookie(id: String) -> Cookie<'static> {
    Cookie::build(("session", id)).http_only(true).same_site(SameSite::None).into()
}
fn layer(store: MemoryStore) {
    let layer = SessionManagerLayer::new(store);
    let layer = SessionManagerLayer::new(store).with_secure(false);
}
"#;
        let found = run("src/main.rs", source);
        assert_eq!(
            summary(&found),
            [
                (5, Severity::Error),
                (7, Severity::Note),
                (12, Severity::Error),
                (16, Severity::Error)
            ],
            "{found:#?}"
        );
        assert!(found[0].2.contains("`.cookie_secure(false)`"), "{}", found[0].2);
        assert!(found[2].2.contains("is never given `.secure(true)`"), "{}", found[2].2);
    }

    #[test]
    fn rust_set_cookie_headers() {
        let source = r#"fn login(id: &str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::SET_COOKIE, format!("session={id}; Path=/; HttpOnly")))
        .insert_header((header::SET_COOKIE, format!("theme={}; Path=/", theme)))
        .finish()
}
"#;
        let found = run("src/routes.rs", source);
        assert_eq!(summary(&found), [(3, Severity::Error)], "{found:#?}");
    }
}
