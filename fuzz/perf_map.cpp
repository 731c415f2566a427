// SPDX-License-Identifier: GPL-2.0-only
// /tmp/perf-PID.map: written by the traced process itself (any JIT, or
// anyone who can write that file in its mount namespace).
#include "symbolize/perf_map.h"

#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto entries = sockscope::symbolize::parse_perf_map(sockscope::fuzz::text(data, size));
  for (size_t i = 0; i < entries.size(); ++i) {
    SOCKSCOPE_FUZZ_CHECK(entries[i].size != 0);
    if (i > 0) SOCKSCOPE_FUZZ_CHECK(entries[i - 1].start < entries[i].start);  // sorted, one per start
  }
  return 0;
}
