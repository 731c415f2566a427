// SPDX-License-Identifier: GPL-2.0-only
// Storing one batch: events (with their socket rows, contexts and stacks),
// processes, snapshots and gaps.
#include "history/writer.h"

#include <fmt/format.h>

#include "history/codec.h"

namespace sockscope::history {

namespace {

constexpr size_t kMaxCached = 1 << 17;  // entries per cache before it starts over

template <typename T>
void put_raw(std::string& key, const T& v) {
  key.append(reinterpret_cast<const char*>(&v), sizeof(v));
}

bool creates(EventKind k) { return k == EventKind::kSocket || k == EventKind::kSocketpair || k == EventKind::kAccept; }

}  // namespace

Result<Ok> Writer::write(std::vector<Item>& batch, int64_t now_wall, uint64_t stored, uint64_t not_stored) {
  auto r = db_.exec("BEGIN IMMEDIATE");
  if (!r) return r;
  for (const Item& it : batch) {
    r = put(it);
    if (!r) break;
  }
  if (r) r = session_update(now_wall, stored, not_stored, false);
  if (r) r = db_.exec("COMMIT");
  if (r) return Ok{};
  (void)db_.exec("ROLLBACK");
  drop_caches();
  return r;
}

Result<Ok> Writer::put(const Item& it) {
  if (auto* e = std::get_if<Recorded>(&it)) return put_event(*e);
  if (auto* p = std::get_if<ProcessInfo>(&it)) return put_process(*p);
  if (auto* s = std::get_if<SnapshotSocket>(&it)) return put_snapshot(*s);
  return put_gap(std::get<Gap>(it));
}

Result<Ok> Writer::put_event(const Recorded& r) {
  const Event& e = r.event;
  auto ctx = ctx_id(e);
  if (!ctx) return ctx.error();
  int64_t stack = 0;
  if (e.stack) {
    auto s = stack_id(*e.stack);
    if (!s) return s.error();
    stack = *s;
  }
  // The socket rows this event belongs to: a creation makes them (only when
  // it succeeded), anything else on a socket joins the live row.
  Live s1, s2;
  bool ok = !e.failed();
  if (ok && creates(e.kind)) {
    auto a = new_socket(e.sock_ino, r.wall_ns, e.tgid, 0);
    if (!a) return a.error();
    s1 = *a;
    if (e.kind == EventKind::kSocketpair && e.sock_ino2) {
      auto b = new_socket(e.sock_ino2, r.wall_ns, e.tgid, 0);
      if (!b) return b.error();
      s2 = *b;
    } else if (e.kind == EventKind::kAccept && e.sock_ino2) {
      auto b = live_socket(e.sock_ino2, r.wall_ns, true);
      if (!b) return b.error();
      s2 = *b;
    }
  } else if (e.sock_ino) {
    auto a = live_socket(e.sock_ino, r.wall_ns, ok);
    if (!a) return a.error();
    s1 = *a;
  }
  // On a socket row, the inode is the row's and the time is relative to
  // its creation (docs/history.md).
  std::string extra = encode_extra(e);
  auto& st = ins_event_;
  st.i64(1, static_cast<int64_t>(e.kind)).i64(2, r.wall_ns - s1.created);
  st.i64(3, r.wall_ns - static_cast<int64_t>(e.ts_ns) - mono_offset_).i64(4, *ctx);
  st.i64(5, s1.id).opt(6, s2.id).i64(7, e.fd);
  if (s1.id) st.null(8);
  else st.u64(8, e.sock_ino);
  st.i64(9, e.ret).i64(10, e.family).i64(11, e.type).blob(12, e.address).blob(13, e.path);
  st.opt(14, e.child_tgid).opt(15, stack);
  if (extra.empty()) st.null(16);
  else st.blob(16, extra);
  st.i64(17, next_event_);
  auto done = st.run();
  if (!done) return done;
  next_event_++;
  if (e.released() && s1.id) {
    auto c = close_socket_.i64(1, r.wall_ns).i64(2, s1.id).run();
    if (!c) return c;
    live_.erase(e.sock_ino);
  }
  return Ok{};
}

Result<int64_t> Writer::ctx_id(const Event& e) {
  std::string key;
  for (uint64_t v : {uint64_t{e.tgid}, uint64_t{e.tid}, uint64_t{e.nspid}, uint64_t{e.ppid}, uint64_t{e.uid},
                     e.cgroup_id, uint64_t{e.netns}, uint64_t{e.mntns}})
    put_raw(key, v);
  key += e.comm;
  if (auto it = ctx_.find(key); it != ctx_.end()) return it->second;
  auto& st = ins_ctx_;
  st.i64(1, session_).i64(2, e.tgid).i64(3, e.tid).i64(4, e.nspid).i64(5, e.ppid).i64(6, e.uid);
  st.u64(7, e.cgroup_id).i64(8, e.netns).i64(9, e.mntns).blob(10, e.comm);
  auto r = st.run();
  if (!r) return r.error();
  if (ctx_.size() >= kMaxCached) ctx_.clear();
  return ctx_[key] = db_.last_id();
}

Result<int64_t> Writer::stack_id(const Stack& s) {
  std::string blob = encode_stack(s);
  uint64_t h = stack_hash(blob);
  if (auto it = stacks_.find(h); it != stacks_.end()) return it->second;
  // Another stack with the same hash (or a stack stored by an earlier
  // session): look at the stored frames, probing on past a collision.
  for (uint64_t probe = h;; probe++) {
    sel_stack_.u64(1, probe);
    auto row = sel_stack_.step();
    if (!row) return row.error();
    if (!*row) {
      sel_stack_.reset();
      auto r = ins_stack_.u64(1, probe).blob(2, blob).run();
      if (!r) return r.error();
      break;
    }
    bool same = sel_stack_.col_bytes(1) == blob;
    int64_t id = sel_stack_.col_i64(0);
    sel_stack_.reset();
    if (same) {
      if (stacks_.size() >= kMaxCached) stacks_.clear();
      return stacks_[h] = id;
    }
  }
  if (stacks_.size() >= kMaxCached) stacks_.clear();
  return stacks_[h] = db_.last_id();
}

Result<Writer::Live> Writer::new_socket(uint64_t inode, int64_t wall, uint32_t pid, int64_t snapshot) {
  // The kernel reuses an inode number only once its socket is gone, so a
  // row still live for it ends here (at the latest).
  if (auto it = live_.find(inode); it != live_.end()) {
    auto c = close_socket_.i64(1, wall).i64(2, it->second.id).run();
    if (!c) return c.error();
  }
  auto& st = ins_socket_;
  st.i64(1, boot_).u64(2, inode).i64(3, wall).opt(4, pid).opt(5, snapshot);
  auto r = st.run();
  if (!r) return r.error();
  if (live_.size() >= kMaxCached * 8) {
    live_.clear();
    auto l = load_live();
    if (!l) return l.error();
  }
  return live_[inode] = Live{db_.last_id(), wall};
}

Result<Writer::Live> Writer::live_socket(uint64_t inode, int64_t wall, bool create) {
  if (auto it = live_.find(inode); it != live_.end()) return it->second;
  if (!create) return Live{};
  // A socket the recorder never saw made (it predates the recorder and the
  // snapshot missed it, or its creation was lost): a row from first sight,
  // with no creator.
  return new_socket(inode, wall, 0, 0);
}

Result<Ok> Writer::put_process(const ProcessInfo& p) {
  auto& st = ins_process_;
  st.i64(1, boot_).i64(2, p.pid).u64(3, p.start_ticks).i64(4, p.ppid).blob(5, p.comm).blob(6, p.exe);
  st.blob(7, p.argv).blob(8, p.cgroup).i64(9, p.netns).i64(10, p.wall_ns);
  return st.run();
}

Result<Ok> Writer::put_snapshot(const SnapshotSocket& s) {
  auto& st = ins_snapshot_;
  st.i64(1, s.family).i64(2, s.type).i64(3, s.protocol).i64(4, s.netns).blob(5, s.address);
  st.u64(6, s.peer_ino).i64(7, s.wall_ns);
  auto r = st.run();
  if (!r) return r;
  int64_t snap = db_.last_id();
  for (const auto& h : s.holders) {
    r = ins_holder_.i64(1, snap).i64(2, h.pid).i64(3, h.fd).blob(4, h.comm).run();
    if (!r) return r;
  }
  // Seen made by an earlier session and still alive: the same socket, whose
  // creator stays known; the snapshot joins its row.
  if (auto it = live_.find(s.inode); it != live_.end())
    return set_snapshot_.i64(1, snap).u64(2, s.cookie).i64(3, it->second.id).run();
  auto row = new_socket(s.inode, s.wall_ns, 0, snap);
  if (!row) return row.error();
  if (s.cookie) return set_snapshot_.i64(1, snap).u64(2, s.cookie).i64(3, row->id).run();
  return Ok{};
}

Result<Ok> Writer::put_gap(const Gap& g) {
  return ins_gap_.i64(1, boot_).i64(2, g.from_wall_ns).i64(3, g.to_wall_ns).u64(4, g.lost).blob(5, g.cause).run();
}

void Writer::drop_caches() {
  ctx_.clear();
  stacks_.clear();
  live_.clear();
  // The live rows come back from the file (a failed reload leaves the map
  // empty: events then make first-sight rows, which is still the truth).
  (void)load_live();
}

}  // namespace sockscope::history
