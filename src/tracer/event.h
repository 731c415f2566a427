// SPDX-License-Identifier: GPL-2.0-only
// Decoding of the BPF ring records into model Events (model/event.h). Pure
// (bytes in, Event out), so it is unit-tested without BPF.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/event.h"

namespace sockscope::tracer {

// Decodes one ring buffer record. Fails on a size mismatch (an ABI skew
// between the BPF object and this binary, i.e. a build problem).
Result<Event> decode(const void* data, size_t size);

}  // namespace sockscope::tracer
