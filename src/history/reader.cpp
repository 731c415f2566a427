// SPDX-License-Identifier: GPL-2.0-only
#include "history/reader.h"

#include <fmt/format.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <set>

#include "history/reader_impl.h"
#include "history/schema.h"

namespace sockscope::history {

namespace {

// fnmatch(pattern, bytes) in SQL, for --path: names are bytes, matched up
// to a NUL as fnmatch(3) sees them.
void sql_fnmatch(sqlite3_context* ctx, int, sqlite3_value** v) {
  auto bytes = [](sqlite3_value* x) {
    const void* p = sqlite3_value_blob(x);
    return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(sqlite3_value_bytes(x))) : std::string();
  };
  if (sqlite3_value_type(v[1]) == SQLITE_NULL) return sqlite3_result_int(ctx, 0);
  std::string pat = bytes(v[0]), text = bytes(v[1]);
  sqlite3_result_int(ctx, ::fnmatch(pat.c_str(), text.c_str(), 0) == 0);
}

uint64_t size_of(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

const char* kSocketRow = "SELECT so.id FROM sockets so JOIN boots b ON b.id = so.boot WHERE b.boot_id = ?1 ";

}  // namespace

std::string current_boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

Reader::Reader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Reader::~Reader() = default;

Result<std::unique_ptr<Reader>> Reader::open(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return Error{fmt::format("no history database at {}", path), errno,
                 "start the recorder (sockscope recorder), or pass its database with --db"};
  auto db = Db::open(path, SQLITE_OPEN_READONLY);
  if (!db) return db.error();
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(*db);
  impl->path = path;
  auto v = check_readable(impl->db, path);
  if (!v) return v.error();
  sqlite3_create_function(impl->db.get(), "fnmatch", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, sql_fnmatch,
                          nullptr, nullptr);
  return std::unique_ptr<Reader>(new Reader(std::move(impl)));
}

Result<std::optional<SocketHistory>> Reader::socket(const std::string& boot_id, uint64_t inode) {
  // The live one (not seen closed) made last; failing that, the last made.
  auto ids = impl_->ids(std::string(kSocketRow) +
                            "AND so.inode = ?2 ORDER BY so.closed_after_ns IS NULL DESC, so.created_wall_ns DESC, "
                            "so.id DESC LIMIT 1",
                        [&](Stmt& s) { s.text(1, boot_id).u64(2, inode); });
  if (!ids) return ids.error();
  if (ids->empty()) return std::optional<SocketHistory>{};
  auto h = impl_->load_socket(ids->front());
  if (!h) return h.error();
  return std::optional<SocketHistory>(std::move(*h));
}

Result<std::vector<SocketHistory>> Reader::query(const std::string& boot_id, const Query& q) {
  std::string sql = std::string(kSocketRow) + "AND so.created_wall_ns >= ?2 ";
  if (q.inode) sql += "AND so.inode = ?3 ";
  if (q.pid) sql += "AND (so.pid = ?4 OR so.snapshot IN (SELECT snapshot FROM holders WHERE pid = ?4)) ";
  if (q.path_glob)
    sql += "AND (so.id IN (SELECT socket FROM events WHERE socket != 0 AND (fnmatch(?5, address) OR "
           "fnmatch(?5, path))) OR so.snapshot IN (SELECT id FROM snapshots WHERE fnmatch(?5, address))) ";
  sql += "ORDER BY so.created_wall_ns DESC, so.id DESC LIMIT ?6";
  auto ids = impl_->ids(sql, [&](Stmt& s) {
    s.text(1, boot_id).i64(2, q.since_wall_ns).i64(6, static_cast<int64_t>(q.limit));
    if (q.inode) s.u64(3, *q.inode);
    if (q.pid) s.i64(4, *q.pid);
    if (q.path_glob) s.blob(5, *q.path_glob);
  });
  if (!ids) return ids.error();
  std::vector<SocketHistory> out;
  for (int64_t id : *ids) {
    auto h = impl_->load_socket(id);
    if (!h) return h.error();
    out.push_back(std::move(*h));
  }
  return out;
}

Result<std::vector<Recorded>> Reader::lineage(const std::string& boot_id, uint32_t pid, int64_t before_wall_ns) {
  auto boot = impl_->ids("SELECT id FROM boots WHERE boot_id = ?1", [&](Stmt& s) { s.text(1, boot_id); });
  if (!boot) return boot.error();
  if (boot->empty()) return std::vector<Recorded>{};
  std::string in_boot = fmt::format("c.session IN (SELECT id FROM sessions WHERE boot = {})", boot->front());
  auto before = [&](const Recorded& r) { return before_wall_ns <= 0 || r.wall_ns <= before_wall_ns; };
  // Up the chain: the fork that made each process names its parent; else
  // the parent the kernel reported with any of its events.
  std::vector<uint32_t> chain;
  std::vector<Recorded> out;
  for (uint32_t cur = pid; cur > 1 && chain.size() < 64;) {
    if (std::find(chain.begin(), chain.end(), cur) != chain.end()) break;
    chain.push_back(cur);
    auto own =
        impl_->events(fmt::format("WHERE e.kind IN (13, 14, 15) AND c.tgid = ?1 AND {} ORDER BY e.id", in_boot), cur);
    auto made =
        impl_->events(fmt::format("WHERE e.child_tgid = ?1 AND e.kind = 14 AND {} ORDER BY e.id", in_boot), cur);
    if (!own) return own.error();
    if (!made) return made.error();
    uint32_t parent = 0;
    for (auto& r : *own)
      if (r.event.kind != EventKind::kFork && before(r)) {
        if (!parent) parent = r.event.ppid;
        out.push_back(std::move(r));
      }
    for (auto& r : *made)
      if (before(r)) {
        parent = r.event.tgid;
        out.push_back(std::move(r));
      }
    cur = parent;
  }
  std::sort(out.begin(), out.end(), [](const Recorded& a, const Recorded& b) { return a.wall_ns < b.wall_ns; });
  return out;
}

Result<Status> Reader::status() {
  Status s;
  s.path = impl_->path;
  s.file_bytes = size_of(impl_->path) + size_of(impl_->path + "-wal");
  auto& db = impl_->db;
  auto num = [&](const char* sql, uint64_t& into) -> Result<Ok> {
    auto v = db.scalar(sql);
    if (!v) return impl_->fail(v.error());
    into = static_cast<uint64_t>(*v);
    return Ok{};
  };
  uint64_t version = 0;
  for (auto [sql, into] : std::initializer_list<std::pair<const char*, uint64_t*>>{
           {"PRAGMA user_version", &version},
           {"SELECT count(*) FROM events", &s.events},
           {"SELECT count(*) FROM sockets", &s.sockets},
           {"SELECT count(*) FROM stacks", &s.stacks},
           {"SELECT coalesce(sum(lost), 0) FROM gaps", &s.lost},
           {"SELECT coalesce(sum(not_stored), 0) FROM sessions", &s.not_stored}}) {
    auto r = num(sql, *into);
    if (!r) return r.error();
  }
  s.schema_version = static_cast<int>(version);
  auto all = impl_->sessions("");
  if (!all) return all.error();
  if (!all->empty()) s.last_session = all->back();
  return s;
}

}  // namespace sockscope::history
