// SPDX-License-Identifier: GPL-2.0-only
// `sockscope doctor`: static checks over an inventory, as findings a person
// can act on (what / why it matters / what to do). Pure: no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "inventory/inventory.h"

namespace sockscope::doctor {

enum class Check {
  kOrphanedListener,   // a listener whose path was unlinked
  kReplacedListener,   // a listener whose path names another inode now
  kJvmAttachGone,      // a JVM whose .java_pid attach socket file is gone
  kSlowAccept,         // connections waiting to be accepted across two looks
  kPeerClosed,         // a stream socket whose peer has closed
};

const char* check_name(Check c);

struct Finding {
  Check check;
  uint64_t inode = 0;              // the socket the finding is about
  std::vector<Owner> holders;      // who holds it
  std::string what;                // one line
  std::string why;                 // why it matters
  std::string todo;                // what to do
  std::vector<Owner> related;      // e.g. who holds the path's new inode
};

struct Options {
  std::vector<int> pids;           // only sockets held by these (empty: all)
};

// `now` is the inventory to judge; `earlier` (may be null) one taken a little
// before, to tell connections that are waiting long from ones just made.
std::vector<Finding> examine(const inventory::Inventory& now, const inventory::Inventory* earlier,
                             const Options& opts);

}  // namespace sockscope::doctor
