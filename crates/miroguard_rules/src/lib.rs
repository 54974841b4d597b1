//! miroguard's rules: one file per rule under [`rules`], each with its
//! metadata, docs and data in `rules/<id>.toml` at the repository root.
//!
//! A rule sees one file at a time through [`FileInput`]: its text, what the
//! engine knows about it, which of the rule's keywords occur in it, and — only
//! when the rule asked for them with [`Rule::needs_facts`] — the Facts the
//! front end extracted. Parsing is the expensive step of a scan, so a rule
//! asks for Facts only when its cheap lexical checks say it could fire.

#![deny(missing_docs)]

mod cookie;
mod crypto;
#[cfg(test)]
mod hand_facts;
mod leak;
#[cfg(test)]
mod lowered;
mod registry;
pub mod rules;
pub mod secrets;
mod syntax;
mod tls;

pub use registry::{Registry, RuleLoadError};

use miroguard_core::{FileContext, Finding, RuleMeta, Severity};
use miroguard_ir::Facts;
use miroguard_ir::flow::Flow;

/// Which of a rule's keywords occur in a file.
#[derive(Clone, Copy, Debug)]
pub struct KeywordHits<'a> {
    hits: &'a [bool],
}

impl<'a> KeywordHits<'a> {
    /// Hits for a rule whose keywords are `hits.len()` long, in the order the rule declared them.
    pub fn new(hits: &'a [bool]) -> KeywordHits<'a> {
        KeywordHits { hits }
    }

    /// Whether the rule's keyword number `index` occurs in the file.
    pub fn contains(&self, index: usize) -> bool {
        self.hits.get(index).copied().unwrap_or(false)
    }

    /// Whether any of the rule's keywords occurs.
    pub fn any(&self) -> bool {
        self.hits.iter().any(|hit| *hit)
    }
}

/// One file, as a rule sees it.
#[derive(Clone, Copy)]
pub struct FileInput<'a> {
    /// Path, language, test-ness.
    pub context: &'a FileContext,
    /// The whole text.
    pub text: &'a str,
    /// Which of this rule's keywords occur in the text.
    pub keywords: KeywordHits<'a>,
    /// The front end's Facts, when the rule asked for them and the file parsed.
    pub facts: Option<&'a Facts>,
    /// Whether the file is source code that could not be parsed, so rules
    /// should fall back to their lexical checks for it.
    pub parse_failed: bool,
    /// Work several rules need, done once per file (and per phase: the
    /// engine gives the parse decision and the checks a fresh one each).
    pub memo: &'a FileMemo<'a>,
}

/// Work shared by the rules that check one file: the secret scan that
/// `hardcoded-secret` and `client-secret-in-browser-code` both run, the
/// value-flow index the crypto and leak rules query, the leak rules' context,
/// and the cookie writes both cookie rules judge; and what the rules learn
/// about the file's project (it sets HSTS), which the engine collects to
/// resolve project notes (see `Finding::unless_project_provides`).
#[derive(Debug, Default)]
pub struct FileMemo<'a> {
    secrets_gate: std::sync::OnceLock<bool>,
    secrets: std::sync::OnceLock<Vec<secrets::scanner::SecretMatch>>,
    flow: std::sync::OnceLock<Flow<'a>>,
    leak_context: std::sync::OnceLock<leak::LeakContext>,
    cookie_gate: std::sync::OnceLock<bool>,
    cookie_writes: std::sync::OnceLock<Vec<cookie::Write>>,
    provided: std::sync::Mutex<Vec<&'static str>>,
}

impl<'a> FileMemo<'a> {
    /// The value-flow index of the file's `facts` (lowered from `text`),
    /// built by the first rule that asks.
    pub fn flow(&self, facts: &'a Facts, text: &'a str) -> &Flow<'a> {
        self.flow.get_or_init(|| Flow::new(facts, text))
    }

    /// Records that the file provides `fact` to its project (it sets HSTS).
    pub fn provide(&self, fact: &'static str) {
        if let Ok(mut provided) = self.provided.lock()
            && !provided.contains(&fact)
        {
            provided.push(fact);
        }
    }

    /// The facts the rules recorded with [`FileMemo::provide`], sorted.
    pub fn provided(&self) -> Vec<&'static str> {
        let mut provided = self.provided.lock().map(|p| p.clone()).unwrap_or_default();
        provided.sort_unstable();
        provided
    }

    /// What the file says about its secrets (authentication code, axios),
    /// read by the first of the run-time leak rules that asks.
    pub(crate) fn leak_context(&self, facts: &Facts, text: &str) -> leak::LeakContext {
        *self.leak_context.get_or_init(|| leak::LeakContext::of(facts, text))
    }
}

/// A rule.
pub trait Rule: Send + Sync {
    /// Its metadata from `rules/<id>.toml`.
    fn meta(&self) -> &RuleMeta;

    /// Lowercase words without which the rule cannot fire on a file; the
    /// engine finds all rules' keywords in one pass. Empty: the rule always runs.
    fn keywords(&self) -> &[String];

    /// Whether the rule needs the file's Facts. Called before parsing, with
    /// `input.facts == None`; the file is parsed only if some rule says yes.
    fn needs_facts(&self, input: &FileInput<'_>) -> bool;

    /// Checks one file, pushing findings with the rule's default severity (or
    /// lower, where context makes a finding less serious).
    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>);

    /// Rule-specific reference tables for the generated docs (Markdown), if any.
    fn extra_docs(&self) -> Option<String> {
        None
    }

    /// The rule's id.
    fn id(&self) -> &str {
        &self.meta().id
    }

    /// The rule's default severity.
    fn default_severity(&self) -> Severity {
        self.meta().severity
    }
}
