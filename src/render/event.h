// SPDX-License-Identifier: GPL-2.0-only
// Human and JSON views of socket lifecycle events (model/event.h; docs/json.md)
// and of what the tracer lost. No I/O: callers print.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/clock.h"
#include "model/event.h"

namespace sockscope::render {

// "ECONNREFUSED" for 111; "E<n>" when unknown.
std::string errno_name(int err);
// "unix/stream", "inet6/dgram", "af16/raw"; "" when family is 0.
std::string family_type(int family, int type);
// "comm[pid]" or "comm[pid/nspid]" when the pid namespace differs.
std::string who(const Event& e);
// "= 3", "= -1 ENOENT"; "" for process events that have no result.
std::string result_text(const Event& e);

// One line, no newline: "14:03:07.123456 curl[812] connect fd=3 ino=4711 unix/stream /run/x = 0".
std::string event_line(const Event& e, const Clock& clock);
nlohmann::json event_json(const Event& e, const Clock& clock);

// "lost events: 0 (ring buffer full 0, args map full 0, undecodable 0)".
std::string stats_text(const TraceStats& s);
nlohmann::json stats_json(const TraceStats& s);

}  // namespace sockscope::render
