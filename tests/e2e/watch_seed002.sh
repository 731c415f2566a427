#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Seed 002, reproduced: an exporter in its own mount namespace (a private
# /tmp, as in a container) listens on /tmp/prometheus-nginx.socket. An
# unrelated "security agent" on the host finds processes named like nginx,
# enters their mount namespace and runs the binary again with -V; that copy
# unlinks and rebinds the path. Clients then get ECONNREFUSED.
# `watch` must name the second process, its argv with -V and its parent
# chain, and show the client's ECONNREFUSED; `doctor` must flag the first
# server's listener and name the process that owns the path now.
# Usage (root): tests/e2e/watch_seed002.sh path/to/sockscope   (exit 77: skipped)
set -euo pipefail
bin=$(realpath "$1")
progs=$(dirname "$bin")/progs
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root" >&2; exit 77; }
command -v jq >/dev/null || { echo "SKIP: jq missing: apt-get install jq" >&2; exit 77; }
work=$(mktemp -d /var/tmp/sockscope-seed002.XXXXXX)  # not under /tmp: the "container" hides /tmp
pids=()
cleanup() {
  # unshare --fork ignores SIGTERM while its child runs: stop the child first.
  [[ -n ${server:-} ]] && kill "$server" 2>/dev/null || true
  [[ -n ${second:-} ]] && kill "$second" 2>/dev/null || true
  stop_pids  # tests/lib/e2e.sh
  rm -rf "$work"
  return 0
}
trap cleanup EXIT
source "$(dirname "${BASH_SOURCE[0]}")/../lib/e2e.sh"  # check, wait_for, e2e_finish
sock=/tmp/prometheus-nginx.socket

# The "container": a private mount namespace with its own /tmp.
cp "$progs/metrics_exporter" "$work/nginx-custom-metrics"
unshare --mount --propagation private --fork --kill-child -- bash -c \
  "mount -t tmpfs none /tmp && exec $work/nginx-custom-metrics $sock" >"$work/server.out" &
pids+=($!)
wait_for "$work/server.out" listening
server=$(awk '{print $2}' "$work/server.out")
first_ino=$(stat -L -c %i "/proc/$server/root$sock")

"$bin" watch --ns-of "$server" "$sock" --json --duration 12 >"$work/watch.json" 2>"$work/watch.err" &
pids+=($!)
watch_pid=$!
wait_for "$work/watch.err" watching

# The "security agent": an unrelated script that re-runs nginx-like binaries with -V.
# It looks only in this test's "container" (--ns: the server's mount
# namespace): an nginx-custom-me elsewhere on the machine is not ours to copy.
cat >"$work/aegis-finder" <<AGENT
#!/bin/bash
for pid in \$(pgrep -x --ns $server --nslist mnt nginx-custom-me); do
  nsenter -t "\$pid" -m -- "\$(readlink /proc/\$pid/exe)" $sock -V >"$work/second.out" &
done
wait
AGENT
chmod +x "$work/aegis-finder"
"$work/aegis-finder" &
pids+=($!)
wait_for "$work/second.out" listening
second=$(awk '/listening/ {print $2}' "$work/second.out")
sleep 0.3

doctor=$("$bin" doctor "$server" --interval 0 --json || true)
check "doctor flags the first server's listener as replaced" \
  test "$(jq -r '[.findings[] | select(.check == "replaced-listener")] | length' <<<"$doctor")" -ge 1
check "doctor names the process that owns the path now" \
  test "$(jq -r '.findings[] | select(.check == "replaced-listener") | .related[0].pid' <<<"$doctor")" = "$second"

check "doctor gives the new owner's parent chain (the agent)" \
  test "$(jq -r '.findings[] | select(.check == "replaced-listener") | [.related_lineage[].comm] | index("aegis-finder") != null' <<<"$doctor")" = true

# The second copy goes away; its socket file stays: clients are refused.
kill "$second"
sleep 0.2
client=$(nsenter -t "$server" -m -- "$work/nginx-custom-metrics" $sock --connect || true)
check "the client is refused" grep -q "refused" <<<"$client"
sleep 0.5
kill -INT "$watch_pid"
wait "$watch_pid" || true

bind=$(jq -c --argjson p "$second" 'select(.event == "bind" and .pid == $p)' "$work/watch.json" | head -1)
check "watch shows the second copy's bind" test -n "$bind"
# A process's lineage comes with its first touch (and again when it changes).
lineage=$(jq -c --argjson p "$second" 'select(.pid == $p and .lineage) | .lineage' "$work/watch.json" | head -1)
check "watch gives its argv with -V" test "$(jq -r '.[0].argv | index("-V") != null' <<<"$lineage")" = true
check "watch gives its parent chain up to the agent" \
  test "$(jq -r '[.[].comm] | index("aegis-finder") != null' <<<"$lineage")" = true
check "watch gives that lineage once for the copy's touches" \
  test "$(jq -s --argjson p "$second" '[.[] | select(.pid == $p and .lineage)] | length' "$work/watch.json")" = 1
unlink=$(jq -c --argjson p "$second" 'select(.event == "unlink" and .pid == $p)' "$work/watch.json" | head -1)
check "watch shows the second copy's unlink" test -n "$unlink"
check "the unlink took away the first server's file" test "$(jq -r .inode_before <<<"$unlink")" = "$first_ino"
new_ino=$(jq -r .inode_after <<<"$bind")
check "the bind made a new file" bash -c "[[ $new_ino != null && $new_ino != $first_ino ]]"
check "watch shows the client's ECONNREFUSED" \
  test -n "$(jq -c 'select(.event == "connect" and .errno == "ECONNREFUSED")' "$work/watch.json")"
check "watch reports lost events" test "$(jq -r 'select(.stats) | .stats.lost' "$work/watch.json")" = 0

e2e_finish
