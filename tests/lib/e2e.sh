# SPDX-License-Identifier: GPL-2.0-only
# Shared by tests/e2e/*.sh (source it): one "ok:"/"FAIL:" line per assertion
# and the closing "N passed, N failed" line ctest's log is read for.
passes=0 fails=0

# check DESCRIPTION COMMAND...: runs COMMAND, counts and prints the result.
check() {
  if "${@:2}"; then echo "ok: $1"; passes=$((passes + 1)); else echo "FAIL: $1"; fails=$((fails + 1)); fi
}

# wait_for FILE PATTERN: up to 10 s for PATTERN (grep) to show in FILE.
wait_for() {
  for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; return 1
}

# stop_tracer: ends the background sockscope whose pid is in $tracer (if
# any) the way a user would, with SIGINT, after resuming it in case a test
# had stopped it; waits for it and clears $tracer. Safe in an EXIT trap.
tracer=
stop_tracer() {
  [[ -n $tracer ]] || return 0
  kill -CONT "$tracer" 2>/dev/null || true
  kill -INT "$tracer" 2>/dev/null || true
  wait "$tracer" 2>/dev/null || true
  tracer=
}

# stop_pids: kills the background jobs whose pids a test put in the array
# $pids, and waits for them. Safe in an EXIT trap.
stop_pids() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}

# Prints the totals and exits 0 only when nothing failed. The explicit exit
# keeps an EXIT trap's last command from deciding the script's status.
e2e_finish() {
  echo "$passes passed, $fails failed"
  [[ $fails -eq 0 ]] && exit 0
  exit 1
}
