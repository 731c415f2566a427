// SPDX-License-Identifier: GPL-2.0-only
#include "collect/doctor_history.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <map>
#include <optional>

#include "base/clock.h"
#include "history/answer.h"
#include "history/locate.h"
#include "history/reader.h"

namespace sockscope::collect {
namespace {

using history::Reader;
using history::Recorded;

bool about_path(const doctor::Finding& f) {
  return !f.path.empty() && (f.check == doctor::Check::kOrphanedListener ||
                             f.check == doctor::Check::kReplacedListener || f.check == doctor::Check::kJvmAttachGone);
}

// When the listener bound its path, as far as the history knows: its bind,
// else when its row starts (the recorder's snapshot, first sight); 0 when
// the socket is not recorded at all.
struct Listener {
  int64_t since = 0;
  uint32_t mntns = 0;
};

Result<Listener> listener_of(Reader& r, const std::string& boot, const doctor::Finding& f) {
  auto h = r.socket(boot, f.inode);
  if (!h) return h.error();
  Listener l;
  if (!*h) return l;
  l.since = (*h)->created_wall_ns;
  for (const auto& e : (*h)->events)
    if (e.event.kind == EventKind::kBind && !e.event.failed()) {
      l.since = e.wall_ns, l.mntns = e.event.mntns;
      break;
    }
  return l;
}

// The process as recorded by `wall` (an exec or first sight before it);
// a later sight may be another process that got the pid again.
std::optional<history::ProcessInfo> known_at(Reader& r, const std::string& boot, uint32_t pid, int64_t wall) {
  auto p = r.process(boot, pid, wall);
  if (!p || !*p || (**p).wall_ns > wall) return std::nullopt;
  return std::move(**p);
}

// What Reader::lineage says of the process and its parents: who forked
// each, and each one's exec (comm after it, the file it ran).
struct RecordedLineage {
  std::map<uint32_t, uint32_t> forked_by;
  std::map<uint32_t, std::string> exec_comm, exec_path;
};

RecordedLineage lineage_of(Reader& r, const std::string& boot, const Recorded& rec) {
  RecordedLineage l;
  if (auto lin = r.lineage(boot, rec.event.tgid, rec.wall_ns))
    for (const auto& x : *lin) {
      if (x.event.kind == EventKind::kFork) l.forked_by[x.event.child_tgid] = x.event.tgid;
      if (x.event.kind == EventKind::kExec && !x.event.failed())
        l.exec_comm[x.event.tgid] = x.event.comm, l.exec_path[x.event.tgid] = x.event.path;
    }
  return l;
}

// The process's parents: the fork that made each one, else the parent the
// recorder read from /proc, else (for the actor) the one its event names.
std::vector<doctor::PathChange::Ancestor> chain_of(Reader& r, const std::string& boot, const Recorded& rec,
                                                   RecordedLineage& l) {
  std::vector<doctor::PathChange::Ancestor> out;
  uint32_t cur = rec.event.tgid;
  for (int depth = 0; depth < 32 && cur > 1; depth++) {
    uint32_t parent = l.forked_by.count(cur) ? l.forked_by[cur] : 0;
    if (!parent)
      if (auto info = known_at(r, boot, cur, rec.wall_ns)) parent = info->ppid;
    if (!parent && depth == 0) parent = rec.event.ppid;
    if (!parent) break;
    doctor::PathChange::Ancestor a;
    a.pid = parent;
    if (auto p = known_at(r, boot, parent, rec.wall_ns)) a.comm = p->comm, a.argv = p->argv;
    if (a.comm.empty() && l.exec_comm.count(parent)) a.comm = l.exec_comm[parent];
    out.push_back(std::move(a));
    cur = parent;
  }
  return out;
}

doctor::PathChange change_of(Reader& r, const std::string& boot, const Recorded& rec, const std::string& path,
                             uint32_t listener_mntns) {
  using A = doctor::PathChange::Action;
  const Event& e = rec.event;
  doctor::PathChange c;
  c.wall_ns = rec.wall_ns, c.pid = e.tgid, c.tid = e.tid, c.uid = e.uid, c.comm = e.comm;
  c.mntns = e.mntns;
  c.other_mntns = listener_mntns && e.mntns && e.mntns != listener_mntns;
  if (e.kind == EventKind::kBind) {
    c.action = A::kBound, c.bound_inode = e.sock_ino;
  } else if (e.kind == EventKind::kRename) {
    bool away = e.path == path;
    c.action = away ? A::kRenamedAway : A::kRenamedOnto;
    c.other_path = away ? e.path2 : e.path;
  }
  if (auto p = known_at(r, boot, e.tgid, rec.wall_ns)) c.exe = p->exe, c.argv = p->argv;
  auto l = lineage_of(r, boot, rec);
  // A process gone before the recorder read its /proc entry: its exec still says what it ran.
  if (c.exe.empty() && l.exec_path.count(e.tgid)) c.exe = l.exec_path[e.tgid];
  c.chain = chain_of(r, boot, rec, l);
  return c;
}

// One line: why nothing is recorded of the path since `since`.
std::string why_nothing(const history::Explanation& e, int64_t since) {
  std::string from = since ? "since the listener bound it (" + history::wall_text(since) + ")" : "this boot";
  switch (e.why) {
    case history::Missing::kNotRunning:
      if (e.sessions.empty()) return history::describe(e);
      return fmt::format(
          "no change of the path is recorded: the recorder did not run all the time {} (it runs since {})", from,
          history::wall_text(e.sessions.back().started_wall_ns));
    case history::Missing::kLost: {
      uint64_t lost = 0;
      for (const auto& g : e.gaps) lost += g.lost;
      return fmt::format("no change of the path is recorded: the recorder lost {} events ({}) between {} and {}; "
                         "the change may be among them",
                         lost, e.gaps.front().cause, history::wall_text(e.gaps.front().from_wall_ns),
                         history::wall_text(e.gaps.back().to_wall_ns));
    }
    case history::Missing::kUnknown:
      return fmt::format("the recorder ran throughout {} and saw no unlink, rename or bind of this exact path: it was "
                         "changed through another name (a relative path, a symlink, another mount)",
                         from);
    default: return history::describe(e);
  }
}

void fill(Reader& r, const std::string& boot, doctor::Finding& f) {
  auto l = listener_of(r, boot, f);
  auto evs = l ? r.path_events(boot, f.path, l->since) : Result<std::vector<Recorded>>(l.error());
  if (!evs) {
    f.no_record = "cannot read the recorder's history: " + evs.error().what;
    return;
  }
  for (const auto& rec : *evs) {
    // A failed call changed nothing; the listener's own bind is not news.
    if (rec.event.failed() || (rec.event.kind == EventKind::kBind && rec.event.sock_ino == f.inode)) continue;
    f.history.push_back(change_of(r, boot, rec, f.path, l->mntns));
  }
  if (!f.history.empty()) return;
  auto why = r.explain_missing(boot, l->since, clock_ns(CLOCK_REALTIME));
  f.no_record = why ? why_nothing(*why, l->since) : "cannot read the recorder's history: " + why.error().what;
}

}  // namespace

void add_path_history(std::vector<doctor::Finding>& findings, const std::string& db_flag) {
  bool any = false;
  for (const auto& f : findings) any = any || about_path(f);
  if (!any) return;
  auto where = history::locate(db_flag);
  struct stat st {};
  if (where.path.empty() || (::stat(where.path.c_str(), &st) != 0 && errno == ENOENT)) return;
  auto reader = Reader::open(where.path);
  std::string boot = history::current_boot_id();
  for (auto& f : findings) {
    if (!about_path(f)) continue;
    if (!reader) {
      const auto& err = reader.error();
      f.no_record = "cannot read the recorder's history: " + err.what + (err.hint.empty() ? "" : " (" + err.hint + ")");
      continue;
    }
    fill(**reader, boot, f);
  }
}

}  // namespace sockscope::collect
