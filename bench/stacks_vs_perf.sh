#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# --stacks side by side (root): (1) the whole JVM-start case, sockscope
# run --stacks (default and raw_syscalls rungs) against perf record
# --call-graph dwarf + perf script, wall
# time, best of N; (2) BPF cost per socket() event with and without stacks
# (kernel.bpf_stats_enabled, run_time_ns / run_cnt of tp_enter_socket).
# Usage: bench/stacks_vs_perf.sh path/to/sockscope [N]
set -euo pipefail
bin=$1 n=${2:-5}
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/sockscope-stacks-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes"
javac -d "$work/classes" "$top/tests/lib/Hello.java"
best() {  # best wall seconds of n runs of "$@"
  local b=999
  for _ in $(seq "$n"); do
    local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1 </dev/null; t1=$(date +%s.%N)
    b=$(echo "if ($t1 - $t0 < $b) $t1 - $t0 else $b" | bc -l)
  done
  printf '%.3f' "$b"
}
java_only=$(best java -cp "$work/classes" Hello)
plain=$(best "$bin" run -- java -cp "$work/classes" Hello)
ours=$(best "$bin" run --stacks -- java -cp "$work/classes" Hello)
ours_raw=$(best "$bin" run --stacks --backend raw_syscalls -- java -cp "$work/classes" Hello)
perf_pipeline() {
  unshare --mount --propagation private bash -c '
    mount -n -t tracefs nodev /sys/kernel/tracing &&
    perf record -q -e syscalls:sys_enter_socket --call-graph dwarf,16384 -o "$1/perf.data" -- java -cp "$1/classes" Hello </dev/null &&
    perf script -i "$1/perf.data" >"$1/perf.txt"' _ "$work"
}
theirs=$(best perf_pipeline)
echo "JVM start (java -cp DIR Hello), best of $n, wall seconds:"
echo "  java alone                                      $java_only"
echo "  sockscope run (no stacks)                       $plain"
echo "  sockscope run --stacks                          $ours"
echo "  sockscope run --stacks --backend raw_syscalls   $ours_raw"
echo "  perf record --call-graph dwarf + perf script    $theirs"
echo "  overhead vs java alone: sockscope $(echo "$ours - $java_only" | bc -l | xargs printf '%.3f') (raw_syscalls rung $(echo "$ours_raw - $java_only" | bc -l | xargs printf '%.3f')), perf $(echo "$theirs - $java_only" | bc -l | xargs printf '%.3f')"
echo "  end to end, perf pipeline / sockscope: $(echo "$theirs / $ours" | bc -l | xargs printf '%.1f')x (raw_syscalls rung $(echo "$theirs / $ours_raw" | bc -l | xargs printf '%.1f')x)"

# BPF cost per event.
cc -O2 -o "$work/loop" -x c - <<'C'
#include <sys/socket.h>
#include <unistd.h>
int main(void) { for (int i = 0; i < 200000; i++) close(socket(AF_UNIX, SOCK_STREAM, 0)); return 0; }
C
old=$(sysctl -n kernel.bpf_stats_enabled); sysctl -qw kernel.bpf_stats_enabled=1
echo "BPF cost of tp_enter_socket per event (socket()+close() loop, 200k):"
for mode in "" --stacks; do
  "$bin" run --backend tracepoint $mode -- "$work/loop" >/dev/null 2>&1 &
  pid=$!
  sleep 1.5
  bpftool prog show -j | jq -r --arg m "${mode:-no stacks}" '[.[] | select(.name == "tp_enter_socket" and .run_cnt > 0)][0]
    | "  \($m): \(.run_time_ns / .run_cnt | floor) ns/event over \(.run_cnt) events"' || true
  wait "$pid"
done
sysctl -qw kernel.bpf_stats_enabled="$old"
