#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job on a built-in example: installs what is missing, builds, then
# reproduces the case sockscope was made for. A real sssd answers NSS in a
# private mount namespace; a JVM starts in its own network namespace (as in a
# container) and, during init, opens a unix socket to sssd. `ss` and `lsof`
# see nothing across the namespaces; `sockscope fd` names the peer.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
"$top/scripts/build.sh" normal
exec "$top/scripts/demo_sssd_jvm.sh" "$top/build/sockscope"
