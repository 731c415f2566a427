#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the libFuzzer targets (fuzz/, clang, ASan + UBSan) in build-fuzz/
# and runs each for SECONDS (default 60) from a seed corpus taken from the
# recorded fixtures (tests/fixtures) and fuzz/seeds. Exit 1 if any target
# crashed, with the reproducer's path and the command that replays it.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (docs/testing.md)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
shift || true
[[ $secs =~ ^[0-9]+$ && $secs -gt 0 ]] || { echo "fuzz.sh: SECONDS must be a whole number > 0, not '$secs'" >&2; exit 64; }
dir=$top/build-fuzz
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing: scripts/install-deps.sh" >&2; exit 69; }

cmake -S "$top" -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DSOCKSCOPE_FUZZ=ON \
  -DBUILD_TESTING=OFF -DSOCKSCOPE_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS=-O1 >/dev/null
cmake --build "$dir" -j"$(nproc)" --target sockscope_fuzz

# A recorded fixture directory packed as one replay_fixture input
# (fuzz/fixture_archive.h): F file, L symlink, D directory.
pack_fixture() {
  local dir=$1 rel
  (cd "$dir" && find netns.txt pids.txt proc diag 2>/dev/null | LC_ALL=C sort) | while read -r rel; do
    if [[ -L $dir/$rel ]]; then
      local t; t=$(readlink "$dir/$rel"); printf 'L %s\n%d\n%s' "$rel" "${#t}" "$t"
    elif [[ -d $dir/$rel ]]; then
      [[ -n $(ls -A "$dir/$rel") ]] || printf 'D %s\n' "$rel"
    else
      printf 'F %s\n%d\n' "$rel" "$(stat -c %s "$dir/$rel")"; cat "$dir/$rel"
    fi
  done
}

# The seeds of each target: recorded files it would read for real.
seeds() {
  local f=$top/tests/fixtures
  case $1 in
    proc_maps) ls "$f"/proc_maps/*.maps "$f"/*/proc/*/maps ;;
    proc_status) ls "$f"/proc_status/*.txt "$f"/*/proc/*/status "$f"/tracer/*/proc/*/status ;;
    proc_files) ls "$f"/proc_files/* ;;
    perf_map) ls "$f"/perf_map/* ;;
    sock_diag) ls "$f"/*/diag/*/* ;;
    criu_opts) ls "$f"/*/proc/*/environ ;;
    replay_fixture)
      mkdir -p "$dir/packed"
      for d in "$f"/*/netns.txt; do
        d=$(dirname "$d"); pack_fixture "$d" >"$dir/packed/$(basename "$d")"; echo "$dir/packed/$(basename "$d")"
      done ;;
    *) ;;
  esac 2>/dev/null || true
  # Inputs that once crashed a target (each is also a unit test).
  ls "$f"/fuzz_regressions/"$1"/* 2>/dev/null || true
  ls "$top"/fuzz/seeds/"$1"/* 2>/dev/null || true
}

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || mapfile -t targets < <(sed 's/^fuzz_//' "$dir/fuzz/targets.txt" | grep .)
crashed=()
for t in "${targets[@]}"; do
  bin=$dir/fuzz/fuzz_$t
  [[ -x $bin ]] || { echo "fuzz.sh: no target $t (see $dir/fuzz/targets.txt)" >&2; exit 64; }
  seed=$dir/corpus/$t/seed work=$dir/corpus/$t/work art=$dir/crashes/$t
  rm -rf "$seed" && mkdir -p "$seed" "$work" "$art"
  seeds "$t" | while read -r s; do cp "$s" "$seed/$(echo "$s" | sed "s|^$top/||; s|/|_|g")"; done
  log=$dir/logs/$t.log
  mkdir -p "$(dirname "$log")"
  echo "fuzz.sh: $t for ${secs}s ($(ls "$seed" | wc -l) seeds)"
  # New inputs go to work/ (kept between runs); -timeout: a parser that
  # takes 10 s on one input is a finding too.
  if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$art/" "$work" "$seed" >"$log" 2>&1; then
    repro=$(ls -t "$art"/* 2>/dev/null | head -1)
    tail -40 "$log" >&2
    echo "fuzz.sh: $t CRASHED; reproducer: ${repro:-none written (see $log)}" >&2
    echo "fuzz.sh: replay it with: $bin ${repro:-}" >&2
    crashed+=("$t")
  else
    grep -E '^stat::number_of_executed_units' "$log" | sed "s/^/fuzz.sh: $t: /" || true
  fi
done
if [[ ${#crashed[@]} -gt 0 ]]; then
  echo "fuzz.sh: ${#crashed[@]} target(s) crashed: ${crashed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, ${secs}s each, no crash"
