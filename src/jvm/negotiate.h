// SPDX-License-Identifier: GPL-2.0-only
// Choosing the request framing (v1 or v2) for one attach operation. The I/O
// is injected, so the fallbacks are unit-tested without a JVM.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "jvm/attach.h"

namespace sockscope::jvm {

// Sends one encoded request on a new connection; returns the raw reply.
using Exchange = std::function<Result<std::string>(const std::string& request)>;

struct Negotiated {
  int version = 1;
  std::string reply;  // raw bytes, for parse_reply()
};

// kAuto: v1 if the request fits v1, else probe; kDetect: always probe.
// The probe is a v1 "getversion options" (JDK 24+ answers "2 ..."; older VMs
// "Operation getversion not recognized!"). A request that needs v2 sent to a
// v1-only VM fails with ENOTSUP before anything but the probe is sent.
Result<Negotiated> negotiate(const std::vector<std::string>& args, Protocol protocol,
                             const Exchange& exchange);

}  // namespace sockscope::jvm
