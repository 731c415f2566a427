#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# deb_install.sh's part inside its private mount namespace: the overlay root,
# then install, use and remove TMP/sockscope.deb chrooted there. Every mount
# made here goes away with the namespace.
# Usage (from deb_install.sh only): deb_install_inside.sh TMP VERSION
set -euo pipefail
tmp=$1 version=$2
fail() { echo "FAIL: $*"; exit 1; }

# The upper layer on a tmpfs: whatever / is on, the writes stay in memory.
mkdir -p "$tmp/rw" "$tmp/root"
mount -t tmpfs -o mode=0755 sockscope-deb "$tmp/rw"
mkdir "$tmp/rw/upper" "$tmp/rw/work"
mount -t overlay -o "lowerdir=/,upperdir=$tmp/rw/upper,workdir=$tmp/rw/work" sockscope-deb "$tmp/root"
root=$tmp/root
mount --rbind /dev "$root/dev"
mount -t proc proc "$root/proc"
mount -t tmpfs tmpfs "$root/tmp"
cp "$tmp/sockscope.deb" "$root/tmp/"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

in_root dpkg-query -W sockscope >/dev/null 2>&1 && fail "sockscope is already installed here"
in_root dpkg -i /tmp/sockscope.deb > "$tmp/dpkg-i.log" 2>&1 || { cat "$tmp/dpkg-i.log"; fail "dpkg -i"; }

# What it answers once installed.
got=$(in_root sockscope --version)
[[ $got == "sockscope ${version%-*}" ]] || fail "sockscope --version says '$got', the package is $version"
# man-db's seccomp sandbox may be refused in a container; the page is what is checked.
page=$(in_root env MAN_DISABLE_SECCOMP=1 MANPAGER=cat MANWIDTH=100 man sockscope-ls 2>&1) || fail "man sockscope-ls: $page"
for want in "SOCKSCOPE-LS" "sockscope-ls - List sockets" "--listening" "EXIT STATUS" "SEE ALSO"; do
  grep -qF -- "$want" <<< "$page" || fail "man sockscope-ls lacks '$want':"$'\n'"$page"
done
in_root man -w sockscope sockscope-fd sockscope-jvm sockscope-recorder > /dev/null || fail "a man page is missing"
in_root test -f /usr/lib/systemd/system/sockscope-recorder.service || fail "no recorder unit"
in_root bash -c 'source /usr/share/bash-completion/completions/sockscope && complete -p sockscope' > /dev/null ||
  fail "the bash completion does not load"
in_root test -f /usr/share/doc/sockscope/copyright || fail "no copyright file"

# Removal: every path dpkg installed (but the directories others share) is gone.
in_root dpkg-query -L sockscope > "$tmp/files"
in_root dpkg -r sockscope > "$tmp/dpkg-r.log" 2>&1 || { cat "$tmp/dpkg-r.log"; fail "dpkg -r"; }
left=()
while read -r f; do
  [[ -e $root$f && ! -d $root$f ]] && left+=("$f")
  [[ -d $root$f && $f == *sockscope* ]] && left+=("$f/")
done < "$tmp/files"
((${#left[@]} == 0)) || fail "left after dpkg -r: ${left[*]}"
status=$(in_root dpkg-query -W -f='${Status}' sockscope 2>/dev/null || true)
[[ -z $status || $status == *not-installed ]] || fail "dpkg still knows sockscope: $status"
# Nor anything else named after it (dpkg's info files, caches) in what changed.
strays=$(find "$tmp/rw/upper" -iname '*sockscope*' ! -path '*/tmp/*' | sed "s|^$tmp/rw/upper||")
[[ -z $strays ]] || fail "left after dpkg -r: $strays"
echo "ok: installed $version, --version and man sockscope-ls answered, removed with nothing left"
