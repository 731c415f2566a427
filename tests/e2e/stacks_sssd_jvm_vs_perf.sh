#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Issues 4 and 13: `sockscope run --stacks -- java -cp DIR Hello` with sssd as
# the NSS source shows the libnss_sss socket() frames from socket down to
# clone3 (getpwuid_r, PerfMemory::create_memory_region, Threads::create_vm,
# JNI_CreateJavaVM, JavaMain), marked complete (first_frame) at the default
# settings; it has every frame that `perf record --call-graph dwarf,65528`
# finds for the same syscall, in order (perf may be cut short: since OpenJDK
# 17.0.21 it stops after Threads::create_vm, whose 8 KiB of locals hold a page
# never touched, which perf's copy cannot read), and the same frames as gdb's
# `bt` at the same call in a live JVM. All run inside tests/lib/sssd_env.sh;
# perf gets tracefs from a mount in a private mount namespace of its own.
# Usage (root): tests/e2e/stacks_sssd_jvm_vs_perf.sh path/to/sockscope   (77: skipped)
set -euo pipefail
bin=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root" >&2; exit 77; }
for c in jq java javac perf gdb unshare; do
  command -v $c >/dev/null || { echo "SKIP: $c missing (apt-get install jq openjdk-17-jdk-headless linux-perf gdb util-linux)" >&2; exit 77; }
done
work=$(mktemp -d /tmp/sockscope-stacks-e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes"
javac -d "$work/classes" "$top/tests/lib/Hello.java"
cat >"$work/inner.sh" <<'INNER'
#!/usr/bin/env bash
# Runs inside sssd_env.sh's private mount namespace. Hello exits at stdin EOF.
set -eu
bin=$1 cls=$2 out=$3 gdbx=$4
"$bin" run --stacks --json -- java -cp "$cls" Hello </dev/null >"$out/sockscope.out" 2>"$out/sockscope.err"
# perf sometimes records no sample of the tracepoint here (seen 1 run in 3
# on this shared VM, with no error); up to three retries, stderr kept.
for _ in 1 2 3 4; do
  unshare --mount --propagation private bash -c '
    { mountpoint -q /sys/kernel/tracing || mount -n -t tracefs nodev /sys/kernel/tracing; } &&
    perf record -q -e syscalls:sys_enter_socket --call-graph dwarf,65528 -o "$1/perf.data" -- \
      java -cp "$2" Hello </dev/null >/dev/null 2>"$1/perf.err" &&
    perf script -i "$1/perf.data" >"$1/perf.txt" 2>>"$1/perf.err"' _ "$out" "$cls" || true
  if grep -q libnss_sss "$out/perf.txt" 2>/dev/null; then break; fi
done
# gdb stops the live JVM at each AF_UNIX stream socket() and unwinds it.
timeout 120 gdb -q -batch -x "$gdbx" --args java -cp "$cls" Hello </dev/null >"$out/gdb.txt" 2>&1 || true
exit 0  # a perf or gdb miss is reported by the checks below
INNER
chmod +x "$work/inner.sh"
rc=0
"$top/tests/lib/sssd_env.sh" "$work/env" -- "$work/inner.sh" "$bin" "$work/classes" "$work" "$top/tests/lib/socket_bt.gdb" || rc=$?
[[ $rc -eq 77 ]] && exit 77
[[ $rc -eq 0 ]] || { echo "FAIL: the runs failed ($rc)"; cat "$work/sockscope.err" || true; exit 1; }

source "$(dirname "${BASH_SOURCE[0]}")/../lib/e2e.sh"  # check, e2e_finish
source "$top/tests/lib/stack_names.sh"  # norm_frame_names, gdb_bt_names
# Hello prints "ready PID" on the same stdout before the JSON report.
ours=$(sed -n '/^{/,$p' "$work/sockscope.out" | jq -r '
  [.sockets[] | select(any(.created.stack[]?; (.module // "") | test("libnss_sss")))][0].created.stack[]
  | (.symbol // "?") + "\t" + (.module // "")' | while IFS=$'\t' read -r s m; do echo "$(norm_frame_names <<<"$s") $m"; done)
theirs=$(awk 'BEGIN { RS = "" } /libnss_sss/ { print; exit }' "$work/perf.txt" | tail -n +2 |
  while read -r _ sym dso; do
    s=${sym%+0x*}
    m=$(basename "${dso//[()]/}"); [[ $m == inlined ]] && m=libc.so.6
    echo "$(norm_frame_names <<<"$s") $m"
  done)
gdbs=$(gdb_bt_names "$work/gdb.txt" libnss_sss)
names() { cut -d' ' -f1; }
# perf's frames before its first unknown one: ours must begin with them.
perf_known=$(sed '/^? \[unknown\]$/,$d' <<<"$theirs")
complete=$(sed -n '/^{/,$p' "$work/sockscope.out" | jq -r '
  [.sockets[] | select(any(.created.stack[]?; (.module // "") | test("libnss_sss")))][0].created.stack_end')
echo "--- sockscope ($complete):"; echo "$ours"; echo "--- perf:"; echo "$theirs"; echo "--- gdb:"; echo "$gdbs"
[[ -n $theirs ]] || { echo "perf script gave:"; grep -c sys_enter_socket "$work/perf.txt" || true; cat "$work/perf.err" || true; grep -o "([^)]*)$" "$work/perf.txt" | sort | uniq -c | head; }
check "sockscope found a libnss_sss socket() stack" test -n "$ours"
check "perf found a libnss_sss socket() stack" test -n "$theirs"
for f in socket getpwuid_r PerfMemory::create_memory_region Threads::create_vm JNI_CreateJavaVM JavaMain start_thread clone3; do
  check "stack has $f" grep -q "^$f " <<<"$ours"
done
check "marked complete: ends at the thread's first frame" test "$complete" = first_frame
check "every frame perf --call-graph dwarf,65528 finds, in order" test "$(head -n "$(wc -l <<<"$perf_known")" <<<"$ours")" = "$perf_known"
check "gdb found the stack" test -n "$gdbs"
check "the same frames as gdb's bt" test "$(names <<<"$ours")" = "$gdbs"
# lost counts every cause (ring full, args map full, undecodable records).
check "no event lost" bash -c "sed -n '/^{/,\$p' '$work/sockscope.out' | jq -e '.stats.lost == 0' >/dev/null"
e2e_finish
