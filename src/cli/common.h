// SPDX-License-Identifier: GPL-2.0-only
// Options and steps shared by the inventory commands.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "render/stack.h"
#include "render/style.h"
#include "tracer/stop.h"
#include "tracer/tracer.h"

namespace sockscope::cli {

struct CommonOptions {
  bool json = false;
  bool quiet = false;  // no diagnostics in text output (JSON keeps them)
  std::string replay;  // a recorded fixture directory instead of the live kernel
  std::string color = "auto";
};

std::shared_ptr<CommonOptions> add_common(CLI::App* cmd);

inventory::Inventory build_inventory(const CommonOptions& c, const inventory::Options& opts);

// --color=auto|always|never for text output (JSON never has color).
void add_color(CLI::App* cmd, std::string& mode);
// The text views' style for a --color mode: always, never, or with auto
// color only when stdout is a terminal, NO_COLOR is unset or empty
// (no-color.org) and TERM is not "dumb".
render::Style text_style(const std::string& mode);

// --full-stack: every frame of a creation stack in text output, where the
// default shows the frames that matter (render::cut_stack). JSON is always whole.
void add_full_stack_flag(CLI::App* cmd, bool& full);
inline render::StackDetail stack_detail(bool full) {
  return full ? render::StackDetail::kFull : render::StackDetail::kCut;
}

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
