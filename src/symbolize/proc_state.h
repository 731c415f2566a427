// SPDX-License-Identifier: GPL-2.0-only
// Internal: what the Symbolizer keeps per process (symbolizer.cpp,
// symbolize_stack.cpp).
#pragma once

#include <memory>

#include "symbolize/hotspot.h"
#include "symbolize/image.h"
#include "symbolize/perf_map.h"
#include "symbolize/symbolizer.h"

namespace sockscope::symbolize {

struct Symbolizer::ProcState {
  std::unique_ptr<Image> image;
  std::unique_ptr<PerfMap> perf_map;  // once the nspid is known
  // Whether perf_map was checked for changes during the current symbolize():
  // only a frame outside any file needs it, and the stat() through
  // /proc/PID/root per stack was a tenth of the recorder's CPU.
  bool perf_map_checked = false;
  std::unique_ptr<JavaNames> java;    // once libjvm is seen
};

}  // namespace sockscope::symbolize
