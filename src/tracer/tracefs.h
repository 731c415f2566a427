// SPDX-License-Identifier: GPL-2.0-only
// Read-only access to tracefs (tracepoint ids, feature files).
//
// When tracefs is mounted (/sys/kernel/tracing or /sys/kernel/debug/tracing)
// it is read in place. When it is not, a short-lived child mounts it in a
// private mount namespace, reads, and exits: the mount dies with the child, so
// nothing is left behind even after a SIGKILL, and the host's mount table is
// never touched. Tracepoints are then attached with perf_event_open() on the
// ids read here (src/tracer/attach.cpp), which needs no tracefs at all.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace sockscope::tracer {

struct TracefsFiles {
  std::string how;  // "mounted at /sys/kernel/tracing" or "private mount"
  // Relative path -> contents (nullopt: absent or unreadable).
  std::map<std::string, std::optional<std::string>> files;
};

// Reads these files relative to the tracefs root ("events/raw_syscalls/sys_enter/id").
// Fails only when tracefs cannot be reached at all (not built in, no
// privilege to mount it); the error says which.
Result<TracefsFiles> read_tracefs(const std::vector<std::string>& rel_paths);

}  // namespace sockscope::tracer
