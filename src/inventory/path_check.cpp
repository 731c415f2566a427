// SPDX-License-Identifier: GPL-2.0-only
#include "inventory/path_check.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <map>
#include <utility>

#include "base/strings.h"

namespace sockscope::inventory {

bool same_device(uint64_t kernel_dev, uint64_t user_dev) {
  return (kernel_dev >> 20) == major(user_dev) && (kernel_dev & 0xfffff) == minor(user_dev);
}

namespace {

struct Looked {
  bool exists = false;
  uint64_t ino = 0;
  uint64_t dev = 0;
};

Looked look(int pid, const std::string& path) {
  struct stat st {};
  std::string through = "/proc/" + std::to_string(pid) + "/root" + path;
  if (::stat(through.c_str(), &st) != 0) return {};
  return {true, st.st_ino, st.st_dev};
}

bool names_bound_inode(const Looked& l, const SocketInfo& s) {
  return l.exists && l.ino == s.vfs_ino && same_device(s.vfs_dev, l.dev);
}

// bind() resolved a relative name against the binder's cwd at that moment,
// which nobody records. A holder whose cwd now leads to the bound inode
// shows where the file is; otherwise the binder may have changed directory
// since (or the holder is not the binder), and nothing can be said.
void check_relative(SocketInfo& s, bool live) {
  s.path_state = PathState::kRelative;
  if (!live) return;
  for (const auto& o : s.owners) {
    std::string cwd = "/proc/" + std::to_string(o.pid) + "/cwd";
    struct stat st {};
    if (::stat((cwd + "/" + s.local).c_str(), &st) != 0) continue;
    if (!names_bound_inode({true, st.st_ino, st.st_dev}, s)) continue;
    auto dir = read_link(cwd);
    if (!dir || !dir->starts_with('/')) continue;
    s.path_state = PathState::kCurrent;
    s.resolved_path = (*dir == "/" ? "" : *dir) + "/" + s.local;
    return;
  }
}

}  // namespace

void check_paths(Inventory& inv, bool live) {
  std::map<std::pair<uint64_t, std::string>, Looked> cache;  // (mntns, path)
  for (auto& s : inv.sockets) {
    if (s.local.empty() || s.abstract || s.vfs_ino == 0) continue;
    if (s.local[0] != '/') {
      check_relative(s, live);
      continue;
    }
    s.path_state = PathState::kUnchecked;
    if (!live || s.owners.empty()) continue;
    int pid = s.owners.front().pid;
    const ProcessInfo* p = inv.process(pid);
    auto key = std::make_pair(p ? p->mntns : 0, s.local);
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, look(pid, s.local)).first;
    Looked l = it->second;
    // HotSpot binds `.java_pid<N>.tmp` and renames it to `.java_pid<N>`
    // (attachListener_linux.cpp, JDK 6+): the socket keeps the bound name.
    if (!l.exists && s.local.ends_with(".tmp")) {
      Looked renamed = look(pid, s.local.substr(0, s.local.size() - 4));
      if (renamed.exists && renamed.ino == s.vfs_ino) l = renamed;
    }
    if (!l.exists) {
      s.path_state = PathState::kUnlinked;
    } else if (names_bound_inode(l, s)) {
      s.path_state = PathState::kCurrent;
    } else {
      s.path_state = PathState::kReplaced;
      s.path_now_ino = l.ino;
    }
  }
}

}  // namespace sockscope::inventory
