// SPDX-License-Identifier: GPL-2.0-only
// The writer's statements and its session: start, heartbeat, stop.
#include <fmt/format.h>

#include "history/writer.h"

namespace sockscope::history {

Result<Ok> Writer::prepare() {
  struct {
    Stmt* stmt;
    const char* sql;
  } const all[] = {
      {&ins_event_,
       "INSERT INTO events(kind, wall_ns, mono_adj, ctx, socket, socket2, fd, sock_ino, ret, family, type, address, "
       "path, child_tgid, stack, extra, id) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"},
      {&ins_ctx_, "INSERT INTO ctx(session, tgid, tid, nspid, ppid, uid, cgroup_id, netns, mntns, comm) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
      {&ins_stack_, "INSERT INTO stacks(hash, frames) VALUES (?1, ?2)"},
      {&sel_stack_, "SELECT id, frames FROM stacks WHERE hash = ?1"},
      {&ins_socket_, "INSERT INTO sockets(boot, inode, created_wall_ns, pid, snapshot) VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&close_socket_,
       "UPDATE sockets SET closed_after_ns = ?1 - created_wall_ns WHERE id = ?2 AND closed_after_ns IS NULL"},
      {&set_snapshot_, "UPDATE sockets SET snapshot = ?1, cookie = nullif(?2, 0) WHERE id = ?3"},
      {&ins_process_, "INSERT INTO processes(boot, pid, start_ticks, ppid, comm, exe, argv, cgroup, netns, wall_ns) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
      {&ins_snapshot_, "INSERT INTO snapshots(family, type, protocol, netns, address, peer_ino, wall_ns) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&ins_holder_, "INSERT INTO holders(snapshot, pid, fd, comm) VALUES (?1, ?2, ?3, ?4)"},
      {&ins_gap_, "INSERT INTO gaps(boot, from_wall_ns, to_wall_ns, lost, cause) VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&upd_session_, "UPDATE sessions SET last_wall_ns = ?1, stored = ?2, not_stored = ?3, "
                      "stopped_wall_ns = CASE WHEN ?4 THEN ?1 ELSE 0 END WHERE id = ?5"},
  };
  for (const auto& s : all) {
    auto st = db_.prepare(s.sql);
    if (!st) return st.error();
    *s.stmt = std::move(*st);
  }
  return Ok{};
}

Result<Ok> Writer::start(const std::string& boot_id, uint32_t pid, int64_t now_wall, int64_t mono_offset) {
  auto r = prepare();
  if (!r) return r;
  mono_offset_ = mono_offset;
  r = db_.exec("BEGIN IMMEDIATE");
  if (!r) return r;
  auto boot = db_.prepare("INSERT INTO boots(boot_id) VALUES (?1) ON CONFLICT(boot_id) DO UPDATE SET boot_id = "
                          "excluded.boot_id RETURNING id");
  if (!boot) return boot.error();
  auto row = boot->text(1, boot_id).step();
  if (!row || !*row) return row ? Error{"no boots row"} : row.error();
  boot_ = boot->col_i64(0);
  boot->reset();
  // The previous session's last sign of life: from there to now nobody
  // recorded (it stopped, or was killed: then last_wall_ns bounds it).
  auto prev =
      db_.prepare("SELECT CASE WHEN stopped_wall_ns != 0 THEN stopped_wall_ns ELSE last_wall_ns END FROM sessions "
                  "ORDER BY id DESC LIMIT 1");
  if (!prev) return prev.error();
  auto p = prev->step();
  if (!p) return p.error();
  if (*p) {
    int64_t from = prev->col_i64(0);
    prev->reset();
    r = put_gap(Gap{from, now_wall, 0, "recorder not running"});
    if (!r) return r;
  }
  auto ins = db_.prepare(
      "INSERT INTO sessions(boot, pid, started_wall_ns, last_wall_ns, mono_offset_ns) VALUES (?1, ?2, ?3, ?3, ?4)");
  if (!ins) return ins.error();
  r = ins->i64(1, boot_).i64(2, pid).i64(3, now_wall).i64(4, mono_offset).run();
  if (!r) return r;
  session_ = db_.last_id();
  r = db_.exec("COMMIT");
  if (!r) return r;
  // Events are keyed (socket, id) and the writer numbers them; ids only
  // grow (a rolled-back batch leaves a hole, which is harmless).
  auto last = db_.scalar("SELECT coalesce(max(id), 0) FROM events");
  if (!last) return last.error();
  next_event_ = *last + 1;
  return load_live();
}

Result<Ok> Writer::load_live() {
  auto st = db_.prepare(
      "SELECT inode, id, created_wall_ns FROM sockets WHERE boot = ?1 AND closed_after_ns IS NULL ORDER BY id");
  if (!st) return st.error();
  st->i64(1, boot_);
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    live_[st->col_u64(0)] = Live{st->col_i64(1), st->col_i64(2)};  // by id: the last made wins
  }
  return Ok{};
}

Result<Ok> Writer::session_update(int64_t now_wall, uint64_t stored, uint64_t not_stored, bool stopped) {
  auto& st = upd_session_;
  st.i64(1, now_wall).u64(2, stored).u64(3, not_stored).i64(4, stopped ? 1 : 0).i64(5, session_);
  return st.run();
}

Result<Ok> Writer::heartbeat(int64_t now_wall, uint64_t stored, uint64_t not_stored) {
  return session_update(now_wall, stored, not_stored, false);
}

Result<Ok> Writer::stop(int64_t now_wall, uint64_t stored, uint64_t not_stored) {
  auto r = session_update(now_wall, stored, not_stored, true);
  // Leaves a file without -wal behind (the last connection checkpoints too).
  if (r) (void)db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return r;
}

Result<Ok> Writer::limit_pages(int64_t pages) {
  auto r = db_.scalar(fmt::format("PRAGMA max_page_count = {}", pages));
  if (!r) return r.error();
  return Ok{};
}

}  // namespace sockscope::history
