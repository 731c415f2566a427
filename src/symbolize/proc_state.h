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
  std::unique_ptr<JavaNames> java;    // once libjvm is seen
};

}  // namespace sockscope::symbolize
