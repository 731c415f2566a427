// SPDX-License-Identifier: GPL-2.0-only
// Which history database a command reads, and whether a recorder writes it:
// the running recorder says where under /run (kRunDir: "db" holds the path,
// "recorder.pid" its pid); --db overrides.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"
#include "history/history.h"

namespace sockscope::history {

struct Located {
  std::string path;           // "" when there is none to read
  uint32_t recorder_pid = 0;  // a live recorder writing `path`; 0: none runs
  std::string how;            // "--db", "the running recorder (pid N)", "the default path"
};

// explicit_path (from --db) wins; else the running recorder's database;
// else kDefaultDb when it exists.
Located locate(const std::string& explicit_path, const std::string& run_dir = kRunDir);

// The recorder's side: written once it is ready, removed on a clean stop.
// A stale pair (a killed recorder) is overwritten by the next one.
Result<Ok> write_run_files(const std::string& run_dir, const std::string& db, uint32_t pid);
void remove_run_files(const std::string& run_dir, uint32_t pid);

}  // namespace sockscope::history
