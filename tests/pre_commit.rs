//! The hooks in `.pre-commit-hooks.yaml`, run by the real `pre-commit`
//! (from PyPI; the test command installs it into `.cache/` and names it in
//! `MIROGUARD_PRE_COMMIT`) with `pre-commit try-repo` against a temporary git
//! repository, as a user's commit would run them. Without the variable the
//! test is skipped, unless `MIROGUARD_REQUIRE_EXTERNAL=1` makes that a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pre_commit() -> Option<PathBuf> {
    match std::env::var_os("MIROGUARD_PRE_COMMIT") {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => {
            assert!(
                std::env::var_os("MIROGUARD_REQUIRE_EXTERNAL").is_none_or(|v| v != "1"),
                "MIROGUARD_PRE_COMMIT is not set: run scripts/install-pre-commit.sh (scripts/test.sh does)"
            );
            None
        }
    }
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Stages `files` (path, content) in `dir` and runs the `miroguard-system` hook on the staged files.
fn commit_check(pre_commit: &Path, dir: &Path, home: &Path, files: &[(&str, &str)]) -> Output {
    for (path, content) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dirs");
        }
        std::fs::write(&path, content).expect("write file");
    }
    git(dir, &["add", "-A"]);
    let hooks_repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_miroguard")).parent().expect("binary dir");
    let path = std::env::join_paths(
        std::iter::once(bin_dir.to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("PATH joins");
    Command::new(pre_commit)
        .args(["try-repo"])
        .arg(&hooks_repo)
        .args(["miroguard-system", "--verbose", "--color", "never"])
        .current_dir(dir)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home)
        .env("NO_COLOR", "1")
        .output()
        .expect("pre-commit runs")
}

#[test]
fn the_hook_blocks_a_staged_secret_and_passes_clean_and_excluded_changes() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let work = tempfile::tempdir().expect("temp dir");
    let home = tempfile::tempdir().expect("temp dir");
    let dir = work.path();
    git(dir, &["init", "-q"]);
    git(dir, &["config", "user.email", "dev@example.com"]);
    git(dir, &["config", "user.name", "Dev"]);
    // A Miro access token in its real format (a fake one), built so that this file holds none.
    let token = format!("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_{}", "c2LufYNuydk9sgEWl2agE4aE-Yh");
    let config = ".miroguard.toml";

    let blocked = commit_check(
        &pre_commit,
        dir,
        home.path(),
        &[
            (config, "exclude = [\"vendor/\"]\n"),
            ("src/api.js", &format!("export const MIRO_TOKEN = \"{token}\";\n")),
        ],
    );
    let shown = String::from_utf8_lossy(&blocked.stdout).into_owned() + &String::from_utf8_lossy(&blocked.stderr);
    assert!(!blocked.status.success(), "the hook let a secret through:\n{shown}");
    assert!(
        shown.contains("hardcoded-secret") && shown.contains("src/api.js"),
        "{shown}"
    );
    assert!(!shown.contains(&token), "the hook printed the secret:\n{shown}");

    let clean = commit_check(
        &pre_commit,
        dir,
        home.path(),
        &[("src/api.js", "export const MIRO_TOKEN = process.env.MIRO_TOKEN;\n")],
    );
    let shown = String::from_utf8_lossy(&clean.stdout).into_owned() + &String::from_utf8_lossy(&clean.stderr);
    assert!(clean.status.success(), "a clean change failed:\n{shown}");

    let excluded = commit_check(
        &pre_commit,
        dir,
        home.path(),
        &[("vendor/sdk.js", &format!("const token = \"{token}\";\n"))],
    );
    let shown = String::from_utf8_lossy(&excluded.stdout).into_owned() + &String::from_utf8_lossy(&excluded.stderr);
    assert!(excluded.status.success(), "an excluded path was scanned:\n{shown}");
}
