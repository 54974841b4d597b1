//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.
//!
//! One run; every rule that ran is described in `tool.driver.rules` with its
//! help, `security-severity`, `precision` and CWE tags; results point at
//! percent-encoded URIs relative to `%SRCROOT%` with UTF-16 columns and carry
//! our own line-independent fingerprint under `miroguard/v1`. GitHub computes
//! `primaryLocationLineHash` itself, so it is deliberately absent.
//!
//! A flow finding (a secret that reaches a log) also carries its path as one
//! `codeFlows[].threadFlows[]`, source first and the result's own location
//! last, and its source as `relatedLocations` id 1, which the message links
//! to (`Source: [...](1)`) the way CodeQL's path queries do: code scanning
//! shows a related location only when the message embeds a link to it.
//!
//! The output is a pure function of the report: no timestamps, no GUIDs, and
//! every map is a `BTreeMap`, so the same report always gives the same bytes.

use crate::{Error, OutputOptions};
use miroguard_core::{
    EnabledRule, Finding, FlowStep, Notification, Position, ScanReport, Severity, TOOL_HOMEPAGE, TOOL_NAME,
    TOOL_VERSION, rule_doc_url,
};
use serde_json::json;
use serde_sarif::sarif;
use std::collections::BTreeMap;
use std::path::Path;

/// The schema URI GitHub's documentation and SchemaStore use for SARIF 2.1.0.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The `uriBaseId` every relative artifact URI is resolved against.
const SRCROOT: &str = "%SRCROOT%";
/// The key of our own fingerprint in `partialFingerprints`; bump the version
/// if the fingerprint's recipe ever changes, so old alerts are not matched wrongly.
const FINGERPRINT_KEY: &str = "miroguard/v1";
/// The rule property that names the guideline a finding fails.
const GUIDELINE_PROPERTY: &str = "miroguard/guideline";
/// The `id` of a flow's source among the result's `relatedLocations`, which
/// the result message links to as `[…](1)`.
const SOURCE_LOCATION_ID: i64 = 1;

/// The SARIF log for `report`, pretty-printed with a trailing newline.
pub fn to_string(report: &ScanReport, opts: &OutputOptions) -> Result<String, Error> {
    crate::to_pretty_json(&log(report, opts))
}

/// Builds the SARIF log object.
fn log(report: &ScanReport, opts: &OutputOptions) -> sarif::Sarif {
    // `report.rules` is documented as sorted by id; sort again anyway, since
    // `ruleIndex` must match the order we emit, not the order we were given.
    let mut rules: Vec<&EnabledRule> = report.rules.iter().collect();
    rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    let rule_index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(index, rule)| (rule.meta.id.as_str(), index))
        .collect();

    let driver = sarif::ToolComponent::builder()
        .name(TOOL_NAME)
        .semantic_version(TOOL_VERSION)
        .version(TOOL_VERSION)
        .information_uri(TOOL_HOMEPAGE)
        .rules(rules.iter().map(|rule| reporting_descriptor(rule)).collect::<Vec<_>>())
        .build();

    // Inline-suppressed findings are results too, marked `inSource` with
    // the comment's reason, so code scanning shows them as dismissed.
    let results: Vec<sarif::Result> = report
        .findings
        .iter()
        .chain(&report.suppressed)
        .map(|finding| result(finding, rule_index.get(finding.rule.as_str()).copied(), opts))
        .collect();

    let invocation = sarif::Invocation::builder()
        .execution_successful(true)
        .tool_execution_notifications(report.notifications.iter().map(notification).collect::<Vec<_>>())
        .build();

    let mut run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        // Category `miroguard`, empty run id: GitHub keeps one alert set per category.
        .automation_details(
            sarif::RunAutomationDetails::builder()
                .id(format!("{TOOL_NAME}/"))
                .build(),
        )
        .column_kind(json!("utf16CodeUnits"))
        .invocations(vec![invocation])
        .results(results)
        .build();
    // Only an absolute root can be written as a `file:` URI; a relative one
    // would make the whole log invalid, and consumers do without the base.
    if report.root.is_absolute() {
        let base = sarif::ArtifactLocation::builder()
            .uri(directory_file_uri(&report.root))
            .build();
        run.original_uri_base_ids = Some(BTreeMap::from([(SRCROOT.to_string(), base)]));
    }

    sarif::Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// `tool.driver.rules[]` entry for one rule.
fn reporting_descriptor(rule: &EnabledRule) -> sarif::ReportingDescriptor {
    let meta = &rule.meta;
    let mut properties = BTreeMap::new();
    properties.insert("precision".to_string(), json!(meta.precision.as_str()));
    // GitHub wants a number in a string ("8.5"), and rejects anything else;
    // a score outside 0–10 is a bug in the rule file, so clamp rather than fail the upload.
    if let Some(score) = meta.security_severity.filter(|score| score.is_finite()) {
        let score = score.clamp(0.0, 10.0);
        properties.insert("security-severity".to_string(), json!(format!("{score:.1}")));
    }
    if let Some(guideline) = &meta.guideline {
        properties.insert(GUIDELINE_PROPERTY.to_string(), json!(guideline));
    }
    let help = meta.help_text();
    sarif::ReportingDescriptor::builder()
        .id(meta.id.as_str())
        .name(meta.pascal_name())
        .short_description(multiformat(&meta.title))
        .full_description(multiformat(&meta.description))
        .help(
            sarif::MultiformatMessageString::builder()
                .text(help)
                .markdown(help)
                .build(),
        )
        .help_uri(rule_doc_url(&meta.id))
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(json!(rule.severity.as_str()))
                .build(),
        )
        .properties(
            sarif::PropertyBag::builder()
                .tags(meta.sarif_tags())
                .additional_properties(properties)
                .build(),
        )
        .build()
}

fn multiformat(text: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder().text(text).build()
}

/// `results[]` entry for one finding.
fn result(finding: &Finding, rule_index: Option<usize>, opts: &OutputOptions) -> sarif::Result {
    let mut message = finding.message.clone();
    // The redacted secret tells the reader which value to rotate without
    // opening the file; the message itself never holds it.
    if let Some(secret) = finding.display_secret(opts.show_secrets) {
        message = format!("{message} ({secret})");
    }
    if message.trim().is_empty() {
        // SARIF and GitHub reject an empty message; the rule id is better than nothing.
        message = finding.rule.clone();
    }

    let mut physical = sarif::PhysicalLocation::builder()
        .artifact_location(artifact_location(&finding.path))
        .region(finding_region(finding, opts))
        .build();
    physical.context_region = context_region(finding, opts);

    let source = flow_source(finding);
    let mut result = sarif::Result::builder()
        .rule_id(finding.rule.as_str())
        .level(result_level(finding.severity))
        .message(
            sarif::Message::builder()
                .text(message_text(finding, &message, source, opts))
                .build(),
        )
        .locations(vec![sarif::Location::builder().physical_location(physical).build()])
        .build();
    result.rule_index = rule_index.and_then(|index| i64::try_from(index).ok());
    if !finding.flow.is_empty() {
        result.code_flows = Some(vec![code_flow(finding, opts)]);
    }
    if let Some(source) = source {
        let mut location = step_location(finding, source, opts);
        location.id = Some(SOURCE_LOCATION_ID);
        result.related_locations = Some(vec![location]);
    }
    if let Some(reason) = &finding.suppression {
        let mut suppression = sarif::Suppression::builder().kind(json!("inSource")).build();
        suppression.justification = (!reason.trim().is_empty()).then(|| reason.trim().to_string());
        result.suppressions = Some(vec![suppression]);
    }
    if !finding.fingerprint.is_empty() {
        result.partial_fingerprints = Some(BTreeMap::from([(
            FINGERPRINT_KEY.to_string(),
            finding.fingerprint.clone(),
        )]));
    }
    result
}

fn result_level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Note => sarif::ResultLevel::Note,
    }
}

/// The one `codeFlows[]` entry of a flow finding: a single thread flow
/// through every step, in order, the last being the result's own location.
fn code_flow(finding: &Finding, opts: &OutputOptions) -> sarif::CodeFlow {
    let locations = finding
        .flow
        .iter()
        .map(|step| {
            sarif::ThreadFlowLocation::builder()
                .location(step_location(finding, step, opts))
                .build()
        })
        .collect::<Vec<_>>();
    sarif::CodeFlow::builder()
        .thread_flows(vec![sarif::ThreadFlow::builder().locations(locations).build()])
        .build()
}

/// Where one flow step is, in the finding's file, with its message. No
/// snippet: the region's text is in the file, and a snippet could hold a secret.
fn step_location(finding: &Finding, step: &FlowStep, opts: &OutputOptions) -> sarif::Location {
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(artifact_location(&finding.path))
        .region(region(step.start, step.end))
        .build();
    let mut location = sarif::Location::builder().physical_location(physical).build();
    let message = crate::flow_step_message(finding, step, opts);
    // An empty message is an error in SARIF; a step without one is just a place.
    if !message.trim().is_empty() {
        location.message = Some(sarif::Message::builder().text(message.into_owned()).build());
    }
    location
}

/// The step a flow finding's value comes from, when it is somewhere else than
/// the finding itself (a one-step flow is only the finding).
fn flow_source(finding: &Finding) -> Option<&FlowStep> {
    let source = finding.flow.first()?;
    (finding.flow.len() > 1 && source.span != finding.span).then_some(source)
}

/// The region from `start` to `end`, in the run's columns (UTF-16 code units).
fn region(start: Position, end: Position) -> sarif::Region {
    let (start_line, start_column) = line_column(start);
    let (mut end_line, mut end_column) = line_column(end);
    // An end before the start is an upstream bug; an inverted region is a hard validation error.
    if (end_line, end_column) < (start_line, start_column) {
        (end_line, end_column) = (start_line, start_column);
    }
    sarif::Region::builder()
        .start_line(start_line)
        .start_column(start_column)
        .end_line(end_line)
        .end_column(end_column)
        .build()
}

/// The finding's primary region, with the (rendered) text it covers as its snippet.
fn finding_region(finding: &Finding, opts: &OutputOptions) -> sarif::Region {
    let mut region = region(finding.start, finding.end);
    if let Some(snippet) = &finding.snippet {
        let (text, highlight) = snippet.render(opts.show_secrets);
        let covered = highlight.text(&text);
        if !covered.is_empty() {
            region.snippet = Some(sarif::ArtifactContent::builder().text(covered).build());
        }
    }
    region
}

/// The whole lines of the snippet, as `contextRegion`, when they show more than the region itself.
fn context_region(finding: &Finding, opts: &OutputOptions) -> Option<sarif::Region> {
    // A cut snippet is not the whole lines a context region stands for.
    let snippet = finding.snippet.as_ref().filter(|snippet| !snippet.clipped)?;
    let (text, highlight) = snippet.render(opts.show_secrets);
    // SARIF wants the context region to be a proper superset of the region.
    if text.is_empty() || highlight.text(&text) == text {
        return None;
    }
    let first_line = i64::from(snippet.first_line.max(1));
    let line_count = i64::try_from(text.split('\n').count()).unwrap_or(1);
    // A snippet can stop short of a long multi-line region (a PEM key); it is
    // then no superset, and no context region at all is better than a wrong one.
    let (start_line, _) = line_column(finding.start);
    let (end_line, _) = line_column(finding.end);
    if first_line > start_line || first_line + line_count - 1 < end_line {
        return None;
    }
    Some(
        sarif::Region::builder()
            .start_line(first_line)
            .end_line(first_line + line_count - 1)
            .snippet(sarif::ArtifactContent::builder().text(text).build())
            .build(),
    )
}

/// 1-based line and UTF-16 column; positions the engine left unset become 1:1
/// rather than the 0s that SARIF forbids.
fn line_column(position: Position) -> (i64, i64) {
    (i64::from(position.line.max(1)), i64::from(position.column_utf16.max(1)))
}

/// Where `path` is: relative to `%SRCROOT%`, or an absolute `file:` URI if the
/// engine ever hands us a path outside the root.
fn artifact_location(path: &str) -> sarif::ArtifactLocation {
    if Path::new(path).is_absolute() {
        sarif::ArtifactLocation::builder()
            .uri(file_uri(Path::new(path)))
            .build()
    } else {
        sarif::ArtifactLocation::builder()
            .uri(relative_uri(path))
            .uri_base_id(SRCROOT)
            .build()
    }
}

/// `toolExecutionNotifications[]` entry for one notification.
fn notification(notification: &Notification) -> sarif::Notification {
    let level = match notification.level {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let mut out = sarif::Notification::builder()
        .level(json!(level))
        .message(sarif::Message::builder().text(sentence(&notification.message)).build())
        .descriptor(
            sarif::ReportingDescriptorReference::builder()
                .id(notification.kind.as_str())
                .build(),
        )
        .build();
    // A notification about the configuration as a whole has no file.
    if !notification.path.is_empty() {
        let mut physical = sarif::PhysicalLocation::builder()
            .artifact_location(artifact_location(&notification.path))
            .build();
        if let Some(position) = notification.position {
            let (line, column) = line_column(position);
            physical.region = Some(sarif::Region::builder().start_line(line).start_column(column).build());
        }
        out.locations = Some(vec![sarif::Location::builder().physical_location(physical).build()]);
    }
    out
}

/// The result's message: the finding's; for a flow finding, a link to where
/// its value comes from; and for a finding that depends on where its file
/// runs, why miroguard thinks it runs there (code scanning shows nothing else
/// of the finding).
fn message_text(finding: &Finding, message: &str, source: Option<&FlowStep>, opts: &OutputOptions) -> String {
    let mut text = sentence(message);
    if let Some(source) = source {
        let described = crate::flow_step_message(finding, source, opts);
        let link_text = if described.trim().is_empty() {
            "source".to_string()
        } else {
            escape_link_text(described.trim())
        };
        text = format!("{text} Source: [{link_text}]({SOURCE_LOCATION_ID}).");
    }
    if let Some(runs_in) = &finding.runs_in {
        let why = format!(
            "{} is {}: {}",
            finding.path,
            crate::class_description(runs_in.class),
            runs_in.reason
        );
        text = format!("{text} {}", sentence(&why));
    }
    text
}

/// `text` as the text of a SARIF embedded link (§3.11.6): literal square
/// brackets, and for consistency backslashes, escaped with a backslash.
fn escape_link_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Ends `text` with a full stop unless it already ends a sentence: SARIF's
/// guidance is that every message is one or more complete sentences.
fn sentence(text: &str) -> String {
    let trimmed = text.trim_end();
    if trimmed.ends_with(['.', '!', '?']) {
        trimmed.to_string()
    } else {
        format!("{trimmed}.")
    }
}

/// Percent-encodes `bytes` for a URI path: everything but RFC 3986
/// "unreserved" characters and `/` is encoded. Sub-delimiters and `:` would
/// be legal in most places, but a `:` in a relative reference's first segment
/// reads as a scheme, and `#`, `?` and `%` end or escape the path, so the
/// simple rule is also the safe one.
fn encode_path(bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// A `/`-separated path relative to the scan root as a relative URI reference.
fn relative_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    encode_path(path.as_bytes(), &mut out);
    out
}

/// An absolute path as a `file:` URI (`file:///abs/path`).
fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    #[cfg(unix)]
    {
        // The raw bytes, so that a non-UTF-8 file name still round-trips.
        use std::os::unix::ffi::OsStrExt;
        encode_path(path.as_os_str().as_bytes(), &mut out);
    }
    #[cfg(not(unix))]
    {
        let text = path.to_string_lossy().replace('\\', "/");
        let text = text.strip_prefix("//?/").unwrap_or(&text);
        // `C:/x` → `file:///C:/x`: the drive's colon stays as it is, as every consumer expects.
        let bytes = text.as_bytes();
        if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
            out.push('/');
            out.push(char::from(bytes[0]));
            out.push(':');
            encode_path(&bytes[2..], &mut out);
        } else {
            encode_path(bytes, &mut out);
        }
    }
    out
}

/// [`file_uri`] with the trailing slash that makes it a base for relative references.
fn directory_file_uri(path: &Path) -> String {
    let mut uri = file_uri(path);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_uris_are_percent_encoded_per_rfc_3986() {
        assert_eq!(relative_uri("src/config.ts"), "src/config.ts");
        assert_eq!(relative_uri("my dir/a b.rs"), "my%20dir/a%20b.rs");
        assert_eq!(relative_uri("100%/x#1?.js"), "100%25/x%231%3F.js");
        assert_eq!(relative_uri("src/café/ü.ts"), "src/caf%C3%A9/%C3%BC.ts");
        assert_eq!(relative_uri("a:b/c"), "a%3Ab/c");
        assert_eq!(relative_uri("emoji/😀.js"), "emoji/%F0%9F%98%80.js");
        assert_eq!(relative_uri("keep-._~/ok"), "keep-._~/ok");
        assert_eq!(
            relative_uri("[x]+(y)&z=1;@!$',*"),
            "%5Bx%5D%2B%28y%29%26z%3D1%3B%40%21%24%27%2C%2A"
        );
    }

    #[cfg(unix)]
    #[test]
    fn root_uris_are_absolute_encoded_and_end_with_a_slash() {
        assert_eq!(directory_file_uri(Path::new("/work/my app")), "file:///work/my%20app/");
        assert_eq!(directory_file_uri(Path::new("/work/app/")), "file:///work/app/");
        assert_eq!(directory_file_uri(Path::new("/")), "file:///");
        assert_eq!(file_uri(Path::new("/tmp/é#1")), "file:///tmp/%C3%A9%231");
    }

    #[test]
    fn link_text_escapes_brackets_and_backslashes() {
        assert_eq!(
            escape_link_text("`token` from the response"),
            "`token` from the response"
        );
        assert_eq!(escape_link_text(r"a[0] \ b"), r"a\[0\] \\ b");
    }

    #[test]
    fn messages_become_sentences() {
        assert_eq!(sentence("token in log"), "token in log.");
        assert_eq!(sentence("done."), "done.");
        assert_eq!(sentence("really? "), "really?");
    }
}
