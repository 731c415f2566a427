#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The recorder's systemd unit passes `systemd-analyze verify` with the binary
# this build made, and keeps its sandbox: no capability beyond the list the
# recorder needs, no writable path beyond its state and runtime directories.
# Usage: unit_file.sh SOURCE_DIR SOCKSCOPE_BIN
set -euo pipefail
src=$1 bin=$2
unit=$src/packaging/sockscope-recorder.service
command -v systemd-analyze >/dev/null || { echo "SKIP: no systemd-analyze (apt-get install systemd)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The unit names /usr/bin/sockscope; verify it against this build's binary.
sed "s|/usr/bin/sockscope|$bin|" "$unit" > "$tmp/sockscope-recorder.service"
out=$(systemd-analyze verify "$tmp/sockscope-recorder.service" 2>&1) || { echo "verify failed:"; echo "$out"; exit 1; }
if [[ -n $out ]]; then echo "verify warned:"; echo "$out"; exit 1; fi
grep -q '^ExecStart=/usr/bin/sockscope recorder --foreground' "$unit" || { echo "ExecStart must run the recorder in the foreground"; exit 1; }
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit")
for c in $caps; do
  case $c in
    CAP_BPF|CAP_PERFMON|CAP_SYS_ADMIN|CAP_SYS_PTRACE|CAP_SYS_RESOURCE|CAP_DAC_READ_SEARCH|CAP_NET_ADMIN) ;;
    *) echo "capability $c is not one the recorder needs (docs/recorder.md)"; exit 1 ;;
  esac
done
for want in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes ProtectKernelModules=yes; do
  grep -qx "$want" "$unit" || { echo "sandbox setting missing: $want"; exit 1; }
done
rw=$(sed -n 's/^ReadWritePaths=//p' "$unit")
[[ $rw == "/var/lib/sockscope /run/sockscope" ]] || { echo "writable paths widened: $rw"; exit 1; }
echo "ok: unit verifies; capabilities: $caps"
