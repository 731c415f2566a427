#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Side by side, in one run: `sockscope ls` (all namespaces, peers joined)
# against `ss -xap`, `lsfd` and `lsof -U +E -n` on many unix sockets held by
# several processes. Prints a Markdown table (median wall time and peak RSS
# over RUNS runs each) for docs/benchmarks.md.
# Usage (root): bench/ls_vs_ss.sh [BUILD_DIR] [PROCS] [PAIRS_PER_PROC] [RUNS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
procs=${2:-4}
pairs=${3:-6250}
runs=${4:-5}
work=$(mktemp -d /tmp/sockscope-bench.XXXXXX)
farm_pid=
cleanup() {
  exec 3>&- 2>/dev/null || true
  [[ -n $farm_pid ]] && wait "$farm_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ulimit -n $((2 * pairs + 2048))
mkfifo "$work/in"
"$build/bench/sockfarm" "$work" "$procs" "$pairs" <"$work/in" >"$work/ready" &
farm_pid=$!
exec 3>"$work/in"
for _ in $(seq 600); do grep -q ready "$work/ready" 2>/dev/null && break; kill -0 "$farm_pid" 2>/dev/null || break; sleep 0.1; done
grep -q ready "$work/ready" || { echo "sockfarm did not start" >&2; exit 1; }
total=$(ss -xaH | wc -l)

# median wall seconds and max RSS KiB of RUNS runs of a command
measure() {
  local name=$1; shift
  local times=() rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || true
    read -r t m <"$work/t"
    times+=("$t")
    ((m > rss)) && rss=$m
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '| %s | %s | %d |\n' "$name" "$median" $((rss / 1024))
}

echo "unix sockets on the machine: $total ($procs processes x $((2 * pairs)) + listener side); runs: $runs"
echo
echo "| tool | median wall (s) | peak RSS (MiB) |"
echo "|---|---|---|"
measure "sockscope ls" "$build/sockscope" ls
measure "sockscope ls --unix --json" "$build/sockscope" ls --unix --json
measure "ss -xap" ss -xap
command -v lsfd >/dev/null && measure "lsfd" lsfd
measure "lsof -U +E -n" lsof -U +E -n

echo
echo "Breakdown of sockscope ls on the same sockets (Google Benchmark):"
"$build/bench/inventory_bench" --benchmark_repetitions=1 2>/dev/null | grep -E '^BM_|^Benchmark'
