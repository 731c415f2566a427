#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Issue 14, item 4: `doctor` names who replaced a listener's path from the
# recorder's history, though no `watch` ran. With a recorder running, three
# real listeners; then, from scripts of their own: `rm` of the first path
# and a new listener bound there (replaced-listener), `mv` of another
# socket file onto the second path (replaced-listener), `mv` of the third
# path away (orphaned-listener). `doctor --db` must name each process that
# did it, with its pid, argv and the script that started it; with no
# database (--db /nonexistent) doctor works as before and says nothing of
# a history. Usage (root): tests/e2e/doctor_history.sh path/to/sockscope
set -euo pipefail
bin=$(realpath "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root" >&2; exit 77; }
command -v jq >/dev/null || { echo "SKIP: jq missing: apt-get install jq" >&2; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 missing" >&2; exit 77; }
source "$top/tests/lib/e2e.sh"  # check, wait_for, e2e_finish
work=$(mktemp -d /tmp/sockscope-doctor-history.XXXXXX)
db=$work/state/history.db
run=$work/run
pids=()
cleanup() {
  [[ -n ${rec:-} ]] && kill -TERM "$rec" 2>/dev/null || true
  # The scripts' own listeners first (a killed script leaves its children).
  for k in binder fresh; do
    p=$(awk -v k="$k" '$1 == k {print $2}' "$work/acts" 2>/dev/null)
    [[ -n $p ]] && kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
  return 0
}
trap cleanup EXIT

# A listener at PATH that prints "listening PID" into OUT and waits.
cat >"$work/listener.py" <<'PY'
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(8)
print("listening", os.getpid(), flush=True)
time.sleep(600)
PY
listen() {  # listen PATH OUT
  python3 "$work/listener.py" "$1" >"$2" &
  pids+=($!)
  wait_for "$2" listening
}

"$bin" recorder --foreground --db "$db" --run-dir "$run" 2>"$work/rec.err" &
rec=$!
wait_for "$work/rec.err" ready || { cat "$work/rec.err"; exit 1; }

a=$work/app.sock b=$work/renamed-onto.sock c=$work/moved-away.sock
listen "$a" "$work/a.out"
listen "$b" "$work/b.out"
listen "$c" "$work/c.out"
first=$(awk '{print $2}' "$work/a.out")

# The culprits: scripts of their own, each step a child whose pid they log.
# A failed rename onto the path first (its source does not exist): nothing
# happened to the path, so the history must not show it.
cat >"$work/replacer.sh" <<EOF2
#!/bin/bash
python3 -c 'import os, sys
try:
    os.rename(sys.argv[1] + ".missing", sys.argv[1])
except OSError:
    pass' "\$1"
rm -f "\$1" & echo "rm \$!" >>"$work/acts"; wait \$!
python3 "$work/listener.py" "\$1" >"$work/new.out" &
echo "binder \$!" >>"$work/acts"
wait
EOF2
cat >"$work/mover.sh" <<EOF2
#!/bin/bash
python3 "$work/listener.py" "$work/fresh.sock" >"$work/fresh.out" &
echo "fresh \$!" >>"$work/acts"
while ! grep -q listening "$work/fresh.out" 2>/dev/null; do sleep 0.05; done
mv "$work/fresh.sock" "$b" & echo "mv_onto \$!" >>"$work/acts"; wait \$!
mv "$c" "$work/elsewhere.sock" & echo "mv_away \$!" >>"$work/acts"; wait \$!
wait
EOF2
chmod +x "$work/replacer.sh" "$work/mover.sh"
"$work/replacer.sh" "$a" &
replacer=$!
pids+=("$replacer")
wait_for "$work/new.out" listening
"$work/mover.sh" &
mover=$!
pids+=("$mover")
wait_for "$work/acts" mv_away
sleep 1  # the recorder commits every 200 ms
act() { awk -v k="$1" '$1 == k {print $2}' "$work/acts"; }
rm_pid=$(act rm) binder=$(act binder) mv_onto=$(act mv_onto) mv_away=$(act mv_away)
echo "listener $first; rm $rm_pid, binder $binder (replacer.sh $replacer); mv $mv_onto, $mv_away (mover.sh $mover)"

rc=0; text=$("$bin" doctor --interval 0 --db "$db") || rc=$?
echo "$text"
check "doctor: exit 1 (findings)" test "$rc" -eq 1
rc=0; json=$("$bin" doctor --interval 0 --db "$db" --json) || rc=$?
finding() { jq --arg p "$1" --arg c "$2" '.findings[] | select(.path == $p and .check == $c)' <<<"$json"; }
fa=$(finding "$a" replaced-listener) fb=$(finding "$b" replaced-listener) fc=$(finding "$c" orphaned-listener)
echo "$fa"; echo "$fb"; echo "$fc"

# The rm and the new bind, in order, with pids, argv and the script behind them.
check "text: the unlink, by rm and its pid" grep -qF "unlinked by rm[$rm_pid] " <<<"$text"
check "text: the new bind, by python3 and its pid" \
  grep -qE "bound again \(socket inode [0-9]+\) by python3\[$binder\] [^ ]*python3[^ ]* $work/listener.py $a" <<<"$text"
check "text: rm was started by replacer.sh" \
  grep -qF "started by: replacer.sh[$replacer]" <<<"$(grep -A1 -F "unlinked by rm[$rm_pid]" <<<"$text")"
check "json: the unlink first" test "$(jq -r '.history[0] | "\(.action) \(.pid) \(.comm)"' <<<"$fa")" = "unlinked $rm_pid rm"
# rm lives a millisecond: the recorder may find its /proc entry gone (then no argv).
argv=$(jq -r '.history[0].argv | join(" ")' <<<"$fa")
check "json: rm's argv, when recorded, is what it ran" test "$argv" = "rm -f $a" -o -z "$argv"
check "json: then the bind, with the new socket's inode" \
  test "$(jq -r '.history[1] | "\(.action) \(.pid) \(.comm) \(.bound_inode > 0)"' <<<"$fa")" = "bound $binder python3 true"
check "json: rm's parent is replacer.sh" test "$(jq -r '.history[0].lineage[0] | "\(.pid) \(.comm)"' <<<"$fa")" = "$replacer replacer.sh"
check "json: the binder's parent is replacer.sh" test "$(jq -r '.history[1].lineage[0].pid' <<<"$fa")" = "$replacer"
check "json: exactly those two" test "$(jq '.history | length' <<<"$fa")" -eq 2
check "json: rm's exe" grep -q 'rm$' <<<"$(jq -r '.history[0].exe' <<<"$fa")"

# mv onto a path: a replaced listener; mv away: an orphaned one.
check "json: mv renamed a socket file onto the second path" \
  test "$(jq -r '[.history[] | select(.action == "renamed onto")][0] | "\(.pid) \(.comm) \(.other_path)"' <<<"$fb")" = "$mv_onto mv $work/fresh.sock"
check "text: the rename onto it" grep -qF "replaced by a rename of $work/fresh.sock by mv[$mv_onto]" <<<"$text"
check "json: mv renamed the third path away" \
  test "$(jq -r '.history[0] | "\(.action) \(.pid) \(.other_path)"' <<<"$fc")" = "renamed away $mv_away $work/elsewhere.sock"
check "json: mv's parent is mover.sh" test "$(jq -r '.history[0].lineage[0] | "\(.pid) \(.comm)"' <<<"$fc")" = "$mover mover.sh"
check "json: a finding with a record says no reason" test "$(jq -r '.history_missing // "none"' <<<"$fc")" = none

# No database: doctor as before, no history line, no history in JSON.
rc=0; plain=$("$bin" doctor --interval 0 --db /nonexistent/history.db) || rc=$?
check "no database: doctor still reports (exit 1)" test "$rc" -eq 1
check "no database: the finding is there" grep -qF "listener $a is alive" <<<"$plain"
check "no database: no history line" test "$(grep -c 'history:' <<<"$plain" || true)" -eq 0
rc=0; pj=$("$bin" doctor --interval 0 --db /nonexistent/history.db --json) || rc=$?
check "no database: JSON history empty, no reason given" \
  test "$(jq --arg p "$a" '.findings[] | select(.path == $p) | "\(.history | length) \(has("history_missing"))"' -r <<<"$pj")" = "0 false"

kill -TERM "$rec"; rc=0; wait "$rec" || rc=$?; rec=
check "recorder: SIGTERM, exit 0" test "$rc" -eq 0
e2e_finish
