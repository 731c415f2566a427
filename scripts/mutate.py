#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Mutation testing of the suite (docs/testing.md, tests/mutations/README.md).

Plants each mutation of tests/mutations/*.txt alone in the source, rebuilds
the binary and the test executables in an existing build directory, runs
the tests named by the mutation and then the rest of the unit and
integration tests, and restores the file. A mutation is killed when a test
fails; it survives when all pass. Debian packages no C++ mutation tool,
hence this script.
"""

import argparse
import dataclasses
import datetime
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time

TOP = pathlib.Path(__file__).resolve().parent.parent
LIST_DIR = TOP / "tests" / "mutations"
# metrics_exporter: the e2e scripts a mutation may name run it.
TARGETS = ["sockscope", "sockscope_unit_tests", "sockscope_integration_tests", "metrics_exporter"]
KEYS = {"id", "file", "find", "replace", "what", "tests", "equivalent"}
REQUIRED = {"id", "file", "find", "replace", "what", "tests"}
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 64
# Tests that every mutation fails without telling anything of the bug: the
# list check finds the planted file changed.
NEVER_KILLERS = r"^build\.mutation_list_matches_the_code$"
SUITE = "unit|integration"


@dataclasses.dataclass
class Mutation:
    id: str
    file: str
    find: str
    replace: str
    what: str
    tests: str
    equivalent: str
    origin: str  # list file and line, for messages


@dataclasses.dataclass
class Outcome:
    mutation: Mutation
    result: str  # killed, survived, build-error
    killers: list
    seconds: float


class ListError(Exception):
    pass


def parse_list(path):
    """Blocks of `key: value` lines separated by blank lines."""
    mutations, block, start = [], {}, 0
    lines = path.read_text().split("\n") + [""]
    for number, line in enumerate(lines, 1):
        if line.startswith("#"):
            continue
        if not line.strip():
            if block:
                mutations.append(make_mutation(block, f"{path.name}:{start}"))
                block = {}
            continue
        key, sep, value = line.partition(": ")
        if not sep and line.endswith(":"):
            key, value = line[:-1], ""
        elif not sep:
            raise ListError(f"{path.name}:{number}: expected 'key: value', got {line!r}")
        if key not in KEYS:
            raise ListError(f"{path.name}:{number}: unknown key {key!r} (keys: {', '.join(sorted(KEYS))})")
        if key in block:
            raise ListError(f"{path.name}:{number}: {key!r} given twice in one mutation")
        if not block:
            start = number
        block[key] = value
    return mutations


def make_mutation(block, origin):
    missing = REQUIRED - block.keys()
    if missing:
        raise ListError(f"{origin}: missing {', '.join(sorted(missing))}")
    return Mutation(block["id"], block["file"], block["find"], block["replace"], block["what"],
                    block["tests"], block.get("equivalent", ""), origin)


def load_all(libraries):
    mutations = []
    for path in sorted(LIST_DIR.glob("*.txt")):
        if libraries and path.stem not in libraries:
            continue
        mutations.extend(parse_list(path))
    seen = set()
    for m in mutations:
        if m.id in seen:
            raise ListError(f"{m.origin}: id {m.id!r} used twice")
        seen.add(m.id)
    return mutations


def check_applies(m):
    path = TOP / m.file
    if not path.is_file():
        return f"{m.origin} ({m.id}): {m.file} does not exist"
    count = path.read_text().count(m.find)
    if count != 1:
        return (f"{m.origin} ({m.id}): the text to find occurs {count} times in {m.file}, "
                "not once; update the mutation to the code as it is now")
    if m.find == m.replace:
        return f"{m.origin} ({m.id}): replace is the same as find"
    return None


def ctest(build, args, timeout):
    failed_log = build / "Testing" / "Temporary" / "LastTestsFailed.log"
    failed_log.unlink(missing_ok=True)
    cmd = ["ctest", "--timeout", str(timeout), "--stop-on-failure", "-j2"] + args
    subprocess.run(cmd, cwd=build, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not failed_log.exists():
        return []
    # Lines are "NUMBER:NAME".
    return [line.split(":", 1)[1] for line in failed_log.read_text().splitlines() if ":" in line]


def count_tests(build, regex):
    out = subprocess.run(["ctest", "-N", "-R", regex], cwd=build, capture_output=True, text=True).stdout
    match = re.search(r"Total Tests: (\d+)", out)
    return int(match.group(1)) if match else 0


def build_targets(build, log):
    with open(log, "ab") as sink:
        done = subprocess.run(["cmake", "--build", str(build), "-j2", "--target"] + TARGETS,
                              stdout=sink, stderr=subprocess.STDOUT)
    return done.returncode == 0


class Planted:
    """The one file changed at a time, restored on exit and on a signal.

    A marker in the build directory names the file and its saved copy, so
    that a run killed outright is undone by the next one."""

    def __init__(self, build):
        self.marker = build / "mutate-in-progress.json"
        if self.put_back():
            print("mutate: restored a file left mutated by an earlier run that was killed", file=sys.stderr)

    def put_back(self):
        if not self.marker.exists():
            return False
        state = json.loads(self.marker.read_text())
        pathlib.Path(state["file"]).write_bytes(bytes.fromhex(state["original"]))
        self.marker.unlink()
        return True

    def plant(self, m):
        path = TOP / m.file
        original = path.read_bytes()
        self.marker.write_text(json.dumps({"file": str(path), "original": original.hex()}))
        path.write_bytes(original.replace(m.find.encode(), m.replace.encode(), 1))

    def restore(self):
        # The restored file gets a new mtime on purpose: make then rebuilds
        # what was built from the mutated text.
        self.put_back()


def tracefs_mounts():
    """Mount points of tracefs and debugfs in our mount namespace."""
    with open("/proc/self/mounts") as f:
        return {line.split()[1] for line in f if line.split()[2:3] in (["tracefs"], ["debugfs"])}


def undo_mounts(m, before):
    """A planted bug may leave a tracefs mount on the host (the bug a test
    caught): take it away, so that the next tests and the machine are as
    they were."""
    for point in sorted(tracefs_mounts() - before, key=len, reverse=True):
        subprocess.run(["umount", point], check=False)
        print(f"mutate: {m.id} left {point} mounted; unmounted", file=sys.stderr)


def run_one(m, build, planted, timeout, log):
    started = time.monotonic()
    mounts = tracefs_mounts()
    planted.plant(m)
    try:
        if not build_targets(build, log):
            return Outcome(m, "build-error", [], time.monotonic() - started)
        killers = ctest(build, ["-R", m.tests, "-E", NEVER_KILLERS], timeout)
        if not killers:
            killers = ctest(build, ["-L", SUITE, "-E", f"({m.tests})|{NEVER_KILLERS}"], timeout)
    finally:
        planted.restore()
        undo_mounts(m, mounts)
    result = "killed" if killers else "survived"
    return Outcome(m, result, killers, time.monotonic() - started)


def rotation(mutations):
    """The day's slice for budgeted runs: start at a different mutation each day."""
    if not mutations:
        return mutations
    start = datetime.date.today().toordinal() * 7 % len(mutations)
    return mutations[start:] + mutations[:start]


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def report(outcomes, total_listed, path, budget_note):
    killed = [o for o in outcomes if o.result == "killed"]
    survived = [o for o in outcomes if o.result == "survived"]
    errors = [o for o in outcomes if o.result == "build-error"]
    run = len(killed) + len(survived)
    rate = 100.0 * len(killed) / run if run else 0.0
    equivalent = [o for o in survived if o.mutation.equivalent]
    lines = [
        f"Mutation run of {datetime.date.today().isoformat()}: {len(outcomes)} of {total_listed} "
        f"mutations run{budget_note}.",
        "",
        f"Killed {len(killed)} of {run} ({rate:.0f}%); survived {len(survived)} "
        f"({len(equivalent)} listed as equivalent); build errors {len(errors)}.",
        "",
        "| mutation | file | the bug | result | killed by | s |",
        "|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        m = o.mutation
        by = ", ".join(o.killers[:2]) + (" ..." if len(o.killers) > 2 else "")
        result = o.result
        if o.result == "survived" and m.equivalent:
            result = "survived (equivalent: " + m.equivalent + ")"
        lines.append(f"| `{m.id}` | `{m.file}` | {cell(m.what)} | {cell(result)} | {cell(by)} | {o.seconds:.0f} |")
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    return text


def main():
    parser = argparse.ArgumentParser(
        prog="scripts/mutate.sh",
        description="Plant each listed mutation alone, rebuild, run the tests, restore.")
    parser.add_argument("--build", default=str(TOP / "build"),
                        help="a configured and built build directory (default: build/, as scripts/build.sh normal makes it)")
    parser.add_argument("--check", action="store_true",
                        help="only check the list: keys, unique ids, each text found exactly once")
    parser.add_argument("--lib", action="append", default=[], help="only this library's list (repeatable)")
    parser.add_argument("--only", action="append", default=[], help="only this mutation id (repeatable)")
    parser.add_argument("--budget", type=int, default=0,
                        help="seconds; run the day's rotating slice until the budget is spent, skipping equivalents")
    parser.add_argument("--timeout", type=int, default=180, help="seconds per test (default 180)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the run of the unmutated suite (when it has just passed, as in CI)")
    parser.add_argument("--report", default="", help="where the Markdown table goes (default BUILD/mutate-report.md)")
    args = parser.parse_args()

    try:
        mutations = load_all(set(args.lib))
    except ListError as error:
        print(f"mutate: {error}", file=sys.stderr)
        return EXIT_FAILED
    if args.only:
        unknown = set(args.only) - {m.id for m in mutations}
        if unknown:
            print(f"mutate: no mutation with id {', '.join(sorted(unknown))}; see tests/mutations/*.txt",
                  file=sys.stderr)
            return EXIT_USAGE
        mutations = [m for m in mutations if m.id in args.only]
    problems = [p for p in map(check_applies, mutations) if p]
    for problem in problems:
        print(f"mutate: {problem}", file=sys.stderr)
    if args.check:
        print(f"mutate: {len(mutations)} mutations, {len(problems)} stale")
        return EXIT_FAILED if problems else EXIT_OK
    if problems:
        return EXIT_FAILED

    build = pathlib.Path(args.build).resolve()
    if not (build / "CTestTestfile.cmake").exists():
        print(f"mutate: {build} is not a configured build directory; run scripts/build.sh normal first",
              file=sys.stderr)
        return EXIT_USAGE
    total_listed = len(mutations)
    budget_note = ""
    if args.budget:
        mutations = [m for m in rotation(mutations) if not m.equivalent]
        budget_note = f", today's slice within a budget of {args.budget} s"

    log = build / "mutate-build.log"
    log.write_text("")
    planted = Planted(build)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not build_targets(build, log):
        print(f"mutate: the unmutated tree does not build; see {log}", file=sys.stderr)
        return EXIT_FAILED
    # After the build: it discovers the tests a new test file brings.
    for m in mutations:
        if count_tests(build, m.tests) == 0:
            print(f"mutate: {m.origin} ({m.id}): tests regex {m.tests} matches no test", file=sys.stderr)
            return EXIT_FAILED

    # A test that fails without any mutation would "kill" every one.
    if not args.no_baseline:
        failing = ctest(build, ["-L", SUITE], args.timeout)
        if failing:
            print(f"mutate: the unmutated suite fails ({', '.join(failing)}); fix that first", file=sys.stderr)
            return EXIT_FAILED

    outcomes, started = [], time.monotonic()
    try:
        for m in mutations:
            elapsed = time.monotonic() - started
            average = elapsed / len(outcomes) if outcomes else 0
            if args.budget and outcomes and elapsed + average > args.budget:
                break
            outcome = run_one(m, build, planted, args.timeout, log)
            outcomes.append(outcome)
            by = f" by {outcome.killers[0]}" if outcome.killers else ""
            print(f"mutate: {m.id}: {outcome.result}{by} ({outcome.seconds:.0f} s)", flush=True)
    finally:
        planted.restore()
        build_targets(build, log)

    report_path = pathlib.Path(args.report) if args.report else build / "mutate-report.md"
    print(report(outcomes, total_listed, report_path, budget_note))
    print(f"mutate: table written to {report_path}")
    unexpected = [o for o in outcomes if o.result == "survived" and not o.mutation.equivalent]
    errors = [o for o in outcomes if o.result == "build-error"]
    for o in unexpected:
        print(f"mutate: SURVIVED {o.mutation.id} ({o.mutation.origin}): {o.mutation.what}; "
              "add a test that a user's view of this bug fails, or explain why it is equivalent",
              file=sys.stderr)
    for o in errors:
        print(f"mutate: {o.mutation.id} ({o.mutation.origin}) does not build; fix the mutation "
              f"(see {log})", file=sys.stderr)
    return EXIT_FAILED if unexpected or errors else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
