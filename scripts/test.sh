#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run) on a clean clone.
#
# Installs what the tests drive from outside Rust into .cache/ (Microsoft's
# SARIF Multitool from npm, pre-commit and pytest-lsp from PyPI), then runs
# formatting and lint checks and every test of the workspace, with the
# external checks required rather than skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

export MIROGUARD_REQUIRE_EXTERNAL=1
MIROGUARD_SARIF_MULTITOOL="$(scripts/install-sarif-multitool.sh)"
export MIROGUARD_SARIF_MULTITOOL
MIROGUARD_PRE_COMMIT="$(scripts/install-pre-commit.sh)"
export MIROGUARD_PRE_COMMIT
MIROGUARD_PYTEST_LSP="$(scripts/install-pytest-lsp.sh)"
export MIROGUARD_PYTEST_LSP

echo "== cargo fmt --check"
cargo fmt --all --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test"
cargo test --workspace --locked

echo "== all tests passed"
