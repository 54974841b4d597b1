//! How a secret is shown when the user did not ask to see it.

/// Redacts `secret` to its first few characters, an ellipsis and its length:
/// `ghp_…(40 chars)`. At most four characters and never more than a quarter of
/// the secret are shown, so short passwords reveal almost nothing.
pub fn redact(secret: &str) -> String {
    let len = secret.chars().count();
    let shown = (len / 4).min(4);
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…({len} chars)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_at_most_four_chars_and_a_quarter() {
        // miroguard-ignore[hardcoded-secret]: a fake credential in the provider's format, for this test
        assert_eq!(redact("ghp_abcdefghijklmnopqrstuvwxyz0123456789"), "ghp_…(40 chars)");
        assert_eq!(redact("hunter22"), "hu…(8 chars)");
        assert_eq!(redact("abc"), "…(3 chars)");
        assert_eq!(redact("ééééééééééééééééé"), "éééé…(17 chars)");
    }
}
