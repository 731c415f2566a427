// SPDX-License-Identifier: GPL-2.0-only
#include "model/features.h"

namespace sockscope {

const char* backend_name(Backend b) {
  switch (b) {
    case Backend::kAuto: return "auto";
    case Backend::kTracepoint: return "tracepoint";
    case Backend::kRawSyscalls: return "raw_syscalls";
    case Backend::kKprobe: return "kprobe";
  }
  return "?";
}

std::optional<Backend> parse_backend(const std::string& s) {
  for (Backend b : {Backend::kAuto, Backend::kTracepoint, Backend::kRawSyscalls, Backend::kKprobe})
    if (s == backend_name(b)) return b;
  return std::nullopt;
}

const FeatureStatus& Features::rung(Backend b) const {
  switch (b) {
    case Backend::kTracepoint: return tracepoint;
    case Backend::kRawSyscalls: return raw_syscalls;
    default: return kprobe;
  }
}

}  // namespace sockscope
