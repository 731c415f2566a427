// SPDX-License-Identifier: GPL-2.0-only
// `sockscope watch PATH...`: which tracer events touch the watched socket
// paths, with the inode the path named before and after each one, and the
// process lineage behind it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lineage/process_table.h"
#include "model/event.h"

namespace sockscope::watch {

struct Options {
  std::vector<std::string> patterns;  // paths or fnmatch(3) globs; "@name" for abstract names
  uint64_t mntns = 0;                 // only events in this mount namespace (0: any)
  int ns_pid = 0;                     // read paths through /proc/ns_pid/root when set
};

struct Touch {
  Event event;
  std::string path;          // the watched path it touched (absolute)
  uint64_t ino_before = 0;   // what the path named before (0: nothing)
  uint64_t ino_after = 0;    // and after
  std::vector<lineage::ProcNode> lineage;  // the process, its parent, ... to init
  // The first touch by this process, or its lineage changed since the last
  // one (an exec, an ancestor's exit): views show the lineage only then.
  bool lineage_new = true;
};

class Watcher {
 public:
  explicit Watcher(Options opts);
  // Notes what each watched literal path names now.
  void prime();
  // A Touch when the event is about a watched path (or a socket bound to one).
  std::optional<Touch> on_event(const Event& e, lineage::ProcessTable& procs);

  // The inode a path names now, seen from `pid`'s root (0: nothing there).
  uint64_t stat_ino(int pid, const std::string& path) const;

 private:
  bool matches(const std::string& path) const;
  std::string absolute(const Event& e, const std::string& path) const;
  std::optional<std::string> watched_path(const Event& e) const;
  uint64_t known_ino(int pid, const std::string& path) const;
  void update_inodes(const Event& e, Touch& t);

  Options opts_;
  std::map<std::string, uint64_t> inode_of_;       // path -> inode it names (as we last saw)
  std::map<uint64_t, std::string> bound_sockets_;  // socket inode -> watched path it was bound to
  // Ancestry by pid, valid while the process table's generation is unchanged:
  // a storm of events from one process reads its lineage once. Forgotten
  // when the process exits.
  struct CachedLineage {
    uint64_t generation = 0;
    std::vector<lineage::ProcNode> chain;
  };
  std::map<int, CachedLineage> lineage_cache_;
};

}  // namespace sockscope::watch
