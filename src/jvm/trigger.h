// SPDX-License-Identifier: GPL-2.0-only
// Starting a JVM's attach listener: the .attach_pid trigger file and SIGQUIT.
// Runs in attach()'s helper, already inside the JVM's mount namespace and
// with its euid/egid (so the trigger file is owned by the JVM's user, which
// HotSpot requires: matches_effective_uid_or_root, attachListener_linux.cpp).
#pragma once

#include <csignal>
#include <string>
#include <vector>

#include "base/result.h"
#include "jvm/attach.h"

namespace sockscope::jvm {

// True if we had to start the listener, false if it was already up. `prefix`
// is where the JVM's files are seen from here ("" inside its namespace);
// `cwd_fd` an O_PATH fd of its cwd, opened before entering (-1 if none).
// Polls every 20 ms, doubling, for at most opts.timeout_ms; returns EINTR as
// soon as `stop` is set. The trigger file is removed on every path out.
Result<bool> ensure_listener(const Target& t, const std::string& prefix, int cwd_fd,
                             const AttachOptions& opts, volatile sig_atomic_t& stop);

// The sleeps of the poll: 20, 40, 80 ... ms, the last one cut so that they
// add up to exactly `timeout_ms` (20+40+...+2560 = 5100, then 900 for 6000).
std::vector<int> backoff_schedule(int timeout_ms);

}  // namespace sockscope::jvm
