#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `doctor` flags a running JVM whose /tmp/.java_pid<pid> attach socket was
# deleted (a tmp cleaner's doing), and says nothing while the file is there.
# Usage (root): tests/e2e/doctor_jvm_attach.sh path/to/sockscope   (exit 77: skipped)
set -euo pipefail
bin=$(realpath "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root" >&2; exit 77; }
command -v javac >/dev/null || { echo "SKIP: no JDK: apt-get install openjdk-17-jdk-headless" >&2; exit 77; }
command -v jq >/dev/null || { echo "SKIP: jq missing: apt-get install jq" >&2; exit 77; }
work=$(mktemp -d /tmp/sockscope-doctor-jvm.XXXXXX)
jvm=
cleanup() {
  exec 3>&- 2>/dev/null || true
  [[ -n $jvm ]] && { wait "$jvm" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
source "$(dirname "${BASH_SOURCE[0]}")/../lib/e2e.sh"  # check, e2e_finish


javac -d "$work" "$top/tests/lib/Hello.java"
mkfifo "$work/in"
java -cp "$work" Hello <"$work/in" >"$work/out" &
jvm=$!
exec 3>"$work/in"   # Hello exits when its stdin closes
for _ in $(seq 100); do grep -q ready "$work/out" 2>/dev/null && break; sleep 0.1; done
"$bin" jvm properties "$jvm" >/dev/null   # starts the attach listener
check "the attach socket exists" test -S "/tmp/.java_pid$jvm"

clean=$("$bin" doctor "$jvm" --interval 0 --json) && rc=0 || rc=$?
check "doctor is clean while the file is there" test "$rc" = 0
rm -f "/tmp/.java_pid$jvm"   # the tmp cleaner
out=$("$bin" doctor "$jvm" --interval 0 --json) && rc=0 || rc=$?
check "doctor exits 1 with findings" test "$rc" = 1
check "doctor flags the deleted JVM attach socket" \
  test "$(jq -r '[.findings[] | select(.check == "jvm-attach-socket-gone")] | length' <<<"$out")" = 1
check "the finding names the JVM" \
  test "$(jq -r '.findings[] | select(.check == "jvm-attach-socket-gone") | .holders[0].pid' <<<"$out")" = "$jvm"
e2e_finish
