#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Issue 4: `sockscope run --stacks` on real programs:
#  - a Java method that opens SocketChannel.open(UNIX) is named in the stack
#    (an interpreted frame, named through HotSpot's vmstructs);
#  - a C program (no frame pointers) whose binary exists only in a private
#    tmpfs inside `unshare --mount --pid --fork` symbolizes fully;
#  - json output carries the stack array; --folded prints flame-graph lines;
#  - processes that have exited before their events are read (exec'd, or
#    only forked) symbolize fully, from the module-map journal.
# Usage (root): tests/e2e/stacks_programs.sh path/to/sockscope   (77: skipped)
set -euo pipefail
bin=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root" >&2; exit 77; }
for c in jq java javac cc unshare; do
  command -v $c >/dev/null || { echo "SKIP: $c missing (apt-get install jq openjdk-17-jdk-headless gcc util-linux)" >&2; exit 77; }
done
work=$(mktemp -d /tmp/sockscope-stacks-progs.XXXXXX)
source "$(dirname "${BASH_SOURCE[0]}")/../lib/e2e.sh"  # check, wait_for, stop_tracer, e2e_finish
trap 'stop_tracer; rm -rf "$work"' EXIT
has() { grep -q -- "$1" <<<"$2"; }
# On a failed frame check, what the run reported of the container's socket
# (its stack with notes, the loss counters) and what it printed on stderr.
explain_ctr() {
  jq -c '{stats, ctr: [.sockets[] | select(.created.comm == "ctr_sock") | .created]}' <<<"$1" || true
  cat "$work/run.err" || true
}

# 1. Java: the caller's own method, interpreted.
mkdir -p "$work/classes"
javac -d "$work/classes" "$top/tests/stacks/UnixSock.java"
out=$("$bin" run --stacks -- java -cp "$work/classes" UnixSock 2>&1)
echo "$out" | grep -B2 -A3 'UnixSock.openChannel' | head -12 || true
check "java: [interp] UnixSock.openChannel in a stack" has '\[interp\] UnixSock.openChannel()' "$out"
check "java: [interp] SocketChannel.open(ProtocolFamily) in a stack" \
  has '\[interp\] java.nio.channels.SocketChannel.open(Ljava/net/ProtocolFamily;)' "$out"
check "java: JVM start stack reaches JNI_CreateJavaVM" has 'JNI_CreateJavaVM+0x' "$out"

# 2. A binary visible only in its own mount (and pid) namespace.
cc -O2 -g -o "$work/sock_depth" "$top/tests/stacks/sock_depth.c"
mkdir -p "$work/mnt"
json=$("$bin" run --stacks --json -- unshare --mount --propagation private --pid --fork bash -c \
  'mount -n -t tmpfs none "$1" && cp "$2" "$1/ctr_sock" && rm -f "$2" && "$1/ctr_sock" linger' _ "$work/mnt" "$work/sock_depth" \
  2>"$work/run.err")
frames=$(jq -r '.sockets[] | select(.created.comm == "ctr_sock") | .created.stack[]? | .symbol // "?"' <<<"$json")
echo "$frames"
grep -qx _start <<<"$frames" || explain_ctr "$json"
check "namespace: binary is gone from the host" test ! -e "$work/sock_depth" -a ! -e "$work/mnt/ctr_sock"
for f in make_sock level2 level1 main __libc_start_main _start; do
  check "namespace: frame $f" grep -qx "$f" <<<"$frames"
done
check "namespace: module named from inside the container" \
  test "$(jq -r '[.sockets[] | select(.created.comm == "ctr_sock") | .created.stack[] | select(.symbol == "make_sock")][0].module' <<<"$json")" = ctr_sock

# 2b. The same binary in the same kind of namespace, exiting right after
# socket(), with --hold-new: paused until its files are open, which the host
# could not open later (the tmpfs dies with the namespace). The process has
# made two sockets before, as another program (the first held, the second
# not), and exec'd ctr_sock: the hold is per exec, and only the record that
# stopped a process resumes it (the second record, read late, must not).
cc -O2 -g -o "$work/sock_depth" "$top/tests/stacks/sock_depth.c"
json=$("$bin" run --stacks --hold-new --json -- unshare --mount --propagation private --pid --fork bash -c \
  'mount -n -t tmpfs none "$1" && cp "$2" "$1/pre_exec" && cp "$2" "$1/ctr_sock" && exec "$1/pre_exec" exec "$1/ctr_sock"' \
  _ "$work/mnt" "$work/sock_depth" 2>"$work/run.err")
check "namespace, exits at once (--hold-new): one process, two programs" \
  test "$(jq -r '[.sockets[].created | select(.comm == "pre_exec" or .comm == "ctr_sock")] |
              "\(length) sockets, \([.[].pid] | unique | length) pid"' <<<"$json")" = "3 sockets, 1 pid"
frames=$(jq -r '.sockets[] | select(.created.comm == "ctr_sock") | .created.stack[]? | .symbol // "?"' <<<"$json")
grep -qx _start <<<"$frames" || explain_ctr "$json"
for f in make_sock level1 main _start; do
  check "namespace, exits at once (--hold-new): frame $f" grep -qx "$f" <<<"$frames"
done

# 3. Folded output.
cc -O2 -g -o "$work/sock_depth" "$top/tests/stacks/sock_depth.c"
folded=$("$bin" run --folded -- "$work/sock_depth" linger 2>/dev/null)
echo "$folded"
check "folded: one line, outermost first" has '^sock_depth;_start;__libc_start_main;__libc_start_call_main;main;level1;level2;make_sock;__socket;\[socket\] 1$' "$folded"

# 4. Processes gone before their events are read. The tracer is stopped
# (SIGSTOP) while they run, so /proc/PID/maps no longer exists when it reads
# their stacks: the module-map journal (perf mmap2, exec and fork records)
# has their mappings. One execs; one is only forked (it inherits its
# parent's mappings, which no record repeats).
"$bin" trace --stacks --comm sock_depth >"$work/trace.out" 2>"$work/trace.err" &
tracer=$!
check "trace started" wait_for "$work/trace.err" 'tracing with'
kill -STOP "$tracer" || true
"$work/sock_depth"
"$work/sock_depth" fork
kill -CONT "$tracer" || true
for _ in $(seq 100); do [[ $(grep -c '_start+0x' "$work/trace.out") -ge 2 ]] && break; sleep 0.1; done
stop_tracer
out=$(cat "$work/trace.out")
echo "$out"
check "exited before read: both sockets seen" test "$(grep -c ' socket fd=' <<<"$out")" -eq 2
check "exited before read: make_sock named in both" test "$(grep -c 'make_sock+0x.*(sock_depth)' <<<"$out")" -eq 2
check "exited before read: both reach _start" test "$(grep -c '_start+0x.*(sock_depth)' <<<"$out")" -eq 2
check "exited before read: libc named" has '__libc_start_main+0x.*(libc.so.6)' "$out"
check "exited before read: no journal warning" test -z "$(grep 'module-map' "$work/trace.err")"

# 5. The same under `run`, the usual way in: the process exits right after
# socket(). And with --hold-new, the fallback where perf records are not
# allowed, which pauses each process until its mappings are read.
out=$("$bin" run --stacks -- "$work/sock_depth" 2>&1)
check "short-lived process symbolized fully" has 'make_sock+0x.*sock_depth' "$out"
check "short-lived process: down to _start" has '_start+0x.*(sock_depth)' "$out"
out=$("$bin" run --stacks --hold-new -- "$work/sock_depth" 2>&1)
check "short-lived process symbolized fully (--hold-new)" has 'make_sock+0x.*sock_depth' "$out"
check "short-lived process exited normally (--hold-new)" has 'exited with code 0' "$out"

e2e_finish
