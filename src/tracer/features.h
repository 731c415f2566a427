// SPDX-License-Identifier: GPL-2.0-only
// What this kernel offers the tracer, and which attach rung to use.
// Unsupported is not an error: every check yields a FeatureStatus with the
// reason, and `sockscope probes` prints them all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/features.h"

namespace sockscope::tracer {

// Probes everything; needs root (or CAP_BPF + CAP_PERFMON) for the BPF
// checks, and says so in the reasons otherwise.
Features probe_features();

// The rung to load: `wanted` if available, else the first available one in
// `ladder` order when `wanted` is kAuto. nullopt when nothing fits.
std::optional<Backend> choose_backend(const Features& f, Backend wanted, Ladder ladder = Ladder::kStreaming);

// One line naming what is missing, for when choose_backend() gives nothing.
std::string missing_summary(const Features& f, Backend wanted);

// The capabilities tracing needs that this process lacks, by name
// ("CAP_BPF", "CAP_PERFMON"); empty when it may trace. Tracepoint and raw
// tracepoint programs need both (or CAP_SYS_ADMIN, which stands for both).
std::vector<std::string> missing_capabilities();

}  // namespace sockscope::tracer
