#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the Debian package with CPack (docs/packaging.md): the binary, its
# man pages and bash completion (made from the binary by help2man and
# `sockscope completion bash`), the recorder's systemd unit, README and docs.
# Only what the package holds is built, not the tests. Prints lintian's
# findings when lintian is installed.
# Usage: scripts/package.sh [BUILD_DIR]   (default build/; the .deb lands in BUILD_DIR/deb/)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build}
command -v help2man >/dev/null || { echo "package.sh: help2man is missing: run scripts/install-deps.sh" >&2; exit 1; }
# Reconfigure so that a build dir made before help2man was installed finds it.
cmake -S "$top" -B "$dir" -DSOCKSCOPE_HELP2MAN="$(command -v help2man)" >/dev/null
cmake --build "$dir" -j"$(nproc)" --target sockscope sockscope_package_files
rm -rf "$dir/deb"
cpack --config "$dir/CPackConfig.cmake" -B "$dir/deb" >/dev/null
deb=$(echo "$dir"/deb/sockscope_*.deb)
echo "package.sh: $deb"
dpkg-deb -f "$deb" Package Version Architecture Depends Installed-Size
if command -v lintian >/dev/null; then
  lintian --display-info "$deb" || echo "package.sh: lintian has findings (docs/packaging.md)" >&2
fi
