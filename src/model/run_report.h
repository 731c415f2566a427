// SPDX-License-Identifier: GPL-2.0-only
// The `sockscope run` report: what a process tree did with sockets, as
// run/report_builder.h builds it from events and src/render shows it.
// Passive data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/event.h"
#include "model/socket.h"

namespace sockscope {

// The other end of a socket, as far as it could be found.
struct PeerInfo {
  uint64_t inode = 0;
  std::vector<Owner> owners;  // processes holding the peer socket
  std::string path;           // its bound path / address
  std::string role;           // roles::for_path(), if well known
  std::string how;            // "peer socket (live)", "listener bound at the connect path", ...
  // Only the listener was found (the server had not accepted yet, or the
  // socket was gone): a later snapshot may still name the live peer.
  bool provisional = false;
};

struct SocketRecord {
  uint64_t inode = 0;
  int family = 0;
  int type = 0;
  Event created;              // socket / socketpair / accept / recvmsg
  std::vector<Event> events;  // bind, listen, connect, shutdown, close, sendmsg ... in order
  std::string local;          // from bind
  std::string remote;         // from connect
  uint64_t peer_ino = 0;      // from the kernel (accept, dgram connect, socketpair)
  std::optional<PeerInfo> peer;
  bool closed = false;  // a close() released it (Event::released())
};

struct ProcessRecord {
  int pid = 0;
  int ppid = 0;
  std::string comm;
  std::vector<std::string> execs;  // files exec'd, in order
  std::optional<int> exit_status;  // wait status
};

struct RunReport {
  std::vector<std::string> command;
  int exit_code = 0;
  std::string backend;
  double seconds = 0;
  std::vector<ProcessRecord> processes;
  std::vector<SocketRecord> sockets;  // in creation order
  std::vector<Event> path_events;     // unlink/rename
  TraceStats stats;
};

}  // namespace sockscope
