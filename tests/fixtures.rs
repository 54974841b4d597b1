//! The fixtures harness: every folder `fixtures/<rule-id>/`, and every app
//! under `fixtures/projects/`, is scanned as a project. A line containing
//! `expect: <rule-id>` (optionally `expect: <rule-id>(<severity>)`) must get
//! exactly one finding of that rule starting on it; any finding without such a
//! line, and any such line without a finding, fails the test. In the apps,
//! every JS/TS and Rust file says where it runs in a `class: <class>` comment
//! on one of its first lines, and the classification must agree.

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

/// `fixtures/<rule-id>/` for each rule, and each app under `fixtures/projects/`.
fn fixture_roots() -> Vec<PathBuf> {
    let subdirs = |dir: &Path| -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("readable")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        dirs
    };
    let engine = Engine::new(Config::default()).expect("engine builds");
    let mut roots = Vec::new();
    for dir in subdirs(&fixtures_dir()) {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if name == "projects" {
            roots.extend(subdirs(&dir));
        } else {
            assert!(engine.registry().get(&name).is_some(), "fixtures/{name} names no rule");
            roots.push(dir);
        }
    }
    roots
}

fn project_dirs() -> Vec<PathBuf> {
    fixture_roots()
        .into_iter()
        .filter(|dir| dir.parent().is_some_and(|p| p.ends_with("projects")))
        .collect()
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
    for dir in fixture_roots() {
        let rule_id = dir
            .strip_prefix(fixtures_dir())
            .unwrap_or(&dir)
            .to_string_lossy()
            .replace('\\', "/");
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

/// The `class: <class>` marker on one of a file's first five lines.
fn class_marker(text: &str) -> Option<String> {
    text.lines().take(5).find_map(|line| {
        let at = line.find("class: ")?;
        let class: String = line[at + "class: ".len()..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '-')
            .collect();
        (!class.is_empty()).then_some(class)
    })
}

#[test]
fn apps_are_classified_as_their_files_say() {
    let engine = Engine::new(Config::default()).expect("engine builds");
    let mut failures = Vec::new();
    let mut checked = 0;
    let projects = project_dirs();
    assert!(
        projects.len() >= 5,
        "expected the app fixtures under fixtures/projects/"
    );
    for dir in projects {
        let options = ScanOptions::new(dir.clone());
        let (context, _) = engine.classify(&options, &AtomicUsize::new(0)).expect("classify runs");
        let mut files = Vec::new();
        all_files(&dir, &mut files);
        for file in files {
            let display = file
                .strip_prefix(&dir)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            let code = ["rs", "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"]
                .iter()
                .any(|ext| file.extension().and_then(|e| e.to_str()) == Some(ext));
            if !code {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let project = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let Some(expected) = class_marker(&text) else {
                failures.push(format!("{project}/{display}: no `class:` marker"));
                continue;
            };
            let actual = context
                .get(&display)
                .map(|c| (c.class.as_str().to_string(), c.reasons.join("; ")));
            checked += 1;
            match actual {
                Some((class, _)) if class == expected => {}
                Some((class, reasons)) => failures.push(format!(
                    "{project}/{display}: classified {class} ({reasons}), expected {expected}"
                )),
                None => failures.push(format!("{project}/{display}: not classified, expected {expected}")),
            }
        }
    }
    println!("{checked} files classified as marked");
    assert!(
        failures.is_empty(),
        "{} classification failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn expectation_markers_parse() {
    let found =
        expectations("a // expect: hardcoded-secret(warning) and expect: unused-suppression\nexpect: <rule-id>\n");
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].1.severity, Some(Severity::Warning));
    assert_eq!(found[1].1.rule, "unused-suppression");
}

/// Every rule, on every fixture source cut and damaged the way half-typed
/// code is (truncated, a bracket dropped, a line doubled), parsed whatever
/// the lexical tiers say: nothing panics. A deterministic companion of the
/// `rules` fuzz target.
#[test]
fn damaged_fixtures_never_panic_any_rule() {
    let mut engine = Engine::new(Config::default()).expect("engine builds");
    engine.force_parse(true);
    let mut files = Vec::new();
    all_files(&fixtures_dir(), &mut files);
    let mut checked = 0;
    for file in files {
        let display = file.to_string_lossy().replace('\\', "/");
        let context = miroguard_core::FileContext::from_display_path(display.clone());
        if !context.language.is_source() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for damaged in damaged_versions(&text) {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                engine.check_text(&context, &damaged);
            }));
            assert!(outcome.is_ok(), "a rule panicked on a damaged {display}:\n{damaged}");
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} damaged sources were checked");
}

/// The editor runs a file's rules on two threads: every fixture source must
/// give exactly what the sequential run gives, in the same order.
#[test]
fn parallel_rules_find_what_sequential_rules_find() {
    let sequential = Engine::new(Config::default()).expect("engine builds");
    let mut parallel = Engine::new(Config::default()).expect("engine builds");
    parallel.parallel_rules(true);
    let mut files = Vec::new();
    all_files(&fixtures_dir(), &mut files);
    let mut with_findings = 0;
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let display = file.to_string_lossy().replace('\\', "/");
        let context = miroguard_core::FileContext::from_display_path(display.clone());
        let expected = sequential.check_text(&context, &text);
        let found = parallel.check_text(&context, &text);
        assert_eq!(found.findings, expected.findings, "{display}");
        assert_eq!(found.suppressed, expected.suppressed, "{display}");
        with_findings += usize::from(!expected.findings.is_empty());
    }
    assert!(with_findings > 50, "only {with_findings} fixture files have findings");
}

/// `text` cut at eight points, without its first closing bracket, and with
/// its middle line doubled.
fn damaged_versions(text: &str) -> Vec<String> {
    let boundary = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let mut out: Vec<String> = (1..=8)
        .map(|k| text[..boundary(text.len() * k / 9)].to_string())
        .collect();
    if let Some(at) = text.find([')', '}', ']']) {
        out.push(format!("{}{}", &text[..at], &text[at + 1..]));
    }
    let lines: Vec<&str> = text.lines().collect();
    if !lines.is_empty() {
        let middle = lines.len() / 2;
        let mut doubled = lines.clone();
        doubled.insert(middle, lines[middle]);
        out.push(doubled.join("\n"));
    }
    out
}
