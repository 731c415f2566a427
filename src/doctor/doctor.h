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
  kOrphanedListener,  // a listener whose path was unlinked
  kReplacedListener,  // a listener whose path names another inode now
  kJvmAttachGone,     // a JVM whose .java_pid attach socket file is gone
  kSlowAccept,        // connections waiting to be accepted across two looks
  kPeerClosed,        // a stream socket whose peer has closed
};

const char* check_name(Check c);

// One change of a listener's path after it bound it, as the recorder's
// history has it (issue #14): filled by collect/doctor_history, never by
// examine(), which reads no history. Names are bytes.
struct PathChange {
  enum class Action { kUnlinked, kRenamedAway, kRenamedOnto, kBound };
  Action action = Action::kUnlinked;
  int64_t wall_ns = 0;
  uint32_t pid = 0;
  uint32_t tid = 0;
  uint32_t uid = 0;
  std::string comm;
  uint32_t mntns = 0;
  bool other_mntns = false;  // not the listener's mount namespace: the same bytes may name another file
  std::string other_path;    // a rename's other name (where it went, or what came)
  uint64_t bound_inode = 0;  // kBound: the socket bound at the path
  std::string exe;           // as recorded ("" when the process was gone before it was read)
  std::string argv;          // NUL-separated, as /proc/PID/cmdline
  struct Ancestor {
    uint32_t pid = 0;
    std::string comm;
    std::string argv;  // NUL-separated; "" when not recorded
  };
  std::vector<Ancestor> chain;  // its parent, the parent's parent... as recorded
};

const char* action_name(PathChange::Action a);  // "unlinked", "renamed away", "renamed onto", "bound"

struct Finding {
  Check check;
  uint64_t inode = 0;          // the socket the finding is about
  std::vector<Owner> holders;  // who holds it
  std::string what;            // one line
  std::string why;             // why it matters
  std::string todo;            // what to do
  std::vector<Owner> related;  // e.g. who holds the path's new inode
  std::string path;            // the listener's bound path (orphaned, replaced, JVM attach)
  // From the recorder's history (collect/doctor_history): what became of
  // `path` since the listener bound it, oldest first; or, when none is
  // recorded, why in one line. Both empty without any history database.
  std::vector<PathChange> history;
  std::string no_record;
};

struct Options {
  std::vector<int> pids;  // only sockets held by these (empty: all)
};

// `now` is the inventory to judge; `earlier` (may be null) one taken a little
// before, to tell connections that are waiting long from ones just made.
std::vector<Finding> examine(const inventory::Inventory& now, const inventory::Inventory* earlier, const Options& opts);

}  // namespace sockscope::doctor
