//! The rules, one module each.

pub mod client_secret_in_browser_code;
pub mod cookie_missing_httponly;
pub mod cookie_missing_secure;
pub mod dotenv_file_committed;
pub mod hardcoded_secret;
pub mod hardcoded_signing_key;
pub mod hsts_missing_or_short;
pub mod insecure_random_key;
pub mod jwt_not_verified;
pub mod oauth_token_in_browser;
pub mod plain_http_url;
pub mod secret_in_error_response;
pub mod secret_in_log;
pub mod sensitive_response_cacheable;
pub mod static_iv_or_key;
pub mod tls_verification_disabled;
pub mod tls_version_below_1_2;
pub mod token_in_url;
pub mod unused_suppression;
pub mod weak_cipher;
pub mod weak_hash;
