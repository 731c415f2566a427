// SPDX-License-Identifier: GPL-2.0-only
#include "recorder/snapshot.h"

namespace sockscope::recorder {

std::vector<history::SnapshotSocket> snapshot_sockets(const inventory::Inventory& inv, int64_t wall_ns) {
  std::vector<history::SnapshotSocket> out;
  out.reserve(inv.sockets.size());
  for (const auto& s : inv.sockets) {
    history::SnapshotSocket r;
    r.inode = s.inode;
    r.family = s.family;
    r.type = s.type;
    r.protocol = s.protocol;
    r.netns = static_cast<uint32_t>(s.netns);
    r.address = s.local;
    r.peer_ino = s.peer_inode;
    r.wall_ns = wall_ns;
    for (const auto& o : s.owners) r.holders.push_back({static_cast<uint32_t>(o.pid), o.fd, o.comm});
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace sockscope::recorder
