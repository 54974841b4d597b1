//! One file through the rules: prefilter, parse if needed, check, suppress, finalize.

use crate::laps::Laps;
use crate::parse::parse;
use crate::{Engine, finalize, resolve, suppress};
use miroguard_core::{FileClass, FileContext, FileTimes, Finding, Notification};
use miroguard_js::SyntaxTree;
use miroguard_rules::{FileInput, FileMemo, KeywordHits};

/// What checking one file produced.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    /// Findings, sorted by position, with positions, snippets and fingerprints.
    /// When the file's class was not known, some may still depend on it
    /// (see [`Engine::resolve_file`]).
    pub findings: Vec<Finding>,
    /// Findings inline comments suppress, completed like `findings`.
    pub suppressed: Vec<Finding>,
    /// Things the user should know about the file (syntax errors, too-deep code).
    pub notifications: Vec<Notification>,
    /// Whether a front end parsed the file.
    pub parsed: bool,
    /// The first rule whose lexical tier asked for the parse (`None` when
    /// the file was not parsed, or was parsed because every file is).
    pub parsed_for: Option<String>,
    /// Project notes (findings with `unless_project_provides`), completed
    /// like `findings` (suppressed ones carry their `suppression`). Only a
    /// scan that sees the whole project can decide them, so they are kept
    /// apart; an editor ignores them.
    pub pending: Vec<Finding>,
    /// The facts this file provides to its project (`"hsts"`), which remove
    /// the project's pending notes about their absence.
    pub provides: Vec<&'static str>,
    /// How long the prefilter, parse, rules and finalize stages took (the
    /// other fields of [`FileTimes`] are for the scan to fill).
    pub times: FileTimes,
}

impl Engine {
    /// Checks `text` as the file described by `context`.
    pub fn check_text(&self, context: &FileContext, text: &str) -> FileReport {
        self.check(context, text, None, false).0
    }

    /// [`Engine::check_text`] for an editor, which checks the same file
    /// again after every change: a JS/TS file is parsed and lowered reusing
    /// `previous`, the tree of the last version (with the edits since
    /// recorded in it), and the new tree is returned for the next time.
    /// `None` when the file was not parsed (no rule needed it) or is not JS/TS.
    /// Hand over the only copy of `previous`: its facts are then updated in
    /// place rather than copied.
    pub fn check_text_reusing(
        &self,
        context: &FileContext,
        text: &str,
        previous: Option<SyntaxTree>,
    ) -> (FileReport, Option<SyntaxTree>) {
        self.check(context, text, previous, true)
    }

    fn check(
        &self,
        context: &FileContext,
        text: &str,
        previous: Option<SyntaxTree>,
        keep_tree: bool,
    ) -> (FileReport, Option<SyntaxTree>) {
        let mut laps = Laps::start();
        let mut times = FileTimes::default();
        let hits = self.prefilter.scan(text);
        let rule_hits: Vec<Vec<bool>> = self
            .active
            .iter()
            .map(|a| a.keyword_patterns.iter().map(|&p| hits[p]).collect())
            .collect();
        // Work shared between rules is memoised per phase: what the parse
        // decision computes without Facts is not what the checks compute with them.
        let gate_memo = FileMemo::default();
        let input_for = |i: usize, facts, parse_failed, memo| FileInput {
            context,
            text,
            keywords: KeywordHits::new(&rule_hits[i]),
            facts,
            parse_failed,
            memo,
        };

        // The first rule whose lexical tier asks for the Facts, if any does.
        let parsed_for = if context.language.is_source() && !self.force_parse {
            self.active
                .iter()
                .enumerate()
                .find(|(i, a)| self.rule(a).needs_facts(&input_for(*i, None, false, &gate_memo)))
                .map(|(_, a)| self.rule(a).id().to_string())
        } else {
            None
        };
        let needs_facts = context.language.is_source() && (self.force_parse || parsed_for.is_some());
        times.prefilter = laps.lap();
        let mut report = FileReport {
            parsed_for,
            ..FileReport::default()
        };
        let mut tree = None;
        let (facts, parse_failed) = if needs_facts {
            let parsed = parse(context, text, previous, keep_tree);
            tree = parsed.tree;
            report.notifications = parsed.notifications;
            report.parsed = true;
            (parsed.facts, parsed.failed)
        } else {
            (None, false)
        };
        times.parse = laps.lap();

        // Made after the Facts it may index (the value-flow layer borrows them).
        let check_memo = FileMemo::default();
        let run_rule = |i: usize| {
            let active = &self.active[i];
            let rule = self.rule(active);
            let mut found = Vec::new();
            rule.check(&input_for(i, facts.as_deref(), parse_failed, &check_memo), &mut found);
            let default = rule.default_severity();
            let shift = |severity: miroguard_core::Severity| severity.shifted(default, active.severity);
            for finding in &mut found {
                finding.severity = shift(finding.severity);
                finding.class_dependence = finding.class_dependence.map(|dependence| dependence.map(shift));
            }
            found
        };
        let per_rule = if self.parallel_rules && self.active.len() > 1 {
            run_split(self.active.len(), &run_rule)
        } else {
            (0..self.active.len()).map(run_rule).collect()
        };
        // In rule order whichever thread ran them, so the order of findings
        // on the same span is the same as in a sequential run.
        let mut findings: Vec<Finding> = per_rule.into_iter().flatten().collect();
        findings.sort_by_key(|f| (f.span.start, f.span.end));
        times.rules = laps.lap();

        let secret_spans: Vec<_> = findings
            .iter()
            .filter_map(|f| {
                f.secret_span
                    .zip(f.secret.as_deref().map(miroguard_core::redact::redact))
            })
            .collect();
        let unused_severity = self
            .active
            .iter()
            .find(|a| self.rule(a).id() == miroguard_rules::rules::unused_suppression::ID)
            .map(|a| a.severity);
        let mut suppressed = suppress::apply(
            text,
            &mut findings,
            |id| self.registry.get(id).is_some(),
            |id| self.is_active(id),
            unused_severity,
        );
        // Before finalizing, which costs most per finding: in browser code a
        // server-only rule's findings go.
        if let Some(class) = context.class {
            let reason = context.class_reason.as_deref();
            resolve::resolve_classes(&mut findings, |_| Some((class, reason)));
            resolve::resolve_classes(&mut suppressed, |_| Some((class, reason)));
            resolve::apply_supersession(&mut findings, &self.supersedes);
        }
        finalize::finalize(context, text, &mut findings, &secret_spans);
        finalize::finalize(context, text, &mut suppressed, &secret_spans);
        let (pending, findings): (Vec<Finding>, Vec<Finding>) =
            findings.into_iter().partition(|f| f.unless_project_provides.is_some());
        let (pending_suppressed, suppressed): (Vec<Finding>, Vec<Finding>) = suppressed
            .into_iter()
            .partition(|f| f.unless_project_provides.is_some());
        report.pending = pending;
        report.pending.extend(pending_suppressed);
        report.provides = check_memo.provided();
        report.findings = findings;
        report.suppressed = suppressed;
        times.finalize = laps.lap();
        report.times = times;
        (report, tree)
    }

    /// Resolves what `check_text` left open for a file whose class was not
    /// known then: class-dependent findings take the severity for `class`
    /// (or go), and superseded findings go.
    pub fn resolve_file(&self, report: &mut FileReport, class: FileClass) {
        resolve::resolve_classes(&mut report.findings, |_| Some((class, None)));
        resolve::resolve_classes(&mut report.suppressed, |_| Some((class, None)));
        resolve::apply_supersession(&mut report.findings, &self.supersedes);
    }
}

/// Runs `run(0..count)` on this thread and one more, each taking the next
/// rule when it is done with one (the rules' costs differ by orders of
/// magnitude), and returns the results by index. The second thread gets the
/// workers' large stack; a panic there is raised here, where the caller's
/// guard catches it.
fn run_split(count: usize, run: &(dyn Fn(usize) -> Vec<Finding> + Sync)) -> Vec<Vec<Finding>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= count {
                return done;
            }
            done.push((i, run(i)));
        }
    };
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new()
            .stack_size(crate::scan::WORKER_STACK)
            .spawn_scoped(scope, take);
        let mut results: Vec<Vec<Finding>> = vec![Vec::new(); count];
        for (i, found) in take() {
            results[i] = found;
        }
        if let Ok(handle) = other {
            match handle.join() {
                Ok(theirs) => {
                    for (i, found) in theirs {
                        results[i] = found;
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    })
}
