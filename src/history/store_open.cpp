// SPDX-License-Identifier: GPL-2.0-only
// Opening the writer's database: a damaged file is moved aside and a new
// one started, so that a recorder always comes up (issue #14, item 6).
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "history/paths.h"
#include "history/schema.h"
#include "history/store_impl.h"

namespace sockscope::history {

namespace {

Result<Ok> quick_check(Db& db) {
  auto st = db.prepare("PRAGMA quick_check(1)");
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  std::string verdict = *row ? st->col_bytes(0) : "no answer";
  if (verdict == "ok") return Ok{};
  return Error{"quick_check: " + verdict, EBADMSG};
}

Result<Db> try_open(const std::string& path) {
  auto db = Db::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db) return db.error();
  auto checked = check_writable(*db);
  if (!checked) return checked.error();
  auto r = quick_check(*db);
  if (r) r = configure_writer(*db);
  if (!r) return r.error();
  auto m = migrate(*db);
  if (!m) return m.error();
  return std::move(*db);
}

// path -> path.corrupt-<unix time>, with its -wal (the -shm is rebuilt).
Result<std::string> move_aside(const std::string& path) {
  std::string to = fmt::format("{}.corrupt-{}", path, ::time(nullptr));
  for (int i = 1; ::access(to.c_str(), F_OK) == 0; i++) to = fmt::format("{}.corrupt-{}.{}", path, ::time(nullptr), i);
  if (::rename(path.c_str(), to.c_str()) != 0) return sys_error("cannot move the damaged " + path + " aside", errno);
  if (::rename((path + "-wal").c_str(), (to + "-wal").c_str()) != 0 && errno != ENOENT)
    return sys_error("cannot move " + path + "-wal aside", errno);
  ::unlink((path + "-shm").c_str());
  return to;
}

}  // namespace

Result<Db> open_writer_db(const std::string& path, bool check_owner, std::string& moved) {
  auto db = try_open(path);
  if (db || !is_damaged(db.error())) return db;
  Error why = db.error();
  db = Error{};  // closes the connection before the file moves
  auto to = move_aside(path);
  if (!to) return to.error();
  moved = *to;
  auto p = prepare_path(path, check_owner);
  if (!p) return p.error();
  db = try_open(path);
  if (!db) return db.error().context(fmt::format("after moving the damaged file aside ({})", why.what));
  return db;
}

}  // namespace sockscope::history
