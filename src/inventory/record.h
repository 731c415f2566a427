// SPDX-License-Identifier: GPL-2.0-only
// Records the kernel data that the inventory reads, as a fixture that
// ReplaySource (and `sockscope ls --replay DIR`) reads back: unit tests replay
// real dumps instead of invented ones. Used by scripts/record_fixture.sh.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "model/socket.h"

namespace sockscope::inventory {

// Writes DIR/proc (a snapshot of `pids`, or of every process when empty),
// DIR/netns.txt and DIR/diag/<netns>/<kind> for every namespace they hold.
// A process that cannot be read is left out, not a failure: what was left
// out is returned (the CLI prints it as warnings).
Result<std::vector<Diagnostic>> record(const std::string& dir, const std::vector<int>& pids);

}  // namespace sockscope::inventory
