//! Validates our SARIF with Microsoft's SARIF Multitool, the validator behind
//! the SARIF web validator, with its GitHub rules (`GH…`) switched on.
//!
//! Runs when `MIROGUARD_SARIF_MULTITOOL` names the executable
//! (`scripts/install-sarif-multitool.sh` installs it and prints the path).
//! Without it the test says it skipped, unless `MIROGUARD_REQUIRE_EXTERNAL=1`,
//! in which case a missing validator is a failure: CI must not pass by skipping.

mod support;

use miroguard_report::{OutputOptions, sarif};
use support::sarif_validator::{errors, validate, validator};

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
        // The report has a flow finding: its code flow and related location are validated too.
        assert!(sarif.contains("\"codeFlows\"") && sarif.contains("\"relatedLocations\""));
        let reported = validate(&validator, &sarif);
        for item in reported.iter().filter(|item| item.level != "error") {
            println!("validator {} {}: {}", item.level, item.rule, item.text);
        }
        let warnings = reported.iter().filter(|item| item.level == "warning").count();
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
    let sarif = sarif::to_string(&support::small_report(), &OutputOptions::default()).expect("sarif");
    // A raw space is not allowed in a URI (SARIF1002).
    let broken = sarif.replace("\"uri\": \"src/config.ts\"", "\"uri\": \"src/con fig.ts\"");
    assert_ne!(broken, sarif);
    let errors = errors(&validate(&validator, &broken));
    assert!(errors.iter().any(|error| error.starts_with("SARIF1002")), "{errors:?}");
}
