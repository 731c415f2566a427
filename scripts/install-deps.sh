#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian 12 packages sockscope builds, tests and benchmarks with.
# Idempotent: only missing packages are installed. Run as root.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config clang llvm
  # fuzzing (scripts/fuzz.sh): libFuzzer and the sanitizer runtimes for clang 14
  libclang-rt-14-dev
  libbpf-dev bpftool libelf-dev libdw-dev zlib1g-dev liblzma-dev libbz2-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # lint (scripts/lint.sh): clang-format-diff-14 and clang-tidy-diff-14.py come with these
  clang-format-14 clang-tidy-14
  # tests: real namespaces, daemons and a JVM
  iproute2 util-linux procps psmisc jq systemd
  sssd-common sssd-proxy libnss-sss nscd openjdk-17-jdk-headless
  # the Debian package (scripts/package.sh, docs/packaging.md): man pages from
  # --help, dpkg-shlibdeps (dpkg-dev, which CPack runs through file), lintian,
  # and man for the package test
  help2man dpkg-dev file lintian man-db
  # pictures (docs/cli.md "Pictures"): Graphviz for `ls --format svg`; tests draw
  # every SVG with librsvg and run the flame graph's script in headless Chromium
  graphviz librsvg2-bin chromium
  # benchmarks: the tools users would otherwise reach for
  lsof strace bpftrace linux-perf jattach time hyperfine bc gdb openssh-server python3
)

if [[ $EUID -ne 0 ]]; then
  echo "install-deps.sh: run as root (it installs Debian packages with apt-get)" >&2
  exit 77
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps.sh: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps.sh: done"
