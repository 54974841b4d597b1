//! Checks in code that a provider-format match must pass, named by a
//! detector's `validate` key. Each one turns a shape match into a confident
//! finding by decoding or inspecting what the regex cannot.

use super::values::is_placeholder;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

/// A named validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validator {
    /// The part before `_` decodes to JSON with a `miro.origin` key.
    MiroToken,
    /// Header and payload decode to JSON objects, the header names an `alg`,
    /// and the token is not a public (anon) key.
    Jwt,
    /// The key body is real base64, not `...` or a placeholder.
    PemPrivateKey,
    /// The password is not a placeholder and the host is not a local or example host.
    UrlCredentials,
}

impl Validator {
    /// The validator named `name` in a detector spec.
    pub fn from_name(name: &str) -> Option<Validator> {
        match name {
            "miro-token" => Some(Validator::MiroToken),
            "jwt" => Some(Validator::Jwt),
            "pem-private-key" => Some(Validator::PemPrivateKey),
            "url-credentials" => Some(Validator::UrlCredentials),
            _ => None,
        }
    }

    /// The names `from_name` accepts, for error messages.
    pub const NAMES: &'static [&'static str] = &["miro-token", "jwt", "pem-private-key", "url-credentials"];

    /// Whether the match passes. `secret` is the secret group; `host` the
    /// `host` capture group, when the regex has one.
    pub fn accepts(self, secret: &str, host: Option<&str>) -> bool {
        match self {
            Validator::MiroToken => miro_token(secret),
            Validator::Jwt => jwt(secret),
            Validator::PemPrivateKey => pem_private_key(secret),
            Validator::UrlCredentials => url_credentials(secret, host.unwrap_or("")),
        }
    }
}

fn decode_base64url_json(part: &str) -> Option<serde_json::Value> {
    let trimmed = part.trim_end_matches('=');
    let bytes = URL_SAFE_NO_PAD
        .decode(trimmed)
        .ok()
        .or_else(|| STANDARD_NO_PAD.decode(trimmed).ok())?;
    serde_json::from_slice(&bytes).ok()
}

fn miro_token(secret: &str) -> bool {
    // The tail is always 27 characters and may itself contain `_`.
    let Some(prefix) = secret
        .len()
        .checked_sub(28)
        .and_then(|at| secret.get(..at))
        .filter(|_| secret.as_bytes()[secret.len() - 28] == b'_')
    else {
        return false;
    };
    decode_base64url_json(prefix)
        .and_then(|json| {
            json.get("miro.origin")
                .and_then(|origin| origin.as_str().map(|s| !s.is_empty()))
        })
        .unwrap_or(false)
}

fn jwt(secret: &str) -> bool {
    let mut parts = secret.split('.');
    let (Some(header), Some(payload), Some(_signature)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let Some(header) = decode_base64url_json(header) else {
        return false;
    };
    if header.get("alg").and_then(|a| a.as_str()).is_none() {
        return false;
    }
    let Some(payload) = decode_base64url_json(payload) else {
        return false;
    };
    if !payload.is_object() {
        return false;
    }
    // Supabase-style anon keys are JWTs meant for browsers.
    let role = payload.get("role").and_then(|r| r.as_str()).unwrap_or("");
    role != "anon"
}

fn pem_private_key(secret: &str) -> bool {
    // Lines may carry escaped newlines, line continuations and the comment
    // prefixes of a key pasted into a doc comment.
    let body: String = secret
        .lines()
        .flat_map(|line| line.split("\\n"))
        .flat_map(|line| line.split("\\r"))
        .map(|line| {
            line.trim()
                .trim_start_matches(['/', '!', '#', '*'])
                .trim()
                .trim_end_matches('\\')
                .trim()
        })
        .filter(|line| !line.starts_with("-----") && !line.contains(':'))
        .collect();
    let base64_chars = body
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .count();
    base64_chars >= 64 && base64_chars * 10 >= body.len() * 9 && !is_placeholder(&body)
}

fn url_credentials(password: &str, host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let local_or_example = host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "0.0.0.0"
        || host == "::1"
        || host.ends_with(".local")
        || host.ends_with(".test")
        || host.ends_with(".example")
        || host.ends_with(".invalid")
        || ["example.com", "example.org", "example.net"]
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        || matches!(
            host.as_str(),
            "host" | "hostname" | "server" | "domain" | "your-host" | "yourhost"
        );
    let decoded = percent_decode(password);
    !local_or_example && !is_placeholder(&decoded) && !decoded.starts_with('$') && !decoded.starts_with('%')
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(byte) = text.get(i + 1..i + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn miro_tokens_decode_to_an_origin() {
        // miroguard-ignore[hardcoded-secret]: a fake credential in the provider's format, for this test
        assert!(miro_token("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_c2LufYNuydk9sgEWl2agE4aE-Yh"));
        // miroguard-ignore[hardcoded-secret]: a fake credential in the provider's format, for this test
        assert!(miro_token("eyJtaXJvLm9yaWdpbiI6InVzMDEifQ_KNLI5MP2rdfqr6R7wIH3qS3205Z"));
        assert!(!miro_token("eyJtaXJvLm9yaWdpbiI6XXXXXXXX_c2LufYNuydk9sgEWl2agE4aE-Yh"));
        assert!(!miro_token("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_short"));
        assert!(
            // miroguard-ignore[hardcoded-secret]: a fake credential in the provider's format, for this test
            miro_token("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_Bc5O_x2A7CzMp1GAawTCEe6OQxL"),
            "tails may contain `_`"
        );
    }

    #[test]
    fn jwts_need_json_header_and_payload() {
        // miroguard-ignore[hardcoded-secret]: a fake credential in the provider's format, for this test
        let good = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzNDU4NzY0NTE3NTE3ODE5MDAwIiwidGVhbSI6IjM0NTg3NjQ1MTc1MTc4MTkwMDEiLCJpYXQiOjE3NjQwMDAwMDAsImV4cCI6MTc5NTUzNjAwMH0.pje_Kh46D4edjX99BjeOIuD3dZ2Mow73MvDSro3V5w3";
        assert!(jwt(good));
        assert!(!jwt(
            "eyJhbGciOiJIUzI1NiIsInR5c.eyJzdWIiOiIxMjM0NTY3ODkwIn0.aaaaaaaaaaaaaaaaaaaaaaaaa"
        ));
        assert!(!jwt(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIn0.sig"
        ));
    }

    #[test]
    fn url_credentials_skip_local_hosts_and_placeholders() {
        assert!(url_credentials("Xk9vR2pLmQ7t", "db.prod.acme.internal"));
        assert!(!url_credentials("Xk9vR2pLmQ7t", "localhost"));
        assert!(!url_credentials("Xk9vR2pLmQ7t", "cluster0.example.net"));
        assert!(!url_credentials("password", "db.acme.io"));
        assert!(!url_credentials("${DB_PASSWORD}", "db.acme.io"));
        assert!(!url_credentials("%24%7BPASS%7D", "db.acme.io"));
    }

    #[test]
    fn pem_bodies_must_be_base64() {
        assert!(!pem_private_key(
            "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"
        ));
        let body = "MIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8AgEAAkEAqPfgaTEWEP3S9w0tgsicURfo";
        assert!(pem_private_key(&format!(
            "-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----"
        )));
    }
}
