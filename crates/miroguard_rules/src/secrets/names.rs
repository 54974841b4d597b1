//! Which names say "this value is a secret".
//!
//! A name is split into lowercase words (`MIRO_CLIENT_SECRET` → `miro client
//! secret`, `apiKey` → `api key`, `x-api-key` → `x api key`). A name is secret
//! when a secret word is in it and no word in it says the value is something
//! else: `tokenUrl`, `password_hint`, `publicKey`, `secretary`, `keyboard`.

use aho_corasick::AhoCorasick;
use std::collections::HashSet;
use std::sync::LazyLock;

/// How strongly a name says its value is a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameStrength {
    /// `key`, `auth`, `session`, `cookie`: often a secret, often not.
    Weak,
    /// `password`, `secret`, `token`, `api_key`, `client_secret`, `Authorization`…
    Strong,
}

/// Words that make a name a secret's name on their own.
#[rustfmt::skip]
const STRONG_WORDS: &[&str] = &[
    "password", "passwd", "pwd", "passphrase", "passcode", "pass", "secret", "secrets", "token", "apikey",
    "apitoken", "apisecret", "credential", "credentials", "creds", "privatekey", "accesskey", "secretkey",
    "clientsecret", "authtoken", "accesstoken", "refreshtoken", "bearertoken", "authorization", "bearer",
    "signingkey", "encryptionkey", "masterkey",
];

/// Words after which `key` means a credential (`api key`, `signing key`).
#[rustfmt::skip]
const KEY_QUALIFIERS: &[&str] = &[
    "api", "access", "secret", "private", "signing", "sign", "encryption", "encrypt", "enc", "crypto", "cipher",
    "master", "hmac", "auth", "app", "application", "client", "service", "account", "license", "licence",
    "subscription", "session", "cookie", "jwt", "admin", "root", "deploy", "ssh", "gpg", "pgp", "aes", "rsa",
    "webhook", "integration", "developer", "dev", "prod", "production", "live", "stripe", "miro", "openai",
    "google", "maps", "aws", "azure", "sendgrid", "mailgun", "twilio", "slack", "github", "x", "consumer",
    "partner", "merchant", "shared", "server", "sdk", "storage", "bucket", "db", "database", "mongo", "redis",
];

/// Words that make a name weakly secret on their own.
const WEAK_WORDS: &[&str] = &["key", "auth", "session", "cookie"];

/// Words that say the value is not the secret itself (a name, id, url,
/// length, hash, public part, label…), and English words that merely contain
/// a secret word.
#[rustfmt::skip]
const NOT_SECRET_WORDS: &[&str] = &[
    // what the value is instead of the secret
    "id", "ids", "uuid", "guid", "name", "names", "url", "urls", "uri", "uris", "endpoint", "endpoints", "host",
    "hostname", "domain", "path", "paths", "dir", "directory", "file", "filename", "files", "location", "type",
    "types", "kind", "mode", "format", "pattern", "patterns", "regex", "regexp", "rule", "rules", "policy", "field",
    "fields", "label", "labels", "placeholder", "hint", "help", "title", "description", "desc", "message",
    "messages", "msg", "text", "error", "errors", "err", "event", "events", "attr", "attribute", "attributes",
    "prop", "props", "property", "length", "len", "size", "count", "min", "max", "limit", "prefix", "suffix",
    "separator", "delimiter", "version", "header", "headers", "param", "params", "parameter", "query", "env", "var",
    "variable", "storage", "cache", "input", "button", "btn", "form", "class", "style", "color", "icon", "selector",
    "index", "idx", "column", "col", "table", "schema", "validator", "validation", "route", "router", "link",
    "href", "src", "image", "img", "component", "template", "view", "width", "height", "position", "offset", "list",
    "map", "lookup", "dict", "translation", "i18n", "locale", "lang", "expires", "expiry", "expiration", "exp",
    "ttl", "timeout", "lifetime", "age", "duration", "interval", "scope", "scopes", "state", "nonce", "challenge",
    "request", "response", "handler", "callback", "method", "action", "status", "enabled", "disabled", "required",
    "optional", "provider", "strategy", "algorithm", "alg", "encoding", "charset", "meta", "metadata", "payload",
    "body", "context", "ctx", "confirm", "confirmation", "forgot", "change", "update", "strength", "score",
    "visible", "visibility", "toggle", "show", "hide", "hidden", "is", "has", "use", "should", "can", "allow",
    "check", "verify", "valid", "invalid", "empty", "missing", "count", "page", "cursor", "next", "previous",
    "prev", "continuation", "cancel", "cancellation", "injection", "csrf", "xsrf", "primary", "foreign",
    "partition", "sort", "row", "item", "react", "vue", "translate", "tooltip", "aria", "example", "sample",
    "dummy", "fake", "mock", "stub",
    // how the value was made safe
    "hash", "hashed", "digest", "md5", "sha", "sha1", "sha256", "sha512", "bcrypt", "argon2", "scrypt", "pbkdf2",
    "public", "publishable", "pub", "anon", "redacted", "masked", "mask", "censored", "obfuscated", "encrypted", "length",
    // false friends: English words containing a secret word
    "secretary", "secretaries", "secretariat", "tokenizer", "tokenize", "tokenized", "tokenizing", "tokenization",
    "keyboard", "keyboards", "monkey", "turkey", "donkey", "hockey", "jockey", "whiskey", "keynote", "keystone",
    "keyword", "keywords", "code", "codes", "keyframe", "keyframes", "keypress", "keydown", "keyup", "keycode",
    "keystroke", "hotkey", "hotkeys", "websocket", "keymap", "keybinding", "keybindings", "keyof", "keys",
    "passport", "passenger", "passage", "bypass", "compass", "passthrough", "passive", "pass-through", "sessions",
    "cookies", "tokens",
];

pub use miroguard_ir::names::split_words;

/// Whether `name` contains one of [`NAME_KEYWORDS`], ignoring case: the
/// cheap test that rules out almost every name before it is split into words.
/// (A byte loop comparing each keyword at each position cost three times the
/// automaton's instructions on the corpus: many bytes start some keyword.)
pub fn has_name_keyword(name: &str) -> bool {
    static KEYWORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(NAME_KEYWORDS)
            .ok()
    });
    match &*KEYWORDS {
        Some(automaton) => automaton.is_match(name),
        None => true,
    }
}

/// How strongly `name` says its value is a secret, or `None` when it does not.
pub fn secret_name_strength(name: &str) -> Option<NameStrength> {
    if !has_name_keyword(name) {
        return None;
    }
    let words = split_words(name);
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    if words.iter().any(|w| is_not_secret_word(w)) {
        return None;
    }
    let mut strength = None;
    for (i, word) in words.iter().enumerate() {
        let word = trim_digits(word);
        let this = if STRONG.contains(word) {
            // `pass` alone is a password only at the end (`DB_PASS`), not in `pass_through` or `first_pass`.
            let previous = i.checked_sub(1).map(|p| trim_digits(&words[p]));
            let not_a_password = word == "pass"
                && (i + 1 != words.len() || matches!(previous, Some("first" | "second" | "last" | "single" | "multi")));
            (!not_a_password).then_some(NameStrength::Strong)
        } else if word == "key" && i > 0 && QUALIFIERS.contains(trim_digits(&words[i - 1])) {
            Some(NameStrength::Strong)
        } else if WEAK_WORDS.contains(&word) {
            Some(NameStrength::Weak)
        } else {
            compound_strength(word)
        };
        strength = strength.max(this);
    }
    strength
}

/// Stems that make a run-together word (`dbpassword`, `stripeapikey`) a strong name.
const STRONG_STEMS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "apikey",
    "accesskey",
    "privatekey",
    "secretkey",
    "token",
    "credential",
];

/// Strength of a run-together word like `apikey` or `dbpassword`.
fn compound_strength(word: &str) -> Option<NameStrength> {
    if word.len() < 6 {
        return None;
    }
    if STRONG_STEMS.iter().any(|stem| word.contains(stem)) {
        return Some(NameStrength::Strong);
    }
    None
}

// The word lists as sets. Every name with a keyword is looked up word by
// word; scanning the 300 words of `NOT_SECRET_WORDS` for each was most of the
// time the secret detectors took on code with many such names.
type WordSet = LazyLock<HashSet<&'static str>>;
static STRONG: WordSet = LazyLock::new(|| STRONG_WORDS.iter().copied().collect());
static QUALIFIERS: WordSet = LazyLock::new(|| KEY_QUALIFIERS.iter().copied().collect());
static NOT_SECRET: WordSet = LazyLock::new(|| NOT_SECRET_WORDS.iter().copied().collect());

fn is_not_secret_word(word: &str) -> bool {
    NOT_SECRET.contains(word) || {
        let trimmed = trim_digits(word);
        trimmed.len() != word.len() && NOT_SECRET.contains(trimmed)
    }
}

fn trim_digits(word: &str) -> &str {
    word.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// Lowercase substrings, one of which every secret name contains: a name
/// without any of them is not secret, whatever its words.
pub const NAME_KEYWORDS: &[&str] = &[
    "pass", "pwd", "secret", "token", "key", "cred", "auth", "bearer", "session", "cookie",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_check_agrees_with_lowercase_contains() {
        let names = [
            "password",
            "DB_PASSWORD",
            "x-Api-KEY",
            "aUtHoRiZaTiOn",
            "MIRO_CLIENT_SECRET",
            "tok",
            "toke",
            "TOKEN",
            "pw",
            "PWD",
            "bearer",
            "Cred",
            "sess",
            "session",
            "Cookie",
            "k",
            "ke",
            "key",
            "a",
            "",
            "é-key",
            "naïve",
            "width",
            "value",
            "userName",
            "xpas",
            "passs",
            "ßecret",
            "secre",
            "SeCrEt",
        ];
        for name in names {
            let lower = name.to_ascii_lowercase();
            let expected = NAME_KEYWORDS.iter().any(|keyword| lower.contains(keyword));
            assert_eq!(has_name_keyword(name), expected, "{name}");
        }
    }

    #[test]
    fn strong_names() {
        for name in [
            "password",
            "DB_PASSWORD",
            "dbPass",
            "MIRO_CLIENT_SECRET",
            "clientSecret",
            "apiKey",
            "API_KEY",
            "apikey",
            "x-api-key",
            "accessToken",
            "refresh_token",
            "token",
            "Authorization",
            "privateKey",
            "signingKey",
            "stripeKey",
            "AWS_SECRET_ACCESS_KEY",
            "credentials",
            "dbpassword",
            "jwtSecret",
            "SESSION_SECRET",
        ] {
            assert_eq!(secret_name_strength(name), Some(NameStrength::Strong), "{name}");
        }
    }

    #[test]
    fn weak_names() {
        for name in ["key", "auth", "session", "cookieValue", "KEY"] {
            assert_eq!(secret_name_strength(name), Some(NameStrength::Weak), "{name}");
        }
    }

    #[test]
    fn names_that_are_not_secrets() {
        for name in [
            "tokenUrl",
            "passwordHint",
            "PASSWORD_FIELD",
            "publicKey",
            "secretary",
            "keyboard",
            "monkey",
            "clientId",
            "apiKeyName",
            "tokenType",
            "nextPageToken",
            "cancelToken",
            "csrfToken",
            "hashedPassword",
            "passwordMinLength",
            "secretName",
            "TOKEN_STORAGE_KEY",
            "keyCode",
            "tokenizer",
            "first_pass",
            "passThrough",
            "sessionId",
            "username",
            "cacheKey",
            "primaryKey",
            "i18nKey",
            "encryptedToken",
            "resetPasswordUrl",
            "STRIPE_PUBLISHABLE_KEY",
            "passport",
            "bypass",
            "value",
            "name",
            "",
        ] {
            assert_eq!(secret_name_strength(name), None, "{name}");
        }
    }

    #[test]
    fn every_secret_word_contains_a_keyword() {
        for word in STRONG_WORDS.iter().chain(WEAK_WORDS) {
            assert!(
                NAME_KEYWORDS.iter().any(|k| word.contains(k)),
                "{word} has no prefilter keyword"
            );
        }
        // a compound hits only through a strong stem, and `key` qualifiers end in `key`
        for stem in STRONG_STEMS {
            assert!(NAME_KEYWORDS.iter().any(|k| stem.contains(k)), "{stem}");
        }
    }
}
