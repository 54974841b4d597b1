//! All rules, built once per run from their embedded TOML and the user's configuration.

use crate::Rule;
use crate::rules::client_secret_in_browser_code::ClientSecretInBrowserCode;
use crate::rules::cookie_missing_httponly::CookieMissingHttponly;
use crate::rules::cookie_missing_secure::CookieMissingSecure;
use crate::rules::dotenv_file_committed::DotenvFileCommitted;
use crate::rules::hardcoded_secret::{self, HardcodedSecret};
use crate::rules::hardcoded_signing_key::HardcodedSigningKey;
use crate::rules::hsts_missing_or_short::HstsMissingOrShort;
use crate::rules::insecure_random_key::InsecureRandomKey;
use crate::rules::jwt_not_verified::JwtNotVerified;
use crate::rules::oauth_token_in_browser::OauthTokenInBrowser;
use crate::rules::plain_http_url::PlainHttpUrl;
use crate::rules::secret_in_error_response::SecretInErrorResponse;
use crate::rules::secret_in_log::SecretInLog;
use crate::rules::sensitive_response_cacheable::SensitiveResponseCacheable;
use crate::rules::static_iv_or_key::StaticIvOrKey;
use crate::rules::tls_verification_disabled::TlsVerificationDisabled;
use crate::rules::tls_version_below_1_2::TlsVersionBelow12;
use crate::rules::token_in_url::TokenInUrl;
use crate::rules::unused_suppression::{self, UnusedSuppression};
use crate::rules::weak_cipher::WeakCipher;
use crate::rules::weak_hash::WeakHash;
use crate::secrets::detector::DetectorError;
use miroguard_core::{Config, RuleMeta};
use serde::Deserialize;

/// Why the rules could not be built.
#[derive(Debug, thiserror::Error)]
pub enum RuleLoadError {
    /// A built-in rule's TOML is broken: a bug in miroguard.
    #[error("built-in rule {file}: {message}")]
    Builtin {
        /// The rule file.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
    /// One of the user's `[[secrets.detectors]]` does not compile.
    #[error(transparent)]
    CustomDetector(DetectorError),
}

/// A rule file that holds only metadata.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaOnly {
    rule: RuleMeta,
}

fn meta_only(file: &'static str, text: &str) -> Result<RuleMeta, RuleLoadError> {
    toml::from_str::<MetaOnly>(text)
        .map(|m| m.rule)
        .map_err(|e| RuleLoadError::Builtin {
            file,
            message: e.to_string(),
        })
}

/// The rules of this run, sorted by id.
pub struct Registry {
    rules: Vec<Box<dyn Rule>>,
}

impl Registry {
    /// Builds every rule, with the user's extra secret detectors and allowlist from `config`.
    pub fn new(config: &Config) -> Result<Registry, RuleLoadError> {
        let hardcoded = HardcodedSecret::new(&config.detectors, &config.secret_allowlist).map_err(|e| match e {
            hardcoded_secret::LoadError::Builtin(message) => RuleLoadError::Builtin {
                file: "rules/hardcoded-secret.toml",
                message,
            },
            hardcoded_secret::LoadError::Custom(error) => RuleLoadError::CustomDetector(error),
        })?;
        let unused = UnusedSuppression::new(meta_only(
            "rules/unused-suppression.toml",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../rules/unused-suppression.toml"
            )),
        )?);
        let builtin = |file: &'static str| {
            move |error: &dyn std::fmt::Display| RuleLoadError::Builtin {
                file,
                message: error.to_string(),
            }
        };
        let client_secret = ClientSecretInBrowserCode::new(hardcoded.scanner())
            .map_err(|e| builtin("rules/client-secret-in-browser-code.toml")(&e))?;
        let oauth_token = OauthTokenInBrowser::new().map_err(|e| builtin("rules/oauth-token-in-browser.toml")(&e))?;
        let hardcoded_scanner = hardcoded.scanner();
        let mut rules: Vec<Box<dyn Rule>> = vec![
            Box::new(hardcoded),
            Box::new(unused),
            Box::new(client_secret),
            Box::new(oauth_token),
        ];
        rules.push(Box::new(
            HardcodedSigningKey::new(&config.secret_allowlist)
                .map_err(|e| builtin("rules/hardcoded-signing-key.toml")(&e))?,
        ));
        rules.push(Box::new(
            DotenvFileCommitted::new(hardcoded_scanner, &config.secret_allowlist)
                .map_err(|e| builtin("rules/dotenv-file-committed.toml")(&e))?,
        ));
        rules.push(Box::new(
            InsecureRandomKey::new().map_err(|e| builtin("rules/insecure-random-key.toml")(&e))?,
        ));
        rules.push(Box::new(
            JwtNotVerified::new().map_err(|e| builtin("rules/jwt-not-verified.toml")(&e))?,
        ));
        rules.push(Box::new(
            SecretInLog::new().map_err(|e| builtin("rules/secret-in-log.toml")(&e))?,
        ));
        rules.push(Box::new(
            StaticIvOrKey::new().map_err(|e| builtin("rules/static-iv-or-key.toml")(&e))?,
        ));
        rules.push(Box::new(
            WeakHash::new().map_err(|e| builtin("rules/weak-hash.toml")(&e))?,
        ));
        rules.push(Box::new(
            WeakCipher::new().map_err(|e| builtin("rules/weak-cipher.toml")(&e))?,
        ));
        rules.push(Box::new(
            SecretInErrorResponse::new().map_err(|e| builtin("rules/secret-in-error-response.toml")(&e))?,
        ));
        rules.push(Box::new(
            SensitiveResponseCacheable::new().map_err(|e| builtin("rules/sensitive-response-cacheable.toml")(&e))?,
        ));
        rules.push(Box::new(
            TokenInUrl::new().map_err(|e| builtin("rules/token-in-url.toml")(&e))?,
        ));
        rules.push(Box::new(
            PlainHttpUrl::new().map_err(|e| builtin("rules/plain-http-url.toml")(&e))?,
        ));
        rules.push(Box::new(
            CookieMissingHttponly::new().map_err(|e| builtin("rules/cookie-missing-httponly.toml")(&e))?,
        ));
        rules.push(Box::new(
            CookieMissingSecure::new().map_err(|e| builtin("rules/cookie-missing-secure.toml")(&e))?,
        ));
        rules.push(Box::new(
            TlsVerificationDisabled::new().map_err(|e| builtin("rules/tls-verification-disabled.toml")(&e))?,
        ));
        rules.push(Box::new(
            TlsVersionBelow12::new().map_err(|e| builtin("rules/tls-version-below-1-2.toml")(&e))?,
        ));
        rules.push(Box::new(
            HstsMissingOrShort::new().map_err(|e| builtin("rules/hsts-missing-or-short.toml")(&e))?,
        ));
        rules.sort_by(|a, b| a.id().cmp(b.id()));
        debug_assert!(rules.iter().any(|r| r.id() == unused_suppression::ID));
        Ok(Registry { rules })
    }

    /// The built-in rules with no user configuration.
    pub fn builtin() -> Result<Registry, RuleLoadError> {
        Registry::new(&Config::default())
    }

    /// All rules, sorted by id.
    pub fn rules(&self) -> &[Box<dyn Rule>] {
        &self.rules
    }

    /// The rule with id `id`.
    pub fn get(&self, id: &str) -> Option<&dyn Rule> {
        self.rules.iter().find(|r| r.id() == id).map(|r| r.as_ref())
    }

    /// Every rule id, sorted.
    pub fn ids(&self) -> Vec<&str> {
        self.rules.iter().map(|r| r.id()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load_and_match_their_files() {
        let registry = Registry::builtin().expect("built-in rules load");
        assert!(registry.ids().contains(&"hardcoded-secret") && registry.ids().contains(&"unused-suppression"));
        for rule in registry.rules() {
            let meta = rule.meta();
            assert!(!meta.help.trim().is_empty());
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
                "## References",
            ] {
                assert!(meta.help.contains(section), "{} help lacks `{section}`", meta.id);
            }
            if let Some(score) = meta.security_severity {
                assert!((0.0..=10.0).contains(&score), "{}", meta.id);
            }
        }
    }

    #[test]
    fn every_rule_file_is_registered() {
        let registry = Registry::builtin().expect("loads");
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("rules dir")
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(".toml"))
                    .map(str::to_string)
            })
            .collect();
        files.sort();
        assert_eq!(files, registry.ids());
    }
}
