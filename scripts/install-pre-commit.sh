#!/usr/bin/env bash
# Installs pre-commit (from PyPI) into .cache/pre-commit, unless it is already
# there, and prints the path of its executable on stdout:
#
#   export MIROGUARD_PRE_COMMIT="$(scripts/install-pre-commit.sh)"
#   MIROGUARD_REQUIRE_EXTERNAL=1 cargo test -p miroguard --test pre_commit
#
# Progress and errors go to stderr; stdout is only the path.
# Environment: PRE_COMMIT_VERSION overrides the pinned version.

set -euo pipefail

version="${PRE_COMMIT_VERSION:-4.0.1}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/.cache/pre-commit"
exe="$prefix/bin/pre-commit"

say() { printf 'install-pre-commit: %s\n' "$*" >&2; }

if [[ -x $exe ]] && "$exe" --version 2>/dev/null | grep -qx "pre-commit $version"; then
    printf '%s\n' "$exe"
    exit 0
fi
say "installing pre-commit $version into $prefix"
rm -rf "$prefix"
python3 -m venv "$prefix" >&2
"$prefix/bin/python" -m pip install --quiet --disable-pip-version-check "pre-commit==$version" >&2
"$exe" --version >&2
printf '%s\n' "$exe"
