//! The rules, one module each.

pub mod client_secret_in_browser_code;
pub mod dotenv_file_committed;
pub mod hardcoded_secret;
pub mod hardcoded_signing_key;
pub mod oauth_token_in_browser;
pub mod unused_suppression;
