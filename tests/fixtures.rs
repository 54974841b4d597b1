//! The fixtures harness: every file under `fixtures/<rule-id>/` is scanned as
//! a project. A line containing `expect: <rule-id>` (optionally
//! `expect: <rule-id>(<severity>)`) must get exactly one finding of that rule
//! starting on it; any finding without such a line, and any such line without
//! a finding, fails the test.

use miroguard_core::{Config, Finding, Severity};
use miroguard_engine::{Engine, ScanOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .canonicalize()
        .expect("fixtures/ exists")
}

#[derive(Debug)]
struct Expectation {
    rule: String,
    severity: Option<Severity>,
    met: bool,
}

/// `expect:` markers of one file: (1-based line, expectation).
fn expectations(text: &str) -> Vec<(u32, Expectation)> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("expect: ") {
            rest = &rest[at + "expect: ".len()..];
            let id_len = rest
                .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
                .unwrap_or(rest.len());
            let rule = &rest[..id_len];
            if rule.is_empty() || !rule.starts_with(|c: char| c.is_ascii_lowercase()) {
                continue;
            }
            let severity =
                rest[id_len..]
                    .strip_prefix('(')
                    .and_then(|s| s.split_once(')'))
                    .map(|(level, _)| match level {
                        "error" => Severity::Error,
                        "warning" => Severity::Warning,
                        "note" => Severity::Note,
                        other => panic!("unknown severity `{other}` in an expect marker"),
                    });
            out.push((
                index as u32 + 1,
                Expectation {
                    rule: rule.to_string(),
                    severity,
                    met: false,
                },
            ));
            rest = &rest[id_len..];
        }
    }
    out
}

fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable fixture dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            all_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn scan(dir: &Path, engine: &Engine) -> Vec<Finding> {
    let options = ScanOptions::new(dir.to_path_buf());
    engine.scan(&options, &AtomicUsize::new(0)).expect("scan runs").findings
}

#[test]
fn fixtures_match_their_expectations() {
    let engine = Engine::new(Config::default()).expect("engine builds");
    let mut failures = Vec::new();
    let mut totals: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut rule_dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    rule_dirs.sort();
    for dir in rule_dirs {
        let rule_id = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        assert!(
            engine.registry().get(&rule_id).is_some(),
            "fixtures/{rule_id} names no rule"
        );
        let mut files = Vec::new();
        all_files(&dir, &mut files);
        let mut expected: BTreeMap<(String, u32), Vec<Expectation>> = BTreeMap::new();
        for file in &files {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            let display = file
                .strip_prefix(&dir)
                .unwrap_or(file)
                .to_string_lossy()
                .replace('\\', "/");
            for (line, expectation) in expectations(&text) {
                expected.entry((display.clone(), line)).or_default().push(expectation);
            }
        }
        for finding in scan(&dir, &engine) {
            let key = (finding.path.clone(), finding.start.line);
            let slot = expected
                .get_mut(&key)
                .and_then(|list| list.iter_mut().find(|e| !e.met && e.rule == finding.rule));
            let entry = totals.entry(finding.rule.clone()).or_default();
            match slot {
                Some(expectation) => {
                    expectation.met = true;
                    entry.0 += 1;
                    if let Some(severity) = expectation.severity {
                        if severity != finding.severity {
                            failures.push(format!(
                                "{rule_id}/{}:{}: {} is a {}, expected a {severity}",
                                finding.path, finding.start.line, finding.rule, finding.severity
                            ));
                        }
                    }
                }
                None => {
                    entry.1 += 1;
                    failures.push(format!(
                        "{rule_id}/{}:{}:{}: unexpected {} ({}): {}",
                        finding.path,
                        finding.start.line,
                        finding.start.column,
                        finding.rule,
                        finding.detector.as_deref().unwrap_or("-"),
                        finding.message
                    ));
                }
            }
        }
        for ((path, line), list) in &expected {
            for expectation in list.iter().filter(|e| !e.met) {
                totals.entry(expectation.rule.clone()).or_default().2 += 1;
                failures.push(format!(
                    "{rule_id}/{path}:{line}: expected a {} finding, got none",
                    expectation.rule
                ));
            }
        }
    }
    for (rule, (tp, fp, fn_)) in &totals {
        let precision = *tp as f64 / (*tp + *fp).max(1) as f64;
        let recall = *tp as f64 / (*tp + *fn_).max(1) as f64;
        println!(
            "{rule}: {tp} expected findings, {fp} unexpected, {fn_} missed; precision {precision:.3}, recall {recall:.3}"
        );
    }
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The lexical tier decides which source files are parsed; parsing every
/// source file must not find anything more.
#[test]
fn lexical_tier_loses_no_finding() {
    let lexical = Engine::new(Config::default()).expect("engine builds");
    let mut full = Engine::new(Config::default()).expect("engine builds");
    full.force_parse(true);
    let dir = fixtures_dir();
    let (a, b) = (scan(&dir, &lexical), scan(&dir, &full));
    let key = |f: &Finding| (f.path.clone(), f.span.start, f.span.end, f.rule.clone(), f.severity);
    let a: Vec<_> = a.iter().map(key).collect();
    let b: Vec<_> = b.iter().map(key).collect();
    assert_eq!(a, b, "the lexical tier and the full parse disagree");
}

#[test]
fn expectation_markers_parse() {
    let found =
        expectations("a // expect: hardcoded-secret(warning) and expect: unused-suppression\nexpect: <rule-id>\n");
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].1.severity, Some(Severity::Warning));
    assert_eq!(found[1].1.rule, "unused-suppression");
}
