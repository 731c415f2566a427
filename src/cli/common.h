// SPDX-License-Identifier: GPL-2.0-only
// Options and steps shared by the inventory commands.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tracer/stop.h"
#include "tracer/tracer.h"

namespace sockscope::cli {

struct CommonOptions {
  bool json = false;
  std::string replay;  // a recorded fixture directory instead of the live kernel
};

std::shared_ptr<CommonOptions> add_common(CLI::App* cmd);

inventory::Inventory build_inventory(const CommonOptions& c, const inventory::Options& opts);

// Checks that every pid exists and can be read; prints why not.
int check_pids(const std::vector<int>& pids);

// Prints a tracer error and returns its exit code: EPERM/EACCES -> no
// privilege, EOPNOTSUPP -> unsupported kernel, else failure.
int tracer_failure(const Error& e);

// The event loop of `trace` and `watch`: hands events to `fn` until Ctrl-C,
// SIGTERM or `duration` seconds (< 0: no limit; 0: none at all), drains what
// is queued, then prints the lost-event counts (a JSON line too with `json`).
int stream_events(tracer::Tracer& t, const tracer::StopSignals& stop, double duration, bool json,
                  const tracer::EventFn& fn);

}  // namespace sockscope::cli
