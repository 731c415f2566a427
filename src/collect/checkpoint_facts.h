// SPDX-License-Identifier: GPL-2.0-only
// Gathers checkpoint::Facts for one process tree: the inventory's joins
// (peers, holders, pending connections, roles) plus what the rules need
// from /proc (fd stat and fdinfo, maps, locks, cmdline, environ; all read
// through src/procfs) and getsockopt() for sockets in no dump. This is the
// I/O half of `sockscope checkpoint`; src/checkpoint is the pure half.
#pragma once

#include <vector>

#include "checkpoint/facts.h"
#include "inventory/inventory.h"
#include "inventory/source.h"
#include "procfs/maps.h"

namespace sockscope::collect {

// Facts about `tree` (procfs::process_tree) out of an inventory built from
// `src` over the whole machine. A replay (src.live() false) reads only the
// recorded /proc texts and never stats objects or opens descriptors.
checkpoint::Facts checkpoint_facts(const inventory::Inventory& inv, const inventory::Source& src,
                                   const std::vector<int>& tree);

// A maps line of `pid` as the map rules see it (without its stat and fd).
checkpoint::MapFact map_fact(int pid, const procfs::Mapping& m);

}  // namespace sockscope::collect
