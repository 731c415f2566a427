#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The files the package ships that are made from the binary itself, so that
# none repeats an option or a description by hand (docs/packaging.md):
#   OUTDIR/man1/sockscope.1.gz, sockscope-CMD.1.gz for each command: help2man
#     on `sockscope [CMD] --help`; NAME from the command's description in the
#     CLI (`sockscope completion list`), EXIT STATUS from docs/cli.md's table;
#   OUTDIR/completions/sockscope: `sockscope completion bash`.
# Usage: generate.sh SOCKSCOPE_BIN CLI_MD OUTDIR
set -euo pipefail
bin=$1 cli_md=$2 out=$3
command -v help2man >/dev/null || { echo "generate.sh: help2man is missing (scripts/install-deps.sh)" >&2; exit 1; }
rm -rf "$out/man1" "$out/completions"
mkdir -p "$out/man1" "$out/completions"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" completion bash > "$out/completions/sockscope"
# Top-level commands only ("sockscope ls"): nested ones (jvm attach, recorder
# status) are described in their parent's --help.
"$bin" completion list | awk -F'\t' 'split($1, w, " ") == 2' > "$tmp/commands"
[[ -s $tmp/commands ]] || { echo "generate.sh: $bin completion list named no command" >&2; exit 1; }
version=$("$bin" --version | awk '{print $2}')

# docs/cli.md's exit code rows, "| 0 | ok | meaning |", as roff tagged paragraphs.
sed -n 's/^| \([0-9]\{1,3\}\) | [^|]* | \(.*\) |$/.TP\n.B \1\n\2/p' "$cli_md" |
  sed 's/`\([^`]*\)`/\\fB\1\\fR/g' > "$tmp/exit_status"
[[ -s $tmp/exit_status ]] || { echo "generate.sh: no exit code table in $cli_md" >&2; exit 1; }

# page NAME DESCRIPTION HELP_WORDS SEE_ALSO...: one gzipped page.
page() {
  local name=$1 desc=$2 words=$3
  shift 3
  {
    printf '[NAME]\n%s \\- %s\n' "$name" "$desc"
    printf '[EXIT STATUS]\n'
    cat "$tmp/exit_status"
    printf '[SEE ALSO]\n'
    local first=1 s
    for s in "$@"; do
      ((first)) || printf ',\n'
      printf '.BR %s (1)' "$s"
      first=0
    done
    printf '\n.PP\n/usr/share/doc/sockscope/README.md\n'
  } > "$tmp/$name.h2m"
  # --version-string names the page (its .TH) after the command, not the binary.
  help2man --no-info --section=1 --include="$tmp/$name.h2m" \
    --version-string="$name $version" --help-option="$words --help" \
    --output="$tmp/$name.1" "$bin"
  gzip -9n < "$tmp/$name.1" > "$out/man1/$name.1.gz"
}

all=()
while IFS=$'\t' read -r path _; do all+=("sockscope-${path#sockscope }"); done < "$tmp/commands"
# The first line of `sockscope --help` is the app's description: "sockscope: ...".
summary=$("$bin" --help | head -n 1)
page sockscope "${summary#sockscope: }" "" "${all[@]}"
while IFS=$'\t' read -r path desc; do
  cmd=${path#sockscope }
  page "sockscope-$cmd" "$desc" "$cmd" sockscope
done < "$tmp/commands"
