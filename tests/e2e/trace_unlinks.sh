#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `trace` text is a socket trace: every `rm` on the machine is an unlink, so
# the text shows the unlinks and renames of socket paths only, says how many
# others it hid, and shows them all with --all-unlinks (issue 17, item 6).
# A real process (comm "sockscope-unl", so that the trace sees only it)
# removes a regular file, renames another, and unlinks the path of a unix
# socket it bound during the trace and of one bound before the trace began.
# Usage (root): tests/e2e/trace_unlinks.sh path/to/sockscope   (exit 77: skipped)
set -euo pipefail
bin=$(realpath "$1")
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root" >&2; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 missing: apt-get install python3" >&2; exit 77; }
work=$(mktemp -d /tmp/sockscope-unlinks.XXXXXX)
pids=()
cleanup() {
  stop_pids  # tests/lib/e2e.sh
  rm -rf "$work"
  return 0
}
trap cleanup EXIT
source "$(dirname "${BASH_SOURCE[0]}")/../lib/e2e.sh"  # check, wait_for, e2e_finish
comm=sockscope-unl

# A listener bound before the trace starts: its path is known from the
# start-up unix dump, not from a bind event.
python3 - "$work/early.sock" >"$work/early.out" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen()
print("listening", flush=True)
time.sleep(60)
PY
pids+=($!)
wait_for "$work/early.out" listening

"$bin" trace --comm "$comm" --duration 8 >"$work/filtered.out" 2>"$work/filtered.err" &
pids+=($!)
filtered=$!
"$bin" trace --comm "$comm" --duration 8 --all-unlinks >"$work/all.out" 2>"$work/all.err" &
pids+=($!)
all=$!
wait_for "$work/filtered.err" Ctrl-C
wait_for "$work/all.err" Ctrl-C

python3 - "$comm" "$work" <<'PY'
import os, socket, sys
comm, work = sys.argv[1], sys.argv[2]
with open("/proc/self/comm", "w") as f:
    f.write(comm)
for name in ("plain.txt", "old.txt"):
    open(os.path.join(work, name), "w").close()
os.unlink(os.path.join(work, "plain.txt"))
os.rename(os.path.join(work, "old.txt"), os.path.join(work, "new.txt"))
late = os.path.join(work, "late.sock")
s = socket.socket(socket.AF_UNIX)
s.bind(late)
s.close()
os.unlink(late)
# A socket file moved elsewhere, then removed there: still a socket path.
moved = os.path.join(work, "moved.sock")
s = socket.socket(socket.AF_UNIX)
s.bind(os.path.join(work, "tomove.sock"))
s.close()
os.rename(os.path.join(work, "tomove.sock"), moved)
os.unlink(moved)
os.unlink(os.path.join(work, "early.sock"))
PY
wait "$filtered" || true
wait "$all" || true

# The unlink lines themselves: the bind line of late.sock names it too.
check "the text shows the unlink of a socket bound during the trace" grep -qE "unlink .*late\.sock" "$work/filtered.out"
check "the text shows the unlink of a socket bound before the trace" grep -qE "unlink .*early\.sock" "$work/filtered.out"
check "the text shows the rename of a socket file" grep -qE "rename .*tomove\.sock -> .*moved\.sock" "$work/filtered.out"
check "the text shows the unlink where the socket file was moved to" grep -qE "unlink .*moved\.sock" "$work/filtered.out"
check "the text hides the unlink of a regular file" bash -c "! grep -q plain.txt '$work/filtered.out'"
check "the text hides the rename of a regular file" bash -c "! grep -q old.txt '$work/filtered.out'"
check "stderr counts the two hidden events and names the flag" \
  grep -q "2 unlink(s) and rename(s) of paths that are no socket's were not shown (--all-unlinks shows them)" \
  "$work/filtered.err"
check "--all-unlinks shows the regular file's unlink" grep -q "plain.txt" "$work/all.out"
check "--all-unlinks shows the rename with its destination" grep -q "old.txt.*new.txt" "$work/all.out"
check "--all-unlinks hides nothing and says nothing about it" bash -c "! grep -q 'were not shown' '$work/all.err'"
if ((fails)); then
  for f in filtered.out filtered.err all.out all.err; do echo "== $f"; cat "$work/$f"; done
fi
e2e_finish
