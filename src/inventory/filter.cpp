// SPDX-License-Identifier: GPL-2.0-only
#include "inventory/filter.h"

#include <fnmatch.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>

namespace sockscope::inventory {
namespace {

bool held_by(const SocketInfo& s, const std::vector<int>& pids) {
  if (pids.empty()) return true;
  return std::any_of(s.owners.begin(), s.owners.end(),
                     [&](const Owner& o) { return std::find(pids.begin(), pids.end(), o.pid) != pids.end(); });
}

bool matches_path(const SocketInfo& s, const std::vector<std::string>& globs) {
  if (globs.empty()) return true;
  return std::any_of(globs.begin(), globs.end(),
                     [&](const std::string& g) { return ::fnmatch(g.c_str(), s.local.c_str(), 0) == 0; });
}

bool keep(const SocketInfo& s, const Filter& f) {
  bool is_unix = s.family == AF_UNIX;
  bool is_inet = s.family == AF_INET || s.family == AF_INET6;
  if (f.unix_only && !f.inet_only && !is_unix) return false;
  if (f.inet_only && !f.unix_only && !is_inet) return false;
  if (f.unix_only && f.inet_only && !is_unix && !is_inet) return false;
  if (f.listening && s.state != TCP_LISTEN) return false;
  return held_by(s, f.pids) && matches_path(s, f.path_globs);
}

}  // namespace

std::vector<const SocketInfo*> select(const Inventory& inv, const Filter& f) {
  std::vector<const SocketInfo*> out;
  for (const auto& s : inv.sockets)
    if (keep(s, f)) out.push_back(&s);
  std::sort(out.begin(), out.end(), [](const SocketInfo* a, const SocketInfo* b) { return a->inode < b->inode; });
  return out;
}

}  // namespace sockscope::inventory
