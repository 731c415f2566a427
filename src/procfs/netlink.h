// SPDX-License-Identifier: GPL-2.0-only
// /proc/PID/net/netlink: what the kernel says about a netlink socket of the
// process's network namespace (sock_diag has no netlink dump we use).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sockscope::procfs {

struct NetlinkSocket {
  uint32_t portid = 0;
  uint32_t groups = 0;  // multicast groups (first 32), hex in the file
  uint64_t rmem = 0;    // bytes queued for reading
};

// The line of socket `inode` in net/netlink text; nullopt if absent.
std::optional<NetlinkSocket> parse_netlink(std::string_view text, uint64_t inode);
std::optional<NetlinkSocket> read_netlink(const std::string& root, int pid, uint64_t inode);

}  // namespace sockscope::procfs
