#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Before against after, in one run: the added cost per operation of
# `sockscope trace --stacks --comm tracer_storm` on the socketpair+close storm
# (bench/tracer_storm.cpp; each operation's socketpair() gets a stack), for
# two sockscope binaries, alternating, ROUNDS times; and the BPF run time per
# event of the program that takes the stack (kernel.bpf_stats_enabled,
# tp_enter_socketpair). Default settings of each binary, plus NEW with
# --stack-size 16384 (the old default ceiling).
# Usage (root): bench/stacks_cost_ab.sh OLD_SOCKSCOPE NEW_SOCKSCOPE [BUILD_DIR] [OPS] [ROUNDS]
set -euo pipefail
old=$1 new=$2
top=$(cd "$(dirname "$0")/.." && pwd)
build=${3:-$top/build} ops=${4:-100000} rounds=${5:-3}
storm=$build/bench/tracer_storm
source "$top/bench/lib.sh"
bench_workdir
wall() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
traced() {  # sockscope-binary [options]: "added ns/op | BPF ns/event"
  local bin=$1; shift
  "$bin" trace --stacks "$@" --backend tracepoint --comm tracer_storm >/dev/null 2>"$work/err" &
  local pid=$!
  for _ in $(seq 100); do grep -q 'tracing with' "$work/err" && break; sleep 0.1; done
  local t bpf
  t=$(wall "$storm" "$ops")
  bpf=$(bpftool prog show -j | jq -r '[.[] | select(.name == "tp_enter_socketp" or .name == "tp_enter_socketpair") | select(.run_cnt > 0)][0] | .run_time_ns / .run_cnt | floor' 2>/dev/null || echo ?)
  kill -INT "$pid"; wait "$pid" || true
  printf '%.0f ns | %s ns' "$(echo "($t - $base) * 1000000000 / $ops" | bc -l)" "$bpf"
}
prev=$(sysctl -n kernel.bpf_stats_enabled); sysctl -qw kernel.bpf_stats_enabled=1
echo "| round | untraced (s) | before: added per op | before: BPF per event | after: added per op | after: BPF per event | after, --stack-size 16384: added | BPF |"
echo "|---|---|---|---|---|---|---|---|"
for r in $(seq "$rounds"); do
  base=$(wall "$storm" "$ops")
  a=$(traced "$old"); b=$(traced "$new"); c=$(traced "$new" --stack-size 16384)
  printf '| %s | %.3f | %s | %s | %s |\n' "$r" "$base" "$a" "$b" "$c"
done
sysctl -qw kernel.bpf_stats_enabled="$prev"
