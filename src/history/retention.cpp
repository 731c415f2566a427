// SPDX-License-Identifier: GPL-2.0-only
// Retention: the history stays under max_bytes and max_age. Closed sockets
// (with their events) go first, oldest first; then, if size still demands
// it, the oldest sockets of any kind; then events on no socket (process
// events) and stacks and contexts nothing refers to any more. A socket
// still alive is kept past max_age: its creation is what the history is for.
#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "history/writer.h"

namespace sockscope::history {

namespace {

// Runs one statement with ?1 = arg; returns the rows it changed.
Result<uint64_t> changes(Db& db, const std::string& sql, int64_t arg) {
  auto st = db.prepare(sql);
  if (!st) return st.error();
  if (sql.find("?1") != std::string::npos) st->i64(1, arg);
  auto r = st->run();
  if (!r) return r.error();
  return static_cast<uint64_t>(sqlite3_changes(db.get()));
}

}  // namespace

Result<uint64_t> Writer::used_bytes() {
  auto pages = db_.scalar("PRAGMA page_count");
  auto free_pages = db_.scalar("PRAGMA freelist_count");
  auto size = db_.scalar("PRAGMA page_size");
  if (!pages || !free_pages || !size) return Error{"cannot read the history's page counts"};
  return static_cast<uint64_t>((*pages - *free_pages) * *size);
}

// Deletes the sockets `which_sql` selects (?1 = arg), with their events and
// snapshots. A socketpair's second socket or an accept's listener only
// loses its link to the event.
Result<uint64_t> Writer::delete_sockets(const std::string& which_sql, int64_t arg) {
  auto r = db_.exec("CREATE TEMP TABLE IF NOT EXISTS doomed(id INTEGER PRIMARY KEY); DELETE FROM doomed");
  if (!r) return r.error();
  auto n = changes(db_, "INSERT INTO doomed SELECT id FROM sockets WHERE " + which_sql, arg);
  if (!n || *n == 0) return n;
  uint64_t removed = 0;
  for (const char* sql : {
           "DELETE FROM events WHERE socket IN (SELECT id FROM doomed)",
           "DELETE FROM holders WHERE snapshot IN (SELECT snapshot FROM sockets WHERE id IN (SELECT id FROM doomed))",
           "DELETE FROM snapshots WHERE id IN (SELECT snapshot FROM sockets WHERE id IN (SELECT id FROM doomed))",
           "DELETE FROM sockets WHERE id IN (SELECT id FROM doomed)",
       }) {
    auto c = changes(db_, sql, 0);
    if (!c) return c;
    removed += *c;
  }
  r = db_.exec("UPDATE events SET socket2 = NULL WHERE socket2 IN (SELECT id FROM doomed)");
  if (!r) return r.error();
  return removed;
}

Result<uint64_t> Writer::delete_unreferenced() {
  uint64_t removed = 0;
  for (const char* sql : {
           "DELETE FROM stacks WHERE id NOT IN (SELECT stack FROM events WHERE stack IS NOT NULL)",
           "DELETE FROM ctx WHERE session != ?1 AND id NOT IN (SELECT ctx FROM events)",
       }) {
    auto c = changes(db_, sql, session_);
    if (!c) return c;
    removed += *c;
  }
  return removed;
}

Result<uint64_t> Writer::prune(const Retention& ret, int64_t now_wall) {
  uint64_t removed = 0;
  auto step = [&](const std::string& sql, int64_t arg) -> Result<Ok> {
    auto c = sql.rfind("sockets:", 0) == 0 ? delete_sockets(sql.substr(8), arg) : changes(db_, sql, arg);
    if (!c) return c.error();
    removed += *c;
    return Ok{};
  };
  auto txn = [&](const std::vector<std::pair<std::string, int64_t>>& steps) -> Result<Ok> {
    auto r = db_.exec("BEGIN IMMEDIATE");
    for (size_t i = 0; r && i < steps.size(); i++) r = step(steps[i].first, steps[i].second);
    if (r) r = db_.exec("COMMIT");
    if (!r) (void)db_.exec("ROLLBACK");
    return r;
  };
  if (ret.max_age_ns > 0) {
    int64_t cutoff = now_wall - ret.max_age_ns;
    auto r = txn({{"sockets:closed_after_ns IS NOT NULL AND created_wall_ns + closed_after_ns < ?1", cutoff},
                  {"DELETE FROM events WHERE socket = 0 AND wall_ns < ?1", cutoff},
                  {"DELETE FROM processes WHERE wall_ns < ?1", cutoff},
                  {"DELETE FROM gaps WHERE to_wall_ns < ?1", cutoff},
                  {"DELETE FROM sessions WHERE stopped_wall_ns != 0 AND stopped_wall_ns < ?1 "
                   "AND id NOT IN (SELECT session FROM ctx)",
                   cutoff}});
    if (!r) return r.error();
  }
  auto used = used_bytes();
  if (!used) return used.error();
  if (ret.max_bytes > 0 && *used > ret.max_bytes) {
    // Down to three quarters, so that pruning is not paid on every batch.
    uint64_t target = ret.max_bytes / 4 * 3;
    for (int round = 0; round < 8 && *used > target; round++) {
      auto sockets = db_.scalar("SELECT count(*) FROM sockets");
      auto events = db_.scalar("SELECT count(*) FROM events WHERE socket = 0");
      if (!sockets || !events) return Error{"cannot count the history's rows"};
      double share = static_cast<double>(*used - target) / static_cast<double>(*used);
      auto part = [&](int64_t n) {
        return std::max<int64_t>(64, static_cast<int64_t>(static_cast<double>(n) * share) + 1);
      };
      uint64_t before = removed;
      auto r = txn({{"sockets:id IN (SELECT id FROM sockets WHERE closed_after_ns IS NOT NULL ORDER BY id LIMIT ?1)",
                     part(*sockets)}});
      if (r && removed == before)
        r = txn({{"sockets:id IN (SELECT id FROM sockets ORDER BY created_wall_ns LIMIT ?1)", part(*sockets)}});
      if (r)
        r = txn({{"DELETE FROM events WHERE socket = 0 AND id IN (SELECT id FROM events WHERE socket = 0 ORDER BY id "
                  "LIMIT ?1)",
                  part(*events)},
                 {"DELETE FROM processes WHERE id IN (SELECT id FROM processes ORDER BY id LIMIT ?1)", 64}});
      if (!r) return r.error();
      if (removed == before) break;
      used = used_bytes();
      if (!used) return used.error();
    }
  }
  if (removed == 0) return removed;
  auto r = db_.exec("BEGIN IMMEDIATE");
  if (r) {
    auto c = delete_unreferenced();
    if (c) removed += *c;
    else r = c.error();
  }
  if (r) r = db_.exec("COMMIT");
  if (!r) {
    (void)db_.exec("ROLLBACK");
    return r.error();
  }
  // Gives the freed pages back to the file system (auto_vacuum=INCREMENTAL).
  (void)db_.exec("PRAGMA incremental_vacuum");
  drop_caches();
  return removed;
}

}  // namespace sockscope::history
