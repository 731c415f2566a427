// SPDX-License-Identifier: GPL-2.0-only
// What exists when the recorder starts: every socket of every network
// namespace with its holders (the inventory), and every process. Their
// creators are unknown; the history marks them so instead of guessing.
#pragma once

#include <vector>

#include "history/history.h"
#include "inventory/inventory.h"

namespace sockscope::recorder {

// Pure: the inventory's sockets as history snapshot rows.
std::vector<history::SnapshotSocket> snapshot_sockets(const inventory::Inventory& inv, int64_t wall_ns);

}  // namespace sockscope::recorder
