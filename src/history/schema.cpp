// SPDX-License-Identifier: GPL-2.0-only
#include "history/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace sockscope::history {

namespace {

// Migration N takes a file from version N-1 to N. Never edit a released
// step: add the next one.
const std::vector<const char*> kMigrations = {
    // v1
    R"sql(
CREATE TABLE boots(id INTEGER PRIMARY KEY, boot_id TEXT NOT NULL UNIQUE);
CREATE TABLE sessions(id INTEGER PRIMARY KEY, boot INTEGER NOT NULL, pid INTEGER NOT NULL,
  started_wall_ns INTEGER NOT NULL, last_wall_ns INTEGER NOT NULL, stopped_wall_ns INTEGER NOT NULL DEFAULT 0,
  mono_offset_ns INTEGER NOT NULL, stored INTEGER NOT NULL DEFAULT 0, not_stored INTEGER NOT NULL DEFAULT 0);
CREATE TABLE ctx(id INTEGER PRIMARY KEY, session INTEGER NOT NULL, tgid INTEGER, tid INTEGER, nspid INTEGER,
  ppid INTEGER, uid INTEGER, cgroup_id INTEGER, netns INTEGER, mntns INTEGER, comm BLOB);
CREATE INDEX ctx_tgid ON ctx(tgid);
CREATE TABLE stacks(id INTEGER PRIMARY KEY, hash INTEGER NOT NULL UNIQUE, frames BLOB NOT NULL);
CREATE TABLE processes(id INTEGER PRIMARY KEY, boot INTEGER NOT NULL, pid INTEGER NOT NULL, start_ticks INTEGER,
  ppid INTEGER, comm BLOB, exe BLOB, argv BLOB, cgroup BLOB, netns INTEGER, wall_ns INTEGER NOT NULL);
CREATE INDEX processes_pid ON processes(boot, pid, wall_ns);
CREATE TABLE snapshots(id INTEGER PRIMARY KEY, family INTEGER, type INTEGER, protocol INTEGER, netns INTEGER,
  address BLOB, peer_ino INTEGER, wall_ns INTEGER NOT NULL);
CREATE TABLE holders(snapshot INTEGER NOT NULL, pid INTEGER NOT NULL, fd INTEGER NOT NULL, comm BLOB);
CREATE INDEX holders_snapshot ON holders(snapshot);
CREATE INDEX holders_pid ON holders(pid);
CREATE TABLE sockets(id INTEGER PRIMARY KEY, boot INTEGER NOT NULL, inode INTEGER NOT NULL,
  created_wall_ns INTEGER NOT NULL, cookie INTEGER, pid INTEGER, snapshot INTEGER,
  closed_after_ns INTEGER);
CREATE INDEX sockets_inode ON sockets(boot, inode);
CREATE TABLE events(socket INTEGER NOT NULL, id INTEGER NOT NULL, kind INTEGER NOT NULL, wall_ns INTEGER NOT NULL,
  mono_adj INTEGER, ctx INTEGER NOT NULL, socket2 INTEGER, fd INTEGER, sock_ino INTEGER, ret INTEGER,
  family INTEGER, type INTEGER, address BLOB, path BLOB, child_tgid INTEGER, stack INTEGER, extra BLOB,
  PRIMARY KEY (socket, id)) WITHOUT ROWID;
CREATE INDEX events_socket2 ON events(socket2) WHERE socket2 IS NOT NULL;
CREATE INDEX events_proc ON events(ctx) WHERE kind IN (13, 14, 15);
CREATE INDEX events_child ON events(child_tgid) WHERE child_tgid IS NOT NULL;
CREATE TABLE gaps(id INTEGER PRIMARY KEY, boot INTEGER NOT NULL, from_wall_ns INTEGER NOT NULL,
  to_wall_ns INTEGER NOT NULL, lost INTEGER NOT NULL, cause BLOB);
)sql",
    // v2: what became of a path (Reader::path_events, doctor): unlinks and
    // renames by source path, binds by address, renames by time (the
    // target is in `extra`). Partial: the socket lifecycle pays nothing.
    R"sql(
CREATE INDEX events_unlinked ON events(path) WHERE kind IN (11, 12);
CREATE INDEX events_bound ON events(address) WHERE kind = 3;
CREATE INDEX events_renamed ON events(wall_ns) WHERE kind = 12;
)sql",
};

const char* kNotOurs = "not a sockscope history database, or it is damaged";

Error not_ours(const std::string& path, const Error& why) {
  return Error{fmt::format("{}: {} ({})", path, kNotOurs, why.what), why.sys_errno,
               "pass the recorder's database with --db, or move it aside (the recorder does so by itself when "
               "it starts, and begins a new one)"};
}

}  // namespace

Result<Ok> configure_writer(Db& db) {
  // auto_vacuum only takes effect on a file without tables: set before v1.
  for (const char* p : {"PRAGMA auto_vacuum=INCREMENTAL", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                        "PRAGMA journal_size_limit=8388608", "PRAGMA foreign_keys=OFF"}) {
    auto r = db.exec(p);
    if (!r) return r.error();
  }
  return Ok{};
}

Result<int> check_writable(Db& db) {
  auto version = db.scalar("PRAGMA user_version");
  if (!version) return version.error();
  auto app = db.scalar("PRAGMA application_id");
  if (!app) return app.error();
  auto tables = db.scalar("SELECT count(*) FROM sqlite_master");
  if (!tables) return tables.error();
  int have = static_cast<int>(*version);
  if (have > kSchemaVersion)
    return Error{fmt::format("the history database has schema version {}, newer than this sockscope reads ({})", have,
                             kSchemaVersion),
                 0, "use the sockscope that wrote it, or give this recorder another --db"};
  if ((*app != kApplicationId && *tables > 0) || (have == 0 && *tables > 0))
    return Error{"the file holds another program's SQLite database", 0,
                 "give the recorder a path of its own with --db"};
  return have;
}

Result<int> migrate(Db& db, int up_to) {
  auto checked = check_writable(db);
  if (!checked) return checked.error();
  int have = *checked;
  for (int v = have; v < std::min(up_to, kSchemaVersion); v++) {
    std::string sql = fmt::format("BEGIN IMMEDIATE;{}PRAGMA user_version={};PRAGMA application_id={};COMMIT;",
                                  kMigrations[static_cast<size_t>(v)], v + 1, kApplicationId);
    auto r = db.exec(sql);
    if (!r) {
      (void)db.exec("ROLLBACK");
      return r.error().context(fmt::format("migrating the history to version {}", v + 1));
    }
  }
  return have;
}

Result<int> check_readable(Db& db, const std::string& path) {
  auto version = db.scalar("PRAGMA user_version");
  if (!version) return not_ours(path, version.error());
  auto app = db.scalar("PRAGMA application_id");
  if (!app) return not_ours(path, app.error());
  auto tables = db.scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('sessions', 'sockets', 'events')");
  if (!tables) return not_ours(path, tables.error());
  if (*app != kApplicationId || *tables != 3) return not_ours(path, Error{"no sockscope tables"});
  if (*version > kSchemaVersion)
    return Error{
        fmt::format("{}: schema version {} is newer than this sockscope reads ({})", path, *version, kSchemaVersion), 0,
        "use the sockscope that wrote it"};
  return static_cast<int>(*version);
}

}  // namespace sockscope::history
