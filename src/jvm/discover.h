// SPDX-License-Identifier: GPL-2.0-only
// Every JVM on the machine, in every pid and mount namespace. Two sources:
//  - processes that map libjvm.so (/proc/PID/maps): finds JVMs started with
//    -XX:-UsePerfData too;
//  - hsperfdata files, /tmp/hsperfdata_<user>/<nspid>, looked at through one
//    /proc/PID/root per mount namespace: they name the user the JVM runs as
//    in its container, and a file whose process is gone is reported as stale.
#pragma once

#include <string>
#include <vector>

#include "jvm/listener.h"
#include "jvm/target.h"
#include "model/socket.h"

namespace sockscope::jvm {

struct JvmInfo {
  Target target;
  std::string user;          // hsperfdata_<user>, else the host's name for euid
  std::string main;          // main class, "-jar FILE" or "-m MODULE"
  ListenerState listener = ListenerState::kNotStarted;
  std::string hsperfdata;    // host-visible path of its hsperfdata file ("" if none)
};

struct Listing {
  std::vector<JvmInfo> jvms;            // by host pid
  std::vector<Diagnostic> diagnostics;  // unreadable processes, stale hsperfdata files
};

Listing discover(const std::string& proc = "/proc");

}  // namespace sockscope::jvm
