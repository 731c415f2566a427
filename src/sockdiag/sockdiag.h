// SPDX-License-Identifier: GPL-2.0-only
// NETLINK_SOCK_DIAG: dumps (I/O, in sockdiag.cpp) kept apart from decoders
// (pure, in decode.cpp) so that unit tests replay recorded dumps.
//
// The kernel answers a sock_diag dump for the network namespace of the
// netlink socket that asks, not of the caller; open_in_netns() therefore
// creates the netlink socket inside the wanted namespace and comes back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "model/socket.h"

namespace sockscope::sockdiag {

// Raw dump bytes: the concatenated netlink messages, as recv() gave them.
using Dump = std::vector<uint8_t>;

// A NETLINK_SOCK_DIAG socket bound to the netns that `netns_path` names
// (/proc/PID/ns/net, /run/netns/NAME); "" for our own.
Result<UniqueFd> open_in_netns(const std::string& netns_path);

// Every AF_UNIX socket of the netlink socket's netns, with name, bound-file
// inode, peer, pending connections, queue lengths and shutdown state.
Result<Dump> dump_unix(int nl_fd);

// Every socket of one inet family (AF_INET/AF_INET6) and protocol
// (IPPROTO_TCP/IPPROTO_UDP), all states.
Result<Dump> dump_inet(int nl_fd, int family, int protocol);

// Decoders: bytes in, sockets out. A malformed dump is an error, not a crash.
Result<std::vector<SocketInfo>> decode_unix(const Dump& dump);
Result<std::vector<SocketInfo>> decode_inet(const Dump& dump, int protocol);

}  // namespace sockscope::sockdiag
