// SPDX-License-Identifier: GPL-2.0-only
// The question every command asks of the history: what is recorded of this
// socket, or why nothing is. Never a guess: a record, or a reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "history/history.h"
#include "history/locate.h"

namespace sockscope::history {

struct Answer {
  Located where;
  std::optional<SocketHistory> found;
  std::optional<Explanation> missing;  // when not found and the database could be read
  std::string error;                   // the database could not be read (and what to do)
};

// "2026-12-06 21:03:07.123456" in local time.
std::string wall_text(int64_t wall_ns);

// One line: why there is no record ("no recorder ran when it was made: the
// recorder runs since ...", "the recorder lost 12 events ... between ...").
std::string describe(const Explanation& e);

// Looks the socket up in the database `db_flag` names (--db; "" finds it).
Answer ask(const std::string& db_flag, uint64_t inode);

}  // namespace sockscope::history
