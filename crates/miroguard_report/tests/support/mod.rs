//! Reports for the reporter tests, built the way the engine builds them:
//! positions from a `LineIndex` over a whole file, snippets of whole lines
//! with every secret on them listed as a redaction.

#![allow(dead_code)] // each test binary uses a different part of this module

pub mod sarif_validator;

use miroguard_core::redact::redact;
use miroguard_core::{
    EnabledRule, FileTimes, Finding, FlowStep, LineIndex, Notification, NotificationKind, ParsedFor, Position,
    Precision, RuleMeta, ScanReport, ScanStats, Severity, Snippet, Span, StageTimes, WallTimes,
};
use std::path::PathBuf;
use std::time::Duration;

/// A GitHub-token-shaped canary, built from pieces so that no secret scanner
/// (ours included) reads it as a credential in this source file.
pub fn canary() -> String {
    ["ghp_", "Canary", "Leak7Q2", "wXyZ0123", "456789abcdef", "XYZ"].concat()
}

/// A second canary, for a `.env` line that holds two secrets.
pub fn canary_two() -> String {
    ["sk_live_", "CanaryTwo", "Zq81Lm04", "Pp77Rr55"].concat()
}

/// A third canary: a password in a URL.
pub fn canary_three() -> String {
    ["Cnry", "Pw-", "9f3K1x"].concat()
}

pub fn rule(
    id: &str,
    title: &str,
    severity: Severity,
    precision: Precision,
    score: f32,
    guideline: Option<&str>,
    cwe: &[&str],
) -> EnabledRule {
    EnabledRule {
        meta: RuleMeta {
            id: id.into(),
            title: title.into(),
            description: format!("{title}: what it finds, and why it matters to a Miro app."),
            severity,
            precision,
            security_severity: Some(score),
            guideline: guideline.map(Into::into),
            cwe: cwe.iter().map(|cwe| cwe.to_string()).collect(),
            tags: vec![],
            languages: vec!["rust".into(), "javascript".into(), "typescript".into()],
            help: format!(
                "## What it does\n\nFinds {}.\n\n## How to fix it\n\nSee the guideline.\n",
                title.to_lowercase()
            ),
            supersedes: vec![],
        },
        severity,
    }
}

pub fn rules() -> Vec<EnabledRule> {
    vec![
        rule(
            "hardcoded-secret",
            "Hardcoded secret",
            Severity::Error,
            Precision::High,
            8.5,
            Some("R-DATA-2"),
            &["CWE-798"],
        ),
        rule(
            "secret-in-log",
            "Secret written to a log",
            Severity::Warning,
            Precision::Medium,
            6.5,
            Some("R-DATA-4"),
            &["CWE-532"],
        ),
        rule(
            "weak-crypto",
            "Weak cryptographic algorithm",
            Severity::Warning,
            Precision::High,
            5.0,
            None,
            &["CWE-327", "CWE-328"],
        ),
    ]
}

/// Completes `finding` as the engine does: path, positions (the flow steps'
/// too), a snippet of the span's lines plus `context` lines either side, and
/// every span in `secrets` that falls in the snippet as a redaction.
pub fn place(
    mut finding: Finding,
    path: &str,
    text: &str,
    context: usize,
    secrets: &[Span],
    fingerprint: &str,
) -> Finding {
    let index = LineIndex::new(text);
    finding.path = path.into();
    finding.start = index.position(text, finding.span.start);
    finding.end = index.position(text, finding.span.end);
    for step in &mut finding.flow {
        step.start = index.position(text, step.span.start);
        step.end = index.position(text, step.span.end);
    }
    finding.fingerprint = fingerprint.into();
    let first = index.line_of(finding.span.start).saturating_sub(context);
    // The "line" after a file's final newline is empty and never shown.
    let line_count = if text.ends_with('\n') {
        index.line_count() - 1
    } else {
        index.line_count()
    };
    let last = (index.line_of(finding.span.end) + context).min(line_count - 1);
    let start = index.line_span(first).start;
    let end = index.line_content_span(text, last).end;
    let redactions = secrets
        .iter()
        .filter(|span| span.start >= start && span.end <= end)
        .map(|span| (Span::new(span.start - start, span.end - start), redact(span.text(text))))
        .collect();
    finding.snippet = Some(Snippet {
        first_line: first as u32 + 1,
        text: text[start..end].to_string(),
        highlight: Span::new(finding.span.start - start, finding.span.end - start),
        redactions,
        clipped: false,
    });
    finding
}

fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("needle in fixture text");
    Span::new(start, start + needle.len())
}

/// The span of `needle` at its first occurrence after `after`.
fn span_after(text: &str, after: &str, needle: &str) -> Span {
    let from = text.find(after).expect("anchor in fixture text");
    let start = from + text[from..].find(needle).expect("needle after the anchor");
    Span::new(start, start + needle.len())
}

/// A flow finding as a data-flow rule reports one: an access token from an
/// OAuth token response, copied into an object that is then logged. Three
/// steps: the source, the copy, and the sink, which is the finding itself.
pub fn flow_finding() -> Finding {
    let callback_ts = "import { logger } from \"../logger\";\nimport { exchangeCode } from \"./oauth\";\n\nexport async function handleCallback(req: Request, res: Response) {\n  const response = await exchangeCode(req.query.code);\n  const { accessToken } = response.data;\n  const tokens = { access: accessToken, scope: response.data.scope };\n  logger.info(\"signed in\", tokens);\n  res.redirect(\"/\");\n}\n";
    let sink = span_after(callback_ts, "logger.info(", "tokens");
    let finding = Finding::new(
        "secret-in-log",
        Severity::Warning,
        sink,
        "The OAuth access token from the token response is written to the log",
    )
    .with_detector("logger")
    .with_help("Log the user id or the token's scope instead of the token object.")
    .with_flow(vec![
        FlowStep::new(
            span_after(callback_ts, "const {", "accessToken"),
            "`accessToken` from the token response",
        ),
        FlowStep::new(span_after(callback_ts, "const ", "tokens"), "copied into `tokens`"),
        FlowStep::new(sink, "written to the log by `logger.info`"),
    ]);
    place(finding, "src/auth/callback.ts", callback_ts, 1, &[], "4d3c2b1a0f9e8d7c")
}

/// Stage times of a 210 ms scan on two threads: the wall times add up to it.
pub fn stages() -> StageTimes {
    let ms = Duration::from_millis;
    StageTimes {
        threads: 2,
        wall: WallTimes {
            walk: ms(12),
            files: ms(180),
            classify: ms(8),
            resolve: ms(10),
        },
        thread: FileTimes {
            walk: ms(1),
            read: ms(40),
            classify: ms(25),
            prefilter: ms(50),
            parse: ms(120),
            rules: ms(95),
            finalize: Duration::from_micros(19_500),
        },
    }
}

/// A report of the flow finding alone, for the flow snapshots.
pub fn flow_report() -> ScanReport {
    ScanReport {
        suppressed: Vec::new(),
        findings: vec![flow_finding()],
        rules: rules(),
        stats: ScanStats {
            files_scanned: 1,
            files_skipped: 0,
            files_parsed: 1,
            bytes_scanned: 321,
            elapsed: Duration::from_millis(12),
            ..ScanStats::default()
        },
        root: PathBuf::from("/home/dev/my app"),
        ..ScanReport::default()
    }
}

fn notification(
    kind: NotificationKind,
    level: Severity,
    path: &str,
    position: Option<(u32, u32)>,
    message: &str,
) -> Notification {
    let mut notification = Notification::new(kind, level, path, message);
    notification.position = position.map(|(line, column)| Position {
        line,
        column,
        column_utf16: column,
        offset: 0,
    });
    notification
}

/// The small report of the snapshot tests: three findings (one with a
/// secret), one notification of each level and a second skipped file.
pub fn small_report() -> ScanReport {
    let secret = canary();
    let config_ts = format!(
        "import {{ Client }} from \"@mirohq/miro-api\";\n\nconst GITHUB_TOKEN = \"{secret}\";\nexport const client = new Client({{ token: GITHUB_TOKEN }});\n"
    );
    let secret_span = span_of(&config_ts, &secret);
    let hardcoded = Finding::new(
        "hardcoded-secret",
        Severity::Error,
        secret_span,
        "GitHub personal access token assigned to `GITHUB_TOKEN`",
    )
    .with_detector("github-pat")
    .with_help("Read the token from an environment variable, and revoke this one: it is in the repository history.")
    .with_secret(secret.clone(), secret_span);
    let hardcoded = place(
        hardcoded,
        "src/config.ts",
        &config_ts,
        1,
        &[secret_span],
        "3f1c9a7e5b2d4c6a",
    );

    let webhook_ts = "app.post(\"/webhook\", (req, res) => {\n  console.log(\"auth\", req.headers.authorization);\n  res.sendStatus(204);\n});\n";
    let logged = Finding::new(
        "secret-in-log",
        Severity::Warning,
        span_of(webhook_ts, "req.headers.authorization"),
        "The `Authorization` header is written to the log",
    )
    .with_detector("console");
    let logged = place(logged, "src/routes/über uns.ts", webhook_ts, 0, &[], "9b8a7c6d5e4f3a2b");

    let hash_rs =
        "pub fn cache_key(email: &str) -> String {\n    format!(\"{:x}\", md5::compute(email.as_bytes()))\n}\n";
    let weak = Finding::new(
        "weak-crypto",
        Severity::Warning,
        span_of(hash_rs, "md5::compute"),
        "MD5 is broken for any security use",
    )
    .with_help("Use SHA-256 (`sha2::Sha256`), or a keyed hash if the key must not be guessable.");
    let weak = place(weak, "src/hash.rs", hash_rs, 0, &[], "0a1b2c3d4e5f6071");

    let mut findings = vec![weak, hardcoded, logged];
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    ScanReport {
        suppressed: Vec::new(),
        findings,
        notifications: vec![
            notification(
                NotificationKind::Binary,
                Severity::Note,
                "assets/logo.png",
                None,
                "skipped: binary file",
            ),
            notification(
                NotificationKind::TooLarge,
                Severity::Note,
                "dist/bundle.min.js",
                None,
                "skipped: 4.2 MB is larger than --max-file-size (1.0 MB)",
            ),
            notification(
                NotificationKind::SyntaxError,
                Severity::Warning,
                "src/broken.ts",
                Some((4, 1)),
                "syntax error: expected `)`, found `;`; the rest of the file was analysed",
            ),
            notification(
                NotificationKind::Unreadable,
                Severity::Error,
                "vendor/locked.js",
                None,
                "cannot read: permission denied (os error 13)",
            ),
        ],
        rules: rules(),
        stats: ScanStats {
            files_scanned: 12,
            files_skipped: 3,
            files_parsed: 5,
            parsed_for: [
                (
                    "hardcoded-secret",
                    ParsedFor {
                        files: 4,
                        bytes: 200_000,
                    },
                ),
                (
                    "weak-hash",
                    ParsedFor {
                        files: 1,
                        bytes: 34_567,
                    },
                ),
            ]
            .into_iter()
            .map(|(rule, parsed)| (rule.to_string(), parsed))
            .collect(),
            bytes_scanned: 1_234_567,
            elapsed: Duration::from_millis(210),
            stages: stages(),
        },
        root: PathBuf::from("/home/dev/my app"),
    }
}

/// The small report plus what stresses the formats: a line with two secrets
/// (each finding's snippet redacts both), a secret spanning its whole
/// highlight inside a URL, paths with `%`, `#` and non-ASCII characters, a
/// finding without a snippet, a finding of a rule the report does not list,
/// a note that is not a skipped file, a notification without a path, and
/// a flow finding.
pub fn large_report() -> ScanReport {
    let mut report = small_report();
    let (one, two) = (canary(), canary_two());
    let env = format!("# production\nGITHUB_TOKEN={one} STRIPE_KEY={two}\n");
    let (span_one, span_two) = (span_of(&env, &one), span_of(&env, &two));
    let secrets = [span_one, span_two];
    let first = Finding::new(
        "hardcoded-secret",
        Severity::Error,
        span_one,
        "GitHub personal access token assigned to `GITHUB_TOKEN`",
    )
    .with_detector("github-pat")
    .with_secret(one.clone(), span_one);
    let second = Finding::new(
        "hardcoded-secret",
        Severity::Error,
        span_two,
        "Stripe live secret key assigned to `STRIPE_KEY`",
    )
    .with_detector("stripe")
    .with_secret(two.clone(), span_two);
    report.findings.push(place(
        first,
        "config/prod settings/100%#1.env",
        &env,
        1,
        &secrets,
        "aa11bb22cc33dd44",
    ));
    report.findings.push(place(
        second,
        "config/prod settings/100%#1.env",
        &env,
        1,
        &secrets,
        "ee55ff6600770088",
    ));

    let password = canary_three();
    let db_rs = format!("const DATABASE_URL: &str = \"postgres://app:{password}@db.internal:5432/app\";\n");
    let pw_span = span_of(&db_rs, &password);
    let url = Finding::new(
        "hardcoded-secret",
        Severity::Error,
        pw_span,
        "Password in a database URL",
    )
    .with_detector("url-password")
    .with_secret(password.clone(), pw_span);
    report.findings.push(place(
        url,
        "src/données/db.rs",
        &db_rs,
        0,
        &[pw_span],
        "1122334455667788",
    ));

    let mut bare = Finding::new(
        "weak-crypto",
        Severity::Note,
        Span::new(0, 4),
        "SHA-1 used for a cache key",
    )
    .with_detector("sha1");
    bare.path = "scripts/build?.mjs".into();
    bare.start = Position {
        line: 7,
        column: 3,
        column_utf16: 3,
        offset: 120,
    };
    bare.end = Position {
        line: 7,
        column: 7,
        column_utf16: 7,
        offset: 124,
    };
    bare.fingerprint = "99aa88bb77cc66dd".into();
    report.findings.push(bare);

    let emoji_js = "const label = \"😀\"; eval(userInput);\n";
    let eval = Finding::new(
        "unknown-rule",
        Severity::Warning,
        span_of(emoji_js, "eval(userInput)"),
        "`eval` of user input",
    );
    report
        .findings
        .push(place(eval, "src/ui/emoji 😀.js", emoji_js, 0, &[], "5566778899aabbcc"));
    report.findings.push(flow_finding());

    report.notifications.push(notification(
        NotificationKind::InvalidUtf8,
        Severity::Note,
        "legacy/latin1 ü.txt",
        Some((2, 5)),
        "not valid UTF-8; scanned with invalid bytes replaced",
    ));
    report.notifications.push(notification(
        NotificationKind::Config,
        Severity::Warning,
        "",
        None,
        "unknown rule `hardcoded-secrets` in .miroguard.toml",
    ));
    report.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report.notifications.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
}
