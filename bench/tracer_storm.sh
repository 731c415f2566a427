#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Side by side, in one run, the cost of tracing a socketpair+close storm
# (bench/tracer_storm.cpp: OPS x {socketpair, close, close}):
#  (b) the storm's wall time untraced, under `sockscope trace` (tracepoint
#      and raw_syscalls rungs), under bpftrace
#      with the same probes (bench/tracer_equiv.bt) and under
#      `strace -f -e trace=socketpair,close`; output to /dev/null, both BPF
#      tracers filtered in the kernel on the storm's comm (median of RUNS);
#  (c) a storm paced at RATE events/s for SECONDS s under
#      `sockscope trace --comm tracer_storm`: events received against events
#      made, the tracer's lost-event counter and its peak RSS.
# Usage (root): bench/tracer_storm.sh [BUILD_DIR] [OPS] [RUNS] [RATE] [SECONDS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
ops=${2:-1000000}
runs=${3:-3}
rate=${4:-200000}
secs=${5:-10}
storm=$build/bench/tracer_storm
sockscope=$build/sockscope
source "$top/bench/lib.sh"
bench_needs bpftrace strace /usr/bin/time
bench_workdir

# bpftrace finds tracepoints only through a mounted tracefs; give it one in
# a private mount namespace (gone with the process; the host's mount table
# is never touched). sockscope needs none.
bpftrace_cmd=(unshare --mount --propagation private -- sh -c
  'mount -n -t tracefs tracefs /sys/kernel/tracing && exec "$@"' sh
  bpftrace -B full "$top/bench/tracer_equiv.bt" tracer_storm)

wait_for() {  # wait_for FILE PATTERN: up to 60 s
  for _ in $(seq 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "tracer_storm.sh: no '$2' in $1:" >&2
  cat "$1" >&2
  return 1
}

storm_secs() {  # storm_secs ARGS...: the storm's own wall time
  "$@" | awk '{print $4}'
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Starts a tracer in the background, stdout to /dev/null; READY: a pattern of
# its stderr that says it is attached.
start_tracer() {
  local ready=$1
  shift
  "$@" >/dev/null 2>"$work/tracer.err" &
  tracer_pid=$!
  wait_for "$work/tracer.err" "$ready"
}

# bpftrace says "Attaching N probes..." on stdout (here /dev/null) and before
# attaching: wait until it holds a perf event per tracepoint (36 + 2) and
# its per-CPU output buffers.
wait_perf_events() {
  local n
  for _ in $(seq 600); do
    n=$(find "/proc/$tracer_pid/fd" -lname 'anon_inode:\[perf_event\]' 2>/dev/null | wc -l)
    ((n >= 38 + $(nproc))) && return 0
    sleep 0.1
  done
  echo "tracer_storm.sh: bpftrace did not attach:" >&2
  cat "$work/tracer.err" >&2
  return 1
}

# SIGINT may land on a helper thread of bpftrace, whose main loop then
# sleeps in epoll_wait() until an event comes: one-op storms provide them.
stop_tracer() {
  kill -INT "$tracer_pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$tracer_pid" 2>/dev/null || break
    "$storm" 1 >/dev/null
    sleep 0.1
  done
  wait "$tracer_pid" 2>/dev/null || true  # (c): a child of time(1), not ours
  tracer_pid=
}

# ---- (b) slowdown
declare -A secs_of lost_of
for _ in $(seq "$runs"); do
  secs_of[none]+="$(storm_secs "$storm" "$ops") "
  start_tracer "Ctrl-C to stop" "$sockscope" trace --comm tracer_storm
  secs_of[sockscope]+="$(storm_secs "$storm" "$ops") "
  stop_tracer
  lost_of[sockscope]+="$(sed -n 's/.*lost events: \([0-9]*\).*/\1/p' "$work/tracer.err") "
  start_tracer "Ctrl-C to stop" "$sockscope" trace --comm tracer_storm --backend raw_syscalls
  secs_of[sockscope_raw]+="$(storm_secs "$storm" "$ops") "
  stop_tracer
  lost_of[sockscope_raw]+="$(sed -n 's/.*lost events: \([0-9]*\).*/\1/p' "$work/tracer.err") "
  "${bpftrace_cmd[@]}" >/dev/null 2>"$work/tracer.err" &
  tracer_pid=$!
  wait_perf_events
  secs_of[bpftrace]+="$(storm_secs "$storm" "$ops") "
  stop_tracer
  lost_of[bpftrace]+="? "  # its "Lost N events" warnings go to stdout, i.e. /dev/null
done
# strace is slow: one run
secs_of[strace]="$(strace -f -e trace=socketpair,close -o /dev/null "$storm" "$ops" | awk '{print $4}')"

base=$(tr ' ' '\n' <<<"${secs_of[none]}" | grep . | median)
echo "storm: $ops x (socketpair + close + close) = $((3 * ops)) syscalls/events; median of $runs runs (strace: 1)"
echo
echo "| tracer | storm wall (s) | added (s) | slowdown | events lost (per run) |"
echo "|---|---|---|---|---|"
for t in none sockscope sockscope_raw bpftrace strace; do
  s=$(tr ' ' '\n' <<<"${secs_of[$t]}" | grep . | median)
  added=$(awk -v s="$s" -v b="$base" 'BEGIN {printf "%.2f", s - b}')
  slow=$(awk -v s="$s" -v b="$base" 'BEGIN {printf "%.1fx", s / b}')
  name=$t
  case $t in
    none) name="untraced" ;;
    sockscope) name="sockscope trace --comm tracer_storm (tracepoint rung, the default)" ;;
    sockscope_raw) name="sockscope trace --comm tracer_storm --backend raw_syscalls" ;;
    bpftrace) name="bpftrace tracer_equiv.bt (same probes, comm filter)" ;;
    strace) name="strace -f -e trace=socketpair,close -o /dev/null" ;;
  esac
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$s" "$added" "$slow" "${lost_of[$t]:-n/a}"
done

# ---- (c) a paced storm: no lost events, bounded memory
n=$((rate * secs / 3))
/usr/bin/time -f "%M" -o "$work/rss" "$sockscope" trace --comm tracer_storm \
  2>"$work/tracer.err" | grep -c -E ' (socketpair|close) ' >"$work/count" &
pipeline=$!
wait_for "$work/tracer.err" "Ctrl-C to stop"
tracer_pid=$(pgrep -n -x sockscope -P "$(pgrep -n -x time)")
achieved=$("$storm" "$n" "$rate" | awk '{print $6}')
sleep 0.5
stop_tracer
wait "$pipeline" || true
got=$(cat "$work/count")
lost=$(sed -n 's/.*lost events: \([0-9]*\).*/\1/p' "$work/tracer.err")
echo
echo "paced storm: $n ops = $((3 * n)) events at $rate events/s requested ($achieved achieved) for ${secs} s"
echo
echo "| events made | events received | lost (stats) | sockscope peak RSS (MiB) |"
echo "|---|---|---|---|"
printf '| %d | %d | %s | %d |\n' $((3 * n)) "$got" "$lost" $(($(cat "$work/rss") / 1024))
