//! Snapshots of the three formats, and the properties every format must keep:
//! no raw secret unless asked, no escape codes without colour, same bytes for
//! the same report.

mod support;

use miroguard_core::{ScanReport, TOOL_VERSION};
use miroguard_report::{OutputOptions, json, sarif, stats, text};
use serde_json::Value;
use std::time::Duration;

fn text_of(report: &ScanReport, opts: &OutputOptions) -> String {
    let mut out = Vec::new();
    text::write(report, opts, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("text output is UTF-8")
}

fn all_formats(report: &ScanReport, opts: &OutputOptions) -> [(&'static str, String); 3] {
    [
        ("text", text_of(report, opts)),
        ("json", json::to_string(report, opts).expect("json")),
        ("sarif", sarif::to_string(report, opts).expect("sarif")),
    ]
}

/// Runs `check` with the tool version filtered out of snapshots: it changes
/// with every release. Nothing else is filtered.
fn without_version(check: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&format!("\"{}\"", regex_escape(TOOL_VERSION)), "\"[version]\"");
    settings.bind(check);
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_ascii_alphanumeric() {
                vec![c]
            } else {
                vec!['\\', c]
            }
        })
        .collect()
}

#[test]
fn text_snapshot() {
    insta::assert_snapshot!(text_of(&support::small_report(), &OutputOptions::default()));
}

#[test]
fn text_verbose_snapshot() {
    let opts = OutputOptions {
        verbose: true,
        ..OutputOptions::default()
    };
    insta::assert_snapshot!(text_of(&support::large_report(), &opts));
}

#[test]
fn json_snapshot() {
    without_version(|| {
        insta::assert_snapshot!(json::to_string(&support::small_report(), &OutputOptions::default()).expect("json"));
    });
}

#[test]
fn sarif_snapshot() {
    without_version(|| {
        insta::assert_snapshot!(sarif::to_string(&support::small_report(), &OutputOptions::default()).expect("sarif"));
    });
}

#[test]
fn stats_snapshot() {
    let mut out = Vec::new();
    stats::write(&support::small_report(), Duration::from_millis(3), &mut out).expect("writing to a Vec cannot fail");
    insta::assert_snapshot!(String::from_utf8(out).expect("the table is UTF-8"));
}

#[test]
fn text_flow_snapshot() {
    insta::assert_snapshot!(text_of(&support::flow_report(), &OutputOptions::default()));
}

#[test]
fn json_flow_snapshot() {
    without_version(|| {
        insta::assert_snapshot!(json::to_string(&support::flow_report(), &OutputOptions::default()).expect("json"));
    });
}

#[test]
fn sarif_flow_snapshot() {
    without_version(|| {
        insta::assert_snapshot!(sarif::to_string(&support::flow_report(), &OutputOptions::default()).expect("sarif"));
    });
}

#[test]
fn no_format_leaks_a_secret_unless_asked() {
    let report = support::large_report();
    let secrets = [support::canary(), support::canary_two(), support::canary_three()];
    for (format, output) in all_formats(
        &report,
        &OutputOptions {
            verbose: true,
            color: true,
            show_secrets: false,
        },
    ) {
        for secret in &secrets {
            assert!(
                !output.contains(secret.as_str()),
                "{format} output leaks {secret}:\n{output}"
            );
            // Nor any long piece of it: the redaction shows at most four characters.
            let tail = &secret[secret.len() - 8..];
            assert!(
                !output.contains(tail),
                "{format} output leaks the end of {secret}:\n{output}"
            );
        }
        assert!(
            output.contains("ghp_…(40 chars)"),
            "{format} output does not show the redacted token:\n{output}"
        );
    }
    for (format, output) in all_formats(
        &report,
        &OutputOptions {
            show_secrets: true,
            ..OutputOptions::default()
        },
    ) {
        for secret in &secrets {
            // JSON and SARIF escape nothing in these ASCII secrets, so a plain search works.
            assert!(
                output.contains(secret.as_str()),
                "{format} output hides {secret} despite --show-secrets:\n{output}"
            );
        }
    }
}

#[test]
fn text_without_colour_has_no_escape_codes() {
    for report in [support::small_report(), support::large_report(), ScanReport::default()] {
        let plain = text_of(
            &report,
            &OutputOptions {
                verbose: true,
                ..OutputOptions::default()
            },
        );
        assert!(!plain.contains('\x1b'), "escape code in uncoloured output:\n{plain}");
    }
    let coloured = text_of(
        &support::small_report(),
        &OutputOptions {
            color: true,
            ..OutputOptions::default()
        },
    );
    assert!(coloured.contains("\x1b["), "no colour in coloured output");
}

#[test]
fn text_summary_handles_singular_and_no_findings() {
    let mut report = ScanReport::default();
    report.stats.files_scanned = 1;
    report.stats.bytes_scanned = 999;
    assert_eq!(
        text_of(&report, &OutputOptions::default()),
        "Scanned 1 file (999 bytes) in 0.00 s: no findings.\n"
    );

    let mut report = support::small_report();
    report.findings.truncate(1);
    report.notifications.clear();
    let out = text_of(&report, &OutputOptions::default());
    assert!(
        out.ends_with("Scanned 12 files (1.2 MB) in 0.21 s: 1 error, 0 warnings, 0 notes.\n"),
        "{out}"
    );
}

#[test]
fn text_shows_the_real_column_after_an_earlier_redaction() {
    let report = support::large_report();
    let out = text_of(&report, &OutputOptions::default());
    // STRIPE_KEY's value starts at column 66 of line 2 in the file, although
    // the redacted first token makes it start earlier in the displayed line.
    assert!(out.contains("┌─ config/prod settings/100%#1.env:2:66\n"), "{out}");
    assert!(
        out.contains("2 │ GITHUB_TOKEN=ghp_…(40 chars) STRIPE_KEY=sk_l…(33 chars)\n"),
        "{out}"
    );
}

#[test]
fn outputs_are_deterministic_and_independent_of_rule_order() {
    let report = support::large_report();
    let mut reversed = report.clone();
    reversed.rules.reverse();
    let opts = OutputOptions::default();
    assert_eq!(
        sarif::to_string(&report, &opts).unwrap(),
        sarif::to_string(&reversed, &opts).unwrap()
    );
    assert_eq!(
        json::to_string(&report, &opts).unwrap(),
        json::to_string(&report, &opts).unwrap()
    );
}

#[test]
fn sarif_meets_github_requirements() {
    let report = support::large_report();
    let log: Value = serde_json::from_str(&sarif::to_string(&report, &OutputOptions::default()).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert_eq!(run["automationDetails"]["id"], "miroguard/");
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///home/dev/my%20app/"
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|rule| rule["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["hardcoded-secret", "secret-in-log", "weak-crypto"]);
    for rule in rules {
        let score = rule["properties"]["security-severity"].as_str().unwrap();
        assert!(score.parse::<f64>().is_ok() && score.contains('.'), "{score}");
        assert!(
            rule["properties"]["tags"]
                .as_array()
                .unwrap()
                .contains(&Value::from("security"))
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), report.findings.len());
    for (result, finding) in results.iter().zip(&report.findings) {
        assert_eq!(result["ruleId"], finding.rule.as_str());
        match result.get("ruleIndex") {
            Some(index) => assert_eq!(rules[index.as_u64().unwrap() as usize]["id"], finding.rule.as_str()),
            None => assert!(report.rule(&finding.rule).is_none()),
        }
        assert!(result["partialFingerprints"].get("primaryLocationLineHash").is_none());
        assert_eq!(
            result["partialFingerprints"]["miroguard/v1"],
            finding.fingerprint.as_str()
        );
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.bytes().all(|b| b.is_ascii_graphic() && !b"#?\\".contains(&b)),
            "{uri}"
        );
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"config/prod%20settings/100%25%231.env"), "{uris:?}");
    assert!(uris.contains(&"src/routes/%C3%BCber%20uns.ts"), "{uris:?}");
    // The emoji is two UTF-16 code units: `eval` starts at UTF-16 column 21, character column 20.
    let eval = results.iter().find(|r| r["ruleId"] == "unknown-rule").unwrap();
    assert_eq!(eval["locations"][0]["physicalLocation"]["region"]["startColumn"], 21);
    let notifications = run["invocations"][0]["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), report.notifications.len());
}

#[test]
fn sarif_code_flow_runs_from_the_source_to_the_result() {
    let report = support::flow_report();
    let finding = &report.findings[0];
    let log: Value = serde_json::from_str(&sarif::to_string(&report, &OutputOptions::default()).unwrap()).unwrap();
    let result = &log["runs"][0]["results"][0];
    let primary = &result["locations"][0]["physicalLocation"];
    let code_flows = result["codeFlows"].as_array().unwrap();
    assert_eq!(code_flows.len(), 1);
    let thread_flows = code_flows[0]["threadFlows"].as_array().unwrap();
    assert_eq!(thread_flows.len(), 1);
    let steps = thread_flows[0]["locations"].as_array().unwrap();
    assert_eq!(steps.len(), finding.flow.len());
    for (step, expected) in steps.iter().zip(&finding.flow) {
        let location = &step["location"];
        assert_eq!(location["message"]["text"], expected.message.as_str());
        let physical = &location["physicalLocation"];
        assert_eq!(physical["artifactLocation"], primary["artifactLocation"]);
        let region = &physical["region"];
        assert_eq!(region["startLine"], expected.start.line);
        assert_eq!(region["startColumn"], expected.start.column_utf16);
        assert_eq!(region["endLine"], expected.end.line);
        assert_eq!(region["endColumn"], expected.end.column_utf16);
        assert!(region.get("snippet").is_none(), "{region}");
    }
    // The last step is the result itself: the same region, built the same way.
    let last = &steps.last().unwrap()["location"]["physicalLocation"]["region"];
    for key in ["startLine", "startColumn", "endLine", "endColumn"] {
        assert_eq!(last[key], primary["region"][key], "{key}");
    }
    // The source is related location 1, and the message links to it.
    let related = result["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 1);
    assert_eq!(related[0]["id"], 1);
    assert_eq!(related[0]["physicalLocation"], steps[0]["location"]["physicalLocation"]);
    assert_eq!(
        result["message"]["text"],
        "The OAuth access token from the token response is written to the log. Source: [`accessToken` from the token response](1)."
    );

    // Findings without a flow have neither.
    let log: Value =
        serde_json::from_str(&sarif::to_string(&support::small_report(), &OutputOptions::default()).unwrap()).unwrap();
    for result in log["runs"][0]["results"].as_array().unwrap() {
        assert!(result.get("codeFlows").is_none() && result.get("relatedLocations").is_none());
    }
}

#[test]
fn json_flow_is_empty_without_steps() {
    let json: Value =
        serde_json::from_str(&json::to_string(&support::large_report(), &OutputOptions::default()).unwrap()).unwrap();
    for finding in json["findings"].as_array().unwrap() {
        let flow = finding.get("flow");
        if finding["path"] == "src/auth/callback.ts" {
            let flow = flow.and_then(Value::as_array).expect("the flow finding has a flow");
            assert_eq!(flow.len(), 3);
            assert_eq!(flow[0]["start"]["line"], 6);
            assert_eq!(flow[2]["start"], finding["start"]);
            assert_eq!(flow[2]["end"], finding["end"]);
        } else {
            assert_eq!(flow, Some(&Value::Array(Vec::new())), "{finding}");
        }
    }
}

/// Rules promise flow messages without secrets; if one breaks the promise,
/// every format still shows the secret redacted.
#[test]
fn flow_messages_never_show_the_secret() {
    let secret = support::canary();
    let mut report = support::flow_report();
    let finding = &mut report.findings[0];
    finding.secret = Some(secret.clone());
    finding.secret_span = Some(finding.flow[0].span);
    finding.flow[0].message = format!("`accessToken` ({secret}) from the token response");
    finding.flow[1].message = format!("[{secret}] copied into `tokens`");
    for (format, output) in all_formats(&report, &OutputOptions::default()) {
        assert!(
            !output.contains(secret.as_str()),
            "{format} output leaks {secret}:\n{output}"
        );
        assert!(!output.contains(&secret[secret.len() - 8..]), "{format}:\n{output}");
        assert!(output.contains("ghp_…(40 chars)"), "{format}:\n{output}");
    }
    let shown = OutputOptions {
        show_secrets: true,
        ..OutputOptions::default()
    };
    for (format, output) in all_formats(&report, &shown) {
        assert!(
            output.contains(secret.as_str()),
            "{format} hides {secret} despite --show-secrets"
        );
    }
}

#[test]
fn text_survives_odd_snippets() {
    use miroguard_core::{Finding, Severity, Snippet, Span};
    let cases = [
        // An empty highlight at the end of the text.
        ("abc", Span::new(3, 3)),
        // A highlight over several CRLF lines.
        ("let a = 1;\r\nlet b = 2;\r\nlet c = 3;", Span::new(4, 28)),
        // A highlight that is the whole text.
        ("whole", Span::new(0, 5)),
        // A highlight past the end, or inside a character: printed without source.
        ("short", Span::new(2, 50)),
        ("é", Span::new(1, 2)),
        // Tabs and a wide character before the highlight.
        ("\t\t😀 x = 1", Span::new(7, 8)),
    ];
    for (text, highlight) in cases {
        let mut finding = Finding::new("weak-crypto", Severity::Warning, highlight, "odd");
        finding.path = "odd.rs".into();
        finding.snippet = Some(Snippet {
            first_line: 10,
            text: text.into(),
            highlight,
            redactions: vec![],
            clipped: false,
        });
        let report = ScanReport {
            suppressed: Vec::new(),
            findings: vec![finding],
            rules: support::rules(),
            ..ScanReport::default()
        };
        let out = text_of(&report, &OutputOptions::default());
        assert!(out.starts_with("warning[weak-crypto]: odd\n"), "{out}");
        assert!(out.contains("┌─ odd.rs"), "{out}");
        sarif::to_string(&report, &OutputOptions::default()).expect("sarif");
    }
}

/// Inline-suppressed findings are SARIF results with an `inSource`
/// suppression carrying the comment's reason, and nothing else shows them.
#[test]
fn suppressed_findings_are_sarif_results_marked_in_source() {
    let mut report = support::small_report();
    let mut suppressed = report.findings[0].clone();
    suppressed.suppression = Some("revoked demo token".to_string());
    report.suppressed = vec![suppressed];
    let sarif: Value = serde_json::from_str(&sarif::to_string(&report, &OutputOptions::default()).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), report.findings.len() + 1);
    let marked: Vec<&Value> = results.iter().filter(|r| r.get("suppressions").is_some()).collect();
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(marked[0]["suppressions"][0]["justification"], "revoked demo token");
    let json: Value = serde_json::from_str(&json::to_string(&report, &OutputOptions::default()).unwrap()).unwrap();
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(report.findings.len()));
    assert!(!text_of(&report, &OutputOptions::default()).contains("revoked demo token"));
}
