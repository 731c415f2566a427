// SPDX-License-Identifier: GPL-2.0-only
// The forked helper of attach(): the only code that changes namespaces and
// credentials, so the caller's process never does. It reports back through
// a pipe with one frame, encoded and decoded here:
//   "R" <version digit> <'1' if it started the listener, else '0'> <raw reply>
//   "E" <errno> '\0' <what> '\0' <hint> '\0'
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "jvm/attach.h"

namespace sockscope::jvm {

// Runs in the child after fork(); writes one frame to `out_fd`, then _exit()s.
[[noreturn]] void run_helper(const Target& t, const std::vector<std::string>& args,
                             const AttachOptions& opts, int out_fd);

struct HelperResult {
  int version = 1;
  bool started_listener = false;
  std::string raw_reply;
};

std::string encode_frame(const Result<HelperResult>& r);

// One connection: connect to the listener at `path`, send `request`, read
// the reply until the JVM closes the connection. Blocks without a limit.
Result<std::string> round_trip(const std::string& path, const std::string& request);

// The frame back into a reply (status and output parsed) or the helper's error.
Result<AttachResponse> decode_frame(const std::string& frame);

}  // namespace sockscope::jvm
