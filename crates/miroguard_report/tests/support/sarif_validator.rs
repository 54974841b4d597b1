//! Runs Microsoft's SARIF Multitool on a SARIF log and reads back what it
//! reported. Shared by this crate's validator test and the end-to-end tests
//! (`tests/cli.rs` includes this file by path).

#![allow(dead_code)] // each test binary uses a different part of this module

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const VALIDATOR_VAR: &str = "MIROGUARD_SARIF_MULTITOOL";
const REQUIRE_VAR: &str = "MIROGUARD_REQUIRE_EXTERNAL";

/// One thing the validator reported.
pub struct Reported {
    pub level: String,
    pub rule: String,
    pub text: String,
}

pub fn validator() -> Option<PathBuf> {
    let path = std::env::var_os(VALIDATOR_VAR).map(PathBuf::from);
    let found = path.filter(|path| path.is_file());
    if found.is_none() {
        let required = std::env::var(REQUIRE_VAR).is_ok_and(|value| value == "1");
        assert!(
            !required,
            "{REQUIRE_VAR}=1 but {VALIDATOR_VAR} does not name an executable; run scripts/install-sarif-multitool.sh and export {VALIDATOR_VAR}=<the path it prints>"
        );
        eprintln!("skipped: set {VALIDATOR_VAR} to the SARIF Multitool executable to validate SARIF output");
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
        text = text.replace(&format!("{{{index}}}"), argument.as_str().unwrap_or_default());
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
            let notifications = ["toolExecutionNotifications", "toolConfigurationNotifications"]
                .into_iter()
                .flat_map(|key| invocation[key].as_array().into_iter().flatten());
            for notification in notifications {
                out.push(Reported {
                    level: notification["level"].as_str().unwrap_or("warning").to_string(),
                    rule: notification["descriptor"]["id"]
                        .as_str()
                        .unwrap_or("notification")
                        .to_string(),
                    text: notification["message"]["text"].as_str().unwrap_or_default().to_string(),
                });
            }
        }
    }
    out
}

/// Runs `validator` on `sarif` and returns what it reported.
pub fn validate(validator: &Path, sarif: &str) -> Vec<Reported> {
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

pub fn errors(reported: &[Reported]) -> Vec<String> {
    reported
        .iter()
        .filter(|item| item.level == "error")
        .map(|item| format!("{}: {}", item.rule, item.text))
        .collect()
}
