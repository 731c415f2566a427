// SPDX-License-Identifier: GPL-2.0-only
// What the history keeps of a process that Event lacks (exe, argv, cgroup),
// read from /proc while the process lives.
#pragma once

#include <cstdint>
#include <optional>

#include "history/history.h"

namespace sockscope::recorder {

// nullopt when the process is gone (or unreadable); bytes as the kernel gives them.
std::optional<history::ProcessInfo> read_process_info(const std::string& proc_root, uint32_t pid, int64_t wall_ns);

}  // namespace sockscope::recorder
