// SPDX-License-Identifier: GPL-2.0-only
// The history's schema (docs/history.md) and its migrations: PRAGMA
// user_version names the schema a file holds, application_id marks it as
// sockscope's, and migrate() brings an older file up to kSchemaVersion one
// step at a time. A file from a newer sockscope is refused, not touched.
#pragma once

#include "base/result.h"
#include "history/sqlite.h"

namespace sockscope::history {

inline constexpr int kSchemaVersion = 2;
inline constexpr int kApplicationId = 0x53534b48;  // "SSKH"

// Settings of the writer's connection: WAL, synchronous=NORMAL (a process
// crash loses nothing committed), incremental auto-vacuum (retention can
// give pages back), a bounded -wal file.
Result<Ok> configure_writer(Db& db);
// The file is empty or a sockscope history this build can write; reads
// only, so that a refused file stays as it was.
Result<int> check_writable(Db& db);
// Applies the missing migrations (up to `up_to`: tests make older files);
// returns the version the file had.
Result<int> migrate(Db& db, int up_to = kSchemaVersion);
// For readers: the file is a sockscope history of a version this build
// reads; an Error saying what it is otherwise.
Result<int> check_readable(Db& db, const std::string& path);

}  // namespace sockscope::history
