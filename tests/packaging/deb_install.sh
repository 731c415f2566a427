#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The Debian package passes lintian (findings left are overridden in the
# package and explained in docs/packaging.md), installs, works (--version,
# man sockscope-ls, the unit, bash completion) and is removed with nothing
# left. dpkg runs chrooted in a copy-on-write view of this machine (overlay
# over /, upper layer in a tmpfs, in a private mount namespace), so the
# host's files and dpkg database are the same after the test.
# Usage: deb_install.sh BUILD_DIR [DEB]   (without DEB, cpack packs BUILD_DIR; 77: skipped)
set -euo pipefail
build=$1 deb=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "SKIP: $*"; exit 77; }
[[ $EUID -eq 0 ]] || skip "needs root (mount namespace, overlay, chroot)"
for t in cpack dpkg-deb lintian man unshare chroot; do
  command -v "$t" >/dev/null || skip "no $t (scripts/install-deps.sh)"
done
[[ -d $build/packaging/man1 ]] || skip "no man pages in $build (help2man was missing at configure time)"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || skip "no overlay filesystem"

tmp=$(mktemp -d /tmp/sockscope-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if [[ -z $deb ]]; then
  cpack --config "$build/CPackConfig.cmake" -B "$tmp/cpack" > "$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; exit 1; }
  deb=$(echo "$tmp"/cpack/sockscope_*.deb)
fi
[[ -f $deb ]] || { echo "FAIL: no package made"; exit 1; }
echo "package: $(dpkg-deb -f "$deb" Package Version Architecture Depends | tr '\n' ' ')"

# lintian: nothing at warning or error level beyond the overrides the package
# ships (/usr/share/lintian/overrides/sockscope), which it honours.
lintian --fail-on error,warning --display-info "$deb" > "$tmp/lintian" 2>&1 || lint_rc=$?
cat "$tmp/lintian"
((${lint_rc:-0} == 0)) || { echo "FAIL: lintian (exit ${lint_rc})"; exit 1; }

host_state() { dpkg-query -W -f='${Status}\n' sockscope 2>/dev/null || echo absent; }
before=$(host_state)
cp "$deb" "$tmp/sockscope.deb"
unshare --mount --propagation private bash "$here/deb_install_inside.sh" "$tmp" \
  "$(dpkg-deb -f "$deb" Version)"
after=$(host_state)
[[ $before == "$after" ]] || { echo "FAIL: the host's dpkg state of sockscope changed: $before -> $after"; exit 1; }
echo "ok: lintian clean, installed, ran, removed; host unchanged ($after)"
