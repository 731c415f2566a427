// SPDX-License-Identifier: GPL-2.0-only
// Builds the `sockscope run` report (model/run_report.h) from tracer events
// plus inventory snapshots that name the peers. Pure: events and
// inventories in, a RunReport out (unit-testable).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>

#include "inventory/inventory.h"
#include "model/event.h"
#include "model/run_report.h"

namespace sockscope::run {

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
}  // namespace sockscope::run
