#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job on a built-in example: installs what is missing, builds the
# binary (not the tests; a second run reuses the build), then tells the case
# sockscope was made for, step by step (scripts/demo_sssd_jvm.sh): a JVM's
# descriptor that `ss` and `lsof` cannot explain, its peer in another
# namespace, the code that created it, and what it means for a checkpoint.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
t0=$(date +%s.%N)
"$top/scripts/install-deps.sh"
t1=$(date +%s.%N)
"$top/scripts/build.sh" normal sockscope
t2=$(date +%s.%N)
printf '(installing what was missing took %.1f s, building sockscope %.1f s)\n\n' \
  "$(bc <<<"$t1 - $t0")" "$(bc <<<"$t2 - $t1")"
exec "$top/scripts/demo_sssd_jvm.sh" "$top/build/sockscope"
