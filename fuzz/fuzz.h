// SPDX-License-Identifier: GPL-2.0-only
// The libFuzzer entry point every target defines (docs/testing.md, "Fuzzing").
// Each target feeds one parser of text that someone else controls: a process
// name or a mapping path an unprivileged user chose, a JVM's reply, a
// netlink dump, a history blob. A crash, a sanitizer report or a failed
// SOCKSCOPE_FUZZ_CHECK is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace sockscope::fuzz {

inline std::string_view text(const uint8_t* data, size_t size) { return {reinterpret_cast<const char*>(data), size}; }

}  // namespace sockscope::fuzz

// An invariant of the parser; abort() makes libFuzzer keep the input.
#define SOCKSCOPE_FUZZ_CHECK(cond) \
  do {                             \
    if (!(cond)) std::abort();     \
  } while (0)
