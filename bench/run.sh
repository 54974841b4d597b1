#!/usr/bin/env bash
# bench/run.sh - time miroguard on the real benchmark corpus, side by side with
# the peer tools that are installed, and print wall time, CPU time, MB/s,
# files/s and peak RSS (medians of several runs after a warm-up).
#
#   bench/run.sh                 # Rust half, JS half and the whole corpus, 3 runs each
#   RUNS=5 bench/run.sh whole    # one target, more runs
#   PEERS=0 bench/run.sh         # miroguard only
#   PEERS=ripgrep,oxlint bench/run.sh   # some peers only (gitleaks takes minutes)
#   BASELINE=/path/to/old/miroguard bench/run.sh whole   # another build side by side
#   MIROGUARD_ARGS="--config rules-off.toml" bench/run.sh  # extra scan arguments
#   bench/run.sh scaling         # time against corpus size (1/4, 1/2, 1, 2x) and --threads 1, 2
#
# The corpus is built (once) by the shared make-corpus.sh; peers are looked up
# where the shared install-peers.sh puts them.
set -euo pipefail
cd "$(dirname "$0")/.."

CORPUS=${CORPUS:-$HOME/.cache/miroguard-bench/corpus}
SHARED_BENCH=${SHARED_BENCH:-../shared/bench}
PEERS_DIR=${PEERS_DIR:-$HOME/.cache/miroguard-bench/peers}
RUNS=${RUNS:-3}
PEERS=${PEERS:-1}
TARGETS=("${@:-rust js whole}")
read -r -a TARGETS <<<"${TARGETS[*]}"
# `scaling` stands for the corpus at a quarter, half, whole and double its
# size, then the whole on one and two threads.
read -r -a TARGETS <<<"${TARGETS[*]/scaling/quarter half whole double whole-t1 whole-t2}"
# The scaled copies live beside the corpus (never inside: `whole` would scan them).
SCALED=${SCALED:-$CORPUS-scaled}

command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
if [ ! -d "$CORPUS/rust" ] || [ ! -d "$CORPUS/js" ]; then
  echo "building the corpus with $SHARED_BENCH/make-corpus.sh (takes a few minutes)" >&2
  CORPUS=$CORPUS bash "$SHARED_BENCH/make-corpus.sh" >&2
fi

cargo build --release --locked -p miroguard >&2
MIROGUARD=$PWD/target/release/miroguard
BASELINE=${BASELINE:-}
read -r -a EXTRA_ARGS <<<"${MIROGUARD_ARGS:-}"

dir_of() {
  case $1 in
    rust) echo "$CORPUS/rust" ;;
    js) echo "$CORPUS/js" ;;
    whole | whole-t1 | whole-t2) echo "$CORPUS" ;;
    quarter | half | double) echo "$SCALED/$1" ;;
  esac
}
# threads_of TARGET: the --threads argument the target asks for, if any.
threads_of() { case $1 in whole-t*) echo "--threads=${1#whole-t}" ;; esac; }

# make_scaled NAME EVERY: hard-linked copy of every EVERY-th package of the
# corpus (Rust and JS packages interleaved, so both halves shrink alike).
make_scaled() {
  local out=$SCALED/$1 every=$2 i=0 pkg half
  [ -d "$out" ] && return
  for pkg in "$CORPUS"/rust/* "$CORPUS"/js/*; do
    if ((i % every == 0)); then
      half=$(basename "$(dirname "$pkg")")
      mkdir -p "$out/$half"
      cp -al "$pkg" "$out/$half/"
    fi
    i=$((i + 1))
  done
}
# make_double: the corpus twice, side by side (hard links: no extra disk).
make_double() {
  local out=$SCALED/double
  [ -d "$out" ] && return
  mkdir -p "$out/a" "$out/b"
  cp -al "$CORPUS/rust" "$CORPUS/js" "$out/a/"
  cp -al "$CORPUS/rust" "$CORPUS/js" "$out/b/"
}
bytes_of() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }
files_of() { find "$1" -type f | wc -l; }

# One timed run: prints "wall user sys maxrss_kb". The tool's own output is discarded.
# Reports go to a scratch directory: some tools replace their report file,
# which must never be /dev/null.
SCRATCH=$(mktemp -d)
TIMES=$SCRATCH/times
trap 'rm -rf "$SCRATCH"' EXIT
timed() {
  /usr/bin/time -o "$TIMES" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || true
  tail -n 1 "$TIMES"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# measure NAME TARGET CMD... : warm-up, RUNS timed runs, one result row.
measure() {
  local name=$1 target=$2; shift 2
  local dir bytes files walls=() cpus=() rss=0
  dir=$(dir_of "$target"); bytes=$(bytes_of "$dir"); files=$(files_of "$dir")
  "$@" >/dev/null 2>&1 || true
  for _ in $(seq "$RUNS"); do
    read -r wall user sys max <<<"$(timed "$@")"
    walls+=("$wall"); cpus+=("$(echo "$user + $sys" | bc -l)")
    [ "$max" -gt "$rss" ] && rss=$max
  done
  local wall cpu
  wall=$(printf '%s\n' "${walls[@]}" | median)
  cpu=$(printf '%s\n' "${cpus[@]}" | median)
  printf '%-12s %-8s %6.0f %8.2f %8.2f %8.1f %9.0f %8.0f\n' "$name" "$target" "$(echo "$bytes / 1048576" | bc -l)" "$wall" "$cpu" \
    "$(echo "$bytes / 1048576 / $wall" | bc -l)" "$(echo "$files / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

# want PEER: whether PEERS (1, or a comma-separated list) asks for this peer.
want() { [ "$PEERS" = 1 ] || [[ ",$PEERS," == *",$1,"* ]]; }

gitleaks_bin=$(command -v gitleaks || true)
[ -z "$gitleaks_bin" ] && [ -x "$PEERS_DIR/gitleaks/usr/bin/gitleaks" ] && gitleaks_bin=$PEERS_DIR/gitleaks/usr/bin/gitleaks
ripsecrets_bin=$(command -v ripsecrets || true)
[ -z "$ripsecrets_bin" ] && [ -x "$PEERS_DIR/cargo/bin/ripsecrets" ] && ripsecrets_bin=$PEERS_DIR/cargo/bin/ripsecrets
oxlint_bin=$(command -v oxlint || true)
[ -z "$oxlint_bin" ] && [ -x "$PEERS_DIR/node/node_modules/.bin/oxlint" ] && oxlint_bin=$PEERS_DIR/node/node_modules/.bin/oxlint
rg_bin=$(command -v rg || true)

for target in "${TARGETS[@]}"; do
  case $target in
    quarter) make_scaled quarter 4 ;;
    half) make_scaled half 2 ;;
    double) make_double ;;
  esac
done

echo "# $(date -u +%Y-%m-%d) on $(nproc) cores; $RUNS runs after a warm-up; medians; corpus $CORPUS"
printf '%-12s %-8s %6s %8s %8s %8s %9s %8s\n' tool target MB wall_s cpu_s MB/s files/s rss_MB
for target in "${TARGETS[@]}"; do
  dir=$(dir_of "$target")
  read -r -a threads <<<"$(threads_of "$target")"
  measure miroguard "$target" "$MIROGUARD" scan --no-ignore --include-generated --max-file-size 100M --fail-on never --format json -o "$SCRATCH/miroguard.json" "${threads[@]}" "${EXTRA_ARGS[@]}" "$dir"
  if [ -n "$BASELINE" ]; then
    measure baseline "$target" "$BASELINE" scan --no-ignore --include-generated --max-file-size 100M --fail-on never --format json -o "$SCRATCH/baseline.json" "${threads[@]}" "$dir"
  fi
  # Peers run on the corpus as it is, not on the scaling runs.
  [[ $PEERS = 0 || ! $target =~ ^(rust|js|whole)$ ]] && continue
  if [ -n "$rg_bin" ] && want ripgrep; then
    measure ripgrep "$target" "$rg_bin" -c --no-ignore -e '(?i)(api|secret|token)[_-]?key\s*[:=]\s*["'"'"'][A-Za-z0-9]{16,}' "$dir"
  fi
  if [ -n "$gitleaks_bin" ] && want gitleaks; then
    measure gitleaks "$target" "$gitleaks_bin" dir --no-banner --exit-code 0 --redact --report-format json --report-path "$SCRATCH/gitleaks.json" "$dir"
  fi
  if [ -n "$ripsecrets_bin" ] && want ripsecrets; then
    measure ripsecrets "$target" "$ripsecrets_bin" "$dir"
  fi
  if [ -n "$oxlint_bin" ] && [ "$target" = js ] && want oxlint; then
    measure oxlint "$target" "$oxlint_bin" --quiet "$dir"
  fi
done
