#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Issue 13, "the copy fits the stack": how deep real socket-creation stacks
# are, and what --stack-size each needs to be complete; then the BPF cost
# per socket() event at each copy size, for a shallow and a deep stack.
#   part 1: for each program, `sockscope run --stacks --json --stack-size S`
#           for S = 4..64 KiB: frames, how it ends, the bytes the stack held
#           from sp's page to its top (stack_held, from bpf_find_vma);
#   part 2: tp_enter_socket run_time_ns / run_cnt (kernel.bpf_stats_enabled)
#           over 100k socket()+close() made 0 and 500 frames deep.
# Usage (root): bench/stacks_depth.sh path/to/build
set -euo pipefail
build=$(cd "$1" && pwd)
bin=$build/sockscope progs=$build/progs
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/sockscope-stack-depth.XXXXXX)
trap 'rm -rf "$work"' EXIT
sizes=(4096 8192 16384 32768 65536)
mkdir -p "$work/classes"
javac -d "$work/classes" "$top/tests/lib/Hello.java" "$top/tests/stacks/UnixSock.java"

# The creation record that `select` picks from a run's JSON report.
pick() { sed -n '/^{/,$p' | jq -c "[.sockets[].created | select($1)][0] // {}"; }
row() {  # name select cmd...
  local name=$1 sel=$2; shift 2
  local cells="" held=? frames=? need=-
  for s in "${sizes[@]}"; do
    local c; c=$("$@" "$s" | pick "$sel")
    local end; end=$(jq -r '.stack_end // "none"' <<<"$c")
    cells+=" | $end"
    [[ $end == first_frame && $need == - ]] && need=$s
    if [[ $s == 65536 ]]; then held=$(jq -r '.stack_held // "?"' <<<"$c"); frames=$(jq -r '.stack | length' <<<"$c"); fi
  done
  echo "| $name | $frames | $held | $need$cells |"
}
c_prog() { "$bin" run --stacks --json --stack-size "${@: -1}" -- "$progs/stack_depth" "${@:1:$#-1}" 2>/dev/null; }
py() { "$bin" run --stacks --json --stack-size "$1" -- /usr/bin/python3 -c 'import socket; socket.socket(socket.AF_UNIX)' 2>/dev/null; }
jvm_app() { "$bin" run --stacks --json --stack-size "$1" -- java -cp "$work/classes" UnixSock 2>/dev/null; }
jvm_init() {
  cat >"$work/inner.sh" <<INNER
#!/usr/bin/env bash
"$bin" run --stacks --json --stack-size $1 -- java -cp "$work/classes" Hello </dev/null 2>/dev/null
INNER
  chmod +x "$work/inner.sh"
  "$top/tests/lib/sssd_env.sh" "$work/env" -- "$work/inner.sh"
}
sshd_run() {  # sshd in its own net and mount namespaces, for one second
  "$bin" run --stacks --json --stack-size "$1" -- unshare --mount --net --propagation private bash -c '
    ip link set lo up && mount -n -t tmpfs none /run && mkdir /run/sshd &&
    timeout 1 /usr/sbin/sshd -D -e -p 2222 -o ListenAddress=127.0.0.1' 2>/dev/null || true
}

echo "| program | frames | stack held (bytes from sp's page to the top) | smallest complete --stack-size | 4 KiB | 8 KiB | 16 KiB | 32 KiB | 64 KiB |"
echo "|---|---|---|---|---|---|---|---|---|"
row "C -O2 -fomit-frame-pointer, main thread, 50 frames deep" '.comm == "stack_depth"' c_prog 50
row "C -O2 -fomit-frame-pointer, main thread, 500 frames deep" '.comm == "stack_depth"' c_prog 500
row "C, pthread_create thread, 50 frames deep" '.comm == "stack_depth"' c_prog 50 thread
row "C, pthread_create thread, 500 frames deep" '.comm == "stack_depth"' c_prog 500 thread
row "python3 -c 'socket.socket(AF_UNIX)'" '.family == "unix"' py
row "JVM application thread (UnixSock.openChannel)" 'any(.stack[]?; (.symbol // "") | test("UnixSock.openChannel"))' jvm_app
row "JVM init: libnss_sss from PerfMemory (sssd)" 'any(.stack[]?; (.module // "") | test("libnss_sss"))' jvm_init
[[ -x /usr/sbin/sshd ]] && row "sshd -D: its listening socket" '.comm == "sshd" and .family == "inet"' sshd_run

echo
cc -O2 -fomit-frame-pointer -o "$work/loop" -x c - <<'C'
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
volatile int sink;
__attribute__((noinline)) static int deep(int n) {
  if (n > 0) { int r = deep(n - 1); sink = r; return r; }
  for (int i = 0; i < 100000; i++) close(socket(AF_UNIX, SOCK_STREAM, 0));
  return 0;
}
int main(int argc, char** argv) { return deep(argc > 1 ? atoi(argv[1]) : 0); }
C
old=$(sysctl -n kernel.bpf_stats_enabled); sysctl -qw kernel.bpf_stats_enabled=1
cost() {  # depth, then sockscope options
  local depth=$1; shift
  "$bin" run --backend tracepoint "$@" -- "$work/loop" "$depth" >/dev/null 2>&1 &
  local pid=$! v=?
  sleep 1.5
  v=$(bpftool prog show -j | jq -r '[.[] | select(.name == "tp_enter_socket" and .run_cnt > 0)][0] | .run_time_ns / .run_cnt | floor') || true
  wait "$pid" || true
  echo "$v"
}
echo "| socket()+close() loop | no stacks | ${sizes[*]/%/ B} |" | sed 's/ B /, /g'
for depth in 0 500; do
  line="| $depth frames deep | $(cost "$depth") ns"
  for s in "${sizes[@]}"; do line+=" | $(cost "$depth" --stacks --stack-size "$s") ns"; done
  echo "$line |"
done
sysctl -qw kernel.bpf_stats_enabled="$old"
