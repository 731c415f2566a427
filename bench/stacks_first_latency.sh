#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Delay from a JVM's socket() to its symbolized stack on sockscope's output
# (issue 4: "the first JVM stack printed within 200 ms of the event").
#
# Each run starts a fresh `sockscope trace --stacks --json --comm java` (so
# nothing is indexed yet: the first stack of the JVM pays for reading its
# maps, building the Dwfl and libjvm's symbol index), then a JVM that opens a
# unix SocketChannel from its own method (tests/stacks/UnixSock.java). A
# line stamper stamps each output line with CLOCK_MONOTONIC on arrival; the
# event carries its own CLOCK_MONOTONIC time (ts_ns, from BPF). Reported per
# run: the delay of the first event whose stack reaches libjvm.so, and of the
# one with the Java method (UnixSock.openChannel), in ms.
# Usage (root): bench/stacks_first_latency.sh [BUILD_DIR] [RUNS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
runs=${2:-5}
sockscope=$build/sockscope
source "$top/bench/lib.sh"
bench_needs java javac python3
bench_workdir
javac -d "$work" "$top/tests/stacks/UnixSock.java"

cat >"$work/stamp.py" <<'PY'
import sys, time
for line in sys.stdin:
    sys.stdout.write(f"{time.clock_gettime_ns(time.CLOCK_MONOTONIC)} {line}")
    sys.stdout.flush()
PY

cat >"$work/delay.py" <<'PY'
import json, sys
def first(path, want):
    for raw in open(path):
        arrived, _, text = raw.partition(" ")
        try:
            ev = json.loads(text)
        except ValueError:
            continue
        if ev.get("event") == "socket" and any(want(f) for f in ev.get("stack", [])):
            return (int(arrived) - ev["ts_ns"]) / 1e6, len(ev["stack"])
    return None, 0
jvm, n = first(sys.argv[1], lambda f: f.get("module") == "libjvm.so")
java, _ = first(sys.argv[1], lambda f: "UnixSock.openChannel" in f.get("symbol", ""))
fmt = lambda v: "n/a" if v is None else f"{v:.1f}"
print(f"{fmt(jvm)} {fmt(java)} {n}")
PY

echo "| run | first stack through libjvm.so (ms) | stack with UnixSock.openChannel (ms) | frames |"
echo "|---|---|---|---|"
for i in $(seq "$runs"); do
  "$sockscope" trace --stacks --json --comm java 2>"$work/err" \
    > >(python3 "$work/stamp.py" >"$work/out.$i") &
  tracer_pid=$!
  for _ in $(seq 300); do grep -q "Ctrl-C to stop" "$work/err" 2>/dev/null && break; sleep 0.05; done
  java -cp "$work" UnixSock
  sleep 0.3
  kill -INT "$tracer_pid"
  wait "$tracer_pid" || true
  tracer_pid=
  sleep 0.2  # the stamper drains the pipe
  read -r jvm java frames < <(python3 "$work/delay.py" "$work/out.$i")
  echo "| $i | $jvm | $java | $frames |"
done
