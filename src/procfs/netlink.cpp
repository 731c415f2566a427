// SPDX-License-Identifier: GPL-2.0-only
#include "procfs/netlink.h"

#include <cstdlib>
#include <sstream>

#include "base/strings.h"

namespace sockscope::procfs {

std::optional<NetlinkSocket> parse_netlink(std::string_view text, uint64_t inode) {
  // sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
  std::optional<NetlinkSocket> found;
  std::istringstream in{std::string(text)};
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string sk, eth, groups;
    uint64_t portid = 0, rmem = 0, wmem = 0, dump = 0, locks = 0, drops = 0, ino = 0;
    if (!(ls >> sk >> eth >> portid >> groups >> rmem >> wmem >> dump >> locks >> drops >> ino) || ino != inode)
      continue;
    found = NetlinkSocket{static_cast<uint32_t>(portid),
                          static_cast<uint32_t>(std::strtoul(groups.c_str(), nullptr, 16)), rmem};
  }
  return found;
}

std::optional<NetlinkSocket> read_netlink(const std::string& root, int pid, uint64_t inode) {
  return parse_netlink(read_small_file(root + "/" + std::to_string(pid) + "/net/netlink").value_or(""), inode);
}

}  // namespace sockscope::procfs
