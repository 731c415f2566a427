// SPDX-License-Identifier: GPL-2.0-only
#include "history/sqlite.h"

#include <fmt/format.h>

#include <cerrno>

namespace sockscope::history {

namespace {

// SQLite's primary result codes as the errno a caller can test: damage is
// EBADMSG (is_damaged), a full disk or page limit ENOSPC, a lock EBUSY.
int errno_of(int code) {
  switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return EBADMSG;
    case SQLITE_FULL: return ENOSPC;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return EBUSY;
    case SQLITE_CANTOPEN: return ENOENT;
    case SQLITE_PERM:
    case SQLITE_READONLY: return EACCES;
    case SQLITE_IOERR: return EIO;
    default: return 0;
  }
}

}  // namespace

Error db_error(sqlite3* db, const std::string& what) {
  int code = db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
  std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
  return Error{fmt::format("{}: {}", what, msg), errno_of(code), {}};
}

bool is_damaged(const Error& e) { return e.sys_errno == EBADMSG; }

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}

Stmt& Stmt::i64(int idx, int64_t v) {
  sqlite3_bind_int64(s_, idx, v);
  return *this;
}

Stmt& Stmt::blob(int idx, std::string_view v) {
  sqlite3_bind_blob64(s_, idx, v.data() ? v.data() : "", v.size(), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::text(int idx, std::string_view v) {
  sqlite3_bind_text64(s_, idx, v.data() ? v.data() : "", v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Stmt& Stmt::null(int idx) {
  sqlite3_bind_null(s_, idx);
  return *this;
}

Result<bool> Stmt::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = db_error(db_, "SQLite step");
  sqlite3_reset(s_);
  return e;
}

Result<Ok> Stmt::run() {
  for (;;) {
    auto r = step();
    if (!r) return r.error();
    if (!*r) break;
  }
  reset();
  return Ok{};
}

void Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

std::string Stmt::col_bytes(int c) const {
  const void* p = sqlite3_column_blob(s_, c);
  int n = sqlite3_column_bytes(s_, c);
  return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    sqlite3_close_v2(db_);
    db_ = o.db_;
    o.db_ = nullptr;
  }
  return *this;
}

Result<Db> Db::open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return db_error(raw, "cannot open " + path);
  sqlite3_extended_result_codes(raw, 1);
  // Readers and the writer wait for each other's short locks rather than fail.
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

Result<Ok> Db::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return Ok{};
  sqlite3_free(err);
  return db_error(db_, "SQLite");
}

Result<Stmt> Db::prepare(const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
    return db_error(db_, "SQLite prepare");
  return Stmt(db_, s);
}

Result<int64_t> Db::scalar(const std::string& sql) {
  auto s = prepare(sql);
  if (!s) return s.error();
  auto r = s->step();
  if (!r) return r.error();
  return *r ? s->col_i64(0) : int64_t{0};
}

}  // namespace sockscope::history
