// SPDX-License-Identifier: GPL-2.0-only
// Pure parsers for the /proc texts the checkpoint facts come from (text in,
// facts out), so unit tests feed them lines recorded from real processes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checkpoint/facts.h"

namespace sockscope::checkpoint {

// One /proc/PID/maps line; nullopt for anonymous and special mappings
// ([heap], [vdso], ...) that name no file.
std::optional<MapFact> parse_maps_line(const std::string& line);

// /proc/locks: every lock, with the pid the kernel shows (-1 for OFD locks).
std::vector<LockFact> parse_locks(const std::string& text);

// /proc/PID/fdinfo/N: fills flags and mnt_id.
void parse_fdinfo(const std::string& text, FdFact& fd);

// The mount ids of /proc/PID/mountinfo.
std::vector<int> parse_mount_ids(const std::string& text);

// The value of NAME in a NUL-separated environ; nullopt if absent.
std::optional<std::string> environ_value(const std::string& environ, const std::string& name);

// JVM flags from argv (and JAVA_TOOL_OPTIONS words). is_jvm and java_home
// are not in the command line: the caller sets them from the mapped
// libjvm.so (procfs/libjvm.h).
JvmFacts parse_jvm(const std::vector<std::string>& argv, const std::string& java_tool_options);

}  // namespace sockscope::checkpoint
