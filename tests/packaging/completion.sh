#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The bash completion made by `sockscope completion bash` offers the
# commands, the options of each, the operations under `jvm`, and falls back
# to file names after an option that takes a value. bash-completion itself
# is not needed: the function only uses compgen.
# Usage: completion.sh SOCKSCOPE_BIN
set -euo pipefail
bin=$1
fails=0
# `_sockscope` completing the words given (the last one being the cursor's).
complete_words() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _sockscope
  printf '%s\n' "${COMPREPLY[@]}"
}
# expect WORD... -- REPLY...: every REPLY is among the completions of WORD...
expect() {
  local words=() got want
  while [[ $1 != -- ]]; do words+=("$1"); shift; done
  shift
  got=$(complete_words "${words[@]}")
  for want in "$@"; do
    grep -qx -- "$want" <<< "$got" || { echo "FAIL: '${words[*]}' does not offer $want; offers: $(echo $got)"; fails=1; }
  done
}
# nothing WORD...: no completion (bash falls back to file names).
nothing() {
  local got
  got=$(complete_words "$@")
  [[ -z $got ]] || { echo "FAIL: '$*' offers $(echo $got), wanted file names"; fails=1; }
}

source <("$bin" completion bash)
[[ $(complete -p sockscope) == *"-F _sockscope"* ]] || { echo "FAIL: no completion registered for sockscope"; exit 1; }
expect sockscope "" -- ls fd doctor watch trace run probes checkpoint recorder history jvm record
expect sockscope --v -- --version
expect sockscope l -- ls
expect sockscope ls --l -- --listening
expect sockscope ls "" -- -p --pid --unix --inet --listening --path --json --help
expect sockscope jvm "" -- ls attach perfmap
expect sockscope recorder st -- status
expect sockscope ls --unix --p -- --pid --path
nothing sockscope ls --path ""
nothing sockscope watch /ru
[[ -z $(complete_words sockscope comp) ]] || { echo "FAIL: the hidden completion command is offered"; fails=1; }
((fails == 0)) && echo "ok: completion offers commands, options and jvm operations"
exit "$fails"
