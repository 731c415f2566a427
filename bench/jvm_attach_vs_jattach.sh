#!/usr/bin/env bash
# bench/jvm_attach_vs_jattach.sh [BUILD_DIR] [RUNS] [ROUNDS]
#
# Times `sockscope jvm attach PID properties` against `jattach PID properties`
# on one JVM (tests/jvm/AttachTarget.java on /usr/bin/java) whose attach
# listener is already up (warmed once), so both measure the steady state:
# inspect, connect, one request, the reply. `sockscope --version` is timed too:
# the start-up of a command that goes through static initialization and
# CLI11, which the plain attach path skips (src/cli/attach_action.cpp).
#
# Both tools take about a millisecond, and a shared 2-core machine moves
# that by ±30% from one second to the next. So the RUNS runs of each
# (default 300) are split into ROUNDS rounds (default 10) that alternate
# which tool goes first, each after 10 warm-ups; the table pools every run,
# and the last column is the median over rounds of sockscope's median
# divided by jattach's in the same round.
# Needs root, java, javac, jattach and hyperfine. Exit 77 = prerequisite missing.
set -euo pipefail

me=jvm_attach_vs_jattach.sh
build=${1:-build}
runs=${2:-300}
rounds=${3:-10}
die() { echo "$me: ERROR: $*" >&2; exit 1; }

source "$(dirname "$0")/lib.sh"
bench_needs java javac jattach hyperfine
sockscope=$(realpath "$build/sockscope") || die "no $build/sockscope; build first"
src=$(cd "$(dirname "$0")/../tests/jvm" && pwd)

work=$(mktemp -d /var/tmp/sockscope-bench-jvm-XXXXXX)
jvm=
cleanup() {
    exec 3>&- 2>/dev/null || true           # EOF on its stdin: AttachTarget exits
    if [[ -n $jvm ]]; then
        for _ in $(seq 50); do kill -0 "$jvm" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$jvm" 2>/dev/null || true
        wait "$jvm" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

javac -d "$work" "$src/AttachTarget.java"
mkfifo "$work/stdin"
exec 3<>"$work/stdin"
java -cp "$work" AttachTarget <"$work/stdin" >"$work/out" 2>&1 3>&- &
jvm=$!
for _ in $(seq 100); do grep -q ready "$work/out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$work/out" || die "the JVM did not start: $(cat "$work/out")"

jattach "$jvm" properties >/dev/null        # start the listener once
"$sockscope" jvm attach "$jvm" properties >/dev/null || die "sockscope cannot attach"

per_round=$(( (runs + rounds - 1) / rounds ))
ours="sockscope jvm attach PID properties"
theirs="jattach PID properties"
for r in $(seq "$rounds"); do
    pair=(-n "$ours" "$sockscope jvm attach $jvm properties" -n "$theirs" "jattach $jvm properties")
    (( r % 2 )) || pair=("${pair[@]:3:3}" "${pair[@]:0:3}")
    hyperfine --style none --warmup 10 --runs "$per_round" -N --export-json "$work/round$r.json" \
        "${pair[@]}" -n "sockscope --version (start-up only)" "$sockscope --version" >/dev/null
done
python3 - "$work" "$rounds" "$ours" "$theirs" <<'PY'
import json, statistics, sys
work, rounds, ours, theirs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
times, ratios = {}, []
for r in range(1, rounds + 1):
    res = {x["command"]: x for x in json.load(open(f"{work}/round{r}.json"))["results"]}
    for name, x in res.items():
        times.setdefault(name, []).extend(x["times"])
    ratios.append(statistics.median(res[ours]["times"]) / statistics.median(res[theirs]["times"]))
print(f"| command | median (ms) | mean ± σ (ms) | min (ms) | runs |")
print("|---|---:|---:|---:|---:|")
for name, t in times.items():
    ms = lambda v: f"{v * 1000:.2f}"
    print(f"| `{name}` | {ms(statistics.median(t))} | {ms(statistics.mean(t))} ± {ms(statistics.stdev(t))} "
          f"| {ms(min(t))} | {len(t)} |")
print()
print(f"sockscope / jattach, median of {rounds} per-round ratios: {statistics.median(ratios):.2f} "
      f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)})")
PY
