// SPDX-License-Identifier: GPL-2.0-only
// Puts the recorder's memory into doctor's findings (issue #14): for a
// listener whose path was unlinked or replaced, who unlinked it, renamed
// something over it or bound a new socket there since it bound it, with
// the process and its parents as recorded; or why the history has nothing.
// Reads the database; doctor/ itself stays pure.
#pragma once

#include <string>
#include <vector>

#include "doctor/doctor.h"

namespace sockscope::collect {

// db_flag: --db, or "" to find the running recorder's database. Without any
// database the findings stay as they are (no recorder was ever set up).
void add_path_history(std::vector<doctor::Finding>& findings, const std::string& db_flag);

}  // namespace sockscope::collect
