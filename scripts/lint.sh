#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Checks formatting (.clang-format) and clang-tidy (.clang-tidy) on the C and
# C++ code changed since a base commit. docs/lint.md explains the checks.
#
# Usage: scripts/lint.sh [--fix] [--all] [BASE]
#   BASE    commit to compare with; default: the hash in .ci/lint-base
#   --fix   reformat the changed lines in place (clang-format), then check
#   --all   clang-tidy over every file of the compile database, not only the
#           changed lines (~30 CPU-minutes; formatting is still diff-only)
# Environment: LINT_BUILD_DIR (default build/) holds compile_commands.json,
#   made by scripts/build.sh; clang-tidy needs it and the generated headers.
#
# What is checked: files changed since BASE (committed or not; untracked files
# are not seen) ending in .cpp, .h or .c that still exist, outside bpf/, abi/
# (kernel-style C, hand-aligned with tabs) and vmlinux/ (generated).
#   format: any clang-format difference on a changed line
#   tidy:   findings on changed lines, for .cpp/.c files in the compile
#           database and headers under src/, tests/, bench/. Files cmake does
#           not compile as C++/C for the host (bpf/ via clang -target bpf) are
#           not in the database and not tidied.
#
# Exit codes: 0 clean; 1 findings (printed, with the command that fixes or
# shows them); 2 usage or setup error (unknown BASE, no compile database);
# 77 a tool is missing (scripts/install-deps.sh installs them).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

fix=0 all=0 base=
for a in "$@"; do
  case $a in
    --fix) fix=1 ;;
    --all) all=1 ;;
    -h|--help) sed -n '3,25p' "$0"; exit 0 ;;
    -*) echo "lint.sh: unknown option $a (--fix, --all, BASE)" >&2; exit 2 ;;
    *) base=$a ;;
  esac
done
again="scripts/lint.sh${base:+ $base}"  # how to run this check again
[[ -n $base ]] || base=$(tr -d '[:space:]' < .ci/lint-base)
build=${LINT_BUILD_DIR:-$top/build}

# First of the names that exists as a command or a file.
find_tool() {
  local t
  for t in "$@"; do
    if command -v "$t" >/dev/null 2>&1; then command -v "$t"; return 0; fi
    if [[ -x $t || ( $t == *.py && -f $t ) ]]; then echo "$t"; return 0; fi
  done
  return 1
}
missing=()
cf=$(find_tool clang-format-14 clang-format) || missing+=(clang-format)
cfd=$(find_tool clang-format-diff-14 /usr/share/clang/clang-format-14/clang-format-diff.py) || missing+=(clang-format-diff)
ct=$(find_tool clang-tidy-14 clang-tidy) || missing+=(clang-tidy)
ctd=$(find_tool clang-tidy-diff-14.py /usr/lib/llvm-14/share/clang/clang-tidy-diff.py) || missing+=(clang-tidy-diff)
rct=$(find_tool run-clang-tidy-14 run-clang-tidy) || missing+=(run-clang-tidy)
py=$(find_tool python3) || missing+=(python3)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "lint.sh: missing ${missing[*]}; run scripts/install-deps.sh as root (Debian: clang-format-14 clang-tidy-14)" >&2
  exit 77
fi

if ! git rev-parse -q --verify "$base^{commit}" >/dev/null; then
  echo "lint.sh: base '$base' is not a commit here; pass one, or fetch more history (git fetch --unshallow)" >&2
  exit 2
fi

# Changed C/C++ files that still exist, outside the kernel-style and generated trees.
files=()
while IFS= read -r f; do
  [[ -f $f ]] || continue
  case $f in bpf/*|abi/*|vmlinux/*) continue ;; esac
  files+=("$f")
done < <(git diff --name-only --diff-filter=d "$base" -- '*.cpp' '*.h' '*.c')
echo "lint.sh: ${#files[@]} changed C/C++ file(s) since ${base:0:12}"

status=0
# ---- format -----------------------------------------------------------------
if [[ ${#files[@]} -gt 0 ]]; then
  if [[ $fix -eq 1 ]]; then
    git diff -U0 --no-color "$base" -- "${files[@]}" | "$py" "$cfd" -p1 -i -binary "$cf"
  fi
  fmt_diff=$(git diff -U0 --no-color "$base" -- "${files[@]}" | "$py" "$cfd" -p1 -binary "$cf")
  if [[ -n $fmt_diff ]]; then
    printf '%s\n' "$fmt_diff"
    echo "lint.sh: format: changed lines differ from .clang-format; fix with: scripts/lint.sh --fix${again#scripts/lint.sh}" >&2
    status=1
  else
    echo "lint.sh: format: clean"
  fi
fi

# ---- tidy -------------------------------------------------------------------
db=$build/compile_commands.json
if [[ ! -f $db ]]; then
  echo "lint.sh: no $db; build first (scripts/build.sh), clang-tidy needs it and the generated headers" >&2
  exit 2
fi
# Findings in clang-tidy's output: "file:line:col: warning|error: ... [check]".
report_tidy() {
  local out=$1 how=$2
  local found
  sed -i 's/\x1b\[[0-9;]*m//g' "$out"  # run-clang-tidy-14 always colours
  # Generated headers under the build directory (the BPF skeleton is
  # bpftool's C, src/tracer/skeleton.h) are not ours to fix.
  found=$(grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ' "$out" | grep -v "^$build/" || true)
  if [[ -n $found ]]; then
    grep -vE '^(Suppressed|Use -header-filter|Use -system-headers|[0-9]+ (warnings?|errors?) (generated|treated))' "$out" | grep -v '^$' || true
    echo "lint.sh: tidy: $(wc -l <<<"$found") finding(s); see them again with: $how" >&2
    echo "  (fix by hand; a false positive gets // NOLINT(check) with a reason, see docs/lint.md)" >&2
    status=1
  else
    echo "lint.sh: tidy: clean"
  fi
}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if [[ $all -eq 1 ]]; then
  # Every translation unit of the project; headers through HeaderFilterRegex.
  "$py" "$rct" -p "$build" -clang-tidy-binary "$ct" -quiet -j "$(nproc)" \
    "^$top/(src|tests|bench)/" >"$out" 2>&1 || true
  report_tidy "$out" "scripts/lint.sh --all"
else
  tidy_files=()
  while IFS= read -r f; do tidy_files+=("$f"); done < <(
    "$py" - "$db" "$top" "${files[@]}" <<'EOF'
import json, os, sys
db, top, files = sys.argv[1], sys.argv[2], sys.argv[3:]
compiled = {os.path.realpath(os.path.join(e["directory"], e["file"])) for e in json.load(open(db))}
for f in files:
    if f.endswith(".h"):
        ok = f.split("/", 1)[0] in ("src", "tests", "bench")
    else:
        ok = os.path.realpath(os.path.join(top, f)) in compiled
    if ok:
        print(f)
EOF
  )
  if [[ ${#tidy_files[@]} -eq 0 ]]; then
    echo "lint.sh: tidy: no changed file in the compile database"
  else
    git diff -U0 --no-color "$base" -- "${tidy_files[@]}" |
      "$py" "$ctd" -p1 -path "$build" -clang-tidy-binary "$ct" -quiet -j "$(nproc)" >"$out" 2>&1 || true
    report_tidy "$out" "$again"
  fi
fi
exit $status
