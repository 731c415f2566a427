#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Is the recorder cheap enough to leave on (issue #14, item 5)? Side by side,
# in one run, on bench/tracer_storm (one socket lifecycle = socketpair() and
# the close() of both ends: 3 syscalls, 3 events, 2 sockets):
#  (a) the storm's wall time at full speed, median of RUNS: untraced; under
#      `sockscope recorder` (creation stacks, the default); under
#      `sockscope recorder --no-stacks`; and under bpftrace recording the same
#      probes machine-wide to a file (bench/tracer_equiv.bt). Added cost per
#      lifecycle = (traced - untraced) / OPS.
#  (b) a storm paced at RATE lifecycles/s for SECONDS under the recorder with
#      stacks: events lost and not stored, the recorder's CPU (utime+stime
#      over the interval, in cores), bytes on disk per stored event.
# Usage (root): bench/recorder_cost.sh [BUILD_DIR] [OPS] [RUNS] [RATE] [SECONDS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
ops=${2:-200000}
runs=${3:-3}
rate=${4:-10000}
secs=${5:-60}
storm=$build/bench/tracer_storm
sockscope=$build/sockscope
source "$top/bench/lib.sh"
bench_needs bpftrace jq
bench_workdir
hz=$(getconf CLK_TCK)

wait_for() {  # wait_for FILE PATTERN: up to 60 s
  for _ in $(seq 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "recorder_cost.sh: no '$2' in $1:" >&2; cat "$1" >&2; return 1
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
storm_secs() { "$storm" "$@" | awk '{print $4}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# start_recorder DB [FLAGS...]: in the foreground of a background job.
start_recorder() {
  local db=$1; shift
  rm -rf "$(dirname "$db")"
  "$sockscope" recorder --foreground --db "$db" --run-dir "$work/run" "$@" 2>"$work/recorder.err" &
  tracer_pid=$!
  wait_for "$work/recorder.err" "ready"
}
stop_recorder() {
  kill -TERM "$tracer_pid"; wait "$tracer_pid" || true; tracer_pid=
}

bpftrace_cmd=(unshare --mount --propagation private -- sh -c
  'mount -n -t tracefs tracefs /sys/kernel/tracing && exec "$@"' sh
  bpftrace -B full -o "$work/bpftrace.out" "$top/bench/tracer_equiv.bt" "")

# ---- (a) added cost per lifecycle (RUNS=0: skipped)
declare -A secs_of
for _ in $(seq "$runs"); do
  secs_of[none]+="$(storm_secs "$ops") "
  start_recorder "$work/a/h.db"
  secs_of[recorder]+="$(storm_secs "$ops") "
  stop_recorder
  start_recorder "$work/a/h.db" --no-stacks
  secs_of[nostacks]+="$(storm_secs "$ops") "
  stop_recorder
  "${bpftrace_cmd[@]}" >/dev/null 2>"$work/bt.err" &
  tracer_pid=$!
  for _ in $(seq 600); do
    (($(find "/proc/$tracer_pid/fd" -lname 'anon_inode:\[perf_event\]' 2>/dev/null | wc -l) >= 38)) && break
    sleep 0.1
  done
  secs_of[bpftrace]+="$(storm_secs "$ops") "
  kill -INT "$tracer_pid"; wait "$tracer_pid" || true; tracer_pid=
done
if ((runs > 0)); then
base=$(tr ' ' '\n' <<<"${secs_of[none]}" | grep . | median)
echo "(a) storm: $ops lifecycles (socketpair + 2 close), median of $runs runs, machine-wide recording"
echo
echo "| recording | storm wall (s) | added per lifecycle (us) |"
echo "|---|---|---|"
for t in none recorder nostacks bpftrace; do
  s=$(tr ' ' '\n' <<<"${secs_of[$t]}" | grep . | median)
  per=$(awk -v s="$s" -v b="$base" -v n="$ops" 'BEGIN {printf "%.2f", (s - b) / n * 1e6}')
  case $t in
    none) name="none" ;;
    recorder) name="sockscope recorder (creation stacks)" ;;
    nostacks) name="sockscope recorder --no-stacks" ;;
    bpftrace) name="bpftrace tracer_equiv.bt -o FILE (same probes, no stacks)" ;;
  esac
  printf '| %s | %s | %s |\n' "$name" "$s" "$per"
done
fi

# ---- (b) paced: lost, CPU, bytes per event
db=$work/b/h.db
start_recorder "$db"
sleep 1
st0=$("$sockscope" recorder status --db "$db" --json)
t0=$(cpu_ticks "$tracer_pid")
achieved=$("$storm" $((rate * secs)) $((3 * rate)) | awk '{print $6 / 3}')
sleep 1
t1=$(cpu_ticks "$tracer_pid")
st1=$("$sockscope" recorder status --db "$db" --json)
stop_recorder
ev=$(( $(jq .events <<<"$st1") - $(jq .events <<<"$st0") ))
# On disk at rest: the recorder's last connection checkpoints the WAL into
# the main file and removes it; the live WAL (up to a few MiB) is not counted.
final=$("$sockscope" recorder status --db "$db" --json)
bytes_per=$(awk -v b="$(jq .bytes <<<"$final")" -v e="$(jq .events <<<"$final")" 'BEGIN {printf "%.1f", e ? b / e : 0}')
cores=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$secs" 'BEGIN {printf "%.3f", d / hz / (s + 1)}')
echo
echo "(b) paced: $((rate * secs)) lifecycles at $rate/s requested ($achieved achieved) for $secs s, with stacks"
echo
echo "| events stored | lost (gaps) | not stored | recorder CPU (cores) | bytes on disk per event |"
echo "|---|---|---|---|---|"
printf '| %d | %s | %s | %s | %s |\n' "$ev" "$(jq .lost <<<"$st1")" "$(jq .not_stored <<<"$st1")" "$cores" "$bytes_per"
