#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `watch` on a path that is bound, unlinked, bound again, renamed and
# unlinked within a millisecond: each touch names the inode the path named
# before and after it, from the events themselves (a unix bind's socket file
# inode comes from the kernel at the bind's exit), never a null from a stat
# made after the file was gone. And the process's lineage is printed once,
# not with each of its touches (issue 17, item 6).
# Usage (root): tests/e2e/watch_fast_inodes.sh path/to/sockscope   (exit 77: skipped)
set -euo pipefail
bin=$(realpath "$1")
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root" >&2; exit 77; }
command -v jq >/dev/null || { echo "SKIP: jq missing: apt-get install jq" >&2; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 missing: apt-get install python3" >&2; exit 77; }
work=$(mktemp -d /tmp/sockscope-fast.XXXXXX)
pids=()
cleanup() {
  stop_pids  # tests/lib/e2e.sh
  rm -rf "$work"
  return 0
}
trap cleanup EXIT
source "$(dirname "${BASH_SOURCE[0]}")/../lib/e2e.sh"  # check, wait_for, e2e_finish

"$bin" watch "$work/*.sock" --json --duration 6 >"$work/watch.json" 2>"$work/json.err" &
pids+=($!)
json_watch=$!
"$bin" watch "$work/*.sock" --duration 6 >"$work/watch.txt" 2>"$work/text.err" &
pids+=($!)
text_watch=$!
wait_for "$work/json.err" watching
wait_for "$work/text.err" watching

python3 - "$work" >"$work/inodes" <<'PY'
import os, socket, sys
a, b = os.path.join(sys.argv[1], "a.sock"), os.path.join(sys.argv[1], "b.sock")
inos = []
for _ in range(2):
    s = socket.socket(socket.AF_UNIX)
    s.bind(a)
    inos.append(os.stat(a).st_ino)
    s.close()
    if len(inos) == 1:
        os.unlink(a)
os.rename(a, b)
os.unlink(b)
print(*inos)
PY
read -r ino1 ino2 <"$work/inodes"
wait "$json_watch" || true
wait "$text_watch" || true

nth() { jq -c --arg e "$1" --arg p "$work/$2" "select(.event == \$e and .watched_path == \$p)" "$work/watch.json" | sed -n "$3p"; }
field() { jq -r ".$2" <<<"$1"; }
bind1=$(nth bind a.sock 1) unlink1=$(nth unlink a.sock 1) bind2=$(nth bind a.sock 2)
rename=$(nth rename a.sock 1) unlink2=$(nth unlink b.sock 1)
check "the first bind made the first file" test "$(field "$bind1" inode_after)" = "$ino1"
check "the bind's event carries the socket file's inode" test "$(field "$bind1" path_inode)" = "$ino1"
check "the first unlink took that file away" test "$(field "$unlink1" inode_before)/$(field "$unlink1" inode_after)" = "$ino1/null"
check "the second bind made the second file" test "$(field "$bind2" inode_after)" = "$ino2"
check "the rename moved the second file away from a.sock" \
  test "$(field "$rename" inode_before)/$(field "$rename" inode_after)" = "$ino2/null"
check "the rename names its destination" test "$(field "$rename" path2)" = "$work/b.sock"
check "the unlink of b.sock took the moved file away" test "$(field "$unlink2" inode_before)" = "$ino2"
check "the JSON gives the process's lineage once" \
  test "$(jq -s '[.[] | select(.lineage)] | length' "$work/watch.json")" = 1
check "and every touch names the process" test "$(jq -s '[.[] | select(.event and (.pid | not))] | length' "$work/watch.json")" = 0
check "the text gives the lineage once" test "$(grep -c '^    process python3\[[0-9]*\] [^(]' "$work/watch.txt")" = 1
check "and refers to it on later touches" grep -q '^    process python3\[[0-9]*\] (lineage as above)$' "$work/watch.txt"
check "the text shows the rename's destination" grep -q "a.sock -> $work/b.sock" "$work/watch.txt"
if ((fails)); then
  echo "inodes: $ino1 $ino2"
  for f in watch.json watch.txt json.err text.err; do echo "== $f"; cat "$work/$f"; done
fi
e2e_finish
