#!/usr/bin/env bash
# bench/jvm_attach_vs_jattach.sh [BUILD_DIR] [RUNS]
#
# Times `sockscope jvm attach PID properties` against `jattach PID properties`
# on one JVM (tests/jvm/AttachTarget.java on /usr/bin/java) whose attach
# listener is already up (warmed once), so both measure the steady state:
# inspect, connect, one request, the reply. `sockscope --version` is timed too:
# it is the process start-up alone (dynamic linking, CLI setup), which every
# sockscope command pays. Prints a Markdown table of hyperfine's numbers
# (median, mean ± σ, min; RUNS runs each, default 200, after 10 warm-ups).
# Needs root, java, javac, jattach and hyperfine. Exit 77 = prerequisite missing.
set -euo pipefail

me=jvm_attach_vs_jattach.sh
build=${1:-build}
runs=${2:-200}
skip() { echo "$me: SKIP: $*" >&2; exit 77; }
die() { echo "$me: ERROR: $*" >&2; exit 1; }

for tool in java javac jattach hyperfine; do
    command -v "$tool" >/dev/null || skip "$tool not found (apt-get install openjdk-17-jdk-headless jattach hyperfine)"
done
[[ $(id -u) == 0 ]] || skip "needs root"
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

hyperfine --style basic --warmup 10 --runs "$runs" -N \
    --export-json "$work/times.json" \
    -n "sockscope jvm attach PID properties" "$sockscope jvm attach $jvm properties" \
    -n "jattach PID properties" "jattach $jvm properties" \
    -n "sockscope --version (start-up only)" "$sockscope --version" >&2
echo
python3 - "$work/times.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["results"]
print("| command | median (ms) | mean ± σ (ms) | min (ms) |")
print("|---|---:|---:|---:|")
for r in rows:
    ms = lambda v: f"{v * 1000:.2f}"
    print(f"| `{r['command']}` | {ms(r['median'])} | {ms(r['mean'])} ± {ms(r['stddev'])} | {ms(r['min'])} |")
PY
