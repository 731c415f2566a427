// SPDX-License-Identifier: GPL-2.0-only
// CRIU options: --criu-opts, and the CRAC_CRIU_OPTS of the process judged
// (its environment is the process owner's to set).
#include <string>

#include "checkpoint/options.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sockscope::checkpoint;
  std::string text(sockscope::fuzz::text(data, size));
  auto o = parse_criu_options(text);
  auto again = parse_criu_options(o.text);  // the words, re-joined: the same options
  SOCKSCOPE_FUZZ_CHECK(again.ghost_limit == o.ghost_limit && again.external_unix == o.external_unix);
  (void)merge(o, again);
  return 0;
}
