// SPDX-License-Identifier: GPL-2.0-only
// What /proc says about one process as an attach target: is it a HotSpot JVM,
// its pid inside its pid namespace, its credentials, JDK and command line.
// Reads only; never signals. `proc` is the /proc root (injectable for tests).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace sockscope::jvm {

struct Target {
  int pid = 0;                 // as seen from here (the host)
  int nspid = 0;               // in its own pid namespace (last NSpid field)
  uid_t euid = 0;              // effective ids, as seen from here
  gid_t egid = 0;
  std::string libjvm;          // path of the mapped libjvm.so, in the target's mount ns; "" = not a JVM
  std::string java_home;       // derived from libjvm ("" if unknown)
  std::string version;         // JAVA_VERSION from <java_home>/release, e.g. "17.0.15" ("" if unknown)
  std::vector<std::string> cmdline;
  bool sigquit_caught = false;  // SigCgt has SIGQUIT: false before HotSpot installs its
                                // handler, and with -Xrs; then SIGQUIT would kill it
  bool attach_disabled = false;  // -XX:+DisableAttachMechanism on the command line or in
                                 // JAVA_TOOL_OPTIONS / JDK_JAVA_OPTIONS
};

// Reads only /proc/PID/status: pid, nspid, effective ids, SigCgt. Enough to
// talk to a listener that is already up.
Result<Target> inspect_ids(int pid, const std::string& proc = "/proc");

// Reads status, maps, cmdline, environ and the release file of one process.
// Errors: ENOENT/ESRCH (no such process, or a zombie), EACCES (not ours).
// A readable non-JVM is not an error: `libjvm` is empty (procfs/libjvm.h
// decides what is a JVM).
Result<Target> inspect(int pid, const std::string& proc = "/proc");

// The feature release of a version string: "17.0.15" -> 17, "1.8.0_392" -> 8.
std::optional<int> feature_version(const std::string& version);

// JAVA_VERSION="..." from the text of a release file ("" if absent).
std::string release_version(const std::string& release_text);

// Whether the JVM options in these words disable the attach mechanism; the
// last -XX:[+-]DisableAttachMechanism wins, as in HotSpot's argument parser.
bool disables_attach(const std::vector<std::string>& words, bool current = false);

// The main class, "-jar FILE" or "-m MODULE" from a java command line ("" if none).
std::string main_of(const std::vector<std::string>& cmdline);

}  // namespace sockscope::jvm
