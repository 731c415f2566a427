// SPDX-License-Identifier: GPL-2.0-only
// Human and JSON views of tracer events. No I/O: callers print.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tracer/event.h"
#include "tracer/tracer.h"

namespace sockscope::tracer {

// Converts event timestamps (CLOCK_MONOTONIC) to wall-clock time; built once
// per run so that all lines use the same offset.
class Clock {
 public:
  Clock();
  int64_t wall_ns(uint64_t mono_ns) const { return static_cast<int64_t>(mono_ns) + offset_ns_; }
  std::string text(uint64_t mono_ns) const;  // "14:03:07.123456" (local time)
  std::string iso(uint64_t mono_ns) const;   // "2025-11-21T14:03:07.123456Z"

 private:
  int64_t offset_ns_ = 0;
  // localtime_r() per event cost more than the rest of the line; events
  // come in bursts within one second, so the "HH:MM:SS" part is kept.
  mutable int64_t cached_sec_ = -1;
  mutable std::string cached_hms_;
};

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
std::string stats_text(const Stats& s);
nlohmann::json stats_json(const Stats& s);

}  // namespace sockscope::tracer
