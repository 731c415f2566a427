// SPDX-License-Identifier: GPL-2.0-only
// The SQL side of the store, run by its one writer thread: a session, then
// batches of items in one transaction each, with the caches that keep a
// repeated stack or process context to one row (docs/history.md). Not
// thread-safe; Store owns the thread and the queue.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "base/result.h"
#include "history/history.h"
#include "history/sqlite.h"

namespace sockscope::history {

using Item = std::variant<Recorded, ProcessInfo, SnapshotSocket, Gap>;

struct Retention {
  uint64_t max_bytes = 0;
  int64_t max_age_ns = 0;
};

class Writer {
 public:
  explicit Writer(Db db) : db_(std::move(db)) {}

  // Prepares the statements, records the session (and a Gap "recorder not
  // running" since the previous one's last sign of life).
  Result<Ok> start(const std::string& boot_id, uint32_t pid, int64_t now_wall, int64_t mono_offset);
  // One transaction: the items, then the session's heartbeat. On an error
  // the transaction is rolled back (nothing of the batch stays) and the
  // caches are dropped, so the next batch starts clean.
  Result<Ok> write(std::vector<Item>& batch, int64_t now_wall, uint64_t stored, uint64_t not_stored);
  // The heartbeat alone (an idle recorder still says it is alive).
  Result<Ok> heartbeat(int64_t now_wall, uint64_t stored, uint64_t not_stored);
  Result<Ok> stop(int64_t now_wall, uint64_t stored, uint64_t not_stored);
  // Deletes what retention says (retention.cpp); returns rows removed.
  Result<uint64_t> prune(const Retention& r, int64_t now_wall);
  // Tests: PRAGMA max_page_count, the way a full disk looks to SQLite.
  Result<Ok> limit_pages(int64_t pages);

 private:
  Result<Ok> prepare();
  Result<Ok> put(const Item& it);
  Result<Ok> put_event(const Recorded& r);
  Result<Ok> put_process(const ProcessInfo& p);
  Result<Ok> put_snapshot(const SnapshotSocket& s);
  Result<Ok> put_gap(const Gap& g);
  Result<int64_t> ctx_id(const Event& e);
  Result<int64_t> stack_id(const Stack& s);
  // A socket row: its id and creation time (events on it store their
  // time relative to it, a few bytes instead of eight).
  struct Live {
    int64_t id = 0;
    int64_t created = 0;
  };
  Result<Live> new_socket(uint64_t inode, int64_t wall, uint32_t pid, int64_t snapshot);
  Result<Live> live_socket(uint64_t inode, int64_t wall, bool create);
  Result<Ok> load_live();
  Result<Ok> session_update(int64_t now_wall, uint64_t stored, uint64_t not_stored, bool stopped);
  void drop_caches();
  // Retention steps (retention.cpp).
  Result<uint64_t> used_bytes();
  Result<uint64_t> delete_sockets(const std::string& which_sql, int64_t arg);
  Result<uint64_t> delete_unreferenced();

  Db db_;
  int64_t boot_ = 0, session_ = 0, mono_offset_ = 0, next_event_ = 1;
  Stmt ins_event_, ins_ctx_, ins_stack_, sel_stack_, ins_socket_, close_socket_, set_snapshot_;
  Stmt ins_process_, ins_snapshot_, ins_holder_, ins_gap_, upd_session_;
  std::unordered_map<std::string, int64_t> ctx_;  // packed context -> ctx row
  std::unordered_map<uint64_t, int64_t> stacks_;  // stack_hash -> stacks row
  std::unordered_map<uint64_t, Live> live_;       // inode -> live sockets row of this boot
};

}  // namespace sockscope::history
