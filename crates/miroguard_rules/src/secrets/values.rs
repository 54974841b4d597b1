//! Which values look like a secret rather than a placeholder, an identifier,
//! a path, a hash or a sentence.
//!
//! The same checks serve literals bound to names in code, `KEY=value` pairs in
//! text files, and the lexical gate that decides whether a file needs parsing,
//! so that the three cannot disagree.

use super::entropy::shannon_entropy;
use super::names::NameStrength;
use regex::Regex;
use std::sync::LazyLock;

/// Shortest value a strongly named secret can have.
pub const MIN_LEN_STRONG: usize = 8;
/// Shortest value a weakly named secret can have.
pub const MIN_LEN_WEAK: usize = 16;
/// Longest generic value considered (longer ones are blobs, certificates, data).
pub const MAX_LEN: usize = 1000;
/// Minimum entropy (bits per character) under a strong name.
pub const MIN_ENTROPY_STRONG: f64 = 3.0;
/// Minimum entropy under a weak name.
pub const MIN_ENTROPY_WEAK: f64 = 3.5;

/// Authorization schemes that precede the credential in a header value.
const AUTH_SCHEMES: &[&str] = &["bearer", "basic", "token", "bot", "digest", "apikey", "key", "sso-key", "otp"];

/// Whole values that are placeholders, templates or references, never secrets.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    let patterns = [
        // templates and references: ${X}, {{ x }}, <x>, $X, $(x), %X%, %(x)s, #{x}, <%= x %>, env:X
        r"\$\{.*\}",
        r"\{\{.*\}\}",
        r"\{%.*%\}",
        r"<.*>",
        r"\[.*\]",
        r"\{.*\}",
        r"\$[A-Za-z_][A-Za-z0-9_]*",
        r"\$\(.*\)",
        r"%[A-Za-z_][A-Za-z0-9_]*%",
        r"%\(?[A-Za-z_]*\)?[sd]",
        r"#\{.*\}",
        r"(?i)(?:env|secret|secrets|vault|ssm|op|keyring|file|arn):.*",
        // words people write instead of a secret, alone or as the first of
        // separated or camelCase words: your_api_key, yourApiKey, my-secret, not-a-real-token
        r"(?i:your|my|the|insert|enter|paste|replace|example|sample|dummy|fake|mock|placeholder|redacted|todo|tbd|fixme|xxx|invalid|bogus|fixture|stub|not[-_.]?a[-_.]?real|not[-_.]?real)(?:(?:[-_.][A-Za-z0-9]+)+|(?:[A-Z][A-Za-z0-9]*)+)?",
        r"(?i:none|null|nil|undefined|empty|false|true)",
        // a common word or password, with a few digits: password123, admin!, hunter2, secret_1
        r"(?i:test|testing|tests|secret|secrets|password|passwd|pass|pwd|token|key|apikey|api[-_]?key|admin|administrator|root|guest|user|username|changeme|changeit|qwerty|letmein|welcome|hunter|abc|foo|bar|baz|foobar|lorem|ipsum|asdf|sample|example|demo|default)[-_.!@#]?[0-9]{0,8}[!@#]?",
        r"(?i:test)[-_.]?(?i:token|key|secret|password|pass|pwd|value|string|data|api[-_]?key|access[-_]?token|client[-_]?secret|[0-9]{1,8})",
        // masks and filler: xxxxxx, ******, 00000000, ..., ____
        r"(?i).*(?:x{6,}|\*{4,}|0{8,}|\.{3,}|_{4,}|#{4,}|•{3,}).*",
        r"0123456789.*|1234567890.*|abcdefgh.*|ABCDEFGH.*",
        // Miro board ids (`uXjV…=`) look like base64 but are public
        r"uXjV[A-Za-z0-9_-]{6,10}=",
    ];
    let joined = patterns.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|");
    Regex::new(&format!("^(?:{joined})$")).expect("placeholder patterns are valid")
});

/// Shapes that are code, not secrets: identifiers, constant names, dotted
/// keys, paths, MIME types, file names, URLs, UUIDs, hex and digits.
static NOT_A_SECRET_SHAPE: LazyLock<Regex> = LazyLock::new(|| {
    let patterns = [
        // camelCase, PascalCase and lowercase identifiers: changePassword, SessionToken, passwordfield
        r"[a-z]+(?:[A-Z][a-z]+)*",
        r"(?:[A-Z][a-z]+)+",
        // words joined by _ - or . (no digits): client-secret, session_token, auth.errors.invalid
        r"[A-Za-z]+(?:[-_.][A-Za-z]+)+",
        // SCREAMING_SNAKE constant or env var names: MIRO_CLIENT_SECRET
        r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+",
        // dotted lowercase keys and module paths: app.auth.token, messages.password2
        r"[a-z0-9]+(?:\.[a-z0-9_-]+)+",
        // paths: /a/b, ./x, ../x, ~/x, @/x, C:\x
        r"(?:/|\./|\.\./|~/|@/|[A-Za-z]:\\).*",
        // lowercase slash paths and MIME types: application/json, src/auth/token
        r"[a-z0-9_.@-]+(?:/[a-z0-9_.@+-]*)+",
        // file names: key.pem, secrets.json
        r"[A-Za-z0-9_.-]+\.(?:json|pem|key|crt|cer|der|p12|pfx|jks|txt|ya?ml|toml|env|ini|conf|cfg|js|mjs|cjs|ts|tsx|jsx|rs|py|rb|go|java|html|css|md|png|jpe?g|gif|svg|sh|log|lock|db|sqlite)",
        // URLs and other scheme-prefixed values
        r"[A-Za-z][A-Za-z0-9+.-]*://.*",
        r"(?i:mailto|data|tel|urn|javascript|file|blob|sha1|sha256|sha384|sha512|md5):.*",
        // CSS / HTML colours and sizes
        r"#[0-9A-Fa-f]{3,8}",
        // digits only, and dates/versions/numbers with separators
        r"[0-9]+",
        r"[0-9][0-9.:/_-]*[0-9]",
        r"v?[0-9]+(?:\.[0-9]+)+(?:-[A-Za-z0-9.]+)?",
    ];
    let joined = patterns.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|");
    Regex::new(&format!("^(?:{joined})$")).expect("shape patterns are valid")
});

static UUID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$").expect("valid"));
static HEX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?i)(?:0x)?[0-9a-f]+$").expect("valid"));

/// Whether `c` may appear in a generic secret value: printable ASCII except
/// whitespace, quotes, backslash and backtick.
pub fn is_value_char(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '"' | '\'' | '`' | '\\')
}

/// If `value`, bound to a name of `strength`, looks like a secret, the byte
/// range of the secret in it (for an `Authorization` value, the part after the
/// scheme). `header` says whether the name is an authorization header, whose
/// values start with a scheme word.
pub fn secret_in_value(value: &str, strength: NameStrength, header: bool) -> Option<std::ops::Range<usize>> {
    let (offset, candidate) = if header { strip_auth_scheme(value) } else { (0, value) };
    looks_like_secret(candidate, strength).then_some(offset..offset + candidate.len())
}

/// `Bearer abc` → (7, `abc`); values without a known scheme are returned whole.
fn strip_auth_scheme(value: &str) -> (usize, &str) {
    if let Some((scheme, rest)) = value.split_once(' ') {
        if AUTH_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
            let trimmed = rest.trim_start();
            return (value.len() - trimmed.len(), trimmed);
        }
    }
    (0, value)
}

/// The value checks, cheapest first.
pub fn looks_like_secret(value: &str, strength: NameStrength) -> bool {
    let (min_len, min_entropy) = match strength {
        NameStrength::Strong => (MIN_LEN_STRONG, MIN_ENTROPY_STRONG),
        NameStrength::Weak => (MIN_LEN_WEAK, MIN_ENTROPY_WEAK),
    };
    let len = value.len();
    if !(min_len..=MAX_LEN).contains(&len) || !value.chars().all(is_value_char) {
        return false;
    }
    let classes = char_classes(value);
    if strength == NameStrength::Weak && classes < 2 {
        return false;
    }
    if shannon_entropy(value) < min_entropy {
        return false;
    }
    if strength == NameStrength::Weak && (UUID.is_match(value) || (HEX.is_match(value) && len <= 40)) {
        return false;
    }
    if NOT_A_SECRET_SHAPE.is_match(value) && !(strength == NameStrength::Strong && is_hex_or_uuid(value)) {
        return false;
    }
    !is_placeholder(value)
}

/// A UUID, or hex with both letters and digits (digits alone are a number, not a key).
fn is_hex_or_uuid(value: &str) -> bool {
    UUID.is_match(value)
        || (HEX.is_match(value) && value.bytes().any(|b| b.is_ascii_digit()) && value.bytes().any(|b| b.is_ascii_alphabetic()))
}

/// Whether `value` as a whole is a placeholder.
pub fn is_placeholder(value: &str) -> bool {
    is_one_char_repeated(value) || PLACEHOLDER.is_match(value)
}

/// `aaaaaaaa`, `--------`: one character repeated.
fn is_one_char_repeated(value: &str) -> bool {
    let mut chars = value.chars();
    chars.next().is_some_and(|first| chars.all(|c| c == first))
}

/// How many of lowercase, uppercase, digits and symbols occur.
fn char_classes(value: &str) -> usize {
    let (mut lower, mut upper, mut digit, mut other) = (false, false, false, false);
    for c in value.chars() {
        match c {
            'a'..='z' => lower = true,
            'A'..='Z' => upper = true,
            '0'..='9' => digit = true,
            _ => other = true,
        }
    }
    [lower, upper, digit, other].iter().filter(|b| **b).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use NameStrength::{Strong, Weak};

    #[test]
    fn real_looking_secrets_pass() {
        for v in [
            "cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35",
            "itGPUy1PgDECIvSWA0Z7o0gF",
            "^fWK3WO@WRIPPI",
            "Xk9vR2pLmQ7t",
            "4vT9kQ2mX7pL0sR5wZ8yB3nC6dF1gH4j",
            "a8f5f167f44f4964e6c998dee827110c",
            "default-9f8e7d6c5b4a3f2e1d0c",
            "Ab3:kLm9Qx2pRt",
        ] {
            assert!(looks_like_secret(v, Strong), "{v}");
        }
        assert!(looks_like_secret("cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35", Weak));
    }

    #[test]
    fn placeholders_and_code_shapes_fail() {
        for v in [
            "your_client_secret", "<your-token>", "${MIRO_CLIENT_SECRET}", "{{ secrets.TOKEN }}", "$API_KEY",
            "xxxxxxxxxxxxxxxx", "********", "changeme", "password123", "test-token", "not-a-real-token",
            "changePassword", "SessionToken", "client-secret", "MIRO_CLIENT_SECRET", "auth.errors.invalid_token",
            "/api/v1/token", "application/json", "https://api.miro.com/v1/oauth/token", "key.pem", "12345678901234",
            "1.2.3-beta.1", "placeholder-prod-db-password", "my-super-secret", "example_key_123", "abc12345",
            "Your password is incorrect", "uXjVOD1ZeKw=", "0123456789abcdef", "sk_live_...", "fake_key_9f8e7d6c",
            "TODO_FILL_ME", "env:MIRO_SECRET", "%DB_PASSWORD%", "hunter2", "aaaaaaaaaaaa", "yourApiKeyHere",
            "98234756", "2026-11-29T10:00:00", "null", "mailto:security@acme.io",
        ] {
            assert!(!looks_like_secret(v, Strong), "{v}");
        }
    }

    #[test]
    fn weak_names_need_more() {
        // a UUID or a 32-hex id is an identifier under a weak name, a secret under a strong one
        let uuid = "3f2b8c1e-9a4d-4c6b-8e2f-1a7d5c9b0e34";
        assert!(!looks_like_secret(uuid, Weak));
        assert!(looks_like_secret(uuid, Strong));
        assert!(!looks_like_secret("95d6dffc0d627cdb72d6abd3bbecabba", Weak));
        assert!(looks_like_secret("95d6dffc0d627cdb72d6abd3bbecabba", Strong));
        assert!(!looks_like_secret("Xk9vR2pLmQ7t", Weak), "too short for a weak name");
        assert!(!looks_like_secret("abcdefghijklmnopqrstuv", Weak), "one character class");
    }

    #[test]
    fn authorization_values_lose_their_scheme() {
        let value = "Bearer cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35";
        assert_eq!(secret_in_value(value, Strong, true), Some(7..value.len()));
        assert_eq!(secret_in_value("Bearer ${TOKEN}", Strong, true), None);
        assert_eq!(secret_in_value(value, Strong, false), None, "spaces are not allowed outside headers");
    }
}
