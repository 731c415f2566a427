#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Records tests/fixtures/topology: the kernel's own sock_diag dumps and a /proc
# snapshot of the processes of tests/progs/topology, for root-free unit tests.
# Usage (root): scripts/record_fixture.sh [BUILD_DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
out=$top/tests/fixtures/topology
work=$(mktemp -d /tmp/sockscope-record.XXXXXX)
trap 'exec 3>&- 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

mkfifo "$work/stdin"
"$build/progs/topology" "$work" <"$work/stdin" >"$work/ready" &
exec 3>"$work/stdin"
for _ in $(seq 100); do grep -q ready "$work/ready" 2>/dev/null && break; sleep 0.05; done
read -r _ main netns_child peer_child <"$work/ready"
rm -rf "$out"
"$build/sockscope" record "$out" -p "$main" -p "$netns_child" -p "$peer_child"
# The work dir name is random; keep it so tests can rebuild paths.
echo "$work" >"$out/workdir.txt"
echo "$main $netns_child $peer_child" >"$out/pids.txt"
exec 3>&-
wait
