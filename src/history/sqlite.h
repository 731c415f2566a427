// SPDX-License-Identifier: GPL-2.0-only
// A thin owner of an SQLite connection and its prepared statements: errors
// come back as Error values with SQLite's message, and BLOB binding keeps
// names and paths as the bytes they are.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace sockscope::history {

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(s_); }

  // Binding is 1-based as in SQLite. A zero-length view binds an empty
  // BLOB, not NULL; use null() for "absent".
  Stmt& i64(int idx, int64_t v);
  Stmt& u64(int idx, uint64_t v) { return i64(idx, static_cast<int64_t>(v)); }
  Stmt& blob(int idx, std::string_view v);
  Stmt& text(int idx, std::string_view v);
  Stmt& null(int idx);
  // i64 unless v == 0 (then NULL): NULL costs no payload byte on disk.
  Stmt& opt(int idx, int64_t v) { return v ? i64(idx, v) : null(idx); }

  // One step: true for a row, false when done; an Error otherwise.
  Result<bool> step();
  // Steps to the end and resets, for INSERT/UPDATE/DELETE.
  Result<Ok> run();
  void reset();

  int64_t col_i64(int c) const { return sqlite3_column_int64(s_, c); }
  uint64_t col_u64(int c) const { return static_cast<uint64_t>(col_i64(c)); }
  bool col_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::string col_bytes(int c) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
};

class Db {
 public:
  Db() = default;
  Db(Db&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Db& operator=(Db&& o) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db() { sqlite3_close_v2(db_); }

  // flags: SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE or SQLITE_OPEN_READONLY.
  static Result<Db> open(const std::string& path, int flags);
  Result<Ok> exec(const std::string& sql);
  Result<Stmt> prepare(const std::string& sql);
  // A single integer from a query (PRAGMA user_version, count(*)...).
  Result<int64_t> scalar(const std::string& sql);
  int64_t last_id() const { return sqlite3_last_insert_rowid(db_); }
  sqlite3* get() const { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// An Error from the connection's last error ("what: message (code)").
Error db_error(sqlite3* db, const std::string& what);
// SQLITE_CORRUPT or SQLITE_NOTADB: the file is not (or no longer) a database.
bool is_damaged(const Error& e);

}  // namespace sockscope::history
