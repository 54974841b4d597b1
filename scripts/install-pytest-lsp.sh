#!/usr/bin/env bash
# Installs pytest-lsp (from PyPI, versions pinned in tests/lsp/requirements.txt)
# into .cache/pytest-lsp, unless it is already there, and prints the path of
# its pytest on stdout:
#
#   export MIROGUARD_PYTEST_LSP="$(scripts/install-pytest-lsp.sh)"
#   MIROGUARD_REQUIRE_EXTERNAL=1 cargo test -p miroguard --test lsp
#
# Progress and errors go to stderr; stdout is only the path.

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requirements="$root/tests/lsp/requirements.txt"
prefix="$root/.cache/pytest-lsp"
exe="$prefix/bin/pytest"
stamp="$prefix/requirements.txt"

say() { printf 'install-pytest-lsp: %s\n' "$*" >&2; }

# A venv moved from elsewhere has a stale interpreter path: run it to be sure.
if [[ -x $exe ]] && cmp -s "$requirements" "$stamp" && "$exe" --version >/dev/null 2>&1; then
    printf '%s\n' "$exe"
    exit 0
fi
say "installing pytest-lsp into $prefix"
rm -rf "$prefix"
python3 -m venv "$prefix" >&2
"$prefix/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
cp "$requirements" "$stamp"
"$exe" --version >&2
printf '%s\n' "$exe"
