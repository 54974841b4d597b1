#!/usr/bin/env bash
# Installs Microsoft's SARIF Multitool (the validator behind the SARIF web
# validator) into .cache/sarif-multitool, unless it is already there, checks
# that it runs, and prints the path of its executable on stdout:
#
#   export MIROGUARD_SARIF_MULTITOOL="$(scripts/install-sarif-multitool.sh)"
#   MIROGUARD_REQUIRE_EXTERNAL=1 cargo test -p miroguard_report --test sarif_multitool
#
# The npm package `@microsoft/sarif-multitool` is only a launcher: npm pulls
# in a platform package (`@microsoft/sarif-multitool-linux`, `-darwin`,
# `-win32`) holding a self-contained single-file .NET 8 executable,
# `Sarif.Multitool`. No .NET SDK is needed, but on Linux the executable needs
# the system's ICU library (Debian/Ubuntu: `libicu72` or whichever `libicuNN`
# the release ships), plus zlib and libstdc++, which every desktop or CI image
# already has. We print the platform executable itself rather than the npm
# launcher: the launcher passes its arguments through a shell, which breaks
# paths with spaces.
#
# Progress and errors go to stderr; stdout is only the path.
# Environment: SARIF_MULTITOOL_VERSION overrides the pinned version.

set -euo pipefail

version="${SARIF_MULTITOOL_VERSION:-5.7.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/.cache/sarif-multitool"

say() { printf 'install-sarif-multitool: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

case "$(uname -s)" in
    Linux) platform=linux exe_name=Sarif.Multitool ;;
    Darwin) platform=darwin exe_name=Sarif.Multitool ;;
    MINGW* | MSYS* | CYGWIN*) platform=win32 exe_name=Sarif.Multitool.exe ;;
    *) die "no SARIF Multitool build for $(uname -s)" ;;
esac
if [[ $platform == linux && $(uname -m) != x86_64 ]]; then
    # The Linux package ships an x86-64 executable only.
    die "the npm SARIF Multitool for Linux is x86-64 only; this machine is $(uname -m)"
fi

package_dir="$prefix/node_modules/@microsoft/sarif-multitool-$platform"
exe="$package_dir/$exe_name"

installed_version() {
    # The version recorded in the installed platform package, or nothing.
    [[ -f $package_dir/package.json ]] || return 0
    sed -n 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$package_dir/package.json" | head -n 1
}

if [[ -f $exe && $(installed_version) == "$version" ]]; then
    say "SARIF Multitool $version already installed in $prefix"
else
    command -v npm >/dev/null 2>&1 || die "npm is needed to install @microsoft/sarif-multitool (install Node.js, e.g. apt-get install nodejs npm)"
    say "installing @microsoft/sarif-multitool@$version into $prefix (about 100 MB)"
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error \
        "@microsoft/sarif-multitool@$version" >&2 ||
        die "npm install @microsoft/sarif-multitool@$version failed"
    [[ -f $exe ]] || die "npm installed the launcher but not $package_dir (npm skipped the optional platform package?)"
fi

# The package's postinstall only sets the executable bit, and npm may have
# been configured not to run install scripts; do it ourselves.
[[ -x $exe ]] || chmod u+x "$exe"

if [[ $platform == linux ]] && command -v ldd >/dev/null 2>&1; then
    missing="$(ldd "$exe" 2>/dev/null | awk '/not found/ { print $1 }' | tr '\n' ' ')"
    [[ -z $missing ]] || die "$exe needs system libraries that are missing: $missing(Debian/Ubuntu: apt-get install zlib1g libstdc++6)"
fi

# Run it once: a missing ICU (or any other runtime problem) only shows when
# the executable starts, as a .NET "Process terminated" message.
if ! output="$("$exe" validate --help 2>&1)"; then
    if grep -q "ICU" <<<"$output"; then
        die "$exe cannot find the ICU library it needs. Install it (Debian/Ubuntu: apt-get install libicu72, or the libicuNN your release ships; Fedora: dnf install libicu; Alpine: apk add icu-libs), or run it with DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1."
    fi
    say "$exe does not run; its output:"
    printf '%s\n' "$output" >&2
    die "the SARIF Multitool is installed but does not run on this machine"
fi

printf '%s\n' "$exe"
