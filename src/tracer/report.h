// SPDX-License-Identifier: GPL-2.0-only
// The `sockscope run` report: what a process tree did with sockets, built
// from tracer events plus inventory snapshots that name the peers.
// Pure: events and inventories in, a RunReport out (unit-testable).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "inventory/inventory.h"
#include "tracer/event.h"
#include "tracer/tracer.h"

namespace sockscope::tracer {

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
  Event created;                // socket / socketpair / accept / recvmsg
  std::vector<Event> events;    // bind, listen, connect, shutdown, close, sendmsg ... in order
  std::string local;            // from bind
  std::string remote;           // from connect
  uint64_t peer_ino = 0;        // from the kernel (accept, dgram connect, socketpair)
  std::optional<PeerInfo> peer;
  bool closed = false;          // a close() released it (Event::released())
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
  Stats stats;
};

class ReportBuilder {
 public:
  void add(const Event& e);
  // True when some socket still lacks a peer (or has only a provisional one)
  // that a snapshot might supply.
  bool needs_peers() const;
  // Fills peers that are still unknown or provisional from a snapshot of the
  // live system; a known peer is never replaced by a provisional one.
  void resolve_peers(const inventory::Inventory& inv);
  RunReport finish() &&;

 private:
  SocketRecord& socket(uint64_t inode, const Event& e);
  void add_socket_event(const Event& e);

  RunReport report_;
  std::map<uint64_t, size_t> by_inode_;
  std::map<int, size_t> by_pid_;
};

}  // namespace sockscope::tracer

namespace sockscope::tracer {

class Clock;
std::string report_text(const RunReport& r, const Clock& clock);
nlohmann::json report_json(const RunReport& r, const Clock& clock);

}  // namespace sockscope::tracer
