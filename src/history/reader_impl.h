// SPDX-License-Identifier: GPL-2.0-only
// Reader's insides: the connection and the row decoding shared by the
// queries (reader.cpp), socket loading (reader_rows.cpp) and
// explain_missing (explain.cpp).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "history/reader.h"
#include "history/sqlite.h"

namespace sockscope::history {

// The columns every event query selects, in the order row_event reads them.
extern const char* const kEventSelect;

struct Reader::Impl {
  Db db;
  std::string path;
  std::map<int64_t, std::shared_ptr<const Stack>> stacks;  // one Stack per stored stack

  // Maps a damaged file's SQLite error to the message users get.
  Error fail(const Error& e) const;
  Result<Recorded> row_event(const Stmt& st);
  // Every event of `sql` (kEventSelect + conditions, with ?1 = arg).
  Result<std::vector<Recorded>> events(const std::string& where, int64_t arg);
  // The same with the statement's parameters bound by `bind`.
  Result<std::vector<Recorded>> events(const std::string& where, const std::function<void(Stmt&)>& bind);
  // The boots row of boot_id, 0 when the file has none.
  Result<int64_t> boot_row(const std::string& boot_id);
  // The socket row `id` with its events, creator and snapshot.
  Result<SocketHistory> load_socket(int64_t id);
  Result<std::optional<ProcessInfo>> process(int64_t boot, uint32_t pid, int64_t at_wall);
  Result<std::optional<SnapshotSocket>> snapshot(int64_t id, uint64_t inode, uint64_t cookie);
  Result<std::vector<int64_t>> ids(const std::string& sql, const std::function<void(Stmt&)>& bind);
  Result<std::vector<Session>> sessions(const std::string& boot_id);
};

}  // namespace sockscope::history
