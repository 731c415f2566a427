#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Issue 13, frame for frame: the stack of one socket(AF_UNIX, SOCK_STREAM)
# call per program, as sockscope (`run --stacks --json`, default settings),
# `perf record -e syscalls:sys_enter_socket --call-graph dwarf,65528` +
# `perf script`, and gdb (`break socket if $rdi == 1 && ($rsi & 0xf) == 1`, `bt` on
# the live thread) give it. Prints one table row per program: frame counts,
# whether sockscope has every frame perf has (in order: perf's frames up to
# its first unnamed one are a prefix of ours; perf names no frame of
# Debian's python3.11, whose symbols are only in .gnu_debugdata), whether its names equal gdb's,
# and how each ends. All run inside tests/lib/sssd_env.sh (sssd answers
# getpwuid_r, as in the JVM-init case). Frame lists are kept in $keep.
# Usage (root): bench/stacks_frames.sh path/to/build [keepdir]
set -euo pipefail
build=$(cd "$1" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/sockscope-stack-frames.XXXXXX)
keep=${2:-$work/frames}
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes" "$keep"
javac -d "$work/classes" "$top/tests/lib/Hello.java"
cat >"$work/inner.sh" <<'INNER'
#!/usr/bin/env bash
# In sssd_env's mount namespace: every tool on every case.
set -u
build=$1 work=$2 keep=$3 gdbx=$4
declare -A cmd=(
  [c_main]="$build/progs/stack_depth 50"
  [c_thread]="$build/progs/stack_depth 50 thread"
  [python3]="/usr/bin/python3 -c 'import socket; socket.socket(socket.AF_UNIX)'"
  [jvm_init]="java -cp $work/classes Hello"
)
for k in "${!cmd[@]}"; do
  eval "set -- ${cmd[$k]}"
  "$build/sockscope" run --stacks --json -- "$@" </dev/null >"$keep/$k.sockscope.json" 2>/dev/null
  unshare --mount --propagation private bash -c '
    mount -n -t tracefs nodev /sys/kernel/tracing &&
    perf record -q -e syscalls:sys_enter_socket --call-graph dwarf,65528 -o "$1" -- "${@:3}" </dev/null >/dev/null 2>&1 &&
    perf script -i "$1" >"$2" 2>/dev/null' _ "$work/$k.perf.data" "$keep/$k.perf.txt" "$@"
  timeout 120 gdb -q -batch -x "$gdbx" --args "$@" </dev/null >"$keep/$k.gdb.txt" 2>&1
done
exit 0
INNER
chmod +x "$work/inner.sh"
"$top/tests/lib/sssd_env.sh" "$work/env" -- "$work/inner.sh" "$build" "$work" "$keep" "$top/tests/lib/socket_bt.gdb"

source "$top/tests/lib/stack_names.sh"  # norm_frame_names, gdb_bt_names
# The first unix stream socket of the program (JVM init: the one libnss_sss makes).
sel='.family == "unix" and (.comm != "java" or any(.stack[]?; (.module // "") | test("libnss_sss")))'
echo "| program | sockscope frames (end) | perf dwarf,65528 frames | gdb bt frames | has every perf frame | same names as gdb |"
echo "|---|---|---|---|---|---|"
for k in c_main c_thread python3 jvm_init; do
  want=.; [[ $k == jvm_init ]] && want=libnss_sss
  c=$(sed -n '/^{/,$p' "$keep/$k.sockscope.json" | jq -c "[.sockets[].created | select($sel)][0] // {}")
  ours=$(jq -r '.stack[]? | .symbol // "?"' <<<"$c" | norm_frame_names)
  end=$(jq -r '.stack_end // "none"' <<<"$c")
  theirs=$(awk -v w="$want" 'BEGIN { RS = "" } /sys_enter_socket: family: 0x00000001, type: 0x000[08]0001/ && $0 ~ w { print; exit }' "$keep/$k.perf.txt" |
    tail -n +2 | awk '{ print $2 }' | sed -E 's/\+0x[0-9a-f]+$//' | norm_frame_names)
  # perf's frames up to its last named one; its unnamed frames match any.
  known=$(awk '{ a[NR] = $0 } $0 != "?" { last = NR } END { for (i = 1; i <= last; i++) print a[i] }' <<<"$theirs")
  [[ $(tail -1 <<<"$theirs") == "?" ]] && perf_cut=" (cut: [unknown] after $(tail -1 <<<"$known"))" || perf_cut=""
  gdbs=$(gdb_bt_names "$keep/$k.gdb.txt" "$want")
  n() { [[ -z $1 ]] && echo 0 || wc -l <<<"$1"; }
  prefix=no
  if [[ -n $known ]] && paste -d' ' <(echo "$known") <(head -n "$(n "$known")" <<<"$ours") |
      awk '$1 != "?" && $1 != $2 { bad = 1 } END { exit bad }'; then prefix=yes; fi
  same=no; [[ -n $gdbs && $ours == "$gdbs" ]] && same=yes
  echo "| $k | $(n "$ours") ($end) | $(n "$theirs")$perf_cut | $(n "$gdbs") | $prefix | $same |"
done
