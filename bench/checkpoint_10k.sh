#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `sockscope checkpoint` on a process tree holding 10,000+ descriptors: 2
# processes of bench/sockfarm (each PAIRS socketpairs, every 16th pair also
# connected to a shared listener) plus the machine's other processes, which
# the inventory scans too. Prints a Markdown table for docs/benchmarks.md.
# Target (issue 6): the verdict in under a second.
# Usage (root): bench/checkpoint_10k.sh [BUILD_DIR] [PAIRS_PER_PROC] [RUNS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
pairs=${2:-2500}
runs=${3:-20}
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
# sockfarm is the tree: its first process forks the others.
"$build/bench/sockfarm" "$work" 2 "$pairs" <"$work/in" >"$work/ready" &
farm_pid=$!
exec 3>"$work/in"
for _ in $(seq 600); do grep -q ready "$work/ready" 2>/dev/null && break; kill -0 "$farm_pid" 2>/dev/null || break; sleep 0.1; done
grep -q ready "$work/ready" || { echo "sockfarm did not start" >&2; exit 1; }
fds=0
for p in $(pgrep -P "$farm_pid") "$farm_pid"; do fds=$((fds + $(ls "/proc/$p/fd" | wc -l))); done
rc=0
"$build/sockscope" checkpoint "$farm_pid" --json >"$work/out.json" || rc=$?
echo "tree of pid $farm_pid: $(jq '.tree | length' "$work/out.json") processes, $fds descriptors," \
     "$(jq '.findings | length' "$work/out.json") findings, verdict $(jq -r .verdict "$work/out.json") (exit $rc)" >&2
hyperfine -N -i --warmup 2 --runs "$runs" --export-markdown "$work/table.md" \
  -n "sockscope checkpoint (text)" "$build/sockscope checkpoint $farm_pid" \
  -n "sockscope checkpoint --json" "$build/sockscope checkpoint $farm_pid --json" >&2
cat "$work/table.md"
