//! `unused-suppression`: suppression comments that name an unknown rule or
//! suppress nothing. Only the engine sees every finding of a file, so it
//! reports them (`miroguard_engine::suppress`); this rule carries the metadata
//! and lets users turn the check off.

use crate::{FileInput, Rule};
use miroguard_core::{Finding, RuleMeta};

/// The rule's id, for the engine.
pub const ID: &str = "unused-suppression";

/// The rule: metadata only.
pub struct UnusedSuppression {
    meta: RuleMeta,
}

impl UnusedSuppression {
    /// The rule with its metadata.
    pub fn new(meta: RuleMeta) -> UnusedSuppression {
        UnusedSuppression { meta }
    }
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn keywords(&self) -> &[String] {
        &[]
    }

    fn needs_facts(&self, _input: &FileInput<'_>) -> bool {
        false
    }

    fn check(&self, _input: &FileInput<'_>, _findings: &mut Vec<Finding>) {}
}
