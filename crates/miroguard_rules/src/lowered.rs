//! Running one rule on source text lowered by the real front ends, for the
//! tests of rules built on value flow (hand-written Facts would not show
//! whether the flow holds on real syntax).

use crate::{FileInput, FileMemo, KeywordHits, Rule};
use miroguard_core::{FileContext, Language, Severity};

/// Whether `rule` asks for the Facts of `source` at `path` (its lexical tier).
pub(crate) fn needs_facts(rule: &dyn Rule, path: &str, source: &str) -> bool {
    let context = FileContext::from_display_path(path);
    let hits = keyword_hits(rule, source);
    let memo = FileMemo::default();
    rule.needs_facts(&input(&context, source, &hits, &memo))
}

/// The findings of `rule` on `source` at `path`, as (line, severity, message),
/// or an empty list when the rule does not ask for Facts.
pub(crate) fn check(rule: &dyn Rule, path: &str, source: &str) -> Vec<(usize, Severity, String)> {
    let context = FileContext::from_display_path(path);
    let hits = keyword_hits(rule, source);
    let memo = FileMemo::default();
    let mut input = input(&context, source, &hits, &memo);
    if !rule.needs_facts(&input) {
        return Vec::new();
    }
    let facts = match context.language {
        Language::Rust => miroguard_rust::lower(source).expect("test source parses"),
        language => miroguard_js::lower(source, language),
    };
    input.facts = Some(&facts);
    let mut findings = Vec::new();
    rule.check(&input, &mut findings);
    findings
        .into_iter()
        .map(|f| (crate::syntax::line_of(source, f.span.start), f.severity, f.message))
        .collect()
}

/// [`check`], in line order (the engine sorts findings; a rule need not).
pub(crate) fn check_sorted(rule: &dyn Rule, path: &str, source: &str) -> Vec<(usize, Severity, String)> {
    let mut found = check(rule, path, source);
    found.sort_by_key(|f| f.0);
    found
}

/// The findings of `rule` on a text file (`package.json`, a Dockerfile),
/// which it must check without Facts.
pub(crate) fn check_text(rule: &dyn Rule, path: &str, text: &str) -> Vec<(usize, Severity, String)> {
    let context = FileContext::from_display_path(path);
    let hits = keyword_hits(rule, text);
    let memo = FileMemo::default();
    let input = input(&context, text, &hits, &memo);
    assert!(!rule.needs_facts(&input), "{path} is checked without Facts");
    let mut findings = Vec::new();
    rule.check(&input, &mut findings);
    findings
        .into_iter()
        .map(|f| (crate::syntax::line_of(text, f.span.start), f.severity, f.message))
        .collect()
}

fn keyword_hits(rule: &dyn Rule, source: &str) -> Vec<bool> {
    let lower = source.to_ascii_lowercase();
    rule.keywords().iter().map(|k| lower.contains(k.as_str())).collect()
}

fn input<'a>(context: &'a FileContext, text: &'a str, hits: &'a [bool], memo: &'a FileMemo<'a>) -> FileInput<'a> {
    FileInput {
        context,
        text,
        keywords: KeywordHits::new(hits),
        facts: None,
        parse_failed: false,
        memo,
    }
}
