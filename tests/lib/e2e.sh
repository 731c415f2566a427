# SPDX-License-Identifier: GPL-2.0-only
# Shared by tests/e2e/*.sh (source it): one "ok:"/"FAIL:" line per assertion
# and the closing "N passed, N failed" line ctest's log is read for.
passes=0 fails=0

# check DESCRIPTION COMMAND...: runs COMMAND, counts and prints the result.
check() {
  if "${@:2}"; then echo "ok: $1"; passes=$((passes + 1)); else echo "FAIL: $1"; fails=$((fails + 1)); fi
}

# Prints the totals and exits 0 only when nothing failed. The explicit exit
# keeps an EXIT trap's last command from deciding the script's status.
e2e_finish() {
  echo "$passes passed, $fails failed"
  [[ $fails -eq 0 ]] && exit 0
  exit 1
}
