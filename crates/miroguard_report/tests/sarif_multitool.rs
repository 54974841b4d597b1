//! Validates our SARIF with Microsoft's SARIF Multitool, the validator behind
//! the SARIF web validator, with its GitHub rules (`GH…`) switched on.
//!
//! Runs when `MIROGUARD_SARIF_MULTITOOL` names the executable
//! (`scripts/install-sarif-multitool.sh` installs it and prints the path).
//! Without it the test says it skipped, unless `MIROGUARD_REQUIRE_EXTERNAL=1`,
//! in which case a missing validator is a failure: CI must not pass by skipping.

mod support;

use miroguard_report::{OutputOptions, sarif};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const VALIDATOR_VAR: &str = "MIROGUARD_SARIF_MULTITOOL";
const REQUIRE_VAR: &str = "MIROGUARD_REQUIRE_EXTERNAL";

/// One thing the validator reported.
struct Reported {
    level: String,
    rule: String,
    text: String,
}

fn validator() -> Option<PathBuf> {
    let path = std::env::var_os(VALIDATOR_VAR).map(PathBuf::from);
    let found = path.filter(|path| path.is_file());
    if found.is_none() {
        let required = std::env::var(REQUIRE_VAR).is_ok_and(|value| value == "1");
        assert!(
            !required,
            "{REQUIRE_VAR}=1 but {VALIDATOR_VAR} does not name an executable; run scripts/install-sarif-multitool.sh and export {VALIDATOR_VAR}=<the path it prints>"
        );
        eprintln!(
            "skipped: set {VALIDATOR_VAR} to the SARIF Multitool executable to validate SARIF output"
        );
    }
    found
}

/// A rule's message template with `{0}`, `{1}`… filled in, as the validator prints it.
fn message_text(result: &Value, rule: Option<&Value>) -> String {
    if let Some(text) = result["message"]["text"].as_str() {
        return text.to_string();
    }
    let id = result["message"]["id"].as_str().unwrap_or_default();
    let mut text = rule
        .and_then(|rule| rule["messageStrings"][id]["text"].as_str())
        .map(str::to_string)
        .unwrap_or_else(|| id.to_string());
    for (index, argument) in result["message"]["arguments"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        text = text.replace(
            &format!("{{{index}}}"),
            argument.as_str().unwrap_or_default(),
        );
    }
    text
}

/// Everything in the validator's own SARIF log: results with their
/// effective level (a result without `level` takes its rule's default, and
/// `warning` without either), and the tool's execution notifications.
fn reported(log: &Value) -> Vec<Reported> {
    let mut out = Vec::new();
    for run in log["runs"].as_array().into_iter().flatten() {
        let rules = run["tool"]["driver"]["rules"].as_array();
        for result in run["results"].as_array().into_iter().flatten() {
            let rule = result["ruleIndex"]
                .as_u64()
                .and_then(|index| rules?.get(index as usize));
            let level = result["level"]
                .as_str()
                .or_else(|| rule.and_then(|rule| rule["defaultConfiguration"]["level"].as_str()))
                .unwrap_or("warning");
            out.push(Reported {
                level: level.to_string(),
                rule: result["ruleId"].as_str().unwrap_or("?").to_string(),
                text: message_text(result, rule),
            });
        }
        for invocation in run["invocations"].as_array().into_iter().flatten() {
            assert_ne!(
                invocation["executionSuccessful"],
                Value::Bool(false),
                "the validator did not complete: {invocation:#}"
            );
            let notifications = [
                "toolExecutionNotifications",
                "toolConfigurationNotifications",
            ]
            .into_iter()
            .flat_map(|key| invocation[key].as_array().into_iter().flatten());
            for notification in notifications {
                out.push(Reported {
                    level: notification["level"]
                        .as_str()
                        .unwrap_or("warning")
                        .to_string(),
                    rule: notification["descriptor"]["id"]
                        .as_str()
                        .unwrap_or("notification")
                        .to_string(),
                    text: notification["message"]["text"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                });
            }
        }
    }
    out
}

/// Runs `validator` on `sarif` and returns what it reported.
fn validate(validator: &Path, sarif: &str) -> Vec<Reported> {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("miroguard.sarif");
    let output = dir.path().join("validation.sarif");
    std::fs::write(&input, sarif).expect("write sarif");

    let run = Command::new(validator)
        .arg("validate")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .args(["--log", "ForceOverwrite"])
        // The SARIF specification's rules and GitHub's upload requirements.
        .args(["--rule-kind", "Sarif;Gh"])
        .output()
        .unwrap_or_else(|error| panic!("could not run {}: {error}", validator.display()));
    let console = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    // It exits 0 even when it finds errors: only its log tells.
    assert!(
        run.status.success(),
        "the validator failed ({}):\n{console}",
        run.status
    );
    let log = std::fs::read_to_string(&output)
        .unwrap_or_else(|error| panic!("the validator wrote no log ({error}):\n{console}"));
    let log: Value = serde_json::from_str(&log)
        .unwrap_or_else(|error| panic!("the validator's log is not JSON: {error}\n{console}"));
    reported(&log)
}

fn errors(reported: &[Reported]) -> Vec<String> {
    reported
        .iter()
        .filter(|item| item.level == "error")
        .map(|item| format!("{}: {}", item.rule, item.text))
        .collect()
}

#[test]
fn sarif_output_passes_the_sarif_multitool_validator() {
    let Some(validator) = validator() else { return };
    let report = support::large_report();
    for show_secrets in [false, true] {
        let sarif = sarif::to_string(
            &report,
            &OutputOptions {
                show_secrets,
                ..OutputOptions::default()
            },
        )
        .expect("sarif");
        let reported = validate(&validator, &sarif);
        for item in reported.iter().filter(|item| item.level != "error") {
            println!("validator {} {}: {}", item.level, item.rule, item.text);
        }
        let warnings = reported
            .iter()
            .filter(|item| item.level == "warning")
            .count();
        println!(
            "validator (show_secrets: {show_secrets}): {} error(s), {warnings} warning(s)",
            errors(&reported).len()
        );
        let errors = errors(&reported);
        assert!(
            errors.is_empty(),
            "the validator reported {} error(s):\n{}",
            errors.len(),
            errors.join("\n")
        );
    }
}

/// Guards the harness itself: a log with a known defect must be reported,
/// or a passing run above would prove nothing.
#[test]
fn the_validator_harness_sees_errors() {
    let Some(validator) = validator() else { return };
    let sarif =
        sarif::to_string(&support::small_report(), &OutputOptions::default()).expect("sarif");
    // A raw space is not allowed in a URI (SARIF1002).
    let broken = sarif.replace("\"uri\": \"src/config.ts\"", "\"uri\": \"src/con fig.ts\"");
    assert_ne!(broken, sarif);
    let errors = errors(&validate(&validator, &broken));
    assert!(
        errors.iter().any(|error| error.starts_with("SARIF1002")),
        "{errors:?}"
    );
}
