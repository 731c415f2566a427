// SPDX-License-Identifier: GPL-2.0-only
// Why there is no record of a socket: the recorder was not running for part
// of the time it could have been made, events were lost then, or the file
// holds another boot. Only what sessions and gaps say; never a guess.
#include <algorithm>

#include "history/reader_impl.h"

namespace sockscope::history {

namespace {

// A running recorder's heartbeat is at most this old (store.cpp beats every
// 2 s, plus a batch's time).
constexpr int64_t kSlackNs = 5'000'000'000;

const char* kSessionSelect =
    "SELECT s.id, s.pid, b.boot_id, s.started_wall_ns, s.last_wall_ns, s.stopped_wall_ns, s.mono_offset_ns "
    "FROM sessions s JOIN boots b ON b.id = s.boot ";

// True if [lo, hi] has a stretch no session covered.
bool uncovered(const std::vector<Session>& ss, int64_t lo, int64_t hi) {
  std::vector<std::pair<int64_t, int64_t>> spans;
  spans.reserve(ss.size());
  for (const auto& s : ss)
    spans.emplace_back(s.started_wall_ns, s.stopped_wall_ns ? s.stopped_wall_ns : s.last_wall_ns + kSlackNs);
  std::sort(spans.begin(), spans.end());
  int64_t reached = lo;
  for (const auto& [from, to] : spans) {
    if (from > reached) return true;
    reached = std::max(reached, to);
    if (reached >= hi) return false;
  }
  return reached < hi;
}

}  // namespace

Result<std::vector<Session>> Reader::Impl::sessions(const std::string& boot_id) {
  auto st =
      db.prepare(std::string(kSessionSelect) + (boot_id.empty() ? "" : "WHERE b.boot_id = ?1 ") + "ORDER BY s.id");
  if (!st) return fail(st.error());
  if (!boot_id.empty()) st->text(1, boot_id);
  std::vector<Session> out;
  for (;;) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    Session s;
    s.id = st->col_i64(0), s.pid = static_cast<uint32_t>(st->col_i64(1)), s.boot_id = st->col_bytes(2);
    s.started_wall_ns = st->col_i64(3), s.last_wall_ns = st->col_i64(4), s.stopped_wall_ns = st->col_i64(5);
    out.push_back(std::move(s));
  }
  return out;
}

Result<Explanation> Reader::explain_missing(const std::string& boot_id, int64_t not_before, int64_t alive_at) {
  Explanation x;
  auto ss = impl_->sessions(boot_id);
  if (!ss) return ss.error();
  x.sessions = std::move(*ss);
  if (x.sessions.empty()) {
    auto any = impl_->db.scalar("SELECT count(*) FROM sessions");
    if (!any) return impl_->fail(any.error());
    x.why = *any ? Missing::kOtherBoot : Missing::kNotRunning;
    return x;
  }
  // "Any time this boot" starts at the boot: wall time minus CLOCK_MONOTONIC,
  // as the first session measured it.
  int64_t lo = not_before;
  if (lo <= 0) {
    auto boot = impl_->db.prepare(
        "SELECT min(s.mono_offset_ns) FROM sessions s JOIN boots b ON b.id = s.boot WHERE b.boot_id = ?1");
    if (!boot) return impl_->fail(boot.error());
    auto row = boot->text(1, boot_id).step();
    if (!row) return impl_->fail(row.error());
    lo = boot->col_i64(0);
  }
  auto gaps = impl_->db.prepare(
      "SELECT g.from_wall_ns, g.to_wall_ns, g.lost, g.cause FROM gaps g JOIN boots b ON b.id = g.boot "
      "WHERE b.boot_id = ?1 AND g.to_wall_ns >= ?2 AND g.from_wall_ns <= ?3 ORDER BY g.from_wall_ns");
  if (!gaps) return impl_->fail(gaps.error());
  gaps->text(1, boot_id).i64(2, lo).i64(3, alive_at);
  bool lost = false;
  for (;;) {
    auto row = gaps->step();
    if (!row) return impl_->fail(row.error());
    if (!*row) break;
    Gap g{gaps->col_i64(0), gaps->col_i64(1), gaps->col_u64(2), gaps->col_bytes(3)};
    lost = lost || g.lost > 0 || g.cause != "recorder not running";
    x.gaps.push_back(std::move(g));
  }
  if (uncovered(x.sessions, lo, alive_at)) x.why = Missing::kNotRunning;
  else if (lost) x.why = Missing::kLost;
  else x.why = Missing::kUnknown;
  return x;
}

}  // namespace sockscope::history
