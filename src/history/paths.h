// SPDX-License-Identifier: GPL-2.0-only
// The history file's safety: a root-owned 0700 directory, a 0600 file, no
// symlink on either (the recorder runs as root and must not be steered into
// writing elsewhere), and the writer lock that keeps a second recorder off.
#pragma once

#include <string>

#include "base/result.h"
#include "base/unique_fd.h"

namespace sockscope::history {

// Creates the directory of `path` (0700) if missing and, with check_owner,
// refuses one that is a symlink, not owned by the effective user, or
// writable by group or others. Then the same for the file itself if it
// exists, or creates it 0600. The -wal and -shm files SQLite makes take the
// file's owner and mode.
Result<Ok> prepare_path(const std::string& path, bool check_owner);

// flock on path + ".lock", which holds the owner's pid. Held for as long as
// the returned fd is open; a second taker (this process or another) gets an
// Error naming the holder's pid.
Result<UniqueFd> take_writer_lock(const std::string& path);

// The parent directory of path ("." for a bare name).
std::string dir_of(const std::string& path);

}  // namespace sockscope::history
