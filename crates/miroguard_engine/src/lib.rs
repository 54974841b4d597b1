//! miroguard's engine: everything between the paths a user names and the
//! sorted findings the reporters print.
//!
//! ```text
//! paths ─► walk ─► read ─► classify ─► prefilter ─► parse (only if a rule needs it) ─► rules ─► suppress ─► sort
//! ```
//!
//! The same [`Engine::check_text`] serves the CLI (many files, in parallel)
//! and the language server (one document, on every change).

#![deny(missing_docs)]

mod check;
mod dependencies;
mod finalize;
mod gitignored;
mod laps;
mod memory;
mod parse;
mod prefilter;
mod resolve;
mod scan;
mod suppress;
mod walk;

pub use check::FileReport;
pub use dependencies::DependencyIndex;
pub use gitignored::is_git_ignored;
pub use miroguard_context::{Classification, Conflict, ContextMap};
pub use miroguard_js::{SyntaxTree, TextEdit as SyntaxEdit};
pub use walk::{DEFAULT_MAX_FILE_SIZE, ScanError, ScanOptions, leaves_out};

use miroguard_core::{Config, ConfigError, EnabledRule, FileContext, Severity};
use miroguard_rules::{Registry, Rule, RuleLoadError};
use prefilter::Prefilter;
use std::path::Path;

/// Why an engine could not be built.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The configuration is wrong; the error says where.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A built-in rule is broken: a bug in miroguard.
    #[error("internal error: {0}")]
    Internal(String),
}

/// A rule that runs in this engine, with its configured severity.
struct ActiveRule {
    /// Index into the registry's rules.
    index: usize,
    /// The severity its ordinary findings get.
    severity: Severity,
    /// The prefilter pattern of each of the rule's keywords, in the rule's order.
    keyword_patterns: Vec<usize>,
}

/// The rules of a run, configured and ready to check files.
pub struct Engine {
    registry: Registry,
    config: Config,
    active: Vec<ActiveRule>,
    prefilter: Prefilter,
    force_parse: bool,
    parallel_rules: bool,
    /// Active rules' `supersedes` lists, by rule id.
    supersedes: std::collections::HashMap<String, Vec<String>>,
}

impl Engine {
    /// Builds the rules for `config`: validates rule ids and the user's
    /// detectors, resolves levels, compiles the prefilter.
    pub fn new(config: Config) -> Result<Engine, EngineError> {
        let registry = Registry::new(&config).map_err(|error| match error {
            RuleLoadError::CustomDetector(error) => {
                EngineError::Config(config.error_at(error.span.clone(), error.message))
            }
            other @ RuleLoadError::Builtin { .. } => EngineError::Internal(other.to_string()),
        })?;
        for (id, (_, span)) in &config.rules {
            if registry.get(id).is_none() {
                let known = registry.ids().join(", ");
                return Err(config
                    .error_at(
                        span.clone(),
                        format!("unknown rule `{id}` in [rules]; known rules: {known}"),
                    )
                    .into());
            }
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut active = Vec::new();
        for (index, rule) in registry.rules().iter().enumerate() {
            let severity = match config.level(rule.id()) {
                Some(level) => match level.severity() {
                    Some(severity) => severity,
                    None => continue,
                },
                None => rule.default_severity(),
            };
            let keyword_patterns = rule
                .keywords()
                .iter()
                .map(|keyword| match patterns.iter().position(|p| p == keyword) {
                    Some(i) => i,
                    None => {
                        patterns.push(keyword.clone());
                        patterns.len() - 1
                    }
                })
                .collect();
            active.push(ActiveRule {
                index,
                severity,
                keyword_patterns,
            });
        }
        let prefilter = Prefilter::new(&patterns).map_err(|e| EngineError::Internal(format!("prefilter: {e}")))?;
        let supersedes = active
            .iter()
            .map(|a| &registry.rules()[a.index])
            .filter(|rule| !rule.meta().supersedes.is_empty())
            .map(|rule| (rule.id().to_string(), rule.meta().supersedes.clone()))
            .collect();
        Ok(Engine {
            registry,
            config,
            active,
            prefilter,
            force_parse: false,
            parallel_rules: false,
            supersedes,
        })
    }

    /// Parses every source file, even when no rule's lexical check asks for
    /// it. Slower; for tests that prove the lexical tier loses no finding.
    pub fn force_parse(&mut self, on: bool) {
        self.force_parse = on;
    }

    /// Runs the rules on two threads for each file checked. Not for scans
    /// (they run files in parallel already), but for an editor, where one
    /// file is checked at a time and the user waits for it.
    pub fn parallel_rules(&mut self, on: bool) {
        self.parallel_rules = on;
    }

    /// The configuration this engine was built from.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The rules that run, with the severity their findings get by default, sorted by id.
    pub fn enabled_rules(&self) -> Vec<EnabledRule> {
        self.active
            .iter()
            .map(|a| EnabledRule {
                meta: self.rule(a).meta().clone(),
                severity: a.severity,
            })
            .collect()
    }

    /// Every rule miroguard knows, enabled or not.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The keyword pass alone: which of the active rules' keywords (all
    /// deduplicated, in the engine's order) occur in `text`. Exposed only so
    /// that `benches/scan_paths.rs` can time the pass by itself; not API.
    #[doc(hidden)]
    pub fn prefilter_scan(&self, text: &str) -> Vec<bool> {
        self.prefilter.scan(text)
    }

    fn rule(&self, active: &ActiveRule) -> &dyn Rule {
        self.registry.rules()[active.index].as_ref()
    }

    fn is_active(&self, id: &str) -> bool {
        self.active.iter().any(|a| self.rule(a).id() == id)
    }
}

/// Checks one in-memory source text as if it were the file at `path` (the
/// language server's entry point). Builds an engine for `config` each call:
/// callers that check many texts should build one [`Engine`] and call
/// [`Engine::check_text`].
pub fn check_source(path: &Path, text: &str, config: &Config) -> Result<FileReport, EngineError> {
    let engine = Engine::new(config.clone())?;
    let display = path.to_string_lossy().replace('\\', "/");
    let mut report = engine.check_text(&FileContext::from_display_path(display), text);
    // Without a classified workspace, nothing says where the file runs.
    engine.resolve_file(&mut report, miroguard_core::FileClass::Unknown);
    Ok(report)
}
