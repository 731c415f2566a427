#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The whole test suite on a fresh machine: installs what is missing, builds,
# and runs unit, integration and end-to-end tests (run as root: the
# integration tests create namespaces, start sssd and a JVM, load BPF).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
"$top/scripts/build.sh" normal
cd "$top/build"
ctest --output-on-failure --timeout 600 "$@"
