//! End-to-end tests of the `miroguard` binary: exit codes, configuration
//! errors, bad input of every kind, output snapshots, determinism, and the
//! SARIF validator.

#[path = "../crates/miroguard_report/tests/support/sarif_validator.rs"]
mod sarif_validator;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_miroguard");

/// A secret that must never appear in output unless `--show-secrets` is given.
// miroguard-ignore[hardcoded-secret]: a fake credential in the provider's format, for this test
const TS_SECRET: &str = "zymMlopiWfqUyHRSIf8NFmAUNLnY5Yx0";

fn data_app() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/app")
        .canonicalize()
        .expect("tests/data/app exists")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("miroguard runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A temporary project directory with `files` written into it.
fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let path = dir.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dirs");
        }
        std::fs::write(path, content).expect("write file");
    }
    dir
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

fn notification_kinds(report: &serde_json::Value) -> Vec<String> {
    report["notifications"]
        .as_array()
        .expect("notifications")
        .iter()
        .map(|n| n["kind"].as_str().unwrap_or("").to_string())
        .collect()
}

fn finding_paths(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["path"].as_str().unwrap_or("").to_string())
        .collect()
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_codes_follow_fail_on() {
    let clean = project(&[("src/a.ts", b"export const x = process.env.API_KEY;\n")]);
    assert_eq!(run(clean.path(), &[]).status.code(), Some(0));

    let dirty = project(&[(
        "src/a.ts",
        format!("export const apiKey = \"{TS_SECRET}\";\n").as_bytes(),
    )]);
    assert_eq!(
        run(dirty.path(), &[]).status.code(),
        Some(1),
        "an error fails by default"
    );
    assert_eq!(run(dirty.path(), &["--fail-on", "never"]).status.code(), Some(0));
    assert_eq!(
        run(dirty.path(), &["scan", ".", "--fail-on", "error"]).status.code(),
        Some(1)
    );

    // A test-code finding is a warning: it fails at `warning` but not at `error`.
    let warning_only = project(&[(
        "tests/a.test.ts",
        format!("const apiKey = \"{TS_SECRET}\";\n").as_bytes(),
    )]);
    assert_eq!(run(warning_only.path(), &[]).status.code(), Some(1));
    assert_eq!(run(warning_only.path(), &["--fail-on", "error"]).status.code(), Some(0));
}

#[test]
fn usage_errors_exit_2() {
    let dir = project(&[]);
    assert_eq!(run(dir.path(), &["--no-such-flag"]).status.code(), Some(2));
    assert_eq!(run(dir.path(), &["--format", "xml"]).status.code(), Some(2));
    assert_eq!(run(dir.path(), &["explain", "no-such-rule"]).status.code(), Some(2));
    let missing = run(dir.path(), &["scan", "does-not-exist"]);
    assert_eq!(missing.status.code(), Some(2), "a path that does not exist is an error");
    assert!(stdout(&missing).contains("does-not-exist"), "{}", stdout(&missing));
}

// ---------------------------------------------------------------- configuration

#[test]
fn bad_config_exits_2_with_file_line_and_column() {
    let cases: &[(&str, &str, &str)] = &[
        ("exclude = []\n\n[rulez]\nx = 1\n", ":3:", "unknown field `rulez`"),
        ("[rules]\nhardcoded-secret = \"loud\"\n", ":2:20:", "loud"),
        (
            "[rules]\nno-such-rule = \"off\"\n",
            ":2:1:",
            "unknown rule `no-such-rule`",
        ),
        ("[secrets]\nallowlist = [\"(unclosed\"]\n", ":2:14:", "invalid regex"),
        (
            "[[secrets.detectors]]\nid = \"acme\"\ntitle = \"ACME key\"\nregex = \"acme_[a-z\"\n",
            ":4:9:",
            "invalid regex",
        ),
        (
            "[[secrets.detectors]]\nid = \"acme\"\ntitle = \"t\"\nregex = \"x\"\nvalidate = \"nope\"\n",
            ":5:12:",
            "unknown validation",
        ),
    ];
    for (config, location, message) in cases {
        let dir = project(&[(".miroguard.toml", config.as_bytes()), ("a.js", b"let a = 1;\n")]);
        let output = run(dir.path(), &[]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{config:?}: {err}");
        assert!(err.contains(&format!(".miroguard.toml{location}")), "{config:?}: {err}");
        assert!(err.contains(message), "{config:?}: {err}");
    }
}

#[test]
fn config_levels_excludes_allowlists_and_custom_detectors() {
    let config = r#"
exclude = ["vendor/"]

[rules]
hardcoded-secret = "note"

[secrets]
allowlist = ["y3Rnj.*"]

[[secrets.detectors]]
id = "acme-key"
title = "ACME API key"
regex = '''acme_[a-z0-9]{24}'''
keywords = ["acme_"]
"#;
    let dir = project(&[
        (".miroguard.toml", config.as_bytes()),
        (
            "src/a.ts",
            format!("const apiKey = \"{TS_SECRET}\";\nconst other = \"acme_0123456789abcdefghijklmn\";\n").as_bytes(),
        ),
        ("src/b.ts", b"const apiSecret = \"y3RnjDQl2Kvf8THRXfEuzcrJaBnx7IfD\";\n"),
        ("vendor/c.ts", format!("const apiKey = \"{TS_SECRET}\";\n").as_bytes()),
    ]);
    let output = run(dir.path(), &["--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "notes do not fail at the default --fail-on"
    );
    let report = json(&output);
    let findings = report["findings"].as_array().expect("findings");
    let summary: Vec<(String, String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["detector"].as_str().unwrap_or("").into(),
                f["severity"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("src/a.ts".into(), "generic".into(), "note".into()),
            ("src/a.ts".into(), "acme-key".into(), "note".into())
        ]
    );
}

// ---------------------------------------------------------------- bad input

#[test]
fn bad_input_is_reported_and_the_scan_goes_on() {
    let deep_js = format!(
        "const apiKey = \"{TS_SECRET}\";\nconst deep = {}1{};\n",
        "f(".repeat(10_000),
        ")".repeat(10_000)
    );
    let deep_rs = format!(
        "fn main() {{\n    let api_key = \"y3RnjDQl2Kvf8THRXfEuzcrJaBnx7IfD\";\n    let x = {}1{};\n}}\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    // Minified code: one name bound thousands of times, each binding naming
    // the last. Rules that follow names must stay linear on it.
    let mut bundle = String::from("var jwt=require(\"jsonwebtoken\");");
    for i in 0..3_000 {
        bundle.push_str(&format!(
            "var e=e+\"https://api.miro.com/v2/{i}\",t=e;fetch(e,{{url:t}});localStorage.setItem(\"token\",t);jwt.sign(p,t);"
        ));
    }
    let mut invalid_utf8 = b"MIRO_CLIENT_SECRET=H5mMDdwin86TkVYCM7l8GQlc\nNAME=caf\xe9\n".to_vec();
    invalid_utf8.extend_from_slice(b"\xff\xfe\n");
    let dir = project(&[
        (
            "good.ts",
            format!("export const apiKey = \"{TS_SECRET}\";\n").as_bytes(),
        ),
        (
            "broken.ts",
            b"const apiToken = \"hbkER0Af7BOfjtNayviHzm5YdOnCqIz0Wiw8SE7d\";\nfunction (( {\n",
        ),
        (
            "broken.rs",
            b"fn main() {\n    let api_key = \"iV3TMXVjM8AhghjsllAjQq\";\n    if x {\n",
        ),
        ("deep.js", deep_js.as_bytes()),
        ("deep.rs", deep_rs.as_bytes()),
        ("bundle.js", bundle.as_bytes()),
        ("latin1.env", &invalid_utf8),
        (
            "logo.png",
            // miroguard-ignore[hardcoded-secret]: a fake credential in the provider's format, for this test
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR ghp_uQG3JSr3lpxGut6VkYi3EU5qFWjxOlHCsHO4",
        ),
    ]);
    // 50 MB of text: skipped as too large.
    std::fs::write(dir.path().join("huge.txt"), "a".repeat(50 << 20)).expect("write huge file");
    // A symlink loop, and a file that cannot be read.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("loop_b", dir.path().join("loop_a")).expect("symlink");
        std::os::unix::fs::symlink("loop_a", dir.path().join("loop_b")).expect("symlink");
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.path().join("locked.env");
        std::fs::write(&locked, b"API_TOKEN=RVkGYZC7nqV2VADJHONXO1WM\n").expect("write");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    }

    let output = run(dir.path(), &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    let report = json(&output);
    let paths = finding_paths(&report);
    for expected in [
        "good.ts",
        "broken.ts",
        "broken.rs",
        "deep.js",
        "deep.rs",
        "bundle.js",
        "latin1.env",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "no finding in {expected}: {paths:?}"
        );
    }
    assert!(!paths.iter().any(|p| p == "logo.png"), "binary files are skipped");
    let kinds = notification_kinds(&report);
    let notes: Vec<(String, String)> = report["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["path"].as_str().unwrap_or("").to_string(),
                n["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for (path, kind) in [
        ("broken.ts", "syntax-error"),
        ("broken.rs", "syntax-error"),
        ("deep.rs", "too-deep"),
        ("deep.js", "too-deep"),
        ("latin1.env", "invalid-utf8"),
        ("logo.png", "binary"),
        ("huge.txt", "too-large"),
    ] {
        assert!(
            notes.contains(&(path.to_string(), kind.to_string())),
            "no {kind} notification for {path}: {notes:?}"
        );
    }
    #[cfg(unix)]
    {
        assert!(
            notes.contains(&("loop_a".to_string(), "symlink".to_string())),
            "{notes:?}"
        );
        let locked_readable = std::fs::read(dir.path().join("locked.env")).is_ok();
        if locked_readable {
            // Running as root: permissions do not stop reads, so the file is scanned.
            assert!(paths.iter().any(|p| p == "locked.env"), "{paths:?}");
        } else {
            assert!(
                notes.contains(&("locked.env".to_string(), "unreadable".to_string())),
                "{notes:?}"
            );
        }
        // Named on the command line, the loop cannot be read: an error, exit 2, other files still scanned.
        let explicit = run(dir.path(), &["--format", "json", "loop_a", "good.ts"]);
        assert_eq!(explicit.status.code(), Some(2));
        let report = json(&explicit);
        assert!(notification_kinds(&report).contains(&"unreadable".to_string()));
        assert_eq!(finding_paths(&report), ["good.ts"]);
    }
    assert!(kinds.iter().all(|k| !k.is_empty()));
}

#[test]
fn generated_files_and_lockfiles_are_skipped_unless_asked() {
    let secret_line = format!("const apiKey = \"{TS_SECRET}\";\n");
    let dir = project(&[
        ("dist/bundle.js", secret_line.as_bytes()),
        ("node_modules/pkg/index.js", secret_line.as_bytes()),
        ("public/app.min.js", secret_line.as_bytes()),
        (
            "package-lock.json",
            // miroguard-ignore[hardcoded-secret]: a fake credential in the provider's format, for this test
            b"{\"integrity\": \"sha512-AKIALAKPSA4OA673I4BY\", \"apiKey\": \"zymMlopiWfqUyHRSIf8NFmAUNLnY5Yx0\"}\n",
        ),
        (".hidden/config.js", secret_line.as_bytes()),
        ("ignored/x.js", secret_line.as_bytes()),
        (".gitignore", b"ignored/\n"),
        ("src/ok.js", b"export default 1;\n"),
    ]);
    let report = json(&run(dir.path(), &["--format", "json"]));
    assert!(finding_paths(&report).is_empty(), "{:?}", finding_paths(&report));

    let report = json(&run(dir.path(), &["--format", "json", "--include-generated"]));
    let mut paths = finding_paths(&report);
    paths.sort();
    assert_eq!(
        paths,
        ["dist/bundle.js", "node_modules/pkg/index.js", "public/app.min.js"]
    );

    let report = json(&run(dir.path(), &["--format", "json", "--no-ignore"]));
    assert_eq!(finding_paths(&report), ["ignored/x.js"]);

    // pre-commit passes file names: excluded or generated ones are skipped only with --force-exclude.
    let report = json(&run(dir.path(), &["--format", "json", "dist/bundle.js"]));
    assert_eq!(finding_paths(&report), ["dist/bundle.js"]);
    let report = json(&run(
        dir.path(),
        &[
            "--format",
            "json",
            "--force-exclude",
            "dist/bundle.js",
            "--exclude",
            "src/",
        ],
    ));
    assert!(finding_paths(&report).is_empty());
    // Lockfiles are never read by the secret detectors, even when named.
    let report = json(&run(dir.path(), &["--format", "json", "package-lock.json"]));
    assert!(finding_paths(&report).is_empty());
}

// ---------------------------------------------------------------- output

/// Replaces what changes between machines and runs: the root, the version,
/// the elapsed time, and the stage times and thread count in the JSON stats
/// (their keys stay, so the snapshot still shows the schema).
fn stable(text: &str, root: &Path) -> String {
    let text = text
        .replace(root.to_string_lossy().as_ref(), "[ROOT]")
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    let summary = regex::Regex::new(r"(?m)^(Scanned .*) in [0-9.]+ s:").expect("valid");
    let elapsed = regex::Regex::new(r#""elapsed_ms": [0-9]+"#).expect("valid");
    let stages = regex::Regex::new(r#"(?s)"stages": \{.*?\n    \}"#).expect("valid");
    let number = regex::Regex::new(r"[0-9]+").expect("valid");
    let text = summary.replace_all(&text, "$1 in [T] s:");
    let text = elapsed.replace_all(&text, "\"elapsed_ms\": [T]");
    stages
        .replace_all(&text, |found: &regex::Captures| {
            number.replace_all(&found[0], "[T]").into_owned()
        })
        .into_owned()
}

#[test]
fn output_snapshots() {
    let app = data_app();
    for (name, args) in [
        ("text", vec!["--verbose"]),
        ("json", vec!["--format", "json"]),
        ("sarif", vec!["--format", "sarif"]),
    ] {
        let output = run(&app, &args);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stderr(&output));
        let text = stdout(&output);
        assert!(!text.contains(TS_SECRET), "{name} output leaks a secret");
        insta::assert_snapshot!(format!("app_{name}"), stable(&text, &app));
    }
}

#[test]
fn stats_table_names_every_stage_and_counts_the_files() {
    let config = format!("export const apiKey = \"{TS_SECRET}\";\n");
    let server: &[u8] =
        b"fn main() {\n    let client = reqwest::Client::builder().danger_accept_invalid_certs(true).build();\n}\n";
    let dir = project(&[
        ("src/config.ts", config.as_bytes()),
        ("server/main.rs", server),
        ("notes.md", b"Nothing to see here.\n"),
        ("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
    ]);
    let output = run(
        dir.path(),
        &["scan", "--stats", "--format", "json", "--fail-on", "never"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // The table goes to stderr: stdout is still exactly one JSON document.
    let report = json(&output);
    let stats = &report["stats"];
    let table = stderr(&output);

    assert!(table.contains("\"thread s\" is per-file work summed over"), "{table}");
    assert!(table.contains("\"wall s\" is elapsed time"), "{table}");
    for stage in [
        "walk",
        "read",
        "classify",
        "prefilter",
        "parse",
        "rules",
        "finalize",
        "report",
        "files",
        "total",
    ] {
        let row = regex::Regex::new(&format!(
            r"(?m)^  {stage} +(-|[0-9]+\.[0-9]{{3}}) +(-|[0-9]+\.[0-9]{{3}})"
        ))
        .expect("valid");
        assert!(row.is_match(&table), "no row for {stage}:\n{table}");
    }
    // Three files checked: the TypeScript and Rust files parsed, the notes
    // lexically; the PNG skipped as binary.
    assert!(
        table.contains("Files: 3 scanned (2 parsed, 1 lexical only), 1 skipped (binary, too large, unreadable)."),
        "{table}"
    );
    let findings = report["findings"].as_array().expect("findings").len();
    assert!(findings >= 2, "{}", stdout(&output));
    assert!(table.contains(&format!("; {findings} findings.")), "{table}");
    assert_eq!(
        (&stats["files_scanned"], &stats["files_parsed"], &stats["files_skipped"]),
        (&3.into(), &2.into(), &1.into())
    );
    // The JSON has the same stages, in milliseconds.
    for (group, keys) in [
        ("wall_ms", &["walk", "files", "classify", "resolve"][..]),
        (
            "thread_ms",
            &["walk", "read", "classify", "prefilter", "parse", "rules", "finalize"][..],
        ),
    ] {
        for key in keys {
            assert!(stats["stages"][group][key].is_u64(), "stages.{group}.{key}: {stats}");
        }
    }
    assert!(stats["stages"]["threads"].as_u64().is_some_and(|n| n >= 1), "{stats}");

    // Each parse is put down to the first rule whose lexical tier asked for it.
    assert_eq!(
        stats["parsed_for"],
        serde_json::json!({
            "client-secret-in-browser-code": { "files": 1, "bytes": config.len() },
            "tls-verification-disabled": { "files": 1, "bytes": server.len() },
        })
    );
    let row = regex::Regex::new(&format!(
        r"(?m)^  tls-verification-disabled +1 file +{} bytes$",
        server.len()
    ))
    .expect("valid");
    assert!(
        table.contains("Parsed for (the first rule whose lexical tier asked):"),
        "{table}"
    );
    assert!(row.is_match(&table), "{table}");
    // With --parse-all no rule asked.
    let forced = run(
        dir.path(),
        &["scan", "--parse-all", "--format", "json", "--fail-on", "never"],
    );
    let forced = json(&forced);
    assert_eq!(forced["stats"]["files_parsed"], 2);
    assert_eq!(forced["stats"]["parsed_for"], serde_json::json!({}));

    // Without --stats there is no table.
    let quiet = run(dir.path(), &["scan", "--format", "json", "--fail-on", "never"]);
    assert!(!stderr(&quiet).contains("thread s"), "{}", stderr(&quiet));
}

#[test]
fn secrets_are_redacted_unless_asked() {
    let app = data_app();
    for format in ["text", "json", "sarif"] {
        let hidden = stdout(&run(&app, &["--format", format]));
        assert!(!hidden.contains(TS_SECRET), "{format} leaks the secret");
        assert!(
            !hidden.contains("y3RnjDQl2Kvf8THRXfEuzcrJaBnx7IfD"),
            "{format} leaks the .env secret"
        );
        let shown = stdout(&run(&app, &["--format", format, "--show-secrets"]));
        assert!(shown.contains(TS_SECRET), "{format} --show-secrets hides the secret");
    }
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .canonicalize()
        .expect("fixtures");
    let one = stdout(&run(&fixtures, &["--format", "sarif", "--threads", "1"]));
    let four = stdout(&run(&fixtures, &["--format", "sarif", "--threads", "4"]));
    assert!(one.len() > 1000);
    assert_eq!(one, four);
}

#[test]
fn output_file_and_colour() {
    let app = data_app();
    let out_dir = tempfile::tempdir().expect("temp dir");
    let target = out_dir.path().join("report.sarif");
    let output = run(&app, &["--format", "sarif", "-o", target.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    assert!(stderr(&output).contains("written to"));
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).expect("report written")).expect("valid JSON");
    assert_eq!(sarif["version"], "2.1.0");

    let plain = stdout(&run(&app, &[]));
    assert!(!plain.contains('\x1b'), "no colour when not a terminal");
    let coloured = stdout(&run(&app, &["--color", "always"]));
    assert!(coloured.contains('\x1b'), "--color always colours");
}

#[test]
fn rules_and_explain() {
    let dir = project(&[]);
    let list = stdout(&run(dir.path(), &["rules"]));
    assert!(list.contains("hardcoded-secret") && list.contains("R-DATA-2"), "{list}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(dir.path(), &["rules", "--format", "json"]))).expect("json");
    assert!(
        json.as_array()
            .expect("array")
            .iter()
            .any(|r| r["id"] == "hardcoded-secret")
    );
    let explain = stdout(&run(dir.path(), &["explain", "hardcoded-secret"]));
    assert!(
        explain.contains("## Why is this bad?") && explain.contains("CWE-798"),
        "{explain}"
    );
    let version = stdout(&run(dir.path(), &["--version"]));
    assert!(version.starts_with("miroguard "), "{version}");
}

// ---------------------------------------------------------------- SARIF validator

/// Validates the fixtures' SARIF with Microsoft's SARIF Multitool when
/// `MIROGUARD_SARIF_MULTITOOL` names it (the test command installs it);
/// with `MIROGUARD_REQUIRE_EXTERNAL=1` a missing validator fails the test.
#[test]
fn fixtures_sarif_passes_the_sarif_multitool() {
    let Some(validator) = sarif_validator::validator() else {
        return;
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .canonicalize()
        .expect("fixtures");
    let output = run(&fixtures, &["--format", "sarif"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let reported = sarif_validator::validate(&validator, &stdout(&output));
    for item in reported.iter().filter(|item| item.level != "error") {
        println!("validator {} {}: {}", item.level, item.rule, item.text);
    }
    let errors = sarif_validator::errors(&reported);
    assert!(errors.is_empty(), "SARIF Multitool errors:\n{}", errors.join("\n"));
}

// ---------------------------------------------------------------- classification

#[test]
fn classify_output_snapshots() {
    let projects = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/projects")
        .canonicalize()
        .expect("projects");
    for project in ["next-app", "vite-react-panel"] {
        let dir = projects.join(project);
        let text = run(&dir, &["classify"]);
        assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
        insta::assert_snapshot!(format!("classify_{project}_text"), stdout(&text));
        let json = run(&dir, &["classify", "--format", "json"]);
        let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("classify JSON");
        assert!(value["files"].as_array().is_some_and(|files| !files.is_empty()));
        insta::assert_snapshot!(format!("classify_{project}_json"), stdout(&json));
    }
}

#[test]
fn classification_does_not_depend_on_where_the_scan_starts() {
    let projects = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/projects")
        .canonicalize()
        .expect("projects");
    // (file below the project, class, first words of the deciding reason)
    let classes = |dir: &Path, target: &str, name_of: &dyn Fn(&str) -> String| -> Vec<(String, String, String)> {
        let output = run(dir, &["classify", "--format", "json", target]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("classify JSON");
        let mut files: Vec<(String, String, String)> = value["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|file| {
                let first_reason = file["reasons"][0].as_str().unwrap_or_default();
                // Reasons name other files: keep only what kind of reason it is.
                let kind = first_reason.split(' ').take(2).collect::<Vec<_>>().join(" ");
                let path = name_of(file["path"].as_str().unwrap_or_default());
                (path, file["class"].as_str().unwrap_or_default().to_string(), kind)
            })
            .collect();
        files.sort();
        files
    };
    let below_project = |path: &str| {
        path.rsplit_once("vite-react-panel/")
            .map_or(path, |(_, rest)| rest)
            .to_string()
    };
    let project = projects.join("vite-react-panel");
    let from_inside = classes(&project, ".", &below_project);
    assert!(
        from_inside.iter().any(|(_, _, kind)| kind == "loaded by"),
        "{from_inside:?}"
    );
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let absolute = project.to_string_lossy().into_owned();
    assert_eq!(classes(elsewhere.path(), &absolute, &below_project), from_inside);
    assert_eq!(classes(&projects, "vite-react-panel", &below_project), from_inside);
    // From `src/`, files above it are shown by their absolute paths.
    let from_src = |path: &str| {
        if path.starts_with('/') {
            below_project(path)
        } else {
            format!("src/{path}")
        }
    };
    assert_eq!(classes(&project.join("src"), "..", &from_src), from_inside);
}

#[test]
fn findings_that_depend_on_the_runtime_say_why() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/projects/vite-react-panel")
        .canonicalize()
        .expect("project");
    let report = json(&run(&project, &["--format", "json", "--fail-on", "never"]));
    let findings = report["findings"].as_array().expect("findings");
    let board = findings
        .iter()
        .find(|f| f["rule"] == "oauth-token-in-browser" && f["path"] == "src/board.tsx")
        .expect("an oauth-token-in-browser finding in src/board.tsx");
    assert_eq!(board["runs_in"]["class"], "browser");
    assert_eq!(board["runs_in"]["reason"], "uses the Miro Web SDK (miro.board)");
    assert!(
        findings
            .iter()
            .filter(|f| f["rule"] == "dotenv-file-committed")
            .all(|f| f["runs_in"].is_null())
    );
    let text = stdout(&run(&project, &["--fail-on", "never"]));
    assert!(
        text.contains("= src/board.tsx is browser code: uses the Miro Web SDK (miro.board)"),
        "{text}"
    );
    // Code scanning shows only the message: it says why too.
    let sarif = stdout(&run(&project, &["--format", "sarif", "--fail-on", "never"]));
    assert!(
        sarif.contains("src/board.tsx is browser code: uses the Miro Web SDK (miro.board)."),
        "{sarif}"
    );
}

// ------------------------------------------------------------------ baselines

#[test]
fn baselines_hide_accepted_findings_until_the_secret_changes() {
    // miroguard-ignore[hardcoded-secret]: a fake token in the provider's format, for this test
    let token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    let source = format!("const GITHUB_TOKEN = \"{token}\";\n");
    let dir = project(&[("src/config.js", source.as_bytes())]);
    let written = run(dir.path(), &["baseline", "-o", "baseline.json"]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(
        stderr(&written).contains("1 findings (1 baseline entries)"),
        "{}",
        stderr(&written)
    );
    let baseline = std::fs::read_to_string(dir.path().join("baseline.json")).expect("baseline written");
    assert!(!baseline.contains(token), "the baseline must not hold the secret");

    let scan = |dir: &Path| run(dir, &["scan", "--baseline", "baseline.json", "--format", "json"]);
    let quiet = scan(dir.path());
    assert_eq!(quiet.status.code(), Some(0), "{}", stdout(&quiet));
    assert!(finding_paths(&json(&quiet)).is_empty());

    // Code above it moves it down: still accepted.
    let moved = format!("// settings\n\n{source}");
    std::fs::write(dir.path().join("src/config.js"), &moved).expect("write");
    assert!(finding_paths(&json(&scan(dir.path()))).is_empty());

    // A new secret is reported, and the old entry no longer matches.
    let edited = moved.replace("0123456789", "9876543210");
    std::fs::write(dir.path().join("src/config.js"), edited).expect("write");
    let report = json(&scan(dir.path()));
    assert_eq!(finding_paths(&report), ["src/config.js"]);
    let stale: Vec<&str> = report["notifications"]
        .as_array()
        .expect("notifications")
        .iter()
        .filter_map(|n| n["message"].as_str())
        .filter(|m| m.contains("baseline entry"))
        .collect();
    assert_eq!(stale.len(), 1, "{report}");
}

#[test]
fn a_broken_baseline_exits_2_with_its_place() {
    let dir = project(&[
        ("a.js", b"const a = 1;\n"),
        ("b.json", b"{\n  \"version\": 1,\n  \"entries\": 3\n}\n"),
    ]);
    let output = run(dir.path(), &["scan", "--baseline", "b.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("b.json:3:"), "{}", stderr(&output));
}

// ------------------------------------------------------------ changed lines

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
}

#[test]
fn changed_since_reports_only_findings_on_changed_lines() {
    let token = |n: &str| format!("ghp_abcdefghijklmnopqrstuvwxyz012345{n}");
    let old = format!("const OLD_TOKEN = \"{}\";\n", token("6789"));
    let dir = project(&[("src/a.js", old.as_bytes())]);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["config", "user.email", "dev@example.com"]);
    git(dir.path(), &["config", "user.name", "Dev"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "old"]);
    let changed = format!("// header\n{old}const NEW_TOKEN = \"{}\";\n", token("9876"));
    std::fs::write(dir.path().join("src/a.js"), changed).expect("write");

    let all = json(&run(dir.path(), &["scan", "--format", "json"]));
    assert_eq!(finding_paths(&all).len(), 2);
    let output = run(dir.path(), &["scan", "--changed-since", "HEAD", "--format", "json"]);
    let report = json(&output);
    let lines: Vec<u64> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["start"]["line"].as_u64())
        .collect();
    assert_eq!(lines, [3], "only the new token's line changed");

    let bad = run(dir.path(), &["scan", "--changed-since", "no-such-ref"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--changed-since no-such-ref"), "{}", stderr(&bad));
}

#[test]
fn changed_since_outside_a_git_repository_is_a_clear_error() {
    let dir = project(&[("a.js", b"const a = 1;\n")]);
    let output = run(dir.path(), &["scan", "--changed-since", "main"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is not in a git repository"),
        "{}",
        stderr(&output)
    );
}
