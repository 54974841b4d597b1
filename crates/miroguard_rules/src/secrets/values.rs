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
/// Values shorter than this are not tested for looking like a camel-case identifier.
pub const MIN_LEN_IDENTIFIER_TEST: usize = 16;
/// Minimum entropy (bits per character) under a strong name.
pub const MIN_ENTROPY_STRONG: f64 = 3.0;
/// Minimum entropy under a weak name.
pub const MIN_ENTROPY_WEAK: f64 = 3.5;

/// Authorization schemes that precede the credential in a header value.
const AUTH_SCHEMES: &[&str] = &[
    "bearer", "basic", "token", "bot", "digest", "apikey", "key", "sso-key", "otp",
];

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
    let joined = patterns
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
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
        // paths of code: std::env, $serde_json::private::Number; dunder markers: __WEBPACK_MODULE__
        r".*::.*",
        r"_{2}[A-Za-z0-9_$]+",
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
        // Stripe publishable keys are meant for the browser
        r"pk_(?:live|test)_[A-Za-z0-9]{10,}",
        // CSS / HTML colours and sizes
        r"#[0-9A-Fa-f]{3,8}",
        // digits only, and dates/versions/numbers with separators
        r"[0-9]+",
        r"[0-9][0-9.:/_-]*[0-9]",
        r"v?[0-9]+(?:\.[0-9]+)+(?:-[A-Za-z0-9.]+)?",
    ];
    let joined = patterns
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!("^(?:{joined})$")).expect("shape patterns are valid")
});

static UUID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$").expect("valid"));
static HEX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?i)(?:0x)?[0-9a-f]+$").expect("valid"));

/// Whether `c` may appear in a generic secret value: printable ASCII except
/// whitespace, quotes, backslash, backtick, brackets, `,`, `;` and `|` —
/// the characters of code, lists and patterns, which keys and tokens do not use.
pub fn is_value_char(c: char) -> bool {
    c.is_ascii_graphic()
        && !matches!(
            c,
            '"' | '\'' | '`' | '\\' | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | ',' | ';' | '|'
        )
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
    match identifier_shape(value) {
        Some(IdentifierShape::Word | IdentifierShape::Separated) => return false,
        // Short random keys pass for camel-case names too often (about 1 in 7
        // of 8 characters) for the test to be fair to them.
        Some(IdentifierShape::Camel) if len >= MIN_LEN_IDENTIFIER_TEST => return false,
        _ => {}
    }
    if NOT_A_SECRET_SHAPE.is_match(value) && !(strength == NameStrength::Strong && is_hex_or_uuid(value)) {
        return false;
    }
    !is_placeholder(value)
}

/// A UUID, or hex with both letters and digits (digits alone are a number, not a key).
fn is_hex_or_uuid(value: &str) -> bool {
    UUID.is_match(value)
        || (HEX.is_match(value)
            && value.bytes().any(|b| b.is_ascii_digit())
            && value.bytes().any(|b| b.is_ascii_alphabetic()))
}

/// How an identifier-looking value is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentifierShape {
    /// One word: `important`, `Important`, `SSLKEYLOGFILE`.
    Word,
    /// Words joined by `_ - . $` (or namespaced by `: # @ /`): `Win32_Security`.
    Separated,
    /// Words joined by case changes only: `dangerouslySetInnerHTML`.
    Camel,
}

/// Whether `value` is made of words, as identifiers and constants are, and how.
///
/// Split at separators and case changes, every word must be a number or a
/// pronounceable run of letters (maybe with a number after it), few may be
/// single letters, and at least half (a third, when separators join them) must
/// be real words of three or more letters with a vowel. Random keys almost always break one of these
/// (`…WfqUyHRSIf8NFm…`), but short camel-case keys are too often taken for
/// identifiers to be tested (see [`MIN_LEN_IDENTIFIER_TEST`] and the ignored
/// test `random_keys_rarely_look_like_identifiers`).
pub fn identifier_shape(value: &str) -> Option<IdentifierShape> {
    let trimmed = value.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    // Namespaced names (`vue:beforeUpdate`, `Graph#cached`, `scope/name`) are
    // identifiers when every part is; other symbols (`p4ss!w0rd%`) are a
    // password's, not an identifier's.
    if trimmed.contains([':', '#', '@', '/']) {
        let all = trimmed
            .split([':', '#', '@', '/'])
            .all(|part| !part.is_empty() && identifier_shape(part).is_some());
        return all.then_some(IdentifierShape::Separated);
    }
    let separator = |b: u8| matches!(b, b'_' | b'-' | b'.' | b'$');
    if trimmed.is_empty() || !trimmed.bytes().all(|b| b.is_ascii_alphanumeric() || separator(b)) {
        return None;
    }
    if trimmed.bytes().all(|b| b.is_ascii_alphabetic()) && !has_inner_case_change(trimmed) {
        return Some(IdentifierShape::Word);
    }
    let separated = trimmed.bytes().any(separator);
    // camelCase names carry at most one number (`oauth2Token`); random keys scatter digits.
    let digit_runs = trimmed
        .as_bytes()
        .windows(2)
        .filter(|w| !w[0].is_ascii_digit() && w[1].is_ascii_digit())
        .count()
        + usize::from(trimmed.starts_with(|c: char| c.is_ascii_digit()));
    if !separated && digit_runs > 1 {
        return None;
    }
    // Two words at least.
    ascii_words(trimmed).nth(1)?;
    let is_vowel = |b: u8| b"aeiouy".contains(&b.to_ascii_lowercase());
    let (mut singles, mut real, mut counted) = (0usize, 0usize, 0usize);
    for word in ascii_words(trimmed) {
        let letters = word.trim_end_matches(|c: char| c.is_ascii_digit());
        if letters.is_empty() {
            continue; // a number
        }
        counted += 1;
        if !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
            if letters.len() <= 4 {
                continue; // a short code with digits inside: `d2i`, `x86`
            }
            return None;
        }
        if letters.len() < 2 {
            singles += 1;
            continue;
        }
        let vowels = letters.bytes().filter(|&b| is_vowel(b)).count();
        let mut consonant_run = 0;
        for b in letters.bytes() {
            consonant_run = if is_vowel(b) { 0 } else { consonant_run + 1 };
            if consonant_run > 4 {
                return None;
            }
        }
        if letters.len() >= 5 && vowels == 0 {
            return None;
        }
        if letters.len() >= 3 && vowels > 0 {
            real += 1;
        }
    }
    // `a_rest_parameter_or_a_binding`: phrases joined by separators may have a few one-letter words.
    let (allowed_singles, real_share) = if separated { ((counted / 4).max(1), 3) } else { (1, 2) };
    let words_ok = singles <= allowed_singles && real >= 1 && real * real_share >= counted - singles;
    words_ok.then_some(if separated {
        IdentifierShape::Separated
    } else {
        IdentifierShape::Camel
    })
}

/// The words of an ASCII identifier, split where
/// [`split_words`](miroguard_ir::names::split_words) splits it (at
/// separators and case changes, digits staying with the word before them),
/// but as slices in their own case: no allocation, as this runs on every
/// quoted string of every file.
fn ascii_words(value: &str) -> impl Iterator<Item = &str> {
    let bytes = value.as_bytes();
    let mut start = 0;
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let i = at;
            let b = bytes[i];
            at += 1;
            if !b.is_ascii_alphanumeric() {
                let word = (i > start).then(|| &value[start..i]);
                start = i + 1;
                if word.is_some() {
                    return word;
                }
                continue;
            }
            if b.is_ascii_uppercase() && i > start {
                let previous = bytes[i - 1];
                let next_is_lower = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
                if previous.is_ascii_lowercase()
                    || previous.is_ascii_digit()
                    || (previous.is_ascii_uppercase() && next_is_lower)
                {
                    let word = &value[start..i];
                    start = i;
                    return Some(word);
                }
            }
        }
        let word = (bytes.len() > start).then(|| &value[start..]);
        start = bytes.len();
        word
    })
}

/// Whether `value` looks like an identifier, at any length.
pub fn looks_like_identifier(value: &str) -> bool {
    identifier_shape(value).is_some()
}

/// `aBc`: a lower-case letter followed by an upper-case one.
fn has_inner_case_change(word: &str) -> bool {
    word.as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
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
    use crate::secrets::names::split_words;
    use NameStrength::{Strong, Weak};

    #[test]
    fn ascii_words_split_as_split_words_does() {
        for value in [
            "MIRO_CLIENT_SECRET",
            "apiKey",
            "APIKey",
            "x-api-key",
            "db.password",
            "oauth2Token",
            "getHTTPResponse",
            "__proto__",
            "a",
            "",
            "--",
            "ABC",
            "a1B2c3D4",
            "WfqUyHRSIf8NFm",
            "Win32_Security",
            "sk_live_51HabcDEF",
            "x86_64-unknown-linux-gnu",
            "$scope.aB",
            "9Lives",
        ] {
            let ours: Vec<String> = ascii_words(value).map(str::to_ascii_lowercase).collect();
            assert_eq!(ours, split_words(value), "{value:?}");
        }
        // And on every short string over the characters that matter.
        let alphabet = b"aZ9_-";
        for length in 1..=6u32 {
            for mut n in 0..5usize.pow(length) {
                let mut value = String::new();
                for _ in 0..length {
                    value.push(alphabet[n % 5] as char);
                    n /= 5;
                }
                let ours: Vec<String> = ascii_words(&value).map(str::to_ascii_lowercase).collect();
                assert_eq!(ours, split_words(&value), "{value:?}");
            }
        }
    }

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
            "your_client_secret",
            "<your-token>",
            "${MIRO_CLIENT_SECRET}",
            "{{ secrets.TOKEN }}",
            "$API_KEY",
            "xxxxxxxxxxxxxxxx",
            "********",
            "changeme",
            "password123",
            "test-token",
            "not-a-real-token",
            "changePassword",
            "SessionToken",
            "client-secret",
            "MIRO_CLIENT_SECRET",
            "auth.errors.invalid_token",
            "/api/v1/token",
            "application/json",
            "https://api.miro.com/v1/oauth/token",
            "key.pem",
            "12345678901234",
            "1.2.3-beta.1",
            "placeholder-prod-db-password",
            "my-super-secret",
            "example_key_123",
            "abc12345",
            "Your password is incorrect",
            "uXjVOD1ZeKw=",
            "0123456789abcdef",
            "sk_live_...",
            "fake_key_9f8e7d6c",
            "TODO_FILL_ME",
            "env:MIRO_SECRET",
            "%DB_PASSWORD%",
            "hunter2",
            "aaaaaaaaaaaa",
            "yourApiKeyHere",
            "98234756",
            "2026-11-29T10:00:00",
            "null",
            "mailto:security@acme.io",
            "::js_sys::Object",
            "__WEBPACK_MODULE_REFERENCE__",
            "Disp.val={val}",
            "toString()",
            "Option<T>",
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
        assert!(
            !looks_like_secret("abcdefghijklmnopqrstuv", Weak),
            "one character class"
        );
        assert!(looks_like_secret("zymMlopiWfqUyHRSIf8NFmAUNLnY5Yx0", Weak));
    }

    #[test]
    fn identifiers_are_not_secrets() {
        for identifier in [
            "Win32_Foundation",
            "dangerouslySetInnerHTML",
            "aws_lc_0_47_0_AES_set_encrypt_key",
            "JSDocCommentTextToken",
            "VSMVertical",
            "stencilZPass",
            "@NgModule",
            "!important",
            "DOMTokenList",
            "SSLKEYLOGFILE",
            "__webpack_require__.f",
            "ECPrivateKey",
            "vue:beforeUpdate",
            "ModuleGraph#cached",
            "A_rest_parameter_or_binding_pattern_may_not_have_a_trailing_comma_1013",
            "Win32_Security",
            "aws_lc_0_47_0_d2i_DSAparams",
        ] {
            assert!(looks_like_identifier(identifier), "{identifier}");
            let camel = identifier_shape(identifier) == Some(IdentifierShape::Camel);
            if !camel || identifier.len() >= MIN_LEN_IDENTIFIER_TEST {
                assert!(!looks_like_secret(identifier, Strong), "{identifier}");
            }
        }
        for key in [
            "cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35",
            "Xk9vR2pLmQ7t",
            "H5mMDdwin86TkVYCM7l8GQlc",
            "itGPUy1PgDECIvSWA0Z7o0gF",
            "p@ss#w0rd",
            "Tr0ub4dor&3",
            "Bc5O_x2A7CzMp1GAawTCEe6OQxL",
            "^fWK3WO@WRIPPI",
        ] {
            assert!(!looks_like_identifier(key), "{key}");
        }
    }

    #[test]
    fn authorization_values_lose_their_scheme() {
        let value = "Bearer cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35";
        assert_eq!(secret_in_value(value, Strong, true), Some(7..value.len()));
        assert_eq!(secret_in_value("Bearer ${TOKEN}", Strong, true), None);
        assert_eq!(
            secret_in_value(value, Strong, false),
            None,
            "spaces are not allowed outside headers"
        );
    }
}

#[cfg(test)]
mod identifier_rate {
    use super::*;

    /// Prints how often random keys look like identifiers (run with --ignored --nocapture).
    #[test]
    #[ignore]
    fn random_keys_rarely_look_like_identifiers() {
        let alphabet: Vec<u8> = (b'a'..=b'z').chain(b'A'..=b'Z').chain(b'0'..=b'9').collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for len in [8, 12, 16, 24, 32, 40] {
            let trials = 20_000;
            let hits = (0..trials)
                .filter(|_| {
                    let key: String = (0..len)
                        .map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char)
                        .collect();
                    looks_like_identifier(&key)
                })
                .count();
            println!("{len:3} chars: {:.4}", hits as f64 / trials as f64);
        }
    }
}
