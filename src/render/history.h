// SPDX-License-Identifier: GPL-2.0-only
// Views of the recorder's history (src/history): a socket's recorded life
// ("created at T by comm[pid/tid] via socket(AF_UNIX) ... then connect(path)",
// with the stack), why there is no record, and the database's status. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "history/answer.h"
#include "history/history.h"
#include "history/locate.h"
#include "render/flame.h"
#include "render/stack.h"

namespace sockscope::render {

// "2026-12-06 21:03:07.123456" in local time.
std::string wall_text(int64_t wall_ns);
// The RFC 3339 sibling of a wall-clock `X_ns` JSON key (`X_utc`,
// docs/json.md "Times"): rfc3339(), or null for 0 (not known, not yet).
nlohmann::json utc_json(int64_t wall_ns);

// A recorded argv (NUL-separated, as /proc/PID/cmdline): shell words,
// each quoted and escaped for the terminal; for JSON, an array of words.
std::string argv_text(const std::string& argv);
nlohmann::json argv_json(const std::string& argv);

// The creation line and the events after it, then the stack, each line
// prefixed by `indent`.
std::string history_text(const history::SocketHistory& h, const Clock& clock, const std::string& indent,
                         StackDetail detail);
nlohmann::json history_json(const history::SocketHistory& h, const Clock& clock);

// The creation stacks of `rows` (those recorded with one), one flame path
// (flame.h) each, in the order given: `history --folded|--flamegraph`.
std::vector<FlamePath> history_flame_paths(const std::vector<history::SocketHistory>& rows);

// One line: why the recorder has nothing on this socket ("no recorder ran
// between ... and ...", "12 events lost between ... and ...").
std::string missing_text(const history::Explanation& e);
nlohmann::json missing_json(const history::Explanation& e);

// "history (the running recorder (pid N)):" then the record or why none.
std::string answer_text(const history::Answer& a, const Clock& clock, StackDetail detail);
nlohmann::json answer_json(const history::Answer& a, const Clock& clock);

std::string status_text(const history::Status& s, const history::Located& where);
nlohmann::json status_json(const history::Status& s, const history::Located& where);

}  // namespace sockscope::render
