#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Issue 13: the ways a stack ends that need more than one program run
# (tests/integration/stack_end_test.cpp has the rest), each asserted by its
# reason code in the JSON:
#  - module_unreadable: a module deleted after dlopen, by a process that has
#    exited before sockscope reads its files (the tracer is stopped while it
#    runs), so neither /proc/PID/map_files nor the path can open it;
#  - jit_no_fp: sockets made from compiled Java frames (no frame pointer by
#    default); with -XX:+PreserveFramePointer the same sockets are not cut
#    there any more.
# Usage (root): tests/e2e/stacks_end_reasons.sh path/to/sockscope   (77: skipped)
set -euo pipefail
bin=$1
progs=$(dirname "$bin")/progs
top=$(cd "$(dirname "$0")/../.." && pwd)
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root" >&2; exit 77; }
for c in jq java javac; do
  command -v $c >/dev/null || { echo "SKIP: $c missing (apt-get install jq openjdk-17-jdk-headless)" >&2; exit 77; }
done
[[ -x $progs/stack_depth && -f $progs/libstack_via.so ]] || { echo "SKIP: build tests/progs first" >&2; exit 77; }
work=$(mktemp -d /tmp/sockscope-stack-ends.XXXXXX)
source "$(dirname "${BASH_SOURCE[0]}")/../lib/e2e.sh"  # check, wait_for, stop_tracer, e2e_finish
trap 'stop_tracer; rm -rf "$work"' EXIT

# 1. A deleted module, gone with its process before it is read.
cp "$progs/libstack_via.so" "$work/libgone.so"
"$bin" trace --stacks --json --comm stack_depth >"$work/trace.json" 2>"$work/trace.err" &
tracer=$!
check "trace started" wait_for "$work/trace.err" 'tracing with'
kill -STOP "$tracer"
"$progs/stack_depth" 3 via-deleted "$work/libgone.so"
kill -CONT "$tracer"
for _ in $(seq 50); do grep -q '"stack_end"' "$work/trace.json" && break; sleep 0.1; done
stop_tracer
end=$(jq -r 'select(.stack) | .stack_end + " " + .stack_note' "$work/trace.json" | head -1)
echo "deleted module: $end"
check "deleted module: the file is gone" test ! -e "$work/libgone.so"
check "deleted module: module_unreadable, naming it" grep -q '^module_unreadable .*libgone.so' <<<"$end"
check "deleted module: the frames before it are kept" \
  test "$(jq -r 'select(.stack) | [.stack[:2][].symbol] | join(",")' "$work/trace.json" | head -1)" = "__socket,make_sock"

# 2. Compiled Java frames.
mkdir -p "$work/classes"
javac -d "$work/classes" "$top/tests/stacks/JitSock.java"
jit=(-XX:-TieredCompilation -XX:CompileThreshold=200 -XX:-BackgroundCompilation -cp "$work/classes" JitSock 1500)
ends() { sed -n '/^{/,$p' | jq -r '.sockets[] | select(.created.family == "unix") | .created.stack_end' | sort | uniq -c; }
"$bin" run --stacks --json -- java "${jit[@]}" 2>/dev/null >"$work/jit.json"
echo "compiled frames:"; ends <"$work/jit.json"
check "JIT: sockets from compiled frames end at jit_no_fp" test "$(ends <"$work/jit.json" | awk '$2 == "jit_no_fp" { print $1 }')" -ge 100
check "JIT: the interpreted ones are complete" test "$(ends <"$work/jit.json" | awk '$2 == "first_frame" { print $1 }')" -ge 1
check "JIT: the note says what to do" grep -q 'PreserveFramePointer' "$work/jit.json"
"$bin" run --stacks --json -- java -XX:+PreserveFramePointer "${jit[@]}" 2>/dev/null >"$work/jit_fp.json"
echo "compiled frames, -XX:+PreserveFramePointer:"; ends <"$work/jit_fp.json"
check "JIT with -XX:+PreserveFramePointer: no jit_no_fp" test -z "$(ends <"$work/jit_fp.json" | awk '$2 == "jit_no_fp"')"
# Not only absent: the same sockets now unwind through the compiled frames to the thread's start.
check "JIT with -XX:+PreserveFramePointer: compiled frames complete" test "$(ends <"$work/jit_fp.json" | awk '$2 == "first_frame" { print $1 }')" -ge 100
e2e_finish
