#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Records tests/fixtures/families: the kernel's dumps of one process that
# holds a socket of each family and protocol besides unix/TCP/UDP (UDP-Lite,
# raw v4/v6, packet, netlink, an ICMP ping socket), in a private network
# namespace, for the decoders' unit tests.
# Usage (root): scripts/record_families.sh [BUILD_DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
out=$top/tests/fixtures/families
work=$(mktemp -d /tmp/sockscope-families.XXXXXX)
holder=
trap '[ -n "$holder" ] && kill "$holder" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT

# The holder prints its pid and the fd of each socket, then waits.
unshare --net python3 -c '
import os, socket, sys, time
os.system("ip link set lo up")
open("/proc/sys/net/ipv4/ping_group_range", "w").write("0 0\n")
S = socket.socket
srv = S(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE); srv.bind(("127.0.0.1", 0))
cli = S(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE); cli.connect(srv.getsockname())
l6 = S(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE); l6.bind(("::1", 0))
raw4 = S(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
raw6 = S(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
pall = S(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
pip = S(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x800)); pip.bind(("lo", 0x800))
nlr = S(socket.AF_NETLINK, socket.SOCK_RAW, 0); nlr.bind((0, 0))
nlg = S(socket.AF_NETLINK, socket.SOCK_DGRAM, 16); nlg.connect((0, 0))
ping = S(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP); ping.bind(("127.0.0.1", 0))
ping_unbound = S(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
socks = dict(udplite_server=srv, udplite_client=cli, udplite6=l6, raw4=raw4, raw6=raw6, packet_all=pall,
             packet_ip_lo=pip, netlink_route=nlr, netlink_genl=nlg, ping=ping, ping_unbound=ping_unbound)
print(os.getpid(), " ".join("%s=%d" % (k, v.fileno()) for k, v in socks.items()), flush=True)
time.sleep(600)
' >"$work/ready" &
holder=$!
for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.05; done
read -r pid fds <"$work/ready"
rm -rf "$out"
"$build/sockscope" record "$out" -p "$pid"
echo "$pid" >"$out/pids.txt"
echo "$fds" >"$out/fds.txt"
