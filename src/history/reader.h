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
