#!/usr/bin/env bash
# bench/jvm_attach_vs_jattach.sh [BUILD_DIR] [RUNS] [ROUNDS] [OTHER_BUILD_DIR]
#
# Times `sockscope jvm attach PID properties` against `jattach PID properties`
# on one JVM (tests/jvm/AttachTarget.java on /usr/bin/java) whose attach
# listener is already up (warmed once), so both measure the steady state:
# inspect, connect, one request, the reply. `sockscope --version` is timed too:
# the start-up alone (static initialization and CLI11, no attach).
#
# Both tools take about a millisecond, and a shared 2-core machine moves
# that by ±30% from one second to the next. So the RUNS runs of each
# (default 300) are split into ROUNDS rounds (default 10) that rotate
# which command goes first, each after 10 warm-ups; the table pools every
# run, and the ratios are taken within a round (one median over another's
# in the same round), then summarized over rounds: median and range.
#
# OTHER_BUILD_DIR (e.g. a build of the commit before a change) adds a second
# sockscope to every round, beside the first and jattach, and the per-round
# ratio of OTHER_BUILD_DIR's median to BUILD_DIR's: an A/B of two builds on
# the same JVM in one run.
# Needs root, java, javac, jattach and hyperfine. Exit 77 = prerequisite missing.
set -euo pipefail

me=jvm_attach_vs_jattach.sh
build=${1:-build}
runs=${2:-300}
rounds=${3:-10}
other=${4:-}
die() { echo "$me: ERROR: $*" >&2; exit 1; }

source "$(dirname "$0")/lib.sh"
bench_needs java javac jattach hyperfine
sockscope=$(realpath "$build/sockscope") || die "no $build/sockscope; build first"
if [[ -n $other ]]; then
    other_sockscope=$(realpath "$other/sockscope") || die "no $other/sockscope; build it first"
fi
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

# Each command as "NAME<TAB>COMMAND LINE"; with two builds, each sockscope is
# named after its build directory.
ours="sockscope jvm attach PID properties"
theirs="jattach PID properties"
startup="sockscope --version (start-up only)"
attach=()
version=()
if [[ -n $other ]]; then
    "$other_sockscope" jvm attach "$jvm" properties >/dev/null || die "$other/sockscope cannot attach"
    ours="$ours [$build]"
    attach+=("$ours"$'\t'"$sockscope jvm attach $jvm properties")
    attach+=("sockscope jvm attach PID properties [$other]"$'\t'"$other_sockscope jvm attach $jvm properties")
    version+=("$startup [$build]"$'\t'"$sockscope --version")
    version+=("$startup [$other]"$'\t'"$other_sockscope --version")
else
    attach+=("$ours"$'\t'"$sockscope jvm attach $jvm properties")
    version+=("$startup"$'\t'"$sockscope --version")
fi
attach+=("$theirs"$'\t'"jattach $jvm properties")

per_round=$(( (runs + rounds - 1) / rounds ))
for r in $(seq "$rounds"); do
    args=()
    n=${#attach[@]}
    for i in $(seq 0 $((n - 1))); do      # round r starts with command (r-1) mod n
        c=${attach[$(( (i + r - 1) % n ))]}
        args+=(-n "${c%%$'\t'*}" "${c#*$'\t'}")
    done
    for c in "${version[@]}"; do args+=(-n "${c%%$'\t'*}" "${c#*$'\t'}"); done
    hyperfine --style none --warmup 10 --runs "$per_round" -N --export-json "$work/round$r.json" \
        "${args[@]}" >/dev/null
done
python3 - "$work" "$rounds" "$theirs" "$ours" ${other:+"sockscope jvm attach PID properties [$other]"} <<'PY'
import json, statistics, sys
work, rounds, theirs, ours = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
other = sys.argv[5] if len(sys.argv) > 5 else None
times, medians = {}, []
for r in range(1, rounds + 1):
    res = {x["command"]: x["times"] for x in json.load(open(f"{work}/round{r}.json"))["results"]}
    for name, t in res.items():
        times.setdefault(name, []).extend(t)
    medians.append({name: statistics.median(t) for name, t in res.items()})
ms = lambda v: f"{v * 1000:.2f}"
print("| command | median (ms) | mean ± σ (ms) | min (ms) | runs |")
print("|---|---:|---:|---:|---:|")
for name, t in times.items():
    print(f"| `{name}` | {ms(statistics.median(t))} | {ms(statistics.mean(t))} ± {ms(statistics.stdev(t))} "
          f"| {ms(min(t))} | {len(t)} |")
print()
def ratio(num, den, label):
    v = [m[num] / m[den] for m in medians]
    print(f"{label}, median of {rounds} per-round ratios: {statistics.median(v):.2f} "
          f"(range {min(v):.2f} to {max(v):.2f}; rounds: {', '.join(f'{x:.2f}' for x in v)})")
ratio(ours, theirs, f"`{ours}` / jattach")
if other:
    ratio(other, theirs, f"`{other}` / jattach")
    ratio(other, ours, f"`{other}` / `{ours}`")
PY
