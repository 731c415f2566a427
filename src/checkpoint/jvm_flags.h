// SPDX-License-Identifier: GPL-2.0-only
// The target as a JVM, from its command line (pure: words in, facts out).
// The /proc texts behind the other facts are parsed in src/procfs.
#pragma once

#include <string>
#include <vector>

#include "checkpoint/facts.h"

namespace sockscope::checkpoint {

// JVM flags from argv (and JAVA_TOOL_OPTIONS words). is_jvm and java_home
// are not in the command line: the caller sets them from the mapped
// libjvm.so (procfs/libjvm.h).
JvmFacts parse_jvm(const std::vector<std::string>& argv, const std::string& java_tool_options);

}  // namespace sockscope::checkpoint
