//! `miroguard lsp` driven by a real LSP client: the pytest-lsp suite in
//! `tests/lsp/` (pygls underneath), run against the binary built here. The
//! test command installs pytest-lsp into `.cache/` and names its pytest in
//! `MIROGUARD_PYTEST_LSP`. Without the variable the test is skipped, unless
//! `MIROGUARD_REQUIRE_EXTERNAL=1` makes that a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

fn pytest() -> Option<PathBuf> {
    match std::env::var_os("MIROGUARD_PYTEST_LSP") {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => {
            assert!(
                std::env::var_os("MIROGUARD_REQUIRE_EXTERNAL").is_none_or(|v| v != "1"),
                "MIROGUARD_PYTEST_LSP is not set: run scripts/install-pytest-lsp.sh (scripts/test.sh does)"
            );
            None
        }
    }
}

#[test]
fn the_language_server_passes_the_pytest_lsp_suite() {
    let Some(pytest) = pytest() else {
        return;
    };
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/lsp");
    let scratch = tempfile::tempdir().expect("a temporary directory");
    let output = Command::new(&pytest)
        .args(["-q", "--color=no", "-p", "no:cacheprovider", "--basetemp"])
        .arg(scratch.path().join("pytest"))
        .current_dir(&suite)
        .env("MIROGUARD_BIN", env!("CARGO_BIN_EXE_miroguard"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("pytest runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the pytest-lsp suite failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A suite that collected nothing would pass too: insist it ran.
    assert!(stdout.contains(" passed"), "{stdout}");
    assert!(!stdout.contains("skipped"), "{stdout}");
}
