//! Secret detection, shared by the secret rules: provider-format detectors,
//! the generic name-and-value detector, and the lexical gate that tells the
//! engine when a source file needs parsing for them.

pub mod detector;
pub mod entropy;
pub mod generic;
pub mod names;
pub mod pairs;
pub mod scanner;
pub mod validate;
pub mod values;
