// SPDX-License-Identifier: GPL-2.0-only
// Is a JVM's attach listener up? Two facts, both read from /proc:
//  - the path: /proc/PID/root/tmp/.java_pid<nspid> exists and is a socket;
//  - the listener: the JVM holds a listening unix socket bound to that path
//    (/proc/PID/net/unix, flag __SO_ACCEPTCON, inode among /proc/PID/fd).
// HotSpot binds to os::get_temp_directory(), which is "/tmp" on Linux
// whatever java.io.tmpdir says (attachListener_linux.cpp, all JDKs).
#pragma once

#include <string>

#include "jvm/target.h"

namespace sockscope::jvm {

enum class ListenerState {
  kUp,          // a socket at the path and a live listener: attach needs no signal
  kNotStarted,  // no listener (HotSpot starts it on the first attach)
  kPathDeleted, // the listener runs but its path was unlinked (tmp cleaners do this)
  kStalePath,   // a socket file with no listener behind it (a JVM that died, or pid reuse)
};

const char* listener_state_name(ListenerState s);  // "up", "not-started", ...

// The socket path as the JVM sees it ("/tmp/.java_pid<nspid>").
std::string socket_path(const Target& t);

// Never fails: what cannot be read counts as absent.
ListenerState listener_state(const Target& t, const std::string& proc = "/proc");

// The inode of a listening socket bound to `path` (or to "<path>.tmp", the
// name HotSpot binds before renaming) in /proc/net/unix text, 0 if none.
unsigned long find_unix_listener(const std::string& net_unix, const std::string& path);

}  // namespace sockscope::jvm
