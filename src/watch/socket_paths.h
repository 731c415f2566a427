// SPDX-License-Identifier: GPL-2.0-only
// Which filesystem paths are socket paths, for `trace` text: every `rm` on
// the machine is an unlink, and a reader of a socket trace wants only the
// unlinks and renames of socket files (issue 17). A path is a socket path
// when the start-up unix dump lists a socket bound to it, or a bind seen
// during the trace names it, or a rename moved one there. Pure; no I/O.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/event.h"

namespace sockscope::watch {

class SocketPaths {
 public:
  // `bound`: the paths of bound unix sockets now (SocketInfo::local, or its
  // resolved_path); abstract names and empty ones are ignored.
  explicit SocketPaths(const std::vector<std::string>& bound);

  // Learns from a bind (its path) or a rename of a known socket path (its
  // destination).
  void note(const Event& e);
  // Whether an unlink or rename touches a socket path. A relative path (an
  // unlink in the socket's directory, `rm x.sock`) matches a known path
  // that ends with it: wrongly shown beats wrongly hidden.
  bool touches_socket_path(const Event& e) const;

 private:
  bool known(const std::string& path) const;

  std::set<std::string> paths_;
};

}  // namespace sockscope::watch
