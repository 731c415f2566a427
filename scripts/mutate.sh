#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Mutation testing: plant each bug of tests/mutations/*.txt alone, rebuild,
# run the tests, restore (docs/testing.md). Needs a build from
# scripts/build.sh normal; runs as root, as the integration tests do.
#   scripts/mutate.sh                 every mutation (about an hour)
#   scripts/mutate.sh --budget 420    CI: today's rotating slice
#   scripts/mutate.sh --check         the list still matches the code
set -euo pipefail
exec /usr/bin/python3 "$(dirname "$0")/mutate.py" "$@"
