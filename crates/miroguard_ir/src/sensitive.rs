//! Which names say a value is security-sensitive at run time.
//!
//! This is a different question from "is this literal a hardcoded secret":
//! here a value is sensitive when it must stay unpredictable or private —
//! passwords, tokens, keys, salts, nonces, OAuth `state`, session ids,
//! signatures, one-time and reset codes. A name is split into words
//! (`resetCode` → `reset code`); words that say the value is something else
//! (`tokenLength`, `userId`, `secretName`, `cacheKey`) make it not sensitive,
//! and words that say it was hashed (`passwordHash`) are reported as such,
//! because some rules care (a password's hash is still about a password) and
//! others do not (a hash is safe to log).

use crate::names::split_words;
use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// What a sensitive name says its value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SensitiveKind {
    /// A user's password or passphrase.
    Password,
    /// A secret, API key, private or signing key, credential.
    Secret,
    /// A token: access, refresh, bearer, CSRF, one-time or reset code, PKCE verifier.
    Token,
    /// A session identifier.
    Session,
    /// A salt.
    Salt,
    /// A nonce or initialisation vector.
    Nonce,
    /// The OAuth `state` parameter.
    OAuthState,
    /// A signature or MAC.
    Signature,
}

impl SensitiveKind {
    /// How a message names it: "a password", "a token".
    pub fn describe(self) -> &'static str {
        match self {
            SensitiveKind::Password => "a password",
            SensitiveKind::Secret => "a secret",
            SensitiveKind::Token => "a token",
            SensitiveKind::Session => "a session id",
            SensitiveKind::Salt => "a salt",
            SensitiveKind::Nonce => "a nonce",
            SensitiveKind::OAuthState => "an OAuth state",
            SensitiveKind::Signature => "a signature",
        }
    }
}

/// A name's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sensitive {
    /// What the value is.
    pub kind: SensitiveKind,
    /// Whether the name says the value is a hash or digest of it (`passwordHash`).
    pub hashed: bool,
    /// Whether the name alone is weak evidence (`state`, `session`): rules
    /// should want a second signal before they report on it.
    pub weak: bool,
}

/// Words that say the value is not the sensitive thing itself.
#[rustfmt::skip]
const NOT_SENSITIVE: &[&str] = &[
    "id", "ids", "uuid", "guid", "name", "names", "url", "urls", "uri", "endpoint", "host", "domain", "path",
    "file", "filename", "type", "types", "kind", "format", "field", "label", "placeholder", "hint", "title",
    "message", "msg", "error", "err", "length", "len", "size", "count", "min", "max", "limit", "prefix", "suffix",
    "version", "header", "param", "query", "env", "var", "storage", "cache", "cached", "input", "button", "form",
    "class", "style", "color", "colour", "icon", "index", "idx", "column", "table", "schema", "route", "link",
    "href", "image", "component", "template", "width", "height", "position", "offset", "list", "map", "lookup",
    "expires", "expiry", "expiration", "exp", "ttl", "timeout", "lifetime", "age", "duration", "interval",
    "scope", "scopes", "provider", "strategy", "algorithm", "alg", "encoding", "public", "publishable", "pub",
    "redacted", "masked", "mask", "censored", "obfuscated", "required", "enabled", "visible", "show", "hide",
    "is", "has", "should", "can", "valid", "invalid", "empty", "missing", "store", "manager", "service",
    "handler", "callback", "listener", "event", "events", "status", "etag", "checksum", "dedupe", "address",
    "partition", "sort", "primary", "foreign", "react", "keyboard", "keyword", "keywords", "keys", "keydown",
    "keyup", "keypress", "keycode", "hotkey", "monkey", "secretary", "tokenizer", "tokenize", "tokens",
    "passport", "bypass", "compass", "passive", "passenger", "sessions", "cookie", "cookies", "idempotency",
    "request", "response", "strength", "policy", "rule", "rules", "regex", "pattern", "validator", "animation",
    "delay", "jitter", "hue", "opacity",
];

/// Words that say the value was hashed, so it is derived from the sensitive value.
const HASHED: &[&str] = &[
    "hash",
    "hashed",
    "digest",
    "md5",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "hmac",
    "bcrypt",
    "argon2",
    "scrypt",
    "encrypted",
];

/// Words before `code` that make it a one-time or reset code.
const CODE_QUALIFIERS: &[&str] = &[
    "reset",
    "verification",
    "verify",
    "confirm",
    "confirmation",
    "otp",
    "auth",
    "login",
    "magic",
    "invite",
    "invitation",
    "recovery",
    "backup",
    "activation",
    "security",
    "access",
    "one",
    "sms",
    "email",
    "mfa",
    "twofa",
];

/// Words before `key` that make it a credential or cryptographic key.
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "signing",
    "sign",
    "encryption",
    "encrypt",
    "enc",
    "crypto",
    "cipher",
    "master",
    "hmac",
    "auth",
    "app",
    "client",
    "session",
    "jwt",
    "aes",
    "rsa",
    "des",
    "shared",
    "symmetric",
    "derived",
    "data",
    "webhook",
    "license",
    "secure",
];

/// Lowercase pieces one of which every sensitive name contains: the cheap
/// test that rules out almost every identifier before it is split into words.
const STEMS: &[&str] = &[
    "pass", "pwd", "pw", "secret", "cred", "key", "token", "bearer", "auth", "otp", "verifier", "csrf", "xsrf", "code",
    "pin", "salt", "nonce", "iv", "state", "sid", "sess", "sig", "mac",
];

fn may_be_sensitive(name: &str) -> bool {
    static STEMS_AUTOMATON: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| AhoCorasick::builder().ascii_case_insensitive(true).build(STEMS).ok());
    match &*STEMS_AUTOMATON {
        Some(automaton) => automaton.is_match(name),
        None => true,
    }
}

/// Whether `name` says its value is security-sensitive, and how.
pub fn sensitivity(name: &str) -> Option<Sensitive> {
    if !may_be_sensitive(name) {
        return None;
    }
    let words = split_words(name);
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    if words.iter().any(|w| NOT_SENSITIVE.contains(&w.as_str())) && !is_session_id(&words) && !is_id_token(&words) {
        return None;
    }
    let hashed = words.iter().any(|w| HASHED.contains(&w.as_str()));
    let mut best: Option<(SensitiveKind, bool)> = None;
    for (i, word) in words.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| words[p].as_str());
        let found = word_kind(word, previous, &words);
        if let Some((kind, weak)) = found {
            best = match best {
                // A strong word beats a weak one; among equals the first wins.
                Some((_, true)) if !weak => Some((kind, weak)),
                None => Some((kind, weak)),
                other => other,
            };
        }
    }
    best.map(|(kind, weak)| Sensitive { kind, hashed, weak })
}

fn is_session_id(words: &[String]) -> bool {
    words
        .windows(2)
        .any(|pair| pair[0] == "session" && matches!(pair[1].as_str(), "id" | "key"))
}

/// An OpenID Connect ID token (`idToken`, `id_token`) is a bearer
/// credential, unlike a token's id (`tokenId`).
fn is_id_token(words: &[String]) -> bool {
    words.windows(2).any(|pair| pair[0] == "id" && pair[1] == "token")
        && words.iter().all(|w| w == "id" || !NOT_SENSITIVE.contains(&w.as_str()))
}

/// The kind one word gives, and whether it is weak evidence alone.
fn word_kind(word: &str, previous: Option<&str>, words: &[String]) -> Option<(SensitiveKind, bool)> {
    let word = word.trim_end_matches(|c: char| c.is_ascii_digit());
    let kind = match word {
        "password" | "passwd" | "pwd" | "passphrase" | "passcode" | "pw" => (SensitiveKind::Password, false),
        "pass" if previous.is_some() || words.len() == 1 => (SensitiveKind::Password, false),
        "secret" | "secrets" | "credential" | "credentials" | "creds" | "apikey" | "privatekey" | "secretkey"
        | "signingkey" | "encryptionkey" | "masterkey" | "clientsecret" | "apisecret" => (SensitiveKind::Secret, false),
        "key" if previous.is_some_and(|p| KEY_QUALIFIERS.contains(&p)) => (SensitiveKind::Secret, false),
        "key" if previous == Some("session") => (SensitiveKind::Session, false),
        "token" | "accesstoken" | "refreshtoken" | "authtoken" | "bearer" | "authorization" | "otp" | "totp"
        | "hotp" | "verifier" | "apitoken" | "csrftoken" | "xsrftoken" => (SensitiveKind::Token, false),
        "csrf" | "xsrf" if words.len() == 1 => (SensitiveKind::Token, false),
        "code" if previous.is_some_and(|p| CODE_QUALIFIERS.contains(&p)) => (SensitiveKind::Token, false),
        "pin" if previous.is_some_and(|p| CODE_QUALIFIERS.contains(&p)) => (SensitiveKind::Token, false),
        "salt" => (SensitiveKind::Salt, false),
        "nonce" | "iv" => (SensitiveKind::Nonce, false),
        "state" if previous.is_some_and(|p| matches!(p, "oauth" | "oauth2" | "auth" | "login" | "csrf")) => {
            (SensitiveKind::OAuthState, false)
        }
        "state" if words.len() == 1 => (SensitiveKind::OAuthState, true),
        "sid" | "sessid" | "sessionid" => (SensitiveKind::Session, false),
        "session" if words.len() == 1 || is_session_id(words) => (SensitiveKind::Session, !is_session_id(words)),
        "signature" | "sig" | "mac" => (SensitiveKind::Signature, false),
        _ if word.len() >= 8 && (word.ends_with("password") || word.ends_with("secret")) => {
            (SensitiveKind::Password, false)
        }
        _ if word.len() >= 7 && word.ends_with("token") => (SensitiveKind::Token, false),
        _ => return None,
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SensitiveKind::*;

    fn kind(name: &str) -> Option<(SensitiveKind, bool, bool)> {
        sensitivity(name).map(|s| (s.kind, s.hashed, s.weak))
    }

    #[test]
    fn sensitive_names_and_their_kinds() {
        for (name, expected) in [
            ("password", Password),
            ("newPassword", Password),
            ("db_pass", Password),
            ("clientSecret", Secret),
            ("API_KEY", Secret),
            ("signingKey", Secret),
            ("accessToken", Token),
            ("refresh_token", Token),
            ("resetCode", Token),
            ("otp", Token),
            ("code_verifier", Token),
            ("csrfToken", Token),
            ("salt", Salt),
            ("iv", Nonce),
            ("nonce", Nonce),
            ("oauthState", OAuthState),
            ("sessionId", Session),
            ("sid", Session),
            ("session_key", Session),
            ("signature", Signature),
            ("apitoken", Token),
            ("idToken", Token),
            ("id_token", Token),
        ] {
            assert_eq!(kind(name).map(|k| k.0), Some(expected), "{name}");
        }
    }

    #[test]
    fn names_of_something_else_are_not_sensitive() {
        for name in [
            "tokenLength",
            "userId",
            "tokenId",
            "secretName",
            "cacheKey",
            "key",
            "etag",
            "passwordHint",
            "tokenUrl",
            "publicKey",
            "keyboard",
            "statusCode",
            "code",
            "errorCode",
            "color",
            "sessionStorage",
            "setState",
            "delay",
            "secretary",
            "tokenizer",
        ] {
            assert_eq!(kind(name), None, "{name}");
        }
    }

    #[test]
    fn every_sensitive_word_contains_a_stem() {
        for name in [
            "password",
            "passwd",
            "pwd",
            "passphrase",
            "passcode",
            "pw",
            "pass",
            "secret",
            "credentials",
            "creds",
            "apikey",
            "signingKey",
            "token",
            "bearer",
            "authorization",
            "otp",
            "totp",
            "hotp",
            "verifier",
            "csrf",
            "xsrf",
            "resetCode",
            "invitePin",
            "salt",
            "nonce",
            "iv",
            "oauthState",
            "sid",
            "sessid",
            "sessionId",
            "signature",
            "sig",
            "mac",
        ] {
            assert!(sensitivity(name).is_some(), "{name}");
            assert!(may_be_sensitive(name), "{name}");
        }
    }

    #[test]
    fn hashed_and_weak_names() {
        assert_eq!(kind("passwordHash"), Some((Password, true, false)));
        assert_eq!(kind("hashed_token"), Some((Token, true, false)));
        assert_eq!(kind("state"), Some((OAuthState, false, true)));
        assert_eq!(kind("session"), Some((Session, false, true)));
    }
}
