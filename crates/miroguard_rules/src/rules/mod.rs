//! The rules, one module each.

pub mod hardcoded_secret;
pub mod unused_suppression;
