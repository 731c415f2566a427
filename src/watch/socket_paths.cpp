// SPDX-License-Identifier: GPL-2.0-only
#include "watch/socket_paths.h"

#include <sys/socket.h>

namespace sockscope::watch {

SocketPaths::SocketPaths(const std::vector<std::string>& bound) {
  for (const auto& p : bound)
    if (!p.empty() && p[0] != '@') paths_.insert(p);
}

void SocketPaths::note(const Event& e) {
  // A unix bind's address is its path; "@name" is abstract, "(unnamed)" autobind.
  bool named = !e.address.empty() && e.address[0] != '@' && e.address[0] != '(';
  if (e.kind == EventKind::kBind && e.family == AF_UNIX && !e.failed() && named) paths_.insert(e.address);
  if (e.kind == EventKind::kRename && known(e.path) && !e.path2.empty()) paths_.insert(e.path2);
}

bool SocketPaths::touches_socket_path(const Event& e) const {
  return known(e.path) || (e.kind == EventKind::kRename && known(e.path2));
}

bool SocketPaths::known(const std::string& path) const {
  if (path.empty()) return false;
  if (paths_.count(path)) return true;
  if (path[0] == '/') return false;
  std::string tail = "/" + path;
  for (const auto& p : paths_)
    if (p.size() > tail.size() && p.compare(p.size() - tail.size(), tail.size(), tail) == 0) return true;
  return false;
}

}  // namespace sockscope::watch
