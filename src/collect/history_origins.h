// SPDX-License-Identifier: GPL-2.0-only
// Puts the recorder's memory into a checkpoint report: for each finding
// about a socket, the event that created it and its stack, or why the
// history has no record (src/history/answer.h). Reads the database.
#pragma once

#include <string>

#include "checkpoint/finding.h"

namespace sockscope::collect {

// db_flag: --db, or "" to find the running recorder's database. Without any
// database the findings get no origin line at all (no recorder was ever set up).
void add_history_origins(checkpoint::Report& r, const std::string& db_flag);

}  // namespace sockscope::collect
