// SPDX-License-Identifier: GPL-2.0-only
// Read-only queries on the history, while the recorder writes (WAL). A
// missing, truncated or garbage file is an Error that says which and what
// to do; reading never modifies or moves the file.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "history/history.h"

namespace sockscope::history {

class Reader {
 public:
  static Result<std::unique_ptr<Reader>> open(const std::string& path);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // The socket with this inode on this boot. Inode numbers are reused
  // within a boot, so of several records the one not seen closed and made
  // last wins (the live one); failing that, the last made.
  Result<std::optional<SocketHistory>> socket(const std::string& boot_id, uint64_t inode);
  // Sockets matching the query, newest first.
  Result<std::vector<SocketHistory>> query(const std::string& boot_id, const Query& q);
  // The process events (exec, fork, exit) of pid and its ancestors recorded
  // on this boot, oldest first: the exec chain behind an event.
  Result<std::vector<Recorded>> lineage(const std::string& boot_id, uint32_t pid, int64_t before_wall_ns);
  // What became of a path: the binds at it (address), the unlinks of it
  // and the renames from or onto it (path, path2), exact bytes as the
  // process gave them (a relative path is not resolved), on this boot from
  // since_wall_ns on, oldest first. Failed calls included (ret < 0).
  Result<std::vector<Recorded>> path_events(const std::string& boot_id, const std::string& path, int64_t since_wall_ns);
  // The process as recorded at at_wall_ns (its last exec or first sight
  // before, else the first sight after), or none.
  Result<std::optional<ProcessInfo>> process(const std::string& boot_id, uint32_t pid, int64_t at_wall_ns);
  // Why there is no record of a socket that existed at `alive_at` and was
  // made no earlier than `not_before` (0: any time this boot).
  Result<Explanation> explain_missing(const std::string& boot_id, int64_t not_before, int64_t alive_at);
  Result<Status> status();

 private:
  struct Impl;
  explicit Reader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// /proc/sys/kernel/random/boot_id, or "" if unreadable.
std::string current_boot_id();

}  // namespace sockscope::history
