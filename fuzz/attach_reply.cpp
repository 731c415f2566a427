// SPDX-License-Identifier: GPL-2.0-only
// HotSpot attach replies: whatever listens on the JVM's attach socket
// (the JVM, or a process that took its path) answers.
#include "fuzz.h"
#include "jvm/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sockscope::jvm;
  auto bytes = sockscope::fuzz::text(data, size);
  auto reply = parse_reply(bytes);
  if (reply) {
    SOCKSCOPE_FUZZ_CHECK(reply->output.size() < bytes.size());
    (void)parse_getversion(*reply);
    (void)parse_load_result(reply->output);
  }
  (void)parse_load_result(bytes);
  return 0;
}
