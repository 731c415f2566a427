#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `sockscope watch` overhead: the same bind/listen/connect/unlink storm on one
# path, untraced and while `watch` follows that path, side by side in one run.
# Prints a Markdown table for docs/benchmarks.md.
# Usage (root): bench/watch_overhead.sh [BUILD_DIR] [ROUNDS] [RUNS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
rounds=${2:-20000}
runs=${3:-3}
work=$(mktemp -d /tmp/sockscope-watchbench.XXXXXX)
watch_pid=
cleanup() {
  [[ -n $watch_pid ]] && kill -INT "$watch_pid" 2>/dev/null && wait "$watch_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
path=$work/storm.sock

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
storm() { for _ in $(seq "$runs"); do "$build/bench/path_storm" "$path" "$rounds"; done | median; }

untraced=$(storm)
"$build/sockscope" watch "$path" --json >"$work/watch.json" 2>"$work/watch.err" &
watch_pid=$!
for _ in $(seq 100); do grep -q watching "$work/watch.err" 2>/dev/null && break; sleep 0.1; done
traced=$(storm)
kill -INT "$watch_pid"
wait "$watch_pid" || true
watch_pid=
events=$(grep -c '"watched_path"' "$work/watch.json" || true)
lost=$(grep '"stats"' "$work/watch.json" | sed 's/.*"lost":\([0-9]*\).*/\1/')

echo "storm: $rounds rounds of bind+listen+connect+close+unlink (+ a refused connect every 4th); median of $runs runs"
echo
echo "| run | storm time (s) | per round (µs) |"
echo "|---|---|---|"
printf '| untraced | %s | %.1f |\n' "$untraced" "$(echo "$untraced * 1000000 / $rounds" | bc -l)"
printf '| under `sockscope watch PATH` | %s | %.1f |\n' "$traced" "$(echo "$traced * 1000000 / $rounds" | bc -l)"
echo
echo "watch reported $events touches, lost events: ${lost:-?}"
