// SPDX-License-Identifier: GPL-2.0-only
// Rows back into model types: events (with their context, stack and extra
// fields), sockets with their history, processes and snapshots.
#include <fmt/format.h>

#include "history/codec.h"
#include "history/reader_impl.h"

namespace sockscope::history {

const char* const kEventSelect =
    "SELECT e.kind, e.wall_ns + coalesce(so.created_wall_ns, 0), e.mono_adj, s.mono_offset_ns, c.tgid, c.tid, c.nspid, "
    "c.ppid, c.uid, c.cgroup_id, "
    "c.netns, c.mntns, c.comm, e.fd, coalesce(e.sock_ino, so.inode), e.ret, e.family, e.type, e.address, e.path, "
    "e.child_tgid, "
    "e.stack, st.frames, e.extra, e.id, e.socket, e.socket2 "
    "FROM events e LEFT JOIN ctx c ON c.id = e.ctx LEFT JOIN sessions s ON s.id = c.session "
    "LEFT JOIN stacks st ON st.id = e.stack LEFT JOIN sockets so ON so.id = e.socket ";

Error Reader::Impl::fail(const Error& e) const {
  if (!is_damaged(e)) return e.context(path);
  return Error{fmt::format("{}: not a sockscope history database, or it is damaged ({})", path, e.what), e.sys_errno,
               "move it aside (the recorder does so by itself when it starts and begins a new one), or pass "
               "another --db"};
}

Result<Recorded> Reader::Impl::row_event(const Stmt& st) {
  Recorded r;
  Event& e = r.event;
  auto u32 = [&](int c) { return static_cast<uint32_t>(st.col_i64(c)); };
  auto i32 = [&](int c) { return static_cast<int>(st.col_i64(c)); };
  e.kind = static_cast<EventKind>(st.col_i64(0));
  r.wall_ns = st.col_i64(1);
  e.ts_ns = static_cast<uint64_t>(r.wall_ns - st.col_i64(2) - st.col_i64(3));
  e.tgid = u32(4), e.tid = u32(5), e.nspid = u32(6), e.ppid = u32(7), e.uid = u32(8);
  e.cgroup_id = st.col_u64(9), e.netns = u32(10), e.mntns = u32(11), e.comm = st.col_bytes(12);
  e.fd = i32(13), e.sock_ino = st.col_u64(14), e.ret = st.col_i64(15), e.family = i32(16), e.type = i32(17);
  e.address = st.col_bytes(18), e.path = st.col_bytes(19), e.child_tgid = u32(20);
  if (!st.col_null(21)) {
    int64_t id = st.col_i64(21);
    auto& cached = stacks[id];
    if (!cached) {
      auto s = decode_stack(st.col_bytes(22));
      if (!s) return s.error();
      cached = std::make_shared<const Stack>(std::move(*s));
    }
    e.stack = cached;
  }
  if (!st.col_null(23)) {
    auto x = decode_extra(st.col_bytes(23), e);
    if (!x) return x.error();
  }
  return r;
}

Result<std::vector<Recorded>> Reader::Impl::events(const std::string& where, int64_t arg) {
  return events(where, [&](Stmt& st) {
    if (where.find("?1") != std::string::npos) st.i64(1, arg);
  });
}

Result<std::vector<Recorded>> Reader::Impl::events(const std::string& where, const std::function<void(Stmt&)>& bind) {
  auto st = db.prepare(std::string(kEventSelect) + where);
  if (!st) return fail(st.error());
  bind(*st);
  std::vector<Recorded> out;
  for (;;) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto r = row_event(*st);
    if (!r) return r.error();
    out.push_back(std::move(*r));
  }
  return out;
}

Result<std::vector<int64_t>> Reader::Impl::ids(const std::string& sql, const std::function<void(Stmt&)>& bind) {
  auto st = db.prepare(sql);
  if (!st) return fail(st.error());
  bind(*st);
  std::vector<int64_t> out;
  for (;;) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back(st->col_i64(0));
  }
  return out;
}

Result<int64_t> Reader::Impl::boot_row(const std::string& boot_id) {
  auto boot = ids("SELECT id FROM boots WHERE boot_id = ?1", [&](Stmt& s) { s.text(1, boot_id); });
  if (!boot) return boot.error();
  return boot->empty() ? int64_t{0} : boot->front();
}

namespace {

// The event that made socket row `id`: its first, if that is a creation of
// this socket (a socketpair makes both of its rows).
bool made(const Recorded& r, int64_t socket_slot_id, int64_t id) {
  EventKind k = r.event.kind;
  if (r.event.failed()) return false;
  if (k == EventKind::kSocketpair) return true;
  return (k == EventKind::kSocket || k == EventKind::kAccept) && socket_slot_id == id;
}

}  // namespace

Result<SocketHistory> Reader::Impl::load_socket(int64_t id) {
  auto st = db.prepare(
      "SELECT b.boot_id, so.inode, so.cookie, so.created_wall_ns, so.pid, so.snapshot, so.closed_after_ns, so.boot "
      "FROM sockets so JOIN boots b ON b.id = so.boot WHERE so.id = ?1");
  if (!st) return fail(st.error());
  auto row = st->i64(1, id).step();
  if (!row) return fail(row.error());
  if (!*row) return Error{fmt::format("{}: socket row {} vanished (pruned while reading)", path, id)};
  SocketHistory h;
  h.boot_id = st->col_bytes(0), h.inode = st->col_u64(1), h.cookie = st->col_u64(2);
  h.created_wall_ns = st->col_i64(3);
  if (!st->col_null(6)) h.closed_wall_ns = h.created_wall_ns + st->col_i64(6);
  auto pid = static_cast<uint32_t>(st->col_i64(4));
  int64_t snap = st->col_null(5) ? 0 : st->col_i64(5), boot = st->col_i64(7);
  auto evs = events("WHERE e.socket = ?1 OR e.socket2 = ?1 ORDER BY e.id", id);
  if (!evs) return evs.error();
  // Which slot each event holds this socket in is not in Recorded: ask again.
  auto firsts = ids("SELECT socket FROM events WHERE socket = ?1 OR socket2 = ?1 ORDER BY id LIMIT 1",
                    [&](Stmt& s) { s.i64(1, id); });
  if (!firsts) return firsts.error();
  if (!evs->empty() && !firsts->empty() && made(evs->front(), firsts->front(), id)) {
    h.created = std::move(evs->front());
    evs->erase(evs->begin());
  }
  h.events = std::move(*evs);
  if (h.created && pid) {
    auto p = process(boot, pid, h.created_wall_ns);
    if (!p) return p.error();
    h.creator = std::move(*p);
  }
  if (snap) {
    auto s = snapshot(snap, h.inode, h.cookie);
    if (!s) return s.error();
    h.snapshot = std::move(*s);
  }
  h.from_snapshot = !h.created && h.snapshot;
  return h;
}

Result<std::optional<ProcessInfo>> Reader::Impl::process(int64_t boot, uint32_t pid, int64_t at_wall) {
  // What was known of it when it made the socket, else the first sight after.
  auto st = db.prepare("SELECT pid, start_ticks, ppid, comm, exe, argv, cgroup, netns, wall_ns FROM processes "
                       "WHERE boot = ?1 AND pid = ?2 ORDER BY wall_ns > ?3, abs(wall_ns - ?3) LIMIT 1");
  if (!st) return fail(st.error());
  auto row = st->i64(1, boot).i64(2, pid).i64(3, at_wall).step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<ProcessInfo>{};
  ProcessInfo p;
  p.pid = static_cast<uint32_t>(st->col_i64(0)), p.start_ticks = st->col_u64(1);
  p.ppid = static_cast<uint32_t>(st->col_i64(2)), p.comm = st->col_bytes(3), p.exe = st->col_bytes(4);
  p.argv = st->col_bytes(5), p.cgroup = st->col_bytes(6), p.netns = static_cast<uint32_t>(st->col_i64(7));
  p.wall_ns = st->col_i64(8);
  return std::optional<ProcessInfo>(std::move(p));
}

Result<std::optional<SnapshotSocket>> Reader::Impl::snapshot(int64_t id, uint64_t inode, uint64_t cookie) {
  auto st = db.prepare("SELECT family, type, protocol, netns, address, peer_ino, wall_ns FROM snapshots WHERE id = ?1");
  if (!st) return fail(st.error());
  auto row = st->i64(1, id).step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<SnapshotSocket>{};
  SnapshotSocket s;
  s.inode = inode, s.cookie = cookie;
  s.family = static_cast<int>(st->col_i64(0)), s.type = static_cast<int>(st->col_i64(1));
  s.protocol = static_cast<int>(st->col_i64(2)), s.netns = static_cast<uint32_t>(st->col_i64(3));
  s.address = st->col_bytes(4), s.peer_ino = st->col_u64(5), s.wall_ns = st->col_i64(6);
  auto hs = db.prepare("SELECT pid, fd, comm FROM holders WHERE snapshot = ?1 ORDER BY rowid");
  if (!hs) return fail(hs.error());
  hs->i64(1, id);
  for (;;) {
    auto h = hs->step();
    if (!h) return fail(h.error());
    if (!*h) break;
    s.holders.push_back({static_cast<uint32_t>(hs->col_i64(0)), static_cast<int>(hs->col_i64(1)), hs->col_bytes(2)});
  }
  return std::optional<SnapshotSocket>(std::move(s));
}

}  // namespace sockscope::history
