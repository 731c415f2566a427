// SPDX-License-Identifier: GPL-2.0-only
// Gathers checkpoint::Facts for one process tree: the inventory's joins
// (peers, holders, pending connections, path states, roles) plus what the
// rules need from /proc (fd stat and fdinfo, maps, locks, cmdline, environ)
// and getsockopt() for sockets in no dump. This is the I/O half of
// `sockscope checkpoint`; src/checkpoint is the pure half.
#pragma once

#include <string>
#include <vector>

#include "checkpoint/facts.h"
#include "inventory/inventory.h"

namespace sockscope::inventory {

// `pid` and all its descendants, target first (/proc/PID/task/*/children,
// recursively: CRIU dumps every one of them). Just {pid} in a replay that
// did not record task/.
std::vector<int> process_tree(const std::string& proc_root, int pid);

// Facts about `tree` (from process_tree) out of an inventory built over the
// whole machine. `live` = false (a replay) reads only the recorded /proc
// texts and never stats objects or opens descriptors.
checkpoint::Facts checkpoint_facts(const Inventory& inv, const std::string& proc_root,
                                   const std::vector<int>& tree, bool live);

}  // namespace sockscope::inventory
