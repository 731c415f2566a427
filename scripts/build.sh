#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Configures and builds. Usage: scripts/build.sh [normal|asan] [TARGET...]
# (no TARGET: everything, tests included; scripts/demo.sh builds only `sockscope`)
#   normal -> build/       (RelWithDebInfo)
#   asan   -> build-asan/  (AddressSanitizer + UndefinedBehaviorSanitizer)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-normal}
targets=("${@:2}")
case $kind in
  normal) dir=$top/build; flags=() ;;
  asan) dir=$top/build-asan; flags=(-DSOCKSCOPE_SANITIZE=ON -DSOCKSCOPE_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug) ;;
  *) echo "build.sh: unknown build kind '$kind' (normal|asan)" >&2; exit 64 ;;
esac
cmake -S "$top" -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)" ${targets[@]+--target "${targets[@]}"}
