// SPDX-License-Identifier: GPL-2.0-only
// HotSpot dynamic attach: run one attach operation in a JVM and return its
// reply. The steps, as the JDK's own client and jattach do them:
//  1. refuse what must not be signalled: not a JVM (libjvm.so not mapped;
//     SIGQUIT's default action would kill it), attach disabled, a caller that
//     is neither root nor the JVM's euid;
//  2. if the listener is already up, we share the JVM's user namespace and
//     are root or its euid: connect through /proc/PID/root/tmp in-process
//     (no fork, nothing created). Otherwise, in a forked helper
//     (setns(CLONE_NEWNS) refuses multithreaded callers):
//     enter the JVM's mount namespace (not its netns: HotSpot binds a path,
//     reachable from any netns) and its root, take its euid/egid
//     (HotSpot accepts a peer with the same euid/egid, or root, via
//     SO_PEERCRED; a root outside the JVM's user namespace is not root there);
//  3. if /tmp/.java_pid<nspid> is not a socket: create .attach_pid<nspid> in
//     the JVM's cwd (else /tmp), O_CREAT|O_EXCL|O_NOFOLLOW; SIGQUIT the host
//     pid; poll for the socket, sleeping 20 ms, then doubling, until
//     `timeout_ms` (default 6000, as jattach); always unlink the trigger
//     file, on errors and on SIGINT/SIGTERM too;
//  4. connect, send the request (v1 or v2, see protocol.h), read the reply
//     until EOF and hand it back to the caller through a pipe.
// Blocks until the JVM answers; the reply wait itself has no time limit (a
// heap dump can take minutes). Reentrant; forks at most one child per call
// and reaps it before returning.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "jvm/protocol.h"
#include "jvm/target.h"

namespace sockscope::jvm {

enum class Protocol {
  kAuto,    // v1 when the request fits it (every HotSpot speaks v1); else probe, then v2
  kV1,      // v1 only
  kV2,      // v2 without probing (a JVM before JDK 24 answers status 101)
  kDetect,  // always probe with "getversion" first, then use what the VM offers
};

struct AttachOptions {
  int timeout_ms = 6000;         // how long to wait for the listener to start
  Protocol protocol = Protocol::kAuto;
  bool forward_signals = false;  // SIGINT/SIGTERM to the caller are passed to the helper,
                                 // which cleans up; the call then fails with EINTR.
                                 // Handlers are restored on return. For CLIs.
  std::string proc = "/proc";
};

struct AttachResponse {
  int status = 0;            // the VM's completion status (0 = ok)
  std::string output;        // its output, verbatim
  int protocol_version = 1;  // the request framing used
  bool started_listener = false;  // we had to SIGQUIT it to start the listener
};

// Runs args[0] with args[1..] in JVM `pid` (a pid as seen from here).
// Errors carry a hint, and sys_errno names the class of failure:
//   ESRCH      no such process (or a zombie)
//   ENOEXEC    not a HotSpot JVM: nothing was signalled
//   ENOTSUP    attach disabled (-XX:+DisableAttachMechanism), or the JVM is too
//              old for the request (v2 needs JDK 24+)
//   EPERM/EACCES  not root and not the JVM's user, or a namespace we may not enter
//   ETIMEDOUT  the listener did not come up in time
//   ECONNREFUSED, EPROTO, ENOENT...  the socket did not answer as a JVM does
//   EINTR      interrupted by SIGINT/SIGTERM (forward_signals); cleaned up
Result<AttachResponse> attach(int pid, const std::vector<std::string>& args,
                              const AttachOptions& opts = {});

// Same, for a target already inspected (inspect() in target.h).
Result<AttachResponse> attach(const Target& t, const std::vector<std::string>& args,
                              const AttachOptions& opts = {});

// Writes the JIT's symbol map (`jcmd Compiler.perfmap`, Linux, JDK 17+) and
// returns its host-visible path, /proc/PID/root/tmp/perf-<nspid>.map, for
// symbolizers. Errors as attach(); ENOTSUP before JDK 17.
Result<std::string> perfmap(int pid, const AttachOptions& opts = {});

}  // namespace sockscope::jvm
