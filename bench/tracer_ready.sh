#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Side by side, in one run: how long a tracer takes from exec until it is
# attached and ready ("ready" on stdout), and until it has exited again
# (detaching included). sockscope: `trace --duration 0` on each rung;
# bpftrace: the same probe set (bench/tracer_equiv.bt) plus
# `BEGIN { printf("ready\n"); exit(); }`, which bpftrace runs once every probe
# is attached. Medians of RUNS runs (bench/tracer_ready.cpp), in ms.
# Usage (root): bench/tracer_ready.sh [BUILD_DIR] [RUNS] [OLD_SOCKSCOPE]
#   OLD_SOCKSCOPE: another sockscope binary to compare with (e.g. a build of
#   the previous commit); left out when absent.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
runs=${2:-7}
old=${3:-}
ready=$build/bench/tracer_ready
source "$top/bench/lib.sh"
bench_needs bpftrace

prog="$(cat "$top/bench/tracer_equiv.bt")
BEGIN { printf(\"ready\\n\"); exit(); }"

row() {  # row NAME CMD...: one table row
  local name=$1 r e t
  shift
  read -r _ r _ e _ t < <("$ready" "$runs" "$@")
  printf '| %s | %s | %s | %s |\n' "$name" "$r" "$t" "$e"
  echo "$name $r $t $e" >>"${RESULTS:-/dev/null}"
}

echo "runs: $runs each; tracefs mounted: $(grep -c ' tracefs ' /proc/mounts || true)"
echo
echo "| tool | ready (ms) | exit after ready (ms) | total (ms) |"
echo "|---|---|---|---|"
row "sockscope trace --duration 0 (tracepoint rung)" "$build/sockscope" trace --backend tracepoint --duration 0
row "sockscope trace --duration 0 --backend raw_syscalls" "$build/sockscope" trace --backend raw_syscalls --duration 0
if [[ -n $old && -x $old ]]; then
  row "previous sockscope, tracepoint (serial detach)" "$old" trace --backend tracepoint --duration 0
fi
# bpftrace finds tracepoints only through a mounted tracefs: give it one in a
# private mount namespace (the host's mount table is untouched; sockscope
# does the same internally when tracefs is not mounted).
row "bpftrace, same probes (39 incl. BEGIN), BEGIN exit" unshare --mount --propagation private -- \
  sh -c 'mount -n -t tracefs tracefs /sys/kernel/tracing && exec "$@"' sh bpftrace -B line -e "$prog" '""'
