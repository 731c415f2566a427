# SPDX-License-Identifier: GPL-2.0-only
# The set-up the bench scripts share; sourced, not run.
#
#   source "$(dirname "$0")/lib.sh"
#   bench_needs bpftrace strace   # root and these tools, or exit 77 (skipped)
#   bench_workdir                 # $work, removed at exit; $tracer_pid, if
#                                 # set, is stopped first (SIGINT, as Ctrl-C)
bench_name=$(basename "$0")

bench_needs() {
  [[ $EUID -eq 0 ]] || { echo "$bench_name: run as root" >&2; exit 77; }
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null || { echo "$bench_name: $c missing: scripts/install-deps.sh" >&2; exit 77; }
  done
}

tracer_pid=
bench_cleanup() {
  if [[ -n $tracer_pid ]]; then
    { kill -INT "$tracer_pid" && wait "$tracer_pid"; } 2>/dev/null || true
  fi
  rm -rf "$work"
}

bench_workdir() {
  work=$(mktemp -d "/tmp/sockscope-${bench_name%.sh}.XXXXXX")
  trap bench_cleanup EXIT
}
