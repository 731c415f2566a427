// SPDX-License-Identifier: GPL-2.0-only
#include "watch/watcher.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include "base/strings.h"

namespace sockscope::watch {

Watcher::Watcher(Options opts) : opts_(std::move(opts)) {}

uint64_t Watcher::stat_ino(int pid, const std::string& path) const {
  if (path.empty() || path[0] != '/') return 0;
  struct stat st {};
  for (int p : {pid, opts_.ns_pid}) {
    if (p <= 0) continue;
    std::string through = "/proc/" + std::to_string(p) + "/root" + path;
    if (::lstat(through.c_str(), &st) == 0) return st.st_ino;
    if (errno == ENOENT && ::access(("/proc/" + std::to_string(p) + "/root/").c_str(), F_OK) == 0)
      return 0;  // the root is there and the path is not
  }
  return ::lstat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

void Watcher::prime() {
  for (const auto& p : opts_.patterns)
    if (!p.empty() && p[0] == '/' && p.find_first_of("*?[") == std::string::npos)
      inode_of_[p] = stat_ino(opts_.ns_pid, p);
}

bool Watcher::matches(const std::string& path) const {
  for (const auto& p : opts_.patterns)
    if (::fnmatch(p.c_str(), path.c_str(), 0) == 0) return true;
  return false;
}

// Paths in events are as the process gave them; a relative one is taken from
// its cwd now (it may have moved since: a documented limit).
std::string Watcher::absolute(const Event& e, const std::string& path) const {
  if (path.empty() || path[0] == '/' || path[0] == '@') return path;
  auto cwd = read_link("/proc/" + std::to_string(e.tgid) + "/cwd");
  return cwd ? *cwd + "/" + path : path;
}

std::optional<std::string> Watcher::watched_path(const Event& e) const {
  switch (e.kind) {
    case EventKind::kBind:
    case EventKind::kConnect:
      if (auto p = absolute(e, e.address); matches(p)) return p;
      return std::nullopt;
    case EventKind::kUnlink:
      if (auto p = absolute(e, e.path); matches(p)) return p;
      return std::nullopt;
    case EventKind::kRename: {
      if (auto p = absolute(e, e.path); matches(p)) return p;
      if (auto p = absolute(e, e.path2); matches(p)) return p;
      return std::nullopt;
    }
    case EventKind::kListen:
    case EventKind::kClose:
    case EventKind::kShutdown:
      if (auto it = bound_sockets_.find(e.sock_ino); it != bound_sockets_.end()) return it->second;
      return std::nullopt;
    case EventKind::kAccept:
      if (auto it = bound_sockets_.find(e.sock_ino2); it != bound_sockets_.end()) return it->second;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// What a path names before and after an event. The kernel's own answer
// comes first (a unix bind's socket file inode, from the event), then what
// this watcher last knew of the path; a stat now is the last resort: by the
// time user space reads the event, a fast bind/unlink may have left nothing.
uint64_t Watcher::known_ino(int pid, const std::string& path) const {
  auto known = inode_of_.find(path);
  return known != inode_of_.end() ? known->second : stat_ino(pid, path);
}

void Watcher::update_inodes(const Event& e, Touch& t) {
  int pid = static_cast<int>(e.tgid);
  t.ino_before = known_ino(pid, t.path);
  t.ino_after = t.ino_before;
  if (!e.failed()) switch (e.kind) {
      case EventKind::kBind: t.ino_after = e.bound_path_ino() ? e.bound_path_ino() : stat_ino(pid, t.path); break;
      case EventKind::kUnlink: t.ino_after = 0; break;
      case EventKind::kRename: {
        // rename(src, dst): dst now names what src named; src names nothing.
        std::string src = absolute(e, e.path), dst = absolute(e, e.path2);
        uint64_t moved = src == t.path ? t.ino_before : known_ino(pid, src);
        if (moved == 0 && src != t.path) moved = stat_ino(pid, dst);
        t.ino_after = src == t.path ? 0 : moved;
        if (matches(src)) inode_of_[src] = 0;
        if (matches(dst)) inode_of_[dst] = moved;
        break;
      }
      default: break;
    }
  inode_of_[t.path] = t.ino_after;
  if (e.kind == EventKind::kBind && !e.failed()) bound_sockets_[e.sock_ino] = t.path;
  if (e.kind == EventKind::kClose && !e.failed()) bound_sockets_.erase(e.sock_ino);
}

std::optional<Touch> Watcher::on_event(const Event& e, lineage::ProcessTable& procs) {
  procs.on_event(e);
  if (e.kind == EventKind::kExit) lineage_cache_.erase(static_cast<int>(e.tgid));
  if (opts_.mntns && e.mntns && e.mntns != opts_.mntns) return std::nullopt;
  auto path = watched_path(e);
  if (!path) return std::nullopt;
  Touch t{e, *path};
  update_inodes(e, t);
  auto [cached, first] = lineage_cache_.try_emplace(static_cast<int>(e.tgid));
  t.lineage_new = first;
  if (first || cached->second.generation != procs.generation()) {
    auto chain = procs.ancestry(static_cast<int>(e.tgid));
    t.lineage_new = t.lineage_new || chain != cached->second.chain;
    cached->second = {procs.generation(), std::move(chain)};
  }
  t.lineage = cached->second.chain;
  return t;
}

}  // namespace sockscope::watch
